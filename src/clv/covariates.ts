/**
 * Time-invariant covariates for Pareto/NBD and BG/NBD in CLVTools' parameterisation
 * (Bachmann et al., CLVTools `pnbd`/`bgnbd` with static covariates): fit with standard errors
 * for every parameter, per-customer parameters, and predictions that use each customer's own
 * covariates.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { digamma, hyp2f1, lgamma, logAddExp } from "../numeric/index.js";
import { logParetoIntegral, logParetoIntegralGrad } from "../numeric/pareto.js";
import { bgAliveExpectation, fitBgNbdColumns, type BgNbdParams } from "./bgnbd.js";
import { withDefaults } from "../core/options.js";
import { checkConvergence, dedupeTriples, fitSettings, requireCustomers, tableColumns, toColumns, isClvTable, type ClvColumns, type ClvCustomer, type ClvTableInput, type Convergence, type FitOptions } from "./data.js";
import { invertSpd, minimize, type Objective } from "./optimize.js";
import { fitParetoNbd, paretoAliveExpectation, paretoBox, paretoPAlive, paretoStopMessage, PARETO_FIT_DEFAULTS, type ParetoNbdParams } from "./paretonbd.js";

/**
 * One covariate: a name and one value per customer, in the row order of the customers.
 * @category CLV
 */
export interface CovariateColumn {
  /** Name (any string; unique within its process). */
  readonly name: string;
  /** One finite value per customer, in the customers' row order. */
  readonly values: ArrayLike<number>;
}

/**
 * Time-invariant covariates of the two processes. The same covariate may appear in both.
 * @category CLV
 */
export interface StaticCovariates {
  /** Covariates of the dropout ("lifetime") process. Default none. */
  readonly life?: readonly CovariateColumn[];
  /** Covariates of the transaction process. Default none. */
  readonly trans?: readonly CovariateColumn[];
}

/**
 * One estimated covariate effect γ.
 * @category CLV
 */
export interface CovariateEffect {
  /** Covariate name. */
  readonly name: string;
  /** Estimate of γ. */
  readonly estimate: number;
  /** Asymptotic standard error (inverse observed information); `null` when the information is not positive definite. */
  readonly standardError: number | null;
}

/** Fields shared by the two covariate models. */
interface CovariateModelBase {
  /** Dropout-process effects γ_life, in the order given. */
  readonly life: readonly CovariateEffect[];
  /** Transaction-process effects γ_trans, in the order given. */
  readonly trans: readonly CovariateEffect[];
  /**
   * Asymptotic covariance (inverse observed information) of (ln r, ln α, ln s|a, ln β|b, γ_life…,
   * γ_trans…), row-major; `null` when the information is not positive definite.
   */
  readonly covariance: readonly number[] | null;
  /** Total log-likelihood at the estimates (without the penalty). */
  readonly logLikelihood: number;
  /** Log-likelihood of the same model without covariates fitted to the same customers (for a likelihood-ratio test: 2·(LL − this) ~ χ² with as many degrees of freedom as effects). */
  readonly logLikelihoodWithoutCovariates: number;
  /** Customers fitted. */
  readonly customers: number;
  /** Distinct (x, t_x, T, covariates) rows the likelihood was summed over. */
  readonly distinctRows: number;
  /** The penalizer used (on the four population parameters at the covariate means). */
  readonly penalizer: number;
  /** How the optimiser ended (`converged: false` also when the information matrix is singular). */
  readonly convergence: Convergence;
}

/**
 * A fitted Pareto/NBD model with time-invariant covariates: plain data. Customer i has
 * α_i = α·exp(−γ_trans'z_i) and β_i = β·exp(−γ_life'z_i); `params` are the values at z = 0.
 * @category CLV
 */
export interface ParetoNbdCovariatesModel extends CovariateModelBase {
  /** Model tag. */
  readonly model: "pareto-nbd-covariates";
  /** r, α, s, β at z = 0. */
  readonly params: ParetoNbdParams;
  /** Standard errors of `params` (delta method from `covariance`); `null` when not available. */
  readonly standardErrors: ParetoNbdParams | null;
}

/**
 * A fitted BG/NBD model with time-invariant covariates: plain data. Customer i has
 * α_i = α·exp(−γ_trans'z_i), a_i = a·exp(γ_life'z_i), b_i = b·exp(γ_life'z_i); `params` are the
 * values at z = 0.
 * @category CLV
 */
export interface BgNbdCovariatesModel extends CovariateModelBase {
  /** Model tag. */
  readonly model: "bg-nbd-covariates";
  /** r, α, a, b at z = 0. */
  readonly params: BgNbdParams;
  /** Standard errors of `params` (delta method from `covariance`); `null` when not available. */
  readonly standardErrors: BgNbdParams | null;
}

/**
 * A fitted covariate model.
 * @category CLV
 */
export type CovariatesModel = ParetoNbdCovariatesModel | BgNbdCovariatesModel;

/**
 * Options of {@link fitParetoNbdCovariates} and {@link fitBgNbdCovariates}: those of the fits
 * without covariates (`calibrationEnd`/`timeUnit` do not apply: pass summaries in the rows'
 * order of the covariates).
 * @category CLV
 */
export type FitCovariatesOptions = Omit<FitOptions, "calibrationEnd" | "timeUnit">;

/**
 * Options of {@link fitParetoNbdCovariates}: those of {@link FitCovariatesOptions} and an
 * evaluation budget.
 * @category CLV
 */
export interface FitParetoNbdCovariatesOptions extends FitCovariatesOptions {
  /**
   * Largest number of likelihood evaluations of the covariate fit (each one pass over the
   * distinct (x, t_x, T, covariates) rows; line-search trials, the final Hessian and the Newton
   * polish included), an integer >= 10 and >= 2k + 2 for k = 4 + the number of effects (the
   * final gradient and Hessian take 2k + 1): the fit stops there with
   * `convergence.converged === false`. The fit without covariates that gives the start has
   * {@link fitParetoNbd}'s own default budget. Default `1000` (the CLVTools reference fit on
   * CDNOW with four effects takes 56).
   */
  maxEvaluations?: number;
}

/**
 * Customer rows as the covariate fits read them: summaries or columns, in the row order of the covariate values.
 * @category CLV
 */
