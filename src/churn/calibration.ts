/**
 * Probability calibration of churn scores: isotonic regression (pool-adjacent-violators) and
 * Platt's sigmoid, fitted with cross-fitting so the calibrated probabilities used to judge the
 * calibration never saw their own label; reliability-diagram data, Brier score and expected
 * calibration error.
 * @module
 */
import { isotonicRegression } from "../numeric/isotonic.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { Seed } from "../core/random.js";
import { designOf, readLabelColumn, rowCount, type ChurnFeatureMatrix } from "./columns.js";
import { shuffledClassIndices } from "./evaluate.js";
import { checkModel, scoreDesign, type ChurnModel } from "./model.js";

/**
 * A fitted calibration map from a score to a probability (plain JSON).
 *
 * - `"isotonic"`: the non-decreasing step fit of pool-adjacent-violators, kept as breakpoints
 *   `x` (increasing scores) and `y` (probabilities); a score between two breakpoints is
 *   interpolated linearly, one outside them takes the nearest end's value (scikit-learn's
 *   `IsotonicRegression(out_of_bounds="clip")`).
 * - `"sigmoid"`: P = 1 / (1 + exp(a s + b)) (Platt 1999; scikit-learn's sign convention).
 * @category Churn
 */
export type ChurnCalibrator =
  | {
      /** Format tag. */
      format: "churn-calibration/1";
      /** Method. */
      method: "isotonic";
      /** Breakpoint scores, strictly increasing. */
      x: number[];
      /** Calibrated probability at each breakpoint, non-decreasing, in [0, 1]. */
      y: number[];
    }
  | {
      /** Format tag. */
      format: "churn-calibration/1";
      /** Method. */
      method: "sigmoid";
      /** Slope (negative when higher scores mean more churn). */
      a: number;
      /** Intercept. */
      b: number;
    };

/**
 * One bin of a reliability diagram.
 * @category Churn
 */
export interface ReliabilityBin {
  /** Lower edge of the bin (inclusive). */
  lo: number;
  /** Upper edge (exclusive, except the last bin, which includes 1). */
  hi: number;
  /** Rows whose probability falls in the bin. */
  n: number;
  /** Mean predicted probability of those rows (null when empty). */
  meanPredicted: number | null;
  /** Observed churn rate of those rows (null when empty). */
  observedRate: number | null;
}

/**
 * Calibration quality of probabilities against labels.
 * @category Churn
 */
export interface CalibrationReport {
  /** Brier score: mean (p - y)^2. */
  brier: number;
  /** Expected calibration error: sum over non-empty bins of (n_bin / n) |observed rate - mean predicted|. */
  ece: number;
  /** Reliability diagram data: `bins` equal-width bins over [0, 1]. */
  bins: ReliabilityBin[];
}

/**
 * Options of {@link calibrateChurnModel}.
 * @category Churn
 */
export interface CalibrateChurnOptions {
  /** `"isotonic"` (pool-adjacent-violators) or `"sigmoid"` (Platt). Default `"isotonic"`. */
  method?: "isotonic" | "sigmoid";
  /** Folds of the cross-fitting (stratified, seeded); 1 turns it off (the out-of-fold probabilities are then in-sample). Default 5. */
  folds?: number;
  /** Seed of the fold assignment. Default 42. */
  seed?: Seed;
  /** Equal-width bins of the reliability diagram and the ECE. Default 10. */
  bins?: number;
  /** With a model as first argument: the feature matrix of the calibration rows (held-out rows, not the model's training rows). */
  matrix?: ChurnFeatureMatrix;
}

/**
 * Result of {@link calibrateChurnModel}.
 * @category Churn
 */
export interface ChurnCalibration {
  /** The map fitted on all the rows: apply it with {@link applyChurnCalibration}. */
  calibrator: ChurnCalibrator;
  /** Cross-fitted calibrated probability of every row: row i calibrated by a map fitted without i's fold. */
  outOfFold: Float64Array;
  /** Calibration of the raw scores (Brier and ECE need scores in [0, 1]; null otherwise). */
  before: CalibrationReport | null;
  /** Calibration of the out-of-fold probabilities. */
  after: CalibrationReport;
  /** One sentence saying how the probabilities were calibrated, for a report. */
  description: string;
}

