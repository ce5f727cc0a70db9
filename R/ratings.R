#' Read ratings in the shape you have them
#'
#' `as_ratings()` reads ratings once into the object every analysis of the
#' package works from: the integer level codes (or the counts), the scale,
#' the item metadata and a table of respondents (their id and every
#' respondent-level column: stakeholder group, round, setting...). Every
#' analysis calls it on its input, so you rarely need to call it yourself;
#' it is useful to read once, see what was read, and reuse. `by` and `round`
#' are chosen when analysing, from the respondent table.
#'
#' @section Shapes:
#' The shape is read from what you declared:
#' * **long** when the columns named by `respondent`, `item` and `rating`
#'   exist (one row per respondent and item). Columns constant within each
#'   item (e.g. a thematic area) become item metadata; columns constant
#'   within each respondent (e.g. stakeholder group) go to the respondent
#'   table.
#' * **counts** when the columns named by `item`, `level` and `count` exist
#'   (one row per item and level, as in a published table), optionally `n`
#'   (the stated denominator). Columns that vary within an item (e.g. a group
#'   or round column of a [tally_ratings()] result) are strata that `by` and
#'   `round` can choose from.
#' * **wide** otherwise: one row per respondent, one column per item. The
#'   items are the columns named by `items`; without `items`, every column
#'   except the respondent id, `by`, `round` and columns unlike the ratings
#'   (text beside numeric ratings, or numbers beside text ratings), which
#'   go to the respondent table.
#'
#' Data that look long but lack the named columns (two columns that repeat
#' and together identify the rows) are an error that asks for `respondent`,
#' `item` and `rating`; a column name you gave that does not exist is an
#' error that lists the columns.
#'
#' @section What is said:
#' When `as_ratings()` decides something you did not say (the shape, which
#' columns are items, which column identifies respondents, the scale and its
#' order), it says so in one message, e.g. "Read 2 items (Pain, Fatigue)
#' from wide data; respondents from column `id`; scale 1 < 2 < ... < 9 from
#' the numbers". Silence it with `quiet = TRUE` or
#' `options(consensr.quiet = TRUE)`. A wide column that looks like an
#' identifier (named like `id`, `pid`, `record_id`, `participant`, or with
#' distinct text or values outside the scale) is taken as the respondent id,
#' never as an item.
#'
#' @section The scale:
#' The levels, in order, come from `levels`, else from an ordered factor,
#' else from haven/labelled value labels (in code order), else from the
#' sorted numbers seen. A plain factor (its levels), text ratings and counts
#' with text levels (order of first appearance) are read in the order shown
#' in the message: give `levels` when that order is not the scale's. A
#' numeric scale inferred from more than 11 distinct values or with gaps
#' (1, 2, 4) gets a warning that asks for `levels`.
#'
#' Numbers are matched as numbers (`-0` is 0; `Inf` is not a level), factors
#' through their labels and text as text, in C, in one pass. A rating that
#' is not a level is an error naming the value, the column and the row of
#' your data.
#'
#' @section Non-answers:
#' `NA` means "not rated". Answers that are not part of the scale, such as
#' "Unable to score" or a code 99, are declared with `missing_levels`: they
#' never become a level, are left out of the item's denominator like `NA`,
#' are counted per item (`n_missing_level` in [tally_ratings()] and
#' [consensus()]), and the panellist still counts as having answered (see
#' [attrition()]).
#'
#' @param x Ratings: a data frame (tibble, data.table or grouped tibble:
#'   its groups become `by`), a respondents x items matrix (row names are
#'   the ids, column names the items), a [tally_ratings()] result, a
#'   [read_redcap()] import (its rounds, respondent fields and item metadata
#'   come along) or a `consensr_ratings` object.
#' @param ... Unused; an error when not empty.
#' @param respondent,item,rating Names of the columns that identify the
#'   respondent, the item and the rating (long data). `item` also names the
#'   item column of counts and of `item_data`; `respondent` the identifier
#'   column of wide data.
#' @param levels The scale's levels in order (character or numeric).
#' @param items Wide data: the item columns, as names or positions.
#' @param item_data Item metadata: a data frame with a column named by `item`
#'   (one row per item), or, for long data and counts, the names of columns
#'   of `x` constant within each item. `NULL` keeps every such column.
#' @param by Optional name of a respondent-level column (a stratum of
#'   counts) that puts respondents into groups.
#' @param round Optional name of the column that holds the Delphi round: a
#'   respondent then rates an item at most once per round, and analyses are
#'   made round by round.
#' @param missing_levels Answers that are not part of the scale (e.g.
#'   `"Unable to score"`, `99`): see "Non-answers".
#' @param format One of `"auto"`, `"long"`, `"wide"`, `"counts"`.
#' @param quiet If `TRUE`, say nothing about what was read.
#' @return An object of class `consensr_ratings`, a list: `levels` (the
#'   scale), `missing_levels`, `items` (item names and metadata), and either
#'   `codes` (integer matrix, one row per respondent (and round) x items, of
#'   level codes or `NA`), `respondents` (their ids) and `resp` (the
#'   respondent table), or `counts` (integer array `[level, stratum, item]`),
#'   `n` (`[stratum, item]`) and `strata` (the strata table); `by`, `round`
#'   and `format`.
#' @seealso [tally_ratings()], [consensus()]
#' @examples
#' long <- data.frame(
#'   respondent = rep(c("A", "B", "C"), each = 2),
#'   item = rep(c("Q1", "Q2"), 3),
#'   rating = c("Agree", "Agree", "Disagree", NA, "Agree", "Neutral")
#' )
#' r <- as_ratings(long, levels = c("Disagree", "Neutral", "Agree"))
#' r
#'
#' # wide: the id column and the scale are found and reported
#' wide <- data.frame(id = 1:4, Q1 = c(9, 8, 7, 3), Q2 = c(5, NA, 9, 9))
#' as_ratings(wide, levels = 1:9)
#'
#' # declared non-answers
#' cos <- data.frame(pid = 1:5, Pain = c(9, 8, 99, 7, NA))
#' as_ratings(cos, respondent = "pid", levels = 1:9, missing_levels = 99)
#'
#' counts <- data.frame(
#'   item = rep(c("Q1", "Q2"), each = 2),
#'   level = rep(c("Yes", "No"), 2),
#'   count = c(18, 6, 17, 7)
#' )
#' as_ratings(counts, levels = c("Yes", "No"))
#' @export
as_ratings <- function(x, ...) {
  UseMethod("as_ratings")
}

# Errors name the function the user called: as_ratings() itself, or the
# package function that read its `x` with it.
user_call <- function(frame, here) {
  if (identical(topenv(frame), topenv())) frame else here
}

#' @export
as_ratings.default <- function(x, ...) {
  call <- user_call(parent.frame(), rlang::current_env())
  abort(c("{.arg x} must be a data frame, a matrix of ratings or a {.cls consensr_ratings} object, not {.obj_type_friendly {x}}.",
          "i" = "Long data: one row per respondent and item; wide data: one row per respondent."),
        call = call, class = "consensr_error_input")
}

