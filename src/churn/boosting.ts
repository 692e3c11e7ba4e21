/**
 * Histogram gradient boosting for a binary churn label: log-loss, quantile bins, leaf-wise trees
 * with native missing values and categorical splits, early stopping on a seeded stratified
 * validation split. The algorithm and defaults are scikit-learn's `HistGradientBoostingClassifier`
 * (1.2); the code is our own, on the churn module's typed columns.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { createRng, type Seed } from "../core/random.js";
import type { ColumnSpec } from "./table.js";
import { histogramKernel, type HistogramKernel } from "./histogram.js";
import { selectPositions } from "../numeric/quantile.js";
import { assignBins, fewDistinct } from "./tree.js";

/** Missing-value bin (scikit-learn's `missing_values_bin_idx` with 255 non-missing bins). */
const MISSING = 255;
/** Per-bin stride of a histogram: sum of gradients, sum of hessians, count. */
const STRIDE = 4;
/** Bins per feature in a histogram (255 non-missing + the missing bin). */
const NB = 256;
/** scikit-learn's `min_hessian_to_split`. */
const MIN_HESSIAN = 1e-3;
/** scikit-learn's categorical split constants: smoothing, minimum support, most categories on one side. */
const CAT_SMOOTH = 10;
const MIN_CAT_SUPPORT = 10;
const MAX_CAT_THRESHOLD = 32;
/** Rows used to place the quantile bins (scikit-learn's `subsample` of the bin mapper). */
const BIN_SUBSAMPLE = 200_000;
/** Threshold of a "missing vs present" split: every finite value is <= it. */
export const ALL_PRESENT = Number.MAX_VALUE;

/**
 * One boosted tree as flat arrays (plain JSON). Node 0 is the root; children are numbered after
 * their parent; a leaf has feature -1.
 * @category Churn
 */
export interface BoostingTree {
  /** Design feature index split on (for a categorical split: the column's first indicator), or -1 for a leaf. */
  feature: number[];
  /** Numeric split: x <= threshold goes left (`Number.MAX_VALUE`: every present value goes left, missing right). 0 for a leaf or a categorical split. */
  threshold: number[];
  /** Categorical split: the level indexes (into the column's `levels`) that go left; null otherwise. */
  categories: (number[] | null)[];
  /** 1 when a missing value (or an unseen category) goes left. */
  missingLeft: number[];
  /** Left child (or -1). */
  left: number[];
  /** Right child (or -1). */
  right: number[];
  /** Node value on the raw (log-odds) scale, learning rate applied: a leaf's is added to the score; an inner node's explains the path. */
  value: number[];
  /** Training rows that reached the node. */
  n: number[];
}

/** Parameters of {@link fitBoosting}. @internal */
export interface BoostingParams {
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  maxBins: number;
  earlyStopping: boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  seed: Seed;
  /** Threads for the histograms (default "auto"; see `histogramKernel`). The trees are the same for any number. */
  threads?: number | "auto";
}

/** Result of {@link fitBoosting}. @internal */
export interface BoostingFit {
  baseline: number;
  trees: BoostingTree[];
  /** Split gain summed per design feature. */
  gain: Float64Array;
  /** Validation log-loss before the first tree and after each tree (early stopping only). */
  validationLoss: number[] | null;
  validationRows: number;
  earlyStopped: boolean;
}

/** One feature as the booster sees it: a numeric design column, or a categorical column decoded from its indicators. */
interface BFeature {
  /** Design index (categorical: first indicator). */
  design: number;
  /** Number of levels for a categorical feature, 0 for numeric. */
  levels: number;
}

/** The booster's features from the column specs. @internal */
export function boostingFeatures(columns: readonly ColumnSpec[]): BFeature[] {
  const out: BFeature[] = [];
  let j = 0;
  for (const c of columns) {
    if (c.kind === "numeric") out.push({ design: j++, levels: 0 });
    else {
      out.push({ design: j, levels: c.levels.length });
      j += c.levels.length;
    }
  }
  return out;
}

/** Level code of each row of a categorical column from its indicator columns (-1: missing or unseen). @internal */
export function categoryCodes(cols: readonly Float64Array[], first: number, levels: number, n: number): Int16Array {
  const code = new Int16Array(n).fill(-1);
  for (let k = levels - 1; k >= 0; k--) {
    const c = cols[first + k];
    for (let i = 0; i < n; i++) if (c[i] === 1) code[i] = k;
  }
  return code;
}

/**
 * Quantile thresholds of one numeric column, as scikit-learn's bin mapper: midpoints between
 * consecutive distinct values when there are at most `maxBins` of them, else numpy's
 * `percentile(values, linspace(0, 100, maxBins + 1)[1:-1], method="midpoint")`.
 * @internal
 */
export function binThresholds(values: Float64Array, maxBins: number): Float64Array {
  // few distinct values (integer codes, flags): found with a set, no sort of the whole column
  const seen = new Set<number>();
  if (fewDistinct(values, maxBins, seen)) {
    const v = Float64Array.from(seen);
    v.sort();
    const out = new Float64Array(Math.max(0, v.length - 1));
    for (let i = 1; i < v.length; i++) out[i - 1] = (v[i - 1] + v[i]) * 0.5;
    return out;
  }
  let m = 0;
  const all = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x === x) all[m++] = x;
  }
  const s = all.subarray(0, m);
  // more than maxBins distinct values (fewDistinct said so): only the order statistics at the
  // percentile positions are needed, found without sorting everything
  const step = 100 / maxBins;
  const wanted: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const pos = ((q * step) / 100) * (m - 1);
    const lo = Math.floor(pos);
    if (wanted.length === 0 || wanted[wanted.length - 1] < lo) wanted.push(lo);
    if (pos !== lo && lo + 1 < m && wanted[wanted.length - 1] < lo + 1) wanted.push(lo + 1);
  }
  selectPositions(s, wanted);
  const out = new Float64Array(maxBins - 1);
  for (let q = 1; q < maxBins; q++) {
    const pos = ((q * step) / 100) * (m - 1);
    const lo = Math.floor(pos);
    if (pos === lo) out[q - 1] = s[lo];
    else {
      // numpy's lerp at t = 0.5 from the upper end: b - (b - a) * 0.5
      const a = s[lo];
      const b = s[lo + 1];
      out[q - 1] = b - (b - a) * 0.5;
    }
  }
  return out;
}

