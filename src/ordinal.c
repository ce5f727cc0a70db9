#include "consensr.h"
#include "kern_ordinal.h"

/* counts: K x J integer matrix (levels x items).  Returns a J x 3 double
 * matrix: Tastle & Wierman's Cns, Leik's D, van der Eijk's A; NA for an
 * unrated column, and for D (K < 2) and A (K < 3) where undefined. */
SEXP ffi_ordinal_consensus(SEXP counts) {
  if (TYPEOF(counts) != INTSXP || !Rf_isMatrix(counts)) {
    Rf_error("`counts` must be an integer matrix");
  }
  int K = Rf_nrows(counts);
  R_xlen_t J = Rf_ncols(counts);
  if (K < 1) Rf_error("`counts` must have at least one row");
  const int *x = INTEGER_RO(counts);
  for (R_xlen_t i = 0; i < (R_xlen_t)K * J; i++) {
    if (x[i] == NA_INTEGER || x[i] < 0) Rf_error("`counts` must hold counts >= 0");
  }
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int)J, 3));
  double *o = REAL(out);
  int64_t *scratch = (int64_t *)R_alloc((size_t)K, sizeof(int64_t));
  for (R_xlen_t j = 0; j < J; j++) {
    const int *v = x + j * K;
    int64_t n = 0;
    for (int i = 0; i < K; i++) n += v[i];
    if (n == 0) {
      o[j] = o[j + J] = o[j + 2 * J] = NA_REAL;
      continue;
    }
    o[j] = K >= 2 ? kern_tastle(v, K) : NA_REAL;
    o[j + J] = K >= 2 ? kern_leik(v, K) : NA_REAL;
    o[j + 2 * J] = K >= 3 ? kern_eijk(v, K, scratch) : NA_REAL;
    if ((j & 0xffff) == 0) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
