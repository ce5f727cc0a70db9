lv <- c("Fundamental", "Ancillary, not essential", "Less Important")

test_that("a small raw export round-trips: ratings, levels, areas, rounds", {
  imp <- read_small()
  expect_s3_class(imp, "consensr_redcap")
  expect_identical(imp$levels, lv)
  r <- imp$ratings
  expect_identical(names(r), c("respondent", "round", "area", "item", "rating"))
  expect_identical(levels(r$round), c("round_1_arm_1", "round_2_arm_1"))
  r1 <- r[r$round == "round_1_arm_1", ]
  r2 <- r[r$round == "round_2_arm_1", ]
  # round 1: records 1-3 respond (4 has no rating), all four items presented
  expect_identical(unique(r1$respondent), c("1", "2", "3"))
  expect_identical(unique(r1$item), c("Pain relief", "Function", "Quality of life", "Cost"))
  expect_identical(as.character(r1$rating),
                   c(lv[c(1, 2, 1)], lv[c(2, 1, 1)], lv[c(1, 1, 1)], lv[3], NA, lv[1]))
  # round 2: only the items someone rated
  expect_identical(unique(r2$item), c("Pain relief", "Function"))
  expect_identical(r2$respondent, c("1", "3", "1", "3"))
  expect_identical(as.character(r2$rating), lv[c(1, 2, 1, 1)])
  expect_identical(levels(r$rating), lv)
  # sections carry forward until the next header
  expect_identical(as.character(unique(r[c("item", "area")])$area),
                   c("Outcomes", "Outcomes", "Other outcomes", "Other outcomes"))
  expect_identical(levels(r$area), c("Outcomes", "Other outcomes"))
  expect_identical(imp$items$field, c("q1", "q2", "q3", "q4"))
})

test_that("area = 'matrix' uses the matrix group name", {
  imp <- read_small(area = "matrix")
  a <- unique(imp$ratings[c("item", "area")])
  expect_identical(as.character(a$area), c(NA, NA, "m1", "m1"))
})

test_that("respondents, open text and checkboxes are kept", {
  imp <- read_small()
  resp <- imp$respondents
  expect_identical(names(resp), c("respondent", "round", "role"))
  expect_identical(levels(resp$role), c("Clinician", "Researcher, academic", "Patient"))
  expect_identical(resp$respondent, c("1", "2", "3", "4", "1", "3"))
  expect_identical(as.character(resp$role),
                   c("Clinician", "Researcher, academic", "Patient", "Clinician", NA, NA))
  ot <- imp$open_text
  expect_identical(ot$answer, c("Because, well,\nit \"matters\"", "Short"))
  expect_identical(ot$respondent, c("1", "3"))
  expect_identical(ot$field, c("why", "why"))
  expect_identical(ot$label, c("Why?", "Why?"))
  f <- imp$report$fields
  expect_identical(f$answers[f$field == "why"], 2L)
  expect_identical(f$empty[f$field == "why"], 4L)
  cb <- imp$checkboxes
  expect_identical(nrow(cb), 8L)
  expect_identical(cb$code, rep(c("1", "2"), 4))
  expect_identical(cb$label[1:2], c("Surgery", "Medicine"))
  expect_identical(cb$checked, c(TRUE, FALSE, FALSE, TRUE, TRUE, TRUE, FALSE, FALSE))
})

test_that("a labels export gives the same ratings and respondents", {
  raw <- read_small()
  lab <- read_small(labels_lines)
  expect_identical(lab$report$headers, "field labels")
  expect_identical(lab$ratings$rating, raw$ratings$rating)
  expect_identical(lab$ratings$item, raw$ratings$item)
  expect_identical(lab$ratings$respondent, raw$ratings$respondent)
  expect_identical(as.integer(lab$ratings$round), as.integer(raw$ratings$round))
  expect_identical(levels(lab$ratings$round), c("Round 1", "Round 2"))
  expect_identical(lab$respondents$role, raw$respondents$role)
  expect_identical(lab$checkboxes$checked, raw$checkboxes$checked)
  expect_identical(lab$open_text$answer, raw$open_text$answer)
  expect_identical(lab$report$fields$values[lab$report$fields$field == "q1"], "labels")
})

