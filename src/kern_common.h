/* Types and status codes shared by the kernels of consensr.
 * Plain C, no R headers (see kernels.h). */
#ifndef CONSENSR_KERN_COMMON_H
#define CONSENSR_KERN_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>

/* R's NA_INTEGER, restated so that kernels need no R header. */
#define KERN_NA_INT INT_MIN

/* Status codes shared by the rule and sweep kernels. */
enum {
  KERN_UNDEF_IN = 0,  /* undecidable (some group, or the item, unrated); "in" still possible */
  KERN_IN = 1,        /* consensus in */
  KERN_OUT = 2,       /* consensus out (two-sided rules only) */
  KERN_NONE = 3,      /* no consensus */
  KERN_UNDEF_OUT = 4  /* undecidable, but "in" is already impossible */
};

typedef struct {
  int64_t num;
  int64_t den;
} kern_frac;

#endif
