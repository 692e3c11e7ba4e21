import { groupRowsByCustomer, toTransactionColumns, type TransactionColumns } from "../core/columns.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { dayToDate, daysPerUnit, toEpochDay } from "../core/time.js";
import type { CalibrationSummary, CustomerSummary, DateInput, TimeUnit, Transaction } from "../core/types.js";
import { isReturnAmount, type CalibrationTable, type CustomerTable, type TransactionTable } from "../core/table.js";

/**
 * Options of {@link summarizeCustomers}.
 * @category Summaries
 */
export interface SummarizeCustomersOptions {
  /** Analysis day: transactions after it are excluded (and counted); recency and tenure are measured to it. Default: the last transaction day. */
  asOf?: DateInput;
  /** Length in days of the period used by `spendPerPeriod`. Default 30. */
  periodDays?: number;
  /**
   * Time zone in which an `asOf` instant (a `Date`, epoch ms, a date-time with an offset)
   * becomes a calendar day; pass the `timeZone` the transactions were read with. Default
   * `"UTC"`. A plain date or an offset-less date-time is the day it names in any zone.
   */
  timeZone?: string;
}

/**
 * What {@link summarizeCustomersWithReport} did with the input.
 * @category Summaries
 */
export interface SummaryReport {
  /** The analysis day used (ISO `YYYY-MM-DD`). */
  asOf: string;
  /** Transactions received. */
  transactions: number;
  /** Transactions on or before `asOf`, used. */
  used: number;
  /** Transactions after `asOf`, excluded. `used + excludedAfterAsOf === transactions`. */
  excludedAfterAsOf: number;
  /** Customers summarised (those with at least one purchase order by `asOf`). */
  customers: number;
  /** Customers whose only lines by `asOf` are returns: no purchase, so no summary. */
  customersWithoutPurchase: number;
  /** Purchase orders counted over all customers. */
  orders: number;
  /** Orders made only of return lines (pure returns, e.g. a cancelled invoice): netted into spend, not counted as purchases. */
  returnOnlyOrders: number;
}

/**
 * Result of {@link summarizeCustomersWithReport}.
 * @category Summaries
 */
export interface SummaryResult {
  /** One summary per customer with a purchase by `asOf`, sorted by id. */
  customers: CustomerSummary[];
  /** Accounting of the transactions. */
  report: SummaryReport;
}

/**
 * Result of {@link summarizeCustomersTable}.
 * @category Summaries
 */
export interface CustomerTableResult {
  /** One row per customer with a purchase by `asOf`, sorted by id. */
  customers: CustomerTable;
  /** Accounting of the transactions. */
  report: SummaryReport;
}

const SUMMARIZE_DEFAULTS = Object.freeze({ periodDays: 30 });

/** Per-customer orders: key, day and net amount of each order, and whether it is a purchase. */
interface OrderScratch {
  /** Order code of each order (-1 = the customer's day). */
  key: Int32Array;
  day: Int32Array;
  net: Float64Array;
  purchase: Uint8Array;
  count: number;
  /** Purchase days, sorted by `sortedPurchaseDays`. */
  days: Int32Array;
}

/** Below this many orders a customer's orders are found by a linear scan; above, by hashing. */
const LINEAR_LIMIT = 32;

/**
 * Group one customer's rows into orders: rows sharing an order id form one order (dated at its
 * earliest line); rows without an order id form one order per day. An order is a purchase when
 * at least one of its lines is not a return ({@link isReturnAmount}: a return has the amount's
 * sign bit set, so a cancelled line of no value, `-0`, is a return too).
 */
