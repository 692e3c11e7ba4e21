/**
 * CART on typed arrays: features binned once (exact when a feature has at most `maxBins`
 * distinct values, quantile bins otherwise), class histograms per node, explicit routing of
 * missing values. `growTree` is the binary kernel of the churn `"tree"` and `"forest"` models;
 * `growClassTree` the same algorithm with K-class node histograms (`src/classify`). Split
 * criteria: Gini, entropy (ID3's information gain) and C4.5's gain ratio.
 * @module
 */
import type { Rng } from "../core/random.js";
import { sortRange } from "../numeric/quantile.js";

/** Missing-value bin code. */
const MISSING = 255;

/** Binned design matrix. @internal */
export interface Binned {
  n: number;
  /** Bin code per row, per feature (255 = missing). */
  bins: Uint8Array[];
  /** Number of bins per feature. */
  nbins: Int32Array;
  /** Representative (distinct) value of each bin when exact; otherwise null and `cuts` is used. */
  vals: (Float64Array | null)[];
  /** Upper cut of bin k (x <= cuts[k] falls in a bin <= k). */
  cuts: Float64Array[];
}

/**
 * Bin each design column: distinct values when at most `maxBins`, else cuts at the midpoints
 * between consecutive distinct values nearest to the quantiles k / maxBins (computed on a
 * systematic sample of max(10 maxBins, n / 50) rows when the table is larger).
 * @internal
 */
export function binColumns(cols: readonly Float64Array[], maxBins: number): Binned {
  const n = cols.length ? cols[0].length : 0;
  const bins: Uint8Array[] = [];
  const vals: (Float64Array | null)[] = [];
  const cuts: Float64Array[] = [];
  const nbins = new Int32Array(cols.length);
  // quantile cuts from a systematic sample: 10 rows per bin, or 2% of the rows if more
  const SAMPLE = Math.max(10 * maxBins, Math.floor(n / 50));
  const stride = n > SAMPLE ? n / SAMPLE : 1;
  for (let f = 0; f < cols.length; f++) {
    const col = cols[f];
    // exact bins when the column has at most maxBins distinct values (found without sorting)
    const seen = new Set<number>();
    const few = fewDistinct(col, maxBins, seen);
    let cut: Float64Array;
    let val: Float64Array | null = null;
    if (few) {
      val = new Float64Array(seen.size);
      let k = 0;
      for (const x of seen) val[k++] = x;
      sortRange(val, 0, val.length - 1);
      cut = new Float64Array(Math.max(0, val.length - 1));
      for (let j = 0; j + 1 < val.length; j++) cut[j] = midpoint(val[j], val[j + 1]);
    } else {
      let m = 0;
      const sorted = new Float64Array(Math.min(n, SAMPLE));
      for (let k = 0; k < sorted.length; k++) {
        const x = col[Math.floor(k * stride)];
        if (!Number.isNaN(x)) sorted[m++] = x;
      }
      const s = sorted.subarray(0, m);
      sortRange(s, 0, m - 1);
      const list: number[] = [];
      for (let q = 1; q < maxBins; q++) {
        let pos = Math.floor((q * m) / maxBins);
        // move to the next change of value at or after pos
        while (pos < m && pos > 0 && s[pos] === s[pos - 1]) pos++;
        if (pos <= 0 || pos >= m) continue;
        const c = midpoint(s[pos - 1], s[pos]);
        if (list.length === 0 || c > list[list.length - 1]) list.push(c);
      }
      cut = new Float64Array(list.length);
      for (let k = 0; k < list.length; k++) cut[k] = list[k];
    }
    const b = assignBins(col, cut);
    bins.push(b);
    vals.push(val);
    cuts.push(cut);
    nbins[f] = cut.length + 1;
  }
  return { n, bins, nbins, vals, cuts };
}

/**
 * Bin code of each value: the number of cuts strictly below it (255 when missing). A bucket
 * index over the cuts' range gives the first candidate in O(1): with bk(v) = floor((v - lo) *
 * scale), monotone in v, every cut in a bucket below bk(x) is below x, so the count starts there
 * and steps over the few cuts inside x's bucket.
 */
