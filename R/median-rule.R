#' Median and interquartile-range consensus rules
#'
#' Applies a rule such as "median >= 4 and IQR <= 1" to every item, on any
#' ordinal scale, optionally together with a percentage rule of
#' [consensus()] ("... and at least 70% rating 4 or 5").
#'
#' @section Definitions:
#' The levels are valued by their numbers when every level is a number
#' (e.g. 1-5, 1-9), else by their position 1, 2, ..., K. For the `n`
#' ratings of an item (missing ratings left out), from the counts per
#' level (no expansion):
#' * `median`: the middle rating, the mean of the two middle ones when `n`
#'   is even (every quantile definition but types 1, 3 and 4 gives this).
#' * `q1`, `q3`: the 25th and 75th percentiles by [stats::quantile()]'s
#'   definition `type`. Type 7 (the default, R's and Excel's
#'   `PERCENTILE.INC`) interpolates at `(n - 1) p + 1`; type 6 (SPSS's and
#'   Minitab's, in which many Delphi studies were analysed) at `(n + 1) p`.
#'   With 5 ratings 1, 2, 3, 4, 5: type 7 gives 2 and 4, type 6 gives 1.5
#'   and 4.5. Name the type in your report.
#' * `iqr = q3 - q1`.
#'
#' The rule:
#' * one-sided: **consensus** when `median >= median_min` (argument
#'   `median`) and `iqr <= iqr_max` (argument `iqr`); otherwise **no
#'   consensus**.
#' * two-sided (with `opposite_median`): **consensus in** as above;
#'   **consensus out** when `median <= opposite_median` and `iqr <= iqr`;
#'   otherwise **no consensus**.
#' * with a percentage rule (`target`, `threshold`, and for a two-sided
#'   rule `opposite`, `opposite_threshold`, as in [consensus()]): an item
#'   is in (out) only when both rules put it in (out). The two rules must
#'   both be one-sided or both two-sided.
#' * with `by`: the rule is applied within each group; an item reaches
#'   consensus in (out) only when every group does, and is undecided (`NA`)
#'   when some group did not rate it and every group that did agrees.
#'
#' @section Exactness:
#' Quantiles of ratings on integer levels by types 1-7 are multiples of 1/4
#' and are exact in floating point; they are compared with the bounds with
#' a tolerance of 1e-9 (so that types 8 and 9, whose interpolation weights
#' are thirds, and non-integer level values, are also decided as the exact
#' rational arithmetic would): a median exactly 4 meets "median >= 4" and
#' an IQR exactly 1 meets "IQR <= 1". The percentage part is exact in
#' integers, as in [consensus()].
#'
#' @inheritParams consensus
#' @param median The lowest median that reaches consensus (on the scale's
#'   values, or a level's label on a text scale).
#' @param iqr The largest interquartile range that reaches consensus
#'   (in scale points; `0` means Q1 = Q3).
#' @param opposite_median For a two-sided rule: the highest median that
#'   reaches consensus out.
#' @param target,threshold,opposite,opposite_threshold,strict Optional
#'   percentage rule that must also hold, as in [consensus()].
#' @param type The quantile definition of Q1 and Q3, one of 1 to 9 (see
#'   [stats::quantile()]); 7 is R's default, 6 SPSS's.
#' @return A data frame of class `consensr_median_rule`, one row per item:
#'   `item`, the item metadata, `n`, `median`, `q1`, `q3`, `iqr`, with a
#'   percentage rule also `count` and `prop` (and `opposite_count`,
#'   `opposite_prop`), then `status` (factor) and `reached` (logical). With
#'   `by`, the per-group rows are in the attribute `"groups"` and
#'   `groups_reached` counts the groups in consensus. With `round`, a round
#'   column after the item metadata.
#' @references von der Gracht HA (2012). Consensus measurement in Delphi
#'   studies: review and implications for future quality assurance.
#'   *Technological Forecasting and Social Change*, 79(8), 1525-1536.
#'   \doi{10.1016/j.techfore.2012.04.013}
#'
#'   Hyndman RJ, Fan Y (1996). Sample quantiles in statistical packages.
#'   *The American Statistician*, 50(4), 361-365. \doi{10.2307/2684934}
#' @seealso [consensus()] for percentage rules, [rand_ucla()] for the
#'   RAND/UCLA interpercentile rule.
#' @examples
#' set.seed(2)
#' panel <- data.frame(respondent = rep(1:15, each = 3),
#'                     item = rep(c("A", "B", "C"), 15),
#'                     rating = sample(1:5, 45, TRUE, prob = c(1, 1, 2, 4, 4)))
#' consensus_median(panel, median = 4, iqr = 1, levels = 1:5)
#' # the same, SPSS's quartiles, and at least 70% rating 4 or 5
#' consensus_median(panel, median = 4, iqr = 1, target = 4:5, threshold = 0.7,
#'                  type = 6, levels = 1:5)
#' @export
consensus_median <- function(x, median, iqr, opposite_median = NULL, ...,
                             target = NULL, threshold = NULL, opposite = NULL,
                             opposite_threshold = NULL, strict = FALSE,
                             type = 7, by = NULL, round = NULL) {
  call <- rlang::current_env()
  check_quantile_type(type, call)
  check_nonnegative(iqr, "iqr", call)
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(panel_rounds(r, function(d) {
      consensus_median(d, median, iqr, opposite_median, target = target,
                       threshold = threshold, opposite = opposite,
                       opposite_threshold = opposite_threshold, strict = strict,
                       type = type, by = by)
    }, stack = "groups"))
  }
  values <- level_values(r$levels)
  med_min <- scale_bound(median, "median", r$levels, values, call)
  med_out <- if (!is.null(opposite_median)) {
    scale_bound(opposite_median, "opposite_median", r$levels, values, call)
  }
  if (!is.null(med_out) && med_out >= med_min) {
    abort("{.arg opposite_median} ({opposite_median}) must be below {.arg median} ({median}): an item could then be both in and out.",
          call = call, class = "consensr_error_argument")
  }
  rule <- NULL
  if (!is.null(target) || !is.null(threshold)) {
    if (is.null(target) || is.null(threshold)) {
      abort("A percentage rule needs both {.arg target} and {.arg threshold}.",
            call = call, class = "consensr_error_argument")
    }
    rule <- new_rule(r$levels, target, threshold, opposite, opposite_threshold,
                     strict, by, call)
    if (is.null(rule$opposite) != is.null(med_out)) {
      abort(c("The median rule and the percentage rule must both be one-sided or both two-sided.",
              "i" = "Give {.arg opposite_median} and {.arg opposite} together."),
            call = call, class = "consensr_error_argument")
    }
  } else if (!is.null(opposite) || !is.null(opposite_threshold)) {
    abort("{.arg opposite} and {.arg opposite_threshold} belong to a percentage rule: give {.arg target} and {.arg threshold} too.",
          call = call, class = "consensr_error_argument")
  }
  two_sided <- !is.null(med_out)
  labels <- if (two_sided) c("consensus in", "consensus out", "no consensus") else
    c("consensus", "no consensus")

  # per group (when by) and pooled
  stats_of <- function(pc) {
    qs <- counts_quartiles(pc$counts, values, type)
    st <- ifelse(qs$median >= med_min - 1e-9 & qs$iqr <= iqr + 1e-9, "in",
                 if (two_sided) {
                   ifelse(qs$median <= med_out + 1e-9 & qs$iqr <= iqr + 1e-9, "out", "none")
                 } else "none")
    st[pc$n == 0L] <- NA
    list(qs = qs, status = st)
  }
  pooled <- panel_counts(r, NULL)
  ps <- stats_of(pooled)
  out <- pooled$rows
  out$n <- pooled$n
  out <- cbind(out, ps$qs)
  item_status <- ps$status
  groups <- NULL
  if (!is.null(by)) {
    gc <- panel_counts(r, by)
    gs <- stats_of(gc)
    gstatus <- gs$status
  }
  if (!is.null(rule)) {
    cres <- apply_rule(r, rule)
    out$count <- cres$count
    out$prop <- cres$prop
    if (two_sided) {
      out$opposite_count <- cres$opposite_count
      out$opposite_prop <- cres$opposite_prop
    }
    pct <- c("consensus" = "in", "consensus in" = "in", "consensus out" = "out",
             "no consensus" = "none")
    if (is.null(by)) {
      item_status <- and_status(item_status, unname(pct[as.character(cres$status)]))
    } else {
      cg <- attr(cres, "groups")
      gstatus <- and_status(gstatus, unname(pct[as.character(cg$status)]))
    }
  }
  if (!is.null(by)) {
    item_status <- combine_groups(gstatus, gc$G, gc$m)
    groups <- gc$rows
    groups$n <- gc$n
    groups <- cbind(groups, gs$qs)
    if (!is.null(rule)) {
      groups$count <- cg$count
      groups$prop <- cg$prop
      if (two_sided) {
        groups$opposite_count <- cg$opposite_count
        groups$opposite_prop <- cg$opposite_prop
      }
    }
    groups$status <- status_factor(gstatus, labels)
    groups$reached <- gstatus == "in"
    rownames(groups) <- NULL
  }
  out$status <- status_factor(item_status, labels)
  out$reached <- item_status == "in"
  if (!is.null(by)) {
    out$groups_reached <- as.integer(colSums(matrix(groups$reached %in% TRUE, gc$G, gc$m)))
  }
  rule_text <- median_rule_text(median, iqr, opposite_median, type, rule)
  panel_frame(out, r, by, c("consensr_median_rule", "consensr_panel_stat"),
              groups = groups, type = as.integer(type),
              headline = c(sprintf("<consensr_median_rule> %d of %d item%s reached consensus%s%s",
                                   sum(out$reached %in% TRUE), nrow(out),
                                   if (nrow(out) == 1L) "" else "s", if (two_sided) " in" else "",
                                   within_text(by)),
                           paste0("  ", rule_text)))
}

