/**
 * Typed-array k-means (Lloyd's algorithm with k-means++ seeding and restarts).
 *
 * ml-kmeans 7 works on `number[][]`, calls a distance function per pair, has no restarts and
 * no inertia; on 1,000,000 x 3 points one run took 5.9 s and 730 MiB (see
 * docs/benchmarks.md), so ten restarts miss the 10 s target. This module keeps the same
 * algorithm on one row-major `Float64Array`. The assignment step, where Lloyd spends its time,
 * skips work that cannot change a label: for up to `TREE_MAX_DIMENSIONS` features a k-d
 * tree built once per call (Kanungo et al. 2002, see kdtree.ts), beyond that Hamerly's (2010)
 * distance bounds. Both give exactly plain Lloyd's labels. ml-kmeans stays the reference it is
 * tested against, with a plain Lloyd loop in test/cluster/lloyd.test.ts. The k-means++ seeding
 * skips candidate distances that the triangle inequality rules out, and on the bounds path
 * leaves the first assignment with its bounds. Restarts are independent given the generator's
 * position (`restartRng`), which lets parallel.ts run them on worker threads with the same result.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Rng, type Seed } from "../core/random.js";
import { buildKdTree, TreeAssignment, type KdTree } from "./kdtree.js";

/**
 * Points for {@link kmeans}: `n * dimensions` numbers, row-major (point i occupies
 * `values[i * dimensions .. i * dimensions + dimensions - 1]`).
 * @category Clustering
 */
export interface KmeansData {
  /** Row-major coordinates. */
  readonly values: Float64Array;
  /** Number of coordinates per point (at least 1). */
  readonly dimensions: number;
}

/**
 * Options of {@link kmeans}.
 * @category Clustering
 */
export interface KmeansOptions {
  /** Number of clusters. Default 4. */
  k?: number;
  /** Number of k-means++ restarts; the run with the lowest inertia wins (earliest on ties). Default 10 (scikit-learn's classic default), at most 1,000 (`InvalidOptionError` above: each restart is a full run); forced to 1 when `initialCenters` is given. */
  nInit?: number;
  /** Maximum Lloyd iterations (centre updates) per run. Default 300 (scikit-learn's default), at most 100,000. */
  maxIterations?: number;
  /** Stop when the sum of squared centre moves is at most `tolerance` times the mean per-dimension variance of the data (scikit-learn's rule); 0 means "only when no label changes". Default 1e-4. */
  tolerance?: number;
  /** Seed of the k-means++ draws. Default 42. */
  seed?: Seed;
  /** Starting centres (`k` rows of `dimensions` numbers) instead of k-means++. Default: none (k-means++). */
  initialCenters?: readonly (readonly number[])[];
}

/**
 * Result of {@link kmeans}.
 * @category Clustering
 */
export interface KmeansResult {
  /** Cluster of each point, `0 .. k-1`; each point's nearest final centre. */
  labels: Int32Array;
  /** Final centres, `k * dimensions`, row-major. */
  centers: Float64Array;
  /** Number of points in each cluster. */
  sizes: Int32Array;
  /** Sum of squared distances from each point to its centre. */
  inertia: number;
  /** Lloyd iterations of the winning run. */
  iterations: number;
  /** Whether the winning run met the stopping rule before `maxIterations`. */
  converged: boolean;
  /** Runs performed. */
  runs: number;
}

const KMEANS_DEFAULTS = Object.freeze({ k: 4, nInit: 10, maxIterations: 300, tolerance: 1e-4, seed: 42 as Seed });

function checkInt(fn: string, name: string, v: unknown, min: number, max = Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw new InvalidOptionError(fn, name, v, max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  return v;
}

/** Largest `nInit` accepted: restarts beyond a few dozen almost never lower the inertia, and each costs a full k-means run. */
const MAX_N_INIT = 1000;
/** Largest `maxIterations` accepted (Lloyd's algorithm converges in far fewer on real data). */
const MAX_ITERATIONS = 100_000;

/** @internal Validated options shared with clusterCustomers. */
export interface KmeansSettings {
  k: number;
  nInit: number;
  maxIterations: number;
  tolerance: number;
  seed: Seed;
  initialCenters: Float64Array | null;
}

/** @internal */
export function kmeansSettings(fn: string, options: KmeansOptions, d: number): KmeansSettings {
  const o = withDefaults(KMEANS_DEFAULTS, options);
  const k = checkInt(fn, "k", o.k, 1);
  const nInit = checkInt(fn, "nInit", o.nInit, 1, MAX_N_INIT);
  const maxIterations = checkInt(fn, "maxIterations", o.maxIterations, 1, MAX_ITERATIONS);
  if (typeof o.tolerance !== "number" || !(o.tolerance >= 0) || !Number.isFinite(o.tolerance)) {
    throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a finite number >= 0");
  }
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) {
    throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
  }
  let initialCenters: Float64Array | null = null;
  if (o.initialCenters !== undefined) {
    const c = o.initialCenters;
    if (!Array.isArray(c) || c.length !== k || c.some((r) => !Array.isArray(r) || r.length !== d || r.some((x) => typeof x !== "number" || !Number.isFinite(x)))) {
      throw new InvalidOptionError(fn, "initialCenters", c, `${k} rows of ${d} finite numbers`);
    }
    initialCenters = Float64Array.from(c.flat());
  }
  return { k, nInit: initialCenters ? 1 : nInit, maxIterations, tolerance: o.tolerance, seed: o.seed, initialCenters };
}

