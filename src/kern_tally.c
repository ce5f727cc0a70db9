#include <string.h>
#include "kern_tally.h"

#if defined(__SSE2__)
#include <emmintrin.h>
/* Scales of up to this many levels are counted by vector compares. */
#define TALLY_SIMD_MAX 12
#else
#define TALLY_SIMD_MAX 0
#endif

#if defined(__GNUC__)
#define TALLY_INLINE static inline __attribute__((always_inline))
#else
#define TALLY_INLINE static inline
#endif

#define SLOT(c) ((((unsigned)(c)) - 1u) < K ? (unsigned)(c) : 0u)
#define BAD(c) (((((unsigned)(c)) - 1u) >= K) & ((c) != KERN_NA_INT))

/* Index of the first invalid code of a column (neither NA nor 1..K). */
static int64_t first_bad_code(const int *x, int64_t n, unsigned K) {
  for (int64_t i = 0; i < n; i++) {
    if (BAD(x[i])) return i;
  }
  return -1;
}

/* One column without groups: four sub-histograms indexed by code (0 = NA),
 * filled branch-free, so that consecutive equal codes do not serialise on
 * one counter.  Invalid codes are mapped to slot 0 and flagged in the
 * return value. */
static int tally_column_hist(const int *x, int64_t n, unsigned K, uint32_t *h) {
  const unsigned stride = K + 1;
  uint32_t *h0 = h, *h1 = h + stride, *h2 = h + 2 * stride, *h3 = h + 3 * stride;
  int bad = 0;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    int c0 = x[i], c1 = x[i + 1], c2 = x[i + 2], c3 = x[i + 3];
    h0[SLOT(c0)]++;
    h1[SLOT(c1)]++;
    h2[SLOT(c2)]++;
    h3[SLOT(c3)]++;
    bad |= BAD(c0) | BAD(c1) | BAD(c2) | BAD(c3);
  }
  for (; i < n; i++) {
    h0[SLOT(x[i])]++;
    bad |= BAD(x[i]);
  }
  return bad;
}

#if TALLY_SIMD_MAX > 0
/* Short scales: for each block of 8 codes, one vector compare per level
 * (and one for NA) adds the matches to per-lane counters; no table, no
 * branch, no store.  cnt[0] receives the NAs, cnt[k] the code k.  Returns
 * nonzero when some code is neither (the counts then miss it).  Lane
 * counters are flushed every 2^24 cells, far below 2^31. */
TALLY_INLINE int tally_column_simd(const int *x, int64_t n, const int K,
                                   int64_t *cnt) {
  __m128i acc[TALLY_SIMD_MAX + 1];
  for (int k = 0; k <= K; k++) cnt[k] = 0;
  int64_t i = 0;
  while (i + 8 <= n) {
    int64_t end = n - i > ((int64_t)1 << 24) ? i + ((int64_t)1 << 24) : n;
    for (int k = 0; k <= K; k++) acc[k] = _mm_setzero_si128();
    for (; i + 8 <= end; i += 8) {
      __m128i v0 = _mm_loadu_si128((const __m128i *)(x + i));
      __m128i v1 = _mm_loadu_si128((const __m128i *)(x + i + 4));
      __m128i na = _mm_set1_epi32(KERN_NA_INT);
      acc[0] = _mm_sub_epi32(acc[0], _mm_cmpeq_epi32(v0, na));
      acc[0] = _mm_sub_epi32(acc[0], _mm_cmpeq_epi32(v1, na));
      for (int k = 1; k <= K; k++) {
        __m128i kv = _mm_set1_epi32(k);
        acc[k] = _mm_sub_epi32(acc[k], _mm_cmpeq_epi32(v0, kv));
        acc[k] = _mm_sub_epi32(acc[k], _mm_cmpeq_epi32(v1, kv));
      }
    }
    for (int k = 0; k <= K; k++) {
      uint32_t lane[4];
      _mm_storeu_si128((__m128i *)lane, acc[k]);
      cnt[k] += (int64_t)lane[0] + lane[1] + lane[2] + lane[3];
    }
  }
  for (; i < n; i++) {
    int c = x[i];
    if (c == KERN_NA_INT) {
      cnt[0]++;
    } else if ((unsigned)c - 1u < (unsigned)K) {
      cnt[c]++;
    }
  }
  int64_t seen = 0;
  for (int k = 0; k <= K; k++) seen += cnt[k];
  return seen != n;
}

