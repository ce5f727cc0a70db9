# Feedback for the next round: values against a hand-computed example, one
# file per panellist, nobody else's id or rating in anyone's feedback, and a
# REDCap import file that reads back.

fb_tempdir <- function() {
  d <- tempfile("feedback-test")
  dir.create(d)
  d
}

fb_panel <- function() {
  ids <- c("pid_alpha", "pid_bravo", "pid_charlie", "pid_delta", "pid_echo")
  r1 <- data.frame(
    respondent = c(ids, ids[-2]),
    item = c(rep("A", 5), rep("B", 4)),
    rating = c("5", "4", "4", "2", "U", "1", "3", "3", "5"),
    stringsAsFactors = FALSE
  )
  r1$round <- 1L
  r2 <- data.frame(respondent = ids[1:4], item = "A", rating = "4", round = 2L,
                   stringsAsFactors = FALSE)
  d <- rbind(r1, r2)
  d$group <- ifelse(d$respondent %in% ids[1:3], "patients", "clinicians")
  d
}

test_that("feedback_data() gives the hand-computed distribution, quartiles and status", {
  d <- fb_panel()
  fb <- feedback_data(d, target = 4:5, threshold = 0.7, levels = 1:5, missing_levels = "U",
                      round = "round", which_round = 1)
  expect_s3_class(fb, "consensr_feedback")
  expect_identical(attr(fb, "levels"), as.character(1:5))
  expect_identical(attr(fb, "round"), "1")
  # every panellist who answered round 1 (pid_echo only with "U") x 2 items
  expect_identical(sort(unique(fb$respondent)), sort(unique(d$respondent)))
  expect_identical(nrow(fb), 10L)
  items <- attr(fb, "items")
  a <- items[items$item == "A", ]
  b <- items[items$item == "B", ]
  # item A: 5, 4, 4, 2 and one "U" (not on the scale, not in n)
  expect_identical(a$n, 4L)
  expect_identical(a$n_nonanswer, 1L)
  expect_identical(unlist(a[paste0("count_", 1:5)], use.names = FALSE), c(0L, 1L, 0L, 2L, 1L))
  expect_equal(unlist(a[paste0("share_", 1:5)], use.names = FALSE), c(0, 0.25, 0, 0.5, 0.25))
  # type 7 quartiles of 2, 4, 4, 5: Q1 = 2 + 0.75 * 2, Q3 = 4 + 0.25 * 1
  expect_equal(c(a$median, a$q1, a$q3, a$iqr), c(4, 3.5, 4.25, 0.75))
  expect_identical(as.character(a$status), "consensus") # 3 of 4 >= 70%
  # item B: 1, 3, 3, 5 (pid_bravo did not rate it)
  expect_identical(b$n, 4L)
  expect_identical(unlist(b[paste0("count_", 1:5)], use.names = FALSE), c(1L, 0L, 2L, 0L, 1L))
  expect_equal(c(b$median, b$q1, b$q3, b$iqr), c(3, 2.5, 3.5, 1))
  expect_identical(as.character(b$status), "no consensus") # 1 of 4
  # own ratings
  own <- function(id, it) as.character(fb$own_rating[fb$respondent == id & fb$item == it])
  expect_identical(own("pid_alpha", "A"), "5")
  expect_identical(own("pid_alpha", "B"), "1")
  expect_identical(own("pid_bravo", "B"), NA_character_)
  expect_identical(own("pid_echo", "A"), "U")
  # every row repeats its item's panel values
  rows <- fb[fb$item == "A", ]
  expect_true(all(rows$n == 4L & rows$count_4 == 2L & rows$median == 4))

  # the last round by default, and without a rule no status
  fb2 <- feedback_data(d, levels = 1:5, missing_levels = "U", round = "round")
  expect_identical(attr(fb2, "round"), "2")
  expect_identical(unique(fb2$item), "A")
  expect_identical(sort(fb2$respondent), sort(c("pid_alpha", "pid_bravo", "pid_charlie", "pid_delta")))
  expect_false("status" %in% names(fb2))
  expect_equal(fb2$share_4, rep(1, 4))
  expect_identical(feedback_data(d, levels = 1:5, missing_levels = "U", round = "round",
                                 which_round = "2")$respondent, fb2$respondent)
})

