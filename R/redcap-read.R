#' Read a REDCap export: ratings, respondents, open text and checkboxes
#'
#' `read_redcap()` reads the two files a REDCap project gives you, the data
#' dictionary and the records ("Export data" as CSV, raw codes or labels),
#' and returns the ratings in the long shape every consensr function reads,
#' together with the rest of the survey: single-choice answers about the
#' respondents, free text, checkboxes, and a report of every column that was
#' not used and why. Nothing is dropped silently.
#'
#' @section Reading the files:
#' Files are read with [utils::read.csv()] as text (`colClasses =
#' "character"`, `check.names = FALSE`, `na.strings = ""`,
#' `fileEncoding = "UTF-8-BOM"`, so a byte-order mark is removed). Quoted
#' values may contain commas, quotes and line breaks. Data frames can be
#' given instead of paths; their columns are read as text (numbers as
#' written, `1` not `1.0`).
#'
#' The dictionary must have the 18 standard columns of a REDCap data
#' dictionary (`"Variable / Field Name"`, `"Form Name"`, ..., `"Field
#' Annotation"`); the snake_case names of the API metadata export
#' (`field_name`, ...) and names mangled by `check.names = TRUE` are also
#' recognised. A missing column is an error that names it.
#'
#' Choices (`"1, Fundamental | 2, Ancillary | 3, Less Important"`) are split
#' on `|` and then at the **first** comma only, so a label may contain
#' commas (`"2, Ancillary, not essential"`). HTML tags are removed from field
#' labels, choice labels and section headers (`"<i>in vitro</i> Models"`
#' becomes `"in vitro Models"`), and common entities (`&amp;`) decoded.
#'
#' @section Codes or labels:
#' Each single-choice column is checked on its own. When every non-empty
#' value is a choice code (Excel's `"1.0"` counts as `"1"`), the column holds
#' codes; when every value is a choice label, labels. Anything else (a value
#' that is neither, or a mix) is an error naming the field, the record, the
#' round and the value, unless `invalid = "missing"`: the column is then read
#' by whichever of codes or labels matches more values, and the others become
#' missing and are listed in `report$invalid`. A scale whose labels are codes
#' of other choices (labels `"0"`-`"4"` on codes 1-5) is read as codes.
#' Checkboxes accept `1`/`0` and `Checked`/`Unchecked`.
#'
#' The header row may hold the variable names (raw export, or the API's
#' `rawOrLabelHeaders = "raw"`) or the field labels (REDCap's "CSV
#' (labels)"); labels are matched to the dictionary in export order, so
#' repeated labels such as `"Complete?"` are resolved.
#'
#' @section Rating fields and items:
#' Unless `rating_fields` names them, the rating fields are the largest set
#' of radio or dropdown fields (at least two) that share the same choices;
#' a tie is an error asking for `rating_fields`. Each rating field becomes
#' one item: its name is the field label (HTML removed; a label used by two
#' fields gets the field name appended), its levels are the choice labels in
#' order, and its area is the section header (`area = "section"`; a header
#' applies to the fields after it until the next header on the same form, as
#' REDCap displays it) or the matrix group name (`area = "matrix"`, `NA` for
#' fields outside a matrix). Fields flagged as identifiers are never read.
#'
#' @section Records and rounds:
#' The record id (the first field of the dictionary) is the respondent. The
#' round is read from the column named by `round`, else from
#' `redcap_event_name` (a longitudinal project: one event per round), else
#' from `redcap_repeat_instance` (a repeating instrument: one instance per
#' round); without any of them all records are one round, `"1"`. Rounds are
#' ordered numerically when every round value is a number, otherwise by
#' first appearance in the records. Round labels are the values in the
#' export: unique event names in a raw export, event labels ("Round 1 (Arm
#' 1: Arm 1)") in a labels export. A record may appear only once per round.
#'
#' In each round, an item is taken to have been presented when at least one
#' respondent rated it (items hidden by branching logic in a round, for
#' example because they reached consensus earlier, are left out of that
#' round), and a respondent to have responded when they rated at least one
#' item. `ratings` has one row per responding respondent and presented item,
#' with `NA` for an item that respondent skipped. Record rows without any
#' rating are listed in `report$no_rating`.
#'
#' @param records The records: the path of a CSV file exported from REDCap
#'   ("Export data", raw or labels) or a data frame of it.
#' @param dictionary The data dictionary: the path of its CSV file or a data
#'   frame of it.
#' @param ... Must be empty.
#' @param rating_fields Names of the fields that hold the ratings. `NULL`
#'   (the default) infers them (see section Rating fields and items). They
#'   must be radio, dropdown, yes/no or true/false fields with identical
#'   choices.
#' @param area Where an item's area comes from: `"section"` (the section
#'   header) or `"matrix"` (the matrix group name).
#' @param invalid What to do with a value that is not a choice: `"error"`
#'   (the default) or `"missing"` (read it as missing and list it in
#'   `report$invalid`).
#' @param round Name of a records column holding the round. `NULL` (the
#'   default) uses `redcap_event_name` or `redcap_repeat_instance`.
#' @return An object of class `consensr_redcap`, a list of:
#' * `ratings`: one row per respondent, round and item: `respondent`
#'   (character), `round` (factor, rounds in order), `area` (factor), `item`
#'   (character) and `rating` (factor with the scale's levels, `NA` when not
#'   rated). Subset one round and give it to [consensus()] or
#'   [tally_ratings()] (or give all rounds with `round = "round"`); give all
#'   rounds to [delphi_summary()], [round_stability()] and [attrition()].
#' * `levels`: the scale, the choice labels in order.
#' * `items`: one row per rating field: `field`, `item`, `area`, `form`,
#'   `section`, `matrix_group`, `branching` (the branching logic).
#' * `respondents`: one row per record and round found in the records:
#'   `respondent`, `round`, the data access group when exported, and one
#'   factor per other single-choice field (radio, dropdown, yes/no,
#'   true/false), with the choice labels as levels in choice order.
#' * `open_text`: the answers of text and notes fields, long: `respondent`,
#'   `round`, `field`, `label` and `answer` (as written, line breaks kept).
#'   Empty answers are dropped and counted in `report$fields`.
#' * `checkboxes`: one row per record, round, checkbox field and choice:
#'   `respondent`, `round`, `field`, `code`, `label`, `checked` (logical).
#' * `report`: a list of `fields` (every dictionary field: `form`, `type`,
#'   `label`, `role` (`"record id"`, `"rating"`, `"respondent"`, `"open
#'   text"`, `"checkbox"` or `"not read"`), `values` (`"codes"` or
#'   `"labels"`), `answers` and `empty` (non-empty and empty values) and
#'   `reason`); `columns` (every records column: `column`, `field`, `role`
#'   and `reason`, including the REDCap columns used, e.g. the round);
#'   `unused` (every records column or dictionary field not read,
#'   with the reason: calculated, descriptive, file, sql and slider fields,
#'   identifiers, form completion status, survey timestamps, REDCap columns,
#'   empty columns and columns not in the dictionary); `no_rating` (record
#'   rows with no rating); `invalid` (values read as missing); `headers`
#'   (`"variable names"` or `"field labels"`) and `round_source`.
#' @seealso [delphi_summary()], [round_stability()], [attrition()] for
#'   several rounds; [consensus()] for one.
#' @references REDCap data dictionary and data export formats: Harris PA,
#'   Taylor R, Thielke R, et al. (2009). Research electronic data capture
#'   (REDCap). *Journal of Biomedical Informatics*, 42(2), 377-381.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' imp
#' head(imp$ratings)
#' imp$report$unused
#'
#' # round 1 as a single survey
#' round_1 <- imp$ratings[imp$ratings$round == "round_1_arm_1", ]
#' consensus(round_1, "Fundamental", 0.75)
#'
#' # the labels export gives the same ratings
#' lab <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records_labels.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' identical(lab$ratings$rating, imp$ratings$rating)
#' @export
read_redcap <- function(records, dictionary, ..., rating_fields = NULL,
                        area = c("section", "matrix"),
                        invalid = c("error", "missing"), round = NULL) {
  call <- rlang::current_env()
  rlang::check_dots_empty(call = call)
  area <- classed_arg(rlang::arg_match(area, error_call = call))
  invalid <- classed_arg(rlang::arg_match(invalid, error_call = call))
  if (!is.null(round)) check_string(round, "round", call = call)

  dict <- redcap_dictionary(redcap_read_table(dictionary, "dictionary", call), call)
  rec <- redcap_read_table(records, "records", call)
  if (nrow(rec) == 0L) {
    abort("{.arg records} has no rows: there are no records to read.", call = call)
  }
  headers <- redcap_headers(rec, dict, call)
  names(rec) <- headers$names

  rating <- redcap_rating_fields(dict, rating_fields, call)
  rd <- redcap_rounds(rec, round, call)
  cols <- redcap_classify_columns(names(rec), dict, rating$fields, rd$source)
  missing_rating <- setdiff(rating$fields, names(rec))
  if (length(missing_rating) > 0L) {
    abort(c("{.arg records} must have a column for every rating field.",
            "x" = "Missing: {.field {missing_rating}}.",
            "i" = "Export all instruments, or name the fields to read with {.arg rating_fields}.",
            "i" = if (headers$mode == "field labels") "The header row holds field labels; a label that differs from the dictionary's can't be matched. Export with variable names as headers."),
          call = call)
  }

  id_field <- dict$field[1L]
  ids <- rec[[id_field]]
  if (anyNA(ids)) {
    abort("The record id column {.field {id_field}} can't be empty (row{?s} {head_text(which(is.na(ids)))} of {.arg records}).",
          call = call)
  }
  where <- function(i) redcap_where(ids[i], rd$values[i], rd$source)
  key <- paste(ids, rd$values, sep = "\r")
  dup <- duplicated(key)
  if (any(dup)) {
    d <- which(dup)[1L]
    abort(c("Each record can appear only once per round.",
            "x" = "Record {.val {ids[d]}} appears {sum(key == key[d])} times{if (rd$source != 'none') paste0(' in round ', rd$values[d]) else ''}.",
            "i" = if (rd$source == "none") "Are the rounds in a column? Name it with {.arg round}."),
          call = call)
  }

  problems <- list()
  add_problem <- function(p) problems[[length(problems) + 1L]] <<- p

  # ratings: one column of labels per rating field
  scale <- rating$choices
  rating_labels <- matrix(NA_character_, nrow(rec), length(rating$fields))
  values_mode <- stats::setNames(rep(NA_character_, nrow(dict)), dict$field)
  for (j in seq_along(rating$fields)) {
    f <- rating$fields[j]
    dec <- redcap_decode_choice(rec[[f]], scale, f, where)
    rating_labels[, j] <- dec$value
    values_mode[[f]] <- dec$mode
    if (!is.null(dec$problems)) add_problem(dec$problems)
  }

  # respondents: other single-choice fields
  resp_fields <- cols$field[cols$role %in% "respondent" & !is.na(cols$field)]
  resp_values <- list()
  for (f in resp_fields) {
    ch <- dict$choice_list[[match(f, dict$field)]]
    dec <- redcap_decode_choice(rec[[f]], ch, f, where)
    resp_values[[f]] <- factor(dec$value, levels = unique(ch$label))
    values_mode[[f]] <- dec$mode
    if (!is.null(dec$problems)) add_problem(dec$problems)
  }

  # checkboxes
  cb_cols <- cols[cols$role %in% "checkbox", , drop = FALSE]
  cb_checked <- vector("list", nrow(cb_cols))
  for (k in seq_len(nrow(cb_cols))) {
    dec <- redcap_decode_checkbox(rec[[cb_cols$column[k]]], cb_cols$field[k],
                                  cb_cols$code[k], where)
    cb_checked[[k]] <- dec$value
    if (!is.null(dec$problems)) add_problem(dec$problems)
    if (!is.na(dec$mode)) values_mode[[cb_cols$field[k]]] <- dec$mode
  }

  problems <- if (length(problems) > 0L) do.call(rbind, problems) else NULL
  if (!is.null(problems) && invalid == "error") {
    redcap_abort_invalid(problems, call)
  }

  # rows of each round, respondents with at least one rating
  has_rating <- rowSums(!is.na(rating_labels)) > 0L
  no_round <- which(is.na(rd$values) & has_rating)
  if (length(no_round) > 0L) {
    abort(c("Every record row with ratings must belong to a round.",
            "x" = "No round for record{?s} {.val {head_text(ids[no_round])}} (column {.field {rd$source}} is empty)."),
          call = call)
  }
  round_f <- factor(rd$values, levels = rd$levels)
  record_order <- unique(ids)

  items <- rating$items
  item_names <- items$item
  item_area <- if (area == "section") items$section else items$matrix_group
  area_levels <- unique(item_area[!is.na(item_area)])
  items$area <- factor(item_area, levels = area_levels)

  pieces <- list()
  for (k in seq_along(rd$levels)) {
    rows <- which(as.integer(round_f) == k & has_rating)
    if (length(rows) == 0L) next
    rows <- rows[order(match(ids[rows], record_order))]
    sub <- rating_labels[rows, , drop = FALSE]
    presented <- which(colSums(!is.na(sub)) > 0L)
    pieces[[length(pieces) + 1L]] <- data.frame(
      respondent = rep(ids[rows], times = length(presented)),
      round = rep(k, length(rows) * length(presented)),
      item_index = rep(presented, each = length(rows)),
      rating = as.vector(sub[, presented, drop = FALSE]),
      stringsAsFactors = FALSE
    )
  }
  long <- do.call(rbind, pieces)
  if (is.null(long)) {
    long <- data.frame(respondent = character(), round = integer(),
                       item_index = integer(), rating = character())
  }
  ratings <- data.frame(
    respondent = as.character(long$respondent),
    round = factor(rd$levels[long$round], levels = rd$levels),
    area = items$area[long$item_index],
    item = item_names[long$item_index],
    rating = factor(long$rating, levels = scale$label),
    stringsAsFactors = FALSE
  )
  rownames(ratings) <- NULL

  # respondents table: every record row, rounds in order
  row_order <- order(as.integer(round_f), match(ids, record_order), na.last = TRUE)
  respondents <- data.frame(respondent = ids[row_order], round = round_f[row_order],
                            stringsAsFactors = FALSE)
  if ("redcap_data_access_group" %in% names(rec)) {
    respondents$redcap_data_access_group <-
      factor(rec$redcap_data_access_group[row_order])
  }
  for (f in resp_fields) respondents[[f]] <- resp_values[[f]][row_order]
  rownames(respondents) <- NULL

  # open text, long; empty answers dropped and counted
  text_fields <- cols$field[cols$role %in% "open text"]
  answers <- stats::setNames(integer(nrow(dict)), dict$field)
  empty <- stats::setNames(integer(nrow(dict)), dict$field)
  ot <- lapply(text_fields, function(f) {
    v <- rec[[f]][row_order]
    ok <- !is.na(v) & nzchar(trimws(v))
    data.frame(respondent = ids[row_order][ok], round = round_f[row_order][ok],
               field = rep(f, sum(ok)),
               label = rep(dict$label_text[match(f, dict$field)], sum(ok)),
               answer = v[ok], stringsAsFactors = FALSE)
  })
  open_text <- if (length(ot)) do.call(rbind, ot) else
    data.frame(respondent = character(), round = factor(character(), levels = rd$levels),
               field = character(), label = character(), answer = character())
  rownames(open_text) <- NULL

  # checkboxes, long
  cb <- lapply(seq_len(nrow(cb_cols)), function(k) {
    v <- cb_checked[[k]][row_order]
    ok <- !is.na(v)
    data.frame(respondent = ids[row_order][ok], round = round_f[row_order][ok],
               field = rep(cb_cols$field[k], sum(ok)),
               code = rep(cb_cols$code[k], sum(ok)),
               label = rep(cb_cols$label[k], sum(ok)),
               checked = v[ok], stringsAsFactors = FALSE)
  })
  checkboxes <- if (length(cb)) do.call(rbind, cb) else
    data.frame(respondent = character(), round = factor(character(), levels = rd$levels),
               field = character(), code = character(), label = character(),
               checked = logical())
  if (nrow(checkboxes) > 0L) {
    o <- order(match(checkboxes$field, dict$field), as.integer(checkboxes$round),
               match(checkboxes$respondent, record_order),
               match(paste(checkboxes$field, checkboxes$code),
                     paste(cb_cols$field, cb_cols$code)))
    checkboxes <- checkboxes[o, , drop = FALSE]
  }
  rownames(checkboxes) <- NULL

  # counts of answers per field
  for (f in intersect(dict$field, names(rec))) {
    v <- rec[[f]]
    answers[[f]] <- sum(!is.na(v) & nzchar(trimws(v)))
    empty[[f]] <- length(v) - answers[[f]]
  }
  for (f in unique(cb_cols$field)) {
    m <- do.call(cbind, cb_checked[cb_cols$field == f])
    answered <- rowSums(!is.na(m)) > 0L
    answers[[f]] <- sum(answered)
    empty[[f]] <- length(answered) - sum(answered)
  }

  report <- redcap_report(dict, cols, rec, rating, values_mode, answers, empty,
                          ids, round_f, has_rating, problems, headers, rd,
                          record_order)
  out <- list(
    ratings = ratings,
    levels = scale$label,
    items = items[c("field", "item", "area", "form", "section", "matrix_group",
                    "branching")],
    respondents = respondents,
    open_text = open_text,
    checkboxes = checkboxes,
    report = report
  )
  class(out) <- "consensr_redcap"
  out
}

