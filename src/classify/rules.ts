/**
 * Readable rules from a classification tree, and the sources' "cluster first, then classify"
 * recipe: a tree learned from k-means clusters re-assigns every customer by its rules, with the
 * agreement between the two assignments.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { ColumnSpec } from "../churn/table.js";
import { fmtRuleNumber, pathConditions, type SplitCriterion } from "../churn/tree.js";
import { dataLength, encodeData, featureList, inferColumnSpecs, type ClassifyData } from "./data.js";
import { CLASSIFIER_DEFAULTS, probaDesign, trainDesignClassifier, type Classifier, type TreeClassifier } from "./model.js";
import { validateClassifier } from "./validate.js";

/**
 * One leaf of a classification tree as a readable rule.
 * @category Classify
 */
export interface ClassifierRule {
  /** The class the leaf predicts (its most probable class). */
  className: string;
  /** Conditions on the path, tightest bound per feature, in path order (empty for a one-leaf tree). */
  conditions: string[];
  /** Share of the leaf's training rows (weighted) in `className`. */
  probability: number;
  /** Training rows in the leaf. */
  n: number;
  /** `cond AND cond -> label = class (p=0.93, n=412)`. */
  text: string;
}

/**
 * Options of {@link classifierRules}.
 * @category Classify
 */
export interface ClassifierRulesOptions {
  /** Keep only leaves with at least this many training rows. Default 1. */
  minRows?: number;
}

const RULES_DEFAULTS = Object.freeze({ minRows: 1 });

/** Whether each design feature is a one-hot indicator, and whether it had missing values in training. */
function featureKinds(columns: readonly ColumnSpec[]): { indicator: boolean[]; canMiss: boolean[] } {
  const indicator: boolean[] = [];
  const canMiss: boolean[] = [];
  for (const c of columns) {
    if (c.kind === "numeric") {
      indicator.push(false);
      canMiss.push(c.hasMissing);
    } else
      for (let l = 0; l < c.levels.length; l++) {
        indicator.push(true);
        canMiss.push(false);
      }
  }
  return { indicator, canMiss };
}

/**
 * The leaves of a classification tree as readable rules, in class order, then most training
 * rows first: `frequency > 4.5 AND recencyDays <= 60 -> cluster = 0 (p=0.97, n=812)`.
 *
 * @remarks
 * Conditions along a path are merged per feature into the tightest bounds (the churn rules'
 * reader, `churnRules`): one-hot columns read `plan = gold` / `plan != gold`, and
 * `(x <= t or x is missing)` appears when missing values follow the branch. Numbers are shown
 * with four significant digits; the model keeps full precision.
 *
 * @param model - a `"tree"` model from {@link trainClassifier}.
 * @param options - see {@link ClassifierRulesOptions}.
 * @returns one rule per leaf (with at least `minRows` rows).
 * @throws {@link InvalidOptionError} for a model that is not a tree, or a bad option.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ spend: r * 10, segment: r <= 2 ? "low" : r <= 4 ? "mid" : "high" }));
 * classifierRules(trainClassifier(rows, { label: "segment", maxDepth: 2 })).map((r) => r.text);
 * //=> ["spend > 45 -> segment = high (p=1, n=2)", "spend <= 25 -> segment = low (p=1, n=2)", "25 < spend <= 45 -> segment = mid (p=1, n=2)"]
 * ```
 * @category Classify
 */
export function classifierRules(model: Classifier, options: ClassifierRulesOptions = {}): ClassifierRule[] {
  const fn = "classifierRules";
  validateClassifier(model, fn);
  if (model.model !== "tree") throw new InvalidOptionError(fn, "model", model.model, 'a "tree" model (forests, boosting and naive Bayes have no single rule set)');
  const o = withDefaults(RULES_DEFAULTS, options);
  if (!(typeof o.minRows === "number" && Number.isInteger(o.minRows) && o.minRows >= 1)) throw new InvalidOptionError(fn, "minRows", o.minRows, "an integer >= 1");
  return treeRules(model, o.minRows);
}

