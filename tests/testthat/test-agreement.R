# Tests for agreement() and its C routine ffi_agreement. References: irr
# and irrCAC (to 1e-10), Krippendorff's published example, and pure-R
# oracles written from the definitions (below) for every statistic and for
# the bootstrap.

# --- helpers and oracles --------------------------------------------------------

# A random panel: `long` for agreement(), `mat` (items x raters, NA allowed)
# for irr / irrCAC, `counts` (K x items) for the oracles.
ag_panel <- function(n_resp, n_item, K, p_na, prob = NULL) {
  mat <- matrix(sample.int(K, n_resp * n_item, replace = TRUE, prob = prob),
                n_item, n_resp)
  mat[matrix(runif(n_resp * n_item) < p_na, n_item, n_resp)] <- NA
  long <- data.frame(
    respondent = rep(seq_len(n_resp), each = n_item),
    item = rep(sprintf("i%03d", seq_len(n_item)), n_resp),
    rating = as.vector(mat)
  )
  list(long = long, mat = mat, counts = ag_counts(mat, K), K = K)
}

ag_counts <- function(mat, K) {
  vapply(seq_len(nrow(mat)), function(j) tabulate(mat[j, ], nbins = K), numeric(K))
}

# Pure-R statistics from a K x m count table, from the definitions.
ag_ref <- function(counts, values = seq_len(nrow(counts)), metric = "nominal",
                   listwise = FALSE, raters = NA) {
  counts <- matrix(counts, nrow = nrow(counts))
  K <- nrow(counts)
  r <- colSums(counts)
  keep <- if (listwise) r > 0 & r == raters else r > 0
  counts <- counts[, keep, drop = FALSE]
  r <- r[keep]
  two <- r >= 2
  out <- c(percent = NA, fleiss = NA, gwet_ac1 = NA, krippendorff = NA)
  if (!any(two)) return(out)
  pa <- mean((colSums(counts * (counts - 1)) / (r * (r - 1)))[two])
  p <- rowMeans(sweep(counts, 2, r, "/"))
  pe_f <- sum(p^2)
  pe_g <- sum(p * (1 - p)) / (K - 1)
  o <- matrix(0, K, K)
  for (u in which(two)) {
    nu <- counts[, u]
    o <- o + (outer(nu, nu) - diag(nu, K)) / (r[u] - 1)
  }
  nc <- rowSums(o)
  d <- switch(metric,
    nominal = 1 - diag(K),
    interval = outer(values, values, "-")^2,
    ordinal = outer(seq_len(K), seq_len(K), Vectorize(function(c, k) {
      g <- seq(min(c, k), max(c, k))
      (sum(nc[g]) - (nc[c] + nc[k]) / 2)^2
    }))
  )
  de <- sum(outer(nc, nc) * d)
  out[["percent"]] <- pa
  out[["fleiss"]] <- if (pe_f < 1) (pa - pe_f) / (1 - pe_f) else NA
  out[["gwet_ac1"]] <- (pa - pe_g) / (1 - pe_g)
  out[["krippendorff"]] <- if (de > 0) 1 - (sum(nc) - 1) * sum(o * d) / de else NA
  out
}

# Pure-R bootstrap: resample the eligible items with sample.int().
ag_boot_ref <- function(counts, B, listwise = FALSE, raters = NA, ...) {
  r <- colSums(counts)
  keep <- if (listwise) r > 0 & r == raters else r > 0
  kept <- counts[, keep, drop = FALSE]
  m <- ncol(kept)
  reps <- matrix(NA_real_, B, 4)
  for (b in seq_len(B)) {
    idx <- sample.int(m, m, replace = TRUE)
    reps[b, ] <- ag_ref(kept[, idx, drop = FALSE], ...)
  }
  reps
}

# irrCAC rounds the coefficient and its standard error to 5 decimals; the
# same function with the rounding removed gives the full-precision values.
ag_unround <- function(f) {
  txt <- paste(deparse(body(f), width.cutoff = 500L), collapse = "\n")
  txt <- gsub("round\\(([A-Za-z0-9._]+), 5\\)", "\\1", txt)
  body(f) <- parse(text = txt)[[1L]]
  f
}

