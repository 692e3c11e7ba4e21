/**
 * Kaplan–Meier survival curves with Greenwood standard errors, pointwise confidence intervals
 * and the median survival with its confidence interval, as R's `survfit` and `quantile.survfit`.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { groupCodes, survivalRows, type GroupColumn, type NumericColumn } from "./data.js";
import { normalQuantileRefined } from "./distributions.js";

/**
 * How the pointwise interval is built from the Greenwood standard error σ of log S(t):
 * `"log"` S·exp(±zσ) (R's default), `"log-log"` exp(-exp(log(-log S) ∓ zσ / log S)),
 * `"plain"` S ± zσS clipped to [0, 1].
 * @category Survival
 */
export type ConfidenceType = "log" | "log-log" | "plain";

/**
 * Options of {@link kaplanMeier} and {@link kaplanMeierByGroup}.
 * @category Survival
 */
export interface KaplanMeierOptions {
  /** Interval construction. Default `"log"`, R `survfit`'s default `conf.type`. */
  confType?: ConfidenceType;
  /** Two-sided confidence level in (0, 1). Default `0.95`. */
  confLevel?: number;
}

/** The defaults of {@link KaplanMeierOptions}. @category Survival */
export const KAPLAN_MEIER_DEFAULTS: Readonly<Required<KaplanMeierOptions>> = Object.freeze({ confType: "log", confLevel: 0.95 });

/**
 * One Kaplan–Meier curve: one entry per distinct time (event or censoring), as R's `survfit`.
 * `NaN` appears only where R gives `NA`: an interval bound or `stdErr` where S(t) = 0 (and, for
 * `"log-log"`, where S(t) = 1).
 * @category Survival
 */
export interface KaplanMeierCurve {
  /** Rows used. */
  readonly n: number;
  /** Events in total. */
  readonly events: number;
  /** Distinct times, ascending. */
  readonly time: Float64Array;
  /** Subjects at risk just before each time (time >= t). */
  readonly nRisk: Float64Array;
  /** Events at each time. */
  readonly nEvent: Float64Array;
  /** Censored at each time. */
  readonly nCensor: Float64Array;
  /** S(t) = Π (1 - d/n) over event times <= t. */
  readonly surv: Float64Array;
  /** Greenwood standard error of S(t): S(t)·σ(t) (R's `summary(fit)$std.err`). */
  readonly stdErr: Float64Array;
  /** σ(t) = sqrt(Σ d / (n (n - d))), the standard error of -log S(t) (R's `fit$std.err`); `Infinity` once S = 0. */
  readonly stdErrLogSurv: Float64Array;
  /** Lower pointwise bound. */
  readonly lower: Float64Array;
  /** Upper pointwise bound. */
  readonly upper: Float64Array;
  /** Median survival time; `null` when the curve never reaches 0.5. */
  readonly median: number | null;
  /** Lower limit of the median's interval (where the upper band reaches 0.5); `null` if never. */
  readonly medianLower: number | null;
  /** Upper limit of the median's interval (where the lower band reaches 0.5); `null` if never. */
  readonly medianUpper: number | null;
  /** The interval construction used. */
  readonly confType: ConfidenceType;
  /** The confidence level used. */
  readonly confLevel: number;
  /** Input indices (0-based) left out for a missing value. */
  readonly omittedRows: readonly number[];
}

function checkOptions(fn: string, options: KaplanMeierOptions | undefined): Required<KaplanMeierOptions> {
  const o = withDefaults(KAPLAN_MEIER_DEFAULTS, options) as Required<KaplanMeierOptions>;
  if (o.confType !== "log" && o.confType !== "log-log" && o.confType !== "plain") throw new InvalidOptionError(fn, "confType", o.confType, '"log", "log-log" or "plain"');
  if (typeof o.confLevel !== "number" || !(o.confLevel > 0 && o.confLevel < 1)) throw new InvalidOptionError(fn, "confLevel", o.confLevel, "a number in (0, 1)");
  return o;
}

