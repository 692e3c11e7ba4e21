/** satisfactionIndex: hand computation, the R computation on plspm's weights for mobi, errors. */
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { ecsiModel, plsPathModel, satisfactionIndex } from "../../src/survey/index.js";
import { mobiColumns, REF } from "./mobi.js";

const TWO = { blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }], paths: [{ from: "X", to: "Y" }] };

describe("satisfactionIndex", () => {
  it("satisfactionIndex(fit of mobi) agrees with the R computation on plspm's weights to 1e-4", () => {
    const fit = plsPathModel(mobiColumns(), ecsiModel());
    const idx = satisfactionIndex(fit, { scale: { min: 1, max: 10 } });
    expect(idx.map((i) => i.construct)).toEqual(fit.constructs);
    for (const i of idx) expect(Math.abs(i.index - (REF.path as unknown as { index: Record<string, number> }).index[i.construct])).toBeLessThan(1e-4);
    for (const i of idx) expect(Object.values(i.weights).reduce((a, v) => a + v, 0)).toBeCloseTo(1, 12);
  });

  it("satisfactionIndex(one-item blocks) is 100 (mean - min)/(max - min) (hand computation)", () => {
    // x mean 3, y mean 3; scale 1..5: 100 * 2/4 = 50 each; per-item scales: y on 0..6 gives 50 too, y on 1..9 gives 25
    const fit = plsPathModel({ x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5] }, TWO);
    expect(satisfactionIndex(fit, { scale: { min: 1, max: 5 } }).map((i) => i.index)).toEqual([50, 50]);
    const scales = new Map([["x", { min: 1, max: 5 }], ["y", { min: 1, max: 9 }]]);
    expect(satisfactionIndex(fit, { scale: scales, constructs: ["Y"] })[0].index).toBeCloseTo(25, 12);
  });

  it("satisfactionIndex(two items) weights raw answers by w / sd (hand computation)", () => {
    // a block of two items where b = 2a - 1 (same standardised item): PLS weights are equal
    // (w_a = w_b), sd_b = 2 sd_a, so u = (1, 1/2) / sd_a -> rescaled (2/3, 1/3);
    // means 2.5 and 4 on 0..10: 100 * (2/3 * 0.25 + 1/3 * 0.4) = 30
    const fit = plsPathModel({ a: [1, 2, 3, 4], b: [1, 3, 5, 7], c: [2, 1, 4, 3], d: [1, 2, 4, 3] }, {
      blocks: [{ name: "A", items: ["a", "b"] }, { name: "C", items: ["c", "d"] }],
      paths: [{ from: "A", to: "C" }],
    });
    const [a] = satisfactionIndex(fit, { scale: { min: 0, max: 10 }, constructs: ["A"] });
    expect(a.weights.a).toBeCloseTo(2 / 3, 12);
    expect(a.index).toBeCloseTo(30, 10);
  });

  describe("errors", () => {
    const fit = plsPathModel({ x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5] }, TWO);
    it("asks for a scale when the fit has none, and rejects a mean outside the scale", () => {
      const e = (() => { try { satisfactionIndex(fit); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("scale");
      expect(() => satisfactionIndex(fit, { scale: { min: 4, max: 10 } })).toThrow(/mean answer 3/);
      expect(() => satisfactionIndex(fit, { scale: { min: 5, max: 1 } })).toThrow(InvalidOptionError);
      expect(() => satisfactionIndex(fit, { scale: { min: 1, max: 5 }, constructs: ["Z"] })).toThrow(InvalidOptionError);
    });
    it("rejects weights summing to zero or less", () => {
      const neg = { ...fit, weights: { x: -1, y: 1 } };
      const e = (() => { try { satisfactionIndex(neg, { scale: { min: 1, max: 5 }, constructs: ["X"] }); } catch (x) { return x; } })() as AnalyticsError;
      expect(e.code).toBe("INVALID_RECORD");
    });
  });
});
