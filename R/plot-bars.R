# Stacked 100% bars of the ratings of every item.  plot_bars_data() computes
# every segment's position; plot_bars() only maps it.

#' Stacked bars of the ratings of every item
#'
#' One horizontal 100% bar per item, with a segment per level of the scale,
#' grouped into panels by an item metadata column (e.g. thematic area).
#' With a `target`, the target levels are stacked first from the left and a
#' dashed line marks the `threshold`, so the bars that cross it are the
#' items that reach consensus. `diverging = TRUE` centres the bars on the
#' middle of the scale, as in Likert plots.
#'
#' `plot_bars_data()` returns the data drawn, one row per item and level:
#' each segment runs from `xmin` to `xmax` (shares of the item's raters).
#'
#' @section Stacking order:
#' Without a `target` the levels are stacked in scale order. With a
#' `target`, its levels come first: when they are a block at the end of the
#' scale (such as 7-9 on a 1-9 scale) the whole scale is stacked in reverse
#' (9, 8, 7, 6, ...), otherwise the target levels are followed by the others
#' in scale order. The legend follows the stacking order. Target levels are
#' drawn in blues, the other levels in greys.
#'
#' With `diverging = TRUE` the levels keep scale order: the first half of the
#' scale extends to the left of 0, the second half to the right and, for an
#' odd number of levels, the middle level is split in half around 0. No
#' threshold line is drawn (the target share is not read from 0 there).
#'
#' @param x Ratings in any shape [as_ratings()] reads, a [tally_ratings()]
#'   result, or a [consensus()] result (bars then show the target levels
#'   against the other levels, with the rule's threshold).
#' @param ... Passed to [as_ratings()]: `levels`, `respondent`, `item`,
#'   `rating`, `items`, `item_data`, `missing_levels`, `format`.
#' @param target Optional target levels (by label or value): stacked first,
#'   with the `threshold` marked when it is given.
#' @param threshold Optional share marked by a dashed line (needs
#'   `target`); the items whose target share reaches it are the items that
#'   reach consensus.
#' @param diverging If `TRUE`, centre the bars on the middle of the scale.
#' @param area The item metadata column that groups the items into
#'   panels. `NULL` (the default) uses the first metadata column that varies between items, if any;
#'   `FALSE` draws one panel.
#' @param by,round Optional names of the respondent column of stakeholder
#'   groups and of the round column: the bars of each group and each round
#'   are drawn apart, in columns of panels. A [consensus()] result brings its
#'   own rounds and groups (each group's bars show that group's ratings and
#'   its own status).
#' @param show_n If `TRUE`, write each item's number of raters at the end of
#'   its bar.
#' @param sort If `TRUE`, sort the items within each group by their target
#'   share (or, without `target`, by the share of the first stacked level),
#'   largest first. Otherwise items keep their input order.
#' @param show_pct If `TRUE`, print the (half-up rounded) percentage inside
#'   every segment wide enough to hold it.
#' @param wrap Width, in characters, at which item names are wrapped.
#' @return `plot_bars()` returns a ggplot object. `plot_bars_data()` returns
#'   a data frame with the round and group columns (when drawn apart), the
#'   area column (when grouped), `item` (a factor in
#'   display order, top to bottom), `level` (a factor in scale order), `count`,
#'   `n`, `prop` (`NA` when `n` is 0), `stack` (position of the segment from
#'   the left, or from the centre outwards for diverging bars), `xmin`,
#'   `xmax`, `target` (is the level a target level), `target_prop` and
#'   `reached` (when `target` is given). Its attributes hold the level order,
#'   colours and rule used by the plot.
#' @seealso [plot_infogram()], [table_ratings()]
#' @examples
#' plot_bars(atmp_published, target = "Fundamental", threshold = 0.75)
#' plot_bars(atmp_published, diverging = TRUE)
#' head(plot_bars_data(atmp_published, target = "Fundamental", threshold = 0.75))
#'
#' # each stakeholder group apart
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' plot_bars(panel, "Fundamental", 0.75, by = "setting", area = FALSE)
#' @export
plot_bars <- function(x, target = NULL, threshold = NULL, ...,
                      diverging = FALSE, area = NULL, show_n = TRUE,
                      sort = FALSE, show_pct = FALSE, wrap = 55, by = NULL,
                      round = NULL) {
  call <- rlang::current_env()
  check_flag(show_n, "show_n", call = call)
  check_flag(show_pct, "show_pct", call = call)
  check_width(wrap, "wrap", call = call)
  d <- bars_data(x, ..., target = target, threshold = threshold,
                 diverging = diverging, area = area, sort = sort, by = by,
                 round = round, call = call)
  draw_bars(d, show_n = show_n, show_pct = show_pct, wrap = wrap)
}

