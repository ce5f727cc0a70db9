#' Plot the robustness of consensus
#'
#' Per item, how far the target share moves when the panel changes, against
#' the consensus threshold: for a bootstrap, the percentile interval of the
#' share (`what = "interval"`) or the share of resampled panels reaching
#' consensus (`what = "share"`); for a jackknife, the range of the share over
#' the leave-one-out panels. Items are ordered by the plotted value and
#' grouped by a metadata column (e.g. thematic area). `plot_robustness_data()`
#' returns the data drawn; `autoplot()` is `plot_robustness()`.
#'
#' @param x,object A [consensus_robustness()] result.
#' @param what `"interval"` (the default) or, for a bootstrap, `"share"`.
#' @param area The item metadata column to group the items by; `NULL` (the
#'   default) takes the first metadata column, if any.
#' @param stable For `what = "share"`: the share of resampled panels marked
#'   by a reference line.
#' @param ... For `autoplot()`: passed to `plot_robustness()`. Otherwise
#'   not used: a result brings its own rounds and groups, so `by` and
#'   `round` are errors here (give them to the analysis).
#' @return `plot_robustness()` and `autoplot()`: a ggplot.
#'   `plot_robustness_data()`: a data frame with one row per item: `item` (a
#'   factor in plotting order), `area` (when there is one), `prop` (observed
#'   share), `low` and `high` (the bootstrap percentile interval, or the
#'   jackknife minimum and maximum), `reached` (observed), and `p_reached`
#'   (bootstrap) or `n_flips` (jackknife); attributes `threshold`, `method`
#'   and `what`.
#' @seealso [consensus_robustness()]
#' @examples
#' lv <- c("Fundamental", "Ancillary", "Less Important")
#' set.seed(1)
#' bs <- consensus_robustness(atmp_ratings, "Fundamental", 0.75, levels = lv,
#'                            method = "bootstrap", B = 200)
#' head(plot_robustness_data(bs))
#' if (requireNamespace("ggplot2", quietly = TRUE)) {
#'   plot_robustness(bs)
#'   plot_robustness(bs, what = "share")
#' }
#' @importFrom rlang .data
#' @md
#' @export
plot_robustness_data <- function(x, what = c("interval", "share"),
                                 area = NULL, ...) {
  call <- rlang::current_env()
  check_result_dots(..., fun = "plot_robustness_data", call = call)
  if (!inherits(x, "consensr_robustness")) {
    abort("{.arg x} must be a {.fn consensus_robustness} result, not {.obj_type_friendly {x}}.",
          call = call)
  }
  what <- classed_arg(rlang::arg_match(what))
  rr <- result_rounds(x)
  if (!is.null(rr)) return(stack_rounds(rr, plot_robustness_data, what = what, area = area))
  method <- attr(x, "method")
  if (what == "share" && method != "bootstrap") {
    abort("{.code what = \"share\"} needs a bootstrap; {.arg x} is a jackknife.",
          call = call)
  }
  area <- grp_area_column(x, area, call)
  rule <- attr(x, "rule")
  d <- data.frame(item = as.character(x$item), stringsAsFactors = FALSE)
  if (!is.null(area)) d$area <- x[[area]]
  d$prop <- x$prop
  if (method == "bootstrap") {
    d$low <- x$prop_low
    d$high <- x$prop_high
    d$p_reached <- x$p_reached
  } else {
    d$low <- x$min_prop
    d$high <- x$max_prop
    d$n_flips <- x$n_flips
  }
  d$reached <- x$reached
  d$status <- x$status
  key <- if (what == "share") d$p_reached else d$prop
  d$item <- grp_item_order(d$item, key, if (!is.null(area)) d$area)
  attr(d, "threshold") <- rule$frac[1L] / rule$frac[2L]
  attr(d, "rule") <- rule
  attr(d, "method") <- method
  attr(d, "what") <- what
  attr(d, "area") <- area
  attr(d, "B") <- attr(x, "B")
  attr(d, "conf_level") <- attr(x, "conf_level")
  d
}

#' @rdname plot_robustness_data
#' @md
#' @export
plot_robustness <- function(x, what = c("interval", "share"), area = NULL,
                            stable = 0.9, ...) {
  check_result_dots(..., fun = "plot_robustness")
  d <- plot_robustness_data(x, what, area)
  thr <- attr(d, "threshold")
  pct <- function(v) paste0(round(100 * v), "%")
  # three outcomes for two-sided rules (in, out, none), two otherwise
  two_sided <- !is.null(attr(d, "rule")$opposite)
  lv <- if (two_sided) c("consensus in", "consensus out", "no consensus", "undecided") else
    c("reached", "not reached", "undecided")
  d$reached <- factor(
    if (two_sided) ifelse(is.na(d$status), "undecided", as.character(d$status)) else
      ifelse(is.na(d$reached), "undecided", ifelse(d$reached, "reached", "not reached")),
    levels = lv)
  colours <- c(reached = "#1b7837", `not reached` = "#762a83",
               `consensus in` = "#1b7837", `consensus out` = "#B2182B",
               `no consensus` = "#762a83", undecided = "grey50")
  if (attr(d, "what") == "share") {
    p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$p_reached, y = .data$item)) +
      ggplot2::geom_vline(xintercept = stable, linetype = "dotted", colour = "grey40") +
      ggplot2::geom_segment(ggplot2::aes(x = 0, xend = .data$p_reached,
                                         yend = .data$item, colour = .data$reached)) +
      ggplot2::geom_point(ggplot2::aes(colour = .data$reached), size = 2) +
      ggplot2::labs(x = sprintf("Share of %d resampled panels reaching consensus",
                                attr(d, "B")),
                    caption = sprintf("Dotted line: %s of panels", pct(stable)))
  } else {
    range_label <- if (attr(d, "method") == "bootstrap") {
      sprintf("Bars: %s bootstrap percentile interval (B = %d)",
              pct(attr(d, "conf_level")), attr(d, "B"))
    } else {
      "Bars: range over the leave-one-out panels"
    }
    p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$prop, y = .data$item)) +
      ggplot2::geom_vline(xintercept = thr, linetype = "dashed", colour = "grey40") +
      ggplot2::geom_linerange(ggplot2::aes(xmin = .data$low, xmax = .data$high,
                                           colour = .data$reached), na.rm = TRUE) +
      ggplot2::geom_point(ggplot2::aes(colour = .data$reached), size = 2,
                          na.rm = TRUE) +
      ggplot2::labs(x = "Share choosing the target",
                    caption = sprintf("%s; dashed line: threshold %s%s", range_label,
                                      format_pct(thr), pooled_note(attr(d, "rule"))))
  }
  p <- p +
    ggplot2::scale_x_continuous(labels = pct, limits = c(0, 1)) +
    ggplot2::scale_colour_manual(values = colours, drop = TRUE) +
    ggplot2::labs(y = NULL, colour = "Observed") +
    ggplot2::theme_minimal() +
    ggplot2::theme(legend.position = "bottom")
  grp_facet_area(p, d)
}

#' @rdname plot_robustness_data
#' @export
autoplot.consensr_robustness <- function(object, ...) {
  plot_robustness(object, ...)
}
