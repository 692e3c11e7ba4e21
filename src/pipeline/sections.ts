/**
 * Report sections, one per analytic step; each returns null when its step did not run.
 * Charts are Vega-Lite specs rendered to static SVG (see `html.ts`).
 * @module
 */
import { pValueText, wholeText } from "./context.js";
import type { BehaviorQuadrantSummary } from "../matrix/index.js";
import type { AbcGroup, ParetoAnalysisResult, RfmHeatmapCell, SegmentSummaryRow } from "../rfm/index.js";
import type { Clv3dGroupSummary } from "../value/index.js";
import type { ChurnStepOutput } from "./churnStep.js";
import type { MonteCarloStepOutput, ValueStepOutput } from "./valueSteps.js";
import type { AnalysisResult } from "./analyze.js";
import { escapeHtml, htmlTable, type ReportSection } from "./html.js";
import { formatRule } from "../rules/format.js";
import { probabilityAliveMatrixChart, purchaseCountChart } from "../clv/diagnostics.js";
import type { TransactionModel } from "../clv/index.js";
import { AnalyticsError } from "../core/errors.js";
import type { DictionaryColumn } from "../core/table.js";
import { settingsText } from "./valueSummary.js";
import type { SurvivalCurveSummary } from "./survivalStep.js";
import { CRM_SECTION_BUILDERS } from "./crmSections.js";

type Builder = (r: AnalysisResult) => ReportSection | null;

const rfmSection: Builder = (r) => {
  const out = r.results.rfm as { segments: SegmentSummaryRow[]; heatmap: RfmHeatmapCell[] } | undefined;
  if (!out) return null;
  let maxMean = 0;
  for (const c of out.heatmap) if (c.count > 0 && c.meanMonetary !== null && c.meanMonetary > maxMean) maxMean = c.meanMonetary;
  const darkFrom = 0.55 * maxMean;
  const shares = out.segments.flatMap((s) => [
    { segment: s.key, measure: "share of customers", share: s.customerShare },
    { segment: s.key, measure: "share of revenue", share: s.revenueShare },
  ]);
  return {
    id: "rfm",
    title: "RFM segments",
    charts: [
      {
        title: "Segment sizes and revenue shares",
        data: { values: shares },
        mark: "bar",
        encoding: {
          y: { field: "segment", type: "nominal", sort: out.segments.map((s) => s.key), title: "segment" },
          yOffset: { field: "measure", type: "nominal" },
          x: { field: "share", type: "quantitative", axis: { format: "%" }, title: "share (%)" },
          color: { field: "measure", type: "nominal", title: null },
        },
      },
      {
        title: "R x F heatmap: mean spend per cell",
        data: { values: out.heatmap.map((c) => ({ ...c, label: c.count > 0 ? String(c.count) : "none" })) },
        encoding: {
          x: { field: "f", type: "ordinal", title: "F score (1 = fewest orders)" },
          y: { field: "r", type: "ordinal", sort: "descending", title: "R score (5 = most recent)" },
        },
        layer: [
          // Empty cells: hatched grey, so they do not read as a low value on the colour scale.
          { transform: [{ filter: "datum.count == 0" }], mark: { type: "rect", color: "#e4e7eb", stroke: "#9aa5b1", strokeDash: [3, 3] } },
          { transform: [{ filter: "datum.count > 0" }], mark: "rect", encoding: { color: { field: "meanMonetary", type: "quantitative", title: "mean spend" } } },
          // White numbers on the darker half of the colour scale.
          { mark: { type: "text", fontSize: 10 }, encoding: { text: { field: "label" }, color: { condition: { test: `datum.count > 0 && datum.meanMonetary > ${darkFrom}`, value: "white" }, value: "#1f2933" } } },
        ],
        width: 300,
        height: 260,
      },
    ],
    howToRead:
      "Top: for each segment, the blue bar is its share of customers and the orange bar its share of revenue; segments where revenue outruns headcount are the valuable ones. Bottom: each cell is an (R, F) score pair; darker means higher mean spend, the number is the customers in the cell, and grey dashed cells have no customers (not a low value). Scores come from quintile cuts where tied values share a score.",
    html: htmlTable(out.segments, [
      ["segment", (s) => s.key],
      ["customers", (s) => s.count],
      ["% customers", (s) => s.customerShare * 100],
      ["% revenue", (s) => s.revenueShare * 100],
      ["mean recency (days)", (s) => s.meanRecency],
      ["mean orders", (s) => s.meanFrequency],
      ["mean spend", (s) => s.meanMonetary],
    ]),
  };
};

