/**
 * Kano classification of product or service attributes from functional/dysfunctional question
 * pairs, with Berger et al.'s customer satisfaction coefficients.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { CsvRows, ROW_OK } from "../io/csvRows.js";

/**
 * One answer to a Kano question: 1 "I like it", 2 "I expect it" (must-be), 3 "I am neutral",
 * 4 "I can live with it", 5 "I dislike it"; or the same as words.
 * @category Survey
 */
export type KanoAnswer = 1 | 2 | 3 | 4 | 5 | "like" | "must-be" | "neutral" | "live-with" | "dislike";

/**
 * Kano category: Attractive, One-dimensional, Must-be, Indifferent, Reverse, Questionable.
 * @category Survey
 */
export type KanoCategory = "A" | "O" | "M" | "I" | "R" | "Q";

/** Rows: functional answer 1..5; columns: dysfunctional answer 1..5 (Berger et al. 1993, table 2). */
const TABLE: readonly (readonly KanoCategory[])[] = [
  ["Q", "A", "A", "A", "O"],
  ["R", "I", "I", "I", "M"],
  ["R", "I", "I", "I", "M"],
  ["R", "I", "I", "I", "M"],
  ["R", "R", "R", "R", "Q"],
];

const WORDS: Readonly<Record<string, number>> = Object.freeze(Object.assign(Object.create(null) as Record<string, number>, { like: 1, "must-be": 2, neutral: 3, "live-with": 4, dislike: 5 }));

/** The 1..5 code of an answer, or 0 when it is not one. */
function code(a: unknown): number {
  if (typeof a === "number") return Number.isInteger(a) && a >= 1 && a <= 5 ? a : 0;
  if (typeof a === "string") {
    const t = a.trim().toLowerCase();
    if (/^[1-5]$/.test(t)) return Number(t);
    return WORDS[t] ?? 0;
  }
  return 0;
}

const EXPECTED = 'a Kano answer: 1-5 or "like", "must-be", "neutral", "live-with", "dislike"';

/**
 * The Kano category of one functional/dysfunctional answer pair, by the standard evaluation
 * table.
 *
 * @remarks
 * Evaluation table (Kano et al. 1984; Berger et al. 1993, *Center for Quality Management
 * Journal* 2(4), table 2), functional answer by row, dysfunctional by column, answers 1 like,
 * 2 must-be, 3 neutral, 4 live with, 5 dislike:
 * ```text
 *        1  2  3  4  5
 *   1    Q  A  A  A  O
 *   2    R  I  I  I  M
 *   3    R  I  I  I  M
 *   4    R  I  I  I  M
 *   5    R  R  R  R  Q
 * ```
 * @param functional - answer to "how do you feel if the product has this feature?".
 * @param dysfunctional - answer to "how do you feel if it does not?".
 * @returns the category.
 * @throws {@link InvalidRecordError} (row 1) naming the field that is not a Kano answer.
 * @example
 * ```ts
 * [kanoCategory("like", "dislike"), kanoCategory(1, 3), kanoCategory(3, 5), kanoCategory(3, 3), kanoCategory(5, 1), kanoCategory(1, 1)];
 * //=> ["O", "A", "M", "I", "R", "Q"]
 * ```
 * @category Survey
 */
export function kanoCategory(functional: KanoAnswer, dysfunctional: KanoAnswer): KanoCategory {
  const f = code(functional);
  const d = code(dysfunctional);
  if (f === 0) throw new InvalidRecordError("kanoCategory", { row: 1, field: "functional", value: functional, expected: EXPECTED });
  if (d === 0) throw new InvalidRecordError("kanoCategory", { row: 1, field: "dysfunctional", value: dysfunctional, expected: EXPECTED });
  return TABLE[f - 1][d - 1];
}

/**
 * One respondent's answer pair about one attribute; a `null` answer skips the pair.
 * @category Survey
 */
export interface KanoResponse {
  /** The attribute (feature) asked about. */
  readonly attribute: string;
  /** Functional answer. */
  readonly functional: KanoAnswer | null;
  /** Dysfunctional answer. */
  readonly dysfunctional: KanoAnswer | null;
}

/**
 * Kano result of one attribute.
 * @category Survey
 */
