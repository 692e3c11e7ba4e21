import { describe, expect, it } from "vitest";
import { AnalyticsError } from "../../src/core/errors.js";
import { bergerNasrClv, bergerNasrClvColumns, monteCarloClvColumnsSync, monteCarloClvSync } from "../../src/value/index.js";

// Audit D20 (reliability-audit.md cases 68 and 69): extreme but finite money.
function overflow(f: () => unknown, fn: RegExp): void {
  try {
    f();
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(AnalyticsError);
    expect((e as AnalyticsError).code).toBe("OVERFLOW");
    expect((e as Error).message).toMatch(fn);
    expect((e as Error).message).toContain("the data overflowed");
  }
}

describe("monteCarloClvSync", () => {
  const customer = (spendMean: number) => ({ customers: [{ customerId: "a", purchaseRate: 1, spendMean, retention: 0.8 }, { customerId: "b", purchaseRate: 0.5, spendMean: spendMean / 4, retention: 0.6 }], discountRate: 0.05 });

  for (const spendMean of [1e200, 1e306, 1e307]) {
    it(`monteCarloClvSync(customers with spendMean ${spendMean}) gives finite figures equal to spendMean x those of spendMean 1 (was NaN / non-finite sd)`, () => {
      const big = monteCarloClvSync(customer(spendMean), { draws: 500, seed: 3 });
      const one = monteCarloClvSync(customer(1), { draws: 500, seed: 3 });
      for (let c = 0; c < 2; c++) {
        const b = big.customers[c], o = one.customers[c];
        for (const k of ["expected", "mean", "sd", "p5", "p50", "p95"] as const) {
          expect(Number.isFinite(b[k])).toBe(true);
          // CLV is linear in the spend: same stream, so equal up to rounding (1e-12 relative)
          expect(Math.abs(b[k] - o[k] * spendMean)).toBeLessThanOrEqual(1e-12 * Math.abs(o[k] * spendMean));
        }
      }
      for (const k of ["mean", "sd", "standardError", "p5", "p50", "p95", "min", "max"] as const) {
        expect(Number.isFinite(big.portfolio[k])).toBe(true);
        expect(Math.abs(big.portfolio[k] - one.portfolio[k] * spendMean)).toBeLessThanOrEqual(1e-12 * Math.abs(one.portfolio[k] * spendMean));
      }
    });
  }

  it("monteCarloClvSync(scenario with margin 1e200) gives a finite sd (squares overflowed from 1e154)", () => {
    const r = monteCarloClvSync({ margin: 1e200, retention: 0.8, discountRate: 0.05 }, { draws: 2000, seed: 1 });
    const s = monteCarloClvSync({ margin: 1, retention: 0.8, discountRate: 0.05 }, { draws: 2000, seed: 1 });
    expect(Number.isFinite(r.clv.sd)).toBe(true);
    expect(r.clv.sd / 1e200).toBeCloseTo(s.clv.sd, 10);
    expect(r.clv.mean / 1e200).toBeCloseTo(s.clv.mean, 10);
  });

  describe("errors", () => {
    it("monteCarloClvSync(customer whose expected CLV is beyond 1.8e308) throws OVERFLOW 'the data overflowed', not an option or record error", () => {
      overflow(() => monteCarloClvSync({ customers: [{ customerId: "a", purchaseRate: 10, spendMean: 1e307, retention: 0.9 }], discountRate: 0 }, { draws: 100 }), /^monteCarloClv(Sync)?: the data overflowed: the expected CLV of customer "a"/);
    });

    it("monteCarloClvColumnsSync(two customers of 1e308 each: portfolio beyond 1.8e308) throws OVERFLOW", () => {
      overflow(() => monteCarloClvColumnsSync({ purchaseRate: [5, 5], spendMean: [3e307, 3e307], retention: 0.5, discountRate: 0, periods: 1 }, { draws: 100 }), /^monteCarloClvColumns(Sync)?: the data overflowed/);
    });

    it("monteCarloClvSync(scenario with margin 1e308 and spend 10) throws OVERFLOW instead of a NaN summary", () => {
      overflow(() => monteCarloClvSync({ margin: 1e308, spend: 10, retention: 0.8, discountRate: 0.05 }, { draws: 100 }), /^monteCarloClv(Sync)?: the data overflowed: the CLV of draw 1/);
    });
  });
});

describe("bergerNasrClv", () => {
  it("bergerNasrClv({ margin: 1e306, retention: .99, discountRate: .001 }) is finite: 1e306 x the multiple of margin 1", () => {
    const big = bergerNasrClv({ margin: 1e306, retention: 0.99, discountRate: 0.001 });
    const one = bergerNasrClv({ margin: 1, retention: 0.99, discountRate: 0.001 });
    expect(big.clv).toBe(1e306 * one.clv);
  });

  describe("errors", () => {
    it("bergerNasrClv({ margin: 1e308, retention: .99, discountRate: .001 }) throws OVERFLOW instead of returning Infinity", () => {
      overflow(() => bergerNasrClv({ margin: 1e308, retention: 0.99, discountRate: 0.001 }), /^bergerNasrClv: the data overflowed/);
    });

    it("bergerNasrClvColumns({ margin: [1, 1e308] }) throws OVERFLOW naming row 2", () => {
      overflow(() => bergerNasrClvColumns({ margin: [1, 1e308], retention: 0.99, discountRate: 0.001 }), /^bergerNasrClvColumns: the data overflowed: the CLV of row 2/);
    });
  });
});
