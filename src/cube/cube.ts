import { toTransactionTable } from "../core/columns.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { isReturnAmount, type TransactionTable } from "../core/table.js";
import type { Transaction } from "../core/types.js";
import { fsum } from "../numeric/sum.js";

/**
 * A time grain: `"day"` (`2024-03-05`), `"week"` (ISO 8601 week, Monday first: `2024-W10`),
 * `"month"` (`2024-03`), `"quarter"` (`2024-Q1`), `"year"` (`2024`). Days are the table's
 * calendar days (UTC epoch days).
 * @category Cube
 */
export type TimeGrain = "day" | "week" | "month" | "quarter" | "year";

/**
 * One dimension of a {@link cube}:
 * - a grain name (`"month"`): time at that grain, named after the grain;
 * - any other string: a column — `"customer"` (the customer id), `"channel"` (the channel
 *   column) or the name of an attribute column (`table.attributes`);
 * - `{ time, name? }`: time at a grain under another name;
 * - `{ column, name? }`: a column under another name (also for an attribute called `"month"`);
 * - `{ lookup, key, field, name? }`: a dimension table joined by key — `key` is a column as
 *   above, `lookup` a `Map` from that column's value to a record of attributes, `field` the
 *   attribute to group by (a product's category, a customer's region, a salesperson's team).
 * @category Cube
 */
export type CubeDimension = string | CubeTimeDimension | CubeColumnDimension | CubeLookupDimension;

/**
 * Time at a grain, as a {@link CubeDimension}.
 * @category Cube
 */
export interface CubeTimeDimension {
  /** The grain. */
  readonly time: TimeGrain;
  /** Dimension name. Default: the grain. */
  readonly name?: string;
}

/**
 * A column of the table, as a {@link CubeDimension}.
 * @category Cube
 */
export interface CubeColumnDimension {
  /** `"customer"`, `"channel"` or an attribute column name. */
  readonly column: string;
  /** Dimension name. Default: the column name. */
  readonly name?: string;
}

/**
 * An attribute of a dimension table joined by key, as a {@link CubeDimension}.
 * @category Cube
 */
export interface CubeLookupDimension {
  /** The dimension table: key value to a record of attributes. */
  readonly lookup: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** The column holding the key: `"customer"`, `"channel"` or an attribute column name. */
  readonly key: string;
  /** The attribute of the records to group by. */
  readonly field: string;
  /** Dimension name. Default: `field`. */
  readonly name?: string;
}

/**
 * A measure of a {@link cube}:
 * - `"revenue"`: net sum of the amounts (returns subtract), correctly rounded (`fsum`);
 * - `"lines"`: transaction lines;
 * - `"orders"`: distinct purchase orders (an order with at least one non-return line in the
 *   cell; lines without an order id form one order per customer and day, as in the summaries);
 * - `"customers"`: distinct customers with a line in the cell;
 * - `"newCustomers"`: customers whose first purchase line (earliest day, then row order, over
 *   the whole table) is in the cell — by month, the customers acquired that month;
 * - `"averageOrderValue"`: revenue / orders (`null` for a cell without orders);
 * - `"items"`: item entries (needs an items column);
 * - `"profit"`: the `margin` column's sum when the table has one, else amount − cost (needs a
 *   cost or margin column; lines without a value are left out and counted).
 * @category Cube
 */
export type CubeMeasure = "revenue" | "lines" | "orders" | "customers" | "newCustomers" | "averageOrderValue" | "items" | "profit";

/** Every measure, in a fixed order. */
export const CUBE_MEASURES: readonly CubeMeasure[] = Object.freeze(["revenue", "lines", "orders", "customers", "newCustomers", "averageOrderValue", "items", "profit"] as const);

/**
 * Options of {@link cube}.
 * @category Cube
 */
export interface CubeOptions {
  /** The dimensions, in order (they also order the `GROUPING()` bits). Default: none (one grand-total row). */
  dimensions?: readonly CubeDimension[];
  /** The measures. Default `["revenue", "orders", "customers"]`. */
  measures?: readonly CubeMeasure[];
  /**
   * Subtotals, as SQL's `GROUP BY`: `"none"` (the full grouping only), `"rollup"` (`ROLLUP`:
   * the full grouping, then dropping the last dimension, ..., down to the grand total), `"cube"`
   * (`CUBE`: every subset), or explicit grouping sets as lists of dimension names
   * (`GROUPING SETS`). Default `"rollup"`.
   */
  subtotals?: "none" | "rollup" | "cube" | readonly (readonly string[])[];
  /** Member name for a missing dimension value (no value, `null`, `""`, a key missing from a lookup). Default `"(unknown)"`. */
  unknown?: string;
}