/**
 * k-means clustering of points held in one typed array: k-means++ seeding (greedy, with
 * `2 + floor(ln k)` candidates per centre as in scikit-learn), Lloyd iterations, `nInit`
 * restarts, best inertia kept.
 *
 * @remarks
 * Minimises the inertia `sum_i ||x_i - c_{label(i)}||^2` (Lloyd 1982; k-means++ seeding by
 * Arthur & Vassilvitskii 2007). Each iteration assigns every point to its nearest centre (the
 * lowest index wins exact ties), then moves each centre to the mean of its points. A cluster
 * left empty is moved onto the point farthest from its centre, so centres are never `NaN`.
 * When the run stops on the tolerance rather than on unchanged labels, the labels are
 * recomputed once against the final centres, so `labels` always point to the nearest centre.
 * Plain Lloyd costs O(n k d) per iteration; here a k-d tree (up to 7 features; Kanungo et al.
 * 2002) or Hamerly's bounds (more features) skip the distances that cannot change a label, with
 * the same labels as plain Lloyd. Seeding costs O(n d log k) per centre and restart. Memory
 * O(n d) besides the input (the tree keeps a reordered copy of the points).
 *
 * @param data - points, row-major.
 * @param options - see {@link KmeansOptions}.
 * @returns labels, centres, sizes, inertia, iterations, convergence.
 * @throws {@link InvalidOptionError} for a bad option, or `k` larger than the number of
 * distinct points; {@link InvalidRecordError} (1-based `row`, `field` "coordinate j") when a coordinate is not finite.
 * @example
 * ```ts
 * const r = kmeans({ values: Float64Array.from([0, 0, 0, 1, 10, 10, 10, 11]), dimensions: 2 }, { k: 2, seed: 1 });
 * [r.inertia, r.sizes[0]];
 * //=> [1, 2]
 * ```
 * @category Clustering
 */
export function kmeans(data: KmeansData, options: KmeansOptions = {}): KmeansResult {
  const d = checkPoints("kmeans", data);
  return runKmeans("kmeans", data.values, d, kmeansSettings("kmeans", options, d));
}

/** @internal Validate {@link KmeansData}; returns the number of dimensions. */
export function checkPoints(fn: string, data: KmeansData): number {
  const d = checkInt(fn, "dimensions", data?.dimensions, 1);
  if (!(data.values instanceof Float64Array) || data.values.length % d !== 0) {
    throw new InvalidOptionError(fn, "values", data?.values, `a Float64Array whose length is a multiple of ${d}`);
  }
  for (let i = 0; i < data.values.length; i++) {
    if (!Number.isFinite(data.values[i])) {
      // 1-based row (point) and column (coordinate), as every other InvalidRecordError.
      throw new InvalidRecordError(fn, { row: Math.floor(i / d) + 1, field: `coordinate ${(i % d) + 1}`, value: data.values[i], expected: "a finite number (remove or fill the point first)" });
    }
  }
  return d;
}

/**
 * Largest number of features for which the assignment step uses the k-d tree; above it,
 * Hamerly's bounds. On 1,000,000 noisy points with k = 5 the tree was 1.4x faster than the
 * bounds at 5 features, 1.07x at 7 and 0.93x at 8 (k-d trees lose their edge as dimensions grow).
 */
const TREE_MAX_DIMENSIONS = 7;

/** Deepest k-d tree used (a balanced tree over 10^9 points in leaves of 32 is 25 deep). */
const MAX_TREE_DEPTH = 256;

/** @internal What `runKmeans` derives from the points alone; build it once to fit several k on the same points. */
export interface KmeansPrepared {
  /** Mean per-dimension population variance (the tolerance is relative to it). */
  meanVariance: number;
  /** The k-d tree, or `null` above `TREE_MAX_DIMENSIONS` features or without points. */
  tree: KdTree | null;
}

/** @internal */
export function prepareKmeans(x: Float64Array, d: number): KmeansPrepared {
  const n = x.length / d;
  let meanVariance = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = x[i * d + j] - m;
      v += t * t;
    }
    meanVariance += v / n;
  }
  const tree = n > 0 && d <= TREE_MAX_DIMENSIONS ? buildKdTree(x, n, d) : null;
  // A very deep tree means values spread over hundreds of orders of magnitude (each split
  // halves a side); there the bounds serve as well and the tree walk's recursion stays shallow.
  return { meanVariance, tree: tree && tree.depth <= MAX_TREE_DEPTH ? tree : null };
}

/** @internal Restarts over validated input, one after the other on this thread. */
export function runKmeans(fn: string, x: Float64Array, d: number, s: KmeansSettings, prepared?: KmeansPrepared): KmeansResult {
  const n = x.length / d;
  if (n === 0) return emptyKmeans();
  if (s.k > n) throw new InvalidOptionError(fn, "k", s.k, `at most the number of points (${n})`);
  const runner = new RestartRunner(fn, x, d, s, prepared ?? prepareKmeans(x, d));
  // One generator for all restarts: restart r starts at draw r * drawsPerRestart(k), as restartRng gives.
  const rng = createRng(s.seed);
  let best: KmeansResult | null = null;
  for (let run = 0; run < s.nInit; run++) {
    const r = runner.run(rng);
    if (best === null || r.inertia < best.inertia) best = runner.keep(r);
  }
  best!.runs = s.nInit;
  return best!;
}

