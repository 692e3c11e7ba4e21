/**
 * Seeded bootstrap of a PLS path model: standard errors and percentile intervals of the path
 * coefficients, outer weights, loadings and total effects.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, sampleInt, type Seed } from "../numeric/random.js";
import { quantiles } from "../numeric/quantile.js";
import { checkModel, type PlsModel } from "./model.js";
import { checkPlsOptions, constantItem, coreError, moments, plsCore, prepare, reachability, type PlsPathModelOptions } from "./pls.js";
import type { SurveyData } from "./types.js";

/**
 * Options of {@link plsBootstrap}: those of {@link plsPathModel} plus the resampling settings.
 * @category Survey
 */
export interface PlsBootstrapOptions extends PlsPathModelOptions {
  /** Number of bootstrap samples. Default `500`. */
  samples?: number;
  /** Seed of the resampling generator. Default `1`. */
  seed?: Seed;
  /** Coverage of the percentile intervals. Default `0.95`. */
  level?: number;
}

const BOOT_DEFAULTS = Object.freeze({ scheme: "path" as const, tolerance: 1e-7, maxIterations: 300, missing: "mean" as const, samples: 500, seed: 1 as Seed, level: 0.95 });

/**
 * Bootstrap summary of one estimate.
 * @category Survey
 */
export interface BootstrapStat {
  /** The estimate on the full data. */
  readonly estimate: number;
  /** Mean over the bootstrap samples. */
  readonly mean: number;
  /** Standard deviation over the bootstrap samples (divisor B − 1): the bootstrap standard error. */
  readonly standardError: number;
  /** Lower percentile bound (R-7 quantile at (1 − level)/2). */
  readonly lower: number;
  /** Upper percentile bound (R-7 quantile at (1 + level)/2). */
  readonly upper: number;
}

/**
 * Result of {@link plsBootstrap}.
 * @category Survey
 */
export interface PlsBootstrapResult {
  /** Samples drawn. */
  readonly samples: number;
  /** Samples whose fit failed (a constant item in the sample, collinearity, no convergence) and were left out. */
  readonly failed: number;
  /** The seed used. */
  readonly seed: Seed;
  /** Interval coverage. */
  readonly level: number;
  /** Path coefficients, in the order of `model.paths`. */
  readonly paths: readonly (BootstrapStat & {
    /** Cause. */
    readonly from: string;
    /** Effect. */
    readonly to: string;
  })[];
  /** Total effects for every pair joined by a directed path (order of {@link PlsResult.effects}). */
  readonly totalEffects: readonly (BootstrapStat & {
    /** Cause. */
    readonly from: string;
    /** Effect. */
    readonly to: string;
  })[];
  /** Outer weights by item. */
  readonly weights: Readonly<Record<string, BootstrapStat>>;
  /** Outer loadings by item. */
  readonly loadings: Readonly<Record<string, BootstrapStat>>;
}

/**
 * Bootstrap a PLS path model: refit on `samples` resamples of the respondents (drawn with
 * replacement by a generator seeded with `seed`) and summarise each estimate.
 *
 * @remarks
 * Missing answers are treated once on the full data (as in {@link plsPathModel}), then
 * respondents are resampled; each resample is re-standardised and refitted from equal starting
 * weights. The sign convention of {@link plsPathModel} (a block's items mostly load positively)
 * applies in every resample, so no sign flips blur the distributions. Standard error = sample
 * standard deviation of the B estimates (Efron & Tibshirani 1993, eq. 6.6); the interval is the
 * percentile interval with R-7 quantiles. Samples that cannot be fitted are counted in `failed`
 * and left out; if more than half fail the call throws. Same seed, same result. Cost
 * O(B · (n p² + iterations · p²)); runs in the calling thread.
 *
 * @param data - the answers, as for {@link plsPathModel}.
 * @param model - the model.
 * @param options - {@link PlsBootstrapOptions}.
 * @returns the summaries ({@link PlsBootstrapResult}).
 * @throws the errors of {@link plsPathModel} for the full-data fit;
 *   {@link InvalidOptionError} for `samples` not an integer ≥ 10, `level` outside (0, 1) or a
 *   bad seed; {@link AnalyticsError} `NOT_CONVERGED` when more than half the samples fail.
 * @example
 * ```ts
 * const data = { x: [1, 2, 3, 4, 5, 6, 7, 8], y: [2, 1, 4, 3, 6, 5, 8, 7] };
 * const model = { blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }], paths: [{ from: "X", to: "Y" }] };
 * const a = plsBootstrap(data, model, { samples: 50, seed: 7 });
 * const b = plsBootstrap(data, model, { samples: 50, seed: 7 });
 * [a.paths[0].standardError === b.paths[0].standardError, a.paths[0].lower < a.paths[0].estimate];
 * //=> [true, true]
 * ```
 * @category Survey
 */
