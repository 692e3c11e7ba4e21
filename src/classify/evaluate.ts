/**
 * Held-out evaluation of a classifier: accuracy, confusion matrix, per-class precision, recall
 * and F1, their macro and weighted means, balanced accuracy and log-loss (scikit-learn's
 * definitions, tested against it).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { ChurnRow } from "../churn/table.js";
import { dataLength, encodeData, isColumns, type ClassifyColumns, type ClassifyData } from "./data.js";
import { probaDesign, type Classifier } from "./model.js";
import { validateClassifier } from "./validate.js";

/**
 * One class in {@link ClassifierEvaluation}.
 * @category Classify
 */
export interface ClassMetrics {
  /** Class name. */
  className: string;
  /** Share of the rows predicted as this class that are in it (0 when none is predicted). */
  precision: number;
  /** Share of the rows in this class predicted as it (0 when the class has no rows). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Rows in this class. */
  support: number;
}

/**
 * Result of {@link evaluateClassifier}.
 * @category Classify
 */
export interface ClassifierEvaluation {
  /** Rows evaluated. */
  n: number;
  /** Share of rows whose predicted class is their class. */
  accuracy: number;
  /** Mean recall over the classes present in the rows. */
  balancedAccuracy: number;
  /** Mean F1 over the classes present in the rows or the predictions. */
  macroF1: number;
  /** Mean F1 weighted by support. */
  weightedF1: number;
  /** Mean -ln P(true class), probabilities clipped to [1e-15, 1 - 1e-15] and renormalised (scikit-learn's `log_loss`). */
  logLoss: number;
  /** The model's classes, the order of `confusion` and `perClass`. */
  classes: string[];
  /** Rows by true class (row index) and predicted class (column index). */
  confusion: number[][];
  /** Precision, recall, F1 and support of each class. */
  perClass: ClassMetrics[];
}

/** scikit-learn's clipping of probabilities for the log-loss. */
const EPS = 1e-15;

/**
 * Evaluate a classifier on labelled rows it was not trained on.
 *
 * @remarks
 * Predictions are those of `predictClass` (most probable class). Per class k: precision =
 * TP / (TP + FP), recall = TP / (TP + FN), F1 = 2 P R / (P + R), each 0 when its denominator is
 * 0 (scikit-learn's `zero_division=0`). Macro F1 averages the classes that occur in the rows or
 * the predictions (scikit-learn's default label set); weighted F1 weights by support; balanced
 * accuracy averages the recall of the classes present (`balanced_accuracy_score`). Log-loss:
 * -(1/n) sum ln p_i(y_i) after clipping every probability to [1e-15, 1 - 1e-15] and renormalising
 * each row (`log_loss`), so a confident mistake costs at most ln(1e15) = 34.5, never infinity.
 *
 * @param model - a model from `trainClassifier`.
 * @param data - rows or `{ columns }` holding the model's features and its label column.
 * @returns accuracy, balanced accuracy, macro/weighted F1, log-loss, confusion matrix and per-class metrics.
 * @throws {@link InvalidRecordError} for a missing label or a class the model does not know (row and field named).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when there are no rows.
 * @throws the errors of `predictProba` for the model and the features.
 * @example
 * ```ts
 * const train = [1, 2, 3, 4, 5, 6].map((v) => ({ visits: v, stage: v <= 3 ? "new" : "loyal" }));
 * const model = trainClassifier(train, { label: "stage", maxDepth: 1 });
 * const test = [{ visits: 2, stage: "new" }, { visits: 5, stage: "loyal" }, { visits: 3.8, stage: "new" }];
 * const e = evaluateClassifier(model, test);
 * [e.accuracy, e.confusion, e.perClass.map((c) => c.recall)];
 * //=> [0.6666666666666666, [[1, 0], [1, 1]], [1, 0.5]]
 * ```
 * @category Classify
 */
export function evaluateClassifier(model: Classifier, data: ClassifyData): ClassifierEvaluation {
  const fn = "evaluateClassifier";
  validateClassifier(model, fn);
  const n = dataLength(fn, data);
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no rows to evaluate`);
  const classes = model.classes;
  const K = classes.length;
  const at = new Map<string, number>();
  classes.forEach((c, k) => at.set(c, k));
  let labels: ArrayLike<unknown>;
  if (isColumns(data)) {
    const c = (data as ClassifyColumns).columns as Record<string, unknown>;
    const col = c[model.label] as ArrayLike<unknown> | undefined;
    if (col === undefined || col === null || typeof col !== "object" || col.length !== n) throw new InvalidOptionError(fn, `columns.${model.label}`, col === undefined ? "(missing)" : "(not a column of the rows' length)", `the label column "${model.label}" with ${n} values`);
    labels = col;
  } else labels = Array.from(data as readonly ChurnRow[], (r) => r[model.label]);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    const k = v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? undefined : at.get(String(v));
    if (k === undefined) throw new InvalidRecordError(fn, { row: i + 1, field: model.label, value: v, expected: `a class the model knows (${classes.map((c) => JSON.stringify(c)).join(", ")})` });
    y[i] = k;
  }
  const proba = probaDesign(model, encodeData(fn, data, model.columns));
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let best = 0;
    let z = 0;
    for (let k = 0; k < K; k++) {
      if (proba[o + k] > proba[o + best]) best = k;
      z += Math.min(Math.max(proba[o + k], EPS), 1 - EPS);
    }
    confusion[y[i]][best]++;
    loss -= Math.log(Math.min(Math.max(proba[o + y[i]], EPS), 1 - EPS) / z);
  }
  const perClass: ClassMetrics[] = [];
  let right = 0;
  let macro = 0;
  let macroCount = 0;
  let weighted = 0;
  let balanced = 0;
  let present = 0;
  for (let k = 0; k < K; k++) {
    const tp = confusion[k][k];
    right += tp;
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < K; j++) {
      support += confusion[k][j];
      predicted += confusion[j][k];
    }
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ className: classes[k], precision, recall, f1, support });
    if (support > 0 || predicted > 0) {
      macro += f1;
      macroCount++;
    }
    weighted += f1 * support;
    if (support > 0) {
      balanced += recall;
      present++;
    }
  }
  return {
    n,
    accuracy: right / n,
    balancedAccuracy: balanced / present,
    macroF1: macro / macroCount,
    weightedF1: weighted / n,
    logLoss: loss / n,
    classes: [...classes],
    confusion,
    perClass,
  };
}
