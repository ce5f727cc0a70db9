/* libFuzzer target for the robustness kernels (src/kern_robustness.c,
 * declared in src/kern_robustness.h): kern_check_classes on any bytes;
 * kern_class_tally, kern_jackknife and kern_boot_replicate on random panels
 * (classes 0..3, groups, one- or two-sided rules), each checked against a
 * recomputation from scratch:
 * - the jackknife status of respondent i and item j equals the status of
 *   item j in the panel whose row i is set to "not rated";
 * - a bootstrap replicate equals the tally of the panel weighted by the
 *   draw counts.  Draws are made as ffi_bootstrap makes them: n_g draws
 *   within each group, so that counts stay below KERN_BOOT_MAX_N. */
#include "fuzz_input.h"
#include "kern_robustness.h"

static kern_frac take_frac(fuzz_in *in) {
  kern_frac f;
  f.den = take_range(in, 1, (take_u8(in) % 2) ? 20 : 2147483647);
  f.num = take_range(in, 1, f.den);
  return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  uint8_t mode = take_u8(&in);
  if (mode % 4 == 0) {
    /* class validation over arbitrary bytes */
    size_t len = in.left;
    uint8_t *b = fuzz_alloc(len, 1);
    memcpy(b, in.p, len);
    int64_t bad = kern_check_classes(b, (int64_t)len);
    int64_t want = 0;
    for (size_t i = 0; i < len; i++) {
      if (b[i] > KERN_CLASS_OPP) {
        want = (int64_t)i + 1;
        break;
      }
    }
    FUZZ_CHECK(bad == want, "kern_check_classes %lld, expected %lld", (long long)bad,
               (long long)want);
    free(b);
    return 0;
  }

  int64_t n = take_range(&in, 1, 60);
  int64_t m = take_range(&in, 0, 12);
  int G = (int)take_range(&in, 1, 4);
  int grouped = G > 1 || take_u8(&in) % 2;
  int two_sided = take_u8(&in) % 2;
  int strict = take_u8(&in) % 2;
  kern_frac t = take_frac(&in);
  kern_frac o = two_sided ? take_frac(&in) : (kern_frac){0, 1};
  uint8_t *cls = fuzz_alloc((size_t)(n * m), 1);
  for (int64_t c = 0; c < n * m; c++) {
    cls[c] = take_u8(&in) % (two_sided ? 4 : 3);
  }
  int *group = grouped ? fuzz_alloc((size_t)n, sizeof(int)) : NULL;
  for (int64_t i = 0; grouped && i < n; i++) group[i] = 1 + take_u8(&in) % G;
  FUZZ_CHECK(kern_check_classes(cls, n * m) == 0, "valid classes rejected");

  int64_t cells = (int64_t)G * m;
  int *kt = fuzz_alloc((size_t)cells, sizeof(int));
  int *ko = fuzz_alloc((size_t)cells, sizeof(int));
  int *nn = fuzz_alloc((size_t)cells, sizeof(int));
  int *gs = fuzz_alloc((size_t)cells, sizeof(int));
  int *is = fuzz_alloc((size_t)m, sizeof(int));
  int *scratch = fuzz_alloc((size_t)G, sizeof(int));
  kern_class_tally(cls, n, m, group, G, kt, ko, nn);
  for (int64_t j = 0; j < m; j++) {
    for (int g = 0; g < G; g++) {
      int a = 0, b = 0, c = 0;
      for (int64_t i = 0; i < n; i++) {
        if ((group ? group[i] - 1 : 0) != g) continue;
        uint8_t v = cls[j * n + i];
        a += v != KERN_CLASS_NA;
        b += v == KERN_CLASS_TARGET;
        c += v == KERN_CLASS_OPP;
      }
      FUZZ_CHECK(nn[j * G + g] == a && kt[j * G + g] == b && ko[j * G + g] == c,
                 "kern_class_tally item %lld group %d", (long long)j, g);
    }
  }
  kern_rule(kt, two_sided ? ko : NULL, nn, m, G, t, o, strict, gs, is);

  /* jackknife against recomputation */
  int *jk = fuzz_alloc((size_t)(n * m), sizeof(int));
  kern_jackknife(cls, n, m, group, G, kt, ko, nn, gs, is, two_sided, t, o,
                 strict, scratch, jk);
  uint8_t *loo = fuzz_alloc((size_t)(n * m), 1);
  int *kt2 = fuzz_alloc((size_t)cells, sizeof(int));
  int *ko2 = fuzz_alloc((size_t)cells, sizeof(int));
  int *nn2 = fuzz_alloc((size_t)cells, sizeof(int));
  int *gs2 = fuzz_alloc((size_t)cells, sizeof(int));
  int *is2 = fuzz_alloc((size_t)m, sizeof(int));
  for (int64_t i = 0; i < n; i++) {
    memcpy(loo, cls, (size_t)(n * m));
    for (int64_t j = 0; j < m; j++) loo[j * n + i] = KERN_CLASS_NA;
    kern_class_tally(loo, n, m, group, G, kt2, ko2, nn2);
    kern_rule(kt2, two_sided ? ko2 : NULL, nn2, m, G, t, o, strict, gs2, is2);
    for (int64_t j = 0; j < m; j++) {
      FUZZ_CHECK(jk[j * n + i] == is2[j],
                 "jackknife status %d, recomputed %d (respondent %lld item %lld)",
                 jk[j * n + i], is2[j], (long long)i, (long long)j);
    }
  }

  /* one bootstrap replicate against the weighted tally */
  int *weight = fuzz_alloc((size_t)n, sizeof(int));
  memset(weight, 0, sizeof(int) * (size_t)n);
  for (int g = 0; g < G; g++) {
    int64_t ng = 0;
    for (int64_t i = 0; i < n; i++) ng += (group ? group[i] - 1 : 0) == g;
    for (int64_t d = 0; d < ng; d++) {
      int64_t pick = take_range(&in, 0, ng - 1), seen = 0;
      for (int64_t i = 0; i < n; i++) {
        if ((group ? group[i] - 1 : 0) != g) continue;
        if (seen++ == pick) {
          weight[i]++;
          break;
        }
      }
    }
  }
  uint8_t *cls_rm = fuzz_alloc((size_t)(n * m), 1);
  for (int64_t i = 0; i < n; i++) {
    for (int64_t j = 0; j < m; j++) cls_rm[i * m + j] = cls[j * n + i];
  }
  uint64_t *acc = fuzz_alloc((size_t)cells, sizeof(uint64_t));
  double *prop = fuzz_alloc((size_t)m, sizeof(double));
  int *status = fuzz_alloc((size_t)(m * 5), sizeof(int));
  memset(status, 0, sizeof(int) * (size_t)(m * 5));
  kern_boot_replicate(cls_rm, n, m, group, G, weight, acc, two_sided, t, o,
                      strict, scratch, -1.0, prop, status);
  for (int64_t j = 0; j < m; j++) {
    int64_t tot_n = 0, tot_t = 0;
    for (int g = 0; g < G; g++) {
      int a = 0, b = 0, c = 0;
      for (int64_t i = 0; i < n; i++) {
        if ((group ? group[i] - 1 : 0) != g) continue;
        uint8_t v = cls[j * n + i];
        a += weight[i] * (v != KERN_CLASS_NA);
        b += weight[i] * (v == KERN_CLASS_TARGET);
        c += weight[i] * (v == KERN_CLASS_OPP);
      }
      kt2[g] = b;
      ko2[g] = c;
      nn2[g] = a;
      tot_n += a;
      tot_t += b;
    }
    kern_rule(kt2, two_sided ? ko2 : NULL, nn2, 1, G, t, o, strict, gs2, is2);
    int st = -1;
    for (int s = 0; s < 5; s++) {
      FUZZ_CHECK(status[j + s * m] == 0 || status[j + s * m] == 1, "status count");
      if (status[j + s * m]) st = s;
    }
    FUZZ_CHECK(st == is2[0], "bootstrap status %d, recomputed %d (item %lld)", st,
               is2[0], (long long)j);
    double want = tot_n > 0 ? (double)tot_t / (double)tot_n : -1.0;
    FUZZ_CHECK(prop[j] == want, "bootstrap share %g, recomputed %g", prop[j], want);
  }

  free(cls); free(group); free(kt); free(ko); free(nn); free(gs); free(is);
  free(scratch); free(jk); free(loo); free(kt2); free(ko2); free(nn2);
  free(gs2); free(is2); free(weight); free(cls_rm); free(acc); free(prop);
  free(status);
  return 0;
}
