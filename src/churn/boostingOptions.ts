/**
 * The options of histogram gradient boosting, shared by the churn models (`trainChurnModel`,
 * `trainChurnModelColumns`) and the K-class classifiers (`trainClassifier`): one options
 * interface, one set of defaults and one validator that maps them to the booster's
 * {@link BoostingParams}.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { Seed } from "../core/random.js";
import type { BoostingParams } from "./boosting.js";
import type { TreeModelOptions } from "./model.js";
import type { ColumnSpec } from "./table.js";

/**
 * Options read only by `"boosting"` (scikit-learn's `HistGradientBoostingClassifier` names in
 * brackets). The tree shape options it shares with the trees and forests (`maxDepth`,
 * `minSamplesLeaf`, `maxBins`, `seed`) are documented with them.
 */
export interface BoostingOptions {
  /** Boosting: shrinkage applied to every tree's leaf values (`learning_rate`). Default 0.1. */
  learningRate?: number;
  /** Boosting: most iterations (`max_iter`); each adds one tree, or one tree per class when there are more than two classes. Default 100, at most 10,000. */
  maxIter?: number;
  /** Boosting: most leaves per tree; trees grow leaf-wise, best gain first (`max_leaf_nodes`). Default 31. */
  maxLeafNodes?: number;
  /** Boosting: L2 penalty on leaf values (`l2_regularization`). Default 0. */
  l2Regularization?: number;
  /** Boosting: `"auto"` (on when there are more than 10,000 training rows, scikit-learn's rule), `true` or `false`. Default `"auto"`. */
  earlyStopping?: "auto" | boolean;
  /** Boosting: share of the rows held out (seeded, stratified) to decide early stopping. Default 0.1. */
  validationFraction?: number;
  /** Boosting: stop when the validation log-loss has not improved by more than `tol` over this many iterations. Default 10. */
  nIterNoChange?: number;
  /** Boosting: early-stopping tolerance on the validation log-loss (`tol`). Default 1e-7. */
  tol?: number;
  /**
   * Boosting: threads that build the histograms, 1 to 64, or `"auto"`: the machine's cores (at
   * most 4) when training rows x histogram columns reach 2,000,000, else 1. Extra threads are
   * Node worker threads sharing the WebAssembly kernels' memory (where the runtime has neither,
   * one thread runs); each histogram column is summed by one thread in row order, so the trees
   * are the same for any number. Default `"auto"`.
   */
  threads?: number | "auto";
}

/** What {@link boostingParams} reads: the boosting options and the tree shape options. @internal */
export type BoostingInput = BoostingOptions & Pick<TreeModelOptions, "maxDepth" | "minSamplesLeaf" | "maxBins" | "seed">;

/** Defaults of the boosting options (scikit-learn's). @internal */
export const BOOSTING_DEFAULTS = Object.freeze({
  learningRate: 0.1,
  maxIter: 100,
  maxLeafNodes: 31,
  maxDepth: Infinity,
  minSamplesLeaf: 20,
  l2Regularization: 0,
  maxBins: 255,
  earlyStopping: "auto" as "auto" | boolean,
  validationFraction: 0.1,
  nIterNoChange: 10,
  tol: 1e-7,
  seed: 42 as Seed,
  threads: "auto" as number | "auto",
});

/** Largest boosting run accepted (every tree is kept in the model). */
const MAX_BOOSTING_ITER = 10_000;

/** Most histogram threads accepted. */
const MAX_THREADS = 64;

/** Most bins per feature: bin codes are bytes, codes 0-254 for values and 255 for missing. */
const MAX_BINS = 255;

/** Throw unless `v` is an integer (or `Infinity`) >= `min`. */
function checkInt(fn: string, name: string, v: unknown, min: number): void {
  if (!(typeof v === "number" && (Number.isInteger(v) || v === Infinity) && v >= min)) throw new InvalidOptionError(fn, name, v, `an integer >= ${min}`);
}

