import { groupRowsByCustomer, toTransactionTable } from "../core/columns.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { isReturnAmount, type DictionaryColumn, type TransactionTable } from "../core/table.js";
import { toEpochDay } from "../core/time.js";
import type { DateInput, Transaction } from "../core/types.js";
import { fsum } from "../numeric/sum.js";
import { abcClassesColumns, type AbcClass, type AbcGroup } from "../rfm/pareto.js";
import { indexIds, OrderCollector, perCustomerInput, sortedCustomerCodes } from "./internal.js";
import { whaleCurve, type WhaleCurve } from "./whale.js";

/**
 * Where a line's profit comes from: `"cost"` (amount − the `cost` column), `"margin"` (the
 * `margin` column, profit in currency) or `"marginRate"` (amount × the `marginRate` option).
 * @category Profitability
 */
export type ProfitSource = "cost" | "margin" | "marginRate";

/**
 * The three profit zones: `"profitable"` (profit > 0); `"potentially profitable"` (profit <= 0
 * now, positive future value); `"unprofitable"` (profit <= 0 and no positive future value).
 * @category Profitability
 */
export type ProfitZone = "profitable" | "potentially profitable" | "unprofitable";

/** The zones by code (the order of `zones` and of the zone column's `values`). */
const ZONES: readonly ProfitZone[] = Object.freeze(["profitable", "potentially profitable", "unprofitable"] as const);

/**
 * Options of {@link lineProfit}.
 * @category Profitability
 */
export interface LineProfitOptions {
  /**
   * The profit source; exactly one is used. Default: inferred — `"marginRate"` when
   * `marginRate` is given, else the one of the `cost` / `margin` columns the table has (an
   * error when it has both or neither).
   */
  source?: ProfitSource;
  /** Profit as a share of the amount, for `source: "marginRate"`: a finite number <= 1 (negative = sold at a loss). No default. */
  marginRate?: number;
  /**
   * A line whose cost or margin is missing (`NaN`): `"error"` throws an `InvalidRecordError`;
   * `"zero"` gives it zero profit (its cost is taken equal to its amount) and counts it.
   * Default `"error"`.
   */
  missing?: "error" | "zero";
}

/**
 * Result of {@link lineProfit}.
 * @category Profitability
 */
export interface LineProfitResult {
  /** Profit per transaction row. */
  profit: Float64Array;
  /** Product cost per row: the `cost` column, or `amount - profit` for the other sources. */
  cost: Float64Array;
  /** The source used. */
  source: ProfitSource;
  /** Rows whose cost/margin was missing (given zero profit; only under `missing: "zero"`). */
  missingRows: number;
}

const LINE_PROFIT_DEFAULTS = Object.freeze({ missing: "error" as "error" | "zero" });

/** The source to use, checked against the table and the options. */
function resolveSource(t: TransactionTable, source: ProfitSource | undefined, marginRate: number | undefined, fn: string): ProfitSource {
  if (marginRate !== undefined && !(typeof marginRate === "number" && Number.isFinite(marginRate) && marginRate <= 1)) {
    throw new InvalidOptionError(fn, "marginRate", marginRate, "a finite share of the amount <= 1 (e.g. 0.3; negative for a loss)");
  }
  if (source === undefined) {
    if (marginRate !== undefined) return "marginRate";
    if (t.cost && t.margin) throw new InvalidOptionError(fn, "source", undefined, 'one profit source: the table has both a cost and a margin column, so say which (source: "cost" or "margin")');
    if (t.cost) return "cost";
    if (t.margin) return "margin";
    throw new InvalidOptionError(fn, "source", undefined, 'a profit source: map a cost or margin column when reading, or pass marginRate (e.g. { marginRate: 0.3 })');
  }
  if (source !== "cost" && source !== "margin" && source !== "marginRate") throw new InvalidOptionError(fn, "source", source, '"cost", "margin" or "marginRate"');
  if (source === "marginRate" && marginRate === undefined) throw new InvalidOptionError(fn, "marginRate", marginRate, 'a margin rate with source "marginRate"');
  if (source !== "marginRate" && marginRate !== undefined) throw new InvalidOptionError(fn, "marginRate", marginRate, `no marginRate with source "${source}" (exactly one profit source)`);
  if (source === "cost" && !t.cost) throw new InvalidOptionError(fn, "source", source, "a source the table has: it has no cost column");
  if (source === "margin" && !t.margin) throw new InvalidOptionError(fn, "source", source, "a source the table has: it has no margin column");
  return source;
}

