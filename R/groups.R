#' Compare stakeholder groups item by item
#'
#' Puts the consensus of each group of respondents (e.g. clinicians,
#' patients, researchers) side by side for every item, and tests whether the
#' groups' full rating distributions differ.
#'
#' @section Consensus within groups:
#' The rule is that of [consensus()] with `by`: per group `n_<group>`,
#' `prop_<group>` (the target share) and `reached_<group>`; overall, `reached`
#' is consensus within every group and `groups_reached` counts the groups
#' reaching it.
#'
#' @section The test:
#' For each item, the group x level table of counts (every level of the
#' scale, not only the target) is tested for independence after dropping
#' groups that did not rate the item and levels nobody chose:
#' * `test = "fisher"`: Fisher's exact test ([stats::fisher.test()]; for
#'   tables larger than 2 x 2 the Freeman-Halton extension). With `simulate
#'   = NULL` the exact p-value is computed when the network algorithm fits
#'   its default workspace, and otherwise (a large table: many groups,
#'   levels or respondents) a Monte Carlo p-value from `B` tables simulated
#'   with fixed margins (`simulate.p.value = TRUE`); the `test` column says
#'   which. `simulate = TRUE` always simulates; `FALSE` never does (the
#'   p-value is then `NA` when the exact test fails).
#' * `test = "chisq"`: Pearson's chi-squared test ([stats::chisq.test()],
#'   with its default continuity correction for 2 x 2 tables). With
#'   `simulate = NULL` the p-value is simulated (`B` tables) when some
#'   expected count is below 5, where the chi-squared approximation is
#'   poor; `FALSE` keeps the approximation and says so in `note`.
#'
#' Simulated p-values use R's random numbers: call `set.seed()` first to
#' reproduce them. An item rated by fewer than 2 groups, or on which every
#' rater chose the same level, gets `NA` with the reason in `note`. The
#' p-values are adjusted over the items tested with
#' [stats::p.adjust()] (`p_adjust`, default Holm's method, which controls the
#' family-wise error rate; `"BH"` controls the false discovery rate).
#'
#' @inheritParams consensus
#' @param by The name of the column that puts respondents into groups
#'   (for counts: the group column of the table). Required.
#' @param ... Passed to [consensus()]: `threshold`, `opposite`,
#'   `opposite_threshold`, `strict`, and to [as_ratings()]: `respondent`,
#'   `item`, `rating`, `levels`, `items`, `item_data`, `format`.
#' @param test `"fisher"` (the default) or `"chisq"`.
#' @param simulate `NULL` (decide per item, see the section The test),
#'   `TRUE` or `FALSE`.
#' @param B The number of simulated tables when a p-value is simulated.
#' @param p_adjust The adjustment method, one of [stats::p.adjust.methods].
#' @return A data frame of class `consensr_group_comparison`, one row per
#'   item: `item`, the item metadata, `n`, `prop`, `reached`,
#'   `groups_reached`, then per group `n_<group>`, `prop_<group>`,
#'   `reached_<group>`, and `p_value`, `p_adjusted`, `test` (the test
#'   done) and `note`. The per-group rows of [consensus_groups()] are in the
#'   attribute `"groups"`, the rule in `"rule"`.
#' @seealso [plot_groups()], [consensus()]
#' @references Freeman GH, Halton JH (1951). Note on an exact treatment of
#'   contingency, goodness of fit and other problems of significance.
#'   *Biometrika*, 38, 141-149.
#'
#'   Holm S (1979). A simple sequentially rejective multiple test procedure.
#'   *Scandinavian Journal of Statistics*, 6, 65-70.
#' @examples
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' cmp <- compare_groups(panel, "Fundamental", by = "setting",
#'                       levels = c("Fundamental", "Ancillary", "Less Important"))
#' cmp
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the analysis is made within each round and the results are stacked
#'   with a round column (printed round by round).
#' @md
#' @export
compare_groups <- function(x, target, by, ..., test = c("fisher", "chisq"),
                           simulate = NULL, B = 2000, p_adjust = "holm",
                           round = NULL) {
  call <- rlang::current_env()
  if (missing(by)) {
    abort("{.arg by} must name the column of respondent groups, e.g. {.code by = \"setting\"}.",
          call = call)
  }
  check_string(by, "by", call = call)
  test <- rlang::arg_match(test)
  if (!is.null(simulate)) check_flag(simulate, "simulate", call = call)
  B <- rob_check_whole(B, "B", call = call)
  if (!is.character(p_adjust) || length(p_adjust) != 1L ||
      !p_adjust %in% stats::p.adjust.methods) {
    abort(c("{.arg p_adjust} must be one of {.val {stats::p.adjust.methods}}.",
            "x" = "It is {.val {p_adjust}}."), call = call)
  }
  r <- groups_read(x, by, ..., round = round)
  if (!is.null(r$round)) {
    return(round_apply(r, function(d) {
      compare_groups(d, target, by, ..., test = test, simulate = simulate,
                     B = B, p_adjust = p_adjust)
    }))
  }
  args <- groups_rule_args(...)
  rule <- new_rule(r$levels, target, args$threshold, args$opposite,
                   args$opposite_threshold, args$strict, by, call)
  tab <- ratings_table(r, grouped = TRUE)
  G <- length(tab$groups)
  if (G < 2L) {
    abort("{.arg by} must put the respondents into at least 2 groups; {.field {by}} has only {.val {tab$groups}}.",
          call = call)
  }
  k <- rule_counts(tab, rule)
  res <- .Call(ffi_rule, k$target, k$opposite, k$n, G, rule$frac,
               rule$opposite_frac, rule$strict)
  cons <- consensus_frame(r, tab, k, rule, res)
  groups <- attr(cons, "groups")

  m <- nrow(r$items)
  out <- r$items
  out$n <- cons$n
  out$prop <- cons$prop
  out$reached <- cons$reached
  out$groups_reached <- cons$groups_reached
  wide <- function(v) matrix(v, G, m)
  gn <- wide(groups$n)
  gp <- wide(groups$prop)
  gr <- wide(groups$reached)
  for (g in seq_len(G)) {
    out[[paste0("n_", tab$groups[g])]] <- gn[g, ]
    out[[paste0("prop_", tab$groups[g])]] <- gp[g, ]
    out[[paste0("reached_", tab$groups[g])]] <- gr[g, ]
  }
  tests <- lapply(seq_len(m), function(j) {
    groups_test(t(tab$counts[, , j]), test, simulate, B)
  })
  out$p_value <- vapply(tests, `[[`, numeric(1), "p")
  out$p_adjusted <- stats::p.adjust(out$p_value, method = p_adjust)
  out$test <- vapply(tests, `[[`, character(1), "test")
  out$note <- vapply(tests, `[[`, character(1), "note")
  rownames(out) <- NULL
  structure(out, class = c("consensr_group_comparison", "data.frame"),
            rule = rule, by = by, groups = groups, group_levels = tab$groups,
            item_vars = setdiff(names(r$items), "item"),
            p_adjust = p_adjust, test = test)
}

