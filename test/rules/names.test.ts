/**
 * Item names (a description per item code) travel beside the codes: baskets, itemsets, rules,
 * recommendations and the rules CSV show them while every key stays a code.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  associationRules,
  associationRuleSet,
  basketsFromTable,
  buildRecommender,
  formatRule,
  frequentItemsets,
  frequentItemsetTable,
  InvalidOptionError,
  itemsetsFromTable,
  parseTransactionTable,
  nextBestItems,
  recommend,
  rulesCsv,
  toTransactionTable,
  type AssociationRule,
  type TransactionTable,
} from "../../src/index.js";

const A = "22111";
const B = "23171";
const C = "23172";
const NAMES: Record<string, string> = {
  [A]: "GIN + TONIC DIET METAL SIGN",
  [B]: "WHITE HANGING HEART T-LIGHT HOLDER",
  [C]: "RED, WHITE | BLUE BUNTING",
};

/** A table whose item column has names, as a reader with an item-name column gives it. */
function withNames(t: TransactionTable, nameOf: (label: string) => string): TransactionTable {
  const items = t.items;
  if (!items) throw new Error("fixture has no items");
  return { ...t, items: { ...items, names: items.labels.map(nameOf) } };
}

// Five orders of four customers:
//   o1 c1 {A, B}   o2 c2 {A, B, C}   o3 c3 {A}   o4 c3 {C}   o5 c4 {B, A}
// Counts over N = 5 baskets: A 4, B 3, C 2, AB 3, AC 1, BC 1, ABC 1.
const day = new Date("2024-03-01");
const raw = toTransactionTable([
  { customerId: "c1", date: day, amount: 10, orderId: "o1", items: [A, B] },
  { customerId: "c2", date: day, amount: 10, orderId: "o2", items: [A, B, C] },
  { customerId: "c3", date: day, amount: 10, orderId: "o3", items: [A] },
  { customerId: "c3", date: day, amount: 10, orderId: "o4", items: [C] },
  { customerId: "c4", date: day, amount: 10, orderId: "o5", items: [B, A] },
]);
const table = withNames(raw, (l) => NAMES[l]);

// Rules with a one-item consequent and confidence >= 0.5 (conf = count / antecedent count,
// lift = conf / (consequent count / 5)):
//   A => B   3/4 = 0.75, lift 0.75 / 0.6 = 1.25       B => A   3/3 = 1, lift 1 / 0.8 = 1.25
//   C => A   1/2 = 0.5,  lift 0.5 / 0.8 = 0.625       C => B   1/2 = 0.5, lift 0.5 / 0.6 = 0.8333
//   A,C => B 1/1 = 1,    lift 1 / 0.6 = 1.6667        B,C => A 1/1 = 1, lift 1 / 0.8 = 1.25
// (A => C 0.25, B => C 0.33, A,B => C 0.33 fail.) Six rules; by lift, ties by confidence then
// support: A,C => B; B => A (support 0.6); B,C => A (0.2); A => B (conf 0.75); C => B; C => A.
const expectedOrder = [`${A},${C} => ${B}`, `${B} => ${A}`, `${B},${C} => ${A}`, `${A} => ${B}`, `${C} => ${B}`, `${C} => ${A}`];

describe("basketsFromTable (item names)", () => {
  it("basketsFromTable(table with names) carries names aligned with the sorted item codes", () => {
    const b = basketsFromTable(table);
    expect(b.items).toEqual([A, B, C]);
    expect(b.names).toEqual([NAMES[A], NAMES[B], NAMES[C]]);
  });

  it("basketsFromTable(table without names) has no names", () => {
    expect(basketsFromTable(raw).names).toBeUndefined();
  });

  it("basketsFromTable keeps the first name of the codes that trim to one item; mapped and attribute items are named by their label", () => {
    const t = toTransactionTable([
      { customerId: "c1", date: day, amount: 1, orderId: "o1", items: [`${A} `], attributes: { band: "x" } },
      { customerId: "c2", date: day, amount: 1, orderId: "o2", items: [A, B] },
    ]);
    // Codes in order of first appearance: "22111 " (named first), "22111", "23171".
    const named = withNames(t, (l) => (l === `${A} ` ? "FIRST NAME" : `name of ${l}`));
    const b = basketsFromTable(named, { attributes: ["band"] });
    expect(b.items).toEqual([A, B, "band=x"]);
    expect(b.names).toEqual(["FIRST NAME", `name of ${B}`, "band=x"]);
    // B mapped to a category: the code's name does not describe the category.
    const m = basketsFromTable(named, { item: (l) => (l === B ? "HEARTS" : l) });
    expect(m.items).toEqual([A, "HEARTS"]);
    expect(m.names).toEqual(["FIRST NAME", "HEARTS"]);
  });
});

