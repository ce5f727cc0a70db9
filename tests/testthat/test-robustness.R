# Tests for consensus_robustness() (jackknife and bootstrap), its C routines
# ffi_jackknife / ffi_bootstrap, and plot_robustness().  The references are
# pure-R loops that re-run consensus() on every resampled panel.

# --- random panels -------------------------------------------------------------

# Wide ratings: `n` respondents (id "P01"...), `m` items on levels 1..K with
# missing values, an all-missing item, and a group column `grp` (groups of at
# least `min_group` members when `G` > 1).
rob_random_wide <- function(n, m, K = 3, p_na = 0.15, G = 1, min_group = 1,
                            all_missing = TRUE) {
  codes <- matrix(sample.int(K, n * m, replace = TRUE), n, m)
  codes[matrix(stats::runif(n * m) < p_na, n, m)] <- NA
  if (all_missing && m > 1) codes[, m] <- NA
  df <- data.frame(id = sprintf("P%02d", seq_len(n)), stringsAsFactors = FALSE)
  if (G > 1) {
    base <- rep(seq_len(G), each = min_group)
    grp <- c(base, sample.int(G, n - length(base), replace = TRUE))
    df$grp <- paste0("g", sample(grp))
  }
  for (j in seq_len(m)) df[[paste0("Q", j)]] <- codes[, j]
  df
}

rob_items <- function(df) grep("^Q", names(df), value = TRUE)

# consensus() of a wide panel (rows may repeat: no id column is used).
rob_consensus <- function(df, by, ...) {
  cols <- c(if (!is.null(by)) by, rob_items(df))
  consensus(df[, cols, drop = FALSE], items = rob_items(df), by = by, ...)
}

# Jackknife reference: respondent i's ratings set to NA (the same panel as
# removing i, with i's group kept).
rob_ref_jackknife <- function(df, by, ...) {
  full <- rob_consensus(df, by, ...)
  items <- rob_items(df)
  rows <- lapply(seq_len(nrow(df)), function(i) {
    d <- df
    d[i, items] <- NA
    res <- rob_consensus(d, by, ...)
    data.frame(respondent = df$id[i], item = res$item, count = res$count,
               n = res$n, prop = res$prop, status = res$status,
               reached = res$reached, stringsAsFactors = FALSE)
  })
  long <- do.call(rbind, rows)
  long <- long[order(match(long$item, items), match(long$respondent, df$id)), ]
  rownames(long) <- NULL
  observed <- full$reached[match(long$item, full$item)]
  long$flip <- !mapply(identical, long$reached, observed, USE.NAMES = FALSE)
  list(full = full, long = long)
}

# Bootstrap reference: the same random numbers as the C loop.
rob_ref_bootstrap <- function(df, by, B, seed, conf_level = 0.95, ...) {
  set.seed(seed)
  items <- rob_items(df)
  n <- nrow(df)
  prop <- matrix(NA_real_, length(items), B)
  status <- matrix(NA_character_, length(items), B)
  reached <- matrix(NA, length(items), B)
  for (b in seq_len(B)) {
    if (is.null(by)) {
      idx <- sample.int(n, n, replace = TRUE)
    } else {
      g <- factor(df[[by]])
      idx <- unlist(lapply(levels(g), function(l) {
        mem <- which(g == l)
        mem[sample.int(length(mem), length(mem), replace = TRUE)]
      }))
    }
    res <- rob_consensus(df[idx, , drop = FALSE], by, ...)
    prop[, b] <- res$prop
    status[, b] <- as.character(res$status)
    reached[, b] <- res$reached
  }
  alpha <- (1 - conf_level) / 2
  q <- apply(prop, 1, stats::quantile, probs = c(alpha, 1 - alpha), type = 7,
             na.rm = TRUE, names = FALSE)
  mean_prop <- rowMeans(prop, na.rm = TRUE)
  mean_prop[is.nan(mean_prop)] <- NA
  list(prop = prop,
       p_reached = rowSums(matrix(reached %in% TRUE, nrow(reached))) / B,
       p_out = rowSums(matrix(status %in% "consensus out", nrow(status))) / B,
       p_undecided = rowSums(is.na(status)) / B,
       mean_prop = mean_prop, low = q[1, ], high = q[2, ])
}

