/**
 * The survival step of `analyze`: time to churn per customer (churned = no purchase within the
 * churn window after the last one), Kaplan-Meier curves for the whole base, per first-purchase
 * cohort and per cluster, with log-rank tests between the groups.
 * @module
 */
import { churnSurvivalData, cohortLabels, kaplanMeier, kaplanMeierByGroup, logRankTest, type KaplanMeierCurve } from "../survival/index.js";
import type { DictionaryColumn } from "../core/table.js";
import { SkipStep, pValueText, type StepContext } from "./context.js";
import { MONTH_DAYS } from "./valueSummary.js";

/** Points kept per curve in the step's output (the report draws them as steps). */
const MAX_POINTS = 120;
/** Groups with fewer customers than this are left out of the per-group curves. */
const MIN_GROUP = 20;

/**
 * One Kaplan-Meier curve as the survival step reports it (months of 30 days, at most
 * 120 points: the curve at evenly spaced event times, the last point kept).
 * @category Pipeline
 */
export interface SurvivalCurveSummary {
  /** Group label ("all customers", a cohort, a cluster). */
  group: string;
  /** Customers in the group. */
  customers: number;
  /** Churn events in the group. */
  churned: number;
  /** Median months to churn, or null when the curve stays above 0.5. */
  medianMonths: number | null;
  /** Months since the first purchase. */
  months: number[];
  /** Share not yet churned at each time. */
  survival: number[];
  /** Lower 95% bound (log interval, as R's survfit). */
  lower: number[];
  /** Upper 95% bound. */
  upper: number[];
}

/** A log-rank test between the curves of one grouping. @category Pipeline */
export interface SurvivalComparison {
  /** What the groups are. */
  by: "cohort" | "cluster";
  /** Chi-square statistic. */
  chisq: number;
  /** Degrees of freedom. */
  df: number;
  /** p-value. */
  p: number;
  /** One curve per group with at least 20 customers. */
  curves: SurvivalCurveSummary[];
}

/** Output of the `survival` step. @category Pipeline */
export interface SurvivalStepOutput {
  /** The churn rule behind the event times, in words. */
  rule: string;
  /** Churn window, days. */
  windowDays: number;
  /** The whole base. */
  overall: SurvivalCurveSummary;
  /** Per first-purchase cohort (quarters, or years for logs longer than three years) and per cluster, when that step ran. */
  comparisons: SurvivalComparison[];
}

function summarize(group: string, c: KaplanMeierCurve): SurvivalCurveSummary {
  const m = c.time.length;
  const pick: number[] = [];
  const step = Math.max(1, Math.ceil(m / MAX_POINTS));
  for (let i = 0; i < m; i += step) pick.push(i);
  if (m > 0 && pick[pick.length - 1] !== m - 1) pick.push(m - 1);
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    group,
    customers: c.n,
    churned: c.events,
    medianMonths: c.median === null ? null : r4(c.median),
    months: pick.map((i) => r4(c.time[i])),
    survival: pick.map((i) => r4(c.surv[i])),
    lower: pick.map((i) => r4(c.lower[i])),
    upper: pick.map((i) => r4(c.upper[i])),
  };
}

function compare(by: SurvivalComparison["by"], time: Float64Array, status: Uint8Array, labels: readonly (string | null)[]): SurvivalComparison | null {
  const counts = new Map<string, number>();
  for (const l of labels) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
  const kept = labels.map((l) => (l !== null && (counts.get(l) ?? 0) >= MIN_GROUP ? l : null));
  if (new Set(kept.filter((l) => l !== null)).size < 2) return null;
  const test = logRankTest(time, status, kept);
  const curves = [...kaplanMeierByGroup(time, status, kept)].map(([g, c]) => summarize(g, c));
  return { by, chisq: test.chisq, df: test.df, p: test.p, curves };
}

export const survivalStep = (ctx: StepContext): SurvivalStepOutput => {
  const windowDays = ctx.options.churnWindowDays;
  const data = churnSurvivalData(ctx.customers, { churnWindowDays: windowDays, unitDays: MONTH_DAYS });
  let churned = 0;
  for (let i = 0; i < data.status.length; i++) churned += data.status[i];
  if (churned === 0) throw new SkipStep(`no customer has been silent for ${windowDays} days yet: no churn event to build survival curves from`);
  const overall = summarize("all customers", kaplanMeier(data.time, data.status));
  const comparisons: SurvivalComparison[] = [];
  // Cohorts by quarter of the first purchase (by year for logs longer than three years).
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < ctx.customers.length; i++) {
    const d = ctx.customers.firstPurchase[i];
    if (d < first) first = d;
    if (d > last) last = d;
  }
  const cohorts = compare("cohort", data.time, data.status, cohortLabels(ctx.customers, last - first > 3 * 365 ? "year" : "quarter"));
  if (cohorts) comparisons.push(cohorts);
  const cluster = ctx.out.columns.get("clusterLabel") as DictionaryColumn | undefined;
  if (cluster) {
    const byCluster = compare("cluster", data.time, data.status, Array.from(cluster.codes, (c) => (c < 0 ? null : String(cluster.values[c]))));
    if (byCluster) comparisons.push(byCluster);
  }
  const median = overall.medianMonths === null ? "more than half are still active at the end of the log" : `half have churned by ${overall.medianMonths.toFixed(1)} months after their first purchase`;
  const tests = comparisons.map((c) => `by ${c.by} log-rank ${pValueText(c.p)}`).join(", ");
  ctx.lines.push(`Survival (churned = silent ${windowDays} days): ${churned.toLocaleString("en-US")} of ${ctx.customers.length.toLocaleString("en-US")} churned; ${median}${tests ? `; ${tests}` : ""}`);
  return { rule: data.rule, windowDays, overall, comparisons };
};
