import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { monteCarloClvColumnsSync, monteCarloClvSync } from "../../src/value/index.js";

// Audit D8 (reliability-audit.md cases 91, 92 and 95): bounds on the costly parameters.
describe("monteCarloClvSync", () => {
  it("monteCarloClvSync(customer with purchaseRate 1e9) finishes in well under a second (PTRS, O(1) per purchase period; products of uniforms were O(rate) and hung)", () => {
    const t0 = performance.now();
    const r = monteCarloClvSync({ customers: [{ customerId: "a", purchaseRate: 1e9, spendMean: 1, retention: 0.5 }], periods: 6, discountRate: 0 }, { draws: 2000, seed: 1 });
    expect(performance.now() - t0).toBeLessThan(2000);
    const c = r.customers[0];
    // closed form: rate x spend x sum_t s_t = 1e9 x (1 + .5 + ... + .5^5) = 1.96875e9 (hand computation)
    expect(c.expected).toBeCloseTo(1.96875e9, -1);
    expect(Math.abs(c.mean - c.expected)).toBeLessThan(4 * (c.sd / Math.sqrt(2000)));
  });

  for (const lambda of [41, 60, 1000, 1e6]) {
    it(`monteCarloClvColumnsSync(one period, rate ${lambda}, fixed spend 1) gives Poisson(${lambda}) counts: mean within 4 SE, sd within 5% of sqrt(rate)`, () => {
      // One period, alive for sure, no discounting, spend = count: each draw is one zero-truncated
      // Poisson count, and P(K = 0) = e^-41 is negligible, so its mean is lambda and sd sqrt(lambda).
      const D = 20_000;
      const r = monteCarloClvColumnsSync({ purchaseRate: [lambda], spendMean: [1], retention: 1, discountRate: 0, periods: 1 }, { draws: D, seed: 7 });
      const sd = Math.sqrt(lambda);
      expect(Math.abs(r.mean[0] - lambda)).toBeLessThan((4 * sd) / Math.sqrt(D));
      expect(Math.abs(r.sd[0] / sd - 1)).toBeLessThan(0.05);
      expect(Number.isInteger(r.p50[0])).toBe(true);
    });
  }

  describe("errors", () => {
    it("monteCarloClvSync(scenario, { draws: 1e9 }) throws InvalidOptionError on draws before allocating (it used to grow past 1 GB)", () => {
      const t0 = performance.now();
      try {
        monteCarloClvSync({ margin: 1000, retention: 0.8, discountRate: 0.05 }, { draws: 1e9 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("draws");
        expect((e as InvalidOptionError).value).toBe(1e9);
        expect((e as Error).message).toContain("[2, 1000000]");
      }
      expect(performance.now() - t0).toBeLessThan(1000);
    });

    it("monteCarloClvSync(scenario, { draws: 1e6 }) is still accepted (the bound is inclusive)", () => {
      const r = monteCarloClvSync({ margin: 1, retention: 0.5, discountRate: 0 }, { draws: 1_000_000, seed: 1, lifetime: "expected" });
      expect(r.clv.draws).toBe(1_000_000);
    });

    it("monteCarloClvColumnsSync(20,000 customers x 1e6 draws) throws BUDGET_EXCEEDED before any work", () => {
      const n = 20_000;
      const t0 = performance.now();
      try {
        monteCarloClvColumnsSync({ purchaseRate: new Float64Array(n).fill(1), spendMean: new Float64Array(n).fill(10), retention: 0.8, discountRate: 0.05 }, { draws: 1_000_000 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("BUDGET_EXCEEDED");
        // 79 blocks of 256 customers x 1e6 draws = 7.9e7 partial sums > 6.25e7; 6.25e7 / 79 = 791,139
        expect((e as Error).message).toMatch(/^monteCarloClvColumns(Sync)?: 20000 customers x 1000000 draws .* lower "draws" to at most 791139/);
      }
      expect(performance.now() - t0).toBeLessThan(1000);
    });

    it("monteCarloClvSync(scenario, { bins: 1e9 }) throws InvalidOptionError on bins", () => {
      expect(() => monteCarloClvSync({ margin: 1, retention: 0.5, discountRate: 0 }, { bins: 1e9 })).toThrow(InvalidOptionError);
    });
  });
});
