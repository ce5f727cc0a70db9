# Tests for check_reported(). Reference values are worked out by hand in the
# comments; the property tests compare with a slow pure-R oracle that rounds
# with integer %/% and %% and enumerates every count 0..n.

mid <- "\u00b7"

# --- oracle -------------------------------------------------------------------

# Printed integer (on the grid of d decimals) of 100 * k / n under each rule,
# in integer arithmetic: half-up is floor((2kS + n) / 2n); an exact tie
# (2kS = n mod 2n) goes to the even neighbour under half-even; truncation is
# floor(kS / n). Needs 2 * n * 100 * 10^d < .Machine$integer.max.
oracle_round <- function(k, n, d) {
  k <- as.integer(k)
  n <- as.integer(n)
  s <- as.integer(100 * 10^d)
  half_up <- (2L * k * s + n) %/% (2L * n)
  tie <- (2L * k * s) %% (2L * n) == n
  half_even <- ifelse(tie & half_up %% 2L == 1L, half_up - 1L, half_up)
  truncation <- (k * s) %/% n
  cbind(`half-up` = half_up, `half-even` = half_even, truncation = truncation)
}

# All counts 0..n whose percentage prints as `printed` under some rule.
oracle_candidates <- function(printed, n, d) {
  k <- 0:n
  hit <- oracle_round(k, rep(n, length(k)), d) == printed
  k[rowSums(hit) > 0]
}

oracle_rules <- function(k, n, d, printed) {
  r <- oracle_round(k, n, d)
  vapply(seq_along(k), function(i) {
    paste(colnames(r)[r[i, ] == printed[i]], collapse = ", ")
  }, character(1))
}

# "", "18", "16, 17", "445-459" -> integer vector
expand_candidates <- function(x) {
  if (is.na(x)) return(NA)
  if (!nzchar(x)) return(integer())
  if (grepl("-", x, fixed = TRUE)) {
    ends <- as.integer(strsplit(x, "-", fixed = TRUE)[[1]])
    return(seq(ends[1], ends[2]))
  }
  as.integer(strsplit(x, ", ", fixed = TRUE)[[1]])
}

# --- the reference study ----------------------------------------------------

test_that("the paper's inconsistent percentages are caught", {
  res <- check_reported(
    c(13, 16, 18, 10),
    c(23, 25, 25, 23),
    c(paste0("56", mid, "6%"), "72%", paste0("72", mid, "7%"), "44%")
  )
  expect_s3_class(res, "consensr_check")
  expect_s3_class(res, "data.frame")
  expect_identical(res$consistent, rep(FALSE, 4))
  expect_identical(res$rules, rep("", 4))
  expect_identical(res$decimals, c(1L, 0L, 1L, 0L))
  expect_identical(res$value, c(56.6, 72, 72.7, 44))
  expect_equal(res$exact, 100 * c(13 / 23, 16 / 25, 18 / 25, 10 / 23))
  # 13/23 = 56.52 -> 56.5; 16/25 = 64; 18/25 = 72.0; 10/23 = 43.48 -> 43
  expect_identical(res$possible, c("56.5", "64", "72.0", "43"))
  # 72% of 25 is 18; 56.6% of 23, 72.7% of 25 and 44% of 23 are unreachable
  expect_identical(res$candidates, c("", "18", "", ""))
  expect_identical(
    res$note[1],
    "no rounding of 13/23 (56.521...%) gives 56.6 at 1 decimal"
  )
  expect_identical(res$note[2],
                   "no rounding of 16/25 (64%) gives 72 at 0 decimals")
  expect_identical(res$reported[1], paste0("56", mid, "6%"))
})