# ---------------------------------------------------------------------------
# Reading files

# A CSV path or a data frame -> data frame of character columns, NA for
# empty cells.
redcap_read_table <- function(x, arg, call) {
  if (is.character(x) && length(x) == 1L && !is.na(x)) {
    if (!file.exists(x)) {
      abort("{.arg {arg}} must be a data frame or the path of a CSV file; {.file {x}} doesn't exist.",
            call = call)
    }
    df <- withCallingHandlers(
      tryCatch(
        utils::read.csv(x, check.names = FALSE, colClasses = "character",
                        na.strings = "", fileEncoding = "UTF-8-BOM",
                        stringsAsFactors = FALSE, strip.white = FALSE),
        error = function(e) {
          abort(c("Can't read {.arg {arg}} ({.file {x}}) as a CSV file.",
                  "x" = conditionMessage(e)), call = call)
        }
      ),
      warning = function(w) {
        msg <- conditionMessage(w)
        if (grepl("incomplete final line", msg, fixed = TRUE)) {
          invokeRestart("muffleWarning")
        }
        abort(c("Can't read {.arg {arg}} ({.file {x}}) as a CSV file.",
                "x" = msg), call = call)
      }
    )
  } else if (is.data.frame(x)) {
    df <- as.data.frame(x, stringsAsFactors = FALSE, optional = TRUE)
    df[] <- lapply(df, function(v) {
      if (is.list(v)) {
        abort("{.arg {arg}} can't have list columns.", call = call)
      }
      out <- if (is.numeric(v) && !is.factor(v)) level_text(v) else as.character(v)
      out[!is.na(out) & !nzchar(out)] <- NA_character_
      out
    })
  } else {
    abort("{.arg {arg}} must be a data frame or the path of a CSV file, not {.obj_type_friendly {x}}.",
          call = call)
  }
  names(df) <- redcap_strip_bom(names(df))
  df
}

