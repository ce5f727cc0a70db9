# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

# Two rounds of one item from vectors of codes (NA allowed) on a K-level
# scale; respondents p1, p2, ...
two_rounds <- function(a, b, K = 3L, item = "Q") {
  lv <- LETTERS[seq_len(K)]
  n <- length(a)
  data.frame(
    respondent = rep(paste0("p", seq_len(n)), 2L),
    round = rep(1:2, each = n),
    item = item,
    rating = factor(lv[c(a, b)], levels = lv),
    stringsAsFactors = FALSE
  )
}

# Pure-R references, written independently of the package code.
# Weighted kappa from disagreement weights: 1 - sum(v * o) / sum(v * e).
ref_kappa <- function(a, b, K, type) {
  o <- table(factor(a, 1:K), factor(b, 1:K))
  e <- outer(rowSums(o), colSums(o)) / sum(o)
  v <- matrix(0, K, K)
  for (i in 1:K) for (j in 1:K) {
    v[i, j] <- if (type == "linear") abs(i - j) / (K - 1) else (i - j)^2 / (K - 1)^2
  }
  unname(1 - sum(v * o) / sum(v * e))
}

# Fleiss, Cohen and Everitt (1969) standard error, written with loops.
ref_kappa_se <- function(a, b, K, type) {
  o <- table(factor(a, 1:K), factor(b, 1:K))
  n <- sum(o)
  p <- o / n
  w <- matrix(0, K, K)
  for (i in 1:K) for (j in 1:K) {
    w[i, j] <- if (type == "linear") 1 - abs(i - j) / (K - 1) else 1 - (i - j)^2 / (K - 1)^2
  }
  pi <- rowSums(p)
  pj <- colSums(p)
  po <- 0
  pe <- 0
  for (i in 1:K) for (j in 1:K) {
    po <- po + w[i, j] * p[i, j]
    pe <- pe + w[i, j] * pi[i] * pj[j]
  }
  k <- (po - pe) / (1 - pe)
  wbar_i <- numeric(K)
  wbar_j <- numeric(K)
  for (i in 1:K) for (j in 1:K) {
    wbar_i[i] <- wbar_i[i] + pj[j] * w[i, j]
    wbar_j[j] <- wbar_j[j] + pi[i] * w[i, j]
  }
  s <- 0
  for (i in 1:K) for (j in 1:K) {
    s <- s + p[i, j] * (w[i, j] - (wbar_i[i] + wbar_j[j]) * (1 - k))^2
  }
  unname(sqrt((s - (k - pe * (1 - k))^2) / (n * (1 - pe)^2)))
}

# The unweighted kappa SE of Fleiss, Cohen and Everitt (1969), in its own
# form: with two levels the linear and quadratic weights are unweighted.
ref_kappa_se_unweighted <- function(a, b) {
  o <- table(factor(a, 1:2), factor(b, 1:2))
  n <- sum(o)
  p <- o / n
  pi <- rowSums(p)
  pj <- colSums(p)
  po <- sum(diag(p))
  pe <- sum(pi * pj)
  k <- (po - pe) / (1 - pe)
  s1 <- sum(diag(p) * (1 - (pi + pj) * (1 - k))^2)
  s2 <- 0
  for (i in 1:2) for (j in 1:2) if (i != j) s2 <- s2 + p[i, j] * (pj[i] + pi[j])^2
  unname(sqrt((s1 + (1 - k)^2 * s2 - (k - pe * (1 - k))^2) / (n * (1 - pe)^2)))
}

ref_bowker <- function(a, b, K) {
  o <- table(factor(a, 1:K), factor(b, 1:K))
  stat <- 0
  df <- 0L
  for (i in 1:(K - 1)) for (j in (i + 1):K) {
    if (o[i, j] + o[j, i] > 0) {
      stat <- stat + (o[i, j] - o[j, i])^2 / (o[i, j] + o[j, i])
      df <- df + 1L
    }
  }
  unname(c(stat, df))
}