/** Defaults of {@link CubeOptions}. */
export const CUBE_DEFAULTS: Readonly<Required<CubeOptions>> = Object.freeze({
  dimensions: Object.freeze([]) as readonly CubeDimension[],
  measures: Object.freeze(["revenue", "orders", "customers"]) as readonly CubeMeasure[],
  subtotals: "rollup",
  unknown: "(unknown)",
});

/**
 * The measures of one {@link CubeRow} (only those requested are present).
 * @category Cube
 */
export interface CubeValues {
  /** Net revenue. */
  revenue?: number;
  /** Transaction lines. */
  lines?: number;
  /** Distinct purchase orders. */
  orders?: number;
  /** Distinct customers. */
  customers?: number;
  /** Customers acquired in the cell. */
  newCustomers?: number;
  /** Revenue per order; `null` without orders. */
  averageOrderValue?: number | null;
  /** Item entries. */
  items?: number;
  /** Profit (margin, or amount − cost). */
  profit?: number;
}

/**
 * One row of a {@link cube}: a cell of one grouping set.
 * @category Cube
 */
export interface CubeRow {
  /** Member per dimension (in `dimensions` order); `null` where the dimension is aggregated away (a subtotal). */
  key: (string | null)[];
  /** SQL's `GROUPING(d1, ..., dn)`: bit n−1−i is set when dimension i is aggregated away; 0 = the finest cells, 2ⁿ − 1 = the grand total. */
  grouping: number;
  /** The requested measures; `averageOrderValue` is `null` without orders. */
  values: CubeValues;
}

/**
 * Result of {@link cube}: a tidy table, one row per cell of each grouping set.
 * @category Cube
 */
export interface CubeResult {
  /** Dimension names, in order. */
  dimensions: string[];
  /** The measures computed. */
  measures: CubeMeasure[];
  /** The grouping sets computed (lists of dimension names), in the order of `rows`. */
  groupingSets: string[][];
  /** Cells: grouping sets in order, each set's cells sorted by key (members ascending, the unknown member last). */
  rows: CubeRow[];
  /** Lines whose value was missing, per dimension name (they are in the unknown member). */
  unknownLines: Map<string, number>;
  /** Lines left out of `profit` (no cost or margin value); 0 when profit was not asked for. */
  profitMissingLines: number;
  /** Lines read (every line is in every grouping set once). */
  lines: number;
}

const GRAINS: readonly TimeGrain[] = ["day", "week", "month", "quarter", "year"];

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** The label of an epoch day at a grain. */
function timeLabel(day: number, grain: TimeGrain): string {
  const d = new Date(day * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  switch (grain) {
    case "day":
      return d.toISOString().slice(0, 10);
    case "month":
      return `${y}-${pad(m, 2)}`;
    case "quarter":
      return `${y}-Q${Math.ceil(m / 3)}`;
    case "year":
      return String(y);
    case "week": {
      // ISO 8601: the week's Thursday decides the year; 1970-01-01 (day 0) was a Thursday.
      const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
      const thursday = day - weekday + 3;
      const ty = new Date(thursday * 86_400_000).getUTCFullYear();
      const jan1 = Date.UTC(ty, 0, 1) / 86_400_000;
      return `${ty}-W${pad(Math.floor((thursday - jan1) / 7) + 1, 2)}`;
    }
  }
}

/** A dimension resolved to a member code per row. */
interface Resolved {
  name: string;
  members: string[];
  codes: Int32Array;
  unknownLines: number;
}

const isMissing = (v: unknown) => v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v));

/** Per-row raw values of a named column: a value per code and the code per row. */
function columnOf(table: TransactionTable, column: string, fn: string, option: string): { codes: Int32Array; values: readonly unknown[] } {
  if (column === "customer") return { codes: table.customer, values: table.ids };
  if (column === "channel" && table.channel) return table.channel;
  const a = table.attributes?.get(column);
  if (a) return a;
  const names = ["customer", ...(table.channel ? ["channel"] : []), ...(table.attributes ? [...table.attributes.keys()] : [])];
  throw new InvalidOptionError(fn, option, column, `a grain (${GRAINS.join(", ")}) or a column of the table (${names.map((x) => JSON.stringify(x)).join(", ")})`);
}

