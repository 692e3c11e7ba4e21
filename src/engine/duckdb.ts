/**
 * The embedded DuckDB engine: transaction files (CSV, Parquet, NDJSON) validated and summarised
 * inside DuckDB, out of core, with the rules and numbers of the in-process path. Node only;
 * `@duckdb/node-api` is an optional dependency, loaded when first used.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError, formatValue } from "../core/errors.js";
import { detectColumns, INGEST_DEFAULTS, parseNumber } from "../core/tableIngest.js";
import type { ColumnMapping, IngestionReport, ParseTransactionsOptions, RejectedRow, RejectReason } from "../core/ingest.js";
import type { CalibrationTable, CustomerTable, DictionaryColumn, ItemListColumn, TransactionTable } from "../core/table.js";
import { dayToDate, daysPerUnit, toEpochDay } from "../core/time.js";
import type { DateInput, TimeUnit } from "../core/types.js";
import type { DateFormat } from "../core/dates.js";
import { withDefaults } from "../core/options.js";
import { codeUnitOrder, permute } from "./rows.js";
import { BasketBuilder, type Baskets } from "../rules/baskets.js";
import type { SummaryReport } from "../summary/summarize.js";
import { duckdb as dialect } from "./dialect.js";
import { basketsSql, calibrationSql, customerAggregateSql, customerReportSql, customerSummarySql, dateHint, ENGINE_FIELDS, itemsSql, jsTrim, validationSql, zoneRule, type ValidationRules } from "./sql.js";

/** The package that provides the engine. */
const PACKAGE = "@duckdb/node-api";

/**
 * Options of {@link openDuckDbSource} (and of the one-call functions): how to read the source,
 * the validation options of `parseTransactions` that the engine mirrors, and DuckDB's resources.
 * @category Engines
 */
export interface DuckDbSourceOptions extends Pick<ParseTransactionsOptions, "columns" | "mode" | "dateFormat" | "timeZone" | "decimal" | "itemSeparator" | "duplicates" | "keepAttributes" | "maxExamples" | "cancellationPrefix"> {
  /** File format. Default: from the extension (`.csv`, `.tsv`, `.txt` -> csv; `.parquet`, `.pq` -> parquet; `.ndjson`, `.jsonl` -> ndjson); a folder is read as Parquet (every `*.parquet` below it). */
  format?: "csv" | "parquet" | "ndjson" | "json";
  /** CSV delimiter: one character, `"tab"`, or `"whitespace"` (runs of spaces and tabs, as the CDNOW file). Default: detected by DuckDB's sniffer. */
  delimiter?: string;
  /** Whether the first CSV row is a header. Default `true`. */
  header?: boolean;
  /** Column names of a CSV without header. Default `"0"`, `"1"`, ... */
  names?: readonly string[];
  /** DuckDB's memory limit: bytes (a number) or a DuckDB size such as `"4GB"`; beyond it DuckDB spills to `tempDirectory`. Default: DuckDB's own (80% of the machine's memory). */
  memoryLimit?: number | string;
  /** Threads DuckDB may use. Default: DuckDB's own (the number of cores). */
  threads?: number;
  /** Folder for DuckDB's spill files. Default: DuckDB's own (`.tmp` for an in-memory database). */
  tempDirectory?: string;
}

/** Defaults of {@link DuckDbSourceOptions}, in one place. */
const SOURCE_DEFAULTS = Object.freeze({
  mode: INGEST_DEFAULTS.mode,
  dateFormat: INGEST_DEFAULTS.dateFormat,
  timeZone: INGEST_DEFAULTS.timeZone,
  decimal: INGEST_DEFAULTS.decimal,
  itemSeparator: INGEST_DEFAULTS.itemSeparator,
  duplicates: INGEST_DEFAULTS.duplicates,
  keepAttributes: INGEST_DEFAULTS.keepAttributes,
  maxExamples: INGEST_DEFAULTS.maxExamples,
  cancellationPrefix: "C" as string | false,
  header: true,
});

/** The subset of `@duckdb/node-api` used here (typed locally, so the package stays optional for type checking too). */
interface DuckDbModule {
  DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<DuckDbInstance> };
}
interface DuckDbInstance {
  connect(): Promise<DuckDbConnection>;
  closeSync(): void;
}
interface DuckDbConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[] }>;
  stream(sql: string): Promise<{ fetchChunk(): Promise<DuckDbChunk | null> }>;
  closeSync(): void;
}
interface DuckDbChunk {
  readonly rowCount: number;
  getColumnValues(columnIndex: number): unknown[];
}

let loaded: Promise<DuckDbModule> | null = null;

/** Load the optional package once; a missing or broken install is a `DEPENDENCY_FAILED` error naming it. */
async function loadDuckDb(fn: string): Promise<DuckDbModule> {
  loaded ??= (import(PACKAGE) as Promise<DuckDbModule>).catch((cause: unknown) => {
    loaded = null;
    throw new AnalyticsError(
      "DEPENDENCY_FAILED",
      `${fn}: the DuckDB engine needs the optional package "${PACKAGE}", which could not be loaded (${(cause as Error).message}); install it with npm install ${PACKAGE}`,
      { cause },
    );
  });
  return loaded;
}

/** A DuckDB value (BIGINT arrives as bigint, lists as `{ items }`) as a number. */
const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? v : v === null || v === undefined ? NaN : Number(v));

/** The format of a path. */
function formatOf(fn: string, path: string, isDir: boolean): "csv" | "parquet" | "ndjson" | "json" {
  if (isDir) return "parquet";
  const ext = path.toLowerCase().split(".").pop() ?? "";
  if (ext === "csv" || ext === "tsv" || ext === "txt") return "csv";
  if (ext === "parquet" || ext === "pq") return "parquet";
  if (ext === "ndjson" || ext === "jsonl") return "ndjson";
  if (ext === "json") return "json";
  throw new InvalidOptionError(fn, "format", ext, '"csv", "parquet", "ndjson" or "json" (or a path ending in .csv, .tsv, .txt, .parquet, .pq, .ndjson, .jsonl, .json)');
}

/** One rejection reason's count and examples. */
interface Rejections {
  count: number;
  examples: RejectedRow[];
}

/**
 * A transaction source opened in DuckDB: read and validated once (the accepted rows held by
 * DuckDB, in memory or spilled to disk, never in JavaScript), then summarised any number of
 * times. Close it when done.
 * @category Engines
 */
export interface DuckDbSource {
  /** Accounting of every row read (the report of `readTransactionTable`). */
  readonly ingestion: IngestionReport;
  /**
   * The accepted rows as an in-memory {@link TransactionTable} (what `readTransactionTable`
   * returns for the same file): for sources that fit in memory, or after filtering in SQL.
   * Ids are dictionary-encoded in order of first appearance; attribute columns (with
   * `keepAttributes`, the default) and item labels are read again from the source for it.
   */
  table(): Promise<TransactionTable>;
  /** The customer summary: {@link summarizeWithDuckDb}'s result from this source. */
  summarize(options?: DuckDbSummarizeOptions): Promise<DuckDbSummaryResult>;
  /** The calibration summary: {@link calibrationWithDuckDb}'s result from this source. */
  calibration(options?: DuckDbCalibrationOptions): Promise<CalibrationTable>;
  /** Market baskets: {@link basketsWithDuckDb}'s result from this source. */
  baskets(options?: DuckDbBasketsOptions): Promise<Baskets>;
  /** Release DuckDB's memory and files. */
  close(): void;
}

/**
 * Options of {@link summarizeWithDuckDb}: those of `summarizeCustomersTable`.
 * @category Engines
 */
export interface DuckDbSummarizeOptions {
  /** Analysis day: later transactions are excluded and counted. Default: the last transaction day. */
  asOf?: DateInput;
  /** Days of the period of `spendPerPeriod`. Default 30. */
  periodDays?: number;
}

/**
 * Options of {@link calibrationWithDuckDb}: those of `calibrationTable`.
 * @category Engines
 */
export interface DuckDbCalibrationOptions {
  /** Last day of the calibration period (inclusive). Default: the last transaction day. */
  calibrationEnd?: DateInput;
  /** Time unit of `t_x` and `T`. Default `"weeks"`. */
  timeUnit?: TimeUnit;
  /** What one purchase is: `"day"` (default) or `"order"`. */
  groupBy?: "day" | "order";
}

/**
 * Options of {@link basketsWithDuckDb}: those of `basketsFromTable` that the engine mirrors.
 * @category Engines
 */
export interface DuckDbBasketsOptions {
  /** One basket per order (default; lines without order id: the customer's day) or per customer. */
  by?: "order" | "customer";
  /** Keep return lines. Default `false`. */
  includeReturns?: boolean;
}

/**
 * Result of {@link summarizeWithDuckDb}.
 * @category Engines
 */
export interface DuckDbSummaryResult {
  /** One row per customer with a purchase by `asOf`, sorted by id: the numbers of `summarizeCustomersTable`. */
  customers: CustomerTable;
  /** The summary's accounting (as `summarizeCustomersTable`'s report). */
  summary: SummaryReport;
}

const SUMMARIZE_DEFAULTS = Object.freeze({ periodDays: 30 });

/** Growable typed column filled from result chunks. */
class Col<T extends Int32Array | Float64Array> {
  a: T;
  n = 0;
  constructor(private readonly make: (n: number) => T) {
    this.a = make(1024);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): T {
    return this.a.slice(0, this.n) as T;
  }
}
const ints = () => new Col((n) => new Int32Array(n));
const floats = () => new Col((n) => new Float64Array(n));


