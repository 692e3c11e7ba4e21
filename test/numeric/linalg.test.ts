/**
 * Cholesky factorisation and SPD solves against exact hand cases, mathjs's LU solver (a peer
 * library) on seeded matrices, and the identity A x = b.
 */
import { lusolve } from "mathjs";
import { describe, expect, it } from "vitest";
import { cholesky, choleskySolve, createRng, solveSpd } from "../../src/numeric/index.js";

/** A seeded SPD matrix XᵀX + δI (X n × k with n > k), as rows. */
function randomSpd(k: number, seed: number, delta = 0.1): number[][] {
  const rng = createRng(seed);
  const n = k + 5;
  const x = Array.from({ length: n }, () => Array.from({ length: k }, () => rng.next() * 2 - 1));
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => x.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? delta : 0)));
}

describe("cholesky", () => {
  it("cholesky(A) of [[4, 12, -16], [12, 37, -43], [-16, -43, 98]] is [[2, 0, 0], [6, 1, 0], [-8, 5, 3]] exactly", () => {
    // hand: L11 = √4 = 2, L21 = 12/2 = 6, L31 = -16/2 = -8, L22 = √(37 - 36) = 1,
    // L32 = (-43 - (-8)(6)) / 1 = 5, L33 = √(98 - 64 - 25) = 3
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    expect(Array.from(cholesky(a, 3)!)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it("cholesky(A) reports a singular, indefinite or collinear matrix as null (never clamps)", () => {
    expect(cholesky(Float64Array.of(1, 1, 1, 1), 2)).toBeNull(); // rank 1
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull(); // eigenvalues 3, -1
    expect(cholesky(Float64Array.of(0, 0, 0, 0), 2)).toBeNull();
    // collinear up to 1e-14: pivot 1e-14 <= 1e-12 x max diagonal
    expect(cholesky(Float64Array.of(1, 1, 1, 1 + 1e-14), 2)).toBeNull();
    // just positive definite enough: pivot 1e-9 > 1e-12
    expect(cholesky(Float64Array.of(1, 1, 1, 1 + 1e-9), 2)).not.toBeNull();
  });
});

describe("solveSpd", () => {
  it("solveSpd(A, b) solves the hand case [[4, 2], [2, 3]] x = [2, 1] as [0.5, 0] and L Lᵀ x = b via choleskySolve", () => {
    // hand: 4(0.5) + 2(0) = 2, 2(0.5) + 3(0) = 1
    expect(solveSpd([[4, 2], [2, 3]], [2, 1])).toEqual([0.5, 0]);
    const L = cholesky(Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98), 3)!;
    // A (1, 1, 1) = (0, 6, 39): the solve gives it back exactly (integer factor)
    expect(Array.from(choleskySolve(L, 3, [0, 6, 39]))).toEqual([1, 1, 1]);
  });

  it("solveSpd agrees with mathjs's lusolve to 1e-12 relative on seeded SPD matrices of order 2..30", () => {
    for (const k of [2, 3, 5, 10, 30]) {
      const a = randomSpd(k, k);
      const rng = createRng(100 + k);
      const b = Array.from({ length: k }, () => rng.next() * 10 - 5);
      const x = solveSpd(a, b)!;
      const ref = (lusolve(a, b) as number[][]).map((r) => r[0]);
      const scale = Math.max(...ref.map(Math.abs));
      for (let i = 0; i < k; i++) expect(Math.abs(x[i] - ref[i])).toBeLessThan(1e-12 * scale);
      // residual: |A x - b| small relative to |A| |x|
      for (let i = 0; i < k; i++) {
        const ax = a[i].reduce((s, v, j) => s + v * x[j], 0);
        expect(Math.abs(ax - b[i])).toBeLessThan(1e-12 * k * scale * Math.max(...a[i].map(Math.abs)));
      }
    }
  });

  it("solveSpd solves the 5 x 5 Hilbert system whose exact solution is all ones to 1e-10", () => {
    // H_ij = 1 / (i + j + 1); b = H 1 (row sums); condition number ~4.8e5
    const h = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => 1 / (i + j + 1)));
    const b = h.map((r) => r.reduce((s, v) => s + v, 0));
    for (const v of solveSpd(h, b)!) expect(Math.abs(v - 1)).toBeLessThan(1e-10);
  });

  it("solveSpd returns null for collinear variables and does not modify its input", () => {
    const a = Object.freeze([Object.freeze([1, 2]), Object.freeze([2, 4])]);
    const b = Object.freeze([1, 2]);
    expect(solveSpd(a, b)).toBeNull();
    expect(a).toEqual([[1, 2], [2, 4]]);
    expect(b).toEqual([1, 2]);
  });
});
