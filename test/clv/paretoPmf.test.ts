/**
 * The Pareto/NBD pmf in closed form (`paretoPmf`, Fader & Hardie note 028) against 40-digit
 * mpmath integrals that do not use the closed form (test/reference/clv_pareto_pmf.py; P(alive)
 * there from the likelihood's 2F1 closed form at 100 digits), and its quadrature fallback.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  conditionalExpectedPurchases,
  conditionalProbabilityOfPurchases,
  conditionalProbabilityOfPurchasesColumns,
  expectedPurchases,
  probabilityOfPurchases,
  type ParetoNbdModel,
} from "../../src/index.js";
import { paretoPmf, paretoPmfFallbacks } from "../../src/clv/paretonbd.js";

const REF = JSON.parse(readFileSync("test/reference/clv_pareto_pmf.json", "utf8"));
type Case = { label: string; params: ParetoNbdModel["params"]; x: number; t_x: number; T: number; t: number; pmf: number[] };
const model = (c: Case) => ({ model: "pareto-nbd", params: c.params }) as ParetoNbdModel;

describe("Pareto/NBD conditional pmf (closed form)", () => {
  it("conditionalProbabilityOfPurchases(pareto) equals the mpmath reference on 19 rows, k up to 12: 3e-14 relative (measured 5e-15 for x <= 60, 7.6e-15 at x = 300); the old quadrature was 1.2e-9 off on the first row", () => {
    // x = 300 was 2e-12 (measured 1.15e-12) from two errors in P(alive): the library's, 6.7e-14
    // and 9.5e-14, its log-likelihood terms near -1200 being subtracted (now ln(A2/A1) directly,
    // logParetoIntegralScaled), and the reference's own direct integral of A2, 1.0e-12 and 8e-14
    // off (now the 2F1 closed form at 100 digits)
    const before = paretoPmfFallbacks.count;
    for (const c of REF.cases as Case[]) {
      const [got] = conditionalProbabilityOfPurchases(model(c), [{ customerId: c.label, x: c.x, t_x: c.t_x, T: c.T }], { t: c.t, maxK: c.pmf.length - 1 });
      const tol = 3e-14;
      got.pmf.forEach((v, k) => expect(Math.abs(v / c.pmf[k] - 1), `${c.label} x=${c.x} k=${k}`).toBeLessThan(tol));
    }
    // every row by the series, none by the quadrature fallback
    expect(paretoPmfFallbacks.count).toBe(before);
  });

  it("the benchmark's worst row (k = 3, x = 18, t_x = 24.9, T = 26.1) is right to 1e-13 (40-digit value 0.026286091147577868)", () => {
    const c = REF.cases[0] as Case;
    const col = conditionalProbabilityOfPurchasesColumns(model(c), { x: [c.x], t_x: [c.t_x], T: [c.T] }, { t: 39, maxK: 5 });
    expect(Math.abs(col[3][0] / 0.026286091147577868 - 1)).toBeLessThan(1e-13);
  });

  it("probabilityOfPurchases(pareto, k, t) of a new customer sums to 1 over k and its mean is expectedPurchases (α < β and α > β)", () => {
    for (const params of [REF.cases[0].params, { r: 2, alpha: 30, s: 0.5, beta: 4 }]) {
      const m = { model: "pareto-nbd", params } as ParetoNbdModel;
      let total = 0;
      let mean = 0;
      for (let k = 0; k <= 150; k++) {
        const v = probabilityOfPurchases(m, k, 39);
        total += v;
        mean += k * v;
      }
      expect(total).toBeCloseTo(1, 12);
      expect(Math.abs(mean / expectedPurchases(m, 39) - 1)).toBeLessThan(1e-10);
    }
  });

  it("a short horizon (t = 1, where the published difference S − Σ T_i cancels) keeps 1e-12 and Σ k·pmf = E[Y(1)]", () => {
    const c = REF.cases.find((r: Case) => r.label === "bench short horizon" && r.x === 3) as Case;
    const cust = [{ customerId: "a", x: c.x, t_x: c.t_x, T: c.T }];
    const [got] = conditionalProbabilityOfPurchases(model(c), cust, { t: 1, maxK: 40 });
    got.pmf.slice(0, c.pmf.length).forEach((v, k) => expect(Math.abs(v / c.pmf[k] - 1)).toBeLessThan(1e-12));
    const mean = got.pmf.reduce((s, v, k) => s + k * v, 0);
    expect(Math.abs(mean / conditionalExpectedPurchases(model(c), cust, { t: 1 })[0].expectedPurchases - 1)).toBeLessThan(1e-11);
  });

  it("paretoPmf integrates instead (and counts it) where min(α, β) is far below the other: α = 1e-6, β = 1000", () => {
    const before = paretoPmfFallbacks.count;
    const p = { r: 0.5, alpha: 1e-6, s: 0.5, beta: 1000 };
    // dropout is slow (mean rate 5e-4 per unit) and nearly everybody is alive at t = 1:
    // NB(1; r = 0.5, α/(α+1)) = Γ(1.5)/Γ(0.5) · (1e-6/(1+1e-6))^0.5 · 1/(1+1e-6) ≈ 0.5 · 1e-3 = 5.0e-4,
    // times the survival (1000/1001)^0.5 = 0.9995, plus a dead part of order 5e-4 · 1e-3
    const v = paretoPmf(p, 1, 1);
    expect(paretoPmfFallbacks.count).toBe(before + 1);
    expect(v).toBeGreaterThan(4.99e-4);
    expect(v).toBeLessThan(5.01e-4);
  });
});
