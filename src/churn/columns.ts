/**
 * Churn models on columns: train from typed-array feature columns and a label array, score a
 * feature matrix (named columns or one row-major `Float64Array`) into a `Float64Array`. The
 * record functions (`trainChurnModel`, `scoreChurn`) encode rows into the same columns and
 * share the same training and scoring code, so both give the same numbers.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { DictionaryColumn } from "../core/table.js";
import { checkModel, checkModelKind, scoreDesign, trainDesign, TRAIN_DEFAULTS, type ChurnModel, type Resolved, type SingleChurnModel, type TrainChurnModelOptions } from "./model.js";
import { requireBothClasses, type ColumnSpec, type Design } from "./table.js";

/**
 * One numeric feature column: any typed array of numbers or a number array. `NaN` marks a
 * missing value (a tree routes it by the learned side, the logistic model imputes the mean).
 * @category Churn
 */
export type ChurnColumn = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray | readonly number[];

/**
 * A feature matrix in columnar form, one of:
 *
 * - named columns `{ columns: { recency_days: Float64Array, frequency: Int32Array, ... } }`
 *   (any object whose fields are columns, for instance a `CustomerTable`: fields that are not
 *   used as features are ignored);
 * - one row-major `Float64Array`: `{ data, features }` with `data[i * features.length + j]` the
 *   value of feature `features[j]` in row `i`.
 *
 * For scoring, a categorical model column is read as its 0/1 indicator columns (named as in
 * `model.featureNames`, `plan=gold`) or, with named columns, as one column under its own name
 * holding the categories: a string array or a dictionary-encoded column `{ codes, values }`.
 * @category Churn
 */
export type ChurnFeatureMatrix =
  | {
      /** Columns by name (extra fields are ignored). */
      readonly columns: object;
    }
  | {
      /** Row-major values, `data[i * features.length + j]`; `NaN` = missing. */
      readonly data: Float64Array;
      /** Feature names, in the order of a row. */
      readonly features: readonly string[];
    };

/**
 * Options of {@link trainChurnModelColumns}: the training options of `trainChurnModel`, minus
 * those that only make sense for records (label column, categorical inference, groups).
 * @category Churn
 */
export interface TrainChurnModelColumnsOptions extends Omit<TrainChurnModelOptions, "label" | "positiveLabel" | "exclude" | "categorical" | "groupColumn" | "minGroupSize"> {
  /** Feature columns, in design order. Default: with named columns, every field holding a numeric column of the labels' length, in field order; with a row-major matrix, its `features`. */
  features?: readonly string[];
  /** Name recorded as the model's label. Default `"churned"`. */
  label?: string;
}

/**
 * Options of {@link scoreChurnColumns}.
 * @category Churn
 */
export interface ScoreChurnColumnsOptions {
  /** Group value of each row, for a grouped model (a string/number array or a dictionary-encoded column). Required for a grouped model; ignored otherwise. Default none. */
  groups?: readonly (string | number | null)[] | DictionaryColumn<string | number>;
}

const FN_TRAIN = "trainChurnModelColumns";
const FN_SCORE = "scoreChurnColumns";

function isNumericColumn(v: unknown): v is ChurnColumn {
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
  return Array.isArray(v) && v.every((x) => typeof x === "number" || x === null || x === undefined);
}

function isRowMajor(m: ChurnFeatureMatrix): m is Extract<ChurnFeatureMatrix, { data: Float64Array }> {
  return (m as { data?: unknown }).data !== undefined;
}

/**
 * Check one numeric column (finite numbers, NaN for missing; in a plain array also null or
 * undefined for missing) and return it as a `Float64Array`, without a copy when it is one.
 */
function asFloat64(fn: string, name: string, c: ChurnColumn, n: number): { col: Float64Array; hasMissing: boolean } {
  if (c.length !== n) throw new InvalidOptionError(fn, `columns.${name}`, `(length ${c.length})`, `a column of ${n} values, as long as the others`);
  let col: Float64Array;
  if (ArrayBuffer.isView(c)) col = c instanceof Float64Array ? c : Float64Array.from(c);
  else {
    col = new Float64Array(n);
    const a = c as readonly unknown[];
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (typeof v === "number") col[i] = v;
      else if (v === null || v === undefined) col[i] = Number.NaN;
      else throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "a number (NaN or null for missing)" });
    }
  }
  let hasMissing = false;
  for (let i = 0; i < n; i++) {
    const x = col[i];
    if (x - x !== 0) {
      if (x !== x) hasMissing = true;
      else throw new InvalidRecordError(fn, { row: i + 1, field: name, value: x, expected: "a finite number, or NaN for missing" });
    }
  }
  return { col, hasMissing };
}

