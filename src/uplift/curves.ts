/**
 * Uplift and Qini curves, their perfect (oracle) curves, and the areas under them, with
 * scikit-uplift's definitions (`sklift.metrics`, version 0.5).
 * @module
 */
import { fsum } from "../numeric/sum.js";
import { checkLength, countGroups, readBinary, readScores } from "./input.js";

/**
 * Points of an uplift or Qini curve: `targeted[k]` customers (the highest predicted uplifts) and
 * the curve's value there. Starts at (0, 0); one point per distinct score.
 * @category Uplift
 */
export interface UpliftCurve {
  /** Number of customers targeted, increasing from 0 to n. */
  targeted: Float64Array;
  /** Curve value at each point (see {@link upliftCurve} and {@link qiniCurve}). */
  value: Float64Array;
}

/** Read and check outcome, score and treatment. */
function readAll(fn: string, outcome: ArrayLike<number | boolean>, score: ArrayLike<number>, treatment: ArrayLike<number | boolean>): { y: Uint8Array; s: Float64Array; t: Uint8Array } {
  const y = readBinary(fn, "outcome", outcome, "1 = the desired outcome, for retention: stayed");
  const s = readScores(fn, "score", score);
  const t = readBinary(fn, "treatment", treatment, "1 = treated (contacted), 0 = control");
  checkLength(fn, "score", s.length, y.length, "outcome");
  checkLength(fn, "treatment", t.length, y.length, "outcome");
  countGroups(fn, t);
  return { y, s, t };
}

/**
 * Cumulative counts at the end of each block of tied scores, rows sorted by descending score.
 * Returns, per point: rows N, treated N_T, treated with outcome 1 Y_T, control with outcome 1 Y_C.
 */
function cumulate(y: Uint8Array, s: Float64Array, t: Uint8Array): { N: Float64Array; NT: Float64Array; YT: Float64Array; YC: Float64Array } {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b] - s[a]);
  const N: number[] = [];
  const NT: number[] = [];
  const YT: number[] = [];
  const YC: number[] = [];
  let nt = 0;
  let yt = 0;
  let yc = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (t[i]) {
      nt++;
      yt += y[i];
    } else yc += y[i];
    // a point at the last row of each block of equal scores
    if (k === n - 1 || s[order[k + 1]] !== s[i]) {
      N.push(k + 1);
      NT.push(nt);
      YT.push(yt);
      YC.push(yc);
    }
  }
  return { N: Float64Array.from(N), NT: Float64Array.from(NT), YT: Float64Array.from(YT), YC: Float64Array.from(YC) };
}

function uplifts(y: Uint8Array, s: Float64Array, t: Uint8Array): UpliftCurve {
  const { N, NT, YT, YC } = cumulate(y, s, t);
  const m = N.length;
  const targeted = new Float64Array(m + 1);
  const value = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) {
    const nc = N[k] - NT[k];
    const rt = NT[k] > 0 ? YT[k] / NT[k] : 0;
    const rc = nc > 0 ? YC[k] / nc : 0;
    targeted[k + 1] = N[k];
    value[k + 1] = (rt - rc) * N[k];
  }
  return { targeted, value };
}

function qinis(y: Uint8Array, s: Float64Array, t: Uint8Array): UpliftCurve {
  const { N, NT, YT, YC } = cumulate(y, s, t);
  const m = N.length;
  const targeted = new Float64Array(m + 1);
  const value = new Float64Array(m + 1);
  for (let k = 0; k < m; k++) {
    const nc = N[k] - NT[k];
    targeted[k + 1] = N[k];
    value[k + 1] = YT[k] - (nc > 0 ? (YC[k] * NT[k]) / nc : 0);
  }
  return { targeted, value };
}

/** The oracle scores of scikit-uplift's perfect uplift curve. */
function perfectUpliftScores(y: Uint8Array, t: Uint8Array): Float64Array {
  let controlResponders = 0;
  let treatedNonResponders = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] && !t[i]) controlResponders++;
    if (!y[i] && t[i]) treatedNonResponders++;
  }
  const byOutcome = controlResponders > treatedNonResponders;
  return Float64Array.from(y, (yi, i) => 2 * (yi === t[i] ? 1 : 0) + (byOutcome ? yi : t[i]));
}

/** The oracle scores of the perfect Qini curve (negative effects included): y t - y (1 - t). */
function perfectQiniScores(y: Uint8Array, t: Uint8Array): Float64Array {
  return Float64Array.from(y, (yi, i) => (t[i] ? yi : -yi));
}

