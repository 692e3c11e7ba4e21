/**
 * Schema check of a churn model, as loaded back from JSON: every field that scoring reads is
 * checked for its type, range and consistency before any row is scored, so a tampered or
 * truncated model fails with an {@link InvalidOptionError} naming the field (for instance
 * `model.tree.left[3]`) instead of looping, returning NaN or crashing inside the scorer.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import type { BoostingTree } from "./boosting.js";
import type { TreeNodes } from "./tree.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

class Checker {
  constructor(readonly fn: string) {}

  fail(path: string, value: unknown, expected: string): never {
    const shown = Array.isArray(value) ? `(array of length ${value.length})` : isObj(value) ? "(object)" : value;
    throw new InvalidOptionError(this.fn, path, shown, expected);
  }

  obj(v: unknown, path: string): Obj {
    if (!isObj(v)) this.fail(path, v, "an object");
    return v;
  }

  str(v: unknown, path: string): string {
    if (typeof v !== "string") this.fail(path, v, "a string");
    return v;
  }

  arr(v: unknown, path: string, length?: number): unknown[] {
    if (!Array.isArray(v)) this.fail(path, v, length === undefined ? "an array" : `an array of length ${length}`);
    if (length !== undefined && v.length !== length) this.fail(path, v, `an array of length ${length}`);
    return v;
  }

  num(v: unknown, path: string, lo = -Infinity, hi = Infinity): number {
    if (!(typeof v === "number" && Number.isFinite(v) && v >= lo && v <= hi)) {
      const range = lo === -Infinity && hi === Infinity ? "a finite number" : hi === Infinity ? `a finite number >= ${lo}` : `a number in [${lo}, ${hi}]`;
      this.fail(path, v, range);
    }
    return v;
  }

  int(v: unknown, path: string, lo: number, hi = Infinity): number {
    if (!(typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi)) this.fail(path, v, hi === Infinity ? `an integer >= ${lo}` : `an integer in [${lo}, ${hi}]`);
    return v;
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== "boolean") this.fail(path, v, "true or false");
    return v;
  }

  nums(v: unknown, path: string, length: number, lo = -Infinity, hi = Infinity): number[] {
    const a = this.arr(v, path, length);
    for (let i = 0; i < a.length; i++) this.num(a[i], `${path}[${i}]`, lo, hi);
    return a as number[];
  }
}

/** Check the column specs and return the design feature names they imply. */
function checkColumns(c: Checker, v: unknown, path: string): string[] {
  const cols = c.arr(v, path);
  if (cols.length === 0) c.fail(path, cols, "at least one column spec");
  const names: string[] = [];
  cols.forEach((raw, k) => {
    const p = `${path}[${k}]`;
    const s = c.obj(raw, p);
    const name = c.str(s.name, `${p}.name`);
    if (s.kind === "numeric") {
      c.bool(s.hasMissing, `${p}.hasMissing`);
      names.push(name);
    } else if (s.kind === "categorical") {
      const levels = c.arr(s.levels, `${p}.levels`);
      levels.forEach((l, i) => names.push(`${name}=${c.str(l, `${p}.levels[${i}]`)}`));
    } else c.fail(`${p}.kind`, s.kind, '"numeric" or "categorical"');
  });
  return names;
}

/**
 * Check a tree's flat arrays. Children must come after their parent (`k < left[k], right[k]`),
 * which is how `growTree` numbers nodes (pre-order); this rules out cycles, so scoring a row
 * visits at most `nodes` nodes.
 */
function checkTree(c: Checker, v: unknown, path: string, width: number): void {
  const t = c.obj(v, path);
  const feature = c.arr(t.feature, `${path}.feature`);
  const m = feature.length;
  if (m === 0) c.fail(`${path}.feature`, feature, "at least one node");
  const keys: (keyof TreeNodes)[] = ["threshold", "left", "right", "missingLeft", "prob", "n"];
  for (const key of keys) c.arr(t[key], `${path}.${key}`, m);
  const { threshold, left, right, missingLeft, prob, n } = t as unknown as TreeNodes;
  for (let k = 0; k < m; k++) {
    const f = c.int(feature[k], `${path}.feature[${k}]`, -1, width - 1);
    c.num(prob[k], `${path}.prob[${k}]`, 0, 1);
    c.int(n[k], `${path}.n[${k}]`, 0);
    c.num(threshold[k], `${path}.threshold[${k}]`);
    c.int(missingLeft[k], `${path}.missingLeft[${k}]`, 0, 1);
    if (f < 0) {
      if (left[k] !== -1) c.fail(`${path}.left[${k}]`, left[k], "-1 (node is a leaf)");
      if (right[k] !== -1) c.fail(`${path}.right[${k}]`, right[k], "-1 (node is a leaf)");
    } else {
      const expected = `a node index in [${k + 1}, ${m - 1}] (after its parent ${k})`;
      if (!(Number.isInteger(left[k]) && left[k] > k && left[k] < m)) c.fail(`${path}.left[${k}]`, left[k], expected);
      if (!(Number.isInteger(right[k]) && right[k] > k && right[k] < m)) c.fail(`${path}.right[${k}]`, right[k], expected);
    }
  }
}

