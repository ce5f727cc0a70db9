#include "kern_rule.h"

int kern_status(int k_target, int k_opp, int n, kern_frac t, kern_frac o,
                int strict) {
  if (n <= 0) return KERN_UNDEF_IN;
  if (k_opp < 0) return kern_reaches(k_target, n, t, strict) ? KERN_IN : KERN_NONE;
  /* opposite share strictly below o */
  if (kern_reaches(k_target, n, t, strict) && !kern_reaches(k_opp, n, o, 0))
    return KERN_IN;
  if (kern_reaches(k_opp, n, t, strict) && !kern_reaches(k_target, n, o, 0))
    return KERN_OUT;
  return KERN_NONE;
}

int kern_combine(const int *status, int G) {
  int n_in = 0, n_out = 0, n_undef = 0;
  for (int g = 0; g < G; g++) {
    switch (status[g]) {
    case KERN_IN: n_in++; break;
    case KERN_OUT: n_out++; break;
    case KERN_NONE: return KERN_NONE;
    default: n_undef++; break;
    }
  }
  if (n_in > 0 && n_out > 0) return KERN_NONE;
  if (n_undef > 0) return n_out > 0 ? KERN_UNDEF_OUT : KERN_UNDEF_IN;
  return n_in == G ? KERN_IN : KERN_OUT;
}

void kern_rule(const int *k_target, const int *k_opp, const int *n,
               int64_t n_item, int G, kern_frac t, kern_frac o, int strict,
               int *group_status, int *item_status) {
  for (int64_t j = 0; j < n_item; j++) {
    int *gs = group_status + j * G;
    for (int g = 0; g < G; g++) {
      int64_t i = j * G + g;
      gs[g] = kern_status(k_target[i], k_opp == NULL ? -1 : k_opp[i], n[i], t,
                          o, strict);
    }
    item_status[j] = kern_combine(gs, G);
  }
}
