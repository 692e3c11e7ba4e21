/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987; likelihood as in Fader & Hardie 2005,
 * "A Note on Deriving the Pareto/NBD Model and Related Expressions"): likelihood, fit, and the
 * per-customer formulas.
 * @module
 */
import {
  finishFit,
  dedupeTriples,
  distinctIndex,
  fitInput,
  fitSettings,
  requireCustomers,
  type ClvColumns,
  type ClvData,
  type Convergence,
  type FitOptions,
} from "./data.js";
import { minimize, type Objective } from "./optimize.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { adaptiveSimpson, digamma, expm1Ratio, hyp2f1, lgamma, logAddExp } from "../numeric/index.js";
import { logParetoIntegral, logParetoIntegralGrad, logParetoIntegralScaled } from "../numeric/pareto.js";

/**
 * Pareto/NBD parameters: purchase rates λ ~ Gamma(r, α), dropout rates μ ~ Gamma(s, β).
 * @category CLV
 */
export interface ParetoNbdParams {
  /** Shape of the purchase-rate gamma distribution. */
  readonly r: number;
  /** Rate of the purchase-rate gamma distribution. */
  readonly alpha: number;
  /** Shape of the dropout-rate gamma distribution. */
  readonly s: number;
  /** Rate of the dropout-rate gamma distribution. */
  readonly beta: number;
}

/**
 * A fitted Pareto/NBD model: plain data.
 * @category CLV
 */