/** The curve of rows already checked (time, status). */
function curve(time: Float64Array, status: Uint8Array, rows: ArrayLike<number>, o: Required<KaplanMeierOptions>, omittedRows: readonly number[]): KaplanMeierCurve {
  const idx = Array.from(rows).sort((a, b) => time[a] - time[b]);
  const times: number[] = [];
  const risk: number[] = [];
  const ev: number[] = [];
  const cens: number[] = [];
  let atRisk = idx.length;
  let events = 0;
  for (let k = 0; k < idx.length; ) {
    const t = time[idx[k]];
    let d = 0;
    let c = 0;
    let j = k;
    for (; j < idx.length && time[idx[j]] === t; j++) {
      if (status[idx[j]] === 1) d++;
      else c++;
    }
    times.push(t);
    risk.push(atRisk);
    ev.push(d);
    cens.push(c);
    atRisk -= j - k;
    events += d;
    k = j;
  }
  const m = times.length;
  const surv = new Float64Array(m);
  const seLog = new Float64Array(m);
  const se = new Float64Array(m);
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  const z = normalQuantileRefined(1 - (1 - o.confLevel) / 2);
  let s = 1;
  let v = 0;
  for (let i = 0; i < m; i++) {
    const n = risk[i];
    const d = ev[i];
    if (d > 0) {
      s *= 1 - d / n;
      v += n > d ? d / (n * (n - d)) : Infinity;
    }
    surv[i] = s;
    seLog[i] = Math.sqrt(v);
    se[i] = s === 0 ? Number.NaN : s * seLog[i];
    const sd = seLog[i];
    if (o.confType === "log") {
      lower[i] = s === 0 ? Number.NaN : Math.exp(Math.log(s) - z * sd);
      upper[i] = s === 0 ? Number.NaN : Math.min(1, Math.exp(Math.log(s) + z * sd));
    } else if (o.confType === "log-log") {
      if (s === 0 || s === 1) {
        lower[i] = Number.NaN;
        upper[i] = Number.NaN;
      } else {
        const w = (z * sd) / Math.log(s);
        lower[i] = Math.exp(-Math.exp(Math.log(-Math.log(s)) - w));
        upper[i] = Math.exp(-Math.exp(Math.log(-Math.log(s)) + w));
      }
    } else {
      const w = s === 0 ? 0 : z * sd * s;
      lower[i] = Number.isFinite(w) ? Math.max(0, s - w) : 0;
      upper[i] = Number.isFinite(w) ? Math.min(1, s + w) : 1;
    }
  }
  const timeArr = Float64Array.from(times);
  return {
    n: idx.length,
    events,
    time: timeArr,
    nRisk: Float64Array.from(risk),
    nEvent: Float64Array.from(ev),
    nCensor: Float64Array.from(cens),
    surv,
    stdErr: se,
    stdErrLogSurv: seLog,
    lower,
    upper,
    median: survivalQuantileOf(timeArr, surv, 0.5),
    medianLower: survivalQuantileOf(timeArr, lower, 0.5),
    medianUpper: survivalQuantileOf(timeArr, upper, 0.5),
    confType: o.confType,
    confLevel: o.confLevel,
    omittedRows,
  };
}

const QUANTILE_TOL = Math.sqrt(2.220446049250313e-16);

/**
 * The time at which a step curve S first falls to 1 - p, by R's rule (`quantile.survfit`,
 * tolerance sqrt(machine epsilon)): where S stays exactly at 1 - p over an interval, the
 * midpoint of that interval (to the last time when the curve ends flat there); `null` when
 * never reached. Points with a `NaN` value are skipped, as R's `approx` drops `NA`.
 * @internal
 */
export function survivalQuantileOf(time: ArrayLike<number>, surv: ArrayLike<number>, p: number): number | null {
  // R: findq(c(0, time), c(0, 1 - surv), p, tol): drop repeated values (first kept) and NA, then
  // approx(y ± tol, index, p, "constant", f = 1), which orders the points by value
  const seen = new Set<number>([0]);
  const pts: { x: number; y: number }[] = [{ x: 0, y: 0 }];
  for (let i = 0; i < time.length; i++) {
    const y = 1 - surv[i];
    if (seen.has(y)) continue; // a Set treats NaN as one value, as R's duplicated() does NA
    seen.add(y);
    pts.push({ x: time[i], y });
  }
  const xmax = time.length > 0 ? time[time.length - 1] : 0;
  let ymax = 0;
  let last: number;
  for (const q of pts) if (!Number.isNaN(q.y)) ymax = Math.max(ymax, q.y);
  last = pts[pts.length - 1].y;
  if (ymax < p) return null;
  if (p === 0) return 0;
  const byValue = pts.filter((q) => !Number.isNaN(q.y)).sort((a, b) => a.y - b.y);
  const at = (shift: number): number | null => {
    for (const q of byValue) if (q.y + shift >= p) return q.x;
    return null;
  };
  const x1 = at(QUANTILE_TOL);
  const x2 = at(-QUANTILE_TOL);
  if (!Number.isNaN(last) && Math.abs(p - last) < QUANTILE_TOL && x1 !== null) return (x1 + xmax) / 2;
  if (x1 === null || x2 === null) return null;
  return (x1 + x2) / 2;
}

