#' Content validity index and modified kappa
#'
#' The content validity indices of an instrument rated by an expert panel:
#' per item the I-CVI, the chance probability `pc`, the modified kappa
#' `kappa` and its grade, and Lynn's (1986) minimum; per scale S-CVI/Ave
#' and S-CVI/UA.
#'
#' @section Definitions:
#' For an item rated by `n` experts (missing ratings left out), `agree` of
#' whom chose a `relevant` level (3 or 4 on the usual 4-point relevance
#' scale):
#' * `i_cvi = agree / n` (Lynn 1986; Polit & Beck 2006). Comparisons with
#'   a criterion are made on the counts: 7 of 9 experts meet Lynn's
#'   criterion for 9 experts exactly, whatever rounding ("0.78") a paper
#'   prints.
#' * `pc = C(n, agree) 0.5^n`, the probability that exactly `agree` of `n`
#'   experts would rate the item relevant by chance (Polit, Beck & Owen
#'   2007), computed as `dbinom(agree, n, 0.5)`.
#' * `kappa = (i_cvi - pc) / (1 - pc)`, the modified kappa `k*` (Polit,
#'   Beck & Owen 2007). `pc < 1` whenever `n >= 1`, so `kappa` is defined
#'   for every rated item.
#' * `kappa_grade`: the evaluation criteria Polit, Beck & Owen (2007)
#'   adopted from Cicchetti & Sparrow (1981) and Fleiss (1981): **excellent**
#'   when `kappa > 0.74`, **good** when `0.60 <= kappa <= 0.74`, **fair** when
#'   `0.40 <= kappa < 0.60`, **poor** below 0.40. The comparisons are exact:
#'   `kappa` is a ratio of integers (`(agree 2^n - n C) / (n 2^n - n C)` with
#'   `C = C(n, agree)`), compared with each cut-off in big-integer
#'   arithmetic in C, never after rounding.
#' * `lynn_min`: the minimum number of the `n` experts who must rate the item
#'   relevant, from Lynn's (1986) table for 3 to 10 experts (3 of
#'   3, 4 of 4, 5 of 5, 5 of 6, 6 of 7, 7 of 8, 7 of 9, 8 of 10; the
#'   proportions 1, 1, 1, 0.83, 0.86, 0.88, 0.78, 0.80, as Polit & Beck
#'   (2006) and later reviews cite it: "6-8 experts: at least 0.83; 9 or
#'   more: at least 0.78"); `NA` for panels of
#'   fewer than 3 or more than 10 experts, which the table does not cover.
#'   `lynn_met` is `agree >= lynn_min` (`NA` when `lynn_min` is).
#'
#' With one expert, `pc = 0.5` and `kappa` is 1 (relevant) or -1 (not). An
#' item nobody rated has `n = 0` and `NA` statistics and is left out of the
#' scale-level indices.
#'
#' Scale level (attribute `"scale"`, see [scale_cvi()]), over the items
#' rated: `s_cvi_ave`, the mean I-CVI; `s_cvi_ua`, the share of items that
#' every expert who rated them rated relevant (universal agreement; Polit &
#' Beck 2006).
#'
#' @inheritParams consensus
#' @param relevant The levels that count as relevant, by label or value.
#'   On a scale of exactly 4 levels, the default is the top two (3 and 4 of
#'   Lynn's relevance scale); otherwise `relevant` must be given.
#' @param by Optional respondent-level column (e.g. stakeholder group): the
#'   indices are computed within each group (one row per item and group).
#' @return A data frame of class `consensr_content_validity`, one row per
#'   item (and group): `item`, the item metadata, the group, `n`, `agree`,
#'   `i_cvi`, `pc`, `kappa`, `kappa_grade` (ordered factor poor < fair <
#'   good < excellent), `lynn_min`, `lynn_met`. With `round`, a round column
#'   after the item metadata. The scale-level indices are in the attribute
#'   `"scale"`.
#' @references Lynn MR (1986). Determination and quantification of content
#'   validity. *Nursing Research*, 35(6), 382-385.
#'   \doi{10.1097/00006199-198611000-00017}
#'
#'   Polit DF, Beck CT (2006). The content validity index: are you sure you
#'   know what's being reported? *Research in Nursing & Health*, 29,
#'   489-497. \doi{10.1002/nur.20147}
#'
#'   Polit DF, Beck CT, Owen SV (2007). Is the CVI an acceptable indicator of
#'   content validity? Appraisal and recommendations. *Research in Nursing &
#'   Health*, 30, 459-467. \doi{10.1002/nur.20199}
#'
#'   Cicchetti DV, Sparrow SA (1981). Developing criteria for establishing
#'   interrater reliability of specific items. *American Journal of Mental
#'   Deficiency*, 86, 127-137.
#' @seealso [lawshe_cvr()], [aiken_v()]
#' @examples
#' # six experts, three items, the 4-point relevance scale
#' panel <- data.frame(
#'   respondent = rep(1:6, each = 3), item = rep(c("A", "B", "C"), 6),
#'   rating = c(4, 4, 2, 4, 3, 3, 3, 4, 2, 4, 4, 1, 4, 2, 3, 3, 4, 2)
#' )
#' cv <- content_validity(panel, levels = 1:4)
#' cv
#' scale_cvi(cv)
#' @export
content_validity <- function(x, relevant = NULL, ..., by = NULL, round = NULL) {
  call <- rlang::current_env()
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(panel_rounds(r, function(d) content_validity(d, relevant, by = by),
                        stack = "scale"))
  }
  if (is.null(relevant)) {
    if (length(r$levels) != 4L) {
      abort(c("{.arg relevant} must name the levels that count as relevant.",
              "i" = "Only a 4-level scale has a default (its top two levels); the scale is {.val {r$levels}}."),
            call = call, class = "consensr_error_argument")
    }
    relevant <- r$levels[3:4]
  }
  codes <- match_levels(relevant, r$levels, "relevant", call)
  pc <- panel_counts(r, by)
  n <- pc$n
  agree <- as.integer(colSums(pc$counts[codes, , drop = FALSE]))
  out <- pc$rows
  out$n <- n
  out$agree <- agree
  rated <- n > 0L
  out$i_cvi <- ifelse(rated, agree / n, NA_real_)
  out$pc <- ifelse(rated, stats::dbinom(agree, n, 0.5), NA_real_)
  out$kappa <- (out$i_cvi - out$pc) / (1 - out$pc)
  out$kappa_grade <- kappa_grade(n, agree)
  out$lynn_min <- lynn_minimum(n)
  out$lynn_met <- agree >= out$lynn_min
  scale <- scale_indices(out, by, pc)
  panel_frame(out, r, by, c("consensr_content_validity", "consensr_panel_stat"),
              scale = scale,
              headline = c(sprintf("<consensr_content_validity> %d item%s; relevant: %s",
                                   pc$m, if (pc$m == 1L) "" else "s",
                                   level_label(r$levels, codes)),
                           scvi_text(scale)))
}

