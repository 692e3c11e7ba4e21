/*
 * Histogram kernels of the boosting grower (src/churn/boosting.ts, through src/churn/histogram.ts),
 * compiled to WebAssembly by scripts/build-wasm.mjs into src/churn/histogramWasm.ts. Plain C, no
 * library: clang-14 --target=wasm32 -O3, no fast-math, so every sum is added in the same order and
 * rounded the same way as the JavaScript fallback in histogram.ts (the two give identical bits).
 *
 * A histogram is an array of doubles. Bin column f (a byte per row, 255 = missing) has its region at
 * element base[f]; bin b's slot is the four doubles at base[f] + 4b: sum of gradients, sum of
 * hessians, count, and one unused (so a slot is 32 bytes, aligned).
 *
 * Four bin columns per pass over the rows: a row's position, gradient and hessian are read once for
 * four features (more columns per pass were slower: the extra pointers no longer stay in registers).
 */
#include <stdint.h>

typedef const uint8_t *bin_column;

#define ADD_GH(slots, column) { double *k = (slots) + (column)[i] * 4; k[0] += g; k[1] += h; }
#define ADD_GHC(slots, column) { double *k = (slots) + (column)[i] * 4; k[0] += g; k[1] += h; k[2] += 1.0; }

/*
 * The root: gradient and hessian sums over rows 0..n-1, whose pairs are gh[2i], gh[2i + 1] (the
 * root's node order is row order). Counts are not touched: the caller copies the root's counts,
 * which are the same for every tree.
 */
__attribute__((export_name("hist_root")))
void hist_root(double *hist, const bin_column *bins, const int32_t *base, int32_t nf, int32_t n, const float *gh) {
  int32_t f = 0;
  for (; f + 3 < nf; f += 4) {
    bin_column b0 = bins[f], b1 = bins[f + 1], b2 = bins[f + 2], b3 = bins[f + 3];
    double *s0 = hist + base[f], *s1 = hist + base[f + 1], *s2 = hist + base[f + 2], *s3 = hist + base[f + 3];
    for (int32_t i = 0; i < n; i++) {
      double g = gh[2 * i], h = gh[2 * i + 1];
      ADD_GH(s0, b0) ADD_GH(s1, b1) ADD_GH(s2, b2) ADD_GH(s3, b3)
    }
  }
  for (; f < nf; f++) {
    bin_column b0 = bins[f];
    double *s0 = hist + base[f];
    for (int32_t i = 0; i < n; i++) {
      double g = gh[2 * i], h = gh[2 * i + 1];
      ADD_GH(s0, b0)
    }
  }
}

/*
 * A node: sums and counts over the rows idx[start..end), whose pairs are gh[2q], gh[2q + 1] at the
 * same positions q (the pairs move with the row indices when a node is partitioned).
 */
__attribute__((export_name("hist_node")))
void hist_node(double *hist, const bin_column *bins, const int32_t *base, int32_t nf, const int32_t *idx, int32_t start, int32_t end, const float *gh) {
  int32_t f = 0;
  for (; f + 3 < nf; f += 4) {
    bin_column b0 = bins[f], b1 = bins[f + 1], b2 = bins[f + 2], b3 = bins[f + 3];
    double *s0 = hist + base[f], *s1 = hist + base[f + 1], *s2 = hist + base[f + 2], *s3 = hist + base[f + 3];
    for (int32_t q = start; q < end; q++) {
      int32_t i = idx[q];
      double g = gh[2 * q], h = gh[2 * q + 1];
      ADD_GHC(s0, b0) ADD_GHC(s1, b1) ADD_GHC(s2, b2) ADD_GHC(s3, b3)
    }
  }
  for (; f < nf; f++) {
    bin_column b0 = bins[f];
    double *s0 = hist + base[f];
    for (int32_t q = start; q < end; q++) {
      int32_t i = idx[q];
      double g = gh[2 * q], h = gh[2 * q + 1];
      ADD_GHC(s0, b0)
    }
  }
}

/*
 * parent -= child over the element ranges [used[2u], used[2u + 1]) for u < nUsed (the slots a
 * histogram can use): the larger child's histogram from its parent's and its sibling's.
 */
__attribute__((export_name("hist_subtract")))
void hist_subtract(double *parent, const double *child, const int32_t *used, int32_t nUsed) {
  for (int32_t u = 0; u < nUsed; u++) {
    for (int32_t q = used[2 * u], e = used[2 * u + 1]; q < e; q++) parent[q] -= child[q];
  }
}

/*
 * Stable partition of positions start..end-1 into left | right by goLeft[column[idx[q]]] (1: left),
 * moving each position's row index and its 8-byte gradient pair together (the pair is moved as an
 * integer, so its bits never change). Returns the first right position. Branch-free: each row is
 * written to both sides and only its own side's cursor advances.
 */
__attribute__((export_name("partition")))
int32_t partition(int32_t *idx, int64_t *gh, int32_t start, int32_t end, const uint8_t *column, const uint8_t *goLeft, int32_t *scratch, int64_t *scratchGH) {
  int32_t a = start, c = 0;
  for (int32_t q = start; q < end; q++) {
    int32_t i = idx[q];
    int64_t w = gh[q];
    int32_t l = goLeft[column[i]];
    idx[a] = i;
    gh[a] = w;
    scratch[c] = i;
    scratchGH[c] = w;
    a += l;
    c += 1 - l;
  }
  for (int32_t q = 0; q < c; q++) {
    idx[a + q] = scratch[q];
    gh[a + q] = scratchGH[q];
  }
  return a;
}