export type CovariatesData = readonly ClvCustomer[] | ClvTableInput;

/** A validated covariate set: raw values, means and standard deviations, by column. */
interface CovSet {
  names: string[];
  cols: Float64Array[];
  mean: number[];
  sd: number[];
}

function rowName(c: ClvColumns, i: number): string | number {
  return c.ids.length === c.x.length ? c.ids[i] : i + 1;
}

/** Validate one process's covariates: names, lengths, finite values, variance, full rank. */
function covSet(list: readonly CovariateColumn[] | undefined, which: "life" | "trans", c: ClvColumns, fn: string, checkDesign: boolean): CovSet {
  const n = c.x.length;
  const out: CovSet = { names: [], cols: [], mean: [], sd: [] };
  if (list === undefined) return out;
  if (!Array.isArray(list)) throw new InvalidOptionError(fn, `covariates.${which}`, list, "an array of { name, values } columns");
  const seen = new Set<string>();
  for (const col of list) {
    const name = (col as CovariateColumn | null)?.name;
    if (typeof name !== "string") throw new InvalidOptionError(fn, `covariates.${which}`, col, "columns { name: string, values: number[] }");
    if (seen.has(name)) throw new InvalidOptionError(fn, `covariates.${which}`, name, "unique covariate names within a process");
    seen.add(name);
    const v = col.values;
    if (v === null || typeof v !== "object" || typeof v.length !== "number" || v.length !== n) {
      throw new InvalidOptionError(fn, `covariates.${which}.${name}`, v === null || typeof v !== "object" ? v : `${v.length} values`, `${n} values, one per customer`);
    }
    const z = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) {
      const e: unknown = v[i];
      if (typeof e !== "number" || !Number.isFinite(e)) throw new InvalidRecordError(fn, { row: rowName(c, i), field: `covariates.${which}.${name}`, value: e, expected: "a finite number" });
      z[i] = e;
      s += e;
    }
    const mean = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (z[i] - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    if (checkDesign && !(sd > 1e-12 * Math.max(1, Math.abs(mean)))) {
      throw new InvalidOptionError(fn, `covariates.${which}.${name}`, `every customer ${z[0]}`, "a covariate that varies across customers (a constant is absorbed by the population parameters)");
    }
    out.names.push(name);
    out.cols.push(z);
    out.mean.push(mean);
    out.sd.push(sd);
  }
  if (checkDesign) checkRank(out, which, fn);
  return out;
}

/**
 * Rank of the standardised design: Cholesky of its correlation matrix; a pivot below 1e-10
 * means covariate j is (within rounding) a linear combination of the ones before it.
 */
function checkRank(s: CovSet, which: string, fn: string): void {
  const k = s.cols.length;
  if (k < 2) return;
  const n = s.cols[0].length;
  const R = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let v = 0;
      const za = s.cols[a];
      const zb = s.cols[b];
      for (let i = 0; i < n; i++) v += (za[i] - s.mean[a]) * (zb[i] - s.mean[b]);
      R[a * k + b] = R[b * k + a] = v / (n * s.sd[a] * s.sd[b]);
    }
  }
  const L = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let v = R[i * k + j];
      for (let m = 0; m < j; m++) v -= L[i * k + m] * L[j * k + m];
      if (i === j) {
        if (!(v > 1e-10)) {
          throw new InvalidOptionError(fn, `covariates.${which}.${s.names[i]}`, `residual variance ${v.toExponential(2)} of the correlation matrix`, `a covariate that is not a linear combination of ${s.names.slice(0, i).join(", ")} (the design has rank < ${k}; drop one)`);
        }
        L[i * k + i] = Math.sqrt(v);
      } else L[i * k + j] = v / L[j * k + j];
    }
  }
}

/** Rows of the customers, validated. */
function customerColumns(data: CovariatesData, fn: string): ClvColumns {
  if (isClvTable(data)) return tableColumns(data, fn);
  if (!Array.isArray(data)) throw new InvalidOptionError(fn, "data", data, "calibration summaries (records or columns) in the row order of the covariates");
  return toColumns(data as readonly ClvCustomer[], fn);
}

/** Distinct (x, t_x, T, z) rows with their weights; z standardised. */
interface Rows {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
  /** Standardised life covariates, row-major (rows × kl). */
  zl: Float64Array;
  /** Standardised trans covariates, row-major (rows × kt). */
  zt: Float64Array;
}

function distinctRows(c: ClvColumns, life: CovSet, trans: CovSet): Rows {
  const n = c.x.length;
  const kl = life.cols.length;
  const kt = trans.cols.length;
  const map = new Map<string, number>();
  const first: number[] = [];
  const wl: number[] = [];
  for (let i = 0; i < n; i++) {
    let key = `${c.x[i]},${c.tx[i]},${c.T[i]}`;
    for (let j = 0; j < kl; j++) key += `,${life.cols[j][i]}`;
    key += ";";
    for (let j = 0; j < kt; j++) key += `,${trans.cols[j][i]}`;
    const k = map.get(key);
    if (k === undefined) {
      map.set(key, first.length);
      first.push(i);
      wl.push(1);
    } else wl[k]++;
  }
  const K = first.length;
  const r: Rows = { x: new Float64Array(K), tx: new Float64Array(K), T: new Float64Array(K), w: Float64Array.from(wl), zl: new Float64Array(K * kl), zt: new Float64Array(K * kt) };
  for (let k = 0; k < K; k++) {
    const i = first[k];
    r.x[k] = c.x[i];
    r.tx[k] = c.tx[i];
    r.T[k] = c.T[i];
    for (let j = 0; j < kl; j++) r.zl[k * kl + j] = (life.cols[j][i] - life.mean[j]) / life.sd[j];
    for (let j = 0; j < kt; j++) r.zt[k * kt + j] = (trans.cols[j][i] - trans.mean[j]) / trans.sd[j];
  }
  return r;
}

/**
 * Per-row log-likelihood with its gradient in (r, α_i, θ3_i, θ4_i) (Pareto/NBD: s, β_i;
 * BG/NBD: a_i, b_i). Returns ll; writes the four partials into g when given.
 */
type RowLik = (r: number, alpha: number, p3: number, p4: number, x: number, tx: number, T: number, g: Float64Array | null) => number;

