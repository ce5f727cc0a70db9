# content_validity(), lawshe_cvr(), aiken_v() and their C kernels
# (src/validity.c): published worked examples, pure-R oracles on random
# panels, exact boundaries, equality with contentvalidR.

# --- pure-R oracles ------------------------------------------------------------

# respondent x item matrix of level codes (NA = not rated) -> per-item CVI
ref_cvi <- function(codes, relevant) {
  n <- colSums(!is.na(codes))
  a <- colSums(matrix(codes %in% relevant, nrow(codes)) & !is.na(codes))
  icvi <- ifelse(n > 0, a / n, NA_real_)
  pc <- ifelse(n > 0, choose(n, a) * 0.5^n, NA_real_)
  list(n = as.integer(n), agree = as.integer(a), i_cvi = icvi, pc = pc,
       kappa = (icvi - pc) / (1 - pc))
}

# the grade of k* by exact cross-multiplication in doubles (exact while
# 100 * n * 2^n < 2^53, i.e. n <= 40)
ref_grade <- function(n, a) {
  ge <- function(p, q, strict = FALSE) {
    l <- q * a * 2^n + p * n * choose(n, a)
    r <- p * n * 2^n + q * n * choose(n, a)
    if (strict) l > r else l >= r
  }
  if (n == 0) return(NA_character_)
  if (ge(74, 100, TRUE)) "excellent" else if (ge(60, 100)) "good" else
    if (ge(40, 100)) "fair" else "poor"
}

# smallest k with den * sum_{j >= k} choose(n, j) <= num * 2^n (exact in
# doubles for n <= 45 and den <= 1000)
ref_critical <- function(n, num, den) {
  tails <- rev(cumsum(rev(choose(n, 0:n))))
  ok <- which(den * tails <= num * 2^n)
  if (length(ok) == 0L) NA_integer_ else as.integer(min(ok) - 1L)
}

# P(S >= s) for S the sum of n ratings uniform on 0..k, by enumeration
ref_aiken_tail <- function(n, k, s) {
  g <- as.matrix(expand.grid(rep(list(0:k), n)))
  mean(rowSums(g) >= s)
}

random_codes <- function(n_resp, n_item, K, p_na = 0.2) {
  codes <- matrix(sample.int(K, n_resp * n_item, replace = TRUE), n_resp, n_item,
                  dimnames = list(paste0("r", seq_len(n_resp)), paste0("i", seq_len(n_item))))
  codes[stats::runif(length(codes)) < p_na] <- NA
  codes
}

# --- content_validity: published examples --------------------------------------

test_that("content_validity reproduces Table 4 of PMC7253559 (12 items, 6 experts)", {
  # Source: PMC7253559, Table 4: "S-CVI/Ave = 0.97", "S-CVI/UA = 0.83";
  # items 6 and 9 have 5 of 6 experts rating 3 or 4 ("0.83"), all others 6 of 6.
  tab <- rbind(c(4, 4, 4, 4, 4, 4), c(4, 3, 4, 4, 3, 4), c(4, 4, 4, 4, 4, 4),
               c(4, 4, 4, 4, 4, 4), c(3, 4, 4, 4, 4, 4), c(2, 3, 4, 3, 3, 4),
               c(4, 4, 4, 4, 4, 4), c(4, 4, 4, 4, 4, 4), c(3, 3, 4, 2, 3, 4),
               c(4, 4, 4, 3, 4, 4), c(4, 4, 4, 3, 4, 4), c(4, 4, 4, 3, 4, 4))
  m <- t(tab)
  dimnames(m) <- list(paste0("expert", 1:6), paste0("item", 1:12))
  cv <- content_validity(m, levels = 1:4, quiet = TRUE)
  expect_identical(cv$agree, c(6L, 6L, 6L, 6L, 6L, 5L, 6L, 6L, 5L, 6L, 6L, 6L))
  expect_identical(round(cv$i_cvi, 2), c(1, 1, 1, 1, 1, 0.83, 1, 1, 0.83, 1, 1, 1))
  s <- scale_cvi(cv)
  expect_identical(round(s$s_cvi_ave, 2), 0.97)
  expect_identical(round(s$s_cvi_ua, 2), 0.83)
  expect_identical(s$s_cvi_ua, 10 / 12)
})

