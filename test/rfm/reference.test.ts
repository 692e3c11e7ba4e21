/**
 * The CDNOW segmentation figures against an independent computation: pandas/numpy from the raw
 * file (test/reference/rfm_pandas.py, output frozen in rfm_pandas.json), for the numbers the
 * other tests quote from issue 3 or from "our run" (code review 1.2).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { abcClasses, behaviorMatrix, paretoAnalysis, rfm, segmentSummary, type RfmOptions } from "../../src/index.js";
import { cdnowSummaries } from "./cdnow.js";

interface RfmCase {
  thresholds: { r: number[]; f: number[]; m: number[] };
  scoreCounts: { r: number[]; f: number[]; m: number[] };
  segmentCounts: Record<string, number>;
  segments: Record<string, { count: number; orders: number; revenue: number }>;
  ids?: string[];
  cells?: string[];
}
const REF = JSON.parse(readFileSync(new URL("../reference/rfm_pandas.json", import.meta.url), "utf8")) as {
  customers: number;
  rfm: Record<string, RfmCase>;
  pareto: { gini: number; topCount: number; topShare: number; zeroCount: number };
  abc: Record<"value" | "customers", Record<"A" | "B" | "C" | "zero", { count: number; valueShare: number }>>;
  behavior: { thresholds: { frequency: number; averageOrderValue: number }; quadrants: Record<string, { count: number; revenueShare: number }> };
};

const CASES: [string, RfmOptions][] = [
  ["default/grid", {}],
  ["rfm-package/grid-classic", { compatibility: "rfm-package", segments: "grid-classic" }],
  ["rfm-package/rfm-0.3", { compatibility: "rfm-package", segments: "rfm-0.3" }],
  ["rfm-package/rfm-0.2", { compatibility: "rfm-package", segments: "rfm-0.2" }],
];

describe("rfm(cdnow) against pandas/numpy (test/reference/rfm_pandas.py)", () => {
  it.each(CASES)("rfm(cdnow, %s) has the reference cuts (to 1e-9), score counts and segment counts", async (name, options) => {
    const ref = REF.rfm[name];
    const res = rfm(await cdnowSummaries(), options);
    expect(res.customers).toHaveLength(REF.customers);
    for (const d of ["r", "f", "m"] as const) {
      ref.thresholds[d].forEach((cut, k) => expect(res.thresholds[d][k]).toBeCloseTo(cut, 9));
      expect(res.scoreCounts[d]).toEqual(ref.scoreCounts[d]);
    }
    const counts = Object.fromEntries(res.segmentCounts.filter((s) => s.count > 0).map((s) => [s.segment, s.count]));
    expect(counts).toEqual(ref.segmentCounts);
    if (ref.cells && ref.ids) {
      // Every customer's cell, not only the totals.
      expect(res.customers.map((c) => c.customerId)).toEqual(ref.ids);
      expect(res.customers.map((c) => c.cell)).toEqual(ref.cells);
    }
  });

  it("segmentSummary(rfm(cdnow, rfm-package, grid-classic)) has the reference customers, orders and revenue per segment", async () => {
    const ref = REF.rfm["rfm-package/grid-classic"].segments;
    const rows = segmentSummary(rfm(await cdnowSummaries(), { compatibility: "rfm-package", segments: "grid-classic" }));
    expect(rows.map((r) => r.key).sort()).toEqual(Object.keys(ref).sort());
    for (const row of rows) {
      expect([row.count, row.orders]).toEqual([ref[row.key].count, ref[row.key].orders]);
      expect(row.revenue).toBeCloseTo(ref[row.key].revenue, 6);
    }
    expect(rows[0].key).toBe("Champions");
  });
});

describe("paretoAnalysis, abcClasses and behaviorMatrix (cdnow) against pandas/numpy", () => {
  it("paretoAnalysis(cdnow totalSpend) has the reference Gini, top-20% count and share (1e-12)", async () => {
    const p = paretoAnalysis((await cdnowSummaries()).map((c) => c.totalSpend));
    expect(p.gini).toBeCloseTo(REF.pareto.gini, 12);
    expect(p.topShare).toBeCloseTo(REF.pareto.topShare, 12);
    expect([p.topCount, p.zeroCount]).toEqual([REF.pareto.topCount, REF.pareto.zeroCount]);
  });

  it.each(["value", "customers"] as const)("abcClasses(cdnow, { by: %s }) has the reference class counts and value shares", async (by) => {
    const r = abcClasses((await cdnowSummaries()).map((c) => c.totalSpend), { by });
    const ref = REF.abc[by];
    expect(r.groups.map((g) => g.count)).toEqual([ref.A.count, ref.B.count, ref.C.count, ref.zero.count]);
    r.groups.forEach((g, k) => expect(g.valueShare).toBeCloseTo([ref.A, ref.B, ref.C, ref.zero][k].valueShare, 12));
  });

  it("behaviorMatrix(cdnow) has the reference medians, quadrant counts and revenue shares", async () => {
    const m = behaviorMatrix(await cdnowSummaries());
    expect(m.thresholds.frequency).toBe(REF.behavior.thresholds.frequency);
    expect(m.thresholds.averageOrderValue).toBeCloseTo(REF.behavior.thresholds.averageOrderValue, 10);
    for (const q of m.summary) {
      expect(q.count).toBe(REF.behavior.quadrants[q.quadrant].count);
      expect(q.revenueShare).toBeCloseTo(REF.behavior.quadrants[q.quadrant].revenueShare, 12);
    }
  });
});