export interface ParetoNbdModel {
  /** Model tag. */
  readonly model: "pareto-nbd";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: ParetoNbdParams;
  /** Total log-likelihood at `params` (without the penalty). */
  readonly logLikelihood: number;
  /** Number of customers fitted. */
  readonly customers: number;
  /** Standard errors from the inverse Hessian; `null` when it is not positive definite. */
  readonly standardErrors: ParetoNbdParams | null;
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
 * Options of {@link fitParetoNbd}.
 * @category CLV
 */
export interface FitParetoNbdOptions extends FitOptions {
  /** Starting values (inside the `parameterLimit` box). Default `{ r: 1, alpha: mean T, s: 1, beta: mean T }`. */
  initial?: ParetoNbdParams;
  /**
   * Largest number of likelihood evaluations (each one pass over the distinct (x, t_x, T) rows;
   * line-search trials, the final Hessian and the Newton polish included), an integer >= 10:
   * the fit stops there with `convergence.converged === false`. Default `1000` (CDNOW takes 39).
   */
  maxEvaluations?: number;
  /**
   * Bound on the parameters, a number > 1: the fit keeps r and s within
   * [1/parameterLimit, parameterLimit] and α and β within that factor of the mean T (the
   * starting point), and stops with `convergence.converged === false` when an iterate reaches
   * the bound (a ridge: see the remarks of {@link fitParetoNbd}). Default `1e4` (BTYD's
   * `max.param.value`).
   */
  parameterLimit?: number;
}

/** Defaults of the options of {@link fitParetoNbd} beyond the shared {@link FitOptions}. @internal */
export const PARETO_FIT_DEFAULTS = Object.freeze({ maxEvaluations: 1000, parameterLimit: 1e4 });

const PARAM_NAMES = ["r", "alpha", "s", "beta"] as const;

/**
 * The Pareto/NBD likelihood's two terms A1 = (α+T)^-(r+x) (β+T)^-s and
 * A2 = s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ, both divided by A1: returns
 * [0, ln(A2/A1)] (ln(A2/A1) = -Infinity when T = t_x), so P(alive) = e^0/(e^0 + e^ln(A2/A1)).
 * ln(A2/A1) is {@link logParetoIntegralScaled}, never ln A2 − ln A1: those two are near −1200
 * at x = 300 and their difference kept only their absolute error (P(alive) 4e-13 relative off
 * at x = 300, 1.6e-12 at x = 5000). @internal
 */
export function paretoTerms(p: ParetoNbdParams, x: number, tx: number, T: number): [number, number] {
  return [0, Math.log(p.s) + logParetoIntegralScaled(p.r + x, p.s, p.alpha, p.beta, tx, T)];
}

/**
 * Log-likelihood of one customer:
 * ln Γ(r+x) - ln Γ(r) + r ln α + s ln β + ln(e^A1 + e^A2). @internal
 */
export function paretoLogLik(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const m = p.r + x;
  const a1 = -m * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const a2 = Math.log(p.s) + logParetoIntegral(m, p.s, p.alpha, p.beta, tx, T);
  return lgamma(p.r + x) - lgamma(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta) + logAddExp(a1, a2);
}

/**
 * Fit the Pareto/NBD model by maximum likelihood.
 *
 * @remarks
 * Likelihood (Fader & Hardie 2005 note, eq. 19-22) written as
 * L = Γ(r+x) α^r β^s / Γ(r) · [(α+T)^-(r+x) (β+T)^-s + s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ];
 * the integral equals the published difference of two Gauss hypergeometric 2F1 values, but is
 * evaluated here as one series of positive terms (expanding around max(α, β)) in log space
 * with rescaling, so there is no cancellation and no overflow for large x or T (the usual
 * NaN of the 2F1 difference). Identical (x, t_x, T) rows are grouped. BFGS on ln θ with the
 * analytic gradient (the series differentiated term by term).
 * On CDNOW (weeks): r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL = -9595.0, as published.
 *
 * Ridges: when the data cannot tell customers' dropout rates apart (say a window where nearly
 * everyone bought once, long ago), the likelihood rises without end as s and β grow together
 * with s/β fixed (likewise r and α for purchase rates); each evaluation there gets costlier (the
 * integral needs quadrature). The fit keeps r and s within [1/parameterLimit, parameterLimit]
 * and α and β within that factor of the mean T, and stops with `converged: false` and a message
 * naming the parameter when an iterate reaches that bound; it also stops after `maxEvaluations`
 * likelihood evaluations. Neither binds on a fit with an optimum inside (CDNOW is the same to
 * the bit); on a 300-customer degenerate window the fit ends in 43 evaluations instead of
 * walking to s = 37,759 in 202 (34 s).
 *
 * @param data - calibration summaries, a `CalibrationTable` (or any {@link ClvTableInput}; read in place), or a transaction log (records or a `TransactionTable`) with `options.calibrationEnd`.
 * @param options - see {@link FitParetoNbdOptions}.
 * @returns the fitted {@link ParetoNbdModel}.
 * @throws {@link InvalidRecordError} for an invalid customer (named by id).
 * @throws {@link InvalidOptionError} for a bad option (`initial` outside the `parameterLimit` box included).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no customers; `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * const m = fitParetoNbd([
 *   { customerId: "a", x: 2, t_x: 30, T: 38 }, { customerId: "b", x: 0, t_x: 0, T: 38 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39 }, { customerId: "d", x: 1, t_x: 2, T: 36 },
 * ], { penalizer: 0.01 });
 * m.model;
 * //=> "pareto-nbd"
 * ```
 * @category CLV
 */
export function fitParetoNbd(data: ClvData, options: FitParetoNbdOptions = {}): ParetoNbdModel {
  const fn = "fitParetoNbd";
  const o = fitSettings(options, fn);
  const { maxEvaluations, parameterLimit } = withDefaults(PARETO_FIT_DEFAULTS, { maxEvaluations: options.maxEvaluations, parameterLimit: options.parameterLimit });
  if (!(Number.isInteger(maxEvaluations) && maxEvaluations >= 10)) throw new InvalidOptionError(fn, "maxEvaluations", maxEvaluations, "an integer >= 10");
  if (!(typeof parameterLimit === "number" && parameterLimit > 1 && Number.isFinite(parameterLimit))) throw new InvalidOptionError(fn, "parameterLimit", parameterLimit, "a finite number > 1");
  const cols = fitInput(data, options, fn);
  requireCustomers(cols.x.length, fn);
  return fitParetoNbdColumns(cols, { ...o, maxEvaluations, parameterLimit }, options.initial, fn);
}

/**
 * The Pareto/NBD fit on validated columns. Without `weights`, identical (x, t_x, T) rows are
 * grouped first (what {@link fitParetoNbd} does); with them, each row stands for `weights[i]`
 * identical customers (weights > 0, integers or not; rows are taken as given, not grouped), the
 * weighted twin of `fitBgNbdColumns`. The mean T of the box and of the default start is the
 * weighted mean; `customers` is the total weight. @internal
 */
export function fitParetoNbdColumns(
  cols: ClvColumns,
  o: { penalizer: number; maxIterations: number; tolerance: number; throwOnNonConvergence: boolean; maxEvaluations: number; parameterLimit: number },
  initial: ParetoNbdParams | undefined,
  fn: string,
  weights?: Float64Array,
): ParetoNbdModel {
  const { maxEvaluations, parameterLimit } = o;
  let meanT = 0;
  let N: number;
  let d: { x: Float64Array; tx: Float64Array; T: Float64Array; w: Float64Array };
  if (weights) {
    N = 0;
    for (let i = 0; i < cols.T.length; i++) {
      meanT += weights[i] * cols.T[i];
      N += weights[i];
    }
    d = { x: cols.x, tx: cols.tx, T: cols.T, w: weights };
  } else {
    N = cols.x.length;
    for (let i = 0; i < N; i++) meanT += cols.T[i];
    d = dedupeTriples(cols);
  }
  const K = d.x.length;
  meanT = Math.max(meanT / N, 1e-3);
  const { lower, upper } = paretoBox(meanT, parameterLimit);
  const start = initial ?? { r: 1, alpha: meanT, s: 1, beta: meanT };
  const u0 = start !== null && typeof start === "object" ? [start.r, start.alpha, start.s, start.beta].map(Math.log) : [];
  if (!(u0.length === 4 && u0.every((v, j) => v >= lower[j] && v <= upper[j]))) {
    throw new InvalidOptionError(fn, "initial", start, `{ r, alpha, s, beta } with r and s in [1/parameterLimit, parameterLimit] and alpha and beta within that factor of the mean T (${meanT.toPrecision(4)})`);
  }
  const pen = o.penalizer;
  const { values: xs, index: xi } = distinctIndex(d.x);
  const lgx = new Float64Array(xs.length);
  const dgx = new Float64Array(xs.length);
  const gi = new Float64Array(4);
  const gsum = new Float64Array(4);
  // total log-likelihood and (when grad) its gradient in natural parameters
  const core = (p: ParetoNbdParams, grad: Float64Array | null): number => {
    const { r, alpha, s, beta } = p;
    for (let j = 0; j < xs.length; j++) {
      lgx[j] = lgamma(r + xs[j]);
      if (grad) dgx[j] = digamma(r + xs[j]);
    }
    const lr = lgamma(r);
    const dr = grad ? digamma(r) : 0;
    const la = Math.log(alpha);
    const lb = Math.log(beta);
    const ls = Math.log(s);
    let ll = N * (r * la + s * lb - lr);
    gsum.fill(0);
    for (let k = 0; k < K; k++) {
      const x = d.x[k];
      const m = r + x;
      const w = d.w[k];
      const laT = Math.log(alpha + d.T[k]);
      const lbT = Math.log(beta + d.T[k]);
      const lnA1 = -m * laT - s * lbT;
      const lnI = grad ? logParetoIntegralGrad(m, s, alpha, beta, d.tx[k], d.T[k], gi) : logParetoIntegral(m, s, alpha, beta, d.tx[k], d.T[k]);
      const lnA2 = ls + lnI;
      const lse = logAddExp(lnA1, lnA2);
      ll += w * (lgx[xi[k]] + lse);
      if (grad) {
        const w1 = Math.exp(lnA1 - lse);
        const w2 = lnA2 === -Infinity ? 0 : Math.exp(lnA2 - lse);
        gsum[0] += w * (dgx[xi[k]] - w1 * laT + w2 * gi[0]);
        gsum[1] += w * ((-w1 * m) / (alpha + d.T[k]) + w2 * gi[1]);
        gsum[2] += w * (-w1 * lbT + w2 * (1 / s + gi[2]));
        gsum[3] += w * ((-w1 * s) / (beta + d.T[k]) + w2 * gi[3]);
      }
    }
    if (grad) {
      grad[0] = gsum[0] + N * (la - dr);
      grad[1] = gsum[1] + (N * r) / alpha;
      grad[2] = gsum[2] + N * lb;
      grad[3] = gsum[3] + (N * s) / beta;
    }
    return ll;
  };
  const logLik = (p: ParetoNbdParams): number => core(p, null);
  const g4 = new Float64Array(4);
  const fg: Objective = (u, grad) => {
    const th = [Math.exp(u[0]), Math.exp(u[1]), Math.exp(u[2]), Math.exp(u[3])];
    if (!th.every((v) => v > 0 && Number.isFinite(v))) return Infinity;
    let ll: number;
    try {
      ll = core({ r: th[0], alpha: th[1], s: th[2], beta: th[3] }, g4);
    } catch (e) {
      // the likelihood integral could not be evaluated at this trial point: the line search
      // treats it as a bad step and backs off (the final point is always evaluated cleanly)
      if (e instanceof AnalyticsError && e.code === "NOT_CONVERGED") return Infinity;
      throw e;
    }
    let pn = 0;
    for (let j = 0; j < 4; j++) {
      pn += th[j] * th[j];
      grad[j] = (-g4[j] * th[j]) / N + 2 * pen * th[j] * th[j];
    }
    const v = -ll / N + pen * pn;
    return Number.isFinite(v) && grad.every(Number.isFinite) ? v : Infinity;
  };
  const fit = minimize(fg, u0, { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3, maxEvaluations, lower, upper });
  const res = { ...fit, convergence: { ...fit.convergence, message: paretoStopMessage(fit.convergence.message, fit.atBound, fit.u, maxEvaluations, parameterLimit, meanT) } };
  const { theta, se, cov } = finishFit(res, N, fn, o.throwOnNonConvergence);
  const params: ParetoNbdParams = { r: theta[0], alpha: theta[1], s: theta[2], beta: theta[3] };
  return {
    model: "pareto-nbd",
    params,
    logLikelihood: logLik(params),
    customers: N,
    standardErrors: se ? { r: se[0], alpha: se[1], s: se[2], beta: se[3] } : null,
    logCovariance: cov,
    penalizer: o.penalizer,
    convergence: res.convergence,
  };
}

/**
 * The box on ln(r, α, s, β) of a Pareto/NBD fit: ln r and ln s within ±ln(parameterLimit) of 0,
 * ln α and ln β within it of ln(mean T) (the starting point). @internal
 */
export function paretoBox(meanT: number, parameterLimit: number = PARETO_FIT_DEFAULTS.parameterLimit): { lower: number[]; upper: number[] } {
  const L = Math.log(parameterLimit);
  const centre = [0, Math.log(meanT), 0, Math.log(meanT)];
  return { lower: centre.map((c) => c - L), upper: centre.map((c) => c + L) };
}

/** The optimiser's message, made specific when it stopped on the evaluation budget or the parameter box. @internal */
export function paretoStopMessage(message: string, atBound: readonly number[], u: ArrayLike<number>, maxEvaluations: number, parameterLimit: number, meanT: number, limitIsOption = true): string {
  if (atBound.length === 0) return message.replace("maximum evaluations reached", `maximum evaluations reached (maxEvaluations ${maxEvaluations})`);
  const j = atBound[0] < 0 ? ~atBound[0] : atBound[0];
  const high = atBound[0] >= 0;
  const th = Array.from(u, Math.exp);
  const fmt = (v: number) => String(Number(v.toPrecision(4)));
  const name = PARAM_NAMES[j];
  const bound = j % 2 === 0 ? `${high ? "" : "1/"}parameterLimit = ${high ? parameterLimit : 1 / parameterLimit}` : `mean T ${high ? "×" : "/"} parameterLimit = ${fmt(high ? meanT * parameterLimit : meanT / parameterLimit)}`;
  const why = !high
    ? `towards ${name} → 0`
    : j >= 2
      ? `as it does along the ridge s, beta → ∞ with s/beta fixed (every customer with the same dropout rate, here s/beta = ${fmt(th[2] / th[3])} per time unit), where no Pareto/NBD optimum exists`
      : `as it does along the ridge r, alpha → ∞ with r/alpha fixed (every customer with the same purchase rate, here r/alpha = ${fmt(th[0] / th[1])} per time unit), where no Pareto/NBD optimum exists`;
  return `${name} reached its bound (${name} = ${fmt(th[j])}, ${bound}) with the likelihood still rising, ${why}; the estimates are where the fit stopped, not a maximum. A penalizer gives a finite optimum${limitIsOption ? "; raise parameterLimit only if estimates beyond it are plausible" : ""}`;
}

/**
 * P(alive at T) under Pareto/NBD: e^A1 / (e^A1 + e^A2) = 1/(1 + A2/A1), from ln(A2/A1) of
 * {@link paretoTerms}. @internal
 */
export function paretoPAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const [a1, a2] = paretoTerms(p, x, tx, T);
  if (a2 === -Infinity) return 1;
  return Math.exp(a1 - logAddExp(a1, a2));
}