/** Bin of each value: the number of thresholds strictly below it; NaN -> 255. @internal */
export function mapToBins(col: Float64Array, thr: Float64Array, rows: Int32Array | null): Uint8Array {
  if (rows === null) return assignBins(col, thr);
  const sub = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) sub[r] = col[rows[r]];
  return assignBins(sub, thr);
}

/** @internal */
export interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** Categorical: left-going bins (level codes, 255 = missing). */
  cats: Uint8Array | null;
  gl: number;
  hl: number;
  nl: number;
}

interface Node {
  id: number;
  start: number;
  end: number;
  g: number;
  h: number;
  depth: number;
  hist: Float64Array | null;
  split: Split | null;
}

/**
 * The same split gain written as scikit-learn computes it: the node's loss G v minus its
 * children's, each value v = -G / (H + l2 + 1e-15). Used by the multi-class fit, whose
 * float32-rounded gradients make many nodes pure (every row the same gradient): there this form
 * gives a gain of 0 or below where scikit-learn's does, so such nodes stay leaves as in
 * scikit-learn.
 * @internal
 */
export function splitGainLoss(gl: number, hl: number, gr: number, hr: number, g: number, h: number, l2: number): number {
  const v = -g / (h + l2 + 1e-15);
  const vl = -gl / (hl + l2 + 1e-15);
  const vr = -gr / (hr + l2 + 1e-15);
  return g * v - gl * vl - gr * vr;
}

type GainFn = typeof splitGain;

/** Split gain: G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2) (the loss reduction of a second-order step). @internal */
export function splitGain(gl: number, hl: number, gr: number, hr: number, g: number, h: number, l2: number): number {
  return (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - (g * g) / (h + l2);
}

function logLoss(raw: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    const z = raw[i];
    // log(1 + e^z) - y z, stably
    s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
  }
  return s / raw.length;
}

/** Training rows, validation rows (early stopping only) and the binned training rows shared by the binary and multi-class fits. */
interface Prepared {
  features: BFeature[];
  F: number;
  trainRows: Int32Array;
  valRows: Int32Array | null;
  /** Bin of every training row per feature (255: missing). */
  bins: Uint8Array[];
  thresholds: (Float64Array | null)[];
  nonMissing: Int32Array;
  hasMissing: Uint8Array;
  codesAll: Map<number, Int16Array>;
  /** Bin of every validation row per feature (null without early stopping). */
  valBins: Uint8Array[] | null;
  /** Rows per histogram slot (feature f's bin b at f * 256 + b) over all training rows: the root's counts, the same every tree. */
  rootCount: Float64Array;
  /** The histogram slots in use, as [start, end) element ranges of a histogram: each feature's non-missing bins and its missing bin. */
  used: Int32Array;
}

/**
 * Split the rows (a seeded hold-out stratified by class when early stopping is on) and bin the
 * training rows. `y` holds class codes 0..K-1.
 */
function prepare(cols: readonly Float64Array[], columns: readonly ColumnSpec[], y: ArrayLike<number>, K: number, p: BoostingParams): Prepared {
  const features = boostingFeatures(columns);
  const nAll = y.length;
  const F = features.length;
  const rng = createRng(p.seed);
  let trainRows: Int32Array;
  let valRows: Int32Array | null = null;
  if (p.earlyStopping) {
    const byClass: number[][] = Array.from({ length: K }, () => []);
    for (let i = 0; i < nAll; i++) byClass[y[i]].push(i);
    const val = new Uint8Array(nAll);
    for (const list of byClass) {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        const t = list[i];
        list[i] = list[j];
        list[j] = t;
      }
    }
    const total = Math.max(1, Math.round(p.validationFraction * nAll));
    const take = byClass.map((l) => Math.floor((total * l.length) / nAll));
    let left = total;
    for (const t of take) left -= t;
    // the remainder goes one row a class, highest class code first
    for (let c = K - 1; c >= 0; c--) if (left > 0 && take[c] < byClass[c].length) {
      take[c]++;
      left--;
    }
    byClass.forEach((list, c) => {
      for (let i = 0; i < take[c]; i++) val[list[i]] = 1;
    });
    let nv = 0;
    for (let i = 0; i < nAll; i++) nv += val[i];
    trainRows = new Int32Array(nAll - nv);
    valRows = new Int32Array(nv);
    for (let i = 0, a = 0, b = 0; i < nAll; i++) if (val[i]) valRows[b++] = i;
    else trainRows[a++] = i;
  } else {
    trainRows = new Int32Array(nAll);
    for (let i = 0; i < nAll; i++) trainRows[i] = i;
  }
  const n = trainRows.length;
  // bins, placed on the training rows only
  const bins: Uint8Array[] = [];
  const codesAll = designCodes(columns, cols, nAll);
  const thresholds: (Float64Array | null)[] = [];
  const nonMissing = new Int32Array(F);
  const hasMissing = new Uint8Array(F);
  let binRows = trainRows;
  if (n > BIN_SUBSAMPLE) {
    // a seeded sample of rows without replacement (partial Fisher-Yates), in row order
    const idx = Int32Array.from(trainRows);
    for (let i = 0; i < BIN_SUBSAMPLE; i++) {
      const j = i + Math.floor(rng.next() * (n - i));
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    binRows = idx.subarray(0, BIN_SUBSAMPLE).sort();
  }
  for (let f = 0; f < F; f++) {
    const ft = features[f];
    if (ft.levels > 0) {
      const code = codesAll.get(ft.design)!;
      const b = new Uint8Array(n);
      for (let r = 0; r < n; r++) {
        const c = code[trainRows[r]];
        b[r] = c < 0 ? MISSING : c;
      }
      bins.push(b);
      thresholds.push(null);
      nonMissing[f] = ft.levels;
    } else {
      const col = cols[ft.design];
      let sample = col;
      if (binRows.length !== nAll) {
        sample = new Float64Array(binRows.length);
        for (let r = 0; r < binRows.length; r++) sample[r] = col[binRows[r]];
      }
      const thr = binThresholds(sample, p.maxBins);
      thresholds.push(thr);
      bins.push(mapToBins(col, thr, n === nAll ? null : trainRows));
      nonMissing[f] = thr.length + 1;
    }
    const b = bins[f];
    for (let r = 0; r < n; r++) if (b[r] === MISSING) {
      hasMissing[f] = 1;
      break;
    }
  }
  let valBins: Uint8Array[] | null = null;
  if (valRows) {
    const vr = valRows;
    valBins = features.map((ft, f) => {
      if (ft.levels === 0) return mapToBins(cols[ft.design], thresholds[f]!, vr);
      const code = codesAll.get(ft.design)!;
      return Uint8Array.from(vr, (i) => (code[i] < 0 ? MISSING : code[i]));
    });
  }
  const rootCount = new Float64Array(F * NB);
  for (let f = 0; f < F; f++) {
    const b = bins[f];
    const base = f * NB;
    for (let r = 0; r < n; r++) rootCount[base + b[r]]++;
  }
  const used = new Int32Array(4 * F);
  for (let f = 0; f < F; f++) {
    used[4 * f] = f * NB * STRIDE;
    used[4 * f + 1] = (f * NB + Math.min(nonMissing[f], MISSING)) * STRIDE;
    used[4 * f + 2] = (f * NB + MISSING) * STRIDE;
    used[4 * f + 3] = (f * NB + NB) * STRIDE;
  }
  return { features, F, trainRows, valRows, bins, thresholds, nonMissing, hasMissing, codesAll, valBins, rootCount, used };
}

