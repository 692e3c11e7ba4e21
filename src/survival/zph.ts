/**
 * The proportional-hazards check of a Cox model (R's `cox.zph`): score tests of a time-varying
 * coefficient β_j + θ_j·g(t) per covariate and globally, and the scaled Schoenfeld residuals.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CoxModel } from "./cox.js";
import { chiSquareUpperTail } from "./distributions.js";
import { cholesky, cholSolve, quadFormInverse } from "./linalg.js";

/**
 * The time scale g(t) of the test: `"km"` 1 - S(t-) from the Kaplan–Meier curve of all rows
 * used (R's default), `"rank"` the rank of t among all rows, `"log"` log t, `"identity"` t.
 * @category Survival
 */
export type ZphTransform = "km" | "rank" | "log" | "identity";

/**
 * Options of {@link coxZph}.
 * @category Survival
 */
export interface CoxZphOptions {
  /** Time transform. Default `"km"`, as R's `cox.zph`. */
  transform?: ZphTransform;
}

/** The defaults of {@link CoxZphOptions}. @category Survival */
export const COX_ZPH_DEFAULTS: Readonly<Required<CoxZphOptions>> = Object.freeze({ transform: "km" });

/** One line of the `cox.zph` table. @category Survival */
export interface ZphTest {
  /** Covariate name, or `"GLOBAL"`. */
  readonly name: string;
  /** Score statistic. */
  readonly chisq: number;
  /** Degrees of freedom (1 per covariate; p for the global test). */
  readonly df: number;
  /** P(χ²_df > chisq). */
  readonly p: number;
}

/**
 * Result of {@link coxZph}.
 * @category Survival
 */
export interface CoxZph {
  /** One test per covariate, in the model's order. */
  readonly tests: readonly ZphTest[];
  /** The global test on p degrees of freedom. */
  readonly global: ZphTest;
  /** Event times, ascending (one per event). */
  readonly time: Float64Array;
  /** g(time) per event (the transformed time, before centring). */
  readonly x: Float64Array;
  /** Scaled Schoenfeld residuals + β, per covariate (one column per name, one value per event). */
  readonly residuals: ReadonlyMap<string, Float64Array>;
  /** The transform used. */
  readonly transform: ZphTransform;
}

/** Average ranks (ties get the mean rank), 1-based, as R's `rank`. */
function averageRanks(v: Float64Array): Float64Array {
  const n = v.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(n);
  for (let a = 0; a < n; ) {
    let b = a;
    while (b < n && v[idx[b]] === v[idx[a]]) b++;
    const mean = (a + 1 + b) / 2;
    for (let k = a; k < b; k++) r[idx[k]] = mean;
    a = b;
  }
  return r;
}

/** 1 - S(t-) per row from the Kaplan–Meier curve of all rows. */
function kmTransform(time: Float64Array, status: Uint8Array, order: Int32Array): Float64Array {
  const n = time.length;
  const g = new Float64Array(n);
  let s = 1;
  let atRisk = n;
  for (let a = 0; a < n; ) {
    const t = time[order[a]];
    let b = a;
    let d = 0;
    while (b < n && time[order[b]] === t) {
      d += status[order[b]];
      b++;
    }
    for (let k = a; k < b; k++) g[order[k]] = 1 - s;
    s *= 1 - d / atRisk;
    atRisk -= b - a;
    a = b;
  }
  return g;
}

