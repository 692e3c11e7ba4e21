/**
 * Which transaction model, and does it fit? A back-test on rolling calibration windows.
 * @module
 */
import type { Transaction } from "../core/types.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { pearson } from "../numeric/rank.js";
import { fitBgNbd } from "./bgnbd.js";
import { isTransactionTable, toTransactionTable } from "../core/columns.js";
import type { TransactionTable } from "../core/table.js";
import { calibrationTable } from "../summary/summarize.js";
import { fitMbgNbd } from "./mbgnbd.js";
import { fitParetoNbd } from "./paretonbd.js";
import { conditionalColumn, type TransactionModel } from "./predict.js";
import { toColumns } from "./data.js";

/** A calibration window: calibration up to `calibrationEnd`, holdout up to `holdoutEnd` (inclusive days). @category CLV */
export interface BacktestWindow {
  /** Last day of the calibration period, a `Date` or `"YYYY-MM-DD"`. */
  readonly calibrationEnd: Date | string;
  /** Last day of the holdout period. */
  readonly holdoutEnd: Date | string;
}

/** Options of {@link backtestTransactionModels}. @category CLV */
export interface BacktestTransactionModelsOptions {
  /** The rolling windows (at least one). Required. */
  windows: readonly BacktestWindow[];
  /** Penalizer of every fit. Default `0`. */
  penalizer?: number;
}

/** Scores of one model on one window. @category CLV */
export interface BacktestScore {
  /** `"bg-nbd"`, `"mbg-nbd"`, `"pareto-nbd"` or `"naive-last-period"`. */
  readonly model: string;
  /** Mean absolute error of per-customer holdout purchases. */
  readonly mae: number;
  /** Root mean squared error of per-customer holdout purchases. */
  readonly rmse: number;
  /** Predicted total holdout purchases. */
  readonly predictedTotal: number;
  /** |predicted total − actual total| / actual total (aggregate tracking error). */
  readonly trackingError: number;
}

/** One window's result. @category CLV */
export interface BacktestWindowResult {
  /** Last day of the calibration period (ISO `YYYY-MM-DD`). */
  readonly calibrationEnd: string;
  /** Last day of the holdout period (ISO `YYYY-MM-DD`). */
  readonly holdoutEnd: string;
  /** Customers with a purchase by `calibrationEnd`: the rows scored. */
  readonly customers: number;
  /** Actual total holdout purchases of those customers. */
  readonly actualTotal: number;
  /** One score per model: BG/NBD, MBG/NBD, Pareto/NBD, then the naive baseline. */
  readonly scores: BacktestScore[];
}

/** Result of {@link backtestTransactionModels}. @category CLV */
export interface BacktestResult {
  /** One result per window, in the order given. */
  readonly windows: BacktestWindowResult[];
  /** Mean over windows of each model's MAE, RMSE and tracking error. */
  readonly summary: {
    /** The model, as in {@link BacktestScore.model}. */
    model: string;
    /** Mean over the windows of its MAE. */
    mae: number;
    /** Mean over the windows of its RMSE. */
    rmse: number;
    /** Mean over the windows of its tracking error. */
    trackingError: number;
  }[];
  /** The recommended transaction model (never the baseline: if the baseline wins, the best model is still named and the reason says so). */
  readonly recommended: "bg-nbd" | "mbg-nbd" | "pareto-nbd";
  /** Plain-language reason. */
  readonly reason: string;
  /** Gamma-Gamma independence check on the last window's repeat buyers: Pearson correlation of x and mean spend, and whether |ρ| < 0.3. */
  readonly spendIndependence: {
    /** Pearson correlation of repeat count and mean repeat spend (0 when it cannot be computed: fewer than 3 repeat buyers or a constant column). */
    readonly correlation: number;
    /** Repeat buyers (x > 0) in the last window's calibration period. */
    readonly repeatBuyers: number;
    /** Whether |ρ| < 0.3 (also `true` when the correlation cannot be computed). */
    readonly independent: boolean;
  };
}

const DAY = 86_400_000;

