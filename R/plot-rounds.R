# Figures of a multi-round Delphi: the change of each item between rounds
# (round_change_data() builds the data, plot_round_change() draws it) and
# the flow of items and panellists (round_flow() builds the data,
# plot_round_flow() draws it).

#' Per-item change between rounds
#'
#' A dumbbell chart: for each item, its share of target ratings in each round
#' it was rated (points), joined by a segment, with the threshold as a dashed
#' line, and items grouped by area. `round_change_data()` returns the data
#' the chart draws.
#'
#' @inheritParams delphi_summary
#' @param x Ratings with a round column (as for [delphi_summary()]), or a
#'   [delphi_summary()] result (then `target`, `threshold` and `...` are not
#'   needed).
#' @param items Which items to show: `"rerated"` (rated in more than one
#'   round, the default) or `"all"`.
#' @param group Item metadata column to group the items by (facets).
#'   `NULL` uses the first metadata column (e.g. `area`), if any; `FALSE`
#'   for no grouping.
#' @return `round_change_data()`: a data frame with one row per item and
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
#' head(round_change_data(imp$ratings, "Fundamental"))
#' plot_round_change(imp$ratings, "Fundamental", threshold = 0.75)
#' @export
round_change_data <- function(x, target, threshold = 0.75, round = "round", ...,
                              items = c("rerated", "all")) {
  call <- rlang::current_env()
  items <- rlang::arg_match(items, error_call = call)
  s <- if (inherits(x, "consensr_delphi_summary")) {
    x
  } else {
    delphi_summary(x, target = target, threshold = threshold, round = round, ...)
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

#' @rdname round_change_data
#' @export
plot_round_change <- function(x, target, threshold = 0.75, round = "round", ...,
                              items = c("rerated", "all"), group = NULL) {
  call <- rlang::current_env()
  items <- rlang::arg_match(items, error_call = call)
  d <- round_change_data(x, target = target, threshold = threshold, round = round,
                         ..., items = items)
  if (nrow(d) == 0L) {
    abort(c("There is nothing to plot: no item was rated in more than one round.",
            "i" = "Use {.code items = \"all\"} to show every item."), call = call)
  }
  vars <- attr(d, "item_vars")
  if (is.null(group)) {
    group <- if (length(vars)) vars[1L] else FALSE
  }
  if (!isFALSE(group)) {
    check_string(group, "group", call = call)
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
    ggplot2::labs(x = title, y = NULL) +
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

#' Draw the flow of a Delphi study
#'
#' A flow diagram in the style of CONSORT and ACCORD reporting: one box per
#' round with the panellists and items, arrows between rounds, side boxes
#' with the panellists who left and the items retired with consensus or
#' dropped, and a final box with the final list.
#'
#' @param x A [round_flow()] result, or ratings with a round column (then
#'   `...` is passed to [round_flow()], e.g. `target` and `threshold`).
#' @param ... Passed to [round_flow()] when `x` is not a round flow.
#' @return A ggplot object.
#' @seealso [round_flow()]
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' flow <- round_flow(imp$ratings, "Fundamental", threshold = 0.75)
#' plot_round_flow(flow)
#' @export
plot_round_flow <- function(x, ...) {
  if (!inherits(x, "consensr_round_flow")) x <- round_flow(x, ...)
  b <- round_flow_boxes(x)
  arrows <- b$arrows
  boxes <- b$boxes
  ggplot2::ggplot() +
    ggplot2::geom_segment(
      data = arrows,
      ggplot2::aes(x = .data$x, y = .data$y, xend = .data$xend, yend = .data$yend),
      arrow = ggplot2::arrow(length = ggplot2::unit(0.15, "cm"), type = "closed"),
      colour = "grey35", linewidth = 0.4
    ) +
    ggplot2::geom_rect(
      data = boxes,
      ggplot2::aes(xmin = .data$x - .data$w / 2, xmax = .data$x + .data$w / 2,
                   ymin = .data$y - .data$h / 2, ymax = .data$y + .data$h / 2,
                   fill = .data$kind),
      colour = "grey35", linewidth = 0.3
    ) +
    ggplot2::geom_text(
      data = boxes,
      ggplot2::aes(x = .data$x, y = .data$y, label = .data$label),
      size = 3, lineheight = 0.95
    ) +
    ggplot2::scale_fill_manual(values = c(round = "#EAF1F8", side = "#FFFFFF",
                                          final = "#E3F0E0"), guide = "none") +
    ggplot2::coord_cartesian(xlim = c(-1.15, 3.3), clip = "off") +
    ggplot2::theme_void()
}

# Boxes and arrows of the flow diagram: the round boxes in a column at x = 0,
# side boxes at x = 2.1 between rounds, the final list at the bottom.
round_flow_boxes <- function(x) {
  R <- nrow(x)
  step <- 2
  y_round <- -(seq_len(R) - 1) * step
  name <- ifelse(as.character(x$round) == as.character(seq_len(R)), "",
                 paste0(" (", x$round, ")"))
  reached <- vapply(seq_len(R), function(k) reached_text(x$reached[k], x$reached_out[k]), "")
  lab_round <- sprintf("Round %d%s\n%d panellist%s rated %d item%s\n%s",
                       seq_len(R), name, x$panellists, vapply(x$panellists, rounds_plural, ""),
                       x$items_rated, vapply(x$items_rated, rounds_plural, ""), reached)
  boxes <- data.frame(x = 0, y = y_round, w = 2.1, h = 0.85, label = lab_round,
                      kind = "round", stringsAsFactors = FALSE)
  arrows <- data.frame(x = numeric(), y = numeric(), xend = numeric(), yend = numeric())
  for (k in seq_len(R - 1L)) {
    top <- y_round[k] - 0.85 / 2
    bottom <- y_round[k + 1L] + 0.85 / 2
    mid <- (top + bottom) / 2
    arrows <- rbind(arrows, data.frame(x = 0, y = top, xend = 0, yend = bottom),
                    data.frame(x = 0, y = mid, xend = 1.05, yend = mid))
    side <- c(
      sprintf("%d panellist%s did not return", x$panellists_lost[k + 1L],
              rounds_plural(x$panellists_lost[k + 1L])),
      sprintf("%d item%s retired with consensus", x$retired[k], rounds_plural(x$retired[k])),
      if (x$rerated[k] > 0L) sprintf("%d item%s with consensus rated again", x$rerated[k],
                                     rounds_plural(x$rerated[k])),
      if (x$dropped[k] > 0L) sprintf("%d item%s dropped", x$dropped[k], rounds_plural(x$dropped[k])),
      sprintf("%d item%s carried forward", x$carried[k], rounds_plural(x$carried[k]))
    )
    boxes <- rbind(boxes, data.frame(x = 2.1, y = mid, w = 2.1,
                                     h = 0.25 + 0.22 * length(side),
                                     label = paste(side, collapse = "\n"),
                                     kind = "side", stringsAsFactors = FALSE))
  }
  final <- attr(x, "final")
  s <- attr(x, "summary")
  lab_final <- sprintf("Final list: %d item%s", final, rounds_plural(final))
  if (!is.null(s) && R > 1L && final > 0L) {
    by <- table(factor(s$fate_round[s$in_final_list], levels = levels(s$fate_round)))
    by <- by[by > 0L]
    lab_final <- paste0(lab_final, "\n(", paste(sprintf("%d from round %d", by,
                                                        match(names(by), levels(s$fate_round))),
                                                collapse = ", "), ")")
  }
  y_final <- y_round[R] - step * 0.8
  arrows <- rbind(arrows, data.frame(x = 0, y = y_round[R] - 0.85 / 2, xend = 0,
                                     yend = y_final + 0.6 / 2))
  boxes <- rbind(boxes, data.frame(x = 0, y = y_final, w = 2.1, h = 0.6,
                                   label = lab_final,
                                   kind = "final", stringsAsFactors = FALSE))
  list(boxes = boxes, arrows = arrows)
}