#' @rdname as_ratings
#' @export
as_ratings.data.frame <- function(x, ..., respondent = "respondent",
                                  item = "item", rating = "rating",
                                  levels = NULL, items = NULL,
                                  item_data = NULL, by = NULL, round = NULL,
                                  missing_levels = NULL,
                                  format = c("auto", "long", "wide", "counts"),
                                  quiet = getOption("consensr.quiet", FALSE)) {
  call <- user_call(parent.frame(), rlang::current_env())
  check_dots_empty(..., call = call)
  check_string(item, "item", call = call)
  check_string(respondent, "respondent", call = call)
  check_string(rating, "rating", call = call)
  if (!is.null(by)) check_string(by, "by", call = call)
  if (!is.null(round)) check_string(round, "round", call = call)
  check_flag(quiet, "quiet", call = call)
  format <- classed_arg(rlang::arg_match(format, error_call = call))
  notes <- character()

  gv <- group_vars_of(x)
  if (length(gv) > 0L) {
    if (length(gv) > 1L) {
      abort(c("{.arg x} is grouped by {length(gv)} columns ({.field {gv}}); an analysis groups by one.",
              "i" = "{.fn ungroup} and give {.arg by} (the stakeholder groups) and {.arg round} (the round column), or combine them into one column."),
            call = call, class = "consensr_error_input")
    }
    if (!is.null(by) && !identical(by, gv)) {
      abort("{.arg x} is grouped by {.field {gv}}, but {.arg by} is {.val {by}}.",
            call = call, class = "consensr_error_input")
    }
    if (is.null(by)) notes <- c(notes, sprintf("grouped by `%s` (from the data's groups)", gv))
    by <- gv
  }
  is_tally <- inherits(x, "consensr_tally")
  if (is_tally) {
    format <- "counts"
    if (is.null(round)) round <- attr(x, "round")
  }
  x <- plain_df(x)
  dup <- unique(names(x)[duplicated(names(x))])
  if (length(dup) > 0L) {
    abort(c("{.arg x} must have unique column names.",
            "x" = "{.field {dup}} appear{?s/} more than once."),
          call = call, class = "consensr_error_input")
  }
  given <- c(respondent = !missing(respondent), item = !missing(item),
             rating = !missing(rating))
  named <- c(respondent = respondent, item = item, rating = rating)
  absent <- named[given & !named %in% names(x)]
  if (length(absent) > 0L) {
    abort(c("{.arg x} has no column {.field {absent}} (given as {.arg {names(absent)}}).",
            "i" = did_you_mean(absent[[1L]], names(x)),
            "i" = "Its columns are {.field {names(x)}}."),
          call = call, class = "consensr_error_column")
  }
  for (arg in c("by", "round")) {
    col <- get(arg)
    if (!is.null(col) && !col %in% names(x)) {
      abort(c("{.arg x} has no column {.field {col}} (given as {.arg {arg}}).",
              "i" = did_you_mean(col, names(x)),
              "i" = "Its columns are {.field {names(x)}}."),
            call = call, class = "consensr_error_column")
    }
  }

  if (format == "auto") {
    format <- if (all(c(item, "level", "count") %in% names(x))) {
      "counts"
    } else if (item %in% names(x) && any(c(respondent, rating) %in% names(x))) {
      "long"
    } else {
      check_not_long(x, items, c(by, round), call)
      "wide"
    }
  }
  scale <- new_scale_args(levels, missing_levels, call)
  r <- switch(format,
    long = ratings_long(x, respondent, item, rating, scale, item_data, round, call),
    wide = ratings_wide(x, respondent, given[["respondent"]], items, scale,
                        item_data, item, by, round, call),
    counts = ratings_counts(x, item, scale, item_data, round, call)
  )
  r$round <- round
  if (!is.null(by)) r <- set_by(r, by, call)
  # the groups of a grouped tibble (or `by` given when reading) are the
  # analyses' `by`
  if (!is.null(by)) r$by_data <- by
  if (length(gv) > 0L) r$grouped_df <- TRUE
  notes <- c(r$notes, notes)
  r$notes <- NULL
  if (!quiet && length(notes) > 0L) say_read(notes)
  r
}

#' @rdname as_ratings
#' @export
as_ratings.matrix <- function(x, ..., levels = NULL, missing_levels = NULL,
                              by = NULL, round = NULL,
                              quiet = getOption("consensr.quiet", FALSE)) {
  call <- user_call(parent.frame(), rlang::current_env())
  check_dots_empty(..., call = call)
  if (!is.null(by) || !is.null(round)) {
    abort(c("A matrix of ratings has no respondent columns for {.arg {if (!is.null(by)) 'by' else 'round'}}.",
            "i" = "Give a data frame with the ratings and the group or round columns."),
          call = call, class = "consensr_error_by")
  }
  check_flag(quiet, "quiet", call = call)
  if (!typeof(x) %in% c("logical", "integer", "double", "character")) {
    abort("A matrix of ratings must hold numbers or text, not {.cls {typeof(x)}}.",
          call = call, class = "consensr_error_input")
  }
  if (nrow(x) == 0L || ncol(x) == 0L) {
    abort("{.arg x} has no ratings: {nrow(x)} row{?s} and {ncol(x)} column{?s}.",
          call = call, class = "consensr_error_input")
  }
  notes <- character()
  cols <- colnames(x)
  if (is.null(cols)) {
    cols <- paste0("item", seq_len(ncol(x)))
    notes <- c(notes, "items named item1, item2, ... (the matrix has no column names)")
  }
  check_item_names(cols, call)
  ids <- rownames(x)
  if (is.null(ids)) ids <- as.character(seq_len(nrow(x)))
  if (anyDuplicated(ids)) {
    abort(c("A matrix of ratings must have one row per respondent.",
            "x" = "Repeated row name{?s}: {.val {head_text(unique(ids[duplicated(ids)]))}}."),
          call = call, class = "consensr_error_input")
  }
  scale <- resolve_scale(new_scale_args(levels, missing_levels, call),
                         list(as.vector(x)), call)
  enc <- encode_wide(x, scale, function(j, i) sprintf("column %s, row %s", cols[j], i), call,
                     names = cols)
  r <- new_ratings(scale, data.frame(item = cols, stringsAsFactors = FALSE),
                   codes = enc$codes, resp = data.frame(respondent = ids, stringsAsFactors = FALSE),
                   nonanswer = enc$nonanswer, tally0 = enc$counts, format = "matrix")
  notes <- c(sprintf("Read %s from a matrix", items_note(cols)), notes, scale$note,
             if (enc$blank > 0) blank_note(enc$blank))
  if (!quiet) say_read(notes)
  r
}

#' @rdname as_ratings
#' @export
as_ratings.consensr_ratings <- function(x, ..., levels = NULL,
                                        missing_levels = NULL, by = NULL,
                                        round = NULL) {
  call <- user_call(parent.frame(), rlang::current_env())
  reading <- c("respondent", "item", "rating", "items", "item_data", "format", "quiet")
  dots <- list(...)
  extra <- setdiff(names(dots), reading)
  if (length(dots) > 0L && (is.null(names(dots)) || length(extra) > 0L)) {
    abort(c("Unknown argument{?s} for ratings already read: {.arg {if (length(extra)) extra else '...'}}.",
            "i" = "Check the spelling, or give it to the analysis function."),
          call = call, class = "consensr_error_argument")
  }
  if (!is.null(levels) && !identical(check_levels(levels, call = call), x$levels)) {
    abort(c("{.arg levels} differ from the scale the ratings were read with.",
            "i" = "The scale is {.val {x$levels}}."),
          call = call, class = "consensr_error_argument")
  }
  if (!is.null(missing_levels) &&
      !identical(as.character(missing_levels), x$missing_levels)) {
    read_with <- if (length(x$missing_levels)) x$missing_levels else "none"
    abort("{.arg missing_levels} differ from those the ratings were read with ({.val {read_with}}).",
          call = call, class = "consensr_error_argument")
  }
  if (!is.null(round)) {
    check_string(round, "round", call = call)
    check_columns(ratings_units(x), round, arg = if (!has_codes(x)) "strata" else "respondents",
                  call = call)
    x$round <- round
  }
  if (!is.null(by)) x <- set_by(x, by, call)
  x
}

#' @rdname as_ratings
#' @export
as_ratings.consensr_redcap <- function(x, ..., by = NULL, round = NULL,
                                       missing_levels = NULL) {
  call <- user_call(parent.frame(), rlang::current_env())
  check_dots_empty(..., call = call)
  d <- x$ratings
  rounds <- if ("round" %in% names(d)) "round"
  if (!is.null(round) && !identical(round, "round")) {
    abort("A REDCap import holds its rounds in the column {.field round}, not {.val {round}}.",
          call = call, class = "consensr_error_argument")
  }
  r <- as_ratings(d, levels = x$levels, round = rounds,
                  missing_levels = missing_levels, quiet = TRUE)
  # respondent-level fields of the import join the respondent table
  resp_fields <- x$respondents
  if (is.data.frame(resp_fields) && nrow(resp_fields) > 0L) {
    keys <- intersect(c("respondent", rounds), names(resp_fields))
    k_have <- do.call(paste, c(lapply(keys, function(k) as.character(r$resp[[k]])), sep = "\r"))
    k_new <- do.call(paste, c(lapply(keys, function(k) as.character(resp_fields[[k]])), sep = "\r"))
    at <- match(k_have, k_new)
    for (col in setdiff(names(resp_fields), names(r$resp))) {
      r$resp[[col]] <- resp_fields[[col]][at]
    }
  }
  r$format <- "redcap"
  if (!is.null(by)) r <- set_by(r, by, call)
  r
}

#' @export
as_ratings.consensr_tally <- function(x, ...) {
  as_ratings.data.frame(x, ...)
}

new_ratings <- function(scale, items, codes = NULL, resp = NULL,
                        counts = NULL, n = NULL, strata = NULL,
                        nonanswer = NULL, tally0 = NULL, format, notes = NULL) {
  structure(
    list(levels = scale$levels, missing_levels = scale$missing,
         items = items, codes = codes,
         respondents = if (!is.null(resp)) as.character(resp[[1L]]),
         resp = resp, group = NULL, counts = counts, n = n, strata = strata,
         nonanswer = nonanswer, tally0 = tally0, by = NULL, round = NULL,
         format = format, notes = notes),
    class = "consensr_ratings"
  )
}

