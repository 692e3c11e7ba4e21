/**
 * Input distributions for Monte Carlo CLV and extra samplers (triangular, lognormal, truncated
 * normal). The per-stream generator of the per-customer simulation is `StreamRng` in
 * `src/numeric/stream.ts`.
 *
 * Everything here builds on `createRng` / the samplers in `src/numeric/random.ts`; nothing uses
 * `Math.random` or a module-level generator.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { createRng, sampleBeta, sampleGamma, sampleNormal, type Rng, type Seed } from "../numeric/random.js";

/**
 * A model input given as a distribution rather than a fixed number (see `docs/value.md`).
 *
 * - `fixed`: always `value`.
 * - `uniform`: U[min, max).
 * - `normal`: N(mean, sd^2).
 * - `truncatedNormal`: N(mean, sd^2) restricted to [min, max] (rejection, then inversion fallback).
 * - `triangular`: min <= mode <= max.
 * - `beta`: Beta(alpha, beta) on [0, 1], rescaled to [min, max] when given (default [0, 1]).
 * - `gamma`: shape k, scale theta (mean k * theta).
 * - `lognormal`: exp(N(mu, sigma^2)) (mu and sigma on the log scale).
 * - `empirical`: one of `values`, each equally likely (a bootstrap of observed values).
 *
 * @category Monte Carlo
 */
export type InputDistribution =
  | {
      /** Distribution name. */
      readonly dist: "fixed";
      /** The value every draw takes. */
      readonly value: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "uniform";
      /** Lower bound (inclusive). */
      readonly min: number;
      /** Upper bound (exclusive). */
      readonly max: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "normal";
      /** Mean. */
      readonly mean: number;
      /** Standard deviation (> 0). */
      readonly sd: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "truncatedNormal";
      /** Mean of the untruncated normal. */
      readonly mean: number;
      /** Standard deviation of the untruncated normal (> 0). */
      readonly sd: number;
      /** Lower bound. */
      readonly min: number;
      /** Upper bound (> min). */
      readonly max: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "triangular";
      /** Lower bound. */
      readonly min: number;
      /** Most likely value, min <= mode <= max. */
      readonly mode: number;
      /** Upper bound. */
      readonly max: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "beta";
      /** First shape parameter (> 0). */
      readonly alpha: number;
      /** Second shape parameter (> 0). */
      readonly beta: number;
      /** Lower end of the rescaled range. Default 0. */
      readonly min?: number;
      /** Upper end of the rescaled range. Default 1. */
      readonly max?: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "gamma";
      /** Shape k (> 0). */
      readonly shape: number;
      /** Scale theta (> 0); the mean is k * theta. */
      readonly scale: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "lognormal";
      /** Mean of the logarithm. */
      readonly mu: number;
      /** Standard deviation of the logarithm (>= 0). */
      readonly sigma: number;
    }
  | {
      /** Distribution name. */
      readonly dist: "empirical";
      /** Observed values, resampled with equal probability (at least one). */
      readonly values: ArrayLike<number>;
    };

/**
 * Triangular draw on [min, max] with the given mode (inversion of the CDF, one uniform).
 * @param rng - a generator from `createRng`.
 * @param min - lower bound.
 * @param mode - most likely value, min <= mode <= max.
 * @param max - upper bound.
 * @returns a number in [min, max].
 * @example
 * ```ts
 * const x = sampleTriangular(createRng(1), 0, 1, 4);
 * x.toFixed(4);
 * //=> "1.6152"
 * ```
 * @category Random
 */
export function sampleTriangular(rng: Rng, min: number, mode: number, max: number): number {
  const u = rng.next();
  const span = max - min;
  if (span <= 0) return min;
  const f = (mode - min) / span;
  return u < f ? min + Math.sqrt(u * span * (mode - min)) : max - Math.sqrt((1 - u) * span * (max - mode));
}

/**
 * Lognormal draw exp(N(mu, sigma^2)); its mean is exp(mu + sigma^2 / 2).
 * @param rng - a generator from `createRng`.
 * @param mu - mean of the logarithm.
 * @param sigma - standard deviation of the logarithm (>= 0).
 * @returns a positive number.
 * @example
 * ```ts
 * sampleLognormal(createRng(1), 0, 0.5).toFixed(4);
 * //=> "1.5017"
 * ```
 * @category Random
 */
export function sampleLognormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(sampleNormal(rng, mu, sigma));
}

/**
 * Normal draw N(mean, sd^2) truncated to [min, max]: plain rejection while the acceptance rate
 * is reasonable, else inversion of the normal CDF between the bounds (so it never loops long).
 * @param rng - a generator from `createRng`.
 * @param mean - mean of the untruncated normal.
 * @param sd - its standard deviation (> 0).
 * @param min - lower bound.
 * @param max - upper bound (> min).
 * @returns a number in [min, max].
 * @example
 * ```ts
 * const r = sampleTruncatedNormal(createRng(1), 0.8, 0.1, 0, 0.99);
 * r.toFixed(4);
 * //=> "0.8813"
 * ```
 * @category Random
 */
