/**
 * Evaluation of churn scores: ROC AUC with exact ties, average precision, gains table, Brier
 * score, calibration bins and the confusion matrix; seeded stratified split and k-fold.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, type Seed } from "../core/random.js";
import { readLabels, type ChurnRow, type ChurnValue } from "./table.js";

/**
 * Options of {@link evaluateChurn}.
 * @category Churn
 */
export interface EvaluateChurnOptions {
  /** Scores at or above this are predicted churn in the confusion matrix. Default 0.5. */
  threshold?: number;
  /** Number of groups in the gains table (10 = deciles). Default 10. */
  groups?: number;
  /** Number of equal-width calibration bins over [0, 1]. Default 10. */
  calibrationBins?: number;
}

const EVALUATE_DEFAULTS = Object.freeze({ threshold: 0.5, groups: 10, calibrationBins: 10 });

/**
 * One row of the gains table: the customers ranked by score, cut into equal groups.
 * @category Churn
 */
export interface GainsRow {
  /** Group number, 1 = highest scores. */
  group: number;
  /** Customers in the group. */
  n: number;
  /** Churned customers in the group. */
  churned: number;
  /** Churn rate in the group. */
  rate: number;
  /** Share of all churned customers captured by groups 1..this one. */
  cumulativeCapture: number;
  /** Churn rate of the group / overall churn rate. */
  lift: number;
  /** Churn rate of groups 1..this one / overall churn rate. */
  cumulativeLift: number;
  /** Lowest score in the group. */
  minScore: number;
}

/**
 * One calibration bin.
 * @category Churn
 */
export interface CalibrationBin {
  /** Lower edge of the bin (scores in [lo, hi); the last bin includes 1). */
  lo: number;
  /** Upper edge. */
  hi: number;
  /** Customers in the bin. */
  n: number;
  /** Mean score in the bin (null when empty). */
  meanScore: number | null;
  /** Observed churn rate in the bin (null when empty). */
  observedRate: number | null;
}

/**
 * Confusion matrix at a threshold, churn being the positive class.
 * @category Churn
 */
export interface ConfusionMatrix {
  /** The threshold used (score >= threshold = predicted churn). */
  threshold: number;
  /** Churned, predicted churn. */
  tp: number;
  /** Retained, predicted churn. */
  fp: number;
  /** Retained, predicted retained. */
  tn: number;
  /** Churned, predicted retained. */
  fn: number;
  /** tp / (tp + fp), 0 when nothing is predicted churn. */
  precision: number;
  /** tp / (tp + fn). */
  recall: number;
  /** tn / (tn + fp). */
  specificity: number;
  /** (tp + tn) / n. */
  accuracy: number;
  /** Harmonic mean of precision and recall, 0 when both are 0. */
  f1: number;
}

/**
 * Result of {@link evaluateChurn}.
 * @category Churn
 */
export interface ChurnEvaluation {
  /** Customers evaluated. */
  n: number;
  /** Churned customers. */
  churned: number;
  /** Overall churn rate. */
  churnRate: number;
  /** Area under the ROC curve, ties counted one half (Mann-Whitney); null with one class only. */
  rocAuc: number | null;
  /** Average precision (area under the precision-recall step curve, as scikit-learn's `average_precision_score`); null without churned customers. */
  prAuc: number | null;
  /** Mean squared error of the scores as probabilities; null when a score is outside [0, 1]. */
  brier: number | null;
  /** Lift of the first group of the gains table (top decile by default). */
  topLift: number;
  /** Share of churned customers captured by the first group. */
  topCapture: number;
  /** The gains table. */
  gains: GainsRow[];
  /** Calibration bins; empty when a score is outside [0, 1]. */
  calibration: CalibrationBin[];
  /** Confusion matrix at `threshold`. */
  confusion: ConfusionMatrix;
}

/** Labels as 0/1 from booleans or numbers. */
function toBinary(labels: ArrayLike<boolean | number>, fn: string): Uint8Array {
  const y = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v === true || v === 1) y[i] = 1;
    else if (v === false || v === 0) y[i] = 0;
    else throw new InvalidRecordError(fn, { row: i + 1, field: "label", value: v, expected: "true/false or 1/0" });
  }
  return y;
}

/**
 * ROC AUC by ranks: ties in score share the average rank, so a tied (churned, retained) pair
 * counts one half. O(n log n). Returns null with one class only.
 * @internal
 */
