import { beforeAll, describe, expect, it } from "vitest";
import {
  analysisFiles,
  analyze,
  calibrationSummary,
  clv3d,
  fitBgNbd,
  generateTransactions,
  InvalidOptionError,
  probabilityAlive,
  rfm,
  STEP_NAMES,
  summarizeCustomers,
  type AnalysisResult,
  type CustomerRow,
  type Transaction,
} from "../../src/index.js";

// Oracle for the wiring: each step's per-customer fields must equal what the analytic's own
// public function gives on the same input (those functions are tested against published
// figures in their own suites).

// A product cost on every line (60% of the amount), so the profitability step has a cost column and every step runs.
const tx = generateTransactions({ customers: 600, seed: 11 }).map((t) => ({ ...t, cost: Math.round(t.amount * 60) / 100 }));
let result: AnalysisResult;

beforeAll(async () => {
  result = await analyze(tx, { seed: 5, compareAsOf: "2024-06-30", contactCost: 5, campaignBudget: 400 }); // an earlier day, so the migration step runs too
}, 60_000);

describe("analyze(transactions) on a seeded synthetic store", () => {
  it("runs every step and returns one row per customer with every step's fields", () => {
    expect(result.steps.map((s) => [s.step, s.status])).toEqual([["summaries", "ok"], ...STEP_NAMES.map((n) => [n, "ok"])]);
    const ids = new Set(tx.map((t) => t.customerId));
    expect(result.customers.length).toBe(ids.size);
    expect(new Set(result.customers.map((c) => c.customerId))).toEqual(ids);
    const fields: (keyof CustomerRow)[] = ["rfmCell", "rfmSegment", "behaviorQuadrant", "abcClass", "clv3d", "clv3dGroup", "pAlive", "predictedClv", "mcClvMean", "churnRisk", "cluster", "clusterLabel", "profit", "profitZone", "abcByProfit", "cohort", "lifecycleStage"];
    for (const f of fields) expect(result.customers.filter((c) => c[f] !== undefined).length, f).toBeGreaterThan(0.9 * ids.size);
    // Ingestion accounting is carried through.
    expect(result.ingestion?.rowsRead).toBe(tx.length);
    expect(result.ingestion!.accepted + result.ingestion!.rejected).toBe(tx.length);
  });

  it("the RFM cells equal rfm(summarizeCustomers(tx)) exactly", () => {
    const direct = rfm(summarizeCustomers(tx, { asOf: result.asOf }));
    const byId = new Map(result.customers.map((c) => [c.customerId, c]));
    for (const c of direct.customers) {
      expect(byId.get(c.customerId)!.rfmCell).toBe(c.cell);
      expect(byId.get(c.customerId)!.rfmSegment).toBe(c.segment);
    }
  });

  it("P(alive) equals probabilityAlive(fit of the chosen transaction model) within rounding (4 decimals)", async () => {
    const { fitMbgNbd, fitParetoNbd } = await import("../../src/index.js");
    const s = calibrationSummary(tx, { calibrationEnd: result.asOf, timeUnit: "weeks" });
    const clv = result.results.clv!;
    const fit = { "bg-nbd": fitBgNbd, "mbg-nbd": fitMbgNbd, "pareto-nbd": fitParetoNbd }[clv.fit.model];
    const alive = probabilityAlive(fit(s), s);
    const byId = new Map(result.customers.map((c) => [c.customerId, c]));
    for (const a of alive) expect(Math.abs((byId.get(a.customerId)!.pAlive as number) - a.pAlive)).toBeLessThanOrEqual(5e-5);
  });

  it("3D CLV equals clv3d(...) with the documented settings (Weibull, 30-day months, 12 months, 1%) within a cent", () => {
    const direct = clv3d(summarizeCustomers(tx, { asOf: result.asOf }), { marginRate: 1, periodDays: 30, discountRate: 0.01, horizon: 12, retention: { type: "weibull", churnAfterDays: 180 }, transactions: tx });
    const byId = new Map(result.customers.map((c) => [c.customerId, c]));
    for (const c of direct.customers) {
      expect(Math.abs((byId.get(c.customerId)!.clv3d as number) - c.clv)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(byId.get(c.customerId)!.clv3dGroup).toBe(c.group);
    }
  });

  it("the Monte Carlo portfolio mean agrees with its closed form within 4 standard errors, and per-customer means sum to it", () => {
    const mc = result.results.montecarlo as { portfolio: { mean: number; standardError: number; p5: number; p95: number }; expectedTotal: number };
    expect(Math.abs(mc.portfolio.mean - mc.expectedTotal)).toBeLessThan(4 * mc.portfolio.standardError);
    const sum = result.customers.reduce((a, c) => a + ((c.mcClvMean as number) ?? 0), 0);
    expect(Math.abs(sum - mc.portfolio.mean) / mc.portfolio.mean).toBeLessThan(1e-3); // rounding to cents per customer
    expect(mc.portfolio.p5).toBeLessThan(mc.portfolio.p95);
  });

  it("churn risk is a probability for every customer and the held-out AUC beats chance", () => {
    const churn = result.results.churn as { evaluation: { rocAuc: number }; windowDays: number };
    expect(churn.windowDays).toBe(180);
    expect(churn.evaluation.rocAuc).toBeGreaterThan(0.6);
    for (const c of result.customers) expect(c.churnRisk as number).toBeGreaterThanOrEqual(0), expect(c.churnRisk as number).toBeLessThanOrEqual(1);
  });

  it("is reproducible: the same seed gives the same result, another seed changes the simulated values only", async () => {
    const again = await analyze(tx, { seed: 5, compareAsOf: "2024-06-30", contactCost: 5, campaignBudget: 400 });
    const strip = (r: AnalysisResult) => JSON.stringify({ ...r, steps: r.steps.map((s) => ({ ...s, seconds: 0 })) });
    expect(strip(again)).toBe(strip(result));
    const other = await analyze(tx, { seed: 6, skip: ["rules", "cluster", "churn"] });
    const a = result.customers.find((c) => (c.mcClvMean as number) > 0)!;
    const b = other.customers.find((c) => c.customerId === a.customerId)!;
    expect(b.rfmCell).toBe(a.rfmCell);
    expect(b.mcClvMean).not.toBe(a.mcClvMean);
  }, 60_000);

  it("the five output files: customers.csv has one line per customer plus a header; model.json parses", async () => {
    const files = new Map(await analysisFiles(result));
    expect([...files.keys()]).toEqual(["customers.csv", "segments.csv", "rules.csv", "model.json", "report.html"]);
    expect(files.get("customers.csv")!.trim().split("\n").length).toBe(result.customers.length + 1);
    const model = JSON.parse(files.get("model.json")!);
    expect(model.settings).toEqual({ margin: 1, horizonMonths: 12, discountRate: 0.01, churnWindowDays: 180, churnModel: "logistic", draws: 1000, threads: "auto", kRange: [3, 8], rulesMinSupport: 0.01, rulesMinConfidence: 0.3, costPerOrder: 0, costPerReturnLine: 0, cohortGrain: "auto", compareAsOf: "2024-06-30", contactCost: 5, offerCost: 0, campaignBudget: 400, successRate: 0.3, privacy: null, valueScoring: null, transactionModel: "auto" });
  });
});

describe("analyze: skipped steps and edge cases", () => {
  it("skips switched-off steps with the reason, and their fields are absent", async () => {
    const r = await analyze(tx.slice(0, 2000), { skip: ["montecarlo", "cluster", "churn", "rules", "value"] });
    expect(r.steps.find((s) => s.step === "montecarlo")).toMatchObject({ status: "skipped", reason: "switched off" });
    expect(r.customers.some((c) => "mcClvMean" in c || "cluster" in c)).toBe(false);
    expect(r.results.montecarlo).toBeUndefined();
  });

  it("no items: the rules step is skipped with a stated reason, not an error", async () => {
    const noItems = tx.map(({ items: _i, ...t }) => t);
    const r = await analyze(noItems, { skip: ["montecarlo", "cluster", "churn", "value"] });
    expect(r.steps.find((s) => s.step === "rules")).toMatchObject({ status: "skipped", reason: "no items in the transactions" });
  });

  it("a one-month log: churn and the holdout check are skipped with reasons; ids like __proto__ and constructor are ordinary customers", async () => {
    const short: Transaction[] = [];
    const ids = ["__proto__", "constructor", "toString", ...Array.from({ length: 40 }, (_, i) => `c${i}`)];
    ids.forEach((id, i) => {
      short.push({ customerId: id, date: new Date(Date.UTC(2024, 0, 1 + (i % 20))), amount: 10 + i });
      if (i % 2) short.push({ customerId: id, date: new Date(Date.UTC(2024, 0, 10 + (i % 20))), amount: 5 });
    });
    const r = await analyze(short, { asOf: "2024-01-31" });
    expect(new Set(r.customers.map((c) => c.customerId))).toEqual(new Set(ids));
    expect(r.customers.find((c) => c.customerId === "__proto__")!.totalSpend).toBe(10);
    expect(r.steps.find((s) => s.step === "churn")).toMatchObject({ status: "skipped" });
    expect(r.steps.find((s) => s.step === "churn")!.reason).toBe("only 35 customers before the cutoff 2024-01-16 (at least 50 needed)") // 43 ids first seen on days 1..20 in turn: 35 on or before day 16;
    expect((r.results.clv as { holdout: unknown } | undefined)?.holdout ?? null).toBeNull();
    expect(Object.getPrototypeOf(r.customers[0])).toBe(Object.prototype);
  });

  it("rejects bad options with a typed error naming the option", async () => {
    await expect(analyze(tx, { margin: 2 })).rejects.toThrow(InvalidOptionError);
    await expect(analyze(tx, { margin: 2 })).rejects.toThrow(/margin/);
    await expect(analyze(tx, { skip: ["nope" as never] })).rejects.toThrow(/skip/);
    await expect(analyze(tx, { kRange: [5, 3] })).rejects.toThrow(/kRange/);
  });
});

describe("analyze: the holdout check", () => {
  it("uses exactly the rows of calibrationHoldout at the log's midpoint (same fit of the chosen model and validation table)", async () => {
    const { calibrationHoldout, holdoutValidation, fitMbgNbd, fitParetoNbd, backtestTransactionModels } = await import("../../src/index.js");
    const r = await analyze(tx, { seed: 5, skip: ["value", "montecarlo", "churn", "rules", "cluster"] });
    const clv = r.results.clv!;
    const h = clv.holdout!;
    // The model is the back-test's recommendation on the same window.
    const bt = backtestTransactionModels(tx, { windows: [{ calibrationEnd: h.calibrationEnd, holdoutEnd: r.asOf }] });
    expect(clv.choice).toMatchObject({ model: bt.recommended, by: "back-test", reason: bt.reason });
    expect(clv.fit.model).toBe(bt.recommended);
    const rows = calibrationHoldout(tx, { calibrationEnd: h.calibrationEnd, holdoutEnd: r.asOf, timeUnit: "weeks" });
    const model = { "bg-nbd": fitBgNbd, "mbg-nbd": fitMbgNbd, "pareto-nbd": fitParetoNbd }[bt.recommended](rows);
    expect(h.model.params).toEqual(model.params);
    expect(h.rows).toEqual(holdoutValidation(model, rows).rows);
  });
});

describe("analyze: transactionModel", () => {
  it("a named model is used as asked (choice.by 'option'), fitted as the library fits it; a bad name is an InvalidOptionError", async () => {
    const { calibrationSummary, fitMbgNbd, InvalidOptionError } = await import("../../src/index.js");
    const r = await analyze(tx, { seed: 5, transactionModel: "mbg-nbd", skip: ["value", "montecarlo", "churn", "rules", "cluster", "survival"] });
    const clv = r.results.clv!;
    expect(clv.choice).toEqual({ model: "mbg-nbd", label: "MBG/NBD", by: "option", reason: "MBG/NBD as asked (transactionModel)" });
    const s = calibrationSummary(tx, { calibrationEnd: r.asOf, timeUnit: "weeks" });
    expect(clv.fit.params).toEqual({ ...fitMbgNbd(s).params });
    expect(r.summaryText).toContain("MBG/NBD holdout check");
    await expect(analyze(tx, { transactionModel: "gamma" as never })).rejects.toThrow(InvalidOptionError);
  }, 60_000);
});

describe("analyze: the back-test's bounds", () => {
  it("below 500 customers there is no back-test: BG/NBD by default, and the reason says why", async () => {
    const small = generateTransactions({ customers: 300, seed: 9 });
    const r = await analyze(small, { seed: 9, skip: ["value", "montecarlo", "churn", "rules", "cluster", "survival"] });
    const clv = r.results.clv!;
    expect(clv.choice).toMatchObject({ model: "bg-nbd", label: "BG/NBD", by: "default" });
    expect(clv.choice.reason).toBe("300 customers: fewer than 500 are too few to tell the models apart on one holdout window: BG/NBD by default (set transactionModel to choose)");
    expect(r.summaryText).toContain("Transaction model: BG/NBD, 300 customers: fewer than 500");
  }, 60_000);
});
