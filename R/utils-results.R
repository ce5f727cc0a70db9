# Results behave like data frames: a subset keeps its class only while the
# columns its methods read are there (otherwise it is a plain data frame),
# and a subset of rows forgets the per-round results kept for printing.

result_needs <- list(
  consensr_consensus = c("item", "status", "reached"),
  consensr_tally = c("item", "level", "count", "n"),
  consensr_rand_ucla = c("item", "median", "p_lower", "p_upper", "ipr", "iprcp",
                         "asymmetry_index", "ipras", "di", "classification"),
  consensr_agreement = c("method", "metric", "estimate", "se", "conf_low",
                         "conf_high", "interval", "items_used", "raters",
                         "variant", "note"),
  consensr_robustness = c("item", "reached"),
  consensr_group_comparison = c("item", "p_value", "p_adjusted")
)

result_after <- function(x, out, cls, n_args) {
  if (!is.data.frame(out)) return(out)
  needs <- result_needs[[cls]]
  if (cls == "consensr_robustness") {
    needs <- c(needs, if (identical(attr(x, "method"), "bootstrap")) "p_reached" else "n_flips")
  }
  if (!all(needs %in% names(out))) return(as.data.frame(unclass_df(out)))
  if (n_args > 2L || !identical(nrow(out), nrow(x))) attr(out, "by_round") <- NULL
  # rows of one round: a single-round result again
  round <- attr(out, "round")
  if (!is.null(round) && round %in% names(out) && length(unique(out[[round]])) <= 1L) {
    attr(out, "round") <- NULL
    attr(out, "by_round") <- NULL
  }
  out
}

#' @export
`[.consensr_consensus` <- function(x, ...) result_after(x, NextMethod(), "consensr_consensus", nargs())
#' @export
`[.consensr_tally` <- function(x, ...) result_after(x, NextMethod(), "consensr_tally", nargs())
#' @export
`[.consensr_rand_ucla` <- function(x, ...) result_after(x, NextMethod(), "consensr_rand_ucla", nargs())
#' @export
`[.consensr_agreement` <- function(x, ...) result_after(x, NextMethod(), "consensr_agreement", nargs())
#' @export
`[.consensr_robustness` <- function(x, ...) result_after(x, NextMethod(), "consensr_robustness", nargs())
#' @export
`[.consensr_group_comparison` <- function(x, ...) {
  result_after(x, NextMethod(), "consensr_group_comparison", nargs())
}


# A result as a plain data frame: names and row names only.
unclass_df <- function(x) {
  attributes(x) <- attributes(x)[c("names", "row.names")]
  class(x) <- "data.frame"
  x
}