const paretoRow: RowLik = (r, alpha, s, beta, x, tx, T, g) => {
  const m = r + x;
  const laT = Math.log(alpha + T);
  const lbT = Math.log(beta + T);
  const lnA1 = -m * laT - s * lbT;
  const gi = GI;
  const lnI = g ? logParetoIntegralGrad(m, s, alpha, beta, tx, T, gi) : logParetoIntegral(m, s, alpha, beta, tx, T);
  const lnA2 = Math.log(s) + lnI;
  const lse = logAddExp(lnA1, lnA2);
  const la = Math.log(alpha);
  const lb = Math.log(beta);
  const ll = lgamma(m) - lgamma(r) + r * la + s * lb + lse;
  if (g) {
    const w1 = Math.exp(lnA1 - lse);
    const w2 = lnA2 === -Infinity ? 0 : Math.exp(lnA2 - lse);
    g[0] = digamma(m) - digamma(r) + la - w1 * laT + w2 * gi[0];
    g[1] = r / alpha - (w1 * m) / (alpha + T) + w2 * gi[1];
    g[2] = lb - w1 * lbT + w2 * (1 / s + gi[2]);
    g[3] = s / beta - (w1 * s) / (beta + T) + w2 * gi[3];
  }
  return ll;
};
const GI = new Float64Array(4);

const bgRow: RowLik = (r, alpha, a, b, x, tx, T, g) => {
  const m = r + x;
  const aT = alpha + T;
  const lT = Math.log(aT);
  const A = -m * lT;
  const la = Math.log(alpha);
  let ll = lgamma(m) - lgamma(r) + lgamma(b + x) - lgamma(a + b + x) - lgamma(b) + lgamma(a + b) + r * la;
  let wB = 0;
  let lt = 0;
  let at = 1;
  if (x > 0) {
    at = alpha + tx;
    lt = Math.log(at);
    const B = Math.log(a) - Math.log(b + x - 1) - m * lt;
    if (B > A) {
      const e = Math.exp(A - B);
      ll += B + Math.log1p(e);
      wB = 1 / (1 + e);
    } else {
      const e = Math.exp(B - A);
      ll += A + Math.log1p(e);
      wB = e / (1 + e);
    }
  } else ll += A;
  if (g) {
    const wA = 1 - wB;
    const dab = digamma(a + b);
    const dabx = digamma(a + b + x);
    g[0] = digamma(m) - digamma(r) + la - wA * lT - (x > 0 ? wB * lt : 0);
    g[1] = r / alpha - m * (wA / aT + (x > 0 ? wB / at : 0));
    g[2] = dab - dabx + (x > 0 ? wB / a : 0);
    g[3] = digamma(b + x) - dabx - digamma(b) + dab - (x > 0 ? wB / (b + x - 1) : 0);
  }
  return ll;
};

/**
 * Mean negative log-likelihood (+ penalty on the four population parameters) over the internal
 * vector u = (ln r, ln α', ln θ3', ln θ4', γ'_life…, γ'_trans…) on standardised covariates.
 * `lifeSign` is −1 for Pareto/NBD (β_i = β e^{−η}) and +1 for BG/NBD (a_i, b_i = a, b · e^{η});
 * Pareto/NBD scales θ4 only (β), BG/NBD scales θ3 and θ4 (a and b).
 */
function objective(rows: Rows, kl: number, kt: number, bg: boolean, penalizer: number): { fg: Objective; logLik: (u: ArrayLike<number>) => number } {
  const row = bg ? bgRow : paretoRow;
  const K = rows.x.length;
  let N = 0;
  for (let k = 0; k < K; k++) N += rows.w[k];
  const g = new Float64Array(4);
  const core = (u: ArrayLike<number>, grad: Float64Array | null): number => {
    const r = Math.exp(u[0]);
    const alpha0 = Math.exp(u[1]);
    const p30 = Math.exp(u[2]);
    const p40 = Math.exp(u[3]);
    if (grad) grad.fill(0);
    let ll = 0;
    for (let k = 0; k < K; k++) {
      let etaL = 0;
      for (let j = 0; j < kl; j++) etaL += u[4 + j] * rows.zl[k * kl + j];
      let etaT = 0;
      for (let j = 0; j < kt; j++) etaT += u[4 + kl + j] * rows.zt[k * kt + j];
      const alpha = alpha0 * Math.exp(-etaT);
      const sL = bg ? Math.exp(etaL) : Math.exp(-etaL);
      const p3 = bg ? p30 * sL : p30;
      const p4 = p40 * sL;
      const w = rows.w[k];
      ll += w * row(r, alpha, p3, p4, rows.x[k], rows.tx[k], rows.T[k], grad ? g : null);
      if (grad) {
        const dLnAlpha = w * alpha * g[1];
        const dLn3 = w * p3 * g[2];
        const dLn4 = w * p4 * g[3];
        grad[0] += w * r * g[0];
        grad[1] += dLnAlpha;
        grad[2] += dLn3;
        grad[3] += dLn4;
        // ∂/∂γ_life: BG/NBD a_i, b_i ∝ e^{η}: (a ∂a + b ∂b)·z; Pareto/NBD β_i ∝ e^{−η}: −β ∂β·z
        const dEtaL = bg ? dLn3 + dLn4 : -dLn4;
        for (let j = 0; j < kl; j++) grad[4 + j] += dEtaL * rows.zl[k * kl + j];
        for (let j = 0; j < kt; j++) grad[4 + kl + j] -= dLnAlpha * rows.zt[k * kt + j];
      }
    }
    return ll;
  };
  const fg: Objective = (u, grad) => {
    for (let j = 0; j < 4; j++) if (!(Math.abs(u[j]) < 700)) return Infinity;
    for (let j = 4; j < u.length; j++) if (!(Math.abs(u[j]) < 700)) return Infinity;
    let ll: number;
    try {
      ll = core(u, grad);
    } catch (e) {
      // the Pareto/NBD integral could not be evaluated at this trial point: a bad step
      if (e instanceof AnalyticsError && e.code === "NOT_CONVERGED") return Infinity;
      throw e;
    }
    let pen = 0;
    for (let j = 0; j < u.length; j++) grad[j] = -grad[j] / N;
    for (let j = 0; j < 4; j++) {
      const th = Math.exp(u[j]);
      pen += th * th;
      grad[j] += 2 * penalizer * th * th;
    }
    const f = -ll / N + penalizer * pen;
    return Number.isFinite(f) && grad.every(Number.isFinite) ? f : Infinity;
  };
  return { fg, logLik: (u) => core(u, null) };
}

