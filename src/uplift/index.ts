/**
 * Uplift modelling for retention campaigns: two-model and class-transformation learners on top
 * of the churn models, uplift and Qini curves with the areas under them, and seeded synthetic
 * experiments with a known effect (see `docs/uplift.md`).
 * @module
 */
export { trainUpliftModel, trainUpliftModelRows, predictUplift } from "./model.js";
export type { TrainUpliftModelOptions, TrainUpliftModelRowsOptions, UpliftLearnerOptions, UpliftModel } from "./model.js";
export { upliftCurve, qiniCurve, perfectUpliftCurve, perfectQiniCurve, curveArea, evaluateUplift } from "./curves.js";
export type { UpliftCurve, UpliftCurveSummary, UpliftEvaluation } from "./curves.js";
export { simulateUpliftExperiment } from "./simulate.js";
export type { SimulateUpliftExperimentOptions, SimulatedUpliftExperiment } from "./simulate.js";
