import { toTransactionColumns } from "../core/columns.js";
import type { TransactionTable } from "../core/table.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { definedOnly, withDefaults } from "../core/options.js";
import { median, quantileSorted } from "../numeric/quantile.js";
import { fsum, fsumGroups } from "../numeric/sum.js";
import { intervalScore, validateScoreIntervals, type ScoreInterval } from "../numeric/intervals.js";
import type { CustomerSummary, Transaction } from "../core/types.js";
import { ahpWeights, paretoAnalysis, type AhpWeightsResult, type ParetoAnalysisResult } from "../rfm/index.js";
import { fitWeibullRetention, type WeibullRetentionFit } from "./weibull.js";
import { futureValueSettings, type FutureValueSettings } from "./settings.js";

/**
 * Where the per-period survival of {@link clv3d} comes from.
 * - `constant`: P(alive in future period t) = rate^(t-1).
 * - `weibull`: conditional Weibull survival S(a + t - 1) / S(a) at the customer's age a (in
 *   periods); `fit` (shape and scale in periods) or fitted from the summaries themselves with
 *   a churn rule: a customer is churned when `recencyDays > churnAfterDays` (default 180).
 * - `perCustomer`: each customer's own retention rate (and optional P(alive) now) from another
 *   model: P(alive in t) = alive * rate^(t-1). Missing customers use `defaultRate` (default 0.9).
 * @category Three-dimensional CLV
 */
export type Clv3dRetention =
  | {
      /** Constant retention. */
      readonly type: "constant";
      /** Retention rate per period, in [0, 1]. */
      readonly rate: number;
    }
  | {
      /** Conditional Weibull survival. */
      readonly type: "weibull";
      /** A fitted curve (shape and scale in periods). Default: fitted from the summaries with the churn rule. */
      readonly fit?: {
        /** Weibull shape k. */
        readonly shape: number;
        /** Weibull scale lambda, in periods. */
        readonly scale: number;
      };
      /** Churn rule of the fit: churned when `recencyDays` exceeds this. Default 180. */
      readonly churnAfterDays?: number;
    }
  | {
      /** Each customer's own retention from another model. */
      readonly type: "perCustomer";
      /** Retention rate per period by customer id. */
      readonly retention: ReadonlyMap<string, number>;
      /** P(alive now) by customer id (e.g. BG/NBD). Default 1 for everyone. */
      readonly alive?: ReadonlyMap<string, number>;
      /** Retention of customers missing from `retention`. Default 0.9. */
      readonly defaultRate?: number;
    };

/**
 * What an indicator accessor receives: the customer's summary plus the computed values.
 * @category Three-dimensional CLV
 */
export interface Clv3dIndicatorInput {
  /** The customer's summary. */
  readonly summary: CustomerSummary;
  /** Current value CV. */
  readonly cv: number;
  /** Stock value SV. */
  readonly sv: number;
  /** Incremental value IV. */
  readonly iv: number;
  /** Growth rate of spend per period used for IV (after clipping). */
  readonly growth: number;
  /** Expected future periods alive within the horizon: sum_t P(alive in t). */
  readonly expectedPeriods: number;
}

/**
 * One scoring indicator: a value per customer mapped onto 0..100 by value intervals.
 * @category Three-dimensional CLV
 */
export interface Clv3dIndicator {
  /** Name, reported with its AHP weight. */
  readonly name: string;
  /** The indicator's value for a customer (called once per customer). */
  readonly value: (input: Clv3dIndicatorInput) => number;
  /** Ascending interval breakpoints b0 <= ... <= bK mapped to scores 0, 100/K, ..., 100 (linear within, clamped outside). Only with `scoreBy: "quantiles"` (with `"intervals"` the indicator's table in `intervals` scores it). Default: the 0, 20, 40, 60, 80, 100th percentiles of the indicator. */
  readonly breakpoints?: readonly number[];
  /** `"higher"` (more is better) or `"lower"` (e.g. recency), applied to breakpoint scores (an interval table states its scores itself). Default `"higher"`. */
  readonly direction?: "higher" | "lower";
}

/**
 * Indicators of one dimension and their AHP pairwise-comparison matrix (Saaty 1..9 scale).
 * @category Three-dimensional CLV
 */
export interface Clv3dDimensionScoring {
  /** The indicators, in the matrix's order. */
  readonly indicators: readonly Clv3dIndicator[];
  /** Square reciprocal matrix: `matrix[i][j]` = importance of indicator i over j. */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * The telecom study's preset business intervals: one score table per indicator, by dimension
 * and indicator name (`{ cv: { currentValue: [...], frequency: [...] }, pv: {...}, iv: {...} }`;
 * `sv` is accepted for `pv`, not both). Each table is a list of `{ from, to, score }` rows checked by
 * `validateScoreIntervals` (ordered, contiguous, scores 0..100); a value no row covers is an
 * `InvalidRecordError` naming the customer, the indicator and the value (no clamping: open the
 * ends with `-Infinity` / `Infinity` to score every value). A table states each value's score
 * itself, so an indicator's `direction` is not applied to it (write a "lower is better" table
 * with high scores on low values). A plain object or a `Map` per dimension.
 * @category Three-dimensional CLV
 */
export interface Clv3dIntervalTables {
  /** Tables of the current-value indicators, by indicator name. */
  readonly cv?: Clv3dIndicatorTables;
  /** Tables of the potential-value (PV = SV) indicators, by indicator name. */
  readonly pv?: Clv3dIndicatorTables;
  /** Same as `pv` (our name for the same dimension); give one of the two. */
  readonly sv?: Clv3dIndicatorTables;
  /** Tables of the incremental-value indicators, by indicator name. */
  readonly iv?: Clv3dIndicatorTables;
}

/**
 * Score tables of one dimension's indicators, by indicator name.
 * @category Three-dimensional CLV
 */
export type Clv3dIndicatorTables = ReadonlyMap<string, readonly ScoreInterval[]> | Readonly<Record<string, readonly ScoreInterval[]>>;

/**
 * Given weights of the three dimensions in the overall value score (any scale: they are
 * normalised to sum 1; a missing key is 0).
 * @category Three-dimensional CLV
 */
export interface Clv3dDimensionWeightsInput {
  /** Weight of the current-value score. */
  readonly cv?: number;
  /** Weight of the potential-value score (PV, our SV). */
  readonly pv?: number;
  /** Same as `pv`; give one of the two. */
  readonly sv?: number;
  /** Weight of the incremental-value score. */
  readonly iv?: number;
}

/**
 * The weights used for the overall value score, summing to 1.
 * @category Three-dimensional CLV
 */
export interface Clv3dValueWeights {
  /** Weight of the CV score. */
  cv: number;
  /** Weight of the PV score (equal to `sv`). */
  pv: number;
  /** Weight of the SV score (the same dimension as PV). */
  sv: number;
  /** Weight of the IV score. */
  iv: number;
  /** Where they came from: `"equal"` (default), `"given"` (`dimensionWeights`) or `"ahp"` (`dimensionMatrix`). */
  source: "equal" | "given" | "ahp";
  /** The AHP result (weights in the order CV, PV, IV; consistency ratio, `consistent` when CR < 0.1) when `dimensionMatrix` was given, else null. */
  ahp: AhpWeightsResult | null;
}

/**
 * Options of {@link clv3d}.
 * @category Three-dimensional CLV
 */
