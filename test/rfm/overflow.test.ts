import { describe, expect, it } from "vitest";
import { AnalyticsError } from "../../src/core/errors.js";
import { paretoAnalysis } from "../../src/rfm/index.js";

// Audit D20 (reliability-audit.md case 66): paretoAnalysis([1e308, 1e308, 1]) gave total NaN.
describe("paretoAnalysis", () => {
  it("paretoAnalysis([1e308, 5e307, 1]) gives the shares of [2, 1, 0] and a finite total (it overflowed to NaN)", () => {
    const r = paretoAnalysis([1e308, 5e307, 1]);
    expect(r.total).toBe(1.5e308);
    // hand computation on [0, 1, 2]: gini = sum (2i - n - 1) x_(i) / (n sum x) = (0 + 0 + 2 x 2) / (3 x 3) = 4/9
    expect(r.gini).toBeCloseTo(4 / 9, 12);
    expect(r.topShare).toBeCloseTo(2 / 3, 12);
    expect(r.lorenz.at(-1)).toEqual({ customerShare: 1, valueShare: 1 });
    for (const p of r.lorenz) expect(Number.isFinite(p.valueShare)).toBe(true);
  });

  it("paretoAnalysis(values x 2^900) gives the same shares as paretoAnalysis(values) (scale invariance)", () => {
    const v = [3, 1, 4, 1, 5, 9, 2, 6];
    const a = paretoAnalysis(v);
    const b = paretoAnalysis(v.map((x) => x * 2 ** 900));
    expect(b.gini).toBe(a.gini);
    expect(b.topShare).toBe(a.topShare);
    expect(b.lorenz).toEqual(a.lorenz);
    expect(b.total).toBe(a.total * 2 ** 900);
  });

  describe("errors", () => {
    it("paretoAnalysis([1e308, 1e308, 1]) throws AnalyticsError TOO_LARGE saying the values overflow, not NaN", () => {
      try {
        paretoAnalysis([1e308, 1e308, 1]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("TOO_LARGE");
        expect((e as Error).message).toMatch(/^paretoAnalysis: the values overflow/);
      }
    });
  });
});
