lv3 <- c("Fundamental", "Ancillary", "Less Important")

test_that("long, wide and counts are detected and read", {
  long <- data.frame(respondent = c(1, 1, 2), item = c("a", "b", "a"),
                     rating = c(3, 1, 2))
  r <- as_ratings(long)
  expect_s3_class(r, "consensr_ratings")
  expect_identical(r$format, "long")
  expect_identical(r$levels, c("1", "2", "3"))
  expect_identical(r$codes, matrix(c(3L, 2L, 1L, NA), 2, dimnames = list(NULL, c("a", "b"))))
  expect_identical(as_ratings(r), r)

  wide <- data.frame(id = c("x", "y"), a = c(3, 2), b = c(1, NA))
  w <- as_ratings(wide, respondent = "id")
  expect_identical(w$format, "wide")
  expect_identical(w$codes, r$codes)
  expect_identical(w$respondents, c("x", "y"))
  # `items` by name or position
  expect_identical(as_ratings(wide, items = c("a", "b"), respondent = "id")$codes, r$codes)
  expect_identical(as_ratings(wide, items = 2:3, respondent = "id")$codes, r$codes)

  counts <- data.frame(item = c("a", "a", "b"), level = c("1", "2", "1"),
                       count = c(5, 2, 4), n = c(8, 8, 4))
  k <- as_ratings(counts, levels = 1:3)
  expect_identical(k$format, "counts")
  expect_identical(as.vector(k$counts), c(5L, 2L, 0L, 4L, 0L, 0L))
  expect_identical(as.vector(k$n), c(8L, 4L))
  expect_output(print(k), "counts of 11 ratings")
  expect_output(print(r), "2 respondents \\(long format\\), 3 ratings, 1 not rated")
})

test_that("levels come from `levels`, factors or sorted numbers", {
  long <- data.frame(respondent = 1:3, item = "a",
                     rating = factor(c("lo", "hi", NA), levels = c("lo", "mid", "hi")))
  expect_identical(as_ratings(long)$levels, c("lo", "mid", "hi"))
  long$rating <- c(9, 7, NA)
  expect_warning(r <- as_ratings(long), "gaps \\(no 8\\)")
  expect_identical(r$levels, c("7", "9"))
  expect_identical(as_ratings(long, levels = 1:9)$levels, as.character(1:9))
  long$rating <- c("lo", "hi", NA)
  expect_message(r <- as_ratings(long), "lo < hi in order of first appearance")
  expect_identical(r$levels, c("lo", "hi"))
  expect_identical(as_ratings(long, levels = c("lo", "hi"))$codes[, 1], c(1L, 2L, NA))
})

test_that("tibbles and data.tables work", {
  skip_if_not_installed("tibble")
  skip_if_not_installed("data.table")
  long <- data.frame(respondent = rep(1:3, 2), item = rep(c("a", "b"), each = 3),
                     rating = c(1, 2, 2, 3, 3, NA))
  ref <- tally_ratings(long, levels = 1:3)
  expect_identical(tally_ratings(tibble::as_tibble(long), levels = 1:3)$count, ref$count)
  expect_identical(tally_ratings(data.table::as.data.table(long), levels = 1:3)$count, ref$count)
})

test_that("item metadata travels and is checked", {
  long <- data.frame(respondent = rep(1:2, 2), item = rep(c("a", "b"), each = 2),
                     rating = 1, area = rep(c("X", "Y"), each = 2),
                     note = c("p", "q", "p", "p"))
  r <- as_ratings(long, levels = 1:2)
  expect_identical(names(r$items), c("item", "area"))
  expect_error(as_ratings(long, levels = 1:2, item_data = "note"), "constant within each item")
  meta <- data.frame(item = c("b", "a"), order = 2:1)
  wide <- data.frame(a = 1, b = 2)
  expect_identical(as_ratings(wide, item_data = meta)$items$order, 1:2)
  expect_error(as_ratings(wide, item_data = data.frame(item = "zz", k = 1)), "not in the ratings")
  expect_error(as_ratings(wide, item_data = data.frame(item = c("a", "a"))), "one row per item")
  expect_error(as_ratings(wide, item_data = "area"), "data frame")
})

test_that("an item factor keeps unused items as unrated", {
  long <- data.frame(respondent = 1:2, item = factor(c("a", "a"), levels = c("a", "z")),
                     rating = c(1, 2))
  t <- tally_ratings(long)
  expect_identical(unique(t$item), c("a", "z"))
  expect_identical(t$n[t$item == "z"], c(0L, 0L))
})

test_that("bad input gets an error naming the argument", {
  long <- data.frame(respondent = c(1, 1, 2), item = c("a", "b", "a"),
                     rating = c("Fundamental", "Ancillary", "Fundamental"))
  expect_error(as_ratings(list(a = 1)), "`x` must be a data frame")
  expect_error(as_ratings(long[0, ], levels = lv3), "no rows")
  expect_error(as_ratings(long, rating = "score"), "has no column")
  expect_error(as_ratings(long, item = c("a", "b")), "`item` must be a single column name")
  bad <- long
  bad$rating[2] <- "Essential"
  expect_error(as_ratings(bad, levels = lv3), "Essential.*row 2")
  dup <- rbind(long, long[1, ])
  expect_error(as_ratings(dup, levels = lv3), "only once.*1 x a")
  na_id <- long
  na_id$respondent[2] <- NA
  expect_error(as_ratings(na_id, levels = lv3), "respondent.*missing")
  expect_error(as_ratings(long, levels = c("a", "a")), "unique")
  expect_error(as_ratings(long, levels = c("a", NA)), "missing")
  expect_error(as_ratings(long, levels = character()), "non-empty")
  # wide
  wide <- data.frame(id = c(1, 1), q = c(1, 2))
  expect_error(as_ratings(wide, respondent = "id"), "one row per respondent")
  expect_error(as_ratings(data.frame(id = 1:2), respondent = "id"), "no item columns")
  expect_error(as_ratings(data.frame(q = c(1, 7)), levels = 1:5), "column q, row 2")
  expect_error(as_ratings(data.frame(q = 1), items = 5), "positions")
  expect_error(as_ratings(data.frame(q = 1, r = 2), items = c("q", "q")), "repeat")
  expect_error(as_ratings(data.frame(q = I(list(1, 2)))), "list")
})

