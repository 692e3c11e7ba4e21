import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";

/**
 * Options of {@link findRawIds}.
 * @category Privacy
 */
export interface FindRawIdsOptions {
  /** Ids shorter than this many characters are not searched (and counted in `skippedIds`): a 1-digit id matches every "1" in a report. Default 1 (every id). */
  minLength?: number;
}

/** Defaults of {@link FindRawIdsOptions}. */
export const FIND_RAW_IDS_DEFAULTS: Readonly<Required<FindRawIdsOptions>> = Object.freeze({ minLength: 1 });

/**
 * One raw id found in one output.
 * @category Privacy
 */
export interface RawIdHit {
  /** The output's name (the `Map` key), or `""` for a single text. */
  source: string;
  /** The raw id. */
  id: string;
  /** Occurrences in that output. */
  count: number;
  /** Index (UTF-16 code units) of the first occurrence. */
  firstIndex: number;
}

/**
 * Result of {@link findRawIds}.
 * @category Privacy
 */
export interface FindRawIdsResult {
  /** True when no id was found. */
  clean: boolean;
  /** Hits, by output then by first occurrence. */
  hits: RawIdHit[];
  /** Distinct ids searched. */
  searchedIds: number;
  /** Ids not searched (shorter than `minLength`). */
  skippedIds: number;
}

const WORD = /[\p{L}\p{N}]/u;
const RUN = /[\p{L}\p{N}]+/gu;
const STARTS_WORD = /^[\p{L}\p{N}]/u;
const ENDS_WORD = /[\p{L}\p{N}]$/u;

/** Whether the code point ending at (before) index `i` is a letter or digit. */
function wordBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const c = text.codePointAt(i - 1) as number;
  const cp = c >= 0xdc00 && c <= 0xdfff && i >= 2 ? (text.codePointAt(i - 2) as number) : c;
  return WORD.test(String.fromCodePoint(cp));
}
function wordAt(text: string, i: number): boolean {
  return i < text.length && WORD.test(String.fromCodePoint(text.codePointAt(i) as number));
}

/**
 * Scans output texts (a report, CSV, JSON) for raw customer ids: the checker behind an
 * aggregate-only / pseudonymised release.
 *
 * @remarks
 * An id is found where it occurs as a whole token: not preceded or followed by a letter or
 * digit (so `C1` is not found inside `C12` or `AC1`, but is in `"C1",` or `id=C1.`). Ids made of
 * punctuation only are searched as plain substrings. The texts are tokenised once into runs of
 * letters and digits; each id is looked up by its first run, so the scan is O(text + ids +
 * candidate positions), not O(text × ids). Ids escaped by a writer (JSON `\"`, HTML `&amp;`) are
 * searched as written; scan the decoded text for those. Reading files is the caller's part
 * (`src/io` owns the file system).
 *
 * @param texts - one text, or a `Map` from output name to text.
 * @param ids - the raw ids (repeats allowed).
 * @param options - see {@link FindRawIdsOptions}.
 * @returns whether the texts are clean and every hit.
 * @throws {@link InvalidOptionError} for a bad `minLength` or non-string texts or ids.
 * @example
 * ```ts
 * const r = findRawIds(new Map([["report.html", "<td>C12</td><td>C1</td>"], ["segments.csv", "segment,n\nLost,12"]]), ["C1", "C2", "12"]);
 * [r.clean, r.hits.map((h) => [h.source, h.id, h.count])];
 * //=> [false, [["report.html", "C1", 1], ["segments.csv", "12", 1]]]
 * ```
 * @category Privacy
 */
export function findRawIds(texts: string | ReadonlyMap<string, string>, ids: Iterable<string>, options: FindRawIdsOptions = {}): FindRawIdsResult {
  const fn = "findRawIds";
  const o = withDefaults(FIND_RAW_IDS_DEFAULTS, options);
  if (!(Number.isInteger(o.minLength) && o.minLength >= 1)) throw new InvalidOptionError(fn, "minLength", o.minLength, "a whole number >= 1");
  const sources: [string, string][] = typeof texts === "string" ? [["", texts]] : texts instanceof Map ? [...texts] : [];
  if (typeof texts !== "string" && !(texts instanceof Map)) throw new InvalidOptionError(fn, "texts", texts, "a string or a Map from name to text");
  for (const [name, t] of sources) if (typeof t !== "string") throw new InvalidOptionError(fn, `texts.get(${JSON.stringify(name)})`, t, "a string");
  const distinct = new Set<string>();
  let skipped = 0;
  for (const id of ids) {
    if (typeof id !== "string") throw new InvalidOptionError(fn, "ids", id, "string ids");
    distinct.add(id);
  }
  // id -> (first word run, offset of the run in the id); ids without a run are searched as substrings.
  const byRun = new Map<string, { id: string; offset: number }[]>();
  const plain: string[] = [];
  for (const id of distinct) {
    if (id.length < o.minLength || id.length === 0) {
      skipped++;
      continue;
    }
    RUN.lastIndex = 0;
    const m = RUN.exec(id);
    if (!m) plain.push(id);
    else {
      const list = byRun.get(m[0]);
      const entry = { id, offset: m.index };
      if (list) list.push(entry);
      else byRun.set(m[0], [entry]);
    }
  }
  const hits: RawIdHit[] = [];
  for (const [source, text] of sources) {
    const found = new Map<string, { count: number; first: number }>();
    const note = (id: string, at: number) => {
      const f = found.get(id);
      if (f) f.count++;
      else found.set(id, { count: 1, first: at });
    };
    RUN.lastIndex = 0;
    for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
      const list = byRun.get(m[0]);
      if (!list) continue;
      for (const { id, offset } of list) {
        const s = m.index - offset;
        const e = s + id.length;
        if (s < 0 || !text.startsWith(id, s)) continue;
        if (STARTS_WORD.test(id) && wordBefore(text, s)) continue;
        if (ENDS_WORD.test(id) && wordAt(text, e)) continue;
        note(id, s);
      }
    }
    for (const id of plain) for (let at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) note(id, at);
    const list = [...found].map(([id, f]) => ({ source, id, count: f.count, firstIndex: f.first }));
    list.sort((a, b) => a.firstIndex - b.firstIndex);
    hits.push(...list);
  }
  return { clean: hits.length === 0, hits, searchedIds: distinct.size - skipped, skippedIds: skipped };
}
