# Thresholds are read as the fraction the user meant: the simplest fraction
# (smallest denominator) within `fraction_tol` of the number given.  So 0.75
# is 3/4, 1/3 is 1/3, and the 8th value of seq(0.5, 1, by = 0.01), which is
# 0.57000000000000006 in binary, is 57/100.  Comparisons with k/n are then
# made in integers: k * den >= num * n.
fraction_tol <- 1e-9

# Validate proportions in (0, 1] and return a 2 x length(x) matrix of
# (numerator, denominator) doubles.  Strings "k/n" are exact fractions, taken
# as they are (reduced): "2147483646/2147483647" stays that, where the double
# 0.99999999953 would be read as 1.  A number read as a simpler fraction that
# some k/n (n < 2^31) separates from it gets a message (snap_message()).
as_fraction <- function(x, arg, call = rlang::caller_env(), scalar = TRUE,
                        quiet = FALSE) {
  if (is.character(x) && length(x) > 0L && (!scalar || length(x) == 1L)) {
    return(parse_fraction(x, arg, call))
  }
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
  if (!quiet) snap_message(x, fr, arg)
  fr
}

# Exact fractions given as strings: "3/4", " 2147483646 / 2147483647 ".
parse_fraction <- function(x, arg, call) {
  m <- regmatches(x, regexec("^\\s*([0-9]+)\\s*/\\s*([0-9]+)\\s*$", x))
  bad <- lengths(m) != 3L
  num <- den <- rep(NA_real_, length(x))
  num[!bad] <- as.double(vapply(m[!bad], `[`, "", 2L))
  den[!bad] <- as.double(vapply(m[!bad], `[`, "", 3L))
  bad <- bad | !(num >= 1 & num <= den & den <= .Machine$integer.max)
  if (any(bad)) {
    abort(c("{.arg {arg}} given as text must be an exact fraction {.val k/n} with 0 < k <= n < 2^31.",
            "x" = "Can't read {.val {x[bad][1]}}.",
            "i" = "For example {.val 3/4}, or the number {.val {0.75}}."),
          call = call)
  }
  g <- gcd_double(num, den)
  rbind(num / g, den / g, deparse.level = 0L)
}

gcd_double <- function(a, b) {
  while (any(b > 0)) {
    nz <- b > 0
    r <- a[nz] %% b[nz]
    a[nz] <- b[nz]
    b[nz] <- r
  }
  a
}

# Reading x as the simpler fraction fr is harmless unless a proportion k/n a
# panel could have (n < 2^31) lies between the two: then that k/n reaches
# one and not the other.  Say so once, naming the fraction used and the way
# to give the exact one.
snap_message <- function(x, fr, arg) {
  sn <- .Call(ffi_fraction_snaps, x, fr)
  hit <- which(sn[1L, ] == 1)
  if (length(hit) == 0L) return(invisible())
  i <- hit[1L]
  given <- format(x[i], digits = 15)
  used <- paste0(fr[1L, i], "/", fr[2L, i])
  between <- paste0(format(sn[2L, i], scientific = FALSE), "/",
                    format(sn[3L, i], scientific = FALSE))
  cli::cli_inform(
    c("i" = "{.arg {arg}} = {given} is read as {used}, so a proportion such as {between} reaches only one of the two; give an exact fraction as text, e.g. {.code {arg} = \"{between}\"}."),
    class = "consensr_message_snap")
  invisible()
}

# "75%", "33.33%": a threshold for messages.
format_threshold <- function(fr) format_pct(fr[1L, ] / fr[2L, ])
