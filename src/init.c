#include <R_ext/Rdynload.h>
#include <R_ext/Visibility.h>
#include "consensr.h"

static const R_CallMethodDef call_methods[] = {
    {"ffi_tally", (DL_FUNC)&ffi_tally, 4},
    {"ffi_fraction", (DL_FUNC)&ffi_fraction, 2},
    {"ffi_fraction_snaps", (DL_FUNC)&ffi_fraction_snaps, 2},
    {"ffi_rule", (DL_FUNC)&ffi_rule, 7},
    {"ffi_sweep", (DL_FUNC)&ffi_sweep, 7},
    {"ffi_jackknife", (DL_FUNC)&ffi_jackknife, 7},
    {"ffi_bootstrap", (DL_FUNC)&ffi_bootstrap, 8},
    {"ffi_agreement", (DL_FUNC)&ffi_agreement, 7},
    {"ffi_read_wide", (DL_FUNC)&ffi_read_wide, 7},
    {"ffi_cbind", (DL_FUNC)&ffi_cbind, 2},
    {"ffi_row_quantiles", (DL_FUNC)&ffi_row_quantiles, 2},
    {"ffi_read_long_keys", (DL_FUNC)&ffi_read_long_keys, 8},
    {"ffi_read_long", (DL_FUNC)&ffi_read_long, 9},
    {"ffi_key", (DL_FUNC)&ffi_key, 1},
    {"ffi_encode", (DL_FUNC)&ffi_encode, 4},
    {"ffi_binom_critical", (DL_FUNC)&ffi_binom_critical, 2},
    {"ffi_kappa_cmp", (DL_FUNC)&ffi_kappa_cmp, 3},
    {"ffi_aiken_tail", (DL_FUNC)&ffi_aiken_tail, 3},
    {"ffi_ordinal_consensus", (DL_FUNC)&ffi_ordinal_consensus, 1},
    {"ffi_alpha_se", (DL_FUNC)&ffi_alpha_se, 2},
    {NULL, NULL, 0}};

void attribute_visible R_init_consensr(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
