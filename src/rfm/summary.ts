import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { RfmDimension, RfmRecord, RfmResult } from "./rfm.js";
import { compensatedSum, definedOnly } from "./util.js";

/**
 * Options of {@link segmentSummary}.
 * @category RFM summaries
 */
export interface SegmentSummaryOptions {
  /** Group by `"segment"`, by `"cell"` (`"r-f-m"`), or by one score (`"r"`, `"f"`, `"m"`). Default `"segment"`. */
  by?: "segment" | "cell" | RfmDimension;
}

/**
 * One row of {@link segmentSummary}.
 * @category RFM summaries
 */
export interface SegmentSummaryRow {
  /** The group key (segment name, cell, or score as a string). */
  key: string;
  /** Customers in the group. */
  count: number;
  /** `count / all customers`. */
  customerShare: number;
  /** Total spend of the group. */
  revenue: number;
  /** `revenue / all revenue` (0 when the total revenue is 0). */
  revenueShare: number;
  /** Orders of the group (sum of frequency). */
  orders: number;
  /** `revenue / orders` (0 when there are no orders). */
  averageOrderValue: number;
  /** Mean and median raw recency (days). */
  meanRecency: number;
  /** Median raw recency (days). */
  medianRecency: number;
  /** Mean raw frequency. */
  meanFrequency: number;
  /** Median raw frequency. */
  medianFrequency: number;
  /** Mean raw monetary value (the M used by `rfm`). */
  meanMonetary: number;
  /** Median raw monetary value. */
  medianMonetary: number;
}

const SEGMENT_SUMMARY_DEFAULTS = Object.freeze({ by: "segment" as "segment" | "cell" | RfmDimension });

/**
 * Per-segment summary of an RFM result: counts, shares of customers and revenue, mean and
 * median R/F/M, average order value; sorted by revenue (largest first).
 *
 * @remarks
 * Revenue is `totalSpend` whatever M was; `averageOrderValue = revenue / orders` (as the R
 * `rfm` package's segment summary). Medians are the middle value (mean of the two middle
 * values for an even count). Shares sum to 1 over the rows. Ties in revenue are ordered by
 * count, then key. Source: R package `rfm`, `rfm_segment_summary`, extended with shares and
 * medians. Complexity O(n log n).
 *
 * @param result - an {@link RfmResult} or its `customers` records.
 * @param options - see {@link SegmentSummaryOptions}.
 * @returns one row per group present in the data (empty input: no rows).
 * @throws {@link InvalidOptionError} for an unknown `by`.
 * @throws {@link InvalidRecordError} for a record with a non-finite value.
 * @example
 * ```ts
 * const res = rfm([
 *   { customerId: "a", recencyDays: 5, frequency: 9, totalSpend: 900, averageOrderValue: 100 },
 *   { customerId: "b", recencyDays: 40, frequency: 3, totalSpend: 120, averageOrderValue: 40 },
 *   { customerId: "c", recencyDays: 300, frequency: 1, totalSpend: 30, averageOrderValue: 30 },
 * ]);
 * segmentSummary(res).map((s) => [s.key, s.count, +s.revenueShare.toFixed(3)]);
 * //=> [["Champions", 1, 0.857], ["Need Attention", 1, 0.114], ["Lost", 1, 0.029]]
 * ```
 * @category RFM summaries
 */
