# Pure-R oracles for the C routines, written independently of the package
# code: table() for tallies, brute force for fractions, and percent-integer
# or cross-multiplied comparisons for the rules.

ffi <- function(name) getNativeSymbolInfo(name, "consensr")

# counts [level, group, item] via table()
ref_tally <- function(codes, group = NULL, K, G = 1L) {
  m <- ncol(codes)
  if (is.null(group)) group <- rep(1L, nrow(codes))
  out <- array(0L, c(K, G, m))
  for (j in seq_len(m)) {
    tab <- table(factor(codes[, j], levels = seq_len(K)),
                 factor(group, levels = seq_len(G)))
    out[, , j] <- as.integer(tab)
  }
  out
}

# smallest q with |x - p/q| <= tol, by brute force
ref_fraction <- function(x, tol = 1e-9, max_q = 20000) {
  q <- seq_len(max_q)
  p <- round(x * q)
  hit <- which(p > 0 & abs(x - p / q) <= tol)
  if (length(hit) == 0L) return(c(NA, NA))
  c(p[hit[1L]], q[hit[1L]])
}

# Is k/n >= num/den?  Cross-multiplied in doubles (exact below 2^53).
ref_reaches <- function(k, n, num, den, strict = FALSE) {
  if (strict) k * den > num * n else k * den >= num * n
}

# Status of one item within one group: "in", "out", "none" or NA.
ref_status <- function(kt, ko, n, t, o, strict = FALSE) {
  if (n == 0) return(NA_character_)
  if (is.null(ko)) return(if (ref_reaches(kt, n, t[1], t[2], strict)) "in" else "none")
  if (ref_reaches(kt, n, t[1], t[2], strict) && !ref_reaches(ko, n, o[1], o[2])) return("in")
  if (ref_reaches(ko, n, t[1], t[2], strict) && !ref_reaches(kt, n, o[1], o[2])) return("out")
  "none"
}

# Item-level `reached` across groups: TRUE only if every group is in
# (R's all() with NA for unrated groups).
ref_reached <- function(statuses) {
  all(ifelse(is.na(statuses), NA, statuses == "in"))
}

# Random long ratings with NAs, groups and unused levels.
random_long <- function(n_resp, n_item, K, p_na = 0.2, G = 2L) {
  grid <- expand.grid(item = paste0("i", seq_len(n_item)),
                      respondent = paste0("r", seq_len(n_resp)),
                      stringsAsFactors = FALSE)
  grid <- grid[, c("respondent", "item")]
  codes <- sample.int(K, nrow(grid), replace = TRUE)
  codes[stats::runif(nrow(grid)) < p_na] <- NA
  grid$rating <- factor(codes, levels = seq_len(K), labels = paste0("L", seq_len(K)))
  grp <- sample(paste0("g", seq_len(G)), n_resp, replace = TRUE)
  grid$group <- grp[match(grid$respondent, paste0("r", seq_len(n_resp)))]
  grid
}
