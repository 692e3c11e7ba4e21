/**
 * BG/NBD (Fader, Hardie & Lee 2005): likelihood with analytic gradient, fit, and the
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
import { minimize, penalizedLogObjective, type Objective } from "./optimize.js";
import { AnalyticsError } from "../core/errors.js";
import { bgExpectationGivenAlive, digamma, lgamma } from "../numeric/index.js";

/**
 * BG/NBD parameters: purchase rates λ ~ Gamma(r, α) (shape r, rate α), dropout probability
 * after each purchase p ~ Beta(a, b).
 * @category CLV
 */
export interface BgNbdParams {
  /** Shape of the purchase-rate gamma distribution. */
  readonly r: number;
  /** Rate (in model time units) of the purchase-rate gamma distribution. */
  readonly alpha: number;
  /** First shape of the dropout-probability beta distribution. */
  readonly a: number;
  /** Second shape of the dropout-probability beta distribution. */
  readonly b: number;
}

/**
 * A fitted BG/NBD model: plain data, safe to serialise with `JSON.stringify`.
 * @category CLV
 */
export interface BgNbdModel {
  /** Model tag. */
  readonly model: "bg-nbd";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: BgNbdParams;
  /** Total log-likelihood of the data at `params` (without the penalty). */
  readonly logLikelihood: number;
  /** Number of customers fitted. */
  readonly customers: number;
  /** Asymptotic standard errors from the inverse Hessian of the (penalised) negative log-likelihood; `null` when the Hessian is not positive definite. */
  readonly standardErrors: BgNbdParams | null;
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
 * Options of {@link fitBgNbd}.
 * @category CLV
 */
export interface FitBgNbdOptions extends FitOptions {
  /** Starting values. Default `{ r: 1, alpha: 1, a: 1, b: 1 }` scaled so that alpha is the mean T. */
  initial?: BgNbdParams;
}

/** Mean negative log-likelihood (+ penalty) on log parameters, with its analytic gradient. @internal */
export function bgNbdObjective(c: ClvColumns, penalizer: number, weights?: Float64Array): { fg: Objective; logLik: (p: BgNbdParams) => number } {
  const { values: xs, index } = distinctIndex(c.x);
  const K = xs.length;
  const n = c.x.length;
  const w = weights ?? null;
  let N = 0;
  if (w) for (let i = 0; i < n; i++) N += w[i];
  else N = n;
  const xw = new Float64Array(K); // total weight per distinct x
  for (let i = 0; i < n; i++) xw[index[i]] += w ? w[i] : 1;
  const lnab = new Float64Array(K);
  const dbx = new Float64Array(K);
  const { x, tx, T } = c;

  const core = (r: number, alpha: number, a: number, b: number, grad: Float64Array | null): number => {
    // per distinct x: gamma-function terms and their derivatives
    let ll = 0;
    let gr = 0;
    let ga = 0;
    let gA = 0;
    let gB = 0;
    const lgr = lgamma(r);
    const lgb = lgamma(b);
    const lgab = lgamma(a + b);
    const dgr = grad ? digamma(r) : 0;
    const dgb = grad ? digamma(b) : 0;
    const dgab = grad ? digamma(a + b) : 0;
    const lna = Math.log(a);
    for (let k = 0; k < K; k++) {
      const xv = xs[k];
      const wk = xw[k];
      ll += wk * (lgamma(r + xv) - lgr + lgamma(b + xv) - lgamma(a + b + xv) - lgb + lgab);
      if (grad) {
        const dabx = digamma(a + b + xv);
        gr += wk * (digamma(r + xv) - dgr);
        gA += wk * (dgab - dabx);
        gB += wk * (digamma(b + xv) - dabx - dgb + dgab);
      }
      if (xv > 0) {
        lnab[k] = lna - Math.log(b + xv - 1);
        dbx[k] = -1 / (b + xv - 1);
      }
    }
    const lnAlpha = Math.log(alpha);
    ll += N * r * lnAlpha;
    gr += N * lnAlpha;
    ga += (N * r) / alpha;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const m = r + xi;
      const aT = alpha + T[i];
      const lT = Math.log(aT);
      const A = -m * lT;
      const wi = w ? w[i] : 1;
      if (xi > 0) {
        const k = index[i];
        const at = alpha + tx[i];
        const lt = Math.log(at);
        const B = lnab[k] - m * lt;
        let li: number;
        let wB: number;
        if (B > A) {
          const e = Math.exp(A - B);
          li = B + Math.log1p(e);
          wB = 1 / (1 + e);
        } else {
          const e = Math.exp(B - A);
          li = A + Math.log1p(e);
          wB = e / (1 + e);
        }
        ll += wi * li;
        if (grad) {
          const wA = 1 - wB;
          gr -= wi * (wA * lT + wB * lt);
          ga -= wi * m * (wA / aT + wB / at);
          gA += (wi * wB) / a;
          gB += wi * wB * dbx[k];
        }
      } else {
        ll += wi * A;
        if (grad) {
          gr -= wi * lT;
          ga -= (wi * m) / aT;
        }
      }
    }
    if (grad) {
      grad[0] = gr;
      grad[1] = ga;
      grad[2] = gA;
      grad[3] = gB;
    }
    return ll;
  };

