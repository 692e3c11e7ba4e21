/**
 * Gamma-Gamma model of the mean transaction value (Fader, Hardie & Lee 2005b; Fader & Hardie
 * 2013, "The Gamma-Gamma Model of Monetary Value").
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import {
  finishFit,
  distinctIndex,
  fitInput,
  fitSettings,
  requireCustomers,
  spendExclusions,
  type ClvColumns,
  type ClvData,
  type Convergence,
  type Exclusion,
  type FitOptions,
} from "./data.js";
import { overflowError } from "../value/overflow.js";
import { minimize, type Objective } from "./optimize.js";
import { digamma, lgamma } from "../numeric/index.js";

/**
 * Gamma-Gamma parameters: each transaction value ~ Gamma(p, ν), the customer's ν ~ Gamma(q, γ).
 * @category CLV
 */
export interface GammaGammaParams {
  /** Shape of the transaction-value gamma distribution. */
  readonly p: number;
  /** Shape of the gamma distribution of ν across customers. */
  readonly q: number;
  /** Rate (in money units) of the gamma distribution of ν; lifetimes calls it `v`. */
  readonly gamma: number;
}

/**
 * A fitted Gamma-Gamma model: plain data.
 * @category CLV
 */
export interface GammaGammaModel {
  /** Model tag. */
  readonly model: "gamma-gamma";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: GammaGammaParams;
  /** Total log-likelihood at `params` over the customers with x > 0 (without the penalty). */
  readonly logLikelihood: number;
  /** Number of customers fitted (those with x > 0 and a positive mean repeat spend). */
  readonly customers: number;
  /**
   * Customers left out of the fit, by reason: repeat buyers whose mean repeat spend is 0 or
   * negative (`"non-positive-spend"`, e.g. returns netted against purchases). Empty when none.
   */
  readonly excluded: readonly Exclusion[];
  /** Standard errors from the inverse Hessian; `null` when it is not positive definite. */
  readonly standardErrors: GammaGammaParams | null;
  /**
   * Asymptotic covariance of the log parameters (ln of each parameter, in the order of `params`),
   * the inverse observed information of the (penalised) log-likelihood, row-major k×k; `null`
   * when the information is not positive definite, absent on hand-made models. Used by
   * {@link predictionIntervals}.
   */
  readonly logCovariance?: readonly number[] | null;
  /** The penalizer used. */
  readonly penalizer: number;
  /** How the optimiser ended. */
  readonly convergence: Convergence;
}

/**
 * Options of {@link fitGammaGamma}.
 * @category CLV
 */
export interface FitGammaGammaOptions extends FitOptions {
  /** Starting values. Default `{ p: 1, q: 1, gamma: mean monetary value }`. */
  initial?: GammaGammaParams;
}

/**
 * The repeat buyers with a positive mean spend (and, with `weights`, a positive weight): their x,
 * mean and weight (the rest carry no spend information).
 */
function repeaters(c: ClvColumns, weights: Float64Array | undefined): { x: Float64Array; m: Float64Array; w: Float64Array | null } {
  const keep = (i: number) => c.x[i] > 0 && c.m[i] > 0 && (!weights || weights[i] > 0);
  let n = 0;
  for (let i = 0; i < c.x.length; i++) if (keep(i)) n++;
  const x = new Float64Array(n);
  const m = new Float64Array(n);
  const w = weights ? new Float64Array(n) : null;
  let j = 0;
  for (let i = 0; i < c.x.length; i++) {
    if (keep(i)) {
      x[j] = c.x[i];
      if (w) w[j] = weights![i];
      m[j++] = c.m[i];
    }
  }
  return { x, m, w };
}