ag_est <- function(res, m, col = "estimate") res[[col]][res$method == m]

tol <- 1e-10

# --- comparisons with the reference packages ------------------------------------

test_that("per-item Fleiss' kappa and AC1 (and their SEs) match irrCAC", {
  skip_if_not_installed("irrCAC")
  fk <- ag_unround(irrCAC::fleiss.kappa.raw)
  ac <- ag_unround(irrCAC::gwet.ac1.raw)
  set.seed(101)
  for (rep in trials(12)) {
    K <- sample(2:6, 1)
    p <- ag_panel(sample(2:12, 1), sample(3:40, 1), K, c(0, 0.2, 0.4)[rep %% 3 + 1])
    rated <- rowSums(!is.na(p$mat)) > 0
    if (sum(rowSums(!is.na(p$mat)) >= 2) == 0) next
    res <- agreement(p$long, levels = seq_len(K))
    ref_f <- fk(p$mat[rated, , drop = FALSE], categ.labels = seq_len(K))$est
    ref_g <- ac(p$mat[rated, , drop = FALSE], categ.labels = seq_len(K))$est
    expect_equal(ag_est(res, "percent"), ref_f$pa, tolerance = tol)
    if (ref_f$pe < 1) {
      expect_equal(ag_est(res, "fleiss"), ref_f$coeff.val, tolerance = tol)
      expect_equal(ag_est(res, "fleiss", "se"), ref_f$coeff.se, tolerance = tol)
    }
    expect_equal(ag_est(res, "gwet_ac1"), ref_g$coeff.val, tolerance = tol)
    expect_equal(ag_est(res, "gwet_ac1", "se"), ref_g$coeff.se, tolerance = tol)
    # the t interval as irrCAC prints it (upper limit capped at 1)
    n <- sum(rated)
    h <- ref_g$coeff.se * qt(0.975, n - 1)
    expect_equal(ag_est(res, "gwet_ac1", "conf_low"), ref_g$coeff.val - h, tolerance = tol)
    expect_equal(ag_est(res, "gwet_ac1", "conf_high"), min(1, ref_g$coeff.val + h), tolerance = tol)
    expect_identical(ag_est(res, "gwet_ac1", "items_used"), as.integer(n))
    # and the oracle
    expect_equal(res$estimate, unname(ag_ref(p$counts))[c(1, 2, 3, 4)], tolerance = tol)
  }
})

test_that("listwise Fleiss' kappa and its SE under H0 match irr::kappam.fleiss", {
  skip_if_not_installed("irr")
  set.seed(202)
  checked <- 0
  for (rep in trials(15)) {
    K <- sample(2:5, 1)
    p <- ag_panel(sample(2:8, 1), sample(5:40, 1), K, c(0, 0.05, 0.1)[rep %% 3 + 1])
    complete <- p$mat[rowSums(is.na(p$mat)) == 0, , drop = FALSE]
    if (nrow(complete) < 2 || length(unique(as.vector(complete))) < 2) next
    res <- agreement(p$long, levels = seq_len(K), missing = "listwise")
    ref <- irr::kappam.fleiss(p$mat)
    expect_equal(ag_est(res, "fleiss"), ref$value, tolerance = tol)
    expect_equal(ag_est(res, "fleiss", "se"), ref$value / ref$statistic, tolerance = tol)
    expect_identical(ag_est(res, "fleiss", "items_used"), nrow(complete))
    expect_identical(ref$subjects, nrow(complete))
    expect_true(is.na(ag_est(res, "fleiss", "conf_low")))
    expect_match(ag_est(res, "fleiss", "note"), "H0")
    # AC1 on the complete items is irrCAC's on the complete rows
    if (requireNamespace("irrCAC", quietly = TRUE)) {
      ac <- ag_unround(irrCAC::gwet.ac1.raw)(complete, categ.labels = seq_len(K))$est
      expect_equal(ag_est(res, "gwet_ac1"), ac$coeff.val, tolerance = tol)
      expect_equal(ag_est(res, "gwet_ac1", "se"), ac$coeff.se, tolerance = tol)
    }
    checked <- checked + 1
  }
  expect_gt(checked, length(trials(15)) / 3)  # most panels have complete rows
})