/** @internal The result for no points. */
export function emptyKmeans(): KmeansResult {
  return { labels: new Int32Array(0), centers: new Float64Array(0), sizes: new Int32Array(0), inertia: 0, iterations: 0, converged: true, runs: 0 };
}

/**
 * @internal Random draws one k-means++ seeding takes: the first centre, then `2 + floor(ln k)`
 * candidates for each further centre. Fixed, so restart r can start its own generator at draw
 * `r * drawsPerRestart(k)` on any thread and draw exactly what the sequential loop draws.
 */
export function drawsPerRestart(k: number): number {
  return 1 + (k - 1) * (2 + Math.floor(Math.log(k)));
}

/** @internal The generator of restart `run`, positioned where the sequential loop would be. */
export function restartRng(seed: Seed, run: number, k: number): Rng {
  const rng = createRng(seed);
  for (let i = run * drawsPerRestart(k); i > 0; i--) rng.next();
  return rng;
}

/**
 * @internal One thread's restarts over the same points: the buffers they share, and one
 * restart (seeding, then Lloyd) at a time. A restart depends only on the points, the settings and
 * the generator's position, so any thread gives the same result for it.
 */
export class RestartRunner {
  private readonly n: number;
  private readonly tol: number;
  private readonly seeded: SeedState | null;
  private readonly scratch: Scratch;
  private readonly box: Float64Array;

  constructor(
    private readonly fn: string,
    private readonly x: Float64Array,
    private readonly d: number,
    private readonly s: KmeansSettings,
    private readonly prep: KmeansPrepared,
  ) {
    const n = x.length / d;
    this.n = n;
    // Tolerance scaled by the mean variance of the data, as scikit-learn does.
    this.tol = (s.tolerance * prep.meanVariance) / d;
    // The bounds path starts each run from the seeding's own nearest-centre pass (no first full
    // scan); the tree path has its own first pass and needs only the seeding.
    this.seeded = prep.tree || s.initialCenters ? null : new SeedState(n);
    this.scratch = new Scratch(n);
    this.box = pointBox(x, n, d);
  }

  /** One restart, drawing its seeds from `rng`. Its labels may be a buffer the next restart reuses: pass a result to {@link keep} before the next call to hold on to it. */
  run(rng: Rng): KmeansResult {
    const { fn, x, n, d, s, prep, seeded } = this;
    const k = s.k;
    const init = s.initialCenters ? Float64Array.from(s.initialCenters) : kmeansPlusPlus(fn, x, n, d, k, rng, this.scratch, seeded);
    const step: Assignment = prep.tree ? new TreeAssignment(prep.tree, k) : new BoundsAssignment(x, n, d, k, this.box, seeded);
    return lloyd(step, x, n, d, k, init, s.maxIterations, this.tol);
  }

  /** `r` with labels of its own (a copy when they are the reused seeding buffer). */
  keep(r: KmeansResult): KmeansResult {
    return this.seeded && r.labels === this.seeded.labels ? { ...r, labels: r.labels.slice() } : r;
  }
}

/** Buffers shared by the restarts' seeding: each point's squared distance to the nearest chosen centre, and their running sum. */
class Scratch {
  readonly dist: Float64Array;
  readonly cum: Float64Array;
  /** Nearest chosen centre of each point (lowest number on ties). */
  readonly near: Int32Array;
  constructor(n: number) {
    this.dist = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.near = new Int32Array(n);
  }
}

/**
 * What the seeding leaves for the bounds path: after the last centre is chosen, every point's
 * nearest centre (`labels`, exactly the first Lloyd assignment), its distance (`upper`) and a
 * lower bound on the distance to every other centre (`lower`), as Hamerly's first pass would
 * set them (the lower bound may be looser: centres dropped by the triangle inequality give
 * only a bound).
 */
class SeedState {
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  constructor(n: number) {
    this.labels = new Int32Array(n);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n);
  }
}

/** Smallest and largest coordinate of the points, per dimension (`2 * d` numbers: lows then highs). */
function pointBox(x: Float64Array, n: number, d: number): Float64Array {
  const box = new Float64Array(2 * d).fill(Infinity);
  for (let t = 0; t < d; t++) box[d + t] = -Infinity;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t];
      if (v < box[t]) box[t] = v;
      if (v > box[d + t]) box[d + t] = v;
    }
  }
  return box;
}

/** Squared distance between x[i..i+d) and c[j..j+d); the three-feature case (RFM) unrolled. */
function sqDist(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  if (d === 3) {
    const u = x[i] - c[j];
    const v = x[i + 1] - c[j + 1];
    const w = x[i + 2] - c[j + 2];
    return u * u + v * v + w * w;
  }
  let s = 0;
  for (let t = 0; t < d; t++) {
    const u = x[i + t] - c[j + t];
    s += u * u;
  }
  return s;
}

