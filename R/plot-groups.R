#' Plot the groups' consensus item by item
#'
#' Per item, the target share within each group (one dot per group, joined
#' by a line to show the spread), against the consensus threshold, with the
#' items grouped by a metadata column (e.g. thematic area).
#' `plot_groups_data()` returns the data drawn.
#'
#' @param x A [compare_groups()] result, or a [consensus()] result computed
#'   with `by`.
#' @param ... Not used: a result brings its own rounds and groups, so
#'   `by` and `round` are errors here (give them to the analysis).
#' @param area The item metadata column to group the items by; `NULL` (the
#'   default) takes the first metadata column, if any.
#' @return `plot_groups()`: a ggplot. `plot_groups_data()`: a data frame with
#'   one row per item and group: `item` (a factor, items ordered by their
#'   pooled share within area), `area` (when there is one), `group`, `n`,
#'   `prop`, `reached`; the threshold in the attribute `"threshold"`.
#' @examples
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' cmp <- compare_groups(panel, "Fundamental", 0.75, by = "setting",
#'                       levels = c("Fundamental", "Ancillary", "Less Important"))
#' head(plot_groups_data(cmp))
#' if (requireNamespace("ggplot2", quietly = TRUE)) plot_groups(cmp)
#' @md
#' @export
plot_groups_data <- function(x, area = NULL, ...) {
  call <- rlang::current_env()
  check_result_dots(..., fun = "plot_groups_data", call = call)
  if (!inherits(x, c("consensr_group_comparison", "consensr_consensus")) ||
      is.null(attr(x, "groups"))) {
    abort("{.arg x} must be a {.fn compare_groups} result or a {.fn consensus} result computed with {.arg by}, not {.obj_type_friendly {x}}.",
          call = call)
  }
  rr <- result_rounds(x)
  if (!is.null(rr)) return(stack_rounds(rr, plot_groups_data, area = area))
  rule <- attr(x, "rule")
  groups <- attr(x, "groups")
  by <- rule$by
  area <- grp_area_column(x, area, call)
  d <- data.frame(item = as.character(groups$item), stringsAsFactors = FALSE)
  if (!is.null(area)) d$area <- groups[[area]]
  d$group <- groups[[by]]
  d$n <- groups$n
  d$prop <- groups$prop
  d$reached <- groups$reached
  pooled <- x$prop[match(d$item, as.character(x$item))]
  d$item <- grp_item_order(d$item, pooled, if (!is.null(area)) d$area)
  attr(d, "threshold") <- rule$frac[1L] / rule$frac[2L]
  attr(d, "by") <- by
  attr(d, "area") <- area
  d
}

#' @rdname plot_groups_data
#' @md
#' @export
plot_groups <- function(x, area = NULL, ...) {
  check_result_dots(..., fun = "plot_groups")
  d <- plot_groups_data(x, area)
  thr <- attr(d, "threshold")
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$prop, y = .data$item)) +
    ggplot2::geom_vline(xintercept = thr, linetype = "dashed", colour = "grey40") +
    ggplot2::geom_line(ggplot2::aes(group = .data$item), orientation = "y",
                       colour = "grey70", na.rm = TRUE) +
    ggplot2::geom_point(ggplot2::aes(colour = .data$group, shape = .data$group),
                        size = 2, na.rm = TRUE) +
    ggplot2::scale_x_continuous(labels = function(v) paste0(round(100 * v), "%"),
                                breaks = c(0, 0.5, 1), limits = c(0, 1)) +
    ggplot2::labs(x = "Share choosing the target", y = NULL,
                  colour = attr(d, "by"), shape = attr(d, "by"),
                  caption = sprintf("Dashed line: threshold %s", format_pct(thr))) +
    ggplot2::theme_minimal() +
    ggplot2::theme(legend.position = "bottom")
  rows <- ceiling(length(unique(d$group)) / 3)
  p <- p + ggplot2::guides(colour = ggplot2::guide_legend(nrow = rows),
                           shape = ggplot2::guide_legend(nrow = rows))
  grp_facet_area(p, d)
}

# The metadata column that groups items in plots: `area` if given, else the
# first item metadata column (NULL when there is none).
grp_area_column <- function(x, area, call) {
  vars <- attr(x, "item_vars")
  if (is.null(area)) return(if (length(vars) > 0L) vars[1L] else NULL)
  check_string(area, "area", call = call)
  if (!area %in% vars) {
    abort(c("{.arg area} must be an item metadata column.",
            "i" = if (length(vars)) "The item metadata columns are {.field {vars}}." else "The items have no metadata."),
          call = call)
  }
  area
}

# Items as a factor ordered by `key` (ascending, so the largest is on top of
# a plot) within `area` (in its order); ties keep the input order.
grp_item_order <- function(item, key, area = NULL) {
  first <- !duplicated(item)
  it <- item[first]
  k <- key[first]
  ord <- if (is.null(area)) {
    order(k, na.last = FALSE)
  } else {
    a <- area[first]
    a <- if (is.factor(a)) as.integer(a) else match(a, unique(a))
    order(a, k, na.last = FALSE)
  }
  factor(item, levels = it[ord])
}

grp_facet_area <- function(p, d) {
  area <- if (!is.null(attr(d, "area"))) "area"
  facets <- panel_facets(area, attr(d, "round"))
  if (is.null(facets)) return(p)
  p + facets +
    ggplot2::theme(strip.text.y = ggplot2::element_text(angle = 0, hjust = 0))
}
