/**
 * The ClickHouse engine: the customer summary and the calibration summary of `sql.ts`, rendered
 * in the ClickHouse dialect and run by a ClickHouse server (a single server or the initiator of
 * a cluster, over a `Distributed` table) through its HTTP interface, with `fetch` (no client
 * library). The result streams back as tab-separated rows into the library's columnar tables.
 *
 * The source is a table or a query, usually with typed columns (ClickHouse checks types on
 * insert): the customer id is read as text, the date as a `Date` (a `DateTime` is an instant,
 * whose day is taken in `timeZone`), the amount as a double; `String` date or amount columns are
 * validated with the in-process reader's rules (`validationSql` in the ClickHouse dialect).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError, formatValue } from "../core/errors.js";
import { detectColumns } from "../core/tableIngest.js";
import type { ColumnMapping, IngestionReport, RejectedRow, RejectReason } from "../core/ingest.js";
import type { CalibrationTable, CustomerTable, TransactionTable } from "../core/table.js";
import { dayToDate, daysPerUnit, toEpochDay } from "../core/time.js";
import type { DateInput, TimeUnit } from "../core/types.js";
import { withDefaults } from "../core/options.js";
import { codeUnitOrder, permute } from "./rows.js";
import type { SummaryReport } from "../summary/summarize.js";
import { clickhouse as dialect } from "./dialect.js";
import { calibrationSql, cancelledSql, customerAggregateSql, customerReportSql, customerSummarySql, dateHint, ENGINE_FIELDS, validationSql, zoneOffsetSql, zoneRule, type ValidationRules } from "./sql.js";
import type { DateFormat } from "../core/dates.js";

/**
 * Where the transactions are in ClickHouse, and which columns hold what.
 * @category Engines
 */
export interface ClickHouseSourceOptions {
  /** The server's HTTP address, e.g. `"http://127.0.0.1:8123"`. */
  url: string;
  /** A table (`"table"` or `"db.table"`, e.g. a `Distributed` table); or give `query`. */
  table?: string;
  /** A `SELECT` returning the columns; or give `table`. */
  query?: string;
  /** Column names: customer id, date (`Date`/`DateTime`), amount (a number), and optionally the order id (`''` or NULL: none) and a row number (the log's order: ties of same-day orders in the calibration's `groupBy: "order"`; default: all 0). */
  columns: {
    /** Column holding the customer id. */
    customerId: string;
    /** Column holding the transaction date (`Date` or `DateTime`). */
    date: string;
    /** Column holding the amount (a number). */
    amount: string;
    /** Column holding the order id (`''` or NULL: none). Default: none. */
    orderId?: string;
    /** Column holding the row number in the log's order (ties of same-day orders). Default: all 0. */
    row?: string;
  };
  /**
   * Push the whole per-customer query down to each shard: the HTTP addresses of every shard's
   * server, each holding `table` as its local table (e.g. the MergeTree table under a
   * `Distributed` one). Valid only when each customer's rows are on one shard (a Distributed
   * table sharded by a hash of the customer id): checked, a customer found on two shards is an
   * error. Each shard then returns only its customers' rows; `url` is not used. Default: none, the
   * query goes to `url` (over a Distributed table the initiator then groups the rows it receives).
   */
  shards?: readonly string[];
  /** User and password (HTTP basic authentication). Default: ClickHouse's `default` user without password. */
  user?: string;
  /** Password of `user`. */
  password?: string;
  /**
   * Prefix of the order ids of cancelled invoices, or `false` for none, as the in-process
   * reader's option: their lines are returns (amount `-|amount|`). Default `"C"`.
   */
  cancellationPrefix?: string | false;
  /** Example rows kept per rejection reason in {@link clickHouseIngestion}'s report (those with the lowest `row`; none without a `row` column). Default 5. */
  maxExamples?: number;
  /** How a `String` date column is read, as the in-process reader's option. Default `"auto"`. (`Date`/`DateTime` columns are dates whatever it says.) */
  dateFormat?: DateFormat;
  /** Time zone in which instants in a `String` date column (offsets, epoch numbers) become days, as the reader's option. Default `"UTC"`. */
  timeZone?: string;
  /** Decimal separator of a `String` amount column. Default `"."`. */
  decimal?: "." | ",";
}

/**
 * Options of {@link summarizeWithClickHouse}.
 * @category Engines
 */
export interface ClickHouseSummarizeOptions extends ClickHouseSourceOptions {
  /** Analysis day (default: the last day in the source). */
  asOf?: DateInput;
  /** Days per period of `spendPerPeriod` (default 30). */
  periodDays?: number;
}

/**
 * Options of {@link calibrationWithClickHouse}.
 * @category Engines
 */
export interface ClickHouseCalibrationOptions extends ClickHouseSourceOptions {
  /** End of the calibration period (default: the last day in the source). */
  calibrationEnd?: DateInput;
  /** Model time unit (default `"weeks"`). */
  timeUnit?: TimeUnit;
  /** Purchases by customer-day (default) or by order. */
  groupBy?: "day" | "order";
}

const SUMMARIZE_DEFAULTS = Object.freeze({ periodDays: 30 });