const matrixSection: Builder = (r) => {
  const out = r.results.matrix as { summary: BehaviorQuadrantSummary[]; thresholds: { frequency: number | null; averageOrderValue: number | null } } | undefined;
  if (!out) return null;
  const values = out.summary.map((q) => ({
    frequency: q.quadrant === "best" || q.quadrant === "frequent" ? "high purchase count" : "low purchase count",
    amount: q.quadrant === "best" || q.quadrant === "spenders" ? "high average amount" : "low average amount",
    label: `${q.label.split(" (")[0]}: ${q.count} customers, ${(q.revenueShare * 100).toFixed(1)}% of revenue`,
    revenueShare: q.revenueShare,
  }));
  return {
    id: "matrix",
    title: "Customer behaviour matrix",
    charts: [
      {
        title: "Purchase count x average purchase amount",
        data: { values },
        width: 520,
        height: 220,
        encoding: {
          x: { field: "frequency", type: "nominal", sort: ["low purchase count", "high purchase count"], title: `purchase count (split at ${out.thresholds.frequency})`, axis: { labelAngle: 0 } },
          y: { field: "amount", type: "nominal", sort: ["high average amount", "low average amount"], title: `average amount (split at ${out.thresholds.averageOrderValue?.toFixed(2)})` },
        },
        layer: [
          { mark: "rect", encoding: { color: { field: "revenueShare", type: "quantitative", title: "revenue share", legend: { format: "%" } } } },
          {
            mark: { type: "text", fontSize: 11 },
            encoding: { text: { field: "label" }, color: { condition: { test: "datum.revenueShare > 0.4", value: "white" }, value: "black" } },
          },
        ],
      },
    ],
    howToRead:
      "Customers are split at the median purchase count and median average amount (a value equal to the median counts as low). Best customers buy often and spend much per purchase; Spenders buy rarely but big; Frequent customers buy often but small; Uncertain buy rarely and small. Colour shows each quadrant's share of revenue.",
  };
};

const abcSection: Builder = (r) => {
  const out = r.results.abc as { groups: AbcGroup[]; pareto: ParetoAnalysisResult } | undefined;
  if (!out) return null;
  const p = out.pareto;
  return {
    id: "pareto",
    title: "Value concentration: Lorenz curve and ABC classes",
    charts: [
      {
        title: `Lorenz curve (Gini ${p.gini.toFixed(3)})`,
        width: 360,
        height: 300,
        layer: [
          {
            data: { values: p.lorenz.map((l) => ({ customers: 1 - l.customerShare, value: 1 - l.valueShare })) },
            mark: { type: "line", interpolate: "linear" },
            encoding: {
              x: { field: "customers", type: "quantitative", axis: { format: "%" }, title: "top customers (by value)" },
              y: { field: "value", type: "quantitative", axis: { format: "%" }, title: "share of value" },
            },
          },
          {
            data: { values: [{ customers: 0, value: 0 }, { customers: 1, value: 1 }] },
            mark: { type: "line", strokeDash: [4, 4], color: "gray" },
            encoding: { x: { field: "customers", type: "quantitative" }, y: { field: "value", type: "quantitative" } },
          },
          {
            data: { values: [{ customers: p.topFraction, value: p.topShare, label: `top ${(p.topFraction * 100).toFixed(0)}% hold ${(p.topShare * 100).toFixed(1)}%` }] },
            layer: [
              { mark: { type: "point", filled: true, size: 80, color: "#d62728" }, encoding: { x: { field: "customers", type: "quantitative" }, y: { field: "value", type: "quantitative" } } },
              { mark: { type: "text", dx: 8, align: "left", baseline: "top" }, encoding: { x: { field: "customers", type: "quantitative" }, y: { field: "value", type: "quantitative" }, text: { field: "label" } } },
            ],
          },
        ],
      },
    ],
    howToRead:
      "The curve shows what share of total value (y) the top x% of customers hold; the dashed diagonal is perfect equality. The red point is the 80/20 check. The table gives the ABC classes by cumulative value share (A up to 80%, B to 95%, C the rest).",
    html: htmlTable(out.groups, [
      ["class", (g) => g.class],
      ["customers", (g) => g.count],
      ["% customers", (g) => g.customerShare * 100],
      ["% value", (g) => g.valueShare * 100],
    ]),
  };
};

