# Tables for journals: the consensr_table objects of the table functions
# rendered for Word (flextable), for knitr (Markdown, HTML, LaTeX) and
# written to .docx / .html / .csv, always with their note (the rule, the
# denominators, the rounding) as a footnote.  table_consensus() builds the
# table of a rule with bands of levels and stakeholder groups and rounds as
# column groups.

#' A consensus table with bands, stakeholder groups and rounds as column groups
#'
#' One row per item; for every column group (the whole panel, each
#' stakeholder group of `by`, in each round of `round`) one column per band
#' of levels with the share of the item's raters in the band, and the item's
#' status. Cells read unambiguously: `"7-9: 84% (21/25)"` (the band, the
#' percentage rounded half-up as in [table_ratings()], the count over the
#' denominator).
#'
#' @inheritParams consensus
#' @param x Ratings in any shape [as_ratings()] reads.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels`, ...
#' @param bands Named list of bands of levels, e.g. `list("1-3" = 1:3, "4-6"
#'   = 4:6, "7-9" = 7:9)`: each band becomes one column. Bands must not
#'   overlap; levels in no band are left out of the columns (but stay in the
#'   denominators). `NULL`: one column per level.
#' @param area Item metadata column shown as the first column (e.g. a
#'   thematic area); `NULL` for none.
#' @param prefix If `TRUE` (the default), each cell starts with its band
#'   (`"7-9: "`).
#' @param decimals,decimal_mark Decimals of the percentages and the decimal
#'   mark (see [table_ratings()]).
#' @param marker Appended to the names of items with consensus (in).
#' @param empty Text of a cell nobody rated.
#' @return A data frame of class `consensr_table` with the columns `area`
#'   (when given), `item`, then per column group the band columns and
#'   `status`, named `"<group> [<band>]"` (`""` where an item was not
#'   rated in a round); the column groups are in
#'   `attr(x, "header")` (used by [as_flextable()][as_flextable.consensr_table]
#'   for a two-row header) and the rule, denominators and rounding in
#'   `attr(x, "note")`.
#' @seealso [table_ratings()], [save_table()]
#' @examples
#' set.seed(1)
#' panel <- data.frame(
#'   respondent = rep(1:20, each = 3),
#'   group = rep(c("patients", "clinicians"), each = 30),
#'   item = rep(c("Pain", "Function", "Cost"), 20),
#'   rating = sample(1:9, 60, replace = TRUE, prob = c(1, 1, 1, 1, 1, 2, 3, 4, 4))
#' )
#' tab <- table_consensus(panel, 7:9, threshold = 0.7, opposite = 1:3,
#'                        opposite_threshold = 0.15, levels = 1:9, by = "group",
#'                        bands = list("1-3" = 1:3, "4-6" = 4:6, "7-9" = 7:9))
#' tab
#' @export
table_consensus <- function(x, target, threshold, opposite = NULL, opposite_threshold = NULL,
                            strict = FALSE, ..., bands = NULL, by = NULL, round = NULL,
                            area = NULL, prefix = TRUE, decimals = 0, decimal_mark = ".",
                            marker = " *", empty = "-") {
  call <- rlang::current_env()
  decimals <- check_decimals(decimals, call = call)
  check_text(decimal_mark, "decimal_mark", call = call)
  check_text(marker, "marker", allow_empty = TRUE, call = call)
  check_flag(prefix, "prefix", call = call)
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(area)) check_columns(r$items, area, "x", call = call)
  parts <- if (!is.null(r$round)) split_rounds(r) else list(parts = list(r), rounds = NULL)
  band_codes <- table_bands(bands, r$levels, call)
  out <- NULL
  header <- data.frame(col = character(), group = character(), sub = character(),
                       stringsAsFactors = FALSE)
  rule <- NULL
  for (k in seq_along(parts$parts)) {
    rk <- parts$parts[[k]]
    cons <- run_consensus(rk, target = target, threshold = threshold, call = call,
                          opposite = opposite, opposite_threshold = opposite_threshold,
                          strict = strict, by = by)
    rule <- attr(cons, "rule")
    K <- length(rk$levels)
    m <- nrow(rk$items)
    sets <- list(list(label = "All", tab = ratings_table(rk, grouped = FALSE), g = 1L,
                      status = cons$status))
    if (!is.null(by)) {
      tab <- ratings_table(rk, grouped = TRUE)
      gs <- attr(cons, "groups")
      for (g in seq_along(tab$groups)) {
        st <- gs$status[as.character(gs[[by]]) == tab$groups[g]]
        sets[[length(sets) + 1L]] <- list(label = tab$groups[g], tab = tab, g = g, status = st)
      }
    }
    block <- rk$items[c(area, "item")]
    for (s in sets) {
      G <- length(s$tab$groups)
      counts <- array(s$tab$counts, c(K, G, m))[, s$g, , drop = TRUE]
      counts <- matrix(counts, K, m)
      n <- matrix(s$tab$n, G, m)[s$g, ]
      glabel <- if (is.null(parts$rounds)) {
        s$label
      } else if (is.null(by)) {
        round_label(r$round, parts$rounds[k])
      } else {
        paste0(round_label(r$round, parts$rounds[k]), " / ", s$label)
      }
      for (b in names(band_codes)) {
        cnt <- colSums(counts[band_codes[[b]], , drop = FALSE])
        col <- paste0(glabel, " [", b, "]")
        block[[col]] <- rating_cells(cnt, n, if (prefix) paste0(b, ":") else "", decimals,
                                     decimal_mark, empty, FALSE)
        header[nrow(header) + 1L, ] <- c(col, glabel, b)
      }
      col <- paste0(glabel, " [status]")
      block[[col]] <- as.character(s$status)
      header[nrow(header) + 1L, ] <- c(col, glabel, "status")
    }
    hit <- cons$status %in% c("consensus", "consensus in")
    block$item[hit] <- paste0(block$item[hit], marker)
    if (is.null(out)) {
      out <- block
    } else {
      # items of later rounds join on the item (with its marker stripped)
      key_out <- table_strip_marker(out$item, marker)
      key_new <- table_strip_marker(block$item, marker)
      new_items <- setdiff(key_new, key_out)
      if (length(new_items)) {
        add <- block[match(new_items, key_new), c(area, "item"), drop = FALSE]
        add[setdiff(names(out), names(add))] <- ""
        out <- rbind(out, add[names(out)])
        key_out <- table_strip_marker(out$item, marker)
      }
      cols <- setdiff(names(block), c(area, "item"))
      for (cc in cols) {
        v <- rep("", nrow(out))
        v[match(key_new, key_out)] <- block[[cc]]
        out[[cc]] <- v
      }
      out$item[match(key_new[hit], key_out)] <- block$item[hit]
    }
  }
  if (!is.null(area)) out <- group_rows(out, area, repeat_group = TRUE)
  header <- rbind(data.frame(col = c(area, "item"), group = "", sub = c(area, "item"),
                             stringsAsFactors = FALSE), header)
  note <- c(
    paste0(if (nzchar(trimws(marker))) paste0(trimws(marker), " ") else "",
           "consensus: ", paste(format(rule), collapse = "; "), within_text(by),
           if (!is.null(parts$rounds)) " (in that round)" else ""),
    rounding_note(decimals, "the raters of each item (not rated and declared non-answers left out)"),
    if (!is.null(by)) "All: the whole panel; the status under All requires the rule in every group."
  )
  res <- new_consensr_table(out, note)
  attr(res, "header") <- header
  res
}

