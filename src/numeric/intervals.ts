import { InvalidOptionError } from "../core/errors.js";

/**
 * One row of a score interval table: values `v` with `from <= v < to` score `score` (the last
 * row also takes `v === to`).
 * @category Numeric
 */
export interface ScoreInterval {
  /** Lower bound, inclusive (may be `-Infinity` in the first row). */
  readonly from: number;
  /** Upper bound, exclusive except in the last row (may be `Infinity` in the last row). */
  readonly to: number;
  /** Score given, 0..100. */
  readonly score: number;
}

/**
 * Check a score interval table: non-empty, every row `from < to` with numeric bounds (only the
 * first `from` may be `-Infinity`, only the last `to` may be `Infinity`), rows in increasing
 * order, each starting where the previous one ends (no gap, no overlap), scores finite in 0..100.
 *
 * @remarks
 * The same contract as the rule tables elsewhere in the library (RFM segments, lifecycle
 * stages): a table with a gap, an overlap or rows out of order is refused, not silently
 * patched. Whether the table covers the observed values is checked where the values are known
 * (`relationshipValue`, `clv3d`), with {@link intervalScore}. Complexity O(rows).
 *
 * @param intervals - the table, in increasing order.
 * @param fn - function name for the error message. Default `"validateScoreIntervals"`.
 * @param option - option name for the error. Default `"intervals"`.
 * @returns the table's range `[from, to]`.
 * @throws {@link InvalidOptionError} naming the offending row (`intervals[i]`) and what was expected.
 * @example
 * ```ts
 * validateScoreIntervals([{ from: -Infinity, to: 0, score: 0 }, { from: 0, to: 100, score: 50 }, { from: 100, to: Infinity, score: 100 }]);
 * //=> { from: -Infinity, to: Infinity }
 * ```
 * @category Numeric
 */
export function validateScoreIntervals(intervals: readonly ScoreInterval[], fn = "validateScoreIntervals", option = "intervals"): {
  /** The first row's `from`: the lowest value the table scores. */
  from: number;
  /** The last row's `to`: the highest value the table scores. */
  to: number;
} {
  if (!Array.isArray(intervals) || intervals.length === 0) throw new InvalidOptionError(fn, option, intervals, "a non-empty array of { from, to, score } rows in increasing order");
  const n = intervals.length;
  for (let i = 0; i < n; i++) {
    const r = intervals[i];
    const name = `${option}[${i}]`;
    if (r === null || typeof r !== "object") throw new InvalidOptionError(fn, name, r, "a { from, to, score } row");
    const { from, to, score } = r;
    if (typeof from !== "number" || Number.isNaN(from) || from === Infinity || (from === -Infinity && i > 0)) {
      throw new InvalidOptionError(fn, `${name}.from`, from, i === 0 ? "a number or -Infinity" : "a finite number");
    }
    if (typeof to !== "number" || Number.isNaN(to) || to === -Infinity || (to === Infinity && i < n - 1)) {
      throw new InvalidOptionError(fn, `${name}.to`, to, i === n - 1 ? "a number or Infinity" : "a finite number");
    }
    if (!(from < to)) throw new InvalidOptionError(fn, name, r, `from < to (got from ${from}, to ${to})`);
    if (!(typeof score === "number" && Number.isFinite(score) && score >= 0 && score <= 100)) {
      throw new InvalidOptionError(fn, `${name}.score`, score, "a finite score in 0..100");
    }
    if (i > 0 && from !== intervals[i - 1].to) {
      const prev = intervals[i - 1];
      if (from < prev.from) throw new InvalidOptionError(fn, `${name}.from`, from, `rows in increasing order: row ${i} starts before row ${i - 1} (${prev.from}); sort the rows by from`);
      const gap = from > prev.to;
      throw new InvalidOptionError(fn, `${name}.from`, from, `${prev.to}, where row ${i - 1} ends (${gap ? "a gap" : "an overlap"} otherwise)`);
    }
  }
  return { from: intervals[0].from, to: intervals[n - 1].to };
}

/**
 * The score of `v` in a table checked by {@link validateScoreIntervals}: the `score` of the row
 * with `from <= v < to` (the last row also takes `v === to`), or -1 when `v` is outside the
 * table's range (a score is never negative, so -1 cannot be mistaken for one; NaN is outside).
 *
 * @remarks Binary search over the rows: O(log rows). The table is not re-validated here:
 * validate it once, then score every value.
 * @param intervals - a valid table (see {@link validateScoreIntervals}).
 * @param v - the value to score.
 * @returns the row's score, or -1 when no row covers `v`.
 * @example
 * ```ts
 * const table = [{ from: 0, to: 10, score: 20 }, { from: 10, to: 50, score: 60 }, { from: 50, to: 100, score: 100 }];
 * [intervalScore(table, 0), intervalScore(table, 10), intervalScore(table, 100), intervalScore(table, 101)];
 * //=> [20, 60, 100, -1]
 * ```
 * @category Numeric
 */
export function intervalScore(intervals: readonly ScoreInterval[], v: number): number {
  const n = intervals.length;
  // Binary search for the last row with from <= v.
  let lo = 0;
  let hi = n - 1;
  if (!(v >= intervals[0].from) || v > intervals[n - 1].to) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (intervals[mid].from <= v) lo = mid;
    else hi = mid - 1;
  }
  const r = intervals[lo];
  if (v < r.to || (lo === n - 1 && v === r.to)) return r.score;
  return -1;
}
