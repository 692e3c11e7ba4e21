/**
 * The CRM manager's steps of `analyze`: customer profitability (profit zones, the whale curve,
 * ABC by profit), retention cohorts, and lifecycle stages. Each is a thin adapter from the shared
 * context to the analytic's public function (`customerProfitability`, `cohortTable` /
 * `periodRetention` / `retentionEstimates`, `lifecycleStages`).
 * @module
 */
import type { DictionaryColumn } from "../core/table.js";
import { InvalidOptionError } from "../core/errors.js";
import { lifecycleStages, type LifecycleReport, type LifecycleSettings, type LifecycleStageRow, type LifecycleStagesResult } from "../lifecycle/index.js";
import {
  customerProfitability,
  type CustomerProfitabilityReport,
  type ProfitabilityAbc,
  type ProfitabilityTotals,
  type ProfitSource,
  type ProfitZoneRow,
  type WhaleBase,
} from "../profitability/index.js";
import { cohortTable, periodRetention, retentionEstimates, type PeriodGrain, type PeriodRetentionRow, type RetentionEstimates, type RetentionReport } from "../retention/index.js";
import { futureValueByRow, logSpan, rowsOfSortedIds, SkipStep, type StepContext, wholeText } from "./context.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const int = (x: number) => x.toLocaleString("en-US");

/** Points kept of the whale curve in the step's output (the peak and both ends always among them). */
const WHALE_POINTS = 200;

/** Reason the profitability step gives when it has no profit source. @internal */
export const NO_PROFIT_SOURCE = "no cost or margin column and no margin rate below 1 (set margin / --margin, or map a cost or margin column)";
/** Reason the profitability step gives for a log without amounts. @internal */
export const NO_AMOUNTS_PROFIT = "the log has no amounts: profit needs revenue (cohorts and lifecycle still run on the orders)";

/** A dictionary column of rows sorted by id re-indexed to the customer table's rows (-1 where a customer has no row there). */
function alignCodes(ctx: StepContext, ids: readonly string[], column: DictionaryColumn): DictionaryColumn {
  const rowOf = rowsOfSortedIds(ctx, ids);
  const codes = new Int32Array(ctx.customers.length).fill(-1);
  for (let j = 0; j < ids.length; j++) if (rowOf[j] >= 0) codes[rowOf[j]] = column.codes[j];
  return { codes, values: column.values };
}

/** The whale curve as the profitability step reports it. @category Pipeline */
export interface WhaleCurveSummary {
  /** Customers on the curve. */
  customers: number;
  /** What the shares are divided by (`"total"` unless total profit <= 0; see `whaleCurve`). */
  base: WhaleBase;
  /** At most 200 points: share of customers (most profitable first) and cumulative profit over the base; the first, the peak and the last point always kept. */
  points: {
    /** Share of the customers up to this point, most profitable first, 0..1. */
    customerShare: number;
    /** Cumulative profit of those customers over the base (1 = 100%). */
    cumulativeShare: number;
  }[];
  /** Highest point of the curve (1 = 100%). */
  peak: number;
  /** Customers before the peak (the profitable ones). */
  peakCustomers: number;
  /** `peakCustomers / customers`. */
  peakCustomerShare: number;
  /** Share of the base the loss-makers destroy (`peak − 1` when the base is the total). */
  lossShare: number;
  /** Total profit. */
  total: number;
  /** Sum of the positive profits. */
  gains: number;
  /** Sum of the negative profits, as a positive number. */
  losses: number;
}