table_strip_marker <- function(items, marker) {
  if (!nzchar(marker)) return(items)
  ifelse(endsWith(items, marker), substr(items, 1L, nchar(items) - nchar(marker)), items)
}

# Named list of level codes per band; NULL: one band per level.
table_bands <- function(bands, levels, call) {
  if (is.null(bands)) {
    out <- as.list(seq_along(levels))
    names(out) <- levels
    return(out)
  }
  if (!is.list(bands) || length(bands) == 0L || is.null(names(bands)) ||
      any(!nzchar(names(bands))) || anyDuplicated(names(bands))) {
    abort("{.arg bands} must be a named list of levels, e.g. {.code list(\"1-3\" = 1:3, \"4-6\" = 4:6, \"7-9\" = 7:9)}.",
          call = call, class = "consensr_error_bands")
  }
  out <- lapply(names(bands), function(b) match_levels(bands[[b]], levels, "bands", call))
  names(out) <- names(bands)
  all_codes <- unlist(out)
  if (anyDuplicated(all_codes)) {
    abort("{.arg bands} can't overlap: {.val {levels[unique(all_codes[duplicated(all_codes)])]}} {?is/are} in two bands.",
          call = call, class = "consensr_error_bands")
  }
  out
}

# --- rendering -----------------------------------------------------------------

