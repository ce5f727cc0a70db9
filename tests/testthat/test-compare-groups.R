# Tests for compare_groups() and plot_groups(): the per-group consensus
# against consensus(by = ), the p-values against fisher.test() and
# chisq.test() on the group x level table of each item.

lv <- c("Fundamental", "Ancillary", "Less Important")
panel <- merge(atmp_ratings, atmp_participants, by = "respondent")

# Group x level tables of a long panel, one per item, with unrated groups and
# unused levels dropped.
grp_tables <- function(df, by, levels) {
  items <- unique(as.character(df$item))
  lapply(items, function(it) {
    d <- df[df$item == it & !is.na(df$rating), ]
    tb <- table(factor(d[[by]], levels = sort(unique(df[[by]]))),
                factor(d$rating, levels = levels))
    tb <- tb[rowSums(tb) > 0, , drop = FALSE]
    tb[, colSums(tb) > 0, drop = FALSE]
  })
}

# A random long panel: respondents in groups, levels 1..K, missing ratings,
# an item only one group rated and an item everyone rated the same.
grp_random <- function(n = 40, m = 6, K = 4, G = 3) {
  grp <- paste0("g", sample.int(G, n, replace = TRUE))
  grp[seq_len(G)] <- paste0("g", seq_len(G))
  df <- expand.grid(respondent = sprintf("R%02d", seq_len(n)),
                    item = paste0("Q", seq_len(m)), stringsAsFactors = FALSE)
  df$grp <- grp[match(df$respondent, sprintf("R%02d", seq_len(n)))]
  df$rating <- sample.int(K, nrow(df), replace = TRUE)
  df$rating[stats::runif(nrow(df)) < 0.1] <- NA
  df$rating[df$item == "Q1" & df$grp != "g1"] <- NA
  df$rating[df$item == "Q2"] <- 2L
  df
}

test_that("p-values equal fisher.test() on each item's table", {
  set.seed(401)
  df <- grp_random()
  cmp <- compare_groups(df, target = 4, by = "grp", levels = 1:4,
                        threshold = 0.5)
  tabs <- grp_tables(df, "grp", 1:4)
  expect_identical(cmp$p_value[1:2], c(NA_real_, NA_real_))
  expect_identical(cmp$note[1:2], c("fewer than 2 groups rated the item",
                                     "every rater chose the same level"))
  for (j in 3:6) {
    expect_identical(cmp$p_value[j], stats::fisher.test(tabs[[j]])$p.value)
    expect_identical(cmp$test[j], "Fisher's exact test")
  }
  expect_identical(cmp$p_adjusted, stats::p.adjust(cmp$p_value, "holm"))
  bh <- compare_groups(df, 4, threshold = 0.75, by = "grp", levels = 1:4, p_adjust = "BH")
  expect_identical(bh$p_adjusted, stats::p.adjust(cmp$p_value, "BH"))

  # the ATMP panel
  cmp <- compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
           levels = lv)
  tabs <- grp_tables(panel, "setting", lv)
  p <- vapply(tabs, function(tb) {
    if (nrow(tb) < 2 || ncol(tb) < 2) NA_real_ else stats::fisher.test(tb)$p.value
  }, numeric(1))
  expect_identical(cmp$p_value, p)
})

test_that("simulated and chi-squared p-values equal the direct calls", {
  set.seed(402)
  df <- grp_random()
  tabs <- grp_tables(df, "grp", 1:4)
  set.seed(5)
  sim <- compare_groups(df, 4, threshold = 0.75, by = "grp", levels = 1:4, simulate = TRUE,
           B = 500)
  set.seed(5)
  ref <- vapply(tabs[3:6], function(tb) {
    stats::fisher.test(tb, simulate.p.value = TRUE, B = 500)$p.value
  }, numeric(1))
  expect_identical(sim$p_value[3:6], ref)
  expect_identical(sim$test[3], "Fisher's exact test, simulated (B = 500)")

  chi <- compare_groups(df, 4, threshold = 0.75, by = "grp", levels = 1:4, test = "chisq",
           simulate = FALSE)
  ref <- vapply(tabs[3:6], function(tb) suppressWarnings(stats::chisq.test(tb))$p.value,
                numeric(1))
  expect_identical(chi$p_value[3:6], ref)
  set.seed(6)
  chi_sim <- compare_groups(df, 4, threshold = 0.75, by = "grp", levels = 1:4, test = "chisq",
               B = 300)
  set.seed(6)
  ref <- vapply(tabs[3:6], function(tb) {
    e <- outer(rowSums(tb), colSums(tb)) / sum(tb)
    if (any(e < 5)) stats::chisq.test(tb, simulate.p.value = TRUE, B = 300)$p.value
    else stats::chisq.test(tb)$p.value
  }, numeric(1))
  expect_identical(chi_sim$p_value[3:6], ref)
})

