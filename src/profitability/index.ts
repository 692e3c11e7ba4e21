/**
 * Public surface of the `profitability` analytic: profit per line (cost, margin or margin
 * rate), per-customer revenue, cost to serve and profit, the three profit zones, the whale
 * curve, and ABC classes by profit and by revenue. See `docs/profitability.md`.
 * @module
 */
export { customerProfitability, lineProfit } from "./profit.js";
export type { CustomerProfitabilityOptions, CustomerProfitabilityReport, CustomerProfitabilityResult, LineProfitOptions, LineProfitResult, ProfitabilityAbc, ProfitabilityTotals, ProfitSource, ProfitZone, ProfitZoneRow, UnlistedCustomers, UnmatchedKeys } from "./profit.js";
export { whaleCurve } from "./whale.js";
export type { WhaleBase, WhaleCurve } from "./whale.js";
