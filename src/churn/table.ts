/**
 * Feature tables: row records to typed columns, with categorical columns one-hot encoded and
 * the encoding kept in the model so scoring encodes new rows the same way.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * One cell of a feature table: a number, a category (string or boolean), or missing
 * (`null`, `undefined` or `NaN`).
 * @category Churn
 */
export type ChurnValue = number | string | boolean | null | undefined;

/**
 * One row of a feature table (one customer, or one customer at one cutoff).
 * @category Churn
 */
export type ChurnRow = Readonly<Record<string, ChurnValue>>;

/** How one input column is encoded (stored in the model). @internal */
export type ColumnSpec =
  | { name: string; kind: "numeric"; hasMissing: boolean }
  | { name: string; kind: "categorical"; levels: string[] };

/** Encoded design matrix, column-major. @internal */
export interface Design {
  n: number;
  /** One column per design feature (numeric column, or one indicator per category level). NaN = missing. */
  cols: Float64Array[];
  /** Design feature names: the column name, or `name=level` for an indicator. */
  names: string[];
}

function isMissing(v: ChurnValue): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Infer column kinds from training rows. One pass over the rows (each row object is read once,
 * all features at a time, which is several times faster than one pass per feature on large
 * tables); the error thrown is the one a feature-by-feature scan would meet first: the first
 * feature, in `features` order, with a bad value, at its first bad row.
 * @internal
 */
export function inferSpecs(rows: readonly ChurnRow[], features: readonly string[], categorical: readonly string[], fn: string): ColumnSpec[] {
  const forced = new Set(categorical);
  const p = features.length;
  const names = [...features];
  const stringSeen = new Uint8Array(p);
  const missing = new Uint8Array(p);
  const badRow = new Int32Array(p).fill(-1);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    for (let j = 0; j < p; j++) {
      const v = row[names[j]];
      if (typeof v === "number") {
        if (v - v === 0) continue;
        if (v !== v) missing[j] = 1;
        else if (badRow[j] < 0) badRow[j] = i;
      } else if (v === null || v === undefined) missing[j] = 1;
      else if (typeof v === "string") stringSeen[j] = 1;
      else if (typeof v !== "boolean" && badRow[j] < 0) badRow[j] = i;
    }
  }
  for (let j = 0; j < p; j++) {
    if (badRow[j] < 0) continue;
    const v = rows[badRow[j]][names[j]];
    if (typeof v === "number") throw new InvalidRecordError(fn, { row: badRow[j] + 1, field: names[j], value: v, expected: "a finite number, a category, or null for missing" });
    throw new InvalidRecordError(fn, { row: badRow[j] + 1, field: names[j], value: v, expected: "a number, string, boolean or null" });
  }
  const specs: ColumnSpec[] = [];
  for (let j = 0; j < p; j++) {
    const name = names[j];
    if (!forced.has(name) && !stringSeen[j]) {
      specs.push({ name, kind: "numeric", hasMissing: missing[j] === 1 });
      continue;
    }
    const levels = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i][name];
      if (!isMissing(v)) levels.add(String(v));
    }
    specs.push({ name, kind: "categorical", levels: [...levels].sort() });
  }
  return specs;
}

/** Design feature names of the specs. @internal */
export function designNames(specs: readonly ColumnSpec[]): string[] {
  const names: string[] = [];
  for (const s of specs) {
    if (s.kind === "numeric") names.push(s.name);
    else for (const l of s.levels) names.push(`${s.name}=${l}`);
  }
  return names;
}

/**
 * Encode rows with the given specs. Numeric: booleans as 0/1, missing as NaN. Categorical: one
 * indicator per training level; a missing or unseen value is 0 in every indicator.
 * @internal
 */
