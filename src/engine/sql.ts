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
 *   JSON value, `'z'` a JSON null, `'u'` absent; for a date also `'d'` a typed calendar date
 *   given as its epoch day and `'i'` a typed instant given as epoch ms);
 * - the aggregations read `tx`: the accepted rows, `_row`, `cust` (text), `day` (epoch day),
 *   `amount` (double), `ord` (text or NULL), and `items` (a list of text) when mapped.
 * @module
 */
import type { DateFormat } from "../core/dates.js";
import type { Dialect } from "./dialect.js";
import { JS_SPACE, jsTrimIn, num } from "./dialect.js";

/**
 * The time zone in which instants (timestamps with an offset, epoch numbers) become days: a
 * fixed offset, or an IANA zone as its UTC offsets between transitions (computed in JavaScript
 * with `Intl`, the in-process reader's source of truth). @internal
 */
export type ZoneRule =
  | { readonly offsetMinutes: number }
  | {
    /** Instants (epoch ms, increasing) at which the offset changes. */
    readonly transitions: readonly number[];
    /** Offset in ms before the first transition, then after each (one more than `transitions`). */
    readonly offsets: readonly number[];
  };

/** How dates and numbers are read (the subset of `ParseTransactionsOptions` the engines mirror). @internal */
export interface ValidationRules {
  /** The in-process reader's date format. */
  dateFormat: DateFormat;
  /** The time zone of instants. */
  zone: ZoneRule;
  /** Decimal separator. */
  decimal: "." | ",";
  /** Item separator (a literal). */
  itemSeparator: string;
  /** Prefix of the order ids of cancelled invoices (their lines are returns: amount `-|amount|`), or null. */
  cancellationPrefix: string | null;
  /** Where amounts come from: an amount column, quantity × unit price, or nowhere (every amount 0). */
  amountSource: "column" | "quantity-x-price" | "none";
  /** Which optional fields are mapped. */
  has: { orderId: boolean; cost: boolean; margin: boolean; items: boolean; channel: boolean; quantity: boolean; unitPrice: boolean };
}

/** The fields a source maps, in the order `src` provides them. @internal */
export const ENGINE_FIELDS = ["customerId", "date", "amount", "orderId", "items", "cost", "margin", "channel", "quantity", "unitPrice", "itemLabel"] as const;

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
/** `DD/MM/YYYY` and `MM/DD/YYYY` (`/`, `.` or `-`; an optional time after a space or `T`, ignored; `.` stops at JavaScript's line terminators). */
const SLASHED = "([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})([ T][^\\n\\r\\x{2028}\\x{2029}]*)?";
/** An epoch number as text (`epoch-ms`, `epoch-s`). */
const NUMERIC = "[+-]?[0-9]+(\\.[0-9]+)?";
/** The largest instant a `Date` holds (ms), and the largest |epoch day| whose midnight it holds. */
const MAX_INSTANT_MS = 8.64e15;
const MAX_DAY = 1e8;

/**
 * The shape of the date (`date_shape`): 0 none, 1 `YYYY-MM-DD`, 2 ISO date-time, 3 `YYYYMMDD`,
 * 4 slashed day and month, 5 an epoch number (text or JSON number, scaled by the format), 6 a
 * JSON number read as epoch ms in `"auto"`. Chosen per format as `makeDayParser` does.
 */
function dateShape(d: Dialect, format: DateFormat): string {
  const s = "date_s";
  const iso = `(CASE WHEN ${d.matches(s, ISO_DATE)} THEN 1 WHEN ${d.matches(s, ISO_DATETIME)} THEN 2 ELSE 0 END)`;
  const comp = `(CASE WHEN ${d.matches(s, COMPACT)} THEN 3 ELSE 0 END)`;
  let text: string;
  let number = "0";
  switch (format) {
    case "iso": text = iso; break;
    case "YYYYMMDD": text = comp; number = comp; break;
    case "DD/MM/YYYY": case "MM/DD/YYYY": text = `(CASE WHEN ${d.matches(s, SLASHED)} THEN 4 ELSE 0 END)`; break;
    case "epoch-ms": case "epoch-s": text = `(CASE WHEN ${d.matches(s, NUMERIC)} THEN 5 ELSE 0 END)`; number = "5"; break;
    default: text = `(CASE WHEN length(${s}) = 8 THEN ${comp} ELSE ${iso} END)`; number = "6";
  }
  // A typed calendar date ('d', an epoch day) and an instant ('i', epoch ms) are dates in every format.
  return `(CASE WHEN date_kind = 's' THEN ${text} WHEN date_kind = 'n' THEN ${number} WHEN date_kind = 'd' THEN 7 WHEN date_kind = 'i' THEN 8 ELSE 0 END)`;
}

