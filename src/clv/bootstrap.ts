/**
 * The resampling kernel of the bootstrap intervals of {@link predictionIntervals}
 * (`method: "bootstrap"`): draw the customers again with replacement, refit, predict. Plain data
 * in and out, so the same kernel runs on this thread or in a worker (`bootstrapWorker.ts`).
 * @module
 * @internal
 */
import { AnalyticsError } from "../core/errors.js";
import { StreamRng } from "../numeric/index.js";
import { fitBgNbdColumns, type BgNbdParams } from "./bgnbd.js";
import { dedupeTriples, FIT_DEFAULTS, type ClvColumns } from "./data.js";
import { aliveAtColumn } from "./forecast.js";
import { fitGammaGammaColumns, type GammaGammaModel, type GammaGammaParams } from "./gammagamma.js";
import { fitMbgNbdColumns, type MbgNbdParams } from "./mbgnbd.js";
import { fitParetoNbdColumns, PARETO_FIT_DEFAULTS, type ParetoNbdParams } from "./paretonbd.js";
import { clvColumns, conditionalColumn, type CustomerLifetimeValueOptions, type TransactionModel } from "./predict.js";

/** Parameter names of a model, in the order of its `logCovariance`. @internal */
export function parameterKeys(model: { model: string }): string[] {
  return model.model === "pareto-nbd" ? ["r", "alpha", "s", "beta"] : model.model === "gamma-gamma" ? ["p", "q", "gamma"] : ["r", "alpha", "a", "b"];
}

/** The predictions of {@link predictionIntervals} at one parameter set. @internal */
export function predictAt(
  m: TransactionModel,
  sp: GammaGammaParams | null,
  c: ClvColumns,
  t: number,
  clv: Required<CustomerLifetimeValueOptions>,
  fn: string,
): { pa: Float64Array; ex: Float64Array; clv: Float64Array | null } {
  return {
    pa: aliveAtColumn(m, c, t),
    ex: t > 0 ? conditionalColumn(m, c, t) : new Float64Array(c.x.length),
    clv: sp ? clvColumns(m, sp, c, clv, fn).clv : null,
  };
}

/**
 * Everything a resample needs, as structured-clonable data (sent once to each worker).
 * @internal
 */
export interface BootstrapPlan {
  readonly fn: string;
  readonly model: TransactionModel;
  readonly spend: GammaGammaModel | null;
  /** The fitting customers (N rows; `m` empty without a spend model). */
  readonly fit: { readonly x: Float64Array; readonly tx: Float64Array; readonly T: Float64Array; readonly m: Float64Array };
  /** Distinct (x, t_x, T) rows of the fitting customers and each customer's row. */
  readonly rows: { readonly x: Float64Array; readonly tx: Float64Array; readonly T: Float64Array; readonly index: Int32Array };
  /** The customers predicted (ids dropped: already validated). */
  readonly pred: ClvColumns;
  readonly t: number;
  readonly clv: Required<CustomerLifetimeValueOptions>;
  /** Stream key of the call (`streamKey(seed)`); resample r uses stream r. */
  readonly key: readonly [number, number];
}

/** Build a {@link BootstrapPlan}. @internal */
export function bootstrapPlan(
  fn: string,
  model: TransactionModel,
  spend: GammaGammaModel | null,
  fit: ClvColumns,
  pred: ClvColumns,
  t: number,
  clv: Required<CustomerLifetimeValueOptions>,
  key: readonly [number, number],
): BootstrapPlan {
  const d = dedupeTriples(fit);
  return {
    fn,
    model,
    spend,
    fit: { x: fit.x, tx: fit.tx, T: fit.T, m: spend ? fit.m : new Float64Array(0) },
    rows: { x: d.x, tx: d.tx, T: d.T, index: d.index },
    pred: { ids: [], x: pred.x, tx: pred.tx, T: pred.T, m: pred.m },
    t,
    clv,
    key,
  };
}

/**
 * Results of resamples [from, to): per resample, whether it succeeded, its parameters and (when
 * it succeeded) its predictions, resample-major (`pa[(r - from) * n + i]`).
 * @internal
 */
export interface ResampleBlock {
  readonly from: number;
  readonly to: number;
  /** 1 = used, 0 = left out (a fit failed or did not converge, or a prediction was not finite). */
  readonly ok: Uint8Array;
  /** Transaction-model parameters, `k` per resample (order of {@link parameterKeys}). */
  readonly params: Float64Array;
  /** Spend-model parameters, 3 per resample (empty without a spend model). */
  readonly spendParams: Float64Array;
  readonly pa: Float64Array;
  readonly ex: Float64Array;
  /** Empty without a spend model. */
  readonly clv: Float64Array;
}

/** Fit settings of a refit: the model's own penalizer, the library's defaults otherwise. */
function fitSettingsOf(penalizer: number) {
  return { ...FIT_DEFAULTS, penalizer, throwOnNonConvergence: false };
}

