import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { scoreChurn, scoreChurnColumns, trainChurnModel, trainChurnModelColumns, type ChurnRow, type LogisticChurnModel } from "../../src/churn/index.js";
import { fitLogistic, HESSIAN_SAMPLE } from "../../src/churn/logistic.js";
import { largeTable, sklearnRef, smallTable } from "./fixtures.js";

const small = smallTable();
const FEATURES = ["recency", "freq", "spend", "plan"];
/** The small table as columns (Float64Array, Int32Array, plain array, Uint16Array) and as one row-major Float64Array. */
const smallColumns = {
  recency: Float64Array.from(small.X, (x) => x[0]),
  freq: Int32Array.from(small.X, (x) => x[1]),
  spend: small.X.map((x) => x[2]),
  plan: Uint16Array.from(small.X, (x) => x[3]),
};
const smallRowMajor = { data: Float64Array.from(small.X.flat()), features: FEATURES };

/** The frozen scikit-learn optimum of the large table (see test/churn/logistic_sklearn.py). */
const largeRef: { n: number; churned: number; row0: number[] } & Record<"C1" | "C0.01", { coef_std: number[]; intercept_std: number }> = JSON.parse(
  readFileSync(new URL("./logistic_sklearn.json", import.meta.url), "utf8"),
);
const large = largeTable();
const largeCols = large.features.map((f) => large.columns[f]);

/**
 * Gradient of the objective (weighted log loss + l2/2 |b|^2) on the standardised scale at the
 * fit, computed row by row here, independently of the fit's kernels. Zero at the optimum.
 */
function objectiveGradient(fit: { mean: number[]; sd: number[]; intercept: number; coef: number[] }, cols: readonly Float64Array[], y: Uint8Array, l2: number): number[] {
  const p = cols.length;
  const g = new Array<number>(p + 1).fill(0);
  for (let i = 0; i < y.length; i++) {
    const z = cols.map((c, j) => (Number.isNaN(c[i]) || fit.sd[j] === 0 ? 0 : (c[i] - fit.mean[j]) / fit.sd[j]));
    let eta = fit.intercept;
    for (let j = 0; j < p; j++) eta += fit.coef[j] * z[j];
    const r = 1 / (1 + Math.exp(-eta)) - y[i];
    g[0] += r;
    for (let j = 0; j < p; j++) g[j + 1] += r * z[j];
  }
  for (let j = 0; j < p; j++) g[j + 1] += l2 * fit.coef[j];
  return g;
}

