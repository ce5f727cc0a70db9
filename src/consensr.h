#ifndef CONSENSR_H
#define CONSENSR_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include "kernels.h"

SEXP ffi_tally(SEXP codes, SEXP group, SEXP n_group, SEXP n_level);
SEXP ffi_fraction(SEXP x, SEXP tol);
SEXP ffi_fraction_snaps(SEXP x, SEXP fr);
SEXP ffi_rule(SEXP k_target, SEXP k_opp, SEXP n, SEXP n_group, SEXP threshold,
              SEXP opposite_threshold, SEXP strict);
SEXP ffi_sweep(SEXP k_target, SEXP k_opp, SEXP n, SEXP n_group, SEXP thresholds,
               SEXP opposite_threshold, SEXP strict);
SEXP ffi_jackknife(SEXP cls, SEXP n_resp, SEXP group, SEXP n_group,
                   SEXP threshold, SEXP opposite_threshold, SEXP strict);
SEXP ffi_bootstrap(SEXP cls, SEXP n_resp, SEXP group, SEXP n_group,
                   SEXP n_rep, SEXP threshold, SEXP opposite_threshold,
                   SEXP strict);

SEXP ffi_agreement(SEXP counts, SEXP n_level, SEXP raters, SEXP listwise,
                   SEXP metric, SEXP values, SEXP B);

SEXP ffi_read_wide(SEXP cols, SEXP maps, SEXP lv_num, SEXP lv_chr, SEXP n_scale,
                   SEXP names, SEXP identity);
SEXP ffi_cbind(SEXP cols, SEXP names);
SEXP ffi_row_quantiles(SEXP x, SEXP probs);
SEXP ffi_read_long_keys(SEXP resp, SEXP item, SEXP item_levels, SEXP rating,
                        SEXP map, SEXP lv_num, SEXP lv_chr, SEXP n_scale);
SEXP ffi_read_long(SEXP row, SEXP n_row, SEXP col, SEXP n_col, SEXP rating,
                   SEXP map, SEXP lv_num, SEXP lv_chr, SEXP n_scale);
SEXP ffi_key(SEXP x);
SEXP ffi_encode(SEXP x, SEXP map, SEXP lv_num, SEXP lv_chr);

/* content validity (validity.c) */
SEXP ffi_binom_critical(SEXP n, SEXP alpha);
SEXP ffi_kappa_cmp(SEXP n, SEXP a, SEXP cut);
SEXP ffi_aiken_tail(SEXP n, SEXP s, SEXP k);

/* ordinal consensus (ordinal.c) */
SEXP ffi_ordinal_consensus(SEXP counts);

/* Gwet's variance of Krippendorff's alpha (alpha_variance.c) */
SEXP ffi_alpha_se(SEXP counts, SEXP weights);

/* argument checks shared by the wrappers (checks.c) */
int check_scalar_int(SEXP x, const char *what, int min);
int check_flag(SEXP x, const char *what);
void check_int_vector(SEXP x, const char *what);
kern_frac check_fraction(SEXP x, const char *what);
SEXP named_pair(const char *n1, SEXP v1, const char *n2, SEXP v2);
/* refuse sizes no data can need, before allocating (checks.c) */
#define CONSENSR_MAX_REPLICATES 10000000
void check_at_most(double x, double limit, const char *what, const char *why);
void check_replicates(int B, const char *what);

/* checks of the rule's counts, shared by rule.c and sensitivity.c */
R_xlen_t check_counts(SEXP k_target, SEXP k_opp, SEXP n, int G);
kern_frac opposite_fraction(SEXP k_opp, SEXP opposite_threshold);

#endif
