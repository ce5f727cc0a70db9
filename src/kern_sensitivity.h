/* The rule swept over thresholds (kern_sensitivity.c).
 * Plain C, no R headers (see kernels.h). */
#ifndef CONSENSR_KERN_SENSITIVITY_H
#define CONSENSR_KERN_SENSITIVITY_H

#include "kern_rule.h"

/* kern_rule for each of n_t thresholds: out is n_item x n_t (item fastest);
 * scratch holds G * n_item ints. */
void kern_sweep(const int *k_target, const int *k_opp, const int *n,
                int64_t n_item, int G, const kern_frac *t, int64_t n_t,
                kern_frac o, int strict, int *scratch, int *out);

#endif