test_that("stability statistics of a small item match hand computation", {
  # 1 1 2 2 3 -> 1 2 2 2 3: one change (1 -> 2)
  d <- two_rounds(c(1, 1, 2, 2, 3), c(1, 2, 2, 2, 3))
  s <- round_stability(d)
  expect_s3_class(s, "consensr_stability")
  expect_identical(s$n, 5L)
  expect_identical(s$changed, 1L)
  expect_equal(s$prop_changed, 0.2)
  # histograms (2, 2, 1) and (1, 3, 1): net change (1 + 1 + 0) / 2 / 5
  expect_equal(s$net_change, 0.2)
  expect_false(s$stable)
  # Bowker: only the pair (1, 2) is non-empty: (1 - 0)^2 / 1 on 1 df
  expect_equal(s$statistic, 1)
  expect_identical(s$df, 1L)
  expect_equal(s$p_value, stats::pchisq(1, 1, lower.tail = FALSE))
  # linear kappa by hand: observed agreement with weights 1, .5, 0
  # o = [1 1 0; 0 2 0; 0 0 1] / 5, margins (.4, .4, .2) and (.2, .6, .2)
  w <- 1 - abs(outer(1:3, 1:3, "-")) / 2
  o <- matrix(c(1, 0, 0, 1, 2, 0, 0, 0, 1), 3) / 5
  po <- sum(w * o)
  pe <- sum(w * outer(c(0.4, 0.4, 0.2), c(0.2, 0.6, 0.2)))
  expect_equal(po, 0.9)
  expect_equal(s$kappa_linear, (po - pe) / (1 - pe))
  expect_equal(s$kappa_linear, ref_kappa(c(1, 1, 2, 2, 3), c(1, 2, 2, 2, 3), 3, "linear"))
  expect_equal(s$lower_linear, s$kappa_linear - stats::qnorm(0.975) * s$se_linear)
  expect_identical(s$test, "bowker")
  expect_true(is.na(s$note))
})

test_that("weighted kappa and its SE match pure-R references on random data", {
  set.seed(11)
  for (iter in trials(25)) {
    K <- sample(2:5, 1)
    n <- sample(8:40, 1)
    a <- sample(K, n, replace = TRUE)
    b <- ifelse(runif(n) < 0.6, a, sample(K, n, replace = TRUE))
    if (length(unique(a)) < 2 || length(unique(b)) < 2) next
    a[sample(n, 2)] <- NA  # missing in one round: not paired
    s <- round_stability(two_rounds(a, b, K))
    ok <- !is.na(a) & !is.na(b)
    expect_identical(s$n, sum(ok))
    for (type in c("linear", "quadratic")) {
      expect_equal(s[[paste0("kappa_", type)]], ref_kappa(a[ok], b[ok], K, type))
      expect_equal(s[[paste0("se_", type)]], ref_kappa_se(a[ok], b[ok], K, type))
    }
    expect_equal(s$prop_changed, mean(a[ok] != b[ok]))
    h1 <- tabulate(a[ok], K)
    h2 <- tabulate(b[ok], K)
    expect_equal(s$net_change, sum(abs(h1 - h2)) / 2 / sum(ok))
    bw <- ref_bowker(a[ok], b[ok], K)
    if (bw[2] > 0) {
      expect_equal(s$statistic, bw[1])
      expect_identical(s$df, as.integer(bw[2]))
    }
  }
})

test_that("with two levels, kappa is unweighted and Bowker is McNemar's test", {
  set.seed(5)
  for (iter in trials(10)) {
    n <- sample(10:30, 1)
    a <- sample(2, n, replace = TRUE)
    b <- ifelse(runif(n) < 0.7, a, 3L - a)
    if (length(unique(a)) < 2 || length(unique(b)) < 2 || all(a == b)) next
    s <- round_stability(two_rounds(a, b, K = 2L))
    mc <- stats::mcnemar.test(table(factor(a, 1:2), factor(b, 1:2)), correct = FALSE)
    expect_equal(s$statistic, unname(mc$statistic))
    expect_equal(s$p_value, mc$p.value)
    expect_equal(s$kappa_linear, s$kappa_quadratic)
    expect_equal(s$se_linear, ref_kappa_se_unweighted(a, b))
  }
})

test_that("kappa agrees with irr::kappa2 when it is installed", {
  skip_if_not_installed("irr")
  set.seed(3)
  a <- sample(3, 30, replace = TRUE)
  b <- ifelse(runif(30) < 0.5, a, sample(3, 30, replace = TRUE))
  s <- round_stability(two_rounds(a, b))
  expect_equal(s$kappa_linear, irr::kappa2(cbind(a, b), weight = "equal")$value)
  expect_equal(s$kappa_quadratic, irr::kappa2(cbind(a, b), weight = "squared")$value)
})

test_that("Bowker drops empty pairs where mcnemar.test gives NaN", {
  a <- c(1, 1, 2, 2, 3, 3, 1)
  b <- c(2, 1, 1, 2, 3, 3, 2)
  s <- round_stability(two_rounds(a, b))
  # pairs: (1,2): 2 vs 1; (1,3) and (2,3) empty
  expect_equal(s$statistic, (2 - 1)^2 / 3)
  expect_identical(s$df, 1L)
  mc <- suppressWarnings(stats::mcnemar.test(table(factor(a, 1:3), factor(b, 1:3))))
  expect_true(is.nan(mc$statistic))
})

