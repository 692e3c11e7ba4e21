/**
 * Public surface of the `retention` analytic: period-to-period retention of the customer base,
 * acquisition cohort tables (tidy and matrix), and the retention estimates (survivor counts,
 * pooled curve, constant rate) that `bergerNasrClv` and the sBG model take. See
 * `docs/retention.md`.
 * @module
 */
export { cohortTable, periodRetention, retentionEstimates } from "./cohorts.js";
export type { CohortCell, CohortMatrix, CohortMembership, CohortSurvivorCounts, CohortTableResult, CohortTransition, PeriodRetentionResult, PeriodRetentionRow, PooledRetention, RetentionEstimates, RetentionEstimatesOptions, RetentionOptions, RetentionReport, SurvivalDefinition } from "./cohorts.js";
export type { PeriodGrain } from "./periods.js";
