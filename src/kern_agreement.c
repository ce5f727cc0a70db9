#include <math.h>
#include <string.h>
#include "kern_agreement.h"

/* Agreement statistics from per-item category counts n_ik (item i, category
 * k, r_i = sum_k n_ik ratings of item i).  Every statistic needs only these
 * counts; the point estimates take one pass over the items, the standard
 * errors a second one (they need the pooled category shares pi_k first).
 *
 *   pairwise agreement of item i   pa_i = sum_k n_ik (n_ik - 1) / (r_i (r_i - 1))
 *   percent agreement              pa   = mean of pa_i over items with r_i >= 2
 *   category shares                pi_k = mean of n_ik / r_i over items with r_i >= 1
 *   Fleiss' kappa                  (pa - pe) / (1 - pe), pe = sum_k pi_k^2
 *   Gwet's AC1                     (pa - pe) / (1 - pe), pe = sum_k pi_k (1 - pi_k) / (K - 1)
 *   Krippendorff's alpha           1 - (n.. - 1) sum_{c<k} o_ck d_ck / sum_{c<k} n_c n_k d_ck
 *     with the coincidences o_ck = sum_u n_uc n_uk / (m_u - 1) (c != k) and
 *     o_cc = sum_u n_uc (n_uc - 1) / (m_u - 1) over units with m_u >= 2,
 *     n_c = sum_k o_ck and n.. = sum_c n_c (the pairable values).
 * With complete data (every r_i equal) pi_k is the pooled share
 * sum_i n_ik / (n r) of Fleiss (1971); with missing ratings it is Gwet's
 * per-subject average (Gwet 2014, as irrCAC).
 *
 * Where the reference implementations part (checked against irr 0.85,
 * irrCAC 1.4 and Krippendorff's 2011 worked example):
 * - irr::kripp.alpha divides a unit's pairs by m_u - 1 only when the data
 *   hold an NA; on complete data with more than two raters it divides by 1,
 *   so its n.. and coincidences are out of scale and alpha is wrong (a unit
 *   with a single value, which adds no pair, changes its result).  Here the
 *   divisor is always m_u - 1, as Krippendorff defines o_ck.
 * - irr::kripp.alpha returns 1 when only one value occurs; alpha is then
 *   0/0 (no expected disagreement) and is NaN here.
 * - irrCAC's "ordinal" weights for alpha are Gwet's rank distances, not
 *   Krippendorff's ordinal metric, which depends on the marginal totals n_g
 *   (0.834 against Krippendorff's 0.815 on his example); irr's ordinal metric
 *   is Krippendorff's and is the one used here.
 * - Fleiss' SE under H0 in irr is the formula of Fleiss, Nee & Landis
 *   (1979), not the variance printed in Fleiss (1971), which they corrected. */

int64_t kern_agreement_items(const int *counts, int K, int64_t n_item,
                             int listwise, int64_t raters, int64_t *idx) {
  int64_t n = 0;
  for (int64_t j = 0; j < n_item; j++) {
    const int *c = counts + j * (int64_t)K;
    int64_t r = 0;
    for (int k = 0; k < K; k++) r += c[k];
    if (r > 0 && (!listwise || r == raters)) idx[n++] = j;
  }
  return n;
}

int64_t kern_agreement_work(int K) {
  return (int64_t)K * K + 3 * (int64_t)K;
}

/* Squared distance between categories c < k (0-based) of Krippendorff's
 * metrics.  The ordinal metric uses the pairable marginal totals n_g,
 * not the category values: d_ck = (n_c / 2 + sum_{c<g<k} n_g + n_k / 2)^2,
 * computed in that order (as irr and Krippendorff 2011 write it).  cum holds
 * the running totals cum[g] = n_0 + ... + n_g. */
static double distance(int metric, int c, int k, const double *nc,
                       const double *cum, const double *values) {
  switch (metric) {
  case KERN_METRIC_ORDINAL: {
    double between = k > c + 1 ? cum[k - 1] - cum[c] : 0.0;
    double s = nc[c] / 2.0 + between + nc[k] / 2.0;
    return s * s;
  }
  case KERN_METRIC_INTERVAL: {
    double d = values[c] - values[k];
    return d * d;
  }
  default:
    return 1.0;
  }
}

