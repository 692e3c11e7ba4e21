import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AnalyticsError,
  InvalidOptionError,
  InvalidRecordError,
  bgBbConditionalExpectedTransactions,
  bgBbConditionalExpectedTransactionsColumn,
  bgBbExpectedTransactions,
  bgBbExpectedTransactionsCurve,
  bgBbProbabilityAlive,
  bgBbProbabilityAliveColumn,
  bgBbProbabilityOfTransactions,
  bgBbSummaries,
  bgBbSummariesFromLog,
  fitBgBb,
  type BgBbModel,
} from "../../src/index.js";

// The 22-row donations table (Fader, Hardie & Shang 2010): frequency, recency, periods, weights.
const D = readFileSync("../shared/data/donations/donations.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
const table = { x: D.map((r) => r[0]), t_x: D.map((r) => r[1]), n: D.map((r) => r[2]), weights: D.map((r) => r[3]) };
// Frozen output of test/reference/clv_bgbb_contractual.py (scipy closed forms, eq. 5, 7, 8, 11, 13).
const REF = JSON.parse(readFileSync("test/reference/clv_bgbb_contractual.json", "utf8")).bgbb;
const refModel = { model: "bg-bb", params: REF.params } as BgBbModel;
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe("fitBgBb", () => {
  const m = fitBgBb(table);
  it("fitBgBb(donations) reproduces the published α 1.204, β 0.750, γ 0.657, δ 2.783, LL −33,225.6", () => {
    // Fader, Hardie & Shang (2010), Marketing Science 29(6): printed to 3 decimals (LL to 1).
    expect(m.params.alpha.toFixed(3)).toBe("1.204");
    expect(m.params.beta.toFixed(3)).toBe("0.750");
    expect(m.params.gamma.toFixed(3)).toBe("0.657");
    expect(m.params.delta.toFixed(3)).toBe("2.783");
    expect(m.logLikelihood.toFixed(1)).toBe("-33225.6");
    expect(m.customers).toBe(11104);
    expect(m.convergence.converged).toBe(true);
  });
  it("fitBgBb agrees with the scipy fit to 1e-5, its LL to 1e-9, its standard errors to 1e-4", () => {
    for (const k of ["alpha", "beta", "gamma", "delta"] as const) expect(rel(m.params[k], REF.params[k])).toBeLessThan(1e-5);
    expect(rel(m.logLikelihood, REF.logLikelihood)).toBeLessThan(1e-9);
    // standard errors: scipy-side central-difference Hessian of the same LL, 1e-4 relative (measured 6e-6)
    for (const k of ["alpha", "beta", "gamma", "delta"] as const) expect(rel(m.standardErrors![k], REF.standardErrors[k])).toBeLessThan(1e-4);
  });
  it("fitBgBb(records with weights) equals fitBgBb(expanded records)", () => {
    const small = [
      { customerId: "a", x: 0, t_x: 0, n: 3, weight: 3 },
      { customerId: "b", x: 2, t_x: 3, n: 3, weight: 2 },
      { customerId: "c", x: 1, t_x: 1, n: 3 },
    ];
    const expanded = [0, 1, 2].map((i) => ({ customerId: `a${i}`, x: 0, t_x: 0, n: 3 })).concat([0, 1].map((i) => ({ customerId: `b${i}`, x: 2, t_x: 3, n: 3 })), [{ customerId: "c", x: 1, t_x: 1, n: 3 }]);
    const opts = { penalizer: 0.01 };
    expect(fitBgBb(small, opts).params).toEqual(fitBgBb(expanded, opts).params);
  });
});

describe("BG/BB predictions", () => {
  it("bgBbExpectedTransactions(model, n) is eq. (8), to 1e-12 of scipy", () => {
    for (const e of REF.expectedTransactions) expect(rel(bgBbExpectedTransactions(refModel, e.n), e.value)).toBeLessThan(1e-12);
  });
  it("bgBbExpectedTransactionsCurve cumulates E[X(k)] times the cohort size", () => {
    const c = bgBbExpectedTransactionsCurve(refModel, { periods: 11, cohortSize: 11104 });
    expect(c.cumulative[6]).toBeCloseTo(11104 * REF.expectedTransactions[5].value, 8);
    expect(c.cumulative[11]).toBeCloseTo(11104 * REF.expectedTransactions[6].value, 8);
    let s = 0;
    for (let k = 1; k <= 11; k++) s += c.incremental[k];
    expect(s).toBeCloseTo(c.cumulative[11], 9);
  });
  it("bgBbProbabilityOfTransactions(model, x, 6) is eq. (7): scipy to 1e-12, sums to 1, mean E[X(6)]", () => {
    let s = 0;
    let mean = 0;
    REF.pmf6.forEach((v: number, x: number) => {
      const p = bgBbProbabilityOfTransactions(refModel, x, 6);
      expect(rel(p, v)).toBeLessThan(1e-12);
      s += p;
      mean += x * p;
    });
    expect(s).toBeCloseTo(1, 14);
    expect(mean).toBeCloseTo(bgBbExpectedTransactions(refModel, 6), 13);
  });
  it("bgBbProbabilityAlive and bgBbConditionalExpectedTransactions are eq. (11) and (13) on all 22 patterns (scipy, 1e-10)", () => {
    const recs = REF.rows.map((r: { x: number; t_x: number; n: number }, i: number) => ({ customerId: `p${i}`, x: r.x, t_x: r.t_x, n: r.n }));
    const pa1 = bgBbProbabilityAlive(refModel, recs);
    const pa0 = bgBbProbabilityAliveColumn(refModel, table, { periodsAhead: 0 });
    const ce5 = bgBbConditionalExpectedTransactions(refModel, recs, { periods: 5 });
    const ce1 = bgBbConditionalExpectedTransactionsColumn(refModel, table, { periods: 1 });
    REF.rows.forEach((r: { pAlive1: number; pAlive0: number; conditional5: number; conditional1: number }, i: number) => {
      expect(rel(pa1[i].pAlive, r.pAlive1)).toBeLessThan(1e-10);
      expect(rel(pa0[i], r.pAlive0)).toBeLessThan(1e-10);
      expect(rel(ce5[i].expectedTransactions, r.conditional5)).toBeLessThan(1e-10);
      expect(rel(ce1[i], r.conditional1)).toBeLessThan(1e-10);
    });
  });
  it("the γ = 1 limit is continuous (δ(ψ(1+δ+n) − ψ(1+δ)) form, no 0/0)", () => {
    const p = { alpha: 1.2, beta: 0.75, delta: 2.783 };
    const at1 = bgBbExpectedTransactions({ model: "bg-bb", params: { ...p, gamma: 1 } } as BgBbModel, 6);
    const near = bgBbExpectedTransactions({ model: "bg-bb", params: { ...p, gamma: 1 + 1e-9 } } as BgBbModel, 6);
    // at γ = 1: α/(α+β) · δ Σ_{j=0}^{5} 1/(1+δ+j) (hand formula: the harmonic-type sum)
    let h = 0;
    for (let j = 0; j < 6; j++) h += 1 / (1 + p.delta + j);
    expect(at1).toBeCloseTo((1.2 / 1.95) * p.delta * h, 14);
    expect(Math.abs(near - at1)).toBeLessThan(1e-8);
  });
  it("P(alive) falls with silence: same x, earlier t_x, lower P(alive)", () => {
    const v = bgBbProbabilityAliveColumn(refModel, { x: [2, 2, 2], t_x: [6, 4, 2], n: [6, 6, 6] });
    expect(v[0]).toBeGreaterThan(v[1]);
    expect(v[1]).toBeGreaterThan(v[2]);
  });
});

describe("bgBbSummaries", () => {
  it("bgBbSummaries counts the 1s and the last opportunity with one", () => {
    expect(bgBbSummaries([{ customerId: "a", history: [0, 1, 1, 0, 1, 0] }, { customerId: "b", history: Uint8Array.of(0, 0, 0) }])).toEqual([
      { customerId: "a", x: 3, t_x: 5, n: 6 },
      { customerId: "b", x: 0, t_x: 0, n: 3 },
    ]);
  });
  it("bgBbSummariesFromLog uses the first period as acquisition, merges same-period events, leaves out customers acquired in the last period", () => {
    const r = bgBbSummariesFromLog(
      [
        { customerId: "a", period: 1997 },
        { customerId: "a", period: 1995 },
        { customerId: "a", period: 1997 },
        { customerId: "a", period: 1999 },
        { customerId: "b", period: 1996 },
        { customerId: "c", period: 2001 },
      ],
      { lastPeriod: 2001 },
    );
    expect(r.summaries).toEqual([
      { customerId: "a", x: 2, t_x: 4, n: 6 },
      { customerId: "b", x: 0, t_x: 0, n: 5 },
    ]);
    expect(r.leftOut).toBe(1);
  });
});

describe("errors", () => {
  const catchErr = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as InvalidRecordError;
    }
    throw new Error("did not throw");
  };
  it("x > n is an InvalidRecordError naming the customer, field x and the value", () => {
    const e = catchErr(() => fitBgBb([{ customerId: "d7", x: 7, t_x: 6, n: 6 }]));
    expect(e).toBeInstanceOf(InvalidRecordError);
    expect([e.row, e.field, e.value]).toEqual(["d7", "x", 7]);
  });
  it("a negative count, x > t_x and t_x > 0 with x = 0 are rejected with their field", () => {
    expect(catchErr(() => fitBgBb({ x: [1, -1], t_x: [1, 1], n: [6, 6] })).row).toBe(2);
    expect(catchErr(() => fitBgBb({ x: [3], t_x: [2], n: [6] })).field).toBe("x");
    expect(catchErr(() => fitBgBb({ x: [0], t_x: [2], n: [6] })).field).toBe("t_x");
    expect(catchErr(() => fitBgBb({ x: [0], t_x: [0], n: [6], weights: [-2] })).field).toBe("weight");
    expect(catchErr(() => bgBbSummaries([{ customerId: "h", history: [0, 2] }])).field).toBe("history[1]");
    expect(catchErr(() => bgBbSummariesFromLog([{ customerId: "h", period: 2002 }], { lastPeriod: 2001 })).field).toBe("period");
  });
  it("n beyond MAX_OPPORTUNITIES (the likelihood's cost bound) is rejected", () => {
    expect(catchErr(() => fitBgBb({ x: [0], t_x: [0], n: [1e6] })).field).toBe("n");
  });
  it("data that cannot identify the parameters is flagged (converged false, no standard errors, finite estimates) or thrown", () => {
    for (const d of [{ x: [0], t_x: [0], n: [6], weights: [100] }, { x: [6], t_x: [6], n: [6], weights: [100] }]) {
      const m = fitBgBb(d);
      expect(m.convergence.converged).toBe(false);
      expect(m.convergence.message).toContain("not identified");
      expect(m.standardErrors).toBeNull();
      expect(Object.values(m.params).every(Number.isFinite)).toBe(true);
    }
    expect((catchErr(() => fitBgBb({ x: [0], t_x: [0], n: [6] }, { throwOnNonConvergence: true })) as unknown as AnalyticsError).code).toBe("NOT_CONVERGED");
    // the same small data with a penalizer is identified
    expect(fitBgBb({ x: [0, 1, 2, 1, 3], t_x: [0, 1, 3, 4, 4], n: [4, 4, 4, 4, 4], weights: [40, 20, 15, 10, 15] }, { penalizer: 0.01 }).convergence.converged).toBe(true);
  });
  it("empty input is EMPTY_INPUT; bad options are InvalidOptionError", () => {
    expect((catchErr(() => fitBgBb([])) as unknown as AnalyticsError).code).toBe("EMPTY_INPUT");
    expect(() => bgBbConditionalExpectedTransactions(refModel, [], { periods: -1 })).toThrow(InvalidOptionError);
    expect(() => bgBbExpectedTransactions({ model: "bg-nbd" } as unknown as BgBbModel, 1)).toThrow(InvalidOptionError);
    expect(() => bgBbProbabilityOfTransactions(refModel, 7, 6)).toThrow(InvalidOptionError);
  });
});
