/**
 * k-means++ draws each new centre with probability proportional to D^2, the squared distance to
 * the nearest chosen centre (Arthur & Vassilvitskii 2007). Code review mutant M4 (D instead of
 * D^2) survived every other test; this one is anchored to the D^2 shares computed by hand.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/index.js";
import { kmeansPlusPlusSeeds } from "../../src/cluster/kmeans.js";

describe("k-means++ seeding (mutant M4)", () => {
  it("kmeansPlusPlusSeeds([0, 1, 3], k = 2): second-centre frequencies over 30,000 seeds match the D^2 shares within 4.5 binomial sd", () => {
    // Points 0, 1, 3 (1-D). k = 2 draws 2 + floor(ln 2) = 2 candidates ∝ D^2 and keeps the one with
    // the lower potential (the first candidate on a tie). By hand, per first centre f:
    //  f = 0: D^2 = {1: 1, 3: 9}; candidate 3 leaves potential min(1, 4) = 1, candidate 1 leaves
    //         min(9, 4) = 4, so 3 wins whenever drawn: P(3) = 1 - (1/10)^2 = 0.99     (D: 1 - (1/4)^2 = 0.9375)
    //  f = 1: D^2 = {0: 1, 3: 4}; 3 leaves 1, 0 leaves 4: P(3) = 1 - (1/5)^2 = 0.96   (D: 1 - (1/3)^2 = 0.889)
    //  f = 3: D^2 = {0: 9, 1: 4}; both leave potential 1 (a tie: the first candidate is kept),
    //         so P(0) = the D^2 share itself = 9/13 = 0.6923                          (D: 3/5 = 0.6)
    const x = Float64Array.from([0, 1, 3]);
    const expected = new Map([[0, { target: 3, p: 0.99 }], [1, { target: 3, p: 0.96 }], [3, { target: 0, p: 9 / 13 }]]);
    const count = new Map<number, { n: number; hit: number }>([[0, { n: 0, hit: 0 }], [1, { n: 0, hit: 0 }], [3, { n: 0, hit: 0 }]]);
    for (let seed = 1; seed <= 30_000; seed++) {
      const c = kmeansPlusPlusSeeds(x, 1, 2, createRng(seed));
      const e = expected.get(c[0])!;
      const k = count.get(c[0])!;
      k.n++;
      if (c[1] === e.target) k.hit++;
    }
    for (const [f, { n, hit }] of count) {
      const { p } = expected.get(f)!;
      // the first centre is uniform: about 10,000 draws each (binomial sd 0.0027; 4.5 sd = 0.012)
      expect(Math.abs(n - 10_000)).toBeLessThan(4.5 * Math.sqrt(30_000 * (1 / 3) * (2 / 3)));
      const sd = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(hit / n - p)).toBeLessThan(4.5 * sd);
    }
  });
});
