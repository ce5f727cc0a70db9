# ---------------------------------------------------------------------------
# Stability between rounds

#' Stability of the ratings between rounds
#'
#' For each pair of consecutive rounds (or the rounds `from` and `to`) and
#' each item rated in both, compares the ratings of the panellists who rated
#' the item in both rounds. Several published definitions of stability are
#' computed side by side; each column says which.
#'
#' @section Definitions:
#' Write `n` for the number of panellists who rated the item in both rounds
#' and `x[i, j]` for how many of them rated it `i` in the first round and
#' `j` in the second (a K x K table over the scale's levels).
#' * `changed`, `prop_changed`: panellists whose rating differs, and their
#'   share of `n` (individual stability: the share who kept their rating is
#'   `1 - prop_changed`).
#' * `kappa_linear`, `kappa_quadratic`: Cohen's (1968) weighted kappa between
#'   a panellist's ratings in the two rounds, as used for Delphi stability by
#'   Holey et al. (2007), with agreement weights `1 - |i - j| / (K - 1)`
#'   (linear) and `1 - (i - j)^2 / (K - 1)^2` (quadratic). `se_*` is the
#'   large-sample standard error of Fleiss, Cohen and Everitt (1969), not
#'   assuming kappa = 0, and `lower_*`, `upper_*` the Wald interval `kappa
#'   +/- z * se` at `conf_level` (not truncated to \[-1, 1\]). Kappa corrects
#'   the agreement for chance agreement computed from the two rounds'
#'   margins: when a round is unanimous (every panellist chose the same
#'   level), chance agreement equals observed agreement and kappa is 0, or
#'   0/0 when both rounds are unanimous, whatever the panel did. Kappa is
#'   then `NA` and `note` says why. It also falls as a panel converges on
#'   one level, so a low kappa late in a Delphi need not mean instability.
#' * `net_change`, `stable`: the net change of Scheibe, Skutsch and Schofer
#'   (1975): half the summed absolute differences between the two rounds'
#'   histograms (counts per level, over the same `n` panellists), as a share
#'   of `n`; the distribution is `stable` when `net_change < 0.15`
#'   (compared exactly, in integers: 3 of 20 is not stable). It
#'   measures group stability: individual changes that cancel out do not
#'   count.
#' * `statistic`, `df`, `p_value` for `test = "bowker"`: the McNemar-Bowker
#'   test of symmetry of the paired table (Bowker 1948), `sum over i < j of
#'   (x[i, j] - x[j, i])^2 / (x[i, j] + x[j, i])` on `df` = the number of
#'   pairs `i < j` with `x[i, j] + x[j, i] > 0` (empty pairs are dropped,
#'   unlike [stats::mcnemar.test()], which then returns `NaN`). With two
#'   levels it is McNemar's test without continuity correction
#'   (`mcnemar.test(correct = FALSE)`). `NA` with a note when nobody changed.
#' * for `test = "chisq"`: the chi-square test of Dajani, Sincoff and Talley
#'   (1979) comparing the two rounds' distributions (a 2 x K table of the
#'   same `n` panellists' ratings in each round; levels nobody used in either
#'   round are dropped). It treats the rounds as independent samples, which
#'   they are not, and is approximate when expected counts are below 5 (the
#'   note says so).
#' * for `test = "stuart_maxwell"` or `"bhapkar"`: the Stuart-Maxwell and
#'   Bhapkar tests of marginal homogeneity of the paired table (did the
#'   group's distribution move?), equal to `DescTools::StuartMaxwellTest()`
#'   and `BhapkarTest()`; levels nobody left or entered are dropped, `NA`
#'   with a note when nobody changed or both rounds are unanimous.
#'   `df` is the rank of the covariance matrix (levels tested minus one),
#'   where DescTools keeps `K - 1` after dropping unchanged levels (see
#'   R/marginal-homogeneity.R for the definitions and the differences).
#'
#' @inheritParams delphi_summary
#' @param from,to Rounds to compare, as labels or positions. By default each
#'   round is compared with the next one. With `from` only, `to` is the next
#'   round.
#' @param ... Passed to [as_ratings()]: `respondent`, `item`, `rating`,
#'   `levels`, `missing_levels`. `by` is refused (not yet per group).
#' @param test The group-level test: `"bowker"` (paired, the default),
#'   `"chisq"`, `"stuart_maxwell"` or `"bhapkar"`.
#' @param conf_level Confidence level of the kappa intervals.
#' @return A data frame of class `consensr_stability`, one row per pair of
#'   rounds and item: `from`, `to`, `item`, the item metadata, `n`,
#'   `changed`, `prop_changed`, `net_change`, `stable`, `kappa_linear`,
#'   `se_linear`, `lower_linear`, `upper_linear`, the same for
#'   `_quadratic`, `test`, `statistic`, `df`, `p_value` and `note`.
#' @seealso [delphi_summary()], [attrition()]
#' @references
#' Holey EA, Feeley JL, Dixon J, Whittaker VJ (2007). An exploration of the
#' use of simple statistics to measure consensus and stability in Delphi
#' studies. *BMC Medical Research Methodology*, 7, 52.
#'
#' Cohen J (1968). Weighted kappa: nominal scale agreement with provision for
#' scaled disagreement or partial credit. *Psychological Bulletin*, 70(4),
#' 213-220.
#'
#' Fleiss JL, Cohen J, Everitt BS (1969). Large sample standard errors of
#' kappa and weighted kappa. *Psychological Bulletin*, 72(5), 323-327.
#'
#' Scheibe M, Skutsch M, Schofer J (1975). Experiments in Delphi methodology.
#' In Linstone HA, Turoff M (eds.), *The Delphi Method: Techniques and
#' Applications*, 262-287. Addison-Wesley.
#'
#' Bowker AH (1948). A test for symmetry in contingency tables. *Journal of
#' the American Statistical Association*, 43(244), 572-574.
#'
#' Dajani JS, Sincoff MZ, Talley WK (1979). Stability and agreement criteria
#' for the termination of Delphi studies. *Technological Forecasting and
#' Social Change*, 13(1), 83-90.
#' @examples
#' imp <- read_redcap(
#'   system.file("extdata", "atmp_delphi_records.csv", package = "consensr"),
#'   system.file("extdata", "atmp_delphi_dictionary.csv", package = "consensr")
#' )
#' st <- round_stability(imp$ratings)
#' st[, c("item", "n", "prop_changed", "net_change", "stable",
#'        "kappa_linear", "p_value")]
#'
#' # Dajani's chi-square instead of the paired test
#' head(round_stability(imp$ratings, test = "chisq")[, c("item", "statistic", "p_value")])
#' @export
round_stability <- function(x, from = NULL, to = NULL, ...,
                            test = c("bowker", "chisq", "stuart_maxwell", "bhapkar"),
                            conf_level = 0.95,
                            round = NULL) {
  call <- rlang::current_env()
  refuse_by(..., fun = "round_stability", call = call, x = x)
  test <- classed_arg(rlang::arg_match(test, error_call = call))
  if (!is.numeric(conf_level) || length(conf_level) != 1L || is.na(conf_level) ||
      conf_level <= 0 || conf_level >= 1) {
    abort("{.arg conf_level} must be a single number between 0 and 1.", call = call)
  }
  p <- rounds_prepare(x, round, list(...), call, codes = TRUE)
  pairs <- rounds_pairs(p$rounds, from, to, call)
  vars <- rounds_item_vars(p$ratings)
  z <- stats::qnorm(1 - (1 - conf_level) / 2)
  K <- length(p$ratings[[1L]]$levels)
  res <- lapply(seq_len(nrow(pairs)), function(k) {
    a <- p$ratings[[pairs$from[k]]]
    b <- p$ratings[[pairs$to[k]]]
    items <- a$items$item[a$items$item %in% b$items$item]
    who <- intersect(a$respondents, b$respondents)
    rows <- lapply(items, function(it) {
      ca <- a$codes[match(who, a$respondents), it]
      cb <- b$codes[match(who, b$respondents), it]
      ok <- !is.na(ca) & !is.na(cb)
      rounds_stability_stats(ca[ok], cb[ok], K, test, z, a$levels)
    })
    d <- a$items[match(items, a$items$item), c("item", vars), drop = FALSE]
    d <- cbind(data.frame(from = rep(p$rounds[pairs$from[k]], length(items)),
                          to = rep(p$rounds[pairs$to[k]], length(items)),
                          stringsAsFactors = FALSE),
               d, do.call(rbind, rows))
    d
  })
  out <- do.call(rbind, res)
  out$from <- factor(out$from, levels = p$rounds)
  out$to <- factor(out$to, levels = p$rounds)
  rownames(out) <- NULL
  structure(out, class = c("consensr_stability", "data.frame"), test = test,
            conf_level = conf_level, levels = p$ratings[[1L]]$levels)
}