/** Columns `at` of a row-major matrix (p values per row), in one pass over the rows. */
function deinterleave(data: Float64Array, p: number, n: number, at: readonly number[]): Float64Array[] {
  const q = at.length;
  const out = at.map(() => new Float64Array(n));
  for (let i = 0, o = 0; i < n; i++, o += p) for (let k = 0; k < q; k++) out[k][i] = data[o + at[k]];
  return out;
}

/** Feature columns of a matrix for training: names, Float64Array columns, row count. */
function readTrainingMatrix(m: ChurnFeatureMatrix, features: readonly string[] | undefined, n: number): { names: string[]; cols: Float64Array[]; missing: boolean[] } {
  const fn = FN_TRAIN;
  if (m === null || typeof m !== "object") throw new InvalidOptionError(fn, "matrix", m, "{ columns } or { data, features }");
  const names: string[] = [];
  const cols: Float64Array[] = [];
  const missing: boolean[] = [];
  if (isRowMajor(m)) {
    const all = m.features;
    if (!(m.data instanceof Float64Array) || !Array.isArray(all) || all.length === 0) throw new InvalidOptionError(fn, "matrix", "(row-major)", "{ data: Float64Array, features: string[] }");
    const p = all.length;
    if (m.data.length !== n * p) throw new InvalidOptionError(fn, "matrix.data", `(length ${m.data.length})`, `${n} rows x ${p} features = ${n * p} values`);
    const want = features ?? all;
    const at = want.map((name) => {
      const j = all.indexOf(name);
      if (j < 0) throw new InvalidOptionError(fn, "features", name, `one of the matrix's features (${all.join(", ")})`);
      return j;
    });
    deinterleave(m.data, p, n, at).forEach((col, k) => {
      const r = asFloat64(fn, want[k], col, n);
      names.push(want[k]);
      cols.push(r.col);
      missing.push(r.hasMissing);
    });
    return { names, cols, missing };
  }
  const table = m.columns as Record<string, unknown>;
  if (table === null || typeof table !== "object") throw new InvalidOptionError(fn, "matrix.columns", table, "an object of columns");
  const want = features ?? Object.keys(table).filter((k) => isNumericColumn(table[k]) && (table[k] as ChurnColumn).length === n);
  if (want.length === 0) throw new InvalidOptionError(fn, "features", want, `at least one numeric column of ${n} values`);
  for (const name of want) {
    const c = table[name];
    if (!isNumericColumn(c)) throw new InvalidOptionError(fn, `columns.${name}`, c === undefined ? "(missing)" : "(not numeric)", "a numeric column (typed array or number[])");
    const r = asFloat64(fn, name, c, n);
    names.push(name);
    cols.push(r.col);
    missing.push(r.hasMissing);
  }
  return { names, cols, missing };
}

/** Labels as 0/1: 1 or true = churned, 0 or false = retained. */
export function readLabelColumn(fn: string, labels: ArrayLike<number | boolean>, name: string): Uint8Array {
  if (labels === null || typeof labels !== "object" || typeof labels.length !== "number") throw new InvalidOptionError(fn, "labels", labels, "an array of 0/1 or true/false labels");
  const n = labels.length;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (v === 1 || v === true) y[i] = 1;
    else if (v !== 0 && v !== false) throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "1/true (churned) or 0/false (retained)" });
  }
  return y;
}

/**
 * Train a churn classifier on feature columns: the columnar form of `trainChurnModel`.
 *
 * @remarks
 * Same models, options and results as `trainChurnModel` on rows holding the same numbers (one
 * numeric feature per column, `NaN` = missing): both encode into `Float64Array` columns and run
 * the same training code (tested for equality). A `Float64Array` column is used without a copy.
 * The logistic model is the fast path for large tables: about 0.1 CPU s on 140,000 x 30
 * (`docs/benchmarks.md`, against scikit-learn's lbfgs in the same run).
 *
 * @param matrix - feature columns by name, or a row-major `Float64Array` with feature names (see {@link ChurnFeatureMatrix}); not modified.
 * @param labels - one label per row: 1 or `true` = churned, 0 or `false` = retained.
 * @param options - see {@link TrainChurnModelColumnsOptions}.
 * @returns a plain-JSON model, scored by `scoreChurnColumns` or (with rows) `scoreChurn`.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when the labels hold one class only (or none).
 * @throws {@link InvalidRecordError} for a label other than 0/1/true/false, or an infinite value (with `row` and `field`).
 * @throws {@link InvalidOptionError} for a missing or short column, an unknown feature or a bad option.
 * @example
 * ```ts
 * const recency = Float64Array.from([30, 60, 90, 120, 150, 180]);
 * const model = trainChurnModelColumns({ columns: { recency } }, [0, 0, 0, 1, 1, 1], { model: "tree", maxDepth: 1 });
 * scoreChurnColumns(model, { columns: { recency: [10, 200] } });
 * //=> Float64Array(2) [ 0, 1 ]
 * ```
 * @category Churn
 */