test_that("bad counts are refused", {
  counts <- data.frame(item = c("a", "a"), level = c("y", "n"), count = c(3, 1))
  bad <- counts; bad$count[1] <- -1
  expect_error(as_ratings(bad), "`count` must hold whole numbers")
  bad <- counts; bad$count[1] <- 1.5
  expect_error(as_ratings(bad), "whole numbers.*1.5")
  bad <- counts; bad$count[1] <- NA
  expect_error(as_ratings(bad), "`count`")
  bad <- counts; bad$count <- c("3", "1")
  expect_error(as_ratings(bad), "numeric counts")
  bad <- counts; bad$count[1] <- 2^31
  expect_error(as_ratings(bad), "whole numbers between 0 and 2147483647")
  expect_error(as_ratings(rbind(counts, counts[1, ])), "one row per item x level")
  with_n <- cbind(counts, n = c(3, 3))
  expect_error(as_ratings(with_n), "can't add up to more")
  with_n$n <- c(2, 2)
  expect_error(as_ratings(with_n), "count can't exceed")
  with_n$n <- c(5, 6)
  expect_error(as_ratings(with_n), "same on every row")
  with_n$n <- c(NA, NA)
  expect_error(as_ratings(with_n), "`n`")
  expect_error(as_ratings(counts, levels = c("y", "maybe")), "n.*row 2")
  expect_error(as_ratings(counts[0, ]), "no rows")
})

test_that("groups must be complete and constant within respondent", {
  long <- data.frame(respondent = c(1, 1, 2), item = c("a", "b", "a"),
                     rating = c(1, 2, 1), grp = c("x", "x", NA))
  expect_error(tally_ratings(long, by = "grp"), "missing values.*respondent 2")
  long$grp <- c("x", "y", "z")
  expect_error(tally_ratings(long, by = "grp"), "constant within each respondent")
  expect_error(tally_ratings(long, by = "nope"), "has no column nope")
  r <- as_ratings(long)
  expect_error(tally_ratings(r, by = "grp"), "constant within each respondent")
})

# Reading ratings once (as_ratings()): the C encoders against pure-R
# references, what is said when something is decided, every container, and
# the defects of the earlier reader.

# Pure-R reference of the C coder: text of numbers as users write them,
# matched as text.
ref_codes <- function(v, levels) {
  txt <- if (is.factor(v)) as.character(v) else if (is.numeric(v)) {
    out <- as.character(v)
    whole <- !is.na(v) & is.finite(v) & v == trunc(v)
    out[whole] <- formatC(v[whole], format = "f", digits = 0)
    out[whole & v == 0] <- "0"
    out
  } else as.character(v)
  codes <- match(txt, levels)
  codes[is.na(codes) & !is.na(v)] <- 0L
  codes
}

unclass_tally <- function(x) consensr:::unclass_df(x)[c("item", "level", "count", "n", "prop")]
unclass_consensus <- function(x) consensr:::unclass_df(x)

encode <- function(v, levels) {
  num <- suppressWarnings(as.double(levels))
  map <- if (is.factor(v)) match(levels(v), levels, nomatch = 0L)
  .Call(consensr:::ffi_encode, if (is.character(v)) enc2utf8(v) else v, map, num, levels)
}

test_that("the C coder equals the pure-R reference on random columns", {
  set.seed(11)
  for (trial in trials(200)) {
    K <- sample(2:12, 1)
    lv <- if (trial %% 3 == 0) paste0("L", seq_len(K)) else as.character(seq_len(K) - (trial %% 2))
    n <- sample(c(0:3, 50), 1)
    pool <- c(lv, "x", "-1", "99")
    v <- sample(pool, n, TRUE, prob = c(rep(4, K), 1, 1, 1))
    v[sample.int(n + 1, 1) - 1] <- NA
    if (trial %% 4 == 1) v[] <- NA
    kind <- trial %% 5
    col <- switch(kind + 1,
      v,
      factor(v, levels = sample(unique(c(pool)))),
      suppressWarnings(as.double(v)),
      suppressWarnings(as.integer(v)),
      factor(v))
    expect_identical(encode(col, lv), ref_codes(col, lv), label = paste("trial", trial))
  }
})

test_that("numbers are matched as numbers: -0, Inf, 2.5 and 1e5", {
  expect_identical(encode(c(-0, 0, 1, 2.5, Inf, -Inf, NaN, NA), c("0", "1", "2.5")),
                   c(1L, 1L, 2L, 3L, 0L, 0L, NA, NA))
  expect_identical(encode(c(1e5, 0), c("0", "100000")), c(2L, 1L))
  r <- as_ratings(data.frame(Q1 = c(0, 1e5)), quiet = TRUE, levels = c(0, 1e5))
  expect_identical(r$levels, c("0", "100000"))
  expect_identical(as.vector(r$codes), c(1L, 2L))
  expect_warning(r <- as_ratings(data.frame(Q1 = c(0, 1e5)), quiet = TRUE), "leave gaps")
  expect_identical(as.vector(r$codes), c(1L, 2L))
  r <- as_ratings(data.frame(id = 1:3, Q = c(1, round(-0.2), 2)), levels = 0:2, quiet = TRUE)
  expect_identical(as.vector(r$codes), c(2L, 1L, 3L))
  expect_snapshot(error = TRUE, as_ratings(data.frame(id = 1:3, Q = c(1, Inf, 2)), levels = 0:2))
})

