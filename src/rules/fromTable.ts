import { InvalidOptionError } from "../core/errors.js";
import type { TransactionTable } from "../core/table.js";
import { BasketBuilder, type Baskets, type BasketsFromOptions } from "./baskets.js";

/**
 * The columnar form of `basketsFrom`: market baskets straight from a {@link TransactionTable}'s
 * item lists, with the same rules and the same result (baskets in order of their first line,
 * the same ids, items and options).
 *
 * @remarks
 * One pass assigns each kept line (returns skipped unless `includeReturns`) to a basket: its
 * order code, else its customer and day (`by: "order"`), or its customer (`by: "customer"`);
 * a counting sort then groups the lines, so nothing is built per line. Item labels are mapped
 * (trim, `item`) once per distinct label. O(lines + items).
 *
 * @param table - the transaction table (its `items` column; without one every basket is empty).
 * @param options - see `BasketsFromOptions`.
 * @returns the baskets.
 * @throws {@link InvalidOptionError} for an unknown `by` or a non-function `item`.
 * @example
 * ```ts
 * const b = basketsFromTable(toTransactionTable([
 *   { customerId: "c1", date: new Date("2024-01-02"), amount: 5, orderId: "o1", items: ["milk", "bread"] },
 *   { customerId: "c1", date: new Date("2024-01-02"), amount: -2, orderId: "R1", items: ["milk"] },
 *   { customerId: "c2", date: new Date("2024-01-03"), amount: 3, items: ["milk"] },
 * ]));
 * [b.count, b.items, b.ids];
 * //=> [2, ["bread", "milk"], ["o1", "c2|2024-01-03"]]
 * ```
 * @category Association rules
 */
export function basketsFromTable(table: TransactionTable, options: BasketsFromOptions = {}): Baskets {
  const fn = "basketsFromTable";
  const by = options.by ?? "order";
  if (by !== "order" && by !== "customer") throw new InvalidOptionError(fn, "by", by, '"order" or "customer"');
  const mapItem = options.item;
  if (mapItem !== undefined && typeof mapItem !== "function") throw new InvalidOptionError(fn, "item", mapItem, "a function (label) => string | null");
  const attributes = options.attributes ?? [];
  if (!Array.isArray(attributes)) throw new InvalidOptionError(fn, "attributes", attributes, "an array of attribute names");
  const includeReturns = options.includeReturns ?? false;
  const n = table.length;

  // Basket of each kept line: one Map for every kind of key, in order of first appearance.
  const basketOf = new Int32Array(n).fill(-1);
  const keys = new Map<number | string, number>();
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!includeReturns && table.amount[i] < 0) continue;
    let key: number | string;
    if (by === "customer") key = table.customer[i];
    else if (table.order[i] >= 0) key = -1 - table.order[i];
    else key = `${table.customer[i]}|${table.day[i]}`;
    let b = keys.get(key);
    if (b === undefined) {
      b = names.length;
      keys.set(key, b);
      if (by === "customer") names.push(table.ids[table.customer[i]]);
      else if (table.order[i] >= 0) names.push(table.orderIds[table.order[i]]);
      else names.push(`${table.ids[table.customer[i]]}|${new Date(table.day[i] * 86_400_000).toISOString().slice(0, 10)}`);
    }
    basketOf[i] = b;
  }
  keys.clear();
  const nb = names.length;
  const start = new Int32Array(nb + 1);
  for (let i = 0; i < n; i++) if (basketOf[i] >= 0) start[basketOf[i] + 1]++;
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nb);
  const lines = new Int32Array(start[nb]);
  for (let i = 0; i < n; i++) if (basketOf[i] >= 0) lines[fill[basketOf[i]]++] = i;

  const builder = new BasketBuilder(true);
  const items = table.items;
  // Item code -> builder id (-2 = not mapped yet, -1 = left out).
  const itemId = new Int32Array(items ? items.labels.length : 0).fill(-2);
  const attrCols = attributes.map((a) => table.attributes?.get(a)).map((c, j) => (c ? { name: attributes[j], col: c, ids: new Int32Array(c.values.length).fill(-2) } : null));
  for (let b = 0; b < nb; b++) {
    builder.open(names[b]);
    for (let k = start[b]; k < start[b + 1]; k++) {
      const i = lines[k];
      if (items) {
        for (let e = items.offsets[i]; e < items.offsets[i + 1]; e++) {
          const code = items.codes[e];
          let id = itemId[code];
          if (id === -2) {
            const t = items.labels[code].trim();
            const m = mapItem ? mapItem(t) : t;
            id = typeof m === "string" && m.trim().length > 0 ? builder.idOf(m.trim()) : -1;
            itemId[code] = id;
          }
          if (id >= 0) builder.addId(id);
        }
      }
      for (const a of attrCols) {
        if (!a) continue;
        const code = a.col.codes[i];
        if (code < 0) continue;
        let id = a.ids[code];
        if (id === -2) {
          const v = a.col.values[code];
          const s = v === undefined || v === null ? "" : String(v).trim();
          id = s.length > 0 ? builder.idOf(`${a.name}=${s}`) : -1;
          a.ids[code] = id;
        }
        if (id >= 0) builder.addId(id);
      }
    }
  }
  return builder.finish();
}
