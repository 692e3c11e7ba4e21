import { groupRowsByCustomer, toTransactionTable } from "../core/columns.js";
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { DictionaryColumn, TransactionTable } from "../core/table.js";
import { toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";
import { median } from "../numeric/quantile.js";
import { fsum } from "../numeric/sum.js";
import { OrderCollector, indexIds, perCustomerInput, sortedCustomerCodes } from "../profitability/internal.js";
import {
  cellOf,
  checkLifecycleRules,
  defaultLifecycleRules,
  lifecycleRuleTable,
  RECENCY,
  STAGES,
  TENURE,
  TREND,
  validateLifecycleRules,
  type LifecycleRule,
  type LifecycleRulesReport,
  type LifecycleStage,
  type RecencyLevel,
  type TenureLevel,
  type TrendLevel,
} from "./rules.js";

/**
 * Options of {@link lifecycleStages}. Every default is explained in `docs/lifecycle.md`.
 * @category Lifecycle
 */
export interface LifecycleStagesOptions {
  /** Analysis day: later rows are left out and counted. Default: the last transaction day. */
  asOf?: DateInput;
  /** Time zone in which an `asOf` instant becomes a day. Default `"UTC"`. */
  timeZone?: string;
  /** Tenure (days since the first purchase) up to which a customer is `"new"`. Default 90. */
  newCustomerDays?: number;
  /** Recency / cadence up to which a customer is `"active"`. Default 1.5. */
  activeRatio?: number;
  /** Recency / cadence beyond which a customer is `"lapsed"` (between the two: `"lapsing"`); > activeRatio. Default 3. */
  lapsedRatio?: number;
  /** Cadence of one-order customers (no gap of their own), in days. Default: the median mean gap of the customers with 2+ orders (`windowDays` when there are none). */
  fallbackCadenceDays?: number;
  /** Smallest cadence used, in days (a same-week repeat buyer is not "lapsed" after a few quiet days). Default 7. */
  minCadenceDays?: number;
  /** Length of each trend window, in days. Default 90. */
  windowDays?: number;
  /** Number of trend windows ending at `asOf` (>= 2). Default 2. */
  windows?: number;
  /** Relative slope beyond which frequency or spend counts as rising or falling. Default 0.2. */
  trendTolerance?: number;
  /** Stage rules, first match wins; must cover every cell (see `validateLifecycleRules`). Default {@link defaultLifecycleRules}. */
  rules?: readonly LifecycleRule[];
  /** Value per customer for the stage summary (e.g. CLV or profit): a Map by id or one value per output row. Default: net revenue. */
  value?: ReadonlyMap<string, number> | ArrayLike<number>;
  /** Prospect ids: those without a purchase become `"prospect"` rows (after the customers). Default: none. */
  prospects?: readonly string[];
}

const LIFECYCLE_DEFAULTS = Object.freeze({
  newCustomerDays: 90,
  activeRatio: 1.5,
  lapsedRatio: 3,
  minCadenceDays: 7,
  windowDays: 90,
  windows: 2,
  trendTolerance: 0.2,
});

/**
 * One row of the stage summary.
 * @category Lifecycle
 */
export interface LifecycleStageRow {
  /** The stage. */
  stage: LifecycleStage;
  /** Customers in it. */
  count: number;
  /** `count / rows` (0 for none). */
  customerShare: number;
  /** Their net revenue. */
  revenue: number;
  /** `revenue / total revenue` (0 when the total is <= 0). */
  revenueShare: number;
  /** Sum of their `value`. */
  value: number;
  /** `value / total value` (0 when the total is <= 0). */
  valueShare: number;
  /** `value / count` (0 for an empty stage). */
  meanValue: number;
}

/**
 * The thresholds {@link lifecycleStages} used (the options with their defaults).
 * @category Lifecycle
 */
export interface LifecycleSettings {
  /** The analysis day (ISO date). */
  asOf: string;
  /** The cadence given to one-order customers, resolved. */
  fallbackCadenceDays: number;
  /** Tenure up to which a customer is new. */
  newCustomerDays: number;
  /** Recency / cadence up to which a customer is active. */
  activeRatio: number;
  /** Recency / cadence beyond which a customer is lapsed. */
  lapsedRatio: number;
  /** Smallest cadence. */
  minCadenceDays: number;
  /** Trend window length. */
  windowDays: number;
  /** Number of trend windows. */
  windows: number;
  /** Relative slope threshold. */
  trendTolerance: number;
}

/**
 * What {@link lifecycleStages} did with the input.
 * @category Lifecycle
 */
export interface LifecycleReport {
  /** Rows of the table. */
  rows: number;
  /** Rows on or before `asOf`. */
  usedRows: number;
  /** Rows after `asOf`, left out. */
  excludedAfterAsOf: number;
  /** Customers staged (a purchase by `asOf`). */
  customers: number;
  /** Customers whose used rows are all returns: not staged unless listed as prospects. */
  customersWithoutPurchase: number;
  /** Prospect rows (listed ids without a purchase). */
  prospects: number;
  /** Listed prospects that had purchased (staged as customers). */
  prospectsWithPurchase: number;
}

/**
 * Result of {@link lifecycleStages}: per-customer columns (row k = `ids[k]`; customers sorted
 * by id, then the prospects in list order) and the stage summary.
 * @category Lifecycle
 */
export interface LifecycleStagesResult {
  /** Rows. */
  length: number;
  /** Customer id per row. */
  ids: string[];
  /** Stage per row; `values` = `["prospect", "new", "growth", "maturity", "decline", "churned"]`. */
  stage: DictionaryColumn<LifecycleStage>;
  /** Days since the first purchase (-1 for prospects). */
  tenureDays: Int32Array;
  /** Days since the last purchase (-1 for prospects). */
  recencyDays: Int32Array;
  /** Purchase orders by `asOf` (0 for prospects). */
  frequency: Int32Array;
  /** Cadence used: max(minCadenceDays, mean gap, or the fallback for one-order customers); 0 for prospects. */
  cadenceDays: Float64Array;
  /** `recencyDays / cadenceDays` (0 for prospects). */
  recencyRatio: Float64Array;
  /** Relative slope of purchase orders across the windows (0 when the windows hold none). */
  frequencyTrend: Float64Array;
  /** Relative slope of net spend across the windows (0 when their mean spend is <= 0). */
  spendTrend: Float64Array;
  /** Trend windows inside the customer's tenure (those starting before the first purchase are left out; fewer than 2 means trend `"flat"`). */
  trendWindows: Int32Array;
  /** Levels per row (code -1 for prospects). */
  tenure: DictionaryColumn<TenureLevel>;
  /** Recency level per row. */
  recency: DictionaryColumn<RecencyLevel>;
  /** Trend level per row. */
  trend: DictionaryColumn<TrendLevel>;
  /** Net revenue by `asOf`. */
  revenue: Float64Array;
  /** The value summed by stage (revenue by default). */
  value: Float64Array;
  /** One row per stage, in the order of `stage.values`; counts sum to `length`. */
  stages: LifecycleStageRow[];
  /** The checked rules. */
  rules: LifecycleRulesReport;
  /** The thresholds used, including the resolved fallback cadence. */
  settings: LifecycleSettings;
  /** Accounting of the input. */
  report: LifecycleReport;
}

/**
 * Lifecycle stage of every customer (acquisition/new, growth, maturity, decline, churned; and
 * prospects from a list) from tenure, recency relative to the customer's own purchase cadence,
 * and the trend of purchase frequency and spend across recent windows; counts, value and
 * revenue share per stage.
 *
 * @remarks
 * Per customer, over the rows on or before `asOf` (orders by the customer-summary rule: an
 * order id, else one order per day; purchases have a non-return line):
 * - tenure = asOf − first purchase day: `"new"` when <= `newCustomerDays`, else `"established"`;
 * - cadence = max(minCadenceDays, mean gap between purchase orders), the fallback cadence for
 *   one-order customers; ratio = recency / cadence: `"active"` <= activeRatio < `"lapsing"` <=
 *   lapsedRatio < `"lapsed"`;
 * - trend: `windows` windows of `windowDays` ending at `asOf` (window w covers days
 *   (asOf − (W − w)·L, asOf − (W − w − 1)·L]); windows starting before the first purchase are
 *   left out. For orders and for net spend per window, the least-squares slope over the window
 *   index divided by the mean (with two windows: 2 (y₂ − y₁) / (y₁ + y₂)); above `trendTolerance`
 *   is up, below −tolerance down. Frequency and spend combined: equal levels give that level,
 *   one flat gives the other's, up against down gives flat. Fewer than two windows: flat.
 * The stage is the first rule matching the three levels ({@link defaultLifecycleRules});
 * rules with gaps are refused. Complexity O(n + c log c).
 *
 * @param transactions - the transaction table (or `Transaction` records, converted once).
 * @param options - see {@link LifecycleStagesOptions}.
 * @returns per-customer stages, features and levels, and the stage summary.
 * @throws {@link InvalidOptionError} for a bad threshold, rules with gaps, or a value column of the wrong length.
 * @throws {@link InvalidRecordError} for a malformed rule or a non-finite value.
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   // a: every 30 days for a year, last on day 360; b: once, 400 days before asOf
 *   ...Array.from({ length: 13 }, (_, k) => ({ customerId: "a", date: new Date(Date.UTC(2023, 0, 1 + 30 * k)), amount: 10 })),
 *   { customerId: "b", date: "2022-11-22", amount: 50 },
 *   { customerId: "c", date: "2023-12-20", amount: 20 },
 * ]);
 * const s = lifecycleStages(t, { asOf: "2023-12-27" });
 * [s.ids, Array.from(s.stage.codes, (c) => s.stage.values[c])];
 * //=> [["a", "b", "c"], ["maturity", "churned", "new"]]
 * ```
 * @category Lifecycle
 */
export function lifecycleStages(transactions: TransactionTable | Iterable<Transaction>, options: LifecycleStagesOptions = {}): LifecycleStagesResult {
  const fn = "lifecycleStages";
  const table = toTransactionTable(transactions, fn);
  const o = withDefaults(LIFECYCLE_DEFAULTS, options);
  const positive = (k: string, v: unknown, int = false) => {
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0 && (!int || Number.isInteger(v)))) throw new InvalidOptionError(fn, k, v, int ? "a whole number > 0" : "a finite number > 0");
  };
  if (!(typeof o.newCustomerDays === "number" && Number.isFinite(o.newCustomerDays) && o.newCustomerDays >= 0)) throw new InvalidOptionError(fn, "newCustomerDays", o.newCustomerDays, "a finite number of days >= 0");
  positive("activeRatio", o.activeRatio);
  positive("lapsedRatio", o.lapsedRatio);
  if (!(o.lapsedRatio > o.activeRatio)) throw new InvalidOptionError(fn, "lapsedRatio", o.lapsedRatio, `a ratio above activeRatio (${o.activeRatio})`);
  if (!(typeof o.minCadenceDays === "number" && Number.isFinite(o.minCadenceDays) && o.minCadenceDays >= 0)) throw new InvalidOptionError(fn, "minCadenceDays", o.minCadenceDays, "a finite number of days >= 0");
  positive("windowDays", o.windowDays, true);
  if (!(Number.isInteger(o.windows) && o.windows >= 2)) throw new InvalidOptionError(fn, "windows", o.windows, "a whole number >= 2");
  if (!(typeof o.trendTolerance === "number" && Number.isFinite(o.trendTolerance) && o.trendTolerance >= 0)) throw new InvalidOptionError(fn, "trendTolerance", o.trendTolerance, "a finite number >= 0");
  if (o.fallbackCadenceDays !== undefined) positive("fallbackCadenceDays", o.fallbackCadenceDays);
  const rules = o.rules ?? defaultLifecycleRules();
  checkLifecycleRules(rules, fn);
  const ruleReport = validateLifecycleRules(rules);
  if (ruleReport.uncovered.length > 0) {
    throw new InvalidOptionError(fn, "rules", `${ruleReport.uncovered.length} uncovered cell(s)`, `rules that give every (tenure, recency, trend) cell a stage (${ruleReport.messages.join("; ")})`);
  }
  const table1 = lifecycleRuleTable(rules);

  let asOf: number;
  if (o.asOf !== undefined) asOf = toEpochDay(o.asOf, fn, "asOf", { timeZone: o.timeZone });
  else {
    asOf = 0;
    for (let i = 0; i < table.length; i++) if (i === 0 || table.day[i] > asOf) asOf = table.day[i];
  }
  const { start, rows } = groupRowsByCustomer(table, (i) => table.day[i] <= asOf);
  const nc = table.ids.length;

  // Per customer code: purchase orders, first/last purchase, windows.
  const W = o.windows;
  const L = o.windowDays;
  const collector = new OrderCollector();
  const freq = new Int32Array(nc);
  const first = new Int32Array(nc);
  const last = new Int32Array(nc);
  const revenueByCode = new Float64Array(nc);
  const winOrders = new Float64Array(nc * W);
  const winSpend = new Float64Array(nc * W);
  const scratch: number[] = [];
  const spendScratch: number[][] = Array.from({ length: W }, () => []);
  let withoutPurchase = 0;
  const windowOf = (day: number): number => {
    const back = asOf - day; // 0 .. ; window W-1 covers back in [0, L)
    const w = W - 1 - Math.floor(back / L);
    return w >= 0 ? w : -1;
  };
  for (let c = 0; c < nc; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    const n = collector.collect(table, rows, from, to);
    scratch.length = 0;
    for (let k = from; k < to; k++) scratch.push(table.amount[rows[k]]);
    revenueByCode[c] = fsum(scratch);
    if (n === 0) {
      withoutPurchase++;
      continue;
    }
    freq[c] = n;
    let f = Infinity;
    let l = -Infinity;
    for (let s = 0; s < collector.count; s++) {
      if (!collector.purchase[s]) continue;
      const d = collector.day[s];
      if (d < f) f = d;
      if (d > l) l = d;
      const w = windowOf(d);
      if (w >= 0) winOrders[c * W + w]++;
    }
    first[c] = f;
    last[c] = l;
    for (const arr of spendScratch) arr.length = 0;
    for (let k = from; k < to; k++) {
      const w = windowOf(table.day[rows[k]]);
      if (w >= 0) spendScratch[w].push(table.amount[rows[k]]);
    }
    for (let w = 0; w < W; w++) winSpend[c * W + w] = fsum(spendScratch[w]);
  }
  const codes = sortedCustomerCodes(table.ids, (c) => freq[c] > 0);
  const nCust = codes.length;

  // Fallback cadence: the median mean gap of repeat customers.
  let fallback = o.fallbackCadenceDays;
  if (fallback === undefined) {
    const gaps: number[] = [];
    for (const c of codes) if (freq[c] >= 2) gaps.push((last[c] - first[c]) / (freq[c] - 1));
    fallback = gaps.length > 0 ? median(gaps) : L;
  }

  // Prospects: listed ids without a purchase, after the customers.
  const prospectIds: string[] = [];
  let prospectsWithPurchase = 0;
  if (o.prospects !== undefined) {
    indexIds(o.prospects, fn, "prospects");
    for (const id of o.prospects) {
      const c = table.index?.get(id);
      if (c !== undefined && freq[c] > 0) prospectsWithPurchase++;
      else prospectIds.push(id);
    }
  }
  const n = nCust + prospectIds.length;
  const ids = [...Array.from(codes, (c) => table.ids[c]), ...prospectIds];
  const stageCodes = new Int32Array(n);
  const tenureDays = new Int32Array(n).fill(-1);
  const recencyDays = new Int32Array(n).fill(-1);
  const frequency = new Int32Array(n);
  const cadenceDays = new Float64Array(n);
  const recencyRatio = new Float64Array(n);
  const frequencyTrend = new Float64Array(n);
  const spendTrend = new Float64Array(n);
  const trendWindows = new Int32Array(n);
  const tenureCodes = new Int32Array(n).fill(-1);
  const recencyCodes = new Int32Array(n).fill(-1);
  const trendCodes = new Int32Array(n).fill(-1);
  const revenue = new Float64Array(n);
  const level = (x: number) => (x > o.trendTolerance ? 0 : x < -o.trendTolerance ? 2 : 1);
  for (let k = 0; k < nCust; k++) {
    const c = codes[k];
    const tenure = asOf - first[c];
    const recency = asOf - last[c];
    tenureDays[k] = tenure;
    recencyDays[k] = recency;
    frequency[k] = freq[c];
    revenue[k] = revenueByCode[c];
    const gap = freq[c] >= 2 ? (last[c] - first[c]) / (freq[c] - 1) : fallback;
    const cadence = Math.max(o.minCadenceDays, gap);
    cadenceDays[k] = cadence;
    // cadence 0 only when minCadenceDays is 0 and every order is on one day: ratio 0 (on time)
    const ratio = cadence > 0 ? recency / cadence : 0;
    recencyRatio[k] = ratio;
    // windows starting on or after the first purchase: w >= w0
    let w0 = 0;
    while (w0 < W && asOf - (W - w0) * L + 1 < first[c]) w0++;
    const m = W - w0;
    trendWindows[k] = m;
    let ft = 0;
    let st = 0;
    if (m >= 2) {
      ft = relativeSlope(winOrders, c * W + w0, m);
      st = relativeSlope(winSpend, c * W + w0, m);
    }
    frequencyTrend[k] = ft;
    spendTrend[k] = st;
    const lf = level(ft);
    const ls = level(st);
    const tr = lf === ls ? lf : lf === 1 ? ls : ls === 1 ? lf : 1;
    const te = tenure <= o.newCustomerDays ? 0 : 1;
    const re = ratio <= o.activeRatio ? 0 : ratio <= o.lapsedRatio ? 1 : 2;
    tenureCodes[k] = te;
    recencyCodes[k] = re;
    trendCodes[k] = tr;
    stageCodes[k] = STAGES.indexOf(rules[table1[cellOf(te, re, tr)]].stage);
  }
  // prospects: stage code 0, features as documented (-1 / 0)

  const index = new Map<string, number>();
  ids.forEach((id, k) => index.set(id, k));
  let value: Float64Array = revenue;
  if (o.value !== undefined) value = perCustomerInput(o.value, ids, index, fn, "value", Number.isFinite, "a finite value").column;
  const totalRevenue = fsum(revenue);
  const totalValue = fsum(value);
  const stages: LifecycleStageRow[] = STAGES.map((stage, s) => {
    const rev: number[] = [];
    const val: number[] = [];
    for (let k = 0; k < n; k++) {
      if (stageCodes[k] !== s) continue;
      rev.push(revenue[k]);
      val.push(value[k]);
    }
    const r = fsum(rev);
    const v = fsum(val);
    return {
      stage,
      count: rev.length,
      customerShare: n > 0 ? rev.length / n : 0,
      revenue: r,
      revenueShare: totalRevenue > 0 ? r / totalRevenue : 0,
      value: v,
      valueShare: totalValue > 0 ? v / totalValue : 0,
      meanValue: rev.length > 0 ? v / rev.length : 0,
    };
  });
  return {
    length: n,
    ids,
    stage: { codes: stageCodes, values: STAGES },
    tenureDays,
    recencyDays,
    frequency,
    cadenceDays,
    recencyRatio,
    frequencyTrend,
    spendTrend,
    trendWindows,
    tenure: { codes: tenureCodes, values: TENURE },
    recency: { codes: recencyCodes, values: RECENCY },
    trend: { codes: trendCodes, values: TREND },
    revenue,
    value,
    stages,
    rules: ruleReport,
    settings: {
      asOf: new Date(asOf * 86_400_000).toISOString().slice(0, 10),
      fallbackCadenceDays: fallback,
      newCustomerDays: o.newCustomerDays,
      activeRatio: o.activeRatio,
      lapsedRatio: o.lapsedRatio,
      minCadenceDays: o.minCadenceDays,
      windowDays: L,
      windows: W,
      trendTolerance: o.trendTolerance,
    },
    report: {
      rows: table.length,
      usedRows: rows.length,
      excludedAfterAsOf: table.length - rows.length,
      customers: nCust,
      customersWithoutPurchase: withoutPurchase,
      prospects: prospectIds.length,
      prospectsWithPurchase,
    },
  };
}

/**
 * Least-squares slope of y over x = 0..m-1 divided by the mean of y; 0 when the mean is <= 0.
 * slope = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)², with Σ (x − x̄)² = m (m² − 1) / 12.
 */
function relativeSlope(y: Float64Array, from: number, m: number): number {
  let sum = 0;
  for (let k = 0; k < m; k++) sum += y[from + k];
  const mean = sum / m;
  if (!(mean > 0)) return 0;
  const xbar = (m - 1) / 2;
  let num = 0;
  for (let k = 0; k < m; k++) num += (k - xbar) * (y[from + k] - mean);
  return num / ((m * (m * m - 1)) / 12) / mean;
}
