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
  for (i in trials(300)) {
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

test_that("exact fractions given as text are taken as they are", {
  M <- 2147483647
  x <- data.frame(item = c("a", "a", "b", "b"), level = factor(c("y", "n", "y", "n"), c("n", "y")),
                  count = c(M - 1, 1, 3, 1))
  # the number is read as 1: M-1 of M does not reach it (with a message)
  expect_snapshot(res <- consensus(x, "y", threshold = (M - 1) / M, levels = c("n", "y")))
  expect_identical(res$reached, c(FALSE, FALSE))
  # the text is exact: M-1 of M reaches it, 3 of 4 does not
  res <- expect_silent(consensus(x, "y", threshold = "2147483646/2147483647",
                                       levels = c("n", "y")))
  expect_identical(res$reached, c(TRUE, FALSE))
  expect_identical(as.vector(consensr:::as_fraction("6/8", "t")), c(3, 4))
  expect_identical(consensr:::as_fraction(c("1/2", " 2 / 3 "), "t", scalar = FALSE),
                   matrix(c(1, 2, 2, 3), 2))
  expect_identical(consensus(x, "y", threshold = "3/4", levels = c("n", "y"))$reached,
                   consensus(x, "y", threshold = 0.75, levels = c("n", "y"))$reached)
  # everywhere a threshold is taken
  s <- threshold_sensitivity(x, "y", threshold = "3/4",
                             thresholds = c("2147483646/2147483647", "1/2"))
  expect_identical(s$summary$n_reached, c(2L, 1L))
  two <- consensus(x, "y", threshold = "3/4", opposite = "n",
                   opposite_threshold = "1/4")
  expect_identical(two$reached, c(TRUE, FALSE))
  expect_snapshot(error = TRUE, consensus(x, "y", threshold = "0.75"))
  expect_snapshot(error = TRUE, consensus(x, "y", threshold = "5/4"))
  expect_error(consensus(x, "y", threshold = "0/4"), class = "consensr_error")
  expect_error(consensus(x, "y", threshold = "1/3000000000"), class = "consensr_error")
})

test_that("a snap gets a message only when some k/n lies between", {
  msg <- function(x) {
    fr <- consensr:::as_fraction(x, "t", scalar = FALSE, quiet = TRUE)
    .Call(consensr:::ffi_fraction_snaps, as.double(x), fr)
  }
  # binary noise of seq() and round numbers: no k/n with n < 2^31 between
  expect_identical(msg(seq(0.5, 1, by = 0.01))[1, ], rep(0, 51))
  expect_true(all(msg(c(0.75, 1, 1 / 3, 2 / 3, 0.7500000001))[1, ] == 0))
  expect_silent(consensr:::as_fraction(seq(0.5, 1, by = 0.01), "t", scalar = FALSE))
  # (M-1)/M is read as 1, and (M-1)/M itself lies between
  M <- 2147483647
  expect_identical(msg((M - 1) / M)[, 1], c(1, M - 1, M))
  # 0.75 + 5e-10 is read as 3/4; fractions with n near 2^31 lie between
  sn <- msg(0.75 + 5e-10)
  expect_identical(sn[1, 1], 1)
  expect_true(sn[2, 1] / sn[3, 1] > 0.75 && sn[2, 1] / sn[3, 1] <= 0.75 + 5e-10)
  expect_identical(sn[2, 1] * 4 - sn[3, 1] * 3, 1)  # the Farey neighbour
  # brute force on a small scale: the neighbour is the closest k/n <= 2^31
  set.seed(3)
  for (i in trials(50)) {
    q <- sample.int(50, 1)
    p <- sample.int(q, 1)
    if (p == q) next
    d <- sample(c(-1, 1), 1) * runif(1, 1e-12, 9e-10)
    x <- p / q + d
    fr <- consensr:::as_fraction(x, "t", quiet = TRUE)
    if (!identical(as.vector(fr), as.double(c(p, q)) / consensr:::gcd_double(p, q))) next
    sn <- msg(x)
    # exists k/n between iff the closest on that side is within |d|
    nb <- sn[2, 1] / sn[3, 1]
    if (sn[1, 1] == 1) {
      expect_true(abs(nb - p / q) <= abs(d) * (1 + 1e-6), info = paste(p, q, d))
    } else {
      # no neighbour within: 1 / (q * 2^31) > |d| up to rounding
      expect_true(1 / (q * 2147483647) >= abs(d) * (1 - 1e-6), info = paste(p, q, d))
    }
  }
  expect_snapshot(invisible(consensr:::as_fraction(0.75 + 5e-10, "threshold")))
})
