import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { associationRules, frequentItemsets, readBaskets, type Baskets } from "../../src/index.js";

const GROCERIES = new URL("../../../shared/data/groceries/groceries.csv", import.meta.url).pathname;

describe("frequentItemsets", () => {
  let groceries: Baskets;
  beforeAll(async () => {
    groceries = await readBaskets(GROCERIES);
  });

  it("readBaskets(groceries.csv) gives 9,835 baskets and 169 items after trimming", () => {
    // ../shared/data/groceries/README.md: 9,835 transactions, 169 items (171 without trimming).
    expect(groceries.count).toBe(9835);
    expect(groceries.items).toHaveLength(169);
    expect(groceries.items).toContain("cream cheese");
    expect(groceries.items).not.toContain("cream cheese ");
    // README: mean basket size 4.409, density 0.02609.
    expect(groceries.itemIds.length / groceries.count).toBeCloseTo(4.409, 3);
  });

  // Reference: R arules 1.7.13 apriori/eclat (groceries README and issue 7), exact counts.
  const table = [
    { minSupport: 0.01, minCount: 99, itemsets: 333, maxLen: 3, rules: 15, anyRules: 15 },
    { minSupport: 0.005, minCount: 50, itemsets: 1001, maxLen: 4, rules: 120, anyRules: 120 },
    { minSupport: 0.001, minCount: 10, itemsets: 13492, maxLen: 6, rules: 5668, anyRules: 5829 },
  ];
  for (const row of table) {
    it(`frequentItemsets(groceries, { minSupport: ${row.minSupport} }) gives ${row.itemsets} itemsets up to length ${row.maxLen} (arules 1.7.13)`, () => {
      const f = frequentItemsets(groceries, { minSupport: row.minSupport });
      expect(f.minCount).toBe(row.minCount);
      expect(f.itemsets).toHaveLength(row.itemsets);
      expect(f.maxLengthFound).toBe(row.maxLen);
      expect(Math.max(...f.itemsets.map((s) => s.items.length))).toBe(row.maxLen);
    });
    it(`associationRules(groceries at ${row.minSupport}, { minConfidence: 0.5 }) gives ${row.rules} rules, ${row.anyRules} with any consequent size (arules / mlxtend)`, () => {
      const f = frequentItemsets(groceries, { minSupport: row.minSupport });
      expect(associationRules(f, { minConfidence: 0.5 })).toHaveLength(row.rules);
      expect(associationRules(f, { minConfidence: 0.5, consequentSize: "any" })).toHaveLength(row.anyRules);
    });
  }

  it("associationRules(groceries at 0.001) ranks {Instant food products, soda} => {hamburger meat} first by lift 18.996", () => {
    // Groceries README: support 0.001220, confidence 0.6316, lift 18.9957 (arules, arulesViz vignette).
    const rules = associationRules(frequentItemsets(groceries, { minSupport: 0.001 }), { minConfidence: 0.5, top: 3 });
    expect(rules).toHaveLength(3);
    expect(rules[0].antecedent).toEqual(["Instant food products", "soda"]);
    expect(rules[0].consequent).toEqual(["hamburger meat"]);
    expect(rules[0].support).toBeCloseTo(0.00122, 6);
    expect(rules[0].confidence).toBeCloseTo(0.6316, 4);
    expect(rules[0].lift).toBeCloseTo(18.9957, 4);
    expect(rules[0].count).toBe(12);
  });

  it("frequentItemsets(groceries, { minSupport: 0.001, closed / maximal }) gives 13,464 closed and 7,794 maximal itemsets", () => {
    // Issue 7 reference figures (arules is.closed / is.maximal on the 13,492 itemsets), reproduced by
    // an independent Python Apriori over basket bitmaps: test/reference/rules_groceries_closed.py.
    const ref = JSON.parse(readFileSync(new URL("../reference/rules_groceries_closed.json", import.meta.url), "utf8"));
    expect([ref["0.001"].itemsets, ref["0.001"].closed, ref["0.001"].maximal]).toEqual([13492, 13464, 7794]);
    expect(frequentItemsets(groceries, { minSupport: 0.001, closed: true }).itemsets).toHaveLength(13464);
    expect(frequentItemsets(groceries, { minSupport: 0.001, maximal: true }).itemsets).toHaveLength(7794);
    // At 0.005 (not in the issue): every one of the 1,001 itemsets is closed, 708 are maximal (same script).
    expect([ref["0.005"].itemsets, ref["0.005"].closed, ref["0.005"].maximal]).toEqual([1001, 1001, 708]);
    expect(frequentItemsets(groceries, { minSupport: 0.005, closed: true }).itemsets).toHaveLength(1001);
    expect(frequentItemsets(groceries, { minSupport: 0.005, maximal: true }).itemsets).toHaveLength(708);
  });

  it("frequentItemsets(groceries, { algorithm: 'apriori' }) equals Eclat exactly at 0.005", () => {
    const a = frequentItemsets(groceries, { minSupport: 0.005, algorithm: "apriori" });
    const e = frequentItemsets(groceries, { minSupport: 0.005 });
    expect(a.itemsets).toEqual(e.itemsets);
  });

  it("frequentItemsets(groceries, { maxLength: 2 }) stops at pairs and keeps every singleton", () => {
    const f = frequentItemsets(groceries, { minSupport: 0.001, maxLength: 2 });
    const full = frequentItemsets(groceries, { minSupport: 0.001 });
    expect(f.maxLengthFound).toBe(2);
    expect(f.itemsets.length).toBe(full.itemsets.filter((s) => s.items.length <= 2).length);
  });
});
