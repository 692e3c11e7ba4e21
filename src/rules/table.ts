import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { toBaskets, type Baskets } from "./baskets.js";
import { flattenTree, itemCountsOf, ItemsetTree, mineTree } from "./eclat.js";
import { isBaskets, itemsetObjects, minCountFor, type FrequentItemsets } from "./mine.js";

/**
 * Options of {@link frequentItemsetTable}.
 * @category Association rules
 */
export interface FrequentItemsetTableOptions {
  /** Minimum support as a fraction of baskets, in (0, 1]; an itemset is frequent when `count / baskets >= minSupport`. Default 0.1 (the arules default). */
  minSupport?: number;
  /** Minimum support as a number of baskets (an integer >= 1); overrides `minSupport` when given. Default: derived from `minSupport`. */
  minCount?: number;
  /** Longest itemset to mine. Default `Infinity` (no silent cap). */
  maxLength?: number;
  /** Budget: throw an `AnalyticsError` with code `BUDGET_EXCEEDED` as soon as more itemsets than this are found. At 14 bytes per itemset the default, 20,000,000, is 280 MB. Default 20,000,000. */
  maxItemsets?: number;
}

const FREQUENT_ITEMSET_TABLE_DEFAULTS = Object.freeze({
  minSupport: 0.1,
  minCount: undefined as number | undefined,
  maxLength: Infinity,
  maxItemsets: 20_000_000,
});

/**
 * Frequent itemsets as a columnar prefix tree: row `i` is the itemset of row `parent[i]` (the
 * empty set when `parent[i]` is -1) plus the item `item[i]`, bought together in `count[i]`
 * baskets. Produced by {@link frequentItemsetTable}.
 *
 * @remarks
 * Every row costs 14 bytes whatever the itemset's length (4 for `parent`, `item` and `count`,
 * 2 for `itemsetLength`), against one object and one array of labels per itemset in
 * {@link FrequentItemsets}. Rows are in mining order (depth first): a row's parent always comes
 * before it (`parent[i] < i`), the first rows are the frequent single items, and the set is
 * complete (every subset of a row is a row). Rows are not sorted by count: use
 * {@link itemsetsFromTable} for the sorted object form, {@link itemsetIdColumns} for flat
 * ascending item ids, {@link itemsetItems} for one row's labels.
 * @category Association rules
 */
export interface ItemsetTable {
  /** Number of itemsets (rows). */
  readonly size: number;
  /** Row of the itemset without this row's last-mined item; -1 for single items. Always less than the row's own index. */
  readonly parent: Int32Array;
  /** Item id (an index into `items`) that this row adds to its parent. */
  readonly item: Uint32Array;
  /** Number of baskets containing every item of the row. */
  readonly count: Uint32Array;
  /** Number of items in the row's itemset. */
  readonly itemsetLength: Uint16Array;
  /** Number of baskets (the support denominator, empty baskets included): support = `count[i] / basketCount`. */
  readonly basketCount: number;
  /** Minimum count used: the smallest integer `c` with `c / basketCount >= minSupport`. */
  readonly minCount: number;
  /** Item dictionary of the baskets (sorted labels). */
  readonly items: readonly string[];
  /** Human-readable item names aligned with `items`, when the baskets carry them (see `Baskets.names`). */
  readonly names?: readonly string[];
  /** Number of baskets containing each dictionary item (frequent or not). */
  readonly itemCounts: Uint32Array;
  /** Length of the longest itemset (0 when none). */
  readonly maxLengthFound: number;
}

/** Validate the options shared with {@link frequentItemsets}; returns the minimum count. @internal */
function checkOptions(fn: string, o: { minSupport: number; minCount?: number; maxLength: number; maxItemsets: number }, n: () => number): number {
  if (o.minCount === undefined && !(typeof o.minSupport === "number" && o.minSupport > 0 && o.minSupport <= 1)) {
    throw new InvalidOptionError(fn, "minSupport", o.minSupport, "a fraction in (0, 1] (0 would make every subset of every basket frequent)");
  }
  if (o.minCount !== undefined && !(Number.isInteger(o.minCount) && o.minCount >= 1)) throw new InvalidOptionError(fn, "minCount", o.minCount, "an integer >= 1");
  if (!((Number.isInteger(o.maxLength) || o.maxLength === Infinity) && o.maxLength >= 1)) throw new InvalidOptionError(fn, "maxLength", o.maxLength, "an integer >= 1 or Infinity");
  if (!(Number.isInteger(o.maxItemsets) && o.maxItemsets >= 1)) throw new InvalidOptionError(fn, "maxItemsets", o.maxItemsets, "an integer >= 1");
  return o.minCount ?? minCountFor(o.minSupport, n());
}

