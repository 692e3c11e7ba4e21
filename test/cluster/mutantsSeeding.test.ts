/**
 * k-means++ seeding in more than one dimension, checked against a plain implementation of the
 * algorithm written here from its definition (Arthur & Vassilvitskii 2007, with scikit-learn's
 * greedy variant, `sklearn.cluster.kmeans_plusplus`):
 *  1. the first centre is point floor(u * n), u the first draw;
 *  2. each further centre: draw 2 + floor(ln k) candidates (scikit-learn's n_local_trials), each
 *     the first point whose running sum of D^2 (squared distance to the nearest chosen centre, in
 *     point order) exceeds u * (total D^2); keep the candidate whose potential
 *     sum_i min(D^2_i, |x_i - candidate|^2) is lowest, the first one on ties (argmin).
 * The library computes the same quantities with triangle-inequality skips, a three-candidate
 * kernel for 3-D data and, above 7 dimensions, bounds it hands to Lloyd's first pass; none of
 * that may change which points are chosen. StrykerJS found the multi-dimensional indexing,
 * the number of candidates and the candidate choice unchecked: the existing seeding test is 1-D
 * (test/cluster/seeding.test.ts) and the other seeded tests only check that blobs are found.
 */
import { describe, expect, it } from "vitest";
import { createRng, kmeans, type Rng } from "../../src/index.js";
import { kmeansPlusPlusSeeds } from "../../src/cluster/kmeans.js";

/** Squared Euclidean distance between point i of x and point j of c (coordinates summed in order). */
function sq(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x[i * d + t] - c[j * d + t];
    s += v * v;
  }
  return s;
}

/** Greedy k-means++ as defined above, with no shortcuts; returns the chosen point indices. */
function plainSeeds(x: Float64Array, d: number, k: number, rng: Rng): number[] {
  const n = x.length / d;
  const trials = 2 + Math.floor(Math.log(k));
  const chosen = [Math.min(Math.floor(rng.next() * n), n - 1)];
  const D2 = new Float64Array(n);
  for (let i = 0; i < n; i++) D2[i] = sq(x, i, x, chosen[0], d);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += D2[i];
    let best = -1;
    let bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      const target = rng.next() * total;
      let run = 0;
      let cand = n - 1;
      for (let i = 0; i < n; i++) {
        run += D2[i];
        if (run > target) {
          cand = i;
          break;
        }
      }
      let pot = 0;
      for (let i = 0; i < n; i++) pot += Math.min(D2[i], sq(x, i, x, cand, d));
      if (pot < bestPot) {
        bestPot = pot;
        best = cand;
      }
    }
    chosen.push(best);
    for (let i = 0; i < n; i++) D2[i] = Math.min(D2[i], sq(x, i, x, best, d));
  }
  return chosen;
}

/** n points in d dimensions: `groups` Gaussian-ish blobs (sum of uniforms) with unit spread. */
function blobs(n: number, d: number, groups: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const centres = Array.from({ length: groups * d }, () => 20 * rng.next());
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const g = i % groups;
    for (let t = 0; t < d; t++) x[i * d + t] = centres[g * d + t] + (rng.next() + rng.next() + rng.next() - 1.5);
  }
  return x;
}

function rowsOf(x: Float64Array, d: number, idx: number[]): number[][] {
  return idx.map((i) => Array.from(x.subarray(i * d, i * d + d)));
}

describe("kmeansPlusPlusSeeds (multi-dimensional)", () => {
  it("kmeansPlusPlusSeeds(x, d, k, rng) picks the same points as plain greedy k-means++ for d = 2, 3, 5, 9 and k = 2..9 (30 seeds each)", () => {
    // k = 2 draws 2 candidates, k = 3..7 draw 3 (the 3-D kernel), k = 8, 9 draw 4.
    for (const d of [2, 3, 5, 9]) {
      const x = blobs(240, d, 6, 100 + d);
      for (const k of [2, 3, 5, 8, 9]) {
        for (let seed = 1; seed <= 30; seed++) {
          const want = rowsOf(x, d, plainSeeds(x, d, k, createRng(seed)));
          const got = kmeansPlusPlusSeeds(x, d, k, createRng(seed));
          const gotRows = Array.from({ length: k }, (_, j) => Array.from(got.subarray(j * d, j * d + d)));
          expect(gotRows, `d=${d} k=${k} seed=${seed}`).toEqual(want);
        }
      }
    }
  });

  it("the seeds consume exactly 1 + (k - 1)(2 + floor(ln k)) draws: the next draw of the generator is the same as after the plain seeding", () => {
    const x = blobs(90, 4, 3, 7);
    for (const k of [2, 3, 8]) {
      const a = createRng(5);
      const b = createRng(5);
      kmeansPlusPlusSeeds(x, 4, k, a);
      plainSeeds(x, 4, k, b);
      expect(a.next()).toBe(b.next());
    }
  });
});

describe("kmeans (seeded restarts)", () => {
  it("kmeans(data, { k, seed, nInit: 1 }) equals Lloyd from the plain k-means++ seeds, in 2-D (k-d tree path) and 9-D (bounds path)", () => {
    // Lloyd from given centres is checked against a plain Lloyd in lloyd.test.ts; here the seeded
    // run must be that same Lloyd run started from the plain seeds of the same generator.
    for (const d of [2, 9]) {
      const x = blobs(300, d, 5, 40 + d);
      for (const k of [3, 6]) {
        for (const seed of [1, 2, 3]) {
          const seeds = rowsOf(x, d, plainSeeds(x, d, k, createRng(seed)));
          const got = kmeans({ values: x, dimensions: d }, { k, seed, nInit: 1 });
          const want = kmeans({ values: x, dimensions: d }, { k, initialCenters: seeds });
          expect(Array.from(got.labels), `d=${d} k=${k} seed=${seed}`).toEqual(Array.from(want.labels));
          expect(got.iterations).toBe(want.iterations);
          for (let j = 0; j < k * d; j++) expect(got.centers[j]).toBeCloseTo(want.centers[j], 10);
          expect(got.inertia / want.inertia).toBeCloseTo(1, 12);
        }
      }
    }
  });

  it("kmeans(data, { k, seed, nInit: 3 }) keeps the lowest-inertia restart, restart r seeded from draws r * (1 + (k - 1)(2 + floor(ln k))) on", () => {
    const d = 9;
    const x = blobs(200, d, 4, 77);
    const k = 4;
    const rng = createRng(11);
    let best: ReturnType<typeof kmeans> | null = null;
    for (let r = 0; r < 3; r++) {
      const run = kmeans({ values: x, dimensions: d }, { k, initialCenters: rowsOf(x, d, plainSeeds(x, d, k, rng)) });
      if (best === null || run.inertia < best.inertia) best = run;
    }
    const got = kmeans({ values: x, dimensions: d }, { k, seed: 11, nInit: 3 });
    expect(Array.from(got.labels)).toEqual(Array.from(best!.labels));
    expect(got.inertia / best!.inertia).toBeCloseTo(1, 12);
  });
});
