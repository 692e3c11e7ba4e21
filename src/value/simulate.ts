/**
 * The per-customer Monte Carlo kernel: a pure function of the prepared model and a range of
 * customer blocks. Each customer has its own random stream (seeded from the call's key and the
 * customer's index), and the portfolio total of each draw is summed within fixed blocks of
 * {@link BLOCK} customers, in customer order; the caller then adds the block totals in block
 * order. So any split of the blocks across threads gives bit-identical numbers.
 *
 * How a draw is simulated (the "purchase-period chain", `docs/value.md`): instead of visiting
 * every period and asking "alive? any purchase?", the kernel jumps from one period with a
 * purchase to the next. With q = 1 - e^-lambda the chance of a purchase in a period and s_t the
 * survival curve, the first purchase period is j with probability (1 - q)^j q s_j, and after a
 * purchase in period t the next one is j > t with probability (1 - q)^(j-t-1) q s_j / s_t; the
 * rest of each row is "no more purchases". Each row is sampled in O(1) with an alias table (one
 * 32-bit word: low bits pick the cell, high bits the coin). In a purchase period the count is
 * zero-truncated Poisson (an alias table for 1..7, the CDF beyond) and the spend
 * Gamma(k * shape, scale) (Marsaglia-Tsang with a ziggurat normal). The generator (sfc32) runs
 * in local variables.
 * @module
 */
import { quantilesInPlace, quickselect } from "../numeric/quantile.js";

/** The in-place R-7 quantiles live in `src/numeric/quantile.ts`; re-exported for the value tests. @internal */
export { quantilesInPlace };
import { poissonSampler } from "../numeric/random.js";
import { StreamRng, ZIG_F, ZIG_K, ZIG_R, ZIG_W } from "../numeric/stream.js";

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
  /** Gamma shape of spend per purchase; 0 means a fixed spend per purchase. */
  shape: Float64Array;
  /** Gamma scale (spendMean / shape), unused when shape is 0. */
  scale: Float64Array;
  /** Mean spend per purchase. */
  spendMean: Float64Array;
  /** Discount factor of period t: (1 + d)^-(t+1) at index t. */
  disc: Float64Array;
}

/** Per-customer statistics stored by {@link simulateCustomerBlocks}: mean, sd, P5, P50, P95. @internal */
export const STATS = 5;

/** The percentiles stored after mean and sd. */
const QS = [0.05, 0.5, 0.95];

/** Purchases per period up to this count use precomputed gamma constants. */
const GAMMA_TABLE = 16;

/** Largest purchase rate handled by the count table (its entries then reach 1 in double precision). */
const POISSON_TABLE_MAX = 40;

/** Entries of the zero-truncated Poisson table. */
const ZTP_TABLE = 128;

const TWO32 = 4294967296;
const INV32 = 2.3283064365386963e-10;
const ZIG_TAIL = ZIG_R;

/**
 * Simulate customer blocks [blockFrom, blockTo): per-customer stats (STATS numbers each, for
 * customers blockFrom*BLOCK .. min(n, blockTo*BLOCK)) and per-block portfolio totals
 * (`draws` numbers per block).
 * @internal
 */
