/**
 * Shared pieces of the typed-file readers (`.xlsx`, `.parquet`): loading an optional package,
 * and turning a typed calendar date (an Excel date cell, a Parquet `DATE`) into a value the
 * ingestion reads as exactly that day. No file system, no Node-only import.
 * @module
 */
import type { DateFormat } from "../core/dates.js";
import { AnalyticsError } from "../core/errors.js";

/**
 * Import an optional package (`exceljs`, `hyparquet`) on demand. The specifier is not a literal,
 * so a bundler does not pull the package into a build of the main entry.
 * @throws AnalyticsError `DEPENDENCY_FAILED` naming the package to install when it is missing or fails to load.
 * @internal
 */
export async function importOptional<T>(fn: string, pkg: string, purpose: string): Promise<T> {
  const specifier = pkg;
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as T & { default?: T };
    return mod;
  } catch (cause) {
    throw new AnalyticsError(
      "DEPENDENCY_FAILED",
      `${fn}: ${purpose} needs the optional package "${pkg}", which could not be loaded (${(cause as Error).message}); install it with: npm install ${pkg}`,
      { cause },
    );
  }
}

const pad = (n: number, w: number): string => String(n).padStart(w, "0");

/**
 * The calendar day `y-m-d` as a value the ingestion's day parser for `format` reads as that
 * very day, whatever the `timeZone` option says (a typed date cell has no time zone): the text
 * form of the format, or, for the epoch formats and years outside 0..9999, a `Date` at UTC
 * midnight (read as an instant).
 * @internal
 */
export function calendarValue(y: number, m: number, d: number, format: DateFormat): string | Date {
  if (y < 0 || y > 9999 || format === "epoch-ms" || format === "epoch-s") {
    const at = new Date(0);
    at.setUTCFullYear(y, m - 1, d); // not Date.UTC, which reads years 0-99 as 1900-1999
    return at;
  }
  const Y = pad(y, 4);
  const M = pad(m, 2);
  const D = pad(d, 2);
  switch (format) {
    case "YYYYMMDD":
      return `${Y}${M}${D}`;
    case "DD/MM/YYYY":
      return `${D}/${M}/${Y}`;
    case "MM/DD/YYYY":
      return `${M}/${D}/${Y}`;
    default:
      return `${Y}-${M}-${D}`;
  }
}

/**
 * A `Date` whose UTC fields are a wall-clock date and time (how exceljs and hyparquet return
 * Excel dates, Parquet `DATE`s and timestamps without a zone) as the calendar day it shows.
 * @internal
 */
export function calendarFromUtcFields(date: Date, format: DateFormat): string | Date {
  if (Number.isNaN(date.getTime())) return date;
  return calendarValue(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), format);
}
