/**
 * SQL dialects: the few primitives in which SQL engines differ (conditional aggregates, arrays,
 * regular expressions, quoting), so that each aggregation in `sql.ts` is written once and
 * rendered for every engine. DuckDB is implemented; ClickHouse (18.16 and later: `sumIf`,
 * `groupArray`, `arraySort`, `arrayDifference`, no window functions) is the next dialect, and
 * every primitive below was chosen so that it has a ClickHouse form (given in the comments).
 * @module
 */

/**
 * How one engine writes the primitives the aggregations use.
 * @internal
 */
export interface Dialect {
  /** Engine name, for messages. */
  readonly name: "duckdb" | "clickhouse";
  /** A quoted identifier (any column name). ClickHouse: backquotes. */
  ident(name: string): string;
  /** A string literal. ClickHouse: `'...'` with backslash escapes. */
  str(value: string): string;
  /** An aggregate restricted to rows where `cond` holds: `fn(expr) FILTER (WHERE cond)`; ClickHouse `fnIf(expr, cond)`. `fn` is one of sum, count, min, max. */
  aggIf(fn: "sum" | "count" | "min" | "max", expr: string, cond: string): string;
  /** Does `text` match the RE2 pattern `re` (anchored by the pattern itself)? ClickHouse: `match(text, re)`. */
  matches(text: string, re: string): string;
  /** Does `text` contain a match of the RE2 pattern `re` (unanchored)? ClickHouse: `match(text, re)`. */
  search(text: string, re: string): string;
  /** `text` with every match of `re` replaced by `by`. ClickHouse: `replaceRegexpAll`. */
  replaceAll(text: string, re: string, by: string): string;
  /** Capture group `group` (1-based) of `re` in `text`, as text ('' when it does not match). ClickHouse: `extractAll` for group 1, `replaceRegexpOne` for others (then `re` must be anchored at both ends). */
  extract(text: string, re: string, group: number): string;
  /** Text to DOUBLE, NULL when it is not a number. ClickHouse: `toFloat64OrNull`. */
  toDouble(text: string): string;
  /** Text of digits to a 64-bit integer. ClickHouse: `toInt64`. */
  toInt(text: string): string;
  /** `text` without the leading and trailing characters in `chars` (a set of characters). ClickHouse: `trimBoth` with a character class via `replaceRegexpAll`. */
  trimChars(text: string, chars: string): string;
  /** `length` characters of `text` from the 1-based position `from`. ClickHouse: `substring`. */
  substr(text: string, from: number, length: number): string;
  /** Epoch day of a text of the shape `YYYY-MM-DD` (digits checked by the caller), NULL when that date does not exist. Optional: without it (ClickHouse, whose `toDate` covers 1970-2105 only) the arithmetic of `sql.ts` is used. */
  isoDateDay?(text: string): string;
  /** Does `text` start with the literal `prefix`? ClickHouse: `startsWith`. */
  startsWith(text: string, prefix: string): string;
  /** `x` as a double. ClickHouse: `toFloat64(x)`. */
  float(x: string): string;
  /** Text concatenation. ClickHouse: `concat(...)`. */
  concat(...parts: string[]): string;
  /** Is `x` a finite double? ClickHouse: `isFinite(x)`. */
  isFinite(x: string): string;
  /** Is the double `x` a return amount (`isReturnAmount`: negative, or -0)? ClickHouse: `x < 0 OR (x = 0 AND 1 / x < 0)`. */
  isReturn(x: string): string;
  /** Floor division of integers (`a` may be negative). */
  floorDiv(a: string, b: string): string;
  /**
   * The orders relation `orders` (per order: `cust`, `o_day`, `purchase`, ...) with what
   * {@link gapAggregate} reads. DuckDB adds `gap`, the days since the customer's previous
   * purchase (`o_day - lag(o_day)` over its purchases; NULL for its first purchase and for
   * orders that are not purchases). ClickHouse 18.16 has no window functions: `orders` as is.
   */
  withPurchaseGaps(orders: string): string;
  /**
   * Aggregate per customer over {@link withPurchaseGaps}'s relation, with its alias: what
   * {@link gapVariance} reads. DuckDB: Σ gap² as an exact HUGEINT, `gap_ss` (no list, so it
   * spills); ClickHouse: the purchase days as an array, `groupArrayIf(o_day, purchase = 1) AS days`.
   */
  readonly gapAggregate: string;
  /**
   * Scalar: the sample variance (divisor n - 2) of the n - 1 gaps between the n >= 3 purchase
   * days of a customer, from {@link gapAggregate}'s column, the count `n`, the first and last
   * purchase days and `mean`, the mean gap (last - first) / (n - 1) as a double. DuckDB:
   * Σ(g - mean)² = (k Σg² - (Σg)²) / k with k = n - 1 and Σg = last - first, the numerator in
   * exact HUGEINT arithmetic, then one division. ClickHouse: the squared deviations added over
   * the sorted array's differences, `arraySum(arrayMap(g -> pow(g - mean, 2),
   * arrayPopFront(arrayDifference(arraySort(days))))) / (n - 2)`.
   */
  gapVariance(n: string, first: string, last: string, mean: string): string;
  /**
   * Aggregate per customer over its orders (`net`, `o_day`, `first_row`, `purchase`): what
   * {@link repeatSpendMean} reads, as one or more named columns. DuckDB: the sum of the purchase
   * nets and the first purchase's net (`arg_min` by day, then first row); ClickHouse: the
   * purchase nets as an array sorted by day, then first row.
   */
  readonly repeatSpendAggregate: string;
  /**
   * Scalar: the mean net of a customer's purchases after the first (in day, then first-row
   * order), for `n` >= 2 purchases, from {@link repeatSpendAggregate}'s columns. DuckDB:
   * (Σ nets - the first net) / (n - 1), no list (so it spills; the additions in another order);
   * ClickHouse: `arraySum(arrayPopFront(nets)) / (n - 1)`, added in order.
   */
  repeatSpendMean(n: string): string;
  /** The double NaN (the engines' "no value", as `NaN` in the tables). ClickHouse: `nan`. */
  readonly nan: string;
  /** An empty array of text. ClickHouse: `CAST([] AS Array(String))`. */
  readonly emptyTextList: string;
  /** A one-element array of text. */
  textList(x: string): string;
  /** `YYYY-MM-DD` of an epoch day. ClickHouse: `toString(toDate(day))`. */
  isoDay(day: string): string;
  /** Aggregate: the distinct elements of the arrays `list` of the group's rows. ClickHouse: `groupUniqArrayArray(list)`. */
  aggUnionDistinct(list: string): string;
  /** Optional: the items of a JSON array text of strings and numbers (strings trimmed, numbers as written, empty labels dropped). DuckDB only (NDJSON). */
  jsonItems?(text: string): string;
  /** Split `text` at the literal separator `sep` into an array of trimmed, non-empty parts. */
  splitItems(text: string, sep: string): string;
  /** Natural logarithm. ClickHouse: `log`. */
  ln(x: string): string;
  /** log Γ(x) (of |Γ(x)| for negative x). ClickHouse: `lgamma`. */
  lgamma(x: string): string;
  /**
   * Scalar: the sum over k = 0 .. n-1 (n >= 1, at most a few thousand) of `body(k, c_1[k], c_2[k], ...)`, where the
   * `consts` are lists of n numbers (finite) known when the SQL is built. ClickHouse:
   * `arraySum(arrayMap((k, c1, ...) -> body, range(n), [..], ...))`.
   */
  sumOver(n: number, consts: readonly (readonly number[])[], body: (k: string, ...c: string[]) => string): string;
}

