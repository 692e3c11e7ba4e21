import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { createRng, type Seed } from "../core/random.js";
import { makeInputSampler, streamKey, type InputDistribution, type InputSampler } from "./distributions.js";
import { BLOCK, STATS, quantilesInPlace, simulateCustomerBlocks, type PreparedCustomers } from "./simulate.js";

/**
 * Scenario model of {@link monteCarloClv}: one typical customer whose inputs are uncertain.
 * Every input is a fixed number or an {@link InputDistribution}.
 *
 * Profit per retained period = `margin * purchaseRate * spend`: give `margin` alone as profit
 * per period (currency), or as a margin rate together with `purchaseRate` (purchases per
 * period) and `spend` (per purchase).
 * @category Monte Carlo
 */
export interface ScenarioClvModel {
  /** Profit per period (currency), or a margin rate when `purchaseRate`/`spend` are given. Required. */
  margin: number | InputDistribution;
  /** Purchases per period. Default 1. */
  purchaseRate?: number | InputDistribution;
  /** Spend per purchase. Default 1. */
  spend?: number | InputDistribution;
  /** Probability of surviving from one period to the next, draws in [0, 1). Required. */
  retention: number | InputDistribution;
  /** Discount rate per period, draws >= 0. Required. */
  discountRate: number | InputDistribution;
  /** Acquisition cost paid at time 0. Default 0. */
  acquisitionCost?: number | InputDistribution;
  /** Horizon in periods (draws rounded to a whole number >= 1), or `"infinite"`. Default `"infinite"`. */
  horizon?: number | "infinite" | InputDistribution;
}

/**
 * One customer's behaviour for the per-customer simulation (e.g. from fitted models).
 * Give either `retention` (constant) or `survival` (a curve).
 * @category Monte Carlo
 */
export interface CustomerBehaviour {
  /** Customer id (any string). */
  readonly customerId: string;
  /** Expected purchases per period while alive (Poisson), >= 0. */
  readonly purchaseRate: number;
  /** Mean spend per purchase, >= 0. */
  readonly spendMean: number;
  /** Gamma shape of spend per purchase (coefficient of variation 1/sqrt(shape)); `Infinity` for a fixed spend. Default: the model's `spendShape`. */
  readonly spendShape?: number;
  /** Constant retention r: P(alive in period t) = alive * r^(t-1). In [0, 1]. */
  readonly retention?: number;
  /** P(alive in period t) for t = 1..periods (index t-1), non-increasing in [0, 1]; overrides `retention`. */
  readonly survival?: ArrayLike<number>;
  /** Probability the customer is alive now (e.g. P(alive) of BG/NBD), multiplies the survival. Default 1. */
  readonly alive?: number;
}

/**
 * Per-customer model of {@link monteCarloClv}.
 * @category Monte Carlo
 */
export interface CustomerClvModel {
  /** The customers. */
  customers: readonly CustomerBehaviour[];
  /** Horizon in whole periods. Default 12. */
  periods?: number;
  /** Discount rate per period, >= 0. Required. */
  discountRate: number;
  /** Profit margin as a share of spend. Default 1 (CLV in revenue). */
  marginRate?: number;
  /** Default gamma shape of spend per purchase. Default `Infinity` (fixed spend per purchase). */
  spendShape?: number;
}

/**
 * Options of {@link monteCarloClv} and {@link monteCarloClvSync}.
 * @category Monte Carlo
 */
export interface MonteCarloClvOptions {
  /** Simulated paths (scenario mode) or paths per customer (per-customer mode). Default 10,000 (scenario), 1,000 (per customer). */
  draws?: number;
  /** Seed of the generator. Default 42. */
  seed?: Seed;
  /** Scenario mode: `"simulated"` draws each path's lifetime (geometric, retained in period 1); `"expected"` uses the closed-form expected value given the drawn inputs (parameter uncertainty only). Default `"simulated"`. */
  lifetime?: "simulated" | "expected";
  /** Histogram bins of the CLV distribution. Default 20. */
  bins?: number;
  /** Per-customer mode only: worker threads, or `"auto"` (all cores when the work exceeds 1e8 customer-draw-periods, e.g. 10,000 customers x 1,000 draws x 10 periods, and `node:worker_threads` is available). `monteCarloClvSync` ignores it. Default `"auto"`. */
  threads?: number | "auto";
}

