import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { toBaskets, type Baskets } from "./baskets.js";
import { flattenTree, itemCountsOf, ItemsetTree, mineTree } from "./eclat.js";

/**
 * Options of {@link frequentItemsets}.
 * @category Association rules
 */
export interface FrequentItemsetsOptions {
  /** Minimum support as a fraction of baskets, in (0, 1]; an itemset is frequent when `count / baskets >= minSupport` ("at least", as in arules). Default 0.1 (the arules default). */
  minSupport?: number;
  /** Minimum support as a number of baskets (an integer >= 1); overrides `minSupport` when given. Default: derived from `minSupport`. */
  minCount?: number;
  /** Shortest itemset to report. Default 1. */
  minLength?: number;
  /** Longest itemset to mine. Default `Infinity`: no silent cap (arules' `maxlen = 10` default truncates long itemsets). */
  maxLength?: number;
  /** Mining algorithm: `"eclat"` (vertical tid-lists with a triangular pair-count matrix; the fast one) or `"apriori"` (plain level-wise Apriori, kept as the reference oracle; slow). Both give exactly the same itemsets. Default `"eclat"`. */
  algorithm?: "eclat" | "apriori";
  /** Report only closed itemsets (no superset has the same count). Default `false`. */
  closed?: boolean;
  /** Report only maximal itemsets (no superset is frequent); takes precedence over `closed`. Default `false`. */
  maximal?: boolean;
  /** Budget: throw an `AnalyticsError` with code `BUDGET_EXCEEDED` as soon as more itemsets than this are found, instead of running out of memory. Default 5,000,000. */
  maxItemsets?: number;
}

/**
 * One frequent itemset.
 * @category Association rules
 */
export interface Itemset {
  /** Item labels, sorted in code-unit order. */
  readonly items: readonly string[];
  /** Number of baskets containing every item. */
  readonly count: number;
  /** `count / basketCount`. */
  readonly support: number;
}

/**
 * Result of {@link frequentItemsets}.
 * @category Association rules
 */
export interface FrequentItemsets {
  /** The itemsets, by descending count, then shorter first, then by item labels. */
  readonly itemsets: Itemset[];
  /** Number of baskets (the support denominator, empty baskets included). */
  readonly basketCount: number;
  /** Minimum count used: the smallest integer `c` with `c / basketCount >= minSupport`. */
  readonly minCount: number;
  /** Item dictionary of the baskets. */
  readonly items: readonly string[];
  /** Human-readable item names aligned with `items`, when the baskets carry them (see `Baskets.names`); {@link associationRules} copies them into each rule. */
  readonly names?: readonly string[];
  /** Number of baskets containing each dictionary item (frequent or not). */
  readonly itemCounts: readonly number[];
  /** Length of the longest frequent itemset found (0 when none). */
  readonly maxLengthFound: number;
  /** `true` when every subset of every reported itemset is reported too (false after `minLength > 1`, `closed` or `maximal`); {@link associationRules} needs it. */
  readonly complete: boolean;
}

const FREQUENT_ITEMSETS_DEFAULTS = Object.freeze({
  minSupport: 0.1,
  minCount: undefined as number | undefined,
  minLength: 1,
  maxLength: Infinity,
  algorithm: "eclat" as "eclat" | "apriori",
  closed: false,
  maximal: false,
  maxItemsets: 5_000_000,
});

/** Flat store of mined itemsets (item ids, any order within a set) with their counts. @internal */
export class ItemsetSink {
  ids = new Uint32Array(1 << 14);
  offsets = new Uint32Array(1 << 12);
  counts = new Uint32Array(1 << 12);
  n = 0;
  len = 0;
  constructor(readonly budget: number, readonly fn: string) {}

