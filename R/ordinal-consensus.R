#' Ordinal consensus and dispersion per item
#'
#' Three per-item measures of how concentrated the ratings are on an
#' ordinal scale, from the counts per level: Tastle & Wierman's consensus
#' `cns`, Leik's ordinal dispersion `leik`, and van der Eijk's agreement
#' `agreement`. They are computed in C and equal the R package agrmt's
#' `consensus()`, `Leik()` and `agreement()`.
#'
#' @section Definitions:
#' The `K` levels are the positions 1, ..., K (the values of the levels do
#' not matter, only their order). With `p_i` the share of the item's raters
#' at level `i` (missing ratings left out):
#' * `cns = 1 + sum_i p_i log2(1 - |i - mu| / (K - 1))`, `mu = sum_i i p_i`
#'   the mean position (Tastle & Wierman 2007): 1 when every rater chose
#'   one level, 0 for an even split between the two extremes.
#' * `leik = sum_i d_i / ((K - 1) / 2)` with `F_i` the cumulative share
#'   and `d_i = F_i` if `F_i <= 1/2`, else `1 - F_i` (Leik 1966): 0 when
#'   every rater chose one level, 1 for an even split between the extremes
#'   (the comparison `F_i <= 1/2` is made in integers).
#' * `agreement`: van der Eijk's (2001) A. The distribution is split into
#'   layers (each layer takes the smallest non-zero count from every level
#'   still chosen); each layer's 0/1 pattern over the levels gets
#'   `A = U (1 - (S - 1) / (K - 1))`, `S` the levels in the pattern and `U`
#'   the unimodality computed from the triples of levels; A is the mean of
#'   the layers' agreements weighted by their share of the raters. From -1
#'   (bimodal at the extremes) through 0 (uniform) to 1 (all at one level).
#'   It needs at least 3 levels (`NA` otherwise, as in agrmt).
#'
#' An item nobody rated has `NA` for all three; a scale of one level has
#' `NA` for all three.
#'
#' @inheritParams content_validity
#' @return A data frame of class `consensr_ordinal_consensus`, one row per
#'   item (and group): `item`, the item metadata, the group, `n`, `cns`,
#'   `leik`, `agreement`; with `round`, a round column.
#' @references Tastle WJ, Wierman MJ (2007). Consensus and dissention: a
#'   measure of ordinal dispersion. *International Journal of Approximate
#'   Reasoning*, 45(3), 531-545. \doi{10.1016/j.ijar.2006.06.024}
#'
#'   Leik RK (1966). A measure of ordinal consensus. *Pacific Sociological
#'   Review*, 9(2), 85-90. \doi{10.2307/1388242}
#'
#'   van der Eijk C (2001). Measuring agreement in ordered rating scales.
#'   *Quality & Quantity*, 35(3), 325-341. \doi{10.1023/A:1010374114305}
#'
#'   Ruedin D (2024). agrmt: Calculate Concentration and Dispersion in
#'   Ordered Rating Scales. R package.
#' @seealso [summary.consensr_ratings()], [consensus_median()]
#' @examples
#' counts <- data.frame(item = rep(c("split", "one", "uniform"), each = 5),
#'                      level = rep(1:5, 3),
#'                      count = c(5, 0, 0, 0, 5, 0, 0, 10, 0, 0, 2, 2, 2, 2, 2))
#' ordinal_consensus(counts, levels = 1:5)
#' @export
ordinal_consensus <- function(x, ..., by = NULL, round = NULL) {
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(panel_rounds(r, function(d) ordinal_consensus(d, by = by)))
  }
  pc <- panel_counts(r, by)
  res <- .Call(ffi_ordinal_consensus, pc$counts)
  out <- pc$rows
  out$n <- pc$n
  out$cns <- res[, 1L]
  out$leik <- res[, 2L]
  out$agreement <- res[, 3L]
  panel_frame(out, r, by, c("consensr_ordinal_consensus", "consensr_panel_stat"),
              headline = sprintf("<consensr_ordinal_consensus> %d item%s on %d levels: Tastle-Wierman cns, Leik's D, van der Eijk's A",
                                 pc$m, if (pc$m == 1L) "" else "s", length(r$levels)))
}
