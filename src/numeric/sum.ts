/**
 * Exact summation: the one sum kernel of the library, as a one-shot function ({@link fsum}) and
 * per group of a column ({@link fsumGroups}), and as an accumulator for running (prefix) sums
 * ({@link ExactSum}).
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";

/** Partials buffer size: non-overlapping partials of doubles number at most about 40. */
const MAX_PARTIALS = 64;
/**
 * An addition whose result (the new value plus the largest partial, which carries the running
 * sum up to a relative 2^-52) reaches this may overflow inside the partials loop: the
 * accumulator switches to half scale first. Just under the largest double, with room for the
 * smaller partials.
 */
const NEAR_MAX = Number.MAX_VALUE * (1 - 2 ** -20);

/**
 * An exact running sum: add numbers one at a time and read the correctly rounded sum of all of
 * them at any point (the prefix sums of a Lorenz curve, cumulative shares).
 *
 * @remarks
 * Shewchuk's (1997) non-overlapping partials: each `add` is a few error-free `TwoSum` steps
 * (the partials' exact sum is the exact sum so far, typically 1–3 partials); `value` adds the
 * partials from the largest with the half-even correction of Python's `math.fsum`, so it is the
 * double nearest the exact sum. Reading `value` is O(partials), so prefix sums cost O(1) each.
 * Special values follow IEEE addition (NaN, or +Infinity with -Infinity, gives NaN; an infinite
 * input gives that infinity). When a running sum would pass the largest double the accumulator
 * switches to half scale (exact, except that the lowest bit of a subnormal partial may be lost
 * then), so `[1e308, 1e308, -1e308]` sums to 1e308; a running sum beyond twice the largest
 * double is ±Infinity from then on.
 *
 * @example
 * ```ts
 * const s = new ExactSum();
 * const prefix = [0.1, 0.2, 0.3].map((v) => (s.add(v), s.value));
 * prefix;
 * //=> [0.1, 0.30000000000000004, 0.6]
 * ```
 * @category Numeric
 */
export class ExactSum {
  private readonly p = new Float64Array(MAX_PARTIALS);
  private n = 0;
  private scale = 1;
  private special = 0;
  private sawSpecial = false;

  /** Add one number. */
  add(v: number): void {
    if (!(v - v === 0)) {
      this.special += v;
      this.sawSpecial = true;
      return;
    }
    // partials are in increasing magnitude: the last is the largest
    if (this.scale === 1 && !(Math.abs(v + (this.n > 0 ? this.p[this.n - 1] : 0)) < NEAR_MAX)) this.halve();
    const p = this.p;
    const i = growPartials(p, this.n, v * this.scale);
    if (i < 0) {
      // the running sum is beyond twice the largest double: it stays infinite
      this.special += p[~i];
      this.sawSpecial = true;
      this.n = ~i;
      return;
    }
    this.n = i;
  }

  /** The correctly rounded sum of everything added so far (0 before any `add`). */
  get value(): number {
    if (this.sawSpecial) return this.special;
    const hi = roundPartials(this.p, this.n);
    return this.scale === 1 ? hi : hi / this.scale;
  }

  /** Switch to half scale (all partials halved: exact for normal numbers). */
  private halve(): void {
    this.scale = 0.5;
    for (let k = 0; k < this.n; k++) this.p[k] *= 0.5;
  }
}

/**
 * The correctly rounded sum of numbers: the double nearest to the exact mathematical sum
 * (ties to even), whatever the order and magnitude of the inputs.
 *
 * @remarks
 * First a compensated pass (Ogita, Rump & Oishi's Sum2, about as fast as a plain loop) whose
 * result is returned only when an error bound proves it is the correctly rounded sum (the usual
 * case: 10 million money amounts take ~20 ms); otherwise Shewchuk's (1997) exact summation with
 * non-overlapping partials, as in Python's `math.fsum` (Hettinger's `msum` with its final
 * half-even correction), ~40 ns a value. See {@link ExactSum} for special values and sums near
 * the largest double. O(n).
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
  const a: ArrayLike<number> = typeof (values as ArrayLike<number>).length === "number" ? (values as ArrayLike<number>) : Array.from(values as Iterable<number>);
  // 1. a compensated pass (~1 ns a value) with a proof that its result is correctly rounded
  const quick = compensatedIfProvablyRounded(a);
  if (quick === quick) return quick;
  // 2. Shewchuk's partials (~40 ns a value): near-halfway cases and heavy cancellation
  const fast = fsumFinite(a);
  if (fast === fast) return fast;
  // 3. a non-finite input or a running sum near the largest double: the accumulator handles both
  const s = new ExactSum();
  for (let i = 0; i < a.length; i++) s.add(a[i]);
  return s.value;
}

/**
 * The correctly rounded sum of each group of a column: `out[g]` is {@link fsum} of the
 * `values[i]` whose `groups[i]` is g (revenue per segment, per cluster, per quadrant).
 *
 * @remarks
 * One counting pass, one pass that gathers each group's values together (a stable counting
 * sort), then {@link fsum} on each group: O(n + k), a few ns a value, and each sum is exact
 * whatever the order of the rows (a running `+=` per group is not, and several
 * {@link ExactSum}s cost ~20 ns a value).
 *
 * @param values - one number per row.
 * @param groups - the group of each row, an integer in [0, k); as many as `values`.
 * @param k - the number of groups.
 * @returns `k` sums (0 for an empty group).
 * @throws {@link InvalidOptionError} when the lengths differ or a group is not an integer in [0, k).
 * @example
 * ```ts
 * Array.from(fsumGroups([0.1, 5, 0.2, 0.3], [0, 1, 0, 0], 2));
 * //=> [0.6, 5]
 * ```
 * @category Numeric
 */
