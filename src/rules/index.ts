/**
 * Association rules for cross-selling: market baskets from transactions or files, frequent
 * itemsets (Eclat with diffsets, with a plain Apriori oracle; closed and maximal; as objects or
 * as a compact columnar prefix tree), rules with support, confidence, lift, leverage,
 * conviction, Zhang's metric and Kulczynski, and a rule index that recommends the next items
 * for a basket or a customer. Item codes stay the keys; human-readable item names travel
 * alongside when the source has them. See `docs/rules.md`.
 * @module
 */
export { basketsFrom, toBaskets } from "./baskets.js";
export { basketsFromTable, nextBestItems } from "./fromTable.js";
export type { NextBestItems, NextBestItemsOptions } from "./fromTable.js";
export type { Baskets, BasketsFromOptions } from "./baskets.js";
export { readBaskets } from "./read.js";
export type { BasketFileEncoding, ReadBasketsOptions } from "./read.js";
export { frequentItemsets } from "./mine.js";
export type { FrequentItemsets, FrequentItemsetsOptions, Itemset } from "./mine.js";
export { frequentItemsetTable, itemsetIdColumns, itemsetItems, itemsetsFromTable } from "./table.js";
export type { FrequentItemsetTableOptions, ItemsetIdColumns, ItemsetsFromTableOptions, ItemsetTable } from "./table.js";
export { associationRules, associationRuleSet } from "./rules.js";
export type { AssociationRule, AssociationRuleSet, AssociationRulesOptions, RuleAppearance, RuleMeasure } from "./rules.js";
export { formatRule, rulesCsv } from "./format.js";
export type { FormatRuleOptions, RulesCsvOptions } from "./format.js";
export { buildRecommender, recommend } from "./recommend.js";
export type { BuildRecommenderOptions, Recommendation, RecommendOptions, Recommender } from "./recommend.js";
