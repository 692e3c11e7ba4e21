/**
 * Monte Carlo customer lifetime value with parameter uncertainty and process noise: per draw,
 * the parameters of both models are drawn from their asymptotic distribution, then every
 * customer's future is simulated given their history.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { cholesky, createRng, quantileSorted, sampleBeta, sampleGamma, sampleNormal, samplePoisson, type Rng, type Seed } from "../numeric/index.js";
import { bgPAlive, type BgNbdParams } from "./bgnbd.js";
import { dedupeTriples, spendExclusions, tableColumns, type ClvTableInput } from "./data.js";
import { mbgPAlive, type MbgNbdParams } from "./mbgnbd.js";
import { paretoPAlive, type ParetoNbdParams } from "./paretonbd.js";
import type { GammaGammaModel, GammaGammaParams } from "./gammagamma.js";
import { checkCovModel, covariateDesign, type CovariatesModel, type StaticCovariates } from "./covariates.js";
import { checkTransactionModel, type TransactionModel } from "./predict.js";
import { parameterSampler } from "./uncertainty.js";

/**
 * Options of {@link simulateTransactionClv}.
 * @category CLV
 */
export interface SimulateTransactionClvOptions {
  /** Number of simulated futures (each with its own parameter draw). Default `1000`. */
  draws?: number;
  /** Number of discounting periods to simulate (e.g. 12 months), as {@link customerLifetimeValue}. Default `12`. */
  horizon?: number;
  /** Discount rate per discounting period; a purchase in period k (1-based) is discounted by (1 + rate)^-k, as in {@link customerLifetimeValue}. Default `0.01`. */
  discountRate?: number;
  /** Share of revenue kept as profit. Default `1`. */
  margin?: number;
  /** Model time units in one discounting period. Default `4.345` (weeks per month). */
  periodsPerUnit?: number;
  /** Seed of the generator (`createRng`). Default `1`. */
  seed?: Seed;
  /** Lower and upper probabilities of the intervals. Default `[0.05, 0.95]`. */
  level?: readonly [number, number];
  /** The customers' covariates (rows of `table`), required with a covariate model ({@link fitBgNbdCovariates}, {@link fitParetoNbdCovariates}). Default none. */
  covariates?: StaticCovariates;
  /** Draw the parameters of both models from their asymptotic normal per simulated future (needs `logCovariance` on both models); `false` keeps the estimates (process noise only). Default `true`. */
  parameterUncertainty?: boolean;
}

const DEFAULTS = Object.freeze({
  draws: 1000,
  horizon: 12,
  discountRate: 0.01,
  margin: 1,
  periodsPerUnit: 4.345,
  seed: 1 as Seed,
  level: [0.05, 0.95] as readonly [number, number],
  parameterUncertainty: true,
  covariates: undefined as StaticCovariates | undefined,
});

/**
 * A simulated quantity per customer: mean and quantiles over the simulated futures.
 * @category CLV
 */
export interface SimulatedColumns {
  /** Mean over the draws. */
  readonly mean: Float64Array;
  /** Lower quantile (`level[0]`, R-7). */
  readonly lower: Float64Array;
  /** Median. */
  readonly median: Float64Array;
  /** Upper quantile (`level[1]`). */
  readonly upper: Float64Array;
}

/**
 * A simulated portfolio total: mean and quantiles over the simulated futures.
 * @category CLV
 */
export interface SimulatedTotal {
  /** Mean over the draws. */
  readonly mean: number;
  /** Standard error of `mean` (standard deviation over the draws / √draws). */
  readonly standardError: number;
  /** Lower quantile. */
  readonly lower: number;
  /** Median. */
  readonly median: number;
  /** Upper quantile. */
  readonly upper: number;
}

/**
 * Result of {@link simulateTransactionClv}.
 * @category CLV
 */
export interface SimulatedClv {
  /** How it was simulated, in words. */
  readonly method: string;
  /** Simulated futures. */
  readonly draws: number;
  /** Lower and upper probabilities of the intervals. */
  readonly level: readonly [number, number];
  /** Discounted margin over the horizon, per customer. */
  readonly clv: SimulatedColumns;
  /** Purchases over the horizon (undiscounted count), per customer. */
  readonly purchases: SimulatedColumns;
  /** Portfolio totals. */
  readonly totals: {
    /** Σ discounted margin. */
    readonly clv: SimulatedTotal;
    /** Σ purchases. */
    readonly purchases: SimulatedTotal;
  };
}

