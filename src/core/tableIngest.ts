/**
 * Columnar ingestion: raw rows (objects, DataFrame rows, or the fields of a delimited line read
 * by position) validated straight into the typed-array columns of a {@link TransactionTable},
 * with the report that accounts for every row. No `Transaction` object is built per row; the
 * record API (`parseTransactions`, `readTransactions`) is this path plus
 * {@link tableToTransactions}. Pure (no file system, any JavaScript runtime).
 * @module
 */
import { instantToDay, makeDayParser, type DateFormat } from "./dates.js";
import { InvalidOptionError, InvalidRecordError, formatValue } from "./errors.js";
import type {
  AmountSource,
  ColumnMapping,
  DataFrameLike,
  IngestionReport,
  ParseTransactionsOptions,
  RejectedRow,
  RejectReason,
  TransactionField,
} from "./ingest.js";
import type { DictionaryColumn, ItemListColumn, TransactionTable } from "./table.js";
import { MS_PER_DAY } from "./time.js";
import type { Transaction } from "./types.js";

/**
 * A validated transaction table plus the accounting report (the columnar twin of
 * `IngestionResult`), as returned by {@link parseTransactionTable} and `readTransactionTable`.
 *
 * @example
 * ```ts
 * const { table, report }: TableIngestionResult = parseTransactionTable([{ customerId: "a", date: "2024-01-05", amount: 3 }]);
 * [table.length, report.accepted + report.rejected === report.rowsRead];
 * //=> [1, true]
 * ```
 * @category Ingestion
 */
export interface TableIngestionResult {
  /** The accepted rows, in source order, as columns. */
  table: TransactionTable;
  /** Accounting of every row read: `accepted + rejected === rowsRead`. */
  report: IngestionReport;
}

/** Defaults of {@link ParseTransactionsOptions}, in one place. @internal */
export const INGEST_DEFAULTS: Readonly<Required<Omit<ParseTransactionsOptions, "columns">>> = Object.freeze({
  mode: "strict",
  dateFormat: "auto" as DateFormat,
  timeZone: "UTC",
  decimal: ".",
  itemSeparator: "|",
  duplicates: "keep",
  keepAttributes: true,
  maxExamples: 5,
  cancellationPrefix: "C" as string | false,
});

/**
 * Column names recognised per field, normalised (lower case; spaces, `_`, `-` and `.` removed),
 * in order of preference. The order of the fields matters: a column taken by an earlier field
 * is not offered to a later one. `docs/data.md` lists them.
 */
const ALIASES: Readonly<Record<TransactionField, readonly string[]>> = {
  customerId: ["customerid", "customer", "custid", "clientid", "client", "userid", "user", "memberid", "accountid", "buyerid", "id"],
  date: ["date", "invoicedate", "orderdate", "transactiondate", "purchasedate", "txdate", "datetime", "timestamp", "time", "day"],
  // Not "price": a price is the amount only when there is no quantity column (see detectColumns).
  amount: [
    "amount", "revenue", "sales", "value", "total", "spend", "netamount", "totalamount", "monetary",
    "dollarvalue", "dollars", "lineamount", "linetotal", "linevalue", "totalprice", "totalvalue", "ordervalue",
    "ordertotal", "salesamount", "saleamount", "netsales", "grosssales", "subtotal", "purchaseamount",
    "transactionamount", "amountspent", "turnover",
  ],
  orderId: ["orderid", "order", "invoiceno", "invoice", "invoiceid", "transactionid", "basketid", "receiptid", "ticketid"],
  items: ["items", "item", "product", "products", "sku", "productid", "stockcode", "productname", "itemname"],
  cost: ["cost", "cogs", "costofgoods"],
  margin: ["margin", "profit", "grossmargin"],
  channel: ["channel", "saleschannel"],
  quantity: [
    "quantity", "qty", "units", "unitssold", "quantitysold", "qtysold", "quantityordered", "orderedquantity",
    "orderqty", "orderquantity", "numunits", "numberofunits", "unitcount",
  ],
  // Not "unitcost": a cost is not a price.
  unitPrice: ["unitprice", "price", "priceeach", "priceperunit", "unitsaleprice", "saleprice", "sellingprice", "itemprice", "unitamount", "unitvalue"],
  itemLabel: ["description", "productdescription", "itemdescription", "productname", "itemname", "productlabel", "itemlabel", "producttitle"],
};

const FIELDS = Object.keys(ALIASES) as TransactionField[];
/** Position of each field in {@link FIELDS} (the index into `pos` and `inherited`). */
const F_QUANTITY = FIELDS.indexOf("quantity");
const F_PRICE = FIELDS.indexOf("unitPrice");
const F_LABEL = FIELDS.indexOf("itemLabel");
/** Fields detected in the first pass; the amount's parts and the item label follow their own rules. */
const FIRST_PASS: readonly TransactionField[] = ["customerId", "date", "amount", "orderId", "items", "cost", "margin", "channel"];

const normalise = (name: string): string => name.toLowerCase().replace(/[\s_\-.]/g, "");

/**
 * Detect the column mapping from column names (case, spaces, `_`, `-` and `.` ignored).
 * Fields given in `given` win; unknown fields stay unset.
 *
 * @remarks
 * The amount, in order: an amount column (`amount`, `revenue`, `sales`, `dollar_value`,
 * `total`, `value`, `spend`, `line_total`, ...); else `quantity` × `unitPrice` when both a
 * quantity column (`Quantity`, `Qty`, `Units`, ...) and a price column (`UnitPrice`,
 * `Unit_Price`, `Price`, ...; never `UnitCost`) exist; else a price column alone, when the
 * source has no quantity column, is the amount (one unit per line); else no amount. When an
 * amount column exists the parts are not detected. An item label (`Description`,
 * `ProductName`, `ItemName`, ...) is detected only beside an items column.
 *
 * @param names - the source column names.
 * @param given - an explicit partial mapping.
 * @returns the mapping, with the detected names.
 * @example
 * ```ts
 * detectColumns(["CustomerID", "InvoiceDate", "Revenue", "InvoiceNo"]);
 * //=> { customerId: "CustomerID", date: "InvoiceDate", amount: "Revenue", orderId: "InvoiceNo" }
 * detectColumns(["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]);
 * //=> { customerId: "CustomerID", date: "InvoiceDate", orderId: "InvoiceNo", items: "StockCode", quantity: "Quantity", unitPrice: "UnitPrice", itemLabel: "Description" }
 * detectColumns(["customer_id", "date", "price"]);
 * //=> { customerId: "customer_id", date: "date", amount: "price" }
 * ```
 * @category Ingestion
 */
export function detectColumns(names: readonly string[], given: ColumnMapping = {}): ColumnMapping {
  const out: ColumnMapping = {};
  const taken = new Set(Object.values(given).filter((v): v is string => typeof v === "string"));
  const byNorm = new Map<string, string>();
  for (const n of names) if (!byNorm.has(normalise(n))) byNorm.set(normalise(n), n);
  const detect = (field: TransactionField): void => {
    const g = given[field];
    if (g !== undefined) {
      out[field] = g;
      return;
    }
    for (const alias of ALIASES[field]) {
      const hit = byNorm.get(alias);
      if (hit !== undefined && !taken.has(hit)) {
        out[field] = hit;
        taken.add(hit);
        return;
      }
    }
  };
  for (const field of FIRST_PASS) detect(field);
  if (out.amount === undefined) {
    detect("quantity");
    detect("unitPrice");
    if (out.quantity === undefined && out.unitPrice !== undefined) {
      // A price without any quantity column: each line is one unit, the price is its amount.
      out.amount = out.unitPrice;
      delete out.unitPrice;
    }
  } else {
    // The amount column wins: parts given beside it are kept in the mapping as given (and not read).
    if (given.quantity !== undefined) out.quantity = given.quantity;
    if (given.unitPrice !== undefined) out.unitPrice = given.unitPrice;
  }
  if (out.items !== undefined) detect("itemLabel");
  else if (given.itemLabel !== undefined) out.itemLabel = given.itemLabel;
  return out;
}

/** Levenshtein distance between `a` and `b` (two rows of the table). */
function editDistance(a: string, b: string): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * The column of `names` closest to `name` by edit distance, ignoring case (ties: the first in
 * `names`), or undefined when `names` is empty.
 * @internal
 */
export function closestColumn(name: string, names: readonly string[]): string | undefined {
  const target = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(target, n.toLowerCase());
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

/**
 * The error for `columns.<field>` naming a column that the source does not have; `where` says
 * where it was looked for (`"the header"`, `"row 1"`, or `null`: in none of the rows read).
 */
function missingColumnError(fn: string, field: TransactionField, col: string, names: readonly string[], where: string | null): InvalidOptionError {
  const near = closestColumn(col, names);
  const shown = names.length <= 20 ? JSON.stringify(names) : `${JSON.stringify(names.slice(0, 20)).slice(0, -1)}, ... (${names.length} columns)]`;
  return new InvalidOptionError(
    fn, `columns.${field}`, col,
    `the name of a column of the source, but ${where === null ? "no row read has a" : `${where} has no`} column ${JSON.stringify(col)}` +
      (near === undefined ? "" : `; the closest is ${JSON.stringify(near)}`) + `; columns: ${shown}`,
  );
}

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DOT_GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const COMMA_DECIMAL = /^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$/;
/** Whitespace inside a number: allowed only as a thousands separator (`SPACE_GROUPED_*`). */
const INNER_SPACE = /\s/;
/**
 * Digits grouped in threes by one space, no-break space (U+00A0), thin space (U+2009) or narrow
 * no-break space (U+202F), as SI and French/Nordic locales write them (`1 234 567`), with an
 * optional fraction after the decimal separator: `1 000.25` (`.` mode), `1 000,25` (`,` mode).
 */
const SPACE_GROUPED_DOT = /^[+-]?\d{1,3}([ \u00a0\u2009\u202f]\d{3})+(\.\d+)?$/;
const SPACE_GROUPED_COMMA = /^[+-]?\d{1,3}([ \u00a0\u2009\u202f]\d{3})+(,\d+)?$/;
/** One group separator of {@link SPACE_GROUPED_DOT} / {@link SPACE_GROUPED_COMMA}, to remove. */
const GROUP_SPACE = /[ \u00a0\u2009\u202f]/g;

/** `v` when finite, else `null` (an overflowing `"1e309"` is not a number we can use). */
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Parse a numeric cell; `undefined` = empty, `null` = not a finite number.
 * @internal
 */
export function parseNumber(raw: unknown, decimal: "." | ","): number | null | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "bigint") return finite(Number(raw));
  if (typeof raw !== "string") return null;
  const s = raw.trim();
  if (s === "") return undefined;
  // Whitespace inside is a thousands grouping or an error, never dropped: "12 34" is not 1234.
  if (INNER_SPACE.test(s)) {
    if (decimal === ".") return SPACE_GROUPED_DOT.test(s) ? finite(Number(s.replace(GROUP_SPACE, ""))) : null;
    return SPACE_GROUPED_COMMA.test(s) ? finite(Number(s.replace(GROUP_SPACE, "").replace(",", "."))) : null;
  }
  if (decimal === ".") {
    if (PLAIN_NUMBER.test(s)) return finite(Number(s));
    if (DOT_GROUPED.test(s)) return finite(Number(s.replace(/,/g, "")));
    return null;
  }
  if (COMMA_DECIMAL.test(s)) return finite(Number(s.replace(/\./g, "").replace(",", ".")));
  return null;
}

