# plot_robustness() and its data: intervals and shares per item, rounds in
# panels, three outcomes for two-sided rules.

test_that("plot_robustness_data() holds the jackknife range and the bootstrap share", {
  d <- comet_panel()
  rob <- consensus_robustness(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                              respondent = "id", item = "outcome", rating = "score",
                              levels = 1:9, round = "round")
  pd <- plot_robustness_data(rob)
  expect_identical(levels(pd$round), c("1", "2"))
  expect_identical(pd$low[match(paste(rob$round, rob$item), paste(pd$round, pd$item))],
                   rob$min_prop)
  expect_identical(as.character(pd$status[pd$item == "O6"]), rep("consensus out", 2L))
  set.seed(1)
  boot <- consensus_robustness(d[d$round == 1, ], 7:9, 0.7, respondent = "id",
                               item = "outcome", rating = "score", levels = 1:9,
                               method = "bootstrap", B = 200)
  sd <- plot_robustness_data(boot, "share")
  expect_identical(sd$p_reached[match(boot$item, as.character(sd$item))], boot$p_reached)
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_robustness_data(rob, "share"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_robustness(d))
})

test_that("plot_robustness() looks as recorded (vdiffr)", {
  skip_if_no_vdiffr()
  d <- comet_panel()
  rob <- consensus_robustness(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                              respondent = "id", item = "outcome", rating = "score",
                              levels = 1:9, round = "round")
  vdiffr::expect_doppelganger("robustness jackknife per round", plot_robustness(rob))
  set.seed(1)
  boot <- consensus_robustness(consensr::atmp_ratings, "Fundamental", 0.75,
                               method = "bootstrap", B = 200)
  vdiffr::expect_doppelganger("robustness bootstrap share", plot_robustness(boot, "share"))
})
