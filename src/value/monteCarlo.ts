import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { createRng, type Seed } from "../core/random.js";
import { withDefaults } from "../core/options.js";
import { overflowError } from "./overflow.js";
import { futureValueSettings, type FutureValueSettings } from "./settings.js";
import { makeInputSampler, type InputDistribution, type InputSampler } from "./distributions.js";
import { rank, pearson } from "../numeric/rank.js";
import { streamKey } from "../numeric/stream.js";
import { fsum } from "../numeric/sum.js";
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
  /** Length of a period in days; only states the settings of the result (horizon in days and months, annual discount rate). Default 30. */
  periodDays?: number;
  /** Discount rate per period, >= 0. Required. */
  discountRate: number;
  /** Profit margin as a share of spend. Default 1 (CLV in revenue). */
  marginRate?: number;
  /** Default gamma shape of spend per purchase. Default `Infinity` (fixed spend per purchase). */
  spendShape?: number;
}

/**
 * Per-customer model of {@link monteCarloClvColumns}: the same inputs as {@link CustomerClvModel},
 * one typed array (or any array-like of numbers) per field, row i = customer i. A number instead
 * of a column applies to every customer.
 *
 * Give `retention` or `survival`. With `survival` the curves of all customers are one row-major
 * column of `customers x periods` numbers (customer i's P(alive in period t) at i * periods + t - 1).
 * @category Monte Carlo
 */
export interface CustomerClvColumns {
  /** Expected purchases per period while alive, >= 0. Required; its length is the number of customers. */
  purchaseRate: ArrayLike<number>;
  /** Mean spend per purchase, >= 0. Required. */
  spendMean: ArrayLike<number>;
  /** Gamma shape of spend per purchase (`Infinity`: fixed spend). Default `Infinity`. */
  spendShape?: number | ArrayLike<number>;
  /** P(alive now), e.g. BG/NBD P(alive), in [0, 1]; multiplies the survival. Default 1. */
  alive?: number | ArrayLike<number>;
  /** Constant retention r: P(alive in period t) = alive * r^(t-1), in [0, 1]. Required unless `survival` is given. */
  retention?: number | ArrayLike<number>;
  /** Survival curves, customers x periods, row-major, each non-increasing in [0, 1]; overrides `retention`. */
  survival?: ArrayLike<number>;
  /** Horizon in whole periods. Default 12. */
  periods?: number;
  /** Length of a period in days; only states the settings of the result (horizon in days and months, annual discount rate). Default 30. */
  periodDays?: number;
  /** Discount rate per period, >= 0. Required. */
  discountRate: number;
  /** Profit margin as a share of spend. Default 1 (CLV in revenue). */
  marginRate?: number;
}

/**
 * Result of {@link monteCarloClvColumns}: one `Float64Array` per statistic, row i = customer i.
 * @category Monte Carlo
 */
export interface CustomerClvColumnsResult {
  /** Which mode produced the result. */
  mode: "columns";
  /** The settings of these future values: horizon, margin, discount rate per period and per year. */
  settings: FutureValueSettings;
  /** Closed-form expected CLV per customer, a future value over the horizon (margin * purchaseRate * spendMean * sum_t P(alive in t) (1+d)^-t). */
  expected: Float64Array;
  /** Mean of the simulated CLVs per customer. */
  mean: Float64Array;
  /** Standard deviation of the simulated CLVs per customer. */
  sd: Float64Array;
  /** 5th percentile per customer. */
  p5: Float64Array;
  /** Median per customer. */
  p50: Float64Array;
  /** 95th percentile per customer. */
  p95: Float64Array;
  /** Distribution of the portfolio's future value over the horizon (sum over customers within each draw). */
  portfolio: ClvDistribution;
  /** Closed-form expected portfolio total (future value over the horizon). */
  expectedTotal: number;
  /** Worker threads used (1 = this thread). */
  threads: number;
}

/**
 * Options of {@link monteCarloClv} and {@link monteCarloClvSync}.
 * @category Monte Carlo
 */
