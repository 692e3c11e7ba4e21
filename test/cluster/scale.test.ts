import { describe, expect, it } from "vitest";
import { chooseK, clusterCustomers, createRng, sampleGamma, samplePoisson } from "../../src/index.js";

/** Seeded RFM-like customers (as benchmarks/cluster.bench.ts): exponential recency, gamma-Poisson frequency, gamma spend. */
function customers(n: number, seed: number): { customerId: string; recencyDays: number; frequency: number; totalSpend: number }[] {
  const rng = createRng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const frequency = 1 + samplePoisson(rng, sampleGamma(rng, 1.2, 2.5));
    out.push({
      customerId: `C${i}`,
      recencyDays: Math.min(730, Math.floor(-Math.log(1 - rng.next()) * 120)),
      frequency,
      totalSpend: Math.round(frequency * sampleGamma(rng, 3, 20) * 100) / 100,
    });
  }
  return out;
}

describe("chooseK at scale", () => {
  it("chooseK(rows) on 60,000 customers computes the silhouette on the default seeded sample of 2,000 and says so", () => {
    const r = chooseK(customers(60_000, 1), { kRange: [2, 4], nInit: 2 });
    expect(r.silhouetteExact).toBe(false);
    expect(r.silhouetteSampleSize).toBe(2000);
    expect(r.reason).toMatch(/on a sample of 2000/);
    for (const row of r.table) {
      expect(row.silhouette).toBeGreaterThan(-1);
      expect(row.silhouette).toBeLessThan(1);
    }
  });
});

describe("clusterCustomers", () => {
  it("clusterCustomers(rows, { kRange }) gives exactly the clustering of clusterCustomers(rows, { k: recommendedK })", () => {
    const rows = customers(5000, 2);
    const chosen = clusterCustomers(rows, { kRange: [2, 5], nInit: 3, seed: 4 });
    const direct = clusterCustomers(rows, { k: chosen.choice!.recommendedK, nInit: 3, seed: 4 });
    expect(chosen.k).toBe(direct.k);
    expect(Array.from(chosen.labels)).toEqual(Array.from(direct.labels));
    expect(chosen.scaledCentroids).toEqual(direct.scaledCentroids);
    expect(chosen.inertia).toBe(direct.inertia);
    expect(chosen.iterations).toBe(direct.iterations);
  });
});
