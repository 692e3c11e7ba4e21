/**
 * BG/BB (beta-geometric/beta-Bernoulli, Fader, Hardie & Shang 2010): the discrete-time
 * non-contractual model. Summaries from 0/1 histories or a period log, likelihood with analytic
 * gradient, fit, and the per-customer predictions (record and column forms).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { digamma, expm1Ratio, lgamma, logAddExp } from "../numeric/index.js";
import { FIT_DEFAULTS, dedupeTriples, finishFit, flagUnidentified, requireCustomers, type Convergence } from "./data.js";
import { minimize, type Objective } from "./optimize.js";

/**
 * BG/BB parameters: per-opportunity transaction probability p ~ Beta(alpha, beta), per-opportunity
 * dropout probability θ ~ Beta(gamma, delta).
 * @category CLV
 */
export interface BgBbParams {
  /** First shape of the transaction-probability beta distribution. */
  readonly alpha: number;
  /** Second shape of the transaction-probability beta distribution. */
  readonly beta: number;
  /** First shape of the dropout-probability beta distribution. */
  readonly gamma: number;
  /** Second shape of the dropout-probability beta distribution. */
  readonly delta: number;
}

/**
 * A fitted BG/BB model: plain data, safe to serialise.
 * @category CLV
 */
export interface BgBbModel {
  /** Model tag. */
  readonly model: "bg-bb";
  /** Maximum-likelihood (or penalised) estimates. */
  readonly params: BgBbParams;
  /** Total log-likelihood at `params` (without the penalty). */
  readonly logLikelihood: number;
  /** Customers fitted (the sum of the weights). */
  readonly customers: number;
  /** Asymptotic standard errors (inverse Hessian, delta method); `null` when the Hessian is not positive definite. */
  readonly standardErrors: BgBbParams | null;
  /** The penalizer used. */
  readonly penalizer: number;
  /** How the optimiser ended. */
  readonly convergence: Convergence;
}

/**
 * One customer's (or one pattern's) discrete-time summary.
 * @category CLV
 */
export interface BgBbCustomer {
  /** Customer (or pattern) id. */
  readonly customerId: string;
  /** Repeat transactions: opportunities with a transaction (integer, 0 <= x <= t_x). */
  readonly x: number;
  /** Recency: the opportunity (1..n) of the last repeat transaction; 0 when x = 0. */
  readonly t_x: number;
  /** Transaction opportunities observed after the first transaction (integer >= 1). */
  readonly n: number;
  /** Number of customers with this summary (aggregated data, e.g. the donations table). Default `1`. */
  readonly weight?: number;
}

/**
 * Discrete-time summaries as columns.
 * @category CLV
 */
export interface BgBbTableInput {
  /** Customer ids (errors then name the customer; else the 1-based row). Optional. */
  readonly ids?: readonly string[];
  /** Repeat transactions per row. */
  readonly x: ArrayLike<number>;
  /** Recency per row (0 when x = 0). */
  readonly t_x: ArrayLike<number>;
  /** Opportunities per row. */
  readonly n: ArrayLike<number>;
  /** Customers per row (default 1 each). Optional. */
  readonly weights?: ArrayLike<number>;
}

/** Largest number of opportunities per customer: the likelihood costs O(n − t_x) terms a row. */
export const MAX_OPPORTUNITIES = 100_000;

interface Cols {
  ids: readonly string[];
  x: Float64Array;
  tx: Float64Array;
  n: Float64Array;
  w: Float64Array;
}

const int = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

function checkRow(fn: string, row: string | number, x: unknown, tx: unknown, n: unknown, w: unknown): void {
  if (!(int(n) && n >= 1 && n <= MAX_OPPORTUNITIES)) throw new InvalidRecordError(fn, { row, field: "n", value: n, expected: `an integer from 1 to ${MAX_OPPORTUNITIES} (transaction opportunities)` });
  if (!(int(x) && x >= 0 && x <= n)) throw new InvalidRecordError(fn, { row, field: "x", value: x, expected: `an integer from 0 to n = ${n}` });
  if (!(int(tx) && tx >= 0 && tx <= n)) throw new InvalidRecordError(fn, { row, field: "t_x", value: tx, expected: `an integer from 0 to n = ${n}` });
  if (x === 0 && tx !== 0) throw new InvalidRecordError(fn, { row, field: "t_x", value: tx, expected: "0 when x = 0" });
  if (x > tx) throw new InvalidRecordError(fn, { row, field: "x", value: x, expected: `at most t_x = ${tx} (one transaction per opportunity)` });
  if (!(typeof w === "number" && Number.isFinite(w) && w >= 0)) throw new InvalidRecordError(fn, { row, field: "weight", value: w, expected: "a finite number >= 0" });
}

function recordsToCols(rows: readonly BgBbCustomer[], fn: string): Cols {
  const k = rows.length;
  const c: Cols = { ids: [], x: new Float64Array(k), tx: new Float64Array(k), n: new Float64Array(k), w: new Float64Array(k) };
  const ids: string[] = [];
  rows.forEach((r, i) => {
    if (r === null || typeof r !== "object" || typeof r.customerId !== "string") throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: (r as { customerId?: unknown } | null)?.customerId ?? r, expected: "a string" });
    const w = r.weight ?? 1;
    checkRow(fn, r.customerId, r.x, r.t_x, r.n, w);
    ids.push(r.customerId);
    c.x[i] = r.x;
    c.tx[i] = r.t_x;
    c.n[i] = r.n;
    c.w[i] = w;
  });
  return { ...c, ids };
}

