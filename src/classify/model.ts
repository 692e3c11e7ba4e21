/**
 * General classifiers with any number of classes: CART / C4.5-style trees, random forests,
 * histogram gradient boosting and naive Bayes, trained on rows or columns, predicting class
 * names (arbitrary strings) and class probabilities. The trees are the churn models' kernel
 * (`src/churn/tree.ts`) with K-class node histograms.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../core/random.js";
import { boostingMulticlassProba, fitBoostingMulticlass, type BoostingMulticlassFit, type BoostingTree } from "../churn/boosting.js";
import { boostingParams, checkMaxBins, type BoostingOptions } from "../churn/boostingOptions.js";
import { checkCriterion, type TreeModelOptions } from "../churn/model.js";
import type { ColumnSpec, Design } from "../churn/table.js";
import type { DictionaryColumn } from "../core/table.js";
import { binColumns, drawBootstrap, growClassTree, leafOf, type ClassTreeNodes, type GrowParams, type SplitCriterion } from "../churn/tree.js";
import { dataLength, encodeData, featureList, inferColumnSpecs, readClasses, type ClassifyData } from "./data.js";
import { fitNaiveBayes, naiveBayesProba, type NaiveBayesCategorical, type NaiveBayesGaussian } from "./naiveBayes.js";
import { validateClassifier } from "./validate.js";

/**
 * Model kinds of {@link trainClassifier}.
 * @category Classify
 */
export type ClassifierKind = "tree" | "forest" | "boosting" | "naiveBayes";

/**
 * Options of {@link trainClassifier}.
 * @category Classify
 */
export interface TrainClassifierOptions extends TreeModelOptions, BoostingOptions {
  /** Label column: its values (strings, numbers or booleans) are the class names. Default `"class"`. */
  label?: string;
  /** Feature columns. Default: every column of the first row (or every column of `columns`) except the label and `exclude`. */
  features?: readonly string[];
  /** Columns never used as features when `features` is not given. Default `["customerId"]`. */
  exclude?: readonly string[];
  /** Columns to treat as categorical even when numeric. Default none (a column with any string value is categorical). */
  categorical?: readonly string[];
  /** `"tree"` (CART / ID3 / C4.5 by `criterion`), `"forest"` (random forest), `"boosting"` (histogram gradient boosting, one tree per class per iteration) or `"naiveBayes"`. Default `"tree"`. */
  model?: ClassifierKind;
  /** Class weights for trees and forests: `"balanced"` (n / (K n_class)). Default none (all 1). */
  classWeight?: "balanced";
  /** Naive Bayes: variance smoothing, epsilon = varSmoothing x the largest variance of a numeric column (scikit-learn's `var_smoothing`); > 0. Default 1e-9. */
  varSmoothing?: number;
  /** Naive Bayes: additive (Laplace) smoothing of category counts (scikit-learn's `alpha`); > 0. Default 1. */
  alpha?: number;
}

/**
 * Defaults of {@link TrainClassifierOptions}. The options only boosting reads default in
 * `BOOSTING_DEFAULTS` (src/churn/boostingOptions.ts); `maxBins` and `seed`, which boosting shares
 * with the trees and forests, default here to the same values.
 * @internal
 */
export const CLASSIFIER_DEFAULTS = Object.freeze({
  label: "class",
  exclude: Object.freeze(["customerId"]) as readonly string[],
  categorical: Object.freeze([]) as readonly string[],
  model: "tree" as ClassifierKind,
  criterion: "gini" as SplitCriterion,
  minSamplesSplit: 2,
  minImpurityDecrease: 0,
  maxBins: 255,
  trees: 100,
  seed: 42 as Seed,
  varSmoothing: 1e-9,
  alpha: 1,
});

/** Fields of every fitted classifier. */
interface ClassifierCommon {
  /** Format tag checked when predicting. */
  format: "classifier/1";
  /** Label column the model was trained on. */
  label: string;
  /** Class names, in the order of every probability vector (numeric order when the labels were numbers, else string order). */
  classes: string[];
  /** How each input column is encoded. @internal */
  columns: ColumnSpec[];
  /** Design feature names: input columns, with `column=level` for each category level. */
  featureNames: string[];
  /** Training rows. */
  trainingRows: number;
  /** Training rows per class (order of `classes`). */
  classCounts: number[];
}

/**
 * A fitted K-class decision tree.
 * @category Classify
 */
