#' Which items reach consensus?
#'
#' Applies a percentage rule to every item: an item reaches consensus when
#' at least `threshold` of the respondents who rated it chose a `target`
#' level. Two-sided rules (as used for core outcome sets) add a cap on the
#' opposite levels. The comparison is exact, in integers: a proportion
#' exactly at the threshold reaches it (18/24 at 0.75, 57/100 at 0.57).
#'
#' @section The rule and its boundaries:
#' Write `p_target` for the share of an item's raters who chose a `target`
#' level and `p_opposite` for the share who chose an `opposite` level.
#' * One-sided: **consensus** when `p_target >= threshold` (`>` when
#'   `strict = TRUE`), otherwise **no consensus**.
#' * Two-sided: **consensus in** when `p_target >= threshold` and
#'   `p_opposite < opposite_threshold`; **consensus out** (the mirror) when
#'   `p_opposite >= threshold` and `p_target < opposite_threshold`;
#'   otherwise **no consensus**. The cap is always strict (`<`); `strict`
#'   changes only the `>=` comparisons. The COMET rule for core outcome sets
#'   on a 1-9 scale is `target = 7:9, threshold = 0.7, opposite = 1:3,
#'   opposite_threshold = 0.15`.
#' * Within groups (`by`): an item reaches consensus in (or out) only when it
#'   does so within every group.
#' * An item nobody rated has `n = 0`, `prop = NA` and `reached = NA`. With
#'   groups, an item is undecided (`NA`) when some group did not rate it and
#'   every group that did agrees.
#'
#' @section Exactness:
#' A threshold is read as the simplest fraction within 1e-9 of the number
#' given (0.75 is 3/4, `1/3` is 1/3, and the 8th value of `seq(0.5, 1, by =
#' 0.01)`, 0.57000000000000006 in binary, is 57/100). A count `k` of `n`
#' then reaches a threshold `a/b` when `k * b >= a * n`, computed in 64-bit
#' integers: no floating-point slip at the boundary. Thresholds are
#' proportions in (0, 1]: `threshold = 75` is an error.
#'
#' When a count `k` of `n` (any `n` below 2^31) lies between the number given
#' and the fraction it is read as, the reading changes which counts reach it
#' (`(M - 1) / M` with `M = 2^31 - 1` is read as 1, so `M - 1` of `M` does not
#' reach it): a message says so. An exact fraction can be given as text,
#' `threshold = "2147483646/2147483647"`, and is taken as it is (reduced);
#' text is accepted wherever a threshold is (`opposite_threshold`,
#' the `thresholds` of [threshold_sensitivity()]).
#'
#' @inheritParams tally_ratings
#' @param target The level or levels counted together towards consensus, by
#'   label or value (e.g. `"Fundamental"` or `7:9`).
#' @param threshold The share of raters needed, a proportion in (0, 1], or
#'   an exact fraction as text such as `"3/4"` (see section Exactness).
#' @param opposite,opposite_threshold For two-sided rules: the opposite levels
#'   (must not overlap `target`) and the share of them that must not be
#'   reached (at most `threshold`). Give both or neither.
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the rule is applied within each round and the results are stacked, one
#'   row per item and round, with the round column after the item metadata.
#' @param strict If `TRUE`, the share must exceed `threshold` ("more than
#'   70%") rather than reach it ("70% or more", the default).
#' @return A data frame of class `consensr_consensus`, one row per item:
#'   `item`, the item metadata, `count` (raters choosing a target level),
#'   `n` (raters), `prop`, for two-sided rules `opposite_count` and
#'   `opposite_prop`, `status` (a factor) and `reached` (logical). With `by`,
#'   also `groups_reached` (how many groups reached consensus in; for
#'   two-sided rules `groups_reached_out` counts those that reached
#'   consensus out) and an
#'   attribute `"groups"` with the same columns per item and group (see
#'   [consensus_groups()]). With declared non-answers (`missing_levels`),
#'   `n_missing_level` counts them per item (they are not in `n`). The rule
#'   is kept in the attribute `"rule"` and the ratings in `"ratings"` (tables
#'   read the result through it); printing shows a one-line summary first.
#' @seealso [threshold_sensitivity()] to vary the threshold, [tally_ratings()]
#' @references Diamond IR, Grant RC, Feldman BM, et al. (2014). Defining
#'   consensus: a systematic review recommends methodologic criteria for
#'   reporting of Delphi studies. *Journal of Clinical Epidemiology*, 67(4),
#'   401-409.
#'
#'   Williamson PR, Altman DG, Bagley H, et al. (2017). The COMET Handbook:
#'   version 1.0. *Trials*, 18(Suppl 3), 280.
#' @examples
#' fundamental <- consensus(atmp_published, "Fundamental", threshold = 0.75)
#' fundamental
#'
#' # the same from the respondent-level reconstruction
#' consensus(atmp_ratings, "Fundamental", 0.75)
#'
#' # exactly at the threshold: 18 of 24 is 75%
#' x <- data.frame(item = "Q", level = c("yes", "no"), count = c(18, 6))
#' consensus(x, "yes", threshold = 0.75)$reached
#'
#' # a two-sided COMET rule on a 1-9 scale
#' set.seed(1)
#' panel <- data.frame(
#'   respondent = rep(1:20, each = 3),
#'   item = rep(c("Pain", "Function", "Cost"), 20),
#'   rating = sample(1:9, 60, replace = TRUE, prob = c(1, 1, 1, 1, 1, 2, 3, 4, 4))
#' )
#' consensus(panel, target = 7:9, threshold = 0.7,
#'           opposite = 1:3, opposite_threshold = 0.15, levels = 1:9)
#' @export
consensus <- function(x, target, threshold, opposite = NULL,
                      opposite_threshold = NULL, strict = FALSE, ...,
                      by = NULL, round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  # the rule's numbers are checked before the data are read (and reported)
  as_fraction(threshold, "threshold", call = call, quiet = TRUE)
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    sp <- split_rounds(r)
    res <- lapply(sp$parts, consensus, target = target, threshold = threshold,
                  opposite = opposite, opposite_threshold = opposite_threshold,
                  by = by, strict = strict)
    after <- c("item", attr(res[[1L]], "item_vars"))
    out <- bind_rounds(res, sp, after)
    if (!is.null(by)) attr(out, "groups") <- bind_rounds(lapply(res, attr, "groups"), sp, after)
    attr(out, "ratings") <- r
    return(out)
  }
  rule <- new_rule(r$levels, target, threshold, opposite, opposite_threshold,
                   strict, by, call)
  apply_rule(r, rule)
}

