# simulate_panel(): structure, reproducibility and the properties of the
# documented generative model, checked on large draws (tolerances are at
# least 4 standard errors of the estimate).

codes_of <- function(p) {
  lv <- attr(p, "truth")$params$levels
  match(as.character(p$rating), as.character(lv))
}

test_that("the result is long, complete in its metadata and reproducible", {
  set.seed(1)
  p <- simulate_panel(n_items = 7, n_panellists = 11, areas = c("Pain", "Function"),
                      rounds = 3, attrition = 0.2, nonanswer = "Unable to score")
  set.seed(1)
  q <- simulate_panel(n_items = 7, n_panellists = 11, areas = c("Pain", "Function"),
                      rounds = 3, attrition = 0.2, nonanswer = "Unable to score")
  expect_identical(p, q)
  expect_named(p, c("respondent", "group", "round", "area", "item", "rating"))
  expect_identical(levels(p$rating), c(as.character(1:9), "Unable to score"))
  expect_false(is.ordered(p$rating))
  tr <- attr(p, "truth")
  expect_identical(nrow(tr$items), 7L)
  expect_identical(nrow(tr$panellists), 11L)
  expect_length(tr$latent, nrow(p))
  expect_identical(nrow(tr$median), 7L * 2L)
  # items dealt to the areas in turn
  expect_identical(as.character(tr$items$area), rep_len(c("Pain", "Function"), 7))
  # one row per present panellist and item in each round
  per_round <- table(p$round)
  present <- vapply(1:3, function(r) sum(tr$panellists$last_round >= r), integer(1))
  expect_equal(as.vector(per_round), present * 7L)
  # every rating is the level of its latent score
  k <- codes_of(p)
  ok <- !is.na(k)
  expect_identical(k[ok], findInterval(tr$latent[ok], tr$cutpoints, left.open = TRUE) + 1L)
  # ready for the analyses
  r1 <- p[p$round == 1, ]
  res <- consensus(r1, target = 7:9, threshold = 0.7, levels = 1:9,
                   missing_levels = "Unable to score", quiet = TRUE)
  expect_identical(nrow(res), 7L)
  expect_identical(sum(res$n) + sum(res$n_missing_level) + sum(is.na(r1$rating)), nrow(r1))
  rg <- consensus(r1, target = 7:9, threshold = 0.7, levels = 1:9, by = "group",
                  missing_levels = "Unable to score", quiet = TRUE)
  expect_true(all(rg$groups_reached <= 3L))
  expect_s3_class(delphi_summary(p, target = 7:9, threshold = 0.7, round = "round",
                                 levels = 1:9, missing_levels = "Unable to score",
                                 quiet = TRUE), "consensr_delphi_summary")
})

test_that("without a non-answer the rating is an ordered factor of the scale", {
  set.seed(2)
  lv <- c("Less important", "Ancillary", "Fundamental")
  p <- simulate_panel(n_items = 5, n_panellists = 8, levels = lv)
  expect_true(is.ordered(p$rating))
  expect_identical(levels(p$rating), lv)
  expect_identical(unique(p$round), 1L)
  res <- consensus(p, target = "Fundamental", threshold = 0.75, quiet = TRUE)
  expect_identical(nrow(res), 5L)
})

test_that("with no shifts and importance_mean = 0 every level is equally likely", {
  set.seed(3)
  p <- simulate_panel(n_items = 2000, n_panellists = 40, areas = 200, levels = 1:5,
                      importance_mean = 0, missing = 0)
  share <- as.vector(table(p$rating)) / nrow(p)
  expect_equal(share, rep(0.2, 5), tolerance = 0.1) # relative: +-0.02
})

test_that("attrition: the share of panellists lost between rounds", {
  set.seed(4)
  p <- simulate_panel(n_items = 2, n_panellists = 5000, rounds = 3, attrition = 0.2,
                      missing = 0)
  lr <- attr(p, "truth")$panellists$last_round
  # retained from round 1 to 2: 0.8, from 2 to 3: 0.8 (SE < 0.007)
  kept2 <- mean(lr >= 2)
  kept3 <- sum(lr >= 3) / sum(lr >= 2)
  expect_lt(abs(kept2 - 0.8), 0.03)
  expect_lt(abs(kept3 - 0.8), 0.03)
  # the same read by attrition() from the ratings
  a <- attrition(p, round = "round", quiet = TRUE)
  expect_identical(a$responded, as.integer(c(5000, sum(lr >= 2), sum(lr >= 3))))
  # nobody comes back
  ids <- split(p$respondent, p$round)
  expect_true(all(ids[["3"]] %in% ids[["2"]]))
  # no attrition: everybody stays
  set.seed(5)
  q <- simulate_panel(n_items = 2, n_panellists = 50, rounds = 3, attrition = 0)
  expect_identical(as.vector(table(q$round)), rep(100L, 3))
})