rules <- list(
  one_sided = list(target = 3, threshold = 0.5),
  two_sided = list(target = 3, threshold = 0.5, opposite = 1,
                   opposite_threshold = 0.25),
  strict = list(target = 2:3, threshold = 2 / 3, strict = TRUE)
)

rob_run <- function(df, by, rule, ...) {
  args <- c(list(x = df, respondent = "id", items = rob_items(df), by = by,
                 levels = 1:3, detail = TRUE), rule, list(...))
  do.call(consensus_robustness, args)
}

rob_ref_args <- function(rule) c(rule, list(levels = 1:3))

rob_plain_df <- function(x) {
  x <- as.data.frame(x)
  attributes(x) <- attributes(x)[c("names", "row.names")]
  class(x) <- "data.frame"
  x
}

consensus_robustness_tally <- function() {
  tally_ratings(data.frame(respondent = 1:3, item = "Q", rating = c("yes", "no", "yes")),
                levels = c("yes", "no"))
}

# --- jackknife -------------------------------------------------------------------

test_that("the jackknife equals consensus() on every leave-one-out panel", {
  set.seed(101)
  for (case in 1:6) {
    G <- if (case %% 2 == 0) 3 else 1
    df <- rob_random_wide(n = sample(8:20, 1), m = 6, G = G)
    by <- if (G > 1) "grp" else NULL
    for (rule in rules) {
      jk <- rob_run(df, by, rule)
      ref <- do.call(rob_ref_jackknife, c(list(df = df, by = by), rob_ref_args(rule)))
      long <- attr(jk, "jackknife")
      expect_identical(long$respondent, ref$long$respondent)
      expect_identical(long$item, ref$long$item)
      expect_identical(long$count, ref$long$count)
      expect_identical(long$n, ref$long$n)
      expect_identical(long$prop, ref$long$prop)
      expect_identical(long$status, ref$long$status)
      expect_identical(long$reached, ref$long$reached)
      expect_identical(long$flip, ref$long$flip)
      # per item summaries
      m <- nrow(jk)
      n_flips <- vapply(jk$item, function(it) sum(ref$long$flip[ref$long$item == it]), integer(1))
      expect_identical(jk$n_flips, unname(n_flips))
      flippers <- lapply(jk$item, function(it) {
        ref$long$respondent[ref$long$item == it & ref$long$flip]
      })
      expect_identical(jk$flippers, vapply(flippers, paste, "", collapse = ", "))
      rng <- function(it, f) {
        p <- ref$long$prop[ref$long$item == it]
        p <- p[!is.na(p)]
        if (length(p)) f(p) else NA_real_
      }
      expect_identical(jk$min_prop, vapply(jk$item, rng, numeric(1), f = min, USE.NAMES = FALSE))
      expect_identical(jk$max_prop, vapply(jk$item, rng, numeric(1), f = max, USE.NAMES = FALSE))
      # observed columns are those of consensus()
      cols <- setdiff(names(ref$full), character())
      expect_identical(rob_plain_df(jk)[cols], rob_plain_df(ref$full)[cols])
    }
  }
})

test_that("removing a row gives the same panels as setting it to missing", {
  set.seed(102)
  df <- rob_random_wide(n = 15, m = 5, G = 2, min_group = 4)
  jk <- rob_run(df, "grp", rules$two_sided)
  long <- attr(jk, "jackknife")
  for (i in seq_len(nrow(df))) {
    res <- do.call(rob_consensus, c(list(df = df[-i, ], by = "grp"),
                                    rob_ref_args(rules$two_sided)))
    rows <- long[long$respondent == df$id[i], ]
    expect_identical(rows$status, res$status)
    expect_identical(rows$count, res$count)
    expect_identical(rows$n, res$n)
  }
})