/** @internal */
export function assignBins(col: Float64Array, cut: Float64Array): Uint8Array {
  const n = col.length;
  const b = new Uint8Array(n);
  const nc = cut.length;
  if (nc === 0) {
    for (let i = 0; i < n; i++) b[i] = col[i] !== col[i] ? MISSING : 0;
    return b;
  }
  const lo = cut[0];
  const hi = cut[nc - 1];
  const B = 4 * nc;
  const scale = hi > lo ? B / (hi - lo) : 0;
  const start = new Int32Array(B + 2);
  // start[k] = number of cuts whose bucket is below k
  for (let j = 0; j < nc; j++) {
    const k = Math.min(B, Math.floor((cut[j] - lo) * scale));
    start[k + 1]++;
  }
  for (let k = 1; k <= B + 1; k++) start[k] += start[k - 1];
  for (let i = 0; i < n; i++) {
    const x = col[i];
    if (x !== x) {
      b[i] = MISSING;
      continue;
    }
    if (x <= lo) {
      b[i] = 0;
      continue;
    }
    if (x > hi) {
      b[i] = nc;
      continue;
    }
    let j = start[Math.min(B, Math.floor((x - lo) * scale))];
    while (j < nc && cut[j] < x) j++;
    b[i] = j;
  }
  return b;
}

/** Whether the column has at most `max` distinct non-missing values; fills `out` with them. */
/** @internal */
export function fewDistinct(col: Float64Array, max: number, out: Set<number>): boolean {
  for (let i = 0; i < col.length; i++) {
    const x = col[i];
    if (x !== x || out.has(x)) continue;
    out.add(x);
    if (out.size > max) return false;
  }
  return true;
}

/** Midpoint of two floats that stays strictly below b when a < b. */
function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m >= b ? a : m;
}

/** A fitted tree as flat arrays (plain JSON). Node 0 is the root; a leaf has feature -1. */
export interface TreeNodes {
  /** Design feature index split on, or -1 for a leaf. */
  feature: number[];
  /** Split threshold: x <= threshold goes left. */
  threshold: number[];
  /** Left child index (or -1). */
  left: number[];
  /** Right child index (or -1). */
  right: number[];
  /** 1 when a missing value goes left, 0 when right. */
  missingLeft: number[];
  /** Churn probability of the node (weighted share of churned training rows). */
  prob: number[];
  /** Training rows in the node. */
  n: number[];
}

/**
 * Split criterion: `"gini"` (CART), `"entropy"` (information gain, ID3) or `"gainRatio"`
 * (C4.5: each feature's split of largest information gain; the feature of largest gain over
 * split information among those of at least average gain).
 * @category Churn
 */
export type SplitCriterion = "gini" | "entropy" | "gainRatio";

/** Growth parameters. @internal */
export interface GrowParams {
  criterion: SplitCriterion;
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit: number;
  minImpurityDecrease: number;
  /** Features tried per split (all when >= number of features). */
  mtry: number;
}

