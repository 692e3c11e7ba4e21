/**
 * Contractual ("subscription") retention models fitted on cohort survivor counts: the
 * shifted-beta-geometric (sBG, Fader & Hardie 2007) and its generalisation, the
 * beta-discrete-Weibull (BdW, Fader, Hardie, Liu, Davin & Steenburgh 2018); survival and
 * retention curves, projected survivors, and DERL (Fader & Hardie 2010).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { digamma, hyp2f1, lgamma } from "../numeric/index.js";
import { FIT_DEFAULTS, finishFit, type Convergence } from "./data.js";
import { minimize, type Objective } from "./optimize.js";

/**
 * sBG parameters: each customer's per-period churn probability θ ~ Beta(alpha, beta).
 * @category CLV
 */
export interface SbgParams {
  /** First shape of the churn-probability beta distribution. */
  readonly alpha: number;
  /** Second shape of the churn-probability beta distribution. */
  readonly beta: number;
}

/**
 * BdW parameters: the sBG's beta mixture plus a duration-dependence exponent `c` (c < 1: a
 * customer's churn probability falls with tenure; c > 1: it rises; c = 1 is the sBG).
 * @category CLV
 */
export interface BdwParams extends SbgParams {
  /** Weibull exponent of the individual survival function (1 - θ)^(t^c). */
  readonly c: number;
}

interface CohortModelBase {
  /** Total log-likelihood of the survivor counts at `params`. */
  readonly logLikelihood: number;
  /** Customers in the cohorts (the sum of the period-0 counts). */
  readonly customers: number;
  /** Number of observed periods per cohort (the length of each survivor list minus 1). */
  readonly periods: readonly number[];
  /** The penalizer used. */
  readonly penalizer: number;
  /** How the optimiser ended. */
  readonly convergence: Convergence;
}

/**
 * A fitted sBG model: plain data, safe to serialise.
 * @category CLV
 */
export interface SbgModel extends CohortModelBase {
  /** Model tag. */
  readonly model: "sbg";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: SbgParams;
  /** Asymptotic standard errors (inverse Hessian, delta method); `null` when the Hessian is not positive definite (a parameter not identified). */
  readonly standardErrors: SbgParams | null;
}

/**
 * A fitted BdW model: plain data, safe to serialise.
 * @category CLV
 */
export interface BdwModel extends CohortModelBase {
  /** Model tag. */
  readonly model: "bdw";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: BdwParams;
  /** Asymptotic standard errors; `null` when the Hessian is not positive definite. */
  readonly standardErrors: BdwParams | null;
}

/**
 * A fitted contractual model.
 * @category CLV
 */
export type ContractualModel = SbgModel | BdwModel;

/**
 * Survivor counts of one cohort (`[n0, n1, ..., nT]`: customers at the start, still active
 * after 1, ..., T periods; non-increasing non-negative integers, n0 > 0), or several cohorts
 * sharing the parameters (each with its own length, e.g. cohorts acquired in different years).
 * @category CLV
 */
export type CohortSurvivors = readonly number[] | readonly (readonly number[])[];

/**
 * Options of {@link fitSbg} and {@link fitBdw}.
 * @category CLV
 */
export interface FitCohortOptions {
  /** L2 penalty `penalizer × Σ θ²` on the natural parameters, added to the mean negative log-likelihood. Default `0`. */
  penalizer?: number;
  /** Largest number of BFGS iterations. Default `500`. */
  maxIterations?: number;
  /** Stop when every gradient component of the mean negative log-likelihood (log parameters) is below this. Default `1e-9`. */
  tolerance?: number;
  /** Throw `AnalyticsError` `NOT_CONVERGED` instead of returning `convergence.converged === false`. Default `false`. */
  throwOnNonConvergence?: boolean;
}

/** Options of {@link fitSbg}. @category CLV */
export type FitSbgOptions = FitCohortOptions;
/** Options of {@link fitBdw}. @category CLV */
export type FitBdwOptions = FitCohortOptions;

