/**
 * Engines: the library's aggregations pushed down to a SQL engine where the data lives, with the
 * numbers of the in-process path: DuckDB (embedded, out of core) and ClickHouse (a server or a
 * cluster), opened from one string by `openTransactionSource`; see `docs/engines.md`.
 * @module
 */
export { openDuckDbSource, summarizeWithDuckDb, calibrationWithDuckDb, basketsWithDuckDb, basketsFromLinesWithDuckDb, readTransactionTableWithDuckDb } from "./duckdb.js";
export type {
  DuckDbSource,
  DuckDbSourceOptions,
  DuckDbSummarizeOptions,
  DuckDbCalibrationOptions,
  DuckDbBasketsOptions,
  DuckDbSummaryResult,
  BasketsFromLinesWithDuckDbOptions,
} from "./duckdb.js";
export { summarizeWithClickHouse, calibrationWithClickHouse, clickHouseSourceFromUri, clickHouseCalibrationSql, clickHouseIngestion, openClickHouseSource } from "./clickhouse.js";
export type { ClickHouseSourceOptions, ClickHouseSummarizeOptions, ClickHouseCalibrationOptions, OpenClickHouseSourceOptions, ClickHouseSource } from "./clickhouse.js";
export { openTransactionSource } from "./source.js";
export type { TransactionSource, TransactionSourceOptions } from "./source.js";
export { rfmScoreSql, bgNbdPAliveSql, bgNbdExpectedPurchasesSql, mbgNbdPAliveSql, mbgNbdExpectedPurchasesSql, gammaGammaSpendSql, clvSql, clvSeriesSql, churnScoreSql, clusterAssignSql } from "./score.js";
export type { SqlBgNbdParams, SqlGammaGammaParams, SqlClvColumns, SqlSeriesOptions, SqlClvOptions, SqlFeatureColumns } from "./score.js";
export { sampleCustomersWithDuckDb, trainOnSampleWithDuckDb } from "./sample.js";
export type {
  SampleStratum, DuckDbCustomerSource, DuckDbResourceOptions, SampleCustomersOptions, SampleStratumCount, SampleInfo, CustomerSample, TrainOnSampleOptions, TrainOnSampleResult,
} from "./sample.js";