  /** Append an itemset: `prefix[0..plen-1]` then the extra ids. */
  push(prefix: Int32Array | Uint32Array, plen: number, a: number, b: number, count: number): void {
    if (this.n >= this.budget) {
      throw new AnalyticsError("BUDGET_EXCEEDED", `${this.fn}: more than maxItemsets = ${this.budget} frequent itemsets; raise minSupport, set maxLength, or raise maxItemsets`);
    }
    const k = plen + (b >= 0 ? 2 : 1);
    if (this.len + k > this.ids.length) {
      const x = new Uint32Array(Math.max(this.ids.length * 2, this.len + k));
      x.set(this.ids);
      this.ids = x;
    }
    if (this.n + 2 > this.offsets.length) {
      const o = new Uint32Array(this.offsets.length * 2);
      o.set(this.offsets);
      this.offsets = o;
      const c = new Uint32Array(this.counts.length * 2);
      c.set(this.counts);
      this.counts = c;
    }
    for (let i = 0; i < plen; i++) this.ids[this.len++] = prefix[i];
    this.ids[this.len++] = a;
    if (b >= 0) this.ids[this.len++] = b;
    this.counts[this.n] = count;
    this.n++;
    this.offsets[this.n] = this.len;
  }
}

/** Smallest integer c >= 1 with c / n >= minSupport, computed without rounding traps (0.002 * 100000 = 200.00000000000003). */
export function minCountFor(minSupport: number, n: number): number {
  if (n === 0) return 1;
  let c = Math.max(1, Math.ceil(minSupport * n));
  while (c > 1 && (c - 1) / n >= minSupport) c--;
  while (c / n < minSupport) c++;
  return c;
}

/**
 * Eclat into a flat {@link ItemsetSink} (kept for tests): {@link mineTree} then flattened.
 * `matrixLimit: 0` counts pairs item by item instead of with the matrix, `bitmaps: false` the bitmaps.
 * @internal
 */
export function mineEclat(b: Baskets, minCount: number, maxLength: number, sink: ItemsetSink, tuning: { matrixLimit?: number; bitmaps?: boolean; diffsets?: boolean } = {}): void {
  const tree = new ItemsetTree(sink.budget, sink.fn);
  mineTree(b, minCount, maxLength, tree, { matrixLimit: tuning.matrixLimit, bitmaps: tuning.bitmaps, diffsets: tuning.diffsets });
  const { offsets, ids } = flattenTree(tree.parent, tree.item, tree.length, tree.n);
  const empty = new Int32Array(0);
  for (let s = 0; s < tree.n; s++) {
    const st = offsets[s];
    const k = offsets[s + 1] - st;
    if (k === 1) sink.push(empty, 0, ids[st], -1, tree.count[s]);
    else sink.push(ids.subarray(st, st + k - 1), k - 1, ids[st + k - 1], -1, tree.count[s]);
  }
}

/**
 * Plain level-wise Apriori (Agrawal & Srikant 1994): join (k-1)-itemsets sharing a prefix,
 * prune candidates with an infrequent subset, count by scanning every basket. Kept as the
 * reference oracle for tests; quadratic and slow on purpose-free simplicity.
 * @internal
 */
export function mineApriori(b: Baskets, minCount: number, maxLength: number, tree: ItemsetTree): void {
  const cnt = itemCountsOf(b);
  let level: number[][] = [];
  let nodes: number[] = [];
  for (let id = 0; id < cnt.length; id++) {
    if (cnt[id] >= minCount) {
      level.push([id]);
      nodes.push(tree.push(-1, id, cnt[id]));
    }
  }
  const mark = new Int32Array(b.items.length).fill(-1);
  for (let k = 2; k <= maxLength && level.length > 1; k++) {
    const known = new Set(level.map((s) => s.join(",")));
    const cands: number[][] = [];
    const parents: number[] = [];
    for (let i = 0; i < level.length; i++) {
      for (let j = i + 1; j < level.length; j++) {
        const x = level[i];
        const y = level[j];
        let same = true;
        for (let p = 0; p < k - 2; p++) if (x[p] !== y[p]) same = false;
        if (!same) break; // level is sorted lexicographically
        const c = [...x, y[k - 2]];
        let ok = true;
        for (let drop = 0; drop < k && ok; drop++) {
          if (!known.has(c.filter((_, q) => q !== drop).join(","))) ok = false;
        }
        if (ok) {
          cands.push(c);
          parents.push(nodes[i]);
        }
      }
    }
    const counts = new Uint32Array(cands.length);
    for (let t = 0; t < b.count; t++) {
      for (let p = b.offsets[t]; p < b.offsets[t + 1]; p++) mark[b.itemIds[p]] = t;
      for (let c = 0; c < cands.length; c++) {
        const cand = cands[c];
        let all = true;
        for (const id of cand) if (mark[id] !== t) all = false;
        if (all) counts[c]++;
      }
    }
    level = [];
    nodes = [];
    for (let c = 0; c < cands.length; c++) {
      if (counts[c] >= minCount) {
        level.push(cands[c]);
        nodes.push(tree.push(parents[c], cands[c][k - 1], counts[c]));
      }
    }
  }
}

