/**
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007): the BG/NBD with a dropout chance at time 0 as
 * well as after each purchase. Likelihood with analytic gradient, fit, and the per-customer
 * formulas (used by the prediction functions of `predict.ts`).
 * @module
 */
import { dedupeTriples, distinctIndex, finishFit, flagUnidentified, fitInput, fitSettings, requireCustomers, type ClvColumns, type ClvData, type Convergence, type FitOptions } from "./data.js";
import { minimize, penalizedLogObjective, type Objective } from "./optimize.js";
import { AnalyticsError } from "../core/errors.js";
import { bgExpectationGivenAlive, digamma, lgamma } from "../numeric/index.js";
import type { BgNbdParams } from "./bgnbd.js";

/**
 * MBG/NBD parameters: purchase rates λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b) at
 * time 0 and after each purchase. The same names and meaning as {@link BgNbdParams}.
 * @category CLV
 */
export type MbgNbdParams = BgNbdParams;

/**
 * A fitted MBG/NBD model: plain data, safe to serialise with `JSON.stringify`.
 * @category CLV
 */
export interface MbgNbdModel {
  /** Model tag. */
  readonly model: "mbg-nbd";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: MbgNbdParams;
  /** Total log-likelihood of the data at `params` (without the penalty). */
  readonly logLikelihood: number;
  /** Number of customers fitted. */
  readonly customers: number;
  /** Asymptotic standard errors; `null` when the Hessian is not positive definite. */
  readonly standardErrors: MbgNbdParams | null;
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
 * Options of {@link fitMbgNbd}.
 * @category CLV
 */
export interface FitMbgNbdOptions extends FitOptions {
  /** Starting values. Default `{ r: 1, alpha: mean T, a: 1, b: 1 }`. */
  initial?: MbgNbdParams;
}

/** Mean negative log-likelihood (+ penalty) on log parameters, with its analytic gradient. @internal */
export function mbgNbdObjective(c: ClvColumns, penalizer: number, weights?: Float64Array): { fg: Objective; logLik: (p: MbgNbdParams) => number } {
  const { values: xs, index } = distinctIndex(c.x);
  const K = xs.length;
  const n = c.x.length;
  let N = 0;
  const xw = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[i] : 1;
    N += wi;
    xw[index[i]] += wi;
  }
  const { x, tx, T } = c;
  const lnab = new Float64Array(K);
  const core = (r: number, alpha: number, a: number, b: number, grad: Float64Array | null): number => {
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
      // ln Γ(r+x)/Γ(r) + ln B(a, b+x+1)/B(a, b)
      ll += wk * (lgamma(r + xv) - lgr + lgab + lgamma(b + xv + 1) - lgb - lgamma(a + b + xv + 1));
      if (grad) {
        const dabx = digamma(a + b + xv + 1);
        gr += wk * (digamma(r + xv) - dgr);
        gA += wk * (dgab - dabx);
        gB += wk * (dgab + digamma(b + xv + 1) - dgb - dabx);
      }
      lnab[k] = lna - Math.log(b + xv);
    }
    const lnAlpha = Math.log(alpha);
    ll += N * r * lnAlpha;
    gr += N * lnAlpha;
    ga += (N * r) / alpha;
    for (let i = 0; i < n; i++) {
      const k = index[i];
      const xi = x[i];
      const m = r + xi;
      const aT = alpha + T[i];
      const at = alpha + tx[i];
      const lT = Math.log(aT);
      const lt = Math.log(at);
      const A = -m * lT;
      const B = lnab[k] - m * lt; // the dropout term exists for x = 0 too (dropout at time 0)
      const wi = weights ? weights[i] : 1;
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
        gB -= (wi * wB) / (b + xi);
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
 * Fit the MBG/NBD model by maximum likelihood.
 *
 * @remarks
 * Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models for
 * customer base analysis", IJRM 24(3), with the corrections of Wagner & Hoppe (2008); the model
 * of `lifetimes`' `ModifiedBetaGeoFitter`. As the BG/NBD, except that a customer may also drop
 * out at time 0 (right after the first purchase), so x = 0 customers can be gone too.
 * Likelihood of one customer:
 * L = Γ(r+x) α^r / Γ(r) · B(a, b+x+1)/B(a, b) · [(α+T)^-(r+x) + a/(b+x) · (α+t_x)^-(r+x)],
 * in log space with an analytic gradient, BFGS on ln θ, identical (x, t_x, T) rows grouped.
 * On the CDNOW sample (weeks) this gives r 0.5248, α 6.1830, a 0.8914, b 1.6140 and LL
 * −9582.13, equal to `lifetimes` to 1e-6 (`test/reference/clv_mbgnbd.py`).
 *
 * @param data - calibration summaries, a `CalibrationTable` (or any `ClvTableInput`), or a transaction log with `options.calibrationEnd`.
 * @param options - see {@link FitMbgNbdOptions}.
 * @returns the fitted {@link MbgNbdModel}; predict with `expectedPurchases`, `conditionalExpectedPurchases`, `probabilityAlive`, `probabilityOfPurchases`, `customerLifetimeValue` and their column forms, as for BG/NBD.
 * @throws {@link InvalidRecordError} for an invalid customer.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no customers; `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * const m = fitMbgNbd([
 *   { customerId: "a", x: 2, t_x: 30, T: 38 }, { customerId: "b", x: 0, t_x: 0, T: 38 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39 }, { customerId: "d", x: 1, t_x: 2, T: 36 },
 * ], { penalizer: 0.01 });
 * [m.model, m.convergence.converged];
 * //=> ["mbg-nbd", true]
 * ```
 * @category CLV
 */
export function fitMbgNbd(data: ClvData, options: FitMbgNbdOptions = {}): MbgNbdModel {
  const fn = "fitMbgNbd";
  const o = fitSettings(options, fn);
  const cols = fitInput(data, options, fn);
  requireCustomers(cols.x.length, fn);
  const d = dedupeTriples(cols);
  return fitMbgNbdColumns({ ids: [], x: d.x, tx: d.tx, T: d.T, m: d.x }, o, options.initial, fn, d.w);
}

/**
 * The MBG/NBD fit on validated columns, each row standing for `weights[i]` identical customers
 * (default 1; weights > 0, integers or not): the weighted twin of `fitBgNbdColumns`. Rows are
 * not grouped here ({@link fitMbgNbd} groups identical rows first). `customers` is the total
 * weight. @internal
 */
export function fitMbgNbdColumns(
  cols: ClvColumns,
  o: { penalizer: number; maxIterations: number; tolerance: number; throwOnNonConvergence: boolean },
  initial: MbgNbdParams | undefined,
  fn: string,
  weights?: Float64Array,
): MbgNbdModel {
  let meanT = 0;
  let N = 0;
  for (let i = 0; i < cols.T.length; i++) {
    const wi = weights ? weights[i] : 1;
    meanT += wi * cols.T[i];
    N += wi;
  }
  meanT = Math.max(meanT / N, 1e-3);
  const start = initial ?? { r: 1, alpha: meanT, a: 1, b: 1 };
  const { fg, logLik } = mbgNbdObjective(cols, o.penalizer, weights);
  const res = minimize(fg, [start.r, start.alpha, start.a, start.b].map(Math.log), { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3 });
  const { theta, se, cov } = finishFit(res, N, fn, o.throwOnNonConvergence);
  const params: MbgNbdParams = { r: theta[0], alpha: theta[1], a: theta[2], b: theta[3] };
  return {
    model: "mbg-nbd",
    params,
    logLikelihood: logLik(params),
    customers: N,
    standardErrors: se ? { r: se[0], alpha: se[1], a: se[2], b: se[3] } : null,
    logCovariance: cov,
    penalizer: o.penalizer,
    convergence: flagUnidentified(fn, res.convergence, se, theta, o.throwOnNonConvergence),
  };
}

/** P(alive at T | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)) (Batislam et al. 2007, eq. 5). @internal */
export function mbgPAlive(p: MbgNbdParams, x: number, tx: number, T: number): number {
  return 1 / (1 + Math.exp(Math.log(p.a) - Math.log(p.b + x) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx))));
}

