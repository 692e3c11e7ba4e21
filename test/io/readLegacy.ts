/**
 * Reference for the tests: the papaparse-based reader as it was before the columnar path
 * (src/io/read.ts at commit cbe06ba), over the legacy record ingestion
 * (test/core/ingestLegacy.ts); unchanged but for the imports and names. The tests check that
 * `readTransactionTable` / `readTransactions` give exactly its results on well-formed inputs.
 * Not a test file itself (no `.test.ts`).
 */
import Papa from "papaparse";
import {
  createIngestor,
  dataFrameRows,
  isDataFrameLike,
  legacyParseTransactions as parseTransactions,
  type Ingestor,
} from "../core/ingestLegacy.js";
import type { DataFrameLike, IngestionResult, ParseTransactionsOptions } from "../../src/core/ingest.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";

/**
 * Options of {@link readTransactions}: the validation options of `parseTransactions` plus how
 * to read a file.
 * @category Ingestion
 */
interface ReadTransactionsOptions extends ParseTransactionsOptions {
  /** File format. Default: from the extension (`.csv`, `.tsv`, `.txt` -> csv, `.json`, `.ndjson`/`.jsonl`). */
  format?: "csv" | "json" | "ndjson" | "xlsx" | "parquet";
  /** CSV delimiter: a character, or `"whitespace"` for runs of spaces/tabs. Default: detected from the first line (`,`, `;`, tab or `|`). */
  delimiter?: string;
  /** Whether the first CSV line is a header. Default `true`. */
  header?: boolean;
  /** Column names for a CSV without header (`header: false`). Default `"0"`, `"1"`, ... */
  names?: readonly string[];
  /** File encoding. Default `"utf8"`. */
  encoding?: BufferEncoding;
}

/**
 * Read transactions from a CSV, JSON or NDJSON file (CSV and NDJSON are streamed, never read
 * whole into a string), from in-memory rows, or from a danfo.js `DataFrame`, validating every
 * row and accounting for it in the report.
 *
 * @remarks
 * Validation rules, strict/lenient modes and the report are those of `parseTransactions`.
 * Rows that cannot be split into fields (a CSV line with the wrong number of fields, an NDJSON
 * line that is not JSON) count as rejected with reason `malformed-row` in lenient mode. In
 * strict mode the first bad row throws {@link InvalidRecordError} with its 1-based data row
 * number (the header line not counted). Reading a file needs Node (the `node:fs` module is
 * loaded only then); in-memory sources work in any JavaScript runtime.
 *
 * @param source - a file path, an iterable of row objects, or a DataFrame-like object.
 * @param options - see {@link ReadTransactionsOptions}.
 * @returns a promise of the transactions and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @throws {@link InvalidOptionError} for bad options or a missing required column.
 * @throws {@link AnalyticsError} with code `IO_ERROR` when the file cannot be read.
 * @example
 * ```ts
 * const { transactions, report } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
 *   format: "csv", delimiter: "whitespace", header: false,
 *   names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD",
 * });
 * [report.rowsRead, report.accepted, report.customers];
 * //=> [6919, 6919, 2357]
 * ```
 * @category Ingestion
 */
export async function legacyReadTransactions(
  source: string | Iterable<object> | DataFrameLike,
  options: ReadTransactionsOptions = {},
): Promise<IngestionResult> {
  const fn = "readTransactions";
  if (typeof source !== "string") {
    if (isDataFrameLike(source)) {
      const ing = createIngestor(fn, options, source.columns);
      for (const r of dataFrameRows(source)) ing.push(r);
      return ing.finish();
    }
    return parseTransactions(source, options);
  }
  const format = options.format ?? formatFromPath(source);
  if (format !== "csv" && format !== "json" && format !== "ndjson") {
    throw new InvalidOptionError(fn, "format", format, '"csv", "json" or "ndjson" (or a file ending in .csv, .tsv, .txt, .json, .ndjson, .jsonl)');
  }
  const fs = await import("node:fs");
  try {
    await fs.promises.access(source, fs.constants.R_OK);
  } catch (cause) {
    throw new AnalyticsError("IO_ERROR", `${fn}: cannot read file ${JSON.stringify(source)}`, { cause });
  }
  const encoding = options.encoding ?? "utf8";
  if (format === "json") {
    const text = await fs.promises.readFile(source, encoding);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new AnalyticsError("IO_ERROR", `${fn}: ${source} is not valid JSON (${(cause as Error).message})`, { cause });
    }
    const rows = Array.isArray(data) ? data : (data as { transactions?: unknown })?.transactions;
    if (!Array.isArray(rows)) throw new AnalyticsError("IO_ERROR", `${fn}: ${source} must hold an array of rows (or { "transactions": [...] })`);
    const ing = createIngestor(fn, options);
    for (let i = 0; i < rows.length; i++) pushOrMalformed(ing, fn, options, rows[i], i + 1, "a JSON object");
    return ing.finish();
  }
  const stream = fs.createReadStream(source, { encoding });
  if (format === "ndjson") return readNdjson(stream, fn, options);
  return readCsv(stream, fn, options);
}

