import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { abcClasses, InvalidOptionError, InvalidRecordError, paretoAnalysis } from "../../src/index.js";
import { cdnowSummaries } from "./cdnow.js";
import { catchError } from "./helpers.js";

const money = fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { maxLength: 60 });

describe("paretoAnalysis", () => {
  it("paretoAnalysis([1,1,1,1,6]) gives Gini 0.4 and top-20% share 0.6 (hand computation)", () => {
    // Sorted 1,1,1,1,6, T = 10: sum (2i - 6) x_i = -4 - 2 + 0 + 2 + 24 = 20; G = 20 / 50 = 0.4.
    const p = paretoAnalysis(Object.freeze([1, 1, 1, 1, 6]));
    expect(p.gini).toBeCloseTo(0.4, 14);
    expect(p.topCount).toBe(1);
    expect(p.topShare).toBeCloseTo(0.6, 14);
    expect(p.lorenz.map((q) => [q.customerShare, q.valueShare])).toEqual([[0, 0], [0.2, 0.1], [0.4, 0.2], [0.6, 0.3], [0.8, 0.4], [1, 1]]);
  });

  it("paretoAnalysis(one holder) gives Gini (n - 1) / n", () => {
    // Hand computation: only x_(n) > 0, G = (2n - n - 1) / n.
    expect(paretoAnalysis([0, 0, 0, 10]).gini).toBeCloseTo(0.75, 14);
  });

  it("paretoAnalysis(cdnow totalSpend) gives Gini 0.6309 and top 20% (472 customers) hold 67.5%", async () => {
    const s = await cdnowSummaries();
    const p = paretoAnalysis(s.map((c) => c.totalSpend));
    // Issue 3 (measured with independent code): Gini 0.6309, 472 customers hold 67.5%, 8 zero-value;
    // reproduced to 1e-12 by test/reference/rfm_pandas.py (test/rfm/reference.test.ts).
    expect(p.count).toBe(2357);
    expect(p.gini).toBeCloseTo(0.6309, 4);
    expect(p.topCount).toBe(472);
    expect(p.topShare).toBeCloseTo(0.675, 3);
    expect(p.zeroCount).toBe(8);
    expect(p.lorenz).toHaveLength(101);
  });

  it("paretoAnalysis(values) is a Lorenz curve: from (0,0) to (1,1), monotone, convex, below the diagonal", () => {
    fc.assert(
      fc.property(money, fc.constantFrom<number | "all">("all", 2, 7, 101), (v, pts) => {
        const p = paretoAnalysis(v, { lorenzPoints: pts });
        expect(p.gini).toBeGreaterThanOrEqual(0);
        expect(p.gini).toBeLessThan(1);
        const L = p.lorenz;
        expect(L[0]).toEqual({ customerShare: 0, valueShare: 0 });
        expect(L[L.length - 1].customerShare).toBe(1);
        expect(L[L.length - 1].valueShare).toBeCloseTo(1, 12);
        for (let i = 1; i < L.length; i++) {
          expect(L[i].customerShare).toBeGreaterThan(L[i - 1].customerShare);
          expect(L[i].valueShare).toBeGreaterThanOrEqual(L[i - 1].valueShare - 1e-12);
          expect(L[i].valueShare).toBeLessThanOrEqual(L[i].customerShare + 1e-12);
        }
        if (pts === "all" && v.length > 0) expect(L).toHaveLength(v.length + 1);
      }),
      { seed: 20261130 },
    );
  });

  it("paretoAnalysis(equal values) gives Gini 0, and input order does not matter", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 1, max: 50 }), (x, n) => {
        expect(paretoAnalysis(new Array<number>(n).fill(x)).gini).toBeCloseTo(0, 12);
      }),
      { seed: 20261130 },
    );
    fc.assert(
      fc.property(money, (v) => {
        const a = paretoAnalysis(v);
        const b = paretoAnalysis([...v].reverse());
        expect(b.gini).toBeCloseTo(a.gini, 12);
        expect(b.topShare).toBeCloseTo(a.topShare, 12);
      }),
      { seed: 20261130 },
    );
  });

  it("paretoAnalysis([]) returns an empty analysis with no NaN", () => {
    expect(paretoAnalysis([])).toEqual({ count: 0, total: 0, gini: 0, topFraction: 0.2, topCount: 0, topShare: 0, zeroCount: 0, negativeCount: 0, lorenz: [{ customerShare: 0, valueShare: 0 }, { customerShare: 1, valueShare: 1 }] });
    const z = paretoAnalysis([0, 0]);
    expect([z.gini, z.topShare, z.zeroCount]).toEqual([0, 0, 2]);
  });

  it("paretoAnalysis(iterable, { negatives: 'zero' }) counts negatives as zero value", () => {
    const p = paretoAnalysis(new Set([5, -3, 5.5]), { negatives: "zero" });
    expect([p.count, p.total, p.negativeCount, p.zeroCount]).toEqual([3, 10.5, 1, 1]);
  });

  describe("errors", () => {
    it("paretoAnalysis(non-finite) names the position", () => {
      const e = catchError(() => paretoAnalysis([1, NaN]));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ row: 2, field: "value", expected: "a finite number" });
      expect(catchError(() => paretoAnalysis([1, "2" as unknown as number]))).toMatchObject({ row: 2, value: "2" });
    });
    it("paretoAnalysis(negative) is rejected by default", () => {
      expect(catchError(() => paretoAnalysis([1, -2]))).toMatchObject({ name: "InvalidRecordError", row: 2, value: -2 });
    });
    it("paretoAnalysis(bad option) throws InvalidOptionError", () => {
      expect(catchError(() => paretoAnalysis([1], { topFraction: 0 }))).toBeInstanceOf(InvalidOptionError);
      expect(catchError(() => paretoAnalysis([1], { lorenzPoints: 1 }))).toMatchObject({ option: "lorenzPoints", value: 1 });
    });
  });
});

