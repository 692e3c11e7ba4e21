import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { Seed } from "../core/random.js";
import type { CustomerTable } from "../core/table.js";
import { chooseKFits, type ChooseKResult } from "./chooseK.js";
import {
  applyPreprocess,
  DEFAULT_FEATURES,
  extractRaw,
  fitPreprocess,
  resolveFeatures,
  resolveTransforms,
  rowId,
  toModelSpace,
  toOriginalUnits,
  type FeatureScaling,
  type FeatureTransform,
  type Preprocess,
} from "./features.js";
import { kmeansSettings, runKmeans, type KmeansData, type KmeansResult } from "./kmeans.js";

/**
 * Options of {@link clusterCustomers}.
 * @category Clustering
 */
export interface ClusterCustomersOptions {
  /** Numeric fields of each row to cluster on. Default `["recencyDays", "frequency", "totalSpend"]` (RFM of a `CustomerSummary`). */
  features?: readonly string[];
  /** Number of clusters (the CLI's `--k N`). Default 4. Giving both `k` and `kRange` is an `InvalidOptionError`. */
  k?: number;
  /** When given, `[min, max]` (the CLI's `--k-range A-B`): k is chosen by {@link chooseK} over this range and the choice, with every candidate's scores, is attached as `choice`. Default: none (use `k`). */
  kRange?: readonly [number, number];
  /** Transform before scaling: `"log1p"` (signed, see {@link FeatureTransform}), `"none"`, or a per-feature object (unlisted features `"none"`). Default `"log1p"` for every feature (RFM values are right-skewed). */
  transform?: FeatureTransform | Readonly<Record<string, FeatureTransform>>;
  /** Scaling after the transform. Default `"zscore"`. */
  scaling?: FeatureScaling;
  /** k-means++ restarts; the lowest inertia wins. Default 10 (scikit-learn's classic default), at most 1,000 (`InvalidOptionError` above). */
  nInit?: number;
  /** Maximum Lloyd iterations per restart. Default 300, at most 100,000. */
  maxIterations?: number;
  /** Relative tolerance on the centre moves (scikit-learn's rule, see {@link KmeansOptions}). Default 1e-4. */
  tolerance?: number;
  /** Seed of the k-means++ draws (and of the silhouette sample with `kRange`). Default 42. */
  seed?: Seed;
  /** Starting centres in original units (one row per cluster, one value per feature), transformed and scaled like the data; forces `nInit` to 1. Default: none (k-means++). */
  initialCenters?: readonly (readonly number[])[];
  /** Field whose per-cluster mean orders the clusters (cluster 0 has the highest); when a row lacks it, clusters are ordered by their first feature. Default `"totalSpend"`. */
  valueField?: string;
}

/**
 * One customer's cluster.
 * @category Clustering
 */
export interface ClusterAssignment {
  /** Customer id (the row's `customerId`, else its 0-based index as a string). */
  customerId: string;
  /** Cluster number, `0 .. k-1`, in the stable value order. */
  cluster: number;
  /** Euclidean distance to the cluster centre, in the scaled feature space. */
  distance: number;
}

/**
 * Everything {@link assignCluster} needs to score new customers; plain JSON (numbers, strings
 * and arrays only), so `JSON.parse(JSON.stringify(model))` scores identically.
 * @category Clustering
 */
export interface ClusterModel {
  /** Format tag, always `"customer-analytics/cluster-model"`. */
  format: "customer-analytics/cluster-model";
  /** Format version, 1. */
  version: 1;
  /** Feature names, in column order. */
  features: string[];
  /** Transform of each feature. */
  transforms: FeatureTransform[];
  /** Subtracted from each transformed feature (mean, median or 0). */
  center: number[];
  /** Divides each centred feature (standard deviation, IQR or 1). */
  scale: number[];
  /** Cluster centres in the scaled space, cluster 0 first. */
  centroids: number[][];
}

/**
 * Result of {@link clusterCustomers}.
 * @category Clustering
 */
