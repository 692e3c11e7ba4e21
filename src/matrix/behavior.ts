import { withDefaults } from "../core/options.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { CustomerTable, DictionaryColumn } from "../core/table.js";
import type { CustomerSummary } from "../core/types.js";
import { median } from "../numeric/quantile.js";
import { fsum, fsumGroups } from "../numeric/sum.js";
import { checkCustomerIds, customerColumn } from "../rfm/util.js";

/**
 * The fields of a {@link CustomerSummary} the behaviour matrix reads (a full summary works).
 * @category Behaviour matrix
 */
export type BehaviorMatrixInput = Pick<CustomerSummary, "customerId" | "frequency" | "totalSpend" | "averageOrderValue">;

/**
 * A quadrant of the customer behaviour matrix.
 * - `"best"`: high purchase count, high average amount (Best customers, 最好的客户)
 * - `"spenders"`: low count, high average amount (Spenders, 乐于消费型)
 * - `"frequent"`: high count, low average amount (Frequent customers, 经常性客户)
 * - `"uncertain"`: low count, low average amount (Uncertain, 不确定型)
 * @category Behaviour matrix
 */
export type BehaviorQuadrant = "best" | "spenders" | "frequent" | "uncertain";

/**
 * Display names of the quadrants (English, with the course notes' Chinese names).
 * @example
 * ```ts
 * BEHAVIOR_QUADRANT_LABELS.best;
 * //=> "Best customers (最好的客户)"
 * ```
 * @category Behaviour matrix
 */
export const BEHAVIOR_QUADRANT_LABELS: Readonly<Record<BehaviorQuadrant, string>> = Object.freeze({
  best: "Best customers (最好的客户)",
  spenders: "Spenders (乐于消费型)",
  frequent: "Frequent customers (经常性客户)",
  uncertain: "Uncertain (不确定型)",
});

/**
 * Where an axis is split: the `"median"` or `"mean"` of the customer base, or a given number.
 * @category Behaviour matrix
 */
export type BehaviorThreshold = "median" | "mean" | number;

/**
 * Options of {@link behaviorMatrix}.
 * @category Behaviour matrix
 */
export interface BehaviorMatrixOptions {
  /** Split of the purchase count (`frequency`); a count equal to it is low. Default `"median"`. */
  frequencyThreshold?: BehaviorThreshold;
  /** Split of the average purchase amount (`averageOrderValue`); an amount equal to it is low. Default `"median"`. */
  amountThreshold?: BehaviorThreshold;
}

/**
 * One customer in the behaviour matrix.
 * @category Behaviour matrix
 */
export interface BehaviorMatrixRecord {
  /** Customer id. */
  customerId: string;
  /** Purchase count (orders). */
  frequency: number;
  /** Average purchase amount. */
  averageOrderValue: number;
  /** Total spend (revenue). */
  totalSpend: number;
  /** `frequency > thresholds.frequency`. */
  highFrequency: boolean;
  /** `averageOrderValue > thresholds.averageOrderValue`. */
  highAmount: boolean;
  /** The quadrant. */
  quadrant: BehaviorQuadrant;
}

/**
 * One quadrant of the 2 x 2 summary.
 * @category Behaviour matrix
 */
export interface BehaviorQuadrantSummary {
  /** The quadrant. */
  quadrant: BehaviorQuadrant;
  /** Display name. */
  label: string;
  /** Customers in it. */
  count: number;
  /** `count / customers` (0 for empty input). */
  customerShare: number;
  /** Total spend of its customers. */
  revenue: number;
  /** `revenue / total revenue` (0 when the total is 0). */
  revenueShare: number;
  /** Mean purchase count (`null` when empty). */
  meanFrequency: number | null;
  /** Mean of the customers' average purchase amounts (`null` when empty). */
  meanAverageOrderValue: number | null;
  /** Mean total spend (`null` when empty). */
  meanTotalSpend: number | null;
}

/**
 * The split points used by {@link behaviorMatrix}: a value above a threshold is high.
 * @category Behaviour matrix
 */
