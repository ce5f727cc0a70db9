#include <math.h>
#include "kern_fraction.h"

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
