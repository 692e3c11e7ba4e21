/**
 * Parquet files into the table ingestion, through the optional package `hyparquet` (loaded on
 * demand), one row group at a time.
 * @module
 */
import type { DateFormat } from "../core/dates.js";
import { AnalyticsError } from "../core/errors.js";
import type { ColumnMapping } from "../core/ingest.js";
import { detectColumns, type TableIngestor } from "../core/tableIngest.js";
import { calendarFromUtcFields, importOptional } from "./cells.js";

/** Random access to the bytes of a file (hyparquet's `AsyncBuffer`). @internal */
export interface ByteRanges {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

/** The part of hyparquet this reader uses (typed here so no hyparquet type reaches our declarations). */
interface SchemaElement {
  name: string;
  type?: string;
  converted_type?: string;
  logical_type?: { type: string; isAdjustedToUTC?: boolean };
}
interface SchemaTree {
  element: SchemaElement;
  children: SchemaTree[];
}
interface FileMetaData {
  row_groups: { num_rows: bigint | number }[];
}
interface HyparquetModule {
  parquetMetadataAsync(file: ByteRanges): Promise<FileMetaData>;
  parquetSchema(metadata: FileMetaData): SchemaTree;
  parquetReadObjects(options: { file: ByteRanges; metadata: FileMetaData; rowStart: number; rowEnd: number }): Promise<Record<string, unknown>[]>;
}

/** What the parquet reader needs from the reader options. */
export interface ParquetReadOptions {
  dateFormat?: DateFormat;
  columns?: ColumnMapping;
}

/** How a column's values are passed on. */
const PLAIN = 0;
/** A key column (customer or order id): integers become their exact decimal text. */
const KEY = 1;
/** A calendar date (`DATE`, or a timestamp not adjusted to UTC): the day it names, whatever the time zone option. */
const CALENDAR = 2;

/** Bytes from an `ArrayBuffer` view (for in-memory sources). @internal */
export function rangesOfBytes(bytes: Uint8Array): ByteRanges {
  return {
    byteLength: bytes.length,
    slice: (start, end) => Promise.resolve(bytes.slice(start, end ?? bytes.length).buffer as ArrayBuffer),
  };
}

/** A value of a plain or key column as the ingestion takes it. */
function plainValue(v: unknown, kind: number, format: DateFormat): unknown {
  if (typeof v === "bigint") {
    if (kind === KEY) return v.toString();
    // Beyond 2^53 a double cannot hold the integer: keep its exact text (numbers are parsed from it).
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v.toString();
  }
  if (kind === CALENDAR && v instanceof Date) return calendarFromUtcFields(v, format);
  // A list (an items column of LIST<INT64>): integer items as their exact text.
  if (Array.isArray(v) && v.some((x) => typeof x === "bigint")) return v.map((x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  return v;
}

/**
 * Read a Parquet file into `ing` (`beforeRows` is told the file's row count once the footer is
 * read, before any row): one row object per Parquet row (columns by their top-level
 * names; lists as arrays), integers (`INT32`, `INT64`) as numbers, or as exact text where they are
 * ids or beyond 2^53; `DATE` and zone-less timestamps as the calendar day they name; timestamps
 * adjusted to UTC as instants (`Date`); nulls as missing values.
 * @internal
 */
export async function readParquet(
  fn: string, file: ByteRanges, label: string, ing: TableIngestor, options: ParquetReadOptions, beforeRows?: (rows: number) => Promise<void>,
): Promise<void> {
  const hp = await importOptional<HyparquetModule>(fn, "hyparquet", "reading .parquet files");
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = await hp.parquetMetadataAsync(file);
    schema = hp.parquetSchema(metadata);
  } catch (cause) {
    if (cause instanceof AnalyticsError) throw cause;
    throw new AnalyticsError("IO_ERROR", `${fn}: ${label} is not a readable Parquet file (${(cause as Error).message})`, { cause });
  }
  const format: DateFormat = options.dateFormat ?? "auto";
  const names = schema.children.map((c) => c.element.name);
  const cols = ing.resolveNow(names);
  const mapping = detectColumns(cols, options.columns ?? {});
  const keys = new Set([mapping.customerId, mapping.orderId].filter((c): c is string => c !== undefined));
  const kinds = schema.children.map((c, j) => {
    const e = c.element;
    if (keys.has(cols[j])) return KEY;
    const lt = e.logical_type;
    if (e.converted_type === "DATE" || lt?.type === "DATE" || (lt?.type === "TIMESTAMP" && lt.isAdjustedToUTC === false)) return CALENDAR;
    return PLAIN;
  });
  let total = 0;
  for (const group of metadata.row_groups) total += Number(group.num_rows);
  await beforeRows?.(total);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await hp.parquetReadObjects({ file, metadata, rowStart, rowEnd });
    } catch (cause) {
      if (cause instanceof AnalyticsError) throw cause;
      throw new AnalyticsError("IO_ERROR", `${fn}: reading rows ${rowStart + 1}-${rowEnd} of ${label} failed (${(cause as Error).message})`, { cause });
    }
    for (const r of rows) {
      const obj: Record<string, unknown> = Object.create(null);
      for (let j = 0; j < names.length; j++) obj[cols[j]] = plainValue(r[names[j]], kinds[j], format);
      ing.pushObject(obj);
    }
    rowStart = rowEnd;
  }
}
