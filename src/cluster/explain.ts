import { DecisionTreeClassifier, type MlCartNode } from "ml-cart";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { Seed } from "../core/random.js";
import { silhouetteSample } from "./chooseK.js";
import type { ClusterResult } from "./cluster.js";
import { extractRaw } from "./features.js";
import { checkRows } from "./profile.js";

/**
 * Options of {@link explainClusters}.
 * @category Clustering
 */
export interface ExplainClustersOptions {
  /** Depth of the tree (number of conditions on the longest rule). Default 3. */
  maxDepth?: number;
  /** The tree is trained on a seeded random sample of at most this many customers (ml-cart's split search is quadratic in the node size); accuracy is measured on every customer. Default 2000. */
  sampleSize?: number;
  /** A node with at most this many training customers becomes a leaf. Default 10. */
  minNodeSize?: number;
  /** Seed of the training sample. Default 42. */
  seed?: Seed;
}

/**
 * One condition of a rule: `feature < threshold` or `feature >= threshold`, original units.
 * @category Clustering
 */
export interface RuleCondition {
  /** Feature name. */
  feature: string;
  /** Comparison. */
  op: "<" | ">=";
  /** Threshold in the feature's original units. */
  threshold: number;
}

/**
 * One leaf of the tree as a readable rule.
 * @category Clustering
 */
export interface ClusterRule {
  /** The cluster this rule predicts. */
  cluster: number;
  /** Conditions, all of which must hold (same-feature bounds merged). Empty for a one-leaf tree. */
  conditions: RuleCondition[];
  /** The rule as text, e.g. `"frequency >= 3.5 and recencyDays < 40"`; a feature bounded on both sides reads `"2.5 <= frequency < 6"`. */
  text: string;
  /** Customers (of all rows) the rule covers. */
  customers: number;
  /** Share of the covered customers that are in `cluster`. */
  precision: number;
}

/**
 * How well the rules recover one cluster.
 * @category Clustering
 */
export interface ClusterExplanation {
  /** Cluster number. */
  cluster: number;
  /** Customers in the cluster. */
  size: number;
  /** Share of them that a rule for this cluster covers. */
  recall: number;
  /** The rules predicting this cluster, most customers first. */
  rules: ClusterRule[];
}

/**
 * Result of {@link explainClusters}.
 * @category Clustering
 */
export interface ExplainClustersResult {
  /** Share of all customers whose rule predicts their own cluster. */
  accuracy: number;
  /** The same share on the training sample. */
  trainingAccuracy: number;
  /** Customers the tree was trained on. */
  trainingSize: number;
  /** Every rule (tree leaf), by cluster then most customers first. */
  rules: ClusterRule[];
  /** Per cluster: its rules and recall. */
  clusters: ClusterExplanation[];
}

const EXPLAIN_DEFAULTS = Object.freeze({ maxDepth: 3, sampleSize: 2000, minNodeSize: 10, seed: 42 as Seed });

/**
 * "Cluster, then classify": fit a shallow CART tree (ml-cart, Gini) to the cluster labels on
 * the original features, and read each leaf as a rule.
 *
 * @remarks
 * The tree (Breiman et al. 1984, via ml-cart's `DecisionTreeClassifier`) splits on
 * `feature < threshold` with thresholds halfway between observed values, in original units so
 * the rules read as "recencyDays < 45.5 and frequency >= 2.5 -> cluster 1". k-means boundaries
 * are oblique in the scaled space while tree rules are axis-parallel, so the rules are a
 * readable approximation; `accuracy` (measured on every customer, not only the training sample)
 * says how good. Each rule's `precision` is the share of covered customers in its cluster; each
 * cluster's `recall` is the share of its customers covered by its rules.
 *
 * @param result - the result of {@link clusterCustomers}.
 * @param rows - the same rows, in the same order; not mutated.
 * @param options - see {@link ExplainClustersOptions}.
 * @returns rules, per-cluster recall and accuracy. Empty input gives no rules and accuracy 1.
 * @throws {@link InvalidOptionError} for a bad option or rows that are not the clustered ones;
 * {@link AnalyticsError} `DEPENDENCY_FAILED` when ml-cart fails (its error as `cause`).
 * @example
 * ```ts
 * // rows: the four customers of the clusterCustomers example
 * const result = clusterCustomers(rows, { k: 2, seed: 1 });
 * const e = explainClusters(result, rows, { minNodeSize: 1 });
 * [e.accuracy, e.rules[0].text];
 * //=> [1, "recencyDays < 143.5"]
 * ```
 * @category Clustering
 */