/**
 * The amount of a line from its parts: `quantity × unitPrice`, rounded to 8 decimal places
 * when below 9e7 in magnitude (so 3 × 0.1 is 0.3, not 0.30000000000000004: the binary error of
 * the product, not a money rounding), or `NaN` when the product overflows. A -0 product
 * (0 × a negative price) is 0: only returns carry the sign bit.
 * @internal
 */
export function lineAmount(quantity: number, unitPrice: number): number {
  const a = quantity * unitPrice;
  if (!Number.isFinite(a)) return NaN;
  const m = Math.abs(a);
  if (m >= 9e7) return a;
  const r = Math.round(m * 1e8) / 1e8;
  return a < 0 ? -r : r; // 0 for a -0 product
}

/**
 * Is this value a danfo.js-like DataFrame (has `columns` and row-major `values`)?
 * @internal
 */
export function isDataFrameLike(x: unknown): x is DataFrameLike {
  return typeof x === "object" && x !== null && Array.isArray((x as DataFrameLike).columns) && Array.isArray((x as DataFrameLike).values);
}

/** Set an own property, also when the key is `__proto__` (plain assignment would replace the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Rows of a DataFrame-like object as plain objects keyed by column name (a column named
 * `__proto__` becomes an ordinary own key).
 * @internal
 */
export function* dataFrameRows(df: DataFrameLike): Generator<Record<string, unknown>> {
  const cols = df.columns;
  for (const v of df.values) {
    const values: readonly unknown[] = Array.isArray(v) ? v : [v];
    const row: Record<string, unknown> = {};
    for (let j = 0; j < cols.length; j++) setOwn(row, cols[j], values[j]);
    yield row;
  }
}

/**
 * The fields of one delimited row, read by position (implemented by the CSV reader over its byte
 * buffer, so no string or object is made for a field nobody reads).
 * @internal
 */
export interface RowFields {
  /** The raw text of field `j` (untrimmed, quotes removed). */
  text(j: number): string;
  /** Field `j` as a number when it is a plain decimal that converts exactly (`dotDecimal`: "." is the decimal point), else `NaN`. */
  fastNumber(j: number, dotDecimal: boolean): number;
  /** Field `j` as an epoch day when it is exactly `YYYY-MM-DD` (`kind` 1 or 3) or `YYYYMMDD` (`kind` 2 or 3) with a year >= 100 and a real calendar day, else `NaN`. */
  fastDay(j: number, kind: number): number;
  /**
   * The code in `dict` of field `j`'s text (trimmed when `trim`), found from its bytes: the code,
   * `-1` for an empty text, `-2` when the bytes cannot be used directly (call `text`), `-3` when
   * not in `dict` and `add` is false.
   */
  keyCode(j: number, trim: boolean, dict: KeyDictionary, add: boolean): number;
  /**
   * Field `j`'s (trimmed when `trim`) bytes as `bytes[rangeStart .. rangeEnd)` when they can be
   * used directly (ASCII, no escaped quotes): true; false when `text` must be used.
   */
  byteRange(j: number, trim: boolean): boolean;
  /**
   * Split field `j` at byte `sep`, trim the parts, drop empty ones and pass each part's code in
   * `dict` to `sink.addCode`, straight from the bytes: true; false (nothing done) when the bytes
   * cannot be used directly.
   */
  itemCodes(j: number, sep: number, dict: KeyDictionary, sink: { addCode(code: number): void }): boolean;
  /** The buffer of {@link byteRange}. */
  readonly bytes: Uint8Array;
  /** Start of the range found by {@link byteRange}. */
  rangeStart: number;
  /** End of the range found by {@link byteRange}. */
  rangeEnd: number;
}

const utf8Encoder = new TextEncoder();
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: () => boolean }).isWellFormed === "function"
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDFFF]/.test(s) || /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(s);

/**
 * A string dictionary (value -> code in order of first appearance) keyed by the UTF-8 bytes of
 * the strings, in an open-addressing table: a reader finds the code of a field straight from
 * its bytes and makes a string only for a new key. A JavaScript `Map` of a million distinct
 * order ids costs more than all the rest of reading a CSV file.
 * @internal
 */
export class KeyDictionary {
  /** Strings by code; `null` for keys added from ASCII bytes and not decoded yet. */
  private vals: (string | null)[] = [];
  /** How many entries of `vals` are still `null`. */
  private pending = 0;
  /**
   * Open-addressing table, four ints per slot: code + 1 (0 = empty), the key's hash with its
   * length in the low byte, and its first 8 bytes packed, so that most probes are decided in
   * one cache line without touching the arena.
   */
  private slots = new Int32Array(4 * 1024);
  private bits = 10;
  private starts = new Int32Array(257); // bytes of code c: arena[starts[c] .. starts[c + 1])
  private arena = new Uint8Array(4096);
  private scratch = new Uint8Array(256);
  /** Strings with lone surrogates (their UTF-8 would not be unique), by a plain Map. */
  private odd: Map<string, number> | null = null;

  /** Of the last {@link find}: the key's tag (hash with the length in the low byte) and first 8 bytes, for {@link add}. */
  private tag = 0;
  private w0 = 0;
  private w1 = 0;

  /** The code of the key `buf[s..e)`, or -1 (then {@link add} may add it). */
  find(buf: Uint8Array, s: number, e: number): number {
    const len = e - s;
    // The first 8 bytes packed in two ints, mixed into the hash (no loop per byte for short
    // keys); FNV-1a over the rest.
    let w0 = 0;
    let w1 = 0;
    const n = len < 8 ? len : 8;
    for (let k = 0; k < n; k++) {
      if (k < 4) w0 |= buf[s + k] << (8 * k);
      else w1 |= buf[s + k] << (8 * (k - 4));
    }
    let h = Math.imul(w0 ^ Math.imul(w1 ^ len, 0x85ebca6b), 0x9e3779b1);
    for (let k = s + 8; k < e; k++) h = Math.imul(h ^ buf[k], 16777619);
    h ^= h >>> 15;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 13;
    const tag = (h & ~0xff) | (len < 255 ? len : 255);
    this.tag = tag;
    this.w0 = w0;
    this.w1 = w1;
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    for (let i = Math.imul(tag, 0x9e3779b1) >>> (32 - this.bits); ; i = (i + 1) & mask) {
      const c1 = slots[4 * i];
      if (c1 === 0) return -1;
      if (slots[4 * i + 1] !== tag || slots[4 * i + 2] !== w0 || slots[4 * i + 3] !== w1) continue;
      const c = c1 - 1;
      if (len <= 8) return c;
      const a = this.starts[c];
      if (this.starts[c + 1] - a !== len) continue;
      const arena = this.arena;
      let k = 8;
      while (k < len && arena[a + k] === buf[s + k]) k++;
      if (k === len) return c;
    }
  }

  /** Make room for about `keys` keys without rehashing as they come (at most `maxBytes` of key bytes). */
  reserveKeys(keys: number, maxBytes = Infinity): void {
    let bits = this.bits;
    while (3 << bits < keys * 4 && bits < 30) bits++;
    if (bits > this.bits) this.rehash(bits);
    // Size the offsets and the key bytes too (at the mean key length so far), so that they are
    // not regrown (each regrowth leaves a dead buffer that only a full garbage collection frees).
    const n = this.vals.length;
    if (keys + 2 > this.starts.length) {
      const next = new Int32Array(keys + 2);
      next.set(this.starts.subarray(0, n + 1));
      this.starts = next;
    }
    const bytes = Math.ceil(Math.min((this.starts[n] / Math.max(1, n)) * keys * 1.1, maxBytes));
    if (bytes > this.arena.length) {
      const next = new Uint8Array(bytes);
      next.set(this.arena.subarray(0, this.starts[n]));
      this.arena = next;
    }
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.vals.length;
  }

  /** Distinct strings by code (keys added as bytes are decoded now, all at once, on first use). */
  get values(): string[] {
    if (this.pending > 0) {
      // One pass over the arena, one character per byte (the pending keys are ASCII), then a
      // slice per key: much cheaper than a string per row while reading.
      const n = this.starts[this.vals.length];
      const parts: string[] = [];
      for (let k = 0; k < n; k += 8192) parts.push(String.fromCharCode.apply(null, this.arena.subarray(k, Math.min(n, k + 8192)) as unknown as number[]));
      const all = parts.join("");
      const vals = this.vals;
      for (let c = 0; c < vals.length; c++) if (vals[c] === null) vals[c] = all.slice(this.starts[c], this.starts[c + 1]);
      this.pending = 0;
    }
    return this.vals as string[];
  }

  /**
   * Add the key `buf[s..e)`, just looked up by {@link find} and not found, whose string is
   * `value`, or `null` when the bytes are ASCII and may be decoded later; returns its code.
   */
  add(buf: Uint8Array, s: number, e: number, value: string | null): number {
    const c = this.vals.length;
    this.vals.push(value);
    if (value === null) this.pending++;
    const len = e - s;
    let end = this.starts[c];
    if (end + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, end + len));
      next.set(this.arena.subarray(0, end));
      this.arena = next;
    }
    const arena = this.arena;
    for (let k = 0; k < len; k++) arena[end + k] = buf[s + k];
    end += len;
    if (c + 2 > this.starts.length) {
      const next = new Int32Array(this.starts.length * 2);
      next.set(this.starts);
      this.starts = next;
    }
    this.starts[c + 1] = end;
    if ((c + 1) * 4 > 3 << this.bits) this.rehash(this.bits + 1); // load factor 3/4
    this.place(this.slots, this.bits, c + 1, this.tag, this.w0, this.w1);
    return c;
  }

  private place(slots: Int32Array, bits: number, c1: number, tag: number, w0: number, w1: number): void {
    const mask = (1 << bits) - 1;
    let i = Math.imul(tag, 0x9e3779b1) >>> (32 - bits);
    while (slots[4 * i] !== 0) i = (i + 1) & mask;
    slots[4 * i] = c1;
    slots[4 * i + 1] = tag;
    slots[4 * i + 2] = w0;
    slots[4 * i + 3] = w1;
  }

  private rehash(bits: number): void {
    const old = this.slots;
    const next = new Int32Array(4 << bits);
    for (let k = 0; k < old.length; k += 4) if (old[k] !== 0) this.place(next, bits, old[k], old[k + 1], old[k + 2], old[k + 3]);
    this.slots = next;
    this.bits = bits;
  }

  /** The code of string `v`, adding it when new. */
  code(v: string): number {
    if (!isWellFormed(v)) {
      this.odd ??= new Map();
      let c = this.odd.get(v);
      if (c === undefined) {
        c = this.vals.length;
        this.vals.push(v);
        this.odd.set(v, c);
        // Keep the arena offsets aligned with the codes (an empty, never-matching slot).
        if (c + 2 > this.starts.length) {
          const next = new Int32Array(this.starts.length * 2);
          next.set(this.starts);
          this.starts = next;
        }
        this.starts[c + 1] = this.starts[c];
      }
      return c;
    }
    if (v.length * 3 > this.scratch.length) this.scratch = new Uint8Array(v.length * 3 + 16);
    const n = utf8Encoder.encodeInto(v, this.scratch).written;
    const c = this.find(this.scratch, 0, n);
    return c >= 0 ? c : this.add(this.scratch, 0, n, v);
  }
}

