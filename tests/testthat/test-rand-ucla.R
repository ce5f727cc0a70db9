# Tests for rand_ucla(). The worked examples are computed by hand in the
# comments with R's quantile type 7 (Excel's PERCENTILE): for sorted ratings
# x_1 <= ... <= x_n, P_p = x_j + g (x_{j+1} - x_j) with h = (n - 1) p + 1,
# j = floor(h), g = h - j.

# long data of one or more items from a named list of rating vectors
ram_long <- function(...) {
  items <- list(...)
  data.frame(
    respondent = unlist(lapply(items, seq_along)),
    item = rep(names(items), lengths(items)),
    rating = unlist(items, use.names = FALSE)
  )
}

# pure-R oracle: quantile type 7 by hand, median by sorting
oracle_ram <- function(v, lower = 0.3, upper = 0.7, asymmetry = 1.5,
                       ipr_constant = 2.35) {
  v <- sort(v[!is.na(v)])
  n <- length(v)
  q7 <- function(p) {
    h <- (n - 1) * p + 1
    j <- floor(h)
    v[j] + (h - j) * (v[min(j + 1, n)] - v[j])
  }
  med <- if (n %% 2 == 1) v[(n + 1) / 2] else (v[n / 2] + v[n / 2 + 1]) / 2
  pl <- q7(lower)
  pu <- q7(upper)
  ipr <- pu - pl
  ipras <- ipr_constant + asymmetry * abs(5 - (pl + pu) / 2)
  dis <- ipr - ipras > 1e-9
  cls <- if (dis) "uncertain" else if (med >= 7) "appropriate" else if (med <= 3) "inappropriate" else "uncertain"
  list(n = n, median = med, p_lower = pl, p_upper = pu, ipr = ipr,
       iprcp = (pl + pu) / 2, ipras = ipras, disagreement = dis,
       classification = cls)
}

test_that("the BMJ Open 2012 worked example (Table 1) is reproduced with 2.35", {
  # 15 panellists: 5 x 7, 5 x 8, 2 x 9 and one each at 4, 5, 6 (the stored
  # table lost its column alignment; any placement of the three ratings
  # below 7 gives the same numbers, see below).
  # sorted: 4 5 6 7 7 7 7 7 8 8 8 8 8 9 9
  # median = x_8 = 7
  # P30: h = 14 * 0.3 + 1 = 5.2 -> x_5 + 0.2 (x_6 - x_5) = 7
  # P70: h = 14 * 0.7 + 1 = 10.8 -> x_10 + 0.8 (x_11 - x_10) = 8
  # IPR = 1, IPRCP = 7.5, AI = 2.5, IPRAS = 2.35 + 1.5 * 2.5 = 6.1
  # (with the printed constant 2.5 it would be 6.25, not the 6.1 printed)
  bmj <- data.frame(item = "criterion 1", level = 4:9, count = c(1, 1, 1, 5, 5, 2))
  res <- rand_ucla(bmj, levels = 1:9)
  expect_s3_class(res, "consensr_rand_ucla")
  expect_identical(res$n, 15L)
  expect_equal(res$median, 7)
  expect_equal(res$p_lower, 7)
  expect_equal(res$p_upper, 8)
  expect_equal(res$ipr, 1)
  expect_equal(res$iprcp, 7.5)
  expect_equal(res$asymmetry_index, 2.5)
  expect_equal(res$ipras, 6.1)
  expect_false(res$disagreement)
  expect_identical(as.character(res$classification), "appropriate")
  expect_identical(as.character(res$tertile), "7-9")

  # the same under every quantile type and another placement of the three
  other <- data.frame(item = "criterion 1", level = c(1, 2, 3, 7, 8, 9),
                      count = c(1, 1, 1, 5, 5, 2))
  for (type in 1:9) {
    for (d in list(bmj, other)) {
      r <- rand_ucla(d, levels = 1:9, type = type)
      expect_equal(c(r$median, r$p_lower, r$p_upper, r$ipras), c(7, 7, 8, 6.1))
    }
  }
})

