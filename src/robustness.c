#include <string.h>
#include "consensr.h"
#include "kern_robustness.h"

/* Argument checks shared by ffi_jackknife and ffi_bootstrap.  `cls` is a raw
 * vector of rating classes (0 not rated, 1 other, 2 target, 3 opposite),
 * `group` NULL or integer codes 1..G.  Returns n_item. */
static R_xlen_t check_panel(SEXP cls, SEXP n_resp, SEXP group, int G,
                            int *n) {
  *n = check_scalar_int(n_resp, "n_resp", 1);
  /* sizes first, before anything is read or allocated: a group holds at
   * least one respondent, so no panel needs more groups than respondents */
  check_at_most(G, *n, "n_group", "the number of respondents `n_resp`");
  if (TYPEOF(cls) != RAWSXP) Rf_error("`cls` must be a raw vector");
  R_xlen_t len = XLENGTH(cls);
  if (len % *n != 0) Rf_error("the length of `cls` must be a multiple of `n_resp`");
  int64_t bad = kern_check_classes(RAW_RO(cls), len);
  if (bad > 0) {
    Rf_error("`cls` holds %d at position %lld: classes must be 0..3",
             (int)RAW_RO(cls)[bad - 1], (long long)bad);
  }
  if (group == R_NilValue) {
    if (G != 1) Rf_error("`n_group` must be 1 when `group` is NULL");
  } else {
    if (TYPEOF(group) != INTSXP || XLENGTH(group) != *n) {
      Rf_error("`group` must be NULL or an integer vector of length `n_resp`");
    }
    const int *gr = INTEGER_RO(group);
    for (R_xlen_t i = 0; i < *n; i++) {
      if (gr[i] == NA_INTEGER || gr[i] < 1 || gr[i] > G) {
        Rf_error("`group` holds an invalid code at position %lld: codes must be 1..%d",
                 (long long)(i + 1), G);
      }
    }
  }
  R_xlen_t n_item = len / *n;
  if ((double)n_item * G > R_XLEN_T_MAX / 8) Rf_error("panel too large");
  return n_item;
}

/* One-sided rules pass opposite_threshold = NULL. */
static int rule_sides(SEXP opposite_threshold, kern_frac *o) {
  o->num = 0;
  o->den = 1;
  if (opposite_threshold == R_NilValue) return 0;
  *o = check_fraction(opposite_threshold, "opposite_threshold");
  return 1;
}

/* Leave-one-respondent-out item statuses.
 * cls: raw, n_resp x n_item column-major.  Returns an integer matrix
 * n_resp x n_item of status codes (see kernels.h). */
SEXP ffi_jackknife(SEXP cls, SEXP n_resp, SEXP group, SEXP n_group,
                   SEXP threshold, SEXP opposite_threshold, SEXP strict) {
  int G = check_scalar_int(n_group, "n_group", 1);
  int n = 0;
  R_xlen_t n_item = check_panel(cls, n_resp, group, G, &n);
  kern_frac t = check_fraction(threshold, "threshold");
  kern_frac o;
  int two_sided = rule_sides(opposite_threshold, &o);
  int s = check_flag(strict, "strict");
  if (n_item > INT_MAX) Rf_error("too many items");

  const int *gr = group == R_NilValue ? NULL : INTEGER_RO(group);
  R_xlen_t cells = n_item * G;
  SEXP kt = PROTECT(Rf_allocVector(INTSXP, cells));
  SEXP ko = PROTECT(Rf_allocVector(INTSXP, cells));
  SEXP nn = PROTECT(Rf_allocVector(INTSXP, cells));
  SEXP gs = PROTECT(Rf_allocVector(INTSXP, cells));
  SEXP is = PROTECT(Rf_allocVector(INTSXP, n_item));
  SEXP scratch = PROTECT(Rf_allocVector(INTSXP, G));
  SEXP out = PROTECT(Rf_allocMatrix(INTSXP, n, (int)n_item));
  const uint8_t *x = RAW_RO(cls);
  kern_class_tally(x, n, n_item, gr, G, INTEGER(kt), INTEGER(ko), INTEGER(nn));
  kern_rule(INTEGER_RO(kt), two_sided ? INTEGER_RO(ko) : NULL, INTEGER_RO(nn),
            n_item, G, t, o, s, INTEGER(gs), INTEGER(is));
  /* blocks of items of about 2^20 cells between interrupt checks */
  R_xlen_t step = ((R_xlen_t)1 << 20) / n;
  if (step < 1) step = 1;
  for (R_xlen_t j0 = 0; j0 < n_item; j0 += step) {
    R_xlen_t nj = n_item - j0 < step ? n_item - j0 : step;
    kern_jackknife(x + j0 * n, n, nj, gr, G, INTEGER_RO(kt) + j0 * G,
                   INTEGER_RO(ko) + j0 * G, INTEGER_RO(nn) + j0 * G,
                   INTEGER_RO(gs) + j0 * G, INTEGER_RO(is) + j0, two_sided, t,
                   o, s, INTEGER(scratch), INTEGER(out) + j0 * n);
    R_CheckUserInterrupt();
  }
  UNPROTECT(7);
  return out;
}

/* n_rep bootstrap replicates of the respondents, within groups.
 * cls: raw, respondent-major (n_item x n_resp column-major, i.e. row i of
 * the ratings is contiguous).  Respondents are drawn with R_unif_index: per
 * replicate, for each group in turn, n_g draws among the group's members in
 * their order of appearance, exactly as
 *   members[sample.int(n_g, n_g, replace = TRUE)].
 * Returns list(prop = n_item x n_rep double matrix of pooled target shares,
 * status = n_item x 5 integer matrix counting the item statuses). */
