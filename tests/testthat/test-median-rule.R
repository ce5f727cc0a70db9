# consensus_median(): quartile definitions, exact boundaries, oracles,
# combination with percentage rules, by and round.

one_item <- function(values, levels = sort(unique(values))) {
  data.frame(item = "x", level = levels, count = as.vector(table(factor(values, levels = levels))))
}

test_that("quartiles follow published worked examples of both definitions", {
  # Source: Wikipedia, "Quartile" (example 1): ordered sample 6, 7, 15, 36,
  # 39, 40, 41, 42, 43, 47, 49; with the (n + 1) p rule (SPSS, Minitab:
  # type 6): Q1 = 15, median = 40, Q3 = 43. Excel's QUARTILE.INC (type 7):
  # Q1 = 25.5, Q3 = 42.5.
  v <- c(6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49)
  d <- one_item(v)
  t6 <- consensus_median(d, median = 40, iqr = 28, type = 6, levels = v, quiet = TRUE)
  expect_identical(c(t6$q1, t6$median, t6$q3, t6$iqr), c(15, 40, 43, 28))
  expect_true(t6$reached)
  t7 <- consensus_median(d, median = 40, iqr = 28, type = 7, levels = v, quiet = TRUE)
  expect_identical(c(t7$q1, t7$q3), c(25.5, 42.5))
  # Source: a textbook exercise (studymode.com, "Problem 4"): 20 values, the
  # locator L_p = (n + 1) p / 100: L25 = 5.25, "Q1 = 7.69", L75 = 15.75,
  # "Q3 = 12.59", median "(9.45 + 9.61) / 2 = 9.53".
  w <- c(5.24, 6.02, 6.67, 7.3, 7.59, 7.99, 8.03, 8.35, 8.81, 9.45, 9.61, 10.37,
         10.39, 11.86, 12.22, 12.71, 13.07, 13.59, 13.89, 15.42)
  s6 <- consensus_median(one_item(w), median = 9, iqr = 5, type = 6, levels = w, quiet = TRUE)
  expect_identical(round(c(s6$q1, s6$median, s6$q3), 2), c(7.69, 9.53, 12.59))
})

test_that("the boundary is exact and the quantile type decides it", {
  # ratings 3, 4, 4, 5, 5 on 1-5: median 4; type 7: Q1 = 4, Q3 = 5, IQR = 1
  # (reaches "median >= 4 and IQR <= 1"); type 6: Q1 = 3.5, IQR = 1.5 (not)
  d <- one_item(c(3, 4, 4, 5, 5), levels = 1:5)
  t7 <- consensus_median(d, median = 4, iqr = 1, type = 7, levels = 1:5, quiet = TRUE)
  expect_identical(c(t7$median, t7$iqr), c(4, 1))
  expect_true(t7$reached)
  t6 <- consensus_median(d, median = 4, iqr = 1, type = 6, levels = 1:5, quiet = TRUE)
  expect_identical(t6$iqr, 1.5)
  expect_false(t6$reached)
  # median exactly at the bound, and just below it (3.5 of an even panel)
  e <- one_item(c(3, 4, 4, 4), levels = 1:5)
  expect_true(consensus_median(e, 4, 1, levels = 1:5, quiet = TRUE)$reached)
  f <- one_item(c(3, 3, 4, 4), levels = 1:5)
  expect_false(consensus_median(f, 4, 1, levels = 1:5, quiet = TRUE)$reached)
})

ref_median_rule <- function(codes, values, m, q, type, m_out = NULL) {
  apply(codes, 2L, function(col) {
    x <- values[col[!is.na(col)]]
    if (length(x) == 0L) return(c(NA, NA, NA, NA))
    qs <- stats::quantile(x, c(0.25, 0.75), type = type, names = FALSE)
    med <- stats::median(x)
    st <- if (med >= m && qs[2] - qs[1] <= q) "in" else
      if (!is.null(m_out) && med <= m_out && qs[2] - qs[1] <= q) "out" else "none"
    c(med, qs, st)
  })
}

