import { withDefaults } from "../core/options.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * Options of {@link ahpWeights}.
 * @category AHP
 */
export interface AhpWeightsOptions {
  /** Largest accepted `|a_ij * a_ji - 1|` (judgements typed as 0.333 for 1/3 pass). Default 0.01. */
  reciprocalTolerance?: number;
  /** Consistency ratio at or below which the judgements are called consistent. Default 0.1 (Saaty). */
  consistencyThreshold?: number;
  /** Random index to use instead of Saaty's table; required for matrices larger than 15 x 15. Default: from the table. */
  randomIndex?: number;
  /** Power iteration stops when no weight changes by more than this. Default 1e-13. */
  tolerance?: number;
  /** Power iteration limit. Default 10000. */
  maxIterations?: number;
}

/**
 * Result of {@link ahpWeights}.
 * @category AHP
 */
export interface AhpWeightsResult {
  /** Principal right eigenvector, normalised to sum to 1 (one weight per row of the matrix). */
  weights: number[];
  /** Principal eigenvalue (>= n for a positive reciprocal matrix; = n when perfectly consistent). */
  lambdaMax: number;
  /** CI = (lambdaMax - n) / (n - 1); 0 for n <= 2. */
  consistencyIndex: number;
  /** CR = CI / RI(n); 0 for n <= 2 (every 1x1 and 2x2 reciprocal matrix is consistent). */
  consistencyRatio: number;
  /** `consistencyRatio <= consistencyThreshold`. */
  consistent: boolean;
  /** The random index RI(n) used. */
  randomIndex: number;
  /** Power iterations used. */
  iterations: number;
}

const AHP_DEFAULTS = Object.freeze({
  reciprocalTolerance: 0.01,
  consistencyThreshold: 0.1,
  randomIndex: undefined as number | undefined,
  tolerance: 1e-13,
  maxIterations: 10_000,
});

/**
 * Saaty's random consistency index RI(n), n = 1..15 (Saaty 1980; the mean CI of random
 * reciprocal matrices with entries from the 1/9..9 scale).
 */
const SAATY_RI: readonly number[] = Object.freeze([0, 0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]);

/**
 * Criterion weights from a pairwise-comparison matrix by Saaty's Analytic Hierarchy Process:
 * the principal eigenvector, lambda max, and the consistency index and ratio.
 *
 * @remarks
 * `matrix[i][j]` says how much more important criterion i is than criterion j on Saaty's 1..9
 * scale; the matrix must be positive and reciprocal (`a_ji = 1 / a_ij`, `a_ii = 1`).
 * The weights w solve `A w = lambdaMax w` for the largest eigenvalue (Perron root), found by
 * power iteration (convergent for a positive matrix by the Perron-Frobenius theorem), and are
 * normalised to sum to 1. Then `lambdaMax = sum_i (A w)_i`, `CI = (lambdaMax - n) / (n - 1)`,
 * `CR = CI / RI(n)` with Saaty's random index table (n = 3..15: 0.58, 0.90, 1.12, 1.24, 1.32,
 * 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59). Judgements with `CR <= 0.1` are conventionally
 * acceptable. Sources: Saaty, T. L. (1980) *The Analytic Hierarchy Process*; Saaty (2008),
 * "Decision making with the analytic hierarchy process", Int. J. Services Sciences 1(1).
 * Complexity O(n^2) per iteration.
 *
 * An empty matrix gives empty weights and zero indices.
 *
 * @param matrix - square positive reciprocal matrix, rows of numbers.
 * @param options - see {@link AhpWeightsOptions}.
 * @returns weights, lambda max, consistency index and ratio, and whether CR is acceptable.
 * @throws {@link InvalidRecordError} when the matrix is not square, an entry is not a finite
 *   positive number, a diagonal entry is not 1, or a pair is not reciprocal (`row` is the 1-based
 *   row, `field` names the column).
 * @throws {@link InvalidOptionError} for a bad option, or a matrix larger than 15 x 15 without
 *   `randomIndex`.
 * @throws {@link AnalyticsError} with code `NOT_CONVERGED` if power iteration does not converge.
 * @example
 * ```ts
 * const r = ahpWeights([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]]);
 * r.weights.map((w) => +w.toFixed(3));
 * //=> [0.648, 0.23, 0.122]
 * [+r.consistencyRatio.toFixed(4), r.consistent];
 * //=> [0.0032, true]
 * ```
 * @category AHP
 */
