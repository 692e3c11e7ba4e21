/**
 * Calibration/holdout split of a transaction log and the standard validation table.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { daysPerUnit, epochDay, toEpochDay } from "../core/time.js";
import type { CalibrationSummary, DateInput, TimeUnit, Transaction } from "../core/types.js";
import { calibrationSummary } from "../summary/summarize.js";
import { toColumns, type ClvCustomer } from "./data.js";
import { checkTransactionModel, conditionalColumn, type TransactionModel } from "./predict.js";

/**
 * Options of {@link calibrationHoldout}.
 * @category CLV
 */
export interface CalibrationHoldoutOptions {
  /** Last day of the calibration period (inclusive). Required. */
  calibrationEnd: DateInput;
  /** Last day of the holdout period (inclusive). Default: the last transaction day. */
  holdoutEnd?: DateInput;
  /** Model time unit. Default `"weeks"`. */
  timeUnit?: TimeUnit;
  /** What one purchase is: `"day"` (default) or `"order"`, as in `calibrationSummary`. */
  groupBy?: "day" | "order";
}

/**
 * A calibration summary plus what the customer did in the holdout period.
 * @category CLV
 */
export interface CalibrationHoldoutRow extends CalibrationSummary {
  /** Purchases (days, or orders) after the calibration end, up to the holdout end. */
  readonly holdoutPurchases: number;
  /** Length of the holdout period in model time units (the same for every customer). */
  readonly holdoutDuration: number;
}

/**
 * Split a transaction log at a date into calibration summaries and holdout purchase counts.
 *
 * @remarks
 * Calls `calibrationSummary` at `calibrationEnd` and again at `holdoutEnd`; a customer's
 * holdout purchases are the difference of the two `x` values, so purchases are counted exactly
 * as in the calibration period (same-day lines merged, pure-return days not counted). Customers
 * whose first purchase is after `calibrationEnd` are not in the result (they are not in the
 * calibration cohort). On CDNOW (1997-09-30, 1998-06-30, weeks): 2,357 customers, 1,882
 * holdout purchases, holdout duration 39 weeks.
 *
 * @param transactions - validated transactions.
 * @param options - see {@link CalibrationHoldoutOptions}.
 * @returns one {@link CalibrationHoldoutRow} per calibration customer, sorted by id.
 * @throws {@link InvalidOptionError} for a missing or bad `calibrationEnd`, a `holdoutEnd` not after it, or a bad `timeUnit`.
 * @throws {@link InvalidRecordError} for an invalid transaction.
 * @example
 * ```ts
 * const d = (s: string) => new Date(`${s}T00:00:00Z`);
 * calibrationHoldout([
 *   { customerId: "a", date: d("2024-01-01"), amount: 10 },
 *   { customerId: "a", date: d("2024-01-15"), amount: 20 },
 *   { customerId: "a", date: d("2024-02-05"), amount: 5 },
 * ], { calibrationEnd: "2024-01-29", holdoutEnd: "2024-02-26" }).map((r) => [r.x, r.holdoutPurchases, r.holdoutDuration]);
 * //=> [[1, 1, 4]]
 * ```
 * @category CLV
 */
export function calibrationHoldout(transactions: Iterable<Transaction>, options: CalibrationHoldoutOptions): CalibrationHoldoutRow[] {
  const fn = "calibrationHoldout";
  if (options?.calibrationEnd === undefined) throw new InvalidOptionError(fn, "calibrationEnd", undefined, "the last day of the calibration period");
  const tx = Array.isArray(transactions) ? (transactions as readonly Transaction[]) : [...transactions];
  const calEnd = toEpochDay(options.calibrationEnd, fn, "calibrationEnd");
  let holdEnd: number;
  if (options.holdoutEnd !== undefined) holdEnd = toEpochDay(options.holdoutEnd, fn, "holdoutEnd");
  else {
    holdEnd = -Infinity;
    for (const t of tx) if (t && t.date instanceof Date) holdEnd = Math.max(holdEnd, epochDay(t.date));
  }
  if (!(holdEnd > calEnd)) throw new InvalidOptionError(fn, "holdoutEnd", options.holdoutEnd ?? "last transaction day", `a day after calibrationEnd ${options.calibrationEnd}`);
  const timeUnit = options.timeUnit ?? "weeks";
  let unit: number;
  try {
    unit = daysPerUnit(timeUnit);
  } catch {
    throw new InvalidOptionError(fn, "timeUnit", timeUnit, '"days", "weeks" or a positive number of days');
  }
  const groupBy = options.groupBy ?? "day";
  const cal = calibrationSummary(tx, { calibrationEnd: options.calibrationEnd, timeUnit, groupBy });
  const full = calibrationSummary(tx, { calibrationEnd: holdEnd * 86_400_000, timeUnit, groupBy });
  return joinHoldout(cal, full, (holdEnd - calEnd) / unit);
}

/**
 * Calibration rows with their holdout purchases: the repeat purchases a customer made by the
 * holdout end (`full`, summaries at that day) minus those in the calibration period.
 * @internal
 */