# The table `by` and `round` are chosen from: respondents (codes) or strata.
ratings_units <- function(r) if (has_codes(r)) r$resp else r$strata

# Groups for `by`, from the respondent table (or the strata of counts).
set_by <- function(r, by, call) {
  check_string(by, "by", call = call)
  units <- ratings_units(r)
  if (by %in% r$varying) {
    abort(c("The {.arg by} column {.field {by}} must be constant within each respondent{if (!is.null(r$round)) ' and round' else ''}.",
            "x" = "It varies within respondents, so it can't put them into groups."),
          call = call, class = "consensr_error_by")
  }
  if (is.null(units) || !by %in% names(units)) {
    have <- setdiff(names(units), names(units)[1L])
    if (!has_codes(r)) have <- names(units)
    abort(c("{.arg by} must name a column that holds each respondent's group; {.field {by}} is not one.",
            "i" = if (length(have)) "Respondent-level columns: {.field {have}}." else
              "The ratings have no respondent-level columns.",
            "i" = if (has_codes(r)) "A column that varies within a respondent can't be a group."),
          call = call, class = "consensr_error_by")
  }
  v <- units[[by]]
  if (!is.atomic(v) || is.null(v)) {
    abort("The {.arg by} column {.field {by}} must hold one value per respondent, not {.obj_type_friendly {v}}.",
          call = call, class = "consensr_error_by")
  }
  if (anyNA(v)) {
    who <- if (has_codes(r)) paste("respondent", r$respondents[is.na(v)]) else
      paste("stratum", which(is.na(v)))
    abort(c("The {.arg by} column {.field {by}} can't hold missing values.",
            "x" = "Missing for {head_text(who)}."),
          call = call, class = "consensr_error_by")
  }
  if (!has_codes(r)) {
    r$by <- by
    return(r)
  }
  r$group <- if (is.factor(v)) droplevels(v) else factor(v)
  r$by <- by
  r
}

check_dots_empty <- function(..., call) {
  dots <- list(...)
  if (length(dots) > 0L) {
    nm <- names(dots)
    shown <- if (is.null(nm)) rep("", length(dots)) else nm
    shown[!nzchar(shown)] <- "(unnamed)"
    abort(c("Unknown argument{?s} {.arg {shown}}.",
            "i" = "Check the spelling; the reading arguments are {.arg respondent}, {.arg item}, {.arg rating}, {.arg levels}, {.arg items}, {.arg item_data}, {.arg by}, {.arg round}, {.arg missing_levels}, {.arg format}."),
          call = call, class = "consensr_error_argument")
  }
}

# A data frame with only names and row names (data.table, tibble and
# grouped tibble alike); the columns are not copied.
plain_df <- function(x) {
  n <- .row_names_info(x, 2L)
  attributes(x) <- list(names = names(x), row.names = .set_row_names(n),
                        class = "data.frame")
  x
}

group_vars_of <- function(x) {
  if (!inherits(x, "grouped_df")) return(character())
  g <- attr(x, "groups")
  if (!is.data.frame(g)) return(character())
  setdiff(names(g), ".rows")
}

say_read <- function(notes) {
  msg <- paste(notes, collapse = "; ")
  msg <- paste0(toupper(substr(msg, 1L, 1L)), substring(msg, 2L))
  cli::cli_inform(c("i" = "{msg}."), class = "consensr_message_read")
}

items_note <- function(items) {
  m <- length(items)
  sprintf("%d item%s (%s)", m, if (m == 1L) "" else "s",
          paste(head_text(items, 6L), collapse = ", "))
}

# ---------------------------------------------------------------------------
# The scale

new_scale_args <- function(levels, missing_levels, call) {
  lv <- if (!is.null(levels)) check_levels(levels, call = call)
  miss <- NULL
  if (!is.null(missing_levels)) {
    if (!is.atomic(missing_levels) || length(missing_levels) == 0L ||
        anyNA(missing_levels)) {
      abort("{.arg missing_levels} must be a vector of the answers that are not on the scale, e.g. {.code \"Unable to score\"} or {.code 99}.",
            call = call, class = "consensr_error_argument")
    }
    miss <- unique(level_text(missing_levels))
    if (any(grepl("^\\s*$", miss))) {
      abort(c("{.arg missing_levels} can't hold an empty string.",
              "i" = "Empty text cells are read as not rated (like {.code NA}): the panellist gave no answer."),
            call = call, class = "consensr_error_argument")
    }
    both <- intersect(miss, lv)
    if (length(both) > 0L) {
      abort("{.arg missing_levels} can't also be levels of the scale: {.val {both}}.",
            call = call, class = "consensr_error_argument")
    }
  }
  list(levels = lv, missing = miss)
}

# Levels: unique, non-missing, non-empty.
check_levels <- function(levels, call = rlang::caller_env()) {
  if (is.factor(levels)) levels <- as.character(levels)
  if (!is.atomic(levels) || length(levels) == 0L) {
    abort("{.arg levels} must be a non-empty vector of the scale's levels in order.",
          call = call, class = "consensr_error_argument")
  }
  lv <- level_text(levels)
  if (anyNA(lv) || any(!nzchar(lv))) {
    abort("{.arg levels} can't hold missing or empty values.", call = call,
          class = "consensr_error_argument")
  }
  if (anyDuplicated(lv)) {
    abort("{.arg levels} must be unique; {.val {unique(lv[duplicated(lv)])}} {?is/are} repeated.",
          call = call, class = "consensr_error_argument")
  }
  lv
}

# Numbers as the text users write them: 7 -> "7", 1e5 -> "100000", 2.5 -> "2.5".
level_text <- function(v) {
  if (is.factor(v)) return(as.character(v))
  if (!is.numeric(v)) return(as.character(v))
  if (is.integer(v)) return(as.character(v)) # exact, and fast
  out <- as.character(v)
  whole <- !is.na(v) & is.finite(v) & v == trunc(v) & abs(v) < 1e15
  out[whole] <- formatC(v[whole], format = "f", digits = 0)
  out[whole & v == 0] <- "0"
  out
}

is_labelled <- function(v) inherits(v, "haven_labelled") && !is.null(attr(v, "labels"))