test_that("on complete data the two Fleiss variants give the same kappa", {
  set.seed(7)
  p <- ag_panel(6, 30, 4, 0)
  a <- agreement(p$long, "fleiss", levels = 1:4)
  b <- agreement(p$long, "fleiss", levels = 1:4, missing = "listwise")
  expect_equal(a$estimate, b$estimate, tolerance = 1e-14)
  expect_false(isTRUE(all.equal(a$se, b$se)))
})

test_that("Krippendorff's published example: 0.743, 0.815, 0.849, as irr", {
  # Krippendorff (2011), reliability data of 4 observers x 12 units with
  # missing values; the same matrix is the example of irr::kripp.alpha.
  nmm <- matrix(c(1, 1, NA, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2,
                  1, 2, 3, 4, 4, 4, 4, 4, 1, 1, 2, 1, 2, 2, 2, 2, NA, 5, 5, 5,
                  NA, NA, 1, 1, NA, NA, 3, NA), nrow = 4)
  long <- data.frame(respondent = rep(1:4, 12), item = rep(1:12, each = 4),
                     rating = as.vector(nmm))
  published <- c(nominal = 0.743, ordinal = 0.815, interval = 0.849)
  for (m in names(published)) {
    res <- agreement(long, "krippendorff", metric = m)
    expect_equal(round(res$estimate, 3), published[[m]])
    expect_identical(res$metric, m)
    expect_identical(res$items_used, 11L) # unit 12 has one value
    expect_equal(res$estimate, ag_ref(ag_counts(t(nmm), 5), metric = m)[["krippendorff"]],
                 tolerance = tol)
    if (requireNamespace("irr", quietly = TRUE)) {
      expect_equal(res$estimate, irr::kripp.alpha(nmm, m)$value, tolerance = tol)
    }
  }
  skip_if_not_installed("irrCAC")
  # irrCAC's alpha agrees for the nominal and (quadratic = interval) metrics
  # but its "ordinal" weights are not Krippendorff's ordinal metric
  ka <- ag_unround(irrCAC::krippen.alpha.raw)
  nominal <- ka(t(nmm))$est$coeff.val
  interval <- ka(t(nmm), weights = "quadratic")$est$coeff.val
  ordinal <- ka(t(nmm), weights = "ordinal")$est$coeff.val
  expect_equal(agreement(long, "krippendorff")$estimate, nominal, tolerance = tol)
  expect_equal(agreement(long, "krippendorff", metric = "interval")$estimate, interval,
               tolerance = tol)
  expect_equal(round(ordinal, 3), 0.834)
})

test_that("Krippendorff's alpha matches irr on random data with missing values", {
  skip_if_not_installed("irr")
  set.seed(303)
  for (rep in trials(12)) {
    K <- sample(2:7, 1)
    p <- ag_panel(sample(2:10, 1), sample(3:30, 1), K, 0.25)
    if (!anyNA(p$mat)) p$mat[1, 1] <- NA
    p$long$rating <- as.vector(p$mat)
    x <- t(p$mat)
    for (m in c("nominal", "ordinal", "interval")) {
      res <- agreement(p$long, "krippendorff", levels = seq_len(K), metric = m)
      ref <- ag_ref(ag_counts(p$mat, K), metric = m)[["krippendorff"]]
      if (is.na(ref)) {
        expect_true(is.na(res$estimate))
        next
      }
      expect_equal(res$estimate, ref, tolerance = tol)
      expect_equal(res$estimate, irr::kripp.alpha(x, m)$value, tolerance = tol)
    }
  }
})

