/* libFuzzer target for kern_fraction (src/kern_fraction.c): any bit pattern of
 * x and tol (NaN, infinities, subnormals, negative numbers).  On success
 * the fraction must be in lowest-denominator form within tol of x: 0 < num
 * <= den < 2^31, |x - num/den| <= tol (up to rounding), and no fraction
 * with a smaller denominator (checked by brute force for small ones) lies
 * clearly inside the interval. */
#include <math.h>
#include "fuzz_input.h"
#include "kernels.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  double x, tol;
  uint8_t mode = take_u8(&in);
  if (mode % 3 == 0) {
    /* the shapes R passes: a proportion and tol = 1e-9 */
    x = (double)take_u32(&in) / 4294967295.0;
    tol = (mode & 8) ? 1e-9 : (double)take_u8(&in) / 1024.0;
  } else if (mode % 3 == 1) {
    /* k / n as a double, as users type thresholds */
    uint32_t n = take_u32(&in) % 100000 + 1;
    uint32_t k = take_u32(&in) % (n + 1);
    x = (double)k / n;
    tol = 1e-9;
  } else {
    x = take_double(&in);
    tol = take_double(&in);
  }
  /* kern_snap_changes on any x (NaN, 0, subnormal, > 1) and any pair */
  {
    kern_frac g = {(int64_t)take_u32(&in), (int64_t)take_u32(&in)}, nb = {0, 0};
    int any = kern_snap_changes(x, g, (int64_t)take_u32(&in), &nb);
    FUZZ_CHECK(any == 0 || any == 1, "snap %d", any);
  }
  kern_frac f = {-1, -1};
  int rc = kern_fraction(x, tol, &f);
  FUZZ_CHECK(rc == 0 || rc == 1, "rc = %d", rc);
  if (rc != 0) return 0;
  FUZZ_CHECK(x > 0 && x <= 1 && tol >= 0, "success for x = %.17g, tol = %.17g", x, tol);
  FUZZ_CHECK(f.num >= 1 && f.num <= f.den && f.den < 2147483648LL,
             "x = %.17g tol = %.17g gave %lld/%lld", x, tol, (long long)f.num,
             (long long)f.den);
  long double err = fabsl((long double)f.num / f.den - x);
  FUZZ_CHECK(err <= tol * (1 + 1e-6) + 1e-15L, "x = %.17g tol = %.17g gave %lld/%lld (error %Lg)",
             x, tol, (long long)f.num, (long long)f.den, err);
  /* minimality, for small denominators */
  if (f.den <= 3000 && tol > 1e-12) {
    for (int64_t q = 1; q < f.den; q++) {
      int64_t p = (int64_t)llroundl((long double)x * q);
      if (p < 1 || p > q) continue;
      long double e = fabsl((long double)p / q - x);
      FUZZ_CHECK(!(e < tol * (1 - 1e-6)),
                 "x = %.17g tol = %.17g gave %lld/%lld but %lld/%lld is closer than tol",
                 x, tol, (long long)f.num, (long long)f.den, (long long)p, (long long)q);
    }
  }
  /* kern_snap_changes with a small nmax, against a brute force over every
   * c/d (d <= nmax): x * d is exact in long double for d < 2^11 */
  if (f.den <= 1000) {
    int64_t nmax = 1 + (int64_t)(take_u32(&in) % 2000);
    kern_frac nb = {0, 0};
    int got = kern_snap_changes(x, f, nmax, &nb);
    int want = 0;
    long double xl = (long double)x;
    for (int64_t d = 1; d <= nmax && !want; d++) {
      long double xd = xl * d;
      int64_t lo, hi;
      if (xl < (long double)f.num / f.den) {
        lo = (int64_t)ceill(xd);
        hi = (f.num * d) / f.den;
      } else {
        lo = (f.num * d + f.den - 1) / f.den;
        hi = (int64_t)floorl(xd);
      }
      for (int64_t c = lo; c <= hi; c++) {
        if (c >= 1 && c * f.den != f.num * d) { want = 1; break; }
      }
    }
    if (got != want) {
      /* the kernel counts a neighbour within one ulp of x as between */
      long double gap = fabsl((long double)nb.num / nb.den - xl);
      FUZZ_CHECK(got == 1 && gap <= 2 * ldexp(1.0, ilogb(x) - 52),
                 "snap x = %.17g as %lld/%lld (nmax %lld): kernel %d, brute force %d",
                 x, (long long)f.num, (long long)f.den, (long long)nmax, got, want);
    }
    if (got) {
      FUZZ_CHECK(nb.den >= 1 && nb.den <= nmax && nb.num >= 0 &&
                 (nb.num * f.den - f.num * nb.den == 1 || f.num * nb.den - nb.num * f.den == 1),
                 "neighbour %lld/%lld of %lld/%lld", (long long)nb.num, (long long)nb.den,
                 (long long)f.num, (long long)f.den);
    }
  }
  return 0;
}
