# autoplot() methods: the default picture of each result.
#
# The generic is imported from ggplot2 (and re-exported, R/reexports.R), so
# the methods are registered with a plain @export. (roxygen2 7.2.3 drops
# `@exportS3Method ggplot2::autoplot` with a warning once the generic is
# imported.)

#' Plot consensr results with autoplot()
#'
#' `autoplot()` draws the default picture of a result: stacked bars for a
#' [tally_ratings()] result, the bars or the infogram for a [consensus()]
#' result, and the count of items against the threshold for a
#' [threshold_sensitivity()] result.
#'
#' @param object A `consensr_tally`, `consensr_consensus` or
#'   `consensr_sensitivity` object.
#' @param type For a consensus result: `"bars"` (the share of the target
#'   levels against the threshold, [plot_bars()]) or `"infogram"` (the items
#'   that reached consensus, [plot_infogram()]).
#' @param ... Passed to [plot_bars()], [plot_infogram()] or
#'   [plot_sensitivity()].
#' @return A ggplot object.
#' @seealso [plot_bars()], [plot_infogram()], [plot_sensitivity()]
#' @examples
#' autoplot(consensus(atmp_published, "Fundamental", 0.75), type = "infogram")
#' autoplot(tally_ratings(atmp_published))
#' autoplot(threshold_sensitivity(atmp_published, "Fundamental", 0.75))
#' @name autoplot.consensr
NULL

#' @rdname autoplot.consensr
#' @export
autoplot.consensr_consensus <- function(object, type = c("bars", "infogram"), ...) {
  type <- classed_arg(rlang::arg_match(type))
  switch(type,
    bars = plot_bars(object, ...),
    infogram = plot_infogram(object, ...)
  )
}

#' @rdname autoplot.consensr
#' @export
autoplot.consensr_tally <- function(object, ...) {
  plot_bars(object, ...)
}

#' @rdname autoplot.consensr
#' @export
autoplot.consensr_sensitivity <- function(object, ...) {
  plot_sensitivity(object, ...)
}
