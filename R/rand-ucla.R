#' RAND/UCLA appropriateness classification
#'
#' Classifies each item as appropriate, uncertain or inappropriate from the
#' panel's ratings on a 1-9 scale, with the interpercentile range adjusted
#' for symmetry (IPRAS) as the test of disagreement, as set out in the
#' RAND/UCLA Appropriateness Method user's manual (Fitch et al. 2001).
#'
#' @section Definitions:
#' For each item, from the `n` ratings given (missing ratings are left out):
#' * `median`: the panel median; with an even `n`, the mean of the two middle
#'   ratings (so it can be a half point such as 6.5).
#' * `tertile`: the third of the scale the median falls in: `"1-3"` when the
#'   median is at most 3, `"7-9"` when it is at least 7, `"4-6"` otherwise.
#'   A median of 3.5 or 6.5 is therefore in the middle third (uncertain):
#'   an item is appropriate only with a median of at least 7 and
#'   inappropriate only with a median of at most 3, the rule stated by the
#'   EPAGE panels, whose authors wrote the manual with RAND ("appropriate
#'   when the median is greater than or equal to 7, ... inappropriate when
#'   the median is less than or equal to 3, ... uncertain when the median is
#'   greater than 3 and less than 7, or in case of disagreement").
#' * `p_lower`, `p_upper`: the `lower` (30th) and `upper` (70th) percentiles
#'   of the ratings, by [stats::quantile()] with `type = 7` by default:
#'   linear interpolation between order statistics at `(n - 1) p + 1`, the
#'   definition of Excel's `PERCENTILE` (`PERCENTILE.INC`), in which RAM
#'   results are commonly computed. The manual does not fix an interpolation
#'   rule in the material we could check, so `type` lets you choose any of
#'   R's nine definitions; the worked example of BMJ Open 2012 (below) gives
#'   the same result under all nine.
#' * `ipr = p_upper - p_lower`; `iprcp = (p_lower + p_upper) / 2`, its
#'   central point; `asymmetry_index = |5 - iprcp|`;
#'   `ipras = ipr_constant + asymmetry * asymmetry_index` (2.35 + 1.5 AI in
#'   the manual); `di = ipr / ipras`, the disagreement index.
#' * `disagreement`: `ipr > ipras` (strictly; a difference within 1e-9, i.e.
#'   a tie up to floating-point rounding, is not disagreement).
#' * `classification`: `"appropriate"` for a median in 7-9 without
#'   disagreement, `"inappropriate"` for a median in 1-3 without
#'   disagreement, `"uncertain"` for a median in 4-6 or any median with
#'   disagreement; `NA` for an item nobody rated.
#'
#' A worked example (BMJ Open 2012;2:e001431, Table 1): 15 panellists, five
#' ratings of 7, five of 8, two of 9 and three below 7: median 7, 30th
#' percentile 7, 70th percentile 8, IPR 1, IPRCP 7.5, asymmetry index 2.5 and
#' IPRAS 2.35 + 1.5 x 2.5 = 6.1 (the paper prints 2.5 as the constant but
#' computes with 2.35): no disagreement, appropriate.
#'
#' @inheritParams tally_ratings
#' @param ... Passed to [as_ratings()] when `x` is a data frame. Unless you
#'   give `levels`, the scale is taken to be `1:9`.
#' @param lower,upper The percentiles that bound the interpercentile range,
#'   as proportions (0.3 and 0.7 in the manual).
#' @param asymmetry The correction factor for asymmetry (1.5 in the manual).
#' @param ipr_constant The IPR required for disagreement when the ratings are
#'   perfectly symmetric about 5 (2.35 in the manual).
#' @param type The quantile definition, passed to [stats::quantile()].
#' @return A data frame of class `consensr_rand_ucla`, one row per item:
#'   `item`, the item metadata, `n`, `median`, `tertile` (factor), `p_lower`,
#'   `p_upper`, `ipr`, `iprcp`, `asymmetry_index`, `ipras`, `di`,
#'   `disagreement` (logical) and `classification` (factor: appropriate,
#'   uncertain, inappropriate). The settings are kept in the attribute
#'   `"settings"`.
#' @references Fitch K, Bernstein SJ, Aguilar MD, et al. (2001). *The
#'   RAND/UCLA Appropriateness Method User's Manual*. RAND, MR-1269-DG-XII/RE.
#'
#'   EPAGE (1999-2002). How appropriateness is determined.
#'   <http://epage.ch/EPAGE_ADM/explanations.html>
#'
#'   *BMJ Open* (2012), 2(5), e001431, Table 1 (an example of the RAND/UCLA
#'   appropriateness method applied to one criterion), doi:10.1136/bmjopen-2012-001431,
#'   PMC3467596.
#' @seealso [consensus()] for percentage rules such as COMET's,
#'   [agreement()] for chance-corrected agreement.
#' @examples
#' # the worked example of BMJ Open 2012, Table 1
#' bmj <- data.frame(item = "criterion 1", level = 4:9,
#'                   count = c(1, 1, 1, 5, 5, 2))
#' rand_ucla(bmj, levels = 1:9)
#'
#' set.seed(1)
#' panel <- expand.grid(respondent = 1:12, item = c("A", "B", "C"))
#' panel$rating <- c(sample(7:9, 12, TRUE), sample(1:9, 12, TRUE),
#'                   sample(1:3, 12, TRUE))
#' rand_ucla(panel)
#' @param round Optional name of a column of `x` that holds the Delphi round:
#'   the analysis is made within each round and the results are stacked
#'   with a round column (printed round by round).
#' @export
rand_ucla <- function(x, ..., lower = 0.3, upper = 0.7, asymmetry = 1.5,
                      ipr_constant = 2.35, type = 7, round = NULL) {
  call <- rlang::current_env()
  refuse_by(..., fun = "rand_ucla", call = call, x = x)
  dots <- list(...)
  r <- if (!inherits(x, "consensr_ratings") && !"levels" %in% names(dots)) {
    as_ratings(x, ..., levels = 1:9, round = round)
  } else {
    as_ratings(x, ..., round = round)
  }
  if (!is.null(r$round)) {
    return(round_apply(r, function(d) {
      rand_ucla(d, lower = lower, upper = upper, asymmetry = asymmetry,
                ipr_constant = ipr_constant, type = type)
    }))
  }
  check_proportion(lower, "lower", call)
  check_proportion(upper, "upper", call)
  if (lower >= upper) {
    abort("{.arg lower} ({lower}) must be below {.arg upper} ({upper}).", call = call)
  }
  check_nonnegative(asymmetry, "asymmetry", call)
  check_nonnegative(ipr_constant, "ipr_constant", call)
  if (!is.numeric(type) || length(type) != 1L || is.na(type) ||
      !type %in% 1:9) {
    abort("{.arg type} must be one of 1 to 9 (see {.fn stats::quantile}).", call = call)
  }
  if (!identical(r$levels, as.character(1:9))) {
    abort(c("{.fn rand_ucla} needs ratings on a 1-9 scale: the levels must be 1, 2, ..., 9.",
            "x" = "The levels are {.val {r$levels}}."), call = call)
  }
  tab <- ratings_table(r, grouped = FALSE)
  counts <- matrix(tab$counts, 9L, nrow(r$items))
  if (sum(counts) > 0 && all(counts[6:9, ] == 0L)) {
    cli::cli_warn(c("No rating above 5: are these ratings on the 1-9 scale {.fn rand_ucla} needs?",
                    "i" = "On a shorter scale (e.g. 1-5) the RAND/UCLA tertiles do not apply; see {.fn consensus}."),
                  class = "consensr_warning_scale")
  }
  # from the counts: no expansion into individual ratings
  stats <- vapply(seq_len(ncol(counts)), function(j) {
    k <- counts[, j]
    n <- sum(as.double(k))
    if (n == 0) return(rep(NA_real_, 4L))
    c(n, quantile_counts(k, 1:9, 0.5, type = 7L),
      quantile_counts(k, 1:9, c(lower, upper), type = type))
  }, numeric(4))
  stats <- matrix(stats, nrow = 4L)
  out <- r$items
  out$n <- as.integer(colSums(counts))
  med <- stats[2L, ]
  out$median <- med
  tert <- ifelse(med <= 3, "1-3", ifelse(med >= 7, "7-9", "4-6"))
  out$tertile <- factor(tert, levels = c("1-3", "4-6", "7-9"))
  out$p_lower <- stats[3L, ]
  out$p_upper <- stats[4L, ]
  out$ipr <- out$p_upper - out$p_lower
  out$iprcp <- (out$p_lower + out$p_upper) / 2
  out$asymmetry_index <- abs(5 - out$iprcp)
  out$ipras <- ipr_constant + asymmetry * out$asymmetry_index
  out$di <- out$ipr / out$ipras
  out$disagreement <- out$ipr - out$ipras > 1e-9
  cls <- ifelse(out$disagreement, "uncertain",
                c("1-3" = "inappropriate", "4-6" = "uncertain", "7-9" = "appropriate")[tert])
  out$classification <- factor(unname(cls), levels = c("appropriate", "uncertain", "inappropriate"))
  rownames(out) <- NULL
  structure(out, class = c("consensr_rand_ucla", "data.frame"),
            settings = list(lower = lower, upper = upper, asymmetry = asymmetry,
                            ipr_constant = ipr_constant, type = as.integer(type)))
}