  const fg: Objective = penalizedLogObjective(core, N, penalizer);
  return { fg, logLik: (p) => core(p.r, p.alpha, p.a, p.b, null) };
}

/**
 * Fit the BG/NBD model by maximum likelihood.
 *
 * @remarks
 * Likelihood of one customer (Fader, Hardie & Lee 2005, eq. 6), evaluated in log space:
 * L = Γ(r+x) α^r / Γ(r) · B(a, b+x) / B(a, b) · [(α+T)^-(r+x) + 1{x>0} a/(b+x-1) (α+t_x)^-(r+x)].
 * The objective is the mean negative log-likelihood plus `penalizer · Σθ²`, minimised by BFGS
 * over ln θ with the analytic gradient (digamma terms computed once per distinct x, so one
 * evaluation costs four elementary functions per distinct (x, t_x, T) row; identical rows are
 * grouped first). Standard errors come from a
 * central-difference Hessian of the analytic gradient. On CDNOW (weeks) this gives
 * r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = -9582.4, as published.
 *
 * @param data - calibration summaries ({@link ClvCustomer}), a `CalibrationTable` (or any {@link ClvTableInput}; read in place, not copied), or a transaction log (records or a `TransactionTable`) together with `options.calibrationEnd`.
 * @param options - see {@link FitBgNbdOptions}.
 * @returns the fitted {@link BgNbdModel}.
 * @throws {@link InvalidRecordError} for an invalid customer (named by id).
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no customers; `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * const m = fitBgNbd([
 *   { customerId: "a", x: 2, t_x: 30, T: 38 }, { customerId: "b", x: 0, t_x: 0, T: 38 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39 }, { customerId: "d", x: 1, t_x: 2, T: 36 },
 * ], { penalizer: 0.01 }); // four customers do not identify a and b without a penalty
 * m.convergence.converged;
 * //=> true
 * ```
 * @category CLV
 */
export function fitBgNbd(data: ClvData, options: FitBgNbdOptions = {}): BgNbdModel {
  const fn = "fitBgNbd";
  const o = fitSettings(options, fn);
  const cols = fitInput(data, options, fn);
  requireCustomers(cols.x.length, fn);
  const d = dedupeTriples(cols);
  return fitBgNbdColumns({ ids: [], x: d.x, tx: d.tx, T: d.T, m: d.x }, o, options.initial, fn, d.w);
}

/** @internal */
export function fitBgNbdColumns(
  cols: ClvColumns,
  o: { penalizer: number; maxIterations: number; tolerance: number; throwOnNonConvergence: boolean },
  initial: BgNbdParams | undefined,
  fn: string,
  weights?: Float64Array,
): BgNbdModel {
  let meanT = 0;
  let wsum = 0;
  for (let i = 0; i < cols.T.length; i++) {
    const wi = weights ? weights[i] : 1;
    meanT += wi * cols.T[i];
    wsum += wi;
  }
  meanT = Math.max(meanT / wsum, 1e-3);
  const start = initial ?? { r: 1, alpha: meanT, a: 1, b: 1 };
  const { fg, logLik } = bgNbdObjective(cols, o.penalizer, weights);
  const u0 = [start.r, start.alpha, start.a, start.b].map(Math.log);
  const res = minimize(fg, u0, { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3 });
  const N = wsum;
  const { theta, se, cov } = finishFit(res, N, fn, o.throwOnNonConvergence);
  const params: BgNbdParams = { r: theta[0], alpha: theta[1], a: theta[2], b: theta[3] };
  return {
    model: "bg-nbd",
    params,
    logLikelihood: logLik(params),
    customers: N,
    standardErrors: se ? { r: se[0], alpha: se[1], a: se[2], b: se[3] } : null,
    logCovariance: cov,
    penalizer: o.penalizer,
    convergence: res.convergence,
  };
}