/**
 * The Kaplan–Meier estimate of the survival function, with Greenwood standard errors,
 * pointwise confidence intervals and the median survival time with its interval.
 *
 * @remarks
 * At each distinct time t with n at risk and d events, S(t) = S(t-)·(1 - d/n) and Greenwood's
 * variance of log S accumulates d / (n (n - d)) (Kaplan & Meier 1958; Greenwood 1926). The
 * intervals and the median follow R's `survfit` (conf.type `"log"` by default) and
 * `quantile.survfit`: the median is the first time S(t) <= 0.5 (the midpoint of a flat stretch
 * at exactly 0.5), its interval the times where the upper and lower bands reach 0.5. Matches R
 * `survival` 3.5-3 on the `lung` data to 1e-12 (test/survival/km.test.ts). O(n log n).
 *
 * @param time - follow-up time per row (finite, >= 0; NaN = missing, the row is left out).
 * @param status - 1 = event (churn), 0 = censored, per row.
 * @param options - see {@link KaplanMeierOptions}.
 * @returns the curve.
 * @throws {@link InvalidRecordError} for a negative or infinite time or a status other than 0/1;
 *   {@link InvalidOptionError} for bad options or columns of unequal length; `AnalyticsError`
 *   `EMPTY_INPUT` when no complete row is left.
 * @example
 * ```ts
 * // five customers: churned at 1, 2, 3 and 4 months, one censored at 2
 * const km = kaplanMeier([1, 2, 2, 3, 4], [1, 0, 1, 1, 1]);
 * Array.from(km.surv, (s) => +s.toFixed(4));
 * //=> [0.8, 0.6, 0.3, 0]
 * km.median;
 * //=> 3
 * ```
 * @category Survival
 */
export function kaplanMeier(time: NumericColumn, status: NumericColumn, options?: KaplanMeierOptions): KaplanMeierCurve {
  const o = checkOptions("kaplanMeier", options);
  const rows = survivalRows("kaplanMeier", time, status);
  return curve(rows.time, rows.status, Int32Array.from({ length: rows.time.length }, (_, i) => i), o, rows.omittedRows);
}

/**
 * Kaplan–Meier curves per group (R: `survfit(Surv(time, status) ~ group)`), in R's factor
 * order: numbers ascending when every label is a number, otherwise code-unit string order.
 *
 * @param time - follow-up time per row.
 * @param status - 1 = event, 0 = censored.
 * @param group - a label per row (segment, cohort, ...); `null`/`undefined` = missing.
 * @param options - see {@link KaplanMeierOptions}.
 * @returns a `Map` from group label (as a string) to its curve; rows with a missing value are
 *   listed in each curve's `omittedRows`.
 * @throws as {@link kaplanMeier}.
 * @example
 * ```ts
 * const byPlan = kaplanMeierByGroup([1, 2, 3, 4], [1, 1, 0, 1], ["a", "b", "a", "b"]);
 * [...byPlan.keys()];
 * //=> ["a", "b"]
 * Array.from(byPlan.get("b")!.surv);
 * //=> [0.5, 0]
 * ```
 * @category Survival
 */
export function kaplanMeierByGroup(time: NumericColumn, status: NumericColumn, group: GroupColumn, options?: KaplanMeierOptions): Map<string, KaplanMeierCurve> {
  const o = checkOptions("kaplanMeierByGroup", options);
  const rows = survivalRows("kaplanMeierByGroup", time, status, [{ name: "group", values: group }]);
  const { levels, code } = groupCodes(group, rows.index);
  const members: number[][] = levels.map(() => []);
  for (let k = 0; k < code.length; k++) members[code[k]].push(k);
  const out = new Map<string, KaplanMeierCurve>();
  levels.forEach((label, j) => out.set(label, curve(rows.time, rows.status, members[j], o, rows.omittedRows)));
  return out;
}