/** The integer parts of `date_s` for shapes 2, 3 and 4: y, mo, dd, hh, mi, ss (0 when absent), and the offset text `tz` ('' when none). */
function dateParts(d: Dialect, format: DateFormat): string[] {
  const slashed = (group: number) => d.toInt(`nullIf(${d.extract("date_s", `^${SLASHED}$`, group)}, '')`);
  const part = (isoFrom: number, compFrom: number, len: number, slashGroup: number) =>
    `(CASE WHEN date_shape ${d.isoDateDay ? "= 2" : "IN (1, 2)"} THEN ${d.toInt(d.substr("date_s", isoFrom, len))} WHEN date_shape = 3 THEN ${d.toInt(d.substr("date_s", compFrom, len))}` +
    `${format === "DD/MM/YYYY" || format === "MM/DD/YYYY" ? ` WHEN date_shape = 4 THEN ${slashed(slashGroup)}` : ""} END)`;
  const dayFirst = format === "DD/MM/YYYY";
  return [
    `${part(1, 1, 4, 3)} AS y`,
    `${part(6, 5, 2, dayFirst ? 2 : 1)} AS mo`,
    `${part(9, 7, 2, dayFirst ? 1 : 2)} AS dd`,
    `(CASE WHEN date_shape = 2 THEN ${d.toInt(d.substr("date_s", 12, 2))} END) AS hh`,
    `(CASE WHEN date_shape = 2 THEN ${d.toInt(d.substr("date_s", 15, 2))} END) AS mi`,
    `(CASE WHEN date_shape = 2 THEN COALESCE(${d.toInt(`nullIf(${d.extract("date_s", "^.{16}:([0-9]{2})", 1)}, '')`)}, 0) END) AS ss`,
    `(CASE WHEN date_shape = 2 THEN ${d.extract("date_s", "(Z|[+-][0-9]{2}:?[0-9]{2})$", 1)} END) AS tz`,
  ];
}

/**
 * From the parts: `civ`, the calendar day a plain date (or a date-time without offset) names,
 * and `inst`, the instant (epoch ms, a double) of a date-time with an offset or an epoch
 * number. The date must exist; a date-time needs hour <= 23, minute <= 59, second <= 60 (a leap
 * second is read as second 59).
 */
function civilAndInstant(d: Dialect, format: DateFormat): string[] {
  const civil = daysFromCivil(d, "y", "mo", "dd");
  const valid = `mo BETWEEN 1 AND 12 AND dd >= 1 AND dd <= ${daysInMonth("y", "mo")}`;
  const offMinutes = `(CASE WHEN tz = 'Z' THEN 0 ELSE (CASE WHEN ${d.substr("tz", 1, 1)} = '-' THEN -1 ELSE 1 END) * ` +
    `(${d.toInt(d.substr("tz", 2, 2))} * 60 + ${d.toInt(d.substr(d.replaceAll("tz", ":", ""), 4, 2))}) END)`;
  const seconds = `(${civil} * 86400 + hh * 3600 + mi * 60 + least(ss, 59) - ${offMinutes} * 60)`;
  const timeOk = "hh <= 23 AND mi <= 59 AND ss <= 60";
  // Plain ISO dates, the common case, through the engine's own date type (same days, checked in the tests).
  const civ = `(CASE WHEN date_shape = 1 THEN ${d.isoDateDay ? d.isoDateDay("date_s") : `(CASE WHEN ${valid} THEN ${civil} END)`} WHEN date_shape = 7 THEN ${d.toInt("date_text")} WHEN date_shape IN (3, 4) AND ${valid} THEN ${civil} ` +
    `WHEN date_shape = 2 AND tz = '' AND ${valid} AND ${timeOk} THEN ${civil} END) AS civ`;
  const scale = format === "epoch-s" ? " * 1000.0" : "";
  const inst = `(CASE WHEN date_shape = 2 AND tz <> '' AND ${valid} AND ${timeOk} THEN ${d.float(seconds)} * 1000.0 ` +
    `WHEN date_shape = 5 THEN ${d.toDouble("date_s")}${scale} WHEN date_shape IN (6, 8) THEN ${d.toDouble("date_text")} END) AS inst`;
  return [civ, inst];
}

