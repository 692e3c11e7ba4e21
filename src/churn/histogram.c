/*
 * The boosting grower's kernels (src/churn/boosting.ts, through src/churn/histogram.ts): histograms,
 * their subtraction, the partition of a node's rows, the numeric split scan and the gradients;
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

/* Gain of a split into (gl, hl) | (gr, hr) of a node (g, h): the reduction of the second-order
   loss, in the binary model's form (lossForm 0) or in scikit-learn's multi-class form, the node's
   loss minus its children's (lossForm 1); each is the JavaScript's splitGain / splitGainLoss,
   operation for operation. */
static double split_gain(double gl, double hl, double gr, double hr, double g, double h, double l2, int32_t lossForm) {
  if (lossForm) {
    double v = -g / (h + l2 + 1e-15);
    double vl = -gl / (hl + l2 + 1e-15);
    double vr = -gr / (hr + l2 + 1e-15);
    return g * v - gl * vl - gr * vr;
  }
  return (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - (g * g) / (h + l2);
}

/*
 * The best split of one numeric feature of a node (n rows, sums g, h) from its histogram slots
 * (bins 0..nm-1 present, bin 255 missing when miss): left to right with missing values going
 * right (with missing values the last candidate is "present vs missing"), then, with missing
 * values, right to left with them going left. A candidate needs minLeaf rows and a hessian sum of
 * minHessian on each side and a gain above 0 and above the best so far. Writes gain (-1: none),
 * bin, missing-left flag, and the left side's gradient, hessian and row sums to out[0..5]; the
 * same scan, in the same order, as findSplit's in boosting.ts.
 */
__attribute__((export_name("split_numeric")))
void split_numeric(const double *slots, int32_t nm, int32_t miss, double n, double g, double h, double l2, double minLeaf, double minHessian, int32_t lossForm, double *out) {
  double best = -1, bgl = 0, bhl = 0, bnl = 0;
  int32_t bin = 0, left = 0;
  double gl = 0, hl = 0, nl = 0;
  int32_t end = nm - 1 + (miss ? 1 : 0);
  for (int32_t b = 0; b < end; b++) {
    const double *k = slots + b * 4;
    gl += k[0];
    hl += k[1];
    nl += k[2];
    double nr = n - nl, hr = h - hl;
    if (nl < minLeaf) continue;
    if (nr < minLeaf) break;
    if (hl < minHessian) continue;
    if (hr < minHessian) break;
    double gn = split_gain(gl, hl, g - gl, hr, g, h, l2, lossForm);
    if (gn > best && gn > 0) {
      best = gn; bin = b; left = 0; bgl = gl; bhl = hl; bnl = nl;
    }
  }
  if (miss) {
    double gr = 0, hr = 0, nr = 0;
    for (int32_t b = nm - 2; b >= 0; b--) {
      const double *k = slots + (b + 1) * 4;
      gr += k[0];
      hr += k[1];
      nr += k[2];
      double nl2 = n - nr, hl2 = h - hr;
      if (nr < minLeaf) continue;
      if (nl2 < minLeaf) break;
      if (hr < minHessian) continue;
      if (hl2 < minHessian) break;
      double gn = split_gain(g - gr, hl2, gr, hr, g, h, l2, lossForm);
      if (gn > best && gn > 0) {
        best = gn; bin = b; left = 1; bgl = g - gr; bhl = hl2; bnl = nl2;
      }
    }
  }
  out[0] = best;
  out[1] = bin;
  out[2] = left;
  out[3] = bgl;
  out[4] = bhl;
  out[5] = bnl;
}

/* 2^k for k in [-1022, 1023], from its bits. */
static double pow2(int32_t k) {
  union { uint64_t u; double d; } v;
  v.u = (uint64_t)(k + 1023) << 52;
  return v.d;
}

/*
 * e^x to within an ulp or so (WebAssembly has no exp): x = k ln 2 + r with k = floor(x / ln 2 +
 * 1/2) and r reduced in two parts (ln 2 = hi + lo, hi with 32 significant bits, so k hi is exact),
 * e^r by its Taylor series to r^13 in Horner form (|r| <= 0.35: the first term left out is below
 * 4e-18 relative), then times 2^k. boosting.ts's JavaScript twin, expKernel, does the same
 * operations, so the two agree to the bit (tested).
 */
static double exp_kernel(double x) {
  if (x != x) return x;
  if (x > 710.0) return 1.0 / 0.0;
  if (x < -746.0) return 0.0;
  double kf = __builtin_floor(x * 1.4426950408889634 + 0.5);
  double r = (x - kf * 6.93147180369123816490e-01) - kf * 1.90821492927058770002e-10;
  double p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * (0.001388888888888889 + r * (0.0001984126984126984 + r * (2.48015873015873e-05 + r * (2.7557319223985893e-06 + r * (2.755731922398589e-07 + r * (2.505210838544172e-08 + r * (2.08767569878681e-09 + r * 1.6059043836821613e-10))))))))))));
  int32_t k = (int32_t)kf;
  if (k > 1023) return p * pow2(k - 1) * 2.0;
  if (k < -1022) return p * pow2(k + 1000) * pow2(-1000);
  return p * pow2(k);
}

__attribute__((export_name("exp_kernel")))
double exp_kernel_export(double x) {
  return exp_kernel(x);
}

/*
 * The binary log-loss's gradient and hessian of rows start..end-1 from their raw scores and 0/1
 * labels: p = 1 / (1 + e^-raw), g = p - y and h = p (1 - p), each rounded to float32 (scikit-learn's
 * G_H_DTYPE), written to gh[2r], gh[2r + 1].
 */
__attribute__((export_name("gradients")))
void gradients(const double *raw, const uint8_t *y, float *gh, int32_t start, int32_t end) {
  for (int32_t r = start; r < end; r++) {
    double p = 1.0 / (1.0 + exp_kernel(-raw[r]));
    gh[2 * r] = (float)(p - y[r]);
    gh[2 * r + 1] = (float)(p * (1.0 - p));
  }
}
