/* libFuzzer target for kern_tally (src/kern_tally.c): random dimensions,
 * scales on both paths (K <= 255 and longer), groups or none, codes that
 * include NA and invalid values, group codes that include invalid ones.
 * The result is compared with a plain reference tally that follows the
 * contract in src/kernels.h. */
#include "fuzz_input.h"
#include "kernels.h"

static int64_t ref_tally(const int *codes, int64_t n, int64_t m,
                         const int *group, int G, int K, int *out) {
  memset(out, 0, sizeof(int) * (size_t)((int64_t)K * G * m));
  if (group != NULL) {
    for (int64_t i = 0; i < n; i++) {
      if (group[i] < 1 || group[i] > G) return -(1 + i);
    }
  }
  for (int64_t j = 0; j < m; j++) {
    for (int64_t i = 0; i < n; i++) {
      int c = codes[j * n + i];
      if (c == KERN_NA_INT) continue;
      if (c < 1 || c > K) return 1 + j * n + i;
      int g = group == NULL ? 0 : group[i] - 1;
      out[(j * G + g) * K + (c - 1)]++;
    }
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  int64_t n = take_range(&in, 0, 300);
  int64_t m = take_range(&in, 0, 12);
  int K;
  switch (take_u8(&in) % 4) {
  case 0: K = (int)take_range(&in, 1, 8); break;
  case 1: K = (int)take_range(&in, 1, 255); break;
  case 2: K = (int)take_range(&in, 254, 400); break;
  default: K = (int)take_range(&in, 1, 3); break;
  }
  int G = (int)take_range(&in, 1, 6);
  int grouped = take_u8(&in) % 3 != 0;
  if (!grouped) G = (take_u8(&in) % 2) ? 1 : G; /* G > 1 without groups is not a valid call */
  if (!grouped) G = 1;

  int *codes = fuzz_alloc((size_t)(n * m), sizeof(int));
  int *group = grouped ? fuzz_alloc((size_t)n, sizeof(int)) : NULL;
  int *out = fuzz_alloc((size_t)((int64_t)K * G * m), sizeof(int));
  int *ref = fuzz_alloc((size_t)((int64_t)K * G * m), sizeof(int));
  const int bad_codes[] = {0, -1, K + 1, INT_MAX, INT_MIN + 1, 256, -K, 1000};
  for (int64_t c = 0; c < n * m; c++) {
    uint8_t b = take_u8(&in);
    codes[c] = b < 200 ? 1 + b % K : b < 235 ? KERN_NA_INT : bad_codes[b % 8];
  }
  if (grouped) {
    const int bad_groups[] = {0, G + 1, KERN_NA_INT, -1, INT_MAX};
    for (int64_t i = 0; i < n; i++) {
      uint8_t b = take_u8(&in);
      group[i] = b < 245 ? 1 + b % G : bad_groups[b % 5];
    }
  }

  int64_t got = kern_tally(codes, n, m, group, G, K, out);
  int64_t want = ref_tally(codes, n, m, group, G, K, ref);
  FUZZ_CHECK(got == want, "kern_tally returned %lld, expected %lld (n=%lld m=%lld K=%d G=%d grouped=%d)",
             (long long)got, (long long)want, (long long)n, (long long)m, K, G, grouped);
  if (want == 0) {
    FUZZ_CHECK(memcmp(out, ref, sizeof(int) * (size_t)((int64_t)K * G * m)) == 0,
               "counts differ (n=%lld m=%lld K=%d G=%d)", (long long)n, (long long)m, K, G);
  }
  free(codes);
  free(group);
  free(out);
  free(ref);
  return 0;
}
