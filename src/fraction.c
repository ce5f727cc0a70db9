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

/* x: the doubles given; fr: their 2 x n fractions from ffi_fraction.
 * Returns a 3 x n double matrix: (changes 0/1, neighbour num, den), the
 * neighbour being the k/n (n < 2^31) between x and its fraction, NA if none. */
SEXP ffi_fraction_snaps(SEXP x, SEXP fr) {
  if (TYPEOF(x) != REALSXP) Rf_error("`x` must be a double vector");
  if (TYPEOF(fr) != REALSXP || XLENGTH(fr) != 2 * XLENGTH(x)) {
    Rf_error("`fr` must be a double 2 x length(x) matrix");
  }
  R_xlen_t n = XLENGTH(x);
  if (n > INT_MAX / 3) Rf_error("`x` is too long");
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, 3, (int)n));
  double *o = REAL(out);
  const double *v = REAL_RO(x), *f = REAL_RO(fr);
  for (R_xlen_t i = 0; i < n; i++) {
    o[3 * i] = 0;
    o[3 * i + 1] = NA_REAL;
    o[3 * i + 2] = NA_REAL;
    double p = f[2 * i], q = f[2 * i + 1];
    if (!(p >= 1 && q >= p && q <= INT_MAX && p == floor(p) && q == floor(q))) continue;
    kern_frac fx = {(int64_t)p, (int64_t)q}, nb = {0, 0};
    if (kern_snap_changes(v[i], fx, INT_MAX, &nb)) {
      o[3 * i] = 1;
      o[3 * i + 1] = (double)nb.num;
      o[3 * i + 2] = (double)nb.den;
    }
  }
  UNPROTECT(1);
  return out;
}