/** Codes into sorted member labels (unknown last) from per-row labels given per source code. */
function encode(name: string, rowSource: (i: number) => number, sourceLabels: (string | null)[], n: number, unknown: string): Resolved {
  const distinct = [...new Set(sourceLabels.filter((x): x is string => x !== null && x !== unknown))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const members = [...distinct, unknown];
  const index = new Map(members.map((m, k) => [m, k]));
  const unk = members.length - 1;
  const map = Int32Array.from(sourceLabels, (l) => (l === null ? unk : (index.get(l) as number)));
  const codes = new Int32Array(n);
  let unknownLines = 0;
  let used = false;
  for (let i = 0; i < n; i++) {
    const s = rowSource(i);
    const c = s < 0 ? unk : map[s];
    codes[i] = c;
    if (s < 0 || sourceLabels[s] === null) unknownLines++;
    if (c === unk) used = true;
  }
  // The unknown member is listed only when a line is in it.
  if (!used) members.pop();
  return { name, members, codes, unknownLines };
}

function resolveDimension(table: TransactionTable, dim: CubeDimension, k: number, unknown: string, fn: string): Resolved {
  const n = table.length;
  const option = `dimensions[${k}]`;
  if (typeof dim === "string" && (GRAINS as readonly string[]).includes(dim)) return resolveDimension(table, { time: dim as TimeGrain }, k, unknown, fn);
  if (typeof dim === "string") return resolveDimension(table, { column: dim }, k, unknown, fn);
  if (dim === null || typeof dim !== "object") throw new InvalidOptionError(fn, option, dim, "a grain, a column name, { time }, { column } or { lookup, key, field }");
  if ("time" in dim) {
    if (!GRAINS.includes(dim.time)) throw new InvalidOptionError(fn, `${option}.time`, dim.time, GRAINS.join(", "));
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      if (table.day[i] < min) min = table.day[i];
      if (table.day[i] > max) max = table.day[i];
    }
    const span = n === 0 ? 0 : max - min + 1;
    const labels: (string | null)[] = Array.from({ length: span }, (_, j) => timeLabel(min + j, dim.time));
    return encode(dim.name ?? dim.time, (i) => table.day[i] - min, labels, n, unknown);
  }
  if ("lookup" in dim) {
    if (!(dim.lookup instanceof Map)) throw new InvalidOptionError(fn, `${option}.lookup`, dim.lookup, "a Map from key to a record of attributes");
    if (typeof dim.field !== "string") throw new InvalidOptionError(fn, `${option}.field`, dim.field, "an attribute name of the lookup records");
    const src = columnOf(table, dim.key, fn, `${option}.key`);
    const labels = src.values.map((v) => {
      if (isMissing(v)) return null;
      const rec = dim.lookup.get(String(v));
      if (rec === undefined || rec === null || !Object.prototype.hasOwnProperty.call(rec, dim.field)) return null;
      const x = rec[dim.field];
      return isMissing(x) ? null : String(x);
    });
    return encode(dim.name ?? dim.field, (i) => src.codes[i], labels, n, unknown);
  }
  if ("column" in dim) {
    const src = columnOf(table, dim.column, fn, `${option}.column`);
    const labels = src.values.map((v) => (isMissing(v) ? null : String(v)));
    return encode(dim.name ?? dim.column, (i) => src.codes[i], labels, n, unknown);
  }
  throw new InvalidOptionError(fn, option, dim, "a grain, a column name, { time }, { column } or { lookup, key, field }");
}

/** The grouping sets as lists of dimension indices. */
function groupingSets(subtotals: CubeOptions["subtotals"], names: string[], fn: string): number[][] {
  const n = names.length;
  const all = names.map((_, i) => i);
  if (subtotals === "none") return [all];
  if (subtotals === "rollup") return Array.from({ length: n + 1 }, (_, k) => all.slice(0, n - k));
  if (subtotals === "cube") {
    const sets: number[][] = [];
    // By GROUPING() value ascending: bit n-1-i set when dimension i is left out.
    for (let g = 0; g < 1 << n; g++) sets.push(all.filter((i) => !(g & (1 << (n - 1 - i)))));
    return sets;
  }
  if (Array.isArray(subtotals)) {
    const seen = new Set<string>();
    const out: number[][] = [];
    for (const set of subtotals) {
      if (!Array.isArray(set)) throw new InvalidOptionError(fn, "subtotals", set, "lists of dimension names");
      const idx = set.map((name) => {
        const i = names.indexOf(name);
        if (i < 0) throw new InvalidOptionError(fn, "subtotals", name, `a dimension name (${names.map((x) => JSON.stringify(x)).join(", ")})`);
        return i;
      });
      const sorted = [...new Set(idx)].sort((a, b) => a - b);
      const key = sorted.join(",");
      if (!seen.has(key)) out.push(sorted);
      seen.add(key);
    }
    if (out.length === 0) throw new InvalidOptionError(fn, "subtotals", subtotals, "at least one grouping set");
    return out;
  }
  throw new InvalidOptionError(fn, "subtotals", subtotals, '"none", "rollup", "cube" or a list of grouping sets');
}

