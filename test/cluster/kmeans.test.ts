import fc from "fast-check";
import { kmeans as mlKmeans } from "ml-kmeans";
import { describe, expect, it } from "vitest";
import { AnalyticsError, createRng, InvalidOptionError, InvalidRecordError, kmeans, sampleNormal } from "../../src/index.js";
import ref from "../reference/cluster_sklearn.json" with { type: "json" };

/** Seeded blobs: `perBlob` points around each centre, spread `sd`. */
function blobs(centres: number[][], perBlob: number, sd: number, seed: number): { values: Float64Array; dimensions: number } {
  const d = centres[0].length;
  const rng = createRng(seed);
  const values = new Float64Array(centres.length * perBlob * d);
  let o = 0;
  for (const c of centres) for (let i = 0; i < perBlob; i++) for (let t = 0; t < d; t++) values[o++] = sampleNormal(rng, c[t], sd);
  return { values, dimensions: d };
}

function rowsOf(values: Float64Array, d: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length / d; i++) out.push(Array.from(values.subarray(i * d, i * d + d)));
  return out;
}

/** Invariants every k-means result must satisfy. */
function checkInvariants(values: Float64Array, d: number, r: ReturnType<typeof kmeans>): void {
  const n = values.length / d;
  const k = r.centers.length / d;
  expect(r.centers.every(Number.isFinite)).toBe(true);
  expect(Array.from(r.sizes).reduce((a, b) => a + b, 0)).toBe(n);
  let inertia = 0;
  const sizes = new Array(k).fill(0);
  for (let i = 0; i < n; i++) {
    const dist = (j: number) => {
      let s = 0;
      for (let t = 0; t < d; t++) s += (values[i * d + t] - r.centers[j * d + t]) ** 2;
      return s;
    };
    const own = dist(r.labels[i]);
    for (let j = 0; j < k; j++) expect(own).toBeLessThanOrEqual(dist(j) + 1e-9);
    inertia += own;
    sizes[r.labels[i]]++;
  }
  expect(Array.from(r.sizes)).toEqual(sizes);
  expect(r.inertia).toBeCloseTo(inertia, 6);
}

