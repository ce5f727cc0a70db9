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
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `items`, `item_data`, `format`, `missing_levels`.
#' @param test `"fisher"` (the default) or `"chisq"`.
#' @param simulate `NULL` (decide per item, see the section The test),
#'   `TRUE` or `FALSE`.
#' @param B The number of simulated tables when a p-value is simulated.
#' @param p_adjust The adjustment method, one of [stats::p.adjust.methods].
#' @return A data frame of class `consensr_group_comparison`, one row per
#'   item: `item`, the item metadata, `n`, `prop`, `reached`,
#'   `groups_reached`, then per group `n_<group>`, `prop_<group>`,
#'   `reached_<group>` (and `status_<group>` for a two-sided rule: in, out
#'   or none), and `p_value`, `p_adjusted`, `test` (the test
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
#' cmp <- compare_groups(panel, "Fundamental", 0.75, by = "setting",
#'                       levels = c("Fundamental", "Ancillary", "Less Important"))
#' cmp
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the analysis is made within each round and the results are stacked
#'   with a round column (printed round by round).
#' @md
#' @export
compare_groups <- function(x, target, threshold, opposite = NULL,
                           opposite_threshold = NULL, strict = FALSE, ...,
                           test = c("fisher", "chisq"), simulate = NULL,
                           B = 2000, p_adjust = "holm", by, round = NULL) {
  call <- rlang::current_env()
  require_rule(target, threshold, call = call)
  if (missing(by)) {
    abort("{.arg by} must name the column of respondent groups, e.g. {.code by = \"setting\"}.",
          call = call)
  }
  check_string(by, "by", call = call)
  test <- classed_arg(rlang::arg_match(test))
  if (!is.null(simulate)) check_flag(simulate, "simulate", call = call)
  B <- rob_check_whole(B, "B", call = call)
  if (!is.character(p_adjust) || length(p_adjust) != 1L ||
      !p_adjust %in% stats::p.adjust.methods) {
    abort(c("{.arg p_adjust} must be one of {.val {stats::p.adjust.methods}}.",
            "x" = "It is {.val {p_adjust}}."), call = call)
  }
  as_fraction(threshold, "threshold", call = call, quiet = TRUE)
  r <- as_ratings(x, ..., by = by, round = round)
  if (!is.null(r$round)) {
    return(round_apply(r, function(d) {
      compare_groups(d, target, threshold, opposite, opposite_threshold,
                     strict, test = test, simulate = simulate, B = B,
                     p_adjust = p_adjust, by = by)
    }))
  }
  rule <- new_rule(r$levels, target, threshold, opposite, opposite_threshold,
                   strict, by, call)
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
    # two-sided rules: each group's status keeps in, out and none apart
    if (!is.null(rule$opposite)) {
      out[[paste0("status_", tab$groups[g])]] <-
        factor(matrix(as.character(groups$status), G, m)[g, ], levels = levels(groups$status))
    }
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
  c(sprintf("Comparison of %d groups%s (%s) on %s", length(lv),
            if (tolower(attr(x, "by")) %in% c("group", "groups")) "" else paste0(" of ", attr(x, "by")),
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
