import type { CustomerSummary, Transaction } from "../core/types.js";
import type { CustomerRow, StepName } from "./analyze.js";

/** Thrown by a step whose input is missing: the step is skipped with the reason. @internal */
export class SkipStep extends Error {}

/** What a step receives. @internal */
export interface StepContext {
  transactions: readonly Transaction[];
  summaries: readonly CustomerSummary[];
  asOf: string;
  seed: number;
  rows: Map<string, CustomerRow>;
  results: Partial<Record<StepName, unknown>>;
  lines: string[];
}

/** A pipeline step: fills `ctx.rows` fields and returns its output. @internal */
export type Step = (ctx: StepContext) => unknown | Promise<unknown>;