# The rule applied to validated ratings: tally (C), counts towards the
# target and the opposite, the exact comparison (C), the result frame.
apply_rule <- function(r, rule) {
  tab <- ratings_table(r, grouped = !is.null(rule$by))
  k <- rule_counts(tab, rule)
  res <- .Call(ffi_rule, k$target, k$opposite, k$n, length(tab$groups),
               rule$frac, rule$opposite_frac, rule$strict)
  consensus_frame(r, tab, k, rule, res)
}

# Counts towards the target and the opposite per group and item, as integer
# vectors with the group varying fastest (the layout of the C rule).
rule_counts <- function(tab, rule) {
  sum_levels <- function(codes) {
    s <- colSums(tab$counts[codes, , , drop = FALSE], dims = 1L)
    as.integer(s)
  }
  list(
    target = sum_levels(rule$target_codes),
    opposite = if (is.null(rule$opposite)) NULL else sum_levels(rule$opposite_codes),
    n = as.integer(tab$n)
  )
}

new_rule <- function(levels, target, threshold, opposite, opposite_threshold,
                     strict, by, call) {
  check_flag(strict, "strict", call = call)
  target_codes <- match_levels(target, levels, "target", call)
  frac <- as_fraction(threshold, "threshold", call = call)
  opposite_codes <- NULL
  opposite_frac <- NULL
  if (is.null(opposite) != is.null(opposite_threshold)) {
    if (is.null(opposite)) {
      abort("{.arg opposite_threshold} needs {.arg opposite}: the levels it caps.",
            call = call)
    }
    abort("{.arg opposite} needs {.arg opposite_threshold}, e.g. {.code opposite_threshold = 0.15}.",
          call = call)
  }
  if (!is.null(opposite)) {
    opposite_codes <- match_levels(opposite, levels, "opposite", call)
    both <- intersect(target_codes, opposite_codes)
    if (length(both) > 0L) {
      abort("{.arg target} and {.arg opposite} can't share levels; both hold {.val {levels[both]}}.",
            call = call)
    }
    opposite_frac <- as_fraction(opposite_threshold, "opposite_threshold", call = call)
    check_cap(frac, opposite_frac, "threshold", call)
  }
  structure(
    list(levels = levels, target = levels[target_codes],
         target_codes = target_codes, threshold = if (is.character(threshold)) frac[1L, 1L] / frac[2L, 1L] else as.double(threshold),
         frac = frac[, 1L], opposite = if (!is.null(opposite)) levels[opposite_codes],
         opposite_codes = opposite_codes,
         opposite_threshold = if (is.character(opposite_threshold)) opposite_frac[1L, 1L] / opposite_frac[2L, 1L] else if (!is.null(opposite)) as.double(opposite_threshold),
         opposite_frac = if (!is.null(opposite)) opposite_frac[, 1L],
         strict = strict, by = by),
    class = "consensr_rule"
  )
}

