/* libFuzzer target for the ordinal-consensus kernels (src/kern_ordinal.c):
 * kern_tastle, kern_leik, kern_eijk on counts up to 2^20 per level, 2 to
 * 12 levels.  Checks the documented ranges: Tastle's consensus and Leik's
 * D in [0, 1], van der Eijk's A in [-1, 1]; all on one level is full
 * consensus (1, 0, 1). */
#include <math.h>
#include "fuzz_input.h"
#include "kernels.h"
#include "kern_ordinal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_in in = {data, size};
  int K = (int)take_range(&in, 2, 12);
  int v[12];
  int64_t n = 0;
  uint8_t shape = take_u8(&in);
  for (int k = 0; k < K; k++) {
    v[k] = (shape & 1) ? (int)take_range(&in, 0, 1 << 20) : (int)take_range(&in, 0, 5);
    n += v[k];
  }
  if (shape & 2) {
    /* all on one level */
    int at = (int)take_range(&in, 0, K - 1);
    for (int k = 0; k < K; k++) v[k] = k == at ? 1 + (int)take_range(&in, 0, 1000) : 0;
    n = 1;
  }
  if (n == 0) v[0] = 1;
  double t = kern_tastle(v, K);
  double d = kern_leik(v, K);
  FUZZ_CHECK(t >= -1e-12 && t <= 1 + 1e-12, "tastle %g", t);
  FUZZ_CHECK(d >= -1e-12 && d <= 1 + 1e-12, "leik %g", d);
  double a = NAN;
  if (K >= 3) {
    int64_t r[12];
    a = kern_eijk(v, K, r);
    FUZZ_CHECK(a >= -1 - 1e-12 && a <= 1 + 1e-12, "eijk %g", a);
  }
  if (shape & 2) {
    FUZZ_CHECK(fabs(t - 1) < 1e-12 && fabs(d) < 1e-12, "one level: tastle %g, leik %g", t, d);
    if (K >= 3) FUZZ_CHECK(fabs(a - 1) < 1e-12, "one level: eijk %g", a);
  }
  return 0;
}