#' @rdname plot_bars
#' @export
plot_bars_data <- function(x, target = NULL, threshold = NULL, ...,
                           diverging = FALSE, area = NULL, sort = FALSE,
                           by = NULL, round = NULL) {
  call <- rlang::current_env()
  bars_data(x, ..., target = target, threshold = threshold,
            diverging = diverging, area = area, sort = sort, by = by,
            round = round, call = call)
}

# The bars of every panel (round x group), stacked with the key columns.
bars_data <- function(x, ..., target, threshold, diverging, area, sort, by,
                      round, call) {
  check_flag(diverging, "diverging", call = call)
  check_flag(sort, "sort", call = call)
  panels <- bars_sources(x, ..., target = target, threshold = threshold,
                         by = by, round = round, call = call)
  area <- resolve_area(area, panels$parts[[1L]]$items, call)
  taken <- c("level", "count", "n", "prop", "stack", "xmin", "xmax", "target",
             "target_prop", "reached", panel_keys(panels))
  if (!is.null(area) && area %in% taken) {
    abort("{.arg area} can't be {.val {area}}: that name is taken by a column of the plot data.",
          call = call)
  }
  pieces <- lapply(panels$parts, bars_panel, diverging = diverging,
                   area = area, sort = sort)
  out <- stack_panels(panels, pieces)
  items <- unique(unlist(lapply(pieces, function(p) levels(p$item))))
  out$item <- factor(as.character(out$item), levels = items)
  if (!is.null(area)) {
    out[[area]] <- factor(as.character(out[[area]]),
                          levels = unique(unlist(lapply(pieces, function(p) levels(p[[area]])))))
  }
  info <- attr(pieces[[1L]], "bars")
  info$facets <- panel_keys(panels)
  attr(out, "bars") <- info
  out
}

# One panel's segments.
bars_panel <- function(src, diverging, area, sort) {
  levels <- src$levels
  K <- length(levels)
  items <- src$items
  m <- nrow(items)
  counts <- src$counts
  n <- src$n
  tcodes <- src$target_codes
  stack <- if (diverging) seq_len(K) else stack_order(K, tcodes)

  # item-level quantities
  target_count <- if (is.null(tcodes)) NULL else colSums(counts[tcodes, , drop = FALSE])
  target_prop <- if (is.null(tcodes)) NULL else safe_prop(target_count, n)
  lead_prop <- safe_prop(counts[stack[1L], ], n)

  # display order: grouped (factor levels or first appearance), input order
  # within groups, or by share when sorting
  gi <- rep(1L, m)
  if (!is.null(area)) {
    g <- items[[area]]
    gkeys <- if (is.factor(g)) base::levels(g) else unique(as.character(g))
    gi <- match(as.character(g), gkeys)
    items[[area]] <- factor(as.character(g), levels = gkeys)
  }
  key <- if (sort) -(if (is.null(tcodes)) lead_prop else target_prop) else rep(0, m)
  ord <- order(gi, key, seq_len(m), na.last = TRUE)

  # segment positions, from the integer counts
  safe_n <- ifelse(n > 0L, n, 1L)
  pos <- segment_positions(counts, safe_n, stack, diverging)
  xmin <- pos$xmin
  xmax <- pos$xmax
  xmin[, n == 0L] <- 0
  xmax[, n == 0L] <- 0

  seg <- if (diverging) stack_from_centre(K) else match(seq_len(K), stack)
  rows <- expand.grid(k = if (diverging) seq_len(K) else stack, j = ord)
  out <- items[rows$j, c(area, "item"), drop = FALSE]
  out$item <- factor(out$item, levels = items$item[ord])
  out$level <- factor(levels[rows$k], levels = levels)
  cell <- cbind(rows$k, rows$j)
  out$count <- counts[cell]
  out$n <- n[rows$j]
  out$prop <- safe_prop(out$count, out$n)
  out$stack <- seg[rows$k]
  out$xmin <- xmin[cell]
  out$xmax <- xmax[cell]
  out$target <- rows$k %in% tcodes
  if (!is.null(tcodes)) {
    out$target_prop <- target_prop[rows$j]
    if (!is.null(src$reached)) out$reached <- src$reached[rows$j]
  }
  rownames(out) <- NULL
  legend <- if (diverging) levels else levels[stack]
  attr(out, "bars") <- list(
    levels = levels, legend = legend,
    colours = bars_palette(levels, stack, tcodes, diverging),
    group_col = area, diverging = diverging,
    threshold = if (!is.null(tcodes) && !diverging) src$threshold,
    target = if (!is.null(tcodes)) levels[tcodes],
    rule = src$rule
  )
  out
}