test_that("irr's alpha is wrong on complete data with more than two raters", {
  skip_if_not_installed("irr")
  # irr divides the pairs of a unit by m_u - 1 only when the data hold a
  # missing value; on complete data it divides by 1. A unit with a single
  # value adds no pair and cannot change alpha, yet it changes irr's value
  # to the correct one.
  set.seed(1)
  x <- matrix(sample(1:3, 30, TRUE), 3) # 3 raters x 10 units
  long <- data.frame(respondent = rep(1:3, 10), item = rep(1:10, each = 3),
                     rating = as.vector(x))
  x_plus <- cbind(x, c(1, NA, NA))
  for (m in c("nominal", "ordinal", "interval")) {
    ours <- agreement(long, "krippendorff", metric = m)$estimate
    expect_equal(ours, irr::kripp.alpha(x_plus, m)$value, tolerance = tol)
    expect_false(isTRUE(all.equal(ours, irr::kripp.alpha(x, m)$value)))
  }
  expect_equal(round(agreement(long, "krippendorff")$estimate, 5), 0.15292)
  expect_equal(round(irr::kripp.alpha(x, "nominal")$value, 5), 0.13832)
  # with two raters irr is right on complete data as well
  long2 <- long[long$respondent < 3, ]
  expect_equal(agreement(long2, "krippendorff", metric = "ordinal")$estimate,
               irr::kripp.alpha(x[1:2, ], "ordinal")$value, tolerance = tol)
})

test_that("AC1 counts every level of the scale, irrCAC only the levels seen", {
  skip_if_not_installed("irrCAC")
  set.seed(11)
  p <- ag_panel(5, 20, 3, 0.1) # levels 1..3 used, the scale has 5
  res <- agreement(p$long, "gwet_ac1", levels = 1:5)
  rated <- p$mat[rowSums(!is.na(p$mat)) > 0, ]
  ac <- ag_unround(irrCAC::gwet.ac1.raw)
  expect_equal(res$estimate, ac(rated, categ.labels = 1:5)$est$coeff.val, tolerance = tol)
  expect_false(isTRUE(all.equal(res$estimate, ac(rated)$est$coeff.val)))
  expect_equal(agreement(p$long, "gwet_ac1", levels = 1:3)$estimate,
               ac(rated)$est$coeff.val, tolerance = tol)
})

test_that("metrics use numeric labels as values and positions otherwise", {
  set.seed(5)
  p <- ag_panel(5, 25, 3, 0.2)
  lab <- p$long
  lab$rating <- c("low", "mid", "high")[lab$rating]
  num <- p$long
  num$rating <- c(0, 1, 5)[num$rating]
  by_pos <- agreement(p$long, "krippendorff", metric = "interval", levels = 1:3)
  by_label <- agreement(lab, "krippendorff", metric = "interval",
                        levels = c("low", "mid", "high"))
  expect_identical(by_label$estimate, by_pos$estimate)
  by_value <- agreement(num, "krippendorff", metric = "interval", levels = c(0, 1, 5))
  expect_equal(by_value$estimate,
               ag_ref(p$counts, values = c(0, 1, 5), metric = "interval")[["krippendorff"]],
               tolerance = tol)
  expect_false(isTRUE(all.equal(by_value$estimate, by_pos$estimate)))
  # the ordinal metric depends on the order only
  ord_value <- agreement(num, "krippendorff", metric = "ordinal", levels = c(0, 1, 5))
  ord_pos <- agreement(p$long, "krippendorff", metric = "ordinal", levels = 1:3)
  expect_identical(ord_value$estimate, ord_pos$estimate)
  skip_if_not_installed("irr")
  x <- t(matrix(num$rating, 25))
  expect_equal(by_value$estimate, irr::kripp.alpha(x, "interval")$value, tolerance = tol)
  expect_equal(ord_value$estimate, irr::kripp.alpha(x, "ordinal")$value, tolerance = tol)
})

# --- pure-R references ------------------------------------------------------------

