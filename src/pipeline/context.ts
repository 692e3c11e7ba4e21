import { toEpochDay } from "../core/time.js";
import type { CustomerTable, TransactionTable } from "../core/table.js";
import type { StepResults } from "./steps.js";
import type { ResultStore } from "./table.js";

/** Thrown by a step whose input is missing: the step is skipped with the reason. @internal */
export class SkipStep extends Error {}

/** What a step receives. @internal */
export interface StepContext {
  /** The transaction log (shared by every step; never mutated). */
  table: TransactionTable;
  /** The customer summaries as columns, sorted by id; row k of `out` is row k here. */
  customers: CustomerTable;
  asOf: string;
  seed: number;
  /** The per-customer output columns. */
  out: ResultStore;
  results: Partial<StepResults>;
  lines: string[];
  /** The analysis options with defaults filled in. */
  options: AnalysisSettings;
  /** False for a log without amounts (`table.amountSource === "none"`): money outputs are left out. */
  amounts: boolean;
  /** Whether the caller set `draws` (then the Monte Carlo budget does not apply). */
  drawsGiven?: boolean;
  /** Monte Carlo budget override (tests only). */
  monteCarloBudget?: number;
  /** Today's churn risk from the churn step, by its rows (read by the campaign step; not serialised). */
  churnToday?: {
    /** Customer id per row. */
    ids: readonly string[];
    /** Feature columns per row. */
    columns: Record<string, Float64Array>;
    /** P(churn) per row. */
    risk: Float64Array;
    /** Future value per row (NaN: none), or null when none was estimated. */
    futureValue: Float64Array | null;
  };
  /** The fitted transaction model (BG/NBD, MBG/NBD or Pareto/NBD) and Gamma-Gamma models and their customer summaries (rows sorted by id), for the Monte Carlo step's parameter uncertainty (not serialised). */
  btyd?: {
    /** The transaction model fitted on the whole history, with its log-parameter covariance. */
    model: import("../clv/index.js").TransactionModel;
    /** Its name for people ("BG/NBD", "MBG/NBD", "Pareto/NBD"). */
    label: string;
    /** Gamma-Gamma fit. */
    spend: import("../clv/index.js").GammaGammaModel;
    /** x, t_x, T (weeks) and mean repeat spend per customer. */
    table: import("../core/table.js").CalibrationTable;
  };
  /** Per-customer behaviour from the BG/NBD + Gamma-Gamma step, read by the Monte Carlo step (not serialised). */
  behaviour?: {
    /** P(alive) by customer-table row (NaN: not scored). */
    pAlive: Float64Array;
    /** Purchases per month while alive, by row. */
    purchasesPerMonth: Float64Array;
    /** Expected spend per purchase, by row (NaN: not valued). */
    spend: Float64Array;
  };
}

/**
 * The settings an analysis ran with: {@link AnalyzeOptions} with every default filled in.
 * @category Pipeline
 */
export interface AnalysisSettings {
  /** Gross margin as a share of spend. */
  margin: number;
  /** Horizon of forward-looking values, months of 30 days. */
  horizonMonths: number;
  /** Discount rate per month. */
  discountRate: number;
  /** Churn window requested, days (the churn step reports the window it used). */
  churnWindowDays: number;
  /** Model behind the churn risk column. */
  churnModel: "logistic" | "tree" | "forest" | "boosting";
  /** Monte Carlo draws per customer. */
  draws: number;
  /** Monte Carlo worker threads. */
  threads: number | "auto";
  /** Range of k tried by the clustering step (both ends equal when `k` was given). */
  kRange: readonly [number, number];
  /** Minimum support of the association rules. */
  rulesMinSupport: number;
  /** Minimum confidence of the association rules. */
  rulesMinConfidence: number;
  /** Cost to serve per order. */
  costPerOrder: number;
  /** Cost to serve per return line. */
  costPerReturnLine: number;
  /** Cohort length of the cohorts step. */
  cohortGrain: "auto" | "month" | "quarter" | "week";
  /** The earlier analysis day of the migration step (ISO), or null. */
  compareAsOf: string | null;
  /** Cost per contact of the campaign step, or null (step skipped). */
  contactCost: number | null;
  /** Cost per offer. */
  offerCost: number;
  /** Campaign budget, or null for none. */
  campaignBudget: number | null;
  /** Assumed share of would-be churners a contact keeps. */
  successRate: number;
  /** The value step's scoring options (interval tables, dimension weights), or null for the defaults (quantile scores, equal weights). */
  valueScoring: import("./analyze.js").ValueScoringOptions | null;
  /** Transaction model of the clv step: `"auto"` (back-test) or the model asked for. */
  transactionModel: "auto" | "bg-nbd" | "mbg-nbd" | "pareto-nbd";
  /** Privacy mode (minimum group size), or null when off. */
  privacy: {
    /** Summary rows of fewer customers or baskets than this are dropped. */
    minGroupSize: number;
  } | null;
}

