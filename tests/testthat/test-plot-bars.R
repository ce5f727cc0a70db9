# Tests for plot_bars(), plot_infogram(), plot_sensitivity(), their *_data()
# builders (by value) and the autoplot() methods (they build without
# warnings).

pub <- consensr::atmp_published
fund_levels <- c("Fundamental", "Ancillary", "Less Important")

builds_cleanly <- function(p) {
  expect_s3_class(p, "ggplot")
  expect_no_warning(b <- ggplot2::ggplot_build(p))
  # drawing too (text and layout are computed only then)
  path <- tempfile(fileext = ".pdf")
  on.exit(unlink(path))
  expect_no_warning(ggplot2::ggsave(path, p, width = 9, height = 8))
  invisible(b)
}

fill_limits <- function(p) {
  b <- ggplot2::ggplot_build(p)
  b$plot$scales$get_scales("fill")$get_limits()
}

# Items with the Fundamental count at least 3/4 of n, worked out by hand.
reached_by_hand <- function(num = 3L, den = 4L) {
  f <- pub[pub$level == "Fundamental", ]
  f$item[f$count * den >= num * f$n]
}

# small edge-case data sets
one_item <- data.frame(item = "Q", level = c("yes", "no"), count = c(18, 6))
with_empty <- data.frame(
  respondent = rep(1:4, 3), item = rep(c("Q1", "Q2", "Q3"), each = 4),
  area = rep(c("A", "A", "B"), each = 4),
  rating = factor(c("hi", "hi", "mid", "hi", NA, NA, NA, NA, "mid", "mid", "hi", "mid"),
                  levels = c("hi", "mid", "lo"))
)
nine <- local({
  set.seed(3)
  data.frame(respondent = rep(1:20, each = 4), item = rep(paste0("O", 1:4), 20),
             rating = sample(1:9, 80, replace = TRUE))
})

# --- plot_bars_data -----------------------------------------------------------

test_that("plot_bars_data stacks the target first and the shares sum to 1", {
  d <- plot_bars_data(pub, "Fundamental", threshold = 0.75)
  expect_identical(nrow(d), 99L)
  expect_identical(names(d), c("area", "item", "level", "count", "n", "prop",
                               "stack", "xmin", "xmax", "target", "target_prop",
                               "reached"))
  expect_identical(levels(d$level), fund_levels)
  expect_identical(levels(d$item), unique(pub$item))
  expect_identical(as.character(d$item), pub$item)
  expect_identical(d$count, pub$count)
  # per item: shares sum to 1, segments abut, the target starts at 0
  for (it in unique(d$item)) {
    s <- d[d$item == it, ]
    s <- s[order(s$stack), ]
    expect_equal(sum(s$prop), 1)
    expect_identical(s$xmin[1L], 0)
    expect_identical(s$xmax[3L], 1)
    expect_identical(s$xmin[-1L], s$xmax[-3L])
    expect_identical(as.character(s$level[1L]), "Fundamental")
  }
  first <- d[d$item == d$item[1L], ]
  expect_identical(first$xmax, c(21, 25, 25) / 25)
  expect_identical(attr(d, "bars")$threshold, 0.75)
  expect_identical(attr(d, "bars")$legend, fund_levels)
  expect_identical(sort(unique(as.character(d$item[d$reached]))), sort(reached_by_hand()))
  expect_identical(d$target, rep(c(TRUE, FALSE, FALSE), 33L))
})

test_that("a target at the end of the scale reverses the stacking", {
  d <- plot_bars_data(nine, 7:9, threshold = 0.75, levels = 1:9, area = FALSE)
  expect_identical(attr(d, "bars")$legend, as.character(9:1))
  first <- d[d$item == "O1", ]
  expect_identical(as.character(first$level), as.character(9:1))
  expect_identical(first$stack, 1:9)
  k <- table(factor(nine$rating[nine$item == "O1"], levels = 1:9))
  expect_identical(first$count, as.integer(rev(k)))
  expect_identical(first$xmax, cumsum(rev(as.vector(k))) / 20)
  expect_identical(first$target_prop[1L], sum(k[7:9]) / 20)
  # a target in the middle goes first, the rest in scale order
  d <- plot_bars_data(nine, c(5, 4), threshold = 0.75, levels = 1:9)
  expect_identical(attr(d, "bars")$legend, as.character(c(4, 5, 1:3, 6:9)))
  # no target: scale order, no threshold
  d <- plot_bars_data(nine, levels = 1:9)
  expect_identical(attr(d, "bars")$legend, as.character(1:9))
  expect_null(attr(d, "bars")$threshold)
  expect_false("reached" %in% names(d))
})

test_that("diverging bars split the scale around the middle level", {
  d <- plot_bars_data(pub, diverging = TRUE)
  first <- d[d$item == d$item[1L], ]
  # 21 F, 4 A, 0 L of 25: A is split around 0, F to the left, L to the right
  expect_identical(as.character(first$level), fund_levels)
  expect_equal(first$xmin, c(-(2 + 21) / 25, -2 / 25, 2 / 25))
  expect_equal(first$xmax, c(-2 / 25, 2 / 25, 2 / 25))
  expect_identical(first$stack, c(2L, 1L, 2L))
  expect_null(attr(d, "bars")$threshold)
  # widths are the shares, for every item
  expect_equal(d$xmax - d$xmin, d$prop)
  # even number of levels: no middle level, 0 is the boundary
  d <- plot_bars_data(nine[nine$rating != 9, ], levels = 1:8, diverging = TRUE)
  o1 <- d[d$item == "O1", ]
  expect_identical(o1$xmax[4L], 0)
  expect_identical(o1$xmin[5L], 0)
  expect_identical(o1$stack, c(4:1, 1:4))
  # nine levels: the middle level is symmetric around 0
  d <- plot_bars_data(nine, levels = 1:9, diverging = TRUE)
  five <- d[d$level == "5", ]
  expect_equal(five$xmin, -five$xmax)
})

