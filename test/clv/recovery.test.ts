import { describe, expect, it } from "vitest";
import { fitBgBb, fitMbgNbd, type BgBbParams, type MbgNbdParams } from "../../src/index.js";
import { createRng, sampleBeta, sampleExponential, sampleGamma } from "../../src/numeric/index.js";

/**
 * Seeded simulations with known truth: data drawn from each model's own story, then the fit
 * must land within 3 standard errors of the truth for every parameter (a failure rate of about
 * 0.3% per parameter for a correct fit; the seeds are fixed, so the outcome is too).
 */

/** BG/BB: before each opportunity a live customer drops out with prob θ; then transacts with prob p. */
function simulateBgBb(n: number, opportunities: number, p: BgBbParams, seed: number) {
  const rng = createRng(seed);
  const x: number[] = [];
  const tx: number[] = [];
  for (let i = 0; i < n; i++) {
    const pi = sampleBeta(rng, p.alpha, p.beta);
    const theta = sampleBeta(rng, p.gamma, p.delta);
    let xi = 0;
    let ti = 0;
    for (let t = 1; t <= opportunities; t++) {
      if (rng.next() < theta) break;
      if (rng.next() < pi) {
        xi++;
        ti = t;
      }
    }
    x.push(xi);
    tx.push(ti);
  }
  return { x, t_x: tx, n: x.map(() => opportunities) };
}

/** MBG/NBD: dropout with prob p at time 0 and after each purchase; Poisson(λ) purchases until then. */
function simulateMbgNbd(n: number, p: MbgNbdParams, seed: number) {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Ti = 26 + 26 * rng.next();
    const lam = sampleGamma(rng, p.r, 1 / p.alpha);
    const q = sampleBeta(rng, p.a, p.b);
    let t = 0;
    let k = 0;
    let last = 0;
    if (rng.next() >= q) {
      for (;;) {
        t += sampleExponential(rng, lam);
        if (t > Ti) break;
        k++;
        last = t;
        if (rng.next() < q) break;
      }
    }
    x[i] = k;
    tx[i] = last;
    T[i] = Ti;
  }
  return { x, t_x: tx, T };
}

describe("seeded recovery", () => {
  it("fitBgBb recovers α 1.2, β 0.75, γ 0.66, δ 2.8 from 20,000 simulated customers over 8 opportunities (seed 7), within 3 SE", () => {
    const truth = { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 };
    const m = fitBgBb(simulateBgBb(20000, 8, truth, 7));
    expect(m.convergence.converged).toBe(true);
    for (const k of ["alpha", "beta", "gamma", "delta"] as const) expect(Math.abs(m.params[k] - truth[k])).toBeLessThan(3 * m.standardErrors![k]);
  });
  it("fitMbgNbd recovers r 0.5, α 6, a 0.9, b 1.6 from 20,000 simulated customers (seed 11), within 3 SE", () => {
    const truth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const m = fitMbgNbd(simulateMbgNbd(20000, truth, 11));
    expect(m.convergence.converged).toBe(true);
    for (const k of ["r", "alpha", "a", "b"] as const) expect(Math.abs(m.params[k] - truth[k])).toBeLessThan(3 * m.standardErrors![k]);
  });
  it("same seed, same data; another seed, other data", () => {
    const truth = { alpha: 1.2, beta: 0.75, gamma: 0.66, delta: 2.8 };
    expect(simulateBgBb(50, 4, truth, 1)).toEqual(simulateBgBb(50, 4, truth, 1));
    expect(simulateBgBb(50, 4, truth, 2)).not.toEqual(simulateBgBb(50, 4, truth, 1));
  });
});