/** A dictionary of arbitrary values (attributes); `-0` is kept apart from `0`. */
class ValueDictionary {
  readonly values: unknown[] = [];
  private readonly codes = new Map<unknown, number>();
  code(v: unknown): number {
    const key = v === 0 && 1 / v < 0 ? NEG_ZERO : v;
    let c = this.codes.get(key);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(key, c);
      this.values.push(v);
    }
    return c;
  }
}
const NEG_ZERO = Symbol("-0");

interface AttrColumn {
  codes: Int32Array;
  /** Values of object rows (any type). */
  dict: ValueDictionary | null;
  /** Values of delimited rows (always text), found from their bytes. */
  keys: KeyDictionary | null;
}

/** Names that `obj[name]` finds on `Object.prototype` when the row has no such own key. */
const inheritedName = (name: string): boolean => name in Object.prototype;

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, cap: number, fill?: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  if (fill !== undefined && fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Trim a column to `n` rows: a view when little is wasted, else a compact copy. */
function fit<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  if (a.length === n) return a;
  return (a.length - n <= a.length / 8 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** Mix the 64 bits of a double into `h` (-0 and 0 alike). */
const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
function mixNumber(h: number, x: number): number {
  F64[0] = x + 0;
  h = Math.imul(h ^ I32[0], 0x85ebca6b);
  h = Math.imul(h ^ I32[1], 0xc2b2ae35);
  return h ^ (h >>> 15);
}
const mixInt = (h: number, x: number): number => {
  h = Math.imul(h ^ x, 0x9e3779b1);
  return h ^ (h >>> 16);
};
/** Equal numbers where NaN means "absent" (two absent values are equal). */
const sameOptional = (a: number, b: number): boolean => (a !== a ? b !== b : a === b);

/**
 * The incremental row validator behind every reader: validates rows into growable typed-array
 * columns with the rules of `parseTransactions` (documented in `docs/data.md`).
 * @internal
 */
export class TableIngestor {
  private readonly fn: string;
  private readonly o: Required<Omit<ParseTransactionsOptions, "columns">> & ParseTransactionsOptions;
  private readonly lenient: boolean;
  private readonly parseDay: (v: unknown) => number | null;
  private readonly dateHint: string;
  private readonly dotDecimal: boolean;
  /** The item separator as one ASCII byte, or -1 (then items are split as strings). */
  private readonly itemSep: number;
  /** Fast date kind for positional text fields: 0 none, 1 ISO, 2 YYYYMMDD, 3 either (auto). */
  private readonly dayKind: number;

  private mapping: ColumnMapping | null = null;
  private mapped = new Set<string>();
  /** Field names of positional rows (set by {@link setNames}). */
  private names: readonly string[] | null = null;
  /** Column names that the source repeats, with their positions and new names (see {@link uniqueColumnNames}). */
  private repeated = new Map<string, { at: number; name: string }[]>();
  /** Positions of the mapped fields in positional rows (-1 = unmapped), in {@link FIELDS} order. */
  private pos = new Int32Array(FIELDS.length).fill(-1);
  /** Unmapped (attribute) columns of positional rows: name and position. */
  private attrPos: { name: string; at: number; col: AttrColumn | null }[] = [];
  /** Per field: the mapped column name is also an `Object.prototype` member (read own keys only). */
  private inherited = new Array<boolean>(FIELDS.length).fill(false);
  /** Where amounts come from (set when the mapping is resolved). */
  private amountSource: AmountSource = "column";
  /** `amountSource` as a small int for the hot loops: 0 column, 1 quantity × price, 2 none. */
  private amountMode = 0;
  /** The cancellation prefix as UTF-8 bytes, or null when cancellations are off. */
  private readonly cancelBytes: Uint8Array | null;
  /** The cancellation prefix, or null. */
  private readonly cancelPrefix: string | null;
  /** The prefix ends with a letter: the character after it must not be a letter. */
  private readonly cancelWordEnd: boolean;
  /**
   * Object rows: given columns not among the first row's keys, by field, until a row has them;
   * any left when reading ends is an {@link InvalidOptionError} (a misspelt column name).
   */
  private unconfirmed: { field: TransactionField; col: string }[] = [];
  /** The first object row's keys (for the closest-name hint). */
  private firstKeys: readonly string[] = [];
  /** Item display names by item code ("" = none yet), when an item label column is mapped. */
  private itemNames: string[] | null = null;

  private cap: number;
  private n = 0;
  private customer: Int32Array;
  private day: Int32Array;
  private amount: Float64Array;
  private order: Int32Array;
  private cost: Float64Array | null = null;
  private margin: Float64Array | null = null;
  private channel: Int32Array | null = null;
  private itemOffsets: Int32Array | null = null;
  private itemCodes = new Int32Array(0);
  private nItemCodes = 0;
  private itemMissing: Uint8Array | null = null;
  private attrs = new Map<string, AttrColumn>();
  private srcRow: Int32Array | null = null;
  /**
   * Deferred keys (delimited rows with `duplicates: "keep"`): each row's trimmed customer id and
   * order id bytes are logged in row order and resolved to codes in {@link finish} by partitions
   * that fit in cache, with the duplicate count; a hash table of a million distinct ids probed
   * per row costs a cache miss each.
   */
  private deferred = false;
  private custLog: KeyLog | null = null;
  private orderLog: KeyLog | null = null;
  private custIds: string[] | null = null;
  private orderValues: (() => string[]) | null = null;
  /** First row of each order code, and of each customer's rows without order id (-1 = none yet). */
  private orderFirst = new Int32Array(0);
  private custFirst = new Int32Array(0);

  private readonly customers = new KeyDictionary();
  private readonly orders = new KeyDictionary();
  private readonly channels = new KeyDictionary();
  private readonly itemLabels = new KeyDictionary();

  /** Open-addressing set of first-occurrence rows for duplicate detection: row index or -1. */
  private slots = new Int32Array(1024).fill(-1);
  private slotHash = new Int32Array(1024);
  private slotCount = 0;

  private readonly rejections = new Map<RejectReason, { count: number; examples: RejectedRow[] }>();
  private rowsRead = 0;
  private duplicates = 0;
  private returns = 0;
  private cancellations = 0;
  private zeroAmounts = 0;
  private minDay = Infinity;
  private maxDay = -Infinity;

  /**
   * @param fn - the public function name, for messages.
   * @param options - validation options.
   * @param expectedRows - a capacity hint (rows).
   */
  constructor(fn: string, options: ParseTransactionsOptions = {}, expectedRows = 0) {
    const o = { ...INGEST_DEFAULTS, ...options };
    for (const k of Object.keys(INGEST_DEFAULTS) as (keyof typeof INGEST_DEFAULTS)[]) {
      if ((o as Record<string, unknown>)[k] === undefined) (o as Record<string, unknown>)[k] = INGEST_DEFAULTS[k];
    }
    if (o.mode !== "strict" && o.mode !== "lenient") throw new InvalidOptionError(fn, "mode", o.mode, '"strict" or "lenient"');
    if (o.decimal !== "." && o.decimal !== ",") throw new InvalidOptionError(fn, "decimal", o.decimal, '"." or ","');
    if (o.duplicates !== "keep" && o.duplicates !== "drop") throw new InvalidOptionError(fn, "duplicates", o.duplicates, '"keep" or "drop"');
    const cp = o.cancellationPrefix;
    if (cp !== false && !(typeof cp === "string" && cp.length > 0)) {
      throw new InvalidOptionError(fn, "cancellationPrefix", cp, 'a non-empty string (the start of a cancelled invoice\'s order id, default "C") or false');
    }
    this.cancelPrefix = cp === false ? null : cp;
    this.cancelBytes = cp === false ? null : utf8Encoder.encode(cp);
    this.cancelWordEnd = cp !== false && /\p{L}$/u.test(cp);
    const toDay = instantToDay(o.timeZone);
    if (toDay === null) throw new InvalidOptionError(fn, "timeZone", o.timeZone, '"UTC", an offset like "+05:30", or an IANA zone name');
    this.fn = fn;
    this.o = o;
    this.parseDay = makeDayParser(o.dateFormat, toDay);
    this.lenient = o.mode === "lenient";
    this.dotDecimal = o.decimal === ".";
    this.itemSep = typeof o.itemSeparator === "string" && o.itemSeparator.length === 1 && o.itemSeparator.charCodeAt(0) < 0x80 ? o.itemSeparator.charCodeAt(0) : -1;
    this.dayKind = o.dateFormat === "auto" ? 3 : o.dateFormat === "iso" ? 1 : o.dateFormat === "YYYYMMDD" ? 2 : 0;
    this.dateHint = o.dateFormat === "auto" ? " (ISO YYYY-MM-DD, YYYYMMDD, epoch ms or a Date; set dateFormat for DD/MM/YYYY)" : ` in format ${o.dateFormat}`;
    this.cap = Math.max(16, Math.min(expectedRows | 0, 1 << 30));
    this.customer = new Int32Array(this.cap);
    this.day = new Int32Array(this.cap);
    this.amount = new Float64Array(this.cap);
    this.order = new Int32Array(this.cap);
  }

  /** Rows read so far (the 1-based number of the last row). */
  get rows(): number {
    return this.rowsRead;
  }

  /** Resolve the mapping from column names (object-key order), checking the required fields. */
  private resolve(keys: readonly string[], complete: boolean): ColumnMapping {
    const given = this.checkGiven(keys, complete);
    const m = detectColumns(keys, given);
    for (const f of ["customerId", "date"] as const) {
      if (m[f] === undefined) {
        throw new InvalidOptionError(this.fn, `columns.${f}`, undefined, `the name of the ${f} column; found columns ${JSON.stringify(keys)}`);
      }
    }
    if (m.itemLabel !== undefined && m.items === undefined) {
      throw new InvalidOptionError(this.fn, "columns.itemLabel", m.itemLabel, "an items column beside it (columns.items: the item codes that the labels name)");
    }
    if (m.amount !== undefined) {
      // The amount column wins over the parts: they are not read, and stay attributes.
      delete m.quantity;
      delete m.unitPrice;
      this.amountSource = "column";
    } else {
      // (A lone unit price cannot happen: detectColumns makes it the amount. A lone quantity
      // only marks returns by its sign.)
      this.amountSource = m.quantity !== undefined && m.unitPrice !== undefined ? "quantity-x-price" : "none";
    }
    this.amountMode = this.amountSource === "column" ? 0 : this.amountSource === "quantity-x-price" ? 1 : 2;
    // A field detected from a repeated column name: which column holds it is a guess, so ask.
    // (A name given in `columns` reads the first such column; the others are `name.1`, ...).
    for (const f of FIELDS) {
      const col = m[f];
      const at = col === undefined || given[f] !== undefined ? undefined : this.repeated.get(col);
      if (at !== undefined) {
        const which = at.map((c) => `${JSON.stringify(c.name)} (column ${c.at + 1})`).join(", ");
        throw new InvalidOptionError(
          this.fn, `columns.${f}`, col,
          `a column name that appears once: the source has ${JSON.stringify(col)} ${at.length} times; set columns.${f} to one of ${which}, or rename the columns`,
        );
      }
    }
    this.mapped = new Set(Object.values(m) as string[]);
    this.mapping = m;
    for (let f = 0; f < FIELDS.length; f++) {
      const col = m[FIELDS[f]];
      this.inherited[f] = col !== undefined && inheritedName(col);
    }
    const cap = this.cap;
    // Rows given up front (an array): size the order-id table once, not by repeated doubling
    // (each doubling leaves a dead buffer that only a full garbage collection frees).
    if (m.orderId !== undefined && cap > 1024) this.orders.reserveKeys(cap);
    if (m.cost !== undefined) this.cost = new Float64Array(cap).fill(NaN);
    if (m.margin !== undefined) this.margin = new Float64Array(cap).fill(NaN);
    if (m.channel !== undefined) this.channel = new Int32Array(cap).fill(-1);
    if (m.items !== undefined) {
      this.itemOffsets = new Int32Array(cap + 1);
      this.itemCodes = new Int32Array(Math.max(16, cap));
    }
    if (m.itemLabel !== undefined) this.itemNames = [];
    if (this.o.duplicates === "drop") this.srcRow = new Int32Array(cap);
    return m;
  }

  /**
   * Check `options.columns`: known fields, string values, and each named column present in
   * `keys`. With a header (`complete`) a missing column is an {@link InvalidOptionError} now,
   * before any row is validated; with object rows (`keys` = the first row's keys) it is
   * remembered, and an error at the end unless some row has it (sparse JSON rows may omit a
   * key), or at once in strict mode for a column every row needs.
   */
  private checkGiven(keys: readonly string[], complete: boolean): ColumnMapping {
    const raw = this.o.columns ?? {};
    if (raw === null || typeof raw !== "object") throw new InvalidOptionError(this.fn, "columns", raw, "an object mapping fields to column names");
    const given: ColumnMapping = {};
    const have = new Set(keys);
    for (const key of Object.keys(raw)) {
      const col = (raw as Record<string, unknown>)[key];
      if (col === undefined) continue; // undefined means "detect" (the options rule)
      if (!(FIELDS as readonly string[]).includes(key)) {
        throw new InvalidOptionError(this.fn, `columns.${key}`, col, `a field of the mapping: one of ${FIELDS.join(", ")}`);
      }
      if (typeof col !== "string" || col === "") throw new InvalidOptionError(this.fn, `columns.${key}`, col, "a column name (a non-empty string)");
      const field = key as TransactionField;
      given[field] = col;
      if (have.has(col)) continue;
      if (complete) throw missingColumnError(this.fn, field, col, keys, "the header");
      this.unconfirmed.push({ field, col });
    }
    this.firstKeys = keys;
    return given;
  }

  /**
   * Object rows: drop the unconfirmed columns that `raw` has; in strict mode a column that the
   * row needs and no row so far had is an option error, not a row error.
   */
  private confirmColumns(raw: Readonly<Record<string, unknown>>): void {
    const u = this.unconfirmed;
    for (let k = u.length - 1; k >= 0; k--) if (Object.prototype.hasOwnProperty.call(raw, u[k].col)) u.splice(k, 1);
    if (this.lenient || u.length === 0) return;
    for (const { field, col } of u) {
      const m = this.mapping as ColumnMapping;
      if (m[field] !== col) continue; // given but not read (parts beside an amount column)
      const needed = field === "customerId" || field === "date" || field === "amount" || (this.amountMode === 1 && (field === "quantity" || field === "unitPrice"));
      if (needed) throw missingColumnError(this.fn, field, col, Object.keys(raw), `row ${this.rowsRead}`);
    }
  }

  /**
   * Resolve the mapping now from known column names (DataFrames resolve before any row).
   * @returns the names made unique ({@link uniqueColumnNames}); key the rows by these.
   */
  resolveNow(names: readonly string[]): string[] {
    const u = uniqueColumnNames(names);
    this.repeated = u.repeated;
    this.resolve(objectKeyOrder(u.names), true);
    return u.names;
  }

  /**
   * Names of the fields of positional rows ({@link pushRow}), made unique as pandas does
   * ({@link uniqueColumnNames}); the mapping is resolved at the first row.
   */
  setNames(names: readonly string[]): void {
    const u = uniqueColumnNames(names);
    this.names = u.names;
    this.repeated = u.repeated;
    // Resolve now: a column option naming a column the header lacks fails before any row.
    this.resolvePositional();
  }

  private resolvePositional(): void {
    const names = this.names as readonly string[];
    const m = this.resolve(objectKeyOrder(names), true);
    const last = new Map<string, number>();
    for (let j = 0; j < names.length; j++) last.set(names[j], j); // names are unique (setNames)
    for (let f = 0; f < FIELDS.length; f++) {
      const col = m[FIELDS[f]];
      this.pos[f] = col === undefined ? -1 : (last.get(col) ?? -2);
    }
    if (this.o.duplicates === "keep") {
      this.deferred = true;
      this.custLog = new KeyLog(this.cap);
      if (this.pos[3] >= 0) this.orderLog = new KeyLog(this.cap);
    }
    this.attrPos = [];
    if (this.o.keepAttributes) {
      for (const name of objectKeyOrder(names)) if (!this.mapped.has(name)) this.attrPos.push({ name, at: last.get(name) as number, col: null });
    }
  }

  /**
   * Grow the columns to hold at least `rows` rows (a capacity hint from the reader's size
   * estimate). `sourceBytes`, the size of the source when known, bounds the bytes reserved for
   * the logged keys and the order ids: they are part of the source, so a long first id (a 20 MB
   * field) is not extrapolated to gigabytes.
   */
  reserve(rows: number, sourceBytes = Infinity): void {
    if (rows > this.cap) this.growTo(Math.min(Math.ceil(rows), 2 ** 31 - 2));
    if (this.deferred && this.n > 0) {
      this.custLog?.reserveBytes(this.n, rows, sourceBytes);
      this.orderLog?.reserveBytes(this.n, rows, sourceBytes);
    }
    // Order ids grow with the rows (customers do not): size their table from the share so far.
    if (this.n > 0 && !this.deferred) {
      const orders = Math.min(rows, Math.ceil((rows * this.orders.size) / this.n) + 1024);
      this.orders.reserveKeys(orders, sourceBytes);
      if (orders > this.orderFirst.length) {
        const next = new Int32Array(orders).fill(-1);
        next.set(this.orderFirst);
        this.orderFirst = next;
      }
    }
  }

  private ensure(): void {
    if (this.n < this.cap) return;
    this.growTo(Math.min(Math.max(32, Math.ceil(this.cap * 1.5)), 2 ** 31 - 2));
  }

  private growTo(cap: number): void {
    this.customer = grow(this.customer, cap);
    this.day = grow(this.day, cap);
    this.amount = grow(this.amount, cap);
    this.order = grow(this.order, cap);
    if (this.cost) this.cost = grow(this.cost, cap, NaN);
    if (this.margin) this.margin = grow(this.margin, cap, NaN);
    if (this.channel) this.channel = grow(this.channel, cap, -1);
    if (this.itemOffsets) this.itemOffsets = grow(this.itemOffsets, cap + 1);
    if (this.itemMissing) this.itemMissing = grow(this.itemMissing, cap);
    if (this.srcRow) this.srcRow = grow(this.srcRow, cap);
    this.custLog?.growRows(cap);
    this.orderLog?.growRows(cap);
    for (const c of this.attrs.values()) c.codes = grow(c.codes, cap, -1);
    this.cap = cap;
  }

  private addItem(label: string): void {
    if (this.nItemCodes === this.itemCodes.length) this.itemCodes = grow(this.itemCodes, Math.ceil(this.itemCodes.length * 1.5) + 16);
    this.itemCodes[this.nItemCodes++] = this.itemLabels.code(label);
  }

  private attrColumn(name: string, text = false): AttrColumn {
    let c = this.attrs.get(name);
    if (!c) {
      const dict = text ? null : new ValueDictionary();
      this.attrs.set(name, (c = { codes: new Int32Array(this.cap).fill(-1), dict, keys: text ? new KeyDictionary() : null }));
    }
    return c;
  }

  /** Append an item code (for {@link RowFields.itemCodes}). */
  addCode(code: number): void {
    if (this.nItemCodes === this.itemCodes.length) this.itemCodes = grow(this.itemCodes, Math.ceil(this.itemCodes.length * 1.5) + 16);
    this.itemCodes[this.nItemCodes++] = code;
  }

  /** Count the current row as set aside for `reason`, keeping the first few examples. */
  private setAside(reason: RejectReason, field: string, value: unknown, message: string): void {
    let r = this.rejections.get(reason);
    if (!r) this.rejections.set(reason, (r = { count: 0, examples: [] }));
    r.count++;
    if (r.examples.length < this.o.maxExamples) r.examples.push({ row: this.rowsRead, field, value, message });
  }

  private wantsExample(reason: RejectReason): boolean {
    const r = this.rejections.get(reason);
    return r === undefined || r.examples.length < this.o.maxExamples;
  }

  private reject(reason: RejectReason, field: string, value: unknown, expected: string): void {
    if (!this.lenient) throw new InvalidRecordError(this.fn, { row: this.rowsRead, field, value, expected });
    this.setAside(reason, field, value, `got ${formatValue(value)}, expected ${expected}`);
  }

  /**
   * Count one row that could not be split into fields (or not decoded). Lenient mode sets it
   * aside as `malformed-row`; strict mode throws.
   */
  malformed(value: unknown, expected: string, field = "*"): void {
    this.rowsRead++;
    this.reject("malformed-row", field, value, expected);
  }

  /**
   * The common tail of every path: duplicate check, then commit. The row's item
   * codes are already at `itemCodes[itemOffsets[n] .. nItemCodes)`. Returns false when the row
   * was dropped as a duplicate.
   */
  private commit(
    cust: number, day: number, amount: number, cost: number, margin: number, ord: number, ch: number,
    itemsMissing: boolean, raw: object, positional: boolean,
  ): boolean {
    const i = this.n;
    this.customer[i] = cust;
    this.day[i] = day;
    this.amount[i] = amount;
    this.order[i] = ord;
    if (this.cost) this.cost[i] = cost;
    if (this.margin) this.margin[i] = margin;
    if (this.channel) this.channel[i] = ch;
    const offsets = this.itemOffsets;
    if (offsets) {
      if (itemsMissing) (this.itemMissing ??= new Uint8Array(this.cap))[i] = 1;
      else if (this.itemMissing) this.itemMissing[i] = 0;
    }
    let earlier = -1;
    if (!this.deferred) earlier = this.checkDuplicate(i);
    if (earlier >= 0) {
      this.duplicates++;
      if (this.o.duplicates === "drop") {
        // Duplicates dropped on request are set aside, not errors, even in strict mode.
        if (offsets) this.nItemCodes = offsets[i];
        const srcRow = this.srcRow as Int32Array;
        if (this.wantsExample("duplicate")) this.setAside("duplicate", "*", (positional ? this.rowObject(raw as RowFields) : raw), `same values as data row ${srcRow[earlier]}`);
        else this.setAside("duplicate", "*", undefined, "");
        return false;
      }
    }
    if (offsets) offsets[i + 1] = this.nItemCodes;
    if (this.srcRow) this.srcRow[i] = this.rowsRead;
    this.n = i + 1;
    if (amount < 0 || (amount === 0 && 1 / amount < 0)) this.returns++;
    else if (amount === 0) this.zeroAmounts++;
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
    return true;
  }

  /**
   * The earlier row that row `i` repeats, or -1 (then `i` is remembered for later rows). A repeat
   * of row r has r's order code (or, without an order id, r's customer): the first row of each
   * order (of each customer's rows without order id) is remembered by that code and compared
   * directly; only the later rows go into the hash set, so a file of one-line orders never
   * touches it.
   */
  private checkDuplicate(i: number): number {
    const ord = this.order[i];
    const key = ord >= 0 ? ord : this.customer[i];
    let first = ord >= 0 ? this.orderFirst : this.custFirst;
    if (key >= first.length) {
      const next = new Int32Array(Math.max(1024, key * 2)).fill(-1);
      next.set(first);
      first = next;
      if (ord >= 0) this.orderFirst = next;
      else this.custFirst = next;
    }
    const r = first[key];
    if (r < 0) {
      first[key] = i;
      return -1;
    }
    if (this.sameRow(r, i)) return r;
    const h = this.rowHash(i);
    const earlier = this.findRow(h, i);
    if (earlier < 0) this.insertRow(h, i);
    return earlier;
  }

  /** A 30-bit hash of row `i`'s parsed values (cost and margin NaN = absent), for the duplicate set. */
  private rowHash(i: number): number {
    let h = mixInt(mixInt(mixInt(mixInt(0x811c9dc5, this.customer[i]), this.day[i]), this.order[i]), this.channel ? this.channel[i] : -1);
    h = mixNumber(h, this.amount[i]);
    if (this.cost && this.cost[i] === this.cost[i]) h = mixNumber(h ^ 1, this.cost[i]);
    if (this.margin && this.margin[i] === this.margin[i]) h = mixNumber(h ^ 2, this.margin[i]);
    const offsets = this.itemOffsets;
    if (offsets) {
      if (this.itemMissing && this.itemMissing[i] === 1) h = mixInt(h, -7);
      else for (let k = offsets[i], e = i < this.n ? offsets[i + 1] : this.nItemCodes; k < e; k++) h = mixInt(h, this.itemCodes[k]);
    }
    return h & 0x3fffffff;
  }

  /** Is row `b` (committed or the one being committed) identical, after parsing, to committed row `a`? */
  private sameRow(a: number, b: number): boolean {
    if (this.customer[a] !== this.customer[b] || this.day[a] !== this.day[b] || this.order[a] !== this.order[b]) return false;
    const xa = this.amount[a];
    const xb = this.amount[b];
    if (xa !== xb || (xa === 0 && 1 / xa !== 1 / xb)) return false; // a return of no value (-0) is not a 0 sale
    if (this.cost && !sameOptional(this.cost[a], this.cost[b])) return false;
    if (this.margin && !sameOptional(this.margin[a], this.margin[b])) return false;
    if (this.channel && this.channel[a] !== this.channel[b]) return false;
    const offsets = this.itemOffsets;
    if (offsets) {
      const miss = this.itemMissing;
      if (miss && miss[a] !== miss[b]) return false;
      const sa = offsets[a];
      const la = offsets[a + 1] - sa;
      const sb = offsets[b];
      if ((b < this.n ? offsets[b + 1] : this.nItemCodes) - sb !== la) return false;
      const codes = this.itemCodes;
      for (let k = 0; k < la; k++) if (codes[sa + k] !== codes[sb + k]) return false;
    }
    return true;
  }

  private findRow(h: number, row: number): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const r = this.slots[s];
      if (r < 0) return -1;
      if (this.slotHash[s] === h && this.sameRow(r, row)) return r;
    }
  }

  private resizeSet(size: number): void {
    const old = this.slots;
    const oldHash = this.slotHash;
    this.slots = new Int32Array(size).fill(-1);
    this.slotHash = new Int32Array(size);
    const mask = size - 1;
    for (let s = 0; s < old.length; s++) {
      if (old[s] < 0) continue;
      let t = oldHash[s] & mask;
      while (this.slots[t] >= 0) t = (t + 1) & mask;
      this.slots[t] = old[s];
      this.slotHash[t] = oldHash[s];
    }
  }

  private insertRow(h: number, row: number): void {
    if ((this.slotCount + 1) * 2 > this.slots.length) this.resizeSet(this.slots.length * 2);
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] >= 0) s = (s + 1) & mask;
    this.slots[s] = row;
    this.slotHash[s] = h;
    this.slotCount++;
  }

  /** Read `raw[col]` for field `f`, ignoring what the row inherits from `Object.prototype`. */
  private get(raw: Readonly<Record<string, unknown>>, col: string, f: number): unknown {
    const v = raw[col];
    return v !== undefined && this.inherited[f] && !Object.prototype.hasOwnProperty.call(raw, col) ? undefined : v;
  }

  /**
   * The item code that row `i` (just committed) may name: its only item, when that item has no
   * name yet; else -1 (so the label's text is read only for the first rows of each item).
   */
  private unnamedItem(i: number): number {
    const offsets = this.itemOffsets as Int32Array;
    const k = offsets[i];
    if (offsets[i + 1] - k !== 1) return -1;
    const c = this.itemCodes[k];
    const names = this.itemNames as string[];
    while (names.length <= c) names.push("");
    return names[c] === "" ? c : -1;
  }

  /** Name item `c` with `label` (trimmed) unless the label is empty. */
  private nameItem(c: number, label: string): void {
    const t = label.trim();
    if (t !== "") (this.itemNames as string[])[c] = t;
  }

  /** Is `id` (trimmed) the order id of a cancelled invoice ({@link ParseTransactionsOptions.cancellationPrefix})? */
  private cancelledText(id: string): boolean {
    const prefix = this.cancelPrefix as string;
    if (id.length <= prefix.length || !id.startsWith(prefix)) return false;
    return !this.cancelWordEnd || !/^\p{L}/u.test(id.slice(prefix.length, prefix.length + 2));
  }

  /** {@link cancelledText} on the ASCII bytes `b[s..e)` of a trimmed order id. */
  private cancelledBytes(b: Uint8Array, s: number, e: number): boolean {
    const p = this.cancelBytes as Uint8Array;
    if (e - s <= p.length) return false;
    for (let k = 0; k < p.length; k++) if (b[s + k] !== p[k]) return false;
    if (!this.cancelWordEnd) return true;
    const c = b[s + p.length] | 0x20; // ASCII: fold to lower case
    return !(c >= 0x61 && c <= 0x7a);
  }

  /** Validate one raw row object (JSON, in-memory rows, DataFrame rows). */
  pushObject(raw: Readonly<Record<string, unknown>>): void {
    this.rowsRead++;
    const m = this.mapping ?? this.resolve(Object.keys(raw), false);
    if (this.unconfirmed.length > 0) this.confirmColumns(raw);
    this.ensure();
    const i = this.n;
    const cidCol = m.customerId as string;
    const dateCol = m.date as string;

    const rawId = this.get(raw, cidCol, 0);
    const customerId = typeof rawId === "string" ? rawId.trim() : typeof rawId === "number" && Number.isFinite(rawId) ? String(rawId) : "";
    if (customerId === "") return this.reject("missing-customerId", cidCol, rawId, "a non-empty customer id");

    const rawDate = this.get(raw, dateCol, 1);
    if (rawDate === undefined || rawDate === null || rawDate === "") return this.reject("missing-date", dateCol, rawDate, "a date");
    const day = this.parseDay(rawDate);
    if (day === null) return this.reject("invalid-date", dateCol, rawDate, `a valid calendar date${this.dateHint}`);

    let amount = 0;
    /** A negative quantity: the line is a return. */
    let negQty = false;
    if (this.amountMode === 0) {
      const amountCol = m.amount as string;
      const rawAmount = this.get(raw, amountCol, 2);
      const v = parseNumber(rawAmount, this.o.decimal);
      if (v === undefined) return this.reject("missing-amount", amountCol, rawAmount, "a number");
      if (v === null) return this.reject("invalid-amount", amountCol, rawAmount, `a finite number (decimal separator "${this.o.decimal}")`);
      amount = v;
    } else if (m.quantity !== undefined) {
      const qCol = m.quantity;
      const rq = this.get(raw, qCol, F_QUANTITY);
      const q = parseNumber(rq, this.o.decimal);
      if (q === null) return this.reject("invalid-quantity", qCol, rq, `a finite number (decimal separator "${this.o.decimal}")`);
      if (q === undefined && this.amountMode === 1) return this.reject("missing-quantity", qCol, rq, "a number");
      negQty = q !== undefined && q < 0;
      if (this.amountMode === 1) {
        const pCol = m.unitPrice as string;
        const rp = this.get(raw, pCol, F_PRICE);
        const p = parseNumber(rp, this.o.decimal);
        if (p === undefined) return this.reject("missing-unitPrice", pCol, rp, "a number");
        if (p === null) return this.reject("invalid-unitPrice", pCol, rp, `a finite number (decimal separator "${this.o.decimal}")`);
        amount = lineAmount(q as number, p);
        if (amount !== amount) return this.reject("invalid-quantity", qCol, rq, `a quantity whose product with the unit price ${p} is a finite number`);
      }
    }
    let cost = NaN;
    if (m.cost !== undefined) {
      const rc = this.get(raw, m.cost, 5);
      const v = parseNumber(rc, this.o.decimal);
      if (v === null) return this.reject("invalid-cost", m.cost, rc, "a finite number");
      if (v !== undefined) cost = v;
    }
    let margin = NaN;
    if (m.margin !== undefined) {
      const rm = this.get(raw, m.margin, 6);
      const v = parseNumber(rm, this.o.decimal);
      if (v === null) return this.reject("invalid-margin", m.margin, rm, "a finite number");
      if (v !== undefined) margin = v;
    }

    let itemsMissing = true;
    if (this.itemOffsets) {
      const itemsCol = m.items as string;
      this.nItemCodes = this.itemOffsets[i];
      const rawItems = this.get(raw, itemsCol, 4);
      if (Array.isArray(rawItems)) {
        for (let k = 0; k < rawItems.length; k++) {
          const it: unknown = rawItems[k];
          if (typeof it !== "string" && typeof it !== "number") {
            this.nItemCodes = this.itemOffsets[i];
            return this.reject("invalid-items", itemsCol, rawItems, "an array of strings");
          }
        }
        itemsMissing = false;
        for (let k = 0; k < rawItems.length; k++) {
          const it: unknown = rawItems[k];
          const label = typeof it === "string" ? it.trim() : String(it);
          if (label !== "") this.addItem(label);
        }
      } else if (typeof rawItems === "string") {
        itemsMissing = false;
        this.splitItems(rawItems);
      } else if (typeof rawItems === "number") {
        itemsMissing = false;
        this.addItem(String(rawItems));
      } else if (rawItems !== undefined && rawItems !== null) {
        return this.reject("invalid-items", itemsCol, rawItems, `a string (items separated by "${this.o.itemSeparator}") or an array of strings`);
      }
    }
    const rawOrder = m.orderId !== undefined ? this.get(raw, m.orderId, 3) : undefined;
    const orderId = rawOrder === undefined || rawOrder === null ? "" : String(rawOrder).trim();
    const rawChannel = m.channel !== undefined ? this.get(raw, m.channel, 7) : undefined;
    const channel = rawChannel === undefined || rawChannel === null || rawChannel === "" ? undefined : String(rawChannel);

    const cancelled = orderId !== "" && this.cancelPrefix !== null && this.cancelledText(orderId);
    // Returns carry the sign bit (-0 for a return of no value); other amounts lose a -0.
    amount = negQty || cancelled ? -Math.abs(amount) : amount + 0;

    const cust = this.customers.code(customerId);
    const ord = orderId === "" ? -1 : this.orders.code(orderId);
    const ch = channel === undefined ? -1 : this.channels.code(channel);
    if (!this.commit(cust, day, amount, cost, margin, ord, ch, itemsMissing, raw, false)) return;
    if (cancelled) this.cancellations++;
    if (this.itemNames !== null) {
      const c = this.unnamedItem(i);
      const rl = c < 0 ? undefined : this.get(raw, m.itemLabel as string, F_LABEL);
      if (typeof rl === "string" || typeof rl === "number") this.nameItem(c, String(rl));
    }
    if (this.o.keepAttributes) {
      for (const k in raw) {
        if (this.mapped.has(k)) continue;
        const v = raw[k];
        // An `attributes` object (rows that already are transactions) is merged, not nested.
        if (k === "attributes" && v !== null && typeof v === "object" && !Array.isArray(v)) {
          for (const k2 of Object.keys(v)) {
            const c = this.attrColumn(k2);
            c.codes[i] = (c.dict as ValueDictionary).code((v as Record<string, unknown>)[k2]);
          }
        } else {
          const c = this.attrColumn(k);
          c.codes[i] = (c.dict as ValueDictionary).code(v);
        }
      }
    }
  }

  private splitItems(s: string): void {
    const parts = s.split(this.o.itemSeparator);
    for (let k = 0; k < parts.length; k++) {
      const label = parts[k].trim();
      if (label !== "") this.addItem(label);
    }
  }

  /**
   * Validate one delimited row whose fields are read by position (names set by
   * {@link setNames}; the caller has checked the field count).
   */
  pushRow(f: RowFields): void {
    this.rowsRead++;
    this.ensure();
    const i = this.n;
    const m = this.mapping as ColumnMapping;
    const pos = this.pos;

    const pId = pos[0];
    let idStart = 0;
    let idEnd = 0;
    let idText: string | null = null;
    let cust: number;
    if (this.custLog) {
      // Deferred: only check that the id is not empty; it is coded at the end.
      cust = -4;
      if (pId < 0) return this.reject("missing-customerId", m.customerId as string, undefined, "a non-empty customer id");
      if (f.byteRange(pId, true)) {
        idStart = f.rangeStart;
        idEnd = f.rangeEnd;
        if (idStart === idEnd) return this.reject("missing-customerId", m.customerId as string, f.text(pId), "a non-empty customer id");
      } else {
        const t = f.text(pId);
        idText = t.trim();
        if (idText === "") return this.reject("missing-customerId", m.customerId as string, t, "a non-empty customer id");
      }
    } else cust = pId < 0 ? -1 : f.keyCode(pId, true, this.customers, false);
    let customerId = "";
    if (cust === -2) {
      const t = f.text(pId);
      customerId = t.trim();
      if (customerId === "") return this.reject("missing-customerId", m.customerId as string, t, "a non-empty customer id");
    } else if (cust === -1) return this.reject("missing-customerId", m.customerId as string, pId < 0 ? undefined : f.text(pId), "a non-empty customer id");

    const pDate = pos[1];
    let day = pDate < 0 ? NaN : f.fastDay(pDate, this.dayKind);
    if (day !== day) {
      const raw = pDate < 0 ? undefined : f.text(pDate);
      if (raw === undefined || raw === "") return this.reject("missing-date", m.date as string, raw, "a date");
      const d = this.parseDay(raw);
      if (d === null) return this.reject("invalid-date", m.date as string, raw, `a valid calendar date${this.dateHint}`);
      day = d;
    }

    let amount = 0;
    let negQty = false;
    if (this.amountMode === 0) {
      const pAmount = pos[2];
      amount = pAmount < 0 ? NaN : f.fastNumber(pAmount, this.dotDecimal);
      if (amount !== amount) {
        const raw = pAmount < 0 ? undefined : f.text(pAmount);
        const v = parseNumber(raw, this.o.decimal);
        if (v === undefined) return this.reject("missing-amount", m.amount as string, raw, "a number");
        if (v === null) return this.reject("invalid-amount", m.amount as string, raw, `a finite number (decimal separator "${this.o.decimal}")`);
        amount = v;
      }
    } else if (pos[F_QUANTITY] >= 0) {
      const pq = pos[F_QUANTITY];
      let q = f.fastNumber(pq, this.dotDecimal);
      if (q !== q) {
        const raw = f.text(pq);
        const v = parseNumber(raw, this.o.decimal);
        if (v === null) return this.reject("invalid-quantity", m.quantity as string, raw, `a finite number (decimal separator "${this.o.decimal}")`);
        if (v === undefined && this.amountMode === 1) return this.reject("missing-quantity", m.quantity as string, raw, "a number");
        q = v === undefined ? NaN : v;
      }
      negQty = q < 0;
      if (this.amountMode === 1) {
        const pp = pos[F_PRICE];
        let p = f.fastNumber(pp, this.dotDecimal);
        if (p !== p) {
          const raw = f.text(pp);
          const v = parseNumber(raw, this.o.decimal);
          if (v === undefined) return this.reject("missing-unitPrice", m.unitPrice as string, raw, "a number");
          if (v === null) return this.reject("invalid-unitPrice", m.unitPrice as string, raw, `a finite number (decimal separator "${this.o.decimal}")`);
          p = v;
        }
        amount = lineAmount(q, p);
        if (amount !== amount) return this.reject("invalid-quantity", m.quantity as string, f.text(pq), `a quantity whose product with the unit price ${p} is a finite number`);
      }
    }
    let cost = NaN;
    if (this.cost) {
      const p = pos[5];
      cost = p < 0 ? NaN : f.fastNumber(p, this.dotDecimal);
      if (cost !== cost && p >= 0) {
        const raw = f.text(p);
        const v = parseNumber(raw, this.o.decimal);
        if (v === null) return this.reject("invalid-cost", m.cost as string, raw, "a finite number");
        cost = v === undefined ? NaN : v;
      }
    }
    let margin = NaN;
    if (this.margin) {
      const p = pos[6];
      margin = p < 0 ? NaN : f.fastNumber(p, this.dotDecimal);
      if (margin !== margin && p >= 0) {
        const raw = f.text(p);
        const v = parseNumber(raw, this.o.decimal);
        if (v === null) return this.reject("invalid-margin", m.margin as string, raw, "a finite number");
        margin = v === undefined ? NaN : v;
      }
    }
    let itemsMissing = true;
    if (this.itemOffsets) {
      this.nItemCodes = this.itemOffsets[i];
      const p = pos[4];
      if (p >= 0) {
        itemsMissing = false;
        if (!(this.itemSep >= 0 && f.itemCodes(p, this.itemSep, this.itemLabels, this))) this.splitItems(f.text(p));
      }
    }
    // Every check passed: the row is accepted (or a duplicate whose keys are all known), so its
    // keys may enter the dictionaries.
    if (cust === -2) cust = this.customers.code(customerId);
    else if (cust === -3) cust = f.keyCode(pId, true, this.customers, true);
    else if (cust === -4) {
      this.logField(this.custLog as KeyLog, f, pId, idStart, idEnd, idText);
      cust = -1;
    }
    const pOrder = pos[3];
    let ord = -1;
    let cancelled = false;
    if (this.orderLog) {
      if (pOrder < 0) this.logField(this.orderLog, f, -1, 0, 0, null);
      else if (f.byteRange(pOrder, true)) {
        if (this.cancelBytes !== null) cancelled = this.cancelledBytes(f.bytes, f.rangeStart, f.rangeEnd);
        this.logField(this.orderLog, f, pOrder, f.rangeStart, f.rangeEnd, null);
      } else {
        const t = f.text(pOrder).trim();
        if (this.cancelBytes !== null) cancelled = this.cancelledText(t);
        this.logField(this.orderLog, f, pOrder, 0, 0, t);
      }
    } else {
      if (pOrder >= 0 && this.cancelBytes !== null) {
        cancelled = f.byteRange(pOrder, true) ? this.cancelledBytes(f.bytes, f.rangeStart, f.rangeEnd) : this.cancelledText(f.text(pOrder).trim());
      }
      ord = pOrder < 0 ? -1 : f.keyCode(pOrder, true, this.orders, true);
      if (ord === -2) {
        const t = f.text(pOrder).trim();
        ord = t === "" ? -1 : this.orders.code(t);
      }
    }
    const pChannel = pos[7];
    let ch = pChannel < 0 ? -1 : f.keyCode(pChannel, false, this.channels, true);
    if (ch === -2) {
      const t = f.text(pChannel);
      ch = t === "" ? -1 : this.channels.code(t);
    }
    // Returns carry the sign bit (-0 for a return of no value); other amounts lose a -0.
    amount = negQty || cancelled ? -Math.abs(amount) : amount + 0;
    if (!this.commit(cust, day, amount, cost, margin, ord, ch, itemsMissing, f, true)) return;
    if (cancelled) this.cancellations++;
    if (this.itemNames !== null) {
      const c = this.unnamedItem(i);
      if (c >= 0) this.nameItem(c, f.text(pos[F_LABEL]));
    }
    const attrs = this.attrPos;
    for (let k = 0; k < attrs.length; k++) {
      const a = attrs[k];
      const c = (a.col ??= this.attrColumn(a.name, true));
      const keys = c.keys as KeyDictionary;
      let code = f.keyCode(a.at, false, keys, true);
      if (code === -1) code = keys.code("");
      else if (code === -2) code = keys.code(f.text(a.at));
      c.codes[i] = code;
    }
  }

  /** The row as an object keyed by column name (only for a rejected duplicate's example). @internal */
  rowObject(f: RowFields): Record<string, unknown> {
    const names = this.names as readonly string[];
    const row: Record<string, unknown> = {};
    for (let j = 0; j < names.length; j++) setOwn(row, names[j], f.text(j));
    return row;
  }

  /** Put row `n`'s key (field `p`, trimmed; `text` when its bytes cannot be used) in `log`. */
  private logField(log: KeyLog, f: RowFields, p: number, s: number, e: number, text: string | null): void {
    if (text !== null) {
      const b = utf8Encoder.encode(text);
      log.put(this.n, b, 0, b.length);
    } else if (p < 0) log.put(this.n, f.bytes, 0, 0);
    else log.put(this.n, f.bytes, s, e - s);
  }

  /**
   * Resolve the deferred keys (customer ids, order ids) to codes in order of first appearance,
   * then count the duplicates (rows are final: none is dropped in `"keep"` mode).
   */
  private resolveDeferred(): void {
    const n = this.n;
    if (this.custLog) {
      const log = this.custLog;
      const first = resolveKeys(log, n, this.customer);
      this.custIds = decodeKeys(log.bytes, log.at, first);
      this.custLog = null;
    }
    if (this.orderLog) {
      const log = this.orderLog;
      const first = resolveKeys(log, n, this.order);
      // The key bytes are kept (about 4 + key length bytes per row) until the order ids are first
      // read, then released.
      let cache: string[] | null = null;
      let pending: { log: KeyLog; rows: number[] } | null = { log, rows: first };
      this.orderValues = () => {
        if (cache === null) {
          const p = pending as { log: KeyLog; rows: number[] };
          cache = decodeKeys(p.log.bytes, p.log.at, p.rows);
          pending = null;
        }
        return cache;
      };
      this.orderFirst = new Int32Array(Math.max(1, first.length)).fill(-1);
      this.orderLog = null;
    }
    for (let i = 0; i < n; i++) if (this.checkDuplicate(i) >= 0) this.duplicates++;
  }

  /** A rough size of the table per row in bytes (columns plus a share of the dictionaries). */
  bytesPerRow(): number {
    return tableBytesPerRow(this.mapping ?? this.o.columns ?? {}, this.attrPos.length);
  }

  /** Close the ingestion and return the table and the report. */
  finish(): TableIngestionResult {
    const n = this.n;
    if (this.unconfirmed.length > 0) {
      // Object rows: a given column that no row had is a misspelt name, not a data gap.
      const { field, col } = this.unconfirmed[0];
      throw missingColumnError(this.fn, field, col, this.firstKeys, null);
    }
    if (this.deferred) this.resolveDeferred();
    const table: { -readonly [K in keyof TransactionTable]: TransactionTable[K] } = {
      length: n,
      ids: this.custIds ?? this.customers.values,
      index: new Map(),
      customer: fit(this.customer, n),
      day: fit(this.day, n),
      amount: fit(this.amount, n),
      order: fit(this.order, n),
      orderIds: [],
      amountSource: this.amountSource,
    };
    // Order ids are often one per row: decode them when someone reads them, not while reading.
    // The id -> code map is built when first read (a million entries cost more than a read).
    let index: Map<string, number> | null = null;
    const ids = table.ids;
    Object.defineProperty(table, "index", { get: () => (index ??= new Map(ids.map((id, k) => [id, k]))), enumerable: true, configurable: true });
    // Order ids still held as bytes are decoded on first read; the dictionary's hash table is
    // not kept with the table.
    let orders: KeyDictionary | null = this.orders;
    let orderIds: string[] | null = null;
    const deferredValues = this.orderValues;
    const readOrderIds = deferredValues ?? (() => {
      if (orderIds === null) {
        orderIds = (orders as KeyDictionary).values;
        orders = null;
      }
      return orderIds;
    });
    Object.defineProperty(table, "orderIds", { get: readOrderIds, enumerable: true, configurable: true });
    if (this.cost) table.cost = fit(this.cost, n);
    if (this.margin) table.margin = fit(this.margin, n);
    if (this.channel) table.channel = { codes: fit(this.channel, n), values: this.channels.values };
    if (this.itemOffsets) {
      const items: { -readonly [K in keyof ItemListColumn]: ItemListColumn[K] } = {
        offsets: fit(this.itemOffsets, n + 1),
        codes: fit(this.itemCodes, this.nItemCodes),
        labels: this.itemLabels.values,
      };
      if (this.itemNames !== null) {
        const names = this.itemNames;
        items.names = items.labels.map((code, c) => (c < names.length && names[c] !== "" ? names[c] : code));
      }
      if (this.itemMissing) {
        const miss = fit(this.itemMissing, n);
        if (miss.includes(1)) items.missing = miss;
      }
      table.items = items;
    }
    if (this.attrs.size > 0) {
      const attributes = new Map<string, DictionaryColumn<unknown>>();
      for (const [name, c] of this.attrs) attributes.set(name, { codes: fit(c.codes, n), values: c.keys ? c.keys.values : (c.dict as ValueDictionary).values });
      table.attributes = attributes;
    }
    const rejectedByReason = [...this.rejections].map(([reason, r]) => ({ reason, count: r.count, examples: r.examples }));
    const rejected = rejectedByReason.reduce((s, r) => s + r.count, 0);
    const iso = (d: number) => {
      const t = new Date(d * MS_PER_DAY).toISOString(); // "+275760-09-13T..." for years past 9999
      return t.slice(0, t.indexOf("T"));
    };
    return {
      table,
      report: {
        rowsRead: this.rowsRead,
        accepted: n,
        rejected,
        rejectedByReason,
        duplicates: this.duplicates,
        returns: this.returns,
        cancellations: this.cancellations,
        zeroAmounts: this.zeroAmounts,
        amountSource: this.amountSource,
        columns: this.mapping ?? { ...(this.o.columns ?? {}) },
        dateRange: n > 0 ? { from: iso(this.minDay), to: iso(this.maxDay) } : null,
        customers: this.custIds?.length ?? this.customers.size,
      },
    };
  }
}