# Pairs of round positions to compare.
rounds_pairs <- function(rounds, from, to, call) {
  R <- length(rounds)
  if (R < 2L) {
    abort("Comparing rounds needs at least two rounds; {.arg x} has {R}.", call = call)
  }
  pos <- function(v, arg) {
    if (is.null(v)) return(NULL)
    if (length(v) != 1L || is.na(v)) {
      abort("{.arg {arg}} must be one round, by label or position.", call = call)
    }
    i <- if (is.numeric(v)) as.integer(v) else match(as.character(v), rounds)
    if (is.na(i) || i < 1L || i > R) {
      abort(c("{.arg {arg}} must be a round of {.arg x}.",
              "x" = "{.val {as.character(v)}} is not one of {.val {rounds}}."), call = call)
    }
    i
  }
  f <- pos(from, "from")
  t <- pos(to, "to")
  if (is.null(f) && is.null(t)) {
    return(data.frame(from = seq_len(R - 1L), to = seq_len(R)[-1L]))
  }
  if (is.null(f)) f <- t - 1L
  if (is.null(t)) t <- f + 1L
  if (f < 1L || t > R || f == t) {
    abort("{.arg from} and {.arg to} must be two different rounds of {.arg x}.",
          call = call)
  }
  data.frame(from = f, to = t)
}