/**
 * Area under a curve by the trapezoidal rule (scikit-learn's `auc`), summed with `fsum`.
 *
 * @param curve - points with increasing `targeted`.
 * @returns sum over consecutive points of (x_k - x_{k-1}) (v_k + v_{k-1}) / 2.
 * @example
 * ```ts
 * curveArea({ targeted: Float64Array.from([0, 2, 4]), value: Float64Array.from([0, 2, 1]) });
 * //=> 5
 * ```
 * @category Uplift
 */
export function curveArea(curve: UpliftCurve): number {
  const { targeted: x, value: v } = curve;
  const parts = new Float64Array(Math.max(0, x.length - 1));
  for (let k = 1; k < x.length; k++) parts[k - 1] = ((x[k] - x[k - 1]) * (v[k] + v[k - 1])) / 2;
  return fsum(parts);
}

/**
 * The uplift curve: customers sorted by descending predicted uplift; after the first N of them
 * (N_T treated, N_C control, Y_T and Y_C of them with outcome 1), the value is
 * (Y_T / N_T - Y_C / N_C) x N.
 *
 * @remarks
 * scikit-uplift's `uplift_curve`: the observed difference of outcome rates among the targeted,
 * scaled to the number targeted (the extra desired outcomes if all N had been treated). A rate
 * over an empty group counts 0. **Ties**: customers with equal scores are one step: the curve
 * has a point only at the end of each block of tied scores (so it does not depend on the input
 * order of tied customers), and the area joins those points by straight lines. The curve starts
 * at (0, 0). O(n log n).
 *
 * @param outcome - 1 (or `true`) = the desired outcome. For retention: the customer **stayed**.
 * @param score - predicted uplift per customer (any finite numbers; only their order matters).
 * @param treatment - 1 (or `true`) = treated (contacted), 0 = control.
 * @returns the points (see {@link UpliftCurve}).
 * @throws {@link InvalidOptionError} when the lengths differ.
 * @throws {@link InvalidRecordError} for an outcome or treatment other than 0/1/true/false, or a non-finite score (with the row).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` with no rows, no treated or no control rows.
 * @example
 * ```ts
 * // sorted by score: (t=1, y=1), (t=0, y=0), (t=1, y=0), (t=0, y=1)
 * // N=1: 1/1 - 0 (no control) = 1, x 1 = 1; N=2: 1/1 - 0/1 = 1, x 2 = 2;
 * // N=3: 1/2 - 0/1 = 0.5, x 3 = 1.5; N=4: 1/2 - 1/2 = 0, x 4 = 0
 * const c = upliftCurve([1, 0, 0, 1], [0.9, 0.5, 0.3, 0.1], [1, 0, 1, 0]);
 * [Array.from(c.targeted), Array.from(c.value)];
 * //=> [[0, 1, 2, 3, 4], [0, 1, 2, 1.5, 0]]
 * ```
 * @category Uplift
 */
export function upliftCurve(outcome: ArrayLike<number | boolean>, score: ArrayLike<number>, treatment: ArrayLike<number | boolean>): UpliftCurve {
  const { y, s, t } = readAll("upliftCurve", outcome, score, treatment);
  return uplifts(y, s, t);
}

/**
 * The Qini curve: customers sorted by descending predicted uplift; after the first N of them,
 * the value is Y_T - Y_C x N_T / N_C (treated customers with the desired outcome, minus the
 * control customers with it scaled to the treated group's size).
 *
 * @remarks
 * scikit-uplift's `qini_curve` (Radcliffe 2007, "Using control groups to target on predicted
 * lift"). The term Y_C N_T / N_C counts 0 while no control customer is targeted. Ties: one
 * point per block of equal scores, as in {@link upliftCurve}. Starts at (0, 0). O(n log n).
 *
 * @param outcome - 1 (or `true`) = the desired outcome (retention: stayed).
 * @param score - predicted uplift per customer.
 * @param treatment - 1 (or `true`) = treated, 0 = control.
 * @returns the points (see {@link UpliftCurve}).
 * @throws {@link InvalidOptionError} when the lengths differ.
 * @throws {@link InvalidRecordError} for a bad outcome, treatment or score (with the row).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` with no rows, no treated or no control rows.
 * @example
 * ```ts
 * // sorted: (t=1, y=1), (t=0, y=0), (t=1, y=0), (t=0, y=1)
 * // N=1: 1 - 0 (no control yet) = 1; N=2: 1 - 0 x 1/1 = 1; N=3: 1 - 0 x 2/1 = 1; N=4: 1 - 1 x 2/2 = 0
 * const c = qiniCurve([1, 0, 0, 1], [0.9, 0.5, 0.3, 0.1], [1, 0, 1, 0]);
 * Array.from(c.value);
 * //=> [0, 1, 1, 1, 0]
 * ```
 * @category Uplift
 */
