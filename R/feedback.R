# Feedback for the next Delphi round: each panellist gets the panel's
# distribution of every item with their own previous rating marked.
# feedback_data() computes it, write_redcap_feedback() writes it as a REDCap
# import file, render_feedback() renders one report per panellist.

#' Feedback for the next round: the panel's results with each panellist's own rating
#'
#' Before the next round of a Delphi study every panellist is sent, for every
#' item, the group's distribution of ratings with their own previous rating
#' marked. `feedback_data()` computes what goes into that feedback, one row
#' per panellist and item.
#'
#' @section What is computed:
#' For the round fed back (`which_round`), per item: `n`, the panellists who
#' rated it (declared non-answers such as "Unable to score" are not in `n`,
#' as in [consensus()]; they are counted in `n_nonanswer`); `count_k` and
#' `share_k = count_k / n` for each level `k` of the scale (`k` is the
#' level's position; the labels are in `attr(x, "levels")`); `median`, `q1`
#' and `q3`, the median and quartiles (`stats::quantile(type = 7)`, the
#' default of R) of the ratings taken as numbers: the level values when the
#' levels are numbers (1-9), otherwise their positions 1..K; `iqr = q3 -
#' q1`; and, when a rule is given (`target`, `threshold`, ...), the item's
#' `status` under [consensus()]. Per panellist: `own_rating`, their rating
#' of the item in that round (a level, a declared non-answer, or `NA` when
#' they did not rate it) and `own_group`, their group when `by` is given.
#'
#' With `by`, `attr(x, "groups")` holds each group's distribution per item
#' (`group`, `n`, `count_k`, `share_k`). A group with fewer than
#' `min_group_size` raters of an item has its counts set to `NA`
#' (`suppressed = TRUE`): a distribution of one or two people would show
#' their individual ratings.
#'
#' @section Anonymity:
#' The result holds, besides each panellist's own ratings, only counts over
#' the panel (and over groups of at least `min_group_size`). Feedback made
#' from it (`render_feedback()`, `write_redcap_feedback()`) gives each
#' panellist their own rows and these counts, never another panellist's id
#' or rating. An item rated by very few panellists still lets each of them
#' work out the others' ratings from the counts and their own; `n` is given
#' so that this can be checked.
#'
#' @param x Respondent-level ratings with a round column (long or wide data
#'   that [as_ratings()] reads, a [read_redcap()] result or a
#'   `consensr_ratings` object), or ratings of a single round with `round =
#'   NULL`.
#' @param target,threshold,opposite,opposite_threshold,strict Optional rule
#'   (see [consensus()]) giving each item's `status`. `threshold` has no
#'   default.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels`, ...
#' @param by Optional respondent column of stakeholder groups: each group's
#'   distribution is added, and the rule must hold in every group.
#' @param round Name of the column holding the round (`NULL` for ratings of
#'   one round).
#' @param which_round The round fed back, by label or position; by default
#'   the last round.
#' @param min_group_size Smallest number of raters of an item for a group's
#'   distribution to be shown (default 3).
#' @return A data frame of class `consensr_feedback`, one row per panellist
#'   (who responded in that round) and item: `respondent`, `own_group` (with
#'   `by`), `item`, the item metadata, `own_rating`, `n`, `n_nonanswer`,
#'   `count_1`, ..., `count_K`, `share_1`, ..., `share_K`, `median`, `q1`,
#'   `q3`, `iqr` and `status` (with a rule). Attributes: `levels`,
#'   `round` (the round fed back), `rule`, `items` (one row per item with the
#'   panel's distribution) and `groups`.
#' @seealso [render_feedback()], [write_redcap_feedback()], [plot_feedback()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' fb <- feedback_data(imp, target = "Fundamental", threshold = 0.75,
#'                     which_round = 1)
#' fb[fb$respondent == "1", c("item", "own_rating", "n", "share_1", "median", "status")][1:3, ]
#' @export
feedback_data <- function(x, target = NULL, threshold = NULL, opposite = NULL,
                          opposite_threshold = NULL, strict = FALSE, ...,
                          by = NULL, round = NULL, which_round = NULL,
                          min_group_size = 3) {
  call <- rlang::current_env()
  if (is.null(target) != is.null(threshold)) {
    abort("Give both {.arg target} and {.arg threshold} for the items' status, or neither.",
          call = call, class = "consensr_error_rule")
  }
  min_group_size <- rob_check_whole(min_group_size, "min_group_size", call = call)
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!has_codes(r)) {
    abort(c("{.arg x} must hold each panellist's ratings, not counts.",
            "i" = "Feedback marks each panellist's own rating."),
          call = call, class = "consensr_error_shape")
  }
  r <- ratings_materialize(r)
  round_value <- NULL
  if (!is.null(r$round)) {
    sp <- split_rounds(r)
    k <- feedback_round_pos(which_round, sp$rounds, call)
    r <- sp$parts[[k]]
    round_value <- sp$rounds[k]
  } else if (!is.null(which_round)) {
    abort("{.arg which_round} needs {.arg round}, the column holding the rounds.",
          call = call, class = "consensr_error_round")
  }
  rule <- NULL
  status <- NULL
  if (!is.null(target)) {
    cons <- run_consensus(r, target = target, threshold = threshold, call = call,
                          opposite = opposite, opposite_threshold = opposite_threshold,
                          strict = strict, by = by)
    rule <- attr(cons, "rule")
    status <- cons$status
  }
  items <- feedback_items(r, status)
  groups <- if (!is.null(by)) feedback_groups(r, by, min_group_size) else NULL

  # the panellists who responded in this round (a rating or a non-answer)
  answered <- ratings_answered(r)
  who <- which(rowSums(answered) > 0L)
  m <- nrow(r$items)
  own <- feedback_own(r)
  rows <- data.frame(respondent = rep(r$respondents[who], each = m),
                     stringsAsFactors = FALSE)
  if (!is.null(by)) rows$own_group <- rep(as.character(r$group[who]), each = m)
  idx <- rep(seq_len(m), length(who))
  rows <- cbind(rows, items[idx, c("item", setdiff(names(r$items), "item")), drop = FALSE])
  rows$own_rating <- factor(own[cbind(rep(who, each = m), idx)],
                            levels = c(r$levels, r$missing_levels))
  rows <- cbind(rows, items[idx, setdiff(names(items), names(r$items)), drop = FALSE])
  rownames(rows) <- NULL
  structure(rows, class = c("consensr_feedback", "data.frame"),
            levels = r$levels, missing_levels = r$missing_levels,
            round = round_value, rule = rule, items = items, groups = groups,
            by = by, min_group_size = min_group_size)
}

