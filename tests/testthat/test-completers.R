# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

test_that("consensus among completers and among all", {
  r <- example_ratings()
  cc <- consensus_completers(r, "Fundamental", threshold = 0.75)
  expect_s3_class(cc, "consensr_completers")
  expect_length(attr(cc, "completers"), 20L)
  expect_identical(nrow(cc), 33L + 17L)
  r1 <- r[r$round == "round_1_arm_1", ]
  sub <- r1[r1$respondent %in% attr(cc, "completers"), ]
  c1 <- consensus(sub, "Fundamental", threshold = 0.75)
  expect_identical(cc$n_completers[cc$round == "round_1_arm_1"], c1$n)
  expect_identical(cc$status_completers[cc$round == "round_1_arm_1"], c1$status)
  expect_identical(cc$same_status,
                   as.character(cc$status_all) == as.character(cc$status_completers))
  strict <- consensus_completers(r, "Fundamental", threshold = 0.75, completers = "all_items")
  expect_lt(length(attr(strict, "completers")), 20L)
  expect_output(print(cc), "20 of 25 panellists")
})