export function encodeRows(rows: readonly ChurnRow[], specs: readonly ColumnSpec[], fn: string): Design {
  const n = rows.length;
  const cols: Float64Array[] = [];
  // one pass over the rows (each row object is touched once), all columns at a time
  const numName: string[] = [];
  const numCol: Float64Array[] = [];
  const catName: string[] = [];
  const catAt: Map<string, Float64Array>[] = [];
  for (const s of specs) {
    if (s.kind === "numeric") {
      const col = new Float64Array(n);
      cols.push(col);
      numName.push(s.name);
      numCol.push(col);
    } else {
      const at = new Map<string, Float64Array>();
      for (const l of s.levels) {
        const col = new Float64Array(n);
        cols.push(col);
        at.set(l, col);
      }
      catName.push(s.name);
      catAt.push(at);
    }
  }
  const nn = numName.length;
  const nk = catName.length;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    for (let j = 0; j < nn; j++) {
      const v = row[numName[j]];
      if (typeof v === "number") {
        if (Number.isFinite(v) || Number.isNaN(v)) numCol[j][i] = v;
        else throw new InvalidRecordError(fn, { row: i + 1, field: numName[j], value: v, expected: "a finite number or null (the model was trained with a numeric column)" });
      } else if (v === null || v === undefined) numCol[j][i] = Number.NaN;
      else if (typeof v === "boolean") numCol[j][i] = v ? 1 : 0;
      else throw new InvalidRecordError(fn, { row: i + 1, field: numName[j], value: v, expected: "a finite number or null (the model was trained with a numeric column)" });
    }
    for (let j = 0; j < nk; j++) {
      const v = row[catName[j]];
      if (isMissing(v)) continue;
      const col = catAt[j].get(String(v));
      if (col !== undefined) col[i] = 1;
    }
  }
  return { n, cols, names: designNames(specs) };
}

/** Positive label strings recognised without a `positiveLabel` option (case-insensitive). */
const POSITIVE = new Set(["1", "true", "yes", "y", "churn", "churned"]);
/** Negative label strings recognised without a `positiveLabel` option (case-insensitive). */
const NEGATIVE = new Set(["0", "false", "no", "n", "stay", "stayed", "retained", "active"]);

/**
 * Read a label column as 0/1. Booleans: true = churn. Numbers: 1 = churn, 0 = not. Strings:
 * equal to `positive` when given, else the usual yes/no words.
 * @internal
 */
export function readLabels(rows: readonly ChurnRow[], label: string, positive: ChurnValue, fn: string): Uint8Array {
  const y = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][label];
    if (positive !== undefined && positive !== null) {
      if (isMissing(v)) throw new InvalidRecordError(fn, { row: i + 1, field: label, value: v, expected: "a label (missing labels are not allowed)" });
      y[i] = v === positive || String(v) === String(positive) ? 1 : 0;
      continue;
    }
    if (v === true || v === 1) y[i] = 1;
    else if (v === false || v === 0) y[i] = 0;
    else if (typeof v === "string" && POSITIVE.has(v.trim().toLowerCase())) y[i] = 1;
    else if (typeof v === "string" && NEGATIVE.has(v.trim().toLowerCase())) y[i] = 0;
    else throw new InvalidRecordError(fn, { row: i + 1, field: label, value: v, expected: 'true/false, 1/0, or yes/no; pass "positiveLabel" for other labels' });
  }
  return y;
}

/** Check that both classes are present. @internal */
export function requireBothClasses(y: Uint8Array, fn: string, what = "training rows"): void {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  if (y.length === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no ${what}`);
  if (pos === 0 || pos === y.length) {
    throw new AnalyticsError("EMPTY_INPUT", `${fn}: the ${what} hold one class only (${pos} churned of ${y.length}); a classifier needs both churned and retained customers`);
  }
}

/** Resolve the feature list: given, or every column of the first row except the excluded. @internal */
export function resolveFeatures(rows: readonly ChurnRow[], features: readonly string[] | undefined, exclude: readonly string[], fn: string): string[] {
  if (features !== undefined) {
    if (!Array.isArray(features) || features.length === 0 || features.some((f) => typeof f !== "string")) {
      throw new InvalidOptionError(fn, "features", features, "a non-empty array of column names");
    }
    return [...features];
  }
  // the columns of the first row (rows are assumed to share their columns; a column absent
  // from a later row reads as missing there)
  const skip = new Set(exclude);
  const out = rows.length > 0 ? Object.keys(rows[0]).filter((k) => !skip.has(k)) : [];
  if (out.length === 0) throw new InvalidOptionError(fn, "features", features, "at least one feature column besides the label and id");
  return out;
}
