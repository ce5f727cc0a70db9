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

/* Does reading x as f change which k/n (n <= nmax) reach the threshold?
 * True when a fraction c/d with d <= nmax, other than f, lies in the closed
 * interval between x and f.  The fraction of F_nmax next to f on x's side is
 * found by the extended Euclid (q * c - p * d = +-1, d largest <= nmax); it
 * lies in the interval when 1 / (q * d) <= |x - f| <=> d * |x * q - p| >= 1.
 * x * q - p is one fma (a single rounding); the last product is in long
 * double, with a margin of one ulp of x for x that is the neighbour rounded.
 * Writes the neighbour to *nb.  Needs 0 < p <= q < 2^31. */
int kern_snap_changes(double x, kern_frac f, int64_t nmax, kern_frac *nb) {
  int64_t p = f.num, q = f.den;
  /* the contract: 0 < x <= 1, 0 < p <= q < 2^31, 1 <= nmax < 2^31 */
  if (!(x > 0 && x <= 1) || p < 1 || q < p || q > 2147483647 || nmax < 1 ||
      nmax > 2147483647) {
    return 0;
  }
  double diff = fma(x, (double)q, -(double)p);
  if (diff == 0 || q > nmax) return 0;
  int side = diff < 0 ? -1 : 1; /* -1: x below f */
  if (side > 0 && p == q) return 0; /* nothing above 1 */
  /* d0 with p * d0 = -side (mod q): left neighbour p*d - q*c = 1 */
  int64_t r0 = q, r1 = p % q, t0 = 0, t1 = 1;
  while (r1 != 0) {
    int64_t qq = r0 / r1, tmp;
    tmp = r0 - qq * r1; r0 = r1; r1 = tmp;
    tmp = t0 - qq * t1; t0 = t1; t1 = tmp;
  }
  /* r0 == gcd == 1 for reduced f (or q == 1); t0 = p^-1 mod q */
  int64_t inv = q == 1 ? 0 : ((t0 % q) + q) % q;
  int64_t d0 = side < 0 ? inv : (q - inv) % q;
  int64_t d = d0 + q * ((nmax - d0) / q);
  if (d <= 0) return 0;
  /* c from p * d - q * c = 1 (left) or q * c - p * d = 1 (right) */
  int64_t pd = p * d; /* both < 2^31 */
  int64_t c = (int64_t)(side < 0 ? (pd - 1) / q : (pd + 1) / q);
  nb->num = c;
  nb->den = d;
  long double lhs = (long double)d * fabsl((long double)diff);
  /* x can be the neighbour itself rounded to a double ((M-1)/M is 1 - 1/M
   * up to one ulp of x): the neighbour counts as between when it is within
   * one ulp of x, |x - f| >= 1 / (q d) - ulp <=> lhs >= 1 - q d ulp */
  long double ulp = (long double)ldexp(1.0, ilogb(x) - 52);
  return lhs >= 1.0L - (long double)q * (long double)d * ulp;
}
