# Shared pieces of the plots: label wrapping, colours, argument checks.

# n colours from `from` to `to`, interpolated in RGB (n = 1 gives `from`).
hex_ramp <- function(from, to, n) {
  if (n <= 0L) return(character())
  a <- hex_rgb(from)
  b <- hex_rgb(to)
  t <- if (n == 1L) 0 else (seq_len(n) - 1) / (n - 1)
  rgb <- outer(t, b - a) + matrix(a, n, 3L, byrow = TRUE)
  sprintf("#%02X%02X%02X", round(rgb[, 1L]), round(rgb[, 2L]), round(rgb[, 3L]))
}

hex_rgb <- function(hex) {
  vapply(c(2L, 4L, 6L), function(i) strtoi(substr(hex, i, i + 1L), 16L), numeric(1))
}

# Dark text on light fills, white on dark ones.
text_on <- function(fill) {
  lum <- vapply(fill, function(h) sum(hex_rgb(h) * c(0.299, 0.587, 0.114)) / 255,
                numeric(1))
  ifelse(lum > 0.55, "grey10", "white")
}

# "Biomarkers and\nSurrogate Endpoints"
wrap_labels <- function(x, width) {
  vapply(as.character(x), function(s) paste(strwrap(s, width = width), collapse = "\n"),
         character(1), USE.NAMES = FALSE)
}

check_width <- function(x, arg, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 5) {
    abort("{.arg {arg}} must be a number of characters (at least 5).", call = call)
  }
  invisible(x)
}

check_count_arg <- function(x, arg, call) {
  if (!is.numeric(x) || length(x) != 1L || is.na(x) || x < 1 || x != trunc(x)) {
    abort("{.arg {arg}} must be a whole number, at least 1.", call = call)
  }
  invisible(x)
}

# Blend a colour with white: tint(col, 0.85) is a light background.
tint <- function(hex, amount) {
  vapply(hex, function(h) {
    rgb <- hex_rgb(h)
    rgb <- rgb + (255 - rgb) * amount
    sprintf("#%02X%02X%02X", round(rgb[1L]), round(rgb[2L]), round(rgb[3L]))
  }, character(1), USE.NAMES = FALSE)
}

# Blend a colour with black.
shade <- function(hex, amount) {
  vapply(hex, function(h) {
    rgb <- hex_rgb(h) * (1 - amount)
    sprintf("#%02X%02X%02X", round(rgb[1L]), round(rgb[2L]), round(rgb[3L]))
  }, character(1), USE.NAMES = FALSE)
}

# With `by`, shares are pooled over the panel while the status is decided
# within every group: a caption says so.
pooled_note <- function(rule) {
  if (is.null(rule$by)) return("")
  sprintf(".\nShares pooled over the panel; the status is decided%s", within_text(rule$by))
}