test_that("the paper's consistent percentages pass, some only by truncation", {
  res <- check_reported(
    c(2, 19, 5, 22, 16),
    c(23, 24, 24, 24, 35),
    c("8%", "79%", paste0("20", mid, "8%"), paste0("91", mid, "7%"), "45%")
  )
  expect_identical(res$consistent, rep(TRUE, 5))
  # 2/23 = 8.70: half-up 9, truncation 8; 16/35 = 45.71: half-up 46
  expect_identical(res$rules, c(
    "truncation", "half-up, half-even, truncation",
    "half-up, half-even, truncation", "half-up, half-even", "truncation"
  ))
  expect_identical(res$possible, c("8 or 9", "79", "20.8", "91.6 or 91.7",
                                   "45 or 46"))
  expect_identical(res$candidates, c("2", "19", "5", "22", "16"))
  expect_identical(res$note, rep("", 5))
})

# --- exact ties -------------------------------------------------------------

test_that("exact ties are decided exactly under each rule", {
  # 1/8 = 12.5%: half-up 13, half-even 12, truncation 12
  res <- check_reported(1, 8, c("12%", "13%", "14%"))
  expect_identical(res$rules, c("half-even, truncation", "half-up", ""))
  expect_identical(res$consistent, c(TRUE, TRUE, FALSE))
  expect_identical(res$possible, rep("12 or 13", 3))
  # 7/200 = 3.5%: half-up 4, half-even 4, truncation 3
  res <- check_reported(7, 200, c("3%", "4%"))
  expect_identical(res$rules, c("truncation", "half-up, half-even"))
  # 1/40 = 2.5%: half-up 3, half-even 2, truncation 2
  res <- check_reported(1, 40, c("2%", "3%"))
  expect_identical(res$rules, c("half-even, truncation", "half-up"))
  # 1/16 = 6.25% at 1 decimal: half-up 6.3, half-even 6.2, truncation 6.2
  res <- check_reported(1, 16, c("6.2%", "6.3%"))
  expect_identical(res$rules, c("half-even, truncation", "half-up"))
  expect_identical(res$possible, c("6.2 or 6.3", "6.2 or 6.3"))
  # 3/16 = 18.75% at 1 decimal: 18.8 under both roundings (7 is odd)
  res <- check_reported(3, 16, c("18.7%", "18.8%"))
  expect_identical(res$rules, c("truncation", "half-up, half-even"))
  # 1/200 = 0.5% at 0 decimals: 1 half-up, 0 otherwise
  res <- check_reported(1, 200, c("0%", "1%"))
  expect_identical(res$rules, c("half-even, truncation", "half-up"))
  # ties where floating point misleads: 0.285 * 100 is 28.499999999999996
  res <- check_reported(57, 200, "28.5%", decimals = 1)
  expect_true(res$consistent)
  res <- check_reported(57, 200, c("29%", "28%"))
  expect_identical(res$rules, c("half-up", "half-even, truncation"))
})

# --- hand-made cases at 0, 1 and 2 decimals -----------------------------------

test_that("hand-made cases with denominators from 1 to 1000", {
  cases <- data.frame(
    count = c(1, 0, 1, 1, 2, 2, 1, 1, 333, 1, 1, 999, 999, 5, 1, 2, 2),
    n = c(1, 1, 3, 3, 3, 3, 7, 7, 1000, 1000, 1000, 1000, 1000, 1000,
          6, 24, 24),
    percent = c("100%", "0%", "33.3%", "33.4%", "66.7%", "66.6%", "14.29%",
                "14.3%", "33.3%", "0.1%", "0%", "99.9%", "100%", "0%",
                "16.67%", "8.3%", "8.30%"),
    stringsAsFactors = FALSE
  )
  res <- check_reported(cases$count, cases$n, cases$percent)
  expect_identical(res$decimals,
                   c(0L, 0L, 1L, 1L, 1L, 1L, 2L, 1L, 1L, 1L, 0L, 1L, 0L, 0L,
                     2L, 1L, 2L))
  expect_identical(res$consistent, c(
    TRUE, TRUE, TRUE, FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE,
    TRUE, TRUE, TRUE, TRUE, TRUE, FALSE
  ))
  # 2/3 = 66.666...: 66.7 by rounding, 66.6 by truncation
  expect_identical(res$rules[5:6], c("half-up, half-even", "truncation"))
  # 999/1000 = 99.9% prints as 100% by rounding, 99% by truncation
  expect_identical(res$rules[13], "half-up, half-even")
  expect_identical(res$possible[13], "99 or 100")
  # 2/24 = 8.333...: 8.3 at 1 decimal but 8.33 (not 8.30) at 2
  expect_identical(res$possible[17], "8.33")
  expect_identical(res$note[4],
                   "no rounding of 1/3 (33.333...%) gives 33.4 at 1 decimal")
  # runs of candidates
  expect_identical(res$candidates[c(1, 9, 11, 13)],
                   c("1", "333", "0-9", "995-1000"))
})