#' Tables in Word, HTML, Markdown and files
#'
#' Every table function of the package ([table_ratings()],
#' [table_participants()], [table_open_text()], [table_consensus()]) returns
#' a `consensr_table`: a data frame with a note (the consensus rule, who is
#' in the denominators, the rounding). These methods render it with the note
#' as a footnote:
#' * `as_flextable()` (package flextable) for Word and PowerPoint, with the
#'   column groups of [table_consensus()] as a two-row header and the items
#'   reaching consensus in bold;
#' * `knit_print()`: in R Markdown a `consensr_table` prints as a kable
#'   table (HTML, Markdown or LaTeX, whatever the document is) followed by
#'   the note; `knitr::kable(x)` on its own gives the table without it;
#' * `save_table(x, "table2.docx")` writes one file: `.docx` (via flextable
#'   and officer), `.html` (flextable when installed, else a kable table
#'   with the note) or `.csv` (the data only; the note goes to
#'   `<file>.note.txt` next to it).
#'
#' @param x A `consensr_table`.
#' @param file Path of the file to write; its extension chooses the format.
#' @param bold_consensus Bold the rows of items whose name carries the
#'   consensus marker (`" *"` by default).
#' @param marker The marker appended to the items with consensus.
#' @param ... Ignored.
#' @return `as_flextable()`: a flextable; `knit_print()`: knitr output;
#'   `save_table()`: the path, invisibly.
#' @name table_output
#' @examples
#' tab <- table_ratings(atmp_published, target = "Fundamental", threshold = 0.75)
#' if (requireNamespace("flextable", quietly = TRUE)) {
#'   ft <- flextable::as_flextable(tab)
#'   f <- save_table(tab, tempfile(fileext = ".docx"))
#' }
#' f <- save_table(tab, tempfile(fileext = ".csv"))
NULL

#' @rdname table_output
#' @exportS3Method flextable::as_flextable
as_flextable.consensr_table <- function(x, bold_consensus = TRUE, marker = " *", ...) {
  if (!requireNamespace("flextable", quietly = TRUE)) {
    abort("{.fn as_flextable} needs the {.pkg flextable} package.",
          class = "consensr_error_dependency")
  }
  df <- as.data.frame(x)
  header <- attr(x, "header")
  ft <- flextable::flextable(df)
  if (!is.null(header) && all(names(df) %in% header$col)) {
    h <- header[match(names(df), header$col), ]
    ft <- flextable::set_header_labels(ft, values = stats::setNames(as.list(h$sub), h$col))
    ft <- flextable::add_header_row(ft, values = table_runs(h$group)$values,
                                    colwidths = table_runs(h$group)$widths)
    ft <- flextable::merge_v(ft, part = "header")
    ft <- flextable::align(ft, align = "center", part = "header")
  }
  if (bold_consensus && "item" %in% names(df) && nzchar(marker)) {
    hit <- which(endsWith(df$item, marker))
    if (length(hit)) ft <- flextable::bold(ft, i = hit, part = "body")
  }
  note <- attr(x, "note")
  if (length(note)) ft <- flextable::add_footer_lines(ft, values = note)
  ft <- flextable::fontsize(ft, size = 9, part = "all")
  flextable::autofit(ft)
}

