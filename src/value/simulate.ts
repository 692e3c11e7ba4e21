/**
 * The per-customer Monte Carlo kernel: a pure function of the prepared model and a range of
 * customer blocks. Each customer has its own random stream (seeded from the call's key and the
 * customer's index), and the portfolio total of each draw is summed within fixed blocks of
 * {@link BLOCK} customers, in customer order; the caller then adds the block totals in block
 * order. So any split of the blocks across threads gives bit-identical numbers.
 * @module
 */
import { StreamRng, poissonCdfTable } from "./distributions.js";

/** Customers per block (the unit of work and of the portfolio partial sums). Fixed: changing it changes the last bits of portfolio totals. */
export const BLOCK = 256;

/** The per-customer model as plain typed arrays (structured-clone friendly for workers). @internal */
export interface PreparedCustomers {
  /** Customers. */
  n: number;
  /** Horizon in periods. */
  periods: number;
  /** Draws per customer. */
  draws: number;
  /** Key of the call (from `createRng(seed)`). */
  k0: number;
  k1: number;
  /** Margin rate applied to spend. */
  marginRate: number;
  /** P(alive in period t), row-major n x periods, non-increasing along t. */
  surv: Float64Array;
  /** Expected purchases per alive period. */
  lambda: Float64Array;
  /** exp(-min(lambda, 30)). */
  expNeg: Float64Array;
  /** Gamma shape of spend per purchase; 0 means a fixed spend per purchase. */
  shape: Float64Array;
  /** Gamma scale (spendMean / shape), unused when shape is 0. */
  scale: Float64Array;
  /** Mean spend per purchase. */
  spendMean: Float64Array;
  /** Discount factor of period t: (1 + d)^-(t+1) at index t. */
  disc: Float64Array;
}

/** Per-customer statistics stored by {@link simulateCustomerBlocks}: mean, sd, P5, P95. @internal */
export const STATS = 4;

/**
 * Simulate customer blocks [blockFrom, blockTo): per-customer stats (STATS numbers each, for
 * customers blockFrom*BLOCK .. min(n, blockTo*BLOCK)) and per-block portfolio totals
 * (`draws` numbers per block).
 * @internal
 */
