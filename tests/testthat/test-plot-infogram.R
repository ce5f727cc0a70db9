# Tests for plot_bars(), plot_infogram(), plot_sensitivity(), their *_data()
# builders (by value) and the autoplot() methods (they build without
# warnings).

pub <- consensr::atmp_published

builds_cleanly <- function(p) {
  expect_s3_class(p, "ggplot")
  expect_no_warning(b <- ggplot2::ggplot_build(p))
  # drawing too (text and layout are computed only then)
  path <- tempfile(fileext = ".pdf")
  on.exit(unlink(path))
  expect_no_warning(ggplot2::ggsave(path, p, width = 9, height = 8))
  invisible(b)
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

# --- plot_infogram ------------------------------------------------------------

test_that("plot_infogram_data holds exactly the items reaching consensus", {
  d <- plot_infogram_data(pub, "Fundamental", threshold = 0.75)
  expect_identical(nrow(d), 16L)
  expect_identical(d$item, reached_by_hand())
  expect_identical(levels(d$area), levels(pub$area))
  expect_identical(d$label[d$item == "Good Manufacturing Practice (GMP) Compliance"], "96%")
  expect_identical(d$label[d$item == "Critical Quality Attributes"], "92%")
  expect_identical(d$label[d$item == "Reimbursement Assessment & Market Access"], "79%")
  expect_identical(d$label[d$item == "Biobanking & Cell/Tissue Sourcing"], "76%")
  expect_identical(as.vector(table(d$area)), c(2L, 2L, 0L, 1L, 6L, 3L, 2L))
  info <- attr(d, "infogram")
  expect_identical(as.character(info$groups$.area[info$groups$empty]),
                   "Clinical Development and Trial Innovation")
  expect_identical(d$index, c(1:2, 1:2, 1L, 1:6, 1:3, 1:2))
  # one decimal; sorted by share within area
  d1 <- plot_infogram_data(pub, "Fundamental", threshold = 0.75, decimals = 1,
          sort = TRUE)
  expect_identical(d1$label[d1$item == "Critical Quality Attributes"], "91.7%")
  expect_identical(d1$item[d1$area == "Economic Considerations"],
                   c("Economic Viability of Novel Medical Products",
                     "Reimbursement Assessment & Market Access"))
  expect_identical(d1$item[d1$area == "Manufacturing/Chemistry, Manufacturing and Controls (CMC)"][1:2],
                   c("Good Manufacturing Practice (GMP) Compliance",
                     "Analytical Methods & Quality Control testing"))
  # the same from a consensus() result and from the respondent-level data
  res <- consensus(pub, "Fundamental", threshold = 0.75)
  expect_identical(plot_infogram_data(res), d)
  expect_identical(plot_infogram_data(consensr::atmp_ratings, "Fundamental", threshold = 0.75)$item, d$item)
  # a tally made within groups is summed over the groups, as in the tables
  panel <- merge(consensr::atmp_ratings, consensr::atmp_participants, by = "respondent")
  dt <- plot_infogram_data(tally_ratings(panel, by = "setting"), "Fundamental",
          threshold = 0.75)
  expect_setequal(dt$item, d$item)
  dg <- plot_bars_data(tally_ratings(panel, by = "setting"), "Fundamental", threshold = 0.75)
  expect_identical(sum(dg$count), sum(pub$count))
  # 80%: two items drop out (as the paper reports)
  d8 <- plot_infogram_data(pub, "Fundamental", threshold = 0.8)
  expect_setequal(setdiff(d$item, d8$item),
                  c("Biobanking & Cell/Tissue Sourcing",
                    "Reimbursement Assessment & Market Access"))
})

test_that("the infogram layout places every card once without overlap", {
  for (k in 1:4) {
    d <- plot_infogram_data(pub, "Fundamental", threshold = 0.75, ncol = k)
    g <- attr(d, "infogram")$groups
    expect_true(all(d$column >= 1L & d$column <= k))
    # groups fill the columns in order
    expect_false(is.unsorted(g$column))
    for (cc in unique(d$column)) {
      y <- sort(d$y[d$column == cc], decreasing = TRUE)
      expect_true(all(-diff(y) >= 1 - 1e-9))
    }
    # cards sit below their group's heading
    expect_true(all(d$y < g$y[match(as.character(d$area), as.character(g$.area))]))
  }
  # the split is balanced: no contiguous split has a shorter tallest column
  expect_identical(split_columns(c(3, 3, 2, 2, 7, 4, 3), 2L), c(1L, 1L, 1L, 1L, 2L, 2L, 2L))
  expect_identical(split_columns(c(1, 1, 1), 5L), 1:3)
  expect_identical(split_columns(5, 1L), 1L)
})

test_that("plot_infogram builds, also when nothing reached consensus", {
  p <- plot_infogram(pub, "Fundamental", threshold = 0.75)
  builds_cleanly(p)
  builds_cleanly(plot_infogram(pub, "Fundamental", threshold = 0.75, sort = TRUE, ncol = 3))
  builds_cleanly(plot_infogram(consensus(consensr::atmp_ratings, "Fundamental", threshold = 0.75)))
  builds_cleanly(plot_infogram(pub, "Fundamental", threshold = 0.75, area = FALSE))

  # nobody reaches 100%: an empty infogram with a note in every area
  d <- plot_infogram_data(pub, "Fundamental", threshold = 1)
  expect_identical(nrow(d), 0L)
  expect_true(all(attr(d, "infogram")$groups$empty))
  p <- plot_infogram(pub, "Fundamental", threshold = 1)
  b <- builds_cleanly(p)
  labels <- unlist(lapply(b$data, function(l) l$label))
  expect_true(any(grepl("No item reached consensus", labels)))
  p <- plot_infogram(pub, "Fundamental", threshold = 1, area = FALSE)
  b <- builds_cleanly(p)
  labels <- unlist(lapply(b$data, function(l) l$label))
  expect_true(any(grepl("No item reached consensus (>= 100% Fundamental)", labels,
                        fixed = TRUE)))

  builds_cleanly(plot_infogram(one_item, "yes", threshold = 0.75))
  builds_cleanly(plot_infogram(with_empty, "hi", threshold = 0.5))
  builds_cleanly(plot_infogram(nine, 7:9, threshold = 0.3, levels = 1:9))
})

test_that("plot_infogram validates its arguments", {
  expect_error(plot_infogram(pub), "target")
  expect_error(plot_infogram(consensus(pub, "Fundamental", 0.75), "Fundamental", threshold = 0.75), "target")
  expect_error(plot_infogram(pub, "Essential", threshold = 0.75), "consensus rule")
  expect_snapshot(error = TRUE, plot_infogram(pub, "Fundamental"))
  expect_error(plot_infogram(pub, "Fundamental", threshold = 0.75, ncol = 0), "ncol")
  expect_error(plot_infogram(pub, "Fundamental", threshold = 0.75, decimals = 9), "decimals")
  expect_error(plot_infogram(pub, "Fundamental", threshold = 0.75, area = "nope"), "area")
})

test_that("plot_infogram() looks as recorded (vdiffr)", {
  skip_if_no_vdiffr()
  vdiffr::expect_doppelganger("infogram reference study",
                              plot_infogram(consensr::atmp_published, "Fundamental", 0.75))
  d <- comet_panel()
  vdiffr::expect_doppelganger("infogram in and out per round",
                              plot_infogram(comet_consensus(d, round = "round")))
})