/** P(alive at T | x, t_x, T) under BG/NBD, one customer (used by `simulateTransactionClv`, per parameter draw). @internal */
export function bgPAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const c = Math.log(p.a) - Math.log(p.b + x - 1);
  if (x < PAIR_X) {
    const e1 = Math.exp(c + (p.r + x) * Math.log(p.alpha + T));
    const e2 = Math.exp(-(p.r + x) * Math.log(p.alpha + tx));
    if (e1 < Infinity && e2 >= MIN_NORMAL) return 1 / (1 + e1 * e2);
  }
  return 1 / (1 + Math.exp(c + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx))));
}

/** Repeat counts below this use the factored form e^(c + (r+x) ln(α+T)) · e^(-(r+x) ln(α+t_x)). */
const PAIR_X = 128;
/** Smallest normal double: below it the factored form would lose precision. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * P(alive) of every row into `out`: the column twin of {@link bgPAlive}, bit for bit (same
 * expressions, same order, same choice of form).
 *
 * @remarks
 * P(alive) = 1 / (1 + e^lr), lr = ln a - ln(b+x-1) + (r+x)(ln(α+T) - ln(α+t_x)); no overflow
 * guard is needed (e^lr = Infinity gives the limit 0). Shaped by profiling 1M simulated
 * customers (`docs/benchmarks.md`):
 * - a branch on x = 0 in the main loop is mispredicted about as often as it is taken (half the
 *   customers of a real base have no repeat purchase), so `out` is filled with 1, then a first
 *   pass checks the rows (the `rowOk` rule of data.ts) and lists the rows with x > 0 without
 *   branching; the second pass evaluates only those;
 * - for x < 128, e^lr is factored as e^(c + (r+x) ln(α+T)) · e^(-(r+x) ln(α+t_x)), and each
 *   factor comes from a direct-mapped cache keyed by (x, T) or (x, t_x): summaries built from
 *   purchase dates have a few thousand distinct pairs for a million customers, so nearly every
 *   row costs two lookups and a division instead of two logs and an exp (other data pays the
 *   lookups on top). The factored form differs from the direct one by a few ulp times (r+x)
 *   ln(α+T) (3e-14 relative on the benchmark base); it falls back to the direct form when a
 *   factor overflows or leaves the normal range.
 *
 * Returns 1 when every row passed the check, else 0: the caller then validates with
 * `checkRows` (which throws or clamps) and discards `out`.
 * @internal
 */