feedback_round_pos <- function(which_round, rounds, call) {
  if (is.null(which_round)) return(length(rounds))
  if (length(which_round) != 1L || is.na(which_round)) {
    abort("{.arg which_round} must be one round, by label or position.", call = call,
          class = "consensr_error_round")
  }
  k <- if (is.numeric(which_round)) as.integer(which_round) else match(as.character(which_round), rounds)
  if (is.na(k) || k < 1L || k > length(rounds)) {
    abort(c("{.arg which_round} must be a round of {.arg x}.",
            "x" = "{.val {as.character(which_round)}} is not one of {.val {rounds}}."),
          call = call, class = "consensr_error_round")
  }
  k
}

# The rating of each respondent x item as text: level, non-answer or NA.
feedback_own <- function(r) {
  own <- matrix(r$levels[r$codes], nrow(r$codes), ncol(r$codes))
  if (!is.null(r$nonanswer)) own[r$nonanswer$index] <- r$missing_levels[r$nonanswer$level]
  own
}

# Numbers the quartiles are computed on: the level values when numeric,
# else the positions 1..K.
feedback_values <- function(levels) {
  num <- suppressWarnings(as.numeric(levels))
  if (anyNA(num)) seq_along(levels) else num
}

# One row per item: the panel's distribution, quartiles and status.
feedback_items <- function(r, status) {
  K <- length(r$levels)
  m <- nrow(r$items)
  tab <- ratings_table(r, grouped = FALSE)
  counts <- matrix(tab$counts, K, m)
  n <- as.integer(tab$n)
  out <- r$items
  out$n <- n
  out$n_nonanswer <- if (!is.null(tab$nonanswer)) as.integer(tab$nonanswer) else 0L
  for (k in seq_len(K)) out[[paste0("count_", k)]] <- as.integer(counts[k, ])
  for (k in seq_len(K)) out[[paste0("share_", k)]] <- safe_prop(counts[k, ], n)
  vals <- feedback_values(r$levels)
  q <- t(vapply(seq_len(m), function(j) {
    if (n[j] == 0L) return(rep(NA_real_, 3L))
    v <- rep(vals, counts[, j])
    unname(stats::quantile(v, c(0.5, 0.25, 0.75), type = 7))
  }, numeric(3)))
  out$median <- q[, 1L]
  out$q1 <- q[, 2L]
  out$q3 <- q[, 3L]
  out$iqr <- out$q3 - out$q1
  if (!is.null(status)) out$status <- status
  rownames(out) <- NULL
  out
}

