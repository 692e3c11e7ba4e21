import { isReturnAmount } from "../core/table.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { Transaction } from "../core/types.js";

/**
 * Market baskets in compact columnar form: a dictionary of item labels and, per basket, the
 * integer ids of its distinct items. Produced by {@link basketsFrom}, {@link readBaskets} and
 * {@link toBaskets}; consumed by {@link frequentItemsets}.
 *
 * @remarks
 * Basket `b` holds the item ids `itemIds[offsets[b] .. offsets[b + 1] - 1]`, each id at most
 * once, ascending. Item ids index `items`, which is sorted in code-unit order, so ascending ids
 * are also ascending labels. Memory is proportional to the number of item occurrences (4 bytes
 * each), never to baskets x items.
 * @category Association rules
 */
export interface Baskets {
  /** Item labels (trimmed), sorted in code-unit order; an item id is an index into this array. */
  readonly items: readonly string[];
  /** Basket boundaries: `count + 1` entries, `offsets[0] = 0`. */
  readonly offsets: Uint32Array;
  /** Item ids of all baskets, concatenated; ascending and distinct within a basket. */
  readonly itemIds: Uint32Array;
  /** Number of baskets (empty baskets included). */
  readonly count: number;
  /** Basket ids (order id, customer id, or the basket column of a long table), when known. */
  readonly ids?: readonly string[];
  /**
   * Human-readable name per item, aligned with `items` (`names[k]` names `items[k]`), when the
   * source had names (a transaction table whose item column carries `names`, e.g. a product
   * description per stock code); an item without a name is named by its own label. The labels
   * stay the keys: rules, counts and recommendations are computed on `items`.
   */
  readonly names?: readonly string[];
}

/**
 * Options of {@link basketsFrom}.
 * @category Association rules
 */
export interface BasketsFromOptions {
  /** What one basket is: `"order"` (lines sharing an `orderId`; without one, the customer's day) or `"customer"` (everything a customer bought). Default `"order"`. */
  by?: "order" | "customer";
  /** Map each (trimmed) item label to the label to mine, e.g. product to category; return `null` or `""` to leave the item out. Called once per distinct label. Default: the trimmed label. */
  item?: (label: string) => string | null | undefined;
  /** Customer attributes (keys of `transaction.attributes`) to add to each basket as items `"key=value"`, e.g. `["ageBand"]` gives `"ageBand=30-39"`. Default `[]`. */
  attributes?: readonly string[];
  /** Keep lines with a negative amount (returns). Default `false`: return lines are skipped, so a returned item does not count as bought twice. */
  includeReturns?: boolean;
}

const BASKETS_FROM_DEFAULTS = Object.freeze({
  by: "order" as "order" | "customer",
  attributes: Object.freeze([]) as readonly string[],
  includeReturns: false,
});

/** Growable builder of {@link Baskets}: string labels in, integer ids out. @internal */
export class BasketBuilder {
  private readonly dict = new Map<string, number>();
  private readonly labels: string[] = [];
  private offsets = new Uint32Array(1024);
  private ids = new Uint32Array(4096);
  private n = 0;
  private len = 0;
  private mark = new Int32Array(256).fill(-1);
  private basketIds: string[] | undefined;
  private names: (string | undefined)[] | undefined;

  constructor(withIds: boolean) {
    if (withIds) this.basketIds = [];
  }

  /** Id of a label (already trimmed and non-empty). */
  idOf(label: string): number {
    let id = this.dict.get(label);
    if (id === undefined) {
      id = this.labels.length;
      this.dict.set(label, id);
      this.labels.push(label);
      if (id >= this.mark.length) {
        const m = new Int32Array(this.mark.length * 2).fill(-1);
        m.set(this.mark);
        this.mark = m;
      }
    }
    return id;
  }

  /** Give item `id` a human-readable name (the first non-empty name given wins). */
  nameId(id: number, name: string): void {
    const t = name.trim();
    if (t.length === 0) return;
    this.names ??= [];
    if (this.names[id] === undefined) this.names[id] = t;
  }