function impurity(criterion: SplitCriterion, w1: number, w: number): number {
  if (w <= 0) return 0;
  const p = w1 / w;
  if (criterion === "gini") return 2 * p * (1 - p);
  if (p <= 0 || p >= 1) return 0;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/**
 * The candidate splits of one node under C4.5's gain ratio (Quinlan 1993, ch. 2 and Release 8):
 * gain ratio = information gain / split information, split information = -sum over the two
 * branches of (w_b / w) log2(w_b / w). As in C4.5, each feature's test is its split of largest
 * gain (for a numeric feature: the threshold, and the side missing values take, of largest
 * gain), and the feature chosen has the largest gain ratio among the features whose gain is at
 * least the average gain of the features (Quinlan's guard against the ratio favouring tests with
 * tiny split information). Ties keep the first. Candidates arrive grouped by feature.
 */
class GainRatioChoice {
  /** Weighted child entropy sum of each candidate, sum_b w_b H_b. */
  score: number[] = [];
  /** Split information of each candidate (bits). */
  info: number[] = [];
  f: number[] = [];
  k: number[] = [];
  next: number[] = [];
  miss: number[] = [];
  only: boolean[] = [];

  add(score: number, aw: number, bw: number, f: number, k: number, next: number, miss: number, only: boolean): void {
    const w = aw + bw;
    const a = aw / w;
    const b = bw / w;
    this.score.push(score);
    this.info.push(-(a * Math.log2(a) + b * Math.log2(b)));
    this.f.push(f);
    this.k.push(k);
    this.next.push(next);
    this.miss.push(miss);
    this.only.push(only);
  }

  /** Index of the chosen candidate given the node's weighted entropy w H, or -1 when none gains. */
  pick(wH: number, w: number): number {
    const m = this.score.length;
    if (m === 0) return -1;
    const tol = 1e-12 * Math.max(1, w);
    // each feature's test: its candidate of largest gain (lowest child entropy), the first on a tie
    const tests: number[] = [];
    for (let c = 0; c < m; c++) {
      const last = tests.length - 1;
      if (last >= 0 && this.f[tests[last]] === this.f[c]) {
        if (this.score[c] < this.score[tests[last]] - tol) tests[last] = c;
      } else tests.push(c);
    }
    let mean = 0;
    for (const c of tests) mean += wH - this.score[c];
    mean /= tests.length;
    let best = -1;
    let bestRatio = -Infinity;
    for (const c of tests) {
      const gain = wH - this.score[c];
      if (gain <= tol || gain < mean - tol || !(this.info[c] > 0)) continue;
      const r = gain / (w * this.info[c]);
      if (r > bestRatio + 1e-12) {
        bestRatio = r;
        best = c;
      }
    }
    return best;
  }

  reset(): void {
    this.score.length = 0;
    this.info.length = 0;
    this.f.length = 0;
    this.k.length = 0;
    this.next.length = 0;
    this.miss.length = 0;
    this.only.length = 0;
  }
}

/** Class histograms of a node for every feature: slot f * 256 + bin code (255 = missing). */
interface Hist {
  /** Weight of churned rows. */
  h1: Float64Array;
  /** Total weight. */
  hw: Float64Array;
  /** Row count. */
  hc: Int32Array;
}

const SLOT = 256;

/**
 * Grow one tree on rows `sample` (indices into the binned table; duplicates allowed, as in a
 * bootstrap sample). `importance` receives the weighted impurity decrease per feature.
 *
 * With every feature tried at each split (a single tree), a child's histograms are the
 * parent's minus its sibling's, so only the smaller child is scanned.
 * @internal
 */
export function growTree(
  data: Binned,
  y: Uint8Array,
  weight: Float64Array,
  sample: Int32Array,
  params: GrowParams,
  rng: Rng | null,
  importance: Float64Array,
): TreeNodes {
  const p = data.bins.length;
  const idx = Int32Array.from(sample);
  const nodes: TreeNodes = { feature: [], threshold: [], left: [], right: [], missingLeft: [], prob: [], n: [] };
  const feats = new Int32Array(p);
  for (let f = 0; f < p; f++) feats[f] = f;
  const mtry = Math.min(p, Math.max(1, params.mtry));
  const sampled = mtry < p && rng !== null;
  const crit = params.criterion;
  const ratio = crit === "gainRatio";
  const choice = ratio ? new GainRatioChoice() : null;
  let totalW = 0;
  let unit = true;
  for (let k = 0; k < idx.length; k++) {
    totalW += weight[idx[k]];
    if (weight[idx[k]] !== 1) unit = false;
  }
  const newHist = (): Hist => ({ h1: new Float64Array(p * SLOT), hw: new Float64Array(p * SLOT), hc: new Int32Array(p * SLOT) });
  const scratch = sampled ? newHist() : null;

  /** Fill the histograms of features feats[0..nf) over rows idx[lo..hi). */
  const fill = (H: Hist, nf: number, lo: number, hi: number): void => {
    const { h1, hw, hc } = H;
    for (let j = 0; j < nf; j++) {
      const f = feats[j];
      const off = f * SLOT;
      const b = data.bins[f];
      h1.fill(0, off, off + SLOT);
      hw.fill(0, off, off + SLOT);
      hc.fill(0, off, off + SLOT);
      if (unit) {
        for (let k = lo; k < hi; k++) {
          const r = idx[k];
          const c = off + b[r];
          hc[c]++;
          h1[c] += y[r];
        }
        for (let c = off; c < off + SLOT; c++) hw[c] = hc[c];
      } else {
        for (let k = lo; k < hi; k++) {
          const r = idx[k];
          const c = off + b[r];
          const wr = weight[r];
          hc[c]++;
          hw[c] += wr;
          if (y[r]) h1[c] += wr;
        }
      }
    }
  };

  const willSplit = (count: number, depth: number): boolean => depth < params.maxDepth && count >= params.minSamplesSplit && count >= 2 * params.minSamplesLeaf;

  const grow = (lo: number, hi: number, depth: number, given: Hist | null): number => {
    let w1 = 0;
    let w = 0;
    if (unit) {
      for (let k = lo; k < hi; k++) w1 += y[idx[k]];
      w = hi - lo;
    } else {
      for (let k = lo; k < hi; k++) {
        const r = idx[k];
        w += weight[r];
        if (y[r]) w1 += weight[r];
      }
    }
    const id = nodes.feature.length;
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    nodes.missingLeft.push(0);
    nodes.prob.push(w > 0 ? w1 / w : 0);
    nodes.n.push(hi - lo);
    const count = hi - lo;
    const nodeImp = impurity(crit, w1, w);
    if (!willSplit(count, depth) || nodeImp <= 1e-15) return id;

    if (sampled) {
      for (let j = 0; j < mtry; j++) {
        const t = j + Math.floor(rng!.next() * (p - j));
        const tmp = feats[j];
        feats[j] = feats[t];
        feats[t] = tmp;
      }
    }
    const nf = sampled ? mtry : p;
    let H: Hist;
    if (given) H = given;
    else {
      H = scratch ?? newHist();
      fill(H, nf, lo, hi);
    }
    const { h1, hw, hc } = H;

    let bestScore = Infinity;
    let bestF = -1;
    let bestK = -1;
    let bestNext = -1;
    let bestMissLeft = 0;
    let bestMissOnly = false;
    for (let j = 0; j < nf; j++) {
      const f = sampled ? feats[j] : j;
      const nb = data.nbins[f];
      const off = f * SLOT;
      const mc = hc[off + MISSING];
      const mw = hw[off + MISSING];
      const m1 = h1[off + MISSING];
      const presentW = w - mw;
      const present1 = w1 - m1;
      const presentC = count - mc;
      let lw = 0;
      let l1 = 0;
      let lc = 0;
      let prev = -1;
      for (let k = 0; k < nb; k++) {
        if (hc[off + k] === 0) continue;
        if (prev >= 0) {
          // split between bin `prev` (left side ends) and bin k (right side starts)
          const rw = presentW - lw;
          const r1 = present1 - l1;
          const rc = presentC - lc;
          for (let side = 0; side < (mc > 0 ? 2 : 1); side++) {
            const missLeft = mc > 0 ? side === 0 : lc >= rc;
            const aw = missLeft && mc > 0 ? lw + mw : lw;
            const a1 = missLeft && mc > 0 ? l1 + m1 : l1;
            const ac = missLeft && mc > 0 ? lc + mc : lc;
            const bw = !missLeft && mc > 0 ? rw + mw : rw;
            const b1 = !missLeft && mc > 0 ? r1 + m1 : r1;
            const bc = !missLeft && mc > 0 ? rc + mc : rc;
            if (ac < params.minSamplesLeaf || bc < params.minSamplesLeaf || aw <= 0 || bw <= 0) continue;
            const score = aw * impurity(crit, a1, aw) + bw * impurity(crit, b1, bw);
            if (ratio) choice!.add(score, aw, bw, f, prev, k, missLeft ? 1 : 0, false);
            else if (score < bestScore - 1e-12 * Math.max(1, w)) {
              bestScore = score;
              bestF = f;
              bestK = prev;
              bestNext = k;
              bestMissLeft = missLeft ? 1 : 0;
              bestMissOnly = false;
            }
          }
        }
        lw += hw[off + k];
        l1 += h1[off + k];
        lc += hc[off + k];
        prev = k;
      }
      // present vs missing
      if (mc > 0 && presentC > 0 && mc >= params.minSamplesLeaf && presentC >= params.minSamplesLeaf && mw > 0 && presentW > 0) {
        const score = presentW * impurity(crit, present1, presentW) + mw * impurity(crit, m1, mw);
        if (ratio) choice!.add(score, presentW, mw, f, -1, -1, 0, true);
        else if (score < bestScore - 1e-12 * Math.max(1, w)) {
          bestScore = score;
          bestF = f;
          bestK = -1;
          bestNext = -1;
          bestMissLeft = 0;
          bestMissOnly = true;
        }
      }
    }
    if (ratio) {
      const c = choice!.pick(w * nodeImp, w);
      if (c >= 0) {
        bestScore = choice!.score[c];
        bestF = choice!.f[c];
        bestK = choice!.k[c];
        bestNext = choice!.next[c];
        bestMissLeft = choice!.miss[c];
        bestMissOnly = choice!.only[c];
      }
      choice!.reset();
    }
    if (bestF < 0) return id;
    const decrease = (w * nodeImp - bestScore) / totalW;
    if (decrease < params.minImpurityDecrease || decrease <= 0) return id;
    importance[bestF] += w * nodeImp - bestScore;

    // threshold on the raw scale
    let thr: number;
    if (bestMissOnly) thr = Number.MAX_VALUE;
    else {
      const v = data.vals[bestF];
      thr = v ? midpoint(v[bestK], v[bestNext]) : data.cuts[bestF][bestK];
    }
    // partition: left first
    const b = data.bins[bestF];
    let i = lo;
    let j = hi - 1;
    const goesLeft = (c: number) => (c === MISSING ? bestMissLeft === 1 : bestMissOnly || c <= bestK);
    while (i <= j) {
      if (goesLeft(b[idx[i]])) i++;
      else {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        j--;
      }
    }
    nodes.feature[id] = bestF;
    nodes.threshold[id] = thr;
    nodes.missingLeft[id] = bestMissLeft;
    // children's histograms: scan the smaller, subtract from the parent for the larger
    let hl: Hist | null = null;
    let hr: Hist | null = null;
    if (!sampled) {
      const splitL = willSplit(i - lo, depth + 1);
      const splitR = willSplit(hi - i, depth + 1);
      if (splitL || splitR) {
        const leftSmaller = i - lo <= hi - i;
        const small = newHist();
        if (leftSmaller) fill(small, p, lo, i);
        else fill(small, p, i, hi);
        // the parent's arrays become the larger child's
        for (let c = 0; c < p * SLOT; c++) {
          h1[c] -= small.h1[c];
          hw[c] -= small.hw[c];
          hc[c] -= small.hc[c];
        }
        if (leftSmaller) {
          hl = small;
          hr = H;
        } else {
          hl = H;
          hr = small;
        }
      }
    }
    const l = grow(lo, i, depth + 1, hl);
    nodes.left[id] = l;
    const r = grow(i, hi, depth + 1, hr);
    nodes.right[id] = r;
    return id;
  };
  grow(0, idx.length, 0, null);
  return nodes;
}

/**
 * The routing part of a fitted tree (binary or K-class): what scoring and rule reading need.
 * @internal
 */
export type TreeShape = Pick<TreeNodes, "feature" | "threshold" | "left" | "right" | "missingLeft">;

/**
 * A fitted K-class tree as flat arrays (plain JSON). Node 0 is the root; a leaf has feature -1.
 * @category Classify
 */
export interface ClassTreeNodes {
  /** Design feature index split on, or -1 for a leaf. */
  feature: number[];
  /** Split threshold: x <= threshold goes left. */
  threshold: number[];
  /** Left child index (or -1). */
  left: number[];
  /** Right child index (or -1). */
  right: number[];
  /** 1 when a missing value goes left, 0 when right. */
  missingLeft: number[];
  /** Class probabilities of each node (weighted class shares of its training rows), K per node: `proba[node * K + k]`. */
  proba: number[];
  /** Training rows in the node. */
  n: number[];
}

/** Impurity of the class weights v[0..K) of total w: Gini 1 - sum p^2, else entropy in bits. */
function impurityK(criterion: SplitCriterion, v: Float64Array, K: number, w: number): number {
  if (w <= 0) return 0;
  if (criterion === "gini") {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const q = v[k] / w;
      s += q * q;
    }
    return Math.max(0, 1 - s);
  }
  let h = 0;
  for (let k = 0; k < K; k++) {
    const q = v[k] / w;
    if (q > 0) h -= q * Math.log2(q);
  }
  return Math.max(0, h);
}