const rulesSection: Builder = (r) => {
  const out = r.results.rules;
  if (!out) return null;
  const top = out.rules.slice(0, 15).map((x) => ({ ...x, rule: formatRule(x, { liftDigits: null }) }));
  const side = (items: readonly string[], names: readonly string[] | undefined) => (names ?? items).join(", ");
  return {
    id: "rules",
    title: "Association rules for cross-selling",
    charts: [
      {
        title: `Top rules by lift (${out.baskets.toLocaleString("en-US")} baskets, support >= ${(out.minSupport * 100).toFixed(1)}%)`,
        data: { values: top },
        mark: "bar",
        height: Math.max(120, 18 * top.length),
        encoding: {
          y: { field: "rule", type: "nominal", sort: null, title: null, axis: { labelLimit: 420 } },
          x: { field: "lift", type: "quantitative", title: "lift" },
          color: { field: "confidence", type: "quantitative", title: "confidence", legend: { format: "%" } },
        },
      },
    ],
    howToRead:
      "Each bar is a rule 'customers who buy the left side also buy the right side'. Lift says how many times more likely the right side is in such baskets than in an average basket (1 = no association); colour is the confidence, the share of baskets with the left side that also hold the right side. " +
      `${out.found.toLocaleString("en-US")} rules reach support ${(out.minSupport * 100).toFixed(1)}%, confidence ${(out.minConfidence * 100).toFixed(0)}% and lift ${out.minLift}` +
      (out.found > out.kept ? `; the ${out.kept} with the highest lift are kept, here and in rules.csv (each side as a JSON list of items).` : "; rules.csv lists them, each side as a JSON list of items."),
    html: htmlTable(top, [
      ["if the basket has", (x) => side(x.antecedent, x.antecedentNames)],
      ["then also", (x) => side(x.consequent, x.consequentNames)],
      ["support", (x) => x.support.toFixed(3)],
      ["confidence", (x) => x.confidence.toFixed(3)],
      ["lift", (x) => x.lift.toFixed(2)],
    ]),
  };
};

const clvSection: Builder = (r) => {
  const out = r.results.clv;
  if (!out?.holdout) return null;
  const h = out.holdout;
  const label = out.choice.label;
  const values = h.rows.flatMap((x) => [
    { x: x.label, kind: "actual", purchases: x.actual },
    { x: x.label, kind: `predicted (${label})`, purchases: x.predicted },
  ]);
  return {
    id: "clv",
    title: `${label}: predicted vs actual holdout purchases`,
    charts: [
      {
        title: `Mean purchases after ${h.calibrationEnd}, by repeat purchases before it`,
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "x", type: "ordinal", sort: null, title: "repeat purchases in the calibration period", axis: { labelAngle: 0 } },
          y: { field: "purchases", type: "quantitative", title: "mean purchases in holdout" },
          color: { field: "kind", type: "nominal", title: null },
        },
      },
    ],
    howToRead:
      "The model is fitted on the first half of the history only and then predicts each customer's purchases in the second half. Customers are grouped by how often they bought in the first half; the closer the two lines, the better the model tracks real behaviour. The customer table's pAlive, expectedPurchases and predictedClv come from a refit on the whole history. " +
      escapeHtml(`Why ${label}: ${out.choice.by === "back-test" ? `a back-test of BG/NBD, MBG/NBD, Pareto/NBD and a naive last-period baseline on this window chose it: ${out.choice.reason}` : out.choice.reason}`),
  };
};

interface ProfileRow {
  cluster: number;
  label: string;
  size: number;
  share: number;
  valueShare: number;
  features: { feature: string; mean: number; median: number }[];
}

/** Readable names of the customer-table fields the report shows. */
const FEATURE_LABELS: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  recencyDays: "days since last order",
  frequency: "orders",
  totalSpend: "spend (net)",
  averageOrderValue: "average order value",
  tenureDays: "days since first order",
});

const clusterSection: Builder = (r) => {
  const out = r.results.cluster;
  if (!out) return null;
  const choice = out.choice;
  const choiceHtml = choice
    ? `<p>${escapeHtml(`How k was chosen: ${choice.reason}`)}</p>` +
      htmlTable(choice.table, [
        ["k", (x) => x.k],
        ["mean silhouette (higher is better)", (x) => x.silhouette.toFixed(3)],
        ["Calinski-Harabasz (higher)", (x) => x.calinskiHarabasz.toFixed(1)],
        ["Davies-Bouldin (lower)", (x) => x.daviesBouldin.toFixed(3)],
        ["inertia", (x) => x.inertia.toFixed(1)],
        ["smallest cluster", (x) => `${(x.smallestShare * 100).toFixed(1)}%`],
      ])
    : `<p>k = ${out.k} was given.</p>`;
  const values = out.profiles.flatMap((p) => [
    { cluster: `${p.cluster}: ${p.label}`, measure: "share of customers", share: p.share },
    { cluster: `${p.cluster}: ${p.label}`, measure: "share of value", share: p.valueShare },
  ]);
  const featureNames = out.profiles[0]?.features.map((f) => f.feature) ?? [];
  return {
    id: "clusters",
    title: `Customer clusters (k-means, k = ${out.k})`,
    charts: [
      {
        title: "Cluster sizes and value shares",
        data: { values },
        mark: "bar",
        encoding: {
          y: { field: "cluster", type: "nominal", sort: null, title: null, axis: { labelLimit: 300 } },
          yOffset: { field: "measure", type: "nominal" },
          x: { field: "share", type: "quantitative", axis: { format: "%" }, title: "share (%)" },
          color: { field: "measure", type: "nominal", title: null },
        },
      },
    ],
    howToRead:
      "Customers are grouped by k-means on log-transformed, standardised recency, frequency and spend; clusters are numbered by value, highest first, and labelled by how their centre compares with the average customer. The table gives each cluster's median features and a rule from a shallow decision tree that picks out its members.",
    html: htmlTable(out.profiles, [
      ["cluster", (p) => p.cluster],
      ["label", (p) => p.label],
      ["customers", (p) => p.size],
      ...featureNames.map((name, j) => [`median ${FEATURE_LABELS[name] ?? name}`, (p: ProfileRow) => p.features[j]?.median ?? null] as [string, (p: ProfileRow) => unknown]),
      ["rule", (p) => out.rules.find((x) => x.cluster === p.cluster)?.rule ?? ""],
    ]) + choiceHtml,
  };
};

