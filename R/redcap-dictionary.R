# Reading REDCap exports: the data dictionary plus the records ("Export
# data", raw codes or labels) become ratings, respondent data, open text and
# checkboxes, with a report of everything that was not read and why.

# The 18 columns of a REDCap data dictionary (CSV download), their names in
# the API metadata export, and the short names used inside this file.
redcap_dictionary_columns <- c(
  "Variable / Field Name", "Form Name", "Section Header", "Field Type",
  "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
  "Text Validation Type OR Show Slider Number", "Text Validation Min",
  "Text Validation Max", "Identifier?",
  "Branching Logic (Show field only if...)", "Required Field?",
  "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
  "Matrix Ranking?", "Field Annotation"
)
redcap_identifier_reason <-
  "identifier field (Identifier? = y): not read, to keep the data de-identified"
redcap_api_columns <- c(
  "field_name", "form_name", "section_header", "field_type", "field_label",
  "select_choices_or_calculations", "field_note",
  "text_validation_type_or_show_slider_number", "text_validation_min",
  "text_validation_max", "identifier", "branching_logic", "required_field",
  "custom_alignment", "question_number", "matrix_group_name",
  "matrix_ranking", "field_annotation"
)
redcap_short_columns <- c(
  "field", "form", "section", "type", "label", "choices", "note",
  "validation", "min", "max", "identifier", "branching", "required",
  "alignment", "question", "matrix", "ranking", "annotation"
)

# Columns REDCap adds to a records export, with their header in a labels
# export.
redcap_special_columns <- c(
  redcap_event_name = "Event Name",
  redcap_repeat_instrument = "Repeat Instrument",
  redcap_repeat_instance = "Repeat Instance",
  redcap_data_access_group = "Data Access Group",
  redcap_survey_identifier = "Survey Identifier"
)

redcap_single_choice_types <- c("radio", "dropdown", "yesno", "truefalse")

# HTML tags removed (block tags such as <p> and <br> become a space),
# common entities decoded, white space collapsed.
redcap_strip_html <- function(x) {
  out <- gsub("<(br|/?p|/?div|/?li|/?ul|/?ol|/?h[1-6]|/?tr|/?td|/?table)\\b[^>]*>", " ", x,
              ignore.case = TRUE)
  out <- gsub("<[^>]*>", "", out)
  out <- gsub("&nbsp;", " ", out, fixed = TRUE)
  out <- gsub("&lt;", "<", out, fixed = TRUE)
  out <- gsub("&gt;", ">", out, fixed = TRUE)
  out <- gsub("&quot;", "\"", out, fixed = TRUE)
  out <- gsub("&#39;|&#039;|&apos;", "'", out)
  out <- gsub("&amp;", "&", out, fixed = TRUE)
  out <- gsub("[[:space:]]+", " ", out)
  trimws(out)
}

# ---------------------------------------------------------------------------
# The dictionary

redcap_dictionary <- function(d, call) {
  nm <- names(d)
  key <- redcap_column_key(nm)
  pos <- match(redcap_column_key(redcap_dictionary_columns), key)
  api <- match(gsub("_", "", redcap_api_columns), key)
  pos[is.na(pos)] <- api[is.na(pos)]
  if (anyNA(pos)) {
    missing <- redcap_dictionary_columns[is.na(pos)]
    abort(c("{.arg dictionary} must be a REDCap data dictionary with its 18 standard columns.",
            "x" = "Missing column{?s}: {.val {missing}}.",
            "i" = "It has {.val {head_text(nm, 8L)}}."), call = call)
  }
  out <- d[pos]
  names(out) <- redcap_short_columns
  out[] <- lapply(out, as.character)
  if (nrow(out) == 0L) {
    abort("{.arg dictionary} has no fields.", call = call)
  }
  out$field <- trimws(out$field)
  out$form <- trimws(out$form)
  out$type <- tolower(trimws(out$type))
  bad <- which(is.na(out$field) | !nzchar(out$field))
  if (length(bad) > 0L) {
    abort("{.arg dictionary} has no field name on row{?s} {head_text(bad)}.", call = call)
  }
  if (anyDuplicated(out$field)) {
    abort("{.arg dictionary} must name each field once; {.field {unique(out$field[duplicated(out$field)])}} {?is/are} repeated.",
          call = call)
  }
  out$type[is.na(out$type)] <- ""
  out$label_text <- redcap_strip_html(ifelse(is.na(out$label), "", out$label))
  out$identifier <- tolower(trimws(out$identifier)) %in% c("y", "yes", "1")
  out$choice_list <- lapply(seq_len(nrow(out)), function(i) {
    switch(out$type[i],
      yesno = data.frame(code = c("1", "0"), label = c("Yes", "No"),
                         stringsAsFactors = FALSE),
      truefalse = data.frame(code = c("1", "0"), label = c("True", "False"),
                             stringsAsFactors = FALSE),
      radio = , dropdown = , checkbox =
        redcap_parse_choices(out$choices[i], out$field[i], call),
      NULL
    )
  })
  # sections apply until the next header on the same form
  sec <- redcap_strip_html(ifelse(is.na(out$section), "", out$section))
  current <- NA_character_
  area <- character(nrow(out))
  for (i in seq_len(nrow(out))) {
    if (i > 1L && !identical(out$form[i], out$form[i - 1L])) current <- NA_character_
    if (nzchar(sec[i])) current <- sec[i]
    area[i] <- current
  }
  out$section_area <- area
  out$matrix <- trimws(out$matrix)
  out
}