const DEFAULTS = Object.freeze({ method: "isotonic" as "isotonic" | "sigmoid", folds: 5 as number, seed: 42 as Seed, bins: 10 as number });

function readScores(fn: string, s: ArrayLike<number>, n: number | null): Float64Array {
  if (s === null || typeof s !== "object" || typeof s.length !== "number") throw new InvalidOptionError(fn, "scores", s, "an array of finite scores");
  if (n !== null && s.length !== n) throw new InvalidOptionError(fn, "scores", `(length ${s.length})`, `one score per label (${n})`);
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (!(typeof v === "number" && Number.isFinite(v))) throw new InvalidRecordError(fn, { row: i + 1, field: "score", value: v, expected: "a finite number" });
    out[i] = v;
  }
  return out;
}

/**
 * Isotonic (non-decreasing) regression of labels on scores by pool-adjacent-violators, as
 * scikit-learn's `IsotonicRegression`: equal scores are merged first (their labels averaged,
 * weighted), blocks that violate the order are pooled into their weighted mean, and points
 * inside a constant run are dropped (they change no interpolated value).
 *
 * @param scores - one finite score per row.
 * @param labels - 0/1 (or any numbers: the regression fits their conditional mean).
 * @param weights - optional positive row weights. Default all 1.
 * @returns breakpoints `x` (increasing) and fitted values `y` (non-decreasing).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` without rows.
 * @example
 * ```ts
 * // scores 1..4 with labels 0, 1, 0, 1: the violating pair (1, 0) pools to 0.5
 * isotonicFit([1, 2, 3, 4], [0, 1, 0, 1]);
 * //=> { x: [1, 2, 3, 4], y: [0, 0.5, 0.5, 1] }
 * ```
 * @category Churn
 */
export function isotonicFit(scores: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): {
  /** Breakpoints: distinct scores, increasing (inner points of a constant run dropped). */
  x: number[];
  /** Fitted value at each breakpoint, non-decreasing. */
  y: number[];
} {
  const n = scores.length;
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", "isotonicFit: no rows");
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || labels[a] - labels[b]);
  // merge equal scores
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const w = weights ? weights[i] : 1;
    const k = xs.length - 1;
    if (k >= 0 && xs[k] === scores[i]) {
      ys[k] += w * labels[i];
      ws[k] += w;
    } else {
      xs.push(scores[i]);
      ys.push(w * labels[i]);
      ws.push(w);
    }
  }
  for (let k = 0; k < xs.length; k++) ys[k] /= ws[k];
  const m = xs.length;
  const fitted = isotonicRegression(ys, ws);
  // keep the ends of each constant run
  const x: number[] = [];
  const y: number[] = [];
  for (let k = 0; k < m; k++) {
    if (k > 0 && k < m - 1 && fitted[k - 1] === fitted[k] && fitted[k] === fitted[k + 1]) continue;
    x.push(xs[k]);
    y.push(fitted[k]);
  }
  return { x, y };
}

/**
 * Platt's sigmoid calibration, as scikit-learn's `_sigmoid_calibration`: minimise the log-loss of
 * P = 1 / (1 + exp(a s + b)) against Platt's smoothed targets (churned: (N+ + 1) / (N+ + 2),
 * retained: 1 / (N- + 2)), here by Newton's method with step halving to a gradient below 1e-12
 * times the rows (scikit-learn stops BFGS at a gradient norm of 1e-5).
 *
 * @param scores - one finite score per row.
 * @param labels - 0/1 labels.
 * @returns `{ a, b }`.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` without rows; `NOT_CONVERGED` if Newton fails (not seen).
 * @example
 * ```ts
 * const { a, b } = plattFit([0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 1, 0, 1, 1]);
 * [a < 0, 1 / (1 + Math.exp(a * 0.9 + b)) > 0.5];
 * //=> [true, true]
 * ```
 * @category Churn
 */
