#include <math.h>
#include "kernels.h"

/* The simplest fraction in the closed interval [lo, hi], 0 <= lo <= hi,
 * by the continued-fraction descent (the first point of the Stern-Brocot
 * tree inside the interval).  Works in long double; the interval is wide
 * (2 * tol) compared with the rounding error of the descent. */
static int simplest_in(long double lo, long double hi, kern_frac *res) {
  /* convergent recurrences: p = a * p1 + p0, q = a * q1 + q0 */
  long double p0 = 0, q0 = 1, p1 = 1, q1 = 0;
  for (int depth = 0; depth < 64; depth++) {
    long double a = floorl(lo);
    long double a_end;
    int done = 0;
    if (a == lo) {
      a_end = a;
      done = 1;
    } else if (floorl(hi) > a) {
      a_end = a + 1;
      done = 1;
    } else {
      a_end = a;
    }
    long double p = a_end * p1 + p0, q = a_end * q1 + q0;
    if (q >= 2147483648.0L || p >= 2147483648.0L) return 1;
    if (done) {
      res->num = (int64_t)p;
      res->den = (int64_t)q;
      return 0;
    }
    p0 = p1;
    q0 = q1;
    p1 = p;
    q1 = q;
    long double nlo = 1.0L / (hi - a), nhi = 1.0L / (lo - a);
    lo = nlo;
    hi = nhi;
  }
  return 1;
}

int kern_fraction(double x, double tol, kern_frac *res) {
  if (!(x > 0 && x <= 1) || !(tol >= 0)) return 1;
  long double lo = (long double)x - tol, hi = (long double)x + tol;
  if (lo < 0) lo = 0;
  if (hi > 1) hi = 1;
  if (x == 1) {
    res->num = 1;
    res->den = 1;
    return 0;
  }
  if (simplest_in(lo, hi, res) != 0 || res->num <= 0) return 1;
  return 0;
}

int kern_reaches(int k, int n, kern_frac t, int strict) {
  /* k, n < 2^31 and num, den < 2^31: both products are below 2^62. */
  int64_t lhs = (int64_t)k * t.den, rhs = t.num * (int64_t)n;
  return strict ? lhs > rhs : lhs >= rhs;
}

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

void kern_sweep(const int *k_target, const int *k_opp, const int *n,
                int64_t n_item, int G, const kern_frac *t, int64_t n_t,
                kern_frac o, int strict, int *scratch, int *out) {
  for (int64_t s = 0; s < n_t; s++) {
    kern_rule(k_target, k_opp, n, n_item, G, t[s], o, strict, scratch,
              out + s * n_item);
  }
}
