import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { createRng } from "../../src/core/random.js";
import { associationRules, frequentItemsets, frequentItemsetTable, itemsetIdColumns, itemsetItems, itemsetsFromTable, readBaskets, toBaskets, type Baskets, type ItemsetTable } from "../../src/rules/index.js";

const GROCERIES = new URL("../../../shared/data/groceries/groceries.csv", import.meta.url).pathname;
const T10 = new URL("../../../shared/data/t10i4d100k/T10I4D100K.dat", import.meta.url).pathname;

const catchError = (f: () => unknown): any => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

/** Every row as "label+label:count", in row order. */
const rows = (t: ItemsetTable) => Array.from({ length: t.size }, (_, i) => `${itemsetItems(t, i).join("+")}:${t.count[i]}`);

/**
 * Dense, Mushroom-like baskets: every basket has one value of each of `attrs` attributes
 * ("a3=1"), the values driven by a latent class so that long itemsets are frequent.
 */
function denseBaskets(n: number, attrs: number, values: number, seed: number): string[][] {
  const rng = createRng(seed);
  const out: string[][] = [];
  for (let t = 0; t < n; t++) {
    const z = rng.next() < 0.6 ? 0 : 1;
    const basket: string[] = [];
    for (let a = 0; a < attrs; a++) {
      const v = rng.next() < 0.85 ? (z + a) % values : Math.floor(rng.next() * values);
      basket.push(`a${a}=${v}`);
    }
    out.push(basket);
  }
  return out;
}

/** Invariants of a prefix-tree table: parents first, lengths and counts consistent with them. */
function checkTree(t: ItemsetTable): void {
  for (let i = 0; i < t.size; i++) {
    const p = t.parent[i];
    expect(p).toBeLessThan(i);
    if (p < 0) {
      expect(t.itemsetLength[i]).toBe(1);
      expect(t.count[i]).toBe(t.itemCounts[t.item[i]]);
    } else {
      expect(t.itemsetLength[i]).toBe(t.itemsetLength[p] + 1);
      expect(t.count[i]).toBeLessThanOrEqual(t.count[p]);
    }
    expect(t.count[i]).toBeGreaterThanOrEqual(t.minCount);
  }
}

