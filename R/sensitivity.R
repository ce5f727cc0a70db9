#' How does the consensus list change with the threshold?
#'
#' Applies the same rule as [consensus()] at every threshold in `thresholds`
#' (in one pass in C), and compares each with the study's own `threshold`:
#' the items that enter (reach consensus at that threshold but not at the
#' study's) and those that leave. For every item it also gives the exact
#' proportion at which its status switches.
#'
#' @inheritParams consensus
#' @param thresholds The thresholds to try, proportions in (0, 1]. Values such
#'   as `seq(0.5, 1, by = 0.01)` are read as the round fractions they stand
#'   for (see [consensus()], section Exactness).
#' @param threshold The threshold the study fixed in advance (its rule),
#'   compared with every threshold of the sweep. There is no default.
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the sweep is made within each round and `summary`, `status` and `items`
#'   get a round column.
#' @return An object of class `consensr_sensitivity`, a list of:
#' * `summary`: one row per threshold (sorted, duplicates removed):
#'   `threshold`, `n_reached` (items reaching consensus, or consensus in for
#'   two-sided rules), `n_entered`, `n_left`, and list columns `entered` and
#'   `left` with the item names, compared with the study's threshold; for
#'   two-sided rules also `n_out` (items reaching consensus out at that
#'   threshold: the same threshold applies to the opposite levels);
#' * `status`: one row per item and threshold with `reached` (and, for
#'   two-sided rules, `status`: consensus in, consensus out or none);
#' * `items`: one row per item with `count`, `n`, `prop`,
#'   `reached_at_reference` and `max_threshold`: the largest threshold at which
#'   the item reaches consensus (it does so at every threshold up to and
#'   including it; below it when `strict = TRUE`), `NA` when it reaches
#'   consensus at none (for example when the opposite cap of a two-sided rule
#'   fails, when its proportion is below `opposite_threshold`, the smallest
#'   threshold a two-sided rule allows, or the item was not rated). `switch_at` gives the same proportion
#'   as an exact fraction `"k/n"`. With `by`, the smallest over the groups;
#' * `reference` (the study's threshold), `thresholds` and the `rule`.
#'
#' `as.data.frame()` returns `summary` with the item lists pasted together.
#' @examples
#' s <- threshold_sensitivity(atmp_published, "Fundamental", threshold = 0.75,
#'                            thresholds = c(0.7, 0.75, 0.8))
#' s
#' s$items[order(-s$items$max_threshold), c("item", "switch_at", "max_threshold")]
#'
#' # a dense sweep
#' dense <- threshold_sensitivity(atmp_ratings, "Fundamental", 0.75,
#'                                thresholds = seq(0.5, 1, by = 0.01))
#' head(as.data.frame(dense))
#' @export
threshold_sensitivity <- function(x, target, threshold, opposite = NULL,
                                  opposite_threshold = NULL, strict = FALSE, ...,
                                  thresholds = seq(0.5, 1, by = 0.05),
                                  by = NULL, round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  reference <- threshold
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    sp <- split_rounds(r)
    res <- lapply(sp$parts, threshold_sensitivity, thresholds = thresholds,
                  target = target, threshold = threshold, opposite = opposite,
                  opposite_threshold = opposite_threshold, by = by,
                  strict = strict)
    out <- res[[1L]]
    for (part in c("summary", "status", "items")) {
      after <- if (part == "summary") character() else names(out$items)[1L]
      out[[part]] <- bind_rounds(lapply(res, `[[`, part), sp, after)
      attr(out[[part]], "round") <- NULL
    }
    out$round <- sp$name
    return(out)
  }
  as_fraction(threshold, "threshold", call = call, quiet = TRUE)
  rule <- new_rule(r$levels, target, reference, opposite, opposite_threshold,
                   strict, by, call)
  fr <- as_fraction(thresholds, "thresholds", call = call, scalar = FALSE)
  if (!is.null(rule$opposite)) {
    check_cap(fr, matrix(rule$opposite_frac, 2L), "thresholds", call)
  }
  # sort by the exact fractions and drop duplicates (0.7 and 0.70000000001)
  ord <- order(fr[1L, ] / fr[2L, ])
  fr <- fr[, ord, drop = FALSE]
  keep <- !duplicated(paste(fr[1L, ], fr[2L, ]))
  fr <- fr[, keep, drop = FALSE]

  tab <- ratings_table(r, grouped = !is.null(by))
  k <- rule_counts(tab, rule)
  G <- length(tab$groups)
  st <- .Call(ffi_sweep, k$target, k$opposite, k$n, G,
              as.vector(cbind(fr, rule$frac)), rule$opposite_frac, strict)
  decoded <- decode_status(st, rule)
  reached <- matrix(decoded$reached, nrow(st))
  # two-sided rules: consensus out kept apart from no consensus
  status_all <- matrix(as.character(decoded$status), nrow(st))[, seq_len(ncol(fr)), drop = FALSE]
  n_t <- ncol(fr)
  ref <- reached[, n_t + 1L]
  reached <- reached[, seq_len(n_t), drop = FALSE]

  items <- r$items$item
  entered <- lapply(seq_len(n_t), function(j) items[reached[, j] %in% TRUE & !(ref %in% TRUE)])
  left <- lapply(seq_len(n_t), function(j) items[ref %in% TRUE & !(reached[, j] %in% TRUE)])
  thr <- fr[1L, ] / fr[2L, ]
  hit <- matrix(reached %in% TRUE, nrow(reached))
  summary <- data.frame(threshold = thr, n_reached = as.integer(colSums(hit)),
                        n_entered = lengths(entered), n_left = lengths(left))
  if (!is.null(rule$opposite)) {
    summary$n_out <- as.integer(colSums(matrix(status_all %in% "consensus out", nrow(status_all))))
  }
  summary$entered <- entered
  summary$left <- left

  m <- length(items)
  status <- r$items[rep(seq_len(m), n_t), , drop = FALSE]
  status$threshold <- rep(thr, each = m)
  status$reached <- as.vector(reached)
  if (!is.null(rule$opposite)) {
    status$status <- factor(as.vector(status_all), levels = status_labels(rule))
  }
  rownames(status) <- NULL

  structure(
    list(summary = summary, status = status,
         items = switch_points(r, tab, k, rule, ref),
         reference = rule$threshold, thresholds = thr, rule = rule),
    class = "consensr_sensitivity"
  )
}

