import { describe, expect, it } from "vitest";
import { calibrationSummary, fitBgNbd, generateTransactions, InvalidOptionError, summarizeCustomers } from "../../src/index.js";

describe("generateTransactions", () => {
  it("generateTransactions({ seed }) is reproducible: same seed same data, another seed other data", () => {
    const a = generateTransactions({ customers: 200, seed: 1 });
    const b = generateTransactions({ customers: 200, seed: 1 });
    const c = generateTransactions({ customers: 200, seed: 2 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("generateTransactions({ customers: 200, seed: 1 }) frozen size and first row (regression guard)", () => {
    const tx = generateTransactions({ customers: 200, seed: 1 });
    // Frozen output of this implementation; any change to the generator shows up here.
    expect(tx.length).toBe(1442);
    expect([tx[0].date.toISOString(), tx[0].customerId, tx[0].amount]).toEqual(["2023-01-01T00:00:00.000Z", "C105", 50.08]);
  });

  it("generateTransactions makes a realistic store: dates in range, baskets, returns, heterogeneous buyers", () => {
    const tx = generateTransactions({ customers: 2000, seed: 11, start: "2023-01-01", days: 730 });
    const first = new Date("2023-01-01T00:00:00Z").getTime();
    const last = new Date("2024-12-30T00:00:00Z").getTime();
    for (const t of tx) {
      expect(t.date.getTime()).toBeGreaterThanOrEqual(first);
      expect(t.date.getTime()).toBeLessThanOrEqual(last);
      expect(t.items && t.items.length > 0).toBe(true);
    }
    const returns = tx.filter((t) => t.amount < 0);
    expect(returns.length / tx.length).toBeGreaterThan(0.005);
    expect(returns.length / tx.length).toBeLessThan(0.05);
    // Co-purchase structure: pasta baskets contain tomato sauce far more often than other baskets do.
    const baskets = tx.filter((t) => t.amount > 0).map((t) => new Set(t.items));
    const withPasta = baskets.filter((b) => b.has("pasta"));
    const sauceGivenPasta = withPasta.filter((b) => b.has("tomato sauce")).length / withPasta.length;
    const sauceOverall = baskets.filter((b) => b.has("tomato sauce")).length / baskets.length;
    expect(sauceGivenPasta / sauceOverall).toBeGreaterThan(3);
    // Heterogeneity: many one-time buyers and a long tail of frequent buyers.
    const s = summarizeCustomers(tx);
    const once = s.filter((c) => c.frequency === 1).length / s.length;
    expect(once).toBeGreaterThan(0.1);
    expect(Math.max(...s.map((c) => c.frequency))).toBeGreaterThan(30);
    // Mean order value near the Gamma-Gamma mean p*gamma/(q-1) = 30 (sampling error of a few %).
    const cal = calibrationSummary(tx, { timeUnit: "weeks" }).filter((c) => c.x > 0);
    const meanValue = cal.reduce((a, c) => a + c.monetaryValue, 0) / cal.length;
    expect(meanValue).toBeGreaterThan(24);
    expect(meanValue).toBeLessThan(36);
  });

  it("generateTransactions({ dropoutAfterFirstOrder: false }) is BG/NBD: fitBgNbd recovers r 0.75, alpha 4, a 0.8, b 4 within 12%", () => {
    // 20,000 customers, weeks. The remaining bias (r +4%, alpha +9%, a +8%, b +9% with seed 3)
    // comes from day resolution: same-day orders merge, which trims the heaviest buyers.
    const fit = (dropoutAfterFirstOrder: boolean) =>
      fitBgNbd(calibrationSummary(generateTransactions({ customers: 20_000, seed: 3, items: false, returnRate: 0, dropoutAfterFirstOrder }), { calibrationEnd: "2024-12-30", timeUnit: "weeks" })).params;
    const exact = fit(false);
    const truth = { r: 0.75, alpha: 4, a: 0.8, b: 4 };
    for (const k of ["r", "alpha", "a", "b"] as const) expect(Math.abs(exact[k] / truth[k] - 1), k).toBeLessThan(0.12);
    // The default (dropout possible right after the first order) is not BG/NBD: r comes out ~0.44.
    expect(fit(true).r).toBeLessThan(0.6);
  });

  describe("errors", () => {
    it("generateTransactions requires a seed and valid parameters", () => {
      expect(() => generateTransactions({} as never)).toThrow(InvalidOptionError);
      expect(() => generateTransactions({ seed: 1, customers: -1 })).toThrow(/customers/);
      expect(() => generateTransactions({ seed: 1, dropout: { a: 0, b: 1 } })).toThrow(/dropout.a/);
      expect(() => generateTransactions({ seed: 1, dropoutAfterFirstOrder: "no" as never })).toThrow(/dropoutAfterFirstOrder/);
    });
  });
});