/**
 * Any measure by any set of dimensions, with SQL-style subtotals: the multi-dimensional
 * summary of a sales star schema (time, region, product, channel, salesperson...), as a tidy
 * table.
 *
 * @remarks
 * The transaction table is the fact table; each dimension is time at a grain, a column
 * (customer, channel, an attribute) or an attribute of a dimension table joined by key. Rows
 * are the cells of each grouping set, as SQL's `GROUP BY ROLLUP / CUBE / GROUPING SETS`, with
 * the aggregated-away dimensions `null` and `grouping` equal to SQL's `GROUPING(d1..dn)`. A
 * missing value (no value, `null`, `""`, a key not in the lookup or a record without the field)
 * is the `"(unknown)"` member, and `unknownLines` counts those lines, so every line is in every
 * grouping set exactly once. Distinct counts (orders, customers) of a subtotal are distinct
 * over its cells (not the sum of the cells). Complexity O(n · s) for s grouping sets, plus the
 * sort of the cells. Checked against DuckDB's `GROUP BY CUBE` (test/cube).
 *
 * @param transactions - a transaction table (or records).
 * @param options - see {@link CubeOptions}.
 * @returns the cells, the grouping sets and the unknown counts.
 * @throws {@link InvalidOptionError} for an unknown column, grain, measure or grouping set, `profit` without a cost or margin column, `items` without an items column, or two dimensions with the same name.
 * @throws {@link AnalyticsError} `TOO_LARGE` when the dimensions have more than 2⁵³ member combinations.
 * @example
 * ```ts
 * const log = [
 *   { customerId: "a", date: new Date("2024-01-05"), amount: 10, attributes: { region: "north" } },
 *   { customerId: "b", date: new Date("2024-01-20"), amount: 5, attributes: { region: "south" } },
 *   { customerId: "a", date: new Date("2024-02-02"), amount: 7 },
 * ];
 * const c = cube(log, { dimensions: ["month", "region"], measures: ["revenue", "customers"] });
 * c.rows.map((r) => [...r.key, r.grouping, r.values.revenue, r.values.customers]);
 * //=> [["2024-01", "north", 0, 10, 1], ["2024-01", "south", 0, 5, 1], ["2024-02", "(unknown)", 0, 7, 1],
 * //    ["2024-01", null, 1, 15, 2], ["2024-02", null, 1, 7, 1], [null, null, 3, 22, 2]]
 * c.unknownLines;
 * //=> Map(2) { "month" => 0, "region" => 1 }
 * ```
 * @category Cube
 */
