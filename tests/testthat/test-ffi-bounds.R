# The .Call entry points refuse sizes the data cannot need (group counts,
# replicates, levels, panel sizes) before allocating anything, naming the
# argument (issue 15).  Each call must fail at once: a limit of a few
# seconds on the whole file guards against a check that runs after the work.

ffi <- function(name) get(name, envir = asNamespace("consensr"))

test_that("group counts are bounded by the respondents", {
  set.seed(1)
  cls <- as.raw(sample(0:3, 60 * 5, replace = TRUE))
  fr <- c(3, 4)
  G <- 3145728L
  t0 <- proc.time()[["elapsed"]]
  expect_error(.Call(ffi("ffi_jackknife"), cls, 60L, NULL, G, fr, NULL, FALSE),
               "`n_group` is 3145728, more than the number of respondents `n_resp` \\(60\\)")
  grp <- rep(c(1L, G), 30)
  expect_error(.Call(ffi("ffi_jackknife"), cls, 60L, grp, G, fr, NULL, FALSE), "`n_group`")
  expect_error(.Call(ffi("ffi_bootstrap"), cls, 60L, grp, G, 10L, fr, NULL, FALSE), "`n_group`")
  expect_lt(proc.time()[["elapsed"]] - t0, 2)
  # as many groups as respondents is fine
  res <- .Call(ffi("ffi_jackknife"), cls, 60L, 1:60, 60L, fr, NULL, FALSE)
  expect_identical(dim(res), c(60L, 5L))
  codes <- matrix(sample(c(1:3, NA), 60 * 5, replace = TRUE), 60)
  expect_error(.Call(ffi("ffi_tally"), codes, rep(1L, 60), G, 3L), "`n_group`")
  expect_length(.Call(ffi("ffi_tally"), codes, 1:60, 60L, 3L), 3L * 60L * 5L)
  kt <- c(1L, 2L)
  expect_error(.Call(ffi("ffi_rule"), kt, NULL, c(3L, 3L), G, fr, NULL, FALSE), "`n_group`")
  expect_error(.Call(ffi("ffi_sweep"), integer(), NULL, integer(), G, fr, NULL, FALSE), "`n_group`")
})

test_that("replicates, levels and row counts are bounded", {
  cls <- as.raw(c(0, 1, 2, 3, 2, 2))
  fr <- c(1, 2)
  expect_error(.Call(ffi("ffi_bootstrap"), cls, 3L, NULL, 1L, .Machine$integer.max, fr, NULL, FALSE),
               "`n_rep` is 2147483647, more than the largest number of replicates")
  counts <- c(2L, 1L, 0L, 3L)
  expect_error(.Call(ffi("ffi_agreement"), counts, 2L, 3L, FALSE, 0L, c(1, 2), .Machine$integer.max),
               "`B` is 2147483647")
  # a K x K work space from n_level: more levels than counts is refused
  K <- 100000L
  expect_error(.Call(ffi("ffi_agreement"), counts, K, 3L, FALSE, 0L, as.double(seq_len(K)), 0L),
               "`n_level` is 100000, more than the length of `counts` \\(4\\)")
  expect_error(.Call(ffi("ffi_read_long"), 1:2, 1000000L, 1:2, 1L, c(1, 2), NULL, c(1, 2), c("1", "2"), 2L),
               "`n_row` is 1000000")
})

test_that("the validity kernels bound the panel size before allocating", {
  expect_error(.Call(ffi("ffi_binom_critical"), 2000000000L, c(1, 20)),
               "`n` holds 2000000000 at position 1")
  expect_error(.Call(ffi("ffi_kappa_cmp"), 2000000000L, 5L, c(74, 100)), "`n` holds")
  expect_error(.Call(ffi("ffi_aiken_tail"), 2000000000L, 5L, 4L), "`n` holds")
  expect_error(.Call(ffi("ffi_aiken_tail"), 30000L, 5L, 40L), "n \\* k")
  expect_error(.Call(ffi("ffi_aiken_tail"), 3L, 5L, .Machine$integer.max), "`k`")
  # sizes within the bounds still work
  expect_identical(.Call(ffi("ffi_binom_critical"), c(10L, NA, 0L), c(1, 20)),
                   c(9L, NA, NA))
  expect_equal(.Call(ffi("ffi_aiken_tail"), 2L, 2L, 1L), 0.25)
})