test_that("decimal marks, spaces and the per cent sign are optional", {
  res <- check_reported(5, 24, c("20.8%", paste0("20", mid, "8%"), "20,8%",
                                 " 20.8 % ", "20.8", "20.8\u00a0%",
                                 "20,8\u202f%", "\t20.8%\n"))
  expect_identical(res$consistent, rep(TRUE, 8))
  expect_identical(res$decimals, rep(1L, 8))
  expect_identical(res$value, rep(20.8, 8))
  res <- check_reported(1, 3, c(".3%", "0.3%", "0.33%", "33.33%", "33.333%"))
  expect_identical(res$decimals, c(1L, 1L, 2L, 2L, 3L))
  expect_identical(res$consistent, c(FALSE, FALSE, FALSE, TRUE, TRUE))
})

test_that("numeric percentages need decimals", {
  res <- check_reported(c(13, 5, 2), c(23, 24, 23), c(56.6, 20.8, 8),
                        decimals = c(1, 1, 0))
  expect_identical(res$consistent, c(FALSE, TRUE, TRUE))
  expect_identical(res$reported, c("56.6", "20.8", "8"))
  expect_identical(res$decimals, c(1L, 1L, 0L))
  # a scalar is recycled; 8.3 at 2 decimals is 8.30
  res <- check_reported(2, 24, c(8.3, 8.33), decimals = 2)
  expect_identical(res$reported, c("8.30", "8.33"))
  expect_identical(res$consistent, c(FALSE, TRUE))
  expect_error(check_reported(13, 23, 56.6), "`decimals` must be given")
  expect_error(check_reported(13, 23, 56.66, decimals = 1),
               "`reported` element 1 is 56.66, which has more decimals than `decimals` \\(1\\)")
  expect_error(check_reported(13, 23, -5, decimals = 0), "`reported`")
})

test_that("decimals overrides the precision read from the text", {
  res <- check_reported(18, 25, c("72%", "72%"), decimals = c(0, 1))
  expect_identical(res$decimals, c(0L, 1L))
  expect_identical(res$consistent, c(TRUE, TRUE))
  res <- check_reported(2, 24, "8.30%", decimals = 1)
  expect_identical(res$value, 8.3)
  expect_true(res$consistent)
  expect_error(check_reported(2, 24, "8.33%", decimals = 1),
               "`reported` element 1 is \"8.33%\", which has more decimals than `decimals`")
})

test_that("missing values, n = 0 and count > n", {
  res <- check_reported(c(NA, 3, 2, 0, 2, 30, 1), c(35, NA, 0, 0, 23, 25, 4),
                        c("45%", "12%", "5%", "0%", NA, "120%", ""))
  expect_identical(res$consistent, c(NA, NA, FALSE, NA, NA, FALSE, NA))
  expect_identical(res$note, c("count is missing", "n is missing",
                               "count exceeds n", "n is 0",
                               "reported is missing", "count exceeds n",
                               "reported is missing"))
  # the printed value still implies counts when `count` is missing
  expect_identical(res$candidates[1], "16")
  expect_identical(res$candidates[c(2:5, 7)], rep(NA_character_, 5))
  expect_identical(res$rules[6], "")
  expect_identical(res$possible[6], "120")
  expect_identical(res$decimals[5], NA_integer_)
  res <- check_reported(NA, NA, NA)
  expect_identical(res$consistent, NA)
  expect_identical(res$note, "count, n and reported are missing")
})