/** Largest |value| of a boosting leaf or baseline: keeps every sum of up to 10,000 trees finite (no NaN from inf - inf). */
const MAX_RAW = 1e6;

/** Design index of each categorical column's first indicator -> its number of levels. */
function categoricalStarts(columns: unknown[]): Map<number, number> {
  const out = new Map<number, number>();
  let j = 0;
  for (const raw of columns) {
    const s = raw as { kind: string; levels?: unknown[] };
    if (s.kind === "numeric") j++;
    else {
      out.set(j, s.levels!.length);
      j += s.levels!.length;
    }
  }
  return out;
}

/**
 * Check a boosted tree: as {@link checkTree} (children after their parent, so no cycle), leaf
 * values bounded, numeric splits on numeric design columns, categorical splits on a categorical
 * column's first indicator with level indexes inside its levels.
 */
function checkBoostingTree(c: Checker, v: unknown, path: string, width: number, cat: Map<number, number>): void {
  const t = c.obj(v, path);
  const feature = c.arr(t.feature, `${path}.feature`);
  const m = feature.length;
  if (m === 0) c.fail(`${path}.feature`, feature, "at least one node");
  for (const key of ["threshold", "categories", "missingLeft", "left", "right", "value", "n"]) c.arr(t[key], `${path}.${key}`, m);
  const { threshold, categories, missingLeft, left, right, value, n } = t as unknown as BoostingTree;
  // indicator columns other than a categorical column's first one are never split on
  const indicator = new Set<number>();
  for (const [j, L] of cat) for (let k = 1; k < L; k++) indicator.add(j + k);
  for (let k = 0; k < m; k++) {
    const f = c.int(feature[k], `${path}.feature[${k}]`, -1, width - 1);
    c.num(value[k], `${path}.value[${k}]`, -MAX_RAW, MAX_RAW);
    c.int(n[k], `${path}.n[${k}]`, 0);
    c.int(missingLeft[k], `${path}.missingLeft[${k}]`, 0, 1);
    c.num(threshold[k], `${path}.threshold[${k}]`);
    const cats = categories[k];
    if (f < 0) {
      if (left[k] !== -1) c.fail(`${path}.left[${k}]`, left[k], "-1 (node is a leaf)");
      if (right[k] !== -1) c.fail(`${path}.right[${k}]`, right[k], "-1 (node is a leaf)");
      if (cats !== null) c.fail(`${path}.categories[${k}]`, cats, "null (node is a leaf)");
      continue;
    }
    const expected = `a node index in [${k + 1}, ${m - 1}] (after its parent ${k})`;
    if (!(Number.isInteger(left[k]) && left[k] > k && left[k] < m)) c.fail(`${path}.left[${k}]`, left[k], expected);
    if (!(Number.isInteger(right[k]) && right[k] > k && right[k] < m)) c.fail(`${path}.right[${k}]`, right[k], expected);
    const L = cat.get(f);
    if (L !== undefined) {
      const list = c.arr(cats, `${path}.categories[${k}]`);
      list.forEach((x, q) => c.int(x, `${path}.categories[${k}][${q}]`, 0, L - 1));
    } else {
      if (indicator.has(f)) c.fail(`${path}.feature[${k}]`, f, "a numeric column or a categorical column's first indicator");
      if (cats !== null) c.fail(`${path}.categories[${k}]`, cats, "null (numeric split)");
    }
  }
}

function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, scale);
}

