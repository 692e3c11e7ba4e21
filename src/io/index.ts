/**
 * Input and output: files (CSV, JSON, NDJSON) and DataFrames. The only module that touches the
 * file system, and only when given a path (`node:fs` is loaded on demand).
 * @module
 */
export * from "./read.js";
export { readTransactionTable } from "./readTable.js";
export type { ReadTransactionTableOptions } from "./readTable.js";
export * from "./dataframe.js";
export * from "./csv.js";