test_that("keys are coded by first appearance (C against match/unique)", {
  set.seed(3)
  for (trial in trials(60)) {
    n <- sample(c(0, 1, 5, 500), 1)
    v <- switch(trial %% 3 + 1,
      sample(c(letters, "\u00e9"), n, TRUE),
      sample(c(-3:3, 1e6), n, TRUE),
      sample(c(-0, 0, 0.5, 1e-300, -2), n, TRUE))
    if (trial %% 2 == 0) v <- sort(v)
    res <- .Call(consensr:::ffi_key, v)
    u <- unique(v)
    expect_identical(res[[1L]], match(v, u))
    expect_identical(res[[2L]], match(u, v))
  }
})

test_that("long data are coded in one pass: codes, tally and repeats against R", {
  set.seed(5)
  for (trial in trials(60)) {
    nr <- sample(1:12, 1)
    ni <- sample(1:6, 1)
    d <- expand.grid(respondent = paste0("p", seq_len(nr)), item = paste0("Q", seq_len(ni)),
                     stringsAsFactors = FALSE)
    d <- d[sample(nrow(d), sample(0:nrow(d), 1)), , drop = FALSE]
    if (nrow(d) == 0L) next
    d$rating <- sample(c(1:5, NA), nrow(d), TRUE)
    r <- as_ratings(d, levels = 1:5, quiet = TRUE)
    ref <- matrix(NA_integer_, length(unique(d$respondent)), length(unique(d$item)),
                  dimnames = list(unique(d$respondent), unique(d$item)))
    ref[cbind(d$respondent, d$item)] <- d$rating
    expect_identical(unname(r$codes), unname(ref))
    expect_identical(r$respondents, unique(d$respondent))
    tab <- tally_ratings(r)
    expect_identical(tab$count, as.vector(apply(ref, 2, function(v) tabulate(v, 5L))))
  }
})

test_that("what was decided is said once, and nothing when it was declared", {
  wide <- data.frame(id = 1:20, Pain = rep(7:8, 10), Fatigue = rep(1:4, 5))
  expect_snapshot(r <- as_ratings(wide, levels = 1:9))
  expect_identical(r$items$item, c("Pain", "Fatigue"))
  expect_identical(r$respondents, as.character(1:20))
  expect_snapshot(r <- as_ratings(wide))
  long <- data.frame(respondent = rep(1:3, each = 2), item = rep(c("a", "b"), 3),
                     rating = c(1, 2, 3, 1, 2, 3))
  expect_silent(as_ratings(long, levels = 1:3))
  expect_snapshot(as_ratings(long))
  ids <- data.frame(record_id = c("r1", "r2", "r3"), stakeholder = c("Patient", "Clinician", "Patient"),
                    Q1 = c(1, 2, 3), Q2 = c(3, 3, 2))
  expect_snapshot(r <- as_ratings(ids, levels = 1:3))
  expect_identical(names(r$resp), c("respondent", "stakeholder"))
  expect_identical(tally_ratings(r, by = "stakeholder")$stakeholder[1], factor("Clinician", c("Clinician", "Patient")))
  expect_silent(as_ratings(ids, levels = 1:3, quiet = TRUE))
  old <- options(consensr.quiet = TRUE)
  on.exit(options(old))
  expect_silent(as_ratings(ids, levels = 1:3))
})

test_that("an id named like one, or with values off the scale, is never an item", {
  no_name <- data.frame(who = c(101, 102, 103), Q1 = c(1, 2, 3), Q2 = c(3, 3, 2))
  expect_snapshot(r <- as_ratings(no_name, levels = 1:3))
  expect_identical(r$items$item, c("Q1", "Q2"))
  text_id <- data.frame(who = c("ann", "bob", "cy"), Q1 = c(1, 2, 3))
  r <- as_ratings(text_id, levels = 1:3, quiet = TRUE)
  expect_identical(r$respondents, c("ann", "bob", "cy"))
})

test_that("long data without the named columns is an error that says what to set", {
  set.seed(1)
  x <- expand.grid(pid = 1:30, outcome_id = 1:12)
  x$score <- sample(1:9, 360, TRUE)
  expect_snapshot(error = TRUE, consensus(x, 7:9, threshold = 0.7))
  res <- consensus(x, 7:9, threshold = 0.7, respondent = "pid", item = "outcome_id",
                   rating = "score", levels = 1:9)
  expect_identical(nrow(res), 12L)
  expect_identical(res$n, rep(30L, 12))
  expect_snapshot(error = TRUE, as_ratings(x, item = "items"))
  expect_snapshot(error = TRUE, as_ratings(x, respondent = "pid", item = "outcome_id", rating = "Score"))
  # long by its item and rating columns, the respondent id under another name
  d <- data.frame(expert = rep(c("E1", "E2"), each = 2), item = c("Pain", "Sleep"),
                  rating = c(7, 8, 9, 3))
  expect_snapshot(error = TRUE, consensus(d, 7:9, threshold = 0.75))
  err <- expect_error(as_ratings(d), class = "consensr_error_column")
  expect_match(conditionMessage(err), 'respondent = "expert"', fixed = TRUE)
  expect_identical(as_ratings(d, respondent = "expert", levels = 1:9, quiet = TRUE)$respondents, c("E1", "E2"))
})

