# Formatting numbers and shares for results, prints and messages.

safe_prop <- function(k, n) ifelse(n > 0L, k / n, NA_real_)

format_pct <- function(p) {
  pct <- function(p, digits) paste0(trimws(formatC(100 * p, format = "fg", digits = digits)), "%")
  out <- pct(p, 4L)
  # a threshold just below 100% (or just above 0%) is never shown as 100% (0%)
  edge <- which(!is.na(p) & ((p < 1 & out == "100%") | (p > 0 & out == "0%")))
  for (i in edge) {
    digits <- 5L
    while (digits < 15L && pct(p[i], digits) %in% c("100%", "0%")) digits <- digits + 1L
    out[i] <- pct(p[i], digits)
  }
  out
}