export function joinHoldout(cal: readonly CalibrationSummary[], full: readonly CalibrationSummary[], holdoutDuration: number): CalibrationHoldoutRow[] {
  const xFull = new Map<string, number>();
  for (const s of full) xFull.set(s.customerId, s.x);
  return cal.map((s) => ({ ...s, holdoutPurchases: (xFull.get(s.customerId) ?? s.x) - s.x, holdoutDuration }));
}

/**
 * Options of {@link holdoutValidation}.
 * @category CLV
 */
export interface HoldoutValidationOptions {
  /** Calibration frequencies 0..maxFrequency-1 get a row each; x >= maxFrequency are pooled in a "maxFrequency+" row. Default `7`. */
  maxFrequency?: number;
}

/**
 * One row of the validation table: customers with the same calibration frequency.
 * @category CLV
 */
export interface HoldoutValidationRow {
  /** Calibration repeat purchases x (the lower bound for the pooled last row). */
  readonly frequency: number;
  /** `"0"`, `"1"`, ..., and `"7+"` for the pooled row. */
  readonly label: string;
  /** Customers in the class. */
  readonly customers: number;
  /** Mean actual holdout purchases. */
  readonly actual: number;
  /** Mean predicted holdout purchases, E[Y(holdoutDuration) | x, t_x, T]. */
  readonly predicted: number;
}

/**
 * The validation table and its totals.
 * @category CLV
 */
export interface HoldoutValidation {
  /** One row per frequency class (the data of the usual "actual vs predicted by frequency" plot). */
  readonly rows: HoldoutValidationRow[];
  /** Sum of actual holdout purchases over all customers. */
  readonly totalActual: number;
  /** Sum of predicted holdout purchases over all customers. */
  readonly totalPredicted: number;
}

/**
 * Compare predicted with actual holdout purchases by calibration frequency (Fader, Hardie &
 * Lee 2005, figure 4).
 *
 * @remarks
 * For each customer the prediction is E[Y(t*) | x, t_x, T] with t* its `holdoutDuration`; rows
 * average actual and predicted purchases over the customers of each frequency class.
 *
 * @param model - a fitted BG/NBD or Pareto/NBD model.
 * @param rows - output of {@link calibrationHoldout} (or any records with x, t_x, T, holdoutPurchases, holdoutDuration).
 * @param options - see {@link HoldoutValidationOptions}.
 * @returns the table and totals; empty input gives no rows and zero totals.
 * @throws {@link InvalidRecordError} for an invalid row (named by customer id).
 * @throws {@link InvalidOptionError} for an invalid model or `maxFrequency`.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * holdoutValidation(bg, [{ customerId: "a", x: 0, t_x: 0, T: 39, holdoutPurchases: 1, holdoutDuration: 39 }]).rows[0].label;
 * //=> "0"
 * ```
 * @category CLV
 */
export function holdoutValidation(
  model: TransactionModel,
  rows: readonly (ClvCustomer & { readonly holdoutPurchases: number; readonly holdoutDuration: number })[],
  options: HoldoutValidationOptions = {},
): HoldoutValidation {
  const fn = "holdoutValidation";
  checkTransactionModel(model, fn);
  const maxF = options.maxFrequency ?? 7;
  if (!(Number.isInteger(maxF) && maxF >= 1)) throw new InvalidOptionError(fn, "maxFrequency", maxF, "an integer >= 1");
  const c = toColumns(rows, fn);
  const n = c.x.length;
  const dur = new Float64Array(n);
  const act = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!(typeof r.holdoutDuration === "number" && Number.isFinite(r.holdoutDuration) && r.holdoutDuration >= 0)) {
      throw new InvalidRecordError(fn, { row: c.ids[i], field: "holdoutDuration", value: r.holdoutDuration, expected: "a finite number >= 0" });
    }
    if (!(Number.isInteger(r.holdoutPurchases) && r.holdoutPurchases >= 0)) {
      throw new InvalidRecordError(fn, { row: c.ids[i], field: "holdoutPurchases", value: r.holdoutPurchases, expected: "a non-negative integer" });
    }
    dur[i] = r.holdoutDuration;
    act[i] = r.holdoutPurchases;
  }
  const pred = conditionalColumn(model, c, dur);
  const cnt = new Float64Array(maxF + 1);
  const sa = new Float64Array(maxF + 1);
  const sp = new Float64Array(maxF + 1);
  let totalActual = 0;
  let totalPredicted = 0;
  for (let i = 0; i < n; i++) {
    const k = Math.min(c.x[i], maxF);
    cnt[k]++;
    sa[k] += act[i];
    sp[k] += pred[i];
    totalActual += act[i];
    totalPredicted += pred[i];
  }
  const out: HoldoutValidationRow[] = [];
  for (let k = 0; k <= maxF; k++) {
    if (cnt[k] === 0) continue;
    out.push({ frequency: k, label: k === maxF ? `${k}+` : String(k), customers: cnt[k], actual: sa[k] / cnt[k], predicted: sp[k] / cnt[k] });
  }
  return { rows: out, totalActual, totalPredicted };
}