# All stability statistics of one item from paired codes a (first round)
# and b (second round), 1..K.
rounds_stability_stats <- function(a, b, K, test, z, levels) {
  n <- length(a)
  tab <- matrix(tabulate((b - 1L) * K + a, K * K), K, K)  # rows: first round
  notes <- character()
  out <- data.frame(n = n, changed = sum(a != b), prop_changed = NA_real_,
                    net_change = NA_real_, stable = NA,
                    kappa_linear = NA_real_, se_linear = NA_real_,
                    lower_linear = NA_real_, upper_linear = NA_real_,
                    kappa_quadratic = NA_real_, se_quadratic = NA_real_,
                    lower_quadratic = NA_real_, upper_quadratic = NA_real_,
                    test = test, statistic = NA_real_, df = NA_integer_,
                    p_value = NA_real_, note = NA_character_,
                    stringsAsFactors = FALSE)
  if (n == 0L) {
    out$note <- "no panellist rated the item in both rounds"
    return(out)
  }
  out$prop_changed <- out$changed / n
  h1 <- rowSums(tab)
  h2 <- colSums(tab)
  moved <- sum(abs(h1 - h2))             # twice the net change, in panellists
  out$net_change <- moved / 2 / n
  out$stable <- moved * 100 < 30 * n      # net change < 15%, exactly
  if (n < 2L) {
    notes <- c(notes, "one panellist: kappa and test not computed")
  } else {
    unanimous <- c(sum(h1 > 0) == 1L, sum(h2 > 0) == 1L)
    if (any(unanimous)) {
      lv <- unique(levels[c(which.max(h1), which.max(h2))[unanimous]])
      what <- if (all(unanimous)) "both rounds are" else
        sprintf("the %s round is", c("first", "second")[unanimous])
      notes <- c(notes, sprintf(
        "kappa undefined: %s unanimous (%s), so chance agreement equals observed agreement (Holey et al. 2007)",
        what, paste(lv, collapse = ", ")))
    } else {
      for (w in c("linear", "quadratic")) {
        kw <- rounds_weighted_kappa(tab, rounds_kappa_weights(K, w))
        out[[paste0("kappa_", w)]] <- kw$kappa
        out[[paste0("se_", w)]] <- kw$se
        out[[paste0("lower_", w)]] <- kw$kappa - z * kw$se
        out[[paste0("upper_", w)]] <- kw$kappa + z * kw$se
      }
    }
    tst <- switch(test, bowker = rounds_bowker(tab), chisq = rounds_chisq(h1, h2),
                  marginal_homogeneity(tab, test))
    out$statistic <- tst$statistic
    out$df <- tst$df
    out$p_value <- tst$p_value
    if (!is.null(tst$note)) notes <- c(notes, tst$note)
  }
  if (length(notes)) out$note <- paste(notes, collapse = "; ")
  out
}

