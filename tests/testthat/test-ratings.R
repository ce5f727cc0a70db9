lv3 <- c("Fundamental", "Ancillary", "Less Important")

test_that("long, wide and counts are detected and read", {
  long <- data.frame(respondent = c(1, 1, 2), item = c("a", "b", "a"),
                     rating = c(3, 1, 2))
  r <- as_ratings(long)
  expect_s3_class(r, "consensr_ratings")
  expect_identical(r$format, "long")
  expect_identical(r$levels, c("1", "2", "3"))
  expect_identical(r$codes, matrix(c(3L, 2L, 1L, NA), 2, dimnames = list(NULL, c("a", "b"))))
  expect_identical(as_ratings(r), r)

  wide <- data.frame(id = c("x", "y"), a = c(3, 2), b = c(1, NA))
  w <- as_ratings(wide, respondent = "id")
  expect_identical(w$format, "wide")
  expect_identical(w$codes, r$codes)
  expect_identical(w$respondents, c("x", "y"))
  # `items` by name or position
  expect_identical(as_ratings(wide, items = c("a", "b"), respondent = "id")$codes, r$codes)
  expect_identical(as_ratings(wide, items = 2:3, respondent = "id")$codes, r$codes)

  counts <- data.frame(item = c("a", "a", "b"), level = c("1", "2", "1"),
                       count = c(5, 2, 4), n = c(8, 8, 4))
  k <- as_ratings(counts, levels = 1:3)
  expect_identical(k$format, "counts")
  expect_identical(as.vector(k$counts), c(5L, 2L, 0L, 4L, 0L, 0L))
  expect_identical(as.vector(k$n), c(8L, 4L))
  expect_output(print(k), "counts of 11 ratings")
  expect_output(print(r), "2 respondents \\(long format\\), 3 ratings, 1 not rated")
})

test_that("levels come from `levels`, factors or sorted numbers", {
  long <- data.frame(respondent = 1:3, item = "a",
                     rating = factor(c("lo", "hi", NA), levels = c("lo", "mid", "hi")))
  expect_identical(as_ratings(long)$levels, c("lo", "mid", "hi"))
  long$rating <- c(9, 7, NA)
  expect_warning(r <- as_ratings(long), "gaps \\(no 8\\)")
  expect_identical(r$levels, c("7", "9"))
  expect_identical(as_ratings(long, levels = 1:9)$levels, as.character(1:9))
  long$rating <- c("lo", "hi", NA)
  expect_message(r <- as_ratings(long), "lo < hi in order of first appearance")
  expect_identical(r$levels, c("lo", "hi"))
  expect_identical(as_ratings(long, levels = c("lo", "hi"))$codes[, 1], c(1L, 2L, NA))
})

test_that("tibbles and data.tables work", {
  skip_if_not_installed("tibble")
  skip_if_not_installed("data.table")
  long <- data.frame(respondent = rep(1:3, 2), item = rep(c("a", "b"), each = 3),
                     rating = c(1, 2, 2, 3, 3, NA))
  ref <- tally_ratings(long, levels = 1:3)
  expect_identical(tally_ratings(tibble::as_tibble(long), levels = 1:3)$count, ref$count)
  expect_identical(tally_ratings(data.table::as.data.table(long), levels = 1:3)$count, ref$count)
})

test_that("item metadata travels and is checked", {
  long <- data.frame(respondent = rep(1:2, 2), item = rep(c("a", "b"), each = 2),
                     rating = 1, area = rep(c("X", "Y"), each = 2),
                     note = c("p", "q", "p", "p"))
  r <- as_ratings(long, levels = 1:2)
  expect_identical(names(r$items), c("item", "area"))
  expect_error(as_ratings(long, levels = 1:2, item_data = "note"), "constant within each item")
  meta <- data.frame(item = c("b", "a"), order = 2:1)
  wide <- data.frame(a = 1, b = 2)
  expect_identical(as_ratings(wide, item_data = meta)$items$order, 1:2)
  expect_error(as_ratings(wide, item_data = data.frame(item = "zz", k = 1)), "not in the ratings")
  expect_error(as_ratings(wide, item_data = data.frame(item = c("a", "a"))), "one row per item")
  expect_error(as_ratings(wide, item_data = "area"), "data frame")
})

