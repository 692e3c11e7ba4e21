/**
 * The customer table of an analysis: one typed column per output field, rows in the order of
 * the customer summaries (sorted by id). Steps write into it by customer; the CLI streams it
 * to `customers.csv` without building one object per customer.
 * @module
 */
import { Dictionary } from "../core/columns.js";
import type { DictionaryColumn } from "../core/table.js";
import { csvCell } from "../io/csv.js";
import type { CustomerNumberField, CustomerRow, CustomerTextField } from "./analyze.js";

/**
 * One output column: numbers (`NaN` = no value for that customer) or dictionary-encoded
 * strings (code `-1` = no value).
 * @category Pipeline
 */
export type ResultColumn = Float64Array | DictionaryColumn;

/**
 * The per-customer output of `analyze` as columns: row `k` is customer `ids[k]`.
 *
 * @example
 * ```ts
 * const result = await analyze(generateTransactions({ customers: 300, seed: 1 }), { seed: 1, skip: ["montecarlo", "cluster", "churn", "rules", "clv", "value"] });
 * [result.table.length, [...result.table.columns.keys()].slice(0, 3)];
 * //=> [300, ["recencyDays", "frequency", "totalSpend"]]
 * ```
 * @category Pipeline
 */
export interface AnalysisTable {
  /** Number of customers. */
  readonly length: number;
  /** Customer id per row (sorted). */
  readonly ids: readonly string[];
  /** Columns by field name, in the order the steps created them. */
  readonly columns: ReadonlyMap<string, ResultColumn>;
}

/** A growable result table (internal to `analyze`): steps add whole columns. @internal */
export interface ResultStore extends AnalysisTable {
  /** A whole numeric column at once (values by row; `NaN` = none). */
  setColumn(name: CustomerNumberField, values: Float64Array): void;
  /** A whole dictionary-encoded string column at once (codes by row; `-1` = none). */
  setDictionary(name: CustomerTextField, column: DictionaryColumn): void;
  /** Reserve the position of numeric columns that a background step will fill (empty until set). */
  reserve(names: readonly CustomerNumberField[]): void;
  /** Remove columns (reserved ones whose step was skipped). */
  drop(names: readonly CustomerNumberField[]): void;
}

/** Create an empty result store over the given customer ids. @internal */
export function createResultStore(ids: readonly string[]): ResultStore {
  const n = ids.length;
  const columns = new Map<string, ResultColumn>();
  return {
    length: n,
    ids,
    columns,
    setColumn(name, values) {
      columns.set(name, values);
    },
    reserve(names) {
      for (const name of names) if (!columns.has(name)) columns.set(name, new Float64Array(n).fill(NaN));
    },
    drop(names) {
      for (const name of names) columns.delete(name);
    },
    setDictionary(name, column) {
      // Equal labels (two clusters named alike) share one code in the output dictionary.
      const dict = new Dictionary<string>();
      const remap = Int32Array.from(column.values, (v) => dict.code(String(v)));
      const same = remap.every((c, j) => c === j);
      const codes = same ? column.codes : column.codes.map((c) => (c < 0 ? -1 : remap[c]));
      columns.set(name, { codes, values: dict.values });
    },
  };
}

/** Is this column dictionary-encoded strings? @internal */
export function isDictionary(c: ResultColumn): c is DictionaryColumn {
  return !(c instanceof Float64Array);
}

/**
 * The analysis table as one plain object per customer (`customerId` first, then every column
 * with a value for that customer). Builds `length` objects: for large bases read
 * {@link AnalysisTable} columns directly, or stream `customersCsvChunks`.
 *
 * @param table - the analysis table.
 * @returns the rows.
 * @example
 * ```ts
 * const result = await analyze(generateTransactions({ customers: 50, seed: 2 }), { seed: 2, skip: ["montecarlo", "cluster", "churn", "rules", "clv", "value"] });
 * Object.keys(tableRows(result.table)[0]).slice(0, 4);
 * //=> ["customerId", "recencyDays", "frequency", "totalSpend"]
 * ```
 * @category Pipeline
 */