# The ratings, with the rule arguments of `...` set aside.
groups_read <- function(x, by, ..., threshold = NULL, opposite = NULL,
                        opposite_threshold = NULL, strict = NULL, round = NULL) {
  as_ratings(x, ..., by = by, round = round)
}

groups_rule_args <- function(..., threshold = 0.75, opposite = NULL,
                             opposite_threshold = NULL, strict = FALSE) {
  list(threshold = threshold, opposite = opposite,
       opposite_threshold = opposite_threshold, strict = strict)
}

# One item: `tbl` is the group x level table of counts.
groups_test <- function(tbl, test, simulate, B) {
  tbl <- tbl[rowSums(tbl) > 0L, , drop = FALSE]
  tbl <- tbl[, colSums(tbl) > 0L, drop = FALSE]
  na <- function(note) list(p = NA_real_, test = NA_character_, note = note)
  if (nrow(tbl) < 2L) return(na("fewer than 2 groups rated the item"))
  if (ncol(tbl) < 2L) return(na("every rater chose the same level"))
  if (test == "fisher") {
    sim <- isTRUE(simulate)
    note <- NA_character_
    if (!sim) {
      p <- tryCatch(stats::fisher.test(tbl)$p.value, error = function(e) NULL)
      if (!is.null(p)) {
        return(list(p = p, test = "Fisher's exact test", note = NA_character_))
      }
      if (isFALSE(simulate)) {
        return(na("the exact test exceeds the workspace of fisher.test(); use simulate = TRUE"))
      }
      sim <- TRUE
      note <- "table too large for the exact test: p-value simulated"
    }
    p <- stats::fisher.test(tbl, simulate.p.value = TRUE, B = B)$p.value
    return(list(p = p, test = sprintf("Fisher's exact test, simulated (B = %d)", B),
                note = note))
  }
  expected <- outer(rowSums(tbl), colSums(tbl)) / sum(tbl)
  small <- any(expected < 5)
  sim <- if (is.null(simulate)) small else simulate
  note <- NA_character_
  if (sim) {
    p <- stats::chisq.test(tbl, simulate.p.value = TRUE, B = B)$p.value
    label <- sprintf("Pearson's chi-squared test, simulated (B = %d)", B)
    if (is.null(simulate)) note <- "expected counts below 5: p-value simulated"
  } else {
    p <- suppressWarnings(stats::chisq.test(tbl)$p.value)
    label <- "Pearson's chi-squared test"
    if (small) note <- "expected counts below 5: the chi-squared approximation may be poor"
  }
  list(p = p, test = label, note = note)
}

