import { toTransactionColumns } from "../core/columns.js";
import { toEpochDay } from "../core/time.js";
import type { CustomerSummary, Transaction } from "../core/types.js";
import type { CustomerRow, StepName } from "./analyze.js";

/** Thrown by a step whose input is missing: the step is skipped with the reason. @internal */
export class SkipStep extends Error {}

/** What a step receives. @internal */
export interface StepContext {
  transactions: readonly Transaction[];
  summaries: readonly CustomerSummary[];
  asOf: string;
  seed: number;
  rows: Map<string, CustomerRow>;
  results: Partial<Record<StepName, unknown>>;
  lines: string[];
  /** The analysis options with defaults filled in. */
  options: AnalysisSettings;
  /** Per-customer behaviour from the BG/NBD + Gamma-Gamma step, read by the Monte Carlo step (not serialised). */
  behaviour?: Map<string, { pAlive: number; purchasesPerMonth: number; spend: number | null }>;
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
  churnModel: "logistic" | "tree" | "forest";
  /** Monte Carlo draws per customer. */
  draws: number;
  /** Monte Carlo worker threads. */
  threads: number | "auto";
  /** Range of k tried by the clustering step. */
  kRange: readonly [number, number];
  /** Minimum support of the association rules. */
  rulesMinSupport: number;
  /** Minimum confidence of the association rules. */
  rulesMinConfidence: number;
}

/** A pipeline step: fills `ctx.rows` fields and returns its output. @internal */
export type Step = (ctx: StepContext) => unknown | Promise<unknown>;

/** Write fields into a customer's row. @internal */
export function set(ctx: StepContext, id: string, fields: Record<string, string | number | boolean | null>): void {
  const row = ctx.rows.get(id);
  if (row) Object.assign(row, fields);
}

/** Round to 4 decimals. @internal */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** First day of the log and the analysis day, as epoch days (from the shared columns). @internal */
export function logSpan(ctx: StepContext): { first: number; last: number } {
  const { day } = toTransactionColumns(ctx.transactions);
  let first = Infinity;
  for (let i = 0; i < day.length; i++) if (day[i] < first) first = day[i];
  return { first, last: toEpochDay(ctx.asOf, "analyze", "asOf") };
}
