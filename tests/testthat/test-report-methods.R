# report_methods(): every sentence comes from an argument of the analysis;
# changing the argument changes the sentence (and only the sentences that
# depend on it).

cos_panel <- function() {
  set.seed(11)
  data.frame(
    respondent = rep(1:20, each = 3),
    group = rep(c("patients", "clinicians"), each = 30),
    item = rep(c("Pain", "Function", "Cost"), 20),
    rating = sample(c(1:9, 99), 60, replace = TRUE,
                    prob = c(1, 1, 1, 1, 1, 2, 3, 4, 4, 1))
  )
}

lv3 <- c("Fundamental", "Ancillary", "Less Important")

meth <- function(...) unclass(report_methods(...))

test_that("the scale sentence follows the levels", {
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  expect_identical(meth(res)[["scale"]],
                   "Each item was rated on a 3-point scale (Fundamental, Ancillary, Less Important).")
  p <- cos_panel()
  m9 <- meth(consensus(p, 7:9, threshold = 0.7, levels = 1:9, missing_levels = 99))
  expect_identical(m9[["scale"]], "Each item was rated on a 9-point scale from 1 to 9.")
  p$rating[p$rating %in% 8:9] <- 7L
  m7 <- meth(consensus(p, 7, threshold = 0.7, levels = 1:7, missing_levels = 99))
  expect_identical(m7[["scale"]], "Each item was rated on a 7-point scale from 1 to 7.")
  expect_identical(meth(res, item_label = "competency")[["scale"]],
                   "Each competency was rated on a 3-point scale (Fundamental, Ancillary, Less Important).")
})

test_that("the rule sentence states the exact boundary and changes with each argument", {
  base <- meth(consensus(atmp_published, "Fundamental", threshold = 0.75))[["rule"]]
  expect_identical(base, "An item reached consensus when at least 75% of the panellists who rated it chose Fundamental.")
  thr <- meth(consensus(atmp_published, "Fundamental", threshold = 0.7))[["rule"]]
  expect_identical(thr, sub("75%", "70%", base, fixed = TRUE))
  strict <- meth(consensus(atmp_published, "Fundamental", threshold = 0.75, strict = TRUE))[["rule"]]
  expect_identical(strict, sub("at least", "more than", base, fixed = TRUE))
  tgt <- meth(consensus(atmp_published, c("Fundamental", "Ancillary"), threshold = 0.75))[["rule"]]
  expect_match(tgt, "chose Fundamental, Ancillary.", fixed = TRUE)
  third <- meth(consensus(atmp_published, "Fundamental", threshold = 1/3))[["rule"]]
  expect_match(third, "at least 33.33% of", fixed = TRUE)

  p <- cos_panel()
  two <- meth(consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
                        by = "group", levels = 1:9, missing_levels = 99))[["rule"]]
  expect_identical(two, paste0(
    "An item reached consensus in when at least 70% rating 7-9 and fewer than 15% rating 1-3, ",
    "and consensus out when at least 70% rating 1-3 and fewer than 15% rating 7-9, ",
    "in every stakeholder group (column `group`); otherwise there was no consensus."))
  cap <- meth(consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.2,
                        by = "group", levels = 1:9, missing_levels = 99))[["rule"]]
  expect_identical(cap, gsub("fewer than 15%", "fewer than 20%", two, fixed = TRUE))
  nogroup <- meth(consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
                            levels = 1:9, missing_levels = 99))[["rule"]]
  expect_identical(nogroup, sub(", in every stakeholder group (column `group`)", "", two, fixed = TRUE))
  lab <- meth(consensus(p, 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15,
                        by = "group", levels = 1:9, missing_levels = 99),
              group_label = "panel", item_label = "outcome")[["rule"]]
  expect_match(lab, "^An outcome reached consensus in .* in every panel \\(column `group`\\)")
})

