import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng, kmeans, sampleGamma, sampleNormal, samplePoisson } from "../../src/index.js";

/**
 * Plain Lloyd's algorithm with the rules of docs/clustering.md section 3, written for clarity
 * rather than speed: every iteration recomputes every distance and every centre from scratch.
 * It is the reference the accelerated loop inside `kmeans` must reproduce exactly (same labels,
 * same iteration count and convergence flag; centres equal up to the order of float sums).
 */
function plainLloyd(x: Float64Array, d: number, init: number[][], maxIterations: number, tolerance: number) {
  const n = x.length / d;
  const k = init.length;
  const sq = (i: number, c: ArrayLike<number>, j: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[i * d + t] - c[j * d + t]) ** 2;
    return s;
  };
  // Nearest centre of every point; the lowest cluster number wins an exact tie.
  const assign = (centers: Float64Array) => {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < k; j++) {
        const s = sq(i, centers, j);
        if (s < best) {
          best = s;
          labels[i] = j;
        }
      }
    }
    return labels;
  };
  // Tolerance relative to the mean per-feature variance (scikit-learn's rule).
  let meanVar = 0;
  for (let t = 0; t < d; t++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + t];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * d + t] - m) ** 2;
    meanVar += v / n;
  }
  const tol = (tolerance * meanVar) / d;
  const centers = Float64Array.from(init.flat());
  let labels = assign(centers);
  let updates = 0;
  let converged = false;
  let strict = false;
  while (updates < maxIterations) {
    updates++;
    const old = Float64Array.from(centers);
    const sums = new Float64Array(k * d);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let t = 0; t < d; t++) sums[labels[i] * d + t] += x[i * d + t];
    }
    let shift = 0;
    const taken: number[] = [];
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // Empty cluster: onto the point farthest from its own (previous) centre, lowest index on ties.
        let far = -1;
        for (let i = 0; i < n; i++) if (!taken.includes(i) && (far < 0 || sq(i, old, labels[i]) > sq(far, old, labels[far]))) far = i;
        taken.push(far);
        for (let t = 0; t < d; t++) centers[j * d + t] = x[far * d + t];
        shift = Infinity;
      } else for (let t = 0; t < d; t++) centers[j * d + t] = sums[j * d + t] / counts[j];
    }
    if (shift !== Infinity) for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) shift += (centers[j * d + t] - old[j * d + t]) ** 2;
    const next = assign(centers);
    let changed = 0;
    for (let i = 0; i < n; i++) if (next[i] !== labels[i]) changed++;
    labels = next;
    if (tol > 0 && shift <= tol) {
      converged = true;
      break;
    }
    if (changed === 0) {
      converged = strict = true;
      break;
    }
  }
  const iterations = strict ? Math.min(updates + 1, maxIterations) : updates;
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sq(i, centers, labels[i]);
  return { labels, centers, iterations, converged, inertia };
}

/** Seeded data sets of the shapes k-means meets: blobs, skewed log-RFM, coarse grids full of duplicates. */
function dataset(kind: "blobs" | "rfm" | "grid", n: number, d: number, seed: number, step = 1): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  if (kind === "blobs") {
    const centres = Array.from({ length: 4 }, () => Array.from({ length: d }, () => sampleNormal(rng, 0, 4)));
    for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] = sampleNormal(rng, centres[i % 4][t], 1.5);
  } else if (kind === "rfm") {
    // The benchmark's customers: log1p of exponential recency, gamma-Poisson frequency, gamma spend.
    for (let i = 0; i < n; i++) {
      const f = 1 + samplePoisson(rng, sampleGamma(rng, 1.2, 2.5));
      const row = [Math.floor(-Math.log(1 - rng.next()) * 120), f, Math.round(f * sampleGamma(rng, 3, 20) * 100) / 100];
      for (let t = 0; t < d; t++) x[i * d + t] = Math.log1p(row[t % 3]) + (t >= 3 ? sampleNormal(rng, 0, 0.3) : 0);
    }
  } else {
    // Multiples of `step` in a small range: many duplicate points and exact distance ties. With
    // a power-of-two step every sum of coordinates is exact, so the centres do not depend on the
    // order in which points are added and a tie in the reference is a tie in `kmeans` too.
    for (let i = 0; i < x.length; i++) x[i] = step * Math.floor(rng.next() * 6);
  }
  return x;
}

