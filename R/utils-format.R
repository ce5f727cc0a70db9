# Formatting numbers and shares for results, prints and messages.

safe_prop <- function(k, n) ifelse(n > 0L, k / n, NA_real_)

format_pct <- function(p) paste0(trimws(formatC(100 * p, format = "fg", digits = 4)), "%")
