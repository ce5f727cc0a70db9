# read_redcap(): small dictionaries and records written to temporary files,
# malformed exports, and the shipped example.

dict_cols <- c(
  "Variable / Field Name", "Form Name", "Section Header", "Field Type",
  "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
  "Text Validation Type OR Show Slider Number", "Text Validation Min",
  "Text Validation Max", "Identifier?",
  "Branching Logic (Show field only if...)", "Required Field?",
  "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
  "Matrix Ranking?", "Field Annotation"
)

# A dictionary from a few columns; the others empty.
make_dict <- function(field, type, label, choices = "", section = "",
                      matrix = "", identifier = "", form = "survey") {
  n <- length(field)
  d <- as.data.frame(matrix("", n, 18L), stringsAsFactors = FALSE)
  names(d) <- dict_cols
  d[[1]] <- field
  d[[2]] <- rep(form, length.out = n)
  d[[3]] <- rep(section, length.out = n)
  d[[4]] <- type
  d[[5]] <- label
  d[[6]] <- rep(choices, length.out = n)
  d[[11]] <- rep(identifier, length.out = n)
  d[[16]] <- rep(matrix, length.out = n)
  d
}

scale3 <- "1, Fundamental | 2, Ancillary, not essential | 3, Less Important"

small_dict <- function() {
  make_dict(
    field = c("record_id", "role", "q1", "q2", "q3", "q4", "why", "areas",
              "email", "total", "intro"),
    type = c("text", "radio", "radio", "radio", "radio", "radio", "notes",
             "checkbox", "text", "calc", "descriptive"),
    label = c("Record ID", "Your role", "<b>Pain</b> relief", "Function",
              "Quality of life", "Cost", "Why?", "Areas", "E-mail", "Total",
              "<p>Thank you</p>"),
    choices = c("", "1, Clinician | 2, Researcher, academic | 3, Patient",
                scale3, scale3, scale3, scale3, "", "1, Surgery | 2, Medicine",
                "", "[q1] + [q2]", ""),
    section = c("", "About you", "Outcomes", "", "Other outcomes", "", "", "",
                "", "", ""),
    matrix = c("", "", "", "", "m1", "m1", "", "", "", "", ""),
    identifier = c("", "", "", "", "", "", "", "", "y", "", "")
  )
}

# Text written byte for byte (UTF-8), optionally with a byte-order mark.
write_text <- function(lines, bom = FALSE) {
  path <- tempfile(fileext = ".csv")
  txt <- paste0(if (bom) "\ufeff" else "", paste(lines, collapse = "\n"), "\n")
  con <- file(path, "wb")
  writeBin(charToRaw(enc2utf8(txt)), con)
  close(con)
  path
}

write_dict <- function(d) {
  q <- function(v) paste0("\"", gsub("\"", "\"\"", v, fixed = TRUE), "\"")
  lines <- c(paste(q(names(d)), collapse = ","),
             do.call(paste, c(lapply(d, q), sep = ",")))
  write_text(lines)
}

raw_lines <- c(
  "record_id,redcap_event_name,role,q1,q2,q3,q4,why,areas___1,areas___2,email,total,survey_complete,extra",
  "1,round_1_arm_1,1,1,2,1.0,3,\"Because, well,\nit \"\"matters\"\"\",1,0,a@b.org,3,2,x",
  "2,round_1_arm_1,2,2,1,1,,,0,1,c@d.org,3,2,",
  "3,round_1_arm_1,3,1,1,1,1,Short,1,1,,2,2,",
  "4,round_1_arm_1,1,,,,,,0,0,,,0,",
  "1,round_2_arm_1,,1,1,,,,,,,2,2,",
  "3,round_2_arm_1,,2,1,,,,,,,3,2,"
)

read_small <- function(lines = raw_lines, dict = small_dict(), bom = TRUE, ...) {
  read_redcap(write_text(lines, bom = bom), write_dict(dict), ...)
}

test_that("the API metadata names and check.names-mangled names are accepted", {
  d <- small_dict()
  api <- d
  names(api) <- c("field_name", "form_name", "section_header", "field_type",
                  "field_label", "select_choices_or_calculations", "field_note",
                  "text_validation_type_or_show_slider_number",
                  "text_validation_min", "text_validation_max", "identifier",
                  "branching_logic", "required_field", "custom_alignment",
                  "question_number", "matrix_group_name", "matrix_ranking",
                  "field_annotation")
  ref <- read_small()$ratings
  expect_identical(read_small(dict = api)$ratings, ref)
  mangled <- d
  names(mangled) <- make.names(names(d))
  expect_identical(read_redcap(write_text(raw_lines), mangled)$ratings, ref)
})

test_that("a missing dictionary column is an error naming it", {
  d <- small_dict()
  d[["Field Label"]] <- NULL
  expect_error(read_small(dict = d), "Field Label")
  d <- small_dict()
  d[["Matrix Group Name"]] <- NULL
  d[["Form Name"]] <- NULL
  expect_error(read_small(dict = d), "Form Name.*Matrix Group Name")
})

test_that("rating fields can be named, and are checked", {
  imp <- read_small(rating_fields = c("q1", "q2"))
  expect_identical(unique(imp$ratings$item), c("Pain relief", "Function"))
  # the other two are then respondent fields
  expect_true(all(c("q3", "q4") %in% names(imp$respondents)))
  expect_error(read_small(rating_fields = c("q1", "nope")), "nope")
  expect_error(read_small(rating_fields = c("q1", "role")), "same choices")
  expect_error(read_small(rating_fields = c("q1", "why")), "radio, dropdown")
})

test_that("the rating scale is inferred, and a tie is an error", {
  d <- small_dict()
  d[d[[1]] %in% c("q3", "q4"), 6] <- "1, Yes | 2, No"
  expect_error(read_small(dict = d), "rating_fields")
  d <- small_dict()
  d[d[[1]] %in% c("q2", "q3", "q4"), 6] <- "1, Yes | 2, No"
  d[d[[1]] == "role", 6] <- "1, Yes | 2, No"
  lines <- gsub(",3,", ",2,", raw_lines) # 3 is not a Yes/No code
  imp <- read_redcap(write_text(lines), d, invalid = "missing")
  expect_identical(imp$items$field, c("role", "q2", "q3", "q4"))
})
