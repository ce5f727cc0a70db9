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
#'   `items`, `item_data`, `missing_levels`, `format`.
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
#' @param result Optional [consensus()] result computed from `x`, whose
#'   statuses flag the items (instead of a rule given here). `x` can also be
#'   such a result itself.
#' @param target,threshold,opposite,opposite_threshold,strict Optional rule:
#'   when `target` is given (with its `threshold`: there is no default),
#'   [consensus()] is called with them to flag the items (a two-sided rule
#'   gives three outcomes: in, out, none).
#' @param area The item metadata column that groups the rows, e.g.
#'   `"area"`. `NULL` (the default) uses the first metadata column that varies between items, if any;
#'   `FALSE` gives no grouping column.
#' @param by,round Optional names of the respondent column of stakeholder
#'   groups and of the round column: the table then has one block of rows
#'   per round and group, with the round and the group as its first columns
#'   (each group's cells and status are its own). A [consensus()] result
#'   brings its own rounds and groups.
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
#' @return A data frame of class `consensr_table`: the round and group
#'   columns (with rounds or `by`), the area column (unless `area = FALSE`),
#'   `item`, one character column per level (named by
#'   the level), `n` (raters of the item) and, when a rule is given,
#'   `consensus` (logical, or for a two-sided rule the status "consensus in",
#'   "consensus out", "no consensus"; `NA` for an item nobody rated). Rows are grouped by
#'   the group column (in the order of its factor levels, or of first
#'   appearance) and keep the input order within a group. Printing shows a
#'   note on the rule and the rounding; `as.data.frame()` drops the class.
#' @seealso [table_participants()], [table_open_text()], [check_reported()],
#'   [plot_bars()]
#' @examples
#' tab <- table_ratings(atmp_published, "Fundamental", threshold = 0.75)
#' head(tab)
#'
#' # as printed in the paper: one decimal with a middle dot, blank repeats
#' tab <- table_ratings(atmp_published, decimals = 1, decimal_mark = "\u00b7",
#'                      trim_whole = TRUE, target = "Fundamental",
#'                      threshold = 0.75, repeat_group = FALSE)
#'
#' # a block of rows per stakeholder group, each with its own status
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' head(table_ratings(panel, "Fundamental", 0.75, by = "setting", area = FALSE))
#' tab[1:3, ]
#'
#' # knitr::kable(tab) gives a Markdown, HTML or LaTeX table
#' @export
table_ratings <- function(x, target = NULL, threshold = NULL, opposite = NULL,
                          opposite_threshold = NULL, strict = FALSE, ...,
                          result = NULL, levels = NULL, abbreviate = TRUE,
                          decimals = 0, decimal_mark = ".", area = NULL,
                          repeat_group = TRUE, marker = " *", empty = "-",
                          trim_whole = FALSE, by = NULL, round = NULL) {
  call <- rlang::current_env()
  decimals <- check_decimals(decimals, call = call)
  check_text(decimal_mark, "decimal_mark", call = call)
  check_flag(repeat_group, "repeat_group", call = call)
  check_flag(trim_whole, "trim_whole", call = call)
  check_text(marker, "marker", allow_empty = TRUE, call = call)
  if (!(length(empty) == 1L && (is.na(empty) || is.character(empty)))) {
    abort("{.arg empty} must be a single string or {.code NA}.", call = call)
  }
  if (!is.null(result) && !is.null(target)) {
    abort(c("Give either {.arg result} or {.arg target}, not both.",
            "i" = "{.arg target} computes the consensus result that {.arg result} supplies."),
          call = call)
  }
  if (!is.null(threshold) && is.null(target)) {
    abort("{.arg threshold} needs {.arg target}: the levels whose share it counts.",
          call = call)
  }
  if (!is.null(target) && is.null(threshold)) require_threshold(call = call)
  if (inherits(x, "consensr_consensus")) {
    if (!is.null(target) || !is.null(result)) {
      abort(c("{.arg target} and {.arg result} can't be given when {.arg x} is a {.fn consensus} result.",
              "i" = "The result's own rule is used."), call = call)
    }
    refuse_result_args(x, by, round, call)
    result <- consensus_check(x, call)
    r <- attr(x, "ratings")
    if (is.null(r)) {
      abort(c("{.arg x} lost the ratings it was computed from.",
              "i" = "Give the ratings and {.code result = } instead."),
            call = call, class = "consensr_error_result")
    }
    # the rows of a result: a table of those items
    keep <- r$items$item %in% as.character(x$item)
    if (!all(keep)) r <- ratings_items(r, keep)
  } else {
    r <- read_for_plot(x, ..., levels = levels, by = by, round = round, call = call)
  }
  if (!is.null(result) && !inherits(result, "consensr_consensus")) {
    abort("{.arg result} must be a {.fn consensus} result, not {.obj_type_friendly {result}}.",
          call = call)
  }
  if (!is.null(result) && !is.null(by) && !identical(by, attr(result, "rule")$by)) {
    abort(c("{.arg by} must be the groups {.arg result} was decided within.",
            "x" = "{.arg result} was computed {if (is.null(attr(result, 'rule')$by)) 'without groups' else paste0('with by = \"', attr(result, 'rule')$by, '\"')}; {.arg by} is {.val {by}}."),
          call = call, class = "consensr_error_by")
  }
  by <- if (!is.null(result)) attr(result, "rule")$by else analysis_by(r, by)
  if (!is.null(target)) {
    result <- run_consensus(r, target = target, threshold = threshold,
                            opposite = opposite, opposite_threshold = opposite_threshold,
                            strict = strict, by = by, call = call)
  }
  rule <- if (!is.null(result)) attr(result, "rule")
  panels <- panels_of_ratings(r, by)
  flags <- if (!is.null(result)) table_flags(panels, result, call)
  area <- resolve_area(area, r$items, call)
  clash <- intersect(r$levels, c("item", "n", "consensus", area, panel_keys(panels)))
  if (length(clash) > 0L) {
    abort("A level can't be called {.val {clash}}: that name is taken by another column of the table.",
          call = call)
  }
  prefix <- level_prefix(abbreviate, r$levels, call)
  pieces <- lapply(seq_along(panels$parts), function(i) {
    table_panel(panels$parts[[i]], flags[[i]], prefix, decimals, decimal_mark,
                empty, trim_whole, marker, area, repeat_group)
  })
  out <- stack_panels(panels, pieces)
  note <- rounding_note(decimals, "the raters of each item")
  if (!is.null(rule)) {
    note <- c(paste0(if (nzchar(trimws(marker))) paste0(trimws(marker), " ") else "",
                     if (is.null(rule$opposite)) "consensus: " else "consensus in (the consensus column also shows out): ",
                     paste(format(rule), collapse = "; "),
                     within_text(by)),
              note)
  }
  new_consensr_table(out, note)
}