test_that("group distributions are shown only for groups large enough", {
  d <- fb_panel()
  fb <- feedback_data(d, target = 4:5, threshold = 0.7, levels = 1:5, missing_levels = "U",
                      round = "round", which_round = 1, by = "group")
  g <- attr(fb, "groups")
  pa <- g[g$item == "A" & g$group == "patients", ]
  expect_identical(pa$n, 3L)
  expect_false(pa$suppressed)
  expect_identical(unlist(pa[paste0("count_", 1:5)], use.names = FALSE), c(0L, 0L, 0L, 2L, 1L))
  # one clinician rated A (the other answered "U"): hidden
  ca <- g[g$item == "A" & g$group == "clinicians", ]
  expect_identical(ca$n, 1L)
  expect_true(ca$suppressed)
  expect_true(all(is.na(unlist(ca[paste0("count_", 1:5)]))))
  expect_true(all(g$suppressed[g$item == "B"]))
  # the rule holds in every group: A fails among clinicians
  expect_identical(as.character(attr(fb, "items")$status), c("no consensus", "no consensus"))
  expect_identical(fb$own_group[fb$respondent == "pid_delta"][1], "clinicians")
  fb1 <- feedback_data(d, levels = 1:5, missing_levels = "U", round = "round",
                       which_round = 1, by = "group", min_group_size = 1)
  expect_false(any(attr(fb1, "groups")$suppressed))
})

test_that("each panellist's feedback holds no other panellist's id or rating", {
  d <- fb_panel()
  fb <- feedback_data(d, target = 4:5, threshold = 0.7, levels = 1:5, missing_levels = "U",
                      round = "round", which_round = 1, by = "group")
  ids <- unique(fb$respondent)
  for (id in ids) {
    own <- feedback_panellist(fb, id)
    expect_identical(unique(own$respondent), id)
    # nothing in the object (columns or attributes) names another panellist
    txt <- paste(utils::capture.output(dput(unclass(own))), collapse = "")
    for (other in setdiff(ids, id)) expect_false(grepl(other, txt, fixed = TRUE))
    # the only per-panellist values are this panellist's own ratings
    expect_identical(as.character(own$own_rating),
                     as.character(fb$own_rating[fb$respondent == id]))
    attrs_with_resp <- vapply(attributes(own), function(a) is.data.frame(a) && "respondent" %in% names(a),
                              logical(1))
    expect_false(any(attrs_with_resp))
  }
})

test_that("render_feedback() writes one report per panellist, own rating only", {
  skip_on_cran()
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  d <- fb_panel()
  fb <- feedback_data(d, target = 4:5, threshold = 0.7, levels = 1:5, missing_levels = "U",
                      round = "round", which_round = 1)
  ids <- unique(fb$respondent)
  dir <- fb_tempdir()
  files <- render_feedback(fb, dir, progress = FALSE)
  expect_identical(names(files), ids)
  expect_setequal(basename(list.files(dir)), paste0("feedback-", ids, ".html"))
  for (id in ids) {
    html <- paste(readLines(files[[id]], warn = FALSE), collapse = "\n")
    expect_match(html, id, fixed = TRUE)
    for (other in setdiff(ids, id)) expect_false(grepl(other, html, fixed = TRUE))
  }
  # pid_alpha's own ratings are in the table
  html <- paste(readLines(files[["pid_alpha"]], warn = FALSE), collapse = "\n")
  expect_match(html, "<td[^>]*>A</td>\\s*<td[^>]*>5</td>")

  skip_if_not_installed("officer")
  docx <- render_feedback(fb, dir, format = "docx", respondents = c("pid_bravo", "pid_echo"),
                          progress = FALSE)
  expect_identical(basename(unname(docx)), c("feedback-pid_bravo.docx", "feedback-pid_echo.docx"))
  for (id in names(docx)) {
    s <- officer::docx_summary(officer::read_docx(docx[[id]]))
    txt <- paste(s$text, collapse = "\n")
    expect_match(txt, id, fixed = TRUE)
    for (other in setdiff(ids, id)) expect_false(grepl(other, txt, fixed = TRUE))
  }
  s <- officer::docx_summary(officer::read_docx(docx[["pid_bravo"]]))
  cells <- s[s$content_type == "table cell", ]
  row_b <- cells$row_id[cells$text == "B"]
  expect_true("not rated" %in% cells$text[cells$row_id == row_b[1]])
})

test_that("write_redcap_feedback() writes an import file that reads back", {
  d <- fb_panel()
  fb <- feedback_data(d, target = 4:5, threshold = 0.7, levels = 1:5, missing_levels = "U",
                      round = "round", which_round = 1)
  f <- tempfile(fileext = ".csv")
  dict_file <- tempfile(fileext = ".csv")
  out <- write_redcap_feedback(fb, f, event = "round_2_arm_1", dictionary_file = dict_file)
  back <- utils::read.csv(f, colClasses = "character", na.strings = NULL)
  expect_identical(names(back)[1:2], c("record_id", "redcap_event_name"))
  expect_identical(back$record_id, unique(fb$respondent))
  expect_true(all(grepl("^[a-z][a-z0-9_]*$", names(back))))
  expect_identical(back$fb_item_01_own[back$record_id == "pid_alpha"], "5")
  expect_identical(back$fb_item_01_own[back$record_id == "pid_echo"], "U")
  expect_identical(back$fb_item_02_own[back$record_id == "pid_bravo"], "")
  expect_identical(unique(back$fb_item_01_n), "4")
  expect_identical(unique(back$fb_item_01_pct4), "50")
  expect_identical(unique(back$fb_item_01_median), "4")
  expect_identical(unique(back$fb_item_01_iqr), "3.5-4.25")
  expect_identical(unique(back$fb_item_02_status), "no consensus")
  dict <- utils::read.csv(dict_file, check.names = FALSE, colClasses = "character")
  expect_identical(dict[["Variable / Field Name"]], setdiff(names(back), c("record_id", "redcap_event_name")))
  expect_identical(dict[["Section Header"]][1], "A")
})

