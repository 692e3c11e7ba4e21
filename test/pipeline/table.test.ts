import { describe, expect, it } from "vitest";
import {
  analysisFiles,
  analyze,
  calibrationSummary,
  customerLifetimeValue,
  customersCsvChunks,
  fitBgNbd,
  fitGammaGamma,
  generateTransactions,
  modelJson,
  parseTransactionTable,
  tableRows,
  toTransactionTable,
} from "../../src/index.js";

const tx = generateTransactions({ customers: 500, seed: 21, returnRate: 0.05 });

describe("analyze on the columnar path", () => {
  it("analyze(table) gives the same customers.csv and model.json as analyze(records), bit for bit (timings aside)", async () => {
    const fromRecords = await analyze(tx, { seed: 3, draws: 100 });
    const fromTable = await analyze(toTransactionTable(tx), { seed: 3, draws: 100 });
    const strip = (r: typeof fromTable) => JSON.parse(modelJson(r), (k, v) => (k === "seconds" ? 0 : k === "ingestion" ? null : v));
    expect(strip(fromTable)).toEqual(strip(fromRecords));
    expect([...customersCsvChunks(fromTable.table)].join("")).toBe([...customersCsvChunks(fromRecords.table)].join(""));
    expect(fromTable.customers).toEqual(fromRecords.customers);
  }, 60_000);

  it("analyze({ table, report }) keeps the ingestion report; customers.csv streamed in chunks equals the one-string file", async () => {
    const rows = tx.map((t) => ({ id: t.customerId, day: t.date.toISOString().slice(0, 10), total: t.amount, order: t.orderId, items: (t.items ?? []).join("|") }));
    const ingested = parseTransactionTable(rows, { columns: { customerId: "id", date: "day", amount: "total", orderId: "order", items: "items" } });
    const result = await analyze(ingested, { seed: 3, draws: 100, skip: ["cluster", "churn"] });
    expect(result.ingestion).toBe(ingested.report);
    const chunks = [...customersCsvChunks(result.table, 37)];
    expect(chunks.length).toBe(1 + Math.ceil(result.table.length / 37));
    const files = new Map(await analysisFiles(result));
    expect(chunks.join("")).toBe(files.get("customers.csv"));
    expect(files.get("customers.csv")!.trim().split("\n").length).toBe(result.table.length + 1);
    // The lazily built rows are the table's rows.
    expect(result.customers).toEqual(tableRows(result.table));
  }, 60_000);

  it("predictedClv and expectedPurchases equal customerLifetimeValue(fitBgNbd, fitGammaGamma) on the record path, to the cent / 4 decimals", async () => {
    const result = await analyze(toTransactionTable(tx), { seed: 3, skip: ["montecarlo", "cluster", "churn", "rules"] });
    const s = calibrationSummary(tx, { calibrationEnd: result.asOf, timeUnit: "weeks" });
    const { fitMbgNbd, fitParetoNbd } = await import("../../src/index.js");
    const bg = { "bg-nbd": fitBgNbd, "mbg-nbd": fitMbgNbd, "pareto-nbd": fitParetoNbd }[result.results.clv!.fit.model](s);
    const spendable = s.filter((c) => c.x === 0 || c.monetaryValue > 0);
    const direct = customerLifetimeValue(bg, fitGammaGamma(spendable), spendable, { horizon: 12, discountRate: 0.01, margin: 1, periodsPerUnit: 30 / 7 }); // months of 30 days, as the 3D and Monte Carlo steps
    const byId = new Map(result.customers.map((c) => [c.customerId, c]));
    expect(direct.length).toBeGreaterThan(400);
    for (const c of direct) {
      const row = byId.get(c.customerId)!;
      expect(Math.abs((row.predictedClv as number) - c.clv)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs((row.expectedPurchases as number) - c.expectedPurchases)).toBeLessThanOrEqual(5e-5 + 1e-12);
    }
  }, 60_000);
});