export interface TreeClassifier extends ClassifierCommon {
  /** Model kind. */
  model: "tree";
  /** Split criterion used. */
  criterion: SplitCriterion;
  /** The tree as flat arrays. */
  tree: ClassTreeNodes;
  /** Impurity decrease per design feature, summing to 1 (0s for a one-leaf tree). */
  importance: number[];
}

/**
 * A fitted K-class random forest.
 * @category Classify
 */
export interface ForestClassifier extends ClassifierCommon {
  /** Model kind. */
  model: "forest";
  /** Split criterion used. */
  criterion: SplitCriterion;
  /** The trees. */
  trees: ClassTreeNodes[];
  /** Share of rows whose out-of-bag prediction (trees that did not see them) is their class; null when no row was out of bag. */
  oobAccuracy: number | null;
  /** Mean impurity decrease per design feature, summing to 1. */
  importance: number[];
}

/**
 * A fitted multi-class histogram gradient boosting model: P(class k) = softmax over classes of
 * `baseline[k]` + the leaf values of the k-th tree of every iteration.
 * @category Classify
 */
export interface BoostingClassifier extends ClassifierCommon {
  /** Model kind. */
  model: "boosting";
  /** Starting raw score per class (ln of its training share). */
  baseline: number[];
  /** Per iteration, one tree per class (learning rate applied to the leaf values). */
  trees: BoostingTree[][];
  /** Learning rate used. */
  learningRate: number;
  /** Whether early stopping was on, rows held out, whether it stopped early. */
  earlyStopping: {
    /** Early stopping was on. */
    used: boolean;
    /** Rows held out for validation (0 when not used). */
    validationRows: number;
    /** Stopped before `maxIter`. */
    stopped: boolean;
  };
  /** Split gain per design feature, summing to 1. */
  importance: number[];
}

/**
 * A fitted naive Bayes model (Gaussian for numeric columns, categorical for the others).
 * @category Classify
 */
export interface NaiveBayesClassifier extends ClassifierCommon {
  /** Model kind. */
  model: "naiveBayes";
  /** Class priors (training shares). */
  prior: number[];
  /** Variance smoothing epsilon added to every variance. */
  epsilon: number;
  /** One entry per numeric column. */
  gaussian: NaiveBayesGaussian[];
  /** One entry per categorical column. */
  categorical: NaiveBayesCategorical[];
}

/**
 * Any fitted classifier: plain JSON; `JSON.parse(JSON.stringify(model))` predicts identically.
 * @category Classify
 */
export type Classifier = TreeClassifier | ForestClassifier | BoostingClassifier | NaiveBayesClassifier;

type Resolved = TrainClassifierOptions & { -readonly [K in keyof typeof CLASSIFIER_DEFAULTS]: NonNullable<TrainClassifierOptions[K]> };

const MAX_TREES = 5000;

function checkInt(fn: string, name: string, v: unknown, min: number, max = Infinity): void {
  if (!(typeof v === "number" && (Number.isInteger(v) || v === Infinity) && v >= min && v <= max)) throw new InvalidOptionError(fn, name, v, max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
}

function positive(fn: string, name: string, v: unknown): void {
  if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) throw new InvalidOptionError(fn, name, v, "a finite number > 0");
}

function normalise(v: ArrayLike<number>): number[] {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return Array.from(v, (x) => (s > 0 ? x / s : 0));
}