# A byte-order mark read as text (UTF-8, Latin-1 or by make.names()).
redcap_strip_bom <- function(x) {
  x <- sub("^\ufeff", "", x)
  x <- sub("^\u00ef\u00bb\u00bf", "", x)
  sub("^X\\.U\\.FEFF\\.", "", x)
}

redcap_column_key <- function(x) tolower(gsub("[^A-Za-z0-9]", "", x))

# ---------------------------------------------------------------------------
# The records' header row

# Raw headers (variable names) or labels headers mapped to variable names.
redcap_headers <- function(rec, dict, call) {
  hdr <- names(rec)
  exp <- redcap_expected_columns(dict)
  raw_hits <- sum(tolower(hdr) %in% tolower(exp$column))
  id_field <- dict$field[1L]
  if (id_field %in% hdr || raw_hits >= length(hdr) / 2) {
    out <- hdr
    # case-insensitive match to the expected names
    low <- match(tolower(hdr), tolower(exp$column))
    fix <- !is.na(low) & !(hdr %in% exp$column)
    out[fix] <- exp$column[low[fix]]
    mode <- "variable names"
  } else {
    out <- redcap_map_labels(hdr, exp)
    mode <- "field labels"
    if (!id_field %in% out) {
      abort(c("{.arg records} must have the record id column {.field {id_field}}, the first field of {.arg dictionary}.",
              "x" = "Its header row has neither the variable names nor the field labels of {.arg dictionary}: {.val {head_text(hdr)}}.",
              "i" = "Is the dictionary the one of this project?"), call = call)
    }
  }
  if (anyDuplicated(out)) {
    abort("{.arg records} has repeated column{?s} {.field {unique(out[duplicated(out)])}}.",
          call = call)
  }
  list(names = out, mode = mode, original = hdr)
}

