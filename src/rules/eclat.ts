import { AnalyticsError } from "../core/errors.js";
import type { Baskets } from "./baskets.js";

/**
 * Growable prefix tree of mined itemsets: itemset `i` is itemset `parent[i]` (or the empty set
 * when `parent[i] = -1`) plus the item `item[i]`. Every itemset is stored in O(1) space (14
 * bytes), whatever its length, and appending one costs O(1). Parents always come first
 * (`parent[i] < i`).
 * @internal
 */
export class ItemsetTree {
  parent: Int32Array;
  item: Uint32Array;
  count: Uint32Array;
  length: Uint16Array;
  n = 0;
  /** `budget`: most itemsets allowed (the `maxItemsets` option); `fn`: the public function named in the error. */
  constructor(
    readonly budget: number,
    readonly fn: string,
  ) {
    const size = Math.min(1 << 12, budget);
    this.parent = new Int32Array(size);
    this.item = new Uint32Array(size);
    this.count = new Uint32Array(size);
    this.length = new Uint16Array(size);
  }

  /** Append the itemset `parent + item` with its count; returns its index. */
  push(parent: number, item: number, count: number): number {
    const i = this.n;
    if (i >= this.parent.length) this.grow();
    this.parent[i] = parent;
    this.item[i] = item;
    this.count[i] = count;
    this.length[i] = parent < 0 ? 1 : this.length[parent] + 1;
    this.n = i + 1;
    return i;
  }

  private grow(): void {
    if (this.n >= this.budget) {
      throw new AnalyticsError("BUDGET_EXCEEDED", `${this.fn}: more than maxItemsets = ${this.budget} frequent itemsets; raise minSupport, set maxLength, or raise maxItemsets`);
    }
    const size = Math.min(this.parent.length * 2, this.budget);
    const p = new Int32Array(size);
    p.set(this.parent);
    this.parent = p;
    const it = new Uint32Array(size);
    it.set(this.item);
    this.item = it;
    const c = new Uint32Array(size);
    c.set(this.count);
    this.count = c;
    const l = new Uint16Array(size);
    l.set(this.length);
    this.length = l;
  }
}

/** Switches for tests: every combination gives the same itemsets. @internal */
export interface EclatTuning {
  /** Count 2-itemsets before intersecting any tid-list. Default true. */
  pairCounts?: boolean;
  /** Most frequent items for which 2-itemsets may be counted in one pass over the baskets with a triangular matrix (4 bytes per pair of items; used when it has at most 4 cells per item occurrence); otherwise they are counted item by item over each item's baskets (one counter per item). Default 4,096 (at most a 32 MiB matrix). */
  matrixLimit?: number;
  /** Keep one bitmap per dense item and intersect by bit tests. Default true. */
  bitmaps?: boolean;
  /** Switch a prefix class to diffsets (dEclat) when they are smaller than its tid-lists. Default true. */
  diffsets?: boolean;
}

/** Number of baskets containing each item. @internal */
export function itemCountsOf(b: Baskets): Uint32Array {
  const cnt = new Uint32Array(b.items.length);
  const ids = b.itemIds;
  for (let i = 0; i < ids.length; i++) cnt[ids[i]]++;
  return cnt;
}

// Kernels. Lists are ascending basket indices. `limit` bounds a diffset: once more than `limit`
// elements would be written, the extension cannot be frequent and the kernel returns -1.

