#include "consensr.h"
#include <stdint.h>
#include <string.h>

/* Reading ratings: the user's columns become integer level codes in one
 * pass, in C.
 *
 * - Numbers are matched numerically against numeric levels (a lookup table
 *   for whole-number scales, else an exact comparison): -0 is 0, Inf and
 *   2.5 are not levels of 1:9, no text is formatted.
 * - Factors are mapped through their K labels once (`map`, made in R).
 * - Text is matched through a small cache keyed by the CHARSXP pointer
 *   (R keeps one CHARSXP per string and encoding), with one comparison of
 *   the strings when a pointer is seen for the first time.
 *
 * Codes: 1..K are the scale, K+1..L the declared non-answers
 * (`missing_levels`), NA is "not rated", 0 a value that is not a level. */

typedef struct {
  /* numeric levels */
  const double *lv;
  int L;
  int lut_lo, lut_n;
  int *lut;
  /* text levels and the pointer cache */
  SEXP lv_chr;
  uintptr_t *ckey;
  int *cval;
  R_xlen_t csize, cused;
  /* blank text ("", "  ") is read as NA and counted */
  double n_blank;
} coder;

#define CODE_BLANK (NA_INTEGER + 1)

static int code_num(const coder *cd, double v) {
  if (ISNAN(v)) return NA_INTEGER;
  if (cd->lv == NULL) return 0;
  if (cd->lut != NULL && v >= cd->lut_lo && v <= cd->lut_lo + cd->lut_n - 1 &&
      v == floor(v)) {
    return cd->lut[(int)v - cd->lut_lo];
  }
  for (int l = 0; l < cd->L; l++) {
    if (cd->lv[l] == v) return l + 1;
  }
  return 0;
}

static inline R_xlen_t hash_u64(uint64_t k, R_xlen_t mask) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return (R_xlen_t)(k & (uint64_t)mask);
}

static int is_blank(SEXP s) {
  const char *c = CHAR(s);
  for (; *c; c++) {
    if (*c != ' ' && *c != '\t' && *c != '\r' && *c != '\n') return 0;
  }
  return 1;
}

static int code_chr_slow(const coder *cd, SEXP s) {
  if (is_blank(s)) return CODE_BLANK;
  if (cd->lv_chr == R_NilValue) return 0;
  R_xlen_t L = XLENGTH(cd->lv_chr);
  for (R_xlen_t l = 0; l < L; l++) {
    SEXP t = STRING_ELT(cd->lv_chr, l);
    if (t == s || Rf_NonNullStringMatch(t, s)) return (int)l + 1;
  }
  return 0;
}

static int code_chr(coder *cd, SEXP s) {
  if (s == NA_STRING) return NA_INTEGER;
  uintptr_t key = (uintptr_t)s;
  R_xlen_t mask = cd->csize - 1;
  R_xlen_t h = hash_u64((uint64_t)key, mask);
  while (cd->ckey[h] != 0) {
    if (cd->ckey[h] == key) {
      int v = cd->cval[h];
      if (v == CODE_BLANK) {
        cd->n_blank++;
        return NA_INTEGER;
      }
      return v;
    }
    h = (h + 1) & mask;
  }
  int v = code_chr_slow(cd, s);
  if (v == CODE_BLANK) cd->n_blank++;
  if (cd->cused * 2 < cd->csize) { /* cache only while it stays sparse */
    cd->ckey[h] = key;
    cd->cval[h] = v;
    cd->cused++;
  }
  return v == CODE_BLANK ? NA_INTEGER : v;
}