/** Stream a query's rows chunk by chunk into `onRow(values, row)`. */
async function streamRows(conn: DuckDbConnection, sql: string, columns: number, onChunk: (cols: unknown[][], rows: number) => void): Promise<void> {
  const result = await conn.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const cols: unknown[][] = [];
    for (let j = 0; j < columns; j++) cols.push(chunk.getColumnValues(j));
    onChunk(cols, chunk.rowCount);
  }
}

/** Rethrow a DuckDB error as ours (`IO_ERROR`, or `TOO_LARGE` when DuckDB ran out of memory or a sum overflowed). */
function wrap(fn: string, what: string, cause: unknown): never {
  if (cause instanceof AnalyticsError) throw cause;
  const msg = (cause as Error).message ?? String(cause);
  if (/out of memory|memory limit/i.test(msg)) {
    throw new AnalyticsError("TOO_LARGE", `${fn}: DuckDB ran out of memory while ${what} (${msg}); raise memoryLimit or set tempDirectory on a disk with room`, { cause });
  }
  if (/overflow/i.test(msg)) {
    throw new AnalyticsError("TOO_LARGE", `${fn}: the data overflowed while ${what} (${msg}); express the money in a larger unit (e.g. thousands)`, { cause });
  }
  throw new AnalyticsError("IO_ERROR", `${fn}: DuckDB failed while ${what}: ${msg}`, { cause });
}

/** The SQL relation `src` of a source: `_row`, the malformed-row columns, and per field `f_text`/`f_kind`. */
interface SourcePlan {
  /** SELECT producing `src`. */
  sql: string;
  /** The mapping used. */
  mapping: ColumnMapping;
  /** Malformed rows DuckDB's CSV reader set aside (counted, not numbered), when any. */
  rejectsTable: string | null;
  /**
   * The attribute (unmapped) columns `src` carries as `a_0`, `a_1`, ... (text sources: their
   * raw text), `"json"` when they are read from the row's JSON `_raw` (NDJSON), or null (none,
   * or not carried: Parquet).
   */
  attributes: readonly string[] | "json" | null;
  /** Malformed rows are JSON values (elements of a JSON document), shown parsed as in process. */
  malformedJson?: boolean;
  /** `sql` without side effects (no rejects table), to read the attribute columns of accepted rows again. Default: `sql`. */
  rescan?: string;
  /**
   * Set by the validation when DuckDB's CSV reader skipped rows (lenient mode): `_row` of `sql`
   * then counts only the rows it kept, and the temporary table `csv_skipped` renumbers them.
   */
  renumbered?: boolean;
}

/** The unmapped columns in the in-process reader's order (JavaScript object-key order: integer-like names first), as `a_k` columns of `src`. */
function attributeColumns(names: readonly string[], m: ColumnMapping, expr: (at: number) => string, keep: boolean): { names: string[]; sql: string } {
  if (!keep) return { names: [], sql: "" };
  const mapped = new Set(Object.values(m) as string[]);
  const o: Record<string, true> = Object.create(null);
  for (const n of names) o[n] = true;
  const attrs = Object.keys(o).filter((n) => !mapped.has(n));
  return { names: attrs, sql: attrs.map((n, k) => `, ${expr(names.lastIndexOf(n))} AS a_${k}`).join("") };
}

const sqlPath = (p: string): string => dialect.str(p);

/**
 * Build `src` for a source. Line-based sources (NDJSON, whitespace-separated text) are read as
 * lines, so that rows are numbered as the in-process reader numbers them (blank lines skipped,
 * malformed lines counted).
 */
