/**
 * Ranked at-risk lists with the reason per customer, and the unsupervised 1 - P(alive) score.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { CalibrationSummary } from "../core/types.js";
import { checkModel, leafRule, routeGroups, ruleText, scoreDesign, type ChurnModel, type SingleChurnModel } from "./model.js";
import { boostingContributions } from "./boosting.js";
import { encodeRows, type ChurnRow, type ColumnSpec } from "./table.js";
import { fmtRuleNumber, leafOf } from "./tree.js";
import type { atRiskByValue } from "./atRiskValue.js";

/**
 * Options of {@link atRiskCustomers}.
 * @category Churn
 */
export interface AtRiskCustomersOptions {
  /** Length of the list. Default 20. */
  top?: number;
  /** Keep only customers with at least this churn probability. Default 0. */
  minProbability?: number;
  /** Column holding the customer id. Default `"customerId"`. */
  idColumn?: string;
  /** Column holding the value at stake (a CLV, or past spend). Default `"monetary_total"` when the rows have it, else none. */
  valueColumn?: string | null;
  /** Number of logistic contributions named in the reason. Default 3. */
  reasons?: number;
}

/**
 * One customer of an at-risk list.
 * @category Churn
 */
export interface AtRiskCustomer {
  /** Rank, 1 = highest churn probability. */
  rank: number;
  /** Customer id (from `idColumn`). */
  customerId: string;
  /** Churn probability. */
  probability: number;
  /** The value column, or null when none. */
  value: number | null;
  /** probability * value, or null when no value. */
  valueAtRisk: number | null;
  /** Why: the tree rule, or the largest logistic contributions, or the forest's closest tree rule. */
  reason: string;
}

const AT_RISK_DEFAULTS = Object.freeze({ top: 20, minProbability: 0, idColumn: "customerId", reasons: 3 });

/** The column spec whose design columns start at (or include) design index j. */
function columnOfDesign(model: SingleChurnModel, j: number): ColumnSpec {
  let k = 0;
  for (const c of model.columns) {
    const w = c.kind === "numeric" ? 1 : c.levels.length;
    if (j < k + w) return c;
    k += w;
  }
  return model.columns[model.columns.length - 1];
}

function explain(model: SingleChurnModel, design: ReturnType<typeof encodeRows>, i: number, prob: number, reasons: number): string {
  if (model.model === "tree") {
    const leaf = leafOf(model.tree, design.cols, i);
    return ruleText(leafRule(model, model.tree, leaf), model.tree.prob[leaf], model.tree.n[leaf]);
  }
  if (model.model === "forest") {
    let best = 0;
    let bestLeaf = 0;
    let bestGap = Infinity;
    model.trees.forEach((t, k) => {
      const leaf = leafOf(t, design.cols, i);
      const gap = Math.abs(t.prob[leaf] - prob);
      if (gap < bestGap) {
        bestGap = gap;
        best = k;
        bestLeaf = leaf;
      }
    });
    const t = model.trees[best];
    return `closest tree ${best + 1}: ${ruleText(leafRule({ ...model, model: "tree", tree: t }, t, bestLeaf), t.prob[bestLeaf], t.n[bestLeaf])}`;
  }
  if (model.model === "boosting") {
    // path contributions (Saabas): each split adds child value - node value to its feature
    const contrib = boostingContributions(model, design.cols, i);
    const parts: { text: string; c: number }[] = [];
    for (const [j, c] of contrib) {
      if (!(c > 0)) continue;
      const spec = columnOfDesign(model, j);
      let text: string;
      if (spec.kind === "categorical") {
        let level = "missing";
        spec.levels.forEach((l, k) => {
          if (design.cols[j + k][i] === 1 && level === "missing") level = l;
        });
        text = `${spec.name} = ${level}`;
      } else {
        const x = design.cols[j][i];
        text = `${model.featureNames[j]} = ${Number.isNaN(x) ? "missing" : fmtRuleNumber(x)}`;
      }
      parts.push({ text, c });
    }
    parts.sort((a, b) => b.c - a.c);
    if (parts.length === 0) return "no feature raises the risk above the average customer";
    return parts
      .slice(0, reasons)
      .map((p) => `${p.text} (+${p.c.toFixed(2)} log-odds)`)
      .join(", ");
  }
  const fit = model.fit;
  const parts: { name: string; x: number; c: number }[] = [];
  for (let j = 0; j < fit.coef.length; j++) {
    if (fit.sd[j] === 0 || fit.coef[j] === 0) continue;
    const x = design.cols[j][i];
    if (Number.isNaN(x)) continue;
    const c = (fit.coef[j] * (x - fit.mean[j])) / fit.sd[j];
    if (c > 0) parts.push({ name: model.featureNames[j], x, c });
  }
  parts.sort((a, b) => b.c - a.c);
  if (parts.length === 0) return "no feature raises the risk above the average customer";
  return parts
    .slice(0, reasons)
    .map((p) => `${p.name} = ${fmtRuleNumber(p.x)} (+${p.c.toFixed(2)} log-odds)`)
    .join(", ");
}

