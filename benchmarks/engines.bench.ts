/**
 * Engines: a transaction log of N rows (default 100,000,000) generated as Parquet by DuckDB
 * itself, then the whole per-customer analysis run through DuckDB, every output written as
 * Parquet, nothing per customer held in JavaScript except the training samples:
 *
 *   npm run bench -- engines                          # 100M rows (the target run; quiet machine)
 *   npm run bench -- engines --rows=1000000           # smaller
 *   npm run bench -- engines --rows=10000000 --threads=2 --memory=1GB   # default memory 5GB
 *   npm run bench -- engines --rows=1000000 --calibration=library   # sql.ts's calibrationSql (ordered lists)
 *
 * Steps: the bare read + group-by (the baseline: DuckDB touching every row once), the customer
 * summary (sql.ts), RFM scores (quintile cuts, rfmScoreSql), the behaviour matrix (median
 * splits), ABC classes by value, the calibration table, BG/NBD fitted in process on the
 * sufficient statistics (distinct (x, t_x, T) with weights), Gamma-Gamma fitted on a stratified
 * sample of repeat buyers (sampleCustomersWithDuckDb), P(alive) and 12-month CLV scored in SQL
 * (the discounted series once per distinct (x, T): clvSeriesSql), churn (logistic on a
 * stratified sample, scored for every customer in SQL: trainOnSampleWithDuckDb) and k-means
 * cluster assignment for every customer (same). Per step: CPU s (user + system of the process:
 * DuckDB's threads included), wall s, peak RSS of the step (VmHWM after resetting it through
 * /proc/self/clear_refs; DuckDB's memory is in the same process), and CPU against the baseline.
 *
 * Target (issue 17): 100M rows within 15 minutes and 8 GiB peak RSS on 2 cores.
 *
 * The log (seed fixed, DuckDB's `hash` of the row and a constant as the random source, so the
 * same file for any thread count): orders of 2 lines, customers drawn with a skew (some buy
 * much more), each with a first day within two years and an exponential lifetime whose mean
 * varies by customer (20 to 920 days), order days
 * uniform within the customer's life, line amounts skewed with 4% returns (negative), 1-3 items
 * per line as `|`-separated text. Columns: customer_id, date (DATE), amount (DOUBLE), order_id,
 * items. Written to /tmp/customer-analytics-engines/ (kept for reuse; delete it to regenerate).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { duckdb as d } from "../src/engine/dialect.js";
import { calibrationSql, customerAggregateSql, customerSummarySql } from "../src/engine/sql.js";
import { bgNbdPAliveSql, clvSeriesSql, clvSql, rfmScoreSql } from "../src/engine/score.js";
import { sampleCustomersWithDuckDb, trainOnSampleWithDuckDb } from "../src/engine/sample.js";
import { fitBgNbdColumns } from "../src/clv/bgnbd.js";
import { fitGammaGamma } from "../src/clv/gammagamma.js";
import { printMachine, printMarkdownTable } from "./util.js";

const arg = (name: string, def: string): string => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : def;
};
const ROWS = Number(arg("rows", "100000000"));
const THREADS = Number(arg("threads", "2"));
/**
 * DuckDB's memory_limit. At 100M rows (11.6M customers) the whole run peaks at 5.25 GiB RSS with
 * 5GB, now that the SQL keeps no per-customer list (before, the customer summary's purchase-day
 * lists could not spill and needed 7GB).
 */
const MEMORY = arg("memory", "5GB");
const DIR = "/tmp/customer-analytics-engines";
const TEMP = join(DIR, "spill");
const LOG = join(DIR, `tx-${ROWS}.parquet`);
const OUT = join(DIR, `out-${ROWS}`);
const SEED = 17;
/** Terms of the hypergeometric series in the CLV (the rows where it has not converged are counted). */
const TERMS = Number(arg("terms", "256"));
/** `list-free` (default, see calibrationSumSql) or `library` (sql.ts's calibrationSql). */
const CALIBRATION = arg("calibration", "list-free");
/** First day of the log: 2023-01-01 (epoch day 19358); the log spans 730 days. */
const DAY0 = 19358;
const SPAN = 730;

