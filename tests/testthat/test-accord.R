# accord_checklist(): the 35 ACCORD items, and which of them the analysis
# fills, depending on what was analysed.

delphi_import <- function() {
  read_redcap(
    system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
    system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
  )
}

test_that("the checklist has the 35 items in the published sections", {
  chk <- accord_checklist()
  expect_s3_class(chk, "consensr_accord")
  expect_identical(chk$number, 1:35)
  expect_identical(as.vector(table(factor(chk$section, unique(chk$section)))),
                   c(1L, 3L, 21L, 5L, 2L, 3L))
  expect_identical(unique(chk$section),
                   c("Title", "Introduction", "Methods", "Results", "Discussion", "Other information"))
  expect_false(any(chk$filled))
  expect_true(all(nzchar(chk$topic)))
  expect_false(anyDuplicated(chk$topic) > 0)
})

test_that("what is filled follows what was analysed", {
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  one <- accord_checklist(res)
  expect_identical(one$number[one$filled], c(15L, 16L, 17L, 21L, 28L))
  expect_match(one$where[17], "rule", fixed = TRUE)
  expect_identical(one$to_write[1], "All of it.")

  imp <- delphi_import()
  s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round")
  two <- accord_checklist(s, attrition(imp$ratings, round = "round"))
  expect_identical(two$number[two$filled], c(15L, 16L, 17L, 18L, 21L, 26L, 28L, 29L))
  expect_identical(accord_checklist(report_methods(s, attrition(imp$ratings, round = "round")))$filled, two$filled)
  fb <- feedback_data(imp, "Fundamental", threshold = 0.75, which_round = 1)
  tp <- table_participants(atmp_participants)
  all <- accord_checklist(s, attrition(imp$ratings, round = "round"), participants = tp, feedback = fb)
  expect_true(all(all$filled[c(19L, 27L)]))

  set.seed(2)
  panel <- data.frame(respondent = rep(1:10, each = 2), group = rep(c("a", "b"), each = 10),
                      item = rep(c("x", "y"), 10), rating = sample(1:9, 20, TRUE))
  g <- accord_checklist(consensus(panel, 7:9, threshold = 0.7, by = "group", levels = 1:9))
  expect_true(g$filled[10])
  # a report_methods() result works as well
  expect_identical(accord_checklist(report_methods(res))$filled, one$filled)
})

test_that("the checklist renders as a table of the package", {
  tab <- as_accord_table(accord_checklist(consensus(atmp_published, "Fundamental", threshold = 0.75)))
  expect_s3_class(tab, "consensr_table")
  expect_identical(names(tab), c("Item", "Section", "Topic", "Filled by the analysis", "Still to write"))
  expect_match(attr(tab, "note"), "5 of 35 items filled", fixed = TRUE)
  expect_output(print(accord_checklist()), "0 of 35 items filled")
  expect_output(print(accord_checklist()[1:2, c("number", "topic")]), "Title names the study")
})

test_that("accord_checklist() refuses what it can't read", {
  expect_snapshot(error = TRUE, accord_checklist(participants = data.frame(a = 1)))
  expect_snapshot(error = TRUE, accord_checklist(feedback = 1))
  expect_snapshot(error = TRUE, as_accord_table(data.frame()))
})