/** Throw unless `v` is an integer in [min, max]. */
function checkIntIn(fn: string, name: string, v: unknown, min: number, max: number): void {
  if (!(typeof v === "number" && Number.isInteger(v) && v >= min && v <= max)) throw new InvalidOptionError(fn, name, v, `an integer in [${min}, ${max}]`);
}

/** Throw unless `v` is a finite number >= 0. */
function checkNonNegative(fn: string, name: string, v: unknown): void {
  if (!(typeof v === "number" && Number.isFinite(v) && v >= 0)) throw new InvalidOptionError(fn, name, v, "a finite number >= 0");
}

/**
 * Throw unless `maxBins` is an integer in [2, 255] (trees, forests and boosting alike).
 * @internal
 */
export function checkMaxBins(fn: string, maxBins: unknown): asserts maxBins is number {
  checkIntIn(fn, "maxBins", maxBins, 2, MAX_BINS);
}

/**
 * Validate the boosting options and map them to the booster's parameters, defaults filled in
 * ({@link BOOSTING_DEFAULTS}; an explicit `undefined` means the default).
 *
 * @param fn - the calling function, named in errors.
 * @param options - the caller's options (other keys are ignored).
 * @param columns - the encoded columns: a categorical one may have at most 255 levels.
 * @param n - training rows (`earlyStopping: "auto"` is on above 10,000).
 * @returns the parameters of `fitBoosting` / `fitBoostingMulticlass`.
 * @throws {@link InvalidOptionError} naming the first bad option, its value and what was expected.
 * @internal
 */
export function boostingParams(fn: string, options: BoostingInput, columns: readonly ColumnSpec[], n: number): BoostingParams {
  const o = withDefaults(BOOSTING_DEFAULTS, options);
  checkInt(fn, "maxDepth", o.maxDepth, 1);
  checkInt(fn, "minSamplesLeaf", o.minSamplesLeaf, 1);
  checkIntIn(fn, "maxIter", o.maxIter, 1, MAX_BOOSTING_ITER);
  checkInt(fn, "maxLeafNodes", o.maxLeafNodes, 2);
  if (o.maxLeafNodes === Infinity) throw new InvalidOptionError(fn, "maxLeafNodes", o.maxLeafNodes, "a finite integer >= 2");
  checkMaxBins(fn, o.maxBins);
  if (!(typeof o.learningRate === "number" && Number.isFinite(o.learningRate) && o.learningRate > 0)) throw new InvalidOptionError(fn, "learningRate", o.learningRate, "a finite number > 0");
  checkNonNegative(fn, "l2Regularization", o.l2Regularization);
  if (o.earlyStopping !== "auto" && o.earlyStopping !== true && o.earlyStopping !== false) throw new InvalidOptionError(fn, "earlyStopping", o.earlyStopping, '"auto", true or false');
  if (!(typeof o.validationFraction === "number" && o.validationFraction > 0 && o.validationFraction < 1)) throw new InvalidOptionError(fn, "validationFraction", o.validationFraction, "a number in (0, 1)");
  checkInt(fn, "nIterNoChange", o.nIterNoChange, 1);
  checkNonNegative(fn, "tol", o.tol);
  if (o.threads !== "auto") checkIntIn(fn, "threads", o.threads, 1, MAX_THREADS);
  for (const c of columns) if (c.kind === "categorical" && c.levels.length > 255) throw new InvalidOptionError(fn, `categorical.${c.name}`, `${c.levels.length} levels`, 'at most 255 levels for "boosting" (native categorical splits)');
  return {
    learningRate: o.learningRate,
    maxIter: o.maxIter,
    maxLeafNodes: o.maxLeafNodes,
    maxDepth: o.maxDepth,
    minSamplesLeaf: o.minSamplesLeaf,
    l2: o.l2Regularization,
    maxBins: o.maxBins,
    earlyStopping: o.earlyStopping === "auto" ? n > 10_000 : o.earlyStopping,
    validationFraction: o.validationFraction,
    nIterNoChange: o.nIterNoChange,
    tol: o.tol,
    seed: o.seed,
    threads: o.threads,
  };
}
