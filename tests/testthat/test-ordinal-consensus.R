# ordinal_consensus() and its C kernels (src/ordinal.c): a published
# example, pure-R oracles on random distributions, agrmt, edge cases.

# pure-R oracles written from the papers' formulas
ref_tastle <- function(v) {
  n <- sum(v)
  if (max(v) == n) return(1)
  p <- v / n
  pos <- seq_along(v)
  mu <- sum(pos * p)
  nz <- v > 0
  1 + sum(p[nz] * log2(1 - abs(pos[nz] - mu) / (length(v) - 1)))
}
ref_leik <- function(v) {
  f <- cumsum(v) / sum(v)
  sum(pmin(f, 1 - f)) / ((length(v) - 1) / 2)
}
ref_eijk <- function(v) {
  K <- length(v)
  n <- sum(v)
  pattern_a <- function(pat) {
    S <- sum(pat)
    if (S == 1) return(1)
    tu <- tdu <- 0
    for (i in 1:(K - 2)) for (j in (i + 1):(K - 1)) for (m in (j + 1):K) {
      t <- c(pat[i], pat[j], pat[m])
      if (all(t == c(1, 0, 1))) tdu <- tdu + 1
      if (all(t == c(1, 1, 0)) || all(t == c(0, 1, 1))) tu <- tu + 1
    }
    if (tu + tdu == 0) return(0)
    u <- ((K - 2) * tu - (K - 1) * tdu) / ((K - 2) * (tu + tdu))
    u * (1 - (S - 1) / (K - 1))
  }
  a <- 0
  r <- v
  while (any(r > 0)) {
    pat <- as.integer(r > 0)
    m <- min(r[r > 0])
    a <- a + sum(pat) * m / n * pattern_a(pat)
    r <- r - pat * m
  }
  a
}

counts_of <- function(v) data.frame(item = "x", level = seq_along(v), count = v)

test_that("Tastle & Wierman's consensus reproduces agrmt's documented example", {
  # Source: agrmt documentation of consensus(): "V <- c(30,40,210,130,530,50,10)
  # ... The degree of consensus is given as 0.7256876".
  v <- c(30, 40, 210, 130, 530, 50, 10)
  res <- ordinal_consensus(counts_of(v), levels = 1:7, quiet = TRUE)
  expect_identical(round(res$cns, 7), 0.7256876)
  # the bounds of the papers: all at one level; an even split at the extremes
  split <- ordinal_consensus(counts_of(c(5, 0, 0, 0, 5)), levels = 1:5, quiet = TRUE)
  expect_identical(c(split$cns, split$leik, split$agreement), c(0, 1, -1))
  one <- ordinal_consensus(counts_of(c(0, 0, 9, 0, 0)), levels = 1:5, quiet = TRUE)
  expect_identical(c(one$cns, one$leik, one$agreement), c(1, 0, 1))
  # van der Eijk (2001): a uniform distribution has A = 0
  unif <- ordinal_consensus(counts_of(rep(3, 5)), levels = 1:5, quiet = TRUE)
  expect_identical(unif$agreement, 0)
})

test_that("the kernels equal pure-R oracles on random distributions", {
  set.seed(61)
  for (rep in trials(300)) {
    K <- sample(3:9, 1)
    v <- sample(0:6, K, TRUE)
    if (sum(v) == 0) v[sample.int(K, 1)] <- 1L
    res <- .Call(consensr:::ffi_ordinal_consensus, matrix(as.integer(v), K, 1))
    expect_equal(res[1, 1], ref_tastle(v), tolerance = 1e-14)
    expect_equal(res[1, 2], ref_leik(v), tolerance = 1e-14)
    expect_equal(res[1, 3], ref_eijk(v), tolerance = 1e-14)
  }
})

test_that("ordinal_consensus equals agrmt on random distributions", {
  skip_if_not_installed("agrmt")
  set.seed(62)
  for (rep in trials(300)) {
    K <- sample(3:9, 1)
    v <- sample(0:8, K, TRUE)
    if (sum(v) == 0) v[sample.int(K, 1)] <- 1L
    res <- ordinal_consensus(counts_of(v), levels = seq_len(K), quiet = TRUE)
    # agrmt takes the mean of the expanded ratings: a different summation order
    expect_equal(res$cns, agrmt::consensus(v), tolerance = 1e-13)
    expect_equal(res$leik, agrmt::Leik(v), tolerance = 1e-15)
    expect_equal(res$agreement, agrmt::agreement(v), tolerance = 1e-15)
  }
})

test_that("edge cases: unrated item, short scales, one rater; by and round", {
  m <- matrix(c(1L, NA, NA, NA), 1, 4, dimnames = list("r1", c("a", "b", "c", "d")))
  res <- ordinal_consensus(m, levels = 1:2, quiet = TRUE)
  expect_identical(res$n, c(1L, 0L, 0L, 0L))
  expect_identical(res$cns, c(1, NA, NA, NA))
  expect_identical(res$leik, c(0, NA, NA, NA))
  expect_identical(res$agreement, rep(NA_real_, 4))   # A needs 3 levels
  one_level <- ordinal_consensus(counts_of(3), levels = 1, quiet = TRUE)
  expect_true(is.na(one_level$cns) && is.na(one_level$leik))
  set.seed(63)
  long <- expand.grid(respondent = 1:12, item = c("p", "q"))
  long$rating <- sample(1:5, 24, TRUE)
  long$side <- ifelse(long$respondent <= 6, "L", "R")
  g <- ordinal_consensus(long, levels = 1:5, by = "side", quiet = TRUE)
  l <- ordinal_consensus(long[long$side == "L", ], levels = 1:5, quiet = TRUE)
  expect_identical(g$cns[g$side == "L"], l$cns)
  long$round <- rep(1:2, each = 12)
  rr <- ordinal_consensus(long, levels = 1:5, round = "round", quiet = TRUE)
  expect_identical(rr$round, 1:2)
  expect_error(.Call(consensr:::ffi_ordinal_consensus, matrix(-1L, 2, 1)), "counts >= 0")
  expect_error(.Call(consensr:::ffi_ordinal_consensus, 1:3), "integer matrix")
})