test_that("inputs are recycled and zero-length input gives zero rows", {
  res <- check_reported(0:4, 4, "25%")
  expect_identical(res$count, as.double(0:4))
  expect_identical(res$consistent, c(FALSE, TRUE, FALSE, FALSE, FALSE))
  expect_identical(res$candidates, rep("1", 5))
  res <- check_reported(numeric(), 4, character())
  expect_identical(nrow(res), 0L)
  expect_output(print(res), "No printed percentages to check")
  expect_error(check_reported(1:3, 1:2, "5%"),
               "`count`, `n` must have length 1 or a common length")
  expect_error(check_reported(1, 10, c("10%", "20%"), decimals = c(0, 1, 2)),
               "`reported`, `decimals`")
  expect_error(check_reported(1:3, 10, character()), "`count`, `reported`")
})

# --- bad input -------------------------------------------------------------

test_that("bad input gives errors that name the argument", {
  expect_error(check_reported(c(1, 2, 2.5), 10, "10%"),
               "`count` must be whole numbers >= 0; element 3 is 2.5.",
               fixed = TRUE)
  expect_error(check_reported(1, -1, "10%"), "`n` must be whole numbers")
  expect_error(check_reported(1, Inf, "10%"), "`n`")
  expect_error(check_reported("1", 10, "10%"), "`count` must be numeric")
  expect_error(check_reported(factor(1), 10, "10%"), "`count`")
  expect_error(check_reported(1, 10, c("10%", "ten %")),
               "`reported` must be printed percentages .*; element 2 is \"ten %\"")
  expect_error(check_reported(1, 10, "-10%"), "element 1 is \"-10%\"")
  expect_error(check_reported(1, 10, "10.%"), "`reported`")
  expect_error(check_reported(1, 10, "1 0%"), "`reported`")
  expect_error(check_reported(1, 10, TRUE), "`reported` must be character")
  expect_error(check_reported(1, 10, "10%", decimals = 1.5),
               "`decimals` must be whole numbers between 0 and 15")
  expect_error(check_reported(1, 10, "10%", decimals = NA), "`decimals`")
  expect_error(check_reported(1, 10, 10, decimals = 16), "`decimals`")
  expect_error(check_reported(1, 10, "10%", 0, 7), "`...` must be empty")
  expect_error(check_reported(1, 10, "10%", digits = 1),
               "`...` must be empty; got `digits`")
  expect_error(check_reported(1, 10), "`reported` must be given")
  expect_error(check_reported(1, reported = "1%"), "`n` must be given")
})

test_that("values too large for exact arithmetic are refused", {
  expect_error(check_reported(1, 1e15, "12%"), "too large to check exactly")
  expect_error(check_reported(1e14, 1e15, "10.00%"), "Element 1 is too large")
  # denominators up to 1e6 with 4 decimals are fine, and exact:
  # 125/1e6 = 0.0125% is a tie at 3 decimals; 1/3e6 at 4 decimals
  res <- check_reported(125, 1e6, c("0.013%", "0.012%", "0.0125%"))
  expect_identical(res$rules, c("half-up", "half-even, truncation",
                                "half-up, half-even, truncation"))
  res <- check_reported(999999, 1e6, c("99.9999%", "100.0000%"))
  expect_identical(res$consistent, c(TRUE, FALSE))
  expect_identical(res$candidates, c("999999", "1000000"))
})

# --- property test against the oracle ---------------------------------------