export interface Clv3dOptions {
  /** Profit margin as a share of spend. Default 1 (values in revenue terms; set your gross margin). */
  marginRate?: number;
  /** Period length in days. Default 30. */
  periodDays?: number;
  /** Discount rate per period, >= 0. Default 0.01. */
  discountRate?: number;
  /** Horizon of SV and IV, whole periods >= 1. Default 12. */
  horizon?: number;
  /** Retention source. Default `{ type: "constant", rate: 0.9 }`. */
  retention?: Clv3dRetention;
  /** Growth of spend per period (relative linear trend), one number or per customer. Default: estimated from `transactions` when given, else 0. */
  growth?: number | ReadonlyMap<string, number>;
  /** Transactions, used only to estimate each customer's spend trend for IV. Default none. */
  transactions?: Iterable<Transaction> | TransactionTable;
  /** Growth is clipped to [0, maxGrowth] (IV is never negative). Default 0.1. */
  maxGrowth?: number;
  /** High/low threshold on each dimension score: the median or the mean over customers (high = strictly above). Default `"median"`. */
  threshold?: "median" | "mean";
  /** How indicator values become 0..100 scores: `"quantiles"` (each indicator's `breakpoints`, by default its data quintiles, linear within) or `"intervals"` (the telecom study's preset business intervals: every indicator needs a table in `intervals`). Default `"quantiles"`. */
  scoreBy?: "quantiles" | "intervals";
  /** Interval tables by dimension and indicator name, read when `scoreBy` is `"intervals"` (see {@link Clv3dIntervalTables}). Default: none. */
  intervals?: Clv3dIntervalTables;
  /** Given weights of the three dimension scores in the overall `valueScore`, `{ cv, pv, iv }` (`sv` accepted for `pv`), each >= 0, a missing key 0, normalised to sum 1. Not with `dimensionMatrix`. Default: equal weights, 1/3 each (unless `dimensionMatrix`). */
  dimensionWeights?: Clv3dDimensionWeightsInput;
  /** AHP pairwise-comparison matrix of the three dimensions, 3 x 3 in the order CV, PV, IV (Saaty scale); weights from `ahpWeights`. Not with `dimensionWeights`. Default: none (equal weights). */
  dimensionMatrix?: readonly (readonly number[])[];
  /** Indicators and AHP matrices per dimension. Default: see `docs/value.md` (CV: currentValue, frequency, tenureDays; SV: stockValue, spendPerPeriod, recencyDays; IV: incrementalValue, growth). */
  scoring?: {
    /** Current-value indicators and matrix. */
    readonly cv?: Clv3dDimensionScoring;
    /** Stock-value indicators and matrix. */
    readonly sv?: Clv3dDimensionScoring;
    /** Incremental-value indicators and matrix. */
    readonly iv?: Clv3dDimensionScoring;
  };
}

/**
 * Code of one of the eight groups: high (H) or low (L) on CV, SV and IV, in that order.
 * @category Three-dimensional CLV
 */
export type Clv3dGroupCode = "HHH" | "HHL" | "HLH" | "HLL" | "LHH" | "LHL" | "LLH" | "LLL";

/**
 * One customer's three-dimensional value.
 * @category Three-dimensional CLV
 */
export interface Clv3dCustomer {
  /** Customer id. */
  customerId: string;
  /** Current value CV, a past value: the margin of the spend to date, compounded to asOf at the discount rate. */
  cv: number;
  /** Stock value SV, a future value: discounted expected margin over the horizon at the current spending level. */
  sv: number;
  /** Potential value PV, the telecom study's name for SV: equal to `sv`. */
  pv: number;
  /** Incremental value IV, a future value: discounted expected margin over the horizon from growth (>= 0). */
  iv: number;
  /** Future value over the horizon: sv + iv (comparable with the BG/NBD + Gamma-Gamma and Monte Carlo CLVs on the same settings). */
  future: number;
  /** Past plus future value, cv + sv + iv: the 3D model's CLV (it includes the spend to date, so it is not a forecast). */
  clv: number;
  /** Current-value score, 0..100 (AHP-weighted indicator scores). */
  cvScore: number;
  /** Stock-value score, 0..100. */
  svScore: number;
  /** Potential-value score (the study's PV): equal to `svScore`. */
  pvScore: number;
  /** Incremental-value score, 0..100. */
  ivScore: number;
  /** Overall customer value score, 0..100: w_cv cvScore + w_pv pvScore + w_iv ivScore with the weights of `valueWeights`. */
  valueScore: number;
  /** Growth rate used for IV (after clipping). */
  growth: number;
  /** Expected future periods alive within the horizon. */
  expectedPeriods: number;
  /** Group code (H/L on CV, SV, IV). */
  group: Clv3dGroupCode;
  /** Group name (e.g. "Star"). */
  groupName: string;
}

/**
 * Summary of one of the eight groups.
 * @category Three-dimensional CLV
 */
export interface Clv3dGroupSummary {
  /** Group code (H/L on CV, SV, IV). */
  group: Clv3dGroupCode;
  /** Group name. */
  name: string;
  /** Suggested action. */
  action: string;
  /** Customers in the group. */
  count: number;
  /** Share of all customers. */
  customerShare: number;
  /** The rule that puts a customer in the group: each dimension score against its threshold, e.g. `"cvScore > 50.37, svScore <= 48.37, ivScore > 0"` (H = strictly above; scores, not values: see `docs/value.md`). */
  rule: string;
  /** Past value of the group: sum of CV. */
  past: number;
  /** Future value of the group over the horizon: sum of SV + IV. */
  future: number;
  /** Share of the total future value (0 when the total is 0). */
  futureShare: number;
  /** Past plus future value of the group: sum of CLV = CV + SV + IV. */
  value: number;
  /** Share of the total past plus future value (0 when the total is 0). */
  valueShare: number;
  /** Mean CLV (past plus future) in the group (0 when empty). */
  meanClv: number;
  /** Mean future value, SV + IV (0 when empty). */
  meanFuture: number;
  /** Mean current value, CV (past). */
  meanCv: number;
  /** Mean stock value, SV (future). */
  meanSv: number;
  /** Mean potential value, PV (the study's name for SV): equal to `meanSv`. */
  meanPv: number;
  /** Mean incremental value, IV (future). */
  meanIv: number;
}

/**
 * Portfolio totals of the 3D model, split into past and future value.
 * @category Three-dimensional CLV
 */
export interface Clv3dTotals {
  /** Past value: sum of CV, the realised margin to date (compounded to asOf). */
  past: number;
  /** Future value over the horizon: sum of SV + IV. */
  future: number;
  /** The future value at today's spending level: sum of SV. */
  stock: number;
  /** The study's name for the same total, sum of PV: equal to `stock`. */
  potential: number;
  /** The future value from growth: sum of IV. */
  incremental: number;
  /** past + future: the sum of the 3D CLVs (not a forecast: it includes the spend to date). */
  pastPlusFuture: number;
}

/**
 * AHP weights of one dimension's indicators, with their names.
 * @category Three-dimensional CLV
 */
export interface Clv3dDimensionWeights extends AhpWeightsResult {
  /** Indicator names, in the order of `weights`. */
  indicators: string[];
}

/**
 * Result of {@link clv3d}.
 * @category Three-dimensional CLV
 */
export interface Clv3dResult {
  /** Per customer, in input order. */
  customers: Clv3dCustomer[];
  /** The settings of the future values (SV, IV): horizon, margin, discount rate per period and per year. */
  settings: FutureValueSettings;
  /** Portfolio totals: past (CV), future (SV + IV) and their sum. */
  totals: Clv3dTotals;
  /** The eight groups in the order HHH, HHL, ..., LLL (empty groups included). */
  groups: Clv3dGroupSummary[];
  /** 80/20 check on CLV = past + future (`paretoAnalysis`, negatives counted as zero). */
  pareto: ParetoAnalysisResult;
  /** AHP weights per dimension, with the indicator names. */
  weights: {
    /** Current value. */
    cv: Clv3dDimensionWeights;
    /** Stock value. */
    sv: Clv3dDimensionWeights;
    /** Potential value (the study's name for SV): the same object as `sv`. */
    pv: Clv3dDimensionWeights;
    /** Incremental value. */
    iv: Clv3dDimensionWeights;
  };
  /** Weights of the three dimension scores in `valueScore`. */
  valueWeights: Clv3dValueWeights;
  /** How indicators were scored: `"quantiles"` or `"intervals"` (the `scoreBy` option). */
  scoreBy: "quantiles" | "intervals";
  /** High/low thresholds used on the three scores. */
  thresholds: {
    /** On the CV score. */
    cv: number;
    /** On the SV score. */
    sv: number;
    /** On the PV score: equal to `sv`. */
    pv: number;
    /** On the IV score. */
    iv: number;
  };
  /** The Weibull curve used (retention type "weibull"), else null. */
  weibull: {
    /** Weibull shape k. */
    shape: number;
    /** Weibull scale, in periods. */
    scale: number;
    /** The full fit when it was estimated here; null when given in the options. */
    fit: WeibullRetentionFit | null;
  } | null;
}

/** Names and suggested actions of the eight groups (see docs/value.md). */
const GROUPS: readonly { code: Clv3dGroupCode; name: string; action: string }[] = Object.freeze([
  { code: "HHH", name: "Star", action: "Retain at all costs: VIP service, personal account management, early access." },
  { code: "HHL", name: "Loyal mainstay", action: "Maintain: loyalty rewards and service quality; little growth headroom, so keep up-sell spending modest." },
  { code: "HLH", name: "At-risk grower", action: "Re-engage: find why current spending is low despite a rising trend; targeted offers to turn growth into steady spend." },
  { code: "HLL", name: "Fading veteran", action: "Win back at low cost: reactivation campaign, then let go if there is no response." },
  { code: "LHH", name: "Rising star", action: "Develop: cross-sell and up-sell, move to premium products and channels." },
  { code: "LHL", name: "Steady regular", action: "Keep efficiently: automated, low-cost retention; test small up-sell offers." },
  { code: "LLH", name: "Emerging prospect", action: "Nurture: targeted promotions to test and accelerate the growth." },
  { code: "LLL", name: "Low value", action: "Serve at minimum cost: self-service channels, no paid retention." },
]);

