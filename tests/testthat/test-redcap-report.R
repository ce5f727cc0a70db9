test_that("nothing is lost silently: the report lists what was not read", {
  imp <- read_small()
  rep <- imp$report
  un <- rep$unused
  reason <- function(col) un$reason[match(col, un$column)]
  expect_match(reason("total"), "calculated")
  expect_match(reason("email"), "identifier")
  expect_match(reason("survey_complete"), "completion")
  expect_match(reason("extra"), "not in the dictionary")
  expect_match(un$reason[match("intro", un$field)], "descriptive")
  expect_false("email" %in% names(imp$respondents))
  expect_false(any(grepl("@", imp$open_text$answer)))
  expect_identical(rep$columns$role[rep$columns$column == "redcap_event_name"], "round")
  expect_identical(rep$round_source, "redcap_event_name")
  expect_identical(rep$no_rating$respondent, "4")
  expect_identical(as.character(rep$no_rating$round), "round_1_arm_1")
  expect_identical(rep$headers, "variable names")
  expect_identical(nrow(rep$invalid), 0L)
  expect_identical(rep$fields$values[rep$fields$field == "q3"], "codes")
  expect_output(print(imp), "2 rounds")
})
