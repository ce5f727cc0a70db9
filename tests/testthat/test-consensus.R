one <- function(k, n) data.frame(item = "q", level = c("yes", "no"), count = c(k, n - k))

test_that("a proportion exactly at the threshold reaches it", {
  at <- function(k, n, t) consensus(one(k, n), "yes", threshold = t)$reached
  expect_true(at(18, 24, 0.75))
  expect_false(at(17, 24, 0.75))
  expect_true(at(57, 100, 0.57))
  expect_false(at(56, 100, 0.57))
  expect_true(at(7, 10, 0.7))
  expect_true(at(29, 100, 0.29))
  expect_true(at(1, 3, 1 / 3))
  expect_true(at(2, 3, 2 / 3))
  expect_false(at(1, 3, 0.34))
  expect_true(at(56, 100, 0.56))
  expect_true(at(25, 25, 1))
  expect_false(at(24, 25, 1))
  s <- seq(0.5, 1, by = 0.01)
  expect_true(at(57, 100, s[8]))
  expect_true(at(3, 5, s[11]))
  # strict: "more than"
  expect_false(consensus(one(7, 10), "yes", threshold = 0.7, strict = TRUE)$reached)
  expect_true(consensus(one(8, 10), "yes", threshold = 0.7, strict = TRUE)$reached)
})

test_that("the rule matches a pure-R oracle on random panels", {
  set.seed(11)
  for (i in trials(150)) {
    K <- sample(3:9, 1)
    G <- sample(1:3, 1)
    long <- random_long(sample(c(1, 2, 5, 20), 1), sample(1:5, 1), K,
                        p_na = sample(c(0, 0.3, 0.9), 1), G = G)
    lv <- paste0("L", seq_len(K))
    tcodes <- sample.int(K, sample.int(2, 1))
    two <- stats::runif(1) < 0.5
    rest <- setdiff(seq_len(K), tcodes)
    ocodes <- if (two) rest[sample.int(length(rest), 1)] else NULL
    thr <- sample(c(0.5, 0.6, 2 / 3, 0.7, 0.75, 0.8, 1), 1)
    othr <- if (two) sample(c(0.15, 0.2, 0.5), 1) else NULL
    strict <- stats::runif(1) < 0.2
    by <- if (G > 1 && stats::runif(1) < 0.5) "group" else NULL
    res <- consensus(long, lv[tcodes], thr, opposite = if (two) lv[ocodes],
                     opposite_threshold = othr, by = by, strict = strict,
                     levels = lv)
    tfr <- as.vector(.Call(consensr:::ffi_fraction, thr, 1e-9))
    ofr <- if (two) as.vector(.Call(consensr:::ffi_fraction, othr, 1e-9))
    for (it in unique(long$item)) {
      sub <- long[long$item == it & !is.na(long$rating), ]
      groups <- if (is.null(by)) list(sub) else
        lapply(sort(unique(long$group)), function(g) sub[sub$group == g, ])
      st <- vapply(groups, function(s) {
        codes <- as.integer(s$rating)
        ref_status(sum(codes %in% tcodes), if (two) sum(codes %in% ocodes),
                   nrow(s), tfr, ofr, strict)
      }, character(1))
      row <- res[res$item == it, ]
      expect_identical(row$reached, ref_reached(st), info = paste(i, it))
      expect_identical(row$n, sum(!is.na(long$rating[long$item == it])))
      expect_identical(row$count, sum(as.integer(sub$rating) %in% tcodes))
      if (is.null(by)) {
        want <- switch(st, "in" = if (two) "consensus in" else "consensus",
                       out = "consensus out", none = "no consensus")
        expect_identical(as.character(row$status), if (is.na(st)) NA_character_ else want,
                         info = paste(i, it))
      }
    }
  }
})

test_that("the reference study: 16 of 33 competencies at 75%", {
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  expect_identical(nrow(res), 33L)
  expect_identical(sum(res$reached), 16L)
  expect_output(print(res), "^16 of 33 items reached consensus \\(>= 75% Fundamental\\)")
  expect_identical(levels(res$area), levels(atmp_published$area))
  # the reconstruction gives exactly the same result
  from_ratings <- consensus(atmp_ratings, "Fundamental", threshold = 0.75)
  cols <- c("item", "area", "count", "n", "prop", "status", "reached")
  expect_identical(as.data.frame(from_ratings)[cols], as.data.frame(res)[cols])
  s <- summary(res)
  expect_identical(length(s$reached), 16L)
  expect_output(print(s), "Items reaching consensus")
})

test_that("two-sided COMET rule: in, out and none with exact boundaries", {
  counts <- data.frame(
    item = rep(c("in", "in_capped", "out", "none", "edge"), each = 3),
    level = rep(c("low", "mid", "high"), 5),
    count = c(1, 2, 7,   2, 1, 7,   8, 2, 0,   3, 4, 3,   0, 3, 7)
  )
  # edge: 7/10 high (>= 70%), 0/10 low; in_capped: 2/10 low is not < 15%
  res <- consensus(counts, target = "high", threshold = 0.7, opposite = "low",
                   opposite_threshold = 0.15, levels = c("low", "mid", "high"))
  expect_identical(as.character(res$status),
                   c("consensus in", "no consensus", "consensus out",
                     "no consensus", "consensus in"))
  expect_identical(res$reached, c(TRUE, FALSE, FALSE, FALSE, TRUE))
  expect_identical(res$opposite_count, c(1L, 2L, 8L, 3L, 0L))
  expect_output(print(res), "2 of 5 items reached consensus in, 1 consensus out, 2 no consensus")
  expect_output(print(res), "in: >= 70% high and < 15% low")
  # 1.5/10 exactly at the cap is not below it
  capped <- data.frame(item = "q", level = c("low", "mid", "high"), count = c(3, 0, 17))
  expect_false(consensus(capped, "high", 0.7, opposite = "low",
                         opposite_threshold = 0.15, levels = c("low", "mid", "high"))$reached)
  # numeric targets on a 1-9 scale, shown as ranges
  r9 <- consensus(data.frame(item = "q", level = 1:9, count = c(0, 0, 1, 0, 0, 2, 3, 3, 1)),
                  target = 7:9, threshold = 0.7, opposite = 1:3,
                  opposite_threshold = 0.15, levels = 1:9)
  expect_identical(format(attr(r9, "rule"))[1], "in: >= 70% 7-9 and < 15% 1-3")
  expect_true(r9$reached)
})