test_that("the scale comes from levels, ordered factors, labels or numbers, and is shown", {
  agree <- c("Disagree", "Neutral", "Agree")
  set.seed(2)
  v <- sample(agree, 30, TRUE)
  plain <- data.frame(id = 1:30, Q1 = factor(v))
  expect_snapshot(r <- as_ratings(plain))
  expect_identical(r$levels, c("Agree", "Disagree", "Neutral"))
  ord <- data.frame(id = 1:30, Q1 = factor(v, levels = agree, ordered = TRUE))
  expect_silent(r <- as_ratings(ord, respondent = "id", items = "Q1"))
  expect_identical(r$levels, agree)
  text <- data.frame(respondent = 1:30, item = "Q1", rating = v)
  expect_snapshot(r <- as_ratings(text))
  expect_identical(r$levels, unique(v))
  expect_snapshot(r <- as_ratings(data.frame(id = 1:4, Q = c(1, 2, 4, 5))))
  expect_snapshot(r <- as_ratings(data.frame(id = 1:13, Q = 1:13)))
  # counts: numbers sort numerically, text in order of first appearance
  counts <- data.frame(item = "Q", level = c(9, 1, 5), count = c(3, 1, 2))
  expect_identical(suppressWarnings(as_ratings(counts, quiet = TRUE))$levels, c("1", "5", "9"))
  tc <- data.frame(item = "Q", level = c("High", "Low"), count = c(3, 1))
  expect_snapshot(r <- as_ratings(tc))
})

test_that("haven-labelled ratings take their labels in code order", {
  skip_if_not_installed("haven")
  lab <- haven::labelled(c(3, 1, 2, 3, NA), c(Disagree = 1, Neutral = 2, Agree = 3))
  d <- data.frame(id = 1:5, Q1 = I(lab))
  d$Q1 <- lab
  r <- as_ratings(d, respondent = "id", items = "Q1")
  expect_identical(r$levels, c("Disagree", "Neutral", "Agree"))
  expect_identical(as.vector(r$codes), c(3L, 1L, 2L, 3L, NA))
  expect_identical(consensus(d, "Agree", 0.5, respondent = "id", items = "Q1")$count, 2L)
})

test_that("declared non-answers leave the denominator and are counted", {
  d <- data.frame(pid = rep(1:6, 2), item = rep(c("Pain", "Cost"), each = 6),
                  score = c(9, 8, 99, 7, NA, 3, 99, 99, 1, 2, 8, 9))
  expect_snapshot(error = TRUE, as_ratings(d, respondent = "pid", rating = "score", levels = 1:9))
  r <- as_ratings(d, respondent = "pid", rating = "score", levels = 1:9, missing_levels = 99)
  expect_identical(r$levels, as.character(1:9))
  res <- consensus(r, 7:9, threshold = 0.5)
  expect_identical(res$n, c(4L, 4L))
  expect_identical(res$n_missing_level, c(1L, 2L))
  expect_identical(res$count, c(3L, 2L))
  tab <- tally_ratings(r)
  expect_identical(unique(tab$n_missing_level), c(1L, 2L))
  # text non-answers beside a numeric scale
  d2 <- data.frame(id = 1:4, Q = c("7", "Unable to score", "8", "2"))
  r2 <- as_ratings(d2, levels = 1:9, missing_levels = "Unable to score", quiet = TRUE)
  expect_identical(tally_ratings(r2)$n[1], 3L)
  expect_snapshot(print(r2))
  # counts with a non-answer row
  cn <- data.frame(item = "Q", level = c("Yes", "No", "Unable"), count = c(6, 2, 2))
  rc <- as_ratings(cn, levels = c("Yes", "No"), missing_levels = "Unable")
  expect_identical(consensus(rc, "Yes", 0.75)$n, 8L)
  expect_identical(consensus(rc, "Yes", 0.75)$n_missing_level, 2L)
  expect_snapshot(error = TRUE, as_ratings(cn, levels = c("Yes", "No"), missing_levels = "Yes"))
})

test_that("every container gives the same tally", {
  set.seed(9)
  for (trial in trials(20)) {
    nr <- sample(1:15, 1)
    ni <- sample(1:5, 1)
    m <- matrix(sample(c(1:4, NA), nr * ni, TRUE), nr, ni,
                dimnames = list(paste0("p", seq_len(nr)), paste0("Q", seq_len(ni))))
    wide <- data.frame(respondent = rownames(m), m, stringsAsFactors = FALSE)
    long <- data.frame(respondent = rep(rownames(m), ni), item = rep(colnames(m), each = nr),
                       rating = as.vector(m), stringsAsFactors = FALSE)
    ref <- tally_ratings(long, levels = 1:4)
    same <- function(t) expect_identical(unclass_tally(t), unclass_tally(ref))
    same(tally_ratings(wide, levels = 1:4))
    same(tally_ratings(m, levels = 1:4))
    same(tally_ratings(ref, levels = 1:4))
    same(tally_ratings(as_ratings(long, levels = 1:4, quiet = TRUE)))
    long$rating <- factor(long$rating, levels = 1:4)
    same(tally_ratings(long))
    long$rating <- as.character(long$rating)
    same(tally_ratings(long, levels = 1:4))
    if (requireNamespace("tibble", quietly = TRUE)) same(tally_ratings(tibble::as_tibble(wide), levels = 1:4))
    if (requireNamespace("data.table", quietly = TRUE)) same(tally_ratings(data.table::as.data.table(long), levels = 1:4))
  }
})