test_that("pc, k* and the evaluation match BMC Health Serv Res 2017;17:520, Table 10", {
  # Source: doi:10.1186/s12913-017-2469-8, Table 10 (Polit, Beck & Owen's
  # k* with Cicchetti & Sparrow's grades: **** excellent, *** good):
  # N = 10, A = 10: I-CVI 1.00, pc 0.001, k* 1.00 ****
  # N = 10, A = 9:  0.90, 0.010, 0.90 ****;  N = 10, A = 8: 0.80, 0.044, 0.79 ****
  # N = 10, A = 7:  0.70, 0.117, 0.66 ***;   N = 9, A = 8:  0.89, 0.018, 0.89 ****
  # N = 9, A = 7:   0.78, 0.070, 0.76 ****;  N = 9, A = 6:  0.67, 0.164, 0.60 ***
  N <- c(10, 10, 10, 10, 9, 9, 9)
  A <- c(10, 9, 8, 7, 8, 7, 6)
  counts <- data.frame(item = rep(paste0("q", 1:7), each = 2),
                       level = rep(c("relevant", "not"), 7),
                       count = as.vector(rbind(A, N - A)))
  cv <- content_validity(counts, relevant = "relevant", levels = c("not", "relevant"),
                         quiet = TRUE)
  expect_identical(round(cv$i_cvi, 2), c(1.00, 0.90, 0.80, 0.70, 0.89, 0.78, 0.67))
  expect_identical(round(cv$pc, 3), c(0.001, 0.010, 0.044, 0.117, 0.018, 0.070, 0.164))
  expect_identical(round(cv$kappa, 2), c(1.00, 0.90, 0.79, 0.66, 0.89, 0.76, 0.60))
  expect_identical(as.character(cv$kappa_grade),
                   c("excellent", "excellent", "excellent", "good", "excellent",
                     "excellent", "good"))
})

test_that("7 of 9 meets Lynn's criterion for 9 experts exactly; 6 of 9 does not", {
  # Lynn (1986), as cited by Polit & Beck (2006) and cvrindex.pro ("6-8:
  # at least 0.83 (Lynn 1986); at least 9: at least 0.78 (Lynn 1986)"):
  # 9 experts, 7 must agree; 0.78 itself is above 7/9 = 0.7777...
  counts <- data.frame(item = rep(c("a", "b"), each = 2), level = rep(c("yes", "no"), 2),
                       count = c(7, 2, 6, 3))
  cv <- content_validity(counts, relevant = "yes", levels = c("no", "yes"), quiet = TRUE)
  expect_identical(cv$i_cvi[1], 7 / 9)
  expect_identical(cv$lynn_min, c(7L, 7L))
  expect_identical(cv$lynn_met, c(TRUE, FALSE))
  expect_true(cv$i_cvi[1] < 0.78)   # a rounded criterion would fail it
  expect_identical(lynn_minimum(c(2, 3:10, 11)), c(NA, 3L, 4L, 5L, 5L, 6L, 7L, 7L, 8L, NA))
})

test_that("the k* grades are exact for every panel of up to 40 experts", {
  grid <- do.call(rbind, lapply(1:40, function(n) cbind(n = n, a = 0:n)))
  got <- kappa_grade(as.integer(grid[, "n"]), as.integer(grid[, "a"]))
  want <- mapply(ref_grade, grid[, "n"], grid[, "a"])
  expect_identical(as.character(got), unname(want))
  # and the sign of k* - cut, against the oracle's cross-multiplication
  cmp <- .Call(consensr:::ffi_kappa_cmp, as.integer(grid[, "n"]),
               as.integer(grid[, "a"]), c(3, 5))
  l <- 5 * grid[, "a"] * 2^grid[, "n"] + 3 * grid[, "n"] * choose(grid[, "n"], grid[, "a"])
  r <- 3 * grid[, "n"] * 2^grid[, "n"] + 5 * grid[, "n"] * choose(grid[, "n"], grid[, "a"])
  expect_identical(cmp, as.integer(sign(l - r)))
  # a tie exists: k* = 3/5 exactly for n = 1? no; check at least one exact tie is seen
  # for some cut: k* = 1 when a = n, so the cut 1/1 ties
  tie <- .Call(consensr:::ffi_kappa_cmp, 5:7, 5:7, c(1, 1))
  expect_identical(tie, c(0L, 0L, 0L))
})

