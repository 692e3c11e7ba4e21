/**
 * Schema check of a classifier as loaded back from JSON: every field prediction reads is checked
 * (types, ranges, array lengths, tree structure) before any row is scored, so a tampered or
 * truncated model fails with an {@link InvalidOptionError} naming the field (for instance
 * `model.tree.left[3]`) instead of looping, returning NaN or crashing.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { designNames, type ColumnSpec } from "../churn/table.js";
import { validateChurnModel } from "../churn/validate.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function fail(fn: string, path: string, value: unknown, expected: string): never {
  const shown = Array.isArray(value) ? `(array of length ${value.length})` : isObj(value) ? "(object)" : value;
  throw new InvalidOptionError(fn, path, shown, expected);
}

function arr(fn: string, v: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(v) || (length !== undefined && v.length !== length)) fail(fn, path, v, length === undefined ? "an array" : `an array of length ${length}`);
  return v;
}

function num(fn: string, v: unknown, path: string, lo = -Infinity, hi = Infinity): number {
  if (!(typeof v === "number" && Number.isFinite(v) && v >= lo && v <= hi)) fail(fn, path, v, lo === -Infinity ? "a finite number" : hi === Infinity ? `a finite number >= ${lo}` : `a number in [${lo}, ${hi}]`);
  return v;
}

function int(fn: string, v: unknown, path: string, lo: number, hi = Infinity): number {
  if (!(typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi)) fail(fn, path, v, hi === Infinity ? `an integer >= ${lo}` : `an integer in [${lo}, ${hi}]`);
  return v;
}

function checkColumns(fn: string, v: unknown): ColumnSpec[] {
  const cols = arr(fn, v, "model.columns");
  if (cols.length === 0) fail(fn, "model.columns", cols, "at least one column spec");
  cols.forEach((s, j) => {
    const path = `model.columns[${j}]`;
    if (!isObj(s) || typeof s.name !== "string") fail(fn, path, s, "{ name, kind: \"numeric\", hasMissing } or { name, kind: \"categorical\", levels }");
    if (s.kind === "numeric") {
      if (typeof s.hasMissing !== "boolean") fail(fn, `${path}.hasMissing`, s.hasMissing, "true or false");
    } else if (s.kind === "categorical") {
      const levels = arr(fn, s.levels, `${path}.levels`);
      levels.forEach((l, k) => {
        if (typeof l !== "string") fail(fn, `${path}.levels[${k}]`, l, "a string");
      });
    } else fail(fn, `${path}.kind`, s.kind, '"numeric" or "categorical"');
  });
  return cols as ColumnSpec[];
}

/** A K-class tree: children after their parent (pre-order, so no cycle), probabilities in [0, 1] summing to 1. */
function checkClassTree(fn: string, v: unknown, path: string, width: number, K: number): void {
  if (!isObj(v)) fail(fn, path, v, "an object");
  const feature = arr(fn, v.feature, `${path}.feature`);
  const m = feature.length;
  if (m === 0) fail(fn, `${path}.feature`, feature, "at least one node");
  for (const key of ["threshold", "left", "right", "missingLeft", "n"]) arr(fn, v[key], `${path}.${key}`, m);
  const proba = arr(fn, v.proba, `${path}.proba`, m * K);
  const { threshold, left, right, missingLeft, n } = v as Record<string, number[]>;
  for (let k = 0; k < m; k++) {
    const f = int(fn, feature[k], `${path}.feature[${k}]`, -1, width - 1);
    int(fn, n[k], `${path}.n[${k}]`, 0);
    num(fn, threshold[k], `${path}.threshold[${k}]`);
    int(fn, missingLeft[k], `${path}.missingLeft[${k}]`, 0, 1);
    let s = 0;
    for (let c = 0; c < K; c++) s += num(fn, proba[k * K + c], `${path}.proba[${k * K + c}]`, 0, 1);
    if (Math.abs(s - 1) > 1e-9) fail(fn, `${path}.proba[${k * K}]`, proba[k * K], `probabilities of node ${k} summing to 1 (they sum to ${s})`);
    if (f < 0) {
      if (left[k] !== -1) fail(fn, `${path}.left[${k}]`, left[k], "-1 (node is a leaf)");
      if (right[k] !== -1) fail(fn, `${path}.right[${k}]`, right[k], "-1 (node is a leaf)");
    } else {
      const expected = `a node index in [${k + 1}, ${m - 1}] (after its parent ${k})`;
      if (!(Number.isInteger(left[k]) && left[k] > k && left[k] < m)) fail(fn, `${path}.left[${k}]`, left[k], expected);
      if (!(Number.isInteger(right[k]) && right[k] > k && right[k] < m)) fail(fn, `${path}.right[${k}]`, right[k], expected);
    }
  }
}

/**
 * Throw an {@link InvalidOptionError} naming the first field of `model` that breaks the
 * classifier schema. Boosting trees are checked by the churn model's schema (same tree format).
 * Cost: linear in the size of the model.
 * @internal
 */
