/**
 * Public surface of the `lifecycle` analytic: lifecycle stages (new, growth, maturity,
 * decline, churned; prospects from a list) from tenure, recency relative to the customer's own
 * cadence and the trend across recent windows; stage rules as data with a validator. See
 * `docs/lifecycle.md`.
 * @module
 */
export { lifecycleStages } from "./stages.js";
export type { LifecycleReport, LifecycleSettings, LifecycleStageRow, LifecycleStagesOptions, LifecycleStagesResult } from "./stages.js";
export { defaultLifecycleRules, validateLifecycleRules } from "./rules.js";
export type { LifecycleCell, LifecycleRule, LifecycleRuleCells, LifecycleRuleOverlap, LifecycleRulesReport, UnreachableLifecycleRule, LifecycleStage, RecencyLevel, RuleStage, TenureLevel, TrendLevel } from "./rules.js";