test_that("k* grades of large panels agree with floating point away from the cuts", {
  set.seed(11)
  n <- sample(41:400, 200, TRUE)
  a <- vapply(n, function(k) sample.int(k + 1L, 1L) - 1L, integer(1))
  k <- (a / n - stats::dbinom(a, n, 0.5)) / (1 - stats::dbinom(a, n, 0.5))
  far <- abs(k - 0.74) > 1e-9 & abs(k - 0.6) > 1e-9 & abs(k - 0.4) > 1e-9
  fp <- ifelse(k > 0.74, "excellent", ifelse(k >= 0.6, "good", ifelse(k >= 0.4, "fair", "poor")))
  got <- as.character(kappa_grade(as.integer(n), as.integer(a)))
  expect_identical(got[far], fp[far])
})

test_that("content_validity equals a pure-R oracle on random panels", {
  set.seed(101)
  for (rep in trials(25)) {
    nr <- sample(1:12, 1)
    codes <- random_codes(nr, sample(1:6, 1), 4L, p_na = stats::runif(1, 0, 0.5))
    codes[, 1] <- NA   # an item nobody rated
    cv <- content_validity(codes, levels = 1:4, quiet = TRUE)
    ref <- ref_cvi(codes, 3:4)
    expect_identical(cv$n, ref$n)
    expect_identical(cv$agree, ref$agree)
    expect_identical(cv$i_cvi, unname(ref$i_cvi))
    expect_equal(cv$pc, unname(ref$pc), tolerance = 1e-14)
    expect_equal(cv$kappa, unname(ref$kappa), tolerance = 1e-13)
    rated <- ref$n > 0
    s <- scale_cvi(cv)
    expect_identical(s$n_items, sum(rated))
    expect_equal(s$s_cvi_ave, if (any(rated)) mean(ref$i_cvi[rated]) else NA_real_)
    expect_equal(s$s_cvi_ua, if (any(rated)) mean((ref$agree == ref$n)[rated]) else NA_real_)
  }
})

test_that("content_validity: one expert, an unrated item, and empty input", {
  m <- matrix(c(4L, 1L, NA), 1, 3, dimnames = list("e1", c("a", "b", "c")))
  cv <- content_validity(m, levels = 1:4, quiet = TRUE)
  expect_identical(cv$n, c(1L, 1L, 0L))
  expect_identical(cv$pc, c(0.5, 0.5, NA))
  expect_identical(cv$kappa, c(1, -1, NA))
  expect_identical(as.character(cv$kappa_grade), c("excellent", "poor", NA))
  expect_identical(scale_cvi(cv)$n_items, 2L)
  empty <- matrix(integer(0), 0, 2, dimnames = list(NULL, c("a", "b")))
  expect_error(content_validity(empty, levels = 1:4), class = "consensr_error_input")
})

test_that("content_validity reads long, wide and counts alike, with by and round", {
  set.seed(7)
  long <- expand.grid(respondent = 1:10, item = c("x", "y", "z"))
  long$rating <- sample(1:4, 30, TRUE)
  long$group <- ifelse(long$respondent <= 5, "g1", "g2")
  long$round <- 1L
  long2 <- long
  long2$round <- 2L
  long2$rating <- sample(1:4, 30, TRUE)
  a <- content_validity(long, levels = 1:4, quiet = TRUE)
  wide <- reshape(long[, 1:3], idvar = "respondent", timevar = "item", direction = "wide")
  names(wide) <- sub("rating.", "", names(wide), fixed = TRUE)
  b <- content_validity(wide, levels = 1:4, quiet = TRUE)
  counts <- as.data.frame(table(item = long$item, level = long$rating))
  names(counts)[3] <- "count"
  d <- content_validity(counts, levels = 1:4, quiet = TRUE)
  expect_identical(a$agree, b$agree)
  expect_identical(a$agree, d$agree)
  expect_identical(a$kappa, d$kappa)
  g <- content_validity(long, levels = 1:4, by = "group", quiet = TRUE)
  expect_identical(nrow(g), 6L)
  expect_identical(levels(g$group), c("g1", "g2"))
  sub1 <- content_validity(long[long$group == "g1", ], levels = 1:4, quiet = TRUE)
  expect_identical(g$agree[g$group == "g1"], sub1$agree)
  expect_identical(nrow(scale_cvi(g)), 2L)
  both <- rbind(long, long2)
  rr <- content_validity(both, levels = 1:4, round = "round", quiet = TRUE)
  expect_identical(rr$round, rep(1:2, each = 3))
  r2 <- content_validity(long2, levels = 1:4, quiet = TRUE)
  expect_identical(rr$agree[rr$round == 2], r2$agree)
  expect_identical(scale_cvi(rr)$round, 1:2)
})