test_that("percent agreement is the mean pairwise agreement over items with >= 2 ratings", {
  set.seed(9)
  for (rep in trials(10)) {
    K <- sample(2:5, 1)
    p <- ag_panel(sample(1:9, 1), sample(1:20, 1), K, 0.3)
    res <- agreement(p$long, "percent", levels = seq_len(K))
    # by enumerating the ordered pairs of raters of each item
    per_item <- apply(p$mat, 1, function(v) {
      v <- v[!is.na(v)]
      if (length(v) < 2) return(NA)
      pairs <- expand.grid(a = seq_along(v), b = seq_along(v))
      pairs <- pairs[pairs$a != pairs$b, ]
      mean(v[pairs$a] == v[pairs$b])
    })
    if (all(is.na(per_item))) {
      expect_true(is.na(res$estimate))
      expect_match(res$note, "two or more ratings")
    } else {
      expect_equal(res$estimate, mean(per_item, na.rm = TRUE), tolerance = 1e-14)
      expect_identical(res$items_used, sum(!is.na(per_item)))
    }
  }
})

test_that("the bootstrap equals a pure-R bootstrap with sample.int()", {
  set.seed(12)
  p <- ag_panel(6, 15, 4, 0.3)
  p$mat[3, ] <- NA # an unrated item is not resampled
  p$long$rating <- as.vector(p$mat)
  counts <- ag_counts(p$mat, 4)
  for (metric in c("nominal", "ordinal")) {
    set.seed(99)
    res <- agreement(p$long, levels = 1:4, metric = metric, B = 40)
    after <- runif(1)
    set.seed(99)
    ref <- ag_boot_ref(counts, 40, metric = metric)
    expect_identical(runif(1), after) # the same draws were consumed
    reps <- attr(res, "replicates")
    expect_identical(dim(reps), c(40L, 4L))
    expect_equal(unname(reps), ref, tolerance = 1e-12)
    for (j in 1:4) {
      q <- quantile(ref[, j], c(0.025, 0.975), type = 7, na.rm = TRUE, names = FALSE)
      expect_equal(c(res$conf_low[j], res$conf_high[j]), q, tolerance = 1e-12)
    }
    expect_true(all(res$interval == "bootstrap percentile"))
  }
  # listwise resamples the complete items only
  set.seed(3)
  res <- agreement(p$long, levels = 1:4, missing = "listwise", B = 25, conf_level = 0.9)
  set.seed(3)
  ref <- ag_boot_ref(counts, 25, listwise = TRUE, raters = 6)
  expect_equal(unname(attr(res, "replicates")), ref, tolerance = 1e-12)
  expect_equal(res$conf_low[1], quantile(ref[, 1], 0.05, type = 7, names = FALSE, na.rm = TRUE))
  # set.seed() reproduces; a subset of methods uses the same draws
  set.seed(4)
  a <- agreement(p$long, levels = 1:4, B = 20)
  set.seed(4)
  b <- agreement(p$long, c("krippendorff", "fleiss"), levels = 1:4, B = 20)
  expect_identical(attr(b, "replicates"), attr(a, "replicates")[, c("krippendorff", "fleiss")])
  expect_identical(b$method, c("krippendorff", "fleiss"))
})

test_that("undefined replicates are left out of the interval and counted", {
  # two items, each unanimous but in different levels: a resample of one
  # item twice has every rating in one level (kappa and alpha undefined)
  d <- data.frame(respondent = rep(1:3, 2), item = rep(c("a", "b"), each = 3),
                  rating = c(1, 1, 1, 2, 2, 2))
  set.seed(1)
  res <- agreement(d, levels = 1:2, B = 50)
  reps <- attr(res, "replicates")
  bad <- sum(is.na(reps[, "fleiss"]))
  expect_gt(bad, 0)
  expect_match(ag_est(res, "fleiss", "note"), sprintf("%d of 50 bootstrap replicates undefined", bad))
  expect_equal(ag_est(res, "fleiss"), 1)
  expect_equal(ag_est(res, "krippendorff"), 1)
})