describe("analyze: bounded Monte Carlo work", () => {
  it("without draws, a base over the budget gets budget / customers draws (at least 100) and says so; draws given are used as they are", async () => {
    const table = toTransactionTable(generateTransactions({ customers: 400, seed: 2 }));
    const skip = ["cluster", "churn", "rules"] as const;
    const limited = await analyze(table, { seed: 1, skip: [...skip], monteCarloBudget: 400 * 250 } as Parameters<typeof analyze>[1]);
    const mc = limited.results.montecarlo as { draws: number; drawsNote?: string };
    expect(mc.draws).toBe(250); // 100,000 / 400 customers
    expect(mc.drawsNote).toMatch(/250 draws per customer instead of 1000/);
    expect(limited.summaryText).toMatch(/Monte Carlo CLV \(250 draws per customer, budget-limited/);
    const floor = await analyze(table, { seed: 1, skip: [...skip], monteCarloBudget: 10 } as Parameters<typeof analyze>[1]);
    expect((floor.results.montecarlo as { draws: number }).draws).toBe(100);
    const given = await analyze(table, { seed: 1, draws: 300, skip: [...skip], monteCarloBudget: 10 } as Parameters<typeof analyze>[1]);
    expect((given.results.montecarlo as { draws: number; drawsNote?: string }).draws).toBe(300);
    expect((given.results.montecarlo as { drawsNote?: string }).drawsNote).toBeUndefined();
  }, 60_000);
});

describe("analyze: churn step on columns", () => {
  it("churnRisk, the evaluation and the at-risk list equal the record path (churnDataset rows, trainChurnModel, scoreChurn, atRiskCustomers)", async () => {
    const { churnDataset, churnDatasetColumns, trainChurnModel, scoreChurn, stratifiedSplit, evaluateChurn, atRiskCustomers, applyChurnCalibration } = await import("../../src/index.js");
    const tx2 = generateTransactions({ customers: 900, seed: 31, returnRate: 0.05 });
    for (const churnModel of ["logistic", "tree"] as const) {
      const result = await analyze(tx2, { seed: 7, churnModel, skip: ["montecarlo", "cluster", "rules", "value"] });
      const out = result.results.churn!;
      // The record path, as the step computed it before it moved to columns.
      const ds = churnDataset(tx2, { cutoff: out.cutoff, churnWindowDays: out.windowDays, dataEnd: result.asOf });
      const cols = churnDatasetColumns(toTransactionTable(tx2), { cutoff: out.cutoff, churnWindowDays: out.windowDays, dataEnd: result.asOf });
      expect(cols.customerIds).toEqual(ds.rows.map((r) => r.customerId));
      for (const f of cols.features) expect(Array.from(cols.columns[f], (x) => (Number.isNaN(x) ? null : x)), f).toEqual(ds.rows.map((r) => r[f]));
      const { train, test } = stratifiedSplit(ds.rows, { testFraction: 0.3, seed: 7 });
      const opts = churnModel === "tree" ? { model: "tree" as const, maxDepth: 3, minSamplesLeaf: Math.max(20, Math.round(train.length / 40)) } : { model: "logistic" as const };
      const evaluation = evaluateChurn(test.map((r) => r.churned === true), scoreChurn(trainChurnModel(train, opts), test));
      expect(out.evaluation.rocAuc).toBe(evaluation.rocAuc);
      const final = trainChurnModel(ds.rows, opts); // the step's final model: same options (minimum leaf from the training split)
      const today = churnDataset(tx2, { cutoff: result.asOf, labels: false }).rows;
      const risk = scoreChurn(final, today);
      const byId = new Map(result.customers.map((c) => [c.customerId, c.churnRisk]));
      // churnRisk is the model's score through the step's calibration map (fitted on the held-out scores).
      const calibrated = out.calibration.applied ? applyChurnCalibration(out.calibration.calibrator, risk) : Float64Array.from(risk);
      today.forEach((r, i) => expect(byId.get(r.customerId as string)).toBe(Math.round(calibrated[i] * 1e4) / 1e4));
      expect(out.highestRisk).toEqual(atRiskCustomers(final, today, { top: 20 }));
    }
  }, 120_000);
});


describe("analyze: the Monte Carlo step in the background", () => {
  it("keeps step order in steps, results, summary lines and columns while the next steps run", async () => {
    const result = await analyze(generateTransactions({ customers: 700, seed: 12 }), { seed: 4, draws: 200 });
    expect(result.steps.map((s) => s.step)).toEqual(["summaries", "rfm", "matrix", "abc", "value", "clv", "montecarlo", "churn", "rules", "cluster", "survival", "profitability", "cohorts", "lifecycle", "migration", "campaign"]);
    // No cost column and margin 1: profitability is skipped, so it has no result.
    expect(result.steps.find((s) => s.step === "profitability")!.status).toBe("skipped");
    expect(Object.keys(result.results)).toEqual(["rfm", "matrix", "abc", "value", "clv", "montecarlo", "churn", "rules", "cluster", "survival", "cohorts", "lifecycle"]);
    const names = [...result.table.columns.keys()];
    expect(names.indexOf("mcClvMean")).toBe(names.indexOf("predictedClv") + 1);
    expect(names.indexOf("churnRisk")).toBe(names.indexOf("mcClvP95") + 1);
    const lines = result.summaryText.split("\n");
    const mc = lines.findIndex((l) => l.startsWith("Monte Carlo CLV"));
    const label = result.results.clv!.choice.label;
    expect(lines[mc - 1].startsWith(`${label} + Gamma-Gamma`)).toBe(true);
    expect(lines[mc + 1].startsWith(`With the ${label} + Gamma-Gamma parameters' uncertainty`)).toBe(true);
    expect(lines[mc + 2]).toMatch(/^Churn/);
    expect(result.steps.find((s) => s.step === "montecarlo")!.status).toBe("ok");
  }, 60_000);
});

describe("analyze: the result store", () => {
  it("setDictionary keeps each row's label when two codes share a label (two clusters named alike)", async () => {
    const { createResultStore, tableRows } = await import("../../src/pipeline/table.js");
    const store = createResultStore(["a", "b", "c", "d"]);
    store.setDictionary("clusterLabel", { codes: Int32Array.of(0, 1, 2, -1), values: ["high value", "low value", "high value"] });
    expect(tableRows(store).map((r) => r.clusterLabel)).toEqual(["high value", "low value", "high value", undefined]);
  });
});
