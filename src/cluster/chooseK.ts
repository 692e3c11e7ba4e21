import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../core/random.js";
import { prepare, type ClusterCustomersOptions, type Prepared } from "./cluster.js";
import { kmeansSettings, prepareKmeans, runKmeans, type KmeansData, type KmeansResult } from "./kmeans.js";

/**
 * Options of {@link chooseK}: those of {@link clusterCustomers} (features, transform, scaling,
 * nInit, maxIterations, tolerance, seed) plus the range and the silhouette sample.
 * @category Clustering
 */
export interface ChooseKOptions extends Omit<ClusterCustomersOptions, "k" | "kRange" | "initialCenters" | "valueField"> {
  /** Smallest and largest k to try (both included, 2 <= min <= max). Default `[3, 8]`: on RFM features k = 2 is nearly always the active vs lapsed split, which every index favours (see the remarks); pass `[2, 8]` to allow it. */
  kRange?: readonly [number, number];
  /** The silhouette is exact when there are at most this many customers; otherwise it is computed on a seeded random sample of this size (the same sample for every k). Default 2000. */
  silhouetteSampleSize?: number;
}

/**
 * One row of the k table.
 * @category Clustering
 */
export interface ChooseKRow {
  /** Number of clusters. */
  k: number;
  /** Within-cluster sum of squares (scaled space), best of the restarts. */
  inertia: number;
  /** Mean silhouette width in [-1, 1] (higher is better). */
  silhouette: number;
  /** Calinski-Harabasz index: between- over within-cluster dispersion, each per degree of freedom (higher is better). */
  calinskiHarabasz: number;
  /** Davies-Bouldin index: mean over clusters of the worst (spread_i + spread_j) / centre distance (lower is better). */
  daviesBouldin: number;
  /** Smallest cluster's share of the customers. */
  smallestShare: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
  /** Whether the winning restart converged. */
  converged: boolean;
}

/**
 * Result of {@link chooseK}.
 * @category Clustering
 */
export interface ChooseKResult {
  /** One row per k, ascending. */
  table: ChooseKRow[];
  /** The recommended k: the highest mean silhouette (smaller k on ties within 1e-12). */
  recommendedK: number;
  /** Why, in words: the winning silhouette, the runner-up and the margin, and where the other indices point. */
  reason: string;
  /** The criterion the recommendation follows (always `"silhouette"` today). */
  criterion: "silhouette";
  /** k with the second-highest silhouette, or null with a single k. */
  runnerUpK: number | null;
  /** Silhouette of the recommended k minus the runner-up's (0 with a single k); below 0.01 the choice is a narrow one. */
  silhouetteMargin: number;
  /** k with the lowest Davies-Bouldin index. */
  daviesBouldinK: number;
  /** k with the highest silhouette. */
  silhouetteK: number;
  /** Knee of the inertia curve (see {@link chooseK} remarks), or `null` with fewer than 3 values of k. */
  elbowK: number | null;
  /** k with the highest Calinski-Harabasz index. */
  calinskiHarabaszK: number;
  /** Customers the silhouette was computed on. */
  silhouetteSampleSize: number;
  /** Whether the silhouette used every customer (exact) or a sample. */
  silhouetteExact: boolean;
}

const CHOOSE_K_DEFAULTS = Object.freeze({ kRange: [3, 8] as readonly [number, number], silhouetteSampleSize: 2000, seed: 42 as Seed });

