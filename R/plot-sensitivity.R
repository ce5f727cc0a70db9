# Plots of a threshold_sensitivity() result.

#' Plot a threshold sensitivity analysis
#'
#' The number of items reaching consensus as a function of the threshold,
#' with the reference threshold marked; or, with `items = TRUE`, a tile plot
#' of every item at every threshold tried, items ordered by the largest
#' threshold at which they reach consensus (their switch point).
#'
#' The step line is exact: between the thresholds tried, the number of items
#' reaching consensus only changes at the items' switch points (see
#' `max_threshold` in [threshold_sensitivity()]), which are added to the
#' line. Points mark the thresholds that were tried.
#'
#' @param x A [threshold_sensitivity()] result.
#' @param ... Not used: a result brings its own rounds and groups, so
#'   `by` and `round` are errors here (give them to the analysis).
#' @param items If `TRUE`, draw (or return the data of) the item x threshold
#'   tile plot instead of the counts.
#' @param wrap Width, in characters, at which item names are wrapped
#'   (`items = TRUE`).
#' @return `plot_sensitivity()` returns a ggplot object.
#'   `plot_sensitivity_data()` returns, for `items = FALSE`, a data frame with
#'   one row per threshold on the line: `threshold`, `n_reached`, `tried`
#'   (`TRUE` for the thresholds of the analysis, `FALSE` for switch points
#'   added between them) and `reference` (`TRUE` at the reference
#'   threshold); for `items = TRUE`, one row per item and threshold tried:
#'   `item` (a factor, ordered by `max_threshold`, the first level drawn at
#'   the bottom), the item metadata, `threshold`, `xmin`, `xmax` (the tile's
#'   extent), `reached` and `max_threshold`.
#' @seealso [threshold_sensitivity()], [plot_bars()]
#' @examples
#' s <- threshold_sensitivity(atmp_published, "Fundamental", 0.75,
#'                            thresholds = seq(0.5, 1, by = 0.01))
#' plot_sensitivity(s)
#' plot_sensitivity(s, items = TRUE)
#' head(plot_sensitivity_data(s))
#' @export
plot_sensitivity <- function(x, items = FALSE, wrap = 55, ...) {
  call <- rlang::current_env()
  check_result_dots(..., fun = "plot_sensitivity", call = call)
  check_width(wrap, "wrap", call = call)
  d <- sensitivity_data(x, items, call)
  if (items) draw_sensitivity_items(d, x, wrap) else draw_sensitivity(d, x)
}

#' @rdname plot_sensitivity
#' @export
plot_sensitivity_data <- function(x, items = FALSE, ...) {
  call <- rlang::current_env()
  check_result_dots(..., fun = "plot_sensitivity_data", call = call)
  sensitivity_data(x, items, call)
}

sensitivity_data <- function(x, items, call) {
  if (!inherits(x, "consensr_sensitivity")) {
    abort("{.arg x} must be a {.fn threshold_sensitivity} result, not {.obj_type_friendly {x}}.",
          call = call, class = "consensr_error_input")
  }
  check_flag(items, "items", call = call)
  fun <- if (items) sensitivity_items_data else sensitivity_curve_data
  if (is.null(x$round)) return(fun(x))
  # one sweep per round, stacked with the round column
  rr <- sensitivity_rounds(x)
  out <- stack_rounds(rr, fun)
  if (items) {
    out$item <- factor(as.character(out$item),
                       levels = unique(unlist(lapply(rr$parts, function(p) levels(fun(p)$item)))))
  }
  out
}

# A per-round sweep as one sweep per round.
sensitivity_rounds <- function(x) {
  rn <- x$round
  labels <- panel_group_levels(x$summary[[rn]])
  parts <- lapply(labels, function(v) {
    part <- x
    for (nm in c("summary", "status", "items")) {
      d <- x[[nm]]
      d <- d[as.character(d[[rn]]) == v, setdiff(names(d), rn), drop = FALSE]
      rownames(d) <- NULL
      part[[nm]] <- d
    }
    part$round <- NULL
    part
  })
  list(parts = parts, labels = labels, name = rn)
}

