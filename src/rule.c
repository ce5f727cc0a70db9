#include "consensr.h"

/* x: proportions in (0, 1]; tol: scalar >= 0.  Returns a 2 x length(x)
 * double matrix of (numerator, denominator), NA where no fraction exists. */
SEXP ffi_fraction(SEXP x, SEXP tol) {
  if (TYPEOF(x) != REALSXP) Rf_error("`x` must be a double vector");
  if (TYPEOF(tol) != REALSXP || XLENGTH(tol) != 1 || !(REAL(tol)[0] >= 0) ||
      !(REAL(tol)[0] < 0.5)) {
    Rf_error("`tol` must be a single number in [0, 0.5)");
  }
  R_xlen_t n = XLENGTH(x);
  if (n > INT_MAX) Rf_error("`x` is too long");
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, 2, (int)n));
  double *o = REAL(out);
  const double *v = REAL_RO(x);
  double t = REAL(tol)[0];
  for (R_xlen_t i = 0; i < n; i++) {
    kern_frac f;
    if (kern_fraction(v[i], t, &f) == 0) {
      o[2 * i] = (double)f.num;
      o[2 * i + 1] = (double)f.den;
    } else {
      o[2 * i] = NA_REAL;
      o[2 * i + 1] = NA_REAL;
    }
  }
  UNPROTECT(1);
  return out;
}

/* Shared checks of (k_target, k_opp, n, n_group): returns n_item. */
static R_xlen_t check_counts(SEXP k_target, SEXP k_opp, SEXP n, int G) {
  check_int_vector(k_target, "k_target");
  check_int_vector(n, "n");
  R_xlen_t len = XLENGTH(n);
  if (XLENGTH(k_target) != len) Rf_error("`k_target` and `n` must have the same length");
  if (k_opp != R_NilValue) {
    check_int_vector(k_opp, "k_opp");
    if (XLENGTH(k_opp) != len) Rf_error("`k_opp` and `n` must have the same length");
  }
  if (len % G != 0) Rf_error("the length of `n` must be a multiple of `n_group`");
  const int *kt = INTEGER_RO(k_target), *nn = INTEGER_RO(n);
  const int *ko = k_opp == R_NilValue ? NULL : INTEGER_RO(k_opp);
  for (R_xlen_t i = 0; i < len; i++) {
    if (nn[i] == NA_INTEGER || nn[i] < 0 || kt[i] == NA_INTEGER || kt[i] < 0 ||
        kt[i] > nn[i] ||
        (ko != NULL && (ko[i] == NA_INTEGER || ko[i] < 0 || ko[i] > nn[i] - kt[i]))) {
      Rf_error("counts at position %lld must satisfy 0 <= k_target + k_opp <= n",
               (long long)(i + 1));
    }
  }
  return len / G;
}

static kern_frac opposite_fraction(SEXP k_opp, SEXP opposite_threshold) {
  kern_frac o = {0, 1};
  if (k_opp != R_NilValue) {
    o = check_fraction(opposite_threshold, "opposite_threshold");
  } else if (opposite_threshold != R_NilValue) {
    Rf_error("`opposite_threshold` must be NULL when `k_opp` is NULL");
  }
  return o;
}

SEXP ffi_rule(SEXP k_target, SEXP k_opp, SEXP n, SEXP n_group, SEXP threshold,
              SEXP opposite_threshold, SEXP strict) {
  int G = check_scalar_int(n_group, "n_group", 1);
  R_xlen_t n_item = check_counts(k_target, k_opp, n, G);
  kern_frac t = check_fraction(threshold, "threshold");
  kern_frac o = opposite_fraction(k_opp, opposite_threshold);
  int s = check_flag(strict, "strict");

  SEXP item = PROTECT(Rf_allocVector(INTSXP, n_item));
  SEXP grp = PROTECT(Rf_allocVector(INTSXP, n_item * G));
  kern_rule(INTEGER_RO(k_target), k_opp == R_NilValue ? NULL : INTEGER_RO(k_opp),
            INTEGER_RO(n), n_item, G, t, o, s, INTEGER(grp), INTEGER(item));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, item);
  SET_VECTOR_ELT(out, 1, grp);
  SEXP nms = PROTECT(Rf_allocVector(STRSXP, 2));
  SET_STRING_ELT(nms, 0, Rf_mkChar("item"));
  SET_STRING_ELT(nms, 1, Rf_mkChar("group"));
  Rf_setAttrib(out, R_NamesSymbol, nms);
  UNPROTECT(4);
  return out;
}

/* thresholds: double vector c(num1, den1, num2, den2, ...).
 * Returns an integer matrix of item statuses, items x thresholds. */
SEXP ffi_sweep(SEXP k_target, SEXP k_opp, SEXP n, SEXP n_group, SEXP thresholds,
               SEXP opposite_threshold, SEXP strict) {
  int G = check_scalar_int(n_group, "n_group", 1);
  R_xlen_t n_item = check_counts(k_target, k_opp, n, G);
  kern_frac o = opposite_fraction(k_opp, opposite_threshold);
  int s = check_flag(strict, "strict");
  if (TYPEOF(thresholds) != REALSXP || XLENGTH(thresholds) % 2 != 0) {
    Rf_error("`thresholds` must be a double vector of (numerator, denominator) pairs");
  }
  R_xlen_t n_t = XLENGTH(thresholds) / 2;
  if (n_item > INT_MAX || n_t > INT_MAX) Rf_error("sweep too large");

  SEXP fr = PROTECT(Rf_allocVector(RAWSXP, n_t * (R_xlen_t)sizeof(kern_frac)));
  kern_frac *t = (kern_frac *)RAW(fr);
  SEXP pair = PROTECT(Rf_allocVector(REALSXP, 2));
  for (R_xlen_t i = 0; i < n_t; i++) {
    REAL(pair)[0] = REAL_RO(thresholds)[2 * i];
    REAL(pair)[1] = REAL_RO(thresholds)[2 * i + 1];
    t[i] = check_fraction(pair, "thresholds");
  }
  SEXP scratch = PROTECT(Rf_allocVector(INTSXP, n_item * G));
  SEXP out = PROTECT(Rf_allocMatrix(INTSXP, (int)n_item, (int)n_t));
  const int *kt = INTEGER_RO(k_target), *nn = INTEGER_RO(n);
  const int *ko = k_opp == R_NilValue ? NULL : INTEGER_RO(k_opp);
  for (R_xlen_t i = 0; i < n_t; i++) {
    kern_sweep(kt, ko, nn, n_item, G, t + i, 1, o, s, INTEGER(scratch),
               INTEGER(out) + i * n_item);
    if (i % 64 == 63) R_CheckUserInterrupt();
  }
  UNPROTECT(4);
  return out;
}