/**
 * Grows one tree at a time on the prepared bins: `grow(gh, G, H, raw, stride, offset, gain)` fits a
 * tree to the gradient/hessian pairs `gh` (row r at 2r, 2r + 1; sums G, H), adds its leaf values to
 * `raw[r * stride + offset]` of the training rows and its split gains to `gain`.
 */
function makeGrower(prep: Prepared, p: BoostingParams, gainFn: GainFn, labels?: Uint8Array): { grow: (gh: Float32Array, G: number, H: number, raw: Float64Array, stride: number, offset: number, gain: Float64Array, rawVal: Float64Array | null) => BoostingTree; close: () => void; kernel: HistogramKernel } {
  const { F, features, bins, thresholds, nonMissing, hasMissing, rootCount, used, valBins } = prep;
  const n = prep.trainRows.length;
  // Pairs of small features (no missing values, at most 16 bins each) share one histogram pass:
  // a row's joint bin a * mb + b (at most 255) is counted once in a pair region after the F
  // feature regions, and the pair's cells are then summed into the two features' own bins.
  const small: number[] = [];
  for (let f = 0; f < F; f++) if (!hasMissing[f] && nonMissing[f] <= 16) small.push(f);
  const P = small.length >> 1;
  const paired = new Uint8Array(F);
  for (let q = 0; q < 2 * P; q++) paired[small[q]] = 1;
  // the kernels' columns: the F features' bins (a paired feature's only partitioned on), then the pairs' joint bins
  const vbins: Uint8Array[] = bins.slice();
  const vb: number[] = [];
  for (let f = 0; f < F; f++) vb.push(paired[f] ? -1 : f * NB * STRIDE);
  const zero = Array.from(used);
  for (let q = 0; q < P; q++) {
    const ba = bins[small[2 * q]];
    const bb = bins[small[2 * q + 1]];
    const mb = nonMissing[small[2 * q + 1]];
    const pb = new Uint8Array(n);
    for (let r = 0; r < n; r++) pb[r] = ba[r] * mb + bb[r];
    vbins.push(pb);
    const base = (F + q) * NB * STRIDE;
    vb.push(base);
    zero.push(base, base + nonMissing[small[2 * q]] * mb * STRIDE);
  }
  const vbase = Int32Array.from(vb);
  const zeroRanges = Int32Array.from(zero);
  // at most min(maxLeafNodes, n / (2 minSamplesLeaf)) splittable nodes hold a histogram at once, plus the one being built
  // (and at most 256 MiB of them in the kernels' memory; any more are ordinary arrays, summed in JavaScript)
  const histLength = (F + P) * NB * STRIDE;
  const room = Math.min(p.maxLeafNodes, Math.floor(n / (2 * p.minSamplesLeaf)), Math.max(4, Math.floor(2 ** 28 / (8 * histLength)))) + 2;
  const kernel = histogramKernel(vbins, vbase, n, histLength, used, room, { threads: p.threads ?? "auto", labels });
  // the row indices and their gradient/hessian pairs in node order (position q at 2q, 2q + 1),
  // moved together by the kernel's partition
  const { idx, gh: ogh, goLeft } = kernel;
  const splitOut = new Float64Array(6);
  const marginals = (hist: Float64Array): void => {
    for (let q = 0; q < P; q++) {
      const ma = nonMissing[small[2 * q]];
      const mb = nonMissing[small[2 * q + 1]];
      const ca = small[2 * q] * NB * STRIDE;
      const cb = small[2 * q + 1] * NB * STRIDE;
      let k = (F + q) * NB * STRIDE;
      for (let a = 0; a < ma; a++) {
        for (let b = 0; b < mb; b++, k += STRIDE) {
          const g = hist[k];
          const h = hist[k + 1];
          const c = hist[k + 2];
          hist[ca + a * STRIDE] += g;
          hist[ca + a * STRIDE + 1] += h;
          hist[ca + a * STRIDE + 2] += c;
          hist[cb + b * STRIDE] += g;
          hist[cb + b * STRIDE + 1] += h;
          hist[cb + b * STRIDE + 2] += c;
        }
      }
    }
  };
  const pool: Float64Array[] = [];
  const newHist = (): Float64Array => {
    const h = pool.pop();
    if (h) {
      // only the slots in use are ever non-zero
      for (let u = 0; u < zeroRanges.length; u += 2) h.fill(0, zeroRanges[u], zeroRanges[u + 1]);
      return h;
    }
    return kernel.allocate();
  };
  // each inner node's split in bin terms (feature index, bin, left categories), for the validation rows
  const nodeF: number[] = [];
  const nodeBin: number[] = [];
  const nodeCats: (Uint8Array | null)[] = [];
  const grow = (gh: Float32Array, G: number, H: number, raw: Float64Array, stride: number, offset: number, gain: Float64Array, rawVal: Float64Array | null): BoostingTree => {
    for (let r = 0; r < n; r++) idx[r] = r;
    if (gh !== ogh) ogh.set(gh);
    nodeF.length = 0;
    const tree: BoostingTree = { feature: [], threshold: [], categories: [], missingLeft: [], left: [], right: [], value: [], n: [] };
    const addNode = (nd: Node): void => {
      nd.id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.categories.push(null);
      tree.missingLeft.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push((p.learningRate * -nd.g) / (nd.h + p.l2));
      tree.n.push(nd.end - nd.start);
      nodeF.push(-1);
      nodeBin.push(0);
      nodeCats.push(null);
    };
    const root: Node = { id: 0, start: 0, end: n, g: G, h: H, depth: 0, hist: null, split: null };
    addNode(root);
    const leaves: Node[] = [];
    const heap: Node[] = [];
    const finalize = (nd: Node): void => {
      if (nd.hist) pool.push(nd.hist);
      nd.hist = null;
      leaves.push(nd);
    };
    const findAndPush = (nd: Node): void => {
      nd.split = findSplit(nd, nd.hist!, F, features, nonMissing, hasMissing, p, gainFn, kernel, splitOut);
      if (nd.split === null || nd.split.gain <= 0) finalize(nd);
      else heap.push(nd);
    };
    if (n < 2 * p.minSamplesLeaf || H < MIN_HESSIAN) finalize(root);
    else {
      root.hist = newHist();
      kernel.root(root.hist);
      // the root's counts are the same every tree
      for (let s = 0, k = 2; s < rootCount.length; s++, k += STRIDE) root.hist[k] = rootCount[s];
      marginals(root.hist);
      findAndPush(root);
    }
    let nLeaves = 1;
    while (heap.length > 0) {
      // the splittable node with the largest gain (first pushed on ties)
      let best = 0;
      for (let k = 1; k < heap.length; k++) if (heap[k].split!.gain > heap[best].split!.gain) best = k;
      const nd = heap.splice(best, 1)[0];
      const s = nd.split!;
      for (let v = 0; v < NB; v++) goLeft[v] = s.cats ? s.cats[v] : v === MISSING ? (s.missingLeft ? 1 : 0) : v <= s.bin ? 1 : 0;
      const mid = kernel.partition(s.feature, nd.start, nd.end);
      const lc: Node = { id: 0, start: nd.start, end: mid, g: s.gl, h: s.hl, depth: nd.depth + 1, hist: null, split: null };
      const rc: Node = { id: 0, start: mid, end: nd.end, g: nd.g - s.gl, h: nd.h - s.hl, depth: nd.depth + 1, hist: null, split: null };
      addNode(lc);
      addNode(rc);
      const ft = features[s.feature];
      const k = nd.id;
      tree.feature[k] = ft.design;
      nodeF[k] = s.feature;
      nodeBin[k] = s.bin;
      nodeCats[k] = s.cats;
      tree.left[k] = lc.id;
      tree.right[k] = rc.id;
      let missingLeft = s.missingLeft;
      if (!hasMissing[s.feature]) missingLeft = mid - nd.start > nd.end - mid;
      tree.missingLeft[k] = missingLeft ? 1 : 0;
      if (ft.levels > 0) {
        const cats: number[] = [];
        for (let c = 0; c < ft.levels; c++) if (s.cats![c]) cats.push(c);
        tree.categories[k] = cats;
        tree.missingLeft[k] = s.cats![MISSING] ? 1 : 0;
      } else tree.threshold[k] = s.bin === nonMissing[s.feature] - 1 ? ALL_PRESENT : thresholds[s.feature]![s.bin];
      gain[ft.design] += s.gain;
      nLeaves++;
      if (nLeaves >= p.maxLeafNodes) {
        finalize(lc);
        finalize(rc);
        for (const h of heap) finalize(h);
        heap.length = 0;
        if (nd.hist) pool.push(nd.hist);
        break;
      }
      if (lc.depth >= p.maxDepth) {
        finalize(lc);
        finalize(rc);
        if (nd.hist) pool.push(nd.hist);
        continue;
      }
      const splitL = lc.end - lc.start >= 2 * p.minSamplesLeaf;
      const splitR = rc.end - rc.start >= 2 * p.minSamplesLeaf;
      if (splitL || splitR) {
        const small = lc.end - lc.start < rc.end - rc.start ? lc : rc;
        const large = small === lc ? rc : lc;
        small.hist = newHist();
        kernel.node(small.hist, small.start, small.end);
        marginals(small.hist);
        const parent = nd.hist!;
        kernel.subtract(parent, small.hist);
        large.hist = parent;
        nd.hist = null;
        if (splitL) findAndPush(lc);
        else finalize(lc);
        if (splitR) findAndPush(rc);
        else finalize(rc);
      } else {
        if (nd.hist) pool.push(nd.hist);
        nd.hist = null;
        finalize(lc);
        finalize(rc);
      }
    }
    // the raw-score update of the training rows
    for (const leaf of leaves) {
      const v = tree.value[leaf.id];
      for (let q = leaf.start; q < leaf.end; q++) raw[idx[q] * stride + offset] += v;
      if (leaf.hist) pool.push(leaf.hist);
      leaf.hist = null;
    }
    // and of the validation rows, routed by their bins (x <= threshold is bin <= the split's bin)
    if (rawVal && valBins) {
      const nv = valBins.length > 0 ? valBins[0].length : rawVal.length / stride;
      for (let r = 0; r < nv; r++) {
        let k = 0;
        while (nodeF[k] >= 0) {
          const b = valBins[nodeF[k]][r];
          const c = nodeCats[k];
          const left = c !== null ? c[b] === 1 : b === MISSING ? tree.missingLeft[k] === 1 : b <= nodeBin[k];
          k = left ? tree.left[k] : tree.right[k];
        }
        rawVal[r * stride + offset] += tree.value[k];
      }
    }
    return tree;
  };
  return { grow, close: kernel.close, kernel };
}

