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
  /** Aggregate: the values of `value` in the group's rows where `cond` holds, as an array (any order). ClickHouse: `groupArrayIf(value, cond)`. */
  aggList(value: string, cond: string): string;
  /**
   * Scalar over an array of integers (from {@link aggList}): sort it, and add up the squared
   * deviations from `mean` of its consecutive differences, in order (0 for fewer than 2 values).
   * ClickHouse: `arraySum(arrayMap(g -> pow(g - mean, 2), arrayPopFront(arrayDifference(arraySort(list)))))`.
   */
  gapSumSquares(list: string, mean: string): string;
  /** Aggregate: the values of `value` in the group's rows where `cond` holds, as an array sorted by the `keys` (lexicographic). ClickHouse: `arraySort((v, k1, k2) -> (k1, k2), groupArrayIf(value, cond), groupArrayIf(k1, cond), groupArrayIf(k2, cond))`. */
  aggSortedList(value: string, keys: readonly string[], cond: string): string;
  /** Scalar: the sum of an array of doubles without its first element, added in order (0 when it has fewer than 2). ClickHouse: `arraySum(arrayPopFront(list))`. */
  sumTail(list: string): string;
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
  aggList: (value, cond) => `list(${value}) FILTER (WHERE ${cond})`,
  gapSumSquares: (list, mean) =>
    `list_reduce(list_prepend(0.0, list_transform(list_zip(list_slice(list_sort(${list}), 2, len(${list})), list_slice(list_sort(${list}), 1, len(${list}) - 1)), ` +
    `p -> pow(CAST(p[1] - p[2] AS DOUBLE) - (${mean}), 2))), (a, b) -> a + b)`,
  aggSortedList: (value, keys, cond) => `list(${value} ORDER BY ${keys.join(", ")}) FILTER (WHERE ${cond})`,
  sumTail: (list) => `list_reduce(list_prepend(0.0, list_slice(${list}, 2, len(${list}))), (a, b) -> a + b)`,
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
  aggList: (value, cond) => `groupArrayIf(${value}, ${cond})`,
  gapSumSquares: (list, mean) => `arraySum(arrayMap(g -> pow(g - (${mean}), 2), arrayPopFront(arrayDifference(arraySort(${list})))))`,
  aggSortedList: (value, keys, cond) => {
    const vars = keys.map((_, i) => `k${i}`);
    return `arraySort((v, ${vars.join(", ")}) -> tuple(${vars.join(", ")}), groupArrayIf(${value}, ${cond}), ${keys.map((k) => `groupArrayIf(${k}, ${cond})`).join(", ")})`;
  },
  sumTail: (list) => `arraySum(arrayPopFront(${list}))`,
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
