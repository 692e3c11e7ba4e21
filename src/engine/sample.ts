/**
 * Learners on samples: a seeded, stratified sample of customers drawn by the engine, models
 * trained on it in process (churn, k-means), then every customer scored inside the engine with
 * the models compiled to SQL (`score.ts`).
 *
 * The sample is hash-based: each customer's key is the MD5 of `seed:id` (hex), and a stratum of
 * N_h customers contributes the n_h customers with the smallest keys, n_h proportional to N_h
 * (largest remainders, so the n_h add up to the size asked for). The sample therefore depends
 * only on the seed, the ids and the strata — not on the row order, the file layout or the
 * number of threads — and the same key is computable anywhere (`md5` in DuckDB, `MD5` in
 * ClickHouse, `node:crypto` in JavaScript). The engine returns candidates (customers whose key
 * prefix falls below a per-stratum threshold a few standard deviations above n_h / N_h) and the
 * exact n_h smallest are kept here, so no window function is needed (ClickHouse 18.16 has none).
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { Seed } from "../numeric/random.js";
import { trainChurnModelColumns, type TrainChurnModelColumnsOptions } from "../churn/columns.js";
import type { SingleChurnModel } from "../churn/model.js";
import { clusterCustomers, type ClusterCustomersOptions, type ClusterModel } from "../cluster/cluster.js";
import { duckdb, num, type Dialect } from "./dialect.js";
import { churnScoreSql, clusterAssignSql } from "./score.js";

/**
 * One stratification variable: a column whose values are the strata (a churn label, a segment),
 * or `{ column, bins }`: quantile bins of a numeric column (e.g. `bins: 10` for value deciles;
 * bin b = 1 + the number of cut points strictly below the value, cut points the exact quantiles
 * 1/bins .. (bins−1)/bins of the finite values; a missing or non-finite value is bin 0).
 * @category Engines
 */
export type SampleStratum = string | {
  /** Numeric column to cut into quantile bins. */
  readonly column: string;
  /** Number of bins (2 to 100). */
  readonly bins: number;
};

/**
 * A customer relation for the engine: a file path (Parquet file, glob or folder; CSV; NDJSON),
 * or `{ query }`, any DuckDB `SELECT` (e.g. over `read_parquet(...)`). One row per customer.
 * @category Engines
 */
export type DuckDbCustomerSource = string | {
  /** A DuckDB query giving one row per customer. */
  readonly query: string;
};

/**
 * Resource options shared by the sampling and scoring functions (DuckDB's settings).
 * @category Engines
 */
export interface DuckDbResourceOptions {
  /** DuckDB's memory limit: bytes or a size such as `"4GB"`. Default: DuckDB's own (80% of the machine's memory). */
  memoryLimit?: number | string;
  /** Threads DuckDB may use. Default: DuckDB's own (the number of cores). */
  threads?: number;
  /** Folder for DuckDB's spill files. Default: DuckDB's own. */
  tempDirectory?: string;
}

/**
 * Options of {@link sampleCustomersWithDuckDb}.
 * @category Engines
 */
export interface SampleCustomersOptions extends DuckDbResourceOptions {
  /** Customers to draw (required): an integer from 1 to the number of customers in the source. */
  size: number;
  /** Stratification variables; the strata are their combinations. Default `[]` (one stratum: a simple random sample). */
  strata?: readonly SampleStratum[];
  /** Seed of the hash (a number or a string; its text is hashed). Default `42`. */
  seed?: Seed;
  /** Column holding the customer id (read as text). Default `"customerId"`. */
  idColumn?: string;
  /** Columns to return besides the id. Default: every column. */
  columns?: readonly string[];
}

/**
 * One stratum of a sample.
 * @category Engines
 */
export interface SampleStratumCount {
  /** The stratum's value of each stratification variable, in `strata` order: the text of a column's value (null for NULL), or the bin number of a `{ column, bins }` variable. */
  key: (string | number | null)[];
  /** Customers of the source in the stratum (N_h). */
  population: number;
  /** Customers drawn from it (n_h). */
  sample: number;
  /** n_h / N_h. */
  fraction: number;
}

/**
 * How a sample was drawn: what a model trained on it reports.
 * @category Engines
 */
export interface SampleInfo {
  /** The method: MD5 of `seed:id`, smallest keys per stratum, proportional allocation. */
  method: "stratified-hash";
  /** The seed, as given. */
  seed: Seed;
  /** Customers drawn (n). */
  size: number;
  /** Customers in the source (N). */
  population: number;
  /** n / N. */
  fraction: number;
  /** The stratification variables, as given. */
  strata: SampleStratum[];
  /** The quantile cut points of each `{ column, bins }` variable, by column. */
  cuts: Record<string, number[]>;
  /** Every stratum of the source (also those that drew no one), ordered by key. */
  counts: SampleStratumCount[];
}

