#include <string.h>
#include "kern_robustness.h"

int64_t kern_check_classes(const uint8_t *cls, int64_t len) {
  for (int64_t i = 0; i < len; i++) {
    if (cls[i] > KERN_CLASS_OPP) return i + 1;
  }
  return 0;
}

void kern_class_tally(const uint8_t *cls, int64_t n_resp, int64_t n_item,
                      const int *group, int G, int *k_target, int *k_opp,
                      int *n) {
  const int64_t cells = (int64_t)G * n_item;
  memset(k_target, 0, sizeof(int) * (size_t)cells);
  memset(k_opp, 0, sizeof(int) * (size_t)cells);
  memset(n, 0, sizeof(int) * (size_t)cells);
  for (int64_t j = 0; j < n_item; j++) {
    const uint8_t *x = cls + j * n_resp;
    for (int64_t i = 0; i < n_resp; i++) {
      int c = x[i];
      if (c == KERN_CLASS_NA) continue;
      int64_t at = j * G + (group == NULL ? 0 : group[i] - 1);
      n[at]++;
      k_target[at] += c == KERN_CLASS_TARGET;
      k_opp[at] += c == KERN_CLASS_OPP;
    }
  }
}

void kern_jackknife(const uint8_t *cls, int64_t n_resp, int64_t n_item,
                    const int *group, int G, const int *k_target,
                    const int *k_opp, const int *n, const int *group_status,
                    const int *item_status, int two_sided, kern_frac t,
                    kern_frac o, int strict, int *scratch, int *out) {
  for (int64_t j = 0; j < n_item; j++) {
    const uint8_t *x = cls + j * n_resp;
    int *res = out + j * n_resp;
    const int64_t base = j * G;
    for (int64_t i = 0; i < n_resp; i++) {
      int c = x[i];
      if (c == KERN_CLASS_NA) {
        res[i] = item_status[j];
        continue;
      }
      int g = group == NULL ? 0 : group[i] - 1;
      int64_t at = base + g;
      int kt = k_target[at] - (c == KERN_CLASS_TARGET);
      int ko = two_sided ? k_opp[at] - (c == KERN_CLASS_OPP) : -1;
      int st = kern_status(kt, ko, n[at] - 1, t, o, strict);
      if (G == 1) {
        res[i] = kern_combine(&st, 1);
      } else {
        memcpy(scratch, group_status + base, sizeof(int) * (size_t)G);
        scratch[g] = st;
        res[i] = kern_combine(scratch, G);
      }
    }
  }
}

#define BOOT_MASK ((uint64_t)KERN_BOOT_MAX_N)

/* acc[j] += lut[row[j]]: the inner loop, one addition per item. */
static void add_row(uint64_t *restrict acc, const uint8_t *restrict row,
                    const uint64_t *restrict lut, int64_t n_item) {
  int64_t j = 0;
  for (; j + 4 <= n_item; j += 4) {
    uint64_t a0 = lut[row[j]], a1 = lut[row[j + 1]], a2 = lut[row[j + 2]],
             a3 = lut[row[j + 3]];
    acc[j] += a0;
    acc[j + 1] += a1;
    acc[j + 2] += a2;
    acc[j + 3] += a3;
  }
  for (; j < n_item; j++) acc[j] += lut[row[j]];
}

void kern_boot_replicate(const uint8_t *cls_rm, int64_t n_resp,
                         int64_t n_item, const int *group, int G,
                         const int *weight, uint64_t *acc, int two_sided,
                         kern_frac t, kern_frac o, int strict, int *scratch,
                         double na_value, double *prop, int *status_count) {
  memset(acc, 0, sizeof(uint64_t) * (size_t)((int64_t)G * n_item));
  const uint64_t one_n = 1, one_t = (uint64_t)1 << KERN_BOOT_BITS,
                 one_o = (uint64_t)1 << (2 * KERN_BOOT_BITS);
  for (int64_t i = 0; i < n_resp; i++) {
    uint64_t w = (uint64_t)weight[i];
    if (w == 0) continue;
    const uint64_t lut[4] = {0, w * one_n, w * (one_n + one_t),
                             w * (one_n + one_o)};
    int64_t g = group == NULL ? 0 : group[i] - 1;
    add_row(acc + g * n_item, cls_rm + i * n_item, lut, n_item);
  }
  for (int64_t j = 0; j < n_item; j++) {
    int64_t tot_n = 0, tot_t = 0;
    for (int g = 0; g < G; g++) {
      uint64_t v = acc[(int64_t)g * n_item + j];
      int nn = (int)(v & BOOT_MASK);
      int kt = (int)((v >> KERN_BOOT_BITS) & BOOT_MASK);
      int ko = two_sided ? (int)((v >> (2 * KERN_BOOT_BITS)) & BOOT_MASK) : -1;
      scratch[g] = kern_status(kt, ko, nn, t, o, strict);
      tot_n += nn;
      tot_t += kt;
    }
    int st = kern_combine(scratch, G);
    status_count[j + (int64_t)st * n_item]++;
    prop[j] = tot_n > 0 ? (double)tot_t / (double)tot_n : na_value;
  }
}