# Agreement weights: 1 on the diagonal, 0 at the largest distance.
rounds_kappa_weights <- function(K, type = c("linear", "quadratic")) {
  type <- match.arg(type)
  if (K < 2L) return(matrix(1, K, K))
  d <- abs(outer(seq_len(K), seq_len(K), "-")) / (K - 1)
  if (type == "linear") 1 - d else 1 - d^2
}

# Cohen's (1968) weighted kappa with the large-sample standard error of
# Fleiss, Cohen and Everitt (1969), not assuming kappa = 0.
rounds_weighted_kappa <- function(tab, w) {
  n <- sum(tab)
  p <- tab / n
  pr <- rowSums(p)
  pc <- colSums(p)
  po <- sum(w * p)
  pe <- sum(w * outer(pr, pc))
  if (!is.finite(pe) || pe >= 1 - 1e-12) return(list(kappa = NA_real_, se = NA_real_))
  k <- (po - pe) / (1 - pe)
  wi <- as.vector(w %*% pc)          # mean weight of row i over the columns
  wj <- as.vector(crossprod(w, pr))  # mean weight of column j over the rows
  v <- (sum(p * (w - outer(wi, wj, "+") * (1 - k))^2) - (k - pe * (1 - k))^2) /
    (n * (1 - pe)^2)
  list(kappa = k, se = sqrt(max(v, 0)))
}

# McNemar-Bowker test of symmetry, empty pairs dropped.
rounds_bowker <- function(tab) {
  up <- upper.tri(tab)
  nij <- tab[up]
  nji <- t(tab)[up]
  keep <- nij + nji > 0
  if (!any(keep)) {
    return(list(statistic = NA_real_, df = NA_integer_, p_value = NA_real_,
                note = "no panellist changed: the symmetry test is not defined"))
  }
  stat <- sum((nij[keep] - nji[keep])^2 / (nij[keep] + nji[keep]))
  df <- sum(keep)
  list(statistic = stat, df = as.integer(df),
       p_value = stats::pchisq(stat, df, lower.tail = FALSE), note = NULL)
}

# Chi-square comparing the two rounds' distributions (2 x K), levels used
# in neither round dropped.
rounds_chisq <- function(h1, h2) {
  keep <- h1 + h2 > 0
  if (sum(keep) < 2L) {
    return(list(statistic = NA_real_, df = NA_integer_, p_value = NA_real_,
                note = "both rounds in one level: the chi-square test is not defined"))
  }
  obs <- rbind(h1[keep], h2[keep])
  exp <- outer(rowSums(obs), colSums(obs)) / sum(obs)
  stat <- sum((obs - exp)^2 / exp)
  df <- sum(keep) - 1L
  list(statistic = stat, df = as.integer(df),
       p_value = stats::pchisq(stat, df, lower.tail = FALSE),
       note = if (any(exp < 5)) "chi-square: expected counts below 5, the p-value is approximate" else NULL)
}

#' @export
format.consensr_stability <- function(x, ...) {
  if (!rounds_has_attrs(x, "test") || !all(c("from", "to", "stable") %in% names(x))) {
    return(character())
  }
  lines <- sprintf("<consensr_stability> %d item comparison%s; net change < 15%% (Scheibe et al. 1975), weighted kappa (Cohen 1968), %s",
                   nrow(x), rounds_plural(nrow(x)),
                   switch(attr(x, "test"), bowker = "McNemar-Bowker test",
                          stuart_maxwell = "Stuart-Maxwell test", bhapkar = "Bhapkar test",
                          "chi-square test (Dajani et al. 1979)"))
  pairs <- unique(x[c("from", "to")])
  for (k in seq_len(nrow(pairs))) {
    d <- x[x$from == pairs$from[k] & x$to == pairs$to[k], , drop = FALSE]
    lines <- c(lines, sprintf("  %s -> %s: %d item%s, %d stable, median share changed %s, %d with kappa undefined",
                              pairs$from[k], pairs$to[k], nrow(d), rounds_plural(nrow(d)),
                              sum(d$stable %in% TRUE),
                              if (all(is.na(d$prop_changed))) "NA" else
                                sprintf("%.0f%%", 100 * stats::median(d$prop_changed, na.rm = TRUE)),
                              sum(is.na(d$kappa_linear))))
  }
  lines
}

#' @export
print.consensr_stability <- function(x, ...) {
  rounds_cat(format(x, ...))
  y <- x
  attr(y, "test") <- attr(y, "conf_level") <- attr(y, "levels") <- NULL
  class(y) <- "data.frame"
  print(y, ...)
  invisible(x)
}
