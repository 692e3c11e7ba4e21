/**
 * Reference for the tests: the record-object ingestion as it was before the columnar path
 * (src/core/ingest.ts at commit cbe06ba, unchanged but for the imports and exports). The tests
 * check that the columnar ingestion and its record adapter give exactly these results on inputs
 * where the old code was right (not the audit's D3/D4/D16 cases, which it got wrong).
 * Not a test file itself (no `.test.ts`).
 */
import { makeDayParser, instantToDay, type DateFormat } from "../../src/core/dates.js";
import { InvalidOptionError, InvalidRecordError, formatValue } from "../../src/core/errors.js";
import { dayToDate } from "../../src/core/time.js";
import type { Transaction } from "../../src/core/types.js";
import type { IngestionResult, ParseTransactionsOptions, RejectReason, RejectedRow, ColumnMapping, DataFrameLike, TransactionField } from "../../src/core/ingest.js";









const DEFAULTS = Object.freeze({
  mode: "strict" as const,
  dateFormat: "auto" as DateFormat,
  timeZone: "UTC",
  decimal: "." as const,
  itemSeparator: "|",
  duplicates: "keep" as const,
  keepAttributes: true,
  maxExamples: 5,
});

const ALIASES: Readonly<Record<TransactionField, readonly string[]>> = {
  customerId: ["customerid", "customer", "custid", "clientid", "client", "userid", "user", "memberid", "accountid", "buyerid", "id"],
  date: ["date", "invoicedate", "orderdate", "transactiondate", "purchasedate", "txdate", "datetime", "timestamp", "time", "day"],
  amount: ["amount", "revenue", "sales", "value", "total", "spend", "price", "netamount", "totalamount", "monetary"],
  orderId: ["orderid", "order", "invoiceno", "invoice", "invoiceid", "transactionid", "basketid", "receiptid", "ticketid"],
  items: ["items", "item", "product", "products", "sku", "productid", "stockcode", "productname", "itemname"],
  cost: ["cost", "cogs", "costofgoods"],
  margin: ["margin", "profit", "grossmargin"],
  channel: ["channel", "saleschannel"],
  // Fields added after the columnar rewrite (amount from parts, item labels): the legacy oracle
  // never detects them; the comparisons use files with an amount column.
  quantity: [],
  unitPrice: [],
  itemLabel: [],
};

const normalise = (name: string): string => name.toLowerCase().replace(/[\s_\-.]/g, "");

/**
 * Detect the column mapping from column names (case, spaces, `_`, `-` and `.` ignored).
 * Fields given in `given` win; unknown fields stay unset.
 *
 * @param names - the source column names.
 * @param given - an explicit partial mapping.
 * @returns the mapping, with the detected names.
 * @example
 * ```ts
 * detectColumns(["CustomerID", "InvoiceDate", "Revenue", "InvoiceNo"]);
 * //=> { customerId: "CustomerID", date: "InvoiceDate", amount: "Revenue", orderId: "InvoiceNo" }
 * ```
 * @category Ingestion
 */
function detectColumns(names: readonly string[], given: ColumnMapping = {}): ColumnMapping {
  const out: ColumnMapping = {};
  const taken = new Set(Object.values(given).filter((v): v is string => typeof v === "string"));
  const byNorm = new Map<string, string>();
  for (const n of names) if (!byNorm.has(normalise(n))) byNorm.set(normalise(n), n);
  for (const field of Object.keys(ALIASES) as TransactionField[]) {
    const g = given[field];
    if (g !== undefined) {
      out[field] = g;
      continue;
    }
    for (const alias of ALIASES[field]) {
      const hit = byNorm.get(alias);
      if (hit !== undefined && !taken.has(hit)) {
        out[field] = hit;
        taken.add(hit);
        break;
      }
    }
  }
  return out;
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DOT_GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const COMMA_DECIMAL = /^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$/;

/** Parse a numeric cell; `undefined` = empty, `null` = not a number. */
function parseNumber(raw: unknown, decimal: "." | ","): number | null | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "bigint") return Number(raw);
  if (typeof raw !== "string") return null;
  const s = raw.trim().replace(/\s/g, "");
  if (s === "") return undefined;
  if (decimal === ".") {
    if (PLAIN_NUMBER.test(s)) return Number(s);
    if (DOT_GROUPED.test(s)) return Number(s.replace(/,/g, ""));
    return null;
  }
  if (COMMA_DECIMAL.test(s)) return Number(s.replace(/\./g, "").replace(",", "."));
  return null;
}

