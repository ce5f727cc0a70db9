# The items that reached consensus as cards grouped by thematic area, in the
# spirit of Figure 1 of the reference study.

#' Infogram of the items that reached consensus
#'
#' Draws one card per item that reached consensus, labelled with its name
#' and its target share (e.g. "96%"), in one panel per group of items (e.g.
#' thematic area), as in the "infogram" of the reference study (Figure 1).
#' Groups in which no item reached consensus are kept as panels with a note,
#' so the figure shows where consensus is missing; when no item at all
#' reached consensus the plot says so instead of failing.
#'
#' Percentages are rounded half-up exactly from the counts (see
#' [table_ratings()]).
#'
#' With a two-sided rule the items that reached consensus out are drawn
#' too, as grey cards showing their share of opposite ratings, so the three
#' outcomes stay apart. Rounds and stakeholder groups (`round`, `by`, or
#' those of a [consensus()] result) are drawn side by side, one infogram
#' each.
#'
#' @param x Ratings in any shape [as_ratings()] reads, or a [consensus()]
#'   result (then `target` and `threshold` are not given: the result's rule,
#'   rounds and groups are used).
#' @inheritParams consensus
#' @param area The item metadata column that groups the items into
#'   panels. `NULL` (the default) uses the first metadata column that varies between items, if any;
#'   `FALSE` draws one panel.
#' @param ... Passed to [as_ratings()] (for example `levels`,
#'   `missing_levels`).
#' @param by,round Optional names of the respondent column of stakeholder
#'   groups and of the round column: one infogram per group (each group's
#'   own consensus) and per round, side by side.
#' @param decimals Number of decimals of the percentages, 0 to 6.
#' @param sort If `TRUE`, sort the cards of each group by their share,
#'   largest first; otherwise they keep the input order.
#' @param ncol Number of columns of cards in each infogram. Areas are
#'   placed in order, down the first column and then the next, split so
#'   that the columns are about equally long. By default 2, or 1 when
#'   rounds or groups are drawn side by side.
#' @param wrap Width, in characters, at which item names are wrapped; by
#'   default `100 / ncol`.
#' @return `plot_infogram()` returns a ggplot object. `plot_infogram_data()`
#'   returns a data frame with one row per item that reached consensus (in
#'   or out) in each panel: the round and group columns (when drawn apart),
#'   the area column (a factor holding every area, including empty ones),
#'   `item`, `status`, `count` (ratings of the target levels, or of the
#'   opposite levels for consensus out), `n`, `prop`, `label` (the
#'   percentage as text), `index`
#'   (position of the card within its group), `column` and `y` (the centre
#'   of the card in the layout; cards are 1 unit apart, going down from 0).
#'   The attribute `"infogram"` holds the layout of the groups (a data frame
#'   with `.area`, `column`, `y` of the heading, `n_items` and `empty`) and
#'   the rule.
#' @seealso [plot_bars()], [consensus()]
#' @examples
#' plot_infogram(atmp_published, "Fundamental", threshold = 0.75)
#' plot_infogram_data(atmp_published, "Fundamental", 0.75)[, c("area", "item", "label")]
#'
#' # from a consensus() result
#' res <- consensus(atmp_ratings, "Fundamental", threshold = 0.8)
#' plot_infogram(res)
#' @export
plot_infogram <- function(x, target, threshold, opposite = NULL,
                          opposite_threshold = NULL, strict = FALSE, ...,
                          area = NULL, decimals = 0, sort = FALSE, ncol = NULL,
                          wrap = NULL, by = NULL, round = NULL) {
  call <- rlang::current_env()
  d <- infogram_data(x, target, threshold, opposite, opposite_threshold,
                     strict, ..., area = area, decimals = decimals,
                     sort = sort, ncol = ncol, by = by, round = round,
                     call = call)
  if (is.null(wrap)) wrap <- max(20, round(100 / attr(d, "infogram")$ncol_asked / attr(d, "infogram")$n_panel_cols))
  check_width(wrap, "wrap", call = call)
  draw_infogram(d, wrap = wrap)
}

