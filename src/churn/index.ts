/**
 * Churn prediction: labelled datasets from transaction logs, CART / random forest / logistic /
 * histogram gradient boosting models, calibration on typed arrays, honest evaluation, at-risk lists with reasons (see `docs/churn.md`).
 * @module
 */
export { churnDataset, churnDatasetColumns } from "./dataset.js";
export type { ChurnDatasetColumns, ChurnDatasetOptions, ChurnDatasetReport, ChurnDatasetResult } from "./dataset.js";
export type { ChurnRow, ChurnValue } from "./table.js";
export { trainChurnModel, scoreChurn, churnRules, crossValidateChurn } from "./model.js";
export type {
  TrainChurnModelOptions,
  ChurnModel,
  SingleChurnModel,
  TreeChurnModel,
  ForestChurnModel,
  LogisticChurnModel,
  BoostingChurnModel,
  GroupedChurnModel,
  ChurnRule,
  ChurnRulesOptions,
  CrossValidateChurnOptions,
  ChurnCrossValidation,
} from "./model.js";
export type { TreeNodes, SplitCriterion } from "./tree.js";
export type { BoostingTree } from "./boosting.js";
export { churnPermutationImportance } from "./importance.js";
export type { ChurnPermutationImportanceOptions, ChurnPermutationImportance } from "./importance.js";
export { calibrateChurnModel, applyChurnCalibration, calibrationReport, isotonicFit, plattFit } from "./calibration.js";
export type { CalibrateChurnOptions, ChurnCalibration, ChurnCalibrator, CalibrationReport, ReliabilityBin } from "./calibration.js";
export type { LogisticFit } from "./logistic.js";
export { evaluateChurn, stratifiedSplit, stratifiedKFold } from "./evaluate.js";
export type {
  EvaluateChurnOptions,
  ChurnEvaluation,
  GainsRow,
  CalibrationBin,
  ConfusionMatrix,
  StratifiedSplitOptions,
  StratifiedKFoldOptions,
  ChurnSplit,
} from "./evaluate.js";
export { atRiskCustomers, aliveChurnScores } from "./atrisk.js";
export type { AtRiskCustomersOptions, AtRiskCustomer, AliveChurnScore } from "./atrisk.js";
export { trainChurnModelColumns, scoreChurnColumns } from "./columns.js";
export type { ChurnColumn, ChurnFeatureMatrix, TrainChurnModelColumnsOptions, ScoreChurnColumnsOptions } from "./columns.js";
export { atRiskByValue } from "./atRiskValue.js";
export type { AtRiskByValueOptions, AtRiskByValueCustomer, AtRiskByValueResult, AtRiskFeatureColumns, PerCustomer } from "./atRiskValue.js";