export function plattFit(scores: ArrayLike<number>, labels: ArrayLike<number>): {
  /** Slope on the score in P = 1 / (1 + exp(a s + b)) (negative when higher scores mean more churn). */
  a: number;
  /** Intercept in P = 1 / (1 + exp(a s + b)). */
  b: number;
} {
  const n = scores.length;
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", "plattFit: no rows");
  let n1 = 0;
  for (let i = 0; i < n; i++) if (labels[i] > 0) n1++;
  const n0 = n - n1;
  const t1 = (n1 + 1) / (n1 + 2);
  const t0 = 1 / (n0 + 2);
  const T = Float64Array.from({ length: n }, (_, i) => (labels[i] > 0 ? t1 : t0));
  // objective in z = a s + b, P = sigmoid(-z): sum T log(1 + e^z) + (1 - T) log(1 + e^-z)
  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const z = a * scores[i] + b;
      const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)); // log(1 + e^z)
      f += T[i] * sp + (1 - T[i]) * (sp - z);
    }
    return f;
  };
  let a = 0;
  let b = Math.log((n0 + 1) / (n1 + 1));
  let f = objective(a, b);
  for (let it = 0; it < 200; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      const z = a * s + b;
      const q = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); // 1 - P
      const r = q - (1 - T[i]);
      ga += r * s;
      gb += r;
      const w = q * (1 - q);
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    if (Math.hypot(ga, gb) <= 1e-12 * n) return { a, b };
    const det = haa * hbb - hab * hab;
    let da: number;
    let db: number;
    if (det > 1e-300 * Math.max(1, haa * hbb)) {
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    } else {
      // constant scores: only the intercept moves
      da = 0;
      db = hbb > 0 ? gb / hbb : 0;
    }
    let step = 1;
    let next = objective(a - da, b - db);
    while (!(next <= f) && step > 1e-10) {
      step /= 2;
      next = objective(a - step * da, b - step * db);
    }
    if (!(next <= f)) return { a, b };
    const moved = Math.abs(step * da) + Math.abs(step * db);
    a -= step * da;
    b -= step * db;
    f = next;
    if (moved <= 1e-15 * (1 + Math.abs(a) + Math.abs(b))) return { a, b };
  }
  throw new AnalyticsError("NOT_CONVERGED", "plattFit: Newton's method did not converge in 200 steps");
}

function makeCalibrator(method: "isotonic" | "sigmoid", s: ArrayLike<number>, y: ArrayLike<number>): ChurnCalibrator {
  if (method === "isotonic") {
    const { x, y: v } = isotonicFit(s, y);
    return { format: "churn-calibration/1", method, x, y: v.map((p) => Math.min(1, Math.max(0, p))) };
  }
  const { a, b } = plattFit(s, y);
  return { format: "churn-calibration/1", method, a, b };
}

function applyRaw(c: ChurnCalibrator, s: Float64Array): Float64Array {
  const out = new Float64Array(s.length);
  if (c.method === "sigmoid") {
    for (let i = 0; i < s.length; i++) {
      const z = c.a * s[i] + c.b;
      out[i] = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    }
    return out;
  }
  const { x, y } = c;
  const m = x.length;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (v <= x[0]) out[i] = y[0];
    else if (v >= x[m - 1]) out[i] = y[m - 1];
    else {
      let lo = 0;
      let hi = m - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid] <= v) lo = mid;
        else hi = mid;
      }
      out[i] = y[lo] + ((y[hi] - y[lo]) * (v - x[lo])) / (x[hi] - x[lo]);
    }
  }
  return out;
}

