/* Computational kernels of consensr: plain C over pointers and lengths.
 * No R headers here, so that the kernels can be driven by a fuzzer or a
 * sanitizer harness on their own.  The .Call wrappers (ffi_*) live in the
 * files without the kern_ prefix. */
#ifndef CONSENSR_KERNELS_H
#define CONSENSR_KERNELS_H

/* One header per family; this one includes them all. */
#include "kern_common.h"
#include "kern_tally.h"
#include "kern_fraction.h"
#include "kern_rule.h"
#include "kern_sensitivity.h"

#endif
