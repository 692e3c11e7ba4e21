import { beforeAll, describe, expect, it } from "vitest";
import {
  analyze,
  churnDatasetColumns,
  generateTransactions,
  groupByCustomer,
  modelJson,
  renderReport,
  scoreChurnColumns,
  toTransactionTable,
  trainChurnModelColumns,
  type AnalysisResult,
} from "../../src/index.js";

// One vocabulary of value: every total in `result.value` must be the sum of the per-customer
// columns it names, on the settings it states; and the report/summary print those settings.

const tx = generateTransactions({ customers: 500, seed: 23 });
let result: AnalysisResult;
const settings = { margin: 0.4, horizonMonths: 6, discountRate: 0.02 };

beforeAll(async () => {
  result = await analyze(tx, { seed: 4, ...settings, skip: ["cluster", "rules"] });
}, 60_000);

const col = (name: string) => result.table.columns.get(name) as Float64Array;
const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (!Number.isNaN(a[i])) s += a[i];
  return s;
};

describe("result.value: past and future value on one set of settings", () => {
  it("states the settings the analysis ran with", () => {
    expect(result.value.settings).toEqual({ horizonMonths: 6, margin: 0.4, discountRatePerMonth: 0.02, monthDays: 30 });
  });

  it("past = sum of the 3D CV column, 3D future = sum of SV + IV (per-customer columns are rounded to cents)", () => {
    const n = result.table.length;
    expect(Math.abs(result.value.past!.total - sum(col("cv")))).toBeLessThanOrEqual(0.005 * n);
    const f3d = result.value.future.find((f) => f.model === "clv3d")!;
    expect(Math.abs(f3d.total - (sum(col("sv")) + sum(col("iv"))))).toBeLessThanOrEqual(0.01 * n);
    // And the whole 3D CLV is past + future, nothing else.
    expect(Math.abs(result.value.past!.total + f3d.total - sum(col("clv3d")))).toBeLessThanOrEqual(0.015 * n);
  });

  it("BG/NBD + Gamma-Gamma future = sum of predictedClv; Monte Carlo = the portfolio mean of its step", () => {
    const n = result.table.length;
    const bg = result.value.future.find((f) => f.model === "btyd-gamma-gamma")!;
    expect(Math.abs(bg.total - sum(col("predictedClv")))).toBeLessThanOrEqual(0.005 * n);
    const valued = Array.from(col("predictedClv")).filter((x) => !Number.isNaN(x)).length;
    expect(bg.customers).toBe(valued);
    const mc = result.value.future.find((f) => f.model === "monte-carlo")!;
    const step = result.results.montecarlo as { portfolio: { mean: number; p5: number; p95: number } };
    expect([mc.total, mc.p5, mc.p95]).toEqual([step.portfolio.mean, step.portfolio.p5, step.portfolio.p95]);
  });

  it("the montecarlo step's parameter uncertainty: the simulateTransactionClv portfolio of the clv step's own fits (same seed, settings, futures)", async () => {
    const { calibrationTable, fitBgNbd, fitGammaGamma, simulateTransactionClv } = await import("../../src/index.js");
    const pu = result.results.montecarlo!.parameterUncertainty as { draws: number; mean: number; p5: number; p50: number; p95: number; processOnly: { p5: number; p95: number } };
    // 500 customers: 500 futures (the cap) with parameter draws, 200 without.
    expect(pu.draws).toBe(500);
    const table = calibrationTable(groupByCustomer(toTransactionTable(tx)), { calibrationEnd: result.asOf, timeUnit: "weeks" });
    const bg = fitBgNbd(table);
    const keep = Array.from(table.x.keys()).filter((k) => table.x[k] === 0 || table.monetaryValue[k] > 0);
    const pick = (a: Float64Array) => Float64Array.from(keep, (k) => a[k]);
    const gg = fitGammaGamma({ ids: keep.map((k) => table.ids[k]), x: pick(table.x), t_x: pick(table.t_x), T: pick(table.T), monetaryValue: pick(table.monetaryValue) });
    const base = { horizon: 6, discountRate: 0.02, margin: 0.4, periodsPerUnit: 30 / 7, seed: 4 };
    const full = simulateTransactionClv(bg, gg, table, { ...base, draws: 500 }).totals.clv;
    const proc = simulateTransactionClv(bg, gg, table, { ...base, draws: 200, parameterUncertainty: false }).totals.clv;
    expect([pu.mean, pu.p5, pu.p50, pu.p95]).toEqual([full.mean, full.lower, full.median, full.upper]);
    expect(pu.processOnly).toEqual({ p5: proc.lower, p95: proc.upper });
    // Both sources of uncertainty give a wider 90% interval than process noise alone; the mean is
    // the closed-form BG/NBD + Gamma-Gamma value within 5% (500 futures with parameter draws).
    expect(pu.p95 - pu.p5).toBeGreaterThan(proc.upper - proc.lower);
    const closed = result.value.future.find((f) => f.model === "btyd-gamma-gamma")!.total;
    expect(Math.abs(pu.mean / closed - 1)).toBeLessThan(0.05);
    expect(result.summaryText).toContain("With the BG/NBD + Gamma-Gamma parameters' uncertainty (500 simulated futures)");
  }, 60_000);

  it("the margin scales every future value: margin 0.4 gives 0.4x the margin-1 figures (same seed)", async () => {
    const full = await analyze(tx, { seed: 4, ...settings, margin: 1, skip: ["cluster", "rules", "churn"] });
    for (const model of ["clv3d", "btyd-gamma-gamma"] as const) {
      const a = result.value.future.find((f) => f.model === model)!.total;
      const b = full.value.future.find((f) => f.model === model)!.total;
      expect(a / b, model).toBeCloseTo(0.4, 9);
    }
  }, 60_000);

  it("the summary, model.json and the report state the horizon, margin and discount", async () => {
    expect(result.summaryText).toContain("Value (future = next 6 months of 30 days, margin 40%, discount 2% per month):");
    expect(result.summaryText).toMatch(/past value to date \(3D CV\)\s+[\d,]+/);
    expect(JSON.parse(modelJson(result)).value.settings.horizonMonths).toBe(6);
    const html = await renderReport(result);
    expect(html).toContain("values: next 6 months of 30 days, margin 40%, discount 2% per month");
    expect(html).toContain('id="value-overview"');
    expect(html).toContain('id="top-customers"');
  }, 60_000);

  it("the top-customers table lists the highest predictedClv first", async () => {
    const html = await renderReport(result);
    const section = html.slice(html.indexOf('id="top-customers"'));
    const firstRow = section.slice(section.indexOf("<tbody>") + 7, section.indexOf("</tr>", section.indexOf("<tbody>")));
    const clv = col("predictedClv");
    let best = 0;
    for (let k = 1; k < clv.length; k++) if (clv[k] > clv[best]) best = k;
    expect(firstRow).toContain(`<td>${result.table.ids[best]}</td>`);
  }, 60_000);
});

