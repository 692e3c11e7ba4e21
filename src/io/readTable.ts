/**
 * The file reader: CSV, NDJSON and JSON bytes streamed straight into a {@link TransactionTable};
 * Excel `.xlsx` and Parquet through optional packages loaded on demand.
 * @module
 */
import type { DataFrameLike, ParseTransactionsOptions } from "../core/ingest.js";
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { ingestRows, isDataFrameLike, TableIngestor, type TableIngestionResult } from "../core/tableIngest.js";
import type { TransactionTable } from "../core/table.js";
import { CsvRows, F_HIGH, ROW_BAD_QUOTE, ROW_OK, WHITESPACE } from "./csvRows.js";
import { readParquet, rangesOfBytes, type ByteRanges } from "./parquet.js";
import { readXlsx } from "./xlsx.js";

/**
 * Text encodings the reader decodes (the names Node's decoders know for text; a plain string
 * union, so the declarations need no Node types).
 * @category Ingestion
 */
export type TextEncoding = "utf8" | "utf-8" | "utf16le" | "utf-16le" | "ucs2" | "ucs-2" | "latin1" | "binary" | "ascii";

const TEXT_ENCODINGS: readonly string[] = ["utf8", "utf-8", "utf16le", "utf-16le", "ucs2", "ucs-2", "latin1", "binary", "ascii"];

/**
 * File formats of {@link readTransactionTable}: delimited text (`"csv"`, also tab-, semicolon-,
 * pipe- and whitespace-separated), a JSON array, newline-delimited JSON, an Excel workbook, a
 * Parquet file.
 * @category Ingestion
 */
export type FileFormat = "csv" | "json" | "ndjson" | "xlsx" | "parquet";

const FORMATS: readonly string[] = ["csv", "json", "ndjson", "xlsx", "parquet"];

/**
 * Options of {@link readTransactionTable} (and `readTransactions`): the validation options of
 * `parseTransactions` plus how to read the source.
 * @category Ingestion
 */
export interface ReadTransactionTableOptions extends ParseTransactionsOptions {
  /**
   * File format. Default: from the extension (`.csv`, `.tsv`, `.txt` -> `"csv"`; `.json`;
   * `.ndjson`, `.jsonl` -> `"ndjson"`; `.xlsx`; `.parquet`); for bytes, `"xlsx"` or `"parquet"`
   * when they start with a zip or Parquet signature, else `"csv"`; `"csv"` for streams.
   */
  format?: FileFormat;
  /** CSV delimiter: one ASCII character (`"\\t"` and `"tab"` also mean a tab), or `"whitespace"` for runs of spaces/tabs. Default: detected from the first rows (`,`, `;`, tab or `|`, as papaparse guesses; when none of them splits the rows, runs of whitespace if they split every sampled row into the same number (2 or more) of fields). */
  delimiter?: string;
  /** Whether the first CSV row (the first non-empty `.xlsx` row) is a header. Default `true`. */
  header?: boolean;
  /** Column names for a CSV or `.xlsx` sheet without header (`header: false`). Default `"0"`, `"1"`, ... */
  names?: readonly string[];
  /** `.xlsx` only: the name of the sheet to read. Default: the workbook's first sheet. */
  sheet?: string;
  /** Text encoding of the source (CSV, JSON, NDJSON). Default `"utf8"` (bytes that are not UTF-8 make their row malformed). */
  encoding?: TextEncoding;
  /** Longest CSV row or NDJSON line, in bytes; a longer one is an `IO_ERROR` (a runaway quote or a broken file), never a crash. Default 64 MiB. */
  maxRowBytes?: number;
  /**
   * Memory, in bytes, the table may take. Before reading the bulk of a file the reader estimates
   * the table's size (rows estimated from the file size and the first chunk, or, for Parquet,
   * taken from the footer, times the table's bytes per row; for JSON and `.xlsx`, which are
   * loaded whole, the loaded file) and refuses with a `TOO_LARGE` error above this. Default: the
   * smaller of the free V8 heap (`v8.getHeapStatistics()`) and the system's free memory.
   */
  memoryLimit?: number;
}

/** Where the bytes come from: a path, bytes, or chunks. */
type ByteSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;

const DEFAULT_MAX_ROW_BYTES = 64 * 2 ** 20;
const CHUNK = 1 << 16;
/** V8's longest string (64-bit builds): a JSON text must fit in one. */
const MAX_STRING = 2 ** 29 - 24;
/** Bytes of memory per byte of JSON text while it is parsed whole (text, then objects). */
const JSON_EXPANSION = 8;
/**
 * Bytes of memory per byte of a (zip-compressed) `.xlsx` file once exceljs has loaded it:
 * 55 measured on a 100,000-row, 6-column sheet (3.9 MB file, 206 MiB of heap kept), rounded up.
 */
