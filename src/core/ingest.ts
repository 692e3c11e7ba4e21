/**
 * Validation of raw rows into {@link Transaction}s, with an ingestion report that accounts for
 * every row: the record adapter over the columnar ingestion of `./tableIngest.ts`
 * (`parseTransactionTable` + `tableToTransactions`). Pure (no file system).
 * @module
 */
import type { DateFormat } from "./dates.js";
import type { InvalidOptionError, InvalidRecordError } from "./errors.js";
import { ingestRows, tableToTransactions } from "./tableIngest.js";
import type { Transaction } from "./types.js";

/**
 * Which source column holds each transaction field. Unset fields are detected from the column
 * names (case, spaces, `_` and `-` ignored; see `docs/data.md` for the names recognised).
 * @category Ingestion
 */
export interface ColumnMapping {
  /** Customer id column (required). */
  customerId?: string;
  /** Date or timestamp column (required). */
  date?: string;
  /**
   * Amount (revenue of the line) column. When no amount column is mapped or detected, the
   * amount is `quantity × unitPrice` if both are available, else the file is read without
   * amounts (every amount 0, `amountSource: "none"`). A mapped or detected amount column wins
   * over the parts (they are then not read and stay attributes).
   */
  amount?: string;
  /** Quantity column (units on the line): with `unitPrice`, amount = quantity × unit price; a negative quantity marks a return. */
  quantity?: string;
  /** Unit price column: with `quantity`, amount = quantity × unit price. Without any quantity column, a price column is the line's amount (one unit per line). */
  unitPrice?: string;
  /** Order / invoice / basket id column. */
  orderId?: string;
  /** Items column: an array, or a string split at `itemSeparator`, or one item per row. */
  items?: string;
  /** Cost column. */
  cost?: string;
  /** Margin (profit) column. */
  margin?: string;
  /** Channel column. */
  channel?: string;
  /**
   * Item label column (a product name or description) read alongside an `items` column of
   * codes: the codes stay the keys, and the first non-empty label seen for each code becomes
   * its name in `table.items.names`. Read only on rows with exactly one item.
   */
  itemLabel?: string;
}

/** The fields of {@link ColumnMapping}. @category Ingestion */
export type TransactionField = keyof ColumnMapping;

/**
 * Options of {@link parseTransactions} and `readTransactions`.
 * @category Ingestion
 */
export interface ParseTransactionsOptions {
  /** Source column per field. Default: detected from the column names. */
  columns?: ColumnMapping;
  /** `"strict"` (default) throws {@link InvalidRecordError} at the first bad row; `"lenient"` sets bad rows aside and counts them. */
  mode?: "strict" | "lenient";
  /** How dates are read. Default `"auto"` (see {@link DateFormat}). */
  dateFormat?: DateFormat;
  /** Time zone in which instants (timestamps with an offset, epoch numbers, `Date`s) become calendar days: `"UTC"` (default), `"+05:30"`, or an IANA name. */
  timeZone?: string;
  /** Decimal separator of numeric strings: `"."` (default) or `","` (then `.` may group thousands). */
  decimal?: "." | ",";
  /** Separator of items inside one string cell. Default `"|"`. */
  itemSeparator?: string;
  /** `"keep"` (default) keeps exact repeated rows (counted in the report); `"drop"` rejects them with reason `duplicate`. */
  duplicates?: "keep" | "drop";
  /** Keep unmapped columns in `attributes`. Default `true`. */
  keepAttributes?: boolean;
  /** Example rows kept per rejection reason in the report. Default 5. */
  maxExamples?: number;
  /**
   * Prefix of the order ids of cancelled invoices, or `false` for none. Default `"C"` (as in
   * `C536379`). An order id that starts with it is a cancellation: its lines are returns, their
   * amount forced to `-|amount|`. When the prefix ends with a letter, the next character must
   * not be a letter, so `CA-2016-152156` is an ordinary order under the default.
   */
  cancellationPrefix?: string | false;
}

/**
 * Where the amounts of a table come from: an amount column, `quantity × unitPrice`, or
 * nowhere (`"none"`: no amount column in the source; every amount is 0 and only counts,
 * dates and items carry information).
 * @category Ingestion
 */
export type AmountSource = "column" | "quantity-x-price" | "none";

/**
 * Why a row was set aside.
 * @category Ingestion
 */
export type RejectReason =
  | "missing-customerId"
  | "missing-date"
  | "invalid-date"
  | "missing-amount"
  | "invalid-amount"
  | "missing-quantity"
  | "invalid-quantity"
  | "missing-unitPrice"
  | "invalid-unitPrice"
  | "invalid-cost"
  | "invalid-margin"
  | "invalid-items"
  | "malformed-row"
  | "duplicate";

/**
 * One set-aside row, as kept in the report.
 * @category Ingestion
 */
