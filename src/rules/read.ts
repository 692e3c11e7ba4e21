import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { BasketBuilder, type Baskets } from "./baskets.js";

/**
 * Text encodings {@link readBaskets} can read (Node's names; `"utf-8"` and `"utf8"` are the same).
 * Our own list, so that the type declarations do not need `@types/node` (`BufferEncoding`).
 * @category Association rules
 */
export type BasketFileEncoding = "utf8" | "utf-8" | "utf16le" | "utf-16le" | "latin1" | "ascii";

const ENCODINGS: readonly BasketFileEncoding[] = ["utf8", "utf-8", "utf16le", "utf-16le", "latin1", "ascii"];

/**
 * Options of {@link readBaskets}.
 * @category Association rules
 */
export interface ReadBasketsOptions {
  /** File layout: `"csv-items"` (one basket per line, items separated by `delimiter`, like `groceries.csv`), `"fimi"` (one basket per line, items separated by spaces or tabs, like `T10I4D100K.dat`) or `"long"` (a table with a header, one item per row, a basket column and an item column). Default `"csv-items"`. */
  format?: "csv-items" | "fimi" | "long";
  /** Field delimiter for `"csv-items"` and `"long"`. Default `","`. */
  delimiter?: string;
  /** `"long"` only: name of the basket (order) id column. Default `"orderId"`. */
  basketColumn?: string;
  /** `"long"` only: name of the item column. Default `"item"`. */
  itemColumn?: string;
  /** File encoding. Default `"utf8"`. */
  encoding?: BasketFileEncoding;
}

const READ_BASKETS_DEFAULTS = Object.freeze({
  format: "csv-items" as "csv-items" | "fimi" | "long",
  delimiter: ",",
  basketColumn: "orderId",
  itemColumn: "item",
  encoding: "utf8" as BasketFileEncoding,
});

/** Split one line on `delim`, honouring double quotes (`""` inside quotes is a quote). */
function splitQuoted(line: string, delim: string): string[] {
  if (!line.includes('"')) return line.split(delim);
  const out: string[] = [];
  let cur = "";
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cur += c;
      i++;
    } else if (c === '"') {
      quoted = true;
      i++;
    } else if (line.startsWith(delim, i)) {
      out.push(cur);
      cur = "";
      i += delim.length;
    } else {
      cur += c;
      i++;
    }
  }
  out.push(cur);
  return out;
}

/**
 * Read market baskets from a file, streamed line by line (Node only: `node:fs` is loaded when
 * called, inside a `try`, so the rest of `rules` bundles and runs in a browser).
 *
 * @remarks
 * - `"csv-items"`: one basket per line, items separated by `delimiter` (the Groceries file).
 *   Fields may be double-quoted (`"a, b"`), but a quoted field cannot span lines.
 * - `"fimi"`: one basket per line, items separated by runs of spaces or tabs (the FIMI
 *   benchmark files such as T10I4D100K); the tokens are used as labels (`"25"`).
 * - `"long"`: a delimited table with a header line and one item per row; rows with the same
 *   value in `basketColumn` form one basket (they need not be adjacent); basket ids are kept.
 *
 * Every label is trimmed (R's `read.transactions` does the same, which is what makes the
 * Groceries file give 169 items, not 171); empty labels are skipped; an item repeated in a
 * basket counts once. In the item-list formats a blank line is not a basket (so a trailing
 * newline adds nothing). Labels may contain any other characters (quotes, `<script>`): they
 * are data, never interpreted.
 *
 * @param path - file path.
 * @param options - see {@link ReadBasketsOptions}.
 * @returns a promise of the baskets.
 * @throws {@link InvalidOptionError} for an unknown format or encoding, an empty delimiter or a missing column.
 * @throws {@link InvalidRecordError} for a `"long"` row with too few fields.
 * @throws {@link AnalyticsError} with code `IO_ERROR` when the file cannot be read, `DEPENDENCY_FAILED` outside Node (no `node:fs`).
 * @example
 * ```ts
 * const b = await readBaskets("../shared/data/groceries/groceries.csv");
 * [b.count, b.items.length];
 * //=> [9835, 169]
 * ```
 * @category Association rules
 */
