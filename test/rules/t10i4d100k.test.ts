import { beforeAll, describe, expect, it } from "vitest";
import { associationRules, frequentItemsets, readBaskets, type Baskets } from "../../src/index.js";

const T10 = new URL("../../../shared/data/t10i4d100k/T10I4D100K.dat", import.meta.url).pathname;

describe("frequentItemsets on T10I4D100K", () => {
  let t10: Baskets;
  beforeAll(async () => {
    t10 = await readBaskets(T10, { format: "fimi" });
  });

  it("readBaskets(T10I4D100K.dat, { format: 'fimi' }) gives 100,000 baskets of 870 items", () => {
    // ../shared/data/t10i4d100k/README.md: 100,000 transactions, 870 distinct items.
    expect(t10.count).toBe(100000);
    expect(t10.items).toHaveLength(870);
  });

  // Reference: R arules 1.7.13 eclat (t10i4d100k README), itemsets, max length, rules conf >= 0.5.
  // All four levels are mined here (about 0.5 s in total on the 2-core machine); speed lives in benchmarks/rules.
  const table = [
    { minSupport: 0.01, itemsets: 385, maxLen: 3, rules: 6 },
    { minSupport: 0.005, itemsets: 1073, maxLen: 5, rules: 607 },
    { minSupport: 0.002, itemsets: 13255, maxLen: 9, rules: 36071 },
    { minSupport: 0.001, itemsets: 27532, maxLen: 10, rules: 72054 },
  ];
  for (const row of table) {
    it(`frequentItemsets(T10I4D100K, { minSupport: ${row.minSupport} }) gives ${row.itemsets} itemsets, max length ${row.maxLen}, ${row.rules} rules (arules eclat)`, () => {
      const f = frequentItemsets(t10, { minSupport: row.minSupport });
      expect(f.itemsets).toHaveLength(row.itemsets);
      expect(f.maxLengthFound).toBe(row.maxLen);
      expect(associationRules(f, { minConfidence: 0.5 })).toHaveLength(row.rules);
    });
  }
});