/** Run `sql` and hand every result row (tab-separated fields, unescaped) to `onRow`, as the response streams in. @internal */
export async function clickHouseRows(fn: string, o: Pick<ClickHouseSourceOptions, "url" | "user" | "password">, sql: string, onRow: (fields: string[]) => void, format = "TabSeparated"): Promise<void> {
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (o.user !== undefined) headers.authorization = `Basic ${Buffer.from(`${o.user}:${o.password ?? ""}`).toString("base64")}`;
  let res: Response;
  try {
    res = await fetch(o.url, { method: "POST", headers, body: `${sql}\nFORMAT ${format}` });
  } catch (cause) {
    throw new AnalyticsError("IO_ERROR", `${fn}: cannot reach ClickHouse at ${o.url}: ${String((cause as Error).cause ?? (cause as Error).message)}`, { cause });
  }
  if (!res.ok) {
    const text = (await res.text()).trim();
    throw new AnalyticsError("IO_ERROR", `${fn}: ClickHouse at ${o.url} refused the query: ${text}`);
  }
  if (res.body === null) return;
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    let from = 0;
    while ((nl = rest.indexOf("\n", from)) >= 0) {
      const line = rest.slice(from, nl);
      // An error met after the first rows is appended to the body (the status was already sent):
      // one line without a tab (every query here has two or more columns, so every row has a tab).
      if (line.startsWith("Code: ") && !line.includes("\t") && /^Code: \d+, e\.displayText\(\) = /.test(line)) {
        throw new AnalyticsError("IO_ERROR", `${fn}: ClickHouse at ${o.url} failed during the query: ${line}`);
      }
      onRow(line.split("\t").map(unescapeTsv));
      from = nl + 1;
    }
    rest = rest.slice(from);
  }
  rest += decoder.decode();
  // A last line without its newline: the body was cut (or ends with an error message).
  if (rest.length > 0) throw new AnalyticsError("IO_ERROR", `${fn}: ClickHouse at ${o.url} failed during the query: ${rest.trim()}`);
}

const TSV_ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", "0": "\0", "\\": "\\", "'": "'" };
function unescapeTsv(s: string): string {
  return s.includes("\\") ? s.replace(/\\(.)/g, (_, c: string) => TSV_ESCAPES[c] ?? c) : s;
}

/** A number printed by ClickHouse (`nan`, `inf`, `-inf` included). @internal */
export function chNumber(s: string): number {
  if (s === "nan" || s === "-nan") return NaN;
  if (s === "inf" || s === "+inf") return Infinity;
  if (s === "-inf") return -Infinity;
  return Number(s);
}

/**
 * The relation `tx` of `sql.ts` over the source (the accepted rows), and `base` (every row with
 * its parsed values and `_b_reason`, for the ingestion report), after checking the source and
 * its columns.
 */
async function relations(fn: string, o: ClickHouseSourceOptions): Promise<{ tx: string; base: string }> {
  const c = o.columns ?? ({} as ClickHouseSourceOptions["columns"]);
  for (const f of ["customerId", "date", "amount"] as const) {
    if (typeof c[f] !== "string" || c[f] === "") throw new InvalidOptionError(fn, `columns.${f}`, c[f], "the name of a column of the source");
  }
  const { rel, names, types } = await sourceColumns(fn, o);
  const have = new Set<string>(names);
  const mapped = (["customerId", "date", "amount", "orderId", "row"] as const).filter((f) => c[f] !== undefined);
  for (const f of mapped) {
    if (!have.has(c[f] as string)) {
      throw new InvalidOptionError(fn, `columns.${f}`, c[f], `a column of ${o.table ?? "the query"} (it has: ${[...have].join(", ")})`);
    }
  }
  const col = (f: keyof ClickHouseSourceOptions["columns"]) => dialect.ident(c[f] as string);
  const prefix = o.cancellationPrefix ?? "C";
  if (prefix !== false && !(typeof prefix === "string" && prefix.length > 0)) {
    throw new InvalidOptionError(fn, "cancellationPrefix", prefix, 'a non-empty string (the start of a cancelled invoice\'s order id, default "C") or false');
  }
  const typeOf = (f: "customerId" | "date" | "amount" | "orderId") => types[names.indexOf(c[f] as string)] ?? "";
  if (/String/.test(typeOf("date")) || /String/.test(typeOf("amount"))) return textRelations(fn, o, rel, typeOf, prefix === false ? null : prefix);
  // Inner names unlike any source column's, so the outer aliases never shadow one (ClickHouse resolves aliases everywhere).
  const inner = `SELECT ${col("customerId")} AS _ca_cust, ${col("date")} AS _ca_date, ${col("amount")} AS _ca_amount` +
    `${c.orderId !== undefined ? `, ${col("orderId")} AS _ca_ord` : ""}${c.row !== undefined ? `, ${col("row")} AS _ca_row` : ""} FROM ${rel}`;
  // Every row with its parsed values and the reason it is rejected ('' when accepted), in the
  // in-process order: customer id (NULL or empty), date (NULL), amount (NULL, then not finite).
  // A DateTime is an instant: its day in the reader's time zone (as a Date object in process); a Date is the day it names.
  let day = "toInt64(toDate(_ca_date))";
  if (/DateTime/.test(typeOf("date"))) {
    const zone = zoneRule(o.timeZone ?? "UTC");
    if (zone === null) throw new InvalidOptionError(fn, "timeZone", o.timeZone, '"UTC", an offset like "+05:30", or an IANA zone name');
    const ms = "(toInt64(toUInt32(_ca_date)) * 1000)";
    day = dialect.floorDiv(`${ms} + ${zoneOffsetSql(zone, ms)}`, "86400000");
  }
  const parsed = `SELECT toString(_ca_cust) AS _b_cust, ${day} AS _b_day, toFloat64(_ca_amount) AS _b_amount, ` +
    `${c.orderId !== undefined ? "nullIf(toString(_ca_ord), '')" : "CAST(NULL AS Nullable(String))"} AS _b_ord, ` +
    `${c.row !== undefined ? "toInt64(_ca_row)" : "toInt64(0)"} AS _b_row FROM (${inner})`;
  const base = `(SELECT _b_cust, _b_day, _b_amount, _b_ord, _b_row, ${cancelledSql(dialect, "_b_ord", prefix === false ? null : prefix)} AS _b_cancelled, ` +
    `multiIf(isNull(_b_cust) OR _b_cust = '', 'missing-customerId', isNull(_b_day), 'missing-date', isNull(_b_amount), 'missing-amount', ` +
    `NOT isFinite(assumeNotNull(_b_amount)), 'invalid-amount', '') AS _b_reason, ` +
    `multiIf(_b_reason = 'missing-customerId', ifNull(_b_cust, ''), _b_reason = 'invalid-amount', toString(assumeNotNull(_b_amount)), '') AS _b_bad_text, ` +
    `multiIf(_b_reason = 'missing-customerId' AND NOT isNull(_b_cust), 's', _b_reason = 'invalid-amount', 'n', 'z') AS _b_bad_kind, ` +
    `multiIf(_b_reason = 'missing-customerId', 0, _b_reason = 'missing-date', 1, 2) AS _b_bad_field FROM (${parsed}))`;
  // The accepted rows; lines of cancelled invoices are returns (-|amount|), other amounts lose a -0.
  const tx = `(SELECT assumeNotNull(_b_cust) AS cust, assumeNotNull(_b_day) AS day, ` +
    `if(_b_cancelled, -abs(assumeNotNull(_b_amount)), assumeNotNull(_b_amount) + 0) AS amount, _b_ord AS ord, _b_row AS _row, _b_cancelled AS cancelled ` +
    `FROM ${base} WHERE _b_reason = '') AS tx`;
  return { tx, base };
}