/** A finite number as a DOUBLE literal (never an integer literal, so `/` divides doubles). */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`num: ${v} is not finite`);
  // Exponent form: DuckDB reads `2.5` as a DECIMAL (and fails on range), `2.5e+0` as a DOUBLE.
  return v.toExponential();
}

/** Characters JavaScript's `String.prototype.trim` removes (ECMA-262 WhiteSpace and LineTerminator). */
export const JS_SPACE_CHARS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";

/** The same characters as an RE2 class body. */
export const JS_SPACE = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

/**
 * DuckDB (1.1 and later).
 * @internal
 */
export const duckdb: Dialect = {
  name: "duckdb",
  ident: (name) => `"${name.replace(/"/g, '""')}"`,
  str: (value) => `'${value.replace(/'/g, "''")}'`,
  aggIf: (fn, expr, cond) => `${fn}(${expr}) FILTER (WHERE ${cond})`,
  matches: (text, re) => `regexp_full_match(${text}, ${duckdb.str(re)})`,
  search: (text, re) => `regexp_matches(${text}, ${duckdb.str(re)})`,
  replaceAll: (text, re, by) => `regexp_replace(${text}, ${duckdb.str(re)}, ${duckdb.str(by)}, 'g')`,
  extract: (text, re, group) => `regexp_extract(${text}, ${duckdb.str(re)}, ${group})`,
  toDouble: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  toInt: (text) => `CAST(${text} AS BIGINT)`,
  trimChars: (text, chars) => `trim(${text}, ${duckdb.str(chars)})`,
  substr: (text, from, length) => `substr(${text}, ${from}, ${length})`,
  isFinite: (x) => `isfinite(${x})`,
  isoDateDay: (text) => `(TRY_CAST(${text} AS DATE) - DATE '1970-01-01')`,
  startsWith: (text, prefix) => `starts_with(${text}, ${duckdb.str(prefix)})`,
  float: (x) => `CAST(${x} AS DOUBLE)`,
  concat: (...parts) => `(${parts.join(" || ")})`,
  isReturn: (x) => `signbit(${x})`,
  floorDiv: (a, b) => `CAST(floor((${a}) / (${b})) AS BIGINT)`,
  withPurchaseGaps: (orders) =>
    `SELECT *, CASE WHEN purchase = 1 THEN o_day - lag(o_day) OVER (PARTITION BY cust, purchase ORDER BY o_day) END AS gap FROM (${orders}) AS og`,
  gapAggregate: "sum(CAST(gap AS HUGEINT) * CAST(gap AS HUGEINT)) AS gap_ss",
  gapVariance: (n, first, last) =>
    `CAST(CAST(${n} - 1 AS HUGEINT) * gap_ss - CAST(${last} - ${first} AS HUGEINT) * CAST(${last} - ${first} AS HUGEINT) AS DOUBLE) / ` +
    `(CAST(${n} - 1 AS DOUBLE) * (${n} - 2))`,
  repeatSpendAggregate: "sum(net) FILTER (WHERE purchase = 1) AS nets_total, arg_min(net, [o_day, first_row]) FILTER (WHERE purchase = 1) AS first_net",
  repeatSpendMean: (n) => `(nets_total - first_net) / (${n} - 1)`,
  nan: "CAST('NaN' AS DOUBLE)",
  emptyTextList: "CAST([] AS VARCHAR[])",
  textList: (x) => `[${x}]`,
  isoDay: (day) => `strftime(DATE '1970-01-01' + CAST(${day} AS INTEGER), '%Y-%m-%d')`,
  aggUnionDistinct: (list) => `list_distinct(flatten(list(${list})))`,
  splitItems: (text, sep) =>
    `list_filter(list_transform(string_split(${text}, ${duckdb.str(sep)}), p -> ${jsTrimIn(duckdb, "p")}), p -> p <> '')`,
  jsonItems: (text) =>
    `list_filter(list_transform(CAST(json(${text}) AS JSON[]), e -> CASE WHEN json_type(e) = 'VARCHAR' THEN ${jsTrimIn(duckdb, "json_extract_string(e, '$')")} ` +
    `ELSE json_extract_string(e, '$') END), p -> p <> '')`,
  ln: (x) => `ln(${x})`,
  lgamma: (x) => `lgamma(${x})`,
  // One constant list of structs (k and the constants), folded once: indexing a list literal
  // inside the lambda would rebuild it for every term.
  sumOver: (n, consts, body) => {
    const rows = Array.from({ length: n }, (_, k) => `{'k': ${num(k)}${consts.map((c, j) => `, 'c${j}': ${num(c[k])}`).join("")}}`);
    return `list_sum(list_transform([${rows.join(", ")}], _e -> ${body("_e.k", ...consts.map((_, j) => `_e.c${j}`))}))`;
  },
};