/** Rules of a tree model, already validated. */
function treeRules(model: TreeClassifier, minRows: number): ClassifierRule[] {
  const t = model.tree;
  const K = model.classes.length;
  const { indicator, canMiss } = featureKinds(model.columns);
  const out: { rule: ClassifierRule; k: number }[] = [];
  for (let node = 0; node < t.feature.length; node++) {
    if (t.feature[node] >= 0 || t.n[node] < minRows) continue;
    let best = 0;
    for (let k = 1; k < K; k++) if (t.proba[node * K + k] > t.proba[node * K + best]) best = k;
    const conditions = pathConditions(t, node, model.featureNames, indicator, canMiss);
    const probability = t.proba[node * K + best];
    const lhs = conditions.length ? conditions.join(" AND ") : "(all rows)";
    const text = `${lhs} -> ${model.label} = ${model.classes[best]} (p=${fmtRuleNumber(Number(probability.toFixed(2)))}, n=${t.n[node]})`;
    out.push({ rule: { className: model.classes[best], conditions, probability, n: t.n[node], text }, k: best });
  }
  return out.sort((a, b) => a.k - b.k || b.rule.n - a.rule.n).map((r) => r.rule);
}

/**
 * Options of {@link clusterThenClassify}.
 * @category Classify
 */
export interface ClusterThenClassifyOptions {
  /** Feature columns the rules may use. Default: the clustering's `features` when given, else every column but `customerId`. */
  features?: readonly string[];
  /** Depth of the tree (conditions on the longest rule). Default 3. */
  maxDepth?: number;
  /** Minimum customers in a leaf (rule). Default 5. */
  minSamplesLeaf?: number;
  /** Split criterion. Default `"gini"`. */
  criterion?: SplitCriterion;
  /** Label used in the rule text. Default `"cluster"`. */
  label?: string;
}

const CTC_DEFAULTS = Object.freeze({ maxDepth: 3, minSamplesLeaf: 5, criterion: "gini" as SplitCriterion, label: "cluster" });

/**
 * One cluster in {@link ClusterThenClassifyResult}.
 * @category Classify
 */
export interface ClusterRuleSummary {
  /** Cluster number (as in the clustering's labels). */
  cluster: number;
  /** Customers k-means put in the cluster. */
  size: number;
  /** Customers the rules put in the cluster. */
  ruleSize: number;
  /** Share of the cluster's customers that the rules put back in it (recall). */
  recall: number;
  /** Share of the customers the rules put in the cluster that k-means put there too (precision; 1 when the rules assign none). */
  precision: number;
  /** The rules assigning to this cluster, most customers first (may be empty when no leaf predicts it). */
  rules: ClassifierRule[];
}

/**
 * Result of {@link clusterThenClassify}.
 * @category Classify
 */
export interface ClusterThenClassifyResult {
  /** Share of all customers whose rule cluster is their k-means cluster. */
  agreement: number;
  /** Rule cluster of every customer, in input order. */
  assignments: Int32Array;
  /** Customers by k-means cluster (row) and rule cluster (column), both in the order of `clusters`. */
  confusion: number[][];
  /** Per cluster (ascending number): sizes, recall, precision and its rules. */
  clusters: ClusterRuleSummary[];
  /** The tree: `predictClass(model, newCustomers)` assigns new customers by the same rules (class names are the cluster numbers as strings). */
  model: TreeClassifier;
}

