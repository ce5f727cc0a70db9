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
#' flow <- round_flow(imp, "Fundamental", threshold = 0.75)
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
