import { InvalidOptionError } from "../core/errors.js";
import { MS_PER_DAY } from "../core/time.js";

/**
 * Calendar grain of retention periods and cohorts: calendar months, calendar quarters, or
 * weeks starting on Monday (ISO 8601), all in UTC days.
 * @category Retention
 */
export type PeriodGrain = "month" | "quarter" | "week";

/** Check a grain option. */
export function checkGrain(grain: unknown, fn: string): PeriodGrain {
  if (grain !== "month" && grain !== "quarter" && grain !== "week") throw new InvalidOptionError(fn, "grain", grain, '"month", "quarter" or "week"');
  return grain;
}

/**
 * The period index of an epoch day: months and quarters counted from year 0 (`year * 12 +
 * month`, `year * 4 + quarter`), weeks counted from Monday 1969-12-29 (epoch day -3).
 */
export function periodOf(day: number, grain: PeriodGrain): number {
  if (grain === "week") return Math.floor((day + 3) / 7);
  const m = monthOf(day);
  return grain === "month" ? m : Math.floor(m / 3);
}

/**
 * `year * 12 + month - 1` of an epoch day in the proleptic Gregorian calendar, without a `Date`
 * (one per row would dominate the cohort pass): H. Hinnant's `civil_from_days`.
 */
export function monthOf(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9; // 1..12
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 12 + month - 1;
}

/** First epoch day of a period. */
export function periodStartDay(index: number, grain: PeriodGrain): number {
  if (grain === "week") return index * 7 - 3;
  const m = grain === "month" ? index : index * 3;
  return Math.round(Date.UTC(Math.floor(m / 12), ((m % 12) + 12) % 12, 1) / MS_PER_DAY);
}

/**
 * The label of a period: `"2024-01"` (month), `"2024-Q1"` (quarter), or the ISO date of the
 * week's Monday, `"2024-01-01"` (week).
 *
 * @param index - a period index as used internally (see `periodOf`).
 * @param grain - the grain.
 * @returns the label.
 */
export function periodLabel(index: number, grain: PeriodGrain): string {
  if (grain === "week") return new Date(periodStartDay(index, grain) * MS_PER_DAY).toISOString().slice(0, 10);
  if (grain === "month") return `${pad4(Math.floor(index / 12))}-${String((index % 12) + 1).padStart(2, "0")}`;
  return `${pad4(Math.floor(index / 4))}-Q${(index % 4) + 1}`;
}

function pad4(y: number): string {
  return y < 0 ? `-${String(-y).padStart(4, "0")}` : String(y).padStart(4, "0");
}