/**
 * A simulated CLV distribution.
 * @category Monte Carlo
 */
export interface ClvDistribution {
  /** Number of simulated values. */
  draws: number;
  /** Mean. */
  mean: number;
  /** Sample standard deviation (n - 1). */
  sd: number;
  /** Standard error of the mean, sd / sqrt(draws). */
  standardError: number;
  /** Smallest value. */
  min: number;
  /** 5th percentile (R-7 interpolation, as all the percentiles here). */
  p5: number;
  /** 25th percentile. */
  p25: number;
  /** Median. */
  p50: number;
  /** 75th percentile. */
  p75: number;
  /** 95th percentile. */
  p95: number;
  /** Largest value. */
  max: number;
  /** Share of draws with CLV < 0. */
  probabilityOfLoss: number;
  /** Equal-width histogram from min to max (the last bin includes max). */
  histogram: {
    /** Lower edge of the bin (inclusive). */
    lower: number;
    /** Upper edge (exclusive, except for the last bin). */
    upper: number;
    /** Draws in the bin. */
    count: number;
  }[];
}

/**
 * Sensitivity of the CLV to one uncertain input.
 * @category Monte Carlo
 */
export interface InputSensitivity {
  /** Input name (`margin`, `retention`, ...). */
  input: string;
  /** Spearman rank correlation between the input's draws and the CLV draws. */
  rankCorrelation: number;
}

/**
 * Result of the scenario mode.
 * @category Monte Carlo
 */
export interface ScenarioClvResult {
  /** Which mode produced the result. */
  mode: "scenario";
  /** The CLV distribution. */
  clv: ClvDistribution;
  /** Uncertain inputs ranked by |rank correlation| with CLV, largest first (fixed inputs omitted). */
  sensitivity: InputSensitivity[];
}

/**
 * One customer's simulated CLV.
 * @category Monte Carlo
 */
export interface CustomerClv {
  /** Customer id. */
  customerId: string;
  /** Closed-form expected CLV (margin * purchaseRate * spendMean * sum_t P(alive in t) (1+d)^-t). */
  expected: number;
  /** Mean of the simulated CLVs. */
  mean: number;
  /** Standard deviation of the simulated CLVs. */
  sd: number;
  /** 5th percentile (lower end of the 90% interval). */
  p5: number;
  /** Median of the simulated CLVs. */
  p50: number;
  /** 95th percentile (upper end of the 90% interval). */
  p95: number;
}

/**
 * Result of the per-customer mode.
 * @category Monte Carlo
 */
export interface CustomerClvResult {
  /** Which mode produced the result. */
  mode: "customers";
  /** Per-customer results, in input order. */
  customers: CustomerClv[];
  /** Distribution of the portfolio total (sum over customers within each draw). */
  portfolio: ClvDistribution;
  /** Closed-form expected portfolio total. */
  expectedTotal: number;
  /** Worker threads used (1 = this thread). */
  threads: number;
}

const MC_DEFAULTS = Object.freeze({ seed: 42 as Seed, lifetime: "simulated" as "simulated" | "expected", bins: 20, threads: "auto" as number | "auto" });

/** Work (customers x draws x periods) above which `threads: "auto"` uses workers. Measured break-even on 2 cores: about 6e7 from dist (worker start-up and a cold JIT cost ~0.4 s). */
const AUTO_PARALLEL_WORK = 1e8;

/**
 * Monte Carlo customer lifetime value, single-threaded and synchronous. Same inputs, options and
 * results as {@link monteCarloClv} (which may use worker threads and gives identical numbers).
 *
 * @remarks See {@link monteCarloClv}.
 * @param model - a {@link ScenarioClvModel} or a {@link CustomerClvModel} (has `customers`).
 * @param options - see {@link MonteCarloClvOptions}.
 * @returns a {@link ScenarioClvResult} or a {@link CustomerClvResult}.
 * @throws {@link InvalidOptionError} for a bad input, distribution or option, or a draw out of range.
 * @throws {@link InvalidRecordError} for a bad customer (row = customer id).
 * @example
 * ```ts
 * const r = monteCarloClvSync({ margin: 1000, retention: 0.8, discountRate: 0.05 }, { draws: 100_000, seed: 1 });
 * Math.abs(r.clv.mean - 4000) < 4 * r.clv.standardError;
 * //=> true
 * ```
 * @category Monte Carlo
 */
