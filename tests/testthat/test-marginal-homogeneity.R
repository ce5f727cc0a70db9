# Stuart-Maxwell and Bhapkar tests of marginal homogeneity between rounds
# (R/marginal-homogeneity.R, round_stability(test = ...)).

mh_rounds <- function(a, b, K = 3L, item = "Q") {
  lv <- LETTERS[seq_len(K)]
  n <- length(a)
  data.frame(respondent = rep(paste0("p", seq_len(n)), 2L), round = rep(1:2, each = n),
             item = item, rating = factor(lv[c(a, b)], levels = lv))
}

# Textbook Stuart-Maxwell: d and S without the last level, solve().
ref_sm <- function(tab) {
  K <- nrow(tab)
  d <- (rowSums(tab) - colSums(tab))[-K]
  S <- -(tab + t(tab))
  diag(S) <- rowSums(tab) + colSums(tab) - 2 * diag(tab)
  S <- S[-K, -K, drop = FALSE]
  as.numeric(t(d) %*% solve(S) %*% d)
}

vision <- matrix(c(1520, 266, 124, 66, 234, 1512, 432, 78, 117, 362, 1772, 205,
                   36, 82, 179, 492), 4, byrow = TRUE)

test_that("the tests reproduce Stuart's (1955) vision data", {
  # Source: Sun X, Yang Z (2008), Generalized McNemar's test for homogeneity
  # of the marginal distributions, SAS Global Forum paper 382-2008, on
  # Stuart's (1955) unaided distance vision of 7477 women: "Stuart-Maxwell
  # ... 11.9566, DF 3, p 0.0075"; "Bhapkar ... 11.9757, DF 3, p 0.0075".
  sm <- marginal_homogeneity(vision, "stuart_maxwell")
  bh <- marginal_homogeneity(vision, "bhapkar")
  expect_identical(round(sm$statistic, 4), 11.9566)
  expect_identical(round(bh$statistic, 4), 11.9757)
  expect_identical(c(sm$df, bh$df), c(3L, 3L))
  expect_identical(round(c(sm$p_value, bh$p_value), 4), c(0.0075, 0.0075))
})

test_that("Stuart-Maxwell equals the textbook formula; Bhapkar = X2 / (1 - X2 / n)", {
  set.seed(81)
  for (rep in trials(50)) {
    K <- sample(2:6, 1)
    n <- sample(5:60, 1)
    a <- sample.int(K, n, TRUE)
    b <- ifelse(stats::runif(n) < 0.4, a, sample.int(K, n, TRUE))
    tab <- matrix(tabulate((b - 1) * K + a, K * K), K, K)
    S <- -(tab + t(tab))
    diag(S) <- rowSums(tab) + colSums(tab) - 2 * diag(tab)
    full <- all(diag(S) > 0) && qr(S[-K, -K, drop = FALSE])$rank == K - 1
    sm <- marginal_homogeneity(tab, "stuart_maxwell")
    bh <- marginal_homogeneity(tab, "bhapkar")
    if (full) {
      expect_equal(sm$statistic, ref_sm(tab), tolerance = 1e-10)
      expect_identical(sm$df, as.integer(K - 1))
    }
    if (!is.na(sm$statistic) && sm$statistic < n) {
      expect_equal(bh$statistic, sm$statistic / (1 - sm$statistic / n), tolerance = 1e-12)
    }
  }
})