/** The offset (ms) of the zone at the instant `ms` (a column): a constant, or a search over the transitions. */
export function zoneOffsetSql(zone: ZoneRule, ms: string): string {
  if ("offsetMinutes" in zone) return num(zone.offsetMinutes * 60_000);
  const { transitions: t, offsets: o } = zone;
  // offsets[j] holds on [t[j-1], t[j]): a balanced tree of comparisons (depth log2 of the count).
  const tree = (lo: number, hi: number): string => {
    if (lo === hi) return num(o[lo]);
    const mid = (lo + hi + 1) >> 1;
    return `(CASE WHEN ${ms} < ${num(t[mid - 1])} THEN ${tree(lo, mid - 1)} ELSE ${tree(mid, hi)} END)`;
  };
  return tree(0, o.length - 1);
}

/** The hint of the in-process reader's invalid-date message. */
export function dateHint(format: string): string {
  return format === "auto" ? " (ISO YYYY-MM-DD, YYYYMMDD, epoch ms or a Date; set dateFormat for DD/MM/YYYY)" : ` in format ${format}`;
}

/** `Math.round(x)` for x >= 0 (ties up), exactly: floor, plus one when the exact remainder is at least 1/2. */
function mathRound(x: string): string {
  return `(CASE WHEN (${x}) - floor(${x}) >= 0.5 THEN floor(${x}) + 1.0 ELSE floor(${x}) END)`;
}

/**
 * `lineAmount(q, p)` of `src/core/tableIngest.ts`: q × p rounded to 8 decimals below 9e7 in
 * magnitude (0 for a -0 product), NULL when the product is not finite.
 */
function lineAmountSql(d: Dialect, q: string, p: string): string {
  const a = `(${q} * ${p})`;
  const r = `(${mathRound(`abs${a} * ${num(1e8)}`)} / ${num(1e8)})`;
  return `(CASE WHEN NOT ${d.isFinite(a)} THEN NULL WHEN abs${a} >= ${num(9e7)} THEN ${a} WHEN ${a} < 0 THEN -${r} ELSE ${r} END)`;
}

/**
 * The validation query: every row of `src` with its parsed values and, for a rejected row, the
 * reason, the field (0 customer id, 1 date, 2 amount, 5 cost, 6 margin, 10 quantity, 11 unit
 * price, 9 the whole row) and its raw text and kind. `src` also provides `malformed` (why the
 * row could not be split into fields, or NULL) and `malformed_text` (the row as text). The
 * checks run in the in-process order (customer id, date, amount or its parts, cost, margin), so
 * a row with several problems gets the same reason. `neg_qty` marks lines whose quantity is
 * negative (returns); `bad_price_text`/`bad_price_kind` hold the unit price of a row rejected
 * because the product overflowed (for its message).
 */