/** FNV-1a over a string, continuing from `h`. */
function fnv(h: number, str: string): number {
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 16777619);
  return Math.imul(h ^ 0xff, 16777619);
}

/** Scratch view for hashing the bits of a double (no number-to-string conversion per row). */
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);

/** Mix the 64 bits of a double into `h`. */
function mixNumber(h: number, x: number): number {
  F64[0] = x + 0; // -0 and 0 hash alike (sameRow treats them as equal)
  h = Math.imul(h ^ I32[0], 0x85ebca6b);
  h = Math.imul(h ^ I32[1], 0xc2b2ae35);
  return h ^ (h >>> 15);
}

/** A 30-bit (small-integer) hash of a parsed row, for duplicate detection (confirmed by {@link sameRow}). */
function rowHash(
  id: string, day: number, amount: number, orderId: string, items: readonly string[] | undefined,
  cost: number | undefined, margin: number | undefined, channel: string | undefined,
): number {
  let a = fnv(0x811c9dc5, id);
  a = fnv(a, orderId);
  if (items) for (const it of items) a = fnv(a, it);
  if (channel !== undefined) a = fnv(a, channel);
  let b = Math.imul(day ^ 0x9e3779b9, 0x85ebca6b);
  b = mixNumber(b, amount);
  if (cost !== undefined) b = mixNumber(b ^ 1, cost);
  if (margin !== undefined) b = mixNumber(b ^ 2, margin);
  return (a ^ Math.imul(b, 0x27d4eb2d)) & 0x3fffffff;
}

function sameRow(
  t: Transaction, id: string, day: number, amount: number, orderId: string, items: readonly string[] | undefined,
  cost: number | undefined, margin: number | undefined, channel: string | undefined,
): boolean {
  if (t.customerId !== id || t.amount !== amount || t.date.getTime() !== day * 86_400_000) return false;
  if ((t.orderId ?? "") !== orderId || t.cost !== cost || t.margin !== margin || t.channel !== channel) return false;
  const ti = t.items;
  if (ti === undefined || items === undefined) return ti === items;
  return ti.length === items.length && ti.every((x, k) => x === items[k]);
}

/**
 * The incremental row validator shared by in-memory and streamed ingestion.
 * @internal
 */
export interface Ingestor {
  /** Validate one raw row (an object keyed by column name). */
  push(raw: Readonly<Record<string, unknown>>): void;
  /** Count one row that could not be split into fields (lenient mode only). */
  malformed(value: unknown, expected: string): void;
  /** Close the ingestion and return the result. */
  finish(): IngestionResult;
}

/**
 * Create an incremental ingestor. The column mapping is resolved from the first row's keys
 * (or `header` when given).
 * @internal
 */
