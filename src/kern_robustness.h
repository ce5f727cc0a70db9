/* Kernels of the robustness analyses (jackknife and bootstrap of the
 * respondents): plain C over pointers, no R headers.  The .Call wrappers
 * are in robustness.c. */
#ifndef CONSENSR_KERN_ROBUSTNESS_H
#define CONSENSR_KERN_ROBUSTNESS_H

#include "kern_rule.h"

/* A rating's class under a rule: what it adds to an item's counts. */
enum {
  KERN_CLASS_NA = 0,     /* not rated: adds nothing */
  KERN_CLASS_OTHER = 1,  /* rated, neither target nor opposite: n */
  KERN_CLASS_TARGET = 2, /* rated a target level: n and k_target */
  KERN_CLASS_OPP = 3     /* rated an opposite level: n and k_opp */
};

/* Bootstrap counters pack (n, k_target, k_opp) of one item and group into
 * one 64-bit word, 21 bits each, so that adding a respondent's row is one
 * addition per item.  Counts are at most the group's size. */
#define KERN_BOOT_BITS 21
#define KERN_BOOT_MAX_N ((1 << KERN_BOOT_BITS) - 1)

/* Index + 1 of the first class outside 0..3, or 0 when all are valid. */
int64_t kern_check_classes(const uint8_t *cls, int64_t len);

/* Tallies of a class matrix (n_resp x n_item, column-major) per group and
 * item, group fastest: k_target, k_opp and n each hold G * n_item ints.
 * group: n_resp codes 1..G (already checked), or NULL (one group). */
void kern_class_tally(const uint8_t *cls, int64_t n_resp, int64_t n_item,
                      const int *group, int G, int *k_target, int *k_opp,
                      int *n);

/* Leave-one-respondent-out item statuses.
 * cls: n_resp x n_item, column-major; group as in kern_class_tally.
 * k_target, k_opp, n, group_status: the full panel's tallies and group
 * statuses (G * n_item, group fastest); item_status: its item statuses.
 * two_sided: 0 for a one-sided rule (k_opp is then ignored).
 * scratch: G ints.  out: n_resp x n_item (column-major) item statuses of
 * the panel without respondent i; for an item i did not rate that is the
 * full panel's status, otherwise only i's group changes: its counts lose
 * i's rating. */
void kern_jackknife(const uint8_t *cls, int64_t n_resp, int64_t n_item,
                    const int *group, int G, const int *k_target,
                    const int *k_opp, const int *n, const int *group_status,
                    const int *item_status, int two_sided, kern_frac t,
                    kern_frac o, int strict, int *scratch, int *out);

/* One bootstrap replicate.
 * cls_rm: the classes respondent-major (n_item fastest: row i starts at
 * i * n_item).  weight: how often each respondent was drawn.  group: as in
 * kern_class_tally.  acc: G * n_item packed counters (item fastest within a
 * group), zeroed here.  scratch: G ints.
 * prop receives the pooled target share of each item (na_value when no
 * drawn respondent rated it) and status_count (n_item x 5, item fastest)
 * is incremented at [item, status]. */
void kern_boot_replicate(const uint8_t *cls_rm, int64_t n_resp,
                         int64_t n_item, const int *group, int G,
                         const int *weight, uint64_t *acc, int two_sided,
                         kern_frac t, kern_frac o, int strict, int *scratch,
                         double na_value, double *prop, int *status_count);

#endif
