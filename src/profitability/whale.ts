import { AnalyticsError, InvalidRecordError } from "../core/errors.js";
import { fsum } from "../numeric/sum.js";
import { ExactSum } from "../numeric/sum.js";

/**
 * What the whale curve's shares are divided by (see {@link whaleCurve}):
 * - `"total"`: the total profit (the usual curve; used whenever the total is positive);
 * - `"gains"`: the profit of the profitable customers (total <= 0 but someone is profitable);
 * - `"losses"`: the absolute total (nobody is profitable and someone loses money: the curve falls from 0 to -1);
 * - `"none"`: every profit is 0 (the curve is flat at 0).
 * @category Profitability
 */
export type WhaleBase = "total" | "gains" | "losses" | "none";

/**
 * The whale curve of customer profitability: customers sorted by profit, most profitable
 * first, and the cumulative profit as a share of the total.
 * @category Profitability
 */
export interface WhaleCurve {
  /** Number of customers. */
  count: number;
  /** Row of each customer in curve order: profit descending, ties by row (stable). */
  order: Int32Array;
  /** `count + 1` points: `cumulative[i]` = profit of the first `i` customers in `order` / `base`; `cumulative[0] = 0`. */
  cumulative: Float64Array;
  /** What the shares are divided by; see {@link WhaleBase}. */
  base: WhaleBase;
  /** The divisor itself (0 under `"none"`). */
  baseValue: number;
  /** Total profit (exact sum). */
  total: number;
  /** Sum of the positive profits. */
  gains: number;
  /** Sum of the negative profits, as a positive number. */
  losses: number;
  /** Customers with profit > 0. */
  profitableCount: number;
  /** Customers with profit < 0. */
  lossMakingCount: number;
  /** Highest point of the curve: `gains / base` (1.0 = 100%; above 1 when loss-makers exist and the total is positive); 0 when nobody is profitable. */
  peak: number;
  /** Customers before the peak: the profitable customers (the first point where the curve reaches `peak`). */
  peakCustomers: number;
  /** `peakCustomers / count` (0 for no customers). */
  peakCustomerShare: number;
  /** Share of the base lost by the loss-makers: `losses / base` (`peak - 1` when the base is the total); 0 when nobody loses. */
  lossShare: number;
}

/**
 * The whale curve: customers ranked by profit, most profitable first, cumulative profit as a
 * share of the total profit; its peak, where it peaks, and the share of profit lost by the
 * loss-makers.
 *
 * @remarks
 * With profits sorted descending p_(1) >= ... >= p_(n), total T = sum p, gains G = sum of
 * positive profits, losses L = sum of |negative profits|: `cumulative[i] = (p_(1) + ... + p_(i)) / B`.
 * The curve rises while profits are positive, stays flat over zero profits and falls over
 * the loss-makers, so its peak is G / B, reached after the `profitableCount` profitable
 * customers, and it ends at T / B. The base B is the total T when T > 0 (the curve of
 * Kaplan & Cooper's "Cost & Effect" (1998) and the CRM sources: it ends at 1 = 100% and the
 * peak, typically 150–300%, minus 1 is the share lost, L / T). When T <= 0 the curve cannot be
 * read as "share of total": it is then divided by the gains G (`base: "gains"`, the peak is 1
 * and `lossShare = L / G` >= 1: the loss-makers lose at least everything the others earn); when
 * nobody is profitable by |T| (`"losses"`: the curve falls from 0 to -1, `lossShare` 1); when
 * every profit is 0 every share is 0 (`"none"`). No share is ever NaN.
 * The sums are exact ({@link fsum}); the curve points are compensated prefix sums.
 * Complexity O(n log n).
 *
 * @param profit - profit per customer (e.g. the `profit` column of {@link customerProfitability}).
 * @returns the curve and its summary figures.
 * @throws {@link InvalidRecordError} for a non-finite profit (`row` = 1-based position).
 * @throws {@link AnalyticsError} `OVERFLOW` when the finite profits sum beyond the largest double.
 * @example
 * ```ts
 * // profits 6, 3, 1, -2, -3: total 5, gains 10, losses 5
 * const w = whaleCurve([1, -3, 6, -2, 3]);
 * [[...w.cumulative], w.peak, w.peakCustomers, w.lossShare];
 * //=> [[0, 1.2, 1.8, 2, 1.6, 1], 2, 3, 1]
 * ```
 * @category Profitability
 */
export function whaleCurve(profit: ArrayLike<number>): WhaleCurve {
  const fn = "whaleCurve";
  const n = profit.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = profit[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidRecordError(fn, { row: i + 1, field: "profit", value: v, expected: "a finite profit" });
    values[i] = v;
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (values[b] - values[a]) || a - b);
  let profitableCount = 0;
  let lossMakingCount = 0;
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v > 0) {
      profitableCount++;
      pos.push(v);
    } else if (v < 0) {
      lossMakingCount++;
      neg.push(-v);
    }
  }
  const total = fsum(values);
  const gains = fsum(pos);
  const losses = fsum(neg);
  if (!Number.isFinite(total) || !Number.isFinite(gains) || !Number.isFinite(losses)) {
    throw new AnalyticsError("OVERFLOW", `${fn}: the profits overflow: their sums are beyond the largest double (1.8e308), though every profit is finite; the shares do not depend on the unit, so divide the profits by a constant (e.g. 1e6) and call again`);
  }
  const base: WhaleBase = total > 0 ? "total" : gains > 0 ? "gains" : losses > 0 ? "losses" : "none";
  const baseValue = base === "total" ? total : base === "gains" ? gains : base === "losses" ? -total : 0;
  const cumulative = new Float64Array(n + 1);
  if (baseValue > 0) {
    const run = new ExactSum();
    for (let i = 0; i < n; i++) {
      run.add(values[order[i]]);
      cumulative[i + 1] = run.value / baseValue;
    }
    // the exact end point (the running sum is compensated, the end is the exact total)
    cumulative[profitableCount] = gains / baseValue;
    cumulative[n] = total / baseValue;
  }
  return {
    count: n,
    order,
    cumulative,
    base,
    baseValue,
    total,
    gains,
    losses,
    profitableCount,
    lossMakingCount,
    peak: baseValue > 0 ? gains / baseValue : 0,
    peakCustomers: profitableCount,
    peakCustomerShare: n > 0 ? profitableCount / n : 0,
    lossShare: baseValue > 0 ? losses / baseValue : 0,
  };
}