describe("associationRules (item names)", () => {
  it("associationRules(frequentItemsetTable(baskets with names)) gives the hand-computed rules, codes as keys and names beside them", () => {
    const rules = associationRules(frequentItemsetTable(basketsFromTable(table), { minCount: 1 }), { minConfidence: 0.5 });
    expect(rules.map((r) => `${r.antecedent} => ${r.consequent}`)).toEqual(expectedOrder);
    [5 / 3, 1.25, 1.25, 1.25, 5 / 6, 0.625].forEach((lift, k) => expect(rules[k].lift).toBeCloseTo(lift, 14));
    expect(rules.map((r) => r.confidence)).toEqual([1, 1, 1, 0.75, 0.5, 0.5]);
    for (const r of rules) {
      expect(r.antecedentNames).toEqual(r.antecedent.map((x) => NAMES[x]));
      expect(r.consequentNames).toEqual(r.consequent.map((x) => NAMES[x]));
    }
    expect(formatRule(rules[0])).toBe("{GIN + TONIC DIET METAL SIGN, RED, WHITE | BLUE BUNTING} => {WHITE HANGING HEART T-LIGHT HOLDER} (lift 1.67)");
  });

  it("the object path (frequentItemsets, itemsetsFromTable) carries the same names into the same rules", () => {
    const b = basketsFromTable(table);
    const viaTable = associationRules(frequentItemsetTable(b, { minCount: 1 }), { minConfidence: 0.5 });
    const viaObjects = associationRules(frequentItemsets(b, { minCount: 1 }), { minConfidence: 0.5 });
    const viaConversion = associationRules(itemsetsFromTable(frequentItemsetTable(b, { minCount: 1 })), { minConfidence: 0.5 });
    expect(viaObjects).toEqual(viaTable);
    expect(viaConversion).toEqual(viaTable);
    expect(frequentItemsets(b, { minCount: 1 }).names).toEqual([NAMES[A], NAMES[B], NAMES[C]]);
  });

  it("rules mined without names have no name fields", () => {
    const rules = associationRules(frequentItemsetTable(basketsFromTable(raw), { minCount: 1 }), { minConfidence: 0.5 });
    expect(rules).toHaveLength(6);
    for (const r of rules) expect("antecedentNames" in r || "consequentNames" in r).toBe(false);
  });
});