export interface ClusterResult {
  /** Number of clusters. */
  k: number;
  /** Features used, in column order. */
  features: string[];
  /** Transform of each feature. */
  transforms: FeatureTransform[];
  /** Scaling used. */
  scaling: FeatureScaling;
  /** One entry per input row, in input order. */
  assignments: ClusterAssignment[];
  /** Cluster of each row as a typed array (same order as `assignments`). */
  labels: Int32Array;
  /** Customers per cluster. */
  sizes: number[];
  /** Cluster centres mapped back to original units (for a `log1p` feature: `expm1` of the mean log, a geometric-type mean). */
  centroids: number[][];
  /** Cluster centres in the scaled space where distances are measured. */
  scaledCentroids: number[][];
  /** Sum of squared scaled distances from each customer to its centre. */
  inertia: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
  /** Whether the winning restart met the stopping rule. */
  converged: boolean;
  /** Restarts run. */
  runs: number;
  /** The field used to order clusters, or `null` when ordered by the first feature. */
  orderedBy: string | null;
  /** The model for {@link assignCluster}. */
  model: ClusterModel;
  /** The k table and recommendation, when `kRange` was given. */
  choice: ChooseKResult | null;
}

const CLUSTER_DEFAULTS = Object.freeze({
  features: DEFAULT_FEATURES,
  k: 4 as number,
  transform: "log1p" as FeatureTransform | Readonly<Record<string, FeatureTransform>>,
  scaling: "zscore" as FeatureScaling,
  valueField: "totalSpend",
  seed: 42 as Seed,
});

/** @internal Input prepared once: ids, scaled matrix, preprocessing. */
export interface Prepared {
  n: number;
  d: number;
  x: Float64Array;
  pre: Preprocess;
  scaling: FeatureScaling;
}

/** @internal */
export function prepare(fn: string, rows: readonly object[], options: { features?: readonly string[]; transform?: unknown; scaling?: unknown }): Prepared {
  if (!Array.isArray(rows)) throw new InvalidOptionError(fn, "rows", rows, "an array of records");
  const features = resolveFeatures(fn, options.features ?? DEFAULT_FEATURES);
  const transforms = resolveTransforms(fn, options.transform ?? "log1p", features);
  const scaling = options.scaling ?? "zscore";
  if (scaling !== "zscore" && scaling !== "robust" && scaling !== "none") {
    throw new InvalidOptionError(fn, "scaling", scaling, '"zscore", "robust" or "none"');
  }
  const d = features.length;
  const raw = extractRaw(fn, rows, features);
  const pre = fitPreprocess(raw, d, features, transforms, scaling);
  return { n: rows.length, d, x: applyPreprocess(raw, pre), pre, scaling };
}

/**
 * Segment customers by k-means on chosen numeric features, after an optional `log1p`
 * transform and z-score or robust scaling; k-means++ seeding, `nInit` restarts, seeded.
 *
 * @remarks
 * Each feature `f` becomes `z = (t(f) - center) / scale` where `t` is the signed log1p or the
 * identity, and center/scale are mean/standard deviation (z-score), median/IQR (robust), or
 * 0/1. k-means then minimises the inertia `sum ||z_i - c_label(i)||^2` (Lloyd's algorithm
 * accelerated by a k-d tree, or Hamerly's bounds above 7 features; k-means++ seeding; see
 * {@link kmeans}). Clusters are renumbered so
 * that cluster 0 has the highest mean `valueField` (ties: larger cluster first), which keeps
 * numbers and labels stable between runs and seeds that find the same partition. Sources:
 * SPEC section 7; Arthur & Vassilvitskii (2007); scikit-learn's `KMeans` defaults.
 *
 * @param rows - customer summaries or any records with the numeric `features`; not mutated.
 * @param options - see {@link ClusterCustomersOptions}.
 * @returns assignments, centroids in original and scaled units, inertia, iterations,
 * convergence and a JSON model for {@link assignCluster}. Empty input gives an empty result.
 * @throws {@link InvalidRecordError} when a feature value is missing, `NaN` or infinite;
 * {@link InvalidOptionError} for a bad option or `k` above the number of distinct points.
 * @example
 * ```ts
 * const rows = [
 *   { customerId: "a", recencyDays: 5, frequency: 12, totalSpend: 900 },
 *   { customerId: "b", recencyDays: 7, frequency: 10, totalSpend: 800 },
 *   { customerId: "c", recencyDays: 300, frequency: 1, totalSpend: 20 },
 *   { customerId: "d", recencyDays: 280, frequency: 1, totalSpend: 25 },
 * ];
 * clusterCustomers(rows, { k: 2, seed: 1 }).assignments.map((a) => a.cluster);
 * //=> [0, 0, 1, 1]
 * ```
 * @category Clustering
 */