#' @rdname plot_infogram
#' @export
plot_infogram_data <- function(x, target, threshold, opposite = NULL,
                               opposite_threshold = NULL, strict = FALSE, ...,
                               area = NULL, decimals = 0, sort = FALSE,
                               ncol = NULL, by = NULL, round = NULL) {
  call <- rlang::current_env()
  infogram_data(x, target, threshold, opposite, opposite_threshold, strict,
                ..., area = area, decimals = decimals, sort = sort,
                ncol = ncol, by = by, round = round, call = call)
}

# Heights in layout units.
infogram_units <- list(header = 0.8, card = 1, note = 0.8, gap = 0.45)

infogram_data <- function(x, target, threshold, opposite, opposite_threshold,
                          strict, ..., area, decimals, sort, ncol, by, round,
                          call) {
  decimals <- check_decimals(decimals, call = call)
  check_flag(sort, "sort", call = call)
  if (!is.null(ncol)) check_count_arg(ncol, "ncol", call = call)
  if (inherits(x, "consensr_consensus")) {
    if (!missing(target) || !missing(threshold)) {
      abort(c("{.arg target} and {.arg threshold} can't be given with a {.fn consensus} result.",
              "i" = "The result's own rule is used."), call = call)
    }
    refuse_result_args(x, by, round, call)
    res <- consensus_check(x, call)
  } else {
    if (missing(target)) {
      abort("{.arg target} must name the level(s) counted towards consensus, e.g. {.code target = \"Fundamental\"}.",
            call = call)
    }
    require_threshold(threshold, call = call)
    r <- read_for_plot(x, ..., by = by, round = round, call = call)
    res <- run_consensus(r, target = target, threshold = threshold, call = call,
                         opposite = opposite, opposite_threshold = opposite_threshold,
                         strict = strict, by = by)
  }
  panels <- panels_of_result(res)
  # one column of cards per panel when rounds or groups are drawn apart
  if (is.null(ncol)) ncol <- if (length(panels$parts) > 1L) 1L else 2L
  items <- as.data.frame(unclass_df(res))
  items <- items[c("item", intersect(attr(res, "item_vars"), names(items)))]
  area <- resolve_area(area, items, call)
  if (!is.null(area) && area %in% c("count", "n", "prop", "label", "status",
                                    "index", "column", "y", panel_keys(panels))) {
    abort("{.arg area} can't be {.val {area}}: that name is taken by a column of the plot data.",
          call = call)
  }
  pieces <- lapply(panels$parts, infogram_panel, area = area,
                   decimals = decimals, sort = sort, ncol = ncol)
  out <- stack_panels(panels, pieces)
  gname <- attr(pieces[[1L]], "infogram")$group_name
  if (nrow(out) == 0L) {
    out <- pieces[[1L]][0L, , drop = FALSE]
    for (k in panel_keys(panels)) out[[k]] <- panels$keys[[k]][0L]
  }
  out[[gname]] <- factor(as.character(out[[gname]]),
                         levels = levels(pieces[[1L]][[gname]]))
  groups <- stack_panels(panels, lapply(pieces, function(p) attr(p, "infogram")$groups))
  info <- attr(pieces[[1L]], "infogram")
  info$groups <- groups
  info$ncol <- max(vapply(pieces, function(p) attr(p, "infogram")$ncol, 1))
  info$depth <- max(vapply(pieces, function(p) attr(p, "infogram")$depth, 1))
  info$facets <- panel_keys(panels)
  info$ncol_asked <- ncol
  keys <- panel_keys(panels)
  info$n_panel_cols <- if (length(keys) == 2L) nlevels(panels$keys[[keys[2L]]]) else length(panels$parts)
  info$rule <- attr(res, "rule")
  info$rule_text <- paste(format(info$rule), collapse = "; ")
  info$two_sided <- !is.null(info$rule$opposite)
  attr(out, "infogram") <- info
  out
}

