/* libFuzzer target for the rule kernels (src/kern_rule.c, src/kern_fraction.c): kern_rule,
 * kern_sweep, kern_status, kern_reaches and kern_combine over random counts
 * (up to 2^31 - 1), groups, one- and two-sided rules, thresholds up to
 * (2^31 - 1) / (2^31 - 1).  Inputs respect the kernels' contract
 * (0 <= k_target + k_opp <= n < 2^31, 0 < num <= den < 2^31), which the
 * .Call wrappers enforce.  Checked against a reference in 128-bit
 * integers, and kern_sweep against kern_rule threshold by threshold. */
#include "fuzz_input.h"
#include "kernels.h"

static int ref_reaches(int64_t k, int64_t n, kern_frac t, int strict) {
  __int128 lhs = (__int128)k * t.den, rhs = (__int128)t.num * n;
  return strict ? lhs > rhs : lhs >= rhs;
}

static int ref_status(int kt, int ko, int n, kern_frac t, kern_frac o, int strict) {
  if (n <= 0) return KERN_UNDEF_IN;
  if (ko < 0) return ref_reaches(kt, n, t, strict) ? KERN_IN : KERN_NONE;
  if (ref_reaches(kt, n, t, strict) && !ref_reaches(ko, n, o, 0)) return KERN_IN;
  if (ref_reaches(ko, n, t, strict) && !ref_reaches(kt, n, o, 0)) return KERN_OUT;
  return KERN_NONE;
}

static int64_t take_count(fuzz_in *in, int64_t max) {
  switch (take_u8(in) % 4) {
  case 0: return take_range(in, 0, max < 30 ? max : 30);
  case 1: return max;
  case 2: return max - take_range(in, 0, max < 3 ? max : 3);
  default: return take_range(in, 0, max);
  }
}

static kern_frac take_frac(fuzz_in *in) {
  kern_frac f;
  if (take_u8(in) % 2) {
    f.den = take_range(in, 1, 100);
  } else {
    f.den = take_range(in, 1, 2147483647);
  }
  f.num = take_range(in, 1, f.den);
  return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  int64_t m = take_range(&in, 0, 40);
  int G = (int)take_range(&in, 1, 5);
  int two_sided = take_u8(&in) % 2;
  int strict = take_u8(&in) % 2;
  int64_t n_t = take_range(&in, 0, 8);
  int64_t cells = m * G;
  int *kt = fuzz_alloc((size_t)cells, sizeof(int));
  int *ko = two_sided ? fuzz_alloc((size_t)cells, sizeof(int)) : NULL;
  int *n = fuzz_alloc((size_t)cells, sizeof(int));
  for (int64_t i = 0; i < cells; i++) {
    n[i] = (int)take_count(&in, 2147483647);
    kt[i] = (int)take_count(&in, n[i]);
    if (two_sided) ko[i] = (int)take_count(&in, n[i] - kt[i]);
  }
  kern_frac t = take_frac(&in);
  kern_frac o = two_sided ? take_frac(&in) : (kern_frac){0, 1};
  kern_frac *ts = fuzz_alloc((size_t)n_t, sizeof(kern_frac));
  for (int64_t s = 0; s < n_t; s++) ts[s] = take_frac(&in);

  int *gs = fuzz_alloc((size_t)cells, sizeof(int));
  int *is = fuzz_alloc((size_t)m, sizeof(int));
  kern_rule(kt, ko, n, m, G, t, o, strict, gs, is);
  for (int64_t j = 0; j < m; j++) {
    int n_in = 0, n_out = 0, n_undef = 0, none = 0;
    for (int g = 0; g < G; g++) {
      int64_t i = j * G + g;
      int want = ref_status(kt[i], two_sided ? ko[i] : -1, n[i], t, o, strict);
      FUZZ_CHECK(gs[i] == want, "group status %d, expected %d (k=%d o=%d n=%d t=%lld/%lld)",
                 gs[i], want, kt[i], two_sided ? ko[i] : -1, n[i],
                 (long long)t.num, (long long)t.den);
      FUZZ_CHECK(kern_reaches(kt[i], n[i], t, strict) == ref_reaches(kt[i], n[i], t, strict),
                 "kern_reaches(%d, %d, %lld/%lld)", kt[i], n[i], (long long)t.num, (long long)t.den);
      n_in += want == KERN_IN;
      n_out += want == KERN_OUT;
      n_undef += want == KERN_UNDEF_IN || want == KERN_UNDEF_OUT;
      none += want == KERN_NONE;
    }
    int want = none ? KERN_NONE
               : (n_in && n_out) ? KERN_NONE
               : n_undef ? (n_out ? KERN_UNDEF_OUT : KERN_UNDEF_IN)
               : n_in == G ? KERN_IN : KERN_OUT;
    FUZZ_CHECK(is[j] == want, "item status %d, expected %d", is[j], want);
    FUZZ_CHECK(kern_combine(gs + j * G, G) == is[j], "kern_combine");
  }

  int *scratch = fuzz_alloc((size_t)cells, sizeof(int));
  int *sw = fuzz_alloc((size_t)(m * n_t), sizeof(int));
  kern_sweep(kt, ko, n, m, G, ts, n_t, o, strict, scratch, sw);
  for (int64_t s = 0; s < n_t; s++) {
    kern_rule(kt, ko, n, m, G, ts[s], o, strict, gs, is);
    FUZZ_CHECK(memcmp(is, sw + s * m, sizeof(int) * (size_t)m) == 0,
               "kern_sweep differs from kern_rule at threshold %lld", (long long)s);
  }
  free(kt);
  free(ko);
  free(n);
  free(ts);
  free(gs);
  free(is);
  free(scratch);
  free(sw);
  return 0;
}
