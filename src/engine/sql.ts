/**
 * The aggregations of the library written once as SQL and rendered for a {@link Dialect}:
 * row validation (the rules of the in-process reader, `src/core/tableIngest.ts`), the customer
 * summary (`summarizeCustomersTable`), the calibration summary (`calibrationTable`) and market
 * baskets (`basketsFromTable`). Each function returns SQL text; nothing here runs a query.
 *
 * Every definition reads one relation and names its columns, so an engine only has to provide
 * the input relation:
 * - validation reads `src`: `_row` (1-based data row number) and, per mapped field `f`,
 *   `f_text` (the raw value as text) and `f_kind` (`'s'` text, `'n'` number, `'x'` another
 *   JSON value, `'u'` absent or null);
 * - the aggregations read `tx`: the accepted rows, `_row`, `cust` (text), `day` (epoch day),
 *   `amount` (double), `ord` (text or NULL), and `items` (a list of text) when mapped.
 * @module
 */
import type { Dialect } from "./dialect.js";
import { JS_SPACE, jsTrimIn } from "./dialect.js";

/** How dates and numbers are read (the subset of `ParseTransactionsOptions` the engines mirror). @internal */
export interface ValidationRules {
  /** `"auto"`, `"iso"` or `"YYYYMMDD"` (the others are refused before SQL is built). */
  dateFormat: "auto" | "iso" | "YYYYMMDD";
  /** Minutes east of UTC of the time zone that instants (timestamps with an offset, epoch numbers) are read in. */
  tzMinutes: number;
  /** Decimal separator. */
  decimal: "." | ",";
  /** Item separator (a literal). */
  itemSeparator: string;
  /** Prefix of the order ids of cancelled invoices (their lines are returns: amount `-|amount|`), or null. */
  cancellationPrefix: string | null;
  /** Which optional fields are mapped. */
  has: { orderId: boolean; cost: boolean; margin: boolean; items: boolean; channel: boolean };
}

/** The fields a source maps, in the order `src` provides them. @internal */
export const ENGINE_FIELDS = ["customerId", "date", "amount", "orderId", "items", "cost", "margin", "channel"] as const;

/** Text without the leading and trailing characters JavaScript's `trim` removes. */
export function jsTrim(d: Dialect, x: string): string {
  return jsTrimIn(d, x);
}

// The number patterns of `parseNumber` (src/core/tableIngest.ts), in RE2 syntax.
const PLAIN_NUMBER = "[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";
const DOT_GROUPED = "[+-]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?";
const COMMA_DECIMAL = "[+-]?([0-9]+|[0-9]{1,3}(\\.[0-9]{3})+)(,[0-9]+)?";
const GROUP = "[ \\x{A0}\\x{2009}\\x{202F}]";
const SPACE_GROUPED_DOT = `[+-]?[0-9]{1,3}(${GROUP}[0-9]{3})+(\\.[0-9]+)?`;
const SPACE_GROUPED_COMMA = `[+-]?[0-9]{1,3}(${GROUP}[0-9]{3})+(,[0-9]+)?`;

/**
 * The value of the trimmed text `s` as `parseNumber` reads it, or NULL when it is not a finite
 * number (`s` must not be empty; emptiness is checked by the caller).
 */
