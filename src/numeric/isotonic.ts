/**
 * Weighted isotonic (monotone non-decreasing) regression by the pool-adjacent-violators
 * algorithm: the one kernel behind churn calibration (`isotonicFit`) and the survey's
 * satisfaction trap.
 * @module
 */

/**
 * The non-decreasing sequence closest to `y` in weighted least squares: minimises
 * Σ wᵢ (yᵢ − fᵢ)² subject to f₁ ≤ f₂ ≤ … ≤ fₙ.
 *
 * @remarks
 * Pool-adjacent-violators (Ayer, Brunk, Ewing, Reid & Silverman 1955; Barlow et al. 1972):
 * scan left to right keeping a stack of blocks (weighted mean, total weight, length); each new
 * value starts a block, and while the last block's mean is below the one before it the two are
 * merged into their weighted mean. Every fitted value is the weighted mean of its block. O(n).
 * Agrees with scikit-learn's `IsotonicRegression` to 1e-12 (test/reference/survey_trap.py,
 * test/reference/churn_calibration.py).
 *
 * @param y - the values, in the order of the (already sorted) predictor.
 * @param w - positive weights, one per value; default all 1.
 * @returns the fitted values.
 * @example
 * ```ts
 * Array.from(isotonicRegression([1, 3, 2, 4], [1, 1, 1, 1]));
 * //=> [1, 2.5, 2.5, 4]
 * ```
 * @category Numeric
 */
export function isotonicRegression(y: ArrayLike<number>, w?: ArrayLike<number>): Float64Array {
  const n = y.length;
  const mean = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let top = -1;
  for (let i = 0; i < n; i++) {
    top++;
    mean[top] = y[i];
    weight[top] = w === undefined ? 1 : w[i];
    size[top] = 1;
    while (top > 0 && mean[top - 1] > mean[top]) {
      const wt = weight[top - 1] + weight[top];
      mean[top - 1] = (weight[top - 1] * mean[top - 1] + weight[top] * mean[top]) / wt;
      weight[top - 1] = wt;
      size[top - 1] += size[top];
      top--;
    }
  }
  const out = new Float64Array(n);
  let at = 0;
  for (let b = 0; b <= top; b++) for (let k = 0; k < size[b]; k++) out[at++] = mean[b];
  return out;
}
