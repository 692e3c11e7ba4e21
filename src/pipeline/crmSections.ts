/**
 * Report sections of the CRM manager's steps (profitability, cohorts, lifecycle); each returns
 * null when its step did not run. Charts are Vega-Lite specs rendered to static SVG (`html.ts`).
 * @module
 */
import { wholeText } from "./context.js";
import type { AnalysisResult } from "./analyze.js";
import type { CohortsStepOutput, LifecycleStepOutput, ProfitabilityStepOutput } from "./crmSteps.js";
import { escapeHtml, htmlTable, type ReportSection } from "./html.js";
import type { ProfitZoneRow } from "../profitability/index.js";
import type { LifecycleStageRow } from "../lifecycle/index.js";

type Builder = (r: AnalysisResult) => ReportSection | null;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Cohorts drawn in the heatmap (the most recent ones when there are more). */
const HEATMAP_COHORTS = 40;

const profitabilitySection: Builder = (r) => {
  const out = r.results.profitability as ProfitabilityStepOutput | undefined;
  if (!out) return null;
  const w = out.whale;
  const peakLabel =
    w.base === "total" ? `peak ${pct(w.peak)} after ${pct(w.peakCustomerShare)} of customers` : w.base === "gains" ? `peak: all the gains, after ${pct(w.peakCustomerShare)} of customers` : "no profitable customer";
  const baseName = w.base === "total" ? "total profit" : w.base === "gains" ? "profit of the profitable customers" : w.base === "losses" ? "total loss" : "total profit";
  const t = out.totals;
  const serve = out.costPerOrder || out.costPerReturnLine ? `cost to serve ${out.costPerOrder} per order and ${out.costPerReturnLine} per return line` : "no cost to serve (set costPerOrder / --cost-per-order and costPerReturnLine / --cost-per-return to count it)";
  const abcRows = out.abc.byProfit.map((g, j) => ({ cls: g.class, profit: g, revenue: out.abc.byRevenue[j] }));
  const zones =
    htmlTable(out.zones, [
      ["zone", (z) => z.zone],
      ["customers", (z) => z.count],
      ["% customers", (z) => z.customerShare * 100],
      ["revenue", (z) => Math.round(z.revenue)],
      ["profit", (z) => Math.round(z.profit)],
      ...(out.futureValueSource ? [["future value", (z: ProfitZoneRow) => Math.round(z.futureValue)] as [string, (z: ProfitZoneRow) => unknown]] : []),
    ]) +
    htmlTable(abcRows, [
      ["ABC class", (x) => x.cls],
      ["customers by profit", (x) => x.profit.count],
      ["% of profit", (x) => x.profit.valueShare * 100],
      ["customers by revenue", (x) => x.revenue.count],
      ["% of revenue", (x) => x.revenue.valueShare * 100],
    ]);
  const layers: Record<string, unknown>[] = [
    {
      data: { values: w.points },
      mark: { type: "line", interpolate: "linear", color: "#4c78a8" },
      encoding: {
        x: { field: "customerShare", type: "quantitative", axis: { format: "%" }, title: "customers, most profitable first" },
        y: { field: "cumulativeShare", type: "quantitative", axis: { format: "%" }, title: `cumulative profit (share of ${baseName})` },
      },
    },
  ];
  if (w.base === "total") {
    layers.push({
      data: { values: [{ y: 1 }] },
      mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
      encoding: { y: { field: "y", type: "quantitative" } },
    });
  }
  if (w.peak > 0) {
    layers.push({
      data: { values: [{ customerShare: w.peakCustomerShare, cumulativeShare: w.peak, label: peakLabel }] },
      layer: [
        { mark: { type: "point", filled: true, size: 80, color: "#d62728" }, encoding: { x: { field: "customerShare", type: "quantitative" }, y: { field: "cumulativeShare", type: "quantitative" } } },
        {
          mark: { type: "text", dy: -10, align: w.peakCustomerShare > 0.6 ? "right" : "left", color: "#d62728" },
          encoding: { x: { field: "customerShare", type: "quantitative" }, y: { field: "cumulativeShare", type: "quantitative" }, text: { field: "label" } },
        },
      ],
    });
  }
  const fv = out.futureValueSource
    ? `"Potentially profitable" customers lose money so far but have a positive future value (${out.futureValueSource}). `
    : 'No future value was estimated, so nobody can be "potentially profitable": customers who lose money are all unprofitable. ';
  return {
    id: "profitability",
    title: "Customer profitability: the whale curve",
    charts: [{ title: `Whale curve (${w.customers.toLocaleString("en-US")} customers)${w.base === "total" ? "; dashed line: 100% = total profit" : ""}`, width: 460, height: 280, layer: layers }],
    howToRead:
      `Profit per customer = revenue − product cost − cost to serve, to the analysis day. Product cost comes from ${out.sourceText}; ${serve}. ` +
      `Totals: revenue ${wholeText(t.revenue)}, product cost ${wholeText(t.productCost)}, cost to serve ${wholeText(t.serviceCost)}, profit ${wholeText(t.profit)}. ` +
      "The curve ranks customers by profit, most profitable first, and adds up their profit: it rises over the profitable customers, peaks, and falls back over the loss-makers. " +
      (w.base === "total"
        ? `The peak above the 100% line (${pct(w.peak)}) says the profitable customers earn more than the total; the loss-makers give back ${pct(w.lossShare)} of total profit. `
        : w.base === "gains"
          ? `Total profit is not positive, so the curve is shown as a share of what the profitable customers earn (peak 100%); the loss-makers lose ${pct(w.lossShare)} of it. `
          : w.base === "losses"
            ? "Nobody is profitable: the curve falls from 0 to −100% of the total loss. "
            : "Every customer's profit is zero. ") +
      fv +
      "The second table ranks customers into ABC classes by profit and by revenue (A: up to 80% of the total, B: to 95%, C: the rest, zero: no positive profit or revenue): a big customer by revenue is not always one by profit." +
      (out.report.missingRows > 0 ? ` ${out.report.missingRows.toLocaleString("en-US")} line${out.report.missingRows === 1 ? "" : "s"} without a ${out.source} got zero profit (counted, not an error).` : ""),
    html: zones,
  };
};

