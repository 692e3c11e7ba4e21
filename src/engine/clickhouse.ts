/**
 * The ClickHouse engine: the customer summary and the calibration summary of `sql.ts`, rendered
 * in the ClickHouse dialect and run by a ClickHouse server (a single server or the initiator of
 * a cluster, over a `Distributed` table) through its HTTP interface, with `fetch` (no client
 * library). The result streams back as tab-separated rows into the library's columnar tables.
 *
 * The source is a table or a query with typed columns (ClickHouse checks types on insert), so no
 * text validation runs: the customer id is read as text, the date as a `Date` (a `DateTime` is
 * cut to its day in the server's time zone), the amount as a double.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import type { CalibrationTable, CustomerTable } from "../core/table.js";
import { dayToDate, daysPerUnit, toEpochDay } from "../core/time.js";
import type { DateInput, TimeUnit } from "../core/types.js";
import { withDefaults } from "../core/options.js";
import type { SummaryReport } from "../summary/summarize.js";
import { clickhouse as dialect } from "./dialect.js";
import { calibrationSql, customerAggregateSql, customerReportSql, customerSummarySql } from "./sql.js";

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

/** The relation `tx` of `sql.ts` over the source, after checking the source and its columns. */
async function txRelation(fn: string, o: ClickHouseSourceOptions): Promise<string> {
  if (typeof o.url !== "string" || !/^https?:\/\//.test(o.url)) throw new InvalidOptionError(fn, "url", o.url, 'an http(s) address such as "http://127.0.0.1:8123"');
  if ((o.table === undefined) === (o.query === undefined)) throw new InvalidOptionError(fn, "table", o.table, "exactly one of table and query");
  if (o.table !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(o.table)) {
    throw new InvalidOptionError(fn, "table", o.table, "a table name: name or database.name (letters, digits, _)");
  }
  const c = o.columns ?? ({} as ClickHouseSourceOptions["columns"]);
  for (const f of ["customerId", "date", "amount"] as const) {
    if (typeof c[f] !== "string" || c[f] === "") throw new InvalidOptionError(fn, `columns.${f}`, c[f], "the name of a column of the source");
  }
  const rel = o.table !== undefined ? o.table.split(".").map((p) => dialect.ident(p)).join(".") : `(${o.query})`;
  // The source's column names: the header of an empty result (a missing table fails here).
  let names: string[] | null = null;
  try {
    await clickHouseRows(fn, o, `SELECT * FROM ${rel} LIMIT 0`, (f) => {
      names ??= f;
    }, "TabSeparatedWithNames");
  } catch (e) {
    const msg = (e as Error).message;
    if (o.table !== undefined && /Code: 60\b|doesn't exist/.test(msg)) {
      throw new AnalyticsError("IO_ERROR", `${fn}: table ${o.table} does not exist on ClickHouse at ${o.url}`, { cause: e });
    }
    throw e;
  }
  const have = new Set<string>(names ?? []);
  const mapped = (["customerId", "date", "amount", "orderId", "row"] as const).filter((f) => c[f] !== undefined);
  for (const f of mapped) {
    if (!have.has(c[f] as string)) {
      throw new InvalidOptionError(fn, `columns.${f}`, c[f], `a column of ${o.table ?? "the query"} (it has: ${[...have].join(", ")})`);
    }
  }
  const col = (f: keyof ClickHouseSourceOptions["columns"]) => dialect.ident(c[f] as string);
  // Inner names unlike any source column's, so the outer aliases never shadow one (ClickHouse resolves aliases everywhere).
  const inner = `SELECT ${col("customerId")} AS _ca_cust, ${col("date")} AS _ca_date, ${col("amount")} AS _ca_amount` +
    `${c.orderId !== undefined ? `, ${col("orderId")} AS _ca_ord` : ""}${c.row !== undefined ? `, ${col("row")} AS _ca_row` : ""} FROM ${rel}`;
  return `(SELECT toString(_ca_cust) AS cust, toInt64(toDate(_ca_date)) AS day, toFloat64(_ca_amount) AS amount, ` +
    `${c.orderId !== undefined ? "nullIf(toString(_ca_ord), '')" : "CAST(NULL AS Nullable(String))"} AS ord, ` +
    `${c.row !== undefined ? "toInt64(_ca_row)" : "toInt64(0)"} AS _row FROM (${inner})) AS tx`;
}

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

/** Rows in code-unit order: ClickHouse sorts by bytes (UTF-8), which differs for characters above U+FFFF. */
function codeUnitOrder(ids: readonly string[]): Int32Array | null {
  let sorted = true;
  for (let k = 1; k < ids.length && sorted; k++) if (ids[k - 1] > ids[k]) sorted = false;
  if (sorted) return null;
  return Int32Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
}
function permute<T extends Int32Array | Float64Array>(a: T, p: Int32Array | null): T {
  if (p === null) return a;
  const out = new (a.constructor as new (n: number) => T)(a.length);
  for (let k = 0; k < p.length; k++) out[k] = a[p[k]];
  return out;
}

/** The servers a query runs on, each with its `tx` relation (columns checked on each). */
async function targets(fn: string, o: ClickHouseSourceOptions): Promise<{ o: ClickHouseSourceOptions; tx: string }[]> {
  if (o.shards === undefined) return [{ o, tx: await txRelation(fn, o) }];
  if (!Array.isArray(o.shards) || o.shards.length === 0) throw new InvalidOptionError(fn, "shards", o.shards, "a non-empty list of the shards' HTTP addresses");
  if (o.table === undefined) throw new InvalidOptionError(fn, "table", o.table, "the local table of every shard (shards need a table, not a query)");
  return Promise.all(o.shards.map(async (url) => {
    const so = { ...o, url };
    return { o: so, tx: await txRelation(fn, so) };
  }));
}

/** The last day over all targets (0 when there is no row). */
async function lastDay(fn: string, ts: readonly { o: ClickHouseSourceOptions; tx: string }[]): Promise<number> {
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
  const tx = await txRelation(fn, options);
  const end = options.calibrationEnd !== undefined ? toEpochDay(options.calibrationEnd, fn, "calibrationEnd") : await lastDay(fn, [{ o: options, tx }]);
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