/** Output of the `profitability` step (`result.results.profitability`). @category Pipeline */
export interface ProfitabilityStepOutput {
  /** Where line profit came from: the table's `cost` column, its `margin` column, or the margin rate. */
  source: ProfitSource;
  /** The source in words, for the summary and the report. */
  sourceText: string;
  /** Margin rate used (`source: "marginRate"`), else null. */
  marginRate: number | null;
  /** Cost to serve per purchase order. */
  costPerOrder: number;
  /** Cost to serve per return line. */
  costPerReturnLine: number;
  /** Future value behind the "potentially profitable" zone, or null when no value step ran. */
  futureValueSource: string | null;
  /** Revenue, product cost, gross profit, cost to serve, profit (exact sums over the customers). */
  totals: ProfitabilityTotals;
  /** The three zones: profitable, potentially profitable, unprofitable. */
  zones: ProfitZoneRow[];
  /** The whale curve, downsampled. */
  whale: WhaleCurveSummary;
  /** ABC classes by profit and by revenue (four rows each: A, B, C, zero). */
  abc: ProfitabilityAbc;
  /** Accounting of the input (rows after asOf, lines without cost given zero profit, customers not in the customer table). */
  report: CustomerProfitabilityReport;
}

/** The evenly spaced curve points plus the peak and the last point. */
function whalePoints(cumulative: Float64Array, peakAt: number): { customerShare: number; cumulativeShare: number }[] {
  const count = cumulative.length - 1;
  if (count <= 0) return [{ customerShare: 0, cumulativeShare: 0 }];
  const step = Math.max(1, Math.ceil(count / (WHALE_POINTS - 3)));
  const pick = new Set<number>();
  for (let i = 0; i <= count; i += step) pick.add(i);
  pick.add(peakAt);
  pick.add(count);
  return [...pick].sort((a, b) => a - b).map((i) => ({ customerShare: i / count, cumulativeShare: cumulative[i] }));
}

export const profitabilityStep = (ctx: StepContext): ProfitabilityStepOutput => {
  if (!ctx.amounts) throw new SkipStep(NO_AMOUNTS_PROFIT);
  const t = ctx.table;
  const { margin, costPerOrder, costPerReturnLine } = ctx.options;
  // A cost or margin column is data about each line: it wins over a flat rate. A table with both
  // uses the cost column (the margin column is then ignored, and the source says so).
  let source: ProfitSource;
  let sourceText: string;
  if (t.cost) {
    source = "cost";
    sourceText = t.margin ? "the cost column (the margin column is not used)" : "the cost column";
  } else if (t.margin) {
    source = "margin";
    sourceText = "the margin column";
  } else if (margin < 1) {
    source = "marginRate";
    sourceText = `a margin rate of ${+(margin * 100).toFixed(2)}% of each amount`;
  } else throw new SkipStep(NO_PROFIT_SOURCE);
  const future = futureValueByRow(ctx);
  const p = customerProfitability(t, {
    source,
    ...(source === "marginRate" ? { marginRate: margin } : {}),
    // A line without cost or margin gets zero profit and is counted, rather than stopping the analysis.
    missing: "zero",
    asOf: ctx.asOf,
    ids: ctx.customers.ids,
    costPerOrder,
    costPerReturnLine,
    ...(future ? { futureValue: Float64Array.from(future.values, (x) => (Number.isNaN(x) ? 0 : x)) } : {}),
  });
  ctx.out.setColumn("profit", Float64Array.from(p.profit, (x) => Math.round(x * 100) / 100));
  ctx.out.setDictionary("profitZone", p.zone);
  ctx.out.setDictionary("abcByProfit", p.abcByProfit);
  const w = p.whale;
  const whale: WhaleCurveSummary = {
    customers: w.count,
    base: w.base,
    points: whalePoints(w.cumulative, w.peakCustomers),
    peak: w.peak,
    peakCustomers: w.peakCustomers,
    peakCustomerShare: w.peakCustomerShare,
    lossShare: w.lossShare,
    total: w.total,
    gains: w.gains,
    losses: w.losses,
  };
  const profitable = p.zones[0];
  const curve =
    w.base === "total"
      ? `whale curve peaks at ${pct(w.peak)} after ${pct(w.peakCustomerShare)} of customers (the loss-makers lose ${pct(w.lossShare)} of total profit)`
      : w.base === "gains"
        ? `total profit is not positive: the loss-makers lose ${pct(w.lossShare)} of what the profitable customers earn`
        : "no customer is profitable";
  const missing = p.report.missingRows > 0 ? `; ${int(p.report.missingRows)} line${p.report.missingRows === 1 ? "" : "s"} without a ${source} given zero profit` : "";
  ctx.lines.push(
    `Profitability (${sourceText}${costPerOrder || costPerReturnLine ? `, cost to serve ${costPerOrder}/order and ${costPerReturnLine}/return line` : ""}): profit ${wholeText(p.totals.profit)} on revenue ${wholeText(p.totals.revenue)}; ` +
      `${int(profitable.count)} profitable customers (${pct(profitable.customerShare)}); ${curve}${missing}`,
  );
  return {
    source,
    sourceText,
    marginRate: source === "marginRate" ? margin : null,
    costPerOrder,
    costPerReturnLine,
    futureValueSource: future ? future.source : null,
    totals: p.totals,
    zones: p.zones,
    whale,
    abc: p.abc,
    report: p.report,
  };
};