export function clusterCustomers(rows: readonly object[], options: ClusterCustomersOptions = {}): ClusterResult {
  const o = withDefaults(CLUSTER_DEFAULTS, options);
  const prep = prepare("clusterCustomers", rows, o);
  let k = o.k;
  let choice: ChooseKResult | null = null;
  let chosen: KmeansResult | undefined;
  if (options.kRange !== undefined && options.k !== undefined) {
    throw new InvalidOptionError("clusterCustomers", "k", options.k, `no k together with kRange ${JSON.stringify(options.kRange)}: give a fixed k, or a range to choose k from`);
  }
  if (options.kRange !== undefined) {
    const c = chooseKFits("clusterCustomers", prep, { ...o, kRange: options.kRange });
    choice = c.result;
    k = choice.recommendedK;
    // chooseK fitted this k with the same settings and seed: the same run, not repeated.
    if (o.initialCenters === undefined) chosen = c.fits.get(k);
  }
  if (prep.n === 0) return emptyResult(prep, k, choice);
  const init = o.initialCenters ? o.initialCenters.map((c) => (Array.isArray(c) && c.length === prep.d ? toModelSpace(c, prep.pre) : (c as number[]))) : undefined;
  const settings = kmeansSettings("clusterCustomers", { ...o, k, initialCenters: init }, prep.d);
  const km = chosen ?? runKmeans("clusterCustomers", prep.x, prep.d, settings);
  return buildResult(rows, prep, km, o.valueField, choice);
}

function emptyResult(prep: Prepared, k: number, choice: ChooseKResult | null): ClusterResult {
  const model: ClusterModel = { format: "customer-analytics/cluster-model", version: 1, features: prep.pre.features, transforms: prep.pre.transforms, center: prep.pre.center, scale: prep.pre.scale, centroids: [] };
  return { k, features: prep.pre.features, transforms: prep.pre.transforms, scaling: prep.scaling, assignments: [], labels: new Int32Array(0), sizes: [], centroids: [], scaledCentroids: [], inertia: 0, iterations: 0, converged: true, runs: 0, orderedBy: null, model, choice };
}

/** @internal Renumber clusters by value and package the result. */
export function buildResult(rows: readonly object[], prep: Prepared, km: KmeansResult, valueField: string, choice: ChooseKResult | null): ClusterResult {
  const { n, d } = prep;
  const k = km.centers.length / d;
  const key = new Float64Array(k);
  let orderedBy: string | null = valueField;
  for (let i = 0; i < n; i++) {
    const v = (rows[i] as Record<string, unknown>)[valueField];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      orderedBy = null;
      break;
    }
    key[km.labels[i]] += v;
  }
  if (orderedBy === null) for (let j = 0; j < k; j++) key[j] = km.centers[j * d];
  else for (let j = 0; j < k; j++) key[j] = km.sizes[j] > 0 ? key[j] / km.sizes[j] : -Infinity;
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => key[b] - key[a] || km.sizes[b] - km.sizes[a] || a - b);
  const rank = new Int32Array(k);
  order.forEach((old, neu) => (rank[old] = neu));
  const labels = new Int32Array(n);
  const assignments: ClusterAssignment[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const old = km.labels[i];
    let s = 0;
    for (let t = 0; t < d; t++) {
      const u = prep.x[i * d + t] - km.centers[old * d + t];
      s += u * u;
    }
    labels[i] = rank[old];
    assignments[i] = { customerId: rowId(rows[i], i), cluster: rank[old], distance: Math.sqrt(s) };
  }
  const scaledCentroids = order.map((old) => Array.from(km.centers.subarray(old * d, old * d + d)));
  const model: ClusterModel = {
    format: "customer-analytics/cluster-model",
    version: 1,
    features: [...prep.pre.features],
    transforms: [...prep.pre.transforms],
    center: [...prep.pre.center],
    scale: [...prep.pre.scale],
    centroids: scaledCentroids.map((c) => [...c]),
  };
  return {
    k,
    features: [...prep.pre.features],
    transforms: [...prep.pre.transforms],
    scaling: prep.scaling,
    assignments,
    labels,
    sizes: order.map((old) => km.sizes[old]),
    centroids: scaledCentroids.map((c) => toOriginalUnits(c, prep.pre)),
    scaledCentroids,
    inertia: km.inertia,
    iterations: km.iterations,
    converged: km.converged,
    runs: km.runs,
    orderedBy,
    model,
    choice,
  };
}