static void coder_init(coder *cd, SEXP lv_num, SEXP lv_chr) {
  memset(cd, 0, sizeof(coder));
  cd->lv_chr = lv_chr;
  if (lv_num != R_NilValue) {
    cd->lv = REAL(lv_num);
    cd->L = (int)XLENGTH(lv_num);
    double lo = R_PosInf, hi = R_NegInf;
    int whole = 1;
    for (int l = 0; l < cd->L; l++) {
      double v = cd->lv[l];
      if (ISNAN(v)) continue; /* a text non-answer beside a numeric scale */
      if (!R_FINITE(v) || v != floor(v) || fabs(v) > 1e9) { whole = 0; break; }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (whole && lo <= hi && hi - lo < 65536) {
      cd->lut_lo = (int)lo;
      cd->lut_n = (int)(hi - lo) + 1;
      cd->lut = (int *)R_alloc(cd->lut_n, sizeof(int));
      for (int i = 0; i < cd->lut_n; i++) cd->lut[i] = 0;
      for (int l = cd->L - 1; l >= 0; l--) {
        if (!ISNAN(cd->lv[l])) cd->lut[(int)cd->lv[l] - cd->lut_lo] = l + 1;
      }
    }
  }
  cd->csize = 1024;
  cd->ckey = (uintptr_t *)R_alloc(cd->csize, sizeof(uintptr_t));
  cd->cval = (int *)R_alloc(cd->csize, sizeof(int));
  memset(cd->ckey, 0, cd->csize * sizeof(uintptr_t));
}

/* One column: how its cells are coded. */
typedef struct {
  int type;          /* INTSXP, REALSXP, STRSXP */
  const int *ip;
  const double *dp;
  SEXP sx;
  R_xlen_t off;      /* offset into a matrix */
  const int *map;    /* factor: label -> code (0: not a level) */
  R_xlen_t nmap;
} column;

static column column_of(SEXP x, R_xlen_t off, SEXP map, const char *what) {
  column c;
  memset(&c, 0, sizeof(column));
  c.off = off;
  c.type = TYPEOF(x);
  switch (c.type) {
  case LGLSXP:
  case INTSXP:
    c.type = INTSXP;
    c.ip = INTEGER_RO(x);
    break;
  case REALSXP:
    c.dp = REAL_RO(x);
    break;
  case STRSXP:
    c.sx = x;
    break;
  default:
    Rf_error("`%s` must be logical, integer, double or character, not %s", what,
             Rf_type2char(TYPEOF(x)));
  }
  if (map != R_NilValue) {
    if (TYPEOF(map) != INTSXP || c.type != INTSXP) {
      Rf_error("a factor map in `%s` must be an integer vector for an integer column", what);
    }
    c.map = INTEGER_RO(map);
    c.nmap = XLENGTH(map);
  }
  return c;
}

static inline int code_at(coder *cd, const column *c, R_xlen_t i) {
  i += c->off;
  switch (c->type) {
  case INTSXP: {
    int v = c->ip[i];
    if (v == NA_INTEGER) return NA_INTEGER;
    if (c->map != NULL) return (v >= 1 && v <= c->nmap) ? c->map[v - 1] : 0;
    return code_num(cd, (double)v);
  }
  case REALSXP:
    return code_num(cd, c->dp[i]);
  default:
    return code_chr(cd, STRING_ELT(c->sx, i));
  }
}

static void check_levels_args(SEXP lv_num, SEXP lv_chr, SEXP n_scale, int *K,
                              int *L) {
  if (lv_num != R_NilValue && TYPEOF(lv_num) != REALSXP) {
    Rf_error("`lv_num` must be NULL or a double vector");
  }
  if (TYPEOF(lv_chr) != STRSXP) Rf_error("`lv_chr` must be a character vector");
  *L = (int)XLENGTH(lv_chr);
  if (lv_num != R_NilValue && XLENGTH(lv_num) != *L) {
    Rf_error("`lv_num` and `lv_chr` must have the same length");
  }
  *K = check_scalar_int(n_scale, "n_scale", 1);
  if (*K > *L) Rf_error("`n_scale` must be at most the number of levels");
}

/* The code matrix holds, before its last pass: 1..K scale codes, NA, 0
 * (no rating given: long data) and -(l - K) for non-answer l > K.  The last
 * pass tallies the scale codes per item (when `counts` is not NULL), turns
 * 0 and non-answers into NA and lists the non-answers (1-based cell index
 * and non-answer number 1..L-K). */
static SEXP finish_codes(SEXP codes, R_xlen_t n_row, R_xlen_t n_col, int K,
                         int64_t n_nonans, int *counts) {
  int *o = (n_row > 0 && n_col > 0) ? INTEGER(codes) : NULL;
  SEXP idx = PROTECT(Rf_allocVector(REALSXP, (R_xlen_t)n_nonans));
  SEXP lvl = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)n_nonans));
  double *pi = REAL(idx);
  int *pl = INTEGER(lvl);
  R_xlen_t at = 0;
  for (R_xlen_t j = 0; j < n_col; j++) {
    int *cj = o + j * n_row;
    int *kj = counts == NULL ? NULL : counts + j * (R_xlen_t)K;
    for (R_xlen_t i = 0; i < n_row; i++) {
      int v = cj[i];
      if (v > 0) {
        if (kj != NULL) kj[v - 1]++;
      } else if (v == 0) {
        cj[i] = NA_INTEGER;
      } else if (v != NA_INTEGER) {
        if (at < n_nonans) {
          pi[at] = (double)(j * n_row + i + 1);
          pl[at] = -v;
          at++;
        }
        cj[i] = NA_INTEGER;
      }
    }
    if ((j & 255) == 0) R_CheckUserInterrupt();
  }
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, idx);
  SET_VECTOR_ELT(out, 1, lvl);
  UNPROTECT(3);
  return out;
}