export function plsBootstrap(data: SurveyData, model: PlsModel, options: PlsBootstrapOptions = {}): PlsBootstrapResult {
  const fn = "plsBootstrap";
  const o = withDefaults(BOOT_DEFAULTS, options);
  checkPlsOptions(fn, o);
  if (!(Number.isInteger(o.samples) && o.samples >= 10)) throw new InvalidOptionError(fn, "samples", o.samples, "an integer >= 10");
  if (!(typeof o.level === "number" && o.level > 0 && o.level < 1)) throw new InvalidOptionError(fn, "level", o.level, "a number in (0, 1)");
  const rng = createRng(o.seed);
  const cm = checkModel(fn, model);
  const prep = prepare(fn, data, cm, o.missing);
  const full = moments(prep.cols, null);
  if (typeof full === "number") throw constantItem(fn, prep.items[full], prep.cols[full][0]);
  const fit0 = plsCore(cm, full.s, o.scheme, o.tolerance, o.maxIterations);
  if ("kind" in fit0) throw coreError(fn, cm, fit0, o.maxIterations);
  const reach = reachability(cm);
  const pairs: [number, number][] = [];
  for (const a of cm.order) for (const b of cm.order) if (reach[a][b]) pairs.push([a, b]);
  const n = prep.rows.length;
  const p = prep.items.length;
  const nPaths = cm.paths.length;
  // one row of draws per parameter: paths, total effects, weights, loadings
  const width = nPaths + pairs.length + 2 * p;
  const estimate = (core: Exclude<ReturnType<typeof plsCore>, { kind: string }>): number[] => [
    ...cm.paths.map((q) => core.beta[q.to][q.from]),
    ...pairs.map(([a, b]) => core.total[b][a]),
    ...core.w.flat(),
    ...core.load.flat(),
  ];
  const base = estimate(fit0);
  const draws: number[][] = Array.from({ length: width }, () => []);
  const idx = new Int32Array(n);
  let failed = 0;
  for (let b = 0; b < o.samples; b++) {
    for (let r = 0; r < n; r++) idx[r] = sampleInt(rng, n);
    const mom = moments(prep.cols, idx);
    if (typeof mom === "number") { failed++; continue; }
    const core = plsCore(cm, mom.s, o.scheme, o.tolerance, o.maxIterations);
    if ("kind" in core) { failed++; continue; }
    estimate(core).forEach((v, q) => draws[q].push(v));
  }
  if (failed * 2 > o.samples) {
    throw new AnalyticsError("NOT_CONVERGED", `${fn}: ${failed} of ${o.samples} bootstrap samples could not be fitted (constant items, collinearity or no convergence); the estimates are too unstable to summarise`);
  }
  const lo = (1 - o.level) / 2;
  const stat = (q: number): BootstrapStat => {
    const d = draws[q];
    const m = d.reduce((a, v) => a + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / (d.length - 1));
    const [lower, upper] = quantiles(d, [lo, 1 - lo]);
    return { estimate: base[q], mean: m, standardError: sd, lower, upper };
  };
  const weights = Object.create(null) as Record<string, BootstrapStat>;
  const loadings = Object.create(null) as Record<string, BootstrapStat>;
  prep.items.forEach((item, i) => {
    weights[item] = stat(nPaths + pairs.length + i);
    loadings[item] = stat(nPaths + pairs.length + p + i);
  });
  return {
    samples: o.samples,
    failed,
    seed: o.seed,
    level: o.level,
    paths: cm.paths.map((q, i) => ({ from: cm.names[q.from], to: cm.names[q.to], ...stat(i) })),
    totalEffects: pairs.map(([a, b], i) => ({ from: cm.names[a], to: cm.names[b], ...stat(nPaths + i) })),
    weights,
    loadings,
  };
}