/**
 * Train a classifier with any number of classes on rows or columns.
 *
 * @remarks
 * Encoding as the churn models: a column with any string value is categorical (one 0/1
 * indicator per training level for the trees; category counts for naive Bayes); missing values
 * (`null`, `undefined`, `NaN`) are routed by the trees to the better side and skipped by naive
 * Bayes. Class names are the label values as strings.
 *
 * - `"tree"`: CART (Breiman et al. 1984) with K-class node statistics. `criterion` `"gini"`
 *   minimises the weighted child Gini impurity 1 - sum p_k^2; `"entropy"` maximises the
 *   information gain H(node) - sum (w_child / w) H(child), H = -sum p_k log2 p_k (ID3, Quinlan
 *   1986); `"gainRatio"` is C4.5's choice (Quinlan 1993): each feature's split of largest gain,
 *   then the largest gain / split information among the features of at least average gain.
 *   Splits are binary (a category is tested as `col = level`); thresholds at midpoints of
 *   consecutive training values. No pruning (`maxDepth`, `minSamplesLeaf`). Leaf
 *   probabilities are the weighted class shares; the predicted class is the most probable
 *   (the first in `classes` order on a tie), as scikit-learn's `DecisionTreeClassifier`.
 * - `"forest"`: `trees` such trees on seeded bootstrap samples, `mtry` random features per
 *   split; probabilities are the trees' mean (Breiman 2001); `oobAccuracy` from out-of-bag votes.
 * - `"boosting"`: histogram gradient boosting on the multinomial log-loss, one tree per class per
 *   iteration (scikit-learn's `HistGradientBoostingClassifier`; `src/churn/boosting.ts`).
 * - `"naiveBayes"`: P(k | x) proportional to prior_k x prod_j P(x_j | k): a normal density with the
 *   class mean and variance (plus epsilon = `varSmoothing` x the largest column variance) for a
 *   numeric column (scikit-learn's `GaussianNB`), (count + alpha) / (class count + alpha L) for a
 *   categorical column with L levels (`CategoricalNB`); a missing value or an unseen level adds
 *   nothing.
 *
 * @param data - rows, or `{ columns }` (see {@link ClassifyData}); not modified.
 * @param options - see {@link TrainClassifierOptions}.
 * @returns a plain-JSON {@link Classifier}.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when there are no rows or the label holds one class only.
 * @throws {@link InvalidRecordError} for a missing label or a bad feature value (row and field named).
 * @throws {@link InvalidOptionError} for a bad option or missing column.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ spend: r * 10, segment: r <= 2 ? "low" : r <= 4 ? "mid" : "high" }));
 * const model = trainClassifier(rows, { label: "segment", maxDepth: 2 });
 * [model.classes, predictClass(model, [{ spend: 12 }, { spend: 38 }, { spend: 70 }])];
 * //=> [["high", "low", "mid"], ["low", "mid", "high"]]
 * ```
 * @category Classify
 */