/**
 * A sample of customers: columns of the drawn rows, sorted by id (code-unit order), and how it
 * was drawn.
 * @category Engines
 */
export interface CustomerSample {
  /** Rows. */
  length: number;
  /** Customer ids, sorted. */
  ids: string[];
  /** Columns by name (null-prototype object): numbers, booleans and dates as `Float64Array` (NULL as NaN, booleans 0/1, dates as epoch days), anything else as text (`null` for NULL). */
  columns: Record<string, Float64Array | (string | null)[]>;
  /** Index of each row's stratum in `info.counts`. */
  stratum: Int32Array;
  /** How the sample was drawn. */
  info: SampleInfo;
}

const SAMPLE_DEFAULTS = Object.freeze({ strata: [] as readonly SampleStratum[], seed: 42 as Seed, idColumn: "customerId" });

/** The few functions the sampler needs beyond {@link Dialect}. */
interface SampleDialect {
  /** Lower-case hex MD5 of a text. */
  md5Hex(text: string): string;
  /** Any value as text. */
  toText(x: string): string;
  /** Exact quantiles (discrete: values of the column) at the given probabilities, as an array. */
  quantiles(x: string, probs: readonly number[]): string;
}
const SAMPLE_SQL: Record<Dialect["name"], SampleDialect> = {
  duckdb: {
    md5Hex: (t) => `md5(${t})`,
    toText: (x) => `CAST(${x} AS VARCHAR)`,
    quantiles: (x, p) => `quantile_disc(${x}, [${p.map(num).join(", ")}])`,
  },
  clickhouse: {
    md5Hex: (t) => `lower(hex(MD5(${t})))`,
    toText: (x) => `toString(${x})`,
    quantiles: (x, p) => `quantilesExact(${p.join(", ")})(${x})`,
  },
};

/** Hex digits of the key prefix compared with the thresholds (52 bits: exact in a double). */
const PREFIX = 13;

/** Resolved strata: per variable, its SQL expression of the stratum value. */
interface StrataPlan {
  exprs: string[];
  cuts: Record<string, number[]>;
}

/** SQL of the quantile cut points of the `{ column, bins }` strata (one row, one array per such variable). */
function stratumCutsSql(d: Dialect, relation: string, strata: readonly SampleStratum[]): string | null {
  const s = SAMPLE_SQL[d.name];
  // Each binned variable's quantiles over its own finite values.
  const parts = strata.flatMap((v, j) => {
    if (typeof v === "string") return [];
    const x = d.float(d.ident(v.column));
    const probs = Array.from({ length: v.bins - 1 }, (_, k) => (k + 1) / v.bins);
    return [`(SELECT ${s.quantiles(x, probs)} FROM ${relation} WHERE COALESCE(${d.isFinite(x)}, 1 = 0)) AS q${j}`];
  });
  return parts.length === 0 ? null : `SELECT ${parts.join(", ")}`;
}

/** The stratum expressions once the cut points are known. */
function strataExprs(d: Dialect, strata: readonly SampleStratum[], cuts: Record<string, number[]>): string[] {
  const s = SAMPLE_SQL[d.name];
  return strata.map((v) => {
    if (typeof v === "string") return s.toText(d.ident(v));
    const x = d.float(d.ident(v.column));
    const c = cuts[v.column];
    const below = c.length === 0 ? "0" : c.map((q) => `(CASE WHEN ${num(q)} < ${x} THEN 1 ELSE 0 END)`).join(" + ");
    return `(CASE WHEN COALESCE(${d.isFinite(x)}, 1 = 0) THEN 1 + ${below} ELSE 0 END)`;
  });
}

/** The customer's hash key (hex text of 32 digits). */
function sampleKeySql(d: Dialect, idExpr: string, seed: Seed): string {
  const s = SAMPLE_SQL[d.name];
  return s.md5Hex(d.concat(d.str(`${String(seed)}:`), s.toText(idExpr)));
}

/** SQL counting the customers per stratum (columns k0, k1, ..., n). */
function stratumCountsSql(d: Dialect, relation: string, exprs: readonly string[]): string {
  if (exprs.length === 0) return `SELECT count(*) AS n FROM ${relation}`;
  const keys = exprs.map((e, j) => `${e} AS k${j}`).join(", ");
  return `SELECT ${exprs.map((_, j) => `k${j}`).join(", ")}, count(*) AS n FROM (SELECT ${keys} FROM ${relation}) AS s GROUP BY ${exprs.map((_, j) => `k${j}`).join(", ")}`;
}

