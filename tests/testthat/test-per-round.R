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
  rb <- consensus_robustness(both, "Fundamental", method = "bootstrap", B = 30,
                             round = "round", progress = FALSE)
  set.seed(5)
  rb1 <- consensus_robustness(both[both$round == "R1", names(both) != "round"],
                              "Fundamental", method = "bootstrap", B = 30, progress = FALSE)
  rb2 <- consensus_robustness(r2, "Fundamental", method = "bootstrap", B = 30, progress = FALSE)
  expect_identical(rb$p_reached, c(rb1$p_reached, rb2$p_reached))
  expect_identical(names(rb)[1:3], c("item", "area", "round"))
  expect_output(print(rb), "round R1:")

  jk <- consensus_robustness(both, "Fundamental", round = "round")
  expect_identical(jk$n_flips[jk$round == "R2"],
                   consensus_robustness(r2, "Fundamental")$n_flips)

  panel <- merge(both, atmp_participants, by = "respondent")
  cg <- compare_groups(panel, "Fundamental", by = "setting", round = "round",
                       levels = lv)
  cg2 <- compare_groups(panel[panel$round == "R2", names(panel) != "round"],
                        "Fundamental", by = "setting", levels = lv)
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
  expect_error(consensus(both, "Fundamental", round = c("a", "b")), "`round`")
})
