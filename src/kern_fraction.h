/* Exact fractions: reading a threshold, comparing k/n with it (kern_fraction.c).
 * Plain C, no R headers (see kernels.h). */
#ifndef CONSENSR_KERN_FRACTION_H
#define CONSENSR_KERN_FRACTION_H

#include "kern_common.h"

/* The simplest fraction p/q (smallest q) within tol of x, for 0 < x <= 1.
 * Returns 0 on success, 1 if none with q < 2^31 exists. */
int kern_fraction(double x, double tol, kern_frac *res);

/* k/n >= t (or > t when strict), exactly; needs 0 <= k, n < 2^31, den < 2^31. */
int kern_reaches(int k, int n, kern_frac t, int strict);

/* 1 when reading x as f changes which k/n with n <= nmax reach it (a k/n
 * other than f lies between x and f); *nb gets the closest such fraction. */
int kern_snap_changes(double x, kern_frac f, int64_t nmax, kern_frac *nb);

#endif