# The scale of the ratings: list(levels, missing, all (levels then the
# non-answers, as text), num (their numeric values, NaN for text), K, note).
resolve_scale <- function(scale, values, call) {
  lv <- scale$levels
  num_values <- NULL
  note <- NULL
  if (is.null(lv)) {
    values <- Filter(function(v) !(is.logical(v) && all(is.na(v))), values)
    if (length(values) == 0L) {
      abort(c("No rating is given, so the scale is unknown.",
              "i" = "Give the scale with {.arg levels}."),
            call = call, class = "consensr_error_scale")
    }
    kinds <- vapply(values, rating_kind, character(1))
    if (any(kinds == "list")) {
      abort("Ratings must be atomic, not a list column.", call = call,
            class = "consensr_error_input")
    }
    if (length(unique(kinds)) > 1L) {
      abort(c("The rating columns mix {.val {unique(kinds)}} values, so the scale is unknown.",
              "i" = "Give the scale with {.arg levels}."),
            call = call, class = "consensr_error_scale")
    }
    kind <- kinds[[1L]]
    if (kind %in% c("factor", "ordered", "labelled")) {
      lvs <- lapply(values, function(v) {
        if (kind == "labelled") {
          lab <- attr(v, "labels")
          lab <- lab[order(unclass(lab))]
          list(names(lab), as.double(unclass(lab)))
        } else base::levels(v)
      })
      if (length(unique(lvs)) > 1L) {
        sig <- vapply(lvs, function(l) paste(unlist(l), collapse = "\r"), "")
        odd <- names(values)[sig != names(sort(table(sig), decreasing = TRUE))[1L]]
        abort(c("The {if (kind == 'labelled') 'value labels' else 'factor levels'} of the rating columns differ.",
                "x" = if (length(odd)) "{.field {odd}} differ{?s/} from the others.",
                "i" = "Give the scale with {.arg levels}, or the item columns with {.arg items}."),
              call = call, class = "consensr_error_scale")
      }
      if (kind == "labelled") {
        lv <- lvs[[1L]][[1L]]
        num_values <- lvs[[1L]][[2L]]
        keep <- !level_text(num_values) %in% scale$missing & !lv %in% scale$missing
        lv <- lv[keep]
        num_values <- num_values[keep]
      } else {
        lv <- setdiff(lvs[[1L]], scale$missing)
        if (kind == "factor") {
          note <- sprintf("scale %s from the factor levels (give `levels` if that is not the order)",
                          scale_text(lv))
        }
      }
      lv <- check_levels(lv, call = call)
    } else if (kind == "number") {
      seen <- sort(unique(unlist(lapply(values, function(v) unique(v[!is.na(v)])))))
      seen <- seen[!level_text(seen) %in% scale$missing]
      if (length(seen) == 0L) {
        abort(c("No rating is given, so the scale is unknown.",
                "i" = "Give the scale with {.arg levels}."),
              call = call, class = "consensr_error_scale")
      }
      # Inf is never a level: it is reported with its row when encoding
      seen <- seen[is.finite(seen)]
      if (length(seen) == 0L) seen <- 0
      lv <- level_text(seen)
      num_values <- seen
      note <- sprintf("scale %s from the numbers", scale_text(lv))
      whole <- all(seen == trunc(seen))
      gaps <- whole && length(seen) > 1L && any(diff(seen) > 1)
      unseen <- if (gaps) setdiff(seq(min(seen), max(seen)), seen)
      odd <- !whole && any(seen == trunc(seen))
      codes_na <- seen[seen %in% c(-99, -98, -9, -8, -1, 77, 88, 96, 97, 98, 99, 777, 888, 999, 9999)]
      rest <- setdiff(seen, codes_na)
      suggest <- if (length(codes_na) > 0L && length(rest) > 1L && max(rest) < min(codes_na[codes_na > 0], Inf)) {
        sprintf("levels = %s, missing_levels = %s", deparse_levels(rest),
                if (length(codes_na) == 1L) format(codes_na) else paste(deparse(codes_na), collapse = ""))
      } else {
        sprintf("levels = %s", deparse_levels(seen))
      }
      if (length(seen) > 11L || gaps || odd) {
        cli::cli_warn(c("The scale {scale_text(lv)} was read from the numbers seen{if (gaps) paste0(', which leave gaps (no ', paste(head_text(unseen), collapse = ', '), ')') else ''}{if (odd) ', some of them not whole' else ''}{if (length(seen) > 11L) paste0(' (', length(seen), ' distinct values)') else ''}.",
                        "i" = "Give the scale with {.arg levels} and declare codes that are not answers with {.arg missing_levels}, e.g. {.code {suggest}}."),
                      class = "consensr_warning_scale")
      }
    } else {
      seen <- unique(unlist(lapply(values, function(v) {
        v <- as.character(unique(v))
        v[!is.na(v) & !grepl("^\\s*$", v)]
      })))
      seen <- setdiff(seen, scale$missing)
      as_num <- suppressWarnings(as.double(seen))
      if (any(is.na(as_num)) && any(!is.na(as_num))) {
        txt <- seen[is.na(as_num)]
        nums <- level_text(sort(as_num[!is.na(as_num)]))
        show <- function(v) paste(c(encodeString(utils::head(v, 4L), quote = '"'),
                                    if (length(v) > 4L) "..."), collapse = ", ")
        nums_text <- show(nums)
        txt_text <- show(txt)
        abort(c("The ratings mix numbers ({nums_text}) and text ({txt_text}), so the scale is unknown.",
                "i" = "Give the scale with {.arg levels} and declare answers that are not on it with {.arg missing_levels}, e.g. {.code levels = 1:9, missing_levels = \"Unable to score\"}.",
                "i" = "A text column that is not an item (e.g. a stakeholder group) is left out when {.arg levels} is given, or name the items with {.arg items}."),
              call = call, class = "consensr_error_scale")
      }
      if (length(seen) > 0L && !anyNA(as_num)) {
        lv <- check_levels(seen[order(as_num)], call = call)
        note <- sprintf("scale %s from the numbers (written as text)", scale_text(lv))
      } else {
        lv <- check_levels(seen, call = call)
        note <- sprintf("scale %s in order of first appearance (give `levels` to set the order)",
                        scale_text(lv))
      }
    }
  }
  all <- c(lv, scale$missing)
  if (is.null(num_values)) {
    num <- suppressWarnings(as.double(all))
  } else {
    num <- c(num_values, suppressWarnings(as.double(scale$missing)))
  }
  list(levels = lv, missing = scale$missing, all = all,
       num = num, K = length(lv), note = note)
}

deparse_levels <- function(seen) {
  if (all(seen == trunc(seen)) && length(seen) > 1L) {
    paste0(format(min(seen), scientific = FALSE), ":", format(max(seen), scientific = FALSE))
  } else {
    paste(deparse(seen), collapse = "")
  }
}

scale_text <- function(lv) {
  if (length(lv) > 6L) lv <- c(lv[1:3], "...", lv[length(lv)])
  paste(lv, collapse = " < ")
}

rating_kind <- function(v) {
  if (is.list(v)) return("list")
  if (is_labelled(v)) return("labelled")
  if (is.ordered(v)) return("ordered")
  if (is.factor(v)) return("factor")
  if (is.numeric(v)) return("number")
  if (is.logical(v)) return("number")
  "text"
}

# ---------------------------------------------------------------------------
# Encoding (C)

# Arguments of the C coder for one column.
column_map <- function(v, scale) {
  if (is.factor(v)) return(match(base::levels(v), scale$all, nomatch = 0L))
  NULL
}

column_data <- function(v, call, where) {
  if (is.list(v) || !is.atomic(v) || is.complex(v) || is.raw(v)) {
    abort("Ratings must be numbers, text or factors; {where} holds {.obj_type_friendly {v}}.",
          call = call, class = "consensr_error_input")
  }
  if (is.factor(v)) return(v)
  if (is.character(v)) return(enc2utf8(v))
  if (is_labelled(v) || inherits(v, "haven_labelled")) return(as.vector(unclass(v)))
  v
}

# Wide ratings (a list of columns or a matrix) -> codes, counts, non-answers;
# an error for any value that is not a level.
encode_wide <- function(cols, scale, where, call, names = colnames(cols)) {
  if (is.matrix(cols)) {
    data <- if (is.character(cols)) enc2utf8(cols) else cols
    maps <- list(NULL)
    identity <- FALSE
  } else {
    names <- names(cols)
    data <- lapply(seq_along(cols), function(j) {
      column_data(cols[[j]], call, sprintf("column {.field %s}", names[j]))
    })
    maps <- lapply(data, column_map, scale = scale)
    # plain integer columns on the scale 1..K are their own codes
    identity <- length(scale$missing) == 0L &&
      identical(scale$num, as.double(seq_len(scale$K))) &&
      all(vapply(data, function(v) is.integer(v) && !is.factor(v) &&
                   is.null(attributes(v)), logical(1)))
  }
  if (is.null(names)) names <- character(length(maps))
  res <- .Call(ffi_read_wide, data, maps, scale$num, scale$all, scale$K,
               as.character(names), identity)
  bad <- which(res[[5L]] > 0L)
  if (length(bad) > 0L) {
    found <- unlist(lapply(bad, function(j) {
      v <- if (is.matrix(data)) data[, j] else data[[j]]
      codes <- .Call(ffi_encode, v, if (is.matrix(data)) NULL else maps[[j]], scale$num, scale$all)
      all_rows <- which(!is.na(codes) & codes == 0L)
      rows <- utils::head(all_rows, 5L)
      vals <- level_text(if (is.factor(v)) as.character(v[rows]) else v[rows])
      out <- sprintf("%s at %s", encodeString(vals, quote = "\""), where(j, rows))
      if (length(all_rows) > length(rows)) {
        out <- c(out, sprintf("%d more in column %s", length(all_rows) - length(rows),
                              if (is.matrix(data)) j else names[j]))
      }
      out
    }))
    rating_error(found, scale, call)
  }
  list(codes = res[[1L]], counts = res[[2L]],
       nonanswer = nonanswer(res[[3L]], res[[4L]]),
       cols = if (identity) data, blank = res[[6L]])
}

# The code matrix made (see `$.consensr_ratings`), for repeated use.
ratings_materialize <- function(r) {
  if (is.null(.subset2(r, "codes")) && !is.null(.subset2(r, "cols"))) {
    r$codes <- r$codes
    r$cols <- NULL
  }
  r
}

# Respondent-level ratings (codes), as opposed to counts.
has_codes <- function(r) !is.null(.subset2(r, "resp"))

# `r$codes` of ratings read from integer columns that are their own codes
# is made on first use (zero-copy reading: tallies don't need it).
#' @export
`$.consensr_ratings` <- function(x, name) {
  out <- .subset2(x, name)
  if (identical(name, "codes") && is.null(out) && !is.null(.subset2(x, "cols"))) {
    out <- .Call(ffi_cbind, .subset2(x, "cols"), .subset2(x, "items")$item)
  }
  out
}