export function simulateCustomerBlocks(p: PreparedCustomers, blockFrom: number, blockTo: number): { stats: Float64Array; totals: Float64Array } {
  const { n, periods: H, draws: D, k0, k1, marginRate, surv, lambda, shape, scale, spendMean } = p;
  const cFrom = blockFrom * BLOCK;
  const cTo = Math.min(n, blockTo * BLOCK);
  const stats = new Float64Array(Math.max(0, cTo - cFrom) * STATS);
  const totals = new Float64Array((blockTo - blockFrom) * D);
  const k = new Kernel(p);
  const { zpow, ztp, gtab, vals, scratch } = k;
  const w = scratch.w;
  for (let b = blockFrom; b < blockTo; b++) {
    const tot = (b - blockFrom) * D;
    const end = Math.min(n, (b + 1) * BLOCK);
    for (let c = b * BLOCK; c < end; c++) {
      const o = (c - cFrom) * STATS;
      const lam = lambda[c];
      const mean = spendMean[c];
      const base = c * H;
      // Never a purchase while alive, or nothing to earn: every draw is 0 (stats stay 0).
      if (!(lam > 0) || !(mean > 0) || marginRate === 0 || !(surv[base] > 0)) continue;
      const sh = shape[c];
      // The chain rows: row r follows a purchase in period r - 1 (row 0: the start). Outcome
      // i < H - r is period r + i, weight (1 - q)^i q s_(r+i) / s_(r-1); the rest is "none".
      const q = -Math.expm1(-lam);
      const e1 = Math.exp(-lam);
      zpow[0] = 1;
      for (let i = 1; i <= H; i++) zpow[i] = zpow[i - 1] * e1;
      for (let r = 0; r <= H; r++) {
        const sPrev = r === 0 ? 1 : surv[base + r - 1];
        w.fill(0);
        let sum = 0;
        let pNone = 1;
        if (sPrev > 0) {
          const f = q / sPrev;
          for (let j = r; j < H; j++) {
            const pj = zpow[j - r] * surv[base + j] * f;
            pNone -= pj;
            const x = Math.floor(pj * TWO32);
            w[j - r] = x;
            sum += x;
          }
        }
        sum = settleRemainder(w, H - r, sum, pNone);
        buildAliasRow(scratch, k.P, H - r, sum, r, H, k.chainThr, k.chainOut, r * k.P * 2);
      }
      // Purchases in a purchase period: zero-truncated Poisson, counts 1..7 by an alias table,
      // 8 or more (rare unless the rate is high) by the CDF; K = 0: mean too large for tables.
      let K = 0;
      if (lam <= POISSON_TABLE_MAX) {
        K = ztpTable(lam, ztp);
        w.fill(0);
        let sum = 0;
        let pmf = lam / Math.expm1(lam);
        for (let i = 0; i < 7; i++) {
          const x = Math.floor(pmf * TWO32);
          w[i] = x;
          sum += x;
          pmf *= lam / (i + 2);
        }
        // P(K >= 8 | K >= 1), summed from its own terms (exactly 0 when the table ends before 8)
        let tail = 0;
        if (K >= 8) {
          for (let j = 8; pmf > 0; j++) {
            tail += pmf;
            pmf *= lam / (j + 1);
            if (j > lam && pmf < tail * 1e-17) break;
          }
        }
        sum = settleRemainder(w, 7, sum, tail);
        buildAliasRow(scratch, 8, 7, sum, 1, 8, k.countThr, k.countOut, 0);
      }
      // Marsaglia-Tsang constants of Gamma(k * shape) for small k (used when k * shape >= 1).
      for (let i = 1; i < GAMMA_TABLE; i++) {
        const a = i * sh;
        const dd = (a < 1 ? a + 1 : a) - 1 / 3;
        gtab[2 * i] = dd;
        gtab[2 * i + 1] = 1 / Math.sqrt(9 * dd);
      }
      k.rng.seed(k0, k1, c);
      const nz = drawCustomer(k, lam, K, sh, scale[c], mean, totals, tot);
      const m = k.sum / D;
      let ss = 0;
      for (let i = 0; i < nz; i++) {
        const e = vals[i] - m;
        ss += e * e;
      }
      ss += (D - nz) * m * m;
      stats[o] = m;
      stats[o + 1] = D > 1 ? Math.sqrt(ss / (D - 1)) : 0;
      quantilesWithZeros(vals, nz, D - nz, QS, stats, o + 2);
    }
  }
  return { stats, totals };
}

/** Events (purchase periods) buffered between the two phases of {@link drawCustomer}. */
const EVENTS = 4096;

