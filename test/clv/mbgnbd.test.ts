import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AnalyticsError,
  InvalidOptionError,
  InvalidRecordError,
  conditionalExpectedPurchases,
  conditionalExpectedPurchasesColumn,
  customerLifetimeValue,
  expectedPurchases,
  fitMbgNbd,
  holdoutValidation,
  probabilityAlive,
  probabilityAliveColumn,
  probabilityOfPurchases,
  type ClvCustomer,
  type GammaGammaModel,
  type MbgNbdModel,
} from "../../src/index.js";

// Frozen output of test/reference/clv_mbgnbd.py: lifetimes' ModifiedBetaGeoFitter (commit 4f2833f)
// on the CDNOW sample summary, plus the same objective polished by scipy to a tight optimum.
const REF = JSON.parse(readFileSync("test/reference/clv_mbgnbd.json", "utf8"));
const lifetimesModel = { model: "mbg-nbd", params: REF.lifetimes } as MbgNbdModel;
const rows: ClvCustomer[] = readFileSync("../shared/data/cdnow/cdnow_customers_summary.csv", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => {
    const [id, f, r, T] = l.split(",");
    return { customerId: id, x: +f, t_x: +r, T: +T };
  });
const rel = (a: number, b: number) => Math.abs(a / b - 1);

let m: MbgNbdModel;
beforeAll(() => {
  m = fitMbgNbd(rows);
});

describe("fitMbgNbd", () => {
  it("fitMbgNbd(cdnow) matches lifetimes' ModifiedBetaGeoFitter parameters and standard errors to 1e-4 relative (measured 6e-7, 1.5e-6)", () => {
    for (const k of ["r", "alpha", "a", "b"] as const) {
      expect(rel(m.params[k], REF.lifetimes[k])).toBeLessThan(1e-4);
      // and the exact optimum of the same objective (scipy polish) to 1e-6
      expect(rel(m.params[k], REF.polished[k])).toBeLessThan(1e-6);
    }
    expect(m.logLikelihood).toBeCloseTo(REF.polishedLogLikelihood, 6); // -9582.1327
    expect(m.convergence.converged).toBe(true);
    expect(m.customers).toBe(2357);
    expect(m.model).toBe("mbg-nbd");
    // lifetimes' standard errors come from autograd's exact Hessian; ours from central
    // differences of the analytic gradient: 1e-4 relative (measured 1.5e-6)
    for (const k of ["r", "alpha", "a", "b"] as const) expect(rel(m.standardErrors![k], REF.lifetimesStandardErrors[k])).toBeLessThan(1e-4);
  });

  it("fitMbgNbd(table) equals fitMbgNbd(records)", () => {
    const t = { x: Float64Array.from(rows, (r) => r.x), t_x: Float64Array.from(rows, (r) => r.t_x), T: Float64Array.from(rows, (r) => r.T) };
    expect(fitMbgNbd(t).params).toEqual(m.params);
  });

  it("fitMbgNbd(cdnow) fits a little better than BG/NBD (LL -9582.13 vs -9582.43)", () => {
    // same data: BG/NBD LL is -9582.43 (cdnow.test.ts); MBG/NBD -9582.13 (lifetimes-polished)
    expect(m.logLikelihood).toBeGreaterThan(-9582.43);
  });
});

