/**
 * Input checking shared by the survival functions: a time and a status column, optional group
 * labels and covariate columns, with rows that have a missing value (NaN, null, undefined) left
 * out as R's `na.omit` does and every other bad value rejected with the row that holds it.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * A numeric column: a `Float64Array` (or any typed array) or a plain number array. `NaN` marks a
 * missing value (the row is left out, as R's default `na.omit`).
 * @category Survival
 */
export type NumericColumn = ArrayLike<number>;

/**
 * Group labels, one per row; `null`/`undefined` (or `NaN`) marks a missing label.
 * @category Survival
 */
export type GroupColumn = ArrayLike<string | number | null | undefined>;

/** Rows accepted for analysis. @internal */
export interface SurvivalRows {
  /** Follow-up time per accepted row. */
  readonly time: Float64Array;
  /** 1 = event, 0 = censored, per accepted row. */
  readonly status: Uint8Array;
  /** Index in the input of each accepted row. */
  readonly index: Int32Array;
  /** Input indices (0-based) of the rows left out for a missing value. */
  readonly omittedRows: readonly number[];
}

/** Whether a value counts as missing. */
function missing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/**
 * Check the columns and return the complete rows. `time` must be finite and >= 0, `status` 0 or
 * 1; a NaN anywhere in a row (time, status, a covariate) or a missing group label leaves the row
 * out; anything else wrong throws an {@link InvalidRecordError} naming the 1-based row.
 * @internal
 */
export function survivalRows(
  fn: string,
  time: NumericColumn,
  status: NumericColumn,
  extra: { readonly name: string; readonly values: ArrayLike<unknown>; readonly numeric?: boolean }[] = [],
): SurvivalRows {
  if (time === null || typeof time !== "object" || typeof time.length !== "number") throw new InvalidOptionError(fn, "time", time, "an array or typed array of times");
  if (status === null || typeof status !== "object" || typeof status.length !== "number") throw new InvalidOptionError(fn, "status", status, "an array or typed array of 0/1 status values");
  const n = time.length;
  if (status.length !== n) throw new InvalidOptionError(fn, "status", `length ${status.length}`, `the length of time (${n})`);
  for (const c of extra) {
    if (c.values === null || typeof c.values !== "object" || typeof c.values.length !== "number") throw new InvalidOptionError(fn, c.name, c.values, "an array or typed array with one value per row");
    if (c.values.length !== n) throw new InvalidOptionError(fn, c.name, `length ${c.values.length}`, `the length of time (${n})`);
  }
  const keep: number[] = [];
  const omitted: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const s = status[i];
    let skip = missing(t) || missing(s);
    if (!missing(t) && (typeof t !== "number" || !Number.isFinite(t) || t < 0)) {
      throw new InvalidRecordError(fn, { row: i + 1, field: "time", value: t, expected: "a finite time >= 0" });
    }
    if (!missing(s) && s !== 0 && s !== 1) {
      throw new InvalidRecordError(fn, { row: i + 1, field: "status", value: s, expected: "0 (censored) or 1 (event)" });
    }
    for (const c of extra) {
      const v = c.values[i];
      if (missing(v)) skip = true;
      else if (typeof v === "number" && !Number.isFinite(v)) {
        throw new InvalidRecordError(fn, { row: i + 1, field: c.name, value: v, expected: "a finite number (NaN for missing)" });
      } else if (c.numeric && typeof v !== "number") {
        throw new InvalidRecordError(fn, { row: i + 1, field: c.name, value: v, expected: "a finite number (NaN for missing)" });
      } else if (typeof v !== "number" && typeof v !== "string") {
        throw new InvalidRecordError(fn, { row: i + 1, field: c.name, value: v, expected: "a number or a string label" });
      }
    }
    if (skip) omitted.push(i);
    else keep.push(i);
  }
  if (keep.length === 0) {
    throw new AnalyticsError("EMPTY_INPUT", `${fn}: no complete rows (${n} given, ${omitted.length} with a missing value); pass at least one row with a time, a status and every covariate`);
  }
  const m = keep.length;
  const outT = new Float64Array(m);
  const outS = new Uint8Array(m);
  const index = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const i = keep[k];
    outT[k] = time[i];
    outS[k] = status[i];
    index[k] = i;
  }
  return { time: outT, status: outS, index, omittedRows: omitted };
}

/**
 * The distinct group labels in R's factor order (numbers ascending when every label is a
 * number, otherwise strings in code-unit order) and each accepted row's group code.
 * @internal
 */
export function groupCodes(labels: GroupColumn, index: Int32Array): { levels: string[]; code: Int32Array } {
  const seen = new Map<string | number, number>();
  for (let k = 0; k < index.length; k++) {
    const v = labels[index[k]] as string | number;
    if (!seen.has(v)) seen.set(v, 0);
  }
  const values = [...seen.keys()];
  const allNumbers = values.every((v) => typeof v === "number");
  values.sort(allNumbers ? (a, b) => (a as number) - (b as number) : (a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const byKey = new Map<string, number>();
  values.forEach((v, j) => {
    if (byKey.has(String(v))) throw new InvalidOptionError("groupCodes", "group", v, "labels that stay distinct as strings (do not mix 1 and \"1\")");
    byKey.set(String(v), j);
  });
  const code = new Int32Array(index.length);
  for (let k = 0; k < index.length; k++) code[k] = byKey.get(String(labels[index[k]]))!;
  return { levels: values.map(String), code };
}

/** Row order by ascending time (stable: ties keep input order, as R's `order`). @internal */
export function orderByTime(time: Float64Array): Int32Array {
  const idx = Int32Array.from({ length: time.length }, (_, i) => i);
  const arr = Array.from(idx).sort((a, b) => time[a] - time[b] || a - b);
  return Int32Array.from(arr);
}
