/**
 * Private helper shared by the profitability and lifecycle folders (not exported from the
 * package): the orders of one customer's rows, by the rule of the customer summaries
 * (`summarizeCustomersTable`): rows sharing an order id form one order, rows without an order id
 * form one order per day; an order is dated at its earliest line and is a purchase when at
 * least one of its lines is not a return (`isReturnAmount`).
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { isReturnAmount, type TransactionTable } from "../core/table.js";

/** Collects one customer's orders; reuse one instance across customers. */
export class OrderCollector {
  private readonly byOrder = new Map<number, number>();
  private readonly byDay = new Map<number, number>();
  /** Day of each order (earliest line), by slot. */
  day: number[] = [];
  /** 1 when the order has a non-return line, by slot. */
  purchase: number[] = [];
  /** Orders collected. */
  count = 0;

  /**
   * Collect the orders of rows `rows[from..to)` (one customer's rows).
   * @returns the number of purchase orders.
   */
  collect(t: TransactionTable, rows: Int32Array, from: number, to: number): number {
    this.byOrder.clear();
    this.byDay.clear();
    this.count = 0;
    let purchases = 0;
    for (let k = from; k < to; k++) {
      const i = rows[k];
      const o = t.order[i];
      const d = t.day[i];
      const map = o >= 0 ? this.byOrder : this.byDay;
      const key = o >= 0 ? o : d;
      let slot = map.get(key);
      if (slot === undefined) {
        slot = this.count++;
        map.set(key, slot);
        this.day[slot] = d;
        this.purchase[slot] = 0;
      } else if (d < this.day[slot]) this.day[slot] = d;
      if (this.purchase[slot] === 0 && !isReturnAmount(t.amount[i])) {
        this.purchase[slot] = 1;
        purchases++;
      }
    }
    return purchases;
  }
}

/**
 * A per-customer input given as a `Map` keyed by customer id or as a column aligned with
 * `ids`, resolved to one Float64Array aligned with `ids`. Ids absent from a Map get `fill`;
 * Map keys that are not in `ids` are counted in `unmatched`.
 * @throws InvalidOptionError for a column of the wrong length or another type;
 *   InvalidRecordError for a value that fails `valid` (row = the customer id).
 */
export function perCustomerInput(
  values: ReadonlyMap<string, number> | ArrayLike<number>,
  ids: readonly string[],
  index: ReadonlyMap<string, number>,
  fn: string,
  option: string,
  valid: (x: number) => boolean,
  expected: string,
  fill = 0,
): { column: Float64Array; unmatched: number } {
  const n = ids.length;
  const column = new Float64Array(n).fill(fill);
  let unmatched = 0;
  if (values instanceof Map) {
    for (const [id, v] of values as ReadonlyMap<string, number>) {
      const k = index.get(id);
      if (k === undefined) {
        unmatched++;
        continue;
      }
      if (typeof v !== "number" || !valid(v)) throw new InvalidRecordError(fn, { row: id, field: option, value: v, expected });
      column[k] = v;
    }
    return { column, unmatched };
  }
  if (values === null || typeof values !== "object" || typeof (values as ArrayLike<number>).length !== "number") {
    throw new InvalidOptionError(fn, option, values, "a Map from customer id to a number, or a column with one number per output row");
  }
  const col = values as ArrayLike<number>;
  if (col.length !== n) throw new InvalidOptionError(fn, option, `${col.length} values`, `${n} values, one per output row (in the order of the result's ids)`);
  for (let k = 0; k < n; k++) {
    const v = col[k];
    if (typeof v !== "number" || !valid(v)) throw new InvalidRecordError(fn, { row: ids[k], field: option, value: v, expected });
    column[k] = v;
  }
  return { column, unmatched };
}

/** Index of ids (id -> row); throws for a duplicate or non-string id. */
export function indexIds(ids: readonly string[], fn: string, option: string): Map<string, number> {
  if (!Array.isArray(ids)) throw new InvalidOptionError(fn, option, ids, "an array of customer ids");
  const index = new Map<string, number>();
  ids.forEach((id, k) => {
    if (typeof id !== "string") throw new InvalidOptionError(fn, `${option}[${k}]`, id, "a customer id (string)");
    if (index.has(id)) throw new InvalidOptionError(fn, `${option}[${k}]`, id, "distinct customer ids (this one appears twice)");
    index.set(id, k);
  });
  return index;
}

/** Codes of the customers of a transaction table, sorted by id (code-unit order, as the CustomerTable). */
export function sortedCustomerCodes(ids: readonly string[], keep: (c: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let c = 0; c < ids.length; c++) if (keep(c)) out.push(c);
  return Int32Array.from(out).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
}