export function monteCarloClvSync(model: ScenarioClvModel, options?: MonteCarloClvOptions): ScenarioClvResult;
export function monteCarloClvSync(model: CustomerClvModel, options?: MonteCarloClvOptions): CustomerClvResult;
export function monteCarloClvSync(model: ScenarioClvModel | CustomerClvModel, options: MonteCarloClvOptions = {}): ScenarioClvResult | CustomerClvResult {
  const fn = "monteCarloClvSync";
  if (model !== null && typeof model === "object" && "customers" in model) {
    const prep = prepareCustomers(model, options, fn);
    if (prep.kind === "empty") return emptyCustomerResult();
    const nBlocks = Math.ceil(prep.p.n / BLOCK);
    const { stats, totals } = simulateCustomerBlocks(prep.p, 0, nBlocks);
    return finishCustomers(prep, stats, totals, nBlocks, 1);
  }
  return scenario(model as ScenarioClvModel, options, fn);
}

/**
 * Monte Carlo customer lifetime value: the CLV distribution of a scenario with uncertain
 * inputs, or of every customer and of the whole portfolio.
 *
 * @remarks
 * Cash-flow convention (both modes, as {@link bergerNasrClv} with `timing: "end"`): a customer
 * alive in period t pays at the end of period t, discounted by (1 + d)^-t; retained in period 1,
 * surviving into each later period with probability r. With fixed inputs the mean converges to
 * m / (1 + d - r) (e.g. 4,000 for m = 1,000, r = 0.8, d = 0.05).
 *
 * **Scenario mode** (`model` without `customers`): each draw samples every uncertain input once
 * (in the order margin, purchaseRate, spend, retention, discountRate, acquisitionCost, horizon),
 * then, with `lifetime: "simulated"`, the number of paid periods L = 1 + floor(log U / log r)
 * capped at the horizon (exactly geometric), and CLV = profit * sum_{t=1..L} (1+d)^-t - cost;
 * with `lifetime: "expected"` the closed form given the drawn inputs. Reports the distribution
 * and a sensitivity ranking (Spearman rank correlation of each uncertain input with CLV).
 *
 * **Per-customer mode** (`model.customers`): for each customer and draw, one uniform U decides
 * the alive periods (alive in t iff U < P(alive in t), so paths follow the survival curve
 * exactly); in each alive period purchases ~ Poisson(purchaseRate) and their total spend ~
 * Gamma(k * shape, spendMean / shape) (a sum of k gamma spends), discounted. Each customer
 * has its own random stream (from the seed and the customer's index) and portfolio totals are
 * summed per draw in fixed blocks of customers, so worker threads give bit-identical results.
 * The portfolio interval comes from the per-draw totals (not a sum of intervals).
 *
 * Source: literature review 000, "客户终生价值的蒙特卡罗分析" (Monte Carlo analysis of CLV).
 * Complexity: scenario O(draws log draws); per customer O(customers x draws x alive periods).
 *
 * @param model - a {@link ScenarioClvModel} or a {@link CustomerClvModel} (has `customers`).
 * @param options - see {@link MonteCarloClvOptions}.
 * @returns a promise of a {@link ScenarioClvResult} or a {@link CustomerClvResult}.
 * @throws {@link InvalidOptionError} for a bad input, distribution or option, or a draw out of range.
 * @throws {@link InvalidRecordError} for a bad customer (row = customer id).
 * @example
 * ```ts
 * const r = await monteCarloClv({ margin: 1000, retention: { dist: "beta", alpha: 80, beta: 20 }, discountRate: 0.05 }, { seed: 7 });
 * r.sensitivity[0].input;
 * //=> "retention"
 * ```
 * @category Monte Carlo
 */
