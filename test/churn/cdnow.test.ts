/**
 * Real data: the CDNOW sample (2,357 customers, Fader & Hardie), cutoff 1997-09-30, churn
 * window 273 days (to the end of the data, 1998-06-30), 10 seeded stratified 70/30 splits.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readTransactions } from "../../src/io/index.js";
import { churnDataset, evaluateChurn, scoreChurn, stratifiedSplit, trainChurnModel, type ChurnDatasetResult, type TrainChurnModelOptions } from "../../src/churn/index.js";
import { sklearnRef } from "./fixtures.js";

let ds: ChurnDatasetResult;
beforeAll(async () => {
  const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  });
  ds = churnDataset(transactions, { cutoff: "1997-09-30", churnWindowDays: 273 });
});

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));

describe("churnDataset", () => {
  it("churnDataset(CDNOW, { cutoff: 1997-09-30, churnWindowDays: 273 }) labels 71% of 2,357 customers churned", () => {
    expect(ds.report.rows).toBe(2357);
    expect(ds.report.churned).toBe(1673); // 71.0%, as the issue states
    expect(ds.report.excludedNotYetCustomers).toEqual([0]); // the cohort joined in Q1 1997
  });
});

describe("trainChurnModel", () => {
  it("trainChurnModel(CDNOW) over 10 stratified 70/30 splits: logistic >= recency-only, regularised tree within one sd", () => {
    const models: Record<string, TrainChurnModelOptions> = {
      logistic: { model: "logistic" },
      tree_d3_leaf100: { model: "tree", maxDepth: 3, minSamplesLeaf: 100 },
      tree_d5: { model: "tree", maxDepth: 5 },
      forest: { model: "forest", trees: 100, minSamplesLeaf: 5 },
    };
    const auc: Record<string, number[]> = { recency: [], logistic: [], tree_d3_leaf100: [], tree_d5: [], forest: [] };
    for (let seed = 0; seed < 10; seed++) {
      const { train, test } = stratifiedSplit(ds.rows, { seed, testFraction: 0.3 });
      const y = test.map((r) => r.churned as boolean);
      auc.recency.push(evaluateChurn(y, test.map((r) => r.recency_days as number)).rocAuc!);
      for (const [name, opts] of Object.entries(models)) {
        const m = trainChurnModel(train, { ...opts, seed });
        auc[name].push(evaluateChurn(y, scoreChurn(m, test)).rocAuc!);
      }
    }
    // Measured here (same features, same splits), mean +/- sd of test AUC:
    //   recency 0.7697 +/- 0.0143, logistic 0.7807 +/- 0.0104, tree d3/leaf100 0.7638 +/- 0.0192,
    //   tree d5 0.7358 +/- 0.0208, forest (leaf 5) 0.7642 +/- 0.0143.
    // scikit-learn 1.2 on the same features and splits (test/reference/churn_sklearn.json):
    //   recency 0.7697 +/- 0.0143, logistic 0.7807 +/- 0.0103, tree d3/leaf100 0.7643 +/- 0.0197,
    //   tree d5 0.7328 +/- 0.0260, forest 0.7594 +/- 0.0140.
    // The scikit-learn figures on its own feature set: recency 0.769 +/- 0.023, logistic
    // 0.774 +/- 0.023, regularised tree 0.769 +/- 0.019, depth-5 tree 0.738.
    const m = Object.fromEntries(Object.entries(auc).map(([k, v]) => [k, mean(v)]));
    expect(m.logistic).toBeGreaterThanOrEqual(m.recency);
    expect(Math.abs(m.tree_d3_leaf100 - m.recency)).toBeLessThanOrEqual(sd(auc.recency));
    // a deep tree on a small single cohort is worse than recency alone (the lesson in docs/churn.md)
    expect(m.tree_d5).toBeLessThan(m.recency);
    // same numbers as scikit-learn: recency and logistic to 1e-3, trees and forest to 0.01
    const ref = sklearnRef.cdnow;
    expect(m.recency).toBeCloseTo(ref.recency.mean, 10);
    expect(Math.abs(m.logistic - ref.logistic.mean)).toBeLessThan(1e-3);
    expect(Math.abs(m.tree_d3_leaf100 - ref.tree_d3_leaf100.mean)).toBeLessThan(0.01);
    expect(Math.abs(m.tree_d5 - ref.tree_d5.mean)).toBeLessThan(0.01);
    expect(Math.abs(m.forest - ref.forest.mean)).toBeLessThan(0.01);
  });
});
