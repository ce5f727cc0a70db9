# Shares and percentages for results and prints.

test_that("safe_prop() is NA where nobody rated and exact elsewhere", {
  expect_identical(safe_prop(c(3L, 0L, 2L), c(4L, 0L, 2L)), c(0.75, NA, 1))
  expect_identical(safe_prop(integer(), integer()), logical())
})

test_that("format_pct() keeps up to four significant digits", {
  expect_identical(format_pct(c(0.75, 1 / 3, 0.57, 1)), c("75%", "33.33%", "57%", "100%"))
})
