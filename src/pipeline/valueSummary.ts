/**
 * One vocabulary of value for the analysis: every money total the pipeline reports is either
 * past value (realised to date) or future value over the stated horizon, at the stated margin
 * and discount rate. The three forward-looking models are put side by side on the same settings.
 * @module
 */
import { wholeText } from "./context.js";
import type { AnalysisSettings } from "./context.js";

/** Days in a month of the pipeline's value steps (3D CLV, BG/NBD + Gamma-Gamma, Monte Carlo). @internal */
export const MONTH_DAYS = 30;

/**
 * One forward-looking value model's total over the horizon.
 * @category Pipeline
 */
export interface FutureValueEstimate {
  /** Which model: the 3D model, the buy-till-you-die transaction model the clv step chose (BG/NBD, MBG/NBD or Pareto/NBD, named in `label`) + Gamma-Gamma, or the Monte Carlo mean. */
  model: "clv3d" | "btyd-gamma-gamma" | "monte-carlo";
  /** Readable name, as the report prints it. */
  label: string;
  /** Expected total over the horizon (discounted, at the margin). */
  total: number;
  /** 5th and 95th percentiles of the total over simulated futures (Monte Carlo only). */
  p5?: number;
  /** See `p5`. */
  p95?: number;
  /** Customers the total covers. */
  customers: number;
  /** Customers left out of this model, and why (0 when none). */
  leftOut: number;
  /** Why those customers were left out. */
  leftOutReason?: string;
}

/**
 * The value figures of an analysis, each labelled with what it is.
 * @category Pipeline
 */
export interface ValueSummary {
  /** The settings every figure below uses. */
  settings: {
    /** Months ahead (of `monthDays` days) for future values. */
    horizonMonths: number;
    /** Gross margin as a share of spend (1 = values are revenue). */
    margin: number;
    /** Discount rate per month. */
    discountRatePerMonth: number;
    /** Days in a month. */
    monthDays: number;
  };
  /** Past value: realised margin to date (the 3D model's CV, compounded to today at the discount rate); null when the value step did not run. */
  past: {
    /** Sum of CV over customers. */
    total: number;
    /** Customers. */
    customers: number;
  } | null;
  /** Future value over the horizon, one row per model that ran. */
  future: FutureValueEstimate[];
  /** Why the future figures differ, in one paragraph. */
  note: string;
}

/** The inputs of {@link valueSummary}: totals as the value, clv and Monte Carlo steps return them. @internal */
export interface ValueSummaryInput {
  settings: AnalysisSettings;
  customers: number;
  clv3d?: { past: number; future: number } | undefined;
  bgnbd?: { label: string; total: number; valued: number; leftOut: number; leftOutReason?: string } | undefined;
  monteCarlo?: { mean: number; p5: number; p95: number; customers: number } | undefined;
}

/** Put the value totals of an analysis side by side (see {@link ValueSummary}). @internal */
export function valueSummary(input: ValueSummaryInput): ValueSummary {
  const { settings, customers } = input;
  const future: FutureValueEstimate[] = [];
  if (input.clv3d) future.push({ model: "clv3d", label: "3D model (SV + IV)", total: input.clv3d.future, customers, leftOut: 0 });
  if (input.bgnbd) {
    future.push({
      model: "btyd-gamma-gamma",
      label: `${input.bgnbd.label} + Gamma-Gamma`,
      total: input.bgnbd.total,
      customers: input.bgnbd.valued,
      leftOut: input.bgnbd.leftOut,
      ...(input.bgnbd.leftOutReason ? { leftOutReason: input.bgnbd.leftOutReason } : {}),
    });
  }
  if (input.monteCarlo) {
    const m = input.monteCarlo;
    future.push({ model: "monte-carlo", label: "Monte Carlo (mean)", total: m.mean, p5: m.p5, p95: m.p95, customers: m.customers, leftOut: customers - m.customers });
  }
  return {
    settings: { horizonMonths: settings.horizonMonths, margin: settings.margin, discountRatePerMonth: settings.discountRate, monthDays: MONTH_DAYS },
    past: input.clv3d ? { total: input.clv3d.past, customers } : null,
    future,
    note: future.length > 1 ? DIFFERENCE_NOTE : "",
  };
}

const DIFFERENCE_NOTE =
  "The future figures answer the same question (expected discounted value over the horizon) under different assumptions. " +
  "The 3D model carries each customer's own monthly spending level forward (SV) plus their spending trend (IV), weighted by one Weibull survival curve fitted to the whole base, so a customer who has gone quiet still counts until the curve says otherwise. " +
  "The buy-till-you-die model (BG/NBD, MBG/NBD or Pareto/NBD, whichever a back-test chose) + Gamma-Gamma infers from each customer's purchase pattern how likely they are to be still active and how often they will buy, and shrinks their spend per purchase toward the base average; it usually gives less weight to customers who have been silent long. " +
  "Monte Carlo simulates that model's behaviour (or each customer's own history when it did not run) with the Weibull survival curve and gives the spread of the total.";

const SHORT_NOTE =
  "They differ by assumption: the 3D model carries each customer's spending level forward under one survival curve for the base; the buy-till-you-die model judges per customer whether they are still active (see the report).";


/** The settings sentence: "next 12 months, margin 100%, discount 1.0%/month". @internal */
export function settingsText(s: ValueSummary["settings"]): string {
  return `next ${s.horizonMonths} months of ${s.monthDays} days, margin ${+(s.margin * 100).toFixed(1)}%${s.margin === 1 ? " (values are revenue)" : ""}, discount ${+(s.discountRatePerMonth * 100).toFixed(2)}% per month`;
}

/** The value block of the console summary. @internal */
export function valueSummaryLines(v: ValueSummary): string[] {
  if (!v.past && v.future.length === 0) return [];
  const rows: [string, string, string][] = [];
  if (v.past) rows.push(["past value to date (3D CV)", wholeText(v.past.total), ""]);
  for (const f of v.future) {
    const spread = f.p5 !== undefined && f.p95 !== undefined ? `  P5 ${wholeText(f.p5)}, P95 ${wholeText(f.p95)}` : "";
    const out = f.leftOut > 0 ? `  ${f.leftOut.toLocaleString("en-US")} customers not valued${f.leftOutReason ? `: ${f.leftOutReason}` : ""}` : "";
    rows.push([`future value, ${f.label}`, wholeText(f.total), `${spread}${out}`]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = [`Value (future = ${settingsText(v.settings)}):`, ...rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}${c}`)];
  if (v.future.length > 1) lines.push(`  ${SHORT_NOTE}`);
  return lines;
}
