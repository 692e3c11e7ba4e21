/**
 * Reading transaction records from files: the record adapter over {@link readTransactionTable}.
 * @module
 */
import type { DataFrameLike, IngestionResult } from "../core/ingest.js";
import type { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { tableToTransactions } from "../core/tableIngest.js";
import { readTable, type ReadTransactionTableOptions, type readTransactionTable } from "./readTable.js";

/**
 * Options of {@link readTransactions}: those of {@link readTransactionTable}.
 * @category Ingestion
 */
export type ReadTransactionsOptions = ReadTransactionTableOptions;

/**
 * Read transactions from a CSV (or other delimited text), JSON, NDJSON, Excel `.xlsx` or Parquet
 * file (CSV and NDJSON are streamed, never read whole into a string), from bytes or a stream of
 * chunks, from in-memory rows, or from a danfo.js `DataFrame`, validating every row and
 * accounting for it in the report.
 *
 * @remarks
 * The record adapter over {@link readTransactionTable}: the same reading and validation, then
 * one `Transaction` per accepted row (`tableToTransactions`). Validation rules, strict/lenient
 * modes and the report are those of `parseTransactions`. Rows that cannot be split into fields
 * (a CSV line with the wrong number of fields or broken quotes, an NDJSON line that is not JSON)
 * count as rejected with reason `malformed-row` in lenient mode. In strict mode the first bad
 * row throws {@link InvalidRecordError} with its 1-based data row number (the header line not
 * counted). The format is chosen as {@link readTransactionTable} documents (option `format`, else
 * the extension); `.xlsx` needs the optional package `exceljs` (option `sheet` names the sheet),
 * `.parquet` the package `hyparquet`. Reading a file needs Node (the `node:fs` module is loaded only then); in-memory
 * sources work in any JavaScript runtime. For large logs prefer {@link readTransactionTable}:
 * the records cost about 0.3 KiB per row more than the table.
 *
 * @param source - a file path, bytes, an async iterable of chunks, an iterable of row objects,
 *   or a DataFrame-like object.
 * @param options - see {@link ReadTransactionTableOptions}.
 * @returns a promise of the transactions and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for bad options, a missing required column, or a field detected from a repeated column name (name it in `columns`: `"amount"` is the first, `"amount.1"` the second).
 * @throws {@link AnalyticsError} with code `IO_ERROR` when the file cannot be read, `TOO_LARGE`
 *   when it would not fit in memory, `DEPENDENCY_FAILED` when the optional package its format
 *   needs is not installed.
 * @example
 * ```ts
 * const { transactions, report } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
 *   format: "csv", delimiter: "whitespace", header: false,
 *   names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD",
 * });
 * [report.rowsRead, report.accepted, report.customers];
 * //=> [6919, 6919, 2357]
 * ```
 * @category Ingestion
 */
export async function readTransactions(
  source: string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<object> | DataFrameLike,
  options: ReadTransactionsOptions = {},
): Promise<IngestionResult> {
  const { table, report } = await readTable("readTransactions", source, options);
  return { transactions: tableToTransactions(table), report };
}