describe("churn risk wiring (mutant M6: risk reported as 1 - risk)", () => {
  it("churnRisk equals the final model refitted as the step documents, scored at asOf and calibrated", async () => {
    const churn = result.results.churn as { cutoff: string; windowDays: number; model: string };
    expect(churn.model).toBe("logistic");
    const table = groupByCustomer(toTransactionTable(tx));
    const ds = churnDatasetColumns(table, { cutoff: churn.cutoff, churnWindowDays: churn.windowDays, dataEnd: result.asOf });
    const model = trainChurnModelColumns({ columns: ds.columns }, ds.churned as Uint8Array, { features: ds.features, model: "logistic" });
    const today = churnDatasetColumns(table, { cutoff: result.asOf, labels: false });
    const raw = scoreChurnColumns(model, { columns: today.columns });
    // Calibrated as the step says: its map (fitted on the held-out scores) applied to the final model's scores.
    const { applyChurnCalibration } = await import("../../src/index.js");
    const c = result.results.churn!.calibration;
    const risk = c.applied ? applyChurnCalibration(c.calibrator, raw) : raw;
    const byId = new Map(result.table.ids.map((id, k) => [id, k]));
    const out = col("churnRisk");
    for (let i = 0; i < risk.length; i++) expect(Math.abs(out[byId.get(today.customerIds[i])!] - risk[i])).toBeLessThanOrEqual(5e-5);
  });
});

describe("the number of clusters", () => {
  it("k fixes it, kRange bounds the choice (default 3..8), both at once is an option error", async () => {
    const small = generateTransactions({ customers: 200, seed: 5 });
    const fixed = await analyze(small, { seed: 1, k: 4, skip: ["montecarlo", "churn", "rules", "clv", "value"] });
    expect(fixed.results.cluster!.k).toBe(4);
    expect(fixed.settings.kRange).toEqual([4, 4]);
    const chosen = await analyze(small, { seed: 1, skip: ["montecarlo", "churn", "rules", "clv", "value"] });
    expect(chosen.results.cluster!.choice!.table.map((row) => row.k)).toEqual([3, 4, 5, 6, 7, 8]);
    await expect(analyze(small, { k: 3, kRange: [3, 5] })).rejects.toThrow(/either k or kRange/);
  }, 60_000);
});