# Cicchetti & Sparrow (1981) as adopted by Polit, Beck & Owen (2007).
kappa_cuts <- list(excellent = c(74, 100), good = c(60, 100), fair = c(40, 100))

kappa_grade <- function(n, agree) {
  cmp <- lapply(kappa_cuts, function(cut) .Call(ffi_kappa_cmp, n, agree, as.double(cut)))
  grade <- ifelse(cmp$excellent > 0L, "excellent",
                  ifelse(cmp$good >= 0L, "good",
                         ifelse(cmp$fair >= 0L, "fair", "poor")))
  factor(grade, levels = c("poor", "fair", "good", "excellent"), ordered = TRUE)
}

# Lynn (1986): the minimum number of experts endorsing an item, for
# panels of 3 to 10 experts.
lynn_table <- c(`3` = 3L, `4` = 4L, `5` = 5L, `6` = 5L, `7` = 6L, `8` = 7L,
                `9` = 7L, `10` = 8L)

lynn_minimum <- function(n) unname(lynn_table[as.character(n)])

scale_indices <- function(out, by, pc) {
  grp <- if (is.null(by)) rep("all", nrow(out)) else as.character(out[[by]])
  keys <- if (is.null(by)) "all" else pc$groups
  rows <- lapply(keys, function(g) {
    d <- out[grp == g & out$n > 0L, , drop = FALSE]
    data.frame(n_items = nrow(d),
               s_cvi_ave = if (nrow(d)) mean(d$i_cvi) else NA_real_,
               s_cvi_ua = if (nrow(d)) mean(d$agree == d$n) else NA_real_)
  })
  s <- do.call(rbind, rows)
  if (!is.null(by)) s <- cbind(stats::setNames(data.frame(factor(keys, levels = keys)), by), s)
  s
}

