import { beforeAll, describe, expect, it } from "vitest";
import {
  analyze,
  cohortTable,
  customerProfitability,
  generateTransactions,
  lifecycleStages,
  parseTransactionTable,
  periodRetention,
  renderReport,
  retentionEstimates,
  STEP_NAMES,
  toTransactionTable,
  type AnalysisResult,
  type DictionaryColumn,
  type Transaction,
} from "../../src/index.js";
import { CRM_SECTION_BUILDERS } from "../../src/pipeline/crmSections.js";
import { NO_AMOUNTS_PROFIT, NO_PROFIT_SOURCE } from "../../src/pipeline/crmSteps.js";

// Oracle for the wiring (as in analyze.test.ts): each step's columns and outputs must equal the
// analytic's own public function called on the same log with the settings the step documents
// (those functions are checked against hand computations and pandas in their own suites).

/** Product cost 50% to 110% of the amount, by customer (so some customers lose money); returns carry a negative cost. */
function withCost(tx: Transaction[]): Transaction[] {
  return tx.map((t) => {
    const id = t.customerId;
    const rate = 0.5 + 0.6 * ((id.charCodeAt(id.length - 1) + id.length) % 11) / 10;
    return { ...t, cost: Math.round(t.amount * rate * 100) / 100 };
  });
}

// Plus two customers whose repeat day is netted to zero by a same-day return: BG/NBD + Gamma-Gamma
// cannot value them (no positive mean repeat spend), so the pipeline's rule gives them the 3D value.
const tx = withCost([
  ...generateTransactions({ customers: 600, seed: 17, returnRate: 0.05 }),
  ...["zz-net-zero-1", "zz-net-zero-2"].flatMap((customerId) => [
    { customerId, date: new Date("2023-03-01T00:00:00Z"), amount: 80, orderId: `${customerId}-o1` },
    { customerId, date: new Date("2024-10-01T00:00:00Z"), amount: 60, orderId: `${customerId}-o2` },
    { customerId, date: new Date("2024-10-01T00:00:00Z"), amount: -60, orderId: `${customerId}-r2` },
  ]),
]);
let result: AnalysisResult;
const SKIP_SLOW = ["montecarlo", "churn", "rules", "cluster", "survival"] as const;

beforeAll(async () => {
  result = await analyze(tx, { seed: 3, costPerOrder: 2.5, costPerReturnLine: 4, skip: [...SKIP_SLOW] });
}, 60_000);

/** A dictionary column of the result as one string (or undefined) per row. */
function labels(r: AnalysisResult, name: string): (string | undefined)[] {
  const c = r.table.columns.get(name) as DictionaryColumn;
  return Array.from(c.codes, (k) => (k < 0 ? undefined : String(c.values[k])));
}

/** The pipeline's one future-value rule: predictedClv where BG/NBD valued the customer, else the 3D SV + IV. */
function futureOf(r: AnalysisResult): Float64Array {
  const predicted = r.table.columns.get("predictedClv") as Float64Array;
  const sv = r.table.columns.get("sv") as Float64Array;
  const iv = r.table.columns.get("iv") as Float64Array;
  return Float64Array.from(predicted, (x, k) => (Number.isNaN(x) ? sv[k] + iv[k] : x));
}
const futureSource = (r: AnalysisResult) => `${r.results.clv!.choice.label} + Gamma-Gamma future value over the next 12 months (3D SV + IV for customers it did not value)`;

