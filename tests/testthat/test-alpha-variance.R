# Gwet's analytic standard error of Krippendorff's alpha in agreement()
# (R/alpha-variance.R, src/alpha_variance.c): irrCAC's unrounded values, a
# pure-R oracle from Gwet's formulas, and the undefined cases.

# irrCAC rounds the coefficient and its standard error to 5 decimals: the
# same function with the rounding removed gives the full-precision values.
unround <- function(f) {
  txt <- paste(deparse(body(f), width.cutoff = 500L), collapse = "\n")
  txt <- gsub("round\\(([A-Za-z0-9._]+), [35]\\)", "\\1", txt)
  body(f) <- parse(text = txt)[[1L]]
  f
}

# Gwet (2014), eqs. for alpha in his framework, from a K x m count table
ref_alpha_se <- function(counts, w) {
  r <- colSums(counts)
  counts <- counts[, r >= 2, drop = FALSE]
  r <- r[r >= 2]
  n <- length(r)
  if (n < 2) return(NA_real_)
  rbar <- mean(r)
  cw <- w %*% counts                       # (W n_i)_k
  sq <- colSums(counts * (cw - 1))
  pap <- mean(sq / (rbar * (r - 1)))
  pi <- rowMeans(counts / rbar)
  pe <- sum(w * outer(pi, pi))
  a1 <- (pap - pe) / (1 - pe)
  pai <- sq / (rbar * (r - 1)) - pap * (r - rbar) / rbar
  piw <- (w %*% pi + t(w) %*% pi) / 2
  pei <- colSums(counts * as.vector(piw)) / rbar - pe * (r - rbar) / rbar
  kx <- (pai - pe) / (1 - pe) - 2 * (1 - a1) * (pei - pe) / (1 - pe)
  sqrt(sum((kx - a1)^2) / (n * (n - 1)))
}

panel <- function(n_resp, n_item, K, p_na) {
  mat <- matrix(sample.int(K, n_resp * n_item, TRUE), n_item, n_resp)
  mat[matrix(stats::runif(n_resp * n_item) < p_na, n_item, n_resp)] <- NA
  mat <- mat[rowSums(!is.na(mat)) > 0, , drop = FALSE]
  long <- data.frame(respondent = rep(seq_len(n_resp), each = nrow(mat)),
                     item = rep(sprintf("i%03d", seq_len(nrow(mat))), n_resp),
                     rating = as.vector(mat))
  list(mat = mat, long = long,
       counts = vapply(seq_len(nrow(mat)), function(j) tabulate(mat[j, ], K), numeric(K)))
}

test_that("alpha's se and t interval equal irrCAC's unrounded values in three metrics", {
  skip_if_not_installed("irrCAC")
  ka <- unround(irrCAC::krippen.alpha.raw)
  set.seed(71)
  for (rep in trials(15)) {
    K <- sample(2:6, 1)
    p <- panel(sample(2:10, 1), sample(4:30, 1), K, c(0, 0.2, 0.4)[rep %% 3 + 1])
    if (sum(colSums(p$counts) >= 2) < 2) next
    for (m in c("nominal", "interval", "ordinal")) {
      res <- agreement(p$long, "krippendorff", metric = m, levels = seq_len(K), quiet = TRUE)
      if (is.na(res$estimate)) next
      w <- switch(m, nominal = "unweighted", interval = "quadratic",
                  ordinal = alpha_weights(p$counts, "ordinal", seq_len(K)))
      ref <- ka(p$mat, weights = w, categ.labels = seq_len(K))$est
      expect_equal(res$estimate, ref$coeff.val, tolerance = 1e-13)
      expect_equal(res$se, ref$coeff.se, tolerance = 1e-13)
      ci <- as.numeric(strsplit(gsub("[()]", "", ref$conf.int), ",")[[1]])
      expect_equal(c(res$conf_low, res$conf_high), ci, tolerance = 1e-13)
      expect_identical(res$interval, "t")
    }
  }
})

test_that("the kernel equals a pure-R oracle of Gwet's formulas", {
  set.seed(72)
  for (rep in trials(30)) {
    K <- sample(2:7, 1)
    p <- panel(sample(1:9, 1), sample(1:25, 1), K, 0.3)
    for (m in c("nominal", "interval", "ordinal")) {
      w <- alpha_weights(p$counts, m, seq_len(K))
      if (anyNA(w)) next
      got <- .Call(consensr:::ffi_alpha_se, matrix(as.integer(p$counts), K), w)[1]
      want <- ref_alpha_se(matrix(p$counts, K), w)
      if (is.na(want)) expect_true(is.na(got)) else expect_equal(got, want, tolerance = 1e-12)
    }
  }
})

test_that("alpha's se is NA with fewer than two pairable items or equal values", {
  one <- data.frame(respondent = 1:3, item = "a", rating = c(1, 2, 2))
  res <- agreement(one, "krippendorff", levels = 1:3, quiet = TRUE)
  expect_true(is.na(res$se))
  same <- data.frame(respondent = rep(1:3, 2), item = rep(c("a", "b"), each = 3), rating = 2)
  res <- agreement(same, "krippendorff", levels = 1:3, quiet = TRUE)
  expect_true(is.na(res$estimate) && is.na(res$se) && is.na(res$conf_low))
  expect_identical(alpha_se(matrix(0L, 3, 0), 3L, "nominal", 1:3, FALSE, 0L), NA_real_)
  # with the bootstrap, the interval is the bootstrap's and se stays analytic
  set.seed(3)
  p <- panel(6, 20, 4, 0.1)
  b <- agreement(p$long, "krippendorff", levels = 1:4, B = 50, quiet = TRUE)
  a <- agreement(p$long, "krippendorff", levels = 1:4, quiet = TRUE)
  expect_identical(b$se, a$se)
  expect_identical(b$interval, "bootstrap percentile")
})
