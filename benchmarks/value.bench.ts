/**
 * Customer value benchmark: the per-customer Monte Carlo CLV kernel, today's version against the
 * one it replaced, on a seeded heterogeneous population (12 periods, 1,000 draws per customer).
 *
 *   npm run bench -- value            # 20,000 customers per kernel run, then the public API on 100,000
 *   npm run bench -- value --small    # 5,000 customers per kernel run, public API on 20,000
 *
 * Baseline in the same run: the previous kernel ("one branch per period": for each draw, walk
 * every alive period, draw its Poisson purchase count, and a gamma spend when it is positive),
 * copied below verbatim with the generator it used, run on exactly the same prepared arrays.
 * The two kernels are run alternately, three times each, on one thread; the table reports the
 * run with the least CPU time (user + system) of each, because the machine is shared and wall
 * time includes waiting for a core. Customer-draws per CPU second on one thread is the
 * per-core throughput.
 */
import { cpus, loadavg } from "node:os";
import { createRng, monteCarloClv, monteCarloClvColumns, sampleBeta, sampleGamma, type CustomerBehaviour } from "../src/index.js";
import { BLOCK, STATS, simulateCustomerBlocks, type PreparedCustomers } from "../src/value/simulate.js";
import { streamKey } from "../src/numeric/stream.js";
import { peakRssMiB, printMachine, printMarkdownTable } from "./util.js";

const SMALL = process.argv.includes("--small");
const KERNEL_CUSTOMERS = SMALL ? 5_000 : 20_000;
const API_CUSTOMERS = SMALL ? 20_000 : 100_000;
const DRAWS = 1000;
const PERIODS = 12;
const DISCOUNT = 0.01;
const MARGIN = 0.3;
const REPEATS = 3;

/** Seeded population: purchases ~ Gamma(0.75, 1.1) per month (mean 0.83), spend ~ Gamma(4, 7.5) (mean 30), retention ~ Beta(9, 1.5), P(alive) ~ Beta(3, 1). */
function population(n: number, seed: number): CustomerBehaviour[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    customerId: `C${i}`,
    purchaseRate: sampleGamma(rng, 0.75, 1.1),
    spendMean: sampleGamma(rng, 4, 7.5),
    spendShape: 6,
    retention: sampleBeta(rng, 9, 1.5),
    alive: sampleBeta(rng, 3, 1),
  }));
}

/** The kernels' input for a list of customers (what `monteCarloClv` prepares), plus the old kernel's `expNeg`. */
function prepare(list: readonly CustomerBehaviour[], seed: number): TodayPrepared {
  const n = list.length;
  const surv = new Float64Array(n * PERIODS);
  list.forEach((c, i) => {
    let s = 1;
    for (let t = 0; t < PERIODS; t++) {
      surv[i * PERIODS + t] = (c.alive ?? 1) * s;
      s *= c.retention!;
    }
  });
  const [k0, k1] = streamKey(seed);
  return {
    n,
    periods: PERIODS,
    draws: DRAWS,
    k0,
    k1,
    marginRate: MARGIN,
    surv,
    lambda: Float64Array.from(list, (c) => c.purchaseRate),
    expNeg: Float64Array.from(list, (c) => Math.exp(-Math.min(c.purchaseRate, 30))),
    shape: Float64Array.from(list, (c) => c.spendShape!),
    scale: Float64Array.from(list, (c) => c.spendMean / c.spendShape!),
    spendMean: Float64Array.from(list, (c) => c.spendMean),
    disc: Float64Array.from({ length: PERIODS }, (_, t) => Math.pow(1 + DISCOUNT, -(t + 1))),
  };
}

function cpuSeconds(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1e6;
}

/** Run `fn` once: wall and CPU seconds (the whole process: worker threads included). */
function measure<T>(fn: () => T): { wall: number; cpu: number; result: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(process.cpuUsage(c0)), result };
}

async function measureAsync<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number; result: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(process.cpuUsage(c0)), result };
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(" / ");

