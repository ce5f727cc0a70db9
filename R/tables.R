# Publication tables: plain data frames (class consensr_table) that
# knitr::kable() prints as they are.  Percentages are rounded half-up in
# exact integer arithmetic (see pct_half_up()).

#' Table of ratings per item and level (a "Table 2")
#'
#' One row per item, grouped by an item metadata column such as a thematic
#' area, with one column per level of the scale. Each cell reads like the
#' tables of consensus studies: the level's abbreviation, the percentage of
#' the item's raters who chose it and the count over the denominator, e.g.
#' `"F 84% (21/25)"`. Items that reach consensus are flagged.
#'
#' @section Rounding:
#' Percentages are `100 * count / n` rounded **half-up** (half away from
#' zero) to `decimals` decimals, computed exactly from the integers `count`
#' and `n`: 1 of 8 (12.5%) prints `"13%"` and 1 of 16 (6.25%) prints
#' `"6.3%"` with one decimal, where `sprintf()` on the binary double may
#' round either way. 13 of 23 (56.52...%) prints `"56.5%"` with one
#' decimal; a paper that printed `"56.6%"` is flagged by
#' [check_reported()]. Items nobody rated (`n = 0`) get `empty` in every
#' level column.
#'
#' @param x Ratings in any shape [as_ratings()] reads: respondent-level data
#'   (long or wide), counts (such as [atmp_published]), a [tally_ratings()]
#'   result or a `consensr_ratings` object.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `items`, `item_data`, `missing_levels`, `format`. `by` and several
#'   rounds are refused: the table shows one panel.
#' @param levels The scale's levels in order, when they can't be read from
#'   `x` (see [as_ratings()]).
#' @param abbreviate How each cell names its level: `TRUE` (the default) for
#'   the first letter of the level (`"F"`, `"A"`, `"L"`), falling back to the
#'   full names when two levels share a first letter; numeric levels (1-9)
#'   are followed by a colon (`"7: 20% (4/20)"`) so that they can't be read
#'   as part of the percentage; `FALSE` for the full
#'   level name; or a character vector with one prefix per level (`""` for
#'   none).
#' @param decimals Number of decimals of the percentages, 0 to 6.
#' @param decimal_mark The decimal mark, e.g. `"."`, `","` or the middle dot
#'   `"\u00b7"` used by some journals.
#' @param consensus Optional [consensus()] result for the same items: its
#'   `reached` column flags the items. Use it for rules `target` and
#'   `threshold` can't express (two-sided rules, `strict`, groups).
#' @param target,threshold,opposite,opposite_threshold,strict Optional rule:
#'   when `target` is given, [consensus()] is called with them to flag the
#'   items (a two-sided rule gives three outcomes: in, out, none).
#' @param group_col The item metadata column that groups the rows, e.g.
#'   `"area"`. `NULL` (the default) uses the first metadata column, if any;
#'   `FALSE` gives no grouping column.
#' @param repeat_group If `TRUE` (the default) the group is given on every
#'   row; `FALSE` blanks it after the first row of each group, as printed
#'   tables do.
#' @param marker Text appended to the names of items that reach consensus
#'   (default `" *"`); `""` for none.
#' @param empty The text of the cells of an item nobody rated (default
#'   `"-"`; `NA` is allowed).
#' @param trim_whole If `TRUE`, percentages that are exactly whole numbers
#'   are printed without decimals (`"84%"` rather than `"84.0%"`, while 13/23
#'   still prints `"56.5%"`), as in the reference study's Table 2.
#' @return A data frame of class `consensr_table`: the group column (unless
#'   `group_col = FALSE`), `item`, one character column per level (named by
#'   the level), `n` (raters of the item) and, when a rule is given,
#'   `consensus` (logical, or for a two-sided rule the status "consensus in",
#'   "consensus out", "no consensus"; `NA` for an item nobody rated). Rows are grouped by
#'   the group column (in the order of its factor levels, or of first
#'   appearance) and keep the input order within a group. Printing shows a
#'   note on the rule and the rounding; `as.data.frame()` drops the class.
#' @seealso [table_participants()], [table_open_text()], [check_reported()],
#'   [plot_bars()]
#' @examples
#' tab <- table_ratings(atmp_published, target = "Fundamental")
#' head(tab)
#'
#' # as printed in the paper: one decimal with a middle dot, blank repeats
#' tab <- table_ratings(atmp_published, decimals = 1, decimal_mark = "\u00b7",
#'                      trim_whole = TRUE, target = "Fundamental",
#'                      repeat_group = FALSE)
#' tab[1:3, ]
#'
#' # knitr::kable(tab) gives a Markdown, HTML or LaTeX table
#' @export
table_ratings <- function(x, ..., levels = NULL, abbreviate = TRUE,
                          decimals = 0, decimal_mark = ".", consensus = NULL,
                          target = NULL, threshold = 0.75, opposite = NULL,
                          opposite_threshold = NULL, strict = FALSE, group_col = NULL,
                          repeat_group = TRUE, marker = " *", empty = "-",
                          trim_whole = FALSE) {
  call <- rlang::current_env()
  decimals <- check_decimals(decimals, call = call)
  check_text(decimal_mark, "decimal_mark", call = call)
  check_flag(repeat_group, "repeat_group", call = call)
  check_flag(trim_whole, "trim_whole", call = call)
  check_text(marker, "marker", allow_empty = TRUE, call = call)
  if (!(length(empty) == 1L && (is.na(empty) || is.character(empty)))) {
    abort("{.arg empty} must be a single string or {.code NA}.", call = call)
  }
  if (!is.null(consensus) && !is.null(target)) {
    abort(c("Give either {.arg consensus} or {.arg target}, not both.",
            "i" = "{.arg target} computes the consensus result that {.arg consensus} supplies."),
          call = call)
  }
  ct <- counts_source(x, ..., levels = levels, call = call)
  if (!is.null(ct$result) && is.null(consensus) && is.null(target)) consensus <- ct$result
  r <- ct$ratings
  K <- length(r$levels)
  m <- nrow(r$items)
  counts <- matrix(ct$table$counts, K, m)
  n <- as.integer(ct$table$n)
  prefix <- level_prefix(abbreviate, r$levels, call)

  reached <- NULL
  rule <- NULL
  if (!is.null(target)) {
    consensus <- run_consensus(r, target = target, threshold = threshold,
                               opposite = opposite, opposite_threshold = opposite_threshold,
                               strict = strict, call = call)
  }
  if (!is.null(consensus)) {
    reached <- match_consensus(consensus, r$items$item, call)
    rule <- attr(consensus, "rule")
    # two-sided rules: three outcomes (in, out, none)
    if (!is.null(rule$opposite)) {
      reached <- consensus$status[match(r$items$item, as.character(consensus$item))]
    }
  }

  out <- r$items["item"]
  group_col <- resolve_group_col(group_col, r$items, call)
  clash <- intersect(r$levels, c("item", "n", "consensus", group_col))
  if (length(clash) > 0L) {
    abort("A level can't be called {.val {clash}}: that name is taken by another column of the table.",
          call = call)
  }
  for (k in seq_len(K)) {
    out[[r$levels[k]]] <- rating_cells(counts[k, ], n, prefix[k], decimals,
                                       decimal_mark, empty, trim_whole)
  }
  out$n <- n
  if (!is.null(reached)) {
    out$consensus <- reached
    hit <- reached %in% c(TRUE, "consensus in")
    out$item[hit] <- paste0(out$item[hit], marker)
  }
  if (!is.null(group_col)) {
    out <- cbind(r$items[group_col], out)
  }
  out <- group_rows(out, group_col, repeat_group)
  note <- rounding_note(decimals, "the raters of each item")
  if (!is.null(rule)) {
    note <- c(paste0(if (nzchar(trimws(marker))) paste0(trimws(marker), " ") else "",
                     "consensus: ", paste(format(rule), collapse = "; ")),
              note)
  }
  new_consensr_table(out, note)
}

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

