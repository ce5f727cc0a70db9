# Rounds, stakeholder groups and 'consensus out' through every analysis,
# table and plot, on a two-round, three-group COMET panel (helper-comet.R)
# and on the reference study.

test_that("every function that applies a rule reads (x, target, threshold, ..., by, round)", {
  rule_funs <- c("consensus", "consensus_robustness", "threshold_sensitivity",
                 "delphi_summary", "round_flow", "consensus_completers",
                 "compare_groups", "plot_infogram", "plot_infogram_data",
                 "plot_round_change", "plot_round_change_data", "plot_bars",
                 "plot_bars_data", "table_ratings")
  for (f in rule_funs) {
    fm <- formals(getExportedValue("consensr", f))
    nm <- names(fm)
    expect_identical(nm[1:3], c("x", "target", "threshold"), label = f)
    expect_identical(utils::tail(nm, 2L), c("by", "round"), label = f)
    expect_true("..." %in% nm, label = f)
    # no default threshold where the rule decides (bars and tables: optional)
    if (!f %in% c("plot_bars", "plot_bars_data", "table_ratings")) {
      expect_identical(fm$threshold, quote(expr = ), label = f)
    } else {
      expect_null(fm$threshold, label = f)
    }
    # the rule's arguments are real formals, before the dots
    if (!f %in% c("plot_bars", "plot_bars_data")) {
      dots <- match("...", nm)
      expect_true(all(match(c("opposite", "opposite_threshold", "strict"), nm) < dots), label = f)
    }
  }
  # `round` means the round column everywhere, default NULL
  for (f in c(rule_funs, "attrition", "round_stability", "tally_ratings",
              "rand_ucla", "agreement")) {
    expect_null(formals(getExportedValue("consensr", f))$round, label = f)
  }
  # a threshold given positionally to compare_groups() is the threshold
  d <- comet_panel()
  cg <- compare_groups(d, 7:9, 0.8, respondent = "id", item = "outcome",
                       rating = "score", levels = 1:9, by = "group", round = "round")
  expect_identical(attr(cg, "rule")$frac, c(4, 5))
})

test_that("a COMET panel: rounds and groups in every result, table and plot", {
  d <- comet_panel()
  res <- comet_consensus(d, by = "group", round = "round")
  expect_identical(levels(res$status), c("consensus in", "consensus out", "no consensus"))
  expect_true(all(c("consensus in", "consensus out") %in% as.character(res$status)))
  # plots: a panel per round and group, each group with its own status
  bd <- plot_bars_data(res)
  expect_identical(levels(bd$round), c("1", "2"))
  expect_identical(sort(unique(as.character(bd$group))), c("Clinicians", "Patients", "Researchers"))
  g <- consensus_groups(res)
  one <- bd[bd$target & bd$round == "2" & bd$group == "Patients", ]
  gp <- g[g$round == 2 & g$group == "Patients", ]
  expect_identical(one$count[match(gp$item, one$item)], gp$count)
  expect_identical(one$reached[match(gp$item, one$item)], gp$reached)
  info <- plot_infogram_data(res)
  expect_true(all(c("round", "group", "status") %in% names(info)))
  out <- info[info$status == "consensus out", ]
  expect_true(all(out$item == "O6"))
  # the card of an out item shows the share rating 1-3
  o6 <- g[g$item == "O6", ]
  expect_identical(out$count, o6$opposite_count[match(paste(out$round, out$group),
                                                        paste(o6$round, o6$group))])
  # tables: round and group columns, three outcomes
  tab <- table_ratings(res)
  expect_identical(names(tab)[1:3], c("round", "group", "area"))
  expect_identical(nrow(tab), 2L * 3L * 6L)
  expect_true(all(tab$consensus[tab$item == "O6"] %in% c("consensus out", "no consensus")))
  # attrition per group: 3 panellists (one per group) left after round 1
  a <- attrition(d, respondent = "id", item = "outcome", rating = "score",
                 levels = 1:9, by = "group", round = "round")
  expect_identical(a$responded, c(10L, 10L, 10L, 9L, 9L, 9L))
  expect_identical(a$retained[4:6], c(9L, 9L, 9L))
  expect_snapshot(print(a))
  # fates keep in and out apart
  s <- delphi_summary(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                      respondent = "id", item = "outcome", rating = "score",
                      levels = 1:9, round = "round", carry = "all")
  expect_identical(as.character(s$fate[s$item == "O6"]), "reached out")
  expect_snapshot(print(s))
})