test_that("a grouped tibble's groups become `by`, never pooled silently", {
  skip_if_not_installed("dplyr")
  d <- data.frame(respondent = rep(1:6, each = 2), item = rep(c("a", "b"), 6),
                  rating = c(1, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 1),
                  grp = rep(c("x", "y"), each = 6))
  g <- dplyr::group_by(d, grp)
  expect_snapshot(res <- consensus(g, 2, threshold = 0.5, levels = 1:2))
  expect_identical(unclass_consensus(res),
                   unclass_consensus(consensus(d, 2, threshold = 0.5, levels = 1:2, by = "grp")))
  expect_snapshot(error = TRUE, consensus(g, 2, threshold = 0.5, levels = 1:2, by = "item"))
  expect_snapshot(error = TRUE, consensus(dplyr::group_by(d, grp, item), 2, threshold = 0.5, levels = 1:2))
})

test_that("by and round are chosen at analysis time from the respondent table", {
  d <- data.frame(respondent = rep(1:6, each = 2), item = rep(c("a", "b"), 6),
                  rating = c(1, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 1),
                  grp = rep(c("x", "y"), each = 6))
  r <- as_ratings(d, levels = 1:2)
  expect_identical(unclass_consensus(consensus(r, 2, 0.5, by = "grp")),
                   unclass_consensus(consensus(d, 2, 0.5, by = "grp", levels = 1:2)))
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, by = "item"))
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, by = "nope"))
  # a tally read back: its groups are strata
  tb <- tally_ratings(d, by = "grp", levels = 1:2)
  expect_identical(unclass_consensus(consensus(tb, 2, 0.5, by = "grp")),
                   unclass_consensus(consensus(d, 2, 0.5, by = "grp", levels = 1:2)))
  expect_identical(consensus(tb, 2, 0.5)$n, c(6L, 6L))
})

test_that("one scale across rounds, items not presented in a round are left out", {
  d <- data.frame(respondent = rep(1:4, 2), round = rep(1:2, each = 4), item = "Q",
                  rating = c(2, 3, 3, 2, 1, 3, 3, 3))
  d <- rbind(d, data.frame(respondent = 1:4, round = 1, item = "R", rating = c(3, 3, 3, 1)))
  tb <- tally_ratings(d, round = "round")
  expect_identical(levels(tb$level), c("1", "2", "3"))
  expect_identical(tb$item[tb$round == 2], rep("Q", 3))
  expect_snapshot(error = TRUE, consensus(d, 3, 0.5))
  res <- consensus(d, 3, 0.5, round = "round")
  expect_identical(res$n, c(4L, 4L, 4L))
  r <- as_ratings(d, round = "round", quiet = TRUE)
  expect_identical(unclass_consensus(consensus(r, 3, 0.5)), unclass_consensus(res))
})

test_that("REDCap imports are read with their rounds", {
  f <- function(x) system.file("extdata", x, package = "consensr")
  skip_if(f("atmp_delphi_records.csv") == "")
  imp <- read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))
  res <- consensus(imp, "Fundamental", 0.75)
  expect_true("round" %in% names(res))
  expect_identical(tally_ratings(imp)$count, tally_ratings(imp$ratings, round = "round", levels = imp$levels)$count)
})

test_that("duplicates, empty items and varying metadata are errors naming them", {
  expect_snapshot(error = TRUE, {
    d <- data.frame(respondent = c(1, 1, 2), item = "Q", rating = c(1, 2, 1), round = c(1, 2, 1))
    as_ratings(d, levels = 1:2)
  })
  dup <- data.frame(id = 1:2, a = 1:2, a = 2:1, check.names = FALSE)
  expect_snapshot(error = TRUE, as_ratings(dup, levels = 1:2))
  expect_snapshot(error = TRUE, as_ratings(data.frame(respondent = 1:2, item = c("", "Q"), rating = 1), levels = 1))
  meta <- data.frame(respondent = 1:2, item = "Q", rating = 1, area = c("A", "B"))
  expect_snapshot(error = TRUE, as_ratings(meta, levels = 1, item_data = "area"))
  expect_snapshot(r <- as_ratings(meta, levels = 1))
  counts <- data.frame(item = "Q", level = c("y", "n"), count = c(3, 4), n = 10)
  expect_snapshot(r <- as_ratings(counts, levels = c("y", "n")))
})

test_that("functions without `by` refuse it; a list column can't be a group", {
  d <- data.frame(respondent = rep(1:4, each = 2), item = rep(c("a", "b"), 4),
                  rating = c(1, 2, 2, 2, 1, 1, 2, 2), g = rep(c("x", "y"), each = 4))
  expect_snapshot(error = TRUE, agreement(d, levels = 1:2, by = "g"))
  r <- as_ratings(d, levels = 1:2)
  r$resp$g <- I(as.list(1:4))
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, by = "g"))
})

test_that("rand_ucla() works from counts and equals the ratings", {
  set.seed(4)
  for (trial in trials(100)) {
    k <- tabulate(sample(1:9, sample(1:40, 1), TRUE, prob = runif(9)), 9)
    for (type in 1:9) {
      p <- c(0.5, runif(2))
      expect_equal(consensr:::quantile_counts(k, 1:9, p, type),
                   unname(stats::quantile(rep(1:9, k), p, type = type)), tolerance = 1e-12)
    }
  }
  counts <- data.frame(item = "Q", level = 1:9, count = c(0, 0, 1, 0, 2, 0, 5, 9, 2^31 - 30))
  res <- rand_ucla(counts)
  expect_identical(res$median, 9)
})

test_that("an absurd B is refused with its size", {
  d <- data.frame(id = 1:5, Q = c(1, 2, 2, 1, 2))
  expect_snapshot(error = TRUE, consensus_robustness(d, 2, threshold = 0.5, method = "bootstrap", B = 2^31 -
                                  1, levels = 1:2))
})

