/**
 * Small dense symmetric positive-definite solves by Cholesky factorisation: the one such kernel
 * of the library (PLS path models, and the place for the Cox, logistic and CLV optimisers'
 * Newton steps). Meant for the handful of variables of a model (under a few hundred): plain
 * loops, O(p³) factorisation, O(p²) per solve.
 * @module
 */

/**
 * Relative pivot floor: a pivot at or below this times the largest diagonal entry means the
 * matrix is not numerically positive definite (collinear variables).
 */
const PIVOT_FLOOR = 1e-12;

/**
 * The Cholesky factor of a symmetric positive-definite matrix: the lower-triangular L with
 * A = L Lᵀ, or `null` when A is not numerically positive definite.
 *
 * @remarks
 * The Cholesky–Banachiewicz order (row by row): L_ij = (A_ij − Σ_{m<j} L_im L_jm) / L_jj and
 * L_ii = √(A_ii − Σ_{m<i} L_im²). Only the lower triangle of `a` is read. A pivot (the value
 * under the square root) at or below 1e-12 times the largest |A_ii| gives `null`: a singular,
 * indefinite or collinear matrix is reported, never clamped. O(p³ / 3).
 *
 * @param a - the matrix, row-major `p × p` (`a[i * p + j]`); not changed.
 * @param p - its order.
 * @returns L, row-major `p × p` (zeros above the diagonal), or `null`.
 * @example
 * ```ts
 * Array.from(cholesky(Float64Array.of(4, 2, 2, 3), 2)!);
 * //=> [2, 0, 1, 1.4142135623730951]
 * ```
 * @category Numeric
 */
export function cholesky(a: ArrayLike<number>, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  let maxDiag = 0;
  for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * p + i]));
  const floor = PIVOT_FLOOR * (maxDiag > 0 ? maxDiag : 1);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j];
      for (let m = 0; m < j; m++) s -= L[i * p + m] * L[j * p + m];
      if (i === j) {
        if (!(s > floor)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  return L;
}

/**
 * Solve L Lᵀ x = b given the Cholesky factor from {@link cholesky}: forward then back
 * substitution, O(p²).
 *
 * @param L - the factor, row-major `p × p`.
 * @param p - the order.
 * @param b - the right-hand side, `p` numbers; not changed.
 * @returns x.
 * @example
 * ```ts
 * const L = cholesky(Float64Array.of(4, 2, 2, 3), 2)!;
 * Array.from(choleskySolve(L, 2, [2, 1]));
 * //=> [0.5, 0]
 * ```
 * @category Numeric
 */
export function choleskySolve(L: ArrayLike<number>, p: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= L[i * p + m] * y[m];
    y[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let m = i + 1; m < p; m++) s -= L[m * p + i] * x[m];
    x[i] = s / L[i * p + i];
  }
  return x;
}

/**
 * Solve A x = b for a symmetric positive-definite A given as rows (the normal equations of a
 * regression, a correlation matrix), by {@link cholesky} and {@link choleskySolve}.
 *
 * @remarks
 * O(k³). Returns `null` rather than a meaningless solution when A is not numerically positive
 * definite (a pivot at or below 1e-12 times the largest diagonal entry: collinear variables),
 * so the caller can say which variables are collinear.
 *
 * @param a - the matrix, `a[i][j]`, `k × k` (only the lower triangle is read); not changed.
 * @param b - the right-hand side, `k` numbers; not changed.
 * @returns x, or `null` when A is not numerically positive definite.
 * @example
 * ```ts
 * solveSpd([[4, 2], [2, 3]], [2, 1]);
 * //=> [0.5, 0]
 * ```
 * @example
 * ```ts
 * solveSpd([[1, 1], [1, 1]], [1, 1]); // singular
 * //=> null
 * ```
 * @category Numeric
 */
export function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const k = b.length;
  const flat = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) flat[i * k + j] = a[i][j];
  const L = cholesky(flat, k);
  return L === null ? null : Array.from(choleskySolve(L, k, b));
}