/**
 * Fit the Gamma-Gamma spend model on the customers with at least one repeat purchase.
 *
 * @remarks
 * With x repeat purchases of mean value z̄ (Fader & Hardie 2013, eq. 4):
 * ln f(z̄ | p, q, γ, x) = ln Γ(px+q) - ln Γ(px) - ln Γ(q) + q ln γ + (px-1) ln z̄ + px ln x
 * - (px+q) ln(γ + x z̄). Customers with x = 0 carry no spend information and are skipped.
 * Repeat buyers whose mean repeat spend is 0 or negative (returns netted against purchases) are
 * outside the model (it is defined for positive amounts): they are left out of the fit and
 * counted in `excluded` (reason `"non-positive-spend"`, with the first five ids), as `lifetimes`
 * users do by hand with `summary[summary.monetary_value > 0]`.
 * BFGS on ln θ with the analytic gradient (digamma terms once per distinct x). On CDNOW's 946
 * repeat buyers: p = 6.25, q = 3.74, γ = 15.45 (published 15.44; see docs/clv.md).
 *
 * @param data - calibration summaries with `monetaryValue`, a `CalibrationTable` (or any {@link ClvTableInput} with `monetaryValue`; read in place), or a transaction log (records or a `TransactionTable`) with `options.calibrationEnd`.
 * @param options - see {@link FitGammaGammaOptions}.
 * @returns the fitted {@link GammaGammaModel}.
 * @throws {@link InvalidRecordError} for an invalid customer, or x > 0 with a `monetaryValue` that is not a finite number.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when no customer has x > 0 and a positive mean spend; `NOT_CONVERGED` with `throwOnNonConvergence`;
 * `OVERFLOW` when the amounts are so large that the fitted gamma is beyond the largest double
 * (amounts are fitted in power-of-two units, so only a gamma past 1.8e308 fails).
 * @example
 * ```ts
 * const m = fitGammaGamma([
 *   { customerId: "a", x: 2, t_x: 30, T: 38, monetaryValue: 20 }, { customerId: "b", x: 1, t_x: 5, T: 38, monetaryValue: 45 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39, monetaryValue: 31 }, { customerId: "d", x: 3, t_x: 9, T: 36, monetaryValue: 12 },
 * ], { penalizer: 0.001 });
 * m.customers;
 * //=> 4
 * ```
 * @example
 * ```ts
 * // "r" returned more than it bought: left out of the fit, counted
 * const m = fitGammaGamma([
 *   { customerId: "a", x: 2, t_x: 30, T: 38, monetaryValue: 20 }, { customerId: "b", x: 1, t_x: 5, T: 38, monetaryValue: 45 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39, monetaryValue: 31 }, { customerId: "d", x: 3, t_x: 9, T: 36, monetaryValue: 12 },
 *   { customerId: "r", x: 2, t_x: 12, T: 39, monetaryValue: -302.75 },
 * ], { penalizer: 0.001 });
 * [m.customers, m.excluded];
 * //=> [4, [{ reason: "non-positive-spend", count: 1, examples: ["r"] }]]
 * ```
 * @category CLV
 */
export function fitGammaGamma(data: ClvData, options: FitGammaGammaOptions = {}): GammaGammaModel {
  const fn = "fitGammaGamma";
  const o = fitSettings(options, fn);
  return fitGammaGammaColumns(fitInput(data, options, fn, true), o, options.initial, fn);
}

/**
 * The Gamma-Gamma fit on validated columns (with `m`), each row standing for `weights[i]`
 * identical customers (default 1; weights >= 0, integers or not; rows of weight 0 are left
 * out): the weighted twin of `fitBgNbdColumns`. `customers` and the `excluded` count are total
 * weights. @internal
 */
