/**
 * The one-call analysis, its output files and the offline HTML report.
 * @module
 */
export { analyze, STEP_NAMES } from "./analyze.js";
export { MONTE_CARLO_BUDGET } from "./valueSteps.js";
export type { AnalysisSettings } from "./context.js";
export type { ValueScoringOptions } from "./analyze.js";
export type { TransactionModelChoice } from "./steps.js";
export type { AnalyzeOptions, AnalysisResult, CustomerRow, CustomerNumberField, CustomerTextField, StepName, StepStatus, TableInput } from "./analyze.js";
export type { StepResults, RfmStepOutput, MatrixStepOutput, AbcStepOutput, ClvStepOutput, HoldoutCheck, FitSummary, RulesStepOutput, ClusterStepOutput, ClusterStepProfile } from "./steps.js";
export type { ChurnStepOutput } from "./churnStep.js";
export type { MigrationStepOutput } from "./migrationStep.js";
export type { CampaignStepOutput } from "./campaignStep.js";
export type { ProfitabilityStepOutput, CohortsStepOutput, LifecycleStepOutput, CohortRow, WhaleCurveSummary } from "./crmSteps.js";
export type { SurvivalStepOutput, SurvivalComparison, SurvivalCurveSummary } from "./survivalStep.js";
export type { ValueStepOutput, MonteCarloStepOutput } from "./valueSteps.js";
export type { ValueSummary, FutureValueEstimate } from "./valueSummary.js";
export { renderReport } from "./report.js";
export { analysisFiles, modelJson } from "./outputs.js";
export { customersCsvChunks, tableRows } from "./table.js";
export type { AnalysisTable, ResultColumn } from "./table.js";
export { escapeHtml } from "./html.js";
export { PRIVACY_MODE_DEFAULTS } from "./privacy.js";
export type { PrivacyModeOptions, PrivacyReport } from "./privacy.js";