/**
 * Feature columns by name, one value per customer in each, all the same length: a
 * `CustomerTable` (typed-array columns plus `ids`) or any object of typed arrays or number
 * arrays. Columns that are not features of the model are ignored; when `ids` is an array of
 * strings, errors name the customer by it.
 * @category Clustering
 */
export type FeatureColumns = CustomerTable | { readonly [column: string]: unknown };

/**
 * Result of {@link assignClusterColumns}: one entry per customer, in input order.
 * @category Clustering
 */
export interface ClusterLabels {
  /** Cluster number of each customer, `0 .. k-1` (cluster 0 has the highest value, as in the model). */
  labels: Int32Array;
  /** Euclidean distance from each customer to its cluster centre, in the scaled feature space. */
  distances: Float64Array;
}

/**
 * Score customers held in columns with a saved {@link ClusterModel}: same transform, same
 * scaling, nearest centre; labels and distances come back as typed arrays.
 *
 * @remarks
 * The columnar form of {@link assignCluster} (which is a thin adapter over the same kernel, with
 * the same numbers). Applies `z = (t(f) - center) / scale` with the model's stored constants and
 * returns the nearest centroid by Euclidean distance (lowest cluster number on an exact tie).
 * Input is either feature columns by name ({@link FeatureColumns}, e.g. a `CustomerTable`) or a
 * row-major `{ values, dimensions }` matrix in the model's feature order, in original units.
 * O(n k d) time; memory one n x d copy plus the two result columns; the input is not modified.
 *
 * @param model - `result.model` of {@link clusterCustomers}, or the same object after a JSON round trip.
 * @param input - feature columns by name, or a row-major matrix with one column per model feature.
 * @returns the label and distance of each customer.
 * @throws {@link InvalidOptionError} when `model` is not a valid cluster model, a feature column
 * is missing or columns differ in length, or a matrix has the wrong number of dimensions;
 * {@link InvalidRecordError} when a feature value is not a finite number.
 * @example
 * ```ts
 * // rows: the four customers of the clusterCustomers example
 * const model = clusterCustomers(rows, { k: 2, seed: 1 }).model;
 * const table = { recencyDays: Int32Array.from([3, 400]), frequency: Int32Array.from([9, 1]), totalSpend: Float64Array.from([700, 15]) };
 * Array.from(assignClusterColumns(model, table).labels);
 * //=> [0, 1]
 * ```
 * @category Clustering
 */
export function assignClusterColumns(model: ClusterModel, input: FeatureColumns | KmeansData): ClusterLabels {
  const fn = "assignClusterColumns";
  const m = validateModel(model, fn);
  const raw = isMatrix(input) ? matrixFeatures(fn, input, m.features) : columnFeatures(fn, input, m.features);
  return nearestCentres(applyPreprocess(raw, m), m.features.length, Float64Array.from(m.centroids.flat()));
}

/**
 * Score new customers with a saved {@link ClusterModel}: same transform, same scaling,
 * nearest centre.
 *
 * @remarks
 * Applies `z = (t(f) - center) / scale` with the model's stored constants (not refitted on the
 * new rows) and returns the nearest centroid by Euclidean distance (lowest cluster number on an
 * exact tie). Scoring the training rows reproduces `clusterCustomers`'s assignments whenever
 * the run converged. A record adapter over {@link assignClusterColumns}, with the same numbers.
 *
 * @param model - `result.model`, or the same object after a JSON round trip.
 * @param rows - records with the model's feature fields; not mutated.
 * @returns one assignment per row, in input order.
 * @throws {@link InvalidOptionError} when `model` is not a valid cluster model;
 * {@link InvalidRecordError} when a feature value is missing or not finite.
 * @example
 * ```ts
 * // rows: the four customers of the clusterCustomers example
 * const model = JSON.parse(JSON.stringify(clusterCustomers(rows, { k: 2, seed: 1 }).model));
 * assignCluster(model, [{ customerId: "e", recencyDays: 3, frequency: 9, totalSpend: 700 }])[0].cluster;
 * //=> 0
 * ```
 * @category Clustering
 */
