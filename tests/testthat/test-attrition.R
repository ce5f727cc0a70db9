# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

test_that("attrition on the example", {
  r <- example_ratings()
  a <- attrition(r, invited = c(32, 25))
  expect_s3_class(a, "consensr_attrition")
  expect_identical(a$responded, c(25L, 20L))
  expect_identical(a$invited, c(32L, 25L))
  expect_equal(a$response_rate, c(25 / 32, 20 / 25))
  expect_identical(a$items, c(33L, 17L))
  expect_identical(a$retained, c(NA, 20L))
  expect_equal(a$retention, c(NA, 0.8))
  expect_equal(a$retention_first, c(1, 0.8))
  expect_identical(a$new, c(25L, 0L))
  # completed: rated every presented item, counted from the ratings
  comp <- vapply(levels(r$round), function(k) {
    rk <- r[r$round == k, ]
    sum(tapply(!is.na(rk$rating), rk$respondent, all))
  }, integer(1), USE.NAMES = FALSE)
  expect_identical(a$completed, comp)
  expect_equal(a$completion_rate, comp / c(25, 20))
  expect_identical(attrition(r, invited = 40)$invited, c(40L, 40L))
  expect_error(attrition(r, invited = c(32, 25, 20)), "one per round")
  expect_error(attrition(r, invited = 10), "smaller")
  expect_error(attrition(r, invited = -1), "invited")
  expect_output(print(a), "20 of 25 retained")
})