/**
 * Compare numbers of clusters: k-means for each k in a range, with the silhouette, the elbow of
 * the inertia curve and the Calinski-Harabasz index; recommends one k and says why.
 *
 * @remarks
 * - Silhouette (Rousseeuw 1987): for customer i, a = mean distance to the others in its
 *   cluster, b = smallest mean distance to another cluster, s = (b - a) / max(a, b) (0 for a
 *   customer alone in its cluster); the score is the mean s, as scikit-learn's
 *   `silhouette_score`. Exact (O(n^2)) up to `silhouetteSampleSize` customers, otherwise on a
 *   seeded sample of that size drawn without replacement.
 * - Calinski-Harabasz (1974): `[B / (k - 1)] / [W / (n - k)]` with B the size-weighted
 *   squared distances of the cluster means to the overall mean and W the within-cluster sum of
 *   squares (1 when W = 0, as scikit-learn).
 * - Elbow, knee rule: scale k and inertia to [0, 1] over the range; the knee is the k whose
 *   point lies farthest below the straight line from the first to the last point (the
 *   "Kneedle" difference curve of Satopaa et al. 2011, without smoothing).
 * - Davies-Bouldin (1979): mean over clusters of max over others of (s_i + s_j) / d(c_i, c_j),
 *   s = mean distance to the cluster mean, as scikit-learn's `davies_bouldin_score` (lower is
 *   better).
 * - Recommendation: the k with the highest silhouette (the criterion of scikit-learn's "silhouette
 *   analysis" example), because it measures separation directly and does not always favour more
 *   clusters the way inertia does. The reason names the runner-up and the margin (below 0.01:
 *   "narrowly"), where the elbow, Calinski-Harabasz and Davies-Bouldin point, and warns when the
 *   winner has a cluster under 2% of the customers.
 * - Default range 3..8: on RFM features (log1p, z-scored) every index prefers k = 2 on CDNOW
 *   and on the synthetic generator (CDNOW silhouette 0.578 at k = 2 against 0.492 at k = 3;
 *   Calinski-Harabasz and Davies-Bouldin agree), and that k = 2 is the split into active repeat
 *   buyers and lapsed, mostly one-time buyers, which recency and frequency already show without
 *   clustering. Pass `kRange: [2, 8]` to allow it.
 * All measures are in the scaled space that k-means uses.
 *
 * @param rows - customer summaries or feature records; not mutated.
 * @param options - see {@link ChooseKOptions}.
 * @returns the k table, the recommended k and the reason.
 * @throws {@link InvalidOptionError} for a bad range (k must stay below the number of distinct
 * customers) or option; {@link InvalidRecordError} for a missing or non-finite feature;
 * {@link AnalyticsError} `EMPTY_INPUT` with no rows.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 20, 21, 22, 50, 51, 52].map((v, i) => ({ customerId: `c${i}`, x: v }));
 * chooseK(rows, { features: ["x"], transform: "none", kRange: [2, 4] }).recommendedK;
 * //=> 3
 * ```
 * @category Clustering
 */
export function chooseK(rows: readonly object[], options: ChooseKOptions = {}): ChooseKResult {
  const prep = prepare("chooseK", rows, options);
  return chooseKPrepared("chooseK", prep, options);
}

/** @internal chooseK on already prepared input. */
export function chooseKPrepared(fn: string, prep: Prepared, options: ChooseKOptions): ChooseKResult {
  return chooseKFits(fn, prep, options).result;
}