export function sampleTruncatedNormal(rng: Rng, mean: number, sd: number, min: number, max: number): number {
  const a = normalCdf((min - mean) / sd);
  const b = normalCdf((max - mean) / sd);
  if (b - a > 0.25) {
    for (let i = 0; i < 64; i++) {
      const x = sampleNormal(rng, mean, sd);
      if (x >= min && x <= max) return x;
    }
  }
  const u = a + (b - a) * rng.next();
  const x = mean + sd * normalQuantile(Math.min(1 - 1e-16, Math.max(1e-300, u)));
  return Math.min(max, Math.max(min, x));
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erfc with a high-accuracy rational; |err| < 1.2e-7 relative). */
export function normalCdf(z: number): number {
  // W. J. Cody style erfc approximation (Numerical Recipes erfcc), accurate to ~1.2e-7.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const y =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - y / 2 : y / 2;
}

/** Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** A validated sampler for one model input; `fixed` is true when it always returns the same number. */
export interface InputSampler {
  readonly fixed: boolean;
  readonly draw: (rng: Rng) => number;
}

const DIST_NAMES = "a finite number or { dist: \"fixed\" | \"uniform\" | \"normal\" | \"truncatedNormal\" | \"triangular\" | \"beta\" | \"gamma\" | \"lognormal\" | \"empirical\", ... }";

/**
 * Validate an input given as a number or an {@link InputDistribution} and return its sampler.
 * @internal
 */
export function makeInputSampler(input: number | InputDistribution, fn: string, option: string): InputSampler {
  const bad = (expected: string): never => {
    throw new InvalidOptionError(fn, option, input, expected);
  };
  const fin = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
  if (typeof input === "number") {
    if (!Number.isFinite(input)) bad(DIST_NAMES);
    return { fixed: true, draw: () => input };
  }
  if (input === null || typeof input !== "object") return bad(DIST_NAMES);
  switch (input.dist) {
    case "fixed": {
      const v = input.value;
      if (!fin(v)) bad("a finite `value`");
      return { fixed: true, draw: () => v };
    }
    case "uniform": {
      const { min, max } = input;
      if (!fin(min) || !fin(max) || !(max >= min)) bad("finite `min` <= `max`");
      return { fixed: min === max, draw: (r) => min + (max - min) * r.next() };
    }
    case "normal": {
      const { mean, sd } = input;
      if (!fin(mean) || !fin(sd) || sd < 0) bad("finite `mean` and `sd` >= 0");
      return { fixed: sd === 0, draw: (r) => sampleNormal(r, mean, sd) };
    }
    case "truncatedNormal": {
      const { mean, sd, min, max } = input;
      if (!fin(mean) || !fin(sd) || sd <= 0 || !fin(min) || !fin(max) || !(max > min)) bad("finite `mean`, `sd` > 0 and `min` < `max`");
      return { fixed: false, draw: (r) => sampleTruncatedNormal(r, mean, sd, min, max) };
    }
    case "triangular": {
      const { min, mode, max } = input;
      if (!fin(min) || !fin(mode) || !fin(max) || !(min <= mode && mode <= max)) bad("finite `min` <= `mode` <= `max`");
      return { fixed: min === max, draw: (r) => sampleTriangular(r, min, mode, max) };
    }
    case "beta": {
      const { alpha, beta } = input;
      const min = input.min ?? 0;
      const max = input.max ?? 1;
      if (!fin(alpha) || !fin(beta) || alpha <= 0 || beta <= 0 || !fin(min) || !fin(max) || !(max > min)) bad("`alpha` > 0, `beta` > 0 and `min` < `max`");
      return { fixed: false, draw: (r) => min + (max - min) * sampleBeta(r, alpha, beta) };
    }
    case "gamma": {
      const { shape, scale } = input;
      if (!fin(shape) || !fin(scale) || shape <= 0 || scale <= 0) bad("`shape` > 0 and `scale` > 0");
      return { fixed: false, draw: (r) => sampleGamma(r, shape, scale) };
    }
    case "lognormal": {
      const { mu, sigma } = input;
      if (!fin(mu) || !fin(sigma) || sigma < 0) bad("finite `mu` and `sigma` >= 0");
      return { fixed: sigma === 0, draw: (r) => sampleLognormal(r, mu, sigma) };
    }
    case "empirical": {
      const values = input.values;
      if (!values || typeof values.length !== "number" || values.length === 0) bad("a non-empty `values` array");
      const copy = Float64Array.from(values);
      for (const v of copy) if (!Number.isFinite(v)) bad("finite `values`");
      const n = copy.length;
      return { fixed: n === 1 || copy.every((v) => v === copy[0]), draw: (r) => copy[Math.min(n - 1, Math.floor(r.next() * n))] };
    }
    default:
      return bad(DIST_NAMES);
  }
}

/**
 * The call key of the per-stream generator: it lives in `src/numeric/stream.ts` (with
 * `StreamRng` and the ziggurat tables); re-exported here only for `benchmarks/value.bench.ts`.
 * @internal
 */
export { streamKey } from "../numeric/stream.js";