#' Open-text answers by group and category (a "Table 3")
#'
#' Tabulates free-text answers that were sorted into categories (and groups
#' of categories), as in Table 3 of the reference study: one row per
#' category with the number of answers and the answers themselves joined by
#' `"; "`. Reported mention counts (such as [atmp_soft_skill_mentions]) can
#' be joined by category.
#'
#' Groups and categories keep the order of their factor levels, or of first
#' appearance. Missing and blank answers are dropped. When several themes
#' of `mentions` fall in one category their mentions are added up.
#'
#' @param x A data frame with one row per answer, such as [atmp_soft_skills].
#' @param group,category,answer Names of the columns of `x` with the group,
#'   the category and the answer. `group = NULL` for categories without
#'   groups.
#' @param mentions Optional data frame with a column named as `category` and
#'   an integer column `mentions`: reported counts joined by category (`NA`
#'   for categories without one).
#' @param long If `TRUE`, one row per answer instead of one per category.
#' @param repeat_group If `FALSE`, the group (and, in the long form, the
#'   category) is blanked after its first row.
#' @param sep The separator of the answers of a category.
#' @return A data frame of class `consensr_table`. Wide form: the group
#'   column, the category column, `n_answers` (integer), `mentions` (when
#'   given) and `answers`. Long form: the group, the category and the
#'   answer.
#' @seealso [table_ratings()], [table_participants()]
#' @examples
#' table_open_text(atmp_soft_skills, mentions = atmp_soft_skill_mentions)
#' head(table_open_text(atmp_soft_skills, long = TRUE, repeat_group = FALSE))
#' @export
table_open_text <- function(x, group = "group", category = "category",
                            answer = "answer", mentions = NULL, long = FALSE,
                            repeat_group = TRUE, sep = "; ") {
  call <- rlang::current_env()
  check_data_frame(x, call = call)
  if (!is.null(group)) check_string(group, "group", call = call)
  check_string(category, "category", call = call)
  check_string(answer, "answer", call = call)
  check_flag(long, "long", call = call)
  check_flag(repeat_group, "repeat_group", call = call)
  check_text(sep, "sep", allow_empty = TRUE, call = call)
  x <- as.data.frame(x, stringsAsFactors = FALSE)
  cols <- c(group, category, answer)
  for (arg in c("group", "category", "answer")) {
    col <- get(arg)
    if (!is.null(col) && !col %in% names(x)) {
      abort(c("{.arg x} must have the column {.field {col}} named by {.arg {arg}}.",
              "i" = "It has {.field {names(x)}}."), call = call)
    }
  }
  if (anyDuplicated(cols)) {
    abort("{.arg group}, {.arg category} and {.arg answer} must name different columns.",
          call = call)
  }
  for (col in cols) {
    if (!is.atomic(x[[col]])) {
      abort("The column {.field {col}} must be atomic, not a list.", call = call)
    }
  }
  ans <- as.character(x[[answer]])
  keep <- !is.na(ans) & nzchar(trimws(ans))
  if (!any(keep)) {
    abort("{.arg x} has no answers: the {.field {answer}} column is empty.", call = call)
  }
  for (col in c(group, category)) {
    if (anyNA(x[[col]][keep])) {
      abort("The {.field {col}} column can't be missing for an answer (row{?s} {head_text(which(keep & is.na(x[[col]])))}).",
            call = call)
    }
  }
  x <- x[keep, , drop = FALSE]
  key_of <- function(v) {
    keys <- if (is.factor(v)) base::levels(v) else unique(as.character(v))
    match(as.character(v), keys)
  }
  gi <- if (is.null(group)) rep(1L, nrow(x)) else key_of(x[[group]])
  ci <- key_of(x[[category]])
  ord <- order(gi, ci, seq_len(nrow(x)))
  x <- x[ord, , drop = FALSE]
  gi <- gi[ord]
  ci <- ci[ord]
  if (long) {
    out <- x[c(group, category, answer)]
    out[] <- lapply(out, as.character)
    rownames(out) <- NULL
    if (!repeat_group) {
      pair <- paste(gi, ci)
      if (!is.null(group)) out[[group]][duplicated(gi)] <- ""
      out[[category]][duplicated(pair)] <- ""
    }
    return(new_consensr_table(out, NULL))
  }
  pair <- paste(gi, ci)
  first <- !duplicated(pair)
  out <- x[first, c(group, category), drop = FALSE]
  out[] <- lapply(out, as.character)
  pf <- factor(pair, levels = unique(pair))
  out$n_answers <- as.integer(tabulate(pf, nlevels(pf)))
  if (!is.null(mentions)) {
    out$mentions <- join_mentions(mentions, category, out[[category]], call)
  }
  out$answers <- vapply(split(as.character(x[[answer]]), pf), paste,
                        character(1), collapse = sep, USE.NAMES = FALSE)
  rownames(out) <- NULL
  if (!repeat_group && !is.null(group)) {
    out[[group]][duplicated(gi[first])] <- ""
  }
  note <- if (!is.null(mentions)) {
    "mentions: counts as reported, added up per category; n_answers: distinct answers listed."
  }
  new_consensr_table(out, note)
}

