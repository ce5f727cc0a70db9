#' Agreement among the panel over all items
#'
#' Chance-corrected agreement of the whole panel: the items are the subjects
#' and the respondents the raters, and missing ratings are allowed. Every
#' statistic is computed in C from the item x level count table, the point
#' estimates in one pass over the items (the standard errors take a second).
#'
#' @section Statistics:
#' Write `n_ik` for the number of raters who put item `i` into level `k`,
#' `r_i` for the number who rated item `i` and `K` for the number of levels.
#' * **percent**: pairwise percent agreement, the share of agreeing ordered
#'   pairs of raters, `sum_k n_ik (n_ik - 1) / (r_i (r_i - 1))`, averaged
#'   over the items with at least two ratings. A proportion in \[0, 1\] (it
#'   equals `pa` of `irrCAC`).
#' * **fleiss**: Fleiss' kappa `(pa - pe) / (1 - pe)` with `pe = sum_k pi_k^2`
#'   (Fleiss 1971), `pi_k` the mean of `n_ik / r_i` over the items with at
#'   least one rating.
#' * **gwet_ac1**: Gwet's AC1, the same with
#'   `pe = sum_k pi_k (1 - pi_k) / (K - 1)` (Gwet 2008). `K` is the number of
#'   levels of the scale, including levels nobody chose; `irrCAC` counts only
#'   the levels seen unless it is given `categ.labels`, which changes AC1.
#' * **krippendorff**: Krippendorff's alpha from the coincidence matrix
#'   (Krippendorff 2011): over the items with `m_u >= 2` ratings (the
#'   pairable values), `o_ck` sums the ordered pairs of ratings `(c, k)`
#'   divided by `m_u - 1`; `n_c = sum_k o_ck`, `n = sum_c n_c` and
#'   `alpha = 1 - (n - 1) sum_(c<k) o_ck d_ck / sum_(c<k) n_c n_k d_ck`.
#'   The `metric` sets `d_ck`: `"nominal"` 1 for `c != k`; `"ordinal"`
#'   `(n_c / 2 + sum_(c<g<k) n_g + n_k / 2)^2`, which uses only the order of
#'   the levels and the pairable marginal totals `n_g`, not the level values;
#'   `"interval"` `(v_c - v_k)^2` with `v` the numeric level labels, or the
#'   level positions `1..K` when the labels are not all numbers. Only alpha
#'   uses `metric`; the other rows are nominal.
#'
#' @section Missing ratings:
#' * `missing = "per_item"` (the default) uses every item with its own
#'   number of raters: `pa` averages over the items with two or more
#'   ratings, `pi_k` over the items with at least one. For Fleiss' kappa and
#'   AC1 this is Gwet's (2014) treatment of missing ratings, as in
#'   `irrCAC::fleiss.kappa.raw()` and `irrCAC::gwet.ac1.raw()`; their
#'   standard errors are Gwet's linearised variance (with no finite
#'   population correction) and, when `B = 0`, the confidence interval is
#'   irrCAC's `estimate +/- t(n - 1) * se`, its upper limit capped at 1.
#' * `missing = "listwise"` keeps only the items rated by every rater (the
#'   number of respondents; for counts input, the largest number of ratings
#'   of any item) and computes every statistic on them. Fleiss' kappa is then
#'   that of `irr::kappam.fleiss()`, and its `se` is the large-sample
#'   standard error under the null hypothesis kappa = 0 of Fleiss, Nee and
#'   Landis (1979) (Fleiss, Levin and Paik 2003, ch. 18), the one irr uses for
#'   its z test (irr cites Fleiss 1971, but the variance printed there is the
#'   one Fleiss, Nee and Landis corrected); it is not meant for a confidence
#'   interval, so none is given unless `B > 0`. AC1 keeps Gwet's standard
#'   error.
#' * Krippendorff's alpha handles missing ratings itself (items with one
#'   rating carry no pair); `"listwise"` restricts it to complete items. Its
#'   `se` is Gwet's (2014) linearised variance, as
#'   `irrCAC::krippen.alpha.raw()` reports it (over the items with two or
#'   more ratings, no finite population correction), with weights that give
#'   Krippendorff's alpha for each metric (identity; irrCAC's quadratic
#'   weights for `"interval"`; `1 - d / max(d)` for Krippendorff's ordinal
#'   distances `d`); with `B = 0` the interval is irrCAC's
#'   `estimate +/- t(n - 1) * se`, capped at 1, `n` the items rated.
#' * Items nobody rated are ignored everywhere (irrCAC returns `NaN` when
#'   such an item is present).
#'
#' @section Undefined values:
#' A value is `NA` with the reason in `note`: no item with two or more
#' ratings; Fleiss' kappa when every rating falls into one level (chance
#' agreement 1, kappa 0/0; AC1 is then 1); alpha when all pairable values
#' are equal (expected disagreement 0: alpha is 0/0, which Krippendorff
#' leaves undefined, while `irr::kripp.alpha()` reports 1); a standard error
#' with fewer than two items.
#'
#' @section Where the reference packages disagree:
#' * `irr::kripp.alpha()` (irr 0.85) divides each pair by `m_u - 1` only
#'   when the data hold a missing value; on complete data with more than two
#'   raters it divides by 1, which inflates `n` relative to the coincidences
#'   and gives a wrong alpha (adding one unit with a single rating, which
#'   cannot change alpha, changes irr's value). This function follows
#'   Krippendorff's definition and equals irr whenever irr's data contain a
#'   missing value or there are two raters.
#' * irrCAC's `krippen.alpha.raw(weights = "ordinal")` uses Gwet's
#'   rank-distance weights, not Krippendorff's ordinal metric (which depends
#'   on the marginal totals), so it differs from Krippendorff's ordinal alpha
#'   (0.834 against 0.815 on Krippendorff's own example); irr's ordinal
#'   metric is Krippendorff's.
#' * irr (`kripp.alpha`, `kappam.fleiss`) orders and counts only the values
#'   seen in the data; for nominal statistics and for the ordinal metric
#'   unused levels do not matter, but AC1 depends on `K` (see above).
#'
#' @section Bootstrap:
#' With `B > 0`, the items used (those with at least one rating, or the
#' complete items for `"listwise"`) are resampled with replacement `B`
#' times, all statistics are recomputed on each resample, and `conf_low`,
#' `conf_high` are the percentile interval (`stats::quantile()`, type 7) of
#' the replicates that are defined. Draws come from R's generator, item
#' `j` of replicate `b` being the `j`-th draw of `sample.int(m, m, replace =
#' TRUE)` for replicate `b`, so `set.seed()` reproduces them. The replicates
#' are kept in the attribute `"replicates"`.
#'
#' @inheritParams tally_ratings
#' @param method One or more of `"percent"`, `"fleiss"`, `"gwet_ac1"`,
#'   `"krippendorff"`; all four by default.
#' @param metric Distance metric of Krippendorff's alpha: `"nominal"`,
#'   `"ordinal"` or `"interval"`.
#' @param missing How items with missing ratings are used: `"per_item"` or
#'   `"listwise"` (see the section).
#' @param conf_level Confidence level of the intervals, in (0, 1).
#' @param B Number of bootstrap resamples of the items (0: none).
#' @return A data frame of class `consensr_agreement`, one row per method:
#'   `method`, `metric`, `variant` (`"per_item"` or `"listwise"`),
#'   `estimate`, `se` (Fleiss, AC1 and alpha), `conf_low`, `conf_high`,
#'   `interval` (how the interval was made: `"t"`, `"bootstrap percentile"`
#'   or `NA`), `items_used` (items with two or more ratings for percent and
#'   alpha; items with at least one rating for Fleiss and AC1), `raters`
#'   (respondents; for counts input, the largest number of ratings of an
#'   item) and `note` (why a value is missing, or what the `se` means).
#' @references Fleiss JL (1971). Measuring nominal scale agreement among
#'   many raters. *Psychological Bulletin*, 76, 378-382.
#'
#'   Fleiss JL, Nee JCM, Landis JR (1979). Large sample variance of kappa in
#'   the case of different sets of raters. *Psychological Bulletin*, 86,
#'   974-977.
#'
#'   Fleiss JL, Levin B, Paik MC (2003). *Statistical Methods for Rates and
#'   Proportions* (3rd ed.). Wiley.
#'
#'   Gwet KL (2008). Computing inter-rater reliability and its variance in
#'   the presence of high agreement. *British Journal of Mathematical and
#'   Statistical Psychology*, 61, 29-48.
#'
#'   Gwet KL (2014). *Handbook of Inter-Rater Reliability* (4th ed.).
#'   Advanced Analytics.
#'
#'   Krippendorff K (2011). Computing Krippendorff's alpha-reliability.
#'   Annenberg School for Communication, University of Pennsylvania.
#' @seealso [rand_ucla()], [consensus()]
#' @examples
#' lv <- c("Fundamental", "Ancillary", "Less Important")
#' agreement(atmp_ratings, levels = lv)
#'
#' # Krippendorff's reliability data: 4 observers x 12 units, with gaps
#' kd <- data.frame(
#'   respondent = rep(c("A", "B", "C", "D"), 12),
#'   item = rep(sprintf("u%02d", 1:12), each = 4),
#'   rating = c(1, 1, NA, 1, 2, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2,
#'              1, 2, 3, 4, 4, 4, 4, 4, 1, 1, 2, 1, 2, 2, 2, 2, NA, 5, 5, 5,
#'              NA, NA, 1, 1, NA, NA, 3, NA)
#' )
#' agreement(kd, "krippendorff", metric = "interval")
#'
#' set.seed(1)
#' agreement(kd, c("percent", "gwet_ac1"), B = 200)
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the analysis is made within each round and the results are stacked
#'   with a round column (printed round by round).
#' @export
agreement <- function(x,
                      method = c("percent", "fleiss", "gwet_ac1", "krippendorff"),
                      ...,
                      metric = c("nominal", "ordinal", "interval"),
                      missing = c("per_item", "listwise"),
                      conf_level = 0.95, B = 0, round = NULL) {
  call <- rlang::current_env()
  refuse_by(..., fun = "agreement", call = call, x = x)
  r <- as_ratings(x, ..., round = round)
  db_needs_respondents(r, call, "Agreement counts the respondents (the raters).")
  if (!is.null(r$round)) {
    return(round_apply(r, function(d) {
      agreement(d, method = method, metric = metric, missing = missing,
                conf_level = conf_level, B = B)
    }))
  }
  method <- classed_arg(rlang::arg_match(method, multiple = TRUE, error_call = call))
  if (length(method) == 0L) {
    abort("{.arg method} must name at least one method.", call = call)
  }
  metric <- classed_arg(rlang::arg_match(metric, error_call = call))
  missing <- classed_arg(rlang::arg_match(missing, error_call = call))
  check_conf_level(conf_level, call)
  B <- check_replicates(B, call)

  K <- length(r$levels)
  if (K < 2L) {
    abort(c("Agreement needs a scale with at least two levels.",
            "x" = "The scale has only {.val {r$levels}}."), call = call)
  }
  tab <- ratings_table(r, grouped = FALSE)
  raters <- if (has_codes(r)) nrow(r$resp) else max(c(0L, colSums(tab$counts, dims = 1L)))
  values <- level_values(r$levels)
  metric_code <- match(metric, c("nominal", "ordinal", "interval")) - 1L
  listwise <- identical(missing, "listwise")

  res <- .Call(ffi_agreement, as.vector(tab$counts), K, as.integer(raters),
               listwise, metric_code, values, as.integer(B))
  # Gwet's analytic SE of alpha (R/alpha-variance.R)
  res$estimate[["krippendorff_se"]] <- alpha_se(tab$counts, K, metric, values, listwise, raters)
  agreement_frame(res, method, metric, missing, conf_level, B, raters,
                  n_items = nrow(r$items))
}

