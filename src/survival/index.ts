/**
 * Survival analysis of customer lifetimes: Kaplan–Meier curves, the log-rank test, Cox
 * proportional hazards with its proportional-hazards check and predicted curves, and the bridge
 * from customer data to time-to-churn. Checked against R's `survival` package (see
 * `docs/survival.md`).
 * @module
 */
export { kaplanMeier, kaplanMeierByGroup, KAPLAN_MEIER_DEFAULTS, type KaplanMeierCurve, type KaplanMeierOptions, type ConfidenceType } from "./km.js";
export { logRankTest, type LogRankTest } from "./logrank.js";
export { coxPh, COX_PH_DEFAULTS, type CoxModel, type CoxPhOptions, type CoxTies, type CovariateColumns, type ChiSquareTest, type Concordance } from "./cox.js";
export { coxZph, COX_ZPH_DEFAULTS, type CoxZph, type CoxZphOptions, type ZphTest, type ZphTransform } from "./zph.js";
export { coxSurvival, COX_SURVIVAL_DEFAULTS, type CoxSurvivalCurve, type CoxSurvivalOptions } from "./predict.js";
export { churnSurvivalData, churnSurvivalFromTransactions, cohortLabels, CHURN_SURVIVAL_DEFAULTS, type ChurnSurvivalData, type ChurnSurvivalOptions, type ChurnEventTime } from "./customers.js";
export type { NumericColumn, GroupColumn } from "./data.js";
