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
