/**
 * Classifier input: rows (records) or named columns to the encoded design of the churn models
 * (numeric columns as `Float64Array`, categorical columns as one 0/1 indicator per training
 * level), and class labels to codes 0..K-1 with their names.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { designNames, encodeRows, inferSpecs, resolveFeatures, type ChurnRow, type ChurnValue, type ColumnSpec, type Design } from "../churn/table.js";

/**
 * One cell of a classifier table: a number, a category (string or boolean), or missing (`null`,
 * `undefined` or `NaN`).
 * @category Classify
 */
export type ClassifyValue = ChurnValue;

/**
 * One row of a classifier table.
 * @category Classify
 */
export type ClassifyRow = ChurnRow;

/**
 * One column of a classifier table: numbers (any typed array or number array; `NaN`/`null` =
 * missing) or values of any {@link ClassifyValue} kind (a column holding a string is categorical).
 * @category Classify
 */
export type ClassifyColumn = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray | readonly ClassifyValue[];

/**
 * A classifier table as named columns of equal length, `{ columns: { recency: Float64Array, plan: ["gold", ...] } }`
 * (any object whose fields are columns, for instance a `CustomerTable`; fields not used are ignored).
 * @category Classify
 */
export interface ClassifyColumns {
  /** Columns by name. */
  readonly columns: object;
}

/**
 * A classifier table: rows (records such as {@link ClassifyRow}, or any objects, for instance
 * `CustomerSummary` rows) or named columns.
 * @category Classify
 */
export type ClassifyData = readonly ClassifyRow[] | readonly object[] | ClassifyColumns;

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

function isColumn(v: unknown): v is ClassifyColumn {
  return (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) || Array.isArray(v);
}

/** Whether the data are named columns (not rows). @internal */
export function isColumns(data: ClassifyData): data is ClassifyColumns {
  return !Array.isArray(data);
}

/** Rows in the data, after checking its shape. @internal */
export function dataLength(fn: string, data: ClassifyData): number {
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      const r: unknown = data[i];
      if (r === null || typeof r !== "object") throw new InvalidRecordError(fn, { row: i + 1, field: "(row)", value: r, expected: "a record object" });
    }
    return data.length;
  }
  const table = (data as ClassifyColumns | null)?.columns as Record<string, unknown> | undefined;
  if (data === null || typeof data !== "object" || table === null || typeof table !== "object") throw new InvalidOptionError(fn, "data", data, "an array of rows or { columns: { name: column, ... } }");
  let n = -1;
  for (const k of Object.keys(table)) {
    const c = table[k];
    if (!isColumn(c)) continue;
    if (n < 0) n = c.length;
  }
  if (n < 0) throw new InvalidOptionError(fn, "data.columns", "(no columns)", "at least one column (typed array or array)");
  return n;
}

/** One named column, checked for its length. */
function column(fn: string, data: ClassifyColumns, name: string, n: number): ClassifyColumn {
  const c = (data.columns as Record<string, unknown>)[name];
  if (!isColumn(c)) throw new InvalidOptionError(fn, `columns.${name}`, c === undefined ? "(missing)" : "(not a column)", "a typed array or an array of values");
  if (c.length !== n) throw new InvalidOptionError(fn, `columns.${name}`, `(length ${c.length})`, `a column of ${n} values, as long as the others`);
  return c;
}

/** The feature names: given, or every column/field except the label and the excluded. @internal */
export function featureList(fn: string, data: ClassifyData, features: readonly string[] | undefined, exclude: readonly string[], n: number): string[] {
  if (!isColumns(data)) return resolveFeatures(data as readonly ChurnRow[], features, exclude, fn);
  if (features !== undefined) return resolveFeatures([], features, exclude, fn);
  const skip = new Set(exclude);
  const table = data.columns as Record<string, unknown>;
  const out = Object.keys(table).filter((k) => !skip.has(k) && isColumn(table[k]) && (table[k] as ClassifyColumn).length === n);
  if (out.length === 0) throw new InvalidOptionError(fn, "features", features, "at least one feature column besides the label");
  return out;
}