/* Wide ratings: `cols` is a list of columns (all of one length) or a
 * matrix; `maps` a list with, per column, NULL or the factor map; `names`
 * the item names (column names of the codes).
 * With `identity` TRUE (plain integer columns on the scale 1..K, no
 * declared non-answers: R checks), a value is its own code: the columns are
 * validated and tallied in one pass that only reads, and no code matrix is
 * made (NULL).
 * Returns list(codes, counts [K x items], nonanswer index, nonanswer level,
 * first bad row per column (0 when none)). */
SEXP ffi_read_wide(SEXP cols, SEXP maps, SEXP lv_num, SEXP lv_chr, SEXP n_scale,
                   SEXP names, SEXP identity) {
  int K, L;
  check_levels_args(lv_num, lv_chr, n_scale, &K, &L);
  int ident = check_flag(identity, "identity");
  int is_mat = Rf_isMatrix(cols) && TYPEOF(cols) != VECSXP;
  R_xlen_t n_row, n_col;
  if (is_mat) {
    n_row = Rf_nrows(cols);
    n_col = Rf_ncols(cols);
  } else {
    if (TYPEOF(cols) != VECSXP) Rf_error("`cols` must be a list of columns or a matrix");
    n_col = XLENGTH(cols);
    n_row = n_col > 0 ? XLENGTH(VECTOR_ELT(cols, 0)) : 0;
    for (R_xlen_t j = 0; j < n_col; j++) {
      if (XLENGTH(VECTOR_ELT(cols, j)) != n_row) {
        Rf_error("the columns in `cols` must have the same length");
      }
      if (ident && (TYPEOF(VECTOR_ELT(cols, j)) != INTSXP ||
                    VECTOR_ELT(maps, j) != R_NilValue)) {
        Rf_error("`identity` needs plain integer columns");
      }
    }
  }
  if (ident && is_mat && TYPEOF(cols) != INTSXP) Rf_error("`identity` needs an integer matrix");
  if (TYPEOF(maps) != VECSXP || XLENGTH(maps) != (is_mat ? 1 : n_col)) {
    Rf_error("`maps` must be a list with one element per column (one for a matrix)");
  }
  if (TYPEOF(names) != STRSXP || XLENGTH(names) != n_col) {
    Rf_error("`names` must be a character vector with one name per column");
  }
  if (n_col > 0 && (double)n_row * (double)n_col > (double)R_XLEN_T_MAX) {
    Rf_error("too many cells");
  }
  if (n_row > INT_MAX || n_col > INT_MAX) Rf_error("too many rows or columns");
  coder cd;
  coder_init(&cd, lv_num, lv_chr);

  SEXP codes = R_NilValue;
  int *o = NULL;
  if (!ident) {
    codes = Rf_allocMatrix(INTSXP, (int)n_row, (int)n_col);
    o = INTEGER(codes);
  }
  PROTECT(codes);
  SEXP counts = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)K * n_col));
  SEXP bad = PROTECT(Rf_allocVector(INTSXP, n_col));
  int *pb = INTEGER(bad), *pk = INTEGER(counts);
  memset(pk, 0, sizeof(int) * (size_t)((R_xlen_t)K * n_col));
  int64_t n_nonans = 0;
  for (R_xlen_t j = 0; j < n_col; j++) {
    int *kj = pk + j * (R_xlen_t)K;
    pb[j] = 0;
    if (ident) {
      /* read only: a value is its code */
      /* the tally kernel (vector compares) validates as it counts */
      const int *x = is_mat ? INTEGER_RO(cols) + j * n_row : INTEGER_RO(VECTOR_ELT(cols, j));
      int64_t b = kern_tally(x, (int64_t)n_row, 1, NULL, 1, K, kj);
      if (b > 0) {
        pb[j] = (int)b;
        memset(kj, 0, sizeof(int) * (size_t)K);
      }
    } else {
      column c = is_mat ? column_of(cols, j * n_row, VECTOR_ELT(maps, 0), "cols")
                        : column_of(VECTOR_ELT(cols, j), 0, VECTOR_ELT(maps, j), "cols");
      int *cj = o + j * n_row;
      for (R_xlen_t i = 0; i < n_row; i++) {
        int v = code_at(&cd, &c, i);
        if (v == NA_INTEGER) {
          cj[i] = NA_INTEGER;
        } else if (v >= 1 && v <= K) {
          cj[i] = v;
          kj[v - 1]++;
        } else if (v > K) {
          cj[i] = -(v - K);
          n_nonans++;
        } else {
          cj[i] = NA_INTEGER;
          if (pb[j] == 0) pb[j] = (int)(i + 1);
        }
      }
    }
    if ((j & 63) == 0) R_CheckUserInterrupt();
  }
  /* without non-answers the code matrix is final: skip the second pass */
  SEXP na = PROTECT(finish_codes(codes, n_nonans > 0 ? n_row : 0,
                                 n_nonans > 0 ? n_col : 0, K, n_nonans, NULL));
  if (!ident) {
    SEXP dn = PROTECT(Rf_allocVector(VECSXP, 2));
    SET_VECTOR_ELT(dn, 1, names);
    Rf_setAttrib(codes, R_DimNamesSymbol, dn);
    UNPROTECT(1);
  }
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 6));
  SET_VECTOR_ELT(out, 0, codes);
  SET_VECTOR_ELT(out, 1, counts);
  SET_VECTOR_ELT(out, 2, VECTOR_ELT(na, 0));
  SET_VECTOR_ELT(out, 3, VECTOR_ELT(na, 1));
  SET_VECTOR_ELT(out, 4, bad);
  SET_VECTOR_ELT(out, 5, Rf_ScalarReal(cd.n_blank));
  UNPROTECT(5);
  return out;
}

