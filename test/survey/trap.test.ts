/**
 * satisfactionTrap, isotonicRegression and respondentIndex: hand-made data with a known
 * breakpoint, a seeded simulation with a known breakpoint (generated and fitted by brute force
 * in test/reference/survey_trap.py), and mobi against numpy/scikit-learn on plspm's weights.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { ecsiModel, parseSurveyCsv, plsPathModel, respondentIndex, satisfactionIndex, satisfactionTrap } from "../../src/survey/index.js";
import { isotonicRegression } from "../../src/numeric/isotonic.js";
import { mobiColumns, mobiText } from "./mobi.js";

interface RefFit { breakpoint: number; intercept: number; slopeBelow: number; slopeAbove: number; sse: number; sseLine: number; minSegment: number }
interface RefLevel { lower: number; upper: number; n: number; loyalty: number; isotonic: number }
const TRAP = JSON.parse(readFileSync(new URL("../reference/survey_trap.json", import.meta.url), "utf8")) as {
  isotonic: { y: number[]; w: number[]; fit: number[] };
  simulated: { truth: number; satisfaction: number[]; loyalty: number[]; fit: RefFit; levels: RefLevel[] };
  mobi: { satisfactionFirst3: number[]; loyaltyFirst3: number[]; satisfactionMean: number; loyaltyMean: number; fit: RefFit; levels: RefLevel[] };
};

/**
 * Hand-made: satisfaction 1..10, ten respondents each; loyalty follows a hinge at 7,
 * 0.2 + 0.01 (s − 1) up to 7 (0.26 at 7), then + 0.2 per point (0.46, 0.66, 0.86), plus ±0.05
 * noise that sums to zero within each level (five +, five −). That noise is orthogonal to every
 * function of s, so the least-squares hinge at 7 reproduces the noise-free line exactly and its
 * SSE is the noise's: 100 · 0.05² = 0.25.
 */
function handData(): { s: number[]; l: number[] } {
  const s: number[] = [];
  const l: number[] = [];
  for (let v = 1; v <= 10; v++) {
    const mean = v <= 7 ? 0.2 + 0.01 * (v - 1) : 0.26 + 0.2 * (v - 7);
    for (let k = 0; k < 10; k++) {
      s.push(v);
      l.push(mean + (k % 2 === 0 ? 0.05 : -0.05));
    }
  }
  return { s, l };
}

describe("isotonicRegression", () => {
  it("isotonicRegression(y) pools adjacent violators (hand case)", () => {
    // by hand: [1, 3, 2] -> 3 > 2 pool to 2.5 (2 values); 5, then 1: pool to 3 (2 values); then 0:
    // pool (3 + 3 + 0)/3 = 2 < 2.5, pool again (2.5·2 + 2·3)/5 = 2.2; 1 < 2.2 stops
    expect(Array.from(isotonicRegression([1, 3, 2, 5, 1, 0]))).toEqual([1, 2.2, 2.2, 2.2, 2.2, 2.2]);
  });

  it("isotonicRegression(y, w) agrees with scikit-learn's IsotonicRegression to 1e-12", () => {
    const fit = isotonicRegression(TRAP.isotonic.y, TRAP.isotonic.w);
    TRAP.isotonic.fit.forEach((v, i) => expect(fit[i]).toBeCloseTo(v, 12));
  });

  it("isotonicRegression keeps the weighted sum and is non-decreasing", () => {
    const { y, w } = TRAP.isotonic;
    const fit = isotonicRegression(y, w);
    for (let i = 1; i < fit.length; i++) expect(fit[i]).toBeGreaterThanOrEqual(fit[i - 1]);
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((acc, v, i) => acc + v * w[i], 0);
    expect(sum(fit)).toBeCloseTo(sum(y), 10);
  });
});