/**
 * Test the proportional-hazards assumption of a Cox model (Grambsch & Therneau 1994).
 *
 * @remarks
 * As R `survival` 3.x `cox.zph`: for each covariate j, the score test at (β, θ = 0) of the model
 * with coefficient β_j + θ_j·(g(t) - ḡ) (ḡ the mean of g over the events), using the full
 * 2p x 2p information; the global test adds all θ together. Residuals: each event's Schoenfeld
 * residual x_i - x̄(t_i) (Efron-weighted mean when the model used Efron ties) times
 * (I / events)⁻¹, plus β; plotted against `x` a flat line means proportional hazards. Matches R
 * on `lung` to 1e-9 (chi-squares and residuals). O(n p² + events p²).
 *
 * @param model - a model from {@link coxPh}.
 * @param options - see {@link CoxZphOptions}.
 * @returns the tests and residuals.
 * @throws {@link InvalidOptionError} for an unknown transform; `AnalyticsError` `NOT_CONVERGED`
 *   when the extended information matrix is singular.
 * @example
 * ```ts
 * const fit = coxPh([5, 8, 12, 20, 25, 30, 33, 40], [1, 1, 0, 1, 1, 0, 1, 1], { premium: [0, 0, 1, 0, 1, 1, 0, 1] });
 * const zph = coxZph(fit);
 * // R cox.zph: chisq 0.5258048, p 0.468; six events
 * [zph.tests[0].chisq.toFixed(7), zph.tests[0].p.toFixed(3), zph.time.length];
 * //=> ["0.5258048", "0.468", 6]
 * ```
 * @category Survival
 */