/**
 * Fit the binary booster on design columns (`columns` describe them; label `y` 0/1).
 * Deterministic for a given seed (the seed only draws the validation split and, above 200,000
 * rows, the rows that place the bins).
 * @internal
 */
export function fitBoosting(cols: readonly Float64Array[], columns: readonly ColumnSpec[], y: Uint8Array, p: BoostingParams): BoostingFit {
  const prep = prepare(cols, columns, y, 2, p);
  const { trainRows, valRows } = prep;
  const n = trainRows.length;
  const yt = Uint8Array.from(trainRows, (i) => y[i]);
  const yv = valRows ? Uint8Array.from(valRows, (i) => y[i]) : null;
  let pos = 0;
  for (let r = 0; r < n; r++) pos += yt[r];
  const rate = Math.min(Math.max(pos / n, 1e-15), 1 - 1e-15);
  const baseline = Math.log(rate / (1 - rate));
  const rawVal = valRows ? new Float64Array(valRows.length).fill(baseline) : null;
  const gain = new Float64Array(cols.length);
  const trees: BoostingTree[] = [];
  const validationLoss: number[] | null = rawVal && yv ? [logLoss(rawVal, yv)] : null;
  let earlyStopped = false;
  const { grow, close, kernel } = makeGrower(prep, p, splitGain, yt);
  // the training rows' raw scores, and their gradient and hessian (row r at gh[2r], gh[2r + 1],
  // float32 as scikit-learn's G_H_DTYPE), in the kernels' memory
  const raw = kernel.raw!.fill(baseline);
  const gh = kernel.gh;
  try {
    for (let it = 0; it < p.maxIter; it++) {
      kernel.gradients();
      let G = 0;
      let H = 0;
      for (let r = 0; r < n; r++) {
        G += gh[2 * r];
        H += gh[2 * r + 1];
      }
      const tree = grow(gh, G, H, raw, 1, 0, gain, rawVal);
      trees.push(tree);
      if (rawVal && yv && validationLoss) {
        validationLoss.push(logLoss(rawVal, yv));
        if (shouldStop(validationLoss, p.nIterNoChange, p.tol)) {
          earlyStopped = true;
          break;
        }
      }
    }
  } finally {
    close();
  }
  return { baseline, trees, gain, validationLoss, validationRows: valRows ? valRows.length : 0, earlyStopped };
}