/**
 * A candidate is skipped for a point when the point is nearer its own centre than half the
 * candidate's distance to that centre (then the candidate is no nearer: triangle inequality).
 * The test compares `4 * (1 + SKIP_MARGIN)` times the point's squared distance with the squared
 * centre distance, so rounding can never skip a candidate that the exact distance would prefer.
 */
const SKIP_MARGIN = 1e-9;

/**
 * @internal The k-means++ seeds of one restart drawn from `rng` (as a restart of {@link kmeans}
 * draws them), for tests of the seeding distribution.
 */
export function kmeansPlusPlusSeeds(x: Float64Array, d: number, k: number, rng: Rng): Float64Array {
  const n = x.length / d;
  return kmeansPlusPlus("kmeans", x, n, d, k, rng, new Scratch(n), null);
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's greedy variant): each new
 * centre is the best, by resulting potential, of `2 + floor(ln k)` points drawn with
 * probability proportional to their squared distance to the nearest chosen centre. Per new
 * centre: one pass scores the candidates, one pass updates the nearest distances and their
 * running sum used for the next draw. Both passes skip a distance when the triangle inequality
 * already shows the candidate is no nearer than the point's current centre (Elkan 2003's
 * centre-to-centre test); the potentials and draws are the same as with every distance
 * computed. With `seeded`, one more update pass after the last centre leaves the first Lloyd
 * assignment and its Hamerly bounds there.
 */
function kmeansPlusPlus(fn: string, x: Float64Array, n: number, d: number, k: number, rng: Rng, s: Scratch, seeded: SeedState | null): Float64Array {
  const centers = new Float64Array(k * d);
  const closest = s.dist;
  const cum = s.cum;
  const near = s.near;
  const trials = 2 + Math.floor(Math.log(k));
  const cand = new Int32Array(trials);
  const pots = new Float64Array(trials);
  const cpos = new Float64Array(trials * d);
  // Per candidate t and chosen centre a: squared distance / (4 (1 + margin)); a point of centre a
  // with closest[i] <= skip[t * k + a] is no nearer to t.
  const skip = new Float64Array(trials * k);
  const upper = seeded ? seeded.upper : null;
  const lower = seeded ? seeded.lower : null;
  const cdist = new Float64Array(k);
  let first = Math.floor(rng.next() * n);
  if (first >= n) first = n - 1;
  for (let t = 0; t < d; t++) centers[t] = x[first * d + t];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(x, i * d, centers, 0, d);
    near[i] = 0;
    acc += closest[i];
    cum[i] = acc;
  }
  if (upper && lower) {
    for (let i = 0; i < n; i++) upper[i] = Math.sqrt(closest[i]);
    lower.fill(Infinity);
  }
  const q = 1 / (4 * (1 + SKIP_MARGIN));
  for (let c = 1; c < k; c++) {
    if (!(acc > 0)) throw new InvalidOptionError(fn, "k", k, `at most the number of distinct points (${c})`);
    for (let t = 0; t < trials; t++) {
      const target = rng.next() * acc;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid] <= target) lo = mid + 1;
        else hi = mid;
      }
      // A point already at a centre has zero weight; step back to one with weight.
      while (closest[lo] === 0 && lo > 0) lo--;
      cand[t] = lo;
      for (let e = 0; e < d; e++) cpos[t * d + e] = x[lo * d + e];
      for (let a = 0; a < c; a++) skip[t * k + a] = sqDist(cpos, t * d, centers, a * d, d) * q;
    }
    pots.fill(0);
    if (d === 3 && trials === 3 && !seeded) scorePots3(x, n, closest, cpos, trials, pots);
    else scorePots(x, n, d, k, closest, near, cpos, trials, skip, pots);
    let bt = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[bt]) bt = t;
    for (let e = 0; e < d; e++) centers[c * d + e] = cpos[bt * d + e];
    if (c === k - 1 && !seeded) break;
    for (let a = 0; a < c; a++) cdist[a] = skip[bt * k + a];
    acc = updateNearest(x, n, d, c, centers, closest, near, cum, cdist, upper, lower, q);
  }
  if (seeded) seeded.labels.set(near);
  return centers;
}

/**
 * Potential of each candidate: sum over points of min(own squared distance, squared distance to
 * the candidate). One pass over the points; up to three candidates at a time, whose distances
 * are computed together (three independent sums, each in the order of {@link sqDist}) when none
 * of them is ruled out for the point.
 */
