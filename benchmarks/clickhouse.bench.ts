/**
 * ClickHouse 2-shard cluster vs DuckDB on the same transaction log (issue 17, item 6: "the
 * ClickHouse cluster on 10M rows, checked equal to DuckDB's results"):
 *
 *   npm run bench -- clickhouse                    # 10,000,000 rows
 *   npm run bench -- clickhouse --rows=1000000     # smaller
 *   npm run bench -- clickhouse --ch-memory=4000000000 --ch-settings=   # 4 GB per query, no spilling
 *
 * ClickHouse's settings for the summary and calibration queries: `--ch-memory` (`max_memory_usage`
 * in bytes; default `profile`, the servers' 1 GB) and `--ch-settings=k=v,k=v` (default
 * `max_bytes_before_external_group_by=400000000`: the grouping spills to disk past 400 MB; without
 * it the 10M-row summary needs more than 1 GB, even per shard).
 *
 * The log is the engines benchmark's Parquet file `/tmp/customer-analytics-engines/tx-N.parquet`
 * (customer_id, date, amount, order_id, items), reused when present; otherwise a log of the same
 * columns is generated here by DuckDB (seeded; simpler than engines.bench.ts's, whose generator is
 * not exported) into `clickhouse-tx-N.parquet` beside it, so the engines benchmark's cache is
 * never replaced by another log.
 *
 * ClickHouse: the real 2-shard cluster of the engine tests (test/engine/clickhouseCluster.ts: two
 * `clickhouse-server` processes on 127.0.0.1, cluster `ca_two`, per-query `max_memory_usage` 1 GB
 * and `max_threads` 1 from their profile). The tables are those of its `loadTransactions` (MergeTree
 * `tx_local` on each server, `tx` Distributed over them sharded by `cityHash64(customer)`). Load:
 * DuckDB writes the log as a tab-separated file (row number, customer, date, amount, order id),
 * which is streamed from disk into the first server's HTTP interface as `INSERT INTO tx FORMAT
 * TabSeparated` with `insert_distributed_sync=1` (the Distributed table routes each row to its
 * shard by the same hash; the insert returns once both shards hold their rows). Then the customer
 * summary and the calibration table (`summarizeWithClickHouse`, `calibrationWithClickHouse`) two
 * ways: through the Distributed table (the shards read, the first server groups every row it
 * receives) and with the option `shards` (the whole per-customer query on each shard's local
 * table, concurrently). A query ClickHouse refuses (e.g. over its memory limit) is reported in
 * the table and fails the run, as does any difference.
 *
 * DuckDB: `openDuckDbSource` on the same Parquet file (read and validated as the in-process reader
 * does: the "load"), then `summarize` and `calibration` from it (2 threads, 3GB memory limit).
 *
 * Checked equal: the same customers in the same order; integer columns (and the calibration's x,
 * t_x, T) exactly; money and the other doubles within 1e-9 relative (|a - b| <= 1e-9 max(1, |b|),
 * as test/engine/compare.ts); the summary reports equal. A difference is an error naming the first
 * differing customer and field. CPU s per step: this process (DuckDB's threads included) plus, for
 * ClickHouse steps, both servers' user + system time (from /proc); wall s; the 1-minute load
 * average at the end of the step.
 */
import { request } from "node:http";
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { calibrationWithClickHouse, openDuckDbSource, summarizeWithClickHouse, type ClickHouseSourceOptions, type DuckDbSummaryResult } from "../src/engine/index.js";
import type { CalibrationTable } from "../src/core/table.js";
import { clickHouseBinary, startClickHouseCluster, type ClickHouseCluster } from "../test/engine/clickhouseCluster.js";
import { printMachine, printMarkdownTable } from "./util.js";

const arg = (name: string, def: string): string => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : def;
};
const ROWS = Number(arg("rows", "10000000"));
/** ClickHouse's per-query `max_memory_usage` in bytes, or `profile` for the servers' 1 GB. */
const CH_MEMORY = arg("ch-memory", "profile");
/** More ClickHouse settings for the summary and calibration queries, `k=v,k=v` (default: spill the grouping past 400 MB). */
const CH_SETTINGS = arg("ch-settings", "max_bytes_before_external_group_by=400000000");
const DIR = "/tmp/customer-analytics-engines";
const TEMP = join(DIR, "spill");
/** First day of the engines log: 2023-01-01 (epoch day 19358); it spans 730 days. */
const DAY0 = 19358;
const SPAN = 730;
const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
/** The summary as of the log's last day; the calibration ends at 75% of it, in weeks, by day (as engines.bench.ts). */
const AS_OF = iso(DAY0 + SPAN - 1);
const CAL_END = iso(DAY0 + Math.floor(SPAN * 0.75) - 1);

