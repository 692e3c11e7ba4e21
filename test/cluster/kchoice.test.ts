/**
 * The choice of k, checked against scikit-learn on real data: the CDNOW RFM features as the
 * report clusters them (log1p, z-scored; test/cluster/k_choice_sklearn.py keeps the script and
 * k_choice_sklearn.json its frozen output: sklearn 1.2 KMeans(n_init=10) labels and its
 * silhouette, Calinski-Harabasz and Davies-Bouldin scores for k = 2..8).
 */
import { describe, expect, it } from "vitest";
import { calinskiHarabaszScore, chooseK, clusterCustomers, daviesBouldinScore, generateTransactions, InvalidOptionError, parseKRange, silhouetteScore, summarizeCustomers } from "../../src/index.js";
import ref from "./k_choice_sklearn.json" with { type: "json" };

const x = Float64Array.from(ref.x);
const data = { values: x, dimensions: 3 };
const rows = Array.from({ length: ref.n }, (_, i) => ({ customerId: String(i), r: x[3 * i], f: x[3 * i + 1], m: x[3 * i + 2] }));
const RAW = { features: ["r", "f", "m"], transform: "none", scaling: "none", silhouetteSampleSize: 5000 } as const;

describe("silhouette, Calinski-Harabasz and Davies-Bouldin on CDNOW", () => {
  it("silhouetteScore, calinskiHarabaszScore, daviesBouldinScore(CDNOW RFM, sklearn's labels) equal scikit-learn's to 1e-9 relative, k = 2..8", () => {
    for (const r of ref.ks) {
      expect(silhouetteScore(data, r.labels) / r.silhouette - 1).toBeCloseTo(0, 9);
      expect(calinskiHarabaszScore(data, r.labels) / r.calinskiHarabasz - 1).toBeCloseTo(0, 9);
      expect(daviesBouldinScore(data, r.labels) / r.daviesBouldin - 1).toBeCloseTo(0, 9);
    }
  });

  it("daviesBouldinScore by hand: clusters {0, 2} and {10, 14}: s = 1 and 2, centres 1 and 12, DB = (1 + 2) / 11", () => {
    expect(daviesBouldinScore({ values: Float64Array.from([0, 2, 10, 14]), dimensions: 1 }, [0, 0, 1, 1])).toBeCloseTo(3 / 11, 15);
    // three clusters on a line: s = 0.5, 0.5, 1; centres 0.5, 5.5, 21: R = max(1/5, 1.5/20.5) = 0.2,
    // max(1/5, 1.5/15.5) = 0.2, max(1.5/20.5, 1.5/15.5) = 0.0968; DB = (0.2 + 0.2 + 1.5/15.5) / 3
    expect(daviesBouldinScore({ values: Float64Array.from([0, 1, 5, 6, 20, 22]), dimensions: 1 }, [0, 0, 1, 1, 2, 2])).toBeCloseTo((0.4 + 1.5 / 15.5) / 3, 15);
  });
});

describe("chooseK on CDNOW (the default range and why)", () => {
  it("chooseK(CDNOW RFM, { kRange: [2, 8] }) picks k = 2 like scikit-learn's silhouette analysis, and so do Calinski-Harabasz and Davies-Bouldin", () => {
    const r = chooseK(rows, { ...RAW, kRange: [2, 8] });
    expect(ref.bestSilhouette2to8).toBe(2);
    expect(r.recommendedK).toBe(ref.bestSilhouette2to8);
    expect(r.calinskiHarabaszK).toBe(ref.bestCalinskiHarabasz2to8);
    expect(r.daviesBouldinK).toBe(ref.bestDaviesBouldin2to8);
    expect(r.silhouetteExact).toBe(true);
    // k-means may stop in a different local optimum than sklearn's: inertia within 1%, scores within 0.01
    for (const row of r.table) {
      const s = ref.ks[row.k - 2];
      expect(row.inertia).toBeLessThan(s.inertia * 1.01);
      expect(Math.abs(row.silhouette - s.silhouette)).toBeLessThan(0.01);
      expect(Math.abs(row.daviesBouldin - s.daviesBouldin)).toBeLessThan(0.02);
    }
    expect(r.runnerUpK).toBe(3);
    expect(r.silhouetteMargin).toBeGreaterThan(0.08); // 0.578 vs 0.488 (sklearn: 0.5779 vs 0.4882)
    expect(r.reason).toMatch(/^k = 2 has the highest mean silhouette \(0\.578\), ahead of k = 3 \(0\.488, margin 0\.090\) among k = 2\.\.8; Calinski-Harabasz and Davies-Bouldin agree; the elbow of the inertia curve is at k = 4\.$/);
  });

  it("chooseK(CDNOW RFM) with the default range 3..8 picks k = 3, scikit-learn's choice over 3..8, and says by how much", () => {
    const r = chooseK(rows, RAW);
    expect(r.table.map((t) => t.k)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(r.recommendedK).toBe(ref.bestSilhouette3to8);
    expect(r.recommendedK).toBe(3);
    expect(r.criterion).toBe("silhouette");
    expect(r.runnerUpK).toBe(8); // sklearn: 0.4882 at 3, 0.4267 at 8, 0.4165 at 5
    expect(r.reason).toMatch(/^k = 3 has the highest mean silhouette \(0\.488\), ahead of k = 8 \(0\.4\d\d, margin 0\.0\d\d\) among k = 3\.\.8; /);
    for (const row of r.table) expect(row.smallestShare).toBeGreaterThan(0.02);
  });

  it("on the synthetic generator too, every index prefers k = 2 over 2..8 (3,000 customers) (the active vs lapsed split), so the default starts at 3", () => {
    for (const seed of [1, 2]) {
      const summaries = summarizeCustomers(generateTransactions({ customers: 3000, seed }));
      const r = chooseK(summaries, { features: ["recencyDays", "frequency", "totalSpend"], kRange: [2, 8] });
      // measured: silhouette 0.480 / 0.471 at k = 2 against 0.398 / 0.415 at k = 3 (seeds 1 / 2)
      expect([r.silhouetteK, r.calinskiHarabaszK, r.daviesBouldinK]).toEqual([2, 2, 2]);
      // the k = 2 split: one cluster holds every one-time buyer
      const fit = clusterCustomers(summaries, { k: 2, features: ["recencyDays", "frequency", "totalSpend"] });
      const oneTime = summaries.map((s, i) => [s.frequency, fit.labels[i]] as const).filter(([f]) => f === 1);
      expect(new Set(oneTime.map(([, l]) => l)).size).toBe(1);
    }
  });

  it("clusterCustomers(rows, { k, kRange }) is refused: a fixed k or a range, not both", () => {
    try {
      clusterCustomers(rows, { ...RAW, k: 3, kRange: [2, 4] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "k", value: 3 });
    }
  });
});

describe("parseKRange", () => {
  it('parseKRange("3-8" | " 4 - 6 " | "5") reads the CLI\'s --k-range', () => {
    expect(parseKRange("3-8")).toEqual([3, 8]);
    expect(parseKRange(" 4 - 6 ")).toEqual([4, 6]);
    expect(parseKRange("5")).toEqual([5, 5]);
  });
  it("parseKRange rejects anything else with InvalidOptionError on kRange", () => {
    for (const bad of ["1-4", "8-3", "3-", "a-b", "3-8-9", "2.5-4", "3-101", "", 7 as unknown as string]) {
      try {
        parseKRange(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "kRange", value: bad });
      }
    }
  });
});
