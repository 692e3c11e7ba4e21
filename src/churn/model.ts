/**
 * Churn models: training (`"tree"`, `"forest"`, `"logistic"`, optionally one per group),
 * scoring from plain JSON, readable rules and per-customer reasons.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../core/random.js";
import { rocAucBinary, stratifiedKFold } from "./evaluate.js";
import { fitLogistic, logisticScores, type LogisticFit } from "./logistic.js";
import { encodeRows, inferSpecs, readLabels, requireBothClasses, resolveFeatures, type ChurnRow, type ChurnValue, type ColumnSpec, type Design } from "./table.js";
import { validateChurnModel } from "./validate.js";
import { boostingRaw, fitBoosting, sigmoid, type BoostingTree } from "./boosting.js";
import { boostingParams, checkMaxBins, type BoostingOptions } from "./boostingOptions.js";
import { binColumns, drawBootstrap, growTree, leafOf, pathConditions, fmtRuleNumber, type GrowParams, type SplitCriterion, type TreeNodes } from "./tree.js";

/**
 * Options of the CART trees and random forests, and the tree shape options of boosting: the same
 * fields, defaults and bounds in {@link trainChurnModel} and `trainClassifier`.
 */
export interface TreeModelOptions {
  /** Tree and forest split criterion: `"gini"` (CART), `"entropy"` (information gain, ID3) or `"gainRatio"` (C4.5's gain ratio; see `docs/classify.md`). Default `"gini"`. */
  criterion?: SplitCriterion;
  /** Maximum tree depth. Default 5 for `"tree"`, unlimited (`Infinity`) for `"forest"` and `"boosting"`. */
  maxDepth?: number;
  /** Minimum training rows in a leaf. Default 1; 20 for `"boosting"` (scikit-learn's `min_samples_leaf`). */
  minSamplesLeaf?: number;
  /** Trees and forests: minimum training rows in a node to try a split. Default 2. */
  minSamplesSplit?: number;
  /** Trees and forests: minimum weighted impurity decrease, as a share of the root weight, for a split (scikit-learn's definition). Default 0. */
  minImpurityDecrease?: number;
  /** Maximum bins per feature, an integer in [2, 255]; a feature with at most this many distinct values is split exactly. Default 255. */
  maxBins?: number;
  /** Number of trees of the forest. Default 100, at most 5,000 (`InvalidOptionError` above). */
  trees?: number;
  /** Features tried per split in the forest. Default floor(sqrt(number of design features)). */
  mtry?: number;
  /** Seed of the forest's bootstrap and feature sampling, and of the rows boosting holds out for early stopping. Default 42. */
  seed?: Seed;
}

/**
 * Options of {@link trainChurnModel}.
 * @category Churn
 */
export interface TrainChurnModelOptions extends TreeModelOptions, BoostingOptions {
  /** `"tree"` (CART), `"forest"` (random forest of CART trees), `"logistic"` or `"boosting"` (histogram gradient boosting). Default `"tree"`. */
  model?: "tree" | "forest" | "logistic" | "boosting";
  /** Label column. Default `"churned"`. */
  label?: string;
  /** Label value meaning churn when labels are not booleans, 0/1 or yes/no words. Default: none. */
  positiveLabel?: ChurnValue;
  /** Feature columns. Default: every column of the first row except the label, `exclude` and `groupColumn` (a column missing from a later row reads as missing there). */
  features?: readonly string[];
  /** Columns never used as features when `features` is not given. Default `["customerId", "cutoff"]`. */
  exclude?: readonly string[];
  /** Columns to treat as categorical even when numeric. Default none (a column with any string value is categorical). */
  categorical?: readonly string[];
  /** Train one model per value of this column (the sources' "cluster, then classify"). Default none. */
  groupColumn?: string;
  /** Groups with fewer rows, or with one class only, are scored by the model trained on all rows. Default 50. */
  minGroupSize?: number;
  /** Class weights: `"balanced"` (n / (2 n_class)) or explicit weights. Default none (all 1). */
  classWeight?: "balanced" | {
    /** Weight of a churned row. */
    churned: number;
    /** Weight of a retained row. */
    retained: number;
  };
  /** L2 penalty of the logistic model on standardised coefficients (scikit-learn's 1 / C). Default 1. */
  l2?: number;
  /** L1 penalty of the logistic model on standardised coefficients. Default 0. */
  l1?: number;
  /** Logistic: most Newton iterations. Boosting: most iterations, one tree each (scikit-learn's `max_iter`), at most 10,000. Default 100. */
  maxIter?: number;
  /** Logistic: convergence tolerance on the largest coefficient change, default 1e-8. Boosting: the early-stopping tolerance on the validation log-loss (scikit-learn's `tol`), default 1e-7. */
  tol?: number;
}