/**
 * The customers most likely to churn, ranked, with the value at stake and the reason.
 * For the list to act on (customers still plausibly alive, ranked by the future value at stake,
 * reasons in words) use {@link atRiskByValue}; this one ranks by probability alone and explains
 * the model.
 *
 * @remarks
 * Probabilities are {@link scoreChurn}'s. Ranking: probability descending, then value
 * descending, then input order. Reason: for a tree the leaf's rule (`recency_days > 120 AND
 * frequency <= 1 -> churn 0.91 (n=800)`); for a logistic model the features with the largest
 * positive contributions b_j (x_j - mean_j) / sd_j to the log-odds, relative to an average
 * customer; for a forest the rule of the tree whose leaf probability is closest to the
 * forest's; a grouped model prefixes the group.
 *
 * @param model - a fitted model (or its JSON).
 * @param rows - feature rows with an id column.
 * @param options - see {@link AtRiskCustomersOptions}.
 * @returns up to `top` customers.
 * @throws {@link InvalidOptionError} for a bad option or model.
 * @throws {@link InvalidRecordError} for a row without an id, or a non-numeric value column.
 * @example
 * ```ts
 * const rows = [1, 2, 3, 4, 5, 6].map((r) => ({ customerId: `c${r}`, recency: r * 30, churned: r > 3 }));
 * const model = trainChurnModel(rows, { maxDepth: 1 });
 * atRiskCustomers(model, rows, { top: 1 })[0];
 * //=> { rank: 1, customerId: "c4", probability: 1, value: null, valueAtRisk: null, reason: "recency > 105 -> churn 1 (n=3)" }
 * ```
 * @category Churn
 */
