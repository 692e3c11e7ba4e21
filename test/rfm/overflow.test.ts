import { describe, expect, it } from "vitest";
import { AnalyticsError } from "../../src/core/errors.js";
import { abcClasses, paretoAnalysis, rfm, segmentSummary } from "../../src/rfm/index.js";
import { ExactSum } from "../../src/numeric/sum.js";
import { inputs } from "./helpers.js";

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
    it("paretoAnalysis([1e308, 1e308, 1]) throws AnalyticsError OVERFLOW saying the values overflow, not NaN", () => {
      try {
        paretoAnalysis([1e308, 1e308, 1]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("OVERFLOW");
        expect((e as Error).message).toMatch(/^paretoAnalysis: the values overflow/);
      }
    });
  });
});

describe("ExactSum (the prefix sums of the Lorenz curve and the ABC classes)", () => {
  it("ExactSum keeps the ones that a plain running sum drops: 1e16 + 1 + 1 is 1e16 + 2", () => {
    // Plain double addition: 1e16 + 1 rounds back to 1e16 (the spacing of doubles there is 2).
    expect(1e16 + 1 + 1).toBe(1e16);
    const s = new ExactSum();
    for (const v of [1e16, 1, 1]) s.add(v);
    expect(s.value).toBe(1e16 + 2);
  });
  it("paretoAnalysis uses the exact total: the Lorenz curve ends at 1 exactly and the Gini of [1e16, 1, 1] is hand-computed", () => {
    // Sorted 1, 1, 1e16, T = 1e16 + 2: G = ((2-3-1) 1 + (4-3-1) 1 + (6-3-1) 1e16) / (3 T) = (2e16 - 2) / (3e16 + 6).
    const p = paretoAnalysis([1e16, 1, 1], { lorenzPoints: "all" });
    expect(p.total).toBe(1e16 + 2);
    expect(p.gini).toBeCloseTo((2e16 - 2) / (3e16 + 6), 15);
    expect(p.lorenz.map((q) => q.valueShare)).toEqual([0, 1 / (1e16 + 2), 2 / (1e16 + 2), 1]);
  });
});

describe("abcClasses", () => {
  describe("errors", () => {
    it("abcClasses([1e308, 1e308, 1]) throws OVERFLOW 'the values overflow' instead of NaN shares", () => {
      try {
        abcClasses([1e308, 1e308, 1]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("OVERFLOW");
        expect((e as Error).message).toMatch(/^abcClasses: the values overflow/);
      }
    });
  });
});

describe("segmentSummary", () => {
  describe("errors", () => {
    it("segmentSummary(two customers with totalSpend 1e308) throws OVERFLOW 'the data overflowed' instead of NaN revenue shares", () => {
      const res = rfm(inputs({ r: [1, 2, 3, 4], f: [1, 1, 1, 1], m: [1e308, 1e308, 1, 2] }), { bins: 2, segments: [{ name: "recent", r: [2, 2] }, { name: "old", r: [1, 1] }] });
      try {
        segmentSummary(res);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("OVERFLOW");
        expect((e as Error).message).toMatch(/^segmentSummary: the data overflowed/);
      }
    });
  });
});