export function trainChurnModelColumns(matrix: ChurnFeatureMatrix, labels: ArrayLike<number | boolean>, options: TrainChurnModelColumnsOptions = {}): SingleChurnModel {
  const fn = FN_TRAIN;
  for (const k of ["groupColumn", "positiveLabel", "categorical", "exclude"] as const) {
    if ((options as Record<string, unknown>)[k] !== undefined) throw new InvalidOptionError(fn, k, (options as Record<string, unknown>)[k], "not set: columns are numeric features and labels are 0/1 (use trainChurnModel with rows for categories and groups)");
  }
  const o = withDefaults(TRAIN_DEFAULTS, options) as Resolved;
  checkModelKind(fn, o.model);
  const y = readLabelColumn(fn, labels, o.label);
  if (y.length === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no training rows`);
  if (o.features !== undefined && (!Array.isArray(o.features) || o.features.length === 0 || o.features.some((f) => typeof f !== "string"))) {
    throw new InvalidOptionError(fn, "features", o.features, "a non-empty array of column names");
  }
  requireBothClasses(y, fn);
  const { names, cols, missing } = readTrainingMatrix(matrix, o.features, y.length);
  const specs: ColumnSpec[] = names.map((name, j) => ({ name, kind: "numeric", hasMissing: missing[j] }));
  return trainDesign({ n: y.length, cols, names }, specs, y, o, fn);
}

/** Encode a matrix with a model's column specs into design columns (NumericArrayLike, no copy for numeric named columns). */
export function designOf(model: SingleChurnModel, m: ChurnFeatureMatrix, n: number, fn: string): Design {
  const cols: Float64Array[] = [];
  if (isRowMajor(m)) {
    const at = model.featureNames.map((name) => {
      const j = m.features.indexOf(name);
      if (j < 0) throw new InvalidOptionError(fn, "matrix.features", name, `the model's features (${model.featureNames.join(", ")})`);
      return j;
    });
    deinterleave(m.data, m.features.length, n, at).forEach((col, k) => cols.push(asFloat64(fn, model.featureNames[k], col, n).col));
    return { n, cols, names: model.featureNames };
  }
  const table = m.columns as Record<string, unknown>;
  for (const spec of model.columns) {
    if (spec.kind === "numeric") {
      const c = table[spec.name];
      if (!isNumericColumn(c)) throw new InvalidOptionError(fn, `columns.${spec.name}`, c === undefined ? "(missing)" : "(not numeric)", "a numeric column (the model was trained with a numeric column)");
      cols.push(asFloat64(fn, spec.name, c, n).col);
      continue;
    }
    // categorical: indicator columns by design name, or one column of categories
    const ind = spec.levels.map((l) => table[`${spec.name}=${l}`]);
    if (ind.every((c) => isNumericColumn(c))) {
      spec.levels.forEach((l, k) => cols.push(asFloat64(fn, `${spec.name}=${l}`, ind[k] as ChurnColumn, n).col));
      continue;
    }
    const c = table[spec.name];
    const level = new Map(spec.levels.map((l, k) => [l, k]));
    const out = spec.levels.map(() => new Float64Array(n));
    const set = (i: number, v: unknown): void => {
      if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return;
      const k = level.get(String(v));
      if (k !== undefined) out[k][i] = 1;
    };
    if (isDictionary(c)) {
      if (c.codes.length !== n) throw new InvalidOptionError(fn, `columns.${spec.name}`, `(length ${c.codes.length})`, `a column of ${n} values`);
      for (let i = 0; i < n; i++) if (c.codes[i] >= 0) set(i, c.values[c.codes[i]]);
    } else if (Array.isArray(c)) {
      if (c.length !== n) throw new InvalidOptionError(fn, `columns.${spec.name}`, `(length ${c.length})`, `a column of ${n} values`);
      for (let i = 0; i < n; i++) set(i, c[i]);
    } else {
      throw new InvalidOptionError(fn, `columns.${spec.name}`, c === undefined ? "(missing)" : c, `the categories (an array or { codes, values }) or the indicator columns ${spec.levels.map((l) => `"${spec.name}=${l}"`).join(", ")}`);
    }
    cols.push(...out);
  }
  return { n, cols, names: model.featureNames };
}

function isDictionary(c: unknown): c is DictionaryColumn<string | number> {
  return c !== null && typeof c === "object" && (c as { codes?: unknown }).codes instanceof Int32Array && Array.isArray((c as { values?: unknown }).values);
}