/** Largest forest accepted: scoring and OOB error flatten out long before; each tree is a full CART fit. */
const MAX_TREES = 5000;

/**
 * Defaults of {@link TrainChurnModelOptions}. The options only boosting reads default in
 * `BOOSTING_DEFAULTS` (boostingOptions.ts); `maxIter`, `maxBins` and `seed`, which boosting
 * shares with the other models, default here to the same values.
 * @internal
 */
export const TRAIN_DEFAULTS = Object.freeze({
  model: "tree" as "tree" | "forest" | "logistic",
  label: "churned",
  exclude: Object.freeze(["customerId", "cutoff"]) as readonly string[],
  categorical: Object.freeze([]) as readonly string[],
  minGroupSize: 50,
  seed: 42 as Seed,
  criterion: "gini" as SplitCriterion,
  minSamplesSplit: 2,
  minImpurityDecrease: 0,
  maxBins: 255,
  trees: 100,
  l2: 1,
  l1: 0,
  maxIter: 100,
});

/** Default `minSamplesLeaf` of the trees and forests; boosting uses 20. */
const MIN_SAMPLES_LEAF = 1;

/** Fields shared by every fitted churn model. */
interface ChurnModelCommon {
  /** Format tag checked when scoring. */
  format: "churn-model/1";
  /** Label column the model was trained on. */
  label: string;
  /** How each input column is encoded. @internal */
  columns: ColumnSpec[];
  /** Design feature names: input columns, with `column=level` for each category level. */
  featureNames: string[];
  /** Importance per design feature, summing to 1 (0s when the model has no splits). Tree/forest: impurity decrease; logistic: |standardised coefficient|; boosting: split gain (a categorical column's gain shared equally by its indicators). */
  importance: number[];
  /** Training rows. */
  trainingRows: number;
  /** Churn rate of the training rows. */
  churnRate: number;
}

/**
 * A fitted CART tree.
 * @category Churn
 */
export interface TreeChurnModel extends ChurnModelCommon {
  /** Model kind. */
  model: "tree";
  /** The tree as flat arrays. */
  tree: TreeNodes;
}

/**
 * A fitted random forest.
 * @category Churn
 */
export interface ForestChurnModel extends ChurnModelCommon {
  /** Model kind. */
  model: "forest";
  /** The trees. */
  trees: TreeNodes[];
  /** ROC AUC of the out-of-bag scores (each row scored by the trees that did not see it); null when no row was out of bag or one class only. */
  oobAuc: number | null;
}

/**
 * A fitted logistic regression.
 * @category Churn
 */
export interface LogisticChurnModel extends ChurnModelCommon {
  /** Model kind. */
  model: "logistic";
  /** The fit on standardised columns. @internal */
  fit: LogisticFit;
  /** Intercept on the original scale. */
  intercept: number;
  /** Coefficients on the original scale (per unit of each design feature). */
  coefficients: number[];
  /** Whether Newton's method met its convergence test. */
  converged: boolean;
}

/**
 * A fitted histogram gradient boosting model: P(churn) = 1 / (1 + exp(-(baseline + sum of the
 * trees' leaf values))).
 * @category Churn
 */
export interface BoostingChurnModel extends ChurnModelCommon {
  /** Model kind. */
  model: "boosting";
  /** Initial raw score: the log-odds of the training churn rate. */
  baseline: number;
  /** The trees, in boosting order. */
  trees: BoostingTree[];
  /** Learning rate used (already applied to the leaf values). */
  learningRate: number;
  /** Whether early stopping was used; the rows held out for it; whether it stopped before `maxIter`. */
  earlyStopping: {
    /** Early stopping was on. */
    used: boolean;
    /** Rows held out for validation (0 when not used). */
    validationRows: number;
    /** Stopped before `maxIter`. */
    stopped: boolean;
    /** Validation log-loss before the first tree and after each tree ([] when not used). */
    validationLoss: number[];
  };
}

/**
 * One model per group (see `groupColumn`), with a model trained on all rows for the rest.
 * @category Churn
 */