/** Per-call work arrays and constants of the kernel (one per call: nothing is shared between calls). */
class Kernel {
  readonly H: number;
  readonly D: number;
  readonly marginRate: number;
  readonly disc: Float64Array;
  /** Alias cells per chain row (a power of two > periods) and its log2. */
  readonly P: number;
  readonly shift: number;
  /** Chain alias tables, (periods + 1) rows of P cells: coin threshold per cell; own and alias outcome per cell (pairs). */
  readonly chainThr: Int32Array;
  readonly chainOut: Int32Array;
  /** Purchase-count alias table (8 cells, outcomes 1..8, 8 = "8 or more"). */
  readonly countThr = new Int32Array(8);
  readonly countOut = new Int32Array(16);
  readonly scratch: AliasScratch;
  /** e^(-lambda i), i = 0..periods. */
  readonly zpow: Float64Array;
  /** Zero-truncated Poisson CDF P(K <= k | K >= 1) at index k - 1. */
  readonly ztp = new Float64Array(ZTP_TABLE);
  /** Marsaglia-Tsang d and c of Gamma(k * shape), interleaved by k. */
  readonly gtab = new Float64Array(2 * GAMMA_TABLE);
  /** Ziggurat bound, width and edge density, 4 numbers per layer (one array: fewer pointers live in the loop). */
  readonly zig = new Float64Array(512);
  /** Buffered events: draw and period of each purchase period. */
  readonly evD = new Int32Array(EVENTS);
  readonly evT = new Int32Array(EVENTS);
  /** 1 for draws without a purchase. */
  readonly zero: Int32Array;
  /** One customer's draw values (the non-zero ones first when the margin is positive). */
  readonly vals: Float64Array;
  readonly rng = new StreamRng();
  /** Sum of the last customer's draws (set by {@link drawCustomer}). */
  sum = 0;

  constructor(p: PreparedCustomers) {
    this.H = p.periods;
    this.D = p.draws;
    this.marginRate = p.marginRate;
    this.disc = p.disc;
    let shift = 1;
    while (1 << shift < p.periods + 1) shift++;
    this.shift = shift;
    this.P = 1 << shift;
    const cells = (p.periods + 1) * this.P;
    this.chainThr = new Int32Array(cells);
    this.chainOut = new Int32Array(2 * cells);
    const size = Math.max(this.P, 8);
    this.scratch = { w: new Float64Array(size), small: new Int32Array(size), large: new Int32Array(size) };
    this.zpow = new Float64Array(p.periods + 1);
    this.zero = new Int32Array(p.draws);
    this.vals = new Float64Array(p.draws);
    for (let i = 0; i < 128; i++) {
      this.zig[4 * i] = ZIG_K[i];
      this.zig[4 * i + 1] = ZIG_W[i];
      this.zig[4 * i + 2] = ZIG_F[i];
    }
  }
}

/**
 * The draws of one customer whose tables are in `k` and whose stream is seeded in `k.rng`:
 * adds each draw's value to `totals[tot + d]`, leaves the values in `k.vals` (with a positive
 * margin only the non-zero ones, at the front), their sum in `k.sum`, and returns how many
 * values it left.
 *
 * Written for the JIT, as two tight loops over chunks of events: phase 1 walks the
 * purchase-period chain of draw after draw, one step per iteration, and buffers one event
 * (draw, period) per purchase period; phase 2 draws each event's purchase count and gamma
 * spend. The generator runs in the locals ra..rd, there are no calls inside the loops (so the
 * JIT keeps the arrays in registers), and phase 1 has no data-dependent branch at all: the
 * alias coin, "was that the last purchase period of this draw?" and "did this draw buy at
 * all?" are integer arithmetic (a mispredicted branch costs about as much as a whole event).
 * The chunk boundaries depend only on the customer's own stream, so the numbers do not depend
 * on threads.
 */