#' @md
#' @export
format.consensr_group_comparison <- function(x, alpha = 0.05, ...) {
  rule <- attr(x, "rule")
  lv <- attr(x, "group_levels")
  if (is.null(rule) || !all(c("p_value", "p_adjusted", "reached") %in% names(x))) {
    return("<consensr_group_comparison>")
  }
  m <- nrow(x)
  items <- function(k) sprintf("%d item%s", k, if (k == 1L) "" else "s")
  tested <- sum(!is.na(x$p_value))
  differ <- sum(x$p_adjusted < alpha, na.rm = TRUE)
  what <- if (is.null(rule$opposite)) "consensus" else "consensus in"
  c(sprintf("Comparison of %d %s groups (%s) on %s", length(lv), attr(x, "by"),
            paste(lv, collapse = ", "), items(m)),
    sprintf("  %d of %s tested differ in their rating distributions (%s, %s-adjusted p < %s)",
            differ, items(tested),
            if (identical(attr(x, "test"), "fisher")) "Fisher" else "chi-squared",
            attr(x, "p_adjust"), format(alpha)),
    sprintf("  %s reach %s within every group (%s)",
            items(sum(x$reached %in% TRUE)), what, paste(format(rule), collapse = " / ")))
}

#' @md
#' @export
print.consensr_group_comparison <- function(x, alpha = 0.05, ...) {
  if (print_by_round(x, ...)) return(invisible(x))
  cat(format(x, alpha = alpha), sep = "\n")
  df <- rob_plain(x)
  lv <- attr(x, "group_levels")
  shown <- intersect(c("item", paste0("prop_", lv), "p_value", "p_adjusted", "note"),
                     names(df))
  hidden <- setdiff(names(df), shown)
  print(df[shown], ...)
  if (length(hidden) > 0L) {
    cat(sprintf("Columns not shown: %s\n", paste(hidden, collapse = ", ")))
  }
  invisible(x)
}

#' Plot the groups' consensus item by item
#'
#' Per item, the target share within each group (one dot per group, joined
#' by a line to show the spread), against the consensus threshold, with the
#' items grouped by a metadata column (e.g. thematic area).
#' `plot_groups_data()` returns the data drawn.
#'
#' @param x A [compare_groups()] result, or a [consensus()] result computed
#'   with `by`.
#' @param area The item metadata column to group the items by; `NULL` (the
#'   default) takes the first metadata column, if any.
#' @return `plot_groups()`: a ggplot. `plot_groups_data()`: a data frame with
#'   one row per item and group: `item` (a factor, items ordered by their
#'   pooled share within area), `area` (when there is one), `group`, `n`,
#'   `prop`, `reached`; the threshold in the attribute `"threshold"`.
#' @examples
#' panel <- merge(atmp_ratings, atmp_participants, by = "respondent")
#' cmp <- compare_groups(panel, "Fundamental", by = "setting",
#'                       levels = c("Fundamental", "Ancillary", "Less Important"))
#' head(plot_groups_data(cmp))
#' if (requireNamespace("ggplot2", quietly = TRUE)) plot_groups(cmp)
#' @md
#' @export
plot_groups_data <- function(x, area = NULL) {
  call <- rlang::current_env()
  if (!inherits(x, c("consensr_group_comparison", "consensr_consensus")) ||
      is.null(attr(x, "groups"))) {
    abort("{.arg x} must be a {.fn compare_groups} result or a {.fn consensus} result computed with {.arg by}, not {.obj_type_friendly {x}}.",
          call = call)
  }
  refuse_rounds(x, "plot_groups", call)
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
plot_groups <- function(x, area = NULL) {
  rlang::check_installed("ggplot2", "to draw plots")
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
  if (is.null(attr(d, "area"))) return(p)
  p + ggplot2::facet_grid(rows = ggplot2::vars(.data$area), scales = "free_y",
                          space = "free_y",
                          labeller = ggplot2::label_wrap_gen(width = 20)) +
    ggplot2::theme(strip.text.y = ggplot2::element_text(angle = 0, hjust = 0))
}
