import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ahpWeights, InvalidOptionError, InvalidRecordError, rfm, type RfmInput } from "../../src/index.js";
import { cdnowSummaries } from "./cdnow.js";
import { catchError, inputs } from "./helpers.js";

const F_CASE = [1, 1, 1, 1, 1, 1, 2, 2, 3, 5];
const M_CASE = [10, 10.4, 10.6, 11, 20, 30, 40, 50, 60, 70];

const customersArb = fc.array(
  fc.record({
    recencyDays: fc.integer({ min: 0, max: 400 }),
    frequency: fc.integer({ min: 1, max: 12 }),
    totalSpend: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 1e4, noNaN: true })),
  }),
  { maxLength: 80 },
).map((rows) => rows.map((x, i) => ({ customerId: `c${i}`, ...x, averageOrderValue: x.totalSpend / x.frequency })));

describe("rfm", () => {
  it("rfm(M case) scores 10,10.4,10.6,11,20,...,70 as 1,1,2,2,3,3,4,4,5,5 (issue 3 hand case)", () => {
    const res = rfm(inputs({ m: M_CASE }), { segments: [] });
    expect(res.customers.map((c) => c.m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Type-7 cuts by hand: positions 1.8, 3.6, 5.4, 7.2 -> 10.56, 16.4, 34, 52 (R quantile() agrees).
    expect(res.thresholds.m.map((c) => +c.toFixed(10))).toEqual([10.56, 16.4, 34, 52]);
    expect(res.emptyScores.m).toEqual([]);
  });

  it("rfm(M case, compatibility 'rfm-package') reproduces the R package's +1 rule: 1,1,1,1,3,3,4,4,5,5", () => {
    const res = rfm(inputs({ m: M_CASE }), { segments: [], compatibility: "rfm-package" });
    // Issue 3: the R package's +1 rule gives 1,1,1,1,3,3,4,4,5,5 (score 2 empty).
    expect(res.customers.map((c) => c.m)).toEqual([1, 1, 1, 1, 3, 3, 4, 4, 5, 5]);
    expect(res.thresholds.m.map((c) => +c.toFixed(10))).toEqual([11.56, 17.4, 35, 53]);
    expect(res.emptyScores.m).toEqual([2]);
    expect(res.warnings.find((w) => w.dimension === "m")).toMatchObject({ code: "EMPTY_SCORES", scores: [2] });
  });

  it("rfm(F case) gives 1x6,4,4,5,5 with scores 2 and 3 reported empty (cuts 1, 1, 1.4, 2.2)", () => {
    const res = rfm(inputs({ f: F_CASE }), { segments: [] });
    // Hand computation with the spec's rule (type-7 cuts 1, 1, 1.4, 2.2, as R quantile() gives; 1 + cuts strictly
    // below). NOTE: issue 3 lists 1x6,3,3,4,5 for this case; that is what the R-package
    // compatibility rule gives (next test), not the default rule. Reported to the lead.
    expect(res.thresholds.f.map((c) => +c.toFixed(10))).toEqual([1, 1, 1.4, 2.2]);
    expect(res.customers.map((c) => c.f)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect(res.emptyScores.f).toEqual([2, 3]);
    expect(res.scoreCounts.f).toEqual([6, 0, 0, 2, 2]);
    const w = res.warnings.find((x) => x.dimension === "f" && x.code === "EMPTY_SCORES");
    expect(w?.scores).toEqual([2, 3]);
    expect(w?.message).toMatch(/no customer has score 2, 3/);
  });

  it("rfm(F case, compatibility 'rfm-package') gives 1x6,3,3,4,5 with score 2 empty (issue 3 figures)", () => {
    const res = rfm(inputs({ f: F_CASE }), { segments: [], compatibility: "rfm-package" });
    // Cuts 2, 2, 2.4, 3.2 and "cut <= value" (rfm:::bins + rfm_table_customer).
    expect(res.customers.map((c) => c.f)).toEqual([1, 1, 1, 1, 1, 1, 3, 3, 4, 5]);
    expect(res.emptyScores.f).toEqual([2]);
  });

  it("rfm(F case, ties 'dense') renumbers the scores that occur to 1..k", () => {
    const res = rfm(inputs({ f: F_CASE }), { segments: [], ties: "dense" });
    expect(res.customers.map((c) => c.f)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 3, 3]);
    expect(res.scoreCounts.f).toEqual([6, 2, 2, 0, 0]);
    expect(res.emptyScores.f).toEqual([2, 3]); // still reported (before renumbering)
    expect(res.warnings.find((w) => w.dimension === "f" && w.code === "EMPTY_SCORES")?.message).toMatch(/renumbered densely to 1\.\.3/);
  });

  it("rfm(summaries) reverses R: the most recent customers get 5, a value on a cut goes to the older bin", () => {
    const res = rfm(inputs({ r: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }), { segments: [] });
    // Cuts (type 7): 2.8, 4.6, 6.4, 8.2 -> scores 5 - cuts below.
    expect(res.customers.map((c) => c.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    const onCut = rfm(inputs({ r: [0, 10, 20, 30] }), { bins: { r: 3, f: 5 }, segments: [] });
    // Cuts 10, 20: 10 has no cut strictly below -> score 3 (recent side); 20 has one -> 2.
    expect(onCut.customers.map((c) => c.r)).toEqual([3, 3, 2, 1]);
  });

  it("rfm(summaries, { thresholds }) uses fixed business cuts (equal is low; R package mode: equal is high)", () => {
    const s = inputs({ r: [10, 30, 31, 400], f: [1, 2, 3, 10], m: [5, 50, 100, 1000] });
    const res = rfm(s, { thresholds: { r: [30, 90, 180, 365], f: [1, 2, 4, 8], m: [50, 100, 500, 900] } });
    // Hand computation: r 10, 30 have no cut below (5), 31 one (4), 400 four (1); f 1 -> 1,
    // 2 -> 2, 3 -> 3, 10 -> 5; m 5 and 50 (on the cut) -> 1, 100 -> 2, 1000 -> 5.
    expect(res.customers.map((c) => c.cell)).toEqual(["5-1-1", "5-2-1", "4-3-2", "1-5-5"]);
    expect(res.thresholds.r).toEqual([30, 90, 180, 365]);
    const compat = rfm(s, { thresholds: { r: [30, 90, 180, 365], f: [1, 2, 4, 8], m: [50, 100, 500, 900] }, compatibility: "rfm-package" });
    // "cut <= value": 30 -> 4, f 1 -> 2, m 50 -> 2, m 100 -> 3.
    expect(compat.customers.map((c) => c.cell)).toEqual(["5-2-1", "4-3-2", "4-3-3", "1-5-5"]);
    // Three cuts give four scores.
    expect(rfm(s, { thresholds: { f: [1, 2, 3] }, segments: [] }).bins).toEqual({ r: 5, f: 4, m: 5 });
  });

  it("rfm(summaries, { monetary: 'average' }) scores the average order value, revenue stays total spend", () => {
    const s = inputs({ m: [100, 100, 100], aov: [1, 50, 100], f: [100, 2, 1] });
    const res = rfm(s, { monetary: "average", bins: 3, segments: [] });
    expect(res.customers.map((c) => c.m)).toEqual([1, 2, 3]);
    expect(res.customers.map((c) => c.monetary)).toEqual([1, 50, 100]);
    expect(res.customers.map((c) => c.totalSpend)).toEqual([100, 100, 100]);
  });

  it("rfm(summaries, { weights }) gives the weighted composite; AHP weights plug in", () => {
    const s = inputs({ r: [1, 100], f: [9, 1], m: [900, 10] });
    const res = rfm(s, { bins: 2, segments: [], weights: [2, 1, 1] });
    expect(res.weights).toEqual([0.5, 0.25, 0.25]);
    expect(res.customers.map((c) => c.composite)).toEqual([2, 1]);
    const w = ahpWeights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]).weights;
    const a = rfm(s, { bins: 2, segments: [], weights: w });
    expect(a.customers[0].composite).toBeCloseTo(2, 12);
    // Default: the plain mean of the three scores.
    for (const c of rfm(inputs({ r: [1, 2, 3, 4, 5], f: [1, 2, 3, 4, 5], m: [5, 4, 3, 2, 1] })).customers) expect(c.composite).toBeCloseTo((c.r + c.f + c.m) / 3, 14);
  });

  it("rfm(summaries) gives cell, 100R+10F+M and a default-grid segment", () => {
    const res = rfm(inputs({ r: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], f: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], m: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }));
    expect(res.customers[0]).toMatchObject({ r: 5, f: 5, m: 1, cell: "5-5-1", rfmScore: 551, segment: "Champions" });
    expect(res.customers[9]).toMatchObject({ r: 1, f: 1, m: 5, cell: "1-1-5", rfmScore: 115, segment: "Lost" });
  });

  it("rfm(few distinct values) warns that bins exceed the distinct values", () => {
    const res = rfm(inputs({ f: [1, 1, 2, 2, 2, 1] }), { segments: [] });
    expect(res.warnings.some((w) => w.code === "FEW_DISTINCT_VALUES" && w.dimension === "f")).toBe(true);
    expect(res.warnings.find((w) => w.code === "FEW_DISTINCT_VALUES" && w.dimension === "f")?.message).toMatch(/2 distinct value\(s\) for 5 bins/);
  });

  it("rfm([]) returns empty results with no NaN", () => {
    const res = rfm([]);
    expect(res.customers).toEqual([]);
    expect(res.scoreCounts).toEqual({ r: [0, 0, 0, 0, 0], f: [0, 0, 0, 0, 0], m: [0, 0, 0, 0, 0] });
    expect(res.emptyScores).toEqual({ r: [], f: [], m: [] });
    expect(res.warnings).toEqual([]);
    expect(res.segmentCounts.every((s) => s.count === 0)).toBe(true);
    expect(JSON.stringify(res)).not.toMatch(/NaN|null/);
  });

  it("rfm(summaries) accepts any string id, including __proto__, and does not mutate its input", () => {
    const s = Object.freeze(inputs({ r: [1, 2], f: [1, 2] }).map((c, i) => Object.freeze({ ...c, customerId: i ? "__proto__" : "constructor" })));
    const res = rfm(s, { bins: 2, segments: [] });
    expect(res.customers.map((c) => c.customerId)).toEqual(["constructor", "__proto__"]);
  });

  it("rfm(summaries): every customer in exactly one segment; equal values equal scores; scores monotone in raw values", () => {
    fc.assert(
      fc.property(customersArb, fc.constantFrom<"none" | "rfm-package">("none", "rfm-package"), fc.constantFrom<"standard" | "dense">("standard", "dense"), (s, compatibility, ties) => {
        const res = rfm(s, { compatibility, ties, segments: "rfm-0.3" });
        expect(res.customers).toHaveLength(s.length);
        expect(res.segmentCounts.reduce((a, x) => a + x.count, 0)).toBe(s.length);
        for (const d of ["r", "f", "m"] as const) expect(res.scoreCounts[d].reduce((a, b) => a + b, 0)).toBe(s.length);
        const c = res.customers;
        for (let i = 0; i < c.length; i++) {
          for (let j = 0; j < c.length; j++) {
            if (c[i].recencyDays === c[j].recencyDays) expect(c[i].r).toBe(c[j].r);
            if (c[i].recencyDays < c[j].recencyDays) expect(c[i].r).toBeGreaterThanOrEqual(c[j].r);
            if (c[i].frequency <= c[j].frequency) expect(c[i].f).toBeLessThanOrEqual(c[j].f);
            if (c[i].monetary <= c[j].monetary) expect(c[i].m).toBeLessThanOrEqual(c[j].m);
          }
          for (const d of ["r", "f", "m"] as const) {
            expect(c[i][d]).toBeGreaterThanOrEqual(1);
            expect(c[i][d]).toBeLessThanOrEqual(5);
          }
        }
      }),
      { seed: 20261130, numRuns: 60 },
    );
  });

  it("rfm(summaries) does not depend on input order", () => {
    fc.assert(
      fc.property(customersArb, fc.integer(), (s, seed) => {
        const shuffled = [...s].sort((a, b) => ((hash(a.customerId, seed) - hash(b.customerId, seed)) | 0));
        const a = new Map(rfm(s).customers.map((c) => [c.customerId, c]));
        for (const c of rfm(shuffled).customers) expect(c).toEqual(a.get(c.customerId));
      }),
      { seed: 20261130, numRuns: 60 },
    );
  });

  it("rfm(cdnow, R-package compatibility, grid without Lost) reproduces the issue's segment and score counts", async () => {
    const res = rfm(await cdnowSummaries(), { compatibility: "rfm-package", segments: "grid-classic" });
    // Issue 3 (independent code, asOf 1998-07-01): score counts and segment counts; reproduced by
    // test/reference/rfm_pandas.py (checked in test/rfm/reference.test.ts, every customer's cell).
    expect(res.scoreCounts.f).toEqual([1218, 0, 403, 358, 378]);
    expect(res.emptyScores.f).toEqual([2]);
    expect(res.scoreCounts.r).toEqual([459, 478, 475, 471, 474]);
    expect(counts(res.segmentCounts)).toEqual({
      Hibernating: 855,
      Champions: 414,
      "About To Sleep": 363,
      "Loyal Customers": 311,
      "Potential Loyalists": 250,
      "Need Attention": 82,
      "At Risk": 80,
      "Can't Lose Them": 2,
    });
  });

  it("rfm(cdnow, R-package compatibility, 'rfm-0.3') reproduces the R package's newer table counts", async () => {
    const res = rfm(await cdnowSummaries(), { compatibility: "rfm-package", segments: "rfm-0.3" });
    // Issue 3 (independent code); reproduced by test/reference/rfm_pandas.py (test/rfm/reference.test.ts).
    expect(counts(res.segmentCounts)).toEqual({
      "Potential Loyalist": 823,
      Champions: 231,
      "About To Sleep": 676,
      Lost: 445,
      Promising: 97,
      "Loyal Customers": 51,
      "Can't Lose Them": 16,
      Others: 7,
      "Need Attention": 7,
      "At Risk": 2,
      "New Customers": 2,
    });
  });

  it("rfm(cdnow, R-package compatibility, 'rfm-0.2') leaves 286 customers in Others (SPEC section 1)", async () => {
    const res = rfm(await cdnowSummaries(), { compatibility: "rfm-package", segments: "rfm-0.2" });
    expect(counts(res.segmentCounts).Others).toBe(286);
  });

  it("rfm(cdnow) with the default rule and the default grid gives the pandas reference counts", async () => {
    const res = rfm(await cdnowSummaries());
    // Not in the issue: computed independently by test/reference/rfm_pandas.py (pandas/numpy; all
    // cuts and every cell are compared in test/rfm/reference.test.ts). Same R and F scores as the compatibility rule on CDNOW
    // (integer F, whole-day R), so the R x F grid is unchanged; M cuts differ by the +1.
    expect(res.thresholds.f).toEqual([1, 1, 2, 4]);
    expect(res.scoreCounts.f).toEqual([1218, 0, 403, 358, 378]);
    expect(res.scoreCounts.m).toEqual([481, 462, 472, 470, 472]);
    expect(counts(res.segmentCounts)).toEqual({
      Lost: 439,
      Hibernating: 416,
      Champions: 414,
      "About To Sleep": 363,
      "Loyal Customers": 311,
      "Potential Loyalists": 250,
      "Need Attention": 82,
      "At Risk": 80,
      "Can't Lose Them": 2,
    });
  });

  describe("errors", () => {
    it("rfm(non-finite value) names the customer and field", () => {
      const s: RfmInput[] = [...inputs({ r: [1, 2] }), { customerId: "x7", recencyDays: 3, frequency: NaN, totalSpend: 1, averageOrderValue: 1 }];
      const e = catchError(() => rfm(s));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ code: "INVALID_RECORD", row: "x7", field: "frequency" });
      expect((e as Error).message).toMatch(/^rfm: customer "x7", field "frequency": got NaN/);
      expect(catchError(() => rfm([{ customerId: "y", recencyDays: Infinity, frequency: 1, totalSpend: 1, averageOrderValue: 1 }]))).toMatchObject({ row: "y", field: "recencyDays" });
      expect(catchError(() => rfm([{ customerId: "", recencyDays: 1, frequency: 1, totalSpend: 1, averageOrderValue: 1 }]))).toMatchObject({ row: 1, field: "customerId" });
    });
    it("rfm(bad options) throws InvalidOptionError naming the option", () => {
      const s = inputs({ r: [1, 2] });
      expect(catchError(() => rfm(s, { bins: 1 }))).toMatchObject({ name: "InvalidOptionError", option: "bins", value: 1, expected: "an integer from 2 to 100" });
      expect(catchError(() => rfm(s, { weights: [1, 1] }))).toMatchObject({ option: "weights" });
      expect(catchError(() => rfm(s, { thresholds: { r: [5, 3] } }))).toMatchObject({ option: "thresholds.r" });
      expect(catchError(() => rfm(s, { ties: "min" as "dense" }))).toMatchObject({ option: "ties" });
      expect(catchError(() => rfm(s, { compatibility: "R" as "none" }))).toMatchObject({ option: "compatibility" });
    });
    it("rfm(bins 4) with a 5-score preset asks for rules", () => {
      const e = catchError(() => rfm(inputs({ r: [1] }), { bins: 4 }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "segments", value: "grid" });
    });
    it("rfm(rules outside the score range) is rejected with the rule position", () => {
      const e = catchError(() => rfm(inputs({ r: [1] }), { segments: [{ name: "A", r: [1, 5] }, { name: "B", f: [0, 9] }] }));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ row: 2, field: "f" });
    });
  });
});

function counts(rows: { segment: string; count: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.count > 0 || r.segment !== "Others") out[r.segment] = r.count;
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 2654435761);
  return h;
}
