/**
 * Survey response tables from row objects or CSV text, with the library's strict/lenient
 * accounting: every data row read is either accepted or rejected with a named issue.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { CsvRows, ROW_BAD_QUOTE, ROW_OK } from "../io/csvRows.js";
import type { SurveyScale, SurveyTable } from "./types.js";

/**
 * Options of {@link parseSurvey} and {@link parseSurveyCsv}.
 * @category Survey
 */
export interface ParseSurveyOptions {
  /** The answer scale of every item (required), e.g. `{ min: 1, max: 10 }`. */
  scale: SurveyScale;
  /** Scales of particular items, overriding `scale`. Default: none. */
  itemScales?: ReadonlyMap<string, SurveyScale>;
  /** Column holding the respondent id. Default: none; respondents are numbered "1", "2", ... by data row. */
  respondentColumn?: string;
  /** Column holding the customer id (to join with transactions). Default: none (all `null`). */
  customerColumn?: string;
  /** Item columns. Default: every column except the respondent and customer columns. */
  items?: readonly string[];
  /** `"strict"` throws at the first bad row; `"lenient"` rejects it with an issue. Default `"strict"`. */
  mode?: "strict" | "lenient";
  /** Cell texts meaning "no answer" (compared after trimming). Default `["", "NA"]`; `null`/`undefined` cells are always missing. */
  missing?: readonly string[];
}

/**
 * One rejected row.
 * @category Survey
 */
export interface SurveyIssue {
  /** 1-based data row (the header line not counted). */
  readonly row: number;
  /** The column at fault. */
  readonly field: string;
  /** The raw value. */
  readonly value: unknown;
  /** What was expected. */
  readonly expected: string;
  /** The same as a sentence (the message {@link InvalidRecordError} would carry). */
  readonly message: string;
}

/**
 * Result of reading a survey: the accepted rows as a table and the accounting.
 * @category Survey
 */
export interface SurveyReadResult {
  /** The accepted respondents. */
  readonly table: SurveyTable;
  /** Data rows read (blank lines not counted). */
  readonly read: number;
  /** Rows accepted: `accepted + rejected = read`. */
  readonly accepted: number;
  /** Rows rejected (lenient mode; 0 in strict mode). */
  readonly rejected: number;
  /** One issue per rejected row, in row order. */
  readonly issues: readonly SurveyIssue[];
  /** Missing answers among the accepted rows. */
  readonly missingAnswers: number;
}

const PARSE_DEFAULTS = Object.freeze({ mode: "strict" as const, missing: Object.freeze(["", "NA"]) as readonly string[] });

/** A row source: column names and a function returning the cell of column j of row r. */
interface RowSource {
  names: readonly string[];
  rows: Iterable<{ row: number; cell: (j: number) => unknown } | { row: number; malformed: string; text: string }>;
}

/** Throwing or recording one problem. */
class Rejection {
  constructor(readonly detail: { row: number; field: string; value: unknown; expected: string }) {}
}