interface Step {
  name: string;
  cpu: number;
  wall: number;
  peakMiB: number;
  note: string;
}
const steps: Step[] = [];

/** VmHWM (peak RSS) of this process in MiB; reset with {@link resetPeak}. */
function peakMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}
let canReset = true;
function resetPeak(): void {
  if (!canReset) return;
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    canReset = false; // peaks are then cumulative
  }
}

async function step<T>(name: string, fn: () => Promise<T>, note: (r: T) => string = () => ""): Promise<T> {
  resetPeak();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const c = process.cpuUsage(c0);
  const s: Step = { name, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000, peakMiB: peakMiB(), note: note(r) };
  steps.push(s);
  console.error(`[${s.wall.toFixed(1)} s wall, ${s.cpu.toFixed(1)} s CPU, ${s.peakMiB.toFixed(0)} MiB] ${name} ${s.note}`);
  return r;
}

/** A uniform number in [0, 1) from DuckDB's hash of the values (and the seed). */
const u = (...v: (string | number)[]) => `(hash(${v.join(", ")}, ${SEED}) / 18446744073709551616.0)`;

/**
 * Per-customer draws of candidate customers 0 .. count-1, BG/NBD-like: first purchase day b,
 * purchase rate λ ~ Exponential (mean 1/45 a day), drop-out probability after each purchase
 * p ~ Kumaraswamy(0.8, 3) (close to Beta(0.8, 3)), D ~ Geometric(p) purchases survived, alive
 * until about b + (D + 0.5)/λ; M repeat purchases in the alive window (normal approximation of
 * the Poisson count, at most D and 500), the orders uniform in the window.
 */
function customersSql(count: number): string {
  return `
    SELECT c, b, w, CAST(least(d, 500, greatest(0, round(lam * w + sqrt(lam * w) * z))) AS INTEGER) AS m FROM (
      SELECT c, b, lam, d, least(${SPAN - 1} - b, (d + 0.5) / lam) AS w,
        sqrt(-2 * ln(1 - ${u("c", 5)})) * cos(2 * pi() * ${u("c", 6)}) AS z
      FROM (
        SELECT c, floor(${u("c", 1)} * ${SPAN - 1}) AS b, -ln(1 - ${u("c", 2)}) / 45 AS lam,
          floor(ln(1 - ${u("c", 4)}) / ln(1 - least(0.999, pow(1 - pow(1 - ${u("c", 3)}, 1 / 3), 1 / 0.8)) + 1e-12)) AS d
        FROM range(${count}) AS t(c)))`;
}

/** Statements that write the log of exactly `rows` lines (2 lines per order) to `path`. */
async function generate(conn: Conn, rows: number, path: string): Promise<void> {
  // Lines per customer are 2 (M + 1): a pilot of 100,000 customers sizes the candidate count.
  const pilot = n((await one(conn, `SELECT avg(2 * (m + 1)) FROM (${customersSql(100_000)})`))[0]);
  const count = Math.ceil((rows / pilot) * 1.1) + 1000;
  await conn.run(`CREATE TEMP TABLE gen AS SELECT * FROM (SELECT *, sum(2 * (m + 1)) OVER (ORDER BY c ROWS UNBOUNDED PRECEDING) - 2 * (m + 1) AS off FROM (${customersSql(count)})) WHERE off < ${rows}`);
  const orders = `SELECT c, b, w, off, unnest(range(m + 1)) AS k FROM gen`;
  const lines = `SELECT c, off + 2 * k + l AS line, 'C' || c AS customer_id, 'O' || c || '-' || k AS order_id,
      DATE '2023-01-01' + CAST(CASE WHEN k = 0 THEN b ELSE b + floor(${u("c", "k", 7)} * w) END AS INTEGER) AS date, l
    FROM (SELECT *, unnest([0, 1]) AS l FROM (${orders}))`;
  await conn.run(`COPY (SELECT customer_id, date,
      CASE WHEN ${u("line", 8)} < 0.04 THEN -amt ELSE amt END AS amount, order_id,
      array_to_string(list_transform(range(1 + CAST(floor(${u("line", 9)} * 3) AS INTEGER)), j -> 'I' || CAST(floor(${u("line", "j", 10)} * 2000) AS INTEGER)), '|') AS items
    FROM (SELECT *, round((2 + 180 * ${u("line", 11)} * ${u("line", 12)}) * (0.2 - ln(1 - ${u("c", 13)})), 2) AS amt FROM (${lines}) WHERE line < ${rows})
    ORDER BY line) TO ${d.str(path)} (FORMAT parquet, COMPRESSION zstd)`);
  await conn.run("DROP TABLE gen");
}