test_that("content_validity equals contentvalidR::cvi on random panels", {
  skip_if_not_installed("contentvalidR")
  set.seed(202)
  for (rep in trials(20)) {
    codes <- random_codes(sample(2:15, 1), sample(2:8, 1), 4L, p_na = 0.15)
    codes <- codes[, colSums(!is.na(codes)) > 0, drop = FALSE]
    cv <- content_validity(codes, levels = 1:4, quiet = TRUE)
    bin <- ifelse(is.na(codes), NA, as.numeric(codes >= 3))
    peer <- contentvalidR::cvi(bin, na.rm = TRUE, ci = "none")
    expect_identical(cv$i_cvi, peer$item_level$I_CVI)
    expect_equal(cv$pc, peer$item_level$Pc, tolerance = 1e-15)
    expect_equal(cv$kappa, peer$item_level$kappa_mod, tolerance = 1e-15)
    expect_equal(scale_cvi(cv)$s_cvi_ave, peer$scale_level$S_CVI_Ave, tolerance = 1e-15)
    expect_identical(scale_cvi(cv)$s_cvi_ua, peer$scale_level$S_CVI_UA)
    q <- get(".kappa_quality", asNamespace("contentvalidR"))(peer$item_level$kappa_mod)
    expect_identical(as.character(cv$kappa_grade), sub("low", "poor", tolower(q)))
  }
})

test_that("content_validity errors are clear", {
  five <- data.frame(respondent = 1:3, item = "a", rating = c(1, 5, 4))
  expect_snapshot(error = TRUE, content_validity(five, levels = 1:5, quiet = TRUE))
  expect_snapshot(error = TRUE, content_validity(five, relevant = 6, levels = 1:5, quiet = TRUE))
  expect_snapshot(error = TRUE, scale_cvi(data.frame()))
})

# --- lawshe_cvr -----------------------------------------------------------------

test_that("critical counts equal Ayre & Scally's (2014) exact table at alpha = 0.05", {
  # Source: Ayre & Scally (2014), Meas Eval Couns Dev 47:79-86, Table 2:
  # the minimum number of 'essential' ratings for N = 5..40 at one-tailed 0.05
  # (N = 10: 9, as /work/shared/design/methods.md quotes).
  published <- c(5, 6, 7, 7, 8, 9, 9, 10, 10, 11, 12, 12, 13, 13, 14, 15, 15, 16,
                 16, 17, 18, 18, 19, 19, 20, 20, 21, 22, 22, 23, 23, 24, 24, 25, 26, 26)
  counts <- data.frame(item = rep(paste0("N", 5:40), each = 2),
                       level = rep(c("essential", "other"), 36),
                       count = as.vector(rbind(5:40, 0)))
  res <- lawshe_cvr(counts, essential = "essential", levels = c("other", "essential"),
                    quiet = TRUE)
  expect_identical(res$critical, as.integer(published))
  expect_identical(res$critical_cvr[res$n == 10], 0.8)
})