/**
 * Profit per transaction line, from exactly one source: a cost column, a margin column or a
 * margin rate.
 *
 * @remarks
 * - `"cost"`: profit = amount − cost;
 * - `"margin"`: profit = margin (the column is profit in currency);
 * - `"marginRate"`: profit = amount × marginRate.
 *
 * Returns follow the sign of their lines: a return line (negative amount) should carry a
 * negative cost / margin (the goods' cost comes back), so its profit reverses the sale's; with a
 * margin rate this happens by itself. Costs larger than the amount and negative margins are
 * kept as they are: they are loss-making lines, with negative profit. Complexity O(n).
 *
 * @param table - the transaction table (or `Transaction` records, converted once).
 * @param options - see {@link LineProfitOptions}.
 * @returns profit and cost per row, the source used and the count of missing values.
 * @throws {@link InvalidOptionError} when no source or more than one is possible, or the chosen one is missing.
 * @throws {@link InvalidRecordError} for a row without cost/margin (under `missing: "error"`), `row` 1-based.
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   { customerId: "a", date: "2024-01-01", amount: 100, cost: 70 },
 *   { customerId: "a", date: "2024-01-05", amount: -20, cost: -14 },
 * ]);
 * const r = lineProfit(t);
 * [[...r.profit], r.source];
 * //=> [[30, -6], "cost"]
 * [...lineProfit(t, { marginRate: 0.25 }).profit];
 * //=> [25, -5]
 * ```
 * @category Profitability
 */
export function lineProfit(table: TransactionTable | Iterable<Transaction>, options: LineProfitOptions = {}): LineProfitResult {
  return lineProfitCore(toTransactionTable(table, "lineProfit"), options, "lineProfit");
}

function lineProfitCore(t: TransactionTable, options: LineProfitOptions, fn: string): LineProfitResult {
  const o = withDefaults(LINE_PROFIT_DEFAULTS, options);
  if (o.missing !== "error" && o.missing !== "zero") throw new InvalidOptionError(fn, "missing", o.missing, '"error" or "zero"');
  const source = resolveSource(t, o.source, o.marginRate, fn);
  const n = t.length;
  const profit = new Float64Array(n);
  const cost = new Float64Array(n);
  let missingRows = 0;
  const amount = t.amount;
  if (source === "marginRate") {
    const rate = o.marginRate as number;
    for (let i = 0; i < n; i++) {
      profit[i] = amount[i] * rate;
      cost[i] = amount[i] - profit[i];
    }
  } else {
    const col = (source === "cost" ? t.cost : t.margin) as Float64Array;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) {
        if (o.missing === "error") {
          throw new InvalidRecordError(fn, { row: i + 1, field: source, value: v, expected: `a ${source} on every line (or pass missing: "zero" to give such lines zero profit)` });
        }
        missingRows++;
        profit[i] = 0;
        cost[i] = amount[i];
      } else if (source === "cost") {
        profit[i] = amount[i] - v;
        cost[i] = v;
      } else {
        profit[i] = v;
        cost[i] = amount[i] - v;
      }
    }
  }
  return { profit, cost, source, missingRows };
}

/**
 * Options of {@link customerProfitability}.
 * @category Profitability
 */
