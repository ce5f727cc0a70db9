/* libFuzzer target for the content-validity kernels (src/kern_validity.c):
 * kern_big_limbs, kern_binom_critical, kern_kappa_cmp, kern_aiken_step and
 * kern_aiken_dist.  Panels of up to 60 (the exact sums then fit in 128-bit
 * integers, the reference) and up to 400 for the big-integer paths (checked
 * for internal consistency: the critical count is monotone in alpha). */
#include <math.h>
#include "fuzz_input.h"
#include "kernels.h"
#include "kern_validity.h"

typedef unsigned __int128 u128;

static u128 choose(int n, int k) {
  u128 c = 1;
  for (int i = 1; i <= k; i++) c = c * (u128)(n - k + i) / (u128)i;
  return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  uint8_t mode = take_u8(&in);
  int small = mode & 1;
  int64_t n = small ? take_range(&in, 0, 60) : take_range(&in, 0, 400);
  int64_t den = take_range(&in, 1, 2147483647);
  int64_t num = take_range(&in, 1, den);
  int64_t L = kern_big_limbs(n);
  FUZZ_CHECK(L >= 1 && L * 32 >= n + 64, "limbs %lld for n = %lld", (long long)L, (long long)n);
  uint32_t *scratch = (uint32_t *)calloc((size_t)(4 * L), sizeof(uint32_t));
  int64_t k = kern_binom_critical(n, num, den, scratch);
  FUZZ_CHECK(k >= -1 && k <= n, "critical %lld for n = %lld", (long long)k, (long long)n);
  if (small) {
    /* reference: the smallest k with den * sum_{j >= k} C(n, j) <= num * 2^n */
    int64_t want = -1;
    u128 tail = 0;
    for (int64_t j = n; j >= 0; j--) {
      tail += choose((int)n, (int)j);
      if ((u128)den * tail <= (u128)num * ((u128)1 << n)) want = j;
      else break;
    }
    FUZZ_CHECK(k == want, "n = %lld alpha = %lld/%lld: critical %lld, reference %lld",
               (long long)n, (long long)num, (long long)den, (long long)k, (long long)want);
  } else if (num < den) {
    /* a larger alpha never needs a larger count */
    int64_t k2 = kern_binom_critical(n, num + 1, den, scratch);
    FUZZ_CHECK(k == -1 || (k2 != -1 && k2 <= k), "not monotone in alpha at n = %lld", (long long)n);
  }
  if (n >= 1) {
    int64_t a = take_range(&in, 0, n);
    int64_t q = take_range(&in, 1, 1000), p = take_range(&in, 0, q);
    int cmp = kern_kappa_cmp(n, a, p, q, scratch);
    FUZZ_CHECK(cmp >= -1 && cmp <= 1, "kappa cmp %d", cmp);
    if (small) {
      __int128 c = (__int128)choose((int)n, (int)a), two = (__int128)1 << n;
      __int128 lhs = (__int128)q * a * two + (__int128)p * n * c;
      __int128 rhs = (__int128)p * n * two + (__int128)q * n * c;
      int want = lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
      FUZZ_CHECK(cmp == want, "kappa n = %lld a = %lld cut %lld/%lld: %d, reference %d",
                 (long long)n, (long long)a, (long long)p, (long long)q, cmp, want);
    }
  }
  free(scratch);
  /* Aiken's null distribution: a probability distribution, symmetric */
  int64_t an = take_range(&in, 1, 40), ak = take_range(&in, 1, 12);
  double *dist = (double *)calloc((size_t)(an * ak + 1), sizeof(double));
  double *tmp = (double *)calloc((size_t)(an * ak + 1), sizeof(double));
  if (mode & 2) {
    kern_aiken_dist(an, ak, dist, tmp);
  } else {
    dist[0] = 1.0;
    for (int64_t r = 1; r <= an; r++) kern_aiken_step(r, ak, dist, tmp);
  }
  double total = 0;
  for (int64_t s = 0; s <= an * ak; s++) {
    FUZZ_CHECK(dist[s] >= 0 && dist[s] <= 1, "P(S = %lld) = %g", (long long)s, dist[s]);
    FUZZ_CHECK(fabs(dist[s] - dist[an * ak - s]) <= 1e-12, "not symmetric at %lld", (long long)s);
    total += dist[s];
  }
  FUZZ_CHECK(fabs(total - 1) < 1e-9, "total %g (n = %lld, k = %lld)", total, (long long)an,
             (long long)ak);
  free(dist);
  free(tmp);
  return 0;
}