/** Largest |γ| per standard deviation of a covariate accepted as an estimate (a factor e^10 = 22,000 on α or β). */
const MAX_STANDARDISED_EFFECT = 10;

/** Shared fit: validation, dedupe, start from the no-covariate fit, BFGS, back-transform. */
function fitCovariates(bg: boolean, data: CovariatesData, covariates: StaticCovariates, options: FitParetoNbdCovariatesOptions, fn: string): CovariatesModel {
  const o = fitSettings(options ?? {}, fn);
  // Pareto/NBD only (fitBgNbdCovariates has no budget): checked against k once the covariates are known
  const maxEvaluations = bg ? undefined : withDefaults(PARETO_FIT_DEFAULTS, { maxEvaluations: options?.maxEvaluations }).maxEvaluations;
  if (maxEvaluations !== undefined && !(Number.isInteger(maxEvaluations) && maxEvaluations >= 10)) throw new InvalidOptionError(fn, "maxEvaluations", maxEvaluations, "an integer >= 10");
  const c = customerColumns(data, fn);
  requireCustomers(c.x.length, fn);
  if (covariates === null || typeof covariates !== "object") throw new InvalidOptionError(fn, "covariates", covariates, "{ life?: [{ name, values }], trans?: [{ name, values }] }");
  const life = covSet(covariates.life, "life", c, fn, true);
  const trans = covSet(covariates.trans, "trans", c, fn, true);
  const kl = life.cols.length;
  const kt = trans.cols.length;
  if (kl + kt === 0) throw new InvalidOptionError(fn, "covariates", covariates, `at least one covariate in life or trans (without covariates use ${bg ? "fitBgNbd" : "fitParetoNbd"})`);
  if (maxEvaluations !== undefined && maxEvaluations < 2 * (4 + kl + kt) + 2) {
    throw new InvalidOptionError(fn, "maxEvaluations", maxEvaluations, `an integer >= ${2 * (4 + kl + kt) + 2} here (the final gradient and Hessian of the ${4 + kl + kt} parameters take ${2 * (4 + kl + kt) + 1} evaluations)`);
  }
  const settings = { penalizer: o.penalizer, maxIterations: o.maxIterations, tolerance: o.tolerance, throwOnNonConvergence: false };
  // the model without covariates, on distinct (x, t_x, T): the start (γ = 0) and the LR baseline
  const d = dedupeTriples(c);
  const base = bg
    ? fitBgNbdColumns({ ids: [], x: d.x, tx: d.tx, T: d.T, m: d.x }, settings, undefined, fn, d.w)
    : fitParetoNbd({ x: c.x, t_x: c.tx, T: c.T }, settings);
  const baseLL = base.logLikelihood;
  const bp = base.params as unknown as Record<string, number>;
  const keys = bg ? ["r", "alpha", "a", "b"] : ["r", "alpha", "s", "beta"];
  const rows = distinctRows(c, life, trans);
  const { fg, logLik } = objective(rows, kl, kt, bg, o.penalizer);
  const k = 4 + kl + kt;
  const u0 = new Float64Array(k);
  for (let j = 0; j < 4; j++) u0[j] = Math.log(bp[keys[j]]);
  // Pareto/NBD: the population parameters stay in fitParetoNbd's parameterLimit box (default),
  // so a ridge (s, β → ∞ together) ends at its bound instead of walking on at ever costlier
  // evaluations; the effects are not boxed (a diverging effect is reported below)
  let box: { lower: number[]; upper: number[] } | undefined;
  let meanT = 0;
  if (!bg) {
    for (let i = 0; i < c.T.length; i++) meanT += c.T[i];
    meanT = Math.max(meanT / c.T.length, 1e-3);
    const b4 = paretoBox(meanT);
    box = { lower: [...b4.lower, ...new Array<number>(k - 4).fill(-Infinity)], upper: [...b4.upper, ...new Array<number>(k - 4).fill(Infinity)] };
    for (let j = 0; j < 4; j++) u0[j] = Math.min(Math.max(u0[j], box.lower[j]), box.upper[j]);
  }
  const res = minimize(fg, u0, { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3, maxEvaluations, ...box });
  const N = c.x.length;
  // covariance of u from the Hessian of the mean objective scaled to the total
  const H = res.hessian;
  for (let i = 0; i < k * k; i++) H[i] *= N;
  const inv = invertSpd(H, k);
  // back to raw covariates: γ = γ'/sd; ln α = ln α' + Σ_trans γ_j mean_j; Pareto/NBD
  // ln β = ln β' + Σ_life γ_j mean_j; BG/NBD ln a = ln a' − Σ_life γ_j mean_j (and b)
  const J = new Float64Array(k * k);
  for (let j = 0; j < 4; j++) J[j * k + j] = 1;
  for (let j = 0; j < kl; j++) {
    J[(4 + j) * k + 4 + j] = 1 / life.sd[j];
    const m = life.mean[j] / life.sd[j];
    if (bg) {
      J[2 * k + 4 + j] = -m;
      J[3 * k + 4 + j] = -m;
    } else J[3 * k + 4 + j] = m;
  }
  for (let j = 0; j < kt; j++) {
    J[(4 + kl + j) * k + 4 + kl + j] = 1 / trans.sd[j];
    J[1 * k + 4 + kl + j] = trans.mean[j] / trans.sd[j];
  }
  const v = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) v[i] += J[i * k + j] * res.u[j];
  let cov: number[] | null = null;
  if (inv) {
    const JS = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let m = 0; m < k; m++) JS[i * k + j] += J[i * k + m] * inv[m * k + j];
    const C = new Array<number>(k * k).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let m = 0; m < k; m++) C[i * k + j] += JS[i * k + m] * J[j * k + m];
    cov = C.every(Number.isFinite) && C.every((_, i) => i % (k + 1) !== 0 || C[i] >= 0) ? C : null;
  }
  const sd = (i: number) => (cov ? Math.sqrt(cov[i * k + i]) : null);
  const theta = [0, 1, 2, 3].map((j) => Math.exp(v[j]));
  const params = Object.fromEntries(keys.map((key, j) => [key, theta[j]]));
  const se = cov ? Object.fromEntries(keys.map((key, j) => [key, theta[j] * sd(j)!])) : null;
  let convergence = res.convergence;
  if (!bg) convergence = { ...convergence, message: paretoStopMessage(convergence.message, res.atBound, res.u.subarray(0, 4), maxEvaluations!, PARETO_FIT_DEFAULTS.parameterLimit, meanT, false) };
  if (convergence.converged && !cov) {
    convergence = { ...convergence, converged: false, message: "the information matrix is not positive definite: a parameter (or covariate effect) is not identified by these data; a penalizer makes the population parameters unique" };
  }
  // an effect of more than e^10 per standard deviation of its covariate is not an estimate: the
  // covariate separates customers (say only non-repeaters have it) and the likelihood keeps
  // rising as γ → ±∞, while the numerical information can still look positive definite
  const names = [...life.names.map((nm) => `life ${nm}`), ...trans.names.map((nm) => `trans ${nm}`)];
  const diverging = names.filter((_, j) => !(Math.abs(res.u[4 + j]) <= MAX_STANDARDISED_EFFECT));
  if (convergence.converged && diverging.length > 0) {
    convergence = { ...convergence, converged: false, message: `the effect of ${diverging.join(", ")} diverges (more than e^${MAX_STANDARDISED_EFFECT} per standard deviation): the covariate separates customers (e.g. only customers without repeat purchases have it); drop or recode it` };
  }
  checkConvergence(fn, convergence, o.throwOnNonConvergence);
  const effects = (s: CovSet, off: number): CovariateEffect[] => s.names.map((name, j) => ({ name, estimate: v[off + j], standardError: sd(off + j) }));
  const out = {
    params,
    standardErrors: se,
    life: effects(life, 4),
    trans: effects(trans, 4 + kl),
    covariance: cov,
    logLikelihood: logLik(res.u),
    logLikelihoodWithoutCovariates: baseLL,
    customers: N,
    distinctRows: rows.x.length,
    penalizer: o.penalizer,
    convergence,
  };
  return (bg ? { model: "bg-nbd-covariates", ...out } : { model: "pareto-nbd-covariates", ...out }) as unknown as CovariatesModel;
}