test_that("sorting, unused levels, n = 0 and a single item", {
  d <- plot_bars_data(pub, "Fundamental", threshold = 0.75, sort = TRUE)
  f <- d[d$level == "Fundamental", ]
  for (a in levels(pub$area)) {
    s <- f[f$area == a, ]
    expect_false(is.unsorted(rev(s$target_prop)))
  }
  # ties keep the input order (in vitro and Clinical PoC are both 21/25)
  expect_identical(as.character(f$item[1:3]),
                   c("in vitro Models for Toxicology and Mechanism Studies",
                     "Clinical Proof of Concept & Mechanism",
                     "Biomarkers and Surrogate Endpoints"))
  expect_identical(as.character(f$item[f$area == "Preclinical Development"]),
                   c("Linking Preclinical Results to Clinical Viability",
                     "Good Laboratory Practices (GLP) Research Principles and Applications",
                     "Preclinical Models and Alternatives"))

  d <- plot_bars_data(with_empty)
  expect_identical(levels(d$level), c("hi", "mid", "lo"))
  q2 <- d[d$item == "Q2", ]
  expect_identical(q2$n, c(0L, 0L, 0L))
  expect_true(all(is.na(q2$prop)))
  expect_identical(c(q2$xmin, q2$xmax), rep(0, 6))
  lo <- d[d$level == "lo", ]
  expect_identical(lo$xmin, lo$xmax)

  d <- plot_bars_data(one_item, "yes", threshold = 0.75)
  expect_identical(nrow(d), 2L)
  expect_identical(d$xmax, c(0.75, 1))
  expect_identical(d$reached, c(TRUE, TRUE))
})

test_that("plot_bars_data reads a consensus() result as target vs other levels", {
  res <- consensus(pub, "Fundamental", threshold = 0.8)
  d <- plot_bars_data(res)
  expect_identical(levels(d$level), c("Fundamental", "Ancillary, Less Important"))
  f <- d[d$level == "Fundamental", ]
  expect_identical(f$count, res$count)
  expect_equal(attr(d, "bars")$threshold, 0.8)
  expect_identical(f$reached, res$reached)
  two <- consensus(nine, target = 7:9, threshold = 0.3, opposite = 1:3,
                   opposite_threshold = 0.3, levels = 1:9)
  d <- plot_bars_data(two)
  expect_identical(levels(d$level), c("7-9", "4-6", "1-3"))
  expect_equal(as.vector(tapply(d$prop, d$item, sum)), rep(1, 4))
})

# --- plot_bars ----------------------------------------------------------------

test_that("plot_bars builds without warnings", {
  p <- plot_bars(pub, "Fundamental", threshold = 0.75)
  b <- builds_cleanly(p)
  expect_identical(fill_limits(p), fund_levels)
  vline <- b$data[[which(vapply(p$layers, function(l) class(l$geom)[1], "") == "GeomVline")]]
  expect_identical(unique(vline$xintercept), 0.75)
  expect_identical(nlevels(b$layout$layout$PANEL), 7L)
  builds_cleanly(plot_bars(pub, diverging = TRUE))
  builds_cleanly(plot_bars(pub, "Fundamental", threshold = 0.75, diverging = TRUE))
  builds_cleanly(plot_bars(consensr::atmp_ratings, "Fundamental", threshold = 0.75, show_n = FALSE,
                   sort = TRUE, show_pct = TRUE))
  builds_cleanly(plot_bars(pub, area = FALSE))
  builds_cleanly(plot_bars(consensus(pub, "Fundamental", threshold = 0.75)))
  builds_cleanly(plot_bars(one_item))
  builds_cleanly(plot_bars(one_item, "no", threshold = 0.75, diverging = TRUE))
  p <- plot_bars(with_empty, "hi", threshold = 0.75, show_pct = TRUE)
  builds_cleanly(p)
  expect_identical(fill_limits(p), c("hi", "mid", "lo"))
  p <- plot_bars(nine, 7:9, threshold = 0.75, levels = 1:9, show_pct = TRUE)
  builds_cleanly(p)
  expect_identical(fill_limits(p), as.character(9:1))
  builds_cleanly(plot_bars(nine, levels = 1:9, diverging = TRUE))
})

test_that("plot_bars validates its arguments", {
  expect_error(plot_bars(pub, "Essential", threshold = 0.75), "target")
  expect_snapshot(error = TRUE, plot_bars(pub, threshold = 0.75))
  expect_error(plot_bars(pub, diverging = "yes"), "diverging")
  expect_error(plot_bars(pub, show_n = NA), "show_n")
  expect_error(plot_bars(pub, area = "nope"), "area")
  expect_error(plot_bars(pub, wrap = 0), "wrap")
  expect_error(plot_bars(consensus(pub, "Fundamental", 0.75), "Fundamental", threshold = 0.75),
               "target")
  expect_error(plot_bars(1:3), "as ratings")
})

test_that("plot_bars() looks as recorded (vdiffr)", {
  skip_if_no_vdiffr()
  pub <- consensr::atmp_published
  vdiffr::expect_doppelganger("bars stacked with threshold",
                              plot_bars(pub, "Fundamental", 0.75))
  vdiffr::expect_doppelganger("bars diverging", plot_bars(pub, diverging = TRUE))
  d <- comet_panel()
  vdiffr::expect_doppelganger("bars per round and group",
                              plot_bars(comet_consensus(d, by = "group", round = "round")))
})