function formatFromPath(path: string): string {
  const ext = path.toLowerCase().split(".").pop() ?? "";
  if (ext === "csv" || ext === "tsv" || ext === "txt") return "csv";
  if (ext === "json") return "json";
  if (ext === "ndjson" || ext === "jsonl") return "ndjson";
  return ext;
}

/** Push a row, or count it as malformed (lenient) / throw (strict) when it is not an object. */
function pushOrMalformed(ing: Ingestor, fn: string, options: ParseTransactionsOptions, row: unknown, rowNumber: number, expected: string): void {
  if (row !== null && typeof row === "object" && !Array.isArray(row)) {
    ing.push(row as Record<string, unknown>);
    return;
  }
  if ((options.mode ?? "strict") === "strict") {
    throw new InvalidRecordError(fn, { row: rowNumber, field: "*", value: row, expected });
  }
  ing.malformed(row, expected);
}

async function readNdjson(stream: NodeJS.ReadableStream, fn: string, options: ParseTransactionsOptions): Promise<IngestionResult> {
  const readline = await import("node:readline");
  const ing = createIngestor(fn, options);
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    row++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = line;
    }
    pushOrMalformed(ing, fn, options, value, row, "a JSON object on one line");
  }
  return ing.finish();
}

async function readCsv(stream: NodeJS.ReadableStream, fn: string, options: ReadTransactionsOptions): Promise<IngestionResult> {
  const header = options.header ?? true;
  if (options.delimiter === "whitespace") return readWhitespace(stream, fn, options, header);
  const ing = createIngestor(fn, options);
  let names: string[] | null = header ? null : options.names ? [...options.names] : null;
  let row = 0;
  let failure: unknown = null;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(stream as unknown as File, {
      header: false,
      delimiter: options.delimiter ?? "",
      delimitersToGuess: [",", ";", "\t", "|"],
      skipEmptyLines: "greedy",
      step: (result, parser) => {
        if (failure) return;
        const fields = result.data;
        try {
          if (names === null) {
            if (header) {
              names = fields.map((f) => f.trim().replace(/^\uFEFF/, ""));
              return;
            }
            names = fields.map((_, j) => String(j));
          }
          row++;
          if (fields.length !== names.length) {
            if ((options.mode ?? "strict") === "strict") {
              throw new InvalidRecordError(fn, { row, field: "*", value: fields.join(","), expected: `${names.length} fields, got ${fields.length}` });
            }
            ing.malformed(fields.join(","), `${names.length} fields, got ${fields.length}`);
            return;
          }
          const obj: Record<string, unknown> = {};
          for (let j = 0; j < names.length; j++) obj[names[j]] = fields[j];
          ing.push(obj);
        } catch (e) {
          failure = e;
          parser.abort();
        }
      },
      complete: () => resolve(),
      error: (e: Error) => reject(new AnalyticsError("IO_ERROR", `${fn}: CSV read failed: ${e.message}`, { cause: e })),
    });
  });
  if (failure) throw failure;
  return ing.finish();
}

async function readWhitespace(stream: NodeJS.ReadableStream, fn: string, options: ReadTransactionsOptions, header: boolean): Promise<IngestionResult> {
  const readline = await import("node:readline");
  const ing = createIngestor(fn, options);
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let names: string[] | null = header ? null : options.names ? [...options.names] : null;
  let row = 0;
  for await (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const fields = trimmed.split(/\s+/);
    if (names === null) {
      if (header) {
        names = fields;
        continue;
      }
      names = fields.map((_, j) => String(j));
    }
    row++;
    if (fields.length !== names.length) {
      if ((options.mode ?? "strict") === "strict") {
        throw new InvalidRecordError(fn, { row, field: "*", value: trimmed, expected: `${names.length} fields, got ${fields.length}` });
      }
      ing.malformed(trimmed, `${names.length} fields, got ${fields.length}`);
      continue;
    }
    const obj: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) obj[names[j]] = fields[j];
    ing.push(obj);
  }
  return ing.finish();
}