join_mentions <- function(mentions, category, categories, call) {
  check_data_frame(mentions, "mentions", call = call)
  mentions <- as.data.frame(mentions, stringsAsFactors = FALSE)
  check_columns(mentions, c(category, "mentions"), "mentions", call = call)
  count <- check_counts(mentions[["mentions"]], "mentions", call = call)
  mc <- as.character(mentions[[category]])
  unknown <- setdiff(mc, categories)
  if (length(unknown) > 0L) {
    abort(c("{.arg mentions} names categories that are not in {.arg x}.",
            "x" = "Unknown: {.val {head_text(unknown)}}."), call = call)
  }
  total <- tapply(count, factor(mc, levels = categories), sum)
  as.integer(total)
}

#' @export
print.consensr_table <- function(x, ...) {
  note <- attr(x, "note")
  print(as.data.frame(x), row.names = FALSE, right = FALSE, ...)
  if (length(note)) cat(note, sep = "\n")
  invisible(x)
}

#' @export
as.data.frame.consensr_table <- function(x, ...) {
  attr(x, "note") <- NULL
  class(x) <- "data.frame"
  x
}

new_consensr_table <- function(x, note) {
  rownames(x) <- NULL
  structure(x, class = c("consensr_table", "data.frame"), note = note)
}

# --- helpers shared by the tables and the plots -------------------------------