export interface MonteCarloClvOptions {
  /**
   * Simulated paths (scenario mode) or paths per customer (per-customer mode). Default 10,000
   * (scenario), 1,000 (per customer); at least 2, at most 1,000,000 (`InvalidOptionError`
   * above). Per-customer mode also needs ceil(customers / 256) x draws <= 62,500,000 (the
   * portfolio partial sums, 500 MB), else `AnalyticsError` `BUDGET_EXCEEDED` before any work.
   */
  draws?: number;
  /** Seed of the generator. Default 42. */
  seed?: Seed;
  /** Scenario mode: `"simulated"` draws each path's lifetime (geometric, retained in period 1); `"expected"` uses the closed-form expected value given the drawn inputs (parameter uncertainty only). Default `"simulated"`. */
  lifetime?: "simulated" | "expected";
  /** Histogram bins of the CLV distribution. Default 20, at most 10,000. */
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
  /** Closed-form expected CLV, a future value over the horizon (margin * purchaseRate * spendMean * sum_t P(alive in t) (1+d)^-t). */
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
  /** The settings of these future values: horizon, margin, discount rate per period and per year. */
  settings: FutureValueSettings;
  /** Per-customer results, in input order. */
  customers: CustomerClv[];
  /** Distribution of the portfolio's future value over the horizon (sum over customers within each draw). */
  portfolio: ClvDistribution;
  /** Closed-form expected portfolio total (future value over the horizon). */
  expectedTotal: number;
  /** Worker threads used (1 = this thread). */
  threads: number;
}

const MC_DEFAULTS = Object.freeze({ seed: 42 as Seed, lifetime: "simulated" as "simulated" | "expected", bins: 20, threads: "auto" as number | "auto" });

/** Largest `draws` accepted (memory is about 100 bytes per draw in scenario mode). */
const MAX_DRAWS = 1_000_000;
/** Largest `bins` accepted. */
const MAX_BINS = 10_000;
/**
 * Per-customer mode keeps one portfolio partial sum per block of {@link BLOCK} customers and
 * draw: ceil(customers / 256) x draws numbers. Above this many (500 MB) the call throws
 * `BUDGET_EXCEEDED` before allocating.
 */
const MAX_PORTFOLIO_CELLS = 62_500_000;

/** Work (customers x draws x periods) above which `threads: "auto"` uses workers. Measured break-even on 2 cores: about 6e7 from dist with the previous kernel (worker start-up and a cold JIT cost ~0.4 s); the current kernel is about 1.5x faster per draw, which moves it to about 1e8. */
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
    const { ids, columns } = customersToColumns(model, fn);
    return toRecords(ids, runSync(prepareColumns(columns, options, fn, ids)));
  }
  return scenario(model as ScenarioClvModel, options, fn);
}

/**
 * Monte Carlo CLV of every customer and of the portfolio, on columns: typed arrays of
 * per-customer inputs in, one `Float64Array` per statistic (mean, sd, P5, P50, P95, closed-form
 * expectation) out, with no object per customer. The per-customer mode of {@link monteCarloClv}
 * is an adapter over this function and gives the same numbers.
 *
 * @remarks Same model, random streams and threads as {@link monteCarloClv} (per-customer mode):
 * for each customer and draw, the periods with a purchase follow the survival curve and a
 * Poisson purchase count; a purchase period's spend is Gamma(count * shape, spendMean / shape);
 * values are discounted at the end of each period. Bit-identical for any number of threads.
 * Complexity: O(customers x draws x purchase periods per draw).
 * @param model - see {@link CustomerClvColumns}.
 * @param options - `draws` (default 1,000), `seed`, `bins`, `threads` (see {@link MonteCarloClvOptions}).
 * @returns a promise of a {@link CustomerClvColumnsResult}.
 * @throws {@link InvalidOptionError} for a bad option, a column of the wrong length or type.
 * @throws {@link InvalidRecordError} for a bad value (row = 1-based customer row).
 * @example
 * ```ts
 * const r = await monteCarloClvColumns(
 *   { purchaseRate: Float64Array.of(1, 0.5), spendMean: Float64Array.of(20, 40), retention: 0.8, discountRate: 0.01 },
 *   { draws: 2000, seed: 1 },
 * );
 * [r.mean.length, r.expected[0] === r.expected[1]];
 * //=> [2, true]
 * ```
 * @category Monte Carlo
 */
export async function monteCarloClvColumns(model: CustomerClvColumns, options: MonteCarloClvOptions = {}): Promise<CustomerClvColumnsResult> {
  const fn = "monteCarloClvColumns";
  return runAsync(prepareColumns(model, options, fn), options, fn);
}

