/**
 * Probabilistic customer lifetime value for non-contractual settings: BG/NBD, Pareto/NBD and
 * Gamma-Gamma models (fit, per-customer predictions, CLV) and calibration/holdout validation.
 * See `docs/clv.md`.
 * @module
 */
export { fitBgNbd } from "./bgnbd.js";
export type { BgNbdModel, BgNbdParams, FitBgNbdOptions } from "./bgnbd.js";
export { fitParetoNbd } from "./paretonbd.js";
export type { ParetoNbdModel, ParetoNbdParams, FitParetoNbdOptions } from "./paretonbd.js";
export { fitGammaGamma } from "./gammagamma.js";
export type { GammaGammaModel, GammaGammaParams, FitGammaGammaOptions } from "./gammagamma.js";
export type { ClvCustomer, ClvData, ClvTableInput, FitOptions, Convergence, Exclusion, ExclusionReason } from "./data.js";
export { toCalibrationTable } from "./table.js";
export {
  expectedPurchases,
  conditionalExpectedPurchases,
  probabilityAlive,
  probabilityOfPurchases,
  conditionalExpectedSpend,
  customerLifetimeValue,
  probabilityAliveColumn,
  conditionalExpectedPurchasesColumn,
  conditionalExpectedSpendColumn,
  customerLifetimeValueColumns,
} from "./predict.js";
export type {
  TransactionModel,
  CustomerExpectedPurchases,
  CustomerPAlive,
  CustomerExpectedSpend,
  ConditionalExpectedPurchasesOptions,
  CustomerLifetimeValueOptions,
  CustomerLifetimeValue,
  ProbabilityAliveColumnOptions,
  ConditionalExpectedPurchasesColumnOptions,
  ConditionalExpectedSpendColumnOptions,
  CustomerLifetimeValueColumnsOptions,
  CustomerLifetimeValueColumns,
} from "./predict.js";
export { calibrationHoldout, holdoutValidation } from "./holdout.js";
export type { CalibrationHoldoutOptions, CalibrationHoldoutRow, HoldoutValidationOptions, HoldoutValidationRow, HoldoutValidation } from "./holdout.js";