describe("trainChurnModelColumns", () => {
  for (const model of ["logistic", "tree", "forest"] as const) {
    it(`trainChurnModelColumns(columns, labels, { model: "${model}" }) gives the model trainChurnModel(rows) gives`, () => {
      const opts = { model, trees: 10, maxDepth: 4, seed: 3 };
      const fromRows = trainChurnModel(small.rows, { ...opts, features: FEATURES });
      expect(trainChurnModelColumns({ columns: smallColumns }, small.y, opts)).toEqual(fromRows);
      expect(trainChurnModelColumns(smallRowMajor, small.y.map((v) => v === 1), opts)).toEqual(fromRows);
    });
  }

  it('trainChurnModelColumns(columns, labels, { model: "logistic" }) matches scikit-learn on the small table (1e-6, as the record test)', () => {
    const m = trainChurnModelColumns({ columns: smallColumns }, small.y, { model: "logistic" }) as LogisticChurnModel;
    const r = sklearnRef.small.logistic_C1;
    m.fit.coef.forEach((c, j) => expect(c).toBeCloseTo(r.coef_std[j], 6));
    expect(m.fit.intercept).toBeCloseTo(r.intercept_std, 6);
  });

  it("largeTable() reproduces the table of logistic_sklearn.py", () => {
    expect(large.y.reduce((a, b) => a + b, 0)).toBe(largeRef.churned);
    expect(large.y.length).toBe(largeRef.n);
    // row 0 with g's missing value imputed by the column mean, as the script does
    const row0 = large.features.map((f) => large.columns[f][0]);
    expect(row0.slice(0, 6)).toEqual(largeRef.row0.slice(0, 6));
    expect(row0[7]).toBe(largeRef.row0[7]);
    expect(Number.isNaN(row0[6])).toBe(true);
  });

  for (const [key, l2] of [["C1", 1], ["C0.01", 100]] as const) {
    it(`trainChurnModelColumns(40,000 x 8, { model: "logistic", l2: ${l2} }) takes the sampled-Hessian path and reaches scikit-learn's optimum (1e-9)`, () => {
      expect(large.y.length).toBeGreaterThan(2 * HESSIAN_SAMPLE); // the warm start + quasi-Newton path
      const m = trainChurnModelColumns({ columns: large.columns }, large.y, { model: "logistic", l2 }) as LogisticChurnModel;
      const r = largeRef[key];
      expect(m.converged).toBe(true);
      // scikit-learn newton-cg, tol 1e-12 (test/churn/logistic_sklearn.py); measured gap 9e-13 (C=1), 3e-11 (C=0.01)
      m.fit.coef.forEach((c, j) => expect(Math.abs(c - r.coef_std[j])).toBeLessThan(1e-9));
      expect(Math.abs(m.fit.intercept - r.intercept_std)).toBeLessThan(1e-9);
    });
  }

  it("fitLogistic(40,000 x 8) stops at the optimum: the objective's gradient is 0 there, and a fit cut short fails both checks", () => {
    const w = new Float64Array(large.y.length).fill(1);
    const params = { l2: 1, l1: 0, maxIter: 100, tol: 1e-8 };
    const full = fitLogistic(largeCols, large.y, w, params);
    // gradient entries are sums over 40,000 rows; 1e-6 is ~1e-11 of the Hessian's scale (n / 4)
    for (const gk of objectiveGradient(full, largeCols, large.y, 1)) expect(Math.abs(gk)).toBeLessThan(1e-6);
    // the same fit stopped after 2 full-table steps: not converged, and both checks catch it
    const cut = fitLogistic(largeCols, large.y, w, { ...params, maxIter: 2 });
    expect(cut.converged).toBe(false);
    expect(Math.max(...objectiveGradient(cut, largeCols, large.y, 1).map(Math.abs))).toBeGreaterThan(1e-3);
    expect(Math.max(...cut.coef.map((c, j) => Math.abs(c - largeRef.C1.coef_std[j])))).toBeGreaterThan(1e-7);
  });

  it("fitLogistic(40,000 x 8) gives the same optimum with the sampled and the exact Hessian, for L2 and for L1 (1e-9)", () => {
    const w = new Float64Array(large.y.length).fill(1);
    for (const pen of [{ l2: 1, l1: 0 }, { l2: 0, l1: 50 }]) {
      const sampled = fitLogistic(largeCols, large.y, w, { ...pen, maxIter: 100, tol: 1e-10 });
      const exact = fitLogistic(largeCols, large.y, w, { ...pen, maxIter: 100, tol: 1e-10, hessianRows: Infinity });
      expect(sampled.converged && exact.converged).toBe(true);
      sampled.coef.forEach((c, j) => expect(Math.abs(c - exact.coef[j])).toBeLessThan(1e-9));
      expect(Math.abs(sampled.intercept - exact.intercept)).toBeLessThan(1e-9);
    }
  });

  it("trainChurnModelColumns(columns) does not modify its input", () => {
    const frozen = Object.freeze({ ...smallColumns });
    const copy = Float64Array.from(frozen.recency);
    trainChurnModelColumns({ columns: frozen }, small.y, { model: "logistic" });
    expect(frozen.recency).toEqual(copy);
  });

  describe("errors", () => {
    it("one class only throws EMPTY_INPUT", () => {
      try {
        trainChurnModelColumns({ columns: { x: [1, 2] } }, [1, 1]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
      }
    });
    it("a bad label or an infinite value names the row and field", () => {
      try {
        trainChurnModelColumns({ columns: { x: [1, 2, 3] } }, [1, 0, 2]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 3, field: "churned", value: 2 });
      }
      try {
        trainChurnModelColumns({ columns: { x: Float64Array.from([1, Infinity, 3]) } }, [1, 0, 1]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 2, field: "x", value: Infinity });
      }
    });
    it("a short or unknown column, or a record-only option, names the option", () => {
      expect(() => trainChurnModelColumns({ columns: { x: [1, 2], z: [1] } }, [1, 0], { features: ["x", "z"] })).toThrow(InvalidOptionError);
      expect(() => trainChurnModelColumns({ columns: { x: [1, 2] } }, [1, 0], { features: ["nope"] })).toThrow(InvalidOptionError);
      expect(() => trainChurnModelColumns({ data: Float64Array.from([1, 2, 3]), features: ["x", "y"] }, [1, 0])).toThrow(InvalidOptionError);
      try {
        trainChurnModelColumns({ columns: { x: [1, 2] } }, [1, 0], { groupColumn: "g" } as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "groupColumn" });
      }
    });
  });
});