# The consensus() function, called under another name inside functions that
# have an argument `consensus`.
run_consensus <- function(r, target, threshold, call, ...) {
  tryCatch(
    consensus(r, target = target, threshold = threshold, ...),
    error = function(e) {
      abort("Can't apply the consensus rule.", parent = e, call = call)
    }
  )
}

# The reached flags of a consensus() result, in the order of `items`.
match_consensus <- function(res, items, call) {
  if (!inherits(res, "consensr_consensus")) {
    abort("{.arg consensus} must be a {.fn consensus} result, not {.obj_type_friendly {res}}.",
          call = call)
  }
  ri <- as.character(res$item)
  if (!setequal(ri, items) || anyDuplicated(ri)) {
    abort(c("{.arg consensus} must be computed on the same items as {.arg x}.",
            "x" = "Items differ: {.val {head_text(c(setdiff(items, ri), setdiff(ri, items)))}}."),
          call = call)
  }
  res$reached[match(items, ri)]
}

# NULL -> first metadata column (or none); FALSE -> none; a string -> checked.
resolve_group_col <- function(group_col, items, call) {
  meta <- setdiff(names(items), "item")
  if (is.null(group_col)) return(if (length(meta)) meta[1L] else NULL)
  if (isFALSE(group_col)) return(NULL)
  if (!is.character(group_col) || length(group_col) != 1L || is.na(group_col)) {
    abort("{.arg group_col} must be the name of an item metadata column, {.code NULL} or {.code FALSE}.",
          call = call)
  }
  if (!group_col %in% meta) {
    abort(c("{.arg group_col} must name an item metadata column.",
            "x" = "{.field {group_col}} is not one.",
            "i" = if (length(meta)) "The metadata columns are {.field {meta}}." else
              "The items have no metadata."), call = call)
  }
  group_col
}

# Stable reordering so that each group's rows are contiguous, groups in the
# order of the factor levels (or first appearance); optional blanking.
group_rows <- function(out, group_col, repeat_group) {
  if (is.null(group_col)) return(out)
  g <- out[[group_col]]
  keys <- if (is.factor(g)) base::levels(g) else unique(as.character(g))
  gi <- match(as.character(g), keys)
  out <- out[order(gi, seq_along(gi), na.last = TRUE), , drop = FALSE]
  rownames(out) <- NULL
  if (!repeat_group) {
    v <- as.character(out[[group_col]])
    v[duplicated(v)] <- ""
    v[is.na(v)] <- ""
    out[[group_col]] <- v
  }
  out
}

