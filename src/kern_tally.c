#include <string.h>
#include "kernels.h"

/* One column without groups: four sub-histograms indexed by code (0 = NA),
 * filled branch-free, so that consecutive equal codes do not serialise on
 * one counter.  Invalid codes are counted in *bad and mapped to slot 0. */
static void tally_column(const int *x, int64_t n, unsigned K, uint32_t *h,
                         int64_t *first_bad) {
  const unsigned stride = K + 1;
  uint32_t *h0 = h, *h1 = h + stride, *h2 = h + 2 * stride, *h3 = h + 3 * stride;
  int64_t bad = 0;
  int64_t i = 0;
#define SLOT(c) ((((unsigned)(c)) - 1u) < K ? (unsigned)(c) : 0u)
#define BAD(c) (((((unsigned)(c)) - 1u) >= K) & ((c) != KERN_NA_INT))
  for (; i + 4 <= n; i += 4) {
    int c0 = x[i], c1 = x[i + 1], c2 = x[i + 2], c3 = x[i + 3];
    h0[SLOT(c0)]++;
    h1[SLOT(c1)]++;
    h2[SLOT(c2)]++;
    h3[SLOT(c3)]++;
    bad |= BAD(c0) | BAD(c1) | BAD(c2) | BAD(c3);
  }
  for (; i < n; i++) {
    h0[SLOT(x[i])]++;
    bad |= BAD(x[i]);
  }
  if (bad && *first_bad < 0) {
    for (i = 0; i < n; i++) {
      if (BAD(x[i])) {
        *first_bad = i;
        break;
      }
    }
  }
#undef SLOT
#undef BAD
}

int64_t kern_tally(const int *codes, int64_t n_resp, int64_t n_item,
                   const int *group, int G, int K, int *out) {
  const int64_t cells = (int64_t)K * G;
  memset(out, 0, sizeof(int) * (size_t)(cells * n_item));
  if (n_resp == 0 || n_item == 0) return 0;

  if ((group == NULL || G == 1) && K <= 255) {
    uint32_t hist[4 * 256];
    for (int64_t j = 0; j < n_item; j++) {
      const int *x = codes + j * n_resp;
      int64_t first_bad = -1;
      memset(hist, 0, sizeof(uint32_t) * 4 * (size_t)(K + 1));
      tally_column(x, n_resp, (unsigned)K, hist, &first_bad);
      if (first_bad >= 0) return 1 + j * n_resp + first_bad;
      int *o = out + j * (int64_t)K;
      for (int k = 1; k <= K; k++) {
        o[k - 1] = (int)(hist[k] + hist[k + (K + 1)] + hist[k + 2 * (K + 1)] +
                         hist[k + 3 * (K + 1)]);
      }
    }
    return 0;
  }

  /* General case (groups, or very long scales): one pass per column into
   * [level, group] counters. */
  if (group != NULL) {
    for (int64_t i = 0; i < n_resp; i++) {
      if ((unsigned)(group[i] - 1) >= (unsigned)G) return -(1 + i);
    }
  }
  for (int64_t j = 0; j < n_item; j++) {
    const int *x = codes + j * n_resp;
    int *o = out + j * cells;
    for (int64_t i = 0; i < n_resp; i++) {
      int c = x[i];
      if (c == KERN_NA_INT) continue;
      if ((unsigned)(c - 1) >= (unsigned)K) return 1 + j * n_resp + i;
      int64_t g = group == NULL ? 0 : group[i] - 1;
      o[g * K + (c - 1)]++;
    }
  }
  return 0;
}