test_that("what a new user met: many bad values, repeated ids, text beside items", {
  lik <- c("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
  w <- data.frame(id = 1:12, Q1 = "Agree", Q2 = c(paste0("bad", 1:5), rep("Agree", 7)))
  expect_snapshot(error = TRUE, as_ratings(w, levels = c("Disagree", "Neutral", "Agree")))
  w2 <- data.frame(record_id = c(1, 2, 3, 3, 4), a = c(7, 8, 9, 9, 7), b = 1:5)
  expect_snapshot(error = TRUE, consensus(w2, 7:9, 0.7, levels = 1:9))
  set.seed(8)
  w3 <- data.frame(record_id = sprintf("r%02d", 1:10),
                   stakeholder = rep(c("Patients", "Clinicians"), 5),
                   Q1 = sample(lik, 10, TRUE), Q2 = sample(lik, 10, TRUE),
                   mood = sample(1:5, 10, TRUE))
  w3$Q2[3] <- "Unable to score"
  r <- as_ratings(w3, levels = lik, missing_levels = "Unable to score", quiet = TRUE)
  expect_identical(r$items$item, c("Q1", "Q2"))
  expect_identical(names(r$resp), c("respondent", "stakeholder", "mood"))
  # numbers written as text sort as numbers
  l <- data.frame(pid = rep(1:3, 2), oid = rep(c("a", "b"), each = 3),
                  sc = c("8", "9", "2", "Unable to score", "10", "1"))
  expect_snapshot(r <- as_ratings(l, respondent = "pid", item = "oid", rating = "sc",
                                  missing_levels = "Unable to score"))
  expect_identical(r$levels, c("1", "2", "8", "9", "10"))
  # factor item columns beside a factor of another kind
  f <- data.frame(id = 1:4, grp = factor(c("x", "y", "x", "y")),
                  Q1 = factor(c("lo", "hi", "hi", "lo"), levels = c("lo", "hi")),
                  Q2 = factor(c("hi", "hi", "lo", "lo"), levels = c("lo", "hi")))
  r <- as_ratings(f, quiet = TRUE)
  expect_identical(r$items$item, c("Q1", "Q2"))
  expect_identical(names(r$resp), c("respondent", "grp"))
  expect_snapshot(error = TRUE, as_ratings(f, items = c("grp", "Q1", "Q2")))
  # codes that are not answers get a suggestion
  expect_snapshot(r <- as_ratings(data.frame(id = 1:6, Q = c(1, 2, 3, 4, 5, 99))))
})

test_that("text rounds sort by their number; a table reads a consensus result", {
  d <- data.frame(respondent = rep(1:3, 2), round = rep(c("R2", "R10"), each = 3),
                  item = "Q", rating = c(1, 2, 2, 2, 2, 2))
  res <- consensus(d, 2, 0.5, levels = 1:2, round = "round")
  expect_identical(res$round, c("R2", "R10"))
  res <- consensus(atmp_ratings, "Fundamental", 0.75,
                   levels = c("Fundamental", "Ancillary", "Less Important"))
  expect_identical(table_ratings(res)$consensus, res$reached)
  # the rows of a result: a table of those items
  expect_identical(table_ratings(res[1:3, ], area = FALSE)$consensus, res$reached[1:3])
})

test_that("rand_ucla() warns when the ratings can't be on its 1-9 scale", {
  d <- data.frame(respondent = rep(1:6, each = 2), item = rep(c("a", "b"), 6),
                  rating = c(1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 5, 4))
  expect_snapshot(res <- rand_ucla(d))
})

test_that("by is honoured or refused, never ignored", {
  d <- data.frame(respondent = rep(1:4, 4), round = rep(1:2, each = 8),
                  item = rep(rep(c("a", "b"), each = 4), 2),
                  rating = c(1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 1),
                  g = rep(c("x", "y"), 8))
  expect_snapshot(error = TRUE, round_stability(d, levels = 1:2, by = "g"))
  expect_snapshot(error = TRUE, rand_ucla(d, by = "g"))
  # honoured: attrition and the table per group
  a <- attrition(d, levels = 1:2, by = "g", round = "round")
  expect_identical(as.character(a$g), c("x", "y", "x", "y"))
  expect_identical(a$responded, c(2L, 2L, 2L, 2L))
  tab <- table_ratings(d[d$round == 1, ], levels = 1:2, by = "g")
  expect_identical(as.character(tab$g), c("x", "x", "y", "y"))
  expect_identical(tab$n, c(2L, 2L, 2L, 2L))
  # honoured: per group within each round
  res <- consensus(d, 2, 0.5, levels = 1:2, by = "g", round = "round")
  expect_identical(nrow(consensus_groups(res)), 8L)
})

test_that("a survey export read as text: blanks, non-answers, mixed columns", {
  set.seed(21)
  n <- 12
  w <- data.frame(ParticipantID = sprintf("P%03d", 1:n),
                  Stakeholder = rep(c("Patient", "Clinician", "Researcher"), 4),
                  `Pain intensity` = as.character(sample(1:9, n, TRUE)),
                  Fatigue = as.character(sample(1:9, n, TRUE)),
                  Sleep = "", check.names = FALSE, stringsAsFactors = FALSE)
  w$`Pain intensity`[c(2, 5)] <- c("", "Unable to score")
  w$Fatigue[3] <- "  "
  # without levels: numbers and text mixed is an error that says what to give
  expect_snapshot(error = TRUE, as_ratings(w))
  # with levels: blanks are not rated (and said), the all-blank item stays an item
  expect_snapshot(r <- as_ratings(w, levels = 1:9, missing_levels = "Unable to score"))
  expect_identical(r$items$item, c("Pain intensity", "Fatigue", "Sleep"))
  res <- consensus(r, 7:9, 0.7)
  expect_identical(res$n, c(10L, 11L, 0L))
  expect_identical(res$n_missing_level, c(1L, 0L, 0L))
  expect_snapshot(error = TRUE, as_ratings(w, levels = 1:9, missing_levels = c("Unable to score", "")))
  # a non-answer declared in another case
  expect_snapshot(error = TRUE, as_ratings(w, levels = 1:9, missing_levels = "Unable to Score"))
  # many bad values: the total is given per column
  w2 <- w
  w2$Fatigue[1:8] <- "x"
  expect_snapshot(error = TRUE, as_ratings(w2, levels = 1:9, missing_levels = "Unable to score"))
  # a misspelt by gets a suggestion; the threshold is checked before reading
  expect_snapshot(error = TRUE, consensus(w, 7:9, 0.7, levels = 1:9, missing_levels = "Unable to score",
                                         by = "stakeholders"))
  expect_snapshot(error = TRUE, consensus(w, 7:9, 70, levels = 1:9, missing_levels = "Unable to score"))
})

test_that("rounds named like their column print once; subset hints use a real value", {
  d <- data.frame(respondent = rep(1:3, 2), Round = rep(c("Round 1", "Round 2"), each = 3),
                  item = "Q", rating = c(1, 2, 2, 2, 2, 2))
  res <- consensus(d, 2, 0.5, levels = 1:2, round = "Round")
  expect_snapshot(print(res))
  tab <- table_ratings(d, levels = 1:2, round = "Round")
  expect_identical(as.character(tab$Round), c("Round 1", "Round 2"))
  expect_identical(tab[["2"]], c("2: 67% (2/3)", "2: 100% (3/3)"))
})

test_that("a panellist who answered only 'unable to score' still responded", {
  d <- data.frame(respondent = rep(1:3, each = 2, times = 2), round = rep(1:2, each = 6),
                  item = rep(c("a", "b"), 6),
                  rating = c(7, 8, 9, 9, 1, 2, 8, 8, "U", "U", NA, NA))
  a <- attrition(d, levels = 1:9, missing_levels = "U")
  expect_identical(a$responded, c(3L, 2L))
  res <- consensus(d, 7:9, 0.5, levels = 1:9, missing_levels = "U", round = "round")
  expect_identical(res$n_missing_level, c(0L, 0L, 1L, 1L))
  expect_identical(res$n, c(3L, 3L, 1L, 1L))
})

test_that("the wide reader, both modes, against R: one rater, empty, all-missing items", {
  ref_tally <- function(m, K) {
    out <- vapply(seq_len(ncol(m)), function(j) tabulate(m[, j], K), integer(K))
    matrix(out, K)
  }
  set.seed(31)
  for (trial in trials(80)) {
    n <- sample(c(1L, 2L, 7L, 40L), 1)
    m <- sample(1:4, 1)
    K <- sample(2:5, 1)
    x <- matrix(sample(c(seq_len(K), NA), n * m, TRUE), n, m)
    x[, sample.int(m, 1)] <- NA # an item nobody rated
    cols <- lapply(seq_len(m), function(j) x[, j])
    lv <- as.character(seq_len(K))
    maps <- vector("list", m)
    for (identity in c(TRUE, FALSE)) {
      res <- .Call(consensr:::ffi_read_wide, cols, maps, as.double(seq_len(K)), lv, K,
                   paste0("q", seq_len(m)), identity)
      expect_identical(matrix(res[[2L]], K), ref_tally(x, K))
      expect_identical(res[[5L]], integer(m))
      if (identity) expect_null(res[[1L]]) else expect_identical(unname(res[[1L]]), x)
    }
    # doubles and the matrix form take the general path
    res <- .Call(consensr:::ffi_read_wide, lapply(cols, as.double), maps, as.double(seq_len(K)), lv, K,
                 paste0("q", seq_len(m)), FALSE)
    expect_identical(unname(res[[1L]]), x)
    # the lazy code matrix of an identity read equals the data
    df <- as.data.frame(x)
    r <- as_ratings(df, items = names(df), levels = seq_len(K), quiet = TRUE)
    expect_null(.subset2(r, "codes"))
    expect_identical(unname(r$codes), x)
    expect_identical(.Call(consensr:::ffi_cbind, cols, paste0("q", seq_len(m))),
                     structure(x, dimnames = list(NULL, paste0("q", seq_len(m)))))
  }
  # a bad value is found in identity mode too, with its row
  res <- .Call(consensr:::ffi_read_wide, list(c(1L, 9L, 2L)), list(NULL), c(1, 2, 3), c("1", "2", "3"),
               3L, "q", TRUE)
  expect_identical(res[[5L]], 2L)
  # empty input: no rows
  res <- .Call(consensr:::ffi_read_wide, list(integer()), list(NULL), c(1, 2), c("1", "2"), 2L, "q", TRUE)
  expect_identical(res[[2L]], c(0L, 0L))
  # the C entry points check their arguments
  expect_error(.Call(consensr:::ffi_read_wide, list(1:2), list(NULL), c(1, 2), c("1", "2"), 2L, "q", NA), "identity")
  expect_error(.Call(consensr:::ffi_read_wide, list(c(1, 2)), list(NULL), c(1, 2), c("1", "2"), 2L, "q", TRUE), "plain integer")
  expect_error(.Call(consensr:::ffi_read_wide, list(1:2, 1:3), list(NULL, NULL), c(1, 2), c("1", "2"), 2L, c("a", "b"), FALSE), "same length")
  expect_error(.Call(consensr:::ffi_read_long_keys, 1:2, c("a", "b"), 0L, 1:3, NULL, c(1, 2), c("1", "2"), 2L), "same length")
  expect_error(.Call(consensr:::ffi_key, list(1)), "must be logical")
  expect_error(.Call(consensr:::ffi_cbind, list(1:2, 1:3), c("a", "b")), "one length")
})

test_that("the long reader with and without rounds equals R on random panels", {
  set.seed(41)
  for (trial in trials(60)) {
    nr <- sample(1:8, 1)
    ni <- sample(1:4, 1)
    d <- expand.grid(respondent = sample(letters, nr), item = paste0("Q", seq_len(ni)),
                     round = 1:2, stringsAsFactors = FALSE)
    d <- d[sample(nrow(d), sample(1:nrow(d), 1)), , drop = FALSE]
    d$rating <- sample(c(1:3, NA, 99), nrow(d), TRUE)
    res <- tally_ratings(d, levels = 1:3, missing_levels = 99, round = "round")
    for (k in unique(res$round)) {
      dk <- d[d$round == k, ]
      items <- unique(d$item)
      items <- items[items %in% dk$item[!is.na(dk$rating)]]
      got <- res[res$round == k, ]
      expect_identical(unique(got$item), items)
      for (it in items) {
        v <- dk$rating[dk$item == it]
        expect_identical(got$count[got$item == it], tabulate(v[!is.na(v) & v != 99], 3L))
        expect_identical(unique(got$n_missing_level[got$item == it]), sum(v == 99, na.rm = TRUE))
      }
    }
  }
})

test_that("every reader error and message is shown as users see it", {
  m <- matrix(1:4, 2)
  expect_snapshot(error = TRUE, as_ratings(list(1)))
  expect_snapshot(error = TRUE, as_ratings(matrix(list(1, 2), 1)))
  expect_snapshot(error = TRUE, as_ratings(matrix(integer(), 0, 2)))
  expect_snapshot(error = TRUE, as_ratings(`rownames<-`(m, c("a", "a"))))
  expect_snapshot(error = TRUE, as_ratings(m, by = "g"))
  expect_snapshot(r <- as_ratings(m))
  d <- data.frame(respondent = 1:2, item = "Q", rating = 1:2, g = c("x", NA))
  expect_snapshot(error = TRUE, as_ratings(d, levels = 1:2, colour = "red"))
  r <- as_ratings(d, levels = 1:2, quiet = TRUE)
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, levels = 1:3))
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, missing_levels = 9))
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, colour = "red"))
  expect_snapshot(error = TRUE, consensus(r, 2, 0.5, by = "g"))
  expect_snapshot(error = TRUE, as_ratings(d, levels = 1:2, missing_levels = NA))
  expect_snapshot(error = TRUE, as_ratings(data.frame(id = 1:2, q = NA), quiet = TRUE))
  expect_snapshot(error = TRUE, as_ratings(data.frame(a = 1:2, b = c("x", "y")), items = c("a", "b")))
  expect_snapshot(error = TRUE, as_ratings(data.frame(id = 1:2, q = 1:2), items = c("q", "zz")))
  expect_snapshot(error = TRUE, as_ratings(data.frame(id = 1:2, q = 1:2), items = c("id", "q"), respondent = "id"))
  cnt <- data.frame(item = c("Q", "Q"), level = c("y", "y"), count = 1:2)
  expect_snapshot(error = TRUE, as_ratings(cnt, levels = c("y", "n")))
  cnt <- data.frame(item = "Q", level = c("y", "n"), count = 1:2, n = c(3, 4))
  expect_snapshot(error = TRUE, as_ratings(cnt, levels = c("y", "n")))
  cnt <- data.frame(item = "Q", level = c("y", "n"), count = c(3, 4), n = 5)
  expect_snapshot(error = TRUE, as_ratings(cnt, levels = c("y", "n")))
  cnt <- data.frame(item = "Q", level = c("y", ""), count = c(3, 4))
  expect_snapshot(error = TRUE, as_ratings(cnt, levels = c("y", "n")))
})