describe("scoreChurnColumns", () => {
  for (const model of ["logistic", "tree", "forest"] as const) {
    it(`scoreChurnColumns(${model} model, columns) equals scoreChurn(model, rows), for named columns and a row-major matrix`, () => {
      const m = trainChurnModel(small.rows, { model, trees: 10, features: FEATURES });
      const expected = scoreChurn(m, small.rows);
      expect(Array.from(scoreChurnColumns(m, { columns: smallColumns }))).toEqual(expected);
      expect(Array.from(scoreChurnColumns(m, smallRowMajor))).toEqual(expected);
      // a row-major matrix with the features in another order, and extra columns ignored
      const order = ["plan", "spend", "recency", "freq"];
      const data = Float64Array.from(small.X.flatMap((x) => order.map((f) => x[FEATURES.indexOf(f)])));
      expect(Array.from(scoreChurnColumns(m, { data, features: order }))).toEqual(expected);
      expect(Array.from(scoreChurnColumns(JSON.parse(JSON.stringify(m)), { columns: { ...smallColumns, extra: new Float64Array(200) } }))).toEqual(expected);
    });
  }

  it("scoreChurnColumns(model, columns) reads NaN (or null in a plain array) as missing, as scoreChurn reads null", () => {
    const rows: ChurnRow[] = small.rows.map((r, i) => ({ ...r, spend: i % 7 === 0 ? null : r.spend }));
    const spend = rows.map((r) => r.spend as number | null);
    for (const model of ["logistic", "tree"] as const) {
      const m = trainChurnModel(rows, { model, features: FEATURES });
      const expected = scoreChurn(m, rows);
      expect(Array.from(scoreChurnColumns(m, { columns: { ...smallColumns, spend } }))).toEqual(expected);
      expect(Array.from(scoreChurnColumns(m, { columns: { ...smallColumns, spend: Float64Array.from(spend, (v) => v ?? Number.NaN) } }))).toEqual(expected);
    }
  });

  it("scoreChurnColumns(model, columns) reads a categorical column as strings, dictionary codes or indicator columns, as scoreChurn does", () => {
    const levels = ["gold", "silver", "free"];
    const rows: ChurnRow[] = small.rows.map((r, i) => ({ recency: r.recency, plan: i % 11 === 0 ? null : levels[Number(r.plan)], churned: r.churned }));
    const m = trainChurnModel(rows, { model: "logistic" });
    const expected = scoreChurn(m, rows);
    const plan = rows.map((r) => r.plan as string | null);
    const recency = smallColumns.recency;
    expect(Array.from(scoreChurnColumns(m, { columns: { recency, plan } }))).toEqual(expected);
    const codes = Int32Array.from(plan, (p) => (p === null ? -1 : levels.indexOf(p)));
    expect(Array.from(scoreChurnColumns(m, { columns: { recency, plan: { codes, values: levels } } }))).toEqual(expected);
    const indicators = Object.fromEntries(["free", "gold", "silver"].map((l) => [`plan=${l}`, Uint8Array.from(plan, (p) => (p === l ? 1 : 0))]));
    expect(Array.from(scoreChurnColumns(m, { columns: { recency, ...indicators } }))).toEqual(expected);
  });

  it("scoreChurnColumns(grouped model, columns, { groups }) equals scoreChurn(model, rows)", () => {
    const rows = small.rows.map((r, i) => ({ ...r, segment: i < 190 ? (i % 2 ? "A" : "B") : "tiny" }));
    const g = trainChurnModel(rows, { groupColumn: "segment", maxDepth: 2, minGroupSize: 20, features: ["recency", "freq"] });
    const groups = rows.map((r) => r.segment);
    expect(Array.from(scoreChurnColumns(g, { columns: smallColumns }, { groups }))).toEqual(scoreChurn(g, rows));
  });

  it("scoreChurnColumns(model, 140 rows x 40,000) of a large-table logistic model equals scoreChurn on the same rows", () => {
    const m = trainChurnModelColumns({ columns: large.columns }, large.y, { model: "logistic" });
    const rows: ChurnRow[] = Array.from({ length: 140 }, (_, i) => Object.fromEntries(large.features.map((f) => [f, large.columns[f][i * 7]])));
    const cols = Object.fromEntries(large.features.map((f) => [f, Float64Array.from(rows, (r) => r[f] as number)]));
    const s = scoreChurnColumns(m, { columns: cols });
    expect(s).toBeInstanceOf(Float64Array);
    expect(Array.from(s)).toEqual(scoreChurn(m, rows));
  });

  describe("errors", () => {
    const m = trainChurnModel(small.rows, { model: "logistic", features: FEATURES });
    it("a missing or short model column, or a grouped model without groups, names the option", () => {
      try {
        scoreChurnColumns(m, { columns: { recency: smallColumns.recency } });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "columns.freq" });
      }
      expect(() => scoreChurnColumns(m, { columns: { ...smallColumns, plan: [1, 2] } })).toThrow(InvalidOptionError);
      expect(() => scoreChurnColumns(m, { data: new Float64Array(7), features: FEATURES })).toThrow(InvalidOptionError);
      const g = trainChurnModel(small.rows, { groupColumn: "plan", maxDepth: 2 });
      expect(() => scoreChurnColumns(g, { columns: smallColumns })).toThrow(InvalidOptionError);
      expect(() => scoreChurnColumns({} as never, { columns: smallColumns })).toThrow(InvalidOptionError);
    });
    it("an infinite value names its row and column", () => {
      const recency = Float64Array.from(smallColumns.recency);
      recency[4] = -Infinity;
      try {
        scoreChurnColumns(m, { columns: { ...smallColumns, recency } });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 5, field: "recency", value: -Infinity });
      }
    });
  });
});