/** Largest number of periods a cohort, a curve or a DERL sum may span (costs are linear in it). */
export const MAX_COHORT_PERIODS = 100_000;

/** Validate survivor lists: one list or several. */
function cohortsOf(data: CohortSurvivors, fn: string): number[][] {
  if (!Array.isArray(data) || data.length === 0) throw new InvalidOptionError(fn, "survivors", data, "a non-empty array of survivor counts [n0, n1, ...] (or an array of such arrays)");
  const lists: unknown[] = Array.isArray(data[0]) ? (data as unknown[]) : [data];
  const many = lists.length > 1 || Array.isArray(data[0]);
  const out: number[][] = [];
  lists.forEach((list, k) => {
    const where = (i: number) => (many ? `cohort ${k + 1}, period ${i}` : `period ${i}`);
    if (!Array.isArray(list) || list.length < 2) throw new InvalidRecordError(fn, { row: many ? k + 1 : 1, field: "survivors", value: list, expected: "at least two counts (the cohort size and the survivors after period 1)" });
    if (list.length - 1 > MAX_COHORT_PERIODS) throw new InvalidRecordError(fn, { row: many ? k + 1 : 1, field: "survivors", value: `${list.length} counts`, expected: `at most ${MAX_COHORT_PERIODS + 1} counts` });
    list.forEach((v: unknown, i: number) => {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new InvalidRecordError(fn, { row: where(i), field: "survivors", value: v, expected: "a non-negative integer count" });
      if (i === 0 && v === 0) throw new InvalidRecordError(fn, { row: where(0), field: "survivors", value: v, expected: "a cohort size > 0" });
      if (i > 0 && v > (list[i - 1] as number)) throw new InvalidRecordError(fn, { row: where(i), field: "survivors", value: v, expected: `at most ${list[i - 1] as number}, the survivors of period ${i - 1} (survivor counts cannot increase)` });
    });
    out.push(list as number[]);
  });
  return out;
}