scvi_text <- function(scale) {
  if (nrow(scale) != 1L) return(NULL)
  sprintf("S-CVI/Ave = %s, S-CVI/UA = %s over %d rated item%s",
          format(round(scale$s_cvi_ave, 3)), format(round(scale$s_cvi_ua, 3)),
          scale$n_items, if (scale$n_items == 1L) "" else "s")
}

#' Scale-level content validity indices
#'
#' @param x A [content_validity()] result.
#' @return A data frame: (the group, the round,) `n_items` (items rated),
#'   `s_cvi_ave` (mean I-CVI) and `s_cvi_ua` (share of items with universal
#'   agreement).
#' @examples
#' panel <- data.frame(respondent = rep(1:3, each = 2), item = rep(c("A", "B"), 3),
#'                     rating = c(4, 3, 3, 2, 4, 4))
#' scale_cvi(content_validity(panel, levels = 1:4))
#' @export
scale_cvi <- function(x) {
  if (!inherits(x, "consensr_content_validity")) {
    abort("{.arg x} must be a {.fn content_validity} result, not {.obj_type_friendly {x}}.",
          class = "consensr_error_argument")
  }
  attr(x, "scale")
}

#' Lawshe's content validity ratio with exact critical values
#'
#' Lawshe's (1975) content validity ratio per item, with the critical number
#' of "essential" ratings from the exact one-sided binomial test (Wilson,
#' Pan & Schumsky 2012; Ayre & Scally 2014), for any panel size and level.
#'
#' @section Definitions:
#' For an item rated by `n` panellists (missing ratings left out),
#' `n_essential` of whom chose an `essential` level:
#' * `cvr = (n_essential - n / 2) / (n / 2)`, from -1 (nobody) to 1
#'   (everybody).
#' * `p_value = P(X >= n_essential)` for `X ~ Binomial(n, 1/2)`: the
#'   one-sided exact probability of at least that many "essential" ratings
#'   if each panellist chose "essential" with probability 1/2.
#' * `critical`: the smallest count `k` with `P(X >= k) <= alpha`, the exact
#'   critical value Ayre & Scally (2014) tabulate (for `alpha = 0.05`: 5 of
#'   5, 6 of 6, 7 of 7, 7 of 8, 8 of 9, 9 of 10, ..., 26 of 40).
#'   `critical_cvr` is the CVR of that count. Computed in C with exact
#'   big-integer arithmetic: `alpha` is read as a fraction `a/b` (0.05 is
#'   1/20) and `b * sum_{j >= k} C(n, j) <= a * 2^n` is decided exactly, so
#'   there is no rounding at the boundary for any `n`.
#' * `passes`: `n_essential >= critical`, i.e. `p_value <= alpha`. A panel
#'   too small for any count to be significant (4 or fewer at 0.05) has
#'   `critical = NA` and `passes = FALSE`. An item nobody rated has `n = 0`
#'   and `NA` throughout.
#'
#' Lawshe's original table has known errors (Wilson et al. 2012 recomputed
#' it with a normal approximation; Ayre & Scally 2014 with the exact
#' binomial): this function uses the exact binomial.
#'
#' @inheritParams content_validity
#' @param essential The level or levels that count as "essential", by label
#'   or value.
#' @param alpha The one-sided significance level, a proportion in (0, 1]
#'   (0.05 in Lawshe 1975 and Ayre & Scally 2014).
#' @return A data frame of class `consensr_lawshe`, one row per item (and
#'   group): `item`, the item metadata, the group, `n`, `n_essential`,
#'   `cvr`, `p_value`, `critical`, `critical_cvr` and `passes`; with
#'   `round`, a round column.
#' @references Lawshe CH (1975). A quantitative approach to content
#'   validity. *Personnel Psychology*, 28, 563-575.
#'   \doi{10.1111/j.1744-6570.1975.tb01393.x}
#'
#'   Wilson FR, Pan W, Schumsky DA (2012). Recalculation of the critical
#'   values for Lawshe's content validity ratio. *Measurement and Evaluation
#'   in Counseling and Development*, 45(3), 197-210.
#'   \doi{10.1177/0748175612440286}
#'
#'   Ayre C, Scally AJ (2014). Critical values for Lawshe's content validity
#'   ratio: revisiting the original methods of calculation. *Measurement and
#'   Evaluation in Counseling and Development*, 47(1), 79-86.
#'   \doi{10.1177/0748175613513808}
#' @seealso [content_validity()], [aiken_v()]
#' @examples
#' counts <- data.frame(item = rep(c("Q1", "Q2"), each = 3),
#'                      level = rep(c("essential", "useful", "not necessary"), 2),
#'                      count = c(9, 1, 0, 7, 2, 1))
#' lawshe_cvr(counts, essential = "essential",
#'            levels = c("not necessary", "useful", "essential"))
#' @export
lawshe_cvr <- function(x, essential, alpha = 0.05, ..., by = NULL, round = NULL) {
  call <- rlang::current_env()
  frac <- as_fraction(alpha, "alpha", call = call)
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(panel_rounds(r, function(d) lawshe_cvr(d, essential, alpha, by = by)))
  }
  codes <- match_levels(essential, r$levels, "essential", call)
  pc <- panel_counts(r, by)
  n <- pc$n
  ne <- as.integer(colSums(pc$counts[codes, , drop = FALSE]))
  rated <- n > 0L
  out <- pc$rows
  out$n <- n
  out$n_essential <- ne
  out$cvr <- ifelse(rated, (ne - n / 2) / (n / 2), NA_real_)
  out$p_value <- ifelse(rated, stats::pbinom(ne - 1L, n, 0.5, lower.tail = FALSE), NA_real_)
  crit <- .Call(ffi_binom_critical, ifelse(rated, n, NA_integer_), frac[, 1L])
  out$critical <- crit
  out$critical_cvr <- (crit - n / 2) / (n / 2)
  out$passes <- ifelse(rated, !is.na(crit) & ne >= crit, NA)
  panel_frame(out, r, by, c("consensr_lawshe", "consensr_panel_stat"),
              alpha = as.double(alpha),
              headline = sprintf("<consensr_lawshe> %d item%s; essential: %s; exact one-sided binomial, alpha = %s: %d pass%s",
                                 pc$m, if (pc$m == 1L) "" else "s",
                                 level_label(r$levels, codes), format(alpha),
                                 sum(out$passes %in% TRUE),
                                 if (sum(out$passes %in% TRUE) == 1L) "es" else ""))
}

