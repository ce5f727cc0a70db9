test_that("plot_heat_data marks the threshold exactly (18/24 reaches 0.75)", {
  x <- data.frame(item = rep(c("Q1", "Q2"), each = 2), level = rep(c("yes", "no"), 2),
                  count = c(18, 6, 17, 7))
  d <- plot_heat_data(x, levels = c("yes", "no"), threshold = 0.75, quiet = TRUE)
  expect_identical(d$reached, c(TRUE, FALSE, FALSE, FALSE))
  d2 <- plot_heat_data(x, levels = c("yes", "no"), target = "yes", threshold = 0.75, quiet = TRUE)
  expect_identical(levels(d2$level), c("yes", "no", "target"))
  expect_identical(d2$reached[d2$level == "target"], c(TRUE, FALSE))
  res <- consensus(x, "yes", threshold = 0.75, levels = c("yes", "no"), quiet = TRUE)
  expect_identical(d2$reached[d2$level == "target"], res$reached)
  expect_true(all(is.na(plot_heat_data(x, levels = c("yes", "no"), quiet = TRUE)$reached)))
})

test_that("plot_heat draws groups and rounds apart", {
  long <- data.frame(respondent = rep(1:4, 2), item = "a", rating = c(1, 2, 2, 3, 1, 1, 2, 3),
                     round = rep(1:2, each = 4), g = rep(c("x", "y"), 4))
  d <- plot_heat_data(long, levels = 1:3, round = "round", quiet = TRUE)
  expect_identical(as.character(d$round), rep(c("1", "2"), each = 3L))
  expect_identical(d$count, c(1L, 2L, 1L, 2L, 1L, 1L))
  d <- plot_heat_data(long, levels = 1:3, by = "g", round = "round", threshold = 0.5, quiet = TRUE)
  expect_identical(nrow(d), 12L)
  expect_identical(d$reached[d$round == "1" & d$g == "x"], c(TRUE, TRUE, FALSE))
  p <- plot_heat(long, levels = 1:3, by = "g", round = "round", quiet = TRUE)
  expect_true(all(c("round", "g") %in% names(ggplot2::ggplot_build(p)$layout$layout)))
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_heat(long, threshold = 0.5, levels = 1:3, round = "wave"))
})

test_that("plot_heat draws the reference study", {
  skip_if_not_installed("vdiffr")
  p <- plot_heat(atmp_published, target = "Fundamental", threshold = 0.75)
  expect_s3_class(p, "ggplot")
  vdiffr::expect_doppelganger("heat-atmp-published", p)
})