async function main(): Promise<void> {
  await printMachine("Customer value: Monte Carlo CLV kernel (benchmarks/value.bench.ts)");
  const loadBefore = load();
  const all = population(API_CUSTOMERS, 2024);
  const sub = prepare(all.slice(0, KERNEL_CUSTOMERS), 1);
  const blocks = Math.ceil(sub.n / BLOCK);
  // warm both kernels up (JIT) on a few blocks
  simulateCustomerBlocks(sub, 0, 2);
  todayKernel(sub, 0, 2);
  let best: { ours: ReturnType<typeof measure<{ stats: Float64Array; totals: Float64Array }>> | null; today: ReturnType<typeof measure<{ stats: Float64Array; totals: Float64Array }>> | null } = { ours: null, today: null };
  for (let r = 0; r < REPEATS; r++) {
    const t = measure(() => todayKernel(sub, 0, blocks));
    if (!best.today || t.cpu < best.today.cpu) best.today = t;
    const o = measure(() => simulateCustomerBlocks(sub, 0, blocks));
    if (!best.ours || o.cpu < best.ours.cpu) best.ours = o;
  }
  const ours = best.ours!;
  const today = best.today!;
  // both estimate the same thing: compare the portfolio means (not the streams, which differ)
  const totalMean = (x: { totals: Float64Array }) => {
    let s = 0;
    for (const v of x.totals) s += v;
    return s / DRAWS;
  };
  let meanOfMeans = 0;
  for (let c = 0; c < sub.n; c++) meanOfMeans += ours.result.stats[c * STATS];
  const cd = sub.n * DRAWS;
  const oursRate = cd / ours.cpu;
  const todayRate = cd / today.cpu;
  const loadKernels = load();

  // the public API on the whole population: columns and records, 2 worker threads
  const columns = {
    purchaseRate: Float64Array.from(all, (c) => c.purchaseRate),
    spendMean: Float64Array.from(all, (c) => c.spendMean),
    spendShape: 6,
    alive: Float64Array.from(all, (c) => c.alive!),
    retention: Float64Array.from(all, (c) => c.retention!),
    periods: PERIODS,
    discountRate: DISCOUNT,
    marginRate: MARGIN,
  };
  const threads = Math.min(2, cpus().length);
  const col = await measureAsync(() => monteCarloClvColumns(columns, { draws: DRAWS, seed: 1, threads }));
  const rec = await measureAsync(() => monteCarloClv({ customers: all, discountRate: DISCOUNT, periods: PERIODS, marginRate: MARGIN }, { draws: DRAWS, seed: 1, threads }));
  for (let i = 0; i < all.length; i += 997) {
    if (rec.result.customers[i].mean !== col.result.mean[i] || rec.result.customers[i].p50 !== col.result.p50[i]) throw new Error(`columns and records differ at customer ${i}`);
  }
  const loadAfter = load();

  console.log(`kernel runs: ${sub.n.toLocaleString("en-US")} customers x ${DRAWS} draws x ${PERIODS} periods, one thread, best CPU of ${REPEATS} alternating runs each`);
  console.log(`portfolio mean of the subset: ours ${totalMean(ours.result).toFixed(0)} (sum of customer means ${meanOfMeans.toFixed(0)}), today's kernel ${totalMean(today.result).toFixed(0)}`);
  console.log(`load average (1 / 5 / 15 min): before ${loadBefore}, after the kernels ${loadKernels}, at the end ${loadAfter}; peak RSS ${peakRssMiB().toFixed(0)} MiB\n`);
  printMarkdownTable(
    ["kernel (1 thread)", "customers", "wall s", "CPU s", "customer-draws / CPU s", "ratio"],
    [
      ["ours: purchase-period chain (simulateCustomerBlocks)", sub.n, ours.wall, ours.cpu, oursRate, `${(oursRate / todayRate).toFixed(2)}x`],
      ["today's kernel: one branch per period (copy in this file)", sub.n, today.wall, today.cpu, todayRate, "1x"],
    ],
  );
  console.log("");
  printMarkdownTable(
    ["public API, whole population", "customers", "threads", "wall s", "CPU s (all threads)", "customer-draws / CPU s"],
    [
      ["monteCarloClvColumns (typed arrays in and out)", all.length, col.result.threads, col.wall, col.cpu, (all.length * DRAWS) / col.cpu],
      ["monteCarloClv (records in and out)", all.length, rec.result.threads, rec.wall, rec.cpu, (all.length * DRAWS) / rec.cpu],
    ],
  );
}


// ---------------------------------------------------------------------------------------------
// Baseline: the kernel this one replaced, verbatim (src/value/simulate.ts and the generator
// from src/value/distributions.ts at commit 2ce0486), renamed so it cannot be confused with
// the library's. Do not "improve" it: it is the reference the table compares against.

/** The old kernel's input: the new one's plus `expNeg`. */
interface TodayPrepared extends PreparedCustomers {
  /** exp(-min(lambda, 30)). */
  expNeg: Float64Array;
}

const TODAY_BLOCK = 256;
const TODAY_STATS = 4;

