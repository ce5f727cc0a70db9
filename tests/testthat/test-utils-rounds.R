# Where the rounds of a multi-round analysis come from.

test_that("the round column is the one given, the ratings' own, or `round` with a message", {
  d <- data.frame(respondent = rep(1:3, 2), item = "Q", rating = c(1, 2, 2, 2, 2, 2),
                  wave = rep(1:2, each = 3))
  expect_identical(rounds_column(d, "wave", list(), NULL), "wave")
  r <- as_ratings(d, levels = 1:2, round = "wave")
  expect_null(rounds_column(r, NULL, list(), NULL))
  d2 <- d
  names(d2)[4] <- "round"
  expect_snapshot(col <- rounds_column(d2, NULL, list(), NULL))
  expect_identical(col, "round")
  expect_silent(rounds_column(d2, NULL, list(quiet = TRUE), NULL))
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  attrition(d[names(d) != "wave"], levels = 1:2))
})

test_that("a panellist who answered every presented item completed the round", {
  d <- data.frame(respondent = rep(1:3, each = 2), item = rep(c("a", "b"), 3),
                  rating = c(1, 2, NA, 2, 1, 1))
  p <- rounds_panel(as_ratings(d, levels = 1:2, quiet = TRUE))
  expect_identical(p$responded, c("1", "2", "3"))
  expect_identical(p$completed, c("1", "3"))
})
