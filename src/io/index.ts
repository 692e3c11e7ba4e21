/**
 * Input and output: files (CSV and other delimited text, JSON, NDJSON, Excel `.xlsx`, Parquet)
 * and DataFrames. The only module that touches the file system, and only when given a path
 * (`node:fs` is loaded on demand; `exceljs` and `hyparquet` too, for their formats).
 * @module
 */
export * from "./read.js";
export { readTransactionTable } from "./readTable.js";
export type { FileFormat, ReadTransactionTableOptions, TextEncoding } from "./readTable.js";
export * from "./dataframe.js";
export * from "./csv.js";