/**
 * {@link monteCarloClvColumns}, synchronous and single-threaded (identical numbers).
 *
 * @remarks See {@link monteCarloClvColumns}.
 * @param model - see {@link CustomerClvColumns}.
 * @param options - `draws` (default 1,000), `seed`, `bins` (see {@link MonteCarloClvOptions}); `threads` is ignored.
 * @returns a {@link CustomerClvColumnsResult}.
 * @throws {@link InvalidOptionError} for a bad option, a column of the wrong length or type.
 * @throws {@link InvalidRecordError} for a bad value (row = 1-based customer row).
 * @example
 * ```ts
 * const r = monteCarloClvColumnsSync({ purchaseRate: [1, 0], spendMean: [10, 10], retention: 0.5, discountRate: 0, periods: 3 }, { draws: 1000, seed: 3 });
 * // customer 1: 1 purchase x 10 x (1 + 0.5 + 0.25); customer 2 never buys
 * [r.expected[0], r.mean[1]];
 * //=> [17.5, 0]
 * [r.settings.horizonDays, r.settings.marginRate, r.settings.discountRatePerPeriod];
 * //=> [90, 1, 0]
 * ```
 * @category Monte Carlo
 */
export function monteCarloClvColumnsSync(model: CustomerClvColumns, options: MonteCarloClvOptions = {}): CustomerClvColumnsResult {
  return runSync(prepareColumns(model, options, "monteCarloClvColumnsSync"));
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
    const { ids, columns } = customersToColumns(model, fn);
    const prep = prepareColumns(columns, options, fn, ids);
    return toRecords(ids, await runAsync(prep, options, fn));
  }
  return scenario(model as ScenarioClvModel, options, fn);
}

// ---------------------------------------------------------------------------------------------
// Scenario mode

const INPUT_ORDER = ["margin", "purchaseRate", "spend", "retention", "discountRate", "acquisitionCost", "horizon"] as const;

function scenario(model: ScenarioClvModel, options: MonteCarloClvOptions, fn: string): ScenarioClvResult {
  if (model === null || typeof model !== "object") throw new InvalidOptionError(fn, "model", model, "a scenario model { margin, retention, discountRate, ... } or { customers, ... }");
  const o = withDefaults({ ...MC_DEFAULTS, draws: 10_000 }, options);
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
    const v = profit * factor - cost;
    if (!Number.isFinite(v)) throw overflowError(fn, `the CLV of draw ${d + 1} (margin x purchaseRate x spend x ${factor.toPrecision(4)} - acquisitionCost)`);
    clv[d] = v;
  }
  const sensitivity: InputSensitivity[] = [];
  // Spearman's ρ (Pearson on average-tie ranks, as numeric's `spearman`), with the CLV ranked
  // once for all inputs; ρ is 0 when the CLV is constant (undefined: no input explains it).
  const clvRanks = rank(clv);
  INPUT_ORDER.forEach((name, i) => {
    const arr = drawn[i];
    if (!arr) return;
    const rho = pearson(rank(arr), clvRanks);
    sensitivity.push({ input: name, rankCorrelation: rho === rho ? Math.max(-1, Math.min(1, rho)) : 0 });
  });
  sensitivity.sort((a, b) => Math.abs(b.rankCorrelation) - Math.abs(a.rankCorrelation));
  return { mode: "scenario", clv: describeDraws(clv, o.bins, 1, fn), sensitivity };
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
  expected: Float64Array;
  bins: number;
  /** The money unit the kernel ran in (a power of two; 1 unless the amounts are huge). */
  unit: number;
  /** The calling function, for errors. */
  fn: string;
  /** The settings stated in the result. */
  settings: FutureValueSettings;
}

/**
 * The record API's adapter: customer records to the columns of {@link prepareColumns}. Checks
 * what only records can get wrong (not an object, an id that is not a string, a field that is
 * not a number) and turns each customer's `retention` into its survival row; ranges are
 * checked once, by {@link prepareColumns}, with the customer's id as the row.
 */
