# The change of each item between rounds: plot_round_change_data() builds
# the data, plot_round_change() draws it.

#' Per-item change between rounds
#'
#' A dumbbell chart: for each item, its share of target ratings in each round
#' it was rated (points), joined by a segment, with the threshold as a dashed
#' line, and items grouped by area. `plot_round_change_data()` returns the data
#' the chart draws.
#'
#' @inheritParams delphi_summary
#' @param x Ratings with a round column (as for [delphi_summary()]), or a
#'   [delphi_summary()] result (then `target`, `threshold` and `...` are not
#'   needed).
#' @param items Which items to show: `"rerated"` (rated in more than one
#'   round, the default) or `"all"`.
#' @param area Item metadata column to group the items by (facets).
#'   `NULL` uses the first metadata column (e.g. `area`), if any; `FALSE`
#'   for no grouping.
#' @return `plot_round_change_data()`: a data frame with one row per item and
#'   round it was rated in: `item`, the item metadata, `round`, `count`, `n`,
#'   `prop`, `status`, `reached` and `rerated` (rated in more than one
#'   round). Attributes `threshold` and `rounds`. `plot_round_change()`: a
#'   ggplot object.
#' @seealso [delphi_summary()], [plot_round_flow()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' head(plot_round_change_data(imp, "Fundamental", threshold = 0.75))
#' plot_round_change(imp, "Fundamental", threshold = 0.75)
#' @export
plot_round_change_data <- function(x, target, threshold, opposite = NULL,
                                   opposite_threshold = NULL, strict = FALSE,
                                   ..., items = c("rerated", "all"), by = NULL,
                                   round = NULL) {
  call <- rlang::current_env()
  items <- classed_arg(rlang::arg_match(items, error_call = call))
  s <- if (inherits(x, "consensr_delphi_summary")) {
    x
  } else {
    require_rule(target, threshold, call = call)
    delphi_summary(x, target = target, threshold = threshold, opposite = opposite,
                   opposite_threshold = opposite_threshold, strict = strict, ...,
                   by = by, round = round)
  }
  d <- attr(s, "by_round")
  rounds <- attr(s, "rounds")
  times <- table(factor(d$item, levels = unique(s$item)))
  d$rerated <- as.vector(times[d$item]) > 1L
  if (items == "rerated") d <- d[d$rerated, , drop = FALSE]
  d$round <- factor(as.character(d$round), levels = rounds)
  keep <- c("item", attr(s, "item_vars"), "round", "count", "n", "prop",
            "status", "reached", "rerated")
  d <- d[order(match(d$item, s$item), as.integer(d$round)), intersect(keep, names(d)),
         drop = FALSE]
  rownames(d) <- NULL
  rule <- attr(s, "rule")
  structure(d, threshold = rule$threshold, rounds = rounds,
            item_vars = attr(s, "item_vars"), rule = rule)
}

#' @rdname plot_round_change_data
#' @export
plot_round_change <- function(x, target, threshold, opposite = NULL,
                              opposite_threshold = NULL, strict = FALSE, ...,
                              items = c("rerated", "all"), area = NULL,
                              by = NULL, round = NULL) {
  call <- rlang::current_env()
  items <- classed_arg(rlang::arg_match(items, error_call = call))
  d <- plot_round_change_data(x, target = target, threshold = threshold,
                              opposite = opposite,
                              opposite_threshold = opposite_threshold,
                              strict = strict, ..., items = items, by = by,
                              round = round)
  group <- area
  if (nrow(d) == 0L) {
    abort(c("There is nothing to plot: no item was rated in more than one round.",
            "i" = "Use {.code items = \"all\"} to show every item."), call = call)
  }
  vars <- attr(d, "item_vars")
  if (is.null(group)) {
    group <- if (length(vars)) vars[1L] else FALSE
  }
  if (!isFALSE(group)) {
    check_string(group, "area", call = call)
    check_columns(d, group, "x", call = call)
  }
  rule <- attr(d, "rule")
  d$item <- factor(d$item, levels = rev(unique(d$item)))
  # segments between consecutive rounds an item was rated in
  segs <- do.call(rbind, lapply(split(d, d$item, drop = TRUE), function(di) {
    if (nrow(di) < 2L) return(NULL)
    data.frame(item = di$item[-nrow(di)], x = di$prop[-nrow(di)],
               xend = di$prop[-1L], di[-nrow(di), if (isFALSE(group)) NULL else group, drop = FALSE])
  }))
  title <- sprintf("Share rating %s, by round", level_label(rule$levels, rule$target_codes))
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$prop, y = .data$item)) +
    ggplot2::geom_vline(xintercept = attr(d, "threshold"), linetype = "dashed",
                        colour = "grey40", linewidth = 0.4)
  if (!is.null(segs) && nrow(segs) > 0L) {
    p <- p + ggplot2::geom_segment(
      data = segs,
      ggplot2::aes(x = .data$x, xend = .data$xend, y = .data$item, yend = .data$item),
      colour = "grey65", linewidth = 1.1
    )
  }
  p <- p +
    ggplot2::geom_point(ggplot2::aes(colour = .data$round, shape = .data$status),
                        size = 2.4) +
    # one shape per outcome: in (filled), out (cross), none (open)
    ggplot2::scale_shape_manual(values = c(consensus = 16, `consensus in` = 16,
                                           `consensus out` = 4, `no consensus` = 1),
                                limits = levels(d$status), name = NULL, drop = FALSE) +
    ggplot2::scale_colour_manual(values = rounds_palette(nlevels(d$round)),
                                 name = "Round", drop = FALSE) +
    ggplot2::scale_x_continuous(labels = rounds_pct, limits = c(0, 1),
                                breaks = seq(0, 1, by = 0.25)) +
    ggplot2::labs(x = title, y = NULL,
                  caption = if (!is.null(rule$by)) sub("^\\.\\n", "", pooled_note(rule))) +
    ggplot2::theme_minimal(base_size = 10) +
    ggplot2::theme(panel.grid.minor = ggplot2::element_blank(),
                   legend.position = "bottom",
                   strip.text.y = ggplot2::element_text(angle = 0, hjust = 0),
                   strip.background = ggplot2::element_rect(fill = "grey95", colour = NA))
  if (!isFALSE(group)) {
    p <- p + ggplot2::facet_grid(
      rows = ggplot2::vars(.data[[group]]), scales = "free_y", space = "free_y",
      labeller = ggplot2::label_wrap_gen(width = 22)
    )
  }
  p
}

rounds_pct <- function(b) {
  out <- paste0(round(100 * b), "%")
  out[is.na(b)] <- NA_character_
  out
}

rounds_palette <- function(n) {
  base <- c("#9DB4C0", "#1F4E79", "#C0504D", "#4F8A3C", "#8064A2", "#E69F00")
  rep_len(base, n)
}
