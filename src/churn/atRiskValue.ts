/**
 * The actionable at-risk list: customers still plausibly alive, ranked by the future value a
 * churn would cost (P(churn) x future value), each with its reasons in words.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { scoreChurnColumns } from "./columns.js";
import { checkModel, scoreChurn, type ChurnModel } from "./model.js";
import type { ChurnRow } from "./table.js";
import { median } from "../numeric/index.js";

/**
 * Customer features as columns (for example `churnDatasetColumns(...)`): ids and one numeric
 * column per feature, `NaN` for missing.
 * @category Churn
 */
export interface AtRiskFeatureColumns {
  /** Customer id per row. */
  customerIds: readonly string[];
  /** Feature columns by name, each as long as `customerIds`. */
  columns: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * A per-customer number: a Map by customer id, or an array aligned with the rows.
 * @category Churn
 */
export type PerCustomer = ReadonlyMap<string, number> | ArrayLike<number>;

/**
 * Options of {@link atRiskByValue}.
 * @category Churn
 */
export interface AtRiskByValueOptions {
  /** Future value of each customer (for example the BG/NBD + Gamma-Gamma CLV over the report's horizon). Required. Customers without a finite positive value are left out and counted. */
  futureValue: PerCustomer;
  /** Length of the list. Default 20. */
  top?: number;
  /** Column with the customer id (record rows only). Default `"customerId"`. */
  idColumn?: string;
  /** Plausibly alive = `recency_days <= maxGapMultiple x` the customer's usual gap (`gap_mean`; one-time buyers: the median `gap_mean` of repeat buyers). `Infinity` keeps everybody. Ignored when `pAlive` is given. Default 3. */
  maxGapMultiple?: number;
  /** P(alive) of each customer (e.g. BG/NBD); when given, plausibly alive = `pAlive >= minPAlive` instead of the gap rule. Default none. */
  pAlive?: PerCustomer;
  /** Threshold on `pAlive`. Default 0.5. */
  minPAlive?: number;
  /** Length in days of the recent-activity windows of the features (`windowDays x trendWindows` of `churnDataset`), used in the reasons. Default 90. */
  windowDays?: number;
  /** Reasons kept per customer (the strongest first). Default 3. */
  reasons?: number;
}

/**
 * One customer of {@link atRiskByValue}'s list.
 * @category Churn
 */
export interface AtRiskByValueCustomer {
  /** 1 = largest expected loss. */
  rank: number;
  /** Customer id. */
  customerId: string;
  /** P(churn) from the model (or as given). */
  churnProbability: number;
  /** Future value as given. */
  futureValue: number;
  /** churnProbability x futureValue: the future value expected to be lost. */
  expectedLoss: number;
  /** Days since the last purchase, or null when the rows have no `recency_days`. */
  recencyDays: number | null;
  /** The gap the customer is measured against: their `gap_mean`, or the typical gap for a one-time buyer; null when unknown. */
  usualGapDays: number | null;
  /** recencyDays / usualGapDays, or null. */
  gapMultiple: number | null;
  /** The reasons in words, strongest first (at most `reasons`). */
  reasons: string[];
  /** The reasons joined with "; ". */
  reason: string;
}

/**
 * Result of {@link atRiskByValue}.
 * @category Churn
 */
export interface AtRiskByValueResult {
  /** Up to `top` customers, largest expected loss first. */
  customers: AtRiskByValueCustomer[];
  /** Rows scored. */
  scored: number;
  /** Rows left out before ranking, by reason (a row without future value is counted there first). */
  excluded: {
    /** Rows without a finite positive future value. */
    noFutureValue: number;
    /** Rows silent for longer than the plausibly-alive rule allows (or below `minPAlive`). */
    notPlausiblyAlive: number;
  };
  /** Which customers were ranked and how, in one sentence (for the report). */
  rule: string;
  /** Median `gap_mean` of the repeat buyers (the one-time buyers' yardstick), or null. */
  typicalGapDays: number | null;
}

const DEFAULTS = Object.freeze({ top: 20, idColumn: "customerId", maxGapMultiple: 3, minPAlive: 0.5, windowDays: 90, reasons: 3 });

/**
 * The at-risk list to act on: among customers still plausibly alive, those whose churn would
 * cost the most future value, with the reasons in words.
 *
 * @remarks
 * - **Expected loss** = P(churn) x future value. Customers with no finite positive future
 *   value (nothing left to lose, or no estimate) are left out and counted in
 *   `excluded.noFutureValue`.
 * - **Plausibly alive.** A churn model scores a customer silent for two years at P(churn) =
 *   1.000: right, and useless for a retention campaign, since that customer is already gone.
 *   So the list ranks only customers whose silence is still ordinary: `recency_days <= k x`
 *   their usual gap (`gap_mean`; for a one-time buyer, the median `gap_mean` of the repeat
 *   buyers), k = `maxGapMultiple` = 3 by default. For a customer buying at a steady Poisson rate,
 *   a silence of three usual gaps has probability e^-3 = 5%, so beyond it "gone" is the likely
 *   explanation. With `pAlive` (e.g. BG/NBD's P(alive)) the rule is `pAlive >= minPAlive`
 *   instead. The others are counted in `excluded.notPlausiblyAlive`. Probabilities are the
 *   model's, not recalibrated: the filter removes the certain losses, not the scale.
 * - **Reasons** from the behaviour columns of `churnDataset` when present: the silence against
 *   the usual gap ("no purchase for 372 days, 3.1x their usual gap of 120 days"), spend and
 *   orders in the last window against the one before ("spend down 40% vs the previous 90
 *   days"), and returns (at least 10% of what was bought).
 * - Ties: larger probability, then input order.
 *
 * @param churn - a fitted churn model, or P(churn) per row (aligned with `rows`).
 * @param rows - feature rows (records with an id column), or feature columns.
 * @param options - see {@link AtRiskByValueOptions}; `futureValue` is required.
 * @returns the list, the counts left out and the rule used.
 * @throws {@link InvalidOptionError} for a bad option, a model scored on columns that lack its
 * features, or per-customer arrays of the wrong length.
 * @throws {@link InvalidRecordError} for a row without an id or a probability outside [0, 1].
 * @example
 * ```ts
 * const rows = [
 *   { customerId: "a", recency_days: 100, gap_mean: 50, frequency: 3 },
 *   { customerId: "b", recency_days: 400, gap_mean: 60, frequency: 4 },
 *   { customerId: "c", recency_days: 30, gap_mean: 40, frequency: 5 },
 * ];
 * const r = atRiskByValue([0.6, 0.99, 0.2], rows, { futureValue: new Map([["a", 100], ["b", 500], ["c", 200]]) });
 * [r.customers.map((c) => [c.customerId, c.expectedLoss]), r.customers[0].reason, r.excluded];
 * //=> [[["a", 60], ["c", 40]], "no purchase for 100 days, 2.0x their usual gap of 50 days", { noFutureValue: 0, notPlausiblyAlive: 1 }]
 * ```
 * @category Churn
 */
export function atRiskByValue(churn: ChurnModel | ArrayLike<number>, rows: readonly ChurnRow[] | AtRiskFeatureColumns, options: AtRiskByValueOptions): AtRiskByValueResult {
  const fn = "atRiskByValue";
  if (options === null || typeof options !== "object" || options.futureValue === undefined) throw new InvalidOptionError(fn, "futureValue", options?.futureValue, "a Map from customer id to future value, or an array aligned with the rows");
  const o = withDefaults(DEFAULTS, options);
  if (!(Number.isInteger(o.top) && o.top >= 1)) throw new InvalidOptionError(fn, "top", o.top, "an integer >= 1");
  if (!(typeof o.maxGapMultiple === "number" && o.maxGapMultiple > 0)) throw new InvalidOptionError(fn, "maxGapMultiple", o.maxGapMultiple, "a number > 0 (Infinity keeps everybody)");
  if (!(typeof o.minPAlive === "number" && o.minPAlive >= 0 && o.minPAlive <= 1)) throw new InvalidOptionError(fn, "minPAlive", o.minPAlive, "a number in [0, 1]");
  if (!(Number.isInteger(o.windowDays) && o.windowDays >= 1)) throw new InvalidOptionError(fn, "windowDays", o.windowDays, "an integer >= 1");
  if (!(Number.isInteger(o.reasons) && o.reasons >= 1)) throw new InvalidOptionError(fn, "reasons", o.reasons, "an integer >= 1");

  const isRecords = Array.isArray(rows);
  let ids: string[];
  let col: (name: string) => ((i: number) => number) | null;
  if (isRecords) {
    const recs = rows as readonly ChurnRow[];
    ids = recs.map((r, i) => {
      const id = r?.[o.idColumn];
      if (typeof id !== "string" && typeof id !== "number") throw new InvalidRecordError(fn, { row: i + 1, field: o.idColumn, value: id, expected: "a customer id" });
      return String(id);
    });
    col = (name) => (recs.some((r) => name in r) ? (i) => (typeof recs[i][name] === "number" ? (recs[i][name] as number) : NaN) : null);
  } else {
    const c = rows as AtRiskFeatureColumns;
    if (c === null || typeof c !== "object" || !Array.isArray(c.customerIds) || c.columns === null || typeof c.columns !== "object") {
      throw new InvalidOptionError(fn, "rows", rows, "an array of feature rows, or { customerIds, columns }");
    }
    ids = c.customerIds.map(String);
    col = (name) => {
      if (!Object.prototype.hasOwnProperty.call(c.columns, name)) return null;
      const v = c.columns[name];
      if (v.length !== ids.length) throw new InvalidOptionError(fn, `columns.${name}`, `${v.length} values`, `${ids.length} values (one per customer id)`);
      return (i) => v[i];
    };
  }
  const n = ids.length;

  // P(churn) per row
  let prob: ArrayLike<number>;
  if (isChurnModel(churn)) {
    checkModel(churn, fn);
    prob = isRecords ? scoreChurn(churn, rows as readonly ChurnRow[]) : scoreChurnColumns(churn, { columns: (rows as AtRiskFeatureColumns).columns as Record<string, Float64Array> });
  } else {
    if (churn === null || typeof churn !== "object" || typeof (churn as ArrayLike<number>).length !== "number") throw new InvalidOptionError(fn, "churn", churn, "a churn model or one probability per row");
    if (churn.length !== n) throw new InvalidOptionError(fn, "churn", `${churn.length} probabilities`, `${n} (one per row)`);
    prob = churn;
  }
  for (let i = 0; i < n; i++) {
    const p = prob[i];
    if (!(typeof p === "number" && p >= 0 && p <= 1)) throw new InvalidRecordError(fn, { row: ids[i], field: "P(churn)", value: p, expected: "a probability in [0, 1]" });
  }
  const value = perCustomer(fn, "futureValue", o.futureValue, ids);
  const alive = o.pAlive !== undefined ? perCustomer(fn, "pAlive", o.pAlive, ids) : null;

  const recency = col("recency_days");
  const gapMean = col("gap_mean");
  const repeatGaps: number[] = [];
  if (gapMean) for (let i = 0; i < n; i++) if (gapMean(i) > 0) repeatGaps.push(gapMean(i));
  const typicalGap = repeatGaps.length > 0 ? median(repeatGaps) : null;
  const usualGap = (i: number): number | null => {
    const g = gapMean ? gapMean(i) : NaN;
    return g > 0 ? g : typicalGap;
  };

  let noValue = 0;
  let notAlive = 0;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = value[i];
    if (!(Number.isFinite(v) && v > 0)) {
      noValue++;
      continue;
    }
    if (alive) {
      if (!(alive[i] >= o.minPAlive)) {
        notAlive++;
        continue;
      }
    } else if (recency && o.maxGapMultiple !== Infinity) {
      const r = recency(i);
      const g = usualGap(i);
      if (Number.isFinite(r) && g !== null && r > o.maxGapMultiple * g) {
        notAlive++;
        continue;
      }
    }
    keep.push(i);
  }
  const loss = (i: number) => prob[i] * value[i];
  keep.sort((a, b) => loss(b) - loss(a) || prob[b] - prob[a] || a - b);
  const sayReasons = reasonsOf(col, usualGap, typicalGap, o.windowDays);
  const customers = keep.slice(0, o.top).map((i, r): AtRiskByValueCustomer => {
    const rec = recency ? recency(i) : NaN;
    const g = usualGap(i);
    const reasons = sayReasons(i).slice(0, o.reasons);
    return {
      rank: r + 1,
      customerId: ids[i],
      churnProbability: prob[i],
      futureValue: value[i],
      expectedLoss: loss(i),
      recencyDays: Number.isFinite(rec) ? rec : null,
      usualGapDays: g,
      gapMultiple: Number.isFinite(rec) && g !== null ? rec / g : null,
      reasons,
      reason: reasons.join("; "),
    };
  });
  const aliveRule = alive
    ? `P(alive) at least ${o.minPAlive}`
    : recency && o.maxGapMultiple !== Infinity
      ? `silent for at most ${o.maxGapMultiple}x their usual gap between purchases${typicalGap !== null ? `, or ${o.maxGapMultiple}x the typical gap of ${Math.round(typicalGap)} days for one-time buyers` : ""}`
      : null;
  const rule =
    `Ranked by expected future value lost (P(churn) x future value)` +
    (aliveRule ? ` among the customers still plausibly alive: ${aliveRule}. ${notAlive} other${notAlive === 1 ? " is" : "s are"} left out as probably gone already, and ${noValue} without positive future value.` : `. ${noValue} without positive future value ${noValue === 1 ? "is" : "are"} left out.`);
  return { customers, scored: n, excluded: { noFutureValue: noValue, notPlausiblyAlive: notAlive }, rule, typicalGapDays: typicalGap };
}

