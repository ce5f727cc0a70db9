/* Computational kernels of consensr: plain C over pointers and lengths.
 * No R headers here, so that the kernels can be driven by a fuzzer or a
 * sanitizer harness on their own.  The .Call wrappers (ffi_*) live in the
 * files without the kern_ prefix. */
#ifndef CONSENSR_KERNELS_H
#define CONSENSR_KERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>

/* R's NA_INTEGER, restated so that kernels need no R header. */
#define KERN_NA_INT INT_MIN

/* Status codes shared by the rule and sweep kernels. */
enum {
  KERN_UNDEF_IN = 0,  /* undecidable (some group, or the item, unrated); "in" still possible */
  KERN_IN = 1,        /* consensus in */
  KERN_OUT = 2,       /* consensus out (two-sided rules only) */
  KERN_NONE = 3,      /* no consensus */
  KERN_UNDEF_OUT = 4  /* undecidable, but "in" is already impossible */
};

typedef struct {
  int64_t num;
  int64_t den;
} kern_frac;

/* Tally integer-coded ratings.
 * codes: n_resp x n_item, column-major, values 1..K or KERN_NA_INT.
 * group: NULL, or n_resp values in 1..G (R's factor codes).
 * out:   K * G * n_item counters, laid out [level, group, item]; zeroed here.
 * Returns 0; 1 + i when code i (0-based) is invalid; -(1 + i) when group i is. */
int64_t kern_tally(const int *codes, int64_t n_resp, int64_t n_item,
                   const int *group, int G, int K, int *out);

/* The simplest fraction p/q (smallest q) within tol of x, for 0 < x <= 1.
 * Returns 0 on success, 1 if none with q < 2^31 exists. */
int kern_fraction(double x, double tol, kern_frac *res);

/* k/n >= t (or > t when strict), exactly; needs 0 <= k, n < 2^31, den < 2^31. */
int kern_reaches(int k, int n, kern_frac t, int strict);

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

/* kern_rule for each of n_t thresholds: out is n_item x n_t (item fastest);
 * scratch holds G * n_item ints. */
void kern_sweep(const int *k_target, const int *k_opp, const int *n,
                int64_t n_item, int G, const kern_frac *t, int64_t n_t,
                kern_frac o, int strict, int *scratch, int *out);

/* Combine the statuses of G groups into one item status. */
int kern_combine(const int *status, int G);

#endif