test_that("empty categories, separate groups of change and unanimous rounds", {
  # level C unused in both rounds: the test is that of levels A, B
  a <- c(1, 1, 2, 2, 1, 2, 1)
  b <- c(2, 1, 1, 2, 2, 2, 2)
  t3 <- matrix(tabulate((b - 1) * 3 + a, 9), 3, 3)
  sm <- marginal_homogeneity(t3, "stuart_maxwell")
  expect_equal(sm$statistic, ref_sm(t3[1:2, 1:2]), tolerance = 1e-12)
  expect_identical(sm$df, 1L)
  # McNemar without continuity correction on two levels
  mc <- stats::mcnemar.test(table(a, b), correct = FALSE)$statistic
  expect_equal(sm$statistic, unname(mc), tolerance = 1e-12)
  # changes 1 <-> 2 and 3 <-> 4 only: the sum of the two groups' statistics
  tab <- matrix(0, 4, 4)
  tab[1, 2] <- 3; tab[2, 1] <- 1; tab[3, 4] <- 4; tab[4, 3] <- 1; diag(tab) <- 2
  sm <- marginal_homogeneity(tab, "stuart_maxwell")
  expect_equal(sm$statistic, (3 - 1)^2 / 4 + (4 - 1)^2 / 5, tolerance = 1e-12)
  expect_identical(sm$df, 2L)
  # nobody changed; both rounds unanimous
  same <- marginal_homogeneity(diag(c(3, 2, 0)), "stuart_maxwell")
  expect_true(is.na(same$statistic))
  expect_match(same$note, "no panellist changed")
  una <- marginal_homogeneity(diag(c(0, 5, 0)), "bhapkar")
  expect_true(is.na(una$statistic))
  expect_match(una$note, "unanimous")
  # everybody moved from A to B: Stuart-Maxwell n, Bhapkar infinite
  oneway <- matrix(c(0, 0, 6, 0), 2, 2)
  expect_identical(marginal_homogeneity(oneway, "stuart_maxwell")$statistic, 6)
  bh <- marginal_homogeneity(oneway, "bhapkar")
  expect_identical(bh$statistic, Inf)
  expect_identical(bh$p_value, 0)
})

test_that("round_stability() offers both tests, equal to DescTools", {
  set.seed(82)
  a <- sample(4, 40, TRUE)
  b <- ifelse(stats::runif(40) < 0.5, a, sample(4, 40, TRUE))
  d <- mh_rounds(a, b, K = 4L)
  sm <- round_stability(d, test = "stuart_maxwell", quiet = TRUE)
  bh <- round_stability(d, test = "bhapkar", quiet = TRUE)
  tab <- table(factor(a, 1:4), factor(b, 1:4))
  expect_equal(sm$statistic, ref_sm(unclass(tab)), tolerance = 1e-10)
  expect_identical(sm$test, "stuart_maxwell")
  expect_match(format(sm)[1], "Stuart-Maxwell test")
  skip_if_not_installed("DescTools")
  ds <- DescTools::StuartMaxwellTest(tab)
  db <- DescTools::BhapkarTest(tab)
  expect_equal(sm$statistic, as.numeric(ds$statistic), tolerance = 1e-12)
  expect_identical(sm$df, as.integer(ds$parameter))
  expect_equal(sm$p_value, as.numeric(ds$p.value), tolerance = 1e-12)
  expect_equal(bh$statistic, as.numeric(db$statistic), tolerance = 1e-12)
  expect_equal(bh$p_value, as.numeric(db$p.value), tolerance = 1e-12)
})

test_that("Stuart-Maxwell and Bhapkar equal DescTools on random paired tables", {
  skip_if_not_installed("DescTools")
  set.seed(83)
  for (rep in trials(40)) {
    K <- sample(2:6, 1)
    n <- sample(10:80, 1)
    a <- sample.int(K, n, TRUE)
    b <- ifelse(stats::runif(n) < 0.3, a, sample.int(K, n, TRUE))
    tab <- table(factor(a, seq_len(K)), factor(b, seq_len(K)))
    sm <- marginal_homogeneity(unclass(tab), "stuart_maxwell")
    if (is.na(sm$statistic) || sm$df < K - 1) next   # DescTools needs every level moved
    bh <- marginal_homogeneity(unclass(tab), "bhapkar")
    expect_equal(sm$statistic, as.numeric(DescTools::StuartMaxwellTest(tab)$statistic), tolerance = 1e-10)
    expect_equal(bh$statistic, as.numeric(DescTools::BhapkarTest(tab)$statistic), tolerance = 1e-10)
  }
})

test_that("with an unchanged level, the statistic is DescTools' and df the levels tested", {
  skip_if_not_installed("DescTools")
  # level 3: nobody left or entered it
  tab <- matrix(c(5, 3, 0,
                  1, 4, 0,
                  0, 0, 6), 3, byrow = TRUE)
  sm <- marginal_homogeneity(tab, "stuart_maxwell")
  ds <- DescTools::StuartMaxwellTest(tab)
  expect_equal(sm$statistic, as.numeric(ds$statistic), tolerance = 1e-12)
  expect_identical(sm$df, 1L)                # DescTools: 2 (K - 1 of the full table)
  expect_identical(as.integer(ds$parameter), 2L)
  bh <- marginal_homogeneity(tab, "bhapkar")
  expect_equal(bh$statistic, sm$statistic / (1 - sm$statistic / sum(tab)), tolerance = 1e-12)
})