function customersToColumns(model: CustomerClvModel, fn: string): { ids: string[]; columns: CustomerClvColumns } {
  const list = model.customers;
  if (!Array.isArray(list)) throw new InvalidOptionError(fn, "customers", list, "an array of customer behaviours");
  const H = model.periods ?? 12;
  if (!Number.isInteger(H) || H < 1) throw new InvalidOptionError(fn, "periods", H, "a whole number >= 1");
  const defShape = model.spendShape ?? Infinity;
  if (typeof defShape !== "number" || !(defShape > 0)) throw new InvalidOptionError(fn, "spendShape", defShape, "a number > 0 or Infinity");
  const n = list.length;
  const ids: string[] = new Array(n);
  const purchaseRate = new Float64Array(n);
  const spendMean = new Float64Array(n);
  const spendShape = new Float64Array(n);
  const alive = new Float64Array(n);
  const survival = new Float64Array(n * H);
  for (let c = 0; c < n; c++) {
    const b = list[c];
    if (b === null || typeof b !== "object") throw new InvalidRecordError(fn, { row: c + 1, field: "*", value: b, expected: "a customer behaviour object" });
    const id = b.customerId;
    if (typeof id !== "string") throw new InvalidRecordError(fn, { row: c + 1, field: "customerId", value: id, expected: "a string" });
    ids[c] = id;
    const num = (field: string, v: unknown, expected: string): number => {
      if (typeof v !== "number") throw new InvalidRecordError(fn, { row: id, field, value: v, expected });
      return v;
    };
    purchaseRate[c] = num("purchaseRate", b.purchaseRate, "a finite number >= 0");
    spendMean[c] = num("spendMean", b.spendMean, "a finite number >= 0");
    spendShape[c] = num("spendShape", b.spendShape ?? defShape, "a number > 0 or Infinity");
    alive[c] = num("alive", b.alive ?? 1, "a probability in [0, 1]");
    const base = c * H;
    if (b.survival !== undefined) {
      const s = b.survival;
      if (!s || typeof s.length !== "number" || s.length < H) throw new InvalidRecordError(fn, { row: id, field: "survival", value: s, expected: `an array of at least ${H} probabilities (periods)` });
      for (let t = 0; t < H; t++) survival[base + t] = num("survival", s[t], `P(alive in period ${t + 1}) in [0, 1] (non-increasing)`);
    } else {
      const r = b.retention;
      if (typeof r !== "number" || !(r >= 0 && r <= 1)) throw new InvalidRecordError(fn, { row: id, field: "retention", value: r, expected: "a number in [0, 1] (or give `survival`)" });
      retentionCurve(r, survival, base, H);
    }
  }
  return { ids, columns: { purchaseRate, spendMean, spendShape, alive, survival, periods: H, periodDays: model.periodDays, discountRate: model.discountRate, marginRate: model.marginRate } };
}

/** P(alive in period t | alive now) = r^(t-1) for t = 1..H into out[base..base+H), by repeated products (the one definition both APIs use). */
function retentionCurve(r: number, out: Float64Array, base: number, H: number): void {
  let s = 1;
  for (let t = 0; t < H; t++) {
    out[base + t] = s;
    s *= r;
  }
}

