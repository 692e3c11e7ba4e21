/**
 * Seeded random numbers and samplers (the library's one home for them; `src/core/random.ts`
 * re-exports these names for compatibility). Every stochastic function in the library builds its own
 * generator from a `seed` option with {@link createRng}; there is no module-level generator and
 * no `Math.random` fallback, so the same seed gives the same numbers on every machine.
 * @module
 */
import seedrandom from "seedrandom";
import { InvalidOptionError } from "../core/errors.js";
import { lgamma } from "./special.js";

/**
 * A source of uniform random numbers in [0, 1).
 * @category Random
 */
export interface Rng {
  /** Next uniform number in [0, 1). */
  next(): number;
}

/**
 * Seed accepted by stochastic functions: a finite number or a string.
 * @category Random
 */
export type Seed = number | string;

/**
 * Build a seeded generator (seedrandom's Alea algorithm: fast, 2^116 period, identical output
 * on every JavaScript engine).
 *
 * @param seed - any finite number or string.
 * @returns a fresh generator; two generators with the same seed produce the same sequence.
 * @throws {@link InvalidOptionError} when the seed is not a finite number or a string.
 * @example
 * ```ts
 * const a = createRng(42), b = createRng(42);
 * a.next() === b.next();
 * //=> true
 * ```
 * @category Random
 */
export function createRng(seed: Seed): Rng {
  if (!(typeof seed === "string" || (typeof seed === "number" && Number.isFinite(seed)))) {
    throw new InvalidOptionError("createRng", "seed", seed, "a finite number or a string");
  }
  const prng = seedrandom.alea(String(seed));
  return { next: () => prng() };
}

/**
 * Uniform number in [lo, hi).
 * @example
 * ```ts
 * const u = sampleUniform(createRng(1), 2, 3);
 * u >= 2 && u < 3;
 * //=> true
 * ```
 * @category Random
 */
export function sampleUniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/**
 * Standard-normal draw scaled to mean `mu`, standard deviation `sigma` (Box-Muller, one value
 * per two uniforms, no cached state).
 * @example
 * ```ts
 * Number.isFinite(sampleNormal(createRng(1), 0, 1));
 * //=> true
 * ```
 * @category Random
 */
export function sampleNormal(rng: Rng, mu = 0, sigma = 1): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  const v = rng.next();
  return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Exponential draw with the given rate (mean 1/rate).
 * @example
 * ```ts
 * sampleExponential(createRng(1), 2) > 0;
 * //=> true
 * ```
 * @category Random
 */
export function sampleExponential(rng: Rng, rate: number): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  return -Math.log(u) / rate;
}

/**
 * Gamma draw with `shape` k > 0 and `scale` theta > 0 (mean k * theta), by Marsaglia & Tsang
 * (2000), with the usual boost for k < 1.
 * @example
 * ```ts
 * sampleGamma(createRng(1), 2, 3) > 0;
 * //=> true
 * ```
 * @category Random
 */
export function sampleGamma(rng: Rng, shape: number, scale = 1): number {
  if (shape < 1) {
    let u = rng.next();
    while (u <= 0) u = rng.next();
    return sampleGamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * Beta(a, b) draw from two gamma draws.
 * @example
 * ```ts
 * const p = sampleBeta(createRng(1), 2, 5);
 * p > 0 && p < 1;
 * //=> true
 * ```
 * @category Random
 */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/**
 * Poisson draw with mean `lambda`, in O(1) expected time for any mean.
 *
 * @remarks
 * Below a mean of 10: the product-of-uniforms method (Knuth), about λ + 1 uniforms. From 10 up:
 * Hörmann's (1993) PTRS, transformed rejection with squeeze ("The transformed rejection method
 * for generating Poisson random variables"), the method numpy uses: two uniforms per try, about
 * 1.1 tries on average whatever λ, exact (the acceptance test uses ln Γ(k + 1)). The mean and
 * variance are checked on seeded draws in `test/numeric/random.test.ts`.
 *
 * @param rng - the generator.
 * @param lambda - the mean, finite and >= 0.
 * @returns a non-negative integer.
 * @throws {@link InvalidOptionError} for a negative, NaN or infinite mean.
 * @example
 * ```ts
 * Number.isInteger(samplePoisson(createRng(1), 3.5));
 * //=> true
 * ```
 * @category Random
 */
export function samplePoisson(rng: Rng, lambda: number): number {
  checkMean("samplePoisson", lambda);
  return lambda < PTRS_MIN ? poissonSmall(rng, Math.exp(-lambda)) : poissonPtrs(rng, ptrsConstants(lambda));
}

/**
 * A Poisson sampler for one mean, for many draws: {@link samplePoisson}'s algorithm with its
 * constants (e^−λ below 10; PTRS's ln λ, b, a, ln(1/α) and v_r from 10 up) computed once. Draws
 * the same numbers as `samplePoisson(rng, lambda)` from the same generator state.
 *
 * @param lambda - the mean, finite and >= 0.
 * @returns a function drawing one Poisson(λ) value from `rng`.
 * @throws {@link InvalidOptionError} for a negative, NaN or infinite mean.
 * @example
 * ```ts
 * const draw = poissonSampler(250);
 * draw(createRng(1)) === samplePoisson(createRng(1), 250);
 * //=> true
 * ```
 * @category Random
 */
export function poissonSampler(lambda: number): (rng: Rng) => number {
  checkMean("poissonSampler", lambda);
  if (lambda < PTRS_MIN) {
    const limit = Math.exp(-lambda);
    return (rng) => poissonSmall(rng, limit);
  }
  const c = ptrsConstants(lambda);
  return (rng) => poissonPtrs(rng, c);
}

function checkMean(fn: string, lambda: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new InvalidOptionError(fn, "lambda", lambda, "a finite number >= 0");
}

/** Smallest mean drawn by PTRS (Hörmann's constants are fitted for λ >= 10). */
const PTRS_MIN = 10;

/** Product of uniforms until it falls to `limit` = e^−λ: about λ + 1 uniforms. */
function poissonSmall(rng: Rng, limit: number): number {
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** The constants of Hörmann's PTRS for mean λ (numpy's `random_poisson_ptrs`). */
interface PtrsConstants {
  lambda: number;
  logLambda: number;
  b: number;
  a: number;
  logInvAlpha: number;
  vr: number;
}

function ptrsConstants(lambda: number): PtrsConstants {
  const b = 0.931 + 2.53 * Math.sqrt(lambda);
  return { lambda, logLambda: Math.log(lambda), b, a: -0.059 + 0.02483 * b, logInvAlpha: Math.log(1.1239 + 1.1328 / (b - 3.4)), vr: 0.9277 - 3.6224 / (b - 2) };
}

/** Hörmann's PTRS for λ >= 10: two uniforms per try, about 1.1 tries. */
function poissonPtrs(rng: Rng, c: PtrsConstants): number {
  const { lambda, logLambda, b, a, logInvAlpha, vr } = c;
  for (;;) {
    const U = rng.next() - 0.5;
    const V = rng.next();
    const us = 0.5 - Math.abs(U);
    const k = Math.floor(((2 * a) / us + b) * U + lambda + 0.43);
    if (us >= 0.07 && V <= vr) return k;
    if (k < 0 || (us < 0.013 && V > us)) continue;
    if (Math.log(V) + logInvAlpha - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - lgamma(k + 1)) return k;
  }
}

/**
 * Uniform integer in [0, n).
 * @example
 * ```ts
 * sampleInt(createRng(1), 10) < 10;
 * //=> true
 * ```
 * @category Random
 */
export function sampleInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}