test_that("randomised: agrees with an enumerating integer oracle", {
  set.seed(20170412)
  size <- 400
  n <- sample.int(1000, size, replace = TRUE)
  k <- vapply(n, function(m) sample(0:m, 1), numeric(1))
  d <- sample(0:2, size, replace = TRUE)
  truth <- oracle_round(k, n, d)
  # printed values: one produced by a random rule, or a near miss
  rule <- sample(1:3, size, replace = TRUE)
  printed <- truth[cbind(seq_len(size), rule)] +
    ifelse(runif(size) < 0.5, 0L, sample(c(-2L, -1L, 1L, 2L), size, TRUE))
  printed <- pmax(printed, 0L)
  marks <- sample(c(".", mid, ","), size, replace = TRUE)
  frac <- ifelse(d > 0, paste0(marks, sprintf("%0*d", d, printed %% 10^d)), "")
  text <- paste0(printed %/% 10^d, frac, "%")
  res <- check_reported(k, n, text)

  expect_identical(res$decimals, as.integer(d))
  expect_equal(res$value, printed / 10^d)
  expect_identical(res$rules, oracle_rules(k, n, d, printed))
  expect_identical(res$consistent, rowSums(truth == printed) > 0)
  # k/n rounded by the oracle under each rule is consistent under that rule,
  # and k is among the candidates
  for (rl in colnames(truth)) {
    again <- check_reported(k, n, truth[, rl] / 10^d, decimals = d)
    expect_true(all(again$consistent), info = rl)
    expect_true(all(grepl(rl, again$rules, fixed = TRUE)), info = rl)
    expect_true(all(mapply(function(cand, kk) kk %in% expand_candidates(cand),
                           again$candidates, k)), info = rl)
  }
  # candidates equal every count 0..n that the oracle maps to the value
  for (i in seq_len(size)) {
    expect_identical(expand_candidates(res$candidates[i]),
                     oracle_candidates(printed[i], n[i], d[i]),
                     info = paste(k[i], n[i], text[i]))
  }
})

test_that("exhaustive: every k/n for chosen n, printed values near it", {
  for (n in c(1:30, 97, 200, 1000)) {
    for (d in 0:2) {
      k <- rep(0:n, each = 5)
      truth <- oracle_round(k, rep(n, length(k)), d)
      printed <- pmax(truth[, 1] + rep(-2:2, n + 1), 0L)
      res <- check_reported(k, n, printed / 10^d, decimals = d)
      expect_identical(res$rules, oracle_rules(k, rep(n, length(k)), d,
                                               printed),
                       info = paste("n =", n, "d =", d))
    }
  }
})

# --- data frame method --------------------------------------------------------

tab <- data.frame(
  item = rep(c("a", "b", "c", "d"), each = 3),
  level = rep(c("F", "A", "L"), 4),
  count = c(13, 9, 1, 18, 7, 2, 10, 11, 2, 5, 5, 5),
  n = c(23, 23, 23, 25, 25, 25, 23, 23, 23, 15, 15, 16),
  percent = c("56.5%", "39.1%", "4.3%", "72%", "28%", "8%",
              "44%", "48%", "8%", "33%", "33%", "31%"),
  stringsAsFactors = FALSE
)

test_that("data frame method checks rows and items", {
  chk <- check_reported(tab)
  expect_s3_class(chk, "consensr_check_table")
  expect_named(chk, c("rows", "items"))
  rows <- chk$rows
  expect_identical(names(rows)[1:5], names(tab))
  expect_identical(rows$level, tab$level)
  expect_identical(rows$consistent, c(rep(TRUE, 6), FALSE, TRUE, TRUE,
                                      TRUE, TRUE, TRUE))
  expect_identical(rows$rules[9], "truncation")
  items <- chk$items
  expect_identical(names(items),
                   c("item", "n", "sum_count", "counts_add_up", "sum_percent",
                     "percents_add_up", "rows_consistent", "consistent",
                     "note"))
  expect_identical(items$item, c("a", "b", "c", "d"))
  expect_identical(items$n, c(23, 25, 23, NA))
  expect_identical(items$sum_count, c(23, 27, 23, 15))
  # b: 18 + 7 + 2 = 27 of 25, printed 72 + 28 + 8 = 108
  expect_identical(items$counts_add_up, c(TRUE, FALSE, TRUE, FALSE))
  expect_identical(items$sum_percent, c(99.9, 108, 100, 97))
  expect_identical(items$percents_add_up, c(TRUE, FALSE, TRUE, FALSE))
  expect_identical(items$rows_consistent, c(TRUE, TRUE, FALSE, TRUE))
  expect_identical(items$consistent, c(TRUE, FALSE, FALSE, FALSE))
  expect_identical(items$note[2],
                   "counts add to 27, not 25; percentages add to 108")
  expect_match(items$note[3], "1 printed percentage cannot come from count/n")
  expect_match(items$note[4], "^n differs within item \\(15, 16\\)")
  expect_identical(as.data.frame(chk), rows)
})

