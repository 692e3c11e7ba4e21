import { withDefaults } from "../core/options.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { RfmColumnsResult, RfmDimension, RfmRecord, RfmResult } from "./rfm.js";
import { median } from "../numeric/quantile.js";
import { fsum, fsumGroups } from "../numeric/sum.js";

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
  const o = withDefaults(SEGMENT_SUMMARY_DEFAULTS, options);
  const by = o.by;
  if (!["segment", "cell", "r", "f", "m"].includes(by)) throw new InvalidOptionError(fn, "by", by, '"segment", "cell", "r", "f" or "m"');
  const recs = recordsOf(result, fn);
  const n = recs.length;
  const cols = { recencyDays: new Float64Array(n), frequency: new Float64Array(n), monetary: new Float64Array(n), totalSpend: new Float64Array(n) };
  const keyOf = new Map<string, number>();
  const keys: string[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = recs[i];
    for (const field of ["recencyDays", "frequency", "monetary", "totalSpend"] as const) {
      if (!Number.isFinite(c[field])) throw new InvalidRecordError(fn, { row: c.customerId ?? i + 1, field, value: c[field], expected: "a finite number" });
      cols[field][i] = c[field];
    }
    const key = String(c[by]);
    let k = keyOf.get(key);
    if (k === undefined) keyOf.set(key, (k = keys.push(key) - 1));
    codes[i] = k;
  }
  return groupSummary(codes, keys, cols);
}

/**
 * The segment summary of rows grouped by `codes` (index into `keys`; groups in order of first
 * appearance, as the record form): the shared core of {@link segmentSummary} and
 * {@link segmentSummaryColumns}. Values are assumed finite.
 */
