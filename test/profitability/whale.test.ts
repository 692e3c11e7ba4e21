import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidRecordError } from "../../src/core/errors.js";
import { whaleCurve } from "../../src/profitability/index.js";

describe("whaleCurve", () => {
  it("whaleCurve(profit) rises over the profitable, peaks, and falls to 1 over the loss-makers", () => {
    // sorted 6, 3, 1, -2, -3: cumulative 6, 9, 10, 8, 5 over total 5
    const w = whaleCurve([1, -3, 6, -2, 3]);
    expect(Array.from(w.order)).toEqual([2, 4, 0, 3, 1]);
    expect(Array.from(w.cumulative)).toEqual([0, 1.2, 1.8, 2, 1.6, 1]);
    expect([w.base, w.total, w.gains, w.losses, w.peak, w.peakCustomers, w.peakCustomerShare, w.lossShare]).toEqual(["total", 5, 10, 5, 2, 3, 0.6, 1]);
  });
  it("whaleCurve(profit) keeps zero-profit customers on the flat top; ties keep input order", () => {
    // 4, 4, 0, -2: total 6; peak 8/6 after 2 customers
    const w = whaleCurve([4, 0, -2, 4]);
    expect(Array.from(w.order)).toEqual([0, 3, 1, 2]);
    expect(Array.from(w.cumulative)).toEqual([0, 4 / 6, 8 / 6, 8 / 6, 1]);
    expect([w.peakCustomers, w.profitableCount, w.lossMakingCount]).toEqual([2, 2, 1]);
  });
  it("total <= 0 with some profitable customers: divided by the gains, peak 1, loss share >= 1", () => {
    // 5, -5, -3: total -3, gains 5, losses 8
    const w = whaleCurve([-5, 5, -3]);
    expect([w.base, w.baseValue, Array.from(w.cumulative), w.peak, w.lossShare]).toEqual(["gains", 5, [0, 1, 0.4, -0.6], 1, 1.6]);
    // total exactly 0
    const z = whaleCurve([2, -2]);
    expect([z.base, Array.from(z.cumulative), z.peak, z.lossShare]).toEqual(["gains", [0, 1, 0], 1, 1]);
  });
  it("every profit 0, or no customer: flat at 0, nothing NaN", () => {
    const w = whaleCurve([0, 0]);
    expect([w.base, Array.from(w.cumulative), w.peak, w.peakCustomerShare, w.lossShare]).toEqual(["none", [0, 0, 0], 0, 0, 0]);
    const e = whaleCurve([]);
    expect([e.count, Array.from(e.cumulative), e.peak, e.peakCustomerShare]).toEqual([0, [0], 0, 0]);
  });
  it("a single customer: 100% at the peak", () => {
    const w = whaleCurve([7]);
    expect([Array.from(w.cumulative), w.peak, w.peakCustomerShare, w.lossShare]).toEqual([[0, 1], 1, 1, 0]);
  });
  it("invariants (fast-check, seed 20): the curve starts at 0, peaks at gains/base, ends at total/base, never NaN", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 }), (xs) => {
        const w = whaleCurve(xs.map((x) => x / 8));
        expect(w.cumulative.every((v) => Number.isFinite(v))).toBe(true);
        expect(w.cumulative[0]).toBe(0);
        if (w.baseValue > 0) {
          expect(Math.max(...w.cumulative)).toBeCloseTo(w.peak, 12);
          expect(w.cumulative[w.count]).toBeCloseTo(w.total / w.baseValue, 12);
          expect(w.peak - w.lossShare).toBeCloseTo(w.total / w.baseValue, 12);
        }
        expect(w.profitableCount + w.lossMakingCount).toBeLessThanOrEqual(w.count);
      }),
      { seed: 20, numRuns: 200 },
    );
  });
  describe("errors", () => {
    it("profits whose sum overflows: AnalyticsError OVERFLOW, not NaN", () => {
      const e = (() => { try { whaleCurve([1e308, 1e308]); } catch (x) { return x; } })() as AnalyticsError;
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("OVERFLOW");
    });
    it("a non-finite profit: InvalidRecordError naming the 1-based row", () => {
      const e = (() => { try { whaleCurve([1, NaN]); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field]).toEqual([2, "profit"]);
    });
  });
});