export function validateClassifier(model: unknown, fn: string): void {
  if (!isObj(model) || model.format !== "classifier/1") fail(fn, "model", isObj(model) ? "(not a classifier)" : model, 'a model from trainClassifier (format "classifier/1")');
  const m = model;
  if (typeof m.label !== "string") fail(fn, "model.label", m.label, "a string");
  const classes = arr(fn, m.classes, "model.classes");
  if (classes.length < 2) fail(fn, "model.classes", classes, "at least two class names");
  classes.forEach((c, k) => {
    if (typeof c !== "string") fail(fn, `model.classes[${k}]`, c, "a string");
  });
  const K = classes.length;
  const columns = checkColumns(fn, m.columns);
  const names = designNames(columns);
  const width = names.length;
  const featureNames = arr(fn, m.featureNames, "model.featureNames", width);
  featureNames.forEach((f, j) => {
    if (f !== names[j]) fail(fn, `model.featureNames[${j}]`, f, `${JSON.stringify(names[j])} (the name implied by columns)`);
  });
  int(fn, m.trainingRows, "model.trainingRows", 1);
  arr(fn, m.classCounts, "model.classCounts", K).forEach((c, k) => int(fn, c, `model.classCounts[${k}]`, 0));
  if (m.model === "tree") checkClassTree(fn, m.tree, "model.tree", width, K);
  else if (m.model === "forest") {
    const trees = arr(fn, m.trees, "model.trees");
    if (trees.length === 0) fail(fn, "model.trees", trees, "at least one tree");
    trees.forEach((t, k) => checkClassTree(fn, t, `model.trees[${k}]`, width, K));
  } else if (m.model === "boosting") {
    const baseline = arr(fn, m.baseline, "model.baseline", K);
    baseline.forEach((b, k) => num(fn, b, `model.baseline[${k}]`, -1e6, 1e6));
    const rounds = arr(fn, m.trees, "model.trees");
    rounds.forEach((r, q) => arr(fn, r, `model.trees[${q}]`, K));
    // the churn schema checks every boosted tree (structure, splits, bounded leaf values)
    // (flattened; a failing tree j is reported as model.trees[iteration][class])
    if (rounds.length > 0) {
      const flat = (rounds as unknown[][]).flat();
      try {
        validateChurnModel(
          { format: "churn-model/1", model: "boosting", label: m.label, columns, featureNames: names, importance: names.map(() => 0), trainingRows: m.trainingRows, churnRate: 0.5, baseline: 0, learningRate: 1, trees: flat, earlyStopping: { used: false, stopped: false, validationRows: 0, validationLoss: [] } },
          fn,
        );
      } catch (e) {
        const at = e instanceof InvalidOptionError ? /^model\.trees\[(\d+)\](.*)$/.exec(e.option) : null;
        if (!at) throw e;
        const j = Number(at[1]);
        throw new InvalidOptionError(fn, `model.trees[${Math.floor(j / K)}][${j % K}]${at[2]}`, (e as InvalidOptionError).value, (e as InvalidOptionError).expected);
      }
    }
  } else if (m.model === "naiveBayes") {
    const prior = arr(fn, m.prior, "model.prior", K);
    prior.forEach((p, k) => num(fn, p, `model.prior[${k}]`, Number.MIN_VALUE, 1));
    num(fn, m.epsilon, "model.epsilon", 0);
    const numeric = columns.filter((c) => c.kind === "numeric");
    const categorical = columns.filter((c) => c.kind === "categorical");
    const gaussian = arr(fn, m.gaussian, "model.gaussian", numeric.length);
    gaussian.forEach((g, j) => {
      const path = `model.gaussian[${j}]`;
      if (!isObj(g) || g.feature !== numeric[j].name) fail(fn, `${path}.feature`, isObj(g) ? g.feature : g, JSON.stringify(numeric[j].name));
      if (typeof g.used !== "boolean") fail(fn, `${path}.used`, g.used, "true or false");
      arr(fn, g.mean, `${path}.mean`, K).forEach((x, k) => num(fn, x, `${path}.mean[${k}]`));
      arr(fn, g.variance, `${path}.variance`, K).forEach((x, k) => num(fn, x, `${path}.variance[${k}]`, g.used ? Number.MIN_VALUE : 0));
    });
    const cat = arr(fn, m.categorical, "model.categorical", categorical.length);
    cat.forEach((g, j) => {
      const path = `model.categorical[${j}]`;
      const spec = categorical[j] as Extract<ColumnSpec, { kind: "categorical" }>;
      if (!isObj(g) || g.feature !== spec.name) fail(fn, `${path}.feature`, isObj(g) ? g.feature : g, JSON.stringify(spec.name));
      const L = spec.levels.length;
      arr(fn, g.levels, `${path}.levels`, L);
      arr(fn, g.logProb, `${path}.logProb`, K).forEach((row, k) => arr(fn, row, `${path}.logProb[${k}]`, L).forEach((x, l) => num(fn, x, `${path}.logProb[${k}][${l}]`, -1e300, 0)));
    });
  } else fail(fn, "model.model", m.model, '"tree", "forest", "boosting" or "naiveBayes"');
}