export function validationSql(d: Dialect, r: ValidationRules): string {
  const opt = (["cost", "margin"] as const).filter((f) => r.has[f]);
  const qty = r.amountSource !== "column" && r.has.quantity;
  const price = r.amountSource === "quantity-x-price";
  const nums = [...(r.amountSource === "column" ? ["amount"] : []), ...(qty ? ["quantity"] : []), ...(price ? ["unitPrice"] : []), ...opt];
  // Projection 1: trimmed texts (a JSON number's date stays as written).
  const s1 = [
    "*",
    `${jsTrim(d, "customerId_text")} AS cid_s`,
    `(CASE WHEN date_kind = 'n' THEN date_text ELSE ${jsTrim(d, "date_text")} END) AS date_s`,
    ...nums.map((f) => `${jsTrim(d, `${f}_text`)} AS ${f}_s`),
  ];
  const numberOf = (f: string) => `(CASE WHEN ${f}_kind = 'n' THEN ${d.toDouble(`${f}_text`)} WHEN ${f}_kind = 's' AND ${f}_s <> '' THEN ${numberFromText(d, `${f}_s`, r.decimal)} END)`;
  const present = (f: string) => `(${f}_kind = 'n' OR (${f}_kind = 's' AND ${f}_s <> ''))`;
  // Projection 4: values and the verdict.
  const localDay = d.floorDiv(`inst + ${zoneOffsetSql(r.zone, "inst")}`, "86400000");
  const cols = [
    "_row",
    "malformed",
    "CASE WHEN malformed IS NOT NULL THEN malformed_text END AS malformed_text",
    `(CASE WHEN customerId_kind = 's' THEN cid_s WHEN customerId_kind = 'n' THEN customerId_text ELSE '' END) AS cust`,
    // An instant makes a day only when a Date holds it, and only a day whose midnight a Date holds.
    `(CASE WHEN inst IS NULL THEN civ WHEN ${d.isFinite("inst")} AND abs(inst) <= ${num(MAX_INSTANT_MS)} THEN ` +
      `(CASE WHEN abs(${localDay}) <= ${MAX_DAY} THEN ${localDay} END) END) AS day`,
  ];
  const reasons = [
    `WHEN malformed IS NOT NULL THEN 'malformed-row'`,
    `WHEN cust = '' THEN 'missing-customerId'`,
    `WHEN date_kind IN ('u', 'z') OR (date_kind = 's' AND date_text = '') THEN 'missing-date'`,
    `WHEN day IS NULL THEN 'invalid-date'`,
  ];
  const fields = [`WHEN malformed IS NOT NULL THEN 9`, `WHEN cust = '' THEN 0`, `WHEN day IS NULL THEN 1`];
  if (r.amountSource === "column") {
    cols.push(`${numberOf("amount")} AS amount`, "(1 = 0) AS neg_qty");
    reasons.push(
      `WHEN amount_kind IN ('u', 'z') OR (amount_kind = 's' AND amount_s = '') THEN 'missing-amount'`,
      `WHEN amount IS NULL THEN 'invalid-amount'`,
    );
    fields.push(`WHEN amount IS NULL THEN 2`);
  } else {
    if (qty) {
      cols.push(`${numberOf("quantity")} AS quantity`, "COALESCE(quantity < 0, 1 = 0) AS neg_qty");
      reasons.push(`WHEN ${present("quantity")} AND quantity IS NULL THEN 'invalid-quantity'`);
      fields.push(`WHEN ${present("quantity")} AND quantity IS NULL THEN 10`);
    } else cols.push("(1 = 0) AS neg_qty");
    if (price) {
      cols.push(`${numberOf("unitPrice")} AS unit_price`, `${lineAmountSql(d, "quantity", "unit_price")} AS amount`);
      reasons.push(
        `WHEN NOT ${present("quantity")} THEN 'missing-quantity'`,
        `WHEN NOT ${present("unitPrice")} THEN 'missing-unitPrice'`,
        `WHEN unit_price IS NULL THEN 'invalid-unitPrice'`,
        `WHEN amount IS NULL THEN 'invalid-quantity'`,
      );
      fields.push(`WHEN NOT ${present("quantity")} THEN 10`, `WHEN unit_price IS NULL THEN 11`, `WHEN amount IS NULL THEN 10`);
      cols.push(`(CASE WHEN amount IS NULL AND quantity IS NOT NULL AND unit_price IS NOT NULL THEN unitPrice_text END) AS bad_price_text`, `unitPrice_kind AS bad_price_kind`);
    } else cols.push(`${d.float("0")} AS amount`);
  }
  for (const f of opt) {
    cols.push(`${numberOf(f)} AS ${f}`);
    reasons.push(`WHEN ${present(f)} AND ${f} IS NULL THEN 'invalid-${f}'`);
    fields.push(`WHEN ${present(f)} AND ${f} IS NULL THEN ${f === "cost" ? 5 : 6}`);
  }
  if (r.has.items) {
    // Items as another JSON value (an object, a boolean, an array holding one): the reader's invalid-items.
    reasons.push(`WHEN items_kind = 'x' THEN 'invalid-items'`);
    fields.push(`WHEN items_kind = 'x' THEN 4`);
  }
  if (r.has.orderId) cols.push(`(CASE WHEN orderId_kind IN ('u', 'z') THEN NULL ELSE nullIf(${jsTrim(d, "orderId_text")}, '') END) AS ord`);
  cols.push(`${cancelledSql(d, "ord", r.has.orderId ? r.cancellationPrefix : null)} AS cancelled`);
  if (r.has.channel) cols.push(`(CASE WHEN channel_kind IN ('u', 'z') THEN NULL ELSE nullIf(channel_text, '') END) AS channel`);
  // Items cannot make a text row invalid: kept as text and split only when read (baskets, tables, duplicates).
  if (r.has.items) cols.push("items_text", "items_kind");
  const field = `(CASE ${fields.join(" ")} END)`;
  cols.push(`(CASE ${reasons.join(" ")} END) AS reason`);
  cols.push(`${field} AS bad_field`);
  // The raw value and its kind, kept for rejected rows only (examples and strict-mode errors).
  // Searched CASE (ClickHouse 18.16 gets `CASE x WHEN` wrong); `bad_field` is the alias above.
  const byField = (what: "text" | "kind") =>
    `(CASE WHEN bad_field = 0 THEN customerId_${what} WHEN bad_field = 1 THEN date_${what}${r.amountSource === "column" ? ` WHEN bad_field = 2 THEN amount_${what}` : ""}` +
    `${r.has.cost ? ` WHEN bad_field = 5 THEN cost_${what}` : ""}${r.has.margin ? ` WHEN bad_field = 6 THEN margin_${what}` : ""}` +
    `${qty ? ` WHEN bad_field = 10 THEN quantity_${what}` : ""}${price ? ` WHEN bad_field = 11 THEN unitPrice_${what}` : ""}` +
    `${r.has.items ? ` WHEN bad_field = 4 THEN items_${what}` : ""} END)`;
  cols.push(`${byField("text")} AS bad_text`, `${byField("kind")} AS bad_kind`);
  const s0 = `(SELECT ${s1.join(", ")} FROM src) AS s0`;
  const s1q = `(SELECT *, ${dateShape(d, r.dateFormat)} AS date_shape FROM ${s0}) AS s1`;
  const s2q = `(SELECT *, ${dateParts(d, r.dateFormat).join(", ")} FROM ${s1q}) AS s2`;
  const s3q = `(SELECT *, ${civilAndInstant(d, r.dateFormat).join(", ")} FROM ${s2q}) AS s3`;
  return `SELECT ${cols.join(",\n  ")}\nFROM ${s3q}`;
}

