/* Kernels of the content-validity family (content_validity(), lawshe_cvr(),
 * aiken_v()): exact binomial arithmetic in fixed-width big integers, and the
 * null distribution of Aiken's S.  Plain C over pointers and lengths: no R
 * headers (see kernels.h). */
#ifndef CONSENSR_KERN_VALIDITY_H
#define CONSENSR_KERN_VALIDITY_H

#include <stdint.h>

/* Limbs (32-bit) needed for the numbers the kernels below form for a panel
 * of n: at most 2^n times two factors below 2^31 each, plus a sum. */
int64_t kern_big_limbs(int64_t n);

/* The smallest k in 0..n with den * sum_{j >= k} C(n, j) <= num * 2^n, i.e.
 * P(X >= k) <= num/den for X ~ Binomial(n, 1/2); -1 when even k = n fails.
 * scratch holds 4 * kern_big_limbs(n) limbs. */
int64_t kern_binom_critical(int64_t n, int64_t num, int64_t den, uint32_t *scratch);

/* Sign of k* - p/q for the modified kappa of a agreeing out of n (n >= 1):
 * k* = (a/n - Pc) / (1 - Pc), Pc = C(n, a) / 2^n.  Compares
 * q a 2^n + p n C(n, a) with p n 2^n + q n C(n, a) exactly.
 * scratch holds 4 * kern_big_limbs(n) limbs.  Returns -1, 0 or 1. */
int kern_kappa_cmp(int64_t n, int64_t a, int64_t p, int64_t q, uint32_t *scratch);

/* The null distribution of S = sum of n ratings, each uniform on 0..k:
 * dist[s] = P(S = s), s = 0..n*k; tmp holds n*k + 1 doubles. */
void kern_aiken_dist(int64_t n, int64_t k, double *dist, double *tmp);

/* One step of kern_aiken_dist: from r - 1 ratings to r (dist zeroed beyond
 * (r-1)k is not needed: only 0..(r-1)k is read). */
void kern_aiken_step(int64_t r, int64_t k, double *dist, double *tmp);

#endif