/** Validate the columns model and build the kernel's prepared arrays (`ids` only name rows in errors). */
function prepareColumns(model: CustomerClvColumns, options: MonteCarloClvOptions, fn: string, ids?: readonly string[]): PreparedRun {
  const o = withDefaults({ ...MC_DEFAULTS, draws: 1000 }, options);
  checkCommon(o, fn);
  if (model === null || typeof model !== "object") throw new InvalidOptionError(fn, "model", model, "{ purchaseRate, spendMean, retention or survival, discountRate, ... }");
  const H = model.periods ?? 12;
  if (!Number.isInteger(H) || H < 1) throw new InvalidOptionError(fn, "periods", H, "a whole number >= 1");
  const dr = model.discountRate;
  if (typeof dr !== "number" || !(dr >= 0) || !Number.isFinite(dr)) throw new InvalidOptionError(fn, "discountRate", dr, "a finite number >= 0");
  const marginRate = model.marginRate ?? 1;
  if (typeof marginRate !== "number" || !Number.isFinite(marginRate)) throw new InvalidOptionError(fn, "marginRate", marginRate, "a finite number");
  const periodDays = model.periodDays ?? 30;
  if (typeof periodDays !== "number" || !Number.isFinite(periodDays) || !(periodDays > 0)) throw new InvalidOptionError(fn, "periodDays", periodDays, "a number of days > 0");
  const column = (name: string, v: unknown, required: boolean): ArrayLike<number> | undefined => {
    if (v === undefined && !required) return undefined;
    if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number") throw new InvalidOptionError(fn, name, v, "a typed array or array of numbers, one per customer");
    return v as ArrayLike<number>;
  };
  const scalar = (name: string, v: unknown, ok: (x: number) => boolean, expected: string): void => {
    if (typeof v === "number" && !ok(v)) throw new InvalidOptionError(fn, name, v, expected);
  };
  scalar("spendShape", model.spendShape, (x) => x > 0, "a number > 0 or Infinity, or a column");
  scalar("alive", model.alive, (x) => x >= 0 && x <= 1, "a probability in [0, 1], or a column");
  scalar("retention", model.retention, (x) => x >= 0 && x <= 1, "a number in [0, 1], or a column");
  const rate = column("purchaseRate", model.purchaseRate, true)!;
  const n = rate.length;
  const perCustomer = (name: string, v: unknown, def: number): ((c: number) => unknown) => {
    if (v === undefined) return () => def;
    if (typeof v === "number") return () => v;
    const col = column(name, v, true)!;
    if (col.length !== n) throw new InvalidOptionError(fn, name, `${col.length} values`, `${n} values (one per customer, as purchaseRate)`);
    return (c) => col[c];
  };
  const spendCol = column("spendMean", model.spendMean, true)!;
  if (spendCol.length !== n) throw new InvalidOptionError(fn, "spendMean", `${spendCol.length} values`, `${n} values (one per customer, as purchaseRate)`);
  const shapeOf = perCustomer("spendShape", model.spendShape, Infinity);
  const aliveOf = perCustomer("alive", model.alive, 1);
  const survCol = column("survival", model.survival, false);
  if (survCol && survCol.length !== n * H) throw new InvalidOptionError(fn, "survival", `${survCol.length} values`, `${n * H} values (customers x periods, row-major)`);
  if (!survCol && model.retention === undefined) throw new InvalidOptionError(fn, "retention", undefined, "a retention rate or column (or give `survival`)");
  const retentionOf = survCol ? null : perCustomer("retention", model.retention, 1);
  const surv = new Float64Array(n * H);
  const lambda = new Float64Array(n);
  const shape = new Float64Array(n);
  const scale = new Float64Array(n);
  const spendMean = new Float64Array(n);
  const disc = new Float64Array(H);
  for (let t = 0; t < H; t++) disc[t] = Math.pow(1 + dr, -(t + 1));
  const expected = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const row = ids ? ids[c] : c + 1;
    const bad = (field: string, value: unknown, expectedText: string): never => {
      throw new InvalidRecordError(fn, { row, field, value, expected: expectedText });
    };
    const lam = rate[c];
    if (typeof lam !== "number" || !(lam >= 0) || !Number.isFinite(lam)) bad("purchaseRate", lam, "a finite number >= 0");
    const sm = spendCol[c];
    if (typeof sm !== "number" || !(sm >= 0) || !Number.isFinite(sm)) bad("spendMean", sm, "a finite number >= 0");
    const sh = shapeOf(c);
    if (typeof sh !== "number" || !(sh > 0)) bad("spendShape", sh, "a number > 0 or Infinity");
    const alive = aliveOf(c);
    if (typeof alive !== "number" || !(alive >= 0 && alive <= 1)) bad("alive", alive, "a probability in [0, 1]");
    lambda[c] = lam;
    spendMean[c] = sm;
    shape[c] = Number.isFinite(sh as number) ? (sh as number) : 0;
    scale[c] = Number.isFinite(sh as number) ? sm / (sh as number) : 0;
    const base = c * H;
    if (survCol) {
      let prev = 1;
      for (let t = 0; t < H; t++) {
        const v = survCol[base + t];
        if (typeof v !== "number" || !(v >= 0 && v <= prev)) bad("survival", v, `P(alive in period ${t + 1}) in [0, ${prev}] (non-increasing)`);
        prev = v;
        surv[base + t] = (alive as number) * v;
      }
    } else {
      const r = retentionOf!(c);
      if (typeof r !== "number" || !(r >= 0 && r <= 1)) bad("retention", r, "a number in [0, 1] (or give `survival`)");
      retentionCurve(r as number, surv, base, H);
      for (let t = 0; t < H; t++) surv[base + t] *= alive as number;
    }
    let pvAlive = 0;
    for (let t = 0; t < H; t++) pvAlive += surv[base + t] * disc[t];
    expected[c] = marginRate * lam * sm * pvAlive;
  }
  // Huge money: simulate in units of a power of two (exact) so the kernel's sums and squares
  // stay finite; toColumns scales the figures back (and throws if they really overflow).
  let big = 0;
  for (let c = 0; c < n; c++) {
    const e = expected[c];
    if (!Number.isFinite(e)) throw overflowError(fn, `the expected CLV of customer ${ids ? JSON.stringify(ids[c]) : c + 1}`);
    const m = Math.abs(marginRate) * spendMean[c] * Math.max(1, lambda[c]) * H;
    if (m > big) big = m;
  }
  const unit = big > 2 ** 100 ? 2 ** (Math.ceil(Math.log2(big)) - 40) : 1;
  if (unit !== 1) {
    for (let c = 0; c < n; c++) {
      spendMean[c] /= unit;
      scale[c] /= unit;
    }
  }
  const cells = Math.ceil(n / BLOCK) * o.draws;
  if (cells > MAX_PORTFOLIO_CELLS) {
    throw new AnalyticsError("BUDGET_EXCEEDED", `${fn}: ${n} customers x ${o.draws} draws need ${cells} portfolio partial sums (${Math.round((cells * 8) / 2 ** 20)} MiB), more than the budget of ${MAX_PORTFOLIO_CELLS} (${(MAX_PORTFOLIO_CELLS * 8) / 1e6} MB); lower "draws" to at most ${Math.floor(MAX_PORTFOLIO_CELLS / Math.ceil(n / BLOCK))} or split the customers`);
  }
  const [k0, k1] = streamKey(o.seed);
  return { kind: "ready", expected, bins: o.bins, unit, fn, settings: futureValueSettings(H, periodDays, marginRate, dr), p: { n, periods: H, draws: o.draws, k0, k1, marginRate, surv, lambda, shape, scale, spendMean, disc } };
}

