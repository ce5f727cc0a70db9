#' @export
print.consensr_table <- function(x, ...) {
  note <- attr(x, "note")
  print(as.data.frame(x), row.names = FALSE, right = FALSE, ...)
  if (length(note)) cat(note, sep = "\n")
  invisible(x)
}

#' @export
as.data.frame.consensr_table <- function(x, ...) {
  attr(x, "note") <- NULL
  class(x) <- "data.frame"
  x
}

new_consensr_table <- function(x, note) {
  rownames(x) <- NULL
  structure(x, class = c("consensr_table", "data.frame"), note = note)
}

rounding_note <- function(decimals, of) {
  sprintf("Percentages of %s, rounded half-up to %d decimal%s.",
          of, decimals, if (decimals == 1L) "" else "s")
}

check_decimals <- function(decimals, call) {
  if (!is.numeric(decimals) || length(decimals) != 1L || is.na(decimals) ||
      decimals < 0 || decimals > 6 || decimals != trunc(decimals)) {
    abort("{.arg decimals} must be a whole number from 0 to 6.", call = call)
  }
  as.integer(decimals)
}

check_text <- function(x, arg, allow_empty = FALSE, call) {
  if (!is.character(x) || length(x) != 1L || is.na(x) ||
      (!allow_empty && !nzchar(x))) {
    abort("{.arg {arg}} must be a single{if (allow_empty) '' else ' non-empty'} string.",
          call = call)
  }
  invisible(x)
}

# 100 * count / n on the grid of `decimals` decimals, rounded half-up, as an
# integer-valued double; NA when n is 0 or missing. Exact: with
# v = count * 100 * 10^d (a whole number below 2^53), q = v %/% n and
# r = v %% n are exact, and the result is q + (2r >= n).
pct_half_up <- function(count, n, decimals) {
  count <- as.double(count)
  n <- as.double(n)
  len <- max(length(count), length(n))
  count <- rep_len(count, len)
  n <- rep_len(n, len)
  v <- count * 100 * 10^decimals
  ok <- !is.na(v) & !is.na(n) & n > 0
  if (any(v[ok] >= 2^53 | 2 * n[ok] >= 2^53)) {
    abort("Counts too large to round exactly at {decimals} decimal{?s}.",
          call = rlang::caller_env(2L))
  }
  out <- rep(NA_real_, len)
  r <- v[ok] %% n[ok]
  q <- (v[ok] - r) / n[ok]
  out[ok] <- q + (2 * r >= n[ok])
  out
}

# "84", "56.5": the half-up percentage as text, without the % sign.
format_pct_half_up <- function(count, n, decimals, mark = ".") {
  v <- pct_half_up(count, n, decimals)
  out <- rep(NA_character_, length(v))
  ok <- !is.na(v)
  if (decimals == 0L) {
    out[ok] <- formatC(v[ok], format = "f", digits = 0)
  } else {
    p <- 10^decimals
    whole <- floor(v[ok] / p)
    frac <- v[ok] - whole * p
    out[ok] <- paste0(formatC(whole, format = "f", digits = 0), mark,
                      formatC(frac, format = "f", digits = 0, width = decimals,
                              flag = "0"))
  }
  out
}
