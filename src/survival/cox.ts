/**
 * Cox proportional hazards regression (R's `coxph`): Newton–Raphson on the partial likelihood
 * with Efron or Breslow handling of tied event times, standard errors, hazard ratios, the
 * likelihood-ratio, Wald and score tests, and Harrell's concordance.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { survivalRows, type NumericColumn } from "./data.js";
import { chiSquareUpperTail, normalQuantileRefined, normalTwoSidedP } from "./distributions.js";
import { cholesky, cholInverse, cholSolve } from "./linalg.js";

/**
 * Covariate columns by name: a `Map` (order kept) or a plain/null-prototype object.
 * @category Survival
 */
export type CovariateColumns = ReadonlyMap<string, NumericColumn> | Readonly<Record<string, NumericColumn>>;

/**
 * Handling of tied event times: `"efron"` (R's default) or `"breslow"`.
 * @category Survival
 */
export type CoxTies = "efron" | "breslow";

/**
 * Options of {@link coxPh}.
 * @category Survival
 */
export interface CoxPhOptions {
  /** Tied event times. Default `"efron"`, as R's `coxph`. */
  ties?: CoxTies;
  /** Newton–Raphson iterations at most. Default `20` (R's `iter.max`). */
  maxIterations?: number;
  /** Stop when |1 - loglik_old / loglik_new| <= tolerance. Default `1e-9` (R's `eps`). */
  tolerance?: number;
  /** Level of the hazard-ratio intervals. Default `0.95`. */
  confLevel?: number;
}

/** The defaults of {@link CoxPhOptions}. @category Survival */
export const COX_PH_DEFAULTS: Readonly<Required<CoxPhOptions>> = Object.freeze({ ties: "efron", maxIterations: 20, tolerance: 1e-9, confLevel: 0.95 });

/** A chi-square test. @category Survival */
export interface ChiSquareTest {
  /** The statistic. */
  readonly statistic: number;
  /** Degrees of freedom. */
  readonly df: number;
  /** P(χ²_df > statistic). */
  readonly p: number;
}

/**
 * Harrell's concordance of a risk score with the survival times, with R's pair counts: a pair is
 * comparable when the shorter time is an event (a subject censored at the same time as an event
 * counts as longer); pairs of events at the same time are `tiedTime` (or `tiedBoth` when their
 * scores are equal too) and are not comparable.
 * @category Survival
 */
export interface Concordance {
  /** (concordant + tiedRisk / 2) / (concordant + discordant + tiedRisk). */
  readonly value: number;
  /** Comparable pairs where the higher risk score failed first. */
  readonly concordant: number;
  /** Comparable pairs where the lower risk score failed first. */
  readonly discordant: number;
  /** Comparable pairs with equal scores. */
  readonly tiedRisk: number;
  /** Pairs of events at the same time with different scores. */
  readonly tiedTime: number;
  /** Pairs of events at the same time with equal scores. */
  readonly tiedBoth: number;
  /**
   * Standard error of `value` by the infinitesimal jackknife, as R's `concordancefit` (the
   * `se` that `summary(coxph)` prints): with c_i, d_i, t_i the concordant, discordant and tied
   * comparable pairs subject i belongs to, N the comparable pairs and D = (C - D) / N,
   * se = sqrt(Σ_i ((c_i - d_i)/N - D (c_i + d_i + t_i)/N)²) / 2. The model's estimation
   * uncertainty is not included (neither is it in R).
   */
  readonly stdErr: number;
}

/**
 * A fitted Cox model: plain data. Vectors are indexed like `names`; matrices are p x p row-major.
 * @category Survival
 */
