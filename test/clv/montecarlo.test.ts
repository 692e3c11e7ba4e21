import { beforeAll, describe, expect, it } from "vitest";
import {
  calibrationSummary,
  conditionalExpectedPurchasesColumn,
  customerLifetimeValueColumns,
  fitBgNbd,
  fitGammaGamma,
  fitMbgNbd,
  fitParetoNbd,
  predictionIntervals,
  probabilityAliveColumn,
  type BgNbdParams,
  readTransactions,
  simulateTransactionClv,
  toCalibrationTable,
  InvalidOptionError,
  type ClvTableInput,
  type GammaGammaModel,
  type TransactionModel,
} from "../../src/index.js";
import { bgPAlive } from "../../src/clv/bgnbd.js";
import { conditionalExpectedPurchasesCovariatesColumn, fitBgNbdCovariates, fitParetoNbdCovariates } from "../../src/clv/covariates.js";
import { simulateWithCovariates } from "../../src/clv/simulate.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
let table: ClvTableInput;
let models: Record<string, TransactionModel>;
let gg: GammaGammaModel;

beforeAll(async () => {
  const { transactions } = await readTransactions(CDNOW, { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" });
  const summary = calibrationSummary(transactions, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
  table = toCalibrationTable(summary);
  models = { "bg-nbd": fitBgNbd(summary), "pareto-nbd": fitParetoNbd(summary), "mbg-nbd": fitMbgNbd(summary) };
  gg = fitGammaGamma(summary);
});

const CLV = { horizon: 12, discountRate: 0.01, margin: 1, periodsPerUnit: 4.345 };
const H = 12 * 4.345;

describe("simulateTransactionClv", () => {
  // Without parameter uncertainty the simulation's expectation is exactly the closed form, so
  // the simulated portfolio means must lie within 4 Monte Carlo standard errors (sd of the
  // draws / sqrt(draws); a correct simulation fails this with probability ~6e-5).
  for (const kind of ["bg-nbd", "pareto-nbd", "mbg-nbd"]) {
    it(`simulateTransactionClv(${kind}, CDNOW, no parameter uncertainty) has portfolio means within 4 MC SE of the closed forms`, () => {
      const m = models[kind];
      const sim = simulateTransactionClv(m, gg, table, { draws: 400, seed: 3, parameterUncertainty: false, ...CLV });
      let ep = 0;
      for (const v of conditionalExpectedPurchasesColumn(m, table, { t: H })) ep += v;
      let ec = 0;
      for (const v of customerLifetimeValueColumns(m, gg, table, CLV).clv) ec += v;
      expect(Math.abs(sim.totals.purchases.mean - ep)).toBeLessThanOrEqual(4 * sim.totals.purchases.standardError);
      expect(Math.abs(sim.totals.clv.mean - ec)).toBeLessThanOrEqual(4 * sim.totals.clv.standardError);
      // and the standard error is small enough for this to mean something: under 1% of the total
      expect(sim.totals.clv.standardError).toBeLessThan(0.01 * ec);
    }, 120_000);
  }

  it("simulateTransactionClv(bg-nbd, one customer) has mean purchases and value within 4 MC SE of the closed form", () => {
    // CDNOW customer 0001-like history: x = 2, t_x = 30.43, T = 38.86, mean repeat spend 22.35
    const one = { x: [2], t_x: [30.43], T: [38.86], monetaryValue: [22.35] };
    const sim = simulateTransactionClv(models["bg-nbd"], gg, one, { draws: 20_000, seed: 11, parameterUncertainty: false, ...CLV });
    const ep = conditionalExpectedPurchasesColumn(models["bg-nbd"], one, { t: H })[0];
    const ec = customerLifetimeValueColumns(models["bg-nbd"], gg, one, CLV).clv[0];
    expect(Math.abs(sim.purchases.mean[0] - ep)).toBeLessThanOrEqual(4 * sim.totals.purchases.standardError);
    expect(Math.abs(sim.clv.mean[0] - ec)).toBeLessThanOrEqual(4 * sim.totals.clv.standardError);
    expect(sim.clv.mean[0]).toBe(sim.totals.clv.mean);
  });

  it("simulateTransactionClv totals are the sums of the customers' futures (means add up; quantiles ordered)", () => {
    const small = { x: [2, 0, 5, 1], t_x: [30, 0, 20, 2], T: [38, 38, 39, 36], monetaryValue: [20, 0, 31, 12] };
    const sim = simulateTransactionClv(models["bg-nbd"], gg, small, { draws: 500, seed: 4 });
    let s = 0;
    for (const v of sim.clv.mean) s += v;
    expect(sim.totals.clv.mean).toBeCloseTo(s, 8);
    for (let i = 0; i < 4; i++) expect(sim.clv.lower[i] <= sim.clv.median[i] && sim.clv.median[i] <= sim.clv.upper[i]).toBe(true);
    expect(sim.totals.clv.lower <= sim.totals.clv.median && sim.totals.clv.median <= sim.totals.clv.upper).toBe(true);
  });

  it("simulateTransactionClv(bg-nbd, CDNOW) intervals with parameter uncertainty and process noise are wider than predictionIntervals' (parameters only)", () => {
    const m = models["bg-nbd"];
    const sim = simulateTransactionClv(m, gg, table, { draws: 300, seed: 5, ...CLV });
    const iv = predictionIntervals(m, table, { draws: 300, seed: 5, spendModel: gg, clv: CLV });
    expect(sim.totals.clv.upper - sim.totals.clv.lower).toBeGreaterThan(iv.totals.clv!.upper - iv.totals.clv!.lower);
    let wider = 0;
    const n = sim.clv.mean.length;
    for (let i = 0; i < n; i++) if (sim.clv.upper[i] - sim.clv.lower[i] > iv.clv!.upper[i] - iv.clv!.lower[i]) wider++;
    // customers whose P(alive) is nearly 0 have both intervals near [0, 0]; all others are wider
    expect(wider / n).toBeGreaterThanOrEqual(0.9);
    // the simulated total's interval contains the plug-in closed form
    expect(sim.totals.clv.lower).toBeLessThan(iv.totals.clv!.estimate);
    expect(sim.totals.clv.upper).toBeGreaterThan(iv.totals.clv!.estimate);
  }, 120_000);

  it("simulateTransactionClv(...) with the same seed gives the same result, another seed a different one", () => {
    const small = { x: [2, 0, 5], t_x: [30, 0, 20], T: [38, 38, 39], monetaryValue: [20, 0, 31] };
    const a = simulateTransactionClv(models["pareto-nbd"], gg, small, { draws: 100, seed: 9 });
    const b = simulateTransactionClv(models["pareto-nbd"], gg, small, { draws: 100, seed: 9 });
    const c = simulateTransactionClv(models["pareto-nbd"], gg, small, { draws: 100, seed: 10 });
    expect(Array.from(a.clv.mean)).toEqual(Array.from(b.clv.mean));
    expect(a.totals).toEqual(b.totals);
    expect(Array.from(a.clv.mean)).not.toEqual(Array.from(c.clv.mean));
  });

  it("simulateTransactionClv values a repeat buyer with a mean spend <= 0 at 0, as customerLifetimeValueColumns", () => {
    const t = { x: [3], t_x: [20], T: [38], monetaryValue: [-5] };
    const sim = simulateTransactionClv(models["bg-nbd"], gg, t, { draws: 200, seed: 1 });
    expect(sim.clv.upper[0]).toBe(0);
    expect(sim.purchases.mean[0]).toBeGreaterThan(0);
  });

  it("bgPAlive (the scalar P(alive) the simulation uses) equals probabilityAliveColumn bit for bit", () => {
    const m = models["bg-nbd"];
    const col = probabilityAliveColumn(m, table);
    const t = table as { x: Float64Array; t_x: Float64Array; T: Float64Array };
    for (let i = 0; i < col.length; i++) expect(bgPAlive(m.params as BgNbdParams, t.x[i], t.t_x[i], t.T[i])).toBe(col[i]);
  });

  it("simulateTransactionClv(covariate model, no parameter uncertainty) has mean purchases within 4 MC SE of conditionalExpectedPurchasesCovariatesColumn", () => {
    for (const kind of ["bg-nbd", "pareto-nbd"] as const) {
      const params: Record<string, number> = kind === "bg-nbd" ? { r: 0.25, alpha: 4, a: 0.8, b: 2.4 } : { r: 0.55, alpha: 10, s: 0.6, beta: 12 };
      const b = simulateWithCovariates(400, kind, params, [0.5, -0.3], [0.4, 0.2], 2);
      const cov = { life: [{ name: "z1", values: b.z.z1 }], trans: [{ name: "z2", values: b.z.z2 }] };
      const table = { x: b.x, t_x: b.tx, T: b.T, monetaryValue: Array.from(b.x, (x) => (x > 0 ? 20 : 0)) };
      const m = kind === "bg-nbd" ? fitBgNbdCovariates(table, cov) : fitParetoNbdCovariates(table, cov);
      const sim = simulateTransactionClv(m, gg, table, { draws: 400, seed: 8, parameterUncertainty: false, covariates: cov, ...CLV });
      let ep = 0;
      for (const v of conditionalExpectedPurchasesCovariatesColumn(m, table, cov, { t: H })) ep += v;
      expect(Math.abs(sim.totals.purchases.mean - ep)).toBeLessThanOrEqual(4 * sim.totals.purchases.standardError);
      // with the covariance of (r, α, s|a, β|b, γ): wider than process noise alone
      const wide = simulateTransactionClv(m, gg, table, { draws: 400, seed: 8, covariates: cov, ...CLV });
      expect(wide.totals.purchases.upper - wide.totals.purchases.lower).toBeGreaterThan(sim.totals.purchases.upper - sim.totals.purchases.lower);
    }
  }, 120_000);

  describe("errors", () => {
    it("bad draws, a model without covariance, and a spend model with q <= 1 are InvalidOptionErrors", () => {
      const one = { x: [2], t_x: [30], T: [38], monetaryValue: [20] };
      const err = (f: () => unknown) => { try { f(); } catch (e) { return e as InvalidOptionError; } throw new Error("no throw"); };
      expect(err(() => simulateTransactionClv(models["bg-nbd"], gg, one, { draws: 1 })).option).toBe("draws");
      const bare = { model: "bg-nbd", params: models["bg-nbd"].params } as TransactionModel;
      expect(err(() => simulateTransactionClv(bare, gg, one)).option).toBe("model");
      expect(simulateTransactionClv(bare, gg, one, { parameterUncertainty: false, draws: 10 }).draws).toBe(10);
      const badGg = { ...gg, params: { ...gg.params, q: 0.9 } };
      expect(err(() => simulateTransactionClv(models["bg-nbd"], badGg, one)).option).toBe("spendModel");
    });
  });
});
