import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { toBaskets, type Baskets } from "./baskets.js";

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

/** Number of baskets containing each item. */
function itemCountsOf(b: Baskets): Uint32Array {
  const cnt = new Uint32Array(b.items.length);
  const ids = b.itemIds;
  for (let i = 0; i < ids.length; i++) cnt[ids[i]]++;
  return cnt;
}

/** Sorted merge intersection of two ascending tid lists, written to `out` at `os`; returns the count, or -1 once `minCount` is out of reach. */
function intersectInto(A: Uint32Array, as: number, al: number, B: Uint32Array, bs: number, bl: number, out: Uint32Array, os: number, minCount: number): number {
  let i = as;
  let j = bs;
  const ie = as + al;
  const je = bs + bl;
  let k = os;
  while (i < ie && j < je) {
    const x = A[i];
    const y = B[j];
    if (x < y) {
      i++;
      if (k - os + ie - i < minCount) return -1;
    } else if (x > y) {
      j++;
      if (k - os + je - j < minCount) return -1;
    } else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  return k - os;
}

/** Like {@link intersectInto} but only counts. */
function intersectCount(A: Uint32Array, as: number, al: number, B: Uint32Array, bs: number, bl: number, minCount: number): number {
  let i = as;
  let j = bs;
  const ie = as + al;
  const je = bs + bl;
  let c = 0;
  while (i < ie && j < je) {
    const x = A[i];
    const y = B[j];
    if (x < y) {
      i++;
      if (c + ie - i < minCount) return -1;
    } else if (x > y) {
      j++;
      if (c + je - j < minCount) return -1;
    } else {
      c++;
      i++;
      j++;
    }
  }
  return c;
}

/** Intersect a tid list with an item's bitmap (a bit per basket): cost proportional to the list only. */
function intersectBitmap(A: Uint32Array, as: number, al: number, bits: Uint32Array, base: number, out: Uint32Array, os: number, minCount: number): number {
  let k = os;
  const ie = as + al;
  for (let i = as; i < ie; i++) {
    const t = A[i];
    if ((bits[base + (t >>> 5)] >>> (t & 31)) & 1) out[k++] = t;
    // Stop once even a hit on every remaining tid could not reach minCount.
    else if (ie - 1 - i + (k - os) < minCount) return -1;
  }
  return k - os;
}

/** Count-only version of {@link intersectBitmap}. */
function countBitmap(A: Uint32Array, as: number, al: number, bits: Uint32Array, base: number, minCount: number): number {
  let c = 0;
  const ie = as + al;
  for (let i = as; i < ie; i++) {
    const t = A[i];
    if ((bits[base + (t >>> 5)] >>> (t & 31)) & 1) c++;
    else if (ie - 1 - i + c < minCount) return -1;
  }
  return c;
}

/** Largest number of frequent items for which the triangular pair-count matrix is used (about 32 MiB). */
const MAX_MATRIX_ITEMS = 4096;

/**
 * Eclat (Zaki 2000) on vertical tid-lists: items ordered by ascending count, pairs counted in
 * one pass over the baskets with a triangular matrix (Borgelt's trick), deeper levels by
 * merging sorted tid-lists into one reusable arena per depth (no allocation per candidate).
 * @internal
 */
export function mineEclat(b: Baskets, minCount: number, maxLength: number, sink: ItemsetSink, tuning: { matrixLimit?: number; bitmaps?: boolean } = {}): void {
  const matrixLimit = tuning.matrixLimit ?? MAX_MATRIX_ITEMS;
  const cnt = itemCountsOf(b);
  const freq: number[] = [];
  for (let id = 0; id < cnt.length; id++) if (cnt[id] >= minCount) freq.push(id);
  freq.sort((x, y) => cnt[x] - cnt[y] || x - y);
  const F = freq.length;
  const rankToId = Uint32Array.from(freq);
  const rankOf = new Int32Array(cnt.length).fill(-1);
  for (let r = 0; r < F; r++) rankOf[rankToId[r]] = r;
  const empty = new Int32Array(0);
  for (let r = 0; r < F; r++) sink.push(empty, 0, rankToId[r], -1, cnt[rankToId[r]]);
  if (maxLength < 2 || F < 2) return;

  // Tid-lists by rank, ascending basket index.
  const tOff = new Uint32Array(F + 1);
  for (let r = 0; r < F; r++) tOff[r + 1] = tOff[r] + cnt[rankToId[r]];
  const tids = new Uint32Array(tOff[F]);
  const pos = tOff.slice(0, F);
  const { offsets, itemIds } = b;
  const nb = b.count;
  const useMatrix = F <= matrixLimit;
  const rowBase = new Float64Array(F);
  let pc = new Uint32Array(0);
  if (useMatrix) {
    for (let a = 0; a < F; a++) rowBase[a] = (a * (2 * F - a - 1)) / 2 - a - 1;
    pc = new Uint32Array((F * (F - 1)) / 2);
  }
  let buf = new Int32Array(64);
  for (let t = 0; t < nb; t++) {
    const s = offsets[t];
    const e = offsets[t + 1];
    if (e - s > buf.length) buf = new Int32Array(e - s);
    let m = 0;
    for (let p = s; p < e; p++) {
      const r = rankOf[itemIds[p]];
      if (r < 0) continue;
      tids[pos[r]++] = t;
      if (useMatrix) {
        // insertion sort of the basket's ranks
        let q = m++;
        while (q > 0 && buf[q - 1] > r) {
          buf[q] = buf[q - 1];
          q--;
        }
        buf[q] = r;
      }
    }
    if (useMatrix) {
      for (let i = 0; i < m - 1; i++) {
        const base = rowBase[buf[i]];
        for (let j = i + 1; j < m; j++) pc[base + buf[j]]++;
      }
    }
  }

  // Bitmaps for dense items (count >= baskets / 64, where a bitmap is at most twice the size of
  // the item's tid-list, so memory stays proportional to item occurrences): intersecting a
  // tid-list with one costs that list only, not both. At depth d > 0 the class members are
  // P + x and P + y, and (P + x) & (P + y) = (P + x) & y, so y's global bitmap serves there too.
  const words = (nb + 31) >>> 5;
  const bmBase = new Int32Array(F).fill(-1);
  let dense = 0;
  for (let r = 0; r < F; r++) if (tuning.bitmaps !== false && (tOff[r + 1] - tOff[r]) * 64 >= nb) bmBase[r] = words * dense++;
  const bitmaps = new Uint32Array(words * dense);
  for (let r = 0; r < F; r++) {
    const base = bmBase[r];
    if (base < 0) continue;
    for (let p = tOff[r]; p < tOff[r + 1]; p++) bitmaps[base + (tids[p] >>> 5)] |= 1 << (tids[p] & 31);
  }

  // Per-depth class state.
  const maxDepth = Math.min(maxLength, F) + 1;
  const arenas: Uint32Array[] = [tids];
  const clsItems: Int32Array[] = [Int32Array.from({ length: F }, (_, r) => r)];
  const clsStart: Uint32Array[] = [tOff.slice(0, F)];
  const clsLen: Uint32Array[] = [Uint32Array.from({ length: F }, (_, r) => tOff[r + 1] - tOff[r])];
  const prefix = new Int32Array(maxDepth);
  const prefixIds = new Uint32Array(maxDepth);
  const passing = new Int32Array(F);
  const passingCount = new Uint32Array(F);

  const ensureDepth = (d: number, m: number) => {
    if (clsItems.length <= d) {
      clsItems.push(new Int32Array(Math.max(m, 16)));
      clsStart.push(new Uint32Array(Math.max(m, 16)));
      clsLen.push(new Uint32Array(Math.max(m, 16)));
      arenas.push(new Uint32Array(1 << 12));
    } else if (clsItems[d].length < m) {
      clsItems[d] = new Int32Array(m);
      clsStart[d] = new Uint32Array(m);
      clsLen[d] = new Uint32Array(m);
    }
  };
  const ensureArena = (d: number, need: number): Uint32Array => {
    let a = arenas[d];
    if (a.length < need) {
      const x = new Uint32Array(Math.max(need, a.length * 2));
      x.set(a);
      arenas[d] = a = x;
    }
    return a;
  };

  // Process the class at depth d: m members, each the prefix (length L) plus one item.
  const processClass = (d: number, m: number, L: number): void => {
    const items = clsItems[d];
    const starts = clsStart[d];
    const lens = clsLen[d];
    const A = arenas[d];
    const needTids = L + 3 <= maxLength;
    for (let i = 0; i < m - 1; i++) {
      const a = items[i];
      prefix[L] = a;
      prefixIds[L] = rankToId[a];
      const as = starts[i];
      const al = lens[i];
      let cm = 0;
      if (d === 0 && useMatrix) {
        // Pair counts are known: emit, then intersect only if the class can grow.
        let np = 0;
        let need = 0;
        const base = rowBase[a];
        for (let j = i + 1; j < m; j++) {
          const c = pc[base + items[j]];
          if (c >= minCount) {
            passing[np] = j;
            need += c;
            passingCount[np++] = c;
            sink.push(prefixIds, 1, rankToId[items[j]], -1, c);
          }
        }
        if (!needTids || np < 2) continue;
        ensureDepth(d + 1, np);
        // Exact size: the pair counts. Their sum is at most the item occurrences of a's baskets.
        let out = ensureArena(d + 1, need);
        let cursor = 0;
        const ci = clsItems[d + 1];
        const cs = clsStart[d + 1];
        const cl = clsLen[d + 1];
        for (let q = 0; q < np; q++) {
          const j = passing[q];
          const c = passingCount[q];
          if (cursor + c > out.length) out = ensureArena(d + 1, cursor + c);
          const bj = bmBase[items[j]];
          if (bj >= 0) intersectBitmap(A, as, al, bitmaps, bj, out, cursor, 0);
          else intersectInto(A, as, al, A, starts[j], lens[j], out, cursor, 0);
          ci[cm] = items[j];
          cs[cm] = cursor;
          cl[cm] = c;
          cursor += c;
          cm++;
        }
      } else if (needTids) {
        ensureDepth(d + 1, m - i - 1);
        const ci = clsItems[d + 1];
        const cs = clsStart[d + 1];
        const cl = clsLen[d + 1];
        let cursor = 0;
        for (let j = i + 1; j < m; j++) {
          const bl = lens[j];
          const out = ensureArena(d + 1, cursor + Math.min(al, bl));
          const bj = bmBase[items[j]];
          const c = bj >= 0 ? intersectBitmap(A, as, al, bitmaps, bj, out, cursor, minCount) : intersectInto(A, as, al, A, starts[j], bl, out, cursor, minCount);
          if (c >= minCount) {
            sink.push(prefixIds, L + 1, rankToId[items[j]], -1, c);
            ci[cm] = items[j];
            cs[cm] = cursor;
            cl[cm] = c;
            cursor += c;
            cm++;
          }
        }
      } else {
        for (let j = i + 1; j < m; j++) {
          const bj = bmBase[items[j]];
          const c = bj >= 0 ? countBitmap(A, as, al, bitmaps, bj, minCount) : intersectCount(A, as, al, A, starts[j], lens[j], minCount);
          if (c >= minCount) sink.push(prefixIds, L + 1, rankToId[items[j]], -1, c);
        }
      }
      if (needTids && cm >= 2) processClass(d + 1, cm, L + 1);
    }
  };
  processClass(0, F, 0);
}

/**
 * Plain level-wise Apriori (Agrawal & Srikant 1994): join (k-1)-itemsets sharing a prefix,
 * prune candidates with an infrequent subset, count by scanning every basket. Kept as the
 * reference oracle for tests; quadratic and slow on purpose-free simplicity.
 * @internal
 */
export function mineApriori(b: Baskets, minCount: number, maxLength: number, sink: ItemsetSink): void {
  const cnt = itemCountsOf(b);
  let level: number[][] = [];
  for (let id = 0; id < cnt.length; id++) {
    if (cnt[id] >= minCount) {
      level.push([id]);
      sink.push(new Int32Array(0), 0, id, -1, cnt[id]);
    }
  }
  const mark = new Int32Array(b.items.length).fill(-1);
  for (let k = 2; k <= maxLength && level.length > 1; k++) {
    const known = new Set(level.map((s) => s.join(",")));
    const cands: number[][] = [];
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
        if (ok) cands.push(c);
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
    for (let c = 0; c < cands.length; c++) {
      if (counts[c] >= minCount) {
        level.push(cands[c]);
        const ids = Uint32Array.from(cands[c]);
        sink.push(ids, k - 1, cands[c][k - 1], -1, counts[c]);
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
  const o = { ...FREQUENT_ITEMSETS_DEFAULTS, ...options };
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
  const sink = new ItemsetSink(o.maxItemsets, fn);
  if (n > 0) {
    if (o.algorithm === "eclat") mineEclat(b, minCount, o.maxLength, sink);
    else mineApriori(b, minCount, o.maxLength, sink);
  }
  // Sort the ids of each itemset (Eclat emits them in rank order).
  const { ids, offsets, counts } = sink;
  for (let s = 0; s < sink.n; s++) {
    const st = offsets[s];
    const en = offsets[s + 1];
    for (let i = st + 1; i < en; i++) {
      const v = ids[i];
      let q = i;
      while (q > st && ids[q - 1] > v) {
        ids[q] = ids[q - 1];
        q--;
      }
      ids[q] = v;
    }
  }
  let keep: Uint8Array | undefined;
  if (o.closed || o.maximal) keep = closedOrMaximal(sink, o.maximal);
  const order: number[] = [];
  let maxLen = 0;
  for (let s = 0; s < sink.n; s++) {
    const k = offsets[s + 1] - offsets[s];
    if (k > maxLen) maxLen = k;
    if (k < o.minLength || (keep && !keep[s])) continue;
    order.push(s);
  }
  order.sort((x, y) => {
    if (counts[x] !== counts[y]) return counts[y] - counts[x];
    const kx = offsets[x + 1] - offsets[x];
    const ky = offsets[y + 1] - offsets[y];
    if (kx !== ky) return kx - ky;
    for (let i = 0; i < kx; i++) {
      const d = ids[offsets[x] + i] - ids[offsets[y] + i];
      if (d !== 0) return d;
    }
    return 0;
  });
  const labels = b.items;
  const itemsets: Itemset[] = new Array(order.length);
  for (let q = 0; q < order.length; q++) {
    const s = order[q];
    const items: string[] = [];
    for (let p = offsets[s]; p < offsets[s + 1]; p++) items.push(labels[ids[p]]);
    itemsets[q] = { items, count: counts[s], support: counts[s] / n };
  }
  return {
    itemsets,
    basketCount: n,
    minCount,
    items: labels,
    itemCounts: Array.from(itemCountsOf(b)),
    maxLengthFound: maxLen,
    complete: o.minLength <= 1 && !o.closed && !o.maximal,
  };
}

/** Flags of the closed (or maximal) itemsets: only immediate supersets need checking, by anti-monotonicity of support. */
function closedOrMaximal(sink: ItemsetSink, maximal: boolean): Uint8Array {
  const { ids, offsets, counts } = sink;
  const index = new ItemsetIndex(ids, offsets, counts, sink.n);
  const keep = new Uint8Array(sink.n).fill(1);
  for (let s = 0; s < sink.n; s++) {
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