# Long data lacks a column under its default name: say which argument names
# it, suggesting the first column not already taken (never chosen silently).
check_long_columns <- function(x, cols, call) {
  absent <- cols[!cols %in% names(x)]
  if (length(absent) == 0L) return(invisible())
  arg <- names(absent)[[1L]]
  free <- setdiff(names(x), cols)
  eg <- if (length(free) > 0L) sprintf('%s = "%s"', arg, free[[1L]]) else sprintf('%s = "..."', arg)
  abort(c("Read {.arg x} as long data (one row per rating), but it has no column {.field {absent}}.",
          "i" = "Name the {arg} column with {.arg {arg}}, e.g. {.code {eg}}.",
          "i" = "Its columns are {.field {names(x)}}."),
        call = call, class = "consensr_error_column")
}

nonanswer <- function(index, level) {
  if (length(index) == 0L) return(NULL)
  list(index = index, level = level)
}

rating_error <- function(found, scale, call) {
  hint <- if (length(scale$missing) == 0L) {
    "Declare answers that are not on the scale (e.g. {.val Unable to score}, {.val 99}) with {.arg missing_levels}."
  }
  # a value that differs from a level or non-answer only in case
  vals <- sub('^"(.*)" at .*$', "\\1", found)
  near <- c(scale$levels, scale$missing)
  case <- near[match(tolower(vals), tolower(near), nomatch = 0L)]
  if (length(case) > 0L) {
    hint <- sprintf("%s differs only in case from the declared %s.",
                    encodeString(vals[tolower(vals) %in% tolower(near)][1L], quote = '"'),
                    encodeString(case[1L], quote = '"'))
    hint <- gsub("([{}])", "\\1\\1", hint)
  }
  abort(c("Ratings must be one of the levels {.val {scale$levels}}{if (length(scale$missing)) ' or a declared non-answer' else ''}.",
          "x" = "Found {paste(found, collapse = ', ')}.",
          "i" = hint),
        call = call, class = "consensr_error_rating")
}

# ---------------------------------------------------------------------------
# Long data

ratings_long <- function(x, respondent, item, rating, scale, item_data, round,
                         call) {
  check_long_columns(x, c(respondent = respondent, item = item, rating = rating),
                     call)
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there are no ratings to read.", call = call,
          class = "consensr_error_input")
  }
  rv <- x[[respondent]]
  iv <- x[[item]]
  check_key_column(rv, "respondent", respondent, call)
  check_key_column(iv, "item", item, call)
  scale <- resolve_scale(scale, list(x[[rating]]), call)
  rv_data <- column_data(x[[rating]], call, sprintf("column {.field %s}", rating))
  map <- column_map(rv_data, scale)
  if (is.null(round)) {
    # respondents and items coded in C while reading, with no per-row keys
    res <- .Call(ffi_read_long_keys, key_data(rv), key_data(iv),
                 if (is.factor(iv)) nlevels(iv) else 0L, rv_data, map,
                 scale$num, scale$all, scale$K)
    first_row <- res[[9L]]
    keys <- if (is.factor(iv)) base::levels(iv) else level_text(iv[res[[10L]]])
    row_code <- NULL
    col_code <- NULL
  } else {
    # respondents x rounds and items coded once, by first appearance
    rk <- key_codes(rv)
    qv <- x[[round]]
    check_key_column(qv, "round", round, call)
    qk <- key_codes(qv)
    both <- key_codes(as.double(rk$codes) * (length(qk$first) + 1) + qk$codes)
    row_code <- both$codes
    first_row <- both$first
    ik <- item_codes(iv)
    keys <- ik$keys
    col_code <- ik$codes
    res <- .Call(ffi_read_long, row_code, length(first_row), col_code,
                 length(keys), rv_data, map, scale$num, scale$all, scale$K)
  }
  # per-row keys, made only when needed (other columns, errors)
  keys_per_row <- function() {
    if (is.null(row_code)) {
      row_code <<- key_codes(rv)$codes
      col_code <<- item_codes(iv)$codes
    }
  }
  check_item_names(keys, call, rows = function(k) which(level_text(iv) == k))
  if (res[[8L]] > 0) {
    keys_per_row()
    duplicate_error(x, res[[7L]], res[[8L]], row_code, col_code,
                    respondent, item, rating, round, call)
  }
  if (res[[6L]] > 0) {
    rows <- res[[5L]][seq_len(min(res[[6L]], 10))]
    v <- x[[rating]][rows]
    found <- sprintf("%s at row %d", encodeString(level_text(v), quote = "\""), rows)
    # on the round path, say which round the row belongs to
    if (!is.null(round)) found <- paste0(found, " (", round_label(round, level_text(x[[round]][rows])), ")")
    if (res[[6L]] > length(rows)) found <- c(found, sprintf("%s more", format(res[[6L]] - length(rows), big.mark = ",")))
    rating_error(found, scale, call)
  }
  tally0 <- res[[2L]]
  na <- nonanswer(res[[3L]], res[[4L]])
  n_blank <- res[[11L]]
  codes <- res[[1L]]
  rm(res) # the code matrix is then referenced once: named in place
  dimnames(codes) <- list(NULL, keys)

  used <- c(respondent, item, rating, round)
  others <- setdiff(names(x), used)
  if (length(others) > 0L) keys_per_row()
  resp_cols <- constant_within(x[others], row_code, first_row)
  resp <- data.frame(respondent = level_text(rv[first_row]), stringsAsFactors = FALSE)
  names(resp)[1L] <- "respondent"
  if (!is.null(round)) resp[[round]] <- x[[round]][first_row]
  for (col in setdiff(resp_cols, names(resp))) resp[[col]] <- x[[col]][first_row]
  items <- build_items(keys, x, col_code, item, item_data,
                       c(used, resp_cols), others, call)
  r <- new_ratings(scale, items$items, codes = codes, resp = resp,
                   nonanswer = na, tally0 = tally0, format = "long")
  r$varying <- setdiff(others, resp_cols)
  r$notes <- c(scale$note, items$note, if (n_blank > 0) blank_note(n_blank))
  r
}

blank_note <- function(n) {
  sprintf("%s empty text cell%s read as not rated", format(n, big.mark = ","), if (n == 1) "" else "s")
}

# A key column as the C coder reads it (a factor by its integer codes).
key_data <- function(v) {
  if (is.character(v)) return(enc2utf8(v))
  if (is.factor(v)) return(v)
  if (!is.null(attributes(v))) v <- as.vector(unclass(v))
  v
}

# Items: a factor's levels (unused ones kept) or first appearance.
item_codes <- function(iv) {
  if (is.factor(iv)) return(list(keys = base::levels(iv), codes = as.integer(iv)))
  ik <- key_codes(iv)
  list(keys = level_text(iv[ik$first]), codes = ik$codes)
}

key_codes <- function(v) {
  v <- key_data(v)
  res <- .Call(ffi_key, v)
  list(codes = res[[1L]], first = res[[2L]])
}

duplicate_error <- function(x, rows, n_dup, row_code, col_code, respondent,
                            item, rating, round, call) {
  rows <- rows[seq_len(min(n_dup, 10))]
  shown <- sprintf("%s x %s (row %d)", level_text(x[[respondent]][rows]),
                   level_text(x[[item]][rows]), rows)
  shown_text <- paste(shown, collapse = ", ")
  total <- if (n_dup > length(rows)) sprintf(" (%s repeated rows in all)", format(n_dup, big.mark = ",")) else ""
  # which column tells the repeated rows apart?
  d <- rows[1L]
  same <- which(row_code == row_code[d] & col_code == col_code[d])
  cand <- setdiff(names(x), c(respondent, item, rating, round))
  apart <- cand[vapply(cand, function(col) {
    v <- x[[col]][same]
    is.atomic(v) && !anyDuplicated(v)
  }, logical(1))]
  hint <- duplicate_hint(apart, round)
  abort(c("Each respondent can rate each item only once{if (!is.null(round)) ' per round' else ''}.",
          "x" = "Repeated respondent x item pairs: {shown_text}{total}.",
          hint),
        call = call, class = "consensr_error_duplicate")
}

check_key_column <- function(v, arg, col, call) {
  if (!is.atomic(v) || is.null(v)) {
    abort("The {.arg {arg}} column {.field {col}} must hold one value per row, not {.obj_type_friendly {v}}.",
          call = call, class = "consensr_error_input")
  }
  if (anyNA(v)) {
    abort("The {.arg {arg}} column {.field {col}} can't hold missing values (row{?s} {head_text(which(is.na(v)))}).",
          call = call, class = "consensr_error_input")
  }
}

