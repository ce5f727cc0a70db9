#' Summaries of the ratings of every item
#'
#' One tidy table of per-item summaries on any scale: raters, mean, SD,
#' median, quartiles, IQR, mode and the share of raters per level.
#'
#' @section Definitions:
#' The levels are valued by their numbers when every level is a number,
#' else by their position 1, 2, ..., K (`mean`, `sd`, `median`, `q1`, `q3`
#' are on that scale; on a text scale they are positions). Missing ratings
#' are left out. `sd` is the sample SD (denominator `n - 1`; `NA` for fewer
#' than 2 raters). `median` is the middle rating (mean of the two middle
#' ones for even `n`); `q1`, `q3` follow [stats::quantile()]'s `type` (7,
#' R's default, or 6, SPSS's; see [consensus_median()]). `mode` is the most
#' chosen level, and when several levels tie, all of them joined by `" / "`
#' in scale order; `n_modes` says how many tie. `share_<level>` is the
#' share of raters who chose that level (count / n). An item nobody rated
#' has `n = 0` and `NA` elsewhere.
#'
#' @param object Ratings: a `consensr_ratings` object (see [as_ratings()]).
#' @param ... Unused.
#' @param by Optional respondent-level column: one row per item and group.
#' @param round Optional round column: one row per item and round.
#' @param type The quantile definition of `q1` and `q3` (1 to 9).
#' @return A data frame of class `consensr_ratings_summary`: `item`, the
#'   item metadata, the group and round columns when asked, `n`, `mean`,
#'   `sd`, `median`, `q1`, `q3`, `iqr`, `mode`, `n_modes`, then one
#'   `share_<level>` column per level.
#' @seealso [plot_heat()] draws the shares; [tally_ratings()] gives the
#'   counts in long form.
#' @examples
#' r <- as_ratings(atmp_ratings, levels = c("Fundamental", "Ancillary", "Less Important"),
#'                 quiet = TRUE)
#' head(summary(r))
#' @export
summary.consensr_ratings <- function(object, ..., by = NULL, round = NULL, type = 7) {
  call <- rlang::current_env()
  check_dots_empty(..., call = call)
  check_quantile_type(type, call)
  r <- as_ratings(object, by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(panel_rounds(r, function(d) summary(d, by = by, type = type)))
  }
  values <- level_values(r$levels)
  pc <- panel_counts(r, by)
  counts <- pc$counts
  n <- pc$n
  out <- pc$rows
  out$n <- n
  rated <- n > 0L
  mean <- ifelse(rated, as.vector(crossprod(values, counts)) / n, NA_real_)
  dev2 <- vapply(seq_len(ncol(counts)), function(j) {
    sum(counts[, j] * (values - mean[j])^2)
  }, numeric(1))
  out$mean <- mean
  out$sd <- ifelse(n > 1L, sqrt(dev2 / (n - 1)), NA_real_)
  out <- cbind(out, counts_quartiles(counts, values, type))
  top <- apply(counts, 2L, max)
  is_mode <- sweep(counts, 2L, top, "==") & matrix(rated, nrow(counts), ncol(counts), byrow = TRUE)
  out$mode <- vapply(seq_len(ncol(counts)), function(j) {
    if (!rated[j]) return(NA_character_)
    paste(r$levels[is_mode[, j]], collapse = " / ")
  }, character(1))
  out$n_modes <- ifelse(rated, as.integer(colSums(is_mode)), NA_integer_)
  for (k in seq_along(r$levels)) {
    out[[paste0("share_", r$levels[k])]] <- ifelse(rated, counts[k, ] / n, NA_real_)
  }
  panel_frame(out, r, by, c("consensr_ratings_summary", "consensr_panel_stat"),
              type = as.integer(type),
              headline = sprintf("<consensr_ratings_summary> %d item%s on %s; quartiles of type %d",
                                 pc$m, if (pc$m == 1L) "" else "s",
                                 scale_text(r$levels), as.integer(type)))
}