export function cube(transactions: TransactionTable | Iterable<Transaction>, options: CubeOptions = {}): CubeResult {
  const fn = "cube";
  const o = withDefaults(CUBE_DEFAULTS, options);
  const table = toTransactionTable(transactions, fn);
  if (typeof o.unknown !== "string") throw new InvalidOptionError(fn, "unknown", o.unknown, "a string");
  if (!Array.isArray(o.dimensions)) throw new InvalidOptionError(fn, "dimensions", o.dimensions, "a list of dimensions");
  if (!Array.isArray(o.measures) || o.measures.length === 0) throw new InvalidOptionError(fn, "measures", o.measures, `a non-empty list of ${CUBE_MEASURES.join(", ")}`);
  const measures: CubeMeasure[] = [...new Set<CubeMeasure>(o.measures as readonly CubeMeasure[])];
  for (const m of measures) if (!CUBE_MEASURES.includes(m)) throw new InvalidOptionError(fn, "measures", m, CUBE_MEASURES.join(", "));
  const n = table.length;
  const dims = o.dimensions.map((d, k) => resolveDimension(table, d, k, o.unknown, fn));
  const names = dims.map((d) => d.name);
  const dup = names.find((x, i) => names.indexOf(x) !== i);
  if (dup !== undefined) throw new InvalidOptionError(fn, "dimensions", dup, "distinct dimension names (give one a `name`)");
  const sets = groupingSets(o.subtotals, names, fn);
  let combos = 1;
  for (const d of dims) combos *= Math.max(1, d.members.length);
  if (combos > 2 ** 53) throw new AnalyticsError("TOO_LARGE", `${fn}: the dimensions have ${combos} member combinations, more than 2^53; use fewer or coarser dimensions`);

  const want = new Set(measures);
  // Per-row inputs of the measures.
  const isReturn = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (isReturnAmount(table.amount[i])) isReturn[i] = 1;
  let orderKey: Int32Array | undefined;
  let orderCount = 0;
  if (want.has("orders") || want.has("averageOrderValue")) {
    orderKey = new Int32Array(n);
    const extra = new Map<number, number>();
    const base = table.orderIds.length;
    let minDay = Infinity;
    for (let i = 0; i < n; i++) if (table.day[i] < minDay) minDay = table.day[i];
    for (let i = 0; i < n; i++) {
      const o2 = table.order[i];
      if (o2 >= 0) orderKey[i] = o2;
      else {
        // customer codes < 2^31 and a day span < 2^21 days: the key stays below 2^53.
        const key = table.customer[i] * 2_097_152 + (table.day[i] - minDay);
        let k = extra.get(key);
        if (k === undefined) extra.set(key, (k = base + extra.size));
        orderKey[i] = k;
      }
    }
    orderCount = base + extra.size;
  }
  let first: Uint8Array | undefined;
  if (want.has("newCustomers")) {
    first = new Uint8Array(n);
    const at = new Int32Array(table.ids.length).fill(-1);
    for (let i = 0; i < n; i++) {
      if (isReturn[i]) continue;
      const c = table.customer[i];
      const j = at[c];
      if (j < 0 || table.day[i] < table.day[j]) at[c] = i;
    }
    for (const i of at) if (i >= 0) first[i] = 1;
  }
  if (want.has("items") && !table.items) throw new InvalidOptionError(fn, "measures", "items", "a table with an items column");
  let profit: Float64Array | undefined;
  let profitMissingLines = 0;
  if (want.has("profit")) {
    if (!table.margin && !table.cost) throw new InvalidOptionError(fn, "measures", "profit", "a table with a cost or margin column");
    profit = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = table.margin ? table.margin[i] : table.amount[i] - (table.cost as Float64Array)[i];
      profit[i] = p;
      if (!Number.isFinite(p)) profitMissingLines++;
    }
  }

  const rows: CubeRow[] = [];
  const customerStamp = want.has("customers") ? new Int32Array(table.ids.length).fill(-1) : undefined;
  const orderStamp = orderKey ? new Int32Array(orderCount).fill(-1) : undefined;
  const scratch = new Float64Array(n);
  const nd = dims.length;
  for (const set of sets) {
    // Group id per row from the mixed-radix key of the set's member codes.
    const strides = set.map(() => 1);
    for (let s = set.length - 2; s >= 0; s--) strides[s] = strides[s + 1] * dims[set[s + 1]].members.length;
    const gidOf = new Map<number, number>();
    const keys: number[] = [];
    const gid = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let key = 0;
      for (let s = 0; s < set.length; s++) key += dims[set[s]].codes[i] * strides[s];
      let g = gidOf.get(key);
      if (g === undefined) {
        gidOf.set(key, (g = keys.length));
        keys.push(key);
      }
      gid[i] = g;
    }
    const G = keys.length;
    // Rows grouped by gid (counting sort, stable).
    const start = new Int32Array(G + 1);
    for (let i = 0; i < n; i++) start[gid[i] + 1]++;
    for (let g = 0; g < G; g++) start[g + 1] += start[g];
    const fill = start.slice(0, G);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[fill[gid[i]]++] = i;
    let grouping = 0;
    for (let i = 0; i < nd; i++) if (!set.includes(i)) grouping |= 1 << (nd - 1 - i);
    const order = Array.from({ length: G }, (_, g) => g).sort((a, b) => keys[a] - keys[b]);
    for (const g of order) {
      const lo = start[g];
      const hi = start[g + 1];
      const values: Record<string, number | null> = {};
      let revenue = 0;
      let orders = 0;
      if (want.has("revenue") || want.has("averageOrderValue")) {
        for (let k = lo; k < hi; k++) scratch[k - lo] = table.amount[perm[k]];
        revenue = fsum(scratch.subarray(0, hi - lo));
      }
      if (orderKey && orderStamp) {
        for (let k = lo; k < hi; k++) {
          const i = perm[k];
          if (isReturn[i]) continue;
          const ok = orderKey[i];
          if (orderStamp[ok] !== rows.length) {
            orderStamp[ok] = rows.length;
            orders++;
          }
        }
      }
      for (const m of measures) {
        switch (m) {
          case "revenue":
            values.revenue = revenue;
            break;
          case "lines":
            values.lines = hi - lo;
            break;
          case "orders":
            values.orders = orders;
            break;
          case "averageOrderValue":
            values.averageOrderValue = orders > 0 ? revenue / orders : null;
            break;
          case "customers": {
            let c = 0;
            const stamp = customerStamp as Int32Array;
            for (let k = lo; k < hi; k++) {
              const cu = table.customer[perm[k]];
              if (stamp[cu] !== rows.length) {
                stamp[cu] = rows.length;
                c++;
              }
            }
            values.customers = c;
            break;
          }
          case "newCustomers": {
            let c = 0;
            for (let k = lo; k < hi; k++) c += (first as Uint8Array)[perm[k]];
            values.newCustomers = c;
            break;
          }
          case "items": {
            const off = (table.items as NonNullable<TransactionTable["items"]>).offsets;
            let c = 0;
            for (let k = lo; k < hi; k++) c += off[perm[k] + 1] - off[perm[k]];
            values.items = c;
            break;
          }
          case "profit": {
            let len = 0;
            for (let k = lo; k < hi; k++) {
              const p = (profit as Float64Array)[perm[k]];
              if (Number.isFinite(p)) scratch[len++] = p;
            }
            values.profit = fsum(scratch.subarray(0, len));
            break;
          }
        }
      }
      const i0 = perm[lo];
      rows.push({ key: dims.map((d, i) => (set.includes(i) ? d.members[d.codes[i0]] : null)), grouping, values: values as CubeValues });
    }
    // A grand total of an empty table is one row of zeros, like SQL's GROUP BY ().
    if (n === 0 && set.length === 0) {
      const values: Record<string, number | null> = {};
      for (const m of measures) values[m] = m === "averageOrderValue" ? null : 0;
      rows.push({ key: dims.map(() => null), grouping, values: values as CubeValues });
    }
  }
  return {
    dimensions: names,
    measures,
    groupingSets: sets.map((s) => s.map((i) => names[i])),
    rows,
    unknownLines: new Map(dims.map((d) => [d.name, d.unknownLines])),
    profitMissingLines,
    lines: n,
  };
}