export function rocAucBinary(y: Uint8Array, s: ArrayLike<number>): number | null {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a] - s[b]);
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += y[i];
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) return null;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let pos = 0;
    while (j < n && s[order[j]] === s[order[i]]) {
      pos += y[order[j]];
      j++;
    }
    const avgRank = (i + 1 + j) / 2; // ranks i+1..j
    rankSum += pos * avgRank;
    i = j;
  }
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * Evaluate churn scores against observed labels: ROC AUC (exact ties), PR AUC (average
 * precision), gains table with lift and capture, Brier score, calibration bins, and the
 * confusion matrix at a threshold.
 *
 * @remarks
 * - ROC AUC = (sum of the ranks of churned customers - n1 (n1 + 1) / 2) / (n1 n0), ranks
 *   averaged over ties: the probability that a random churned customer scores above a random
 *   retained one, ties counting one half (Hanley & McNeil 1982). Matches scikit-learn's
 *   `roc_auc_score`.
 * - PR AUC is average precision: sum over distinct score thresholds of (R_k - R_{k-1}) P_k, as
 *   scikit-learn's `average_precision_score`.
 * - Gains: customers sorted by score (highest first; ties in input order), cut into `groups`
 *   groups of sizes differing by at most one. Lift = group churn rate / overall rate; capture =
 *   share of all churners in groups 1..g.
 * - Brier = mean (score - label)^2; calibration bins are equal-width over [0, 1]. Both need
 *   probabilities: with any score outside [0, 1] (a raw recency, say) `brier` is null and
 *   `calibration` empty, while the rank measures still hold.
 *
 * @param labels - observed churn per customer (true/1 = churned).
 * @param scores - churn scores (higher = more likely to churn), same length.
 * @param options - see {@link EvaluateChurnOptions}.
 * @returns a {@link ChurnEvaluation}.
 * @throws {@link InvalidOptionError} for mismatched lengths or bad options.
 * @throws {@link InvalidRecordError} for a label that is not boolean/0/1 or a non-finite score.
 * @example
 * ```ts
 * evaluateChurn([true, false, true, false], [0.9, 0.1, 0.4, 0.4]).rocAuc;
 * //=> 0.875
 * ```
 * @category Churn
 */
