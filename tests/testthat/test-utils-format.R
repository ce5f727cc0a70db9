# Shares and percentages for results and prints.

test_that("safe_prop() is NA where nobody rated and exact elsewhere", {
  expect_identical(safe_prop(c(3L, 0L, 2L), c(4L, 0L, 2L)), c(0.75, NA, 1))
  expect_identical(safe_prop(integer(), integer()), logical())
})

test_that("format_pct() keeps up to four significant digits", {
  expect_identical(format_pct(c(0.75, 1 / 3, 0.57, 1)), c("75%", "33.33%", "57%", "100%"))
})

test_that("format_pct() never shows a threshold just below 100% as 100%", {
  expect_identical(format_pct(c(0.75, 0.57, 2 / 3, 1, 0)), c("75%", "57%", "66.67%", "100%", "0%"))
  expect_identical(format_pct(2147483646 / 2147483647), "99.99999995%")
  expect_identical(format_pct(0.99999), "99.999%")
  expect_identical(format_pct(1e-7), "0.00001%")
})

test_that("a rule just below 100% is not printed as 100%", {
  x <- data.frame(item = "Q", level = c("yes", "no"), count = c(2147483646, 1))
  res <- consensus(x, "yes", threshold = "2147483646/2147483647", levels = c("yes", "no"))
  expect_true(res$reached)
  expect_match(consensus_headline(res)[1L], ">= 99.99999995% yes", fixed = TRUE)
  expect_match(format(attr(res, "rule")), ">= 99.99999995% yes", fixed = TRUE)
})
