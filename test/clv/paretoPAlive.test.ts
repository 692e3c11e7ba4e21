/**
 * Pareto/NBD P(alive) at large x against the likelihood's 2F1 closed form at 100 digits
 * (test/reference/clv_pareto_pmf.py, rows "pAlive"). P(alive) = 1/(1 + A2/A1) with
 * ln(A2/A1) = ln s + logParetoIntegralScaled: the old form ln A1 − logAddExp(ln A1, ln A2)
 * subtracted two logs near −1200 (x = 300) to −20000 (x = 5000) and kept only their absolute
 * error (measured against the same rows: 1.2e-13 to 3.4e-12 relative at x = 5000, up to 4.8e-13
 * at x = 1000, 1.1e-13 at x = 300).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { probabilityAlive, probabilityAliveColumn, type ParetoNbdModel, type ParetoNbdParams } from "../../src/index.js";
import { paretoPAlive, paretoTerms } from "../../src/clv/paretonbd.js";
import { logAddExp, logParetoIntegral } from "../../src/numeric/index.js";

const REF = JSON.parse(readFileSync("test/reference/clv_pareto_pmf.json", "utf8"));
type Row = { label: string; params: ParetoNbdParams; x: number; t_x: number; T: number; pAlive: number; dead: number };
const ROWS = REF.pAlive as Row[];
const rel = (got: number, want: number) => Math.abs(got / want - 1);

/**
 * Stated tolerance: 1e-14 relative; 4e-14 where P(alive) < 1e-6 (there P ≈ A1/A2 = e^−L with L
 * up to 92, and L's rounding alone is L · 1.1e-16 ≈ 1e-14). Measured: ≤ 1.3e-15 at x = 300 and
 * 1000, ≤ 4.2e-15 on the ordinary and quadrature rows, ≤ 1.5e-14 at x = 5000 with P(alive)
 * from 1e-12 to 1e-40.
 */
const tolerance = (r: Row) => (r.pAlive < 1e-6 ? 4e-14 : 1e-14);

/** The old subtraction, kept here to show that these rows tell it apart. */
function subtractedPAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const m = p.r + x;
  const a1 = -m * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const a2 = Math.log(p.s) + logParetoIntegral(m, p.s, p.alpha, p.beta, tx, T);
  return a2 === -Infinity ? 1 : Math.exp(a1 - logAddExp(a1, a2));
}

describe("Pareto/NBD P(alive) against 100-digit closed forms", () => {
  it("the rows cover x = 300, 1000, 5000 under α < β and α > β, ordinary rows and the quadrature rows", () => {
    for (const x of [300, 1000, 5000]) {
      expect(ROWS.filter((r) => r.x === x && r.params.alpha < r.params.beta).length).toBeGreaterThanOrEqual(4);
      expect(ROWS.filter((r) => r.x === x && r.params.alpha > r.params.beta).length).toBeGreaterThanOrEqual(4);
    }
    expect(ROWS.filter((r) => r.label === "ordinary").length).toBe(8);
    expect(ROWS.filter((r) => r.label.startsWith("tiny")).length).toBe(5);
  });

  it("paretoPAlive is within 1e-14 relative on every row (4e-14 where P(alive) < 1e-6)", () => {
    for (const r of ROWS) expect(rel(paretoPAlive(r.params, r.x, r.t_x, r.T), r.pAlive), `${r.label} α=${r.params.alpha} x=${r.x} t_x=${r.t_x}`).toBeLessThan(tolerance(r));
  });

  it("1 − P(alive) from the likelihood's terms (as forecast.ts forms it) is within 2e-14 relative (measured 7.9e-15)", () => {
    for (const r of ROWS) {
      const [a1, a2] = paretoTerms(r.params, r.x, r.t_x, r.T);
      const gone = Math.exp(a2 - logAddExp(a1, a2));
      expect(rel(gone, r.dead), `${r.label} α=${r.params.alpha} x=${r.x} t_x=${r.t_x}`).toBeLessThan(2e-14);
    }
  });

  it("the old subtraction of ln A1 and ln A2 misses the tolerance at x = 1000 and 5000 (so putting it back fails the test above)", () => {
    let worst1000 = 0;
    let worst5000 = 0;
    for (const r of ROWS) {
      const e = rel(subtractedPAlive(r.params, r.x, r.t_x, r.T), r.pAlive);
      if (r.x === 1000) worst1000 = Math.max(worst1000, e);
      if (r.x === 5000) worst5000 = Math.max(worst5000, e);
    }
    expect(worst1000).toBeGreaterThan(1e-13); // measured 4.8e-13
    expect(worst5000).toBeGreaterThan(1e-12); // measured 3.4e-12
  });

  it("probabilityAlive and probabilityAliveColumn (the column form) give the same values on the x = 5000 rows", () => {
    for (const alphaBelowBeta of [true, false]) {
      const rows = ROWS.filter((r) => r.label === "large x" && r.x === 5000 && r.params.alpha < r.params.beta === alphaBelowBeta);
      expect(rows.length).toBe(4);
      const params = rows[0].params;
      const model = { model: "pareto-nbd", params } as ParetoNbdModel;
      const col = probabilityAliveColumn(model, { x: rows.map((r) => r.x), t_x: rows.map((r) => r.t_x), T: rows.map((r) => r.T) });
      const rec = probabilityAlive(
        model,
        rows.map((r, i) => ({ customerId: `c${i}`, x: r.x, t_x: r.t_x, T: r.T })),
      );
      rows.forEach((r, i) => {
        expect(rel(col[i], r.pAlive), `t_x=${r.t_x}`).toBeLessThan(tolerance(r));
        expect(rec[i].pAlive).toBe(col[i]);
      });
    }
  });

  it("P(alive) is 1 when T = t_x (both branches)", () => {
    for (const r of ROWS.filter((q) => q.x === 300)) expect(paretoPAlive(r.params, 300, 40, 40)).toBe(1);
  });
});
