/**
 * Calendar-day arithmetic in UTC. Internally a day is an integer "epoch day": days since
 * 1970-01-01 (UTC).
 * @module
 */
import { instantToDay, makeDayParser } from "./dates.js";
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
 * Options of {@link toEpochDay}.
 * @category Time
 */
export interface ToEpochDayOptions {
  /**
   * Time zone in which an instant (a `Date`, epoch milliseconds, a date-time with `Z` or an
   * offset) becomes a calendar day: `"UTC"` (default), a fixed offset such as `"+05:30"`, or an
   * IANA name such as `"America/New_York"`. Plain dates and offset-less date-times are the day
   * they name whatever the zone.
   */
  timeZone?: string;
}

/** The `"auto"` day parser in UTC, built once (the common case). */
const UTC_DAYS = makeDayParser("auto", instantToDay("UTC") as (ms: number) => number);

/**
 * Turn a date-like option value into an epoch day, for options such as `asOf`,
 * `calibrationEnd`, `holdoutEnd` or `cutoff`, with the same strict parser that reads the
 * transactions' dates (`dateFormat: "auto"`).
 *
 * @remarks
 * Accepted: a `Date`, an ISO date `YYYY-MM-DD`, an ISO date-time (`2024-03-01T23:30:00`, with
 * or without `Z` / an offset), `YYYYMMDD`, or a number of epoch milliseconds. The date must
 * exist (`2024-02-30` is an error, never rolled over to March 1) and nothing may follow it
 * (`1997-09-30junk` is an error). A date-time *without* an offset is the calendar day it names,
 * whatever the host's time zone; an instant (a `Date`, epoch ms, a date-time with an offset)
 * becomes its calendar day in `options.timeZone` (default UTC), as the rows do.
 *
 * @param value - the option value.
 * @param fn - the calling function's name, for the error message.
 * @param option - the option's name, for the error message.
 * @param options - see {@link ToEpochDayOptions}.
 * @returns whole days since 1970-01-01.
 * @example
 * ```ts
 * toEpochDay("1997-09-30", "calibrationSummary", "calibrationEnd");
 * //=> 10134
 * toEpochDay("2024-03-01T23:30:00", "analyze", "asOf"); // no offset: the day it names, on any host
 * //=> 19783
 * toEpochDay(new Date("2024-03-02T03:00:00Z"), "analyze", "asOf", { timeZone: "America/New_York" });
 * //=> 19783
 * ```
 * @throws {@link InvalidOptionError} when the value is not a real calendar date in one of those forms, or `timeZone` is unknown.
 * @category Time
 */
export function toEpochDay(value: DateInput, fn: string, option: string, options: ToEpochDayOptions = {}): number {
  const timeZone = options.timeZone ?? "UTC";
  let parse = UTC_DAYS;
  if (timeZone !== "UTC") {
    const toDay = typeof timeZone === "string" ? instantToDay(timeZone) : null;
    if (toDay === null) throw new InvalidOptionError(fn, "timeZone", timeZone, '"UTC", an offset like "+05:30", or an IANA zone name');
    parse = makeDayParser("auto", toDay);
  }
  const day = typeof value === "string" || typeof value === "number" || value instanceof Date ? parse(value) : null;
  if (day === null) {
    throw new InvalidOptionError(fn, option, value, "a real calendar date: a Date, an ISO date (YYYY-MM-DD) or date-time, YYYYMMDD, or epoch milliseconds");
  }
  return day;
}