describe("frequentItemsetTable", () => {
  it("frequentItemsetTable(lists) gives the hand-computed prefix tree", () => {
    // Hand count over [a b c], [a b], [c b] at minCount 2: a 2, b 3, c 2, ab 2, bc 2, ac 1 (out), abc 1 (out).
    // Items are mined in ascending count (a, c, then b), so ab hangs under a and bc under c.
    const t = frequentItemsetTable([["a", "b", "c"], ["a", "b"], ["c", "b"]], { minCount: 2 });
    expect(rows(t)).toEqual(["a:2", "c:2", "b:3", "a+b:2", "b+c:2"]);
    expect(Array.from(t.parent)).toEqual([-1, -1, -1, 0, 1]);
    expect(Array.from(t.itemsetLength)).toEqual([1, 1, 1, 2, 2]);
    expect(t.basketCount).toBe(3);
    expect(t.maxLengthFound).toBe(2);
    expect(Array.from(t.itemCounts)).toEqual([2, 3, 2]);
  });

  it("frequentItemsetTable(lists, { minSupport: 0.6 }) gives the TSDoc example", () => {
    // Hand count: milk 3, bread 2, eggs 1; minSupport 0.6 of 3 baskets is a count of 2.
    const t = frequentItemsetTable([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"]], { minSupport: 0.6 });
    expect([t.size, Array.from(t.parent), Array.from(t.item).map((i) => t.items[i]), Array.from(t.count)]).toEqual([3, [-1, -1, 0], ["bread", "milk", "milk"], [2, 3, 2]]);
    expect(t.minCount).toBe(2);
  });

  it("itemsetIdColumns(table) and itemsetsFromTable(table) give the TSDoc examples", () => {
    const t = frequentItemsetTable([["a", "b", "c"], ["a", "b"], ["c", "b"]], { minCount: 2 });
    const { offsets, itemIds } = itemsetIdColumns(t);
    // Rows a, c, b, a+b, b+c with ids a=0, b=1, c=2 (hand-computed above).
    expect([Array.from(offsets), Array.from(itemIds)]).toEqual([
      [0, 1, 2, 3, 5, 7],
      [0, 2, 1, 0, 1, 1, 2],
    ]);
    const m = frequentItemsetTable([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"]], { minSupport: 0.6 });
    expect(itemsetsFromTable(m).itemsets.map((x) => `${x.items.join("+")}:${x.count}`)).toEqual(["milk:3", "bread:2", "bread+milk:2"]);
  });

  it("frequentItemsetTable(lists) mines a 4-item basket down to the full itemset", () => {
    // Hand count: {w x y z} twice and {w x} once; at minCount 2 all 15 subsets of wxyz are frequent.
    const t = frequentItemsetTable([["w", "x", "y", "z"], ["z", "y", "x", "w"], ["w", "x"]], { minCount: 2 });
    expect(t.size).toBe(15);
    expect(t.maxLengthFound).toBe(4);
    const full = rows(t).filter((r) => r.startsWith("w+x+y+z:"));
    expect(full).toEqual(["w+x+y+z:2"]);
    expect(rows(t)).toContain("w+x:3");
  });

  it("frequentItemsetTable(lists, { maxLength: 2 }) stops at pairs", () => {
    const t = frequentItemsetTable([["w", "x", "y", "z"], ["z", "y", "x", "w"]], { minCount: 2, maxLength: 2 });
    expect(t.size).toBe(10); // 4 items + 6 pairs
    expect(t.maxLengthFound).toBe(2);
  });

  it("frequentItemsetTable([]) and frequentItemsetTable(empty baskets) give an empty table", () => {
    for (const lists of [[], [[], []]]) {
      const t = frequentItemsetTable(lists, { minCount: 1 });
      expect(t.size).toBe(0);
      expect(t.maxLengthFound).toBe(0);
      expect(t.parent).toBeInstanceOf(Int32Array);
    }
  });

  it("frequentItemsetTable(frozen lists) does not modify its input", () => {
    const lists = Object.freeze([Object.freeze(["a", "b"]), Object.freeze(["b"])]);
    const t = frequentItemsetTable(lists, { minCount: 1 });
    expect(rows(t).sort()).toEqual(["a+b:1", "a:1", "b:2"]);
  });

  it("itemsetsFromTable(frequentItemsetTable(dense baskets)) equals the Apriori oracle (diffset path)", () => {
    // 600 baskets of 10 attributes with 3 values: dense enough that classes switch to diffsets.
    const b = toBaskets(denseBaskets(600, 10, 3, 7));
    for (const minSupport of [0.3, 0.15]) {
      const t = frequentItemsetTable(b, { minSupport });
      checkTree(t);
      expect(t.maxLengthFound).toBeGreaterThanOrEqual(4);
      expect(itemsetsFromTable(t)).toEqual(frequentItemsets(b, { minSupport, algorithm: "apriori" }));
    }
  });

  it("frequentItemsetTable(baskets) finds the same itemsets with every internal path (matrix or per-item pair counts, bitmaps, diffsets)", async () => {
    const { ItemsetTree, mineTree } = await import("../../src/rules/eclat.js");
    const dump = (b: Baskets, minCount: number, maxLength: number, tuning: object) => {
      const tree = new ItemsetTree(1e7, "t");
      mineTree(b, minCount, maxLength, tree, tuning);
      const t = { ...frequentItemsetTable([], {}), size: tree.n, parent: tree.parent, item: tree.item, count: tree.count, itemsetLength: tree.length, items: b.items };
      return rows(t).sort();
    };
    const lists = fc.array(fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { maxLength: 7 }), { maxLength: 60 });
    const dense = fc.integer({ min: 1, max: 1000 }).map((seed) => denseBaskets(80, 7, 2, seed));
    fc.assert(
      fc.property(fc.oneof(lists, dense), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 7 }), (ls, minCount, maxLength) => {
        const b = toBaskets(ls);
        const ref = dump(b, minCount, maxLength, { pairCounts: false, bitmaps: false, diffsets: false });
        for (const tuning of [{}, { matrixLimit: 0 }, { bitmaps: false }, { diffsets: false }, { pairCounts: false }, { matrixLimit: 0, bitmaps: false }]) {
          expect(dump(b, minCount, maxLength, tuning)).toEqual(ref);
        }
      }),
      { seed: 20261130, numRuns: 150 },
    );
  });

  it("itemsetIdColumns(table) lists each row's ids ascending, matching itemsetItems", () => {
    const t = frequentItemsetTable(denseBaskets(200, 6, 3, 3), { minSupport: 0.1 });
    const { offsets, itemIds } = itemsetIdColumns(t);
    expect(offsets).toHaveLength(t.size + 1);
    for (let i = 0; i < t.size; i++) {
      const ids = Array.from(itemIds.subarray(offsets[i], offsets[i + 1]));
      expect(ids).toHaveLength(t.itemsetLength[i]);
      expect(ids.map((id) => t.items[id])).toEqual(itemsetItems(t, i));
      for (let k = 1; k < ids.length; k++) expect(ids[k]).toBeGreaterThan(ids[k - 1]);
    }
  });

  describe("on the shared data sets", () => {
    let groceries: Baskets;
    let t10: Baskets;
    beforeAll(async () => {
      groceries = await readBaskets(GROCERIES);
      t10 = await readBaskets(T10, { format: "fimi" });
    });

    it("itemsetsFromTable(frequentItemsetTable(groceries)) equals frequentItemsets(groceries) at 0.001, with every filter", () => {
      const t = frequentItemsetTable(groceries, { minSupport: 0.001 });
      // R arules 1.7.13 eclat: 13,492 itemsets, longest 6 (groceries README).
      expect(t.size).toBe(13492);
      expect(t.maxLengthFound).toBe(6);
      checkTree(t);
      expect(itemsetsFromTable(t)).toEqual(frequentItemsets(groceries, { minSupport: 0.001 }));
      for (const o of [{ minLength: 2 }, { closed: true }, { maximal: true }]) expect(itemsetsFromTable(t, o)).toEqual(frequentItemsets(groceries, { minSupport: 0.001, ...o }));
    });

    it("associationRules(table) equals associationRules(frequentItemsets(...)) on Groceries and T10I4D100K", () => {
      // Groceries at 0.001, confidence 0.5: 5,668 rules (arules 1.7.13), 5,829 with any consequent size (mlxtend 0.25).
      const g = frequentItemsetTable(groceries, { minSupport: 0.001 });
      const fromTable = associationRules(g, { minConfidence: 0.5 });
      expect(fromTable).toHaveLength(5668);
      expect(fromTable).toEqual(associationRules(frequentItemsets(groceries, { minSupport: 0.001 }), { minConfidence: 0.5 }));
      expect(associationRules(g, { minConfidence: 0.5, consequentSize: "any" })).toHaveLength(5829);
      // T10I4D100K at 0.002, confidence 0.5: 36,071 rules (arules eclat, t10i4d100k README).
      const t = frequentItemsetTable(t10, { minSupport: 0.002 });
      const rt = associationRules(t, { minConfidence: 0.5, sortBy: "confidence" });
      expect(rt).toHaveLength(36071);
      expect(rt).toEqual(associationRules(frequentItemsets(t10, { minSupport: 0.002 }), { minConfidence: 0.5, sortBy: "confidence" }));
    });

    it("itemsetsFromTable(frequentItemsetTable(T10I4D100K)) equals frequentItemsets(T10I4D100K) at 0.002 and with maxLength 3", () => {
      const t = frequentItemsetTable(t10, { minSupport: 0.002 });
      // R arules 1.7.13 eclat: 13,255 itemsets, longest 9 (t10i4d100k README).
      expect(t.size).toBe(13255);
      expect(t.maxLengthFound).toBe(9);
      expect(itemsetsFromTable(t)).toEqual(frequentItemsets(t10, { minSupport: 0.002 }));
      expect(itemsetsFromTable(frequentItemsetTable(t10, { minSupport: 0.002, maxLength: 3 }))).toEqual(frequentItemsets(t10, { minSupport: 0.002, maxLength: 3 }));
    });
  });

  describe("errors", () => {
    it("frequentItemsetTable(lists, { minSupport: 0 }) throws InvalidOptionError naming minSupport", () => {
      const e = catchError(() => frequentItemsetTable([["a"]], { minSupport: 0 }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("minSupport");
      expect(e.message).toMatch(/^frequentItemsetTable: /);
    });

    it("frequentItemsetTable(lists, bad minCount / maxLength / maxItemsets) throws InvalidOptionError naming the option", () => {
      for (const [o, name] of [
        [{ minCount: 1.5 }, "minCount"],
        [{ maxLength: 0 }, "maxLength"],
        [{ maxItemsets: 0 }, "maxItemsets"],
      ] as const) {
        const e = catchError(() => frequentItemsetTable([["a"]], o));
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e.option).toBe(name);
      }
    });

    it("frequentItemsetTable(lists, { maxItemsets: 4 }) throws AnalyticsError BUDGET_EXCEEDED", () => {
      const e = catchError(() => frequentItemsetTable([["w", "x", "y", "z"]], { minCount: 1, maxItemsets: 4 }));
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("BUDGET_EXCEEDED");
      expect(frequentItemsetTable([["w", "x", "y", "z"]], { minCount: 1, maxItemsets: 15 }).size).toBe(15);
    });

    it("itemsetItems(table, out of range) and itemsetsFromTable(table, { minLength: 0 }) throw InvalidOptionError", () => {
      const t = frequentItemsetTable([["a"]], { minCount: 1 });
      expect(catchError(() => itemsetItems(t, 1)).option).toBe("row");
      expect(catchError(() => itemsetsFromTable(t, { minLength: 0 })).option).toBe("minLength");
    });
  });
});