export function tableRows(table: AnalysisTable): CustomerRow[] {
  const out: CustomerRow[] = new Array(table.length);
  const cols = [...table.columns];
  for (let k = 0; k < table.length; k++) {
    const row: Record<string, string | number> = { customerId: table.ids[k] };
    for (const [name, c] of cols) {
      if (c instanceof Float64Array) {
        if (!Number.isNaN(c[k])) row[name] = c[k];
      } else if (c.codes[k] >= 0) row[name] = c.values[c.codes[k]];
    }
    out[k] = row as unknown as CustomerRow;
  }
  return out;
}

const SMALL = 1 << 16;
const SMALL_INTS: string[] = new Array(SMALL);

/**
 * `String(v)` for a finite number, faster for values with at most 4 decimals (the rounded money
 * and score columns): those are written from their integer count of 1/10,000ths. Below 1e11 in
 * magnitude such values are 4-decimal numbers at least 1e-4 apart and more than two ulps apart,
 * so the digits written (trailing zeros dropped) are exactly the shortest round-trip form that
 * `String` gives; anything else goes to `String`.
 */
/** @internal */
export function formatNumber(v: number): string {
  const scaled = Math.round(v * 10_000);
  if (scaled / 10_000 !== v || !(Math.abs(v) < 1e11) || Object.is(v, -0)) return String(v);
  const neg = scaled < 0;
  const a = neg ? -scaled : scaled;
  const int = Math.floor(a / 10_000);
  let frac = a - int * 10_000;
  let text = neg ? `-${int}` : String(int);
  if (frac === 0) return text;
  let digits = 4;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${text}.${String(frac).padStart(digits, "0")}`;
}

/**
 * `customers.csv` of an analysis as chunks of text (header first, then about `rowsPerChunk`
 * customers per chunk), so a caller can stream it to a file without holding the whole text.
 * Cells follow `toCsv` (numbers in full precision, formula-like text prefixed with `'`); a
 * customer without a value in a column gets an empty cell.
 *
 * @param table - the analysis table.
 * @param rowsPerChunk - customers per chunk. Default 10,000.
 * @returns a generator of CSV text chunks.
 * @example
 * ```ts
 * const result = await analyze(generateTransactions({ customers: 20, seed: 2 }), { seed: 2, skip: [...STEP_NAMES] }); // summaries only
 * [...customersCsvChunks(result.table)].join("").split("\n")[0];
 * //=> "customerId,recencyDays,frequency,totalSpend,averageOrderValue,tenureDays"
 * ```
 * @category Pipeline
 */
export function* customersCsvChunks(table: AnalysisTable, rowsPerChunk = 10_000): Generator<string> {
  const cols = [...table.columns];
  yield `${["customerId", ...cols.map(([name]) => name)].map(csvCell).join(",")}\n`;
  // Dictionary values are escaped once, not per row.
  const escaped = cols.map(([, c]) => (c instanceof Float64Array ? null : c.values.map(csvCell)));
  let lines: string[] = [];
  for (let k = 0; k < table.length; k++) {
    let line = csvCell(table.ids[k]);
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j][1];
      line += ",";
      if (c instanceof Float64Array) {
        const v = c[k];
        // Small whole numbers (days, counts, scores) come from a cache: number-to-string is the
        // costliest part of writing the file.
        if (v >= 0 && v < SMALL && v === Math.floor(v)) line += (SMALL_INTS[v] ??= String(v));
        else if (Number.isFinite(v)) line += formatNumber(v);
      } else if (c.codes[k] >= 0) line += (escaped[j] as string[])[c.codes[k]];
    }
    lines.push(line);
    if (lines.length >= rowsPerChunk) {
      yield `${lines.join("\n")}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join("\n")}\n`;
}