/** Refit the transaction model on the resample's distinct rows (weights = how often each was drawn), warm-started at the estimates. */
function refitTransaction(plan: BootstrapPlan, x: Float64Array, tx: Float64Array, T: Float64Array, w: Float64Array): TransactionModel {
  const { model, fn } = plan;
  const cols = { ids: [], x, tx, T, m: x };
  const o = fitSettingsOf(model.penalizer);
  if (model.model === "bg-nbd") return fitBgNbdColumns(cols, o, model.params as BgNbdParams, fn, w);
  if (model.model === "mbg-nbd") return fitMbgNbdColumns(cols, o, model.params as MbgNbdParams, fn, w);
  return fitParetoNbdColumns(cols, { ...o, ...PARETO_FIT_DEFAULTS }, model.params as ParetoNbdParams, fn, w);
}

/**
 * Run resamples [from, to) of `plan`. Resample r draws its N customers from stream r of the
 * call's key, so its result depends on nothing else (not on the thread that runs it).
 * @internal
 */
export function runResamples(plan: BootstrapPlan, from: number, to: number): ResampleBlock {
  const { fit, rows, pred, spend } = plan;
  const N = fit.x.length;
  const K = rows.x.length;
  const n = pred.x.length;
  const len = to - from;
  const keys = parameterKeys(plan.model);
  const kT = keys.length;
  const ok = new Uint8Array(len);
  const params = new Float64Array(len * kT);
  const spendParams = new Float64Array(spend ? len * 3 : 0);
  const pa = new Float64Array(len * n);
  const ex = new Float64Array(len * n);
  const clv = new Float64Array(spend ? len * n : 0);
  const rowCount = new Float64Array(K);
  const custCount = spend ? new Float64Array(N) : null;
  const rng = new StreamRng();
  const index = rows.index;
  for (let r = from; r < to; r++) {
    const j = r - from;
    // N customers with replacement, as multinomial counts over the distinct rows (and, for the
    // spend model, over the customers)
    rng.seed(plan.key[0], plan.key[1], r);
    rowCount.fill(0);
    if (custCount) custCount.fill(0);
    for (let d = 0; d < N; d++) {
      const i = Math.floor(rng.next() * N);
      rowCount[index[i]]++;
      if (custCount) custCount[i]++;
    }
    let used = 0;
    for (let k = 0; k < K; k++) used += +(rowCount[k] > 0);
    const x = new Float64Array(used);
    const tx = new Float64Array(used);
    const T = new Float64Array(used);
    const w = new Float64Array(used);
    for (let k = 0, u = 0; k < K; k++) {
      if (rowCount[k] > 0) {
        x[u] = rows.x[k];
        tx[u] = rows.tx[k];
        T[u] = rows.T[k];
        w[u++] = rowCount[k];
      }
    }
    try {
      const m = refitTransaction(plan, x, tx, T, w);
      const mp = m.params as unknown as Record<string, number>;
      for (let q = 0; q < kT; q++) params[j * kT + q] = mp[keys[q]];
      if (!m.convergence.converged || !keys.every((key) => mp[key] > 0 && mp[key] < Infinity)) continue;
      let sp: GammaGammaParams | null = null;
      if (spend && custCount) {
        sp = refitSpend(plan, custCount);
        if (!sp) continue;
        spendParams[j * 3] = sp.p;
        spendParams[j * 3 + 1] = sp.q;
        spendParams[j * 3 + 2] = sp.gamma;
        if (!(sp.q > 1 && sp.p > 0 && sp.gamma > 0 && sp.p < Infinity && sp.gamma < Infinity && sp.q < Infinity)) continue;
      }
      const p = predictAt(m, sp, pred, plan.t, plan.clv, plan.fn);
      let finite = true;
      for (let i = 0; i < n; i++) finite &&= Number.isFinite(p.pa[i]) && Number.isFinite(p.ex[i]) && (!p.clv || Number.isFinite(p.clv[i]));
      if (!finite) continue;
      pa.set(p.pa, j * n);
      ex.set(p.ex, j * n);
      if (p.clv) clv.set(p.clv, j * n);
      ok[j] = 1;
    } catch (e) {
      // a refit that throws (e.g. no repeat buyer in the resample, an overflow) is a failed
      // resample, counted and left out; anything else is a bug and propagates
      if (!(e instanceof AnalyticsError)) throw e;
    }
  }
  return { from, to, ok, params, spendParams, pa, ex, clv };
}

/** Refit the Gamma-Gamma model on the resampled customers (weights = how often each was drawn; warm-started at the estimates); `null` when it did not converge. */
function refitSpend(plan: BootstrapPlan, count: Float64Array): GammaGammaParams | null {
  const { fit } = plan;
  const spend = plan.spend!;
  const g = fitGammaGammaColumns({ ids: [], x: fit.x, tx: fit.tx, T: fit.T, m: fit.m }, fitSettingsOf(spend.penalizer), spend.params, plan.fn, count);
  return g.convergence.converged ? g.params : null;
}