interface Step {
  engine: string;
  name: string;
  cpu: number;
  wall: number;
  load: number;
  note: string;
}
const steps: Step[] = [];
let serverPids: number[] = [];

/** User + system CPU seconds of the ClickHouse servers so far (0 when not running or not Linux). */
function serverCpu(): number {
  let ticks = 0;
  for (const pid of serverPids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ
}

async function step<T>(engine: string, name: string, fn: () => Promise<T>, note: (r: T) => string = () => ""): Promise<T> {
  const c0 = process.cpuUsage();
  const s0 = serverCpu();
  const t0 = performance.now();
  const done = (what: string) => {
    const c = process.cpuUsage(c0);
    const s: Step = { engine, name, cpu: (c.user + c.system) / 1e6 + (serverCpu() - s0), wall: (performance.now() - t0) / 1000, load: loadavg()[0], note: what };
    steps.push(s);
    console.error(`[${s.wall.toFixed(1)} s wall, ${s.cpu.toFixed(1)} s CPU, load ${s.load.toFixed(1)}] ${engine}: ${name} ${s.note}`);
  };
  let r: T;
  try {
    r = await fn();
  } catch (e) {
    done(`**failed**: ${(e as Error).message.slice(0, 200)}`);
    throw e;
  }
  done(note(r));
  return r;
}

interface Conn {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync(): void;
}
interface Db {
  connect(): Promise<Conn>;
  closeSync(): void;
}

async function duckDb(): Promise<Db> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  return (await DuckDBInstance.create(":memory:", { threads: "2", memory_limit: "3GB", temp_directory: TEMP, preserve_insertion_order: "true" })) as unknown as Db;
}

/**
 * A seeded log of exactly `rows` lines with the engines log's columns, for sizes the engines
 * benchmark has not written: customers C0..C(k-1) with a skewed number of 2-line orders, days
 * uniform within a life starting in the first 2 years, amounts skewed with 4% returns.
 */
async function generate(conn: Conn, rows: number, path: string): Promise<void> {
  const u = (...v: (string | number)[]) => `(hash(${v.join(", ")}, 17) / 18446744073709551616.0)`;
  await conn.run(`COPY (
    SELECT 'C' || c AS customer_id, DATE '2023-01-01' + CAST(least(${SPAN - 1}, floor(${u("c", 1)} * ${SPAN - 1}) + floor(${u("o", 2)} * 200)) AS INTEGER) AS date,
      CASE WHEN ${u("line", 3)} < 0.04 THEN -1 ELSE 1 END * round((2 + 180 * ${u("line", 4)} * ${u("line", 5)}) * (0.2 - ln(1 - ${u("c", 6)})), 2) AS amount,
      'O' || c || '-' || o AS order_id, 'I' || CAST(floor(${u("line", 7)} * 2000) AS INTEGER) AS items
    FROM (SELECT line, o, CAST(floor(pow(${u("o", 8)}, 3) * ${Math.max(1, Math.floor(rows / 20))}) AS BIGINT) AS c
      FROM (SELECT range AS line, range // 2 AS o FROM range(${rows})))
    ORDER BY line) TO '${path}' (FORMAT parquet, COMPRESSION zstd)`);
}

/** Stream a file into `INSERT INTO table FORMAT TabSeparated` on the server at `url`. */
function insertFile(url: string, table: string, file: string, settings: Record<string, string>): Promise<void> {
  const u = new URL(url);
  u.searchParams.set("query", `INSERT INTO ${table} FORMAT TabSeparated`);
  for (const [k, v] of Object.entries(settings)) u.searchParams.set(k, v);
  return new Promise((resolve, reject) => {
    const req = request(u, { method: "POST", headers: { "content-length": String(statSync(file).size) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`ClickHouse insert: HTTP ${res.statusCode}: ${text.slice(0, 2000)}`))));
    });
    req.on("error", reject);
    createReadStream(file).on("error", reject).pipe(req);
  });
}

interface Diff {
  customers: number;
  maxRel: number;
  first: string | null;
}