test_that("jackknife edge cases: one respondent, an emptied group, all missing", {
  one <- data.frame(id = "A", Q1 = 3, Q2 = NA, Q3 = 1)
  jk <- consensus_robustness(one, 3, threshold = 0.75, respondent = "id", levels = 1:3,
          detail = TRUE)
  expect_identical(jk$reached, c(TRUE, NA, FALSE))
  # removing the only rater leaves the item undecided: a flip
  expect_identical(jk$n_flips, c(1L, 0L, 1L))
  expect_identical(jk$flippers, c("A", "", "A"))
  # the only leave-one-out panel is empty
  expect_identical(jk$min_prop, c(NA_real_, NA_real_, NA_real_))
  long <- attr(jk, "jackknife")
  expect_identical(long$n, c(0L, 0L, 0L))
  expect_identical(long$reached, c(NA, NA, NA))

  # the only member of group b: removing them makes every item undecided
  df <- data.frame(id = c("A", "B", "C"), grp = c("a", "a", "b"),
                   Q1 = c(3, 3, 3), Q2 = c(1, 3, 3))
  jk <- consensus_robustness(df, 3, threshold = 0.5, respondent = "id",
                             by = "grp", levels = 1:3, detail = TRUE)
  long <- attr(jk, "jackknife")
  expect_identical(long$reached[long$respondent == "C"], c(NA, NA))
  # Q2: group a 1 of 2 and group b 1 of 1 reach 50%; without B group a has
  # 0 of 1, without C group b is empty
  expect_identical(jk$flippers, c("C", "B, C"))
})

test_that("the jackknife is the same from long data", {
  set.seed(103)
  df <- rob_random_wide(n = 12, m = 4, G = 2)
  long <- stats::reshape(df, direction = "long", varying = rob_items(df),
                         v.names = "rating", timevar = "item",
                         times = rob_items(df), idvar = "id")
  names(long)[names(long) == "id"] <- "respondent"
  a <- consensus_robustness(long, 3, threshold = 0.5, by = "grp", levels = 1:3)
  b <- rob_run(df, "grp", list(target = 3, threshold = 0.5))
  expect_identical(a$n_flips, b$n_flips)
  expect_identical(a$flippers, b$flippers)
})

# --- bootstrap -------------------------------------------------------------------

test_that("the bootstrap equals consensus() on the same resampled panels", {
  set.seed(201)
  for (case in 1:4) {
    G <- if (case %% 2 == 0) 3 else 1
    df <- rob_random_wide(n = sample(5:15, 1), m = 5, G = G)
    by <- if (G > 1) "grp" else NULL
    for (rule in rules) {
      seed <- sample.int(1e6, 1)
      set.seed(seed)
      bs <- rob_run(df, by, rule, method = "bootstrap", B = 20, conf_level = 0.9,
                    progress = FALSE)
      after <- .Random.seed
      ref <- do.call(rob_ref_bootstrap,
                     c(list(df = df, by = by, B = 20, seed = seed, conf_level = 0.9),
                       rob_ref_args(rule)))
      expect_identical(.Random.seed, after)
      expect_identical(unname(attr(bs, "bootstrap")), ref$prop)
      expect_identical(rownames(attr(bs, "bootstrap")), bs$item)
      expect_identical(bs$p_reached, ref$p_reached)
      expect_identical(bs$p_undecided, ref$p_undecided)
      if (!is.null(rule$opposite)) {
        expect_identical(bs$p_out, ref$p_out)
      } else {
        expect_null(bs$p_out)
      }
      expect_identical(bs$mean_prop, ref$mean_prop)
      expect_identical(bs$prop_low, ref$low)
      expect_identical(bs$prop_high, ref$high)
    }
  }
})