function tableToCols(t: BgBbTableInput, fn: string): Cols {
  if (t === null || typeof t !== "object") throw new InvalidOptionError(fn, "table", t, "{ x, t_x, n } columns");
  const k = t.x?.length;
  for (const f of ["x", "t_x", "n"] as const) if (!(t[f] && t[f].length === k)) throw new InvalidOptionError(fn, `table.${f}`, t[f], `${k} values, as many as table.x`);
  if (t.weights !== undefined && t.weights.length !== k) throw new InvalidOptionError(fn, "table.weights", `${t.weights.length} values`, `${k} values`);
  if (t.ids !== undefined && t.ids.length !== k) throw new InvalidOptionError(fn, "table.ids", `${t.ids.length} ids`, `${k} ids`);
  // Float64Array columns are read in place (never written); others are copied once
  const f64 = (v: ArrayLike<number>) => (v instanceof Float64Array ? v : Float64Array.from(v));
  const c: Cols = { ids: t.ids ?? [], x: f64(t.x), tx: f64(t.t_x), n: f64(t.n), w: t.weights ? f64(t.weights) : new Float64Array(k).fill(1) };
  // one branch-free pass (each comparison is false for NaN); only a failing table is walked
  // again row by row to name the first bad value
  const { x, tx, n, w } = c;
  let ok = 1;
  for (let i = 0; i < k; i++) {
    const xi = x[i];
    const ti = tx[i];
    const ni = n[i];
    ok &= +(xi - Math.floor(xi) === 0) & +(ti - Math.floor(ti) === 0) & +(ni - Math.floor(ni) === 0) & +(ni >= 1) & +(ni <= MAX_OPPORTUNITIES) & +(xi >= 0) & +(xi <= ti) & +(ti <= ni) & (+(xi > 0) | +(ti === 0)) & +(w[i] >= 0) & +(w[i] < Infinity);
  }
  if (ok === 0) for (let i = 0; i < k; i++) checkRow(fn, t.ids?.[i] ?? i + 1, t.x[i], t.t_x[i], t.n[i], w[i]);
  return c;
}

function input(data: readonly BgBbCustomer[] | BgBbTableInput, fn: string): Cols {
  return Array.isArray(data) ? recordsToCols(data as readonly BgBbCustomer[], fn) : tableToCols(data as BgBbTableInput, fn);
}

/** ln B(p, q). */
const lbeta = (p: number, q: number) => lgamma(p) + lgamma(q) - lgamma(p + q);

/**
 * ln L of one (x, t_x, n) (Fader, Hardie & Shang 2010, eq. 5) and, with `g`, its gradient in
 * (α, β, γ, δ): a log-sum-exp of n − t_x + 1 terms ln B(α+x, β+k)/B(α,β) + ln B(γ+s, δ+m)/B(γ,δ).
 */
function logLikRow(p: BgBbParams, x: number, tx: number, n: number, g: Float64Array | null, base: { lab: number; lgd: number; dab: number; da: number; db: number; dgd: number; dg: number; dd: number }): number {
  const { alpha: a, beta: b, gamma: c, delta: d } = p;
  const K = n - tx; // terms i = 0..K-1 plus the "alive" term
  const logs = new Float64Array(K + 1);
  logs[0] = lbeta(a + x, b + n - x) - base.lab + lbeta(c, d + n) - base.lgd;
  for (let i = 0; i < K; i++) logs[i + 1] = lbeta(a + x, b + tx - x + i) - base.lab + lbeta(c + 1, d + tx + i) - base.lgd;
  let ll = -Infinity;
  for (let i = 0; i <= K; i++) ll = logAddExp(ll, logs[i]);
  if (g) {
    g.fill(0);
    const dax = digamma(a + x);
    for (let i = 0; i <= K; i++) {
      const wgt = Math.exp(logs[i] - ll);
      const k = i === 0 ? n - x : tx - x + i - 1;
      const s = i === 0 ? 0 : 1;
      const m = i === 0 ? n : tx + i - 1;
      const dABk = digamma(a + b + x + k);
      const dCDm = digamma(c + s + d + m);
      g[0] += wgt * (dax - dABk - base.da + base.dab);
      g[1] += wgt * (digamma(b + k) - dABk - base.db + base.dab);
      g[2] += wgt * ((s ? digamma(c + 1) : base.dg) - dCDm - base.dg + base.dgd);
      g[3] += wgt * (digamma(d + m) - dCDm - base.dd + base.dgd);
    }
  }
  return ll;
}

function baseOf(p: BgBbParams, grad: boolean) {
  const { alpha: a, beta: b, gamma: c, delta: d } = p;
  return {
    lab: lbeta(a, b),
    lgd: lbeta(c, d),
    dab: grad ? digamma(a + b) : 0,
    da: grad ? digamma(a) : 0,
    db: grad ? digamma(b) : 0,
    dgd: grad ? digamma(c + d) : 0,
    dg: grad ? digamma(c) : 0,
    dd: grad ? digamma(d) : 0,
  };
}