async function planSource(fn: string, conn: DuckDbConnection, path: string, o: DuckDbSourceOptions & typeof SOURCE_DEFAULTS): Promise<SourcePlan> {
  const fs = await import("node:fs");
  let isDir = false;
  const glob = /[*?[]/.test(path);
  if (!glob) {
    try {
      isDir = fs.statSync(path).isDirectory();
    } catch (cause) {
      throw new AnalyticsError("IO_ERROR", `${fn}: cannot read ${JSON.stringify(path)} (${(cause as Error).message})`, { cause });
    }
  }
  const format = o.format ?? formatOf(fn, path, isDir);
  if (format !== "csv" && format !== "parquet" && format !== "ndjson" && format !== "json") throw new InvalidOptionError(fn, "format", format, '"csv", "parquet", "ndjson" or "json"');
  const given = o.columns ?? {};
  const resolve = (keys: readonly string[], complete = true): ColumnMapping => {
    // A given column the header lacks is a misspelt name (as in process), not a data gap.
    if (complete) {
      for (const [field, col] of Object.entries(given)) {
        if (typeof col === "string" && !keys.includes(col)) {
          throw new InvalidOptionError(fn, `columns.${field}`, col, `the name of a column of the source, but the header has no column ${JSON.stringify(col)}; columns: ${JSON.stringify(keys)}`);
        }
      }
    }
    const m = detectColumns(keys, given);
    for (const f of ["customerId", "date"] as const) {
      if (m[f] === undefined) throw new InvalidOptionError(fn, `columns.${f}`, undefined, `the name of the ${f} column; found columns ${JSON.stringify(keys)}`);
    }
    if (m.itemLabel !== undefined && m.items === undefined) {
      throw new InvalidOptionError(fn, "columns.itemLabel", m.itemLabel, "an items column beside it (columns.items: the item codes that the labels name)");
    }
    // As in process: an amount column wins over the parts (they are then not read, and stay attributes).
    if (m.amount !== undefined) {
      delete m.quantity;
      delete m.unitPrice;
    }
    return m;
  };
  const describe = async (rel: string): Promise<{ name: string; type: string }[]> => {
    try {
      const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${rel}`)).getRowObjects();
      return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    } catch (cause) {
      return wrap(fn, `reading ${JSON.stringify(path)}`, cause);
    }
  };
  let jsonDocument = false;
  let lines = `(SELECT line, row_number() OVER () AS _row FROM (SELECT line FROM read_csv(${sqlPath(path)}, columns = {'line': 'VARCHAR'}, header = false, ` +
    `delim = '\x1F', quote = '', escape = '', auto_detect = false) WHERE line IS NOT NULL AND ${jsTrim(dialect, "line")} <> ''))`;
  // The first non-blank lines in file order, without numbering the whole file (a scan stops at the LIMIT).
  const head = `(SELECT line FROM read_csv(${sqlPath(path)}, columns = {'line': 'VARCHAR'}, header = false, ` +
    `delim = '\x1F', quote = '', escape = '', auto_detect = false) WHERE line IS NOT NULL AND ${jsTrim(dialect, "line")} <> '' LIMIT 10)`;
  // Per field: text and kind expressions over the relation.
  const fieldCols = (m: ColumnMapping, text: (col: string) => string, kind: (col: string) => string): string =>
    ENGINE_FIELDS.map((f) => {
      const col = m[f];
      return col === undefined ? `NULL AS ${f}_text, 'u' AS ${f}_kind` : `${text(col)} AS ${f}_text, ${kind(col)} AS ${f}_kind`;
    }).join(", ");

  if (format === "json") {
    // One JSON document, an array of rows or { "transactions": [...] } (read whole, as in process):
    // its elements stand for the lines of NDJSON, numbered from 1.
    const doc = `(SELECT content FROM read_text(${sqlPath(path)}))`;
    const shape = (await conn.runAndReadAll(`SELECT json_valid(content) AS ok, json_type(content) AS t, json_type(content, '$.transactions') AS tt FROM ${doc}`)
      .catch((cause: unknown) => wrap(fn, `reading ${JSON.stringify(path)}`, cause))).getRowObjects()[0];
    if (!shape?.ok) throw new AnalyticsError("IO_ERROR", `${fn}: ${path} is not valid JSON`);
    const list = shape.t === "ARRAY" ? "CAST(content AS JSON[])" : shape.tt === "ARRAY" ? "CAST(json_extract(content, '$.transactions') AS JSON[])" : null;
    if (list === null) throw new AnalyticsError("IO_ERROR", `${fn}: ${path} must hold an array of rows (or { "transactions": [...] })`);
    jsonDocument = true;
    lines = `(SELECT CAST(e AS VARCHAR) AS line, _row FROM (SELECT unnest(${list}) AS e, unnest(range(1, len(${list}) + 1)) AS _row FROM ${doc}))`;
  }
  if (format === "ndjson" || format === "json") {
    const first = (await conn.runAndReadAll(`SELECT json_keys(line) AS k FROM ${lines} WHERE json_valid(line) AND json_type(line) = 'OBJECT' ORDER BY _row LIMIT 1`)).getRowObjects();
    const keys = first.length > 0 ? ((first[0].k as { items: unknown[] }).items ?? []).map(String) : [];
    const m = resolve(keys, false);
    const jpath = (col: string) => dialect.str(`$."${col.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
    // An array is 'a' when every element is a string or a number (an items list), else 'x'.
    const arrayKind = (col: string) =>
      `(CASE WHEN COALESCE(list_bool_and(list_transform(CAST(json_extract(line, ${jpath(col)}) AS JSON[]), e -> json_type(e) IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE'))), TRUE) THEN 'a' ELSE 'x' END)`;
    const kind = (col: string) =>
      `(CASE json_type(line, ${jpath(col)}) WHEN 'VARCHAR' THEN 's' WHEN 'BIGINT' THEN 'n' WHEN 'UBIGINT' THEN 'n' WHEN 'DOUBLE' THEN 'n' WHEN 'NULL' THEN 'z' WHEN 'BOOLEAN' THEN 'x' WHEN 'OBJECT' THEN 'x' ` +
      `WHEN 'ARRAY' THEN ${col === m.items ? arrayKind(col) : "'x'"} ELSE 'u' END)`;
    const ok = "(json_valid(line) AND json_type(line) = 'OBJECT')";
    // Sparse rows may omit a key, but a given column that no row has is a misspelt name.
    for (const [field, col] of Object.entries(given)) {
      if (typeof col !== "string" || keys.includes(col)) continue;
      const seen = (await conn.runAndReadAll(`SELECT count(*) AS n, count(*) FILTER (WHERE json_exists(line, ${jpath(col)})) AS k FROM ${lines} WHERE ${ok}`)).getRowObjects()[0];
      if (num(seen.k) === 0) {
        throw new InvalidOptionError(fn, `columns.${field}`, col, `the name of a column of the source, but no row of the ${num(seen.n)} read has column ${JSON.stringify(col)}; columns: ${JSON.stringify(keys)}`);
      }
    }
    return {
      mapping: m,
      rejectsTable: null,
      attributes: o.keepAttributes ? "json" : null,
      malformedJson: jsonDocument,
      sql: `SELECT _row, CASE WHEN ${ok} THEN NULL ELSE ${jsonDocument ? "'a JSON object'" : "'a JSON object on one line'"} END AS malformed, line AS malformed_text, line AS _raw, ` +
        `${fieldCols(m, (c) => `CASE WHEN ${ok} THEN json_extract_string(line, ${jpath(c)}) END`, (c) => `CASE WHEN ${ok} THEN ${kind(c)} ELSE 'u' END`)} FROM ${lines}`,
    };
  }

  if (format === "parquet") {
    const rel = `read_parquet(${sqlPath(isDir ? `${path.replace(/\/$/, "")}/**/*.parquet` : path)}, union_by_name = true, filename = true, file_row_number = true)`;
    const cols = (await describe(rel)).filter((c) => c.name !== "filename" && c.name !== "file_row_number");
    const m = resolve(cols.map((c) => c.name));
    const byName = new Map(cols.map((c) => [c.name, c]));
    // The values as the in-process Parquet reader passes them on: numbers as numbers (ids as
    // their text), DATE and zone-less TIMESTAMP as the day they name ('d': the epoch day),
    // TIMESTAMP WITH TIME ZONE as an instant ('i': epoch ms), text as text, anything else as a
    // value no field accepts ('x').
    const typeOf = (col: string) => byName.get(col)?.type ?? "";
    const numeric = (t: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(t);
    const keyCol = (col: string) => col === m.customerId || col === m.orderId;
    const dateKind = (col: string): string | null => {
      if (col !== m.date) return null;
      const t = typeOf(col);
      if (/^TIMESTAMP WITH TIME ZONE$/.test(t)) return "i";
      return t === "DATE" || /^TIMESTAMP(_S|_MS|_NS)?$/.test(t) ? "d" : null;
    };
    // A LIST items column: its elements as a JSON array ('a'), as the reader receives an array.
    const listItems = (col: string) => col === m.items && /\[\]$/.test(typeOf(col)) && /^(VARCHAR|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE)\[\]$/.test(typeOf(col));
    const text = (col: string) => {
      if (!byName.has(col)) return "NULL";
      const id = dialect.ident(col);
      if (listItems(col)) return `CAST(to_json(${id}) AS VARCHAR)`;
      const dk = dateKind(col);
      if (dk === "d") return `CAST(CAST(${id} AS DATE) - DATE '1970-01-01' AS VARCHAR)`;
      if (dk === "i") return `CAST(epoch_ms(${id}) AS VARCHAR)`;
      return `CAST(${id} AS VARCHAR)`;
    };
    const kind = (col: string) => {
      if (!byName.has(col)) return "'u'";
      const t = typeOf(col);
      const k = dateKind(col) ?? (listItems(col) ? "a" : t === "VARCHAR" || keyCol(col) ? "s" : numeric(t) ? "n" : "x");
      return `CASE WHEN ${dialect.ident(col)} IS NULL THEN 'z' ELSE '${k}' END`; // NULL: the reader's null
    };
    return {
      mapping: m,
      rejectsTable: null,
      attributes: o.keepAttributes ? "json" : null,
      sql: `SELECT row_number() OVER (ORDER BY filename, file_row_number) AS _row, NULL AS malformed, NULL AS malformed_text, ` +
        `${rowJson(cols.map((c) => [c.name, dialect.ident(c.name)]))} AS _raw, ${fieldCols(m, text, kind)} FROM ${rel}`,
    };
  }

  // CSV.
  // Without a delimiter, the in-process rule: papaparse's candidates on the first 10 non-blank
  // lines, else runs of white space when they split every one of them alike.
  let firstLines: string[] = [];
  let whitespace = o.delimiter === "whitespace";
  if (o.delimiter === undefined && !glob) {
    firstLines = (await conn.runAndReadAll(`SELECT line FROM ${head}`)).getRowObjects().map((r) => String(r.line));
    if (guessDelimiter(firstLines) === null && splitsOnWhitespace(firstLines)) whitespace = true;
  }
  if (whitespace) {
    const fields = `regexp_split_to_array(${jsTrim(dialect, "line")}, '[ \\t]+')`;
    let names: string[];
    if (o.header) {
      const h = (await conn.runAndReadAll(`SELECT ${fields} AS f FROM ${head} LIMIT 1`)).getRowObjects();
      names = h.length > 0 ? ((h[0].f as { items: unknown[] }).items).map((x) => String(x).trim()) : [];
    } else if (o.names) names = [...o.names];
    else {
      const h = (await conn.runAndReadAll(`SELECT len(${fields}) AS n FROM ${head} LIMIT 1`)).getRowObjects();
      names = Array.from({ length: h.length > 0 ? num(h[0].n) : 0 }, (_, j) => String(j));
    }
    const m = resolve(names);
    const at = (col: string) => names.lastIndexOf(col);
    const text = (col: string) => (at(col) >= 0 ? `f[${at(col) + 1}]` : "NULL");
    const kind = (col: string) => (at(col) >= 0 ? "'s'" : "'u'");
    const skip = o.header ? "WHERE _row > 1" : "";
    const attrs = attributeColumns(names, m, (j) => `COALESCE(f[${j + 1}], '')`, o.keepAttributes);
    return {
      mapping: m,
      rejectsTable: null,
      attributes: attrs.names,
      sql: `SELECT _row - ${o.header ? 1 : 0} AS _row, CASE WHEN len(f) = ${names.length} THEN NULL ELSE '${names.length} fields, got ' || len(f) END AS malformed, ` +
        `line AS malformed_text, ${rowJson(names.map((n, j) => [n, `COALESCE(f[${j + 1}], '')`]))} AS _raw, ` +
        `${fieldCols(m, text, kind)}${attrs.sql} FROM (SELECT _row, line, ${fields} AS f FROM ${lines} ${skip})`,
    };
  }
  let dch: string;
  if (o.delimiter !== undefined) {
    dch = o.delimiter === "tab" || o.delimiter === "\\t" ? "\t" : o.delimiter;
    if (dch.length !== 1 || '\r\n"'.includes(dch)) throw new InvalidOptionError(fn, "delimiter", o.delimiter, 'one character other than a quote or line break, "tab", or "whitespace"');
  } else {
    dch = guessDelimiter(firstLines) ?? ",";
  }
  const delim = `, delim = ${dialect.str(dch)}`;
  // Rows DuckDB cannot split are set aside in both modes (strict mode then compares the first of
  // them with the first invalid row, so the error names the earliest bad row, as in process).
  const rejects = "engine_csv_rejects";
  // The header (or the first row's width) is read here, so DuckDB's sniffer, which gives up on
  // files with broken rows, is not needed: the columns are given, all text.
  let width: number;
  let names: string[];
  if (glob) {
    const cols = await describe(`read_csv(${sqlPath(path)}, all_varchar = true, header = ${o.header ? "true" : "false"}, quote = '"', escape = '"'${delim})`);
    width = cols.length;
    names = o.header ? cols.map((c) => c.name.trim()) : o.names ? [...o.names] : cols.map((_, j) => String(j));
  } else {
    const first = (await conn.runAndReadAll(`SELECT line FROM ${head} LIMIT 1`)).getRowObjects();
    const fields = first.length > 0 ? splitCsvLine(String(first[0].line).replace(/^\uFEFF/, ""), dch) : [];
    width = fields.length;
    names = o.header ? fields.map((f) => f.trim()) : o.names ? [...o.names] : fields.map((_, j) => String(j));
  }
  const columns = `{${Array.from({ length: width }, (_, j) => `'c${j}': 'VARCHAR'`).join(", ")}}`;
  const opts = `columns = ${columns}, auto_detect = false, header = ${o.header ? "true" : "false"}, quote = '"', escape = '"'${delim}` +
    (rejects ? `, store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${rejects}_scan'` : "");
  const rel = `read_csv(${sqlPath(path)}, ${opts})`;
  const plainRel = `read_csv(${sqlPath(path)}, ${opts.replace(/, store_rejects = true.*$/, "")})`;
  const m = resolve(names);
  const at = (col: string) => names.lastIndexOf(col);
  const text = (col: string) => (at(col) >= 0 && at(col) < width ? `COALESCE(c${at(col)}, '')` : "NULL");
  const kind = (col: string) => (at(col) >= 0 && at(col) < width ? "'s'" : "'u'");
  const attrs = attributeColumns(names.slice(0, width), m, (j) => `COALESCE(c${j}, '')`, o.keepAttributes);
  return {
    mapping: m,
    rejectsTable: rejects,
    attributes: attrs.names,
    sql: `SELECT row_number() OVER () AS _row, NULL AS malformed, NULL AS malformed_text, ` +
      `${rowJson(names.slice(0, width).map((n, j) => [n, `COALESCE(c${j}, '')`]))} AS _raw, ${fieldCols(m, text, kind)}${attrs.sql} FROM ${rel}`,
    // Without the rejects table (rows DuckDB cannot split are skipped there too, so the numbering is the same).
    rescan: `SELECT row_number() OVER () AS _row, ${rowJson(names.slice(0, width).map((n, j) => [n, `COALESCE(c${j}, '')`]))} AS _raw, ${fieldCols(m, text, kind)}${attrs.sql} FROM ${plainRel.replace(/\)$/, ", ignore_errors = true)")}`,
  };
}

/** A kept row's number `k` (an expression) as its data row number, counting the rows DuckDB's CSV reader skipped (table `csv_skipped`). */
const renumber = (k: string): string => `(${k} + (SELECT count(*) FROM csv_skipped WHERE g < ${k}))`;

/** The whole row as JSON text (for the example of a dropped duplicate, as the in-process reader shows it: every column by name). */
function rowJson(pairs: readonly (readonly [string, string])[]): string {
  return pairs.length === 0 ? "'{}'" : `CAST(json_object(${pairs.map(([k, v]) => `${dialect.str(k)}, ${v}`).join(", ")}) AS VARCHAR)`;
}

/** The fields of one CSV line (RFC 4180 quotes: doubled quotes inside a quoted field). */
function splitCsvLine(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delim) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Start an in-memory DuckDB with the resource options. */
async function startDuckDb(fn: string, o: Pick<DuckDbSourceOptions, "memoryLimit" | "threads" | "tempDirectory">): Promise<{ conn: DuckDbConnection; close: () => void }> {
  const config: Record<string, string> = {};
  if (o.memoryLimit !== undefined) {
    const ok = typeof o.memoryLimit === "number" ? Number.isFinite(o.memoryLimit) && o.memoryLimit > 0 : typeof o.memoryLimit === "string" && /^\s*\d+(\.\d+)?\s*[KMGT]i?B\s*$/i.test(o.memoryLimit);
    if (!ok) throw new InvalidOptionError(fn, "memoryLimit", o.memoryLimit, 'a positive number of bytes or a size such as "4GB"');
    config.memory_limit = typeof o.memoryLimit === "number" ? `${Math.max(1, Math.floor(o.memoryLimit / 1024))}KiB` : o.memoryLimit.trim();
  }
  if (o.threads !== undefined) {
    if (!(Number.isInteger(o.threads) && o.threads >= 1)) throw new InvalidOptionError(fn, "threads", o.threads, "an integer >= 1");
    config.threads = String(o.threads);
  }
  if (o.tempDirectory !== undefined) {
    if (typeof o.tempDirectory !== "string" || o.tempDirectory.length === 0) throw new InvalidOptionError(fn, "tempDirectory", o.tempDirectory, "a folder path");
    config.temp_directory = o.tempDirectory;
  }
  const mod = await loadDuckDb(fn);
  let instance: DuckDbInstance;
  let conn: DuckDbConnection;
  try {
    instance = await mod.DuckDBInstance.create(":memory:", config);
    conn = await instance.connect();
  } catch (cause) {
    return wrap(fn, "starting DuckDB", cause);
  }
  return {
    conn,
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** Fields of one CSV line split at `delim`, quotes respected (a quote left open ends the line). */
function countFields(line: string, delim: string): number {
  let n = 1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === delim && !quoted) n++;
  }
  return n;
}

/**
 * The delimiter of the first lines as the in-process reader guesses it (papaparse 5's rule):
 * the candidate with the most consistent field count (ties: more fields) if it gives about 2
 * fields or more, else null (the caller then tries runs of white space, else a comma).
 */
function guessDelimiter(lines: readonly string[]): string | null {
  let best: string | null = null;
  let bestDelta = Infinity;
  let bestAvg = -Infinity;
  for (const cand of [",", ";", "\t", "|"]) {
    let delta = 0;
    let sum = 0;
    let prev = -1;
    for (const line of lines) {
      const nf = countFields(line, cand);
      sum += nf;
      if (prev >= 0) delta += Math.abs(nf - prev);
      prev = nf;
    }
    const avg = lines.length > 0 ? sum / lines.length : 0;
    if (avg > 1.99 && (delta < bestDelta || (delta === bestDelta && avg > bestAvg))) {
      best = cand;
      bestDelta = delta;
      bestAvg = avg;
    }
  }
  return best;
}

/** Do runs of spaces and tabs split every line (trimmed) into the same number of fields, 2 or more (the in-process reader's fallback)? */
function splitsOnWhitespace(lines: readonly string[]): boolean {
  if (lines.length === 0) return false;
  const n = lines[0].trim().split(/[ \t]+/).length;
  return n >= 2 && lines.every((l) => l.trim().split(/[ \t]+/).length === n);
}

const FIELD_OF: Record<number, keyof ColumnMapping> = { 0: "customerId", 1: "date", 2: "amount", 4: "items", 5: "cost", 6: "margin", 10: "quantity", 11: "unitPrice" };

/** The in-process reader's date formats. */
const DATE_FORMATS: readonly DateFormat[] = ["auto", "iso", "YYYYMMDD", "DD/MM/YYYY", "MM/DD/YYYY", "epoch-ms", "epoch-s"];

/**
 * Open a transaction file in DuckDB: read it with the column mapping and validation rules of the
 * in-process reader, keep the accepted rows inside DuckDB, and account for every row. The
 * returned {@link DuckDbSource} then computes summaries without moving the rows to JavaScript.
 *
 * @remarks
 * Reads CSV (DuckDB's parallel reader; `delimiter: "whitespace"` and NDJSON are read as lines),
 * Parquet (one file, a glob such as `logs/*.parquet`, or a folder: every `*.parquet` below it)
 * and NDJSON. Validation is one SQL pass mirroring `parseTransactions`: customer id trimmed and
 * non-empty, date (every `dateFormat`; `timeZone` `"UTC"`, a fixed offset or an IANA name, whose
 * offsets come from `Intl` as in process), amount (`decimal` `"."` or `","`, the same accepted
 * number shapes; or quantity × unit price as `lineAmount`; or none), cost and margin when
 * mapped, items; rejected rows are counted by reason in SQL with the first `maxExamples`
 * examples, and strict mode throws for the earliest bad row. Duplicates are counted, and with
 * `duplicates: "drop"` set aside with reason `duplicate`. See `docs/engines.md` for what is not
 * mirrored yet.
 *
 * @param path - a file path, a glob, or a folder of Parquet files.
 * @param options - see {@link DuckDbSourceOptions}.
 * @returns the open source; call `close()` when done.
 * @throws {@link InvalidRecordError} in strict mode (the default) for the first invalid row.
 * @throws {@link InvalidOptionError} for a bad option, a missing required column, or a date format or time zone the engine does not read yet.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` when `@duckdb/node-api` is not installed; `IO_ERROR` when the file cannot be read; `TOO_LARGE` when DuckDB runs out of memory.
 * @example
 * ```ts
 * const src = await openDuckDbSource("../shared/data/cdnow/CDNOW_sample.txt", {
 *   delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD", threads: 1,
 * });
 * const { customers } = await src.summarize({ asOf: "1998-06-30" });
 * src.close();
 * [src.ingestion.rowsRead, src.ingestion.customers, customers.length, customers.ids[0], customers.frequency[0]];
 * //=> [6919, 2357, 2357, "0001", 4]
 * ```
 * @category Engines
 */
export async function openDuckDbSource(path: string, options: DuckDbSourceOptions = {}): Promise<DuckDbSource> {
  return openSource("openDuckDbSource", path, options);
}

async function openSource(fn: string, path: string, options: DuckDbSourceOptions): Promise<DuckDbSource> {
  const o = withDefaults(SOURCE_DEFAULTS, options);
  if (typeof path !== "string" || path.length === 0) throw new InvalidOptionError(fn, "path", path, "a file path, a glob or a folder");
  if (o.mode !== "strict" && o.mode !== "lenient") throw new InvalidOptionError(fn, "mode", o.mode, '"strict" or "lenient"');
  if (o.decimal !== "." && o.decimal !== ",") throw new InvalidOptionError(fn, "decimal", o.decimal, '"." or ","');
  if (!DATE_FORMATS.includes(o.dateFormat)) throw new InvalidOptionError(fn, "dateFormat", o.dateFormat, DATE_FORMATS.map((f) => JSON.stringify(f)).join(", "));
  const zone = typeof o.timeZone === "string" ? zoneRule(o.timeZone) : null;
  if (zone === null) throw new InvalidOptionError(fn, "timeZone", o.timeZone, '"UTC", an offset like "+05:30", or an IANA zone name');
  if (o.duplicates !== "keep" && o.duplicates !== "drop") throw new InvalidOptionError(fn, "duplicates", o.duplicates, '"keep" or "drop"');
  if (typeof o.keepAttributes !== "boolean") throw new InvalidOptionError(fn, "keepAttributes", o.keepAttributes, "true or false");
  if (typeof o.itemSeparator !== "string" || o.itemSeparator.length === 0) throw new InvalidOptionError(fn, "itemSeparator", o.itemSeparator, "a non-empty string");
  if (o.cancellationPrefix !== false && !(typeof o.cancellationPrefix === "string" && o.cancellationPrefix.length > 0)) {
    throw new InvalidOptionError(fn, "cancellationPrefix", o.cancellationPrefix, 'a non-empty string (the start of a cancelled invoice\'s order id, default "C") or false');
  }
  if (!(Number.isInteger(o.maxExamples) && o.maxExamples >= 0)) throw new InvalidOptionError(fn, "maxExamples", o.maxExamples, "an integer >= 0");
  const { conn, close } = await startDuckDb(fn, o);
  try {
    const plan = await planSource(fn, conn, path, o);
    const m = plan.mapping;
    const rules: ValidationRules = {
      dateFormat: o.dateFormat,
      zone,
      decimal: o.decimal,
      itemSeparator: o.itemSeparator,
      cancellationPrefix: o.cancellationPrefix === false ? null : o.cancellationPrefix,
      amountSource: m.amount !== undefined ? "column" : m.quantity !== undefined && m.unitPrice !== undefined ? "quantity-x-price" : "none",
      has: {
        orderId: m.orderId !== undefined, cost: m.cost !== undefined, margin: m.margin !== undefined, items: m.items !== undefined, channel: m.channel !== undefined,
        quantity: m.quantity !== undefined, unitPrice: m.unitPrice !== undefined,
      },
    };
    const ingestion = await validate(fn, conn, plan, rules, o);
    return makeSource(fn, conn, ingestion, rules, plan, close);
  } catch (e) {
    close();
    if (e instanceof AnalyticsError) throw e;
    return wrap(fn, `reading ${JSON.stringify(path)}`, e);
  }
}

/** Run the validation pass into the temporary table `checked`, expose the accepted rows as `tx`, and build the report. */
async function validate(
  fn: string, conn: DuckDbConnection, plan: SourcePlan, rules: ValidationRules, o: DuckDbSourceOptions & typeof SOURCE_DEFAULTS,
): Promise<IngestionReport> {
  const m = plan.mapping;
  await conn.run(`CREATE TEMP TABLE checked AS ${validationSql(dialect, rules).replace("FROM src", () => `FROM (${plan.sql}) AS src`)}`)
    .catch((cause: unknown) => {
      // Strict mode: a CSV row DuckDB cannot split is named as the in-process reader names it.
      const msg = (cause as Error).message ?? "";
      const bad = /CSV Error on Line: (\d+)\s*\nOriginal Line: ([^\n]*)\n([^\n]*)/.exec(msg);
      if (bad) {
        throw new InvalidRecordError(fn, { row: Number(bad[1]) - (o.header ? 1 : 0), field: "*", value: bad[2], expected: `a well-formed row (${bad[3].trim()})` }, { cause });
      }
      return wrap(fn, "validating the rows", cause);
    });
  if (plan.rejectsTable !== null) {
    // DuckDB numbered only the rows it could split: renumber the others as the in-process reader
    // does (every data row counts). The i-th skipped row b_i has b_i - i kept rows before it, so
    // kept row k is data row k + #{i : b_i - i < k}.
    const skipped = num((await conn.runAndReadAll(`SELECT count(DISTINCT line) AS n FROM ${plan.rejectsTable}`)).getRowObjects()[0].n);
    if (skipped > 0) {
      await conn.run(`CREATE TEMP TABLE csv_skipped AS SELECT b - row_number() OVER (ORDER BY b) AS g FROM (SELECT DISTINCT line - ${o.header ? 1 : 0} AS b FROM ${plan.rejectsTable})`);
      await conn.run(`UPDATE checked SET _row = ${renumber("_row")}`);
      plan.renumbered = true;
    }
  }
  const finiteNumber = `a finite number (decimal separator "${o.decimal}")`;
  const expectedOf = (r: Record<string, unknown>): string => {
    switch (r.reason) {
      case "malformed-row": return String(r.malformed);
      case "missing-customerId": return "a non-empty customer id";
      case "missing-date": return "a date";
      case "invalid-date": return `a valid calendar date${dateHint(o.dateFormat)}`;
      case "missing-amount": case "missing-quantity": case "missing-unitPrice": return "a number";
      case "invalid-amount": case "invalid-unitPrice": return finiteNumber;
      case "invalid-items": return String(r.bad_text).startsWith("[") ? "an array of strings" : `a string (items separated by "${o.itemSeparator}") or an array of strings`;
      case "invalid-quantity": {
        if (r.bad_price_text === null || r.bad_price_text === undefined) return finiteNumber;
        // The product overflowed: the message names the unit price as JavaScript prints it.
        const p = parseNumber(r.bad_price_kind === "n" ? Number(r.bad_price_text) : r.bad_price_text, o.decimal);
        return `a quantity whose product with the unit price ${String(p)} is a finite number`;
      }
      default: return "a finite number";
    }
  };
  const valueOf = (r: Record<string, unknown>): unknown => {
    if (r.reason === "malformed-row") return plan.malformedJson ? JSON.parse(String(r.malformed_text)) : r.malformed_text;
    if (r.bad_kind === "u") return undefined;
    if (r.bad_kind === "z") return null;
    if (r.bad_kind === "x" && r.reason === "invalid-items") return JSON.parse(String(r.bad_text));
    if (r.bad_kind === "n") return Number(r.bad_text);
    return r.bad_text;
  };
  const fieldOf = (r: Record<string, unknown>): string => (r.reason === "malformed-row" ? "*" : String(m[FIELD_OF[num(r.bad_field)]] ?? "*"));
  const priceCols = rules.amountSource === "quantity-x-price" ? "bad_price_text, bad_price_kind" : "NULL AS bad_price_text, NULL AS bad_price_kind";
  const examples = (await conn.runAndReadAll(
    `SELECT _row, reason, bad_field, bad_text, bad_kind, malformed, malformed_text, ${priceCols} FROM (SELECT *, row_number() OVER (PARTITION BY reason ORDER BY _row) AS k FROM checked WHERE reason IS NOT NULL) ` +
    `WHERE k <= ${Math.max(1, o.maxExamples)} ORDER BY _row`,
  )).getRowObjects();
  if (o.mode === "strict") {
    const split = plan.rejectsTable === null ? [] : (await conn.runAndReadAll(
      `SELECT line, csv_line AS text, error_message FROM ${plan.rejectsTable} ORDER BY line LIMIT 1`,
    )).getRowObjects();
    const splitRow = split.length > 0 ? num(split[0].line) - (o.header ? 1 : 0) : Infinity;
    if (split.length > 0 && (examples.length === 0 || splitRow < num(examples[0]._row))) {
      const text = String(split[0].text).replace(/\r?\n$/, "");
      throw new InvalidRecordError(fn, { row: splitRow, field: "*", value: text, expected: `a well-formed row (${String(split[0].error_message)})` });
    }
    if (examples.length > 0) {
      const r = examples[0];
      throw new InvalidRecordError(fn, { row: num(r._row), field: fieldOf(r), value: valueOf(r), expected: expectedOf(r) });
    }
  }
  const rejections = new Map<RejectReason, Rejections & { first: number }>();
  const counts = (await conn.runAndReadAll(`SELECT reason, count(*) AS n, min(_row) AS first FROM checked WHERE reason IS NOT NULL GROUP BY reason ORDER BY first`)).getRowObjects();
  for (const c of counts) rejections.set(c.reason as RejectReason, { count: num(c.n), examples: [], first: num(c.first) });
  for (const r of examples) {
    const rej = rejections.get(r.reason as RejectReason) as Rejections;
    if (rej.examples.length >= o.maxExamples) continue;
    const value = valueOf(r);
    rej.examples.push({ row: num(r._row), field: fieldOf(r), value, message: `got ${formatValue(value)}, expected ${expectedOf(r)}` });
  }
  if (plan.rejectsTable !== null) {
    // Rows DuckDB's CSV reader could not split (lenient mode): counted as malformed rows.
    const bad = (await conn.runAndReadAll(`SELECT line, csv_line AS text, error_message FROM ${plan.rejectsTable} ORDER BY line`)).getRowObjects();
    if (bad.length > 0) {
      const rej = rejections.get("malformed-row") ?? { count: 0, examples: [], first: Infinity };
      rej.count += bad.length;
      for (const b of bad.slice(0, Math.max(0, o.maxExamples - rej.examples.length))) {
        const text = String(b.text).replace(/\r?\n$/, "");
        rej.examples.push({ row: num(b.line) - (o.header ? 1 : 0), field: "*", value: text, message: `got ${formatValue(text)}, expected a well-formed row (${String(b.error_message)})` });
      }
      rej.first = Math.min(rej.first, num(bad[0].line) - (o.header ? 1 : 0));
      rejections.set("malformed-row", rej);
    }
  }
  // Lines of cancelled invoices and of negative quantities are returns: amount -|amount| (as the
  // in-process reader: -0 for a return of no value; other amounts lose a -0).
  const ret = "(cancelled OR neg_qty)";
  const keep = ["_row", "cust", "CAST(day AS INTEGER) AS day", `CASE WHEN ${ret} THEN -abs(amount) ELSE amount + 0.0 END AS amount`, "cancelled", `(${ret} OR amount < 0) AS is_return`];
  if (rules.has.orderId) keep.push("ord");
  else keep.push("CAST(NULL AS VARCHAR) AS ord");
  if (rules.has.items) keep.push(`${itemsSql(dialect, rules.itemSeparator)} AS items`, "items_kind IN ('u', 'z') AS items_missing");
  if (rules.has.cost) keep.push("cost");
  if (rules.has.margin) keep.push("margin");
  if (rules.has.channel) keep.push("channel");
  // Duplicates: rows identical after parsing to an earlier accepted row (a return of no value, -0, is not a 0 sale).
  const dupKey = ["cust", "day", "amount", "is_return", "ord", ...(rules.has.items ? ["items", "items_missing"] : []), ...(rules.has.cost ? ["cost"] : []),
    ...(rules.has.margin ? ["margin"] : []), ...(rules.has.channel ? ["channel"] : [])];
  let dupCount: number | null = null;
  if (o.duplicates === "drop") {
    // Dropped duplicates are set aside with reason "duplicate" (never errors, even in strict mode).
    await conn.run(`CREATE TEMP VIEW accepted AS SELECT ${keep.join(", ")} FROM checked WHERE reason IS NULL`);
    await conn.run(`CREATE TEMP TABLE dups AS SELECT _row, first_row FROM (SELECT _row, min(_row) OVER (PARTITION BY ${dupKey.join(", ")}) AS first_row FROM accepted) WHERE _row > first_row`);
    await conn.run("CREATE TEMP VIEW tx AS SELECT * FROM accepted WHERE _row NOT IN (SELECT _row FROM dups)");
    const d = (await conn.runAndReadAll(`SELECT count(*) AS n, min(_row) AS first FROM dups`)).getRowObjects()[0];
    dupCount = num(d.n);
    if (dupCount > 0) {
      const ex = (await conn.runAndReadAll(`SELECT _row, first_row FROM dups ORDER BY _row LIMIT ${o.maxExamples}`)).getRowObjects();
      const raw = new Map<number, unknown>();
      if (ex.length > 0) {
        const rows = (await conn.runAndReadAll(`SELECT * FROM (SELECT ${plan.renumbered ? renumber("_row") : "_row"} AS _row, _raw FROM (${plan.rescan ?? plan.sql}) AS src) ` +
          `WHERE _row IN (${ex.map((r) => num(r._row)).join(", ")})`)).getRowObjects();
        for (const r of rows) raw.set(num(r._row), JSON.parse(String(r._raw)));
      }
      rejections.set("duplicate", {
        count: dupCount,
        first: num(d.first),
        examples: ex.map((r) => ({ row: num(r._row), field: "*", value: raw.get(num(r._row)), message: `same values as data row ${num(r.first_row)}` })),
      });
    }
  } else {
    // The accepted rows, as a view (no second copy of the rows).
    await conn.run(`CREATE TEMP VIEW tx AS SELECT ${keep.join(", ")} FROM checked WHERE reason IS NULL`);
  }
  // Items are split only for the candidate rows (equal in every other column), which are few.
  const flat = dupKey.filter((k) => k !== "items");
  const dupSql = rules.has.items
    ? `SELECT COALESCE(sum(n - 1), 0) AS dups FROM (SELECT count(*) AS n FROM tx JOIN ` +
      `(SELECT ${flat.join(", ")} FROM tx GROUP BY ${flat.join(", ")} HAVING count(*) > 1) AS cand ON ${flat.map((k) => `tx.${k} IS NOT DISTINCT FROM cand.${k}`).join(" AND ")} ` +
      `GROUP BY ${dupKey.map((k) => `tx.${k}`).join(", ")})`
    : `SELECT COALESCE(sum(n - 1), 0) AS dups FROM (SELECT count(*) AS n FROM tx GROUP BY ${flat.join(", ")})`;
  const stats = (await conn.runAndReadAll(
    `SELECT count(*) AS accepted, count(DISTINCT cust) AS customers, count(*) FILTER (WHERE is_return) AS returns, count(*) FILTER (WHERE amount = 0 AND NOT is_return) AS zeros, count(*) FILTER (WHERE cancelled) AS cancellations, ` +
    `min(day) AS lo, max(day) AS hi, ${dupCount === null ? `(${dupSql})` : "0"} AS dups FROM tx`,
  )).getRowObjects()[0];
  const rejectedByReason = [...rejections].sort((a, b) => a[1].first - b[1].first).map(([reason, r]) => ({ reason, count: r.count, examples: r.examples }));
  const rejected = rejectedByReason.reduce((s, r) => s + r.count, 0);
  const accepted = num(stats.accepted);
  const iso = (d: number) => {
    const t = dayToDate(d).toISOString(); // "+275760-09-13T..." for years past 9999
    return t.slice(0, t.indexOf("T"));
  };
  return {
    rowsRead: accepted + rejected,
    accepted,
    rejected,
    rejectedByReason,
    duplicates: dupCount ?? num(stats.dups),
    returns: num(stats.returns),
    cancellations: num(stats.cancellations),
    amountSource: rules.amountSource,
    zeroAmounts: num(stats.zeros),
    columns: m,
    dateRange: accepted > 0 ? { from: iso(num(stats.lo)), to: iso(num(stats.hi)) } : null,
    customers: num(stats.customers),
  };
}

function makeSource(fn: string, conn: DuckDbConnection, ingestion: IngestionReport, rules: ValidationRules, plan: SourcePlan, close: () => void): DuckDbSource {
  let closed = false;
  let lastDay: number | null = null;
  const alive = (what: string) => {
    if (closed) throw new AnalyticsError("IO_ERROR", `${what}: the DuckDB source is closed`);
  };
  /** The default analysis day: the last accepted day (0 for an empty table, as the in-process path). */
  const defaultDay = async (): Promise<number> => {
    if (lastDay === null) {
      const r = (await conn.runAndReadAll("SELECT max(day) AS d FROM tx")).getRowObjects()[0];
      lastDay = r.d === null || r.d === undefined ? 0 : num(r.d);
    }
    return lastDay;
  };
  const hasOrder = rules.has.orderId;
  return {
    ingestion,
    async table() {
      const name = "readTransactionTableWithDuckDb";
      alive(name);
      const n = ingestion.accepted;
      const customer = new Int32Array(n);
      const day = new Int32Array(n);
      const amount = new Float64Array(n);
      const order = new Int32Array(n).fill(-1);
      const cost = rules.has.cost ? new Float64Array(n).fill(NaN) : undefined;
      const margin = rules.has.margin ? new Float64Array(n).fill(NaN) : undefined;
      const channel = rules.has.channel ? new Int32Array(n).fill(-1) : undefined;
      const ids = new Map<string, number>();
      const orders = new Map<string, number>();
      const channels = new Map<string, number>();
      const labels = new Map<string, number>();
      const offsets = rules.has.items ? new Int32Array(n + 1) : undefined;
      const missing = rules.has.items ? new Uint8Array(n) : undefined;
      const itemCodes = ints();
      const code = (m: Map<string, number>, v: string) => {
        let c = m.get(v);
        if (c === undefined) m.set(v, (c = m.size));
        return c;
      };
      const cols = ["cust", "day", "amount", rules.has.orderId ? "ord" : "NULL", rules.has.cost ? "cost" : "NULL", rules.has.margin ? "margin" : "NULL",
        rules.has.channel ? "channel" : "NULL", rules.has.items ? "items" : "NULL", rules.has.items ? "items_missing" : "NULL"];
      // Attribute columns and item labels are read again from the source, for the accepted rows only.
      const attrNames = Array.isArray(plan.attributes) ? plan.attributes : [];
      const json = plan.attributes === "json";
      const hasLabel = ingestion.columns.itemLabel !== undefined && rules.has.items;
      const extras = [...attrNames.map((_, k) => `a_${k}`), ...(json ? ["_raw"] : []), ...(hasLabel ? ["itemLabel_text", "itemLabel_kind"] : [])];
      const sql = extras.length === 0
        ? `SELECT ${cols.join(", ")} FROM tx ORDER BY _row`
        : `SELECT ${cols.map((c) => (c === "NULL" ? c : `tx.${c}`)).join(", ")}, ${extras.map((e) => `a.${e}`).join(", ")} FROM tx JOIN ` +
          `(SELECT ${plan.renumbered ? renumber("_row") : "_row"} AS a_row, ${extras.join(", ")} FROM (${plan.rescan ?? plan.sql}) AS src) AS a ON a.a_row = tx._row ORDER BY tx._row`;
      const textAttrs = attrNames.map(() => ({ codes: new Int32Array(n).fill(-1), values: new Map<string, number>() }));
      const jsonAttrs = new Map<string, { codes: Int32Array; keys: Map<unknown, number>; values: unknown[] }>();
      const NEG_ZERO = Symbol("-0");
      const jsonAttr = (name: string, row: number, v: unknown) => {
        let a = jsonAttrs.get(name);
        if (!a) jsonAttrs.set(name, (a = { codes: new Int32Array(n).fill(-1), keys: new Map(), values: [] }));
        const key = v === 0 && 1 / v < 0 ? NEG_ZERO : v;
        let c = a.keys.get(key);
        if (c === undefined) {
          a.keys.set(key, (c = a.values.length));
          a.values.push(v);
        }
        a.codes[row] = c;
      };
      const mapped = new Set(Object.values(ingestion.columns) as string[]);
      const itemNames: string[] = [];
      let i = 0;
      try {
        await streamRows(conn, sql, cols.length + extras.length, (c, rows) => {
          for (let k = 0; k < rows; k++, i++) {
            for (let j = 0; j < textAttrs.length; j++) textAttrs[j].codes[i] = code(textAttrs[j].values, String(c[cols.length + j][k]));
            if (json) {
              // As the in-process reader: every unmapped key, an `attributes` object merged.
              const raw = JSON.parse(String(c[cols.length + attrNames.length][k])) as Record<string, unknown>;
              for (const key in raw) {
                if (mapped.has(key)) continue;
                const v = raw[key];
                if (key === "attributes" && v !== null && typeof v === "object" && !Array.isArray(v)) {
                  for (const k2 of Object.keys(v)) jsonAttr(k2, i, (v as Record<string, unknown>)[k2]);
                } else jsonAttr(key, i, v);
              }
            }
            customer[i] = code(ids, c[0][k] as string);
            day[i] = num(c[1][k]);
            amount[i] = num(c[2][k]);
            if (c[3][k] !== null) order[i] = code(orders, c[3][k] as string);
            if (cost && c[4][k] !== null) cost[i] = num(c[4][k]);
            if (margin && c[5][k] !== null) margin[i] = num(c[5][k]);
            if (channel && c[6][k] !== null) channel[i] = code(channels, String(c[6][k]));
            if (offsets && missing) {
              const items = c[7][k] as { items: unknown[] } | null;
              if (items) for (const it of items.items) itemCodes.push(code(labels, String(it)));
              offsets[i + 1] = itemCodes.n;
              missing[i] = c[8][k] ? 1 : 0;
              if (hasLabel && offsets[i + 1] - offsets[i] === 1) {
                // The first non-empty label of an item code, from rows with exactly one item.
                const item = itemCodes.a[offsets[i]];
                while (itemNames.length <= item) itemNames.push("");
                const lt = c[cols.length + extras.length - 2][k];
                const lk = c[cols.length + extras.length - 1][k];
                const label = lk === "s" ? String(lt) : lk === "n" ? String(Number(lt)) : "";
                if (itemNames[item] === "" && label.trim() !== "") itemNames[item] = label.trim();
              }
            }
          }
        });
      } catch (e) {
        return wrap(name, "reading the accepted rows", e);
      }
      const idList = [...ids.keys()];
      const table: { -readonly [K in keyof TransactionTable]: TransactionTable[K] } = {
        length: n, ids: idList, index: ids, customer, day, amount, order, orderIds: [...orders.keys()],
      };
      if (cost) table.cost = cost;
      if (margin) table.margin = margin;
      if (channel) table.channel = { codes: channel, values: [...channels.keys()] } satisfies DictionaryColumn;
      if (offsets && missing) {
        const items: { -readonly [K in keyof ItemListColumn]: ItemListColumn[K] } = { offsets, codes: itemCodes.done(), labels: [...labels.keys()] };
        if (missing.includes(1)) items.missing = missing;
        if (hasLabel) items.names = items.labels.map((label, c) => (c < itemNames.length && itemNames[c] !== "" ? itemNames[c] : label));
        table.items = items;
      }
      // (The in-process reader makes a text file's attribute columns at its first accepted row.)
      if ((n > 0 && textAttrs.length > 0) || jsonAttrs.size > 0) {
        const attributes = new Map<string, DictionaryColumn<unknown>>();
        if (n > 0) attrNames.forEach((a, j) => attributes.set(a, { codes: textAttrs[j].codes, values: [...textAttrs[j].values.keys()] }));
        for (const [a, c] of jsonAttrs) attributes.set(a, { codes: c.codes, values: c.values });
        table.attributes = attributes;
      }
      return table;
    },
    async summarize(options = {}) {
      const name = "summarizeWithDuckDb";
      alive(name);
      const o = withDefaults(SUMMARIZE_DEFAULTS, options);
      if (!(typeof o.periodDays === "number" && Number.isFinite(o.periodDays) && o.periodDays > 0)) {
        throw new InvalidOptionError(name, "periodDays", o.periodDays, "a positive number of days");
      }
      const asOf = o.asOf !== undefined ? toEpochDay(o.asOf, name, "asOf") : await defaultDay();
      try {
        await conn.run("DROP TABLE IF EXISTS cust_orders");
        await conn.run(`CREATE TEMP TABLE cust_orders AS ${customerAggregateSql(dialect, asOf, hasOrder)}`);
        const rep = (await conn.runAndReadAll(customerReportSql(dialect, "cust_orders"))).getRowObjects()[0];
        const used = num((await conn.runAndReadAll(`SELECT count(*) AS n FROM tx WHERE day <= ${asOf}`)).getRowObjects()[0].n);
        const ids: string[] = [];
        const c = { first: ints(), last: ints(), freq: ints(), total: floats(), aov: floats(), recency: ints(), tenure: ints(), mean: floats(), sd: floats(), spp: floats(), retLines: ints(), retAmount: floats() };
        const order = [c.first, c.last, c.freq, c.total, c.aov, c.recency, c.tenure, c.mean, c.sd, c.spp, c.retLines, c.retAmount];
        await streamRows(conn, customerSummarySql(dialect, "cust_orders", asOf, o.periodDays), 13, (cols, rows) => {
          for (let i = 0; i < rows; i++) {
            ids.push(cols[0][i] as string);
            for (let j = 0; j < order.length; j++) order[j].push(num(cols[j + 1][i]));
          }
        });
        await conn.run("DROP TABLE cust_orders");
        const totals = c.total.done();
        for (let k = 0; k < totals.length; k++) {
          if (!Number.isFinite(totals[k])) {
            throw new AnalyticsError("TOO_LARGE", `${name}: the data overflowed: the net spend of customer ${JSON.stringify(ids[k])} is beyond the largest double (1.8e308), though every amount is finite; express the money in a larger unit (e.g. thousands)`);
          }
        }
        const p = codeUnitOrder(ids);
        const sortedIds = p === null ? ids : Array.from(p, (k) => ids[k]);
        return {
          customers: {
            length: ids.length,
            ids: sortedIds,
            firstPurchase: permute(c.first.done(), p),
            lastPurchase: permute(c.last.done(), p),
            frequency: permute(c.freq.done(), p),
            totalSpend: permute(totals, p),
            averageOrderValue: permute(c.aov.done(), p),
            recencyDays: permute(c.recency.done(), p),
            tenureDays: permute(c.tenure.done(), p),
            meanGapDays: permute(c.mean.done(), p),
            sdGapDays: permute(c.sd.done(), p),
            spendPerPeriod: permute(c.spp.done(), p),
            returnLines: permute(c.retLines.done(), p),
            returnAmount: permute(c.retAmount.done(), p),
          },
          summary: {
            asOf: dayToDate(asOf).toISOString().slice(0, 10),
            transactions: ingestion.accepted,
            used,
            excludedAfterAsOf: ingestion.accepted - used,
            customers: num(rep.customers),
            customersWithoutPurchase: num(rep.without_purchase),
            orders: num(rep.orders),
            returnOnlyOrders: num(rep.return_only),
          },
        };
      } catch (e) {
        return wrap(name, "summarising the customers", e);
      }
    },
    async calibration(options = {}) {
      const name = "calibrationWithDuckDb";
      alive(name);
      const unit = daysPerUnit(options.timeUnit ?? "weeks");
      const groupBy = options.groupBy ?? "day";
      if (groupBy !== "day" && groupBy !== "order") throw new InvalidOptionError(name, "groupBy", groupBy, '"day" or "order"');
      const end = options.calibrationEnd !== undefined ? toEpochDay(options.calibrationEnd, name, "calibrationEnd") : await defaultDay();
      const ids: string[] = [];
      const x = floats();
      const tx = floats();
      const T = floats();
      const mv = floats();
      const first = ints();
      try {
        await streamRows(conn, calibrationSql(dialect, end, unit, groupBy, hasOrder), 6, (cols, rows) => {
          for (let i = 0; i < rows; i++) {
            ids.push(cols[0][i] as string);
            x.push(num(cols[1][i]));
            tx.push(num(cols[2][i]));
            T.push(num(cols[3][i]));
            mv.push(num(cols[4][i]));
            first.push(num(cols[5][i]));
          }
        });
      } catch (e) {
        return wrap(name, "computing the calibration summary", e);
      }
      const p = codeUnitOrder(ids);
      return {
        length: ids.length,
        ids: p === null ? ids : Array.from(p, (k) => ids[k]),
        x: permute(x.done(), p),
        t_x: permute(tx.done(), p),
        T: permute(T.done(), p),
        monetaryValue: permute(mv.done(), p),
        firstPurchase: permute(first.done(), p),
      };
    },
    async baskets(options = {}) {
      const name = "basketsWithDuckDb";
      alive(name);
      const by = options.by ?? "order";
      if (by !== "order" && by !== "customer") throw new InvalidOptionError(name, "by", by, '"order" or "customer"');
      const includeReturns = options.includeReturns ?? false;
      const builder = new BasketBuilder(true);
      const sql = rules.has.items
        ? `${basketsSql(dialect, by, includeReturns, hasOrder)} ORDER BY first_row`
        : `${basketsSql(dialect, by, includeReturns, hasOrder).replace(`${dialect.aggUnionDistinct("items")} AS items`, () => `${dialect.emptyTextList} AS items`)} ORDER BY first_row`;
      try {
        await streamRows(conn, sql, 3, (cols, rows) => {
          for (let i = 0; i < rows; i++) {
            builder.open(cols[1][i] as string);
            const items = cols[2][i] as { items: unknown[] } | null;
            if (items) for (const it of items.items) builder.add(String(it));
          }
        });
      } catch (e) {
        return wrap(name, "building the baskets", e);
      }
      return builder.finish();
    },
    close() {
      if (closed) return;
      closed = true;
      close();
    },
  };
}

/**
 * Per-customer summaries of a transaction file computed inside DuckDB: the same
 * {@link CustomerTable} (same rules, same numbers) as `readTransactionTable` followed by
 * `summarizeCustomersTable`, without holding the transactions in JavaScript.
 *
 * @remarks
 * One SQL pass validates the rows (see {@link openDuckDbSource}); one aggregation groups the
 * lines into orders (order id, else the customer's day; dated at the earliest line; a purchase
 * when a line is >= 0), then customers: frequency, net spend, first/last purchase, recency,
 * tenure, gap mean `(last - first) / (n - 1)` and sample spread, spend per period, return lines
 * and amount. Only the customer rows are moved to JavaScript, streamed in DuckDB's chunks into
 * typed arrays. Integers equal the in-process ones; sums of money may differ in the last bits
 * (DuckDB adds in another order), within 1e-9 relative to the gross amounts.
 *
 * @param path - a file path, a glob, or a folder of Parquet files.
 * @param options - the source options ({@link DuckDbSourceOptions}) and the summary options ({@link DuckDbSummarizeOptions}).
 * @returns the customer table, the summary report and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api`; `IO_ERROR`; `TOO_LARGE`.
 * @example
 * ```ts
 * const { customers, summary, ingestion } = await summarizeWithDuckDb("../shared/data/cdnow/CDNOW_sample.txt", {
 *   delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD", threads: 1,
 * });
 * [ingestion.accepted, summary.asOf, customers.length, customers.frequency[0], Math.round(customers.totalSpend[0] * 100) / 100];
 * //=> [6919, "1998-06-30", 2357, 4, 100.5]
 * ```
 * @category Engines
 */
export async function summarizeWithDuckDb(
  path: string,
  options: DuckDbSourceOptions & DuckDbSummarizeOptions = {},
): Promise<DuckDbSummaryResult & {
  /** Accounting of every row read: accepted, rejected and why (the report of `readTransactionTable`). */
  ingestion: IngestionReport;
}> {
  const src = await openSource("summarizeWithDuckDb", path, options);
  try {
    return { ...(await src.summarize({ asOf: options.asOf, periodDays: options.periodDays })), ingestion: src.ingestion };
  } finally {
    src.close();
  }
}

/**
 * The calibration summary of a transaction file computed inside DuckDB: the same
 * {@link CalibrationTable} as `calibrationTable` on the in-process table (x, t_x, T, monetary
 * value of the repeat purchases, first purchase), sorted by id.
 *
 * @param path - a file path, a glob, or a folder of Parquet files.
 * @param options - the source options and those of `calibrationTable` ({@link DuckDbCalibrationOptions}).
 * @returns the calibration table and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api`; `IO_ERROR`; `TOO_LARGE`.
 * @example
 * ```ts
 * const { calibration } = await calibrationWithDuckDb("../shared/data/cdnow/CDNOW_sample.txt", {
 *   delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD",
 *   calibrationEnd: "1997-09-30", threads: 1,
 * });
 * [calibration.length, calibration.ids[0], calibration.x[0], calibration.T[0]];
 * //=> [2357, "0001", 2, 38.857142857142854]
 * ```
 * @category Engines
 */
export async function calibrationWithDuckDb(
  path: string,
  options: DuckDbSourceOptions & DuckDbCalibrationOptions = {},
): Promise<{
  /** One row per customer, sorted by id: x, t_x, T, monetary value and first purchase. */
  calibration: CalibrationTable;
  /** Accounting of every row read: accepted, rejected and why (the report of `readTransactionTable`). */
  ingestion: IngestionReport;
}> {
  const src = await openSource("calibrationWithDuckDb", path, options);
  try {
    return { calibration: await src.calibration({ calibrationEnd: options.calibrationEnd, timeUnit: options.timeUnit, groupBy: options.groupBy }), ingestion: src.ingestion };
  } finally {
    src.close();
  }
}

/**
 * Market baskets of a transaction file built inside DuckDB: the same {@link Baskets} as
 * `basketsFromTable` (baskets in order of their first line, same ids and items), without the
 * `item` mapping and `attributes` options (apply those in process).
 *
 * @param path - a file path, a glob, or a folder of Parquet files.
 * @param options - the source options and {@link DuckDbBasketsOptions}.
 * @returns the baskets and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api`; `IO_ERROR`; `TOO_LARGE`.
 * @example
 * ```ts
 * const { baskets } = await basketsWithDuckDb("../shared/data/cdnow/CDNOW_sample.txt", {
 *   delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD", threads: 1,
 * });
 * [baskets.count, baskets.items.length];
 * //=> [6696, 0]
 * ```
 * @category Engines
 */
export async function basketsWithDuckDb(
  path: string,
  options: DuckDbSourceOptions & DuckDbBasketsOptions = {},
): Promise<{
  /** The market baskets, as `basketsFromTable` builds them (one per order or per customer, per `by`). */
  baskets: Baskets;
  /** Accounting of every row read: accepted, rejected and why (the report of `readTransactionTable`). */
  ingestion: IngestionReport;
}> {
  const src = await openSource("basketsWithDuckDb", path, options);
  try {
    return { baskets: await src.baskets({ by: options.by, includeReturns: options.includeReturns }), ingestion: src.ingestion };
  } finally {
    src.close();
  }
}

/**
 * Options of {@link basketsFromLinesWithDuckDb}.
 * @category Engines
 */
export interface BasketsFromLinesWithDuckDbOptions extends Pick<DuckDbSourceOptions, "memoryLimit" | "threads" | "tempDirectory"> {
  /** Item separator within a line (a literal string). Default `","`. */
  delimiter?: string;
}

/**
 * Market baskets from a file of one basket per line (the Groceries layout, `readBaskets`'
 * `"csv-items"` format) read by DuckDB: the same {@link Baskets} as `readBaskets`.
 *
 * @remarks
 * Blank lines are not baskets; items are split at `delimiter`, trimmed, empty ones skipped, and
 * a repeated item counts once. Unlike `readBaskets`, double quotes are not interpreted (a quoted
 * label containing the delimiter is split): use `readBaskets` for such files.
 *
 * @param path - a file path (or a glob).
 * @param options - see {@link BasketsFromLinesWithDuckDbOptions}.
 * @returns the baskets.
 * @throws {@link InvalidOptionError} for an empty delimiter or bad resources.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api`; `IO_ERROR` when the file cannot be read.
 * @example
 * ```ts
 * const b = await basketsFromLinesWithDuckDb("../shared/data/groceries/groceries.csv", { threads: 1 });
 * [b.count, b.items.length];
 * //=> [9835, 169]
 * ```
 * @category Engines
 */
export async function basketsFromLinesWithDuckDb(path: string, options: BasketsFromLinesWithDuckDbOptions = {}): Promise<Baskets> {
  const fn = "basketsFromLinesWithDuckDb";
  const delimiter = options.delimiter ?? ",";
  if (typeof delimiter !== "string" || delimiter.length === 0) throw new InvalidOptionError(fn, "delimiter", delimiter, "a non-empty string");
  if (typeof path !== "string" || path.length === 0) throw new InvalidOptionError(fn, "path", path, "a file path");
  const { conn, close } = await startDuckDb(fn, options);
  const builder = new BasketBuilder(false);
  try {
    const lines = `(SELECT line, row_number() OVER () AS _row FROM (SELECT line FROM read_csv(${sqlPath(path)}, columns = {'line': 'VARCHAR'}, header = false, ` +
      `delim = '\x1F', quote = '', escape = '', auto_detect = false) WHERE line IS NOT NULL AND ${jsTrim(dialect, "line")} <> ''))`;
    await streamRows(conn, `SELECT ${dialect.splitItems("line", delimiter)} AS items FROM ${lines} ORDER BY _row`, 1, (cols, rows) => {
      for (let i = 0; i < rows; i++) {
        builder.open();
        const items = cols[0][i] as { items: unknown[] } | null;
        if (items) for (const it of items.items) builder.add(String(it));
      }
    });
  } catch (e) {
    return wrap(fn, `reading ${JSON.stringify(path)}`, e);
  } finally {
    close();
  }
  return builder.finish();
}

/**
 * Read a transaction file through DuckDB into an in-memory {@link TransactionTable}: the result
 * of `readTransactionTable` (same accepted rows in the same order, same report), with DuckDB's
 * parallel CSV and Parquet readers. Use it for Parquet input or when validating in SQL is
 * wanted; for logs larger than memory use {@link summarizeWithDuckDb} and its siblings.
 *
 * @param path - a file path, a glob, or a folder of Parquet files.
 * @param options - see {@link DuckDbSourceOptions}.
 * @returns the table and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api`; `IO_ERROR`; `TOO_LARGE`.
 * @example
 * ```ts
 * const { table, report } = await readTransactionTableWithDuckDb("../shared/data/cdnow/CDNOW_sample.txt", {
 *   delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD", threads: 1,
 * });
 * [table.length, table.ids.length, table.ids[0], table.day[0], table.amount[0], report.rejected];
 * //=> [6919, 2357, "0001", 9862, 29.33, 0]
 * ```
 * @category Engines
 */
export async function readTransactionTableWithDuckDb(path: string, options: DuckDbSourceOptions = {}): Promise<{
  /** The accepted rows, in file order, as `readTransactionTable` returns them. */
  table: TransactionTable;
  /** Accounting of every row read: accepted, rejected and why (the report of `readTransactionTable`). */
  report: IngestionReport;
}> {
  const src = await openSource("readTransactionTableWithDuckDb", path, options);
  try {
    return { table: await src.table(), report: src.ingestion };
  } finally {
    src.close();
  }
}
