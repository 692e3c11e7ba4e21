/** Private helpers shared by the rfm and matrix folders (not exported from the package). */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * One per-customer column of a columnar input (`rfmColumns`, `behaviorMatrixColumns`) as a
 * Float64Array: a `Float64Array` is read in place after a finite check, an `Int32Array` (a
 * `CustomerTable`'s counts and days, always finite) is copied, anything else is rejected.
 *
 * @param v - the column.
 * @param fn - the calling function, for messages.
 * @param field - the column name (`"frequency"`); option errors name `table.<field>`.
 * @param expected - what a value should be, for record errors.
 * @param ids - customer ids by row, when the input has them: record errors then name the customer, else the 1-based row.
 * @param length - the length every column must have and the column that set it (omit for the first column).
 * @throws InvalidRecordError for a non-finite value; InvalidOptionError for a wrong type or length.
 */
export function customerColumn(v: unknown, fn: string, field: string, expected: string, ids: readonly string[] | undefined, length?: { n: number; from: string }): Float64Array {
  let out: Float64Array;
  if (v instanceof Float64Array) {
    out = v;
    for (let i = 0; i < out.length; i++) {
      const x = out[i];
      if (!(x - x === 0)) throw new InvalidRecordError(fn, { row: ids?.[i] ?? i + 1, field, value: x, expected });
    }
  } else if (v instanceof Int32Array) out = Float64Array.from(v);
  else throw new InvalidOptionError(fn, `table.${field}`, v, "an Int32Array or Float64Array with one value per customer");
  if (length !== undefined && out.length !== length.n) throw new InvalidOptionError(fn, `table.${field}`, `${out.length} values`, `${length.n} values, as many as table.${length.from}`);
  return out;
}

/** The optional `ids` of a columnar input: when given, an array with one id per row. */
export function checkCustomerIds(fn: string, ids: unknown, n: number): void {
  if (ids !== undefined && (!Array.isArray(ids) || ids.length !== n)) throw new InvalidOptionError(fn, "table.ids", ids, `${n} customer ids, one per row`);
}

/**
 * Copy numbers (array, typed array or any iterable) once into a Float64Array, rejecting
 * non-finite values with their 1-based position.
 */
export function toFiniteFloat64(values: readonly number[] | ArrayLike<number> | Iterable<number>, fn: string, field = "value"): Float64Array {
  let out: Float64Array;
  if (ArrayBuffer.isView(values)) {
    out = Float64Array.from(values as ArrayLike<number>);
  } else if (Array.isArray(values)) {
    out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (typeof v !== "number") throw new InvalidRecordError(fn, { row: i + 1, field, value: v, expected: "a finite number" });
      out[i] = v;
    }
  } else if (values != null && typeof (values as Iterable<number>)[Symbol.iterator] === "function") {
    const tmp: number[] = [];
    for (const v of values as Iterable<unknown>) {
      if (typeof v !== "number") throw new InvalidRecordError(fn, { row: tmp.length + 1, field, value: v, expected: "a finite number" });
      tmp.push(v);
    }
    out = Float64Array.from(tmp);
  } else {
    throw new InvalidRecordError(fn, { row: 0, field: "values", value: values, expected: "an array or iterable of numbers" });
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new InvalidRecordError(fn, { row: i + 1, field, value: out[i], expected: "a finite number" });
  }
  return out;
}


/** Number of distinct values, counting only up to `limit` (stops early once reached). */
export function countDistinctUpTo(a: Float64Array, limit: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < a.length; i++) {
    seen.add(a[i]);
    if (seen.size >= limit) return seen.size;
  }
  return seen.size;
}
