import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, rfm, rfmHeatmap, rfmScoreHistogram, segmentSummary } from "../../src/index.js";
import { cdnowSummaries } from "./cdnow.js";
import { catchError, inputs } from "./helpers.js";

describe("segmentSummary", () => {
  it("segmentSummary(result) gives counts, shares, mean/median R/F/M and AOV, sorted by revenue (hand case)", () => {
    const res = rfm(inputs({ r: [1, 2, 3, 400], f: [4, 2, 6, 1], m: [100, 50, 150, 10] }), { bins: 2, segments: [{ name: "recent", r: [2, 2] }, { name: "old", r: [1, 1] }] });
    const rows = segmentSummary(res);
    // Hand computation: R cut 2.5 -> recent = first two (r 1, 2), old = r 3, 400; old has
    // more revenue (160 vs 150) so it comes first.
    expect(rows.map((r) => r.key)).toEqual(["old", "recent"]);
    const recent = rows[1];
    expect(recent).toMatchObject({ count: 2, customerShare: 0.5, revenue: 150, orders: 6, averageOrderValue: 25, meanRecency: 1.5, medianRecency: 1.5, meanFrequency: 3, medianFrequency: 3, meanMonetary: 75, medianMonetary: 75 });
    expect(recent.revenueShare).toBeCloseTo(150 / 310, 14);
    expect(rows[0]).toMatchObject({ count: 2, revenue: 160, orders: 7, medianRecency: 201.5 });
  });

  it("segmentSummary(result, { by }) groups by cell or score; shares sum to 1", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 500 })), { minLength: 1, maxLength: 60 }), (rows) => {
        const res = rfm(inputs({ r: rows.map((x) => x[0]), f: rows.map((x) => x[1]), m: rows.map((x) => x[2]) }));
        for (const by of ["segment", "cell", "r", "f", "m"] as const) {
          const s = segmentSummary(res, { by });
          expect(s.reduce((a, x) => a + x.count, 0)).toBe(rows.length);
          expect(s.reduce((a, x) => a + x.customerShare, 0)).toBeCloseTo(1, 12);
          expect(s.reduce((a, x) => a + x.revenueShare, 0)).toBeCloseTo(1, 12);
          for (let i = 1; i < s.length; i++) expect(s[i - 1].revenue).toBeGreaterThanOrEqual(s[i].revenue);
        }
      }),
      { seed: 20261130, numRuns: 40 },
    );
  });

  it("segmentSummary(cdnow) puts Champions first with 49.1% of revenue (pandas reference)", async () => {
    const rows = segmentSummary(rfm(await cdnowSummaries(), { compatibility: "rfm-package", segments: "grid-classic" }));
    // Not in the issue: Champions 414 customers, 3,195 orders, revenue 119,773.19, computed
    // independently by test/reference/rfm_pandas.py (every segment compared in test/rfm/reference.test.ts).
    expect(rows[0]).toMatchObject({ key: "Champions", count: 414, orders: 3195 });
    expect(rows[0].revenue).toBeCloseTo(119773.19, 2);
    expect(rows[0].revenueShare).toBeCloseTo(0.4907, 4);
  });

  it("segmentSummary([]) returns no rows; bad `by` throws", () => {
    expect(segmentSummary([])).toEqual([]);
    expect(segmentSummary(rfm([]))).toEqual([]);
    expect(catchError(() => segmentSummary([], { by: "x" as "r" }))).toBeInstanceOf(InvalidOptionError);
  });
});

describe("rfmHeatmap", () => {
  it("rfmHeatmap(result) gives the mean M of every R x F cell, null when empty", () => {
    const res = rfm(inputs({ r: [1, 2, 300, 400], f: [5, 5, 1, 1], m: [100, 300, 10, 20] }), { bins: 2, segments: [] });
    const h = rfmHeatmap(res);
    expect(h.values).toEqual([[15, null], [null, 200]]);
    expect(h.counts).toEqual([[2, 0], [0, 2]]);
    expect(h.cells.map((c) => [c.r, c.f])).toEqual([[2, 1], [2, 2], [1, 1], [1, 2]]);
    expect(h.cells[0]).toEqual({ r: 2, f: 1, count: 0, meanMonetary: null });
    expect(() => rfmHeatmap({} as never)).toThrow(InvalidOptionError);
  });

  it("rfmHeatmap(cdnow) has 25 cells whose counts sum to 2,357", async () => {
    const h = rfmHeatmap(rfm(await cdnowSummaries()));
    expect(h.cells).toHaveLength(25);
    expect(h.cells.reduce((a, c) => a + c.count, 0)).toBe(2357);
    // F score 2 is empty on CDNOW, so its column is null.
    expect(h.values.map((row) => row[1])).toEqual([null, null, null, null, null]);
  });
});

describe("rfmScoreHistogram", () => {
  it("rfmScoreHistogram(result) lists every score with its count and raw range", () => {
    const res = rfm(inputs({ f: [1, 1, 1, 1, 1, 1, 2, 2, 3, 5] }), { segments: [] });
    const f = rfmScoreHistogram(res).filter((h) => h.dimension === "f");
    expect(f).toEqual([
      { dimension: "f", score: 1, count: 6, share: 0.6, min: 1, max: 1 },
      { dimension: "f", score: 2, count: 0, share: 0, min: null, max: null },
      { dimension: "f", score: 3, count: 0, share: 0, min: null, max: null },
      { dimension: "f", score: 4, count: 2, share: 0.2, min: 2, max: 2 },
      { dimension: "f", score: 5, count: 2, share: 0.2, min: 3, max: 5 },
    ]);
    expect(rfmScoreHistogram(rfm([]))).toHaveLength(15);
  });
});
