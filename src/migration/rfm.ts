import { toTransactionTable } from "../core/columns.js";
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CustomerTable, TransactionTable } from "../core/table.js";
import { dayToDate, toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";
import { rfmColumns, type RfmColumnsResult, type RfmOptions } from "../rfm/rfm.js";
import { summarizeCustomersTable } from "../summary/summarize.js";
import { transitionMatrix, type StateColumn, type TransitionMatrix, type TransitionMatrixOptions } from "./transitions.js";

/**
 * Options of {@link rfmSegmentsAt}.
 * @category Migration
 */
export interface RfmSegmentsAtOptions {
  /** RFM options (bins, thresholds, segment rules...). Default: those of `rfm`. Fixed `thresholds` make the scores comparable between dates; quantile cuts are recomputed at each date. */
  rfm?: RfmOptions;
  /** Only transactions in the last `lookbackDays` days up to the date count (a customer without one has no state: "(lost)" at a later date). Default: none (the whole history). */
  lookbackDays?: number;
  /** `periodDays` of the summaries. Default 30. */
  periodDays?: number;
  /** Time zone in which a date given as an instant becomes a day. Default `"UTC"`. */
  timeZone?: string;
}

/** Defaults of {@link RfmSegmentsAtOptions} (`lookbackDays: Infinity` = the whole history). */
export const RFM_SEGMENTS_AT_DEFAULTS: Readonly<Required<Omit<RfmSegmentsAtOptions, "rfm">>> = Object.freeze({ lookbackDays: Number.POSITIVE_INFINITY, periodDays: 30, timeZone: "UTC" });

/**
 * RFM segments of every customer at one analysis date.
 * @category Migration
 */
export interface RfmSegmentsAt {
  /** The analysis date (ISO `YYYY-MM-DD`). */
  asOf: string;
  /** The segments as a state column (ids sorted, as in `customers`). */
  states: StateColumn;
  /** The customer summaries at that date (the features of {@link migrationMovers}). */
  customers: CustomerTable;
  /** The full RFM result at that date. */
  rfm: RfmColumnsResult;
}

/** The rows of `table` with a day in (start, end]: required columns only. */
function window(table: TransactionTable, start: number, end: number): TransactionTable {
  let n = 0;
  for (let i = 0; i < table.length; i++) if (table.day[i] > start && table.day[i] <= end) n++;
  const customer = new Int32Array(n);
  const day = new Int32Array(n);
  const amount = new Float64Array(n);
  const order = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < table.length; i++) {
    if (!(table.day[i] > start && table.day[i] <= end)) continue;
    customer[k] = table.customer[i];
    day[k] = table.day[i];
    amount[k] = table.amount[i];
    order[k++] = table.order[i];
  }
  return { length: n, ids: table.ids, index: table.index, customer, day, amount, order, orderIds: table.orderIds, amountSource: table.amountSource };
}

function checkOptions(options: RfmSegmentsAtOptions, fn: string) {
  const o = withDefaults(RFM_SEGMENTS_AT_DEFAULTS, options);
  if (!(typeof o.lookbackDays === "number" && o.lookbackDays >= 1 && (Number.isInteger(o.lookbackDays) || o.lookbackDays === Number.POSITIVE_INFINITY))) {
    throw new InvalidOptionError(fn, "lookbackDays", o.lookbackDays, "a whole number of days >= 1");
  }
  return o;
}

function segmentsAt(table: TransactionTable, asOf: number, o: ReturnType<typeof checkOptions>, rfm: RfmOptions | undefined): RfmSegmentsAt {
  const start = o.lookbackDays === Number.POSITIVE_INFINITY ? -Infinity : asOf - o.lookbackDays;
  const t = window(table, start, asOf);
  const { customers } = summarizeCustomersTable(t, { asOf: dayToDate(asOf), periodDays: o.periodDays });
  const r = rfmColumns(customers, rfm);
  return { asOf: dayToDate(asOf).toISOString().slice(0, 10), states: { ids: customers.ids, states: r.segment }, customers, rfm: r };
}