function collectOrders(cols: TransactionColumns, rows: Int32Array, from: number, to: number, scratch: OrderScratch, byOrder: Map<number, number>, byDay: Map<number, number>): void {
  scratch.count = 0;
  let hashed = false;
  for (let k = from; k < to; k++) {
    const i = rows[k];
    const o = cols.order[i];
    const d = cols.day[i];
    let slot = -1;
    if (hashed) {
      slot = (o >= 0 ? byOrder.get(o) : byDay.get(d)) ?? -1;
    } else if (o >= 0) {
      for (let s = scratch.count - 1; s >= 0; s--) if (scratch.key[s] === o) { slot = s; break; }
    } else {
      for (let s = scratch.count - 1; s >= 0; s--) if (scratch.key[s] === -1 && scratch.day[s] === d) { slot = s; break; }
    }
    if (slot < 0) {
      slot = scratch.count++;
      scratch.key[slot] = o;
      scratch.day[slot] = d;
      scratch.net[slot] = 0;
      scratch.purchase[slot] = 0;
      if (hashed) {
        if (o >= 0) byOrder.set(o, slot);
        else byDay.set(d, slot);
      } else if (scratch.count > LINEAR_LIMIT) {
        hashed = true;
        byOrder.clear();
        byDay.clear();
        for (let s = 0; s < scratch.count; s++) {
          const key = scratch.key[s];
          if (key >= 0) byOrder.set(key, s);
          else byDay.set(scratch.day[s], s);
        }
      }
    }
    if (d < scratch.day[slot]) scratch.day[slot] = d; // an order is dated at its earliest line
    scratch.net[slot] += cols.amount[i];
    if (!isReturnAmount(cols.amount[i])) scratch.purchase[slot] = 1;
  }
}

/** Sorted purchase days of the collected orders, in `scratch.days[0..n)`; returns n. */
function sortedPurchaseDays(scratch: OrderScratch): number {
  let n = 0;
  for (let s = 0; s < scratch.count; s++) if (scratch.purchase[s]) scratch.days[n++] = scratch.day[s];
  scratch.days.subarray(0, n).sort();
  return n;
}

function makeScratch(maxRows: number): OrderScratch {
  return { key: new Int32Array(maxRows), day: new Int32Array(maxRows), net: new Float64Array(maxRows), purchase: new Uint8Array(maxRows), count: 0, days: new Int32Array(maxRows) };
}

function maxGroupSize(start: Int32Array): number {
  let m = 0;
  for (let c = 0; c + 1 < start.length; c++) m = Math.max(m, start[c + 1] - start[c]);
  return m;
}

function resolveAsOf(cols: TransactionColumns, asOf: DateInput | undefined, fn: string, option: string, timeZone: string | undefined): number {
  if (asOf !== undefined) return toEpochDay(asOf, fn, option, { timeZone });
  let max = -Infinity;
  for (let i = 0; i < cols.length; i++) if (cols.day[i] > max) max = cols.day[i];
  return Number.isFinite(max) ? max : 0;
}

/**
 * Summarise each customer as of a day, with a report accounting for every transaction.
 * {@link summarizeCustomers} is the same without the report.
 *
 * @remarks
 * - Orders: distinct `orderId`s of the customer; lines without an order id form one order per
 *   customer and day (same-day purchases merge). An order is dated at its earliest line.
 * - Returns are netted per order: the lines of an order are summed. An order made only of
 *   return lines (negative amounts, or `-0`: see `docs/data.md`; a cancelled invoice is one) is
 *   not a purchase: it reduces `totalSpend` but does not count in `frequency`, first/last
 *   purchase or gaps.
 * - A table without amounts (`amountSource: "none"`) gives every money field 0, never `NaN`.
 * - `frequency` = purchase orders; `recencyDays` = asOf - last purchase day; `tenureDays` =
 *   asOf - first purchase day; gaps are between consecutive purchase orders' days (same-day
 *   orders give a gap of 0); `meanGapDays` = (last - first) / (frequency - 1);
 *   `sdGapDays` = sample standard deviation (n - 1) of the gaps;
 *   `spendPerPeriod` = totalSpend / max(1, tenureDays / periodDays).
 * - Transactions after `asOf` are excluded and counted. Output is sorted by customer id.
 *
 * Complexity O(n) plus a per-customer sort of order days.
 *
 * @param transactions - validated transactions (e.g. from `readTransactions`).
 * @param options - see {@link SummarizeCustomersOptions}.
 * @returns the summaries and a {@link SummaryReport}.
 * @throws {@link InvalidRecordError} for a transaction with an empty id, bad date or non-finite amount.
 * @throws {@link InvalidOptionError} for a bad `asOf` or `periodDays`.
 * @example
 * ```ts
 * const { customers, report } = summarizeCustomersWithReport([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-01-11"), amount: 30 },
 *   { customerId: "a", date: new Date("2024-03-01"), amount: 5 },
 * ], { asOf: "2024-01-31" });
 * [customers[0].frequency, customers[0].recencyDays, customers[0].totalSpend, report.excludedAfterAsOf];
 * //=> [2, 20, 40, 1]
 * ```
 * @category Summaries
 */