export interface CoxModel {
  /** Covariate names, in input order. */
  readonly names: readonly string[];
  /** Tie handling used. */
  readonly ties: CoxTies;
  /** Rows used (complete cases). */
  readonly n: number;
  /** Events among them. */
  readonly events: number;
  /** β. */
  readonly coefficients: Float64Array;
  /** sqrt of the diagonal of `variance`. */
  readonly standardErrors: Float64Array;
  /** Inverse of the information matrix at β. */
  readonly variance: Float64Array;
  /** exp(β). */
  readonly hazardRatios: Float64Array;
  /** exp(β - z·se). */
  readonly hazardRatioLower: Float64Array;
  /** exp(β + z·se). */
  readonly hazardRatioUpper: Float64Array;
  /** β / se. */
  readonly z: Float64Array;
  /** Two-sided p-values of z. */
  readonly p: Float64Array;
  /** Partial log-likelihood at β = 0 and at the estimate. */
  readonly logLikelihood: {
    /** At β = 0. */
    readonly null: number;
    /** At the estimate. */
    readonly fitted: number;
  };
  /** 2 (fitted - null) on p degrees of freedom. */
  readonly likelihoodRatioTest: ChiSquareTest;
  /** βᵀ I(β) β. */
  readonly waldTest: ChiSquareTest;
  /** U(0)ᵀ I(0)⁻¹ U(0) (the log-rank test for one binary covariate). */
  readonly scoreTest: ChiSquareTest;
  /** Concordance of the linear predictor with the times. */
  readonly concordance: Concordance;
  /** Newton–Raphson iterations taken. */
  readonly iterations: number;
  /** Whether the tolerance was met within `maxIterations`. */
  readonly converged: boolean;
  /** Column means of the covariates (the centring point, R's `fit$means`). */
  readonly means: Float64Array;
  /** (x - means)·β per used row, in input order of the used rows. */
  readonly linearPredictor: Float64Array;
  /** Level of the hazard-ratio intervals. */
  readonly confLevel: number;
  /** Input indices (0-based) left out for a missing value (R's `na.omit`). */
  readonly omittedRows: readonly number[];
  /** The used rows: time, status and the covariates centred at `means` (column-major p x n), for {@link coxZph} and {@link coxSurvival}. */
  readonly data: {
    /** Time per used row. */
    readonly time: Float64Array;
    /** 1 = event, 0 = censored, per used row. */
    readonly status: Uint8Array;
    /** Covariate j of row i at `x[j * n + i]`, minus `means[j]`. */
    readonly x: Float64Array;
  };
}

/** Names and columns of a covariate argument, in order. */
export function covariateList(fn: string, covariates: CovariateColumns): { names: string[]; columns: NumericColumn[] } {
  if (covariates === null || typeof covariates !== "object") throw new InvalidOptionError(fn, "covariates", covariates, "a Map or object of numeric columns");
  const entries: [string, NumericColumn][] = covariates instanceof Map ? [...(covariates as ReadonlyMap<string, NumericColumn>).entries()] : Object.keys(covariates).map((k) => [k, (covariates as Record<string, NumericColumn>)[k]]);
  if (entries.length === 0) throw new InvalidOptionError(fn, "covariates", "{}", "at least one covariate column");
  return { names: entries.map((e) => e[0]), columns: entries.map((e) => e[1]) };
}

/** Partial likelihood, score and information at β (x centred, column-major p x n). */
interface Derivs {
  loglik: number;
  u: Float64Array;
  imat: Float64Array;
}

/**
 * Walk the distinct times from the largest down, adding each time's subjects to the risk-set
 * sums, and the events' terms (Efron: the tied events leave the risk set in d equal parts).
 * @internal
 */
