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