export async function monteCarloClv(model: ScenarioClvModel, options?: MonteCarloClvOptions): Promise<ScenarioClvResult>;
export async function monteCarloClv(model: CustomerClvModel, options?: MonteCarloClvOptions): Promise<CustomerClvResult>;
export async function monteCarloClv(model: ScenarioClvModel | CustomerClvModel, options: MonteCarloClvOptions = {}): Promise<ScenarioClvResult | CustomerClvResult> {
  const fn = "monteCarloClv";
  if (model !== null && typeof model === "object" && "customers" in model) {
    const prep = prepareCustomers(model, options, fn);
    if (prep.kind === "empty") return emptyCustomerResult();
    const threads = options.threads ?? MC_DEFAULTS.threads;
    if (threads !== "auto" && !(Number.isInteger(threads) && threads >= 1)) throw new InvalidOptionError(fn, "threads", threads, 'a whole number >= 1 or "auto"');
    const nBlocks = Math.ceil(prep.p.n / BLOCK);
    const work = prep.p.n * prep.p.draws * prep.p.periods;
    let want = threads === "auto" ? (work >= AUTO_PARALLEL_WORK ? 0 : 1) : threads;
    want = want === 0 ? Infinity : Math.min(want, nBlocks); // 0 = one worker per core (capped by runBlocksInWorkers)
    if (want !== 1) {
      const { runBlocksInWorkers } = await import("./parallel.js");
      const res = await runBlocksInWorkers(prep.p, nBlocks, want);
      if (res) return finishCustomers(prep, res.stats, res.totals, nBlocks, res.threads);
    }
    const { stats, totals } = simulateCustomerBlocks(prep.p, 0, nBlocks);
    return finishCustomers(prep, stats, totals, nBlocks, 1);
  }
  return scenario(model as ScenarioClvModel, options, fn);
}

// ---------------------------------------------------------------------------------------------
// Scenario mode

const INPUT_ORDER = ["margin", "purchaseRate", "spend", "retention", "discountRate", "acquisitionCost", "horizon"] as const;

function scenario(model: ScenarioClvModel, options: MonteCarloClvOptions, fn: string): ScenarioClvResult {
  if (model === null || typeof model !== "object") throw new InvalidOptionError(fn, "model", model, "a scenario model { margin, retention, discountRate, ... } or { customers, ... }");
  const o = { ...MC_DEFAULTS, draws: 10_000, ...defined(options) };
  checkCommon(o, fn);
  if (o.lifetime !== "simulated" && o.lifetime !== "expected") throw new InvalidOptionError(fn, "lifetime", o.lifetime, '"simulated" or "expected"');
  for (const req of ["margin", "retention", "discountRate"] as const) {
    if (model[req] === undefined) throw new InvalidOptionError(fn, req, undefined, "a number or a distribution (required)");
  }
  const infinite = model.horizon === undefined || model.horizon === "infinite";
  const defaults: Record<string, number | InputDistribution> = { purchaseRate: 1, spend: 1, acquisitionCost: 0, horizon: 1 };
  const samplers: InputSampler[] = INPUT_ORDER.map((name) => {
    const v = name === "horizon" && infinite ? 1 : ((model as unknown as Record<string, number | InputDistribution | undefined>)[name] ?? defaults[name]);
    return makeInputSampler(v as number | InputDistribution, fn, name);
  });
  const D = o.draws;
  const rng = createRng(o.seed);
  const drawn = INPUT_ORDER.map((_, i) => (samplers[i].fixed ? null : new Float64Array(D)));
  const clv = new Float64Array(D);
  const x = new Float64Array(INPUT_ORDER.length);
  for (let d = 0; d < D; d++) {
    for (let i = 0; i < INPUT_ORDER.length; i++) {
      const v = samplers[i].draw(rng);
      x[i] = v;
      const arr = drawn[i];
      if (arr) arr[d] = v;
    }
    const [margin, rate, spend, r, disc, cost, hRaw] = x;
    if (!(r >= 0 && r < 1)) throw new InvalidOptionError(fn, "retention", r, `draws in [0, 1) (draw ${d + 1}); use a beta or truncatedNormal distribution`);
    if (!(disc >= 0)) throw new InvalidOptionError(fn, "discountRate", disc, `draws >= 0 (draw ${d + 1}); use a distribution bounded below by 0`);
    const h = infinite ? Infinity : Math.max(1, Math.round(hRaw));
    const profit = margin * rate * spend;
    let factor: number;
    if (o.lifetime === "simulated") {
      const u = rng.next();
      let L = r === 0 ? 1 : 1 + Math.floor(Math.log(u > 0 ? u : Number.MIN_VALUE) / Math.log(r));
      if (L > h) L = h;
      factor = annuity(L, disc);
    } else {
      const q = r / (1 + disc);
      const qn = Number.isFinite(h) ? Math.pow(q, h) : 0;
      factor = (1 - qn) / (1 - q) / (1 + disc);
    }
    clv[d] = profit * factor - cost;
  }
  const sensitivity: InputSensitivity[] = [];
  const clvRanks = ranks(clv);
  INPUT_ORDER.forEach((name, i) => {
    const arr = drawn[i];
    if (arr) sensitivity.push({ input: name, rankCorrelation: pearson(ranks(arr), clvRanks) });
  });
  sensitivity.sort((a, b) => Math.abs(b.rankCorrelation) - Math.abs(a.rankCorrelation));
  return { mode: "scenario", clv: describeDraws(clv, o.bins), sensitivity };
}