/**
 * Is the trimmed order id `ord` (NULL: none) that of a cancelled invoice, as `cancelledText`: it
 * starts with the prefix, is longer than it and, when the prefix ends with a letter, the next
 * character is not a letter. FALSE without a prefix.
 */
export function cancelledSql(d: Dialect, ord: string, prefix: string | null): string {
  // (1 = 0) rather than FALSE: ClickHouse 18.16 has no boolean literals.
  if (prefix === null) return "(1 = 0)";
  const next = /\p{L}$/u.test(prefix) ? ` AND NOT ${d.matches(d.substr(ord, [...prefix].length + 1, 1), "\\p{L}")}` : "";
  return `COALESCE(${d.startsWith(ord, prefix)} AND ${ord} <> ${d.str(prefix)}${next}, 1 = 0)`;
}

/** The items of a row of the validated table, as a list of trimmed non-empty labels (text split at the separator; a JSON number is one item). */
export function itemsSql(d: Dialect, separator: string): string {
  const arrays = d.jsonItems ? ` WHEN items_kind = 'a' THEN ${d.jsonItems("items_text")}` : "";
  return `(CASE WHEN items_kind = 's' THEN ${d.splitItems("items_text", separator)} WHEN items_kind = 'n' THEN ${d.textList("items_text")}${arrays} ELSE ${d.emptyTextList} END)`;
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
  return `SELECT cust, min(day) AS o_day, sum(amount) AS net, max(CASE WHEN ${d.isReturn("amount")} THEN 0 ELSE 1 END) AS purchase, min(_row) AS first_row,\n` +
    `  ${d.aggIf("count", "*", d.isReturn("amount"))} AS o_ret_lines, COALESCE(${d.aggIf("sum", "-amount", d.isReturn("amount"))}, 0.0) AS o_ret_amount\n` +
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
    `  sum(o_ret_lines) AS ret_lines, sum(o_ret_amount) AS ret_amount, ${d.gapAggregate}\n` +
    `FROM (${d.withPurchaseGaps(ordersSql(d, asOf, hasOrder, false))}) AS o GROUP BY cust`;
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
    `  CASE WHEN freq >= 3 THEN sqrt(${d.gapVariance("freq", "first", "last", mean)}) ELSE ${d.nan} END AS sd_gap,\n` +
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
    `  ${d.aggIf("max", "o_day", "purchase = 1")} AS last, ${d.repeatSpendAggregate}\n` +
    `FROM (${ordersSql(d, end, hasOrder, groupBy === "day")}) AS p GROUP BY cust`;
  return `SELECT cust, n - 1 AS x, ${d.float("last - first")} / ${unitDays} AS t_x, ${d.float(`${end} - first`)} / ${unitDays} AS T,\n` +
    `  CASE WHEN n > 1 THEN ${d.repeatSpendMean("n")} ELSE 0.0 END AS monetary, first\n` +
    `FROM (${c}) AS c WHERE n > 0 ORDER BY cust`;
}