test_that("kappa is NA with a note when a round is unanimous", {
  s <- round_stability(two_rounds(c(1, 1, 1, 1), c(1, 2, 1, 1)))
  expect_true(is.na(s$kappa_linear))
  expect_true(is.na(s$kappa_quadratic))
  expect_match(s$note, "first round is unanimous \\(A\\)")
  expect_match(s$note, "Holey")
  expect_equal(s$prop_changed, 0.25)
  s2 <- round_stability(two_rounds(c(1, 1, 1), c(1, 1, 1)))
  expect_match(s2$note, "both rounds are unanimous \\(A\\)")
  expect_match(s2$note, "no panellist changed")
  expect_true(is.na(s2$statistic))
  expect_true(s2$stable)
})

test_that("the chi-square test compares the two rounds' distributions", {
  a <- c(1, 1, 2, 2, 3, 1, 2, 2, 1, 1)
  b <- c(1, 2, 2, 2, 2, 1, 2, 3, 1, 2)
  s <- round_stability(two_rounds(a, b), test = "chisq")
  tab <- rbind(tabulate(a, 3), tabulate(b, 3))
  ct <- suppressWarnings(stats::chisq.test(tab, correct = FALSE))
  expect_equal(s$statistic, unname(ct$statistic))
  expect_identical(s$df, 2L)
  expect_equal(s$p_value, ct$p.value)
  expect_match(s$note, "expected counts below 5")
  # a level nobody used is dropped
  s2 <- round_stability(two_rounds(c(1, 1, 2, 2), c(1, 2, 2, 2)), test = "chisq")
  expect_identical(s2$df, 1L)
})

test_that("only panellists who rated the item in both rounds are compared", {
  d <- two_rounds(c(1, 2, NA, 1), c(1, NA, 2, 2))
  d <- d[!(d$round == 2 & d$respondent == "p4"), ]  # p4 left after round 1
  s <- round_stability(d)
  expect_identical(s$n, 1L)
  expect_match(s$note, "one panellist")
  expect_identical(s$changed, 0L)
})

test_that("from and to choose the rounds; errors name the argument", {
  d <- two_rounds(c(1, 2, 3, 1), c(1, 2, 2, 1))
  d3 <- rbind(d, transform(d[d$round == 2, ], round = 3L))
  s <- round_stability(d3)
  expect_identical(as.character(s$from), c("1", "2"))
  expect_identical(as.character(s$to), c("2", "3"))
  s13 <- round_stability(d3, from = 1, to = "3")
  expect_identical(nrow(s13), 1L)
  expect_identical(as.character(s13$to), "3")
  expect_identical(nrow(round_stability(d3, from = 2)), 1L)
  expect_error(round_stability(d3, from = 4), "from")
  expect_error(round_stability(d3, from = 1, to = 1), "different rounds")
  expect_error(round_stability(d[d$round == 1, ]), "at least two rounds")
  expect_error(round_stability(d, round = "wave"), "wave")
  expect_error(round_stability(d, conf_level = 95), "conf_level")
  expect_error(round_stability(d, test = "fisher"), "test")
  counts <- data.frame(item = "Q", level = c("A", "B"), count = c(3, 1), round = c(1, 2))
  expect_error(round_stability(counts), "not counts")
})

test_that("stability on the example", {
  r <- example_ratings()
  s <- round_stability(r)
  expect_identical(nrow(s), 17L)
  expect_true(all(s$n <= 20L))
  expect_equal(s$net_change <= s$prop_changed, rep(TRUE, 17))
  expect_output(print(s), "round_1_arm_1 -> round_2_arm_1")
})

test_that("the 15% net-change criterion is applied exactly", {
  # 20 panellists, 3 move from A to B: net change 3/20 = 15%, not stable
  a <- c(rep(1, 10), rep(2, 10))
  b <- a
  b[1:3] <- 2
  s <- round_stability(two_rounds(a, b, K = 2L))
  expect_equal(s$net_change, 0.15)
  expect_false(s$stable)
  b[3] <- 1
  expect_true(round_stability(two_rounds(a, b, K = 2L))$stable)
  # changes that cancel out leave the distribution unchanged
  c2 <- a
  c2[c(1, 11)] <- c(2, 1)
  s2 <- round_stability(two_rounds(a, c2, K = 2L))
  expect_identical(s2$net_change, 0)
  expect_equal(s2$prop_changed, 0.1)
})