/**
 * RFM segments of every customer with a purchase by `asOf` (within `lookbackDays`, when given).
 *
 * @remarks
 * `summarizeCustomersTable` on the transactions up to `asOf`, then `rfmColumns`: the same
 * numbers as running those two. Complexity O(n) plus the summaries' sorts.
 *
 * @param transactions - a transaction table or records.
 * @param asOf - the analysis date.
 * @param options - see {@link RfmSegmentsAtOptions}.
 * @returns the state column, the summaries and the RFM result.
 * @throws {@link InvalidOptionError} for a bad date or option.
 * @example
 * ```ts
 * const log = [
 *   { customerId: "a", date: new Date("2024-01-02"), amount: 50 },
 *   { customerId: "b", date: new Date("2024-02-20"), amount: 10 },
 * ];
 * const s = rfmSegmentsAt(log, "2024-03-01", { rfm: { bins: 2, segments: [{ name: "Recent", r: [2, 2] }] } });
 * [s.asOf, s.states.ids, Array.from(s.states.states.codes, (c) => s.states.states.values[c])];
 * //=> ["2024-03-01", ["a", "b"], ["Others", "Recent"]]
 * ```
 * @category Migration
 */
export function rfmSegmentsAt(transactions: TransactionTable | Iterable<Transaction>, asOf: DateInput, options: RfmSegmentsAtOptions = {}): RfmSegmentsAt {
  const fn = "rfmSegmentsAt";
  const o = checkOptions(options, fn);
  const table = toTransactionTable(transactions, fn);
  return segmentsAt(table, toEpochDay(asOf, fn, "asOf", { timeZone: o.timeZone }), o, options.rfm);
}

/**
 * Options of {@link rfmMigration}.
 * @category Migration
 */
export interface RfmMigrationOptions extends RfmSegmentsAtOptions, TransitionMatrixOptions {
  /** The first analysis date. Required. */
  from: DateInput;
  /** The second analysis date, after `from`. Required. */
  to: DateInput;
}

/**
 * Result of {@link rfmMigration}.
 * @category Migration
 */
export interface RfmMigrationResult {
  /** Segments at the first date. */
  from: RfmSegmentsAt;
  /** Segments at the second date. */
  to: RfmSegmentsAt;
  /** The transition matrix between them. */
  matrix: TransitionMatrix;
}

/**
 * RFM segment migration between two analysis dates of one transaction log.
 *
 * @remarks
 * Segments at each date with {@link rfmSegmentsAt}, then {@link transitionMatrix}. With the
 * whole history (the default) a customer never disappears, so the `(lost)` column is empty and
 * lapsing shows as moves into segments such as "Lost" or "Hibernating"; with `lookbackDays` a
 * customer without a purchase in the window before the second date is `(lost)`. Quantile cuts are
 * recomputed at each date (a customer can change segment because others did); give fixed
 * `rfm.thresholds` to compare on one scale.
 *
 * @param transactions - a transaction table or records.
 * @param options - the two dates and see {@link RfmMigrationOptions}.
 * @returns the segments at both dates and the matrix.
 * @throws {@link InvalidOptionError} when `from` and `to` are the same day or `to` is earlier (`option: "to"`).
 * @example
 * ```ts
 * const log = [
 *   { customerId: "a", date: new Date("2024-01-02"), amount: 50 },
 *   { customerId: "b", date: new Date("2024-01-03"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-03-20"), amount: 50 },
 * ];
 * const rules = [{ name: "Recent", r: [2, 2] }, { name: "Lapsed", r: [1, 1] }];
 * // On Jan 31 b (28 days) is Recent and a (29 days) Lapsed; by Mar 31 only a bought in the last 60 days.
 * const m = rfmMigration(log, { from: "2024-01-31", to: "2024-03-31", lookbackDays: 60, rfm: { bins: 2, segments: rules } });
 * [m.matrix.from, m.matrix.to, m.matrix.counts];
 * //=> [["Recent", "Lapsed", "Others", "(new)"], ["Recent", "Lapsed", "Others", "(lost)"], [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]]
 * ```
 * @category Migration
 */
export function rfmMigration(transactions: TransactionTable | Iterable<Transaction>, options: RfmMigrationOptions): RfmMigrationResult {
  const fn = "rfmMigration";
  if (options === null || typeof options !== "object") throw new InvalidOptionError(fn, "options", options, "{ from, to, ... }");
  const o = checkOptions(options, fn);
  const a = toEpochDay(options.from, fn, "from", { timeZone: o.timeZone });
  const b = toEpochDay(options.to, fn, "to", { timeZone: o.timeZone });
  if (b === a) throw new InvalidOptionError(fn, "to", options.to, "a date after `from` (both are the same day: there is no migration to measure)");
  if (b < a) throw new InvalidOptionError(fn, "to", options.to, "a date after `from`");
  const table = toTransactionTable(transactions, fn);
  const from = segmentsAt(table, a, o, options.rfm);
  const to = segmentsAt(table, b, o, options.rfm);
  return { from, to, matrix: transitionMatrix(from.states, to.states, { newState: options.newState, lostState: options.lostState }) };
}