# Levels, items, counts (K x m), n, target codes and the consensus flags of
# each panel of ratings or of a consensus() result.
bars_sources <- function(x, ..., target, threshold, by, round, call) {
  if (inherits(x, "consensr_consensus")) {
    if (!is.null(target) || !is.null(threshold)) {
      abort(c("{.arg target} and {.arg threshold} can't be given with a {.fn consensus} result.",
              "i" = "The result's own rule is used."), call = call)
    }
    refuse_result_args(x, by, round, call)
    consensus_check(x, call)
    panels <- panels_of_result(x)
    panels$parts <- lapply(panels$parts, consensus_source, call = call)
    return(panels)
  }
  if (!is.null(threshold) && is.null(target)) {
    abort("{.arg threshold} needs {.arg target}: the levels whose share it marks.",
          call = call)
  }
  r <- read_for_plot(x, ..., by = by, round = round, call = call)
  panels <- panels_of_ratings(r, analysis_by(r, by))
  panels$parts <- lapply(panels$parts, function(p) {
    tab <- ratings_table(p, grouped = FALSE)
    K <- length(p$levels)
    m <- nrow(p$items)
    out <- list(levels = p$levels, items = p$items,
                counts = matrix(as.integer(tab$counts), K, m),
                n = as.integer(tab$n), target_codes = NULL)
    if (!is.null(target)) {
      out$target_codes <- match_levels(target, p$levels, "target", call)
      if (!is.null(threshold)) {
        res <- run_consensus(p, target = target, threshold = threshold, call = call)
        rule <- attr(res, "rule")
        out$reached <- res$reached
        out$threshold <- rule$frac[1L] / rule$frac[2L]
        out$rule <- rule
      }
    }
    out
  })
  panels
}

# Ratings for a plot or table: read once (errors say so), not from a
# result of another kind.
read_for_plot <- function(x, ..., by, round, call) {
  if (inherits(x, c("consensr_sensitivity", "consensr_robustness",
                    "consensr_delphi_summary"))) {
    abort(c("{.arg x} must hold ratings or counts per level, not a {.cls {class(x)[1]}} result.",
            "i" = "Give the ratings the result was computed from."),
          call = call, class = "consensr_error_input")
  }
  tryCatch(
    as_ratings(x, ..., by = by, round = round),
    consensr_error = function(e) rlang::cnd_signal(e),
    error = function(e) abort("Can't read {.arg x} as ratings.", parent = e, call = call,
                              class = "consensr_error_input")
  )
}

# A consensus() result that kept what the plots and tables read.
consensus_check <- function(x, call) {
  rule <- attr(x, "rule")
  if (is.null(rule) || !all(c("item", "count", "n", "reached") %in% names(x))) {
    abort(c("{.arg x} must be a {.fn consensus} result with its columns {.field item}, {.field count}, {.field n} and {.field reached}.",
            "i" = "Give the result as {.fn consensus} returned it, or its rows."),
          call = call, class = "consensr_error_result")
  }
  invisible(x)
}

# A consensus() result as counts of "target", (other) and "opposite" levels.
consensus_source <- function(x, call) {
  rule <- attr(x, "rule")
  all_codes <- seq_along(rule$levels)
  tlab <- level_label(rule$levels, rule$target_codes)
  rest <- setdiff(all_codes, c(rule$target_codes, rule$opposite_codes))
  rlab <- if (length(rest)) level_label(rule$levels, rest) else "other"
  n <- as.integer(x$n)
  if (is.null(rule$opposite)) {
    levels <- c(tlab, rlab)
    counts <- rbind(x$count, n - x$count)
  } else {
    olab <- level_label(rule$levels, rule$opposite_codes)
    levels <- c(tlab, rlab, olab)
    counts <- rbind(x$count, n - x$count - x$opposite_count, x$opposite_count)
  }
  if (anyDuplicated(levels)) levels <- make.unique(levels)
  vars <- attr(x, "item_vars")
  if (is.null(vars)) vars <- character()
  items <- as.data.frame(unclass_df(x))[c("item", intersect(vars, names(x)))]
  storage.mode(counts) <- "integer"
  list(levels = levels, items = items, counts = counts, n = n,
       target_codes = 1L, reached = x$reached,
       threshold = rule$frac[1L] / rule$frac[2L], rule = rule)
}