function checkCalibrator(fn: string, c: unknown): asserts c is ChurnCalibrator {
  const o = c as Record<string, unknown> | null;
  const bad = (path: string, v: unknown, expected: string): never => {
    throw new InvalidOptionError(fn, path, Array.isArray(v) ? `(array of length ${v.length})` : v, expected);
  };
  if (o === null || typeof o !== "object" || o.format !== "churn-calibration/1") bad("calibrator", typeof c === "object" ? "(not a calibrator)" : c, 'a calibrator from calibrateChurnModel (format "churn-calibration/1")');
  if (o!.method === "sigmoid") {
    if (!(typeof o!.a === "number" && Number.isFinite(o!.a))) bad("calibrator.a", o!.a, "a finite number");
    if (!(typeof o!.b === "number" && Number.isFinite(o!.b))) bad("calibrator.b", o!.b, "a finite number");
    return;
  }
  if (o!.method !== "isotonic") bad("calibrator.method", o!.method, '"isotonic" or "sigmoid"');
  const x = o!.x as unknown[];
  const y = o!.y as unknown[];
  if (!Array.isArray(x) || x.length === 0) bad("calibrator.x", x, "a non-empty array of increasing scores");
  if (!Array.isArray(y) || y.length !== x.length) bad("calibrator.y", y, `an array of length ${x.length}`);
  for (let k = 0; k < x.length; k++) {
    if (!(typeof x[k] === "number" && Number.isFinite(x[k] as number) && (k === 0 || (x[k] as number) > (x[k - 1] as number)))) bad(`calibrator.x[${k}]`, x[k], "a finite number above the previous breakpoint");
    if (!(typeof y[k] === "number" && (y[k] as number) >= 0 && (y[k] as number) <= 1 && (k === 0 || (y[k] as number) >= (y[k - 1] as number)))) bad(`calibrator.y[${k}]`, y[k], "a probability >= the previous one");
  }
}

/**
 * Calibrated churn probabilities: a calibrator from {@link calibrateChurnModel} applied to scores.
 *
 * @param calibrator - `result.calibrator` (or its JSON parsed back; checked first).
 * @param scores - scores of the same kind as those the calibrator was fitted on.
 * @returns one probability in [0, 1] per score.
 * @throws {@link InvalidOptionError} for a malformed calibrator (naming the field).
 * @throws {@link InvalidRecordError} for a non-finite score.
 * @example
 * ```ts
 * const cal = { format: "churn-calibration/1" as const, method: "isotonic" as const, x: [0, 1], y: [0.2, 0.6] };
 * applyChurnCalibration(cal, [-1, 0.5, 2]); // clipped, interpolated, clipped
 * //=> Float64Array(3) [ 0.2, 0.4, 0.6 ]
 * ```
 * @category Churn
 */
export function applyChurnCalibration(calibrator: ChurnCalibrator, scores: ArrayLike<number>): Float64Array {
  const fn = "applyChurnCalibration";
  checkCalibrator(fn, calibrator);
  return applyRaw(calibrator, readScores(fn, scores, null));
}

/**
 * Brier score, expected calibration error and reliability-diagram bins of probabilities.
 *
 * @remarks
 * Bins are `bins` equal-width intervals [k/B, (k+1)/B) over [0, 1] (the last one includes 1);
 * ECE = sum over non-empty bins of (n_bin / n) |observed churn rate - mean predicted
 * probability| (Naeini et al. 2015, with equal-width bins); Brier = mean (p - y)^2.
 *
 * @param labels - 0/1 or true/false per row.
 * @param probabilities - one probability in [0, 1] per row.
 * @param options - `bins` (default 10).
 * @returns the report.
 * @throws {@link InvalidOptionError} for mismatched lengths or a bad `bins`; {@link InvalidRecordError} for a value outside [0, 1].
 * @example
 * ```ts
 * // bin [0.2, 0.3): p 0.2, 0.2, observed 1/2 -> |0.5 - 0.2| = 0.3; bin [0.8, 0.9): p 0.8, 0.8, observed 1 -> 0.2
 * // ECE = 2/4 * 0.3 + 2/4 * 0.2 = 0.25; Brier = (0.04 + 0.64 + 0.04 + 0.04) / 4 = 0.19
 * const r = calibrationReport([0, 1, 1, 1], [0.2, 0.2, 0.8, 0.8]);
 * [r.ece.toFixed(4), r.brier.toFixed(4)];
 * //=> ["0.2500", "0.1900"]
 * ```
 * @category Churn
 */
