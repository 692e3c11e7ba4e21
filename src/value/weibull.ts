import { lgamma } from "../numeric/special.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";

/**
 * Options of {@link fitWeibullRetention}.
 * @category Retention
 */
export interface FitWeibullRetentionOptions {
  /** Number of periods of the returned survival curve and retention (t = 0..periods). Default 12. */
  periods?: number;
  /** Convergence tolerance on the shape (relative change). Default 1e-10. */
  tolerance?: number;
  /** Maximum Newton/bisection iterations. Default 200. */
  maxIterations?: number;
}

/**
 * A fitted Weibull lifetime distribution with its survival curve and per-period retention.
 * @category Retention
 */
export interface WeibullRetentionFit {
  /** Shape k (k < 1: hazard falls with age; k > 1: rises; k = 1: constant churn). */
  shape: number;
  /** Scale lambda, in the unit of the lifetimes. */
  scale: number;
  /** Maximised log-likelihood (densities for churned, survival for censored customers). */
  logLikelihood: number;
  /** Standard error of the shape (inverse observed information). */
  shapeSE: number;
  /** Standard error of the scale. */
  scaleSE: number;
  /** Covariance matrix of (shape, scale), row-major [var k, cov, cov, var lambda]. */
  covariance: readonly [number, number, number, number];
  /** Customers used. */
  n: number;
  /** Churned (uncensored) customers. */
  events: number;
  /** Iterations used by the shape solver. */
  iterations: number;
  /** Mean lifetime lambda * Gamma(1 + 1/k). */
  meanLifetime: number;
  /** S(t) = exp(-(t / lambda)^k) for t = 0, 1, ..., periods (`survival[0]` is 1). */
  survival: number[];
  /** Per-period retention S(t) / S(t-1) for t = 1..periods (`retention[t - 1]`). */
  retention: number[];
}

const WEIBULL_DEFAULTS = Object.freeze({ periods: 12, tolerance: 1e-10, maxIterations: 200 });

/**
 * Weibull survival S(t) = exp(-(t / scale)^shape).
 * @param fit - shape and scale (e.g. a {@link WeibullRetentionFit}).
 * @param t - time (>= 0) in the unit of the scale.
 * @returns the probability of surviving beyond t.
 * @example
 * ```ts
 * weibullSurvival({ shape: 1, scale: 10 }, 10) === Math.exp(-1);
 * //=> true
 * ```
 * @category Retention
 */
export function weibullSurvival(fit: { readonly shape: number; readonly scale: number }, t: number): number {
  if (t <= 0) return 1;
  return Math.exp(-Math.pow(t / fit.scale, fit.shape));
}

/**
 * Maximum-likelihood Weibull lifetime distribution from right-censored customer lifetimes, with
 * standard errors, the survival curve and the per-period retention S(t) / S(t-1).
 *
 * @remarks
 * Churned customers contribute the density f(t) = (k/lambda) (t/lambda)^(k-1) exp(-(t/lambda)^k),
 * active customers (censored at `asOf`) the survival S(t) = exp(-(t/lambda)^k). For a fixed k
 * the scale has the closed form lambda^k = sum_i t_i^k / d (d = churned customers), so the fit
 * solves the one-dimensional profile score
 * g(k) = 1/k + mean_{churned}(log t) - sum t^k log t / sum t^k = 0,
 * which is strictly decreasing in k: safeguarded Newton inside a bracketing interval.
 * Lifetimes are rescaled by their largest value inside the solver (no overflow of t^k).
 * Standard errors come from the inverse of the observed information matrix (analytic
 * second derivatives) at the maximum. Matches R `survreg(Surv(t, event) ~ 1, dist = "weibull")`
 * (shape = 1 / scale, scale = exp(intercept)); see `test/reference/value_weibull.R`.
 * Source of the model: the literature review's dynamic retention (Weibull lifetimes instead
 * of constant churn); likelihood as in Lawless (2003), Statistical Models and Methods for
 * Lifetime Data, ch. 5.
 *
 * Complexity O(n) per iteration, typically < 20 iterations.
 *
 * @param lifetimes - observed lifetime of each customer (> 0), in periods (or any unit: the
 *   scale is in that unit, and the curve steps by 1 unit).
 * @param censored - per customer, `true` (or 1) when still active (lifetime censored), `false`
 *   (0) when churned. Same length as `lifetimes`.
 * @param options - see {@link FitWeibullRetentionOptions}.
 * @returns the fit: shape, scale, log-likelihood, standard errors, survival curve, retention.
 * @throws {@link InvalidRecordError} for a lifetime that is not a finite number > 0 (row = 1-based index).
 * @throws {@link InvalidOptionError} when the lengths differ or an option is out of range.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` with no customers or no churned customer
 *   (the scale is then unbounded), `NOT_CONVERGED` when the shape diverges (e.g. every churned
 *   lifetime equal and nothing censored).
 * @example
 * ```ts
 * const fit = fitWeibullRetention([2, 3, 5, 8, 13, 4], [false, false, false, true, true, false]);
 * [fit.shape.toFixed(3), fit.scale.toFixed(3), fit.events];
 * //=> ["1.212", "8.475", 4]
 * ```
 * @category Retention
 */
