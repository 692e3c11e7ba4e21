import fc from "fast-check";
import { eigs } from "mathjs";
import { describe, expect, it } from "vitest";
import { ahpWeights, AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/index.js";
import { catchError } from "./helpers.js";

// Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
// Sciences 1(1), Table 2: relative consumption of drinks in the United States.
const DRINKS = [
  [1, 9, 5, 2, 1, 1, 1 / 2],
  [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
  [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
  [1, 9, 4, 2, 1, 2, 1 / 2],
  [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
  [2, 9, 9, 3, 2, 3, 1],
];

/** Principal eigenpair by mathjs (independent oracle, general eigen solver). */
function oracle(m: number[][]): { lambda: number; w: number[] } {
  const r = eigs(m);
  let best = { lambda: -Infinity, w: [] as number[] };
  for (const { value, vector } of r.eigenvectors as unknown as { value: unknown; vector: unknown[] }[]) {
    const re = (x: unknown) => (typeof x === "number" ? x : (x as { re: number }).re);
    const im = (x: unknown) => (typeof x === "number" ? 0 : (x as { im: number }).im);
    if (Math.abs(im(value)) < 1e-12 && re(value) > best.lambda) {
      const v = vector.map(re);
      const s = v.reduce((a, b) => a + b, 0);
      best = { lambda: re(value), w: v.map((x) => x / s) };
    }
  }
  return best;
}

describe("ahpWeights", () => {
  it("ahpWeights(drinks) reproduces Saaty's (2008) published priorities", () => {
    const frozen = DRINKS.map((r) => Object.freeze([...r]));
    const r = ahpWeights(Object.freeze(frozen));
    // Saaty (2008) Table 2, derived priorities to 3 decimals: .177 .019 .042 .116 .190 .129 .327.
    expect(r.weights.map((w) => Number(w.toFixed(3)))).toEqual([0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327]);
    // Cross-checked against mathjs eigs (general eigen solver), tolerance 1e-9.
    const o = oracle(DRINKS);
    expect(r.lambdaMax).toBeCloseTo(o.lambda, 9);
    r.weights.forEach((w, i) => expect(w).toBeCloseTo(o.w[i], 9));
    // CI = (lambda - 7) / 6, RI(7) = 1.32 (Saaty's table).
    expect(r.randomIndex).toBe(1.32);
    expect(r.consistencyIndex).toBeCloseTo((o.lambda - 7) / 6, 9);
    expect(r.consistencyRatio).toBeCloseTo((o.lambda - 7) / 6 / 1.32, 9);
    expect(r.consistent).toBe(true);
  });

  it("ahpWeights(3x3) matches the doc example and mathjs", () => {
    const m = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]];
    const r = ahpWeights(m);
    // Doc example output; mathjs eigs gives lambda 3.003694598063665, tolerance 1e-9.
    expect(r.weights.map((w) => Number(w.toFixed(3)))).toEqual([0.648, 0.23, 0.122]);
    expect(r.lambdaMax).toBeCloseTo(3.003694598063665, 9);
    expect(Number(r.consistencyRatio.toFixed(4))).toBe(0.0032);
  });

  it("ahpWeights(consistent matrix) returns the generating weights, lambda = n and CR = 0", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }), (raw) => {
        const m = raw.map((a) => raw.map((b) => a / b));
        const r = ahpWeights(m);
        const s = raw.reduce((x, y) => x + y, 0);
        r.weights.forEach((w, i) => expect(w).toBeCloseTo(raw[i] / s, 9));
        expect(r.lambdaMax).toBeCloseTo(raw.length, 8);
        expect(r.consistencyRatio).toBeLessThan(1e-8);
        expect(r.consistent).toBe(true);
      }),
      { seed: 20261130, numRuns: 100 },
    );
  });

  it("ahpWeights(random reciprocal matrix) gives positive weights summing to 1 and lambda >= n", () => {
    const scale = fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8, 1 / 9);
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }).chain((n) => fc.tuple(fc.constant(n), fc.array(scale, { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }))), ([n, upper]) => {
        const m = Array.from({ length: n }, () => new Array<number>(n).fill(1));
        let k = 0;
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { m[i][j] = upper[k++]; m[j][i] = 1 / m[i][j]; }
        const r = ahpWeights(m);
        expect(r.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (const w of r.weights) expect(w).toBeGreaterThan(0);
        expect(r.lambdaMax).toBeGreaterThanOrEqual(n - 1e-9);
        expect(r.consistencyIndex).toBeGreaterThanOrEqual(0);
      }),
      { seed: 20261130, numRuns: 100 },
    );
  });

  it("ahpWeights(2x2) is always consistent", () => {
    const r = ahpWeights([[1, 4], [1 / 4, 1]]);
    // Hand computation: w = (4, 1) / 5.
    expect(r.weights[0]).toBeCloseTo(0.8, 12);
    expect(r.weights[1]).toBeCloseTo(0.2, 12);
    expect(r).toMatchObject({ lambdaMax: 2, consistencyIndex: 0, consistencyRatio: 0, consistent: true });
  });

  it("ahpWeights([]) gives empty weights and zero indices", () => {
    expect(ahpWeights([])).toEqual({ weights: [], lambdaMax: 0, consistencyIndex: 0, consistencyRatio: 0, consistent: true, randomIndex: 0, iterations: 0 });
  });

  it("ahpWeights(inconsistent judgements) flags CR > 0.1", () => {
    // A > B (9), B > C (9), but C > A (9): a preference cycle.
    const r = ahpWeights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]);
    expect(r.consistencyRatio).toBeGreaterThan(0.1);
    expect(r.consistent).toBe(false);
  });

  describe("errors", () => {
    it("ahpWeights(non-reciprocal) names the offending cell", () => {
      const e = catchError(() => ahpWeights([[1, 3, 5], [1 / 3, 1, 2], [5, 1 / 2, 1]]));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ code: "INVALID_RECORD", row: 3, field: "column 1", value: 5 });
      expect((e as Error).message).toMatch(/^ahpWeights: row 3, field "column 1"/);
    });
    it("ahpWeights(non-positive or non-finite entry) is rejected", () => {
      expect(catchError(() => ahpWeights([[1, 0], [Infinity, 1]]))).toMatchObject({ name: "InvalidRecordError", row: 1, field: "column 2", value: 0 });
      expect(catchError(() => ahpWeights([[1, 2], [NaN, 1]]))).toMatchObject({ name: "InvalidRecordError", row: 2, field: "column 1" });
      expect(catchError(() => ahpWeights([[1, -2], [-0.5, 1]]))).toBeInstanceOf(InvalidRecordError);
    });
    it("ahpWeights(diagonal != 1 or non-square) is rejected", () => {
      expect(catchError(() => ahpWeights([[2, 1], [1, 1]]))).toMatchObject({ row: 1, field: "column 1", value: 2 });
      expect(catchError(() => ahpWeights([[1, 2, 3], [0.5, 1]]))).toMatchObject({ row: 1, field: "length", value: 3 });
    });
    it("ahpWeights(16x16) needs a randomIndex option", () => {
      const m = Array.from({ length: 16 }, () => new Array<number>(16).fill(1));
      const e = catchError(() => ahpWeights(m));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "randomIndex" });
      expect(ahpWeights(m, { randomIndex: 1.6 }).consistencyRatio).toBe(0);
    });
    it("ahpWeights(matrix, { maxIterations: 1, tolerance: 1e-300 }) reports non-convergence", () => {
      const e = catchError(() => ahpWeights(DRINKS, { maxIterations: 1, tolerance: 1e-300 }));
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e).toMatchObject({ code: "NOT_CONVERGED" });
    });
    it("ahpWeights(bad option) throws InvalidOptionError", () => {
      expect(catchError(() => ahpWeights([[1]], { consistencyThreshold: -1 }))).toMatchObject({ name: "InvalidOptionError", option: "consistencyThreshold", value: -1 });
    });
  });
});