# Every column a records export of this dictionary can have, in export
# order, with its header in a labels export.
redcap_expected_columns <- function(dict) {
  col <- c(dict$field[1L], names(redcap_special_columns))
  lab <- c(dict$label_text[1L], unname(redcap_special_columns))
  forms <- unique(dict$form)
  for (fm in forms) {
    rows <- which(dict$form == fm)
    col <- c(col, paste0(fm, "_timestamp"))
    lab <- c(lab, "Survey Timestamp")
    for (i in rows) {
      if (i == 1L || dict$type[i] == "descriptive") next
      if (dict$type[i] == "checkbox") {
        ch <- dict$choice_list[[i]]
        col <- c(col, redcap_checkbox_column(dict$field[i], ch$code))
        lab <- c(lab, paste0(dict$label_text[i], " (choice=", ch$label, ")"))
      } else {
        col <- c(col, dict$field[i])
        lab <- c(lab, dict$label_text[i])
      }
    }
    col <- c(col, paste0(fm, "_complete"))
    lab <- c(lab, "Complete?")
  }
  data.frame(column = col, label = lab, stringsAsFactors = FALSE)
}

# REDCap's checkbox column names: field___code, with characters other than
# letters, digits and underscores (such as the minus of -1) as "_".
redcap_checkbox_column <- function(field, code) {
  paste0(field, "___", tolower(gsub("[^A-Za-z0-9_]", "_", code)))
}