function scorePots(x: Float64Array, n: number, d: number, k: number, closest: Float64Array, near: Int32Array, cpos: Float64Array, trials: number, skip: Float64Array, pots: Float64Array): void {
  for (let t0 = 0; t0 < trials; t0 += 3) {
    const m = Math.min(3, trials - t0);
    if (m < 3) {
      for (let t = t0; t < trials; t++) pots[t] = scoreOne(x, n, d, k, closest, near, cpos, t, skip);
      continue;
    }
    const q0 = t0 * d;
    const q1 = q0 + d;
    const q2 = q1 + d;
    const k0 = t0 * k;
    const k1 = k0 + k;
    const k2 = k1 + k;
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    for (let i = 0; i < n; i++) {
      const ci = closest[i];
      const a = near[i];
      const o = i * d;
      const need0 = ci > skip[k0 + a];
      const need1 = ci > skip[k1 + a];
      const need2 = ci > skip[k2 + a];
      if (need0 && need1 && need2) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        for (let t = 0; t < d; t++) {
          const v = x[o + t];
          const u0 = v - cpos[q0 + t];
          const u1 = v - cpos[q1 + t];
          const u2 = v - cpos[q2 + t];
          s0 += u0 * u0;
          s1 += u1 * u1;
          s2 += u2 * u2;
        }
        p0 += s0 < ci ? s0 : ci;
        p1 += s1 < ci ? s1 : ci;
        p2 += s2 < ci ? s2 : ci;
        continue;
      }
      if (need0) {
        const sd = sqDist(x, o, cpos, q0, d);
        p0 += sd < ci ? sd : ci;
      } else p0 += ci;
      if (need1) {
        const sd = sqDist(x, o, cpos, q1, d);
        p1 += sd < ci ? sd : ci;
      } else p1 += ci;
      if (need2) {
        const sd = sqDist(x, o, cpos, q2, d);
        p2 += sd < ci ? sd : ci;
      } else p2 += ci;
    }
    pots[t0] = p0;
    pots[t0 + 1] = p1;
    pots[t0 + 2] = p2;
  }
}

/** Potential of candidate t alone (see {@link scorePots}). */
function scoreOne(x: Float64Array, n: number, d: number, k: number, closest: Float64Array, near: Int32Array, cpos: Float64Array, t: number, skip: Float64Array): number {
  let p = 0;
  const to = t * d;
  const tk = t * k;
  for (let i = 0; i < n; i++) {
    const ci = closest[i];
    if (ci <= skip[tk + near[i]]) {
      p += ci;
      continue;
    }
    const sd = sqDist(x, i * d, cpos, to, d);
    p += sd < ci ? sd : ci;
  }
  return p;
}

/**
 * Fold centre `c` into each point's nearest centre, squared distance and running sum; returns the
 * total. `cdist[a]` is (squared distance from centre c to centre a) * q. With bounds: `upper` is
 * the distance to the nearest centre and `lower` a lower bound on the distance to any other.
 */
function updateNearest(x: Float64Array, n: number, d: number, c: number, centers: Float64Array, closest: Float64Array, near: Int32Array, cum: Float64Array, cdist: Float64Array, upper: Float64Array | null, lower: Float64Array | null, q: number): number {
  let acc = 0;
  const co = c * d;
  if (upper && lower) {
    // Centre-to-centre distances (not squared) for the lower bound of skipped points.
    const cd = new Float64Array(c);
    for (let a = 0; a < c; a++) cd[a] = Math.sqrt(cdist[a] / q);
    for (let i = 0; i < n; i++) {
      const ci = closest[i];
      const a = near[i];
      if (ci <= cdist[a]) {
        // Candidate no nearer: its distance is at least |c - c_a| - |x - c_a| (triangle).
        const lb = cd[a] - upper[i];
        if (lb < lower[i]) lower[i] = lb;
      } else {
        const sd = sqDist(x, i * d, centers, co, d);
        if (sd < ci) {
          if (upper[i] < lower[i]) lower[i] = upper[i];
          closest[i] = sd;
          near[i] = c;
          upper[i] = Math.sqrt(sd);
        } else {
          const r = Math.sqrt(sd);
          if (r < lower[i]) lower[i] = r;
        }
      }
      acc += closest[i];
      cum[i] = acc;
    }
    return acc;
  }
  for (let i = 0; i < n; i++) {
    const ci = closest[i];
    if (ci > cdist[near[i]]) {
      const sd = sqDist(x, i * d, centers, co, d);
      if (sd < ci) {
        closest[i] = sd;
        near[i] = c;
      }
    }
    acc += closest[i];
    cum[i] = acc;
  }
  return acc;
}

/**
 * The assignment step of one run: nearest centre of every point (lowest cluster number on exact
 * ties), with the sum and count of each cluster.
 */
interface Assignment {
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  /** Assign every point to its nearest centre in `centers`; returns how many labels changed. */
  assign(centers: Float64Array): number;
  /** Index of the point farthest from the centre (in `centers`) of its cluster, lowest index on ties, not in `taken`. */
  farthest(centers: Float64Array, taken: readonly number[]): number;
  /** Labels in the order of the points. */
  originalLabels(): Int32Array;
}

/**
 * Lloyd's iterations from `start` (updated in place). The assignment step does the per-point
 * work; this loop moves the centres, relocates empty clusters and applies the stopping rules.
 */