test_that("data frame method: tolerance, columns, items not contiguous", {
  chk <- check_reported(tab, tolerance = 10)
  expect_identical(chk$items$percents_add_up, rep(TRUE, 4))
  expect_identical(chk$items$counts_add_up, c(TRUE, FALSE, TRUE, FALSE))

  other <- tab[c(1, 4, 2, 5, 3, 6), c("item", "count", "n", "percent")]
  names(other) <- c("question", "k", "denominator", "printed")
  chk <- check_reported(other, count_col = "k", n_col = "denominator",
                        reported_col = "printed", item_col = "question")
  expect_identical(chk$items$question, c("a", "b"))
  expect_identical(chk$items$sum_count, c(23, 27))
  expect_identical(rownames(chk$rows), c("1", "4", "2", "5", "3", "6"))

  one <- check_reported(tab[1:3, ], item_col = NULL)
  expect_identical(one$items$item, "all")
  expect_true(one$items$consistent)

  # numeric percentages with a decimals column
  num <- data.frame(item = "x", count = c(13, 9, 1), n = 23,
                    pct = c(56.5, 39.1, 4.3), dec = 1)
  chk <- check_reported(num, reported_col = "pct", decimals = "dec")
  expect_identical(chk$rows$consistent, rep(TRUE, 3))
  chk <- check_reported(num, reported_col = "pct", decimals = 1)
  expect_identical(chk$rows$consistent, rep(TRUE, 3))

  # result columns never overwrite input columns
  clash <- cbind(tab[1:3, ], note = "from the paper")
  chk <- check_reported(clash)
  expect_identical(chk$rows$note, rep("from the paper", 3))
  expect_identical(chk$rows$check_note, rep("", 3))
  expect_output(print(chk), "All 3 printed percentages and 1 item are consistent")

  # missing values propagate
  na <- tab[1:3, ]
  na$count[2] <- NA
  chk <- check_reported(na)
  expect_identical(chk$items$counts_add_up, NA)
  expect_identical(chk$items$consistent, NA)

  # zero rows
  chk <- check_reported(tab[0, ])
  expect_identical(nrow(chk$items), 0L)
  expect_output(print(chk), "No printed percentages to check")
})

test_that("data frame method works on tibbles", {
  skip_if_not_installed("tibble")
  chk <- check_reported(tibble::as_tibble(tab))
  expect_identical(chk$items$consistent, c(TRUE, FALSE, FALSE, FALSE))
  expect_false(inherits(chk$rows, "tbl_df"))
})

test_that("data frame method errors name the argument and the column", {
  expect_error(check_reported(tab, n_col = "denominator"),
               "`n_col` names column \"denominator\", which the data frame does not have")
  expect_error(check_reported(tab, item_col = "question"), "`item_col`")
  expect_error(check_reported(tab, count_col = c("a", "b")),
               "`count_col` must be a single column name")
  expect_error(check_reported(tab, tolerance = -1), "`tolerance`")
  expect_error(check_reported(tab, decimals = 1:2), "`decimals` must have length 1")
  expect_error(check_reported(tab, "n"), "`...` must be empty")
  bad <- tab
  bad$count[2] <- 2.5
  expect_error(check_reported(bad),
               "Column \"count\" (`count_col`) must be whole numbers >= 0; row 2 is 2.5.",
               fixed = TRUE)
  bad <- tab
  bad$percent[4] <- "n/a"
  expect_error(check_reported(bad),
               "Column \"percent\" (`reported_col`) must be printed percentages",
               fixed = TRUE)
})