/**
 * Estimated peak bytes per table row for a column mapping: 20 for the required columns, 8 each
 * for cost and margin, 4 for channel, 12 for items (offset + about two item codes), 4 per
 * attribute column, plus 76 for the ids: the customer and order ids held as bytes while reading
 * and the buckets that resolve them at the end (about 60), then the dictionaries (34.7 bytes per
 * row on the benchmark log, most order ids distinct).
 * @internal
 */
export function tableBytesPerRow(m: ColumnMapping, attributeColumns: number): number {
  let b = 20 + 76;
  if (m.cost !== undefined) b += 8;
  if (m.margin !== undefined) b += 8;
  if (m.channel !== undefined) b += 4;
  if (m.items !== undefined) b += 12;
  return b + 4 * attributeColumns;
}

/**
 * Keys (UTF-8 bytes) in row order: row i's key is `bytes[at[i] .. at[i + 1])`, empty = none.
 * Appending is sequential; {@link resolveKeys} turns the log into codes at the end.
 */
class KeyLog {
  at: Int32Array;
  bytes: Uint8Array;
  n = 0;
  constructor(rows: number) {
    this.at = new Int32Array(rows + 1);
    this.bytes = new Uint8Array(Math.max(1024, rows * 8));
  }
  /** Set row `i`'s key to `src[s .. s + len)`. */
  put(i: number, src: Uint8Array, s: number, len: number): void {
    if (this.n + len > this.bytes.length) this.bytes = grow(this.bytes, Math.max(this.bytes.length * 2, this.n + len));
    const dst = this.bytes;
    const o = this.n;
    for (let k = 0; k < len; k++) dst[o + k] = src[s + k];
    this.at[i] = o;
    this.n = o + len;
    this.at[i + 1] = this.n;
  }
  growRows(rows: number): void {
    if (rows + 1 > this.at.length) this.at = grow(this.at, rows + 1);
  }
  reserveBytes(rowsSoFar: number, rows: number, maxBytes = Infinity): void {
    const bytes = Math.ceil(Math.min((this.n / Math.max(1, rowsSoFar)) * rows * 1.05, maxBytes)) + 1024;
    if (bytes > this.bytes.length) this.bytes = grow(this.bytes, bytes);
  }
}