/**
 * Mine the frequent itemsets of a set of baskets into a compact columnar table (a prefix tree
 * in typed arrays) instead of one object per itemset: the fast path for dense data and for
 * millions of itemsets.
 *
 * @remarks
 * Same definition and the same itemsets and counts as {@link frequentItemsets} (support(X) =
 * baskets containing X / N, frequent when support >= `minSupport`), mined by the same Eclat:
 * - items in ascending-count order; 2-itemsets counted before any tid-list is intersected: in
 *   one pass over the baskets with a triangular matrix while it is small (at most 4,096
 *   frequent items and 4 cells per item occurrence), by popcounts of item bitmaps when every
 *   frequent item is dense, otherwise item by item over each item's baskets (one counter per
 *   item, so no items x items memory and no item limit);
 * - longer itemsets by depth-first Eclat (Zaki, IEEE TKDE 2000) on sorted tid-lists; items
 *   present in at least 1/64 of the baskets also get a bitmap, so extending P+x by y is one bit
 *   test per basket of P+x;
 * - a prefix class whose diffsets are smaller than its tid-lists switches to diffsets (dEclat,
 *   Zaki & Gouda, KDD 2003: d(PXY) = d(PY) − d(PX), count(PXY) = count(PX) − |d(PXY)|), which
 *   is what makes dense data (Mushroom, census-like attributes) fast.
 *
 * Cost: time roughly proportional to the candidate extensions times their (tid or diff) list
 * lengths; memory 14 bytes per itemset plus 4 to 8 bytes per occurrence of a frequent item
 * (tid-lists, and the ranked baskets when pairs are counted per item), a bitmap of N bits per
 * dense item, and one list arena per depth.
 *
 * @param baskets - {@link Baskets}, or lists of item labels (converted with {@link toBaskets}).
 * @param options - see {@link FrequentItemsetTableOptions}.
 * @returns the itemsets as an {@link ItemsetTable}.
 * @throws {@link InvalidOptionError} when `minSupport` is not in (0, 1], `minCount` not an integer >= 1, `maxLength` or `maxItemsets` invalid.
 * @throws {@link AnalyticsError} with code `BUDGET_EXCEEDED` when more than `maxItemsets` itemsets are frequent.
 * @example
 * ```ts
 * const t = frequentItemsetTable([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"]], { minSupport: 0.6 });
 * [t.size, Array.from(t.parent), Array.from(t.item).map((i) => t.items[i]), Array.from(t.count)];
 * //=> [3, [-1, -1, 0], ["bread", "milk", "milk"], [2, 3, 2]]
 * itemsetItems(t, 2);
 * //=> ["bread", "milk"]
 * ```
 * @category Association rules
 */
export function frequentItemsetTable(baskets: Baskets | Iterable<Iterable<string>>, options: FrequentItemsetTableOptions = {}): ItemsetTable {
  const fn = "frequentItemsetTable";
  const o = withDefaults(FREQUENT_ITEMSET_TABLE_DEFAULTS, options);
  let b: Baskets | undefined;
  const basketsOf = () => (b ??= isBaskets(baskets) ? baskets : toBaskets(baskets));
  const minCount = checkOptions(fn, o, () => basketsOf().count);
  const bk = basketsOf();
  const tree = new ItemsetTree(o.maxItemsets, fn);
  if (bk.count > 0) mineTree(bk, minCount, o.maxLength, tree);
  const n = tree.n;
  let maxLen = 0;
  for (let i = 0; i < n; i++) if (tree.length[i] > maxLen) maxLen = tree.length[i];
  const out: ItemsetTable = {
    size: n,
    parent: tree.parent.slice(0, n),
    item: tree.item.slice(0, n),
    count: tree.count.slice(0, n),
    itemsetLength: tree.length.slice(0, n),
    basketCount: bk.count,
    minCount,
    items: bk.items,
    itemCounts: itemCountsOf(bk),
    maxLengthFound: maxLen,
  };
  return bk.names ? { ...out, names: bk.names } : out;
}

/**
 * The item labels of one row of an {@link ItemsetTable}, in label order.
 *
 * @remarks
 * Walks the row's parents: O(k log k) for an itemset of k items.
 * @param table - the result of {@link frequentItemsetTable}.
 * @param row - a row index in `[0, table.size)`.
 * @returns the labels, sorted in code-unit order (as in {@link Itemset}).
 * @throws {@link InvalidOptionError} when `row` is not an integer in range.
 * @example
 * ```ts
 * const t = frequentItemsetTable([["a", "b", "c"], ["a", "b"], ["c", "b"]], { minCount: 2 });
 * Array.from({ length: t.size }, (_, i) => `${itemsetItems(t, i).join("+")}:${t.count[i]}`);
 * //=> ["a:2", "c:2", "b:3", "a+b:2", "b+c:2"]
 * ```
 * @category Association rules
 */