export function atRiskCustomers(model: ChurnModel, rows: readonly ChurnRow[], options: AtRiskCustomersOptions = {}): AtRiskCustomer[] {
  const fn = "atRiskCustomers";
  checkModel(model, fn);
  const o = withDefaults(AT_RISK_DEFAULTS, options);
  if (!(Number.isInteger(o.top) && o.top >= 1)) throw new InvalidOptionError(fn, "top", o.top, "an integer >= 1");
  if (!(typeof o.minProbability === "number" && o.minProbability >= 0 && o.minProbability <= 1)) throw new InvalidOptionError(fn, "minProbability", o.minProbability, "a number in [0, 1]");
  if (!(Number.isInteger(o.reasons) && o.reasons >= 1)) throw new InvalidOptionError(fn, "reasons", o.reasons, "an integer >= 1");
  const valueColumn = o.valueColumn === undefined ? (rows.length > 0 && "monetary_total" in rows[0] ? "monetary_total" : null) : o.valueColumn;
  const n = rows.length;
  // route rows to single models
  const parts: { model: SingleChurnModel; idx: number[]; prefix: string }[] = [];
  if (model.model === "grouped") {
    for (const [k, idx] of routeGroups(model, rows)) parts.push({ model: k < 0 ? model.fallback : model.groups[k].model, idx, prefix: k < 0 ? "[other group] " : `[${model.groupColumn} = ${model.groups[k].group}] ` });
  } else parts.push({ model, idx: Array.from({ length: n }, (_, i) => i), prefix: "" });
  const prob = new Float64Array(n);
  const owner = new Int32Array(n);
  const designs = parts.map((p, k) => {
    const d = encodeRows(p.idx.map((i) => rows[i]), p.model.columns, fn);
    const s = scoreDesign(p.model, d);
    p.idx.forEach((i, j) => {
      prob[i] = s[j];
      owner[i] = k;
    });
    return d;
  });
  const pos = new Int32Array(n);
  for (const p of parts) p.idx.forEach((i, j) => (pos[i] = j));
  const value = new Float64Array(n);
  const hasValue = valueColumn !== null;
  for (let i = 0; i < n; i++) {
    const id = rows[i][o.idColumn];
    if (typeof id !== "string" && typeof id !== "number") throw new InvalidRecordError(fn, { row: i + 1, field: o.idColumn, value: id, expected: "a customer id" });
    if (hasValue) {
      const v = rows[i][valueColumn];
      if (v === null || v === undefined) value[i] = 0;
      else if (typeof v === "number" && Number.isFinite(v)) value[i] = v;
      else throw new InvalidRecordError(fn, { row: i + 1, field: valueColumn, value: v, expected: "a finite number or null" });
    }
  }
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => prob[i] >= o.minProbability)
    .sort((a, b) => prob[b] - prob[a] || value[b] - value[a] || a - b)
    .slice(0, o.top);
  return order.map((i, r) => {
    const part = parts[owner[i]];
    return {
      rank: r + 1,
      customerId: String(rows[i][o.idColumn]),
      probability: prob[i],
      value: hasValue ? value[i] : null,
      valueAtRisk: hasValue ? prob[i] * value[i] : null,
      reason: part.prefix + explain(part.model, designs[owner[i]], pos[i], prob[i], o.reasons),
    };
  });
}

/**
 * A customer's churn score from P(alive).
 * @category Churn
 */
export interface AliveChurnScore {
  /** Customer id. */
  customerId: string;
  /** P(alive) returned by the given function. */
  pAlive: number;
  /** 1 - P(alive). */
  churnScore: number;
}

/**
 * Unsupervised churn scores for a base with no churn history: 1 - P(alive) from a
 * probabilistic purchase model (for example BG/NBD), passed in as a function so this module
 * does not depend on any one implementation.
 *
 * @remarks
 * Under BG/NBD (Fader, Hardie & Lee 2005) P(alive | x, t_x, T) is the probability that the
 * customer has not dropped out by T; 1 - P(alive) ranks customers like a churn probability and
 * can be evaluated with {@link evaluateChurn} against a later window. The function receives
 * each calibration summary (from `calibrationSummary`) and must return a number in [0, 1].
 *
 * @param summaries - calibration summaries (`x`, `t_x`, `T` per customer).
 * @param pAlive - P(alive) of one summary, e.g. `(s) => bgnbdPAlive(params, s)`.
 * @returns one score per summary, in input order.
 * @throws {@link InvalidOptionError} when `pAlive` is not a function.
 * @throws {@link InvalidRecordError} when it returns a value outside [0, 1] (naming the customer).
 * @example
 * ```ts
 * aliveChurnScores([{ customerId: "a", x: 2, t_x: 10, T: 30, monetaryValue: 5, firstPurchase: new Date(0) }], () => 0.25);
 * //=> [{ customerId: "a", pAlive: 0.25, churnScore: 0.75 }]
 * ```
 * @category Churn
 */
export function aliveChurnScores(summaries: readonly CalibrationSummary[], pAlive: (summary: CalibrationSummary) => number): AliveChurnScore[] {
  const fn = "aliveChurnScores";
  if (typeof pAlive !== "function") throw new InvalidOptionError(fn, "pAlive", pAlive, "a function (summary) => P(alive) in [0, 1]");
  return summaries.map((s) => {
    const p = pAlive(s);
    if (!(typeof p === "number" && p >= 0 && p <= 1)) throw new InvalidRecordError(fn, { row: s.customerId, field: "pAlive", value: p, expected: "a probability in [0, 1]" });
    return { customerId: s.customerId, pAlive: p, churnScore: 1 - p };
  });
}
