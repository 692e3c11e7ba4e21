/**
 * Calendar-day arithmetic in UTC. Internally a day is an integer "epoch day": days since
 * 1970-01-01 (UTC).
 * @module
 */
import { InvalidOptionError } from "./errors.js";
import type { DateInput, TimeUnit } from "./types.js";

/** Milliseconds in one day. @internal */
export const MS_PER_DAY = 86_400_000;

/**
 * The epoch day (days since 1970-01-01 UTC) of a `Date`, truncated to its UTC calendar day.
 *
 * @example
 * ```ts
 * epochDay(new Date("1970-01-02T18:00:00Z"));
 * //=> 1
 * ```
 * @category Time
 */
export function epochDay(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

/**
 * The `Date` at UTC midnight of an epoch day.
 *
 * @example
 * ```ts
 * dayToDate(19723).toISOString();
 * //=> "2024-01-01T00:00:00.000Z"
 * ```
 * @category Time
 */
export function dayToDate(day: number): Date {
  return new Date(day * MS_PER_DAY);
}

/**
 * Days per model time unit.
 *
 * @example
 * ```ts
 * daysPerUnit("weeks");
 * //=> 7
 * ```
 * @throws {@link InvalidOptionError} for a non-positive or non-finite number.
 * @category Time
 */
export function daysPerUnit(unit: TimeUnit): number {
  if (unit === "days") return 1;
  if (unit === "weeks") return 7;
  if (typeof unit === "number" && Number.isFinite(unit) && unit > 0) return unit;
  throw new InvalidOptionError("daysPerUnit", "timeUnit", unit, '"days", "weeks" or a positive number of days');
}

/**
 * Turn a date-like option value (`Date`, ISO `YYYY-MM-DD` string, `YYYYMMDD`, epoch ms) into an
 * epoch day, for options such as `asOf` or `calibrationEnd`.
 *
 * @example
 * ```ts
 * toEpochDay("1997-09-30", "calibrationSummary", "calibrationEnd");
 * //=> 10134
 * ```
 * @throws {@link InvalidOptionError} when the value is not a valid date.
 * @category Time
 */
export function toEpochDay(value: DateInput, fn: string, option: string): number {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "number") ms = value;
  else if (typeof value === "string" && /^\d{8}$/.test(value)) {
    ms = Date.UTC(+value.slice(0, 4), +value.slice(4, 6) - 1, +value.slice(6, 8));
  } else if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  } else ms = Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidOptionError(fn, option, value, "a Date, an ISO date string (YYYY-MM-DD), YYYYMMDD or epoch milliseconds");
  return Math.floor(ms / MS_PER_DAY);
}