# --- printing ----------------------------------------------------------------

test_that("print shows a summary and the failing rows only", {
  res <- check_reported(c(13, 19, 2), c(23, 24, 23),
                        c(paste0("56", mid, "6%"), "79%", "8%"))
  expect_identical(format(res), c(
    "1 of 3 printed percentages cannot come from count/n.",
    "1 of 3 is reachable only by truncating, not by rounding."
  ))
  out <- capture.output(ret <- withVisible(print(res)))
  expect_false(ret$visible)
  expect_identical(ret$value, res)
  expect_match(out[1], "1 of 3 printed percentages cannot come from count/n")
  expect_true(any(grepl("no rounding of 13/23", out)))
  expect_false(any(grepl("79%", out, fixed = TRUE)))
  expect_output(print(check_reported(19, 24, "79%")),
                "^All 1 printed percentage can come from count/n\\.$")
  expect_output(print(check_reported(c(19, NA), 24, "79%")),
                "1 of 2 could not be checked")
  # subsets that drop the key columns print as plain data frames
  expect_output(print(res[, c("count", "n")]), "count")
})

test_that("print of a table check shows failing rows and items", {
  chk <- check_reported(tab)
  expect_identical(format(chk)[1], paste0(
    "1 of 12 printed percentages cannot come from count/n; ",
    "2 of 4 items have counts that do not add up to n; ",
    "2 of 4 items have percentages that do not add up to 100 (+/- 1)."
  ))
  out <- capture.output(ret <- withVisible(print(chk)))
  expect_false(ret$visible)
  expect_true(any(grepl("Printed percentages that cannot come from count/n:",
                        out, fixed = TRUE)))
  expect_true(any(grepl("Items whose counts or percentages do not add up:",
                        out, fixed = TRUE)))
  expect_true(any(grepl("counts add to 27, not 25", out, fixed = TRUE)))
  chk1 <- check_reported(tab[4:6, ])
  expect_match(format(chk1)[1], "1 of 1 items has counts that do not add up")
})

# --- the shipped reconstruction of the published table ----------------------

test_that("the published ATMP table: 4 impossible rows, 1 item sums to 108", {
  env <- new.env()
  file <- test_path("..", "..", "data", "atmp_published.rda")
  if (requireNamespace("consensr", quietly = TRUE) &&
      "atmp_published" %in% utils::data(package = "consensr")$results[, "Item"]) {
    utils::data("atmp_published", package = "consensr", envir = env)
  } else if (file.exists(file)) {
    load(file, envir = env)
  } else {
    skip("atmp_published is not available")
  }
  chk <- check_reported(env$atmp_published)
  bad <- chk$rows[!chk$rows$consistent, ]
  expect_identical(bad$count, c(13L, 18L, 16L, 10L))
  expect_identical(bad$n, c(23L, 25L, 25L, 23L))
  expect_identical(bad$candidates, c("", "", "18", ""))
  expect_identical(sum(chk$rows$rules == "truncation"), 1L)
  expect_true(all(chk$items$counts_add_up))
  expect_identical(chk$items$item[!chk$items$percents_add_up],
                   "Regulatory Product Classification")
  expect_identical(chk$items$sum_percent[!chk$items$percents_add_up], 108)
  expect_identical(sum(!chk$items$consistent), 4L)
})

test_that("count > n, n = 0 and a missing count are flagged, never passed", {
  res <- as.data.frame(check_reported(c(5, 3, 0, NA), c(4, 0, 0, 10), c("125", "0", "0", "20")))
  expect_identical(res$consistent, c(FALSE, FALSE, NA, NA))
  expect_identical(res$note, c("count exceeds n", "count exceeds n", "n is 0", "count is missing"))
  expect_output(print(check_reported(c(5, 3, 0, NA), c(4, 0, 0, 10), c("125", "0", "0", "20"))),
                "2 of 4 could not be checked")
})