export function numberFromText(d: Dialect, s: string, decimal: "." | ","): string {
  const finite = (x: string) => `CASE WHEN ${d.isFinite(x)} THEN ${x} END`;
  const ungroup = d.replaceAll(s, GROUP, "");
  if (decimal === ".") {
    // The common shape first (a plain number has no space, so the order does not change the result).
    return `CASE WHEN ${d.matches(s, PLAIN_NUMBER)} THEN ${finite(d.toDouble(s))} ` +
      `WHEN ${d.matches(s, `.*[${JS_SPACE}].*`)} THEN (CASE WHEN ${d.matches(s, SPACE_GROUPED_DOT)} THEN ${finite(d.toDouble(ungroup))} END) ` +
      `WHEN ${d.matches(s, DOT_GROUPED)} THEN ${finite(d.toDouble(d.replaceAll(s, ",", "")))} END`;
  }
  const comma = (x: string) => d.toDouble(d.replaceAll(d.replaceAll(x, "\\.", ""), ",", "."));
  return `CASE WHEN ${d.matches(s, COMMA_DECIMAL)} THEN ${finite(comma(s))} ` +
    `WHEN ${d.matches(s, `.*[${JS_SPACE}].*`)} THEN (CASE WHEN ${d.matches(s, SPACE_GROUPED_COMMA)} THEN ${finite(comma(ungroup))} END) END`;
}

/**
 * Epoch day of the proleptic Gregorian date y-m-d (integers, the date known to exist): Howard
 * Hinnant's `days_from_civil`, as `src/core/dates.ts`, in plain arithmetic (any dialect, any year).
 */
function daysFromCivil(d: Dialect, y: string, m: string, day: string): string {
  const yy = `(CASE WHEN ${m} <= 2 THEN ${y} - 1 ELSE ${y} END)`;
  const era = d.floorDiv(yy, "400");
  const yoe = `(${yy} - ${era} * 400)`;
  const doy = `(${d.floorDiv(`153 * (CASE WHEN ${m} > 2 THEN ${m} - 3 ELSE ${m} + 9 END) + 2`, "5")} + ${day} - 1)`;
  const doe = `(${yoe} * 365 + ${d.floorDiv(yoe, "4")} - ${d.floorDiv(yoe, "100")} + ${doy})`;
  return `(${era} * 146097 + ${doe} - 719468)`;
}

/** Days in month m of year y (m in 1..12). */
function daysInMonth(y: string, m: string): string {
  const leap = `((${y}) % 4 = 0 AND ((${y}) % 100 <> 0 OR (${y}) % 400 = 0))`;
  return `(CASE WHEN ${m} = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)`;
}

const ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
const ISO_DATETIME = "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?";
const COMPACT = "[0-9]{8}";

/**
 * Date parsing in two projections over the trimmed text `date_s`: first its shape (0 none,
 * 1 `YYYY-MM-DD`, 2 ISO date-time, 3 `YYYYMMDD`) and its parts as integers ({@link dateParts}),
 * then the epoch day from the parts ({@link dayFromParts}), so each part is cut and cast once.
 */
function dateShape(d: Dialect, s: string, format: ValidationRules["dateFormat"]): string {
  const iso = `(CASE WHEN ${d.matches(s, ISO_DATE)} THEN 1 WHEN ${d.matches(s, ISO_DATETIME)} THEN 2 ELSE 0 END)`;
  const comp = `(CASE WHEN ${d.matches(s, COMPACT)} THEN 3 ELSE 0 END)`;
  if (format === "iso") return iso;
  if (format === "YYYYMMDD") return comp;
  return `(CASE WHEN length(${s}) = 8 THEN ${comp} ELSE ${iso} END)`;
}

/** The integer parts of `date_s` for date-times and `YYYYMMDD` (`date_shape` 2 and 3): y, mo, dd, hh, mi, ss (0 when absent), and the offset text `tz` ('' when none). */
function dateParts(d: Dialect): string[] {
  const part = (isoFrom: number, compFrom: number | null, len: number) =>
    `(CASE WHEN date_shape = 2 THEN ${d.toInt(d.substr("date_s", isoFrom, len))}${compFrom === null ? "" : ` WHEN date_shape = 3 THEN ${d.toInt(d.substr("date_s", compFrom, len))}`} END)`;
  return [
    `${part(1, 1, 4)} AS y`,
    `${part(6, 5, 2)} AS mo`,
    `${part(9, 7, 2)} AS dd`,
    `(CASE WHEN date_shape = 2 THEN ${d.toInt(d.substr("date_s", 12, 2))} END) AS hh`,
    `(CASE WHEN date_shape = 2 THEN ${d.toInt(d.substr("date_s", 15, 2))} END) AS mi`,
    `(CASE WHEN date_shape = 2 THEN COALESCE(${d.toInt(`NULLIF(${d.extract("date_s", "^.{16}:([0-9]{2})", 1)}, '')`)}, 0) END) AS ss`,
    `(CASE WHEN date_shape = 2 THEN ${d.extract("date_s", "(Z|[+-][0-9]{2}:?[0-9]{2})$", 1)} END) AS tz`,
  ];
}