export function simulateCustomerBlocks(p: PreparedCustomers, blockFrom: number, blockTo: number): { stats: Float64Array; totals: Float64Array } {
  const { n, periods: H, draws: D, k0, k1, marginRate, surv, lambda, expNeg, shape, scale, spendMean, disc } = p;
  const cFrom = blockFrom * BLOCK;
  const cTo = Math.min(n, blockTo * BLOCK);
  const stats = new Float64Array(Math.max(0, cTo - cFrom) * STATS);
  const totals = new Float64Array((blockTo - blockFrom) * D);
  const vals = new Float64Array(D);
  const rng = new StreamRng();
  const cdf = new Float64Array(128);
  const gdd = new Float64Array(GAMMA_TABLE);
  const gcc = new Float64Array(GAMMA_TABLE);
  for (let b = blockFrom; b < blockTo; b++) {
    const tot = (b - blockFrom) * D;
    const end = Math.min(n, (b + 1) * BLOCK);
    for (let c = b * BLOCK; c < end; c++) {
      rng.seed(k0, k1, c);
      const base = c * H;
      const lam = lambda[c];
      const en = expNeg[c];
      const sh = shape[c];
      const sc = scale[c];
      const mean = spendMean[c];
      // Purchases by inversion of a per-customer CDF table (one uniform) while the mean is
      // moderate; the product-of-uniforms method beyond.
      const K = lam <= POISSON_TABLE_MAX ? poissonCdfTable(lam, cdf) : 0;
      for (let i = K; i < 8; i++) cdf[i] = Infinity;
      // The first 8 CDF entries in locals: the count of entries below v is a branch-free sum.
      const c0 = cdf[0], c1 = cdf[1], c2 = cdf[2], c3 = cdf[3], c4 = cdf[4], c5 = cdf[5], c6 = cdf[6], c7 = cdf[7];
      // Marsaglia-Tsang constants of Gamma(k * shape) for small k (k * shape >= 1 only).
      for (let k = 1; k < GAMMA_TABLE; k++) {
        gdd[k] = k * sh - 1 / 3;
        gcc[k] = 1 / Math.sqrt(9 * gdd[k]);
      }
      let sum = 0;
      for (let d = 0; d < D; d++) {
        const u = rng.next();
        let pv = 0;
        if (lam > 0) {
          for (let t = 0; t < H && u < surv[base + t]; t++) {
            let k = 0;
            if (K > 0) {
              const v = rng.next();
              k = +(v > c0) + +(v > c1) + +(v > c2) + +(v > c3) + +(v > c4) + +(v > c5) + +(v > c6) + +(v > c7);
              if (k === 8) while (k < K - 1 && v > cdf[k]) k++;
              else if (k > K - 1) k = K - 1;
            } else {
              k = rng.poisson(lam, en);
            }
            if (k > 0) {
              let spend: number;
              if (sh === 0) spend = k * mean;
              else if (k < GAMMA_TABLE && k * sh >= 1) spend = rng.gammaMT(gdd[k], gcc[k]) * sc;
              else spend = rng.gamma(k * sh) * sc;
              pv += disc[t] * spend;
            }
          }
        }
        pv *= marginRate;
        vals[d] = pv;
        totals[tot + d] += pv;
        sum += pv;
      }
      const m = sum / D;
      let ss = 0;
      for (let d = 0; d < D; d++) {
        const e = vals[d] - m;
        ss += e * e;
      }
      const o = (c - cFrom) * STATS;
      stats[o] = m;
      stats[o + 1] = D > 1 ? Math.sqrt(ss / (D - 1)) : 0;
      quantilesInPlace(vals, D, QS, stats, o + 2);
    }
  }
  return { stats, totals };
}

const QS = [0.05, 0.95];

/** Purchases per period up to this count use precomputed gamma constants. */
const GAMMA_TABLE = 16;

/** Largest purchase rate handled by the CDF table (its 128 entries then reach 1 in double precision). */
const POISSON_TABLE_MAX = 40;

/**
 * R-7 (linear interpolation, the R and NumPy default) quantiles of a[0..n) for ascending
 * probabilities, by successive quickselects (O(n) each, no full sort). Reorders `a`.
 * @internal
 */
export function quantilesInPlace(a: Float64Array, n: number, ps: readonly number[], out: Float64Array | number[], offset = 0): void {
  let lo = 0;
  for (let q = 0; q < ps.length; q++) {
    const h = (n - 1) * ps[q];
    const j = Math.floor(h);
    select(a, lo, n - 1, j);
    lo = j;
    let v = a[j];
    const frac = h - j;
    if (frac > 0 && j + 1 < n) {
      let next = Infinity;
      for (let i = j + 1; i < n; i++) if (a[i] < next) next = a[i];
      v += frac * (next - v);
    }
    out[offset + q] = v;
  }
}

/**
 * Quickselect: afterwards a[k] is the k-th smallest of a[lo..hi], smaller-or-equal ones left,
 * larger-or-equal right. Branch-free Lomuto partition (random data makes partition branches
 * unpredictable), median-of-three pivot, and a second pass that gathers values equal to the
 * pivot, so runs of ties (e.g. many zero CLVs) stay linear.
 */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    // [lo, store) < pivot
    let store = lo;
    for (let i = lo; i <= hi; i++) {
      const v = a[i];
      a[i] = a[store];
      a[store] = v;
      store += +(v < pivot);
    }
    if (k < store) {
      hi = store - 1;
      continue;
    }
    // [store, eq) == pivot
    let eq = store;
    for (let i = store; i <= hi; i++) {
      const v = a[i];
      a[i] = a[eq];
      a[eq] = v;
      eq += +(v === pivot);
    }
    if (k < eq) return;
    lo = eq;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
