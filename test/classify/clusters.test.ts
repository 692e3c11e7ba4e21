import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { clusterCustomers, explainClusters } from "../../src/cluster/index.js";
import { customerRecords, generateTransactions, summarizeCustomers, type CustomerSummary } from "../../src/index.js";
import { cdnowTable } from "../rfm/cdnow.js";
import { clusterThenClassify, predictClass } from "../../src/classify/index.js";

let cached: CustomerSummary[] | null = null;
/** 1,500 synthetic customers (seeded store), summarised once (as test/cluster). */
function summaries(): CustomerSummary[] {
  cached ??= summarizeCustomers(generateTransactions({ customers: 1500, seed: 7 }));
  return cached;
}

describe("clusterThenClassify", () => {
  it("clusterThenClassify(kmeans result, rows) re-assigns every customer by the rules and reports their agreement with k-means", () => {
    const rows = summaries();
    const km = clusterCustomers(rows, { k: 4, seed: 1 });
    const r = clusterThenClassify(km, rows, { maxDepth: 3 });
    const n = rows.length;
    // the agreement is the share of customers whose rule cluster is their k-means cluster
    let same = 0;
    for (let i = 0; i < n; i++) if (r.assignments[i] === km.labels[i]) same++;
    expect(r.agreement).toBe(same / n);
    // the rules assign the customers as the saved tree does (new customers get the same rules)
    expect(predictClass(r.model, rows).map(Number)).toEqual(Array.from(r.assignments));
    // confusion: every customer once; rows are k-means sizes, the diagonal the agreement
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(n);
    r.clusters.forEach((c, k) => {
      expect(c.size).toBe(km.sizes[c.cluster]);
      expect(c.recall).toBeCloseTo(r.confusion[k][k] / c.size, 15);
      expect(c.ruleSize).toBe(r.clusters.reduce((a, _, q) => a + r.confusion[q][k], 0));
      for (const rule of c.rules) expect(rule.className).toBe(String(c.cluster));
    });
    expect(r.confusion.reduce((a, row, k) => a + row[k], 0) / n).toBeCloseTo(r.agreement, 15);
    // the rules' leaves partition the customers
    expect(r.clusters.flatMap((c) => c.rules).reduce((a, x) => a + x.n, 0)).toBe(n);
    // depth-3 axis-parallel rules recover most of these k-means clusters; on every customer
    // they do at least as well as explainClusters' ml-cart tree trained on a 2,000-row cap
    // (here all 1,500) with its default leaf size 10
    expect(r.agreement).toBeGreaterThan(0.8);
    const e = explainClusters(km, rows, { maxDepth: 3 });
    // pinned (regression): 1,395 of 1,500 customers; explainClusters' accuracy is 0.93 as well
    expect(r.agreement).toBe(1395 / 1500);
    expect(r.agreement).toBeGreaterThanOrEqual(e.accuracy - 0.02);
  });

  it("clusterThenClassify(kmeans result, { columns: customerTable }) on CDNOW: rows and columns agree, and the rules recover the clusters", async () => {
    const table = await cdnowTable();
    const records = customerRecords(table);
    const km = clusterCustomers(records, { k: 4, seed: 1 });
    const byColumns = clusterThenClassify(km, { columns: table });
    const byRows = clusterThenClassify(km, records);
    expect(Array.from(byColumns.assignments)).toEqual(Array.from(byRows.assignments));
    expect(byColumns.model).toEqual(byRows.model);
    const e = explainClusters(km, records, { maxDepth: 3 });
    // pinned (regression): 2,182 of 2,357 CDNOW customers (0.926) re-assigned to their k-means
    // cluster by depth-3 rules; explainClusters (ml-cart on a 2,000-customer sample) 0.926 as well
    expect(byColumns.agreement).toBe(2182 / 2357);
    expect(Math.abs(byColumns.agreement - e.accuracy)).toBeLessThan(0.01);
  });

  it("clusterThenClassify(labels, { columns }) takes columns and any integer cluster numbers", () => {
    const visits = Float64Array.from([1, 2, 3, 10, 11, 12, 20, 21, 22]);
    const r = clusterThenClassify({ labels: [7, 7, 7, -1, -1, -1, 3, 3, 3] }, { columns: { visits } }, { minSamplesLeaf: 1 });
    expect(r.clusters.map((c) => c.cluster)).toEqual([-1, 3, 7]);
    expect(r.agreement).toBe(1);
    expect(Array.from(r.assignments)).toEqual([7, 7, 7, -1, -1, -1, 3, 3, 3]);
    expect(r.clusters.map((c) => c.rules.map((x) => x.text))).toEqual([["6.5 < visits <= 16 -> cluster = -1 (p=1, n=3)"], ["visits > 16 -> cluster = 3 (p=1, n=3)"], ["visits <= 6.5 -> cluster = 7 (p=1, n=3)"]]);
  });

  it("clusterThenClassify(labels, rows) without features uses every column but customerId", () => {
    const rows = [1, 2, 3, 10, 11, 12].map((v, i) => ({ customerId: `c${i}`, visits: v }));
    const r = clusterThenClassify({ labels: [0, 0, 0, 1, 1, 1] }, rows, { minSamplesLeaf: 1 });
    expect(r.model.featureNames).toEqual(["visits"]);
  });

  it("clusterThenClassify with a shallow tree: a cluster no rule predicts has recall 0 and precision 1, never NaN", () => {
    const visits = [1, 2, 3, 10, 11, 12, 20, 21, 22];
    const r = clusterThenClassify({ labels: [0, 0, 0, 1, 1, 1, 2, 2, 2] }, { columns: { visits } }, { maxDepth: 1, minSamplesLeaf: 1 });
    // one split: 3 | 6 rows; the 6-row leaf predicts cluster 1 (tie 3/3 -> first class)
    expect(r.agreement).toBeCloseTo(6 / 9, 15);
    expect(r.clusters[2]).toMatchObject({ cluster: 2, size: 3, ruleSize: 0, recall: 0, precision: 1, rules: [] });
    expect(r.confusion).toEqual([[3, 0, 0], [0, 3, 0], [0, 3, 0]]);
  });

  describe("errors", () => {
    const rows = [1, 2, 3, 4].map((v) => ({ v }));
    it("labels of another length: InvalidOptionError on clustering.labels", () => {
      expect(() => clusterThenClassify({ labels: [0, 1, 1] }, rows)).toThrow(expect.objectContaining({ option: "clustering.labels" }));
      expect(() => clusterThenClassify({ labels: [0, 1, 1] }, rows)).toThrow(InvalidOptionError);
    });
    it("a non-integer label: InvalidRecordError naming the row", () => {
      try {
        clusterThenClassify({ labels: [0, 1, 0.5, 1] }, rows);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe(3);
      }
    });
    it("one cluster: InvalidOptionError; no customers: AnalyticsError EMPTY_INPUT", () => {
      expect(() => clusterThenClassify({ labels: [2, 2, 2, 2] }, rows)).toThrow(InvalidOptionError);
      expect(() => clusterThenClassify({ labels: [] }, [])).toThrow(expect.objectContaining({ code: "EMPTY_INPUT" }));
      expect(() => clusterThenClassify({ labels: [] }, [])).toThrow(AnalyticsError);
    });
  });
});