/* The code matrix of identity-coded integer columns (see ffi_read_wide),
 * made when an analysis needs respondent-level codes. */
SEXP ffi_cbind(SEXP cols, SEXP names) {
  if (TYPEOF(cols) != VECSXP) Rf_error("`cols` must be a list of integer columns");
  R_xlen_t n_col = XLENGTH(cols);
  R_xlen_t n_row = n_col > 0 ? XLENGTH(VECTOR_ELT(cols, 0)) : 0;
  for (R_xlen_t j = 0; j < n_col; j++) {
    SEXP c = VECTOR_ELT(cols, j);
    if (TYPEOF(c) != INTSXP || XLENGTH(c) != n_row) {
      Rf_error("`cols` must be a list of integer columns of one length");
    }
  }
  if (TYPEOF(names) != STRSXP || XLENGTH(names) != n_col) {
    Rf_error("`names` must be a character vector with one name per column");
  }
  if (n_row > INT_MAX || n_col > INT_MAX) Rf_error("too many rows or columns");
  SEXP out = PROTECT(Rf_allocMatrix(INTSXP, (int)n_row, (int)n_col));
  int *o = INTEGER(out);
  for (R_xlen_t j = 0; j < n_col; j++) {
    memcpy(o + j * n_row, INTEGER_RO(VECTOR_ELT(cols, j)), sizeof(int) * (size_t)n_row);
  }
  SEXP dn = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(dn, 1, names);
  Rf_setAttrib(out, R_DimNamesSymbol, dn);
  UNPROTECT(2);
  return out;
}

