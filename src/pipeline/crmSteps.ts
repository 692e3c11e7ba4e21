/**
 * The CRM manager's steps of `analyze`: customer profitability (profit zones, the whale curve,
 * ABC by profit), retention cohorts, and lifecycle stages.
 * @module
 */
import { SkipStep, type StepContext } from "./context.js";

/** Output of the `profitability` step. @category Pipeline */
export interface ProfitabilityStepOutput {
  /** Where profit came from (a cost column, a margin column, or the margin rate). */
  source: string;
}

/** Output of the `cohorts` step. @category Pipeline */
export interface CohortsStepOutput {
  /** Cohort length. */
  grain: string;
}

/** Output of the `lifecycle` step. @category Pipeline */
export interface LifecycleStepOutput {
  /** Customers per stage. */
  stages: { stage: string; count: number }[];
}

export const profitabilityStep = (_ctx: StepContext): ProfitabilityStepOutput => {
  throw new SkipStep("not built yet");
};

export const cohortsStep = (_ctx: StepContext): CohortsStepOutput => {
  throw new SkipStep("not built yet");
};

export const lifecycleStep = (_ctx: StepContext): LifecycleStepOutput => {
  throw new SkipStep("not built yet");
};
