# plot_round_flow(): the boxes of items and panellists through the rounds.

test_that("plot_round_flow() draws the flow of a two-sided rule", {
  d <- comet_panel()
  flow <- round_flow(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                     respondent = "id", item = "outcome", rating = "score",
                     levels = 1:9, round = "round", carry = "all")
  expect_identical(flow$reached, c(1L, 4L))
  expect_identical(flow$reached_out, c(1L, 1L))
  p <- plot_round_flow(flow)
  expect_s3_class(p, "ggplot")
  labels <- unlist(lapply(ggplot2::ggplot_build(p)$data, function(l) l$label))
  expect_true(any(grepl("consensus out", labels)))
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_round_flow(d))
  skip_if_no_vdiffr()
  vdiffr::expect_doppelganger("round flow two-sided", p)
})