test_that("the bootstrap is reproducible and does not depend on chunking", {
  set.seed(202)
  df <- rob_random_wide(n = 30, m = 8, G = 3)
  r <- as_ratings(df, respondent = "id", items = rob_items(df), by = "grp",
                  levels = 1:3)
  rule <- consensr:::new_rule(r$levels, 3, 0.4, 1, 0.3, FALSE, "grp",
                              rlang::current_env())
  panel <- consensr:::rob_panel(r, rule)
  run <- function(chunks) {
    set.seed(7)
    res <- consensr:::rob_resample(panel, rule, 53, chunks = chunks)
    res$seed <- .Random.seed
    res
  }
  one <- run(1)
  expect_identical(run(7), one)
  expect_identical(run(53), one)
  expect_identical(run(50), one)
  expect_identical(dim(one$prop), c(8L, 53L))
  expect_identical(sum(one$status), 8L * 53L)

  set.seed(9)
  a <- consensus_robustness(r, 3, threshold = 0.4, by = "grp", method = "bootstrap",
                            B = 100, progress = FALSE)
  set.seed(9)
  b <- suppressMessages(
    consensus_robustness(r, 3, threshold = 0.4, by = "grp", method = "bootstrap",
                         B = 100, progress = TRUE)
  )
  expect_identical(a, b)
})

test_that("chunk sizes cover B", {
  for (B in c(1L, 2L, 49L, 50L, 51L, 2000L, 12345L)) {
    s <- consensr:::rob_chunks(B, 50L)
    expect_identical(sum(s), B)
    expect_true(all(s >= 1L))
    expect_lte(length(s), 50L)
  }
})

test_that("bootstrap edge cases: one respondent, all-missing items", {
  one <- data.frame(id = "A", Q1 = 3, Q2 = NA, Q3 = 1)
  set.seed(1)
  bs <- consensus_robustness(one, 3, threshold = 0.75, method = "bootstrap", B = 5,
          progress = FALSE, respondent = "id", levels = 1:3)
  expect_identical(bs$p_reached, c(1, 0, 0))
  expect_identical(bs$p_undecided, c(0, 1, 0))
  expect_identical(bs$mean_prop, c(1, NA, 0))
  expect_identical(bs$prop_low, c(1, NA, 0))
  expect_identical(unname(attr(bs, "bootstrap")[2, ]), rep(NA_real_, 5))
})

test_that("the ATMP reconstruction: observed columns equal consensus()", {
  lv <- c("Fundamental", "Ancillary", "Less Important")
  set.seed(3)
  bs <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, method = "bootstrap",
          B = 30, progress = FALSE, levels = lv)
  obs <- consensus(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv)
  expect_identical(rob_plain_df(bs)[names(obs)], rob_plain_df(obs))
  expect_s3_class(bs, "consensr_robustness")
  expect_identical(attr(bs, "B"), 30L)
  expect_identical(dim(attr(bs, "bootstrap")), c(33L, 30L))
  out <- capture.output(print(bs))
  expect_match(out[1], "^Bootstrap \\(B = 30\\): [0-9]+ of [0-9]+ items reaching consensus do so in >= 90% of resampled panels")
  jk <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv)
  out <- capture.output(print(jk))
  expect_match(out[1], "^Jackknife \\(25 leave-one-out panels\\)")
  expect_null(attr(jk, "jackknife"))
  jk_detail <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv,
                 detail = TRUE)
  expect_identical(nrow(attr(jk_detail, "jackknife")), 25L * 33L)
  expect_identical(jk_detail$flippers, jk$flippers)
  expect_identical(jk_detail$min_prop, jk$min_prop)
})

# --- errors ------------------------------------------------------------------------