/** Repeat counts below this use the factored, cached form in {@link mbgPAliveInto}. */
const PAIR_X = 128;
/** Smallest normal double: below it the factored form would lose precision. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * P(alive) of every row into `out`: the column twin of {@link mbgPAlive}, built like the BG/NBD
 * kernel `bgPAliveInto` (bgnbd.ts).
 *
 * @remarks
 * P(alive) = 1 / (1 + e^lr), lr = ln a − ln(b+x) + (r+x)(ln(α+T) − ln(α+t_x)). Unlike the
 * BG/NBD every row has the dropout term (x = 0 customers may have left at time 0, and then
 * t_x = 0), so there is no x = 0 shortcut: every row goes through the cache. For x < 128, e^lr
 * is factored as e^(ln a − ln(b+x) + (r+x) ln(α+T)) · e^(−(r+x) ln(α+t_x)), and each factor comes
 * from a direct-mapped cache keyed by (x, α+T) or (x, α+t_x): summaries built from purchase dates
 * have a few thousand distinct pairs per million customers, so a row costs two lookups and a
 * division instead of two logs and an exp. The factored form differs from {@link mbgPAlive} by a
 * few ulp times (r+x) ln(α+T) (below 1e-13 relative, `test/clv/mbgnbd.test.ts`); it falls back
 * to the direct form when a factor overflows or leaves the normal range, and for x >= 128.
 * The rows are checked on the way (the `rowOk` rule of data.ts).
 *
 * Returns 1 when every row passed the check, else 0: the caller then validates with
 * `checkRows` (which throws or clamps) and discards `out`.
 * @internal
 */
