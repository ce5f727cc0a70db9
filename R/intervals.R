#' Confidence intervals for proportions
#'
#' `proportion_ci()` gives a confidence interval for each proportion `k / n`;
#' `add_intervals()` adds one to every row of a result that has the columns
#' `count` and `n`, such as a [consensus()] result or a [tally_ratings()]
#' table, so that a percentage near the threshold is read with its
#' uncertainty.
#'
#' @section Methods:
#' * `"wilson"`: the Wilson (1927) score interval without continuity
#'   correction, the interval of `prop.test(k, n, correct = FALSE)`
#'   (Newcombe 1998, method 3). Recommended for panels of the usual size
#'   (Brown, Cai and DasGupta 2001).
#' * `"clopper-pearson"`: the "exact" interval of Clopper and Pearson
#'   (1934) from beta quantiles, the interval of `binom.test(k, n)`
#'   (Newcombe 1998, method 5). Conservative: its coverage is at least
#'   `conf_level`.
#'
#' Both are two-sided, computed with the same formulas as [stats::prop.test()]
#' and [stats::binom.test()]. At the edges: for `k = 0` the lower limit is
#' exactly 0, for `k = n` the upper limit is exactly 1, and for `n = 0` (an
#' item nobody rated) both limits are `NA`. `NA` counts give `NA` limits.
#'
#' @param k Counts (whole numbers >= 0), e.g. raters choosing the target.
#' @param n Denominators (whole numbers >= `k`). `k` and `n` are recycled
#'   to a common length when one of them has length 1.
#' @param conf_level The confidence level, in (0, 1).
#' @param method `"wilson"` (the default) or `"clopper-pearson"`.
#' @return `proportion_ci()`: a data frame with one row per proportion and
#'   the columns `k`, `n`, `prop` (`k / n`), `conf_low` and `conf_high`.
#' @references Wilson EB (1927). Probable inference, the law of succession,
#'   and statistical inference. *JASA*, 22, 209-212.
#'
#'   Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits
#'   illustrated in the case of the binomial. *Biometrika*, 26, 404-413.
#'
#'   Newcombe RG (1998). Two-sided confidence intervals for the single
#'   proportion: comparison of seven methods. *Statistics in Medicine*, 17,
#'   857-872.
#'
#'   Brown LD, Cai TT, DasGupta A (2001). Interval estimation for a binomial
#'   proportion. *Statistical Science*, 16, 101-133.
#' @seealso [consensus_robustness()] for intervals from resampling the
#'   respondents.
#' @examples
#' proportion_ci(c(18, 24, 0), 24)
#' proportion_ci(81, 263, method = "clopper-pearson")
#'
#' res <- consensus(atmp_published, "Fundamental", 0.75)
#' head(add_intervals(res))
#' @md
#' @export
proportion_ci <- function(k, n, conf_level = 0.95,
                          method = c("wilson", "clopper-pearson")) {
  call <- rlang::current_env()
  method <- classed_arg(rlang::arg_match(method))
  ci_check_conf_level(conf_level, call = call)
  k <- ci_check_counts(k, "k", call)
  n <- ci_check_counts(n, "n", call)
  len <- c(length(k), length(n))
  if (any(len == 0L)) {
    k <- k[0L]
    n <- n[0L]
  } else if (len[1L] != len[2L]) {
    if (min(len) != 1L) {
      abort("{.arg k} and {.arg n} must have the same length or length 1, not {len[1L]} and {len[2L]}.",
            call = call)
    }
    k <- rep(k, length.out = max(len))
    n <- rep(n, length.out = max(len))
  }
  over <- which(!is.na(k) & !is.na(n) & k > n)
  if (length(over) > 0L) {
    i <- over[1L]
    abort(c("{.arg k} can't exceed {.arg n}.",
            "x" = "At position {i}, {.arg k} is {k[i]} and {.arg n} is {n[i]}."),
          call = call)
  }
  ci <- ci_bounds(k, n, conf_level, method)
  data.frame(k = k, n = n, prop = safe_prop(k, n), conf_low = ci$low,
             conf_high = ci$high)
}

