import { describe, expect, it } from "vitest";
import { basketsFrom, basketsFromTable, generateTransactions, InvalidOptionError, toTransactionTable, type Transaction } from "../../src/index.js";

describe("basketsFromTable", () => {
  const tx = generateTransactions({ customers: 800, seed: 5, returnRate: 0.1 });
  // Some lines without an order id: grouped by customer and day.
  const mixed: Transaction[] = tx.map((t, i) => (i % 7 === 0 ? { ...t, orderId: undefined } : t));
  const table = toTransactionTable(mixed);

  it("basketsFromTable(table) equals basketsFrom(records): same ids, items and baskets, by order, by customer, with attributes and returns", () => {
    for (const options of [{}, { by: "customer" as const }, { attributes: ["region", "ageBand"] }, { includeReturns: true }, { item: (l: string) => (l.startsWith("b") ? "b-things" : l) }]) {
      const a = basketsFrom(mixed, options);
      const b = basketsFromTable(table, options);
      expect(b.count, JSON.stringify(options)).toBe(a.count);
      expect(b.ids).toEqual(a.ids);
      expect(b.items).toEqual(a.items);
      expect([...b.offsets]).toEqual([...a.offsets]);
      expect([...b.itemIds]).toEqual([...a.itemIds]);
    }
  });

  it("basketsFromTable leaves out return lines by default (hand case) and rejects an unknown by", () => {
    const t = toTransactionTable([
      { customerId: "c1", date: new Date("2024-01-02"), amount: 5, orderId: "o1", items: ["milk", "bread"] },
      { customerId: "c1", date: new Date("2024-01-02"), amount: -2, orderId: "R1", items: ["milk"] },
    ]);
    expect(basketsFromTable(t).count).toBe(1);
    expect(basketsFromTable(t, { includeReturns: true }).count).toBe(2);
    expect(() => basketsFromTable(t, { by: "week" as never })).toThrow(InvalidOptionError);
  });
});

describe("nextBestItems", () => {
  it("nextBestItems(recommender, table) picks, for every customer, what recommend(recommender, history, { top: 1 }) picks, with the same score", async () => {
    const { associationRules, buildRecommender, frequentItemsets, nextBestItems, recommend } = await import("../../src/index.js");
    const tx = generateTransactions({ customers: 1500, seed: 9, returnRate: 0.1 });
    const table = toTransactionTable(tx);
    const itemsets = frequentItemsets(basketsFromTable(table), { minSupport: 0.005 });
    const rules = associationRules(itemsets, { minConfidence: 0.2 });
    expect(rules.length).toBeGreaterThan(50);
    for (const scoreBy of ["confidence", "lift"] as const) {
      const rec = buildRecommender(rules, { scoreBy });
      const next = nextBestItems(rec, table, { exclude: ["beer"] });
      const histories = new Map<string, string[][]>();
      for (const t of tx) if (t.amount >= 0 && t.items && t.items.length > 0) histories.set(t.customerId, [...(histories.get(t.customerId) ?? []), t.items as string[]]);
      let withItem = 0;
      for (let c = 0; c < table.ids.length; c++) {
        const [best] = recommend(rec, histories.get(table.ids[c]) ?? [], { top: 1, exclude: ["beer"] });
        const code = next.item.codes[c];
        if (!best) {
          expect(code, table.ids[c]).toBe(-1);
          continue;
        }
        withItem++;
        expect(next.item.values[code], table.ids[c]).toBe(best.item);
        expect(next.score[c]).toBe(best.score);
        expect(next.ruleCount[c]).toBe(best.ruleCount);
      }
      expect(withItem).toBeGreaterThan(500);
    }
  });
});