function drawCustomer(k: Kernel, lam: number, K: number, sh: number, sc: number, mean: number, totals: Float64Array, tot: number): number {
  const { H, D, marginRate, vals, zero, evD, evT, chainThr, chainOut, P, shift, rng } = k;
  const st = rng.state;
  const mask = P - 1;
  vals.fill(0, 0, D);
  zero.fill(1, 0, D);
  let d = 0;
  let t = -1; // last purchase period of draw d so far (-1: none yet)
  while (d < D) {
    // phase 1: chain steps until the buffer is full or every draw is done
    let ra = st[0], rb = st[1], rc = st[2], rd = st[3];
    let w = 0;
    let ne = 0;
    while (d < D && ne < EVENTS) {
      w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
      // row t + 1 of the chain: alias cell from the low bits, coin from the high bits
      const cell = (t + 1) * P + (w & mask);
      const m = ((w >>> shift) - chainThr[cell]) >> 31;
      const next = chainOut[2 * cell + 1] ^ ((chainOut[2 * cell] ^ chainOut[2 * cell + 1]) & m);
      const done = (H - 1 - next) >>> 31; // 1: no more purchases in draw d
      evD[ne] = d;
      evT[ne] = next;
      ne += 1 - done;
      zero[d] &= done;
      d += done;
      t = next | -done; // -1 after a finished draw
    }
    st[0] = ra; st[1] = rb; st[2] = rc; st[3] = rd;
    // phase 2: purchase count and spend of each event
    spendEvents(k, ne, lam, K, sh, sc, mean);
  }
  // values: margin, portfolio totals, sum; with a positive margin the zeros are only counted
  const keep = marginRate > 0 ? 0 : 1;
  let sum = 0;
  let nz = 0;
  for (let i = 0; i < D; i++) {
    const pv = vals[i] * marginRate;
    totals[tot + i] += pv; // zero draws add nothing (x + 0 === x)
    sum += pv;
    vals[nz] = pv; // nz <= i: in place
    nz += 1 - (zero[i] & (1 - keep));
  }
  k.sum = sum;
  return nz;
}

/**
 * Phase 2 of {@link drawCustomer}: for each buffered event, the purchase count (zero-truncated
 * Poisson: an alias table for 1..7, the CDF beyond; the shared `poissonSampler` (PTRS, O(1))
 * when the mean is beyond the tables) and the spend, Gamma(count * shape) by Marsaglia-Tsang (shape < 1:
 * Gamma(a + 1) U^(1/a)) with the ziggurat normal, every path inlined (no calls in the loop);
 * adds the discounted spend to the event's draw.
 */
