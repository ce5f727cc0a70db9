#include "consensr.h"

/* Wrappers check their own arguments: these are internal errors (the R
 * functions validate user input first), but a direct .Call with wrong
 * arguments must still fail cleanly. */

int check_scalar_int(SEXP x, const char *what, int min) {
  if (TYPEOF(x) != INTSXP || XLENGTH(x) != 1 || INTEGER(x)[0] == NA_INTEGER ||
      INTEGER(x)[0] < min) {
    Rf_error("`%s` must be a single integer >= %d", what, min);
  }
  return INTEGER(x)[0];
}

int check_flag(SEXP x, const char *what) {
  if (TYPEOF(x) != LGLSXP || XLENGTH(x) != 1 || LOGICAL(x)[0] == NA_LOGICAL) {
    Rf_error("`%s` must be TRUE or FALSE", what);
  }
  return LOGICAL(x)[0];
}

void check_int_vector(SEXP x, const char *what) {
  if (TYPEOF(x) != INTSXP) Rf_error("`%s` must be an integer vector", what);
}

/* A threshold as given to the C layer: c(numerator, denominator), doubles
 * holding whole numbers with 0 < num <= den < 2^31. */
kern_frac check_fraction(SEXP x, const char *what) {
  if (TYPEOF(x) != REALSXP || XLENGTH(x) != 2) {
    Rf_error("`%s` must be a numeric vector c(numerator, denominator)", what);
  }
  const double *v = REAL(x);
  if (!(v[0] >= 1 && v[1] >= v[0] && v[1] < 2147483648.0) ||
      v[0] != floor(v[0]) || v[1] != floor(v[1])) {
    Rf_error("`%s` must hold whole numbers with 0 < numerator <= denominator < 2^31",
             what);
  }
  kern_frac f = {(int64_t)v[0], (int64_t)v[1]};
  return f;
}

/* list(n1 = v1, n2 = v2); v1 and v2 must be protected by the caller. */
SEXP named_pair(const char *n1, SEXP v1, const char *n2, SEXP v2) {
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, v1);
  SET_VECTOR_ELT(out, 1, v2);
  SEXP nms = PROTECT(Rf_allocVector(STRSXP, 2));
  SET_STRING_ELT(nms, 0, Rf_mkChar(n1));
  SET_STRING_ELT(nms, 1, Rf_mkChar(n2));
  Rf_setAttrib(out, R_NamesSymbol, nms);
  UNPROTECT(2);
  return out;
}

/* Sizes the data cannot need are refused before anything is allocated:
 * `what` (value x) must not exceed `limit`, which `why` names. */
void check_at_most(double x, double limit, const char *what, const char *why) {
  if (x > limit) {
    Rf_error("`%s` is %.0f, more than %s (%.0f): no data need that many",
             what, x, why, limit);
  }
}

/* Bootstrap replicates: at most CONSENSR_MAX_REPLICATES (the R functions
 * pass them in chunks; the n_item x B result is allocated from B). */
void check_replicates(int B, const char *what) {
  check_at_most(B, CONSENSR_MAX_REPLICATES, what, "the largest number of replicates");
}