/** The common reader. */
function readSurvey(fn: string, src: RowSource, options: ParseSurveyOptions): SurveyReadResult {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(fn, "options", options, "an object with at least { scale }");
  const o = withDefaults(PARSE_DEFAULTS, options) as ParseSurveyOptions & typeof PARSE_DEFAULTS;
  if (o.mode !== "strict" && o.mode !== "lenient") throw new InvalidOptionError(fn, "mode", o.mode, '"strict" or "lenient"');
  const checkScale = (s: SurveyScale | undefined, name: string): SurveyScale => {
    if (s === null || typeof s !== "object" || !(Number.isFinite(s.min) && Number.isFinite(s.max) && s.max > s.min)) {
      throw new InvalidOptionError(fn, name, s, "a scale { min, max } with finite min < max");
    }
    return { min: s.min, max: s.max, integer: s.integer ?? true };
  };
  const scale = checkScale(o.scale, "scale");
  const names = src.names;
  const col = new Map<string, number>();
  names.forEach((n, j) => { if (!col.has(n)) col.set(n, j); });
  const need = (name: string | undefined, option: string): number => {
    if (name === undefined) return -1;
    const j = col.get(name);
    if (j === undefined) throw new InvalidOptionError(fn, option, name, `one of the columns ${names.map((n) => JSON.stringify(n)).join(", ")}`);
    return j;
  };
  const rCol = need(o.respondentColumn, "respondentColumn");
  const cCol = need(o.customerColumn, "customerColumn");
  const items = o.items !== undefined ? [...o.items] : names.filter((_, j) => j !== rCol && j !== cCol);
  if (items.length === 0) throw new InvalidOptionError(fn, "items", o.items, "at least one item column");
  if (new Set(items).size !== items.length) throw new InvalidOptionError(fn, "items", o.items, "distinct item names");
  const iCols = items.map((it) => need(it, "items"));
  const scales = new Map<string, SurveyScale>();
  for (const it of items) scales.set(it, o.itemScales?.has(it) ? checkScale(o.itemScales.get(it), `itemScales.${it}`) : scale);
  const missing = new Set(o.missing.map((m) => m.trim()));
  const values: number[][] = items.map(() => []);
  const respondents: string[] = [];
  const customers: (string | null)[] = [];
  const seen = new Set<string>();
  const issues: SurveyIssue[] = [];
  let read = 0;
  let missingAnswers = 0;
  const answer = new Array<number>(items.length);
  for (const r of src.rows) {
    read++;
    try {
      if ("malformed" in r) throw new Rejection({ row: r.row, field: "(row)", value: r.text, expected: r.malformed });
      let id: string;
      if (rCol >= 0) {
        const v = r.cell(rCol);
        id = v === null || v === undefined ? "" : String(v).trim();
        if (id === "") throw new Rejection({ row: r.row, field: names[rCol], value: v, expected: "a respondent id" });
      } else id = String(r.row);
      if (seen.has(id)) throw new Rejection({ row: r.row, field: rCol >= 0 ? names[rCol] : "(respondent)", value: id, expected: "a respondent id not used by an earlier row" });
      let customer: string | null = null;
      if (cCol >= 0) {
        const v = r.cell(cCol);
        const t = v === null || v === undefined ? "" : String(v).trim();
        customer = t === "" ? null : t;
      }
      let answered = 0;
      items.forEach((item, q) => {
        const v = r.cell(iCols[q]);
        const s = scales.get(item) as SurveyScale;
        const isMissing = v === null || v === undefined || (typeof v === "string" && missing.has(v.trim()));
        const x = isMissing ? NaN : typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v.trim()) : NaN;
        if (!isMissing) {
          const range = `${s.integer === false ? "a number" : "a whole number"} from ${s.min} to ${s.max}`;
          if (!Number.isFinite(x)) throw new Rejection({ row: r.row, field: item, value: v, expected: `${range} or a missing marker` });
          if (x < s.min || x > s.max || (s.integer !== false && !Number.isInteger(x))) throw new Rejection({ row: r.row, field: item, value: v, expected: `an answer on the item's scale: ${range}` });
          answered++;
        }
        answer[q] = isMissing ? NaN : x;
      });
      if (answered === 0) throw new Rejection({ row: r.row, field: "(all items)", value: null, expected: "at least one answer" });
      seen.add(id);
      respondents.push(id);
      customers.push(customer);
      answer.forEach((x, q) => {
        values[q].push(x);
        if (Number.isNaN(x)) missingAnswers++;
      });
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      const err = new InvalidRecordError(fn, e.detail);
      if (o.mode === "strict") throw err;
      issues.push({ ...e.detail, message: err.message });
    }
  }
  const answers = new Map<string, Float64Array>();
  items.forEach((it, q) => answers.set(it, Float64Array.from(values[q])));
  const table: SurveyTable = { kind: "survey", respondents, customers, items, answers, scales };
  return { table, read, accepted: respondents.length, rejected: issues.length, issues, missingAnswers };
}

/**
 * Read survey answers from row objects into a {@link SurveyTable}.
 *
 * @remarks
 * Each row is one respondent. An answer is a number or a numeric string on the item's scale
 * (whole numbers unless the scale says `integer: false`); `null`, `undefined` and the `missing`
 * texts are missing answers. A row is rejected when an answer is not a number, lies outside its
 * scale, the respondent id is empty or repeated, or every answer is missing. Strict mode throws
 * {@link InvalidRecordError} naming row, field and value; lenient mode returns the accepted rows
 * and one {@link SurveyIssue} per rejected row (`accepted + rejected = read`). O(rows × items).
 *
 * @param rows - row objects; the columns are the keys found in any row (a key absent from a row is a
 *   missing answer there).
 * @param options - {@link ParseSurveyOptions}; `scale` is required.
 * @returns the table and the accounting ({@link SurveyReadResult}).
 * @throws {@link InvalidRecordError} in strict mode for the first bad row;
 *   {@link InvalidOptionError} for a missing or malformed scale, an unknown column, no items.
 * @example
 * ```ts
 * const r = parseSurvey(
 *   [{ id: "a", q1: 7, q2: "" }, { id: "b", q1: 11, q2: 3 }, { id: "c", q1: "4", q2: 5 }],
 *   { scale: { min: 1, max: 10 }, respondentColumn: "id", mode: "lenient" },
 * );
 * [r.read, r.accepted, r.rejected, r.issues[0].field, r.table.respondents, r.missingAnswers];
 * //=> [3, 2, 1, "q1", ["a", "c"], 1]
 * ```
 * @category Survey
 */
