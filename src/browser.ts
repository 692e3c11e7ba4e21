/**
 * The browser build of the main entry: everything `customer-analytics` exports except the three
 * file readers (`readTransactions`, `readTransactionTable`, `readBaskets`), whose modules load
 * `node:fs` and friends. Bundlers pick it through the `"browser"` export condition (esbuild with
 * `--platform=browser`, Vite, webpack's web target); it is also `customer-analytics/browser`.
 * In a browser, read rows with `parseTransactions` / `parseTransactionTable` (objects, e.g. from
 * papaparse) or `fromDataFrame`. `test/packaging/exports.test.ts` keeps this list equal to the
 * main entry minus the readers.
 * @module
 */
export * from "./core/index.js";
export * from "./numeric/index.js";
export * from "./io/csv.js";
export * from "./io/dataframe.js";
export * from "./summary/index.js";
export * from "./synthetic/index.js";
export * from "./rfm/index.js";
export * from "./matrix/index.js";
export * from "./value/index.js";
export * from "./clv/index.js";
export * from "./churn/index.js";
// rules/index.js also loads the basket file reader: its modules one by one instead.
export { basketsFrom, toBaskets } from "./rules/baskets.js";
export { basketsFromTable, nextBestItems } from "./rules/fromTable.js";
export { frequentItemsets } from "./rules/mine.js";
export { frequentItemsetTable, itemsetIdColumns, itemsetItems, itemsetsFromTable } from "./rules/table.js";
export { associationRules, associationRuleSet } from "./rules/rules.js";
export { formatRule, rulesCsv } from "./rules/format.js";
export { buildRecommender, recommend } from "./rules/recommend.js";
export type * from "./rules/index.js";
export * from "./cluster/index.js";
export * from "./pipeline/index.js";
export * from "./survey/index.js";
export * from "./survival/index.js";
export * from "./profitability/index.js";
export * from "./retention/index.js";
export * from "./lifecycle/index.js";
export * from "./migration/index.js";
export * from "./cube/index.js";
export * from "./privacy/index.js";
export * from "./targeting/index.js";
export * from "./relationship/index.js";
export * from "./uplift/index.js";
export * from "./classify/index.js";
