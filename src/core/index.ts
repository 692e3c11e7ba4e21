/**
 * Core: typed records, errors, calendar-day time, seeded random numbers, validation of
 * in-memory rows, and the columnar form used internally.
 * @module
 */
export { AnalyticsError, InvalidOptionError, InvalidRecordError } from "./errors.js";
export { withDefaults, definedOnly } from "./options.js";
export type { AnalyticsErrorCode } from "./errors.js";
export type * from "./types.js";
export { epochDay, dayToDate, daysPerUnit, toEpochDay } from "./time.js";
export * from "./random.js";
export { parseTransactions, detectColumns } from "./ingest.js";
export type { AmountSource } from "./ingest.js";
export type { ToEpochDayOptions } from "./time.js";
export { isReturnAmount } from "./table.js";
export type {
  ColumnMapping,
  TransactionField,
  ParseTransactionsOptions,
  RejectReason,
  RejectedRow,
  IngestionReport,
  IngestionResult,
  DataFrameLike,
} from "./ingest.js";
export { parseTransactionTable, tableToTransactions } from "./tableIngest.js";
export type { TableIngestionResult } from "./tableIngest.js";
export { toTransactionColumns, toTransactionTable, isTransactionTable, groupByCustomer, fsum } from "./columns.js";
export type { TransactionColumns } from "./columns.js";
export type { TransactionTable, CustomerTable, CalibrationTable, DictionaryColumn, ItemListColumn } from "./table.js";
export type { DateFormat } from "./dates.js";