/** Distinct (x, t_x, n) rows with summed weights (zero weights dropped). */
function distinctRows(c: Cols): { x: Float64Array; tx: Float64Array; n: Float64Array; w: Float64Array } {
  const d = dedupeTriples({ x: c.x, tx: c.tx, T: c.n });
  const w = new Float64Array(d.x.length);
  for (let i = 0; i < c.x.length; i++) w[d.index[i]] += c.w[i];
  return { x: d.x, tx: d.tx, n: d.T, w };
}

/**
 * Options of {@link fitBgBb}.
 * @category CLV
 */
export interface FitBgBbOptions {
  /** L2 penalty `penalizer × Σ θ²` on the natural parameters, added to the mean negative log-likelihood. Default `0`. */
  penalizer?: number;
  /** Largest number of BFGS iterations. Default `500`. */
  maxIterations?: number;
  /** Stop when every gradient component of the mean negative log-likelihood (log parameters) is below this. Default `1e-9`. */
  tolerance?: number;
  /** Throw `AnalyticsError` `NOT_CONVERGED` instead of returning `convergence.converged === false`. Default `false`. */
  throwOnNonConvergence?: boolean;
  /** Starting values. Default `{ alpha: 1, beta: 1, gamma: 1, delta: 1 }`. */
  initial?: BgBbParams;
}

/**
 * Fit the BG/BB model by maximum likelihood.
 *
 * @remarks
 * Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time noncontractual
 * setting", Marketing Science 29(6). While alive a customer transacts at each opportunity with
 * probability p ~ Beta(α, β) and, before each opportunity, drops out with probability
 * θ ~ Beta(γ, δ). Likelihood of (x, t_x, n) (eq. 5):
 * L = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ)
 *   + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β) · B(γ+1, δ+t_x+i)/B(γ,δ),
 * summed in log space (log-sum-exp) with an analytic gradient; BFGS on log parameters, identical
 * (x, t_x, n) rows grouped with their weights. On the donations data (11,104 donors, 6
 * opportunities) this gives α 1.204, β 0.750, γ 0.657, δ 2.783, LL −33,225.6, as published.
 * Cost per evaluation O(Σ over distinct rows of n − t_x); n is bounded by {@link MAX_OPPORTUNITIES}.
 *
 * @param data - summaries ({@link BgBbCustomer}, with optional `weight`) or columns ({@link BgBbTableInput}).
 * @param options - see {@link FitBgBbOptions}.
 * @returns the fitted {@link BgBbModel}.
 * @throws {@link InvalidRecordError} for a bad row (x > n, x > t_x, t_x > 0 with x = 0, negative or non-integer counts, bad weight), naming the customer or row.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no customers; `NOT_CONVERGED` with `throwOnNonConvergence`.
 * @example
 * ```ts
 * // eight (x, t_x) patterns over 4 opportunities, with the number of customers of each
 * const m = fitBgBb({ x: [0, 1, 1, 2, 2, 3, 3, 4], t_x: [0, 1, 4, 2, 4, 3, 4, 4], n: [4, 4, 4, 4, 4, 4, 4, 4], weights: [400, 120, 60, 90, 80, 70, 90, 150] });
 * [m.convergence.converged, m.params.alpha.toFixed(3), m.customers];
 * //=> [true, "1.677", 1060]
 * ```
 * @category CLV
 */
