# Tests for compare_groups() and plot_groups(): the per-group consensus
# against consensus(by = ), the p-values against fisher.test() and
# chisq.test() on the group x level table of each item.

lv <- c("Fundamental", "Ancillary", "Less Important")
panel <- merge(atmp_ratings, atmp_participants, by = "respondent")

test_that("plot_groups_data() holds the plotted values", {
  cmp <- compare_groups(panel, "Fundamental", threshold = 0.75, by = "setting",
           levels = lv)
  d <- plot_groups_data(cmp)
  g <- attr(cmp, "groups")
  expect_identical(as.character(d$item), g$item)
  expect_identical(d$prop, g$prop)
  expect_identical(d$group, g$setting)
  expect_identical(d$area, g$area)
  expect_identical(attr(d, "threshold"), 0.75)
  # items ordered by pooled share within area
  lev <- levels(d$item)
  for (a in unique(d$area)) {
    its <- lev[lev %in% d$item[d$area == a]]
    expect_false(is.unsorted(cmp$prop[match(its, cmp$item)]))
  }
  res <- consensus(panel, "Fundamental", threshold = 0.75, by = "setting", levels = lv)
  expect_identical(plot_groups_data(res), d)
  expect_error(plot_groups_data(consensus(panel, "Fundamental", threshold = 0.75, levels = lv)), "`x`")
  expect_error(plot_groups_data(cmp, area = "nope"), "`area`")

  skip_if_not_installed("ggplot2")
  p <- plot_groups(cmp)
  expect_s3_class(p, "ggplot")
  expect_no_error(ggplot2::ggplot_build(p))
})

test_that("plot_groups() looks as recorded (vdiffr)", {
  skip_if_no_vdiffr()
  d <- comet_panel()
  cg <- compare_groups(d, 7:9, 0.7, respondent = "id", item = "outcome", rating = "score",
                       levels = 1:9, by = "group", round = "round")
  vdiffr::expect_doppelganger("groups per round", plot_groups(cg))
})