const DEFAULT_SCORING: { cv: Clv3dDimensionScoring; sv: Clv3dDimensionScoring; iv: Clv3dDimensionScoring } = Object.freeze({
  cv: {
    indicators: [
      { name: "currentValue", value: (x: Clv3dIndicatorInput) => x.cv },
      { name: "frequency", value: (x: Clv3dIndicatorInput) => x.summary.frequency },
      { name: "tenureDays", value: (x: Clv3dIndicatorInput) => x.summary.tenureDays },
    ],
    matrix: [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]],
  },
  sv: {
    indicators: [
      { name: "stockValue", value: (x: Clv3dIndicatorInput) => x.sv },
      { name: "spendPerPeriod", value: (x: Clv3dIndicatorInput) => x.summary.spendPerPeriod },
      { name: "recencyDays", value: (x: Clv3dIndicatorInput) => x.summary.recencyDays, direction: "lower" as const },
    ],
    matrix: [[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]],
  },
  iv: {
    indicators: [
      { name: "incrementalValue", value: (x: Clv3dIndicatorInput) => x.iv },
      { name: "growth", value: (x: Clv3dIndicatorInput) => x.growth },
    ],
    matrix: [[1, 2], [1 / 2, 1]],
  },
});

const CLV3D_DEFAULTS = Object.freeze({
  marginRate: 1,
  periodDays: 30,
  discountRate: 0.01,
  horizon: 12,
  retention: { type: "constant", rate: 0.9 } as Clv3dRetention,
  maxGrowth: 0.1,
  threshold: "median" as "median" | "mean",
  scoreBy: "quantiles" as "quantiles" | "intervals",
});

/**
 * The three-dimensional customer value model: current value (CV), stock value (SV) and
 * incremental value (IV) per customer, AHP-weighted indicator scores, eight high/low groups with
 * names and suggested actions, a summary per group and the 80/20 check on CLV.
 *
 * @remarks
 * With margin rate m, period length p days, discount d per period, horizon H, a customer's age
 * a = tenureDays / p periods, spending level L = `spendPerPeriod`, survival s_t = P(alive in
 * future period t) from the retention source and v = 1 / (1 + d):
 * - CV = m * totalSpend * ((1+d)^a - 1) / (a ln(1+d)): past spend spread evenly over the tenure
 *   and compounded to asOf (factor 1 when a = 0 or d = 0).
 * - SV = m * L * sum_{t=1..H} s_t v^t.
 * - IV = m * L * g * sum_{t=1..H} t s_t v^t: spend growing linearly by g * L per period; g is the
 *   given growth or the customer's estimated trend (OLS slope of spend over their complete past
 *   periods divided by its mean), clipped to [0, maxGrowth], so IV is never negative.
 * - CLV = CV + SV + IV.
 * CV is a past value (margin realised to date); SV and IV are future values over the horizon of
 * H periods at margin m and discount d per period, stated in `settings` (with the horizon in
 * months and the effective annual discount rate). `totals` splits the portfolio into `past`
 * (sum of CV) and `future` (sum of SV + IV); only `future` is comparable with a forecast such as
 * BG/NBD + Gamma-Gamma or Monte Carlo on the same settings.
 * Scoring (the study's route): each indicator is mapped onto 0..100, either by quantiles (the
 * default `scoreBy: "quantiles"`: its `breakpoints`, by default the data quintiles, linear within)
 * or, as the telecom study writes it, by preset business intervals (`scoreBy: "intervals"`: the
 * score of the row of the indicator's table in `intervals` that holds the value; tables checked by
 * `validateScoreIntervals`, a value outside its table is an error, never clamped); each dimension
 * score is the AHP-weighted sum of its indicator scores (`ahpWeights`: principal eigenvector, CR
 * reported); the overall `valueScore` = w_cv cvScore + w_pv pvScore + w_iv ivScore, weights equal,
 * given (`dimensionWeights`) or AHP (`dimensionMatrix`). The study's potential value PV is our SV:
 * every result carries both names (`pv` = `sv`, `pvScore` = `svScore`). A customer is high on a
 * dimension when its score is strictly above the threshold (median by default). H and L are on
 * the dimension's *score*, a blend of its indicators (CV: current value, frequency and tenure),
 * each group's `rule` says so. Groups that agree on the other two letters are ordered on the
 * third (HLH has a higher mean CV than LLH on realistic data); groups that differ on two letters
 * are not (HLH against LHL also differs on SV, which follows the spending level as CV does).
 * Source: SPEC section 3 (telecom CLV study; literature review 000). Complexity O(n log n).
 *
 * @param summaries - customer summaries (`summarizeCustomers`); not mutated.
 * @param options - see {@link Clv3dOptions}.
 * @returns customers, the eight group summaries, the Pareto check, AHP weights, the value-score weights and thresholds.
 * @throws {@link InvalidOptionError} for a bad option (including a bad AHP matrix, breakpoints or interval table: gap, overlap, rows out of order, a missing table).
 * @throws {@link InvalidRecordError} for a summary with a non-finite field, or an indicator value outside its interval table (row = customer id, field = indicator name).
 * @throws {@link AnalyticsError} from the Weibull fit when it cannot be estimated.
 * @example
 * ```ts
 * const s = summarizeCustomers(generateTransactions({ customers: 200, seed: 1 }));
 * const r = clv3d(s, { marginRate: 0.3 });
 * [r.customers.length, r.groups.length, r.groups.reduce((n, g) => n + g.count, 0)];
 * //=> [200, 8, 200]
 * [r.settings.horizonMonths, r.settings.marginRate, r.settings.annualDiscountRate.toFixed(4)];
 * //=> [12, 0.3, "0.1288"]
 * // PV is the study's name for SV; the value score weighs the three dimension scores (equal weights by default).
 * const c = r.customers[0];
 * [c.pv === c.sv, Math.abs(c.valueScore - (c.cvScore + c.svScore + c.ivScore) / 3) < 1e-9];
 * //=> [true, true]
 * ```
 * @category Three-dimensional CLV
 */
export function clv3d(summaries: readonly CustomerSummary[], options: Clv3dOptions = {}): Clv3dResult {
  const fn = "clv3d";
  const o = withDefaults(CLV3D_DEFAULTS, options);
  const opts = checkOptions(o, fn);
  const scoring = { ...DEFAULT_SCORING, ...definedOnly(o.scoring ?? {}) };
  for (const key of DIMENSION_KEYS) checkDimension(scoring[key], fn, key);
  const tables = resolveTables(o.intervals, opts.scoreBy, DIMENSION_KEYS.map((key) => scoring[key]), fn);
  if (!Array.isArray(summaries)) throw new InvalidOptionError(fn, "summaries", summaries, "an array of customer summaries");
  const n = summaries.length;
  for (let i = 0; i < n; i++) checkSummary(summaries[i], i, fn);
  // The record API is an adapter: the summaries as columns, then the columnar core.
  const cols: Clv3dColumns = {
    ids: summaries.map((s) => s.customerId),
    totalSpend: Float64Array.from(summaries, (s) => s.totalSpend),
    spendPerPeriod: Float64Array.from(summaries, (s) => s.spendPerPeriod),
    tenureDays: Float64Array.from(summaries, (s) => s.tenureDays),
    recencyDays: Float64Array.from(summaries, (s) => s.recencyDays),
    frequency: Float64Array.from(summaries, (s) => s.frequency),
  };

  // Growth per customer.
  const growthRaw = new Float64Array(n);
  if (typeof o.growth === "number") {
    checkNum(fn, "growth", o.growth, () => true, "a finite number or a Map");
    growthRaw.fill(o.growth);
  } else if (o.growth instanceof Map) {
    growthFromMap(o.growth, cols.ids, growthRaw, fn);
  } else if (o.growth !== undefined) {
    throw new InvalidOptionError(fn, "growth", o.growth, "a finite number or a Map from customer id to a number");
  } else if (o.transactions !== undefined) {
    estimateGrowth(summaries, o.transactions, opts.periodDays, growthRaw);
  }

  const v = computeValues(cols, opts, growthRaw, fn);
  const inputs: Clv3dIndicatorInput[] = summaries.map((s, i) => ({ summary: s, cv: v.cv[i], sv: v.sv[i], iv: v.iv[i], growth: v.growth[i], expectedPeriods: v.expectedPeriods[i] }));
  const dims = DIMENSION_KEYS.map((key, d) => {
    const dim = scoring[key];
    const values = dim.indicators.map((ind) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = ind.value(inputs[i]);
        if (typeof x !== "number") throw new InvalidRecordError(fn, { row: cols.ids[i], field: ind.name, value: x, expected: "a finite indicator value" });
        out[i] = x;
      }
      return out;
    });
    return scoreDimension(dim, values, cols.ids, fn, key, tables[d]);
  });
  const r = finish(cols, v, dims, opts.threshold, opts.valueWeights);
  const customers: Clv3dCustomer[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const grp = GROUPS[r.group[i]];
    customers[i] = {
      customerId: cols.ids[i],
      cv: v.cv[i],
      sv: v.sv[i],
      pv: v.sv[i],
      iv: v.iv[i],
      future: r.future[i],
      clv: r.clv[i],
      cvScore: r.cvScore[i],
      svScore: r.svScore[i],
      pvScore: r.svScore[i],
      ivScore: r.ivScore[i],
      valueScore: r.valueScore[i],
      growth: v.growth[i],
      expectedPeriods: v.expectedPeriods[i],
      group: grp.code,
      groupName: grp.name,
    };
  }
  return {
    customers,
    settings: opts.settings,
    totals: r.totals,
    groups: r.groups,
    pareto: r.pareto,
    weights: r.weights,
    valueWeights: opts.valueWeights,
    scoreBy: opts.scoreBy,
    thresholds: r.thresholds,
    weibull: v.weibull,
  };
}