function spendEvents(k: Kernel, ne: number, lam: number, K: number, sh: number, sc: number, mean: number): void {
  const { disc, vals, evD, evT, countThr, countOut, ztp, gtab, zig, rng } = k;
  const st = rng.state;
  let ra = st[0], rb = st[1], rc = st[2], rd = st[3];
  let w = 0;
  // A draw's events are consecutive: its value accumulates in `acc` and is stored (never
  // re-read) after each event; a draw cut by the chunk boundary resumes from its stored value.
  const poisson = K > 0 ? null : poissonSampler(lam);
  let cur = ne > 0 ? evD[0] : 0;
  let acc = ne > 0 ? vals[cur] : 0;
  for (let e = 0; e < ne; e++) {
    // purchases: zero-truncated Poisson
    let kk: number;
    if (K > 0) {
      w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
      const ci = w & 7;
      const m = ((w >>> 3) - countThr[ci]) >> 31;
      kk = countOut[2 * ci + 1] ^ ((countOut[2 * ci] ^ countOut[2 * ci + 1]) & m);
      if (kk === 8) {
        // 8 or more: invert the CDF given K >= 8 with a fresh uniform
        w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
        const v = ztp[6] + ((w >>> 0) + 0.5) * INV32 * (1 - ztp[6]);
        while (kk < K && v > ztp[kk - 1]) kk++;
      }
    } else {
      // mean beyond the table (> 40): the shared sampler's PTRS, O(1) per draw whatever the
      // mean (products of uniforms cost O(mean): a rate of 1e9 never finished), drawing from
      // this customer's stream (its state handed over and back). Rejection, so repeat until >= 1.
      st[0] = ra; st[1] = rb; st[2] = rc; st[3] = rd;
      do kk = poisson!(rng);
      while (kk === 0);
      ra = st[0]; rb = st[1]; rc = st[2]; rd = st[3];
    }
    // their spend
    let spend: number;
    if (sh === 0) spend = kk * mean;
    else {
      let a = kk * sh;
      let boost = 1;
      if (a < 1) {
        w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
        boost = Math.pow(((w >>> 0) + 0.5) * INV32, 1 / a);
        a += 1;
      }
      let dd: number, cc: number;
      if (kk < GAMMA_TABLE) {
        dd = gtab[2 * kk];
        cc = gtab[2 * kk + 1];
      } else {
        dd = a - 1 / 3;
        cc = 1 / Math.sqrt(9 * dd);
      }
      let g: number;
      for (;;) {
        // standard normal x: ziggurat
        let x: number;
        for (;;) {
          w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
          const iz = 4 * (w & 127);
          const hz = w >> 7; // signed 25-bit
          x = hz * zig[iz + 1];
          if (Math.abs(hz) < zig[iz]) break;
          if (iz === 0) {
            // tail beyond R
            let xx: number, yy: number;
            do {
              w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
              xx = -Math.log(((w >>> 0) + 0.5) * INV32) / ZIG_TAIL;
              w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
              yy = -Math.log(((w >>> 0) + 0.5) * INV32);
            } while (yy + yy < xx * xx);
            x = hz > 0 ? ZIG_TAIL + xx : -ZIG_TAIL - xx;
            break;
          }
          // wedge
          w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
          if (zig[iz + 2] + ((w >>> 0) + 0.5) * INV32 * (zig[iz - 2] - zig[iz + 2]) < Math.exp(-0.5 * x * x)) break;
        }
        let v = 1 + cc * x;
        if (v <= 0) continue;
        v = v * v * v;
        w = (((ra + rb) | 0) + rd) | 0; rd = (rd + 1) | 0; ra = rb ^ (rb >>> 9); rb = (rc + (rc << 3)) | 0; rc = (((rc << 21) | (rc >>> 11)) + w) | 0;
        const u = ((w >>> 0) + 0.5) * INV32;
        const x2 = x * x;
        if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + dd * (1 - v + Math.log(v))) {
          g = dd * v;
          break;
        }
      }
      spend = g * boost * sc;
    }
    const de = evD[e];
    const diff = de ^ cur;
    const same = 1 - ((diff | -diff) >>> 31); // 1 while still in draw `cur`
    acc = acc * same + disc[evT[e]] * spend;
    vals[de] = acc;
    cur = de;
  }
  st[0] = ra; st[1] = rb; st[2] = rc; st[3] = rd;
}

/** Work arrays of {@link buildAliasRow}: `w` holds the integer weights of the outcomes. */
interface AliasScratch {
  w: Float64Array;
  small: Int32Array;
  large: Int32Array;
}

/**
 * Integer weights of an alias row: `w[0..m)` hold floor(p_i 2^32) (sum `sum`) and the last
 * outcome has probability `pLast`. Gives the last outcome floor(pLast 2^32) and the rounding
 * remainder (at most m + 1 units of 2^-32) to the most likely of the first m outcomes, so every
 * outcome's probability is within m + 1 units of 2^-32 of its own and no outcome gets mass it
 * does not have. Returns the new sum of `w[0..m)`.
 */
function settleRemainder(w: Float64Array, m: number, sum: number, pLast: number): number {
  if (m === 0 || sum >= TWO32) return sum; // nothing to settle (buildAliasRow trims an overshoot)
  const last = Math.min(TWO32 - sum, Math.max(0, Math.floor(pLast * TWO32)));
  const rest = TWO32 - sum - last;
  if (rest === 0) return sum;
  let big = 0;
  for (let i = 1; i < m; i++) if (w[i] > w[big]) big = i;
  w[big] += rest;
  return sum + rest;
}