/** Column specs inferred from training data (a column with any string value, or forced, is categorical). @internal */
export function inferColumnSpecs(fn: string, data: ClassifyData, features: readonly string[], categorical: readonly string[], n: number): ColumnSpec[] {
  if (!isColumns(data)) return inferSpecs(data as readonly ChurnRow[], features, categorical, fn);
  const forced = new Set(categorical);
  return features.map((name): ColumnSpec => {
    const c = column(fn, data, name, n);
    let stringSeen = false;
    let missing = false;
    for (let i = 0; i < n; i++) {
      const v = c[i];
      if (typeof v === "number") {
        if (v !== v) missing = true;
        else if (v - v !== 0) throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "a finite number, a category, or null for missing" });
      } else if (v === null || v === undefined) missing = true;
      else if (typeof v === "string") stringSeen = true;
      else if (typeof v !== "boolean") throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "a number, string, boolean or null" });
    }
    if (!forced.has(name) && !stringSeen) return { name, kind: "numeric", hasMissing: missing };
    const levels = new Set<string>();
    for (let i = 0; i < n; i++) if (!isMissing(c[i])) levels.add(String(c[i]));
    return { name, kind: "categorical", levels: [...levels].sort() };
  });
}

/**
 * Encode data with the given specs: numeric columns as `Float64Array` (booleans 0/1, missing
 * NaN), categorical columns as one indicator per training level (an unseen or missing value is
 * 0 in every indicator).
 * @internal
 */
export function encodeData(fn: string, data: ClassifyData, specs: readonly ColumnSpec[]): Design {
  if (!isColumns(data)) return encodeRows(data as readonly ChurnRow[], specs, fn);
  const n = dataLength(fn, data);
  const cols: Float64Array[] = [];
  for (const s of specs) {
    const c = column(fn, data, s.name, n);
    if (s.kind === "numeric") {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = c[i];
        if (typeof v === "number" && (v - v === 0 || v !== v)) out[i] = v;
        else if (v === null || v === undefined) out[i] = Number.NaN;
        else if (typeof v === "boolean") out[i] = v ? 1 : 0;
        else throw new InvalidRecordError(fn, { row: i + 1, field: s.name, value: v, expected: "a finite number or null (the model was trained with a numeric column)" });
      }
      cols.push(out);
    } else {
      const at = new Map<string, number>();
      s.levels.forEach((l, k) => at.set(l, k));
      const ind = s.levels.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        const v = c[i];
        if (isMissing(v)) continue;
        const k = at.get(String(v));
        if (k !== undefined) ind[k][i] = 1;
      }
      cols.push(...ind);
    }
  }
  return { n, cols, names: designNames(specs) };
}

/**
 * Read the label of every row as a class code. Class names are the labels as strings, ordered
 * numerically when every label is a number, else by string order (as `Array.prototype.sort`).
 * @internal
 */
export function readClasses(fn: string, data: ClassifyData, label: string, n: number): { y: Int32Array; classes: string[] } {
  const values: unknown[] = new Array(n);
  if (isColumns(data)) {
    const c = column(fn, data, label, n);
    for (let i = 0; i < n; i++) values[i] = c[i];
  } else for (let i = 0; i < n; i++) values[i] = (data[i] as ChurnRow)[label];
  let allNumbers = true;
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v) || !(typeof v === "number" || typeof v === "string" || typeof v === "boolean") || (typeof v === "number" && !Number.isFinite(v))) {
      throw new InvalidRecordError(fn, { row: i + 1, field: label, value: v, expected: "a class label (a string, finite number or boolean; missing labels are not allowed)" });
    }
    if (typeof v !== "number") allNumbers = false;
    const key = String(v);
    if (!seen.has(key)) seen.set(key, typeof v === "number" ? v : 0);
  }
  const classes = [...seen.keys()];
  if (allNumbers) classes.sort((a, b) => seen.get(a)! - seen.get(b)!);
  else classes.sort();
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no training rows`);
  if (classes.length < 2) throw new AnalyticsError("EMPTY_INPUT", `${fn}: the label "${label}" holds one class only (${JSON.stringify(classes[0])} in all ${n} rows); a classifier needs at least two classes`);
  const code = new Map<string, number>();
  classes.forEach((c, k) => code.set(c, k));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = code.get(String(values[i]))!;
  return { y, classes };
}
