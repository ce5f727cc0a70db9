# --- table_open_text ----------------------------------------------------------

test_that("table_open_text reproduces Table 3 with the reported mentions", {
  tab <- table_open_text(consensr::atmp_soft_skills,
                         mentions = consensr::atmp_soft_skill_mentions)
  expect_s3_class(tab, "consensr_table")
  expect_identical(names(tab), c("group", "category", "n_answers", "mentions", "answers"))
  expect_identical(tab$category, levels(consensr::atmp_soft_skills$category))
  expect_identical(tab$n_answers, c(6L, 7L, 2L, 4L, 5L, 4L, 2L, 10L))
  expect_identical(tab$mentions, c(11L, 6L, NA, 6L, 4L, 4L, NA, 4L))
  expect_identical(tab$group[c(1, 4, 8)], levels(consensr::atmp_soft_skills$group))
  expect_identical(tab$answers[7L],
                   "Scientific literacy; Focus on the final goal: to treat the patient")
  expect_identical(sum(lengths(strsplit(tab$answers, "; ", fixed = TRUE))), 40L)

  tab <- table_open_text(consensr::atmp_soft_skills, repeat_group = FALSE, sep = " | ")
  expect_identical(tab$group, c("Communication & Collaboration", "", "",
                                "Thinking Skills & Insight", "", "", "",
                                "Adaptability & Growth"))
  expect_identical(tab$answers[3L],
                   "Patient involvement | Patient involvement in ATMP life-cycle (esp. economic evaluations)")
  expect_false("mentions" %in% names(tab))
})

test_that("table_open_text long form and mention sums", {
  long <- table_open_text(consensr::atmp_soft_skills, long = TRUE, repeat_group = FALSE)
  expect_identical(names(long), c("group", "category", "answer"))
  expect_identical(nrow(long), 40L)
  expect_identical(sum(nzchar(long$group)), 3L)
  expect_identical(sum(nzchar(long$category)), 8L)
  expect_identical(long$answer, consensr::atmp_soft_skills$answer)

  x <- data.frame(cat = c("b", "a", "b", NA_character_), txt = c("one", "two", "three", "four"))
  x$txt[2] <- "  "
  m <- data.frame(cat = c("b", "b"), mentions = c(2, 5))
  tab <- table_open_text(x[1:3, ], group = NULL, category = "cat", answer = "txt",
                         mentions = m)
  # the blank answer is dropped, so "a" has no answers and no row
  expect_identical(tab$cat, "b")
  expect_identical(tab$n_answers, 2L)
  expect_identical(tab$mentions, 7L)
  expect_identical(tab$answers, "one; three")
})

test_that("table_open_text validates its arguments", {
  s <- consensr::atmp_soft_skills
  expect_error(table_open_text(s, group = "theme"), "group")
  expect_error(table_open_text(s, answer = "text"), "answer")
  expect_error(table_open_text(s, category = "group"), "different columns")
  expect_error(table_open_text(s, mentions = data.frame(category = "Nope", mentions = 1)),
               "mentions")
  expect_error(table_open_text(s, mentions = data.frame(category = "Communication")),
               "mentions")
  expect_error(table_open_text(s, mentions = data.frame(category = "Communication",
                                                        mentions = -1)),
               "mentions")
  expect_error(table_open_text(s[0, ]), "no answers")
  x <- data.frame(group = c("g", NA), category = c("c", "d"), answer = c("a", "b"))
  expect_error(table_open_text(x), "missing")
  expect_error(table_open_text(s, long = "yes"), "long")
})
