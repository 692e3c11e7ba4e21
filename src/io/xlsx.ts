/**
 * Excel `.xlsx` workbooks into the table ingestion, through the optional package `exceljs`
 * (loaded on demand). One sheet is read: the first, or the one named by the `sheet` option.
 * @module
 */
import type { DateFormat } from "../core/dates.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import type { ColumnMapping } from "../core/ingest.js";
import { detectColumns, type TableIngestor } from "../core/tableIngest.js";
import { calendarFromUtcFields, calendarValue, importOptional } from "./cells.js";

/** The part of exceljs this reader uses (typed here so no exceljs type reaches our declarations). */
interface ExcelCellError {
  error: string;
}
interface ExcelRow {
  /** Cell values, 1-based and sparse. */
  values: unknown;
}
interface ExcelWorksheet {
  name: string;
  columnCount: number;
  eachRow(opt: { includeEmpty: boolean }, cb: (row: ExcelRow, rowNumber: number) => void): void;
}
interface ExcelWorkbook {
  worksheets: ExcelWorksheet[];
  properties?: { date1904?: boolean };
  xlsx: { load(data: ArrayBuffer | Uint8Array): Promise<unknown> };
}
interface ExcelModule {
  Workbook: new () => ExcelWorkbook;
}

/** What the xlsx reader needs from the reader options. */
export interface XlsxReadOptions {
  sheet?: string;
  header?: boolean;
  names?: readonly string[];
  dateFormat?: DateFormat;
  columns?: ColumnMapping;
}

/** Largest Excel date serial (9999-12-31 in the 1900 date system). */
const MAX_SERIAL = 2958465;
/** Epoch day of the 1900 system's day 0 for serials from 61 on (1899-12-30, as Excel counts past its fictitious 1900-02-29). */
const EPOCH_1900 = -25569;
/** Epoch day of 1904-01-01, day 0 of the 1904 date system (old Mac workbooks). */
const EPOCH_1904 = -24107;

/**
 * An Excel date serial as a calendar value for the ingestion; the serial as text (read as an
 * invalid date) when it names no day: below the first serial (a time only), or 60 in the 1900
 * system (Excel's fictitious 1900-02-29); a number above the last serial (9999-12-31) as it is
 * (an epoch time, as in CSV).
 */
function serialToCalendar(serial: number, date1904: boolean, format: DateFormat): string | Date | number {
  const n = Math.floor(serial);
  const last = date1904 ? MAX_SERIAL - 1462 : MAX_SERIAL;
  if (n > last) return serial;
  if (date1904 ? n < 0 : n < 1 || n === 60) return String(serial);
  const day = date1904 ? EPOCH_1904 + n : n > 60 ? EPOCH_1900 + n : EPOCH_1900 + n + 1;
  const d = new Date(day * 86_400_000);
  return calendarValue(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), format);
}

/**
 * One cell's value as the ingestion takes it: numbers, strings, booleans and dates as they are,
 * a formula's cached result, rich text and hyperlinks as their text, an error cell as
 * `{ error: "#N/A" }` (rejected by every field), an empty cell or a formula without a cached
 * result as `undefined`.
 */
function cellValue(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== "object" || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  if ("formula" in o || "sharedFormula" in o) return cellValue(o.result);
  if (Array.isArray(o.richText)) return (o.richText as { text?: unknown }[]).map((r) => String(r.text ?? "")).join("");
  if ("hyperlink" in o) return cellValue(o.text);
  if (typeof o.error === "string") return { error: o.error } satisfies ExcelCellError;
  return v;
}

const isBlank = (v: unknown): boolean => v === undefined || (typeof v === "string" && v.trim() === "");

/**
 * Read one sheet of an `.xlsx` workbook (its bytes) into `ing`: the first non-empty row is the
 * header (unless `header: false`), blank rows are skipped and not counted (as in CSV), every
 * other row is one data row validated by the ingestor.
 * @internal
 */
export async function readXlsx(fn: string, bytes: Uint8Array, label: string, ing: TableIngestor, options: XlsxReadOptions): Promise<void> {
  const mod = await importOptional<ExcelModule & { default?: ExcelModule }>(fn, "exceljs", "reading .xlsx files");
  const Excel = (mod.default ?? mod) as ExcelModule;
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes);
  } catch (cause) {
    throw new AnalyticsError("IO_ERROR", `${fn}: ${label} is not a readable .xlsx workbook (${(cause as Error).message})`, { cause });
  }
  const sheets = wb.worksheets;
  const names = sheets.map((s) => s.name);
  let ws: ExcelWorksheet | undefined;
  if (options.sheet === undefined) {
    ws = sheets[0];
    if (ws === undefined) throw new AnalyticsError("IO_ERROR", `${fn}: ${label} has no worksheet`);
  } else {
    ws = sheets.find((s) => s.name === options.sheet);
    if (ws === undefined) {
      throw new InvalidOptionError(fn, "sheet", options.sheet, `the name of a sheet of ${label}: ${names.map((n) => JSON.stringify(n)).join(", ")}`);
    }
  }
  const date1904 = wb.properties?.date1904 === true;
  const format: DateFormat = options.dateFormat ?? "auto";
  // Date serials are converted in the date column only, and only where a number is not already
  // a date by the format (epoch numbers, YYYYMMDD integers).
  const serials = format !== "epoch-ms" && format !== "epoch-s" && format !== "YYYYMMDD";

  const header = options.header ?? true;
  let cols: string[] | null = header ? null : options.names ? [...options.names] : null;
  let dateAt = -1;
  const start = (raw: string[]): void => {
    cols = ing.resolveNow(raw);
    const dateCol = detectColumns(cols, options.columns ?? {}).date;
    dateAt = dateCol === undefined ? -1 : cols.indexOf(dateCol);
  };
  if (cols !== null) start(cols);
  let failure: unknown = null;
  ws.eachRow({ includeEmpty: false }, (row) => {
    if (failure !== null) return;
    try {
      const raw = Array.isArray(row.values) ? (row.values as unknown[]) : [];
      // exceljs rows are 1-based: raw[0] is always empty.
      const cells: unknown[] = [];
      let blank = true;
      for (let j = 1; j < raw.length; j++) {
        const v = cellValue(raw[j]);
        cells.push(v);
        if (!isBlank(v)) blank = false;
      }
      if (blank) return;
      if (cols === null) {
        if (header) {
          start(cells.map((v) => (v === undefined ? "" : v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v).trim())));
          return;
        }
        start(Array.from({ length: Math.max(ws.columnCount, cells.length) }, (_, j) => String(j)));
      }
      const c = cols as string[];
      let last = cells.length;
      while (last > 0 && isBlank(cells[last - 1])) last--;
      if (last > c.length) {
        ing.malformed(cells.slice(0, last).map((v) => (v === undefined ? "" : v)), `${c.length} cells (the header's), got ${last}`);
        return;
      }
      const obj: Record<string, unknown> = Object.create(null);
      for (let j = 0; j < c.length; j++) {
        let v = cells[j];
        if (j === dateAt) {
          if (v instanceof Date) v = calendarFromUtcFields(v, format);
          else if (typeof v === "number" && serials) v = serialToCalendar(v, date1904, format);
        }
        obj[c[j]] = v;
      }
      ing.pushObject(obj);
    } catch (e) {
      failure = e;
    }
  });
  if (failure !== null) throw failure;
}