/**
 * Codes, in order of first appearance, of the keys of rows `0 .. n-1` of `log`, written to
 * `out` (-1 for rows without a key); returns the first row of each code. Rows are hashed in one
 * sequential pass, bucketed by the top bits of the hash so that each bucket's table (about 2,000
 * keys) fits in cache, and matched bucket by bucket: no cache miss per row, where a table of a
 * million keys probed row by row costs one each.
 */
function resolveKeys(log: KeyLog, n: number, out: Int32Array): number[] {
  const at = log.at;
  const bytes = log.bytes;
  // Pass 1 (sequential): each row's tag (hash with the key length in the low byte; 0 = no key),
  // and the bucket sizes.
  const tags = new Int32Array(n);
  let bits = 0;
  while (n >> bits > 2048) bits++;
  const buckets = 1 << bits;
  const count = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const s = at[i];
    const len = at[i + 1] - s;
    if (len === 0) continue;
    const tag = keyTag(bytes, s, len);
    tags[i] = tag;
    count[bits === 0 ? 1 : (tag >>> (32 - bits)) + 1]++;
  }
  for (let b = 0; b < buckets; b++) count[b + 1] += count[b];
  const m = count[buckets];
  // Pass 2: copy each keyed row's tag, first 8 bytes and row number into its bucket, in row
  // order, so that the matching below reads consecutive memory.
  const bTag = new Int32Array(m);
  const bW0 = new Int32Array(m);
  const bW1 = new Int32Array(m);
  const bW2 = new Int32Array(m);
  const bW3 = new Int32Array(m);
  const bRow = new Int32Array(m);
  const fill = count.slice(0, buckets);
  for (let i = 0; i < n; i++) {
    const tag = tags[i];
    if (tag === 0) continue;
    const k = fill[bits === 0 ? 0 : tag >>> (32 - bits)]++;
    const s = at[i];
    const len = at[i + 1] - s;
    // The first 16 bytes inline: keys up to 16 bytes are compared without reading the log.
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    const e = len < 16 ? len : 16;
    for (let q = 0; q < e; q++) {
      const v = bytes[s + q] << (8 * (q & 3));
      if (q < 4) w0 |= v;
      else if (q < 8) w1 |= v;
      else if (q < 12) w2 |= v;
      else w3 |= v;
    }
    bTag[k] = tag;
    bW0[k] = w0;
    bW1[k] = w1;
    bW2[k] = w2;
    bW3[k] = w3;
    bRow[k] = i;
  }
  // Pass 3, bucket by bucket (each table fits in cache): firstOf[k] = the entry of the first row
  // with entry k's key; first rows are marked.
  const firstOf = new Int32Array(m);
  const isFirst = new Uint8Array(n);
  let tbits = 4;
  let table = new Int32Array(0);
  for (let b = 0; b < buckets; b++) {
    const from = count[b];
    const to = count[b + 1];
    while (1 << tbits < (to - from) * 2) tbits++;
    if (table.length < 1 << tbits) table = new Int32Array(1 << tbits);
    const size = 1 << tbits;
    table.fill(-1, 0, size);
    const mask = size - 1;
    for (let k = from; k < to; k++) {
      const tag = bTag[k];
      let slot = Math.imul(tag, 0x9e3779b1) >>> (32 - tbits);
      for (;;) {
        const r = table[slot];
        if (r < 0) {
          table[slot] = k;
          firstOf[k] = k;
          isFirst[bRow[k]] = 1;
          break;
        }
        if (
          bTag[r] === tag && bW0[r] === bW0[k] && bW1[r] === bW1[k] && bW2[r] === bW2[k] && bW3[r] === bW3[k] &&
          ((tag & 0xff) <= 16 || sameBytes(bytes, at[bRow[r]], at[bRow[r] + 1], at[bRow[k]], at[bRow[k] + 1]))
        ) {
          firstOf[k] = r;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
  // Pass 4 (sequential): codes of the first rows, in row order.
  const firstRow: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isFirst[i] === 1) {
      out[i] = firstRow.length;
      firstRow.push(i);
    } else if (tags[i] === 0) out[i] = -1;
  }
  // Pass 5, bucket order: every other row takes the code of its key's first row (one random
  // read per distinct key, one write per row).
  const code = bTag; // reused: the code of each entry
  for (let k = 0; k < m; k++) {
    const f = firstOf[k];
    if (f === k) code[k] = out[bRow[k]];
    else out[bRow[k]] = code[k] = code[f]; // f is an earlier entry of the same bucket: nearby
  }
  return firstRow;
}

/** The tag of a key: a hash of its bytes (the first 8 packed, FNV-1a over the rest) with its length in the low byte; never 0. */
function keyTag(bytes: Uint8Array, s: number, len: number): number {
  let w0 = 0;
  let w1 = 0;
  const m = len < 8 ? len : 8;
  for (let k = 0; k < m; k++) {
    if (k < 4) w0 |= bytes[s + k] << (8 * k);
    else w1 |= bytes[s + k] << (8 * (k - 4));
  }
  let h = Math.imul(w0 ^ Math.imul(w1 ^ len, 0x85ebca6b), 0x9e3779b1);
  for (let k = s + 8; k < s + len; k++) h = Math.imul(h ^ bytes[k], 16777619);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return (h & ~0xff) | (len < 255 ? len : 255);
}

/** Are `b[s1..e1)` and `b[s2..e2)` the same bytes? */
function sameBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (b[s1 + k] !== b[s2 + k]) return false;
  return true;
}

