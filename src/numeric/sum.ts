/**
 * Exact summation: the one sum kernel of the library.
 * @module
 */

/** Partials buffer size: non-overlapping partials of doubles number at most about 40. */
const MAX_PARTIALS = 64;

/**
 * The correctly rounded sum of numbers: the double nearest to the exact mathematical sum
 * (ties to even), whatever the order and magnitude of the inputs.
 *
 * @remarks
 * Shewchuk's (1997) exact summation with non-overlapping partials, as in Python's `math.fsum`
 * (Hettinger's `msum` recipe with its final half-even correction): each input is added into a
 * short list of partials whose exact sum is the exact sum so far (error-free `TwoSum` steps);
 * the partials are then added from the largest with one check that the last rounding is
 * correct. O(n) with a small constant (typically 1–3 partials live for money columns).
 *
 * Special values follow IEEE addition: any NaN gives NaN, +Infinity and -Infinity together give
 * NaN, otherwise an infinite input gives that infinity. When the exact sum of finite inputs is
 * beyond the largest double the result is ±Infinity; an intermediate overflow of a sum whose
 * exact value is finite (e.g. `[1e308, 1e308, -1e308]`) is handled by summing halves.
 *
 * @param values - any iterable or array-like of numbers (a `Float64Array` column, an array).
 * @returns the correctly rounded sum; 0 for no values.
 * @example
 * ```ts
 * fsum([0.1, 0.2, 0.3]);
 * //=> 0.6
 * ```
 * @example
 * ```ts
 * fsum([1e100, 1, -1e100, 1e-100]);
 * //=> 1
 * ```
 * @category Numeric
 */
export function fsum(values: Iterable<number> | ArrayLike<number>): number {
  const arr: ArrayLike<number> =
    typeof (values as ArrayLike<number>).length === "number" ? (values as ArrayLike<number>) : Array.from(values as Iterable<number>);
  const r = exactSum(arr, 1);
  if (r !== OVERFLOWED) return r;
  // an intermediate overflow: the halves cannot overflow (|x/2| <= 2^1023), sum them and double
  return 2 * (exactSum(arr, 0.5) as number);
}

const OVERFLOWED = Symbol("overflow");

function exactSum(values: ArrayLike<number>, scale: number): number | typeof OVERFLOWED {
  const p = new Float64Array(MAX_PARTIALS);
  let np = 0;
  let special = 0; // sum of the non-finite inputs (NaN and infinities, IEEE rules)
  let sawSpecial = false;
  const n = values.length;
  for (let j = 0; j < n; j++) {
    let x = values[j] * scale;
    if (!(x - x === 0)) {
      special += values[j];
      sawSpecial = true;
      continue;
    }
    let i = 0;
    for (let k = 0; k < np; k++) {
      let y = p[k];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (!(x - x === 0)) {
      if (sawSpecial) continue; // the result is non-finite anyway
      return OVERFLOWED;
    }
    p[i++] = x;
    np = i;
  }
  if (sawSpecial) return special;
  // add the partials from the largest, stopping when the sum becomes inexact
  let hi = 0;
  let lo = 0;
  let k = np;
  if (k > 0) {
    hi = p[--k];
    while (k > 0) {
      const x = hi;
      const y = p[--k];
      hi = x + y;
      const yr = hi - x;
      lo = y - yr;
      if (lo !== 0) break;
    }
    // half-even correction: when the rest of the partials push lo past an exact halfway case
    if (k > 0 && ((lo < 0 && p[k - 1] < 0) || (lo > 0 && p[k - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      const yr = x - hi;
      if (y === yr) hi = x;
    }
  }
  return hi;
}
