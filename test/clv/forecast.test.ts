import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  calibrationSummary,
  conditionalExpectedPurchases,
  conditionalProbabilityOfPurchases,
  conditionalProbabilityOfPurchasesColumns,
  discountedExpectedResidualTransactions,
  discountedExpectedResidualTransactionsColumn,
  expectedTransactionsTracking,
  fitBgNbd,
  InvalidOptionError,
  probabilityAlive,
  probabilityAliveAt,
  probabilityAliveAtColumn,
  purchaseCountFit,
  readTransactions,
  type BgNbdModel,
  type CalibrationSummary,
  type MbgNbdModel,
  type ParetoNbdModel,
  type Transaction,
} from "../../src/index.js";

// Frozen output of test/reference/clv_forecast.py: lifetimes (commit 4f2833f) on CDNOW, and
// 2-D posterior integrals in 20-digit mpmath (independent of both libraries' formulas).
const REF = JSON.parse(readFileSync("test/reference/clv_forecast.json", "utf8"));
const IND = REF.independent;
const bgI = { model: "bg-nbd", params: IND.bgParams } as BgNbdModel;
const mbgI = { model: "mbg-nbd", params: IND.bgParams } as MbgNbdModel;
const pnI = { model: "pareto-nbd", params: IND.paretoParams } as ParetoNbdModel;
const bgL = { model: "bg-nbd", params: REF.bgnbd } as BgNbdModel;
const pnL = { model: "pareto-nbd", params: REF.paretonbd } as ParetoNbdModel;
const cases = IND.cases.map((c: { x: number; t_x: number; T: number }, i: number) => ({ customerId: `c${i}`, x: c.x, t_x: c.t_x, T: c.T }));

let tx: Transaction[];
let summary: CalibrationSummary[];
beforeAll(async () => {
  ({ transactions: tx } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  }));
  summary = calibrationSummary(tx, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
});

describe("conditionalProbabilityOfPurchases", () => {
  it("conditionalProbabilityOfPurchases(pareto, cdnow) equals lifetimes' note-028 closed form to 1e-12 relative (measured 9.8e-14, customer 1516 at k = 0)", () => {
    for (const row of REF.paretoConditionalPmf) {
      const [c] = conditionalProbabilityOfPurchases(pnL, [{ customerId: row.id, x: row.x, t_x: row.t_x, T: row.T }], { t: row.t, maxK: 5 });
      c.pmf.forEach((p, k) => expect(Math.abs(p / row.paretoPmf[k] - 1), `${row.id} k=${k}`).toBeLessThan(1e-12));
    }
  });

  it("conditionalProbabilityOfPurchases(bg | mbg) equals the mpmath posterior integral to 5e-6", () => {
    for (const [model, key] of [[bgI, "bgnbd"], [mbgI, "mbgnbd"]] as const) {
      const pa = probabilityAlive(model, cases);
      const got = conditionalProbabilityOfPurchases(model, cases, { t: 39, maxK: 3 });
      IND.cases.forEach((ref: Record<string, { alivePmf39: number[] }>, i: number) => {
        ref[key].alivePmf39.forEach((q, k) => {
          const want = pa[i].pAlive * q + (k === 0 ? 1 - pa[i].pAlive : 0); // alive part x P(alive) + the dead at k = 0
          // 5e-6: mpmath's 2-D tanh-sinh over the singular Gamma(0.243) density is ~1.4e-6 off at x = 0 (same offset in the survival check)
          expect(got[i].pmf[k]).toBeCloseTo(want, 5);
        });
      });
    }
  });

  it("conditionalProbabilityOfPurchases(model, cdnow) sums to 1 and its mean is conditionalExpectedPurchases", () => {
    const some = summary.filter((_, i) => i % 97 === 0);
    for (const model of [bgL, pnL, { ...mbgI }]) {
      const pmfs = conditionalProbabilityOfPurchases(model, some, { t: 39, maxK: 80 });
      const ex = conditionalExpectedPurchases(model, some, { t: 39 });
      pmfs.forEach((p, i) => {
        expect(p.pmf.reduce((s, v) => s + v, 0) + p.tail).toBeCloseTo(1, 12);
        expect(p.tail).toBeLessThan(1e-8);
        // invariant: Σ k pmf(k) = E[Y(t) | history] (eq. 10), up to the tail beyond 80
        expect(p.pmf.reduce((s, v, k) => s + k * v, 0)).toBeCloseTo(ex[i].expectedPurchases, 6);
      });
    }
  });

  it("conditionalProbabilityOfPurchasesColumns(model, table) equals the record form", () => {
    const some = summary.slice(0, 40);
    const table = { x: some.map((s) => s.x), t_x: some.map((s) => s.t_x), T: some.map((s) => s.T) };
    const cols = conditionalProbabilityOfPurchasesColumns(bgL, table, { t: 20, maxK: 4 });
    const recs = conditionalProbabilityOfPurchases(bgL, some, { t: 20, maxK: 4 });
    recs.forEach((r, i) => r.pmf.forEach((p, k) => expect(cols[k][i]).toBe(p)));
  });
});