export function trainClassifier(data: ClassifyData, options: TrainClassifierOptions = {}): Classifier {
  const fn = "trainClassifier";
  const o = withDefaults(CLASSIFIER_DEFAULTS, options) as Resolved;
  if (o.model !== "tree" && o.model !== "forest" && o.model !== "boosting" && o.model !== "naiveBayes") throw new InvalidOptionError(fn, "model", o.model, '"tree", "forest", "boosting" or "naiveBayes"');
  if (typeof o.label !== "string") throw new InvalidOptionError(fn, "label", o.label, "a column name");
  const n = dataLength(fn, data);
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no training rows`);
  const features = featureList(fn, data, o.features, [...o.exclude, o.label], n);
  if (features.includes(o.label)) throw new InvalidOptionError(fn, "features", features, `feature columns without the label "${o.label}"`);
  const { y, classes } = readClasses(fn, data, o.label, n);
  const columns = inferColumnSpecs(fn, data, features, o.categorical, n);
  const design = encodeData(fn, data, columns);
  return trainDesignClassifier(design, columns, y, classes, o, fn);
}

/** Train on an encoded design with class codes. @internal */
export function trainDesignClassifier(design: Design, columns: ColumnSpec[], y: Int32Array, classes: string[], o: Resolved, fn: string): Classifier {
  const n = design.n;
  const K = classes.length;
  const classCounts = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) classCounts[y[i]]++;
  const common = { format: "classifier/1" as const, label: o.label, classes, columns, featureNames: design.names, trainingRows: n, classCounts };
  const p = design.cols.length;
  if (o.model === "naiveBayes") {
    positive(fn, "varSmoothing", o.varSmoothing);
    positive(fn, "alpha", o.alpha);
    const nb = fitNaiveBayes(design.cols, columns, y, K, o.varSmoothing, o.alpha);
    return { ...common, model: "naiveBayes", prior: nb.prior, epsilon: nb.epsilon, gaussian: nb.gaussian, categorical: nb.categorical };
  }
  if (o.model === "boosting") {
    const params = boostingParams(fn, o, columns, n);
    const fit = fitBoostingMulticlass(design.cols, columns, y, K, params);
    return {
      ...common,
      model: "boosting",
      baseline: Array.from(fit.baseline),
      trees: fit.trees,
      learningRate: params.learningRate,
      earlyStopping: { used: params.earlyStopping, validationRows: fit.validationRows, stopped: fit.earlyStopped },
      importance: normalise(fit.gain),
    };
  }
  checkCriterion(fn, o.criterion);
  const forest = o.model === "forest";
  const maxDepth = o.maxDepth ?? (forest ? Infinity : 5);
  checkInt(fn, "maxDepth", maxDepth, 0);
  const minSamplesLeaf = o.minSamplesLeaf ?? 1;
  checkInt(fn, "minSamplesLeaf", minSamplesLeaf, 1);
  checkInt(fn, "minSamplesSplit", o.minSamplesSplit, 2);
  checkMaxBins(fn, o.maxBins);
  if (!(typeof o.minImpurityDecrease === "number" && Number.isFinite(o.minImpurityDecrease) && o.minImpurityDecrease >= 0)) throw new InvalidOptionError(fn, "minImpurityDecrease", o.minImpurityDecrease, "a finite number >= 0");
  const weight = new Float64Array(n).fill(1);
  if (o.classWeight !== undefined) {
    if (o.classWeight !== "balanced") throw new InvalidOptionError(fn, "classWeight", o.classWeight, '"balanced"');
    for (let i = 0; i < n; i++) weight[i] = n / (K * classCounts[y[i]]);
  }
  const binned = binColumns(design.cols, o.maxBins);
  const importanceRaw = new Float64Array(p);
  const params: GrowParams = { criterion: o.criterion, maxDepth, minSamplesLeaf, minSamplesSplit: o.minSamplesSplit, minImpurityDecrease: o.minImpurityDecrease, mtry: p };
  if (!forest) {
    const sample = new Int32Array(n);
    for (let i = 0; i < n; i++) sample[i] = i;
    const tree = growClassTree(binned, y, K, weight, sample, params, null, importanceRaw);
    return { ...common, model: "tree", criterion: o.criterion, tree, importance: normalise(importanceRaw) };
  }
  checkInt(fn, "trees", o.trees, 1, MAX_TREES);
  const mtry = o.mtry ?? Math.max(1, Math.floor(Math.sqrt(p)));
  checkInt(fn, "mtry", mtry, 1);
  params.mtry = Math.min(mtry, p);
  const rng = createRng(o.seed);
  const trees: ClassTreeNodes[] = [];
  const oob = new Float64Array(n * K);
  const oobCount = new Int32Array(n);
  const inBag = new Uint8Array(n);
  const sample = new Int32Array(n);
  for (let t = 0; t < o.trees; t++) {
    drawBootstrap(rng, sample, inBag);
    const tree = growClassTree(binned, y, K, weight, sample, params, rng, importanceRaw);
    trees.push(tree);
    for (let i = 0; i < n; i++) {
      if (inBag[i]) continue;
      const leaf = leafOf(tree, design.cols, i);
      for (let k = 0; k < K; k++) oob[i * K + k] += tree.proba[leaf * K + k];
      oobCount[i]++;
    }
  }
  let seen = 0;
  let right = 0;
  for (let i = 0; i < n; i++) {
    if (oobCount[i] === 0) continue;
    seen++;
    if (argmax(oob, i * K, K) === y[i]) right++;
  }
  return { ...common, model: "forest", criterion: o.criterion, trees, oobAccuracy: seen > 0 ? right / seen : null, importance: normalise(importanceRaw) };
}

/** Index of the largest of v[o..o+K) (the first on a tie). */
function argmax(v: ArrayLike<number>, o: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (v[o + k] > v[o + best]) best = k;
  return best;
}

/** Class probabilities (n x K, row-major) of an encoded design. @internal */
export function probaDesign(model: Classifier, design: Design): Float64Array {
  const n = design.n;
  const K = model.classes.length;
  if (model.model === "naiveBayes") return naiveBayesProba(model, model.columns, design.cols, n);
  if (model.model === "boosting") {
    const fit: BoostingMulticlassFit = { nClasses: K, baseline: Float64Array.from(model.baseline), trees: model.trees, gain: new Float64Array(design.cols.length), validationLoss: null, validationRows: 0, earlyStopped: false };
    return boostingMulticlassProba(fit, model.columns, design.cols, n);
  }
  const out = new Float64Array(n * K);
  const trees = model.model === "tree" ? [model.tree] : model.trees;
  for (const t of trees) {
    for (let i = 0; i < n; i++) {
      const leaf = leafOf(t, design.cols, i);
      for (let k = 0; k < K; k++) out[i * K + k] += t.proba[leaf * K + k];
    }
  }
  if (trees.length > 1) for (let c = 0; c < out.length; c++) out[c] /= trees.length;
  return out;
}

/** Check a model (format tag, then the whole schema) and encode the data with its columns. */
function prepare(fn: string, model: Classifier, data: ClassifyData): Design {
  validateClassifier(model, fn);
  dataLength(fn, data);
  return encodeData(fn, data, model.columns);
}

/**
 * Class probabilities of each row under a fitted classifier (also one loaded back from JSON).
 *
 * @remarks
 * Rows are encoded with the model's stored encoding; columns the model does not use are
 * ignored. An unseen category is 0 in every indicator for the trees and adds nothing for naive
 * Bayes; a missing numeric value follows the learned side in a tree and is skipped by naive Bayes.
 *
 * @param model - a model from {@link trainClassifier}, or its JSON parsed back.
 * @param data - rows or `{ columns }` (the label may be absent).
 * @returns one array per row of K probabilities summing to 1, in the order of `model.classes`.
 * @throws {@link InvalidOptionError} when `model` is not a classifier or breaks its schema (the option names the field).
 * @throws {@link InvalidRecordError} for a value of the wrong kind in a model column.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4].map((r) => ({ spend: r, tier: r <= 2 ? "a" : "b" }));
 * const model = trainClassifier(rows, { label: "tier", model: "naiveBayes" });
 * // spend 2.5 is midway between the class means 1.5 and 3.5 with equal variances
 * predictProba(model, [{ spend: 2.5 }]);
 * //=> [[0.5, 0.5]]
 * ```
 * @category Classify
 */
export function predictProba(model: Classifier, data: ClassifyData): number[][] {
  const fn = "predictProba";
  const design = prepare(fn, model, data);
  const K = model.classes.length;
  const p = probaDesign(model, design);
  const out: number[][] = [];
  for (let i = 0; i < design.n; i++) out.push(Array.from(p.subarray(i * K, i * K + K)));
  return out;
}

/**
 * The most probable class of each row (the first in `model.classes` order on a tie).
 *
 * @param model - a model from {@link trainClassifier}, or its JSON parsed back.
 * @param data - rows or `{ columns }` (the label may be absent).
 * @returns one class name per row.
 * @throws the errors of {@link predictProba}.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ visits: r, stage: r <= 3 ? "new" : "loyal" }));
 * const model = JSON.parse(JSON.stringify(trainClassifier(rows, { label: "stage", model: "forest", trees: 10, seed: 1 })));
 * predictClass(model, { columns: { visits: [1, 6] } });
 * //=> ["new", "loyal"]
 * ```
 * @category Classify
 */
export function predictClass(model: Classifier, data: ClassifyData): string[] {
  const fn = "predictClass";
  const design = prepare(fn, model, data);
  const K = model.classes.length;
  const p = probaDesign(model, design);
  const out: string[] = [];
  for (let i = 0; i < design.n; i++) out.push(model.classes[argmax(p, i * K, K)]);
  return out;
}

/**
 * Result of {@link predictColumns}.
 * @category Classify
 */
export interface ClassPredictionColumns {
  /** Predicted class of every row as a dictionary-encoded column: `values` are `model.classes`, `codes[i]` the class index of row i. */
  predicted: DictionaryColumn<string>;
  /** Class probabilities, n x K row-major: row i's class k at `i * K + k` (K = `model.classes.length`). */
  proba: Float64Array;
}

/**
 * Predictions as columns, for large tables: the predicted class as a dictionary-encoded column
 * and the probabilities as one row-major `Float64Array` (no object or array per row).
 *
 * @remarks The same numbers as {@link predictProba} and {@link predictClass}, which are adapters
 * over the same scoring code.
 * @param model - a model from {@link trainClassifier}, or its JSON parsed back.
 * @param data - rows or `{ columns }`.
 * @returns the predicted class codes (with the class names) and the probabilities.
 * @throws the errors of {@link predictProba}.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ spend: r * 10, segment: r <= 2 ? "low" : r <= 4 ? "mid" : "high" }));
 * const model = trainClassifier(rows, { label: "segment", maxDepth: 2 });
 * const out = predictColumns(model, { columns: { spend: Float64Array.from([12, 70]) } });
 * [Array.from(out.predicted.codes), out.predicted.values, Array.from(out.proba)];
 * //=> [[1, 0], ["high", "low", "mid"], [0, 1, 0, 1, 0, 0]]
 * ```
 * @category Classify
 */
export function predictColumns(model: Classifier, data: ClassifyData): ClassPredictionColumns {
  const fn = "predictColumns";
  const design = prepare(fn, model, data);
  const K = model.classes.length;
  const proba = probaDesign(model, design);
  const codes = new Int32Array(design.n);
  for (let i = 0; i < design.n; i++) codes[i] = argmax(proba, i * K, K);
  return { predicted: { codes, values: [...model.classes] }, proba };
}