/**
 * Fit the Pareto/NBD model with time-invariant covariates (CLVTools' parameterisation).
 *
 * @remarks
 * Customer i with covariates z_i (life) and w_i (trans) has purchase rate λ_i ~ Gamma(r, α_i),
 * α_i = α·exp(−γ_trans'w_i), and dropout rate μ_i ~ Gamma(s, β_i), β_i = β·exp(−γ_life'z_i)
 * (Fader & Hardie 2007, "Incorporating time-invariant covariates into the Pareto/NBD and BG/NBD
 * models"; CLVTools `pnbd_staticcov_LL_ind`): a positive γ_trans raises the expected purchase
 * rate r/α_i, a positive γ_life raises the expected dropout rate s/β_i. The likelihood is the
 * Pareto/NBD one (see {@link fitParetoNbd}) with α_i, β_i per customer, summed over the distinct
 * (x, t_x, T, covariates) rows (with continuous covariates nearly every customer is distinct,
 * so a fit costs one Pareto integral per customer per evaluation). Internally the covariates are
 * centred and scaled (better-conditioned BFGS; the start is the fit without covariates, γ = 0),
 * and the estimates and their covariance are transformed back exactly (a linear map). Standard
 * errors: inverse observed information (central differences of the analytic gradient).
 * r, α, s, β (at the covariate means) stay in {@link fitParetoNbd}'s default `parameterLimit`
 * box: on a ridge (s and β growing together) the fit stops at its bound with
 * `converged: false` and a message naming the parameter, as `fitParetoNbd` does; it also stops
 * after `maxEvaluations` likelihood evaluations (default 1000), with `converged: false` and a
 * message naming the budget.
 *
 * @param data - calibration summaries (records or columns), in the row order of the covariate values.
 * @param covariates - `{ life, trans }` columns ({@link StaticCovariates}).
 * @param options - see {@link FitParetoNbdCovariatesOptions}.
 * @returns a {@link ParetoNbdCovariatesModel}.
 * @throws {@link InvalidRecordError} for an invalid customer or a non-finite covariate value (row, `covariates.<process>.<name>`, value).
 * @throws {@link InvalidOptionError} for no covariates, a covariate with no variance, collinear covariates (rank-deficient design), wrong lengths, or a bad option.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no customers; `NOT_CONVERGED` with `throwOnNonConvergence` (also when the information matrix is singular).
 * @example
 * ```ts
 * const data = [
 *   { customerId: "a", x: 2, t_x: 30, T: 38 }, { customerId: "b", x: 0, t_x: 0, T: 38 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39 }, { customerId: "d", x: 1, t_x: 2, T: 36 },
 *   { customerId: "e", x: 4, t_x: 33, T: 37 }, { customerId: "f", x: 0, t_x: 0, T: 30 },
 * ];
 * const m = fitParetoNbdCovariates(data, { trans: [{ name: "vip", values: [1, 0, 1, 0, 1, 0] }] }, { penalizer: 0.01 });
 * m.trans[0].name + " " + (m.trans[0].estimate > 0);
 * //=> "vip true"
 * ```
 * @category CLV
 */
export function fitParetoNbdCovariates(data: CovariatesData, covariates: StaticCovariates, options: FitParetoNbdCovariatesOptions = {}): ParetoNbdCovariatesModel {
  return fitCovariates(false, data, covariates, options, "fitParetoNbdCovariates") as ParetoNbdCovariatesModel;
}

