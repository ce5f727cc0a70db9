# Bad input, end to end: one row per case (function, what is wrong, the
# call, the error expected).  Every case must fail with an R error whose
# message matches `error` -- which names the argument or column at fault --
# never crash, silently drop or double-count.

bad_input_data <- function() {
  long <- data.frame(
    respondent = rep(c("A", "B", "C"), each = 2),
    item = rep(c("Q1", "Q2"), 3),
    rating = c("yes", "yes", "no", NA, "yes", "no"),
    grp = rep(c("g1", "g2", "g1"), each = 2),
    stringsAsFactors = FALSE
  )
  counts <- data.frame(item = rep(c("Q1", "Q2"), each = 2),
                       level = rep(c("yes", "no"), 2),
                       count = c(18, 6, 17, 7), stringsAsFactors = FALSE)
  list(long = long, counts = counts, lv = c("no", "yes"),
       max_int = .Machine$integer.max)
}

# fun, case, expr (a function of the data list d), error (regexp)
bad_input_cases <- function() {
  rows <- list(
    # as_ratings(): shapes, columns, levels
    list("as_ratings", "x is not a data frame", function(d) as_ratings(1:3), "`x` must be a data frame"),
    list("as_ratings", "x is a list", function(d) as_ratings(list(q = 1:4)), "`x` must be a data frame"),
    list("as_ratings", "item is not a string", function(d) as_ratings(d$long, item = 1), "`item` must be a single column name"),
    list("as_ratings", "rating column missing", function(d) as_ratings(d$long, rating = "score", levels = d$lv), "`x` has no column score.*given as `rating`"),
    list("as_ratings", "rating not among the levels", function(d) as_ratings(d$long, levels = c("yes", "maybe")), "levels.*Found \"no\" at row 3"),
    list("as_ratings", "text and numbers as ratings", function(d) as_ratings(data.frame(id = 1:2, a = c("x", "y"), b = 1:2), items = c("a", "b")), "mix.*Give the scale with `levels`"),
    list("as_ratings", "duplicated levels", function(d) as_ratings(d$long, levels = c("yes", "no", "yes")), "`levels` must be unique.*\"yes\""),
    list("as_ratings", "NA in levels", function(d) as_ratings(d$long, levels = c("yes", NA)), "`levels` can't hold missing"),
    list("as_ratings", "empty levels", function(d) as_ratings(d$long, levels = character()), "`levels` must be a non-empty"),
    list("as_ratings", "duplicated respondent x item pair", function(d) as_ratings(rbind(d$long, d$long[1, ]), levels = d$lv), "rate each item only once.*A x Q1"),
    list("as_ratings", "no rows", function(d) as_ratings(d$long[0, ], levels = d$lv), "`x` has no rows"),
    list("as_ratings", "NA respondent", function(d) { x <- d$long; x$respondent[1] <- NA; as_ratings(x, levels = d$lv) }, "`respondent` column respondent can't hold missing values \\(row 1\\)"),
    list("as_ratings", "NA item", function(d) { x <- d$long; x$item[2] <- NA; as_ratings(x, levels = d$lv) }, "`item` column item can't hold missing values \\(row 2\\)"),
    list("as_ratings", "list rating column", function(d) as_ratings(data.frame(respondent = 1:2, item = "Q", rating = I(list(1, 2))), format = "long"), "not a list column"),
    list("as_ratings", "unknown format", function(d) as_ratings(d$long, format = "tall"), "`format` must be one of"),
    list("as_ratings", "group column with NA", function(d) { x <- d$long; x$grp[1:2] <- NA; as_ratings(x, levels = d$lv, by = "grp") }, "`by` column grp can't hold missing values.*respondent A"),
    list("as_ratings", "group varies within a respondent", function(d) { x <- d$long; x$grp[1] <- "g2"; as_ratings(x, levels = d$lv, by = "grp") }, "`by` column grp must be constant within each respondent"),
    list("as_ratings", "group column missing", function(d) as_ratings(d$long, levels = d$lv, by = "nope"), "`x` has no column nope.*given as `by`"),
    list("as_ratings", "wide: item position out of range", function(d) as_ratings(data.frame(a = 1:3, b = 1:3), items = 5), "`items` positions must be between 1 and 2"),
    list("as_ratings", "wide: repeated respondent", function(d) as_ratings(data.frame(respondent = c(1, 1), a = 1:2)), "one row per respondent.*\"1\""),
    list("as_ratings", "wide: factor levels differ", function(d) as_ratings(data.frame(a = factor(c("x", "y")), b = factor(c("y", "z")))), "factor levels of the rating columns differ.*`levels`"),
    # as_ratings(): counts
    list("as_ratings", "negative count", function(d) { x <- d$counts; x$count[1] <- -1; as_ratings(x) }, "`count` must hold whole numbers.*-1 at row 1"),
    list("as_ratings", "fractional count", function(d) { x <- d$counts; x$count[2] <- 1.5; as_ratings(x) }, "`count` must hold whole numbers.*1.5 at row 2"),
    list("as_ratings", "NA count", function(d) { x <- d$counts; x$count[1] <- NA; as_ratings(x) }, "`count` must hold whole numbers.*NA at row 1"),
    list("as_ratings", "infinite count", function(d) { x <- d$counts; x$count[1] <- Inf; as_ratings(x) }, "`count` must hold whole numbers.*Inf"),
    list("as_ratings", "text counts", function(d) { x <- d$counts; x$count <- as.character(x$count); as_ratings(x) }, "`count` must be numeric counts"),
    list("as_ratings", "count of 2^31", function(d) { x <- d$counts; x$count[1] <- 2^31; as_ratings(x) }, "`count` must hold whole numbers between 0 and 2147483647"),
    list("as_ratings", "counts of an item add up beyond 2^31 - 1", function(d) { x <- d$counts; x$count[1:2] <- d$max_int; as_ratings(x) }, "`count`s of an item can't add up to more than 2147483647.*Q1"),
    list("as_ratings", "counts add up beyond 2^31 - 1 over groups", function(d) {
      x <- rbind(transform(d$counts, g = "a"), transform(d$counts, g = "b"))
      x$count[x$item == "Q2" & x$level == "yes"] <- d$max_int - 7
      as_ratings(x, by = "g")
    }, "`count`s of an item can't add up to more than 2147483647.*Q2"),
    list("as_ratings", "stated n of 2^31", function(d) { x <- d$counts; x$n <- 2^31; as_ratings(x) }, "`n` must hold whole numbers between 0 and 2147483647"),
    list("as_ratings", "repeated item x level row", function(d) as_ratings(rbind(d$counts, d$counts[1, ])), "one row per item x level.*Q1 x yes"),
    list("as_ratings", "n varies within an item", function(d) { x <- d$counts; x$n <- c(24, 25, 24, 24); as_ratings(x) }, "n must be the same on every row of an item.*Q1"),
    list("as_ratings", "count above n", function(d) { x <- d$counts; x$n <- c(10, 10, 24, 24); as_ratings(x) }, "can't exceed its denominator n.*row 1: 18 > 10"),
    list("as_ratings", "counts add up above n", function(d) { x <- d$counts; x$n <- c(20, 20, 24, 24); as_ratings(x) }, "add up to more than its denominator n.*Q1"),
    # tally_ratings()
    list("tally_ratings", "x is a string", function(d) tally_ratings("x"), "`x` must be a data frame"),
    list("tally_ratings", "by on a column that is not respondent-level", function(d) tally_ratings(as_ratings(d$long, levels = d$lv), by = "item"), "`by` must name a column that holds each respondent's group"),
    list("tally_ratings", "wide data with no item column", function(d) tally_ratings(data.frame(respondent = 1:2)), "`x` has no item columns"),
    # consensus()
    list("consensus", "threshold as a percentage", function(d) consensus(d$counts, "yes", threshold = 75), "`threshold` must be a proportion.*not a percentage.*0.75"),
    list("consensus", "threshold NA", function(d) consensus(d$counts, "yes", threshold = NA), "`threshold` must be a single number"),
    list("consensus", "threshold NA_real_", function(d) consensus(d$counts, "yes", threshold = NA_real_), "`threshold` must be a finite number"),
    list("consensus", "threshold Inf", function(d) consensus(d$counts, "yes", threshold = Inf), "`threshold` must be a finite number.*Inf"),
    list("consensus", "threshold NaN", function(d) consensus(d$counts, "yes", threshold = NaN), "`threshold` must be a finite number"),
    list("consensus", "threshold 0", function(d) consensus(d$counts, "yes", threshold = 0), "`threshold` must be in \\(0, 1\\]"),
    list("consensus", "negative threshold", function(d) consensus(d$counts, "yes", threshold = -0.5), "`threshold` must be in \\(0, 1\\]"),
    list("consensus", "threshold above 100", function(d) consensus(d$counts, "yes", threshold = 150), "`threshold` must be in \\(0, 1\\]"),
    list("consensus", "threshold as text", function(d) consensus(d$counts, "yes", threshold = "0.75"), "`threshold` given as text must be an exact fraction"),
    list("consensus", "two thresholds", function(d) consensus(d$counts, "yes", threshold = c(0.5, 0.75)), "`threshold` must be a single number"),
    list("consensus", "unknown target level", function(d) consensus(d$counts, "maybe", threshold = 0.75), "`target` must name levels.*\"maybe\""),
    list("consensus", "target NULL", function(d) consensus(d$counts, NULL, threshold = 0.75), "`target` must name one or more levels"),
    list("consensus", "target missing", function(d) consensus(d$counts), "target"),
    list("consensus", "target and opposite overlap", function(d) consensus(d$counts, "yes", threshold = 0.75, opposite = "yes", opposite_threshold = 0.1), "`target` and `opposite` can't share levels"),
    list("consensus", "opposite without its threshold", function(d) consensus(d$counts, "yes", threshold = 0.75, opposite = "no"), "`opposite` needs `opposite_threshold`"),
    list("consensus", "opposite threshold without opposite", function(d) consensus(d$counts, "yes", threshold = 0.75, opposite_threshold = 0.1), "`opposite_threshold` needs `opposite`"),
    list("consensus", "cap above the threshold", function(d) consensus(d$counts, "yes", threshold = 0.5, opposite = "no", opposite_threshold = 0.6), "`threshold` must be at least `opposite_threshold`"),
    list("consensus", "opposite threshold as a percentage", function(d) consensus(d$counts, "yes", threshold = 0.75, opposite = "no", opposite_threshold = 15), "`opposite_threshold` must be a proportion"),
    list("consensus", "strict NA", function(d) consensus(d$counts, "yes", threshold = 0.75, strict = NA), "`strict` must be `TRUE` or `FALSE`"),
    list("consensus", "strict as text", function(d) consensus(d$counts, "yes", threshold = 0.75, strict = "yes"), "`strict` must be `TRUE` or `FALSE`"),
    list("consensus", "by differs from the ratings' grouping", function(d) consensus(as_ratings(d$long, levels = d$lv, by = "grp"), "yes", threshold = 0.75,
                                                                             by = "other"), "`by` must name a column.*other is not one"),
    # threshold_sensitivity()
    list("threshold_sensitivity", "thresholds as percentages", function(d) threshold_sensitivity(d$counts, "yes", threshold = 0.75, thresholds = c(50,
                                                                             75)), "`thresholds` must be a proportion.*percentage"),
    list("threshold_sensitivity", "NA among thresholds", function(d) threshold_sensitivity(d$counts, "yes", threshold = 0.75, thresholds = c(0.5,
                                                                       NA)), "`thresholds` must be a finite number.*NA"),
    list("threshold_sensitivity", "infinite threshold", function(d) threshold_sensitivity(d$counts, "yes", threshold = 0.75, thresholds = c(0.5,
                                                                      Inf)), "`thresholds` must be a finite number.*Inf"),
    list("threshold_sensitivity", "no thresholds", function(d) threshold_sensitivity(d$counts, "yes", threshold = 0.75, thresholds = numeric()), "`thresholds` must be numbers in \\(0, 1\\]"),
    list("threshold_sensitivity", "threshold above 1", function(d) {
      threshold_sensitivity(d$counts, "yes", threshold = 2, thresholds = c(0.5, 0.7))
    }, "`threshold` must be a proportion"),
    list("threshold_sensitivity", "threshold NA", function(d) {
      threshold_sensitivity(d$counts, "yes", threshold = NA, thresholds = c(0.5, 0.7))
    }, "`threshold` must be a single number"),
    list("threshold_sensitivity", "thresholds below the cap", function(d) threshold_sensitivity(d$counts, "yes", threshold = 0.75, thresholds = c(0.1,
                                                                            0.7), opposite = "no", opposite_threshold = 0.2), "`thresholds` must be at least `opposite_threshold`"),
    # check_reported()
    list("check_reported", "negative count", function(d) check_reported(-1, 10, "10%"), "`count` must be whole numbers >= 0"),
    list("check_reported", "negative decimals", function(d) check_reported(1, 10, "10%", decimals = -1), "`decimals` must be whole numbers between 0 and 15"),
    list("check_reported", "not a percentage", function(d) check_reported(1, 10, "abc"), "`reported` must be printed percentages.*\"abc\""),
    list("check_reported", "unknown argument", function(d) check_reported(1, 10, "10%", foo = 1), "`...` must be empty.*`foo`")
  )
  ns <- asNamespace("consensr")
  if (exists("consensus_robustness", ns)) {
    rows <- c(rows, list(
      list("consensus_robustness", "counts can't be resampled", function(d) consensus_robustness(d$counts, "yes", threshold = 0.75), "`x` must hold the ratings of each respondent"),
      list("consensus_robustness", "B = 0", function(d) consensus_robustness(d$long, "yes", threshold = 0.75, method = "bootstrap",
                                                          B = 0, levels = d$lv), "`B` must be a whole number >= 1"),
      list("consensus_robustness", "fractional B", function(d) consensus_robustness(d$long, "yes", threshold = 0.75, method = "bootstrap",
                                                                 B = 1.5, levels = d$lv), "`B` must be a whole number"),
      list("consensus_robustness", "B beyond integer range", function(d) consensus_robustness(d$long, "yes", threshold = 0.75, method = "bootstrap",
                                                                           B = 2^31, levels = d$lv), "`B` must be a whole number"),
      list("consensus_robustness", "conf_level as a percentage", function(d) consensus_robustness(d$long, "yes", threshold = 0.75, method = "bootstrap",
                                                                               conf_level = 95, levels = d$lv), "`conf_level` must be a single number in \\(0, 1\\)"),
      list("consensus_robustness", "unknown method", function(d) consensus_robustness(d$long, "yes", threshold = 0.75, method = "boot",
                                                                   levels = d$lv), "`method` must be one of")
    ))
  }
  if (exists("agreement", ns)) {
    rows <- c(rows, list(
      list("agreement", "one-level scale", function(d) agreement(data.frame(respondent = 1:2, item = "Q", rating = "a"), levels = "a"), "at least two levels"),
      list("agreement", "negative B", function(d) agreement(d$long, levels = d$lv, B = -1), "`B` must be a single whole number >= 0"),
      list("agreement", "unknown method", function(d) agreement(d$long, "cohen", levels = d$lv), "`method` must be one of"),
      list("agreement", "conf_level of 1", function(d) agreement(d$long, levels = d$lv, conf_level = 1), "`conf_level` must be a single number between 0 and 1")
    ))
  }
  if (exists("proportion_ci", ns)) {
    rows <- c(rows, list(
      list("proportion_ci", "k above n", function(d) proportion_ci(5, 3), "`k` can't exceed `n`"),
      list("proportion_ci", "negative k", function(d) proportion_ci(-1, 3), "`k` must hold whole numbers >= 0")
    ))
  }
  if (exists("consensus_groups", ns)) {
    rows <- c(rows, list(
      list("consensus_groups", "result without by", function(d) consensus_groups(consensus(d$counts, "yes", threshold = 0.75)), "`x` was computed without `by`"),
      list("consensus_groups", "not a consensus result", function(d) consensus_groups(1), "`x` must be a `consensus\\(\\)` result")
    ))
  }
  data.frame(
    fun = vapply(rows, `[[`, "", 1L),
    case = vapply(rows, `[[`, "", 2L),
    expr = I(lapply(rows, `[[`, 3L)),
    error = vapply(rows, `[[`, "", 4L),
    stringsAsFactors = FALSE
  )
}