/**
 * The relation text of the source and its column names (the header of an empty result), after
 * checking the address and the table name; a missing table is an `IO_ERROR` naming it.
 */
async function sourceColumns(fn: string, o: Pick<ClickHouseSourceOptions, "url" | "table" | "query" | "user" | "password">): Promise<{ rel: string; names: string[]; types: string[] }> {
  if (typeof o.url !== "string" || !/^https?:\/\//.test(o.url)) throw new InvalidOptionError(fn, "url", o.url, 'an http(s) address such as "http://127.0.0.1:8123"');
  if ((o.table === undefined) === (o.query === undefined)) throw new InvalidOptionError(fn, "table", o.table, "exactly one of table and query");
  if (o.table !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(o.table)) {
    throw new InvalidOptionError(fn, "table", o.table, "a table name: name or database.name (letters, digits, _)");
  }
  const rel = o.table !== undefined ? o.table.split(".").map((p) => dialect.ident(p)).join(".") : `(${o.query})`;
  // The source's column names: the header of an empty result (a missing table fails here).
  let names: string[] | null = null;
  let types: string[] = [];
  try {
    await clickHouseRows(fn, o, `SELECT * FROM ${rel} LIMIT 0`, (f) => {
      if (names === null) names = f;
      else if (types.length === 0) types = f;
    }, "TabSeparatedWithNamesAndTypes");
  } catch (e) {
    const msg = (e as Error).message;
    if (o.table !== undefined && /Code: 60\b|doesn't exist/.test(msg)) {
      throw new AnalyticsError("IO_ERROR", `${fn}: table ${o.table} does not exist on ClickHouse at ${o.url}`, { cause: e });
    }
    throw e;
  }
  return { rel, names: names ?? [], types };
}

/**
 * The relations of a source whose date or amount column is text (`String`): every row validated
 * in SQL by the in-process reader's rules (`validationSql` in the ClickHouse dialect: trimming,
 * number shapes, `dateFormat`, `timeZone`, `decimal`), so rejections carry the reader's reasons.
 * Typed columns enter as the in-process reader receives typed values: numbers as numbers (ids as
 * text), a `Date` as its day, a `DateTime` as an instant (its day in `timeZone`), NULL as null.
 */
function textRelations(fn: string, o: ClickHouseSourceOptions, rel: string, typeOf: (f: "customerId" | "date" | "amount" | "orderId") => string, prefix: string | null): { tx: string; base: string } {
  const c = o.columns;
  const dateFormat = o.dateFormat ?? "auto";
  if (!DATE_FORMATS.includes(dateFormat)) throw new InvalidOptionError(fn, "dateFormat", dateFormat, DATE_FORMATS.map((f) => JSON.stringify(f)).join(", "));
  const zone = zoneRule(o.timeZone ?? "UTC");
  if (zone === null) throw new InvalidOptionError(fn, "timeZone", o.timeZone, '"UTC", an offset like "+05:30", or an IANA zone name');
  const decimal = o.decimal ?? ".";
  if (decimal !== "." && decimal !== ",") throw new InvalidOptionError(fn, "decimal", decimal, '"." or ","');
  const mapped = ["customerId", "date", "amount", "orderId"] as const;
  const fields = ENGINE_FIELDS.map((f) => {
    if (!(mapped as readonly string[]).includes(f) || c[f as (typeof mapped)[number]] === undefined) return `CAST(NULL AS Nullable(String)) AS ${f}_text, 'u' AS ${f}_kind`;
    const field = f as (typeof mapped)[number];
    const id = dialect.ident(c[field] as string);
    const t = typeOf(field);
    const isNull = `isNull(${id})`;
    let text: string;
    let kind: string;
    if (/String/.test(t) || field === "customerId" || field === "orderId") [text, kind] = [`toString(${id})`, "s"];
    else if (field === "date" && /DateTime/.test(t)) [text, kind] = [`toString(toInt64(toUInt32(${id})) * 1000)`, "i"];
    else if (field === "date" && /Date/.test(t)) [text, kind] = [`toString(toInt64(toDate(${id})))`, "d"];
    else if (/Int|Float|Decimal/.test(t)) [text, kind] = [`toString(${id})`, "n"];
    else [text, kind] = [`toString(${id})`, "x"];
    return `${text} AS ${f}_text, if(${isNull}, 'z', '${kind}') AS ${f}_kind`;
  }).join(", ");
  const src = `SELECT ${c.row !== undefined ? `toInt64(${dialect.ident(c.row)})` : "toInt64(0)"} AS _row, CAST(NULL AS Nullable(String)) AS malformed, ` +
    `CAST(NULL AS Nullable(String)) AS malformed_text, ${fields} FROM ${rel}`;
  const rules: ValidationRules = {
    dateFormat, zone, decimal, itemSeparator: "|", cancellationPrefix: prefix, amountSource: "column",
    has: { orderId: c.orderId !== undefined, cost: false, margin: false, items: false, channel: false, quantity: false, unitPrice: false },
  };
  const checked = validationSql(dialect, rules).replace("FROM src", () => `FROM (${src})`);
  // Renamed once more: ClickHouse resolves aliases everywhere, so no output may reuse an input's name.
  const base = `(SELECT ifNull(reason, '') AS _b_reason, _row AS _b_row, cust AS _b_cust, day AS _b_day, amount AS _b_amount, ` +
    `${rules.has.orderId ? "ord" : "CAST(NULL AS Nullable(String))"} AS _b_ord, cancelled AS _b_cancelled, ` +
    `ifNull(bad_text, '') AS _b_bad_text, ifNull(bad_kind, 'u') AS _b_bad_kind, ifNull(bad_field, 9) AS _b_bad_field FROM (${checked}))`;
  const tx = `(SELECT assumeNotNull(_b_cust) AS cust, assumeNotNull(_b_day) AS day, ` +
    `if(_b_cancelled, -abs(assumeNotNull(_b_amount)), assumeNotNull(_b_amount) + 0) AS amount, _b_ord AS ord, _b_row AS _row, _b_cancelled AS cancelled ` +
    `FROM ${base} WHERE _b_reason = '') AS tx`;
  return { tx, base };
}

/** The in-process reader's date formats. */
const DATE_FORMATS: readonly DateFormat[] = ["auto", "iso", "YYYYMMDD", "DD/MM/YYYY", "MM/DD/YYYY", "epoch-ms", "epoch-s"];

/** `sql` (which reads `tx`) over the source's relation. */
const over = (sql: string, tx: string): string => sql.replace(/\bFROM tx\b/g, () => `FROM ${tx}`);

async function oneRow(fn: string, o: ClickHouseSourceOptions, sql: string): Promise<string[]> {
  let row: string[] | null = null;
  await clickHouseRows(fn, o, sql, (f) => {
    row ??= f;
  });
  if (row === null) throw new AnalyticsError("IO_ERROR", `${fn}: ClickHouse at ${o.url} returned no row for: ${sql.slice(0, 80)}`);
  return row;
}


/** A server a query runs on, with the source's relations there. */
interface Target {
  o: ClickHouseSourceOptions;
  tx: string;
  base: string;
}

/** The servers a query runs on, each with its `tx` relation (columns checked on each). */
async function targets(fn: string, o: ClickHouseSourceOptions): Promise<Target[]> {
  if (o.shards === undefined) return [{ o, ...(await relations(fn, o)) }];
  if (!Array.isArray(o.shards) || o.shards.length === 0) throw new InvalidOptionError(fn, "shards", o.shards, "a non-empty list of the shards' HTTP addresses");
  if (o.table === undefined) throw new InvalidOptionError(fn, "table", o.table, "the local table of every shard (shards need a table, not a query)");
  return Promise.all(o.shards.map(async (url) => {
    const so = { ...o, url };
    return { o: so, ...(await relations(fn, so)) };
  }));
}

/** The last day over all targets (0 when there is no row). */
async function lastDay(fn: string, ts: readonly Target[]): Promise<number> {
  let last: number | null = null;
  for (const t of ts) {
    const [n, d] = await oneRow(fn, t.o, `SELECT count(), max(day) FROM ${t.tx}`);
    if (Number(n) > 0) last = Math.max(last ?? -Infinity, Number(d));
  }
  return last ?? 0;
}

/** Rows of all targets in code-unit order of their ids; a repeated id (a customer on two shards) is an error. */
function order(fn: string, ids: readonly string[], sharded: boolean): Int32Array | null {
  const p = codeUnitOrder(ids);
  if (sharded) {
    const at = (k: number) => ids[p === null ? k : p[k]];
    for (let k = 1; k < ids.length; k++) {
      if (at(k) === at(k - 1)) {
        throw new AnalyticsError("INVALID_OPTION", `${fn}: customer ${JSON.stringify(at(k))} has rows on two shards: the option shards needs a table sharded by the customer id`);
      }
    }
  }
  return p;
}

/**
 * The customer summary (`summarizeCustomersTable`) computed by ClickHouse.
 * @param options - the source ({@link ClickHouseSourceOptions}), `asOf`, `periodDays`.
 * @returns the `CustomerTable` and the summary report, as the in-process path gives them.
 * @throws {@link AnalyticsError} `IO_ERROR` naming the server when it cannot be reached, the table when it does not exist, or ClickHouse's message when a query fails.
 * @throws {@link InvalidOptionError} for a column the source lacks (naming the columns it has), or a bad option.
 * @example
 * ```ts
 * (await summarizeWithClickHouse({ url: "http://127.0.0.1:1", table: "tx", columns: { customerId: "c", date: "d", amount: "a" } }).catch((e) => e)).code;
 * //=> "IO_ERROR"
 * ```
 * @category Engines
 */
export async function summarizeWithClickHouse(options: ClickHouseSummarizeOptions): Promise<{
  /** One row per customer, in code-unit order of the ids, as `summarizeCustomersTable` gives it. */
  customers: CustomerTable;
  /** What was counted: `asOf`, transactions received and used, customers, orders. */
  summary: SummaryReport;
}> {
  const fn = "summarizeWithClickHouse";
  const o = withDefaults(SUMMARIZE_DEFAULTS, options);
  if (!(typeof o.periodDays === "number" && Number.isFinite(o.periodDays) && o.periodDays > 0)) {
    throw new InvalidOptionError(fn, "periodDays", o.periodDays, "a positive number of days");
  }
  const ts = await targets(fn, o);
  const asOf = o.asOf !== undefined ? toEpochDay(o.asOf, fn, "asOf") : await lastDay(fn, ts);
  const ids: string[] = [];
  const cols: number[][] = Array.from({ length: 12 }, () => []);
  // report: customers, without purchase, orders, return-only orders, transactions, used (summed over the shards)
  const rep = [0, 0, 0, 0, 0, 0];
  // The shards answer concurrently (rows are sorted afterwards); each callback adds a whole row.
  await Promise.all(ts.map(async (t) => {
    const agg = `(${over(customerAggregateSql(dialect, asOf, o.columns.orderId !== undefined), t.tx)}) AS a`;
    const counts = [...await oneRow(fn, t.o, customerReportSql(dialect, agg)), ...await oneRow(fn, t.o, `SELECT count(), countIf(day <= ${asOf}) FROM ${t.tx}`)];
    counts.forEach((v, j) => (rep[j] += Number(v)));
    await clickHouseRows(fn, t.o, customerSummarySql(dialect, agg, asOf, o.periodDays), (f) => {
      ids.push(f[0]);
      for (let j = 0; j < 12; j++) cols[j].push(chNumber(f[j + 1]));
    });
  }));
  const [customers, without, orders, returnOnly, transactions, used] = rep;
  const p = order(fn, ids, ts.length > 1);
  const I = (j: number) => permute(Int32Array.from(cols[j]), p);
  const F = (j: number) => permute(Float64Array.from(cols[j]), p);
  const total = F(3);
  const bad = total.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new AnalyticsError("OVERFLOW", `${fn}: the net spend of a customer is beyond the largest double (1.8e308); express the money in a larger unit`);
  return {
    customers: {
      length: ids.length,
      ids: p === null ? ids : Array.from(p, (k) => ids[k]),
      firstPurchase: I(0), lastPurchase: I(1), frequency: I(2), totalSpend: total, averageOrderValue: F(4),
      recencyDays: I(5), tenureDays: I(6), meanGapDays: F(7), sdGapDays: F(8), spendPerPeriod: F(9), returnLines: I(10), returnAmount: F(11),
    },
    summary: {
      asOf: dayToDate(asOf).toISOString().slice(0, 10),
      transactions,
      used,
      excludedAfterAsOf: transactions - used,
      customers,
      customersWithoutPurchase: without,
      orders,
      returnOnlyOrders: returnOnly,
    },
  };
}

/**
 * The calibration summary (`calibrationTable`: x, t_x, T, monetary value) computed by ClickHouse.
 * @param options - the source ({@link ClickHouseSourceOptions}), `calibrationEnd`, `timeUnit`, `groupBy`.
 * @returns the `CalibrationTable`, as the in-process path gives it.
 * @throws {@link AnalyticsError} `IO_ERROR` (server, table, query), {@link InvalidOptionError} (columns, options).
 * @example
 * ```ts
 * (await calibrationWithClickHouse({ url: "ftp://x", table: "tx", columns: { customerId: "c", date: "d", amount: "a" } }).catch((e) => e)).code;
 * //=> "INVALID_OPTION"
 * ```
 * @category Engines
 */
export async function calibrationWithClickHouse(options: ClickHouseCalibrationOptions): Promise<CalibrationTable> {
  const fn = "calibrationWithClickHouse";
  const unit = daysPerUnit(options.timeUnit ?? "weeks");
  const groupBy = options.groupBy ?? "day";
  if (groupBy !== "day" && groupBy !== "order") throw new InvalidOptionError(fn, "groupBy", groupBy, '"day" or "order"');
  const ts = await targets(fn, options);
  const end = options.calibrationEnd !== undefined ? toEpochDay(options.calibrationEnd, fn, "calibrationEnd") : await lastDay(fn, ts);
  const ids: string[] = [];
  const cols: number[][] = Array.from({ length: 5 }, () => []);
  await Promise.all(ts.map(async (t) => {
    await clickHouseRows(fn, t.o, over(calibrationSql(dialect, end, unit, groupBy, options.columns.orderId !== undefined), t.tx), (f) => {
      ids.push(f[0]);
      for (let j = 0; j < 5; j++) cols[j].push(chNumber(f[j + 1]));
    });
  }));
  const p = order(fn, ids, ts.length > 1);
  const F = (j: number) => permute(Float64Array.from(cols[j]), p);
  return {
    length: ids.length,
    ids: p === null ? ids : Array.from(p, (k) => ids[k]),
    x: F(0), t_x: F(1), T: F(2), monetaryValue: F(3),
    firstPurchase: permute(Int32Array.from(cols[4]), p),
  };
}

const INGESTION_DEFAULTS = Object.freeze({ maxExamples: 5 });

/** What a rejected value was expected to be, as the in-process reader says it. */
function expectedOf(reason: string, o: Pick<ClickHouseSourceOptions, "dateFormat" | "decimal">): string {
  switch (reason) {
    case "missing-customerId": return "a non-empty customer id";
    case "missing-date": return "a date";
    case "invalid-date": return `a valid calendar date${dateHint(o.dateFormat ?? "auto")}`;
    case "missing-amount": return "a number";
    case "invalid-amount": return `a finite number (decimal separator "${o.decimal ?? "."}")`;
    default: return "a valid row";
  }
}

/**
 * The ingestion report of a typed ClickHouse source, as `readTransactionTable` accounts for the
 * same rows: rows read, accepted, rejected by reason (an empty or NULL customer id, a NULL date
 * or amount, an amount that is NaN or infinite; ClickHouse checked the types on insert, so no
 * other reason can occur), duplicates (rows equal in customer, day, amount and order id),
 * returns, cancellations (order ids starting with `cancellationPrefix`), zero amounts, date
 * range and customers. The summaries of this module read the accepted rows only. With
 * `shards`, the counts of every shard are added (customers are per shard, as `shards` requires).
 *
 * Examples of rejected rows carry the `row` column as their row number, lowest first; without a
 * `row` column the rows have no number and no examples are kept (the counts are exact).
 * @param options - the source ({@link ClickHouseSourceOptions}).
 * @returns the report (`amountSource` `"column"`; `columns`: the mapping given, without `row`).
 * @throws as {@link summarizeWithClickHouse}.
 * @example
 * ```ts
 * (await clickHouseIngestion({ url: "http://127.0.0.1:1", table: "tx", columns: { customerId: "c", date: "d", amount: "a" } }).catch((e) => e)).code;
 * //=> "IO_ERROR"
 * ```
 * @category Engines
 */
export async function clickHouseIngestion(options: ClickHouseSourceOptions): Promise<IngestionReport> {
  const fn = "clickHouseIngestion";
  const o = withDefaults(INGESTION_DEFAULTS, options);
  if (!(Number.isInteger(o.maxExamples) && o.maxExamples >= 0)) throw new InvalidOptionError(fn, "maxExamples", o.maxExamples, "an integer >= 0");
  const ts = await targets(fn, o);
  const c = o.columns;
  const fieldOf: Record<string, string> = { 0: c.customerId, 1: c.date, 2: c.amount };
  const rejections = new Map<string, { count: number; first: number; examples: RejectedRow[] }>();
  let accepted = 0;
  let customers = 0;
  let returns = 0;
  let zeros = 0;
  let cancellations = 0;
  let duplicates = 0;
  let lo = Infinity;
  let hi = -Infinity;
  const ret = dialect.isReturn("amount");
  await Promise.all(ts.map(async (t) => {
    const [n, u, r, z, k, a, b] = (await oneRow(fn, t.o, `SELECT count(), uniqExact(cust), countIf(${ret}), countIf(amount = 0 AND NOT ${ret}), countIf(cancelled), min(day), max(day) FROM ${t.tx}`)).map(Number);
    accepted += n;
    customers += u;
    returns += r;
    zeros += z;
    cancellations += k;
    if (n > 0) {
      lo = Math.min(lo, a);
      hi = Math.max(hi, b);
    }
    // Rows equal after parsing to an earlier row (a return of no value, -0, is not a 0 sale).
    const dups = Number((await oneRow(fn, t.o, `SELECT count() - uniqExact(cust, day, amount, ${ret}, ifNull(ord, ''), isNull(ord)), 0 FROM ${t.tx}`))[0]);
    duplicates += dups; // (not `duplicates += await ...`: that reads the total before the other shards add theirs)
    await clickHouseRows(fn, t.o, `SELECT _b_reason, count(), min(_b_row) FROM ${t.base} WHERE _b_reason <> '' GROUP BY _b_reason`, (f) => {
      const e = rejections.get(f[0]) ?? { count: 0, first: Infinity, examples: [] };
      e.count += Number(f[1]);
      e.first = Math.min(e.first, Number(f[2]));
      rejections.set(f[0], e);
    });
    if (c.row !== undefined && o.maxExamples > 0) {
      await clickHouseRows(fn, t.o, `SELECT _b_reason, _b_row, _b_bad_field, _b_bad_kind, _b_bad_text FROM ${t.base} WHERE _b_reason <> '' ` +
        `ORDER BY _b_row LIMIT ${o.maxExamples} BY _b_reason`, (f) => {
        const value = f[3] === "z" ? null : f[3] === "u" ? undefined : f[3] === "n" ? chNumber(f[4]) : f[4];
        (rejections.get(f[0]) as { examples: RejectedRow[] }).examples.push({
          row: Number(f[1]), field: fieldOf[f[2]] ?? "*", value, message: `got ${formatValue(value)}, expected ${expectedOf(f[0], o)}`,
        });
      });
    }
  }));
  const rejectedByReason = [...rejections].sort((x, y) => x[1].first - y[1].first).map(([reason, e]) => ({
    reason: reason as RejectReason,
    count: e.count,
    examples: e.examples.sort((x, y) => x.row - y.row).slice(0, o.maxExamples),
  }));
  const rejected = rejectedByReason.reduce((sum, e) => sum + e.count, 0);
  const iso = (d: number) => dayToDate(d).toISOString().slice(0, 10);
  const columns: ColumnMapping = { customerId: c.customerId, date: c.date, amount: c.amount, ...(c.orderId !== undefined ? { orderId: c.orderId } : {}) };
  return {
    rowsRead: accepted + rejected,
    accepted,
    rejected,
    rejectedByReason,
    duplicates,
    returns,
    cancellations,
    amountSource: "column",
    zeroAmounts: zeros,
    columns,
    dateRange: accepted > 0 ? { from: iso(lo), to: iso(hi) } : null,
    customers,
  };
}

/**
 * The calibration summary as ClickHouse SQL text, to be scored inside the server: one row per
 * customer with a purchase by the end, columns `cust`, `x`, `t_x`, `T`, `monetary` and `first`
 * (as {@link calibrationWithClickHouse} reads them). Wrap it with the expressions of
 * `score.ts`: `SELECT cust, <bgNbdPAliveSql(...)> FROM (<this>)`, so no per-customer row leaves
 * the server until the scores do. The source's columns are checked, and the default end is
 * read, when the SQL is built.
 * @param options - as {@link calibrationWithClickHouse} (without `shards`).
 * @returns the SQL text (no FORMAT clause).
 * @throws as {@link calibrationWithClickHouse}.
 * @example
 * ```ts
 * (await clickHouseCalibrationSql({ url: "http://127.0.0.1:1", table: "tx", columns: { customerId: "c", date: "d", amount: "a" } }).catch((e) => e)).code;
 * //=> "IO_ERROR"
 * ```
 * @category Engines
 */
export async function clickHouseCalibrationSql(options: ClickHouseCalibrationOptions): Promise<string> {
  const fn = "clickHouseCalibrationSql";
  const unit = daysPerUnit(options.timeUnit ?? "weeks");
  const groupBy = options.groupBy ?? "day";
  if (groupBy !== "day" && groupBy !== "order") throw new InvalidOptionError(fn, "groupBy", groupBy, '"day" or "order"');
  if (options.shards !== undefined) throw new InvalidOptionError(fn, "shards", options.shards, "no shards: send the SQL to each shard yourself");
  const { tx, base } = await relations(fn, options);
  const end = options.calibrationEnd !== undefined ? toEpochDay(options.calibrationEnd, fn, "calibrationEnd") : await lastDay(fn, [{ o: options, tx, base }]);
  return over(calibrationSql(dialect, end, unit, groupBy, options.columns.orderId !== undefined), tx);
}

/**
 * The `url` and `table` of a `clickhouse://host:port/db.table` source (the CLI's `--source`
 * form): HTTP on that host and port (default 8123), `clickhouses://` for HTTPS (default 8443),
 * user and password from the address's user-info part.
 * @param uri - `clickhouse://[user[:password]@]host[:port]/[db.]table`.
 * @returns the source options without `columns`.
 * @throws {@link InvalidOptionError} for another scheme, no table, or a table name that is not `name` or `db.name`.
 * @example
 * ```ts
 * clickHouseSourceFromUri("clickhouse://127.0.0.1:8123/sales.tx");
 * //=> { url: "http://127.0.0.1:8123/", table: "sales.tx" }
 * ```
 * @category Engines
 */
export function clickHouseSourceFromUri(uri: string): Pick<ClickHouseSourceOptions, "url" | "table" | "user" | "password"> {
  const fn = "clickHouseSourceFromUri";
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new InvalidOptionError(fn, "source", uri, "clickhouse://host:port/db.table");
  }
  const tls = u.protocol === "clickhouses:";
  if (u.protocol !== "clickhouse:" && !tls) throw new InvalidOptionError(fn, "source", uri, "a clickhouse:// or clickhouses:// address");
  const table = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) throw new InvalidOptionError(fn, "source", uri, "a table after the host: clickhouse://host:port/db.table");
  const out: Pick<ClickHouseSourceOptions, "url" | "table" | "user" | "password"> = {
    url: `${tls ? "https" : "http"}://${u.hostname}:${u.port || (tls ? "8443" : "8123")}/`,
    table,
  };
  if (u.username !== "") out.user = decodeURIComponent(u.username);
  if (u.password !== "") out.password = decodeURIComponent(u.password);
  return out;
}