test_that("data frames work like files, and a byte-order mark is removed", {
  rec <- utils::read.csv(write_text(raw_lines), colClasses = "character",
                         check.names = FALSE, na.strings = "")
  names(rec)[1] <- paste0("\ufeff", names(rec)[1])
  imp <- read_redcap(rec, small_dict())
  expect_identical(imp$ratings, read_small()$ratings)
  # numbers in a data frame are read as written
  rec2 <- utils::read.csv(write_text(raw_lines), check.names = FALSE)
  expect_identical(read_redcap(rec2, small_dict())$ratings$rating,
                   read_small()$ratings$rating)
  # without a BOM
  expect_identical(read_small(bom = FALSE)$ratings, read_small()$ratings)
})

test_that("Excel's 1.0 codes are read as codes", {
  lines <- raw_lines
  lines[2] <- sub("^1,round_1_arm_1,1,1,2,", "1,round_1_arm_1,1.0,1.0,2.0,", lines[2])
  imp <- read_small(lines)
  expect_identical(imp$ratings, read_small()$ratings)
  expect_identical(as.character(imp$respondents$role[1]), "Clinician")
})

test_that("a value that is not a choice names field, record, round and value", {
  lines <- raw_lines
  lines[3] <- sub("^2,round_1_arm_1,2,2,1,", "2,round_1_arm_1,2,2,4,", lines[3])
  expect_error(
    read_small(lines),
    "Field `q2` (record 2, round round_1_arm_1): value \"4\" is not a choice (1, 2, 3).",
    fixed = TRUE
  )
  expect_error(read_small(lines), "invalid = \"missing\"", fixed = TRUE)
  # or read as missing and reported
  imp <- read_small(lines, invalid = "missing")
  inv <- imp$report$invalid
  expect_identical(inv$field, "q2")
  expect_identical(inv$respondent, "2")
  expect_identical(as.character(inv$round), "round_1_arm_1")
  expect_identical(inv$value, "4")
  r <- imp$ratings
  expect_true(is.na(r$rating[r$respondent == "2" & r$item == "Function" &
                               r$round == "round_1_arm_1"]))
})

test_that("an unknown label in a labels export is an error naming it", {
  lines <- labels_lines
  lines[4] <- sub("^3,Round 1,Patient,Fundamental,", "3,Round 1,Patient,Essential,", lines[4])
  expect_error(read_small(lines),
               "Field `q1` (record 3, round Round 1): value \"Essential\" is not a choice label",
               fixed = TRUE)
  # a single-choice respondent field too
  lines <- labels_lines
  lines[2] <- sub("^1,Round 1,Clinician,", "1,Round 1,Nurse,", lines[2])
  expect_error(read_small(lines), "Field `role` (record 1, round Round 1): value \"Nurse\"",
               fixed = TRUE)
})

test_that("bad checkbox values are reported like other invalid values", {
  lines <- raw_lines
  lines[4] <- sub(",Short,1,1,", ",Short,yes,1,", lines[4])
  expect_error(read_small(lines), "Field `areas___1` (record 3, round round_1_arm_1): value \"yes\"",
               fixed = TRUE)
  imp <- read_small(lines, invalid = "missing")
  expect_identical(imp$report$invalid$field, "areas___1")
})

test_that("a duplicated record id within a round is an error", {
  lines <- c(raw_lines, "3,round_2_arm_1,,1,1,,,,,,,2,2,")
  expect_error(read_small(lines), "Record \"3\" appears 2 times in round round_2_arm_1")
  # the same record in two rounds is fine (already in raw_lines)
  expect_no_error(read_small())
})

test_that("a rating field missing from the records is an error naming it", {
  lines <- sub("q3,q4,", "q3,", raw_lines[1])
  body <- sub("^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)[^,]*,", "\\1", raw_lines[-1])
  expect_error(read_small(c(lines, body)), "q4")
})

test_that("records from another project are recognised as such", {
  lines <- c("id,answer", "1,2")
  expect_error(read_small(lines), "record id column")
})

