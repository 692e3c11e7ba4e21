/**
 * plsPathModel against plspm 0.4.9 on the ECSI `mobi` model (test/reference/survey_mobi.R,
 * frozen in survey_mobi.json), hand-computed small cases, invariants and errors.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { acsiModel, ecsiModel, plsPathModel, type PlsModel, type PlsResult } from "../../src/survey/index.js";
import { mobiColumns, REF, type RefRun } from "./mobi.js";

const TOL = 1e-4;
const mobi = mobiColumns();
const LVS = ["Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty"];

/** Largest absolute difference between a fit and a plspm run, per kind of estimate. */
function compare(fit: PlsResult, ref: RefRun, reflectiveOnly = LVS): Record<string, number> {
  const d = { weights: 0, loadings: 0, paths: 0, r2: 0, ave: 0, rhoC: 0, rhoA: 0, alpha: 0, htmt: 0, total: 0, indirect: 0 };
  const up = (k: keyof typeof d, a: number, b: number): void => {
    d[k] = Math.max(d[k], Math.abs(a - b));
  };
  for (const item of Object.keys(ref.weights)) {
    up("weights", fit.weights[item], ref.weights[item]);
    up("loadings", fit.loadings[item], ref.loadings[item]);
  }
  expect(fit.paths.length).toBe(Object.keys(ref.paths).length);
  for (const p of fit.paths) up("paths", p.coefficient, ref.paths[`${p.from} -> ${p.to}`]);
  for (const c of LVS) up("r2", fit.r2[c] ?? 0, ref.r2[c]); // plspm: R² 0 for exogenous
  for (const c of reflectiveOnly) {
    up("ave", fit.ave[c], ref.ave[c]);
    up("rhoC", fit.rhoC[c], ref.rho_c[c]);
    up("rhoA", fit.rhoA[c], ref.rho_A[c]);
    up("alpha", fit.alpha[c], ref.alpha[c]);
  }
  for (const h of fit.htmt) up("htmt", h.value, ref.htmt[LVS.indexOf(h.a)][LVS.indexOf(h.b)]);
  for (const e of fit.effects) {
    // plspm lists effects "A -> B" for A before B in the block order
    up("total", e.total, ref.total[`${e.from} -> ${e.to}`]);
    up("indirect", e.indirect, ref.indirect[`${e.from} -> ${e.to}`]);
  }
  return d;
}

function expectAgree(d: Record<string, number>): void {
  for (const [k, v] of Object.entries(d)) expect(v, k).toBeLessThan(TOL);
}

