/**
 * Order statistics: quickselect, R-7 quantiles and the median. The one quantile kernel of the
 * library (R's `quantile(type = 7)`, numpy's default `linear` method, Hyndman & Fan 1996).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * Ranges longer than this are partitioned branch-free (see {@link quickselect}); shorter ones by
 * Hoare's scheme, which is faster while the range fits in the L1 cache. Measured on 2,000 to
 * 1,000,000 values (uniform, 70% zeros, 10 distinct values).
 */
const BRANCH_FREE_MIN = 4096;

/**
 * Rearrange `a[lo..hi]` in place so that `a[k]` holds the value it would have after sorting,
 * smaller or equal values before it and greater or equal after it. Expected O(hi - lo); no NaN
 * allowed.
 *
 * @remarks
 * Quickselect (Hoare 1961) with a median-of-three pivot. Long ranges use a three-way partition
 * without data-dependent branches (values below the pivot, then a second pass gathering those
 * equal to it, so runs of ties such as many zero CLVs stay linear): on random data a
 * partition branch mispredicts about half the time, and this form is 2–3x faster from ~10⁵
 * values. Short ranges use Hoare's two-pointer partition. The one selection kernel of the
 * library (quantiles, medians, the Monte Carlo percentiles).
 *
 * @param a - the array to rearrange (modified).
 * @param k - the wanted sorted position, lo <= k <= hi.
 * @param lo - first index of the range. Default 0.
 * @param hi - last index of the range. Default `a.length - 1`.
 * @returns `a[k]` after the call.
 * @example
 * ```ts
 * quickselect(Float64Array.of(5, 1, 4, 2, 3), 1);
 * //=> 2
 * ```
 * @category Numeric
 */
export function quickselect(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi - lo > BRANCH_FREE_MIN) {
    const pivot = medianOfThree(a, lo, hi);
    // [lo, store) < pivot
    let store = lo;
    for (let i = lo; i <= hi; i++) {
      const v = a[i];
      a[i] = a[store];
      a[store] = v;
      store += +(v < pivot);
    }
    if (k < store) {
      hi = store - 1;
      continue;
    }
    // [store, eq) === pivot
    let eq = store;
    for (let i = store; i <= hi; i++) {
      const v = a[i];
      a[i] = a[eq];
      a[eq] = v;
      eq += +(v === pivot);
    }
    if (k < eq) return a[k];
    lo = eq;
  }
  while (hi > lo) {
    hoare(a, lo, hi);
    const i = bounds[0];
    const j = bounds[1];
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/**
 * Rearrange `a` in place so that every index in `positions` holds the value it would have after
 * sorting (several order statistics in one pass, cheaper than a sort when there are few). No NaN
 * allowed.
 *
 * @remarks
 * Multiple selection: a quicksort that only descends into the parts of the array holding a wanted
 * position (median-of-three pivot, Hoare's partition; ranges under 32 values are insertion-sorted).
 * Expected O(n log k) for k positions against O(n log n) for a sort: the bin thresholds of
 * gradient boosting (255 quantiles of each column) take about half a sort's time.
 *
 * @param a - the values (modified).
 * @param positions - the wanted sorted positions, ascending integers in [0, a.length).
 * @returns `a`.
 * @throws {@link InvalidOptionError} when `positions` is not ascending integers within the array.
 * @example
 * ```ts
 * const a = selectPositions(Float64Array.of(9, 2, 7, 4, 5, 1, 8, 3, 6), [0, 4, 8]);
 * [a[0], a[4], a[8]];
 * //=> [1, 5, 9]
 * ```
 * @category Numeric
 */
export function selectPositions(a: Float64Array, positions: ArrayLike<number>): Float64Array {
  for (let q = 0; q < positions.length; q++) {
    const k = positions[q];
    if (!(Number.isInteger(k) && k >= 0 && k < a.length && (q === 0 || k > positions[q - 1]))) throw new InvalidOptionError("selectPositions", `positions[${q}]`, k, `an integer in [0, ${a.length - 1}] above the previous position`);
  }
  selectRange(a, 0, a.length - 1, positions, 0, positions.length);
  return a;
}

/** Put positions[p0..p1) of a[lo..hi] in their sorted places. */
function selectRange(a: Float64Array, lo: number, hi: number, positions: ArrayLike<number>, p0: number, p1: number): void {
  while (p0 < p1 && hi > lo) {
    if (hi - lo < 32) {
      insertionSort(a, lo, hi);
      return;
    }
    hoare(a, lo, hi);
    const i = bounds[0];
    const j = bounds[1];
    // a[lo..j] <= pivot, a[j+1..i-1] = pivot (in place), a[i..hi] >= pivot
    let m = p0;
    while (m < p1 && positions[m] <= j) m++;
    let r = m;
    while (r < p1 && positions[r] < i) r++;
    // recurse into the shorter side, loop on the longer
    if (j - lo < hi - i) {
      selectRange(a, lo, j, positions, p0, m);
      lo = i;
      p0 = r;
    } else {
      selectRange(a, i, hi, positions, r, p1);
      hi = j;
      p1 = m;
    }
  }
}

/**
 * Sort a[lo..hi] ascending in place: quicksort on {@link hoare} (recursing into the shorter side),
 * insertion sort for ranges of 17 values or fewer. No NaN. The sort kernel of the CART binning
 * (src/churn/tree.ts; V8's built-in typed-array sort was the slowest step of binning there).
 * @internal
 */
export function sortRange(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    hoare(a, lo, hi);
    const i = bounds[0];
    const j = bounds[1];
    if (j - lo < hi - i) {
      sortRange(a, lo, j);
      lo = i;
    } else {
      sortRange(a, i, hi);
      hi = j;
    }
  }
  insertionSort(a, lo, hi);
}