#' Aiken's V with score interval and right-tail probability
#'
#' Aiken's (1985) content-relevance index V per item on any ordinal scale,
#' with the score confidence interval of Penfield & Giacobbi (2004) and
#' Aiken's exact right-tail probability.
#'
#' @section Definitions:
#' The `c` levels of the scale are scored 0, 1, ..., `c - 1` in order (the
#' rating minus the lowest level, on a scale of consecutive
#' numbers such as 1-5). For an item rated by `n` raters (missing ratings
#' left out), with `s` the sum of the scores:
#' * `v = s / (n (c - 1))`, from 0 (all at the lowest level) to 1 (all at
#'   the highest).
#' * `ci_low`, `ci_high`: the score interval of Penfield & Giacobbi (2004),
#'   with `k = c - 1` and `z` the `(1 + conf_level) / 2` normal quantile:
#'   `(2 n k v + z^2 -+ z sqrt(4 n k v (1 - v) + z^2)) / (2 (n k + z^2))`.
#' * `p_value`: Aiken's (1985) right-tail probability `P(S >= s)` when each
#'   rating is uniform on the `c` levels, computed exactly by convolution
#'   in C (Aiken tabulated it for small panels and gave a normal
#'   approximation for large ones; the exact value is given for every
#'   panel size).
#'
#' An item nobody rated has `n = 0` and `NA` statistics. The scale must have
#' at least 2 levels.
#'
#' @inheritParams content_validity
#' @param conf_level Confidence level of the score interval.
#' @return A data frame of class `consensr_aiken`, one row per item (and
#'   group): `item`, the item metadata, the group, `n`, `s`, `v`, `ci_low`,
#'   `ci_high`, `p_value`; with `round`, a round column.
#' @references Aiken LR (1985). Three coefficients for analyzing the
#'   reliability and validity of ratings. *Educational and Psychological
#'   Measurement*, 45, 131-142. \doi{10.1177/0013164485451012}
#'
#'   Penfield RD, Giacobbi PR (2004). Applying a score confidence interval
#'   to Aiken's item content-relevance index. *Measurement in Physical
#'   Education and Exercise Science*, 8(4), 213-225.
#'   \doi{10.1207/s15327841mpee0804_3}
#' @seealso [content_validity()], [lawshe_cvr()]
#' @examples
#' m <- matrix(c(4, 4, 4, 4, 4, 4,
#'               4, 4, 4, 3, 4, 4,
#'               3, 3, 4, 3, 2, 3), nrow = 6,
#'             dimnames = list(NULL, c("Item1", "Item2", "Item3")))
#' aiken_v(m, levels = 1:4)
#' @export
aiken_v <- function(x, conf_level = 0.95, ..., by = NULL, round = NULL) {
  call <- rlang::current_env()
  if (!is.numeric(conf_level) || length(conf_level) != 1L || is.na(conf_level) ||
      conf_level <= 0 || conf_level >= 1) {
    abort("{.arg conf_level} must be a single number between 0 and 1.", call = call,
          class = "consensr_error_argument")
  }
  r <- as_ratings(x, ..., by = by, round = round)
  by <- analysis_by(r, by)
  if (!is.null(r$round)) {
    return(panel_rounds(r, function(d) aiken_v(d, conf_level, by = by)))
  }
  K <- length(r$levels)
  if (K < 2L) {
    abort("Aiken's V needs a scale of at least 2 levels; the scale is {.val {r$levels}}.",
          call = call, class = "consensr_error_argument")
  }
  pc <- panel_counts(r, by)
  n <- pc$n
  k <- K - 1L
  s <- as.vector(crossprod(0:k, pc$counts))
  out <- pc$rows
  out$n <- n
  out$s <- as.integer(s)
  rated <- n > 0L
  v <- ifelse(rated, s / (n * k), NA_real_)
  out$v <- v
  z <- stats::qnorm((1 + conf_level) / 2)
  nk <- as.double(n) * k
  root <- sqrt(4 * nk * v * (1 - v) + z^2)
  out$ci_low <- (2 * nk * v + z^2 - z * root) / (2 * (nk + z^2))
  out$ci_high <- (2 * nk * v + z^2 + z * root) / (2 * (nk + z^2))
  out$p_value <- .Call(ffi_aiken_tail, n, out$s, as.integer(k))
  panel_frame(out, r, by, c("consensr_aiken", "consensr_panel_stat"),
              conf_level = conf_level,
              headline = sprintf("<consensr_aiken> %d item%s on %d levels (%s scored 0-%d); %s%% score intervals",
                                 pc$m, if (pc$m == 1L) "" else "s", K,
                                 paste(head_text(r$levels, 4L), collapse = ", "), k,
                                 format(100 * conf_level)))
}