export function ahpWeights(matrix: readonly (readonly number[])[], options: AhpWeightsOptions = {}): AhpWeightsResult {
  const fn = "ahpWeights";
  const o = withDefaults(AHP_DEFAULTS, options);
  if (!(typeof o.reciprocalTolerance === "number" && o.reciprocalTolerance >= 0 && Number.isFinite(o.reciprocalTolerance))) {
    throw new InvalidOptionError(fn, "reciprocalTolerance", o.reciprocalTolerance, "a finite number >= 0");
  }
  if (!(typeof o.consistencyThreshold === "number" && o.consistencyThreshold >= 0)) {
    throw new InvalidOptionError(fn, "consistencyThreshold", o.consistencyThreshold, "a number >= 0");
  }
  if (!(typeof o.tolerance === "number" && o.tolerance > 0 && Number.isFinite(o.tolerance))) {
    throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a finite number > 0");
  }
  if (!(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) {
    throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "an integer >= 1");
  }
  if (o.randomIndex !== undefined && !(typeof o.randomIndex === "number" && o.randomIndex > 0 && Number.isFinite(o.randomIndex))) {
    throw new InvalidOptionError(fn, "randomIndex", o.randomIndex, "a finite number > 0");
  }
  if (!Array.isArray(matrix)) throw new InvalidOptionError(fn, "matrix", matrix, "an array of rows of numbers");
  const n = matrix.length;
  if (n === 0) return { weights: [], lambdaMax: 0, consistencyIndex: 0, consistencyRatio: 0, consistent: true, randomIndex: 0, iterations: 0 };

  // Copy once into a flat typed array, validating as we go.
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i];
    if (!Array.isArray(row) || row.length !== n) {
      throw new InvalidRecordError(fn, { row: i + 1, field: "length", value: Array.isArray(row) ? row.length : row, expected: `a row of ${n} numbers (the matrix must be square)` });
    }
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) {
        throw new InvalidRecordError(fn, { row: i + 1, field: `column ${j + 1}`, value: v, expected: "a finite number > 0" });
      }
      a[i * n + j] = v;
    }
  }
  for (let i = 0; i < n; i++) {
    if (Math.abs(a[i * n + i] - 1) > o.reciprocalTolerance) {
      throw new InvalidRecordError(fn, { row: i + 1, field: `column ${i + 1}`, value: a[i * n + i], expected: "1 on the diagonal" });
    }
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(a[i * n + j] * a[j * n + i] - 1) > o.reciprocalTolerance) {
        throw new InvalidRecordError(fn, {
          row: j + 1,
          field: `column ${i + 1}`,
          value: a[j * n + i],
          expected: `the reciprocal of row ${i + 1}, column ${j + 1} (1 / ${a[i * n + j]} = ${1 / a[i * n + j]})`,
        });
      }
    }
  }
  let ri: number;
  if (o.randomIndex !== undefined) ri = o.randomIndex;
  else if (n < SAATY_RI.length) ri = SAATY_RI[n];
  else throw new InvalidOptionError(fn, "randomIndex", undefined, `a random index for a ${n} x ${n} matrix (Saaty's table stops at 15)`);

  // Power iteration from the row geometric means (already close to the eigenvector).
  let w = new Float64Array(n);
  let next = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    let logSum = 0;
    for (let j = 0; j < n; j++) logSum += Math.log(a[i * n + j]);
    w[i] = Math.exp(logSum / n);
    s += w[i];
  }
  for (let i = 0; i < n; i++) w[i] /= s;
  let iterations = 0;
  let lambda = 0;
  for (;;) {
    iterations++;
    lambda = 0;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += a[i * n + j] * w[j];
      next[i] = t;
      lambda += t;
    }
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] /= lambda;
      change = Math.max(change, Math.abs(next[i] - w[i]));
    }
    const tmp = w;
    w = next;
    next = tmp;
    if (change <= o.tolerance) break;
    if (iterations >= o.maxIterations) {
      throw new AnalyticsError("NOT_CONVERGED", `${fn}: power iteration did not converge in ${o.maxIterations} iterations (last change ${change}); raise maxIterations or tolerance`);
    }
  }
  // lambda from the final vector: sum_i (A w)_i with sum_i w_i = 1.
  lambda = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lambda += a[i * n + j] * w[j];
  const ci = n <= 2 ? 0 : Math.max(0, (lambda - n) / (n - 1));
  const cr = n <= 2 ? 0 : ci / ri;
  return {
    weights: Array.from(w),
    lambdaMax: n <= 2 ? n : lambda,
    consistencyIndex: ci,
    consistencyRatio: cr,
    consistent: cr <= o.consistencyThreshold,
    randomIndex: n <= 2 ? 0 : ri,
    iterations,
  };
}
