/**
 * Customer value: classic (Berger & Nasr) CLV, Weibull retention, the three-dimensional CLV
 * model (CV + SV + IV) and Monte Carlo CLV. See `docs/value.md`.
 * @module
 */
export { bergerNasrClv, bergerNasrClvColumns } from "./bergerNasr.js";
export type { BergerNasrClvOptions, BergerNasrClvResult, BergerNasrClvColumns, BergerNasrClvColumnsResult } from "./bergerNasr.js";
export { fitWeibullRetention, weibullSurvival } from "./weibull.js";
export type { FitWeibullRetentionOptions, WeibullRetentionFit } from "./weibull.js";
export { sampleTriangular, sampleLognormal, sampleTruncatedNormal } from "./distributions.js";
export type { InputDistribution } from "./distributions.js";
export { monteCarloClv, monteCarloClvSync, monteCarloClvColumns, monteCarloClvColumnsSync } from "./monteCarlo.js";
export type {
  ScenarioClvModel,
  CustomerBehaviour,
  CustomerClvModel,
  CustomerClvColumns,
  CustomerClvColumnsResult,
  MonteCarloClvOptions,
  ClvDistribution,
  InputSensitivity,
  ScenarioClvResult,
  CustomerClv,
  CustomerClvResult,
} from "./monteCarlo.js";
export type { FutureValueSettings } from "./settings.js";
export { clv3d, clv3dColumns, spendGrowthColumn } from "./clv3d.js";
export type {
  Clv3dOptions,
  Clv3dRetention,
  Clv3dIndicator,
  Clv3dIndicatorInput,
  Clv3dDimensionScoring,
  Clv3dGroupCode,
  Clv3dCustomer,
  Clv3dGroupSummary,
  Clv3dTotals,
  Clv3dResult,
  Clv3dDimensionWeights,
  Clv3dColumns,
  Clv3dColumnIndicator,
  Clv3dColumnsOptions,
  Clv3dColumnScoring,
  SpendGrowthColumnOptions,
  Clv3dColumnsResult,
  Clv3dIntervalTables,
  Clv3dIndicatorTables,
  Clv3dDimensionWeightsInput,
  Clv3dValueWeights,
} from "./clv3d.js";