/**
 * Open-addressing hash index over flat itemsets (ascending ids): look up the count of an
 * itemset, or of an itemset with one position skipped, without building string keys.
 * @internal
 */
export class ItemsetIndex {
  private readonly table: Int32Array;
  private readonly mask: number;
  constructor(
    readonly ids: Uint32Array,
    readonly offsets: Uint32Array,
    readonly counts: Uint32Array,
    readonly n: number,
  ) {
    let size = 16;
    while (size < n * 2) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let s = 0; s < n; s++) {
      let h = ItemsetIndex.hash(ids, offsets[s], offsets[s + 1], -1) & this.mask;
      while (this.table[h] >= 0) h = (h + 1) & this.mask;
      this.table[h] = s;
    }
  }

  static hash(ids: ArrayLike<number>, start: number, end: number, skip: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) {
      if (i === skip) continue;
      h = Math.imul(h ^ ids[i], 0x01000193);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 12)) >>> 0;
  }

  /** Index of the itemset `q[start..end)` without position `skip` (-1: none), or -1 when absent. */
  find(q: ArrayLike<number>, start: number, end: number, skip: number): number {
    const len = end - start - (skip >= start && skip < end ? 1 : 0);
    const { ids, offsets, table, mask } = this;
    let h = ItemsetIndex.hash(q, start, end, skip) & mask;
    for (;;) {
      const s = table[h];
      if (s < 0) return -1;
      const os = offsets[s];
      if (offsets[s + 1] - os === len) {
        let p = os;
        let eq = true;
        for (let i = start; i < end; i++) {
          if (i === skip) continue;
          if (ids[p++] !== q[i]) {
            eq = false;
            break;
          }
        }
        if (eq) return s;
      }
      h = (h + 1) & mask;
    }
  }
}

/**
 * Mine the frequent itemsets of a set of baskets: every set of items bought together in at
 * least `minSupport` of the baskets, with its count and support.
 *
 * @remarks
 * support(X) = |{baskets containing X}| / N, with N the number of baskets (empty ones
 * included); X is frequent when support(X) >= `minSupport` (equivalently count >= `minCount`,
 * the smallest integer c with c / N >= minSupport, so 0.001 of 9,835 baskets is 10).
 *
 * The default miner is Eclat (Zaki, "Scalable algorithms for association mining", IEEE TKDE
 * 2000) on sorted tid-lists: items reordered by ascending count, 2-itemsets counted in one pass
 * with a triangular matrix (as in Borgelt's implementations), longer ones by merging the
 * tid-lists of two members of the same prefix class, stopping a merge as soon as the count can
 * no longer reach `minCount`. Memory is the tid-lists (one 4-byte entry per occurrence of a
 * frequent item) plus one reusable arena per depth, never baskets x items. `algorithm:
 * "apriori"` runs a plain Apriori (Agrawal & Srikant, VLDB 1994) kept as the test oracle; both
 * give the same result, which matches R arules 1.7 `apriori`/`eclat` (Groceries: 333 / 1,001 /
 * 13,492 itemsets at 0.01 / 0.005 / 0.001).
 *
 * Closed itemsets have no superset with the same count; maximal itemsets have no frequent
 * superset. Both are computed among the mined itemsets (so with a `maxLength`, relative to that
 * length). `minLength`, `closed` and `maximal` only filter the report; the result then has
 * `complete: false`.
 *
 * @param baskets - {@link Baskets}, or lists of item labels (converted with {@link toBaskets}).
 * @param options - see {@link FrequentItemsetsOptions}.
 * @returns the itemsets and the counts needed to derive rules.
 * @throws {@link InvalidOptionError} when `minSupport` is not in (0, 1], `minCount` not an integer >= 1, lengths invalid, or the algorithm unknown.
 * @throws {@link AnalyticsError} with code `BUDGET_EXCEEDED` when more than `maxItemsets` itemsets are frequent.
 * @example
 * ```ts
 * const r = frequentItemsets([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"]], { minSupport: 0.6 });
 * r.itemsets.map((s) => `${s.items.join("+")}:${s.count}`);
 * //=> ["milk:3", "bread:2", "bread+milk:2"]
 * ```
 * @category Association rules
 */