/** One acquisition cohort as the cohorts step reports it: its cells by periods since acquisition. @category Pipeline */
export interface CohortRow {
  /** Cohort label (period of the first purchase: `"2024-01"`, `"2024-Q1"`, or a Monday). */
  cohort: string;
  /** Customers acquired in it. */
  customers: number;
  /** Periods observed, from the acquisition period to the period of the analysis day (the arrays' length). */
  observed: number;
  /** Active customers k periods after acquisition (k = 0 is the acquisition period). */
  active: number[];
  /** `active / customers`. */
  retention: number[];
  /** Net revenue k periods after acquisition (null for a log without amounts). */
  revenue: number[] | null;
  /** Revenue over the period-0 revenue; null cells where the period-0 revenue is <= 0 (all null without amounts). */
  revenueRetention: (number | null)[];
}

/** Output of the `cohorts` step (`result.results.cohorts`). @category Pipeline */
export interface CohortsStepOutput {
  /** Cohort length used. */
  grain: PeriodGrain;
  /** Cohort length asked for (`"auto"`: months for logs up to three years, quarters beyond). */
  grainAsked: "auto" | PeriodGrain;
  /** Whether the analysis day is not the last day of its period (that period's activity is understated). */
  partialLastPeriod: boolean;
  /** Acquisition cohorts, oldest first. Cells a cohort has not reached are absent (not zero). */
  cohorts: CohortRow[];
  /** Period-to-period retention of the whole base. */
  periods: PeriodRetentionRow[];
  /** Pooled period-to-period retention (Σ retained / Σ previously active), or null. */
  overallRate: number | null;
  /**
   * The constant retention estimate (survival "alive") with its counts, the per-cohort survivor
   * counts (the sBG model's input) and the pooled curve; a partial last period is left out
   * (`dropLastPeriod`), since its purchases are not all in yet.
   */
  estimates: RetentionEstimates;
  /** Whether the last period was left out of `estimates`. */
  lastPeriodDropped: boolean;
  /** Accounting of the input (customers whose lines are all returns have no cohort). */
  report: RetentionReport;
}

/** The cohort grain of an analysis: `"auto"` is months for logs up to three years (asOf − first day <= 3 × 365 days), quarters beyond. @internal */
export function chooseCohortGrain(ctx: StepContext): PeriodGrain {
  const asked = ctx.options.cohortGrain;
  if (asked !== "auto") return asked;
  const { first, last } = logSpan(ctx);
  return last - first > 3 * 365 ? "quarter" : "month";
}