describe("item names from a retail export (parseTransactionTable with a Description column)", () => {
  it("rules mined from the table show the descriptions while the keys stay stock codes; the cancelled invoice is left out", () => {
    const line = (InvoiceNo: string, StockCode: string, Description: string, Quantity: string, CustomerID: string, day: string) => ({ InvoiceNo, StockCode, Description, Quantity, InvoiceDate: `2010-12-0${day} 08:26`, UnitPrice: "2.10", CustomerID, Country: "United Kingdom" });
    const { table: retail } = parseTransactionTable([
      line("536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "17850", "1"),
      line("536365", "22111", "GIN + TONIC DIET METAL SIGN", "2", "17850", "1"),
      line("536366", "85123A", "", "1", "13047", "2"),
      line("536366", "22111", "GIN + TONIC DIET METAL SIGN", "1", "13047", "2"),
      line("C536367", "22111", "GIN + TONIC DIET METAL SIGN", "-1", "13047", "3"),
      line("536368", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "3", "17850", "4"),
    ]);
    const b = basketsFromTable(retail);
    // Baskets (the C invoice is a return): {85123A, 22111} twice and {85123A}: N = 3.
    expect([b.count, b.items, b.names]).toEqual([3, ["22111", "85123A"], ["GIN + TONIC DIET METAL SIGN", "WHITE HANGING HEART T-LIGHT HOLDER"]]);
    // 22111 => 85123A: 2/2 = 1, lift 1 / (3/3) = 1; 85123A => 22111: 2/3, lift (2/3) / (2/3) = 1.
    const res = associationRuleSet(frequentItemsetTable(b, { minCount: 1 }), { minConfidence: 0.5 });
    expect([res.found, res.kept]).toEqual([2, 2]);
    expect(res.rules.map((r) => formatRule(r, { liftDigits: null }))).toEqual([
      "{GIN + TONIC DIET METAL SIGN} => {WHITE HANGING HEART T-LIGHT HOLDER}",
      "{WHITE HANGING HEART T-LIGHT HOLDER} => {GIN + TONIC DIET METAL SIGN}",
    ]);
    expect(res.rules.map((r) => [r.antecedent, r.consequent, r.confidence])).toEqual([
      [["22111"], ["85123A"], 1],
      [["85123A"], ["22111"], 2 / 3],
    ]);
  });
});

describe("associationRuleSet", () => {
  it("associationRuleSet(itemsets, { top: 2 }) says 6 rules found and 2 kept, the first 2 of associationRules", () => {
    const sets = frequentItemsetTable(basketsFromTable(table), { minCount: 1 });
    const res = associationRuleSet(sets, { minConfidence: 0.5, top: 2 });
    expect([res.found, res.kept]).toEqual([6, 2]);
    expect(res.rules).toEqual(associationRules(sets, { minConfidence: 0.5 }).slice(0, 2));
    const all = associationRuleSet(sets, { minConfidence: 0.5 });
    expect([all.found, all.kept, all.rules.length]).toEqual([6, 6, 6]);
    const none = associationRuleSet(sets, { minConfidence: 0.5, top: 0 });
    expect([none.found, none.kept, none.rules]).toEqual([6, 0, []]);
  });
});

describe("recommendations (item names)", () => {
  const rules = associationRules(frequentItemsetTable(basketsFromTable(table), { minCount: 1 }), { minConfidence: 0.5 });
  const rec = buildRecommender(rules);

  it("nextBestItems(recommender, table with names) names each recommended code", () => {
    // Only c3 ({A, C}) lacks an item that a firing rule points to: B, via A,C => B (conf 1),
    // A => B and C => B: 3 firing rules. c1, c2, c4 already have every consequent.
    const next = nextBestItems(rec, table);
    expect([...next.item.codes]).toEqual([-1, -1, 0, -1]);
    expect(next.item.values).toEqual([B]);
    expect(next.names).toEqual([NAMES[B]]);
    expect([next.score[2], next.ruleCount[2]]).toEqual([1, 3]);
  });

  it("nextBestItems(table without names) takes the names from the rules, and has none when neither has them", () => {
    expect(nextBestItems(rec, raw).names).toEqual([NAMES[B]]);
    const plain = buildRecommender(associationRules(frequentItemsetTable(basketsFromTable(raw), { minCount: 1 }), { minConfidence: 0.5 }));
    const next = nextBestItems(plain, raw);
    expect(next.item.values).toEqual([B]);
    expect(next.names).toBeUndefined();
  });

  it("recommend(recommender, history) gives the item's name beside its code", () => {
    expect(recommend(rec, [[A], [C]]).map((r) => [r.item, r.name, r.score, r.ruleCount])).toEqual([[B, NAMES[B], 1, 3]]);
  });
});

/** A small RFC 4180 reader for the checks below: rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (cell += c), i++;
    } else if (c === '"') (quoted = true), i++;
    else if (c === ",") row.push(cell), (cell = ""), i++;
    else if (c === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else (cell += c), i++;
  }
  if (cell !== "" || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

const rule = (antecedent: string[], consequent: string[], names?: [string[], string[]]): AssociationRule => ({
  antecedent,
  consequent,
  ...(names ? { antecedentNames: names[0], consequentNames: names[1] } : {}),
  support: 0.2,
  confidence: 0.5,
  lift: 0.625,
  leverage: -0.04,
  conviction: 0.4,
  zhang: -0.4,
  kulczynski: 0.375,
  count: 1,
  antecedentCount: 2,
  consequentCount: 4,
});

describe("rulesCsv", () => {
  it("rulesCsv(rules) writes each side as a JSON array that reads back to the same items, whatever separators the names hold", () => {
    const rules = associationRules(frequentItemsetTable(basketsFromTable(table), { minCount: 1 }), { minConfidence: 0.5 });
    const rows = parseCsv(rulesCsv(rules));
    expect(rows[0]).toEqual(["antecedent", "consequent", "antecedentNames", "consequentNames", "support", "confidence", "lift", "leverage", "conviction", "zhang", "kulczynski", "count", "antecedentCount", "consequentCount"]);
    expect(rows).toHaveLength(rules.length + 1);
    rules.forEach((r, k) => {
      const cells = rows[k + 1];
      expect(JSON.parse(cells[0])).toEqual(r.antecedent);
      expect(JSON.parse(cells[1])).toEqual(r.consequent);
      expect(JSON.parse(cells[2])).toEqual(r.antecedentNames);
      expect(JSON.parse(cells[3])).toEqual(r.consequentNames);
      expect(Number(cells[6])).toBe(r.lift);
      expect(cells[8]).toBe(r.conviction === Infinity ? "Infinity" : String(r.conviction));
    });
    // The first rule, A,C => B (conf 1, so conviction Infinity), read back by hand:
    expect(rows[1].slice(0, 4)).toEqual([`["${A}","${C}"]`, `["${B}"]`, '["GIN + TONIC DIET METAL SIGN","RED, WHITE | BLUE BUNTING"]', '["WHITE HANGING HEART T-LIGHT HOLDER"]']);
    expect(rows[1][8]).toBe("Infinity");
  });

  it("rulesCsv never starts a list cell with a formula character, and keeps quotes and formulas as text inside the array", () => {
    const csv = rulesCsv([rule(["=HYPERLINK(\"http://x\")", "-5"], ["@SUM(A1)"], [["+1 \"quoted\"", "a\nb"], ["\tTAB"]])]);
    const [, cells] = parseCsv(csv);
    for (const cell of cells.slice(0, 4)) expect(cell.startsWith("[")).toBe(true);
    expect(JSON.parse(cells[0])).toEqual(["=HYPERLINK(\"http://x\")", "-5"]);
    expect(JSON.parse(cells[2])).toEqual(["+1 \"quoted\"", "a\nb"]);
    expect(JSON.parse(cells[3])).toEqual(["\tTAB"]);
    expect(cells[7]).toBe("-0.04"); // a negative number stays a number
  });

  it("rulesCsv leaves the name columns out when no rule has names, and writes them on request (labels where a rule has none)", () => {
    const plain = [rule(["a"], ["b"])];
    expect(rulesCsv(plain).split("\n")[0]).toBe("antecedent,consequent,support,confidence,lift,leverage,conviction,zhang,kulczynski,count,antecedentCount,consequentCount");
    expect(parseCsv(rulesCsv(plain, { names: true }))[1].slice(0, 4)).toEqual(['["a"]', '["b"]', '["a"]', '["b"]']);
    expect(parseCsv(rulesCsv([rule(["a"], ["b"], [["A"], ["B"]])], { names: false }))[0]).toHaveLength(12);
    // No rules: the header alone, so a reader still finds the columns.
    expect(rulesCsv([])).toBe("antecedent,consequent,support,confidence,lift,leverage,conviction,zhang,kulczynski,count,antecedentCount,consequentCount\n");
  });

  it("rulesCsv round-trips any labels and names (fast-check, fixed seed)", () => {
    const label = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom("a", " ", ",", "+", "|", '"', "\n", "=", "-", "@", "é", "[", "]", "\\") });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.array(label, { minLength: 1, maxLength: 2 })), { maxLength: 5 }), (sides) => {
        const rules = sides.map(([x, y]) => rule(x, y, [x.map((s) => `N:${s}`), y.map((s) => `N:${s}`)]));
        const rows = parseCsv(rulesCsv(rules));
        expect(rows).toHaveLength(rules.length + 1);
        rules.forEach((r, k) => {
          expect(JSON.parse(rows[k + 1][0])).toEqual(r.antecedent);
          expect(JSON.parse(rows[k + 1][1])).toEqual(r.consequent);
          expect(JSON.parse(rows[k + 1][2])).toEqual(r.antecedentNames);
          expect(JSON.parse(rows[k + 1][3])).toEqual(r.consequentNames);
        });
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });

  describe("errors", () => {
    it("rulesCsv(not an array) and a bad names option throw InvalidOptionError naming the option", () => {
      try {
        rulesCsv("rules" as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("rules");
      }
      try {
        rulesCsv([], { names: "yes" as never });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("names");
      }
    });
  });
});

describe("formatRule", () => {
  it("formatRule(rule) shows names when the rule has them, labels otherwise, and the lift to 2 digits", () => {
    expect(formatRule(rule(["a", "b"], ["c"]))).toBe("{a, b} => {c} (lift 0.63)");
    expect(formatRule(rule(["a"], ["c"], [["Apple"], ["Cherry"]]), { liftDigits: 3 })).toBe("{Apple} => {Cherry} (lift 0.625)");
    expect(formatRule(rule(["a"], ["c"], [["Apple"], ["Cherry"]]), { names: false, liftDigits: null })).toBe("{a} => {c}");
  });

  it("formatRule(rule, { liftDigits: -1 }) throws InvalidOptionError naming liftDigits", () => {
    try {
      formatRule(rule(["a"], ["c"]), { liftDigits: -1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("liftDigits");
    }
  });
});