describe("satisfactionTrap", () => {
  it("satisfactionTrap(s, l) finds the hand-made breakpoint 7 with its slopes exactly", () => {
    const { s, l } = handData();
    Object.freeze(s);
    Object.freeze(l);
    const t = satisfactionTrap(s, l, { seed: 3 });
    expect(t.breakpoint).toBe(7);
    expect(t.slopeBelow).toBeCloseTo(0.01, 12);
    expect(t.slopeAbove).toBeCloseTo(0.2, 12);
    expect(t.atBreakpoint).toBeCloseTo(0.26, 12);
    expect(t.sse).toBeCloseTo(0.25, 12);
    expect(t.sseLine).toBeGreaterThan(t.sse);
    expect(t.trap).toBe(true);
    expect(t.flatZone).toEqual({ from: 1, to: 7 });
    expect(t.n).toBe(100);
    // scale points as levels, means without noise, already monotone
    expect(t.levels.map((v) => v.n)).toEqual(new Array(10).fill(10));
    t.levels.forEach((v, k) => {
      expect(v.lower).toBe(k + 1);
      expect(v.loyalty).toBeCloseTo(k + 1 <= 7 ? 0.2 + 0.01 * k : 0.26 + 0.2 * (k - 6), 12);
      expect(v.isotonic).toBeCloseTo(v.loyalty, 12);
    });
    // a clean kink: every resample finds 7
    expect(t.interval).toMatchObject({ lower: 7, upper: 7, level: 0.95, samples: 500, failed: 0 });
  });

  it("satisfactionTrap gives the same result for the same seed, and reports no trap for concave data", () => {
    const { s, l } = handData();
    expect(satisfactionTrap(s, l, { seed: 9, samples: 50 })).toEqual(satisfactionTrap(s, l, { seed: 9, samples: 50 }));
    // diminishing returns: steep, then flat above 4
    const x = s;
    const y = x.map((v) => (v <= 4 ? 0.2 * v : 0.8 + 0.01 * (v - 4)));
    const t = satisfactionTrap(x, y, { samples: 0 });
    expect(t.breakpoint).toBe(4);
    expect(t.slopeBelow).toBeCloseTo(0.2, 12);
    expect(t.slopeAbove).toBeCloseTo(0.01, 12);
    expect(t.trap).toBe(false);
    expect(t.flatZone).toBeNull();
    expect(t.interval).toBeNull();
  });

  it("satisfactionTrap recovers the simulated breakpoint 8 and agrees with the brute-force numpy fit", () => {
    const { satisfaction, loyalty, fit, levels, truth } = TRAP.simulated;
    const t = satisfactionTrap(satisfaction, loyalty, { seed: 1 });
    expect(t.breakpoint).toBe(truth);
    expect(t.breakpoint).toBe(fit.breakpoint);
    expect(t.slopeBelow).toBeCloseTo(fit.slopeBelow, 10);
    expect(t.slopeAbove).toBeCloseTo(fit.slopeAbove, 10);
    expect(t.sse).toBeCloseTo(fit.sse, 9);
    expect(t.sseLine).toBeCloseTo(fit.sseLine, 9);
    expect(t.trap).toBe(true);
    expect(t.levels.length).toBe(levels.length);
    t.levels.forEach((v, k) => {
      expect(v.n).toBe(levels[k].n);
      expect(v.loyalty).toBeCloseTo(levels[k].loyalty, 12);
      expect(v.isotonic).toBeCloseTo(levels[k].isotonic, 12);
    });
    expect(t.interval!.lower).toBeLessThanOrEqual(truth);
    expect(t.interval!.upper).toBeGreaterThanOrEqual(truth);
  });

  it("satisfactionTrap(bins: q) keeps tied values in one bin", () => {
    // n = 10, q = 5: tied 1s start at rank 0 (bin 0); 2 at rank 4 and 3 at rank 5 -> bin 2;
    // 4, 5 at ranks 6, 7 -> bin 3; 6, 7 at ranks 8, 9 -> bin 4
    const s = [1, 1, 1, 1, 2, 3, 4, 5, 6, 7];
    const l = [1, 2, 1, 2, 3, 3, 4, 4, 9, 9];
    const t = satisfactionTrap(s, l, { bins: 5, samples: 0, minSegment: 1 });
    expect(t.levels.map((v) => [v.lower, v.upper, v.n])).toEqual([[1, 1, 4], [2, 3, 2], [4, 5, 2], [6, 7, 2]]);
    expect(t.levels.map((v) => v.loyalty)).toEqual([1.5, 3, 4, 9]);
  });

  it("satisfactionTrap leaves out pairs with a missing value and counts them", () => {
    const { s, l } = handData();
    const t = satisfactionTrap([...s, NaN, 3], [...l, 0.5, NaN], { samples: 0 });
    expect([t.n, t.skipped, t.breakpoint]).toEqual([100, 2, 7]);
  });

  describe("on mobi (Satisfaction and Loyalty indices)", () => {
    const { table } = parseSurveyCsv(mobiText(), { scale: { min: 1, max: 10 } });
    const fit = plsPathModel(table, ecsiModel(), { tolerance: 1e-12 });
    const idx = respondentIndex(fit, table);

    it("respondentIndex agrees with the index computed from plspm's weights (numpy) to 1e-8", () => {
      const sat = idx.get("Satisfaction")!;
      const loy = idx.get("Loyalty")!;
      TRAP.mobi.satisfactionFirst3.forEach((v, i) => expect(sat[i]).toBeCloseTo(v, 8));
      TRAP.mobi.loyaltyFirst3.forEach((v, i) => expect(loy[i]).toBeCloseTo(v, 8));
    });

    it("respondentIndex averages to satisfactionIndex", () => {
      const index = satisfactionIndex(fit);
      for (const c of index) {
        const v = idx.get(c.construct)!;
        expect(v.reduce((a, x) => a + x, 0) / v.length).toBeCloseTo(c.index, 10);
      }
      expect(index.find((c) => c.construct === "Satisfaction")!.index).toBeCloseTo(TRAP.mobi.satisfactionMean, 8);
    });

    it("satisfactionTrap on mobi agrees with the numpy fit: breakpoint 77.8, steeper below (no trap)", () => {
      const t = satisfactionTrap(idx.get("Satisfaction")!, idx.get("Loyalty")!, { seed: 1 });
      const ref = TRAP.mobi.fit;
      expect(t.breakpoint).toBeCloseTo(ref.breakpoint, 8);
      expect(t.breakpoint).toBeCloseTo(77.7778, 4); // 100 · 7/9: respondents answering 8, 8, 8
      expect(t.slopeBelow).toBeCloseTo(ref.slopeBelow, 6);
      expect(t.slopeAbove).toBeCloseTo(ref.slopeAbove, 6);
      expect(t.sse).toBeCloseTo(ref.sse, 4);
      expect(t.trap).toBe(false);
      expect(t.levels.length).toBe(10);
      t.levels.forEach((v, k) => {
        expect(v.n).toBe(TRAP.mobi.levels[k].n);
        expect(v.loyalty).toBeCloseTo(TRAP.mobi.levels[k].loyalty, 8);
        expect(v.isotonic).toBeCloseTo(TRAP.mobi.levels[k].isotonic, 8);
      });
      // the kink is weak: the bootstrap interval is wide
      expect(t.interval!.upper - t.interval!.lower).toBeGreaterThan(20);
    });
  });

  describe("errors", () => {
    it("different lengths: InvalidOptionError on loyalty", () => {
      const e = (() => { try { satisfactionTrap([1, 2, 3, 4], [1, 2, 3]); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["loyalty", 3]);
    });

    it("an infinite value: InvalidRecordError naming the position, field and value", () => {
      const e = (() => { try { satisfactionTrap([1, 2, 3, 4, 5], [1, 2, Infinity, 4, 5]); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([3, "loyalty", Infinity]);
    });

    it("too few respondents or satisfaction values: EMPTY_INPUT and INVALID_RECORD", () => {
      expect(() => satisfactionTrap([1, 2, 3], [1, 2, 3])).toThrow(expect.objectContaining({ code: "EMPTY_INPUT" }));
      const e = (() => { try { satisfactionTrap([1, 1, 2, 2, 2], [0, 1, 0, 1, 1], { samples: 0 }); } catch (x) { return x; } })() as AnalyticsError;
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("INVALID_RECORD");
      expect(e.message).toContain("2 distinct satisfaction values");
    });

    it("bad options: InvalidOptionError naming the option", () => {
      const { s, l } = handData();
      for (const [option, value] of [["bins", 1], ["samples", 5], ["level", 1], ["minSegment", 0]] as const) {
        const e = (() => { try { satisfactionTrap(s, l, { [option]: value }); } catch (x) { return x; } })() as InvalidOptionError;
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e.option).toBe(option);
      }
      // undefined means the default
      expect(satisfactionTrap(s, l, { bins: undefined, samples: 0 }).levels.length).toBe(10);
    });
  });
});

describe("respondentIndex", () => {
  it("respondentIndex(fit, otherData) is an InvalidOptionError on data", () => {
    const mobi = mobiColumns();
    const fit = plsPathModel(mobi, ecsiModel());
    const other = { ...mobi, CUSA1: mobi.CUSA1.map((v) => Math.min(10, v + 1)) };
    const e = (() => { try { respondentIndex(fit, other, { scale: { min: 1, max: 10 } }); } catch (x) { return x; } })() as InvalidOptionError;
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect([e.option, e.value]).toEqual(["data", "CUSA1"]);
  });

  it("respondentIndex with casewise deletion gives one value per respondent kept", () => {
    const mobi = mobiColumns();
    const holes = { ...mobi, CUSA2: mobi.CUSA2.map((v, i) => (i % 50 === 0 ? NaN : v)) };
    const fit = plsPathModel(holes, ecsiModel(), { missing: "casewise" });
    const idx = respondentIndex(fit, holes, { scale: { min: 1, max: 10 } });
    expect(fit.dropped).toBe(5);
    expect(idx.get("Satisfaction")!.length).toBe(245);
  });
});

describe("satisfactionTrap with behaviour (joinSurveyCustomers)", () => {
  it("repurchase by satisfaction answer through the customer join recovers the simulated breakpoint 9", async () => {
    const { createRng } = await import("../../src/numeric/random.js");
    const { joinSurveyCustomers, parseSurvey } = await import("../../src/survey/index.js");
    // 800 customers; respondents answer satisfaction 1..10; P(active) = 0.30 up to 9, then 0.85
    // at 10 (Jones & Sasser's "only the completely satisfied stay"); every 8th respondent gave no
    // customer id and every 16th an unknown one: both are left out of the trap (skipped).
    const rng = createRng(42);
    const ids: string[] = [];
    const recencyDays: number[] = [];
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < 800; i++) {
      const s = 1 + Math.floor(rng.next() * 10);
      const p = s <= 9 ? 0.3 : 0.85;
      ids.push(`c${i}`);
      recencyDays.push(rng.next() < p ? 20 : 400);
      rows.push({ id: `r${i}`, customer: i % 8 === 7 ? "" : i % 16 === 3 ? `x${i}` : `c${i}`, sat: s });
    }
    const survey = parseSurvey(rows, { scale: { min: 1, max: 10 }, respondentColumn: "id", customerColumn: "customer" }).table;
    const customers = { ids: [...ids].reverse(), recencyDays: Int32Array.from([...recencyDays].reverse()) };
    const join = joinSurveyCustomers(survey, customers);
    const active = Float64Array.from(join.customerRow, (i) => (i < 0 ? NaN : customers.recencyDays[i] <= 180 ? 1 : 0));
    const t = satisfactionTrap(survey.answers.get("sat")!, active, { seed: 2 });
    expect(t.skipped).toBe(join.unmatched + join.withoutCustomer);
    expect(t.skipped).toBe(100 + 50);
    expect(t.breakpoint).toBe(9);
    expect(t.trap).toBe(true);
    expect(t.slopeBelow).toBeLessThan(0.02);
    expect(t.slopeAbove).toBeGreaterThan(0.4);
    expect(t.flatZone).toEqual({ from: 1, to: 9 });
  });
});