describe("kmeans", () => {
  const data = Float64Array.from(ref.data.flat());

  it("kmeans(data, { initialCenters }) matches scikit-learn's KMeans (Lloyd, given centres) on the reference set", () => {
    // Source: test/reference/cluster_sklearn.py (sklearn 1.2 KMeans, n_init=1, tol=0); tolerance 1e-9.
    const r = kmeans({ values: data, dimensions: 3 }, { k: 3, initialCenters: ref.raw.init, tolerance: 0 });
    expect(Array.from(r.labels)).toEqual(ref.raw.labels);
    ref.raw.centroids.flat().forEach((c, i) => expect(Math.abs(r.centers[i] - c)).toBeLessThan(1e-9 * Math.max(1, Math.abs(c))));
    expect(Math.abs(r.inertia - ref.raw.inertia) / ref.raw.inertia).toBeLessThan(1e-12);
    expect(r.iterations).toBe(ref.raw.iterations);
    expect(r.converged).toBe(true);
  });

  it("kmeans(data, { initialCenters }) gives ml-kmeans's centroids and labels from the same centres", () => {
    // Source: ml-kmeans 7 (the reference implementation), tolerance 0, same initial centres; 1e-9.
    const sets = [
      { values: data, dimensions: 3, init: ref.raw.init },
      { ...blobs([[0, 0], [3, 1], [1, 4], [5, 5]], 500, 1.2, 7), init: [[0, 0], [1, 1], [2, 2], [3, 3]] },
    ];
    for (const s of sets) {
      const ours = kmeans({ values: s.values, dimensions: s.dimensions }, { k: s.init.length, initialCenters: s.init, tolerance: 0 });
      const theirs = mlKmeans(rowsOf(s.values, s.dimensions), s.init.length, { initialization: s.init.map((c) => [...c]), tolerance: 0, maxIterations: 300 });
      expect(Array.from(ours.labels)).toEqual(theirs.clusters);
      theirs.centroids.flat().forEach((c, i) => expect(Math.abs(ours.centers[i] - c)).toBeLessThan(1e-9 * Math.max(1, Math.abs(c))));
      expect(ours.iterations).toBe(theirs.iterations);
    }
  });

  it("kmeans(data, { k, seed }) recovers well-separated blobs and satisfies the k-means invariants", () => {
    const b = blobs([[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]], 250, 1, 3);
    const r = kmeans(b, { k: 4, seed: 1 });
    checkInvariants(b.values, 3, r);
    expect(Array.from(r.sizes).sort()).toEqual([250, 250, 250, 250]);
    expect(r.converged).toBe(true);
    expect(r.runs).toBe(10);
  });

  it("kmeans(data, { seed }) gives the same output for the same seed and different starts for different seeds", () => {
    const b = blobs([[0, 0], [2, 0], [1, 2], [4, 4], [6, 1]], 200, 1.5, 11);
    const a1 = kmeans(b, { k: 5, seed: 5 });
    const a2 = kmeans(b, { k: 5, seed: 5 });
    expect(Array.from(a2.labels)).toEqual(Array.from(a1.labels));
    expect(Array.from(a2.centers)).toEqual(Array.from(a1.centers));
    // One restart and one iteration: the k-means++ start itself shows through.
    const starts = [1, 2, 3, 4].map((seed) => Array.from(kmeans(b, { k: 5, seed, nInit: 1, maxIterations: 1 }).centers).join());
    expect(new Set(starts).size).toBeGreaterThan(1);
  });

  it("kmeans(data, { nInit: 10 }) is never worse than its own first restart (nInit: 1, same seed)", () => {
    const b = blobs([[0, 0], [2, 0], [1, 2], [4, 4], [6, 1]], 100, 1.5, 13);
    for (const seed of [1, 2, 3]) {
      expect(kmeans(b, { k: 5, seed, nInit: 10 }).inertia).toBeLessThanOrEqual(kmeans(b, { k: 5, seed, nInit: 1 }).inertia);
    }
  });

  it("kmeans(data, { initialCenters }) relocates an empty cluster instead of producing NaN centres", () => {
    const r = kmeans({ values: Float64Array.from([0, 1, 2, 3, 10, 11]), dimensions: 1 }, { k: 3, initialCenters: [[0], [1], [1000]], tolerance: 0 });
    expect(r.centers.every(Number.isFinite)).toBe(true);
    expect(Array.from(r.sizes).every((s) => s > 0)).toBe(true);
    checkInvariants(Float64Array.from([0, 1, 2, 3, 10, 11]), 1, r);
  });

  it("kmeans(data) on generated inputs keeps every invariant and never returns NaN (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        // Quarter-unit grid values: distinct points stay distinct after squaring (no subnormals).
        fc.array(fc.integer({ min: -4000, max: 4000 }).map((v) => v / 4), { minLength: 6, maxLength: 90 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (d, flat, k, seed) => {
          const n = Math.floor(flat.length / d);
          const values = Float64Array.from(flat.slice(0, n * d));
          const distinct = new Set(rowsOf(values, d).map((r) => r.join())).size;
          if (k > distinct) {
            expect(() => kmeans({ values, dimensions: d }, { k, seed, nInit: 2 })).toThrow(InvalidOptionError);
            return;
          }
          checkInvariants(values, d, kmeans({ values, dimensions: d }, { k, seed, nInit: 2 }));
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });

  it("kmeans of no points gives an empty result", () => {
    const r = kmeans({ values: new Float64Array(0), dimensions: 2 }, { k: 3 });
    expect(r.labels.length).toBe(0);
    expect(r.inertia).toBe(0);
  });

  describe("errors", () => {
    it("kmeans(data, { k }) with k above the number of distinct points throws InvalidOptionError on k", () => {
      const values = Float64Array.from([1, 1, 1, 2, 2, 3]);
      try {
        kmeans({ values, dimensions: 1 }, { k: 4, seed: 1 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("k");
        expect((e as InvalidOptionError).value).toBe(4);
        expect((e as InvalidOptionError).message).toMatch(/^kmeans: .*distinct points \(3\)/);
      }
    });
    it("kmeans(data) with a NaN or infinite coordinate throws InvalidRecordError with the 1-based row and coordinate", () => {
      for (const bad of [NaN, Infinity]) {
        try {
          // values [0, 1 | bad, 3]: the bad value is point 2 (1-based), coordinate 1
          kmeans({ values: Float64Array.from([0, 1, bad, 3]), dimensions: 2 }, { k: 1 });
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidRecordError);
          expect((e as AnalyticsError).code).toBe("INVALID_RECORD");
          expect(e).toMatchObject({ row: 2, field: "coordinate 1" });
          expect(Object.is((e as InvalidRecordError).value, bad)).toBe(true);
          expect((e as Error).message).toMatch(/^kmeans: row 2, field "coordinate 1"/);
        }
      }
    });
    it("kmeans(data, options) rejects bad options with InvalidOptionError naming the option", () => {
      const values = Float64Array.from([0, 1, 2, 3]);
      const cases: [Record<string, unknown>, string][] = [
        [{ k: 0 }, "k"],
        [{ k: 1.5 }, "k"],
        [{ nInit: 0 }, "nInit"],
        [{ maxIterations: -1 }, "maxIterations"],
        [{ tolerance: -1 }, "tolerance"],
        [{ seed: NaN }, "seed"],
        [{ k: 2, initialCenters: [[0]] }, "initialCenters"],
      ];
      for (const [opts, option] of cases) {
        try {
          kmeans({ values, dimensions: 1 }, opts);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe(option);
        }
      }
    });
  });
});