export interface GroupedChurnModel {
  /** Format tag checked when scoring. */
  format: "churn-model/1";
  /** Model kind. */
  model: "grouped";
  /** Label column. */
  label: string;
  /** The group column. */
  groupColumn: string;
  /** Group value (as a string) and its model. */
  groups: {
    /** The group value. */
    group: string;
    /** Its model. */
    model: SingleChurnModel;
  }[];
  /** Model for rows of other groups (small, one-class or unseen). */
  fallback: SingleChurnModel;
  /** Training rows. */
  trainingRows: number;
  /** Churn rate of the training rows. */
  churnRate: number;
}

/**
 * A model from one training set.
 * @category Churn
 */
export type SingleChurnModel = TreeChurnModel | ForestChurnModel | LogisticChurnModel | BoostingChurnModel;

/**
 * Any fitted churn model: plain JSON, `JSON.parse(JSON.stringify(model))` scores identically.
 * @category Churn
 */
export type ChurnModel = SingleChurnModel | GroupedChurnModel;

function checkInt(fn: string, name: string, v: unknown, min: number): void {
  if (!(typeof v === "number" && (Number.isInteger(v) || v === Infinity) && v >= min)) throw new InvalidOptionError(fn, name, v, `an integer >= ${min}`);
}

function checkNum(fn: string, name: string, v: unknown, min: number): void {
  if (!(typeof v === "number" && Number.isFinite(v) && v >= min)) throw new InvalidOptionError(fn, name, v, `a finite number >= ${min}`);
}

/**
 * Train a churn classifier on a feature table (for instance the rows of `churnDataset`).
 *
 * @remarks
 * Encoding: a column with any string value is categorical and becomes one 0/1 indicator per
 * training level (`plan=gold`); booleans in a numeric column are 0/1. At scoring time an unseen
 * or missing category is 0 in every indicator. Missing numbers (`null`, `undefined`, `NaN`):
 * a tree split sends them to the side that fits the training rows best (or to the larger child
 * when the node had none), and may split "missing vs present"; the logistic model imputes the
 * training mean.
 *
 * - `"tree"`: CART (Breiman et al. 1984). Each node takes the split minimising the weighted
 *   child impurity (Gini 2p(1-p) or entropy; with `criterion: "gainRatio"` C4.5's choice: each
 *   feature's split of largest information gain, then the largest gain ratio among the features
 *   of at least average gain), thresholds at midpoints between consecutive
 *   distinct training values as scikit-learn, subject to `minSamplesLeaf`, `minSamplesSplit`,
 *   `maxDepth` and `minImpurityDecrease` (N_t / N * (i_t - N_L/N_t i_L - N_R/N_t i_R)). Leaf
 *   probability = weighted churn share of its training rows. Features with more than `maxBins`
 *   distinct values are split at quantile cuts (histogram CART).
 * - `"forest"`: `trees` CART trees, each on a bootstrap sample drawn with the seeded generator,
 *   trying `mtry` random features per split; score = mean leaf probability; `oobAuc` from
 *   out-of-bag scores; importance = mean impurity decrease (Breiman 2001).
 * - `"logistic"`: columns standardised inside the model; minimises sum logloss + l2/2 |b|^2 +
 *   l1 |b|_1 (intercept free) by Newton/IRLS with step halving (proximal coordinate descent for
 *   L1), stopping when no coefficient moves more than `tol`. With `l2: 1` this is
 *   scikit-learn's `LogisticRegression(C=1)` after `StandardScaler`. Constant columns get 0.
 * - `"boosting"`: histogram gradient boosting on log-loss with scikit-learn's
 *   `HistGradientBoostingClassifier` defaults: 255 quantile bins, leaf-wise trees of at most
 *   `maxLeafNodes` (31) leaves with `minSamplesLeaf` (20) rows, `learningRate` 0.1, `maxIter` 100,
 *   native missing values and categorical splits, early stopping "auto" (on above 10,000 rows:
 *   10% seeded stratified validation rows, 10 iterations without a `tol` (1e-7) improvement);
 *   importance = share of split gain. See `docs/churn.md`.
 *
 * @param rows - feature rows with a label column (not modified).
 * @param options - see {@link TrainChurnModelOptions}.
 * @returns a plain-JSON {@link ChurnModel}.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when the rows hold one class only (or none).
 * @throws {@link InvalidRecordError} for a bad label or feature value.
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ recency: r * 30, churned: r > 3 }));
 * const model = trainChurnModel(rows, { model: "tree", maxDepth: 1 });
 * churnRules(model).map((r) => r.text);
 * //=> ["recency > 105 -> churn 1 (n=3)", "recency <= 105 -> churn 0 (n=3)"]
 * ```
 * @example
 * ```ts
 * // boosting: 20 trees of learning rate 0.1 move the score from 0.5 towards each side of 49.5
 * const rows = Array.from({ length: 100 }, (_, i) => ({ recency: i, churned: i >= 50 }));
 * const model = trainChurnModel(rows, { model: "boosting", maxIter: 20 });
 * scoreChurn(model, [{ recency: 10 }, { recency: 90 }]).map((p) => p.toFixed(3));
 * //=> ["0.066", "0.934"]
 * ```
 * @category Churn
 */