export interface CustomerProfitabilityOptions extends LineProfitOptions {
  /** Last day included: later rows are left out and counted. Default: every row. */
  asOf?: DateInput;
  /** Time zone in which an `asOf` instant becomes a day. Default `"UTC"`. */
  timeZone?: string;
  /**
   * Output rows, e.g. a `CustomerTable`'s `ids` to align the columns with it; listed customers
   * without transactions get zeros, customers with transactions but not listed are counted in
   * `report.unlisted`. Default: every customer with a row by `asOf`, sorted by id (the
   * `CustomerTable` order, plus customers whose only lines are returns).
   */
  ids?: readonly string[];
  /** Cost to serve per purchase order (an order with at least one non-return line), >= 0. Default 0. */
  costPerOrder?: number;
  /** Cost to serve per return line (handling, restocking), >= 0. Default 0. */
  costPerReturnLine?: number;
  /** Cost to serve per contact (call, visit, ticket), >= 0. Default 0. */
  costPerContact?: number;
  /** Contacts per customer: a Map keyed by customer id, or one count per output row (in `ids` order). Missing ids: 0 contacts. Default: none. */
  contacts?: ReadonlyMap<string, number> | ArrayLike<number>;
  /**
   * Future value per customer (e.g. a CLV forecast), for the "potentially profitable" zone: a
   * Map keyed by customer id or one value per output row. Missing ids: 0. Default: none (then
   * nobody is "potentially profitable").
   */
  futureValue?: ReadonlyMap<string, number> | ArrayLike<number>;
  /** Cumulative-share cutoffs of the ABC classes (as `abcClasses`' `cutoffs`, by value). Default `[0.8, 0.95]`. */
  abcCutoffs?: readonly [number, number];
}

/**
 * One row of the profit-zone table.
 * @category Profitability
 */
export interface ProfitZoneRow {
  /** The zone. */
  zone: ProfitZone;
  /** Customers in it. */
  count: number;
  /** `count / customers` (0 for none). */
  customerShare: number;
  /** Their net revenue. */
  revenue: number;
  /** Their profit after cost to serve. */
  profit: number;
  /** Their future value (0 when none was given). */
  futureValue: number;
}

/**
 * Customers with rows but not in the `ids` option of {@link customerProfitability}.
 * @category Profitability
 */
export interface UnlistedCustomers {
  /** How many. */
  customers: number;
  /** Their net revenue. */
  revenue: number;
  /** Their profit after orders and return lines are costed (contacts apply to rows only). */
  profit: number;
}

/**
 * Keys of the per-customer Maps that match no output row.
 * @category Profitability
 */
export interface UnmatchedKeys {
  /** Keys of `contacts`. */
  contacts: number;
  /** Keys of `futureValue`. */
  futureValue: number;
}

/**
 * Totals of {@link customerProfitability} over its rows (exact sums).
 * @category Profitability
 */
export interface ProfitabilityTotals {
  /** Net revenue. */
  revenue: number;
  /** Product cost. */
  productCost: number;
  /** Gross profit. */
  grossProfit: number;
  /** Cost to serve. */
  serviceCost: number;
  /** Product cost + cost to serve. */
  cost: number;
  /** Profit after cost to serve. */
  profit: number;
}

/**
 * The two ABC tables of {@link customerProfitability}.
 * @category Profitability
 */
export interface ProfitabilityAbc {
  /** Classes by profit (four rows: A, B, C, zero). */
  byProfit: AbcGroup[];
  /** Classes by net revenue (four rows). */
  byRevenue: AbcGroup[];
}

/**
 * What {@link customerProfitability} did with the input.
 * @category Profitability
 */
export interface CustomerProfitabilityReport {
  /** Rows of the table. */
  rows: number;
  /** Rows on or before `asOf`, used (including those of unlisted customers). */
  usedRows: number;
  /** Rows after `asOf`, left out. `usedRows + excludedAfterAsOf === rows`. */
  excludedAfterAsOf: number;
  /** Rows without cost/margin given zero profit (`missing: "zero"`). */
  missingRows: number;
  /** Customers with rows by `asOf` that are not in the `ids` option, with their revenue and profit (all zero without `ids`). */
  unlisted: UnlistedCustomers;
  /** Keys of the `contacts` / `futureValue` Maps that match no output row. */
  unmatchedKeys: UnmatchedKeys;
  /** Whether a future value was given (without one, nobody is "potentially profitable"). */
  futureValueGiven: boolean;
}

/**
 * Result of {@link customerProfitability}: per-customer columns (row k = customer `ids[k]`)
 * and the summaries.
 * @category Profitability
 */
