/**
 * Seeded simulations with known truth: exponential lifetimes with independent exponential
 * censoring. Bounds are 3.5 standard errors (the estimator's own SE), so a correct estimator
 * fails with probability below 1e-3 per check; the seeds are fixed, so the run is deterministic.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/numeric/random.js";
import { coxPh, coxZph, kaplanMeier } from "../../src/survival/index.js";

function simulate(seed: number, n: number, beta: [number, number]) {
  const rng = createRng(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const time = new Float64Array(n);
  const status = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.next();
    x2[i] = rng.next() < 0.5 ? 1 : 0;
    const rate = 0.01 * Math.exp(beta[0] * x1[i] + beta[1] * x2[i]);
    const t = -Math.log(1 - rng.next()) / rate;
    const c = -Math.log(1 - rng.next()) / 0.005;
    time[i] = Math.min(t, c);
    status[i] = t <= c ? 1 : 0;
  }
  return { x1, x2, time, status };
}

describe("coxPh on simulated proportional hazards", () => {
  it("coxPh recovers β = (1, -0.5) within 3.5 SE and coxZph does not reject PH (seed 7, n 4000)", () => {
    const d = simulate(7, 4000, [1, -0.5]);
    const fit = coxPh(d.time, d.status, new Map([["x1", d.x1], ["x2", d.x2]]));
    expect(Math.abs(fit.coefficients[0] - 1)).toBeLessThan(3.5 * fit.standardErrors[0]);
    expect(Math.abs(fit.coefficients[1] + 0.5)).toBeLessThan(3.5 * fit.standardErrors[1]);
    expect(fit.standardErrors[0]).toBeLessThan(0.1); // the fit is informative, not a vacuous bound
    expect(coxZph(fit).global.p).toBeGreaterThan(0.001);
  });
  it("coxZph rejects PH when the effect of x2 fades over time (seed 8)", () => {
    // x2 = 1 multiplies the hazard by 4 before t = 50 and by 1/4 after: not proportional
    const rng = createRng(8);
    const n = 3000;
    const x2 = Float64Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
    const time = new Float64Array(n);
    const status = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      const e = -Math.log(1 - rng.next());
      const early = x2[i] ? 0.04 : 0.01;
      const late = x2[i] ? 0.0025 : 0.01;
      time[i] = e <= early * 50 ? e / early : 50 + (e - early * 50) / late;
    }
    const zph = coxZph(coxPh(time, status, { x2 }));
    expect(zph.tests[0].p).toBeLessThan(1e-6);
  });
});

describe("kaplanMeier on simulated exponential lifetimes", () => {
  it("kaplanMeier(time, status) covers exp(-0.01 t) within 3.5 Greenwood SE at t = 50, 100, 200 (seed 11)", () => {
    const rng = createRng(11);
    const n = 3000;
    const time = new Float64Array(n);
    const status = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = -Math.log(1 - rng.next()) / 0.01;
      const c = -Math.log(1 - rng.next()) / 0.005;
      time[i] = Math.min(t, c);
      status[i] = t <= c ? 1 : 0;
    }
    const km = kaplanMeier(time, status);
    for (const t of [50, 100, 200]) {
      let k = 0;
      while (k + 1 < km.time.length && km.time[k + 1] <= t) k++;
      expect(Math.abs(km.surv[k] - Math.exp(-0.01 * t))).toBeLessThan(3.5 * km.stdErr[k]);
    }
    // median of Exp(0.01) is ln 2 / 0.01 = 69.3; the 95% interval covers it
    expect(km.medianLower! <= 69.31 && 69.31 <= km.medianUpper!).toBe(true);
  });
});