const XLSX_EXPANSION = 64;
const DELIMITERS = [",", ";", "\t", "|"];

const isAsyncIterable = (x: unknown): x is AsyncIterable<Uint8Array | string> =>
  typeof x === "object" && x !== null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";

/**
 * Read transactions into a {@link TransactionTable}: CSV and NDJSON are streamed from the bytes
 * (never read whole into a string, no object per CSV row), JSON is parsed whole, Excel `.xlsx`
 * workbooks and Parquet files are read through optional packages; in-memory rows and DataFrames
 * are accepted too. Every row is validated and accounted for in the report.
 *
 * @remarks
 * The format comes from the `format` option, else the file's extension (`.csv`, `.tsv`, `.txt`
 * are delimited text; `.ndjson`, `.jsonl`; `.json`; `.xlsx`; `.parquet`), else (bytes) the
 * signature. Validation, strict/lenient modes and the report are those of `parseTransactions`
 * (`docs/data.md`), for every format. CSV: RFC 4180 quoting (a quoted field may hold delimiters, doubled quotes and
 * line breaks), `\n`, `\r\n` or `\r` line ends, a UTF-8 byte order mark skipped, blank rows
 * skipped and not counted, the delimiter detected from the first rows as papaparse does, or runs
 * of whitespace when no character splits them and whitespace splits every sampled row evenly
 * (whitespace-aligned files such as CDNOW's); a file still read as one column whose first line has
 * spaced words is an {@link InvalidOptionError} on `delimiter` suggesting `"whitespace"`. A row
 * with the wrong number of fields, text after a closing quote, an unterminated quote or bytes
 * that are not UTF-8 is `malformed-row` (lenient) or an {@link InvalidRecordError} (strict) with
 * its 1-based data row number (header not counted). NDJSON: one object per line, blank lines
 * skipped. Plain numbers (`-12.50`) and `YYYY-MM-DD`/`YYYYMMDD` dates are parsed from the bytes
 * when that gives the same value as the general parser; everything else goes through it.
 * Time O(bytes); memory: the table (about 20 bytes per row plus the id dictionaries) and one
 * chunk of 64 KiB. Before the bulk of a file is read its table size is estimated and compared
 * with `memoryLimit` (a `TOO_LARGE` error names both and points to the out-of-core engine).
 *
 * `.xlsx` (package `exceljs`): one sheet, the first or `sheet`; the first non-empty row is the
 * header (or `header: false` with `names`); blank rows skipped and not counted; date cells and, in
 * the date column, plain numbers (Excel serials, 1900 or 1904 system) are the calendar day they
 * show, whatever `timeZone` says; a formula gives its cached result, rich text and hyperlinks their
 * text, an error cell (`#N/A`) is rejected. The workbook is read whole. `.parquet` (package
 * `hyparquet`): one row group at a time; integer ids (`INT32`, `INT64`) become their exact decimal
 * text, other integers numbers (text beyond 2^53); `DATE` and zone-less timestamps are the day they
 * name; timestamps adjusted to UTC are instants, placed in `timeZone`; nulls are missing values;
 * lists (an items column) are arrays. Either package missing: `DEPENDENCY_FAILED` naming it.
 *
 * @param source - a file path, the bytes of a file, an async iterable of chunks (e.g. a Node
 *   `Readable`), an iterable of row objects, or a DataFrame-like object.
 * @param options - see {@link ReadTransactionTableOptions}.
 * @returns a promise of the table and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for bad options, a missing required column, or a field detected from a repeated column name (name it in `columns`: `"amount"` is the first, `"amount.1"` the second).
 * @throws {@link AnalyticsError} `IO_ERROR` when the source cannot be read (or a row is longer
 *   than `maxRowBytes`, or a workbook or Parquet file is broken); `TOO_LARGE` when the table would
 *   not fit in memory; `DEPENDENCY_FAILED` when `exceljs` (for `.xlsx`) or `hyparquet` (for
 *   `.parquet`) is not installed.
 * @example
 * ```ts
 * const { table, report } = await readTransactionTable("../shared/data/cdnow/CDNOW_sample.txt", {
 *   format: "csv", delimiter: "whitespace", header: false,
 *   names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD",
 * });
 * [table.length, table.ids.length, table.ids[0], table.day[0], table.amount[0]];
 * //=> [6919, 2357, "0001", 9862, 29.33]
 * [report.rowsRead, report.accepted, report.rejected];
 * //=> [6919, 6919, 0]
 * ```
 * @example
 * ```ts
 * // A whitespace-aligned file with a header: the delimiter is detected.
 * const aligned = await readTransactionTable("test/fixtures/io/cdnow_master_head.txt", { columns: { amount: "dollar_value" } });
 * [aligned.report.accepted, aligned.report.customers, aligned.table.ids[0], aligned.table.amount[0]];
 * //=> [12, 6, "0001", 29.33]
 * // The second sheet of a workbook, bad rows set aside and counted.
 * const { report: sheet } = await readTransactionTable("test/fixtures/io/transactions.xlsx", { sheet: "Bad", mode: "lenient" });
 * [sheet.rowsRead, sheet.accepted, sheet.rejected];
 * //=> [4, 1, 3]
 * // Parquet: an INT64 id beyond 2^53 kept exact.
 * const pq = await readTransactionTable("test/fixtures/io/good.parquet");
 * [pq.report.accepted, pq.table.ids];
 * //=> [4, ["9007199254740993", "42"]]
 * ```
 * @category Ingestion
 */