level_prefix <- function(abbreviate, levels, call) {
  K <- length(levels)
  if (is.logical(abbreviate) && length(abbreviate) == 1L && !is.na(abbreviate)) {
    # numbers (1-9) end with ":" so that "1: 10% (2/20)" can't be misread
    if (all(grepl("^[0-9.+-]+$", levels))) return(paste0(levels, ":"))
    if (!abbreviate) return(levels)
    first <- substr(trimws(levels), 1L, 1L)
    return(if (anyDuplicated(first)) levels else first)
  }
  if (is.character(abbreviate) && !anyNA(abbreviate) &&
      length(abbreviate) %in% c(1L, K)) {
    return(rep_len(abbreviate, K))
  }
  abort("{.arg abbreviate} must be {.code TRUE}, {.code FALSE} or {K} prefix{?es} (one per level).",
        call = call)
}

rating_cells <- function(count, n, prefix, decimals, mark, empty, trim_whole) {
  pct <- format_pct_half_up(count, n, decimals, mark)
  if (trim_whole && decimals > 0L) {
    whole <- !is.na(pct) & (as.double(count) * 100) %% as.double(n) == 0
    pct[whole] <- format_pct_half_up(count[whole], n[whole], 0L)
  }
  lead <- if (nzchar(prefix)) paste0(prefix, " ") else ""
  out <- paste0(lead, pct, "% (", count, "/", n, ")")
  out[is.na(pct)] <- empty
  out
}

rounding_note <- function(decimals, of) {
  sprintf("Percentages of %s, rounded half-up to %d decimal%s.",
          of, decimals, if (decimals == 1L) "" else "s")
}

check_decimals <- function(decimals, call) {
  if (!is.numeric(decimals) || length(decimals) != 1L || is.na(decimals) ||
      decimals < 0 || decimals > 6 || decimals != trunc(decimals)) {
    abort("{.arg decimals} must be a whole number from 0 to 6.", call = call)
  }
  as.integer(decimals)
}

check_text <- function(x, arg, allow_empty = FALSE, call) {
  if (!is.character(x) || length(x) != 1L || is.na(x) ||
      (!allow_empty && !nzchar(x))) {
    abort("{.arg {arg}} must be a single{if (allow_empty) '' else ' non-empty'} string.",
          call = call)
  }
  invisible(x)
}

# 100 * count / n on the grid of `decimals` decimals, rounded half-up, as an
# integer-valued double; NA when n is 0 or missing. Exact: with
# v = count * 100 * 10^d (a whole number below 2^53), q = v %/% n and
# r = v %% n are exact, and the result is q + (2r >= n).
pct_half_up <- function(count, n, decimals) {
  count <- as.double(count)
  n <- as.double(n)
  len <- max(length(count), length(n))
  count <- rep_len(count, len)
  n <- rep_len(n, len)
  v <- count * 100 * 10^decimals
  ok <- !is.na(v) & !is.na(n) & n > 0
  if (any(v[ok] >= 2^53 | 2 * n[ok] >= 2^53)) {
    abort("Counts too large to round exactly at {decimals} decimal{?s}.",
          call = rlang::caller_env(2L))
  }
  out <- rep(NA_real_, len)
  r <- v[ok] %% n[ok]
  q <- (v[ok] - r) / n[ok]
  out[ok] <- q + (2 * r >= n[ok])
  out
}

# "84", "56.5": the half-up percentage as text, without the % sign.
format_pct_half_up <- function(count, n, decimals, mark = ".") {
  v <- pct_half_up(count, n, decimals)
  out <- rep(NA_character_, length(v))
  ok <- !is.na(v)
  if (decimals == 0L) {
    out[ok] <- formatC(v[ok], format = "f", digits = 0)
  } else {
    p <- 10^decimals
    whole <- floor(v[ok] / p)
    frac <- v[ok] - whole * p
    out[ok] <- paste0(formatC(whole, format = "f", digits = 0), mark,
                      formatC(frac, format = "f", digits = 0, width = decimals,
                              flag = "0"))
  }
  out
}
