import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { associationRules, frequentItemsets, toBaskets } from "../../src/index.js";

const ALPHABET = ["a", "b", "c", "d", "e", "f", "g", "h"];
const basketsArb = fc.array(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 7 }), { maxLength: 40 });

/** Brute force: the count of every non-empty subset of the alphabet (2^8 - 1 of them). */
function bruteCounts(lists: string[][]): Map<string, number> {
  const out = new Map<string, number>();
  const sets = lists.map((l) => new Set(l));
  for (let mask = 1; mask < 1 << ALPHABET.length; mask++) {
    const items = ALPHABET.filter((_, i) => mask & (1 << i));
    let c = 0;
    for (const s of sets) if (items.every((x) => s.has(x))) c++;
    out.set(items.join(","), c);
  }
  return out;
}

const asMap = (sets: { items: readonly string[]; count: number }[]) => new Map(sets.map((s) => [s.items.join(","), s.count]));

describe("frequentItemsets (properties)", () => {
  it("frequentItemsets(random baskets) reports exactly the itemsets a brute-force count finds frequent, with their counts", () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 5 }), (lists, minCount) => {
        const brute = bruteCounts(lists);
        const expected = new Map([...brute].filter(([, c]) => c >= minCount));
        for (const algorithm of ["eclat", "apriori"] as const) {
          const f = frequentItemsets(Object.freeze(lists), { minCount, algorithm });
          expect(asMap(f.itemsets)).toEqual(expected);
          for (const s of f.itemsets) expect(s.support).toBe(s.count / lists.length);
        }
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });

  it("frequentItemsets(random baskets, { algorithm: 'apriori' }) equals Eclat exactly, order included, for every maxLength", () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), (lists, minCount, maxLength) => {
        const e = frequentItemsets(lists, { minCount, maxLength });
        const a = frequentItemsets(lists, { minCount, maxLength, algorithm: "apriori" });
        expect(a).toEqual(e);
        for (const s of e.itemsets) expect(s.items.length).toBeLessThanOrEqual(maxLength);
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });

  it("frequentItemsets(random baskets, { closed / maximal }) matches the brute-force definitions", () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), (lists, minCount) => {
        const brute = bruteCounts(lists);
        const freq = [...brute].filter(([, c]) => c >= minCount).map(([k, c]) => ({ items: k.split(","), count: c }));
        const isSuper = (x: string[], y: string[]) => x.length > y.length && y.every((i) => x.includes(i));
        const closed = freq.filter((y) => !freq.some((x) => isSuper(x.items, y.items) && x.count === y.count));
        const maximal = freq.filter((y) => !freq.some((x) => isSuper(x.items, y.items)));
        expect(asMap(frequentItemsets(lists, { minCount, closed: true }).itemsets)).toEqual(asMap(closed));
        expect(asMap(frequentItemsets(lists, { minCount, maximal: true }).itemsets)).toEqual(asMap(maximal));
      }),
      { seed: 20261130, numRuns: 150 },
    );
  });
});

describe("associationRules (properties)", () => {
  it("associationRules(random itemsets) measures recompute from brute-force supports", () => {
    fc.assert(
      fc.property(basketsArb.filter((l) => l.length > 0), fc.integer({ min: 1, max: 3 }), fc.constantFrom<1 | "any">(1, "any"), (lists, minCount, consequentSize) => {
        const n = lists.length;
        const brute = bruteCounts(lists);
        const rules = associationRules(frequentItemsets(lists, { minCount }), { minConfidence: 0, consequentSize });
        let expectedCount = 0;
        for (const [k, c] of brute) {
          const size = k.split(",").length;
          if (c >= minCount && size >= 2) expectedCount += consequentSize === 1 ? size : 2 ** size - 2;
        }
        expect(rules).toHaveLength(expectedCount);
        for (const r of rules) {
          const z = [...r.antecedent, ...r.consequent].sort().join(",");
          const cz = brute.get(z)!;
          const cx = brute.get(r.antecedent.join(","))!;
          const cy = brute.get(r.consequent.join(","))!;
          const sz = cz / n, sx = cx / n, sy = cy / n;
          expect(r.count).toBe(cz);
          expect(r.antecedentCount).toBe(cx);
          expect(r.consequentCount).toBe(cy);
          expect(r.support).toBeCloseTo(sz, 12);
          expect(r.confidence).toBeCloseTo(cz / cx, 12);
          expect(r.lift).toBeCloseTo(sz / (sx * sy), 10);
          expect(r.leverage).toBeCloseTo(sz - sx * sy, 12);
          if (cz === cx) expect(r.conviction).toBe(Infinity);
          else expect(r.conviction).toBeCloseTo((1 - sy) / (1 - cz / cx), 10);
          const den = Math.max(sz * (1 - sx), sx * (sy - sz));
          expect(r.zhang).toBeCloseTo(den > 0 ? (sz - sx * sy) / den : 0, 10);
          expect(r.zhang).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(r.zhang).toBeLessThanOrEqual(1 + 1e-12);
          expect(r.kulczynski).toBeCloseTo((cz / cx + cz / cy) / 2, 12);
          expect(r.antecedent.some((a) => r.consequent.includes(a))).toBe(false);
        }
      }),
      { seed: 20261130, numRuns: 150 },
    );
  });

  it("associationRules(itemsets, { sortBy, top }) is the prefix of the full sorted list", () => {
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 0, max: 10 }), fc.constantFrom("lift", "confidence", "support", "conviction", "zhang") as fc.Arbitrary<"lift">, (lists, top, sortBy) => {
        const f = frequentItemsets(lists, { minCount: 1 });
        const all = associationRules(f, { minConfidence: 0.3, sortBy });
        expect(associationRules(f, { minConfidence: 0.3, sortBy, top })).toEqual(all.slice(0, top));
        for (let i = 1; i < all.length; i++) expect(all[i - 1][sortBy] >= all[i][sortBy] || Number.isNaN(all[i][sortBy] - all[i - 1][sortBy])).toBe(true);
      }),
      { seed: 20261130, numRuns: 100 },
    );
  });
});

describe("mineEclat (internal)", () => {
  it("mineEclat(baskets) finds the same itemsets without the pair-count matrix or the bitmaps (paths for many items, sparse items)", async () => {
    const { ItemsetSink, mineEclat } = await import("../../src/rules/mine.js");
    const dump = (sink: InstanceType<typeof ItemsetSink>) => {
      const out: string[] = [];
      for (let s = 0; s < sink.n; s++) out.push(`${[...sink.ids.subarray(sink.offsets[s], sink.offsets[s + 1])].sort((a, b) => a - b).join(",")}:${sink.counts[s]}`);
      return out.sort();
    };
    fc.assert(
      fc.property(basketsArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), (lists, minCount, maxLength) => {
        const b = toBaskets(lists);
        const withMatrix = new ItemsetSink(1e6, "t");
        mineEclat(b, minCount, maxLength, withMatrix);
        for (const tuning of [{ matrixLimit: 0 }, { bitmaps: false }, { matrixLimit: 0, bitmaps: false }]) {
          const other = new ItemsetSink(1e6, "t");
          mineEclat(b, minCount, maxLength, other, tuning);
          expect(dump(other)).toEqual(dump(withMatrix));
        }
      }),
      { seed: 20261130, numRuns: 150 },
    );
  });
});
