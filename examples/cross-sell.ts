/**
 * Cross-selling on the Groceries baskets: frequent itemsets, association rules, and a
 * recommender that suggests the next items for a basket, with its per-call latency.
 *
 *   npx tsx examples/cross-sell.ts
 *
 * Data: ../shared/data/groceries/groceries.csv (9,835 baskets, 169 items, one basket per line).
 * Reference counts are R arules 1.7.13 (the data README): 13,492 itemsets at support 0.001 and
 * 5,668 rules at confidence 0.5. See docs/rules.md for the measures and conventions.
 */
import { associationRules, buildRecommender, frequentItemsets, readBaskets, recommend, type AssociationRule, type Recommendation } from "../src/index.js";
import { fmt, latency } from "./demo/format.js";

const GROCERIES = new URL("../../shared/data/groceries/groceries.csv", import.meta.url).pathname;

const ruleText = (r: AssociationRule) => `{${r.antecedent.join(", ")}} => {${r.consequent.join(", ")}}`;
const recText = (recs: Recommendation[]) => (recs.length === 0 ? "(none)" : recs.map((r) => `${r.item} ${fmt(r.score, 3)} (${r.ruleCount} rule${r.ruleCount === 1 ? "" : "s"})`).join(", "));

/** Print an aligned table, indented by two spaces; the first column left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  const line = (cells: string[]) => `  ${cells.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join("  ")}`;
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const t0 = performance.now();

  // 1. Baskets: one per line, comma-separated; labels are trimmed ("cream cheese " is "cream cheese").
  const baskets = await readBaskets(GROCERIES, { format: "csv-items" });
  const occurrences = baskets.offsets[baskets.count];
  console.log(`Baskets: ${baskets.count.toLocaleString("en-US")}, items: ${baskets.items.length}, mean basket size ${fmt(occurrences / baskets.count, 3)}`);

  // 2. Frequent itemsets and rules, compared with R arules.
  let t = performance.now();
  const itemsets = frequentItemsets(baskets, { minSupport: 0.001 });
  const mineMs = performance.now() - t;
  t = performance.now();
  const rules = associationRules(itemsets, { minConfidence: 0.5 });
  const rulesMs = performance.now() - t;
  const check = (ours: number, ref: number) => (ours === ref ? "same" : "DIFFERENT");
  console.log(`\nMining (minSupport 0.001 = at least ${itemsets.minCount} baskets; minConfidence 0.5):`);
  table(
    ["result", "ours", "R arules 1.7.13", "check", "time ms"],
    [
      ["frequent itemsets", itemsets.itemsets.length.toLocaleString("en-US"), "13,492", check(itemsets.itemsets.length, 13_492), fmt(mineMs, 1)],
      ["longest itemset", String(itemsets.maxLengthFound), "6", check(itemsets.maxLengthFound, 6), ""],
      ["rules (1-item consequent)", rules.length.toLocaleString("en-US"), "5,668", check(rules.length, 5_668), fmt(rulesMs, 1)],
    ],
  );
  if (itemsets.itemsets.length !== 13_492 || rules.length !== 5_668) process.exitCode = 1;

  // 3. The sharpest rules: top 10 by lift (the default sort order of associationRules).
  console.log("\nTop 10 rules by lift:");
  table(
    ["rule", "baskets", "support", "confidence", "lift"],
    rules.slice(0, 10).map((r) => [ruleText(r), String(r.count), fmt(r.support, 4), fmt(r.confidence, 3), fmt(r.lift, 2)]),
  );
  console.log(`  (arules' top rule: {Instant food products, soda} => {hamburger meat}, lift 18.9957; ours: ${ruleText(rules[0])}, lift ${fmt(rules[0].lift, 4)})`);

  // 4. Recommendations: build the index once, then each call is a lookup. Scored by confidence
  //    (the chance the item joins the basket) or by lift (how unusually likely the basket makes it).
  const byConfidence = buildRecommender(rules);
  const byLift = buildRecommender(rules, { scoreBy: "lift" });
  const basket = ["butter", "yogurt", "root vegetables"];
  console.log(`\nBasket [${basket.join(", ")}]:`);
  console.log(`  by confidence: ${recText(recommend(byConfidence, basket, { top: 3 }))}`);
  console.log(`  by lift:       ${recText(recommend(byLift, basket, { top: 3 }))}`);
  const [best] = recommend(byConfidence, basket, { top: 1 });
  if (best) console.log(`  why ${best.item}: ${best.rules.map((r) => `${ruleText(r)} (confidence ${fmt(r.confidence, 3)})`).join("; ")}`);

  // A basket no rule at confidence 0.5 fires for: fall back to a looser rule set (confidence 0.3).
  const small = ["whole milk", "yogurt"];
  const loose = buildRecommender(associationRules(itemsets, { minConfidence: 0.3 }));
  console.log(`\nBasket [${small.join(", ")}]:`);
  console.log(`  rules at confidence 0.5: ${recText(recommend(byConfidence, small, { top: 3 }))}`);
  console.log(`  fallback, ${loose.rules.length.toLocaleString("en-US")} rules at confidence 0.3: ${recText(recommend(loose, small, { top: 3 }))}`);

  // 5. Latency of one recommend call: the sample basket, and every real Groceries basket in turn.
  const real: string[][] = [];
  for (let b = 0; b < baskets.count; b++) {
    const items: string[] = [];
    for (let j = baskets.offsets[b]; j < baskets.offsets[b + 1]; j++) items.push(baskets.items[baskets.itemIds[j]]);
    real.push(items);
  }
  let answered = 0;
  for (const items of real) if (recommend(byConfidence, items, { top: 3 }).length > 0) answered++;
  const lSample = latency(() => recommend(byConfidence, basket, { top: 3 }));
  const lReal = latency((i) => recommend(byConfidence, real[i % real.length], { top: 3 }));
  console.log(`\nrecommend(top 3) latency over 10,000 calls (after 1,000 warm-up calls), ${rules.length.toLocaleString("en-US")} rules:`);
  table(
    ["basket", "mean µs", "p99 µs"],
    [
      [`[${basket.join(", ")}]`, fmt(lSample.mean, 1), fmt(lSample.p99, 1)],
      ["the Groceries baskets in turn", fmt(lReal.mean, 1), fmt(lReal.p99, 1)],
    ],
  );
  console.log(`  ${answered.toLocaleString("en-US")} of the ${real.length.toLocaleString("en-US")} Groceries baskets get at least one recommendation at confidence 0.5.`);

  console.log(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