const valueSection: Builder = (r) => {
  const out = r.results.value as ValueStepOutput | undefined;
  if (!out) return null;
  const label = (g: Clv3dGroupSummary) => `${g.group} ${g.name}`;
  const values = out.groups.flatMap((g) => [
    { group: label(g), measure: "share of customers", share: g.customerShare },
    { group: label(g), measure: "share of CLV", share: g.valueShare },
  ]);
  const ret = out.retention;
  const retText = ret.source === "weibull" ? `a Weibull lifetime curve (shape ${ret.shape?.toFixed(2)}, scale ${ret.scale?.toFixed(1)} months)` : `a constant monthly retention of ${ret.rate}`;
  return {
    id: "value",
    title: "Three-dimensional CLV: current, stock and incremental value",
    charts: [
      {
        title: "The eight value groups (H/L on CV, SV, IV)",
        data: { values },
        mark: "bar",
        encoding: {
          y: { field: "group", type: "nominal", sort: out.groups.map(label), title: null, axis: { labelLimit: 260 } },
          yOffset: { field: "measure", type: "nominal" },
          x: { field: "share", type: "quantitative", axis: { format: "%" }, title: "share (%)" },
          color: { field: "measure", type: "nominal", title: null },
        },
      },
    ],
    howToRead:
      `Each customer's lifetime value is split into CV (past margin, compounded to today), SV (the margin expected from the current spending level over the horizon) and IV (the extra margin if their spending trend continues). Survival comes from ${retText}. ` +
      "Each dimension gets a 0-100 score that blends several indicators (AHP weights; the CV score, for one, mixes current value with purchase frequency and tenure); a customer is high (H) on a dimension when that score is above its threshold (the table's rule column). The code reads CV, SV, IV: HHH are the most valuable on every count, LLL the least. " +
      "Because the letters come from blended scores, compare groups that differ in one letter only (HLH with LLH, not with LHL): a group with H on CV has a higher mean CV than the matching L group. Bars compare each group's share of customers with its share of total CLV (past plus future); the table gives the suggested action.",
    html: htmlTable(out.groups, [
      ["group", (g) => g.group],
      ["name", (g) => g.name],
      ["customers", (g) => g.count],
      ["% CLV", (g) => (g.valueShare * 100).toFixed(1)],
      ["mean CV (past)", (g) => g.meanCv.toFixed(2)],
      ["mean SV", (g) => g.meanSv.toFixed(2)],
      ["mean IV", (g) => g.meanIv.toFixed(2)],
      ["rule", (g) => g.rule],
      ["suggested action", (g) => g.action],
    ]),
  };
};

const monteCarloSection: Builder = (r) => {
  const out = r.results.montecarlo as MonteCarloStepOutput | undefined;
  if (!out) return null;
  const p = out.portfolio;
  const marks = [
    { value: p.p5, label: `P5 ${Math.round(p.p5).toLocaleString("en-US")}` },
    { value: p.p50, label: `P50 ${Math.round(p.p50).toLocaleString("en-US")}` },
    { value: p.p95, label: `P95 ${Math.round(p.p95).toLocaleString("en-US")}` },
  ];
  const unit = r.settings.margin === 1 ? "revenue" : "margin";
  return {
    id: "montecarlo",
    title: `Monte Carlo CLV of the whole customer base (next ${out.horizonMonths} months)`,
    charts: [
      {
        title: `Total discounted ${unit} over ${out.draws.toLocaleString("en-US")} simulated futures`,
        width: 520,
        height: 260,
        layer: [
          {
            data: { values: p.histogram },
            mark: { type: "bar", color: "#4c78a8" },
            encoding: {
              x: { field: "lower", type: "quantitative", bin: { binned: true }, title: `portfolio total (${unit}, discounted)`, scale: { zero: false } },
              x2: { field: "upper" },
              y: { field: "count", type: "quantitative", title: "simulated futures" },
            },
          },
          {
            data: { values: marks },
            layer: [
              { mark: { type: "rule", color: "#d62728", strokeDash: [4, 3] }, encoding: { x: { field: "value", type: "quantitative" } } },
              { mark: { type: "text", angle: 270, align: "left", dx: -4, dy: -4, y: 4, color: "#d62728" }, encoding: { x: { field: "value", type: "quantitative" }, text: { field: "label" } } },
            ],
          },
        ],
      },
    ],
    howToRead:
      `Each simulated future follows every one of the ${out.customers.toLocaleString("en-US")} customers month by month: alive or not, purchases, spend (${out.behaviourSource}; future survival from the Weibull curve). ` +
      `The bars count futures by their portfolio total; the red lines mark the 5th, 50th and 95th percentiles, so 90% of futures fall between P5 and P95. The closed-form expected total is ${Math.round(out.expectedTotal).toLocaleString("en-US")}.` +
      (out.drawsNote ? ` Note: ${out.drawsNote}.` : "") +
      parameterText(out.parameterUncertainty),
  };
};