/**
 * Options of {@link openClickHouseSource}: the source of {@link ClickHouseSourceOptions} with
 * the column mapping optional (unset fields are detected from the source's column names with
 * the in-process reader's aliases), and the reader's `mode`.
 * @category Engines
 */
export interface OpenClickHouseSourceOptions extends Omit<ClickHouseSourceOptions, "columns"> {
  /** Column names; unset ones are detected as `readTransactionTable` detects them (`row` is never detected). */
  columns?: Partial<ClickHouseSourceOptions["columns"]>;
  /** `"strict"` (default): a rejected row is an `InvalidRecordError` naming it (its `row` value; 0 without a row column); `"lenient"`: counted in the report. */
  mode?: "strict" | "lenient";
}

/**
 * A ClickHouse source opened once: its column mapping resolved and its ingestion report
 * computed, then summarised any number of times (each call is one query in the server).
 * @category Engines
 */
export interface ClickHouseSource {
  /** Accounting of every row (see {@link clickHouseIngestion}). */
  readonly ingestion: IngestionReport;
  /** The source options with the mapping resolved. */
  readonly options: ClickHouseSourceOptions;
  /** {@link summarizeWithClickHouse} on this source. */
  summarize(options?: Pick<ClickHouseSummarizeOptions, "asOf" | "periodDays">): Promise<{
    /** One row per customer with a purchase (the `summarizeCustomersTable` columns). */
    customers: CustomerTable;
    /** The summary's accounting. */
    summary: SummaryReport;
  }>;
  /** {@link calibrationWithClickHouse} on this source. */
  calibration(options?: Pick<ClickHouseCalibrationOptions, "calibrationEnd" | "timeUnit" | "groupBy">): Promise<CalibrationTable>;
  /** The accepted rows as an in-memory `TransactionTable` (customer, day, amount, order), in `row` order: for sources that fit in memory. */
  table(): Promise<TransactionTable>;
  /** Nothing to release (HTTP); present so that every engine's source closes the same way. */
  close(): void;
}