export async function readBaskets(path: string, options: ReadBasketsOptions = {}): Promise<Baskets> {
  const fn = "readBaskets";
  const o = withDefaults(READ_BASKETS_DEFAULTS, options);
  if (o.format !== "csv-items" && o.format !== "fimi" && o.format !== "long") {
    throw new InvalidOptionError(fn, "format", o.format, '"csv-items", "fimi" or "long"');
  }
  if (!ENCODINGS.includes(o.encoding)) throw new InvalidOptionError(fn, "encoding", o.encoding, ENCODINGS.map((e) => JSON.stringify(e)).join(", "));
  if (typeof o.delimiter !== "string" || o.delimiter.length === 0) throw new InvalidOptionError(fn, "delimiter", o.delimiter, "a non-empty string");
  if (typeof path !== "string" || path.length === 0) throw new InvalidOptionError(fn, "path", path, "a file path");
  // Loaded on demand and inside try, so bundlers for the browser leave them out (esbuild keeps an
  // unresolvable import() in a try block instead of failing) and a browser gets a clear error.
  let fs: typeof import("node:fs");
  let readline: typeof import("node:readline");
  try {
    fs = await import("node:fs");
    readline = await import("node:readline");
  } catch (e) {
    throw new AnalyticsError("DEPENDENCY_FAILED", `${fn}: reading a file needs Node's node:fs and node:readline, which this runtime does not have; in a browser, build the baskets with toBaskets(lists) or basketsFrom(transactions)`, { cause: e });
  }
  let stream: import("node:fs").ReadStream;
  try {
    await fs.promises.access(path, fs.constants.R_OK);
    stream = fs.createReadStream(path, { encoding: o.encoding });
  } catch (e) {
    throw new AnalyticsError("IO_ERROR", `${fn}: cannot read ${JSON.stringify(path)}: ${(e as Error).message}`, { cause: e });
  }
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    if (o.format === "long") return await readLong(lines, o, fn);
    const builder = new BasketBuilder(false);
    const ws = /[ \t]+/;
    for await (const line of lines) {
      if (line.trim().length === 0) continue;
      builder.open();
      const fields = o.format === "fimi" ? line.split(ws) : splitQuoted(line, o.delimiter);
      for (const f of fields) builder.add(f);
    }
    return builder.finish();
  } catch (e) {
    if (e instanceof AnalyticsError) throw e;
    throw new AnalyticsError("IO_ERROR", `${fn}: failed reading ${JSON.stringify(path)}: ${(e as Error).message}`, { cause: e });
  } finally {
    lines.close();
    stream.destroy();
  }
}

async function readLong(lines: AsyncIterable<string>, o: { delimiter: string; basketColumn: string; itemColumn: string }, fn: string): Promise<Baskets> {
  const baskets = new Map<string, string[]>();
  let header: string[] | undefined;
  let bi = -1;
  let ii = -1;
  let row = 0;
  for await (const line of lines) {
    if (header === undefined) {
      header = splitQuoted(line.replace(/^\uFEFF/, ""), o.delimiter).map((h) => h.trim());
      bi = header.indexOf(o.basketColumn);
      ii = header.indexOf(o.itemColumn);
      if (bi < 0) throw new InvalidOptionError(fn, "basketColumn", o.basketColumn, `one of the header columns ${JSON.stringify(header)}`);
      if (ii < 0) throw new InvalidOptionError(fn, "itemColumn", o.itemColumn, `one of the header columns ${JSON.stringify(header)}`);
      continue;
    }
    if (line.trim().length === 0) continue;
    row++;
    const f = splitQuoted(line, o.delimiter);
    if (f.length <= Math.max(bi, ii)) {
      throw new InvalidRecordError(fn, { row, field: f.length <= bi ? o.basketColumn : o.itemColumn, value: line, expected: `${header.length} fields` });
    }
    const key = f[bi].trim();
    let list = baskets.get(key);
    if (!list) baskets.set(key, (list = []));
    list.push(f[ii]);
  }
  const builder = new BasketBuilder(true);
  for (const [key, items] of baskets) {
    builder.open(key);
    for (const it of items) builder.add(it);
  }
  return builder.finish();
}
