/**
 * Cases StrykerJS found unchecked in the Weibull retention fit and the R-7 quantile helpers of
 * the per-customer simulation (see docs/contributing.md, "Mutation testing"). Anchors: the
 * definition of the observed information (numerical second derivatives of the Weibull
 * log-likelihood written out here), R-7 quantiles computed by hand (R's and NumPy's default
 * type), and the documented option rules.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AnalyticsError, fitWeibullRetention, InvalidOptionError, InvalidRecordError } from "../../src/index.js";
import { quantilesInPlace, quantilesWithZeros } from "../../src/value/simulate.js";

/** Frozen output of test/reference/value_weibull.R (200 lifetimes, 50 censored). */
const ref = JSON.parse(readFileSync(new URL("../reference/value_weibull.json", import.meta.url), "utf8")) as { time: number[]; event: number[] };

/** Right-censored Weibull log-likelihood: Σ_events [ln k - ln λ + (k-1) ln(t/λ)] - Σ_all (t/λ)^k. */
function logLik(k: number, lambda: number, t: number[], event: number[]): number {
  let ll = 0;
  for (let i = 0; i < t.length; i++) {
    const u = Math.log(t[i] / lambda);
    if (event[i]) ll += Math.log(k) - Math.log(lambda) + (k - 1) * u;
    ll -= Math.exp(k * u);
  }
  return ll;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return expect.unreachable("no error thrown");
}

describe("fitWeibullRetention (observed information)", () => {
  it("covariance is the inverse of minus the Hessian of the log-likelihood (central differences, 1e-5 relative)", () => {
    const fit = fitWeibullRetention(ref.time, ref.event.map((e) => e === 0));
    const { shape: k, scale: l } = fit;
    // Central second differences with steps h_k = 1e-4 k, h_l = 1e-4 λ: truncation error
    // O(h^2) ~ 1e-8 relative, rounding ~ eps |ll| / h^2 ~ 1e-7 relative here.
    const hk = 1e-4 * k;
    const hl = 1e-4 * l;
    const f = (a: number, b: number) => logLik(a, b, ref.time, ref.event);
    const fkk = (f(k + hk, l) - 2 * f(k, l) + f(k - hk, l)) / (hk * hk);
    const fll = (f(k, l + hl) - 2 * f(k, l) + f(k, l - hl)) / (hl * hl);
    const fkl = (f(k + hk, l + hl) - f(k + hk, l - hl) - f(k - hk, l + hl) + f(k - hk, l - hl)) / (4 * hk * hl);
    // inverse of [[-fkk, -fkl], [-fkl, -fll]]
    const det = fkk * fll - fkl * fkl;
    const want = [-fll / det, fkl / det, fkl / det, -fkk / det];
    expect(fit.covariance).toHaveLength(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(fit.covariance[i] / want[i] - 1), `covariance[${i}]`).toBeLessThan(1e-5);
    // the standard errors are the square roots of the diagonal
    expect(fit.shapeSE).toBeCloseTo(Math.sqrt(fit.covariance[0]), 14);
    expect(fit.scaleSE).toBeCloseTo(Math.sqrt(fit.covariance[3]), 14);
    // and it is the maximum: the log-likelihood there is the one reported, and no neighbour is higher
    expect(fit.logLikelihood).toBeCloseTo(f(k, l), 8);
    for (const [dk, dl] of [[hk, 0], [-hk, 0], [0, hl], [0, -hl]]) expect(f(k + dk, l + dl)).toBeLessThan(fit.logLikelihood);
  });
});