/**
 * Grow one K-class tree: the algorithm of {@link growTree} (same binning, missing-value
 * routing, feature sampling and random draws, histogram subtraction) with a class-weight
 * histogram of K slots per bin. `y` holds class codes 0..K-1.
 * @internal
 */
export function growClassTree(
  data: Binned,
  y: Int32Array,
  K: number,
  weight: Float64Array,
  sample: Int32Array,
  params: GrowParams,
  rng: Rng | null,
  importance: Float64Array,
): ClassTreeNodes {
  const p = data.bins.length;
  const idx = Int32Array.from(sample);
  const nodes: ClassTreeNodes = { feature: [], threshold: [], left: [], right: [], missingLeft: [], proba: [], n: [] };
  const feats = new Int32Array(p);
  for (let f = 0; f < p; f++) feats[f] = f;
  const mtry = Math.min(p, Math.max(1, params.mtry));
  const sampled = mtry < p && rng !== null;
  const crit = params.criterion;
  const ratio = crit === "gainRatio";
  const choice = ratio ? new GainRatioChoice() : null;
  let totalW = 0;
  for (let k = 0; k < idx.length; k++) totalW += weight[idx[k]];
  /** Class weights per slot (f * SLOT + bin) * K + class, and row counts per slot. */
  interface HistK {
    hk: Float64Array;
    hc: Int32Array;
  }
  const newHist = (): HistK => ({ hk: new Float64Array(p * SLOT * K), hc: new Int32Array(p * SLOT) });
  const scratch = sampled ? newHist() : null;
  const fill = (H: HistK, nf: number, lo: number, hi: number): void => {
    const { hk, hc } = H;
    for (let j = 0; j < nf; j++) {
      const f = feats[j];
      const off = f * SLOT;
      const b = data.bins[f];
      hk.fill(0, off * K, (off + SLOT) * K);
      hc.fill(0, off, off + SLOT);
      for (let t = lo; t < hi; t++) {
        const r = idx[t];
        const c = off + b[r];
        hc[c]++;
        hk[c * K + y[r]] += weight[r];
      }
    }
  };
  const willSplit = (count: number, depth: number): boolean => depth < params.maxDepth && count >= params.minSamplesSplit && count >= 2 * params.minSamplesLeaf;
  // scratch class-weight vectors: node, missing, present, left (running), the two children
  const tk = new Float64Array(K);
  const mk = new Float64Array(K);
  const pk = new Float64Array(K);
  const lk = new Float64Array(K);
  const ak = new Float64Array(K);
  const bk = new Float64Array(K);

  const grow = (lo: number, hi: number, depth: number, given: HistK | null): number => {
    tk.fill(0);
    let w = 0;
    for (let t = lo; t < hi; t++) {
      const r = idx[t];
      tk[y[r]] += weight[r];
      w += weight[r];
    }
    const id = nodes.feature.length;
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    nodes.missingLeft.push(0);
    for (let k = 0; k < K; k++) nodes.proba.push(w > 0 ? tk[k] / w : 1 / K);
    nodes.n.push(hi - lo);
    const count = hi - lo;
    const nodeImp = impurityK(crit, tk, K, w);
    if (!willSplit(count, depth) || nodeImp <= 1e-15) return id;
    if (sampled) {
      for (let j = 0; j < mtry; j++) {
        const t = j + Math.floor(rng!.next() * (p - j));
        const tmp = feats[j];
        feats[j] = feats[t];
        feats[t] = tmp;
      }
    }
    const nf = sampled ? mtry : p;
    let H: HistK;
    if (given) H = given;
    else {
      H = scratch ?? newHist();
      fill(H, nf, lo, hi);
    }
    const { hk, hc } = H;
    const tol = 1e-12 * Math.max(1, w);
    let bestScore = Infinity;
    let bestF = -1;
    let bestK = -1;
    let bestNext = -1;
    let bestMissLeft = 0;
    let bestMissOnly = false;
    for (let j = 0; j < nf; j++) {
      const f = sampled ? feats[j] : j;
      const nb = data.nbins[f];
      const off = f * SLOT;
      const mc = hc[off + MISSING];
      let mw = 0;
      for (let k = 0; k < K; k++) {
        mk[k] = hk[(off + MISSING) * K + k];
        mw += mk[k];
        pk[k] = tk[k] - mk[k];
        lk[k] = 0;
      }
      const presentW = w - mw;
      const presentC = count - mc;
      let lw = 0;
      let lc = 0;
      let prev = -1;
      for (let b = 0; b < nb; b++) {
        if (hc[off + b] === 0) continue;
        if (prev >= 0) {
          const rc = presentC - lc;
          for (let side = 0; side < (mc > 0 ? 2 : 1); side++) {
            const missLeft = mc > 0 ? side === 0 : lc >= rc;
            const withMiss = mc > 0;
            const ac = missLeft && withMiss ? lc + mc : lc;
            const bc = !missLeft && withMiss ? rc + mc : rc;
            if (ac < params.minSamplesLeaf || bc < params.minSamplesLeaf) continue;
            let aw = 0;
            let bw = 0;
            for (let k = 0; k < K; k++) {
              const l = lk[k];
              const r = pk[k] - l;
              ak[k] = missLeft && withMiss ? l + mk[k] : l;
              bk[k] = !missLeft && withMiss ? r + mk[k] : r;
              aw += ak[k];
              bw += bk[k];
            }
            if (aw <= 0 || bw <= 0) continue;
            const score = aw * impurityK(crit, ak, K, aw) + bw * impurityK(crit, bk, K, bw);
            if (ratio) choice!.add(score, aw, bw, f, prev, b, missLeft ? 1 : 0, false);
            else if (score < bestScore - tol) {
              bestScore = score;
              bestF = f;
              bestK = prev;
              bestNext = b;
              bestMissLeft = missLeft ? 1 : 0;
              bestMissOnly = false;
            }
          }
        }
        const base = (off + b) * K;
        for (let k = 0; k < K; k++) {
          lk[k] += hk[base + k];
          lw += hk[base + k];
        }
        lc += hc[off + b];
        prev = b;
      }
      if (mc > 0 && presentC > 0 && mc >= params.minSamplesLeaf && presentC >= params.minSamplesLeaf && mw > 0 && presentW > 0) {
        const score = presentW * impurityK(crit, pk, K, presentW) + mw * impurityK(crit, mk, K, mw);
        if (ratio) choice!.add(score, presentW, mw, f, -1, -1, 0, true);
        else if (score < bestScore - tol) {
          bestScore = score;
          bestF = f;
          bestK = -1;
          bestNext = -1;
          bestMissLeft = 0;
          bestMissOnly = true;
        }
      }
    }
    if (ratio) {
      const c = choice!.pick(w * nodeImp, w);
      if (c >= 0) {
        bestScore = choice!.score[c];
        bestF = choice!.f[c];
        bestK = choice!.k[c];
        bestNext = choice!.next[c];
        bestMissLeft = choice!.miss[c];
        bestMissOnly = choice!.only[c];
      }
      choice!.reset();
    }
    if (bestF < 0) return id;
    const decrease = (w * nodeImp - bestScore) / totalW;
    if (decrease < params.minImpurityDecrease || decrease <= 0) return id;
    importance[bestF] += w * nodeImp - bestScore;
    let thr: number;
    if (bestMissOnly) thr = Number.MAX_VALUE;
    else {
      const v = data.vals[bestF];
      thr = v ? midpoint(v[bestK], v[bestNext]) : data.cuts[bestF][bestK];
    }
    const bins = data.bins[bestF];
    let i = lo;
    let j = hi - 1;
    const goesLeft = (c: number) => (c === MISSING ? bestMissLeft === 1 : bestMissOnly || c <= bestK);
    while (i <= j) {
      if (goesLeft(bins[idx[i]])) i++;
      else {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        j--;
      }
    }
    nodes.feature[id] = bestF;
    nodes.threshold[id] = thr;
    nodes.missingLeft[id] = bestMissLeft;
    let hl: HistK | null = null;
    let hr: HistK | null = null;
    if (!sampled) {
      const splitL = willSplit(i - lo, depth + 1);
      const splitR = willSplit(hi - i, depth + 1);
      if (splitL || splitR) {
        const leftSmaller = i - lo <= hi - i;
        const small = newHist();
        if (leftSmaller) fill(small, p, lo, i);
        else fill(small, p, i, hi);
        for (let c = 0; c < p * SLOT * K; c++) hk[c] -= small.hk[c];
        for (let c = 0; c < p * SLOT; c++) hc[c] -= small.hc[c];
        if (leftSmaller) {
          hl = small;
          hr = H;
        } else {
          hl = H;
          hr = small;
        }
      }
    }
    const l = grow(lo, i, depth + 1, hl);
    nodes.left[id] = l;
    const r = grow(i, hi, depth + 1, hr);
    nodes.right[id] = r;
    return id;
  };
  grow(0, idx.length, 0, null);
  return nodes;
}