/**
 * A fitted multi-class booster: `nClasses` trees per iteration on the multinomial log-loss
 * (scikit-learn's `HistGradientBoostingClassifier` with more than two classes).
 * @category Churn
 */
export interface BoostingMulticlassFit {
  /** Number of classes K (labels 0..K-1). */
  nClasses: number;
  /** Starting raw score per class: ln of the class's training share (clipped to [2^-52, 1 - 2^-52]). */
  baseline: Float64Array;
  /** Per iteration, K trees: tree k adds to class k's raw score (learning rate applied). */
  trees: BoostingTree[][];
  /** Split gain summed per design feature over every tree. */
  gain: Float64Array;
  /** Validation multinomial log-loss before the first iteration and after each (early stopping only). */
  validationLoss: number[] | null;
  /** Rows held out for early stopping (0 when off). */
  validationRows: number;
  /** Whether early stopping ended the fit before `maxIter`. */
  earlyStopped: boolean;
}

/** Mean multinomial log-loss of raw scores (n x K, row-major) against class codes. */
function multiLogLoss(raw: Float64Array, y: Int32Array, K: number): number {
  let s = 0;
  const n = y.length;
  for (let r = 0; r < n; r++) {
    const o = r * K;
    let m = raw[o];
    for (let k = 1; k < K; k++) if (raw[o + k] > m) m = raw[o + k];
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(raw[o + k] - m);
    s += m + Math.log(z) - raw[o + y[r]];
  }
  return s / n;
}

/** Softmax of each row of raw scores (n x K, row-major), in place. */
function softmaxRows(raw: Float64Array, K: number): Float64Array {
  for (let o = 0; o < raw.length; o += K) {
    let m = raw[o];
    for (let k = 1; k < K; k++) if (raw[o + k] > m) m = raw[o + k];
    let z = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(raw[o + k] - m);
      raw[o + k] = e;
      z += e;
    }
    for (let k = 0; k < K; k++) raw[o + k] /= z;
  }
  return raw;
}

