import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countDistinctUpTo, orderStatistics, selectPositions } from "../../src/rfm/util.js";

// Private helpers behind rfm's quantile cuts and behaviorMatrix's medians.
describe("selectPositions", () => {
  it("selectPositions(a, ps) places the sorted values at every requested position", () => {
    fc.assert(
      fc.property(
        // -0 and 0 are equal values; selection may place either where a sort puts -0 first.
        fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x + 0)), { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (raw, picks) => {
          const a = Float64Array.from(raw);
          const sorted = Float64Array.from(raw).sort();
          const ps = picks.map((p) => p % a.length);
          selectPositions(a, ps);
          for (const p of ps) expect(a[p]).toBe(sorted[p]);
          expect(Float64Array.from(a).sort()).toEqual(sorted); // a permutation of the input
        },
      ),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it("selectPositions(1e5 equal values) finishes (three-way partitioning)", () => {
    const a = new Float64Array(100_000).fill(1);
    selectPositions(a, [0, 50_000, 99_999]);
    expect(a[50_000]).toBe(1);
  });
});

describe("countDistinctUpTo", () => {
  it("countDistinctUpTo(a, limit) counts distinct values and stops at the limit", () => {
    expect(countDistinctUpTo(Float64Array.from([1, 1, 2, 2, 3]), 10)).toBe(3);
    expect(countDistinctUpTo(Float64Array.from([1, 2, 3, 4, 5, 6]), 5)).toBe(5);
    expect(countDistinctUpTo(new Float64Array(0), 5)).toBe(0);
  });
});

describe("orderStatistics", () => {
  it("orderStatistics(values, ps) equals the sorted values at ps, for integer and real data", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: -50, max: 3000 }), { minLength: 1, maxLength: 200 }),
          fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x + 0), { minLength: 1, maxLength: 200 }),
        ),
        fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
        (raw, picks) => {
          const a = Float64Array.from(raw);
          const copy = a.slice();
          const sorted = a.slice().sort();
          const ps = picks.map((p) => p % a.length);
          expect(orderStatistics(a, ps)).toEqual(ps.map((p) => sorted[p] + 0));
          expect(a).toEqual(copy); // input untouched
        },
      ),
      { seed: 20261130, numRuns: 300 },
    );
  });
});
