#include <math.h>
#include "kern_ordinal.h"

double kern_tastle(const int *v, int K) {
  double n = 0.0, s = 0.0;
  int top = 0;
  for (int i = 0; i < K; i++) {
    n += v[i];
    s += (double)v[i] * (i + 1);
    if (v[i] > top) top = v[i];
  }
  if ((double)top == n) return 1.0;  /* unanimous */
  double mu = s / n, dx = (double)(K - 1), cns = 1.0;
  for (int i = 0; i < K; i++) {
    if (v[i] == 0) continue;
    cns += (v[i] / n) * log2(1.0 - fabs((i + 1) - mu) / dx);
  }
  return cns;
}

double kern_leik(const int *v, int K) {
  int64_t n = 0, cum = 0;
  for (int i = 0; i < K; i++) n += v[i];
  double sum = 0.0;
  for (int i = 0; i < K; i++) {
    cum += v[i];
    /* R_i <= 1/2 decided in integers */
    sum += 2 * cum <= n ? (double)cum / n : 1.0 - (double)cum / n;
  }
  return sum / (0.5 * (K - 1));
}

/* Agreement of a pattern of 0/1 (van der Eijk 2001, eq. 4): U from the
 * triples of categories, A = U (1 - (S - 1) / (K - 1)). */
static double pattern_agreement(const int64_t *r, int K) {
  int64_t tdu = 0, tu = 0, S = 0;
  for (int i = 0; i < K; i++) S += r[i] > 0;
  if (S == 1) return 1.0;
  for (int i = 0; i < K - 2; i++) {
    for (int j = i + 1; j < K - 1; j++) {
      for (int m = j + 1; m < K; m++) {
        int a = r[i] > 0, b = r[j] > 0, c = r[m] > 0;
        if (a && !b && c) tdu++;
        if (a && b && !c) tu++;
        if (!a && b && c) tu++;
      }
    }
  }
  if (tu + tdu == 0) return 0.0;
  double U = ((double)(K - 2) * tu - (double)(K - 1) * tdu) /
             ((double)(K - 2) * (tu + tdu));
  return U * (1.0 - (double)(S - 1) / (K - 1));
}

double kern_eijk(const int *v, int K, int64_t *r) {
  int64_t n = 0;
  for (int i = 0; i < K; i++) {
    r[i] = v[i];
    n += v[i];
  }
  double total = 0.0;
  for (int layer = 0; layer < K; layer++) {
    int64_t m = 0;
    for (int i = 0; i < K; i++) {
      if (r[i] > 0 && (m == 0 || r[i] < m)) m = r[i];
    }
    if (m == 0) break;
    int64_t width = 0;
    for (int i = 0; i < K; i++) width += r[i] > 0;
    double A = pattern_agreement(r, K);
    total += (double)(width * m) / n * A;
    for (int i = 0; i < K; i++) {
      if (r[i] > 0) r[i] -= m;
    }
  }
  return total;
}
