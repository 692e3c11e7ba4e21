import { groupRowsByCustomer, toTransactionColumns, type TransactionColumns } from "../core/columns.js";
import { InvalidOptionError } from "../core/errors.js";
import { dayToDate, daysPerUnit, toEpochDay } from "../core/time.js";
import type { CalibrationSummary, CustomerSummary, DateInput, TimeUnit, Transaction } from "../core/types.js";

/**
 * Options of {@link summarizeCustomers}.
 * @category Summaries
 */
export interface SummarizeCustomersOptions {
  /** Analysis day: transactions after it are excluded (and counted); recency and tenure are measured to it. Default: the last transaction day. */
  asOf?: DateInput;
  /** Length in days of the period used by `spendPerPeriod`. Default 30. */
  periodDays?: number;
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
  /** Orders made only of negative lines (pure returns): netted into spend, not counted as purchases. */
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
 * at least one of its lines is non-negative.
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
    if (cols.amount[i] >= 0) scratch.purchase[slot] = 1;
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

function resolveAsOf(cols: TransactionColumns, asOf: DateInput | undefined, fn: string, option: string): number {
  if (asOf !== undefined) return toEpochDay(asOf, fn, option);
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
 *   negative lines (a pure return) is not a purchase: it reduces `totalSpend` but does not
 *   count in `frequency`, first/last purchase or gaps.
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
  transactions: Iterable<Transaction>,
  options: SummarizeCustomersOptions = {},
): SummaryResult {
  const fn = "summarizeCustomers";
  const o = { ...SUMMARIZE_DEFAULTS, ...options };
  if (!(typeof o.periodDays === "number" && Number.isFinite(o.periodDays) && o.periodDays > 0)) {
    throw new InvalidOptionError(fn, "periodDays", o.periodDays, "a positive number of days");
  }
  const cols = toTransactionColumns(transactions, fn);
  const asOf = resolveAsOf(cols, o.asOf, fn, "asOf");
  const { start, rows } = groupRowsByCustomer(cols, (i) => cols.day[i] <= asOf);
  const scratch = makeScratch(maxGroupSize(start));
  const byOrder = new Map<number, number>();
  const byDay = new Map<number, number>();
  const customers: CustomerSummary[] = [];
  let orders = 0;
  let returnOnlyOrders = 0;
  let withoutPurchase = 0;

  for (let c = 0; c < cols.ids.length; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    collectOrders(cols, rows, from, to, scratch, byOrder, byDay);
    let total = 0;
    let returnLines = 0;
    let returnAmount = 0;
    for (let k = from; k < to; k++) {
      const a = cols.amount[rows[k]];
      total += a;
      if (a < 0) {
        returnLines++;
        returnAmount -= a;
      }
    }
    const n = sortedPurchaseDays(scratch);
    returnOnlyOrders += scratch.count - n;
    if (n === 0) {
      withoutPurchase++;
      continue;
    }
    const days = scratch.days;
    orders += n;
    const first = days[0];
    const last = days[n - 1];
    const meanGap = n >= 2 ? (last - first) / (n - 1) : null;
    let sdGap: number | null = null;
    if (n >= 3 && meanGap !== null) {
      let ss = 0;
      for (let k = 1; k < n; k++) {
        const g = days[k] - days[k - 1] - meanGap;
        ss += g * g;
      }
      sdGap = Math.sqrt(ss / (n - 2));
    }
    const tenure = asOf - first;
    customers.push({
      customerId: cols.ids[c],
      firstPurchase: dayToDate(first),
      lastPurchase: dayToDate(last),
      frequency: n,
      repeatPurchases: n - 1,
      totalSpend: total,
      averageOrderValue: total / n,
      recencyDays: asOf - last,
      tenureDays: tenure,
      meanGapDays: meanGap,
      sdGapDays: sdGap,
      spendPerPeriod: total / Math.max(1, tenure / o.periodDays),
      returnLines,
      returnAmount,
    });
  }
  customers.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  const used = rows.length;
  return {
    customers,
    report: {
      asOf: dayToDate(asOf).toISOString().slice(0, 10),
      transactions: cols.length,
      used,
      excludedAfterAsOf: cols.length - used,
      customers: customers.length,
      customersWithoutPurchase: withoutPurchase,
      orders,
      returnOnlyOrders,
    },
  };
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
export function summarizeCustomers(transactions: Iterable<Transaction>, options: SummarizeCustomersOptions = {}): CustomerSummary[] {
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
}

/**
 * The calibration-period summary used by BG/NBD, Pareto/NBD and Gamma-Gamma: per customer the
 * repeat purchases `x`, the time of the last purchase `t_x`, the age `T` and the mean repeat
 * purchase value.
 *
 * @remarks
 * Purchases are the customer's purchase days (or orders with `groupBy: "order"`) on or before
 * `calibrationEnd`; a purchase whose lines are all negative (a pure return) is not one. With
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
export function calibrationSummary(transactions: Iterable<Transaction>, options: CalibrationSummaryOptions = {}): CalibrationSummary[] {
  const fn = "calibrationSummary";
  const unit = daysPerUnit(options.timeUnit ?? "weeks");
  const groupBy = options.groupBy ?? "day";
  if (groupBy !== "day" && groupBy !== "order") throw new InvalidOptionError(fn, "groupBy", groupBy, '"day" or "order"');
  const cols = toTransactionColumns(transactions, fn);
  const end = resolveAsOf(cols, options.calibrationEnd, fn, "calibrationEnd");
  const { start, rows } = groupRowsByCustomer(cols, (i) => cols.day[i] <= end);
  const scratch = makeScratch(maxGroupSize(start));
  const byOrder = new Map<number, number>();
  const byDay = new Map<number, number>();
  const noOrders: TransactionColumns = { ...cols, order: new Int32Array(cols.length).fill(-1) };
  const source = groupBy === "day" ? noOrders : cols;
  const purchases: { day: number; net: number }[] = [];
  const out: CalibrationSummary[] = [];
  for (let c = 0; c < cols.ids.length; c++) {
    if (start[c] === start[c + 1]) continue;
    collectOrders(source, rows, start[c], start[c + 1], scratch, byOrder, byDay);
    purchases.length = 0;
    for (let s = 0; s < scratch.count; s++) if (scratch.purchase[s]) purchases.push({ day: scratch.day[s], net: scratch.net[s] });
    if (purchases.length === 0) continue;
    purchases.sort((a, b) => a.day - b.day);
    const first = purchases[0].day;
    const x = purchases.length - 1;
    let repeatValue = 0;
    for (let k = 1; k < purchases.length; k++) repeatValue += purchases[k].net;
    out.push({
      customerId: cols.ids[c],
      x,
      t_x: (purchases[x].day - first) / unit,
      T: (end - first) / unit,
      monetaryValue: x > 0 ? repeatValue / x : 0,
      firstPurchase: dayToDate(first),
    });
  }
  out.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  return out;
}
