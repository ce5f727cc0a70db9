test_that("the reference study's sensitivity analysis, from its counts", {
  s <- threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
         thresholds = c(0.7, 0.75, 0.8))
  expect_s3_class(s, "consensr_sensitivity")
  expect_identical(s$summary$n_reached, c(18L, 16L, 14L))
  expect_setequal(s$summary$left[[3]], c("Biobanking & Cell/Tissue Sourcing",
                                         "Reimbursement Assessment & Market Access"))
  # the paper names three entering at 70%; its own counts give two, because
  # Regulatory Product Classification is printed as 72% but counted 16/25
  expect_setequal(s$summary$entered[[1]], c("Funding Strategy & Sustainability",
                                            "Regulatory Science & Systems Overview"))
  expect_identical(s$summary$n_left[1:2], c(0L, 0L))
  expect_output(print(s), "80%   14 reached; -Biobanking")
  df <- as.data.frame(s)
  expect_type(df$entered, "character")
})

test_that("switch points are the exact proportions", {
  x <- data.frame(item = letters[1:5], level = "yes",
                  count = c(18, 57, 0, 2, 5), n = c(24, 100, 10, 3, 5))
  s <- threshold_sensitivity(x, "yes", threshold = 0.7, thresholds = seq(0.5,
         1, by = 0.01))
  expect_identical(s$items$switch_at, c("18/24", "57/100", NA, "2/3", "5/5"))
  expect_identical(s$items$max_threshold, c(0.75, 0.57, NA, 2 / 3, 1))
  expect_identical(s$items$reached_at_reference, c(TRUE, FALSE, FALSE, FALSE, TRUE))
  st <- s$status
  # reached at every threshold up to the switch point, never above
  for (it in x$item) {
    sub <- st[st$item == it, ]
    mt <- s$items$max_threshold[s$items$item == it]
    want <- if (is.na(mt)) rep(FALSE, nrow(sub)) else round(sub$threshold * 100) <= round(mt * 100, 6)
    expect_identical(sub$reached, want, info = it)
  }
})

test_that("a dense sweep agrees with consensus() at every threshold", {
  set.seed(21)
  long <- random_long(23, 8, 3, p_na = 0.15, G = 2)
  lv <- paste0("L", 1:3)
  thr <- seq(0.5, 1, by = 0.01)
  for (by in list(NULL, "group")) {
    for (two in c(FALSE, TRUE)) {
      opp <- if (two) "L1" else NULL
      oth <- if (two) 0.2 else NULL
      s <- threshold_sensitivity(long, "L3", threshold = 0.6, thresholds = thr, opposite = opp,
             opposite_threshold = oth, by = by, levels = lv)
      for (j in seq_along(thr)) {
        want <- consensus(long, "L3", threshold = thr[j], opposite = opp,
                          opposite_threshold = oth, by = by, levels = lv)$reached
        got <- s$status$reached[s$status$threshold == s$thresholds[j]]
        expect_identical(got, want, info = paste(j, two, is.null(by)))
        expect_identical(s$summary$n_reached[j], sum(want %in% TRUE))
      }
    }
  }
})

test_that("thresholds are sorted, deduplicated and validated", {
  s <- threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
         thresholds = c(0.8, 0.7, 0.70000000001))
  expect_identical(s$thresholds, c(0.7, 0.8))
  expect_error(threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
                 thresholds = c(0.7, 80)),
               "`thresholds` must be a proportion")
  expect_error(threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
                 thresholds = numeric()),
               "`thresholds`")
  expect_error(threshold_sensitivity(atmp_published, "Fundamental", threshold = 75, thresholds = 0.7),
               "`threshold`")
  expect_error(threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
                 thresholds = c(0.1, 0.7), opposite = "Less Important", opposite_threshold = 0.15),
               "at least `opposite_threshold`")
  f <- consensr:::ffi_sweep
  expect_error(.Call(f, 1L, NULL, 2L, 1L, c(1, 2, 3), NULL, FALSE), "pairs")
  expect_error(.Call(f, 1L, NULL, 2L, 1L, c(3, 2), NULL, FALSE), "thresholds")
  expect_error(.Call(f, 1L, NULL, 2L, 1L, "a", NULL, FALSE), "thresholds")
})