const utf8Decoder = new TextDecoder();

/** The strings of the UTF-8 keys `bytes[at[r] .. at[r + 1])` for each row `r` of `rows` (ascending). */
function decodeKeys(bytes: Uint8Array, at: Int32Array, rows: readonly number[]): string[] {
  // Pack the keys (in order, so the reads are sequential), make one string of one character per
  // byte, and slice each ASCII key out of it; other keys are decoded as UTF-8 one by one.
  let total = 0;
  for (const r of rows) total += at[r + 1] - at[r];
  const packed = new Uint8Array(total);
  const off = new Int32Array(rows.length + 1);
  let o = 0;
  for (let c = 0; c < rows.length; c++) {
    const s = at[rows[c]];
    const e = at[rows[c] + 1];
    for (let k = s; k < e; k++) packed[o++] = bytes[k];
    off[c + 1] = o;
  }
  const parts: string[] = [];
  for (let k = 0; k < total; k += 8192) parts.push(String.fromCharCode.apply(null, packed.subarray(k, Math.min(total, k + 8192)) as unknown as number[]));
  const all = parts.join("");
  const out = new Array<string>(rows.length);
  for (let c = 0; c < rows.length; c++) {
    const s = off[c];
    const e = off[c + 1];
    let ascii = true;
    for (let k = s; k < e; k++) if (packed[k] >= 0x80) ascii = false;
    out[c] = ascii ? all.slice(s, e) : utf8Decoder.decode(packed.subarray(s, e));
  }
  return out;
}