/**
 * The calibration table (x, t_x, T in weeks, monetary, first; purchases by customer-day up to
 * `end`) without `calibrationSql`'s ordered list of each customer's nets: the monetary value is
 * (Σ purchase nets − the first purchase's net) / (n − 1), the first found with `arg_min`. Same
 * numbers up to the order of additions; no per-customer list, so DuckDB can spill it: on the 10M
 * log the builder's list needed more than 400 MB of memory DuckDB could not spill (out of memory
 * at `memory_limit` 400MB, 8.2 CPU s), this form ran in 200 MB (2.2 CPU s). `--calibration=library`
 * runs `calibrationSql` instead; at 2M rows or fewer both run and are compared.
 */
function calibrationSumSql(end: number, unitDays: number): string {
  return `SELECT cust, n - 1 AS x, CAST(last - first AS DOUBLE) / ${unitDays} AS t_x, CAST(${end} - first AS DOUBLE) / ${unitDays} AS "T",
    CASE WHEN n > 1 THEN (total - first_net) / (n - 1) ELSE 0.0 END AS monetary, first
  FROM (SELECT cust, count(*) FILTER (WHERE purchase = 1) AS n, min(o_day) FILTER (WHERE purchase = 1) AS first, max(o_day) FILTER (WHERE purchase = 1) AS last,
      sum(net) FILTER (WHERE purchase = 1) AS total, arg_min(net, [o_day, first_row]) FILTER (WHERE purchase = 1) AS first_net
    FROM (SELECT cust, min(day) AS o_day, sum(amount) AS net, max(CASE WHEN amount < 0 THEN 0 ELSE 1 END) AS purchase, min(_row) AS first_row
      FROM tx WHERE day <= ${end} GROUP BY cust, day) AS p GROUP BY cust) AS c
  WHERE n > 0`;
}

interface Conn {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync(): void;
}
const n = (v: unknown): number => (typeof v === "bigint" ? Number(v) : Number(v));

async function one(conn: Conn, sql: string): Promise<unknown[]> {
  return (await conn.runAndReadAll(sql)).getRows()[0];
}