/** One row per customer with a purchase by `cal` (sorted by id), as `calibrationHoldout` gives them: x, t_x, T, mean spend in weeks to `cal`, and the purchases in (cal, hold]. */
function holdoutRows(log: TransactionTable, cal: Date, hold: Date): { customerId: string; x: number; t_x: number; T: number; monetaryValue: number; holdoutPurchases: number; holdoutDuration: number }[] {
  if (log.length === 0 || cal.getTime() < minDay(log) * DAY) return [];
  const c = calibrationTable(log, { calibrationEnd: cal, timeUnit: "weeks" });
  const e = calibrationTable(log, { calibrationEnd: hold, timeUnit: "weeks" });
  const duration = (hold.getTime() - cal.getTime()) / DAY / 7;
  const out = new Array(c.length);
  let j = 0;
  for (let k = 0; k < c.length; k++) {
    const id = c.ids[k];
    while (j < e.length && e.ids[j] < id) j++;
    const xEnd = j < e.length && e.ids[j] === id ? e.x[j] : c.x[k];
    out[k] = { customerId: id, x: c.x[k], t_x: c.t_x[k], T: c.T[k], monetaryValue: c.monetaryValue[k], holdoutPurchases: xEnd - c.x[k], holdoutDuration: duration };
  }
  return out;
}