check_proportion <- function(x, arg, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 0 || x > 1) {
    abort("{.arg {arg}} must be a single proportion between 0 and 1.", call = call)
  }
  invisible(x)
}

check_nonnegative <- function(x, arg, call) {
  if (!is.numeric(x) || length(x) != 1L || !is.finite(x) || x < 0) {
    abort("{.arg {arg}} must be a single finite number >= 0.", call = call)
  }
  invisible(x)
}

#' @export
format.consensr_rand_ucla <- function(x, digits = 2, ...) {
  s <- attr(x, "settings")
  df <- x
  attr(df, "settings") <- NULL
  class(df) <- "data.frame"
  for (col in c("median", "p_lower", "p_upper", "ipr", "iprcp", "asymmetry_index", "ipras", "di")) {
    df[[col]] <- round(df[[col]], digits)
  }
  tally <- table(factor(x$classification, levels = c("appropriate", "uncertain", "inappropriate")))
  c(sprintf("<consensr_rand_ucla> %d item%s: %d appropriate, %d uncertain, %d inappropriate%s",
            nrow(x), if (nrow(x) == 1L) "" else "s", tally[[1L]], tally[[2L]], tally[[3L]],
            if (anyNA(x$classification)) sprintf(", %d not rated", sum(is.na(x$classification))) else ""),
    sprintf("IPR = P%s - P%s (quantile type %d); disagreement when IPR > IPRAS = %s + %s x |5 - IPRCP|",
            format(100 * s$upper), format(100 * s$lower), s$type,
            format(s$ipr_constant), format(s$asymmetry)),
    utils::capture.output(print(df, row.names = FALSE)))
}

