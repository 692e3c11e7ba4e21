/**
 * One entry point for the engines: a transaction source named by a string (a file path, glob or
 * folder for DuckDB; a `clickhouse://` address for ClickHouse), opened with the reader's
 * options, giving the same interface whichever engine reads it. This is what the command-line
 * tool's `--source` calls.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import type { IngestionReport } from "../core/ingest.js";
import type { CalibrationTable, TransactionTable } from "../core/table.js";
import { clickHouseSourceFromUri, openClickHouseSource, type ClickHouseSourceOptions } from "./clickhouse.js";
import { openDuckDbSource, type DuckDbCalibrationOptions, type DuckDbSourceOptions, type DuckDbSummarizeOptions, type DuckDbSummaryResult } from "./duckdb.js";

/**
 * Options of {@link openTransactionSource}: the DuckDB source options (the in-process reader's
 * validation options and DuckDB's resources) and, for a ClickHouse source, its extras.
 * @category Engines
 */
export interface TransactionSourceOptions extends DuckDbSourceOptions, Pick<ClickHouseSourceOptions, "shards" | "user" | "password"> {
  /** ClickHouse only: the column holding the row number in the log's order (examples, strict-mode errors, same-day order ties). Default: none. */
  rowColumn?: string;
}

/**
 * A transaction source opened in an engine: its ingestion report, the summaries computed where
 * the data is, and (for data that fits in memory) the accepted rows as a `TransactionTable`.
 * @category Engines
 */
export interface TransactionSource {
  /** Which engine reads the source. */
  readonly engine: "duckdb" | "clickhouse";
  /** Accounting of every row read, as `readTransactionTable` reports it. */
  readonly ingestion: IngestionReport;
  /** The customer summary (`summarizeCustomersTable`'s numbers). */
  summarize(options?: DuckDbSummarizeOptions): Promise<DuckDbSummaryResult>;
  /** The calibration summary (`calibrationTable`'s numbers). */
  calibration(options?: DuckDbCalibrationOptions): Promise<CalibrationTable>;
  /** The accepted rows in memory (what `readTransactionTable` returns; ClickHouse: customer, day, amount and order only). */
  table(): Promise<TransactionTable>;
  /** Release the engine's resources. */
  close(): void;
}

/** Options that only a file source can honour (ClickHouse's columns are typed). */
const FILE_ONLY = ["format", "delimiter", "header", "names", "itemSeparator", "memoryLimit", "threads", "tempDirectory", "keepAttributes"] as const;

/**
 * Open a transaction source for the engines from a string: `clickhouse://[user[:password]@]host[:port]/[db.]table`
 * (or `clickhouses://` for HTTPS) opens a ClickHouse table ({@link openClickHouseSource}:
 * columns given or detected, typed rows checked and counted); anything else is a file path, a
 * glob or a folder of Parquet files read by DuckDB ({@link openDuckDbSource}: the in-process
 * reader's validation options and report). Both give the same {@link TransactionSource}.
 *
 * @param source - a `clickhouse://` address, or a path, glob or folder.
 * @param options - see {@link TransactionSourceOptions}; `columns`, `mode`, `cancellationPrefix`, `maxExamples`, and (for `String` columns) `dateFormat`, `timeZone`, `decimal` apply to both engines.
 * @returns the open source; call `close()` when done.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for a bad address or option (a file-reading option such as `delimiter` given with a ClickHouse source).
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api` (files); `IO_ERROR` for an unreadable file, an unreachable server or a missing table.
 * @example
 * ```ts
 * const src = await openTransactionSource("../shared/data/cdnow/CDNOW_sample.txt", {
 *   delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD", threads: 1,
 * });
 * const { customers } = await src.summarize({ asOf: "1998-06-30" });
 * src.close();
 * [src.engine, src.ingestion.rowsRead, customers.length];
 * //=> ["duckdb", 6919, 2357]
 * ```
 * @category Engines
 */
export async function openTransactionSource(source: string, options: TransactionSourceOptions = {}): Promise<TransactionSource> {
  const fn = "openTransactionSource";
  if (typeof source !== "string" || source.length === 0) throw new InvalidOptionError(fn, "source", source, "a file path, a glob, a folder, or clickhouse://host:port/db.table");
  if (/^clickhouses?:\/\//i.test(source)) {
    for (const k of FILE_ONLY) {
      // The defaults (header: true, keepAttributes: true) are no request: a CLI may always pass them.
      if (options[k] !== undefined && !((k === "header" || k === "keepAttributes") && options[k] === true)) {
        throw new InvalidOptionError(fn, k, options[k], `no ${k}: a ClickHouse source is a table, not a file`);
      }
    }
    if (options.duplicates === "drop") throw new InvalidOptionError(fn, "duplicates", options.duplicates, '"keep" (duplicates are counted, not dropped, in a ClickHouse source)');
    const at = clickHouseSourceFromUri(source);
    const m = options.columns ?? {};
    const src = await openClickHouseSource({
      ...at,
      ...(options.user !== undefined ? { user: options.user } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.shards !== undefined ? { shards: options.shards } : {}),
      ...(options.cancellationPrefix !== undefined ? { cancellationPrefix: options.cancellationPrefix } : {}),
      ...(options.maxExamples !== undefined ? { maxExamples: options.maxExamples } : {}),
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      // For String date and amount columns, validated as the in-process reader validates text.
      ...(options.dateFormat !== undefined ? { dateFormat: options.dateFormat } : {}),
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      ...(options.decimal !== undefined ? { decimal: options.decimal } : {}),
      columns: {
        ...(m.customerId !== undefined ? { customerId: m.customerId } : {}),
        ...(m.date !== undefined ? { date: m.date } : {}),
        ...(m.amount !== undefined ? { amount: m.amount } : {}),
        ...(m.orderId !== undefined ? { orderId: m.orderId } : {}),
        ...(options.rowColumn !== undefined ? { row: options.rowColumn } : {}),
      },
    });
    return {
      engine: "clickhouse",
      ingestion: src.ingestion,
      summarize: (o = {}) => src.summarize({ asOf: o.asOf, periodDays: o.periodDays }),
      calibration: (o = {}) => src.calibration({ calibrationEnd: o.calibrationEnd, timeUnit: o.timeUnit, groupBy: o.groupBy }),
      table: () => src.table(),
      close: () => src.close(),
    };
  }
  for (const k of ["shards", "user", "password", "rowColumn"] as const) {
    if (options[k] !== undefined) throw new InvalidOptionError(fn, k, options[k], `no ${k}: it applies to clickhouse:// sources only`);
  }
  const { shards: _s, user: _u, password: _p, rowColumn: _r, ...fileOptions } = options;
  const src = await openDuckDbSource(source, fileOptions);
  return {
    engine: "duckdb",
    ingestion: src.ingestion,
    summarize: (o) => src.summarize(o),
    calibration: (o) => src.calibration(o),
    table: () => src.table(),
    close: () => src.close(),
  };
}