function minDay(t: TransactionTable): number {
  let m = Infinity;
  for (let i = 0; i < t.day.length; i++) if (t.day[i] < m) m = t.day[i];
  return m;
}
const toDate = (d: Date | string, fn: string, option: string): Date => {
  const v = d instanceof Date ? d : typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00Z`) : null;
  if (!v || Number.isNaN(v.getTime())) throw new InvalidOptionError(fn, option, d, 'a Date or "YYYY-MM-DD"');
  return v;
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Back-test BG/NBD, MBG/NBD, Pareto/NBD and a naive baseline on rolling calibration windows and
 * recommend a transaction model.
 *
 * @remarks
 * For each window the three models are fitted on the calibration period (time in weeks) and
 * predict each customer's holdout purchases E[Y(t) | x, t_x, T]; the naive baseline predicts
 * that a customer repeats in the holdout what they did in the last calibration period of the
 * same length (customers who first bought inside that period: all their repeats). Scores:
 * per-customer MAE and RMSE, and the aggregate tracking error |Σ predicted − Σ actual| / Σ actual.
 * The recommendation is the model with the lowest mean RMSE over the windows; models within 0.5%
 * of that RMSE count as tied and the lowest mean tracking error decides; the reason names the numbers and whether the models beat the
 * baseline. The Gamma-Gamma independence assumption is checked on the last window (Pearson
 * correlation of repeat count and mean repeat spend among repeat buyers; |ρ| < 0.3 is taken as
 * "consistent with independence", the rule of thumb of Fader & Hardie's Gamma-Gamma note).
 *
 * @param transactions - the transaction log, as records or a {@link TransactionTable} (the columnar path: records are converted to one once).
 * @param options - see {@link BacktestTransactionModelsOptions}.
 * @returns a {@link BacktestResult}.
 * @throws {@link InvalidOptionError} for no windows or a bad date; {@link AnalyticsError} `EMPTY_INPUT` for a window with no customers or no holdout purchases.
 * @example
 * ```ts
 * const log = [
 *   ["a", "2024-01-01"], ["a", "2024-02-01"], ["a", "2024-03-05"], ["b", "2024-01-03"], ["c", "2024-01-10"],
 *   ["c", "2024-01-20"], ["c", "2024-04-10"], ["d", "2024-01-15"], ["d", "2024-03-20"], ["e", "2024-02-01"],
 * ].map(([customerId, date]) => ({ customerId, date: new Date(`${date}T00:00:00Z`), amount: 10 }));
 * const bt = backtestTransactionModels(log, { windows: [{ calibrationEnd: "2024-02-29", holdoutEnd: "2024-04-30" }], penalizer: 0.1 });
 * bt.windows[0].scores.map((s) => s.model);
 * //=> ["bg-nbd", "mbg-nbd", "pareto-nbd", "naive-last-period"]
 * ```
 * @category CLV
 */
export function backtestTransactionModels(transactions: Iterable<Transaction> | TransactionTable, options: BacktestTransactionModelsOptions): BacktestResult {
  const fn = "backtestTransactionModels";
  const windows = options?.windows;
  if (!Array.isArray(windows) || windows.length === 0) throw new InvalidOptionError(fn, "windows", windows, "a non-empty array of { calibrationEnd, holdoutEnd }");
  const penalizer = options.penalizer ?? 0;
  // Columns once (a table is used as it is); each window's rows are two calibration tables.
  const log = isTransactionTable(transactions) ? transactions : toTransactionTable(transactions, fn);
  const results: BacktestWindowResult[] = [];
  let spendIndependence = { correlation: 0, repeatBuyers: 0, independent: true };
  windows.forEach((w, wi) => {
    const cal = toDate(w.calibrationEnd, fn, `windows[${wi}].calibrationEnd`);
    const hold = toDate(w.holdoutEnd, fn, `windows[${wi}].holdoutEnd`);
    if (!(hold > cal)) throw new InvalidOptionError(fn, `windows[${wi}].holdoutEnd`, w.holdoutEnd, "a day after calibrationEnd");
    const rows = holdoutRows(log, cal, hold);
    if (rows.length === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: window ${wi + 1} has no customers before ${iso(cal)}`);
    const actual = rows.map((r) => r.holdoutPurchases);
    const actualTotal = actual.reduce((s, v) => s + v, 0);
    if (actualTotal === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: window ${wi + 1} has no holdout purchases (${iso(cal)} .. ${iso(hold)})`);
    const t = rows[0].holdoutDuration;
    const c = toColumns(rows, fn);
    const fits: TransactionModel[] = [fitBgNbd(rows, { penalizer }), fitMbgNbd(rows, { penalizer }), fitParetoNbd(rows, { penalizer })];
    const preds: [string, ArrayLike<number>][] = fits.map((m) => [m.model, conditionalColumn(m, c, t)]);
    // naive: repeats in the last calibration period of the holdout's length
    const lastStart = new Date(cal.getTime() - (hold.getTime() - cal.getTime()));
    const last = new Map(holdoutRows(log, lastStart, cal).map((r) => [r.customerId, r.holdoutPurchases]));
    preds.push(["naive-last-period", rows.map((r) => last.get(r.customerId) ?? r.x)]);
    const scores = preds.map(([model, p]) => {
      let ae = 0;
      let se = 0;
      let tot = 0;
      for (let i = 0; i < actual.length; i++) {
        const e = p[i] - actual[i];
        ae += Math.abs(e);
        se += e * e;
        tot += p[i];
      }
      return { model, mae: ae / actual.length, rmse: Math.sqrt(se / actual.length), predictedTotal: tot, trackingError: Math.abs(tot - actualTotal) / actualTotal };
    });
    results.push({ calibrationEnd: iso(cal), holdoutEnd: iso(hold), customers: rows.length, actualTotal, scores });
    if (wi === windows.length - 1) {
      const rep = rows.filter((r) => r.x > 0);
      const rho = rep.length > 2 ? pearson(rep.map((r) => r.x), rep.map((r) => r.monetaryValue)) : NaN;
      spendIndependence = { correlation: Number.isFinite(rho) ? rho : 0, repeatBuyers: rep.length, independent: !(Math.abs(rho) >= 0.3) };
    }
  });
  const names = results[0].scores.map((s) => s.model);
  const summary = names.map((model, j) => {
    const mean = (k: "mae" | "rmse" | "trackingError") => results.reduce((s, r) => s + r.scores[j][k], 0) / results.length;
    return { model, mae: mean("mae"), rmse: mean("rmse"), trackingError: mean("trackingError") };
  });
  const models = summary.slice(0, 3);
  const minRmse = Math.min(...models.map((m) => m.rmse));
  const close = models.filter((m) => m.rmse <= minRmse * 1.005);
  const best = close.reduce((x, y) => (y.trackingError < x.trackingError ? y : x));
  const others = models.filter((m) => m !== best);
  const naive = summary[3];
  const f = (v: number) => v.toFixed(3);
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const over = `over ${results.length} window${results.length > 1 ? "s" : ""}`;
  const lead =
    close.length > 1
      ? `${close.map((m) => m.model).join(", ")} predict individual customers equally well ${over} (RMSE within 0.5%: ${models.map((m) => `${m.model} ${f(m.rmse)}`).join(", ")}); ${best.model} tracks the total best (aggregate error ${pct(best.trackingError)} vs ${others.map((m) => `${m.model} ${pct(m.trackingError)}`).join(", ")})`
      : `${best.model} has the lowest per-customer error ${over} (RMSE ${f(best.rmse)} vs ${others.map((m) => `${m.model} ${f(m.rmse)}`).join(", ")}; aggregate tracking error ${pct(best.trackingError)})`;
  const reason =
    lead +
    (best.rmse < naive.rmse
      ? `; it beats the naive last-period baseline (RMSE ${f(naive.rmse)}, tracking error ${pct(naive.trackingError)}).`
      : `; but it does not beat the naive last-period baseline (RMSE ${f(naive.rmse)}): treat the model's forecasts with caution.`);
  return { windows: results, summary, recommended: best.model as BacktestResult["recommended"], reason, spendIndependence };
}