function cohortSettings(options: FitCohortOptions, fn: string) {
  const o = withDefaults(FIT_DEFAULTS, options);
  if (!(typeof o.penalizer === "number" && Number.isFinite(o.penalizer) && o.penalizer >= 0)) throw new InvalidOptionError(fn, "penalizer", o.penalizer, "a finite number >= 0");
  if (!(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "an integer >= 1");
  if (!(typeof o.tolerance === "number" && o.tolerance > 0 && Number.isFinite(o.tolerance))) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a finite number > 0");
  return o;
}

/** ln B(p, q). */
const lbeta = (p: number, q: number) => lgamma(p) + lgamma(q) - lgamma(p + q);

/** ln S(t) = ln B(α, β + t^c) − ln B(α, β) and its gradient in (α, β, c) into `g` (when given). */
function logSurvival(alpha: number, beta: number, c: number, t: number, g: Float64Array | null, lb0: number, dab: number): number {
  if (t === 0) {
    if (g) g.fill(0);
    return 0;
  }
  const tc = c === 1 ? t : Math.pow(t, c);
  const v = lbeta(alpha, beta + tc) - lb0;
  if (g) {
    const dBig = digamma(alpha + beta + tc);
    const dbt = digamma(beta + tc);
    g[0] = dab - dBig; // ψ(α+β) − ψ(α+β+t^c)
    g[1] = dbt - dBig - digamma(beta) + dab;
    g[2] = (dbt - dBig) * tc * Math.log(t);
  }
  return v;
}

/** Mean negative log-likelihood of the cohorts on log parameters (k = 2: sBG, c = 1; k = 3: BdW). */
function cohortObjective(cohorts: number[][], k: 2 | 3, penalizer: number): { fg: Objective; logLik: (theta: readonly number[]) => number; N: number } {
  let N = 0;
  for (const s of cohorts) N += s[0];
  const gPrev = new Float64Array(3);
  const gCur = new Float64Array(3);
  const core = (alpha: number, beta: number, c: number, grad: Float64Array | null): number => {
    const lb0 = lbeta(alpha, beta);
    const dab = grad ? digamma(alpha + beta) : 0;
    let ll = 0;
    if (grad) grad.fill(0);
    for (const s of cohorts) {
      let lPrev = 0;
      if (grad) gPrev.fill(0);
      for (let t = 1; t < s.length; t++) {
        const lCur = logSurvival(alpha, beta, c, t, grad ? gCur : null, lb0, dab);
        const died = s[t - 1] - s[t];
        if (died > 0) {
          // ln P(T = t) = ln S(t−1) + ln(1 − S(t)/S(t−1)); for c = 1, S(t)/S(t−1) = (β+t−1)/(α+β+t−1) exactly
          const R = c === 1 ? (beta + t - 1) / (alpha + beta + t - 1) : Math.exp(lCur - lPrev);
          const lP = c === 1 ? lPrev + Math.log(alpha / (alpha + beta + t - 1)) : lPrev + Math.log(-Math.expm1(lCur - lPrev));
          ll += died * lP;
          if (grad) for (let j = 0; j < 3; j++) grad[j] += (died * (gPrev[j] - R * gCur[j])) / (1 - R);
        }
        if (grad) gPrev.set(gCur);
        lPrev = lCur;
      }
      const last = s[s.length - 1];
      ll += last * lPrev;
      if (grad) for (let j = 0; j < 3; j++) grad[j] += last * gPrev[j];
    }
    return ll;
  };
  const g3 = new Float64Array(3);
  const fg: Objective = (u, grad) => {
    const theta = Array.from(u, Math.exp);
    if (!theta.every((v) => v > 0 && Number.isFinite(v))) return Infinity;
    const ll = core(theta[0], theta[1], k === 3 ? theta[2] : 1, g3);
    let pen = 0;
    for (let j = 0; j < k; j++) {
      pen += theta[j] * theta[j];
      grad[j] = (-g3[j] * theta[j]) / N + 2 * penalizer * theta[j] * theta[j];
    }
    const f = -ll / N + penalizer * pen;
    return Number.isFinite(f) && grad.every(Number.isFinite) ? f : Infinity;
  };
  return { fg, logLik: (th) => core(th[0], th[1], k === 3 ? th[2] : 1, null), N };
}

/** Estimates outside [1e-6, 1e6] are taken as a boundary (a parameter not identified). */
const IDENTIFIED_MIN = 1e-6;
const IDENTIFIED_MAX = 1e6;

function fitCohorts(data: CohortSurvivors, options: FitCohortOptions, k: 2 | 3, fn: string) {
  const o = cohortSettings(options, fn);
  const cohorts = cohortsOf(data, fn);
  const { fg, logLik, N } = cohortObjective(cohorts, k, o.penalizer);
  const starts = k === 2 ? [[1, 1], [0.5, 3], [3, 0.5]] : [[1, 1, 1], [0.5, 2, 0.7], [0.5, 2, 1.5]];
  let best: ReturnType<typeof minimize> | null = null;
  // a few starting points: the cohort likelihood is not convex in (ln α, ln β, ln c)
  for (const s of starts) {
    const res = minimize(fg, s.map(Math.log), { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3 });
    if (best === null || (res.f < best.f && Number.isFinite(res.f)) || (!best.convergence.converged && res.convergence.converged && res.f <= best.f + 1e-9)) best = res;
    if (res.convergence.converged && k === 2) break;
  }
  const res = best!;
  if (!Number.isFinite(res.f)) throw new AnalyticsError("NOT_CONVERGED", `${fn}: the likelihood is not finite at any starting point; check the survivor counts`);
  const { theta, se } = finishFit(res, N, fn, o.throwOnNonConvergence);
  let convergence = res.convergence;
  // Not identified: no churn at all (α → 0), everybody gone at once (β → 0), a single period
  // (only α/(α+β) is), ...: the optimiser walks to a boundary where the gradient vanishes, so
  // "converged" must be overruled here.
  const why = cohorts.every((s) => s[s.length - 1] === s[0])
    ? "nobody churned"
    : cohorts.every((s) => s[1] === 0)
      ? "everybody churned in the first period"
      : cohorts.every((s) => s.length === 2)
        ? "a single period observed identifies only α/(α+β)"
        : se === null
          ? "singular information matrix"
          : theta.some((v) => !(v >= IDENTIFIED_MIN && v <= IDENTIFIED_MAX))
            ? "an estimate at the boundary (outside [1e-6, 1e6]; for the sBG, large α and β with a fixed ratio mean no heterogeneity: a plain geometric model)"
            : null;
  if (why !== null) {
    const message = `the parameters are not identified by these survivor counts (estimates ${theta.map((v) => v.toPrecision(3)).join(", ")}): ${why}`;
    convergence = { ...convergence, converged: false, message };
    if (o.throwOnNonConvergence) throw new AnalyticsError("NOT_CONVERGED", `${fn}: ${message}`);
  }
  return { theta, se: convergence.converged ? se : null, logLikelihood: logLik(theta), N, periods: cohorts.map((s) => s.length - 1), penalizer: o.penalizer, convergence };
}

/**
 * Fit the shifted-beta-geometric (sBG) retention model to cohort survivor counts.
 *
 * @remarks
 * Fader & Hardie (2007), "How to project customer retention", J. Interactive Marketing 21(1).
 * Each customer renews at the end of every period with probability 1 − θ, θ ~ Beta(α, β)
 * across customers, so P(T = t) = B(α+1, β+t−1)/B(α, β) and the survival function is
 * S(t) = B(α, β+t)/B(α, β). A cohort with survivors n0 ≥ n1 ≥ ... ≥ nT contributes
 * LL = Σ_{t=1..T} (n_{t−1} − n_t) ln P(T = t) + n_T ln S(T) (eq. 6). Maximised by BFGS on
 * (ln α, ln β) with the analytic gradient; standard errors from the observed information.
 * On the paper's data (years 0–7) this gives Regular α = 0.704, β = 1.182 and High End
 * α = 0.668, β = 3.806, as published. When nobody churns (or everybody churns at once) the
 * parameters are not identified: the fit then reports `converged: false` or
 * `standardErrors: null` (a boundary estimate, outside [1e-6, 1e6], or a singular information
 * matrix, is reported as not converged).
 *
 * @param survivors - one cohort's survivor counts `[n0, n1, ...]`, or several cohorts.
 * @param options - see {@link FitCohortOptions}.
 * @returns the fitted {@link SbgModel}.
 * @throws {@link InvalidRecordError} naming the period (and cohort) of a count that is negative, not an integer, or larger than the one before it.
 * @throws {@link InvalidOptionError} for a bad option or no counts.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * const m = fitSbg([1000, 631, 468, 382, 326, 289, 262, 241]); // "Regular" customers
 * [m.params.alpha.toFixed(3), m.params.beta.toFixed(3)];
 * //=> ["0.704", "1.182"]
 * ```
 * @category CLV
 */
export function fitSbg(survivors: CohortSurvivors, options: FitSbgOptions = {}): SbgModel {
  const f = fitCohorts(survivors, options, 2, "fitSbg");
  return {
    model: "sbg",
    params: { alpha: f.theta[0], beta: f.theta[1] },
    logLikelihood: f.logLikelihood,
    customers: f.N,
    periods: f.periods,
    standardErrors: f.se ? { alpha: f.se[0], beta: f.se[1] } : null,
    penalizer: f.penalizer,
    convergence: f.convergence,
  };
}

/**
 * Fit the beta-discrete-Weibull (BdW) retention model to cohort survivor counts.
 *
 * @remarks
 * Fader, Hardie, Liu, Davin & Steenburgh (2018), "'How to project customer retention'
 * revisited: the role of duration dependence", J. Interactive Marketing 43. A customer with
 * churn parameter θ ~ Beta(α, β) survives t periods with probability (1 − θ)^(t^c), so
 * S(t) = B(α, β + t^c)/B(α, β); c = 1 is the sBG ({@link fitSbg}), c < 1 lets each customer's
 * churn probability fall with tenure, c > 1 rise. Same likelihood as the sBG with
 * P(T = t) = S(t−1) − S(t) (computed as S(t−1)·(−expm1(ln S(t) − ln S(t−1))), no
 * cancellation); BFGS on (ln α, ln β, ln c) from three starting points, the best kept.
 *
 * @param survivors - one cohort's survivor counts `[n0, n1, ...]`, or several cohorts.
 * @param options - see {@link FitCohortOptions}.
 * @returns the fitted {@link BdwModel}.
 * @throws {@link InvalidRecordError} for a bad count (period, value).
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * const m = fitBdw([1000, 869, 743, 653, 593, 551, 517, 491]); // "High End" customers
 * m.params.c.toFixed(3);
 * //=> "1.724"
 * ```
 * @category CLV
 */
export function fitBdw(survivors: CohortSurvivors, options: FitBdwOptions = {}): BdwModel {
  const f = fitCohorts(survivors, options, 3, "fitBdw");
  return {
    model: "bdw",
    params: { alpha: f.theta[0], beta: f.theta[1], c: f.theta[2] },
    logLikelihood: f.logLikelihood,
    customers: f.N,
    periods: f.periods,
    standardErrors: f.se ? { alpha: f.se[0], beta: f.se[1], c: f.se[2] } : null,
    penalizer: f.penalizer,
    convergence: f.convergence,
  };
}

const positive = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;

function checkContractual(model: ContractualModel, fn: string): { alpha: number; beta: number; c: number } {
  const m = model as unknown as { model?: unknown; params?: Record<string, unknown> } | null;
  const keys = m?.model === "sbg" ? ["alpha", "beta"] : m?.model === "bdw" ? ["alpha", "beta", "c"] : null;
  if (!keys || !m?.params || !keys.every((k) => positive(m.params?.[k]))) {
    throw new InvalidOptionError(fn, "model", m?.model ?? model, 'a fitted "sbg" or "bdw" model with positive finite parameters (from fitSbg / fitBdw)');
  }
  const p = m.params as { alpha: number; beta: number; c?: number };
  return { alpha: p.alpha, beta: p.beta, c: m.model === "bdw" ? p.c! : 1 };
}

function checkPeriods(v: unknown, fn: string, option: string): number {
  if (!(typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX_COHORT_PERIODS)) throw new InvalidOptionError(fn, option, v, `an integer from 0 to ${MAX_COHORT_PERIODS}`);
  return v;
}

/**
 * A model's survival and retention curves over periods 0..T.
 * @category CLV
 */
export interface RetentionCurve {
  /** S(t) = P(still a customer after t periods), t = 0..T (S(0) = 1). */
  readonly survival: Float64Array;
  /** Retention rate r_t = S(t)/S(t−1), t = 0..T (entry 0 is NaN-free: it holds 1). */
  readonly retention: Float64Array;
  /** P(T = t): share of the cohort lost in period t, t = 0..T (entry 0 holds 0). */
  readonly churn: Float64Array;
}

/**
 * Options of {@link retentionCurve}.
 * @category CLV
 */
export interface RetentionCurveOptions {
  /** Last period T of the curve (an integer, at most {@link MAX_COHORT_PERIODS}). Required. */
  periods: number;
}

/**
 * Survival, retention-rate and churn curves of a fitted contractual model.
 *
 * @remarks
 * S(t) = B(α, β + t^c)/B(α, β) (c = 1 for the sBG), r_t = S(t)/S(t−1), P(T = t) = S(t−1) − S(t).
 * For the sBG, r_t = (β + t − 1)/(α + β + t − 1) (Fader & Hardie 2007, eq. 4) rises with t:
 * heterogeneity, not individual loyalty, makes aggregate retention increase (the paper's
 * point). O(T).
 *
 * @param model - a fitted sBG or BdW model.
 * @param options - see {@link RetentionCurveOptions}.
 * @returns the three curves, index = period.
 * @throws {@link InvalidOptionError} for an invalid model or `periods`.
 * @example
 * ```ts
 * const m = { model: "sbg", params: { alpha: 0.704, beta: 1.182 } } as SbgModel;
 * Array.from(retentionCurve(m, { periods: 3 }).retention, (r) => +r.toFixed(3));
 * //=> [1, 0.627, 0.756, 0.819]
 * ```
 * @category CLV
 */
export function retentionCurve(model: ContractualModel, options: RetentionCurveOptions): RetentionCurve {
  const fn = "retentionCurve";
  const { alpha, beta, c } = checkContractual(model, fn);
  const T = checkPeriods(options?.periods, fn, "periods");
  const lb0 = lbeta(alpha, beta);
  const survival = new Float64Array(T + 1);
  const retention = new Float64Array(T + 1);
  const churn = new Float64Array(T + 1);
  survival[0] = 1;
  retention[0] = 1;
  let lPrev = 0;
  for (let t = 1; t <= T; t++) {
    const l = logSurvival(alpha, beta, c, t, null, lb0, 0);
    survival[t] = Math.exp(l);
    retention[t] = c === 1 ? (beta + t - 1) / (alpha + beta + t - 1) : Math.exp(l - lPrev);
    churn[t] = c === 1 ? survival[t - 1] * (alpha / (alpha + beta + t - 1)) : -Math.exp(lPrev) * Math.expm1(l - lPrev);
    lPrev = l;
  }
  return { survival, retention, churn };
}

/**
 * Options of {@link projectSurvivors}.
 * @category CLV
 */
export interface ProjectSurvivorsOptions {
  /** Cohort size n0 (customers at period 0). Default `1`, giving the survival curve itself. */
  cohortSize?: number;
  /** Last period to project (an integer, at most {@link MAX_COHORT_PERIODS}). Required. */
  periods: number;
}

/**
 * Expected survivors of a cohort after each period: n0 · S(t), t = 0..periods.
 *
 * @remarks
 * The projection of Fader & Hardie (2007, Figures 3–4): fit on the observed years, then read
 * the later years off the fitted survival function. On the paper's Regular cohort (fitted on
 * years 0–7) the projected survivors of years 8–12 are 220.1, 204.4, 191.2, 179.9, 170.0 per
 * 1,000 (High End: 460.4, 435.8, 414.2, 395.1, 378.0).
 *
 * @param model - a fitted sBG or BdW model.
 * @param options - see {@link ProjectSurvivorsOptions}.
 * @returns a `Float64Array` of expected survivors, index = period.
 * @throws {@link InvalidOptionError} for an invalid model, `cohortSize` (a finite number >= 0) or `periods`.
 * @example
 * ```ts
 * const m = { model: "sbg", params: { alpha: 0.704, beta: 1.182 } } as SbgModel;
 * Array.from(projectSurvivors(m, { cohortSize: 1000, periods: 2 }), (v) => +v.toFixed(1));
 * //=> [1000, 626.7, 473.8]
 * ```
 * @category CLV
 */
export function projectSurvivors(model: ContractualModel, options: ProjectSurvivorsOptions): Float64Array {
  const fn = "projectSurvivors";
  checkContractual(model, fn);
  const n0 = options?.cohortSize ?? 1;
  if (!(typeof n0 === "number" && Number.isFinite(n0) && n0 >= 0)) throw new InvalidOptionError(fn, "cohortSize", n0, "a finite number >= 0");
  const T = checkPeriods(options?.periods, fn, "periods");
  const s = retentionCurve(model, { periods: T }).survival;
  for (let t = 0; t <= T; t++) s[t] *= n0;
  return s;
}

/**
 * Options of {@link discountedExpectedResidualLifetime}.
 * @category CLV
 */
export interface DiscountedExpectedResidualLifetimeOptions {
  /** Discount rate per period, in [0.001, 10]. Default `0.1`. */
  discountRate?: number;
}

/** Bounds of the DERL discount rate: below 0.001 the series needs more than ~2e5 terms. */
const DERL_MIN_RATE = 0.001;
const DERL_MAX_RATE = 10;

function derlRate(options: DiscountedExpectedResidualLifetimeOptions | undefined, fn: string): number {
  const d = options?.discountRate ?? 0.1;
  if (!(typeof d === "number" && d >= DERL_MIN_RATE && d <= DERL_MAX_RATE)) throw new InvalidOptionError(fn, "discountRate", d, `a number from ${DERL_MIN_RATE} to ${DERL_MAX_RATE} (per period)`);
  return d;
}

/** DERL of a customer with `renewals` renewals. */
function derlOne(p: { alpha: number; beta: number; c: number }, renewals: number, d: number, fn: string): number {
  const { alpha, beta, c } = p;
  const n = renewals + 1;
  if (c === 1) {
    // Fader & Hardie (2010), eq. (6): (β+n−1)/(α+β+n−1) · 2F1(1, β+n; α+β+n; 1/(1+d))
    return ((beta + n - 1) / (alpha + beta + n - 1)) * hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + d));
  }
  // BdW: no closed form; Σ_{t>=n} S(t)/S(n−1) (1+d)^−(t−n), positive terms falling at least as
  // fast as (1+d)^−k, summed until a term is below 1e-17 of the sum
  const lb0 = lbeta(alpha, beta);
  const l0 = logSurvival(alpha, beta, c, n - 1, null, lb0, 0);
  const lz = -Math.log1p(d);
  let sum = 0;
  for (let k = 0; k < 10 * MAX_COHORT_PERIODS; k++) {
    const term = Math.exp(logSurvival(alpha, beta, c, n + k, null, lb0, 0) - l0 + k * lz);
    sum += term;
    if (term <= 1e-17 * sum) return sum;
  }
  throw new AnalyticsError("NOT_CONVERGED", `${fn}: the BdW residual-lifetime sum for ${renewals} renewals did not converge in ${10 * MAX_COHORT_PERIODS} terms`);
}