test_that("critical counts equal the exact binomial computed here, at any alpha", {
  ns <- 0:45
  for (al in list(c(1, 20), c(1, 100), c(1, 10), c(1, 4), c(1, 2), c(1, 3), c(1, 1000), c(1, 1))) {
    got <- .Call(consensr:::ffi_binom_critical, ns, as.double(al))
    want <- vapply(ns, ref_critical, integer(1), num = al[1], den = al[2])
    expect_identical(got, want, info = paste(al, collapse = "/"))
  }
  # exact ties: P(X >= 2 | 2) = 1/4 is <= 0.25, P(X >= 3 | 3) = 1/8 <= 0.125
  expect_identical(.Call(consensr:::ffi_binom_critical, 2L, c(1, 4)), 2L)
  expect_identical(.Call(consensr:::ffi_binom_critical, 3L, c(1, 8)), 3L)
  expect_identical(.Call(consensr:::ffi_binom_critical, 3L, c(1, 9)), NA_integer_)
  # large panels, against pbinom where no tie is possible (alpha = 1/20)
  big <- c(100L, 257L, 1000L)
  got <- .Call(consensr:::ffi_binom_critical, big, c(1, 20))
  want <- vapply(big, function(n) {
    k <- 0:n
    min(k[stats::pbinom(k - 1, n, 0.5, lower.tail = FALSE) <= 0.05])
  }, numeric(1))
  expect_identical(got, as.integer(want))
})

test_that("lawshe_cvr: CVR, p-value and passing by an oracle on random panels", {
  set.seed(303)
  for (rep in trials(20)) {
    codes <- random_codes(sample(1:30, 1), sample(1:6, 1), 3L, p_na = 0.2)
    codes[, 1] <- NA
    res <- lawshe_cvr(codes, essential = 3, levels = 1:3, quiet = TRUE)
    n <- colSums(!is.na(codes))
    ne <- colSums(codes == 3, na.rm = TRUE)
    expect_identical(res$n, as.integer(n))
    expect_identical(res$n_essential, as.integer(ne))
    expect_identical(res$cvr, unname(ifelse(n > 0, (ne - n / 2) / (n / 2), NA_real_)))
    crit <- vapply(n, ref_critical, integer(1), num = 1, den = 20)
    crit[n == 0] <- NA
    expect_identical(res$critical, unname(crit))
    expect_identical(res$passes, unname(ifelse(n > 0, !is.na(crit) & ne >= crit, NA)))
  }
})

test_that("lawshe_cvr equals contentvalidR::cvr", {
  skip_if_not_installed("contentvalidR")
  set.seed(404)
  for (rep in trials(15)) {
    codes <- random_codes(sample(2:40, 1), sample(2:6, 1), 3L, p_na = 0.1)
    codes <- codes[, colSums(!is.na(codes)) > 0, drop = FALSE]
    al <- sample(c(0.05, 0.01, 0.1), 1)
    res <- lawshe_cvr(codes, essential = 3, alpha = al, levels = 1:3, quiet = TRUE)
    bin <- ifelse(is.na(codes), NA, as.numeric(codes == 3))
    peer <- contentvalidR::cvr(bin, alpha = al, na.rm = TRUE)
    expect_equal(res$cvr, peer$cvr, tolerance = 1e-15)
    expect_equal(res$p_value, peer$p_value, tolerance = 1e-15)
    expect_identical(res$critical, peer$critical_ne)
    expect_equal(res$critical_cvr, peer$critical_cvr, tolerance = 1e-15)
    expect_identical(res$passes, peer$pass)
  }
})

test_that("lawshe_cvr honours by and round, and refuses a percentage alpha", {
  set.seed(5)
  long <- expand.grid(respondent = 1:12, item = c("x", "y"))
  long$rating <- sample(c("essential", "useful", "not necessary"), 24, TRUE)
  long$group <- ifelse(long$respondent %% 2 == 0, "even", "odd")
  lv <- c("not necessary", "useful", "essential")
  g <- lawshe_cvr(long, "essential", levels = lv, by = "group", quiet = TRUE)
  odd <- lawshe_cvr(long[long$group == "odd", ], "essential", levels = lv, quiet = TRUE)
  expect_identical(g$n_essential[g$group == "odd"], odd$n_essential)
  long$round <- rep(1:2, each = 12)
  rr <- lawshe_cvr(long, "essential", levels = lv, round = "round", quiet = TRUE)
  expect_identical(names(rr)[1:2], c("item", "round"))
  expect_snapshot(error = TRUE, lawshe_cvr(long, "essential", alpha = 5, levels = lv, quiet = TRUE))
})

