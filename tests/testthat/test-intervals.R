# Tests for proportion_ci() and add_intervals(), against stats::binom.test()
# (Clopper-Pearson), stats::prop.test(correct = FALSE) (Wilson) and the
# published values of Newcombe (1998), Table II.

ci_ref <- function(k, n, conf_level, method) {
  t(mapply(function(k, n) {
    if (method == "wilson") {
      stats::prop.test(k, n, correct = FALSE, conf.level = conf_level)$conf.int[1:2]
    } else {
      stats::binom.test(k, n, conf.level = conf_level)$conf.int[1:2]
    }
  }, k, n))
}

test_that("intervals equal binom.test() and prop.test() on random counts", {
  set.seed(301)
  n <- sample.int(60, 300, replace = TRUE)
  k <- vapply(n, function(x) sample(0:x, 1), numeric(1))
  # make sure the edges are there
  n <- c(n, 1, 1, 7, 7)
  k <- c(k, 0, 1, 0, 7)
  for (conf_level in c(0.95, 0.8, 0.99)) {
    for (method in c("wilson", "clopper-pearson")) {
      ci <- suppressWarnings(proportion_ci(k, n, conf_level, method))
      ref <- suppressWarnings(ci_ref(k, n, conf_level, method))
      expect_identical(ci$conf_low, ref[, 1])
      expect_identical(ci$conf_high, ref[, 2])
      expect_identical(ci$prop, k / n)
    }
  }
})

test_that("intervals match Newcombe (1998), Table II, to 4 decimals", {
  k <- c(81, 15, 0, 1)
  n <- c(263, 148, 20, 29)
  wilson <- proportion_ci(k, n)
  expect_identical(round(wilson$conf_low, 4), c(0.2553, 0.0624, 0, 0.0061))
  expect_identical(round(wilson$conf_high, 4), c(0.3662, 0.1605, 0.1611, 0.1718))
  exact <- proportion_ci(k, n, method = "clopper-pearson")
  expect_identical(round(exact$conf_low, 4), c(0.2527, 0.0578, 0, 0.0009))
  expect_identical(round(exact$conf_high, 4), c(0.3676, 0.1617, 0.1684, 0.1776))
})

test_that("intervals are exact at the edges", {
  for (method in c("wilson", "clopper-pearson")) {
    ci <- proportion_ci(c(0, 5, 0, 1, 0, NA, 3), c(5, 5, 1, 1, 0, 4, NA),
                        method = method)
    expect_identical(ci$conf_low[c(1, 3)], c(0, 0))
    expect_identical(ci$conf_high[c(2, 4)], c(1, 1))
    expect_true(all(ci$conf_low[1:4] >= 0 & ci$conf_high[1:4] <= 1))
    expect_true(all(ci$conf_low[1:4] <= ci$prop[1:4] & ci$prop[1:4] <= ci$conf_high[1:4]))
    expect_identical(ci$conf_low[5:7], rep(NA_real_, 3))
    expect_identical(ci$conf_high[5:7], rep(NA_real_, 3))
    expect_identical(ci$prop[5:7], rep(NA_real_, 3))
  }
  # n = 1 against the references
  expect_equal(proportion_ci(1, 1, method = "clopper-pearson")$conf_low,
               stats::binom.test(1, 1)$conf.int[1])
  expect_equal(proportion_ci(0, 1)$conf_high,
               suppressWarnings(stats::prop.test(0, 1, correct = FALSE))$conf.int[2])
  # recycling and empty input
  expect_identical(nrow(proportion_ci(0:3, 3)), 4L)
  expect_identical(nrow(proportion_ci(numeric(), 3)), 0L)
  # Wilson is narrower than Clopper-Pearson here
  w <- proportion_ci(18, 24)
  cp <- proportion_ci(18, 24, method = "clopper-pearson")
  expect_lt(w$conf_high - w$conf_low, cp$conf_high - cp$conf_low)
})

test_that("add_intervals() adds limits to consensus() results and tallies", {
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  out <- add_intervals(res)
  expect_s3_class(out, "consensr_consensus")
  expect_identical(attr(out, "rule"), attr(res, "rule"))
  ref <- proportion_ci(res$count, res$n)
  expect_identical(out$conf_low, ref$conf_low)
  expect_identical(out$conf_high, ref$conf_high)
  expect_identical(attr(out, "intervals"), list(conf_level = 0.95, method = "wilson"))
  # replaced, not duplicated
  again <- add_intervals(out, conf_level = 0.9, method = "clopper-pearson")
  expect_identical(sum(names(again) == "conf_low"), 1L)
  expect_identical(again$conf_low,
                   proportion_ci(res$count, res$n, 0.9, "clopper-pearson")$conf_low)

  panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
  lv <- c("Fundamental", "Ancillary", "Less Important")
  grouped <- add_intervals(consensus(panel, "Fundamental", threshold = 0.75, by = "setting", levels = lv))
  g <- attr(grouped, "groups")
  expect_identical(g$conf_low, proportion_ci(g$count, g$n)$conf_low)

  tally <- add_intervals(tally_ratings(atmp_ratings, levels = lv))
  expect_identical(tally$conf_high, proportion_ci(tally$count, tally$n)$conf_high)

  plain <- add_intervals(data.frame(count = c(0, 3), n = c(0, 4)))
  expect_identical(plain$conf_low[1], NA_real_)
})

test_that("bad input gives errors naming the argument", {
  expect_error(proportion_ci(5, 4), "`k`")
  expect_error(proportion_ci(-1, 4), "`k`")
  expect_error(proportion_ci(1.5, 4), "`k`")
  expect_error(proportion_ci("1", 4), "`k`")
  expect_error(proportion_ci(1, Inf), "`n`")
  expect_error(proportion_ci(1:3, 4:5), "same length")
  expect_error(proportion_ci(1, 4, conf_level = 1.5), "`conf_level`")
  expect_error(proportion_ci(1, 4, conf_level = 0), "`conf_level`")
  expect_error(proportion_ci(1, 4, conf_level = 95), "0.95")
  expect_error(proportion_ci(1, 4, conf_level = c(0.9, 0.95)), "`conf_level`")
  expect_error(proportion_ci(1, 4, conf_level = NA), "`conf_level`")
  expect_error(proportion_ci(1, 4, method = "wald"), "`method`")
  expect_error(add_intervals(list(count = 1, n = 2)), "`res`")
  expect_error(add_intervals(data.frame(k = 1, n = 2)), "count")
  expect_error(add_intervals(data.frame(count = 3, n = 2)), "exceed")
  expect_error(add_intervals(data.frame(count = 1, n = 2), conf_level = 2), "`conf_level`")
})