export async function readTransactionTable(
  source: string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<object> | DataFrameLike,
  options: ReadTransactionTableOptions = {},
): Promise<TableIngestionResult> {
  return readTable("readTransactionTable", source, options);
}

/**
 * The reader behind {@link readTransactionTable} and `readTransactions` (`fn` names the caller
 * in messages).
 * @internal
 */
export async function readTable(
  fn: string,
  source: ByteSource | Iterable<object> | DataFrameLike,
  options: ReadTransactionTableOptions = {},
): Promise<TableIngestionResult> {
  if (typeof source !== "string" && !(source instanceof Uint8Array) && !isAsyncIterable(source)) {
    if (isDataFrameLike(source)) return ingestRows(fn, source, options).finish();
    return ingestRows(fn, source as Iterable<object>, options).finish();
  }
  const format = options.format ?? (typeof source === "string" ? formatFromPath(source) : source instanceof Uint8Array ? sniffFormat(source) : "csv");
  if (!FORMATS.includes(format)) {
    const why = format === "xls" ? " (the old binary .xls format is not read: save the sheet as .xlsx or CSV)" : "";
    throw new InvalidOptionError(fn, "format", format, `"csv", "json", "ndjson", "xlsx" or "parquet" (or a file ending in .csv, .tsv, .txt, .json, .ndjson, .jsonl, .xlsx, .parquet)${why}`);
  }
  if (options.sheet !== undefined && (format !== "xlsx" || typeof options.sheet !== "string")) {
    throw new InvalidOptionError(fn, "sheet", options.sheet, format === "xlsx" ? "a sheet name (a string)" : `no sheet: it applies to .xlsx workbooks only, and this source is read as ${format}`);
  }
  const encoding = options.encoding ?? "utf8";
  if (!TEXT_ENCODINGS.includes(encoding)) throw new InvalidOptionError(fn, "encoding", encoding, TEXT_ENCODINGS.map((e) => JSON.stringify(e)).join(", "));
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  if (!(maxRowBytes >= 1)) throw new InvalidOptionError(fn, "maxRowBytes", maxRowBytes, "a number of bytes >= 1");
  if (options.memoryLimit !== undefined && !(options.memoryLimit >= 0)) {
    throw new InvalidOptionError(fn, "memoryLimit", options.memoryLimit, "a number of bytes >= 0");
  }
  let delim: number | null = null;
  if (format === "csv" && options.delimiter !== undefined) {
    if (options.delimiter === "whitespace") delim = WHITESPACE;
    else if (options.delimiter === "\\t" || options.delimiter === "tab") delim = 9; // as typed on a command line
    else if (options.delimiter.length === 1 && options.delimiter.charCodeAt(0) < 0x80 && !'\r\n"'.includes(options.delimiter)) {
      delim = options.delimiter.charCodeAt(0);
    } else throw new InvalidOptionError(fn, "delimiter", options.delimiter, 'one ASCII character other than a quote or line break, or "whitespace"');
  }
  const label = typeof source === "string" ? source : "the input";
  const ing = new TableIngestor(fn, options);
  if (format === "xlsx") {
    const bytes = await wholeBytes(fn, source);
    await checkWhole(fn, label, bytes.length, XLSX_EXPANSION, "an .xlsx workbook, which exceljs loads whole", "Export the sheet to CSV or Parquet (both are read in pieces)", options.memoryLimit);
    await readXlsx(fn, bytes, typeof source === "string" ? JSON.stringify(source) : label, ing, options);
    return ing.finish();
  }
  if (format === "parquet") {
    const file = typeof source === "string" ? await openRanges(fn, source) : { ...rangesOfBytes(await wholeBytes(fn, source)), close: async () => undefined };
    // The row count is in the footer: check the table's size and reserve it before any row.
    const beforeRows = async (rows: number): Promise<void> => {
      await checkSize(fn, label, file.byteLength, rows, ing.bytesPerRow(), options.memoryLimit);
      ing.reserve(rows);
    };
    try {
      await readParquet(fn, file, typeof source === "string" ? JSON.stringify(source) : label, ing, options, beforeRows);
    } finally {
      await file.close();
    }
    return ing.finish();
  }
  const input = await openSource(fn, source, encoding);
  try {
    const guard = (estRows: number, bytesPerRow: number) => checkSize(fn, label, input.size, estRows, bytesPerRow, options.memoryLimit);
    if (format === "json") await readJson(fn, label, input, ing, options.memoryLimit);
    else if (format === "ndjson") await readNdjson(fn, input, ing, maxRowBytes, guard);
    else await readCsv(fn, input, ing, options, delim, maxRowBytes, guard);
  } finally {
    await input.close();
  }
  return ing.finish();
}

