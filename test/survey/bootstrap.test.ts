/** plsBootstrap: seeded simulation with a known standard error, determinism, invariants, errors. */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { createRng, sampleNormal } from "../../src/numeric/random.js";
import { ecsiModel, plsBootstrap, plsPathModel, type PlsModel } from "../../src/survey/index.js";
import { mobiColumns } from "./mobi.js";

const TWO: PlsModel = { blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }], paths: [{ from: "X", to: "Y" }] };

/** n draws of a bivariate normal with correlation rho (seeded). */
function bivariate(n: number, rho: number, seed: number): { x: number[]; y: number[] } {
  const rng = createRng(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = sampleNormal(rng);
    const b = sampleNormal(rng);
    x.push(a);
    y.push(rho * a + Math.sqrt(1 - rho * rho) * b);
  }
  return { x, y };
}

describe("plsBootstrap", () => {
  it("plsBootstrap(two one-item blocks) gives the standard error of a correlation, (1 - rho^2)/sqrt(n)", () => {
    // With one item per block the path coefficient is the sample correlation r; for bivariate
    // normal data its standard error is about (1 - rho^2)/sqrt(n) = 0.75/20 = 0.0375 (n = 400,
    // rho = 0.5). The bootstrap SE from 400 samples has a Monte Carlo error of about
    // 0.0375/sqrt(800) = 3.5%, so 15% is a wide bound that still catches a wrong resampler.
    const data = bivariate(400, 0.5, 11);
    const b = plsBootstrap(data, TWO, { samples: 400, seed: 3 });
    expect(b.failed).toBe(0);
    expect(Math.abs(b.paths[0].standardError / 0.0375 - 1)).toBeLessThan(0.15);
    // the percentile interval covers the estimate and is about +-1.96 SE wide
    const p = b.paths[0];
    expect(p.lower < p.estimate && p.estimate < p.upper).toBe(true);
    expect(Math.abs((p.upper - p.lower) / (2 * 1.96 * p.standardError) - 1)).toBeLessThan(0.15);
    expect(Math.abs(p.mean - p.estimate)).toBeLessThan(3 * p.standardError / Math.sqrt(400) + 0.005);
  });

  it("plsBootstrap(..., { seed }) is deterministic and a different seed gives different draws", () => {
    const data = bivariate(60, 0.3, 5);
    const a = plsBootstrap(data, TWO, { samples: 30, seed: "s" });
    const b = plsBootstrap(data, TWO, { samples: 30, seed: "s" });
    const c = plsBootstrap(data, TWO, { samples: 30, seed: "t" });
    expect(b).toEqual(a);
    expect(c.paths[0].standardError).not.toBe(a.paths[0].standardError);
  });

  it("plsBootstrap(mobi, ecsiModel()) matches the full-data estimates and gives a one-item block zero spread", () => {
    const mobi = mobiColumns();
    const fit = plsPathModel(mobi, ecsiModel());
    const b = plsBootstrap(mobi, ecsiModel(), { samples: 60, seed: 1 });
    expect(b.paths.map((p) => p.estimate)).toEqual(fit.paths.map((p) => p.coefficient));
    expect(b.totalEffects.map((e) => [e.from, e.to])).toEqual(fit.effects.map((e) => [e.from, e.to]));
    for (const p of b.paths) expect(p.standardError).toBeGreaterThan(0);
    // Complaints has one item: weight and loading are exactly 1 in every sample
    expect(b.weights.CUSCO.standardError).toBeCloseTo(0, 12);
    expect(b.loadings.CUSCO.lower).toBeCloseTo(1, 12);
    // Image -> Expectation (0.505) is far from 0: the interval excludes 0
    expect(b.paths[0].lower).toBeGreaterThan(0.3);
  });

  describe("errors", () => {
    it("rejects samples < 10, a level outside (0, 1) and a bad seed", () => {
      const data = bivariate(20, 0.3, 1);
      const e = (() => { try { plsBootstrap(data, TWO, { samples: 5 }); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["samples", 5]);
      expect(() => plsBootstrap(data, TWO, { level: 1 })).toThrow(InvalidOptionError);
      expect(() => plsBootstrap(data, TWO, { seed: NaN })).toThrow(InvalidOptionError);
    });
  });
});
