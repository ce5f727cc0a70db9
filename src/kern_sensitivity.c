#include "kern_sensitivity.h"

void kern_sweep(const int *k_target, const int *k_opp, const int *n,
                int64_t n_item, int G, const kern_frac *t, int64_t n_t,
                kern_frac o, int strict, int *scratch, int *out) {
  for (int64_t s = 0; s < n_t; s++) {
    kern_rule(k_target, k_opp, n, n_item, G, t[s], o, strict, scratch,
              out + s * n_item);
  }
}