describe("profitability step", () => {
  it("profit, profitZone, abcByProfit and the outputs equal customerProfitability(table) with the cost column, the costs to serve and the pipeline's future value", () => {
    const out = result.results.profitability!;
    const predicted = futureOf(result);
    const direct = customerProfitability(toTransactionTable(tx), {
      asOf: result.asOf,
      ids: result.table.ids,
      costPerOrder: 2.5,
      costPerReturnLine: 4,
      missing: "zero",
      futureValue: Float64Array.from(predicted, (x) => (Number.isNaN(x) ? 0 : x)),
    });
    expect(out.source).toBe("cost");
    expect(out.sourceText).toBe("the cost column");
    expect(out.futureValueSource).toBe(futureSource(result));
    // Some customers were not valued by BG/NBD (returns net their repeat spend to <= 0): the 3D value fills them.
    expect((result.table.columns.get("predictedClv") as Float64Array).some(Number.isNaN)).toBe(true);
    expect(out.totals).toEqual(direct.totals);
    expect(out.zones).toEqual(direct.zones);
    expect(out.abc).toEqual(direct.abc);
    expect(out.report).toEqual(direct.report);
    // Profit rounded to cents in the column (as totalSpend).
    const profit = result.table.columns.get("profit") as Float64Array;
    direct.profit.forEach((p, k) => expect(Math.abs(profit[k] - p)).toBeLessThanOrEqual(0.005 + 1e-9));
    expect(labels(result, "profitZone")).toEqual(Array.from(direct.zone.codes, (c) => direct.zone.values[c]));
    expect(labels(result, "abcByProfit")).toEqual(Array.from(direct.abcByProfit.codes, (c) => direct.abcByProfit.values[c]));
    // The generated costs make some customers lose money and give some a future value: every zone is used.
    expect(out.zones.map((z) => z.count).every((c) => c > 0)).toBe(true);
    expect(out.zones.reduce((a, z) => a + z.count, 0)).toBe(result.table.length);
  });

  it("the whale curve keeps at most 200 points, among them the start, the peak and the end, each a point of the full curve", () => {
    const w = result.results.profitability!.whale;
    const predicted = futureOf(result);
    const full = customerProfitability(toTransactionTable(tx), { asOf: result.asOf, ids: result.table.ids, costPerOrder: 2.5, costPerReturnLine: 4, futureValue: Float64Array.from(predicted, (x) => (Number.isNaN(x) ? 0 : x)) }).whale;
    expect(w.customers).toBe(full.count);
    expect(full.count).toBeGreaterThan(200); // so the curve is downsampled
    expect(w.points.length).toBeLessThanOrEqual(200);
    expect(w.points[0]).toEqual({ customerShare: 0, cumulativeShare: 0 });
    expect(w.points.at(-1)).toEqual({ customerShare: 1, cumulativeShare: full.cumulative[full.count] });
    expect(w.points).toContainEqual({ customerShare: full.peakCustomers / full.count, cumulativeShare: full.peak });
    for (const p of w.points) expect(p.cumulativeShare).toBe(full.cumulative[Math.round(p.customerShare * full.count)]);
    expect(Math.max(...w.points.map((p) => p.cumulativeShare))).toBe(full.peak);
    expect([w.peak, w.peakCustomers, w.peakCustomerShare, w.lossShare, w.base, w.total, w.gains, w.losses]).toEqual([full.peak, full.peakCustomers, full.peakCustomerShare, full.lossShare, full.base, full.total, full.gains, full.losses]);
  });

  it("is skipped with the reason when the log has no cost or margin column and margin is 1", async () => {
    const plain = generateTransactions({ customers: 60, seed: 2 });
    const r = await analyze(plain, { skip: ["value", "clv", "montecarlo", "churn", "rules", "cluster", "survival"] });
    expect(r.steps.find((s) => s.step === "profitability")).toMatchObject({ status: "skipped", reason: NO_PROFIT_SOURCE });
    expect(NO_PROFIT_SOURCE).toBe("no cost or margin column and no margin rate below 1 (set margin / --margin, or map a cost or margin column)");
    expect(r.table.columns.has("profit")).toBe(false);
    expect(r.results.profitability).toBeUndefined();
    // With a margin rate below 1 the same log runs, at that rate.
    const m = await analyze(plain, { margin: 0.3, skip: ["value", "clv", "montecarlo", "churn", "rules", "cluster", "survival"] });
    expect(m.results.profitability).toMatchObject({ source: "marginRate", marginRate: 0.3, futureValueSource: null });
  });

  it("is skipped for a log without amounts; cohorts and lifecycle still run", async () => {
    const { table, report } = parseTransactionTable(generateTransactions({ customers: 80, seed: 4 }).filter((t) => t.amount > 0).map((t) => ({ id: t.customerId, date: t.date })));
    const r = await analyze({ table, report }, { margin: 0.3, skip: ["clv", "churn", "rules", "cluster", "survival"] });
    expect(r.steps.find((s) => s.step === "profitability")).toMatchObject({ status: "skipped", reason: NO_AMOUNTS_PROFIT });
    expect(r.steps.filter((s) => s.step === "cohorts" || s.step === "lifecycle").map((s) => s.status)).toEqual(["ok", "ok"]);
    expect(r.results.cohorts!.cohorts.every((c) => c.revenue === null && c.revenueRetention.every((x) => x === null))).toBe(true);
    expect(r.results.lifecycle!.valueSource).toBe("none (the log has no amounts)");
  });
});