test_that("within-group rules need every group", {
  long <- data.frame(
    respondent = rep(1:6, each = 2), item = rep(c("a", "b"), 6),
    grp = rep(c("x", "x", "x", "y", "y", "y"), each = 2),
    rating = c("y", "y",  "y", "y",  "y", "n",  "y", "n",  "y", NA,  "n", NA)
  )
  res <- consensus(long, "y", threshold = 2 / 3, by = "grp", levels = c("n", "y"))
  # a: x 3/3, y 2/3 -> in; b: x 2/3, y 0/1 -> not in
  expect_identical(res$reached, c(TRUE, FALSE))
  expect_identical(res$groups_reached, c(2L, 1L))
  g <- consensus_groups(res)
  expect_identical(g$reached, c(TRUE, TRUE, TRUE, FALSE))
  expect_identical(g$n, c(3L, 3L, 3L, 1L))
  expect_output(print(res), "within every grp group")
  expect_error(consensus_groups(consensus(long, "y", threshold = 0.75, levels = c("n", "y"))), "without")
  # an unrated group makes an otherwise reached item undecided
  long2 <- long[!(long$item == "b" & long$grp == "y"), ]
  long2$rating[long2$item == "b"] <- "y"
  res2 <- consensus(long2, "y", threshold = 2 / 3, by = "grp", levels = c("n", "y"))
  expect_identical(res2$reached, c(TRUE, NA))
  expect_identical(consensus_groups(res2)$n[4], 0L)
})

test_that("an item nobody rated is NA, never an error", {
  long <- data.frame(respondent = 1:2, item = c("a", "b"), rating = c("y", NA))
  res <- consensus(long, "y", threshold = 0.75, levels = c("y", "n"))
  expect_identical(res$n, c(1L, 0L))
  expect_identical(res$prop, c(1, NA))
  expect_identical(res$reached, c(TRUE, NA))
  expect_true(is.na(res$status[2]))
  expect_output(print(res), "1 of 2 items reached consensus .*1 item undecided")
})

test_that("bad rules get errors naming the argument", {
  x <- atmp_published
  expect_error(consensus(x, "Essential", threshold = 0.75), "Unknown.*Essential")
  expect_error(consensus(x, character(), threshold = 0.75), "target")
  expect_error(consensus(x, "Fundamental", threshold = 0.75, opposite = "Fundamental",
                 opposite_threshold = 0.1), "share levels")
  expect_error(consensus(x, "Fundamental", threshold = 0.75, opposite_threshold = 0.1),
               "`opposite_threshold` needs `opposite`")
  expect_error(consensus(x, "Fundamental", threshold = 0.75, opposite = "Less Important"),
               "`opposite` needs `opposite_threshold`")
  expect_error(consensus(x, "Fundamental", threshold = 0.1, opposite = "Less Important",
                         opposite_threshold = 0.2), "at least `opposite_threshold`")
  expect_error(consensus(x, "Fundamental", threshold = 0.75, opposite = "Less Important",
                 opposite_threshold = 15), "not a percentage")
  expect_error(consensus(x, "Fundamental", threshold = 0.75, strict = NA), "`strict`")
  expect_error(consensus(x, "Fundamental", threshold = 75), "Did you mean")
})

test_that("the C rule checks its arguments", {
  f <- consensr:::ffi_rule
  fr <- c(3, 4)
  expect_error(.Call(f, 1, 1L, 2L, 1L, fr, NULL, FALSE), "k_target")
  expect_error(.Call(f, 1L, NULL, 2L, 1L, fr, c(1, 4), FALSE), "opposite_threshold")
  expect_error(.Call(f, 1L, NULL, c(2L, 2L), 1L, fr, NULL, FALSE), "same length")
  expect_error(.Call(f, 3L, NULL, 2L, 1L, fr, NULL, FALSE), "k_target")
  expect_error(.Call(f, 1L, 2L, 2L, 1L, fr, c(1, 4), FALSE), "k_opp")
  expect_error(.Call(f, 1L, NULL, 2L, 1L, c(4, 3), NULL, FALSE), "threshold")
  expect_error(.Call(f, 1L, NULL, 2L, 1L, c(0.5, 1), NULL, FALSE), "whole numbers")
  expect_error(.Call(f, 1L, NULL, 2L, 1L, fr, NULL, NA), "strict")
  expect_error(.Call(f, 1L, NULL, 2L, 2L, fr, NULL, FALSE), "multiple")
  expect_error(.Call(f, NA_integer_, NULL, 2L, 1L, fr, NULL, FALSE), "k_target")
  expect_identical(.Call(f, integer(), NULL, integer(), 1L, fr, NULL, FALSE),
                   list(item = integer(), group = integer()))
})