export function fitGammaGammaColumns(
  cols: ClvColumns,
  o: { penalizer: number; maxIterations: number; tolerance: number; throwOnNonConvergence: boolean },
  initial: GammaGammaParams | undefined,
  fn: string,
  weights?: Float64Array,
): GammaGammaModel {
  const { x, m, w } = repeaters(cols, weights);
  const { excluded } = spendExclusions(cols, weights);
  let N = x.length;
  if (w) {
    N = 0;
    for (let i = 0; i < w.length; i++) N += w[i];
  }
  requireCustomers(N, fn, excluded.length > 0 ? `customers with x > 0 and a positive mean spend (${excluded[0].count} repeat buyers have a mean spend <= 0)` : "customers with x > 0");
  const n = x.length; // rows (N customers)
  // The model is scale-equivariant (spend in units of c: same p and q, gamma / c). Amounts far
  // from 1 (1e200: exp steps of the optimiser overflow) are fitted in units of a power of two
  // (exact) and the result is scaled back; amounts within 2^±64 are fitted as they are.
  // (wi = 1 without weights: every product by wi below is exact, so the unweighted fit is the
  // same to the bit as before weights existed.)
  let mean0 = 0;
  for (let i = 0; i < n; i++) mean0 += ((w ? w[i] : 1) * m[i]) / N;
  const unit = mean0 > 2 ** 64 || mean0 < 2 ** -64 ? 2 ** Math.round(Math.log2(mean0)) : 1;
  if (unit !== 1) for (let i = 0; i < n; i++) m[i] /= unit;
  const { values: xs, index } = distinctIndex(x);
  const K = xs.length;
  const xw = new Float64Array(K);
  for (let i = 0; i < n; i++) xw[index[i]] += w ? w[i] : 1;
  const lnm = new Float64Array(n);
  const lnx = new Float64Array(n);
  let sumXlnm = 0;
  let sumLnm = 0;
  let sumXlnx = 0;
  let meanM = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    lnm[i] = Math.log(m[i]);
    lnx[i] = Math.log(x[i]);
    sumXlnm += wi * x[i] * lnm[i];
    sumLnm += wi * lnm[i];
    sumXlnx += wi * x[i] * lnx[i];
    meanM += (wi * m[i]) / N;
  }
  const pen = o.penalizer;
  const core = (p: number, q: number, g: number, grad: Float64Array | null): number => {
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    const lgq = lgamma(q);
    const dgq = grad ? digamma(q) : 0;
    for (let k = 0; k < K; k++) {
      const xv = xs[k];
      ll += xw[k] * (lgamma(p * xv + q) - lgamma(p * xv) - lgq);
      if (grad) {
        const d1 = digamma(p * xv + q);
        gp += xw[k] * xv * (d1 - digamma(p * xv));
        gq += xw[k] * (d1 - dgq);
      }
    }
    const lng = Math.log(g);
    ll += N * q * lng + p * (sumXlnm + sumXlnx) - sumLnm;
    if (grad) {
      gq += N * lng;
      gp += sumXlnm + sumXlnx;
      gg += (N * q) / g;
    }
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      const xi = x[i];
      const den = g + xi * m[i];
      const lden = Math.log(den);
      const px = p * xi + q;
      ll -= wi * px * lden;
      if (grad) {
        gp -= wi * xi * lden;
        gq -= wi * lden;
        gg -= (wi * px) / den;
      }
    }
    if (grad) {
      grad[0] = gp;
      grad[1] = gq;
      grad[2] = gg;
    }
    return ll;
  };
  const g3 = new Float64Array(3);
  const fg: Objective = (u, grad) => {
    const th = [Math.exp(u[0]), Math.exp(u[1]), Math.exp(u[2])];
    if (!th.every((v) => v > 0 && Number.isFinite(v))) return Infinity;
    const ll = core(th[0], th[1], th[2], g3);
    let pn = 0;
    for (let j = 0; j < 3; j++) {
      pn += th[j] * th[j];
      grad[j] = (-g3[j] * th[j]) / N + 2 * pen * th[j] * th[j];
    }
    const f = -ll / N + pen * pn;
    return Number.isFinite(f) ? f : Infinity;
  };
  const start = initial ? { ...initial, gamma: initial.gamma / unit } : { p: 1, q: 1, gamma: meanM };
  const res = minimize(fg, [start.p, start.q, start.gamma].map(Math.log), { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3 });
  const { theta, se, cov } = finishFit(res, N, fn, o.throwOnNonConvergence);
  const params: GammaGammaParams = { p: theta[0], q: theta[1], gamma: theta[2] * unit };
  if (!Number.isFinite(params.gamma)) throw overflowError(fn, `the fitted gamma (${theta[2].toPrecision(6)} x 2^${Math.log2(unit)})`);
  // density of m = density of m / unit, divided by unit: ll drops by N ln(unit)
  const logLikelihood = core(theta[0], theta[1], theta[2], null) - (unit === 1 ? 0 : N * Math.log(unit));
  return {
    model: "gamma-gamma",
    params,
    logLikelihood,
    customers: N,
    excluded,
    standardErrors: se ? { p: se[0], q: se[1], gamma: se[2] * unit } : null,
    logCovariance: cov,
    penalizer: o.penalizer,
    convergence: res.convergence,
  };
}

/** Check q > 1 (finite mean spend). @internal */
export function requireFiniteMean(model: GammaGammaModel, fn: string): void {
  if (!(model.params.q > 1)) {
    throw new InvalidOptionError(fn, "spendModel.params.q", model.params.q, "a number > 1 (with q <= 1 the Gamma-Gamma mean spend is infinite)");
  }
}

/** E[Z | x, z̄] = (γ + x z̄) p / (p x + q - 1); x = 0 gives the population mean p γ / (q - 1). @internal */
export function ggConditionalSpend(par: GammaGammaParams, x: number, m: number): number {
  return (par.p * (par.gamma + x * m)) / (par.p * x + par.q - 1);
}