/**
 * Epoch day from the parts, as `makeDayParser` reads them: the date must exist; a date-time
 * needs hour <= 23, minute <= 59, second <= 60 (a leap second is read as second 59); with `Z`
 * or an offset it is an instant, whose day is taken in the reader's time zone.
 */
function dayFromParts(d: Dialect, tzMinutes: number): string {
  const civil = daysFromCivil(d, "y", "mo", "dd");
  const offMinutes = `(CASE WHEN tz = 'Z' THEN 0 ELSE (CASE WHEN ${d.substr("tz", 1, 1)} = '-' THEN -1 ELSE 1 END) * ` +
    `(${d.toInt(d.substr("tz", 2, 2))} * 60 + ${d.toInt(d.substr(d.replaceAll("tz", ":", ""), 4, 2))}) END)`;
  const seconds = `(${civil} * 86400 + hh * 3600 + mi * 60 + LEAST(ss, 59) - ${offMinutes} * 60 + ${tzMinutes * 60})`;
  // Plain ISO dates, the common case, through the engine's own date type (same days, checked in the tests).
  return `(CASE WHEN date_shape = 1 THEN ${d.isoDateDay("date_s")} WHEN date_shape > 1 AND mo BETWEEN 1 AND 12 AND dd >= 1 AND dd <= ${daysInMonth("y", "mo")} THEN ` +
    `(CASE WHEN date_shape <> 2 THEN ${civil} WHEN hh <= 23 AND mi <= 59 AND ss <= 60 THEN ` +
    `(CASE WHEN tz = '' THEN ${civil} ELSE ${d.floorDiv(seconds, "86400")} END) END) END)`;
}

/** The hint of the in-process reader's invalid-date message. */
export function dateHint(format: string): string {
  return format === "auto" ? " (ISO YYYY-MM-DD, YYYYMMDD, epoch ms or a Date; set dateFormat for DD/MM/YYYY)" : ` in format ${format}`;
}

/**
 * The validation query: every row of `src` with its parsed values and, for a rejected row, the
 * reason, the field (0 customer id, 1 date, 2 amount, 5 cost, 6 margin, 9 the whole row) and
 * its raw text and kind. `src` also provides `malformed` (why the row could not be split into
 * fields, or NULL) and `malformed_text` (the row as text). The checks run in the in-process order (customer id, date, amount, cost, margin), so a
 * row with several problems gets the same reason.
 */
