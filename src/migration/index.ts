/**
 * Public surface of the `migration` analytic: transition matrices between two per-customer
 * state columns (RFM segments, value groups, clusters, lifecycle stages) at two analysis dates,
 * the customers who moved between two named states, RFM segments at two dates from one log,
 * and the Markov-chain customer value of Pfeifer & Carraway (2000). See `docs/migration.md`.
 * @module
 */
export { transitionMatrix, migrationMovers, stateColumn, CUSTOMER_TABLE_FEATURES, TRANSITION_MATRIX_DEFAULTS } from "./transitions.js";
export type { StateColumn, TransitionMatrix, TransitionMatrixOptions, FeatureTable, MoverFeatureColumns, MigrationMoversOptions, FeatureChange, Mover } from "./transitions.js";
export { rfmSegmentsAt, rfmMigration, RFM_SEGMENTS_AT_DEFAULTS } from "./rfm.js";
export type { RfmSegmentsAt, RfmSegmentsAtOptions, RfmMigrationOptions, RfmMigrationResult } from "./rfm.js";
export { markovCustomerValue, markovModelFromTransitions, recencyTransitions, MARKOV_CUSTOMER_VALUE_DEFAULTS } from "./markov.js";
export type { MarkovChainModel, MarkovCustomerValue, MarkovCustomerValueOptions, MarkovModelFromTransitionsOptions, MarkovModelFromTransitionsResult } from "./markov.js";