describe("the survival step (wiring)", () => {
  it("the overall curve equals kaplanMeier on churnSurvivalData in 30-day months; groups are tested by log-rank", async () => {
    const { churnSurvivalData, kaplanMeier, summarizeCustomersTable } = await import("../../src/index.js");
    const out = result.results.survival!;
    const { customers } = summarizeCustomersTable(groupByCustomer(toTransactionTable(tx)), { asOf: result.asOf });
    const data = churnSurvivalData(customers, { churnWindowDays: 180, unitDays: 30 });
    const km = kaplanMeier(data.time, data.status);
    expect(out.overall.customers).toBe(km.n);
    expect(out.overall.churned).toBe(km.events);
    // Every reported point is a point of the curve (rounded to 4 decimals).
    out.overall.months.forEach((m, i) => {
      const j = Array.from(km.time).findIndex((t) => Math.abs(t - m) < 5e-5);
      expect(j, `month ${m}`).toBeGreaterThanOrEqual(0);
      expect(out.overall.survival[i]).toBeCloseTo(km.surv[j], 4);
    });
    expect(out.comparisons.map((c) => c.by)).toContain("cohort");
    for (const c of out.comparisons) expect(c.p).toBeGreaterThanOrEqual(0), expect(c.p).toBeLessThanOrEqual(1);
  });
});

describe("the migration step (wiring)", () => {
  it("counts equal rfmMigration on the same log; without compareAsOf the step is skipped with the reason", async () => {
    const { rfmMigration } = await import("../../src/index.js");
    const small = generateTransactions({ customers: 300, seed: 9 });
    const r = await analyze(small, { seed: 1, compareAsOf: "2024-06-30", skip: ["montecarlo", "churn", "rules", "cluster", "clv", "value"] });
    const direct = rfmMigration(toTransactionTable(small), { from: "2024-06-30", to: r.asOf });
    const out = r.results.migration!;
    expect(out.counts).toEqual(direct.matrix.counts);
    expect(out.fromStates).toEqual(direct.matrix.from);
    expect(out.customers - out.stayed).toBe(direct.matrix.customers - direct.matrix.stayed);
    for (const m of out.moves) expect(m.count).toBe(direct.matrix.counts[direct.matrix.from.indexOf(m.from)][direct.matrix.to.indexOf(m.to)]);
    const none = await analyze(small, { seed: 1, skip: ["montecarlo", "churn", "rules", "cluster", "clv", "value"] });
    expect(none.steps.find((s) => s.step === "migration")).toMatchObject({ status: "skipped", reason: expect.stringContaining("compareAsOf") });
    await expect(analyze(small, { compareAsOf: "2024-02-30" })).rejects.toThrow(/compareAsOf/);
  }, 60_000);
});

describe("the campaign step (wiring)", () => {
  it("contacts carry the pipeline's churnRisk and future value, stay within the budget, best first; skipped without a contact cost", async () => {
    const r = await analyze(tx, { seed: 4, contactCost: 8, campaignBudget: 300, skip: ["cluster", "rules"] });
    const out = r.results.campaign!;
    const byId = new Map(r.table.ids.map((id, k) => [id, k]));
    const churnRisk = r.table.columns.get("churnRisk") as Float64Array;
    const predicted = r.table.columns.get("predictedClv") as Float64Array;
    expect(out.expected.contacts).toBeGreaterThan(0);
    expect(out.expected.spend).toBeLessThanOrEqual(300);
    expect(out.expected.spend).toBe(out.expected.contacts * 8);
    for (const c of out.contacts) {
      const k = byId.get(c.customerId)!;
      expect(Math.abs(c.churnProbability! - churnRisk[k])).toBeLessThanOrEqual(5e-5); // churnRisk is rounded to 4 decimals
      expect(Math.abs(c.valueIfSaved - predicted[k])).toBeLessThanOrEqual(0.005 + 1e-9); // predictedClv is rounded to cents
      // Expected net value = P(churn) x 0.3 (assumed save rate) x value - cost.
      expect(c.expectedNetValue).toBeCloseTo(c.churnProbability! * 0.3 * c.valueIfSaved - 8, 6);
    }
    for (let i = 1; i < out.contacts.length; i++) expect(out.contacts[i].expectedNetValue).toBeLessThanOrEqual(out.contacts[i - 1].expectedNetValue + 1e-9);
    const none = await analyze(tx, { seed: 4, skip: ["cluster", "rules", "montecarlo"] });
    expect(none.steps.find((s) => s.step === "campaign")).toMatchObject({ status: "skipped", reason: expect.stringContaining("contact cost") });
  }, 120_000);
});