function isChurnModel(x: unknown): x is ChurnModel {
  return x !== null && typeof x === "object" && typeof (x as { model?: unknown }).model === "string";
}

/** A per-customer option as one number per row (NaN where a Map has no entry). */
function perCustomer(fn: string, name: string, v: PerCustomer, ids: readonly string[]): Float64Array {
  const out = new Float64Array(ids.length);
  if (v instanceof Map) {
    for (let i = 0; i < ids.length; i++) {
      const x = v.get(ids[i]);
      out[i] = typeof x === "number" ? x : NaN;
    }
    return out;
  }
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number") throw new InvalidOptionError(fn, name, v, "a Map from customer id to a number, or an array aligned with the rows");
  const a = v as ArrayLike<number>;
  if (a.length !== ids.length) throw new InvalidOptionError(fn, name, `${a.length} values`, `${ids.length} values (one per row)`);
  for (let i = 0; i < ids.length; i++) out[i] = typeof a[i] === "number" ? a[i] : NaN;
  return out;
}

const fmt1 = (x: number) => x.toFixed(1);
const days = (x: number) => `${Math.round(x)} day${Math.round(x) === 1 ? "" : "s"}`;

/** The reasons of one row, strongest first: silence, spend trend, order trend, returns. */
function reasonsOf(
  col: (name: string) => ((i: number) => number) | null,
  usualGap: (i: number) => number | null,
  typicalGap: number | null,
  W: number,
): (i: number) => string[] {
  const recency = col("recency_days");
  const frequency = col("frequency");
  const gapMean = col("gap_mean");
  const spendRecent = col("spend_recent");
  const spendBefore = col("spend_before");
  const ordersRecent = col("orders_recent");
  const ordersBefore = col("orders_before");
  const returnShare = col("return_share");
  return (i) => {
    const out: string[] = [];
    const r = recency ? recency(i) : NaN;
    if (Number.isFinite(r)) {
      const own = gapMean ? gapMean(i) : NaN;
      const once = frequency ? frequency(i) === 1 : !(own > 0);
      if (own > 0) out.push(`no purchase for ${days(r)}, ${fmt1(r / own)}x their usual gap of ${days(own)}`);
      else if (once) out.push(`one purchase only, ${days(r)} ago` + (typicalGap !== null ? ` (${fmt1(r / typicalGap)}x the typical gap of ${days(typicalGap)} between repeat purchases)` : ""));
      else {
        const g = usualGap(i);
        out.push(`no purchase for ${days(r)}` + (g !== null ? ` (${fmt1(r / g)}x the typical gap of ${days(g)})` : ""));
      }
    }
    const sr = spendRecent ? spendRecent(i) : NaN;
    const sb = spendBefore ? spendBefore(i) : NaN;
    if (sb > 0 && sr < sb) {
      out.push(sr <= 0 ? `no spend in the last ${W} days (${money(sb)} in the ${W} days before)` : `spend down ${Math.round((1 - sr / sb) * 100)}% vs the previous ${W} days (${money(sr)} vs ${money(sb)})`);
    }
    const or = ordersRecent ? ordersRecent(i) : NaN;
    const ob = ordersBefore ? ordersBefore(i) : NaN;
    if (ob > 0 && or < ob) out.push(`${or} order${or === 1 ? "" : "s"} in the last ${W} days vs ${ob} in the ${W} days before`);
    const rs = returnShare ? returnShare(i) : NaN;
    if (rs >= 0.1) out.push(`returned ${Math.round(rs * 100)}% of what they bought`);
    if (out.length === 0) out.push("no warning sign in the purchase history: the risk comes from the customer's profile");
    return out;
  };
}

function money(x: number): string {
  return x.toFixed(2);
}
