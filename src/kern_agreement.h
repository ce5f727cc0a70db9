/* Agreement statistics over an item x category count table: plain C over
 * pointers and lengths, no R headers (see kernels.h for the conventions). */
#ifndef CONSENSR_KERN_AGREEMENT_H
#define CONSENSR_KERN_AGREEMENT_H

#include <stdint.h>

/* Distance metrics of Krippendorff's alpha. */
enum {
  KERN_METRIC_NOMINAL = 0,
  KERN_METRIC_ORDINAL = 1,
  KERN_METRIC_INTERVAL = 2
};

/* Layout of the result vector filled by kern_agreement(). */
enum {
  KA_PERCENT = 0,    /* mean pairwise agreement over items with >= 2 ratings */
  KA_FLEISS,         /* Fleiss' kappa */
  KA_FLEISS_SE,      /* its standard error (see kern_agreement) */
  KA_AC1,            /* Gwet's AC1 */
  KA_AC1_SE,         /* its standard error (Gwet 2014; irrCAC) */
  KA_ALPHA,          /* Krippendorff's alpha */
  KA_ITEMS,          /* items used (>= 1 rating) */
  KA_ITEMS_PAIRABLE, /* items with >= 2 ratings */
  KA_PE_FLEISS,      /* chance agreement of Fleiss' kappa */
  KA_PE_AC1,         /* chance agreement of AC1 */
  KA_ALPHA_DO,       /* sum_{c<k} o_ck delta_ck */
  KA_ALPHA_DE,       /* sum_{c<k} n_c n_k delta_ck */
  KA_PAIRABLE,       /* pairable values n.. (sum of m_u over items with m_u >= 2) */
  KA_NOUT
};

/* Items eligible for the statistics: per item (listwise == 0) every item
 * with at least one rating; listwise every item with exactly `raters`
 * ratings.  counts is K x n_item (item-major: item j at counts + j * K).
 * Writes the 0-based indices to idx and returns how many there are. */
int64_t kern_agreement_items(const int *counts, int K, int64_t n_item,
                             int listwise, int64_t raters, int64_t *idx);

/* Doubles of scratch space kern_agreement() needs for K categories. */
int64_t kern_agreement_work(int K);

/* The statistics over the n items counts + idx[i] * K (an item may repeat,
 * as in a bootstrap resample).
 * metric: KERN_METRIC_*; values: K category values for the interval metric
 * (may be NULL otherwise).
 * listwise: Fleiss' SE is then the large-sample SE under H0: kappa = 0 of
 * Fleiss, Nee & Landis (1979) with `raters` raters per item (as irr);
 * otherwise Gwet's linearisation with each item's own rater count (as
 * irrCAC).  want_se: 0 skips the second pass (both SEs are NaN).
 * work: kern_agreement_work(K) doubles; iwork: K ints.
 * out: KA_NOUT doubles; undefined values are NaN. */
void kern_agreement(const int *counts, int K, const int64_t *idx, int64_t n,
                    int metric, const double *values, int listwise,
                    int64_t raters, int want_se, double *work, int *iwork,
                    double *out);

#endif
