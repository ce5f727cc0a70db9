#include <string.h>
#include "kern_validity.h"

/* Fixed-width unsigned big integers: L little-endian 32-bit limbs. */

int64_t kern_big_limbs(int64_t n) { return (n + 96) / 32 + 2; }

static void big_set(uint32_t *a, int64_t L, uint64_t v) {
  memset(a, 0, (size_t)L * sizeof(uint32_t));
  a[0] = (uint32_t)(v & 0xffffffffu);
  if (L > 1) a[1] = (uint32_t)(v >> 32);
}

static void big_mul(uint32_t *a, int64_t L, uint32_t m) {
  uint64_t carry = 0;
  for (int64_t i = 0; i < L; i++) {
    uint64_t t = (uint64_t)a[i] * m + carry;
    a[i] = (uint32_t)(t & 0xffffffffu);
    carry = t >> 32;
  }
}

/* a /= d, exact division expected (the remainder is dropped). */
static void big_div(uint32_t *a, int64_t L, uint32_t d) {
  uint64_t rem = 0;
  for (int64_t i = L - 1; i >= 0; i--) {
    uint64_t cur = (rem << 32) | a[i];
    a[i] = (uint32_t)(cur / d);
    rem = cur % d;
  }
}

static void big_add(uint32_t *a, const uint32_t *b, int64_t L) {
  uint64_t carry = 0;
  for (int64_t i = 0; i < L; i++) {
    uint64_t t = (uint64_t)a[i] + b[i] + carry;
    a[i] = (uint32_t)(t & 0xffffffffu);
    carry = t >> 32;
  }
}

/* a <<= bits */
static void big_shl(uint32_t *a, int64_t L, int64_t bits) {
  int64_t w = bits / 32, s = bits % 32;
  for (int64_t i = L - 1; i >= 0; i--) {
    uint64_t hi = i - w >= 0 ? a[i - w] : 0;
    uint64_t lo = (s > 0 && i - w - 1 >= 0) ? a[i - w - 1] : 0;
    a[i] = (uint32_t)(((hi << s) | (s > 0 ? lo >> (32 - s) : 0)) & 0xffffffffu);
  }
}

static int big_cmp(const uint32_t *a, const uint32_t *b, int64_t L) {
  for (int64_t i = L - 1; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

int64_t kern_binom_critical(int64_t n, int64_t num, int64_t den, uint32_t *scratch) {
  int64_t L = kern_big_limbs(n);
  uint32_t *c = scratch, *tail = scratch + L, *lhs = scratch + 2 * L,
           *rhs = scratch + 3 * L;
  big_set(rhs, L, (uint64_t)num);
  big_shl(rhs, L, n);         /* num * 2^n */
  big_set(c, L, 1);           /* C(n, n) */
  big_set(tail, L, 0);
  int64_t ans = -1;
  for (int64_t j = n; j >= 0; j--) {
    big_add(tail, c, L);      /* sum_{i >= j} C(n, i) */
    memcpy(lhs, tail, (size_t)L * sizeof(uint32_t));
    big_mul(lhs, L, (uint32_t)den);  /* den < 2^31 */
    if (big_cmp(lhs, rhs, L) > 0) break;
    ans = j;
    if (j > 0) {              /* C(n, j - 1) = C(n, j) j / (n - j + 1) */
      big_mul(c, L, (uint32_t)j);
      big_div(c, L, (uint32_t)(n - j + 1));
    }
  }
  return ans;
}

/* out = x y 2^n + u n C (t: scratch of L limbs); all factors < 2^32. */
static void big_mix(uint32_t *out, int64_t x, int64_t y, int64_t u, int64_t n,
                    const uint32_t *c, uint32_t *t, int64_t L) {
  big_set(out, L, (uint64_t)x);
  big_mul(out, L, (uint32_t)y);
  big_shl(out, L, n);
  memcpy(t, c, (size_t)L * sizeof(uint32_t));
  big_mul(t, L, (uint32_t)u);
  big_mul(t, L, (uint32_t)n);
  big_add(out, t, L);
}

int kern_kappa_cmp(int64_t n, int64_t a, int64_t p, int64_t q, uint32_t *scratch) {
  int64_t L = kern_big_limbs(n);
  uint32_t *c = scratch, *lhs = scratch + L, *rhs = scratch + 2 * L,
           *t = scratch + 3 * L;
  /* C(n, a) = prod_{i = 1..a} (n - a + i) / i, exact at every step */
  big_set(c, L, 1);
  for (int64_t i = 1; i <= a; i++) {
    big_mul(c, L, (uint32_t)(n - a + i));
    big_div(c, L, (uint32_t)i);
  }
  /* lhs = q a 2^n + p n C;  rhs = p n 2^n + q n C */
  big_mix(lhs, q, a, p, n, c, t, L);
  big_mix(rhs, p, n, q, n, c, t, L);
  return big_cmp(lhs, rhs, L);
}

void kern_aiken_step(int64_t r, int64_t k, double *dist, double *tmp) {
  /* dist holds P(S = s) after r - 1 ratings, s = 0..(r-1)k; convolve with
   * the uniform on 0..k by direct sums (no running differences: no
   * cancellation in the tails) */
  int64_t len = r * k, prev = (r - 1) * k;
  for (int64_t s = 0; s <= len; s++) {
    double acc = 0.0;
    int64_t lo = s - k > 0 ? s - k : 0, hi = s < prev ? s : prev;
    for (int64_t t = lo; t <= hi; t++) acc += dist[t];
    tmp[s] = acc / (double)(k + 1);
  }
  for (int64_t s = 0; s <= len; s++) dist[s] = tmp[s];
}

void kern_aiken_dist(int64_t n, int64_t k, double *dist, double *tmp) {
  for (int64_t s = 0; s <= n * k; s++) dist[s] = 0.0;
  dist[0] = 1.0;
  for (int64_t r = 1; r <= n; r++) kern_aiken_step(r, k, dist, tmp);
}