# Thresholds tried plus the switch points between them; at a switch point
# p the count includes the items with max_threshold >= p (> p when strict).
sensitivity_curve_data <- function(x) {
  s <- x$summary
  lo <- min(s$threshold)
  hi <- max(s$threshold)
  mt <- x$items$max_threshold
  sw <- sort(unique(mt[!is.na(mt) & mt > lo & mt < hi]))
  tried <- !is.na(match_threshold(sw, s$threshold))
  sw <- sw[!tried]
  strict <- isTRUE(x$rule$strict)
  n_at <- vapply(sw, function(t) {
    as.integer(sum(if (strict) mt > t else mt >= t, na.rm = TRUE))
  }, integer(1))
  out <- data.frame(threshold = c(s$threshold, sw),
                    n_reached = c(s$n_reached, n_at),
                    tried = c(rep(TRUE, nrow(s)), rep(FALSE, length(sw))))
  out <- out[order(out$threshold, !out$tried), , drop = FALSE]
  out$reference <- out$tried & !is.na(match_threshold(out$threshold, x$reference))
  rownames(out) <- NULL
  out
}

# Equal up to the 1e-9 with which thresholds are read as fractions.
match_threshold <- function(x, table) {
  vapply(x, function(v) {
    i <- which(abs(table - v) <= 1e-9)
    if (length(i)) i[1L] else NA_integer_
  }, integer(1))
}

sensitivity_items_data <- function(x) {
  st <- x$status
  it <- x$items
  thr <- sort(unique(x$thresholds))
  mid <- (thr[-1L] + thr[-length(thr)]) / 2
  half <- if (length(thr) > 1L) min(diff(thr)) / 2 else 0.01
  lo <- c(thr[1L] - (if (length(thr) > 1L) thr[2L] - mid[1L] else half), mid)
  hi <- c(mid, thr[length(thr)] + (if (length(thr) > 1L) thr[length(thr)] - mid[length(mid)] else half))
  # items: largest switch point at the top; never reaching at the bottom
  ord <- order(it$max_threshold, it$prop, -seq_len(nrow(it)), na.last = FALSE)
  out <- st
  out$item <- factor(as.character(st$item), levels = as.character(it$item)[ord])
  j <- match(st$threshold, thr)
  out$xmin <- lo[j]
  out$xmax <- hi[j]
  out$max_threshold <- it$max_threshold[match(as.character(st$item), as.character(it$item))]
  rownames(out) <- NULL
  out
}

sensitivity_theme <- function() {
  ggplot2::theme_minimal(base_size = 10) +
    ggplot2::theme(
      panel.grid.minor = ggplot2::element_blank(),
      plot.caption = ggplot2::element_text(hjust = 0, colour = "grey30", size = 8),
      plot.caption.position = "plot",
      legend.position = "bottom"
    )
}

draw_sensitivity <- function(d, x) {
  ref <- x$reference
  at_ref <- d[d$reference, , drop = FALSE]
  rn <- x$round
  step <- if (isTRUE(x$rule$strict)) "hv" else "vh"
  rule_txt <- paste(format(x$rule), collapse = " / ")
  ymax <- max(d$n_reached, 1L)
  # the label of the study's threshold, one per round
  lab <- if (nrow(at_ref)) at_ref else d[1L, , drop = FALSE]
  lab$label <- if (nrow(at_ref)) {
    sprintf("reference %s: %d item%s", pct_axis(ref), at_ref$n_reached,
            ifelse(at_ref$n_reached == 1L, "", "s"))
  } else sprintf("reference %s", pct_axis(ref))
  lab$threshold <- ref
  lab$n_reached <- ymax * 1.04
  p <- ggplot2::ggplot(d, ggplot2::aes(x = .data$threshold, y = .data$n_reached)) +
    ggplot2::geom_vline(xintercept = ref, linetype = "dashed", colour = "grey40",
                        linewidth = 0.4) +
    (if (nrow(d) > 1L) ggplot2::geom_step(direction = step, colour = "#1F4E79",
                                          linewidth = 0.6)) +
    ggplot2::geom_point(data = d[d$tried, , drop = FALSE], colour = "#1F4E79",
                        size = 1.1) +
    ggplot2::geom_label(data = lab, ggplot2::aes(label = .data$label),
                        hjust = -0.05, vjust = 0, size = 2.9, label.size = 0,
                        fill = "white", colour = "grey15") +
    ggplot2::scale_x_continuous(labels = pct_axis) +
    ggplot2::scale_y_continuous(limits = c(0, ymax * 1.14),
                                breaks = function(l) unique(floor(pretty(c(0, ymax)))),
                                expand = ggplot2::expansion(mult = c(0, 0))) +
    ggplot2::labs(x = "Consensus threshold",
                  y = paste0("Items reaching consensus", if (!is.null(x$rule$opposite)) " in" else "",
                             within_text(x$rule$by)),
                  caption = sprintf("Rule: %s. Points: thresholds tried; the line steps at the items' exact switch points.",
                                    rule_txt)) +
    sensitivity_theme()
  if (nrow(at_ref)) {
    p <- p + ggplot2::geom_point(data = at_ref, colour = "#C0504D", size = 2.4)
  }
  if (!is.null(rn)) {
    p <- p + ggplot2::facet_wrap(ggplot2::vars(.data[[rn]]), nrow = 1L,
                                 labeller = ggplot2::label_both)
  }
  p
}