describe("MBG/NBD predictions", () => {
  it("expectedPurchases(mbg, t) equals lifetimes' expected_number_of_purchases_up_to_time to 1e-6 (measured 4e-14)", () => {
    for (const e of REF.expectedPurchases) expect(rel(expectedPurchases(lifetimesModel, e.t), e.value)).toBeLessThan(1e-6);
  });

  it("conditionalExpectedPurchases and probabilityAlive equal lifetimes on 25 CDNOW customers to 1e-6 (measured 3e-13)", () => {
    const cs = REF.customersChecked.map((c: { row: number; x: number; t_x: number; T: number }) => ({ customerId: String(c.row), x: c.x, t_x: c.t_x, T: c.T }));
    const pa = probabilityAlive(lifetimesModel, cs);
    const table = { x: cs.map((c: ClvCustomer) => c.x), t_x: cs.map((c: ClvCustomer) => c.t_x), T: cs.map((c: ClvCustomer) => c.T) };
    const paCol = probabilityAliveColumn(lifetimesModel, table);
    REF.customersChecked.forEach((c: { pAlive: number; conditional: Record<string, number> }, i: number) => {
      expect(rel(pa[i].pAlive, c.pAlive)).toBeLessThan(1e-6);
      expect(paCol[i]).toBe(pa[i].pAlive);
    });
    for (const t of [1, 10, 39, 78]) {
      const v = conditionalExpectedPurchases(lifetimesModel, cs, { t });
      const col = conditionalExpectedPurchasesColumn(lifetimesModel, table, { t });
      REF.customersChecked.forEach((c: { conditional: Record<string, number> }, i: number) => {
        expect(rel(v[i].expectedPurchases, c.conditional[String(t)])).toBeLessThan(1e-6);
        expect(col[i]).toBe(v[i].expectedPurchases);
      });
    }
  });

  it("probabilityOfPurchases(mbg, k, 39) equals lifetimes' probability_of_n_purchases_up_to_time and sums to 1", () => {
    REF.pmf39.forEach((v: number, k: number) => expect(rel(probabilityOfPurchases(lifetimesModel, k, 39), v)).toBeLessThan(1e-6));
    let s = 0;
    for (let k = 0; k < 300; k++) s += probabilityOfPurchases(lifetimesModel, k, 39);
    expect(s).toBeCloseTo(1, 12);
  });

  it("E[X(t)] = P(alive | 0, 0, 0) · E[Y(t) | 0, 0, 0]: a new customer is gone at time 0 with probability a/(a+b)", () => {
    const { a, b } = lifetimesModel.params;
    const newcomer = [{ customerId: "n", x: 0, t_x: 0, T: 0 }];
    expect(probabilityAlive(lifetimesModel, newcomer)[0].pAlive).toBeCloseTo(b / (a + b), 15);
    expect(conditionalExpectedPurchases(lifetimesModel, newcomer, { t: 39 })[0].expectedPurchases).toBeCloseTo(expectedPurchases(lifetimesModel, 39), 12);
  });

  it("P(alive) of a silent one-time buyer is below 1 under MBG/NBD (it is exactly 1 under BG/NBD)", () => {
    const p = probabilityAlive(lifetimesModel, [{ customerId: "z", x: 0, t_x: 0, T: 38.86 }])[0].pAlive;
    // 1 / (1 + a/b · ((α+T)/α)^r), hand formula
    const { r, alpha, a, b } = lifetimesModel.params;
    expect(p).toBeCloseTo(1 / (1 + (a / b) * ((alpha + 38.86) / alpha) ** r), 14);
    expect(p).toBeLessThan(1);
  });

  it("holdoutValidation accepts an MBG/NBD model: its total is the sum of the conditional expectations over the holdout", () => {
    const hrows = rows.slice(0, 50).map((r, i) => ({ ...r, holdoutPurchases: i % 3, holdoutDuration: 39 }));
    const v = holdoutValidation(lifetimesModel, hrows);
    const direct = conditionalExpectedPurchases(lifetimesModel, hrows, { t: 39 }).reduce((s, c) => s + c.expectedPurchases, 0);
    expect(v.totalPredicted).toBeCloseTo(direct, 9);
  });

  it("fitMbgNbd(data, { penalizer: undefined }) uses the default", () => {
    expect(fitMbgNbd(rows, { penalizer: undefined }).params).toEqual(m.params);
  });

  it("customerLifetimeValue accepts an MBG/NBD model", () => {
    const gg = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;
    const v = customerLifetimeValue(lifetimesModel, gg, [{ customerId: "0001", x: 2, t_x: 30.43, T: 38.86, monetaryValue: 22.35 }]);
    expect(v[0].clv).toBeGreaterThan(0);
    expect(v[0].pAlive).toBeCloseTo(REF.customersChecked[0].pAlive, 12);
  });
});

describe("errors", () => {
  it("fitMbgNbd rejects t_x > T with an InvalidRecordError naming the customer", () => {
    try {
      fitMbgNbd([{ customerId: "c9", x: 1, t_x: 40, T: 30 }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe("c9");
      expect((e as InvalidRecordError).field).toBe("t_x");
    }
  });
  it("fitMbgNbd([]) is EMPTY_INPUT; a bad penalizer an InvalidOptionError", () => {
    expect(() => fitMbgNbd([])).toThrow(AnalyticsError);
    try {
      fitMbgNbd([])
    } catch (e) {
      expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
    }
    expect(() => fitMbgNbd(rows, { penalizer: -1 })).toThrow(InvalidOptionError);
  });
  it("fitMbgNbd on customers without repeat purchases is flagged as not identified (converged false, no standard errors)", () => {
    const z = fitMbgNbd([{ customerId: "a", x: 0, t_x: 0, T: 10 }, { customerId: "b", x: 0, t_x: 0, T: 20 }]);
    expect(z.convergence.converged).toBe(false);
    expect(z.convergence.message).toContain("not identified");
    expect(z.standardErrors).toBeNull();
    expect(Object.values(z.params).every(Number.isFinite)).toBe(true);
  });
  it("prediction functions reject a model with a bad parameter", () => {
    expect(() => expectedPurchases({ model: "mbg-nbd", params: { r: 1, alpha: -1, a: 1, b: 1 } } as MbgNbdModel, 1)).toThrow(InvalidOptionError);
  });
});