export function fitBgBb(data: readonly BgBbCustomer[] | BgBbTableInput, options: FitBgBbOptions = {}): BgBbModel {
  const fn = "fitBgBb";
  const o = withDefaults({ ...FIT_DEFAULTS, initial: undefined as BgBbParams | undefined }, options);
  if (!(typeof o.penalizer === "number" && Number.isFinite(o.penalizer) && o.penalizer >= 0)) throw new InvalidOptionError(fn, "penalizer", o.penalizer, "a finite number >= 0");
  if (!(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "an integer >= 1");
  if (!(typeof o.tolerance === "number" && o.tolerance > 0 && Number.isFinite(o.tolerance))) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a finite number > 0");
  const start = o.initial ?? { alpha: 1, beta: 1, gamma: 1, delta: 1 };
  if (![start.alpha, start.beta, start.gamma, start.delta].every((v) => typeof v === "number" && v > 0 && Number.isFinite(v))) throw new InvalidOptionError(fn, "initial", start, "positive finite { alpha, beta, gamma, delta }");
  const d = distinctRows(input(data, fn));
  let N = 0;
  for (const w of d.w) N += w;
  requireCustomers(N, fn);
  const g = new Float64Array(4);
  const total = new Float64Array(4);
  const core = (p: BgBbParams, grad: Float64Array | null): number => {
    const base = baseOf(p, grad !== null);
    let ll = 0;
    if (grad) grad.fill(0);
    for (let k = 0; k < d.x.length; k++) {
      ll += d.w[k] * logLikRow(p, d.x[k], d.tx[k], d.n[k], grad ? g : null, base);
      if (grad) for (let j = 0; j < 4; j++) grad[j] += d.w[k] * g[j];
    }
    return ll;
  };
  const fg: Objective = (u, grad) => {
    const th = Array.from(u, Math.exp);
    if (!th.every((v) => v > 0 && Number.isFinite(v))) return Infinity;
    const ll = core({ alpha: th[0], beta: th[1], gamma: th[2], delta: th[3] }, total);
    let pen = 0;
    for (let j = 0; j < 4; j++) {
      pen += th[j] * th[j];
      grad[j] = (-total[j] * th[j]) / N + 2 * o.penalizer * th[j] * th[j];
    }
    const f = -ll / N + o.penalizer * pen;
    return Number.isFinite(f) ? f : Infinity;
  };
  const res = minimize(fg, [start.alpha, start.beta, start.gamma, start.delta].map(Math.log), { maxIterations: o.maxIterations, gradientTolerance: o.tolerance, maxStep: 3 });
  const { theta, se } = finishFit(res, N, fn, o.throwOnNonConvergence);
  const params: BgBbParams = { alpha: theta[0], beta: theta[1], gamma: theta[2], delta: theta[3] };
  return {
    model: "bg-bb",
    params,
    logLikelihood: core(params, null),
    customers: N,
    standardErrors: se ? { alpha: se[0], beta: se[1], gamma: se[2], delta: se[3] } : null,
    penalizer: o.penalizer,
    convergence: flagUnidentified(fn, res.convergence, se, theta, o.throwOnNonConvergence),
  };
}

function checkModel(model: BgBbModel, fn: string): BgBbParams {
  const m = model as unknown as { model?: unknown; params?: Record<string, unknown> } | null;
  const ok = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;
  if (m?.model !== "bg-bb" || !["alpha", "beta", "gamma", "delta"].every((k) => ok(m.params?.[k]))) {
    throw new InvalidOptionError(fn, "model", m?.model ?? model, 'a fitted "bg-bb" model with positive finite parameters (from fitBgBb)');
  }
  return m.params as unknown as BgBbParams;
}

function checkCount(v: unknown, fn: string, option: string, min: number): number {
  if (!(typeof v === "number" && Number.isInteger(v) && v >= min && v <= MAX_OPPORTUNITIES)) throw new InvalidOptionError(fn, option, v, `an integer from ${min} to ${MAX_OPPORTUNITIES}`);
  return v;
}

/** log1p(u)/u, 1 at u = 0. */
const log1pRatio = (u: number) => (u === 0 ? 1 : Math.log1p(u) / u);

/**
 * ln Π_{j=from}^{to−1} (1+δ+j)/(γ+δ+j), i.e. ln [Γ(1+δ+to)Γ(γ+δ+from)/(Γ(γ+δ+to)Γ(1+δ+from))]
 * divided by (γ − 1), as the sum −Σ log1p(u_j)/u_j/(1+δ+j), u_j = (γ−1)/(1+δ+j): no
 * cancellation for any γ, continuous at γ = 1.
 */
function qRatio(g: number, d: number, from: number, to: number): number {
  let q = 0;
  for (let j = from; j < to; j++) q -= log1pRatio((g - 1) / (1 + d + j)) / (1 + d + j);
  return q;
}

/**
 * δ/(γ−1) · [Γ(γ+δ)Γ(1+δ+n)/(Γ(1+δ)Γ(γ+δ+n)) − Γ(γ+δ)Γ(1+δ+n+k)/(Γ(1+δ)Γ(γ+δ+n+k))]:
 * the expected dropout-adjusted opportunities of eq. (8) and (13), stable at γ = 1.
 */
function aliveOpportunities(p: BgBbParams, n: number, k: number): number {
  const { gamma: g, delta: d } = p;
  const e1 = g - 1;
  const qn = qRatio(g, d, 0, n);
  const qk = qRatio(g, d, n, n + k);
  // δ e^{(γ−1) qn} · (1 − e^{(γ−1) qk})/(γ−1) = −δ e^{(γ−1) qn} expm1Ratio(γ−1, qk)
  return -d * Math.exp(e1 * qn) * expm1Ratio(e1, qk);
}

/**
 * Expected number of repeat transactions of a new customer in the first `n` opportunities, E[X(n)].
 *
 * @remarks
 * Fader, Hardie & Shang (2010), eq. (8): α/(α+β) · δ/(γ−1) · [1 − Γ(γ+δ)Γ(1+δ+n)/(Γ(1+δ)Γ(γ+δ+n))],
 * evaluated as a sum of log1p terms (continuous at γ = 1). Times the cohort size it is the
 * cohort's expected cumulative repeat transactions (see {@link bgBbExpectedTransactionsCurve}). O(n).
 *
 * @param model - a fitted BG/BB model.
 * @param n - opportunities (integer, 0..100000).
 * @returns E[X(n)].
 * @throws {@link InvalidOptionError} for an invalid model or n.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * bgBbExpectedTransactions(m, 6).toFixed(3);
 * //=> "2.220"
 * ```
 * @category CLV
 */
export function bgBbExpectedTransactions(model: BgBbModel, n: number): number {
  const fn = "bgBbExpectedTransactions";
  const p = checkModel(model, fn);
  checkCount(n, fn, "n", 0);
  return (p.alpha / (p.alpha + p.beta)) * aliveOpportunities(p, 0, n);
}

/**
 * Options of {@link bgBbExpectedTransactionsCurve}.
 * @category CLV
 */
export interface BgBbExpectedTransactionsCurveOptions {
  /** Last opportunity of the curve. Required. */
  periods: number;
  /** Customers in the cohort. Default `1` (per-customer values). */
  cohortSize?: number;
}

/**
 * A cohort's expected repeat transactions by opportunity ({@link bgBbExpectedTransactionsCurve}).
 * @category CLV
 */
export interface BgBbTransactionsCurve {
  /** Expected repeat transactions up to opportunity k (index k = 0..periods; entry 0 is 0). */
  readonly cumulative: Float64Array;
  /** Expected repeat transactions at opportunity k (entry 0 is 0). */
  readonly incremental: Float64Array;
}

/**
 * A customer's BG/BB probability of being alive.
 * @category CLV
 */
export interface BgBbCustomerPAlive {
  /** Customer id. */
  readonly customerId: string;
  /** P(alive at opportunity n + periodsAhead), in [0, 1]. */
  readonly pAlive: number;
}

/**
 * A customer's BG/BB expected repeat transactions in the next opportunities.
 * @category CLV
 */
export interface BgBbCustomerExpectedTransactions {
  /** Customer id. */
  readonly customerId: string;
  /** E[X(n, n + n*) | x, t_x, n]. */
  readonly expectedTransactions: number;
}

/**
 * Result of {@link bgBbSummariesFromLog}.
 * @category CLV
 */
export interface BgBbSummariesFromLogResult {
  /** One summary per customer with at least one opportunity, in first-seen order. */
  readonly summaries: BgBbCustomer[];
  /** Customers first seen in `lastPeriod` (no opportunity yet), left out. */
  readonly leftOut: number;
}

/**
 * Expected repeat transactions of a cohort over time: cumulative and per opportunity.
 *
 * @remarks
 * cumulative[k] = cohortSize · E[X(k)] (eq. 8), incremental[k] = cumulative[k] − cumulative[k−1],
 * k = 0..periods (the tracking plot of Fader, Hardie & Shang 2010, Figure 4). O(periods²)
 * with the stable sum; periods is at most {@link MAX_OPPORTUNITIES}.
 *
 * @param model - a fitted BG/BB model.
 * @param options - see {@link BgBbExpectedTransactionsCurveOptions}.
 * @returns `{ cumulative, incremental }` columns, index = opportunity.
 * @throws {@link InvalidOptionError} for an invalid model, periods or cohortSize.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * Array.from(bgBbExpectedTransactionsCurve(m, { periods: 2, cohortSize: 11104 }).incremental, (v) => Math.round(v));
 * //=> [0, 5535, 4716]
 * ```
 * @category CLV
 */
export function bgBbExpectedTransactionsCurve(model: BgBbModel, options: BgBbExpectedTransactionsCurveOptions): BgBbTransactionsCurve {
  const fn = "bgBbExpectedTransactionsCurve";
  const p = checkModel(model, fn);
  const T = checkCount(options?.periods, fn, "periods", 0);
  const size = options?.cohortSize ?? 1;
  if (!(typeof size === "number" && Number.isFinite(size) && size >= 0)) throw new InvalidOptionError(fn, "cohortSize", size, "a finite number >= 0");
  const cumulative = new Float64Array(T + 1);
  const incremental = new Float64Array(T + 1);
  const share = p.alpha / (p.alpha + p.beta);
  for (let k = 1; k <= T; k++) {
    cumulative[k] = size * share * aliveOpportunities(p, 0, k);
    incremental[k] = cumulative[k] - cumulative[k - 1];
  }
  return { cumulative, incremental };
}

/**
 * Probability that a new customer makes exactly `x` repeat transactions in `n` opportunities.
 *
 * @remarks
 * Fader, Hardie & Shang (2010), eq. (7):
 * C(n,x) B(α+x, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) + Σ_{i=0}^{n−x−1} C(x+i, x) B(α+x, β+i)/B(α,β) · B(γ+1, δ+x+i)/B(γ,δ),
 * summed in log space. Times the cohort size, compare with the observed counts by x (the
 * paper's Figure 3). O(n).
 *
 * @param model - a fitted BG/BB model.
 * @param x - repeat transactions (integer, 0..n).
 * @param n - opportunities (integer, 0..100000).
 * @returns P(X(n) = x), in [0, 1].
 * @throws {@link InvalidOptionError} for an invalid model, x or n.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * bgBbProbabilityOfTransactions(m, 0, 6).toFixed(3);
 * //=> "0.311"
 * ```
 * @category CLV
 */
export function bgBbProbabilityOfTransactions(model: BgBbModel, x: number, n: number): number {
  const fn = "bgBbProbabilityOfTransactions";
  const p = checkModel(model, fn);
  checkCount(n, fn, "n", 0);
  if (!(typeof x === "number" && Number.isInteger(x) && x >= 0 && x <= n)) throw new InvalidOptionError(fn, "x", x, `an integer from 0 to n = ${n}`);
  const { alpha: a, beta: b, gamma: c, delta: d } = p;
  const lab = lbeta(a, b);
  const lgd = lbeta(c, d);
  const lchoose = (m: number, k: number) => lgamma(m + 1) - lgamma(k + 1) - lgamma(m - k + 1);
  let ll = lchoose(n, x) + lbeta(a + x, b + n - x) - lab + lbeta(c, d + n) - lgd;
  for (let i = 0; i < n - x; i++) ll = logAddExp(ll, lchoose(x + i, x) + lbeta(a + x, b + i) - lab + lbeta(c + 1, d + x + i) - lgd);
  return Math.min(1, Math.exp(ll));
}

/**
 * Options of {@link bgBbProbabilityAlive} and its column form.
 * @category CLV
 */
export interface BgBbProbabilityAliveOptions {
  /** Alive at opportunity n + `periodsAhead`: 1 (the paper's eq. 11, alive for the next opportunity) by default; 0 = alive at the last observed opportunity (lifetimes' `m_periods_in_future = 0`). */
  periodsAhead?: number;
}

/**
 * Options of {@link bgBbConditionalExpectedTransactions} and its column form.
 * @category CLV
 */
export interface BgBbConditionalExpectedTransactionsOptions {
  /** Number of future opportunities n*. Required. */
  periods: number;
}

/** `f` once per distinct (x, t_x, n) row, scattered to every row. */
function perDistinct(c: Cols, f: (x: number, tx: number, n: number) => number): Float64Array {
  const d = dedupeTriples({ x: c.x, tx: c.tx, T: c.n });
  const u = new Float64Array(d.x.length);
  for (let k = 0; k < u.length; k++) u[k] = f(d.x[k], d.tx[k], d.T[k]);
  const out = new Float64Array(c.x.length);
  for (let i = 0; i < out.length; i++) out[i] = u[d.index[i]];
  return out;
}

function pAliveCol(p: BgBbParams, c: Cols, m: number): Float64Array {
  const base = baseOf(p, false);
  return perDistinct(c, (x, tx, n) => {
    const ll = logLikRow(p, x, tx, n, null, base);
    // eq. (11): B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+m)/B(γ,δ) / L
    return Math.min(1, Math.exp(lbeta(p.alpha + x, p.beta + n - x) - base.lab + lbeta(p.gamma, p.delta + n + m) - base.lgd - ll));
  });
}

function conditionalCol(p: BgBbParams, c: Cols, k: number): Float64Array {
  const base = baseOf(p, false);
  const byN = new Map<number, number>();
  return perDistinct(c, (x, tx, n) => {
    let opp = byN.get(n);
    if (opp === undefined) {
      opp = aliveOpportunities(p, n, k);
      byN.set(n, opp);
    }
    const ll = logLikRow(p, x, tx, n, null, base);
    // eq. (13): B(α+x+1, β+n−x)/B(α,β) / L · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) · [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)]
    return Math.exp(lbeta(p.alpha + x + 1, p.beta + n - x) - base.lab - ll) * opp;
  });
}

/**
 * Probability that each customer is still alive at opportunity n + `periodsAhead`.
 *
 * @remarks
 * Fader, Hardie & Shang (2010), eq. (11):
 * P(alive at n+1 | x, t_x, n) = B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L(α,β,γ,δ | x, t_x, n);
 * `periodsAhead` m replaces the n+1 by n+m. Each distinct (x, t_x, n) is evaluated once.
 *
 * @param model - a fitted BG/BB model.
 * @param customers - summaries ({@link BgBbCustomer}; `weight` is ignored).
 * @param options - see {@link BgBbProbabilityAliveOptions}.
 * @returns one `{ customerId, pAlive }` per customer, in input order.
 * @throws {@link InvalidRecordError} for a bad row.
 * @throws {@link InvalidOptionError} for an invalid model or option.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * bgBbProbabilityAlive(m, [{ customerId: "a", x: 1, t_x: 1, n: 6 }])[0].pAlive.toFixed(3);
 * //=> "0.069"
 * ```
 * @category CLV
 */
export function bgBbProbabilityAlive(model: BgBbModel, customers: readonly BgBbCustomer[], options: BgBbProbabilityAliveOptions = {}): BgBbCustomerPAlive[] {
  const fn = "bgBbProbabilityAlive";
  const p = checkModel(model, fn);
  const m = checkCount(options?.periodsAhead ?? 1, fn, "periodsAhead", 0);
  if (!Array.isArray(customers)) throw new InvalidOptionError(fn, "customers", customers, "an array of { customerId, x, t_x, n } records");
  const c = recordsToCols(customers, fn);
  const v = pAliveCol(p, c, m);
  return c.ids.map((customerId, i) => ({ customerId, pAlive: v[i] }));
}

/**
 * P(alive at n + `periodsAhead`) of every row of a table, as a column: the columnar form of
 * {@link bgBbProbabilityAlive}, same numbers.
 *
 * @remarks
 * Eq. (11) of Fader, Hardie & Shang (2010), once per distinct (x, t_x, n) row.
 *
 * @param model - a fitted BG/BB model.
 * @param table - `{ x, t_x, n }` columns ({@link BgBbTableInput}).
 * @param options - see {@link BgBbProbabilityAliveOptions}.
 * @returns a new `Float64Array`, row `i` = P(alive) of row `i`.
 * @throws {@link InvalidRecordError} for a bad row (id or 1-based row, field, value).
 * @throws {@link InvalidOptionError} for an invalid model, option or column lengths.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * Array.from(bgBbProbabilityAliveColumn(m, { x: [6, 0], t_x: [6, 0], n: [6, 6] }), (v) => +v.toFixed(3));
 * //=> [0.93, 0.108]
 * ```
 * @category CLV
 */
export function bgBbProbabilityAliveColumn(model: BgBbModel, table: BgBbTableInput, options: BgBbProbabilityAliveOptions = {}): Float64Array {
  const fn = "bgBbProbabilityAliveColumn";
  const p = checkModel(model, fn);
  const m = checkCount(options?.periodsAhead ?? 1, fn, "periodsAhead", 0);
  return pAliveCol(p, tableToCols(table, fn), m);
}

/**
 * Expected repeat transactions of each customer in the next `periods` opportunities.
 *
 * @remarks
 * Fader, Hardie & Shang (2010), eq. (13):
 * E[X(n, n+n*) | x, t_x, n] = B(α+x+1, β+n−x)/B(α,β) / L · δ/(γ−1) · Γ(γ+δ)/Γ(1+δ) ·
 * [Γ(1+δ+n)/Γ(γ+δ+n) − Γ(1+δ+n+n*)/Γ(γ+δ+n+n*)], the bracket evaluated as a sum of log1p
 * terms (no cancellation, continuous at γ = 1). Once per distinct (x, t_x, n). O(n + n*) each.
 *
 * @param model - a fitted BG/BB model.
 * @param customers - summaries ({@link BgBbCustomer}).
 * @param options - see {@link BgBbConditionalExpectedTransactionsOptions}.
 * @returns one `{ customerId, expectedTransactions }` per customer, in input order.
 * @throws {@link InvalidRecordError} for a bad row.
 * @throws {@link InvalidOptionError} for an invalid model or periods.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * bgBbConditionalExpectedTransactions(m, [{ customerId: "a", x: 6, t_x: 6, n: 6 }], { periods: 5 })[0].expectedTransactions.toFixed(2);
 * //=> "3.75"
 * ```
 * @category CLV
 */
export function bgBbConditionalExpectedTransactions(
  model: BgBbModel,
  customers: readonly BgBbCustomer[],
  options: BgBbConditionalExpectedTransactionsOptions,
): BgBbCustomerExpectedTransactions[] {
  const fn = "bgBbConditionalExpectedTransactions";
  const p = checkModel(model, fn);
  const k = checkCount(options?.periods, fn, "periods", 0);
  if (!Array.isArray(customers)) throw new InvalidOptionError(fn, "customers", customers, "an array of { customerId, x, t_x, n } records");
  const c = recordsToCols(customers, fn);
  const v = conditionalCol(p, c, k);
  return c.ids.map((customerId, i) => ({ customerId, expectedTransactions: v[i] }));
}

/**
 * Expected repeat transactions in the next `periods` opportunities of every row of a table:
 * the columnar form of {@link bgBbConditionalExpectedTransactions}, same numbers.
 *
 * @remarks
 * Eq. (13) of Fader, Hardie & Shang (2010), once per distinct (x, t_x, n) row.
 *
 * @param model - a fitted BG/BB model.
 * @param table - `{ x, t_x, n }` columns.
 * @param options - see {@link BgBbConditionalExpectedTransactionsOptions}.
 * @returns a new `Float64Array` by row.
 * @throws {@link InvalidRecordError} for a bad row.
 * @throws {@link InvalidOptionError} for an invalid model, periods or column lengths.
 * @example
 * ```ts
 * const m = { model: "bg-bb", params: { alpha: 1.204, beta: 0.750, gamma: 0.657, delta: 2.783 } } as BgBbModel;
 * Array.from(bgBbConditionalExpectedTransactionsColumn(m, { x: [6, 0], t_x: [6, 0], n: [6, 6] }, { periods: 5 }), (v) => +v.toFixed(2));
 * //=> [3.75, 0.07]
 * ```
 * @category CLV
 */
export function bgBbConditionalExpectedTransactionsColumn(model: BgBbModel, table: BgBbTableInput, options: BgBbConditionalExpectedTransactionsOptions): Float64Array {
  const fn = "bgBbConditionalExpectedTransactionsColumn";
  const p = checkModel(model, fn);
  const k = checkCount(options?.periods, fn, "periods", 0);
  return conditionalCol(p, tableToCols(table, fn), k);
}

/**
 * One customer's per-opportunity history: entry j (0-based) is 1 when the customer transacted
 * at opportunity j + 1 after the first transaction, else 0.
 * @category CLV
 */
export interface BgBbHistory {
  /** Customer id. */
  readonly customerId: string;
  /** 0/1 per opportunity after the first transaction (its length is n). */
  readonly history: ArrayLike<number>;
}

/**
 * Discrete-time summaries (x, t_x, n) from per-opportunity 0/1 histories.
 *
 * @remarks
 * x = number of 1s, t_x = the (1-based) opportunity of the last 1 (0 when there is none),
 * n = the history's length (Fader, Hardie & Shang 2010, section 2). O(total length).
 *
 * @param histories - one {@link BgBbHistory} per customer.
 * @returns one {@link BgBbCustomer} per customer, in input order.
 * @throws {@link InvalidRecordError} for an entry that is not 0 or 1 (`field` "history[j]"), or an empty history.
 * @example
 * ```ts
 * bgBbSummaries([{ customerId: "a", history: [1, 0, 1, 0, 0, 0] }]);
 * //=> [{ customerId: "a", x: 2, t_x: 3, n: 6 }]
 * ```
 * @category CLV
 */
export function bgBbSummaries(histories: Iterable<BgBbHistory>): BgBbCustomer[] {
  const fn = "bgBbSummaries";
  if (histories === null || typeof histories !== "object" || !(Symbol.iterator in histories)) throw new InvalidOptionError(fn, "histories", histories, "an iterable of { customerId, history } records");
  const out: BgBbCustomer[] = [];
  let row = 0;
  for (const h of histories) {
    row++;
    if (h === null || typeof h !== "object" || typeof h.customerId !== "string") throw new InvalidRecordError(fn, { row, field: "customerId", value: (h as { customerId?: unknown } | null)?.customerId ?? h, expected: "a string" });
    const hist = h.history;
    const n = hist?.length;
    if (!(typeof n === "number" && n >= 1 && n <= MAX_OPPORTUNITIES)) throw new InvalidRecordError(fn, { row: h.customerId, field: "history", value: hist, expected: `0/1 entries for 1 to ${MAX_OPPORTUNITIES} opportunities` });
    let x = 0;
    let tx = 0;
    for (let j = 0; j < n; j++) {
      const v = hist[j];
      if (v !== 0 && v !== 1) throw new InvalidRecordError(fn, { row: h.customerId, field: `history[${j}]`, value: v, expected: "0 or 1" });
      if (v === 1) {
        x++;
        tx = j + 1;
      }
    }
    out.push({ customerId: h.customerId, x, t_x: tx, n });
  }
  return out;
}

/**
 * One transaction in a log with fixed transaction opportunities (an integer period index).
 * @category CLV
 */
export interface PeriodEvent {
  /** Customer id. */
  readonly customerId: string;
  /** Opportunity (period) index, an integer (e.g. the year). */
  readonly period: number;
}

/**
 * Options of {@link bgBbSummariesFromLog}.
 * @category CLV
 */
export interface BgBbSummariesFromLogOptions {
  /** The last opportunity observed (an integer). Required. */
  lastPeriod: number;
}

/**
 * Discrete-time summaries (x, t_x, n) from a transaction log with fixed opportunities.
 *
 * @remarks
 * Each customer's first period is the acquisition; n = lastPeriod − first period; x = the
 * number of distinct later periods with a transaction (several transactions in one period
 * count once); t_x = last such period − first period (0 when none). Customers acquired in
 * `lastPeriod` have no opportunity yet and are left out (counted in `leftOut`). O(events).
 *
 * @param events - `{ customerId, period }` records, in any order.
 * @param options - see {@link BgBbSummariesFromLogOptions}.
 * @returns `{ summaries, leftOut }`: summaries in first-seen order; `leftOut` the number of customers first seen in `lastPeriod`.
 * @throws {@link InvalidRecordError} for a period that is not an integer or is after `lastPeriod` (1-based row).
 * @throws {@link InvalidOptionError} for an invalid `lastPeriod`.
 * @example
 * ```ts
 * bgBbSummariesFromLog([{ customerId: "a", period: 1995 }, { customerId: "a", period: 1997 }, { customerId: "a", period: 1997 }], { lastPeriod: 2001 }).summaries;
 * //=> [{ customerId: "a", x: 1, t_x: 2, n: 6 }]
 * ```
 * @category CLV
 */
export function bgBbSummariesFromLog(events: Iterable<PeriodEvent>, options: BgBbSummariesFromLogOptions): BgBbSummariesFromLogResult {
  const fn = "bgBbSummariesFromLog";
  const last = options?.lastPeriod;
  if (!(typeof last === "number" && Number.isInteger(last))) throw new InvalidOptionError(fn, "lastPeriod", last, "an integer period index");
  if (events === null || typeof events !== "object" || !(Symbol.iterator in events)) throw new InvalidOptionError(fn, "events", events, "an iterable of { customerId, period } records");
  const periods = new Map<string, Set<number>>();
  let row = 0;
  for (const e of events) {
    row++;
    if (e === null || typeof e !== "object" || typeof e.customerId !== "string") throw new InvalidRecordError(fn, { row, field: "customerId", value: (e as { customerId?: unknown } | null)?.customerId ?? e, expected: "a string" });
    if (!(typeof e.period === "number" && Number.isInteger(e.period) && e.period <= last)) throw new InvalidRecordError(fn, { row, field: "period", value: e.period, expected: `an integer period <= lastPeriod ${last}` });
    let s = periods.get(e.customerId);
    if (!s) periods.set(e.customerId, (s = new Set()));
    s.add(e.period);
  }
  const summaries: BgBbCustomer[] = [];
  let leftOut = 0;
  for (const [customerId, s] of periods) {
    let first = Infinity;
    let lastSeen = -Infinity;
    for (const p of s) {
      if (p < first) first = p;
      if (p > lastSeen) lastSeen = p;
    }
    const n = last - first;
    if (n === 0) {
      leftOut++;
      continue;
    }
    if (n > MAX_OPPORTUNITIES) throw new InvalidRecordError(fn, { row: customerId, field: "period", value: first, expected: `at most ${MAX_OPPORTUNITIES} opportunities before lastPeriod` });
    const x = s.size - 1;
    summaries.push({ customerId, x, t_x: x === 0 ? 0 : lastSeen - first, n });
  }
  if (summaries.length === 0 && leftOut === 0 && row === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no events`);
  return { summaries, leftOut };
}