/* Keys of long data (respondent, item): codes 1..D in order of first
 * appearance and the row where each key first appears.  Integers, doubles
 * (-0 is 0) and text (by CHARSXP pointer: give UTF-8 text) are hashed; a
 * run of equal keys (sorted data) is coded without a look-up.  `x` must not
 * hold NA (checked in R). */
typedef struct {
  uint64_t *key;
  int *val;
  R_xlen_t size, used;
} keytab;

/* Tables live in R_alloc() memory, released when the .Call returns or is
 * interrupted: no leak when R_CheckUserInterrupt() jumps out. */
static void keytab_init(keytab *t, R_xlen_t size) {
  t->size = size;
  t->used = 0;
  t->key = (uint64_t *)R_alloc(size, sizeof(uint64_t));
  t->val = (int *)R_alloc(size, sizeof(int));
  memset(t->val, 0, sizeof(int) * (size_t)size);
}

/* value 0 marks an empty slot: keys are stored with their code */
static int keytab_get(keytab *t, uint64_t k, int next_code, int *is_new);

static void keytab_grow(keytab *t) {
  keytab n;
  keytab_init(&n, t->size * 2);
  R_xlen_t mask = n.size - 1;
  for (R_xlen_t i = 0; i < t->size; i++) {
    if (t->val[i] == 0) continue;
    R_xlen_t h = hash_u64(t->key[i], mask);
    while (n.val[h] != 0) h = (h + 1) & mask;
    n.key[h] = t->key[i];
    n.val[h] = t->val[i];
  }
  n.used = t->used;
  *t = n; /* the old table stays in R_alloc() memory until the call ends */
}

static int keytab_get(keytab *t, uint64_t k, int next_code, int *is_new) {
  if (2 * (t->used + 1) > t->size) keytab_grow(t);
  R_xlen_t mask = t->size - 1;
  R_xlen_t h = hash_u64(k, mask);
  while (t->val[h] != 0) {
    if (t->key[h] == k) {
      *is_new = 0;
      return t->val[h];
    }
    h = (h + 1) & mask;
  }
  t->key[h] = k;
  t->val[h] = next_code;
  t->used++;
  *is_new = 1;
  return next_code;
}

static inline uint64_t key_of(SEXP x, R_xlen_t i) {
  switch (TYPEOF(x)) {
  case INTSXP:
  case LGLSXP:
    return (uint64_t)(uint32_t)INTEGER_RO(x)[i];
  case REALSXP: {
    double v = REAL_RO(x)[i];
    if (v == 0) v = 0; /* -0 */
    uint64_t b;
    memcpy(&b, &v, sizeof(b));
    return b;
  }
  default:
    return (uint64_t)(uintptr_t)STRING_ELT(x, i);
  }
}

/* A key coder: codes 1..D by first appearance and the row where each key
 * first appears; a run of equal keys (sorted data) needs no look-up. */
typedef struct {
  keytab t;
  int D;
  R_xlen_t cap;
  int *first;
  uint64_t last;
  int last_code;
  int has_last;
} keyer;

static void keyer_init(keyer *k) {
  keytab_init(&k->t, 1024);
  k->D = 0;
  k->cap = 1024;
  k->first = (int *)R_alloc(k->cap, sizeof(int));
  k->has_last = 0;
}