test_that("write_redcap_feedback() names fields after the project read by read_redcap()", {
  imp <- read_redcap(
    system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
    system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
  )
  fb <- feedback_data(imp, "Fundamental", threshold = 0.75, which_round = 1)
  f <- tempfile(fileext = ".csv")
  write_redcap_feedback(fb, f, redcap = imp, event = "round_2_arm_1")
  back <- utils::read.csv(f, colClasses = "character", na.strings = NULL)
  expect_identical(names(back)[1], "record_id")
  expect_true(all(paste0("fb_", imp$items$field, "_own") %in% names(back)))
  # own ratings read back equal the ratings read_redcap() read
  r1 <- imp$ratings[imp$ratings$round == levels(imp$ratings$round)[1], ]
  j <- imp$items$field[1]
  it <- imp$items$item[1]
  got <- back[[paste0("fb_", j, "_own")]][match(as.character(r1$respondent[r1$item == it]), back$record_id)]
  expect_identical(got, as.character(r1$rating[r1$item == it]))
  # the shares as whole percentages, rounded half-up
  items <- attr(fb, "items")
  expect_identical(unique(back[[paste0("fb_", j, "_pct1")]]),
                   format_pct_half_up(items$count_1[1], items$n[1], 0L))
})

test_that("feedback functions refuse what they can't use", {
  d <- fb_panel()
  expect_snapshot(error = TRUE, feedback_data(d, target = 4:5, levels = 1:5, missing_levels = "U", round = "round"))
  expect_snapshot(error = TRUE, feedback_data(d, levels = 1:5, missing_levels = "U", round = "round", which_round = 3))
  expect_snapshot(error = TRUE, feedback_data(d[d$round == 1, ], levels = 1:5, missing_levels = "U", which_round = 1))
  expect_snapshot(error = TRUE, feedback_data(atmp_published))
  fb <- feedback_data(d, levels = 1:5, missing_levels = "U", round = "round")
  expect_snapshot(error = TRUE, write_redcap_feedback(fb, tempfile(), prefix = "FB "))
  expect_snapshot(error = TRUE, write_redcap_feedback(d, tempfile()))
  expect_snapshot(error = TRUE, plot_feedback(fb))
  expect_snapshot(error = TRUE, plot_feedback(fb, respondent = "nobody"))
})

test_that("plot_feedback() marks the panellist's own rating", {
  d <- fb_panel()
  fb <- feedback_data(d, levels = 1:5, missing_levels = "U", round = "round", which_round = 1)
  pd <- plot_feedback_data(feedback_panellist(fb, "pid_alpha"))
  expect_identical(as.character(pd$level[pd$own == "you"]), c("5", "1"))
  pd <- plot_feedback_data(feedback_panellist(fb, "pid_echo"))
  expect_identical(as.character(pd$level[pd$own == "you"]), "5") # "U" on A is not a bar
  skip_if_not_installed("vdiffr")
  vdiffr::expect_doppelganger("feedback-pid-alpha", plot_feedback(fb, "pid_alpha"))
})

test_that("rendered feedback shows group distributions only for large enough groups", {
  skip_on_cran()
  skip_if_not_installed("rmarkdown")
  skip_if_not(rmarkdown::pandoc_available(), "pandoc is not available")
  d <- fb_panel()
  fb <- feedback_data(d, target = 4:5, threshold = 0.7, levels = 1:5, missing_levels = "U",
                      round = "round", which_round = 1, by = "group")
  f <- render_feedback(fb, fb_tempdir(), respondents = "pid_charlie", progress = FALSE)
  html <- paste(readLines(f, warn = FALSE), collapse = "\n")
  expect_match(html, "By stakeholder group", fixed = TRUE)
  # patients rated A: 4, 4, 5 -> shown; clinicians (1 rater of A) -> not shown
  expect_match(html, "4: 67%; 5: 33%", fixed = TRUE)
  expect_match(html, "not shown", fixed = TRUE)
  for (other in c("pid_alpha", "pid_bravo", "pid_delta", "pid_echo")) {
    expect_false(grepl(other, html, fixed = TRUE))
  }
})