export function bgPAliveInto(p: BgNbdParams, x: Float64Array, tx: Float64Array, T: Float64Array, out: Float64Array): number {
  const { r, alpha, b } = p;
  const la = Math.log(p.a);
  const lnab = new Float64Array(PAIR_X);
  for (let k = 1; k < PAIR_X; k++) lnab[k] = la - Math.log(b + k - 1);
  const n = x.length;
  const rows = new Int32Array(n);
  out.fill(1);
  let m = 0;
  let ok = 1;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    rows[m] = i;
    m += +(xi !== 0);
    // rowOk(xi, ti, Ti) of data.ts, written out: a call here is not inlined and costs a quarter of the loop
    ok &= +(xi - Math.floor(xi) === 0) & +(xi >= 0) & +(Ti < Infinity) & +(Ti - ti >= 0) & +(ti >= 0) & (+(xi > 0) | +(ti === 0));
  }
  const BITS = 15;
  const SHIFT = 32 - BITS;
  const keyV = new Float64Array(1 << BITS).fill(NaN);
  const keyX = new Int32Array(1 << BITS);
  const val = new Float64Array(1 << BITS);
  for (let j = 0; j < m; j++) {
    const i = rows[j];
    const xi = x[i];
    if (xi < PAIR_X) {
      const k = xi | 0;
      const u = alpha + T[i];
      // hash of (x, u): u scaled to an int32 (wrapping for huge u, 0 for NaN; the key compare
      // below decides, the hash only spreads), cheaper than reading the double's bits
      let h = Math.imul(((u * 1048576) | 0) ^ Math.imul(k, 0x85ebca6b), 0x9e3779b1) >>> SHIFT;
      let e1 = val[h];
      if (keyV[h] !== u || keyX[h] !== k) {
        e1 = val[h] = Math.exp(lnab[k] + (r + xi) * Math.log(u));
        keyV[h] = u;
        keyX[h] = k;
      }
      const v = alpha + tx[i];
      h = Math.imul(((v * 1048576) | 0) ^ Math.imul(k, 0xc2b2ae35), 0x9e3779b1) >>> SHIFT;
      let e2 = val[h];
      if (keyV[h] !== v || keyX[h] !== -k) {
        e2 = val[h] = Math.exp(-(r + xi) * Math.log(v));
        keyV[h] = v;
        keyX[h] = -k; // negative: the t_x factors never match a T factor
      }
      if (e1 < Infinity && e2 >= MIN_NORMAL) {
        out[i] = 1 / (1 + e1 * e2);
        continue;
      }
    }
    const c = xi < PAIR_X ? lnab[xi | 0] : la - Math.log(b + xi - 1);
    out[i] = 1 / (1 + Math.exp(c + (r + xi) * (Math.log(alpha + T[i]) - Math.log(alpha + tx[i]))));
  }
  return ok;
}

/**
 * E[Y(t) | x, T, alive at T] under BG/NBD (the conditional expectation of Fader, Hardie & Lee
 * 2005, eq. 10, without P(alive)), with the Euler transformation 2F1(r+x, b+x; c; z) =
 * (1-z)^(c-a-b) 2F1(a+b-1-r, a-1; c; z), so the series has small numerator parameters for any
 * x and no 0/0 at a = 1. x = 0, T = 0 gives E[X(t)] of a new customer (eq. 9). @internal
 */
export function bgAliveExpectation(p: BgNbdParams, x: number, T: number, t: number): number {
  if (t === 0) return 0;
  // the Euler-transformed series, or its integral form when t/(α+T) is huge (src/numeric)
  return bgExpectationGivenAlive(p.r + x, p.a, p.b + x, t / (p.alpha + T));
}

/** P(X(t) = k) for a new customer under BG/NBD (Fader, Hardie & Lee 2005, eq. 8). @internal */
export function bgPmf(p: BgNbdParams, k: number, t: number): number {
  if (t === 0) return k === 0 ? 1 : 0;
  const { r, alpha, a, b } = p;
  const lBab = lgamma(a) + lgamma(b) - lgamma(a + b);
  const lq0 = r * Math.log(alpha / (alpha + t));
  const lq1 = Math.log(t / (alpha + t));
  const lnb = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + lq0 + j * lq1;
  const term1 = Math.exp(lgamma(a) + lgamma(b + k) - lgamma(a + b + k) - lBab + lnb(k));
  if (k === 0) return term1;
  // 1 - Σ_{j<k} NB(j), or the upper tail Σ_{j>=k} NB(j) when that is the smaller side
  let head = 0;
  for (let j = 0; j < k; j++) head += Math.exp(lnb(j));
  let tail: number;
  if (head < 0.5) tail = 1 - head;
  else {
    tail = 0;
    let done = false;
    for (let j = k; j < k + 1_000_000; j++) {
      const v = Math.exp(lnb(j));
      tail += v;
      if (v < 1e-17 * tail && j > k + r * 2) {
        done = true;
        break;
      }
    }
    if (!done) throw new AnalyticsError("NOT_CONVERGED", `probabilityOfPurchases: the BG/NBD upper tail for k = ${k}, t = ${t} did not converge within 1,000,000 terms`);
  }
  const term2 = Math.exp(lgamma(a + 1) + lgamma(b + k - 1) - lgamma(a + b + k) - lBab) * tail;
  return term1 + term2;
}