test_that("an item factor keeps unused items as unrated", {
  long <- data.frame(respondent = 1:2, item = factor(c("a", "a"), levels = c("a", "z")),
                     rating = c(1, 2))
  t <- tally_ratings(long)
  expect_identical(unique(t$item), c("a", "z"))
  expect_identical(t$n[t$item == "z"], c(0L, 0L))
})

test_that("bad input gets an error naming the argument", {
  long <- data.frame(respondent = c(1, 1, 2), item = c("a", "b", "a"),
                     rating = c("Fundamental", "Ancillary", "Fundamental"))
  expect_error(as_ratings(list(a = 1)), "`x` must be a data frame")
  expect_error(as_ratings(long[0, ], levels = lv3), "no rows")
  expect_error(as_ratings(long, rating = "score"), "has no column")
  expect_error(as_ratings(long, item = c("a", "b")), "`item` must be a single column name")
  bad <- long
  bad$rating[2] <- "Essential"
  expect_error(as_ratings(bad, levels = lv3), "Essential.*row 2")
  dup <- rbind(long, long[1, ])
  expect_error(as_ratings(dup, levels = lv3), "only once.*1 x a")
  na_id <- long
  na_id$respondent[2] <- NA
  expect_error(as_ratings(na_id, levels = lv3), "respondent.*missing")
  expect_error(as_ratings(long, levels = c("a", "a")), "unique")
  expect_error(as_ratings(long, levels = c("a", NA)), "missing")
  expect_error(as_ratings(long, levels = character()), "non-empty")
  # wide
  wide <- data.frame(id = c(1, 1), q = c(1, 2))
  expect_error(as_ratings(wide, respondent = "id"), "one row per respondent")
  expect_error(as_ratings(data.frame(id = 1:2), respondent = "id"), "no item columns")
  expect_error(as_ratings(data.frame(q = c(1, 7)), levels = 1:5), "column q, row 2")
  expect_error(as_ratings(data.frame(q = 1), items = 5), "positions")
  expect_error(as_ratings(data.frame(q = 1, r = 2), items = c("q", "q")), "repeat")
  expect_error(as_ratings(data.frame(q = I(list(1, 2)))), "list")
})

test_that("bad counts are refused", {
  counts <- data.frame(item = c("a", "a"), level = c("y", "n"), count = c(3, 1))
  bad <- counts; bad$count[1] <- -1
  expect_error(as_ratings(bad), "`count` must hold whole numbers")
  bad <- counts; bad$count[1] <- 1.5
  expect_error(as_ratings(bad), "whole numbers.*1.5")
  bad <- counts; bad$count[1] <- NA
  expect_error(as_ratings(bad), "`count`")
  bad <- counts; bad$count <- c("3", "1")
  expect_error(as_ratings(bad), "numeric counts")
  bad <- counts; bad$count[1] <- 2^31
  expect_error(as_ratings(bad), "whole numbers between 0 and 2147483647")
  expect_error(as_ratings(rbind(counts, counts[1, ])), "one row per item x level")
  with_n <- cbind(counts, n = c(3, 3))
  expect_error(as_ratings(with_n), "can't add up to more")
  with_n$n <- c(2, 2)
  expect_error(as_ratings(with_n), "count can't exceed")
  with_n$n <- c(5, 6)
  expect_error(as_ratings(with_n), "same on every row")
  with_n$n <- c(NA, NA)
  expect_error(as_ratings(with_n), "`n`")
  expect_error(as_ratings(counts, levels = c("y", "maybe")), "n.*row 2")
  expect_error(as_ratings(counts[0, ]), "no rows")
})

test_that("groups must be complete and constant within respondent", {
  long <- data.frame(respondent = c(1, 1, 2), item = c("a", "b", "a"),
                     rating = c(1, 2, 1), grp = c("x", "x", NA))
  expect_error(tally_ratings(long, by = "grp"), "missing values.*respondent 2")
  long$grp <- c("x", "y", "z")
  expect_error(tally_ratings(long, by = "grp"), "constant within each respondent")
  expect_error(tally_ratings(long, by = "nope"), "has no column nope")
  r <- as_ratings(long)
  expect_error(tally_ratings(r, by = "grp"), "constant within each respondent")
})
