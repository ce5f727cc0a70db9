#include "consensr.h"

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