# In and out are exclusive only when the cap is at most the threshold.
check_cap <- function(frac, opposite_frac, arg, call) {
  low <- frac[1L, ] * opposite_frac[2L, 1L] < opposite_frac[1L, 1L] * frac[2L, ]
  if (any(low)) {
    abort(c("{.arg {arg}} must be at least {.arg opposite_threshold}.",
            "x" = "{format_threshold(frac[, low, drop = FALSE][, 1L, drop = FALSE])} is below {format_threshold(opposite_frac)}: an item could then be both in and out."),
          call = call)
  }
}

match_levels <- function(x, levels, arg, call) {
  if (is.null(x) || length(x) == 0L || !is.atomic(x)) {
    abort("{.arg {arg}} must name one or more levels of the scale {.val {levels}}.",
          call = call)
  }
  chr <- if (is.numeric(x)) level_text(x) else as.character(x)
  codes <- match(chr, levels)
  if (anyNA(codes)) {
    abort(c("{.arg {arg}} must name levels of the scale.",
            "x" = "Unknown: {.val {chr[is.na(codes)]}}.",
            "i" = "The levels are {.val {levels}}."), call = call)
  }
  unique(codes)
}

#' @export
format.consensr_rule <- function(x, ...) {
  side <- function(codes, frac, op) {
    paste(op, format_threshold(matrix(frac, 2L)), level_label(x$levels, codes))
  }
  ge <- if (x$strict) ">" else ">="
  if (is.null(x$opposite)) {
    return(side(x$target_codes, x$frac, ge))
  }
  c(
    paste0("in: ", side(x$target_codes, x$frac, ge), " and ",
           side(x$opposite_codes, x$opposite_frac, "<")),
    paste0("out: ", side(x$opposite_codes, x$frac, ge), " and ",
           side(x$target_codes, x$opposite_frac, "<"))
  )
}

#' @export
print.consensr_rule <- function(x, ...) {
  cat("<consensr_rule>", format(x), sep = "\n")
  invisible(x)
}

# "Fundamental", "7-9", "1, 3".
level_label <- function(levels, codes) {
  codes <- sort(codes)
  if (length(codes) > 2L && all(diff(codes) == 1L)) {
    return(paste0(levels[codes[1L]], "-", levels[codes[length(codes)]]))
  }
  paste(levels[codes], collapse = ", ")
}

status_labels <- function(rule) {
  if (is.null(rule$opposite)) {
    c("consensus", "no consensus")
  } else {
    c("consensus in", "consensus out", "no consensus")
  }
}

# Status codes of the C rule (see src/kernels.h) to factor and logical.
decode_status <- function(code, rule) {
  labels <- status_labels(rule)
  idx <- if (is.null(rule$opposite)) {
    c(NA, 1L, NA, 2L, NA)[code + 1L]
  } else {
    c(NA, 1L, 2L, 3L, NA)[code + 1L]
  }
  list(status = factor(labels[idx], levels = labels),
       reached = c(NA, TRUE, FALSE, FALSE, FALSE)[code + 1L])
}

consensus_frame <- function(r, tab, k, rule, res) {
  G <- length(tab$groups)
  m <- nrow(r$items)
  sum_groups <- function(v) as.integer(colSums(matrix(v, G, m)))
  out <- r$items
  out$count <- sum_groups(k$target)
  out$n <- sum_groups(k$n)
  out$prop <- safe_prop(out$count, out$n)
  if (!is.null(rule$opposite)) {
    out$opposite_count <- sum_groups(k$opposite)
    out$opposite_prop <- safe_prop(out$opposite_count, out$n)
  }
  if (!is.null(tab$nonanswer)) {
    out$n_missing_level <- as.integer(colSums(matrix(tab$nonanswer, G, m)))
  }
  st <- decode_status(res$item, rule)
  out$status <- st$status
  out$reached <- st$reached
  groups <- NULL
  if (!is.null(rule$by)) {
    gst <- decode_status(res$group, rule)
    groups <- r$items[rep(seq_len(m), each = G), , drop = FALSE]
    groups[[rule$by]] <- factor(rep(tab$groups, m), levels = tab$groups)
    groups$count <- k$target
    groups$n <- k$n
    groups$prop <- safe_prop(k$target, k$n)
    if (!is.null(rule$opposite)) {
      groups$opposite_count <- k$opposite
      groups$opposite_prop <- safe_prop(k$opposite, k$n)
    }
    groups$status <- gst$status
    groups$reached <- gst$reached
    rownames(groups) <- NULL
    out$groups_reached <- as.integer(colSums(matrix(gst$reached %in% TRUE, G, m)))
    if (!is.null(rule$opposite)) {
      out$groups_reached_out <- as.integer(colSums(matrix(gst$status %in% "consensus out", G, m)))
    }
  }
  rownames(out) <- NULL
  structure(out, class = c("consensr_consensus", "data.frame"), rule = rule,
            groups = groups, item_vars = setdiff(names(r$items), "item"),
            ratings = r)
}