export interface KanoAttribute {
  /** The attribute. */
  readonly attribute: string;
  /** Classified pairs. */
  readonly n: number;
  /** Pairs skipped for a missing answer. */
  readonly skipped: number;
  /** Pairs per category. */
  readonly counts: Readonly<Record<KanoCategory, number>>;
  /** Shares per category (counts / n). */
  readonly shares: Readonly<Record<KanoCategory, number>>;
  /** The modal category; ties broken M > O > A > I > R > Q (Berger et al. 1993). */
  readonly category: KanoCategory;
  /** Every category tied at the mode, in the tie-break order (one element when no tie). */
  readonly tied: readonly KanoCategory[];
  /** Satisfaction coefficient CS+ = (A + O) / (A + O + M + I); `null` when that denominator is 0. */
  readonly csPlus: number | null;
  /** Dissatisfaction coefficient CS− = −(O + M) / (A + O + M + I); `null` when the denominator is 0. */
  readonly csMinus: number | null;
}

const ORDER: readonly KanoCategory[] = ["M", "O", "A", "I", "R", "Q"];

/**
 * Classify attributes by the Kano model: each answer pair through the evaluation table
 * ({@link kanoCategory}), then per attribute the category counts and shares, the modal
 * category and Berger et al.'s coefficients.
 *
 * @remarks
 * CS+ = (A + O)/(A + O + M + I) and CS− = −(O + M)/(A + O + M + I) (Berger et al. 1993): how much
 * satisfaction the attribute adds when present and how much dissatisfaction its absence causes;
 * Reverse and Questionable answers are left out of both. A tie for the mode is broken by the
 * rule M > O > A > I (an attribute that is must-be for some is built first), then R > Q. O(pairs).
 *
 * @param responses - answer pairs; attributes are reported in order of first appearance.
 * @returns one {@link KanoAttribute} per attribute with at least one pair (classified or skipped).
 * @throws {@link InvalidRecordError} naming the 1-based position, the field and the value of an
 *   answer that is not a Kano answer, or an empty attribute name. An attribute whose pairs were
 *   all skipped is reported with `n` 0, category `"Q"` and null coefficients.
 * @example
 * ```ts
 * const r = kanoClassify([
 *   { attribute: "wifi", functional: 1, dysfunctional: 5 }, // O
 *   { attribute: "wifi", functional: 1, dysfunctional: 3 }, // A
 *   { attribute: "wifi", functional: 1, dysfunctional: 5 }, // O
 *   { attribute: "wifi", functional: 3, dysfunctional: 5 }, // M
 * ]);
 * [r[0].category, r[0].csPlus, r[0].csMinus];
 * //=> ["O", 0.75, -0.75]
 * ```
 * @category Survey
 */
export function kanoClassify(responses: Iterable<KanoResponse>): KanoAttribute[] {
  const fn = "kanoClassify";
  const acc = new Map<string, { counts: Record<KanoCategory, number>; skipped: number }>();
  let row = 0;
  for (const r of responses) {
    row++;
    if (r === null || typeof r !== "object" || typeof r.attribute !== "string" || r.attribute === "") {
      throw new InvalidRecordError(fn, { row, field: "attribute", value: r?.attribute, expected: "a non-empty attribute name" });
    }
    let a = acc.get(r.attribute);
    if (a === undefined) {
      a = { counts: { A: 0, O: 0, M: 0, I: 0, R: 0, Q: 0 }, skipped: 0 };
      acc.set(r.attribute, a);
    }
    if (r.functional === null || r.functional === undefined || r.dysfunctional === null || r.dysfunctional === undefined) {
      a.skipped++;
      continue;
    }
    const f = code(r.functional);
    const d = code(r.dysfunctional);
    if (f === 0) throw new InvalidRecordError(fn, { row, field: "functional", value: r.functional, expected: EXPECTED });
    if (d === 0) throw new InvalidRecordError(fn, { row, field: "dysfunctional", value: r.dysfunctional, expected: EXPECTED });
    a.counts[TABLE[f - 1][d - 1]]++;
  }
  return [...acc].map(([attribute, { counts, skipped }]) => {
    const n = ORDER.reduce((s, c) => s + counts[c], 0);
    const shares = { A: 0, O: 0, M: 0, I: 0, R: 0, Q: 0 } as Record<KanoCategory, number>;
    if (n > 0) for (const c of ORDER) shares[c] = counts[c] / n;
    const top = Math.max(...ORDER.map((c) => counts[c]));
    const tied = n > 0 ? ORDER.filter((c) => counts[c] === top) : (["Q"] as KanoCategory[]);
    const denom = counts.A + counts.O + counts.M + counts.I;
    return {
      attribute,
      n,
      skipped,
      counts: { ...counts },
      shares,
      category: tied[0],
      tied,
      csPlus: denom > 0 ? (counts.A + counts.O) / denom : null,
      csMinus: denom > 0 ? (counts.O + counts.M === 0 ? 0 : -(counts.O + counts.M) / denom) : null,
    };
  });
}

