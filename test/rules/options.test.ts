/**
 * Options: an explicit `undefined` means the default in every function of the rules folder
 * (issue 16 item 4; code review 2.4 listed src/rules among the call sites that threw).
 */
import { describe, expect, it } from "vitest";
import {
  associationRules,
  associationRuleSet,
  basketsFrom,
  basketsFromTable,
  buildRecommender,
  formatRule,
  frequentItemsets,
  frequentItemsetTable,
  generateTransactions,
  itemsetsFromTable,
  nextBestItems,
  recommend,
  rulesCsv,
  toTransactionTable,
} from "../../src/index.js";

const tx = generateTransactions({ customers: 300, seed: 3, returnRate: 0.05 });
const table = toTransactionTable(tx);

describe("options: explicit undefined means the default (rules folder)", () => {
  it("basketsFrom and basketsFromTable with every key undefined equal the defaults (by order, returns left out)", () => {
    const undef = { by: undefined, item: undefined, attributes: undefined, includeReturns: undefined };
    expect(basketsFrom(tx, undef)).toEqual(basketsFrom(tx));
    expect(basketsFromTable(table, undef)).toEqual(basketsFromTable(table));
  });

  const baskets = basketsFromTable(table);
  const mining = { minSupport: 0.01 };

  it("frequentItemsets, frequentItemsetTable and itemsetsFromTable with undefined keys equal the defaults", () => {
    expect(frequentItemsets(baskets, { ...mining, minCount: undefined, minLength: undefined, maxLength: undefined, algorithm: undefined, closed: undefined, maximal: undefined, maxItemsets: undefined })).toEqual(frequentItemsets(baskets, mining));
    // minSupport undefined is the default 0.1, not "no filter".
    expect(frequentItemsetTable(baskets, { minSupport: undefined, minCount: undefined, maxLength: undefined, maxItemsets: undefined })).toEqual(frequentItemsetTable(baskets, { minSupport: 0.1 }));
    const t = frequentItemsetTable(baskets, mining);
    expect(itemsetsFromTable(t, { minLength: undefined, closed: undefined, maximal: undefined })).toEqual(itemsetsFromTable(t));
  });

  const sets = frequentItemsetTable(baskets, mining);
  const rulesUndef = { minConfidence: undefined, minLift: undefined, minLength: undefined, maxLength: undefined, consequentSize: undefined, appearance: undefined, sortBy: undefined, top: undefined, maxRules: undefined };

  it("associationRules and associationRuleSet with every key undefined equal the defaults (confidence 0.8, by lift)", () => {
    expect(associationRules(sets, rulesUndef)).toEqual(associationRules(sets));
    expect(associationRuleSet(sets, { ...rulesUndef, minConfidence: 0.3 })).toEqual(associationRuleSet(sets, { minConfidence: 0.3 }));
    for (const r of associationRules(sets, rulesUndef)) expect(r.confidence).toBeGreaterThanOrEqual(0.8);
  });

  const rules = associationRules(sets, { minConfidence: 0.2 });

  it("buildRecommender, recommend and nextBestItems with undefined keys equal the defaults", () => {
    expect(rules.length).toBeGreaterThan(0);
    const rec = buildRecommender(rules, { scoreBy: undefined });
    expect(rec.scoreBy).toBe("confidence");
    const basket = rules[0].antecedent;
    expect(recommend(rec, basket, { top: undefined, exclude: undefined, rulesPerItem: undefined })).toEqual(recommend(rec, basket));
    expect(nextBestItems(rec, table, { exclude: undefined, includeReturns: undefined })).toEqual(nextBestItems(rec, table));
  });

  it("formatRule and rulesCsv with undefined keys equal the defaults", () => {
    expect(formatRule(rules[0], { names: undefined, liftDigits: undefined })).toBe(formatRule(rules[0]));
    expect(formatRule(rules[0], { liftDigits: undefined })).toMatch(/\(lift \d+\.\d\d\)$/);
    expect(rulesCsv(rules, { names: undefined })).toBe(rulesCsv(rules));
  });
});