/** Leaf index reached by row `i` of the design columns. @internal */
export function leafOf(t: TreeShape, cols: readonly Float64Array[], i: number): number {
  let node = 0;
  while (t.feature[node] >= 0) {
    const x = cols[t.feature[node]][i];
    const left = Number.isNaN(x) ? t.missingLeft[node] === 1 : x <= t.threshold[node];
    node = left ? t.left[node] : t.right[node];
  }
  return node;
}

/** Number format for rules: 4 significant digits, no trailing zeros. */
export function fmtRuleNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/**
 * The conditions on the path from the root to `leaf`, merged per feature into the tightest
 * bounds, as readable text.
 * @internal
 */
export function pathConditions(t: TreeShape, leaf: number, names: readonly string[], indicator: readonly boolean[], canMiss: readonly boolean[]): string[] {
  const parent = new Map<number, number>();
  for (let k = 0; k < t.feature.length; k++) {
    if (t.left[k] >= 0) parent.set(t.left[k], k);
    if (t.right[k] >= 0) parent.set(t.right[k], k);
  }
  const path: { node: number; left: boolean }[] = [];
  let c = leaf;
  while (parent.has(c)) {
    const p = parent.get(c)!;
    path.push({ node: p, left: t.left[p] === c });
    c = p;
  }
  path.reverse();
  type Bound = { lo: number; hi: number; missing: "yes" | "no" | "either"; order: number };
  const bounds = new Map<number, Bound>();
  for (const { node, left } of path) {
    const f = t.feature[node];
    let b = bounds.get(f);
    if (!b) {
      b = { lo: -Infinity, hi: Infinity, missing: "either", order: bounds.size };
      bounds.set(f, b);
    }
    const thr = t.threshold[node];
    if (thr === Number.MAX_VALUE) {
      b.missing = left ? "no" : "yes";
      continue;
    }
    const missLeft = t.missingLeft[node] === 1;
    if (left) b.hi = Math.min(b.hi, thr);
    else b.lo = Math.max(b.lo, thr);
    if (b.missing === "either") b.missing = missLeft === left ? "either" : "no";
  }
  const out: string[] = [];
  const list = [...bounds.entries()].sort((a, b) => a[1].order - b[1].order);
  for (const [f, b] of list) {
    const name = names[f];
    if (b.missing === "yes") {
      out.push(`${name} is missing`);
      continue;
    }
    if (indicator[f]) {
      // one-hot column "col=level" holds 0/1
      const eq = name.indexOf("=");
      const col = eq >= 0 ? name.slice(0, eq) : name;
      const level = eq >= 0 ? name.slice(eq + 1) : "1";
      if (b.lo >= 0 && b.lo < 1) out.push(`${col} = ${level}`);
      else if (b.hi < 1) out.push(`${col} != ${level}`);
      continue;
    }
    const parts: string[] = [];
    if (b.lo > -Infinity && b.hi < Infinity) parts.push(`${fmtRuleNumber(b.lo)} < ${name} <= ${fmtRuleNumber(b.hi)}`);
    else if (b.lo > -Infinity) parts.push(`${name} > ${fmtRuleNumber(b.lo)}`);
    else if (b.hi < Infinity) parts.push(`${name} <= ${fmtRuleNumber(b.hi)}`);
    if (parts.length === 0) {
      if (b.missing === "no" && canMiss[f]) out.push(`${name} is present`);
      continue;
    }
    out.push(b.missing === "either" && canMiss[f] ? `(${parts[0]} or ${name} is missing)` : parts[0]);
  }
  return out;
}

/**
 * The forests' bootstrap sample: n = `sample.length` row numbers drawn with replacement from
 * `rng` into `sample` (in draw order), and `inBag` set to 1 for every row drawn (0 otherwise),
 * so the rows left out can score the tree out of bag.
 * @internal
 */
export function drawBootstrap(rng: Rng, sample: Int32Array, inBag: Uint8Array): void {
  const n = sample.length;
  inBag.fill(0);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(rng.next() * n);
    sample[i] = r;
    inBag[r] = 1;
  }
}
