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
