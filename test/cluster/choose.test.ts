import { describe, expect, it } from "vitest";
import {
  AnalyticsError,
  calinskiHarabaszScore,
  chooseK,
  createRng,
  InvalidOptionError,
  sampleNormal,
  silhouetteScore,
} from "../../src/index.js";

/** Three well-separated seeded blobs in 2-D, as records. */
function blobRows(perBlob: number, seed: number): { customerId: string; x: number; y: number }[] {
  const rng = createRng(seed);
  const out: { customerId: string; x: number; y: number }[] = [];
  for (const [cx, cy] of [[0, 0], [8, 0], [4, 7]]) {
    for (let i = 0; i < perBlob; i++) out.push({ customerId: `c${out.length}`, x: sampleNormal(rng, cx, 1), y: sampleNormal(rng, cy, 1) });
  }
  return out;
}
const XY = { features: ["x", "y"], transform: "none" } as const;

describe("chooseK", () => {
  it("chooseK(rows, { kRange }) recommends the true number of well-separated blobs, with elbow and Calinski-Harabasz agreeing", () => {
    const r = chooseK(blobRows(60, 1), { ...XY, kRange: [2, 7] });
    expect(r.table.map((t) => t.k)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.recommendedK).toBe(3);
    expect(r.silhouetteK).toBe(3);
    expect(r.elbowK).toBe(3);
    expect(r.calinskiHarabaszK).toBe(3);
    expect(r.silhouetteExact).toBe(true);
    expect(r.daviesBouldinK).toBe(3);
    expect(r.runnerUpK).toBe(4);
    expect(r.reason).toMatch(/^k = 3 has the highest mean silhouette \(0\.\d{3}\), ahead of k = 4 \(0\.\d{3}, margin 0\.\d{3}\) among k = 2\.\.7; the elbow of the inertia curve, Calinski-Harabasz and Davies-Bouldin agree\.$/);
  });

  it("chooseK(rows) gives an inertia curve that never rises with k, and silhouettes in [-1, 1]", () => {
    const r = chooseK(blobRows(40, 2), { ...XY, kRange: [2, 8] });
    for (let i = 1; i < r.table.length; i++) expect(r.table[i].inertia).toBeLessThanOrEqual(r.table[i - 1].inertia * (1 + 1e-12));
    for (const t of r.table) {
      expect(t.silhouette).toBeGreaterThanOrEqual(-1);
      expect(t.silhouette).toBeLessThanOrEqual(1);
      expect(t.calinskiHarabasz).toBeGreaterThan(0);
    }
  });

  it("chooseK(rows, { silhouetteSampleSize }) samples above the size, states it, and stays close to the exact value", () => {
    const rows = blobRows(400, 3);
    const exact = chooseK(rows, { ...XY, kRange: [2, 4], silhouetteSampleSize: 5000 });
    const sampled = chooseK(rows, { ...XY, kRange: [2, 4], silhouetteSampleSize: 300 });
    expect(exact.silhouetteExact).toBe(true);
    expect(exact.silhouetteSampleSize).toBe(1200);
    expect(sampled.silhouetteExact).toBe(false);
    expect(sampled.silhouetteSampleSize).toBe(300);
    expect(sampled.reason).toMatch(/on a sample of 300/);
    // Bound: 300 of 1200 points; silhouettes of well-separated blobs vary little (sd ~0.1), so 0.03 is > 3 standard errors.
    sampled.table.forEach((t, i) => expect(Math.abs(t.silhouette - exact.table[i].silhouette)).toBeLessThan(0.03));
    expect(sampled.recommendedK).toBe(3);
  });

  it("chooseK(rows, { seed }) gives the same table for the same seed", () => {
    const rows = blobRows(30, 4);
    expect(chooseK(rows, { ...XY, kRange: [2, 4], seed: 9 })).toEqual(chooseK(rows, { ...XY, kRange: [2, 4], seed: 9 }));
  });

  it("chooseK(rows, { kRange: [2, 3] }) has no elbow with only two values of k and says so", () => {
    const r = chooseK(blobRows(20, 5), { ...XY, kRange: [2, 3] });
    expect(r.elbowK).toBeNull();
    expect(r.reason).toMatch(/no elbow/);
  });

  describe("errors", () => {
    it("chooseK(rows, { kRange }) rejects bad ranges with InvalidOptionError on kRange", () => {
      for (const kRange of [[1, 3], [4, 3], [2.5, 4], [2, 60]]) {
        try {
          chooseK(blobRows(10, 6), { ...XY, kRange: kRange as [number, number] });
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe("kRange");
        }
      }
    });
    it("chooseK([]) throws AnalyticsError EMPTY_INPUT", () => {
      try {
        chooseK([], XY);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
      }
    });
  });
});

describe("silhouetteScore", () => {
  it("silhouetteScore(data, labels) is 0.9 on two tight pairs (hand computation)", () => {
    // a = 1 for every point; b = mean of {10, 11} or {9, 10} = 10.5 or 9.5; s = (b - a) / b; mean = 0.8997...
    const s = silhouetteScore({ values: Float64Array.from([0, 1, 10, 11]), dimensions: 1 }, [0, 0, 1, 1]);
    expect(s).toBeCloseTo(((9.5 / 10.5) + (8.5 / 9.5) + (8.5 / 9.5) + (9.5 / 10.5)) / 4, 14);
  });
  it("silhouetteScore(data, labels) gives a singleton cluster's point silhouette 0 (as scikit-learn)", () => {
    const s = silhouetteScore({ values: Float64Array.from([0, 1, 10]), dimensions: 1 }, [0, 0, 1]);
    // Point 0: a = 1, b = 10, s = 0.9; point 1: a = 1, b = 9, s = 8/9; point 2 alone: s = 0.
    expect(s).toBeCloseTo((0.9 + 8 / 9 + 0) / 3, 14);
  });
  describe("errors", () => {
    it("silhouetteScore(data, labels) with one cluster or mismatched labels throws InvalidOptionError on labels", () => {
      for (const labels of [[0, 0, 0, 0], [0, 1, 1]]) {
        try {
          silhouetteScore({ values: Float64Array.from([0, 1, 2, 3]), dimensions: 1 }, labels);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe("labels");
        }
      }
    });
  });
});

describe("calinskiHarabaszScore", () => {
  it("calinskiHarabaszScore(data, labels) is 200 on two tight pairs (hand computation: B = 100, W = 1)", () => {
    // B = 2 * 5^2 + 2 * 5^2 = 100, W = 4 * 0.25 = 1, (B / 1) / (W / 2) = 200.
    expect(calinskiHarabaszScore({ values: Float64Array.from([0, 1, 10, 11]), dimensions: 1 }, [0, 0, 1, 1])).toBeCloseTo(200, 10);
  });
});