/** Compare two tables column by column: exact for `exact` columns and Int32Array columns, else within 1e-9 relative. */
function compareTables(got: Record<string, unknown>, want: Record<string, unknown>, what: string, exact: readonly string[]): Diff {
  const ids = want.ids as string[];
  const gids = got.ids as string[];
  const d: Diff = { customers: ids.length, maxRel: 0, first: null };
  const fail = (msg: string) => (d.first ??= `${what}: ${msg}`);
  if (gids.length !== ids.length) fail(`ClickHouse has ${gids.length} customers, DuckDB ${ids.length}`);
  const n = Math.min(gids.length, ids.length);
  for (let i = 0; i < n; i++) {
    if (gids[i] !== ids[i]) {
      fail(`customer #${i}: ClickHouse ${JSON.stringify(gids[i])}, DuckDB ${JSON.stringify(ids[i])}`);
      return d;
    }
  }
  for (const [k, w] of Object.entries(want)) {
    if (!(w instanceof Int32Array || w instanceof Float64Array)) continue;
    const g = got[k] as Int32Array | Float64Array;
    for (let i = 0; i < n; i++) {
      const a = g[i];
      const b = w[i];
      if (w instanceof Int32Array || exact.includes(k)) {
        if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) fail(`customer ${JSON.stringify(ids[i])} ${k}: ClickHouse ${a}, DuckDB ${b} (exact)`);
      } else if (Number.isNaN(b) || Number.isNaN(a)) {
        if (!(Number.isNaN(a) && Number.isNaN(b))) fail(`customer ${JSON.stringify(ids[i])} ${k}: ClickHouse ${a}, DuckDB ${b}`);
      } else {
        const rel = Math.abs(a - b) / Math.max(1, Math.abs(b));
        if (rel > d.maxRel) d.maxRel = rel;
        if (!(rel <= 1e-9)) fail(`customer ${JSON.stringify(ids[i])} ${k}: ClickHouse ${a}, DuckDB ${b} (relative ${rel.toExponential(2)})`);
      }
    }
  }
  return d;
}