/**
 * Column names made unique as pandas' `read_csv` does: the first of a repeated name keeps it, the
 * later ones become `name.1`, `name.2`, ... (a suffix already taken by another column is
 * skipped: `a,a,a.1` gives `a, a.1, a.1.1`). `repeated` maps each repeated name to its columns:
 * 0-based position and new name.
 * @internal
 */
export function uniqueColumnNames(raw: readonly string[]): { names: string[]; repeated: Map<string, { at: number; name: string }[]> } {
  const names = raw.map(String); // a DataFrame's column labels may be numbers
  const counts = new Map<string, number>();
  const out: string[] = [];
  for (const name of names) {
    let col = name;
    let cur = counts.get(col) ?? 0;
    while (cur > 0) {
      counts.set(col, cur + 1);
      col = `${col}.${cur}`;
      cur = counts.get(col) ?? 0;
    }
    out.push(col);
    counts.set(col, cur + 1);
  }
  const positions = new Map<string, number[]>();
  for (let j = 0; j < names.length; j++) {
    const at = positions.get(names[j]);
    if (at) at.push(j);
    else positions.set(names[j], [j]);
  }
  const repeated = new Map<string, { at: number; name: string }[]>();
  for (const [name, at] of positions) if (at.length > 1) repeated.set(name, at.map((j) => ({ at: j, name: out[j] })));
  return { names: out, repeated };
}

