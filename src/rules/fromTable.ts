import { isReturnAmount } from "../core/table.js";
import { groupRowsByCustomer } from "../core/columns.js";
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { DictionaryColumn, ItemListColumn, TransactionTable } from "../core/table.js";
import { BasketBuilder, type Baskets, type BasketsFromOptions } from "./baskets.js";
import type { Recommender } from "./recommend.js";
import type { AssociationRule } from "./rules.js";

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
 * When the table's item column carries human-readable `names` (a description per item code),
 * the baskets carry them too (`names`, aligned with `items`): an item keeps the first non-empty
 * name of the codes that give it, an item without one (or mapped by `item` to another label, or
 * an attribute item) is named by its label. Keys stay the codes.
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
  const { by, item: mapItem, attributes, includeReturns } = withDefaults(BASKETS_FROM_TABLE_DEFAULTS, options);
  if (by !== "order" && by !== "customer") throw new InvalidOptionError(fn, "by", by, '"order" or "customer"');
  if (mapItem !== undefined && typeof mapItem !== "function") throw new InvalidOptionError(fn, "item", mapItem, "a function (label) => string | null");
  if (!Array.isArray(attributes)) throw new InvalidOptionError(fn, "attributes", attributes, "an array of attribute names");
  const n = table.length;

  // Basket of each kept line: one Map for every kind of key, in order of first appearance.
  // Customer and order codes are dense, so their baskets are found by array; customer-day keys by Map.
  const basketOf = new Int32Array(n).fill(-1);
  const byCode = new Int32Array(by === "customer" ? table.ids.length : table.orderIds.length).fill(-1);
  const keys = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!includeReturns && isReturnAmount(table.amount[i])) continue;
    const code = by === "customer" ? table.customer[i] : table.order[i];
    let b = code >= 0 ? byCode[code] : (keys.get(`${table.customer[i]}|${table.day[i]}`) ?? -1);
    if (b < 0) {
      b = names.length;
      if (code >= 0) byCode[code] = b;
      else keys.set(`${table.customer[i]}|${table.day[i]}`, b);
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
  const itemNames = items ? namesOf(items) : undefined;
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
            // A name describes the code: it goes with the item only when the item is that code.
            if (id >= 0 && itemNames !== undefined && (m as string).trim() === t) {
              const name = itemNames[code];
              if (typeof name === "string") builder.nameId(id, name);
            }
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

const BASKETS_FROM_TABLE_DEFAULTS = Object.freeze({
  by: "order" as "order" | "customer",
  attributes: Object.freeze([]) as readonly string[],
  includeReturns: false,
});

/**
 * The item column's human-readable names (aligned with `labels`), when it has them: tables read
 * without an item-name column have none, and a hand-built table may have a short list.
 */
function namesOf(items: ItemListColumn): readonly (string | undefined)[] | undefined {
  return Array.isArray(items.names) ? items.names : undefined;
}

/**
 * Result of {@link nextBestItems}: one row per customer code of the table.
 * @category Association rules
 */
export interface NextBestItems {
  /** The recommended item per customer, dictionary-encoded (`-1` = nothing to recommend). */
  item: DictionaryColumn;
  /** Its score (the best firing rule's `scoreBy` measure); `NaN` where there is no item. */
  score: Float64Array;
  /** Number of firing rules behind the item (0 where there is none). */
  ruleCount: Int32Array;
  /**
   * Human-readable name of each recommended item, aligned with `item.values` (`names[k]` names
   * `item.values[k]`): from the table's item `names`, else from the rules' names, else the item
   * code itself. Present only when the table's item column or the rules carry names.
   */
  names?: readonly string[];
}

/**
 * Options of {@link nextBestItems}.
 * @category Association rules
 */
export interface NextBestItemsOptions {
  /** Items never to recommend. Default none. */
  exclude?: readonly string[];
  /** Keep return lines (negative amounts) in the customers' histories. Default `false`. */
  includeReturns?: boolean;
}

const NEXT_BEST_ITEMS_DEFAULTS = Object.freeze({ exclude: Object.freeze([]) as readonly string[], includeReturns: false });

/**
 * Each customer's best next item from everything they bought: the columnar, batch form of
 * `recommend(recommender, history, { top: 1 })` for every customer of a transaction table,
 * with the same choice and score.
 *
 * @remarks
 * A customer's history is the set of items on their lines (return lines left out unless
 * `includeReturns`). A rule fires when all its antecedent items are in the history; each of its
 * consequent items not yet bought is a candidate, scored by its best firing rule (by the
 * recommender's `scoreBy`, then lift, confidence, support), ties broken by the number of firing
 * rules and then by label, as `recommend` does. Items are compared by integer code, so the
 * cost is one pass over the item lists plus the rules filed under each customer's items.
 * When the table's items or the rules carry names, `names` gives each recommended item's
 * human-readable name (the recommendation itself stays a code).
 *
 * @param recommender - from `buildRecommender`.
 * @param table - the transaction table (its `items` column).
 * @param options - see {@link NextBestItemsOptions}.
 * @returns per customer code (row `c` is customer `table.ids[c]`): the item (dictionary-encoded, `-1` = none), its score and the number of firing rules.
 * @example
 * ```ts
 * const table = toTransactionTable([
 *   { customerId: "a", date: new Date("2024-01-01"), amount: 5, items: ["beer", "chips"] },
 *   { customerId: "b", date: new Date("2024-01-01"), amount: 5, items: ["milk"] },
 * ]);
 * const rec = buildRecommender([{ antecedent: ["beer", "chips"], consequent: ["salsa"], support: 0.1, confidence: 0.8, lift: 3, leverage: 0.05, conviction: 2, zhang: 0.5, kulczynski: 0.6, count: 10 }]);
 * const next = nextBestItems(rec, table);
 * [next.item.codes[0], next.item.values, next.score[0], next.item.codes[1]];
 * //=> [0, ["salsa"], 0.8, -1]
 * ```
 * @category Association rules
 */
export function nextBestItems(recommender: Recommender, table: TransactionTable, options: NextBestItemsOptions = {}): NextBestItems {
  const fn = "nextBestItems";
  const { exclude, includeReturns } = withDefaults(NEXT_BEST_ITEMS_DEFAULTS, options);
  if (!Array.isArray(exclude)) throw new InvalidOptionError(fn, "exclude", exclude, "an array of item labels");
  const nc = table.ids.length;
  const itemOut = new Int32Array(nc).fill(-1);
  const score = new Float64Array(nc).fill(NaN);
  const ruleCount = new Int32Array(nc);
  const values: string[] = [];
  const items = table.items;
  if (!items) return { item: { codes: itemOut, values }, score, ruleCount };
  const { rules, scoreBy } = recommender;
  // Rule items as table item codes (-1: the item never occurs in the table).
  const codeOf = new Map<string, number>();
  items.labels.forEach((l, k) => codeOf.set(l, k));
  // Rule items that no line of the table has get codes after the table's own.
  const labels = [...items.labels];
  for (const r of rules) for (const x of [...r.antecedent, ...r.consequent]) if (!codeOf.has(x)) codeOf.set(x, labels.push(x) - 1);
  const ni = labels.length;
  const excluded = new Uint8Array(ni);
  for (const x of exclude) {
    const k = codeOf.get(x);
    if (k !== undefined) excluded[k] = 1;
  }
  const ante = rules.map((r) => r.antecedent.map((x) => codeOf.get(x) as number));
  const cons = rules.map((r) => r.consequent.map((x) => codeOf.get(x) as number));
  const filed: (Uint32Array | undefined)[] = new Array(ni);
  for (const [label, list] of recommender.index) {
    const k = codeOf.get(label);
    if (k !== undefined) filed[k] = list;
  }
  const better = (x: AssociationRule, y: AssociationRule) => y[scoreBy] - x[scoreBy] || y.lift - x.lift || y.confidence - x.confidence || y.support - x.support;

  const { start, rows } = groupRowsByCustomer(table, (i) => (includeReturns || !isReturnAmount(table.amount[i])) && items.offsets[i + 1] > items.offsets[i]);
  const have = new Int32Array(ni).fill(-1); // customer stamp
  const candStamp = new Int32Array(ni).fill(-1);
  const best = new Int32Array(ni);
  const count = new Int32Array(ni);
  const history: number[] = [];
  const cands: number[] = [];
  const outCode = new Map<number, number>();
  for (let c = 0; c < nc; c++) {
    if (start[c] === start[c + 1]) continue;
    history.length = 0;
    for (let k = start[c]; k < start[c + 1]; k++) {
      const i = rows[k];
      for (let e: number = items.offsets[i]; e < items.offsets[i + 1]; e++) {
        const code = items.codes[e];
        if (have[code] !== c) (have[code] = c), history.push(code);
      }
    }
    cands.length = 0;
    for (const it of history) {
      const list = filed[it];
      if (!list) continue;
      for (let q = 0; q < list.length; q++) {
        const r = list[q];
        const a = ante[r];
        let fires = true;
        for (let j = 0; j < a.length; j++) if (have[a[j]] !== c) { fires = false; break; }
        if (!fires) continue;
        for (const y of cons[r]) {
          if (have[y] === c || excluded[y]) continue;
          if (candStamp[y] !== c) {
            candStamp[y] = c;
            best[y] = r;
            count[y] = 1;
            cands.push(y);
          } else {
            count[y]++;
            if (better(rules[r], rules[best[y]]) < 0) best[y] = r;
          }
        }
      }
    }
    if (cands.length === 0) continue;
    let top = cands[0];
    for (let j = 1; j < cands.length; j++) {
      const y = cands[j];
      const d = better(rules[best[y]], rules[best[top]]) || count[top] - count[y] || (labels[y] < labels[top] ? -1 : labels[y] > labels[top] ? 1 : 0);
      if (d < 0) top = y;
    }
    let oc = outCode.get(top);
    if (oc === undefined) {
      oc = values.length;
      outCode.set(top, oc);
      values.push(labels[top]);
    }
    itemOut[c] = oc;
    score[c] = rules[best[top]][scoreBy];
    ruleCount[c] = count[top];
  }
  const out: NextBestItems = { item: { codes: itemOut, values }, score, ruleCount };
  // Names of the recommended items: the table's own, else the rules', else the code.
  const tableNames = namesOf(items);
  const ruleNames = new Map<string, string>();
  for (const r of rules) {
    r.consequentNames?.forEach((name, j) => ruleNames.set(r.consequent[j], name));
    r.antecedentNames?.forEach((name, j) => ruleNames.set(r.antecedent[j], name));
  }
  if (tableNames !== undefined || ruleNames.size > 0) {
    out.names = values.map((v) => {
      const k = codeOf.get(v) as number;
      const own = k < items.labels.length ? tableNames?.[k] : undefined;
      return typeof own === "string" && own.trim().length > 0 ? own.trim() : (ruleNames.get(v) ?? v);
    });
  }
  return out;
}