export function evaluateChurn(labels: ArrayLike<boolean | number>, scores: ArrayLike<number>, options: EvaluateChurnOptions = {}): ChurnEvaluation {
  const fn = "evaluateChurn";
  const o = withDefaults(EVALUATE_DEFAULTS, options);
  if (labels.length !== scores.length) throw new InvalidOptionError(fn, "scores", `${scores.length} scores`, `one score per label (${labels.length})`);
  if (!(typeof o.threshold === "number" && Number.isFinite(o.threshold))) throw new InvalidOptionError(fn, "threshold", o.threshold, "a finite number");
  if (!(Number.isInteger(o.groups) && o.groups >= 1)) throw new InvalidOptionError(fn, "groups", o.groups, "an integer >= 1");
  if (!(Number.isInteger(o.calibrationBins) && o.calibrationBins >= 1)) throw new InvalidOptionError(fn, "calibrationBins", o.calibrationBins, "an integer >= 1");
  const y = toBinary(labels, fn);
  const n = y.length;
  const s = new Float64Array(n);
  let probs = true;
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidRecordError(fn, { row: i + 1, field: "score", value: v, expected: "a finite number" });
    s[i] = v;
    if (v < 0 || v > 1) probs = false;
  }
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += y[i];
  const rate = n > 0 ? n1 / n : 0;

  // average precision over distinct thresholds, highest first
  const desc = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
  let prAuc: number | null = null;
  if (n1 > 0) {
    let tp = 0;
    let seen = 0;
    let prevRecall = 0;
    let ap = 0;
    let i = 0;
    while (i < n) {
      let j = i;
      while (j < n && s[desc[j]] === s[desc[i]]) {
        tp += y[desc[j]];
        j++;
      }
      seen = j;
      const recall = tp / n1;
      ap += (recall - prevRecall) * (tp / seen);
      prevRecall = recall;
      i = j;
    }
    prAuc = ap;
  }

  const gains: GainsRow[] = [];
  let cumN = 0;
  let cum1 = 0;
  const groups = Math.min(o.groups, Math.max(1, n));
  for (let g = 0; g < groups && n > 0; g++) {
    const from = Math.floor((g * n) / groups);
    const to = Math.floor(((g + 1) * n) / groups);
    let c1 = 0;
    let minScore = Infinity;
    for (let k = from; k < to; k++) {
      c1 += y[desc[k]];
      minScore = Math.min(minScore, s[desc[k]]);
    }
    cumN += to - from;
    cum1 += c1;
    const r = to > from ? c1 / (to - from) : 0;
    gains.push({
      group: g + 1,
      n: to - from,
      churned: c1,
      rate: r,
      cumulativeCapture: n1 > 0 ? cum1 / n1 : 0,
      lift: rate > 0 ? r / rate : 0,
      cumulativeLift: rate > 0 && cumN > 0 ? cum1 / cumN / rate : 0,
      minScore: Number.isFinite(minScore) ? minScore : 0,
    });
  }

  let brier: number | null = null;
  const calibration: CalibrationBin[] = [];
  if (probs && n > 0) {
    let b = 0;
    for (let i = 0; i < n; i++) b += (s[i] - y[i]) ** 2;
    brier = b / n;
    const k = o.calibrationBins;
    const cnt = new Float64Array(k);
    const sum = new Float64Array(k);
    const pos = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const bin = Math.min(k - 1, Math.floor(s[i] * k));
      cnt[bin]++;
      sum[bin] += s[i];
      pos[bin] += y[i];
    }
    for (let j = 0; j < k; j++) {
      calibration.push({ lo: j / k, hi: (j + 1) / k, n: cnt[j], meanScore: cnt[j] ? sum[j] / cnt[j] : null, observedRate: cnt[j] ? pos[j] / cnt[j] : null });
    }
  }

  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fnn = 0;
  for (let i = 0; i < n; i++) {
    const pred = s[i] >= o.threshold;
    if (pred && y[i]) tp++;
    else if (pred) fp++;
    else if (y[i]) fnn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fnn > 0 ? tp / (tp + fnn) : 0;
  return {
    n,
    churned: n1,
    churnRate: rate,
    rocAuc: rocAucBinary(y, s),
    prAuc,
    brier,
    topLift: gains[0]?.lift ?? 0,
    topCapture: gains[0]?.cumulativeCapture ?? 0,
    gains,
    calibration,
    confusion: {
      threshold: o.threshold,
      tp,
      fp,
      tn,
      fn: fnn,
      precision,
      recall,
      specificity: tn + fp > 0 ? tn / (tn + fp) : 0,
      accuracy: n > 0 ? (tp + tn) / n : 0,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    },
  };
}

/**
 * Options of {@link stratifiedSplit}.
 * @category Churn
 */
export interface StratifiedSplitOptions {
  /** Label column. Default `"churned"`. */
  label?: string;
  /** Label value meaning churn when labels are not booleans, 0/1 or yes/no. Default: none. */
  positiveLabel?: ChurnValue;
  /** Share of each class sent to the test set (rounded per class). Default 0.3. */
  testFraction?: number;
  /** Seed of the shuffle. Default 42. */
  seed?: Seed;
}

/**
 * A train/test partition of rows.
 * @category Churn
 */
export interface ChurnSplit<R> {
  /** Training rows (input order). */
  train: R[];
  /** Test rows (input order). */
  test: R[];
  /** Input indices of the training rows, ascending. */
  trainIndex: number[];
  /** Input indices of the test rows, ascending. */
  testIndex: number[];
}

/** Row indices per class, each list shuffled by the seeded generator. @internal */
export function shuffledClassIndices(y: Uint8Array, seed: Seed): number[][] {
  const rng = createRng(seed);
  const byClass: number[][] = [[], []];
  for (let i = 0; i < y.length; i++) byClass[y[i]].push(i);
  for (const list of byClass) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = list[i];
      list[i] = list[j];
      list[j] = t;
    }
  }
  return byClass;
}

function makeSplit<R>(rows: readonly R[], testMask: Uint8Array): ChurnSplit<R> {
  const out: ChurnSplit<R> = { train: [], test: [], trainIndex: [], testIndex: [] };
  for (let i = 0; i < rows.length; i++) {
    if (testMask[i]) {
      out.test.push(rows[i]);
      out.testIndex.push(i);
    } else {
      out.train.push(rows[i]);
      out.trainIndex.push(i);
    }
  }
  return out;
}

