# Gwet's analytic standard error of Krippendorff's alpha, beside the
# bootstrap of agreement(): the linearised variance irrCAC's
# krippen.alpha.raw() reports (Gwet 2014), computed in C (src/alpha_variance.c)
# with the weights that make Gwet's formulation equal to Krippendorff's alpha
# for each metric: identity (nominal), 1 - (v_c - v_k)^2 / (max v - min v)^2
# (interval, irrCAC's "quadratic"), and 1 - d_ck / max d for Krippendorff's
# ordinal metric d_ck (from the pairable marginal totals; irrCAC's own
# "ordinal" weights are a different metric, see ?agreement).

# counts: [K, 1, m] or K x m; returns the standard error (NA when undefined).
alpha_se <- function(counts, K, metric, values, listwise, raters) {
  counts <- matrix(as.integer(counts), K)
  if (listwise) counts <- counts[, colSums(counts) == raters, drop = FALSE]
  w <- alpha_weights(counts, metric, values)
  if (anyNA(w)) return(NA_real_)
  res <- .Call(ffi_alpha_se, counts, w)
  se <- res[1L]
  if (is.nan(se) || is.infinite(se)) NA_real_ else se
}

alpha_weights <- function(counts, metric, values) {
  K <- nrow(counts)
  switch(metric,
    nominal = diag(K),
    interval = {
      span <- max(values) - min(values)
      1 - outer(values, values, "-")^2 / span^2
    },
    ordinal = {
      pairable <- colSums(counts) >= 2L
      ng <- rowSums(counts[, pairable, drop = FALSE])
      d <- matrix(0, K, K)
      for (c in seq_len(K)) for (k in seq_len(K)) {
        if (c == k) next
        lo <- min(c, k)
        hi <- max(c, k)
        between <- if (hi - lo > 1L) sum(ng[(lo + 1L):(hi - 1L)]) else 0
        d[c, k] <- (ng[lo] / 2 + between + ng[hi] / 2)^2
      }
      if (max(d) == 0) return(matrix(NA_real_, K, K))
      1 - d / max(d)
    })
}