test_that("bad input gives errors naming the argument", {
  df <- data.frame(id = 1:4, grp = c("a", NA, "b", "b"), Q1 = c(1, 2, 3, 3))
  ok <- df[, c("id", "Q1")]
  run <- function(..., progress = FALSE) {
    consensus_robustness(ok, 3, 0.75, respondent = "id", levels = 1:3,
                         method = "bootstrap", progress = progress, ...)
  }
  expect_error(run(B = 0), "`B`")
  expect_error(run(B = -5), "`B`")
  expect_error(run(B = 10.5), "`B`")
  expect_error(run(B = NA), "`B`")
  expect_error(run(B = "100"), "`B`")
  expect_error(run(B = 1:2), "`B`")
  expect_error(run(conf_level = 1.5), "`conf_level`")
  expect_error(run(conf_level = 0), "`conf_level`")
  expect_error(run(conf_level = 1), "`conf_level`")
  expect_error(run(conf_level = 95), "`conf_level`")
  expect_error(run(progress = "yes"), "`progress`")
  expect_error(consensus_robustness(ok, 3, threshold = 0.75, method = "boot", respondent = "id",
                 levels = 1:3), "`method`")
  expect_error(consensus_robustness(df, 3, threshold = 0.75, by = "grp", respondent = "id",
                 levels = 1:3), "`by`")
  counts <- data.frame(item = "Q", level = c("yes", "no"), count = c(18, 6))
  expect_error(consensus_robustness(counts, "yes", threshold = 0.75), "respondent-level")
  expect_error(consensus_robustness(consensus_robustness_tally(), "yes", threshold = 0.75),
               "respondent-level")
  # a 1-9 rule on a 3-level scale: new_rule's unknown-level error
  expect_error(consensus_robustness(ok, 7:9, threshold = 0.75, respondent = "id", levels = 1:3),
               "`target`")
  expect_error(consensus_robustness(ok, 3, threshold = 75, respondent = "id",
                                    levels = 1:3), "`threshold`")
})

test_that("the C routines reject wrong arguments without crashing", {
  jk <- consensr:::ffi_jackknife
  bs <- consensr:::ffi_bootstrap
  cls <- as.raw(c(0, 1, 2, 3, 2, 2))
  fr <- c(1, 2)
  expect_identical(dim(.Call(jk, cls, 3L, NULL, 1L, fr, NULL, FALSE)), c(3L, 2L))
  expect_error(.Call(jk, c(0L, 1L, 2L), 3L, NULL, 1L, fr, NULL, FALSE), "raw")
  expect_error(.Call(jk, cls, 3, NULL, 1L, fr, NULL, FALSE), "n_resp")
  expect_error(.Call(jk, cls, 0L, NULL, 1L, fr, NULL, FALSE), "n_resp")
  expect_error(.Call(jk, cls, 4L, NULL, 1L, fr, NULL, FALSE), "multiple")
  expect_error(.Call(jk, as.raw(c(0, 4, 1)), 3L, NULL, 1L, fr, NULL, FALSE), "0..3")
  expect_error(.Call(jk, cls, 3L, NULL, 2L, fr, NULL, FALSE), "n_group")
  expect_error(.Call(jk, cls, 3L, 1:2, 2L, fr, NULL, FALSE), "group")
  expect_error(.Call(jk, cls, 3L, c(1L, 2L, 3L), 2L, fr, NULL, FALSE), "group")
  expect_error(.Call(jk, cls, 3L, c(1, 2, 2), 2L, fr, NULL, FALSE), "group")
  expect_error(.Call(jk, cls, 3L, c(1L, NA, 2L), 2L, fr, NULL, FALSE), "group")
  expect_error(.Call(jk, cls, 3L, NULL, 1L, 0.5, NULL, FALSE), "threshold")
  expect_error(.Call(jk, cls, 3L, NULL, 1L, c(3, 2), NULL, FALSE), "threshold")
  expect_error(.Call(jk, cls, 3L, NULL, 1L, fr, "a", FALSE), "opposite_threshold")
  expect_error(.Call(jk, cls, 3L, NULL, 1L, fr, NULL, NA), "strict")
  expect_error(.Call(jk, cls, 3L, NULL, 1L, fr, NULL, 1L), "strict")

  res <- .Call(bs, cls, 3L, NULL, 1L, 4L, fr, NULL, FALSE)
  expect_identical(dim(res$prop), c(2L, 4L))
  expect_identical(dim(res$status), c(2L, 5L))
  expect_identical(.Call(bs, cls, 3L, NULL, 1L, 0L, fr, NULL, FALSE)$status,
                   matrix(0L, 2L, 5L))
  expect_error(.Call(bs, cls, 3L, NULL, 1L, -1L, fr, NULL, FALSE), "n_rep")
  expect_error(.Call(bs, cls, 3L, NULL, 1L, 4, fr, NULL, FALSE), "n_rep")
  expect_error(.Call(bs, cls, 3L, NULL, 1L, NA_integer_, fr, NULL, FALSE), "n_rep")
  expect_error(.Call(bs, "a", 3L, NULL, 1L, 4L, fr, NULL, FALSE), "raw")
  expect_error(.Call(bs, cls, 3L, list(1, 2, 3), 1L, 4L, fr, NULL, FALSE), "group")
  expect_error(.Call(bs, cls, 3L, NULL, 0L, 4L, fr, NULL, FALSE), "n_group")
  expect_error(.Call(bs, cls, 3L, NULL, 1L, 4L, NULL, NULL, FALSE), "threshold")
  expect_error(.Call(bs, cls, 3L, NULL, 1L, 4L, fr, c(1, 0), FALSE), "opposite_threshold")
})

