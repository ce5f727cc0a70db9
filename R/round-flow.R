# ---------------------------------------------------------------------------
# Round flow

#' The flow of items and panellists through the rounds
#'
#' A table with one row per round from which a flow diagram (as in CONSORT
#' or ACCORD reporting) can be drawn: how many panellists took part, joined
#' or left, how many items were rated, reached consensus, and were carried
#' into the next round, retired or dropped. [plot_round_flow()] draws it.
#'
#' @inheritParams delphi_summary
#' @return A data frame of class `consensr_round_flow`, one row per round:
#'   `round`, `panellists` (rated at least one item), `panellists_new` (first
#'   time), `panellists_lost` (rated in the previous round, not in this one),
#'   `items_rated`, `items_new` (not rated in the previous round),
#'   `reached` (consensus, or consensus in and out for two-sided rules),
#'   `not_reached`, and towards the next round (`NA` in the last):
#'   `carried` (not reached and rated again), `dropped` (not reached and not
#'   rated again), `retired` (reached and not rated again) and `rerated`
#'   (reached and rated again). Attributes: `final` (the number of items in
#'   the final list, see [delphi_summary()]) and `summary` (the
#'   [delphi_summary()] result).
#' @seealso [plot_round_flow()], [delphi_summary()], [attrition()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' round_flow(imp, "Fundamental", threshold = 0.75)
#' @export
round_flow <- function(x, target, threshold, opposite = NULL,
                       opposite_threshold = NULL, strict = FALSE, ...,
                       carry = c("not_reached", "all"), by = NULL, round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  carry <- classed_arg(rlang::arg_match(carry, error_call = call))
  p <- rounds_prepare(x, round, list(...), call, by = by, codes = TRUE)
  cons <- rounds_consensus(p, target, threshold, opposite, opposite_threshold, strict)
  s <- delphi_frame(cons, p, carry)
  panel <- lapply(p$ratings, rounds_panel)
  R <- length(p$rounds)
  rated <- sapply(seq_len(R), function(k) !is.na(s[[paste0("n_", k)]]))
  status_k <- function(k) as.character(s[[paste0("status_", k)]])
  settled <- sapply(seq_len(R), function(k) {
    st <- status_k(k)
    !is.na(st) & st != "no consensus"
  })
  rated <- matrix(rated, ncol = R)
  settled <- matrix(settled, ncol = R)
  seen <- character()
  rows <- lapply(seq_len(R), function(k) {
    resp <- panel[[k]]$responded
    prev <- if (k > 1L) panel[[k - 1L]]$responded else character()
    nxt <- if (k < R) rated[, k + 1L] else NULL
    d <- data.frame(
      round = p$rounds[k],
      panellists = length(resp),
      panellists_new = length(setdiff(resp, seen)),
      panellists_lost = if (k > 1L) length(setdiff(prev, resp)) else NA_integer_,
      items_rated = sum(rated[, k]),
      items_new = if (k > 1L) sum(rated[, k] & !rated[, k - 1L]) else sum(rated[, k]),
      reached = sum(status_k(k) %in% c("consensus", "consensus in")),
      reached_out = sum(status_k(k) %in% "consensus out"),
      not_reached = sum(rated[, k] & !settled[, k]),
      carried = if (k < R) sum(rated[, k] & !settled[, k] & nxt) else NA_integer_,
      dropped = if (k < R) sum(rated[, k] & !settled[, k] & !nxt) else NA_integer_,
      retired = if (k < R) sum(settled[, k] & !nxt) else NA_integer_,
      rerated = if (k < R) sum(settled[, k] & nxt) else NA_integer_,
      stringsAsFactors = FALSE
    )
    seen <<- union(seen, resp)
    d
  })
  out <- do.call(rbind, rows)
  out$round <- factor(out$round, levels = p$rounds)
  if (is.null(attr(s, "rule")$opposite)) out$reached_out <- NULL
  rownames(out) <- NULL
  structure(out, class = c("consensr_round_flow", "data.frame"),
            final = sum(s$in_final_list), summary = s)
}

#' @export
format.consensr_round_flow <- function(x, ...) {
  need <- c("round", "panellists", "items_rated", "reached", "carried", "dropped")
  if (!rounds_has_attrs(x, "final") || !all(need %in% names(x))) return(character())
  lines <- "<consensr_round_flow>"
  for (k in seq_len(nrow(x))) {
    lines <- c(lines, sprintf("  %s: %d panellist%s rated %d item%s, %s%s",
                              x$round[k], x$panellists[k], rounds_plural(x$panellists[k]),
                              x$items_rated[k], rounds_plural(x$items_rated[k]),
                              reached_text(x$reached[k], x$reached_out[k]),
                              if (is.na(x$carried[k])) "" else
                                sprintf("; %d carried forward, %d dropped", x$carried[k], x$dropped[k])))
  }
  c(lines, sprintf("  final list: %d item%s", attr(x, "final"), rounds_plural(attr(x, "final"))))
}

#' @export
print.consensr_round_flow <- function(x, ...) {
  rounds_cat(format(x, ...))
  y <- x
  attr(y, "final") <- attr(y, "summary") <- NULL
  class(y) <- "data.frame"
  print(y, ...)
  invisible(x)
}

# Fates of a two-sided rule say which side was reached.
fate_side <- function(status) {
  switch(as.character(status), "consensus in" = " in", "consensus out" = " out", "")
}

fate_levels <- function(rule) {
  settled <- if (is.null(rule$opposite)) c("reached", "newly reached") else
    c("reached in", "reached out", "newly reached in", "newly reached out")
  c(settled, "lost consensus", "no consensus", "dropped")
}

# "3 reached consensus", or "3 consensus in, 1 consensus out".
reached_text <- function(n_in, n_out = NULL) {
  if (is.null(n_out)) return(sprintf("%d reached consensus", n_in))
  sprintf("%d consensus in, %d consensus out", n_in, n_out)
}