static inline int keyer_code(keyer *k, SEXP x, R_xlen_t i) {
  uint64_t key = key_of(x, i);
  if (k->has_last && key == k->last) return k->last_code;
  int is_new;
  int code = keytab_get(&k->t, key, k->D + 1, &is_new);
  if (is_new) {
    if (k->D == k->cap) {
      int *grown = (int *)R_alloc(2 * k->cap, sizeof(int));
      memcpy(grown, k->first, sizeof(int) * (size_t)k->cap);
      k->first = grown;
      k->cap *= 2;
    }
    k->first[k->D++] = (int)(i + 1);
  }
  k->last = key;
  k->last_code = code;
  k->has_last = 1;
  return code;
}

/* The first rows of a key coder as an R vector. */
static SEXP keyer_first(const keyer *k) {
  SEXP fr = Rf_allocVector(INTSXP, k->D);
  if (k->D > 0) memcpy(INTEGER(fr), k->first, sizeof(int) * (size_t)k->D);
  return fr;
}

static void check_key_type(SEXP x, const char *what) {
  int type = TYPEOF(x);
  if (type != INTSXP && type != LGLSXP && type != REALSXP && type != STRSXP) {
    Rf_error("`%s` must be logical, integer, double or character, not %s", what,
             Rf_type2char(type));
  }
}

SEXP ffi_key(SEXP x) {
  check_key_type(x, "x");
  R_xlen_t n = XLENGTH(x);
  if (n >= INT_MAX) Rf_error("`x` has too many rows");
  SEXP codes = PROTECT(Rf_allocVector(INTSXP, n));
  int *pc = INTEGER(codes);
  keyer k;
  keyer_init(&k);
  for (R_xlen_t i = 0; i < n; i++) {
    pc[i] = keyer_code(&k, x, i);
    if ((i & 0xFFFFF) == 0xFFFFF) R_CheckUserInterrupt();
  }
  SEXP fr = PROTECT(keyer_first(&k));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(out, 0, codes);
  SET_VECTOR_ELT(out, 1, fr);
  UNPROTECT(3);
  return out;
}

/* Filling the code matrix of long data, one row of the data at a time:
 * repeated respondent x item pairs and values that are not levels are
 * recorded (their rows, at most 10 each, and how many). */
typedef struct {
  int *o, *pb, *pd;
  int K;
  double n_bad, n_dup;
  int64_t n_nonans;
} long_fill;

/* Allocates and PROTECTs codes, counts, bad and dup (4 objects, released
 * by long_result()). */
static void long_alloc(long_fill *f, SEXP *obj, int n_row, int n_col, int K) {
  obj[0] = PROTECT(Rf_allocMatrix(INTSXP, n_row, n_col));
  obj[1] = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)K * n_col));
  obj[2] = PROTECT(Rf_allocVector(INTSXP, 10));
  obj[3] = PROTECT(Rf_allocVector(INTSXP, 10));
  f->o = INTEGER(obj[0]);
  f->pb = INTEGER(obj[2]);
  f->pd = INTEGER(obj[3]);
  memset(f->o, 0, sizeof(int) * (size_t)((R_xlen_t)n_row * n_col));
  memset(INTEGER(obj[1]), 0, sizeof(int) * (size_t)((R_xlen_t)K * n_col));
  memset(f->pb, 0, sizeof(int) * 10);
  memset(f->pd, 0, sizeof(int) * 10);
  f->K = K;
  f->n_bad = 0;
  f->n_dup = 0;
  f->n_nonans = 0;
}

static inline void long_put(long_fill *f, R_xlen_t cell, int v, R_xlen_t i) {
  int *o = f->o;
  if (o[cell] != 0) {
    if (f->n_dup < 10) f->pd[(int)f->n_dup] = (int)(i + 1);
    f->n_dup++;
    return;
  }
  if (v == NA_INTEGER || (v >= 1 && v <= f->K)) {
    o[cell] = v;
  } else if (v > f->K) {
    o[cell] = -(v - f->K);
    f->n_nonans++;
  } else {
    if (f->n_bad < 10) f->pb[(int)f->n_bad] = (int)(i + 1);
    f->n_bad++;
    o[cell] = NA_INTEGER;
  }
}

