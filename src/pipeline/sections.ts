/**
 * Report sections, one per analytic step; each returns null when its step did not run.
 * Charts are Vega-Lite specs rendered to static SVG (see `html.ts`).
 * @module
 */
import type { BehaviorQuadrantSummary } from "../matrix/index.js";
import type { AbcGroup, ParetoAnalysisResult, RfmHeatmapCell, SegmentSummaryRow } from "../rfm/index.js";
import type { AnalysisResult } from "./analyze.js";
import { htmlTable, type ReportSection } from "./html.js";

type Builder = (r: AnalysisResult) => ReportSection | null;

const rfmSection: Builder = (r) => {
  const out = r.results.rfm as { segments: SegmentSummaryRow[]; heatmap: RfmHeatmapCell[] } | undefined;
  if (!out) return null;
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
        data: { values: out.heatmap.filter((c) => c.count > 0) },
        mark: "rect",
        encoding: {
          x: { field: "f", type: "ordinal", title: "F score (1 = fewest orders)" },
          y: { field: "r", type: "ordinal", sort: "descending", title: "R score (5 = most recent)" },
          color: { field: "meanMonetary", type: "quantitative", title: "mean spend" },
          tooltip: [{ field: "count", type: "quantitative" }],
        },
        width: 300,
        height: 260,
      },
    ],
    howToRead:
      "Top: for each segment, the blue bar is its share of customers and the orange bar its share of revenue; segments where revenue outruns headcount are the valuable ones. Bottom: each cell is an (R, F) score pair; darker means higher mean spend. Scores come from quintile cuts where tied values share a score.",
    html: htmlTable(out.segments, [
      ["segment", (s) => s.key],
      ["customers", (s) => s.count],
      ["% customers", (s) => +(s.customerShare * 100).toFixed(1)],
      ["% revenue", (s) => +(s.revenueShare * 100).toFixed(1)],
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
      ["% customers", (g) => +(g.customerShare * 100).toFixed(1)],
      ["% value", (g) => +(g.valueShare * 100).toFixed(1)],
    ]),
  };
};

interface RuleRow {
  antecedent: string;
  consequent: string;
  support: number;
  confidence: number;
  lift: number;
}

const rulesSection: Builder = (r) => {
  const out = r.results.rules as { rules: RuleRow[]; baskets: number; minSupport: number } | undefined;
  if (!out) return null;
  const top = out.rules.slice(0, 15).map((x) => ({ ...x, rule: `${x.antecedent} => ${x.consequent}` }));
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
          y: { field: "rule", type: "nominal", sort: null, title: null, axis: { labelLimit: 320 } },
          x: { field: "lift", type: "quantitative", title: "lift" },
          color: { field: "confidence", type: "quantitative", title: "confidence", legend: { format: "%" } },
        },
      },
    ],
    howToRead:
      "Each bar is a rule 'customers who buy the left side also buy the right side'. Lift says how many times more likely the right side is in such baskets than in an average basket (1 = no association); colour is the confidence, the share of baskets with the left side that also hold the right side.",
    html: htmlTable(top, [
      ["if the basket has", (x) => x.antecedent],
      ["then also", (x) => x.consequent],
      ["support", (x) => x.support],
      ["confidence", (x) => x.confidence],
      ["lift", (x) => x.lift],
    ], 3),
  };
};

const clvSection: Builder = (r) => {
  const out = r.results.clv as { holdout: { calibrationEnd: string; rows: { label: string; customers: number; actual: number; predicted: number }[] } | null } | undefined;
  if (!out?.holdout) return null;
  const h = out.holdout;
  const values = h.rows.flatMap((x) => [
    { x: x.label, kind: "actual", purchases: x.actual },
    { x: x.label, kind: "predicted (BG/NBD)", purchases: x.predicted },
  ]);
  return {
    id: "clv",
    title: "BG/NBD: predicted vs actual holdout purchases",
    charts: [
      {
        title: `Mean purchases after ${h.calibrationEnd}, by repeat purchases before it`,
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "x", type: "ordinal", sort: null, title: "repeat purchases in the calibration period", axis: { labelAngle: 0 } },
          y: { field: "purchases", type: "quantitative", title: "mean purchases per customer in the holdout period" },
          color: { field: "kind", type: "nominal", title: null },
        },
      },
    ],
    howToRead:
      "The model is fitted on the first half of the history only and then predicts each customer's purchases in the second half. Customers are grouped by how often they bought in the first half; the closer the two lines, the better the model tracks real behaviour. The customer table's pAlive, expectedPurchases12m and predictedClv12m come from a refit on the whole history.",
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

const clusterSection: Builder = (r) => {
  const out = r.results.cluster as { k: number; profiles: ProfileRow[]; rules: { cluster: number; rule: string; precision: number }[] } | undefined;
  if (!out) return null;
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
      ...featureNames.map((name, j) => [`median ${name}`, (p: ProfileRow) => p.features[j]?.median ?? null] as [string, (p: ProfileRow) => unknown]),
      ["rule", (p) => out.rules.find((x) => x.cluster === p.cluster)?.rule ?? ""],
    ]),
  };
};

/** The section builders in report order. @internal */
export const SECTION_BUILDERS: readonly Builder[] = [rfmSection, matrixSection, abcSection, clvSection, rulesSection, clusterSection];