export function summarizeCustomersWithReport(
  transactions: Iterable<Transaction> | TransactionTable,
  options: SummarizeCustomersOptions = {},
): SummaryResult {
  const { customers, report } = summarizeCustomersTable(transactions, options);
  return { customers: customerRecords(customers), report };
}

/**
 * The columnar form of {@link summarizeCustomersWithReport}: the same summaries (same rules,
 * same numbers) as a {@link CustomerTable}, rows sorted by customer id, plus the report.
 *
 * @remarks
 * Complexity O(n) plus a per-customer sort of order days and one sort of the ids; memory 4
 * bytes per transaction (the rows grouped by customer) and about 100 bytes per customer
 * (scratch and output columns).
 *
 * @param transactions - a {@link TransactionTable} (e.g. from `readTransactionTable`) or validated transactions.
 * @param options - see {@link SummarizeCustomersOptions}.
 * @returns the {@link CustomerTable} and the {@link SummaryReport}.
 * @throws {@link InvalidRecordError} for an invalid transaction record.
 * @throws {@link InvalidOptionError} for a bad `asOf` or `periodDays`.
 * @throws {@link AnalyticsError} with code `OVERFLOW` when a customer's net spend overflows a double.
 * @example
 * ```ts
 * const { customers, report } = summarizeCustomersTable(toTransactionTable([
 *   { customerId: "b", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-01-11"), amount: 30 },
 *   { customerId: "a", date: new Date("2024-01-21"), amount: 5 },
 * ]), { asOf: "2024-01-31" });
 * [customers.ids, [...customers.frequency], [...customers.recencyDays], [...customers.meanGapDays]];
 * //=> [["a", "b"], [2, 1], [10, 30], [10, NaN]]
 * ```
 * @category Summaries
 */
export function summarizeCustomersTable(
  transactions: Iterable<Transaction> | TransactionTable,
  options: SummarizeCustomersOptions = {},
): CustomerTableResult {
  const fn = "summarizeCustomers";
  const o = withDefaults(SUMMARIZE_DEFAULTS, options); // an explicit undefined keeps the default
  if (!(typeof o.periodDays === "number" && Number.isFinite(o.periodDays) && o.periodDays > 0)) {
    throw new InvalidOptionError(fn, "periodDays", o.periodDays, "a positive number of days");
  }
  const cols = toTransactionColumns(transactions, fn);
  const asOf = resolveAsOf(cols, o.asOf, fn, "asOf", o.timeZone);
  const { start, rows } = groupRowsByCustomer(cols, (i) => cols.day[i] <= asOf);
  const scratch = makeScratch(maxGroupSize(start));
  const byOrder = new Map<number, number>();
  const byDay = new Map<number, number>();
  const nc = cols.ids.length;
  // Per customer code; `keep` marks customers with a purchase.
  const keep = new Uint8Array(nc);
  const first = new Int32Array(nc);
  const last = new Int32Array(nc);
  const freq = new Int32Array(nc);
  const total = new Float64Array(nc);
  const sdGap = new Float64Array(nc);
  const retLines = new Int32Array(nc);
  const retAmount = new Float64Array(nc);
  let kept = 0;
  let orders = 0;
  let returnOnlyOrders = 0;
  let withoutPurchase = 0;

  for (let c = 0; c < nc; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    collectOrders(cols, rows, from, to, scratch, byOrder, byDay);
    let sum = 0;
    let returnLines = 0;
    let returnAmount = 0;
    for (let k = from; k < to; k++) {
      const a = cols.amount[rows[k]];
      sum += a;
      if (isReturnAmount(a)) {
        returnLines++;
        returnAmount -= a;
      }
    }
    if (!Number.isFinite(sum) || !Number.isFinite(returnAmount)) {
      // Every amount is finite (the readers check), but their sum is beyond the largest double.
      throw new AnalyticsError("OVERFLOW", `${fn}: the data overflowed: the net spend of customer ${JSON.stringify(cols.ids[c])} is beyond the largest double (1.8e308), though every amount is finite; express the money in a larger unit (e.g. thousands)`);
    }
    const n = sortedPurchaseDays(scratch);
    returnOnlyOrders += scratch.count - n;
    if (n === 0) {
      withoutPurchase++;
      continue;
    }
    const days = scratch.days;
    orders += n;
    keep[c] = 1;
    kept++;
    first[c] = days[0];
    last[c] = days[n - 1];
    freq[c] = n;
    total[c] = sum;
    retLines[c] = returnLines;
    retAmount[c] = returnAmount;
    sdGap[c] = NaN;
    if (n >= 3) {
      const meanGap = (days[n - 1] - days[0]) / (n - 1);
      let ss = 0;
      for (let k = 1; k < n; k++) {
        const g = days[k] - days[k - 1] - meanGap;
        ss += g * g;
      }
      sdGap[c] = Math.sqrt(ss / (n - 2));
    }
  }
  const order = sortedCodes(cols.ids, keep, kept);
  const ids: string[] = new Array(kept);
  const t = {
    firstPurchase: new Int32Array(kept),
    lastPurchase: new Int32Array(kept),
    frequency: new Int32Array(kept),
    totalSpend: new Float64Array(kept),
    averageOrderValue: new Float64Array(kept),
    recencyDays: new Int32Array(kept),
    tenureDays: new Int32Array(kept),
    meanGapDays: new Float64Array(kept),
    sdGapDays: new Float64Array(kept),
    spendPerPeriod: new Float64Array(kept),
    returnLines: new Int32Array(kept),
    returnAmount: new Float64Array(kept),
  };
  for (let k = 0; k < kept; k++) {
    const c = order[k];
    const n = freq[c];
    const tenure = asOf - first[c];
    ids[k] = cols.ids[c];
    t.firstPurchase[k] = first[c];
    t.lastPurchase[k] = last[c];
    t.frequency[k] = n;
    t.totalSpend[k] = total[c];
    t.averageOrderValue[k] = total[c] / n;
    t.recencyDays[k] = asOf - last[c];
    t.tenureDays[k] = tenure;
    t.meanGapDays[k] = n >= 2 ? (last[c] - first[c]) / (n - 1) : NaN;
    t.sdGapDays[k] = sdGap[c];
    t.spendPerPeriod[k] = total[c] / Math.max(1, tenure / o.periodDays);
    t.returnLines[k] = retLines[c];
    t.returnAmount[k] = retAmount[c];
  }
  const used = rows.length;
  return {
    customers: { length: kept, ids, ...t },
    report: {
      asOf: dayToDate(asOf).toISOString().slice(0, 10),
      transactions: cols.length,
      used,
      excludedAfterAsOf: cols.length - used,
      customers: kept,
      customersWithoutPurchase: withoutPurchase,
      orders,
      returnOnlyOrders,
    },
  };
}