test_that("convergence: panellists move a share `pull` toward the fed-back median", {
  set.seed(6)
  p <- simulate_panel(n_items = 30, n_panellists = 400, rounds = 2, pull = 0.6,
                      revision_sd = 0, attrition = 0.1, missing = 0.05)
  tr <- attr(p, "truth")
  key <- paste(p$respondent, p$item)
  r1 <- p$round == 1
  r2 <- p$round == 2
  z1 <- tr$latent[r1][match(key[r2], key[r1])]
  z2 <- tr$latent[r2]
  m <- tr$median$median[match(p$item[r2], tr$median$item)]
  # exactly (1 - pull) of the deviation is left without a revision error
  expect_equal(z2 - m, 0.4 * (z1 - m), tolerance = 1e-12)
  # the median fed back is that of round 1's raters of the item
  rated <- r1 & !is.na(p$rating)
  med <- vapply(split(tr$latent[rated], p$item[rated]), stats::median, numeric(1))
  expect_equal(unname(med[tr$median$item]), tr$median$median)
  # on the ratings: the spread around the item's median rating shrinks
  k <- codes_of(p)
  spread <- function(rows) {
    d <- split(k[rows], p$item[rows])
    mean(unlist(lapply(d, function(v) abs(v - stats::median(v, na.rm = TRUE)))), na.rm = TRUE)
  }
  expect_lt(spread(r2), 0.7 * spread(r1))

  # with a revision error: Var(z2 - m) = (1 - pull)^2 Var(z1 - m) + revision_sd^2
  set.seed(7)
  p <- simulate_panel(n_items = 40, n_panellists = 1000, rounds = 2, pull = 0.5,
                      revision_sd = 0.5, attrition = 0, missing = 0)
  tr <- attr(p, "truth")
  r1 <- p$round == 1
  r2 <- p$round == 2
  m <- tr$median$median[match(p$item[r2], tr$median$item)]
  d1 <- tr$latent[r1] - m # same row order in both rounds without attrition
  d2 <- tr$latent[r2] - m
  expect_equal(stats::var(d2 - 0.5 * d1), 0.25, tolerance = 0.05)

  # pull = 0 and no revision error: nobody moves
  set.seed(8)
  p <- simulate_panel(n_items = 10, n_panellists = 50, rounds = 2, pull = 0,
                      revision_sd = 0, attrition = 0, missing = 0)
  expect_identical(p$rating[p$round == 1], p$rating[p$round == 2])
  # pull = 1: everybody gives the level of the median
  set.seed(9)
  p <- simulate_panel(n_items = 10, n_panellists = 51, rounds = 2, pull = 1,
                      revision_sd = 0, attrition = 0, missing = 0)
  k2 <- split(codes_of(p)[p$round == 2], p$item[p$round == 2])
  expect_true(all(lengths(lapply(k2, unique)) == 1L))
})

test_that("group shift: a group's latent scores and ratings move by its shift", {
  set.seed(10)
  p <- simulate_panel(n_items = 50, n_panellists = 2000, groups = c("A", "B"),
                      group_shift = c(A = 0, B = 1), leniency_sd = 0.5, missing = 0)
  tr <- attr(p, "truth")
  z <- tr$latent
  diff <- mean(z[p$group == "B"]) - mean(z[p$group == "A"])
  # SE of the difference ~ sqrt(2 * 0.25 / 1000) = 0.022 (leniency dominates)
  expect_lt(abs(diff - 1), 0.1)
  expect_identical(tr$panellists$shift, c(A = 0, B = 1)[as.character(tr$panellists$group)],
                   ignore_attr = TRUE)
  k <- codes_of(p)
  expect_gt(mean(k[p$group == "B"]) - mean(k[p$group == "A"]), 1)
  # groups dealt in turn: balanced
  expect_identical(as.vector(table(tr$panellists$group)), c(1000L, 1000L))
})

test_that("blank ratings and non-answers occur at their rates", {
  set.seed(11)
  p <- simulate_panel(n_items = 100, n_panellists = 500, missing = 0.1,
                      nonanswer = "Unable to score", nonanswer_rate = 0.05)
  n <- nrow(p)
  blank <- mean(is.na(p$rating))
  nonans <- sum(p$rating %in% "Unable to score") / sum(!is.na(p$rating))
  expect_lt(abs(blank - 0.1), 4 * sqrt(0.09 / n))
  expect_lt(abs(nonans - 0.05), 4 * sqrt(0.0475 / (0.9 * n)))
  res <- consensus(p, target = 7:9, threshold = 0.7, levels = 1:9,
                   missing_levels = "Unable to score", quiet = TRUE)
  expect_identical(sum(res$n_missing_level), sum(p$rating %in% "Unable to score"))
  # none declared: no non-answer at all
  set.seed(12)
  q <- simulate_panel(n_items = 10, n_panellists = 10, nonanswer_rate = 0.5)
  expect_identical(levels(q$rating), as.character(1:9))
})

test_that("cut points can be given", {
  set.seed(13)
  p <- simulate_panel(n_items = 20, n_panellists = 30, levels = 1:3,
                      cutpoints = c(-100, 100), missing = 0)
  expect_true(all(p$rating == "2"))
})

test_that("bad arguments are refused with clear errors", {
  expect_snapshot(error = TRUE, simulate_panel(n_items = 0))
  expect_snapshot(error = TRUE, simulate_panel(attrition = 1.5))
  expect_snapshot(error = TRUE, simulate_panel(noise_sd = -1))
  expect_snapshot(error = TRUE, simulate_panel(levels = 1))
  expect_snapshot(error = TRUE, simulate_panel(nonanswer = "5", levels = 1:5))
  expect_snapshot(error = TRUE, simulate_panel(group_shift = c(1, 2)))
  expect_snapshot(error = TRUE, simulate_panel(group_shift = c(x = 1, y = 2, z = 3)))
  expect_snapshot(error = TRUE, simulate_panel(levels = 1:3, cutpoints = c(1, 0)))
  expect_snapshot(error = TRUE, simulate_panel(groups = c("a", "a")))
  expect_snapshot(error = TRUE, simulate_panel(areas = c("a", NA)))
  expect_error(simulate_panel(rounds = 2.5), class = "consensr_error_simulate")
})
