/* Kernels of ordinal_consensus(): per-item ordinal consensus and dispersion
 * from the counts per level.  Plain C, no R headers (see kernels.h). */
#ifndef CONSENSR_KERN_ORDINAL_H
#define CONSENSR_KERN_ORDINAL_H

#include <stdint.h>

/* Tastle & Wierman's consensus of counts v[0..K-1] (n = their sum > 0). */
double kern_tastle(const int *v, int K);

/* Leik's ordinal dispersion D (n > 0, K >= 2). */
double kern_leik(const int *v, int K);

/* van der Eijk's agreement A (n > 0, K >= 3); r: K ints of scratch. */
double kern_eijk(const int *v, int K, int64_t *r);

#endif