/* list(codes, counts, nonanswer index, nonanswer level, bad rows, number
 * bad, repeated rows, number repeated, respondents' first rows, items'
 * first rows, blank text cells); UNPROTECTs the 4 objects of long_alloc(). */
static SEXP long_result(long_fill *f, SEXP *obj, int n_row, int n_col,
                        const coder *cd, SEXP rfirst, SEXP ifirst) {
  SEXP na = PROTECT(finish_codes(obj[0], n_row, n_col, f->K, f->n_nonans,
                                 INTEGER(obj[1])));
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 11));
  SET_VECTOR_ELT(out, 0, obj[0]);
  SET_VECTOR_ELT(out, 1, obj[1]);
  SET_VECTOR_ELT(out, 2, VECTOR_ELT(na, 0));
  SET_VECTOR_ELT(out, 3, VECTOR_ELT(na, 1));
  SET_VECTOR_ELT(out, 4, obj[2]);
  SET_VECTOR_ELT(out, 5, Rf_ScalarReal(f->n_bad));
  SET_VECTOR_ELT(out, 6, obj[3]);
  SET_VECTOR_ELT(out, 7, Rf_ScalarReal(f->n_dup));
  SET_VECTOR_ELT(out, 8, rfirst);
  SET_VECTOR_ELT(out, 9, ifirst);
  SET_VECTOR_ELT(out, 10, Rf_ScalarReal(cd->n_blank));
  UNPROTECT(6);
  return out;
}

/* Long ratings with the respondent (x round) and item codes made in R
 * (`row`, `col`: 1-based), as for data with rounds.  See long_result(). */
SEXP ffi_read_long(SEXP row, SEXP n_row_, SEXP col, SEXP n_col_, SEXP rating,
                   SEXP map, SEXP lv_num, SEXP lv_chr, SEXP n_scale) {
  int K, L;
  check_levels_args(lv_num, lv_chr, n_scale, &K, &L);
  int n_row = check_scalar_int(n_row_, "n_row", 0);
  int n_col = check_scalar_int(n_col_, "n_col", 0);
  check_int_vector(row, "row");
  check_int_vector(col, "col");
  R_xlen_t n = XLENGTH(row);
  if (XLENGTH(col) != n || XLENGTH(rating) != n) {
    Rf_error("`row`, `col` and `rating` must have the same length");
  }
  /* each respondent (x round) has a row of its own */
  check_at_most(n_row, (double)n, "n_row", "the number of rows `length(row)`");
  if ((double)n_row * (double)n_col > (double)R_XLEN_T_MAX) Rf_error("too many cells");
  column c = column_of(rating, 0, map, "rating");
  coder cd;
  coder_init(&cd, lv_num, lv_chr);
  const int *pr = INTEGER_RO(row), *pcol = INTEGER_RO(col);
  /* check every key before writing */
  for (R_xlen_t i = 0; i < n; i++) {
    if (pr[i] < 1 || pr[i] > n_row || pcol[i] < 1 || pcol[i] > n_col) {
      Rf_error("`row` and `col` must hold codes 1..n_row and 1..n_col (row %lld)",
               (long long)(i + 1));
    }
  }
  long_fill f;
  SEXP obj[4];
  long_alloc(&f, obj, n_row, n_col, K);
  for (R_xlen_t i = 0; i < n; i++) {
    R_xlen_t cell = (R_xlen_t)(pcol[i] - 1) * n_row + (pr[i] - 1);
    long_put(&f, cell, code_at(&cd, &c, i), i);
    if ((i & 0xFFFFF) == 0xFFFFF) R_CheckUserInterrupt();
  }
  return long_result(&f, obj, n_row, n_col, &cd, R_NilValue, R_NilValue);
}

/* Codes of one vector against the levels (for counts tables and checks):
 * 1..L, NA, 0 when not a level. */