describe("profitability step: which source, missing costs", () => {
  it("a log with both a cost and a margin column uses the cost column and says so; a line without a cost gets zero profit and is counted", async () => {
    const log = [
      { customerId: "a", date: "2024-01-05", amount: 100, cost: 70, margin: 10 }, // cost: profit 30 (the margin column would say 10)
      { customerId: "a", date: "2024-01-09", amount: 40, margin: 4 }, // no cost: zero profit, counted
      { customerId: "b", date: "2024-01-10", amount: 50, cost: 60, margin: -10 }, // cost above the amount: a loss of 10, kept
    ] as unknown as Transaction[];
    const r = await analyze(log, { skip: ["value", "clv", "montecarlo", "churn", "rules", "cluster", "survival"] });
    const out = r.results.profitability!;
    expect([out.source, out.sourceText, out.report.missingRows]).toEqual(["cost", "the cost column (the margin column is not used)", 1]);
    expect(r.customers.map((c) => [c.customerId, c.profit, c.profitZone])).toEqual([
      ["a", 30, "profitable"],
      ["b", -10, "unprofitable"],
    ]);
    // Whale: 30, −10; total 20: peak 30/20 = 150%, loss share 50%.
    expect([out.whale.peak, out.whale.lossShare]).toEqual([1.5, 0.5]);
    expect(r.summaryText).toMatch(/; 1 line without a cost given zero profit$/m);
  });
});

describe("cohorts step", () => {
  it("cohort column, cohort rows, period rates and the retention estimate equal cohortTable / periodRetention / retentionEstimates at the auto grain (months: the log spans under 3 years)", () => {
    const out = result.results.cohorts!;
    const t = toTransactionTable(tx);
    const direct = cohortTable(t, { grain: "month", asOf: result.asOf });
    expect(out.grain).toBe("month");
    expect(out.grainAsked).toBe("auto");
    expect(out.partialLastPeriod).toBe(!direct.report.lastPeriodComplete);
    expect(out.report).toEqual(direct.report);
    expect(out.estimates).toEqual(retentionEstimates(direct, { dropLastPeriod: !direct.report.lastPeriodComplete }));
    const base = periodRetention(t, { grain: "month", asOf: result.asOf });
    expect(out.periods).toEqual(base.periods);
    expect(out.overallRate).toBe(base.overallRate);
    // Rows: observed cells only, by cohort then k, as in the tidy table.
    expect(out.cohorts.map((c) => c.cohort)).toEqual(direct.matrix.cohorts);
    expect(out.cohorts.flatMap((c) => c.active.map((a, k) => [c.cohort, k, a, c.retention[k], c.revenue![k], c.revenueRetention[k]]))).toEqual(
      direct.tidy.map((x) => [x.cohort, x.period, x.active, x.retention, x.revenue, x.revenueRetention]),
    );
    for (const c of out.cohorts) expect(c.active.length).toBe(c.observed);
    const byId = new Map(direct.customers.ids.map((id, j) => [id, direct.customers.cohort.values[direct.customers.cohort.codes[j]]]));
    expect(labels(result, "cohort")).toEqual(result.table.ids.map((id) => byId.get(id)));
  });

  it('grain "auto" is quarters for a log longer than three years; an explicit grain is used as given', async () => {
    const long: Transaction[] = [];
    for (let i = 0; i < 30; i++) long.push({ customerId: `c${i}`, date: new Date(Date.UTC(2019, i % 12, 3)), amount: 10 }, { customerId: `c${i}`, date: new Date(Date.UTC(2022, 11, 1 + i)), amount: 5 });
    const skip = STEP_NAMES.filter((s) => s !== "cohorts");
    const auto = await analyze(long, { skip });
    expect(auto.results.cohorts!.grain).toBe("quarter"); // 2019-01-03 to 2022-12-30: 1,457 days > 3 x 365
    expect(auto.results.cohorts!.cohorts.map((c) => c.cohort)).toEqual(["2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4"]);
    const weeks = await analyze(long, { skip, cohortGrain: "week" });
    expect(weeks.results.cohorts!.grain).toBe("week");
    expect(weeks.results.cohorts!.grainAsked).toBe("week");
  });
});