export function validationSql(d: Dialect, r: ValidationRules): string {
  const opt = (["cost", "margin"] as const).filter((f) => r.has[f]);
  // Projection 1: trimmed texts and the date's shape. JSON numbers: epoch ms in "auto", digits in "YYYYMMDD".
  const s1 = [
    "*",
    `${jsTrim(d, "customerId_text")} AS cid_s`,
    `${jsTrim(d, "amount_text")} AS amount_s`,
    `(CASE WHEN date_kind = 'n' THEN date_text ELSE ${jsTrim(d, "date_text")} END) AS date_s`,
    ...opt.map((f) => `${jsTrim(d, `${f}_text`)} AS ${f}_s`),
  ];
  const numShape = r.dateFormat === "YYYYMMDD" ? `(CASE WHEN ${d.matches("date_s", COMPACT)} THEN 3 ELSE 0 END)` : "0";
  // Projection 2: the date's parts.
  const s2 = ["*", ...dateParts(d)];
  const shape = `(CASE WHEN date_kind = 's' THEN ${dateShape(d, "date_s", r.dateFormat)} WHEN date_kind = 'n' THEN ${numShape} ELSE 0 END)`;
  const msDay = d.floorDiv(`${d.toDouble("date_text")} + ${r.tzMinutes * 60000}`, "86400000");
  const epochDay = r.dateFormat === "auto"
    ? `(CASE WHEN date_kind = 'n' AND ${d.isFinite(d.toDouble("date_text"))} AND abs(${d.toDouble("date_text")}) <= 8.64e15 THEN ${msDay} END)`
    : "NULL";
  const numberOf = (f: string) => `(CASE WHEN ${f}_kind = 'n' THEN ${d.toDouble(`${f}_text`)} WHEN ${f}_kind = 's' AND ${f}_s <> '' THEN ${numberFromText(d, `${f}_s`, r.decimal)} END)`;
  const present = (f: string) => `(${f}_kind = 'n' OR (${f}_kind = 's' AND ${f}_s <> ''))`;
  // Projection 3: values and the verdict.
  const cols = [
    "_row",
    "malformed",
    "CASE WHEN malformed IS NOT NULL THEN malformed_text END AS malformed_text",
    `(CASE WHEN customerId_kind = 's' THEN cid_s WHEN customerId_kind = 'n' THEN customerId_text ELSE '' END) AS cust`,
    `COALESCE(${epochDay}, ${dayFromParts(d, r.tzMinutes)}) AS day`,
    `${numberOf("amount")} AS amount`,
  ];
  const reasons = [
    `WHEN malformed IS NOT NULL THEN 'malformed-row'`,
    `WHEN cust = '' THEN 'missing-customerId'`,
    `WHEN date_kind = 'u' OR (date_kind = 's' AND date_text = '') THEN 'missing-date'`,
    `WHEN day IS NULL THEN 'invalid-date'`,
    `WHEN amount_kind = 'u' OR (amount_kind = 's' AND amount_s = '') THEN 'missing-amount'`,
    `WHEN amount IS NULL THEN 'invalid-amount'`,
  ];
  const fields = [`WHEN malformed IS NOT NULL THEN 9`, `WHEN cust = '' THEN 0`, `WHEN day IS NULL THEN 1`, `WHEN amount IS NULL THEN 2`];
  for (const f of opt) {
    cols.push(`${numberOf(f)} AS ${f}`);
    reasons.push(`WHEN ${present(f)} AND ${f} IS NULL THEN 'invalid-${f}'`);
    fields.push(`WHEN ${present(f)} AND ${f} IS NULL THEN ${f === "cost" ? 5 : 6}`);
  }
  if (r.has.orderId) cols.push(`(CASE WHEN orderId_kind = 'u' THEN NULL ELSE NULLIF(${jsTrim(d, "orderId_text")}, '') END) AS ord`);
  if (r.has.orderId && r.cancellationPrefix !== null) {
    const p = r.cancellationPrefix;
    // As `cancelledText`: the id starts with the prefix and, when the prefix ends with a letter, the next character is not one.
    const next = /\p{L}$/u.test(p) ? ` AND NOT ${d.matches(d.substr("ord", [...p].length + 1, 1), "\\p{L}")}` : "";
    cols.push(`COALESCE(CASE WHEN ${d.startsWith("ord", p)} THEN TRUE${next} ELSE FALSE END, FALSE) AS cancelled`);
  } else cols.push("FALSE AS cancelled");
  if (r.has.channel) cols.push(`(CASE WHEN channel_kind = 'u' THEN NULL ELSE NULLIF(channel_text, '') END) AS channel`);
  // Items cannot make a text row invalid: kept as text and split only when read (baskets, tables, duplicates).
  if (r.has.items) cols.push("items_text", "items_kind");
  const field = `(CASE ${fields.join(" ")} END)`;
  cols.push(`(CASE ${reasons.join(" ")} END) AS reason`);
  cols.push(`${field} AS bad_field`);
  // The raw value and its kind, kept for rejected rows only (examples and strict-mode errors).
  const byField = (what: "text" | "kind") =>
    `(CASE ${field} WHEN 0 THEN customerId_${what} WHEN 1 THEN date_${what} WHEN 2 THEN amount_${what}` +
    `${r.has.cost ? ` WHEN 5 THEN cost_${what}` : ""}${r.has.margin ? ` WHEN 6 THEN margin_${what}` : ""} END)`;
  cols.push(`${byField("text")} AS bad_text`, `${byField("kind")} AS bad_kind`);
  const s0 = `(SELECT ${s1.join(", ")} FROM src) AS s0`;
  return `SELECT ${cols.join(",\n  ")}\nFROM (SELECT ${s2.join(", ")} FROM (SELECT *, ${shape} AS date_shape FROM ${s0}) AS s1) AS s2`;
}