const ZIG_R = 3.442619855899;
class TodayRng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Re-seed this generator for stream `stream` of the call whose key is (k0, k1). */
  seed(k0: number, k1: number, stream: number): void {
    this.a = mix32(k0 ^ Math.imul(stream, 0x9e3779b9));
    this.b = mix32(k1 + stream);
    this.c = mix32(this.a ^ 0x85ebca6b ^ k1);
    this.d = mix32(stream ^ 0xc2b2ae35) | 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in (0, 1), never exactly 0 or 1 (32-bit resolution). */
  next(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = ((c << 21) | (c >>> 11)) + t | 0;
    return ((t >>> 0) + 0.5) * 2.3283064365386963e-10;
  }

  /** Signed 32-bit integer output (the raw sfc32 word). */
  nextInt(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = ((c << 21) | (c >>> 11)) + t | 0;
    return t;
  }

  /**
   * Standard normal by the ziggurat method (Marsaglia & Tsang 2000, 128 layers). The layer
   * index takes the low 7 bits of a word and the value its high 25 bits, so the two are
   * independent (the correlation Doornik 2005 pointed out in the original does not arise).
   */
  normal(): number {
    for (;;) {
      const w = this.nextInt();
      const iz = w & 127;
      const hz = w >> 7; // signed 25-bit
      if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
      const x = hz * ZIG_W[iz];
      if (iz === 0) {
        // tail beyond R
        let xx: number, yy: number;
        do {
          xx = -Math.log(this.next()) / ZIG_R;
          yy = -Math.log(this.next());
        } while (yy + yy < xx * xx);
        return hz > 0 ? ZIG_R + xx : -ZIG_R - xx;
      }
      if (ZIG_F[iz] + this.next() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
    }
  }

  /** Gamma(shape, 1) for shape >= 1 given the Marsaglia-Tsang constants dd = shape - 1/3, cc = 1 / sqrt(9 dd). */
  gammaMT(dd: number, cc: number): number {
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return dd * v;
      if (Math.log(u) < 0.5 * x2 + dd * (1 - v + Math.log(v))) return dd * v;
    }
  }

  /** Gamma(shape, 1) (Marsaglia & Tsang 2000, boost for shape < 1). */
  gamma(shape: number): number {
    let boost = 1;
    if (shape < 1) {
      boost = Math.pow(this.next(), 1 / shape);
      shape += 1;
    }
    const dd = shape - 1 / 3;
    return this.gammaMT(dd, 1 / Math.sqrt(9 * dd)) * boost;
  }

  /** Poisson(lambda) given expNeg = exp(-min(lambda, 30)); large means are split in chunks of 30. */
  poisson(lambda: number, expNeg: number): number {
    let total = 0;
    let rest = lambda;
    while (rest > 30) {
      total += this.poissonSmall(EXP_NEG_30);
      rest -= 30;
    }
    return total + this.poissonSmall(rest === lambda ? expNeg : Math.exp(-rest));
  }

  private poissonSmall(limit: number): number {
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

const EXP_NEG_30 = Math.exp(-30);

/** Ziggurat tables for the standard normal, 128 layers, values scaled for 25-bit signed integers. */
const ZIG_K = new Float64Array(128);
const ZIG_W = new Float64Array(128);
const ZIG_F = new Float64Array(128);
(() => {
  const m = 16777216; // 2^24
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m;
  ZIG_W[127] = dn / m;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m;
  }
})();

function poissonCdfTable(lambda: number, cdf: Float64Array): number {
  let pmf = Math.exp(-lambda);
  let acc = pmf;
  cdf[0] = acc;
  let k = 1;
  for (; k < cdf.length; k++) {
    pmf *= lambda / k;
    const next = acc + pmf;
    if (next === acc && k > lambda) break;
    acc = next;
    cdf[k] = acc;
  }
  return k;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) | 0;
}

function todayKernel(p: TodayPrepared, blockFrom: number, blockTo: number): { stats: Float64Array; totals: Float64Array } {
  const { n, periods: H, draws: D, k0, k1, marginRate, surv, lambda, expNeg, shape, scale, spendMean, disc } = p;
  const cFrom = blockFrom * TODAY_BLOCK;
  const cTo = Math.min(n, blockTo * TODAY_BLOCK);
  const stats = new Float64Array(Math.max(0, cTo - cFrom) * TODAY_STATS);
  const totals = new Float64Array((blockTo - blockFrom) * D);
  const vals = new Float64Array(D);
  const rng = new TodayRng();
  const cdf = new Float64Array(128);
  const gdd = new Float64Array(GAMMA_TABLE);
  const gcc = new Float64Array(GAMMA_TABLE);
  for (let b = blockFrom; b < blockTo; b++) {
    const tot = (b - blockFrom) * D;
    const end = Math.min(n, (b + 1) * TODAY_BLOCK);
    for (let c = b * TODAY_BLOCK; c < end; c++) {
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
      const o = (c - cFrom) * TODAY_STATS;
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
 *
 */
function quantilesInPlace(a: Float64Array, n: number, ps: readonly number[], out: Float64Array | number[], offset = 0): void {
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

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