  /** Open a new (empty) basket. */
  open(basketId?: string): void {
    if (this.n + 2 > this.offsets.length) {
      const o = new Uint32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
    }
    this.n++;
    this.offsets[this.n] = this.len;
    if (this.basketIds) this.basketIds.push(basketId ?? String(this.n));
  }

  /** Add an item id to the current basket (duplicates ignored). */
  addId(id: number): void {
    const b = this.n - 1;
    if (this.mark[id] === b) return;
    this.mark[id] = b;
    if (this.len === this.ids.length) {
      const x = new Uint32Array(this.ids.length * 2);
      x.set(this.ids);
      this.ids = x;
    }
    this.ids[this.len++] = id;
    this.offsets[this.n] = this.len;
  }

  /** Add a raw label to the current basket: trimmed; empty labels are skipped. */
  add(raw: string): void {
    const label = raw.trim();
    if (label.length > 0) this.addId(this.idOf(label));
  }

  /** Finish: sort the dictionary, remap ids, sort each basket. */
  finish(): Baskets {
    const k = this.labels.length;
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => (this.labels[a] < this.labels[b] ? -1 : this.labels[a] > this.labels[b] ? 1 : 0));
    const remap = new Uint32Array(k);
    const items: string[] = new Array(k);
    const names: string[] | undefined = this.names ? new Array(k) : undefined;
    for (let r = 0; r < k; r++) {
      remap[order[r]] = r;
      items[r] = this.labels[order[r]];
      if (names) names[r] = this.names?.[order[r]] ?? items[r];
    }
    const itemIds = this.ids.slice(0, this.len);
    for (let i = 0; i < itemIds.length; i++) itemIds[i] = remap[itemIds[i]];
    const offsets = this.offsets.slice(0, this.n + 1);
    for (let b = 0; b < this.n; b++) {
      const s = offsets[b];
      const e = offsets[b + 1];
      if (e - s > 1) itemIds.subarray(s, e).sort();
    }
    const out: { -readonly [K in keyof Baskets]: Baskets[K] } = { items, offsets, itemIds, count: this.n };
    if (this.basketIds) out.ids = this.basketIds;
    if (names) out.names = names;
    return out;
  }
}

/**
 * Build {@link Baskets} from lists of item labels (one list per basket).
 *
 * @remarks
 * Labels are trimmed (so `"cream cheese "` equals `"cream cheese"`, as in R's
 * `read.transactions`); empty labels are skipped; a label repeated within a basket counts once.
 * An empty list is an empty basket: it counts in the number of baskets (the support
 * denominator), as in arules.
 *
 * @param lists - one iterable of labels per basket.
 * @returns the baskets.
 * @throws {@link InvalidRecordError} when a basket is not a list (e.g. a bare string) or a label is not a string.
 * @example
 * ```ts
 * const b = toBaskets([["milk", "bread"], ["bread ", "bread"], []]);
 * [b.count, b.items, Array.from(b.itemIds)];
 * //=> [3, ["bread", "milk"], [0, 1, 0]]
 * ```
 * @category Association rules
 */
export function toBaskets(lists: Iterable<Iterable<string>>): Baskets {
  const builder = new BasketBuilder(false);
  let row = 0;
  for (const list of lists) {
    row++;
    if (typeof list === "string" || list === null || typeof list !== "object") {
      throw new InvalidRecordError("toBaskets", { row, field: "items", value: list, expected: "an array of item labels per basket (a basket is a list, not a string)" });
    }
    builder.open();
    for (const label of list) {
      if (typeof label !== "string") throw new InvalidRecordError("toBaskets", { row, field: "items", value: label, expected: "item labels as strings" });
      builder.add(label);
    }
  }
  return builder.finish();
}