function checkSpend(m: GammaGammaModel, fn: string): void {
  const p = (m as unknown as { model?: unknown; params?: Record<string, unknown> } | null)?.params;
  const ok = (m as { model?: unknown } | null)?.model === "gamma-gamma" && p && ["p", "q", "gamma"].every((k) => typeof p[k] === "number" && (p[k] as number) > 0 && Number.isFinite(p[k] as number));
  if (!ok) throw new InvalidOptionError(fn, "spendModel", (m as { model?: unknown } | null)?.model ?? m, 'a fitted "gamma-gamma" model (from fitGammaGamma)');
  if (!((p as Record<string, number>).q > 1)) throw new InvalidOptionError(fn, "spendModel", (p as Record<string, number>).q, "q > 1 (the mean spend is infinite otherwise)");
}

/**
 * Simulate every customer's future value: seeded Monte Carlo CLV with parameter uncertainty
 * and process noise.
 *
 * @remarks
 * For each of `draws` simulated futures: (1) with `parameterUncertainty`, the transaction and
 * spend models' log parameters are drawn from N(ln θ̂, Σ) (their `logCovariance`, the inverse
 * observed information; independently, as their likelihoods are separate; a spend draw with
 * q <= 1 is redrawn) — the sampler of {@link predictionIntervals}; (2) each customer is alive at
 * T with probability P(alive | x, t_x, T) under the drawn parameters; (3) a live customer's
 * latent traits are drawn from their posterior given the history and being alive —
 * λ ~ Gamma(r+x, rate α+T) for all three models, and Pareto/NBD μ ~ Gamma(s, rate β+T), BG/NBD
 * p ~ Beta(a, b+x), MBG/NBD p ~ Beta(a, b+x+1); (4) the future over H = horizon × periodsPerUnit
 * is simulated: Pareto/NBD, remaining lifetime Exp(μ) and Poisson(λ) purchases until then;
 * (M)BG/NBD, exponential(λ) gaps with dropout with probability p after each purchase; (5) each
 * purchase's amount is Gamma(p, rate ν) with ν ~ Gamma(q + p·x, rate γ + x·z̄), the Gamma-Gamma
 * posterior (Fader, Hardie & Lee 2005b), times `margin`, discounted by (1 + rate)^-k in its
 * period k. Repeat buyers whose mean spend is <= 0 are valued 0, as in
 * {@link customerLifetimeValueColumns}. By construction, without parameter uncertainty the mean
 * of the simulated values converges to `customerLifetimeValueColumns` and the mean purchases to
 * `conditionalExpectedPurchasesColumn(t = H)` (checked within 4 Monte Carlo standard errors in
 * `test/clv/montecarlo.test.ts`); with it, the intervals contain both sources of uncertainty and
 * are wider than {@link predictionIntervals}' (parameters only). Customers are simulated one at
 * a time over all futures (P(alive) once per distinct (x, t_x, T) and draw), so memory is
 * O(n + draws) (for the pipeline's budget of 5e7 customer-draws too); time draws × (distinct
 * rows' P(alive) + one simulated purchase per expected purchase + a sort per customer). Same seed,
 * same result. Covariate models ({@link fitBgNbdCovariates}, {@link fitParetoNbdCovariates})
 * with `options.covariates`: each customer's own α_i, a_i, b_i / α_i, β_i in every step, and
 * with parameter uncertainty the whole vector (ln r, ln α, ln s|a, ln β|b, γ…) drawn from the
 * model's `covariance`; P(alive) is then computed per customer rather than per distinct row.
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model (with `logCovariance` when `parameterUncertainty`), or a covariate model (with `covariance`).
 * @param spendModel - a fitted Gamma-Gamma model (likewise).
 * @param table - the customers with `monetaryValue` ({@link ClvTableInput}).
 * @param options - see {@link SimulateTransactionClvOptions}.
 * @returns a {@link SimulatedClv}.
 * @throws {@link InvalidOptionError} for a bad model, spend model (q <= 1), missing covariance, or option; {@link InvalidRecordError} for an invalid row.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when a covariance is not positive definite or q stays <= 1 over 1000 redraws.
 * @example
 * ```ts
 * const fit = fitBgNbd([
 *   { customerId: "a", x: 2, t_x: 30, T: 38 }, { customerId: "b", x: 0, t_x: 0, T: 38 },
 *   { customerId: "c", x: 5, t_x: 20, T: 39 }, { customerId: "d", x: 1, t_x: 2, T: 36 },
 *   { customerId: "e", x: 3, t_x: 35, T: 37 }, { customerId: "f", x: 0, t_x: 0, T: 30 },
 * ], { penalizer: 0.01 });
 * const gg = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;
 * const sim = simulateTransactionClv(fit, gg, { x: [2, 0], t_x: [30, 0], T: [38, 38], monetaryValue: [20, 0] }, { draws: 200, seed: 7, parameterUncertainty: false });
 * sim.clv.lower[0] <= sim.clv.median[0] && sim.clv.median[0] <= sim.clv.upper[0] && sim.totals.clv.mean > 0;
 * //=> true
 * ```
 * @category CLV
 */