test_that("every result can be written with write.csv()", {
  d <- comet_panel()
  args <- list(respondent = "id", item = "outcome", rating = "score", levels = 1:9,
               round = "round")
  rule <- list(target = 7:9, threshold = 0.7, opposite = 1:3, opposite_threshold = 0.15)
  results <- list(
    consensus = do.call(consensus, c(list(d), rule, args, by = "group")),
    robustness = do.call(consensus_robustness, c(list(d), rule, args)),
    sensitivity = as.data.frame(do.call(threshold_sensitivity, c(list(d), rule, args))),
    tally = do.call(tally_ratings, c(list(d), args)),
    table = do.call(table_ratings, c(list(d), rule, args)),
    summary = do.call(delphi_summary, c(list(d), rule, args)),
    flow = do.call(round_flow, c(list(d), rule, args)),
    attrition = do.call(attrition, c(list(d), args)),
    stability = do.call(round_stability, c(list(d), args)),
    groups = do.call(compare_groups, c(list(d), rule, args, by = "group"))
  )
  for (nm in names(results)) {
    f <- tempfile(fileext = ".csv")
    expect_no_error(utils::write.csv(results[[nm]], f), message = nm)
    back <- utils::read.csv(f)
    expect_identical(nrow(back), nrow(as.data.frame(results[[nm]])), label = nm)
  }
})

test_that("an invalid rating in round 2 names the round and the user's row", {
  d <- comet_panel()
  d$score[d$round == 2][5] <- 10
  row <- which(d$score %in% 10)
  err <- tryCatch(comet_consensus(d, round = "round"), error = identity)
  expect_s3_class(err, "consensr_error")
  expect_match(conditionMessage(err), paste0("row ", row), fixed = TRUE)
  expect_identical(deparse(conditionCall(err)[[1L]]), "consensus")
  expect_snapshot(error = TRUE, cnd_class = TRUE, comet_consensus(d, round = "round"))
})

test_that("the reference study: one panel, two outcomes, plots unchanged", {
  pub <- consensr::atmp_published
  res <- consensus(pub, "Fundamental", 0.75)
  expect_identical(levels(res$status), c("consensus", "no consensus"))
  expect_identical(sum(res$reached), 16L)
  expect_false(any(c("round", "group") %in% names(plot_bars_data(res))))
  expect_identical(nrow(plot_infogram_data(res)), 16L)
  expect_false("round" %in% names(table_ratings(res)))
})

test_that("multi-round functions say where the rounds come from, or ask", {
  d <- comet_panel()
  expect_snapshot(s <- delphi_summary(d, 7:9, 0.7, respondent = "id", item = "outcome",
                                      rating = "score", levels = 1:9))
  d1 <- d[d$round == 1, names(d) != "round"]
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  attrition(d1, respondent = "id", item = "outcome", rating = "score",
                            levels = 1:9))
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  attrition(d, respondent = "id", item = "outcome", rating = "score",
                            levels = 1:9, round = "round", by = "group",
                            invited = 12))
})

test_that("consensus out is counted apart in groups, comparisons and sweeps", {
  d <- comet_panel()
  res <- comet_consensus(d, by = "group", round = "round")
  o6 <- res[res$item == "O6", ]
  expect_identical(o6$groups_reached, c(0L, 0L))
  expect_identical(o6$groups_reached_out, c(3L, 3L))
  cg <- compare_groups(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                       respondent = "id", item = "outcome", rating = "score",
                       levels = 1:9, by = "group", round = "round")
  expect_identical(as.character(cg$status_Patients[cg$item == "O6"]),
                   rep("consensus out", 2L))
  s <- threshold_sensitivity(d, 7:9, 0.7, opposite = 1:3, opposite_threshold = 0.15,
                             respondent = "id", item = "outcome", rating = "score",
                             levels = 1:9, round = "round", thresholds = c(0.7, 0.9))
  # O6: 28/30 rate 1-3 in round 1 (out at 90%), 24/27 in round 2 (not at 90%)
  expect_identical(s$summary$n_out, c(1L, 1L, 1L, 0L))
  o6s <- s$status[s$status$item == "O6", ]
  expect_identical(as.character(o6s$status),
                   c("consensus out", "consensus out", "consensus out", "no consensus"))
  expect_snapshot(print(s))
})

test_that("a column with one value for every item is not taken as the area", {
  d <- comet_panel()
  r1 <- d[d$round == 1, ]
  res <- comet_consensus(r1)
  expect_true("round" %in% names(res))
  expect_identical(attr(plot_bars_data(res), "bars")$group_col, "area")
  expect_identical(names(table_ratings(res))[1:2], c("area", "item"))
})

test_that("declared non-answers are counted in the table", {
  d <- comet_panel()
  d$score <- as.character(d$score)
  d$score[1:3] <- "Unable to score"
  tab <- table_ratings(d[d$round == 1, names(d) != "round"], 7:9, 0.7,
                       respondent = "id", item = "outcome", rating = "score",
                       levels = 1:9, missing_levels = "Unable to score")
  expect_identical(tab$n_missing_level[tab$item == "O1"], 3L)
  expect_identical(tab$n[tab$item == "O1"], 26L)
})

test_that("functions of a result refuse by and round with a pointer", {
  d <- comet_panel()
  s <- threshold_sensitivity(d, 7:9, 0.7, respondent = "id", item = "outcome",
                             rating = "score", levels = 1:9, round = "round")
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_sensitivity(s, by = "group"))
  res <- comet_consensus(d, by = "group", round = "round")
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_groups(res, round = "round"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, consensus_groups(res, "oops"))
})
