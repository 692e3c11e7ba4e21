/**
 * atRiskByValue: the at-risk list ranked by expected future value lost, on a hand-made table
 * (every number below computed by hand) and on CDNOW (held-out labels).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { atRiskByValue, churnDataset, scoreChurn, stratifiedSplit, trainChurnModel, type ChurnDatasetResult, type ChurnRow } from "../../src/churn/index.js";
import { readTransactions } from "../../src/io/index.js";
import { smallTable } from "./fixtures.js";

const base = { spend_recent: 0, spend_before: 0, orders_recent: 0, orders_before: 0, return_share: 0 };
const rows: ChurnRow[] = [
  { ...base, customerId: "a", recency_days: 100, frequency: 3, gap_mean: 50, spend_recent: 60, spend_before: 100, orders_recent: 1, orders_before: 2 },
  { ...base, customerId: "b", recency_days: 400, frequency: 4, gap_mean: 60 },
  { ...base, customerId: "c", recency_days: 30, frequency: 5, gap_mean: 40, return_share: 0.25 },
  { ...base, customerId: "d", recency_days: 100, frequency: 1, gap_mean: null },
  { ...base, customerId: "e", recency_days: 10, frequency: 2, gap_mean: 70 },
  { ...base, customerId: "f", recency_days: 20, frequency: 2, gap_mean: 20 },
];
const p = [0.6, 0.99, 0.2, 0.5, 0.3, 0.9];
// e has a negative future value and f none: both left out as "no future value".
const fv = new Map([["a", 100], ["b", 500], ["c", 200], ["d", 90], ["e", -5]]);

describe("atRiskByValue", () => {
  it("atRiskByValue(p, rows, { futureValue }) ranks plausibly alive customers by P(churn) x future value, reasons in words", () => {
    // Typical gap = median gap_mean of repeat buyers = median(50, 60, 40, 70, 20) = 50.
    // Alive (recency <= 3 x usual gap): a 100 <= 150, c 30 <= 120, d (one purchase) 100 <= 3 x 50;
    // b 400 > 180 is left out. Expected loss: a 0.6 x 100 = 60, d 0.5 x 90 = 45, c 0.2 x 200 = 40.
    const r = atRiskByValue(p, rows, { futureValue: fv });
    expect(r.customers.map((c) => [c.customerId, c.expectedLoss])).toEqual([["a", 60], ["d", 45], ["c", 40]]);
    expect(r.excluded).toEqual({ noFutureValue: 2, notPlausiblyAlive: 1 });
    expect(r.scored).toBe(6);
    expect(r.typicalGapDays).toBe(50);
    const [a, d, c] = r.customers;
    expect(a).toMatchObject({ rank: 1, churnProbability: 0.6, futureValue: 100, recencyDays: 100, usualGapDays: 50, gapMultiple: 2 });
    // spend 60 vs 100: down 40%; orders 1 vs 2
    expect(a.reasons).toEqual([
      "no purchase for 100 days, 2.0x their usual gap of 50 days",
      "spend down 40% vs the previous 90 days (60.00 vs 100.00)",
      "1 order in the last 90 days vs 2 in the 90 days before",
    ]);
    expect(a.reason).toBe(a.reasons.join("; "));
    expect(d.reasons).toEqual(["one purchase only, 100 days ago (2.0x the typical gap of 50 days between repeat purchases)"]);
    expect(d).toMatchObject({ usualGapDays: 50, gapMultiple: 2 });
    expect(c.reasons).toEqual(["no purchase for 30 days, 0.8x their usual gap of 40 days", "returned 25% of what they bought"]);
    expect(r.rule).toBe(
      "Ranked by expected future value lost (P(churn) x future value) among the customers still plausibly alive: silent for at most 3x their usual gap between purchases, or 3x the typical gap of 50 days for one-time buyers. 1 other is left out as probably gone already, and 2 without positive future value.",
    );
  });

  it("atRiskByValue(..., { maxGapMultiple, top, reasons, windowDays }) moves the alive cut and trims the list", () => {
    // Infinity keeps b: 0.99 x 500 = 495 first.
    const all = atRiskByValue(p, rows, { futureValue: fv, maxGapMultiple: Infinity, top: 2, reasons: 1, windowDays: 30 });
    expect(all.customers.map((c) => c.customerId)).toEqual(["b", "a"]);
    expect(all.customers[0].expectedLoss).toBeCloseTo(495, 12);
    expect(all.customers[1].reasons).toEqual(["no purchase for 100 days, 2.0x their usual gap of 50 days"]);
    expect(all.excluded).toEqual({ noFutureValue: 2, notPlausiblyAlive: 0 });
    expect(all.rule).toBe("Ranked by expected future value lost (P(churn) x future value). 2 without positive future value are left out.");
    // k = 1.5: a (100 > 75) and d (100 > 75) go too; only c (30 <= 60) stays.
    const tight = atRiskByValue(p, rows, { futureValue: fv, maxGapMultiple: 1.5, windowDays: 30 });
    expect(tight.customers.map((c) => c.customerId)).toEqual(["c"]);
    expect(tight.excluded.notPlausiblyAlive).toBe(3);
  });

  it("atRiskByValue(..., { pAlive, minPAlive }) uses P(alive) instead of the gap rule", () => {
    const pAlive = [0.9, 0.6, 0.1, 0.4, 1, 1];
    // alive at 0.5: a, b (c 0.1 and d 0.4 out); loss b 495, a 60
    const r = atRiskByValue(p, rows, { futureValue: fv, pAlive, minPAlive: 0.5 });
    expect(r.customers.map((c) => c.customerId)).toEqual(["b", "a"]);
    expect(r.excluded).toEqual({ noFutureValue: 2, notPlausiblyAlive: 2 });
    expect(r.rule).toMatch(/alive: P\(alive\) at least 0\.5\. 2 others are left out/);
  });

  it("atRiskByValue on feature columns, or with a model, gives the same list as on records with probabilities", () => {
    const names = ["recency_days", "frequency", "gap_mean", "spend_recent", "spend_before", "orders_recent", "orders_before", "return_share"];
    const columns = Object.fromEntries(names.map((f) => [f, Float64Array.from(rows, (r) => (r[f] === null ? NaN : (r[f] as number)))]));
    const fvArray = rows.map((r) => fv.get(r.customerId as string) ?? NaN);
    expect(atRiskByValue(p, { customerIds: rows.map((r) => r.customerId as string), columns }, { futureValue: fvArray })).toEqual(atRiskByValue(p, rows, { futureValue: fv }));
    const small: ChurnRow[] = smallTable().rows.map((r) => ({ ...r, recency_days: r.recency as number }));
    const m = trainChurnModel(small, { maxDepth: 2, features: ["recency", "freq"] });
    const value = small.map((r) => r.spend as number);
    expect(atRiskByValue(m, small, { futureValue: value })).toEqual(atRiskByValue(scoreChurn(m, small), small, { futureValue: value }));
  });

  describe("errors", () => {
    it("names the option or the row", () => {
      for (const [opts, option] of [
        [{}, "futureValue"],
        [{ futureValue: [1, 2] }, "futureValue"],
        [{ futureValue: fv, top: 0 }, "top"],
        [{ futureValue: fv, maxGapMultiple: 0 }, "maxGapMultiple"],
        [{ futureValue: fv, minPAlive: 2 }, "minPAlive"],
      ] as const) {
        try {
          atRiskByValue(p, rows, opts as never);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe(option);
        }
      }
      try {
        atRiskByValue([0.1, 1.5, 0, 0, 0, 0], rows, { futureValue: fv });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: "b", field: "P(churn)", value: 1.5 });
      }
    });
  });
});

describe("atRiskByValue on CDNOW (cutoff 1997-09-30, 273-day window, 3 seeded 70/30 splits)", () => {
  let ds: ChurnDatasetResult;
  beforeAll(async () => {
    const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" });
    ds = churnDataset(transactions, { cutoff: "1997-09-30", churnWindowDays: 273 });
  });

  it("the plausibly alive customers' P(churn) matches their held-out churn rate, none is near 1, and the excluded ones did churn", () => {
    // Measured (logistic, seeds 1-3): listed 182/189/170 test customers, mean P(churn) 0.381/0.406/0.393
    // vs observed 0.418/0.392/0.359; left out 524/516/536 with observed churn 0.811/0.826/0.821;
    // the largest listed probability 0.745/0.704/0.776 (the unfiltered model gives up to 0.99+).
    for (const seed of [1, 2, 3]) {
      const { train, test } = stratifiedSplit(ds.rows, { seed, testFraction: 0.3 });
      const model = trainChurnModel(train, { model: "logistic" });
      const prob = scoreChurn(model, test);
      const value = test.map((r) => r.monetary_avg as number); // any positive future value: the filter does not depend on it
      const r = atRiskByValue(prob, test, { futureValue: value, top: test.length });
      const listed = new Set(r.customers.map((c) => c.customerId));
      const inList = test.map((t) => listed.has(t.customerId as string));
      const n = inList.filter(Boolean).length;
      expect(n + r.excluded.notPlausiblyAlive + r.excluded.noFutureValue).toBe(test.length);
      const meanP = prob.reduce((s, v, i) => s + (inList[i] ? v : 0), 0) / n;
      const observed = test.filter((t, i) => inList[i] && t.churned).length / n;
      // within 3 binomial sd of the observed rate (sd = sqrt(0.4 x 0.6 / 170) = 0.038)
      expect(Math.abs(meanP - observed)).toBeLessThan(3 * Math.sqrt((observed * (1 - observed)) / n));
      expect(Math.max(...r.customers.map((c) => c.churnProbability))).toBeLessThan(0.9);
      const gone = test.filter((t, i) => !inList[i] && value[i] > 0);
      expect(gone.filter((t) => t.churned).length / gone.length).toBeGreaterThan(0.75);
      // the list is ordered by expected loss
      for (let i = 1; i < r.customers.length; i++) expect(r.customers[i].expectedLoss).toBeLessThanOrEqual(r.customers[i - 1].expectedLoss);
    }
  });
});