async function main(): Promise<void> {
  if (!Number.isInteger(ROWS) || ROWS < 1000) throw new Error(`--rows must be an integer >= 1000, got ${arg("rows", "")}`);
  await printMachine(`ClickHouse 2-shard cluster vs DuckDB (benchmarks/clickhouse.bench.ts): ${ROWS.toLocaleString("en-US")} rows`);
  const binary = clickHouseBinary();
  if ("missing" in binary) {
    console.log(`skipped: ${binary.missing}`);
    return;
  }
  mkdirSync(TEMP, { recursive: true });
  const load0 = loadavg();
  let log = join(DIR, `tx-${ROWS}.parquet`);
  if (!existsSync(log)) {
    log = join(DIR, `clickhouse-tx-${ROWS}.parquet`);
    if (!existsSync(log)) {
      const db = await duckDb();
      const conn = await db.connect();
      await step("DuckDB", "generate the log (not counted)", () => generate(conn, ROWS, `${log}.partial`));
      conn.closeSync();
      db.closeSync();
      renameSync(`${log}.partial`, log);
    }
  }
  console.error(`log: ${log} (${(statSync(log).size / 2 ** 20).toFixed(1)} MiB)`);
  const tsvFile = join(DIR, `clickhouse-load-${ROWS}-${process.pid}.tsv`);

  // DuckDB: open (read + validate) once, then the two tables.
  const src = await step("DuckDB", "load: read + validate the Parquet log", () => openDuckDbSource(log, {
    columns: { customerId: "customer_id", date: "date", amount: "amount", orderId: "order_id" }, keepAttributes: false, threads: 2, memoryLimit: "3GB", tempDirectory: TEMP,
  }), (s) => `${s.ingestion.accepted.toLocaleString("en-US")} rows accepted, ${s.ingestion.rejected} rejected`);
  let duckSum: DuckDbSummaryResult;
  let duckCal: CalibrationTable;
  try {
    duckSum = await step("DuckDB", `customer summary (asOf ${AS_OF})`, () => src.summarize({ asOf: AS_OF, periodDays: 30 }), (r) => `${r.customers.length.toLocaleString("en-US")} customers`);
    duckCal = await step("DuckDB", `calibration (end ${CAL_END}, weeks, by day)`, () => src.calibration({ calibrationEnd: CAL_END, timeUnit: "weeks", groupBy: "day" }), (r) => `${r.length.toLocaleString("en-US")} customers`);
  } finally {
    src.close();
  }

  let cluster: ClickHouseCluster | null = null;
  try {
    cluster = await step("ClickHouse", "start 2 servers (not counted)", () => startClickHouseCluster(binary.path));
    const c = cluster;
    serverPids = c.pids;
    await step("ClickHouse", "load: DuckDB writes TSV, streamed into the Distributed table", async () => {
      const db = await duckDb();
      const conn = await db.connect();
      try {
        await conn.run(`COPY (SELECT file_row_number AS row_no, customer_id, date, amount, order_id FROM read_parquet('${log}', file_row_number = true))
          TO '${tsvFile}' (FORMAT csv, DELIMITER '\t', HEADER false)`);
      } finally {
        conn.closeSync();
        db.closeSync();
      }
      // loadTransactions's tables (it takes the rows as an array and refuses an empty insert): MergeTree tx_local on both servers, Distributed tx by cityHash64(customer).
      for (const k of [0, 1] as const) {
        await c.query("CREATE TABLE tx_local (row_no UInt32, customer String, purchase_date Date, amount Float64, order_id String) ENGINE = MergeTree() ORDER BY (customer, purchase_date, row_no)", k);
        await c.query("CREATE TABLE tx AS tx_local ENGINE = Distributed(ca_two, default, tx_local, cityHash64(customer))", k);
      }
      await insertFile(c.urls[0], "tx", tsvFile, { insert_distributed_sync: "1" });
      const counts = await Promise.all([0, 1].map(async (k) => Number((await c.query("SELECT count() FROM tx_local", k as 0 | 1)).trim())));
      if (counts[0] + counts[1] !== ROWS) throw new Error(`ClickHouse holds ${counts[0] + counts[1]} rows, the log has ${ROWS}`);
      return counts;
    }, (counts) => `shards hold ${counts.map((x) => x.toLocaleString("en-US")).join(" + ")} rows`);
    rmSync(tsvFile, { force: true });
    // --ch-memory and --ch-settings: settings of every query, in the HTTP address.
    const settings = new URLSearchParams(CH_SETTINGS === "" ? [] : CH_SETTINGS.split(",").map((kv) => kv.split("=") as [string, string]));
    if (CH_MEMORY !== "profile") settings.set("max_memory_usage", CH_MEMORY);
    const withMemory = (u: string) => (settings.size === 0 ? u : `${u}?${settings.toString()}`);
    const columns = { customerId: "customer", date: "purchase_date", amount: "amount", orderId: "order_id", row: "row_no" };
    const variants: { name: string; source: ClickHouseSourceOptions }[] = [
      // Through the Distributed table: the shards read, the initiator (server 1) groups every row it receives.
      { name: "Distributed tx", source: { url: withMemory(c.urls[0]), table: "tx", columns } },
      // shards: the whole per-customer query on each shard's local table, concurrently (customers do not span shards).
      { name: "shards (tx_local)", source: { url: withMemory(c.urls[0]), table: "tx_local", shards: c.urls.map(withMemory), columns } },
    ];
    const results: string[] = [];
    let failed = false;
    for (const v of variants) {
      const sum = await step("ClickHouse", `customer summary, ${v.name}`, () => summarizeWithClickHouse({ ...v.source, asOf: AS_OF, periodDays: 30 }), (r) => `${r.customers.length.toLocaleString("en-US")} customers`).catch((e: unknown) => e as Error);
      const cal = await step("ClickHouse", `calibration, ${v.name}`, () => calibrationWithClickHouse({ ...v.source, calibrationEnd: CAL_END, timeUnit: "weeks", groupBy: "day" }), (r) => `${r.length.toLocaleString("en-US")} customers`).catch((e: unknown) => e as Error);
      for (const [what, r, want, exact] of [["customer summary", sum, duckSum, []], ["calibration", cal, duckCal, ["x", "t_x", "T"]]] as const) {
        if (r instanceof Error) {
          failed = true;
          results.push(`${v.name}, ${what}: failed: ${r.message}`);
          continue;
        }
        const got = (what === "calibration" ? r : (r as typeof duckSum).customers) as unknown as Record<string, unknown>;
        const ref = (what === "calibration" ? want : (want as typeof duckSum).customers) as unknown as Record<string, unknown>;
        const d = compareTables(got, ref, what, exact);
        if (d.first !== null) failed = true;
        results.push(`${v.name}, ${what}: ${d.customers.toLocaleString("en-US")} customers compared, largest relative difference ${d.maxRel.toExponential(2)}, ${d.first ?? "equal"}`);
        if (what === "customer summary") {
          const a = (r as typeof duckSum).summary;
          const same = JSON.stringify(a) === JSON.stringify(duckSum.summary);
          if (!same) failed = true;
          results.push(`${v.name}, summary report: ${same ? "equal" : `differs: ClickHouse ${JSON.stringify(a)}, DuckDB ${JSON.stringify(duckSum.summary)}`}`);
        }
      }
    }

    console.log(`\nlog ${log}: ${ROWS.toLocaleString("en-US")} rows; ClickHouse max_memory_usage ${CH_MEMORY === "profile" ? "1 GB (the servers' profile)" : CH_MEMORY}${CH_SETTINGS === "" ? "" : `, ${CH_SETTINGS}`}; load average at start ${load0.map((x) => x.toFixed(1)).join(" / ")}, at end ${loadavg().map((x) => x.toFixed(1)).join(" / ")}\n`);
    printMarkdownTable(["engine", "step", "CPU s", "wall s", "load (1 min)", "note"], steps.map((x) => [x.engine, x.name, x.cpu, x.wall, x.load.toFixed(1), x.note]));
    console.log("");
    for (const line of results) console.log(line);
    if (failed) throw new Error("ClickHouse failed or differs from DuckDB (see above)");
  } finally {
    rmSync(tsvFile, { force: true });
    await cluster?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