test_that("results behave like data frames: subsets print, results write to CSV", {
  d <- data.frame(respondent = rep(1:10, 2), item = rep(c("a", "b"), each = 10),
                  rating = c(1:9, 9, 7, 8, 9, 9, 9, 8, 7, 1, 2, 3))
  ru <- rand_ucla(d)
  part <- ru[, c("item", "median")]
  expect_identical(class(part), "data.frame")
  expect_output(print(part), "median")
  expect_s3_class(ru[1, ], "consensr_rand_ucla")
  ag <- agreement(d, levels = 1:9)
  expect_identical(class(ag[, 1:2]), "data.frame")
  expect_output(print(ag[, 1:2]), "method")
  res <- consensus(d, 7:9, 0.7, levels = 1:9)
  expect_identical(class(res[c("item", "n")]), "data.frame")
  expect_s3_class(res[1, ], "consensr_consensus")
  expect_output(print(res[1, ]), "of 1 item reached")
  jk <- consensus_robustness(d, 7:9, threshold = 0.7, levels = 1:9)
  f <- tempfile(fileext = ".csv")
  write.csv(jk, f, row.names = FALSE)
  back <- utils::read.csv(f)
  expect_identical(back$flippers, jk$flippers)
  expect_identical(jk$flippers[2], "1, 2, 3, 4, 5, 6, 7")
  tb <- tally_ratings(d, levels = 1:9)
  expect_identical(class(tb[, c("item", "count")]), "data.frame")
  expect_output(print(tb[tb$item == "a", ]), "1 item x 9 levels")
  # per-round results: a subset of rows prints those rows only
  d2 <- rbind(cbind(d, round = 1), cbind(d, round = 2))
  ru2 <- rand_ucla(d2, round = "round")
  expect_null(attr(ru2[ru2$round == 1, ], "by_round"))
})