/** Unique names in the order `Object.keys` lists the keys of an object built from them. */
function objectKeyOrder(names: readonly string[]): string[] {
  const o: Record<string, true> = Object.create(null);
  for (const n of names) o[n] = true;
  return Object.keys(o);
}

/**
 * Feed in-memory rows (objects or a DataFrame) to an ingestor.
 * @internal
 */
export function ingestRows(fn: string, rows: Iterable<object> | DataFrameLike, options: ParseTransactionsOptions = {}): TableIngestor {
  if (isDataFrameLike(rows)) {
    const ing = new TableIngestor(fn, options, rows.values.length);
    const columns = ing.resolveNow(rows.columns);
    for (const r of dataFrameRows({ columns, values: rows.values })) ing.pushObject(r);
    return ing;
  }
  if (rows === null || typeof rows !== "object" || typeof (rows as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new InvalidOptionError(fn, "rows", rows, "an iterable of row objects or a DataFrame");
  }
  const ing = new TableIngestor(fn, options, Array.isArray(rows) ? rows.length : 0);
  for (const r of rows) ing.pushObject(r === null || typeof r !== "object" ? {} : (r as Readonly<Record<string, unknown>>));
  return ing;
}

/**
 * Validate in-memory rows (plain objects, or a danfo.js `DataFrame`) into a
 * {@link TransactionTable}, with a report that accounts for every row. The columnar twin of
 * `parseTransactions`: same rules, same report, same errors, but no `Transaction` object per
 * row. For files use `readTransactionTable` (streamed).
 *
 * @remarks
 * Each row needs a customer id (non-empty after trimming; numbers become strings), a date (see
 * {@link DateFormat}; dates become UTC calendar days) and a finite amount (negative = return):
 * from an amount column, or `quantity × unitPrice`, or none at all when the source has no
 * amounts (`report.amountSource: "none"`, every amount 0). Lines of cancelled invoices (order
 * id starting with `cancellationPrefix`, default `"C"`) and lines with a negative quantity are
 * returns: amount `-|amount|`. A column option naming a column the source does not have is an
 * {@link InvalidOptionError} naming the closest column, never a row error.
 * In `"strict"` mode (default) the first bad row throws {@link InvalidRecordError} with its
 * 1-based row number, the field and the raw value; in `"lenient"` mode bad rows are set aside
 * and counted per reason. Either way `report.accepted + report.rejected === report.rowsRead`.
 * Cost: O(rows) time; memory about 20 bytes per row plus the dictionaries of distinct ids
 * (see {@link TransactionTable}).
 *
 * @param rows - an iterable of objects keyed by column name, or a DataFrame-like object.
 * @param options - see {@link ParseTransactionsOptions} (defaults documented there).
 * @returns the table and the {@link IngestionReport}.
 * @throws {@link InvalidRecordError} in strict mode, for the first invalid row.
 * @throws {@link InvalidOptionError} for invalid options, when a required column is missing, or when a field is detected from a column name the source repeats (name it in `columns`; repeated names become `name.1`, `name.2`, ... as in pandas).
 * @example
 * ```ts
 * const { table, report } = parseTransactionTable(
 *   [{ id: "a", day: "2024-01-05", total: "12.50" }, { id: "", day: "2024-01-06", total: 3 }, { id: "a", day: "20240107", total: -2 }],
 *   { columns: { customerId: "id", date: "day", amount: "total" }, mode: "lenient" },
 * );
 * [table.length, table.ids, [...table.day], [...table.amount]];
 * //=> [2, ["a"], [19727, 19729], [12.5, -2]]
 * [report.rowsRead, report.accepted, report.rejected, report.returns];
 * //=> [3, 2, 1, 1]
 * ```
 * Quantity × unit price, with a cancelled invoice:
 * ```ts
 * const { table, report } = parseTransactionTable([
 *   { InvoiceNo: "536365", CustomerID: "17850", InvoiceDate: "2010-12-01 08:26", Quantity: 6, UnitPrice: 2.55 },
 *   { InvoiceNo: "C536379", CustomerID: "17850", InvoiceDate: "2010-12-01 09:41", Quantity: 1, UnitPrice: 2.55 },
 * ]);
 * [[...table.amount], report.amountSource, report.cancellations, report.returns];
 * //=> [[15.3, -2.55], "quantity-x-price", 1, 1]
 * ```
 * @category Ingestion
 */
export function parseTransactionTable(rows: Iterable<object> | DataFrameLike, options: ParseTransactionsOptions = {}): TableIngestionResult {
  return ingestRows("parseTransactionTable", rows, options).finish();
}

/**
 * Turn a {@link TransactionTable} back into `Transaction` records (the table-to-records
 * adapter). For a table from `parseTransactionTable` or `readTransactionTable` the records are
 * exactly those `parseTransactions` / `readTransactions` return: the same optional fields
 * present or absent, `attributes` as a plain object, dates as `Date`s at UTC midnight.
 *
 * @remarks
 * One object (and one `Date`) per row: O(rows) time and about 0.3 KiB per row kept, which is
 * what the columnar path avoids; use it at the edges only.
 *
 * @param table - the table.
 * @returns one record per row, in row order.
 * @example
 * ```ts
 * const { table } = parseTransactionTable([{ customerId: "a", date: "2024-01-05", amount: 3, orderId: "o1", region: "north" }]);
 * tableToTransactions(table);
 * //=> [{ customerId: "a", date: new Date("2024-01-05T00:00:00.000Z"), amount: 3, orderId: "o1", attributes: { region: "north" } }]
 * ```
 * @category Ingestion
 */
export function tableToTransactions(table: TransactionTable): Transaction[] {
  const n = table.length;
  const out = new Array<Transaction>(n);
  const { ids, customer, day, amount, order, orderIds, cost, margin, channel, items } = table;
  const attrs = table.attributes ? [...table.attributes] : [];
  for (let i = 0; i < n; i++) {
    const t: { -readonly [K in keyof Transaction]: Transaction[K] } = { customerId: ids[customer[i]], date: new Date(day[i] * MS_PER_DAY), amount: amount[i] };
    const o = order[i];
    if (o >= 0) t.orderId = orderIds[o];
    if (items && !(items.missing && items.missing[i] === 1)) {
      const from = items.offsets[i];
      const to = items.offsets[i + 1];
      const list = new Array<string>(to - from);
      for (let k = from; k < to; k++) list[k - from] = items.labels[items.codes[k]];
      t.items = list;
    }
    if (cost && cost[i] === cost[i]) t.cost = cost[i];
    if (margin && margin[i] === margin[i]) t.margin = margin[i];
    if (channel && channel.codes[i] >= 0) t.channel = channel.values[channel.codes[i]];
    if (attrs.length > 0) {
      let a: Record<string, unknown> | undefined;
      for (let k = 0; k < attrs.length; k++) {
        const c = attrs[k][1].codes[i];
        if (c >= 0) setOwn((a ??= {}), attrs[k][0], attrs[k][1].values[c]);
      }
      if (a !== undefined) t.attributes = a;
    }
    out[i] = t;
  }
  return out;
}