test_that("repeating instruments and other round columns", {
  d <- small_dict()
  lines <- c(
    "record_id,redcap_repeat_instrument,redcap_repeat_instance,role,q1,q2,q3,q4",
    "1,,,1,,,,",
    "1,survey,1,,1,1,1,1",
    "1,survey,2,,2,1,,",
    "2,,,2,,,,",
    "2,survey,1,,3,3,3,3",
    "2,survey,10,,1,1,,"
  )
  imp <- read_redcap(write_text(lines), d)
  expect_identical(imp$report$round_source, "redcap_repeat_instance")
  expect_identical(levels(imp$ratings$round), c("1", "2", "10"))
  expect_identical(as.character(unique(imp$ratings$round)), c("1", "2", "10"))
  # base rows (no instance) hold the respondent data
  expect_identical(as.character(imp$respondents$role[is.na(imp$respondents$round)]),
                   c("Clinician", "Researcher, academic"))
  # no round information: one round "1"
  one <- read_redcap(write_text(c("record_id,q1,q2,q3,q4", "1,1,2,3,1", "2,2,2,2,2")), d)
  expect_identical(levels(one$ratings$round), "1")
  expect_identical(one$report$round_source, "none")
  expect_error(read_redcap(write_text(c("record_id,q1,q2,q3,q4", "1,1,2,3,1", "1,2,2,2,2")), d),
               "appears 2 times")
  # a column named by `round`
  wave <- read_redcap(write_text(c("record_id,wave,q1,q2,q3,q4", "1,B,1,2,3,1", "1,A,2,2,2,2")),
                      d, round = "wave")
  expect_identical(levels(wave$ratings$round), c("B", "A"))
  expect_error(read_redcap(write_text(c("record_id,q1,q2,q3,q4", "1,1,2,3,1")), d,
                           round = "wave"), "wave")
})

test_that("argument checks name the argument", {
  expect_error(read_redcap(42, small_dict()), "records")
  expect_error(read_redcap(tempfile(), small_dict()), "doesn't exist")
  expect_error(read_small(area = "form"), "area")
  expect_error(read_small(invalid = "drop"), "invalid")
  expect_error(read_redcap(write_text(raw_lines), write_dict(small_dict()), "q1"),
               "must be empty")
  d <- small_dict()
  d[3, 1] <- "q2"
  expect_error(read_small(dict = d), "q2")
})

test_that("codes and labels exports of the example give identical ratings", {
  f <- function(x) system.file("extdata", x, package = "consensr")
  dict <- f("atmp_delphi_dictionary.csv")
  raw <- read_redcap(f("atmp_delphi_records.csv"), dict)
  lab <- read_redcap(f("atmp_delphi_records_labels.csv"), dict)
  expect_identical(raw$ratings$rating, lab$ratings$rating)
  expect_identical(raw$ratings[c("respondent", "area", "item")],
                   lab$ratings[c("respondent", "area", "item")])
  expect_identical(as.integer(raw$ratings$round), as.integer(lab$ratings$round))
  expect_identical(raw$respondents$setting, lab$respondents$setting)
  expect_identical(raw$checkboxes, transform(lab$checkboxes, round = raw$checkboxes$round))
  expect_identical(raw$open_text$answer, lab$open_text$answer)
  expect_identical(raw$report$headers, "variable names")
  expect_identical(lab$report$headers, "field labels")
})

test_that("round 1 of the example reproduces the published table", {
  f <- function(x) system.file("extdata", x, package = "consensr")
  imp <- read_redcap(f("atmp_delphi_records.csv"), f("atmp_delphi_dictionary.csv"))
  expect_identical(imp$levels, c("Fundamental", "Ancillary", "Less Important"))
  r1 <- imp$ratings[imp$ratings$round == "round_1_arm_1", ]
  expect_identical(length(unique(r1$respondent)), 25L)
  tab <- tally_ratings(r1)
  pub <- atmp_published
  key <- paste(tab$item, tab$level)
  expect_identical(tab$count, pub$count[match(key, paste(pub$item, pub$level))])
  expect_identical(unique(tab$item), unique(pub$item))
  expect_identical(as.character(unique(r1[c("item", "area")])$area),
                   as.character(unique(pub[c("item", "area")])$area))
  res <- consensus(r1, "Fundamental", threshold = 0.75)
  expect_identical(sum(res$reached), 16L)
  # round 2: 20 respondents, the 17 items without consensus
  r2 <- imp$ratings[imp$ratings$round == "round_2_arm_1", ]
  expect_identical(length(unique(r2$respondent)), 20L)
  expect_setequal(unique(r2$item), res$item[!res$reached])
  # the rest of the survey
  expect_identical(as.vector(table(imp$respondents$setting[imp$respondents$round == "round_1_arm_1"])[1:5]),
                   c(9L, 6L, 4L, 3L, 4L))
  expect_identical(imp$report$no_rating$respondent, "26")
  soft <- imp$open_text[imp$open_text$field == "soft_skills", ]
  expect_setequal(unlist(strsplit(soft$answer, "\n")), atmp_soft_skills$answer)
  expect_true(all(c("n_fundamental", "contact_email", "intro") %in%
                    c(imp$report$unused$column, imp$report$unused$field)))
})
