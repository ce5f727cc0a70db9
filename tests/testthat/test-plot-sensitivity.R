# Tests for plot_bars(), plot_infogram(), plot_sensitivity(), their *_data()
# builders (by value) and the autoplot() methods (they build without
# warnings).

pub <- consensr::atmp_published

builds_cleanly <- function(p) {
  expect_s3_class(p, "ggplot")
  expect_no_warning(b <- ggplot2::ggplot_build(p))
  # drawing too (text and layout are computed only then)
  path <- tempfile(fileext = ".pdf")
  on.exit(unlink(path))
  expect_no_warning(ggplot2::ggsave(path, p, width = 9, height = 8))
  invisible(b)
}
with_empty <- data.frame(
  respondent = rep(1:4, 3), item = rep(c("Q1", "Q2", "Q3"), each = 4),
  area = rep(c("A", "A", "B"), each = 4),
  rating = factor(c("hi", "hi", "mid", "hi", NA, NA, NA, NA, "mid", "mid", "hi", "mid"),
                  levels = c("hi", "mid", "lo"))
)

# --- plot_sensitivity ---------------------------------------------------------

sens <- threshold_sensitivity(pub, "Fundamental", threshold = 0.75, thresholds = seq(0.5,
          1, by = 0.01))

test_that("plot_sensitivity_data is the exact step function", {
  d <- plot_sensitivity_data(sens)
  tried <- d[d$tried, ]
  expect_equal(tried$threshold, sens$summary$threshold)
  expect_identical(tried$n_reached, sens$summary$n_reached)
  expect_identical(sum(d$reference), 1L)
  expect_identical(d$n_reached[d$reference], 16L)
  expect_equal(d$threshold[d$reference], 0.75)
  # switch points added between the thresholds tried: 13/23, 22/24, 19/24
  expect_equal(d$threshold[!d$tried], sort(c(13 / 23, 22 / 24, 19 / 24)))
  # the line ("vh" steps) gives the count at every threshold, exactly:
  # the value at t is the count at the first point at or after t
  f <- pub[pub$level == "Fundamental", ]
  for (k in 500:1000) {
    t <- k / 1000
    i <- which(d$threshold >= t - 1e-12)[1L]
    expect_identical(d$n_reached[i], sum(f$count * 1000L >= k * f$n))
  }
})

test_that("plot_sensitivity_data(items = TRUE) orders items by switch point", {
  d <- plot_sensitivity_data(sens, items = TRUE)
  expect_identical(nrow(d), 33L * 51L)
  lv <- levels(d$item)
  mt <- sens$items$max_threshold[match(lv, sens$items$item)]
  expect_false(is.unsorted(mt))
  expect_identical(lv[33L], "Good Manufacturing Practice (GMP) Compliance")
  # tiles abut
  one <- d[d$item == lv[1L], ]
  expect_equal(one$xmin[-1L], one$xmax[-51L])
  expect_equal(one$xmax - one$xmin, rep(0.01, 51))
  expect_identical(d$reached, sens$status$reached)
})

test_that("plot_sensitivity builds without warnings", {
  b <- builds_cleanly(plot_sensitivity(sens))
  builds_cleanly(plot_sensitivity(sens, items = TRUE))
  coarse <- threshold_sensitivity(consensr::atmp_ratings, "Fundamental", threshold = 0.75,
              thresholds = c(0.7, 0.75, 0.8))
  builds_cleanly(plot_sensitivity(coarse))
  builds_cleanly(plot_sensitivity(coarse, items = TRUE))
  strict <- threshold_sensitivity(pub, "Fundamental", threshold = 0.75, thresholds = seq(0.6,
              0.9, by = 0.05), strict = TRUE)
  d <- plot_sensitivity_data(strict)
  f <- pub[pub$level == "Fundamental", ]
  # strict: right-continuous, at a switch point the item no longer counts
  expect_identical(d$n_reached[abs(d$threshold - 0.76) < 1e-9],
                   sum(f$count * 100L > 76L * f$n))
  builds_cleanly(plot_sensitivity(strict))
  single <- threshold_sensitivity(with_empty, "hi", threshold = 0.75, thresholds = 0.5)
  expect_silent(builds_cleanly(plot_sensitivity(single)))
  builds_cleanly(plot_sensitivity(single, items = TRUE))
  expect_error(plot_sensitivity(consensus(pub, "Fundamental", threshold = 0.75)), "threshold_sensitivity")
  expect_error(plot_sensitivity(sens, items = NA), "items")
})

test_that("plot_sensitivity() looks as recorded (vdiffr)", {
  skip_if_no_vdiffr()
  s <- threshold_sensitivity(consensr::atmp_published, "Fundamental", 0.75,
                             thresholds = seq(0.5, 1, by = 0.05))
  vdiffr::expect_doppelganger("sensitivity curve", plot_sensitivity(s))
  vdiffr::expect_doppelganger("sensitivity items", plot_sensitivity(s, items = TRUE))
  d <- comet_panel()
  sr <- threshold_sensitivity(d, 7:9, 0.7, respondent = "id", item = "outcome",
                              rating = "score", levels = 1:9, round = "round")
  vdiffr::expect_doppelganger("sensitivity per round", plot_sensitivity(sr))
})
