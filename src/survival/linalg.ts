/**
 * Small dense symmetric solves for the Cox model (p x p, p = number of covariates). The library
 * has no shared matrix kernel yet (churn and clv keep private Cholesky solves); this one also
 * reports a singular matrix instead of clamping it.
 * @module
 * @internal
 */

/**
 * Cholesky factor L (row-major, lower) of a symmetric positive-definite p x p matrix, or `null`
 * when a pivot is not positive relative to the diagonal (singular or indefinite).
 * @internal
 */
export function cholesky(a: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  let scale = 0;
  for (let i = 0; i < p; i++) scale = Math.max(scale, Math.abs(a[i * p + i]));
  const tol = 1e-12 * (scale > 0 ? scale : 1);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > tol)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  return L;
}

/** Solve (L Lᵀ) x = b. @internal */
export function cholSolve(L: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * z[k];
    z[i] = s / L[i * p + i];
  }
  return z;
}

/** Inverse of (L Lᵀ), row-major. @internal */
export function cholInverse(L: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const col = cholSolve(L, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i];
  }
  return inv;
}

/** bᵀ A⁻¹ b for symmetric positive-definite A, or `null` when A is singular. @internal */
export function quadFormInverse(a: Float64Array, p: number, b: ArrayLike<number>): number | null {
  const L = cholesky(a, p);
  if (L === null) return null;
  const x = cholSolve(L, p, b);
  let s = 0;
  for (let i = 0; i < p; i++) s += b[i] * x[i];
  return s;
}