/**
 * E[Y(t) | x, t_x, T] under Pareto/NBD:
 * (r+x)(β+T)/((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)] · P(alive), continuous at s = 1.
 * x = 0, T = 0 gives E[X(t)] of a new customer. @internal
 */
export function paretoConditional(p: ParetoNbdParams, x: number, tx: number, T: number, t: number): number {
  if (t === 0) return 0;
  const pa = T === 0 && x === 0 ? 1 : paretoPAlive(p, x, tx, T);
  return paretoAliveExpectation(p, x, T, t) * pa;
}

/** E[Y(t) | x, T, alive at T] under Pareto/NBD. @internal */
export function paretoAliveExpectation(p: ParetoNbdParams, x: number, T: number, t: number): number {
  if (t === 0) return 0;
  const L = Math.log1p(t / (p.beta + T));
  const ratio = expm1Ratio(-(p.s - 1), L); // [1 - e^{-(s-1)L}] / (s-1)
  return (((p.r + x) * (p.beta + T)) / (p.alpha + T)) * ratio;
}

/**
 * How often {@link paretoPmf} fell back to quadrature because a closed-form series did not
 * converge (counted since the module was loaded; the tests read it). @internal
 */
export const paretoPmfFallbacks = { count: 0 };

/** Terms of the upper sum Σ_{i>k} T_i before {@link paretoPmf} gives up on it (and integrates instead). */
const PMF_TAIL_TERMS = 5000;
/** A series whose ratio z needs about 40/(1 − z) terms; beyond this estimate the dead part is integrated. */
const SERIES_TERMS_ESTIMATE = 100_000;