/** The montecarlo section's sentence on parameter uncertainty. */
function parameterText(pu: MonteCarloStepOutput["parameterUncertainty"]): string {
  if (!pu) return "";
  if ("skipped" in pu) return ` Parameter uncertainty was not simulated: ${pu.skipped}.`;
  const w = (x: number) => Math.round(x).toLocaleString("en-US");
  return (
    ` These futures hold the fitted parameters fixed. Simulating the ${pu.model} + Gamma-Gamma model with its parameters drawn from their estimated uncertainty as well (${pu.draws} futures) gives P5 ${w(pu.p5)}, P50 ${w(pu.p50)}, P95 ${w(pu.p95)}` +
    ` against ${w(pu.processOnly.p5)} to ${w(pu.processOnly.p95)} from process noise alone: the difference is what the limited history does not pin down.`
  );
}

const churnSection: Builder = (r) => {
  const out = r.results.churn as ChurnStepOutput | undefined;
  if (!out) return null;
  const groups = out.evaluation.gains.length;
  const line = (name: string, gains: { group: number; cumulativeCapture: number }[]) => [
    { contacted: 0, captured: 0, model: name },
    ...gains.map((g) => ({ contacted: g.group / groups, captured: g.cumulativeCapture, model: name })),
  ];
  const values = [
    ...line(`${out.model} (AUC ${out.evaluation.rocAuc?.toFixed(3) ?? "n/a"})`, out.evaluation.gains),
    ...line(`recency alone (AUC ${out.recencyBaseline.rocAuc?.toFixed(3) ?? "n/a"})`, out.recencyBaseline.gains),
    { contacted: 0, captured: 0, model: "random" },
    { contacted: 1, captured: 1, model: "random" },
  ];
  return {
    id: "churn",
    title: `Churn risk (churned = no purchase within ${out.windowDays} days)`,
    charts: [
      {
        title: `Cumulative gains on ${out.evaluation.testCustomers.toLocaleString("en-US")} held-out customers`,
        data: { values },
        mark: { type: "line", point: true },
        width: 420,
        height: 300,
        encoding: {
          x: { field: "contacted", type: "quantitative", axis: { format: "%" }, title: "customers contacted, highest risk first" },
          y: { field: "captured", type: "quantitative", axis: { format: "%" }, title: "share of all churners reached" },
          color: { field: "model", type: "nominal", title: null, legend: { orient: "bottom-right", direction: "vertical", labelLimit: 320 } },
        },
      },
    ],
    howToRead:
      `The model learned from features up to ${out.cutoff} which customers then went silent for ${out.windowDays} days, and was checked on 30% of customers it never saw. ` +
      "A point at (20%, 50%) means contacting the riskiest 20% reaches half of all churners; the higher the curve above the random diagonal, the better. " +
      (out.atRisk
        ? `The table is the list to act on. ${out.atRisk.rule} Future value: ${out.atRisk.futureValueSource}. Customers most likely gone already are not worth a retention offer, so they are left out rather than ranked first.`
        : "The table lists today's highest-risk customers (model refitted on all customers, applied to their current behaviour) with the main reason; no future value was estimated, so it is not ranked by value."),
    html:
      (out.atRisk
        ? htmlTable(out.atRisk.customers.slice(0, 15), [
            ["#", (c) => c.rank],
            ["customer", (c) => c.customerId],
            ["P(churn)", (c) => c.churnProbability.toFixed(3)],
            ["future value", (c) => c.futureValue.toFixed(2)],
            ["expected loss", (c) => c.expectedLoss.toFixed(2)],
            ["why", (c) => c.reason],
          ])
        : htmlTable(out.highestRisk.slice(0, 10), [
            ["#", (c) => c.rank],
            ["customer", (c) => c.customerId],
            ["P(churn)", (c) => c.probability.toFixed(3)],
            ["past spend", (c) => (c.value === null ? "" : c.value.toFixed(2))],
            ["main reason", (c) => c.reason],
          ])) +
      (out.treeRules.length ? `<p>Rules of a depth-3 tree, highest churn first:</p><ul>${out.treeRules.map((t) => `<li><code>${escapeHtml(t)}</code></li>`).join("")}</ul>` : ""),
  };
};


