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

# --- plot_sensitivity ---------------------------------------------------------

sens <- threshold_sensitivity(pub, "Fundamental", threshold = 0.75, thresholds = seq(0.5,
          1, by = 0.01))

# --- autoplot -----------------------------------------------------------------

test_that("autoplot methods draw the default pictures", {
  res <- consensus(pub, "Fundamental", threshold = 0.75)
  builds_cleanly(autoplot(res))
  builds_cleanly(autoplot(res, type = "infogram"))
  builds_cleanly(autoplot(tally_ratings(consensr::atmp_ratings)))
  builds_cleanly(autoplot(sens))
  builds_cleanly(autoplot(sens, items = TRUE))
  expect_error(autoplot(res, type = "pie"), "type")
})

test_that("autoplot() of a per-round result draws the rounds apart (vdiffr)", {
  d <- comet_panel()
  res <- comet_consensus(d, round = "round")
  p <- autoplot(res)
  expect_true("round" %in% names(ggplot2::ggplot_build(p)$layout$layout))
  skip_if_no_vdiffr()
  vdiffr::expect_doppelganger("autoplot per round", p)
})