check_item_names <- function(keys, call, rows = NULL) {
  empty <- which(!nzchar(trimws(keys)))
  if (length(empty) > 0L) {
    at <- if (!is.null(rows)) rows(keys[empty[1L]])
    where <- if (!is.null(rows)) sprintf(" (row%s %s)", if (length(at) > 1L) "s" else "", paste(head_text(at), collapse = ", ")) else ""
    abort("An item can't have an empty name{where}.", call = call,
          class = "consensr_error_input")
  }
}

# Columns of `x` constant within each value of the integer key `k`
# (`first`: the row where each key first appears).
constant_within <- function(x, k, first) {
  cols <- names(x)
  keep <- vapply(cols, function(col) {
    v <- x[[col]]
    is.atomic(v) && !is.null(v) && !any(differs_from_first(v, k, first))
  }, logical(1))
  cols[keep]
}

# TRUE where a value differs from the value of its key's first row (NA is a
# value of its own).
differs_from_first <- function(v, k, first) {
  f <- v[first][k]
  !(is.na(v) == is.na(f) & (is.na(v) | v == f))
}

# The item metadata: `item_data` as names of columns of `x` (constant
# within item), as a data frame, or NULL for every constant column of
# `others`; columns neither constant within items nor within respondents
# are named in the note.
build_items <- function(keys, x, k, item, item_data, taken, others, call) {
  items <- data.frame(item = keys, stringsAsFactors = FALSE)
  note <- NULL
  if (is.data.frame(item_data)) {
    return(list(items = join_item_data(items, item_data, item, call), note = NULL))
  }
  if (is.null(x)) return(list(items = items, note = NULL))
  first <- match(seq_along(keys), k)
  present <- !is.na(first)
  if (is.null(item_data)) {
    cand <- setdiff(others, c("item"))
    cols <- constant_within(x[cand], k, first)
    dropped <- setdiff(cand, c(cols, taken))
    if (length(dropped) > 0L) {
      note <- sprintf("column%s %s var%s within items and within respondents: not kept",
                      if (length(dropped) > 1L) "s" else "",
                      paste0("`", dropped, "`", collapse = ", "),
                      if (length(dropped) > 1L) "y" else "ies")
    }
  } else {
    if (!is.character(item_data)) {
      abort("{.arg item_data} must be a data frame or names of columns of {.arg x}.",
            call = call, class = "consensr_error_argument")
    }
    check_columns(x, item_data, "x", call = call)
    cols <- setdiff(item_data, "item")
    for (col in cols) {
      bad <- which(differs_from_first(x[[col]], k, first))
      if (length(bad) > 0L) {
        it <- keys[k[bad[1L]]]
        abort(c("Item metadata must be constant within each item.",
                "x" = "Column {.field {col}} varies within item {.val {it}} (rows {head_text(which(k == k[bad[1L]]))})."),
              call = call, class = "consensr_error_input")
      }
    }
  }
  cols <- setdiff(cols, "item")
  for (col in cols) {
    v <- x[[col]]
    items[[col]] <- v[first]
  }
  list(items = items, note = note)
}

join_item_data <- function(items, item_data, item, call) {
  item_data <- plain_df(item_data)
  check_columns(item_data, item, "item_data", call = call)
  ids <- level_text(item_data[[item]])
  if (anyDuplicated(ids)) {
    abort("{.arg item_data} must have one row per item; {.val {head_text(unique(ids[duplicated(ids)]))}} {?is/are} repeated.",
          call = call, class = "consensr_error_input")
  }
  unknown <- setdiff(ids, items$item)
  if (length(unknown) > 0L) {
    abort("{.arg item_data} describes item{?s} not in the ratings: {.val {head_text(unknown)}}.",
          call = call, class = "consensr_error_input")
  }
  meta <- item_data[match(items$item, ids), setdiff(names(item_data), item), drop = FALSE]
  rownames(meta) <- NULL
  cbind(items, meta)
}

# ---------------------------------------------------------------------------
# Wide data

id_pattern <- "^(id|pid|uid|sid|rid|record|record_?id|participant(_?id)?|respondent(_?id)?|subject(_?id)?|panell?ist(_?id)?|expert(_?id)?|rater(_?id)?|person(_?id)?|member(_?id)?|.+_id|id_.+)$"

ratings_wide <- function(x, respondent, respondent_given, items, scale,
                         item_data, item, by, round, call) {
  notes <- character()
  has_id <- respondent %in% names(x)
  fixed <- c(by, round)
  id_col <- if (has_id) respondent
  person_cols <- character()
  if (is.null(items)) {
    cand <- setdiff(names(x), c(id_col, fixed))
    if (is.null(id_col)) {
      id_col <- find_id_column(x, cand, scale)
      cand <- setdiff(cand, id_col)
    }
    split <- rating_like(x, cand, scale)
    cols <- split$items
    person_cols <- split$others
    if (length(cols) > 0L) notes <- c(notes, sprintf("Read %s from wide data", items_note(cols)))
  } else {
    cols <- select_items(x, items, call)
    person_cols <- setdiff(names(x), c(cols, id_col, fixed))
    if (is.null(id_col) && !respondent_given) {
      id_col <- find_id_column(x, person_cols, scale)
    }
  }
  clash <- intersect(cols, c(id_col, fixed))
  if (length(clash) > 0L) {
    abort("{.arg items} can't include the respondent, {.arg by} or {.arg round} column{?s} {.field {clash}}.",
          call = call, class = "consensr_error_argument")
  }
  if (length(cols) == 0L) {
    abort(c("{.arg x} has no item columns.",
            "i" = "Long data needs the columns {.field {c(respondent, item, 'rating')}}; counts need {.field {c(item, 'level', 'count')}}; wide data one column per item."),
          call = call, class = "consensr_error_input")
  }
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there are no ratings to read.", call = call,
          class = "consensr_error_input")
  }
  check_item_names(cols, call)
  if (!is.null(id_col)) {
    if (!has_id || !identical(id_col, respondent)) {
      notes <- c(notes, sprintf("respondents from column `%s`", id_col))
    }
    ids <- x[[id_col]]
    check_key_column(ids, "respondent", id_col, call)
    key <- if (is.null(round)) ids else paste(level_text(ids), level_text(x[[round]]), sep = "\r")
    if (anyDuplicated(key)) {
      d <- which(duplicated(key))
      rows_text <- paste0(if (length(d) > 1L) "rows " else "row ", paste(head_text(d), collapse = ", "))
      dup_ids <- unique(level_text(ids[d]))
      ids_text <- paste(c(encodeString(utils::head(dup_ids, 5L), quote = '"'),
                          if (length(dup_ids) > 5L) sprintf("%d more", length(dup_ids) - 5L)),
                        collapse = ", ")
      abort(c("Wide data must have one row per respondent{if (!is.null(round)) ' and round' else ''}.",
              "x" = "Repeated: {ids_text} ({rows_text}).",
              "i" = if (is.null(round)) "Give {.arg round} if the rows are rounds of a Delphi."),
            call = call, class = "consensr_error_duplicate")
    }
    ids <- level_text(ids)
  } else {
    ids <- as.character(seq_len(nrow(x)))
    notes <- c(notes, "respondents numbered by row (no id column)")
  }
  if (length(person_cols) > 0L && is.null(items)) {
    notes <- c(notes, sprintf("kept %s as respondent-level column%s (not items)",
                              paste0("`", person_cols, "`", collapse = ", "),
                              if (length(person_cols) > 1L) "s" else ""))
  }
  scale <- resolve_scale(scale, as.list(x[cols]), call)
  where <- function(j, i) {
    at <- sprintf("column %s, row %s", cols[j], i)
    if (is.null(round)) at else paste0(at, " (", round_label(round, level_text(x[[round]][i])), ")")
  }
  enc <- encode_wide(x[cols], scale, where, call)
  resp <- data.frame(respondent = ids, stringsAsFactors = FALSE)
  for (col in c(fixed, person_cols)) resp[[col]] <- x[[col]]
  if (is.character(item_data)) {
    abort("For wide data, {.arg item_data} must be a data frame with an {.field {item}} column.",
          call = call, class = "consensr_error_argument")
  }
  it <- data.frame(item = cols, stringsAsFactors = FALSE)
  if (is.data.frame(item_data)) it <- join_item_data(it, item_data, item, call)
  r <- new_ratings(scale, it, codes = enc$codes, resp = resp,
                   nonanswer = enc$nonanswer, tally0 = enc$counts,
                   format = "wide")
  r$cols <- enc$cols
  if (enc$blank > 0) notes <- c(notes, blank_note(enc$blank))
  r$notes <- c(notes, scale$note)
  r
}