/**
 * Walker's alias table (Vose's construction) in exact integer arithmetic, P cells: outcome
 * i < m is `first + i` with weight `s.w[i]` (whole numbers summing to `sum` <= 2^32), outcome m
 * is `none` with weight 2^32 - sum, cells above m weigh 0. Cell i is taken when the coin (the
 * word's high 32 - log2 P bits) is below `thr[i]`, else its alias; so outcome i has probability
 * exactly weight / 2^32 (32-bit resolution, like inverting a CDF with a 32-bit uniform). Full
 * cells get threshold 0 and themselves as alias, so every threshold fits an Int32Array.
 * Writes `thr[off/2 + i]`, `out[off + 2i]` (own) and `out[off + 2i + 1]` (alias).
 */
function buildAliasRow(s: AliasScratch, P: number, m: number, sum: number, first: number, none: number, thr: Int32Array, out: Int32Array, off: number): void {
  const { w, small, large } = s;
  const cap = TWO32 / P;
  if (sum > TWO32) {
    // rounding pushed the total past 1: take the excess from the largest weight
    let big = 0;
    for (let i = 1; i < m; i++) if (w[i] > w[big]) big = i;
    w[big] -= sum - TWO32;
    sum = TWO32;
  }
  w[m] = TWO32 - sum;
  const t0 = off / 2;
  let ns = 0, nl = 0;
  for (let i = 0; i < P; i++) {
    const own = i < m ? first + i : none;
    out[off + 2 * i] = own;
    out[off + 2 * i + 1] = own;
    thr[t0 + i] = 0;
    if (w[i] < cap) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const sI = small[--ns];
    const lI = large[nl - 1];
    thr[t0 + sI] = w[sI];
    out[off + 2 * sI + 1] = out[off + 2 * lI];
    w[lI] -= cap - w[sI];
    if (w[lI] < cap) {
      nl--;
      small[ns++] = lI;
    }
  }
  // Cells left over hold exactly `cap` (integer arithmetic): threshold 0, alias = own.
}

/**
 * Fill `out` with the zero-truncated Poisson CDF P(K <= k | K >= 1) at index k - 1, until it
 * reaches 1 in double precision or the table is full; returns the entries used (the largest
 * count the table can return).
 */
function ztpTable(lambda: number, out: Float64Array): number {
  let pmf = lambda / Math.expm1(lambda); // P(K = 1 | K >= 1)
  let acc = pmf;
  out[0] = acc;
  let k = 1;
  for (; k < out.length; k++) {
    pmf *= lambda / (k + 1);
    const next = acc + pmf;
    if (next === acc && k + 1 > lambda) break;
    acc = next;
    out[k] = acc;
  }
  return k;
}

/**
 * R-7 quantiles (as {@link quantilesInPlace}) of a sample made of `zeros` zeros and the values
 * a[0..m), which are all of one sign: positive when there are zeros to skip (with `zeros` = 0
 * any values work). Reorders `a`.
 * @internal
 */
export function quantilesWithZeros(a: Float64Array, m: number, zeros: number, ps: readonly number[], out: Float64Array | number[], offset = 0): void {
  if (zeros === 0) {
    quantilesInPlace(a, m, ps, out, offset);
    return;
  }
  const n = m + zeros;
  let lo = 0;
  for (let q = 0; q < ps.length; q++) {
    const h = (n - 1) * ps[q];
    const j = Math.floor(h);
    const frac = h - j;
    let v: number;
    if (j + 1 < zeros || (j + 1 === zeros && frac === 0)) v = 0;
    else if (j + 1 === zeros) {
      // between the last zero and the smallest value
      let next = Infinity;
      for (let i = 0; i < m; i++) if (a[i] < next) next = a[i];
      v = frac * next;
    } else {
      const r = j - zeros;
      v = quickselect(a, r, lo, m - 1);
      lo = r;
      if (frac > 0 && r + 1 < m) {
        let next = Infinity;
        for (let i = r + 1; i < m; i++) if (a[i] < next) next = a[i];
        v += frac * (next - v);
      }
    }
    out[offset + q] = v;
  }
}