export function itemsetItems(table: ItemsetTable, row: number): string[] {
  if (!(Number.isInteger(row) && row >= 0 && row < table.size)) throw new InvalidOptionError("itemsetItems", "row", row, `an integer in [0, ${table.size})`);
  const ids: number[] = [];
  for (let r = row; r >= 0; r = table.parent[r]) ids.push(table.item[r]);
  ids.sort((x, y) => x - y);
  return ids.map((id) => table.items[id]);
}

/**
 * Flat item-id columns of an {@link ItemsetTable}, returned by {@link itemsetIdColumns}.
 * @category Association rules
 */
export interface ItemsetIdColumns {
  /** Row boundaries: `size + 1` entries, `offsets[0] = 0`; row `i` has `offsets[i + 1] - offsets[i]` items. */
  readonly offsets: Uint32Array;
  /** Item ids (indices into the table's `items`) of all rows, concatenated; ascending within a row. */
  readonly itemIds: Uint32Array;
}

/**
 * The itemsets of an {@link ItemsetTable} as flat item-id columns, in the layout of
 * {@link Baskets}: row `i` holds `itemIds[offsets[i] .. offsets[i + 1] - 1]`, ascending (so in
 * label order).
 *
 * @remarks
 * One pass over the rows (each copies its parent's ids and inserts its own item): time and
 * memory proportional to the total length of the itemsets, 4 bytes per item.
 * @param table - the result of {@link frequentItemsetTable}.
 * @returns `offsets` (`size + 1` entries) and `itemIds`.
 * @example
 * ```ts
 * const t = frequentItemsetTable([["a", "b", "c"], ["a", "b"], ["c", "b"]], { minCount: 2 });
 * const { offsets, itemIds } = itemsetIdColumns(t);
 * [Array.from(offsets), Array.from(itemIds)];
 * //=> [[0, 1, 2, 3, 5, 7], [0, 2, 1, 0, 1, 1, 2]]
 * ```
 * @category Association rules
 */
export function itemsetIdColumns(table: ItemsetTable): ItemsetIdColumns {
  const { offsets, ids } = flattenTree(table.parent, table.item, table.itemsetLength, table.size);
  return { offsets, itemIds: ids };
}

/**
 * Options of {@link itemsetsFromTable}.
 * @category Association rules
 */
export interface ItemsetsFromTableOptions {
  /** Shortest itemset to report. Default 1. */
  minLength?: number;
  /** Report only closed itemsets (no superset has the same count). Default `false`. */
  closed?: boolean;
  /** Report only maximal itemsets (no superset is frequent); takes precedence over `closed`. Default `false`. */
  maximal?: boolean;
}

const ITEMSETS_FROM_TABLE_DEFAULTS = Object.freeze({ minLength: 1, closed: false, maximal: false });

/**
 * The object form ({@link FrequentItemsets}, what {@link associationRules} takes) of an
 * {@link ItemsetTable}: `frequentItemsets(b, o)` equals
 * `itemsetsFromTable(frequentItemsetTable(b, o), o)`.
 *
 * @remarks
 * Itemsets by descending count, then shorter first, then item labels (a counting sort on count
 * and length; comparisons only among ties). `minLength`, `closed` and `maximal` filter as in
 * {@link frequentItemsets} and make the result `complete: false`.
 * @param table - the result of {@link frequentItemsetTable}.
 * @param options - see {@link ItemsetsFromTableOptions}.
 * @returns one {@link Itemset} object per kept row, sorted.
 * @throws {@link InvalidOptionError} for a `minLength` that is not an integer >= 1.
 * @example
 * ```ts
 * const t = frequentItemsetTable([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"]], { minSupport: 0.6 });
 * itemsetsFromTable(t).itemsets.map((s) => `${s.items.join("+")}:${s.count}`);
 * //=> ["milk:3", "bread:2", "bread+milk:2"]
 * ```
 * @category Association rules
 */
export function itemsetsFromTable(table: ItemsetTable, options: ItemsetsFromTableOptions = {}): FrequentItemsets {
  const o = withDefaults(ITEMSETS_FROM_TABLE_DEFAULTS, options);
  if (!(Number.isInteger(o.minLength) && o.minLength >= 1)) throw new InvalidOptionError("itemsetsFromTable", "minLength", o.minLength, "an integer >= 1");
  const res = itemsetObjects(table.parent, table.item, table.count, table.itemsetLength, table.size, table.items, table.itemCounts, table.basketCount, table.minCount, o);
  return table.names ? { ...res, names: table.names } : res;
}
