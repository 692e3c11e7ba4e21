import { describe, expect, it } from "vitest";
import { createRng, InvalidOptionError, kmeans, kmeansParallel, sampleGamma, sampleNormal, samplePoisson } from "../../src/index.js";

/** Seeded customer-like points: `d` log-transformed, correlated features (no clean clusters, as real RFM data). */
function customerLike(n: number, d: number, seed: number): { values: Float64Array; dimensions: number } {
  const rng = createRng(seed);
  const values = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const rate = sampleGamma(rng, 1.2, 2.5);
    const f = 1 + samplePoisson(rng, rate);
    for (let t = 0; t < d; t++) values[i * d + t] = Math.log1p(f * (t + 1)) + sampleNormal(rng, 0, 0.5);
  }
  return { values, dimensions: d };
}

function same(a: ReturnType<typeof kmeans>, b: ReturnType<typeof kmeans>): void {
  expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
  expect(Array.from(b.centers)).toEqual(Array.from(a.centers));
  expect(Array.from(b.sizes)).toEqual(Array.from(a.sizes));
  expect(b.inertia).toBe(a.inertia);
  expect(b.iterations).toBe(a.iterations);
  expect(b.converged).toBe(a.converged);
  expect(b.runs).toBe(a.runs);
}

describe("kmeansParallel", () => {
  it("kmeansParallel(data, { threads }) gives exactly kmeans's result for 1, 2 and 3 threads (bounds path, 10 features)", async () => {
    const data = customerLike(6000, 10, 1);
    const copy = data.values.slice();
    const one = kmeans(data, { k: 5, nInit: 6, seed: 3 });
    for (const threads of [1, 2, 3]) same(one, await kmeansParallel(data, { k: 5, nInit: 6, seed: 3, threads }));
    expect(data.values).toEqual(copy); // the input is not modified
  });

  it("kmeansParallel(data, { threads }) gives exactly kmeans's result on the k-d tree path (3 features)", async () => {
    const data = customerLike(6000, 3, 2);
    const one = kmeans(data, { k: 4, nInit: 5, seed: "abc" });
    same(one, await kmeansParallel(data, { k: 4, nInit: 5, seed: "abc", threads: 2 }));
  });

  it("kmeansParallel(data) with one restart or given centres runs on this thread with kmeans's result", async () => {
    const data = customerLike(500, 2, 4);
    same(kmeans(data, { k: 3, nInit: 1, seed: 9 }), await kmeansParallel(data, { k: 3, nInit: 1, seed: 9, threads: 2 }));
    const initialCenters = [[0, 0], [1, 1], [2, 2]];
    same(kmeans(data, { k: 3, initialCenters }), await kmeansParallel(data, { k: 3, initialCenters, threads: 2 }));
  });

  describe("errors", () => {
    it("kmeansParallel(data, { threads: 0 }) rejects with InvalidOptionError on threads", async () => {
      const data = customerLike(50, 2, 5);
      for (const threads of [0, 1.5, -1, "all"]) {
        const e = await kmeansParallel(data, { threads: threads as number }).catch((err: unknown) => err);
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("threads");
      }
    });

    it("kmeansParallel(data, { k }) with k above the number of distinct points rejects with InvalidOptionError on k, as kmeans", async () => {
      const values = Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
      const e = await kmeansParallel({ values, dimensions: 2 }, { k: 4, nInit: 4, threads: 2 }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("k");
      expect((e as InvalidOptionError).value).toBe(4);
    });
  });
});