const valueOverviewSection: Builder = (r) => {
  const v = r.value;
  if (!v || (!v.past && v.future.length === 0)) return null;
  const rows: { what: string; model: string; total: string; spread: string; customers: string }[] = [];
  if (v.past) rows.push({ what: "past value (realised to date)", model: "3D model: CV", total: wholeText(v.past.total), spread: "", customers: v.past.customers.toLocaleString("en-US") });
  for (const f of v.future) {
    rows.push({
      what: `future value, next ${v.settings.horizonMonths} months`,
      model: f.label,
      total: wholeText(f.total),
      spread: f.p5 !== undefined && f.p95 !== undefined ? `${wholeText(f.p5)} to ${wholeText(f.p95)}` : "",
      customers: f.customers.toLocaleString("en-US") + (f.leftOut > 0 ? ` (${f.leftOut.toLocaleString("en-US")} not valued${f.leftOutReason ? `: ${f.leftOutReason}` : ""})` : ""),
    });
  }
  const bars = v.future.map((f) => ({ model: f.label, total: f.total, p5: f.p5 ?? f.total, p95: f.p95 ?? f.total }));
  return {
    id: "value-overview",
    title: "Value at a glance: past and future",
    charts: bars.length
      ? [
          {
            title: `Future value, ${settingsText(v.settings)}`,
            height: 40 * bars.length,
            data: { values: bars },
            layer: [
              { mark: "bar", encoding: { y: { field: "model", type: "nominal", sort: null, title: null, axis: { labelLimit: 260 } }, x: { field: "total", type: "quantitative", title: "expected total (discounted)" } } },
              { mark: { type: "rule", color: "#d62728" }, encoding: { y: { field: "model", type: "nominal", sort: null }, x: { field: "p5", type: "quantitative" }, x2: { field: "p95" } } },
            ],
          },
        ]
      : [],
    howToRead:
      `Every money figure in this report is either past value (what customers have already brought in, as margin, to the analysis day) or future value over the ${settingsText(v.settings)}. ` +
      "The three future figures are expected totals of the same thing under different models; the red line on the Monte Carlo bar is its 5th to 95th percentile range. " +
      v.note,
    html: htmlTable(rows, [
      ["value", (x) => x.what],
      ["model", (x) => x.model],
      ["total", (x) => x.total],
      ["90% range", (x) => x.spread],
      ["customers", (x) => x.customers],
    ]),
  };
};

/** The value of a dictionary-encoded result column at row k ("" when absent). */
function dictAt(col: unknown, k: number): string {
  const d = col as DictionaryColumn | undefined;
  if (!d || !("codes" in d)) return "";
  const c = d.codes[k];
  return c >= 0 ? String(d.values[c]) : "";
}

