# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

test_that("the plots build", {
  r <- example_ratings()
  p <- plot_round_change(r, "Fundamental", threshold = 0.75)
  expect_s3_class(p, "ggplot")
  expect_no_error(ggplot2::ggplot_build(p))
  d <- plot_round_change_data(r, "Fundamental", threshold = 0.75)
  expect_identical(nrow(d), 34L)
  expect_true(all(d$rerated))
  expect_identical(nrow(plot_round_change_data(r, "Fundamental", threshold = 0.75, items = "all")), 50L)
  s <- delphi_summary(r, "Fundamental", threshold = 0.75)
  expect_identical(plot_round_change_data(s), d)
  expect_equal(attr(d, "threshold"), 0.75)
  fl <- plot_round_flow(round_flow(r, "Fundamental", threshold = 0.75))
  expect_s3_class(fl, "ggplot")
  expect_no_error(ggplot2::ggplot_build(fl))
  one <- r[r$round == "round_1_arm_1", ]
  expect_error(plot_round_change(one, "Fundamental", threshold = 0.75), "nothing to plot")
})

test_that("plot_round_change() shows consensus out as its own outcome", {
  panel <- expand.grid(respondent = sprintf("P%02d", 1:12), item = c("In", "Out", "Late"),
                       round = 1:2, stringsAsFactors = FALSE)
  r1 <- c(In = 8, Out = 2, Late = 5)
  panel$rating <- ifelse(panel$round == 1, r1[panel$item], 8)
  p <- plot_round_change(panel, 7:9, threshold = 0.7, opposite = 1:3,
                         opposite_threshold = 0.15, levels = 1:9)
  b <- ggplot2::ggplot_build(p)
  pts <- b$data[[which(vapply(p$layers, function(l) class(l$geom)[1], "") == "GeomPoint")]]
  d <- plot_round_change_data(panel, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
         levels = 1:9)
  expect_identical(pts$shape[d$status == "consensus out"], 4)
  expect_identical(unique(pts$shape[d$status == "consensus in"]), 16)
  expect_identical(p$scales$get_scales("shape")$get_limits(),
                   c("consensus in", "consensus out", "no consensus"))
})

test_that("plot_round_change() looks as recorded (vdiffr)", {
  skip_if_no_vdiffr()
  d <- comet_panel()
  p <- plot_round_change(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                         respondent = "id", item = "outcome", rating = "score",
                         levels = 1:9, round = "round")
  vdiffr::expect_doppelganger("round change two-sided", p)
})