export interface CustomerProfitabilityResult {
  /** Number of customers (rows). */
  length: number;
  /** Customer id per row. */
  ids: readonly string[];
  /** The profit source used. */
  source: ProfitSource;
  /** Net revenue (returns subtracted). */
  revenue: Float64Array;
  /** Product cost (the cost column, or revenue − gross profit). */
  productCost: Float64Array;
  /** Gross profit: the sum of the line profits. */
  grossProfit: Float64Array;
  /** Cost to serve: orders × costPerOrder + return lines × costPerReturnLine + contacts × costPerContact. */
  serviceCost: Float64Array;
  /** `productCost + serviceCost`. */
  cost: Float64Array;
  /** `grossProfit − serviceCost` (= revenue − cost). */
  profit: Float64Array;
  /** Purchase orders. */
  orders: Int32Array;
  /** Return lines. */
  returnLines: Int32Array;
  /** Contacts used (0 when none were given). */
  contacts: Float64Array;
  /** Future value used (0 when none was given). */
  futureValue: Float64Array;
  /** Profit zone per row; `values` is `["profitable", "potentially profitable", "unprofitable"]`. */
  zone: DictionaryColumn<ProfitZone>;
  /** ABC class by profit (loss-makers and zero profit in `"zero"`); values `["A", "B", "C", "zero"]`. */
  abcByProfit: DictionaryColumn<AbcClass>;
  /** ABC class by net revenue (zero or negative revenue in `"zero"`). */
  abcByRevenue: DictionaryColumn<AbcClass>;
  /** Totals over the rows (exact sums). */
  totals: ProfitabilityTotals;
  /** The three zones, in the order of {@link ProfitZone}; counts sum to `length`. */
  zones: ProfitZoneRow[];
  /** The whale curve of `profit` (its `order` indexes these rows). */
  whale: WhaleCurve;
  /** The ABC tables (four rows each: A, B, C, zero), by profit and by revenue. */
  abc: ProfitabilityAbc;
  /** Accounting of the input. */
  report: CustomerProfitabilityReport;
}

const PROFITABILITY_DEFAULTS = Object.freeze({ costPerOrder: 0, costPerReturnLine: 0, costPerContact: 0, missing: "error" as "error" | "zero" });

/**
 * Customer profitability: revenue, cost (product cost plus cost to serve) and profit per
 * customer; the three profit zones; the whale curve; ABC classes by profit and by revenue.
 *
 * @remarks
 * Line profit comes from exactly one source ({@link lineProfit}). Per customer, over the rows
 * on or before `asOf`:
 * revenue = Σ amount; grossProfit = Σ line profit; productCost = Σ line cost;
 * serviceCost = orders × costPerOrder + returnLines × costPerReturnLine + contacts × costPerContact;
 * profit = grossProfit − serviceCost. Orders follow the customer summaries' rule (order id, else
 * one order per customer and day; a purchase order has a non-return line); return lines are
 * those with the amount's sign bit set (`isReturnAmount`). Every sum is exact ({@link fsum}).
 *
 * Zones (the customer-profitability papers of the sources, SPEC section 8): profitable when
 * profit > 0; "potentially profitable" when profit <= 0 and futureValue > 0; otherwise
 * unprofitable. ABC classes rank by profit and by revenue (`abcClassesColumns`, by value, with
 * `negatives: "zero"`: customers who lose money, or have no net revenue, form the "zero" group).
 * Complexity O(n + c log c) for n rows and c customers.
 *
 * @param transactions - the transaction table (or `Transaction` records, converted once), with a cost or margin column, or pass `marginRate`.
 * @param options - see {@link CustomerProfitabilityOptions}.
 * @returns per-customer columns, totals, zones, the whale curve and ABC tables.
 * @throws {@link InvalidOptionError} for a bad option (no or two profit sources, a negative cost rate, a column of the wrong length).
 * @throws {@link InvalidRecordError} for a missing cost/margin (default), a bad contact count or future value (`row` = customer id).
 * @example
 * ```ts
 * const t = toTransactionTable([
 *   { customerId: "a", date: "2024-01-01", amount: 100, cost: 60, orderId: "1" },
 *   { customerId: "b", date: "2024-01-02", amount: 50, cost: 45, orderId: "2" },
 *   { customerId: "b", date: "2024-01-09", amount: -50, cost: -45, orderId: "3" },
 * ]);
 * // a: 100 - 60 - 1 order x 5 = 35; b: (5 - 5) - 1 order x 5 - 1 return x 8 = -13
 * const p = customerProfitability(t, { costPerOrder: 5, costPerReturnLine: 8, futureValue: new Map([["b", 40]]) });
 * [p.ids, [...p.profit], p.zones.map((z) => z.count), p.whale.peak];
 * //=> [["a", "b"], [35, -13], [1, 1, 0], 1.5909090909090908]
 * ```
 * @category Profitability
 */
