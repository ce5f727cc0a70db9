# Large inputs.  The first tests are fast and always run: counts near
# .Machine$integer.max must be added up exactly or refused, never wrap to NA
# or a negative number.  The last one builds a rating matrix of more than
# 2^31 cells (8.6 GB) and runs only when CONSENSR_TEST_LARGE=true.

test_that("counts up to 2^31 - 1 are handled exactly, not wrapped or lost", {
  big <- .Machine$integer.max
  # one item whose count is the largest integer: n and prop exact
  x <- data.frame(item = "Q", level = c("yes", "no"), count = c(big - 1, 1))
  tab <- tally_ratings(x)
  expect_identical(tab$n, c(big, big))
  expect_identical(tab$count, c(big - 1L, 1L))
  res <- consensus(x, "yes", threshold = 0.999)
  expect_identical(res$n, big)
  expect_identical(res$count, big - 1L)
  expect_true(res$reached)
  # exactly at a threshold with counts near 2^31: (2^31 - 1) * 3/4 is not
  # whole, so 1610612735 of 2147483647 is just below 75%, one more reaches it
  k <- 1610612735
  below <- consensus(data.frame(item = "Q", level = c("yes", "no"), count = c(k, big - k)),
                     "yes", threshold = 0.75)
  above <- consensus(data.frame(item = "Q", level = c("yes", "no"), count = c(k + 1, big - k - 1)),
                     "yes", threshold = 0.75)
  expect_false(below$reached)
  expect_true(above$reached)
  # groups that add up to exactly 2^31 - 1, summed when the result is ungrouped
  g <- as_ratings(data.frame(item = "Q", level = "yes", g = c("a", "b"),
                             count = c(big - 5, 5)))
  expect_identical(consensus(g, "yes", threshold = 1)$n, big)
  expect_identical(tally_ratings(g)$n, big)
  expect_identical(consensus(g, "yes", threshold = 1, by = "g")$groups_reached, 2L)
  s <- threshold_sensitivity(g, "yes", threshold = 0.75, thresholds = c(0.5, 1))
  expect_identical(s$items$n, big)
  expect_identical(s$items$switch_at, "2147483647/2147483647")
})

test_that("counts adding up beyond 2^31 - 1 are refused, over levels or over groups", {
  big <- .Machine$integer.max
  over_levels <- data.frame(item = c("Q", "Q", "R"), level = c("yes", "no", "yes"),
                            count = c(big, 1, 3))
  expect_error(as_ratings(over_levels), "`count`s of an item can't add up to more than 2147483647.*Q")
  expect_error(tally_ratings(over_levels), "can't add up to more than 2147483647")
  expect_error(consensus(over_levels, "yes", threshold = 0.75), "can't add up to more than 2147483647")
  over_groups <- data.frame(item = "Q", level = "yes", g = c("a", "b"), count = c(big, 1))
  expect_error(as_ratings(over_groups, by = "g"), "can't add up to more than 2147483647")
  # stated denominators that add up beyond the range over groups
  stated <- data.frame(item = "Q", level = "yes", g = c("a", "b"), count = 1, n = big)
  expect_error(as_ratings(stated, by = "g"), "can't add up to more than 2147483647")
})

test_that("respondent-level tallies count in 64-bit positions, int counts", {
  # a column longer than the 2^24-cell blocks of the vector tally, with an
  # invalid code past the first block: found and reported at its place
  n <- 2^24 + 37
  codes <- matrix(rep_len(c(1L, 2L, 3L, NA), n), n, 1L)
  out <- .Call(consensr:::ffi_tally, codes, NULL, 1L, 3L)
  expect_identical(out, as.integer(tabulate(codes[, 1], 3L)))
  codes[n - 1, 1] <- 7L
  expect_error(.Call(consensr:::ffi_tally, codes, NULL, 1L, 3L),
               sprintf("`codes` holds 7 at row %d, column 1", n - 1))
  # invalid group codes are refused whatever the number of groups
  expect_error(.Call(consensr:::ffi_tally, matrix(1L, 2, 2), c(1L, 7L), 1L, 2L),
               "`group` holds an invalid code at position 2")
  expect_error(.Call(consensr:::ffi_tally, matrix(1L, 2, 2), c(NA, 1L), 2L, 2L),
               "`group` holds an invalid code at position 1")
})

test_that("a rating matrix of more than 2^31 cells is tallied exactly (CONSENSR_TEST_LARGE=true)", {
  skip_if_not(identical(Sys.getenv("CONSENSR_TEST_LARGE"), "true"),
              "set CONSENSR_TEST_LARGE=true to run (needs about 18 GB of memory)")
  n <- 50000L
  m <- 43000L
  cells <- as.numeric(n) * m
  expect_gt(cells, 2^31)
  t0 <- proc.time()[["elapsed"]]
  codes <- matrix(1L, n, m)  # 8.6 GB, a long vector
  # marks beyond 2^31 in the vector index, at known rows and columns
  at <- c(2^31 + 1, 2^31 + 10, cells - 1, cells)
  codes[at[1:2]] <- 2L
  codes[at[3]] <- NA
  codes[at[4]] <- 3L
  col_of <- (at - 1) %/% n + 1
  # the ratings object as as_ratings() builds it from wide data (as_ratings()
  # itself would need a second 8.6 GB copy for the data frame)
  r <- consensr:::new_ratings(
    levels = c("1", "2", "3"),
    items = data.frame(item = sprintf("q%05d", seq_len(m)), stringsAsFactors = FALSE),
    codes = codes, respondents = as.character(seq_len(n)), format = "wide"
  )
  rm(codes)
  tab <- consensr:::ratings_table(r, FALSE)
  expect_identical(dim(tab$counts), c(3L, 1L, m))
  want <- matrix(c(n, 0L, 0L), 3L, m)
  for (k in seq_along(at)) {
    j <- col_of[k]
    if (k <= 2L) want[, j] <- want[, j] + c(-1L, 1L, 0L)
    if (k == 3L) want[, j] <- want[, j] + c(-1L, 0L, 0L)
    if (k == 4L) want[, j] <- want[, j] + c(-1L, 0L, 1L)
  }
  expect_identical(unname(matrix(tab$counts, 3L)), want)
  expect_identical(sum(as.numeric(tab$n)), cells - 1)
  res <- consensus(r, "1", threshold = 1)
  expect_identical(sum(!res$reached), length(unique(col_of[-3])))
  s <- threshold_sensitivity(r, "1", threshold = 0.75, thresholds = c(0.9, 1))
  expect_identical(s$summary$n_reached, c(m, m - length(unique(col_of[-3]))))
  message(sprintf("large test: %.3g cells in %.0f s", cells,
                  proc.time()[["elapsed"]] - t0))
})
