# ---------------------------------------------------------------------------
# Consensus round by round

#' Consensus round by round, and what became of each item
#'
#' Applies [consensus()] to each Delphi round on its own (the data are split
#' by the `round` column) and sets the rounds side by side: per item its
#' count, denominator, proportion and status in every round, and its fate
#' over the study.
#'
#' @section Fate of an item:
#' An item counts as rated in a round when at least one panellist rated it
#' there. A status of consensus (for two-sided rules, consensus in or out)
#' settles the item in that round. With `carry = "not_reached"` (the usual
#' design: items that reach consensus are retired, the others are rated
#' again) the fate is:
#' For two-sided rules the settled fates say which side was reached
#' (`"reached in"`, `"reached out"`, `"newly reached in"`, `"newly reached
#' out"`); for one-sided rules:
#' * `"reached"`: consensus at its first rating, kept to its last rating
#'   (`fate_round` is the round it was reached);
#' * `"newly reached"`: no consensus at first, carried forward, and reached
#'   in a later round (`fate_round`) and kept;
#' * `"lost consensus"`: reached in some round, rated again, and not reached
#'   at its last rating (`fate_round` is the round it was lost);
#' * `"no consensus"`: not reached at its last rating, which was in the last
#'   round (carried forward to the end, or new in the last round);
#' * `"dropped"`: never reached, and not rated again although later rounds
#'   followed (`fate_round` is its last round).
#'
#' With `carry = "all"` every item is meant to be rated in every round, so
#' an item missing from a later round is also `"dropped"` when it had
#' reached consensus at its last rating.
#' `carried` says whether the item was rated again after a round without
#' consensus. The final result of an item is its result when last rated
#' (`final_*`); `in_final_list` is `TRUE` for items whose fate is `"reached"`
#' or `"newly reached"` with consensus (in).
#'
#' @inheritParams consensus
#' @param x Ratings with a round column: a data frame in a shape
#'   [as_ratings()] reads (usually long: respondent, item, rating, round), or
#'   a [read_redcap()] result.
#' @param round Name of the column that holds the round. Rounds are taken in
#'   the order of its factor levels, else in sorted order (text by its
#'   number: "R2" before "R10"). `NULL` (the default) takes the rounds of a
#'   ratings object or a [read_redcap()] import, else a column named `round`
#'   (and says so); data without rounds are an error.
#' @param by Optional name of a respondent column of stakeholder groups:
#'   consensus is decided within every group, as in [consensus()].
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels`, `quiet`.
#' @param carry The design: `"not_reached"` (items without consensus are
#'   carried into the next round) or `"all"` (every item is rated in every
#'   round).
#' @return A data frame of class `consensr_delphi_summary`, one row per item
#'   (in order of first appearance): `item`, the item metadata, then for each
#'   round `k` (1, 2, ...) `count_k`, `n_k`, `prop_k` and `status_k` (`NA`
#'   when the item was not rated in that round), then `rounds_rated`,
#'   `carried`, `fate` (a factor), `fate_round`, `final_round`,
#'   `final_count`, `final_n`, `final_prop`, `final_status`, `final_reached`
#'   and `in_final_list`. Attributes: `rounds` (the round labels, in order),
#'   `by_round` (the stacked [consensus()] results with a `round` column),
#'   `rule` and `carry`.
#' @seealso [round_flow()], [plot_round_change()], [round_stability()]
#' @references Diamond IR, Grant RC, Feldman BM, et al. (2014). Defining
#'   consensus: a systematic review recommends methodologic criteria for
#'   reporting of Delphi studies. *Journal of Clinical Epidemiology*, 67(4),
#'   401-409.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' s <- delphi_summary(imp, "Fundamental", threshold = 0.75)
#' s
#' table(s$fate)
#' s[s$fate == "newly reached", c("item", "prop_1", "prop_2")]
#' @export
delphi_summary <- function(x, target, threshold, opposite = NULL,
                           opposite_threshold = NULL, strict = FALSE, ...,
                           carry = c("not_reached", "all"), by = NULL,
                           round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  carry <- classed_arg(rlang::arg_match(carry, error_call = call))
  p <- rounds_prepare(x, round, list(...), call, by = by)
  cons <- rounds_consensus(p, target, threshold, opposite, opposite_threshold, strict)
  delphi_frame(cons, p, carry)
}

delphi_frame <- function(cons, p, carry) {
  R <- length(cons)
  items <- rounds_items(p$ratings)
  m <- nrow(items)
  rule <- attr(cons[[1L]], "rule")
  labels <- status_labels(rule)
  out <- items
  status <- matrix(NA_character_, m, R)
  reached <- matrix(NA, m, R)
  count <- n <- matrix(NA_integer_, m, R)
  for (k in seq_len(R)) {
    ck <- cons[[k]]
    i <- match(items$item, ck$item)
    count[, k] <- ck$count[i]
    n[, k] <- ck$n[i]
    status[, k] <- as.character(ck$status[i])
    reached[, k] <- ck$reached[i]
    rated <- !is.na(n[, k]) & n[, k] > 0L
    count[!rated, k] <- NA_integer_
    n[!rated, k] <- NA_integer_
    status[!rated, k] <- NA_character_
    reached[!rated, k] <- NA
    out[[paste0("count_", k)]] <- count[, k]
    out[[paste0("n_", k)]] <- n[, k]
    out[[paste0("prop_", k)]] <- safe_prop(count[, k], n[, k])
    out[[paste0("status_", k)]] <- factor(status[, k], levels = labels)
  }
  settled <- !is.na(status) & status != "no consensus"
  rated <- !is.na(n)
  fate <- character(m)
  fate_round <- integer(m)
  carried <- logical(m)
  last <- integer(m)
  for (i in seq_len(m)) {
    rr <- which(rated[i, ])
    j <- length(rr)
    L <- rr[j]
    last[i] <- L
    s <- settled[i, rr]
    st <- status[i, rr]
    carried[i] <- j > 1L && any(!s[-j])
    if (s[j] && L < R && carry == "all") {
      fate[i] <- "dropped"
      fate_round[i] <- L
    } else if (s[j]) {
      start <- j
      while (start > 1L && s[start - 1L] && st[start - 1L] == st[j]) start <- start - 1L
      fate[i] <- paste0(if (start == 1L) "reached" else "newly reached",
                        fate_side(st[j]))
      fate_round[i] <- rr[start]
    } else if (any(s[-j])) {
      fate[i] <- "lost consensus"
      fate_round[i] <- rr[max(which(s)) + 1L]
    } else if (L < R) {
      fate[i] <- "dropped"
      fate_round[i] <- L
    } else {
      fate[i] <- "no consensus"
      fate_round[i] <- L
    }
  }
  idx <- cbind(seq_len(m), last)
  out$rounds_rated <- as.integer(rowSums(rated))
  out$carried <- carried
  out$fate <- factor(fate, levels = fate_levels(rule))
  out$fate_round <- factor(p$rounds[fate_round], levels = p$rounds)
  out$final_round <- factor(p$rounds[last], levels = p$rounds)
  out$final_count <- count[idx]
  out$final_n <- n[idx]
  out$final_prop <- safe_prop(out$final_count, out$final_n)
  out$final_status <- factor(status[idx], levels = labels)
  out$final_reached <- reached[idx]
  out$in_final_list <- grepl("^(newly )?reached( in)?$", out$fate) &
    out$final_reached %in% TRUE
  by_round <- do.call(rbind, lapply(seq_len(R), function(k) {
    d <- unclass_df(cons[[k]])
    d$round <- factor(rep(p$rounds[k], nrow(d)), levels = p$rounds)
    d[d$n > 0L, , drop = FALSE]
  }))
  rownames(by_round) <- NULL
  structure(out, class = c("consensr_delphi_summary", "data.frame"),
            rounds = p$rounds, round_name = p$name, by_round = by_round,
            rule = rule, carry = carry,
            item_vars = setdiff(names(items), "item"))
}

#' @export
format.consensr_delphi_summary <- function(x, ...) {
  if (!rounds_has_attrs(x, c("rounds", "rule"))) return(character())
  rounds <- attr(x, "rounds")
  rule <- attr(x, "rule")
  lines <- sprintf("<consensr_delphi_summary> %d item%s over %d round%s (%s)",
                   nrow(x), rounds_plural(nrow(x)), length(rounds), rounds_plural(length(rounds)),
                   paste(format(rule), collapse = "; "))
  for (k in seq_along(rounds)) {
    st <- x[[paste0("status_", k)]]
    rated <- sum(!is.na(st))
    # "round 1:", or "round 1 (Wave A):" when the label says more
    label <- if (identical(as.character(rounds[k]), as.character(k))) sprintf("round %d", k) else
      sprintf("round %d (%s)", k, rounds[k])
    lines <- c(lines, sprintf("  %s: %d item%s rated, %s",
                              label, rated, rounds_plural(rated),
                              reached_text(sum(st %in% c("consensus", "consensus in")),
                                           if (!is.null(rule$opposite)) sum(st %in% "consensus out"))))
  }
  tab <- table(x$fate)
  lines <- c(lines, paste0("  fate: ", paste(sprintf("%d %s", tab, names(tab)), collapse = ", ")),
             sprintf("  final list: %d item%s", sum(x$in_final_list), rounds_plural(sum(x$in_final_list))))
  lines
}

#' @export
print.consensr_delphi_summary <- function(x, ...) {
  rounds_cat(format(x, ...))
  print(rounds_plain_df(x), ...)
  invisible(x)
}