SEXP ffi_bootstrap(SEXP cls, SEXP n_resp, SEXP group, SEXP n_group,
                   SEXP n_rep, SEXP threshold, SEXP opposite_threshold,
                   SEXP strict) {
  int G = check_scalar_int(n_group, "n_group", 1);
  int n = 0;
  R_xlen_t n_item = check_panel(cls, n_resp, group, G, &n);
  int B = check_scalar_int(n_rep, "n_rep", 0);
  check_replicates(B, "n_rep");
  kern_frac t = check_fraction(threshold, "threshold");
  kern_frac o;
  int two_sided = rule_sides(opposite_threshold, &o);
  int s = check_flag(strict, "strict");
  if (n > KERN_BOOT_MAX_N) {
    Rf_error("the bootstrap handles at most %d respondents", KERN_BOOT_MAX_N);
  }
  if (n_item > INT_MAX) Rf_error("too many items");

  const int *gr = group == R_NilValue ? NULL : INTEGER_RO(group);
  /* members of each group in order of appearance: members[start[g] ...] */
  SEXP start_ = PROTECT(Rf_allocVector(INTSXP, G + 1));
  SEXP members_ = PROTECT(Rf_allocVector(INTSXP, n));
  int *start = INTEGER(start_), *members = INTEGER(members_);
  memset(start, 0, sizeof(int) * (size_t)(G + 1));
  for (int i = 0; i < n; i++) start[(gr == NULL ? 0 : gr[i] - 1) + 1]++;
  for (int g = 0; g < G; g++) start[g + 1] += start[g];
  SEXP fill_ = PROTECT(Rf_allocVector(INTSXP, G));
  int *fill = INTEGER(fill_);
  memcpy(fill, start, sizeof(int) * (size_t)G);
  for (int i = 0; i < n; i++) members[fill[gr == NULL ? 0 : gr[i] - 1]++] = i;

  SEXP weight_ = PROTECT(Rf_allocVector(INTSXP, n));
  SEXP acc_ = PROTECT(Rf_allocVector(RAWSXP, n_item * G * (R_xlen_t)sizeof(uint64_t)));
  SEXP scratch = PROTECT(Rf_allocVector(INTSXP, G));
  SEXP prop = PROTECT(Rf_allocMatrix(REALSXP, (int)n_item, B));
  SEXP status = PROTECT(Rf_allocMatrix(INTSXP, (int)n_item, 5));
  int *weight = INTEGER(weight_);
  uint64_t *acc = (uint64_t *)RAW(acc_);
  double *p = REAL(prop);
  memset(INTEGER(status), 0, sizeof(int) * (size_t)(n_item * 5));
  const uint8_t *x = RAW_RO(cls);

  GetRNGstate();
  for (int b = 0; b < B; b++) {
    memset(weight, 0, sizeof(int) * (size_t)n);
    for (int g = 0; g < G; g++) {
      int ng = start[g + 1] - start[g];
      const int *mem = members + start[g];
      for (int d = 0; d < ng; d++) weight[mem[(int)R_unif_index((double)ng)]]++;
    }
    kern_boot_replicate(x, n, n_item, gr, G, weight, acc, two_sided, t, o, s,
                        INTEGER(scratch), NA_REAL, p + (R_xlen_t)b * n_item,
                        INTEGER(status));
    /* an interrupt leaves by a long jump: save the RNG state first, so
     * that set.seed() reproduces the draws made so far */
    if ((b & 15) == 15) {
      PutRNGstate();
      R_CheckUserInterrupt();
      GetRNGstate();
    }
  }
  PutRNGstate();

  SEXP out = named_pair("prop", prop, "status", status);
  UNPROTECT(8);
  return out;
}

/* Percentile intervals of the bootstrap: per row of `x` (items x B
 * shares), the quantiles `probs` as stats::quantile(type = 7, na.rm = TRUE)
 * computes them (NA for a row with no value).  Returns a
 * length(probs) x nrow matrix. */
SEXP ffi_row_quantiles(SEXP x, SEXP probs) {
  if (TYPEOF(x) != REALSXP || !Rf_isMatrix(x)) Rf_error("`x` must be a double matrix");
  if (TYPEOF(probs) != REALSXP) Rf_error("`probs` must be a double vector");
  R_xlen_t m = Rf_nrows(x), B = Rf_ncols(x), np = XLENGTH(probs);
  const double *p = REAL_RO(probs);
  for (R_xlen_t k = 0; k < np; k++) {
    if (!(p[k] >= 0 && p[k] <= 1)) Rf_error("`probs` must be in [0, 1]");
  }
  SEXP out = PROTECT(Rf_allocMatrix(REALSXP, (int)np, (int)m));
  double *o = REAL(out);
  double *v = (double *)R_alloc(B > 0 ? B : 1, sizeof(double));
  const double *px = REAL_RO(x);
  for (R_xlen_t j = 0; j < m; j++) {
    R_xlen_t n = 0;
    for (R_xlen_t b = 0; b < B; b++) {
      double val = px[j + b * m];
      if (!ISNAN(val)) v[n++] = val;
    }
    if (n == 0) {
      for (R_xlen_t k = 0; k < np; k++) o[k + j * np] = NA_REAL;
      continue;
    }
    R_qsort(v, 1, (size_t)n);
    for (R_xlen_t k = 0; k < np; k++) {
      double index = 1 + (double)(n - 1) * p[k];
      double lo = floor(index), hi = ceil(index);
      double qs = v[(R_xlen_t)lo - 1];
      double xhi = v[(R_xlen_t)hi - 1];
      if (index > lo && xhi != qs) {
        double h = index - lo;
        qs = (1 - h) * qs + h * xhi;
      }
      o[k + j * np] = qs;
    }
    if ((j & 63) == 63) R_CheckUserInterrupt();
  }
  UNPROTECT(1);
  return out;
}
