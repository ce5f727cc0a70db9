# Thresholds are read as the fraction the user meant: the simplest fraction
# (smallest denominator) within `fraction_tol` of the number given.  So 0.75
# is 3/4, 1/3 is 1/3, and the 8th value of seq(0.5, 1, by = 0.01), which is
# 0.57000000000000006 in binary, is 57/100.  Comparisons with k/n are then
# made in integers: k * den >= num * n.
fraction_tol <- 1e-9

# Validate proportions in (0, 1] and return a 2 x length(x) matrix of
# (numerator, denominator) doubles.
as_fraction <- function(x, arg, call = rlang::caller_env(), scalar = TRUE) {
  if (!is.numeric(x) || is.factor(x) || length(x) == 0L ||
      (scalar && length(x) != 1L)) {
    abort("{.arg {arg}} must be {if (scalar) 'a single number' else 'numbers'} in (0, 1].",
          call = call)
  }
  x <- as.double(x)
  if (anyNA(x) || any(!is.finite(x))) {
    abort("{.arg {arg}} must be a finite number in (0, 1], not {.val {x[!is.finite(x)][1]}}.",
          call = call)
  }
  pct <- x > 1 & x <= 100
  if (any(pct)) {
    abort(c("{.arg {arg}} must be a proportion in (0, 1], not a percentage.",
            "i" = "Did you mean {.val {x[pct][1] / 100}}?"), call = call)
  }
  if (any(x <= 0 | x > 1)) {
    abort("{.arg {arg}} must be in (0, 1], not {.val {x[x <= 0 | x > 1][1]}}.",
          call = call)
  }
  fr <- .Call(ffi_fraction, x, fraction_tol)
  if (anyNA(fr)) {
    abort("{.arg {arg}} = {.val {x[is.na(fr[1, ])][1]}} can't be read as a fraction; use a proportion such as 0.75.",
          call = call)
  }
  fr
}

# "75%", "33.33%": a threshold for messages.
format_threshold <- function(fr) {
  pct <- 100 * fr[1L, ] / fr[2L, ]
  paste0(trimws(formatC(pct, format = "fg", digits = 4)), "%")
}
