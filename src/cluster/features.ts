/**
 * Feature extraction, transform and scaling shared by the clustering functions.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { quantileSorted } from "../numeric/quantile.js";
import { fsum } from "../numeric/sum.js";

/**
 * Per-feature transform applied before scaling. `"log1p"` is the signed
 * `sign(x) * ln(1 + |x|)`: equal to `ln(1 + x)` for x >= 0 and defined for negative values
 * (net spend after returns), so it never fails on real data.
 * @category Clustering
 */
export type FeatureTransform = "log1p" | "none";

/**
 * Scaling applied after the transform: `"zscore"` (mean 0, population standard deviation 1),
 * `"robust"` (median 0, interquartile range 1), or `"none"`.
 * @category Clustering
 */
export type FeatureScaling = "zscore" | "robust" | "none";

/** The default features: RFM from `CustomerSummary`. */
export const DEFAULT_FEATURES: readonly string[] = Object.freeze(["recencyDays", "frequency", "totalSpend"]);

/** @internal A fitted preprocessing: features, their transforms, centre and scale of each column. */
export interface Preprocess {
  features: string[];
  transforms: FeatureTransform[];
  center: number[];
  scale: number[];
}

/** @internal Signed log1p. */
export function slog1p(v: number): number {
  return v < 0 ? -Math.log1p(-v) : Math.log1p(v);
}

/** @internal Inverse of {@link slog1p}. */
export function sexpm1(v: number): number {
  return v < 0 ? -Math.expm1(-v) : Math.expm1(v);
}

/** @internal Validate the features option. */
export function resolveFeatures(fn: string, features: unknown): string[] {
  if (!Array.isArray(features) || features.length === 0 || features.some((f) => typeof f !== "string" || f.length === 0) || new Set(features).size !== features.length) {
    throw new InvalidOptionError(fn, "features", features, "a non-empty array of distinct field names");
  }
  return [...features] as string[];
}

/** @internal Validate the transform option into one transform per feature. */
export function resolveTransforms(fn: string, transform: unknown, features: readonly string[]): FeatureTransform[] {
  const ok = (t: unknown): t is FeatureTransform => t === "log1p" || t === "none";
  if (ok(transform)) return features.map(() => transform);
  if (transform !== null && typeof transform === "object" && !Array.isArray(transform)) {
    const map = transform as Record<string, unknown>;
    for (const key of Object.keys(map)) {
      if (!features.includes(key) || !ok(map[key])) throw new InvalidOptionError(fn, "transform", transform, `"log1p", "none", or an object mapping some of ${JSON.stringify(features)} to "log1p" or "none"`);
    }
    return features.map((f) => (Object.prototype.hasOwnProperty.call(map, f) ? (map[f] as FeatureTransform) : "none"));
  }
  throw new InvalidOptionError(fn, "transform", transform, '"log1p", "none", or an object mapping features to "log1p" or "none"');
}

/** @internal Customer id of row i: its `customerId` string, else its 0-based index as a string. */
export function rowId(row: unknown, i: number): string {
  const id = (row as { customerId?: unknown } | null)?.customerId;
  return typeof id === "string" ? id : String(i);
}

/**
 * @internal Copy the raw features of each row into a row-major Float64Array, checking each value
 * is a finite number.
 */
export function extractRaw(fn: string, rows: readonly object[], features: readonly string[]): Float64Array {
  const d = features.length;
  const out = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    if (row === null || typeof row !== "object") {
      throw new InvalidRecordError(fn, { row: i + 1, field: "(row)", value: row, expected: "an object" });
    }
    for (let j = 0; j < d; j++) {
      const v = row[features[j]];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        const id = (row as { customerId?: unknown }).customerId;
        throw new InvalidRecordError(fn, {
          row: typeof id === "string" ? id : i + 1,
          field: features[j],
          value: v,
          expected: "a finite number (fill or drop missing values, or choose another feature)",
        });
      }
      out[i * d + j] = v;
    }
  }
  return out;
}

/** @internal Fit the transform and scaling on `raw` (row-major, d columns). */
export function fitPreprocess(raw: Float64Array, d: number, features: string[], transforms: FeatureTransform[], scaling: FeatureScaling): Preprocess {
  const n = raw.length / d;
  const center: number[] = [];
  const scale: number[] = [];
  const col = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    const log = transforms[j] === "log1p";
    for (let i = 0; i < n; i++) col[i] = log ? slog1p(raw[i * d + j]) : raw[i * d + j];
    let c = 0;
    let s = 1;
    if (n > 0 && scaling === "zscore") {
      const m = fsum(col) / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (col[i] - m) * (col[i] - m);
      c = m;
      s = Math.sqrt(v / n);
    } else if (n > 0 && scaling === "robust") {
      col.sort(); // three R-7 quantiles of one sorted copy
      c = quantileSorted(col, 0.5);
      s = quantileSorted(col, 0.75) - quantileSorted(col, 0.25);
    }
    // A constant column (zero spread) keeps scale 1, as scikit-learn's scalers do: it then
    // contributes nothing to distances instead of dividing by zero.
    if (!(s > 1e-12 * Math.max(1, Math.abs(c)))) s = 1;
    center.push(c);
    scale.push(s);
  }
  return { features, transforms, center, scale };
}

/** @internal Apply a fitted preprocessing to raw features, in place. */
export function applyPreprocess(raw: Float64Array, p: Preprocess): Float64Array {
  const d = p.features.length;
  const n = raw.length / d;
  for (let j = 0; j < d; j++) {
    const log = p.transforms[j] === "log1p";
    const c = p.center[j];
    const s = p.scale[j];
    for (let i = 0; i < n; i++) {
      const v = raw[i * d + j];
      raw[i * d + j] = ((log ? slog1p(v) : v) - c) / s;
    }
  }
  return raw;
}

/** @internal Map a point in model (scaled) space back to original units. */
export function toOriginalUnits(point: ArrayLike<number>, p: Preprocess): number[] {
  const out: number[] = [];
  for (let j = 0; j < p.features.length; j++) {
    const v = point[j] * p.scale[j] + p.center[j];
    out.push(p.transforms[j] === "log1p" ? sexpm1(v) : v);
  }
  return out;
}

/** @internal Map a point in original units into model space. */
export function toModelSpace(point: readonly number[], p: Preprocess): number[] {
  return point.map((v, j) => ((p.transforms[j] === "log1p" ? slog1p(v) : v) - p.center[j]) / p.scale[j]);
}
