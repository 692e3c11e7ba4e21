/**
 * Predicted survival curves from a Cox model for given covariate values (R's
 * `survfit(coxph_fit, newdata)`), with the baseline hazard of Breslow (or Efron's variant when
 * the model used Efron ties, as R does).
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CoxModel } from "./cox.js";
import { normalQuantileRefined } from "./distributions.js";

/**
 * Options of {@link coxSurvival}.
 * @category Survival
 */
export interface CoxSurvivalOptions {
  /** Two-sided level of the pointwise interval (log scale, R's default `conf.type = "log"`). Default `0.95`. */
  confLevel?: number;
}

/** The defaults of {@link CoxSurvivalOptions}. @category Survival */
export const COX_SURVIVAL_DEFAULTS: Readonly<Required<CoxSurvivalOptions>> = Object.freeze({ confLevel: 0.95 });

/**
 * A predicted survival curve, one entry per distinct time of the fitted data (events and
 * censorings), as R's `survfit.coxph`.
 * @category Survival
 */
export interface CoxSurvivalCurve {
  /** Distinct times, ascending. */
  readonly time: Float64Array;
  /** Subjects at risk (time >= t) in the fitted data. */
  readonly nRisk: Float64Array;
  /** Events at t. */
  readonly nEvent: Float64Array;
  /** Censored at t. */
  readonly nCensor: Float64Array;
  /** H(t | x) = H0(t)·exp((x - means)ᵀβ). */
  readonly cumHazard: Float64Array;
  /** S(t | x) = exp(-H(t | x)). */
  readonly surv: Float64Array;
  /** Standard error of H(t | x) (R's `std.err`), including the uncertainty of β. */
  readonly stdErr: Float64Array;
  /** S·exp(-z·se). */
  readonly lower: Float64Array;
  /** min(1, S·exp(z·se)). */
  readonly upper: Float64Array;
}

/**
 * The survival curve a Cox model predicts for one customer profile.
 *
 * @remarks
 * Baseline hazard increments at each event time with d events, S0 = Σ_risk exp(η) and
 * D0 = Σ_events exp(η): Breslow d / S0, Efron Σ_{r<d} 1 / (S0 - (r/d)·D0) (R's `survfit.coxph`
 * follows the model's tie method). Var H(t|x) = r² [Σ dvar + q(t)ᵀ V q(t)], q(t) = x·H0(t) -
 * Σ x̄ dH0, r = exp((x - means)ᵀβ) (Tsiatis 1981; R's `agsurv`). Matches R on `lung` to 1e-9.
 *
 * @param model - a model from {@link coxPh}.
 * @param profile - a value for every covariate, by name (`Map` or object).
 * @param options - see {@link CoxSurvivalOptions}.
 * @returns the predicted curve.
 * @throws {@link InvalidOptionError} when a covariate is missing or not finite.
 * @example
 * ```ts
 * const fit = coxPh([5, 8, 12, 20, 25, 30, 33, 40], [1, 1, 0, 1, 1, 0, 1, 1], { premium: [0, 0, 1, 0, 1, 1, 0, 1] });
 * const premium = coxSurvival(fit, { premium: 1 });
 * // S(20 months | premium); R survfit(fit, data.frame(premium = 1)) gives 0.8626896
 * [premium.time[3], premium.surv[3].toFixed(7)];
 * //=> [20, "0.8626896"]
 * ```
 * @category Survival
 */