test_that("the table of bad inputs has at least 30 cases across the exported functions", {
  cases <- bad_input_cases()
  expect_gte(nrow(cases), 30L)
  expect_true(all(c("as_ratings", "tally_ratings", "consensus", "threshold_sensitivity",
                    "check_reported") %in% cases$fun))
  expect_false(anyDuplicated(paste(cases$fun, cases$case)) > 0L)
})

test_that("every bad input fails with an error that names the argument", {
  d <- bad_input_data()
  cases <- bad_input_cases()
  for (i in seq_len(nrow(cases))) {
    expect_error(cases$expr[[i]](d), regexp = cases$error[i],
                 label = sprintf("%s(): %s", cases$fun[i], cases$case[i]))
  }
})

test_that("user errors come from the function the user called, as cli errors", {
  d <- bad_input_data()
  e <- tryCatch(consensus(d$counts, "yes", threshold = 75), error = identity)
  expect_s3_class(e, "rlang_error")
  expect_identical(deparse(conditionCall(e)[[1L]]), "consensus")
  e <- tryCatch(threshold_sensitivity(d$counts, "yes", threshold = 0.75, thresholds = c(50,
                  75)), error = identity)
  expect_identical(deparse(conditionCall(e)[[1L]]), "threshold_sensitivity")
})

test_that("every bad input's error is classed and reads as recorded", {
  d <- bad_input_data()
  cases <- bad_input_cases()
  for (i in seq_len(nrow(cases))) {
    e <- tryCatch(cases$expr[[i]](d), error = identity)
    expect_s3_class(e, "consensr_error")
    label <- sprintf("%s(): %s", cases$fun[i], cases$case[i])
    expect_snapshot(error = TRUE, cnd_class = TRUE, {
      cat(label, "\n")
      cases$expr[[i]](d)
    })
  }
})
