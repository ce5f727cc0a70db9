#include "consensr.h"
#include "kern_validity.h"

/* .Call wrappers of the content-validity kernels (kern_validity.c). */

/* The exact kernels take scratch of order n bits (binomial, kappa) and time
 * of order n^2 (kappa, binomial) or n^2 k (Aiken): panel sizes are bounded
 * before anything is allocated.  Content-validity panels are tens of
 * experts; these bounds are far above any. */
#define VALIDITY_MAX_N 100000
#define AIKEN_MAX_NK 1000000

static void check_panel_sizes(SEXP n, const char *what, int max) {
  check_int_vector(n, what);
  const int *v = INTEGER_RO(n);
  for (R_xlen_t i = 0; i < XLENGTH(n); i++) {
    if (v[i] != NA_INTEGER && v[i] < 0) Rf_error("`%s` must hold counts >= 0 or NA", what);
    if (max > 0 && v[i] != NA_INTEGER && v[i] > max) {
      Rf_error("`%s` holds %d at position %lld: the exact computation handles panels of at most %d",
               what, v[i], (long long)(i + 1), max);
    }
  }
}

static uint32_t *big_scratch(int n) {
  int64_t L = kern_big_limbs(n);
  return (uint32_t *)R_alloc((size_t)(4 * L), sizeof(uint32_t));
}

/* n: panel sizes (integer, NA allowed); alpha: c(num, den).  Returns, per
 * panel size, the smallest count k with P(X >= k) <= alpha for
 * X ~ Binomial(n, 1/2), computed exactly; NA when no count is small enough
 * in probability (or n is NA). */
SEXP ffi_binom_critical(SEXP n, SEXP alpha) {
  check_panel_sizes(n, "n", VALIDITY_MAX_N);
  kern_frac a = check_fraction(alpha, "alpha");
  R_xlen_t len = XLENGTH(n);
  SEXP out = PROTECT(Rf_allocVector(INTSXP, len));
  int *o = INTEGER(out);
  const int *nn = INTEGER_RO(n);
  for (R_xlen_t i = 0; i < len; i++) {
    if (nn[i] == NA_INTEGER) {
      o[i] = NA_INTEGER;
      continue;
    }
    if (i > 0 && nn[i] == nn[i - 1]) {
      o[i] = o[i - 1];
      continue;
    }
    const void *vmax = vmaxget();
    int64_t k = kern_binom_critical(nn[i], a.num, a.den, big_scratch(nn[i]));
    vmaxset(vmax);
    o[i] = k < 0 ? NA_INTEGER : (int)k;
    R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}

/* n, a: panel sizes and agreeing counts (integer, same length); cut:
 * c(p, q).  Returns the sign of k* - p/q per item (exact), NA when n is NA
 * or 0. */
SEXP ffi_kappa_cmp(SEXP n, SEXP a, SEXP cut) {
  check_panel_sizes(n, "n", VALIDITY_MAX_N);
  check_panel_sizes(a, "a", 0);
  if (XLENGTH(a) != XLENGTH(n)) Rf_error("`n` and `a` must have the same length");
  kern_frac c = check_fraction(cut, "cut");
  R_xlen_t len = XLENGTH(n);
  SEXP out = PROTECT(Rf_allocVector(INTSXP, len));
  int *o = INTEGER(out);
  const int *nn = INTEGER_RO(n), *aa = INTEGER_RO(a);
  for (R_xlen_t i = 0; i < len; i++) {
    if (nn[i] == NA_INTEGER || aa[i] == NA_INTEGER || nn[i] == 0) {
      o[i] = NA_INTEGER;
      continue;
    }
    if (aa[i] > nn[i]) Rf_error("`a` must not exceed `n` (position %lld)", (long long)(i + 1));
    const void *vmax = vmaxget();
    o[i] = kern_kappa_cmp(nn[i], aa[i], c.num, c.den, big_scratch(nn[i]));
    vmaxset(vmax);
    R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}

/* n: raters per item, s: Aiken's S per item (integers, same length), k: the
 * number of levels minus 1.  Returns P(S' >= s) when each of the n ratings
 * is uniform on 0..k (Aiken 1985); NA when n is NA or 0. */
SEXP ffi_aiken_tail(SEXP n, SEXP s, SEXP k) {
  check_panel_sizes(n, "n", VALIDITY_MAX_N);
  check_panel_sizes(s, "s", 0);
  if (XLENGTH(s) != XLENGTH(n)) Rf_error("`n` and `s` must have the same length");
  int kk = check_scalar_int(k, "k", 1);
  /* the null distribution has n k + 1 points, built in n steps */
  check_at_most(kk, AIKEN_MAX_NK, "k", "the largest n * k handled");
  {
    const int *nv = INTEGER_RO(n);
    for (R_xlen_t i = 0; i < XLENGTH(n); i++) {
      if (nv[i] != NA_INTEGER && (double)nv[i] * kk > AIKEN_MAX_NK) {
        Rf_error("`n` holds %d at position %lld: with `k` = %d the exact tail handles n * k <= %d",
                 nv[i], (long long)(i + 1), kk, AIKEN_MAX_NK);
      }
    }
  }
  R_xlen_t len = XLENGTH(n);
  SEXP out = PROTECT(Rf_allocVector(REALSXP, len));
  double *o = REAL(out);
  const int *nn = INTEGER_RO(n), *ss = INTEGER_RO(s);
  int last = -1;
  double *dist = NULL;
  for (R_xlen_t i = 0; i < len; i++) {
    if (nn[i] == NA_INTEGER || ss[i] == NA_INTEGER || nn[i] == 0) {
      o[i] = NA_REAL;
      continue;
    }
    int64_t top = (int64_t)nn[i] * kk;
    if (ss[i] > top) Rf_error("`s` must not exceed n * k (position %lld)", (long long)(i + 1));
    if (top > R_XLEN_T_MAX / 2) Rf_error("panel too large");
    if (nn[i] != last) {
      dist = (double *)R_alloc((size_t)(top + 1), sizeof(double));
      double *tmp = (double *)R_alloc((size_t)(top + 1), sizeof(double));
      dist[0] = 1.0;
      for (int64_t r = 1; r <= nn[i]; r++) {
        kern_aiken_step(r, kk, dist, tmp);
        R_CheckUserInterrupt();
      }
      last = nn[i];
      R_CheckUserInterrupt();
    }
    /* sum the tail from its far end: small terms first */
    double p = 0.0;
    for (int64_t t = top; t >= ss[i]; t--) p += dist[t];
    o[i] = p > 1.0 ? 1.0 : p;
  }
  UNPROTECT(1);
  return out;
}