# One panel's cards and layout.
infogram_panel <- function(res, area, decimals, sort, ncol) {
  rule <- attr(res, "rule")
  gname <- if (is.null(area)) ".group" else area
  g <- if (is.null(area)) rep("", nrow(res)) else res[[area]]
  gkeys <- if (is.factor(g)) base::levels(g) else unique(as.character(g))
  gkeys <- gkeys[!is.na(gkeys)]
  gf <- factor(as.character(g), levels = gkeys)
  status <- as.character(res$status)
  is_out <- status %in% "consensus out"
  keep <- which((res$reached %in% TRUE | is_out) & !is.na(gf))
  share <- ifelse(is_out, res$opposite_count %||% 0L, res$count)
  prop <- safe_prop(share, res$n)
  # in before out within an area, then input order (or by share)
  key <- if (sort) -prop[keep] else rep(0, length(keep))
  keep <- keep[order(as.integer(gf[keep]), is_out[keep], key, keep)]
  out <- data.frame(group = gf[keep], item = as.character(res$item[keep]),
                    status = res$status[keep],
                    count = as.integer(share[keep]), n = as.integer(res$n[keep]),
                    stringsAsFactors = FALSE)
  names(out)[1L] <- gname
  out$prop <- out$count / out$n
  out$label <- sprintf("%s%%", format_pct_half_up(out$count, out$n, decimals))
  out$index <- as.integer(stats::ave(seq_along(keep), out[[gname]], FUN = seq_along))

  # layout: groups in order, split into columns of about equal height
  n_items <- as.integer(tabulate(as.integer(out[[gname]]), length(gkeys)))
  u <- infogram_units
  header <- if (is.null(area)) 0 else u$header
  height <- header + ifelse(n_items > 0L, n_items * u$card, u$note) + u$gap
  column <- split_columns(height, ncol)
  top <- numeric(length(gkeys))
  for (cc in unique(column)) {
    idx <- which(column == cc)
    top[idx] <- -c(0, cumsum(height[idx]))[seq_along(idx)]
  }
  gi <- as.integer(out[[gname]])
  out$column <- column[gi]
  out$y <- top[gi] - header - (out$index - 0.5) * u$card
  rownames(out) <- NULL
  groups <- data.frame(.area = factor(gkeys, levels = gkeys), column = column,
                       y = top - header / 2, n_items = n_items,
                       empty = n_items == 0L)
  attr(out, "infogram") <- list(
    group_col = area, group_name = gname, groups = groups,
    ncol = max(column, 1L), depth = max(-(top - height + u$gap), 1)
  )
  out
}

# Contiguous split of the heights into at most k columns minimising the
# tallest column (exact, by dynamic programming; groups are few).
split_columns <- function(h, k) {
  G <- length(h)
  if (G == 0L) return(integer())
  k <- min(k, G)
  cs <- c(0, cumsum(h))
  cost <- matrix(Inf, G, k)
  from <- matrix(0L, G, k)
  cost[, 1L] <- cs[-1L]
  if (k > 1L) {
    for (c in 2:k) {
      for (i in seq_len(G)) {
        for (j in seq_len(i - 1L)) {
          v <- max(cost[j, c - 1L], cs[i + 1L] - cs[j + 1L])
          if (v < cost[i, c] - 1e-12) {
            cost[i, c] <- v
            from[i, c] <- j
          }
        }
      }
    }
  }
  best <- which.min(cost[G, ])
  column <- integer(G)
  i <- G
  for (c in best:1) {
    j <- if (c > 1L) from[i, c] else 0L
    column[(j + 1L):i] <- c
    i <- j
  }
  column
}

# Muted colours for the groups (recycled).
group_palette <- function(k) {
  base <- c("#3A6EA5", "#C0504D", "#4F8A5B", "#8064A2", "#D08C2E",
            "#2E8C94", "#8C5A3C", "#6B6B6B", "#A34D7A", "#5B7F2A")
  rep_len(base, k)
}

