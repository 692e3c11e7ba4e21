/**
 * The columnar form of a transaction log used by the hot loops of every analytic: typed arrays
 * plus a `Map` from customer id to a dense index. Built once per call.
 * @module
 */
import { makeDayParser, instantToDay } from "./dates.js";
import { InvalidRecordError } from "./errors.js";
import type { Transaction } from "./types.js";

/**
 * A transaction log as columns. Row `i` is the `i`-th transaction of the input.
 * @category Columnar
 */
export interface TransactionColumns {
  /** Number of rows. */
  readonly length: number;
  /** Customer ids by dense index, in order of first appearance. */
  readonly ids: readonly string[];
  /** Dense index per customer id. */
  readonly index: ReadonlyMap<string, number>;
  /** Dense customer index per row. */
  readonly customer: Int32Array;
  /** Epoch day (days since 1970-01-01 UTC) per row. */
  readonly day: Int32Array;
  /** Amount per row. */
  readonly amount: Float64Array;
  /** Order id per row (the input's string, not copied), or `null` when the row has none. */
  readonly orderId: readonly (string | null)[];
}

const parseFallbackDay = makeDayParser("auto", instantToDay("UTC") as (ms: number) => number);

/** Where {@link withColumns} keeps an array's prebuilt columns. */
const PREBUILT: unique symbol = Symbol("customer-analytics.columns");

/**
 * A private shallow copy of `list` that carries its columns, built once: every
 * `toTransactionColumns` call on the copy returns them instead of rebuilding (the one-call
 * pipeline passes the copy to each step). The copy is frozen so the cached columns cannot go
 * stale by adding or removing rows; the caller must not mutate the row objects meanwhile.
 * @internal
 */
export function withColumns(list: readonly Transaction[], fn: string): readonly Transaction[] {
  const copy = list.slice();
  const cols = toTransactionColumns(copy, fn);
  Object.defineProperty(copy, PREBUILT, { value: cols, enumerable: false });
  return Object.freeze(copy);
}

/**
 * Convert transactions to columns, validating each one (non-empty string id, valid date,
 * finite amount). A `date` that is not a `Date` is parsed as by `parseTransactions` in
 * `"auto"` format.
 *
 * @param transactions - any iterable of transactions (read once).
 * @param fn - name of the calling function, used in error messages.
 * @returns the columns.
 * @throws {@link InvalidRecordError} naming the 1-based row, the field and the value.
 * @example
 * ```ts
 * const c = toTransactionColumns([{ customerId: "a", date: new Date("1970-01-03"), amount: 5 }]);
 * [c.length, c.day[0], c.ids[0]];
 * //=> [1, 2, "a"]
 * ```
 * @category Columnar
 */
export function toTransactionColumns(transactions: Iterable<Transaction>, fn = "toTransactionColumns"): TransactionColumns {
  const prebuilt = (transactions as { [PREBUILT]?: TransactionColumns })[PREBUILT];
  if (prebuilt !== undefined) return prebuilt;
  const list = Array.isArray(transactions) ? (transactions as readonly Transaction[]) : [...transactions];
  const n = list.length;
  const customer = new Int32Array(n);
  const day = new Int32Array(n);
  const amount = new Float64Array(n);
  const orderId: (string | null)[] = new Array(n);
  const index = new Map<string, number>();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = list[i];
    if (t === null || typeof t !== "object") {
      throw new InvalidRecordError(fn, { row: i + 1, field: "*", value: t, expected: "a transaction object" });
    }
    const id = t.customerId;
    if (typeof id !== "string" || id === "") {
      throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: id, expected: "a non-empty string" });
    }
    let c = index.get(id);
    if (c === undefined) {
      c = ids.length;
      index.set(id, c);
      ids.push(id);
    }
    customer[i] = c;
    const d = t.date instanceof Date ? Math.floor(t.date.getTime() / 86_400_000) : parseFallbackDay(t.date);
    if (d === null || !Number.isFinite(d)) {
      throw new InvalidRecordError(fn, { row: i + 1, field: "date", value: t.date, expected: "a valid Date or ISO date string" });
    }
    day[i] = d;
    const a = t.amount;
    if (typeof a !== "number" || !Number.isFinite(a)) {
      throw new InvalidRecordError(fn, { row: i + 1, field: "amount", value: a, expected: "a finite number" });
    }
    amount[i] = a;
    const oid = t.orderId;
    orderId[i] = oid === undefined || oid === null || oid === "" ? null : String(oid);
  }
  return { length: n, ids, index, customer, day, amount, orderId };
}

/**
 * Row indices grouped by customer (counting sort): rows of customer `c` are
 * `rows[start[c]] .. rows[start[c + 1] - 1]`, in input order. Rows for which `keep` is false
 * are left out.
 * @internal
 */
export function groupRowsByCustomer(
  cols: TransactionColumns,
  keep: (row: number) => boolean = () => true,
): { start: Int32Array; rows: Int32Array } {
  const nc = cols.ids.length;
  const start = new Int32Array(nc + 1);
  let kept = 0;
  for (let i = 0; i < cols.length; i++) {
    if (keep(i)) {
      start[cols.customer[i] + 1]++;
      kept++;
    }
  }
  for (let c = 0; c < nc; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nc);
  const rows = new Int32Array(kept);
  for (let i = 0; i < cols.length; i++) if (keep(i)) rows[fill[cols.customer[i]]++] = i;
  return { start, rows };
}

/**
 * Neumaier-compensated sum of numbers (for money totals over many rows).
 *
 * @example
 * ```ts
 * fsum([0.1, 0.2, 0.3]);
 * //=> 0.6
 * ```
 * @category Columnar
 */
export function fsum(values: Iterable<number> | ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  const add = (v: number) => {
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) comp += sum - t + v;
    else comp += v - t + sum;
    sum = t;
  };
  if (typeof (values as Iterable<number>)[Symbol.iterator] === "function") for (const v of values as Iterable<number>) add(v);
  else for (let i = 0; i < (values as ArrayLike<number>).length; i++) add((values as ArrayLike<number>)[i]);
  return sum + comp;
}
