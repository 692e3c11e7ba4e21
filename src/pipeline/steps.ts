/**
 * The analytic steps of `analyze`, each a thin adapter from the shared context to one
 * analytic's public function. Each step writes its per-customer fields into `ctx.rows` and
 * returns its model/summary output (plain data).
 * @module
 */
import { behaviorMatrix } from "../matrix/index.js";
import { abcClasses, paretoAnalysis, rfm, rfmHeatmap, segmentSummary } from "../rfm/index.js";
import type { StepName } from "./analyze.js";
import type { Step, StepContext } from "./context.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function set(ctx: StepContext, id: string, fields: Record<string, string | number | boolean | null>): void {
  const row = ctx.rows.get(id);
  if (row) Object.assign(row, fields);
}

const rfmStep: Step = (ctx) => {
  const result = rfm(ctx.summaries);
  for (const c of result.customers) set(ctx, c.customerId, { rfmR: c.r, rfmF: c.f, rfmM: c.m, rfmCell: c.cell, rfmSegment: c.segment });
  const segments = segmentSummary(result);
  const top = segments[0];
  if (top) ctx.lines.push(`RFM: ${segments.length} segments; largest revenue share: ${top.key} (${top.count} customers, ${pct(top.revenueShare)} of revenue)`);
  return {
    segments,
    thresholds: result.thresholds,
    scoreCounts: result.scoreCounts,
    emptyScores: result.emptyScores,
    warnings: result.warnings,
    heatmap: rfmHeatmap(result).cells,
  };
};

const matrixStep: Step = (ctx) => {
  const result = behaviorMatrix(ctx.summaries);
  for (const c of result.customers) set(ctx, c.customerId, { behaviorQuadrant: c.quadrant });
  const best = result.summary.find((q) => q.quadrant === "best");
  if (best) ctx.lines.push(`Behaviour matrix: best customers ${best.count} (${pct(best.customerShare)}) hold ${pct(best.revenueShare)} of revenue`);
  return { summary: result.summary, thresholds: result.thresholds };
};

const abcStep: Step = (ctx) => {
  const values = ctx.summaries.map((s) => s.totalSpend);
  const abc = abcClasses(values, { negatives: "zero" });
  ctx.summaries.forEach((s, i) => set(ctx, s.customerId, { abcClass: abc.classes[i] }));
  const pareto = paretoAnalysis(values, { negatives: "zero" });
  ctx.lines.push(`Pareto: top 20% of customers hold ${pct(pareto.topShare)} of revenue; Gini ${pareto.gini.toFixed(3)}`);
  return { groups: abc.groups, thresholds: abc.thresholds, pareto };
};

/** The step implementations by name (`analyze` runs them in `STEP_NAMES` order). @internal */
export const STEPS: Partial<Record<StepName, Step>> = {
  rfm: rfmStep,
  matrix: matrixStep,
  abc: abcStep,
};