describe("abcClasses", () => {
  it("abcClasses(values) puts the customer who crosses 80% in A (share before the customer)", () => {
    // Hand computation: shares before 0, .5, .8, .9, .96 -> A A B B C; zero apart.
    const r = abcClasses(Object.freeze([50, 30, 10, 6, 4, 0]));
    expect(r.classes).toEqual(["A", "A", "B", "B", "C", "zero"]);
    expect(r.groups.map((g) => g.count)).toEqual([2, 2, 1, 1]);
    expect(r.groups.map((g) => g.valueShare)).toEqual([0.8, 0.16, 0.04, 0]);
    expect(r.thresholds).toEqual({ A: 30, B: 6 });
  });

  it("abcClasses(values) gives equal values the class of the first of them", () => {
    // 60 before-share 0 -> A; the 10s start at .6 -> all A even though the last starts at .9.
    expect(abcClasses([60, 10, 10, 10, 10]).classes).toEqual(["A", "A", "A", "A", "A"]);
    // by customers: 20 customers, top 5% = 1; the tie of the two largest is A together.
    const v = [100, 100, ...new Array<number>(18).fill(1)];
    expect(abcClasses(v, { by: "customers" }).classes.slice(0, 3)).toEqual(["A", "A", "B"]);
  });

  it("abcClasses(cdnow, by value 80/95) gives A 777 customers holding 80.0%", async () => {
    const s = await cdnowSummaries();
    const r = abcClasses(s.map((c) => c.totalSpend));
    // Issue 3 (independent code): A 777 customers holding 80.0%; 8 zero-value customers (test/reference/rfm_pandas.py agrees).
    expect(r.groups[0].count).toBe(777);
    expect(r.groups[0].valueShare).toBeCloseTo(0.8, 3);
    expect(r.groups[3].count).toBe(8);
    // Not in the issue: B 804 (15.0%), C 768 (5.0%), from test/reference/rfm_pandas.py.
    expect(r.groups.map((g) => g.count)).toEqual([777, 804, 768, 8]);
  });

  it("abcClasses(cdnow, by customers 5/15/80) gives A 118 customers holding 36.1%", async () => {
    const s = await cdnowSummaries();
    const r = abcClasses(s.map((c) => c.totalSpend), { by: "customers" });
    // Issue 3: A 118 customers hold 36.1% (not the sources' "5% hold 80%"); test/reference/rfm_pandas.py agrees.
    expect(r.groups[0].count).toBe(118);
    expect(r.groups[0].valueShare).toBeCloseTo(0.361, 3);
    // A + B = the top 20% of paretoAnalysis (472 customers, 67.5%).
    expect(r.groups[0].count + r.groups[1].count).toBe(472);
    expect(r.groups[0].valueShare + r.groups[1].valueShare).toBeCloseTo(0.675, 3);
  });

  it("abcClasses(values) is a partition with shares summing to 1, monotone in value, order-free", () => {
    const rank = { A: 3, B: 2, C: 1, zero: 0 } as const;
    fc.assert(
      fc.property(money, fc.constantFrom<"value" | "customers">("value", "customers"), (v, by) => {
        const r = abcClasses(v, { by });
        expect(r.classes).toHaveLength(v.length);
        expect(r.groups.reduce((a, g) => a + g.count, 0)).toBe(v.length);
        if (v.length) expect(r.groups.reduce((a, g) => a + g.customerShare, 0)).toBeCloseTo(1, 12);
        if (v.some((x) => x > 0)) expect(r.groups.reduce((a, g) => a + g.valueShare, 0)).toBeCloseTo(1, 12);
        for (let i = 0; i < v.length; i++) {
          expect(r.classes[i] === "zero").toBe(v[i] === 0);
          for (let j = 0; j < v.length; j++) if (v[i] > v[j]) expect(rank[r.classes[i]]).toBeGreaterThanOrEqual(rank[r.classes[j]]);
        }
        const rev = abcClasses([...v].reverse(), { by });
        expect(rev.classes).toEqual([...r.classes].reverse());
      }),
      { seed: 20261130 },
    );
  });

  it("abcClasses(values) agrees with a plain sort-and-walk reference implementation", () => {
    // Reference: the definition written the obvious way (sort desc, walk tie groups).
    const reference = (v: number[], by: "value" | "customers", [ca, cb]: [number, number]) => {
      const order = v.map((x, i) => ({ x, i })).sort((a, b) => b.x - a.x);
      const total = v.reduce((a, b) => a + b, 0);
      const out = new Array<string>(v.length);
      let before = 0;
      for (let k = 0; k < order.length; ) {
        let end = k;
        while (end < order.length && order[end].x === order[k].x) end++;
        const share = by === "value" ? before / total : k / v.length;
        const cls = order[k].x === 0 ? "zero" : share < ca ? "A" : share < cb ? "B" : "C";
        for (let j = k; j < end; j++) {
          out[order[j].i] = cls;
          before += order[j].x;
        }
        k = end;
      }
      return out;
    };
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 80 }), fc.constantFrom<"value" | "customers">("value", "customers"), (v, by) => {
        const cut: [number, number] = by === "value" ? [0.8, 0.95] : [0.05, 0.2];
        expect(abcClasses(v, { by }).classes).toEqual(reference(v, by, cut));
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it("abcClasses([]) returns empty classes and four empty groups", () => {
    const r = abcClasses([]);
    expect(r.classes).toEqual([]);
    expect(r.groups).toEqual(["A", "B", "C", "zero"].map((c) => ({ class: c, count: 0, customerShare: 0, value: 0, valueShare: 0, minValue: null, maxValue: null })));
  });

  describe("errors", () => {
    it("abcClasses(negative) names the position; negatives: 'zero' counts it", () => {
      expect(catchError(() => abcClasses([3, -1]))).toMatchObject({ name: "InvalidRecordError", row: 2, field: "value", value: -1 });
      const r = abcClasses([3, -1], { negatives: "zero" });
      expect(r.classes).toEqual(["A", "zero"]);
      expect(r.negativeCount).toBe(1);
    });
    it("abcClasses(bad cutoffs or method) throws InvalidOptionError", () => {
      expect(catchError(() => abcClasses([1], { cutoffs: [0.9, 0.8] }))).toMatchObject({ name: "InvalidOptionError", option: "cutoffs" });
      expect(catchError(() => abcClasses([1], { by: "x" as "value" }))).toMatchObject({ option: "by", value: "x" });
    });
  });
});