/** sum_{t=1..L} (1+d)^-t, stable for small d. */
function annuity(L: number, d: number): number {
  if (d === 0) return L;
  if (!Number.isFinite(L)) return 1 / d;
  return -Math.expm1(-L * Math.log1p(d)) / d;
}

// ---------------------------------------------------------------------------------------------
// Per-customer mode

interface PreparedRun {
  kind: "ready";
  p: PreparedCustomers;
  ids: string[];
  expected: Float64Array;
  bins: number;
}

function prepareCustomers(model: CustomerClvModel, options: MonteCarloClvOptions, fn: string): PreparedRun | { kind: "empty" } {
  const o = { ...MC_DEFAULTS, draws: 1000, ...defined(options) };
  checkCommon(o, fn);
  const list = model.customers;
  if (!Array.isArray(list)) throw new InvalidOptionError(fn, "customers", list, "an array of customer behaviours");
  const H = model.periods ?? 12;
  if (!Number.isInteger(H) || H < 1) throw new InvalidOptionError(fn, "periods", H, "a whole number >= 1");
  const dr = model.discountRate;
  if (typeof dr !== "number" || !(dr >= 0) || !Number.isFinite(dr)) throw new InvalidOptionError(fn, "discountRate", dr, "a finite number >= 0");
  const marginRate = model.marginRate ?? 1;
  if (typeof marginRate !== "number" || !Number.isFinite(marginRate)) throw new InvalidOptionError(fn, "marginRate", marginRate, "a finite number");
  const defShape = model.spendShape ?? Infinity;
  if (typeof defShape !== "number" || !(defShape > 0)) throw new InvalidOptionError(fn, "spendShape", defShape, "a number > 0 or Infinity");
  const n = list.length;
  if (n === 0) return { kind: "empty" };
  const surv = new Float64Array(n * H);
  const lambda = new Float64Array(n);
  const shape = new Float64Array(n);
  const scale = new Float64Array(n);
  const spendMean = new Float64Array(n);
  const disc = new Float64Array(H);
  for (let t = 0; t < H; t++) disc[t] = Math.pow(1 + dr, -(t + 1));
  const ids: string[] = new Array(n);
  const expected = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const b = list[c];
    if (b === null || typeof b !== "object") throw new InvalidRecordError(fn, { row: c + 1, field: "*", value: b, expected: "a customer behaviour object" });
    const id = b.customerId;
    if (typeof id !== "string") throw new InvalidRecordError(fn, { row: c + 1, field: "customerId", value: id, expected: "a string" });
    ids[c] = id;
    const bad = (field: string, value: unknown, expectedText: string): never => {
      throw new InvalidRecordError(fn, { row: id, field, value, expected: expectedText });
    };
    const lam = b.purchaseRate;
    if (typeof lam !== "number" || !(lam >= 0) || !Number.isFinite(lam)) bad("purchaseRate", lam, "a finite number >= 0");
    const sm = b.spendMean;
    if (typeof sm !== "number" || !(sm >= 0) || !Number.isFinite(sm)) bad("spendMean", sm, "a finite number >= 0");
    const sh = b.spendShape ?? defShape;
    if (typeof sh !== "number" || !(sh > 0)) bad("spendShape", sh, "a number > 0 or Infinity");
    const alive = b.alive ?? 1;
    if (typeof alive !== "number" || !(alive >= 0 && alive <= 1)) bad("alive", alive, "a probability in [0, 1]");
    lambda[c] = lam;
    spendMean[c] = sm;
    shape[c] = Number.isFinite(sh) ? sh : 0;
    scale[c] = Number.isFinite(sh) ? sm / sh : 0;
    const base = c * H;
    let pvAlive = 0;
    if (b.survival !== undefined) {
      const s = b.survival;
      if (!s || typeof s.length !== "number" || s.length < H) bad("survival", s, `an array of at least ${H} probabilities (periods)`);
      let prev = 1;
      for (let t = 0; t < H; t++) {
        const v = s[t];
        if (typeof v !== "number" || !(v >= 0 && v <= prev)) bad("survival", v, `P(alive in period ${t + 1}) in [0, ${prev}] (non-increasing)`);
        prev = v;
        surv[base + t] = alive * v;
      }
    } else {
      const r = b.retention;
      if (typeof r !== "number" || !(r >= 0 && r <= 1)) bad("retention", r, "a number in [0, 1] (or give `survival`)");
      let s = alive;
      for (let t = 0; t < H; t++) {
        surv[base + t] = s;
        s *= r as number;
      }
    }
    for (let t = 0; t < H; t++) pvAlive += surv[base + t] * disc[t];
    expected[c] = marginRate * lam * sm * pvAlive;
  }
  const [k0, k1] = streamKey(o.seed);
  return { kind: "ready", ids, expected, bins: o.bins, p: { n, periods: H, draws: o.draws, k0, k1, marginRate, surv, lambda, shape, scale, spendMean, disc } };
}

