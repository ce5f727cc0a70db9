/* libFuzzer target for the agreement kernels (src/kern_agreement.c,
 * declared in src/kern_agreement.h): kern_agreement_items,
 * kern_agreement_work and kern_agreement over random item x level count
 * tables (counts up to 2^31 - 1, empty items, one-rating items, repeated
 * item indices as in a bootstrap resample), every metric, listwise or per
 * item, with and without standard errors.  K >= 2 as ffi_agreement
 * enforces.  Checks: no memory error or undefined behaviour; the item
 * selection matches its definition; the item counts in the output match;
 * percent agreement, when defined, is in [0, 1]; no infinity in any
 * output. */
#include <math.h>
#include "fuzz_input.h"
#include "kern_agreement.h"

static int take_count(fuzz_in *in) {
  switch (take_u8(in) % 8) {
  case 0: return 0;
  case 1: return 2147483647;
  case 2: return (int)take_range(in, 0, 2147483647);
  case 3: return (int)take_range(in, 0, 1);
  default: return (int)take_range(in, 0, 12);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  int K = (int)take_range(&in, 2, 12);
  int64_t m = take_range(&in, 0, 40);
  int listwise = take_u8(&in) % 2;
  int metric = (int)take_range(&in, 0, 2);
  int want_se = take_u8(&in) % 2;
  int64_t raters = take_range(&in, 0, 30);
  int *counts = fuzz_alloc((size_t)(K * m), sizeof(int));
  for (int64_t c = 0; c < K * m; c++) counts[c] = take_count(&in);
  double *values = fuzz_alloc((size_t)K, sizeof(double));
  for (int k = 0; k < K; k++) {
    values[k] = (take_u8(&in) % 4 == 0) ? (double)(int32_t)take_u32(&in) : k + 1.0;
  }

  int64_t *idx = fuzz_alloc((size_t)m, sizeof(int64_t));
  int64_t n_use = kern_agreement_items(counts, K, m, listwise, raters, idx);
  int64_t want = 0;
  for (int64_t j = 0; j < m; j++) {
    int64_t r = 0;
    for (int k = 0; k < K; k++) r += counts[j * K + k];
    if (r > 0 && (!listwise || r == raters)) {
      FUZZ_CHECK(want < n_use && idx[want] == j, "item %lld not selected", (long long)j);
      want++;
    }
  }
  FUZZ_CHECK(n_use == want, "kern_agreement_items %lld, expected %lld", (long long)n_use,
             (long long)want);

  int64_t wlen = kern_agreement_work(K);
  FUZZ_CHECK(wlen > 0, "work length");
  double *work = fuzz_alloc((size_t)wlen, sizeof(double));
  int *iwork = fuzz_alloc((size_t)K, sizeof(int));
  double out[KA_NOUT];

  /* the selected items, then a resample of them with repeats */
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1 && n_use > 0) {
      for (int64_t j = 0; j < n_use; j++) idx[j] = idx[take_range(&in, 0, n_use - 1)];
    }
    kern_agreement(counts, K, idx, n_use, metric, values, listwise, raters,
                   want_se, work, iwork, out);
    int64_t n1 = 0, n2 = 0;
    for (int64_t i = 0; i < n_use; i++) {
      double r = 0;
      for (int k = 0; k < K; k++) r += counts[idx[i] * K + k];
      n1 += r >= 1;
      n2 += r >= 2;
    }
    FUZZ_CHECK(out[KA_ITEMS] == (double)n1 && out[KA_ITEMS_PAIRABLE] == (double)n2,
               "item counts %g %g, expected %lld %lld", out[KA_ITEMS],
               out[KA_ITEMS_PAIRABLE], (long long)n1, (long long)n2);
    if (!isnan(out[KA_PERCENT])) {
      FUZZ_CHECK(out[KA_PERCENT] >= -1e-12 && out[KA_PERCENT] <= 1 + 1e-12,
                 "percent agreement %g", out[KA_PERCENT]);
    }
    for (int s = 0; s < KA_NOUT; s++) {
      FUZZ_CHECK(!isinf(out[s]), "output %d is %g (K=%d m=%lld metric=%d listwise=%d)", s,
                 out[s], K, (long long)m, metric, listwise);
    }
    if (!want_se) {
      FUZZ_CHECK(isnan(out[KA_FLEISS_SE]) && isnan(out[KA_AC1_SE]), "SE without want_se");
    }
  }
  free(counts);
  free(values);
  free(idx);
  free(work);
  free(iwork);
  return 0;
}