test_that("hand-worked examples, symmetric and asymmetric", {
  x <- ram_long(
    # sorted 1 1 1 2 2 8 8 9 9 9 (n = 10): median (x_5 + x_6) / 2 = 5
    # P30: h = 3.7 -> 1 + 0.7 * (2 - 1) = 1.7; P70: h = 7.3 -> 8 + 0.3 * 1 = 8.3
    # IPR 6.6, IPRCP 5, AI 0, IPRAS 2.35: disagreement -> uncertain
    sym = c(9, 1, 8, 2, 9, 1, 8, 2, 9, 1),
    # sorted 1 1 1 1 2 4 5 5 9 9: median (2 + 4) / 2 = 3
    # P30: h = 3.7 -> 1 + 0.7 * 0 = 1; P70: h = 7.3 -> 5 + 0.3 * 0 = 5
    # IPR 4, IPRCP 3, AI 2, IPRAS 2.35 + 3 = 5.35 > 4: no disagreement
    # (a symmetric threshold of 2.35 would call it disagreement)
    asym_low = c(1, 1, 1, 1, 2, 4, 5, 5, 9, 9),
    # sorted 7 7 8 8 8 9 9 9 9 (n = 9): median x_5 = 8
    # P30: h = 3.4 -> 8 + 0.4 * 0 = 8; P70: h = 6.6 -> 9 + 0.6 * 0 = 9
    # IPR 1, IPRCP 8.5, AI 3.5, IPRAS 2.35 + 5.25 = 7.6: appropriate
    asym_high = c(9, 9, 9, 9, 8, 8, 8, 7, 7),
    # sorted 1 1 1 1 8 9 9 9 9 9: median (8 + 9) / 2 = 8.5
    # P30: h = 3.7 -> 1; P70: h = 7.3 -> 9; IPR 8, IPRCP 5, IPRAS 2.35:
    # disagreement, so uncertain although the median is in 7-9
    split = c(1, 1, 1, 1, 8, 9, 9, 9, 9, 9)
  )
  res <- rand_ucla(x)
  expect_identical(res$item, c("sym", "asym_low", "asym_high", "split"))
  expect_equal(res$median, c(5, 3, 8, 8.5))
  expect_equal(res$p_lower, c(1.7, 1, 8, 1))
  expect_equal(res$p_upper, c(8.3, 5, 9, 9))
  expect_equal(res$ipr, c(6.6, 4, 1, 8))
  expect_equal(res$iprcp, c(5, 3, 8.5, 5))
  expect_equal(res$asymmetry_index, c(0, 2, 3.5, 0))
  expect_equal(res$ipras, c(2.35, 5.35, 7.6, 2.35))
  expect_equal(res$di, c(6.6 / 2.35, 4 / 5.35, 1 / 7.6, 8 / 2.35))
  expect_identical(res$disagreement, c(TRUE, FALSE, FALSE, TRUE))
  expect_identical(as.character(res$tertile), c("4-6", "1-3", "7-9", "7-9"))
  expect_identical(as.character(res$classification),
                   c("uncertain", "inappropriate", "appropriate", "uncertain"))

  # without the asymmetry correction the asymmetric item is in disagreement
  flat <- rand_ucla(x, asymmetry = 0)
  expect_equal(flat$ipras, rep(2.35, 4))
  expect_identical(flat$disagreement, c(TRUE, TRUE, FALSE, TRUE))
  expect_identical(as.character(flat$classification)[2], "uncertain")
})

test_that("half-point medians 3.5 and 6.5 are uncertain", {
  # 6, 7: median 6.5; P30: h = 1.3 -> 6.3; P70: h = 1.7 -> 6.7; IPR 0.4,
  # IPRCP 6.5, IPRAS 2.35 + 1.5 * 1.5 = 4.6: no disagreement, median < 7
  # 3, 4: median 3.5; P30 3.3, P70 3.7, IPRCP 3.5, IPRAS 4.6; median > 3
  res <- rand_ucla(ram_long(a = c(6, 7), b = c(3, 4)))
  expect_equal(res$median, c(6.5, 3.5))
  expect_equal(res$p_lower, c(6.3, 3.3))
  expect_equal(res$p_upper, c(6.7, 3.7))
  expect_equal(res$ipras, c(4.6, 4.6))
  expect_identical(res$disagreement, c(FALSE, FALSE))
  expect_identical(as.character(res$tertile), c("4-6", "4-6"))
  expect_identical(as.character(res$classification), c("uncertain", "uncertain"))
  # a median of exactly 7 or 3 is enough
  res <- rand_ucla(ram_long(a = c(7, 7, 8), b = c(2, 3, 3)))
  expect_identical(as.character(res$classification), c("appropriate", "inappropriate"))
})

test_that("the quantile type is respected", {
  # 3 7 8 9 under type 6 (h = (n + 1) p): P30 h = 1.5 -> 3 + 0.5 * 4 = 5;
  # P70 h = 3.5 -> 8 + 0.5 * 1 = 8.5; under type 7: P30 h = 1.9 -> 3 + 0.9 * 4
  # = 6.6, P70 h = 3.1 -> 8 + 0.1 * 1 = 8.1
  x <- ram_long(q = c(9, 3, 8, 7))
  expect_equal(c(rand_ucla(x, type = 6)$p_lower, rand_ucla(x, type = 6)$p_upper), c(5, 8.5))
  expect_equal(c(rand_ucla(x)$p_lower, rand_ucla(x)$p_upper), c(6.6, 8.1))
  expect_identical(attr(rand_ucla(x, type = 6), "settings")$type, 6L)
})