/**
 * A customer's renewal count, as {@link discountedExpectedResidualLifetime} reads it.
 * @category CLV
 */
export interface ContractualCustomer {
  /** Customer id. */
  readonly customerId: string;
  /** Renewals made so far (0 = in the first period, about to make the first renewal decision). */
  readonly renewals: number;
}

/**
 * A customer's discounted expected residual lifetime.
 * @category CLV
 */
export interface CustomerDerl {
  /** Customer id. */
  readonly customerId: string;
  /** DERL: expected discounted number of future payments, the imminent renewal counted in full. */
  readonly derl: number;
}

function derlColumnOf(p: { alpha: number; beta: number; c: number }, renewals: ArrayLike<number>, d: number, fn: string, ids?: readonly string[]): Float64Array {
  const out = new Float64Array(renewals.length);
  const cache = new Map<number, number>();
  for (let i = 0; i < renewals.length; i++) {
    const r = renewals[i];
    if (!(typeof r === "number" && Number.isInteger(r) && r >= 0 && r <= MAX_COHORT_PERIODS)) {
      throw new InvalidRecordError(fn, { row: ids?.[i] ?? i + 1, field: "renewals", value: r, expected: `an integer from 0 to ${MAX_COHORT_PERIODS}` });
    }
    let v = cache.get(r);
    if (v === undefined) {
      v = derlOne(p, r, d, fn);
      cache.set(r, v);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Discounted expected residual lifetime (DERL) of each customer of a contractual business.
 *
 * @remarks
 * Fader & Hardie (2010), "Customer-base valuation in a contractual setting: the perils of
 * ignoring heterogeneity", Marketing Science 29(1), eq. (6). A customer who has made n − 1
 * renewals (`renewals`) is about to decide on the n-th; DERL is the expected number of
 * payments from then on, the one at that renewal counted in full and each later one
 * discounted by (1 + d) per period: DERL = Σ_{t≥n} S(t)/S(n−1) (1+d)^−(t−n). For the sBG,
 * DERL = (β+n−1)/(α+β+n−1) · 2F1(1, β+n; α+β+n; 1/(1+d)), evaluated with the shared `hyp2f1`
 * kernel (positive terms; it needs about 37/d terms, hence the lower bound 0.001 on d). For
 * the BdW the sum itself (no closed form). Multiply by the margin per period for the
 * residual value of a customer (the paper's "DERV"). DERL rises with renewals: the customers
 * still here are the loyal ones. Each distinct renewal count is evaluated once.
 *
 * @param model - a fitted sBG or BdW model.
 * @param customers - `{ customerId, renewals }` records.
 * @param options - see {@link DiscountedExpectedResidualLifetimeOptions}.
 * @returns one `{ customerId, derl }` per customer, in input order.
 * @throws {@link InvalidRecordError} for a renewal count that is not an integer in [0, 100000] (row = customer id).
 * @throws {@link InvalidOptionError} for an invalid model or discount rate.
 * @example
 * ```ts
 * const m = { model: "sbg", params: { alpha: 0.704, beta: 1.182 } } as SbgModel;
 * discountedExpectedResidualLifetime(m, [{ customerId: "a", renewals: 0 }, { customerId: "b", renewals: 4 }], { discountRate: 0.1 })
 *   .map((c) => c.derl.toFixed(2));
 * //=> ["2.96", "5.89"]
 * ```
 * @category CLV
 */
export function discountedExpectedResidualLifetime(
  model: ContractualModel,
  customers: readonly ContractualCustomer[],
  options: DiscountedExpectedResidualLifetimeOptions = {},
): CustomerDerl[] {
  const fn = "discountedExpectedResidualLifetime";
  const p = checkContractual(model, fn);
  const d = derlRate(options, fn);
  if (!Array.isArray(customers)) throw new InvalidOptionError(fn, "customers", customers, "an array of { customerId, renewals } records");
  const ids = customers.map((c, i) => {
    if (c === null || typeof c !== "object" || typeof c.customerId !== "string") throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: (c as { customerId?: unknown } | null)?.customerId ?? c, expected: "a string" });
    return c.customerId;
  });
  const v = derlColumnOf(p, customers.map((c) => c.renewals), d, fn, ids);
  return ids.map((customerId, i) => ({ customerId, derl: v[i] }));
}

/**
 * DERL of every customer as a column: the columnar form of
 * {@link discountedExpectedResidualLifetime}, same numbers.
 *
 * @remarks
 * Same formula; each distinct renewal count is evaluated once, so a million customers with
 * a few dozen distinct tenures cost a few dozen series. O(n + distinct · terms).
 *
 * @param model - a fitted sBG or BdW model.
 * @param renewals - renewals made per customer (integers >= 0).
 * @param options - see {@link DiscountedExpectedResidualLifetimeOptions}.
 * @returns a new `Float64Array`, row `i` = DERL of customer `i`.
 * @throws {@link InvalidRecordError} for a bad renewal count (1-based row).
 * @throws {@link InvalidOptionError} for an invalid model or discount rate.
 * @example
 * ```ts
 * const m = { model: "sbg", params: { alpha: 0.668, beta: 3.806 } } as SbgModel;
 * Array.from(discountedExpectedResidualLifetimeColumn(m, Int32Array.of(0, 1)), (v) => +v.toFixed(3));
 * //=> [5.415, 5.902]
 * ```
 * @category CLV
 */
export function discountedExpectedResidualLifetimeColumn(
  model: ContractualModel,
  renewals: ArrayLike<number>,
  options: DiscountedExpectedResidualLifetimeOptions = {},
): Float64Array {
  const fn = "discountedExpectedResidualLifetimeColumn";
  const p = checkContractual(model, fn);
  const d = derlRate(options, fn);
  if (renewals === null || typeof renewals !== "object" || typeof renewals.length !== "number") throw new InvalidOptionError(fn, "renewals", renewals, "an array (or typed array) of renewal counts");
  return derlColumnOf(p, renewals, d, fn);
}
