# ---------------------------------------------------------------------------
# The report

redcap_report <- function(dict, cols, rec, rating, values_mode, answers, empty,
                          ids, round_f, has_rating, problems, headers, rd,
                          record_order) {
  role <- rep("not read", nrow(dict))
  reason <- rep(NA_character_, nrow(dict))
  in_rec <- dict$field %in% cols$field
  fr <- cols[!is.na(cols$field), , drop = FALSE]
  for (i in seq_len(nrow(dict))) {
    f <- dict$field[i]
    k <- which(fr$field == f)
    if (length(k) == 0L) {
      reason[i] <- if (dict$type[i] == "descriptive") {
        "descriptive field: holds no data"
      } else {
        "not in the records"
      }
      next
    }
    r <- fr$role[k[1L]]
    if (is.na(r)) {
      reason[i] <- fr$reason[k[1L]]
    } else {
      role[i] <- r
      if (answers[[f]] == 0L && r != "record id") {
        reason[i] <- if (r == "rating") "rating field with no rating in any record" else "empty: no value in any record"
      }
    }
  }
  fields <- data.frame(
    field = dict$field, form = dict$form, type = dict$type,
    label = dict$label_text, role = role,
    values = unname(values_mode[dict$field]),
    answers = unname(answers), empty = unname(empty), reason = reason,
    stringsAsFactors = FALSE
  )
  fields$answers[!in_rec] <- NA_integer_
  fields$empty[!in_rec] <- NA_integer_

  # every records column with its role; unused: columns not read, empty
  # columns, and dictionary fields without a column
  empty_col <- vapply(cols$column, function(cn) {
    v <- rec[[cn]]
    all(is.na(v) | !nzchar(trimws(v)))
  }, logical(1), USE.NAMES = FALSE)
  read <- !is.na(cols$role)
  emptied <- read & empty_col & !cols$role %in% c("record id", "round")
  reason_col <- cols$reason
  reason_col[emptied] <- ifelse(cols$role[emptied] == "rating",
                                "rating field with no rating in any record",
                                "empty: no value in any record")
  columns <- data.frame(column = cols$column, field = cols$field,
                        role = cols$role, reason = reason_col,
                        stringsAsFactors = FALSE)
  not_read <- !read | emptied
  no_col <- which(!in_rec)
  unused <- rbind(
    columns[not_read, c("column", "field", "reason"), drop = FALSE],
    data.frame(column = rep(NA_character_, length(no_col)),
               field = dict$field[no_col], reason = reason[no_col],
               stringsAsFactors = FALSE)
  )
  rownames(unused) <- NULL

  nr <- which(!has_rating)
  nr <- nr[order(as.integer(round_f[nr]), match(ids[nr], record_order))]
  no_rating <- data.frame(respondent = ids[nr], round = round_f[nr],
                          stringsAsFactors = FALSE)
  rownames(no_rating) <- NULL

  invalid <- if (is.null(problems)) {
    data.frame(field = character(), respondent = character(),
               round = factor(character(), levels = rd$levels),
               value = character(), stringsAsFactors = FALSE)
  } else {
    data.frame(field = problems$field, respondent = ids[problems$row],
               round = round_f[problems$row], value = problems$value,
               stringsAsFactors = FALSE)
  }
  list(fields = fields, columns = columns, unused = unused, no_rating = no_rating,
       invalid = invalid, headers = headers$mode, round_source = rd$source,
       renamed_items = rating$renamed)
}

# ---------------------------------------------------------------------------
# Printing

#' @export
format.consensr_redcap <- function(x, ...) {
  r <- x$ratings
  rounds <- levels(droplevels(r$round))
  n_areas <- length(unique(stats::na.omit(as.character(r$area))))
  lines <- sprintf("<consensr_redcap> %d rating item%s in %d area%s; scale: %s",
                   length(unique(r$item)), rounds_plural(length(unique(r$item))),
                   n_areas, rounds_plural(n_areas), paste(x$levels, collapse = " < "))
  src <- x$report$round_source
  lines <- c(lines, sprintf("%d round%s%s:", length(rounds), rounds_plural(length(rounds)),
                            if (src == "none") "" else sprintf(" (from %s)", src)))
  for (rd in rounds) {
    s <- r[r$round == rd, , drop = FALSE]
    lines <- c(lines, sprintf("  %s: %d respondent%s, %d item%s, %d rating%s",
                              rd, length(unique(s$respondent)),
                              rounds_plural(length(unique(s$respondent))),
                              length(unique(s$item)), rounds_plural(length(unique(s$item))),
                              sum(!is.na(s$rating)), rounds_plural(sum(!is.na(s$rating)))))
  }
  resp_vars <- setdiff(names(x$respondents), c("respondent", "round"))
  lines <- c(lines, sprintf("respondents: %d record row%s; fields: %s",
                            nrow(x$respondents), rounds_plural(nrow(x$respondents)),
                            if (length(resp_vars)) paste(resp_vars, collapse = ", ") else "none"))
  lines <- c(lines, sprintf("open text: %d answer%s in %d field%s; checkboxes: %d field%s",
                            nrow(x$open_text), rounds_plural(nrow(x$open_text)),
                            length(unique(x$open_text$field)),
                            rounds_plural(length(unique(x$open_text$field))),
                            length(unique(x$checkboxes$field)),
                            rounds_plural(length(unique(x$checkboxes$field)))))
  rep <- x$report
  n_unused <- nrow(rep$unused)
  lines <- c(lines, sprintf("report: %d column%s or field%s not read, %d record row%s without ratings, %d invalid value%s read as missing",
                            n_unused, rounds_plural(n_unused), rounds_plural(n_unused),
                            nrow(rep$no_rating), rounds_plural(nrow(rep$no_rating)),
                            nrow(rep$invalid), rounds_plural(nrow(rep$invalid))))
  lines
}

#' @export
print.consensr_redcap <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

rounds_plural <- function(n) if (n == 1L) "" else "s"