/** A pipeline step: fills `ctx.rows` fields and returns its output. @internal */
export type Step = (ctx: StepContext) => unknown | Promise<unknown>;

/** Output row of each customer code of the transaction table (-1: no summary row). @internal */
export function customerRows(ctx: StepContext): Int32Array {
  const rows = new Int32Array(ctx.table.ids.length).fill(-1);
  const { ids } = ctx.customers;
  for (let k = 0; k < ids.length; k++) {
    const c = ctx.table.index.get(ids[k]);
    if (c !== undefined) rows[c] = k;
  }
  return rows;
}

/**
 * Customer-table row of each id of a list sorted by id (usually the same customers: then k -> k);
 * -1 for an id the customer table does not have. One merge pass. @internal
 */
export function rowsOfSortedIds(ctx: StepContext, ids: readonly string[]): Int32Array {
  const out = new Int32Array(ids.length);
  const own = ctx.customers.ids;
  let j = 0;
  for (let k = 0; k < ids.length; k++) {
    while (j < own.length && own[j] < ids[k]) j++;
    out[k] = j < own.length && own[j] === ids[k] ? j : -1;
  }
  return out;
}

/** A total for people: rounded to a whole number, with thousands separators (`1,234`). @internal */
export const wholeText = (x: number): string => Math.round(x).toLocaleString("en-US");

/**
 * A p-value for people: `p = 0.0123`, `p = 2.3e-7`, or `p < 1e-300` below what a double shows
 * reliably (tails that small are rounding noise of the chi-square survival function). @internal
 */
export const pValueText = (p: number): string => (p < 1e-300 ? "p < 1e-300" : `p = ${p < 1e-4 ? p.toExponential(1) : p.toFixed(4)}`);

/** Round to 4 decimals. @internal */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** First day of the log and the analysis day, as epoch days (from the shared columns). @internal */
export function logSpan(ctx: StepContext): { first: number; last: number } {
  const { day } = ctx.table;
  let first = Infinity;
  for (let i = 0; i < day.length; i++) if (day[i] < first) first = day[i];
  return { first, last: toEpochDay(ctx.asOf, "analyze", "asOf") };
}

/**
 * Each customer's future value over the horizon, by customer-table row: the transaction model + Gamma-Gamma
 * when that step valued the customer, else the 3D model's SV + IV; null when neither ran. The
 * one rule of every step that weighs customers by future value (at-risk list, campaign,
 * profitability zones, lifecycle value). `NaN` = valued by neither model. @internal
 */
export function futureValueByRow(ctx: StepContext): { values: Float64Array; source: string } | null {
  const cols = ctx.out.columns;
  const bg = cols.get("predictedClv");
  const sv = cols.get("sv");
  const iv = cols.get("iv");
  const h = ctx.options.horizonMonths;
  if (bg instanceof Float64Array) {
    const values = Float64Array.from(bg);
    if (sv instanceof Float64Array && iv instanceof Float64Array) for (let k = 0; k < values.length; k++) if (Number.isNaN(values[k])) values[k] = sv[k] + iv[k];
    const label = (ctx.results.clv as { choice?: { label: string } } | undefined)?.choice?.label ?? "BG/NBD";
    return { values, source: `${label} + Gamma-Gamma future value over the next ${h} months (3D SV + IV for customers it did not value)` };
  }
  if (sv instanceof Float64Array && iv instanceof Float64Array) {
    return { values: Float64Array.from(sv, (x, k) => x + iv[k]), source: `3D model future value (SV + IV) over the next ${h} months` };
  }
  return null;
}