export function mbgPAliveInto(p: MbgNbdParams, x: Float64Array, tx: Float64Array, T: Float64Array, out: Float64Array): number {
  const { r, alpha, b } = p;
  const la = Math.log(p.a);
  const lnab = new Float64Array(PAIR_X);
  for (let k = 0; k < PAIR_X; k++) lnab[k] = la - Math.log(b + k);
  const n = x.length;
  const BITS = 15;
  const SHIFT = 32 - BITS;
  const keyV = new Float64Array(1 << BITS).fill(NaN);
  const keyX = new Int32Array(1 << BITS);
  const val = new Float64Array(1 << BITS);
  let ok = 1;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    // rowOk(xi, ti, Ti) of data.ts, written out (a call here is not inlined)
    ok &= +(xi - Math.floor(xi) === 0) & +(xi >= 0) & +(Ti < Infinity) & +(Ti - ti >= 0) & +(ti >= 0) & (+(xi > 0) | +(ti === 0));
    if (xi < PAIR_X) {
      const k = xi | 0;
      const u = alpha + Ti;
      // hash of (x, u): u scaled to an int32 (the key compare decides, the hash only spreads)
      let h = Math.imul(((u * 1048576) | 0) ^ Math.imul(k, 0x85ebca6b), 0x9e3779b1) >>> SHIFT;
      let e1 = val[h];
      if (keyV[h] !== u || keyX[h] !== k) {
        e1 = val[h] = Math.exp(lnab[k] + (r + xi) * Math.log(u));
        keyV[h] = u;
        keyX[h] = k;
      }
      const v = alpha + ti;
      h = Math.imul(((v * 1048576) | 0) ^ Math.imul(k, 0xc2b2ae35), 0x9e3779b1) >>> SHIFT;
      let e2 = val[h];
      // keyed by -k - 1: never equal to a T factor's k >= 0 (x = 0 rows use both caches)
      if (keyV[h] !== v || keyX[h] !== -k - 1) {
        e2 = val[h] = Math.exp(-(r + xi) * Math.log(v));
        keyV[h] = v;
        keyX[h] = -k - 1;
      }
      if (e1 < Infinity && e2 >= MIN_NORMAL) {
        out[i] = 1 / (1 + e1 * e2);
        continue;
      }
    }
    out[i] = mbgPAlive(p, xi, ti, Ti);
  }
  return ok;
}

/**
 * E[Y(t) | x, T, alive] under MBG/NBD: (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)]
 * (Wagner & Hoppe 2008), which is the BG/NBD expression with b + 1 for b: the shared kernel. @internal
 */
export function mbgAliveExpectation(p: MbgNbdParams, x: number, T: number, t: number): number {
  if (t === 0) return 0;
  return bgExpectationGivenAlive(p.r + x, p.a, p.b + 1 + x, t / (p.alpha + T));
}

/**
 * P(X(t) = k) for a new customer under MBG/NBD:
 * B(a, b+k+1)/B(a,b) · NB(k) + B(a+1, b+k)/B(a,b) · P(NB >= k). @internal
 */
export function mbgPmf(p: MbgNbdParams, k: number, t: number): number {
  const { r, alpha, a, b } = p;
  const lBab = lgamma(a) + lgamma(b) - lgamma(a + b);
  const drop = Math.exp(lgamma(a + 1) + lgamma(b + k) - lgamma(a + b + k + 1) - lBab); // E[p (1-p)^k]
  if (t === 0) return k === 0 ? 1 : 0;
  const lq0 = r * Math.log(alpha / (alpha + t));
  const lq1 = Math.log(t / (alpha + t));
  const lnb = (j: number) => lgamma(r + j) - lgamma(r) - lgamma(j + 1) + lq0 + j * lq1;
  const term1 = Math.exp(lgamma(a) + lgamma(b + k + 1) - lgamma(a + b + k + 1) - lBab + lnb(k));
  if (k === 0) return term1 + drop;
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
    if (!done) throw new AnalyticsError("NOT_CONVERGED", `probabilityOfPurchases: the MBG/NBD upper tail for k = ${k}, t = ${t} did not converge within 1,000,000 terms`);
  }
  return term1 + drop * tail;
}