/**
 * `x` without the characters JavaScript's `trim` removes. The character-set trim is slow in
 * DuckDB (about 0.7 s per million values), so it runs only where a regular expression finds
 * such a character at either end (about 0.1 s per million).
 * @internal
 */
export function jsTrimIn(d: Dialect, x: string): string {
  return `(CASE WHEN ${d.search(x, `^[${JS_SPACE}]|[${JS_SPACE}]$`)} THEN ${d.trimChars(x, JS_SPACE_CHARS)} ELSE ${x} END)`;
}

/** A ClickHouse string literal: backslash escapes. */
const chStr = (value: string): string => `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * ClickHouse (18.16 and later), through its HTTP interface. The aggregations (summary,
 * calibration) and the validation of `String` date and amount columns are tested on a 2-shard
 * cluster (see `clickhouse.ts`).
 * @internal
 */
export const clickhouse: Dialect = {
  name: "clickhouse",
  ident: (name) => `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``,
  str: chStr,
  aggIf: (fn, expr, cond) => (fn === "count" ? `countIf(${cond})` : `${fn}If(${expr}, ${cond})`),
  matches: (text, re) => `match(${text}, ${chStr(`^(?:${re})$`)})`,
  search: (text, re) => `match(${text}, ${chStr(re)})`,
  replaceAll: (text, re, by) => `replaceRegexpAll(${text}, ${chStr(re)}, ${chStr(by)})`,
  // extractAll gives the first group only; another group is cut out with replaceRegexpOne, which
  // returns just that group when the pattern spans the whole text (every such use here is anchored).
  extract: (text, re, group) => (group === 1
    ? `arrayElement(extractAll(${text}, ${chStr(re)}), 1)`
    : `if(match(${text}, ${chStr(re)}), replaceRegexpOne(${text}, ${chStr(re)}, ${chStr(`\\${group}`)}), '')`),
  toDouble: (text) => `toFloat64OrNull(${text})`,
  toInt: (text) => `toInt64OrNull(${text})`,
  // The only set the aggregations trim is JavaScript's white space (JS_SPACE_CHARS), as a class.
  trimChars: (text) => `replaceRegexpAll(${text}, ${chStr(`^[${JS_SPACE}]+|[${JS_SPACE}]+$`)}, '')`,
  substr: (text, from, length) => `substringUTF8(${text}, ${from}, ${length})`,
  isFinite: (x) => `isFinite(${x})`,
  startsWith: (text, prefix) => `startsWith(${text}, ${chStr(prefix)})`,
  float: (x) => `toFloat64(${x})`,
  concat: (...parts) => `concat(${parts.join(", ")})`,
  isReturn: (x) => `(${x} < 0 OR (${x} = 0 AND 1 / ${x} < 0))`,
  floorDiv: (a, b) => `toInt64(floor((${a}) / (${b})))`,
  withPurchaseGaps: (orders) => orders,
  gapAggregate: "groupArrayIf(o_day, purchase = 1) AS days",
  gapVariance: (n, _first, _last, mean) =>
    `arraySum(arrayMap(g -> pow(g - (${mean}), 2), arrayPopFront(arrayDifference(arraySort(days))))) / (${n} - 2)`,
  repeatSpendAggregate:
    "arraySort((v, k0, k1) -> tuple(k0, k1), groupArrayIf(net, purchase = 1), groupArrayIf(o_day, purchase = 1), groupArrayIf(first_row, purchase = 1)) AS nets",
  repeatSpendMean: (n) => `arraySum(arrayPopFront(nets)) / (${n} - 1)`,
  nan: "nan",
  emptyTextList: "CAST([] AS Array(String))",
  textList: (x) => `[${x}]`,
  isoDay: (day) => `toString(toDate(${day}))`,
  aggUnionDistinct: (list) => `groupUniqArrayArray(${list})`,
  splitItems: (text, sep) =>
    `arrayFilter(p -> p != '', arrayMap(p -> ${jsTrimIn(clickhouse, "p")}, splitByString(${chStr(sep)}, ${text})))`,
  ln: (x) => `log(${x})`,
  lgamma: (x) => `lgamma(${x})`,
  sumOver: (n, consts, body) => {
    const vars = consts.map((_, i) => `_c${i}`);
    return `arraySum(arrayMap((_k, ${vars.join(", ")}) -> ${body("toFloat64(_k)", ...vars)}, range(${n}), ${consts.map((c) => `[${c.map(num).join(", ")}]`).join(", ")}))`;
  },
};