describe("plsPathModel", () => {
  it("plsPathModel(mobi, ecsiModel()) agrees with plspm (path scheme, mode A) to 1e-4", () => {
    const fit = plsPathModel(mobi, ecsiModel());
    expectAgree(compare(fit, REF.path));
    expect(fit.n).toBe(250);
    expect(fit.scheme).toBe("path");
    // published values (Tenenhaus et al. 2005 / seminr mobi example): Image -> Expectation 0.505, R²(Satisfaction) 0.681
    expect(fit.paths[0]).toMatchObject({ from: "Image", to: "Expectation" });
    expect(fit.paths[0].coefficient).toBeCloseTo(0.50491, 4);
    expect(fit.r2.Satisfaction).toBeCloseTo(0.68108, 4);
  });

  it("plsPathModel(..., { tolerance: 1e-12 }) agrees with plspm to 1e-9 under all three schemes", () => {
    for (const scheme of ["path", "centroid", "factorial"] as const) {
      const d = compare(plsPathModel(mobi, ecsiModel(), { scheme, tolerance: 1e-12 }), REF[scheme]);
      for (const [k, v] of Object.entries(d)) expect(v, `${scheme} ${k}`).toBeLessThan(1e-9);
    }
  });

  it("plsPathModel's Cronbach alpha equals plspm's C.alpha", () => {
    const fit = plsPathModel(mobi, ecsiModel());
    for (const c of LVS) expect(fit.alpha[c]).toBeCloseTo(REF.path.alpha_plspm[c], 10);
  });

  it("plsPathModel scores are standardised and match plspm's first respondents", () => {
    const fit = plsPathModel(mobi, ecsiModel(), { tolerance: 1e-12 });
    LVS.forEach((c, j) => {
      const y = fit.scores.get(c)!;
      const mean = y.reduce((a, v) => a + v, 0) / y.length;
      const variance = y.reduce((a, v) => a + (v - mean) ** 2, 0) / y.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 12);
      for (let r = 0; r < 3; r++) expect(y[r]).toBeCloseTo(REF.path.scores_first3[r][j], 8);
    });
  });

  it("plsPathModel with formative (mode B) Image and Value agrees with plspm", () => {
    const base = ecsiModel();
    const model: PlsModel = { ...base, blocks: base.blocks.map((b) => (b.name === "Image" || b.name === "Value" ? { ...b, mode: "B" } : b)) };
    const fit = plsPathModel(mobi, model, { tolerance: 1e-12 });
    const d = compare(fit, REF.modeB, ["Expectation", "Quality", "Satisfaction", "Complaints", "Loyalty"]);
    for (const [k, v] of Object.entries(d)) expect(v, k).toBeLessThan(1e-9);
    // quality measures are for reflective blocks only
    expect("Image" in fit.ave).toBe(false);
    expect("Value" in fit.rhoA).toBe(false);
  });

  it("plsPathModel(missing: 'mean') equals plspm on the mean-replaced data", () => {
    const holes: Record<string, number[]> = Object.fromEntries(Object.entries(mobi).map(([k, v]) => [k, [...v]]));
    for (const { row, item } of REF.missing_cells) holes[item][row - 1] = NaN;
    const fit = plsPathModel(holes, ecsiModel(), { tolerance: 1e-12 });
    expect(fit.imputed).toBe(10);
    expect(fit.n).toBe(250);
    for (const [k, v] of Object.entries(compare(fit, REF.mean_replacement))) expect(v, k).toBeLessThan(1e-9);
  });

  it("plsPathModel(missing: 'casewise') equals plspm on the complete cases", () => {
    const holes: Record<string, number[]> = Object.fromEntries(Object.entries(mobi).map(([k, v]) => [k, [...v]]));
    for (const { row, item } of REF.missing_cells) holes[item][row - 1] = NaN;
    const fit = plsPathModel(holes, ecsiModel(), { missing: "casewise", tolerance: 1e-12 });
    // 10 blanked cells in 9 distinct respondents (row 5 lost two answers)
    expect(fit.dropped).toBe(9);
    expect(fit.n).toBe(REF.casewise.n);
    expect(fit.rows[0]).toBe(2); // rows 1 and 2 (0-based 0, 1) are dropped
    for (const [k, v] of Object.entries(compare(fit, REF.casewise))) expect(v, k).toBeLessThan(1e-9);
  });

  it("plsPathModel(two one-item blocks) gives the correlation as path and its square as R² (hand computation)", () => {
    // x = 1..5, y = 2,1,4,3,5: mean 3 each; Sxy = (-2)(-1)+(-1)(-2)+0+1*0+2*2 = 8; Sxx = Syy = 10; r = 0.8
    const fit = plsPathModel({ x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5] }, {
      blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }],
      paths: [{ from: "X", to: "Y" }],
    });
    expect(fit.paths[0].coefficient).toBeCloseTo(0.8, 12);
    expect(fit.r2.Y).toBeCloseTo(0.64, 12);
    expect(fit.weights.x).toBeCloseTo(1, 12);
    expect(fit.loadings.y).toBeCloseTo(1, 12);
    expect(fit.htmt[0].value).toBeCloseTo(0.8, 12);
    expect(fit.effects).toEqual([{ from: "X", to: "Y", direct: fit.paths[0].coefficient, indirect: 0, total: fit.paths[0].coefficient }]);
  });

  it("plsPathModel effects: total = direct + indirect and, on a chain, indirect is the product of the paths", () => {
    const fit = plsPathModel(mobi, ecsiModel());
    for (const e of fit.effects) expect(e.total).toBeCloseTo(e.direct + e.indirect, 14);
    const path = (a: string, b: string): number => fit.paths.find((p) => p.from === a && p.to === b)!.coefficient;
    const sc = fit.effects.find((e) => e.from === "Satisfaction" && e.to === "Loyalty")!;
    // Satisfaction -> Loyalty: direct plus the one indirect route through Complaints
    expect(sc.indirect).toBeCloseTo(path("Satisfaction", "Complaints") * path("Complaints", "Loyalty"), 14);
    // every construct reachable from Image, none from Loyalty
    expect(fit.effects.filter((e) => e.from === "Image").length).toBe(6);
    expect(fit.effects.filter((e) => e.from === "Loyalty").length).toBe(0);
  });

  it("plsPathModel(mobi, acsiModel()) fits the six-construct ACSI model", () => {
    const fit = plsPathModel(mobi, acsiModel());
    expect(fit.constructs).toEqual(["Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty"]);
    expect(fit.paths.length).toBe(9);
    expect(Object.keys(fit.r2)).toEqual(["Quality", "Value", "Satisfaction", "Complaints", "Loyalty"]);
    for (const v of Object.values(fit.r2)) expect(v > 0 && v < 1).toBe(true);
  });

  it("plsPathModel does not change its input and gives the same numbers for rows and columns", () => {
    const cols = Object.freeze(Object.fromEntries(Object.entries(mobi).map(([k, v]) => [k, Object.freeze([...v])])));
    const rows = mobi.CUEX1.map((_, r) => Object.fromEntries(Object.keys(mobi).map((k) => [k, String(mobi[k][r])])));
    const a = plsPathModel(cols, ecsiModel());
    const b = plsPathModel(rows, ecsiModel());
    const c = plsPathModel(new Map(Object.entries(mobi)), ecsiModel());
    expect(b.paths).toEqual(a.paths);
    expect(c.weights).toEqual(a.weights);
  });

  it("plsPathModel(options with undefined) uses the defaults", () => {
    const a = plsPathModel(mobi, ecsiModel(), { scheme: undefined, tolerance: undefined });
    expect(a.scheme).toBe("path");
  });

  describe("errors", () => {
    const tiny = { a: [1, 2, 3, 4], b: [2, 1, 4, 3], c: [1, 1, 2, 2] };
    const two = (paths: PlsModel["paths"]): PlsModel => ({ blocks: [{ name: "A", items: ["a"] }, { name: "B", items: ["b"] }], paths });

    it("rejects a path to an unknown construct, naming it", () => {
      const e = (() => { try { plsPathModel(tiny, two([{ from: "A", to: "Z" }])); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("model.paths[0].to");
      expect(e.value).toBe("Z");
    });

    it("rejects a cycle, naming the constructs on it", () => {
      const model: PlsModel = {
        blocks: [{ name: "A", items: ["a"] }, { name: "B", items: ["b"] }, { name: "C", items: ["c"] }],
        paths: [{ from: "A", to: "B" }, { from: "B", to: "C" }, { from: "C", to: "B" }],
      };
      const e = (() => { try { plsPathModel(tiny, model); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("model.paths");
      expect(e.value).toBe("B, C");
    });

    it("rejects a construct without paths, a self-path, a repeated path, an item used twice, an item not in the data", () => {
      const blocks3 = [{ name: "A", items: ["a"] }, { name: "B", items: ["b"] }, { name: "C", items: ["c"] }];
      expect(() => plsPathModel(tiny, { blocks: blocks3, paths: [{ from: "A", to: "B" }] })).toThrow(/"C" has none/);
      expect(() => plsPathModel(tiny, two([{ from: "A", to: "A" }]))).toThrow(InvalidOptionError);
      expect(() => plsPathModel(tiny, two([{ from: "A", to: "B" }, { from: "A", to: "B" }]))).toThrow(/listed once/);
      expect(() => plsPathModel(tiny, { blocks: [{ name: "A", items: ["a"] }, { name: "B", items: ["a"] }], paths: [{ from: "A", to: "B" }] })).toThrow(/already measuring "A"/);
      expect(() => plsPathModel(tiny, { blocks: [{ name: "A", items: ["a"] }, { name: "B", items: ["zz"] }], paths: [{ from: "A", to: "B" }] })).toThrow(/"zz"/);
    });

    it("rejects a constant item with INVALID_RECORD naming the item and value", () => {
      const e = (() => { try { plsPathModel({ a: [1, 2, 3], b: [4, 4, 4] }, two([{ from: "A", to: "B" }])); } catch (x) { return x; } })() as AnalyticsError;
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("INVALID_RECORD");
      expect(e.message).toMatch(/item "b" has the same answer \(4\)/);
    });

    it("rejects a non-numeric answer naming row, item and value, and a respondent with no answers", () => {
      const e = (() => { try { plsPathModel([{ a: 1, b: 2 }, { a: "x", b: 3 }, { a: 2, b: 1 }], two([{ from: "A", to: "B" }])); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "a", "x"]);
      const f = (() => { try { plsPathModel({ a: [1, NaN, 3, 2], b: [2, NaN, 1, 3] }, two([{ from: "A", to: "B" }])); } catch (x) { return x; } })() as InvalidRecordError;
      expect(f).toBeInstanceOf(InvalidRecordError);
      expect(f.row).toBe(2);
    });

    it("reports non-convergence as NOT_CONVERGED", () => {
      const e = (() => { try { plsPathModel(mobi, ecsiModel(), { maxIterations: 2 }); } catch (x) { return x; } })() as AnalyticsError;
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("NOT_CONVERGED");
    });

    it("rejects collinear formative items", () => {
      const model: PlsModel = { blocks: [{ name: "A", items: ["a", "a2"], mode: "B" }, { name: "B", items: ["b"] }], paths: [{ from: "A", to: "B" }] };
      expect(() => plsPathModel({ a: [1, 2, 3, 4], a2: [2, 4, 6, 8], b: [2, 1, 4, 3] }, model)).toThrow(/collinear/);
    });

    it("rejects bad options naming them", () => {
      const e = (() => { try { plsPathModel(mobi, ecsiModel(), { scheme: "mean" as never }); } catch (x) { return x; } })() as InvalidOptionError;
      expect([e.option, e.value]).toEqual(["scheme", "mean"]);
      expect(() => plsPathModel(mobi, ecsiModel(), { tolerance: 0 })).toThrow(InvalidOptionError);
      expect(() => plsPathModel(mobi, ecsiModel(), { missing: "drop" as never })).toThrow(InvalidOptionError);
    });
  });
});

describe("plsPathModel (row objects)", () => {
  it("plsPathModel(rows) treats a key absent from one row as a missing answer, and one absent from all rows as an unknown item", () => {
    const rows = mobi.CUEX1.map((_, r) => Object.fromEntries(Object.entries(mobi).map(([k, v]) => [k, v[r]])));
    const holes = rows.map((row, r) => (r === 0 ? Object.fromEntries(Object.entries(row).filter(([k]) => k !== "IMAG1")) : row));
    expect(plsPathModel(holes, ecsiModel()).imputed).toBe(1);
    const e = (() => { try { plsPathModel(rows.map(({ IMAG1: _, ...rest }) => rest), ecsiModel()); } catch (x) { return x; } })() as InvalidOptionError;
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.value).toBe("IMAG1");
  });
});

describe("plsPathModel (invariants)", () => {
  it("plsPathModel is unchanged by positive linear rescaling of items and by reordering respondents (fast-check, seed 5)", () => {
    const base = plsPathModel(mobi, ecsiModel());
    fc.assert(fc.property(
      fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: 1, max: 249 }),
      (a, b, shift) => {
        const moved: Record<string, number[]> = {};
        for (const [k, v] of Object.entries(mobi)) {
          const rotated = [...v.slice(shift), ...v.slice(0, shift)];
          moved[k] = k.startsWith("PERQ") ? rotated.map((x) => a * x + b) : rotated;
        }
        const fit = plsPathModel(moved, ecsiModel());
        fit.paths.forEach((p, i) => expect(p.coefficient).toBeCloseTo(base.paths[i].coefficient, 9));
        for (const item of fit.items) expect(fit.weights[item]).toBeCloseTo(base.weights[item], 9);
      },
    ), { seed: 5, numRuns: 20 });
  });
});