/** Run a prepared model on this thread. */
function runSync(prep: PreparedRun): CustomerClvColumnsResult {
  const nBlocks = Math.ceil(prep.p.n / BLOCK);
  const { stats, totals } = simulateCustomerBlocks(prep.p, 0, nBlocks);
  return toColumns(prep, stats, totals, nBlocks, 1);
}

/** Run a prepared model on worker threads when `threads` asks for them (and they start), else on this thread. */
async function runAsync(prep: PreparedRun, options: MonteCarloClvOptions, fn: string): Promise<CustomerClvColumnsResult> {
  const threads = options.threads ?? MC_DEFAULTS.threads;
  if (threads !== "auto" && !(Number.isInteger(threads) && threads >= 1)) throw new InvalidOptionError(fn, "threads", threads, 'a whole number >= 1 or "auto"');
  const nBlocks = Math.ceil(prep.p.n / BLOCK);
  const work = prep.p.n * prep.p.draws * prep.p.periods;
  let want = threads === "auto" ? (work >= AUTO_PARALLEL_WORK ? 0 : 1) : threads;
  want = want === 0 ? Infinity : Math.min(want, nBlocks); // 0 = one worker per core (capped by runBlocksInWorkers)
  if (want > 1 && nBlocks > 0) {
    const { runBlocksInWorkers } = await import("./parallel.js");
    const res = await runBlocksInWorkers(prep.p, nBlocks, want);
    if (res) return toColumns(prep, res.stats, res.totals, nBlocks, res.threads);
  }
  return runSync(prep);
}

/** Kernel output (STATS numbers per customer, per-block totals) to the columns result. */
function toColumns(prep: PreparedRun, stats: Float64Array, blockTotals: Float64Array, nBlocks: number, threads: number): CustomerClvColumnsResult {
  const { n, draws: D } = prep.p;
  const total = new Float64Array(n > 0 ? D : 0);
  for (let b = 0; b < nBlocks; b++) for (let d = 0; d < D; d++) total[d] += blockTotals[b * D + d];
  const mean = new Float64Array(n), sd = new Float64Array(n), p5 = new Float64Array(n), p50 = new Float64Array(n), p95 = new Float64Array(n);
  let expectedTotal = 0;
  const u = prep.unit;
  for (let c = 0; c < n; c++) {
    const o = c * STATS;
    mean[c] = stats[o] * u;
    sd[c] = stats[o + 1] * u;
    p5[c] = stats[o + 2] * u;
    p50[c] = stats[o + 3] * u;
    p95[c] = stats[o + 4] * u;
    if (!(Number.isFinite(mean[c]) && Number.isFinite(sd[c]) && Number.isFinite(p95[c]))) throw overflowError(prep.fn, `the simulated CLV of customer ${c + 1}`);
    expectedTotal += prep.expected[c];
  }
  if (!Number.isFinite(expectedTotal)) throw overflowError(prep.fn, "the expected portfolio total");
  return { mode: "columns", settings: prep.settings, expected: prep.expected, mean, sd, p5, p50, p95, portfolio: describeDraws(total, prep.bins, u, prep.fn), expectedTotal, threads };
}

