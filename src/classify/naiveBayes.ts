/**
 * Naive Bayes on the encoded design: Gaussian class-conditional densities for numeric columns
 * (scikit-learn's `GaussianNB`), smoothed category frequencies for categorical columns
 * (`CategoricalNB`), one model for mixed tables.
 * @module
 */
import type { ColumnSpec } from "../churn/table.js";

/**
 * The Gaussian part of a naive Bayes model: one numeric column.
 * @category Classify
 */
export interface NaiveBayesGaussian {
  /** Column name. */
  feature: string;
  /** Mean of the column per class (training rows where it is present). */
  mean: number[];
  /** Variance per class (population variance, divisor n) plus the smoothing epsilon; 0 only when the column is left out (see `used`). */
  variance: number[];
  /** Whether the column enters the likelihood: false when every class variance is 0 and epsilon is 0 (a constant numeric table). */
  used: boolean;
}

/**
 * The categorical part of a naive Bayes model: one categorical column.
 * @category Classify
 */
export interface NaiveBayesCategorical {
  /** Column name. */
  feature: string;
  /** Training levels (the model's one-hot order). */
  levels: string[];
  /** ln P(level | class) per class then level: ln((count + alpha) / (class count + alpha L)). */
  logProb: number[][];
}

/** The fitted parameters of a naive Bayes model. @internal */
export interface NaiveBayesParams {
  /** Class prior probabilities (training shares). */
  prior: number[];
  /** Variance smoothing: epsilon = varSmoothing x the largest variance of any numeric column over all training rows. */
  epsilon: number;
  gaussian: NaiveBayesGaussian[];
  categorical: NaiveBayesCategorical[];
}

/**
 * Fit naive Bayes on design columns (`columns` tells which are numeric and which are one-hot
 * groups). Missing values (NaN, or a categorical row with no indicator set) are left out of the
 * statistics of that column.
 * @internal
 */
export function fitNaiveBayes(cols: readonly Float64Array[], columns: readonly ColumnSpec[], y: Int32Array, K: number, varSmoothing: number, alpha: number): NaiveBayesParams {
  const n = y.length;
  const count = new Float64Array(K);
  for (let i = 0; i < n; i++) count[y[i]]++;
  const prior = Array.from(count, (c) => c / n);
  const gaussian: NaiveBayesGaussian[] = [];
  const categorical: NaiveBayesCategorical[] = [];
  // epsilon: varSmoothing x the largest overall variance of a numeric column (as scikit-learn)
  let maxVar = 0;
  let j = 0;
  const numericAt: number[] = [];
  for (const c of columns) {
    if (c.kind === "numeric") {
      numericAt.push(j);
      maxVar = Math.max(maxVar, variance(cols[j], null, -1));
      j++;
    } else j += c.levels.length;
  }
  const epsilon = varSmoothing * maxVar;
  j = 0;
  for (const c of columns) {
    if (c.kind === "numeric") {
      const col = cols[j];
      const mean: number[] = [];
      const vars: number[] = [];
      for (let k = 0; k < K; k++) {
        mean.push(meanOf(col, y, k));
        vars.push(variance(col, y, k) + epsilon);
      }
      const used = vars.some((v) => v > 0);
      gaussian.push({ feature: c.name, mean, variance: used ? vars : vars.map(() => 0), used });
      j++;
      continue;
    }
    const L = c.levels.length;
    const counts = Array.from({ length: K }, () => new Float64Array(L));
    const present = new Float64Array(K);
    for (let l = 0; l < L; l++) {
      const ind = cols[j + l];
      for (let i = 0; i < n; i++) {
        if (ind[i] === 1) {
          counts[y[i]][l]++;
          present[y[i]]++;
        }
      }
    }
    const logProb = counts.map((row, k) => Array.from(row, (v) => Math.log(v + alpha) - Math.log(present[k] + alpha * L)));
    categorical.push({ feature: c.name, levels: [...c.levels], logProb });
    j += L;
  }
  return { prior, epsilon, gaussian, categorical };
}

/** Mean of the present values of rows of class k (all rows when y is null); 0 when none. */
function meanOf(col: Float64Array, y: Int32Array | null, k: number): number {
  let s = 0;
  let m = 0;
  for (let i = 0; i < col.length; i++) {
    if ((y !== null && y[i] !== k) || col[i] !== col[i]) continue;
    s += col[i];
    m++;
  }
  return m > 0 ? s / m : 0;
}

/** Population variance (two-pass) of the present values of rows of class k (all rows when y is null); 0 below two values. */
function variance(col: Float64Array, y: Int32Array | null, k: number): number {
  const mu = meanOf(col, y, k);
  let s = 0;
  let m = 0;
  for (let i = 0; i < col.length; i++) {
    if ((y !== null && y[i] !== k) || col[i] !== col[i]) continue;
    const d = col[i] - mu;
    s += d * d;
    m++;
  }
  return m > 0 ? s / m : 0;
}

/**
 * Class probabilities (n x K row-major) of encoded rows: softmax over classes of ln prior + the
 * Gaussian log densities of the present numeric values + the categorical log probabilities of
 * the seen levels. A missing value, or a level not seen in training, adds nothing (the
 * column is skipped for that row, as if marginalised out).
 * @internal
 */
export function naiveBayesProba(nb: NaiveBayesParams, columns: readonly ColumnSpec[], cols: readonly Float64Array[], n: number): Float64Array {
  const K = nb.prior.length;
  const jll = new Float64Array(n * K);
  const logPrior = nb.prior.map((p) => Math.log(p));
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) jll[i * K + k] = logPrior[k];
  let j = 0;
  let g = 0;
  let c = 0;
  for (const spec of columns) {
    if (spec.kind === "numeric") {
      const par = nb.gaussian[g++];
      const col = cols[j++];
      if (!par.used) continue;
      const norm = par.variance.map((v) => -0.5 * Math.log(2 * Math.PI * v));
      for (let i = 0; i < n; i++) {
        const x = col[i];
        if (x !== x) continue;
        for (let k = 0; k < K; k++) {
          const d = x - par.mean[k];
          jll[i * K + k] += norm[k] - (0.5 * d * d) / par.variance[k];
        }
      }
      continue;
    }
    const par = nb.categorical[c++];
    const L = spec.levels.length;
    for (let l = 0; l < L; l++) {
      const ind = cols[j + l];
      for (let i = 0; i < n; i++) if (ind[i] === 1) for (let k = 0; k < K; k++) jll[i * K + k] += par.logProb[k][l];
    }
    j += L;
  }
  // softmax per row (log-sum-exp)
  for (let o = 0; o < jll.length; o += K) {
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (jll[o + k] > m) m = jll[o + k];
    if (m === -Infinity) {
      // a value so far out (beyond 1e154 standard deviations) that every density underflows: the prior
      for (let k = 0; k < K; k++) jll[o + k] = nb.prior[k];
      continue;
    }
    let z = 0;
    for (let k = 0; k < K; k++) z += Math.exp(jll[o + k] - m);
    for (let k = 0; k < K; k++) jll[o + k] = Math.exp(jll[o + k] - m) / z;
  }
  return jll;
}
