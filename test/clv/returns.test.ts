/**
 * Returns (issue 15, item 3): customers whose net repeat spend is negative (a return bigger
 * than the purchase of the same day) or zero are left out of the spend model with a counted,
 * named reason, never an error; everyone else gets exactly the numbers of the filtered input.
 */
import { describe, expect, it } from "vitest";
import {
  AnalyticsError,
  InvalidRecordError,
  probabilityOfPurchases,
  type ParetoNbdModel,
  calibrationSummary,
  conditionalExpectedPurchases,
  conditionalExpectedSpend,
  conditionalExpectedSpendColumn,
  customerLifetimeValue,
  customerLifetimeValueColumns,
  fitBgNbd,
  fitGammaGamma,
  type ClvCustomer,
} from "../../src/index.js";

const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n));

/** A hand-made log: 14 ordinary customers, one with returns, one whose repeat purchases are free. */
function log() {
  const rows: { customerId: string; date: Date; amount: number }[] = [];
  for (let i = 0; i < 14; i++) {
    const id = `c${String(i).padStart(2, "0")}`;
    rows.push({ customerId: id, date: day(i), amount: 20 + 3 * i });
    for (let k = 1; k <= (i % 4) + 1; k++) rows.push({ customerId: id, date: day(i + 9 * k + (i % 3)), amount: 10 + ((i * 7 + k * 5) % 23) });
  }
  // "ret": day 10 buys 30 and returns 120 (net -90), day 20 buys 10: two repeat days, mean -40
  rows.push({ customerId: "ret", date: day(0), amount: 50 });
  rows.push({ customerId: "ret", date: day(10), amount: 30 });
  rows.push({ customerId: "ret", date: day(10), amount: -120 });
  rows.push({ customerId: "ret", date: day(20), amount: 10 });
  // "zero": the repeat purchase was free: mean 0
  rows.push({ customerId: "zero", date: day(2), amount: 20 });
  rows.push({ customerId: "zero", date: day(16), amount: 0 });
  return rows;
}

const summaries = calibrationSummary(log(), { calibrationEnd: "2024-03-31" }) as ClvCustomer[];
const kept = summaries.filter((c) => c.x === 0 || (c.monetaryValue ?? 0) > 0);
const bg = fitBgNbd(summaries, { penalizer: 0.001 });