# One row per item and group: the group's distribution (NA when too small).
feedback_groups <- function(r, by, min_size) {
  K <- length(r$levels)
  m <- nrow(r$items)
  tab <- ratings_table(r, grouped = TRUE)
  G <- length(tab$groups)
  counts <- array(tab$counts, c(K, G, m))
  n <- matrix(tab$n, G, m)
  out <- r$items[rep(seq_len(m), each = G), "item", drop = FALSE]
  out$group <- rep(tab$groups, m)
  out$n <- as.integer(n)
  small <- out$n < min_size
  for (k in seq_len(K)) {
    v <- as.integer(counts[k, , ])
    v[small] <- NA_integer_
    out[[paste0("count_", k)]] <- v
  }
  for (k in seq_len(K)) out[[paste0("share_", k)]] <- safe_prop(out[[paste0("count_", k)]], out$n)
  out$suppressed <- small
  rownames(out) <- NULL
  out
}

#' @export
print.consensr_feedback <- function(x, ...) {
  lv <- attr(x, "levels")
  if (!is.null(lv)) {
    cat(sprintf("<consensr_feedback> %d panellist%s x %d item%s%s; scale %s\n",
                length(unique(x$respondent)), if (length(unique(x$respondent)) == 1L) "" else "s",
                length(unique(x$item)), if (length(unique(x$item)) == 1L) "" else "s",
                if (!is.null(attr(x, "round"))) paste0(", round ", attr(x, "round")) else "",
                paste(sprintf("%d = %s", seq_along(lv), lv), collapse = ", ")))
  }
  print(unclass_df(x), ...)
  invisible(x)
}

# The feedback of one panellist: their rows and the panel's counts only.
feedback_panellist <- function(x, id) {
  rows <- x[x$respondent == id, , drop = FALSE]
  out <- unclass_df(rows)
  rownames(out) <- NULL
  structure(out, class = c("consensr_feedback", "data.frame"),
            levels = attr(x, "levels"), missing_levels = attr(x, "missing_levels"),
            round = attr(x, "round"), rule = attr(x, "rule"),
            items = attr(x, "items"), groups = attr(x, "groups"), by = attr(x, "by"),
            min_group_size = attr(x, "min_group_size"))
}

check_feedback <- function(x, call) {
  if (!inherits(x, "consensr_feedback") || is.null(attr(x, "levels"))) {
    abort("{.arg x} must be a {.fn feedback_data} result, not {.obj_type_friendly {x}}.",
          call = call, class = "consensr_error_feedback")
  }
}

