#' Participants by setting (a "Table 1")
#'
#' Counts and percentages of respondents per setting (or any other
#' characteristic), with the free-text details of a setting such as "Other"
#' listed below it as indented sub-rows, as in Table 1 of the reference
#' study.
#'
#' Percentages are of all rows of `x`, including settings such as "Not
#' specified", rounded half-up exactly (see [table_ratings()]). The order of
#' the settings is that of the factor levels (levels nobody is in are shown
#' with `0 (0%)`), or of first appearance for other columns. Respondents
#' whose setting is missing are counted in a final row `"(missing)"`. A
#' sub-row shows the number of respondents with that detail, without a
#' percentage; details follow their factor levels or order of appearance.
#'
#' @param x A data frame with one row per respondent, such as
#'   [atmp_participants].
#' @param setting Name of the column of `x` to tabulate.
#' @param detail Name of the column with details of the setting (e.g. what
#'   "Other" means), listed as sub-rows; `NULL` for none.
#' @param decimals Number of decimals of the percentages, 0 to 6.
#' @param decimal_mark The decimal mark.
#' @param indent The text put before the label of a sub-row.
#' @return A data frame of class `consensr_table` with two character columns:
#'   the labels (named by `setting`) and `"n (%)"`.
#' @seealso [table_ratings()], [table_open_text()]
#' @examples
#' table_participants(atmp_participants)
#' @export
table_participants <- function(x, setting = "setting",
                               detail = "setting_detail", decimals = 0,
                               decimal_mark = ".", indent = "  ") {
  call <- rlang::current_env()
  check_data_frame(x, call = call)
  check_string(setting, "setting", call = call)
  if (!is.null(detail)) check_string(detail, "detail", call = call)
  decimals <- check_decimals(decimals, call = call)
  check_text(decimal_mark, "decimal_mark", call = call)
  check_text(indent, "indent", allow_empty = TRUE, call = call)
  x <- as.data.frame(x, stringsAsFactors = FALSE)
  check_columns(x, setting, call = call)
  if (!is.null(detail) && !detail %in% names(x)) {
    abort(c("{.arg x} must have the column {.field {detail}} named by {.arg detail}.",
            "i" = "Use {.code detail = NULL} for a table without sub-rows."),
          call = call)
  }
  if (nrow(x) == 0L) {
    abort("{.arg x} has no rows: there is nobody to count.", call = call)
  }
  s <- x[[setting]]
  if (!is.atomic(s)) abort("The {.arg setting} column must be atomic.", call = call)
  keys <- if (is.factor(s)) base::levels(s) else unique(as.character(s[!is.na(s)]))
  si <- match(as.character(s), keys)
  total <- nrow(x)
  labels <- character()
  values <- character()
  add_row <- function(label, k, sub = FALSE) {
    value <- if (sub) {
      as.character(k)
    } else {
      paste0(k, " (", format_pct_half_up(k, total, decimals, decimal_mark), "%)")
    }
    labels <<- c(labels, label)
    values <<- c(values, value)
  }
  d <- if (!is.null(detail)) x[[detail]] else NULL
  if (!is.null(d) && !is.atomic(d)) abort("The {.arg detail} column must be atomic.", call = call)
  has_detail <- if (is.null(d)) rep(FALSE, total) else !is.na(d) & nzchar(trimws(as.character(d)))
  for (j in seq_along(keys)) {
    rows <- which(si == j)
    add_row(keys[j], length(rows))
    sub <- rows[has_detail[rows]]
    if (length(sub) > 0L) {
      dv <- d[sub]
      dkeys <- if (is.factor(dv)) base::levels(droplevels(dv)) else unique(as.character(dv))
      dn <- tabulate(match(as.character(dv), dkeys), length(dkeys))
      for (i in seq_along(dkeys)) add_row(paste0(indent, dkeys[i]), dn[i], sub = TRUE)
    }
  }
  missing <- sum(is.na(si))
  if (missing > 0L) add_row("(missing)", missing)
  out <- data.frame(labels, values, stringsAsFactors = FALSE)
  names(out) <- c(setting, "n (%)")
  new_consensr_table(out, rounding_note(decimals, sprintf("all %d rows", total)))
}