/** Insertion sort of a[lo..hi] (short ranges). */
function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

/** Where {@link hoare} leaves its two pointers: [i, j]. */
const bounds = new Int32Array(2);

/**
 * Hoare's two-pointer partition of a[lo..hi] around the median of three: afterwards a[lo..j] <=
 * pivot, a[j+1..i-1] = pivot and a[i..hi] >= pivot, with i and j left in `bounds`.
 */
function hoare(a: Float64Array, lo: number, hi: number): void {
  const pivot = medianOfThree(a, lo, hi);
  let i = lo;
  let j = hi;
  while (i <= j) {
    while (a[i] < pivot) i++;
    while (a[j] > pivot) j--;
    if (i <= j) {
      swap(a, i, j);
      i++;
      j--;
    }
  }
  bounds[0] = i;
  bounds[1] = j;
}

/** Order a[lo], a[mid], a[hi] (mid the middle index) and return the middle value, the pivot. */
function medianOfThree(a: Float64Array, lo: number, hi: number): number {
  const mid = (lo + hi) >>> 1;
  if (a[mid] < a[lo]) swap(a, mid, lo);
  if (a[hi] < a[lo]) swap(a, hi, lo);
  if (a[hi] < a[mid]) swap(a, hi, mid);
  return a[mid];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Copy the values into a Float64Array, rejecting NaN and empty input. */
function column(values: ArrayLike<number> | Iterable<number>, fn: string): Float64Array {
  const a = typeof (values as ArrayLike<number>).length === "number" ? Float64Array.from(values as ArrayLike<number>) : Float64Array.from(values as Iterable<number>);
  if (a.length === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no values; pass at least one number`);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i])) throw new InvalidRecordError(fn, { row: i + 1, field: "value", value: a[i], expected: "a number (not NaN)" });
  }
  return a;
}

function checkP(p: unknown, fn: string, option = "p"): number {
  if (!(typeof p === "number" && p >= 0 && p <= 1)) throw new InvalidOptionError(fn, option, p, "a number in [0, 1]");
  return p;
}

/** R-7 at position h = (N - 1) p in a copy that is rearranged (quickselect of lo, then the minimum above). */
function r7InPlace(a: Float64Array, h: number): number {
  const N = a.length;
  const lo = Math.floor(h);
  const x = quickselect(a, lo);
  const frac = h - lo;
  if (frac === 0 || lo + 1 >= N) return x;
  // the next order statistic is the minimum of the part above lo
  let y = Infinity;
  for (let i = lo + 1; i < N; i++) if (a[i] < y) y = a[i];
  return y === x ? x : x + frac * (y - x);
}

/**
 * The p-quantile of numbers by the R-7 rule: with the values sorted x_1..x_N and
 * h = (N - 1) p, x_(⌊h⌋+1) + (h - ⌊h⌋)(x_(⌊h⌋+2) - x_(⌊h⌋+1)).
 *
 * @remarks
 * The same numbers as R's `quantile(x, p, type = 7)` and numpy's `np.quantile(x, p)` (default
 * `linear`), checked against numpy in `test/reference/numeric_mpmath.py`. One copy and one
 * quickselect: expected O(N); the input is not modified.
 *
 * @param values - numbers (NaN rejected).
 * @param p - the probability, in [0, 1].
 * @returns the quantile.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no values.
 * @throws {@link InvalidRecordError} for a NaN value (its 1-based row).
 * @throws {@link InvalidOptionError} for p outside [0, 1].
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.25);
 * //=> 1.75
 * ```
 * @category Numeric
 */
export function quantile(values: ArrayLike<number> | Iterable<number>, p: number): number {
  const fn = "quantile";
  checkP(p, fn);
  const a = column(values, fn);
  return r7InPlace(a, (a.length - 1) * p);
}

/**
 * Several R-7 quantiles of the same numbers (one sort: O(N log N), then O(1) each).
 *
 * @param values - numbers (NaN rejected).
 * @param ps - probabilities in [0, 1], any order.
 * @returns the quantiles, in the order of `ps`.
 * @throws {@link AnalyticsError} `EMPTY_INPUT`; {@link InvalidRecordError} for NaN; {@link InvalidOptionError} for a p outside [0, 1].
 * @example
 * ```ts
 * quantiles([10, 20, 30, 40, 50], [0.1, 0.5, 0.9]);
 * //=> [14, 30, 46]
 * ```
 * @category Numeric
 */
export function quantiles(values: ArrayLike<number> | Iterable<number>, ps: readonly number[]): number[] {
  const fn = "quantiles";
  ps.forEach((p, i) => checkP(p, fn, `ps[${i}]`));
  const a = column(values, fn).sort();
  return ps.map((p) => quantileSorted(a, p));
}

/**
 * R-7 quantile of values already sorted ascending (no copy, no check of the order). O(1).
 *
 * @param sorted - ascending numbers, at least one.
 * @param p - the probability, in [0, 1].
 * @returns the quantile.
 * @example
 * ```ts
 * quantileSorted([1, 2, 3, 4], 0.5);
 * //=> 2.5
 * ```
 * @category Numeric
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const N = sorted.length;
  const h = (N - 1) * p;
  const lo = Math.floor(h);
  const x = sorted[lo];
  const frac = h - lo;
  if (frac === 0 || lo + 1 >= N) return x;
  const y = sorted[lo + 1];
  return y === x ? x : x + frac * (y - x);
}

/**
 * The R-7 quantiles at p = k / n, k = 1..n-1 (quintiles for n = 5), with the position
 * (N - 1) k / n kept as an exact fraction, so it is an integer exactly when it should be
 * (0.07 * 100 is not 7 in doubles; (N - 1) k / n here never has that problem). Only the needed
 * order statistics are found. For the bin edges of scores.
 *
 * @param values - numbers (NaN rejected).
 * @param n - number of equal-probability groups, an integer >= 1.
 * @returns n - 1 cut points, ascending.
 * @example
 * ```ts
 * equalQuantiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4);
 * //=> [3.25, 5.5, 7.75]
 * ```
 * @category Numeric
 */
export function equalQuantiles(values: ArrayLike<number> | Iterable<number>, n: number): number[] {
  const fn = "equalQuantiles";
  if (!(Number.isInteger(n) && n >= 1)) throw new InvalidOptionError(fn, "n", n, "an integer >= 1");
  const a = column(values, fn);
  const N = a.length;
  const out: number[] = [];
  // ascending positions: each quickselect works above the previous one
  let from = 0;
  for (let k = 1; k < n; k++) {
    const num = (N - 1) * k;
    const lo = Math.floor(num / n);
    const rem = num - lo * n; // exact for integers below 2^53
    const x = quickselect(a, lo, from);
    from = lo;
    if (rem === 0 || lo + 1 >= N) {
      out.push(x);
      continue;
    }
    let y = Infinity;
    for (let i = lo + 1; i < N; i++) if (a[i] < y) y = a[i];
    out.push(y === x ? x : x + (rem / n) * (y - x));
  }
  return out;
}

/**
 * The median (R-7 at p = 0.5: the middle value, or the mean of the two middle values).
 *
 * @param values - numbers (NaN rejected).
 * @returns the median.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no values (never a silent 0).
 * @example
 * ```ts
 * median([3, 1, 4, 1, 5, 9]);
 * //=> 3.5
 * ```
 * @category Numeric
 */
export function median(values: ArrayLike<number> | Iterable<number>): number {
  const a = column(values, "median");
  return r7InPlace(a, (a.length - 1) * 0.5);
}

/**
 * R-7 quantiles of the prefix a[0..n) for ascending probabilities, written to
 * `out[offset..]`, by successive quickselects (each works above the previous: O(n) each, no copy
 * and no full sort). Reorders `a`. The Monte Carlo summaries' kernel (many quantiles of large
 * scratch buffers, where {@link quantiles}' copy and sort would cost O(n log n)).
 * @internal
 */
export function quantilesInPlace(a: Float64Array, n: number, ps: readonly number[], out: Float64Array | number[], offset = 0): void {
  let lo = 0;
  for (let q = 0; q < ps.length; q++) {
    const h = (n - 1) * ps[q];
    const j = Math.floor(h);
    let v = quickselect(a, j, lo, n - 1);
    lo = j;
    const frac = h - j;
    if (frac > 0 && j + 1 < n) {
      let next = Infinity;
      for (let i = j + 1; i < n; i++) if (a[i] < next) next = a[i];
      v += frac * (next - v);
    }
    out[offset + q] = v;
  }
}