table_runs <- function(v) {
  r <- rle(v)
  list(values = r$values, widths = r$lengths)
}

#' @rdname table_output
#' @exportS3Method knitr::knit_print
knit_print.consensr_table <- function(x, ...) {
  df <- as.data.frame(x)
  tab <- knitr::kable(df, row.names = FALSE)
  note <- attr(x, "note")
  fmt <- attr(tab, "format")
  notes <- if (!length(note)) "" else if (identical(fmt, "html")) {
    paste0("<p><small>", table_escape_html(note), "</small></p>", collapse = "\n")
  } else if (identical(fmt, "latex")) {
    paste0("\n\n\\footnotesize ", table_escape_latex(note), "\\normalsize", collapse = "\n")
  } else {
    paste0("\n", paste0("_", table_escape_md(note), "_", collapse = "  \n"))
  }
  knitr::asis_output(paste0("\n", paste(tab, collapse = "\n"), "\n", notes, "\n"))
}

table_escape_md <- function(s) gsub("([*_])", "\\\\\\1", s)
table_escape_html <- function(s) {
  s <- gsub("&", "&amp;", s, fixed = TRUE)
  s <- gsub("<", "&lt;", s, fixed = TRUE)
  gsub(">", "&gt;", s, fixed = TRUE)
}
table_escape_latex <- function(s) gsub("([%&_#$])", "\\\\\\1", s)

#' @rdname table_output
#' @export
save_table <- function(x, file, ...) {
  call <- rlang::current_env()
  if (!inherits(x, "consensr_table")) {
    abort("{.arg x} must be a table of the package ({.fn table_ratings}, {.fn table_consensus}, ...), not {.obj_type_friendly {x}}.",
          call = call, class = "consensr_error_table")
  }
  check_string(file, "file", call = call)
  ext <- if (grepl("[.][A-Za-z0-9]+$", file)) tolower(sub("^.*[.]", "", file)) else ""
  if (!ext %in% c("docx", "html", "csv")) {
    abort(c("{.arg file} must end in {.val .docx}, {.val .html} or {.val .csv}.",
            "x" = "{.file {file}} ends in {.val {if (nzchar(ext)) paste0('.', ext) else 'nothing'}}."),
          call = call, class = "consensr_error_table")
  }
  if (ext == "csv") {
    utils::write.csv(as.data.frame(x), file, row.names = FALSE, na = "")
    note <- attr(x, "note")
    if (length(note)) writeLines(note, paste0(file, ".note.txt"))
    return(invisible(file))
  }
  has_ft <- requireNamespace("flextable", quietly = TRUE)
  if (ext == "docx") {
    if (!has_ft || !requireNamespace("officer", quietly = TRUE)) {
      abort("Writing {.file .docx} needs the {.pkg flextable} and {.pkg officer} packages.",
            call = call, class = "consensr_error_dependency")
    }
    flextable::save_as_docx(as_flextable.consensr_table(x, ...), path = file)
    return(invisible(file))
  }
  if (!has_ft && !requireNamespace("knitr", quietly = TRUE)) {
    abort("Writing {.file .html} needs the {.pkg flextable} or the {.pkg knitr} package.",
          call = call, class = "consensr_error_dependency")
  }
  if (has_ft) {
    flextable::save_as_html(as_flextable.consensr_table(x, ...), path = file)
  } else {
    tab <- knitr::kable(as.data.frame(x), format = "html", row.names = FALSE)
    note <- attr(x, "note")
    writeLines(c("<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"></head><body>",
                 tab, paste0("<p><small>", table_escape_html(note), "</small></p>"),
                 "</body></html>"), file)
  }
  invisible(file)
}