export function coxZph(model: CoxModel, options?: CoxZphOptions): CoxZph {
  const fn = "coxZph";
  const o = withDefaults(COX_ZPH_DEFAULTS, options) as Required<CoxZphOptions>;
  const { time, status, x } = model.data;
  const n = time.length;
  const p = model.names.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b] || a - b);
  let tt: Float64Array;
  if (o.transform === "km") tt = kmTransform(time, status, order);
  else if (o.transform === "rank") tt = averageRanks(time);
  else if (o.transform === "log") {
    tt = time.map(Math.log);
    if (tt.some((v) => !Number.isFinite(v))) throw new InvalidOptionError(fn, "transform", "log", "times > 0 for the log transform (a time is 0)");
  } else if (o.transform === "identity") tt = Float64Array.from(time);
  else throw new InvalidOptionError(fn, "transform", o.transform, '"km", "rank", "log" or "identity"');
  let gMean = 0;
  let nEvents = 0;
  for (let i = 0; i < n; i++) if (status[i] === 1) {
    gMean += tt[i];
    nEvents++;
  }
  gMean /= nEvents;
  const beta = model.coefficients;
  const eta = model.linearPredictor;
  const efron = model.ties === "efron";
  const P2 = 2 * p;
  const u = new Float64Array(P2);
  const imat = new Float64Array(P2 * P2);
  const schoen = new Float64Array(nEvents * p);
  const a = new Float64Array(p);
  const c = new Float64Array(p * p);
  const a2 = new Float64Array(p);
  const c2 = new Float64Array(p * p);
  const mean = new Float64Array(p);
  let denom = 0;
  let ev = nEvents;
  for (let q = n - 1; q >= 0; ) {
    const t = time[order[q]];
    const g = tt[order[q]] - gMean;
    let nd = 0;
    let denom2 = 0;
    a2.fill(0);
    c2.fill(0);
    for (; q >= 0 && time[order[q]] === t; q--) {
      const i = order[q];
      const r = Math.exp(eta[i]);
      if (status[i] === 0) {
        denom += r;
        for (let j = 0; j < p; j++) {
          a[j] += r * x[j * n + i];
          for (let k = 0; k <= j; k++) c[j * p + k] += r * x[j * n + i] * x[k * n + i];
        }
      } else {
        nd++;
        denom2 += r;
        ev--;
        for (let j = 0; j < p; j++) {
          schoen[ev * p + j] = x[j * n + i];
          u[j] += x[j * n + i];
          u[j + p] += g * x[j * n + i];
          a2[j] += r * x[j * n + i];
          for (let k = 0; k <= j; k++) c2[j * p + k] += r * x[j * n + i] * x[k * n + i];
        }
      }
    }
    if (nd === 0) continue;
    // the event-time mean for the Schoenfeld residuals: all events in (Breslow), or the
    // average over the d Efron steps with 1/d, 2/d, ..., 1 of the events in
    mean.fill(0);
    const steps = efron ? nd : 1;
    for (let m = 1; m <= steps; m++) {
      const f = efron ? m / nd : 1;
      for (let j = 0; j < p; j++) mean[j] += (a[j] + f * a2[j]) / (denom + f * denom2) / steps;
    }
    for (let e = ev; e < ev + nd; e++) for (let j = 0; j < p; j++) schoen[e * p + j] -= mean[j];
    // score and information, including the deaths in `steps` equal parts
    const w = efron ? 1 : nd;
    for (let m = 0; m < steps; m++) {
      const f = efron ? 1 / nd : 1;
      denom += f * denom2;
      for (let j = 0; j < p; j++) a[j] += f * a2[j];
      for (let j = 0; j < p; j++) {
        const mj = a[j] / denom;
        u[j] -= w * mj;
        u[j + p] -= g * w * mj;
        for (let k = 0; k <= j; k++) {
          if (m === 0 || efron) c[j * p + k] += f * c2[j * p + k];
          const term = (w * (c[j * p + k] - mj * a[k])) / denom;
          imat[k * P2 + j] += term;
          imat[k * P2 + j + p] += term * g;
          imat[(k + p) * P2 + j + p] += term * g * g;
        }
      }
    }
  }
  // fill the symmetric blocks from the upper triangles written above
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) {
      imat[j * P2 + k] = imat[k * P2 + j];
      imat[j * P2 + k + p] = imat[k * P2 + j + p];
      imat[(j + p) * P2 + k + p] = imat[(k + p) * P2 + j + p];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) imat[(j + p) * P2 + k] = imat[k * P2 + j + p];
  const singular = (): never => {
    throw new AnalyticsError("NOT_CONVERGED", `${fn}: the information matrix of the time-varying model is singular; try another transform`);
  };
  const tests: ZphTest[] = [];
  for (let j = 0; j < p; j++) {
    const kk = [...Array.from({ length: p }, (_, i) => i), j + p];
    const m = p + 1;
    const sub = new Float64Array(m * m);
    for (let r = 0; r < m; r++) for (let s = 0; s < m; s++) sub[r * m + s] = imat[kk[r] * P2 + kk[s]];
    const uu = new Float64Array(m);
    uu[p] = u[j + p];
    const chisq = quadFormInverse(sub, m, uu) ?? singular();
    tests.push({ name: model.names[j], chisq, df: 1, p: chiSquareUpperTail(chisq, 1) });
  }
  const ug = new Float64Array(P2);
  for (let j = 0; j < p; j++) ug[j + p] = u[j + p];
  const gchi = quadFormInverse(imat, P2, ug) ?? singular();
  const global: ZphTest = { name: "GLOBAL", chisq: gchi, df: p, p: chiSquareUpperTail(gchi, p) };
  // scaled residuals: (I / events)⁻¹ r + β
  const vmean = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) vmean[j * p + k] = imat[j * P2 + k] / nEvents;
  const L = cholesky(vmean, p) ?? singular();
  const cols = Array.from({ length: p }, () => new Float64Array(nEvents));
  const row = new Float64Array(p);
  for (let e = 0; e < nEvents; e++) {
    for (let j = 0; j < p; j++) row[j] = schoen[e * p + j];
    const s = cholSolve(L, p, row);
    for (let j = 0; j < p; j++) cols[j][e] = s[j] + beta[j];
  }
  const evTime = new Float64Array(nEvents);
  const evX = new Float64Array(nEvents);
  let e = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (status[i] === 1) {
      evTime[e] = time[i];
      evX[e] = tt[i];
      e++;
    }
  }
  const residuals = new Map<string, Float64Array>();
  model.names.forEach((name, j) => residuals.set(name, cols[j]));
  return { tests, global, time: evTime, x: evX, residuals, transform: o.transform };
}