# --- edge cases ---------------------------------------------------------------------

test_that("edge cases: one item, unanimity, single ratings, nothing rateable", {
  # one item rated by three raters
  one <- data.frame(respondent = 1:3, item = "a", rating = c(1, 1, 2))
  res <- agreement(one, levels = 1:2)
  expect_equal(ag_est(res, "percent"), 1 / 3) # pairs: 2 of 6 ordered pairs agree
  expect_equal(res$estimate, unname(ag_ref(matrix(c(2, 1), 2))), tolerance = 1e-14)
  expect_true(all(is.na(res$se)))
  expect_match(ag_est(res, "gwet_ac1", "note"), "one item")

  # every rater agrees, all in one level: kappa and alpha are 0/0, AC1 is 1
  same <- data.frame(respondent = rep(1:4, 3), item = rep(1:3, each = 4), rating = 2)
  res <- agreement(same, levels = 1:3)
  expect_equal(ag_est(res, "percent"), 1)
  expect_true(is.na(ag_est(res, "fleiss")))
  expect_match(ag_est(res, "fleiss", "note"), "chance agreement is 1")
  expect_equal(ag_est(res, "gwet_ac1"), 1)
  expect_true(is.na(ag_est(res, "krippendorff")))
  expect_match(ag_est(res, "krippendorff", "note"), "expected disagreement is 0")
  expect_output(print(res), "chance agreement is 1")

  # an item rated once is left out of percent and alpha, kept in pi_k
  set.seed(8)
  p <- ag_panel(4, 10, 3, 0)
  base <- agreement(p$long, levels = 1:3)
  extra <- rbind(p$long, data.frame(respondent = 1, item = "single", rating = 3))
  with_single <- agreement(extra, levels = 1:3)
  expect_identical(ag_est(with_single, "percent"), ag_est(base, "percent"))
  expect_equal(ag_est(with_single, "krippendorff"), ag_est(base, "krippendorff"), tolerance = 1e-14)
  expect_identical(ag_est(with_single, "percent", "items_used"), 10L)
  expect_identical(ag_est(with_single, "fleiss", "items_used"), 11L)
  if (requireNamespace("irrCAC", quietly = TRUE)) {
    mat <- rbind(p$mat, c(3, NA, NA, NA))
    ref <- ag_unround(irrCAC::fleiss.kappa.raw)(mat, categ.labels = 1:3)$est
    expect_equal(ag_est(with_single, "fleiss"), ref$coeff.val, tolerance = tol)
    expect_equal(ag_est(with_single, "fleiss", "se"), ref$coeff.se, tolerance = tol)
  }
  # listwise drops it (and every incomplete item)
  lw <- agreement(extra, levels = 1:3, missing = "listwise")
  expect_identical(lw$items_used, rep(10L, 4))

  # no item with two ratings: NA with the reason
  lone <- data.frame(respondent = 1:3, item = c("a", "b", "c"), rating = c(1, 2, 1))
  res <- agreement(lone, levels = 1:2)
  expect_true(all(is.na(res$estimate)))
  expect_true(all(res$note == "no item has two or more ratings"))

  # listwise with no complete item
  gappy <- data.frame(respondent = c(1, 2, 2, 3), item = c("a", "a", "b", "b"),
                      rating = c(1, 1, 2, 2))
  res <- agreement(gappy, levels = 1:2, missing = "listwise", B = 5)
  expect_true(all(is.na(res$estimate)))
  expect_match(res$note[1], "no item was rated by all 3 raters")
  expect_true(all(is.na(res$conf_low)))
})

test_that("counts input gives the same statistics", {
  set.seed(21)
  p <- ag_panel(5, 12, 4, 0.2)
  long <- agreement(p$long, levels = 1:4, metric = "ordinal")
  counts <- agreement(tally_ratings(p$long, levels = 1:4), metric = "ordinal")
  expect_equal(counts$estimate, long$estimate, tolerance = 1e-14)
  expect_equal(counts$se, long$se, tolerance = 1e-14)
  expect_identical(counts$raters, rep(as.integer(max(colSums(p$counts))), 4))
})