export interface BehaviorThresholds {
  /** Purchase-count threshold (`null` for empty input with a median/mean split). */
  frequency: number | null;
  /** Average-amount threshold (`null` for empty input with a median/mean split). */
  averageOrderValue: number | null;
}

/**
 * Result of {@link behaviorMatrix}.
 * @category Behaviour matrix
 */
export interface BehaviorMatrixResult {
  /** One record per input summary, in input order. */
  customers: BehaviorMatrixRecord[];
  /** The four quadrants, in the order best, spenders, frequent, uncertain. Counts sum to the input length. */
  summary: BehaviorQuadrantSummary[];
  /** The thresholds used (`null` for empty input with a median/mean split). */
  thresholds: BehaviorThresholds;
}

const BEHAVIOR_DEFAULTS = Object.freeze({ frequencyThreshold: "median" as BehaviorThreshold, amountThreshold: "median" as BehaviorThreshold });

/**
 * The customer behaviour matrix: purchase count x average purchase amount, each split in two.
 *
 * @remarks
 * A correction of RFM from the course notes (客户行为矩阵模型): it uses the average purchase
 * amount instead of the total, and crosses it with the purchase count.
 *
 * |  | low purchase count | high purchase count |
 * |---|---|---|
 * | high average amount | Spenders | Best customers |
 * | low average amount | Uncertain | Frequent customers |
 *
 * Each axis is split at the median of the customer base (middle value, or the mean of the two
 * middle values), or the mean, or a given value. **A value equal to the threshold is low**
 * (`> threshold` is high): with integer counts whose median is often 1, "at least the median"
 * would put everyone on the high side and leave two quadrants empty. Source: course notes 001;
 * SPEC section 2. Complexity O(n) (medians by quickselect, the numerics layer's `median`).
 *
 * @param summaries - customer summaries (or any records with the {@link BehaviorMatrixInput} fields).
 * @param options - see {@link BehaviorMatrixOptions}.
 * @returns per-customer quadrants, the 2 x 2 summary and the thresholds used.
 * @throws {@link InvalidRecordError} for a non-finite count or amount (`row` is the customer id) or a missing id.
 * @throws {@link InvalidOptionError} for a bad threshold.
 * @example
 * ```ts
 * const m = behaviorMatrix([
 *   { customerId: "a", frequency: 5, totalSpend: 500, averageOrderValue: 100 },
 *   { customerId: "b", frequency: 1, totalSpend: 90, averageOrderValue: 90 },
 *   { customerId: "c", frequency: 6, totalSpend: 60, averageOrderValue: 10 },
 *   { customerId: "d", frequency: 1, totalSpend: 5, averageOrderValue: 5 },
 * ]);
 * m.customers.map((c) => c.quadrant);
 * //=> ["best", "spenders", "frequent", "uncertain"]
 * m.thresholds;
 * //=> { frequency: 3, averageOrderValue: 50 }
 * ```
 * @category Behaviour matrix
 */
export function behaviorMatrix(summaries: readonly BehaviorMatrixInput[], options: BehaviorMatrixOptions = {}): BehaviorMatrixResult {
  const fn = "behaviorMatrix";
  const o = withDefaults(BEHAVIOR_DEFAULTS, options);
  checkThreshold(fn, "frequencyThreshold", o.frequencyThreshold);
  checkThreshold(fn, "amountThreshold", o.amountThreshold);
  if (!Array.isArray(summaries)) throw new InvalidOptionError(fn, "summaries", summaries, "an array of customer summaries");
  const n = summaries.length;
  const freq = new Float64Array(n);
  const aov = new Float64Array(n);
  const spend = new Float64Array(n);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const s = summaries[i];
    const id = s?.customerId;
    if (typeof id !== "string" || id.length === 0) throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: id, expected: "a non-empty string" });
    ids[i] = id;
    const f = s.frequency;
    const a = s.averageOrderValue;
    const t = s.totalSpend;
    if (typeof f !== "number" || !Number.isFinite(f)) throw new InvalidRecordError(fn, { row: id, field: "frequency", value: f, expected: "a finite number of orders" });
    if (typeof a !== "number" || !Number.isFinite(a)) throw new InvalidRecordError(fn, { row: id, field: "averageOrderValue", value: a, expected: "a finite amount" });
    if (typeof t !== "number" || !Number.isFinite(t)) throw new InvalidRecordError(fn, { row: id, field: "totalSpend", value: t, expected: "a finite amount" });
    freq[i] = f;
    aov[i] = a;
    spend[i] = t;
  }
  const res = classify(freq, aov, spend, o);
  const order = res.quadrant.values;
  const codes = res.quadrant.codes;
  const customers = new Array<BehaviorMatrixRecord>(n);
  for (let i = 0; i < n; i++) {
    const q = codes[i];
    customers[i] = { customerId: ids[i], frequency: freq[i], averageOrderValue: aov[i], totalSpend: spend[i], highFrequency: q === 0 || q === 2, highAmount: q <= 1, quadrant: order[q] };
  }
  return { customers, summary: res.summary, thresholds: res.thresholds };
}