/**
 * Fit the BG/NBD model with time-invariant covariates (CLVTools' parameterisation).
 *
 * @remarks
 * Customer i has λ_i ~ Gamma(r, α_i), α_i = α·exp(−γ_trans'w_i), and dropout probability
 * p_i ~ Beta(a_i, b_i) with a_i = a·exp(γ_life'z_i), b_i = b·exp(γ_life'z_i) (CLVTools
 * `bgnbd_staticcov_alpha_i`, `_a_i`, `_b_i`: one γ_life scales both shapes, so the covariates
 * change the concentration a_i + b_i of the dropout probability but not its mean a/(a+b); a
 * positive γ_life makes p_i less dispersed around that mean). The likelihood is the BG/NBD one
 * (Fader, Hardie & Lee 2005, eq. 6; see {@link fitBgNbd}) with per-customer α_i, a_i, b_i,
 * summed over distinct (x, t_x, T, covariates) rows; analytic gradient, BFGS on standardised
 * covariates from the fit without covariates, estimates and covariance transformed back.
 *
 * @param data - calibration summaries (records or columns), in the row order of the covariate values.
 * @param covariates - `{ life, trans }` columns ({@link StaticCovariates}).
 * @param options - see {@link FitCovariatesOptions}.
 * @returns a {@link BgNbdCovariatesModel}.
 * @throws {@link InvalidRecordError} for an invalid customer or a non-finite covariate value.
 * @throws {@link InvalidOptionError} for no covariates, no variance, collinear covariates, wrong lengths, or a bad option.
 * @throws {@link AnalyticsError} `EMPTY_INPUT`; `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * const data = [
 *   { customerId: "a", x: 2, t_x: 30, T: 38 }, { customerId: "b", x: 0, t_x: 0, T: 38 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39 }, { customerId: "d", x: 1, t_x: 2, T: 36 },
 *   { customerId: "e", x: 4, t_x: 33, T: 37 }, { customerId: "f", x: 0, t_x: 0, T: 30 },
 * ];
 * const m = fitBgNbdCovariates(data, { trans: [{ name: "vip", values: [1, 0, 1, 0, 1, 0] }] }, { penalizer: 0.01 });
 * [m.model, m.trans.length, m.customers];
 * //=> ["bg-nbd-covariates", 1, 6]
 * ```
 * @category CLV
 */
export function fitBgNbdCovariates(data: CovariatesData, covariates: StaticCovariates, options: FitCovariatesOptions = {}): BgNbdCovariatesModel {
  return fitCovariates(true, data, covariates, options, "fitBgNbdCovariates") as BgNbdCovariatesModel;
}

/**
 * Per-customer parameters of a covariate model.
 * @category CLV
 */
export interface IndividualParameters {
  /** α_i = α·exp(−γ_trans'w_i). */
  readonly alpha: Float64Array;
  /** Pareto/NBD: β_i = β·exp(−γ_life'z_i); BG/NBD: a_i = a·exp(γ_life'z_i). */
  readonly third: Float64Array;
  /** BG/NBD: b_i = b·exp(γ_life'z_i); Pareto/NBD: s for every row. */
  readonly fourth: Float64Array;
}

/** @internal */
export function checkCovModel(model: CovariatesModel, fn: string): void {
  const m = model as unknown as { model?: unknown; params?: Record<string, unknown>; life?: unknown; trans?: unknown } | null;
  const keys = m?.model === "bg-nbd-covariates" ? ["r", "alpha", "a", "b"] : m?.model === "pareto-nbd-covariates" ? ["r", "alpha", "s", "beta"] : null;
  const ok = keys && m?.params && keys.every((k) => { const v = m.params?.[k]; return typeof v === "number" && v > 0 && Number.isFinite(v); }) && Array.isArray(m.life) && Array.isArray(m.trans);
  if (!ok) throw new InvalidOptionError(fn, "model", m?.model ?? model, 'a fitted "pareto-nbd-covariates" or "bg-nbd-covariates" model (from fitParetoNbdCovariates / fitBgNbdCovariates)');
}

/** η = Σ γ_j z_j per customer for one process, reading the model's covariates by name. */
function linearPredictor(effects: readonly CovariateEffect[], list: readonly CovariateColumn[] | undefined, which: string, c: ClvColumns, fn: string): Float64Array {
  const n = c.x.length;
  const eta = new Float64Array(n);
  if (effects.length === 0) return eta;
  const s = covSet(list ?? [], which as "life" | "trans", c, fn, false);
  for (const e of effects) {
    const j = s.names.indexOf(e.name);
    if (j < 0) throw new InvalidOptionError(fn, `covariates.${which}`, s.names, `a column named ${JSON.stringify(e.name)} (the model was fitted with ${effects.map((f) => JSON.stringify(f.name)).join(", ")})`);
    const z = s.cols[j];
    for (let i = 0; i < n; i++) eta[i] += e.estimate * z[i];
  }
  return eta;
}

/** The model's covariate columns for these customers, in the order of its effects. @internal */
export function covariateDesign(model: CovariatesModel, c: ClvColumns, covariates: StaticCovariates | undefined, fn: string): { life: Float64Array[]; trans: Float64Array[] } {
  if (covariates === null || typeof covariates !== "object") throw new InvalidOptionError(fn, "covariates", covariates, "{ life?: [{ name, values }], trans?: [{ name, values }] } with the model's covariates");
  const pick = (effects: readonly CovariateEffect[], list: readonly CovariateColumn[] | undefined, which: "life" | "trans") => {
    const s = covSet(list ?? [], which, c, fn, false);
    return effects.map((e) => {
      const j = s.names.indexOf(e.name);
      if (j < 0) throw new InvalidOptionError(fn, `covariates.${which}`, s.names, `a column named ${JSON.stringify(e.name)} (the model was fitted with ${effects.map((f) => JSON.stringify(f.name)).join(", ")})`);
      return s.cols[j];
    });
  };
  return { life: pick(model.life, covariates.life, "life"), trans: pick(model.trans, covariates.trans, "trans") };
}

function individual(model: CovariatesModel, c: ClvColumns, covariates: StaticCovariates, fn: string): IndividualParameters {
  if (covariates === null || typeof covariates !== "object") throw new InvalidOptionError(fn, "covariates", covariates, "{ life?: [{ name, values }], trans?: [{ name, values }] }");
  const n = c.x.length;
  const etaL = linearPredictor(model.life, covariates.life, "life", c, fn);
  const etaT = linearPredictor(model.trans, covariates.trans, "trans", c, fn);
  const alpha = new Float64Array(n);
  const third = new Float64Array(n);
  const fourth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    alpha[i] = model.params.alpha * Math.exp(-etaT[i]);
    if (model.model === "bg-nbd-covariates") {
      const e = Math.exp(etaL[i]);
      third[i] = model.params.a * e;
      fourth[i] = model.params.b * e;
    } else {
      third[i] = model.params.beta * Math.exp(-etaL[i]);
      fourth[i] = model.params.s;
    }
    if (!(alpha[i] > 0 && alpha[i] < Infinity && third[i] > 0 && third[i] < Infinity && fourth[i] > 0 && fourth[i] < Infinity)) {
      throw new AnalyticsError("OVERFLOW", `${fn}: the parameters of customer ${rowName(c, i)} are out of range (exp(γ'z) overflows: α_i = ${alpha[i]}); check the covariate values against those the model was fitted on`);
    }
  }
  return { alpha, third, fourth };
}

