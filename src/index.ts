/**
 * customer-analytics: customer analytics and segmentation over typed transaction records.
 *
 * Every analytic is also available on its own subpath (`customer-analytics/rfm`, ...).
 * @module
 */
export * from "./core/index.js";
export * from "./numeric/index.js";
export * from "./io/index.js";
export * from "./summary/index.js";
export * from "./synthetic/index.js";
export * from "./rfm/index.js";
export * from "./matrix/index.js";
export * from "./value/index.js";
export * from "./clv/index.js";
export * from "./churn/index.js";
export * from "./rules/index.js";
export * from "./cluster/index.js";
export * from "./pipeline/index.js";
export * from "./survey/index.js";
export * from "./survival/index.js";
export * from "./profitability/index.js";
export * from "./retention/index.js";
export * from "./lifecycle/index.js";
export * from "./engine/index.js";
export * from "./migration/index.js";
export * from "./cube/index.js";
export * from "./privacy/index.js";
export * from "./targeting/index.js";
export * from "./relationship/index.js";
export * from "./uplift/index.js";
export * from "./classify/index.js";