export function calibrationReport(labels: ArrayLike<number | boolean>, probabilities: ArrayLike<number>, options: { bins?: number } = {}): CalibrationReport {
  const fn = "calibrationReport";
  const k = options.bins ?? 10;
  if (!(Number.isInteger(k) && k >= 1)) throw new InvalidOptionError(fn, "bins", k, "an integer >= 1");
  const y = readLabelColumn(fn, labels, "label");
  const p = readScores(fn, probabilities, y.length);
  if (y.length === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no rows`);
  return report(fn, y, p, k);
}

function report(fn: string, y: Uint8Array, p: Float64Array, k: number): CalibrationReport {
  const n = y.length;
  const cnt = new Float64Array(k);
  const sum = new Float64Array(k);
  const pos = new Float64Array(k);
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (!(v >= 0 && v <= 1)) throw new InvalidRecordError(fn, { row: i + 1, field: "probability", value: v, expected: "a probability in [0, 1]" });
    brier += (v - y[i]) ** 2;
    const b = Math.min(k - 1, Math.floor(v * k));
    cnt[b]++;
    sum[b] += v;
    pos[b] += y[i];
  }
  let ece = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < k; b++) {
    const has = cnt[b] > 0;
    if (has) ece += (cnt[b] / n) * Math.abs(pos[b] / cnt[b] - sum[b] / cnt[b]);
    bins.push({ lo: b / k, hi: (b + 1) / k, n: cnt[b], meanPredicted: has ? sum[b] / cnt[b] : null, observedRate: has ? pos[b] / cnt[b] : null });
  }
  return { brier: brier / n, ece, bins };
}

/**
 * Calibrate churn scores (or a model's scores on held-out rows) into probabilities, with
 * cross-fitting.
 *
 * @remarks
 * The rows should be held out from the model's training (a calibration set, or the out-of-fold
 * scores of `crossValidateChurn`): a model's scores on its own training rows are over-confident.
 * Cross-fitting: the rows are dealt into `folds` stratified folds (seeded); each fold's
 * probabilities come from a map fitted on the other folds (`outOfFold`), so `after` judges the
 * calibration honestly. The `calibrator` returned for new rows is fitted on all the rows.
 * Isotonic regression makes no shape assumption but needs a few hundred rows and gives ties
 * (steps); the sigmoid has two parameters and suits small sets or a model whose distortion is
 * S-shaped (margins, boosted log-odds). Ranking is unchanged by the sigmoid and only coarsened
 * (ties) by isotonic steps, so ROC AUC barely moves; Brier and ECE are what improve.
 *
 * @param input - a fitted churn model (then pass `options.matrix`), or one score per row.
 * @param labels - 0/1 or true/false per row.
 * @param options - see {@link CalibrateChurnOptions}.
 * @returns the calibrator, the out-of-fold probabilities and the before/after reports.
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when the labels hold one class only (or none).
 * @throws {@link InvalidOptionError} for a bad option, a model without `matrix`, mismatched lengths.
 * @throws {@link InvalidRecordError} for a non-finite score or a bad label.
 * @example
 * ```ts
 * // over-confident scores: churners score 0.9, retained 0.1, but only 60% / 40% churn
 * const scores = [...Array(50).fill(0.9), ...Array(50).fill(0.1)];
 * const labels = [...Array(30).fill(1), ...Array(20).fill(0), ...Array(20).fill(1), ...Array(30).fill(0)];
 * const cal = calibrateChurnModel(scores, labels, { method: "isotonic", folds: 1 });
 * Array.from(applyChurnCalibration(cal.calibrator, [0.1, 0.9]));
 * //=> [0.4, 0.6]
 * ```
 * @category Churn
 */
export function calibrateChurnModel(input: ChurnModel | ArrayLike<number>, labels: ArrayLike<number | boolean>, options: CalibrateChurnOptions = {}): ChurnCalibration {
  const fn = "calibrateChurnModel";
  const o = withDefaults(DEFAULTS, options);
  if (o.method !== "isotonic" && o.method !== "sigmoid") throw new InvalidOptionError(fn, "method", o.method, '"isotonic" or "sigmoid"');
  if (!(Number.isInteger(o.bins) && o.bins >= 1)) throw new InvalidOptionError(fn, "bins", o.bins, "an integer >= 1");
  const y = readLabelColumn(fn, labels, "label");
  const n = y.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) n1 += y[i];
  if (n1 === 0 || n1 === n) throw new AnalyticsError("EMPTY_INPUT", `${fn}: calibration needs both churned and retained rows`);
  if (!(Number.isInteger(o.folds) && o.folds >= 1 && o.folds <= Math.min(n1, n - n1))) throw new InvalidOptionError(fn, "folds", o.folds, `an integer in [1, ${Math.min(n1, n - n1)}] (each fold needs both classes)`);
  let s: Float64Array;
  let what: string;
  if (input !== null && typeof input === "object" && "format" in (input as object)) {
    const model = input as ChurnModel;
    checkModel(model, fn);
    if (o.matrix === undefined) throw new InvalidOptionError(fn, "matrix", undefined, "the feature matrix of the calibration rows (with a model as first argument)");
    if (model.model === "grouped") throw new InvalidOptionError(fn, "model", "grouped", "a single model (calibrate a grouped model's scores instead)");
    const rows = rowCount(o.matrix, model, fn);
    if (rows !== n) throw new InvalidOptionError(fn, "matrix", `(${rows} rows)`, `one row per label (${n})`);
    s = scoreDesign(model, designOf(model, o.matrix, rows, fn));
    what = `the ${model.model} model's probabilities`;
  } else {
    s = readScores(fn, input as ArrayLike<number>, n);
    what = "the scores";
  }
  const outOfFold = new Float64Array(n);
  if (o.folds === 1) outOfFold.set(applyRaw(makeCalibrator(o.method, s, y), s));
  else {
    const fold = new Int32Array(n);
    let dealt = 0;
    for (const list of shuffledClassIndices(y, o.seed)) for (const i of list) fold[i] = dealt++ % o.folds;
    for (let f = 0; f < o.folds; f++) {
      const trainS: number[] = [];
      const trainY: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < n; i++) {
        if (fold[i] === f) test.push(i);
        else {
          trainS.push(s[i]);
          trainY.push(y[i]);
        }
      }
      const c = makeCalibrator(o.method, trainS, trainY);
      const p = applyRaw(c, Float64Array.from(test, (i) => s[i]));
      test.forEach((i, k) => (outOfFold[i] = p[k]));
    }
  }
  const calibrator = makeCalibrator(o.method, s, y);
  let inUnit = true;
  for (let i = 0; i < n; i++) if (!(s[i] >= 0 && s[i] <= 1)) inUnit = false;
  const before = inUnit ? report(fn, y, s, o.bins) : null;
  const after = report(fn, y, outOfFold, o.bins);
  const name = o.method === "isotonic" ? "isotonic regression (pool-adjacent-violators)" : "a sigmoid (Platt scaling)";
  const description =
    `Churn probabilities calibrated by ${name} of ${what} on ${n} held-out customers` +
    (o.folds > 1 ? `; cross-fitted over ${o.folds} folds: Brier ${before ? before.brier.toFixed(3) + " -> " : ""}${after.brier.toFixed(3)}, ECE ${before ? before.ece.toFixed(3) + " -> " : ""}${after.ece.toFixed(3)}` : "");
  return { calibrator, outOfFold, before, after, description };
}