# Labels headers in export order: each header takes the next expected
# column with that label, so repeated labels ("Complete?") resolve.
redcap_map_labels <- function(hdr, exp) {
  lab <- redcap_strip_html(exp$label)
  h <- redcap_strip_html(hdr)
  used <- logical(nrow(exp))
  out <- hdr
  pos <- 1L
  for (i in seq_along(h)) {
    cand <- which(lab == h[i] & !used)
    if (length(cand) == 0L) next
    after <- cand[cand >= pos]
    j <- if (length(after)) after[1L] else cand[1L]
    used[j] <- TRUE
    out[i] <- exp$column[j]
    pos <- j + 1L
  }
  out
}

# Role of every records column.
redcap_classify_columns <- function(cn, dict, rating_fields, round_source) {
  forms <- unique(dict$form)
  cb <- do.call(rbind, lapply(which(dict$type == "checkbox"), function(i) {
    ch <- dict$choice_list[[i]]
    if (nrow(ch) == 0L) return(NULL)
    data.frame(column = redcap_checkbox_column(dict$field[i], ch$code),
               field = dict$field[i], code = ch$code, label = ch$label,
               stringsAsFactors = FALSE)
  }))
  out <- data.frame(column = cn, field = NA_character_, role = NA_character_,
                    reason = NA_character_, code = NA_character_,
                    label = NA_character_, stringsAsFactors = FALSE)
  for (j in seq_along(cn)) {
    nm <- cn[j]
    i <- match(nm, dict$field)
    if (identical(nm, round_source)) {
      out$role[j] <- "round"
      out$reason[j] <- "used: the round"
    } else if (!is.na(i)) {
      out$field[j] <- nm
      type <- dict$type[i]
      if (i == 1L) {
        out$role[j] <- "record id"
      } else if (nm %in% rating_fields) {
        out$role[j] <- "rating"
      } else if (dict$identifier[i]) {
        out$reason[j] <- redcap_identifier_reason
      } else if (type %in% redcap_single_choice_types) {
        out$role[j] <- "respondent"
      } else if (type %in% c("text", "notes")) {
        out$role[j] <- "open text"
      } else {
        out$reason[j] <- redcap_reason(redcap_type_reasons, type,
                                       sprintf("field type \"%s\" is not read", type))
      }
    } else if (!is.null(cb) && tolower(nm) %in% tolower(cb$column)) {
      k <- match(tolower(nm), tolower(cb$column))
      out$field[j] <- cb$field[k]
      out$code[j] <- cb$code[k]
      out$label[j] <- cb$label[k]
      i <- match(cb$field[k], dict$field)
      if (dict$identifier[i]) {
        out$reason[j] <- redcap_identifier_reason
      } else {
        out$role[j] <- "checkbox"
      }
    } else if (grepl("^redcap_", nm)) {
      out$reason[j] <- redcap_reason(redcap_column_reasons, nm, "REDCap column not read")
      if (nm == "redcap_data_access_group") out$role[j] <- "respondent"
    } else if (grepl("_complete$", nm) && sub("_complete$", "", nm) %in% forms) {
      out$reason[j] <- "form completion status (0 incomplete, 1 unverified, 2 complete)"
    } else if (grepl("_timestamp$", nm) && sub("_timestamp$", "", nm) %in% forms) {
      out$reason[j] <- "survey timestamp"
    } else {
      out$reason[j] <- "not in the dictionary"
    }
  }
  out
}

