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

/**
 * Neumaier-compensated running sum of a typed array slice. Never NaN for finite values: when
 * the running sum overflows it sums again in power-of-two units, so the result is finite
 * whenever the true sum is, and +-Infinity only when the true sum is beyond the largest double.
 */
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
  const r = sum + comp;
  if (Number.isFinite(r)) return r;
  // Finite values whose running sum overflowed (the compensation then turns it into NaN): sum
  // again in units of a power of two (exact); the result is finite when the true sum is.
  let big = 0;
  for (let i = from; i < to; i++) {
    const v = Math.abs(a[i]);
    if (!(v <= Number.MAX_VALUE)) return r; // a non-finite input: not an overflow
    if (v > big) big = v;
  }
  const unit = 2 ** (Math.ceil(Math.log2(big)) - 8);
  sum = 0;
  comp = 0;
  for (let i = from; i < to; i++) {
    const v = a[i] / unit;
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) comp += sum - t + v;
    else comp += v - t + sum;
    sum = t;
  }
  return (sum + comp) * unit;
}

/**
 * Partially order `a` in place so that, for every position p in `positions`, `a[p]` holds the
 * value it would hold if `a` were sorted ascending (multi-quickselect with three-way
 * partitioning, so long runs of equal values cost O(n)). Expected O(n log k) for k positions.
 * Pivots come from a fixed-seed xorshift generator: deterministic, not `Math.random`.
 */
export function selectPositions(a: Float64Array, positions: readonly number[]): void {
  const ps = [...new Set(positions)].filter((p) => p >= 0 && p < a.length).sort((x, y) => x - y);
  let state = 0x9e3779b9 | 0;
  const rand = (span: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % span;
  };
  const stack: [number, number, number, number][] = [[0, a.length - 1, 0, ps.length - 1]];
  while (stack.length) {
    const [lo0, hi0, pLo, pHi] = stack.pop() as [number, number, number, number];
    if (pLo > pHi || lo0 >= hi0) continue;
    const pm = (pLo + pHi) >> 1;
    const k = ps[pm];
    let lo = lo0;
    let hi = hi0;
    let eqLo = k;
    let eqHi = k;
    while (hi > lo) {
      const span = hi - lo + 1;
      const x = a[lo + rand(span)];
      const y = a[lo + rand(span)];
      const z = a[lo + rand(span)];
      const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
      let lt = lo;
      let gt = hi;
      let i = lo;
      while (i <= gt) {
        const v = a[i];
        if (v < p) {
          a[i] = a[lt];
          a[lt] = v;
          lt++;
          i++;
        } else if (v > p) {
          a[i] = a[gt];
          a[gt] = v;
          gt--;
        } else i++;
      }
      if (k < lt) hi = lt - 1;
      else if (k > gt) lo = gt + 1;
      else {
        eqLo = lt;
        eqHi = gt;
        break;
      }
    }
    // a[lo0..eqLo-1] <= a[k] == a[eqLo..eqHi] <= a[eqHi+1..hi0]; positions inside the equal run are done.
    let left = pm - 1;
    while (left >= pLo && ps[left] >= eqLo) left--;
    let right = pm + 1;
    while (right <= pHi && ps[right] <= eqHi) right++;
    stack.push([lo0, eqLo - 1, pLo, left], [eqHi + 1, hi0, right, pHi]);
  }
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

/**
 * Values at the given positions of `values` sorted ascending, without sorting it (the input is
 * not modified). Small-range integer data (days, order counts) is counted in one pass;
 * anything else is copied and partially ordered with {@link selectPositions}.
 * @returns `out[j]` = the sorted value at `positions[j]` (positions must be in 0..n-1).
 */
export function orderStatistics(values: Float64Array, positions: readonly number[]): number[] {
  const n = values.length;
  if (n === 0 || positions.length === 0) return positions.map(() => NaN);
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  const range = max - min;
  if (integral && range <= Math.max(1024, 2 * n) && range < 1e7) {
    const counts = new Int32Array(range + 1);
    for (let i = 0; i < n; i++) counts[values[i] - min]++;
    const order = positions.map((p, j) => [p, j] as const).sort((a, b) => a[0] - b[0]);
    const out = new Array<number>(positions.length);
    let seen = 0; // values with offset < v
    let v = 0;
    for (const [p, j] of order) {
      while (seen + counts[v] <= p) seen += counts[v++];
      out[j] = v + min + 0; // + 0 turns -0 into 0
    }
    return out;
  }
  const part = values.slice();
  selectPositions(part, positions);
  return positions.map((p) => part[p]);
}