/**
 * Each customer's own parameters under a covariate model.
 *
 * @remarks
 * Pareto/NBD: α_i = α·e^{−γ_trans'w_i}, β_i = β·e^{−γ_life'z_i} (`third`), s (`fourth`).
 * BG/NBD: α_i, a_i = a·e^{γ_life'z_i} (`third`), b_i = b·e^{γ_life'z_i} (`fourth`). O(n·k).
 *
 * @param model - a fitted covariate model.
 * @param table - the customers (only the row count and ids are read).
 * @param covariates - the customers' covariates, by the names the model was fitted with.
 * @returns per-customer columns ({@link IndividualParameters}).
 * @throws {@link InvalidOptionError} for a bad model or a missing covariate; {@link InvalidRecordError} for a non-finite covariate value.
 * @example
 * ```ts
 * const model = { model: "bg-nbd-covariates", params: { r: 0.25, alpha: 4, a: 0.8, b: 2.4 }, life: [], trans: [{ name: "vip", estimate: Math.log(2), standardError: null }] } as unknown as BgNbdCovariatesModel;
 * Array.from(individualParameters(model, { x: [0, 0], t_x: [0, 0], T: [30, 30] }, { trans: [{ name: "vip", values: [0, 1] }] }).alpha);
 * //=> [4, 2]
 * ```
 * @category CLV
 */
export function individualParameters(model: CovariatesModel, table: ClvTableInput, covariates: StaticCovariates): IndividualParameters {
  const fn = "individualParameters";
  checkCovModel(model, fn);
  return individual(model, tableColumns(table, fn), covariates, fn);
}

/**
 * P(alive at T) of every customer under a covariate model, each with their own parameters.
 *
 * @remarks
 * The no-covariate formulas with α_i, β_i (Pareto/NBD: e^A1/(e^A1 + e^A2)) or α_i, a_i, b_i
 * (BG/NBD: 1/(1 + 1{x>0}·a_i/(b_i+x−1)·((α_i+T)/(α_i+t_x))^(r+x))), CLVTools
 * `pnbd_staticcov_PAlive` / `bgnbd_staticcov_PAlive`. O(n) (Pareto/NBD: one integral per row).
 *
 * @param model - a fitted covariate model.
 * @param table - the customers ({@link ClvTableInput}), rows in the order of the covariate values.
 * @param covariates - the customers' covariates.
 * @returns a new `Float64Array` of P(alive), by row.
 * @throws {@link InvalidRecordError} for an invalid row or covariate value; {@link InvalidOptionError} for a bad model or missing covariate.
 * @example
 * ```ts
 * const model = { model: "bg-nbd-covariates", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, life: [], trans: [{ name: "z", estimate: 0, standardError: null }] } as unknown as BgNbdCovariatesModel;
 * Array.from(probabilityAliveCovariatesColumn(model, { x: [2], t_x: [30.43], T: [38.86] }, { trans: [{ name: "z", values: [1] }] }), (p) => +p.toFixed(4));
 * //=> [0.7266]
 * ```
 * @category CLV
 */
export function probabilityAliveCovariatesColumn(model: CovariatesModel, table: ClvTableInput, covariates: StaticCovariates): Float64Array {
  const fn = "probabilityAliveCovariatesColumn";
  checkCovModel(model, fn);
  const c = tableColumns(table, fn);
  return pAliveCov(model, c, individual(model, c, covariates, fn));
}

function pAliveCov(model: CovariatesModel, c: ClvColumns, ip: IndividualParameters): Float64Array {
  const n = c.x.length;
  const out = new Float64Array(n);
  const { r } = model.params;
  for (let i = 0; i < n; i++) {
    const x = c.x[i];
    if (model.model === "bg-nbd-covariates") {
      if (x === 0) out[i] = 1;
      else {
        const lr = Math.log(ip.third[i]) - Math.log(ip.fourth[i] + x - 1) + (r + x) * (Math.log(ip.alpha[i] + c.T[i]) - Math.log(ip.alpha[i] + c.tx[i]));
        out[i] = 1 / (1 + Math.exp(lr));
      }
    } else out[i] = paretoPAlive({ r, alpha: ip.alpha[i], s: ip.fourth[i], beta: ip.third[i] }, x, c.tx[i], c.T[i]);
  }
  return out;
}

/**
 * Options of {@link conditionalExpectedPurchasesCovariatesColumn}.
 * @category CLV
 */
export interface ConditionalExpectedPurchasesCovariatesOptions {
  /** Length of the future period, model time units. Required (no default). */
  t: number;
}

/**
 * E[Y(t) | x, t_x, T, z] of every customer under a covariate model, each with their own
 * parameters.
 *
 * @remarks
 * The no-covariate conditional expectations (BG/NBD: Fader, Hardie & Lee 2005, eq. 10;
 * Pareto/NBD: Schmittlein et al. 1987) evaluated at α_i, a_i, b_i / α_i, β_i, times the
 * per-customer P(alive) (CLVTools `bgnbd_staticcov_CET` / `pnbd_staticcov_CET`). O(n · series terms).
 *
 * @param model - a fitted covariate model.
 * @param table - the customers, in the order of the covariate values.
 * @param covariates - the customers' covariates.
 * @param options - see {@link ConditionalExpectedPurchasesCovariatesOptions}.
 * @returns a new `Float64Array` of expected purchases, by row.
 * @throws {@link InvalidRecordError} for an invalid row or covariate value; {@link InvalidOptionError} for a bad model, t or missing covariate.
 * @example
 * ```ts
 * const model = { model: "bg-nbd-covariates", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, life: [{ name: "z", estimate: 0.5, standardError: null }], trans: [] } as unknown as BgNbdCovariatesModel;
 * // z = 0 is the published CDNOW model: customer 0001 expects 1.226 purchases in 39 weeks
 * Array.from(conditionalExpectedPurchasesCovariatesColumn(model, { x: [2], t_x: [30.43], T: [38.86] }, { life: [{ name: "z", values: [0] }] }, { t: 39 }), (v) => v.toFixed(3));
 * //=> ["1.226"]
 * ```
 * @category CLV
 */