/**
 * The summary fields {@link clv3dColumns} reads, one array per field, row i = customer `ids[i]`
 * (a `CustomerTable` from `summarizeCustomersTable` has them all).
 * @category Three-dimensional CLV
 */
export interface Clv3dColumns {
  /** Customer id per row (keys of the per-customer `Map` options; rows of errors). */
  readonly ids: readonly string[];
  /** Net revenue up to `asOf`. */
  readonly totalSpend: ArrayLike<number>;
  /** Spending level per period (`totalSpend / max(1, tenureDays / periodDays)`). */
  readonly spendPerPeriod: ArrayLike<number>;
  /** Whole days from the first purchase to `asOf`, >= 0. */
  readonly tenureDays: ArrayLike<number>;
  /** Whole days from the last purchase to `asOf`, >= 0. */
  readonly recencyDays: ArrayLike<number>;
  /** Purchase orders, >= 0. */
  readonly frequency: ArrayLike<number>;
}

/**
 * A scoring indicator of {@link clv3dColumns}: a column of values rather than a function per
 * customer. Without `values` the indicator is the built-in column called `name`: one of
 * `currentValue`, `stockValue`, `incrementalValue`, `growth`, `expectedPeriods`, `totalSpend`,
 * `spendPerPeriod`, `tenureDays`, `recencyDays`, `frequency`.
 * @category Three-dimensional CLV
 */
export interface Clv3dColumnIndicator {
  /** Name, reported with its AHP weight (and the built-in column's name when `values` is omitted). */
  readonly name: string;
  /** One finite value per customer. Default: the built-in column `name`. */
  readonly values?: ArrayLike<number>;
  /** As {@link Clv3dIndicator.breakpoints} (only with `scoreBy: "quantiles"`). Default: the 0, 20, ..., 100th percentiles. */
  readonly breakpoints?: readonly number[];
  /** `"higher"` or `"lower"` is better, applied to breakpoint scores (not to an interval table). Default `"higher"`. */
  readonly direction?: "higher" | "lower";
}

/**
 * How {@link clv3dColumns} scores one dimension: indicators (columns) and their AHP comparison matrix.
 * @category Three-dimensional CLV
 */
export interface Clv3dColumnScoring {
  /** The indicators, in the order of the matrix rows. */
  readonly indicators: readonly Clv3dColumnIndicator[];
  /** Pairwise comparison matrix of the indicators (AHP, Saaty scale). */
  readonly matrix: readonly (readonly number[])[];
}

/**
 * Options of {@link clv3dColumns}: those of {@link Clv3dOptions} (same defaults), with growth
 * also as a column and indicators as columns; no `transactions` (give the growth column, e.g. from
 * {@link spendGrowthColumn}).
 * @category Three-dimensional CLV
 */
export interface Clv3dColumnsOptions extends Omit<Clv3dOptions, "growth" | "transactions" | "scoring"> {
  /** Growth of spend per period: one number, a `Map` by customer id, or one number per row. Default 0. */
  growth?: number | ReadonlyMap<string, number> | ArrayLike<number>;
  /** Indicators and AHP matrices per dimension. Default: the indicators of {@link clv3d}, by name. */
  scoring?: {
    /** Current-value indicators and matrix. */
    readonly cv?: Clv3dColumnScoring;
    /** Stock-value indicators and matrix. */
    readonly sv?: Clv3dColumnScoring;
    /** Incremental-value indicators and matrix. */
    readonly iv?: Clv3dColumnScoring;
  };
}

/**
 * Result of {@link clv3dColumns}: one `Float64Array` per per-customer quantity (row i = customer
 * `ids[i]`), the group of each row as an index into `groups`, and the same summaries as
 * {@link clv3d}.
 * @category Three-dimensional CLV
 */
export interface Clv3dColumnsResult {
  /** Current value per row (past value). */
  cv: Float64Array;
  /** Stock value per row (future value over the horizon). */
  sv: Float64Array;
  /** Potential value per row, the study's name for SV: the same array as `sv`. */
  pv: Float64Array;
  /** Incremental value per row (future value over the horizon). */
  iv: Float64Array;
  /** Future value per row: sv + iv. */
  future: Float64Array;
  /** Past plus future value per row: cv + sv + iv. */
  clv: Float64Array;
  /** Current-value score per row, 0..100. */
  cvScore: Float64Array;
  /** Stock-value score per row. */
  svScore: Float64Array;
  /** Potential-value score per row: the same array as `svScore`. */
  pvScore: Float64Array;
  /** Incremental-value score per row. */
  ivScore: Float64Array;
  /** Overall customer value score per row, 0..100 (see {@link Clv3dCustomer.valueScore}). */
  valueScore: Float64Array;
  /** Growth used for IV per row (after clipping). */
  growth: Float64Array;
  /** Expected future periods alive within the horizon per row. */
  expectedPeriods: Float64Array;
  /** Group per row: index into `groups` (0 = HHH, 1 = HHL, ..., 7 = LLL). */
  group: Uint8Array;
  /** The settings of the future values, as {@link Clv3dResult.settings}. */
  settings: FutureValueSettings;
  /** Portfolio totals, past and future, as {@link Clv3dResult.totals}. */
  totals: Clv3dTotals;
  /** The eight groups in the order HHH, HHL, ..., LLL. */
  groups: Clv3dGroupSummary[];
  /** 80/20 check on CLV (past plus future). */
  pareto: ParetoAnalysisResult;
  /** AHP weights per dimension. */
  weights: Clv3dResult["weights"];
  /** Weights of the three dimension scores in `valueScore`. */
  valueWeights: Clv3dValueWeights;
  /** How indicators were scored (`scoreBy`). */
  scoreBy: "quantiles" | "intervals";
  /** High/low thresholds used on the three scores. */
  thresholds: Clv3dResult["thresholds"];
  /** The Weibull curve used, else null. */
  weibull: Clv3dResult["weibull"];
}