const cohortsSection: Builder = (r) => {
  const out = r.results.cohorts as CohortsStepOutput | undefined;
  if (!out) return null;
  const shown = out.cohorts.slice(-HEATMAP_COHORTS);
  const width = shown.reduce((a, c) => Math.max(a, c.observed), 0);
  // One cell per cohort and period since acquisition up to the widest cohort; cells a cohort has
  // not reached are kept as "not yet observed" so they draw grey, not as a low retention.
  const cells: { cohort: string; k: number; retention: number | null; label: string }[] = [];
  let maxLater = 0;
  for (const c of shown) {
    for (let k = 0; k < width; k++) {
      const seen = k < c.observed;
      const v = seen ? c.retention[k] : null;
      if (seen && k > 0 && v! > maxLater) maxLater = v!;
      cells.push({ cohort: `${c.cohort} (${c.customers})`, k, retention: v, label: seen ? `${c.active[k]} active of ${c.customers}` : "not yet observed" });
    }
  }
  const showText = shown.length <= 16 && width <= 16;
  const colorMax = maxLater > 0 ? maxLater : 1;
  const heatmap: Record<string, unknown> = {
    title: `Retention share by ${out.grain}s since acquisition`,
    data: { values: cells },
    width: Math.min(760, Math.max(240, 26 * width)),
    height: Math.max(120, 16 * shown.length),
    encoding: {
      x: { field: "k", type: "ordinal", title: `${out.grain}s since acquisition (0 = the acquisition ${out.grain})`, axis: { labelAngle: 0 } },
      // An explicit order: with sort null the layers' domains are unioned in data order, which puts a fully observed cohort last.
      y: { field: "cohort", type: "ordinal", sort: shown.map((c) => `${c.cohort} (${c.customers})`), title: "cohort (customers)" },
    },
    layer: [
      { transform: [{ filter: "datum.retention === null" }], mark: { type: "rect", color: "#f0f2f4", stroke: "#c3cad2", strokeDash: [2, 2] } },
      {
        transform: [{ filter: "datum.retention !== null" }],
        mark: "rect",
        encoding: { color: { field: "retention", type: "quantitative", title: "active share", scale: { scheme: "blues", domain: [0, colorMax], clamp: true }, legend: { format: "%" } } },
      },
      ...(showText
        ? [
            {
              transform: [{ filter: "datum.retention !== null" }, { calculate: "format(datum.retention, '.0%')", as: "text" }],
              mark: { type: "text", fontSize: 9 },
              encoding: { text: { field: "text" }, color: { condition: { test: `datum.retention > ${0.6 * colorMax}`, value: "white" }, value: "#1f2933" } },
            },
          ]
        : []),
    ],
  };
  const rates = out.periods.filter((p) => p.rate !== null).map((p) => ({ period: p.period, rate: p.rate }));
  const charts: Record<string, unknown>[] = [heatmap];
  if (rates.length > 0) {
    charts.push({
      title: `Period-to-period retention of the whole base (pooled ${out.overallRate === null ? "n/a" : pct(out.overallRate)})`,
      data: { values: rates },
      mark: { type: "line", point: true },
      width: Math.min(760, Math.max(300, 18 * rates.length)),
      height: 220,
      encoding: {
        x: { field: "period", type: "ordinal", sort: null, title: out.grain, axis: { labelAngle: -45 } },
        y: { field: "rate", type: "quantitative", axis: { format: "%" }, title: `active last ${out.grain} and this ${out.grain}`, scale: { domain: [0, 1] } },
      },
    });
  }
  const e = out.estimates;
  const estimate =
    e.retention === null
      ? "No customer was at risk of lapsing yet, so there is no retention estimate."
      : `Constant retention per ${out.grain}: ${e.retention.toFixed(3)}, from ${e.survived.toLocaleString("en-US")} of ${e.atRisk.toLocaleString("en-US")} customers at risk (a customer counts as retained while they buy again in that ${out.grain} or any later one); this is the rate a constant-retention CLV (bergerNasrClv) takes, and the per-cohort survivor counts in model.json are the sBG model's input.`;
  const table = htmlTable(shown, [
    ["cohort", (c) => c.cohort],
    ["customers", (c) => c.customers],
    [`${out.grain}s observed`, (c) => c.observed],
    [`active after 1 ${out.grain}`, (c) => (c.observed > 1 ? pct(c.retention[1]) : "")],
    [`revenue after 1 ${out.grain} vs first`, (c) => (c.observed > 1 && c.revenueRetention[1] !== null ? pct(c.revenueRetention[1]!) : "")],
    [`active in the latest ${out.grain}`, (c) => pct(c.retention[c.observed - 1])],
  ]);
  return {
    id: "cohorts",
    title: `Acquisition cohorts by ${out.grain}`,
    charts,
    howToRead:
      `Each row is the customers whose first purchase fell in that ${out.grain}; each column counts ${out.grain}s since then, and the colour is the share of the cohort that bought in that ${out.grain} (column 0 is 100% by definition, so the colour scale stops at the highest later value). ` +
      `Grey dashed cells are ${out.grain}s a cohort has not reached yet: they are not observed, not low. ` +
      (out.cohorts.length > shown.length ? `Only the ${shown.length} most recent of ${out.cohorts.length} cohorts are drawn; model.json has them all. ` : "") +
      (out.partialLastPeriod ? `The last ${out.grain} is not complete at the analysis day, so its shares are understated; it is left out of the estimate below. ` : "") +
      `The line is the share of the customers active in one ${out.grain} who bought again in the next. ` +
      estimate,
    html: table,
  };
};

