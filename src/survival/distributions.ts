/**
 * Upper tails of the chi-square and normal distributions, for the p-values of the log-rank test,
 * the Cox model's tests and `coxZph`.
 *
 * No regularised incomplete gamma existed in `src/numeric/` when this was written; it lives here
 * (unexported from the package) until it moves there (see `docs/survival.md`).
 * @module
 */
import { lgamma } from "../numeric/special.js";
import { normalQuantile } from "../value/distributions.js";

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 10_000;

/**
 * The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
 *
 * @remarks
 * The power series of P(a, x) for x < a + 1 (Q = 1 - P), the Legendre continued fraction of
 * Q(a, x) (modified Lentz) otherwise, as in Numerical Recipes §6.2; relative accuracy about
 * 1e-15 in the tail that p-values use. Q(a, 0) = 1 and Q(a, ∞) = 0.
 *
 * @param a - shape, > 0.
 * @param x - argument, >= 0.
 * @returns Q(a, x) in [0, 1].
 * @example
 * ```ts
 * // Q(1, x) = e^-x
 * Math.abs(regularizedGammaQ(1, 2) - Math.exp(-2)) < 1e-15;
 * //=> true
 * ```
 * @category Numeric
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`regularizedGammaQ: need a > 0 and x >= 0, got a = ${a}, x = ${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = -x + a * Math.log(x) - lgamma(a);
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < MAX_TERMS; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/**
 * P(X > x) for X chi-square with `df` degrees of freedom: Q(df / 2, x / 2).
 *
 * @param x - the statistic, >= 0.
 * @param df - degrees of freedom, > 0.
 * @returns the upper-tail probability.
 * @example
 * ```ts
 * // R: pchisq(3.841458820694124, 1, lower.tail = FALSE) = 0.05
 * chiSquareUpperTail(3.841458820694124, 1).toFixed(12);
 * //=> "0.050000000000"
 * ```
 * @category Numeric
 */
export function chiSquareUpperTail(x: number, df: number): number {
  return regularizedGammaQ(df / 2, Math.max(0, x) / 2);
}

/**
 * Two-sided normal p-value P(|Z| > |z|) = Q(1/2, z² / 2).
 *
 * @param z - a standard normal statistic.
 * @returns the two-sided p-value.
 * @example
 * ```ts
 * normalTwoSidedP(1.959963984540054).toFixed(12);
 * //=> "0.050000000000"
 * ```
 * @category Numeric
 */
export function normalTwoSidedP(z: number): number {
  return regularizedGammaQ(0.5, (z * z) / 2);
}

/**
 * The standard normal quantile z with P(Z <= z) = p, to about 1e-15: Acklam's approximation
 * (the library's `normalQuantile` in `src/value/distributions.ts`, relative error 1.2e-9) and
 * one Newton step on the exact tail Q(1/2, z² / 2) / 2.
 *
 * @param p - a probability in (0, 1).
 * @returns z.
 * @example
 * ```ts
 * // R: qnorm(0.975) = 1.959963984540054
 * Math.abs(normalQuantileRefined(0.975) - 1.959963984540054) < 1e-14;
 * //=> true
 * ```
 * @category Numeric
 */
export function normalQuantileRefined(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantileRefined: need 0 < p < 1, got ${p}`);
  const z0 = normalQuantile(p);
  const upper = 0.5 * regularizedGammaQ(0.5, (z0 * z0) / 2);
  const cdf = z0 >= 0 ? 1 - upper : upper;
  const density = Math.exp(-0.5 * z0 * z0) / Math.sqrt(2 * Math.PI);
  return z0 - (cdf - p) / density;
}
