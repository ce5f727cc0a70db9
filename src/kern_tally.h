/* Tallying kernel (kern_tally.c).
 * Plain C, no R headers (see kernels.h). */
#ifndef CONSENSR_KERN_TALLY_H
#define CONSENSR_KERN_TALLY_H

#include "kern_common.h"

/* Tally integer-coded ratings.
 * codes: n_resp x n_item, column-major, values 1..K or KERN_NA_INT.
 * group: NULL, or n_resp values in 1..G (R's factor codes).
 * out:   K * G * n_item counters, laid out [level, group, item]; zeroed here.
 * Returns 0; 1 + i when code i (0-based) is invalid; -(1 + i) when group i is. */
int64_t kern_tally(const int *codes, int64_t n_resp, int64_t n_item,
                   const int *group, int G, int K, int *out);

#endif