/** The items of a row of the validated table, as a list of trimmed non-empty labels (text split at the separator; a JSON number is one item). */
export function itemsSql(d: Dialect, separator: string): string {
  return `(CASE WHEN items_kind = 's' THEN ${d.splitItems("items_text", separator)} WHEN items_kind = 'n' THEN ${d.textList("items_text")} ELSE ${d.emptyTextList} END)`;
}

/**
 * The order key of a transaction line, as `collectOrders` groups them: its order id, or, for
 * lines without one, the customer's day (`byDay` forces the day, as `calibrationTable`'s
 * default `groupBy: "day"`).
 */
function orderKey(hasOrder: boolean, byDay: boolean): string {
  return hasOrder && !byDay ? "cust, ord, CASE WHEN ord IS NULL THEN day END" : "cust, day";
}

/**
 * The orders of each customer up to `end`: day (earliest line), net amount, whether it is a
 * purchase (a line >= 0), first source row, return lines and return amount.
 */
function ordersSql(d: Dialect, end: number, hasOrder: boolean, byDay: boolean): string {
  // Output names never repeat an input column's name: ClickHouse resolves aliases everywhere in a query.
  return `SELECT cust, min(day) AS o_day, sum(amount) AS net, max(CASE WHEN amount >= 0 THEN 1 ELSE 0 END) AS purchase, min(_row) AS first_row,\n` +
    `  ${d.aggIf("count", "*", "amount < 0")} AS o_ret_lines, COALESCE(${d.aggIf("sum", "-amount", "amount < 0")}, 0.0) AS o_ret_amount\n` +
    `FROM tx WHERE day <= ${end} GROUP BY ${orderKey(hasOrder, byDay)}`;
}

/**
 * Per customer up to `asOf` (every customer with a line, purchases or not): the columns the
 * customer summary and its report need. Rendered into a temporary table `cust_orders`.
 */
export function customerAggregateSql(d: Dialect, asOf: number, hasOrder: boolean): string {
  // Subqueries rather than WITH: ClickHouse 18.16's WITH takes expressions only.
  return `SELECT cust, sum(net) AS total, ${d.aggIf("count", "*", "purchase = 1")} AS freq, ${d.aggIf("count", "*", "purchase = 0")} AS return_only,\n` +
    `  ${d.aggIf("min", "o_day", "purchase = 1")} AS first, ${d.aggIf("max", "o_day", "purchase = 1")} AS last,\n` +
    `  sum(o_ret_lines) AS ret_lines, sum(o_ret_amount) AS ret_amount, ${d.aggList("o_day", "purchase = 1")} AS days\n` +
    `FROM (${ordersSql(d, asOf, hasOrder, false)}) AS o GROUP BY cust`;
}

