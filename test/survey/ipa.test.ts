/** importancePerformance / plsImportancePerformance on hand cases and on mobi. */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { ecsiModel, importancePerformance, plsImportancePerformance, plsPathModel, satisfactionIndex } from "../../src/survey/index.js";
import { mobiColumns } from "./mobi.js";

describe("importancePerformance", () => {
  it("importancePerformance(points) splits at the means into the four quadrants (hand computation)", () => {
    // importance mean (0.1 + 0.3 + 0.5 + 0.3)/4 = 0.3; performance mean (50 + 70 + 60 + 40)/4 = 55
    const r = importancePerformance([
      { name: "a", importance: 0.1, performance: 50 },
      { name: "b", importance: 0.3, performance: 70 },
      { name: "c", importance: 0.5, performance: 60 },
      { name: "d", importance: 0.3, performance: 40 },
    ]);
    expect(r.crosshair.importance).toBeCloseTo(0.3, 15);
    expect(r.crosshair.performance).toBe(55);
    expect(r.points.map((p) => p.quadrant)).toEqual(["low priority", "keep up the good work", "keep up the good work", "concentrate here"]);
  });

  it("importancePerformance(points, { crosshair }) uses a fixed crosshair", () => {
    const r = importancePerformance([{ name: "a", importance: 0.1, performance: 90 }], { crosshair: { importance: 0.2, performance: 50 } });
    expect(r.points[0].quadrant).toBe("possible overkill");
  });

  it("rejects no attributes, non-finite values and a bad crosshair", () => {
    expect(() => importancePerformance([])).toThrow(InvalidOptionError);
    const e = (() => { try { importancePerformance([{ name: "a", importance: NaN, performance: 1 }]); } catch (x) { return x; } })() as InvalidOptionError;
    expect(e.value).toBe("a");
    expect(() => importancePerformance([{ name: "a", importance: 1, performance: 1 }], { crosshair: { importance: 1 } as never })).toThrow(InvalidOptionError);
  });
});

describe("plsImportancePerformance", () => {
  it("plsImportancePerformance(mobi fit, Loyalty) uses total effects and 0-100 indices", () => {
    const fit = plsPathModel(mobiColumns(), ecsiModel());
    const r = plsImportancePerformance(fit, { target: "Loyalty", scale: { min: 1, max: 10 } });
    // every other construct reaches Loyalty
    expect(r.points.map((p) => p.name)).toEqual(["Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints"]);
    const idx = satisfactionIndex(fit, { scale: { min: 1, max: 10 } });
    for (const p of r.points) {
      expect(p.importance).toBe(fit.effects.find((e) => e.from === p.name && e.to === "Loyalty")!.total);
      expect(p.performance).toBe(idx.find((i) => i.construct === p.name)!.index);
    }
    // Satisfaction -> Loyalty total = 0.4855 + 0.5281 * 0.0669 (paths from the plspm reference)
    expect(r.points[4].importance).toBeCloseTo(0.485478 + 0.528066 * 0.066926, 5);
  });

  it("rejects an unknown target and one without antecedents", () => {
    const fit = plsPathModel(mobiColumns(), ecsiModel());
    expect(() => plsImportancePerformance(fit, { target: "Price", scale: { min: 1, max: 10 } })).toThrow(InvalidOptionError);
    expect(() => plsImportancePerformance(fit, { target: "Image", scale: { min: 1, max: 10 } })).toThrow(/antecedent/);
  });
});
