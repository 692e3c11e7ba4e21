import { parseTransactions, type DataFrameLike, type IngestionResult, type ParseTransactionsOptions } from "../core/ingest.js";
import { InvalidOptionError } from "../core/errors.js";

/**
 * A DataFrame constructor taking column data, such as danfo.js's `DataFrame`.
 * @category Ingestion
 */
export type DataFrameConstructor<T> = new (data: Record<string, unknown[]>) => T;

/**
 * Turn records (transactions, summaries, any analytic's output rows) into a DataFrame, built
 * with the constructor you pass (`dfd.DataFrame` from `danfojs` or `danfojs-node`), so this
 * library does not depend on danfo. Columns are the union of the records' keys in order of
 * first appearance; a missing value becomes `null`; `Date`s stay `Date`s; nested objects
 * (e.g. `attributes`) are flattened one level as `attributes.key`.
 *
 * @param records - plain records.
 * @param DataFrame - the DataFrame class to build.
 * @returns the new DataFrame.
 * @throws {@link InvalidOptionError} when `DataFrame` is not a constructor.
 * @example
 * ```ts
 * import * as dfd from "danfojs";
 * const df = toDataFrame([{ customerId: "a", amount: 1 }], dfd.DataFrame);
 * df.columns;
 * //=> ["customerId", "amount"]
 * ```
 * @category Ingestion
 */
export function toDataFrame<T>(records: Iterable<object>, DataFrame: DataFrameConstructor<T>): T {
  if (typeof DataFrame !== "function") throw new InvalidOptionError("toDataFrame", "DataFrame", DataFrame, "a DataFrame constructor, e.g. dfd.DataFrame");
  const rows: Record<string, unknown>[] = [];
  const names: string[] = [];
  const known = new Set<string>();
  for (const rec of records) {
    const flat: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rec)) {
      if (v !== null && typeof v === "object" && !(v instanceof Date) && !Array.isArray(v)) {
        for (const [k2, v2] of Object.entries(v)) flat[`${k}.${k2}`] = v2;
      } else flat[k] = Array.isArray(v) ? v.join("|") : v;
    }
    for (const k of Object.keys(flat)) {
      if (!known.has(k)) {
        known.add(k);
        names.push(k);
      }
    }
    rows.push(flat);
  }
  const data: Record<string, unknown[]> = {};
  for (const n of names) data[n] = rows.map((r) => (r[n] === undefined ? null : r[n]));
  return new DataFrame(data);
}

/**
 * Read transactions back from a DataFrame (any object with `columns` and row-major `values`,
 * such as a danfo.js DataFrame), with the validation and report of `parseTransactions`.
 * Items written by {@link toDataFrame} as `"a|b"` are split back; flattened `attributes.key`
 * columns return to `attributes`.
 *
 * @param df - the DataFrame.
 * @param options - validation options (column mapping, dates, mode).
 * @returns the transactions and the ingestion report.
 * @throws {@link InvalidRecordError} in strict mode for the first invalid row.
 * @example
 * ```ts
 * const { transactions } = fromDataFrame({ columns: ["customerId", "date", "amount"], values: [["a", "2024-01-01", 5]] });
 * transactions[0].amount;
 * //=> 5
 * ```
 * @category Ingestion
 */
export function fromDataFrame(df: DataFrameLike, options: ParseTransactionsOptions = {}): IngestionResult {
  const result = parseTransactions(df, options);
  for (const t of result.transactions) {
    const attrs = t.attributes;
    if (!attrs) continue;
    let nested: Record<string, unknown> | undefined;
    let rest: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith("attributes.")) {
        if (v !== null) (nested ??= {})[k.slice("attributes.".length)] = v;
      } else if (v !== null) (rest ??= {})[k] = v;
    }
    const merged = nested || rest ? { ...(rest ?? {}), ...(nested ?? {}) } : undefined;
    const mutable = t as { attributes?: Record<string, unknown> };
    if (merged) mutable.attributes = merged;
    else delete mutable.attributes;
  }
  return result;
}