# Left-to-right order of the level codes.
stack_order <- function(K, tcodes) {
  if (is.null(tcodes)) return(seq_len(K))
  s <- sort(tcodes)
  block <- all(diff(s) == 1L)
  if (block && s[length(s)] == K && s[1L] != 1L) return(rev(seq_len(K)))
  c(s, setdiff(seq_len(K), s))
}

# For diverging bars: position of each level counted from the centre
# outwards (1 for the middle level or the two levels next to it).
stack_from_centre <- function(K) {
  h <- K %/% 2L
  odd <- K %% 2L
  c(if (h) (h + odd):(1L + odd), if (odd) 1L, if (h) (1L + odd):(h + odd))
}

# xmin, xmax (K x m matrices, indexed by level code) of every segment.
segment_positions <- function(counts, n, stack, diverging) {
  K <- nrow(counts)
  m <- ncol(counts)
  den <- matrix(n, K, m, byrow = TRUE)
  xmin <- xmax <- matrix(0, K, m)
  if (!diverging) {
    cum <- apply(counts[stack, , drop = FALSE], 2L, cumsum)
    cum <- matrix(cum, K, m)
    xmax[stack, ] <- cum / den
    xmin[stack, ] <- rbind(0, cum[-K, , drop = FALSE]) / den
    return(list(xmin = xmin, xmax = xmax))
  }
  h <- K %/% 2L
  odd <- K %% 2L == 1L
  half_mid <- if (odd) counts[h + 1L, ] / 2 else rep(0, m)
  if (odd) {
    xmin[h + 1L, ] <- -half_mid / n
    xmax[h + 1L, ] <- half_mid / n
  }
  edge <- half_mid
  for (k in rev(seq_len(h))) {
    xmax[k, ] <- -edge / n
    edge <- edge + counts[k, ]
    xmin[k, ] <- -edge / n
  }
  edge <- half_mid
  for (k in seq_len(K)[seq_len(K) > h + odd]) {
    xmin[k, ] <- edge / n
    edge <- edge + counts[k, ]
    xmax[k, ] <- edge / n
  }
  list(xmin = xmin, xmax = xmax)
}

# Colours by level (named by level, scale order).
bars_palette <- function(levels, stack, tcodes, diverging) {
  K <- length(levels)
  pal <- character(K)
  if (diverging) {
    h <- K %/% 2L
    odd <- K %% 2L == 1L
    if (h > 0L) {
      pal[seq_len(h)] <- hex_ramp("#24527A", "#A9C2DB", h)
      pal[(K - h + 1L):K] <- rev(hex_ramp("#8E3B1E", "#E3B59B", h))
    }
    if (odd) pal[h + 1L] <- "#C8C8C8"
  } else if (is.null(tcodes)) {
    pal[stack] <- hex_ramp("#1F4E79", "#C9D6E3", K)
  } else {
    tstack <- stack[stack %in% tcodes]
    ostack <- stack[!stack %in% tcodes]
    pal[tstack] <- hex_ramp("#1F4E79", "#8FB3D9", length(tstack))
    pal[ostack] <- hex_ramp("#8A8A8A", "#DADADA", length(ostack))
  }
  stats::setNames(pal, levels)
}

pct_axis <- function(b) {
  out <- format_pct(abs(b))
  out[is.na(b)] <- NA_character_
  out
}

bars_theme <- function() {
  ggplot2::theme_minimal(base_size = 10) +
    ggplot2::theme(
      legend.position = "bottom",
      panel.grid.major.y = ggplot2::element_blank(),
      panel.grid.minor = ggplot2::element_blank(),
      strip.text.y = ggplot2::element_text(angle = 0, hjust = 0, face = "bold",
                                           size = 8.5),
      strip.background = ggplot2::element_rect(fill = "grey95", colour = NA),
      axis.text.y = ggplot2::element_text(size = 8, colour = "grey15"),
      plot.caption = ggplot2::element_text(hjust = 0, colour = "grey30",
                                           size = 8),
      plot.caption.position = "plot",
      panel.spacing.y = ggplot2::unit(4, "pt")
    )
}