function lloyd(step: Assignment, x: Float64Array, n: number, d: number, k: number, start: Float64Array, maxIterations: number, tol: number): KmeansResult {
  const centers = start;
  const old = new Float64Array(k * d);
  const { sums, counts } = step;
  step.assign(centers);
  const taken: number[] = [];
  let updates = 0;
  let converged = false;
  let strict = false;
  while (updates < maxIterations) {
    updates++;
    old.set(centers);
    let shift = 0;
    taken.length = 0;
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // Empty cluster: move it onto the point farthest from its own centre (scikit-learn's
        // rule); the next assignment gives that point to it.
        const far = step.farthest(old, taken);
        taken.push(far);
        for (let t = 0; t < d; t++) centers[j * d + t] = x[far * d + t];
        shift = Infinity;
        continue;
      }
      for (let t = 0; t < d; t++) centers[j * d + t] = sums[j * d + t] / counts[j];
    }
    if (shift !== Infinity) for (let j = 0; j < k; j++) shift += sqDist(centers, j * d, old, j * d, d);
    const changed = step.assign(centers);
    if (tol > 0 && shift <= tol) {
      converged = true;
      break;
    }
    if (changed === 0) {
      converged = true;
      strict = true;
      break;
    }
  }
  // As scikit-learn's n_iter_: centre updates, plus the pass that found no label change.
  const iterations = strict ? Math.min(updates + 1, maxIterations) : updates;
  // Sizes and inertia against the final centres (labels are their nearest centres).
  const labels = step.originalLabels();
  const sizes = new Int32Array(k);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    sizes[a]++;
    inertia += sqDist(x, i * d, centers, a * d, d);
  }
  return { labels, centers, sizes, inertia, iterations, converged, runs: 1 };
}

/**
 * Hamerly's (2010) assignment step, used above `TREE_MAX_DIMENSIONS` features: each point
 * keeps an upper bound on the distance to its centre and a lower bound on the distance to every
 * other centre (loosened by the largest centre move each pass); when the upper bound is below
 * max(lower bound, half the distance from its centre to the nearest other centre) the point
 * cannot change cluster and no distance is computed. The sums are kept up to date as points move.
 */
class BoundsAssignment implements Assignment {
  readonly sums: Float64Array;
  readonly counts: Int32Array;
  private readonly labels: Int32Array;
  /**
   * Bounds relative to the cumulative centre drift (per cluster for the upper bound, the largest
   * move per pass for the lower bound), so a point whose bounds still hold costs three reads and
   * no write: effective upper = upper[i] + drift[label], effective lower = lower[i] - globalDrift.
   */
  private readonly upper: Float64Array;
  private readonly lower: Float64Array;
  private readonly drift: Float64Array;
  private globalDrift = 0;
  private readonly half: Float64Array;
  /** Half the distance between centres j and q at `j * k + q`. */
  private readonly halfBetween: Float64Array;
  private readonly prev: Float64Array;
  /** Diagonal of the box holding the points and the starting centres: every distance is at most this. */
  private diameter = 0;
  private started = false;

  /**
   * @param box - {@link pointBox} of the points.
   * @param seeded - the seeding's nearest centres and bounds for these starting centres, or
   * `null` (the first pass then scans every centre).
   */
  constructor(
    private readonly x: Float64Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    private readonly box: Float64Array,
    private readonly seeded: SeedState | null,
  ) {
    this.sums = new Float64Array(k * d);
    this.counts = new Int32Array(k);
    this.labels = seeded ? seeded.labels : new Int32Array(n);
    this.upper = seeded ? seeded.upper : new Float64Array(n);
    this.lower = seeded ? seeded.lower : new Float64Array(n);
    this.drift = new Float64Array(k);
    this.half = new Float64Array(k);
    this.halfBetween = new Float64Array(k * k);
    this.prev = new Float64Array(k * d);
  }

  assign(centers: Float64Array): number {
    const { x, n, d, k } = this;
    if (!this.started) {
      this.started = true;
      this.diameter = boxDiagonal(this.box, d, centers, k);
      if (!this.seeded) for (let i = 0; i < n; i++) fullScan(x, i, d, k, centers, this.labels, this.upper, this.lower, this.drift, 0);
      for (let i = 0; i < n; i++) {
        const a = this.labels[i];
        this.counts[a]++;
        for (let t = 0; t < d; t++) this.sums[a * d + t] += x[i * d + t];
      }
      this.prev.set(centers);
      return n;
    }
    let max1 = 0;
    for (let j = 0; j < k; j++) {
      const m = Math.sqrt(sqDist(centers, j * d, this.prev, j * d, d));
      this.drift[j] += m;
      if (m > max1) max1 = m;
    }
    this.globalDrift += max1;
    // Half distance between every two centres, and from each centre to its nearest other one.
    const hb = this.halfBetween;
    for (let j = 0; j < k; j++) {
      let m = Infinity;
      for (let q = 0; q < k; q++) {
        if (q === j) continue;
        const dd = q < j ? hb[q * k + j] : 0.5 * Math.sqrt(sqDist(centers, j * d, centers, q * d, d));
        hb[j * k + q] = dd;
        if (dd < m) m = dd;
      }
      this.half[j] = m;
    }
    this.prev.set(centers);
    // The stored bounds carry rounding errors of a few ulps of the distances and drifts
    // involved; a point is skipped only when its bounds hold by more than this margin, so that
    // exact ties are always rescanned and go to the lower cluster number, as in plain Lloyd.
    const eps = 1e-10 * (this.diameter + this.globalDrift);
    return reassign(x, n, d, k, centers, this.labels, this.upper, this.lower, this.sums, this.counts, this.drift, this.globalDrift, this.half, this.halfBetween, eps);
  }

