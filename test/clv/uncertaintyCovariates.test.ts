import { beforeAll, describe, expect, it } from "vitest";
import { calibrationSummary, fitBgNbd, readTransactions, InvalidOptionError, InvalidRecordError, type CalibrationSummary } from "../../src/index.js";
import { predictionIntervals, predictionIntervalsParallel } from "../../src/clv/uncertainty.js";
import { conditionalExpectedPurchasesCovariatesColumn, fitBgNbdCovariates, type BgNbdCovariatesModel } from "../../src/clv/covariates.js";
import { simulateWithCovariates } from "../../src/clv/simulate.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
let summary: CalibrationSummary[];

beforeAll(async () => {
  const { transactions } = await readTransactions(CDNOW, { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" });
  summary = calibrationSummary(transactions, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
});

describe("predictionIntervals with a covariate model", () => {
  it("zero effect: BG/NBD covariates on doubled CDNOW (z = +1 / -1), predicted at z = 0, matches the plain BG/NBD fit of the doubled data (3% of each bound)", () => {
    // The doubled data are symmetric in z, so gamma = 0 and the population parameters are the
    // plain fit's; the cross information between (ln r, ln alpha, ln a, ln b) and gamma is a sum
    // of z_i times terms equal in the two copies, so 0, and the 4 x 4 block of the covariance is
    // the plain fit's logCovariance. At z = 0 the drawn gammas do not enter the predictions, so
    // both intervals are quantiles of the same distribution; they differ only by Monte Carlo
    // (different normals: 6 per draw against 4). 3000 draws: the 5%/95% quantile of a total has
    // a Monte Carlo relative error of about 1%; tolerance 3%.
    const doubled = [...summary, ...summary];
    const z = doubled.map((_, i) => (i < summary.length ? 1 : -1));
    const cov = fitBgNbdCovariates(doubled, { life: [{ name: "z", values: z }], trans: [{ name: "z", values: z }] });
    const plain = fitBgNbd(doubled);
    const zero = new Array<number>(summary.length).fill(0);
    const opts = { t: 39, draws: 3000, seed: 11 };
    const table = { x: summary.map((c) => c.x), t_x: summary.map((c) => c.t_x), T: summary.map((c) => c.T) };
    const a = predictionIntervals(cov, table, { ...opts, covariates: { life: [{ name: "z", values: zero }], trans: [{ name: "z", values: zero }] } });
    const b = predictionIntervals(plain, table, opts);
    expect(a.failed).toBe(0);
    const rel = (u: number, v: number) => Math.abs(u / v - 1);
    for (const key of ["expectedPurchases", "aliveCustomers"] as const) {
      const [ta, tb] = [a.totals[key], b.totals[key]];
      expect(rel(ta.estimate, tb.estimate)).toBeLessThanOrEqual(1e-5);
      expect(rel(ta.lower, tb.lower)).toBeLessThanOrEqual(0.03);
      expect(rel(ta.upper, tb.upper)).toBeLessThanOrEqual(0.03);
      console.log(`${key}: covariates [${ta.lower.toFixed(2)}, ${ta.upper.toFixed(2)}] plain [${tb.lower.toFixed(2)}, ${tb.upper.toFixed(2)}]`);
    }
    // customer 0 (x = 2, t_x = 30.43, T = 38.86) too
    expect(rel(a.expectedPurchases.lower[0], b.expectedPurchases.lower[0])).toBeLessThanOrEqual(0.03);
    expect(rel(a.expectedPurchases.upper[0], b.expectedPurchases.upper[0])).toBeLessThanOrEqual(0.03);
    for (const k of ["r", "alpha", "a", "b"]) {
      expect(rel(a.parameters.model[k].lower, b.parameters.model[k].lower)).toBeLessThanOrEqual(0.03);
      expect(rel(a.parameters.model[k].upper, b.parameters.model[k].upper)).toBeLessThanOrEqual(0.03);
    }
    expect(Object.keys(a.parameters.model)).toEqual(["r", "alpha", "a", "b", "life z", "trans z"]);
    expect(a.clv).toBeNull();
  }, 120_000);

  it("coverage: the 90% interval of the expected 39-week total covers the truth in 16..20 of 20 seeded BG/NBD bases with known effects", () => {
    // Truth: the total implied by the true parameters and effects for the simulated customers.
    // Nominal 90%: of 20 independent bases the count covered is Binomial(20, 0.9); P(<= 15) = 4.3%.
    const truthParams = { r: 0.25, alpha: 4, a: 0.8, b: 2.4 };
    const gL = [0.5, -0.3] as const;
    const gT = [0.4, 0.2] as const;
    let covered = 0;
    let failed = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const base = simulateWithCovariates(1000, "bg-nbd", truthParams, gL, gT, seed);
      const zs = [{ name: "z1", values: base.z.z1 }, { name: "z2", values: base.z.z2 }];
      const covariates = { life: zs, trans: zs };
      const data = { x: base.x, t_x: base.tx, T: base.T };
      const fit = fitBgNbdCovariates(data, covariates);
      const truthModel = { ...fit, params: truthParams, life: fit.life.map((e, j) => ({ ...e, estimate: gL[j] })), trans: fit.trans.map((e, j) => ({ ...e, estimate: gT[j] })) } as BgNbdCovariatesModel;
      const truth = conditionalExpectedPurchasesCovariatesColumn(truthModel, data, covariates, { t: 39 }).reduce((s, v) => s + v, 0);
      const iv = predictionIntervals(fit, data, { t: 39, draws: 400, seed, covariates, level: [0.05, 0.95] });
      failed += iv.failed;
      if (iv.totals.expectedPurchases.lower <= truth && truth <= iv.totals.expectedPurchases.upper) covered++;
    }
    console.log(`covariate intervals: ${covered}/20 bases covered; ${failed} of 8000 draws left out`);
    expect(failed).toBeLessThanOrEqual(160); // 2%: seen 71 (draws far in the a, b tail where the BG/NBD series does not converge)
    expect(covered).toBeGreaterThanOrEqual(16);
  }, 300_000);

  describe("errors", () => {
    const data = { x: [2, 0, 5, 1, 3, 0, 4, 1], t_x: [30, 0, 20, 2, 35, 0, 33, 10], T: [38, 38, 39, 36, 37, 30, 39, 38] };
    const zv = [1, 0, 1, 0, 0, 1, 1, 0];
    let fit: BgNbdCovariatesModel;
    beforeAll(() => {
      fit = fitBgNbdCovariates(data, { trans: [{ name: "vip", values: zv }] }, { penalizer: 0.01, throwOnNonConvergence: false });
    });
    it("a covariate of the wrong length is an InvalidRecordError or InvalidOptionError naming covariates", () => {
      expect(() => predictionIntervals(fit, data, { t: 10, covariates: { trans: [{ name: "vip", values: [1, 0] }] } })).toThrow(/covariates|vip/);
      let err: unknown;
      try { predictionIntervals(fit, data, { t: 10, covariates: { trans: [{ name: "vip", values: [1, 0] }] } }); } catch (e) { err = e; }
      expect(err instanceof InvalidOptionError || err instanceof InvalidRecordError).toBe(true);
    });
    it("missing covariates (the option, or the model's column) is an InvalidOptionError", () => {
      expect(() => predictionIntervals(fit, data, { t: 10 })).toThrow(InvalidOptionError);
      expect(() => predictionIntervals(fit, data, { t: 10, covariates: { trans: [{ name: "other", values: zv }] } })).toThrow(InvalidOptionError);
      expect(() => predictionIntervals(fit, data, { t: 10, covariates: { life: [{ name: "vip", values: zv }] } })).toThrow(InvalidOptionError);
    });
    it("bootstrap, a spend model with a covariate model, and covariates with a plain model are InvalidOptionErrors", () => {
      const covariates = { trans: [{ name: "vip", values: zv }] };
      expect(() => predictionIntervals(fit, data, { method: "bootstrap", covariates })).toThrow(InvalidOptionError);
      expect(() => predictionIntervals(fit, data, { method: "bootstrap", covariates })).toThrow(/bootstrap/);
      const spend = { model: "gamma-gamma", params: { p: 6, q: 4, gamma: 15 } } as never;
      expect(() => predictionIntervals(fit, data, { spendModel: spend, covariates })).toThrow(InvalidOptionError);
      const plain = fitBgNbd(data, { penalizer: 0.01 });
      expect(() => predictionIntervals(plain, data, { covariates })).toThrow(InvalidOptionError);
    });
    it("same seed, same result; every interval contains nothing NaN", () => {
      const covariates = { trans: [{ name: "vip", values: zv }] };
      const a = predictionIntervals(fit, data, { t: 10, draws: 100, seed: 3, covariates });
      const b = predictionIntervals(fit, data, { t: 10, draws: 100, seed: 3, covariates });
      expect(Array.from(a.expectedPurchases.upper)).toEqual(Array.from(b.expectedPurchases.upper));
      expect([...a.pAlive.lower, ...a.pAlive.upper, ...a.expectedPurchases.lower].every(Number.isFinite)).toBe(true);
    });
    it("predictionIntervalsParallel(covariate model) equals predictionIntervals (parameter draws on this thread)", async () => {
      const covariates = { trans: [{ name: "vip", values: zv }] };
      const a = predictionIntervals(fit, data, { t: 10, draws: 100, seed: 5, covariates });
      const b = await predictionIntervalsParallel(fit, data, { t: 10, draws: 100, seed: 5, covariates, threads: 2 });
      expect(b.totals.expectedPurchases).toEqual(a.totals.expectedPurchases);
      expect(b.threads).toBe(1);
    });
  });
});