/**
 * Fit a multi-class histogram gradient-boosting model: each iteration computes the multinomial
 * log-loss gradients g = p_k - [y = k] and hessians h = p_k (1 - p_k) from the softmax of the
 * current raw scores, then grows one tree per class on them (scikit-learn's
 * `HistGradientBoostingClassifier` for K > 2 classes: same bins, leaf-wise growth, split rules,
 * missing values, categorical splits and early stopping on a seeded hold-out stratified by class
 * as the binary {@link fitBoosting}).
 *
 * @remarks With `nClasses` = 2 this fits two softmax trees per iteration (a valid model; for
 * two classes scikit-learn, and {@link fitBoosting}, fit one logistic tree instead).
 * Deterministic for a given seed.
 * @param cols - design columns (numeric columns, and one indicator column per level of a categorical column).
 * @param columns - the column specs of `cols` (as the churn model's design).
 * @param y - class code of each row, integers in [0, nClasses).
 * @param nClasses - number of classes K (>= 2).
 * @param p - the booster's parameters (learning rate, iterations, leaves, early stopping, seed...).
 * @returns K baseline scores, K trees per iteration, split gains and the early-stopping record.
 * @throws {@link InvalidOptionError} when `nClasses` is not an integer >= 2 or `y` has a label outside [0, nClasses).
 * @example
 * ```ts
 * // 3 classes by x: 0..9 -> 0, 10..19 -> 1, 20..29 -> 2 (30 rows each side); one iteration,
 * // learning rate 1, stumps. Baseline ln(1/3) each; at p = 1/3, class 0's tree splits x <= 9.5:
 * // left G = 10 (1/3 - 1) = -6.667, H = 10 (2/9) = 2.222 -> leaf value 3 (3.00000007: the
 * // gradients are rounded to float32, as scikit-learn's).
 * const x = Float64Array.from({ length: 30 }, (_, i) => i);
 * const y = Int32Array.from({ length: 30 }, (_, i) => Math.floor(i / 10));
 * const p = { learningRate: 1, maxIter: 1, maxLeafNodes: 2, maxDepth: Infinity, minSamplesLeaf: 5, l2: 0, maxBins: 255, earlyStopping: false, validationFraction: 0.1, nIterNoChange: 10, tol: 1e-7, seed: 1 };
 * const fit = fitBoostingMulticlass([x], [{ name: "x", kind: "numeric", hasMissing: false }], y, 3, p);
 * [fit.trees[0][0].threshold[0], Number(fit.trees[0][0].value[1].toFixed(6))];
 * //=> [9.5, 3]
 * ```
 */
export function fitBoostingMulticlass(cols: readonly Float64Array[], columns: readonly ColumnSpec[], y: Int32Array, nClasses: number, p: BoostingParams): BoostingMulticlassFit {
  const fn = "fitBoostingMulticlass";
  if (!Number.isInteger(nClasses) || nClasses < 2) throw new InvalidOptionError(fn, "nClasses", nClasses, "an integer >= 2");
  const K = nClasses;
  for (let i = 0; i < y.length; i++) if (!(y[i] >= 0 && y[i] < K)) throw new InvalidOptionError(fn, `y[${i}]`, y[i], `a class code in [0, ${K - 1}]`);
  const prep = prepare(cols, columns, y, K, p);
  const { trainRows, valRows } = prep;
  const n = trainRows.length;
  const yt = Int32Array.from(trainRows, (i) => y[i]);
  const yv = valRows ? Int32Array.from(valRows, (i) => y[i]) : null;
  const count = new Float64Array(K);
  for (let r = 0; r < n; r++) count[yt[r]]++;
  const EPS = 2 ** -52;
  const baseline = Float64Array.from(count, (c) => Math.log(Math.min(Math.max(c / n, EPS), 1 - EPS)));
  const raw = new Float64Array(n * K);
  for (let r = 0; r < n; r++) raw.set(baseline, r * K);
  const nv = valRows ? valRows.length : 0;
  const rawVal = new Float64Array(nv * K);
  for (let r = 0; r < nv; r++) rawVal.set(baseline, r * K);
  const gh = Array.from({ length: K }, () => new Float32Array(2 * n));
  const G = new Float64Array(K);
  const H = new Float64Array(K);
  const prob = new Float64Array(K);
  const gain = new Float64Array(cols.length);
  const trees: BoostingTree[][] = [];
  const validationLoss: number[] | null = yv ? [multiLogLoss(rawVal, yv, K)] : null;
  let earlyStopped = false;
  const { grow, close } = makeGrower(prep, p, splitGainLoss);
  try {
    for (let it = 0; it < p.maxIter; it++) {
      // every class's gradients from the scores at the start of the iteration (as scikit-learn)
      G.fill(0);
      H.fill(0);
      for (let r = 0; r < n; r++) {
        const o = r * K;
        let m = raw[o];
        for (let k = 1; k < K; k++) if (raw[o + k] > m) m = raw[o + k];
        let z = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(raw[o + k] - m);
          prob[k] = e;
          z += e;
        }
        const yr = yt[r];
        for (let k = 0; k < K; k++) {
          const q = prob[k] / z;
          const g = Math.fround(k === yr ? q - 1 : q);
          const h = Math.fround(q * (1 - q));
          gh[k][2 * r] = g;
          gh[k][2 * r + 1] = h;
          G[k] += g;
          H[k] += h;
        }
      }
      const round: BoostingTree[] = [];
      for (let k = 0; k < K; k++) round.push(grow(gh[k], G[k], H[k], raw, K, k, gain, yv ? rawVal : null));
      trees.push(round);
      if (yv && validationLoss) {
        validationLoss.push(multiLogLoss(rawVal, yv, K));
        if (shouldStop(validationLoss, p.nIterNoChange, p.tol)) {
          earlyStopped = true;
          break;
        }
      }
    }
  } finally {
    close();
  }
  return { nClasses: K, baseline, trees, gain, validationLoss, validationRows: nv, earlyStopped };
}

/**
 * Class probabilities of every row under a multi-class booster: the softmax of each class's
 * baseline plus its trees' leaf values. Numeric: NaN goes by `missingLeft`, else x <= threshold
 * goes left; categorical: the level decoded from the indicator columns, unseen or missing by
 * `missingLeft`.
 * @param fit - from {@link fitBoostingMulticlass}.
 * @param columns - the column specs of the design the model was fitted on.
 * @param cols - design columns of the rows to score.
 * @param n - number of rows.
 * @returns n x K probabilities, row-major (row i's class k at i * K + k); each row sums to 1.
 * @example
 * ```ts
 * // no trees: every row gets the baseline shares, softmax(ln 0.5, ln 0.25, ln 0.25)
 * const fit = { nClasses: 3, baseline: Float64Array.from([Math.log(0.5), Math.log(0.25), Math.log(0.25)]), trees: [], gain: new Float64Array(1), validationLoss: null, validationRows: 0, earlyStopped: false };
 * Array.from(boostingMulticlassProba(fit, [{ name: "x", kind: "numeric", hasMissing: false }], [Float64Array.from([1])], 1));
 * //=> [0.5, 0.25, 0.25]
 * ```
 */