# The round of every records row: values (character, NA allowed), levels
# in order and the source column.
redcap_rounds <- function(rec, round, call) {
  src <- "none"
  if (!is.null(round)) {
    if (!round %in% names(rec)) {
      abort("{.arg round} must name a column of {.arg records}; {.field {round}} is not one.",
            call = call)
    }
    src <- round
  } else if ("redcap_event_name" %in% names(rec) &&
             any(!is.na(rec$redcap_event_name))) {
    src <- "redcap_event_name"
  } else if ("redcap_repeat_instance" %in% names(rec) &&
             any(!is.na(rec$redcap_repeat_instance))) {
    src <- "redcap_repeat_instance"
  }
  if (src == "none") {
    return(list(values = rep("1", nrow(rec)), levels = "1", source = "none"))
  }
  v <- trimws(rec[[src]])
  v[!is.na(v) & !nzchar(v)] <- NA_character_
  u <- unique(v[!is.na(v)])
  num <- suppressWarnings(as.numeric(u))
  if (length(u) > 0L && !anyNA(num)) {
    v <- ifelse(is.na(v), NA_character_, level_text(suppressWarnings(as.numeric(v))))
    lv <- level_text(sort(unique(num)))
  } else {
    lv <- u
  }
  list(values = v, levels = lv, source = src)
}

