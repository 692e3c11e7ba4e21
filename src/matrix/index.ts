/**
 * Public surface of the `matrix` analytic: the customer behaviour matrix (purchase count x
 * average purchase amount).
 * @module
 */
export { behaviorMatrix, behaviorMatrixColumns, BEHAVIOR_QUADRANT_LABELS } from "./behavior.js";
export type {
  BehaviorMatrixColumnsInput,
  BehaviorMatrixColumnsOptions,
  BehaviorMatrixColumnsResult,
  BehaviorMatrixInput,
  BehaviorMatrixOptions,
  BehaviorMatrixRecord,
  BehaviorMatrixResult,
  BehaviorQuadrant,
  BehaviorQuadrantSummary,
  BehaviorThreshold,
  BehaviorThresholds,
} from "./behavior.js";