/** The quadrants by code: 0 best, 1 spenders, 2 frequent, 3 uncertain. */
const QUADRANTS: readonly BehaviorQuadrant[] = Object.freeze(["best", "spenders", "frequent", "uncertain"] as const);

/**
 * The columns {@link behaviorMatrixColumns} reads: a `CustomerTable` is one.
 * @category Behaviour matrix
 */
export interface BehaviorMatrixColumnsInput {
  /** Customer id per row; when given, errors name the customer instead of the 1-based row. Optional. */
  readonly ids?: readonly string[];
  /** Purchase count (orders) per customer. */
  readonly frequency: Int32Array | Float64Array;
  /** Average purchase amount per customer. */
  readonly averageOrderValue: Float64Array;
  /** Total spend per customer (for the revenue shares). */
  readonly totalSpend: Float64Array;
}

/**
 * Options of {@link behaviorMatrixColumns}: those of {@link behaviorMatrix}.
 * @category Behaviour matrix
 */
export type BehaviorMatrixColumnsOptions = BehaviorMatrixOptions;

/**
 * Result of {@link behaviorMatrixColumns}: the quadrant per row as a dictionary-encoded column,
 * plus the summary and thresholds of {@link BehaviorMatrixResult}.
 * @category Behaviour matrix
 */
export interface BehaviorMatrixColumnsResult {
  /** Number of customers (rows). */
  length: number;
  /** Quadrant per row: `values` is always `["best", "spenders", "frequent", "uncertain"]` (code 0..3, the order of `summary`); high frequency = code 0 or 2, high amount = code 0 or 1. */
  quadrant: DictionaryColumn<BehaviorQuadrant>;
  /** The four quadrants, in the order best, spenders, frequent, uncertain. */
  summary: BehaviorQuadrantSummary[];
  /** The thresholds used. */
  thresholds: BehaviorThresholds;
}

/**
 * The customer behaviour matrix of a customer table, as a column of quadrant codes: the
 * columnar form of {@link behaviorMatrix}, same thresholds, quadrants and summary.
 *
 * @remarks
 * Definitions as in {@link behaviorMatrix} (a value equal to the threshold is low). `Int32Array`
 * frequencies are read as they are; `Float64Array` columns are checked for finite values in one
 * pass. O(n) (the medians by selection).
 *
 * @param table - a `CustomerTable` or any {@link BehaviorMatrixColumnsInput}.
 * @param options - see {@link BehaviorMatrixOptions}.
 * @returns the quadrant codes, the 2 x 2 summary and the thresholds.
 * @throws {@link InvalidRecordError} for a non-finite value (`row` = `table.ids[i]`, or the 1-based row without ids; `field`, `value`).
 * @throws {@link InvalidOptionError} for a bad threshold or columns of different lengths.
 * @example
 * ```ts
 * const m = behaviorMatrixColumns({
 *   frequency: Int32Array.of(5, 1, 6, 1),
 *   averageOrderValue: Float64Array.of(100, 90, 10, 5),
 *   totalSpend: Float64Array.of(500, 90, 60, 5),
 * });
 * [[...m.quadrant.codes], m.quadrant.values, m.thresholds];
 * //=> [[0, 1, 2, 3], ["best", "spenders", "frequent", "uncertain"], { frequency: 3, averageOrderValue: 50 }]
 * ```
 * @category Behaviour matrix
 */
