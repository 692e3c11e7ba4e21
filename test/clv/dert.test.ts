import { describe, expect, it } from "vitest";
import { bgExpectationGivenAlive, tanhSinh } from "../../src/numeric/index.js";
import { bgDertGivenAlive } from "../../src/clv/forecast.js";

/** The nested form the fast path replaced: ∫_0^1 E[Y(−ln w/δ) | alive] dw with u = −ln w/k. */
function nested(m: number, a: number, bp: number, k: number): number {
  const q = tanhSinh((w, wa) => {
    const u = -Math.log(w < 0.5 ? wa : w) / k;
    return u === 0 ? 0 : bgExpectationGivenAlive(m, a, bp, u);
  }, 0, 1, { tolerance: 1e-11 });
  return q.value;
}

describe("bgDertGivenAlive", () => {
  // One integral over p of (m/p) e^(k/p) E_(m+1)(k/p) against the nested integral of the
  // E[Y | alive] kernel (itself checked against mpmath to 1e-12): two different formulas for the
  // same quantity. Cases: CDNOW's BG/NBD (r 0.243, a 0.793, b 2.426) for x = 0, 2, 10, 30 at
  // 15% a year (k = δ(α+T), δ = 0.0027, α+T = 43.3); a = 1 exactly; a small a = 0.05; a > 1
  // with a long horizon (δ = 1e-4); heavy discounting (k = 5).
  const cases: [number, number, number, number][] = [
    [0.243, 0.793, 2.426, 0.117],
    [2.243, 0.793, 4.426, 0.117],
    [10.243, 0.793, 12.426, 0.117],
    [30.243, 0.793, 32.426, 0.117],
    [0.5, 1, 2, 0.1],
    [1.5, 0.05, 3, 0.2],
    [0.8, 3.5, 1.2, 0.0043],
    [4, 0.7, 2, 5],
  ];
  for (const [m, a, bp, k] of cases) {
    it(`bgDertGivenAlive(m ${m}, a ${a}, b' ${bp}, k ${k}) equals the nested integral to 1e-9 relative`, () => {
      const fast = bgDertGivenAlive(m, a, bp, k);
      expect(fast).not.toBeNull();
      const ref = nested(m, a, bp, k);
      expect(Math.abs(fast! / ref - 1)).toBeLessThanOrEqual(1e-9);
    });
  }
  it("bgDertGivenAlive tends to E[λ]/δ = m/k when dropout is negligible (a tiny, b' huge)", () => {
    // p ~ Beta(1e-3, 1e6): mean p 1e-9, so DERT = m/k (1 - O(1e-8))
    const v = bgDertGivenAlive(2, 1e-3, 1e6, 0.1)!;
    expect(Math.abs(v / 20 - 1)).toBeLessThanOrEqual(1e-6);
  });
});