export function boostingMulticlassProba(fit: BoostingMulticlassFit, columns: readonly ColumnSpec[], cols: readonly Float64Array[], n: number): Float64Array {
  const K = fit.nClasses;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) out.set(fit.baseline, i * K);
  const codes = designCodes(columns, cols, n);
  for (const round of fit.trees) {
    for (let k = 0; k < K; k++) {
      const t = round[k];
      const sets = categorySets(t);
      for (let i = 0; i < n; i++) out[i * K + k] += t.value[leafRaw(t, sets, cols, codes, i)];
    }
  }
  return softmaxRows(out, K);
}

/**
 * scikit-learn's early-stopping rule on a loss (lower is better): stop when none of the last
 * `k` losses is below the loss k + 1 iterations back by more than `tol`.
 * @internal
 */
export function shouldStop(losses: readonly number[], k: number, tol: number): boolean {
  if (losses.length < k + 1) return false;
  const ref = losses[losses.length - k - 1] - tol;
  for (let q = losses.length - k; q < losses.length; q++) if (losses[q] < ref) return false;
  return true;
}

/** Leaf reached by row i (numeric: NaN by missingLeft, else x <= threshold; categorical: code in the left set). */
function leafRaw(t: BoostingTree, sets: (Uint8Array | null)[], cols: readonly Float64Array[], codes: Map<number, Int16Array>, i: number): number {
  let k = 0;
  while (t.feature[k] >= 0) {
    const s = sets[k];
    let left: boolean;
    if (s) {
      const c = codes.get(t.feature[k])![i];
      left = c < 0 ? t.missingLeft[k] === 1 : s[c] === 1;
    } else {
      const x = cols[t.feature[k]][i];
      left = x !== x ? t.missingLeft[k] === 1 : x <= t.threshold[k];
    }
    k = left ? t.left[k] : t.right[k];
  }
  return k;
}

/** Categorical splits of a tree as lookup tables. */
function categorySets(t: BoostingTree): (Uint8Array | null)[] {
  return t.categories.map((c) => {
    if (!c) return null;
    const s = new Uint8Array(NB);
    for (const l of c) s[l] = 1;
    return s;
  });
}

/** Level codes of the categorical features of a design. */
function designCodes(columns: readonly ColumnSpec[], cols: readonly Float64Array[], n: number): Map<number, Int16Array> {
  const codes = new Map<number, Int16Array>();
  for (const f of boostingFeatures(columns)) if (f.levels > 0) codes.set(f.design, categoryCodes(cols, f.design, f.levels, n));
  return codes;
}

/** The best split of a node over all features (ties: the first feature, the first scan). */
function findSplit(nd: Node, hist: Float64Array, F: number, features: readonly BFeature[], nonMissing: Int32Array, hasMissing: Uint8Array, p: BoostingParams, gainFn: GainFn, kernel: HistogramKernel, out: Float64Array): Split | null {
  let best: Split | null = null;
  const N = nd.end - nd.start;
  const G = nd.g;
  const H = nd.h;
  const l2 = p.l2;
  const minLeaf = p.minSamplesLeaf;
  const lossForm = gainFn === splitGainLoss;
  for (let f = 0; f < F; f++) {
    const base = f * NB * STRIDE;
    const cur: Split = { gain: -1, feature: f, bin: 0, missingLeft: false, cats: null, gl: 0, hl: 0, nl: 0 };
    if (features[f].levels > 0) categoricalSplit(hist, base, nonMissing[f], hasMissing[f] === 1, N, G, H, l2, minLeaf, cur, gainFn);
    else if (kernel.splitNumeric(hist, base, nonMissing[f], hasMissing[f] === 1, N, G, H, l2, minLeaf, MIN_HESSIAN, lossForm, out)) {
      if (out[0] > 0) {
        cur.gain = out[0];
        cur.bin = out[1];
        cur.missingLeft = out[2] === 1;
        cur.gl = out[3];
        cur.hl = out[4];
        cur.nl = out[5];
      }
    } else scanNumeric(hist, base, nonMissing[f], hasMissing[f] === 1, N, G, H, l2, minLeaf, gainFn, cur);
    if (cur.gain > 0 && (best === null || cur.gain > best.gain)) best = cur;
  }
  return best;
}

/**
 * The best split of one numeric feature of a node (N rows, sums G, H) from its histogram slots at
 * element `base`, into `cur` where it beats `cur.gain`: left to right with missing values going
 * right (with missing values the last candidate is "present vs missing"), then, with missing
 * values, right to left with them going left. The JavaScript twin of histogram.c's `split_numeric`.
 * @internal
 */
