/**
 * Private scoring core shared by `rfm` (not exported from the package): type-7 quantile cuts
 * (the numerics layer's `equalQuantiles`: R `quantile(type = 7)` at k / bins, the position
 * `(N - 1) k / bins` in exact arithmetic), score = 1 + cuts strictly below (or the R `rfm`
 * package's rule), dense renumbering.
 */
import { equalQuantiles } from "../numeric/quantile.js";
import { countDistinctUpTo } from "./util.js";

/** How one dimension was scored. */
export interface DimensionScoring {
  /** Cuts used (ascending): quantiles, quantiles + 1 (R compatibility) or the given thresholds. */
  cuts: number[];
  /** Number of scores the dimension can take before dense renumbering (cuts.length + 1). */
  bins: number;
  /** Score of each value (1-based), input order. */
  scores: Uint8Array;
  /** counts[s - 1] = values with score s (length = bins; after dense renumbering, unused tail scores count 0). */
  counts: number[];
  /** Scores in 1..bins that no value received (before dense renumbering). */
  empty: number[];
  /** Distinct values, counted up to `bins` (only when quantiles were computed; otherwise -1). */
  distinct: number;
  /** Scores used after dense renumbering (= bins - empty.length). */
  used: number;
}

/** Number of cuts strictly below v (or at or below v when `inclusive`); cuts ascending. */
function countBelow(cuts: Float64Array, v: number, inclusive: boolean): number {
  const m = cuts.length;
  if (m <= 8) {
    let b = 0;
    if (inclusive) while (b < m && cuts[b] <= v) b++;
    else while (b < m && cuts[b] < v) b++;
    return b;
  }
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inclusive ? cuts[mid] <= v : cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Score one dimension.
 * @param values - raw values (not modified).
 * @param bins - number of scores when quantiles are used.
 * @param reverse - true for recency: small values get high scores.
 * @param fixed - fixed thresholds (ascending) replacing the quantile cuts, or undefined.
 * @param compat - R `rfm` package rule: cuts + 1 (quantile cuts only) and `cut <= value`.
 * @param dense - renumber the scores that occur to 1..k.
 */
export function scoreDimension(values: Float64Array, bins: number, reverse: boolean, fixed: readonly number[] | undefined, compat: boolean, dense: boolean): DimensionScoring {
  const n = values.length;
  let cuts: Float64Array;
  let distinct = -1;
  if (fixed !== undefined) {
    cuts = Float64Array.from(fixed);
    bins = cuts.length + 1;
  } else {
    cuts = new Float64Array(bins - 1);
    if (n > 0) {
      // Only the order statistics the cuts need are found (quickselect on a copy), not a full sort.
      const q = equalQuantiles(values, bins);
      distinct = countDistinctUpTo(values, bins);
      for (let k = 1; k < bins; k++) cuts[k - 1] = q[k - 1] + (compat ? 1 : 0);
    } else {
      distinct = 0;
    }
  }
  const scores = new Uint8Array(n);
  const counts = new Array<number>(bins).fill(0);
  if (n > 0 && cuts.length <= 8) {
    // Few cuts (the usual 4): count the cuts below by adding comparisons, with no branch per
    // value (the early-exit scan mispredicts on every bin boundary); same count as countBelow.
    const c = new Float64Array(8).fill(Infinity);
    c.set(cuts);
    const [c0, c1, c2, c3, c4, c5, c6, c7] = c;
    const hist = new Int32Array(bins + 1);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const b = compat
        ? +(c0 <= v) + +(c1 <= v) + +(c2 <= v) + +(c3 <= v) + +(c4 <= v) + +(c5 <= v) + +(c6 <= v) + +(c7 <= v)
        : +(c0 < v) + +(c1 < v) + +(c2 < v) + +(c3 < v) + +(c4 < v) + +(c5 < v) + +(c6 < v) + +(c7 < v);
      const s = reverse ? bins - b : b + 1;
      scores[i] = s;
      hist[s]++;
    }
    for (let s = 1; s <= bins; s++) counts[s - 1] = hist[s];
  } else if (n > 0 || fixed !== undefined) {
    for (let i = 0; i < n; i++) {
      const b = countBelow(cuts, values[i], compat);
      const s = reverse ? bins - b : b + 1;
      scores[i] = s;
      counts[s - 1]++;
    }
  }
  const empty: number[] = [];
  if (n > 0) for (let s = 1; s <= bins; s++) if (counts[s - 1] === 0) empty.push(s);
  const used = n > 0 ? bins - empty.length : 0;
  if (dense && empty.length > 0) {
    const map = new Uint8Array(bins + 1);
    let next = 1;
    for (let s = 1; s <= bins; s++) if (counts[s - 1] > 0) map[s] = next++;
    for (let i = 0; i < n; i++) scores[i] = map[scores[i]];
    const denseCounts = new Array<number>(bins).fill(0);
    for (let s = 1; s <= bins; s++) if (counts[s - 1] > 0) denseCounts[map[s] - 1] = counts[s - 1];
    return { cuts: Array.from(cuts), bins, scores, counts: denseCounts, empty, distinct, used };
  }
  return { cuts: Array.from(cuts), bins, scores, counts, empty, distinct, used };
}