select_items <- function(x, items, call) {
  if (is.numeric(items)) {
    bad <- items[is.na(items) | items < 1 | items > ncol(x) | items != trunc(items)]
    if (length(bad) > 0L) {
      abort("{.arg items} positions must be between 1 and {ncol(x)}, not {.val {bad}}.",
            call = call, class = "consensr_error_argument")
    }
    cols <- names(x)[items]
  } else if (is.character(items)) {
    missing <- setdiff(items, names(x))
    if (length(missing) > 0L) {
      abort(c("{.arg items} names column{?s} that {?does/do} not exist: {.field {missing}}.",
              "i" = "The columns are {.field {names(x)}}."),
            call = call, class = "consensr_error_column")
    }
    cols <- items
  } else {
    abort("{.arg items} must be column names or positions.", call = call,
          class = "consensr_error_argument")
  }
  if (anyDuplicated(cols)) {
    abort("{.arg items} must not repeat columns: {.field {unique(cols[duplicated(cols)])}}.",
          call = call, class = "consensr_error_argument")
  }
  cols
}

# The respondent id of wide data: a column named like an id, else one with
# distinct text, or with distinct numbers outside the declared scale.
find_id_column <- function(x, cand, scale) {
  n <- nrow(x)
  if (n == 0L) return(NULL)
  distinct <- function(v) is.atomic(v) && !anyNA(v) && !anyDuplicated(v)
  named <- cand[grepl(id_pattern, cand, ignore.case = TRUE)]
  named <- named[vapply(named, function(col) is.atomic(x[[col]]) && !is.null(x[[col]]), logical(1))]
  if (length(named) > 0L) return(named[1L])
  if (n < 2L || length(cand) < 2L) return(NULL)
  kinds <- vapply(cand, function(col) rating_kind(x[[col]]), character(1))
  for (col in cand) {
    v <- x[[col]]
    if (!distinct(v)) next
    if (kinds[[col]] == "text" && any(kinds != "text")) return(col)
    if (kinds[[col]] == "number" && !is.null(scale$levels)) {
      lv_num <- suppressWarnings(as.double(scale$levels))
      if (!anyNA(lv_num) && any(!v %in% c(lv_num, suppressWarnings(as.double(scale$missing))))) {
        return(col)
      }
    }
  }
  NULL
}

# Wide columns: those like the ratings (the most common kind) are items;
# text beside numbers (or numbers beside text) are respondent columns.
rating_like <- function(x, cand, scale = NULL) {
  if (length(cand) == 0L) return(list(items = character(), others = character()))
  if (!is.null(scale$levels)) {
    # a column none of whose answers is on the scale is not an item
    all_lv <- c(scale$levels, scale$missing)
    num <- suppressWarnings(as.double(all_lv))
    holds <- vapply(cand, function(col) {
      v <- x[[col]]
      if (!is.atomic(v) || is.null(v) || is.complex(v) || is.raw(v)) return(FALSE)
      if (all(is.na(v) | (is.character(v) & grepl("^\\s*$", v)))) return(TRUE)
      v <- column_data(v, NULL, col)
      codes <- .Call(ffi_encode, v, if (is.factor(v)) match(base::levels(v), all_lv, nomatch = 0L), num, all_lv)
      any(!is.na(codes) & codes > 0L)
    }, logical(1))
    return(list(items = cand[holds], others = cand[!holds]))
  }
  kinds <- vapply(cand, function(col) {
    k <- rating_kind(x[[col]])
    if (k %in% c("ordered", "factor", "labelled")) "coded" else k
  }, character(1))
  allna <- vapply(cand, function(col) all(is.na(x[[col]])), logical(1))
  tab <- table(kinds[!allna & kinds != "list"])
  if (length(tab) == 0L) return(list(items = cand, others = character()))
  main <- names(tab)[which.max(tab)]
  # a list column stays a candidate item: reading it says what is wrong
  is_item <- kinds == main | allna | kinds == "list"
  if (main == "coded") {
    # factors: those with the levels most item columns share
    sig <- vapply(cand, function(col) {
      v <- x[[col]]
      if (is_labelled(v)) paste(names(attr(v, "labels")), collapse = "\r") else
        if (is.factor(v)) paste(base::levels(v), collapse = "\r") else ""
    }, "")
    counts <- sort(table(sig[kinds == "coded"]), decreasing = TRUE)
    # a tie is no majority: every factor stays an item (and the scale error says which differ)
    if (length(counts) == 1L || counts[[1L]] > counts[[2L]]) {
      is_item <- (kinds == "coded" & sig == names(counts)[1L]) | allna | kinds == "list"
    }
  }
  list(items = cand[is_item], others = cand[!is_item])
}

# Long data read as wide: two columns that repeat and together identify the
# rows (a complete grid, or named like respondent and item).
check_not_long <- function(x, items, fixed, call) {
  if (!is.null(items) || nrow(x) < 4L || ncol(x) < 3L) return(invisible())
  if (any(grepl(id_pattern, names(x), ignore.case = TRUE) &
          vapply(names(x), function(col) !anyDuplicated(x[[col]]), logical(1)))) {
    return(invisible()) # a distinct id column: one row per respondent
  }
  cand <- setdiff(names(x), fixed)
  cand <- cand[vapply(cand, function(col) {
    v <- x[[col]]
    is.atomic(v) && !anyNA(v) && anyDuplicated(v) > 0L
  }, logical(1))]
  cand <- utils::head(cand, 6L)
  item_pattern <- "item|outcome|question|statement|competenc|indicator|domain|criterion|variable|code"
  for (i in seq_along(cand)) for (j in seq_along(cand)) {
    if (j <= i) next
    a <- x[[cand[i]]]
    b <- x[[cand[j]]]
    grid <- length(unique(a)) * length(unique(b)) == nrow(x)
    names_ab <- c(cand[i], cand[j])
    named <- any(grepl(id_pattern, names_ab, ignore.case = TRUE)) &&
      any(grepl(item_pattern, names_ab, ignore.case = TRUE))
    if ((grid || named) && !anyDuplicated(data.frame(a, b))) {
      rest <- setdiff(names(x), c(names_ab, fixed))
      abort(c("{.arg x} looks like long data: columns {.field {names_ab}} repeat and together identify the rows.",
              "i" = "Name the columns: {.code respondent = \"{names_ab[1]}\", item = \"{names_ab[2]}\", rating = \"{if (length(rest)) rest[1] else '...'}\"}.",
              "i" = "For wide data, give the item columns with {.arg items}."),
            call = call, class = "consensr_error_shape")
    }
  }
  invisible()
}

# ---------------------------------------------------------------------------
# Counts