async function main(): Promise<void> {
  if (!Number.isInteger(ROWS) || ROWS < 1000) throw new Error(`--rows must be an integer >= 1000, got ${arg("rows", "")}`);
  await printMachine(`Engines (benchmarks/engines.bench.ts): ${ROWS.toLocaleString("en-US")} rows, ${THREADS} threads, DuckDB memory_limit ${MEMORY}`);
  mkdirSync(TEMP, { recursive: true });
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const load0 = loadavg();
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: String(THREADS), memory_limit: MEMORY, temp_directory: TEMP, preserve_insertion_order: "false" });
  const conn = (await db.connect()) as unknown as Conn;
  const resources = { threads: THREADS, memoryLimit: MEMORY, tempDirectory: TEMP };
  const out = (name: string) => d.str(join(OUT, `${name}.parquet`));

  if (!existsSync(LOG)) {
    await step("generate the log (not counted)", () => generate(conn, ROWS, `${LOG}.partial`));
    const { renameSync } = await import("node:fs");
    renameSync(`${LOG}.partial`, LOG);
  }
  const fileMiB = statSync(LOG).size / 2 ** 20;
  // The typed relation every aggregation reads (as ClickHouse's typed path): no text validation.
  await conn.run(`CREATE VIEW tx AS SELECT file_row_number AS _row, customer_id AS cust, CAST(date - DATE '1970-01-01' AS INTEGER) AS day, amount, order_id AS ord
    FROM read_parquet(${d.str(LOG)}, file_row_number = true)`);

  const base = await step("baseline: read + GROUP BY customer", async () => one(conn, "SELECT count(*), sum(n) FROM (SELECT cust, count(*) AS n, sum(amount) AS s FROM tx GROUP BY cust)"), (r) => `${n(r[0]).toLocaleString("en-US")} customers`);
  const customers = n(base[0]);
  const asOf = DAY0 + SPAN - 1;

  await step("customer summary -> summary.parquet", async () => {
    await conn.run(`CREATE TEMP TABLE cust_orders AS ${customerAggregateSql(d, asOf, true)}`);
    await conn.run(`CREATE TABLE summary AS ${customerSummarySql(d, "cust_orders", asOf, 30)}`);
    await conn.run("DROP TABLE cust_orders");
    await conn.run(`COPY summary TO ${out("summary")} (FORMAT parquet)`);
  });

  await step("RFM scores (quintiles) -> rfm.parquet", async () => {
    const q = await one(conn, "SELECT quantile_disc(recency, [0.2, 0.4, 0.6, 0.8]), quantile_disc(freq, [0.2, 0.4, 0.6, 0.8]), quantile_disc(total, [0.2, 0.4, 0.6, 0.8]) FROM summary");
    const cuts = q.map((v) => (v as { items: unknown[] }).items.map(n));
    await conn.run(`COPY (SELECT cust, ${rfmScoreSql("duckdb", "recency", cuts[0], true)} AS r, ${rfmScoreSql("duckdb", "freq", cuts[1])} AS f, ${rfmScoreSql("duckdb", "total", cuts[2])} AS m FROM summary) TO ${out("rfm")} (FORMAT parquet)`);
  });

  await step("behaviour matrix (median splits) -> matrix.parquet", async () => {
    await conn.run(`COPY (SELECT cust, CASE WHEN freq > mf THEN (CASE WHEN aov > ma THEN 'best' ELSE 'frequent' END) ELSE (CASE WHEN aov > ma THEN 'spenders' ELSE 'uncertain' END) END AS quadrant
      FROM summary, (SELECT median(freq) AS mf, median(aov) AS ma FROM summary) AS m) TO ${out("matrix")} (FORMAT parquet)`);
  });

  await step("ABC classes by value -> abc.parquet", async () => {
    // A customer's class comes from the share of value held by the customers ranked before its tie group (as abcClasses).
    await conn.run(`COPY (SELECT s.cust, CASE WHEN s.total <= 0 THEN 'zero' WHEN g.before < 0.8 THEN 'A' WHEN g.before < 0.95 THEN 'B' ELSE 'C' END AS class
      FROM summary AS s LEFT JOIN (SELECT v, (sum(t) OVER (ORDER BY v DESC ROWS UNBOUNDED PRECEDING) - t) / (SELECT sum(total) FROM summary WHERE total > 0) AS before
        FROM (SELECT total AS v, sum(total) AS t FROM summary WHERE total > 0 GROUP BY total)) AS g ON s.total = g.v) TO ${out("abc")} (FORMAT parquet)`);
  });

  const end = DAY0 + Math.floor(SPAN * 0.75) - 1;
  await step(`calibration table (weeks, end at 75%${CALIBRATION === "library" ? ", calibrationSql" : ", list-free"}) -> calibration.parquet`, async () => {
    await conn.run(`CREATE TABLE cal AS ${CALIBRATION === "library" ? calibrationSql(d, end, 7, "day", true) : calibrationSumSql(end, 7)}`);
    await conn.run(`COPY cal TO ${out("calibration")} (FORMAT parquet)`);
  });
  if (ROWS <= 2_000_000) {
    // The two forms agree: integers equal, the monetary value to 1e-9 of the customer's gross purchases.
    const other = CALIBRATION === "library" ? calibrationSumSql(end, 7) : calibrationSql(d, end, 7, "day", true);
    const r = await one(conn, `SELECT count(*), count(*) FILTER (WHERE a.x <> b.x OR a.t_x <> b.t_x OR a."T" <> b."T" OR a.first <> b.first),
      max(abs(a.monetary - b.monetary) / greatest(1.0, abs(a.monetary))) FROM cal AS a FULL JOIN (${other}) AS b ON a.cust = b.cust`);
    console.error(`calibration forms compared: ${n(r[0])} customers, ${n(r[1])} differ in x/t_x/T/first, largest monetary difference ${Number(r[2]).toExponential(2)} (relative)`);
    if (n(r[1]) !== 0 || !(Number(r[2]) < 1e-9)) throw new Error("the list-free calibration differs from calibrationSql");
  }

  const bg = await step("BG/NBD fit on sufficient statistics (in process)", async () => {
    const rows = (await conn.runAndReadAll(`SELECT x, t_x, "T", count(*) AS w FROM cal GROUP BY ALL`)).getRows();
    const col = (j: number) => Float64Array.from(rows, (r) => n(r[j]));
    const cols = { ids: [], x: col(0), tx: col(1), T: col(2), m: new Float64Array(0) };
    const model = fitBgNbdColumns(cols, { penalizer: 0, maxIterations: 200, tolerance: 1e-8, throwOnNonConvergence: false }, undefined, "fitBgNbd", col(3));
    return { model, triples: rows.length };
  }, (r) => `${r.triples.toLocaleString("en-US")} distinct (x, t_x, T); r ${r.model.params.r.toFixed(3)}, alpha ${r.model.params.alpha.toFixed(2)}, a ${r.model.params.a.toFixed(3)}, b ${r.model.params.b.toFixed(3)}`);

  const gg = await step("Gamma-Gamma fit on a 100,000-customer stratified sample", async () => {
    const repeat = await one(conn, "SELECT count(*) FROM cal WHERE x > 0 AND monetary > 0");
    const size = Math.min(100_000, n(repeat[0]));
    const s = await sampleCustomersWithDuckDb({ query: `SELECT * FROM read_parquet(${out("calibration")}) WHERE x > 0 AND monetary > 0` },
      { ...resources, size, idColumn: "cust", strata: [{ column: "x", bins: 5 }], seed: SEED, columns: ["x", "t_x", "T", "monetary"] });
    const model = fitGammaGamma({ x: s.columns.x as Float64Array, t_x: s.columns.t_x as Float64Array, T: s.columns.T as Float64Array, monetaryValue: s.columns.monetary as Float64Array });
    return { model, size: s.length, fraction: s.info.fraction };
  }, (r) => `${r.size.toLocaleString("en-US")} of the repeat buyers (${(100 * r.fraction).toFixed(1)}%); p ${r.model.params.p.toFixed(2)}, q ${r.model.params.q.toFixed(2)}, gamma ${r.model.params.gamma.toFixed(2)}`);

  await step("P(alive) + 12-month CLV in SQL -> clv.parquet", async () => {
    const c = { x: "x", t_x: "t_x", T: '"T"', monetaryValue: "monetary" };
    const series = clvSeriesSql("duckdb", bg.model.params, c, { horizon: 12, discountRate: 0.01, terms: TERMS });
    await conn.run(`CREATE TABLE xt AS SELECT x, "T", ${series.value} AS s, ${series.unconverged} AS u FROM (SELECT DISTINCT x, "T" FROM cal)`);
    const pairs = await one(conn, "SELECT count(*), count(*) FILTER (WHERE u) FROM xt");
    const clv = clvSql("duckdb", bg.model.params, gg.model.params, c, { horizon: 12, discountRate: 0.01, series: "xt.s" });
    await conn.run(`COPY (SELECT cust, ${bgNbdPAliveSql("duckdb", bg.model.params, c)} AS p_alive, ${clv.value} AS clv, xt.u AS unconverged FROM cal JOIN xt USING (x, "T")) TO ${out("clv")} (FORMAT parquet)`);
    return pairs;
  }, (r) => `series on ${n(r[0]).toLocaleString("en-US")} distinct (x, T), ${n(r[1])} unconverged`);

  await step("churn features at the calibration end -> features.parquet", async () => {
    await conn.run(`COPY (SELECT cal.cust AS customerId, x AS frequency, "T" - t_x AS recency_weeks, "T" AS tenure_weeks, monetary,
        CASE WHEN h.cust IS NULL THEN 1 ELSE 0 END AS churned
      FROM cal LEFT JOIN (SELECT DISTINCT cust FROM tx WHERE day > ${end}) AS h ON cal.cust = h.cust) TO ${out("features")} (FORMAT parquet)`);
  });

  const featureRows = n((await one(conn, "SELECT count(*) FROM cal"))[0]);
  const summaryRows = n((await one(conn, "SELECT count(*) FROM summary"))[0]);
  await step("churn: logistic on a 200,000 sample, every customer scored in SQL -> churn.parquet", async () =>
    trainOnSampleWithDuckDb(join(OUT, "features.parquet"), {
      ...resources,
      sample: { size: Math.min(200_000, featureRows), strata: ["churned", { column: "monetary", bins: 10 }], seed: SEED },
      churn: { label: "churned", features: ["frequency", "recency_weeks", "tenure_weeks", "monetary"], model: "logistic" },
      output: join(OUT, "churn.parquet"),
    }), (r) => `${r.scored.toLocaleString("en-US")} scored; trained on ${r.trainedOn.size.toLocaleString("en-US")} (${(100 * r.trainedOn.fraction).toFixed(2)}%)`);

  await step("k-means (k 5) on a 100,000 sample, every customer assigned in SQL -> clusters.parquet", async () =>
    trainOnSampleWithDuckDb(join(OUT, "summary.parquet"), {
      ...resources,
      sample: { size: Math.min(100_000, summaryRows), idColumn: "cust", strata: [{ column: "total", bins: 10 }], seed: SEED },
      cluster: { features: ["recency", "freq", "total"], k: 5, seed: SEED, nInit: 3 },
      output: join(OUT, "clusters.parquet"),
    }), (r) => `${r.scored.toLocaleString("en-US")} assigned; trained on ${r.trainedOn.size.toLocaleString("en-US")}`);

  // Every output is a Parquet file with one row per customer it covers (checked, then listed).
  const files = ["summary", "rfm", "matrix", "abc", "calibration", "clv", "features", "churn", "clusters"];
  const counts = await Promise.all(files.map(async (f) => n((await one(conn, `SELECT count(*) FROM read_parquet(${out(f)})`))[0])));
  const expect = [summaryRows, summaryRows, summaryRows, summaryRows, featureRows, featureRows, featureRows, featureRows, summaryRows];
  files.forEach((f, k) => {
    if (counts[k] !== expect[k]) throw new Error(`${f}.parquet has ${counts[k]} rows, expected ${expect[k]}`);
  });
  conn.closeSync();
  db.closeSync();
  const load1 = loadavg();
  const measured = steps.filter((s) => !s.name.startsWith("generate"));
  const baseCpu = measured[0].cpu;
  const total = measured.reduce((a, s) => ({ cpu: a.cpu + s.cpu, wall: a.wall + s.wall, peak: Math.max(a.peak, s.peakMiB) }), { cpu: 0, wall: 0, peak: 0 });
  console.log(`log: ${ROWS.toLocaleString("en-US")} rows, ${customers.toLocaleString("en-US")} customers, ${fileMiB.toFixed(0)} MiB Parquet (zstd)${steps[0].name.startsWith("generate") ? `, generated in ${steps[0].wall.toFixed(1)} s wall` : " (reused)"}\n`);
  printMarkdownTable(
    ["step", "CPU s", "wall s", "peak RSS MiB", "CPU / baseline", "note"],
    [...measured.map((s) => [s.name, s.cpu.toFixed(1), s.wall.toFixed(1), s.peakMiB.toFixed(0), `${(s.cpu / baseCpu).toFixed(1)}x`, s.note]), ["**total (baseline included)**", total.cpu.toFixed(1), total.wall.toFixed(1), total.peak.toFixed(0), `${(total.cpu / baseCpu).toFixed(1)}x`, ""]],
  );
  console.log(`\noutputs in ${OUT}: ${files.map((f, k) => `${f}.parquet ${counts[k].toLocaleString("en-US")}`).join(", ")} rows`);
  console.log(`load average before ${load0.map((x) => x.toFixed(1)).join(" ")}, after ${load1.map((x) => x.toFixed(1)).join(" ")}; peaks are per step (VmHWM reset each step: ${canReset ? "yes" : "no, cumulative"})`);
  if (ROWS === 100_000_000) console.log(`target (<= 900 s wall, <= 8 GiB): ${total.wall.toFixed(0)} s, ${(total.peak / 1024).toFixed(2)} GiB -> ${total.wall <= 900 && total.peak <= 8192 ? "met" : "NOT met"}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
