import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AnalyticsError, createRng, fitWeibullRetention, InvalidOptionError, InvalidRecordError, weibullSurvival } from "../../src/index.js";

/** Frozen output of test/reference/value_weibull.R (R survival::survreg). */
const ref = JSON.parse(readFileSync(new URL("../reference/value_weibull.json", import.meta.url), "utf8")) as {
  time: number[];
  event: number[];
  shape: number;
  scale: number;
  logLikelihood: number;
  shapeSE: number;
  scaleSE: number;
};

/** Weibull lifetimes by inversion, right-censored at a uniform observation time. */
function simulate(n: number, shape: number, scale: number, seed: number) {
  const rng = createRng(seed);
  const t: number[] = [];
  const c: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const life = scale * Math.pow(-Math.log(1 - rng.next()), 1 / shape);
    const obs = 2 + 30 * rng.next();
    t.push(Math.min(life, obs));
    c.push(life > obs);
  }
  return { t, c };
}

describe("fitWeibullRetention", () => {
  it("fitWeibullRetention(time, censored) agrees with R survreg on 200 censored lifetimes", () => {
    const fit = fitWeibullRetention(ref.time, ref.event.map((e) => e === 0));
    // R survival 3.x survreg, see test/reference/value_weibull.R; both are the exact MLE, so 1e-6 relative.
    expect(fit.shape / ref.shape).toBeCloseTo(1, 6);
    expect(fit.scale / ref.scale).toBeCloseTo(1, 6);
    expect(fit.logLikelihood).toBeCloseTo(ref.logLikelihood, 5);
    // Standard errors: survreg's observed information, delta method; 1e-4 relative.
    expect(fit.shapeSE / ref.shapeSE).toBeCloseTo(1, 4);
    expect(fit.scaleSE / ref.scaleSE).toBeCloseTo(1, 4);
    expect(fit.events).toBe(150);
  });

  it("fitWeibullRetention recovers shape and scale from a seeded simulation within 4 standard errors", () => {
    for (const [k, lambda, seed] of [[1.5, 10, 1], [0.7, 6, 2], [3, 12, 3]]) {
      const { t, c } = simulate(4000, k, lambda, seed);
      const fit = fitWeibullRetention(t, c);
      // 4 SE: fails by chance with p < 1e-4 per parameter.
      expect(Math.abs(fit.shape - k)).toBeLessThan(4 * fit.shapeSE);
      expect(Math.abs(fit.scale - lambda)).toBeLessThan(4 * fit.scaleSE);
      expect(fit.shapeSE / fit.shape).toBeLessThan(0.05); // n = 4000 pins the shape to a few percent
    }
  });

  it("fitWeibullRetention returns the survival curve and retention S(t)/S(t-1)", () => {
    const fit = fitWeibullRetention(ref.time, ref.event.map((e) => e === 0), { periods: 24 });
    expect(fit.survival).toHaveLength(25);
    expect(fit.retention).toHaveLength(24);
    expect(fit.survival[0]).toBe(1);
    for (let t = 1; t <= 24; t++) {
      expect(fit.survival[t]).toBeCloseTo(weibullSurvival(fit, t), 14);
      expect(fit.retention[t - 1]).toBeCloseTo(fit.survival[t] / fit.survival[t - 1], 12);
      expect(fit.survival[t]).toBeLessThan(fit.survival[t - 1]);
    }
    // shape > 1: churn hazard rises with age, so retention falls
    expect(fit.shape).toBeGreaterThan(1);
    for (let t = 1; t < 24; t++) expect(fit.retention[t]).toBeLessThan(fit.retention[t - 1]);
    // mean lifetime = lambda * Gamma(1 + 1/k): hand check at k = 2 in anchors.test.ts
  });

  it("fitWeibullRetention on exponential data without censoring gives the closed form scale = mean", () => {
    // Exponential lifetimes (k = 1), nothing censored: the fit must come out near k = 1 (4 SE)
    // and its scale near the sample mean (the k = 1 MLE), within 4 SE of the scale.
    const rng = createRng(9);
    const t = Array.from({ length: 5000 }, () => -5 * Math.log(1 - rng.next()));
    const fit = fitWeibullRetention(t, t.map(() => false));
    expect(Math.abs(fit.shape - 1)).toBeLessThan(4 * fit.shapeSE);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    expect(Math.abs(fit.scale - mean)).toBeLessThan(4 * fit.scaleSE);
    expect(fit.meanLifetime / mean).toBeCloseTo(1, 1);
  });

  it("fitWeibullRetention does not mutate its input", () => {
    const t = Object.freeze([2, 3, 5, 8, 13, 4]);
    const c = Object.freeze([false, false, false, true, true, false]);
    const fit = fitWeibullRetention(t, c);
    expect(fit.n).toBe(6);
    expect(fit.events).toBe(4);
  });

  describe("errors", () => {
    it("fitWeibullRetention rejects a non-positive lifetime with its row", () => {
      try {
        fitWeibullRetention([1, 0, 2], [false, false, true]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe(2);
        expect((e as InvalidRecordError).field).toBe("lifetime");
        expect((e as InvalidRecordError).value).toBe(0);
      }
    });
    it("fitWeibullRetention rejects mismatched lengths", () => {
      expect(() => fitWeibullRetention([1, 2], [false])).toThrow(InvalidOptionError);
    });
    it("fitWeibullRetention throws EMPTY_INPUT without data or without any churned customer", () => {
      for (const [t, c] of [[[], []], [[1, 2], [true, true]]] as [number[], boolean[]][]) {
        try {
          fitWeibullRetention(t, c);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(AnalyticsError);
          expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
        }
      }
    });
    it("fitWeibullRetention throws NOT_CONVERGED when all lifetimes are equal and uncensored", () => {
      try {
        fitWeibullRetention([3, 3, 3], [false, false, false]);
        expect.unreachable();
      } catch (e) {
        expect((e as AnalyticsError).code).toBe("NOT_CONVERGED");
      }
    });
    it("fitWeibullRetention rejects a bad periods option", () => {
      expect(() => fitWeibullRetention([1, 2], [false, true], { periods: 0 })).toThrow(InvalidOptionError);
    });
  });
});