/**
 * P(X(t) = k) for a new customer under Pareto/NBD, in closed form (Fader & Hardie, "Deriving the
 * Conditional PMF of the Pareto/NBD Model", note 028, the new-customer case of eq. 16: the
 * conditional pmf is this at the posterior parameters, forecast.ts). @internal
 *
 * @remarks
 * Given (λ, μ), P(X(t) = k) = (λt)^k e^(−(λ+μ)t)/k! (alive at t) + λ^k μ/(λ+μ)^(k+1) · P(G ≤ t),
 * G ~ Gamma(k+1, λ+μ) (dropped out after k purchases). The alive part mixes to
 * NB(k; r, α/(α+t)) · (β/(β+t))^s. For the dead part, expand P(G ≤ t) = Σ_{i>k} e^(−(λ+μ)t)((λ+μ)t)^i/i!
 * and mix each term over λ ~ Gamma(r, α), μ ~ Gamma(s, β) (polar coordinates λ = ρp, μ = ρ(1−p),
 * then Euler's integral of 2F1):
 * T_i = t^i/i! · Γ(r+s+i) B(r+k, s+1)/(Γ(r)Γ(s)) · α^r β^s H^−(r+s+i) · F_i,
 * with H = max(α, β) + t and F_i = 2F1(r+s+i, s+1; r+s+k+1; (α−β)/(α+t)) when α >= β,
 * 2F1(r+s+i, r+k; r+s+k+1; (β−α)/(β+t)) otherwise (for i <= k by Euler's transformation,
 * (1−z)^(1−i−r) 2F1(k+1−i, s+1; r+s+k+1; z), whose series is short for a large r = r+x). Every
 * T_i is positive and Σ_{i>=0} T_i = S = E[λ^k μ/(λ+μ)^(k+1)] is the same expression at t = 0.
 * The dead part is S − Σ_{i<=k} T_i (the published form) when that head is at most half of S,
 * else the upper sum Σ_{i>k} T_i itself, so at most one bit is lost to cancellation (the
 * published difference loses digits where P(G ≤ t) is small: a low-rate customer, a large k).
 * All factors in logs, the gamma-function ratios as sums of logs. When min(α, β) is below ~4e-4
 * of the other (a series would need over 100,000 terms), or a 2F1 series or the upper sum does
 * not converge, the dead part is integrated over the dropout time instead (adaptive Simpson, the
 * earlier method, about 1e-9 relative; `NOT_CONVERGED` when it fails too) and
 * {@link paretoPmfFallbacks} counts it.
 */