# Numeric level labels as numbers, else the positions 1..K.
level_values <- function(levels) {
  v <- suppressWarnings(as.numeric(levels))
  if (anyNA(v) || any(!is.finite(v))) v <- as.double(seq_along(levels))
  v
}

check_conf_level <- function(x, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x <= 0 || x >= 1) {
    abort("{.arg conf_level} must be a single number between 0 and 1, e.g. {.code 0.95}.",
          call = call)
  }
  invisible(x)
}

check_replicates <- function(x, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 0 ||
      x != trunc(x) || x > .Machine$integer.max) {
    abort("{.arg B} must be a single whole number >= 0 (the bootstrap resamples).",
          call = call)
  }
  as.integer(x)
}

agreement_frame <- function(res, method, metric, missing, conf_level, B,
                            raters, n_items) {
  e <- res$estimate
  alpha <- (1 - conf_level) / 2
  rows <- lapply(method, function(m) {
    est <- unname(e[[m]])
    se <- switch(m, fleiss = e[["fleiss_se"]], gwet_ac1 = e[["gwet_ac1_se"]],
                 krippendorff = e[["krippendorff_se"]], NA_real_)
    used <- if (m %in% c("percent", "krippendorff")) e[["items_pairable"]] else e[["items"]]
    notes <- agreement_notes(m, e, missing, raters)
    est <- if (is.nan(est)) NA_real_ else est
    se <- if (is.nan(se)) NA_real_ else unname(se)
    lo <- hi <- NA_real_
    interval <- NA_character_
    if (B > 0L) {
      reps <- res$replicates[, m]
      ok <- reps[!is.na(reps)]
      if (length(ok) > 0L) {
        q <- stats::quantile(ok, c(alpha, 1 - alpha), type = 7, names = FALSE)
        lo <- q[1L]
        hi <- q[2L]
        interval <- "bootstrap percentile"
      }
      if (length(ok) < B) {
        notes <- c(notes, sprintf("%d of %d bootstrap replicates undefined",
                                  B - length(ok), B))
      }
    } else if (!is.na(se) && (m %in% c("gwet_ac1", "krippendorff") ||
                              (m == "fleiss" && missing == "per_item"))) {
      n <- e[["items"]]
      h <- se * stats::qt(1 - alpha, n - 1)
      lo <- est - h
      hi <- min(1, est + h)
      interval <- "t"
    }
    data.frame(
      method = m,
      metric = if (m == "krippendorff") metric else "nominal",
      variant = missing,
      estimate = est,
      se = se,
      conf_low = lo,
      conf_high = hi,
      interval = interval,
      items_used = as.integer(used),
      raters = as.integer(raters),
      note = if (length(notes) > 0L) paste(notes, collapse = "; ") else NA_character_,
      stringsAsFactors = FALSE
    )
  })
  out <- do.call(rbind, rows)
  rownames(out) <- NULL
  reps <- res$replicates[, method, drop = FALSE]
  structure(out, class = c("consensr_agreement", "data.frame"),
            replicates = reps, conf_level = conf_level, B = B,
            n_items = n_items)
}

