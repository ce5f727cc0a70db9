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
  for (iter in 1:25) {
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
  for (iter in 1:10) {
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

test_that("delphi_summary() puts rounds side by side with each item's fate", {
  r <- example_ratings()
  s <- delphi_summary(r, "Fundamental", threshold = 0.75)
  expect_s3_class(s, "consensr_delphi_summary")
  expect_identical(attr(s, "rounds"), c("round_1_arm_1", "round_2_arm_1"))
  expect_identical(nrow(s), 33L)
  pub <- atmp_published[atmp_published$level == "Fundamental", ]
  expect_identical(s$count_1, pub$count[match(s$item, pub$item)])
  expect_identical(s$n_1, pub$n[match(s$item, pub$item)])
  # per round it is consensus() on that round
  c2 <- consensus(r[r$round == "round_2_arm_1", ], "Fundamental")
  i <- match(c2$item, s$item)
  expect_identical(s$count_2[i], c2$count)
  expect_identical(s$status_2[i], c2$status)
  expect_identical(sum(s$fate == "reached"), 16L)
  expect_identical(sum(!is.na(s$n_2)), 17L)
  expect_identical(s$carried, !is.na(s$n_2))
  expect_identical(sum(s$fate == "newly reached"), sum(c2$reached))
  expect_identical(s$in_final_list, s$final_reached)
  expect_identical(sum(s$in_final_list), 16L + sum(c2$reached))
  expect_output(print(s), "final list")
})

test_that("fates: lost consensus, dropped, and carry = 'all'", {
  mk <- function(round, item, ratings) {
    data.frame(respondent = paste0("p", seq_along(ratings)), round = round,
               item = item, rating = factor(ratings, levels = c("yes", "no")),
               stringsAsFactors = FALSE)
  }
  y4 <- c("yes", "yes", "yes", "yes")
  n4 <- c("yes", "no", "no", "yes")
  d <- rbind(
    mk(1, "kept", y4), mk(1, "late", n4), mk(1, "lost", y4), mk(1, "drop", n4),
    mk(1, "never", n4),
    mk(2, "late", n4), mk(2, "lost", n4), mk(2, "never", n4),
    mk(3, "late", y4), mk(3, "never", n4), mk(3, "new", y4)
  )
  s <- delphi_summary(d, "yes")
  f <- setNames(as.character(s$fate), s$item)
  expect_identical(f[["kept"]], "reached")
  expect_identical(f[["late"]], "newly reached")
  expect_identical(f[["lost"]], "lost consensus")
  expect_identical(f[["drop"]], "dropped")
  expect_identical(f[["never"]], "no consensus")
  expect_identical(f[["new"]], "reached")
  fr <- setNames(as.character(s$fate_round), s$item)
  expect_identical(fr[c("kept", "late", "lost", "drop", "never", "new")],
                   c(kept = "1", late = "3", lost = "2", drop = "1", never = "3", new = "3"))
  expect_identical(s$carried, c(FALSE, TRUE, FALSE, FALSE, TRUE, FALSE))
  expect_identical(s$in_final_list, c(TRUE, TRUE, FALSE, FALSE, FALSE, TRUE))
  # every item is meant for every round: items missing later are dropped
  a <- delphi_summary(d, "yes", carry = "all")
  fa <- setNames(as.character(a$fate), a$item)
  expect_identical(fa[["kept"]], "dropped")
  expect_identical(fa[["lost"]], "lost consensus")
  expect_identical(fa[["late"]], "newly reached")
  expect_error(delphi_summary(d, "yes", carry = "some"), "carry")
  expect_error(delphi_summary(d, "maybe"), "target")
})

test_that("attrition on the example", {
  r <- example_ratings()
  a <- attrition(r, invited = c(32, 25))
  expect_s3_class(a, "consensr_attrition")
  expect_identical(a$responded, c(25L, 20L))
  expect_identical(a$invited, c(32L, 25L))
  expect_equal(a$response_rate, c(25 / 32, 20 / 25))
  expect_identical(a$items, c(33L, 17L))
  expect_identical(a$retained, c(NA, 20L))
  expect_equal(a$retention, c(NA, 0.8))
  expect_equal(a$retention_first, c(1, 0.8))
  expect_identical(a$new, c(25L, 0L))
  # completed: rated every presented item, counted from the ratings
  comp <- vapply(levels(r$round), function(k) {
    rk <- r[r$round == k, ]
    sum(tapply(!is.na(rk$rating), rk$respondent, all))
  }, integer(1), USE.NAMES = FALSE)
  expect_identical(a$completed, comp)
  expect_equal(a$completion_rate, comp / c(25, 20))
  expect_identical(attrition(r, invited = 40)$invited, c(40L, 40L))
  expect_error(attrition(r, invited = c(32, 25, 20)), "one per round")
  expect_error(attrition(r, invited = 10), "smaller")
  expect_error(attrition(r, invited = -1), "invited")
  expect_output(print(a), "20 of 25 retained")
})

test_that("consensus among completers and among all", {
  r <- example_ratings()
  cc <- consensus_completers(r, "Fundamental")
  expect_s3_class(cc, "consensr_completers")
  expect_length(attr(cc, "completers"), 20L)
  expect_identical(nrow(cc), 33L + 17L)
  r1 <- r[r$round == "round_1_arm_1", ]
  sub <- r1[r1$respondent %in% attr(cc, "completers"), ]
  c1 <- consensus(sub, "Fundamental")
  expect_identical(cc$n_completers[cc$round == "round_1_arm_1"], c1$n)
  expect_identical(cc$status_completers[cc$round == "round_1_arm_1"], c1$status)
  expect_identical(cc$same_status,
                   as.character(cc$status_all) == as.character(cc$status_completers))
  strict <- consensus_completers(r, "Fundamental", completers = "all_items")
  expect_lt(length(attr(strict, "completers")), 20L)
  expect_output(print(cc), "20 of 25 panellists")
})

test_that("round_flow() counts items and panellists through the rounds", {
  r <- example_ratings()
  fl <- round_flow(r, "Fundamental")
  expect_s3_class(fl, "consensr_round_flow")
  expect_identical(fl$panellists, c(25L, 20L))
  expect_identical(fl$panellists_lost, c(NA, 5L))
  expect_identical(fl$items_rated, c(33L, 17L))
  expect_identical(fl$reached[1], 16L)
  expect_identical(fl$carried[1], 17L)
  expect_identical(fl$retired[1], 16L)
  expect_identical(fl$dropped[1], 0L)
  expect_identical(attr(fl, "final"), 16L + fl$reached[2])
})

test_that("the plots build", {
  r <- example_ratings()
  p <- plot_round_change(r, "Fundamental")
  expect_s3_class(p, "ggplot")
  expect_no_error(ggplot2::ggplot_build(p))
  d <- round_change_data(r, "Fundamental")
  expect_identical(nrow(d), 34L)
  expect_true(all(d$rerated))
  expect_identical(nrow(round_change_data(r, "Fundamental", items = "all")), 50L)
  s <- delphi_summary(r, "Fundamental")
  expect_identical(round_change_data(s), d)
  expect_equal(attr(d, "threshold"), 0.75)
  fl <- plot_round_flow(round_flow(r, "Fundamental"))
  expect_s3_class(fl, "ggplot")
  expect_no_error(ggplot2::ggplot_build(fl))
  one <- r[r$round == "round_1_arm_1", ]
  expect_error(plot_round_change(one, "Fundamental"), "nothing to plot")
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

test_that("subsets of the results print as data frames", {
  r <- example_ratings()
  s <- delphi_summary(r, "Fundamental")
  expect_output(print(s[1:2, 1:3]), "in vitro")
  st <- round_stability(r)
  expect_output(print(st[1:2, c("item", "n")]), "Biomarkers")
  fl <- round_flow(r, "Fundamental")
  expect_output(print(fl[1, 1:3]), "round_1_arm_1")
  cc <- consensus_completers(r, "Fundamental")
  expect_output(print(cc[1, 1:3]), "round_1_arm_1")
})

test_that("a read_redcap() result can be given directly", {
  f <- function(x) system.file("extdata", x, package = "consensr")
  imp <- read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))
  expect_identical(attrition(imp)$responded, attrition(imp$ratings)$responded)
  expect_identical(delphi_summary(imp, "Fundamental")$fate,
                   delphi_summary(imp$ratings, "Fundamental")$fate)
  expect_error(delphi_summary(imp$ratings, "Fundamental", 0.75, "round", "oops"),
               "must be named")
})

test_that("a two-sided rule keeps three outcomes through the rounds", {
  # three items: In reaches consensus in at round 1, Out consensus out at
  # round 1, Late no consensus in round 1 and consensus in at round 2
  set.seed(5)
  panel <- expand.grid(respondent = sprintf("P%02d", 1:12), item = c("In", "Out", "Late"),
                       round = 1:2, stringsAsFactors = FALSE)
  panel$group <- rep(rep(c("Patients", "Clinicians", "Researchers"), each = 4), 6)
  r1 <- c(In = 8, Out = 2, Late = 5)
  panel$rating <- ifelse(panel$round == 1, r1[panel$item],
                         ifelse(panel$item == "Late", 8, NA))
  panel <- panel[!is.na(panel$rating), ]
  rule <- list(target = 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
               levels = 1:9)
  s <- do.call(delphi_summary, c(list(panel), rule))
  expect_identical(as.character(s$fate), c("reached in", "reached out", "newly reached in"))
  expect_identical(levels(s$fate), c("reached in", "reached out", "newly reached in",
                                     "newly reached out", "lost consensus", "no consensus",
                                     "dropped"))
  expect_identical(s$in_final_list, c(TRUE, FALSE, TRUE))
  expect_match(format(s), "round 1 \\(1\\): 3 items rated, 1 consensus in, 1 consensus out",
               all = FALSE)
  fl <- do.call(round_flow, c(list(panel), rule))
  expect_identical(fl$reached, c(1L, 1L))
  expect_identical(fl$reached_out, c(1L, 0L))
  expect_match(format(fl), "1 consensus in, 1 consensus out", all = FALSE)
  # one-sided rules keep two outcomes and no reached_out column
  one <- delphi_summary(panel, 7:9, threshold = 0.7, levels = 1:9)
  expect_identical(as.character(one$fate), c("reached", "dropped", "newly reached"))
  expect_null(round_flow(panel, 7:9, threshold = 0.7, levels = 1:9)$reached_out)
})