# Per item: the largest threshold at which it reaches consensus, exactly.
# Within one group that is k/n when the rule can hold at all (the opposite
# cap passes, n > 0, and for two-sided rules k/n is not below
# opposite_threshold, the smallest threshold allowed); with groups, the
# smallest such fraction over groups.
switch_points <- function(r, tab, k, rule, ref) {
  G <- length(tab$groups)
  m <- nrow(r$items)
  # doubles: products of counts up to 2^31 stay exact below 2^53
  kt <- matrix(as.double(k$target), G, m)
  n <- matrix(as.double(k$n), G, m)
  ok <- n > 0L
  if (!is.null(rule$opposite)) {
    ko <- matrix(k$opposite, G, m)
    # cap: ko / n < a / b  <=>  ko * b < a * n (exact in doubles below 2^53)
    ok <- ok & (ko * rule$opposite_frac[2L] < rule$opposite_frac[1L] * n)
  }
  num <- rep(NA_integer_, m)
  den <- rep(NA_integer_, m)
  for (j in seq_len(m)) {
    if (!all(ok[, j])) next
    # smallest k/n over groups, compared exactly: k1 * n2 < k2 * n1
    best <- 1L
    for (g in seq_len(G)[-1L]) {
      if (kt[g, j] * n[best, j] < kt[best, j] * n[g, j]) best <- g
    }
    if (kt[best, j] == 0L) next
    # two-sided rules: thresholds are at least opposite_threshold (a / b),
    # so consensus in is reached at some threshold only when k/n >= a/b
    # (k/n > a/b when strict, since it then holds below k/n only)
    if (!is.null(rule$opposite)) {
      lhs <- kt[best, j] * rule$opposite_frac[2L]
      rhs <- rule$opposite_frac[1L] * n[best, j]
      if (if (isTRUE(rule$strict)) lhs <= rhs else lhs < rhs) next
    }
    num[j] <- kt[best, j]
    den[j] <- n[best, j]
  }
  out <- r$items
  out$count <- as.integer(colSums(kt))
  out$n <- as.integer(colSums(n))
  out$prop <- safe_prop(out$count, out$n)
  out$reached_at_reference <- ref
  out$max_threshold <- num / den
  out$switch_at <- ifelse(is.na(num), NA_character_, paste0(num, "/", den))
  rownames(out) <- NULL
  out
}

#' @export
as.data.frame.consensr_sensitivity <- function(x, ...) {
  s <- x$summary
  s$entered <- vapply(s$entered, paste, character(1), collapse = "; ")
  s$left <- vapply(s$left, paste, character(1), collapse = "; ")
  s
}

#' @export
format.consensr_sensitivity <- function(x, ...) {
  if (!is.null(x$round)) {
    key <- as.character(x$summary[[x$round]])
    return(unlist(lapply(unique(key), function(k) {
      part <- x
      part$round <- NULL
      part$summary <- x$summary[key == k, , drop = FALSE]
      c(paste0(round_label(x$round, k), ":"), format(part, ...))
    })))
  }
  s <- x$summary
  ref <- format_threshold(matrix(x$rule$frac, 2L))
  head <- sprintf("Threshold sensitivity of %s: %d threshold%s from %s to %s; reference %s",
                  paste(format(x$rule), collapse = " / "), nrow(s),
                  if (nrow(s) == 1L) "" else "s",
                  format_pct(min(s$threshold)), format_pct(max(s$threshold)), ref)
  rows <- sprintf("%7s  %3d reached%s%s%s", format_pct(s$threshold), s$n_reached,
                  if (is.null(s$n_out)) "" else sprintf(" in, %d out", s$n_out),
                  ifelse(s$n_entered > 0L,
                         paste0("; +", vapply(s$entered, paste, character(1), collapse = ", ")), ""),
                  ifelse(s$n_left > 0L,
                         paste0("; -", vapply(s$left, paste, character(1), collapse = ", ")), ""))
  c(head, rows)
}

#' @export
print.consensr_sensitivity <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}