/**
 * {@link clv3d} on columns: summary columns in, one `Float64Array` per quantity out (no object
 * per customer). Same model, options (growth and indicators as columns) and numbers as
 * {@link clv3d}, which converts its records to columns and runs the same core.
 *
 * @remarks See {@link clv3d} for the formulas, the interval scoring and the value score.
 * Complexity O(n log n) (percentile breakpoints; O(n log rows) with interval tables).
 * @param columns - see {@link Clv3dColumns}; not mutated.
 * @param options - see {@link Clv3dColumnsOptions}.
 * @returns per-row columns, the group summaries, the Pareto check, weights and thresholds.
 * @throws {@link InvalidOptionError} for a bad option, a bad interval table or a column of the wrong length.
 * @throws {@link InvalidRecordError} for a non-finite or negative value, or an indicator value outside its interval table (row = customer id, field = indicator name).
 * @example
 * ```ts
 * const r = clv3dColumns(
 *   { ids: ["a"], totalSpend: [1200], spendPerPeriod: [100], tenureDays: [360], recencyDays: [10], frequency: [12] },
 *   { marginRate: 0.5, horizon: 3, growth: 0.05 },
 * );
 * [r.cv[0].toFixed(2), r.sv[0].toFixed(2), r.iv[0].toFixed(2)];
 * //=> ["637.29", "132.93", "12.78"]
 * [r.totals.past.toFixed(2), r.totals.future.toFixed(2), r.settings.horizonMonths];
 * //=> ["637.29", "145.71", 3]
 * ```
 * The telecom study's route: preset business intervals per indicator, an overall score with given weights.
 * ```ts
 * const t = clv3dColumns(
 *   { ids: ["a", "b"], totalSpend: [300, 3000], spendPerPeriod: [30, 150], tenureDays: [180, 1800], recencyDays: [5, 200], frequency: [6, 60] },
 *   {
 *     scoreBy: "intervals",
 *     intervals: {
 *       cv: { frequency: [{ from: 0, to: 12, score: 40 }, { from: 12, to: Infinity, score: 100 }] },
 *       pv: { spendPerPeriod: [{ from: 0, to: 100, score: 50 }, { from: 100, to: Infinity, score: 100 }] },
 *       iv: { growth: [{ from: 0, to: 0.05, score: 0 }, { from: 0.05, to: Infinity, score: 100 }] },
 *     },
 *     scoring: {
 *       cv: { indicators: [{ name: "frequency" }], matrix: [[1]] },
 *       sv: { indicators: [{ name: "spendPerPeriod" }], matrix: [[1]] },
 *       iv: { indicators: [{ name: "growth" }], matrix: [[1]] },
 *     },
 *     growth: [0.08, 0],
 *     dimensionWeights: { cv: 2, pv: 1, iv: 1 },
 *   },
 * );
 * // a: CV 40, PV 50, IV 100 -> 0.5 * 40 + 0.25 * 50 + 0.25 * 100 = 57.5; b: 100, 100, 0 -> 75
 * [Array.from(t.valueScore), t.pv === t.sv];
 * //=> [[57.5, 75], true]
 * ```
 * @category Three-dimensional CLV
 */
export function clv3dColumns(columns: Clv3dColumns, options: Clv3dColumnsOptions = {}): Clv3dColumnsResult {
  const fn = "clv3dColumns";
  const o = withDefaults(CLV3D_DEFAULTS, options);
  const opts = checkOptions(o, fn);
  const scoring = { ...DEFAULT_SCORING, ...definedOnly(o.scoring ?? {}) } as Record<"cv" | "sv" | "iv", { indicators: readonly (Clv3dColumnIndicator | Clv3dIndicator)[]; matrix: readonly (readonly number[])[] }>;
  for (const key of DIMENSION_KEYS) checkDimension(scoring[key] as Clv3dDimensionScoring, fn, key);
  const tables = resolveTables(o.intervals, opts.scoreBy, DIMENSION_KEYS.map((key) => scoring[key]), fn);
  if (columns === null || typeof columns !== "object" || !Array.isArray(columns.ids)) throw new InvalidOptionError(fn, "columns", columns, "{ ids, totalSpend, spendPerPeriod, tenureDays, recencyDays, frequency }");
  const n = columns.ids.length;
  for (const f of SUMMARY_FIELDS) {
    const c = columns[f];
    if (c === null || typeof c !== "object" || c.length !== n) throw new InvalidOptionError(fn, f, c === null || typeof c !== "object" ? c : `${c.length} values`, `${n} numbers (one per id)`);
  }
  for (let i = 0; i < n; i++) {
    if (typeof columns.ids[i] !== "string") throw new InvalidRecordError(fn, { row: i + 1, field: "ids", value: columns.ids[i], expected: "a string customer id" });
    for (const f of SUMMARY_FIELDS) {
      const v = columns[f][i];
      if (typeof v !== "number" || !Number.isFinite(v) || (f !== "totalSpend" && f !== "spendPerPeriod" && v < 0)) {
        throw new InvalidRecordError(fn, { row: columns.ids[i], field: f, value: v, expected: "a finite number (>= 0 for days and counts)" });
      }
    }
  }
  const growthRaw = new Float64Array(n);
  const g = o.growth;
  if (typeof g === "number") {
    checkNum(fn, "growth", g, () => true, "a finite number, a Map or a column");
    growthRaw.fill(g);
  } else if (g instanceof Map) {
    growthFromMap(g, columns.ids, growthRaw, fn);
  } else if (g !== undefined) {
    if (g === null || typeof g !== "object" || typeof (g as ArrayLike<number>).length !== "number" || (g as ArrayLike<number>).length !== n) throw new InvalidOptionError(fn, "growth", g, `a finite number, a Map from customer id to a number, or ${n} numbers`);
    for (let i = 0; i < n; i++) {
      const x = (g as ArrayLike<number>)[i];
      if (typeof x !== "number" || !Number.isFinite(x)) throw new InvalidRecordError(fn, { row: columns.ids[i], field: "growth", value: x, expected: "a finite number" });
      growthRaw[i] = x;
    }
  }
  const v = computeValues(columns, opts, growthRaw, fn);
  // Null prototype: an indicator called "constructor" or "toString" is not a built-in column.
  const builtIn: Record<string, ArrayLike<number>> = Object.assign(Object.create(null) as Record<string, ArrayLike<number>>, {
    currentValue: v.cv,
    stockValue: v.sv,
    incrementalValue: v.iv,
    growth: v.growth,
    expectedPeriods: v.expectedPeriods,
    totalSpend: columns.totalSpend,
    spendPerPeriod: columns.spendPerPeriod,
    tenureDays: columns.tenureDays,
    recencyDays: columns.recencyDays,
    frequency: columns.frequency,
  });
  const dims = DIMENSION_KEYS.map((key, d) => {
    const dim = scoring[key];
    const values = dim.indicators.map((ind, j) => {
      const given = (ind as Clv3dColumnIndicator).values;
      const col = given ?? builtIn[ind.name];
      if (!col || typeof col.length !== "number" || col.length !== n) {
        throw new InvalidOptionError(fn, `scoring.${key}.indicators[${j}]`, ind.name, `values (${n} numbers) or a built-in name: ${Object.keys(builtIn).join(", ")}`);
      }
      return Float64Array.from(col);
    });
    return scoreDimension(dim as Clv3dDimensionScoring, values, columns.ids, fn, key, tables[d]);
  });
  const r = finish(columns, v, dims, opts.threshold, opts.valueWeights);
  return {
    cv: v.cv,
    sv: v.sv,
    pv: v.sv,
    iv: v.iv,
    future: r.future,
    clv: r.clv,
    cvScore: r.cvScore,
    svScore: r.svScore,
    pvScore: r.svScore,
    ivScore: r.ivScore,
    valueScore: r.valueScore,
    growth: v.growth,
    expectedPeriods: v.expectedPeriods,
    group: r.group,
    settings: opts.settings,
    totals: r.totals,
    groups: r.groups,
    pareto: r.pareto,
    weights: r.weights,
    valueWeights: opts.valueWeights,
    scoreBy: opts.scoreBy,
    thresholds: r.thresholds,
    weibull: v.weibull,
  };
}

const SUMMARY_FIELDS = ["totalSpend", "spendPerPeriod", "tenureDays", "recencyDays", "frequency"] as const;

interface CheckedOptions {
  m: number;
  periodDays: number;
  d: number;
  H: number;
  maxGrowth: number;
  threshold: "median" | "mean";
  ret: Clv3dRetention;
  settings: FutureValueSettings;
  scoreBy: "quantiles" | "intervals";
  valueWeights: Clv3dValueWeights;
}

function checkNum(fn: string, name: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) throw new InvalidOptionError(fn, name, v, expected);
  return v;
}

