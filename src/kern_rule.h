/* The consensus rule per item and group (kern_rule.c).
 * Plain C, no R headers (see kernels.h). */
#ifndef CONSENSR_KERN_RULE_H
#define CONSENSR_KERN_RULE_H

#include "kern_fraction.h"

/* Status of one item within one group (see the enum).
 * k_opp < 0 means a one-sided rule. */
int kern_status(int k_target, int k_opp, int n, kern_frac t, kern_frac o,
                int strict);

/* Rule over n_item items x G groups.  k_target, k_opp (NULL: one-sided), n
 * have length G * n_item, group fastest.  group_status (length G * n_item)
 * and item_status (length n_item) receive status codes. */
void kern_rule(const int *k_target, const int *k_opp, const int *n,
               int64_t n_item, int G, kern_frac t, kern_frac o, int strict,
               int *group_status, int *item_status);

/* Combine the statuses of G groups into one item status. */
int kern_combine(const int *status, int G);

#endif