export function assignCluster(model: ClusterModel, rows: readonly object[]): ClusterAssignment[] {
  const m = validateModel(model, "assignCluster");
  if (!Array.isArray(rows)) throw new InvalidOptionError("assignCluster", "rows", rows, "an array of records");
  const x = applyPreprocess(extractRaw("assignCluster", rows, m.features), m);
  const { labels, distances } = nearestCentres(x, m.features.length, Float64Array.from(m.centroids.flat()));
  const out: ClusterAssignment[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = { customerId: rowId(rows[i], i), cluster: labels[i], distance: distances[i] };
  return out;
}

/** Nearest centre of each scaled point (lowest number on exact ties) and the distance to it. */
function nearestCentres(x: Float64Array, d: number, c: Float64Array): ClusterLabels {
  const n = x.length / d;
  const k = c.length / d;
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bd = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = x[i * d + t] - c[j * d + t];
        s += u * u;
      }
      if (s < bd) {
        bd = s;
        best = j;
      }
    }
    labels[i] = best;
    distances[i] = Math.sqrt(bd);
  }
  return { labels, distances };
}

function isMatrix(input: unknown): input is KmeansData {
  return typeof input === "object" && input !== null && (input as KmeansData).values instanceof Float64Array && typeof (input as KmeansData).dimensions === "number";
}

/** Copy of a row-major matrix whose columns are the model's features, checked finite. */
function matrixFeatures(fn: string, input: KmeansData, features: readonly string[]): Float64Array {
  const d = features.length;
  if (input.dimensions !== d || input.values.length % d !== 0) {
    throw new InvalidOptionError(fn, "input", input, `a row-major matrix of ${d} columns (${features.join(", ")})`);
  }
  const v = input.values;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new InvalidRecordError(fn, { row: Math.floor(i / d) + 1, field: features[i % d], value: v[i], expected: "a finite number" });
  }
  return v.slice();
}

/** Row-major copy of the feature columns, checked finite. */
function columnFeatures(fn: string, input: FeatureColumns, features: readonly string[]): Float64Array {
  if (typeof input !== "object" || input === null) throw new InvalidOptionError(fn, "input", input, "feature columns by name or { values, dimensions }");
  const d = features.length;
  const byName = input as { readonly [column: string]: unknown };
  const cols: ArrayLike<unknown>[] = [];
  for (const f of features) {
    const col = byName[f];
    if (!(ArrayBuffer.isView(col) || Array.isArray(col))) throw new InvalidOptionError(fn, "input", `no column "${f}"`, `a typed array or array for each feature (${features.join(", ")})`);
    cols.push(col as unknown as ArrayLike<unknown>);
  }
  const n = cols[0].length;
  cols.forEach((c, j) => {
    if (c.length !== n) throw new InvalidOptionError(fn, "input", `column "${features[j]}" has ${c.length} values, "${features[0]}" has ${n}`, "columns of equal length");
  });
  const ids = Array.isArray(byName.ids) ? (byName.ids as unknown[]) : null;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const c = cols[j];
    for (let i = 0; i < n; i++) {
      const v = c[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        const id = ids?.[i];
        throw new InvalidRecordError(fn, { row: typeof id === "string" ? id : i + 1, field: features[j], value: v, expected: "a finite number (fill or drop missing values, or choose another feature)" });
      }
      out[i * d + j] = v;
    }
  }
  return out;
}

function validateModel(model: unknown, fn: string): Preprocess & { centroids: number[][] } {
  const m = model as ClusterModel;
  const fin = (a: unknown, len: number) => Array.isArray(a) && a.length === len && a.every((v) => typeof v === "number" && Number.isFinite(v));
  const ok =
    m !== null &&
    typeof m === "object" &&
    m.format === "customer-analytics/cluster-model" &&
    m.version === 1 &&
    Array.isArray(m.features) &&
    m.features.length > 0 &&
    m.features.every((f) => typeof f === "string") &&
    Array.isArray(m.transforms) &&
    m.transforms.length === m.features.length &&
    m.transforms.every((t) => t === "log1p" || t === "none") &&
    fin(m.center, m.features.length) &&
    fin(m.scale, m.features.length) &&
    m.scale.every((s) => s > 0) &&
    Array.isArray(m.centroids) &&
    m.centroids.length > 0 &&
    m.centroids.every((c) => fin(c, m.features.length));
  if (!ok) throw new InvalidOptionError(fn, "model", model, "a cluster model (result.model of clusterCustomers, possibly after a JSON round trip)");
  return { features: m.features, transforms: m.transforms, center: m.center, scale: m.scale, centroids: m.centroids };
}