export function simulateTransactionClv(model: TransactionModel | CovariatesModel, spendModel: GammaGammaModel, table: ClvTableInput, options: SimulateTransactionClvOptions = {}): SimulatedClv {
  const fn = "simulateTransactionClv";
  if (model?.model === "bg-nbd-covariates" || model?.model === "pareto-nbd-covariates") checkCovModel(model, fn);
  else checkTransactionModel(model as TransactionModel, fn);
  checkSpend(spendModel, fn);
  const o = withDefaults(DEFAULTS, options);
  if (!(Number.isInteger(o.draws) && o.draws >= 2 && o.draws <= 1_000_000)) throw new InvalidOptionError(fn, "draws", o.draws, "an integer in [2, 1000000]");
  if (!(Number.isInteger(o.horizon) && o.horizon >= 1 && o.horizon <= 100_000)) throw new InvalidOptionError(fn, "horizon", o.horizon, "an integer number of periods in [1, 100000]");
  if (!(typeof o.discountRate === "number" && o.discountRate > -1 && Number.isFinite(o.discountRate))) throw new InvalidOptionError(fn, "discountRate", o.discountRate, "a finite number > -1");
  if (!(typeof o.margin === "number" && Number.isFinite(o.margin))) throw new InvalidOptionError(fn, "margin", o.margin, "a finite number");
  if (!(typeof o.periodsPerUnit === "number" && o.periodsPerUnit > 0 && Number.isFinite(o.periodsPerUnit))) throw new InvalidOptionError(fn, "periodsPerUnit", o.periodsPerUnit, "a finite number > 0");
  if (typeof o.parameterUncertainty !== "boolean") throw new InvalidOptionError(fn, "parameterUncertainty", o.parameterUncertainty, "true or false");
  const lv = o.level;
  if (!(Array.isArray(lv) && lv.length === 2 && lv[0] >= 0 && lv[0] < lv[1] && lv[1] <= 1)) throw new InvalidOptionError(fn, "level", lv, "[lower, upper] with 0 <= lower < upper <= 1");
  const c = tableColumns(table, fn, true);
  const n = c.x.length;
  const D = o.draws;
  const H = o.horizon * o.periodsPerUnit;
  const P = o.periodsPerUnit;
  const disc = new Float64Array(o.horizon + 1);
  for (let k = 1; k <= o.horizon; k++) disc[k] = o.margin * Math.pow(1 + o.discountRate, -k);
  const excluded = spendExclusions(c).mask;
  const covModel = model.model === "bg-nbd-covariates" || model.model === "pareto-nbd-covariates" ? (model as CovariatesModel) : null;
  const kind = covModel ? (covModel.model === "bg-nbd-covariates" ? "bg-nbd" : "pareto-nbd") : (model as TransactionModel).model;
  const design = covModel ? covariateDesign(covModel, c, o.covariates, fn) : null;
  const kl = design ? design.life.length : 0;
  const kt = design ? design.trans.length : 0;
  const keys = kind === "pareto-nbd" ? ["r", "alpha", "s", "beta"] : ["r", "alpha", "a", "b"];
  const drawT = !o.parameterUncertainty ? null : covModel ? covariateSampler(covModel, fn) : vectorOf(parameterSampler(model, fn, "model"), keys);
  const drawS = o.parameterUncertainty ? parameterSampler(spendModel, fn, "spendModel") : null;
  const rng = createRng(o.seed);
  const z = () => sampleNormal(rng);
  // 1. the parameter draws of every simulated future (shared by all customers of that future):
  // r, α, s|a, β|b at z = 0, then γ_life…, γ_trans…
  const k = 4 + kl + kt;
  const est = new Float64Array(k);
  keys.forEach((key, j) => (est[j] = (model.params as unknown as Record<string, number>)[key]));
  if (covModel) [...covModel.life, ...covModel.trans].forEach((e, j) => (est[4 + j] = e.estimate));
  const tParams: Float64Array[] = [];
  const sParams: GammaGammaParams[] = [];
  for (let d = 0; d < D; d++) {
    tParams.push(drawT ? drawT(z) : est);
    let sp = spendModel.params;
    if (drawS) {
      let s = drawS(z) as unknown as GammaGammaParams;
      for (let tries = 0; !(s.q > 1); tries++) {
        if (tries === 1000) throw new AnalyticsError("NOT_CONVERGED", `${fn}: the spend model's q is too close to 1 for its uncertainty (1000 draws with q <= 1)`);
        s = drawS(z) as unknown as GammaGammaParams;
      }
      sp = s;
    }
    sParams.push(sp);
  }
  // one customer's (r, α_i, s|a_i, β_i|b_i) under draw d (CLVTools' parameterisation with covariates)
  const own = new Float64Array(4);
  const fill = (v: Float64Array, i: number) => {
    own.set(v.subarray(0, 4));
    if (!design) return;
    let etaL = 0;
    for (let j = 0; j < kl; j++) etaL += v[4 + j] * design.life[j][i];
    let etaT = 0;
    for (let j = 0; j < kt; j++) etaT += v[4 + kl + j] * design.trans[j][i];
    own[1] *= Math.exp(-etaT);
    if (kind === "bg-nbd") {
      own[2] *= Math.exp(etaL);
      own[3] *= Math.exp(etaL);
    } else own[3] *= Math.exp(-etaL);
  };
  const pAliveOf = (x: number, tx: number, T: number): number =>
    kind === "bg-nbd"
      ? bgPAlive({ r: own[0], alpha: own[1], a: own[2], b: own[3] } as BgNbdParams, x, tx, T)
      : kind === "mbg-nbd"
        ? mbgPAlive({ r: own[0], alpha: own[1], a: own[2], b: own[3] } as MbgNbdParams, x, tx, T)
        : paretoPAlive({ r: own[0], alpha: own[1], s: own[2], beta: own[3] } as ParetoNbdParams, x, tx, T);
  // 2. customers grouped by distinct (x, t_x, T) (each customer alone with covariates): P(alive)
  // under each draw once per group; customer-major, so memory is O(n + draws), not n x draws
  const groups = design ? { x: c.x, tx: c.tx, T: c.T, index: Int32Array.from({ length: n }, (_, i) => i) } : dedupeTriples(c);
  const G = groups.x.length;
  const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[groups.index[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const order = new Int32Array(n);
  const fillPos = start.slice(0, G);
  for (let i = 0; i < n; i++) order[fillPos[groups.index[i]]++] = i;
  const paG = new Float64Array(D);
  const val = new Float64Array(D);
  const cnt = new Float64Array(D);
  const totClv = new Float64Array(D);
  const totPur = new Float64Array(D);
  const clvOut = { mean: new Float64Array(n), lower: new Float64Array(n), median: new Float64Array(n), upper: new Float64Array(n) };
  const purOut = { mean: new Float64Array(n), lower: new Float64Array(n), median: new Float64Array(n), upper: new Float64Array(n) };
  const summarise = (v: Float64Array, out: typeof clvOut, i: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += v[d];
    out.mean[i] = s / D;
    v.sort();
    out.lower[i] = quantileSorted(v, lv[0]);
    out.median[i] = quantileSorted(v, 0.5);
    out.upper[i] = quantileSorted(v, lv[1]);
  };
  for (let g = 0; g < G; g++) {
    const x = groups.x[g];
    const T = groups.T[g];
    for (let d = 0; d < D; d++) {
      fill(tParams[d], order[start[g]]);
      paG[d] = pAliveOf(x, groups.tx[g], T);
    }
    for (let j = start[g]; j < start[g + 1]; j++) {
      const i = order[j];
      const out = excluded !== null && excluded[i] === 1;
      const mi = x > 0 ? c.m[i] : 0;
      for (let d = 0; d < D; d++) {
        val[d] = 0;
        cnt[d] = 0;
        if (!(rng.next() < paG[d])) continue;
        fill(tParams[d], i);
        const sp = sParams[d];
        const lambda = sampleGamma(rng, own[0] + x, 1 / (own[1] + T));
        let count = 0;
        let value = 0;
        let nu = -1; // spend rate, drawn at the first purchase
        const buy = (t: number) => {
          count++;
          if (out) return;
          if (nu < 0) nu = sampleGamma(rng, sp.q + sp.p * x, 1 / (sp.gamma + x * mi));
          const k = Math.min(o.horizon, Math.max(1, Math.ceil(t / P)));
          value += sampleGamma(rng, sp.p, 1 / nu) * disc[k];
        };
        if (kind === "pareto-nbd") {
          const L = Math.min(exponential(rng, sampleGamma(rng, own[2], 1 / (own[3] + T))), H);
          if (lambda > 0 && L > 0) {
            const k = samplePoisson(rng, lambda * L);
            for (let q = 0; q < k; q++) buy(L * (1 - rng.next()));
          }
        } else {
          const p = sampleBeta(rng, own[2], own[3] + x + (kind === "mbg-nbd" ? 1 : 0));
          let t = 0;
          if (lambda > 0) {
            for (;;) {
              t += exponential(rng, lambda);
              if (t > H) break;
              buy(t);
              if (rng.next() < p) break;
            }
          }
        }
        val[d] = value;
        cnt[d] = count;
        totClv[d] += value;
        totPur[d] += count;
      }
      summarise(val, clvOut, i);
      summarise(cnt, purOut, i);
    }
  }
  const total = (v: Float64Array): SimulatedTotal => {
    let s = 0;
    for (let d = 0; d < D; d++) s += v[d];
    const mean = s / D;
    let ss = 0;
    for (let d = 0; d < D; d++) ss += (v[d] - mean) ** 2;
    const sorted = v.slice().sort();
    return { mean, standardError: Math.sqrt(ss / (D - 1) / D), lower: quantileSorted(sorted, lv[0]), median: quantileSorted(sorted, 0.5), upper: quantileSorted(sorted, lv[1]) };
  };
  return {
    method: `${D} seeded simulated futures over ${o.horizon} periods of ${P} model time units: ${o.parameterUncertainty ? "parameters of both models drawn from their asymptotic normal (inverse observed information) per future, then " : "parameters fixed at the estimates (no parameter uncertainty); "}alive from P(alive), latent purchase and dropout traits from their posterior given the history, purchases and Gamma-Gamma amounts simulated; ${lv[0] * 100}%/50%/${lv[1] * 100}% quantiles over the futures`,
    draws: D,
    level: [lv[0], lv[1]],
    clv: clvOut,
    purchases: purOut,
    totals: { clv: total(totClv), purchases: total(totPur) },
  };
}

/** A record sampler as a vector sampler in the order of `keys`. */
function vectorOf(draw: (z: () => number) => Record<string, number>, keys: readonly string[]): (z: () => number) => Float64Array {
  return (z) => {
    const r = draw(z);
    return Float64Array.from(keys, (k) => r[k]);
  };
}

/** Draws of (r, α, s|a, β|b, γ…) from N(estimates, covariance) of a covariate model (log scale for the first four). */
function covariateSampler(model: CovariatesModel, fn: string): (z: () => number) => Float64Array {
  const keys = model.model === "pareto-nbd-covariates" ? ["r", "alpha", "s", "beta"] : ["r", "alpha", "a", "b"];
  const effects = [...model.life, ...model.trans];
  const k = 4 + effects.length;
  const cov = model.covariance;
  if (!cov || cov.length !== k * k || !cov.every(Number.isFinite)) {
    throw new InvalidOptionError(fn, "model", model.model, "a fitted covariate model with `covariance` (null when the information matrix is singular; or pass parameterUncertainty: false)");
  }
  const L = cholesky(cov, k);
  if (!L) throw new AnalyticsError("NOT_CONVERGED", `${fn}: the covariance of model is not positive definite`);
  const mu = [...keys.map((key) => Math.log((model.params as unknown as Record<string, number>)[key])), ...effects.map((e) => e.estimate)];
  return (z) => {
    const e = Array.from({ length: k }, () => z());
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let v = mu[i];
      for (let j = 0; j <= i; j++) v += L[i * k + j] * e[j];
      out[i] = i < 4 ? Math.exp(v) : v;
    }
    return out;
  };
}

/** Exponential(rate) variate; Infinity for rate 0. */
function exponential(rng: Rng, rate: number): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  return -Math.log(u) / rate;
}