const topCustomersSection: Builder = (r) => {
  if (r.privacy) return null; // a customer-level table: never in a private report
  const cols = r.table.columns;
  const predicted = cols.get("predictedClv") as Float64Array | undefined;
  const sv = cols.get("sv") as Float64Array | undefined;
  const iv = cols.get("iv") as Float64Array | undefined;
  if (!predicted && !(sv && iv)) return null;
  const byBg = predicted !== undefined;
  const modelLabel = r.results.clv?.choice.label ?? "BG/NBD";
  const future = (k: number) => (byBg ? predicted![k] : sv![k] + iv![k]);
  const n = r.table.length;
  const top: number[] = [];
  for (let k = 0; k < n; k++) if (!Number.isNaN(future(k))) top.push(k);
  top.sort((a, b) => future(b) - future(a) || (r.table.ids[a] < r.table.ids[b] ? -1 : 1));
  top.length = Math.min(top.length, 15);
  const num = (name: string) => cols.get(name) as Float64Array | undefined;
  const spend = num("totalSpend")!;
  const pAlive = num("pAlive");
  const p5 = num("mcClvP5");
  const p95 = num("mcClvP95");
  const risk = num("churnRisk");
  const h = r.settings.horizonMonths;
  const fixed = (x: number | undefined, d: number) => (x === undefined || Number.isNaN(x) ? "" : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
  const columns: [string, (k: number) => unknown][] = [
    ["customer", (k) => r.table.ids[k]],
    ["past spend", (k) => fixed(spend[k], 2)],
    [`future value, ${h} months${byBg ? ` (${modelLabel} + Gamma-Gamma)` : " (3D: SV + IV)"}`, (k) => fixed(future(k), 2)],
  ];
  if (byBg && sv && iv) columns.push([`3D future value (SV + IV)`, (k) => fixed(sv[k] + iv[k], 2)]);
  if (p5 && p95) columns.push(["Monte Carlo 90% range", (k) => `${fixed(p5[k], 2)} to ${fixed(p95[k], 2)}`]);
  if (pAlive) columns.push(["P(alive)", (k) => fixed(pAlive[k], 3)]);
  if (risk) columns.push(["churn risk", (k) => fixed(risk[k], 3)]);
  if (cols.has("rfmSegment")) columns.push(["RFM segment", (k) => dictAt(cols.get("rfmSegment"), k)]);
  if (cols.has("clv3dGroupName")) columns.push(["3D group", (k) => dictAt(cols.get("clv3dGroupName"), k)]);
  return {
    id: "top-customers",
    title: `Top customers by future value (next ${h} months)`,
    charts: [],
    howToRead:
      `The ${top.length} customers with the highest expected future value over the ${settingsText(r.value.settings)}, ` +
      (byBg ? `as ${modelLabel} + Gamma-Gamma predicts it; the 3D column is the same horizon under the 3D model. ` : "as the 3D model predicts it (SV + IV). ") +
      "Past spend is net of returns, to the analysis day. These are the customers to keep: check that none of them is on the at-risk list.",
    html: htmlTable(top, columns),
  };
};

const survivalSection: Builder = (r) => {
  const out = r.results.survival;
  if (!out) return null;
  const lines = (curves: SurvivalCurveSummary[]) => curves.flatMap((c) => c.months.map((m, i) => ({ months: m, survival: c.survival[i], group: `${c.group} (${c.customers})` })));
  const chart = (title: string, curves: SurvivalCurveSummary[]) => ({
    title,
    data: { values: lines(curves) },
    mark: { type: "line", interpolate: "step-after" },
    width: 460,
    height: 260,
    encoding: {
      x: { field: "months", type: "quantitative", title: "months since first purchase" },
      y: { field: "survival", type: "quantitative", axis: { format: "%" }, title: "share not yet churned", scale: { domain: [0, 1] } },
      color: { field: "group", type: "nominal", title: null, legend: { labelLimit: 260 } },
    },
  });
  const charts = [chart("All customers", [out.overall])];
  for (const c of out.comparisons) charts.push(chart(`By ${c.by} (log-rank ${pValueText(c.p)})`, c.curves));
  const rows = [out.overall, ...out.comparisons.flatMap((c) => c.curves)];
  return {
    id: "survival",
    title: `Time to churn (Kaplan-Meier; churned = silent ${out.windowDays} days)`,
    charts,
    howToRead:
      `${out.rule} Each curve is the share of a group's customers not yet churned, by months since their first purchase (Kaplan-Meier, customers still active are censored at the analysis day). ` +
      "A steep early drop means many customers never come back; the median is where a curve crosses 50%. The log-rank p-value tests whether the groups' curves differ (below 0.05: they do).",
    html: htmlTable(rows, [
      ["group", (c) => c.group],
      ["customers", (c) => c.customers],
      ["churned", (c) => c.churned],
      ["median months to churn", (c) => (c.medianMonths === null ? "not reached" : c.medianMonths.toFixed(1))],
    ]),
  };
};

const migrationSection: Builder = (r) => {
  const out = r.results.migration;
  if (!out) return null;
  const cells = out.fromStates.flatMap((f, i) =>
    out.toStates.map((t, j) => ({ from: f, to: t, count: out.counts[i][j], share: out.shares[i][j], label: out.counts[i][j] > 0 ? String(out.counts[i][j]) : "" })),
  );
  const movers = out.moves.flatMap((m) => m.movers.map((x) => ({ move: `${m.from} -> ${m.to}`, ...x })));
  return {
    id: "migration",
    title: `Segment migration: RFM segments on ${out.from} and on ${out.to}`,
    charts: [
      {
        title: "Where each segment's customers went (row shares)",
        data: { values: cells },
        width: 22 * out.toStates.length + 40,
        height: 22 * out.fromStates.length + 20,
        encoding: {
          x: { field: "to", type: "nominal", sort: out.toStates, title: `segment on ${out.to}`, axis: { labelAngle: -40, labelLimit: 160 } },
          y: { field: "from", type: "nominal", sort: out.fromStates, title: `segment on ${out.from}`, axis: { labelLimit: 160 } },
        },
        layer: [
          { mark: "rect", encoding: { color: { field: "share", type: "quantitative", title: "share of the row", legend: { format: "%" } } } },
          { mark: { type: "text", fontSize: 9 }, encoding: { text: { field: "label" }, color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "#1f2933" } } },
        ],
      },
    ],
    howToRead:
      `Each row is the customers of a segment on ${out.from}; the cells show where they are on ${out.to} (the number is customers, the colour the share of the row). ` +
      `"(new)" are customers whose first purchase came after ${out.from}. ${(out.customers - out.stayed).toLocaleString("en-US")} of ${out.customers.toLocaleString("en-US")} customers changed segment. ` +
      "The table lists customers who slipped from the best segments to the ones at risk, with what changed: they are worth a call before they are lost.",
    html: movers.length
      ? htmlTable(movers, [
          ["move", (x) => x.move],
          ["customer", (x) => x.customerId],
          ["spend", (x) => (x.value === null ? "" : x.value.toFixed(2))],
          ["what changed", (x) => x.features.filter((f) => x.changed.includes(f.feature)).map((f) => `${FEATURE_LABELS[f.feature] ?? f.feature} ${f.before} -> ${f.after}`).join("; ")],
        ])
      : "<p>No customer moved from the best segments to the ones at risk.</p>",
  };
};

