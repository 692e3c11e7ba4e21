/**
 * Small dense linear algebra for PLS path modelling: symmetric positive-definite solves by
 * Cholesky factorisation. Blocks and structural equations in survey models have a handful of
 * variables (under 50), so plain nested arrays are fast enough and clear.
 *
 * No shared solver exists in `src/numeric/` yet; when one appears this module should call it.
 * @module
 * @internal
 */

/**
 * Solve `A x = b` for a symmetric positive-definite `A` (row-major `k × k`) by Cholesky
 * factorisation, O(k³).
 *
 * @param a - the matrix, `a[i][j]`; not changed.
 * @param b - the right-hand side; not changed.
 * @returns `x`, or `null` when `A` is not numerically positive definite (a pivot at or below
 *   `1e-12` times the largest diagonal entry: collinear variables).
 * @example
 * ```ts
 * solveSpd([[4, 2], [2, 3]], [2, 1]);
 * //=> [0.5, 0]
 * ```
 */
export function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const k = b.length;
  const l: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i][i]));
  const floor = 1e-12 * (maxDiag > 0 ? maxDiag : 1);
  for (let j = 0; j < k; j++) {
    let d = a[j][j];
    for (let m = 0; m < j; m++) d -= l[j][m] * l[j][m];
    if (!(d > floor)) return null;
    const ljj = Math.sqrt(d);
    l[j][j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i][j];
      for (let m = 0; m < j; m++) s -= l[i][m] * l[j][m];
      l[i][j] = s / ljj;
    }
  }
  const y = new Array<number>(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= l[i][m] * y[m];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let m = i + 1; m < k; m++) s -= l[m][i] * x[m];
    x[i] = s / l[i][i];
  }
  return x;
}