/**
 * Market baskets as `basketsFromTable` builds them: kept lines (returns only with
 * `includeReturns`) grouped by order (else customer-day) or by customer; baskets in order of
 * their first line; per basket its id and its distinct items. Items are numbered by the caller
 * (labels sorted in code-unit order, as `BasketBuilder`).
 */
export function basketsSql(d: Dialect, by: "order" | "customer", includeReturns: boolean, hasOrder: boolean): string {
  const keep = includeReturns ? "TRUE" : `NOT ${d.isReturn("amount")}`;
  const key = by === "customer" ? "cust" : hasOrder ? "ord, CASE WHEN ord IS NULL THEN cust END, CASE WHEN ord IS NULL THEN day END" : "cust, day";
  const name = by === "customer" ? "cust" : hasOrder ? `COALESCE(ord, ${d.concat("cust", "'|'", d.isoDay("day"))})` : d.concat("cust", "'|'", d.isoDay("day"));
  return `SELECT min(_row) AS first_row, min(${name}) AS name, ${d.aggUnionDistinct("items")} AS items FROM tx WHERE ${keep} GROUP BY ${key}`;
}


/** Epoch day of a proleptic Gregorian date (as `src/core/dates.ts`). */
function civilDayJs(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

const WEEK_MS = 7 * 86_400_000;
/** The range sampled for an IANA zone's transitions by default: 1800-01-01 to 2200-01-01 (UTC). */
export const ZONE_RANGE: readonly [number, number] = [Date.UTC(1800, 0, 1), Date.UTC(2200, 0, 1)];
const zoneCache = new Map<string, ZoneRule>();

/**
 * The {@link ZoneRule} of a time zone as the in-process reader reads it (`instantToDay`):
 * `"UTC"`, `"Z"`, a fixed offset `+05:30` / `-0800`, or an IANA name, whose UTC offsets `Intl`
 * gives (the same source as in process). An IANA zone is sampled weekly over `range` (epoch ms;
 * default 1800 to 2200) and each change of offset is located to the second by bisection; before
 * the range the first offset holds, after it the last. Null for an unknown zone. @internal
 */
export function zoneRule(timeZone: string, range: readonly [number, number] = ZONE_RANGE): ZoneRule | null {
  if (timeZone === "UTC" || timeZone === "Z" || timeZone === "+00:00") return { offsetMinutes: 0 };
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(timeZone);
  if (fixed) return { offsetMinutes: (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3])) };
  const key = `${timeZone}|${range[0]}|${range[1]}`;
  const hit = zoneCache.get(key);
  if (hit) return hit;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", era: "short", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
    });
  } catch {
    return null;
  }
  // The wall-clock time minus the instant (both to the second): the zone's offset at `ms`.
  const offset = (ms: number): number => {
    const m = /^(\d+)\/(\d+)\/(\d+) (AD|BC), (\d+):(\d+):(\d+)$/.exec(fmt.format(ms));
    if (!m) throw new Error(`zoneRule: unexpected Intl output ${fmt.format(ms)}`);
    const y = m[4] === "BC" ? 1 - Number(m[3]) : Number(m[3]);
    const wall = civilDayJs(y, Number(m[1]), Number(m[2])) * 86_400_000 + Number(m[5]) * 3_600_000 + Number(m[6]) * 60_000 + Number(m[7]) * 1000;
    return wall - Math.floor(ms / 1000) * 1000;
  };
  const transitions: number[] = [];
  const offsets: number[] = [offset(range[0])];
  let prev = range[0];
  for (let t = range[0] + WEEK_MS; prev < range[1]; t += WEEK_MS) {
    const o = offset(t);
    if (o !== offsets[offsets.length - 1]) {
      // The first second at which the new offset holds, by bisection over whole seconds.
      let lo = Math.floor(prev / 1000);
      let hi = Math.floor(t / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offset(mid * 1000) === o) hi = mid;
        else lo = mid;
      }
      transitions.push(hi * 1000);
      offsets.push(o);
    }
    prev = t;
  }
  const rule: ZoneRule = offsets.length === 1 ? { offsetMinutes: offsets[0] / 60_000 } : { transitions, offsets };
  zoneCache.set(key, rule);
  return rule;
}