  farthest(centers: Float64Array, taken: readonly number[]): number {
    const { x, n, d } = this;
    let far = -1;
    let farD = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = sqDist(x, i * d, centers, this.labels[i] * d, d);
      if (u > farD && !taken.includes(i)) {
        far = i;
        farD = u;
      }
    }
    return far;
  }

  originalLabels(): Int32Array {
    return this.labels;
  }
}

/** Diagonal of the bounding box of the points ({@link pointBox}) and the k centres. */
function boxDiagonal(box: Float64Array, d: number, centers: Float64Array, k: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    let lo = box[t];
    let hi = box[d + t];
    for (let j = 0; j < k; j++) {
      const v = centers[j * d + t];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    s += (hi - lo) * (hi - lo);
  }
  return Math.sqrt(s);
}

/** Points whose bounds are checked together before their distances are computed (small enough to stay in cache). */
const PASS_BLOCK = 256;

/**
 * One Hamerly pass: rescan only the points whose bounds fail; returns how many points changed
 * cluster. Per block of points: first the bound test, collecting the points that need their own
 * centre's distance; then those distances four at a time ({@link ownDistances}); then, in point
 * order (so the cluster sums change in the same order as a point-by-point loop), a full scan of
 * the points whose tightened bound still fails.
 */
function reassign(x: Float64Array, n: number, d: number, k: number, centers: Float64Array, labels: Int32Array, upper: Float64Array, lower: Float64Array, sums: Float64Array, counts: Int32Array, drift: Float64Array, globalDrift: number, half: Float64Array, halfBetween: Float64Array, eps: number): number {
  let changed = 0;
  const idx = new Int32Array(PASS_BLOCK);
  const bnd = new Float64Array(PASS_BLOCK);
  const dist = new Float64Array(PASS_BLOCK);
  for (let from = 0; from < n; from += PASS_BLOCK) {
    const to = Math.min(n, from + PASS_BLOCK);
    let m = 0;
    for (let i = from; i < to; i++) {
      const a = labels[i];
      const l = lower[i] - globalDrift;
      const ha = half[a];
      const bound = (ha > l ? ha : l) - eps;
      if (upper[i] + drift[a] < bound) continue;
      idx[m] = i;
      bnd[m] = bound;
      m++;
    }
    ownDistances(x, d, centers, labels, idx, m, dist);
    for (let p = 0; p < m; p++) {
      const i = idx[p];
      const a = labels[i];
      const ut = Math.sqrt(dist[p]);
      upper[i] = ut - drift[a];
      if (ut < bnd[p]) continue;
      prunedScan(x, i, d, k, centers, labels, upper, lower, drift, globalDrift, a, dist[p], ut, halfBetween, eps);
      const b = labels[i];
      if (b !== a) {
        changed++;
        counts[a]--;
        counts[b]++;
        const o = i * d;
        for (let t = 0; t < d; t++) {
          const v = x[o + t];
          sums[a * d + t] -= v;
          sums[b * d + t] += v;
        }
      }
    }
  }
  return changed;
}

/**
 * Squared distance from each point `idx[0..m)` to its own centre, into `out`: four points at a
 * time, four independent sums (each in the order of {@link sqDist}, so the same values).
 */
function ownDistances(x: Float64Array, d: number, centers: Float64Array, labels: Int32Array, idx: Int32Array, m: number, out: Float64Array): void {
  let p = 0;
  if (d !== 3) {
    for (; p + 3 < m; p += 4) {
      const i0 = idx[p];
      const i1 = idx[p + 1];
      const i2 = idx[p + 2];
      const i3 = idx[p + 3];
      const o0 = i0 * d;
      const o1 = i1 * d;
      const o2 = i2 * d;
      const o3 = i3 * d;
      const q0 = labels[i0] * d;
      const q1 = labels[i1] * d;
      const q2 = labels[i2] * d;
      const q3 = labels[i3] * d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const u0 = x[o0 + t] - centers[q0 + t];
        const u1 = x[o1 + t] - centers[q1 + t];
        const u2 = x[o2 + t] - centers[q2 + t];
        const u3 = x[o3 + t] - centers[q3 + t];
        s0 += u0 * u0;
        s1 += u1 * u1;
        s2 += u2 * u2;
        s3 += u3 * u3;
      }
      out[p] = s0;
      out[p + 1] = s1;
      out[p + 2] = s2;
      out[p + 3] = s3;
    }
  }
  for (; p < m; p++) {
    const i = idx[p];
    out[p] = sqDist(x, i * d, centers, labels[i] * d, d);
  }
}