export function qiniCurve(outcome: ArrayLike<number | boolean>, score: ArrayLike<number>, treatment: ArrayLike<number | boolean>): UpliftCurve {
  const { y, s, t } = readAll("qiniCurve", outcome, score, treatment);
  return qinis(y, s, t);
}

/**
 * The perfect uplift curve: {@link upliftCurve} of an oracle score that puts treated customers
 * with the desired outcome and control customers without it first.
 *
 * @remarks
 * scikit-uplift's `perfect_uplift_curve`: score = 2 [y = t] + (y if control responders
 * outnumber treated non-responders, else t).
 *
 * @param outcome - 1 = the desired outcome.
 * @param treatment - 1 = treated, 0 = control.
 * @returns the points.
 * @throws as {@link upliftCurve}.
 * @example
 * ```ts
 * // control responders (1) do not outnumber treated non-responders (1): score 2 [y = t] + t = [3, 2, 1, 0]
 * Array.from(perfectUpliftCurve([1, 0, 0, 1], [1, 0, 1, 0]).value);
 * //=> [0, 1, 2, 1.5, 0]
 * ```
 * @category Uplift
 */
export function perfectUpliftCurve(outcome: ArrayLike<number | boolean>, treatment: ArrayLike<number | boolean>): UpliftCurve {
  const fn = "perfectUpliftCurve";
  const y = readBinary(fn, "outcome", outcome, "1 = the desired outcome");
  const t = readBinary(fn, "treatment", treatment, "1 = treated, 0 = control");
  checkLength(fn, "treatment", t.length, y.length, "outcome");
  countGroups(fn, t);
  return uplifts(y, perfectUpliftScores(y, t), t);
}

/**
 * The perfect Qini curve with negative effects: {@link qiniCurve} of the oracle score
 * y t - y (1 - t) (treated responders first, control responders last).
 *
 * @remarks
 * scikit-uplift's `perfect_qini_curve(..., negative_effect=True)` (its default; the variant
 * without negative effects is not offered).
 *
 * @param outcome - 1 = the desired outcome.
 * @param treatment - 1 = treated, 0 = control.
 * @returns the points.
 * @throws as {@link qiniCurve}.
 * @example
 * ```ts
 * // score y t - y (1 - t) = [1, 0, 0, -1]: the two zeros are tied, one point at N = 3
 * const c = perfectQiniCurve([1, 0, 0, 1], [1, 0, 1, 0]);
 * [Array.from(c.targeted), Array.from(c.value)];
 * //=> [[0, 1, 3, 4], [0, 1, 1, 0]]
 * ```
 * @category Uplift
 */
export function perfectQiniCurve(outcome: ArrayLike<number | boolean>, treatment: ArrayLike<number | boolean>): UpliftCurve {
  const fn = "perfectQiniCurve";
  const y = readBinary(fn, "outcome", outcome, "1 = the desired outcome");
  const t = readBinary(fn, "treatment", treatment, "1 = treated, 0 = control");
  checkLength(fn, "treatment", t.length, y.length, "outcome");
  countGroups(fn, t);
  return qinis(y, perfectQiniScores(y, t), t);
}

/**
 * Areas of one curve kind (uplift or Qini) in {@link UpliftEvaluation}.
 * @category Uplift
 */
export interface UpliftCurveSummary {
  /** The curve of the scores. */
  curve: UpliftCurve;
  /** The perfect (oracle) curve. */
  perfectCurve: UpliftCurve;
  /** Area under the curve (trapezoids). */
  area: number;
  /** Area under the random-targeting line from (0, 0) to (n, curve at n): n x value(n) / 2. */
  randomArea: number;
  /** Area under the perfect curve. */
  perfectArea: number;
  /** area - randomArea: what the ranking adds over random targeting (in customers x outcomes). */
  excessArea: number;
  /** (area - randomArea) / (perfectArea - randomArea): scikit-uplift's `uplift_auc_score` / `qini_auc_score`. 1 = perfect, 0 = random. null when the perfect curve is no better than random (perfectArea = randomArea). */
  normalized: number | null;
}

/**
 * Result of {@link evaluateUplift}.
 * @category Uplift
 */