# --- aiken_v --------------------------------------------------------------------

test_that("aiken_v reproduces contentvalidR's published vignette example", {
  # Source: contentvalidR vignette "Expert-Panel Content Validation" (CRAN):
  # six experts rate relevance 1-4; Item1 (all 4s): "V 1.000 ci_low 0.824
  # ci_high 1.000" (Penfield & Giacobbi's score interval).
  R <- matrix(c(4, 4, 4, 4, 4, 4,
                4, 4, 4, 3, 4, 4,
                4, 3, 4, 4, 3, 4,
                3, 3, 4, 3, 2, 3), nrow = 6,
              dimnames = list(NULL, paste0("Item", 1:4)))
  res <- aiken_v(R, levels = 1:4, quiet = TRUE)
  expect_identical(res$v[1], 1)
  expect_identical(round(res$ci_low[1], 3), 0.824)
  expect_identical(res$ci_high[1], 1)
  # Aiken (1985): all n = 6 ratings at the top of c = 4 levels: P = (1/4)^6
  expect_equal(res$p_value[1], 0.25^6, tolerance = 1e-15)
  expect_identical(res$s, c(18L, 17L, 16L, 12L))
})

test_that("Aiken's right-tail probability equals enumeration", {
  for (n in 1:5) for (k in 1:4) {
    s <- 0:(n * k)
    got <- .Call(consensr:::ffi_aiken_tail, rep(as.integer(n), length(s)),
                 as.integer(s), as.integer(k))
    want <- vapply(s, ref_aiken_tail, numeric(1), n = n, k = k)
    expect_equal(got, want, tolerance = 1e-14, info = paste(n, k))
  }
  expect_identical(.Call(consensr:::ffi_aiken_tail, c(0L, NA), c(0L, 0L), 3L), c(NA_real_, NA_real_))
})

test_that("aiken_v equals an oracle and contentvalidR::aikens_v on random panels", {
  set.seed(505)
  for (rep in trials(20)) {
    K <- sample(2:7, 1)
    codes <- random_codes(sample(1:15, 1), sample(1:6, 1), K, p_na = 0.2)
    codes[, 1] <- NA
    res <- aiken_v(codes, levels = 1:K, quiet = TRUE)
    n <- colSums(!is.na(codes))
    s <- colSums(codes - 1, na.rm = TRUE)
    expect_identical(res$s, as.integer(s))
    expect_identical(res$v, unname(ifelse(n > 0, s / (n * (K - 1)), NA_real_)))
    if (requireNamespace("contentvalidR", quietly = TRUE) && any(n > 0)) {
      keep <- n > 0
      peer <- contentvalidR::aikens_v(codes[, keep, drop = FALSE], lo = 1, hi = K, na.rm = TRUE)
      expect_equal(res$v[keep], peer$V, tolerance = 1e-15)
      expect_equal(res$ci_low[keep], peer$ci_low, tolerance = 1e-15)
      expect_equal(res$ci_high[keep], peer$ci_high, tolerance = 1e-15)
    }
  }
})

test_that("aiken_v scores text scales by position and honours by", {
  lv <- c("not", "somewhat", "quite", "highly")
  long <- data.frame(respondent = rep(1:4, each = 2), item = rep(c("a", "b"), 4),
                     rating = c("highly", "not", "quite", "not", "highly", "somewhat", "highly", "not"),
                     team = rep(c("t1", "t1", "t2", "t2"), each = 2))
  res <- aiken_v(long, levels = lv, quiet = TRUE)
  expect_identical(res$s, c(11L, 1L))
  expect_identical(res$v, c(11 / 12, 1 / 12))
  g <- aiken_v(long, levels = lv, by = "team", quiet = TRUE)
  expect_identical(g$s, c(5L, 6L, 0L, 1L))
  expect_snapshot(error = TRUE, aiken_v(long, conf_level = 95, levels = lv, quiet = TRUE))
})