test_that("rounds are analysed one by one", {
  r1 <- atmp_ratings
  r1$round <- 1L
  r2 <- atmp_ratings[atmp_ratings$respondent != "R01", ]
  r2$round <- 2L
  both <- rbind(r1, r2)
  res <- consensus(both, "Fundamental", threshold = 0.75, round = "round")
  expect_identical(names(res)[1:3], c("item", "area", "round"))
  expect_identical(nrow(res), 66L)
  one <- consensus(r2[names(r2) != "round"], "Fundamental", threshold = 0.75)
  expect_identical(res$reached[res$round == 2L], one$reached)
  expect_identical(res$n[res$round == 2L], one$n)
  expect_output(print(res), "round 1: 16 of 33 items reached consensus")
  t <- tally_ratings(both, round = "round")
  expect_identical(t$count[t$round == 2L], tally_ratings(r2[names(r2) != "round"])$count)
  s <- threshold_sensitivity(both, "Fundamental", threshold = 0.75, thresholds = c(0.7,
         0.8), round = "round")
  expect_identical(s$summary$round, c(1L, 1L, 2L, 2L))
  expect_identical(s$summary$n_reached[1:2], c(18L, 14L))
  expect_output(print(s), "round 2:")
  g <- consensus(merge(both, atmp_participants, by = "respondent"), "Fundamental",
         threshold = 0.75, by = "setting", round = "round")
  expect_identical(nrow(consensus_groups(g)), 66L * 5L)
  expect_error(consensus(both, "Fundamental", threshold = 0.75, round = "wave"), "has no column wave")
  both$round[3] <- NA
  expect_error(consensus(both, "Fundamental", threshold = 0.75, round = "round"), "missing values")
})

test_that("the reconstruction implies the same item sets at 70%, 75% and 80%", {
  at <- c(0.7, 0.75, 0.8)
  from_counts <- threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
                   thresholds = at)
  from_ratings <- threshold_sensitivity(atmp_ratings, "Fundamental", threshold = 0.75, thresholds = at)
  expect_identical(from_ratings$status$reached, from_counts$status$reached)
  expect_identical(from_ratings$items$switch_at, from_counts$items$switch_at)
  # the sets themselves, from the transcribed counts: k * 100 >= t * 100 * n
  fund <- atmp_published[atmp_published$level == "Fundamental", ]
  for (t in c(70L, 75L, 80L)) {
    want <- fund$item[fund$count * 100L >= t * fund$n]
    got <- from_ratings$status$item[from_ratings$status$reached &
                                      from_ratings$status$threshold == t / 100]
    expect_identical(got, want, info = t)
  }
  expect_identical(sum(fund$count * 100L >= 75L * fund$n), 16L)
})

test_that("max_threshold is NA when k/n is below every threshold a two-sided rule allows", {
  # 1 of 10 on target, none opposite: the cap passes, but thresholds must be
  # at least opposite_threshold = 0.15, and 1/10 reaches none of them
  x <- data.frame(item = rep(c("a", "b", "c", "d"), each = 3),
                  level = rep(c("lo", "mid", "hi"), 4),
                  count = c(0, 9, 1,   0, 8, 2,   0, 17, 3,   1, 1, 8))
  x$level <- factor(x$level, c("lo", "mid", "hi"))
  s <- threshold_sensitivity(x, "hi", threshold = 0.5, opposite = "lo",
                             opposite_threshold = 0.15,
                             thresholds = seq(0.15, 1, by = 0.05))
  expect_identical(s$items$switch_at, c(NA, "2/10", "3/20", "8/10"))
  expect_identical(s$items$max_threshold, c(NA, 0.2, 0.15, 0.8))
  # reached at no tried threshold when NA, at each up to max_threshold else
  for (it in s$items$item) {
    sub <- s$status[s$status$item == it, ]
    mt <- s$items$max_threshold[s$items$item == it]
    want <- if (is.na(mt)) rep(FALSE, nrow(sub)) else round(sub$threshold * 100) <= round(mt * 100)
    expect_identical(sub$reached, want, info = it)
  }
  # strict: 3/20 = 0.15 holds only below 0.15, where no threshold is allowed
  st <- threshold_sensitivity(x, "hi", threshold = 0.5, opposite = "lo",
                              opposite_threshold = 0.15, strict = TRUE,
                              thresholds = seq(0.15, 1, by = 0.05))
  expect_identical(st$items$switch_at, c(NA, "2/10", NA, "8/10"))
  # one-sided: 1/10 is its own switch point
  one <- threshold_sensitivity(x, "hi", threshold = 0.5, thresholds = c(0.1, 0.5))
  expect_identical(one$items$switch_at, c("1/10", "2/10", "3/20", "8/10"))
})