#' Plot one panellist's feedback: the panel's distribution, own rating marked
#'
#' One panel per item: a bar per level with the share of the panel that chose
#' it (and the count), the panellist's own rating outlined and labelled
#' "you".
#'
#' @param x A [feedback_data()] result for one panellist (or give
#'   `respondent`).
#' @param respondent The panellist whose rating is marked, when `x` holds
#'   several.
#' @param ncol Number of columns of item panels.
#' @return A ggplot object.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' fb <- feedback_data(imp, "Fundamental", threshold = 0.75, which_round = 2)
#' plot_feedback(fb, respondent = "1")
#' @export
plot_feedback <- function(x, respondent = NULL, ncol = 3) {
  call <- rlang::current_env()
  check_feedback(x, call)
  if (!is.null(respondent)) {
    if (!as.character(respondent) %in% x$respondent) {
      abort("{.arg respondent} must be a panellist of {.arg x}; {.val {respondent}} is not.",
            call = call, class = "consensr_error_feedback")
    }
    x <- feedback_panellist(x, as.character(respondent))
  }
  if (length(unique(x$respondent)) != 1L) {
    abort("{.arg x} holds several panellists: give {.arg respondent}.",
          call = call, class = "consensr_error_feedback")
  }
  d <- plot_feedback_data(x)
  ggplot2::ggplot(d, ggplot2::aes(x = .data$level, y = .data$share)) +
    ggplot2::geom_col(ggplot2::aes(fill = .data$own, colour = .data$own), width = 0.75,
                      linewidth = 0.6) +
    ggplot2::geom_text(ggplot2::aes(label = .data$label), vjust = -0.3, size = 3) +
    ggplot2::facet_wrap(ggplot2::vars(.data$item_label), ncol = ncol) +
    ggplot2::scale_fill_manual(values = c(other = "grey75", you = "#1f78b4"),
                               labels = c(other = "panel", you = "your rating"), name = NULL) +
    ggplot2::scale_colour_manual(values = c(other = "grey75", you = "black"), guide = "none") +
    ggplot2::scale_y_continuous(labels = function(v) paste0(round(100 * v), "%"),
                                limits = c(0, 1.15), breaks = seq(0, 1, 0.25)) +
    ggplot2::labs(x = NULL, y = "share of the panel") +
    ggplot2::theme_minimal(base_size = 10) +
    ggplot2::theme(legend.position = "top", panel.grid.major.x = ggplot2::element_blank())
}

plot_feedback_data <- function(x) {
  lv <- attr(x, "levels")
  K <- length(lv)
  m <- nrow(x)
  wrapped <- vapply(as.character(x$item), function(s) paste(strwrap(s, 36), collapse = "\n"),
                    character(1), USE.NAMES = FALSE)
  item_label <- paste0(wrapped, "\n(n = ", x$n, ", you: ",
                       ifelse(is.na(x$own_rating), "not rated", as.character(x$own_rating)), ")")
  d <- data.frame(
    item_label = factor(rep(item_label, each = K), levels = unique(item_label)),
    level = factor(rep(lv, m), levels = lv),
    count = as.vector(t(as.matrix(x[paste0("count_", seq_len(K))]))),
    share = as.vector(t(as.matrix(x[paste0("share_", seq_len(K))]))),
    stringsAsFactors = FALSE
  )
  own <- rep(as.character(x$own_rating), each = K)
  d$own <- factor(ifelse(!is.na(own) & own == as.character(d$level), "you", "other"),
                  levels = c("other", "you"))
  d$label <- ifelse(is.na(d$share), "", paste0(round(100 * d$share), "% (", d$count, ")"))
  d$share[is.na(d$share)] <- 0
  d
}