test_that("print and format", {
  set.seed(2)
  p <- ag_panel(4, 6, 3, 0.1)
  res <- agreement(p$long, levels = 1:3)
  expect_s3_class(res, c("consensr_agreement", "data.frame"))
  expect_named(res, c("method", "metric", "variant", "estimate", "se", "conf_low",
                      "conf_high", "interval", "items_used", "raters", "note"))
  expect_output(print(res), "<consensr_agreement> 6 items, 4 raters, missing ratings: per_item")
  expect_output(expect_invisible(print(res)))
  expect_type(format(res), "character")
})

# --- argument checks ------------------------------------------------------------------

test_that("bad arguments are errors that name the argument", {
  d <- data.frame(respondent = 1:2, item = "a", rating = c(1, 2))
  expect_error(agreement(d, "cohen"), "method")
  expect_error(agreement(d, metric = "ratio"), "metric")
  expect_error(agreement(d, missing = "pairwise"), "missing")
  expect_error(agreement(d, conf_level = 95), "conf_level")
  expect_error(agreement(d, B = -1), "B")
  expect_error(agreement(d, B = 2.5), "B")
  expect_error(agreement(d, B = "10"), "B")
  one_level <- data.frame(respondent = 1:2, item = "a", rating = c(1, 1))
  expect_error(agreement(one_level), "at least two levels")
})

test_that("ffi_agreement checks its arguments and never crashes", {
  f <- consensr:::ffi_agreement
  good <- list(counts = c(2L, 1L, 0L, 3L), n_level = 2L, raters = 3L,
               listwise = FALSE, metric = 0L, values = c(1, 2), B = 0L)
  call_with <- function(name, value) {
    a <- good
    a[name] <- list(value)
    do.call(.Call, c(list(f), unname(a)))
  }
  ok <- do.call(.Call, c(list(f), unname(good)))
  expect_named(ok, c("estimate", "replicates"))
  expect_equal(unname(ok$estimate[c("percent", "fleiss", "gwet_ac1", "krippendorff")]),
               unname(ag_ref(matrix(c(2, 1, 0, 3), 2))), tolerance = 1e-14)

  expect_error(call_with("counts", "a"), "counts")
  expect_error(call_with("counts", c(2, 1)), "counts")
  expect_error(call_with("counts", c(2L, NA)), "counts")
  expect_error(call_with("counts", c(2L, -1L)), "counts")
  expect_error(call_with("counts", 1:3), "counts")
  expect_error(call_with("counts", NULL), "counts")
  expect_error(call_with("n_level", 1L), "n_level")
  expect_error(call_with("n_level", 2), "n_level")
  expect_error(call_with("n_level", c(2L, 2L)), "n_level")
  expect_error(call_with("raters", -1L), "raters")
  expect_error(call_with("raters", "3"), "raters")
  expect_error(call_with("listwise", NA), "listwise")
  expect_error(call_with("listwise", 1L), "listwise")
  expect_error(call_with("metric", 3L), "metric")
  expect_error(call_with("metric", 0), "metric")
  expect_error(call_with("values", 1:2), "values")
  expect_error(call_with("values", 1), "values")
  expect_error(call_with("values", c(1, NA)), "values")
  expect_error(call_with("B", -1L), "B")
  expect_error(call_with("B", 1.5), "B")
  expect_error(call_with("B", NA_integer_), "B")

  # no items at all: NaN estimates, NaN replicates
  empty <- call_with("counts", integer(0))
  expect_true(all(is.nan(empty$estimate[c("percent", "fleiss", "gwet_ac1", "krippendorff")])))
  set.seed(1)
  a <- good
  a$counts <- integer(0)
  a$B <- 3L
  reps <- do.call(.Call, c(list(f), unname(a)))$replicates
  expect_identical(dim(reps), c(3L, 4L))
  expect_true(all(is.nan(reps)))
})