export function behaviorMatrixColumns(table: BehaviorMatrixColumnsInput | CustomerTable, options: BehaviorMatrixColumnsOptions = {}): BehaviorMatrixColumnsResult {
  const fn = "behaviorMatrixColumns";
  const o = withDefaults(BEHAVIOR_DEFAULTS, options);
  checkThreshold(fn, "frequencyThreshold", o.frequencyThreshold);
  checkThreshold(fn, "amountThreshold", o.amountThreshold);
  if (table === null || typeof table !== "object") throw new InvalidOptionError(fn, "table", table, "a CustomerTable or { frequency, averageOrderValue, totalSpend } columns");
  const ids = table.ids;
  const freq = customerColumn(table.frequency, fn, "frequency", "a finite number of orders", ids);
  const length = { n: freq.length, from: "frequency" };
  const aov = customerColumn(table.averageOrderValue, fn, "averageOrderValue", "a finite amount", ids, length);
  const spend = customerColumn(table.totalSpend, fn, "totalSpend", "a finite amount", ids, length);
  checkCustomerIds(fn, ids, length.n);
  return classify(freq, aov, spend, o);
}

/** The shared core of behaviorMatrix and behaviorMatrixColumns, on validated columns. */
function classify(freq: Float64Array, aov: Float64Array, spend: Float64Array, o: { frequencyThreshold: BehaviorThreshold; amountThreshold: BehaviorThreshold }): BehaviorMatrixColumnsResult {
  const n = freq.length;
  const tf = resolveThreshold(freq, o.frequencyThreshold);
  const ta = resolveThreshold(aov, o.amountThreshold);
  const count = [0, 0, 0, 0];
  const codes = new Int32Array(n);
  // thresholds null only for empty input; NaN compares false, so every row is low then
  const tfv = tf ?? NaN;
  const tav = ta ?? NaN;
  for (let i = 0; i < n; i++) {
    const hf = freq[i] > tfv;
    const ha = aov[i] > tav;
    const q = ha ? (hf ? 0 : 1) : hf ? 2 : 3;
    codes[i] = q;
    count[q]++;
  }
  // revenue, orders and order values per quadrant, and the total: exact sums
  const rev = fsumGroups(spend, codes, 4);
  const sf = fsumGroups(freq, codes, 4);
  const sa = fsumGroups(aov, codes, 4);
  const total = fsum(spend);
  const summary = QUADRANTS.map((quadrant, q) => ({
    quadrant,
    label: BEHAVIOR_QUADRANT_LABELS[quadrant],
    count: count[q],
    customerShare: n > 0 ? count[q] / n : 0,
    revenue: rev[q],
    revenueShare: total !== 0 ? rev[q] / total : 0,
    meanFrequency: count[q] > 0 ? sf[q] / count[q] : null,
    meanAverageOrderValue: count[q] > 0 ? sa[q] / count[q] : null,
    meanTotalSpend: count[q] > 0 ? rev[q] / count[q] : null,
  }));
  return { length: n, quadrant: { codes, values: QUADRANTS }, summary, thresholds: { frequency: tf, averageOrderValue: ta } };
}

function checkThreshold(fn: string, name: string, t: unknown): void {
  if (t === "median" || t === "mean") return;
  if (typeof t === "number" && Number.isFinite(t)) return;
  throw new InvalidOptionError(fn, name, t, '"median", "mean" or a finite number');
}

function resolveThreshold(v: Float64Array, t: BehaviorThreshold): number | null {
  if (typeof t === "number") return t;
  const n = v.length;
  if (n === 0) return null;
  // The numerics layer's kernels: exact sum, R-7 median (quickselect on a copy, O(n)).
  return t === "mean" ? fsum(v) / n : median(v);
}