function groupSummary(
  codes: Int32Array,
  keys: readonly string[],
  c: { recencyDays: ArrayLike<number>; frequency: ArrayLike<number>; monetary: ArrayLike<number>; totalSpend: ArrayLike<number> },
): SegmentSummaryRow[] {
  const n = codes.length;
  const totalRevenue = fsum(c.totalSpend);
  if (!Number.isFinite(totalRevenue)) {
    throw new AnalyticsError("OVERFLOW", `segmentSummary: the data overflowed: the total revenue of the customers is beyond the largest double (1.8e308), though every totalSpend is finite; express the money in a larger unit (e.g. thousands) and call again`);
  }
  // Rows of each group in row order (counting sort), groups in order of first appearance.
  const order: number[] = [];
  const seen = new Uint8Array(keys.length);
  const start = new Int32Array(keys.length + 1);
  for (let i = 0; i < n; i++) {
    if (codes[i] < 0) continue;
    start[codes[i] + 1]++;
    if (!seen[codes[i]]) (seen[codes[i]] = 1), order.push(codes[i]);
  }
  for (let k = 0; k < keys.length; k++) start[k + 1] += start[k];
  const fill = start.slice(0, keys.length);
  const idx = new Int32Array(start[keys.length]);
  for (let i = 0; i < n; i++) if (codes[i] >= 0) idx[fill[codes[i]]++] = i;
  const rows: SegmentSummaryRow[] = [];
  for (const g of order) {
    const m = start[g + 1] - start[g];
    const rv = new Float64Array(m);
    const fv = new Float64Array(m);
    const mv = new Float64Array(m);
    const rev = new Float64Array(m);
    let orders = 0;
    for (let k = 0; k < m; k++) {
      const i = idx[start[g] + k];
      rv[k] = c.recencyDays[i];
      fv[k] = c.frequency[i];
      mv[k] = c.monetary[i];
      rev[k] = c.totalSpend[i];
      orders += c.frequency[i];
    }
    const revenue = fsum(rev);
    rows.push({
      key: keys[g],
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
 * Options of {@link segmentSummaryColumns}.
 * @category RFM summaries
 */
export interface SegmentSummaryColumnsOptions extends SegmentSummaryOptions {
  /** The M that `rfmColumns` scored: `"total"` (total spend, its default) or `"average"` (average order value). Default `"total"`. */
  monetary?: "total" | "average";
}

const SEGMENT_SUMMARY_COLUMNS_DEFAULTS = Object.freeze({ ...SEGMENT_SUMMARY_DEFAULTS, monetary: "total" as "total" | "average" });

/**
 * {@link segmentSummary} of a columnar RFM result: the same rows, from `rfmColumns`' score and
 * segment columns and the customer table it scored (nothing built per customer).
 *
 * @param result - the output of `rfmColumns(customers)`.
 * @param customers - the same customers: `recencyDays`, `frequency`, `totalSpend` and (for `monetary: "average"`) `averageOrderValue` columns.
 * @param options - see {@link SegmentSummaryColumnsOptions}.
 * @returns one row per group present, sorted by revenue (largest first).
 * @throws {@link InvalidOptionError} for an unknown `by` or columns of the wrong length.
 * @throws {@link InvalidRecordError} for a non-finite value.
 * @example
 * ```ts
 * const f64 = (a: number[]) => Float64Array.from(a);
 * const customers = { ids: ["a", "b", "c"], recencyDays: f64([5, 40, 300]), frequency: f64([9, 3, 1]), totalSpend: f64([900, 120, 30]), averageOrderValue: f64([100, 40, 30]) };
 * segmentSummaryColumns(rfmColumns(customers), customers).map((s) => [s.key, s.count, +s.revenueShare.toFixed(3)]);
 * //=> [["Champions", 1, 0.857], ["Need Attention", 1, 0.114], ["Lost", 1, 0.029]]
 * ```
 * @category RFM summaries
 */
export function segmentSummaryColumns(
  result: RfmColumnsResult,
  customers: { readonly recencyDays: ArrayLike<number>; readonly frequency: ArrayLike<number>; readonly totalSpend: ArrayLike<number>; readonly averageOrderValue?: ArrayLike<number>; readonly ids?: readonly string[] },
  options: SegmentSummaryColumnsOptions = {},
): SegmentSummaryRow[] {
  const fn = "segmentSummaryColumns";
  const { by, monetary: monetaryMode } = withDefaults(SEGMENT_SUMMARY_COLUMNS_DEFAULTS, options);
  if (!["segment", "cell", "r", "f", "m"].includes(by)) throw new InvalidOptionError(fn, "by", by, '"segment", "cell", "r", "f" or "m"');
  if (monetaryMode !== "total" && monetaryMode !== "average") throw new InvalidOptionError(fn, "monetary", monetaryMode, '"total" or "average"');
  const n = result.length;
  const monetary = monetaryMode === "average" ? customers.averageOrderValue : customers.totalSpend;
  const cols = { recencyDays: customers.recencyDays, frequency: customers.frequency, monetary: monetary as ArrayLike<number>, totalSpend: customers.totalSpend };
  for (const [field, col] of Object.entries(cols)) {
    if (col === undefined || col === null || col.length !== n) throw new InvalidOptionError(fn, field === "monetary" ? "averageOrderValue" : field, col === undefined ? col : `${col?.length} values`, `${n} numbers (one per scored customer)`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(col[i])) throw new InvalidRecordError(fn, { row: customers.ids?.[i] ?? i + 1, field, value: col[i], expected: "a finite number" });
  }
  if (by === "segment" || by === "cell") {
    const d = by === "segment" ? result.segment : result.cell;
    return groupSummary(d.codes, d.values, cols);
  }
  const scores = result[by];
  const bins = result.bins[by];
  return groupSummary(Int32Array.from(scores, (x) => x - 1), Array.from({ length: bins }, (_, k) => String(k + 1)), cols);
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
  const cs = result.customers;
  return heatmap(result.bins.r, result.bins.f, cs.length, (i) => cs[i].r, (i) => cs[i].f, (i) => cs[i].monetary);
}

/**
 * {@link rfmHeatmap} of a columnar RFM result: the same cells, from `rfmColumns`' `r` and `f`
 * columns and the M column it scored.
 *
 * @param result - the output of `rfmColumns`.
 * @param monetary - the M of each row (total spend by default, or average order value if that is what was scored).
 * @returns the cells and matrices, as {@link rfmHeatmap}.
 * @throws {@link InvalidOptionError} when `monetary` does not have one value per row.
 * @example
 * ```ts
 * const customers = { ids: ["a", "b"], recencyDays: Float64Array.of(5, 300), frequency: Float64Array.of(9, 1), totalSpend: Float64Array.of(900, 30) };
 * rfmHeatmapColumns(rfmColumns(customers, { bins: 2, segments: [] }), customers.totalSpend).values;
 * //=> [[30, null], [null, 900]]
 * ```
 * @category RFM summaries
 */
export function rfmHeatmapColumns(result: RfmColumnsResult, monetary: ArrayLike<number>): RfmHeatmapResult {
  const fn = "rfmHeatmapColumns";
  if (monetary === null || typeof monetary !== "object" || monetary.length !== result.length) throw new InvalidOptionError(fn, "monetary", monetary, `${result.length} numbers (one per scored customer)`);
  return heatmap(result.bins.r, result.bins.f, result.length, (i) => result.r[i], (i) => result.f[i], (i) => monetary[i]);
}

/** The shared core of the heatmaps. */
function heatmap(nr: number, nf: number, n: number, rOf: (i: number) => number, fOf: (i: number) => number, mOf: (i: number) => number): RfmHeatmapResult {
  const cnt = new Float64Array(nr * nf);
  const cellOf = new Int32Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = (rOf(i) - 1) * nf + (fOf(i) - 1);
    cellOf[i] = k;
    m[i] = mOf(i);
    cnt[k]++;
  }
  const sum = fsumGroups(m, cellOf, nr * nf); // exact per-cell sums of the monetary value
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

/** Mean of a group's values (groups are never empty). */
function mean(a: Float64Array): number {
  return fsum(a) / a.length;
}