test_that("consensus_median equals stats::quantile and a pure-R rule on random panels", {
  set.seed(31)
  for (rep in trials(40)) {
    K <- sample(c(5L, 7L, 9L), 1)
    nr <- sample(1:20, 1)
    codes <- matrix(sample.int(K, nr * 4, TRUE), nr, 4,
                    dimnames = list(paste0("r", seq_len(nr)), paste0("i", 1:4)))
    codes[stats::runif(length(codes)) < 0.2] <- NA
    codes[, 4] <- NA
    type <- sample(1:9, 1)
    m <- sample(2:K, 1)
    q <- sample(0:2, 1)
    res <- consensus_median(codes, median = m, iqr = q, opposite_median = m - 1,
                            type = type, levels = seq_len(K), quiet = TRUE)
    ref <- ref_median_rule(codes, seq_len(K), m, q, type, m - 1)
    rated <- colSums(!is.na(codes)) > 0
    expect_equal(res$median[rated], as.numeric(ref[1, rated]), tolerance = 1e-12)
    expect_equal(res$q1[rated], as.numeric(ref[2, rated]), tolerance = 1e-12)
    expect_equal(res$q3[rated], as.numeric(ref[3, rated]), tolerance = 1e-12)
    if (type <= 7) {   # quarter-point quantiles: the plain comparison is exact
      lab <- c(`in` = "consensus in", out = "consensus out", none = "no consensus")
      expect_identical(as.character(res$status), unname(lab[ref[4, ]]))
    }
    expect_true(all(is.na(res$status[!rated])))
  }
})

test_that("a percentage rule combines with the median rule (both must hold)", {
  set.seed(8)
  long <- expand.grid(respondent = 1:14, item = paste0("q", 1:6))
  long$rating <- sample(1:7, nrow(long), TRUE, prob = c(1, 1, 1, 1, 3, 4, 4))
  long$panel <- ifelse(long$respondent <= 7, "A", "B")
  med <- consensus_median(long, median = 5, iqr = 2, levels = 1:7, quiet = TRUE)
  pct <- consensus(long, target = 6:7, threshold = 0.5, levels = 1:7, quiet = TRUE)
  both <- consensus_median(long, median = 5, iqr = 2, target = 6:7, threshold = 0.5,
                           levels = 1:7, quiet = TRUE)
  expect_identical(both$reached, med$reached & pct$reached)
  expect_identical(both$count, pct$count)
  # within groups: in every group
  g <- consensus_median(long, median = 5, iqr = 2, target = 6:7, threshold = 0.5,
                        levels = 1:7, by = "panel", quiet = TRUE)
  grp <- attr(g, "groups")
  a <- consensus_median(long[long$panel == "A", ], median = 5, iqr = 2, target = 6:7,
                        threshold = 0.5, levels = 1:7, quiet = TRUE)
  expect_identical(grp$reached[grp$panel == "A"], a$reached)
  expect_identical(g$reached, tapply(grp$reached, grp$item, all)[as.character(g$item)],
                   ignore_attr = TRUE)
  # rounds
  long$round <- rep(1:2, length.out = nrow(long))
  rr <- consensus_median(long, median = 5, iqr = 2, levels = 1:7, round = "round", quiet = TRUE)
  r2 <- consensus_median(long[long$round == 2, ], median = 5, iqr = 2, levels = 1:7, quiet = TRUE)
  expect_identical(rr$reached[rr$round == 2], r2$reached)
  expect_identical(names(rr)[1:2], c("item", "round"))
})

test_that("text scales are valued by position; bounds can be labels", {
  lv <- c("disagree", "neutral", "agree", "strongly agree")
  d <- data.frame(item = "x", level = lv, count = c(0, 1, 3, 2))
  res <- consensus_median(d, median = "agree", iqr = 1, levels = lv, quiet = TRUE)
  expect_identical(res$median, 3)
  expect_true(res$reached)
})

test_that("consensus_median errors are clear", {
  d <- one_item(c(3, 4, 4, 5, 5), levels = 1:5)
  expect_snapshot(error = TRUE, consensus_median(d, 4, 1, type = 10, levels = 1:5, quiet = TRUE))
  expect_snapshot(error = TRUE, consensus_median(d, 4, 1, opposite_median = 4, levels = 1:5, quiet = TRUE))
  expect_snapshot(error = TRUE, consensus_median(d, "high", 1, levels = 1:5, quiet = TRUE))
  expect_snapshot(error = TRUE, consensus_median(d, 4, 1, target = 4:5, levels = 1:5, quiet = TRUE))
  expect_snapshot(error = TRUE, consensus_median(d, 4, 1, opposite_median = 2, target = 4:5,
                                                 threshold = 0.7, levels = 1:5, quiet = TRUE))
})