redcap_where <- function(id, round, source) {
  if (source == "none") sprintf("record %s", id) else sprintf("record %s, round %s", id, round)
}

# ---------------------------------------------------------------------------
# Values

# Single-choice values (codes or labels) -> labels; problems collected.
redcap_decode_choice <- function(v, choices, field, where) {
  v <- trimws(v)
  present <- !is.na(v) & nzchar(v)
  vc <- sub("^(-?[0-9]+)\\.0+$", "\\1", v)
  code_i <- match(vc, choices$code)
  label_i <- match(redcap_strip_html(v), choices$label)
  label_i[!present] <- NA_integer_
  n_code <- sum(!is.na(code_i[present]))
  n_label <- sum(!is.na(label_i[present]))
  if (!any(present)) {
    return(list(value = rep(NA_character_, length(v)), mode = NA_character_,
                problems = NULL))
  }
  mode <- if (n_code >= n_label) "codes" else "labels"
  idx <- if (mode == "codes") code_i else label_i
  bad <- which(present & is.na(idx))
  problems <- NULL
  if (length(bad) > 0L) {
    problems <- data.frame(
      field = field, row = bad, where = where(bad), value = v[bad],
      choices = if (mode == "codes") paste(choices$code, collapse = ", ") else
        paste0("\"", choices$label, "\"", collapse = ", "),
      kind = if (mode == "codes") "choice" else "choice label",
      stringsAsFactors = FALSE
    )
  }
  list(value = choices$label[idx], mode = mode, problems = problems)
}