export function parseSurvey(rows: Iterable<Readonly<Record<string, unknown>>>, options: ParseSurveyOptions): SurveyReadResult {
  const fn = "parseSurvey";
  const list = Array.from(rows);
  const seen = new Set<string>();
  for (const row of list) if (row !== null && typeof row === "object") for (const k of Object.keys(row)) seen.add(k);
  // no rows: the stated columns, so that an empty survey reads as an empty table
  if (list.length === 0) for (const k of [options?.respondentColumn, options?.customerColumn, ...(options?.items ?? [])]) if (k !== undefined) seen.add(k);
  const names = [...seen];
  return readSurvey(fn, {
    names,
    rows: list.map((row, r) => ({
      row: r + 1,
      cell: (j: number) => (row !== null && typeof row === "object" && Object.prototype.hasOwnProperty.call(row, names[j]) ? row[names[j]] : undefined),
    })),
  }, options);
}

/**
 * Read survey answers from CSV text (header line first, comma-separated, RFC 4180 quotes) into
 * a {@link SurveyTable}, with the rules of {@link parseSurvey}.
 *
 * @remarks
 * Blank lines are skipped and not counted; a row with the wrong number of fields or a broken
 * quote is rejected (field `"(row)"`). Uses the library's CSV row splitter (`src/io/csvRows.ts`).
 *
 * @param text - the CSV text (a leading byte-order mark is ignored).
 * @param options - {@link ParseSurveyOptions}.
 * @returns the table and the accounting.
 * @throws as {@link parseSurvey}; {@link InvalidOptionError} for a text without a header line.
 * @example
 * ```ts
 * const r = parseSurveyCsv("respondent,customer,q1,q2\nr1,c9,3,NA\nr2,,5,4\n", {
 *   scale: { min: 1, max: 5 }, respondentColumn: "respondent", customerColumn: "customer",
 * });
 * [r.table.items, r.table.customers, Array.from(r.table.answers.get("q2"))];
 * //=> [["q1", "q2"], ["c9", null], [NaN, 4]]
 * ```
 * @category Survey
 */
export function parseSurveyCsv(text: string, options: ParseSurveyOptions): SurveyReadResult {
  const fn = "parseSurveyCsv";
  if (typeof text !== "string") throw new InvalidOptionError(fn, "text", text, "CSV text (a string)");
  const csv = new CsvRows(Math.max(1024, text.length + 16));
  csv.append(Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, "utf8"));
  let names: string[] | null = null;
  const rows: ({ row: number; cell: (j: number) => unknown } | { row: number; malformed: string; text: string })[] = [];
  let r = 0;
  while (csv.pos < csv.len && csv.next(true)) {
    if (csv.isBlank()) continue;
    if (names === null) {
      names = [];
      for (let j = 0; j < csv.nf; j++) names.push(csv.text(j).trim());
      continue;
    }
    r++;
    if (csv.problem !== ROW_OK) {
      rows.push({ row: r, text: csv.rowText(), malformed: csv.problem === ROW_BAD_QUOTE ? "a closing quote followed by a delimiter or a line end" : "a closed quote" });
      continue;
    }
    if (csv.nf !== names.length) {
      rows.push({ row: r, text: csv.rowText(), malformed: `${names.length} fields, got ${csv.nf}` });
      continue;
    }
    const cells: string[] = [];
    for (let j = 0; j < csv.nf; j++) cells.push(csv.text(j));
    rows.push({ row: r, cell: (j: number) => cells[j] });
  }
  if (names === null) throw new InvalidOptionError(fn, "text", text.slice(0, 40), "CSV text with a header line");
  return readSurvey(fn, { names, rows }, options);
}
