frac <- function(x) .Call(consensr:::ffi_fraction, as.double(x), 1e-9)

test_that("thresholds are read as the fractions users meant", {
  expect_identical(frac(0.75), matrix(c(3, 4), 2))
  expect_identical(frac(1), matrix(c(1, 1), 2))
  expect_identical(frac(1 / 3), matrix(c(1, 3), 2))
  expect_identical(frac(2 / 3), matrix(c(2, 3), 2))
  expect_identical(frac(0.7), matrix(c(7, 10), 2))
  expect_identical(frac(0.29), matrix(c(29, 100), 2))
  # seq() values are not the round numbers in binary
  s <- seq(0.5, 1, by = 0.01)
  expect_false(s[8] == 0.57)
  fr <- frac(s)
  expect_identical(fr[1, ] / fr[2, ], (50:100) / 100)
  expect_identical(fr[, 8], c(57, 100))
  # 0.56 * 100 is 56.00000000000001, still 14/25
  expect_identical(frac(0.56), matrix(c(14, 25), 2))
})

test_that("fractions match a brute-force search", {
  set.seed(42)
  for (i in 1:300) {
    q <- sample.int(2000, 1)
    p <- sample.int(q, 1)
    x <- p / q
    expect_identical(as.vector(frac(x)), ref_fraction(x), info = paste(p, q))
  }
  # values that are not simple fractions find the smallest denominator
  for (x in c(0.123456, 0.7071, 0.999, 0.001, 0.3333)) {
    expect_identical(as.vector(frac(x)), ref_fraction(x, max_q = 1e6), info = x)
  }
})

test_that("out-of-range values give NA from C and errors from R", {
  expect_true(all(is.na(frac(c(0, -1, 2, NA, NaN, Inf, 1e-12)))))
  expect_error(.Call(consensr:::ffi_fraction, 1L, 1e-9), "double")
  expect_error(.Call(consensr:::ffi_fraction, 0.5, "a"), "tol")
  expect_error(.Call(consensr:::ffi_fraction, 0.5, c(1, 2)), "tol")
  x <- data.frame(item = "a", level = "y", count = 1)
  expect_error(consensus(x, "y", threshold = 75), "not a percentage")
  expect_error(consensus(x, "y", threshold = 75), "0.75")
  expect_error(consensus(x, "y", threshold = 150), "threshold")
  expect_error(consensus(x, "y", threshold = 0), "\\(0, 1\\]")
  expect_error(consensus(x, "y", threshold = -0.5), "threshold")
  expect_error(consensus(x, "y", threshold = NA), "threshold")
  expect_error(consensus(x, "y", threshold = Inf), "threshold")
  expect_error(consensus(x, "y", threshold = "0.75"), "threshold")
  expect_error(consensus(x, "y", threshold = c(0.7, 0.8)), "single number")
  expect_error(consensus(x, "y", threshold = 1e-12), "fraction")
})