export function conditionalExpectedPurchasesCovariatesColumn(model: CovariatesModel, table: ClvTableInput, covariates: StaticCovariates, options: ConditionalExpectedPurchasesCovariatesOptions): Float64Array {
  const fn = "conditionalExpectedPurchasesCovariatesColumn";
  checkCovModel(model, fn);
  const t = options?.t;
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) throw new InvalidOptionError(fn, "t", t, "a finite number >= 0 (model time units)");
  const c = tableColumns(table, fn);
  const ip = individual(model, c, covariates, fn);
  const pa = pAliveCov(model, c, ip);
  const { r } = model.params;
  for (let i = 0; i < pa.length; i++) {
    const e =
      model.model === "bg-nbd-covariates"
        ? bgAliveExpectation({ r, alpha: ip.alpha[i], a: ip.third[i], b: ip.fourth[i] }, c.x[i], c.T[i], t)
        : paretoAliveExpectation({ r, alpha: ip.alpha[i], s: ip.fourth[i], beta: ip.third[i] }, c.x[i], c.T[i], t);
    pa[i] *= e;
  }
  return pa;
}

/**
 * P(alive at T + t) and E[Y(t) | x, t_x, T, z] of every customer at given population parameters
 * and effects, from covariate columns already picked by {@link covariateDesign} (the parameter
 * draws of `predictionIntervals`). `gamma` is (γ_life…, γ_trans…) in the model's order.
 * @internal
 */
export function covariatePredictAt(model: CovariatesModel, params: Readonly<Record<string, number>>, gamma: ArrayLike<number>, c: ClvColumns, design: { life: readonly Float64Array[]; trans: readonly Float64Array[] }, t: number, fn: string): { pa: Float64Array; ex: Float64Array } {
  const n = c.x.length;
  const kl = design.life.length;
  const etaL = new Float64Array(n);
  const etaT = new Float64Array(n);
  for (let j = 0; j < kl; j++) for (let i = 0; i < n; i++) etaL[i] += gamma[j] * design.life[j][i];
  for (let j = 0; j < design.trans.length; j++) for (let i = 0; i < n; i++) etaT[i] += gamma[kl + j] * design.trans[j][i];
  const bg = model.model === "bg-nbd-covariates";
  const drawn = { ...model, params, life: model.life.map((e, j) => ({ ...e, estimate: gamma[j] })), trans: model.trans.map((e, j) => ({ ...e, estimate: gamma[kl + j] })) } as unknown as CovariatesModel;
  const alpha = new Float64Array(n);
  const third = new Float64Array(n);
  const fourth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    alpha[i] = params.alpha * Math.exp(-etaT[i]);
    if (bg) {
      const e = Math.exp(etaL[i]);
      third[i] = params.a * e;
      fourth[i] = params.b * e;
    } else {
      third[i] = params.beta * Math.exp(-etaL[i]);
      fourth[i] = params.s;
    }
    if (!(alpha[i] > 0 && alpha[i] < Infinity && third[i] > 0 && third[i] < Infinity && fourth[i] > 0 && fourth[i] < Infinity)) {
      throw new AnalyticsError("OVERFLOW", `${fn}: the parameters of customer ${rowName(c, i)} are out of range (exp(γ'z) overflows: α_i = ${alpha[i]}); check the covariate values against those the model was fitted on`);
    }
  }
  const ip = { alpha, third, fourth };
  const pa = pAliveCov(drawn, c, ip);
  const ex = new Float64Array(n);
  const r = params.r;
  for (let i = 0; i < n; i++) {
    if (t > 0) {
      const e = bg
        ? bgAliveExpectation({ r, alpha: alpha[i], a: third[i], b: fourth[i] }, c.x[i], c.T[i], t)
        : paretoAliveExpectation({ r, alpha: alpha[i], s: fourth[i], beta: third[i] }, c.x[i], c.T[i], t);
      ex[i] = pa[i] * e;
      // survival over (T, T + t] given alive at T: E[e^(−μt)], μ ~ Gamma(s, β_i + T) (Pareto/NBD);
      // E[(1 − p)^(N(t))] with λ ~ Gamma(r + x, α_i + T), p ~ Beta(a_i, b_i + x) (BG/NBD), as the plain models
      pa[i] *= bg ? hyp2f1(r + c.x[i], third[i], third[i] + fourth[i] + c.x[i], -t / (alpha[i] + c.T[i])) : Math.exp(-fourth[i] * Math.log1p(t / (third[i] + c.T[i])));
    }
  }
  return { pa, ex };
}

/** Log-likelihood of a covariate model at given parameters (tests: γ = 0 equals the model without covariates). @internal */
export function covariatesLogLik(model: "bg-nbd" | "pareto-nbd", params: Record<string, number>, data: CovariatesData, covariates: StaticCovariates, gammaLife: readonly number[], gammaTrans: readonly number[]): number {
  const fn = "covariatesLogLik";
  const c = customerColumns(data, fn);
  const bg = model === "bg-nbd";
  let ll = 0;
  const lifeCols = (covariates.life ?? []).map((col) => col.values);
  const transCols = (covariates.trans ?? []).map((col) => col.values);
  for (let i = 0; i < c.x.length; i++) {
    let eL = 0;
    for (let j = 0; j < lifeCols.length; j++) eL += gammaLife[j] * lifeCols[j][i];
    let eT = 0;
    for (let j = 0; j < transCols.length; j++) eT += gammaTrans[j] * transCols[j][i];
    const alpha = params.alpha * Math.exp(-eT);
    ll += bg
      ? bgRow(params.r, alpha, params.a * Math.exp(eL), params.b * Math.exp(eL), c.x[i], c.tx[i], c.T[i], null)
      : paretoRow(params.r, alpha, params.s, params.beta * Math.exp(-eL), c.x[i], c.tx[i], c.T[i], null);
  }
  return ll;
}