#' @rdname proportion_ci
#' @param res A data frame with the columns `count` and `n`: a
#'   [consensus()] result (the interval is that of the target share `prop`;
#'   with `by`, the per-group table in the attribute `"groups"` gets
#'   intervals too), a [tally_ratings()] table or any other.
#' @return `add_intervals()`: `res` with the columns `conf_low` and
#'   `conf_high` added (replaced if present), its class and attributes kept;
#'   the attribute `"intervals"` records the `conf_level` and `method`.
#' @md
#' @export
add_intervals <- function(res, conf_level = 0.95,
                          method = c("wilson", "clopper-pearson")) {
  call <- rlang::current_env()
  check_data_frame(res, "res", call = call)
  check_columns(res, c("count", "n"), "res", call = call)
  method <- classed_arg(rlang::arg_match(method))
  ci_check_conf_level(conf_level, call = call)
  res <- ci_add(res, conf_level, method, "res", call)
  groups <- attr(res, "groups")
  if (is.data.frame(groups) && all(c("count", "n") %in% names(groups))) {
    attr(res, "groups") <- ci_add(groups, conf_level, method, "res", call)
  }
  attr(res, "intervals") <- list(conf_level = conf_level, method = method)
  res
}

ci_add <- function(df, conf_level, method, arg, call) {
  k <- ci_check_counts(df[["count"]], paste0(arg, "$count"), call)
  n <- ci_check_counts(df[["n"]], paste0(arg, "$n"), call)
  over <- which(!is.na(k) & !is.na(n) & k > n)
  if (length(over) > 0L) {
    abort("{.field count} can't exceed {.field n} (row {head_text(over)}).",
          call = call)
  }
  ci <- ci_bounds(k, n, conf_level, method)
  df[["conf_low"]] <- ci$low
  df[["conf_high"]] <- ci$high
  df
}

# The two-sided limits, with the formulas of prop.test(correct = FALSE) and
# binom.test(); NA for n = 0 or NA input.
ci_bounds <- function(k, n, conf_level, method) {
  low <- rep(NA_real_, length(k))
  high <- rep(NA_real_, length(k))
  ok <- !is.na(k) & !is.na(n) & n > 0
  k <- as.double(k[ok])
  n <- as.double(n[ok])
  if (method == "wilson") {
    z <- stats::qnorm((1 + conf_level) / 2)
    p <- k / n
    z22n <- z^2 / (2 * n)
    half <- z * sqrt(p * (1 - p) / n + z22n / (2 * n))
    up <- ifelse(p >= 1, 1, (p + z22n + half) / (1 + 2 * z22n))
    lo <- ifelse(p <= 0, 0, (p + z22n - half) / (1 + 2 * z22n))
    low[ok] <- pmax(lo, 0)
    high[ok] <- pmin(up, 1)
  } else {
    alpha <- (1 - conf_level) / 2
    lo <- rep(0, length(k))
    up <- rep(1, length(k))
    inner <- k > 0
    lo[inner] <- stats::qbeta(alpha, k[inner], n[inner] - k[inner] + 1)
    inner <- k < n
    up[inner] <- stats::qbeta(1 - alpha, k[inner] + 1, n[inner] - k[inner])
    low[ok] <- lo
    high[ok] <- up
  }
  list(low = low, high = high)
}

# Counts for intervals: whole numbers >= 0; NA allowed (gives NA limits).
ci_check_counts <- function(x, arg, call) {
  if (!is.numeric(x) || is.factor(x)) {
    if (is.logical(x) && all(is.na(x))) return(as.double(x))
    abort("{.arg {arg}} must be numeric counts, not {.obj_type_friendly {x}}.",
          call = call)
  }
  bad <- which(!is.na(x) & (!is.finite(x) | x < 0 | x != trunc(x)))
  if (length(bad) > 0L) {
    shown <- head_text(format(x[bad]))
    abort(c("{.arg {arg}} must hold whole numbers >= 0.",
            "x" = "Found {.val {shown}} (position {head_text(bad)})."),
          call = call)
  }
  as.double(x)
}

# A confidence level in (0, 1).
ci_check_conf_level <- function(x, arg = "conf_level",
                                call = rlang::caller_env()) {
  if (!is.numeric(x) || is.factor(x) || length(x) != 1L || is.na(x) ||
      !(x > 0 && x < 1)) {
    shown <- if (is.atomic(x) && length(x) == 1L) format(x) else
      sprintf("a %s of length %d", class(x)[1L], length(x))
    hint <- if (is.numeric(x) && length(x) == 1L && !is.na(x) && x > 1 && x < 100) {
      c("i" = "Did you mean {.val {x / 100}}?")
    }
    abort(c("{.arg {arg}} must be a single number in (0, 1), not {shown}.", hint),
          call = call)
  }
  invisible(x)
}