/**
 * Group transactions into market baskets for association-rule mining: one basket per order
 * (default) or per customer, with optional customer attributes as extra items.
 *
 * @remarks
 * Items come from `transaction.items`; labels are trimmed, empty labels skipped, and an item
 * bought twice in a basket counts once. Return lines (negative `amount`, e.g. the synthetic
 * store's `R...` orders) are skipped unless `includeReturns` is set, so that a returned item
 * does not count as a second purchase. With `by: "order"` lines sharing an `orderId` form one
 * basket; lines without one are grouped by customer and day. A basket whose lines carry no
 * items is kept as an empty basket (it counts in the support denominator, as in arules).
 * Attribute items are `"key=value"` with the value converted by `String`; missing, `null` or
 * empty values add no item. Baskets keep the order of their first line.
 *
 * @param transactions - validated transactions.
 * @param options - see {@link BasketsFromOptions}.
 * @returns the baskets, with `ids` holding the order id (or `customerId|YYYY-MM-DD`) or the customer id.
 * @throws {@link InvalidOptionError} for an unknown `by` or a non-function `item`.
 * @throws {@link InvalidRecordError} when a line's `items` is not an array of strings.
 * @example
 * ```ts
 * const d = new Date("2024-01-02");
 * const b = basketsFrom([
 *   { customerId: "c1", date: d, amount: 5, orderId: "o1", items: ["milk", "bread"], attributes: { ageBand: "30-39" } },
 *   { customerId: "c1", date: d, amount: -2, orderId: "R1", items: ["milk"] },
 * ], { attributes: ["ageBand"] });
 * [b.count, b.items];
 * //=> [1, ["ageBand=30-39", "bread", "milk"]]
 * ```
 * @category Association rules
 */
export function basketsFrom(transactions: Iterable<Transaction>, options: BasketsFromOptions = {}): Baskets {
  const fn = "basketsFrom";
  const o = withDefaults(BASKETS_FROM_DEFAULTS, options);
  if (o.by !== "order" && o.by !== "customer") throw new InvalidOptionError(fn, "by", o.by, '"order" or "customer"');
  if (o.item !== undefined && typeof o.item !== "function") throw new InvalidOptionError(fn, "item", o.item, "a function (label) => string | null");
  if (!Array.isArray(o.attributes)) throw new InvalidOptionError(fn, "attributes", o.attributes, "an array of attribute names");
  const mapItem = o.item;
  const mapped = new Map<string, string | null>();
  const labelOf = (raw: string): string | null => {
    let v = mapped.get(raw);
    if (v === undefined) {
      const t = raw.trim();
      const m = mapItem ? mapItem(t) : t;
      v = typeof m === "string" && m.trim().length > 0 ? m.trim() : null;
      mapped.set(raw, v);
    }
    return v;
  };

  // Group line indices by basket key; a basket's items are the union of its lines' items.
  const groups = new Map<string, Transaction[]>();
  let row = 0;
  for (const t of transactions) {
    row++;
    if (!o.includeReturns && isReturnAmount(t.amount)) continue;
    let key: string;
    if (o.by === "customer") key = t.customerId;
    else if (t.orderId !== undefined && t.orderId !== "") key = t.orderId;
    else key = `${t.customerId}|${t.date instanceof Date ? t.date.toISOString().slice(0, 10) : String(t.date)}`;
    if (t.items !== undefined) {
      if (!Array.isArray(t.items)) throw new InvalidRecordError(fn, { row, field: "items", value: t.items, expected: "an array of item labels" });
      for (const raw of t.items) if (typeof raw !== "string") throw new InvalidRecordError(fn, { row, field: "items", value: raw, expected: "item labels as strings" });
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(t);
  }
  const builder = new BasketBuilder(true);
  for (const [key, lines] of groups) {
    builder.open(key);
    for (const t of lines) {
      if (t.items) {
        for (const raw of t.items) {
          const label = labelOf(raw);
          if (label !== null) builder.addId(builder.idOf(label));
        }
      }
      if (o.attributes.length > 0 && t.attributes) {
        for (const k of o.attributes) {
          const v = t.attributes[k];
          if (v === undefined || v === null) continue;
          const s = String(v).trim();
          if (s.length > 0) builder.addId(builder.idOf(`${k}=${s}`));
        }
      }
    }
  }
  return builder.finish();
}
