import { abcClasses, behaviorMatrix, paretoAnalysis, rfm, segmentSummary } from "../../src/index.js";
import type { DemoContext } from "./context.js";
import { fmt, heading, pct, printTable } from "./format.js";

/** Demo section: RFM segments, the customer behaviour matrix, and ABC / Pareto classes. */
export default function segmentationSection(ctx: DemoContext): void {
  const s = ctx.summaries;

  const res = rfm(s);
  heading(`RFM segments (quintile scores, default R x F grid, as of ${ctx.asOf})`);
  console.log(`cuts  R ${res.thresholds.r.map((c) => fmt(c, 1)).join(" / ")} days  F ${res.thresholds.f.map((c) => fmt(c, 1)).join(" / ")} orders  M ${res.thresholds.m.map((c) => fmt(c, 2)).join(" / ")}`);
  for (const w of res.warnings) console.log(`note: ${w.message}`);
  printTable(segmentSummary(res), [
    ["segment", (x) => x.key],
    ["customers", (x) => x.count],
    ["% customers", (x) => pct(x.customerShare)],
    ["% revenue", (x) => pct(x.revenueShare)],
    ["median R days", (x) => fmt(x.medianRecency, 0)],
    ["mean F", (x) => fmt(x.meanFrequency, 1)],
    ["mean M", (x) => fmt(x.meanMonetary)],
    ["AOV", (x) => fmt(x.averageOrderValue)],
  ]);

  const m = behaviorMatrix(s);
  heading("Customer behaviour matrix (purchase count x average amount, median split)");
  console.log(`thresholds: orders > ${fmt(m.thresholds.frequency, 1)} is high, average amount > ${fmt(m.thresholds.averageOrderValue)} is high`);
  printTable(m.summary, [
    ["quadrant", (x) => x.label.replace(/ \(.*\)$/, "")],
    ["customers", (x) => x.count],
    ["% customers", (x) => pct(x.customerShare)],
    ["% revenue", (x) => pct(x.revenueShare)],
    ["mean orders", (x) => fmt(x.meanFrequency, 1)],
    ["mean avg amount", (x) => fmt(x.meanAverageOrderValue)],
  ]);

  const spend = s.map((c) => Math.max(0, c.totalSpend));
  const negatives = s.filter((c) => c.totalSpend < 0).length;
  const p = paretoAnalysis(spend);
  heading("ABC classes and Pareto concentration (total spend)");
  console.log(`Gini ${p.gini.toFixed(4)}; the top ${pct(p.topFraction, 0)} (${fmt(p.topCount, 0)} customers) hold ${pct(p.topShare)}; zero-value customers ${fmt(p.zeroCount, 0)}${negatives ? ` (${negatives} with net returns counted as zero)` : ""}`);
  for (const by of ["value", "customers"] as const) {
    const a = abcClasses(spend, { by });
    console.log(`\nby ${by === "value" ? "cumulative value 80% / 95%" : "customer share 5% / 15% / 80%"}:`);
    printTable(a.groups, [
      ["class", (x) => x.class],
      ["customers", (x) => x.count],
      ["% customers", (x) => pct(x.customerShare)],
      ["% value", (x) => pct(x.valueShare)],
      ["min value", (x) => fmt(x.minValue)],
      ["max value", (x) => fmt(x.maxValue)],
    ]);
  }
}