/**
 * SQL of the candidate rows: the customers whose key prefix is below their stratum's threshold
 * (`thresholds[h]`, hex text of {@link PREFIX} digits, or null for "all"), with `_key`, `_s`
 * (the stratum index) and the wanted columns.
 */
function sampleCandidatesSql(
  d: Dialect, relation: string, idColumn: string, seed: Seed, exprs: readonly string[], keys: readonly (readonly (string | number | null)[])[], thresholds: readonly (string | null)[], columns: readonly string[],
): string {
  const key = sampleKeySql(d, d.ident(idColumn), seed);
  const eq = (e: string, v: string | number | null) => (v === null ? `${e} IS NULL` : typeof v === "number" ? `${e} = ${v}` : `${e} = ${d.str(v)}`);
  const stratum = exprs.length === 0 ? "0" : `(CASE ${keys.map((k, h) => `WHEN ${k.map((v, j) => eq(exprs[j], v)).join(" AND ")} THEN ${h}`).join(" ")} ELSE -1 END)`;
  const cond = `(CASE ${thresholds.map((t, h) => `WHEN _s = ${h} THEN ${t === null ? "1 = 1" : `${d.substr("_key", 1, PREFIX)} < ${d.str(t)}`}`).join(" ")} ELSE 1 = 0 END)`;
  const cols = columns.map((c) => d.ident(c)).join(", ");
  return `SELECT * FROM (SELECT ${SAMPLE_SQL[d.name].toText(d.ident(idColumn))} AS _id, ${key} AS _key, ${stratum} AS _s${cols ? `, ${cols}` : ""} FROM ${relation}) AS c WHERE ${cond}`;
}

/** n_h proportional to N_h, summing to n: floors, then the largest remainders (ties: lower stratum index). */
function allocate(n: number, pop: readonly number[]): number[] {
  const N = pop.reduce((a, b) => a + b, 0);
  const out = pop.map((p) => Math.floor((n * p) / N));
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = pop.map((p, h) => ({ h, r: (n * p) / N - out[h] })).sort((a, b) => b.r - a.r || a.h - b.h);
  for (const { h } of order) {
    if (left === 0) break;
    if (out[h] < pop[h]) {
      out[h]++;
      left--;
    }
  }
  return out;
}

/** A fraction in [0, 1) as the hex threshold of the key prefix; null for 1 (everyone). */
function hexThreshold(p: number): string | null {
  if (p >= 1) return null;
  const v = Math.floor(p * 16 ** PREFIX);
  return v.toString(16).padStart(PREFIX, "0");
}

// ---- DuckDB plumbing (the package is optional: loaded when first used) ----

interface DuckConn {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[]; columnNames(): string[]; getRows(): unknown[][] }>;
  stream(sql: string): Promise<{ fetchChunk(): Promise<{ rowCount: number; getColumnValues(j: number): unknown[] } | null>; columnNames(): string[] }>;
  closeSync(): void;
}
interface DuckInstance {
  connect(): Promise<DuckConn>;
  closeSync(): void;
}

/** Open an in-memory DuckDB with the resource options; `close` releases it. */
async function openDuck(fn: string, o: DuckDbResourceOptions): Promise<{ conn: DuckConn; close: () => void }> {
  const config: Record<string, string> = { preserve_insertion_order: "false" };
  if (o.memoryLimit !== undefined) {
    const ok = typeof o.memoryLimit === "number" ? Number.isFinite(o.memoryLimit) && o.memoryLimit > 0 : typeof o.memoryLimit === "string" && /^\s*\d+(\.\d+)?\s*[KMGT]i?B\s*$/i.test(o.memoryLimit);
    if (!ok) throw new InvalidOptionError(fn, "memoryLimit", o.memoryLimit, 'a positive number of bytes or a size such as "4GB"');
    config.memory_limit = typeof o.memoryLimit === "number" ? `${Math.max(1, Math.floor(o.memoryLimit / 1024))}KiB` : o.memoryLimit.trim();
  }
  if (o.threads !== undefined) {
    if (!(Number.isInteger(o.threads) && o.threads >= 1)) throw new InvalidOptionError(fn, "threads", o.threads, "an integer >= 1");
    config.threads = String(o.threads);
  }
  if (o.tempDirectory !== undefined) {
    if (typeof o.tempDirectory !== "string" || o.tempDirectory.length === 0) throw new InvalidOptionError(fn, "tempDirectory", o.tempDirectory, "a folder path");
    config.temp_directory = o.tempDirectory;
  }
  let mod: { DuckDBInstance: { create(path: string, options: Record<string, string>): Promise<DuckInstance> } };
  try {
    mod = (await import("@duckdb/node-api")) as unknown as typeof mod;
  } catch (cause) {
    throw new AnalyticsError("DEPENDENCY_FAILED", `${fn}: the DuckDB engine needs the optional package "@duckdb/node-api", which could not be loaded (${(cause as Error).message}); install it with npm install @duckdb/node-api`, { cause });
  }
  try {
    const db = await mod.DuckDBInstance.create(":memory:", config);
    const conn = await db.connect();
    return { conn, close: () => (conn.closeSync(), db.closeSync()) };
  } catch (cause) {
    return fail(fn, "starting DuckDB", cause);
  }
}

