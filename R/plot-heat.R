# Heat map of the share of raters per item and level.  plot_heat_data()
# computes the cells; plot_heat() only maps them.

#' Heat map of the shares of raters per item and level
#'
#' One row per item, one column per level of the scale, each cell shaded by
#' the share of the item's raters who chose that level, with the share
#' printed in the cell and the item's number of raters at the end of its
#' row. With a `threshold`, the cells whose share reaches it are outlined
#' (and with a `target`, a last column shows the share of the target levels
#' together, outlined when it reaches the threshold: the items that reach
#' consensus under [consensus()]'s rule).
#'
#' Reaching the threshold is decided exactly, in integers (`count * b >= a *
#' n` for a threshold `a/b`), as in [consensus()].
#'
#' @inheritParams plot_bars
#' @param ... Passed to [as_ratings()]: `levels`, `respondent`, `item`,
#'   `rating`, `items`, `item_data`, `missing_levels`, `format`.
#' @param by,round Optional names of the respondent column of stakeholder
#'   groups and of the round column: one map per group and round, side by
#'   side (a [consensus()] result brings its own).
#' @param target Optional target levels (by label or value): a column with
#'   their combined share is added.
#' @param threshold Optional share (in (0, 1]) marked by an outline on the
#'   cells that reach it.
#' @param show_pct If `TRUE` (the default), print the (half-up rounded)
#'   percentage in every cell of a rated item.
#' @return `plot_heat()` returns a ggplot object. `plot_heat_data()` returns
#'   a data frame, one row per item and column (and round and group, whose
#'   columns come first): `item` (factor, display
#'   order top to bottom), `level` (factor: the levels in scale order, then
#'   `"target"` when a target is given), `count`, `n`, `prop` (`NA` when `n`
#'   is 0) and `reached` (the share reaches `threshold`; `NA` without a
#'   threshold or when `n` is 0).
#' @seealso [plot_bars()], [summary.consensr_ratings()]
#' @examples
#' plot_heat(atmp_published, threshold = 0.75)
#' head(plot_heat_data(atmp_published, target = "Fundamental", threshold = 0.75))
#' @export
plot_heat <- function(x, target = NULL, threshold = NULL, ..., show_pct = TRUE,
                      wrap = 55, by = NULL, round = NULL) {
  call <- rlang::current_env()
  check_flag(show_pct, "show_pct", call = call)
  check_width(wrap, "wrap", call = call)
  d <- heat_data(x, ..., target = target, threshold = threshold, by = by,
                 round = round, call = call)
  draw_heat(d, show_pct = show_pct, wrap = wrap)
}

#' @rdname plot_heat
#' @export
plot_heat_data <- function(x, target = NULL, threshold = NULL, ..., by = NULL,
                           round = NULL) {
  heat_data(x, ..., target = target, threshold = threshold, by = by,
            round = round, call = rlang::current_env())
}

heat_data <- function(x, ..., target, threshold, by, round, call) {
  frac <- if (!is.null(threshold)) as_fraction(threshold, "threshold", call = call)
  if (inherits(x, "consensr_consensus")) {
    refuse_result_args(x, by, round, call)
    r <- attr(consensus_check(x, call), "ratings")
    by <- attr(x, "rule")$by
  } else {
    r <- read_for_plot(x, ..., by = by, round = round, call = call)
    by <- analysis_by(r, by)
  }
  tcodes <- if (!is.null(target)) match_levels(target, r$levels, "target", call)
  panels <- panels_of_ratings(r, by)
  pieces <- lapply(panels$parts, heat_panel, tcodes = tcodes, frac = frac)
  out <- stack_panels(panels, pieces)
  out$item <- factor(as.character(out$item), levels = unique(unlist(lapply(pieces, function(p) levels(p$item)))))
  out$level <- factor(as.character(out$level), levels = levels(pieces[[1L]]$level))
  structure(out, class = c("consensr_heat_data", "data.frame"),
            heat = list(threshold = threshold, frac = frac, levels = r$levels,
                        target = if (!is.null(target)) r$levels[tcodes],
                        facets = panel_keys(panels)))
}

