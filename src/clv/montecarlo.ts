/**
 * Monte Carlo customer lifetime value with parameter uncertainty and process noise: per draw,
 * the parameters of both models are drawn from their asymptotic distribution, then every
 * customer's future is simulated given their history.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, quantileSorted, sampleBeta, sampleGamma, sampleNormal, samplePoisson, type Rng, type Seed } from "../numeric/index.js";
import { bgPAlive, type BgNbdParams } from "./bgnbd.js";
import { dedupeTriples, spendExclusions, tableColumns, type ClvTableInput } from "./data.js";
import { mbgPAlive, type MbgNbdParams } from "./mbgnbd.js";
import { paretoPAlive, type ParetoNbdParams } from "./paretonbd.js";
import type { GammaGammaModel, GammaGammaParams } from "./gammagamma.js";
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
 * same result.
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model (with `logCovariance` when `parameterUncertainty`).
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
export function simulateTransactionClv(model: TransactionModel, spendModel: GammaGammaModel, table: ClvTableInput, options: SimulateTransactionClvOptions = {}): SimulatedClv {
  const fn = "simulateTransactionClv";
  checkTransactionModel(model, fn);
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
  const drawT = o.parameterUncertainty ? parameterSampler(model, fn, "model") : null;
  const drawS = o.parameterUncertainty ? parameterSampler(spendModel, fn, "spendModel") : null;
  const rng = createRng(o.seed);
  const z = () => sampleNormal(rng);
  // 1. the parameter draws of every simulated future (shared by all customers of that future)
  const kind = model.model;
  const tParams: Record<string, number>[] = [];
  const sParams: GammaGammaParams[] = [];
  for (let d = 0; d < D; d++) {
    tParams.push(drawT ? drawT(z) : (model.params as unknown as Record<string, number>));
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
  const pAliveOf = (par: Record<string, number>, x: number, tx: number, T: number): number =>
    kind === "bg-nbd"
      ? bgPAlive(par as unknown as BgNbdParams, x, tx, T)
      : kind === "mbg-nbd"
        ? mbgPAlive(par as unknown as MbgNbdParams, x, tx, T)
        : paretoPAlive(par as unknown as ParetoNbdParams, x, tx, T);
  // 2. customers grouped by distinct (x, t_x, T): P(alive) under each draw once per group;
  // customer-major, so memory is O(n + draws), not n x draws
  const groups = dedupeTriples(c);
  const G = groups.x.length;
  const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[groups.index[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const order = new Int32Array(n);
  const fill = start.slice(0, G);
  for (let i = 0; i < n; i++) order[fill[groups.index[i]]++] = i;
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
    for (let d = 0; d < D; d++) paG[d] = pAliveOf(tParams[d], x, groups.tx[g], T);
    for (let j = start[g]; j < start[g + 1]; j++) {
      const i = order[j];
      const out = excluded !== null && excluded[i] === 1;
      const mi = x > 0 ? c.m[i] : 0;
      for (let d = 0; d < D; d++) {
        val[d] = 0;
        cnt[d] = 0;
        if (!(rng.next() < paG[d])) continue;
        const par = tParams[d];
        const sp = sParams[d];
        const lambda = sampleGamma(rng, par.r + x, 1 / (par.alpha + T));
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
          const L = Math.min(exponential(rng, sampleGamma(rng, par.s, 1 / (par.beta + T))), H);
          if (lambda > 0 && L > 0) {
            const k = samplePoisson(rng, lambda * L);
            for (let q = 0; q < k; q++) buy(L * (1 - rng.next()));
          }
        } else {
          const p = sampleBeta(rng, par.a, par.b + x + (kind === "mbg-nbd" ? 1 : 0));
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

/** Exponential(rate) variate; Infinity for rate 0. */
function exponential(rng: Rng, rate: number): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  return -Math.log(u) / rate;
}