void kern_agreement(const int *counts, int K, const int64_t *idx, int64_t n,
                    int metric, const double *values, int listwise,
                    int64_t raters, int want_se, double *work, int *iwork,
                    double *out) {
  double *pi = work, *nc = work + K, *cum = work + 2 * (int64_t)K;
  double *o = work + 3 * (int64_t)K; /* K x K, upper triangle used */
  memset(work, 0, sizeof(double) * (size_t)kern_agreement_work(K));
  for (int s = 0; s < KA_NOUT; s++) out[s] = NAN;

  double n1 = 0, n2 = 0, sum_pa = 0, pairable = 0;
  /* first pass: shares, pairwise agreement, coincidences */
  for (int64_t i = 0; i < n; i++) {
    const int *c = counts + idx[i] * (int64_t)K;
    int nz = 0;
    double r = 0;
    for (int k = 0; k < K; k++) {
      if (c[k] > 0) {
        iwork[nz++] = k;
        r += c[k];
      }
    }
    if (r <= 0) continue;
    n1 += 1;
    for (int t = 0; t < nz; t++) pi[iwork[t]] += c[iwork[t]] / r;
    if (r < 2) continue;
    n2 += 1;
    pairable += r;
    double agree = 0;
    for (int t = 0; t < nz; t++) {
      double a = c[iwork[t]];
      agree += a * (a - 1.0);
    }
    sum_pa += agree / (r * (r - 1.0));
    for (int t = 0; t < nz; t++) {
      int kc = iwork[t];
      double a = c[kc];
      o[(int64_t)kc * K + kc] += a * (a - 1.0) / (r - 1.0);
      for (int u = t + 1; u < nz; u++) {
        int kk = iwork[u];
        o[(int64_t)kc * K + kk] += a * (double)c[kk] / (r - 1.0);
      }
    }
  }
  out[KA_ITEMS] = n1;
  out[KA_ITEMS_PAIRABLE] = n2;
  out[KA_PAIRABLE] = pairable;
  if (n1 <= 0) return;

  double pe_f = 0, pe_g = 0;
  for (int k = 0; k < K; k++) {
    pi[k] /= n1;
    pe_f += pi[k] * pi[k];
    pe_g += pi[k] * (1.0 - pi[k]);
  }
  pe_g /= (K - 1.0);
  out[KA_PE_FLEISS] = pe_f;
  out[KA_PE_AC1] = pe_g;
  if (n2 <= 0) return;

  double pa = sum_pa / n2;
  double fleiss = pe_f < 1.0 ? (pa - pe_f) / (1.0 - pe_f) : NAN;
  double ac1 = (pa - pe_g) / (1.0 - pe_g); /* pe_g <= 1/K < 1 */
  out[KA_PERCENT] = pa;
  out[KA_FLEISS] = fleiss;
  out[KA_AC1] = ac1;

  /* Krippendorff's alpha from the coincidence matrix */
  for (int c = 0; c < K; c++) {
    double s = o[(int64_t)c * K + c];
    for (int k = c + 1; k < K; k++) s += o[(int64_t)c * K + k];
    for (int k = 0; k < c; k++) s += o[(int64_t)k * K + c];
    nc[c] = s;
    cum[c] = (c > 0 ? cum[c - 1] : 0.0) + s;
  }
  double d_o = 0, d_e = 0;
  for (int c = 0; c < K; c++) {
    if (nc[c] == 0) continue;
    for (int k = c + 1; k < K; k++) {
      if (nc[k] == 0) continue;
      double d = distance(metric, c, k, nc, cum, values);
      d_o += o[(int64_t)c * K + k] * d;
      d_e += nc[c] * nc[k] * d;
    }
  }
  out[KA_ALPHA_DO] = d_o;
  out[KA_ALPHA_DE] = d_e;
  if (d_e > 0) out[KA_ALPHA] = 1.0 - (pairable - 1.0) * d_o / d_e;

  if (!want_se || n1 < 2) return;

  /* Fleiss' kappa: SE under H0 with complete data (listwise), or Gwet's
   * linearisation (per item). */
  if (listwise) {
    double spq = 0, s3 = 0, m = (double)raters;
    for (int k = 0; k < K; k++) {
      double q = 1.0 - pi[k];
      spq += pi[k] * q;
      s3 += pi[k] * q * (q - pi[k]);
    }
    if (spq > 0 && m >= 2) {
      double var = 2.0 / (spq * spq * n1 * m * (m - 1.0)) * (spq * spq - s3);
      out[KA_FLEISS_SE] = sqrt(var);
    }
  }
  /* second pass: per-item terms of Gwet's variance (Gwet 2014, ch. 5;
   * irrCAC's fleiss.kappa.raw and gwet.ac1.raw):
   *   x_i = (n1 / n2) (pa_i - pe [r_i >= 2]) / (1 - pe)
   *         - 2 (1 - est) (pe_i - pe) / (1 - pe)
   *   var = sum_i (x_i - est)^2 / (n1 (n1 - 1))
   * with pe_i = sum_k n_ik pi_k / r_i (Fleiss) or
   * sum_k n_ik (1 - pi_k) / (r_i (K - 1)) (AC1). */
  int do_fleiss = !listwise && pe_f < 1.0;
  double ss_f = 0, ss_g = 0, scale = n1 / n2;
  for (int64_t i = 0; i < n; i++) {
    const int *c = counts + idx[i] * (int64_t)K;
    double r = 0, agree = 0, pf = 0, pg = 0;
    for (int k = 0; k < K; k++) {
      if (c[k] <= 0) continue;
      double a = c[k];
      r += a;
      agree += a * (a - 1.0);
      pf += a * pi[k];
      pg += a * (1.0 - pi[k]);
    }
    if (r <= 0) continue;
    double pa_i = r >= 2 ? agree / (r * (r - 1.0)) : 0.0;
    double ind = r >= 2 ? 1.0 : 0.0;
    pf /= r;
    pg /= r * (K - 1.0);
    if (do_fleiss) {
      double x = scale * (pa_i - pe_f * ind) / (1.0 - pe_f) -
                 2.0 * (1.0 - fleiss) * (pf - pe_f) / (1.0 - pe_f);
      ss_f += (x - fleiss) * (x - fleiss);
    }
    double x = scale * (pa_i - pe_g * ind) / (1.0 - pe_g) -
               2.0 * (1.0 - ac1) * (pg - pe_g) / (1.0 - pe_g);
    ss_g += (x - ac1) * (x - ac1);
  }
  if (do_fleiss) out[KA_FLEISS_SE] = sqrt(ss_f / (n1 * (n1 - 1.0)));
  out[KA_AC1_SE] = sqrt(ss_g / (n1 * (n1 - 1.0)));
}