describe("the model-fit check (wiring)", () => {
  it("purchase counts equal purchaseCountFit on the step's BG/NBD fit; observed counts add up to the customers", async () => {
    const { calibrationTable, fitBgNbd, purchaseCountFit } = await import("../../src/index.js");
    const fc = result.results.clv!.fitCheck;
    const summary = calibrationTable(groupByCustomer(toTransactionTable(tx)), { calibrationEnd: result.asOf, timeUnit: "weeks" });
    const direct = purchaseCountFit(fitBgNbd(summary), summary, { maxX: 7 });
    expect(fc.purchaseCounts.observed).toEqual(direct.observed);
    fc.purchaseCounts.expected.forEach((e, i) => expect(e).toBeCloseTo(direct.expected[i], 9));
    expect(fc.purchaseCounts.observed.reduce((a, b) => a + b, 0)).toBe(summary.length);
  });
});

describe("the value step's scoring options (issue 20, item 8: the telecom study's interval tables)", () => {
  // Preset business intervals for every default indicator (open ends, so every customer is covered).
  const open = (cuts: number[], scores: number[]) => scores.map((score, i) => ({ from: i === 0 ? -Infinity : cuts[i - 1], to: i === cuts.length ? Infinity : cuts[i], score }));
  const valueScoring = {
    scoreBy: "intervals" as const,
    intervals: {
      cv: { currentValue: open([100, 500], [20, 60, 100]), frequency: open([2, 6], [10, 50, 100]), tenureDays: open([180, 540], [30, 70, 100]) },
      pv: { stockValue: open([50, 200], [20, 60, 100]), spendPerPeriod: open([20, 80], [25, 60, 100]), recencyDays: open([60, 180], [100, 50, 0]) },
      iv: { incrementalValue: open([0, 20], [0, 50, 100]), growth: open([0, 0.05], [0, 50, 100]) },
    },
    dimensionWeights: { cv: 2, pv: 1, iv: 1 },
  };

  it("valueScore equals clv3dColumns with the same tables and weights on the same summaries, settings and growth", async () => {
    const { clv3dColumns, spendGrowthColumn, summarizeCustomersTable } = await import("../../src/index.js");
    const r = await analyze(tx, { seed: 4, ...settings, valueScoring, skip: ["clv", "montecarlo", "churn", "rules", "cluster", "survival", "profitability", "cohorts", "lifecycle"] });
    const table = groupByCustomer(toTransactionTable(tx));
    const { customers } = summarizeCustomersTable(table, { asOf: r.asOf });
    const growth = spendGrowthColumn(customers, table, { periodDays: 30 });
    const direct = clv3dColumns(customers, { ...valueScoring, marginRate: 0.4, periodDays: 30, discountRate: 0.02, horizon: 6, growth, retention: { type: "weibull", churnAfterDays: 180 } });
    const got = r.table.columns.get("valueScore") as Float64Array;
    expect(Array.from(got)).toEqual(Array.from(direct.valueScore, (x) => Math.round(x * 100) / 100));
    expect(r.results.value!.scoreBy).toBe("intervals");
    expect([r.results.value!.valueWeights.cv, r.results.value!.valueWeights.pv, r.results.value!.valueWeights.iv]).toEqual([0.5, 0.25, 0.25]);
    // The interval scores differ from the default percentile scores: the option reached the model.
    const dflt = result.table.columns.get("valueScore") as Float64Array;
    expect(Array.from(got)).not.toEqual(Array.from(dflt));
    expect(result.results.value!.scoreBy).toBe("quantiles");
  }, 60_000);

  it("an unknown key or a table that leaves a value uncovered is a typed error naming it", async () => {
    await expect(analyze(tx.slice(0, 200), { valueScoring: { scoreBy: "intervals", weights: {} } as never })).rejects.toThrow(/valueScoring\.weights/);
    const gap = { ...valueScoring, intervals: { ...valueScoring.intervals, cv: { ...valueScoring.intervals.cv, frequency: [{ from: 1, to: 2, score: 10 }, { from: 2, to: 3, score: 50 }] } } };
    await expect(analyze(tx, { valueScoring: gap, skip: ["clv", "montecarlo", "churn", "rules", "cluster", "survival"] })).rejects.toThrow(/frequency/);
  }, 60_000);
});