export function partialLikelihood(time: Float64Array, status: Uint8Array, x: Float64Array, p: number, beta: ArrayLike<number>, order: Int32Array, efron: boolean): Derivs {
  const n = time.length;
  const u = new Float64Array(p);
  const imat = new Float64Array(p * p);
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const d1 = new Float64Array(p);
  const d2 = new Float64Array(p * p);
  const a = new Float64Array(p);
  let s0 = 0;
  let loglik = 0;
  for (let q = n - 1; q >= 0; ) {
    const t = time[order[q]];
    let d0 = 0;
    let nd = 0;
    d1.fill(0);
    d2.fill(0);
    for (; q >= 0 && time[order[q]] === t; q--) {
      const i = order[q];
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[j * n + i] * beta[j];
      const r = Math.exp(eta);
      s0 += r;
      for (let j = 0; j < p; j++) {
        const xj = x[j * n + i];
        s1[j] += r * xj;
        for (let k = 0; k <= j; k++) s2[j * p + k] += r * xj * x[k * n + i];
      }
      if (status[i] === 1) {
        nd++;
        d0 += r;
        loglik += eta;
        for (let j = 0; j < p; j++) {
          const xj = x[j * n + i];
          u[j] += xj;
          d1[j] += r * xj;
          for (let k = 0; k <= j; k++) d2[j * p + k] += r * xj * x[k * n + i];
        }
      }
    }
    if (nd === 0) continue;
    const parts = efron ? nd : 1;
    for (let m = 0; m < parts; m++) {
      const f = efron ? m / nd : 0;
      const w = efron ? 1 : nd;
      const den = s0 - f * d0;
      loglik -= w * Math.log(den);
      for (let j = 0; j < p; j++) {
        a[j] = (s1[j] - f * d1[j]) / den;
        u[j] -= w * a[j];
      }
      for (let j = 0; j < p; j++) {
        for (let k = 0; k <= j; k++) imat[j * p + k] += w * ((s2[j * p + k] - f * d2[j * p + k]) / den - a[j] * a[k]);
      }
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) imat[k * p + j] = imat[j * p + k];
  return { loglik, u, imat };
}

/**
 * Harrell's concordance of `score` (higher = earlier failure) with the times, counted as R's
 * `concordance` in O(n log n) with a Fenwick tree over score ranks.
 * @internal
 */
export function concordanceOf(time: Float64Array, status: Uint8Array, score: Float64Array): Concordance {
  const n = time.length;
  const sortedScores = Float64Array.from(score).sort();
  const distinct: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sortedScores[i] !== sortedScores[i - 1]) distinct.push(sortedScores[i]);
  const rankOf = (v: number): number => {
    let lo = 0;
    let hi = distinct.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const m = distinct.length;
  const tree = new Float64Array(m + 1);
  const add = (r: number): void => {
    for (let k = r + 1; k <= m; k += k & -k) tree[k] += 1;
  };
  const below = (r: number): number => {
    let s = 0;
    for (let k = r; k > 0; k -= k & -k) s += tree[k];
    return s;
  };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b] - time[a]);
  // per-subject counts of the comparable pairs each subject belongs to (for the standard error)
  const ic = new Float64Array(n);
  const id = new Float64Array(n);
  const it = new Float64Array(n);
  let inserted = 0;
  let concordant = 0;
  let discordant = 0;
  let tiedRisk = 0;
  let tiedTime = 0;
  let tiedBoth = 0;
  for (let q = 0; q < n; ) {
    const t = time[order[q]];
    let e = q;
    while (e < n && time[order[e]] === t) e++;
    for (let k = q; k < e; k++) if (status[order[k]] === 0) {
      add(rankOf(score[order[k]]));
      inserted++;
    }
    const eventRanks: number[] = [];
    for (let k = q; k < e; k++) {
      const i = order[k];
      if (status[i] !== 1) continue;
      const r = rankOf(score[i]);
      eventRanks.push(r);
      const lower = below(r);
      const upToEqual = below(r + 1);
      concordant += lower;
      tiedRisk += upToEqual - lower;
      discordant += inserted - upToEqual;
      ic[i] += lower;
      it[i] += upToEqual - lower;
      id[i] += inserted - upToEqual;
    }
    eventRanks.sort((a, b) => a - b);
    for (let a = 0; a < eventRanks.length; ) {
      let b = a;
      while (b < eventRanks.length && eventRanks[b] === eventRanks[a]) b++;
      tiedBoth += ((b - a) * (b - a - 1)) / 2;
      a = b;
    }
    const dn = eventRanks.length;
    tiedTime += (dn * (dn - 1)) / 2;
    for (const r of eventRanks) {
      add(r);
      inserted++;
    }
    q = e;
  }
  tiedTime -= tiedBoth;
  // second pass, ascending time: each subject as the later member of its comparable pairs
  // (events strictly before it, plus events at its own time when it is censored)
  tree.fill(0);
  let events = 0;
  for (let q = n - 1; q >= 0; ) {
    const t = time[order[q]];
    let e = q;
    while (e >= 0 && time[order[e]] === t) e--;
    for (let k = q; k > e; k--) {
      const j = order[k];
      if (status[j] !== 1) continue;
      const r = rankOf(score[j]);
      const lower = below(r);
      const upToEqual = below(r + 1);
      ic[j] += events - upToEqual; // earlier events with a higher score
      id[j] += lower;
      it[j] += upToEqual - lower;
    }
    for (let k = q; k > e; k--) if (status[order[k]] === 1) {
      add(rankOf(score[order[k]]));
      events++;
    }
    for (let k = q; k > e; k--) {
      const j = order[k];
      if (status[j] !== 0) continue;
      const r = rankOf(score[j]);
      const lower = below(r);
      const upToEqual = below(r + 1);
      ic[j] += events - upToEqual;
      id[j] += lower;
      it[j] += upToEqual - lower;
    }
    q = e;
  }
  const comparable = concordant + discordant + tiedRisk;
  let stdErr = 0;
  if (comparable > 0) {
    const somers = (concordant - discordant) / comparable;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const dfb = (ic[i] - id[i]) / comparable - (somers / comparable) * (ic[i] + id[i] + it[i]);
      v += dfb * dfb;
    }
    stdErr = Math.sqrt(v / 4);
  }
  return { value: comparable > 0 ? (concordant + tiedRisk / 2) / comparable : 0.5, concordant, discordant, tiedRisk, tiedTime, tiedBoth, stdErr };
}