/** Codes `c` with `keep[c]`, sorted by `ids[c]` (code-unit order, as `Array.prototype.sort`). */
function sortedCodes(ids: readonly string[], keep: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  let k = 0;
  for (let c = 0; c < keep.length; c++) if (keep[c]) out[k++] = c;
  return out.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
}

/**
 * The records of a {@link CustomerTable} (the table-to-records adapter): one
 * {@link CustomerSummary} per row, `NaN` gaps as `null`.
 *
 * @param table - the customer table.
 * @returns the summaries, in table order.
 * @example
 * ```ts
 * const { customers } = summarizeCustomersTable([{ customerId: "a", date: new Date("2024-01-01"), amount: 10 }]);
 * customerRecords(customers)[0].meanGapDays;
 * //=> null
 * ```
 * @category Summaries
 */
export function customerRecords(table: CustomerTable): CustomerSummary[] {
  const out: CustomerSummary[] = new Array(table.length);
  for (let k = 0; k < table.length; k++) {
    const n = table.frequency[k];
    const mg = table.meanGapDays[k];
    const sg = table.sdGapDays[k];
    out[k] = {
      customerId: table.ids[k],
      firstPurchase: dayToDate(table.firstPurchase[k]),
      lastPurchase: dayToDate(table.lastPurchase[k]),
      frequency: n,
      repeatPurchases: n - 1,
      totalSpend: table.totalSpend[k],
      averageOrderValue: table.averageOrderValue[k],
      recencyDays: table.recencyDays[k],
      tenureDays: table.tenureDays[k],
      meanGapDays: Number.isNaN(mg) ? null : mg,
      sdGapDays: Number.isNaN(sg) ? null : sg,
      spendPerPeriod: table.spendPerPeriod[k],
      returnLines: table.returnLines[k],
      returnAmount: table.returnAmount[k],
    };
  }
  return out;
}

