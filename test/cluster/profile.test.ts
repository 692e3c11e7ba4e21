import { describe, expect, it } from "vitest";
import {
  clusterCustomers,
  explainClusters,
  generateTransactions,
  InvalidOptionError,
  profileClusters,
  summarizeCustomers,
  type CustomerSummary,
} from "../../src/index.js";

let cached: CustomerSummary[] | null = null;
/** 1,500 synthetic customers (seeded store), summarised once. */
function summaries(): CustomerSummary[] {
  cached ??= summarizeCustomers(generateTransactions({ customers: 1500, seed: 7 }));
  return cached;
}

/** Two obvious segments: loyal big spenders and one-off lapsed buyers. */
const twoSegments = [
  { customerId: "a", recencyDays: 5, frequency: 12, totalSpend: 900 },
  { customerId: "b", recencyDays: 7, frequency: 10, totalSpend: 800 },
  { customerId: "c", recencyDays: 3, frequency: 14, totalSpend: 1100 },
  { customerId: "d", recencyDays: 300, frequency: 1, totalSpend: 20 },
  { customerId: "e", recencyDays: 280, frequency: 1, totalSpend: 25 },
  { customerId: "f", recencyDays: 350, frequency: 2, totalSpend: 30 },
];

describe("profileClusters", () => {
  it("profileClusters(result, rows) labels an obvious split 'high value, frequent, recent' and 'low value, infrequent, lapsed'", () => {
    const r = clusterCustomers(twoSegments, { k: 2, seed: 1 });
    const p = profileClusters(r, twoSegments);
    expect(p.map((x) => x.label)).toEqual(["high value, frequent, recent", "low value, infrequent, lapsed"]);
    // Hand computation: cluster 0 = a, b, c: spend 2800 of 2875; mean frequency 12, median recency 5.
    expect(p[0].value).toBe(2800);
    expect(p[0].valueShare).toBeCloseTo(2800 / 2875, 14);
    expect(p[0].features[1]).toMatchObject({ feature: "frequency", mean: 12, median: 12 });
    expect(p[0].features[0].median).toBe(5);
  });

  it("profileClusters(result, rows) shares of customers and of revenue each sum to 1, sizes to n", () => {
    const rows = summaries();
    const p = profileClusters(clusterCustomers(rows, { k: 5, seed: 2 }), rows);
    expect(p.reduce((s, x) => s + x.size, 0)).toBe(rows.length);
    expect(p.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
    expect(p.reduce((s, x) => s + x.valueShare, 0)).toBeCloseTo(1, 12);
    // Stable order: mean value per customer never rises with the cluster number.
    for (let j = 1; j < p.length; j++) expect(p[j].value / p[j].size).toBeLessThanOrEqual(p[j - 1].value / p[j - 1].size);
    // Labels are unique and readable.
    expect(new Set(p.map((x) => x.label)).size).toBe(p.length);
    for (const x of p) expect(x.label).toMatch(/^[a-z0-9 ,()-]+$/);
  });

  it("profileClusters(result, rows) gives the same labels in the same order for two seeds that find the same partition", () => {
    const rows = summaries();
    const a = clusterCustomers(rows, { k: 3, seed: 1 });
    const b = clusterCustomers(rows, { k: 3, seed: 77 });
    if (Math.abs(a.inertia - b.inertia) < 1e-9 * a.inertia) {
      expect(profileClusters(b, rows).map((x) => x.label)).toEqual(profileClusters(a, rows).map((x) => x.label));
    }
  });

  it("profileClusters(result, rows, { labelThreshold: 100 }) labels every cluster 'average' plus its number", () => {
    const r = clusterCustomers(twoSegments, { k: 2, seed: 1 });
    expect(profileClusters(r, twoSegments, { labelThreshold: 100 }).map((x) => x.label)).toEqual(["average (0)", "average (1)"]);
  });

  describe("errors", () => {
    it("profileClusters(result, otherRows) throws InvalidOptionError on rows", () => {
      const r = clusterCustomers(twoSegments, { k: 2, seed: 1 });
      for (const rows of [twoSegments.slice(1), [...twoSegments].reverse()]) {
        try {
          profileClusters(r, rows);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe("rows");
        }
      }
    });
  });
});

describe("explainClusters", () => {
  it("explainClusters(result, rows) on an obvious split gives one rule per cluster with accuracy 1", () => {
    const r = clusterCustomers(twoSegments, { k: 2, seed: 1 });
    const e = explainClusters(r, twoSegments, { minNodeSize: 1 });
    expect(e.accuracy).toBe(1);
    expect(e.rules).toHaveLength(2);
    // ml-cart splits halfway between the closest values across the boundary (recency 7 and 280).
    expect(e.rules.map((x) => x.text)).toEqual(["recencyDays < 143.5", "recencyDays >= 143.5"]);
    expect(e.clusters.map((c) => c.recall)).toEqual([1, 1]);
  });

  it("explainClusters(result, rows) rules partition the customers and report precision and recall", () => {
    const rows = summaries();
    const r = clusterCustomers(rows, { k: 4, seed: 3 });
    const e = explainClusters(r, rows, { maxDepth: 3, sampleSize: 800 });
    expect(e.rules.reduce((s, x) => s + x.customers, 0)).toBe(rows.length);
    expect(e.trainingSize).toBe(800);
    expect(e.accuracy).toBeGreaterThan(0.7);
    expect(e.accuracy).toBeLessThanOrEqual(1);
    expect(e.rules.length).toBeLessThanOrEqual(8);
    for (const rule of e.rules) {
      expect(rule.conditions.length).toBeLessThanOrEqual(3);
      expect(rule.text).toMatch(/^((\w+ (<|>=) -?[\d.]+)|(-?[\d.]+ <= \w+ < -?[\d.]+))( and ((\w+ (<|>=) -?[\d.]+)|(-?[\d.]+ <= \w+ < -?[\d.]+)))*$/);
      expect(rule.precision).toBeGreaterThanOrEqual(0);
    }
    // Accuracy equals the covered-and-correct share: sum over rules of precision x customers.
    const correct = e.rules.reduce((s, x) => s + x.precision * x.customers, 0);
    expect(correct / rows.length).toBeCloseTo(e.accuracy, 10);
    expect(explainClusters(r, rows, { maxDepth: 3, sampleSize: 800 })).toEqual(e);
  });

  describe("errors", () => {
    it("explainClusters(result, rows, { maxDepth: 0 }) throws InvalidOptionError on maxDepth", () => {
      const r = clusterCustomers(twoSegments, { k: 2, seed: 1 });
      try {
        explainClusters(r, twoSegments, { maxDepth: 0 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("maxDepth");
      }
    });
  });
});
