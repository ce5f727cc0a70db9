#include "consensr.h"

/* Shared checks of (k_target, k_opp, n, n_group): returns n_item. */
R_xlen_t check_counts(SEXP k_target, SEXP k_opp, SEXP n, int G) {
  check_int_vector(k_target, "k_target");
  check_int_vector(n, "n");
  R_xlen_t len = XLENGTH(n);
  if (XLENGTH(k_target) != len) Rf_error("`k_target` and `n` must have the same length");
  if (k_opp != R_NilValue) {
    check_int_vector(k_opp, "k_opp");
    if (XLENGTH(k_opp) != len) Rf_error("`k_opp` and `n` must have the same length");
  }
  if (len % G != 0) Rf_error("the length of `n` must be a multiple of `n_group`");
  check_at_most(G, len > 0 ? (double)len : 1.0, "n_group", "the length of `n`");
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

kern_frac opposite_fraction(SEXP k_opp, SEXP opposite_threshold) {
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
  SEXP out = named_pair("item", item, "group", grp);
  UNPROTECT(2);
  return out;
}