/** The scalar options and the retention source, checked (shared by both entry points). */
function checkOptions(
  o: { marginRate: unknown; periodDays: unknown; discountRate: unknown; horizon: unknown; maxGrowth: unknown; threshold: unknown; retention: Clv3dRetention; scoreBy: unknown; intervals?: unknown; dimensionWeights?: unknown; dimensionMatrix?: unknown },
  fn: string,
): CheckedOptions {
  const m = checkNum(fn, "marginRate", o.marginRate, () => true, "a finite number");
  const periodDays = checkNum(fn, "periodDays", o.periodDays, (x) => x > 0, "a number > 0");
  const d = checkNum(fn, "discountRate", o.discountRate, (x) => x >= 0, "a finite number >= 0");
  const H = checkNum(fn, "horizon", o.horizon, (x) => Number.isInteger(x) && x >= 1, "a whole number >= 1");
  const maxGrowth = checkNum(fn, "maxGrowth", o.maxGrowth, (x) => x >= 0, "a finite number >= 0");
  if (o.threshold !== "median" && o.threshold !== "mean") throw new InvalidOptionError(fn, "threshold", o.threshold, '"median" or "mean"');
  const ret = o.retention;
  if (!ret || typeof ret !== "object") throw new InvalidOptionError(fn, "retention", ret, 'an object { type: "constant" | "weibull" | "perCustomer", ... }');
  if (ret.type === "constant") checkNum(fn, "retention.rate", ret.rate, (x) => x >= 0 && x <= 1, "a number in [0, 1]");
  else if (ret.type === "weibull") {
    if (ret.fit) {
      checkNum(fn, "retention.fit.shape", ret.fit.shape, (x) => x > 0, "a number > 0");
      checkNum(fn, "retention.fit.scale", ret.fit.scale, (x) => x > 0, "a number > 0");
    } else checkNum(fn, "retention.churnAfterDays", ret.churnAfterDays ?? 180, (x) => x >= 0, "a number >= 0");
  } else if (ret.type === "perCustomer") {
    if (!(ret.retention instanceof Map)) throw new InvalidOptionError(fn, "retention.retention", ret.retention, "a Map from customer id to a retention rate");
    if (ret.alive !== undefined && !(ret.alive instanceof Map)) throw new InvalidOptionError(fn, "retention.alive", ret.alive, "a Map from customer id to P(alive)");
    checkNum(fn, "retention.defaultRate", ret.defaultRate ?? 0.9, (x) => x >= 0 && x <= 1, "a number in [0, 1]");
  } else {
    throw new InvalidOptionError(fn, "retention.type", (ret as { type?: unknown }).type, '"constant", "weibull" or "perCustomer"');
  }
  if (o.scoreBy !== "quantiles" && o.scoreBy !== "intervals") throw new InvalidOptionError(fn, "scoreBy", o.scoreBy, '"quantiles" or "intervals"');
  if (o.scoreBy === "quantiles" && o.intervals !== undefined) throw new InvalidOptionError(fn, "intervals", o.intervals, 'no interval tables with scoreBy "quantiles" (the default); set scoreBy: "intervals" to score by them');
  const valueWeights = checkValueWeights(o.dimensionWeights, o.dimensionMatrix, fn);
  return { m, periodDays, d, H, maxGrowth, threshold: o.threshold as "median" | "mean", ret, settings: futureValueSettings(H, periodDays, m, d), scoreBy: o.scoreBy, valueWeights };
}

/** The weights of the overall value score: equal, given (normalised) or AHP from a 3 x 3 matrix. */
function checkValueWeights(given: unknown, matrix: unknown, fn: string): Clv3dValueWeights {
  if (given !== undefined && matrix !== undefined) throw new InvalidOptionError(fn, "dimensionWeights", given, "either dimensionWeights or dimensionMatrix, not both");
  let w: [number, number, number] = [1 / 3, 1 / 3, 1 / 3];
  let source: Clv3dValueWeights["source"] = "equal";
  let ahp: AhpWeightsResult | null = null;
  if (matrix !== undefined) {
    try {
      ahp = ahpWeights(matrix as readonly (readonly number[])[]);
    } catch (e) {
      throw new InvalidOptionError(fn, "dimensionMatrix", matrix, `a positive reciprocal 3 x 3 matrix in the order CV, PV, IV (${e instanceof Error ? e.message : String(e)})`);
    }
    if (ahp.weights.length !== 3) throw new InvalidOptionError(fn, "dimensionMatrix", matrix, "a 3 x 3 matrix in the order CV, PV, IV");
    w = [ahp.weights[0], ahp.weights[1], ahp.weights[2]];
    source = "ahp";
  } else if (given !== undefined) {
    if (given === null || typeof given !== "object") throw new InvalidOptionError(fn, "dimensionWeights", given, "an object { cv, pv, iv } of weights >= 0");
    const g = given as Record<string, unknown>;
    for (const key of Object.keys(g)) {
      if (key !== "cv" && key !== "pv" && key !== "sv" && key !== "iv") throw new InvalidOptionError(fn, `dimensionWeights.${key}`, g[key], "one of the keys cv, pv (or sv), iv");
    }
    if (g.pv !== undefined && g.sv !== undefined) throw new InvalidOptionError(fn, "dimensionWeights.sv", g.sv, "either pv or sv (the same dimension), not both");
    const raw = (["cv", g.pv !== undefined ? "pv" : "sv", "iv"] as const).map((key) => {
      const x = g[key] ?? 0;
      if (!(typeof x === "number" && Number.isFinite(x) && x >= 0)) throw new InvalidOptionError(fn, `dimensionWeights.${key}`, x, "a finite number >= 0");
      return x;
    });
    const total = raw[0] + raw[1] + raw[2];
    if (!(total > 0)) throw new InvalidOptionError(fn, "dimensionWeights", given, "at least one positive weight");
    w = [raw[0] / total, raw[1] / total, raw[2] / total];
    source = "given";
  }
  return { cv: w[0], pv: w[1], sv: w[1], iv: w[2], source, ahp };
}

const DIMENSION_KEYS = ["cv", "sv", "iv"] as const;

/**
 * The interval table of every indicator, per dimension in the order cv, sv, iv (null per
 * dimension with scoreBy "quantiles"), each table validated; with the option path used in errors.
 */
function resolveTables(
  intervals: unknown,
  scoreBy: "quantiles" | "intervals",
  dims: readonly { readonly indicators: readonly { readonly name: string; readonly breakpoints?: readonly number[] }[] }[],
  fn: string,
): ({ tables: (readonly ScoreInterval[])[]; path: string } | null)[] {
  if (scoreBy === "quantiles") return [null, null, null];
  if (intervals === null || typeof intervals !== "object") throw new InvalidOptionError(fn, "intervals", intervals, 'interval tables by dimension and indicator name, { cv: { currentValue: [...], ... }, pv: {...}, iv: {...} } (scoreBy is "intervals")');
  const all = intervals as Record<string, unknown>;
  for (const key of Object.keys(all)) {
    if (all[key] !== undefined && key !== "cv" && key !== "pv" && key !== "sv" && key !== "iv") throw new InvalidOptionError(fn, `intervals.${key}`, all[key], "one of the keys cv, pv (or sv), iv");
  }
  if (all.pv !== undefined && all.sv !== undefined) throw new InvalidOptionError(fn, "intervals.sv", all.sv, "either pv or sv (the same dimension), not both");
  return DIMENSION_KEYS.map((key, d) => {
    const optKey = key === "sv" && all.sv === undefined ? "pv" : key;
    const path = `intervals.${optKey}`;
    const byName = all[optKey];
    const inds = dims[d].indicators;
    let get: (name: string) => unknown;
    let names: string[];
    if (byName instanceof Map) {
      get = (name) => byName.get(name);
      names = [...byName.keys()].filter((k) => byName.get(k) !== undefined);
    } else if (byName !== null && typeof byName === "object" && !Array.isArray(byName)) {
      const rec = byName as Record<string, unknown>;
      get = (name) => (Object.hasOwn(rec, name) ? rec[name] : undefined);
      names = Object.keys(rec).filter((k) => rec[k] !== undefined);
    } else {
      throw new InvalidOptionError(fn, path, byName, `interval tables by indicator name for ${inds.map((i) => i.name).join(", ")} (scoreBy is "intervals")`);
    }
    const known = new Set<string>();
    inds.forEach((ind, j) => {
      if (known.has(ind.name)) throw new InvalidOptionError(fn, `scoring.${key}.indicators[${j}].name`, ind.name, "indicator names unique within a dimension (interval tables are looked up by name)");
      known.add(ind.name);
    });
    for (const name of names) if (!known.has(name)) throw new InvalidOptionError(fn, `${path}.${name}`, get(name), `the name of a ${optKey} indicator: ${[...known].join(", ")}`);
    const tables = inds.map((ind, j) => {
      if (ind.breakpoints !== undefined) throw new InvalidOptionError(fn, `scoring.${key}.indicators[${j}].breakpoints`, ind.breakpoints, 'no breakpoints with scoreBy "intervals" (the interval table scores the indicator)');
      const table = get(ind.name);
      if (table === undefined) throw new InvalidOptionError(fn, `${path}.${ind.name}`, undefined, `an interval table for the indicator ${ind.name} (scoreBy is "intervals")`);
      validateScoreIntervals(table as readonly ScoreInterval[], fn, `${path}.${ind.name}`);
      return table as readonly ScoreInterval[];
    });
    return { tables, path };
  });
}