#' Write the feedback as a REDCap import file
#'
#' Writes one row per panellist (record) with the feedback of every item in
#' fields that a REDCap project can show in the next round's survey (for
#' example in a descriptive field with piping, `[fb_comp_01_own]`). The
#' matching data dictionary rows (text fields on the form `form`) are
#' written with `dictionary_file`, to be added to the project before the
#' import.
#'
#' @section Field names:
#' For an item whose REDCap field is `f` (from the [read_redcap()] import
#' given as `redcap`; otherwise the item's position, `item_01`, ...), with
#' `prefix` (default `"fb_"`):
#' * `<prefix><f>_own`: the panellist's own rating in the round fed back
#'   (the level's label; empty when not rated);
#' * `<prefix><f>_n`: the number of panellists who rated the item;
#' * `<prefix><f>_pct<k>`: the share of them who chose level `k` (its
#'   position on the scale), in whole percent, rounded half-up;
#' * `<prefix><f>_median`, `<prefix><f>_iqr`: the median and the
#'   interquartile range as `"q1-q3"` (see [feedback_data()]);
#' * `<prefix><f>_status`: the item's status (with a rule).
#' The record id field is that of the project (`record_id` by default, or
#' the record id field of `redcap`); `redcap_event_name` is added when
#' `event` is given (longitudinal projects: the event of the next round).
#' Names are lower case, at most 100 characters (REDCap's limit);
#' longer names are an error.
#'
#' @param x A [feedback_data()] result.
#' @param file Path of the CSV file to write.
#' @param redcap Optional [read_redcap()] result the ratings came from: its
#'   item fields and record id field name the columns.
#' @param event Optional REDCap unique event name of the next round (e.g.
#'   `"round_2_arm_1"`).
#' @param prefix Prefix of the field names.
#' @param form Form of the feedback fields in the dictionary rows.
#' @param dictionary_file Optional path: the REDCap data dictionary rows of
#'   the feedback fields are written there.
#' @return The data frame written (invisibly), with the dictionary rows in
#'   the attribute `"dictionary"`.
#' @seealso [feedback_data()], [read_redcap()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' fb <- feedback_data(imp, "Fundamental", threshold = 0.75, which_round = 1)
#' out <- write_redcap_feedback(fb, tempfile(fileext = ".csv"), redcap = imp,
#'                              event = "round_2_arm_1")
#' out[1:2, 1:6]
#' @export
write_redcap_feedback <- function(x, file, redcap = NULL, event = NULL,
                                  prefix = "fb_", form = "feedback",
                                  dictionary_file = NULL) {
  call <- rlang::current_env()
  check_feedback(x, call)
  check_string(file, "file", call = call)
  check_text(prefix, "prefix", allow_empty = TRUE, call = call)
  check_string(form, "form", call = call)
  if (!is.null(event)) check_string(event, "event", call = call)
  if (!is.null(dictionary_file)) check_string(dictionary_file, "dictionary_file", call = call)
  items <- attr(x, "items")
  lv <- attr(x, "levels")
  K <- length(lv)
  record_id <- "record_id"
  fields <- sprintf("item_%02d", seq_len(nrow(items)))
  if (!is.null(redcap)) {
    if (!inherits(redcap, "consensr_redcap")) {
      abort("{.arg redcap} must be a {.fn read_redcap} result, not {.obj_type_friendly {redcap}}.",
            call = call, class = "consensr_error_feedback")
    }
    f <- redcap$items$field[match(items$item, redcap$items$item)]
    if (anyNA(f)) {
      abort(c("{.arg redcap} must hold the items of {.arg x}.",
              "x" = "Not in it: {.val {head_text(items$item[is.na(f)])}}."),
            call = call, class = "consensr_error_feedback")
    }
    fields <- f
    rf <- redcap$report$fields
    id <- rf$field[rf$role %in% "record id"]
    if (length(id) >= 1L) record_id <- id[1L]
  }
  base <- tolower(paste0(prefix, fields))
  suffix <- c("own", "n", paste0("pct", seq_len(K)), "median", "iqr",
              if (!is.null(items$status)) "status")
  names_all <- as.vector(outer(suffix, base, function(s, b) paste0(b, "_", s)))
  bad <- names_all[nchar(names_all) > 100L | !grepl("^[a-z][a-z0-9_]*$", names_all)]
  if (length(bad) > 0L) {
    abort(c("The feedback field names must be REDCap variable names: lower case letters, digits and underscores, starting with a letter, at most 100 characters.",
            "x" = "Not valid: {.val {head_text(bad)}}.",
            "i" = "Change {.arg prefix}, or give {.arg redcap} for the project's field names."),
          call = call, class = "consensr_error_feedback")
  }
  ids <- unique(x$respondent)
  out <- data.frame(id = ids, stringsAsFactors = FALSE)
  names(out) <- record_id
  if (!is.null(event)) out$redcap_event_name <- event
  fmt_num <- function(v) ifelse(is.na(v), "", trimws(formatC(v, format = "fg", digits = 6)))
  for (j in seq_len(nrow(items))) {
    rows <- x[x$item == items$item[j], , drop = FALSE]
    at <- match(ids, rows$respondent)
    b <- base[j]
    own <- as.character(rows$own_rating[at])
    out[[paste0(b, "_own")]] <- ifelse(is.na(own), "", own)
    out[[paste0(b, "_n")]] <- rep(items$n[j], length(ids))
    for (k in seq_len(K)) {
      p <- format_pct_half_up(items[[paste0("count_", k)]][j], items$n[j], 0L)
      out[[paste0(b, "_pct", k)]] <- rep(if (is.na(p)) "" else p, length(ids))
    }
    out[[paste0(b, "_median")]] <- rep(fmt_num(items$median[j]), length(ids))
    out[[paste0(b, "_iqr")]] <- rep(if (is.na(items$q1[j])) "" else
      paste0(fmt_num(items$q1[j]), "-", fmt_num(items$q3[j])), length(ids))
    if (!is.null(items$status)) {
      st <- as.character(items$status[j])
      out[[paste0(b, "_status")]] <- rep(if (is.na(st)) "" else st, length(ids))
    }
  }
  dict <- feedback_dictionary(items, base, suffix, lv, form)
  utils::write.csv(out, file, row.names = FALSE, na = "")
  if (!is.null(dictionary_file)) utils::write.csv(dict, dictionary_file, row.names = FALSE, na = "")
  attr(out, "dictionary") <- dict
  invisible(out)
}

