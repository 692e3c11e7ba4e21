/**
 * Probabilistic customer lifetime value: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma models
 * (fit, per-customer predictions, CLV), calibration/holdout validation, the discrete-time BG/BB,
 * and the contractual sBG and BdW retention models.
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
export { fitMbgNbd } from "./mbgnbd.js";
export type { MbgNbdModel, MbgNbdParams, FitMbgNbdOptions } from "./mbgnbd.js";
export {
  fitBgBb,
  bgBbExpectedTransactions,
  bgBbExpectedTransactionsCurve,
  bgBbProbabilityOfTransactions,
  bgBbProbabilityAlive,
  bgBbProbabilityAliveColumn,
  bgBbConditionalExpectedTransactions,
  bgBbConditionalExpectedTransactionsColumn,
  bgBbSummaries,
  bgBbSummariesFromLog,
  MAX_OPPORTUNITIES,
} from "./bgbb.js";
export type {
  BgBbParams,
  BgBbModel,
  BgBbCustomer,
  BgBbTableInput,
  FitBgBbOptions,
  BgBbExpectedTransactionsCurveOptions,
  BgBbProbabilityAliveOptions,
  BgBbConditionalExpectedTransactionsOptions,
  BgBbHistory,
  PeriodEvent,
  BgBbSummariesFromLogOptions,
  BgBbTransactionsCurve,
  BgBbCustomerPAlive,
  BgBbCustomerExpectedTransactions,
  BgBbSummariesFromLogResult,
} from "./bgbb.js";
export {
  fitSbg,
  fitBdw,
  retentionCurve,
  projectSurvivors,
  discountedExpectedResidualLifetime,
  discountedExpectedResidualLifetimeColumn,
  MAX_COHORT_PERIODS,
} from "./contractual.js";
export type {
  SbgParams,
  BdwParams,
  SbgModel,
  BdwModel,
  ContractualModel,
  CohortSurvivors,
  FitCohortOptions,
  FitSbgOptions,
  FitBdwOptions,
  RetentionCurve,
  RetentionCurveOptions,
  ProjectSurvivorsOptions,
  DiscountedExpectedResidualLifetimeOptions,
  ContractualCustomer,
  CustomerDerl,
} from "./contractual.js";
export {
  conditionalProbabilityOfPurchases,
  conditionalProbabilityOfPurchasesColumns,
  probabilityAliveAt,
  probabilityAliveAtColumn,
  discountedExpectedResidualTransactions,
  discountedExpectedResidualTransactionsColumn,
  expectedTransactionsTracking,
  purchaseCountFit,
} from "./forecast.js";
export type {
  ConditionalProbabilityOfPurchasesOptions,
  CustomerPurchasePmf,
  ProbabilityAliveAtOptions,
  DiscountedExpectedResidualTransactionsOptions,
  CustomerDert,
  ExpectedTransactionsTrackingOptions,
  TransactionsTracking,
  PurchaseCountFitOptions,
  PurchaseCountFit,
} from "./forecast.js";
export { predictionIntervals, predictionIntervalsParallel } from "./uncertainty.js";
export type { PredictionIntervalsOptions, PredictionIntervalsParallelOptions, PredictionIntervals, IntervalColumns, IntervalTotal } from "./uncertainty.js";
export { backtestTransactionModels } from "./backtest.js";
export type { BacktestWindow, BacktestTransactionModelsOptions, BacktestScore, BacktestWindowResult, BacktestResult } from "./backtest.js";
export { holdoutValidationChart, purchaseCountChart, frequencyRecencyGrid, expectedPurchasesMatrixChart, probabilityAliveMatrixChart, trackingChart, clvIntervalChart } from "./diagnostics.js";
export type { HoldoutValidationChartOptions, PurchaseCountChartInput, PurchaseCountChartOptions, FrequencyRecencyGridOptions, FrequencyRecencyCell, TrackingChartInput, TrackingChartOptions, ClvIntervalChartInput, ClvIntervalChartOptions } from "./diagnostics.js";
export {
  fitParetoNbdCovariates,
  fitBgNbdCovariates,
  individualParameters,
  probabilityAliveCovariatesColumn,
  conditionalExpectedPurchasesCovariatesColumn,
} from "./covariates.js";
export type {
  CovariateColumn,
  StaticCovariates,
  CovariateEffect,
  ParetoNbdCovariatesModel,
  BgNbdCovariatesModel,
  CovariatesModel,
  FitCovariatesOptions,
  FitParetoNbdCovariatesOptions,
  CovariatesData,
  IndividualParameters,
  ConditionalExpectedPurchasesCovariatesOptions,
} from "./covariates.js";
export { simulateTransactionClv } from "./montecarlo.js";
export type { SimulateTransactionClvOptions, SimulatedClv, SimulatedColumns, SimulatedTotal } from "./montecarlo.js";