# Why a value is NA, or what it means.
agreement_notes <- function(m, e, missing, raters) {
  notes <- character()
  if (e[["items"]] == 0) {
    return(if (missing == "listwise") {
      sprintf("no item was rated by all %d raters", raters)
    } else {
      "no item has a rating"
    })
  }
  if (e[["items_pairable"]] == 0) {
    return("no item has two or more ratings")
  }
  if (m == "fleiss" && is.nan(e[["fleiss"]])) {
    notes <- c(notes, "every rating is in one level: chance agreement is 1 and kappa is 0/0")
  }
  if (m == "krippendorff" && is.nan(e[["krippendorff"]])) {
    notes <- c(notes, "all pairable values are equal: expected disagreement is 0 and alpha is 0/0")
  }
  if (m %in% c("fleiss", "gwet_ac1") && e[["items"]] < 2) {
    notes <- c(notes, "one item: no standard error")
  }
  if (m == "fleiss" && missing == "listwise" && !is.nan(e[["fleiss_se"]])) {
    notes <- c(notes, "se under H0: kappa = 0 (Fleiss, Nee & Landis 1979)")
  }
  notes
}

#' @export
format.consensr_agreement <- function(x, digits = 3, ...) {
  B <- attr(x, "B")
  df <- as.data.frame(unclass_df(x))
  notes <- df$note
  df <- df[c("method", "metric", "estimate", "se", "conf_low", "conf_high",
             "interval", "items_used")]
  num <- c("estimate", "se", "conf_low", "conf_high")
  for (col in num) df[[col]] <- ifelse(is.na(df[[col]]), "-", formatC(df[[col]], digits = digits, format = "f"))
  df$interval <- ifelse(is.na(df$interval), "-", df$interval)
  head <- sprintf("<consensr_agreement> %d item%s, %d rater%s, missing ratings: %s%s",
                  attr(x, "n_items"), if (identical(attr(x, "n_items"), 1L)) "" else "s",
                  x$raters[1L], if (identical(x$raters[1L], 1L)) "" else "s",
                  x$variant[1L],
                  if (!is.null(B) && B > 0L) sprintf(", %d bootstrap resamples", B) else "")
  lines <- c(head, utils::capture.output(print(df, row.names = FALSE, right = FALSE)))
  has <- !is.na(notes)
  if (any(has)) lines <- c(lines, sprintf("%s: %s", x$method[has], notes[has]))
  lines
}

#' @export
print.consensr_agreement <- function(x, ...) {
  if (print_by_round(x, ...)) return(invisible(x))
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