export interface RejectedRow {
  /** 1-based data row number in the source. */
  row: number;
  /** The field that was invalid. */
  field: string;
  /** The raw value. */
  value: unknown;
  /** Explanation. */
  message: string;
}

/**
 * Accounting of an ingestion: `accepted + rejected === rowsRead`, always.
 * @category Ingestion
 */
export interface IngestionReport {
  /** Rows read from the source. */
  rowsRead: number;
  /** Rows turned into transactions. */
  accepted: number;
  /** Rows set aside (lenient mode, or dropped duplicates). */
  rejected: number;
  /** Rejections per reason, with the first few example rows. Reasons with no rows are absent. */
  rejectedByReason: {
    /** Why the rows were set aside. */
    reason: RejectReason;
    /** How many rows. */
    count: number;
    /** The first few of them. */
    examples: RejectedRow[];
  }[];
  /** Rows identical (after parsing) to an earlier row: kept unless `duplicates: "drop"`. */
  duplicates: number;
  /** Accepted return lines: a negative amount or quantity, or a line of a cancelled invoice (these include {@link IngestionReport.cancellations}). */
  returns: number;
  /** Accepted lines on cancelled invoices (order id starting with `cancellationPrefix`); each is also counted in `returns`. */
  cancellations: number;
  /** Where the amounts come from (see {@link AmountSource}); `"none"`: the source has no amounts and every amount is 0. */
  amountSource: AmountSource;
  /** Accepted rows with amount 0 that are not returns (every row when `amountSource` is `"none"`, returns aside). */
  zeroAmounts: number;
  /** The column mapping that was used (given or detected). */
  columns: ColumnMapping;
  /** Earliest and latest accepted day (ISO `YYYY-MM-DD`), or null with no accepted row. */
  dateRange: {
    /** Earliest day. */
    from: string;
    /** Latest day. */
    to: string;
  } | null;
  /** Distinct customers among the accepted rows. */
  customers: number;
}

/**
 * Accepted transactions plus the accounting report.
 * @category Ingestion
 */
export interface IngestionResult {
  /** The valid transactions, in source order. */
  transactions: Transaction[];
  /** Accounting of every row read. */
  report: IngestionReport;
}

/**
 * A danfo.js `DataFrame`, accepted structurally (only `columns` and `values` are read), so the
 * library does not depend on danfo at run time.
 * @category Ingestion
 */
export interface DataFrameLike {
  /** Column names. */
  readonly columns: readonly string[];
  /** Row-major values: one array per row. */
  readonly values: readonly unknown[];
}

export { detectColumns, isDataFrameLike, dataFrameRows } from "./tableIngest.js";

/**
 * Validate in-memory rows (plain objects, or a danfo.js `DataFrame`) into transactions, with a
 * report that accounts for every row. Runs anywhere (no file system); for files use
 * `readTransactions`.
 *
 * @remarks
 * Each row needs a customer id (non-empty after trimming; numbers become strings), a date (see
 * {@link DateFormat}; dates become UTC calendar days) and a finite amount (negative = return),
 * read from an amount column or as `quantity × unitPrice`; a source without amounts is read
 * with every amount 0 (`report.amountSource: "none"`). Cancelled invoices and negative
 * quantities are returns (see {@link ParseTransactionsOptions.cancellationPrefix} and
 * `docs/data.md`).
 * In `"strict"` mode (default) the first bad row throws {@link InvalidRecordError} with its
 * 1-based row number, the field and the raw value; in `"lenient"` mode bad rows are set aside
 * and counted per reason. Either way `report.accepted + report.rejected === report.rowsRead`.
 *
 * @param rows - an iterable of objects keyed by column name, or a DataFrame-like object.
 * @param options - see {@link ParseTransactionsOptions}.
 * @returns the transactions and the {@link IngestionReport}.
 * @throws {@link InvalidRecordError} in strict mode, for the first invalid row.
 * @throws {@link InvalidOptionError} for invalid options, when a column option names a column the source does not have (the message names the closest one), when a required column is missing, or when a field is detected from a column name the source repeats (name it in `columns`; repeated names become `name.1`, `name.2`, ... as in pandas).
 * @example
 * ```ts
 * const { transactions, report } = parseTransactions(
 *   [{ id: "a", day: "2024-01-05", total: "12.50" }, { id: "", day: "2024-01-06", total: 3 }],
 *   { columns: { customerId: "id", date: "day", amount: "total" }, mode: "lenient" },
 * );
 * transactions[0].date.toISOString(); //=> "2024-01-05T00:00:00.000Z"
 * [report.rowsRead, report.accepted, report.rejected]; //=> [2, 1, 1]
 * ```
 * @category Ingestion
 */
export function parseTransactions(
  rows: Iterable<object> | DataFrameLike,
  options: ParseTransactionsOptions = {},
): IngestionResult {
  const { table, report } = ingestRows("parseTransactions", rows, options).finish();
  return { transactions: tableToTransactions(table), report };
}
