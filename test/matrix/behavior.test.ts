import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { behaviorMatrix, InvalidOptionError, InvalidRecordError, type BehaviorMatrixInput } from "../../src/index.js";
import { cdnowSummaries } from "../rfm/cdnow.js";

const row = (customerId: string, frequency: number, averageOrderValue: number): BehaviorMatrixInput => ({ customerId, frequency, averageOrderValue, totalSpend: frequency * averageOrderValue });

describe("behaviorMatrix", () => {
  it("behaviorMatrix(summaries) puts each customer in the spec's quadrant (hand case)", () => {
    const input = Object.freeze([row("a", 5, 100), row("b", 1, 90), row("c", 6, 10), row("d", 1, 5)].map((x) => Object.freeze(x)));
    const m = behaviorMatrix(input);
    // Medians by hand: frequency (1 + 5) / 2 = 3, amount (10 + 90) / 2 = 50.
    expect(m.thresholds).toEqual({ frequency: 3, averageOrderValue: 50 });
    expect(m.customers.map((c) => c.quadrant)).toEqual(["best", "spenders", "frequent", "uncertain"]);
    expect(m.summary.map((q) => q.count)).toEqual([1, 1, 1, 1]);
    expect(m.summary[0]).toMatchObject({ quadrant: "best", label: "Best customers (最好的客户)", revenue: 500, meanFrequency: 5 });
  });

  it("behaviorMatrix(summaries) counts a value equal to the threshold as low", () => {
    // Median frequency 1: customers with one order are low-count, even though they equal it.
    const m = behaviorMatrix([row("a", 1, 10), row("b", 1, 20), row("c", 2, 30)]);
    expect(m.thresholds).toEqual({ frequency: 1, averageOrderValue: 20 });
    expect(m.customers.map((c) => [c.highFrequency, c.highAmount])).toEqual([[false, false], [false, false], [true, true]]);
  });

  it("behaviorMatrix(summaries, { frequencyThreshold: 'mean', amountThreshold: 12 }) uses the mean or a given value", () => {
    const m = behaviorMatrix([row("a", 1, 10), row("b", 1, 20), row("c", 4, 30)], { frequencyThreshold: "mean", amountThreshold: 12 });
    expect(m.thresholds).toEqual({ frequency: 2, averageOrderValue: 12 });
    expect(m.customers.map((c) => c.quadrant)).toEqual(["uncertain", "spenders", "best"]);
  });

  it("behaviorMatrix(cdnow) reproduces the issue's quadrant counts and revenue shares", async () => {
    const m = behaviorMatrix(await cdnowSummaries());
    // Issue 3 (independent code): F median 1, average-amount median 25.40; Best 665 (70.3%),
    // Frequent 474 (14.4%), Spenders 513 (11.0%), Uncertain 705 (4.3%). Tolerance 0.05 pp. The same
    // figures to 1e-12 from test/reference/rfm_pandas.py are checked in test/rfm/reference.test.ts.
    expect(m.thresholds.frequency).toBe(1);
    expect(m.thresholds.averageOrderValue).toBeCloseTo(25.4, 2);
    const byQ = Object.fromEntries(m.summary.map((q) => [q.quadrant, q]));
    expect([byQ.best.count, byQ.frequent.count, byQ.spenders.count, byQ.uncertain.count]).toEqual([665, 474, 513, 705]);
    expect(byQ.best.revenueShare).toBeCloseTo(0.703, 3);
    expect(byQ.frequent.revenueShare).toBeCloseTo(0.144, 3);
    expect(byQ.spenders.revenueShare).toBeCloseTo(0.11, 3);
    expect(byQ.uncertain.revenueShare).toBeCloseTo(0.043, 3);
  });

  it("behaviorMatrix(summaries) is a partition with shares summing to 1, independent of input order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.01, max: 500, noNaN: true })), { minLength: 1, maxLength: 60 }), (rows) => {
        const input = rows.map(([f, a], i) => row(`c${i}`, f, a));
        const m = behaviorMatrix(input);
        expect(m.summary.reduce((s, q) => s + q.count, 0)).toBe(input.length);
        expect(m.summary.reduce((s, q) => s + q.customerShare, 0)).toBeCloseTo(1, 12);
        expect(m.summary.reduce((s, q) => s + q.revenueShare, 0)).toBeCloseTo(1, 12);
        const rev = behaviorMatrix([...input].reverse());
        expect(rev.customers.map((c) => c.quadrant)).toEqual([...m.customers.map((c) => c.quadrant)].reverse());
      }),
      { seed: 20261130, numRuns: 60 },
    );
  });

  it("behaviorMatrix([]) returns empty results with null thresholds and no NaN", () => {
    const m = behaviorMatrix([]);
    expect(m.customers).toEqual([]);
    expect(m.thresholds).toEqual({ frequency: null, averageOrderValue: null });
    expect(m.summary.map((q) => [q.count, q.customerShare, q.revenueShare, q.meanFrequency])).toEqual([[0, 0, 0, null], [0, 0, 0, null], [0, 0, 0, null], [0, 0, 0, null]]);
  });

  describe("errors", () => {
    it("behaviorMatrix(non-finite amount) names the customer", () => {
      let e: unknown;
      try {
        behaviorMatrix([row("a", 1, 1), { customerId: "b", frequency: 1, averageOrderValue: NaN, totalSpend: 1 }]);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ row: "b", field: "averageOrderValue" });
    });
    it("behaviorMatrix(bad threshold) throws InvalidOptionError", () => {
      expect(() => behaviorMatrix([], { frequencyThreshold: "mode" as "mean" })).toThrow(InvalidOptionError);
      expect(() => behaviorMatrix([], { amountThreshold: NaN })).toThrow(/behaviorMatrix: option "amountThreshold" got NaN/);
    });
  });
});