describe("probabilityAliveAt", () => {
  it("probabilityAliveAt(model, c, { t: 52 }) is P(alive at T) times the mpmath survival integral (5e-6; Pareto closed form 1e-12)", () => {
    for (const [model, key] of [[bgI, "bgnbd"], [mbgI, "mbgnbd"], [pnI, "paretonbd"]] as const) {
      const pa = probabilityAlive(model, cases);
      const got = probabilityAliveAt(model, cases, { t: 52 });
      IND.cases.forEach((ref: Record<string, { survival52: number }>, i: number) => {
        expect(got[i].pAlive).toBeCloseTo(pa[i].pAlive * ref[key].survival52, key === "paretonbd" ? 12 : 5); // 5e-6: see the pmf test
      });
    }
  });

  it("probabilityAliveAt(model, c, { t: 0 }) is probabilityAlive and it falls with t", () => {
    const some = summary.slice(0, 200);
    const table = { x: some.map((s) => s.x), t_x: some.map((s) => s.t_x), T: some.map((s) => s.T) };
    for (const model of [bgL, pnL, mbgI]) {
      const p0 = probabilityAliveAtColumn(model, table, { t: 0 });
      const p1 = probabilityAliveAtColumn(model, table, { t: 10 });
      const p2 = probabilityAliveAtColumn(model, table, { t: 100 });
      const pa = probabilityAlive(model, some);
      for (let i = 0; i < some.length; i++) {
        expect(p0[i]).toBeCloseTo(pa[i].pAlive, 14);
        expect(p1[i]).toBeLessThan(p0[i]);
        expect(p2[i]).toBeLessThan(p1[i]);
      }
    }
  });
});

describe("discountedExpectedResidualTransactions", () => {
  it("DERT(pareto) equals the published closed form with mpmath's hyperu to 1e-11 relative", () => {
    const pa = probabilityAlive(pnI, cases);
    const got = discountedExpectedResidualTransactions(pnI, cases, { discountRate: IND.discountRate });
    IND.cases.forEach((ref: { paretonbd: { dertAlive: number } }, i: number) => {
      const want = pa[i].pAlive * ref.paretonbd.dertAlive;
      expect(Math.abs(got[i].dert / want - 1)).toBeLessThan(1e-11);
    });
  });

  it("DERT(bg | mbg) equals the mpmath integral of E[λ/(δ+λp)] over the posterior to 1e-8 relative", () => {
    for (const [model, key] of [[bgI, "bgnbd"], [mbgI, "mbgnbd"]] as const) {
      const pa = probabilityAlive(model, cases);
      const got = discountedExpectedResidualTransactions(model, cases, { discountRate: IND.discountRate });
      IND.cases.forEach((ref: Record<string, { dertAlive: number }>, i: number) => {
        const want = pa[i].pAlive * ref[key].dertAlive;
        expect(Math.abs(got[i].dert / want - 1)).toBeLessThan(1e-8);
      });
    }
  });

  it("discountedExpectedResidualTransactionsColumn falls as the discount rate rises", () => {
    const table = { x: [0, 2, 7], t_x: [0, 30.43, 35], T: [38.86, 38.86, 38] };
    for (const model of [bgI, pnI]) {
      const lo = discountedExpectedResidualTransactionsColumn(model, table, { discountRate: 0.001 });
      const hi = discountedExpectedResidualTransactionsColumn(model, table, { discountRate: 0.01 });
      for (let i = 0; i < 3; i++) expect(hi[i]).toBeLessThan(lo[i]);
    }
  });
});