export function fitWeibullRetention(
  lifetimes: ArrayLike<number>,
  censored: ArrayLike<boolean | number>,
  options: FitWeibullRetentionOptions = {},
): WeibullRetentionFit {
  const fn = "fitWeibullRetention";
  const o = withDefaults(WEIBULL_DEFAULTS, options);
  if (!Number.isInteger(o.periods) || o.periods < 1) throw new InvalidOptionError(fn, "periods", o.periods, "a whole number >= 1");
  if (!(o.tolerance > 0)) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a number > 0");
  if (!Number.isInteger(o.maxIterations) || o.maxIterations < 1) throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "a whole number >= 1");
  if (!lifetimes || typeof lifetimes.length !== "number") throw new InvalidOptionError(fn, "lifetimes", lifetimes, "an array of numbers");
  if (!censored || censored.length !== lifetimes.length) throw new InvalidOptionError(fn, "censored", censored?.length, `an array of the same length as lifetimes (${lifetimes.length})`);
  const n = lifetimes.length;
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no lifetimes; pass at least one churned customer`);
  let tMax = 0;
  for (let i = 0; i < n; i++) {
    const t = lifetimes[i];
    if (typeof t !== "number" || !Number.isFinite(t) || t <= 0) {
      throw new InvalidRecordError(fn, { row: i + 1, field: "lifetime", value: t, expected: "a finite number > 0 (add half a period to same-period churners)" });
    }
    if (t > tMax) tMax = t;
  }
  // Work on x = t / tMax in (0, 1] so x^k never overflows.
  const logx = new Float64Array(n);
  const event = new Uint8Array(n);
  let d = 0;
  let sumLogEvent = 0;
  for (let i = 0; i < n; i++) {
    logx[i] = Math.log(lifetimes[i] / tMax);
    event[i] = censored[i] ? 0 : 1;
    if (event[i]) {
      d++;
      sumLogEvent += logx[i];
    }
  }
  if (d === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: every lifetime is censored (no churned customer), so the scale cannot be estimated`);
  const meanLogEvent = sumLogEvent / d;
  // Profile score g(k) and its derivative.
  const score = (k: number): { g: number; dg: number } => {
    let s0 = 0, s1 = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const l = logx[i];
      const z = Math.exp(k * l);
      s0 += z;
      s1 += z * l;
      s2 += z * l * l;
    }
    const r = s1 / s0;
    return { g: 1 / k + meanLogEvent - r, dg: -1 / (k * k) - (s2 / s0 - r * r) };
  };
  // Bracket: g is decreasing from +inf at k -> 0.
  let lo = 1e-3, hi = 1;
  while (score(hi).g > 0) {
    lo = hi;
    hi *= 2;
    if (hi > 1e4) throw new AnalyticsError("NOT_CONVERGED", `${fn}: the shape diverges (are all churned lifetimes equal with nothing censored?)`);
  }
  if (score(lo).g < 0) throw new AnalyticsError("NOT_CONVERGED", `${fn}: the shape is below 1e-3; the lifetimes look degenerate`);
  let k = Math.min(hi, Math.max(lo, 1));
  let iterations = 0;
  for (; iterations < o.maxIterations; iterations++) {
    const { g, dg } = score(k);
    if (g > 0) lo = k;
    else hi = k;
    let next = k - g / dg;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const done = Math.abs(next - k) <= o.tolerance * k;
    k = next;
    if (done || hi - lo <= o.tolerance * k) break;
  }
  if (iterations >= o.maxIterations) throw new AnalyticsError("NOT_CONVERGED", `${fn}: no convergence in ${o.maxIterations} iterations; raise maxIterations`);
  let s0 = 0;
  for (let i = 0; i < n; i++) s0 += Math.exp(k * logx[i]);
  const scale = tMax * Math.pow(s0 / d, 1 / k);
  // Log-likelihood and observed information at (k, scale), in original units.
  const logScale = Math.log(scale);
  let ll = 0, sz = 0, szu = 0, szu2 = 0, sEventU = 0;
  for (let i = 0; i < n; i++) {
    const u = logx[i] + Math.log(tMax) - logScale; // log(t / lambda)
    const z = Math.exp(k * u);
    sz += z;
    szu += z * u;
    szu2 += z * u * u;
    if (event[i]) {
      sEventU += u;
      ll += Math.log(k) - logScale + (k - 1) * u;
    }
    ll -= z;
  }
  const hkk = -d / (k * k) - szu2;
  const hkl = -d / scale + (k * szu + sz) / scale;
  const hll = -(k / (scale * scale)) * (sz - d) - ((k * k) / (scale * scale)) * sz;
  void sEventU;
  const det = hkk * hll - hkl * hkl;
  // covariance = inverse of the observed information (-H).
  const vkk = -hll / det;
  const vll = -hkk / det;
  const vkl = hkl / det;
  const survival: number[] = [];
  const retention: number[] = [];
  for (let t = 0; t <= o.periods; t++) survival.push(t === 0 ? 1 : Math.exp(-Math.pow(t / scale, k)));
  for (let t = 1; t <= o.periods; t++) {
    // S(t)/S(t-1) = exp(-(t^k - (t-1)^k) / lambda^k), computed directly so it stays accurate when S is tiny.
    retention.push(Math.exp(-(Math.pow(t / scale, k) - Math.pow((t - 1) / scale, k))));
  }
  return {
    shape: k,
    scale,
    logLikelihood: ll,
    shapeSE: Math.sqrt(vkk),
    scaleSE: Math.sqrt(vll),
    covariance: [vkk, vkl, vkl, vll],
    n,
    events: d,
    iterations: iterations + 1,
    meanLifetime: scale * Math.exp(lgamma(1 + 1 / k)),
    survival,
    retention,
  };
}