function formatFromPath(path: string): string {
  const ext = path.toLowerCase().split(".").pop() ?? "";
  if (ext === "csv" || ext === "tsv" || ext === "txt") return "csv";
  if (ext === "json") return "json";
  if (ext === "ndjson" || ext === "jsonl") return "ndjson";
  return ext;
}

/** The format of bytes by their signature: a zip archive (an `.xlsx` workbook), `PAR1` (Parquet), else CSV. */
function sniffFormat(b: Uint8Array): FileFormat {
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 3 && b[3] === 4) return "xlsx";
  if (b.length >= 8 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31) return "parquet";
  return "csv";
}

/** All the bytes of a source (a file read whole, bytes as they are, a stream collected). */
async function wholeBytes(fn: string, source: ByteSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (typeof source === "string") {
    const fs = await import("node:fs");
    try {
      return await fs.promises.readFile(source);
    } catch (cause) {
      throw new AnalyticsError("IO_ERROR", `${fn}: cannot read file ${JSON.stringify(source)} (${(cause as Error).message})`, { cause });
    }
  }
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for await (const c of source) {
      const chunk = typeof c === "string" ? new TextEncoder().encode(c) : c;
      parts.push(chunk);
      n += chunk.length;
    }
  } catch (cause) {
    throw new AnalyticsError("IO_ERROR", `${fn}: reading the input stream failed (${(cause as Error).message})`, { cause });
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Open a regular file for reading: a missing file, a folder or anything else that cannot be
 * opened is an `IO_ERROR` naming the path (never Node's raw `EISDIR`/`ENOENT`).
 */
async function openRegularFile(fn: string, path: string): Promise<{ fh: import("node:fs/promises").FileHandle; size: number }> {
  const fs = await import("node:fs");
  try {
    const fh = await fs.promises.open(path, "r");
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw new Error(st.isDirectory() ? "it is a directory" : "it is not a regular file");
    }
    return { fh, size: st.size };
  } catch (cause) {
    throw new AnalyticsError("IO_ERROR", `${fn}: cannot read file ${JSON.stringify(path)} (${(cause as Error).message})`, { cause });
  }
}

/** Random access to a file's bytes (for the Parquet reader, which reads the footer, then row groups). */
async function openRanges(fn: string, path: string): Promise<ByteRanges & { close(): Promise<void> }> {
  const { fh, size } = await openRegularFile(fn, path);
  return {
    byteLength: size,
    async slice(start, end = size) {
      const len = Math.max(0, Math.min(end, size) - start);
      const buf = new Uint8Array(len);
      try {
        let at = 0;
        while (at < len) {
          const { bytesRead } = await fh.read(buf, at, len - at, start + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
      } catch (cause) {
        throw new AnalyticsError("IO_ERROR", `${fn}: reading ${JSON.stringify(path)} failed (${(cause as Error).message})`, { cause });
      }
      return buf.buffer;
    },
    close: () => fh.close(),
  };
}

/** A source of bytes, pulled into a {@link CsvRows} buffer. */
interface Input {
  /** Total size in bytes when known (files, byte arrays). */
  size: number | null;
  /** Whether the bytes are UTF-8 as read (false: transcoded from another encoding, always valid). */
  utf8: boolean;
  /** Append the next bytes to `rows`; false at the end of the input. */
  pull(rows: CsvRows): Promise<boolean>;
  close(): Promise<void>;
}

async function openSource(fn: string, source: ByteSource, encoding: TextEncoding): Promise<Input> {
  const utf8 = encoding === "utf8" || encoding === "utf-8";
  let input: Input;
  if (typeof source === "string") {
    const { fh, size } = await openRegularFile(fn, source);
    // Two chunk buffers: the next read runs (on libuv's thread pool) while this chunk is parsed.
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let turn = 0;
    const readNext = (): Promise<{ bytesRead: number; buffer: Buffer }> => {
      const b = bufs[turn];
      turn ^= 1;
      return fh.read(b, 0, CHUNK, null);
    };
    let ahead: Promise<{ bytesRead: number; buffer: Buffer }> | null = null;
    input = {
      size,
      utf8: true,
      async pull(rows) {
        let got: { bytesRead: number; buffer: Buffer };
        try {
          got = await (ahead ?? readNext());
        } catch (cause) {
          throw new AnalyticsError("IO_ERROR", `${fn}: reading ${JSON.stringify(source)} failed (${(cause as Error).message})`, { cause });
        }
        if (got.bytesRead === 0) {
          ahead = null;
          return false;
        }
        ahead = readNext();
        ahead.catch(() => undefined); // surfaced by the next pull
        rows.append(got.buffer.subarray(0, got.bytesRead));
        return true;
      },
      async close() {
        await ahead?.catch(() => undefined);
        await fh.close();
      },
    };
  } else if (source instanceof Uint8Array) {
    let done = false;
    input = {
      size: source.length,
      utf8: true,
      async pull(rows) {
        if (done) return false;
        done = true;
        rows.append(source);
        return source.length > 0;
      },
      close: async () => undefined,
    };
  } else {
    const it = source[Symbol.asyncIterator]();
    input = {
      size: null,
      utf8: true,
      async pull(rows) {
        for (;;) {
          let r: IteratorResult<Uint8Array | string>;
          try {
            r = await it.next();
          } catch (cause) {
            throw new AnalyticsError("IO_ERROR", `${fn}: reading the input stream failed (${(cause as Error).message})`, { cause });
          }
          if (r.done) return false;
          const chunk = typeof r.value === "string" ? Buffer.from(r.value, "utf8") : r.value;
          if (chunk.length === 0) continue;
          rows.append(chunk);
          return true;
        }
      },
      close: async () => {
        await it.return?.();
      },
    };
  }
  if (utf8) return input;
  // Another encoding: decode chunk by chunk and re-encode as UTF-8 for the byte-level parser.
  const { StringDecoder } = await import("node:string_decoder");
  const decoder = new StringDecoder(encoding);
  const raw = new CsvRows(CHUNK);
  let ended = false;
  return {
    size: input.size,
    utf8: false,
    async pull(rows) {
      while (!ended) {
        raw.pos = 0;
        raw.len = 0;
        const more = await input.pull(raw);
        const text = more ? decoder.write(raw.buf.subarray(0, raw.len)) : decoder.end();
        if (!more) ended = true;
        if (text.length > 0) {
          rows.append(Buffer.from(text, "utf8"));
          return true;
        }
      }
      return false;
    },
    close: () => input.close(),
  };
}

const fmtBytes = (b: number): string =>
  b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} bytes`;

/** The memory the reader may plan to use: the smaller of the free V8 heap and the free system memory. */
async function defaultMemoryLimit(): Promise<{ limit: number; why: string }> {
  const v8 = await import("node:v8");
  const os = await import("node:os");
  const h = v8.getHeapStatistics();
  const heap = Math.max(0, h.heap_size_limit - h.used_heap_size);
  const free = os.freemem();
  return { limit: Math.min(heap, free), why: `free V8 heap ${fmtBytes(heap)} of a ${fmtBytes(h.heap_size_limit)} limit, free system memory ${fmtBytes(free)}` };
}

/** Throw `TOO_LARGE` when `estRows` rows of `bytesPerRow` would not fit. */
async function checkSize(fn: string, label: string, size: number | null, estRows: number, bytesPerRow: number, memoryLimit: number | undefined): Promise<void> {
  if (size === null) return;
  const need = estRows * bytesPerRow;
  const { limit, why } = memoryLimit !== undefined ? { limit: memoryLimit, why: "the memoryLimit option" } : await defaultMemoryLimit();
  if (need <= limit) return;
  throw new AnalyticsError(
    "TOO_LARGE",
    `${fn}: ${label} is ${fmtBytes(size)} (about ${Math.round(estRows).toLocaleString("en-US")} rows); as a table it needs about ${fmtBytes(need)}, ` +
      `more than the ${fmtBytes(limit)} this process can use (${why}). Read it with the out-of-core engine (readTransactionTableWithDuckDb; CLI --engine duckdb), ` +
      "split the file, or give Node more memory (node --max-old-space-size).",
  );
}

/** Throw `TOO_LARGE` when a source of `size` bytes read whole would take more than the memory limit. */
async function checkWhole(fn: string, label: string, size: number, expansion: number, what: string, advice: string, memoryLimit: number | undefined): Promise<void> {
  const need = size * expansion;
  const { limit, why } = memoryLimit !== undefined ? { limit: memoryLimit, why: "the memoryLimit option" } : await defaultMemoryLimit();
  if (need <= limit) return;
  throw new AnalyticsError(
    "TOO_LARGE",
    `${fn}: ${label} is ${fmtBytes(size)} of ${what} (about ${fmtBytes(need)} in memory), more than the ${fmtBytes(limit)} this process can use (${why}). ${advice}.`,
  );
}

/** Rows in the whole input, estimated from the line ends among the first `n` bytes. */
function estimateRows(rows: CsvRows, n: number, size: number | null): number {
  if (size === null) return 0;
  let lines = 0;
  const buf = rows.buf;
  const end = Math.min(rows.len, rows.pos + n);
  for (let k = rows.pos; k < end; k++) if (buf[k] === 10) lines++;
  if (lines === 0) for (let k = rows.pos; k < end; k++) if (buf[k] === 13) lines++;
  const bytesPerLine = (end - rows.pos) / Math.max(1, lines);
  return Math.ceil(size / Math.max(1, bytesPerLine));
}

/** Skip a UTF-8 byte order mark at the start of the buffer. */
function skipBom(rows: CsvRows): void {
  const b = rows.buf;
  if (rows.len - rows.pos >= 3 && b[rows.pos] === 0xef && b[rows.pos + 1] === 0xbb && b[rows.pos + 2] === 0xbf) rows.pos += 3;
}

type Guard = (estRows: number, bytesPerRow: number) => Promise<void>;

/** Pull until at least `min` bytes are buffered or the input ends; false at the end. */
async function fill(input: Input, rows: CsvRows, min: number): Promise<boolean> {
  while (rows.len - rows.pos < min) if (!(await input.pull(rows))) return false;
  return true;
}

function tooLong(fn: string, what: string, row: number, maxRowBytes: number): AnalyticsError {
  return new AnalyticsError(
    "IO_ERROR",
    `${fn}: ${what} ${row} is longer than ${fmtBytes(maxRowBytes)} (maxRowBytes); the file is broken (an unterminated quote?) or needs a larger maxRowBytes`,
  );
}

/**
 * Guess the delimiter as papaparse 5 does: parse the first 10 rows with each candidate; the one
 * with the most consistent field count (ties: more fields) wins, if it gives ~2 fields or more.
 * When none does, runs of whitespace if they split every sampled row (header included) into the
 * same number of fields, 2 or more (a whitespace-aligned file such as the CDNOW master file);
 * else ",".
 */
function guessDelimiter(rows: CsvRows): number {
  const best = guessCharDelimiter(rows);
  if (best !== null) return best;
  const start = rows.pos;
  rows.delim = WHITESPACE;
  let fields = -1;
  let same = true;
  for (let r = 0; r < 10 && rows.pos < rows.len; r++) {
    rows.next(true);
    if (rows.isBlank()) continue;
    if (fields < 0) fields = rows.nf;
    else if (rows.nf !== fields) same = false;
  }
  rows.pos = start;
  return same && fields >= 2 ? WHITESPACE : 44;
}

/** The papaparse guess among {@link DELIMITERS}, or null when none gives ~2 fields or more. */
function guessCharDelimiter(rows: CsvRows): number | null {
  let best: number | null = null;
  let bestDelta = Infinity;
  let bestAvg = -Infinity;
  const start = rows.pos;
  for (const cand of DELIMITERS) {
    rows.delim = cand.charCodeAt(0);
    rows.pos = start;
    let delta = 0;
    let sum = 0;
    let counted = 0;
    let prev = -1;
    for (let r = 0; r < 10 && rows.pos < rows.len; r++) {
      rows.next(true);
      if (rows.isBlank()) continue;
      const nf = rows.nf;
      sum += nf;
      counted++;
      if (prev < 0) prev = nf;
      else {
        delta += Math.abs(nf - prev);
        prev = nf;
      }
    }
    const avg = counted > 0 ? sum / counted : 0;
    if (avg > 1.99 && (delta < bestDelta || (delta === bestDelta && avg > bestAvg))) {
      best = rows.delim;
      bestDelta = delta;
      bestAvg = avg;
    }
  }
  rows.pos = start;
  return best;
}

async function readCsv(
  fn: string, input: Input, ing: TableIngestor, options: ReadTransactionTableOptions, delim: number | null, maxRowBytes: number, guard: Guard,
): Promise<void> {
  const rows = new CsvRows(CHUNK * 2);
  const header = options.header ?? true;
  let names: string[] | null = header ? null : options.names ? [...options.names] : null;
  if (names) ing.setNames(names);
  let eof = !(await fill(input, rows, 64 * 1024));
  skipBom(rows);
  rows.delim = delim ?? guessDelimiter(rows);
  const estRows = estimateRows(rows, CHUNK, input.size);
  const checkUtf8 = input.utf8;
  const isUtf8 = checkUtf8 ? (await import("node:buffer")).isUtf8 : null;
  let checked = false;
  let first = true;
  let wait = 0;
  for (;;) {
    if (eof || rows.len - rows.pos >= wait) {
      while (rows.pos < rows.len && rows.next(eof)) {
        if (rows.rowEnd - rows.rowStart > maxRowBytes) throw tooLong(fn, "row", ing.rows + 1, maxRowBytes);
        if (rows.isBlank()) continue;
        if (first) {
          first = false;
          if (rows.nf === 1 && rows.delim !== WHITESPACE && (names === null || names.length > 1)) wholeLineHint(fn, rows, options.delimiter);
        }
        if (names === null) {
          names = [];
          if (header) for (let j = 0; j < rows.nf; j++) names.push(rows.text(j).trim());
          else for (let j = 0; j < rows.nf; j++) names.push(String(j));
          ing.setNames(names);
          if (header) continue;
        }
        if (rows.problem !== ROW_OK) {
          ing.malformed(rows.rowText(), rows.problem === ROW_BAD_QUOTE ? "a closing quote followed by a delimiter or a line end" : "a closing quote (the quote opened in this row is never closed)");
          continue;
        }
        if (rows.nf !== names.length) {
          const fields: string[] = [];
          for (let j = 0; j < rows.nf; j++) fields.push(rows.text(j));
          ing.malformed(rows.delim === WHITESPACE ? rows.rowText().trim() : fields.join(","), `${names.length} fields, got ${rows.nf}`);
          continue;
        }
        if (isUtf8 !== null && !validUtf8(rows, isUtf8, ing, names)) continue;
        ing.pushRow(rows);
      }
      if (!checked && ing.rows > 0) {
        checked = true;
        await guard(estRows, ing.bytesPerRow());
        ing.reserve(Math.ceil(estRows * 1.02), input.size ?? undefined);
      }
      if (eof) break;
      const pending = rows.len - rows.pos;
      if (pending > maxRowBytes) throw tooLong(fn, "row", ing.rows + 1, maxRowBytes);
      // Retry an incomplete row only once its bytes have doubled: linear time for long rows.
      wait = pending * 2;
    }
    eof = !(await input.pull(rows));
  }
  if (!checked) await guard(estRows, ing.bytesPerRow());
}

/**
 * The first row is one field although its text has words separated by whitespace: the file is
 * whitespace-separated (or its delimiter is wrong), and every row would fail; say so now.
 */
function wholeLineHint(fn: string, rows: CsvRows, given: string | undefined): void {
  const line = rows.rowText().trim();
  if (!/\S[ \t]+\S/.test(line)) return;
  const shown = line.length > 60 ? `${line.slice(0, 57)}...` : line;
  throw new InvalidOptionError(
    fn, "delimiter", given,
    `a delimiter that splits the rows: ${given === undefined ? "none of , ; tab | was found and runs of whitespace do not split the first rows evenly, so" : "with it"} ` +
      `each row is one column, but the first line ${JSON.stringify(shown)} looks whitespace-separated: pass delimiter: "whitespace"${line.includes("\t") ? ' (or "\\t" for tabs only)' : ""} ` +
      "(no quoting; a column name or value with a space inside must then be renamed or quoted differently)",
  );
}

/** Check the UTF-8 of the current row's non-ASCII fields; a bad field makes the row malformed. */
function validUtf8(rows: CsvRows, isUtf8: (b: Uint8Array) => boolean, ing: TableIngestor, names: readonly string[]): boolean {
  if (rows.strFields !== null) {
    if (isUtf8(rows.buf.subarray(rows.rowStart, rows.rowEnd))) return true;
    ing.malformed(rows.rowText(), 'valid UTF-8 text (set the encoding option, e.g. "latin1", if the file is not UTF-8)');
    return false;
  }
  for (let j = 0; j < rows.nf; j++) {
    if (rows.flags[j] & F_HIGH && !isUtf8(rows.buf.subarray(rows.starts[j], rows.ends[j]))) {
      ing.malformed(rows.text(j), 'valid UTF-8 text (set the encoding option, e.g. "latin1", if the file is not UTF-8)', names[j]);
      return false;
    }
  }
  return true;
}

async function readNdjson(fn: string, input: Input, ing: TableIngestor, maxRowBytes: number, guard: Guard): Promise<void> {
  const rows = new CsvRows(CHUNK * 2);
  let eof = !(await fill(input, rows, 64 * 1024));
  skipBom(rows);
  const estRows = estimateRows(rows, CHUNK, input.size);
  const isUtf8 = input.utf8 ? (await import("node:buffer")).isUtf8 : null;
  let checked = false;
  let wait = 0;
  for (;;) {
    if (eof || rows.len - rows.pos >= wait) {
      const buf = rows.buf;
      for (;;) {
        const start = rows.pos;
        const end = rows.len;
        if (start >= end) break;
        let q = start;
        let hi = 0;
        let c = 0;
        while (q < end) {
          c = buf[q];
          if (c === 10 || c === 13) break;
          hi |= c;
          q++;
        }
        if (q >= end && !eof) break;
        if (q < end && c === 13 && q + 1 >= end && !eof) break;
        rows.pos = q >= end ? end : c === 13 && buf[q + 1] === 10 ? q + 2 : q + 1;
        if (q - start > maxRowBytes) throw tooLong(fn, "line of data row", ing.rows + 1, maxRowBytes);
        const line = (hi & 0x80 ? buf.toString("utf8", start, q) : buf.latin1Slice ? buf.latin1Slice(start, q) : buf.toString("latin1", start, q)).trim();
        if (line === "") continue;
        if (hi & 0x80 && isUtf8 !== null && !isUtf8(buf.subarray(start, q))) {
          ing.malformed(line, 'valid UTF-8 text (set the encoding option, e.g. "latin1", if the file is not UTF-8)');
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          value = line;
        }
        if (value !== null && typeof value === "object" && !Array.isArray(value)) ing.pushObject(value as Record<string, unknown>);
        else ing.malformed(value, "a JSON object on one line");
      }
      if (!checked && ing.rows > 0) {
        checked = true;
        await guard(estRows, ing.bytesPerRow());
        ing.reserve(Math.ceil(estRows * 1.02), input.size ?? undefined);
      }
      if (eof) break;
      const pending = rows.len - rows.pos;
      if (pending > maxRowBytes) throw tooLong(fn, "line of data row", ing.rows + 1, maxRowBytes);
      wait = pending * 2;
    }
    eof = !(await input.pull(rows));
  }
}

async function readJson(fn: string, label: string, input: Input, ing: TableIngestor, memoryLimit: number | undefined): Promise<void> {
  if (input.size !== null) {
    const need = input.size * JSON_EXPANSION;
    const { limit, why } = memoryLimit !== undefined ? { limit: memoryLimit, why: "the memoryLimit option" } : await defaultMemoryLimit();
    if (input.size > MAX_STRING || need > limit) {
      throw new AnalyticsError(
        "TOO_LARGE",
        `${fn}: ${label} is ${fmtBytes(input.size)} of JSON, which is parsed whole (about ${fmtBytes(need)} in memory, ` +
          `${input.size > MAX_STRING ? "longer than the longest JavaScript string" : `more than the ${fmtBytes(limit)} this process can use (${why})`}). ` +
          'Write it as NDJSON (one object per line, streamed), or read it with the out-of-core engine (readTransactionTableWithDuckDb; CLI --engine duckdb).',
      );
    }
  }
  const rows = new CsvRows(input.size !== null ? input.size + 16 : CHUNK);
  while (await input.pull(rows)) {
    if (rows.len > MAX_STRING) throw new AnalyticsError("TOO_LARGE", `${fn}: ${label} is more than ${fmtBytes(MAX_STRING)} of JSON; write it as NDJSON (streamed)`);
  }
  skipBom(rows);
  const text = rows.buf.toString("utf8", rows.pos, rows.len);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new AnalyticsError("IO_ERROR", `${fn}: ${label} is not valid JSON (${(cause as Error).message})`, { cause });
  }
  const list = Array.isArray(data) ? data : (data as { transactions?: unknown } | null)?.transactions;
  if (!Array.isArray(list)) throw new AnalyticsError("IO_ERROR", `${fn}: ${label} must hold an array of rows (or { "transactions": [...] })`);
  ing.reserve(list.length);
  for (let i = 0; i < list.length; i++) {
    const row: unknown = list[i];
    if (row !== null && typeof row === "object" && !Array.isArray(row)) ing.pushObject(row as Record<string, unknown>);
    else ing.malformed(row, "a JSON object");
  }
}