SEXP ffi_encode(SEXP x, SEXP map, SEXP lv_num, SEXP lv_chr) {
  if (lv_num != R_NilValue && TYPEOF(lv_num) != REALSXP) {
    Rf_error("`lv_num` must be NULL or a double vector");
  }
  if (TYPEOF(lv_chr) != STRSXP) Rf_error("`lv_chr` must be a character vector");
  column c = column_of(x, 0, map, "x");
  coder cd;
  coder_init(&cd, lv_num, lv_chr);
  R_xlen_t n = XLENGTH(x);
  SEXP out = PROTECT(Rf_allocVector(INTSXP, n));
  int *o = INTEGER(out);
  for (R_xlen_t i = 0; i < n; i++) o[i] = code_at(&cd, &c, i);
  UNPROTECT(1);
  return out;
}

/* Long ratings from the user's columns in two passes over the rows, with no
 * per-row key vectors: the first codes the respondents and items (hash
 * tables, or the factor codes of `item` when `item_levels` > 0), the second
 * looks them up again and fills the code matrix.  See long_result(). */
SEXP ffi_read_long_keys(SEXP resp, SEXP item, SEXP item_levels, SEXP rating,
                        SEXP map, SEXP lv_num, SEXP lv_chr, SEXP n_scale) {
  int K, L;
  check_levels_args(lv_num, lv_chr, n_scale, &K, &L);
  check_key_type(resp, "resp");
  check_key_type(item, "item");
  int n_lev = check_scalar_int(item_levels, "item_levels", 0);
  if (n_lev > 0 && TYPEOF(item) != INTSXP) Rf_error("`item` must be integer codes with `item_levels`");
  R_xlen_t n = XLENGTH(resp);
  if (XLENGTH(item) != n || XLENGTH(rating) != n) {
    Rf_error("`resp`, `item` and `rating` must have the same length");
  }
  if (n >= INT_MAX) Rf_error("too many rows");
  column c = column_of(rating, 0, map, "rating");
  const int *fi = n_lev > 0 ? INTEGER_RO(item) : NULL;
  if (fi != NULL) {
    for (R_xlen_t i = 0; i < n; i++) {
      if (fi[i] < 1 || fi[i] > n_lev) {
        Rf_error("`item` holds an invalid factor code at row %lld", (long long)(i + 1));
      }
    }
  }
  coder cd;
  coder_init(&cd, lv_num, lv_chr);
  keyer kr, ki;
  keyer_init(&kr);
  keyer_init(&ki);
  /* pass 1: the keys */
  for (R_xlen_t i = 0; i < n; i++) {
    keyer_code(&kr, resp, i);
    if (fi == NULL) keyer_code(&ki, item, i);
    if ((i & 0xFFFFF) == 0xFFFFF) R_CheckUserInterrupt();
  }
  int n_row = kr.D, n_col = fi == NULL ? ki.D : n_lev;
  if ((double)n_row * (double)n_col > (double)R_XLEN_T_MAX) Rf_error("too many cells");
  SEXP rfirst = PROTECT(keyer_first(&kr));
  SEXP ifirst = PROTECT(fi == NULL ? keyer_first(&ki) : Rf_allocVector(INTSXP, 0));
  long_fill f;
  SEXP obj[4];
  long_alloc(&f, obj, n_row, n_col, K);
  /* pass 2: every key is known; fill the code matrix */
  kr.has_last = 0;
  ki.has_last = 0;
  for (R_xlen_t i = 0; i < n; i++) {
    int r = keyer_code(&kr, resp, i);
    int it = fi == NULL ? keyer_code(&ki, item, i) : fi[i];
    long_put(&f, (R_xlen_t)(it - 1) * n_row + (r - 1), code_at(&cd, &c, i), i);
    if ((i & 0xFFFFF) == 0xFFFFF) R_CheckUserInterrupt();
  }
  SEXP out = long_result(&f, obj, n_row, n_col, &cd, rfirst, ifirst);
  UNPROTECT(2);
  return out;
}