/** The record API's view of a columns result: one {@link CustomerClv} per customer, same numbers. */
function toRecords(ids: readonly string[], r: CustomerClvColumnsResult): CustomerClvResult {
  const customers: CustomerClv[] = new Array(ids.length);
  for (let c = 0; c < ids.length; c++) customers[c] = { customerId: ids[c], expected: r.expected[c], mean: r.mean[c], sd: r.sd[c], p5: r.p5[c], p50: r.p50[c], p95: r.p95[c] };
  return { mode: "customers", settings: r.settings, customers, portfolio: r.portfolio, expectedTotal: r.expectedTotal, threads: r.threads };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function checkCommon(o: { draws: number; bins: number; seed: Seed }, fn: string): void {
  if (!Number.isInteger(o.draws) || o.draws < 2 || o.draws > MAX_DRAWS) {
    throw new InvalidOptionError(fn, "draws", o.draws, `a whole number in [2, ${MAX_DRAWS}] (the standard error falls as 1/sqrt(draws): 1e6 draws already give 0.1% of the sd)`);
  }
  if (!Number.isInteger(o.bins) || o.bins < 1 || o.bins > MAX_BINS) throw new InvalidOptionError(fn, "bins", o.bins, `a whole number in [1, ${MAX_BINS}]`);
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
}

/**
 * Summary of simulated values: moments, R-7 percentiles, probability of loss, histogram.
 * @internal
 */
export function describeDraws(values: Float64Array, bins: number, unit = 1, fn = "monteCarloClv"): ClvDistribution {
  const n = values.length;
  if (n === 0) return { draws: 0, mean: 0, sd: 0, standardError: 0, min: 0, p5: 0, p25: 0, p50: 0, p75: 0, p95: 0, max: 0, probabilityOfLoss: 0, histogram: [] };
  // Squares overflow from 1e154 and sums near 1e308: summarise huge values in units of a power
  // of two (exact), then scale the summary back; `unit` is the caller's own such scale.
  let big = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(values[i]);
    if (!(a <= Number.MAX_VALUE)) throw overflowError(fn, "a simulated value");
    if (a > big) big = a;
  }
  if (big > 2 ** 400) {
    const f = 2 ** (Math.ceil(Math.log2(big)) - 64);
    const scaled = new Float64Array(n);
    for (let i = 0; i < n; i++) scaled[i] = values[i] / f;
    return describeDraws(scaled, bins, unit * f, fn);
  }
  if (unit !== 1) return rescale(describeDraws(values, bins), unit, fn);
  let min = Infinity, max = -Infinity, loss = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v < 0) loss++;
  }
  const mean = fsum(values) / n; // the correctly rounded sum (values below 2^400 here: no overflow)
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

/** A summary in units of `unit`, back in the caller's units; throws when a figure overflows. */
function rescale(d: ClvDistribution, unit: number, fn: string): ClvDistribution {
  const x = (v: number, what: string): number => {
    const y = v * unit;
    if (!Number.isFinite(y)) throw overflowError(fn, what);
    return y;
  };
  return {
    ...d,
    mean: x(d.mean, "the mean"),
    sd: x(d.sd, "the standard deviation"),
    standardError: x(d.standardError, "the standard error"),
    min: x(d.min, "the minimum"),
    p5: x(d.p5, "p5"),
    p25: x(d.p25, "p25"),
    p50: x(d.p50, "p50"),
    p75: x(d.p75, "p75"),
    p95: x(d.p95, "p95"),
    max: x(d.max, "the maximum"),
    histogram: d.histogram.map((h) => ({ lower: x(h.lower, "a histogram bound"), upper: x(h.upper, "a histogram bound"), count: h.count })),
  };
}