/**
 * A {@link CubeResult} as one header and rows of cells, ready for a CSV writer or a report
 * table: the dimension members (empty where aggregated away), the `grouping` value, then the
 * measures.
 *
 * @remarks
 * A subtotal's aggregated-away dimension is `null` in `rows` (write it as an empty cell or as
 * "All"); `grouping` tells a subtotal from a cell whose member is missing, since the missing
 * member is the named `"(unknown)"`. Header names are the dimension names, `"grouping"` and the
 * measure names, in that order (a dimension named like a measure keeps its place; read by
 * position).
 *
 * @param result - a cube result.
 * @returns `header` and `rows`.
 * @example
 * ```ts
 * const c = cube([{ customerId: "a", date: new Date("2024-01-05"), amount: 10 }], { dimensions: ["month"], measures: ["revenue"] });
 * cubeColumns(c);
 * //=> { header: ["month", "grouping", "revenue"], rows: [["2024-01", 0, 10], [null, 1, 10]] }
 * ```
 * @category Cube
 */
export function cubeColumns(result: CubeResult): {
  /** Column names: the dimensions, `"grouping"`, then the measures. */
  header: string[];
  /** One array of cells per cube row, in `header` order (`null` for a dimension aggregated away or a missing measure). */
  rows: (string | number | null)[][];
} {
  if (!result || !Array.isArray(result.rows) || !Array.isArray(result.dimensions)) throw new InvalidOptionError("cubeColumns", "result", result, "a cube result");
  return {
    header: [...result.dimensions, "grouping", ...result.measures],
    rows: result.rows.map((r) => [...r.key, r.grouping, ...result.measures.map((m) => r.values[m] ?? null)]),
  };
}
