/** One options rule (issue 16 item 4): an explicit `undefined` means the default in every clustering function. */
import { describe, expect, it } from "vitest";
import { chooseK, clusterCustomers, createRng, explainClusters, kmeans, profileClusters, sampleNormal, silhouetteScore } from "../../src/index.js";

const rng = createRng(3);
const rows = Array.from({ length: 60 }, (_, i) => ({ customerId: `c${i}`, recencyDays: Math.abs(sampleNormal(rng, i < 30 ? 10 : 200, 5)), frequency: 1 + (i % 5), totalSpend: 20 + i }));

describe("cluster options: undefined means the default", () => {
  it("kmeans(data, { k: undefined, nInit: undefined, seed: undefined }) equals kmeans(data) (k = 4)", () => {
    const data = { values: Float64Array.from(rows.flatMap((r) => [r.recencyDays, r.frequency])), dimensions: 2 };
    const a = kmeans(data, { k: undefined, nInit: undefined, maxIterations: undefined, tolerance: undefined, seed: undefined, initialCenters: undefined });
    expect(a).toEqual(kmeans(data));
    expect(a.centers.length).toBe(8);
  });

  it("clusterCustomers, chooseK, profileClusters, explainClusters and silhouetteScore accept undefined options", () => {
    const a = clusterCustomers(rows, { k: undefined, features: undefined, transform: undefined, scaling: undefined, seed: undefined, valueField: undefined });
    expect(a).toEqual(clusterCustomers(rows));
    expect(a.k).toBe(4);
    expect(chooseK(rows, { kRange: undefined, silhouetteSampleSize: undefined, seed: undefined })).toEqual(chooseK(rows));
    expect(profileClusters(a, rows, { valueField: undefined, labelThreshold: undefined })).toEqual(profileClusters(a, rows));
    expect(explainClusters(a, rows, { maxDepth: undefined, sampleSize: undefined, minNodeSize: undefined, seed: undefined })).toEqual(explainClusters(a, rows));
    const data = { values: Float64Array.from([0, 1, 10, 11]), dimensions: 1 };
    expect(silhouetteScore(data, [0, 0, 1, 1], { sampleSize: undefined, seed: undefined })).toBe(silhouetteScore(data, [0, 0, 1, 1]));
  });
});

describe("argument order", () => {
  it("profileClusters(rows, result) and explainClusters(rows, result) (swapped) throw InvalidOptionError on result, not a TypeError", () => {
    const a = clusterCustomers(rows, { k: 2 });
    for (const f of [() => profileClusters(rows as never, a as never), () => explainClusters(rows as never, a as never)]) {
      try {
        f();
        expect.unreachable();
      } catch (e) {
        expect((e as Error).name).toBe("InvalidOptionError");
        expect(e).toMatchObject({ option: "result" });
      }
    }
  });
});
