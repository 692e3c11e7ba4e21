/**
 * Seeded synthetic data: a realistic store for demos, tests and benchmarks.
 * @module
 */
export * from "./generate.js";
