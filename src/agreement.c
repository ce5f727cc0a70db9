#include "consensr.h"
#include "kern_agreement.h"

/* Statistics returned per bootstrap replicate, in this order. */
static const int boot_stats[] = {KA_PERCENT, KA_FLEISS, KA_AC1, KA_ALPHA};
#define N_BOOT_STATS 4

static const char *estimate_names[KA_NOUT] = {
    "percent",         "fleiss",     "fleiss_se",   "gwet_ac1",
    "gwet_ac1_se",     "krippendorff", "items",     "items_pairable",
    "pe_fleiss",       "pe_ac1",     "alpha_do",    "alpha_de",
    "pairable_values"};

/* counts:  integer vector K * m, the [level, item] counts (NA not allowed);
 * n_level: K >= 2;  raters: number of raters (listwise: items with exactly
 *          this many ratings are used);  listwise: TRUE / FALSE;
 * metric:  0 nominal, 1 ordinal, 2 interval (Krippendorff's alpha);
 * values:  K finite doubles, the category values of the interval metric;
 * B:       bootstrap replicates (>= 0): items resampled with
 *          R_unif_index(m), as sample.int(m, m, replace = TRUE) draws them.
 * Returns list(estimate = named double vector, replicates = B x 4 matrix of
 * percent, fleiss, gwet_ac1, krippendorff). */
SEXP ffi_agreement(SEXP counts, SEXP n_level, SEXP raters, SEXP listwise,
                   SEXP metric, SEXP values, SEXP B) {
  int K = check_scalar_int(n_level, "n_level", 2);
  check_int_vector(counts, "counts");
  int rat = check_scalar_int(raters, "raters", 0);
  int lw = check_flag(listwise, "listwise");
  int met = check_scalar_int(metric, "metric", 0);
  if (met > 2) Rf_error("`metric` must be 0 (nominal), 1 (ordinal) or 2 (interval)");
  int n_boot = check_scalar_int(B, "B", 0);
  /* one count per level and item: no more levels than counts (the K x K
   * work space is allocated from n_level) */
  check_at_most(K, XLENGTH(counts) > 0 ? (double)XLENGTH(counts) : 2.0, "n_level",
                "the length of `counts`");
  check_replicates(n_boot, "B");
  if (TYPEOF(values) != REALSXP || XLENGTH(values) != K) {
    Rf_error("`values` must be a double vector of length `n_level`");
  }
  const double *val = REAL_RO(values);
  for (int k = 0; k < K; k++) {
    if (!R_FINITE(val[k])) Rf_error("`values` must be finite");
  }
  R_xlen_t len = XLENGTH(counts);
  if (len % K != 0) Rf_error("the length of `counts` must be a multiple of `n_level`");
  R_xlen_t m = len / K;
  const int *cnt = INTEGER_RO(counts);
  for (R_xlen_t i = 0; i < len; i++) {
    if (cnt[i] == NA_INTEGER || cnt[i] < 0) {
      Rf_error("`counts` must hold non-negative whole numbers (position %lld)",
               (long long)(i + 1));
    }
  }

  int64_t *idx = (int64_t *)R_alloc(m > 0 ? (size_t)m : 1, sizeof(int64_t));
  int64_t *bidx = (int64_t *)R_alloc(m > 0 ? (size_t)m : 1, sizeof(int64_t));
  double *work = (double *)R_alloc((size_t)kern_agreement_work(K), sizeof(double));
  int *iwork = (int *)R_alloc((size_t)K, sizeof(int));
  int64_t n_use = kern_agreement_items(cnt, K, m, lw, rat, idx);

  SEXP est = PROTECT(Rf_allocVector(REALSXP, KA_NOUT));
  kern_agreement(cnt, K, idx, n_use, met, val, lw, rat, 1, work, iwork, REAL(est));
  SEXP est_names = PROTECT(Rf_allocVector(STRSXP, KA_NOUT));
  for (int s = 0; s < KA_NOUT; s++) {
    SET_STRING_ELT(est_names, s, Rf_mkChar(estimate_names[s]));
  }
  Rf_setAttrib(est, R_NamesSymbol, est_names);

  SEXP reps = PROTECT(Rf_allocMatrix(REALSXP, n_boot, N_BOOT_STATS));
  double *rp = REAL(reps);
  if (n_boot > 0) {
    double res[KA_NOUT];
    double dm = (double)n_use;
    GetRNGstate();
    for (int b = 0; b < n_boot; b++) {
      for (int64_t j = 0; j < n_use; j++) {
        bidx[j] = idx[(int64_t)R_unif_index(dm)];
      }
      kern_agreement(cnt, K, bidx, n_use, met, val, lw, rat, 0, work, iwork, res);
      for (int s = 0; s < N_BOOT_STATS; s++) {
        rp[b + (R_xlen_t)s * n_boot] = res[boot_stats[s]];
      }
      /* an interrupt leaves by a long jump: save the RNG state first, so
     * that set.seed() reproduces the draws made so far */
    if ((b & 15) == 15) {
      PutRNGstate();
      R_CheckUserInterrupt();
      GetRNGstate();
    }
    }
    PutRNGstate();
  }
  SEXP rep_names = PROTECT(Rf_allocVector(STRSXP, N_BOOT_STATS));
  SET_STRING_ELT(rep_names, 0, Rf_mkChar("percent"));
  SET_STRING_ELT(rep_names, 1, Rf_mkChar("fleiss"));
  SET_STRING_ELT(rep_names, 2, Rf_mkChar("gwet_ac1"));
  SET_STRING_ELT(rep_names, 3, Rf_mkChar("krippendorff"));
  SEXP dn = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(dn, 1, rep_names);
  Rf_setAttrib(reps, R_DimNamesSymbol, dn);

  SEXP out = named_pair("estimate", est, "replicates", reps);
  UNPROTECT(5);
  return out;
}
