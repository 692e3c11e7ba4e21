import { associationRules, basketsFrom, buildRecommender, frequentItemsets, recommend } from "../../src/index.js";
import type { DemoContext } from "./context.js";
import { fmt, heading, pct, printTable } from "./format.js";

/** Demo section: association rules for cross-selling, and recommendations for a basket and a customer. */
export default function rulesSection(ctx: DemoContext): void {
  const baskets = basketsFrom(ctx.transactions);
  const itemsets = frequentItemsets(baskets, { minSupport: 0.01 });
  const rules = associationRules(itemsets, { minConfidence: 0.3, minLift: 1.2 });
  heading("Association rules (cross-selling)");
  console.log(
    `${fmt(baskets.count, 0)} baskets (return lines skipped), ${baskets.items.length} items; ` +
      `${fmt(itemsets.itemsets.length, 0)} itemsets at support >= 1% (${itemsets.minCount} baskets); ${fmt(rules.length, 0)} rules at confidence >= 30%, lift >= 1.2`,
  );
  printTable(rules.slice(0, 8), [
    ["if the basket has", (r) => r.antecedent.join(" + ")],
    ["then also", (r) => r.consequent.join(" + ")],
    ["support", (r) => pct(r.support)],
    ["confidence", (r) => pct(r.confidence)],
    ["lift", (r) => fmt(r.lift)],
  ]);

  const recommender = buildRecommender(rules);
  const basket = ["pasta", "tomato sauce"];
  console.log(`\nNext items for the basket [${basket.join(", ")}]:`);
  printTable(recommend(recommender, basket, { top: 3 }), [
    ["item", (r) => r.item],
    ["confidence", (r) => pct(r.score)],
    ["best rule", (r) => `${r.rules[0].antecedent.join(" + ")} => ${r.rules[0].consequent.join(" + ")} (lift ${fmt(r.rules[0].lift)})`],
    ["rules", (r) => r.ruleCount],
  ]);

  // A customer's whole history as one basket.
  const first = ctx.transactions.find((t) => t.amount > 0 && (t.items?.length ?? 0) > 0);
  if (first) {
    const history = ctx.transactions.filter((t) => t.customerId === first.customerId && t.amount > 0).map((t) => t.items ?? []);
    const recs = recommend(recommender, history, { top: 3 });
    const bought = new Set(history.flat());
    console.log(`\nCustomer ${first.customerId} (${history.length} orders, ${bought.size} distinct items): ${recs.length ? recs.map((r) => `${r.item} (${pct(r.score)})`).join(", ") : "no rule fires"}`);
  }
}