function distinctRows(x: Float64Array, d: number): number[][] {
  const seen = new Map<string, number[]>();
  for (let i = 0; i < x.length / d; i++) {
    const row = Array.from(x.subarray(i * d, i * d + d));
    seen.set(row.join(), row);
  }
  return [...seen.values()];
}

/**
 * k starting centres: distinct data points picked by a seeded shuffle, each coordinate moved by
 * 0, 1/8 or 2/8 (so centres need not sit on points, may coincide, and clusters may start or fall
 * empty); with `far`, the last centre is moved 1000 away and starts empty.
 */
function starts(x: Float64Array, d: number, k: number, seed: number, far: boolean): number[][] {
  const rows = distinctRows(x, d);
  const rng = createRng(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const init = rows.slice(0, k).map((row) => row.map((v) => v + 0.125 * Math.floor(rng.next() * 3)));
  if (far) init[k - 1] = init[k - 1].map((v) => v + 1000);
  return init;
}

function expectSameAsPlain(x: Float64Array, d: number, init: number[][], options: { maxIterations?: number; tolerance?: number } = {}): void {
  const maxIterations = options.maxIterations ?? 300;
  const tolerance = options.tolerance ?? 1e-4;
  const ref = plainLloyd(x, d, init, maxIterations, tolerance);
  const r = kmeans({ values: x, dimensions: d }, { k: init.length, initialCenters: init, maxIterations, tolerance });
  expect(Array.from(r.labels)).toEqual(Array.from(ref.labels));
  expect(r.iterations).toBe(ref.iterations);
  expect(r.converged).toBe(ref.converged);
  ref.centers.forEach((c, i) => expect(Math.abs(r.centers[i] - c)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c))));
  expect(Math.abs(r.inertia - ref.inertia)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref.inertia));
}

describe("kmeans (accelerated Lloyd loop)", () => {
  it("kmeans(data, { initialCenters }) gives plain Lloyd's labels, centres and iteration count on blobs, log-RFM and grid data", () => {
    // Source: plainLloyd above (the documented rules, every distance recomputed each iteration).
    for (const d of [1, 2, 3, 5, 8]) {
      for (const [kind, n] of [["blobs", 800], ["rfm", 3000], ["grid", 400]] as const) {
        const x = dataset(kind, n, d, 10 * d + n);
        for (const k of [2, 5, 9]) {
          if (k > distinctRows(x, d).length) continue;
          expectSameAsPlain(x, d, starts(x, d, k, k, false));
          expectSameAsPlain(x, d, starts(x, d, k, k, false), { tolerance: 0 });
        }
      }
    }
  });

  it("kmeans(data, { initialCenters }) follows plain Lloyd through empty clusters, duplicates and k up to the number of distinct points (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 2, max: 120 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom(1, 0.5, 0.25),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.constantFrom(0, 1e-4),
        (d, n, seed, step, slack, far, tolerance) => {
          const x = dataset("grid", n, d, seed, step);
          const distinct = distinctRows(x, d).length;
          // k at, or just below, the number of distinct points.
          const k = Math.max(1, distinct - slack);
          expectSameAsPlain(x, d, starts(x, d, k, seed, far && k > 1), { tolerance });
        },
      ),
      { numRuns: 300, seed: 8 },
    );
  });

  it("kmeans(data, { initialCenters }) gives plain Lloyd's result on values spread over hundreds of orders of magnitude", () => {
    // Each split of the k-d tree halves a side, so such data make a very deep tree: for one
    // feature (depth above 256) kmeans falls back to the distance bounds, for two it keeps the tree.
    const rng = createRng(4);
    const x = Float64Array.from({ length: 1200 }, (_, i) => (rng.next() + 1) * 2 ** ((i * 7) % 450) * (i % 3 === 0 ? -1 : 1));
    for (const d of [1, 2]) for (const k of [3, 6]) expectSameAsPlain(x, d, starts(x, d, k, k, false));
  });

  it("kmeans(data, { initialCenters, maxIterations }) stops where plain Lloyd stops when the iterations run out", () => {
    const x = dataset("rfm", 2000, 3, 5);
    for (const maxIterations of [1, 2, 3, 7]) expectSameAsPlain(x, 3, starts(x, 3, 6, 1, false), { maxIterations, tolerance: 0 });
  });
});
