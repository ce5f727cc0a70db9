unclass_tally <- function(x) {
  x <- as.data.frame(x)
  attributes(x) <- attributes(x)[c("names", "row.names", "class")]
  x
}

tally_c <- function(codes, group = NULL, G = 1L, K) {
  out <- .Call(consensr:::ffi_tally, codes, group, as.integer(G), as.integer(K))
  dim(out) <- c(K, G, ncol(codes))
  out
}

test_that("the C tally matches table() on random data", {
  set.seed(1)
  for (i in trials(300)) {
    K <- sample(2:9, 1)
    n <- sample(c(0:3, 10, 57), 1)
    m <- sample(0:6, 1)
    G <- sample(seq_len(max(1, min(4, n))), 1)  # a group holds a respondent
    codes <- matrix(sample(c(seq_len(K), NA), n * m, replace = TRUE), n, m)
    if (m > 0 && n > 0 && stats::runif(1) < 0.3) codes[, 1] <- NA  # all-missing item
    group <- if (G > 1) sample.int(G, n, replace = TRUE) else NULL
    expect_identical(tally_c(codes, group, G, K), ref_tally(codes, group, K, G))
  }
})

test_that("large inputs (beyond R's small-vector pools) tally correctly", {
  set.seed(2)
  codes <- matrix(sample(c(1:5, NA), 2003 * 37, replace = TRUE), 2003, 37)
  group <- sample.int(3, 2003, replace = TRUE)
  expect_identical(tally_c(codes, NULL, 1, 5), ref_tally(codes, NULL, 5))
  expect_identical(tally_c(codes, group, 3, 5), ref_tally(codes, group, 5, 3))
  # a long scale takes the general path
  codes <- matrix(sample(c(1:300, NA), 500 * 3, replace = TRUE), 500, 3)
  expect_identical(tally_c(codes, NULL, 1, 300), ref_tally(codes, NULL, 300))
})

test_that("the C entry point checks its arguments", {
  ok <- matrix(1L, 2, 2)
  f <- consensr:::ffi_tally
  expect_error(.Call(f, c(1L, 2L), NULL, 1L, 2L), "integer matrix")
  expect_error(.Call(f, matrix(1, 2, 2), NULL, 1L, 2L), "integer matrix")
  expect_error(.Call(f, ok, NULL, 1L, 0L), "n_level")
  expect_error(.Call(f, ok, NULL, 1L, NA_integer_), "n_level")
  expect_error(.Call(f, ok, NULL, 2L, 2L), "n_group")
  expect_error(.Call(f, ok, 1L, 1L, 2L), "group")
  expect_error(.Call(f, ok, c(1L, 3L), 2L, 2L), "group")
  expect_error(.Call(f, ok, c(1, 2), 2L, 2L), "group")
  expect_error(.Call(f, matrix(c(1L, 3L), 1), NULL, 1L, 2L), "codes.*row 1, column 2")
  expect_error(.Call(f, matrix(c(1L, 0L), 2), NULL, 1L, 2L), "codes.*row 2, column 1")
  expect_error(.Call(f, matrix(c(1L, -5L), 2), c(1L, 1L), 1L, 2L), "codes")
  expect_error(.Call(f, ok, NULL, "1", 2L), "n_group")
})

test_that("tally_ratings() counts, keeps empty levels and item order", {
  long <- data.frame(
    respondent = c("a", "a", "b", "b", "c", "c"),
    item = c("Q2", "Q1", "Q2", "Q1", "Q2", "Q1"),
    rating = c("yes", "no", "yes", NA, "no", "no"),
    area = c("A", "B", "A", "B", "A", "B")
  )
  t <- tally_ratings(long, levels = c("no", "maybe", "yes"))
  expect_s3_class(t, "consensr_tally")
  expect_identical(unique(t$item), c("Q2", "Q1"))
  expect_identical(levels(t$level), c("no", "maybe", "yes"))
  expect_identical(t$count, c(1L, 0L, 2L, 2L, 0L, 0L))
  expect_identical(t$n, c(3L, 3L, 3L, 2L, 2L, 2L))
  expect_equal(t$prop, c(1 / 3, 0, 2 / 3, 1, 0, 0))
  expect_identical(t$area, rep(c("A", "B"), each = 3))
  expect_output(print(t), "2 items x 3 levels")
})

test_that("tally_ratings() agrees across long, wide and counts input", {
  set.seed(3)
  long <- random_long(12, 4, 5, p_na = 0.3)
  lv <- paste0("L", 1:5)
  t_long <- tally_ratings(long, levels = lv)
  wide <- reshape(long[c("respondent", "item", "rating")], idvar = "respondent",
                  timevar = "item", direction = "wide")
  names(wide) <- sub("rating.", "", names(wide), fixed = TRUE)
  t_wide <- tally_ratings(wide, levels = lv)
  expect_identical(t_wide[c("item", "level", "count", "n")],
                   t_long[c("item", "level", "count", "n")])
  t_counts <- tally_ratings(as.data.frame(t_long)[c("item", "level", "count", "n")])
  expect_identical(unclass_tally(t_counts), unclass_tally(t_long[c("item", "level", "count", "n", "prop")]))
  # a tally goes back in as counts
  expect_identical(unclass_tally(tally_ratings(t_long)), unclass_tally(t_long))
})

test_that("grouped tallies match table() per group", {
  set.seed(4)
  long <- random_long(30, 5, 4, p_na = 0.1, G = 3)
  t <- tally_ratings(long, by = "group", levels = paste0("L", 1:4))
  expect_identical(levels(t$group), c("g1", "g2", "g3"))
  for (g in levels(t$group)) {
    sub <- long[long$group == g, ]
    ref <- table(factor(sub$item, unique(long$item)), sub$rating)
    got <- t[t$group == g, ]
    expect_identical(got$count, as.integer(t(ref)), info = g)
  }
  # without `by` the groups are pooled
  expect_identical(tally_ratings(long, levels = paste0("L", 1:4))$count,
                   as.integer(t(table(factor(long$item, unique(long$item)), long$rating))))
})

test_that("an item nobody rated has n = 0 and prop NA", {
  long <- data.frame(respondent = c("a", "b"), item = c("Q1", "Q1"),
                     rating = c(NA, NA))
  t <- tally_ratings(long, levels = 1:3)
  expect_identical(t$n, c(0L, 0L, 0L))
  expect_true(all(is.na(t$prop)))
})
