/** Private helpers shared by the rfm folder (not exported from the package). */
import { InvalidRecordError } from "../core/errors.js";

/** Drop keys whose value is `undefined`, so they do not override defaults in a spread. */
export function definedOnly<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
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

/** Neumaier-compensated running sum of a typed array slice. */
export function compensatedSum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let sum = 0;
  let comp = 0;
  for (let i = from; i < to; i++) {
    const v = a[i];
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) comp += sum - t + v;
    else comp += v - t + sum;
    sum = t;
  }
  return sum + comp;
}