/** @internal chooseK on prepared input, also returning the k-means result of every k (so the chosen k need not be fitted again). */
export function chooseKFits(fn: string, prep: Prepared, options: ChooseKOptions): { result: ChooseKResult; fits: Map<number, KmeansResult> } {
  const o = withDefaults(CHOOSE_K_DEFAULTS, options);
  const r = o.kRange;
  if (!Array.isArray(r) || r.length !== 2 || !Number.isInteger(r[0]) || !Number.isInteger(r[1]) || r[0] < 2 || r[1] < r[0]) {
    throw new InvalidOptionError(fn, "kRange", r, "[min, max] integers with 2 <= min <= max");
  }
  const ss = o.silhouetteSampleSize;
  if (typeof ss !== "number" || !Number.isInteger(ss) || ss < 2) throw new InvalidOptionError(fn, "silhouetteSampleSize", ss, "an integer >= 2");
  const { n, d, x } = prep;
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no rows to cluster; a k needs at least kRange[1] + 1 customers`);
  if (r[1] >= n) throw new InvalidOptionError(fn, "kRange", r, `a largest k below the number of customers (${n})`);
  const sample = silhouetteSample(n, ss, o.seed);
  const table: ChooseKRow[] = [];
  const fits = new Map<number, KmeansResult>();
  // One k-d tree (and variance) for every k.
  const prepared = prepareKmeans(x, d);
  for (let k = r[0]; k <= r[1]; k++) {
    const km = runKmeans(fn, x, d, kmeansSettings(fn, { ...o, k, initialCenters: undefined }, d), prepared);
    fits.set(k, km);
    table.push({
      k,
      inertia: km.inertia,
      silhouette: silhouetteOn(x, d, km.labels, k, sample),
      calinskiHarabasz: calinskiHarabaszOn(x, d, km.labels, k),
      daviesBouldin: daviesBouldinOn(x, d, km.labels, k),
      smallestShare: Math.min(...Array.from(km.sizes)) / n,
      iterations: km.iterations,
      converged: km.converged,
    });
  }
  const argmax = (f: (row: ChooseKRow) => number) => table.reduce((b, row) => (f(row) > f(b) + 1e-12 ? row : b)).k;
  const silhouetteK = argmax((t) => t.silhouette);
  const calinskiHarabaszK = argmax((t) => t.calinskiHarabasz);
  const daviesBouldinK = argmax((t) => -t.daviesBouldin);
  const elbowK = kneeOf(table.map((t) => t.k), table.map((t) => t.inertia));
  const best = table.find((t) => t.k === silhouetteK)!;
  const others = table.filter((t) => t.k !== silhouetteK);
  const runnerUp = others.length ? others.reduce((b, t) => (t.silhouette > b.silhouette + 1e-12 ? t : b)) : null;
  const margin = runnerUp ? best.silhouette - runnerUp.silhouette : 0;
  const reason = kReason(table, best, runnerUp, margin, sample, { elbowK, calinskiHarabaszK, daviesBouldinK });
  return {
    result: { table, recommendedK: silhouetteK, reason, criterion: "silhouette", runnerUpK: runnerUp?.k ?? null, silhouetteMargin: margin, silhouetteK, elbowK, calinskiHarabaszK, daviesBouldinK, silhouetteSampleSize: sample.idx.length, silhouetteExact: sample.exact },
    fits,
  };
}

/**
 * Read a k range written as `"A-B"` (the CLI's `--k-range 3-8`), or a single `"A"` for A..A.
 *
 * @param text - the range, e.g. `"3-8"`.
 * @returns `[A, B]` with 2 <= A <= B <= 100.
 * @throws {@link InvalidOptionError} on `kRange` for anything else.
 * @example
 * ```ts
 * parseKRange("3-8");
 * //=> [3, 8]
 * ```
 * @category Clustering
 */
export function parseKRange(text: string): [number, number] {
  const m = typeof text === "string" ? /^\s*(\d{1,3})\s*(?:-\s*(\d{1,3})\s*)?$/.exec(text) : null;
  const a = m ? Number(m[1]) : NaN;
  const b = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(a >= 2 && b >= a && b <= 100)) throw new InvalidOptionError("parseKRange", "kRange", text, '"A-B" with whole numbers 2 <= A <= B <= 100, e.g. "3-8"');
  return [a, b];
}

/** The recommendation in words: the winner, the runner-up and the margin, the other indices, and a warning on tiny clusters. */
function kReason(
  table: readonly ChooseKRow[],
  best: ChooseKRow,
  runnerUp: ChooseKRow | null,
  margin: number,
  sample: { idx: Int32Array; exact: boolean },
  other: { elbowK: number | null; calinskiHarabaszK: number; daviesBouldinK: number },
): string {
  const k = best.k;
  const f3 = (v: number) => v.toFixed(3);
  let text = `k = ${k} has the highest mean silhouette (${f3(best.silhouette)}${sample.exact ? "" : `, on a sample of ${sample.idx.length}`})`;
  if (runnerUp) text += `, ${margin < 0.01 ? "narrowly " : ""}ahead of k = ${runnerUp.k} (${f3(runnerUp.silhouette)}, margin ${f3(margin)})`;
  text += ` among k = ${table[0].k}..${table[table.length - 1].k}`;
  const agree: string[] = [];
  const disagree: string[] = [];
  (other.elbowK === k ? agree : disagree).push(other.elbowK === null ? "no elbow (fewer than 3 values of k)" : `the elbow of the inertia curve${other.elbowK === k ? "" : ` is at k = ${other.elbowK}`}`);
  (other.calinskiHarabaszK === k ? agree : disagree).push(`Calinski-Harabasz${other.calinskiHarabaszK === k ? "" : ` peaks at k = ${other.calinskiHarabaszK}`}`);
  (other.daviesBouldinK === k ? agree : disagree).push(`Davies-Bouldin${other.daviesBouldinK === k ? "" : ` is lowest at k = ${other.daviesBouldinK}`}`);
  const list = (v: string[]) => (v.length <= 1 ? v.join("") : `${v.slice(0, -1).join(", ")} and ${v[v.length - 1]}`);
  if (agree.length) text += `; ${list(agree)} agree${agree.length === 1 ? "s" : ""}`;
  if (disagree.length) text += `; ${disagree.join("; ")}`;
  if (best.smallestShare < 0.02) text += `; its smallest cluster holds only ${(best.smallestShare * 100).toFixed(1)}% of the customers`;
  return text + ".";
}

/** @internal Seeded sample without replacement (partial Fisher-Yates), sorted; all rows when n <= size. */
export function silhouetteSample(n: number, size: number, seed: Seed): { idx: Int32Array; exact: boolean } {
  if (n <= size) return { idx: Int32Array.from({ length: n }, (_, i) => i), exact: true };
  const rng = createRng(seed);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return { idx: perm.slice(0, size).sort(), exact: false };
}

/** @internal Mean silhouette over the sampled points, distances among the sample only (as scikit-learn's `sample_size`). */
export function silhouetteOn(x: Float64Array, d: number, labels: Int32Array, k: number, sample: { idx: Int32Array }): number {
  const idx = sample.idx;
  const m = idx.length;
  const sizes = new Float64Array(k);
  for (let a = 0; a < m; a++) sizes[labels[idx[a]]]++;
  const sumTo = new Float64Array(k);
  let total = 0;
  for (let a = 0; a < m; a++) {
    const i = idx[a];
    const li = labels[i];
    sumTo.fill(0);
    for (let b = 0; b < m; b++) {
      if (b === a) continue;
      const j = idx[b];
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = x[i * d + t] - x[j * d + t];
        s += u * u;
      }
      sumTo[labels[j]] += Math.sqrt(s);
    }
    if (sizes[li] <= 1) continue; // s = 0 for a singleton, as scikit-learn
    const ai = sumTo[li] / (sizes[li] - 1);
    let bi = Infinity;
    for (let c = 0; c < k; c++) if (c !== li && sizes[c] > 0) bi = Math.min(bi, sumTo[c] / sizes[c]);
    if (bi === Infinity) continue;
    const mx = Math.max(ai, bi);
    total += mx > 0 ? (bi - ai) / mx : 0;
  }
  return m > 0 ? total / m : 0;
}

/** @internal Calinski-Harabasz index with cluster means recomputed from the labels. */
export function calinskiHarabaszOn(x: Float64Array, d: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  const means = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  const overall = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    sizes[l]++;
    for (let t = 0; t < d; t++) {
      means[l * d + t] += x[i * d + t];
      overall[t] += x[i * d + t];
    }
  }
  for (let t = 0; t < d; t++) overall[t] /= n;
  let used = 0;
  for (let j = 0; j < k; j++) if (sizes[j] > 0) {
    used++;
    for (let t = 0; t < d; t++) means[j * d + t] /= sizes[j];
  }
  let within = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    for (let t = 0; t < d; t++) {
      const u = x[i * d + t] - means[l * d + t];
      within += u * u;
    }
  }
  let between = 0;
  for (let j = 0; j < k; j++) {
    for (let t = 0; t < d; t++) {
      const u = means[j * d + t] - overall[t];
      between += sizes[j] * u * u;
    }
  }
  if (within === 0) return 1;
  return (between * (n - used)) / (within * (used - 1));
}

/**
 * @internal Davies-Bouldin index with cluster means recomputed from the labels: the mean over
 * clusters of max over other clusters of (s_i + s_j) / |c_i - c_j|, s = mean distance of a
 * cluster's points to its mean (as scikit-learn: 0 when every s or every centre distance is 0;
 * a pair of coinciding centres is skipped). Lower is better.
 */
export function daviesBouldinOn(x: Float64Array, d: number, labels: Int32Array, k: number): number {
  const n = labels.length;
  const means = new Float64Array(k * d);
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    sizes[l]++;
    for (let t = 0; t < d; t++) means[l * d + t] += x[i * d + t];
  }
  for (let j = 0; j < k; j++) if (sizes[j] > 0) for (let t = 0; t < d; t++) means[j * d + t] /= sizes[j];
  const spread = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    let s = 0;
    for (let t = 0; t < d; t++) {
      const u = x[i * d + t] - means[l * d + t];
      s += u * u;
    }
    spread[l] += Math.sqrt(s);
  }
  const used: number[] = [];
  for (let j = 0; j < k; j++) if (sizes[j] > 0) {
    spread[j] /= sizes[j];
    used.push(j);
  }
  if (used.every((j) => spread[j] === 0)) return 0;
  let total = 0;
  let anyApart = false;
  for (const i of used) {
    let worst = 0;
    for (const j of used) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = means[i * d + t] - means[j * d + t];
        s += u * u;
      }
      if (s === 0) continue;
      anyApart = true;
      const r = (spread[i] + spread[j]) / Math.sqrt(s);
      if (r > worst) worst = r;
    }
    total += worst;
  }
  return anyApart ? total / used.length : 0;
}

/** @internal Knee of a decreasing curve: largest gap below the chord, in [0, 1]-scaled coordinates. */
export function kneeOf(ks: readonly number[], ys: readonly number[]): number | null {
  if (ks.length < 3) return null;
  const k0 = ks[0];
  const k1 = ks[ks.length - 1];
  const y0 = ys[0];
  const y1 = ys[ys.length - 1];
  if (!(y0 > y1)) return null;
  let best = -Infinity;
  let at: number | null = null;
  for (let i = 1; i < ks.length - 1; i++) {
    const xs = (ks[i] - k0) / (k1 - k0);
    const yn = (ys[i] - y1) / (y0 - y1);
    const gap = 1 - xs - yn;
    if (gap > best + 1e-12) {
      best = gap;
      at = ks[i];
    }
  }
  return best > 0 ? at : null;
}

/**
 * Options of {@link silhouetteScore}.
 * @category Clustering
 */
export interface SilhouetteScoreOptions {
  /** Exact when there are at most this many points, otherwise computed on a seeded sample of this size. Default `Infinity` (always exact, O(n^2)). */
  sampleSize?: number;
  /** Seed of the sample. Default 42. */
  seed?: Seed;
}

/**
 * Mean silhouette width of a labelled set of points (Euclidean), as scikit-learn's
 * `silhouette_score`.
 *
 * @remarks
 * For point i: a = mean distance to the other points of its cluster, b = lowest mean distance
 * to the points of another cluster, s = (b - a) / max(a, b), and s = 0 for a point alone in its
 * cluster (Rousseeuw 1987). Returns the mean of s. O(m^2 d) for m points (or sample size).
 *
 * @param data - points, row-major (see {@link KmeansData}).
 * @param labels - cluster of each point, integers `0 .. k-1`.
 * @param options - see {@link SilhouetteScoreOptions}.
 * @returns the mean silhouette in [-1, 1].
 * @throws {@link InvalidOptionError} when labels do not match the points, use fewer than 2 or
 * more than n - 1 clusters, or a coordinate is not finite.
 * @example
 * ```ts
 * silhouetteScore({ values: Float64Array.from([0, 1, 10, 11]), dimensions: 1 }, [0, 0, 1, 1]).toFixed(4);
 * //=> "0.8997"
 * ```
 * @category Clustering
 */
export function silhouetteScore(data: KmeansData, labels: ArrayLike<number>, options: SilhouetteScoreOptions = {}): number {
  const o = withDefaults({ sampleSize: Infinity, seed: 42 as Seed }, options);
  const { lab, k, n } = checkLabelled("silhouetteScore", data, labels);
  const d = data.dimensions;
  const size = o.sampleSize;
  if (typeof size !== "number" || !(size >= 2)) throw new InvalidOptionError("silhouetteScore", "sampleSize", size, "a number >= 2");
  return silhouetteOn(data.values, d, lab, k, silhouetteSample(n, Number.isFinite(size) ? Math.floor(size) : n, o.seed));
}

/**
 * Calinski-Harabasz index (variance ratio criterion) of a labelled set of points, as
 * scikit-learn's `calinski_harabasz_score`.
 *
 * @remarks
 * `CH = [B / (k - 1)] / [W / (n - k)]`, B = sum over clusters of size x squared distance from
 * the cluster mean to the overall mean, W = sum of squared distances from each point to its
 * cluster mean (Calinski & Harabasz 1974); 1 when W = 0, as scikit-learn. Higher is better.
 * O(n d).
 *
 * @param data - points, row-major (see {@link KmeansData}).
 * @param labels - cluster of each point, integers `0 .. k-1`.
 * @returns the index (> 0).
 * @throws {@link InvalidOptionError} when labels do not match the points or use fewer than 2
 * or more than n - 1 clusters.
 * @example
 * ```ts
 * calinskiHarabaszScore({ values: Float64Array.from([0, 1, 10, 11]), dimensions: 1 }, [0, 0, 1, 1]);
 * //=> 200
 * ```
 * @category Clustering
 */
export function calinskiHarabaszScore(data: KmeansData, labels: ArrayLike<number>): number {
  const { lab, k } = checkLabelled("calinskiHarabaszScore", data, labels);
  return calinskiHarabaszOn(data.values, data.dimensions, lab, k);
}

/**
 * Davies-Bouldin index of a labelled set of points, as scikit-learn's `davies_bouldin_score`.
 *
 * @remarks
 * For clusters i and j with mean distance to their own mean s_i, s_j and means c_i, c_j:
 * R_ij = (s_i + s_j) / |c_i - c_j|; the index is the mean over clusters of max over j of R_ij
 * (Davies & Bouldin 1979). 0 when every s is 0. Lower is better. O(n d + k^2 d).
 *
 * @param data - points, row-major (see {@link KmeansData}).
 * @param labels - cluster of each point, integers `0 .. k-1`.
 * @returns the index (>= 0).
 * @throws {@link InvalidOptionError} when labels do not match the points or use fewer than 2
 * or more than n - 1 clusters.
 * @example
 * ```ts
 * // s = 0.5 in both clusters, centres 0.5 and 10.5: (0.5 + 0.5) / 10
 * daviesBouldinScore({ values: Float64Array.from([0, 1, 10, 11]), dimensions: 1 }, [0, 0, 1, 1]);
 * //=> 0.1
 * ```
 * @category Clustering
 */
export function daviesBouldinScore(data: KmeansData, labels: ArrayLike<number>): number {
  const { lab, k } = checkLabelled("daviesBouldinScore", data, labels);
  return daviesBouldinOn(data.values, data.dimensions, lab, k);
}

function checkLabelled(fn: string, data: KmeansData, labels: ArrayLike<number>): { lab: Int32Array; k: number; n: number } {
  const d = data?.dimensions;
  if (typeof d !== "number" || !Number.isInteger(d) || d < 1 || !(data.values instanceof Float64Array) || data.values.length % d !== 0) {
    throw new InvalidOptionError(fn, "data", data, "{ values: Float64Array, dimensions: integer >= 1 } with values.length a multiple of dimensions");
  }
  if (data.values.some((v) => !Number.isFinite(v))) throw new InvalidOptionError(fn, "data", "a non-finite coordinate", "finite coordinates");
  const n = data.values.length / d;
  if (!labels || labels.length !== n) throw new InvalidOptionError(fn, "labels", labels, `${n} cluster numbers`);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(labels[i]) || labels[i] < 0) throw new InvalidOptionError(fn, "labels", labels[i], "integers >= 0");
    k = Math.max(k, labels[i] + 1);
  }
  const lab = Int32Array.from(labels as ArrayLike<number>);
  const distinct = new Set(lab).size;
  if (distinct < 2 || distinct > n - 1) throw new InvalidOptionError(fn, "labels", `${distinct} clusters`, `between 2 and n - 1 = ${n - 1} clusters`);
  return { lab, k, n };
}