function test(statistic: number, df: number): ChiSquareTest {
  return { statistic, df, p: chiSquareUpperTail(statistic, df) };
}

/**
 * Fit a Cox proportional hazards model h(t | x) = h0(t)·exp(xᵀβ).
 *
 * @remarks
 * Maximises the partial likelihood (Cox 1972) by Newton–Raphson from β = 0 with step halving,
 * stopping as R's `coxph` does (|1 - ℓ_old/ℓ_new| <= 1e-9, at most 20 iterations); tied event
 * times by Efron's (1977) approximation (R's default) or Breslow's. The variance is the inverse
 * information at the estimate; the score test is computed at β = 0, the Wald test at the
 * estimate. Rows with a missing value (NaN) in the time, status or any covariate are left out
 * (complete cases, R's default `na.omit`). Matches R `survival` 3.5-3 on `lung`
 * (age + sex + ph.ecog) to 1e-9 in coefficients and standard errors for both tie methods.
 * Monotone likelihood (a covariate that separates who churns first) drives a coefficient to
 * ±infinity: the fit then stops after `maxIterations` with `converged: false` (R warns "Ran out
 * of iterations"), its last iterate is reported.
 * Cost per iteration O(n p²) after one O(n log n) sort.
 *
 * @param time - follow-up time per row (finite, >= 0).
 * @param status - 1 = event, 0 = censored.
 * @param covariates - numeric columns by name (`Map` keeps the order; an object uses its key order).
 * @param options - see {@link CoxPhOptions}.
 * @returns the fitted model.
 * @throws {@link InvalidRecordError} for a bad time, status or covariate value;
 *   {@link InvalidOptionError} for bad options or a constant covariate; `AnalyticsError`
 *   `EMPTY_INPUT` when no row or no event is left, `NOT_CONVERGED` when the information matrix
 *   is singular (collinear covariates).
 * @example
 * ```ts
 * // eight customers: time to churn in months, premium plan or not (R coxph gives -1.792876)
 * const fit = coxPh([5, 8, 12, 20, 25, 30, 33, 40], [1, 1, 0, 1, 1, 0, 1, 1], { premium: [0, 0, 1, 0, 1, 1, 0, 1] });
 * [fit.names, fit.coefficients[0].toFixed(6), fit.converged];
 * //=> [["premium"], "-1.792876", true]
 * ```
 * @category Survival
 */