/**
 * Open a ClickHouse table or query as a transaction source: resolve the column mapping (given,
 * else detected from the column names as the in-process reader does), check the columns,
 * compute the ingestion report, and in strict mode refuse a source with rejected rows.
 * @param options - see {@link OpenClickHouseSourceOptions}.
 * @returns the open source.
 * @throws {@link InvalidRecordError} in strict mode for the first rejected row (lowest `row`).
 * @throws {@link InvalidOptionError} for a column that cannot be found or a bad option.
 * @throws {@link AnalyticsError} `IO_ERROR` for an unreachable server, a missing table or a failing query.
 * @example
 * ```ts
 * (await openClickHouseSource({ url: "http://127.0.0.1:1", table: "tx" }).catch((e) => e)).code;
 * //=> "IO_ERROR"
 * ```
 * @category Engines
 */
export async function openClickHouseSource(options: OpenClickHouseSourceOptions): Promise<ClickHouseSource> {
  const fn = "openClickHouseSource";
  const mode = options.mode ?? "strict";
  if (mode !== "strict" && mode !== "lenient") throw new InvalidOptionError(fn, "mode", mode, '"strict" or "lenient"');
  const given = options.columns ?? {};
  let columns = given as ClickHouseSourceOptions["columns"];
  if (given.customerId === undefined || given.date === undefined || given.amount === undefined) {
    const { names } = await sourceColumns(fn, options);
    const { row, ...rest } = given;
    const m = detectColumns(names, rest as ColumnMapping);
    for (const f of ["customerId", "date", "amount"] as const) {
      if (m[f] === undefined) throw new InvalidOptionError(fn, `columns.${f}`, undefined, `the name of the ${f} column; found columns ${JSON.stringify(names)}`);
    }
    columns = { customerId: m.customerId as string, date: m.date as string, amount: m.amount as string, ...(m.orderId !== undefined ? { orderId: m.orderId } : {}), ...(row !== undefined ? { row } : {}) };
  }
  const { mode: _mode, ...rest } = options;
  const o: ClickHouseSourceOptions = { ...rest, columns };
  const ingestion = await clickHouseIngestion(o);
  if (mode === "strict" && ingestion.rejected > 0) {
    const first = ingestion.rejectedByReason[0];
    const ex = first.examples[0];
    const field = first.reason === "missing-customerId" ? columns.customerId : first.reason === "missing-date" ? columns.date : columns.amount;
    throw new InvalidRecordError(fn, { row: ex?.row ?? 0, field: ex?.field ?? field, value: ex?.value, expected: expectedOf(first.reason, o) });
  }
  return {
    ingestion,
    options: o,
    summarize: (s = {}) => summarizeWithClickHouse({ ...o, ...s }),
    calibration: (c = {}) => calibrationWithClickHouse({ ...o, ...c }),
    table: () => clickHouseTable("openClickHouseSource", o),
    close: () => undefined,
  };
}