/**
 * Summarise each customer as of a day: first/last purchase, frequency (orders), repeat
 * purchases, total and average order value, recency and tenure in days, inter-purchase gap
 * mean and spread, spend per period. See {@link summarizeCustomersWithReport} for the rules
 * and for the accounting report.
 *
 * @param transactions - validated transactions.
 * @param options - see {@link SummarizeCustomersOptions}.
 * @returns one {@link CustomerSummary} per customer with a purchase by `asOf`, sorted by id.
 * @throws {@link InvalidRecordError} for an invalid transaction.
 * @example
 * ```ts
 * summarizeCustomers([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10, orderId: "o1" },
 *   { customerId: "a", date: new Date("2024-01-01"), amount: -4, orderId: "o1" },
 * ], { asOf: "2024-01-10" })[0].totalSpend;
 * //=> 6
 * ```
 * @category Summaries
 */
export function summarizeCustomers(transactions: Iterable<Transaction> | TransactionTable, options: SummarizeCustomersOptions = {}): CustomerSummary[] {
  return summarizeCustomersWithReport(transactions, options).customers;
}

/**
 * Options of {@link calibrationSummary}.
 * @category Summaries
 */
export interface CalibrationSummaryOptions {
  /** Last day of the calibration period (inclusive). Default: the last transaction day. */
  calibrationEnd?: DateInput;
  /** Time unit of `t_x` and `T`. Default `"weeks"`. */
  timeUnit?: TimeUnit;
  /** What one purchase is: `"day"` (default: a customer's purchase days, as the published CDNOW summaries and `lifetimes` count) or `"order"`. */
  groupBy?: "day" | "order";
  /** Time zone in which a `calibrationEnd` instant becomes a calendar day (as {@link SummarizeCustomersOptions.timeZone}). Default `"UTC"`. */
  timeZone?: string;
}

/**
 * The calibration-period summary used by BG/NBD, Pareto/NBD and Gamma-Gamma: per customer the
 * repeat purchases `x`, the time of the last purchase `t_x`, the age `T` and the mean repeat
 * purchase value.
 *
 * @remarks
 * Purchases are the customer's purchase days (or orders with `groupBy: "order"`) on or before
 * `calibrationEnd`; a purchase whose lines are all returns (a pure return) is not one. With
 * first purchase day f, purchase days d_0 = f < d_1 < ... < d_x and calibration end e:
 * `x` = number of purchases - 1, `t_x` = (d_x - f) / u, `T` = (e - f) / u where u is the days
 * per time unit, and `monetaryValue` = mean net value of purchases d_1..d_x (0 when x = 0).
 * On the CDNOW sample with `calibrationEnd: "1997-09-30"` and weeks this reproduces the
 * published summary (Fader, Hardie & Lee 2005) for all 2,357 customers.
 *
 * @param transactions - validated transactions.
 * @param options - see {@link CalibrationSummaryOptions}.
 * @returns one {@link CalibrationSummary} per customer with a purchase by the end, sorted by id.
 * @throws {@link InvalidRecordError} for an invalid transaction.
 * @throws {@link InvalidOptionError} for a bad `calibrationEnd`, `timeUnit` or `groupBy`.
 * @example
 * ```ts
 * calibrationSummary([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-01-15"), amount: 20 },
 *   { customerId: "a", date: new Date("2024-01-15"), amount: 4 },
 * ], { calibrationEnd: "2024-01-29", timeUnit: "weeks" })[0];
 * //=> { customerId: "a", x: 1, t_x: 2, T: 4, monetaryValue: 24, firstPurchase: 2024-01-01T00:00:00.000Z }
 * ```
 * @category Summaries
 */
export function calibrationSummary(transactions: Iterable<Transaction> | TransactionTable, options: CalibrationSummaryOptions = {}): CalibrationSummary[] {
  return calibrationRecords(calibrationTable(transactions, options, "calibrationSummary"));
}

/**
 * The columnar form of {@link calibrationSummary}: the same rows (same rules, same numbers) as
 * a {@link CalibrationTable}, sorted by customer id.
 *
 * @param transactions - a {@link TransactionTable} or validated transactions.
 * @param options - see {@link CalibrationSummaryOptions}.
 * @returns the calibration table.
 * @throws {@link InvalidRecordError} for an invalid transaction record.
 * @throws {@link InvalidOptionError} for a bad `calibrationEnd`, `timeUnit` or `groupBy`.
 * @example
 * ```ts
 * const c = calibrationTable(toTransactionTable([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: new Date("2024-01-15"), amount: 24 },
 * ]), { calibrationEnd: "2024-01-29", timeUnit: "weeks" });
 * [c.ids, [...c.x], [...c.t_x], [...c.T], [...c.monetaryValue]];
 * //=> [["a"], [1], [2], [4], [24]]
 * ```
 * @category Summaries
 */