# One panel's cells; a cell reaches the threshold by the exact rule (C).
heat_panel <- function(r, tcodes, frac) {
  tab <- ratings_table(r, grouped = FALSE)
  K <- length(r$levels)
  m <- nrow(r$items)
  counts <- matrix(as.integer(tab$counts), K, m)
  n <- as.integer(tab$n)
  cols <- r$levels
  if (!is.null(tcodes)) {
    counts <- rbind(counts, as.integer(colSums(counts[tcodes, , drop = FALSE])))
    cols <- c(cols, "target")
  }
  J <- length(cols)
  out <- data.frame(item = factor(rep(r$items$item, each = J), levels = r$items$item),
                    level = factor(rep(cols, m), levels = cols))
  out$count <- as.vector(counts)
  out$n <- rep(n, each = J)
  out$prop <- ifelse(out$n > 0L, out$count / out$n, NA_real_)
  out$reached <- if (is.null(frac)) NA else {
    st <- .Call(ffi_rule, as.integer(out$count), NULL, as.integer(out$n), 1L,
                frac[, 1L], NULL, FALSE)
    c(NA, TRUE, FALSE, FALSE, FALSE)[st$item + 1L]
  }
  out
}

draw_heat <- function(d, show_pct, wrap) {
  info <- attr(d, "heat")
  d <- unclass_df(d)
  d$y <- factor(d$item, levels = rev(levels(d$item)))
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$level, y = .data$y)) +
    ggplot2::geom_tile(ggplot2::aes(fill = .data$prop), colour = "white",
                       linewidth = 0.5) +
    ggplot2::scale_fill_gradient(low = "#F2F5FA", high = "#1F4E79", limits = c(0, 1),
                                 labels = pct_axis, na.value = "grey92",
                                 name = "Share of raters") +
    ggplot2::scale_y_discrete(labels = function(v) wrap_labels(v, wrap)) +
    ggplot2::scale_x_discrete(labels = function(v) ifelse(v == "target", "Target", v),
                              expand = ggplot2::expansion(add = c(0.5, 1.2))) +
    bars_theme() +
    ggplot2::theme(panel.grid.major = ggplot2::element_blank(),
                   legend.key.width = ggplot2::unit(24, "pt"))
  if (!is.null(info$threshold)) {
    hit <- d[d$reached %in% TRUE, , drop = FALSE]
    if (nrow(hit) > 0L) {
      p <- p + ggplot2::geom_tile(data = hit, fill = NA, colour = "#B03A2E",
                                  linewidth = 0.9, width = 0.92, height = 0.92)
    }
  }
  if (show_pct) {
    lab <- d[!is.na(d$prop), , drop = FALSE]
    if (nrow(lab) > 0L) {
      lab$label <- paste0(format_pct_half_up(lab$count, lab$n, 0L), "%")
      lab$text_colour <- ifelse(lab$prop > 0.55, "white", "grey15")
      p <- p + ggplot2::geom_text(data = lab, ggplot2::aes(label = .data$label,
                                                          colour = .data$text_colour),
                                  size = 2.5) +
        ggplot2::scale_colour_identity()
    }
  }
  nd <- d[!duplicated(d[c("item", info$facets)]), , drop = FALSE]
  nd$label <- paste0("n = ", nd$n)
  p <- p + ggplot2::geom_text(data = nd, ggplot2::aes(x = nlevels(d$level) + 0.6,
                                                     label = .data$label),
                              hjust = 0, size = 2.5, colour = "grey35")
  caption <- NULL
  if (!is.null(info$threshold)) {
    caption <- sprintf("Outlined: cells where the share reaches %s%s.",
                       format_threshold(info$frac),
                       if (!is.null(info$target)) {
                         sprintf("; Target = %s together", level_label(info$levels, match(info$target, info$levels)))
                       } else "")
  } else if (!is.null(info$target)) {
    caption <- sprintf("Target = %s together.", level_label(info$levels, match(info$target, info$levels)))
  }
  p + panel_facets(NULL, info$facets) +
    ggplot2::labs(x = NULL, y = NULL, caption = caption)
}