function finishCustomers(prep: PreparedRun, stats: Float64Array, blockTotals: Float64Array, nBlocks: number, threads: number): CustomerClvResult {
  const { n, draws: D } = prep.p;
  const total = new Float64Array(D);
  for (let b = 0; b < nBlocks; b++) for (let d = 0; d < D; d++) total[d] += blockTotals[b * D + d];
  const customers: CustomerClv[] = new Array(n);
  let expectedTotal = 0;
  for (let c = 0; c < n; c++) {
    const o = c * STATS;
    customers[c] = { customerId: prep.ids[c], expected: prep.expected[c], mean: stats[o], sd: stats[o + 1], p5: stats[o + 2], p50: stats[o + 3], p95: stats[o + 4] };
    expectedTotal += prep.expected[c];
  }
  return { mode: "customers", customers, portfolio: describeDraws(total, prep.bins), expectedTotal, threads };
}

function emptyCustomerResult(): CustomerClvResult {
  return { mode: "customers", customers: [], portfolio: describeDraws(new Float64Array(0), 0), expectedTotal: 0, threads: 1 };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function checkCommon(o: { draws: number; bins: number; seed: Seed }, fn: string): void {
  if (!Number.isInteger(o.draws) || o.draws < 2) throw new InvalidOptionError(fn, "draws", o.draws, "a whole number >= 2");
  if (!Number.isInteger(o.bins) || o.bins < 1) throw new InvalidOptionError(fn, "bins", o.bins, "a whole number >= 1");
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
}

/**
 * Summary of simulated values: moments, R-7 percentiles, probability of loss, histogram.
 * @internal
 */
export function describeDraws(values: Float64Array, bins: number): ClvDistribution {
  const n = values.length;
  if (n === 0) return { draws: 0, mean: 0, sd: 0, standardError: 0, min: 0, p5: 0, p25: 0, p50: 0, p75: 0, p95: 0, max: 0, probabilityOfLoss: 0, histogram: [] };
  // Neumaier-compensated sum for the mean.
  let s = 0, comp = 0, min = Infinity, max = -Infinity, loss = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const t = s + v;
    comp += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < 0) loss++;
  }
  const mean = (s + comp) / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const q = [0, 0, 0, 0, 0];
  quantilesInPlace(Float64Array.from(values), n, [0.05, 0.25, 0.5, 0.75, 0.95], q);
  const histogram: { lower: number; upper: number; count: number }[] = [];
  const width = (max - min) / bins;
  for (let b = 0; b < bins; b++) histogram.push({ lower: min + b * width, upper: b === bins - 1 ? max : min + (b + 1) * width, count: 0 });
  for (let i = 0; i < n && bins > 0; i++) {
    const b = width > 0 ? Math.min(bins - 1, Math.floor((values[i] - min) / width)) : 0;
    histogram[b].count++;
  }
  return { draws: n, mean, sd, standardError: sd / Math.sqrt(n), min, p5: q[0], p25: q[1], p50: q[2], p75: q[3], p95: q[4], max, probabilityOfLoss: loss / n, histogram };
}

/** Average ranks (ties share their mean rank), 1-based. */
function ranks(x: Float64Array): Float64Array {
  const n = x.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]] === x[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

function defined<T extends object>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

