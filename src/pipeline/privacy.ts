import { InvalidOptionError } from "../core/errors.js";

/**
 * Privacy mode of {@link analyze} (`privacy: true` or these options): every output is a summary.
 * @category Pipeline
 */
export interface PrivacyModeOptions {
  /** Groups (table rows) of fewer customers (or baskets) than this are suppressed and counted. Default 10, at least 2. */
  minGroupSize?: number;
}

/**
 * What privacy mode removed from an analysis: the accounting of an aggregate-only release.
 * @category Pipeline
 */
export interface PrivacyReport {
  /** The minimum group size applied. */
  minGroupSize: number;
  /** Customer-level lists emptied (at-risk list, campaign contacts, movers, ...): where (`[]` marks a list inside a list's rows), and how many rows in all. */
  withheld: {
    /** Where the list was, e.g. `results.churn.atRisk.customers`. */
    path: string;
    /** Rows it held. */
    rows: number;
  }[];
  /** Summary rows dropped because they describe fewer than `minGroupSize` customers or baskets: where, how many rows, and how many customers (or baskets) they held. */
  suppressed: {
    /** Where the table was, e.g. `results.rfm.segments`. */
    path: string;
    /** Rows dropped. */
    rows: number;
    /** Customers (or baskets) those rows held. */
    units: number;
  }[];
  /** Summary rows dropped in total. */
  suppressedRows: number;
  /** Always true: the per-customer table is not written (no `customers.csv`, no customer rows in the report). */
  customerTableWithheld: true;
}

/** Defaults of {@link PrivacyModeOptions}. @category Pipeline */
export const PRIVACY_MODE_DEFAULTS: Readonly<Required<PrivacyModeOptions>> = Object.freeze({ minGroupSize: 10 });

/**
 * Fields that count the customers (or baskets) a summary row describes, in the order they are
 * looked for: the RFM/ABC/value/lifecycle tables' `count`, cohorts' and survival curves'
 * `customers`, cluster profiles' `size`, decile tables' `n`. A rule's `count` is its number of
 * baskets.
 */
const COUNT_FIELDS = ["count", "customers", "size", "n"] as const;

/** The resolved privacy settings of `analyze`, or null when privacy mode is off. @internal */
export function resolvePrivacy(p: boolean | PrivacyModeOptions | undefined): { minGroupSize: number } | null {
  if (p === undefined || p === false) return null;
  if (p === true) return { minGroupSize: PRIVACY_MODE_DEFAULTS.minGroupSize };
  if (typeof p !== "object" || p === null) throw new InvalidOptionError("analyze", "privacy", p, "true, false or { minGroupSize }");
  const m = p.minGroupSize ?? PRIVACY_MODE_DEFAULTS.minGroupSize;
  if (!(Number.isInteger(m) && m >= 2 && m <= 1_000_000)) throw new InvalidOptionError("analyze", "privacy.minGroupSize", m, "a whole number in 2..1,000,000");
  return { minGroupSize: m };
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** The customer (or basket) count of a summary row, or null when the row has none. */
function rowCount(row: Record<string, unknown>): number | null {
  for (const f of COUNT_FIELDS) {
    const v = row[f];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return null;
}

/**
 * Step outputs made aggregate-only: every list of customer-level rows (objects with a
 * `customerId`) is emptied, and every summary row that counts fewer than `minGroupSize`
 * customers or baskets (but more than zero) is dropped; both are counted by path. Plain objects
 * and arrays are copied; typed arrays and other objects are kept as they are (they hold model
 * parameters, not customers). Pure.
 * @internal
 */
export function aggregateOnly<T>(results: T, minGroupSize: number): { results: T; report: PrivacyReport } {
  const withheld: PrivacyReport["withheld"] = [];
  const suppressed: PrivacyReport["suppressed"] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (Array.isArray(v)) {
      if (v.some((x) => isPlain(x) && typeof x.customerId === "string")) {
        withheld.push({ path, rows: v.length });
        return [];
      }
      const kept: unknown[] = [];
      let rows = 0;
      let units = 0;
      for (const x of v) {
        const c = isPlain(x) ? rowCount(x) : null;
        if (c !== null && c > 0 && c < minGroupSize) {
          rows++;
          units += c;
          continue;
        }
        kept.push(walk(x, `${path}[]`));
      }
      if (rows > 0) suppressed.push({ path, rows, units });
      return kept;
    }
    if (isPlain(v)) {
      const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v) as object | null) as Record<string, unknown>;
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, path ? `${path}.${k}` : k);
      return out;
    }
    return v;
  };
  const copy = walk(results, "results") as T;
  // One entry per path: nested tables (movers of each move, curves of each comparison) add up.
  const merge = <E extends { path: string; rows: number }>(list: E[], add: (a: E, b: E) => void): E[] => {
    const by = new Map<string, E>();
    for (const e of list) {
      const seen = by.get(e.path);
      if (seen) add(seen, e);
      else by.set(e.path, { ...e });
    }
    return [...by.values()];
  };
  withheld.splice(0, withheld.length, ...merge(withheld, (a, b) => void (a.rows += b.rows)));
  suppressed.splice(0, suppressed.length, ...merge(suppressed, (a, b) => void ((a.rows += b.rows), (a.units += b.units))));
  const suppressedRows = suppressed.reduce((a, s) => a + s.rows, 0);
  return { results: copy, report: { minGroupSize, withheld, suppressed, suppressedRows, customerTableWithheld: true } };
}

/** The summary line of privacy mode. @internal */
export function privacyLine(r: PrivacyReport): string {
  const lists = r.withheld.reduce((a, w) => a + w.rows, 0);
  return `Privacy mode: aggregates only (no customer table; ${lists} customer-level list rows withheld; ${r.suppressedRows} summary rows of fewer than ${r.minGroupSize} customers or baskets suppressed)`;
}