# "1, Fundamental | 2, Ancillary, not essential": split on "|", then at
# the first comma.
redcap_parse_choices <- function(s, field, call) {
  empty <- data.frame(code = character(), label = character(),
                      stringsAsFactors = FALSE)
  if (is.na(s) || !nzchar(trimws(s))) return(empty)
  parts <- trimws(strsplit(s, "|", fixed = TRUE)[[1L]])
  parts <- parts[nzchar(parts)]
  comma <- regexpr(",", parts, fixed = TRUE)
  code <- ifelse(comma > 0L, trimws(substr(parts, 1L, comma - 1L)), parts)
  label <- ifelse(comma > 0L, substring(parts, comma + 1L), parts)
  label <- redcap_strip_html(label)
  if (anyDuplicated(code)) {
    abort("Field {.code {field}} of {.arg dictionary} repeats the choice code{?s} {.val {unique(code[duplicated(code)])}}.",
          call = call)
  }
  data.frame(code = code, label = label, stringsAsFactors = FALSE)
}

redcap_choice_key <- function(ch) {
  if (is.null(ch) || nrow(ch) == 0L) return(NA_character_)
  paste(ch$code, ch$label, sep = "\r", collapse = "\n")
}

# The rating fields (given or inferred), their shared choices, the items.
redcap_rating_fields <- function(dict, rating_fields, call) {
  usable <- dict$type %in% redcap_single_choice_types & !dict$identifier
  if (is.null(rating_fields)) {
    cand <- which(dict$type %in% c("radio", "dropdown") & !dict$identifier)
    keys <- vapply(dict$choice_list[cand], redcap_choice_key, character(1))
    cand <- cand[!is.na(keys)]
    keys <- keys[!is.na(keys)]
    sizes <- table(factor(keys, levels = unique(keys)))
    if (length(sizes) == 0L || max(sizes) < 2L) {
      abort(c("Can't find the rating fields: no two radio or dropdown fields of {.arg dictionary} share the same choices.",
              "i" = "Name them with {.arg rating_fields}."), call = call)
    }
    best <- names(sizes)[sizes == max(sizes)]
    if (length(best) > 1L) {
      eg <- vapply(best, function(b) dict$field[cand[keys == b][1L]], character(1))
      abort(c("Can't tell which fields hold the ratings: {length(best)} sets of {max(sizes)} radio or dropdown fields share their choices.",
              "i" = "Sets starting with {.field {eg}}; name the rating fields with {.arg rating_fields}."),
            call = call)
    }
    idx <- cand[keys == best]
  } else {
    if (!is.character(rating_fields) || length(rating_fields) == 0L ||
        anyNA(rating_fields)) {
      abort("{.arg rating_fields} must be names of fields of {.arg dictionary}.",
            call = call)
    }
    rating_fields <- unique(rating_fields)
    unknown <- setdiff(rating_fields, dict$field)
    if (length(unknown) > 0L) {
      abort("{.arg rating_fields} must be fields of {.arg dictionary}; {.field {unknown}} {?is/are} not.",
            call = call)
    }
    idx <- match(rating_fields, dict$field)
    bad <- idx[!usable[idx]]
    if (length(bad) > 0L) {
      abort(c("{.arg rating_fields} must be radio, dropdown, yes/no or true/false fields that are not identifiers.",
              "x" = "{.field {dict$field[bad]}} {?is/are} {.val {dict$type[bad]}}{ifelse(dict$identifier[bad], ' (identifier)', '')}."),
            call = call)
    }
    keys <- vapply(dict$choice_list[idx], redcap_choice_key, character(1))
    if (length(unique(keys)) > 1L) {
      odd <- dict$field[idx][keys != keys[1L]]
      abort(c("{.arg rating_fields} must share the same choices.",
              "x" = "{.field {odd}} differ{?s/} from {.field {dict$field[idx[1L]]}}."),
            call = call)
    }
    idx <- sort(idx)
  }
  choices <- dict$choice_list[[idx[1L]]]
  if (nrow(choices) == 0L) {
    abort("The rating fields have no choices in {.arg dictionary}.", call = call)
  }
  if (anyDuplicated(choices$label)) {
    abort("The rating scale repeats the choice label{?s} {.val {unique(choices$label[duplicated(choices$label)])}}.",
          call = call)
  }
  fields <- dict$field[idx]
  item <- dict$label_text[idx]
  item[!nzchar(item)] <- fields[!nzchar(item)]
  dup <- item %in% item[duplicated(item)]
  item[dup] <- paste0(item[dup], " (", fields[dup], ")")
  matrix_group <- dict$matrix[idx]
  items <- data.frame(
    field = fields, item = item, form = dict$form[idx],
    section = dict$section_area[idx],
    matrix_group = ifelse(is.na(matrix_group) | !nzchar(matrix_group), NA_character_, matrix_group),
    branching = dict$branching[idx], stringsAsFactors = FALSE
  )
  list(fields = fields, choices = choices, items = items, renamed = fields[dup])
}
