/* A reader over libFuzzer's input bytes, shared by the fuzz targets: each
 * take_*() consumes bytes from the front and returns 0 when the input is
 * exhausted, so that every input decodes to some case. */
#ifndef CONSENSR_FUZZ_INPUT_H
#define CONSENSR_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const uint8_t *p;
  size_t left;
} fuzz_in;

static inline uint64_t take_bytes(fuzz_in *in, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n && in->left > 0; i++) {
    v |= (uint64_t)in->p[0] << (8 * i);
    in->p++;
    in->left--;
  }
  return v;
}

static inline uint8_t take_u8(fuzz_in *in) { return (uint8_t)take_bytes(in, 1); }
static inline uint32_t take_u32(fuzz_in *in) { return (uint32_t)take_bytes(in, 4); }

/* A value in [lo, hi] (hi - lo < 2^32). */
static inline int64_t take_range(fuzz_in *in, int64_t lo, int64_t hi) {
  uint64_t span = (uint64_t)(hi - lo) + 1;
  uint64_t v = span <= 256 ? take_u8(in) : take_u32(in);
  return lo + (int64_t)(v % span);
}

static inline double take_double(fuzz_in *in) {
  uint64_t bits = take_bytes(in, 8);
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* A heap block of exactly n elements (at least one byte is allocated so
 * that a zero-length block is still a distinct pointer that ASan guards). */
static inline void *fuzz_alloc(size_t n, size_t size) {
  void *p = malloc(n * size > 0 ? n * size : 1);
  if (p == NULL) abort();
  return p;
}

#define FUZZ_CHECK(cond, ...)                                  \
  do {                                                         \
    if (!(cond)) {                                             \
      fprintf(stderr, "fuzz check failed: %s\n  ", #cond);     \
      fprintf(stderr, __VA_ARGS__);                            \
      fprintf(stderr, "\n");                                   \
      abort();                                                 \
    }                                                          \
  } while (0)

#endif
