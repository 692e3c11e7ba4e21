import { atRiskCustomers, churnDataset, churnRules, evaluateChurn, scoreChurn, stratifiedSplit, trainChurnModel } from "../../src/index.js";
import type { DemoContext } from "./context.js";
import { fmt, heading, pct, printTable } from "./format.js";

/** Days of silence after the cutoff that count as churn in the demo. */
const WINDOW = 180;

/** Demo section: a labelled churn table, three models compared on a held-out set, the gains table, the tree's rules and today's at-risk list. */
export default function churnSection(ctx: DemoContext): void {
  const asOfMs = Date.parse(`${ctx.asOf}T00:00:00Z`);
  const cutoff = new Date(asOfMs - WINDOW * 86_400_000).toISOString().slice(0, 10);
  heading(`Churn: features to ${cutoff}, churned = no purchase in the next ${WINDOW} days`);
  const ds = churnDataset(ctx.transactions, { cutoff, churnWindowDays: WINDOW, dataEnd: ctx.asOf });
  const r = ds.report;
  console.log(`customers ${fmt(r.rows, 0)}, churned ${fmt(r.churned, 0)} (${pct(r.churned / Math.max(1, r.rows))}); first seen after the cutoff (excluded) ${fmt(r.excludedNotYetCustomers[0], 0)}`);
  if (r.churned === 0 || r.churned === r.rows) {
    console.log("one class only: nothing to learn");
    return;
  }
  const { train, test } = stratifiedSplit(ds.rows, { testFraction: 0.3, seed: ctx.seed });
  const y = test.map((x) => x.churned === true);
  const minLeaf = Math.max(20, Math.round(train.length / 40));
  const tree = trainChurnModel(train, { model: "tree", maxDepth: 3, minSamplesLeaf: minLeaf });
  const logistic = trainChurnModel(train, { model: "logistic" });
  const forest = trainChurnModel(train, { model: "forest", trees: 100, minSamplesLeaf: 5, seed: ctx.seed });
  const evals = [
    { name: "recency only", e: evaluateChurn(y, test.map((x) => x.recency_days as number)) },
    { name: `tree (depth 3, min leaf ${minLeaf})`, e: evaluateChurn(y, scoreChurn(tree, test)) },
    { name: "logistic (L2)", e: evaluateChurn(y, scoreChurn(logistic, test)) },
    { name: "forest (100 trees)", e: evaluateChurn(y, scoreChurn(forest, test)) },
  ];
  console.log(`\nHeld-out test set: ${fmt(test.length, 0)} customers (stratified 30%, seed ${ctx.seed})`);
  printTable(evals, [
    ["model", (x) => x.name],
    ["ROC AUC", (x) => fmt(x.e.rocAuc, 3)],
    ["PR AUC", (x) => fmt(x.e.prAuc, 3)],
    ["Brier", (x) => fmt(x.e.brier, 3)],
    ["top-decile lift", (x) => fmt(x.e.topLift, 2)],
  ]);

  console.log("\nGains table (logistic, test set): customers ranked by churn probability, in deciles");
  printTable(evals[2].e.gains, [
    ["decile", (g) => g.group],
    ["customers", (g) => g.n],
    ["churned", (g) => g.churned],
    ["churn rate", (g) => pct(g.rate)],
    ["lift", (g) => fmt(g.lift, 2)],
    ["cum. capture", (g) => pct(g.cumulativeCapture)],
  ]);

  console.log("\nTree rules (training set), highest churn first:");
  for (const rule of churnRules(tree).slice(0, 5)) console.log(`  ${rule.text}`);

  const today = churnDataset(ctx.transactions, { cutoff: ctx.asOf, labels: false });
  console.log(`\nTop 10 at-risk customers today (${ctx.asOf}), tree model, value = past net spend:`);
  printTable(atRiskCustomers(tree, today.rows, { top: 10 }), [
    ["#", (c) => c.rank],
    ["customer", (c) => c.customerId],
    ["P(churn)", (c) => fmt(c.probability, 2)],
    ["spend", (c) => fmt(c.value, 2)],
    ["reason", (c) => c.reason],
  ]);
}
