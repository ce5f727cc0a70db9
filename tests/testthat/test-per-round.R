two_rounds <- function() {
  r1 <- atmp_ratings
  r1$round <- "R1"
  r2 <- atmp_ratings[!atmp_ratings$respondent %in% c("R01", "R02"), ]
  r2$round <- "R2"
  rbind(r1, r2)
}

test_that("every analysis takes round = and equals the per-round call", {
  both <- two_rounds()
  r2 <- both[both$round == "R2", names(both) != "round"]
  lv <- levels(atmp_ratings$rating)

  a <- agreement(both, c("percent", "fleiss"), round = "round")
  expect_identical(a$round, rep(c("R1", "R2"), each = 2))
  expect_equal(a$estimate[3:4], agreement(r2, c("percent", "fleiss"))$estimate)
  expect_output(print(a), "round R2:")

  set.seed(5)
  rb <- consensus_robustness(both, "Fundamental", threshold = 0.75, method = "bootstrap",
          B = 30, progress = FALSE, round = "round")
  set.seed(5)
  rb1 <- consensus_robustness(both[both$round == "R1", names(both) != "round"],
           "Fundamental", threshold = 0.75, method = "bootstrap", B = 30, progress = FALSE)
  rb2 <- consensus_robustness(r2, "Fundamental", threshold = 0.75, method = "bootstrap",
           B = 30, progress = FALSE)
  expect_identical(rb$p_reached, c(rb1$p_reached, rb2$p_reached))
  expect_identical(names(rb)[1:3], c("item", "area", "round"))
  expect_output(print(rb), "round R1:")

  jk <- consensus_robustness(both, "Fundamental", threshold = 0.75, round = "round")
  expect_identical(jk$n_flips[jk$round == "R2"],
                   consensus_robustness(r2, "Fundamental", threshold = 0.75)$n_flips)

  panel <- merge(both, atmp_participants, by = "respondent")
  cg <- compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
          levels = lv, round = "round")
  cg2 <- compare_groups(panel[panel$round == "R2", names(panel) != "round"], "Fundamental",
           threshold = 0.75, by = "setting", levels = lv)
  in2 <- cg[cg$round == "R2", ]
  expect_identical(in2$p_value[match(cg2$item, in2$item)], cg2$p_value)

  nine <- data.frame(respondent = rep(1:10, 2), item = "q", round = rep(1:2, each = 10),
                     rating = c(1:9, 9, rep(8, 10)))
  ru <- rand_ucla(nine, round = "round")
  expect_identical(ru$round, 1:2)
  expect_identical(as.character(ru$classification[2]), "appropriate")
  expect_output(print(ru), "round 2:")
})

test_that("round = needs a data frame with a complete round column", {
  both <- two_rounds()
  expect_error(agreement(as_ratings(atmp_ratings), round = "round"), "must have the column")
  expect_error(rand_ucla(both, round = "wave"), "has no column wave")
  expect_error(consensus(both, "Fundamental", threshold = 0.75, round = c("a", "b")), "`round`")
})

test_that("plots that draw one round at a time refuse several; summary labels rounds", {
  set.seed(2)
  d <- expand.grid(respondent = 1:30, item = paste0("O", 1:4), round = 1:2,
                   stringsAsFactors = FALSE)
  d$group <- rep(rep(c("P", "C", "R"), each = 10), 8)
  d$rating <- sample(1:9, nrow(d), TRUE, prob = c(1, 1, 1, 1, 1, 2, 4, 5, 5))
  res <- consensus(d, 7:9, threshold = 0.7, levels = 1:9, round = "round")
  # every plot draws the rounds apart: a round column, one panel per round
  facet_cols <- function(p) names(ggplot2::ggplot_build(p)$layout$layout)
  bd <- plot_bars_data(res)
  expect_identical(levels(bd$round), c("1", "2"))
  expect_identical(nrow(bd), 2L * 4L * 2L) # target levels and the rest
  expect_true("round" %in% facet_cols(plot_bars(res)))
  expect_true("round" %in% facet_cols(autoplot(res)))
  sens <- threshold_sensitivity(d, 7:9, threshold = 0.7, thresholds = c(0.6, 0.7),
                                levels = 1:9, round = "round")
  sd <- plot_sensitivity_data(sens)
  expect_false(anyDuplicated(sd[c("round", "threshold", "tried")]) > 0)
  expect_true("round" %in% facet_cols(plot_sensitivity(sens)))
  rob <- consensus_robustness(d, 7:9, threshold = 0.7, levels = 1:9, round = "round")
  rd <- plot_robustness_data(rob)
  expect_identical(as.character(rd$round), rep(c("1", "2"), each = 4L))
  expect_true("round" %in% facet_cols(plot_robustness(rob)))
  cg <- compare_groups(d, 7:9, 0.7, levels = 1:9, by = "group", round = "round")
  gd <- plot_groups_data(cg)
  expect_identical(nrow(gd), 2L * 4L * 3L)
  expect_true("round" %in% facet_cols(plot_groups(cg)))
  expect_true("round" %in% facet_cols(plot_infogram(res)))
  s <- summary(res)
  expect_true(all(grepl("^round [12]: O[1-4]$", s$reached)))
  expect_identical(length(s$reached), sum(res$reached))
})

test_that("one round of a per-round result plots like a single-round result", {
  set.seed(3)
  d <- expand.grid(respondent = 1:20, item = paste0("O", 1:3), round = 1:2,
                   stringsAsFactors = FALSE)
  d$rating <- sample(1:9, nrow(d), TRUE)
  res <- consensus(d, 7:9, threshold = 0.5, levels = 1:9, round = "round")
  one <- res[res$round == 2, ]
  expect_null(attr(one, "round"))
  expect_s3_class(plot_bars(one), "ggplot")
  expect_identical(one$count, consensus(d[d$round == 2, ], 7:9, 0.5, levels = 1:9)$count)
})

test_that("bars of a result decided within groups are drawn per group", {
  d <- data.frame(respondent = rep(1:6, each = 2), item = rep(c("a", "b"), 6),
                  rating = c(1, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 1),
                  g = rep(c("x", "y"), each = 6))
  res <- consensus(d, 2, 0.5, levels = 1:2, by = "g")
  bd <- plot_bars_data(res)
  # each group's own counts: in group x, item a has ratings 1, 2, 1 (1 of 3 target)
  a_x <- bd[bd$g == "x" & bd$item == "a" & bd$target, ]
  expect_identical(c(a_x$count, a_x$n), c(1L, 3L))
  expect_identical(bd$reached[bd$target],
                   consensus_groups(res)$reached[order(consensus_groups(res)$g)])
  expect_s3_class(plot_groups(res), "ggplot")
})