draw_infogram <- function(d, wrap) {
  info <- attr(d, "infogram")
  gname <- info$group_name
  groups <- info$groups
  u <- infogram_units
  pal <- group_palette(nlevels(groups$.area))
  d$name <- wrap_labels(d$item, wrap)
  d$accent <- pal[as.integer(d[[gname]])]
  d$fill <- tint(d$accent, 0.87)
  d$ink <- shade(d$accent, 0.25)
  # consensus out: grey cards, so the three outcomes stay apart
  out_card <- as.character(d$status) %in% "consensus out"
  d$accent[out_card] <- "#8A8A8A"
  d$fill[out_card] <- "#ECECEC"
  d$ink[out_card] <- "#555555"
  w <- 0.96
  left <- function(col) col - w / 2

  caption <- if (isTRUE(info$two_sided)) {
    opp <- level_label(info$rule$levels, info$rule$opposite_codes)
    sprintf("Items reaching consensus in (coloured) and out (grey, share rating %s).\nRule: %s. Percentages rounded half-up.",
            opp, info$rule_text)
  } else {
    sprintf("Items reaching consensus (%s). Percentages rounded half-up.",
            info$rule_text)
  }
  p <- ggplot2::ggplot(d, ggplot2::aes(y = .data$y)) +
    ggplot2::geom_tile(ggplot2::aes(x = .data$column, fill = .data$fill),
                       width = w, height = u$card * 0.88, colour = NA) +
    ggplot2::geom_tile(ggplot2::aes(x = left(.data$column) + 0.009, fill = .data$accent),
                       width = 0.018, height = u$card * 0.88, colour = NA) +
    ggplot2::geom_text(ggplot2::aes(x = left(.data$column) + 0.04, label = .data$name),
                       hjust = 0, vjust = 0.5, size = 2.9, lineheight = 0.9,
                       colour = "grey10") +
    ggplot2::geom_text(ggplot2::aes(x = .data$column + w / 2 - 0.03,
                                    label = .data$label, colour = .data$ink),
                       hjust = 1, vjust = 0.5, size = 3.8, fontface = "bold")

  if (!is.null(info$group_col)) {
    heads <- groups
    heads$label <- wrap_labels(as.character(heads$.area), round(wrap * 0.9))
    heads$accent <- pal[match(as.character(heads$.area), levels(groups$.area))]
    heads$ink <- shade(heads$accent, 0.25)
    p <- p +
      ggplot2::geom_text(data = heads,
                         ggplot2::aes(x = left(.data$column), y = .data$y,
                                      label = .data$label, colour = .data$ink),
                         hjust = 0, vjust = 0.5, size = 3.3, fontface = "bold",
                         lineheight = 0.9) +
      ggplot2::geom_segment(data = heads,
                            ggplot2::aes(x = left(.data$column),
                                         xend = left(.data$column) + w,
                                         y = .data$y - u$header / 2 + 0.04,
                                         yend = .data$y - u$header / 2 + 0.04,
                                         colour = .data$accent),
                            linewidth = 0.4)
  }
  empty <- groups[groups$empty, , drop = FALSE]
  if (nrow(empty) > 0L) {
    header <- if (is.null(info$group_col)) 0 else u$header
    empty$label <- if (is.null(info$group_col)) {
      sprintf("No item reached consensus (%s).", info$rule_text)
    } else {
      "No item reached consensus."
    }
    empty$ny <- empty$y + header / 2 - header - u$note / 2
    p <- p + ggplot2::geom_text(
      data = empty,
      ggplot2::aes(x = left(.data$column) + 0.04, y = .data$ny, label = .data$label),
      hjust = 0, size = 2.9, colour = "grey45", fontface = "italic"
    )
  }
  if (length(info$facets) == 2L) {
    # rounds in rows, groups in columns
    p <- p + ggplot2::facet_grid(rows = ggplot2::vars(!!rlang::sym(info$facets[1L])),
                                 cols = ggplot2::vars(!!rlang::sym(info$facets[2L])),
                                 labeller = ggplot2::label_both)
  } else if (length(info$facets) == 1L) {
    p <- p + ggplot2::facet_wrap(ggplot2::vars(!!rlang::sym(info$facets)),
                                 nrow = 1L, labeller = ggplot2::label_both)
  }
  p + ggplot2::scale_fill_identity() +
    ggplot2::scale_colour_identity() +
    ggplot2::scale_x_continuous(limits = c(0.5, info$ncol + 0.5), expand = c(0, 0)) +
    ggplot2::scale_y_continuous(limits = c(-info$depth, 0), expand = c(0, 0)) +
    ggplot2::labs(x = NULL, y = NULL, caption = caption) +
    ggplot2::theme_void(base_size = 10) +
    ggplot2::theme(
      plot.caption = ggplot2::element_text(hjust = 0, colour = "grey30", size = 8),
      plot.caption.position = "plot",
      plot.margin = ggplot2::margin(8, 8, 6, 8),
      strip.text = ggplot2::element_text(face = "bold", margin = ggplot2::margin(2, 0, 4, 0))
    )
}