export function paretoPmf(p: ParetoNbdParams, k: number, t: number): number {
  if (t === 0) return k === 0 ? 1 : 0;
  const { r, alpha, s, beta } = p;
  const lnb = lnGammaRatio(r, k) - lgamma(k + 1);
  const alive = Math.exp(lnb + r * Math.log(alpha / (alpha + t)) + (k > 0 ? k * Math.log(t / (alpha + t)) : 0) + s * Math.log(beta / (beta + t)));
  const dead = paretoDeadPmf(r, alpha, s, beta, k, t);
  if (dead !== null) return alive + dead;
  paretoPmfFallbacks.count++;
  return alive + paretoDeadQuadrature(p, k, t);
}

/** The dead part of {@link paretoPmf} in closed form; `null` when a series does not converge. */
function paretoDeadPmf(r: number, alpha: number, s: number, beta: number, k: number, t: number): number | null {
  const aGeB = alpha >= beta;
  const c = r + s + k + 1;
  // ln of Γ(r+s+i) B(r+k, s+1) / (Γ(r) Γ(s)) = ln[Γ(r+k)/Γ(r)] + ln s + ln[Γ(r+s+i)/Γ(r+s+k+1)]:
  // the gamma ratios as sums of logs (below), since for a large r = r+x each ln Γ is large and
  // their difference would keep only its absolute error (1e-12 at x = 300)
  const lnG = lnGammaRatio(r, k) + Math.log(s);
  const lnGs = lnG - lnGammaRatio(r + s, k + 1); // i = 0
  // ln F_i at the argument z = |α−β|/H, 1 − z = L/H (L = min(α, β) + τ, H = max(α, β) + τ)
  const lnF = (i: number, z: number, ln1mz: number): number => {
    if (aGeB) return Math.log(hyp2f1(r + s + i, s + 1, c, z));
    if (i <= k) return (1 - i - r) * ln1mz + Math.log(hyp2f1(k + 1 - i, s + 1, c, z));
    return Math.log(hyp2f1(r + s + i, r + k, c, z));
  };
  try {
    // S: i = 0 at t = 0; the powers α^r β^s H0^−(r+s) as one ratio to the power of r or s
    const z0 = Math.abs(alpha - beta) / Math.max(alpha, beta);
    // min(α, β) so far below the other that a series at z0 (ratio z0) or the upper sum (ratio
    // t/(min(α, β)+t), when needed) would run into hundreds of thousands of terms: integrate instead
    if (!(40 / (1 - z0) <= SERIES_TERMS_ESTIMATE)) return null;
    const lnS = lnGs + (aGeB ? s * Math.log(beta / alpha) : r * Math.log(alpha / beta)) + lnF(0, z0, aGeB ? Math.log(beta / alpha) : Math.log(alpha / beta));
    const At = alpha + t;
    const Bt = beta + t;
    const H = Math.max(At, Bt);
    const zt = Math.abs(alpha - beta) / H;
    const ln1mzt = Math.log(Math.min(At, Bt) / H);
    const base = r * Math.log(alpha / H) + s * Math.log(beta / H);
    const lt = Math.log(t / H);
    // lg = ln of Γ(r+s+i) B(r+k, s+1)/(Γ(r)Γ(s)), updated by ln(r+s+i) from one i to the next
    const lnT = (i: number, lg: number) => base + lg - lgamma(i + 1) + i * lt + lnF(i, zt, ln1mzt);
    const S = Math.exp(lnS);
    let head = 0;
    let lg = lnGs;
    for (let i = 0; i <= k; i++) {
      head += Math.exp(lnT(i, lg));
      lg += Math.log(r + s + i);
    }
    if (head <= 0.5 * S) return S - head;
    // the upper sum: its terms fall at least as fast as t/(min(α, β) + t) once past their peak
    const rhoInf = t / (Math.min(alpha, beta) + t);
    if (!(40 / (1 - rhoInf) <= SERIES_TERMS_ESTIMATE)) return null;
    let tail = 0;
    let prev = Infinity;
    lg = lnG; // i = k + 1: Γ(r+s+k+1)/Γ(r+s+k+1)
    for (let i = k + 1; i <= k + PMF_TAIL_TERMS; i++) {
      const v = Math.exp(lnT(i, lg));
      lg += Math.log(r + s + i);
      tail += v;
      const rho = Math.max(v / prev, rhoInf);
      prev = v;
      if (!Number.isFinite(tail)) return null;
      if (rho < 1 && v <= 1e-17 * tail + Number.MIN_VALUE && (v * rho) / (1 - rho) <= 1e-16 * tail) return tail;
      if (tail === 0 && i > k + 50) return 0;
    }
    return null;
  } catch (e) {
    if (e instanceof AnalyticsError && e.code === "NOT_CONVERGED") return null;
    throw e;
  }
}