/**
 * "Cluster first, then classify" (the source papers' recipe, made whole): learn a decision tree
 * from the k-means clusters, re-assign every customer by its rules, and report how often the
 * rules agree with k-means, with the readable rules of each cluster.
 *
 * @remarks
 * The tree is the K-class CART of {@link trainClassifier} (all customers, no sampling: the split
 * search works on binned histograms) on the original features, so the rules read in business
 * units. k-means boundaries are oblique in the scaled space; axis-parallel rules approximate
 * them, and `agreement` (the share of customers the rules put in their k-means cluster, on every
 * customer) says how well. Each cluster gets its recall (its customers the rules put back) and
 * precision; `confusion` shows where the rules and k-means disagree. Unlike `explainClusters`
 * (ml-cart on a sample), the result keeps the tree as a {@link Classifier} that assigns new
 * customers by the same rules.
 *
 * @param clustering - the cluster of every customer, `labels` (for instance a `clusterCustomers` result), and optionally its `features`.
 * @param data - the same customers in the same order: rows or `{ columns }`; not modified.
 * @param options - see {@link ClusterThenClassifyOptions}.
 * @returns the agreement, the rule assignment of every customer, the confusion table, the clusters' rules and the tree.
 * @throws {@link InvalidOptionError} when the labels and the data differ in length, or a bad option.
 * @throws {@link InvalidRecordError} for a label that is not an integer.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` for no customers or a single cluster.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 10, 11, 12].map((v) => ({ visits: v, spend: v * 5 }));
 * const r = clusterThenClassify({ labels: [1, 1, 1, 0, 0, 0] }, rows, { minSamplesLeaf: 1 });
 * [r.agreement, r.clusters.map((c) => c.rules.map((x) => x.text))];
 * //=> [1, [["visits > 6.5 -> cluster = 0 (p=1, n=3)"], ["visits <= 6.5 -> cluster = 1 (p=1, n=3)"]]]
 * ```
 * @category Classify
 */
export function clusterThenClassify(clustering: { readonly labels: ArrayLike<number>; readonly features?: readonly string[] }, data: ClassifyData, options: ClusterThenClassifyOptions = {}): ClusterThenClassifyResult {
  const fn = "clusterThenClassify";
  const o = withDefaults(CTC_DEFAULTS, options);
  if (typeof o.label !== "string") throw new InvalidOptionError(fn, "label", o.label, "a string");
  const labels = clustering?.labels;
  if (labels === null || typeof labels !== "object" || typeof labels.length !== "number") throw new InvalidOptionError(fn, "clustering.labels", labels, "the cluster number of every customer");
  const n = dataLength(fn, data);
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no customers`);
  if (labels.length !== n) throw new InvalidOptionError(fn, "clustering.labels", `(length ${labels.length})`, `one label per customer (${n})`);
  const ids: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new InvalidRecordError(fn, { row: i + 1, field: "labels", value: v, expected: "an integer cluster number" });
    if (!seen.has(v)) {
      seen.add(v);
      ids.push(v);
    }
  }
  ids.sort((a, b) => a - b);
  const at = new Map<number, number>();
  ids.forEach((c, k) => at.set(c, k));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = at.get(labels[i])!;
  const features = featureList(fn, data, o.features ?? clustering.features, ["customerId"], n);
  const columns = inferColumnSpecs(fn, data, features, [], n);
  const design = encodeData(fn, data, columns);
  if (ids.length < 2) throw new InvalidOptionError(fn, "clustering.labels", `(one cluster: ${ids[0]})`, "at least two clusters");
  const resolved = withDefaults(CLASSIFIER_DEFAULTS, { model: "tree" as const, label: o.label, maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, criterion: o.criterion });
  const model = trainDesignClassifier(design, columns, y, ids.map(String), resolved, fn) as TreeClassifier;
  const K = ids.length;
  const proba = probaDesign(model, design);
  const assignments = new Int32Array(n);
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
    assignments[i] = ids[best];
    confusion[y[i]][best]++;
    if (best === y[i]) agree++;
  }
  const rules = treeRules(model, 1);
  const clusters: ClusterRuleSummary[] = ids.map((cluster, k) => {
    const size = confusion[k].reduce((a, b) => a + b, 0);
    let ruleSize = 0;
    for (let r = 0; r < K; r++) ruleSize += confusion[r][k];
    return { cluster, size, ruleSize, recall: size > 0 ? confusion[k][k] / size : 0, precision: ruleSize > 0 ? confusion[k][k] / ruleSize : 1, rules: rules.filter((r) => r.className === String(cluster)) };
  });
  return { agreement: agree / n, assignments, confusion, clusters, model };
}