#' @export
print.consensr_rand_ucla <- function(x, ...) {
  if (print_by_round(x, ...)) return(invisible(x))
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

# Quantiles of the ratings given as counts per level (`values` in order),
# as stats::quantile(rep(values, counts), probs, type = type) computes them,
# without expanding the counts: the order statistics are read from the
# cumulative counts.
quantile_counts <- function(counts, values, probs, type = 7L) {
  n <- sum(as.double(counts))
  cum <- cumsum(as.double(counts))
  at <- function(i) {
    i <- pmin(pmax(i, 1), n)
    values[findInterval(i - 1, cum) + 1L]
  }
  fuzz <- 4 * .Machine$double.eps
  if (type <= 3) {
    nppm <- if (type == 3) n * probs - 0.5 else n * probs
    j <- floor(nppm + fuzz)
    h <- switch(type,
                (nppm > j),
                ((nppm > j) + 1) / 2,
                (nppm != j) | ((j %% 2L) == 1L))
  } else {
    ab <- switch(type - 3, c(0, 1), c(0.5, 0.5), c(0, 0), c(1, 1),
                 c(1 / 3, 1 / 3), c(3 / 8, 3 / 8))
    nppm <- ab[1L] + probs * (n + 1 - ab[1L] - ab[2L])
    j <- floor(nppm + fuzz)
    h <- nppm - j
    h[abs(h) < fuzz] <- 0
  }
  lo <- at(j)
  hi <- at(j + 1)
  qs <- lo
  qs[h == 1] <- hi[h == 1]
  other <- (0 < h) & (h < 1) & (lo != hi)
  qs[other] <- ((1 - h) * lo + h * hi)[other]
  qs
}
