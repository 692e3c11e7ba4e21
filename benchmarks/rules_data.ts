/**
 * Seeded generators of the two shapes of basket data that stress itemset mining, for
 * benchmarks/rules.bench.ts (the real Mushroom and retail.dat files are not in ../shared/data):
 *
 * - `mushroomLike`: dense attribute data shaped like UCI Mushroom (8,124 baskets, one value of
 *   each of 23 attributes per basket, 119 items with Mushroom's value counts per attribute),
 *   values driven by a latent class so that long itemsets are frequent;
 * - `retailLike`: sparse market baskets shaped like retail.dat (88,162 baskets of about 10 items
 *   from 16,470 items with Zipf popularity, two "carrier bag" items in about half the baskets,
 *   and a few hundred bundles bought together), so that thousands of items are frequent at
 *   support 0.0002.
 *
 * Both return baskets as arrays of item numbers and can be written in FIMI format (one basket
 * per line, items separated by spaces) for R arules and for `readBaskets(path, { format: "fimi" })`.
 */
import { createRng, type Rng } from "../src/core/random.js";

/** Number of values of each Mushroom attribute (class first), 119 in total. */
const MUSHROOM_VALUES = [2, 6, 4, 10, 2, 9, 2, 2, 2, 12, 2, 5, 4, 4, 9, 9, 1, 4, 3, 5, 9, 6, 7];

/** Index drawn from cumulative weights `cdf` (last entry 1). */
function draw(rng: Rng, cdf: Float64Array): number {
  const u = rng.next();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Cumulative weights w_i = (i + 1)^-s, normalised. */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += (i + 1) ** -s;
  for (let i = 0; i < n; i++) cdf[i] /= acc;
  cdf[n - 1] = 1;
  return cdf;
}

/** Dense Mushroom-shaped baskets (see the module comment). */
export function mushroomLike(seed: number, baskets = 8124): number[][] {
  const rng = createRng(seed);
  const K = 10;
  const base: number[] = [];
  let b = 1;
  for (const v of MUSHROOM_VALUES) {
    base.push(b);
    b += v;
  }
  const global = MUSHROOM_VALUES.map((v) => zipfCdf(v, 1.5));
  // Each latent class: a weight, a preferred value and a purity per attribute.
  const wcdf = zipfCdf(K, 0.7);
  const mode = Array.from({ length: K }, () => global.map((c) => draw(rng, c)));
  const purity = Array.from({ length: K }, () => MUSHROOM_VALUES.map(() => 0.55 + 0.45 * rng.next()));
  const out: number[][] = [];
  for (let t = 0; t < baskets; t++) {
    const z = draw(rng, wcdf);
    const basket: number[] = [];
    for (let a = 0; a < MUSHROOM_VALUES.length; a++) {
      const v = rng.next() < purity[z][a] ? mode[z][a] : draw(rng, global[a]);
      basket.push(base[a] + v);
    }
    out.push(basket);
  }
  return out;
}

/** Sparse retail.dat-shaped baskets (see the module comment). */
export function retailLike(seed: number, baskets = 88162, items = 16470): number[][] {
  const rng = createRng(seed);
  const pop = zipfCdf(items, 0.8);
  // Item ids shuffled so that popularity is not the id order.
  const perm = Array.from({ length: items }, (_, i) => i);
  for (let i = items - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const bundles = Array.from({ length: 400 }, () => Array.from({ length: 2 + Math.floor(rng.next() * 4) }, () => perm[draw(rng, pop)]));
  const out: number[][] = [];
  for (let t = 0; t < baskets; t++) {
    const set = new Set<number>();
    if (rng.next() < 0.5) set.add(perm[0]);
    if (rng.next() < 0.45) set.add(perm[1]);
    // Basket size: geometric with mean about 9 (a long tail, as in retail.dat).
    const size = 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - 1 / 9));
    while (set.size < size) set.add(perm[draw(rng, pop)]);
    if (rng.next() < 0.08) for (const x of bundles[Math.floor(rng.next() * bundles.length)]) if (rng.next() < 0.8) set.add(x);
    out.push([...set]);
  }
  return out;
}

/** FIMI text: one basket per line, items separated by single spaces. */
export function toFimi(lists: readonly (readonly number[])[]): string {
  return lists.map((l) => l.join(" ")).join("\n") + "\n";
}