describe("lifecycle step", () => {
  it("lifecycleStage and the stage rows equal lifecycleStages(table, { asOf, value: the pipeline's future value })", () => {
    const out = result.results.lifecycle!;
    const predicted = futureOf(result);
    const value = new Map<string, number>();
    result.table.ids.forEach((id, k) => Number.isNaN(predicted[k]) || value.set(id, predicted[k]));
    const direct = lifecycleStages(toTransactionTable(tx), { asOf: result.asOf, value });
    expect(out.stages).toEqual(direct.stages.filter((s) => s.stage !== "prospect"));
    expect(out.stages.map((s) => s.stage)).toEqual(["new", "growth", "maturity", "decline", "churned"]);
    expect(out.settings).toEqual(direct.settings);
    expect(out.report).toEqual(direct.report);
    expect(out.valueSource).toBe(`future value: ${futureSource(result)}`);
    const byId = new Map(direct.ids.map((id, j) => [id, direct.stage.values[direct.stage.codes[j]]]));
    expect(labels(result, "lifecycleStage")).toEqual(result.table.ids.map((id) => byId.get(id)));
  });
});

describe("the CRM steps on a tiny log with a margin rate (hand-checked)", () => {
  // a: 100 (Jan 5) + 50 (Feb 10), two orders; b: 30 (Jan 20), then a return of 30 (Feb 15); c: 10 (Feb 20).
  const tiny: Transaction[] = [
    { customerId: "a", date: "2024-01-05", amount: 100, orderId: "o1" },
    { customerId: "b", date: "2024-01-20", amount: 30, orderId: "o3" },
    { customerId: "a", date: "2024-02-10", amount: 50, orderId: "o2" },
    { customerId: "b", date: "2024-02-15", amount: -30, orderId: "o4" },
    { customerId: "c", date: "2024-02-20", amount: 10, orderId: "o5" },
  ] as unknown as Transaction[];
  const skip = ["value", "clv", "montecarlo", "churn", "rules", "cluster", "survival"] as const;
  let r: AnalysisResult;
  beforeAll(async () => {
    r = await analyze(tiny, { asOf: "2024-02-29", margin: 0.4, costPerOrder: 2, costPerReturnLine: 3, skip: [...skip] });
  });

  it("profit = 40% of net revenue − 2 per order − 3 per return line", () => {
    const out = r.results.profitability!;
    // a: 0.4 x 150 − 2 x 2 = 56; b: 0.4 x (30 − 30) − 2 − 3 = −5; c: 0.4 x 10 − 2 = 2.
    expect(r.customers.map((c) => [c.customerId, c.profit, c.profitZone])).toEqual([
      ["a", 56, "profitable"],
      ["b", -5, "unprofitable"],
      ["c", 2, "profitable"],
    ]);
    // revenue 160; product cost 0.6 x 160 = 96; gross profit 64; cost to serve: 4 orders (a 2, b 1, c 1) x 2 + 1 return line x 3 = 11; profit 64 − 11 = 53
    expect(out.totals.revenue).toBeCloseTo(160, 12);
    expect(out.totals.productCost).toBeCloseTo(96, 12);
    expect(out.totals.grossProfit).toBeCloseTo(64, 12);
    expect(out.totals.serviceCost).toBe(11);
    expect(out.totals.profit).toBeCloseTo(53, 12);
    expect(out.sourceText).toBe("a margin rate of 40% of each amount");
    // Whale: 56, 2, −5; total 53, gains 58: peak 58/53 after 2 of 3 customers, loss share 5/53.
    expect(out.whale.peak).toBeCloseTo(58 / 53, 12);
    expect(out.whale.peakCustomers).toBe(2);
    expect(out.whale.lossShare).toBeCloseTo(5 / 53, 12);
    expect(out.whale.points.map((p) => p.customerShare)).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(out.zones.map((z) => z.count)).toEqual([2, 0, 1]);
    expect(r.summaryText).toMatch(/Profitability \(a margin rate of 40% of each amount, cost to serve 2\/order and 3\/return line\): profit 53 on revenue 160; 2 profitable customers \(66\.7%\)/);
  });

  it("cohorts: 2024-01 (a, b) keeps 1 of 2 in February; 2024-02 (c); retention r = 1/2", () => {
    const out = r.results.cohorts!;
    expect(out.cohorts).toEqual([
      // January revenue 130; February 50 − 30 = 20 (b's return nets against its cohort): 20 / 130.
      { cohort: "2024-01", customers: 2, observed: 2, active: [2, 1], retention: [1, 0.5], revenue: [130, 20], revenueRetention: [1, 20 / 130] },
      { cohort: "2024-02", customers: 1, observed: 1, active: [1], retention: [1], revenue: [10], revenueRetention: [1] },
    ]);
    expect(out.partialLastPeriod).toBe(false);
    expect([out.estimates.retention, out.estimates.survived, out.estimates.atRisk]).toEqual([0.5, 1, 2]);
    expect(out.periods.map((p) => p.rate)).toEqual([null, 0.5]); // February: a of {a, b}
    expect(r.customers.map((c) => c.cohort)).toEqual(["2024-01", "2024-01", "2024-02"]);
  });

  it("a partial last month is flagged and left out of the estimate (here: nothing left to estimate from)", async () => {
    const p = await analyze(tiny, { margin: 0.4, skip: [...skip] }); // asOf = 2024-02-20
    const out = p.results.cohorts!;
    expect(out.partialLastPeriod).toBe(true);
    expect(out.lastPeriodDropped).toBe(true);
    expect(out.estimates.retention).toBeNull();
    expect(p.summaryText).toMatch(/no customer was at risk of lapsing yet.*the last month is partial/);
  });

  it("lifecycle stages every customer; the value is net revenue when no value step ran", () => {
    const out = r.results.lifecycle!;
    expect(out.valueSource).toBe("net revenue to date");
    expect(out.stages.reduce((a, s) => a + s.count, 0)).toBe(3);
    expect(out.stages.reduce((a, s) => a + s.revenue, 0)).toBeCloseTo(160, 12);
    const direct = lifecycleStages(toTransactionTable(tiny), { asOf: "2024-02-29" });
    expect(r.customers.map((c) => c.lifecycleStage)).toEqual(Array.from(direct.stage.codes, (c) => direct.stage.values[c]));
  });

  it("report sections: the whale curve marks the peak, unreached cohort cells are 'not yet observed' (null), not low; they render", async () => {
    const [profit, cohorts, lifecycle] = CRM_SECTION_BUILDERS.map((b) => b(r)!);
    expect([profit.id, cohorts.id, lifecycle.id]).toEqual(["profitability", "cohorts", "lifecycle"]);
    const whale = profit.charts[0] as { layer: { data: { values: Record<string, unknown>[] } }[] };
    // The 100% rule (total profit > 0): a dashed rule at y = 1.
    expect(whale.layer).toContainEqual(expect.objectContaining({ data: { values: [{ y: 1 }] }, mark: expect.objectContaining({ type: "rule" }) }));
    expect(whale.layer.at(-1)!.data.values[0]).toMatchObject({ customerShare: 2 / 3, cumulativeShare: out(r).whale.peak });
    expect(profit.howToRead).toMatch(/a margin rate of 40% of each amount; cost to serve 2 per order and 3 per return line/);
    const heat = cohorts.charts[0] as { data: { values: { cohort: string; k: number; retention: number | null; label: string }[] } };
    expect(heat.data.values.find((c) => c.cohort === "2024-02 (1)" && c.k === 1)).toEqual({ cohort: "2024-02 (1)", k: 1, retention: null, label: "not yet observed" });
    expect(heat.data.values.filter((c) => c.retention === null).length).toBe(1);
    const html = await renderReport(r);
    for (const id of ["profitability", "cohorts", "lifecycle"]) expect(html).toContain(`<section id="${id}">`);
    // A skipped step has no section.
    const none = await analyze(tiny, { skip: [...skip] });
    expect(CRM_SECTION_BUILDERS[0](none)).toBeNull();
  }, 30_000);
});

function out(r: AnalysisResult) {
  return r.results.profitability!;
}