/** A ∩ B written to out; returns its size, or -1 once more than `limit` elements of A are missing from B. */
function mergeInter(A: Uint32Array, as: number, al: number, B: Uint32Array, bs: number, bl: number, out: Uint32Array, o: number, limit: number): number {
  let i = as;
  let j = bs;
  const ie = as + al;
  const je = bs + bl;
  let k = o;
  let miss = 0;
  while (i < ie && j < je) {
    const x = A[i];
    const y = B[j];
    if (x < y) {
      if (++miss > limit) return -1;
      i++;
    } else if (x > y) {
      j++;
    } else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  if (miss + ie - i > limit) return -1;
  return k - o;
}

/** A ∩ bitmap written to out; returns its size, or -1 once more than `limit` elements of A are missing from it. */
function scanInter(A: Uint32Array, as: number, al: number, bits: Uint32Array, base: number, out: Uint32Array, o: number, limit: number): number {
  let k = o;
  let miss = 0;
  const ie = as + al;
  for (let i = as; i < ie; i++) {
    const t = A[i];
    if ((bits[base + (t >>> 5)] >>> (t & 31)) & 1) out[k++] = t;
    else if (++miss > limit) return -1;
  }
  return k - o;
}

/** |A ∩ B|, or -1 when more than `limit` elements of A are missing from B. */
function mergeCount(A: Uint32Array, as: number, al: number, B: Uint32Array, bs: number, bl: number, limit: number): number {
  let i = as;
  let j = bs;
  const ie = as + al;
  const je = bs + bl;
  let miss = 0;
  let c = 0;
  while (i < ie && j < je) {
    const x = A[i];
    const y = B[j];
    if (x < y) {
      if (++miss > limit) return -1;
      i++;
    } else if (x > y) {
      j++;
    } else {
      c++;
      i++;
      j++;
    }
  }
  if (miss + ie - i > limit) return -1;
  return c;
}

/** |A ∩ bitmap|, or -1 when more than `limit` elements of A are missing from it. */
function scanCount(A: Uint32Array, as: number, al: number, bits: Uint32Array, base: number, limit: number): number {
  let miss = 0;
  const ie = as + al;
  for (let i = as; i < ie; i++) {
    const t = A[i];
    if (!((bits[base + (t >>> 5)] >>> (t & 31)) & 1) && ++miss > limit) return -1;
  }
  return al - miss;
}

/** D − E (elements of D not in E) written to out; returns its size or -1 when above `limit`. `out` null: count only. */
function mergeMinus(D: Uint32Array, ds: number, dl: number, E: Uint32Array, es: number, el: number, out: Uint32Array | null, o: number, limit: number): number {
  let i = ds;
  let j = es;
  const ie = ds + dl;
  const je = es + el;
  let q = 0;
  while (i < ie && j < je) {
    const x = D[i];
    const y = E[j];
    if (x < y) {
      if (q === limit) return -1;
      if (out !== null) out[o + q] = x;
      q++;
      i++;
    } else if (x > y) {
      j++;
    } else {
      i++;
      j++;
    }
  }
  if (q + ie - i > limit) return -1;
  if (out !== null) while (i < ie) out[o + q++] = D[i++];
  else q += ie - i;
  return q;
}

/** D ∩ bitmap written to out; returns its size or -1 when above `limit`. `out` null: count only. */
function scanKeep(D: Uint32Array, ds: number, dl: number, bits: Uint32Array, base: number, out: Uint32Array | null, o: number, limit: number): number {
  let q = 0;
  const ie = ds + dl;
  for (let i = ds; i < ie; i++) {
    const t = D[i];
    if ((bits[base + (t >>> 5)] >>> (t & 31)) & 1) {
      if (q === limit) return -1;
      if (out !== null) out[o + q] = t;
      q++;
    }
  }
  return q;
}

/** A ∩ B written to out (no limit). Returns its size. */
function mergeAnd(A: Uint32Array, as: number, al: number, B: Uint32Array, bs: number, bl: number, out: Uint32Array, o: number): number {
  let i = as;
  let j = bs;
  const ie = as + al;
  const je = bs + bl;
  let k = o;
  while (i < ie && j < je) {
    const x = A[i];
    const y = B[j];
    if (x < y) i++;
    else if (x > y) j++;
    else {
      out[k++] = x;
      i++;
      j++;
    }
  }
  return k - o;
}

/** D − bitmap written to out (no limit: used where the size is known to pass). Returns its size. */
function scanDrop(D: Uint32Array, ds: number, dl: number, bits: Uint32Array, base: number, out: Uint32Array, o: number): number {
  let q = o;
  const ie = ds + dl;
  for (let i = ds; i < ie; i++) {
    const t = D[i];
    if (!((bits[base + (t >>> 5)] >>> (t & 31)) & 1)) out[q++] = t;
  }
  return q - o;
}

/** Default `matrixLimit` of {@link EclatTuning}. */
const MATRIX_LIMIT = 4096;

/** Number of baskets in both bitmaps (popcount of the AND, word by word). */
function popAnd(bits: Uint32Array, a: number, b: number, words: number): number {
  let c = 0;
  for (let w = 0; w < words; w++) {
    let x = bits[a + w] & bits[b + w];
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    c += (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return c;
}

/** Basket indices of `a AND NOT b` (`not`) or `a AND b`, ascending, written to out; returns how many. */
function bitsOut(bits: Uint32Array, a: number, b: number, words: number, not: boolean, out: Uint32Array, o: number): number {
  let q = o;
  for (let w = 0; w < words; w++) {
    let x = not ? bits[a + w] & ~bits[b + w] : bits[a + w] & bits[b + w];
    while (x !== 0) {
      const low = x & -x;
      out[q++] = (w << 5) + 31 - Math.clz32(low);
      x ^= low;
    }
  }
  return q - o;
}

/** Per-depth state of one prefix class. */
interface Level {
  /** Rank of each member's last item. */
  item: Int32Array;
  /** Tree index of each member. */
  node: Int32Array;
  /** Support count of each member. */
  count: Uint32Array;
  /** Start of each member's tid-list (tid mode) in `tids`. */
  startT: Uint32Array;
  /** Start of each member's diffset in `diffs`. */
  startD: Uint32Array;
  tids: Uint32Array;
  diffs: Uint32Array;
}

function newLevel(m: number): Level {
  const k = Math.max(m, 16);
  return { item: new Int32Array(k), node: new Int32Array(k), count: new Uint32Array(k), startT: new Uint32Array(k), startD: new Uint32Array(k), tids: new Uint32Array(1 << 12), diffs: new Uint32Array(1 << 12) };
}

function fit(a: Uint32Array, need: number): Uint32Array {
  if (a.length >= need) return a;
  const x = new Uint32Array(Math.max(need, a.length * 2));
  x.set(a);
  return x;
}

/**
 * Depth-first Eclat (Zaki 2000) into a prefix tree, with three accelerations that keep the
 * result identical:
 * - 2-itemsets are counted before any intersection (items in ascending-count rank order): with
 *   a triangular matrix in one pass over the baskets while it has at most 4 cells per item
 *   occurrence (and at most `matrixLimit` items); by popcounts of bitmaps when every item is
 *   dense and that is fewer word operations than the pair occurrences; otherwise per item over
 *   that item's baskets with one counter per item (time ~ the pair occurrences, memory ~ the
 *   data), so there is no item limit;
 * - dense items get a bitmap over baskets: since a class member's list is a subset of its
 *   prefix's baskets, both P+x ∩ P+y and P+x − P+y only need a bit test of item y per element
 *   of P+x's list;
 * - a prefix class switches to diffsets (dEclat, Zaki & Gouda 2003: d(PXY) = d(PY) − d(PX),
 *   count(PXY) = count(PX) − |d(PXY)|) when its diffsets are smaller than its tid-lists, which
 *   is the case on dense data; in diffset mode d(PXY) = d(PY) ∩ baskets(X), a bit test again.
 * @internal
 */
export function mineTree(b: Baskets, minCount: number, maxLength: number, tree: ItemsetTree, tuning: EclatTuning = {}): void {
  const usePairs = tuning.pairCounts !== false;
  const useBitmaps = tuning.bitmaps !== false;
  const useDiff = tuning.diffsets !== false;
  const cnt = itemCountsOf(b);
  const freq: number[] = [];
  for (let id = 0; id < cnt.length; id++) if (cnt[id] >= minCount) freq.push(id);
  freq.sort((x, y) => cnt[x] - cnt[y] || x - y);
  const F = freq.length;
  const rankToId = Uint32Array.from(freq);
  const rankOf = new Int32Array(cnt.length).fill(-1);
  for (let r = 0; r < F; r++) rankOf[rankToId[r]] = r;
  const top = newLevel(F);
  for (let r = 0; r < F; r++) {
    top.item[r] = r;
    top.count[r] = cnt[rankToId[r]];
    top.node[r] = tree.push(-1, rankToId[r], top.count[r]);
  }
  if (maxLength < 2 || F < 2) return;

  // Vertical tid-lists by rank; horizontal baskets as ascending ranks (for pair counting).
  const nb = b.count;
  const { offsets, itemIds } = b;
  const tOff = new Uint32Array(F + 1);
  for (let r = 0; r < F; r++) tOff[r + 1] = tOff[r] + top.count[r];
  const tids = new Uint32Array(tOff[F]);
  // With few items, a triangular matrix of pair counts filled in one pass over the baskets
  // (streaming; cheap while the matrix is not much larger than the data); with many, per-item
  // counting over the kept ranked baskets (one counter per item, memory ~ the data).
  // When every frequent item is dense (all get bitmaps below) and the pairs of items need fewer
  // word operations than the pair occurrences in the baskets, a pair count is the popcount of
  // two bitmaps ANDed (Mushroom-like data).
  const words = (nb + 31) >>> 5;
  let usePop = false;
  if (usePairs && useBitmaps && top.count[0] * 64 >= nb) {
    let pairOcc = 0;
    for (let t = 0; t < nb; t++) {
      let m = 0;
      for (let p = offsets[t]; p < offsets[t + 1]; p++) if (rankOf[itemIds[p]] >= 0) m++;
      pairOcc += (m * (m - 1)) / 2;
    }
    usePop = ((F * (F - 1)) / 2) * words < pairOcc;
  }
  const useMatrix = usePairs && !usePop && F <= (tuning.matrixLimit ?? MATRIX_LIMIT) && (F * (F - 1)) / 2 <= 4 * tOff[F];
  const useRows = usePairs && !usePop && !useMatrix;
  const rowBase = new Float64Array(useMatrix ? F : 0);
  for (let a = 0; a < rowBase.length; a++) rowBase[a] = (a * (2 * F - a - 1)) / 2 - a - 1;
  const pairs = new Uint32Array(useMatrix ? (F * (F - 1)) / 2 : 0);
  const hOff = new Uint32Array(useRows ? nb + 1 : 1);
  let hRank = new Int32Array(useRows ? tOff[F] : 64);
  const pos = tOff.slice(0, F);
  let h = 0;
  for (let t = 0; t < nb; t++) {
    if (!useRows) {
      h = 0;
      if (offsets[t + 1] - offsets[t] > hRank.length) hRank = new Int32Array(offsets[t + 1] - offsets[t]);
    }
    const s = h;
    for (let p = offsets[t]; p < offsets[t + 1]; p++) {
      const r = rankOf[itemIds[p]];
      if (r < 0) continue;
      tids[pos[r]++] = t;
      if (useMatrix || useRows) {
        let q = h++;
        while (q > s && hRank[q - 1] > r) {
          hRank[q] = hRank[q - 1];
          q--;
        }
        hRank[q] = r;
      }
    }
    if (useRows) hOff[t + 1] = h;
    else if (useMatrix) {
      for (let i = 0; i < h - 1; i++) {
        const base = rowBase[hRank[i]];
        for (let j = i + 1; j < h; j++) pairs[base + hRank[j]]++;
      }
    }
  }
  top.tids = tids;
  top.startT = tOff.subarray(0, F);

  // Bitmaps for dense items (count >= baskets / 64: a bitmap is then at most twice the item's
  // tid-list, so memory stays proportional to item occurrences).
  const bmBase = new Int32Array(F).fill(-1);
  let dense = 0;
  for (let r = 0; r < F; r++) if (useBitmaps && top.count[r] * 64 >= nb) bmBase[r] = words * dense++;
  const bitmaps = new Uint32Array(words * dense);
  for (let r = 0; r < F; r++) {
    const base = bmBase[r];
    if (base < 0) continue;
    for (let p = tOff[r]; p < tOff[r + 1]; p++) bitmaps[base + (tids[p] >>> 5)] |= 1 << (tids[p] & 31);
  }

  const levels: Level[] = [top];
  const level = (d: number, m: number): Level => {
    if (levels.length <= d) levels.push(newLevel(m));
    const lv = levels[d];
    if (lv.item.length < m) {
      const k = Math.max(m, lv.item.length * 2);
      lv.item = new Int32Array(k);
      lv.node = new Int32Array(k);
      lv.count = new Uint32Array(k);
      lv.startT = new Uint32Array(k);
      lv.startD = new Uint32Array(k);
    }
    return lv;
  };
  const counter = new Uint32Array(usePairs ? F : 0);
  const touched = new Int32Array(useRows ? F : 0);

  /**
   * Process the class at depth d: m members, each its prefix (length L, count pc) plus one
   * item; lists in `diffs` (diffset mode) or `tids`.
   */
  // One function per kind of class member (so that each is optimised on its own feedback):
  // each extends member i of the class at depth d and returns the size of the child class it
  // built (lists in level d + 1), setting `childDiffOut` to the child class's mode.
  let childDiffOut = false;

  /** Depth 0 with pair counts: a's frequent pairs, then the child class's lists. */
  const extendTop = (a: number, ca: number, pNode: number, A: Uint32Array, as: number, al: number, needChild: boolean): number => {
    let cm = 0;
    // a's pair counts with every later rank (matrix row, popcounts, or counted over a's
    // baskets; then only the ranks met are visited, so many items cost no items^2 scan).
    let nTouched = -1;
    if (useMatrix) {
      const base = rowBase[a];
      for (let r = a + 1; r < F; r++) counter[r] = pairs[base + r];
    } else if (usePop) {
      const ba = bmBase[a];
      for (let r = a + 1; r < F; r++) counter[r] = popAnd(bitmaps, ba, bmBase[r], words);
    } else {
      for (let p = as; p < as + al; p++) {
        const t = tids[p];
        for (let q = hOff[t + 1] - 1; q >= hOff[t]; q--) {
          const r = hRank[q];
          if (r <= a) break;
          if (counter[r]++ === 0) touched[++nTouched] = r;
        }
      }
      nTouched++;
      if (nTouched > 1) touched.subarray(0, nTouched).sort();
    }
    const nxt = needChild ? level(1, F - a - 1) : null;
    let sumT = 0;
    const rEnd = nTouched >= 0 ? nTouched : F;
    for (let k = nTouched >= 0 ? 0 : a + 1; k < rEnd; k++) {
      const r = nTouched >= 0 ? touched[k] : k;
      const c = counter[r];
      if (c === 0) continue;
      counter[r] = 0;
      if (c < minCount) continue;
      const node = tree.push(pNode, rankToId[r], c);
      if (nxt) {
        nxt.item[cm] = r;
        nxt.node[cm] = node;
        nxt.count[cm] = c;
        sumT += c;
        cm++;
      }
    }
    if (!nxt || cm < 2) return cm;
    const childDiff = (childDiffOut = useDiff && cm * ca - sumT < sumT);
    const bmA = bmBase[a];
    let cursor = 0;
    for (let q = 0; q < cm; q++) {
      const r = nxt.item[q];
      const c = nxt.count[q];
      const size = childDiff ? ca - c : c;
      const bm = bmBase[r];
      if (bmA >= 0 && bm >= 0 && ca > words) {
        // Both bitmaps, and a's list is longer than a bitmap: extract the set bits of
        // a AND NOT b (diffset) or a AND b (tid-list) word by word.
        if (childDiff) {
          nxt.diffs = fit(nxt.diffs, cursor + size);
          nxt.startD[q] = cursor;
          bitsOut(bitmaps, bmA, bm, words, true, nxt.diffs, cursor);
        } else {
          nxt.tids = fit(nxt.tids, cursor + size);
          nxt.startT[q] = cursor;
          bitsOut(bitmaps, bmA, bm, words, false, nxt.tids, cursor);
        }
      } else if (childDiff) {
        nxt.diffs = fit(nxt.diffs, cursor + size);
        nxt.startD[q] = cursor;
        if (bm >= 0) scanDrop(A, as, al, bitmaps, bm, nxt.diffs, cursor);
        else mergeMinus(A, as, al, tids, tOff[r], top.count[r], nxt.diffs, cursor, size);
      } else {
        nxt.tids = fit(nxt.tids, cursor + size);
        nxt.startT[q] = cursor;
        if (bm >= 0) scanKeep(A, as, al, bitmaps, bm, nxt.tids, cursor, size);
        else mergeAnd(A, as, al, tids, tOff[r], top.count[r], nxt.tids, cursor);
      }
      cursor += size;
    }
    return cm;
  };

  /** Diffset class: d(P a b) = d(P b) − d(P a) = d(P b) ∩ baskets(a). */
  const extendDiff = (cur: Level, d: number, i: number, m: number, pc: number, a: number, ca: number, pNode: number, A: Uint32Array, as: number, al: number, needChild: boolean, limit: number): number => {
    const items = cur.item;
    const counts = cur.count;
    let cm = 0;
    // d(P a b) = d(P b) − d(P a) = d(P b) ∩ baskets(a).
    const bmA = bmBase[a];
    const nxt = needChild ? level(d + 1, m - i - 1) : null;
    let cursor = 0;
    for (let j = i + 1; j < m; j++) {
      const bs = cur.startD[j];
      const bl = pc - counts[j];
      let out: Uint32Array | null = null;
      if (nxt) out = nxt.diffs = fit(nxt.diffs, cursor + Math.min(bl, limit));
      const s = bmA >= 0 ? scanKeep(A, bs, bl, bitmaps, bmA, out, cursor, limit) : mergeMinus(A, bs, bl, A, as, al, out, cursor, limit);
      if (s < 0) continue;
      const c = ca - s;
      const node = tree.push(pNode, rankToId[items[j]], c);
      if (nxt) {
        nxt.item[cm] = items[j];
        nxt.node[cm] = node;
        nxt.count[cm] = c;
        nxt.startD[cm] = cursor;
        cursor += s;
        cm++;
      }
    }
    return cm;
  };

  /** Tid-list class with children. */
  const extendTid = (cur: Level, d: number, i: number, m: number, ca: number, pNode: number, A: Uint32Array, as: number, al: number, limit: number): number => {
    const items = cur.item;
    const counts = cur.count;
    let cm = 0;
    // Tid mode: P a b = P a ∩ b. When the class's diffsets would be smaller than these
    // tid-lists (dense data), convert them: d(P a b) = t(P a) − t(P b), one more scan.
    const nxt = level(d + 1, m - i - 1);
    let cT = 0;
    for (let j = i + 1; j < m; j++) {
      const r = items[j];
      nxt.tids = fit(nxt.tids, cT + al);
      const bm = bmBase[r];
      const c = bm >= 0 ? scanInter(A, as, al, bitmaps, bm, nxt.tids, cT, limit) : mergeInter(A, as, al, A, cur.startT[j], counts[j], nxt.tids, cT, limit);
      if (c < 0) continue;
      nxt.item[cm] = r;
      nxt.node[cm] = tree.push(pNode, rankToId[r], c);
      nxt.count[cm] = c;
      nxt.startT[cm] = cT;
      cT += c;
      cm++;
    }
    const cD = cm * ca - cT;
    childDiffOut = useDiff && cm >= 2 && cD < cT;
    if (childDiffOut) {
      nxt.diffs = fit(nxt.diffs, cD);
      let cursor = 0;
      for (let q = 0; q < cm; q++) {
        const bm = bmBase[nxt.item[q]];
        nxt.startD[q] = cursor;
        cursor += bm >= 0 ? scanDrop(A, as, al, bitmaps, bm, nxt.diffs, cursor) : mergeMinus(A, as, al, nxt.tids, nxt.startT[q], nxt.count[q], nxt.diffs, cursor, al);
      }
    }
    return cm;
  };

  /** Tid-list class at the last depth: counts only. */
  const countTid = (cur: Level, i: number, m: number, pNode: number, A: Uint32Array, as: number, al: number, limit: number): void => {
    const items = cur.item;
    const counts = cur.count;
    for (let j = i + 1; j < m; j++) {
      const r = items[j];
      const bm = bmBase[r];
      const c = bm >= 0 ? scanCount(A, as, al, bitmaps, bm, limit) : mergeCount(A, as, al, A, cur.startT[j], counts[j], limit);
      if (c >= 0) tree.push(pNode, rankToId[r], c);
    }
  };

  const processClass = (d: number, m: number, L: number, pc: number, diffMode: boolean): void => {
    const cur = levels[d];
    const items = cur.item;
    const nodes = cur.node;
    const counts = cur.count;
    const needChild = L + 3 <= maxLength;
    for (let i = 0; i < m - 1; i++) {
      const a = items[i];
      const ca = counts[i];
      const pNode = nodes[i];
      const limit = ca - minCount;
      const A = diffMode ? cur.diffs : cur.tids;
      const as = diffMode ? cur.startD[i] : cur.startT[i];
      const al = diffMode ? pc - ca : ca;
      let cm = 0;
      childDiffOut = false;
      if (d === 0 && usePairs) cm = extendTop(a, ca, pNode, A, as, al, needChild);
      else if (diffMode) {
        cm = extendDiff(cur, d, i, m, pc, a, ca, pNode, A, as, al, needChild, limit);
        childDiffOut = true;
      } else if (needChild) cm = extendTid(cur, d, i, m, ca, pNode, A, as, al, limit);
      else countTid(cur, i, m, pNode, A, as, al, limit);
      if (needChild && cm >= 2) processClass(d + 1, cm, L + 1, ca, childDiffOut);
    }
  };
  processClass(0, F, 0, nb, false);
}

/**
 * Flat form of a prefix tree: itemset `i` holds `ids[offsets[i] .. offsets[i + 1] - 1]`,
 * ascending. Each itemset is its parent's ids with one id inserted, so the cost is the total
 * length.
 * @internal
 */
export function flattenTree(parent: Int32Array, item: Uint32Array, length: Uint16Array, n: number): { offsets: Uint32Array; ids: Uint32Array } {
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + length[i];
  const ids = new Uint32Array(offsets[n]);
  for (let i = 0; i < n; i++) {
    const v = item[i];
    let w = offsets[i];
    const p = parent[i];
    if (p >= 0) {
      const pe = offsets[p + 1];
      let q = offsets[p];
      while (q < pe && ids[q] < v) ids[w++] = ids[q++];
      ids[w++] = v;
      while (q < pe) ids[w++] = ids[q++];
    } else ids[w] = v;
  }
  return { offsets, ids };
}
