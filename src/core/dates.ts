/**
 * Parsing of raw date values into UTC calendar days (epoch days).
 * @module
 */
/** Milliseconds in one day (also exported by `./time.ts`; defined here so the two modules do not import each other). */
const MS_PER_DAY = 86_400_000;

/**
 * How raw date values are read.
 * - `"auto"` (default): `Date` objects, ISO-8601 strings (`2024-03-01`, `2024-03-01T10:00:00Z`),
 *   8-digit `YYYYMMDD` strings, and numbers as epoch milliseconds.
 * - `"iso"`, `"YYYYMMDD"`, `"DD/MM/YYYY"`, `"MM/DD/YYYY"` (any of `/`, `.`, `-` as separator, an
 *   optional time after a space is ignored), `"epoch-ms"`, `"epoch-s"`.
 * Slash dates are never guessed in `"auto"`: `03/04/2024` is ambiguous, so name the format.
 * Years are the four digits as written, in the proleptic Gregorian calendar (`0099-06-01` is the
 * year 99, `0000` is 1 BC as in ISO 8601; never the 1900s). A leap second `23:59:60` is read
 * as the last second of its minute, with or without an offset; second 61 is invalid.
 * @category Ingestion
 */
export type DateFormat = "auto" | "iso" | "YYYYMMDD" | "DD/MM/YYYY" | "MM/DD/YYYY" | "epoch-ms" | "epoch-s";

/** A function from a raw value to an epoch day, or `null` when the value is not a valid date. @internal */
export type DayParser = (value: unknown) => number | null;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T].*)?$/;
const NUMERIC = /^[+-]?\d+(\.\d+)?$/;

/** The largest instant a `Date` holds, in ms from the epoch (ECMA-262: 8.64e15). */
const MAX_INSTANT_MS = 8.64e15;
/** The largest |epoch day| whose midnight a `Date` holds. */
const MAX_DAY = MAX_INSTANT_MS / MS_PER_DAY;

/**
 * Epoch day of a proleptic Gregorian date, for any year (no `Date`: `Date.UTC` reads years 0-99
 * as 1900-1999). Howard Hinnant's `days_from_civil`, http://howardhinnant.github.io/date_algorithms.html.
 */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400; // [0, 399]
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1; // [0, 365], from March 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

/** Epoch day of a calendar date, or null when the date does not exist (e.g. 2023-02-29). */
function civilDay(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d > days ? null : daysFromCivil(y, m, d);
}

/**
 * Build a converter from an instant (epoch ms) to the calendar day in a time zone: `"UTC"`, a
 * fixed offset such as `"+05:30"`, or an IANA zone name such as `"Europe/Paris"`.
 * Returns null for an unknown zone.
 * @internal
 */
export function instantToDay(timeZone: string): ((ms: number) => number) | null {
  if (timeZone === "UTC" || timeZone === "Z" || timeZone === "+00:00") return (ms) => Math.floor(ms / MS_PER_DAY);
  const off = /^([+-])(\d{2}):?(\d{2})$/.exec(timeZone);
  if (off) {
    const minutes = (off[1] === "-" ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3]));
    return (ms) => Math.floor((ms + minutes * 60_000) / MS_PER_DAY);
  }
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", { timeZone, era: "short", year: "numeric", month: "numeric", day: "numeric" });
  } catch {
    return null;
  }
  return (ms) => {
    let y = 0;
    let m = 0;
    let d = 0;
    let bc = false;
    for (const p of fmt.formatToParts(ms)) {
      if (p.type === "year") y = Number(p.value);
      else if (p.type === "month") m = Number(p.value);
      else if (p.type === "day") d = Number(p.value);
      else if (p.type === "era" && p.value === "BC") bc = true;
    }
    return daysFromCivil(bc ? 1 - y : y, m, d); // 1 BC is year 0 (ISO 8601)
  };
}

/**
 * Build a day parser for a format and a time zone. The time zone only matters for values that
 * are instants (timestamps with an offset or `Z`, epoch numbers, `Date` objects); a plain date
 * or a timestamp without an offset is taken as the calendar day it names.
 * @internal
 */
export function makeDayParser(format: DateFormat, toDay: (ms: number) => number): DayParser {
  // Only instants a `Date` can hold (|ms| <= 8.64e15) make days, and only days whose midnight a
  // `Date` can hold: anything else is an invalid date, never an Invalid Date later.
  const fromInstant = (ms: number): number | null => {
    if (!(Math.abs(ms) <= MAX_INSTANT_MS)) return null;
    const day = toDay(ms);
    return Math.abs(day) <= MAX_DAY ? day : null;
  };
  const iso = (s: string): number | null => {
    let m = ISO_DATE.exec(s);
    if (m) return civilDay(+m[1], +m[2], +m[3]);
    m = ISO_DATETIME.exec(s);
    if (!m) return null;
    const day = civilDay(+m[1], +m[2], +m[3]);
    if (day === null || +m[4] > 23 || +m[5] > 59 || (m[6] !== undefined && +m[6] > 60)) return null;
    if (m[7] === undefined) return day;
    // A leap second (`23:59:60`) is read as the last second of its minute, with or without an
    // offset, so it stays on the day it names (Date.parse rejects second 60).
    const t = m[6] === "60" ? `${s.slice(0, 17)}59${s.slice(19)}` : s;
    return fromInstant(Date.parse(t.replace(" ", "T")));
  };
  const compact = (s: string): number | null => {
    const m = COMPACT.exec(s);
    return m ? civilDay(+m[1], +m[2], +m[3]) : null;
  };
  const slashed = (s: string, dayFirst: boolean): number | null => {
    const m = SLASHED.exec(s);
    if (!m) return null;
    return dayFirst ? civilDay(+m[3], +m[2], +m[1]) : civilDay(+m[3], +m[1], +m[2]);
  };
  const epoch = (v: unknown, scale: number): number | null => {
    if (typeof v === "number") return fromInstant(v * scale);
    if (typeof v === "string" && NUMERIC.test(v.trim())) return fromInstant(Number(v) * scale);
    return null;
  };

  return (value: unknown): number | null => {
    if (value instanceof Date) return fromInstant(value.getTime());
    switch (format) {
      case "epoch-ms":
        return epoch(value, 1);
      case "epoch-s":
        return epoch(value, 1000);
      case "YYYYMMDD":
        if (typeof value === "number" && Number.isInteger(value)) return compact(String(value));
        return typeof value === "string" ? compact(value.trim()) : null;
      case "DD/MM/YYYY":
        return typeof value === "string" ? slashed(value.trim(), true) : null;
      case "MM/DD/YYYY":
        return typeof value === "string" ? slashed(value.trim(), false) : null;
      case "iso":
        return typeof value === "string" ? iso(value.trim()) : null;
      default: {
        if (typeof value === "number") return fromInstant(value);
        if (typeof value !== "string") return null;
        const s = value.trim();
        return s.length === 8 ? compact(s) : iso(s);
      }
    }
  };
}