/** ln Γ(a+n) − ln Γ(a) for an integer n >= 0: a sum of n logs for small n (accurate for any a), else by lgamma. */
function lnGammaRatio(a: number, n: number): number {
  if (n > 64) return lgamma(a + n) - lgamma(a);
  let v = 0;
  for (let j = 0; j < n; j++) v += Math.log(a + j);
  return v;
}

/**
 * The dead part of {@link paretoPmf} as an integral over the dropout time τ in (0, t) of
 * NBD(k; τ) · s β^s (β+τ)^−(s+1): adaptive Simpson on 64 panels (the fallback; about 1e-9
 * relative).
 */
function paretoDeadQuadrature(p: ParetoNbdParams, k: number, t: number): number {
  const { r, alpha, s, beta } = p;
  const c = lgamma(r + k) - lgamma(r) - lgamma(k + 1);
  const lnb = (tau: number) => c + r * Math.log(alpha / (alpha + tau)) + (k > 0 ? k * Math.log(tau / (alpha + tau)) : 0);
  const dens = (tau: number) => (tau <= 0 ? (k === 0 ? s / beta : 0) : Math.exp(lnb(tau) + Math.log(s) + s * Math.log(beta) - (s + 1) * Math.log(beta + tau)));
  // split [0, t] into panels so narrow peaks are not missed by the adaptive rule
  const panels = 64;
  let dead = 0;
  for (let i = 0; i < panels; i++) {
    const q = adaptiveSimpson(dens, (t * i) / panels, (t * (i + 1)) / panels, { tolerance: 1e-13, maxDepth: 30 });
    if (!q.converged || !Number.isFinite(q.value)) {
      throw new AnalyticsError("NOT_CONVERGED", `probabilityOfPurchases: the Pareto/NBD dropout integral for k = ${k}, t = ${t} did not converge on panel ${i + 1} of ${panels} (estimated error ${q.error.toExponential(2)})`);
    }
    dead += q.value;
  }
  return dead;
}
