/**
 * Uplift and Qini curves and their areas: hand-computed tiny tables (arithmetic in the comments),
 * agreement with a numpy reimplementation of scikit-uplift's formulas
 * (test/reference/uplift_qini.py, frozen in uplift_qini.json), tie invariants and the errors.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { createRng } from "../../src/numeric/random.js";
import { curveArea, evaluateUplift, perfectQiniCurve, perfectUpliftCurve, qiniCurve, upliftCurve, type UpliftCurve } from "../../src/uplift/index.js";

interface RefCurve {
  targeted: number[];
  value: number[];
}
interface RefCase {
  name: string;
  outcome: number[];
  score: number[];
  treatment: number[];
  upliftCurve: RefCurve;
  qiniCurve: RefCurve;
  perfectUpliftCurve: RefCurve;
  perfectQiniCurve: RefCurve;
  upliftArea: number;
  qiniArea: number;
  upliftAucScore: number;
  qiniAucScore: number;
}
const REF = JSON.parse(readFileSync(new URL("../reference/uplift_qini.json", import.meta.url), "utf8")) as { cases: RefCase[] };

function expectCurve(actual: UpliftCurve, expected: RefCurve): void {
  expect(Array.from(actual.targeted)).toEqual(expected.targeted);
  expect(actual.value.length).toBe(expected.value.length);
  actual.value.forEach((v, k) => expect(v).toBeCloseTo(expected.value[k], 12));
}

// a table of 8 customers, sorted by score; T = treated, y = stayed
//   score  0.8 0.7 0.6 0.6 0.4 0.3 0.2 0.1
//   t       1   1   0   1   0   1   0   0
//   y       1   1   0   1   1   0   0   1
const score = [0.8, 0.7, 0.6, 0.6, 0.4, 0.3, 0.2, 0.1];
const t = [1, 1, 0, 1, 0, 1, 0, 0];
const y = [1, 1, 0, 1, 1, 0, 0, 1];

describe("upliftCurve", () => {
  it("upliftCurve(outcome, score, treatment) is (Y_T/N_T - Y_C/N_C) x N at each distinct score (hand-computed, with a tie)", () => {
    // N=1: 1/1 - 0 (no control) = 1, x1 = 1
    // N=2: 2/2 - 0 = 1, x2 = 2
    // N=4 (0.6 tied, one point): treated 3 (3 stayed), control 1 (0 stayed): 1 - 0 = 1, x4 = 4
    // N=5: control 2 (1 stayed): 1 - 1/2 = 0.5, x5 = 2.5
    // N=6: treated 4 (3 stayed): 3/4 - 1/2 = 0.25, x6 = 1.5
    // N=7: control 3 (1 stayed): 3/4 - 1/3 = 5/12, x7 = 35/12
    // N=8: control 4 (2 stayed): 3/4 - 2/4 = 0.25, x8 = 2
    const c = upliftCurve(y, score, t);
    expect(Array.from(c.targeted)).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
    const expected = [0, 1, 2, 4, 2.5, 1.5, 35 / 12, 2];
    c.value.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 14));
  });

  it("upliftCurve(...) does not depend on the input order of tied scores", () => {
    const perm = [3, 0, 2, 1, 4, 5, 6, 7]; // swaps the tied 0.6 rows among others
    const c1 = upliftCurve(y, score, t);
    const c2 = upliftCurve(perm.map((i) => y[i]), perm.map((i) => score[i]), perm.map((i) => t[i]));
    expect(Array.from(c2.value)).toEqual(Array.from(c1.value));
  });

  it("upliftCurve(outcome, score, treatment) accepts booleans and typed arrays, and does not modify them", () => {
    const yb = Object.freeze(y.map((v) => v === 1));
    const tb = Uint8Array.from(t);
    const sb = Float64Array.from(score);
    const c = upliftCurve(yb, sb, tb);
    expect(Array.from(c.value)).toEqual(Array.from(upliftCurve(y, score, t).value));
    expect(Array.from(sb)).toEqual(score);
  });
});

describe("qiniCurve", () => {
  it("qiniCurve(outcome, score, treatment) is Y_T - Y_C x N_T / N_C (hand-computed, with a tie)", () => {
    // N=1: 1 - 0 (no control) = 1; N=2: 2 - 0 = 2
    // N=4: Y_T 3, Y_C 0: 3; N=5: Y_T 3, Y_C 1, N_T 3, N_C 2: 3 - 1.5 = 1.5
    // N=6: N_T 4: 3 - 1 x 4/2 = 1; N=7: N_C 3: 3 - 1 x 4/3 = 5/3; N=8: Y_C 2, N_C 4: 3 - 2 x 4/4 = 1
    const c = qiniCurve(y, score, t);
    expect(Array.from(c.targeted)).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
    const expected = [0, 1, 2, 3, 1.5, 1, 5 / 3, 1];
    c.value.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 14));
  });

  it("curveArea(qiniCurve(...)) is the trapezoid sum (hand-computed)", () => {
    // (1)(0+1)/2 + (1)(1+2)/2 + (2)(2+3)/2 + (1)(3+1.5)/2 + (1)(1.5+1)/2 + (1)(1+5/3)/2 + (1)(5/3+1)/2
    // = 0.5 + 1.5 + 5 + 2.25 + 1.25 + 4/3 + 4/3 = 13.1666...
    expect(curveArea(qiniCurve(y, score, t))).toBeCloseTo(10.5 + 8 / 3, 13);
  });
});

describe("evaluateUplift", () => {
  it("evaluateUplift(...) normalises by the random line and the perfect curve (hand-computed)", () => {
    const e = evaluateUplift(y, score, t);
    // random Qini line: (0,0) to (8, 1): area 8 x 1 / 2 = 4
    expect(e.qini.randomArea).toBe(4);
    // perfect Qini: scores y t - y (1 - t) = [1, 1, 0, 1, 0(c,y=1 -> -1), 0, 0, -1]
    //   order: the three treated stayers (N=3: 3), then the 3 zeros (t1y0, c y0, c y0) N=6: N_T 4, Y_C 0 -> 3,
    //   then the two control stayers N=8: 3 - 2 x 4/4 = 1
    //   points (0,0) (3,3) (6,3) (8,1): area 4.5 + 9 + 4 = 17.5
    expect(Array.from(e.qini.perfectCurve.targeted)).toEqual([0, 3, 6, 8]);
    expect(e.qini.perfectArea).toBeCloseTo(17.5, 13);
    // normalized (13.1667 - 4) / (17.5 - 4) = 9.1667 / 13.5
    expect(e.qini.normalized!).toBeCloseTo((10.5 + 8 / 3 - 4) / 13.5, 13);
    expect(e.qini.excessArea).toBeCloseTo(10.5 + 8 / 3 - 4, 13);
    // rates: treated 3/4 stayed, control 2/4
    expect([e.rows, e.treated, e.control, e.treatedRate, e.controlRate, e.averageUplift]).toEqual([8, 4, 4, 0.75, 0.5, 0.25]);
  });

  it("evaluateUplift(...) gives normalized null when the perfect curve is no better than random", () => {
    // nobody stays: every curve is 0
    const e = evaluateUplift([0, 0, 0, 0], [4, 3, 2, 1], [1, 0, 1, 0]);
    expect(e.qini.normalized).toBeNull();
    expect(e.uplift.normalized).toBeNull();
    expect(e.qini.area).toBe(0);
  });

  it("evaluateUplift(...) of the oracle score is 1 and of random scores is near 0 (within 4 sd on 100 shuffles)", () => {
    const rng = createRng(7);
    const n = 400;
    const tt = Uint8Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const yy = Uint8Array.from({ length: n }, (_, i) => (rng.next() < (tt[i] ? 0.6 : 0.4) ? 1 : 0));
    const oracle = Float64Array.from(yy, (v, i) => (tt[i] ? v : -v));
    expect(evaluateUplift(yy, oracle, tt).qini.normalized).toBeCloseTo(1, 14);
    const qs: number[] = [];
    for (let r = 0; r < 100; r++) qs.push(evaluateUplift(yy, Float64Array.from({ length: n }, () => rng.next()), tt).qini.normalized!);
    const mean = qs.reduce((a, b) => a + b) / qs.length;
    const sd = Math.sqrt(qs.reduce((a, b) => a + (b - mean) ** 2, 0) / (qs.length - 1));
    // the mean of 100 random rankings is within 4 standard errors of 0
    expect(Math.abs(mean)).toBeLessThan((4 * sd) / Math.sqrt(qs.length));
  });
});

describe("agreement with scikit-uplift's formulas (numpy reimplementation, test/reference/uplift_qini.py)", () => {
  for (const c of REF.cases) {
    it(`curves, areas and normalised scores agree to 1e-12 on "${c.name}" (${c.outcome.length} rows)`, () => {
      expectCurve(upliftCurve(c.outcome, c.score, c.treatment), c.upliftCurve);
      expectCurve(qiniCurve(c.outcome, c.score, c.treatment), c.qiniCurve);
      expectCurve(perfectUpliftCurve(c.outcome, c.treatment), c.perfectUpliftCurve);
      expectCurve(perfectQiniCurve(c.outcome, c.treatment), c.perfectQiniCurve);
      const e = evaluateUplift(c.outcome, c.score, c.treatment);
      expect(e.uplift.area).toBeCloseTo(c.upliftArea, 10);
      expect(e.qini.area).toBeCloseTo(c.qiniArea, 10);
      expect(e.uplift.normalized!).toBeCloseTo(c.upliftAucScore, 12);
      expect(e.qini.normalized!).toBeCloseTo(c.qiniAucScore, 12);
    });
  }
});

describe("errors", () => {
  it("no treated or no control rows: AnalyticsError EMPTY_INPUT", () => {
    for (const f of [() => qiniCurve([1, 0], [1, 2], [1, 1]), () => upliftCurve([1, 0], [1, 2], [0, 0]), () => evaluateUplift([], [], []), () => perfectQiniCurve([1], [0])]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
      }
    }
  });

  it("mismatched lengths: InvalidOptionError naming the column", () => {
    try {
      evaluateUplift([1, 0, 1], [0.1, 0.2], [1, 0, 1]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("score");
      expect((e as InvalidOptionError).value).toBe("2 values");
    }
    expect(() => qiniCurve([1, 0], [1, 2], [1, 0, 1])).toThrow(InvalidOptionError);
  });

  it("a non-binary outcome or treatment, or a NaN score: InvalidRecordError with row, field and value", () => {
    const cases: [() => unknown, number, string, unknown][] = [
      [() => qiniCurve([1, 2], [1, 2], [1, 0]), 2, "outcome", 2],
      [() => qiniCurve([1, 0], [1, NaN], [1, 0]), 2, "score", NaN],
      [() => qiniCurve([1, 0], [1, 2], [1, -1]), 2, "treatment", -1],
    ];
    for (const [f, row, field, value] of cases) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect([(e as InvalidRecordError).row, (e as InvalidRecordError).field, (e as InvalidRecordError).value]).toEqual([row, field, value]);
      }
    }
  });
});

describe("invariants (fast-check)", () => {
  const table = fc.integer({ min: 2, max: 40 }).chain((n) =>
    fc.record({
      y: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
      t: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).filter((t) => t.includes(0) && t.includes(1)),
      s: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
    }),
  );

  it("the curves end at the whole-base effect, whatever the scores", () => {
    fc.assert(
      fc.property(table, ({ y, t, s }) => {
        const n = y.length;
        const nt = t.reduce((a, b) => a + b, 0);
        const yt = y.reduce((a, v, i) => a + (t[i] ? v : 0), 0);
        const yc = y.reduce((a, v, i) => a + (t[i] ? 0 : v), 0);
        const u = upliftCurve(y, s, t);
        const q = qiniCurve(y, s, t);
        expect(u.targeted[u.targeted.length - 1]).toBe(n);
        expect(u.value[u.value.length - 1]).toBeCloseTo((yt / nt - yc / (n - nt)) * n, 10);
        expect(q.value[q.value.length - 1]).toBeCloseTo(yt - (yc * nt) / (n - nt), 10);
      }),
      { numRuns: 200, seed: 19 },
    );
  });

  it("a strictly increasing transform of the scores, and a permutation of the rows, leave the curves unchanged", () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 0, max: 1000 }), ({ y, t, s }, seed) => {
        const rng = createRng(seed);
        const perm = Array.from(y.keys());
        for (let i = perm.length - 1; i > 0; i--) {
          const j = Math.floor(rng.next() * (i + 1));
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const base = evaluateUplift(y, s, t);
        const moved = evaluateUplift(perm.map((i) => y[i]), perm.map((i) => Math.exp(s[i]) + 1), perm.map((i) => t[i]));
        expect(Array.from(moved.qini.curve.targeted)).toEqual(Array.from(base.qini.curve.targeted));
        moved.qini.curve.value.forEach((v, k) => expect(v).toBeCloseTo(base.qini.curve.value[k], 10));
        expect(moved.uplift.area).toBeCloseTo(base.uplift.area, 10);
      }),
      { numRuns: 200, seed: 20 },
    );
  });

  it("a constant score gives the random line: area = random area, normalized 0 (or null)", () => {
    fc.assert(
      fc.property(table, ({ y, t }) => {
        const e = evaluateUplift(y, new Array(y.length).fill(0.5), t);
        expect(e.qini.area).toBeCloseTo(e.qini.randomArea, 10);
        if (e.qini.normalized !== null) expect(e.qini.normalized).toBeCloseTo(0, 10);
      }),
      { numRuns: 100, seed: 21 },
    );
  });
});