ratings_counts <- function(x, item, scale, item_data, round, call) {
  check_columns(x, c(item, "level", "count"), call = call)
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there are no counts to read.", call = call,
          class = "consensr_error_input")
  }
  iv <- x[[item]]
  check_key_column(iv, "item", item, call)
  check_key_column(x[["level"]], "level", "level", call)
  count <- check_counts(x[["count"]], "count", call = call)
  lvv <- x[["level"]]
  empty <- which(grepl("^\\s*$", as.character(lvv)))
  if (length(empty) > 0L) {
    abort("The {.field level} column can't hold empty values (row{?s} {head_text(empty)}).",
          call = call, class = "consensr_error_input")
  }
  scale <- resolve_scale(scale, list(lvv), call)
  data <- column_data(lvv, call, "column {.field level}")
  li <- .Call(ffi_encode, data, column_map(data, scale), scale$num, scale$all)
  bad <- which(is.na(li) | li == 0L)
  if (length(bad) > 0L) {
    rating_error(sprintf("%s at row %d", encodeString(level_text(lvv[bad]), quote = "\""), bad),
                 scale, call)
  }
  ik <- item_codes(iv)
  keys <- ik$keys
  ii <- ik$codes
  check_item_names(keys, call, rows = function(k) which(level_text(iv) == k))
  m <- length(keys)
  first_item <- match(seq_len(m), ii)

  # strata: columns that vary within an item (groups, rounds of a tally)
  known <- c(item, "level", "count", "n", "percent", "prop", "n_missing_level")
  others <- setdiff(names(x), known)
  meta_cols <- constant_within(x[others], ii, first_item)
  strata_cols <- setdiff(others, meta_cols)
  strata_cols <- union(strata_cols, intersect(round, names(x)))
  meta_cols <- setdiff(meta_cols, strata_cols)
  if (length(strata_cols) > 0L) {
    skey <- do.call(paste, c(lapply(strata_cols, function(col) level_text(x[[col]])), sep = "\r"))
    sk <- key_codes(skey)
    si <- sk$codes
    strata <- x[sk$first, strata_cols, drop = FALSE]
    rownames(strata) <- NULL
  } else {
    si <- rep(1L, nrow(x))
    strata <- data.frame(row.names = 1L)
  }
  S <- max(si)
  K <- scale$K
  M <- length(scale$missing)
  is_na_level <- li > K
  cell <- ((ii - 1) * S + (si - 1)) * (K + M) + li
  if (anyDuplicated(cell)) {
    d <- which(duplicated(cell))
    shown <- sprintf("%s x %s (row %d)", keys[ii[d]], level_text(lvv[d]), d)
    abort(c("Counts must have one row per item x level{if (length(strata_cols)) paste0(' x ', paste(strata_cols, collapse = ' x ')) else ''}.",
            "x" = "Repeated: {head_text(shown)}."),
          call = call, class = "consensr_error_duplicate")
  }
  full <- array(0, c(K + M, S, m))
  full[cell] <- count
  counts <- full[seq_len(K), , , drop = FALSE]
  total <- colSums(counts, dims = 1L)
  dim(total) <- c(S, m)
  n <- total
  gi <- (ii - 1) * S + si
  note <- NULL
  if ("n" %in% names(x)) {
    stated <- check_counts(x[["n"]], "n", call = call)
    first <- stated[match(seq_len(S * m), gi)]
    varies <- which(stated != first[gi])
    if (length(varies) > 0L) {
      abort(c("{.field n} must be the same on every row of an item.",
              "x" = "It varies for {.val {head_text(unique(keys[ii[varies]]))}} (row{?s} {head_text(varies)})."),
            call = call, class = "consensr_error_counts")
    }
    over <- which(count > stated & !is_na_level)
    if (length(over) > 0L) {
      shown <- sprintf("row %d: %d > %d", over, count[over], stated[over])
      abort(c("A count can't exceed its denominator {.field n}.",
              "x" = "{head_text(shown)}."), call = call, class = "consensr_error_counts")
    }
    present <- !is.na(first)
    sum_over <- which(present & total > first)
    if (length(sum_over) > 0L) {
      it <- keys[(sum_over - 1L) %/% S + 1L]
      abort(c("The counts of an item can't add up to more than its denominator {.field n}.",
              "x" = "Item{?s} {.val {head_text(unique(it))}}.",
              "i" = "{.fn check_reported} checks published counts and percentages."),
            call = call, class = "consensr_error_counts")
    }
    short <- which(present & total < first)
    if (length(short) > 0L) {
      it <- keys[(short - 1L) %/% S + 1L]
      note <- sprintf("the counts of %d item%s add up to less than `n` (%s); `n` is used as the denominator: see check_reported()",
                      length(unique(it)), if (length(unique(it)) > 1L) "s" else "",
                      paste(head_text(unique(it), 3L), collapse = ", "))
    }
    n[present] <- first[present]
  }
  max_int <- .Machine$integer.max
  over_int <- which(colSums(n) > max_int)
  if (length(over_int) > 0L) {
    abort(c("The {.arg count}s of an item can't add up to more than {max_int} (the largest integer).",
            "x" = "Item{?s} {.val {head_text(keys[over_int])}}."),
          call = call, class = "consensr_error_counts")
  }
  storage.mode(counts) <- "integer"
  n <- matrix(as.integer(n), S, m)
  dimnames(counts) <- list(scale$levels, NULL, keys)
  dimnames(n) <- list(NULL, keys)
  na_counts <- NULL
  if (M > 0L) {
    na_counts <- colSums(full[K + seq_len(M), , , drop = FALSE], dims = 1L)
    na_counts <- matrix(as.integer(na_counts), S, m)
  } else if ("n_missing_level" %in% names(x)) {
    nm <- check_counts(x[["n_missing_level"]], "n_missing_level", call = call)
    na_counts <- matrix(0L, S, m)
    na_counts[gi] <- nm
  }
  items <- data.frame(item = keys, stringsAsFactors = FALSE)
  if (is.data.frame(item_data)) {
    items <- join_item_data(items, item_data, item, call)
  } else {
    cols <- if (is.null(item_data)) meta_cols else setdiff(item_data, "item")
    if (!is.null(item_data)) {
      check_columns(x, cols, call = call)
      varying <- setdiff(cols, meta_cols)
      if (length(varying) > 0L) {
        abort("Item metadata must be constant within each item; {.field {varying}} var{?ies/y}.",
              call = call, class = "consensr_error_input")
      }
    }
    for (col in cols) items[[col]] <- x[[col]][first_item]
  }
  r <- new_ratings(scale, items, counts = counts, n = n, strata = strata,
                   nonanswer = na_counts, format = "counts")
  r$notes <- c(scale$note, note)
  r
}

# ---------------------------------------------------------------------------
# Printing

#' @export
print.consensr_ratings <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @export
format.consensr_ratings <- function(x, ...) {
  n_item <- nrow(x$items)
  lines <- sprintf("<consensr_ratings> %d item%s, scale: %s", n_item,
                   if (n_item == 1L) "" else "s",
                   paste(x$levels, collapse = " < "))
  if (length(x$missing_levels) > 0L) {
    lines <- c(lines, sprintf("non-answers (not on the scale): %s",
                              paste(x$missing_levels, collapse = ", ")))
  }
  if (has_codes(x)) {
    n_resp <- nrow(x$resp)
    cells <- as.double(n_resp) * nrow(x$items)
    n_rated <- if (!is.null(x$tally0)) sum(as.double(x$tally0)) else sum(!is.na(x$codes))
    n_missing <- cells - n_rated
    n_na <- length(x$nonanswer$index)
    lines <- c(lines, sprintf("%d %s (%s format), %d rating%s, %d not rated%s",
                              n_resp,
                              if (is.null(x$round)) plural(n_resp, "respondent") else
                                "respondent x round rows",
                              x$format, n_rated, if (n_rated == 1L) "" else "s",
                              n_missing - n_na,
                              if (n_na > 0L) sprintf(", %d non-answer%s", n_na, if (n_na == 1L) "" else "s") else ""))
    cols <- setdiff(names(x$resp), "respondent")
    if (length(cols) > 0L) {
      lines <- c(lines, sprintf("respondent columns: %s", paste(cols, collapse = ", ")))
    }
  } else {
    total <- sum(as.double(x$counts))
    lines <- c(lines, sprintf("counts of %s rating%s", format(total, big.mark = ","),
                              if (total == 1) "" else "s"))
    if (ncol(x$strata) > 0L) {
      lines <- c(lines, sprintf("strata: %s", paste(names(x$strata), collapse = ", ")))
    }
  }
  if (!is.null(x$round)) {
    lines <- c(lines, sprintf("rounds (%s): %s", x$round,
                              paste(ratings_round_values(x)$labels, collapse = ", ")))
  }
  if (!is.null(x$by)) {
    lines <- c(lines, sprintf("grouped by %s: %s", x$by,
                              paste(ratings_groups(x), collapse = ", ")))
  }
  meta <- setdiff(names(x$items), "item")
  if (length(meta) > 0L) {
    lines <- c(lines, sprintf("item metadata: %s", paste(meta, collapse = ", ")))
  }
  lines
}

plural <- function(n, word) if (n == 1L) word else paste0(word, "s")

ratings_groups <- function(r) {
  if (!is.null(r$group)) return(base::levels(r$group))
  v <- r$strata[[r$by]]
  if (is.factor(v)) base::levels(droplevels(v)) else as.character(sort(unique(v)))
}

# "Did you mean `Stakeholder`?" for a misspelt column name, else NULL.
did_you_mean <- function(x, choices) {
  if (length(choices) == 0L) return(NULL)
  d <- utils::adist(tolower(x), tolower(choices))[1L, ]
  best <- which(d == min(d))[1L]
  if (d[best] > max(2, nchar(x) %/% 4)) return(NULL)
  sprintf("Did you mean `%s`?", choices[best])
}

# The hint of a repeated respondent x item error: the columns whose values
# tell the repeated rows apart (a round-like one suggests `round =`).
duplicate_hint <- function(apart, round) {
  roundish <- apart[grepl("round|wave|time|visit|phase|iteration", apart, ignore.case = TRUE)]
  if (is.null(round) && length(roundish) > 0L) {
    return(c("i" = sprintf("Column `%s` tells the repeated rows apart: give `round = \"%s\"` to read each round on its own.",
                           roundish[1L], roundish[1L])))
  }
  if (length(apart) == 0L) return(NULL)
  c("i" = sprintf("Column%s %s tell%s the repeated rows apart.",
                  if (length(apart) > 1L) "s" else "",
                  paste0("`", head_text(apart, 3L), "`", collapse = ", "),
                  if (length(apart) > 1L) "" else "s"))
}