/**
 * Options of {@link parseKanoCsv}.
 * @category Survey
 */
export interface ParseKanoCsvOptions {
  /** Column naming the attribute. Default `"attribute"`. */
  attributeColumn?: string;
  /** Column of the functional answer. Default `"functional"`. */
  functionalColumn?: string;
  /** Column of the dysfunctional answer. Default `"dysfunctional"`. */
  dysfunctionalColumn?: string;
}

/**
 * Read Kano answer pairs from CSV text: one row per respondent and attribute, with the
 * attribute and the two answers (1–5 or the words of {@link KanoAnswer}); other columns are
 * ignored.
 *
 * @remarks
 * Header line first, comma-separated, RFC 4180 quotes, blank lines skipped. An empty answer (or
 * `NA`) gives a `null` answer: the pair is counted as skipped by {@link kanoClassify}. O(rows).
 *
 * @param text - the CSV text.
 * @param options - {@link ParseKanoCsvOptions}.
 * @returns the pairs, in row order, ready for {@link kanoClassify}.
 * @throws {@link InvalidOptionError} for a missing column; {@link InvalidRecordError} naming the
 *   data row, the column and the value of an answer that is not a Kano answer, an empty
 *   attribute, or a row with the wrong number of fields.
 * @example
 * ```ts
 * const pairs = parseKanoCsv("respondent,attribute,functional,dysfunctional\n1,wifi,like,dislike\n2,wifi,3,5\n3,wifi,,5\n");
 * kanoClassify(pairs).map((a) => [a.attribute, a.n, a.skipped, a.counts.O, a.counts.M]);
 * //=> [["wifi", 2, 1, 1, 1]]
 * ```
 * @category Survey
 */
export function parseKanoCsv(text: string, options: ParseKanoCsvOptions = {}): KanoResponse[] {
  const fn = "parseKanoCsv";
  if (typeof text !== "string") throw new InvalidOptionError(fn, "text", text, "CSV text (a string)");
  const want = [
    ["attributeColumn", options.attributeColumn ?? "attribute"],
    ["functionalColumn", options.functionalColumn ?? "functional"],
    ["dysfunctionalColumn", options.dysfunctionalColumn ?? "dysfunctional"],
  ] as const;
  const csv = new CsvRows(Math.max(1024, text.length + 16));
  csv.append(Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, "utf8"));
  let names: string[] | null = null;
  let cols: number[] = [];
  const out: KanoResponse[] = [];
  let row = 0;
  while (csv.pos < csv.len && csv.next(true)) {
    if (csv.isBlank()) continue;
    if (names === null) {
      names = [];
      for (let j = 0; j < csv.nf; j++) names.push(csv.text(j).trim());
      cols = want.map(([option, name]) => {
        const j = names!.indexOf(name);
        if (j < 0) throw new InvalidOptionError(fn, option, name, `one of the columns ${names!.map((n) => JSON.stringify(n)).join(", ")}`);
        return j;
      });
      continue;
    }
    row++;
    if (csv.problem !== ROW_OK || csv.nf !== names.length) throw new InvalidRecordError(fn, { row, field: "(row)", value: csv.rowText(), expected: `${names.length} fields with balanced quotes` });
    const attribute = csv.text(cols[0]).trim();
    if (attribute === "") throw new InvalidRecordError(fn, { row, field: names[cols[0]], value: attribute, expected: "an attribute name" });
    const answer = (k: 1 | 2): KanoAnswer | null => {
      const raw = csv.text(cols[k]).trim();
      if (raw === "" || raw === "NA") return null;
      const c = code(raw);
      if (c === 0) throw new InvalidRecordError(fn, { row, field: names![cols[k]], value: raw, expected: EXPECTED });
      return c as KanoAnswer;
    };
    out.push({ attribute, functional: answer(1), dysfunctional: answer(2) });
  }
  if (names === null) throw new InvalidOptionError(fn, "text", text.slice(0, 40), "CSV text with a header line");
  return out;
}
