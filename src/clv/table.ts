/**
 * The record-to-column adapter of the CLV models: calibration summaries into a
 * `CalibrationTable` (the columnar twin read by every `...Column` function and by the fits).
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { CalibrationTable } from "../core/table.js";
import { epochDay } from "../core/time.js";
import type { CalibrationSummary } from "../core/types.js";
import { toColumns } from "./data.js";

/**
 * Calibration summaries as a `CalibrationTable`: one `Float64Array` per number, the first
 * purchase as an epoch day, validated with the rules of the CLV models.
 *
 * @remarks
 * The columnar CLV functions ({@link probabilityAliveColumn}, {@link conditionalExpectedPurchasesColumn},
 * {@link conditionalExpectedSpendColumn}, {@link customerLifetimeValueColumns}) and the fits read
 * the result in place. Build it once and score it many times: converting records costs more than
 * scoring them (`docs/benchmarks.md`). Rows keep the input order, and `ids` is the input's ids
 * as they are (a `CalibrationTable` from `calibrationTable` has them sorted; this adapter does not
 * sort). Validation: x a non-negative integer, T and t_x finite and >= 0, t_x <= T (a value a
 * hair above T is clamped), t_x = 0 when x = 0, a finite `monetaryValue` and a valid
 * `firstPurchase` date. O(n).
 *
 * @param summaries - calibration summaries (from `calibrationSummary`).
 * @returns a new {@link CalibrationTable} with one row per summary, in input order.
 * @throws {@link InvalidRecordError} for an invalid summary (`row` = the customer id; `field`, `value`).
 * @throws {@link InvalidOptionError} when `summaries` is not an array.
 * @example
 * ```ts
 * const t = toCalibrationTable([
 *   { customerId: "a", x: 2, t_x: 30.43, T: 38.86, monetaryValue: 22.35, firstPurchase: new Date("1997-01-01") },
 *   { customerId: "b", x: 0, t_x: 0, T: 38.86, monetaryValue: 0, firstPurchase: new Date("1997-01-01") },
 * ]);
 * [t.length, t.ids, [...t.x], [...t.firstPurchase]];
 * //=> [2, ["a", "b"], [2, 0], [9862, 9862]]
 * ```
 * @category CLV
 */
export function toCalibrationTable(summaries: readonly CalibrationSummary[]): CalibrationTable {
  const fn = "toCalibrationTable";
  if (!Array.isArray(summaries)) throw new InvalidOptionError(fn, "summaries", summaries, "an array of calibration summaries");
  const c = toColumns(summaries, fn);
  const n = c.x.length;
  const firstPurchase = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = summaries[i];
    const mv: unknown = s.monetaryValue;
    if (typeof mv !== "number" || !Number.isFinite(mv)) throw new InvalidRecordError(fn, { row: c.ids[i], field: "monetaryValue", value: mv, expected: "a finite number (0 when x = 0)" });
    const d: unknown = s.firstPurchase;
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new InvalidRecordError(fn, { row: c.ids[i], field: "firstPurchase", value: d, expected: "a valid Date" });
    firstPurchase[i] = epochDay(d);
  }
  return { length: n, ids: c.ids, x: c.x, t_x: c.tx, T: c.T, monetaryValue: c.m, firstPurchase };
}