export function explainClusters(result: ClusterResult, rows: readonly object[], options: ExplainClustersOptions = {}): ExplainClustersResult {
  const o = withDefaults(EXPLAIN_DEFAULTS, options);
  for (const [name, min] of [["maxDepth", 1], ["sampleSize", 2], ["minNodeSize", 1]] as const) {
    const v = o[name];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new InvalidOptionError("explainClusters", name, v, `an integer >= ${min}`);
  }
  checkRows("explainClusters", result, rows);
  const n = rows.length;
  const d = result.features.length;
  const k = result.k;
  if (n === 0) return { accuracy: 1, trainingAccuracy: 1, trainingSize: 0, rules: [], clusters: [] };
  const raw = extractRaw("explainClusters", rows, result.features);
  const sample = silhouetteSample(n, o.sampleSize, o.seed).idx;
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (const i of sample) {
    trainX.push(Array.from(raw.subarray(i * d, i * d + d)));
    trainY.push(result.labels[i]);
  }
  let root: MlCartNode;
  try {
    const tree = new DecisionTreeClassifier({ gainFunction: "gini", splitFunction: "mean", maxDepth: o.maxDepth, minNumSamples: o.minNodeSize, gainThreshold: 0 });
    tree.train(trainX, trainY);
    root = tree.root;
  } catch (e) {
    throw new AnalyticsError("DEPENDENCY_FAILED", `explainClusters: ml-cart failed to train the tree (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  // Leaves with their paths.
  interface Leaf {
    cluster: number;
    path: { col: number; less: boolean; value: number }[];
    covered: number;
    correct: number;
  }
  const leaves: Leaf[] = [];
  const leafOf = new Map<MlCartNode, Leaf>();
  const walk = (node: MlCartNode, path: Leaf["path"]) => {
    if (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
      walk(node.left, [...path, { col: node.splitColumn, less: true, value: node.splitValue }]);
      walk(node.right, [...path, { col: node.splitColumn, less: false, value: node.splitValue }]);
      return;
    }
    const dist = node.distribution ? node.distribution.getRow(0) : [];
    let best = 0;
    for (let c = 1; c < dist.length; c++) if (dist[c] > dist[best]) best = c;
    const leaf: Leaf = { cluster: best, path, covered: 0, correct: 0 };
    leaves.push(leaf);
    leafOf.set(node, leaf);
  };
  walk(root, []);
  const find = (i: number): Leaf => {
    let node = root;
    while (node.left && node.right && node.splitColumn !== undefined && node.splitValue !== undefined) {
      node = raw[i * d + node.splitColumn] < node.splitValue ? node.left : node.right;
    }
    return leafOf.get(node)!;
  };
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const leaf = find(i);
    leaf.covered++;
    if (leaf.cluster === result.labels[i]) {
      leaf.correct++;
      correct++;
    }
  }
  let trainCorrect = 0;
  for (const i of sample) if (find(i).cluster === result.labels[i]) trainCorrect++;
  const rules: ClusterRule[] = leaves
    .map((leaf) => {
      const conditions = mergeConditions(leaf.path, result.features);
      return {
        cluster: leaf.cluster,
        conditions,
        text: conditions.length ? ruleText(conditions) : "all customers",
        customers: leaf.covered,
        precision: leaf.covered ? leaf.correct / leaf.covered : 0,
      };
    })
    .sort((a, b) => a.cluster - b.cluster || b.customers - a.customers);
  const clusters: ClusterExplanation[] = [];
  for (let j = 0; j < k; j++) {
    const mine = rules.filter((r) => r.cluster === j);
    const hit = leaves.filter((l) => l.cluster === j).reduce((s, l) => s + l.correct, 0);
    const size = result.sizes[j];
    clusters.push({ cluster: j, size, recall: size ? hit / size : 0, rules: mine });
  }
  return { accuracy: correct / n, trainingAccuracy: trainCorrect / sample.length, trainingSize: sample.length, rules, clusters };
}

/** Keep the tightest bound per feature and direction, in first-use order. */
function mergeConditions(path: readonly { col: number; less: boolean; value: number }[], features: readonly string[]): RuleCondition[] {
  const out: RuleCondition[] = [];
  for (const p of path) {
    const op = p.less ? "<" : ">=";
    const existing = out.find((c) => c.feature === features[p.col] && c.op === op);
    if (!existing) out.push({ feature: features[p.col], op, threshold: p.value });
    else existing.threshold = p.less ? Math.min(existing.threshold, p.value) : Math.max(existing.threshold, p.value);
  }
  return out;
}

/** Conditions as text; a feature bounded on both sides reads `lo <= feature < hi`. */
function ruleText(conditions: readonly RuleCondition[]): string {
  const parts: string[] = [];
  const done = new Set<string>();
  for (const c of conditions) {
    if (done.has(c.feature)) continue;
    done.add(c.feature);
    const lo = conditions.find((q) => q.feature === c.feature && q.op === ">=");
    const hi = conditions.find((q) => q.feature === c.feature && q.op === "<");
    if (lo && hi) parts.push(`${fmtThreshold(lo.threshold)} <= ${c.feature} < ${fmtThreshold(hi.threshold)}`);
    else parts.push(`${c.feature} ${c.op} ${fmtThreshold(c.threshold)}`);
  }
  return parts.join(" and ");
}

function fmtThreshold(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? String(Number(v.toFixed(2))) : String(Number(v.toPrecision(3)));
}