export function createIngestor(fn: string, options: ParseTransactionsOptions = {}, header?: readonly string[]): Ingestor {
  const o = { ...DEFAULTS, ...options };
  if (o.mode !== "strict" && o.mode !== "lenient") throw new InvalidOptionError(fn, "mode", o.mode, '"strict" or "lenient"');
  if (o.decimal !== "." && o.decimal !== ",") throw new InvalidOptionError(fn, "decimal", o.decimal, '"." or ","');
  if (o.duplicates !== "keep" && o.duplicates !== "drop") throw new InvalidOptionError(fn, "duplicates", o.duplicates, '"keep" or "drop"');
  const toDay = instantToDay(o.timeZone);
  if (toDay === null) throw new InvalidOptionError(fn, "timeZone", o.timeZone, '"UTC", an offset like "+05:30", or an IANA zone name');
  const parseDay = makeDayParser(o.dateFormat, toDay);
  const lenient = o.mode === "lenient";

  let mapping: ColumnMapping | null = null;
  let mapped = new Set<string>();
  const resolve = (keys: readonly string[]): ColumnMapping => {
    const m = detectColumns(keys, o.columns ?? {});
    for (const f of ["customerId", "date", "amount"] as const) {
      if (m[f] === undefined) {
        throw new InvalidOptionError(fn, `columns.${f}`, undefined, `the name of the ${f} column; found columns ${JSON.stringify(keys)}`);
      }
    }
    mapped = new Set(Object.values(m) as string[]);
    return m;
  };
  if (header) mapping = resolve(header);

  const transactions: Transaction[] = [];
  const rejections = new Map<RejectReason, { count: number; examples: RejectedRow[] }>();
  const seen = new Map<number, number | number[]>(); // row hash -> indexes of the accepted rows with it
  const earlierRow: number[] = []; // source row number per accepted transaction
  const ids = new Set<string>();
  let rowsRead = 0;
  let duplicates = 0;
  let returns = 0;
  let zeroAmounts = 0;
  let minDay = Infinity;
  let maxDay = -Infinity;

  /** Count the current row as set aside for `reason`, keeping the first few examples. */
  const setAside = (reason: RejectReason, field: string, value: unknown, message: string): void => {
    let r = rejections.get(reason);
    if (!r) rejections.set(reason, (r = { count: 0, examples: [] }));
    r.count++;
    if (r.examples.length < o.maxExamples) r.examples.push({ row: rowsRead, field, value, message });
  };
  const reject = (reason: RejectReason, field: string, value: unknown, expected: string): void => {
    if (!lenient) throw new InvalidRecordError(fn, { row: rowsRead, field, value, expected });
    setAside(reason, field, value, `got ${formatValue(value)}, expected ${expected}`);
  };

  const optionalNumber = (raw: Record<string, unknown>, col: string | undefined, reason: RejectReason): number | undefined | false => {
    if (col === undefined) return undefined;
    const v = parseNumber(raw[col], o.decimal);
    if (v === null) {
      reject(reason, col, raw[col], "a finite number");
      return false;
    }
    return v;
  };

  const push = (raw: Readonly<Record<string, unknown>>): void => {
    rowsRead++;
    if (mapping === null) mapping = resolve(Object.keys(raw));
    const m = mapping;
    const cidCol = m.customerId as string;
    const dateCol = m.date as string;
    const amountCol = m.amount as string;

    const rawId = raw[cidCol];
    const customerId = typeof rawId === "string" ? rawId.trim() : typeof rawId === "number" && Number.isFinite(rawId) ? String(rawId) : "";
    if (customerId === "") return reject("missing-customerId", cidCol, rawId, "a non-empty customer id");

    const rawDate = raw[dateCol];
    if (rawDate === undefined || rawDate === null || rawDate === "") return reject("missing-date", dateCol, rawDate, "a date");
    const day = parseDay(rawDate);
    if (day === null) {
      const hint = o.dateFormat === "auto" ? " (ISO YYYY-MM-DD, YYYYMMDD, epoch ms or a Date; set dateFormat for DD/MM/YYYY)" : ` in format ${o.dateFormat}`;
      return reject("invalid-date", dateCol, rawDate, `a valid calendar date${hint}`);
    }

    const parsed = parseNumber(raw[amountCol], o.decimal);
    if (parsed === undefined) return reject("missing-amount", amountCol, raw[amountCol], "a number");
    if (parsed === null) {
      return reject("invalid-amount", amountCol, raw[amountCol], `a finite number (decimal separator "${o.decimal}")`);
    }
    // Since the amount's sign bit marks returns (issue 15), a written "-0" is read as 0, a sale
    // of no value, as this ingestion always counted it (zeroAmounts, a purchase).
    const amount = parsed + 0;
    const cost = optionalNumber(raw as Record<string, unknown>, m.cost, "invalid-cost");
    if (cost === false) return;
    const margin = optionalNumber(raw as Record<string, unknown>, m.margin, "invalid-margin");
    if (margin === false) return;

    let items: string[] | undefined;
    if (m.items !== undefined) {
      const rawItems = raw[m.items];
      if (Array.isArray(rawItems)) {
        items = [];
        for (let k = 0; k < rawItems.length; k++) {
          const i: unknown = rawItems[k];
          const label = typeof i === "string" ? i.trim() : typeof i === "number" ? String(i) : null;
          if (label === null) return reject("invalid-items", m.items, rawItems, "an array of strings");
          if (label !== "") items.push(label);
        }
      } else if (typeof rawItems === "string") {
        items = rawItems.split(o.itemSeparator).map((i) => i.trim()).filter((i) => i !== "");
      } else if (typeof rawItems === "number") {
        items = [String(rawItems)];
      } else if (rawItems !== undefined && rawItems !== null) {
        return reject("invalid-items", m.items, rawItems, `a string (items separated by "${o.itemSeparator}") or an array of strings`);
      }
    }
    const rawOrder = m.orderId !== undefined ? raw[m.orderId] : undefined;
    const orderId = rawOrder === undefined || rawOrder === null ? "" : String(rawOrder).trim();
    const rawChannel = m.channel !== undefined ? raw[m.channel] : undefined;
    const channel = rawChannel === undefined || rawChannel === null || rawChannel === "" ? undefined : String(rawChannel);

    const h = rowHash(customerId, day, amount, orderId, items, cost, margin, channel);
    const bucket = seen.get(h);
    let earlier: number | undefined;
    if (bucket !== undefined) {
      if (typeof bucket === "number") {
        if (sameRow(transactions[bucket], customerId, day, amount, orderId, items, cost, margin, channel)) earlier = bucket;
      } else earlier = bucket.find((k) => sameRow(transactions[k], customerId, day, amount, orderId, items, cost, margin, channel));
    }
    if (earlier !== undefined) {
      duplicates++;
      if (o.duplicates === "drop") {
        // Duplicates dropped on request are set aside, not errors, even in strict mode.
        setAside("duplicate", "*", raw, `same values as data row ${earlierRow[earlier]}`);
        return;
      }
    } else if (bucket === undefined) seen.set(h, transactions.length);
    else if (typeof bucket === "number") seen.set(h, [bucket, transactions.length]);
    else bucket.push(transactions.length);

    let attributes: Record<string, unknown> | undefined;
    if (o.keepAttributes) {
      for (const k in raw) {
        if (mapped.has(k)) continue;
        const v = raw[k];
        // An `attributes` object (rows that already are transactions) is merged, not nested.
        if (k === "attributes" && v !== null && typeof v === "object" && !Array.isArray(v)) Object.assign((attributes ??= {}), v);
        else (attributes ??= {})[k] = v;
      }
    }
    const t: {
      -readonly [K in keyof Transaction]: Transaction[K];
    } = { customerId, date: dayToDate(day), amount };
    if (orderId !== "") t.orderId = orderId;
    if (items !== undefined) t.items = items;
    if (cost !== undefined) t.cost = cost;
    if (margin !== undefined) t.margin = margin;
    if (channel !== undefined) t.channel = channel;
    if (attributes !== undefined) t.attributes = attributes;
    transactions.push(t);
    earlierRow.push(rowsRead);
    ids.add(customerId);
    if (amount < 0) returns++;
    else if (amount === 0) zeroAmounts++;
    if (day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
  };

  const finish = (): IngestionResult => {
    const rejectedByReason = [...rejections].map(([reason, r]) => ({ reason, count: r.count, examples: r.examples }));
    const rejected = rejectedByReason.reduce((s, r) => s + r.count, 0);
    const iso = (d: number) => dayToDate(d).toISOString().slice(0, 10);
    return {
      transactions,
      report: {
        rowsRead,
        accepted: transactions.length,
        rejected,
        rejectedByReason,
        duplicates,
        returns,
        cancellations: 0,
        zeroAmounts,
        amountSource: "column",
        columns: mapping ?? { ...(o.columns ?? {}) },
        dateRange: transactions.length > 0 ? { from: iso(minDay), to: iso(maxDay) } : null,
        customers: ids.size,
      },
    };
  };
  const malformed = (value: unknown, expected: string): void => {
    rowsRead++;
    reject("malformed-row", "*", value, expected);
  };
  return { push, malformed, finish };
}

/**
 * Is this value a danfo.js-like DataFrame (has `columns` and row-major `values`)?
 * @internal
 */
export function isDataFrameLike(x: unknown): x is DataFrameLike {
  return typeof x === "object" && x !== null && Array.isArray((x as DataFrameLike).columns) && Array.isArray((x as DataFrameLike).values);
}

/**
 * Rows of a DataFrame-like object as plain objects keyed by column name.
 * @internal
 */
export function* dataFrameRows(df: DataFrameLike): Generator<Record<string, unknown>> {
  const cols = df.columns;
  for (const v of df.values) {
    const values: readonly unknown[] = Array.isArray(v) ? v : [v];
    const row: Record<string, unknown> = {};
    for (let j = 0; j < cols.length; j++) row[cols[j]] = values[j];
    yield row;
  }
}

/**
 * Validate in-memory rows (plain objects, or a danfo.js `DataFrame`) into transactions, with a
 * report that accounts for every row. Runs anywhere (no file system); for files use
 * `readTransactions`.
 *
 * @remarks
 * Each row needs a customer id (non-empty after trimming; numbers become strings), a date (see
 * {@link DateFormat}; dates become UTC calendar days) and a finite amount (negative = return).
 * In `"strict"` mode (default) the first bad row throws {@link InvalidRecordError} with its
 * 1-based row number, the field and the raw value; in `"lenient"` mode bad rows are set aside
 * and counted per reason. Either way `report.accepted + report.rejected === report.rowsRead`.
 *
 * @param rows - an iterable of objects keyed by column name, or a DataFrame-like object.
 * @param options - see {@link ParseTransactionsOptions}.
 * @returns the transactions and the {@link IngestionReport}.
 * @throws {@link InvalidRecordError} in strict mode, for the first invalid row.
 * @throws {@link InvalidOptionError} for invalid options or when a required column is missing.
 * @example
 * ```ts
 * const { transactions, report } = parseTransactions(
 *   [{ id: "a", day: "2024-01-05", total: "12.50" }, { id: "", day: "2024-01-06", total: 3 }],
 *   { columns: { customerId: "id", date: "day", amount: "total" }, mode: "lenient" },
 * );
 * transactions[0].date.toISOString(); //=> "2024-01-05T00:00:00.000Z"
 * [report.rowsRead, report.accepted, report.rejected]; //=> [2, 1, 1]
 * ```
 * @category Ingestion
 */
export function legacyParseTransactions(
  rows: Iterable<object> | DataFrameLike,
  options: ParseTransactionsOptions = {},
): IngestionResult {
  const fn = "parseTransactions";
  if (isDataFrameLike(rows)) {
    const ing = createIngestor(fn, options, rows.columns);
    for (const r of dataFrameRows(rows)) ing.push(r);
    return ing.finish();
  }
  if (rows === null || typeof rows !== "object" || typeof (rows as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new InvalidOptionError(fn, "rows", rows, "an iterable of row objects or a DataFrame");
  }
  const ing = createIngestor(fn, options);
  for (const r of rows) {
    if (r === null || typeof r !== "object") {
      ing.push({});
      continue;
    }
    ing.push(r as Readonly<Record<string, unknown>>);
  }
  return ing.finish();
}