/** A DuckDB error as ours: `TOO_LARGE` for memory, `IO_ERROR` otherwise, DuckDB's error as `cause`. */
function fail(fn: string, what: string, cause: unknown): never {
  if (cause instanceof AnalyticsError) throw cause;
  const msg = (cause as Error)?.message ?? String(cause);
  if (/out of memory|memory limit/i.test(msg)) throw new AnalyticsError("TOO_LARGE", `${fn}: DuckDB ran out of memory while ${what} (${msg}); raise memoryLimit or set tempDirectory on a disk with room`, { cause });
  throw new AnalyticsError("IO_ERROR", `${fn}: DuckDB failed while ${what}: ${msg}`, { cause });
}

/** The relation of a customer source, in DuckDB. */
function relationOf(fn: string, source: DuckDbCustomerSource): string {
  if (typeof source === "string") {
    if (source.length === 0) throw new InvalidOptionError(fn, "source", source, "a file path, a glob, a folder or { query }");
    const p = duckdb.str(source);
    const ext = source.toLowerCase().replace(/\/$/, "").split(".").pop() ?? "";
    if (ext === "csv" || ext === "tsv" || ext === "txt") return `read_csv(${p})`;
    if (ext === "ndjson" || ext === "jsonl") return `read_json(${p}, format = 'newline_delimited')`;
    if (ext === "parquet" || ext === "pq" || /[*?[]/.test(source)) return `read_parquet(${p})`;
    return `read_parquet(${duckdb.str(`${source.replace(/\/$/, "")}/**/*.parquet`)})`;
  }
  if (source === null || typeof source !== "object" || typeof source.query !== "string" || source.query.trim() === "") {
    throw new InvalidOptionError(fn, "source", source, "a file path, a glob, a folder or { query }");
  }
  return `(${source.query}) AS customers`;
}

/** Column names and types of a relation; a missing column named by an option is an InvalidOptionError listing the columns. */
async function describe(fn: string, conn: DuckConn, relation: string): Promise<Map<string, string>> {
  try {
    const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRowObjects();
    return new Map(rows.map((r) => [String(r.column_name), String(r.column_type)]));
  } catch (cause) {
    return fail(fn, "reading the source", cause);
  }
}

function requireColumn(fn: string, option: string, cols: Map<string, string>, name: unknown): void {
  if (typeof name !== "string" || !cols.has(name)) throw new InvalidOptionError(fn, option, name, `a column of the source (${[...cols.keys()].map((c) => JSON.stringify(c)).join(", ")})`);
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*|BOOLEAN|DATE)$/i;

/** A DuckDB value as a number: BIGINT as bigint, DECIMAL/DATE objects, booleans. */
function toNumber(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  const o = v as { days?: number; toDouble?: () => number };
  if (typeof o.days === "number") return o.days;
  if (typeof o.toDouble === "function") return o.toDouble();
  return Number(String(v));
}

function checkSampleOptions(fn: string, options: SampleCustomersOptions) {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(fn, "options", options, "an object with at least { size }");
  const o = withDefaults(SAMPLE_DEFAULTS, options);
  if (typeof o.size !== "number" || !Number.isInteger(o.size) || o.size < 1) throw new InvalidOptionError(fn, "size", o.size, "an integer >= 1 (the customers to draw)");
  if (!(typeof o.seed === "string" || (typeof o.seed === "number" && Number.isFinite(o.seed)))) throw new InvalidOptionError(fn, "seed", o.seed, "a finite number or a string");
  if (typeof o.idColumn !== "string" || o.idColumn.length === 0) throw new InvalidOptionError(fn, "idColumn", o.idColumn, "a column name");
  if (!Array.isArray(o.strata)) throw new InvalidOptionError(fn, "strata", o.strata, "an array of column names or { column, bins }");
  o.strata.forEach((v, j) => {
    if (typeof v === "string" && v.length > 0) return;
    if (v !== null && typeof v === "object" && typeof v.column === "string" && Number.isInteger(v.bins) && v.bins >= 2 && v.bins <= 100) return;
    throw new InvalidOptionError(fn, `strata[${j}]`, v, "a column name or { column, bins } with bins an integer from 2 to 100");
  });
  if (o.columns !== undefined && (!Array.isArray(o.columns) || o.columns.some((c) => typeof c !== "string"))) throw new InvalidOptionError(fn, "columns", o.columns, "an array of column names");
  return o;
}

/** Most strata a sample may have (each is one branch of a `CASE`). */
const MAX_STRATA = 10_000;

async function drawSample(fn: string, conn: DuckConn, relation: string, options: SampleCustomersOptions): Promise<CustomerSample> {
  const o = checkSampleOptions(fn, options);
  const d = duckdb;
  const types = await describe(fn, conn, relation);
  requireColumn(fn, "idColumn", types, o.idColumn);
  o.strata.forEach((v, j) => requireColumn(fn, `strata[${j}]`, types, typeof v === "string" ? v : v.column));
  const columns = (o.columns ?? [...types.keys()]).filter((c) => c !== o.idColumn);
  columns.forEach((c, j) => requireColumn(fn, `columns[${j}]`, types, c));
  try {
    // 1. Cut points of the binned variables.
    const cuts: Record<string, number[]> = Object.create(null);
    const cutSql = stratumCutsSql(d, relation, o.strata);
    if (cutSql !== null) {
      const row = (await conn.runAndReadAll(cutSql)).getRows()[0];
      let k = 0;
      for (const v of o.strata) {
        if (typeof v === "string") continue;
        const list = row[k++] as { items: unknown[] } | null;
        cuts[v.column] = list === null ? [] : [...new Set(list.items.map(toNumber))].sort((a, b) => a - b);
      }
    }
    const exprs = strataExprs(d, o.strata, cuts);
    // 2. Customers per stratum.
    const countRows = (await conn.runAndReadAll(stratumCountsSql(d, relation, exprs))).getRows();
    const strata = countRows
      .map((r) => ({ key: exprs.map((_, j) => (r[j] === null ? null : typeof r[j] === "string" ? (r[j] as string) : toNumber(r[j]))), population: toNumber(r[exprs.length]) }))
      .sort((a, b) => compareKeys(a.key, b.key));
    if (strata.length > MAX_STRATA) throw new InvalidOptionError(fn, "strata", o.strata, `at most ${MAX_STRATA} strata (the variables give ${strata.length})`);
    const N = strata.reduce((s, x) => s + x.population, 0);
    if (o.size > N) throw new InvalidOptionError(fn, "size", o.size, `at most ${N} (the customers in the source)`);
    const n = allocate(o.size, strata.map((s) => s.population));
    // 3. Candidates: each stratum's keys below a threshold about 6 standard deviations above n_h / N_h; widened until every stratum has n_h.
    let widen = 1;
    const rowsOf: Map<number, { id: string; key: string; values: unknown[] }[]> = new Map();
    for (;;) {
      const thresholds = strata.map((s, h) => (n[h] === 0 ? "0".repeat(PREFIX) : hexThreshold((widen * (n[h] + 6 * Math.sqrt(n[h]) + 10)) / s.population)));
      rowsOf.clear();
      const result = await conn.stream(sampleCandidatesSql(d, relation, o.idColumn, o.seed, exprs, strata.map((s) => s.key), thresholds, columns));
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        const cols = Array.from({ length: 3 + columns.length }, (_, j) => chunk.getColumnValues(j));
        for (let i = 0; i < chunk.rowCount; i++) {
          const h = toNumber(cols[2][i]);
          let list = rowsOf.get(h);
          if (!list) rowsOf.set(h, (list = []));
          list.push({ id: String(cols[0][i]), key: String(cols[1][i]), values: columns.map((_, j) => cols[3 + j][i]) });
        }
      }
      if (strata.every((_, h) => (rowsOf.get(h)?.length ?? 0) >= n[h])) break;
      widen *= 2;
    }
    // 4. The n_h smallest keys of each stratum (ties, impossible in practice: by id).
    const picked: { id: string; h: number; values: unknown[] }[] = [];
    strata.forEach((_, h) => {
      const list = rowsOf.get(h) ?? [];
      list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (let i = 0; i < n[h]; i++) picked.push({ id: list[i].id, h, values: list[i].values });
    });
    picked.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let i = 1; i < picked.length; i++) {
      if (picked[i].id === picked[i - 1].id) throw new InvalidRecordError(fn, { row: i + 1, field: o.idColumn, value: picked[i].id, expected: "one row per customer (this id is on several rows)" });
    }
    const out: Record<string, Float64Array | (string | null)[]> = Object.create(null);
    columns.forEach((c, j) => {
      if (NUMERIC.test(types.get(c) ?? "")) out[c] = Float64Array.from(picked, (p) => toNumber(p.values[j]));
      else out[c] = picked.map((p) => (p.values[j] === null || p.values[j] === undefined ? null : String(p.values[j])));
    });
    const counts = strata.map((s, h) => ({ key: s.key, population: s.population, sample: n[h], fraction: n[h] / s.population }));
    return {
      length: picked.length,
      ids: picked.map((p) => p.id),
      columns: out,
      stratum: Int32Array.from(picked, (p) => p.h),
      info: { method: "stratified-hash", seed: o.seed, size: o.size, population: N, fraction: o.size / N, strata: [...o.strata], cuts, counts },
    };
  } catch (e) {
    if (e instanceof AnalyticsError) throw e;
    return fail(fn, "drawing the sample", e);
  }
}