# --- plots ------------------------------------------------------------------------

test_that("plot_robustness_data() holds the plotted values", {
  lv <- c("Fundamental", "Ancillary", "Less Important")
  set.seed(4)
  bs <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, method = "bootstrap",
          B = 40, progress = FALSE, levels = lv)
  d <- plot_robustness_data(bs)
  expect_identical(as.character(d$item), bs$item)
  expect_identical(d$prop, bs$prop)
  expect_identical(d$low, bs$prop_low)
  expect_identical(d$high, bs$prop_high)
  expect_identical(d$p_reached, bs$p_reached)
  expect_identical(d$area, bs$area)
  expect_identical(attr(d, "threshold"), 0.75)
  # ordered by the observed share within area
  lev <- levels(d$item)
  for (a in unique(d$area)) {
    its <- lev[lev %in% d$item[d$area == a]]
    expect_false(is.unsorted(bs$prop[match(its, bs$item)]))
  }
  share <- plot_robustness_data(bs, what = "share", area = "area")
  lev <- levels(share$item)
  for (a in unique(share$area)) {
    its <- lev[lev %in% share$item[share$area == a]]
    expect_false(is.unsorted(bs$p_reached[match(its, bs$item)]))
  }

  jk <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv)
  dj <- plot_robustness_data(jk)
  expect_identical(dj$low, jk$min_prop)
  expect_identical(dj$high, jk$max_prop)
  expect_identical(dj$n_flips, jk$n_flips)
  expect_error(plot_robustness_data(jk, what = "share"), "bootstrap")
  expect_error(plot_robustness_data(jk, area = "nope"), "`area`")
  expect_error(plot_robustness_data(consensus(atmp_published, "Fundamental", threshold = 0.75)), "`x`")

  skip_if_not_installed("ggplot2")
  for (p in list(plot_robustness(bs), plot_robustness(bs, what = "share"),
                 plot_robustness(jk), ggplot2::autoplot(jk))) {
    expect_s3_class(p, "ggplot")
    expect_no_error(ggplot2::ggplot_build(p))
  }
  nometa <- data.frame(id = 1:5, Q1 = c(1, 1, 1, 2, 3), Q2 = c(1, 2, 2, 2, NA))
  p <- plot_robustness(consensus_robustness(nometa, 1, threshold = 0.5,
                                            respondent = "id", levels = 1:3))
  expect_no_error(ggplot2::ggplot_build(p))
})

test_that("the percentile intervals in C equal stats::quantile(type = 7)", {
  set.seed(12)
  for (trial in trials(100)) {
    m <- sample(0:6, 1)
    B <- sample(c(1:5, 200), 1)
    x <- matrix(sample(c(0:10 / 10, NA), m * B, TRUE), m, B)
    if (m > 1) x[1, ] <- NA
    probs <- c(runif(2), 0, 1, 0.5)
    ref <- vapply(seq_len(m), function(j) {
      stats::quantile(x[j, ], probs, type = 7, na.rm = TRUE, names = FALSE)
    }, numeric(length(probs)))
    expect_identical(.Call(consensr:::ffi_row_quantiles, x, probs),
                     matrix(ref, nrow = length(probs)))
  }
  expect_error(.Call(consensr:::ffi_row_quantiles, 1:3, 0.5), "double matrix")
  expect_error(.Call(consensr:::ffi_row_quantiles, matrix(0.5), 2), "probs")
})