redcap_decode_checkbox <- function(v, field, code, where) {
  v <- trimws(v)
  present <- !is.na(v) & nzchar(v)
  vc <- sub("^(-?[0-9]+)\\.0+$", "\\1", v)
  out <- rep(NA, length(v))
  raw <- vc %in% c("0", "1")
  lab <- tolower(v) %in% c("checked", "unchecked")
  out[raw] <- vc[raw] == "1"
  out[lab] <- tolower(v[lab]) == "checked"
  bad <- which(present & !raw & !lab)
  mode <- if (!any(present)) NA_character_ else if (sum(raw) >= sum(lab)) "codes" else "labels"
  problems <- NULL
  if (length(bad) > 0L) {
    problems <- data.frame(
      field = redcap_checkbox_column(field, code), row = bad, where = where(bad),
      value = v[bad], choices = "1, 0 (or Checked, Unchecked)",
      kind = "checkbox value", stringsAsFactors = FALSE
    )
  }
  list(value = out, mode = mode, problems = problems)
}

redcap_abort_invalid <- function(problems, call) {
  p <- problems[seq_len(min(5L, nrow(problems))), , drop = FALSE]
  lines <- sprintf("Field `%s` (%s): value \"%s\" is not a %s (%s).", p$field,
                   p$where, p$value, p$kind, p$choices)
  names(lines) <- rep("x", length(lines))
  n <- nrow(problems)
  fields <- length(unique(problems$field))
  abort(c("Every value of a single-choice field must be one of its choices.",
          redcap_cli_escape(lines),
          "i" = "{n} invalid value{?s} in {fields} field{?s}{if (n > 5L) ' (the first 5 shown)' else ''}.",
          "i" = "Use {.code invalid = \"missing\"} to read them as missing and list them in {.code report$invalid}."),
        call = call)
}

redcap_cli_escape <- function(x) gsub("\\}", "}}", gsub("\\{", "{{", x))

# Why a field type or a REDCap column is not read as ratings.
redcap_type_reasons <- c(
  calc = "calculated field: derived from other fields",
  file = "file upload field",
  sql = "sql field: its choices come from a database query, not the dictionary",
  slider = "slider field: a number (0-100), not a choice scale",
  descriptive = "descriptive field: holds no data",
  checkbox = "checkbox field exported as one column: expected one column per choice"
)
redcap_column_reasons <- c(
  redcap_event_name = "REDCap event (not the round)",
  redcap_repeat_instance = "REDCap repeat instance (not the round)",
  redcap_repeat_instrument = "REDCap repeating instrument name",
  redcap_data_access_group = "used: data access group, in respondents",
  redcap_survey_identifier = "REDCap survey identifier"
)
redcap_reason <- function(reasons, key, otherwise) {
  if (key %in% names(reasons)) reasons[[key]] else otherwise
}
