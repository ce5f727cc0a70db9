# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

test_that("round_flow() counts items and panellists through the rounds", {
  r <- example_ratings()
  fl <- round_flow(r, "Fundamental", threshold = 0.75)
  expect_s3_class(fl, "consensr_round_flow")
  expect_identical(fl$panellists, c(25L, 20L))
  expect_identical(fl$panellists_lost, c(NA, 5L))
  expect_identical(fl$items_rated, c(33L, 17L))
  expect_identical(fl$reached[1], 16L)
  expect_identical(fl$carried[1], 17L)
  expect_identical(fl$retired[1], 16L)
  expect_identical(fl$dropped[1], 0L)
  expect_identical(attr(fl, "final"), 16L + fl$reached[2])
})
