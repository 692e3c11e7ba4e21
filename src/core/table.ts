/**
 * The two columnar tables every analytic works on (see `docs/architecture.md`):
 *
 * - a {@link TransactionTable}: one row per transaction line, typed-array columns, customer and
 *   order ids dictionary-encoded. Readers produce it without building row objects;
 *   `summarizeCustomersTable`, `calibrationTable`, baskets and `analyze` consume it.
 * - a {@link CustomerTable}: one row per customer, one typed array per summary field. Models and
 *   scoring functions consume it and return new columns keyed by the same row index.
 *
 * Plain typed arrays are used rather than `apache-arrow` tables: every hot loop indexes the
 * arrays directly, the library stays free of a 1 MB dependency for users who only score, and a
 * `Float64Array`/`Int32Array` column is what Arrow's own numeric vectors hold, so converting to
 * Arrow is zero-copy for numbers (`docs/architecture.md`).
 * @module
 */

/**
 * A dictionary-encoded column: `values[codes[i]]` is row `i`'s value, `codes[i] === -1` means
 * the row has none.
 * @category Columnar
 */
export interface DictionaryColumn<T = string> {
  /** Code per row; `-1` = no value in that row. */
  readonly codes: Int32Array;
  /** Distinct values, by code (readers use order of first appearance; fixed label sets such as segments keep their own order). */
  readonly values: readonly T[];
}

/**
 * Variable-length item lists: row `i`'s items are `labels[codes[k]]` for
 * `k` in `offsets[i] .. offsets[i + 1] - 1` (the layout of an Arrow list column).
 * @category Columnar
 */
export interface ItemListColumn {
  /** `length + 1` offsets into `codes`; `offsets[0] === 0`. */
  readonly offsets: Int32Array;
  /** Item code per list entry. */
  readonly codes: Int32Array;
  /** Distinct item labels, by code, in order of first appearance. */
  readonly labels: readonly string[];
  /** `1` for rows that had no items value at all (as opposed to an empty list); omitted when every row had one. */
  readonly missing?: Uint8Array;
  /**
   * Display names aligned with `labels` (`names[c]` names item `labels[c]`), when an item label
   * column was mapped: the first non-empty label seen with the code, or the code itself when
   * none was. Labels are kept exactly as written (a `|` or ` + ` inside is part of the name).
   */
  readonly names?: readonly string[];
}

/**
 * A transaction log as columns. Row `i` is the `i`-th accepted transaction of the source.
 *
 * @remarks
 * Memory: 4 (customer) + 4 (day) + 8 (amount) + 4 (order) = 20 bytes per row for the required
 * columns, plus 8 per row for each of `cost`/`margin`, 4 for `channel`, 4 per row + 4 per item
 * for `items`, 4 per row per attribute column; the dictionaries hold each distinct id once.
 *
 * Build one with `readTransactionTable` (files, streamed), `parseTransactionTable` (in-memory
 * rows) or {@link toTransactionTable} (validated `Transaction` records);
 * `tableToTransactions` turns it back into records.
 *
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   { customerId: "b", date: new Date("1970-01-02"), amount: 1, orderId: "x" },
 *   { customerId: "a", date: new Date("1970-01-03"), amount: 2 },
 * ]);
 * [t.length, t.ids, [...t.customer], [...t.day], [...t.order], t.orderIds];
 * //=> [2, ["b", "a"], [0, 1], [1, 2], [0, -1], ["x"]]
 * ```
 * @category Columnar
 */