/** The accepted rows of a source as a `TransactionTable`, in `row` order (shards merged by row). */
async function clickHouseTable(fn: string, o: ClickHouseSourceOptions): Promise<TransactionTable> {
  const ts = await targets(fn, o);
  const rows: { row: number; cust: string; day: number; amount: number; ord: string | null }[] = [];
  await Promise.all(ts.map((t) => clickHouseRows(fn, t.o, `SELECT _row, cust, day, amount, ifNull(ord, ''), isNull(ord) FROM ${t.tx} ORDER BY _row`, (f) => {
    rows.push({ row: Number(f[0]), cust: f[1], day: Number(f[2]), amount: chNumber(f[3]), ord: f[5] === "1" ? null : f[4] });
  })));
  if (ts.length > 1) rows.sort((a, b) => a.row - b.row);
  const n = rows.length;
  const index = new Map<string, number>();
  const orders = new Map<string, number>();
  const code = (m: Map<string, number>, v: string) => {
    let c = m.get(v);
    if (c === undefined) m.set(v, (c = m.size));
    return c;
  };
  const customer = new Int32Array(n);
  const day = new Int32Array(n);
  const amount = new Float64Array(n);
  const order = new Int32Array(n).fill(-1);
  rows.forEach((r, i) => {
    customer[i] = code(index, r.cust);
    day[i] = r.day;
    amount[i] = r.amount;
    if (r.ord !== null) order[i] = code(orders, r.ord);
  });
  return { length: n, ids: [...index.keys()], index, customer, day, amount, order, orderIds: [...orders.keys()] };
}