# One tile per run of thresholds with the same status (no seams between
# adjacent tiles when drawn).
merge_runs <- function(d) {
  d <- d[order(as.integer(d$item), d$xmin), , drop = FALSE]
  key <- paste(as.integer(d$item), d$status)
  start <- c(TRUE, key[-1L] != key[-length(key)])
  run <- cumsum(start)
  out <- d[start, c("item", "status", "xmin"), drop = FALSE]
  out$xmax <- as.vector(tapply(d$xmax, run, max))
  rownames(out) <- NULL
  out
}

draw_sensitivity_items <- function(d, x, wrap) {
  out <- if ("status" %in% names(d)) as.character(d$status) %in% "consensus out" else FALSE
  d$status <- factor(ifelse(is.na(d$reached), "not rated",
                            ifelse(d$reached, "reached", ifelse(out, "consensus out", "not reached"))),
                     levels = c("reached", "consensus out", "not reached", "not rated"))
  two_sided <- !is.null(x$rule$opposite)
  unrated <- anyNA(d$reached)
  rn <- x$round
  d <- if (is.null(rn)) merge_runs(d) else {
    parts <- lapply(split(d, d[[rn]], drop = TRUE), function(p) {
      m <- merge_runs(p)
      m[[rn]] <- p[[rn]][1L]
      m
    })
    do.call(rbind, parts)
  }
  d$xmid <- (d$xmin + d$xmax) / 2
  d$width <- d$xmax - d$xmin
  ggplot2::ggplot(d, ggplot2::aes(y = .data$item)) +
    ggplot2::geom_tile(ggplot2::aes(x = .data$xmid, width = .data$width,
                                    fill = .data$status, colour = .data$status),
                       height = 0.85, linewidth = 0.3) +
    tile_scale("colour", c("#1F4E79", "#B2182B", "#E3E3E3", "grey60"), two_sided, unrated) +
    ggplot2::geom_vline(xintercept = x$reference, linetype = "dashed",
                        colour = "grey10", linewidth = 0.4) +
    tile_scale("fill", c("#1F4E79", "#E9A3A3", "#E3E3E3", "#FFFFFF"), two_sided, unrated) +
    ggplot2::scale_x_continuous(labels = pct_axis,
                                expand = ggplot2::expansion(mult = c(0, 0))) +
    ggplot2::scale_y_discrete(labels = function(v) wrap_labels(v, wrap)) +
    ggplot2::labs(x = "Consensus threshold", y = NULL,
                  caption = sprintf("Rule: %s. Dashed line: reference threshold; items ordered by the largest threshold they reach.",
                                    paste(format(x$rule), collapse = " / "))) +
    sensitivity_theme() +
    (if (!is.null(rn)) ggplot2::facet_grid(cols = ggplot2::vars(.data[[rn]]),
                                           labeller = ggplot2::label_both)) +
    ggplot2::theme(panel.grid = ggplot2::element_blank(),
                   axis.text.y = ggplot2::element_text(size = 7.5),
                   plot.margin = ggplot2::margin(5.5, 14, 5.5, 5.5))
}

# The colour or fill scale of the tiles: reached (consensus in), consensus
# out (two-sided rules), not reached, not rated.
tile_scale <- function(aesthetic, values, two_sided, unrated) {
  keys <- c("reached", "consensus out", "not reached", "not rated")
  ggplot2::scale_discrete_manual(
    aesthetics = aesthetic, values = stats::setNames(values, keys),
    limits = c("reached", if (two_sided) "consensus out", "not reached",
               if (unrated) "not rated"),
    labels = c(reached = if (two_sided) "consensus in" else "reached",
               `consensus out` = "consensus out",
               `not reached` = if (two_sided) "no consensus" else "not reached",
               `not rated` = "not rated"),
    drop = FALSE, name = NULL
  )
}