describe("fitWeibullRetention (options and input)", () => {
  it("periods: 1 is the smallest allowed horizon: survival [1, S(1)] and one retention rate", () => {
    const fit = fitWeibullRetention([2, 3, 5, 8, 13, 4], [false, false, false, true, true, false], { periods: 1 });
    expect(fit.survival).toHaveLength(2);
    expect(fit.retention).toHaveLength(1);
    // S(1) = exp(-(1/λ)^k), retention S(1)/S(0) = S(1)
    expect(fit.survival[1]).toBeCloseTo(Math.exp(-Math.pow(1 / fit.scale, fit.shape)), 14);
    expect(fit.retention[0]).toBeCloseTo(fit.survival[1], 14);
  });

  it("rejects periods 0 or 2.5, tolerance 0, -1 or NaN, maxIterations 0 or 2.5 with InvalidOptionError naming the option", () => {
    const t = [2, 3, 5, 8, 13, 4];
    const c = [false, false, false, true, true, false];
    const bad: [string, unknown][] = [
      ["periods", 0],
      ["periods", 2.5],
      ["tolerance", 0],
      ["tolerance", -1],
      ["tolerance", Number.NaN],
      ["maxIterations", 0],
      ["maxIterations", 2.5],
    ];
    for (const [option, value] of bad) {
      const e = thrown(() => fitWeibullRetention(t, c, { [option]: value }));
      expect(e, `${option} = ${value}`).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe(option);
    }
    const e = thrown(() => fitWeibullRetention(null as unknown as number[], c));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).option).toBe("lifetimes");
  });

  it("rejects an infinite or NaN lifetime with InvalidRecordError naming the 1-based row", () => {
    for (const bad of [Infinity, Number.NaN]) {
      const e = thrown(() => fitWeibullRetention([1, 2, bad, 4], [false, false, false, true]));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe(3);
      expect((e as InvalidRecordError).field).toBe("lifetime");
    }
  });

  it("maxIterations: 1 on the survreg data throws NOT_CONVERGED instead of returning an unconverged shape", () => {
    // The solver starts at k = 1 and the MLE is far from it (k > 1, see weibull.test.ts), so one
    // safeguarded Newton step cannot meet the 1e-10 tolerance.
    const e = thrown(() => fitWeibullRetention(ref.time, ref.event.map((v) => v === 0), { maxIterations: 1 }));
    expect(e).toBeInstanceOf(AnalyticsError);
    expect((e as AnalyticsError).code).toBe("NOT_CONVERGED");
  });
});

describe("quantilesInPlace / quantilesWithZeros (R-7)", () => {
  it("quantilesInPlace([5, 1, 3], p = 0, .25, .5, 1) is [1, 2, 3, 5] (R-7 by hand: h = 2p, sorted 1, 3, 5)", () => {
    // p = .25: h = 0.5 -> 1 + 0.5 (3 - 1) = 2; p = 1: h = 2 -> the maximum, 5 (no value above to interpolate with)
    const out = [0, 0, 0, 0];
    quantilesInPlace(Float64Array.from([5, 1, 3]), 3, [0, 0.25, 0.5, 1], out);
    expect(out).toEqual([1, 2, 3, 5]);
  });

  it("quantilesWithZeros([4, 2] plus two zeros, p = 0, .5, .75, 1) is [0, 1, 2.5, 4] (R-7 of 0, 0, 2, 4 by hand)", () => {
    // h = 3p: p = .5 -> h = 1.5: 0 + 0.5 (2 - 0) = 1; p = .75 -> h = 2.25: 2 + 0.25 (4 - 2) = 2.5; p = 1 -> 4
    const out = [0, 0, 0, 0];
    quantilesWithZeros(Float64Array.from([4, 2]), 2, 2, [0, 0.5, 0.75, 1], out);
    expect(out).toEqual([0, 1, 2.5, 4]);
    // one zero among three values: 0, 1, 5, 9, p = 1/3 -> h = 1 exactly -> 1; p = .9 -> h = 2.7 -> 5 + .7 * 4 = 7.8
    const out2 = [0, 0];
    quantilesWithZeros(Float64Array.from([9, 1, 5]), 3, 1, [1 / 3, 0.9], out2);
    expect(out2[0]).toBe(1);
    expect(out2[1]).toBeCloseTo(7.8, 12);
  });
});