export function frequentItemsets(baskets: Baskets | Iterable<Iterable<string>>, options: FrequentItemsetsOptions = {}): FrequentItemsets {
  const fn = "frequentItemsets";
  const o = withDefaults(FREQUENT_ITEMSETS_DEFAULTS, options);
  if (o.minCount === undefined && !(typeof o.minSupport === "number" && o.minSupport > 0 && o.minSupport <= 1)) {
    throw new InvalidOptionError(fn, "minSupport", o.minSupport, "a fraction in (0, 1] (0 would make every subset of every basket frequent)");
  }
  if (o.minCount !== undefined && !(Number.isInteger(o.minCount) && o.minCount >= 1)) throw new InvalidOptionError(fn, "minCount", o.minCount, "an integer >= 1");
  if (!(Number.isInteger(o.minLength) && o.minLength >= 1)) throw new InvalidOptionError(fn, "minLength", o.minLength, "an integer >= 1");
  if (!((Number.isInteger(o.maxLength) || o.maxLength === Infinity) && o.maxLength >= o.minLength)) {
    throw new InvalidOptionError(fn, "maxLength", o.maxLength, `an integer >= minLength (${o.minLength}) or Infinity`);
  }
  if (o.algorithm !== "eclat" && o.algorithm !== "apriori") throw new InvalidOptionError(fn, "algorithm", o.algorithm, '"eclat" or "apriori"');
  if (!(Number.isInteger(o.maxItemsets) && o.maxItemsets >= 1)) throw new InvalidOptionError(fn, "maxItemsets", o.maxItemsets, "an integer >= 1");
  const b = isBaskets(baskets) ? baskets : toBaskets(baskets);
  const n = b.count;
  const minCount = o.minCount ?? minCountFor(o.minSupport, n);
  const tree = new ItemsetTree(o.maxItemsets, fn);
  if (n > 0) {
    if (o.algorithm === "eclat") mineTree(b, minCount, o.maxLength, tree);
    else mineApriori(b, minCount, o.maxLength, tree);
  }
  const res = itemsetObjects(tree.parent, tree.item, tree.count, tree.length, tree.n, b.items, itemCountsOf(b), n, minCount, o);
  return b.names ? { ...res, names: b.names } : res;
}

/**
 * The object form of a prefix tree of itemsets: ids sorted within each itemset, the report
 * filters (`minLength`, `closed`, `maximal`) applied, then ordered by descending count, shorter
 * first, then item labels (a counting sort on count and length, comparisons only within ties).
 * @internal
 */