function checkSingle(c: Checker, v: unknown, path: string): void {
  const m = c.obj(v, path);
  if (m.format !== "churn-model/1") c.fail(`${path}.format`, m.format, '"churn-model/1"');
  c.str(m.label, `${path}.label`);
  const names = checkColumns(c, m.columns, `${path}.columns`);
  const width = names.length;
  const featureNames = c.arr(m.featureNames, `${path}.featureNames`, width);
  featureNames.forEach((f, j) => {
    if (f !== names[j]) c.fail(`${path}.featureNames[${j}]`, f, JSON.stringify(names[j]) + " (the name implied by columns)");
  });
  c.nums(m.importance, `${path}.importance`, width, 0, 1);
  c.int(m.trainingRows, `${path}.trainingRows`, 1);
  c.num(m.churnRate, `${path}.churnRate`, 0, 1);
  if (m.model === "tree") checkTree(c, m.tree, `${path}.tree`, width);
  else if (m.model === "forest") {
    const trees = c.arr(m.trees, `${path}.trees`);
    if (trees.length === 0) c.fail(`${path}.trees`, trees, "at least one tree");
    trees.forEach((t, k) => checkTree(c, t, `${path}.trees[${k}]`, width));
    if (m.oobAuc !== null) c.num(m.oobAuc, `${path}.oobAuc`, 0, 1);
  } else if (m.model === "logistic") {
    const fit = c.obj(m.fit, `${path}.fit`);
    const mean = c.nums(fit.mean, `${path}.fit.mean`, width);
    const sd = c.nums(fit.sd, `${path}.fit.sd`, width, 0);
    const coef = c.nums(fit.coef, `${path}.fit.coef`, width);
    const b0 = c.num(fit.intercept, `${path}.fit.intercept`);
    c.int(fit.iterations, `${path}.fit.iterations`, 0);
    c.bool(fit.converged, `${path}.fit.converged`);
    c.bool(m.converged, `${path}.converged`);
    // the original-scale copies must say what the fit says (scoring reads the fit)
    const coefficients = c.nums(m.coefficients, `${path}.coefficients`, width);
    let intercept = b0;
    let scale = Math.abs(b0);
    for (let j = 0; j < width; j++) {
      const want = sd[j] > 0 ? coef[j] / sd[j] : 0;
      if (!close(coefficients[j], want, Math.abs(want))) c.fail(`${path}.coefficients[${j}]`, coefficients[j], `${want} (fit.coef / fit.sd)`);
      if (sd[j] > 0) {
        const term = (coef[j] * mean[j]) / sd[j];
        intercept -= term;
        scale += Math.abs(term);
      }
    }
    if (!close(c.num(m.intercept, `${path}.intercept`), intercept, scale)) c.fail(`${path}.intercept`, m.intercept, `${intercept} (implied by fit)`);
  } else if (m.model === "boosting") {
    c.num(m.baseline, `${path}.baseline`, -MAX_RAW, MAX_RAW);
    c.num(m.learningRate, `${path}.learningRate`, 0);
    const trees = c.arr(m.trees, `${path}.trees`);
    if (trees.length === 0) c.fail(`${path}.trees`, trees, "at least one tree");
    if (trees.length > 10_000) c.fail(`${path}.trees`, trees, "at most 10000 trees");
    const cat = categoricalStarts(m.columns as unknown[]);
    trees.forEach((t, k) => checkBoostingTree(c, t, `${path}.trees[${k}]`, width, cat));
    const es = c.obj(m.earlyStopping, `${path}.earlyStopping`);
    c.bool(es.used, `${path}.earlyStopping.used`);
    c.bool(es.stopped, `${path}.earlyStopping.stopped`);
    c.int(es.validationRows, `${path}.earlyStopping.validationRows`, 0);
    c.arr(es.validationLoss, `${path}.earlyStopping.validationLoss`);
  } else c.fail(`${path}.model`, m.model, '"tree", "forest", "logistic" or "boosting"');
}

/**
 * Throw an {@link InvalidOptionError} naming the first field of `model` that does not follow
 * the churn-model schema (types, ranges, array lengths, tree structure, consistency of the
 * logistic coefficients with the fit). Cost: linear in the size of the model.
 * @internal
 */
export function validateChurnModel(model: unknown, fn: string): void {
  const c = new Checker(fn);
  const m = c.obj(model, "model");
  if (m.model !== "grouped") {
    checkSingle(c, m, "model");
    return;
  }
  if (m.format !== "churn-model/1") c.fail("model.format", m.format, '"churn-model/1"');
  c.str(m.label, "model.label");
  c.str(m.groupColumn, "model.groupColumn");
  c.int(m.trainingRows, "model.trainingRows", 1);
  c.num(m.churnRate, "model.churnRate", 0, 1);
  const groups = c.arr(m.groups, "model.groups");
  const seen = new Set<string>();
  groups.forEach((g, k) => {
    const o = c.obj(g, `model.groups[${k}]`);
    const name = c.str(o.group, `model.groups[${k}].group`);
    if (seen.has(name)) c.fail(`model.groups[${k}].group`, name, "a group value not listed before");
    seen.add(name);
    checkSingle(c, o.model, `model.groups[${k}].model`);
  });
  checkSingle(c, m.fallback, "model.fallback");
}