test_that("a table too large for the exact test is simulated", {
  set.seed(403)
  df <- grp_random(n = 400, m = 3, K = 9, G = 6)
  set.seed(8)
  cmp <- compare_groups(df, 9, threshold = 0.75, by = "grp", levels = 1:9, B = 200)
  expect_match(cmp$test[3], "simulated")
  expect_match(cmp$note[3], "too large")
  forced <- compare_groups(df, 9, threshold = 0.75, by = "grp", levels = 1:9, simulate = FALSE)
  expect_identical(forced$p_value[3], NA_real_)
  expect_match(forced$note[3], "simulate = TRUE")
})

test_that("the per-group columns are those of consensus(by = )", {
  cmp <- compare_groups(panel, "Fundamental", by = "setting", levels = lv,
                        threshold = 0.8)
  res <- consensus(panel, "Fundamental", threshold = 0.8, by = "setting", levels = lv)
  g <- consensus_groups(res)
  expect_identical(cmp$reached, res$reached)
  expect_identical(cmp$groups_reached, res$groups_reached)
  expect_identical(cmp$prop, res$prop)
  for (s in levels(g$setting)) {
    rows <- g[g$setting == s, ]
    expect_identical(cmp[[paste0("prop_", s)]], rows$prop)
    expect_identical(cmp[[paste0("reached_", s)]], rows$reached)
    expect_identical(cmp[[paste0("n_", s)]], rows$n)
  }
  expect_identical(attr(cmp, "groups"), g)
  expect_identical(attr(cmp, "rule")$threshold, 0.8)
  out <- capture.output(print(cmp))
  expect_match(out[1], "^Comparison of 5 groups of setting")

  # two-sided rule and counts input give the same comparison
  counts <- tally_ratings(panel, by = "setting", levels = lv)
  a <- compare_groups(counts, "Fundamental", threshold = 0.75, by = "setting",
         opposite = "Less Important", opposite_threshold = 0.2)
  b <- compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
         levels = lv, opposite = "Less Important", opposite_threshold = 0.2)
  expect_identical(a$p_value, b$p_value)
  expect_identical(a$reached, b$reached)
})

test_that("bad input gives errors naming the argument", {
  expect_error(compare_groups(panel, "Fundamental", threshold = 0.75, levels = lv), "`by`")
  expect_error(compare_groups(panel, "Fundamental", threshold = 0.75, by = 1, levels = lv), "`by`")
  expect_error(compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
                 levels = lv, p_adjust = "sidak"), "`p_adjust`")
  expect_error(compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
                 levels = lv, B = 0), "`B`")
  expect_error(compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
                 levels = lv, simulate = NA), "`simulate`")
  expect_error(compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
                 levels = lv, test = "g"), "`test`")
  expect_error(compare_groups(panel, "Essential", threshold = 0.75, by = "setting", levels = lv),
               "`target`")
  expect_error(compare_groups(panel, "Fundamental", by = "setting", levels = lv,
                              threshold = 2), "`threshold`")
  one <- panel
  one$setting <- "all"
  expect_error(compare_groups(one, "Fundamental", threshold = 0.75, by = "setting", levels = lv),
               "at least 2 groups")
  na <- panel
  na$setting[na$respondent == "R01"] <- NA
  expect_error(compare_groups(na, "Fundamental", threshold = 0.75, by = "setting", levels = lv), "`by`")
})