function growthFromMap(map: ReadonlyMap<string, number>, ids: readonly string[], out: Float64Array, fn: string): void {
  for (let i = 0; i < ids.length; i++) {
    const g = map.get(ids[i]) ?? 0;
    if (typeof g !== "number" || !Number.isFinite(g)) throw new InvalidRecordError(fn, { row: ids[i], field: "growth", value: g, expected: "a finite number" });
    out[i] = g;
  }
}

interface Values {
  cv: Float64Array;
  sv: Float64Array;
  iv: Float64Array;
  growth: Float64Array;
  expectedPeriods: Float64Array;
  weibull: Clv3dResult["weibull"];
}

/** CV, SV, IV, clipped growth and expected periods per row (the retention source resolved, the Weibull curve fitted when asked). */
function computeValues(cols: Clv3dColumns, o: CheckedOptions, growthRaw: Float64Array, fn: string): Values {
  const { m, periodDays, d, H, maxGrowth, ret } = o;
  const n = cols.ids.length;
  let weibull: Clv3dResult["weibull"] = null;
  if (ret.type === "weibull") {
    if (ret.fit) weibull = { shape: ret.fit.shape, scale: ret.fit.scale, fit: null };
    else if (n > 0) {
      const churnAfter = ret.churnAfterDays ?? 180;
      const life = new Float64Array(n);
      const cens = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const churned = cols.recencyDays[i] > churnAfter;
        // Active span in periods, plus half a period so single-purchase customers have a positive lifetime.
        life[i] = (churned ? cols.tenureDays[i] - cols.recencyDays[i] : cols.tenureDays[i]) / periodDays + 0.5;
        cens[i] = churned ? 0 : 1;
      }
      const fit = fitWeibullRetention(life, cens, { periods: H });
      weibull = { shape: fit.shape, scale: fit.scale, fit };
    }
  }
  void fn;
  const v = 1 / (1 + d);
  const disc = new Float64Array(H);
  for (let t = 0; t < H; t++) disc[t] = Math.pow(v, t + 1);
  const surv = new Float64Array(H);
  const cv = new Float64Array(n), sv = new Float64Array(n), iv = new Float64Array(n), growth = new Float64Array(n), expPeriods = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const age = cols.tenureDays[i] / periodDays;
    survivalInto(ret, weibull, cols.ids[i], age, surv);
    let a0 = 0, a1 = 0, e = 0;
    for (let t = 0; t < H; t++) {
      a0 += surv[t] * disc[t];
      a1 += (t + 1) * surv[t] * disc[t];
      e += surv[t];
    }
    const compound = age > 0 && d > 0 ? Math.expm1(age * Math.log1p(d)) / (age * Math.log1p(d)) : 1;
    const g = Math.min(maxGrowth, Math.max(0, growthRaw[i]));
    cv[i] = m * cols.totalSpend[i] * compound;
    sv[i] = m * cols.spendPerPeriod[i] * a0;
    iv[i] = Math.max(0, m * cols.spendPerPeriod[i] * g * a1);
    growth[i] = g;
    expPeriods[i] = e;
  }
  return { cv, sv, iv, growth, expectedPeriods: expPeriods, weibull };
}

function checkDimension(dim: Clv3dDimensionScoring, fn: string, key: string): void {
  if (!dim || !Array.isArray(dim.indicators) || dim.indicators.length === 0) throw new InvalidOptionError(fn, `scoring.${key}`, dim, "{ indicators: [...], matrix: [[...]] } with at least one indicator");
}

/** Thresholds, groups (index per row), group summaries and the Pareto check from the three dimension scores. */
function finish(cols: Clv3dColumns, v: Values, dims: { scores: Float64Array; weights: Clv3dDimensionWeights }[], threshold: "median" | "mean", valueWeights: Clv3dValueWeights) {
  const n = cols.ids.length;
  const thresholds = dims.map((dim) => (n === 0 ? 0 : threshold === "median" ? median(dim.scores) : fsum(dim.scores) / n));
  const group = new Uint8Array(n);
  const clv = new Float64Array(n);
  const future = new Float64Array(n);
  const valueScore = new Float64Array(n);
  const { cv: wc, sv: ws, iv: wi } = valueWeights;
  const count = new Int32Array(GROUPS.length);
  for (let i = 0; i < n; i++) {
    const idx = (dims[0].scores[i] > thresholds[0] ? 0 : 4) + (dims[1].scores[i] > thresholds[1] ? 0 : 2) + (dims[2].scores[i] > thresholds[2] ? 0 : 1);
    group[i] = idx;
    valueScore[i] = wc * dims[0].scores[i] + ws * dims[1].scores[i] + wi * dims[2].scores[i];
    const f = v.sv[i] + v.iv[i];
    const c = v.cv[i] + f;
    future[i] = f;
    clv[i] = c;
    count[idx]++;
  }
  // group sums: exact (each group's money total correctly rounded)
  const k = GROUPS.length;
  const [gValue, gFuture, gCv, gSv, gIv] = [clv, future, v.cv, v.sv, v.iv].map((col) => fsumGroups(col, group, k));
  const acc = GROUPS.map((_, g) => ({ count: count[g], value: gValue[g], future: gFuture[g], cv: gCv[g], sv: gSv[g], iv: gIv[g] }));
  const stock = fsum(v.sv);
  const totals: Clv3dTotals = { past: fsum(v.cv), future: fsum(future), stock, potential: stock, incremental: fsum(v.iv), pastPlusFuture: fsum(clv) };
  const total = fsum(acc.map((a) => a.value));
  const totalFuture = fsum(acc.map((a) => a.future));
  const names = ["cvScore", "svScore", "ivScore"];
  const groups: Clv3dGroupSummary[] = GROUPS.map((g, k) => {
    const a = acc[k];
    const c = a.count || 1;
    const rule = names.map((name, j) => `${name} ${g.code[j] === "H" ? ">" : "<="} ${+thresholds[j].toFixed(2)}`).join(", ");
    return {
      group: g.code,
      name: g.name,
      action: g.action,
      count: a.count,
      customerShare: n ? a.count / n : 0,
      rule,
      past: a.cv,
      future: a.future,
      futureShare: totalFuture !== 0 ? a.future / totalFuture : 0,
      value: a.value,
      valueShare: total !== 0 ? a.value / total : 0,
      meanClv: a.count ? a.value / c : 0,
      meanFuture: a.count ? a.future / c : 0,
      meanCv: a.count ? a.cv / c : 0,
      meanSv: a.count ? a.sv / c : 0,
      meanPv: a.count ? a.sv / c : 0,
      meanIv: a.count ? a.iv / c : 0,
    };
  });
  const pareto = paretoAnalysis(Array.from(clv), { negatives: "zero" });
  return {
    clv,
    future,
    totals,
    group,
    cvScore: dims[0].scores,
    svScore: dims[1].scores,
    ivScore: dims[2].scores,
    valueScore,
    groups,
    pareto,
    weights: { cv: dims[0].weights, sv: dims[1].weights, pv: dims[1].weights, iv: dims[2].weights },
    thresholds: { cv: thresholds[0], sv: thresholds[1], pv: thresholds[1], iv: thresholds[2] },
  };
}

function survivalInto(ret: Clv3dRetention, weibull: Clv3dResult["weibull"], id: string, age: number, out: Float64Array): void {
  const H = out.length;
  if (ret.type === "constant") {
    let s = 1;
    for (let t = 0; t < H; t++) {
      out[t] = s;
      s *= ret.rate;
    }
  } else if (ret.type === "perCustomer") {
    const r = ret.retention.get(id) ?? ret.defaultRate ?? 0.9;
    const alive = ret.alive?.get(id) ?? 1;
    if (!(r >= 0 && r <= 1)) throw new InvalidRecordError("clv3d", { row: id, field: "retention", value: r, expected: "a rate in [0, 1]" });
    if (!(alive >= 0 && alive <= 1)) throw new InvalidRecordError("clv3d", { row: id, field: "alive", value: alive, expected: "a probability in [0, 1]" });
    let s = alive;
    for (let t = 0; t < H; t++) {
      out[t] = s;
      s *= r;
    }
  } else if (weibull) {
    // S(a + t - 1) / S(a) = exp(-(((a + t - 1)/lambda)^k - (a/lambda)^k)), computed in the exponent.
    const h0 = Math.pow(age / weibull.scale, weibull.shape);
    for (let t = 0; t < H; t++) out[t] = Math.exp(-(Math.pow((age + t) / weibull.scale, weibull.shape) - h0));
  } else {
    out.fill(1);
  }
}