const lifecycleSection: Builder = (r) => {
  const out = r.results.lifecycle as LifecycleStepOutput | undefined;
  if (!out) return null;
  const s = out.settings;
  const money = r.table.columns.has("totalSpend");
  const values = out.stages.flatMap((x) => [
    { stage: x.stage, measure: "share of customers", share: x.customerShare },
    ...(money ? [{ stage: x.stage, measure: "share of revenue", share: x.revenueShare }] : []),
    ...(money && out.valueSource.startsWith("future") ? [{ stage: x.stage, measure: "share of future value", share: x.valueShare }] : []),
  ]);
  const columns: [string, (x: LifecycleStageRow) => unknown][] = [
    ["stage", (x) => x.stage],
    ["customers", (x) => x.count],
    ["% customers", (x) => x.customerShare * 100],
  ];
  if (money) columns.push(["revenue", (x) => Math.round(x.revenue)], ["% revenue", (x) => x.revenueShare * 100]);
  if (out.valueSource.startsWith("future")) columns.push(["future value", (x) => Math.round(x.value)], ["% future value", (x) => x.valueShare * 100]);
  return {
    id: "lifecycle",
    title: "Lifecycle stages",
    charts: [
      {
        title: "Customers per stage",
        data: { values },
        mark: "bar",
        height: 40 * out.stages.length,
        encoding: {
          y: { field: "stage", type: "nominal", sort: out.stages.map((x) => x.stage), title: null },
          yOffset: { field: "measure", type: "nominal" },
          x: { field: "share", type: "quantitative", axis: { format: "%" }, title: "share (%)" },
          color: { field: "measure", type: "nominal", title: null, legend: { labelLimit: 200 } },
        },
      },
    ],
    howToRead:
      `Each customer's stage on ${s.asOf} comes from its tenure, how late it is against its own rhythm, and its recent trend. New: first purchase at most ${s.newCustomerDays} days ago. ` +
      `A customer is on time while its silence is at most ${s.activeRatio} times its usual gap between orders, overdue up to ${s.lapsedRatio} times, and churned beyond (one-order customers are measured against ${Math.round(s.fallbackCadenceDays)} days, the typical gap of repeat buyers). ` +
      `Growth, maturity and decline compare the orders and spend of the last ${s.windows} windows of ${s.windowDays} days (a change beyond ${pct(s.trendTolerance)} counts); overdue customers are in decline. ` +
      `Value: ${out.valueSource}.`,
    html: htmlTable(out.stages, columns) + (out.report.customersWithoutPurchase > 0 ? `<p>${escapeHtml(`${out.report.customersWithoutPurchase} customers whose lines are all returns have no stage.`)}</p>` : ""),
  };
};

/** The CRM section builders in report order. @internal */
export const CRM_SECTION_BUILDERS: readonly Builder[] = [profitabilitySection, cohortsSection, lifecycleSection];