export function scanNumeric(hist: Float64Array, base: number, nm: number, miss: boolean, N: number, G: number, H: number, l2: number, minLeaf: number, gainFn: GainFn, cur: Split): void {
  let gl = 0;
  let hl = 0;
  let nl = 0;
  const end = nm - 1 + (miss ? 1 : 0);
  for (let b = 0; b < end; b++) {
    const k = base + b * STRIDE;
    gl += hist[k];
    hl += hist[k + 1];
    nl += hist[k + 2];
    const nr = N - nl;
    const hr = H - hl;
    if (nl < minLeaf) continue;
    if (nr < minLeaf) break;
    if (hl < MIN_HESSIAN) continue;
    if (hr < MIN_HESSIAN) break;
    const gn = gainFn(gl, hl, G - gl, hr, G, H, l2);
    if (gn > cur.gain && gn > 0) {
      cur.gain = gn;
      cur.bin = b;
      cur.missingLeft = false;
      cur.gl = gl;
      cur.hl = hl;
      cur.nl = nl;
    }
  }
  if (miss) {
    let gr = 0;
    let hr = 0;
    let nr = 0;
    for (let b = nm - 2; b >= 0; b--) {
      const k = base + (b + 1) * STRIDE;
      gr += hist[k];
      hr += hist[k + 1];
      nr += hist[k + 2];
      const nl2 = N - nr;
      const hl2 = H - hr;
      if (nr < minLeaf) continue;
      if (nl2 < minLeaf) break;
      if (hr < MIN_HESSIAN) continue;
      if (hl2 < MIN_HESSIAN) break;
      const gn = gainFn(G - gr, hl2, gr, hr, G, H, l2);
      if (gn > cur.gain && gn > 0) {
        cur.gain = gn;
        cur.bin = b;
        cur.missingLeft = true;
        cur.gl = G - gr;
        cur.hl = hl2;
        cur.nl = nl2;
      }
    }
  }
}

/**
 * scikit-learn's categorical split: categories with at least 10 rows (the missing bin counts as
 * one) sorted by G / (H + 10); the best prefix of that order, scanned from both ends, with at most
 * min(32, (used + 1) / 2) categories on the left.
 */
function categoricalSplit(hist: Float64Array, base: number, levels: number, miss: boolean, N: number, G: number, H: number, l2: number, minLeaf: number, cur: Split, gainFn: GainFn): void {
  // the multi-class fit follows scikit-learn 1.2 to the letter (see categoricalRules)
  const sk = gainFn === splitGainLoss;
  const support = N / H;
  const used: { bin: number; v: number }[] = [];
  const consider = (b: number): void => {
    const k = base + b * STRIDE;
    if (sk ? hist[k + 1] * support >= MIN_CAT_SUPPORT : hist[k + 2] >= MIN_CAT_SUPPORT) used.push({ bin: b, v: hist[k] / (hist[k + 1] + CAT_SMOOTH) });
  };
  for (let b = 0; b < levels; b++) consider(b);
  if (miss) consider(MISSING);
  if (used.length <= 1) return;
  // scikit-learn's glibc qsort (a merge sort) puts equal values in reverse order
  if (sk) used.sort((a, b) => a.v - b.v || b.bin - a.bin);
  else used.sort((a, b) => a.v - b.v || a.bin - b.bin);
  const half = Math.floor((used.length + 1) / 2);
  let bestDir = 0;
  let bestLen = 0;
  for (const dir of [1, -1]) {
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const maxCat = sk ? (dir === 1 ? half : half - 1) : Math.min(MAX_CAT_THRESHOLD, half);
    for (let i = 0; i < maxCat; i++) {
      const b = used[dir === 1 ? i : used.length - 1 - i].bin;
      const k = base + b * STRIDE;
      gl += hist[k];
      hl += hist[k + 1];
      nl += hist[k + 2];
      const nr = N - nl;
      const hr = H - hl;
      if (nl < minLeaf || hl < MIN_HESSIAN) continue;
      if (nr < minLeaf || hr < MIN_HESSIAN) break;
      const gn = gainFn(gl, hl, G - gl, hr, G, H, l2);
      if (gn > cur.gain && gn > 0) {
        cur.gain = gn;
        cur.gl = gl;
        cur.hl = hl;
        cur.nl = nl;
        bestDir = dir;
        bestLen = i + 1;
      }
    }
  }
  if (bestDir === 0) return;
  const cats = new Uint8Array(NB);
  for (let i = 0; i < bestLen; i++) cats[used[bestDir === 1 ? i : used.length - 1 - i].bin] = 1;
  cur.cats = cats;
  cur.missingLeft = cats[MISSING] === 1;
}

/**
 * Raw score (log-odds) of every row of a design under a boosted model. Numeric: NaN goes by
 * `missingLeft`, else x <= threshold goes left; categorical: the level decoded from the
 * indicator columns, unseen or missing by `missingLeft`.
 * @internal
 */
export function boostingRaw(trees: readonly BoostingTree[], baseline: number, columns: readonly ColumnSpec[], cols: readonly Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n).fill(baseline);
  const codes = designCodes(columns, cols, n);
  for (const t of trees) {
    const sets = categorySets(t);
    for (let i = 0; i < n; i++) out[i] += t.value[leafRaw(t, sets, cols, codes, i)];
  }
  return out;
}

/**
 * Path contributions of row i (Saabas): along each tree's path, the change of node value at a
 * split goes to the split's feature (design index). baseline + root values + the sum of all
 * contributions = the row's raw score.
 * @internal
 */
export function boostingContributions(model: { trees: readonly BoostingTree[]; columns: readonly ColumnSpec[] }, cols: readonly Float64Array[], i: number): Map<number, number> {
  const out = new Map<number, number>();
  const codes = new Map<number, Int16Array>();
  for (const f of boostingFeatures(model.columns)) if (f.levels > 0) codes.set(f.design, categoryCodes(cols.map((c) => c.subarray(i, i + 1)), f.design, f.levels, 1));
  const one = cols.map((c) => c.subarray(i, i + 1));
  for (const t of model.trees) {
    const sets = categorySets(t);
    let k = 0;
    while (t.feature[k] >= 0) {
      const s = sets[k];
      let left: boolean;
      if (s) {
        const c = codes.get(t.feature[k])![0];
        left = c < 0 ? t.missingLeft[k] === 1 : s[c] === 1;
      } else {
        const x = one[t.feature[k]][0];
        left = x !== x ? t.missingLeft[k] === 1 : x <= t.threshold[k];
      }
      const next = left ? t.left[k] : t.right[k];
      out.set(t.feature[k], (out.get(t.feature[k]) ?? 0) + t.value[next] - t.value[k]);
      k = next;
    }
  }
  return out;
}

/** Logistic function. @internal */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