export function coxPh(time: NumericColumn, status: NumericColumn, covariates: CovariateColumns, options?: CoxPhOptions): CoxModel {
  const fn = "coxPh";
  const o = withDefaults(COX_PH_DEFAULTS, options) as Required<CoxPhOptions>;
  if (o.ties !== "efron" && o.ties !== "breslow") throw new InvalidOptionError(fn, "ties", o.ties, '"efron" or "breslow"');
  if (!Number.isInteger(o.maxIterations) || o.maxIterations < 1) throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "an integer >= 1");
  if (typeof o.tolerance !== "number" || !(o.tolerance > 0)) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a number > 0");
  if (typeof o.confLevel !== "number" || !(o.confLevel > 0 && o.confLevel < 1)) throw new InvalidOptionError(fn, "confLevel", o.confLevel, "a number in (0, 1)");
  const { names, columns } = covariateList(fn, covariates);
  const rows = survivalRows(fn, time, status, names.map((name, j) => ({ name, values: columns[j], numeric: true })));
  const n = rows.time.length;
  const p = names.length;
  const x = new Float64Array(p * n);
  const means = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const col = columns[j];
    let s = 0;
    for (let k = 0; k < n; k++) s += col[rows.index[k]];
    means[j] = s / n;
    let constant = true;
    for (let k = 0; k < n; k++) {
      x[j * n + k] = col[rows.index[k]] - means[j];
      if (col[rows.index[k]] !== col[rows.index[0]]) constant = false;
    }
    if (constant) throw new InvalidOptionError(fn, `covariates.${names[j]}`, col[rows.index[0]], "a column that varies across the complete rows (a constant has no effect to estimate)");
  }
  let events = 0;
  for (let k = 0; k < n; k++) events += rows.status[k];
  if (events === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no events among the ${n} complete rows (all censored); a Cox model needs at least one event`);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => rows.time[a] - rows.time[b] || a - b);
  const efron = o.ties === "efron";
  const singular = (): never => {
    throw new AnalyticsError("NOT_CONVERGED", `${fn}: the information matrix is singular (collinear covariates, or a covariate that never varies within the risk sets); drop one of ${JSON.stringify(names)}`);
  };
  let beta = new Float64Array(p);
  let cur = partialLikelihood(rows.time, rows.status, x, p, beta, order, efron);
  const nullLoglik = cur.loglik;
  let L = cholesky(cur.imat, p) ?? singular();
  let step = cholSolve(L, p, cur.u);
  let score0 = 0;
  for (let j = 0; j < p; j++) score0 += cur.u[j] * step[j];
  let newBeta = Float64Array.from(beta, (b, j) => b + step[j]);
  let iterations = 0;
  let converged = false;
  let halving = 0;
  let loglik = nullLoglik;
  let next: Derivs = cur;
  const finite = (d: Derivs): boolean => Number.isFinite(d.loglik) && d.u.every(Number.isFinite) && d.imat.every(Number.isFinite);
  // R's coxfit6 loop: converge on the log-likelihood; on a worse or non-finite step, shrink it
  // towards the last good β by 1/2, 1/3, ... (step halving)
  for (iterations = 1; iterations <= o.maxIterations; iterations++) {
    next = partialLikelihood(rows.time, rows.status, x, p, newBeta, order, efron);
    const ok = finite(next);
    if (ok && Math.abs(1 - loglik / next.loglik) <= o.tolerance) {
      converged = true;
      break;
    }
    if (!ok || next.loglik < loglik) {
      halving++;
      for (let j = 0; j < p; j++) newBeta[j] = (newBeta[j] + halving * beta[j]) / (halving + 1);
    } else {
      halving = 0;
      loglik = next.loglik;
      L = cholesky(next.imat, p) ?? singular();
      step = cholSolve(L, p, next.u);
      beta = newBeta;
      newBeta = Float64Array.from(beta, (b, j) => b + step[j]);
    }
  }
  if (!converged) {
    // out of iterations: report the last good β, as R does (it warns "Ran out of iterations")
    iterations = o.maxIterations;
    newBeta = beta;
    next = partialLikelihood(rows.time, rows.status, x, p, beta, order, efron);
  }
  const coef = newBeta;
  const Lf = cholesky(next.imat, p) ?? singular();
  const variance = cholInverse(Lf, p);
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(variance[j * p + j]));
  const zq = normalQuantileRefined(1 - (1 - o.confLevel) / 2);
  let wald = 0;
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) wald += coef[j] * next.imat[j * p + k] * coef[k];
  const lp = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let e = 0;
    for (let j = 0; j < p; j++) e += x[j * n + k] * coef[j];
    lp[k] = e;
  }
  const z = Float64Array.from({ length: p }, (_, j) => coef[j] / se[j]);
  return {
    names,
    ties: o.ties,
    n,
    events,
    coefficients: coef,
    standardErrors: se,
    variance,
    hazardRatios: coef.map(Math.exp),
    hazardRatioLower: Float64Array.from({ length: p }, (_, j) => Math.exp(coef[j] - zq * se[j])),
    hazardRatioUpper: Float64Array.from({ length: p }, (_, j) => Math.exp(coef[j] + zq * se[j])),
    z,
    p: z.map(normalTwoSidedP),
    logLikelihood: { null: nullLoglik, fitted: next.loglik },
    likelihoodRatioTest: test(2 * (next.loglik - nullLoglik), p),
    waldTest: test(wald, p),
    scoreTest: test(score0, p),
    concordance: concordanceOf(rows.time, rows.status, lp),
    iterations,
    converged,
    means,
    linearPredictor: lp,
    confLevel: o.confLevel,
    omittedRows: rows.omittedRows,
    data: { time: rows.time, status: rows.status, x },
  };
}