export function fsumGroups(values: ArrayLike<number>, groups: ArrayLike<number>, k: number): Float64Array {
  const fn = "fsumGroups";
  const n = values.length;
  if (!(Number.isInteger(k) && k >= 0)) throw new InvalidOptionError(fn, "k", k, "an integer >= 0");
  if (groups.length !== n) throw new InvalidOptionError(fn, "groups", `${groups.length} groups`, `${n} groups, one per value`);
  const start = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (!(Number.isInteger(g) && g >= 0 && g < k)) throw new InvalidOptionError(fn, `groups[${i}]`, g, `an integer in [0, ${k})`);
    start[g + 1]++;
  }
  for (let g = 0; g < k; g++) start[g + 1] += start[g];
  const next = start.slice(0, k);
  const gathered = new Float64Array(n);
  for (let i = 0; i < n; i++) gathered[next[groups[i]]++] = values[i];
  const out = new Float64Array(k);
  for (let g = 0; g < k; g++) out[g] = fsum(gathered.subarray(start[g], start[g + 1]));
  return out;
}

const U = 2 ** -53;

/**
 * Ogita, Rump & Oishi's (2005) Sum2: s = the float sum, q_i the exact `TwoSum` errors, and
 * r = fl(s + Σq_i) with its own rounding residual t. The exact sum is S = r + t + δ where
 * |δ| <= γ_(n-1) Σ|q_i| (the error of summing the q_i in floating point). If |t| + that bound
 * is below half an ulp of r (of the smaller ulp when r is a power of two), S is strictly nearer
 * r than any other double: r is the correctly rounded sum. Returns NaN when that cannot be shown
 * (a near-halfway case, heavy cancellation, a value that is not finite), and the caller sums
 * exactly.
 */
function compensatedIfProvablyRounded(a: ArrayLike<number>): number {
  const n = a.length;
  let s = 0;
  let c = 0;
  let qa = 0;
  for (let j = 0; j < n; j++) {
    const x = a[j];
    const t = s + x;
    const bp = t - s;
    const q = s - (t - bp) + (x - bp);
    s = t;
    c += q;
    qa += Math.abs(q); // Math.abs: a branch here mispredicts half the time (5x slower)
  }
  if (!(s - s === 0 && qa - qa === 0)) return NaN;
  const r = s + c;
  const bp = r - s;
  const t = s - (r - bp) + (c - bp);
  const nu = n * U;
  // γ_(n-1) Σ|q_i|, with Σ|q_i| itself summed in floating point (so divided by 1 - γ once more)
  // and a few ulps for the rounding of these products
  const g = nu / (1 - nu);
  const bound = nu < 0.25 ? g * qa * (1 + 2 * g) * (1 + 8 * U) : Infinity;
  const err = (Math.abs(t) + bound) * (1 + 2 * U);
  if (err === 0) return r;
  const ar = r < 0 ? -r : r;
  if (!(ar >= 2 ** -1021)) return NaN; // subnormal territory: leave it to the exact path
  let e = Math.floor(Math.log2(ar));
  if (2 ** e > ar) e--;
  else if (2 ** (e + 1) <= ar) e++;
  // half an ulp of r (on the smaller side when r is a power of two): S must be strictly nearer r
  const half = ar === 2 ** e ? 2 ** (e - 54) : 2 ** (e - 53);
  return err < half ? r : NaN;
}

/** Shared scratch for {@link fsumFinite} (never escapes a call; JavaScript is single-threaded). */
const SCRATCH = new Float64Array(MAX_PARTIALS);

/**
 * The exact path of {@link fsum}: the partials of {@link ExactSum} in a shared scratch buffer,
 * without its special-value and overflow handling, for finite inputs whose running sums stay
 * below the largest double; NaN when that does not hold (the caller then takes the general path).
 */
function fsumFinite(a: ArrayLike<number>): number {
  const p = SCRATCH;
  let np = 0;
  const len = a.length;
  for (let j = 0; j < len; j++) {
    np = growPartials(p, np, a[j]);
    if (np < 0) return NaN; // a non-finite input, or an overflow of the running sum
  }
  return roundPartials(p, np);
}

/**
 * Add `x` to the non-overlapping partials `p[0..n)` (increasing magnitude; their exact sum is
 * the running sum) by error-free `TwoSum` steps, keeping the non-zero errors: Shewchuk's
 * (1997) grow-expansion, as in Hettinger's `msum`. Returns the new count; when the new largest
 * partial is not finite (a non-finite `x`, or a running sum past the largest double) it is
 * left at `p[i]` and `~i` (negative) is returned, `i` the count of the finite partials below.
 */
function growPartials(p: Float64Array, n: number, x: number): number {
  let i = 0;
  for (let k = 0; k < n; k++) {
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
  p[i] = x;
  return x - x === 0 ? i + 1 : ~i;
}

/**
 * The double nearest the exact sum of the partials `p[0..n)` (ties to even): add them from
 * the largest until a rounding error appears, then Python `math.fsum`'s half-even correction
 * (the partials below may push that error past an exact halfway case).
 */
function roundPartials(p: Float64Array, n: number): number {
  let k = n;
  let hi = 0;
  let lo = 0;
  if (k > 0) {
    hi = p[--k];
    while (k > 0) {
      const x = hi;
      const y = p[--k];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    if (k > 0 && ((lo < 0 && p[k - 1] < 0) || (lo > 0 && p[k - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}