function compareKeys(a: readonly (string | number | null)[], b: readonly (string | number | null)[]): number {
  for (let j = 0; j < a.length; j++) {
    const x = a[j];
    const y = b[j];
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * Draw a seeded, stratified sample of customers inside DuckDB.
 *
 * @remarks
 * Each customer's key is the lower-case hex MD5 of `"<seed>:<id>"`. The strata are the
 * combinations of the `strata` variables (a column's values, or quantile bins of a numeric
 * column); a stratum of N_h customers gets n_h = floor(n N_h / N) customers, plus one for the
 * strata with the largest remainders until the n_h add up to n (proportional allocation: every
 * stratum's share of the sample is within 1/n of its share of the population), and contributes
 * its n_h smallest keys. So the sample depends only on the seed, the ids and the strata: the
 * same for any row order, file split or thread count, and reproducible outside the engine
 * (`createHash("md5")` in Node). DuckDB scans the source three times at most (cut points,
 * counts, candidates); only the candidates (about n + 6√n_h + 10 per stratum) reach JavaScript.
 * The source must hold one row per customer (a repeated id among the drawn rows is an error).
 *
 * @param source - one row per customer: a Parquet file, glob or folder, a CSV or NDJSON file, or `{ query }`.
 * @param options - see {@link SampleCustomersOptions}; `size` is required.
 * @returns the drawn rows (columns sorted by id), each row's stratum, and how it was drawn.
 * @throws {@link InvalidOptionError} for a size outside 1 .. N (`size`), an unknown column (`idColumn`, `strata[j]`, `columns[j]`), more than 10,000 strata, or a bad option.
 * @throws {@link InvalidRecordError} when a drawn id is on several rows.
 * @throws {@link AnalyticsError} `DEPENDENCY_FAILED` without `@duckdb/node-api`; `IO_ERROR` when DuckDB fails; `TOO_LARGE` when it runs out of memory.
 * @example
 * ```ts
 * const s = await sampleCustomersWithDuckDb(
 *   { query: "SELECT 'c' || i AS customerId, i % 2 = 0 AS churned, i * 1.5 AS spend FROM range(1000) AS t(i)" },
 *   { size: 100, strata: ["churned", { column: "spend", bins: 4 }], seed: 7, threads: 1 },
 * );
 * [s.length, s.info.counts.length, s.info.counts.map((c) => c.sample), s.info.fraction];
 * //=> [100, 8, [13, 13, 13, 13, 12, 12, 12, 12], 0.1]
 * ```
 * @category Engines
 */
export async function sampleCustomersWithDuckDb(source: DuckDbCustomerSource, options: SampleCustomersOptions): Promise<CustomerSample> {
  const fn = "sampleCustomersWithDuckDb";
  const relation = relationOf(fn, source);
  checkSampleOptions(fn, options);
  const { conn, close } = await openDuck(fn, options);
  try {
    return await drawSample(fn, conn, relation, options);
  } finally {
    close();
  }
}

/**
 * Options of {@link trainOnSampleWithDuckDb}.
 * @category Engines
 */
export interface TrainOnSampleOptions extends DuckDbResourceOptions {
  /** How to draw the training sample (`size` required; `idColumn`, `strata`, `seed` as {@link sampleCustomersWithDuckDb}). */
  sample: Omit<SampleCustomersOptions, keyof DuckDbResourceOptions | "columns">;
  /** Train a churn model: the 0/1 (or boolean) label column, the feature columns, and `trainChurnModelColumns` options (model `"logistic"` (default), `"tree"` or `"forest"`, which compile to SQL). Default: none. */
  churn?: Omit<TrainChurnModelColumnsOptions, "features" | "label"> & {
    /** Column holding the label: 1/true = churned. */
    label: string;
    /** Feature columns. */
    features: readonly string[];
  };
  /** Train k-means: the feature columns and `clusterCustomers` options (`k`, `transform`, `scaling`, `seed`, ...). Default: none. */
  cluster?: Omit<ClusterCustomersOptions, "features" | "kRange"> & {
    /** Feature columns. */
    features: readonly string[];
  };
  /** Write the scores of every customer to this Parquet file (inside DuckDB, nothing streamed back) instead of returning them. Default: return them as columns. */
  output?: string;
}

/**
 * What {@link trainOnSampleWithDuckDb} returns: the models, the scores of every customer, and
 * the sample they were trained on.
 * @category Engines
 */
export interface TrainOnSampleResult {
  /** The models were trained on a sample, drawn as described (size, fraction, seed, strata). */
  trainedOn: SampleInfo;
  /** The churn model (when `churn` was given). */
  churnModel?: SingleChurnModel;
  /** The k-means model (when `cluster` was given). */
  clusterModel?: ClusterModel;
  /** Customers scored (all rows of the source). */
  scored: number;
  /** The scores, sorted by id, when no `output` was given: churn probability, cluster, distance to its centre. */
  scores?: {
    /** Customer ids. */
    ids: string[];
    /** Churn probability (with `churn`). */
    churnProbability?: Float64Array;
    /** Cluster number (with `cluster`). */
    cluster?: Int32Array;
    /** Distance to the cluster's centre, in the scaled space (with `cluster`). */
    clusterDistance?: Float64Array;
  };
  /** The Parquet file written (with `output`): columns id (named as `idColumn`), `churn_probability`, `cluster`, `cluster_distance`. */
  output?: string;
}

/**
 * Train on a sample, score everyone: draw a stratified sample in DuckDB
 * ({@link sampleCustomersWithDuckDb}), train a churn model (`trainChurnModelColumns`) and/or
 * k-means (`clusterCustomers`) on it in process, then score every customer of the source inside
 * DuckDB with the models compiled to SQL ({@link churnScoreSql}, {@link clusterAssignSql}).
 *
 * @remarks
 * Training cost depends on the sample size, not on the number of customers; scoring is one scan
 * of the source in the engine. The scores equal in-process scoring of the same models
 * (`scoreChurnColumns`, `assignClusterColumns`) to 1e-9. The result says the models were
 * trained on a sample (`trainedOn`: size, fraction, seed, strata). A model fitted on a sample is
 * a model of the population only as far as the sample represents it: stratify on the label and
 * on the features that matter (e.g. spend deciles), and check the fit on a second seed.
 * Rows with a missing feature: the churn model treats them as in process (NaN); the cluster is
 * NULL (NaN distance, cluster −1 when streamed back).
 *
 * @param source - one row per customer (see {@link DuckDbCustomerSource}).
 * @param options - see {@link TrainOnSampleOptions}.
 * @returns the models, the scores (or the file written) and the sample description.
 * @throws {@link InvalidOptionError} for a bad option (as {@link sampleCustomersWithDuckDb}; `churn.label`, `churn.features`, `cluster.features` must be columns).
 * @throws {@link InvalidRecordError} when a sampled row has a missing or non-finite k-means feature (`clusterCustomers` refuses it; filter such rows in a `{ query }` source).
 * @throws {@link AnalyticsError} `EMPTY_INPUT` when the sample holds one label only; `DEPENDENCY_FAILED`, `IO_ERROR`, `TOO_LARGE` as {@link sampleCustomersWithDuckDb}.
 * @example
 * ```ts
 * const r = await trainOnSampleWithDuckDb(
 *   { query: "SELECT 'c' || i AS customerId, i % 50 AS recency, CAST(i % 50 > 30 AS INTEGER) AS churned FROM range(2000) AS t(i)" },
 *   { sample: { size: 200, strata: ["churned"], seed: 1 }, churn: { label: "churned", features: ["recency"], model: "tree", maxDepth: 1 }, threads: 1 },
 * );
 * [r.trainedOn.size, r.trainedOn.fraction, r.scored, r.scores?.churnProbability?.[0]];
 * //=> [200, 0.1, 2000, 0]
 * ```
 * @category Engines
 */
export async function trainOnSampleWithDuckDb(source: DuckDbCustomerSource, options: TrainOnSampleOptions): Promise<TrainOnSampleResult> {
  const fn = "trainOnSampleWithDuckDb";
  const relation = relationOf(fn, source);
  if (options === null || typeof options !== "object" || options.sample === null || typeof options.sample !== "object") {
    throw new InvalidOptionError(fn, "sample", options?.sample, "{ size, strata?, seed?, idColumn? }");
  }
  const { churn, cluster, output } = options;
  if (churn === undefined && cluster === undefined) throw new InvalidOptionError(fn, "churn", undefined, "a churn model to train, a cluster model, or both");
  if (output !== undefined && (typeof output !== "string" || output.length === 0)) throw new InvalidOptionError(fn, "output", output, "a Parquet file path");
  const idColumn = options.sample.idColumn ?? SAMPLE_DEFAULTS.idColumn;
  const { conn, close } = await openDuck(fn, options);
  try {
    const types = await describe(fn, conn, relation);
    if (churn !== undefined) {
      requireColumn(fn, "churn.label", types, churn.label);
      if (!Array.isArray(churn.features) || churn.features.length === 0) throw new InvalidOptionError(fn, "churn.features", churn.features, "a non-empty array of column names");
      churn.features.forEach((f, j) => requireColumn(fn, `churn.features[${j}]`, types, f));
    }
    if (cluster !== undefined) {
      if (!Array.isArray(cluster.features) || cluster.features.length === 0) throw new InvalidOptionError(fn, "cluster.features", cluster.features, "a non-empty array of column names");
      cluster.features.forEach((f, j) => requireColumn(fn, `cluster.features[${j}]`, types, f));
    }
    const wanted = [...new Set([...(churn ? [churn.label, ...churn.features] : []), ...(cluster ? cluster.features : [])])];
    const sample = await drawSample(fn, conn, relation, { ...options.sample, columns: wanted });
    const result: TrainOnSampleResult = { trainedOn: sample.info, scored: 0 };
    const select: string[] = [`${SAMPLE_SQL.duckdb.toText(duckdb.ident(idColumn))} AS ${duckdb.ident(idColumn)}`];
    if (churn !== undefined) {
      const { label, features, ...train } = churn;
      const cols: Record<string, Float64Array> = Object.create(null);
      for (const f of features) cols[f] = sample.columns[f] as Float64Array;
      const y = sample.columns[label];
      if (!(y instanceof Float64Array)) throw new InvalidOptionError(fn, "churn.label", label, "a numeric or boolean column (1/true = churned)");
      result.churnModel = trainChurnModelColumns({ columns: cols }, y, { ...train, features: [...features], label });
      select.push(`${churnScoreSql("duckdb", result.churnModel)} AS churn_probability`);
    }
    if (cluster !== undefined) {
      const { features, ...rest } = cluster;
      const rows = sample.ids.map((id, i) => {
        const r: Record<string, unknown> = { customerId: id };
        for (const f of features) r[f] = (sample.columns[f] as Float64Array)[i];
        return r;
      });
      result.clusterModel = clusterCustomers(rows, { ...rest, features: [...features] }).model;
      const a = clusterAssignSql("duckdb", result.clusterModel);
      select.push(`${a.cluster} AS cluster`, `${a.distance} AS cluster_distance`);
    }
    const scoreSql = `SELECT ${select.join(", ")} FROM ${relation}`;
    if (output !== undefined) {
      const r = (await conn.runAndReadAll(`COPY (${scoreSql}) TO ${duckdb.str(output)} (FORMAT parquet)`)).getRows();
      result.scored = toNumber(r[0]?.[0]);
      result.output = output;
      return result;
    }
    // Stream every customer's scores back, chunk by chunk, into growing columns.
    const ids: string[] = [];
    const p: number[] = [];
    const c: number[] = [];
    const dist: number[] = [];
    const stream = await conn.stream(`${scoreSql} ORDER BY 1`);
    for (;;) {
      const chunk = await stream.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const v = Array.from({ length: select.length }, (_, j) => chunk.getColumnValues(j));
      for (let i = 0; i < chunk.rowCount; i++) {
        ids.push(String(v[0][i]));
        let j = 1;
        if (churn !== undefined) p.push(toNumber(v[j++][i]));
        if (cluster !== undefined) {
          const k = v[j++][i];
          c.push(k === null ? -1 : toNumber(k));
          dist.push(toNumber(v[j++][i]));
        }
      }
    }
    // DuckDB sorts text by bytes; the library's order is code units (they differ only above U+FFFF).
    const order = Int32Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    result.scored = ids.length;
    result.scores = { ids: Array.from(order, (k) => ids[k]) };
    if (churn !== undefined) result.scores.churnProbability = Float64Array.from(order, (k) => p[k]);
    if (cluster !== undefined) {
      result.scores.cluster = Int32Array.from(order, (k) => c[k]);
      result.scores.clusterDistance = Float64Array.from(order, (k) => dist[k]);
    }
    return result;
  } catch (e) {
    if (e instanceof AnalyticsError) throw e;
    return fail(fn, "training on the sample and scoring", e);
  } finally {
    close();
  }
}
