import { describe, expect, it } from "vitest";
import { analysisFiles, analyze, generateTransactions, type Transaction } from "../../src/index.js";

// Audit D5: analyze must skip a step with a reason on small or degenerate data, not fail.
describe("analyze on degenerate data (audit D5) and determinism of the files (D17)", () => {
  it("every amount 0: the analysis completes; the clv step gives P(alive) only and says why; the report renders", async () => {
    const tx = generateTransactions({ customers: 200, seed: 3 }).map((t) => ({ ...t, amount: 0 }));
    const r = await analyze(tx, { seed: 1 });
    expect(r.steps.find((s) => s.step === "clv")!.status).toBe("ok");
    expect(r.summaryText).toContain("Gamma-Gamma not fitted (no repeat buyer with a positive mean spend)");
    expect(r.table.columns.has("pAlive")).toBe(true);
    expect(r.table.columns.has("predictedClv")).toBe(false);
    const files = new Map(await analysisFiles(r));
    expect(files.get("report.html")!.length).toBeGreaterThan(1000);
  }, 60_000);

  it("80 identical customers: clustering is skipped (1 distinct customer), not an option error", async () => {
    const same: Transaction[] = [];
    for (let i = 0; i < 80; i++) for (let k = 0; k < 3; k++) same.push({ customerId: `c${i}`, date: new Date(Date.UTC(2024, 0, 1 + k * 10)), amount: 10, orderId: `o${i}-${k}` });
    const r = await analyze(same, { seed: 1 });
    expect(r.steps.find((s) => s.step === "cluster")).toMatchObject({ status: "skipped", reason: "only 1 distinct customer (recency, frequency, spend): at least 3 needed for clusters" });
  }, 60_000);

  it("4 baskets with items: the rules step is skipped (fewer than 5 baskets), not a minSupport > 1 error", async () => {
    const four = [1, 2, 3, 4].map((i) => ({ customerId: `c${i}`, date: new Date(Date.UTC(2024, 0, i)), amount: 5, items: ["x", "y"] }));
    const r = await analyze(four, { seed: 1 });
    expect(r.steps.find((s) => s.step === "rules")).toMatchObject({ status: "skipped", reason: "only 4 baskets: at least 5 are needed for rules" });
  }, 60_000);

  it("two runs with the same data and seed write byte-identical model.json (step timings left out) and customers.csv", async () => {
    const tx = generateTransactions({ customers: 300, seed: 9 });
    const a = new Map(await analysisFiles(await analyze(tx, { seed: 7, draws: 100 })));
    const b = new Map(await analysisFiles(await analyze(tx, { seed: 7, draws: 100 })));
    expect(a.get("model.json")).toBe(b.get("model.json"));
    expect(a.get("customers.csv")).toBe(b.get("customers.csv"));
    expect(a.get("model.json")).not.toContain('"seconds"');
  }, 60_000);
});

describe("analyze: a few rows dated long after the rest (audit D9)", () => {
  it("one row dated 2099 among a 2023-2024 log: a warning in the result, the summary and the report; none without it or with asOf", async () => {
    const tx = generateTransactions({ customers: 300, seed: 4 });
    const typo = [...tx, { ...tx[0], date: new Date("2099-01-01") }];
    const r = await analyze(typo, { seed: 1, skip: ["montecarlo", "cluster", "churn", "rules"] });
    expect(r.asOf).toBe("2099-01-01");
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^1 of [\d,]+ rows are dated more than a year after 99\.9% of the log \(latest 2099-01-01/);
    expect(r.summaryText).toContain("Warning: 1 of");
    const files = new Map(await analysisFiles(r));
    expect(files.get("report.html")).toContain("dated more than a year after");
    expect((await analyze(tx, { seed: 1, skip: ["montecarlo", "cluster", "churn", "rules"] })).warnings).toEqual([]);
    expect((await analyze(typo, { seed: 1, asOf: "2024-12-30", skip: ["montecarlo", "cluster", "churn", "rules"] })).warnings).toEqual([]);
  }, 60_000);
});

describe("analyze: draws bounds (audit D8, case 92)", () => {
  it("draws above 1,000,000 is refused before any step runs (InvalidOptionError naming draws)", async () => {
    const { InvalidOptionError } = await import("../../src/index.js");
    const tx = generateTransactions({ customers: 30, seed: 1 });
    let steps = 0;
    await expect(analyze(tx, { draws: 1e9, onProgress: () => void steps++ })).rejects.toThrow(InvalidOptionError);
    await expect(analyze(tx, { draws: 1e9 })).rejects.toMatchObject({ option: "draws" });
    expect(steps).toBe(0);
  });
});