check_quantile_type <- function(type, call) {
  if (!is.numeric(type) || length(type) != 1L || is.na(type) || !type %in% 1:9) {
    abort("{.arg type} must be one of 1 to 9 (see {.fn stats::quantile}).",
          call = call, class = "consensr_error_argument")
  }
}

# A bound on the scale: a number, or a level's label (its value).
scale_bound <- function(x, arg, levels, values, call) {
  if (is.character(x) && length(x) == 1L && !is.na(x)) {
    at <- match(x, levels)
    if (is.na(at)) {
      abort(c("{.arg {arg}} must be a number or a level of the scale.",
              "x" = "{.val {x}} is not a level; the levels are {.val {levels}}."),
            call = call, class = "consensr_error_argument")
    }
    return(values[at])
  }
  if (!is.numeric(x) || length(x) != 1L || !is.finite(x)) {
    abort("{.arg {arg}} must be a single number (or a level of the scale).",
          call = call, class = "consensr_error_argument")
  }
  as.double(x)
}

# Median, quartiles and IQR per column of a K x J count matrix.
counts_quartiles <- function(counts, values, type) {
  q <- vapply(seq_len(ncol(counts)), function(j) {
    k <- counts[, j]
    if (sum(k) == 0) return(rep(NA_real_, 3L))
    c(quantile_counts(k, values, 0.5, type = 7L),
      quantile_counts(k, values, c(0.25, 0.75), type = type))
  }, numeric(3))
  q <- matrix(q, nrow = 3L)
  data.frame(median = q[1L, ], q1 = q[2L, ], q3 = q[3L, ], iqr = q[3L, ] - q[2L, ])
}

