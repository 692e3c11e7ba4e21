/**
 * Seeded simulation of calibration summaries from the BG/NBD process, for tests and the
 * benchmark (not exported from the package: a generator of synthetic transaction logs lives in
 * `src/synthetic`). @module
 */
import { createRng, sampleBeta, sampleGamma, type Seed } from "../core/random.js";
import type { BgNbdParams } from "./bgnbd.js";

/** Simulated summaries as columns, plus the records view on demand. @internal */
export interface SimulatedBase {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  monetary: Float64Array;
}

/**
 * Simulate `n` customers: λ ~ Gamma(r, rate α), p ~ Beta(a, b), exponential inter-purchase
 * times, dropout with probability p after each repeat purchase, ages T uniform on
 * [minT, maxT] in whole days (T in weeks). Spend: each repeat purchase ~ Gamma(6, rate ν),
 * ν ~ Gamma(3.7, rate 15) per customer (close to CDNOW's Gamma-Gamma fit). With `days`, t_x is
 * rounded to whole days, as in summaries built from purchase dates. @internal
 */
export function simulateBgNbd(n: number, params: BgNbdParams, seed: Seed, minT = 26, maxT = 52, days = false): SimulatedBase {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  const minD = Math.round(minT * 7);
  const spanD = Math.round(maxT * 7) - minD + 1;
  for (let i = 0; i < n; i++) {
    const Ti = (minD + Math.floor(rng.next() * spanD)) / 7;
    const lam = sampleGamma(rng, params.r, 1 / params.alpha);
    const p = sampleBeta(rng, params.a, params.b);
    let t = 0;
    let k = 0;
    let last = 0;
    if (lam > 0) {
      for (;;) {
        let u = rng.next();
        while (u <= 0) u = rng.next();
        t += -Math.log(u) / lam;
        if (t > Ti) break;
        k++;
        last = t;
        if (rng.next() < p) break;
      }
    }
    x[i] = k;
    tx[i] = days ? Math.min(Math.round(last * 7) / 7, Ti) : last;
    T[i] = Ti;
    if (k > 0) {
      const nu = sampleGamma(rng, 3.7, 1 / 15);
      let s = 0;
      for (let j = 0; j < k; j++) s += sampleGamma(rng, 6, 1 / nu);
      monetary[i] = s / k;
    }
  }
  return { x, tx, T, monetary };
}

/** Records view of a simulated base. @internal */
export function simulatedRecords(b: SimulatedBase): { customerId: string; x: number; t_x: number; T: number; monetaryValue: number }[] {
  const out = new Array(b.x.length);
  for (let i = 0; i < b.x.length; i++) out[i] = { customerId: `c${i}`, x: b.x[i], t_x: b.tx[i], T: b.T[i], monetaryValue: b.monetary[i] };
  return out;
}

/** A simulated base with covariates: summaries plus the covariate columns. @internal */
export interface SimulatedCovariateBase {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Covariate columns by name (z1 ~ Bernoulli(0.5), z2 ~ N(0, 1)). */
  z: { z1: Float64Array; z2: Float64Array };
}

/**
 * Simulate `n` customers with per-customer parameters scaled by exp(γ'z) (CLVTools'
 * parameterisation): two covariates for each customer, z1 ~ Bernoulli(0.5) and z2 ~ N(0, 1),
 * used by both processes. Pareto/NBD: λ ~ Gamma(r, rate α e^{−γ_trans'z}), μ ~ Gamma(s, rate
 * β e^{−γ_life'z}), lifetime ~ Exp(μ), Poisson(λ) purchases until min(lifetime, T). BG/NBD:
 * λ ~ Gamma(r, rate α e^{−γ_trans'z}), p ~ Beta(a e^{γ_life'z}, b e^{γ_life'z}), dropout with
 * probability p after each repeat purchase. T uniform on [minT, maxT] weeks. @internal
 */
export function simulateWithCovariates(
  n: number,
  model: "pareto-nbd" | "bg-nbd",
  params: Record<string, number>,
  gammaLife: readonly [number, number],
  gammaTrans: readonly [number, number],
  seed: Seed,
  minT = 26,
  maxT = 52,
): SimulatedCovariateBase {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const z1 = new Float64Array(n);
  const z2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z1[i] = rng.next() < 0.5 ? 1 : 0;
    // Box-Muller for z2
    let u1 = rng.next();
    while (u1 <= 0) u1 = rng.next();
    z2[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.next());
    const etaL = gammaLife[0] * z1[i] + gammaLife[1] * z2[i];
    const etaT = gammaTrans[0] * z1[i] + gammaTrans[1] * z2[i];
    const Ti = minT + (maxT - minT) * rng.next();
    const lam = sampleGamma(rng, params.r, 1 / (params.alpha * Math.exp(-etaT)));
    const exp1 = () => {
      let u = rng.next();
      while (u <= 0) u = rng.next();
      return -Math.log(u);
    };
    let t = 0;
    let k = 0;
    let last = 0;
    if (model === "pareto-nbd") {
      const mu = sampleGamma(rng, params.s, 1 / (params.beta * Math.exp(-etaL)));
      const end = Math.min(Ti, mu > 0 ? exp1() / mu : Infinity);
      if (lam > 0) {
        for (;;) {
          t += exp1() / lam;
          if (t > end) break;
          k++;
          last = t;
        }
      }
    } else {
      const p = sampleBeta(rng, params.a * Math.exp(etaL), params.b * Math.exp(etaL));
      if (lam > 0) {
        for (;;) {
          t += exp1() / lam;
          if (t > Ti) break;
          k++;
          last = t;
          if (rng.next() < p) break;
        }
      }
    }
    x[i] = k;
    tx[i] = last;
    T[i] = Ti;
  }
  return { x, tx, T, z: { z1, z2 } };
}