feedback_dictionary <- function(items, base, suffix, levels, form) {
  what <- function(s) {
    k <- suppressWarnings(as.integer(sub("^pct", "", s)))
    if (!is.na(k) && startsWith(s, "pct")) return(sprintf("%% of the panel rating %s", levels[k]))
    switch(s, own = "Your rating in the previous round", n = "Panellists who rated the item",
           median = "Median rating", iqr = "Interquartile range (Q1-Q3)",
           status = "Consensus status")
  }
  rows <- lapply(seq_along(base), function(j) {
    data.frame(
      `Variable / Field Name` = paste0(base[j], "_", suffix),
      `Form Name` = form,
      `Section Header` = c(items$item[j], rep("", length(suffix) - 1L)),
      `Field Type` = "text",
      `Field Label` = vapply(suffix, what, character(1), USE.NAMES = FALSE),
      check.names = FALSE, stringsAsFactors = FALSE
    )
  })
  do.call(rbind, rows)
}

#' Render one feedback report per panellist
#'
#' Renders, for every panellist of a [feedback_data()] result, an HTML or
#' Word report from an R Markdown template: the round's results item by item
#' with the panellist's own rating marked on each item's distribution (see
#' [plot_feedback()]), the median and interquartile range and the status.
#' Each report is rendered from that panellist's rows and the panel's
#' counts only (see the Anonymity section of [feedback_data()]).
#'
#' The template receives the parameters `feedback` (the panellist's
#' [feedback_data()] rows, with the item distributions in its attributes),
#' `respondent` and `title`. The default template is
#' `system.file("rmarkdown", "feedback", "feedback.Rmd", package =
#' "consensr")`; copy it to change the wording.
#'
#' @param x A [feedback_data()] result.
#' @param dir Folder the reports are written to (created if needed).
#' @param format `"html"` or `"docx"`.
#' @param template Path of an R Markdown template with the parameters above.
#' @param title Title of the reports.
#' @param respondents The panellists to render (default: all).
#' @param file_prefix Start of the file names: `<file_prefix><id>.html`.
#' @param progress Show a progress bar? `NULL`: in interactive sessions.
#' @return The paths of the files written (invisibly), named by panellist.
#' @seealso [feedback_data()], [write_redcap_feedback()]
#' @examples
#' \donttest{
#' if (rmarkdown::pandoc_available()) {
#'   imp <- read_redcap(
#'     system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'     system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#'   )
#'   fb <- feedback_data(imp, "Fundamental", threshold = 0.75, which_round = 2)
#'   files <- render_feedback(fb, tempfile("feedback"), respondents = "1")
#'   basename(files)
#' }
#' }
#' @export
render_feedback <- function(x, dir, format = c("html", "docx"), template = NULL,
                            title = "Your feedback for the next round",
                            respondents = NULL, file_prefix = "feedback-",
                            progress = NULL) {
  call <- rlang::current_env()
  check_feedback(x, call)
  format <- rlang::arg_match(format, error_call = call)
  check_string(dir, "dir", call = call)
  check_string(title, "title", call = call)
  check_text(file_prefix, "file_prefix", allow_empty = TRUE, call = call)
  if (!is.null(progress)) check_flag(progress, "progress", call = call)
  if (!requireNamespace("rmarkdown", quietly = TRUE)) {
    abort("{.fn render_feedback} needs the {.pkg rmarkdown} package.", call = call,
          class = "consensr_error_dependency")
  }
  if (!rmarkdown::pandoc_available()) {
    abort("{.fn render_feedback} needs pandoc (see {.fn rmarkdown::pandoc_available}).",
          call = call, class = "consensr_error_dependency")
  }
  if (is.null(template)) {
    template <- system.file("rmarkdown", "feedback", "feedback.Rmd", package = "consensr")
  }
  if (!file.exists(template)) {
    abort("{.arg template} must be an existing R Markdown file; {.file {template}} is not.",
          call = call, class = "consensr_error_feedback")
  }
  ids <- unique(x$respondent)
  if (!is.null(respondents)) {
    respondents <- as.character(respondents)
    unknown <- setdiff(respondents, ids)
    if (length(unknown) > 0L) {
      abort("{.arg respondents} must be panellists of {.arg x}; {.val {head_text(unknown)}} {?is/are} not.",
            call = call, class = "consensr_error_feedback")
    }
    ids <- respondents
  }
  safe <- gsub("[^A-Za-z0-9_.-]", "_", ids)
  if (anyDuplicated(safe)) safe <- paste0(safe, "-", seq_along(ids))
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  dir <- normalizePath(dir)
  out_format <- if (format == "html") {
    rmarkdown::html_document(self_contained = TRUE, toc = FALSE)
  } else {
    rmarkdown::word_document()
  }
  show <- if (is.null(progress)) interactive() else progress
  if (show) {
    bar <- cli::cli_progress_bar("Rendering feedback", total = length(ids), clear = FALSE)
  }
  files <- character(length(ids))
  for (i in seq_along(ids)) {
    # each report is knitted in its own folder from a copy of the template,
    # with only this panellist's rows
    work <- tempfile("consensr-feedback-")
    dir.create(work)
    src <- file.path(work, "feedback.Rmd")
    file.copy(template, src)
    own <- feedback_panellist(x, ids[i])
    files[i] <- rmarkdown::render(
      src, output_format = out_format,
      output_file = paste0(file_prefix, safe[i], ".", format), output_dir = dir,
      params = list(feedback = own, respondent = ids[i], title = title),
      envir = new.env(parent = globalenv()), quiet = TRUE, intermediates_dir = work
    )
    unlink(work, recursive = TRUE)
    if (show) cli::cli_progress_update(id = bar)
  }
  if (show) cli::cli_progress_done(id = bar)
  invisible(stats::setNames(files, ids))
}