draw_bars <- function(d, show_n, show_pct, wrap) {
  info <- attr(d, "bars")
  d$y <- factor(d$item, levels = rev(levels(d$item)))
  d$xmid <- (d$xmin + d$xmax) / 2
  d$width <- d$xmax - d$xmin
  p <- ggplot2::ggplot(d, ggplot2::aes(y = .data$y)) +
    ggplot2::geom_tile(
      ggplot2::aes(x = .data$xmid, width = .data$width, fill = .data$level),
      height = 0.72, colour = "white", linewidth = 0.25
    ) +
    ggplot2::scale_fill_manual(values = info$colours, limits = info$legend,
                               breaks = info$legend, drop = FALSE, name = NULL) +
    ggplot2::scale_y_discrete(labels = function(v) wrap_labels(v, wrap)) +
    ggplot2::guides(fill = ggplot2::guide_legend(
      nrow = if (sum(nchar(info$legend)) + 4L * length(info$legend) > 80L) 2L else 1L,
      byrow = TRUE
    )) +
    bars_theme()
  if (info$diverging) {
    p <- p + ggplot2::geom_vline(xintercept = 0, colour = "grey40", linewidth = 0.3)
  }
  if (!is.null(info$threshold)) {
    p <- p + ggplot2::geom_vline(xintercept = info$threshold, linetype = "dashed",
                                 colour = "#B03A2E", linewidth = 0.5)
  }

  if (show_pct) {
    lab <- d[!is.na(d$prop) & d$width >= 0.07, , drop = FALSE]
    if (nrow(lab) > 0L) {
      lab$label <- paste0(format_pct_half_up(lab$count, lab$n, 0L), "%")
      lab$text_colour <- text_on(info$colours[as.character(lab$level)])
      p <- p + ggplot2::geom_text(
        data = lab,
        ggplot2::aes(x = .data$xmid, label = .data$label,
                     colour = .data$text_colour),
        size = 2.5
      ) + ggplot2::scale_colour_identity()
    }
  }

  if (info$diverging) {
    left <- min(d$xmin, -0.05)
    right <- max(d$xmax, 0.05)
    span <- right - left
    nx <- right + 0.015 * span
    p <- p + ggplot2::scale_x_continuous(
        labels = pct_axis,
        breaks = function(l) {
          b <- seq(-1, 1, by = 0.25)
          b[b >= left - 1e-9 & b <= right + 1e-9]
        },
        limits = c(left, if (show_n) right + 0.1 * span else right),
        expand = ggplot2::expansion(mult = c(0.01, 0.01))
      )
  } else {
    # side-by-side panels are narrow: fewer breaks, more room for "n = "
    narrow <- length(info$facets) > 0L
    grid <- seq(0, 1, by = if (narrow) 0.5 else 0.25)
    if (!is.null(info$threshold)) grid <- grid[abs(grid - info$threshold) >= if (narrow) 0.35 else 0.1]
    breaks <- sort(unique(c(grid, info$threshold)))
    p <- p + ggplot2::scale_x_continuous(
      labels = pct_axis, breaks = breaks,
      limits = c(0, if (show_n) (if (narrow) 1.35 else 1.15) else 1),
      expand = ggplot2::expansion(mult = c(0, 0.01))
    )
    nx <- 1.02
  }
  if (show_n) {
    nd <- d[!duplicated(d[c("item", info$facets)]), , drop = FALSE]
    nd$label <- paste0("n = ", nd$n)
    p <- p + ggplot2::geom_text(data = nd, ggplot2::aes(x = nx, label = .data$label),
                                hjust = 0, size = 2.5, colour = "grey35")
  }
  p <- p + panel_facets(info$group_col, info$facets)
  caption <- NULL
  if (!is.null(info$threshold)) {
    caption <- sprintf("Dashed line: %s %s (consensus threshold).",
                       format_threshold(matrix(info$rule$frac, 2L)),
                       level_label(info$levels, match(info$target, info$levels)))
  } else if (info$diverging) {
    caption <- "Bars centred on the middle of the scale."
  }
  p + ggplot2::labs(x = "Share of raters", y = NULL, caption = caption)
}
