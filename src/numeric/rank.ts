/**
 * Ranks with average ties and Spearman's rank correlation.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";

function numbers(values: ArrayLike<number>, fn: string, field: string): ArrayLike<number> {
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) throw new InvalidRecordError(fn, { row: i + 1, field, value: values[i], expected: "a number (not NaN)" });
  }
  return values;
}

/**
 * 1-based ranks with ties given the average of the ranks they span (R's
 * `rank(ties.method = "average")`, scipy's `rankdata(method="average")`). O(N log N).
 *
 * @param values - numbers (NaN rejected).
 * @returns a new `Float64Array` of ranks, in input order.
 * @throws {@link InvalidRecordError} for a NaN value.
 * @example
 * ```ts
 * Array.from(rank([10, 30, 20, 20]));
 * //=> [1, 4, 2.5, 2.5]
 * ```
 * @category Numeric
 */
export function rank(values: ArrayLike<number>): Float64Array {
  numbers(values, "rank", "value");
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j) / 2 + 1; // mean of the 1-based ranks i+1..j+1
    for (let k = i; k <= j; k++) out[order[k]] = r;
    i = j + 1;
  }
  return out;
}

/**
 * Pearson correlation of two equal-length columns (two-pass, centred). @internal
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman's rank correlation: the Pearson correlation of the average-tie ranks (the definition
 * R's `cor(method = "spearman")` and scipy's `spearmanr` use, exact with ties). O(N log N).
 *
 * @param x - numbers.
 * @param y - numbers, as many as `x`.
 * @returns ρ in [-1, 1].
 * @throws {@link InvalidOptionError} when the lengths differ or there are fewer than 2 pairs.
 * @throws {@link InvalidRecordError} for a NaN value.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when a column is constant (ρ is undefined; scipy returns NaN).
 * @example
 * ```ts
 * spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
 * //=> 0.8207826816681233
 * ```
 * @category Numeric
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const fn = "spearman";
  if (x.length !== y.length) throw new InvalidOptionError(fn, "y", `${y.length} values`, `${x.length} values, as many as x`);
  if (x.length < 2) throw new InvalidOptionError(fn, "x", `${x.length} values`, "at least 2 pairs");
  numbers(x, fn, "x");
  numbers(y, fn, "y");
  const rx = rank(x);
  const ry = rank(y);
  const rho = pearson(rx, ry);
  if (Number.isNaN(rho)) throw new AnalyticsError("EMPTY_INPUT", `${fn}: a column is constant, so the rank correlation is undefined`);
  return Math.max(-1, Math.min(1, rho));
}