export function segmentSummary(result: RfmResult | readonly RfmRecord[], options: SegmentSummaryOptions = {}): SegmentSummaryRow[] {
  const fn = "segmentSummary";
  const o = { ...SEGMENT_SUMMARY_DEFAULTS, ...definedOnly(options) };
  const by = o.by;
  if (!["segment", "cell", "r", "f", "m"].includes(by)) throw new InvalidOptionError(fn, "by", by, '"segment", "cell", "r", "f" or "m"');
  const recs = recordsOf(result, fn);
  const groups = new Map<string, number[]>();
  const allRevenue = new Float64Array(recs.length);
  for (let i = 0; i < recs.length; i++) {
    const c = recs[i];
    for (const field of ["recencyDays", "frequency", "monetary", "totalSpend"] as const) {
      if (!Number.isFinite(c[field])) throw new InvalidRecordError(fn, { row: c.customerId ?? i + 1, field, value: c[field], expected: "a finite number" });
    }
    const key = String(c[by]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
    allRevenue[i] = c.totalSpend;
  }
  const totalRevenue = compensatedSum(allRevenue);
  const n = recs.length;
  const rows: SegmentSummaryRow[] = [];
  for (const [key, idx] of groups) {
    const m = idx.length;
    const rv = new Float64Array(m);
    const fv = new Float64Array(m);
    const mv = new Float64Array(m);
    const rev = new Float64Array(m);
    let orders = 0;
    for (let k = 0; k < m; k++) {
      const c = recs[idx[k]];
      rv[k] = c.recencyDays;
      fv[k] = c.frequency;
      mv[k] = c.monetary;
      rev[k] = c.totalSpend;
      orders += c.frequency;
    }
    const revenue = compensatedSum(rev);
    rows.push({
      key,
      count: m,
      customerShare: m / n,
      revenue,
      revenueShare: totalRevenue !== 0 ? revenue / totalRevenue : 0,
      orders,
      averageOrderValue: orders > 0 ? revenue / orders : 0,
      meanRecency: mean(rv),
      medianRecency: median(rv),
      meanFrequency: mean(fv),
      medianFrequency: median(fv),
      meanMonetary: mean(mv),
      medianMonetary: median(mv),
    });
  }
  rows.sort((a, b) => b.revenue - a.revenue || b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows;
}

/**
 * One cell of {@link rfmHeatmap}.
 * @category RFM summaries
 */
export interface RfmHeatmapCell {
  /** Recency score. */
  r: number;
  /** Frequency score. */
  f: number;
  /** Customers in the cell. */
  count: number;
  /** Mean raw M of the cell's customers; `null` for an empty cell. */
  meanMonetary: number | null;
}

/**
 * Result of {@link rfmHeatmap}.
 * @category RFM summaries
 */
export interface RfmHeatmapResult {
  /** Every (r, f) cell, r descending then f ascending (the layout of the segment grid). */
  cells: RfmHeatmapCell[];
  /** `values[r - 1][f - 1]` = mean M (null when empty), for plotting libraries that take a matrix. */
  values: (number | null)[][];
  /** `counts[r - 1][f - 1]` = customers. */
  counts: number[][];
}

/**
 * The R x F heatmap of mean M: a plot-ready table with one row per (R score, F score) cell.
 *
 * @remarks
 * Every cell of the score grid is present, empty ones with count 0 and mean `null` (never
 * `NaN`). Source: R package `rfm`, `rfm_heatmap` data. Complexity O(n).
 *
 * @param result - an {@link RfmResult}.
 * @returns the cells and the same numbers as matrices indexed `[r - 1][f - 1]`.
 * @throws {@link InvalidOptionError} when `result` is not an RFM result.
 * @example
 * ```ts
 * const res = rfm([
 *   { customerId: "a", recencyDays: 5, frequency: 9, totalSpend: 900, averageOrderValue: 100 },
 *   { customerId: "b", recencyDays: 300, frequency: 1, totalSpend: 30, averageOrderValue: 30 },
 * ], { bins: 2, segments: [] });
 * rfmHeatmap(res).values;
 * //=> [[30, null], [null, 900]]
 * ```
 * @category RFM summaries
 */
export function rfmHeatmap(result: RfmResult): RfmHeatmapResult {
  const fn = "rfmHeatmap";
  if (result === null || typeof result !== "object" || !Array.isArray(result.customers) || !result.bins) {
    throw new InvalidOptionError(fn, "result", result, "the result of rfm()");
  }
  const nr = result.bins.r;
  const nf = result.bins.f;
  const sum = new Float64Array(nr * nf);
  const cnt = new Float64Array(nr * nf);
  for (const c of result.customers) {
    const k = (c.r - 1) * nf + (c.f - 1);
    sum[k] += c.monetary;
    cnt[k]++;
  }
  const cells: RfmHeatmapCell[] = [];
  const values: (number | null)[][] = [];
  const counts: number[][] = [];
  for (let r = 1; r <= nr; r++) {
    values.push([]);
    counts.push([]);
    for (let f = 1; f <= nf; f++) {
      const k = (r - 1) * nf + (f - 1);
      values[r - 1].push(cnt[k] > 0 ? sum[k] / cnt[k] : null);
      counts[r - 1].push(cnt[k]);
    }
  }
  for (let r = nr; r >= 1; r--) for (let f = 1; f <= nf; f++) cells.push({ r, f, count: counts[r - 1][f - 1], meanMonetary: values[r - 1][f - 1] });
  return { cells, values, counts };
}

/**
 * One row of {@link rfmScoreHistogram}.
 * @category RFM summaries
 */
export interface RfmHistogramRow {
  /** The dimension. */
  dimension: RfmDimension;
  /** The score. */
  score: number;
  /** Customers with that score. */
  count: number;
  /** `count / all customers` (0 for empty input). */
  share: number;
  /** Smallest raw value with that score (`null` when empty). */
  min: number | null;
  /** Largest raw value with that score (`null` when empty). */
  max: number | null;
}

/**
 * Score histograms of an RFM result as one tidy table: customers per score for R, F and M, with
 * the realised range of raw values behind each score (the thresholds as they came out).
 *
 * @remarks
 * Every score 1..bins of every dimension is present, empty ones with count 0 and `null` ranges.
 * Complexity O(n).
 *
 * @param result - an {@link RfmResult}.
 * @returns rows ordered by dimension (r, f, m) then score.
 * @throws {@link InvalidOptionError} when `result` is not an RFM result.
 * @example
 * ```ts
 * const res = rfm([1, 1, 1, 1, 1, 1, 2, 2, 3, 5].map((f, i) => ({ customerId: `c${i}`, recencyDays: i, frequency: f, totalSpend: f, averageOrderValue: 1 })), { segments: [] });
 * rfmScoreHistogram(res).filter((h) => h.dimension === "f").map((h) => h.count);
 * //=> [6, 0, 0, 2, 2]
 * ```
 * @category RFM summaries
 */
export function rfmScoreHistogram(result: RfmResult): RfmHistogramRow[] {
  const fn = "rfmScoreHistogram";
  if (result === null || typeof result !== "object" || !Array.isArray(result.customers) || !result.bins) {
    throw new InvalidOptionError(fn, "result", result, "the result of rfm()");
  }
  const n = result.customers.length;
  const rows: RfmHistogramRow[] = [];
  const raw: Record<RfmDimension, "recencyDays" | "frequency" | "monetary"> = { r: "recencyDays", f: "frequency", m: "monetary" };
  for (const d of ["r", "f", "m"] as const) {
    const nb = result.bins[d];
    const cnt = new Float64Array(nb);
    const lo = new Float64Array(nb).fill(Infinity);
    const hi = new Float64Array(nb).fill(-Infinity);
    for (const c of result.customers) {
      const s = c[d] - 1;
      const v = c[raw[d]];
      cnt[s]++;
      if (v < lo[s]) lo[s] = v;
      if (v > hi[s]) hi[s] = v;
    }
    for (let s = 0; s < nb; s++) {
      rows.push({ dimension: d, score: s + 1, count: cnt[s], share: n > 0 ? cnt[s] / n : 0, min: cnt[s] > 0 ? lo[s] : null, max: cnt[s] > 0 ? hi[s] : null });
    }
  }
  return rows;
}

function recordsOf(result: RfmResult | readonly RfmRecord[], fn: string): readonly RfmRecord[] {
  if (Array.isArray(result)) return result;
  if (result !== null && typeof result === "object" && Array.isArray((result as RfmResult).customers)) return (result as RfmResult).customers;
  throw new InvalidOptionError(fn, "result", result, "the result of rfm() or its customers array");
}

function mean(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : 0;
}

function median(a: Float64Array): number {
  if (a.length === 0) return 0;
  a.sort();
  const h = a.length >> 1;
  return a.length % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
}