export function itemsetObjects(
  parent: Int32Array,
  item: Uint32Array,
  counts: Uint32Array,
  length: Uint16Array,
  size: number,
  labels: readonly string[],
  itemCounts: ArrayLike<number>,
  n: number,
  minCount: number,
  o: { minLength: number; closed: boolean; maximal: boolean },
): FrequentItemsets {
  const { offsets, ids } = flattenTree(parent, item, length, size);
  const keep = o.closed || o.maximal ? closedOrMaximal(ids, offsets, counts, size, o.maximal) : undefined;
  let maxLen = 0;
  let maxCount = 0;
  let kept = 0;
  for (let s = 0; s < size; s++) {
    const k = length[s];
    if (k > maxLen) maxLen = k;
    if (k < o.minLength || (keep && !keep[s])) continue;
    kept++;
    if (counts[s] > maxCount) maxCount = counts[s];
  }
  // Stable counting sorts: by length, then by descending count.
  const byLen = new Uint32Array(maxLen + 2);
  for (let s = 0; s < size; s++) if (!(length[s] < o.minLength || (keep && !keep[s]))) byLen[length[s] + 1]++;
  for (let k = 1; k < byLen.length; k++) byLen[k] += byLen[k - 1];
  const tmp = new Uint32Array(kept);
  for (let s = 0; s < size; s++) if (!(length[s] < o.minLength || (keep && !keep[s]))) tmp[byLen[length[s]]++] = s;
  const byCount = new Uint32Array(maxCount + 2);
  for (let q = 0; q < kept; q++) byCount[maxCount - counts[tmp[q]] + 1]++;
  for (let k = 1; k < byCount.length; k++) byCount[k] += byCount[k - 1];
  const order = new Uint32Array(kept);
  for (let q = 0; q < kept; q++) order[byCount[maxCount - counts[tmp[q]]]++] = tmp[q];
  // Ties on (count, length): by item ids, which are in label order. The first ids of each set
  // are packed into one number (exact below 2^53), so most comparisons are one subtraction.
  const bits = Math.max(1, Math.ceil(Math.log2(labels.length + 1)));
  const packed = Math.min(maxLen, Math.floor(52 / bits));
  const scale = 2 ** bits;
  const key = new Float64Array(size);
  for (let s = 0; s < size; s++) {
    let v = 0;
    const st = offsets[s];
    const k = Math.min(packed, offsets[s + 1] - st);
    for (let i = 0; i < k; i++) v = v * scale + ids[st + i];
    key[s] = v;
  }
  const lex = (x: number, y: number): number => {
    const d = key[x] - key[y];
    if (d !== 0) return d;
    const ox = offsets[x];
    const oy = offsets[y];
    const k = offsets[x + 1] - ox;
    for (let i = packed; i < k; i++) {
      const e = ids[ox + i] - ids[oy + i];
      if (e !== 0) return e;
    }
    return 0;
  };
  for (let q = 0; q < kept; ) {
    const c = counts[order[q]];
    const k = length[order[q]];
    let e = q + 1;
    while (e < kept && counts[order[e]] === c && length[order[e]] === k) e++;
    if (e - q > 1) order.subarray(q, e).sort(lex);
    q = e;
  }
  const itemsets: Itemset[] = new Array(kept);
  for (let q = 0; q < kept; q++) {
    const s = order[q];
    const st = offsets[s];
    const items: string[] = new Array(offsets[s + 1] - st);
    for (let p = 0; p < items.length; p++) items[p] = labels[ids[st + p]];
    itemsets[q] = { items, count: counts[s], support: counts[s] / n };
  }
  return {
    itemsets,
    basketCount: n,
    minCount,
    items: labels,
    itemCounts: Array.from(itemCounts),
    maxLengthFound: maxLen,
    complete: o.minLength <= 1 && !o.closed && !o.maximal,
  };
}

/** Flags of the closed (or maximal) itemsets: only immediate supersets need checking, by anti-monotonicity of support. */
function closedOrMaximal(ids: Uint32Array, offsets: Uint32Array, counts: Uint32Array, size: number, maximal: boolean): Uint8Array {
  const index = new ItemsetIndex(ids, offsets, counts, size);
  const keep = new Uint8Array(size).fill(1);
  for (let s = 0; s < size; s++) {
    const st = offsets[s];
    const en = offsets[s + 1];
    if (en - st < 2) continue;
    for (let p = st; p < en; p++) {
      const sub = index.find(ids, st, en, p);
      if (sub < 0) continue;
      if (maximal || counts[sub] === counts[s]) keep[sub] = 0;
    }
  }
  return keep;
}

/** Whether a value is a {@link Baskets} object. @internal */
export function isBaskets(x: unknown): x is Baskets {
  return typeof x === "object" && x !== null && (x as Baskets).offsets instanceof Uint32Array && (x as Baskets).itemIds instanceof Uint32Array && Array.isArray((x as Baskets).items);
}