/**
 * Seeded stratified train/test split: each class is shuffled and the first of it go to the
 * test set; the test set holds round(testFraction * n) rows, shared between the classes in
 * proportion (largest remainder), so both sets keep the churn rate.
 *
 * @param rows - labelled rows (not modified).
 * @param options - see {@link StratifiedSplitOptions}.
 * @returns train and test rows and their input indices.
 * @throws {@link InvalidOptionError} for a `testFraction` outside (0, 1).
 * @throws {@link InvalidRecordError} for an unreadable label.
 * @example
 * ```ts
 * const rows = Array.from({ length: 10 }, (_, i) => ({ x: i, churned: i < 4 }));
 * const { train, test } = stratifiedSplit(rows, { testFraction: 0.5, seed: 1 });
 * [train.length, test.length, test.filter((r) => r.churned).length];
 * //=> [5, 5, 2]
 * ```
 * @category Churn
 */
export function stratifiedSplit<R extends ChurnRow>(rows: readonly R[], options: StratifiedSplitOptions = {}): ChurnSplit<R> {
  const fn = "stratifiedSplit";
  const o = withDefaults({ label: "churned", testFraction: 0.3, seed: 42 as Seed }, options);
  if (!(typeof o.testFraction === "number" && o.testFraction > 0 && o.testFraction < 1)) throw new InvalidOptionError(fn, "testFraction", o.testFraction, "a number in (0, 1)");
  const y = readLabels(rows, o.label, o.positiveLabel, fn);
  const byClass = shuffledClassIndices(y, o.seed);
  const mask = new Uint8Array(rows.length);
  // test size round(f n), shared between the classes by largest remainder
  const total = Math.round(o.testFraction * rows.length);
  const take = byClass.map((l) => Math.floor(o.testFraction * l.length));
  const rem = byClass.map((l, c) => o.testFraction * l.length - take[c]);
  let left = total - take[0] - take[1];
  for (const c of rem[1] > rem[0] ? [1, 0] : [0, 1]) if (left > 0 && take[c] < byClass[c].length) {
    take[c]++;
    left--;
  }
  byClass.forEach((list, c) => {
    for (let i = 0; i < take[c]; i++) mask[list[i]] = 1;
  });
  return makeSplit(rows, mask);
}

/**
 * Options of {@link stratifiedKFold}.
 * @category Churn
 */
export interface StratifiedKFoldOptions {
  /** Label column. Default `"churned"`. */
  label?: string;
  /** Label value meaning churn when labels are not booleans, 0/1 or yes/no. Default: none. */
  positiveLabel?: ChurnValue;
  /** Number of folds. Default 5. */
  k?: number;
  /** Seed of the shuffle. Default 42. */
  seed?: Seed;
}

/**
 * Seeded stratified k-fold partition: each class is shuffled and dealt round-robin to the
 * folds, so every row is in exactly one test fold and fold churn rates differ by at most one
 * customer per class.
 *
 * @param rows - labelled rows (not modified).
 * @param options - see {@link StratifiedKFoldOptions}.
 * @returns `k` splits; split f tests on fold f and trains on the rest.
 * @throws {@link InvalidOptionError} for `k` < 2 or more than the rows.
 * @example
 * ```ts
 * const rows = Array.from({ length: 9 }, (_, i) => ({ x: i, churned: i % 3 === 0 }));
 * stratifiedKFold(rows, { k: 3, seed: 1 }).map((s) => s.test.length);
 * //=> [3, 3, 3]
 * ```
 * @category Churn
 */
export function stratifiedKFold<R extends ChurnRow>(rows: readonly R[], options: StratifiedKFoldOptions = {}): ChurnSplit<R>[] {
  const fn = "stratifiedKFold";
  const o = withDefaults({ label: "churned", k: 5, seed: 42 as Seed }, options);
  if (!(Number.isInteger(o.k) && o.k >= 2 && o.k <= rows.length)) throw new InvalidOptionError(fn, "k", o.k, `an integer in [2, ${rows.length}]`);
  const y = readLabels(rows, o.label, o.positiveLabel, fn);
  const byClass = shuffledClassIndices(y, o.seed);
  const fold = new Int32Array(rows.length);
  let dealt = 0;
  for (const list of byClass) for (let i = 0; i < list.length; i++) fold[list[i]] = dealt++ % o.k;
  const out: ChurnSplit<R>[] = [];
  for (let f = 0; f < o.k; f++) {
    const mask = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) mask[i] = fold[i] === f ? 1 : 0;
    out.push(makeSplit(rows, mask));
  }
  return out;
}