export function trainChurnModel(rows: readonly ChurnRow[], options: TrainChurnModelOptions = {}): ChurnModel {
  const fn = "trainChurnModel";
  const o = withDefaults(TRAIN_DEFAULTS, options) as Resolved;
  checkModelKind(fn, o.model);
  if (!Array.isArray(rows)) throw new InvalidOptionError(fn, "rows", rows, "an array of feature rows");
  if (rows.length === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no training rows`);
  checkInt(fn, "minGroupSize", o.minGroupSize, 1);
  if (o.groupColumn !== undefined) return trainGrouped(rows, o, fn);
  return trainSingle(rows, o, fn);
}

/** Options merged with the defaults. @internal */
export type Resolved = Omit<TrainChurnModelOptions, keyof typeof TRAIN_DEFAULTS> & { -readonly [K in keyof typeof TRAIN_DEFAULTS]: NonNullable<TrainChurnModelOptions[K]> };

function trainGrouped(rows: readonly ChurnRow[], o: Resolved, fn: string): GroupedChurnModel {
  const col = o.groupColumn!;
  const exclude = [...o.exclude, col];
  const inner: Resolved = { ...o, groupColumn: undefined, exclude, features: o.features?.filter((f) => f !== col) };
  const fallback = trainSingle(rows, inner, fn);
  const byGroup = new Map<string, ChurnRow[]>();
  for (const r of rows) {
    const key = String(r[col] ?? "");
    let list = byGroup.get(key);
    if (!list) byGroup.set(key, (list = []));
    list.push(r);
  }
  const groups: { group: string; model: SingleChurnModel }[] = [];
  for (const [group, list] of [...byGroup.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (list.length < o.minGroupSize) continue;
    const y = readLabels(list, o.label, o.positiveLabel, fn);
    let pos = 0;
    for (let i = 0; i < y.length; i++) pos += y[i];
    if (pos === 0 || pos === y.length) continue;
    groups.push({ group, model: trainSingle(list, inner, fn) });
  }
  return { format: "churn-model/1", model: "grouped", label: o.label, groupColumn: col, groups, fallback, trainingRows: rows.length, churnRate: fallback.churnRate };
}

function trainSingle(rows: readonly ChurnRow[], o: Resolved, fn: string): SingleChurnModel {
  const features = resolveFeatures(rows, o.features, [...o.exclude, o.label], fn);
  if (features.includes(o.label)) throw new InvalidOptionError(fn, "features", features, `feature columns without the label "${o.label}"`);
  const y = readLabels(rows, o.label, o.positiveLabel, fn);
  requireBothClasses(y, fn);
  const columns = inferSpecs(rows, features, o.categorical, fn);
  return trainDesign(encodeRows(rows, columns, fn), columns, y, o, fn);
}

/**
 * Train one model on an encoded design: the step shared by the record API and the columnar
 * one (`trainChurnModelColumns`), so both give the same model for the same numbers.
 * @internal
 */
export function trainDesign(design: Design, columns: ColumnSpec[], y: Uint8Array, o: Resolved, fn: string): SingleChurnModel {
  const n = design.n;
  const weight = new Float64Array(n).fill(1);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  if (o.classWeight !== undefined) {
    let w1: number;
    let w0: number;
    if (o.classWeight === "balanced") {
      w1 = n / (2 * pos);
      w0 = n / (2 * (n - pos));
    } else if (typeof o.classWeight === "object" && o.classWeight !== null) {
      w1 = o.classWeight.churned;
      w0 = o.classWeight.retained;
      checkNum(fn, "classWeight.churned", w1, 0);
      checkNum(fn, "classWeight.retained", w0, 0);
      if (w1 <= 0 || w0 <= 0) throw new InvalidOptionError(fn, "classWeight", o.classWeight, "positive weights");
    } else throw new InvalidOptionError(fn, "classWeight", o.classWeight, '"balanced" or { churned, retained }');
    for (let i = 0; i < n; i++) weight[i] = y[i] ? w1 : w0;
  }
  const common = { format: "churn-model/1" as const, label: o.label, columns, featureNames: design.names, trainingRows: n, churnRate: pos / n };
  const p = design.cols.length;

  if (o.model === "logistic") {
    checkNum(fn, "l2", o.l2, 0);
    checkNum(fn, "l1", o.l1, 0);
    checkInt(fn, "maxIter", o.maxIter, 1);
    const tol = options(o.tol, 1e-8);
    if (!(typeof tol === "number" && tol > 0)) throw new InvalidOptionError(fn, "tol", tol, "a positive number");
    const fit = fitLogistic(design.cols, y, weight, { l2: o.l2, l1: o.l1, maxIter: o.maxIter, tol });
    if (!Number.isFinite(fit.intercept) || fit.coef.some((c) => !Number.isFinite(c))) {
      throw new AnalyticsError("NOT_CONVERGED", `${fn}: the logistic fit diverged (separable classes?); use a positive "l2"`);
    }
    const coefficients = fit.coef.map((c, j) => (fit.sd[j] > 0 ? c / fit.sd[j] : 0));
    let intercept = fit.intercept;
    for (let j = 0; j < p; j++) if (fit.sd[j] > 0) intercept -= (fit.coef[j] * fit.mean[j]) / fit.sd[j];
    const importance = normalise(fit.coef.map((c) => Math.abs(c)));
    return { ...common, model: "logistic", fit, intercept, coefficients, converged: fit.converged, importance };
  }

  if (o.model === "boosting") return trainBoosting(design, columns, y, o, fn, common);
  const forest = o.model === "forest";
  const maxDepth = options(o.maxDepth, forest ? Infinity : 5);
  checkInt(fn, "maxDepth", maxDepth, 0);
  const minSamplesLeaf = options(o.minSamplesLeaf, MIN_SAMPLES_LEAF);
  checkInt(fn, "minSamplesLeaf", minSamplesLeaf, 1);
  checkInt(fn, "minSamplesSplit", o.minSamplesSplit, 2);
  checkNum(fn, "minImpurityDecrease", o.minImpurityDecrease, 0);
  checkMaxBins(fn, o.maxBins);
  checkCriterion(fn, o.criterion);
  const binned = binColumns(design.cols, o.maxBins);
  const importanceRaw = new Float64Array(p);
  const params: GrowParams = {
    criterion: o.criterion,
    maxDepth,
    minSamplesLeaf,
    minSamplesSplit: o.minSamplesSplit,
    minImpurityDecrease: o.minImpurityDecrease,
    mtry: p,
  };
  if (!forest) {
    const sample = new Int32Array(n);
    for (let i = 0; i < n; i++) sample[i] = i;
    const tree = growTree(binned, y, weight, sample, params, null, importanceRaw);
    return { ...common, model: "tree", tree, importance: normalise(Array.from(importanceRaw)) };
  }
  checkInt(fn, "trees", o.trees, 1);
  if (o.trees > MAX_TREES) throw new InvalidOptionError(fn, "trees", o.trees, `an integer in [1, ${MAX_TREES}] (each tree costs a full CART fit and its nodes in the model)`);
  const mtry = o.mtry ?? Math.max(1, Math.floor(Math.sqrt(p)));
  checkInt(fn, "mtry", mtry, 1);
  params.mtry = Math.min(mtry, p);
  const rng = createRng(o.seed);
  const trees: TreeNodes[] = [];
  const oobSum = new Float64Array(n);
  const oobCount = new Int32Array(n);
  const inBag = new Uint8Array(n);
  const sample = new Int32Array(n);
  for (let t = 0; t < o.trees; t++) {
    drawBootstrap(rng, sample, inBag);
    const tree = growTree(binned, y, weight, sample, params, rng, importanceRaw);
    trees.push(tree);
    for (let i = 0; i < n; i++) {
      if (inBag[i]) continue;
      oobSum[i] += tree.prob[leafOf(tree, design.cols, i)];
      oobCount[i]++;
    }
  }
  const oy: number[] = [];
  const os: number[] = [];
  for (let i = 0; i < n; i++) if (oobCount[i] > 0) {
    oy.push(y[i]);
    os.push(oobSum[i] / oobCount[i]);
  }
  const oobAuc = oy.length ? rocAucBinary(Uint8Array.from(oy), os) : null;
  return { ...common, model: "forest", trees, oobAuc, importance: normalise(Array.from(importanceRaw)) };
}

/** Throw unless `criterion` names a split criterion. @internal */
export function checkCriterion(fn: string, criterion: unknown): asserts criterion is SplitCriterion {
  if (criterion !== "gini" && criterion !== "entropy" && criterion !== "gainRatio") throw new InvalidOptionError(fn, "criterion", criterion, '"gini", "entropy" or "gainRatio"');
}

/** Throw unless `model` names a model kind. @internal */
export function checkModelKind(fn: string, model: unknown): void {
  if (model !== "tree" && model !== "forest" && model !== "logistic" && model !== "boosting") throw new InvalidOptionError(fn, "model", model, '"tree", "forest", "logistic" or "boosting"');
}

function trainBoosting(design: Design, columns: ColumnSpec[], y: Uint8Array, o: Resolved, fn: string, common: Omit<ChurnModelCommon, "importance">): BoostingChurnModel {
  if (o.classWeight !== undefined) throw new InvalidOptionError(fn, "classWeight", o.classWeight, 'not set for "boosting" (its probabilities are meant to be calibrated; rank with them as they are)');
  const params = boostingParams(fn, o, columns, design.n);
  const fit = fitBoosting(design.cols, columns, y, params);
  // a categorical column's gain is shared equally by its indicators
  const gain = Array.from(fit.gain);
  let j = 0;
  for (const c of columns) {
    if (c.kind === "numeric") {
      j++;
      continue;
    }
    const L = c.levels.length;
    const share = gain[j] / L;
    for (let k = 0; k < L; k++) gain[j + k] = share;
    j += L;
  }
  return {
    ...common,
    model: "boosting",
    baseline: fit.baseline,
    trees: fit.trees,
    learningRate: params.learningRate,
    earlyStopping: { used: params.earlyStopping, validationRows: fit.validationRows, stopped: fit.earlyStopped, validationLoss: fit.validationLoss ?? [] },
    importance: normalise(gain),
  };
}

function options(v: number | undefined, dflt: number): number {
  return v === undefined ? dflt : v;
}

function normalise(v: number[]): number[] {
  let s = 0;
  for (const x of v) s += x;
  return s > 0 ? v.map((x) => x / s) : v.map(() => 0);
}

/**
 * Throw unless `model` is a fitted churn model: the format tag, then the whole schema
 * ({@link validateChurnModel}), so a model loaded from JSON is checked before scoring.
 * @internal
 */
export function checkModel(model: unknown, fn: string): asserts model is ChurnModel {
  const m = model as { format?: unknown; model?: unknown } | null;
  if (m === null || typeof m !== "object" || m.format !== "churn-model/1" || !["tree", "forest", "logistic", "boosting", "grouped"].includes(String(m.model))) {
    throw new InvalidOptionError(fn, "model", typeof model === "object" ? "(not a churn model)" : model, 'a model from trainChurnModel (format "churn-model/1")');
  }
  validateChurnModel(model, fn);
}

/** Probabilities of encoded rows under a single model. @internal */
export function scoreDesign(model: SingleChurnModel, design: Design): Float64Array {
  const n = design.n;
  const out = new Float64Array(n);
  if (model.model === "tree") {
    for (let i = 0; i < n; i++) out[i] = model.tree.prob[leafOf(model.tree, design.cols, i)];
  } else if (model.model === "forest") {
    for (const t of model.trees) for (let i = 0; i < n; i++) out[i] += t.prob[leafOf(t, design.cols, i)];
    for (let i = 0; i < n; i++) out[i] /= model.trees.length;
  } else if (model.model === "boosting") {
    const raw = boostingRaw(model.trees, model.baseline, model.columns, design.cols, n);
    for (let i = 0; i < n; i++) out[i] = sigmoid(raw[i]);
  } else logisticScores(model.fit, design.cols, out);
  return out;
}

/** Indices of rows per submodel of a grouped model (fallback under -1). @internal */
export function routeGroups(model: GroupedChurnModel, rows: readonly ChurnRow[]): Map<number, number[]> {
  const at = new Map<string, number>();
  model.groups.forEach((g, k) => at.set(g.group, k));
  const out = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const k = at.get(String(rows[i][model.groupColumn] ?? "")) ?? -1;
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(i);
  }
  return out;
}

/**
 * Churn probability of each row under a fitted model (also one loaded back from JSON).
 *
 * @remarks
 * Rows are encoded with the model's stored encoding (see {@link trainChurnModel}); columns the
 * model does not use are ignored. A grouped model scores each row with its group's model, or
 * with the model trained on all rows when the group had none.
 *
 * @param model - a model from {@link trainChurnModel}, or its JSON parsed back.
 * @param rows - feature rows (the label may be absent).
 * @returns one probability in [0, 1] per row, in row order.
 * @throws {@link InvalidOptionError} when `model` is not a churn model, or a field of it breaks the
 * schema (its `option` is the field's path, e.g. `model.tree.left[0]`: a cyclic or out-of-range tree,
 * a probability outside [0, 1], arrays of the wrong length).
 * @throws {@link InvalidRecordError} for a value of the wrong kind in a model column.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ recency: r * 30, churned: r > 3 }));
 * const model = JSON.parse(JSON.stringify(trainChurnModel(rows, { maxDepth: 1 })));
 * scoreChurn(model, [{ recency: 10 }, { recency: 200 }]);
 * //=> [0, 1]
 * ```
 * @category Churn
 */
export function scoreChurn(model: ChurnModel, rows: readonly ChurnRow[]): number[] {
  const fn = "scoreChurn";
  checkModel(model, fn);
  if (!Array.isArray(rows)) throw new InvalidOptionError(fn, "rows", rows, "an array of feature rows");
  if (model.model !== "grouped") return Array.from(scoreDesign(model, encodeRows(rows, model.columns, fn)));
  const out = new Array<number>(rows.length).fill(0);
  for (const [k, idx] of routeGroups(model, rows)) {
    const sub = k < 0 ? model.fallback : model.groups[k].model;
    const s = scoreDesign(sub, encodeRows(idx.map((i) => rows[i]), sub.columns, fn));
    idx.forEach((i, j) => (out[i] = s[j]));
  }
  return out;
}

/**
 * One leaf of a tree as a readable rule.
 * @category Churn
 */
export interface ChurnRule {
  /** Group value for a grouped model; null otherwise. */
  group: string | null;
  /** Conditions on the path, tightest bound per feature, in path order. */
  conditions: string[];
  /** Churn probability of the leaf. */
  probability: number;
  /** Training rows in the leaf. */
  n: number;
  /** `cond AND cond -> churn p (n=...)`. */
  text: string;
}

/**
 * Options of {@link churnRules}.
 * @category Churn
 */
export interface ChurnRulesOptions {
  /** Keep only leaves with at least this many training rows. Default 1. */
  minRows?: number;
}

/** Readable rule text of a leaf. @internal */
export function leafRule(model: TreeChurnModel, tree: TreeNodes, leaf: number): string[] {
  const indicator = model.featureNames.map((_, j) => isIndicator(model, j));
  const canMiss = missingByFeature(model);
  return pathConditions(tree, leaf, model.featureNames, indicator, canMiss);
}

function isIndicator(model: ChurnModelCommon, j: number): boolean {
  let k = 0;
  for (const c of model.columns) {
    const width = c.kind === "numeric" ? 1 : c.levels.length;
    if (j < k + width) return c.kind === "categorical";
    k += width;
  }
  return false;
}

function missingByFeature(model: ChurnModelCommon): boolean[] {
  const out: boolean[] = [];
  for (const c of model.columns) {
    if (c.kind === "numeric") out.push(c.hasMissing);
    else for (let l = 0; l < c.levels.length; l++) out.push(false);
  }
  return out;
}

/** Format one rule line. @internal */
export function ruleText(conditions: readonly string[], p: number, n: number): string {
  const lhs = conditions.length ? conditions.join(" AND ") : "(all customers)";
  return `${lhs} -> churn ${fmtRuleNumber(Number(p.toFixed(2)))} (n=${n})`;
}

/**
 * The leaves of a tree model (or of each group's tree) as readable rules, highest churn
 * probability first: `recency_ratio > 2.1 AND orders_last_90d <= 1 -> churn 0.83 (n=412)`.
 *
 * @remarks
 * Conditions along a path are merged per feature into the tightest bounds; one-hot columns
 * read `plan = gold` / `plan != gold`; `(x <= t or x is missing)` appears when missing values
 * of a feature that had missing values in training follow the branch. Numbers are shown with
 * four significant digits; the model itself keeps full precision.
 *
 * @param model - a `"tree"` model, or a grouped model of trees.
 * @param options - see {@link ChurnRulesOptions}.
 * @returns the rules, sorted by probability (descending), then rows (descending).
 * @throws {@link InvalidOptionError} for a forest or logistic model (no single rule set).
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ recency: r * 30, churned: r > 3 }));
 * churnRules(trainChurnModel(rows, { maxDepth: 1 }))[0].conditions;
 * //=> ["recency > 105"]
 * ```
 * @category Churn
 */
export function churnRules(model: ChurnModel, options: ChurnRulesOptions = {}): ChurnRule[] {
  const fn = "churnRules";
  checkModel(model, fn);
  const minRows = options.minRows ?? 1;
  checkInt(fn, "minRows", minRows, 1);
  const fromTree = (m: SingleChurnModel, group: string | null): ChurnRule[] => {
    if (m.model !== "tree") throw new InvalidOptionError(fn, "model", m.model, 'a "tree" model (forests and logistic models have no single rule set; see importance or coefficients)');
    const out: ChurnRule[] = [];
    const t = m.tree;
    for (let k = 0; k < t.feature.length; k++) {
      if (t.feature[k] >= 0 || t.n[k] < minRows) continue;
      const conditions = leafRule(m, t, k);
      const text = (group !== null ? `[${group}] ` : "") + ruleText(conditions, t.prob[k], t.n[k]);
      out.push({ group, conditions, probability: t.prob[k], n: t.n[k], text });
    }
    return out.sort((a, b) => b.probability - a.probability || b.n - a.n);
  };
  if (model.model !== "grouped") return fromTree(model, null);
  return [...model.groups.flatMap((g) => fromTree(g.model, g.group)), ...fromTree(model.fallback, "(other)")];
}

/**
 * Options of {@link crossValidateChurn}: the training options plus the folds.
 * @category Churn
 */
export interface CrossValidateChurnOptions extends TrainChurnModelOptions {
  /** Number of stratified folds. Default 5. */
  k?: number;
}

/**
 * Result of {@link crossValidateChurn}.
 * @category Churn
 */
export interface ChurnCrossValidation {
  /** Test ROC AUC per fold (null when a fold's test rows hold one class). */
  auc: (number | null)[];
  /** Mean of the non-null fold AUCs (null when none). */
  meanAuc: number | null;
  /** Sample standard deviation of the non-null fold AUCs (null below two). */
  sdAuc: number | null;
  /** Out-of-fold churn probability of every row, in input order. */
  scores: number[];
}

/**
 * Seeded stratified k-fold cross-validation of a churn model: train on k - 1 folds, score the
 * held-out fold, for each fold.
 *
 * @remarks
 * Folds from {@link stratifiedKFold} with the same `seed`; each fold's model is trained with
 * the given options (the forest's generator is seeded with `seed` + fold number). The
 * out-of-fold scores cover every row once, so `evaluateChurn(labels, result.scores)` gives a
 * pooled evaluation.
 *
 * @param rows - labelled feature rows (not modified).
 * @param options - training options plus `k`.
 * @returns fold AUCs, their mean and sd, and the out-of-fold scores.
 * @throws the errors of {@link trainChurnModel} and {@link stratifiedKFold}.
 * @example
 * ```ts
 * const rows = Array.from({ length: 40 }, (_, i) => ({ recency: i, churned: i >= 20 }));
 * const cv = crossValidateChurn(rows, { k: 4, maxDepth: 1 });
 * [cv.auc, cv.meanAuc];
 * //=> [[1, 0.9, 1, 1], 0.975]
 * ```
 * (A stump learned on three folds splits the perfectly separable rows at their training
 * boundary; in the second fold one held-out row lands in the other class's leaf and ties with
 * its rows, hence 0.9.)
 * @category Churn
 */
export function crossValidateChurn(rows: readonly ChurnRow[], options: CrossValidateChurnOptions = {}): ChurnCrossValidation {
  const { k = 5, ...train } = options;
  const seed = train.seed ?? TRAIN_DEFAULTS.seed;
  const folds = stratifiedKFold(rows, { k, seed, label: train.label ?? TRAIN_DEFAULTS.label, positiveLabel: train.positiveLabel });
  const y = readLabels(rows, train.label ?? TRAIN_DEFAULTS.label, train.positiveLabel, "crossValidateChurn");
  const scores = new Array<number>(rows.length).fill(0);
  const auc: (number | null)[] = [];
  folds.forEach((f, i) => {
    const m = trainChurnModel(f.train, { ...train, seed: typeof seed === "number" ? seed + i : `${seed}/${i}` });
    const s = scoreChurn(m, f.test);
    f.testIndex.forEach((r, j) => (scores[r] = s[j]));
    auc.push(rocAucBinary(Uint8Array.from(f.testIndex.map((r) => y[r])), s));
  });
  const ok = auc.filter((a): a is number => a !== null);
  const meanAuc = ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
  const sdAuc = ok.length >= 2 && meanAuc !== null ? Math.sqrt(ok.reduce((a, b) => a + (b - meanAuc) ** 2, 0) / (ok.length - 1)) : null;
  return { auc, meanAuc, sdAuc, scores };
}
