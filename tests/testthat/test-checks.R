# The shared argument checks: a rule needs target and threshold, `area`
# names item metadata, a result brings its own rounds and groups, errors
# carry the class consensr_error and the function the user called.

test_that("a rule without target or threshold is an error saying so", {
  pub <- consensr::atmp_published
  expect_snapshot(error = TRUE, cnd_class = TRUE, consensus(pub))
  expect_snapshot(error = TRUE, cnd_class = TRUE, consensus(pub, "Fundamental"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, threshold_sensitivity(pub, "Fundamental"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, table_ratings(pub, "Fundamental"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, table_ratings(pub, threshold = 0.75))
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  compare_groups(consensr::atmp_ratings, "Fundamental", 0.75))
  e <- tryCatch(consensus(pub, "Fundamental"), error = identity)
  expect_s3_class(e, c("consensr_error_argument", "consensr_error"))
  expect_identical(deparse(conditionCall(e)[[1L]]), "consensus")
})

test_that("`area` must name item metadata", {
  pub <- consensr::atmp_published
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_bars(pub, area = "nope"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, table_ratings(pub, area = 1))
  expect_identical(resolve_area(NULL, pub[c("item", "area")], NULL), "area")
  expect_null(resolve_area(FALSE, pub[c("item", "area")], NULL))
})

test_that("a result brings its own rounds and groups", {
  d <- data.frame(respondent = rep(1:6, each = 2), item = rep(c("a", "b"), 6),
                  rating = c(1, 2, 2, 2, 1, 1, 2, 2, 1, 2, 2, 1),
                  g = rep(c("x", "y"), each = 6))
  res <- consensus(d, 2, 0.5, levels = 1:2)
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_bars(res, by = "g"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, table_ratings(res, round = "g"))
  expect_snapshot(error = TRUE, cnd_class = TRUE, plot_infogram(res, 2, 0.5))
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  table_ratings(d, levels = 1:2, by = "g", result = res))
})

test_that("check_reported() errors are classed and name it", {
  e <- tryCatch(check_reported(1, 2), error = identity)
  expect_s3_class(e, "consensr_error")
  expect_identical(deparse(conditionCall(e)), "check_reported()")
  expect_snapshot(error = TRUE, cnd_class = TRUE,
                  check_reported(1, 2, "50%", tolerance = -1))
})
