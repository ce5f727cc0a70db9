#include "consensr.h"

/* Columns tallied between two checks for an interrupt: about 2^20 cells. */
static R_xlen_t block_columns(R_xlen_t n_resp) {
  R_xlen_t b = ((R_xlen_t)1 << 20) / (n_resp > 0 ? n_resp : 1);
  return b > 0 ? b : 1;
}

/* codes: integer matrix (respondents x items) of codes 1..n_level or NA;
 * group: NULL or integer codes 1..n_group, one per respondent.
 * Returns an integer array [level, group, item]. */
SEXP ffi_tally(SEXP codes, SEXP group, SEXP n_group, SEXP n_level) {
  if (TYPEOF(codes) != INTSXP || !Rf_isMatrix(codes)) {
    Rf_error("`codes` must be an integer matrix");
  }
  int K = check_scalar_int(n_level, "n_level", 1);
  int G = check_scalar_int(n_group, "n_group", 1);
  R_xlen_t n_resp = Rf_nrows(codes), n_item = Rf_ncols(codes);
  const int *grp = NULL;
  if (group != R_NilValue) {
    if (TYPEOF(group) != INTSXP || XLENGTH(group) != n_resp) {
      Rf_error("`group` must be NULL or an integer vector with one code per row of `codes`");
    }
    grp = INTEGER_RO(group);
  } else if (G != 1) {
    Rf_error("`n_group` must be 1 when `group` is NULL");
  }
  /* every group holds a respondent */
  check_at_most(G, n_resp > 0 ? (double)n_resp : 1.0, "n_group",
                "the number of respondents (rows of `codes`)");
  if ((double)K * G * n_item > R_XLEN_T_MAX) Rf_error("tally too large");

  SEXP out = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)K * G * n_item));
  int *o = INTEGER(out);
  const int *x = INTEGER_RO(codes);
  R_xlen_t step = block_columns(n_resp);
  for (R_xlen_t j0 = 0; j0 < n_item; j0 += step) {
    R_xlen_t nj = n_item - j0 < step ? n_item - j0 : step;
    int64_t bad = kern_tally(x + j0 * n_resp, n_resp, nj, grp, G, K,
                             o + j0 * (R_xlen_t)K * G);
    if (bad > 0) {
      R_xlen_t at = j0 * n_resp + (R_xlen_t)(bad - 1);
      Rf_error("`codes` holds %d at row %lld, column %lld: codes must be 1..%d or NA",
               x[at], (long long)(at % n_resp + 1), (long long)(at / n_resp + 1), K);
    }
    if (bad < 0) {
      Rf_error("`group` holds an invalid code at position %lld: codes must be 1..%d",
               (long long)(-bad), G);
    }
    R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