export function customerProfitability(transactions: TransactionTable | Iterable<Transaction>, options: CustomerProfitabilityOptions = {}): CustomerProfitabilityResult {
  const fn = "customerProfitability";
  const table = toTransactionTable(transactions, fn);
  const o = withDefaults(PROFITABILITY_DEFAULTS, options);
  for (const key of ["costPerOrder", "costPerReturnLine", "costPerContact"] as const) {
    const v = o[key];
    if (!(typeof v === "number" && Number.isFinite(v) && v >= 0)) throw new InvalidOptionError(fn, key, v, "a finite cost >= 0");
  }
  const line = lineProfitCore(table, { source: o.source, marginRate: o.marginRate, missing: o.missing }, fn);
  const asOf = o.asOf === undefined ? Infinity : toEpochDay(o.asOf, fn, "asOf", { timeZone: o.timeZone });
  const { start, rows } = groupRowsByCustomer(table, (i) => table.day[i] <= asOf);
  const nc = table.ids.length;

  // Output rows: the `ids` option, or every customer with a used row, sorted by id.
  let ids: readonly string[];
  let rowOf: Int32Array; // customer code -> output row, -1 = unlisted
  if (o.ids !== undefined) {
    const index = indexIds(o.ids, fn, "ids");
    ids = o.ids.slice();
    rowOf = new Int32Array(nc);
    for (let c = 0; c < nc; c++) rowOf[c] = index.get(table.ids[c]) ?? -1;
  } else {
    const codes = sortedCustomerCodes(table.ids, (c) => start[c + 1] > start[c]);
    ids = Array.from(codes, (c) => table.ids[c]);
    rowOf = new Int32Array(nc).fill(-1);
    codes.forEach((c, k) => (rowOf[c] = k));
  }
  const n = ids.length;
  const index = new Map<string, number>();
  ids.forEach((id, k) => index.set(id, k));

  const revenue = new Float64Array(n);
  const productCost = new Float64Array(n);
  const grossProfit = new Float64Array(n);
  const orders = new Int32Array(n);
  const returnLines = new Int32Array(n);
  const collector = new OrderCollector();
  let maxGroup = 0;
  for (let c = 0; c < nc; c++) maxGroup = Math.max(maxGroup, start[c + 1] - start[c]);
  const scratchA = new Float64Array(maxGroup);
  const scratchP = new Float64Array(maxGroup);
  const scratchC = new Float64Array(maxGroup);
  const unlistedRevenue: number[] = [];
  const unlistedProfit: number[] = [];
  let unlistedCustomers = 0;
  for (let c = 0; c < nc; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    let ret = 0;
    for (let k = from; k < to; k++) {
      const i = rows[k];
      scratchA[k - from] = table.amount[i];
      scratchP[k - from] = line.profit[i];
      scratchC[k - from] = line.cost[i];
      if (isReturnAmount(table.amount[i])) ret++;
    }
    const m = to - from;
    const r = rowOf[c];
    const purchases = collector.collect(table, rows, from, to);
    if (r < 0) {
      // not listed: accounted for in the report (its cost to serve without contacts)
      unlistedCustomers++;
      unlistedRevenue.push(fsum(scratchA.subarray(0, m)));
      unlistedProfit.push(fsum(scratchP.subarray(0, m)) - purchases * o.costPerOrder - ret * o.costPerReturnLine);
      continue;
    }
    revenue[r] = fsum(scratchA.subarray(0, m));
    grossProfit[r] = fsum(scratchP.subarray(0, m));
    productCost[r] = fsum(scratchC.subarray(0, m));
    orders[r] = purchases;
    returnLines[r] = ret;
  }

  const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  let contacts: Float64Array = new Float64Array(n);
  let unmatchedContacts = 0;
  if (o.contacts !== undefined) {
    const res = perCustomerInput(o.contacts, ids, index, fn, "contacts", nonNegative, "a finite number of contacts >= 0");
    contacts = res.column;
    unmatchedContacts = res.unmatched;
  }
  let futureValue: Float64Array = new Float64Array(n);
  let unmatchedFuture = 0;
  if (o.futureValue !== undefined) {
    const res = perCustomerInput(o.futureValue, ids, index, fn, "futureValue", Number.isFinite, "a finite future value");
    futureValue = res.column;
    unmatchedFuture = res.unmatched;
  }

  const serviceCost = new Float64Array(n);
  const cost = new Float64Array(n);
  const profit = new Float64Array(n);
  const zoneCodes = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    serviceCost[k] = fsum([orders[k] * o.costPerOrder, returnLines[k] * o.costPerReturnLine, contacts[k] * o.costPerContact]);
    cost[k] = productCost[k] + serviceCost[k];
    profit[k] = grossProfit[k] - serviceCost[k];
    zoneCodes[k] = profit[k] > 0 ? 0 : futureValue[k] > 0 ? 1 : 2;
  }

  const zones: ProfitZoneRow[] = ZONES.map((zone, z) => {
    const rev: number[] = [];
    const pro: number[] = [];
    const fut: number[] = [];
    for (let k = 0; k < n; k++) {
      if (zoneCodes[k] !== z) continue;
      rev.push(revenue[k]);
      pro.push(profit[k]);
      fut.push(futureValue[k]);
    }
    return { zone, count: rev.length, customerShare: n > 0 ? rev.length / n : 0, revenue: fsum(rev), profit: fsum(pro), futureValue: fsum(fut) };
  });
  const byProfit = abcClassesColumns(profit, { negatives: "zero", cutoffs: o.abcCutoffs });
  const byRevenue = abcClassesColumns(revenue, { negatives: "zero", cutoffs: o.abcCutoffs });
  const used = rows.length;
  return {
    length: n,
    ids,
    source: line.source,
    revenue,
    productCost,
    grossProfit,
    serviceCost,
    cost,
    profit,
    orders,
    returnLines,
    contacts,
    futureValue,
    zone: { codes: zoneCodes, values: ZONES },
    abcByProfit: byProfit.classes,
    abcByRevenue: byRevenue.classes,
    totals: {
      revenue: fsum(revenue),
      productCost: fsum(productCost),
      grossProfit: fsum(grossProfit),
      serviceCost: fsum(serviceCost),
      cost: fsum(cost),
      profit: fsum(profit),
    },
    zones,
    whale: whaleCurve(profit),
    abc: { byProfit: byProfit.groups, byRevenue: byRevenue.groups },
    report: {
      rows: table.length,
      usedRows: used,
      excludedAfterAsOf: table.length - used,
      missingRows: countMissing(table, line, rows),
      unlisted: { customers: unlistedCustomers, revenue: fsum(unlistedRevenue), profit: fsum(unlistedProfit) },
      unmatchedKeys: { contacts: unmatchedContacts, futureValue: unmatchedFuture },
      futureValueGiven: o.futureValue !== undefined,
    },
  };
}

/** Missing cost/margin values among the used rows. */
function countMissing(t: TransactionTable, line: LineProfitResult, rows: Int32Array): number {
  if (line.missingRows === 0 || line.source === "marginRate") return 0;
  const col = (line.source === "cost" ? t.cost : t.margin) as Float64Array;
  let m = 0;
  for (let k = 0; k < rows.length; k++) if (!Number.isFinite(col[rows[k]])) m++;
  return m;
}
