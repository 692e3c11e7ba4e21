/**
 * CSV output. Pure (returns a string); writing files is the caller's business.
 * @module
 */

/**
 * A column of {@link toCsv}: a header and how to read the cell from a record.
 * @category Output
 */
export interface CsvColumn<T> {
  /** Header text. */
  header: string;
  /** Cell value of a record. */
  value: (row: T) => unknown;
}

/** Cells starting with these characters are read as formulas by spreadsheet programs. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell as {@link toCsv} writes it (quoted when needed; formula-like text prefixed with `'`).
 * @internal
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s: string;
  if (typeof v === "number") s = Number.isFinite(v) ? String(v) : "";
  else if (v instanceof Date) s = Number.isNaN(v.getTime()) ? "" : v.toISOString().slice(0, 10);
  else if (Array.isArray(v)) {
    s = v.join("|");
    // The joined items are one text cell to a spreadsheet (`=HYPERLINK(...)|b` would run).
    if (FORMULA_START.test(s)) s = `'${s}`;
  } else if (typeof v === "object") s = JSON.stringify(v);
  else {
    s = String(v);
    // A text cell that a spreadsheet would execute as a formula is prefixed with a quote.
    if (typeof v === "string" && FORMULA_START.test(s)) s = `'${s}`;
  }
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Render records as RFC 4180 CSV (comma separator, `\n` line ends, quotes doubled).
 *
 * @remarks
 * Numbers are written in full precision (non-finite numbers as empty cells), `Date`s as
 * `YYYY-MM-DD` (calendar days, the library's convention), arrays joined with `|`, objects as
 * JSON, `null`/`undefined` as empty cells. Text cells and array cells (once joined) that begin
 * with `=`, `+`, `-`, `@`, tab or carriage return are prefixed with `'` so spreadsheet
 * programs do not run them as formulas (`["=cmd()", "b"]` is written `'=cmd()|b`).
 *
 * @param rows - the records.
 * @param columns - the columns; default: the keys of the first record.
 * @returns the CSV text, header line first.
 * @example
 * ```ts
 * toCsv([{ id: "a,b", n: 1.5, when: new Date("2024-01-02") }]);
 * //=> 'id,n,when\n"a,b",1.5,2024-01-02\n'
 * ```
 * @category Output
 */
export function toCsv<T extends object>(rows: readonly T[], columns?: readonly CsvColumn<T>[]): string {
  const cols: readonly CsvColumn<T>[] =
    columns ?? (rows.length > 0 ? Object.keys(rows[0]).map((k) => ({ header: k, value: (r: T) => (r as Record<string, unknown>)[k] })) : []);
  const lines = [cols.map((c) => csvCell(c.header)).join(",")];
  for (const r of rows) lines.push(cols.map((c) => csvCell(c.value(r))).join(","));
  return `${lines.join("\n")}\n`;
}