export function coxSurvival(model: CoxModel, profile: ReadonlyMap<string, number> | Readonly<Record<string, number>>, options?: CoxSurvivalOptions): CoxSurvivalCurve {
  const fn = "coxSurvival";
  const o = withDefaults(COX_SURVIVAL_DEFAULTS, options) as Required<CoxSurvivalOptions>;
  if (typeof o.confLevel !== "number" || !(o.confLevel > 0 && o.confLevel < 1)) throw new InvalidOptionError(fn, "confLevel", o.confLevel, "a number in (0, 1)");
  const p = model.names.length;
  const xc = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const name = model.names[j];
    const v = profile instanceof Map ? profile.get(name) : Object.prototype.hasOwnProperty.call(profile, name) ? (profile as Record<string, number>)[name] : undefined;
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(fn, `profile.${name}`, v, "a finite number for every covariate of the model");
    xc[j] = v - model.means[j];
  }
  let eta2 = 0;
  for (let j = 0; j < p; j++) eta2 += xc[j] * model.coefficients[j];
  const risk2 = Math.exp(eta2);
  const { time, status, x } = model.data;
  const n = time.length;
  const eta = model.linearPredictor;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b] || a - b);
  // distinct times ascending, with per-time sums; risk-set sums accumulated from the end
  const times: number[] = [];
  const starts: number[] = [];
  for (let k = 0; k < n; k++) if (k === 0 || time[order[k]] !== time[order[k - 1]]) {
    times.push(time[order[k]]);
    starts.push(k);
  }
  starts.push(n);
  const m = times.length;
  const nRisk = new Float64Array(m);
  const nEvent = new Float64Array(m);
  const nCensor = new Float64Array(m);
  const haz = new Float64Array(m);
  const varhaz = new Float64Array(m);
  const xbar = new Float64Array(m * p);
  const s1 = new Float64Array(p);
  const d1 = new Float64Array(p);
  let s0 = 0;
  let count = 0;
  const efron = model.ties === "efron";
  for (let t = m - 1; t >= 0; t--) {
    let d0 = 0;
    let d = 0;
    d1.fill(0);
    for (let k = starts[t]; k < starts[t + 1]; k++) {
      const i = order[k];
      const r = Math.exp(eta[i]);
      s0 += r;
      count++;
      for (let j = 0; j < p; j++) s1[j] += r * x[j * n + i];
      if (status[i] === 1) {
        d++;
        d0 += r;
        for (let j = 0; j < p; j++) d1[j] += r * x[j * n + i];
      }
    }
    nRisk[t] = count;
    nEvent[t] = d;
    nCensor[t] = starts[t + 1] - starts[t] - d;
    if (d === 0) continue;
    if (!efron || d === 1) {
      haz[t] = d / s0;
      varhaz[t] = d / (s0 * s0);
      for (let j = 0; j < p; j++) xbar[t * p + j] = (s1[j] / s0) * haz[t];
    } else {
      let sum1 = 0;
      let sum2 = 0;
      for (let r = 0; r < d; r++) {
        const inv = 1 / (s0 - (d0 * r) / d);
        sum1 += inv / d;
        sum2 += (inv * inv) / d;
        // R agsurv5 averages over the d steps and multiplies by d: the two cancel
        for (let j = 0; j < p; j++) xbar[t * p + j] += (s1[j] - (d1[j] * r) / d) * inv * inv;
      }
      haz[t] = d * sum1;
      varhaz[t] = d * sum2;
    }
  }
  const z = normalQuantileRefined(1 - (1 - o.confLevel) / 2);
  const V = model.variance;
  const cumHazard = new Float64Array(m);
  const surv = new Float64Array(m);
  const stdErr = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  const cumX = new Float64Array(p);
  const q = new Float64Array(p);
  let H = 0;
  let vh = 0;
  for (let t = 0; t < m; t++) {
    H += haz[t];
    vh += varhaz[t];
    for (let j = 0; j < p; j++) {
      cumX[j] += xbar[t * p + j];
      q[j] = H * xc[j] - cumX[j];
    }
    let quad = 0;
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) quad += q[j] * V[j * p + k] * q[k];
    cumHazard[t] = H * risk2;
    surv[t] = Math.exp(-cumHazard[t]);
    stdErr[t] = Math.sqrt((vh + quad) * risk2 * risk2);
    lower[t] = surv[t] * Math.exp(-z * stdErr[t]);
    upper[t] = Math.min(1, surv[t] * Math.exp(z * stdErr[t]));
  }
  return { time: Float64Array.from(times), nRisk, nEvent, nCensor, cumHazard, surv, stdErr, lower, upper };
}