export interface UpliftEvaluation {
  /** Rows. */
  rows: number;
  /** Treated rows. */
  treated: number;
  /** Control rows. */
  control: number;
  /** Share of treated rows with outcome 1. */
  treatedRate: number;
  /** Share of control rows with outcome 1. */
  controlRate: number;
  /** treatedRate - controlRate: the average effect of treating everybody. */
  averageUplift: number;
  /** The uplift curve and its areas (AUUC). */
  uplift: UpliftCurveSummary;
  /** The Qini curve and its areas (the normalised area is the Qini coefficient). */
  qini: UpliftCurveSummary;
}

function summarise(curve: UpliftCurve, perfectCurve: UpliftCurve): UpliftCurveSummary {
  const n = curve.targeted[curve.targeted.length - 1];
  const end = curve.value[curve.value.length - 1];
  const area = curveArea(curve);
  const randomArea = (n * end) / 2;
  const perfectArea = curveArea(perfectCurve);
  const excessArea = area - randomArea;
  const span = perfectArea - randomArea;
  return { curve, perfectCurve, area, randomArea, perfectArea, excessArea, normalized: span === 0 ? null : excessArea / span };
}

/**
 * Evaluate predicted uplift on an experiment: uplift and Qini curves, the areas under them,
 * against random targeting and the perfect ranking.
 *
 * @remarks
 * Definitions are scikit-uplift's (`sklift.metrics` 0.5): {@link upliftCurve},
 * {@link qiniCurve}, {@link perfectUpliftCurve}, {@link perfectQiniCurve}; the random baseline
 * is the straight line from (0, 0) to the curve's last point; the normalised area
 * (area - random) / (perfect - random) equals `uplift_auc_score` (AUUC) and `qini_auc_score`
 * (the Qini coefficient, `negative_effect=True`). Evaluate on rows the model was not trained on.
 * Ties: one point per block of equal scores (see {@link upliftCurve}).
 *
 * @param outcome - 1 (or `true`) = the desired outcome (retention: the customer stayed).
 * @param score - predicted uplift per customer (for example from {@link predictUplift}).
 * @param treatment - 1 (or `true`) = treated, 0 = control.
 * @returns counts, rates and both curve summaries.
 * @throws {@link InvalidOptionError} when the lengths differ.
 * @throws {@link InvalidRecordError} for a bad outcome, treatment or score (with the row).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` with no rows, no treated or no control rows.
 * @example
 * ```ts
 * // a perfect ranking (see the qiniCurve example): treated responder first, control responder last
 * const e = evaluateUplift([1, 0, 0, 1], [0.9, 0.5, 0.3, 0.1], [1, 0, 1, 0]);
 * // Qini points (0,0) (1,1) (2,1) (3,1) (4,0): area 0.5 + 1 + 1 + 0.5 = 3; the random line ends at 0
 * // perfect Qini (0,0) (1,1) (3,1) (4,0): area 0.5 + 2 + 0.5 = 3, so normalized (3 - 0) / (3 - 0) = 1
 * [e.qini.area, e.qini.randomArea, e.qini.perfectArea, e.qini.normalized];
 * //=> [3, 0, 3, 1]
 * // uplift points (0,0) (1,1) (2,2) (3,1.5) (4,0): area 0.5 + 1.5 + 1.75 + 0.75 = 4.5
 * [e.averageUplift, e.uplift.area, e.uplift.normalized];
 * //=> [0, 4.5, 1]
 * // reversed scores: Qini (0,0) (1,0) (2,-1) (3,-0.5) (4,0), area 0 - 0.5 - 0.75 - 0.25 = -1.5,
 * // normalized -1.5 / 3 = -0.5
 * evaluateUplift([1, 0, 0, 1], [0.1, 0.3, 0.5, 0.9], [1, 0, 1, 0]).qini.normalized;
 * //=> -0.5
 * ```
 * @category Uplift
 */
export function evaluateUplift(outcome: ArrayLike<number | boolean>, score: ArrayLike<number>, treatment: ArrayLike<number | boolean>): UpliftEvaluation {
  const { y, s, t } = readAll("evaluateUplift", outcome, score, treatment);
  const { treated, control } = countGroups("evaluateUplift", t);
  let yt = 0;
  let yc = 0;
  for (let i = 0; i < y.length; i++) {
    if (t[i]) yt += y[i];
    else yc += y[i];
  }
  const treatedRate = yt / treated;
  const controlRate = yc / control;
  return {
    rows: y.length,
    treated,
    control,
    treatedRate,
    controlRate,
    averageUplift: treatedRate - controlRate,
    uplift: summarise(uplifts(y, s, t), uplifts(y, perfectUpliftScores(y, t), t)),
    qini: summarise(qinis(y, s, t), qinis(y, perfectQiniScores(y, t), t)),
  };
}