/** Per-customer spend trend of record summaries (the adapter of {@link spendGrowthColumn}). */
function estimateGrowth(summaries: readonly CustomerSummary[], transactions: Iterable<Transaction> | TransactionTable, periodDays: number, out: Float64Array): void {
  const customers = {
    ids: summaries.map((s) => s.customerId),
    firstPurchase: Int32Array.from(summaries, (s) => Math.floor(s.firstPurchase.getTime() / 86_400_000)),
    tenureDays: Float64Array.from(summaries, (s) => s.tenureDays),
  };
  out.set(spendGrowthColumn(customers, toTransactionColumns(transactions, "clv3d"), { periodDays }));
}

/**
 * Options of {@link spendGrowthColumn}.
 * @category Three-dimensional CLV
 */
export interface SpendGrowthColumnOptions {
  /** Length of a period in days. Default 30. */
  periodDays?: number;
}

/**
 * Each customer's spend trend, the growth that `clv3d` estimates from a transaction log: the
 * OLS slope of the customer's net spend per complete past period, divided by its mean spend per
 * period (0 with fewer than two complete periods or a mean spend <= 0).
 *
 * @remarks
 * Periods run from the first purchase day in steps of `periodDays`; the complete ones are
 * floor((tenureDays + 1) / periodDays). One pass over the table's rows plus one over the
 * customers' periods: O(rows + customers x periods).
 *
 * @param customers - customer ids, first purchase (epoch days) and tenure in days per row, e.g. a `CustomerTable`.
 * @param table - the transaction table the customers were summarised from.
 * @param options - see {@link SpendGrowthColumnOptions}.
 * @returns the growth per customer row.
 * @throws {@link InvalidOptionError} for a bad `periodDays`.
 * @example
 * ```ts
 * const table = toTransactionTable([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-01-31"), amount: 20 },
 *   { customerId: "a", date: new Date("2024-03-01"), amount: 30 },
 * ]);
 * const { customers } = summarizeCustomersTable(table, { asOf: "2024-03-31" });
 * spendGrowthColumn(customers, table)[0];
 * //=> 0.5
 * ```
 * @category Three-dimensional CLV
 */
export function spendGrowthColumn(
  customers: { readonly ids: readonly string[]; readonly firstPurchase: ArrayLike<number>; readonly tenureDays: ArrayLike<number> },
  table: TransactionTable,
  options: SpendGrowthColumnOptions = {},
): Float64Array {
  const fn = "spendGrowthColumn";
  const { periodDays } = withDefaults({ periodDays: 30 }, options);
  if (!(typeof periodDays === "number" && Number.isFinite(periodDays) && periodDays > 0)) throw new InvalidOptionError(fn, "periodDays", periodDays, "a positive number of days");
  const n = customers.ids.length;
  const out = new Float64Array(n);
  const first = new Float64Array(n);
  const asOf = new Float64Array(n);
  const nPeriods = new Int32Array(n);
  const offset = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    first[i] = customers.firstPurchase[i];
    asOf[i] = customers.firstPurchase[i] + customers.tenureDays[i];
    nPeriods[i] = Math.floor((customers.tenureDays[i] + 1) / periodDays);
    offset[i] = total;
    total += Math.max(0, nPeriods[i]);
  }
  offset[n] = total;
  const spend = new Float64Array(total);
  // Table customer code -> row of `customers`.
  const custRow = new Int32Array(table.ids.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const c = table.index.get(customers.ids[i]);
    if (c !== undefined) custRow[c] = i;
  }
  for (let r = 0; r < table.length; r++) {
    const i = custRow[table.customer[r]];
    if (i < 0) continue;
    const day = table.day[r];
    if (day > asOf[i] || day < first[i]) continue;
    const j = Math.floor((day - first[i]) / periodDays);
    if (j < nPeriods[i]) spend[offset[i] + j] += table.amount[r];
  }
  for (let i = 0; i < n; i++) {
    const P = nPeriods[i];
    if (P < 2) continue;
    const o = offset[i];
    let mx = 0;
    for (let j = 0; j < P; j++) mx += spend[o + j];
    mx /= P;
    if (!(mx > 0)) continue;
    const mj = (P - 1) / 2;
    let sxy = 0, sxx = 0;
    for (let j = 0; j < P; j++) {
      sxy += (j - mj) * (spend[o + j] - mx);
      sxx += (j - mj) * (j - mj);
    }
    out[i] = sxy / sxx / mx;
  }
  return out;
}

function scoreDimension(
  dim: Clv3dDimensionScoring,
  values: readonly Float64Array[],
  ids: readonly string[],
  fn: string,
  key: string,
  intervals: { tables: readonly (readonly ScoreInterval[])[]; path: string } | null,
): { scores: Float64Array; weights: AhpWeightsResult & { indicators: string[] } } {
  checkDimension(dim, fn, key);
  let ahp: AhpWeightsResult;
  try {
    ahp = ahpWeights(dim.matrix);
  } catch (e) {
    throw new InvalidOptionError(fn, `scoring.${key}.matrix`, dim.matrix, `a positive reciprocal matrix (${e instanceof Error ? e.message : String(e)})`);
  }
  if (ahp.weights.length !== dim.indicators.length) throw new InvalidOptionError(fn, `scoring.${key}.matrix`, dim.matrix, `a ${dim.indicators.length} x ${dim.indicators.length} matrix (one row per indicator)`);
  const n = ids.length;
  const scores = new Float64Array(n);
  dim.indicators.forEach((ind, j) => {
    const vals = values[j];
    for (let i = 0; i < n; i++) {
      const x = vals[i];
      if (typeof x !== "number" || !Number.isFinite(x)) throw new InvalidRecordError(fn, { row: ids[i], field: ind.name, value: x, expected: "a finite indicator value" });
    }
    const w = ahp.weights[j];
    if (intervals) {
      // The study's route: the preset table gives each value's score; a value outside it is an error.
      const table = intervals.tables[j];
      for (let i = 0; i < n; i++) {
        const s = intervalScore(table, vals[i]);
        if (s < 0) {
          throw new InvalidRecordError(fn, { row: ids[i], field: ind.name, value: vals[i], expected: `a value covered by ${intervals.path}.${ind.name} (rows from ${table[0].from} to ${table[table.length - 1].to}); widen the table (first from -Infinity, last to Infinity) to score every value` });
        }
        scores[i] += w * s;
      }
      return;
    }
    let bp: Float64Array;
    if (ind.breakpoints) {
      bp = Float64Array.from(ind.breakpoints);
      if (bp.length < 2 || bp.some((b, k) => !Number.isFinite(b) || (k > 0 && b < bp[k - 1]))) {
        throw new InvalidOptionError(fn, `scoring.${key}.indicators[${j}].breakpoints`, ind.breakpoints, "at least 2 finite ascending numbers");
      }
    } else {
      const sorted = Float64Array.from(vals).sort();
      bp = n === 0 ? new Float64Array(6) : Float64Array.from([0, 0.2, 0.4, 0.6, 0.8, 1], (p) => quantileSorted(sorted, p));
    }
    const lower = ind.direction === "lower";
    for (let i = 0; i < n; i++) {
      const s = breakpointScore(vals[i], bp);
      scores[i] += w * (lower ? 100 - s : s);
    }
  });
  return { scores, weights: { ...ahp, indicators: dim.indicators.map((i) => i.name) } };
}

/** Piecewise-linear score: b0 -> 0, bK -> 100, evenly spaced in between, clamped. */
function breakpointScore(x: number, bp: Float64Array): number {
  const K = bp.length - 1;
  if (x <= bp[0]) return 0;
  if (x >= bp[K]) return 100;
  for (let i = 0; i < K; i++) {
    if (x <= bp[i + 1]) return (100 * (i + (x - bp[i]) / (bp[i + 1] - bp[i]))) / K;
  }
  return 100;
}

function checkSummary(s: CustomerSummary, i: number, fn: string): void {
  if (s === null || typeof s !== "object" || typeof s.customerId !== "string") throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: s?.customerId, expected: "a customer summary with a string customerId" });
  for (const f of ["totalSpend", "spendPerPeriod", "tenureDays", "recencyDays", "frequency"] as const) {
    const v = s[f];
    if (typeof v !== "number" || !Number.isFinite(v) || (f !== "totalSpend" && f !== "spendPerPeriod" && v < 0)) {
      throw new InvalidRecordError(fn, { row: s.customerId, field: f, value: v, expected: "a finite number (>= 0 for days and counts)" });
    }
  }
}
