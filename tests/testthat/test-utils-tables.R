# Exact half-up percentages and the notes of the tables.

test_that("pct_half_up() rounds half away from zero in integers", {
  # 1/8 = 12.5% -> 13; 1/16 = 6.25% -> 6.3 (one decimal); 13/23 = 56.52% -> 56.5
  expect_identical(format_pct_half_up(1L, 8L, 0L), "13")
  expect_identical(format_pct_half_up(1L, 16L, 1L), "6.3")
  expect_identical(format_pct_half_up(13L, 23L, 1L, ","), "56,5")
  # an integer oracle on random counts
  set.seed(7)
  n <- sample.int(500L, 200L, replace = TRUE)
  k <- vapply(n, function(v) sample.int(v + 1L, 1L) - 1L, integer(1))
  ref <- (200L * k + n) %/% (2L * n)  # floor(100 k / n + 1/2)
  expect_identical(format_pct_half_up(k, n, 0L), as.character(ref))
})

test_that("the rounding note names the denominator and the decimals", {
  expect_match(rounding_note(1L, "the raters of each item"), "rounded half-up to 1 decimal")
  expect_snapshot(error = TRUE, cnd_class = TRUE, table_ratings(consensr::atmp_published, decimals = 7))
})