/* The vector count with K a constant, so that the level loop unrolls and
 * the counters stay in registers. */
static int tally_column_short(const int *x, int64_t n, int K, int64_t *cnt) {
  switch (K) {
  case 1: return tally_column_simd(x, n, 1, cnt);
  case 2: return tally_column_simd(x, n, 2, cnt);
  case 3: return tally_column_simd(x, n, 3, cnt);
  case 4: return tally_column_simd(x, n, 4, cnt);
  case 5: return tally_column_simd(x, n, 5, cnt);
  case 6: return tally_column_simd(x, n, 6, cnt);
  case 7: return tally_column_simd(x, n, 7, cnt);
  case 8: return tally_column_simd(x, n, 8, cnt);
  case 9: return tally_column_simd(x, n, 9, cnt);
  case 10: return tally_column_simd(x, n, 10, cnt);
  case 11: return tally_column_simd(x, n, 11, cnt);
  default: return tally_column_simd(x, n, 12, cnt);
  }
}
#endif

int64_t kern_tally(const int *codes, int64_t n_resp, int64_t n_item,
                   const int *group, int G, int K, int *out) {
  const int64_t cells = (int64_t)K * G;
  memset(out, 0, sizeof(int) * (size_t)(cells * n_item));
  /* group codes are checked whatever the path (also with G == 1) */
  if (group != NULL) {
    for (int64_t i = 0; i < n_resp; i++) {
      if ((unsigned)group[i] - 1u >= (unsigned)G) return -(1 + i);
    }
  }
  if (n_resp == 0 || n_item == 0) return 0;

  if (G == 1 && K <= TALLY_SIMD_MAX) {
#if TALLY_SIMD_MAX > 0
    int64_t cnt[TALLY_SIMD_MAX + 1];
    for (int64_t j = 0; j < n_item; j++) {
      const int *x = codes + j * n_resp;
      if (tally_column_short(x, n_resp, K, cnt)) {
        return 1 + j * n_resp + first_bad_code(x, n_resp, (unsigned)K);
      }
      int *o = out + j * (int64_t)K;
      for (int k = 1; k <= K; k++) o[k - 1] = (int)cnt[k];
    }
    return 0;
#endif
  }

  if (G == 1 && K <= 255) {
    uint32_t hist[4 * 256];
    for (int64_t j = 0; j < n_item; j++) {
      const int *x = codes + j * n_resp;
      memset(hist, 0, sizeof(uint32_t) * 4 * (size_t)(K + 1));
      if (tally_column_hist(x, n_resp, (unsigned)K, hist)) {
        return 1 + j * n_resp + first_bad_code(x, n_resp, (unsigned)K);
      }
      int *o = out + j * (int64_t)K;
      for (int k = 1; k <= K; k++) {
        o[k - 1] = (int)(hist[k] + hist[k + (K + 1)] + hist[k + 2 * (K + 1)] +
                         hist[k + 3 * (K + 1)]);
      }
    }
    return 0;
  }

  /* General case (groups, or very long scales): one pass per column into
   * [level, group] counters. */
  for (int64_t j = 0; j < n_item; j++) {
    const int *x = codes + j * n_resp;
    int *o = out + j * cells;
    for (int64_t i = 0; i < n_resp; i++) {
      int c = x[i];
      if (c == KERN_NA_INT) continue;
      if ((unsigned)c - 1u >= (unsigned)K) return 1 + j * n_resp + i;
      int64_t g = group == NULL ? 0 : group[i] - 1;
      o[g * K + (c - 1)]++;
    }
  }
  return 0;
}