export function calibrationTable(transactions: Iterable<Transaction> | TransactionTable, options: CalibrationSummaryOptions = {}, fn = "calibrationTable"): CalibrationTable {
  const unit = daysPerUnit(options.timeUnit ?? "weeks");
  const groupBy = options.groupBy ?? "day";
  if (groupBy !== "day" && groupBy !== "order") throw new InvalidOptionError(fn, "groupBy", groupBy, '"day" or "order"');
  const cols = toTransactionColumns(transactions, fn);
  const end = resolveAsOf(cols, options.calibrationEnd, fn, "calibrationEnd", options.timeZone);
  const { start, rows } = groupRowsByCustomer(cols, (i) => cols.day[i] <= end);
  const scratch = makeScratch(maxGroupSize(start));
  const byOrder = new Map<number, number>();
  const byDay = new Map<number, number>();
  const source: TransactionColumns = groupBy === "day" ? { ...cols, order: new Int32Array(cols.length).fill(-1) } : cols;
  const nc = cols.ids.length;
  const keep = new Uint8Array(nc);
  const xs = new Float64Array(nc);
  const txs = new Float64Array(nc);
  const Ts = new Float64Array(nc);
  const ms = new Float64Array(nc);
  const firsts = new Int32Array(nc);
  let kept = 0;
  const pDay = new Int32Array(scratch.day.length);
  const pNet = new Float64Array(scratch.day.length);
  const idx: number[] = [];
  for (let c = 0; c < nc; c++) {
    if (start[c] === start[c + 1]) continue;
    collectOrders(source, rows, start[c], start[c + 1], scratch, byOrder, byDay);
    idx.length = 0;
    for (let s = 0; s < scratch.count; s++) if (scratch.purchase[s]) idx.push(s);
    if (idx.length === 0) continue;
    // Stable sort by day (as the record version did), so equal days keep their first-seen order.
    idx.sort((a, b) => scratch.day[a] - scratch.day[b] || a - b);
    for (let k = 0; k < idx.length; k++) {
      pDay[k] = scratch.day[idx[k]];
      pNet[k] = scratch.net[idx[k]];
    }
    const first = pDay[0];
    const x = idx.length - 1;
    let repeatValue = 0;
    for (let k = 1; k <= x; k++) repeatValue += pNet[k];
    keep[c] = 1;
    kept++;
    xs[c] = x;
    txs[c] = (pDay[x] - first) / unit;
    Ts[c] = (end - first) / unit;
    ms[c] = x > 0 ? repeatValue / x : 0;
    firsts[c] = first;
  }
  const order = sortedCodes(cols.ids, keep, kept);
  const out = { length: kept, ids: new Array<string>(kept), x: new Float64Array(kept), t_x: new Float64Array(kept), T: new Float64Array(kept), monetaryValue: new Float64Array(kept), firstPurchase: new Int32Array(kept) };
  for (let k = 0; k < kept; k++) {
    const c = order[k];
    out.ids[k] = cols.ids[c];
    out.x[k] = xs[c];
    out.t_x[k] = txs[c];
    out.T[k] = Ts[c];
    out.monetaryValue[k] = ms[c];
    out.firstPurchase[k] = firsts[c];
  }
  return out;
}

/**
 * The records of a {@link CalibrationTable} (the table-to-records adapter).
 *
 * @param table - the calibration table.
 * @returns one {@link CalibrationSummary} per row, in table order.
 * @example
 * ```ts
 * calibrationRecords(calibrationTable([{ customerId: "a", date: new Date("2024-01-01"), amount: 10 }], { calibrationEnd: "2024-01-08" }))[0].T;
 * //=> 1
 * ```
 * @category Summaries
 */
export function calibrationRecords(table: CalibrationTable): CalibrationSummary[] {
  const out: CalibrationSummary[] = new Array(table.length);
  for (let k = 0; k < table.length; k++) {
    out[k] = { customerId: table.ids[k], x: table.x[k], t_x: table.t_x[k], T: table.T[k], monetaryValue: table.monetaryValue[k], firstPurchase: dayToDate(table.firstPurchase[k]) };
  }
  return out;
}