and_status <- function(a, b) {
  out <- ifelse(a == "in" & b == "in", "in", ifelse(a == "out" & b == "out", "out", "none"))
  out[is.na(a) | is.na(b)] <- NA
  out
}

# Statuses per group (group fastest) to one per item.
combine_groups <- function(st, G, m) {
  s <- matrix(st, G, m)
  apply(s, 2L, function(v) {
    known <- v[!is.na(v)]
    if (length(known) == 0L) return(NA_character_)
    if (any(known == "none") || length(unique(known)) > 1L) return("none")
    if (anyNA(v)) return(NA_character_)
    known[1L]
  })
}

status_factor <- function(st, labels) {
  lab <- if (length(labels) == 2L) c(`in` = "consensus", none = "no consensus") else
    c(`in` = "consensus in", out = "consensus out", none = "no consensus")
  factor(unname(lab[st]), levels = labels)
}

median_rule_text <- function(median, iqr, opposite_median, type, rule) {
  q <- sprintf("IQR <= %s (quantile type %d)", format(iqr), as.integer(type))
  txt <- if (is.null(opposite_median)) {
    sprintf("median >= %s and %s", format(median), q)
  } else {
    sprintf("in: median >= %s and %s; out: median <= %s and %s", format(median), q,
            format(opposite_median), q)
  }
  if (!is.null(rule)) txt <- paste0(txt, "; and ", paste(format(rule), collapse = "; "))
  txt
}
