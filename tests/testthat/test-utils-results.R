# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

test_that("subsets of the results print as data frames", {
  r <- example_ratings()
  s <- delphi_summary(r, "Fundamental", threshold = 0.75)
  expect_output(print(s[1:2, 1:3]), "in vitro")
  st <- round_stability(r)
  expect_output(print(st[1:2, c("item", "n")]), "Biomarkers")
  fl <- round_flow(r, "Fundamental", threshold = 0.75)
  expect_output(print(fl[1, 1:3]), "round_1_arm_1")
  cc <- consensus_completers(r, "Fundamental", threshold = 0.75)
  expect_output(print(cc[1, 1:3]), "round_1_arm_1")
})