/** Rows of a matrix: the length of its first column (named), or data / features (row-major). */
export function rowCount(m: ChurnFeatureMatrix, model: ChurnModel, fn: string): number {
  if (m === null || typeof m !== "object") throw new InvalidOptionError(fn, "matrix", m, "{ columns } or { data, features }");
  if (isRowMajor(m)) {
    if (!(m.data instanceof Float64Array) || !Array.isArray(m.features) || m.features.length === 0) throw new InvalidOptionError(fn, "matrix", "(row-major)", "{ data: Float64Array, features: string[] }");
    if (m.data.length % m.features.length !== 0) throw new InvalidOptionError(fn, "matrix.data", `(length ${m.data.length})`, `a multiple of ${m.features.length} (the number of features)`);
    return m.data.length / m.features.length;
  }
  const table = m.columns as Record<string, unknown> | null;
  if (table === null || typeof table !== "object") throw new InvalidOptionError(fn, "matrix.columns", table, "an object of columns");
  const first = model.model === "grouped" ? model.fallback.columns[0] : model.columns[0];
  const names = [first.name, ...(first.kind === "categorical" ? first.levels.map((l) => `${first.name}=${l}`) : [])];
  for (const name of names) {
    const c = table[name];
    if (isNumericColumn(c) || Array.isArray(c)) return c.length;
    if (isDictionary(c)) return c.codes.length;
  }
  throw new InvalidOptionError(fn, `columns.${first.name}`, "(missing)", "a column for every model feature");
}

/**
 * Churn probability of every row of a feature matrix: the columnar form of `scoreChurn`.
 *
 * @remarks
 * The matrix is read with the model's stored encoding (see {@link ChurnFeatureMatrix}); columns
 * the model does not use are ignored. The probabilities are exactly those of `scoreChurn` on
 * rows holding the same values (both run the same scoring code on the same columns; tested).
 * A logistic model scores column by column: eta = b0 + sum_j b_j (x_j - mean_j) / sd_j over
 * present values, then 1 / (1 + exp(-eta)); O(n p).
 *
 * @param model - a model from `trainChurnModel` or {@link trainChurnModelColumns}, or its JSON parsed back.
 * @param matrix - the features (see {@link ChurnFeatureMatrix}); not modified.
 * @param options - see {@link ScoreChurnColumnsOptions} (`groups` for a grouped model).
 * @returns one probability in [0, 1] per row.
 * @throws {@link InvalidOptionError} when `model` is not a churn model, a model column is missing or of the wrong length, or a grouped model comes without `groups`.
 * @throws {@link InvalidRecordError} for an infinite value (with `row` and `field`).
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ recency: r * 30, churned: r > 3 }));
 * const model = trainChurnModel(rows, { maxDepth: 1 });
 * scoreChurnColumns(model, { data: Float64Array.from([10, 200]), features: ["recency"] });
 * //=> Float64Array(2) [ 0, 1 ]
 * ```
 * @category Churn
 */
export function scoreChurnColumns(model: ChurnModel, matrix: ChurnFeatureMatrix, options: ScoreChurnColumnsOptions = {}): Float64Array {
  const fn = FN_SCORE;
  checkModel(model, fn);
  const n = rowCount(matrix, model, fn);
  if (model.model !== "grouped") return scoreDesign(model, designOf(model, matrix, n, fn));
  const g = options.groups;
  if (g === undefined) throw new InvalidOptionError(fn, "groups", g, `the "${model.groupColumn}" value of every row (the model is grouped)`);
  const groupOf = (i: number): string => {
    const v = isDictionary(g) ? (g.codes[i] >= 0 ? g.values[g.codes[i]] : null) : g[i];
    return String(v ?? "");
  };
  const len = isDictionary(g) ? g.codes.length : (g as readonly unknown[]).length;
  if (len !== n) throw new InvalidOptionError(fn, "groups", `(length ${len})`, `one group value per row (${n})`);
  const at = new Map<string, number>();
  model.groups.forEach((x, k) => at.set(x.group, k));
  const idx = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const k = at.get(groupOf(i)) ?? -1;
    let list = idx.get(k);
    if (!list) idx.set(k, (list = []));
    list.push(i);
  }
  const out = new Float64Array(n);
  for (const [k, rows] of idx) {
    const sub = k < 0 ? model.fallback : model.groups[k].model;
    const d = designOf(sub, matrix, n, fn);
    const part: Design = { n: rows.length, cols: d.cols.map((c) => Float64Array.from(rows, (i) => c[i])), names: d.names };
    const s = scoreDesign(sub, part);
    rows.forEach((i, j) => (out[i] = s[j]));
  }
  return out;
}