# One panel's rows.
table_panel <- function(r, reached, prefix, decimals, decimal_mark, empty,
                        trim_whole, marker, area, repeat_group) {
  tab <- ratings_table(r, grouped = FALSE)
  K <- length(r$levels)
  m <- nrow(r$items)
  counts <- matrix(tab$counts, K, m)
  n <- as.integer(tab$n)
  out <- r$items["item"]
  for (k in seq_len(K)) {
    out[[r$levels[k]]] <- rating_cells(counts[k, ], n, prefix[k], decimals,
                                       decimal_mark, empty, trim_whole)
  }
  out$n <- n
  # declared non-answers ("Unable to score"): counted, not in n
  if (!is.null(tab$nonanswer)) out$n_missing_level <- as.integer(colSums(matrix(tab$nonanswer, ncol = m)))
  if (!is.null(reached)) {
    out$consensus <- reached
    hit <- reached %in% c(TRUE, "consensus in")
    out$item[hit] <- paste0(out$item[hit], marker)
  }
  if (!is.null(area)) {
    out <- cbind(r$items[area], out)
  }
  group_rows(out, area, repeat_group)
}

# The flags (reached, or the status of a two-sided rule) of each panel of
# the ratings, from the matching panel of the result.
table_flags <- function(panels, result, call) {
  rp <- panels_of_result(result)
  key <- function(k) if (ncol(k)) do.call(paste, c(lapply(k, as.character), sep = "\r")) else rep("", max(1L, nrow(k)))
  if (!identical(panel_keys(panels), panel_keys(rp))) {
    abort(c("{.arg result} must be computed from the same rounds and groups as {.arg x}.",
            "x" = "{.arg x} has {if (length(panel_keys(panels))) paste(panel_keys(panels), collapse = ' and ') else 'neither rounds nor groups'}; {.arg result} has {if (length(panel_keys(rp))) paste(panel_keys(rp), collapse = ' and ') else 'neither'}."),
          call = call)
  }
  at <- match(key(panels$keys), key(rp$keys))
  lapply(seq_along(panels$parts), function(i) {
    items <- panels$parts[[i]]$items$item
    if (is.na(at[i])) return(rep(NA, length(items)))
    res <- rp$parts[[at[i]]]
    reached <- match_consensus(res, items, call)
    if (!is.null(attr(result, "rule")$opposite)) {
      reached <- res$status[match(items, as.character(res$item))]
    }
    reached
  })
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
    abort("{.arg result} must be a {.fn consensus} result, not {.obj_type_friendly {res}}.",
          call = call)
  }
  ri <- as.character(res$item)
  if (!setequal(ri, items) || anyDuplicated(ri)) {
    abort(c("{.arg result} must be computed on the same items as {.arg x}.",
            "x" = "Items differ: {.val {head_text(c(setdiff(items, ri), setdiff(ri, items)))}}."),
          call = call)
  }
  res$reached[match(items, ri)]
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