export interface TransactionTable {
  /** Number of rows. */
  readonly length: number;
  /** Customer ids by customer code, in order of first appearance (the customer dictionary). */
  readonly ids: readonly string[];
  /** Customer code per customer id (the inverse of `ids`). */
  readonly index: ReadonlyMap<string, number>;
  /** Customer code per row (an index into `ids`). */
  readonly customer: Int32Array;
  /** Calendar day per row: whole days since 1970-01-01 UTC. */
  readonly day: Int32Array;
  /**
   * Amount per row; always finite. A return line has its sign bit set: a negative amount, or
   * `-0` for a return of no value (a cancelled line priced 0, or any return when the source has
   * no amounts); test with {@link isReturnAmount}.
   */
  readonly amount: Float64Array;
  /**
   * Where the amounts come from: `"column"` (an amount column), `"quantity-x-price"`, or
   * `"none"` (the source has no amounts: every amount is 0 or -0, so money figures are 0).
   * Absent on tables built before this field existed or from records: read it as `"column"`.
   */
  readonly amountSource?: "column" | "quantity-x-price" | "none";
  /** Order code per row (an index into `orderIds`), `-1` when the row has no order id. */
  readonly order: Int32Array;
  /** Distinct order ids by order code, in order of first appearance. */
  readonly orderIds: readonly string[];
  /** Cost per row when a cost column was mapped; `NaN` in rows without a cost. */
  readonly cost?: Float64Array;
  /** Margin per row when a margin column was mapped; `NaN` in rows without a margin. */
  readonly margin?: Float64Array;
  /** Channel per row when a channel column was mapped. */
  readonly channel?: DictionaryColumn;
  /** Items per row when an items column was mapped. */
  readonly items?: ItemListColumn;
  /** Other source columns, by column name (a `Map`, so any name works), dictionary-encoded. */
  readonly attributes?: ReadonlyMap<string, DictionaryColumn<unknown>>;
}

/**
 * Per-customer summaries as columns: row `k` is customer `ids[k]`. Produced by
 * `summarizeCustomersTable`; the columnar twin of `CustomerSummary[]` (same fields, same
 * numbers). Days are epoch days; `meanGapDays`/`sdGapDays` are `NaN` where the record form has
 * `null` (fewer than 2 / 3 purchase orders).
 * @category Columnar
 */
export interface CustomerTable {
  /** Number of customers. */
  readonly length: number;
  /** Customer id per row, sorted ascending (code-unit order, as `Array.prototype.sort`). */
  readonly ids: readonly string[];
  /** Epoch day of the first purchase order. */
  readonly firstPurchase: Int32Array;
  /** Epoch day of the last purchase order. */
  readonly lastPurchase: Int32Array;
  /** Purchase orders (F of RFM); at least 1. */
  readonly frequency: Int32Array;
  /** Net revenue up to `asOf` (returns subtracted). */
  readonly totalSpend: Float64Array;
  /** `totalSpend / frequency`. */
  readonly averageOrderValue: Float64Array;
  /** Whole days from the last purchase to `asOf` (R of RFM). */
  readonly recencyDays: Int32Array;
  /** Whole days from the first purchase to `asOf`. */
  readonly tenureDays: Int32Array;
  /** Mean days between purchase orders; `NaN` with fewer than 2 orders. */
  readonly meanGapDays: Float64Array;
  /** Sample standard deviation of the gaps; `NaN` with fewer than 3 orders. */
  readonly sdGapDays: Float64Array;
  /** `totalSpend / max(1, tenureDays / periodDays)`. */
  readonly spendPerPeriod: Float64Array;
  /** Return lines (negative amount, or `-0`: a return of no value). */
  readonly returnLines: Int32Array;
  /** Sum of the return lines' amounts, as a positive number. */
  readonly returnAmount: Float64Array;
}

/**
 * Calibration-period summaries as columns (the columnar twin of `CalibrationSummary[]`), as
 * read by the BG/NBD family: row `k` is customer `ids[k]`.
 * @category Columnar
 */
export interface CalibrationTable {
  /** Number of customers. */
  readonly length: number;
  /** Customer id per row, sorted ascending. */
  readonly ids: readonly string[];
  /** Repeat purchases. */
  readonly x: Float64Array;
  /** Time of the last repeat purchase since the first purchase (0 when x = 0), model units. */
  readonly t_x: Float64Array;
  /** Time from the first purchase to the end of the calibration period, model units. */
  readonly T: Float64Array;
  /** Mean value of the repeat purchases (0 when x = 0). */
  readonly monetaryValue: Float64Array;
  /** Epoch day of the first purchase. */
  readonly firstPurchase: Int32Array;
}

/**
 * Is this amount a return line's? True for a negative amount and for `-0` (the amount of a
 * return of no value: a cancelled line priced 0, or a return in a source without amounts);
 * false for `0` and positive amounts. Summaries count an order as a purchase when one of its
 * lines is not a return.
 *
 * @param amount - a transaction amount.
 * @returns whether the line is a return.
 * @example
 * ```ts
 * [isReturnAmount(-3), isReturnAmount(-0), isReturnAmount(0), isReturnAmount(2)];
 * //=> [true, true, false, false]
 * ```
 * @category Columnar
 */
export function isReturnAmount(amount: number): boolean {
  return amount < 0 || (amount === 0 && 1 / amount < 0);
}