test_that("a tie between IPR and IPRAS is not disagreement", {
  # IPR = 6.7 - 6.3 = 0.4 up to rounding (0.40000000000000036 in binary)
  x <- ram_long(a = c(6, 7))
  res <- rand_ucla(x, asymmetry = 0, ipr_constant = 0.4)
  expect_false(res$disagreement)
  expect_true(rand_ucla(x, asymmetry = 0, ipr_constant = 0.39)$disagreement)
})

test_that("random panels agree with the pure-R oracle", {
  set.seed(20240501)
  for (rep in trials(20)) {
    n_resp <- sample(1:25, 1)
    n_item <- sample(1:8, 1)
    d <- expand.grid(respondent = seq_len(n_resp), item = paste0("i", seq_len(n_item)),
                     stringsAsFactors = FALSE)
    d$rating <- sample(1:9, nrow(d), replace = TRUE, prob = runif(9))
    d$rating[runif(nrow(d)) < 0.2] <- NA
    lower <- sample(c(0.3, 0.25, 0.1), 1)
    upper <- 1 - lower
    res <- rand_ucla(d, lower = lower, upper = upper)
    for (j in seq_len(n_item)) {
      v <- d$rating[d$item == res$item[j]]
      if (all(is.na(v))) {
        expect_identical(res$n[j], 0L)
        expect_true(is.na(res$classification[j]))
        next
      }
      o <- oracle_ram(v, lower, upper)
      expect_identical(res$n[j], as.integer(o$n))
      expect_equal(res$median[j], o$median, tolerance = 1e-12)
      expect_equal(res$p_lower[j], o$p_lower, tolerance = 1e-12)
      expect_equal(res$p_upper[j], o$p_upper, tolerance = 1e-12)
      expect_equal(res$ipras[j], o$ipras, tolerance = 1e-12)
      expect_identical(res$disagreement[j], o$disagreement)
      expect_identical(as.character(res$classification[j]), o$classification)
      # and base R's quantile agrees
      expect_equal(c(res$p_lower[j], res$p_upper[j]),
                   stats::quantile(v, c(lower, upper), type = 7, na.rm = TRUE, names = FALSE))
    }
  }
})

test_that("missing ratings, unrated items, counts and wide input", {
  x <- ram_long(a = c(9, NA, 8, 7), b = c(NA, NA, NA, NA))
  res <- rand_ucla(x)
  expect_identical(res$n, c(3L, 0L))
  expect_equal(res$median[1], 8)
  expect_true(all(is.na(res[2, c("median", "p_lower", "ipr", "ipras", "disagreement")])))
  expect_true(is.na(res$classification[2]))
  expect_output(print(res), "1 not rated")

  # levels nobody used are fine: the scale defaults to 1:9
  long <- ram_long(a = c(7, 8, 8, 9), b = c(4, 5, 6, 5))
  from_long <- rand_ucla(long)
  counts <- tally_ratings(long, levels = 1:9)
  from_counts <- rand_ucla(counts)
  expect_equal(from_counts[names(from_long)], from_long, ignore_attr = TRUE)
  wide <- data.frame(a = c(7, 8, 8, 9), b = c(4, 5, 6, 5))
  expect_equal(rand_ucla(wide)[names(from_long)], from_long, ignore_attr = TRUE)
  expect_output(print(from_long), "<consensr_rand_ucla> 2 items: 1 appropriate, 1 uncertain")
  expect_output(expect_invisible(print(from_long)))
})

test_that("rand_ucla() needs a 1-9 scale and valid settings", {
  x <- ram_long(a = c(1, 2, 3))
  expect_error(rand_ucla(x, levels = 1:3), "1-9 scale")
  expect_error(rand_ucla(x, levels = 1:3), "levels are")
  expect_error(rand_ucla(x, levels = 0:8), "1-9 scale")
  r3 <- as_ratings(x, levels = 1:3)
  expect_error(rand_ucla(r3), "1-9 scale")
  expect_error(rand_ucla(ram_long(a = c(1, 10))), "must be one of the levels")
  lk <- data.frame(respondent = 1:2, item = "a", rating = c("low", "high"))
  expect_error(rand_ucla(lk, levels = c("low", "high")), "1-9 scale")
  expect_error(rand_ucla(x, lower = 0.8), "lower")
  expect_error(rand_ucla(x, lower = -0.1), "lower")
  expect_error(rand_ucla(x, upper = "a"), "upper")
  expect_error(rand_ucla(x, asymmetry = -1), "asymmetry")
  expect_error(rand_ucla(x, ipr_constant = NA), "ipr_constant")
  expect_error(rand_ucla(x, type = 10), "type")
})