const campaignSection: Builder = (r) => {
  const out = r.results.campaign;
  if (!out) return null;
  const e = out.expected;
  return {
    id: "campaign",
    title: "Retention campaign: whom to contact under the budget",
    charts: [
      {
        title: "Expected net value by budget",
        width: 460,
        height: 240,
        layer: [
          {
            data: { values: out.curve.spend.map((x, i) => ({ spend: x, net: out.curve.netValue[i] })) },
            mark: { type: "line" },
            encoding: { x: { field: "spend", type: "quantitative", title: "budget spent (contacts and offers)" }, y: { field: "net", type: "quantitative", title: "expected net value" } },
          },
          {
            data: { values: [{ spend: out.optimalBudget, label: `best budget ${wholeText(out.optimalBudget)}` }] },
            layer: [
              { mark: { type: "rule", color: "#d62728", strokeDash: [4, 3] }, encoding: { x: { field: "spend", type: "quantitative" } } },
              { mark: { type: "text", align: "left", dx: 4, y: 10, color: "#d62728" }, encoding: { x: { field: "spend", type: "quantitative" }, text: { field: "label" } } },
            ],
          },
        ],
      },
    ],
    howToRead:
      (out.emptyReason
        ? `No contact is planned: ${out.emptyReason}. `
        : `Contacting ${e.contacts.toLocaleString("en-US")} customers costs ${wholeText(e.spend)} and is expected to save ${wholeText(e.valueSaved)} of future value, a net ${wholeText(e.netValue)} (90% of simulated campaigns between ${wholeText(out.simulation.netP05)} and ${wholeText(out.simulation.netP95)}; probability of losing money ${(out.simulation.probabilityOfLoss * 100).toFixed(1)}%). `) +
      `Customers are ranked by expected net value per unit of cost among the ${out.candidates.toLocaleString("en-US")} still plausibly alive with a future value; the curve shows the expected net value as the budget grows, and peaks where one more contact would lose money. ${out.assumptions}`,
    html: htmlTable(out.contacts.slice(0, 15), [
      ["#", (c) => c.rank],
      ["customer", (c) => c.customerId],
      ["P(churn)", (c) => (c.churnProbability === null ? "" : c.churnProbability.toFixed(3))],
      ["value if kept", (c) => c.valueIfSaved.toFixed(2)],
      ["expected net", (c) => c.expectedNetValue.toFixed(2)],
      ["offer", (c) => c.offer ?? ""],
      ["why", (c) => c.reason],
    ]),
  };
};

const modelFitSection: Builder = (r) => {
  const out = r.results.clv;
  if (!out) return null;
  const fc = out.fitCheck;
  const bg = { model: out.fit.model, params: out.fit.params } as unknown as TransactionModel;
  const label = out.choice.label;
  const T = Math.max(1, Math.floor(fc.longestObservationWeeks));
  const charts = [purchaseCountChart(fc.purchaseCounts, { modelName: label })];
  // The P(alive) matrix evaluates the model on a grid of histories; a fit at the edge of its
  // parameter space can make a cell's series fail to converge: then the matrix is left out, said so.
  let matrixNote = "";
  try {
    charts.push(probabilityAliveMatrixChart(bg, { T, maxFrequency: Math.min(20, Math.max(1, fc.purchaseCounts.bins.length * 2)), maxRecency: T }));
  } catch (e) {
    if (!(e instanceof AnalyticsError)) throw e;
    matrixNote = ` (The P(alive) matrix is left out: ${e.message}.)`;
  }
  const p = fc.purchaseCounts;
  return {
    id: "model-fit",
    title: `Does the ${label} model fit?`,
    charts,
    howToRead:
      `Left: customers by number of repeat purchases, as observed and as the fitted model expects them (chi-square ${p.chiSquare.toFixed(2)} on ${p.degreesOfFreedom} degrees of freedom; bars of similar height mean the model reproduces how purchases are spread across customers). ` +
      `Right: the model's probability that a customer is still active, by repeat purchases (rows) and the week of the last one (columns), for a customer observed for ${T} weeks: frequent buyers who have gone quiet lose it fastest. ` +
      "Together with the holdout chart above, these are the standard checks of a buy-till-you-die model (docs/clv.md, \"Diagnostic charts\")." +
      escapeHtml(matrixNote),
  };
};

/** The section builders in report order. @internal */
export const SECTION_BUILDERS: readonly Builder[] = [valueOverviewSection, topCustomersSection, rfmSection, matrixSection, abcSection, valueSection, clvSection, modelFitSection, monteCarloSection, churnSection, rulesSection, clusterSection, survivalSection, ...CRM_SECTION_BUILDERS, migrationSection, campaignSection];
