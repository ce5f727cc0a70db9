# Rounds: consensus round by round, stability statistics against hand
# computation and pure-R references, attrition and the round flow.

example_ratings <- function() {
  f <- function(x) system.file("extdata", x, package = "consensr")
  read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))$ratings
}

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
  c2 <- consensus(r[r$round == "round_2_arm_1", ], "Fundamental", threshold = 0.75)
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
  s <- delphi_summary(d, "yes", threshold = 0.75)
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
  a <- delphi_summary(d, "yes", threshold = 0.75, carry = "all")
  fa <- setNames(as.character(a$fate), a$item)
  expect_identical(fa[["kept"]], "dropped")
  expect_identical(fa[["lost"]], "lost consensus")
  expect_identical(fa[["late"]], "newly reached")
  expect_error(delphi_summary(d, "yes", threshold = 0.75, carry = "some"), "carry")
  expect_error(delphi_summary(d, "maybe", threshold = 0.75), "target")
})

test_that("a read_redcap() result can be given directly", {
  f <- function(x) system.file("extdata", x, package = "consensr")
  imp <- read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))
  expect_identical(attrition(imp)$responded, attrition(imp$ratings)$responded)
  expect_identical(delphi_summary(imp, "Fundamental", threshold = 0.75)$fate,
                   delphi_summary(imp$ratings, "Fundamental", threshold = 0.75)$fate)
  expect_error(delphi_summary(imp$ratings, "Fundamental", 0.75, NULL, NULL, FALSE, "oops"),
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
  expect_match(format(s), "round 1: 3 items rated, 1 consensus in, 1 consensus out",
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