/** Candidate potentials of k-means++ for three-dimensional points (the common RFM case): one pass, up to three candidates at a time, unrolled. */
function scorePots3(x: Float64Array, n: number, closest: Float64Array, cpos: Float64Array, trials: number, pots: Float64Array): void {
  for (let t0 = 0; t0 < trials; t0 += 3) {
    const m = Math.min(3, trials - t0);
    const a0 = cpos[3 * t0];
    const a1 = cpos[3 * t0 + 1];
    const a2 = cpos[3 * t0 + 2];
    const b0 = m > 1 ? cpos[3 * t0 + 3] : a0;
    const b1 = m > 1 ? cpos[3 * t0 + 4] : a1;
    const b2 = m > 1 ? cpos[3 * t0 + 5] : a2;
    const c0 = m > 2 ? cpos[3 * t0 + 6] : a0;
    const c1 = m > 2 ? cpos[3 * t0 + 7] : a1;
    const c2 = m > 2 ? cpos[3 * t0 + 8] : a2;
    let pa = 0;
    let pb = 0;
    let pc = 0;
    for (let i = 0; i < n; i++) {
      const x0 = x[3 * i];
      const x1 = x[3 * i + 1];
      const x2 = x[3 * i + 2];
      const ci = closest[i];
      let u = x0 - a0;
      let v = x1 - a1;
      let w = x2 - a2;
      let sd = u * u + v * v + w * w;
      pa += sd < ci ? sd : ci;
      u = x0 - b0;
      v = x1 - b1;
      w = x2 - b2;
      sd = u * u + v * v + w * w;
      pb += sd < ci ? sd : ci;
      u = x0 - c0;
      v = x1 - c1;
      w = x2 - c2;
      sd = u * u + v * v + w * w;
      pc += sd < ci ? sd : ci;
    }
    pots[t0] = pa;
    if (m > 1) pots[t0 + 1] = pb;
    if (m > 2) pots[t0 + 2] = pc;
  }
}

/** Nearest and second-nearest centre of point i (lowest index wins ties); sets label and bounds. */
function fullScan(x: Float64Array, i: number, d: number, k: number, centers: Float64Array, labels: Int32Array, upper: Float64Array, lower: Float64Array, drift: Float64Array, globalDrift: number): void {
  const o = i * d;
  let b1 = Infinity;
  let b2 = Infinity;
  let bj = 0;
  let j = 0;
  if (d === 3) {
    const x0 = x[o];
    const x1 = x[o + 1];
    const x2 = x[o + 2];
    for (; j < k; j++) {
      const u = x0 - centers[3 * j];
      const v = x1 - centers[3 * j + 1];
      const w = x2 - centers[3 * j + 2];
      const s = u * u + v * v + w * w;
      if (s < b1) {
        b2 = b1;
        b1 = s;
        bj = j;
      } else if (s < b2) b2 = s;
    }
  } else {
    // Four centres at a time: four independent sums (each in the same order as sqDist, so the
    // same values) let the processor overlap them, and each coordinate is read once per group.
    for (; j + 3 < k; j += 4) {
      const q0 = j * d;
      const q1 = q0 + d;
      const q2 = q1 + d;
      const q3 = q2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const v = x[o + t];
        const u0 = v - centers[q0 + t];
        const u1 = v - centers[q1 + t];
        const u2 = v - centers[q2 + t];
        const u3 = v - centers[q3 + t];
        s0 += u0 * u0;
        s1 += u1 * u1;
        s2 += u2 * u2;
        s3 += u3 * u3;
      }
      if (s0 < b1) {
        b2 = b1;
        b1 = s0;
        bj = j;
      } else if (s0 < b2) b2 = s0;
      if (s1 < b1) {
        b2 = b1;
        b1 = s1;
        bj = j + 1;
      } else if (s1 < b2) b2 = s1;
      if (s2 < b1) {
        b2 = b1;
        b1 = s2;
        bj = j + 2;
      } else if (s2 < b2) b2 = s2;
      if (s3 < b1) {
        b2 = b1;
        b1 = s3;
        bj = j + 3;
      } else if (s3 < b2) b2 = s3;
    }
    for (; j < k; j++) {
      const s = sqDist(x, o, centers, j * d, d);
      if (s < b1) {
        b2 = b1;
        b1 = s;
        bj = j;
      } else if (s < b2) b2 = s;
    }
  }
  labels[i] = bj;
  upper[i] = Math.sqrt(b1) - drift[bj];
  lower[i] = Math.sqrt(b2) + globalDrift;
}

/**
 * Nearest and second-nearest centre of point i given its distance `ua` (squared: `sa`) to its
 * current centre `a`: a centre j with `ua < |c_a - c_j| / 2` (by more than `eps`) is strictly
 * farther than c_a (triangle inequality), so its distance is not computed and `|c_a - c_j| - ua`
 * serves as its lower bound. Ties go to the lowest index, as in {@link fullScan}.
 */
function prunedScan(x: Float64Array, i: number, d: number, k: number, centers: Float64Array, labels: Int32Array, upper: Float64Array, lower: Float64Array, drift: Float64Array, globalDrift: number, a: number, sa: number, ua: number, halfBetween: Float64Array, eps: number): void {
  const o = i * d;
  let b1 = sa;
  let bj = a;
  let b2 = Infinity;
  let lb = Infinity;
  const ak = a * k;
  for (let j = 0; j < k; j++) {
    if (j === a) continue;
    const h = halfBetween[ak + j];
    if (ua < h - eps) {
      const l = 2 * h - ua;
      if (l < lb) lb = l;
      continue;
    }
    const s = sqDist(x, o, centers, j * d, d);
    if (s < b1 || (s === b1 && j < bj)) {
      b2 = b1;
      b1 = s;
      bj = j;
    } else if (s < b2) b2 = s;
  }
  const r2 = Math.sqrt(b2);
  labels[i] = bj;
  upper[i] = Math.sqrt(b1) - drift[bj];
  lower[i] = (r2 < lb ? r2 : lb) + globalDrift;
}