describe("expectedTransactionsTracking", () => {
  it("expectedTransactionsTracking(bg, cdnow) equals lifetimes' expected_cumulative_transactions week by week (1e-9 relative)", () => {
    const fp = REF.tracking.firstPurchaseDay;
    const first: number[] = [];
    fp.values.forEach((d: number, j: number) => {
      for (let c = 0; c < fp.counts[j]; c++) first.push(d / 7);
    });
    expect(first.length).toBe(2357);
    const times = Array.from({ length: 78 }, (_, i) => i + 1);
    const tr = expectedTransactionsTracking(bgL, first, { times });
    tr.cumulative.forEach((v, i) => expect(Math.abs(v - REF.tracking.predicted[i])).toBeLessThan(1e-9 * Math.max(1, v)));
    // CDNOW week 78: 4,165.7 expected (lifetimes' fit) vs 4,339 actual repeat purchases (2,457 + 1,882)
    expect(tr.cumulative[77]).toBeCloseTo(4165.66, 1);
    expect(REF.tracking.actual[77]).toBe(4339);
    expect(tr.incremental.reduce((s, v) => s + v, 0)).toBeCloseTo(tr.cumulative[77], 8);
  });

  it("expectedTransactionsTracking(our bg fit, cdnow) is within 5% of the actual cumulative repeats at week 78", () => {
    const bg = fitBgNbd(summary);
    // first purchase in weeks since 1997-01-01: the calibration end (1997-09-30) is day 272, and T counts back from it
    const first = summary.map((s) => 272 / 7 - s.T);
    const tr = expectedTransactionsTracking(bg, first, { times: [39, 78] });
    expect(Math.abs(tr.cumulative[1] / 4339 - 1)).toBeLessThan(0.05);
  });
});

describe("purchaseCountFit", () => {
  it("purchaseCountFit(bg, cdnow) accounts for every customer and the expected counts sum to 2,357", () => {
    const f = purchaseCountFit(bgL, summary);
    expect(f.observed.reduce((s, v) => s + v, 0)).toBe(2357);
    // Fader, Hardie & Lee (2005), Figure 1 (CDNOW weeks 1-39): 1411, 439, 214, 100, 62, 38, 29, 64 (7+)
    expect(f.observed).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
    // BG/NBD expected counts at lifetimes' fit, as computed here (a regression pin, not a published figure): 1407.7 … 71.9; χ² 4.82 on 3 df
    expect(f.expected[0]).toBeCloseTo(1407.7, 0);
    expect(f.expected[7]).toBeCloseTo(71.9, 0);
    expect(f.expected.reduce((s, v) => s + v, 0)).toBeCloseTo(2357, 8);
    expect(f.degreesOfFreedom).toBe(3);
    // hand check of the statistic from its own parts
    const chi = f.observed.reduce((s, o, k) => s + (o - f.expected[k]) ** 2 / f.expected[k], 0);
    expect(f.chiSquare).toBeCloseTo(chi, 10);
  });
});

describe("errors", () => {
  it("bad t, maxK, discountRate, times name the option", () => {
    const c = [{ customerId: "a", x: 1, t_x: 1, T: 2 }];
    const opt = (f: () => unknown, option: string) => {
      try {
        f();
        throw new Error("no throw");
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe(option);
      }
    };
    opt(() => conditionalProbabilityOfPurchases(bgI, c, { t: -1 }), "t");
    opt(() => conditionalProbabilityOfPurchases(bgI, c, { t: 1, maxK: 1.5 }), "maxK");
    opt(() => probabilityAliveAt(bgI, c, { t: NaN }), "t");
    opt(() => discountedExpectedResidualTransactions(bgI, c, { discountRate: 0 }), "discountRate");
    opt(() => expectedTransactionsTracking(bgI, [0], { times: [2, 1] }), "times");
    opt(() => purchaseCountFit(bgI, c, { maxX: 0 }), "maxX");
  });
});