export const cohortsStep = (ctx: StepContext): CohortsStepOutput => {
  const grain = chooseCohortGrain(ctx);
  const table = cohortTable(ctx.table, { grain, asOf: ctx.asOf });
  if (table.matrix.cohorts.length === 0) throw new SkipStep("no customer with a purchase: no acquisition cohort");
  const base = periodRetention(ctx.table, { grain, asOf: ctx.asOf });
  const partial = !table.report.lastPeriodComplete;
  const estimates = retentionEstimates(table, { dropLastPeriod: partial });
  ctx.out.setDictionary("cohort", alignCodes(ctx, table.customers.ids, table.customers.cohort));
  const byCohort = new Map<string, CohortRow>();
  const m = table.matrix;
  m.cohorts.forEach((cohort, j) => byCohort.set(cohort, { cohort, customers: m.size[j], observed: m.observed[j], active: [], retention: [], revenue: ctx.amounts ? [] : null, revenueRetention: [] }));
  for (const cell of table.tidy) {
    const row = byCohort.get(cell.cohort)!;
    row.active.push(cell.active);
    row.retention.push(cell.retention);
    row.revenue?.push(cell.revenue);
    row.revenueRetention.push(ctx.amounts ? cell.revenueRetention : null);
  }
  const r = estimates.retention;
  const estimateText =
    r === null
      ? "no customer was at risk of lapsing yet (one period of data): no retention estimate"
      : `constant retention ${r.toFixed(3)} per ${grain} from ${int(estimates.survived)} of ${int(estimates.atRisk)} customers at risk (still buying later)`;
  ctx.lines.push(
    `Cohorts by ${grain}: ${m.cohorts.length} cohorts; period-to-period retention ${base.overallRate === null ? "n/a" : pct(base.overallRate)}; ${estimateText}` +
      (partial ? `; the last ${grain} is partial (left out of the estimate)` : ""),
  );
  return {
    grain,
    grainAsked: ctx.options.cohortGrain,
    partialLastPeriod: partial,
    cohorts: [...byCohort.values()],
    periods: base.periods,
    overallRate: base.overallRate,
    estimates,
    lastPeriodDropped: partial,
    report: table.report,
  };
};

/** Output of the `lifecycle` step (`result.results.lifecycle`). @category Pipeline */
export interface LifecycleStepOutput {
  /** One row per stage (new, growth, maturity, decline, churned): count, customer share, revenue and its share, value and its share. */
  stages: LifecycleStageRow[];
  /** What `value` is: a future value (see the profitability step), or net revenue when no value step ran. */
  valueSource: string;
  /** Thresholds used (asOf, cadence fallback, ratios, windows, tolerance). */
  settings: LifecycleSettings;
  /** Accounting of the input. */
  report: LifecycleReport;
}

export const lifecycleStep = (ctx: StepContext): LifecycleStepOutput => {
  const future = futureValueByRow(ctx);
  const ids = ctx.customers.ids;
  // The stages' rows are the customers with a purchase by asOf, sorted by id: the customer
  // table's rows, so the future value goes in as a column (customers not valued: 0). Should the
  // rows ever differ, the stages are recomputed with the value keyed by id.
  const column = future ? Float64Array.from(future.values, (x) => (Number.isNaN(x) ? 0 : x)) : undefined;
  let s: LifecycleStagesResult | null = null;
  if (!column) s = lifecycleStages(ctx.table, { asOf: ctx.asOf });
  else {
    try {
      s = lifecycleStages(ctx.table, { asOf: ctx.asOf, value: column });
    } catch (e) {
      if (!(e instanceof InvalidOptionError)) throw e; // a column of another length: rows differ
    }
    if (s === null || !sameIds(s.ids, ids)) {
      const value = new Map<string, number>();
      for (let k = 0; k < ids.length; k++) value.set(ids[k], column[k]);
      s = lifecycleStages(ctx.table, { asOf: ctx.asOf, value });
    }
  }
  ctx.out.setDictionary("lifecycleStage", alignCodes(ctx, s.ids, s.stage));
  // No prospect list in the pipeline: the "prospect" row is always empty.
  const stages = s.stages.filter((x) => x.stage !== "prospect");
  const valueSource = future ? `future value: ${future.source}` : ctx.amounts ? "net revenue to date" : "none (the log has no amounts)";
  const parts = stages.map((x) => `${x.stage} ${int(x.count)} (${pct(x.customerShare)}${ctx.amounts ? `, ${pct(x.revenueShare)} of revenue` : ""})`);
  ctx.lines.push(`Lifecycle: ${parts.join(", ")}`);
  return { stages, valueSource, settings: s.settings, report: s.report };
};

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