#' Per-group results of a consensus rule
#'
#' @param x A [consensus()] result computed with `by`.
#' @param ... Not used: a result brings its own rounds and groups, so
#'   `by` and `round` are errors here (give them to the analysis).
#' @return A data frame with one row per item and group: the item, its
#'   metadata, the group, `count`, `n`, `prop`, `status` and `reached` within
#'   that group.
#' @examples
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' res <- consensus(panel, "Fundamental", 0.75, by = "setting")
#' head(consensus_groups(res))
#' @export
consensus_groups <- function(x, ...) {
  check_result_dots(..., fun = "consensus_groups")
  if (!inherits(x, "consensr_consensus")) {
    abort("{.arg x} must be a {.fn consensus} result, not {.obj_type_friendly {x}}.")
  }
  g <- attr(x, "groups")
  if (is.null(g)) {
    abort("{.arg x} was computed without {.arg by}, so it has no per-group results.")
  }
  g
}

consensus_headline <- function(x) {
  rule <- attr(x, "rule")
  if (is.null(rule) || !all(c("status", "reached") %in% names(x))) return(NULL)
  round <- attr(x, "round")
  if (!is.null(round) && round %in% names(x)) {
    key <- as.character(x[[round]])
    lines <- lapply(unique(key), function(k) {
      part <- x[key == k, , drop = FALSE]
      attr(part, "round") <- NULL
      h <- consensus_headline(part)
      c(paste0(round_label(round, k), ": ", h[1L]), h[-1L])
    })
    return(unlist(lines))
  }
  m <- nrow(x)
  items <- function(k) sprintf("%d item%s", k, if (k == 1L) "" else "s")
  within <- within_text(rule$by)
  undecided <- sum(is.na(x$status))
  tail <- if (undecided > 0L) {
    sprintf("; %s undecided (not rated%s)", items(undecided),
            if (!is.null(rule$by)) " in some group" else "")
  } else ""
  if (is.null(rule$opposite)) {
    reached <- sum(x$reached %in% TRUE)
    return(sprintf("%d of %s reached consensus%s (%s)%s", reached, items(m),
                   within, format(rule), tail))
  }
  tab <- table(x$status)
  c(sprintf("%d of %s reached consensus in%s, %d consensus out, %d no consensus%s",
            tab[["consensus in"]], items(m), within, tab[["consensus out"]],
            tab[["no consensus"]], tail),
    paste0("  ", format(rule)))
}

#' @export
print.consensr_consensus <- function(x, ...) {
  head <- consensus_headline(x)
  if (!is.null(head)) cat(head, sep = "\n")
  print(unclass_df(x), ...)
  invisible(x)
}

#' @export
summary.consensr_consensus <- function(object, ...) {
  rule <- attr(object, "rule")
  out <- list(
    rule = rule,
    headline = consensus_headline(object),
    status = table(object$status, useNA = "ifany"),
    reached = as.character(object$item[object$reached %in% TRUE])
  )
  round <- attr(object, "round")
  if (!is.null(round) && round %in% names(object)) {
    hit <- object$reached %in% TRUE
    out$reached <- paste0(round_label(round, object[[round]][hit]), ": ", object$item[hit])
  }
  vars <- attr(object, "item_vars")
  if (length(vars) > 0L) {
    var <- vars[1L]
    out$by_metadata <- table(object[[var]], factor(object$reached %in% TRUE, c(TRUE, FALSE),
                                                 c("reached", "not reached")),
                             dnn = c(var, ""))
  }
  structure(out, class = "consensr_consensus_summary")
}

#' @export
format.consensr_consensus_summary <- function(x, ...) {
  lines <- c(x$headline, "", "Items reaching consensus:",
             if (length(x$reached)) paste0("  ", x$reached) else "  (none)")
  if (!is.null(x$by_metadata)) {
    lines <- c(lines, "", utils::capture.output(print(x$by_metadata)))
  }
  lines
}

#' @export
print.consensr_consensus_summary <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}
