#include "consensr.h"

/* Gwet's (2014, ch. 2-3) linearised variance of Krippendorff's alpha, as
 * irrCAC::krippen.alpha.raw() computes it (no finite-population correction).
 * Only the items with r_i >= 2 ratings count.  Two passes over the items:
 * the marginals, then the per-item terms.
 *   counts: K x m integer matrix of ratings per level and item;
 *   w: K x K weights (identity for nominal; 1 - d / max d otherwise).
 * Returns c(se, alpha, alpha_prime, n): se is NA for fewer than two items. */

static double kern_alpha_var(const int *counts, int K, R_xlen_t m, const double *w,
                             double *pi, double *piw, double *out4) {
  R_xlen_t n = 0;
  double rsum = 0.0;
  for (R_xlen_t i = 0; i < m; i++) {
    int64_t r = 0;
    for (int k = 0; k < K; k++) r += counts[i * K + k];
    if (r >= 2) {
      n++;
      rsum += (double)r;
    }
  }
  out4[3] = (double)n;
  if (n == 0) return NA_REAL;
  double rbar = rsum / n, eps = 1.0 / rsum;
  for (int k = 0; k < K; k++) pi[k] = 0.0;
  double paprime = 0.0;
  for (R_xlen_t i = 0; i < m; i++) {
    const int *c = counts + i * K;
    int64_t r = 0;
    for (int k = 0; k < K; k++) r += c[k];
    if (r < 2) continue;
    double sq = 0.0;
    for (int k = 0; k < K; k++) {
      if (c[k] == 0) continue;
      double cw = 0.0;
      for (int l = 0; l < K; l++) cw += w[k + (R_xlen_t)l * K] * c[l];
      sq += c[k] * (cw - 1.0);
    }
    paprime += sq / (rbar * (r - 1));
    for (int k = 0; k < K; k++) pi[k] += c[k] / rbar;
  }
  paprime /= n;
  for (int k = 0; k < K; k++) pi[k] /= n;
  double pa = (1 - eps) * paprime + eps, pe = 0.0;
  for (int k = 0; k < K; k++) {
    for (int l = 0; l < K; l++) pe += w[k + (R_xlen_t)l * K] * pi[k] * pi[l];
  }
  double alpha = (pa - pe) / (1 - pe), alpha1 = (paprime - pe) / (1 - pe);
  out4[1] = alpha;
  out4[2] = alpha1;
  if (n < 2) return NA_REAL;
  for (int k = 0; k < K; k++) {
    double a = 0.0, b = 0.0;
    for (int l = 0; l < K; l++) {
      a += w[k + (R_xlen_t)l * K] * pi[l];  /* (W pi)_k */
      b += w[l + (R_xlen_t)k * K] * pi[l];  /* (W' pi)_k */
    }
    piw[k] = (a + b) / 2;
  }
  double ss = 0.0;
  for (R_xlen_t i = 0; i < m; i++) {
    const int *c = counts + i * K;
    int64_t r = 0;
    for (int k = 0; k < K; k++) r += c[k];
    if (r < 2) continue;
    double sq = 0.0, pei = 0.0;
    for (int k = 0; k < K; k++) {
      if (c[k] == 0) continue;
      double cw = 0.0;
      for (int l = 0; l < K; l++) cw += w[k + (R_xlen_t)l * K] * c[l];
      sq += c[k] * (cw - 1.0);
      pei += c[k] * piw[k];
    }
    double pai = sq / (rbar * (r - 1)) - paprime * (r - rbar) / rbar;
    double ki = (pai - pe) / (1 - pe);
    pei = pei / rbar - pe * (r - rbar) / rbar;
    double kx = ki - 2 * (1 - alpha1) * (pei - pe) / (1 - pe);
    ss += (kx - alpha1) * (kx - alpha1);
    if ((i & 0xffff) == 0) R_CheckUserInterrupt();
  }
  return sqrt(ss / ((double)n * (n - 1)));
}

SEXP ffi_alpha_se(SEXP counts, SEXP weights) {
  if (TYPEOF(counts) != INTSXP || !Rf_isMatrix(counts)) {
    Rf_error("`counts` must be an integer matrix");
  }
  int K = Rf_nrows(counts);
  R_xlen_t m = Rf_ncols(counts);
  if (TYPEOF(weights) != REALSXP || !Rf_isMatrix(weights) || Rf_nrows(weights) != K ||
      Rf_ncols(weights) != K) {
    Rf_error("`weights` must be a K x K double matrix");
  }
  const int *x = INTEGER_RO(counts);
  for (R_xlen_t i = 0; i < (R_xlen_t)K * m; i++) {
    if (x[i] == NA_INTEGER || x[i] < 0) Rf_error("`counts` must hold counts >= 0");
  }
  SEXP out = PROTECT(Rf_allocVector(REALSXP, 4));
  double *o = REAL(out);
  o[0] = o[1] = o[2] = NA_REAL;
  double *pi = (double *)R_alloc((size_t)(K > 0 ? K : 1), sizeof(double));
  double *piw = (double *)R_alloc((size_t)(K > 0 ? K : 1), sizeof(double));
  o[0] = kern_alpha_var(x, K, m, REAL_RO(weights), pi, piw, o);
  UNPROTECT(1);
  return out;
}
