import { toTransactionTable } from "../core/columns.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { isReturnAmount, type DictionaryColumn, type TransactionTable } from "../core/table.js";
import { toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";
import { lifecycleStages, type LifecycleStagesOptions, type LifecycleStagesResult } from "../lifecycle/stages.js";
import type { LifecycleStage } from "../lifecycle/rules.js";
import { fsum, fsumGroups, median, rank } from "../numeric/index.js";
import { lineProfit, type CustomerProfitabilityResult, type LineProfitOptions } from "../profitability/profit.js";
import { ahpWeights, type AhpWeightsResult } from "../rfm/ahp.js";
import { intervalScore, validateScoreIntervals, type ScoreInterval } from "./intervals.js";

/**
 * The four dimensions of relationship value (course notes 001), in the order used by weights
 * and AHP matrices.
 * @category Relationship
 */
export type RelationshipDimension = "profitability" | "lifecycle" | "capability" | "referral";

/**
 * The four dimensions in the order of weights and AHP matrices.
 * @example
 * ```ts
 * RELATIONSHIP_DIMENSIONS;
 * //=> ["profitability", "lifecycle", "capability", "referral"]
 * ```
 * @category Relationship
 */
export const RELATIONSHIP_DIMENSIONS: readonly RelationshipDimension[] = Object.freeze(["profitability", "lifecycle", "capability", "referral"]);

/**
 * One referral: `referrer` brought `referred` to the business on `date`.
 * @category Relationship
 */
export interface Referral {
  /** Customer id of the one who referred. */
  readonly referrer: string;
  /** Customer id of the one referred. */
  readonly referred: string;
  /** Day of the referral. */
  readonly date: DateInput;
}

/**
 * What {@link relationshipValue} works from.
 * @category Relationship
 */
export interface RelationshipValueInputs {
  /** The transactions (a table or records, converted once): revenue, stages (when `lifecycle` is absent) and the referred customers' value. */
  transactions: TransactionTable | Iterable<Transaction>;
  /** Profit per customer from `customerProfitability`. Absent: the profitability dimension uses net revenue. */
  profitability?: CustomerProfitabilityResult;
  /** Stages from `lifecycleStages` (its `ids` are the base). Absent: computed from `transactions` with `asOf` and `lifecycleOptions`. */
  lifecycle?: LifecycleStagesResult;
  /** Capability estimate per customer (share of wallet, growth potential, ...). Absent: the dimension is left out and the weights renormalised. */
  capability?: ReadonlyMap<string, number>;
  /** Referral records. Absent: every referral value is 0 (the dimension is kept). */
  referrals?: readonly Referral[];
}

/**
 * Interval tables per scored dimension (lifecycle is scored by `stagePoints`).
 * @category Relationship
 */
export interface RelationshipIntervals {
  /** Table for profit (or revenue). */
  profitability?: readonly ScoreInterval[];
  /** Table for the capability estimate. */
  capability?: readonly ScoreInterval[];
  /** Table for the referral measure. */
  referral?: readonly ScoreInterval[];
}

/**
 * Options of {@link relationshipValue}. Choices are explained in `docs/relationship.md`.
 * @category Relationship
 */
export interface RelationshipValueOptions {
  /** Analysis day: referrals after it are set aside, referral windows end at it. Default: the lifecycle result's `asOf` (the last transaction day). */
  asOf?: DateInput;
  /** Time zone in which instants become days. Default `"UTC"`. */
  timeZone?: string;
  /** Options for `lifecycleStages` when `inputs.lifecycle` is absent (`asOf`/`timeZone` come from here). Default `{}`. */
  lifecycleOptions?: LifecycleStagesOptions;
  /** Points (0..100) per lifecycle stage. Default {@link DEFAULT_STAGE_POINTS}. */
  stagePoints?: Readonly<Record<LifecycleStage, number>>;
  /** `"percentile"` (percent rank within the base) or `"intervals"` (the `intervals` tables). Default `"percentile"`. */
  scoring?: "percentile" | "intervals";
  /** Interval tables, required for every used dimension but lifecycle when `scoring` is `"intervals"`. Default: none. */
  intervals?: RelationshipIntervals;
  /** Given weights by dimension (>= 0, not all 0; a missing key is 0); renormalised over the used dimensions. Default: equal weights (unless `ahpMatrix`). */
  weights?: Partial<Readonly<Record<RelationshipDimension, number>>>;
  /** AHP pairwise matrix, 4 x 4 in {@link RELATIONSHIP_DIMENSIONS} order (without a capability estimate: also 3 x 3 over profitability, lifecycle, referral); weights from `ahpWeights`. Not with `weights`. Default: none. */
  ahpMatrix?: readonly (readonly number[])[];
  /** Days after a referral date over which the referred customer's value is credited (the referral day is day 1). Default 365. */
  referralWindowDays?: number;
  /** What a referred customer brought: net `"revenue"` or line `"profit"` (needs `lineProfitOptions` or a cost/margin column). Default `"revenue"`. */
  referralValue?: "revenue" | "profit";
  /** Options of `lineProfit` for `referralValue: "profit"`. Default `{}`. */
  lineProfitOptions?: LineProfitOptions;
  /** The referral dimension's measure: the `"value"` brought or the `"count"` of referred customers. Default `"value"`. */
  referralMeasure?: "value" | "count";
  /** Number of customers in `top`. Default 10. */
  top?: number;
}

/**
 * Default lifecycle points: maturity is the peak of the relationship (100), growth rising (75),
 * new still uncertain (50), decline falling (25), churned nothing left (0), a prospect has no
 * relationship yet (0).
 * @example
 * ```ts
 * DEFAULT_STAGE_POINTS.growth;
 * //=> 75
 * ```
 * @category Relationship
 */
export const DEFAULT_STAGE_POINTS: Readonly<Record<LifecycleStage, number>> = Object.freeze({ prospect: 0, new: 50, growth: 75, maturity: 100, decline: 25, churned: 0 });

const DEFAULTS = Object.freeze({
  timeZone: "UTC",
  lifecycleOptions: {} as LifecycleStagesOptions,
  stagePoints: DEFAULT_STAGE_POINTS,
  scoring: "percentile" as "percentile" | "intervals",
  referralWindowDays: 365,
  referralValue: "revenue" as "revenue" | "profit",
  lineProfitOptions: {} as LineProfitOptions,
  referralMeasure: "value" as "value" | "count",
  top: 10,
});

/**
 * How the referral records were used. `accepted + afterAsOf + selfReferrals + unknownIds +
 * duplicates + multipleReferrers + cycles === records`; `referredEarlier` counts within `accepted`.
 * @category Relationship
 */
export interface ReferralReport {
  /** Records given. */
  records: number;
  /** Records credited. */
  accepted: number;
  /** Dated after `asOf`: set aside. */
  afterAsOf: number;
  /** `referrer === referred`: set aside. */
  selfReferrals: number;
  /** Referrer not in the base, or referred never seen in the transactions: set aside. */
  unknownIds: number;
  /** The same referrer and referred again: set aside (the earliest is kept). */
  duplicates: number;
  /** A customer already referred by someone else earlier: set aside (each referred customer is credited once). */
  multipleReferrers: number;
  /** The latest referral of each cycle (A refers B refers ... refers A): set aside. */
  cycles: number;
  /** Accepted referrals whose referred customer had bought before the referral date (kept; only purchases from the date on are credited). */
  referredEarlier: number;
}

/**
 * Per-dimension summary of the scores.
 * @category Relationship
 */
export interface RelationshipDimensionSummary {
  /** The dimension. */
  dimension: RelationshipDimension;
  /** Whether it enters the combined score. */
  used: boolean;
  /** Its weight (0 when not used). */
  weight: number;
  /** Mean score (0 when not used or no customers). */
  mean: number;
  /** Median score (0 when not used or no customers). */
  median: number;
  /** Lowest score (0 when not used or no customers). */
  min: number;
  /** Highest score (0 when not used or no customers). */
  max: number;
  /** Exact sum of the raw measure (profit/revenue, stage points, estimate, referral measure). */
  rawTotal: number;
}

/**
 * One of the top customers.
 * @category Relationship
 */
export interface RelationshipTopRow {
  /** Customer id. */
  customerId: string;
  /** Combined score. */
  score: number;
  /** Rank (1 = best). */
  rank: number;
}

/**
 * Result of {@link relationshipValue}: columns by row (row k = customer `ids[k]`, the lifecycle
 * result's order) and the summaries.
 * @category Relationship
 */
export interface RelationshipValueResult {
  /** Rows. */
  length: number;
  /** Customer id per row. */
  ids: readonly string[];
  /** Dimensions entering the combined score. */
  dimensions: RelationshipDimension[];
  /** Weights used (sum 1 over `dimensions`, 0 for the others). */
  weights: Record<RelationshipDimension, number>;
  /** Dimension scores 0..100 (`capability` is `null` when no estimate was given). */
  scores: {
    /** Score of profit (or net revenue), 0..100. */
    profitability: Float64Array;
    /** Score of the lifecycle stage (its `stagePoints`), 0..100. */
    lifecycle: Float64Array;
    /** Score of the capability estimate, 0..100 (`null` when no estimate was given). */
    capability: Float64Array | null;
    /** Score of the referral measure, 0..100. */
    referral: Float64Array;
  };
  /** Combined score Σ weight × dimension score, 0..100. */
  score: Float64Array;
  /** Rank by combined score (1 = best; ties by id). */
  rank: Int32Array;
  /** Raw measures behind the scores. */
  raw: {
    /** Profit (or net revenue, see `settings.profitMeasure`). */
    profit: Float64Array;
    /** Lifecycle stage. */
    stage: DictionaryColumn<LifecycleStage>;
    /** Capability estimate (null when none). */
    capability: Float64Array | null;
    /** Referred customers credited. */
    referredCustomers: Int32Array;
    /** Value they brought within the window. */
    referredValue: Float64Array;
  };
  /** One row per dimension in {@link RELATIONSHIP_DIMENSIONS} order. */
  summary: RelationshipDimensionSummary[];
  /** The best customers by combined score. */
  top: RelationshipTopRow[];
  /** The AHP result when `ahpMatrix` was given (weights in matrix order, before leaving out an absent dimension). */
  ahp: AhpWeightsResult | null;
  /** Accounting of the referral records. */
  referrals: ReferralReport;
  /** Base customers without a profitability row (profit 0) and without a capability estimate (estimate 0); keys matching no base customer. */
  missing: {
    /** Base customers without a profitability row (their profit is 0). */
    profit: number;
    /** Base customers without a capability estimate (their estimate is 0; 0 when no estimates were given). */
    capability: number;
    /** Capability keys matching no base customer (ignored). */
    unmatchedCapabilityKeys: number;
  };
  /** Human-readable warnings (inconsistent AHP judgements, left-out dimension). */
  warnings: string[];
  /** What was used. */
  settings: {
    /** The analysis day (ISO `YYYY-MM-DD`). */
    asOf: string;
    /** What the profitability dimension measured: `"profit"` from `inputs.profitability`, else net `"revenue"`. */
    profitMeasure: "profit" | "revenue";
    /** The scoring method used (option `scoring`). */
    scoring: "percentile" | "intervals";
    /** Days over which a referred customer's value was credited (option `referralWindowDays`). */
    referralWindowDays: number;
    /** What a referred customer's value was: net revenue or line profit (option `referralValue`). */
    referralValue: "revenue" | "profit";
    /** The referral dimension's measure: value brought or count of referred customers (option `referralMeasure`). */
    referralMeasure: "value" | "count";
  };
}

/** Percent rank 100 × (min rank − 1) / (n − 1) (dplyr's `percent_rank`), from the shared average-rank kernel; n = 1 gives 100. */
function percentRank(values: Float64Array): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (n === 1) {
    out[0] = 100;
    return out;
  }
  const r = rank(values);
  // A tie group of t values shares the average rank a; its minimum rank is a − (t − 1) / 2.
  const ties = new Map<number, number>();
  for (let i = 0; i < n; i++) ties.set(r[i], (ties.get(r[i]) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    const minRank = r[i] - ((ties.get(r[i]) as number) - 1) / 2;
    out[i] = (100 * (minRank - 1)) / (n - 1);
  }
  return out;
}

/**
 * Relationship value in the course notes' four dimensions — profitability, lifecycle,
 * capability (share of wallet, growth potential) and referral value — each scored 0..100 per
 * customer and combined with given or AHP weights.
 *
 * @remarks
 * Base: the lifecycle result's customers (given, or `lifecycleStages(transactions)`).
 * - Profitability: profit from `inputs.profitability` (0 and counted for a base customer it
 *   lacks), else net revenue by `asOf`.
 * - Lifecycle: `stagePoints[stage]` (default {@link DEFAULT_STAGE_POINTS}).
 * - Capability: the estimate per customer (0 and counted when missing); no estimate at all
 *   leaves the dimension out and renormalises the weights (a warning says so).
 * - Referral: credited referrals after setting aside (in this order, each counted) those after
 *   `asOf`, self-referrals, unknown ids, repeated pairs, later referrals of an already-referred
 *   customer (each customer is credited to one referrer, the earliest), and the latest referral
 *   of every cycle. Credit is direct only (A → B → C credits A with B, B with C: a chain counts
 *   each customer once). Value = the referred customer's net revenue (or line profit) on days
 *   `date .. min(date + window − 1, asOf)`. Measure: that value summed per referrer, or the count.
 * Scoring: percent rank 100 × (min rank − 1)/(n − 1) within the base (dplyr's `percent_rank`;
 * ties share the lower score; one customer scores 100), or interval tables that must cover
 * every observed value. Combined score = Σ w_d s_d over the used dimensions, weights
 * renormalised to sum 1; AHP weights come from {@link ahpWeights} (CR > 0.1 is a warning, not
 * an error). Sums are exact ({@link fsum}). Complexity O(n + r log r + c log c).
 *
 * @param inputs - see {@link RelationshipValueInputs}.
 * @param options - see {@link RelationshipValueOptions}.
 * @returns per-customer dimension scores, combined score and rank, summaries, top customers, referral accounting.
 * @throws {@link InvalidOptionError} for a bad option (weights and AHP both, a bad table or one that misses a value, non-positive window).
 * @throws {@link InvalidRecordError} for a malformed referral (row = 1-based record) or a non-finite estimate (row = customer id).
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   { customerId: "a", date: "2024-01-01", amount: 100 },
 *   { customerId: "b", date: "2024-01-05", amount: 40 },
 *   { customerId: "c", date: "2024-01-06", amount: 10 },
 * ]);
 * const r = relationshipValue({ transactions: t, referrals: [{ referrer: "a", referred: "c", date: "2024-01-06" }] }, { weights: { profitability: 1, referral: 1 } });
 * // profit ranks a 100, b 50, c 0; referral: a brought 10 -> 100, b and c 0 -> 0
 * [r.ids, [...r.score], r.dimensions, r.top[0].customerId];
 * //=> [["a", "b", "c"], [100, 25, 0], ["profitability", "lifecycle", "referral"], "a"]
 * ```
 * @category Relationship
 */
export function relationshipValue(inputs: RelationshipValueInputs, options: RelationshipValueOptions = {}): RelationshipValueResult {
  const fn = "relationshipValue";
  const o = withDefaults(DEFAULTS, options);
  if (inputs === null || typeof inputs !== "object") throw new InvalidOptionError(fn, "inputs", inputs, "an object with transactions");
  if (!(Number.isInteger(o.referralWindowDays) && o.referralWindowDays >= 1)) throw new InvalidOptionError(fn, "referralWindowDays", o.referralWindowDays, "an integer >= 1");
  if (!(Number.isInteger(o.top) && o.top >= 0)) throw new InvalidOptionError(fn, "top", o.top, "an integer >= 0");
  if (o.scoring !== "percentile" && o.scoring !== "intervals") throw new InvalidOptionError(fn, "scoring", o.scoring, '"percentile" or "intervals"');
  if (o.referralValue !== "revenue" && o.referralValue !== "profit") throw new InvalidOptionError(fn, "referralValue", o.referralValue, '"revenue" or "profit"');
  if (o.referralMeasure !== "value" && o.referralMeasure !== "count") throw new InvalidOptionError(fn, "referralMeasure", o.referralMeasure, '"value" or "count"');
  for (const s of ["prospect", "new", "growth", "maturity", "decline", "churned"] as const) {
    const p = o.stagePoints?.[s];
    if (!(typeof p === "number" && Number.isFinite(p) && p >= 0 && p <= 100)) throw new InvalidOptionError(fn, `stagePoints.${s}`, p, "points in 0..100");
  }
  if (o.weights !== undefined && o.ahpMatrix !== undefined) throw new InvalidOptionError(fn, "weights", o.weights, "either weights or ahpMatrix, not both");

  const t = toTransactionTable(inputs.transactions, fn);
  const lc = inputs.lifecycle ?? lifecycleStages(t, { ...o.lifecycleOptions, asOf: o.asOf ?? o.lifecycleOptions.asOf, timeZone: o.timeZone });
  const asOfDay = o.asOf !== undefined ? toEpochDay(o.asOf, fn, "asOf", { timeZone: o.timeZone }) : toEpochDay(lc.settings.asOf, fn, "asOf");
  const asOfIso = new Date(asOfDay * 86_400_000).toISOString().slice(0, 10);
  const n = lc.length;
  const ids = lc.ids;
  const row = new Map<string, number>();
  for (let i = 0; i < n; i++) row.set(ids[i], i);
  const warnings: string[] = [];

  // Profitability.
  const profit = new Float64Array(n);
  let missingProfit = 0;
  if (inputs.profitability) {
    const p = inputs.profitability;
    const at = new Map<string, number>();
    for (let k = 0; k < p.length; k++) at.set(p.ids[k], k);
    for (let i = 0; i < n; i++) {
      const k = at.get(ids[i]);
      if (k === undefined) missingProfit++;
      else profit[i] = p.profit[k];
    }
  } else profit.set(lc.revenue);

  // Lifecycle points.
  const lifePoints = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = lc.stage.codes[i];
    lifePoints[i] = c < 0 ? 0 : o.stagePoints[lc.stage.values[c]];
  }

  // Capability.
  let capability: Float64Array | null = null;
  let missingCapability = 0;
  let unmatchedCapabilityKeys = 0;
  if (inputs.capability !== undefined) {
    if (!(inputs.capability instanceof Map)) throw new InvalidOptionError(fn, "inputs.capability", inputs.capability, "a Map from customer id to estimate");
    capability = new Float64Array(n);
    const seen = new Uint8Array(n);
    for (const [id, v] of inputs.capability) {
      const i = row.get(id);
      if (i === undefined) {
        unmatchedCapabilityKeys++;
        continue;
      }
      if (!(typeof v === "number" && Number.isFinite(v))) throw new InvalidRecordError(fn, { row: id, field: "capability", value: v, expected: "a finite number" });
      capability[i] = v;
      seen[i] = 1;
    }
    for (let i = 0; i < n; i++) if (!seen[i]) missingCapability++;
  }

  // Referrals.
  const refs = inputs.referrals ?? [];
  if (!Array.isArray(refs)) throw new InvalidOptionError(fn, "inputs.referrals", refs, "an array of { referrer, referred, date }");
  const report: ReferralReport = { records: refs.length, accepted: 0, afterAsOf: 0, selfReferrals: 0, unknownIds: 0, duplicates: 0, multipleReferrers: 0, cycles: 0, referredEarlier: 0 };
  type Cand = { referrer: number; referred: number; day: number; k: number };
  const cands: Cand[] = [];
  for (let k = 0; k < refs.length; k++) {
    const r = refs[k];
    if (r === null || typeof r !== "object") throw new InvalidRecordError(fn, { row: k + 1, field: "referral", value: r, expected: "a { referrer, referred, date } record" });
    if (typeof r.referrer !== "string" || r.referrer === "") throw new InvalidRecordError(fn, { row: k + 1, field: "referrer", value: r.referrer, expected: "a non-empty customer id" });
    if (typeof r.referred !== "string" || r.referred === "") throw new InvalidRecordError(fn, { row: k + 1, field: "referred", value: r.referred, expected: "a non-empty customer id" });
    let day: number;
    try {
      day = toEpochDay(r.date, fn, "date", { timeZone: o.timeZone });
    } catch (e) {
      throw new InvalidRecordError(fn, { row: k + 1, field: "date", value: r.date, expected: "a calendar date (Date, ISO string or epoch milliseconds)" }, { cause: e });
    }
    if (day > asOfDay) report.afterAsOf++;
    else if (r.referrer === r.referred) report.selfReferrals++;
    else {
      const a = row.get(r.referrer);
      const b = t.index.get(r.referred);
      if (a === undefined || b === undefined) report.unknownIds++;
      else cands.push({ referrer: a, referred: b, day, k });
    }
  }
  // Earliest first (ties: input order): duplicates and second referrers are the later ones.
  cands.sort((x, y) => x.day - y.day || x.k - y.k);
  const byReferred = new Map<number, Cand>();
  const pairs = new Set<string>();
  for (const c of cands) {
    const key = `${c.referrer}\u0000${c.referred}`;
    if (pairs.has(key)) report.duplicates++;
    else if (byReferred.has(c.referred)) {
      pairs.add(key);
      report.multipleReferrers++;
    } else {
      pairs.add(key);
      byReferred.set(c.referred, c);
    }
  }
  // Cycles: each referred customer has one referrer, so follow referrer links (as transaction codes).
  const code = (i: number) => t.index.get(ids[i]) ?? -1;
  const parentOf = (cust: number): Cand | undefined => byReferred.get(cust);
  const state = new Map<number, number>(); // 1 visiting, 2 done
  for (const start of [...byReferred.keys()].sort((x, y) => x - y)) {
    if (state.get(start) === 2) continue;
    const path: number[] = [];
    let cur: number | undefined = start;
    while (cur !== undefined && cur >= 0 && state.get(cur) !== 2) {
      if (state.get(cur) === 1) {
        // cur is on the path: the cycle is path[from..]; drop its latest referral.
        const from = path.indexOf(cur);
        let worst: Cand | undefined;
        for (let j = from; j < path.length; j++) {
          const e = parentOf(path[j]) as Cand;
          if (worst === undefined || e.day > worst.day || (e.day === worst.day && e.k > worst.k)) worst = e;
        }
        byReferred.delete((worst as Cand).referred);
        report.cycles++;
        break;
      }
      state.set(cur, 1);
      path.push(cur);
      const e = parentOf(cur);
      cur = e === undefined ? undefined : code(e.referrer);
    }
    for (const p of path) state.set(p, 2);
  }
  report.accepted = byReferred.size;

  const referredCustomers = new Int32Array(n);
  const referredValue = new Float64Array(n);
  if (byReferred.size > 0) {
    const refBy = new Int32Array(t.ids.length).fill(-1);
    const start = new Int32Array(t.ids.length);
    for (const [c, e] of byReferred) {
      refBy[c] = e.referrer;
      start[c] = e.day;
      referredCustomers[e.referrer]++;
    }
    const lineValue = o.referralValue === "profit" ? lineProfit(t, o.lineProfitOptions).profit : t.amount;
    const vals: number[] = [];
    const groups: number[] = [];
    const earlier = new Uint8Array(t.ids.length);
    for (let j = 0; j < t.length; j++) {
      const c = t.customer[j];
      const g = refBy[c];
      if (g < 0) continue;
      const d = t.day[j];
      if (d < start[c] && !isReturnAmount(t.amount[j])) earlier[c] = 1;
      if (d >= start[c] && d < start[c] + o.referralWindowDays && d <= asOfDay) {
        vals.push(lineValue[j]);
        groups.push(g);
      }
    }
    referredValue.set(fsumGroups(vals, groups, n));
    for (const c of byReferred.keys()) report.referredEarlier += earlier[c];
    for (let i = 0; i < n; i++) if (referredValue[i] === 0) referredValue[i] = 0; // no -0
  }
  const referralRaw = o.referralMeasure === "count" ? Float64Array.from(referredCustomers) : referredValue;

  // Scores.
  const score1 = (dim: "profitability" | "capability" | "referral", raw: Float64Array): Float64Array => {
    if (o.scoring === "percentile") return percentRank(raw);
    const table = o.intervals?.[dim];
    if (table === undefined) throw new InvalidOptionError(fn, `intervals.${dim}`, undefined, `an interval table for ${dim} (scoring is "intervals")`);
    validateScoreIntervals(table, fn, `intervals.${dim}`);
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const s = intervalScore(table, raw[i]);
      if (s < 0) throw new InvalidOptionError(fn, `intervals.${dim}`, raw[i], `a table covering ${raw[i]} (customer ${ids[i]}): rows from ${table[0].from} to ${table[table.length - 1].to}`);
      out[i] = s;
    }
    return out;
  };
  const scores = {
    profitability: score1("profitability", profit),
    lifecycle: lifePoints,
    capability: capability === null ? null : score1("capability", capability),
    referral: score1("referral", referralRaw),
  };
  const dimensions = RELATIONSHIP_DIMENSIONS.filter((d) => d !== "capability" || capability !== null);
  if (capability === null) warnings.push("relationshipValue: no capability estimate given; the capability dimension is left out and the other weights renormalised");

  // Weights.
  let ahp: AhpWeightsResult | null = null;
  const rawW: Record<RelationshipDimension, number> = { profitability: 0.25, lifecycle: 0.25, capability: 0.25, referral: 0.25 };
  if (o.ahpMatrix !== undefined) {
    const size = Array.isArray(o.ahpMatrix) ? o.ahpMatrix.length : -1;
    if (size !== 4 && size !== dimensions.length) {
      throw new InvalidOptionError(fn, "ahpMatrix", o.ahpMatrix, `a 4 x 4 pairwise matrix (profitability, lifecycle, capability, referral)${dimensions.length === 3 ? ", or 3 x 3 without capability" : ""}`);
    }
    ahp = ahpWeights(o.ahpMatrix);
    const order = size === 4 ? RELATIONSHIP_DIMENSIONS : dimensions;
    order.forEach((d, k) => (rawW[d] = (ahp as AhpWeightsResult).weights[k]));
    if (!ahp.consistent) warnings.push(`relationshipValue: the AHP judgements are inconsistent (CR ${ahp.consistencyRatio.toFixed(4)} > 0.1); the weights are used, but revise the pairwise matrix`);
  } else if (o.weights !== undefined) {
    if (o.weights === null || typeof o.weights !== "object") throw new InvalidOptionError(fn, "weights", o.weights, "an object of weights by dimension");
    for (const key of Object.keys(o.weights)) if (!RELATIONSHIP_DIMENSIONS.includes(key as RelationshipDimension)) throw new InvalidOptionError(fn, `weights.${key}`, (o.weights as Record<string, unknown>)[key], `one of ${RELATIONSHIP_DIMENSIONS.join(", ")}`);
    for (const d of RELATIONSHIP_DIMENSIONS) {
      const w = o.weights[d] ?? 0;
      if (!(typeof w === "number" && Number.isFinite(w) && w >= 0)) throw new InvalidOptionError(fn, `weights.${d}`, w, "a finite number >= 0");
      rawW[d] = w;
    }
  }
  const total = fsum(dimensions.map((d) => rawW[d]));
  if (!(total > 0)) throw new InvalidOptionError(fn, "weights", o.weights, "at least one positive weight on a used dimension");
  const weights: Record<RelationshipDimension, number> = { profitability: 0, lifecycle: 0, capability: 0, referral: 0 };
  for (const d of dimensions) weights[d] = rawW[d] / total;

  const score = new Float64Array(n);
  const terms = new Float64Array(dimensions.length);
  for (let i = 0; i < n; i++) {
    dimensions.forEach((d, k) => (terms[k] = weights[d] * (scores[d] as Float64Array)[i]));
    score[i] = Math.min(100, Math.max(0, fsum(terms)));
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => score[y] - score[x] || (ids[x] < ids[y] ? -1 : ids[x] > ids[y] ? 1 : 0));
  const rankCol = new Int32Array(n);
  order.forEach((i, k) => (rankCol[i] = k + 1));
  const top = order.slice(0, o.top).map((i) => ({ customerId: ids[i], score: score[i], rank: rankCol[i] }));

  const raws: Record<RelationshipDimension, Float64Array | null> = { profitability: profit, lifecycle: lifePoints, capability, referral: referralRaw };
  const summary = RELATIONSHIP_DIMENSIONS.map((d): RelationshipDimensionSummary => {
    const s = scores[d];
    const used = dimensions.includes(d);
    if (s === null || n === 0) return { dimension: d, used, weight: weights[d], mean: 0, median: 0, min: 0, max: 0, rawTotal: 0 };
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      if (s[i] < min) min = s[i];
      if (s[i] > max) max = s[i];
    }
    return { dimension: d, used, weight: weights[d], mean: fsum(s) / n, median: median(s), min, max, rawTotal: fsum(raws[d] as Float64Array) };
  });

  return {
    length: n,
    ids,
    dimensions,
    weights,
    scores,
    score,
    rank: rankCol,
    raw: { profit, stage: lc.stage, capability, referredCustomers, referredValue },
    summary,
    top,
    ahp,
    referrals: report,
    missing: { profit: missingProfit, capability: missingCapability, unmatchedCapabilityKeys },
    warnings,
    settings: { asOf: asOfIso, profitMeasure: inputs.profitability ? "profit" : "revenue", scoring: o.scoring, referralWindowDays: o.referralWindowDays, referralValue: o.referralValue, referralMeasure: o.referralMeasure },
  };
}