/**
 * The customer summary, one row per customer with a purchase, sorted by id, from
 * {@link customerAggregateSql}'s table: the fields of `CustomerTable` with the formulas of
 * `summarizeCustomersTable`.
 */
export function customerSummarySql(d: Dialect, table: string, asOf: number, periodDays: number): string {
  const mean = `(${d.float("last - first")} / (freq - 1))`;
  return `SELECT cust, first, last, freq, total, total / freq AS aov, ${asOf} - last AS recency, ${asOf} - first AS tenure,\n` +
    `  CASE WHEN freq >= 2 THEN ${mean} ELSE ${d.nan} END AS mean_gap,\n` +
    `  CASE WHEN freq >= 3 THEN sqrt(${d.gapSumSquares("days", mean)} / (freq - 2)) ELSE ${d.nan} END AS sd_gap,\n` +
    `  total / greatest(1.0, ${d.float(`${asOf} - first`)} / ${periodDays}) AS spend_per_period, ret_lines, ret_amount\n` +
    `FROM ${table} WHERE freq > 0 ORDER BY cust`;
}

/** The summary report's counts from {@link customerAggregateSql}'s table. */
export function customerReportSql(d: Dialect, table: string): string {
  return `SELECT ${d.aggIf("count", "*", "freq > 0")} AS customers, ${d.aggIf("count", "*", "freq = 0")} AS without_purchase,\n` +
    `  COALESCE(sum(freq), 0) AS orders, COALESCE(sum(return_only), 0) AS return_only FROM ${table}`;
}

/**
 * The calibration summary (`calibrationTable`): per customer with a purchase by `end`, sorted by
 * id: x, t_x, T, monetary value (mean net of the purchases after the first, in day then
 * first-row order), first purchase day.
 */
export function calibrationSql(d: Dialect, end: number, unitDays: number, groupBy: "day" | "order", hasOrder: boolean): string {
  const c = `SELECT cust, ${d.aggIf("count", "*", "purchase = 1")} AS n, ${d.aggIf("min", "o_day", "purchase = 1")} AS first,\n` +
    `  ${d.aggIf("max", "o_day", "purchase = 1")} AS last, ${d.aggSortedList("net", ["o_day", "first_row"], "purchase = 1")} AS nets\n` +
    `FROM (${ordersSql(d, end, hasOrder, groupBy === "day")}) AS p GROUP BY cust`;
  return `SELECT cust, n - 1 AS x, ${d.float("last - first")} / ${unitDays} AS t_x, ${d.float(`${end} - first`)} / ${unitDays} AS T,\n` +
    `  CASE WHEN n > 1 THEN ${d.sumTail("nets")} / (n - 1) ELSE 0.0 END AS monetary, first\n` +
    `FROM (${c}) AS c WHERE n > 0 ORDER BY cust`;
}

/**
 * Market baskets as `basketsFromTable` builds them: kept lines (returns only with
 * `includeReturns`) grouped by order (else customer-day) or by customer; baskets in order of
 * their first line; per basket its id and its distinct items. Items are numbered by the caller
 * (labels sorted in code-unit order, as `BasketBuilder`).
 */
export function basketsSql(d: Dialect, by: "order" | "customer", includeReturns: boolean, hasOrder: boolean): string {
  const keep = includeReturns ? "TRUE" : "amount >= 0";
  const key = by === "customer" ? "cust" : hasOrder ? "ord, CASE WHEN ord IS NULL THEN cust END, CASE WHEN ord IS NULL THEN day END" : "cust, day";
  const name = by === "customer" ? "cust" : hasOrder ? `COALESCE(ord, ${d.concat("cust", "'|'", d.isoDay("day"))})` : d.concat("cust", "'|'", d.isoDay("day"));
  return `SELECT min(_row) AS first_row, min(${name}) AS name, ${d.aggUnionDistinct("items")} AS items FROM tx WHERE ${keep} GROUP BY ${key}`;
}