test_that("the denominator sentence follows the missing levels and the n", {
  p <- cos_panel()
  with99 <- consensus(p, 7:9, threshold = 0.7, levels = 1:9, missing_levels = 99)
  d <- meth(with99)[["denominator"]]
  n99 <- sum(p$rating == 99)
  expect_match(d, sprintf("Answers not on the scale (\"99\") were not counted in the denominators either; there were %d such answer%s.", n99, if (n99 == 1) "" else "s"),
               fixed = TRUE)
  expect_match(d, sprintf("(n from %d to %d)", min(with99$n), max(with99$n)), fixed = TRUE)
  q <- p[p$rating != 99, ]
  none <- meth(consensus(q, 7:9, threshold = 0.7, levels = 1:9))[["denominator"]]
  expect_no_match(none, "not on the scale")
  full <- data.frame(respondent = rep(1:4, 2), item = rep(c("A", "B"), each = 4),
                     rating = c(1, 2, 2, 2, 2, 2, 1, 2))
  expect_match(meth(consensus(full, 2, threshold = 0.5, levels = 1:2))[["denominator"]],
               "(n = 4 for every item)", fixed = TRUE)
})

test_that("groups, rounds and results are stated from the result", {
  p <- cos_panel()
  g <- meth(consensus(p, 7:9, threshold = 0.7, by = "group", levels = 1:9, missing_levels = 99))
  expect_identical(g[["groups"]], "Panellists were grouped by the column `group` into 2 stakeholder groups (clinicians, patients), and every group was analysed on its own.")
  expect_false("groups" %in% names(meth(consensus(p, 7:9, threshold = 0.7, levels = 1:9, missing_levels = 99))))

  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  m <- meth(res)
  expect_identical(m[["rounds"]], "The items were rated in a single round.")
  expect_identical(m[["result"]], sprintf("Under this rule, %d of 33 items reached consensus.", sum(res$reached)))
  m80 <- meth(consensus(atmp_published, "Fundamental", threshold = 0.8))
  expect_false(identical(m80[["result"]], m[["result"]]))

  imp <- read_redcap(
    system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
    system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
  )
  s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round")
  ms <- meth(s)
  expect_match(ms[["rounds"]], "^The study had 2 rounds \\(round_1_arm_1, round_2_arm_1\\)")
  expect_match(ms[["rounds"]], "were carried forward to the next round", fixed = TRUE)
  sa <- meth(delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round", carry = "all"))
  expect_match(sa[["rounds"]], "Every item was meant to be rated in every round", fixed = TRUE)
  expect_no_match(sa[["rounds"]], "carried forward")
  n1 <- sum(s$status_1 %in% "consensus")
  n2 <- sum(s$status_2 %in% "consensus")
  expect_identical(ms[["result"]], sprintf(
    "Under this rule, round 1 (round_1_arm_1): %d of %d items reached consensus; round 2 (round_2_arm_1): %d of %d items reached consensus; the final list holds %d of %d items.",
    n1, sum(!is.na(s$status_1)), n2, sum(!is.na(s$status_2)), sum(s$in_final_list), nrow(s)))
  cr <- consensus(imp, "Fundamental", threshold = 0.75)
  expect_match(meth(cr)[["rounds"]], "^The study had 2 rounds")
})

test_that("sensitivity, robustness, stability, agreement and attrition sentences follow their arguments", {
  s1 <- threshold_sensitivity(atmp_published, "Fundamental", 0.75, thresholds = c(0.7, 0.75, 0.8))
  s2 <- threshold_sensitivity(atmp_published, "Fundamental", 0.75, thresholds = c(0.6, 0.75, 0.9))
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  t1 <- meth(res, s1)[["sensitivity"]]
  expect_match(t1, "thresholds of 70%, 75% and 80% and compared with the reference threshold of 75%", fixed = TRUE)
  expect_match(t1, sprintf("at 70%%, %d entered and %d left", s1$summary$n_entered[1], s1$summary$n_left[1]), fixed = TRUE)
  expect_match(meth(res, s2)[["sensitivity"]], "thresholds of 60%, 75% and 90%", fixed = TRUE)

  set.seed(3)
  b1 <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv3,
                             method = "bootstrap", B = 50, progress = FALSE)
  set.seed(3)
  b2 <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv3,
                             method = "bootstrap", B = 60, conf_level = 0.9, progress = FALSE)
  r1 <- meth(res, b1, seed = 3)[["robustness"]]
  expect_match(r1, "B = 50 bootstrap panels", fixed = TRUE)
  expect_match(r1, "random seed 3, set with `set.seed(3)`", fixed = TRUE)
  expect_match(r1, "95% percentile intervals", fixed = TRUE)
  r2 <- meth(res, b2, seed = 42)[["robustness"]]
  expect_match(r2, "B = 60 bootstrap panels", fixed = TRUE)
  expect_match(r2, "random seed 42", fixed = TRUE)
  expect_match(r2, "90% percentile intervals", fixed = TRUE)
  expect_match(meth(res, b1)[["robustness"]], "the random seed was not recorded", fixed = TRUE)
  jk <- consensus_robustness(atmp_ratings, "Fundamental", threshold = 0.75, levels = lv3)
  expect_match(meth(res, jk)[["robustness"]], "the 25 panels that leave out one panellist (jackknife", fixed = TRUE)

  imp <- read_redcap(
    system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
    system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
  )
  s <- delphi_summary(imp$ratings, "Fundamental", threshold = 0.75, round = "round")
  st_b <- meth(s, round_stability(imp$ratings, round = "round"))[["stability"]]
  st_c <- meth(s, round_stability(imp$ratings, round = "round", test = "chisq", conf_level = 0.9))[["stability"]]
  expect_match(st_b, "McNemar-Bowker test .* \\(Bowker 1948\\)")
  expect_match(st_b, "with 95% intervals", fixed = TRUE)
  expect_match(st_c, "chi-square test .* \\(Dajani, Sincoff and Talley 1979\\)")
  expect_match(st_c, "with 90% intervals", fixed = TRUE)

  ag1 <- meth(res, agreement(atmp_ratings, levels = lv3))[["agreement"]]
  expect_match(ag1, "percent agreement, Fleiss' kappa (Fleiss 1971), Gwet's AC1 (Gwet 2008) and Krippendorff's alpha with the nominal metric (Krippendorff 2011)", fixed = TRUE)
  ag2 <- meth(res, agreement(atmp_ratings, levels = lv3, method = "krippendorff", metric = "ordinal"))[["agreement"]]
  expect_match(ag2, "by Krippendorff's alpha with the ordinal metric", fixed = TRUE)
  expect_no_match(ag2, "Fleiss")

  a <- attrition(imp$ratings, round = "round", invited = c(32, 25))
  at <- meth(s, a)[["attrition"]]
  expect_match(at, sprintf("round 1 (round_1_arm_1): 32 invited, %d responded, %d completed",
                           a$responded[1], a$completed[1]), fixed = TRUE)
  expect_match(meth(s, attrition(imp$ratings, round = "round"))[["attrition"]], "round 1 (round_1_arm_1): 25 responded", fixed = TRUE)
})

test_that("the paragraph carries the package version and prints as Markdown", {
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  m <- report_methods(res)
  expect_match(m[["software"]], as.character(utils::packageVersion("consensr")), fixed = TRUE)
  expect_identical(format(m), paste(unclass(m), collapse = " "))
  expect_output(print(m), "reached consensus")
  skip_if_not_installed("knitr")
  expect_s3_class(knitr::knit_print(m), "knit_asis")
})

test_that("report_methods() refuses what it can't describe", {
  res <- consensus(atmp_published, "Fundamental", threshold = 0.75)
  expect_snapshot(error = TRUE, report_methods(atmp_published))
  expect_snapshot(error = TRUE, report_methods(res, 1))
  s1 <- threshold_sensitivity(atmp_published, "Fundamental", 0.75, thresholds = c(0.7, 0.8))
  expect_snapshot(error = TRUE, report_methods(res, s1, s1))
  expect_snapshot(error = TRUE, report_methods(res, seed = "a"))
})