describe("returns in the CLV value functions", () => {
  it("the hand-made log has one customer with net repeat spend -40 and one with 0", () => {
    // ret: repeat days 10 (30 - 120 = -90) and 20 (10): mean (-90 + 10) / 2 = -40
    expect(summaries.find((c) => c.customerId === "ret")).toMatchObject({ x: 2, monetaryValue: -40 });
    expect(summaries.find((c) => c.customerId === "zero")).toMatchObject({ x: 1, monetaryValue: 0 });
    expect(kept.length).toBe(summaries.length - 2);
  });

  it("fitGammaGamma(summaries with returns) leaves them out, counted and named, with the same fit as the filtered input", () => {
    const gg = fitGammaGamma(summaries, { penalizer: 0.001 });
    const ref = fitGammaGamma(kept, { penalizer: 0.001 });
    expect(gg.excluded).toEqual([{ reason: "non-positive-spend", count: 2, examples: ["ret", "zero"] }]);
    expect(gg.params).toEqual(ref.params);
    expect(gg.customers).toBe(ref.customers);
    expect(ref.excluded).toEqual([]);
  });

  it("fitGammaGamma(transaction log with returns) also leaves them out (the log path)", () => {
    const gg = fitGammaGamma(log(), { calibrationEnd: "2024-03-31", penalizer: 0.001 });
    expect(gg.excluded).toEqual([{ reason: "non-positive-spend", count: 2, examples: ["ret", "zero"] }]);
  });

  it("customerLifetimeValue(bg, gg, summaries with returns) values them at 0 with the reason; the others equal the filtered run", () => {
    const gg = fitGammaGamma(summaries, { penalizer: 0.001 });
    const all = customerLifetimeValue(bg, gg, summaries, { horizon: 12 });
    const ref = new Map(customerLifetimeValue(bg, gg, kept, { horizon: 12 }).map((r) => [r.customerId, r]));
    const purchases = new Map(conditionalExpectedPurchases(bg, summaries, { t: 12 * 4.345 }).map((r) => [r.customerId, r.expectedPurchases]));
    expect(all.length).toBe(summaries.length);
    for (const r of all) {
      if (r.customerId === "ret" || r.customerId === "zero") {
        expect(r).toMatchObject({ clv: 0, expectedSpend: 0, excluded: "non-positive-spend" });
        // the purchase-count model still predicts their purchases
        expect(r.expectedPurchases).toBeCloseTo(purchases.get(r.customerId)!, 12);
        expect(r.expectedPurchases).toBeGreaterThan(0);
      } else {
        expect(r).toEqual(ref.get(r.customerId));
        expect("excluded" in r).toBe(false);
      }
    }
  });

  it("customerLifetimeValueColumns(...) gives the valued mask, the counted reason and the filtered total", () => {
    const gg = fitGammaGamma(summaries, { penalizer: 0.001 });
    const cols = (rows: readonly ClvCustomer[]) => ({
      ids: rows.map((c) => c.customerId),
      x: rows.map((c) => c.x),
      t_x: rows.map((c) => c.t_x),
      T: rows.map((c) => c.T),
      monetaryValue: rows.map((c) => c.monetaryValue ?? 0),
    });
    const res = customerLifetimeValueColumns(bg, gg, cols(summaries));
    const ref = customerLifetimeValueColumns(bg, gg, cols(kept));
    expect(res.excluded).toEqual([{ reason: "non-positive-spend", count: 2, examples: ["ret", "zero"] }]);
    expect(Array.from(res.valued).filter((v) => v === 0).length).toBe(2);
    const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
    expect(sum(res.clv)).toBeCloseTo(sum(ref.clv), 9);
    expect(ref.excluded).toEqual([]);
    // without ids the examples are 1-based rows
    const noIds = { ...cols(summaries), ids: undefined };
    const rows = customerLifetimeValueColumns(bg, gg, noIds).excluded[0].examples;
    expect(rows).toEqual([summaries.findIndex((c) => c.customerId === "ret") + 1, summaries.findIndex((c) => c.customerId === "zero") + 1]);
  });

  it("conditionalExpectedSpend and its column give 0 for the excluded customers, with the reason on the records", () => {
    const gg = fitGammaGamma(summaries, { penalizer: 0.001 });
    const recs = conditionalExpectedSpend(gg, summaries);
    expect(recs.find((r) => r.customerId === "ret")).toEqual({ customerId: "ret", expectedSpend: 0, excluded: "non-positive-spend" });
    const col = conditionalExpectedSpendColumn(gg, { x: [2, 1, 1], t_x: [3, 2, 2], T: [13, 13, 13], monetaryValue: [-40, 0, 25] });
    expect(col[0]).toBe(0);
    expect(col[1]).toBe(0);
    // E[Z | x = 1, z̄ = 25] = p(γ + 25)/(p + q - 1)
    const { p, q, gamma } = gg.params;
    expect(col[2]).toBeCloseTo((p * (gamma + 25)) / (p + q - 1), 12);
  });

  describe("errors", () => {
    it("a monetaryValue that is not a finite number is still an InvalidRecordError naming the customer", () => {
      const gg = fitGammaGamma(summaries, { penalizer: 0.001 });
      const bad = [...summaries, { customerId: "nan", x: 1, t_x: 1, T: 5, monetaryValue: NaN }];
      let caught: unknown;
      try {
        customerLifetimeValue(bg, gg, bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidRecordError);
      expect(caught).toMatchObject({ row: "nan", field: "monetaryValue" });
    });
    it("fitGammaGamma with only non-positive spenders is EMPTY_INPUT saying why", () => {
      expect(() => fitGammaGamma(summaries.filter((c) => c.customerId === "ret" || c.customerId === "zero"))).toThrow(/positive mean spend \(2 repeat buyers have a mean spend <= 0\)/);
    });
  });
});

describe("probabilityOfPurchases (code review 2.7: no silent clamp)", () => {
  const pareto = (beta: number) => ({ model: "pareto-nbd", params: { r: 1, alpha: 1, s: 0.5, beta } }) as ParetoNbdModel;

  it("probabilityOfPurchases(pareto, k, t) sums to 1 over k where the dropout integral resolves (β = 1e-6: dropout spike of width 1e-6 at 0)", () => {
    let total = 0;
    for (let k = 0; k < 400; k++) total += probabilityOfPurchases(pareto(1e-6), k, 10);
    expect(total).toBeCloseTo(1, 9);
  });

  it("probabilityOfPurchases reports NOT_CONVERGED when the dropout integral cannot be resolved (β = 1e-9), instead of clamping a wrong value into [0, 1]", () => {
    let caught: unknown;
    try {
      probabilityOfPurchases(pareto(1e-9), 0, 10);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AnalyticsError);
    expect(caught).toMatchObject({ code: "NOT_CONVERGED" });
    expect((caught as Error).message).toMatch(/did not converge/);
  });
});
