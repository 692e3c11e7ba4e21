#!/usr/bin/env node
/**
 * The `customer-analytics` command-line tool.
 *
 *   customer-analytics analyze orders.csv --out results
 *
 * Exit codes: 0 success, 1 bad input (the ingestion report is printed), 2 bad arguments or an
 * output folder that cannot be written.
 * Outputs are written to a temporary folder inside `--out` and moved into place only when
 * everything succeeded, so a failed run never leaves files that look complete.
 * @module
 */
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { IngestionReport, ColumnMapping } from "../core/ingest.js";
import type { DateFormat } from "../core/dates.js";
import { readTransactionTable, type FileFormat } from "../io/readTable.js";
import { analyze, type AnalyzeOptions, type StepName, STEP_NAMES } from "../pipeline/analyze.js";
import { modelJson, rulesFileCsv, segmentsCsv } from "../pipeline/outputs.js";
import { renderReport } from "../pipeline/report.js";
import { customersCsvChunks } from "../pipeline/table.js";
import type { AnalysisResult } from "../pipeline/analyze.js";

/**
 * Write the five output files into `dir`; customers.csv is streamed from the result's columns
 * (never one string or one object per customer). Returns the file names.
 */
async function writeAnalysisFiles(result: AnalysisResult, dir: string): Promise<string[]> {
  if (!result.privacy) await writeCustomersCsv(result, dir);
  writeFileSync(join(dir, "segments.csv"), segmentsCsv(result));
  writeFileSync(join(dir, "rules.csv"), rulesFileCsv(result));
  writeFileSync(join(dir, "model.json"), modelJson(result));
  writeFileSync(join(dir, "report.html"), await renderReport(result));
  return [...(result.privacy ? [] : ["customers.csv"]), "segments.csv", "rules.csv", "model.json", "report.html"];
}

/** customers.csv, streamed from the result's columns. */
async function writeCustomersCsv(result: AnalysisResult, dir: string): Promise<void> {
  const { createWriteStream } = await import("node:fs");
  const out = createWriteStream(join(dir, "customers.csv"));
  await new Promise<void>((resolve, reject) => {
    out.on("error", reject);
    const chunks = customersCsvChunks(result.table);
    const pump = () => {
      for (;;) {
        const next = chunks.next();
        if (next.done) return void out.end(resolve);
        if (!out.write(next.value)) return void out.once("drain", pump);
      }
    };
    pump();
  });
}

const HELP = `customer-analytics — customer analytics from a transaction export

Usage:
  customer-analytics analyze <file.csv|.txt|.json|.ndjson|.xlsx|.parquet> [options]
  customer-analytics analyze --source clickhouse://host:port/db.table [options]
  customer-analytics survey <answers.csv> [options]     (customer-analytics survey --help)

Column mapping (detected from the header when omitted; the mapping used is printed):
  --customer-id COL   customer id column          --date COL      date column
  --amount COL        amount (revenue) column     --order-id COL  order / invoice id column
  --item COL          item column (one item per row, or several separated by "|")
  --item-label COL    item name column (e.g. Description): rules and recommendations show
                      names while the item column stays the key
  --quantity COL --unit-price COL
                      amount = quantity x unit price (retail exports); detected from
                      names such as Quantity/Qty and UnitPrice/Price
  --cancellation-prefix P
                      order ids starting with P are cancellations, netted as returns
                      (default "C"; "none" switches it off). Negative quantities are
                      returns too. Without any amount column the analysis is
                      frequency-only (money steps skipped).
Reading:
  --source URI        read a ClickHouse table instead of a file:
                      clickhouse://[user[:password]@]host[:port]/[db.]table (HTTP interface;
                      clickhouses:// for HTTPS); rows are checked and counted in ClickHouse
  --format F          csv | json | ndjson | xlsx | parquet (default: from the extension)
  --sheet NAME        the .xlsx sheet to read (default: the first)
  --date-format F     auto | iso | YYYYMMDD | DD/MM/YYYY | MM/DD/YYYY | epoch-ms | epoch-s
  --delimiter C       CSV delimiter (default: detected, space-aligned files included);
                      "whitespace" to force runs of spaces
  --no-header         the CSV has no header line (columns are named 0, 1, 2, ...)
  --decimal-comma     numbers use a decimal comma (1.234,56)
  --lenient           set bad rows aside and count them instead of stopping at the first
  --memory-limit MB   refuse a file whose table would need more than this (default: what
                      the JavaScript heap allows); such files need the out-of-core engine
Analysis:
  --as-of DATE        analysis day (default: the last transaction day)
  --compare-as-of D   an earlier day: RFM segment migration from D to the analysis day
  --seed N            seed of every random step (default 42)
  --skip STEPS        comma-separated steps to switch off: ${STEP_NAMES.join(", ")}
  --margin R          gross margin as a share of spend for the CLV values (default 1: revenue)
  --transaction-model M
                      auto | bg-nbd | mbg-nbd | pareto-nbd: the CLV step's model (default
                      auto: a back-test on the holdout window picks it, up to 50,000
                      customers; BG/NBD above)
  --horizon N         months ahead for the CLV values (default 12)
  --discount R        discount rate per month (default 0.01)
  --churn-days N      days without a purchase that count as churn (default 180)
  --draws N           Monte Carlo draws per customer, 10..1000000 (default 1000, fewer
                      for large bases: see docs/pipeline.md)
  --cost COL          product cost column, or --margin-column COL (profit per line), for
                      the profitability step (else --margin below 1 is the margin rate)
  --cost-per-order X  cost to serve per order (default 0); --cost-per-return X per return line
  --cohort-grain G    auto | month | quarter | week: acquisition cohorts (default auto)
  --contact-cost X    plan a retention campaign: cost per contact; --budget X caps the
                      spend, --offer-cost X per offer, --success-rate R the assumed share of
                      would-be churners a contact keeps (default 0.3)
  --value-scoring F   JSON file: score CV, PV and IV from preset interval tables and weigh
                      them into valueScore, e.g. {"scoreBy": "intervals", "intervals":
                      {"cv": {"frequency": [{"from": null, "to": 5, "score": 40}, ...]}},
                      "dimensionWeights": {"cv": 2, "pv": 1, "iv": 1}}; null = open end
                      (default: percentile scores, equal weights; docs/value.md)
  --k N               number of customer clusters (default: chosen, see --k-range)
  --k-range A-B       range of k tried, the best by silhouette kept (default 3-8)
Output:
  --out DIR           output folder (default ./customer-analytics-out): customers.csv,
                      segments.csv, rules.csv, model.json, report.html
  --privacy           aggregates only: no customers.csv, no customer-level list and no raw
                      id in any file; summary rows of fewer than --min-group-size N
                      customers or baskets (default 10) suppressed and counted in model.json
  --pseudonymize-key-file F
                      replace every customer id by its keyed pseudonym (HMAC-SHA-256 with
                      the key in file F, at least 16 bytes) before the analysis

Example:
  customer-analytics analyze orders.csv --customer-id CustomerID --date InvoiceDate \\
    --amount Revenue --order-id InvoiceNo --date-format DD/MM/YYYY --lenient --out results

Exit codes: 0 success, 1 bad input (the file), 2 bad arguments or an output folder that cannot be written.`;

class UsageError extends Error {}

/** `--k N` (one k) or `--k-range A-B` (k chosen in A..B); undefined when neither is given. */
function parseKRange(k: string | undefined, range: string | undefined): [number, number] | undefined {
  if (k !== undefined && range !== undefined) throw new UsageError("give --k or --k-range, not both");
  const whole = (raw: string, flag: string) => {
    const x = Number(raw);
    if (!/^\s*\d+\s*$/.test(raw) || !(x >= 2 && x <= 50)) throw new UsageError(`${flag} must be a whole number of clusters in 2..50, got "${raw}"`);
    return x;
  };
  if (k !== undefined) {
    const n = whole(k, "--k");
    return [n, n];
  }
  if (range !== undefined) {
    const m = /^([^-]+)-([^-]+)$/.exec(range);
    if (!m) throw new UsageError(`--k-range must look like 2-8, got "${range}"`);
    const a = whole(m[1], "--k-range");
    const b = whole(m[2], "--k-range");
    if (a > b) throw new UsageError(`--k-range: ${a} is larger than ${b}`);
    return [a, b];
  }
  return undefined;
}

/**
 * Move the files `names` from `from` into `to` as a set: the files they replace are first moved
 * aside, and if any move fails every file is put back as it was, so `to` holds either all the
 * new files or all the old ones. `rename` is injectable for tests.
 * @internal
 */
export function replaceAsSet(from: string, to: string, names: readonly string[], rename: (a: string, b: string) => void = renameSync): void {
  const aside = mkdtempSync(join(to, ".previous-"));
  const movedAside: string[] = [];
  const placed: string[] = [];
  try {
    for (const name of names) {
      if (existsSync(join(to, name))) {
        rename(join(to, name), join(aside, name));
        movedAside.push(name);
      }
    }
    for (const name of names) {
      rename(join(from, name), join(to, name));
      placed.push(name);
    }
  } catch (e) {
    for (const name of placed) rmSync(join(to, name), { recursive: true, force: true });
    for (const name of movedAside) renameSync(join(aside, name), join(to, name));
    rmSync(aside, { recursive: true, force: true });
    throw e;
  }
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Make sure `dir` is a folder we can write into, creating it (and missing parents) if needed;
 * any problem is a usage error naming the folder. A folder whose parent exists is made without
 * `recursive` (Node's recursive mkdir never returns on some virtual file systems such as /proc).
 */
function prepareOutDir(dir: string): void {
  try {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new Error("it exists and is not a folder");
    } else if (existsSync(dirname(dir))) {
      mkdirSync(dir);
    } else {
      mkdirSync(dir, { recursive: true });
    }
    accessSync(dir, constants.W_OK);
  } catch (e) {
    const why = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
    throw new UsageError(`--out ${JSON.stringify(dir)} cannot be used as the output folder (${why})`);
  }
}

/**
 * `--value-scoring FILE.json`: the value step's scoring options as JSON (`scoreBy`, `intervals`,
 * `dimensionWeights` or `dimensionMatrix`). JSON has no infinity: an interval's `from: null`
 * means -Infinity and `to: null` means +Infinity (open ends).
 */
function readValueScoring(path: string): AnalyzeOptions["valueScoring"] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--value-scoring ${JSON.stringify(path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--value-scoring ${JSON.stringify(path)} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new UsageError(`--value-scoring ${JSON.stringify(path)}: expected a JSON object such as {"scoreBy": "intervals", "intervals": {...}, "dimensionWeights": {"cv": 2, "pv": 1, "iv": 1}}`);
  const o = json as Record<string, unknown>;
  const tables = o.intervals;
  if (typeof tables === "object" && tables !== null) {
    for (const dim of Object.values(tables as Record<string, unknown>)) {
      if (typeof dim !== "object" || dim === null) continue;
      for (const rows of Object.values(dim as Record<string, unknown>)) {
        if (!Array.isArray(rows)) continue;
        for (const r of rows as Record<string, unknown>[]) {
          if (r && typeof r === "object") {
            if (r.from === null) r.from = -Infinity;
            if (r.to === null) r.to = Infinity;
          }
        }
      }
    }
  }
  return o as AnalyzeOptions["valueScoring"];
}

/** Progress on stderr: on a terminal a bar over the steps, redrawn in place; otherwise plain lines. */
function progress(stderrIsTty: boolean) {
  const started = performance.now();
  const total = STEP_NAMES.length + 2; // read + summaries + the analytic steps
  let finished = 0;
  const bar = () => {
    const width = 20;
    const filled = Math.round((width * finished) / total);
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${finished}/${total}`;
  };
  return (step: string, status: "start" | "done" | "skipped", detail?: string) => {
    const t = ((performance.now() - started) / 1000).toFixed(1);
    if (status !== "start") finished = Math.min(total, finished + 1);
    if (stderrIsTty) {
      if (status === "start") process.stderr.write(`\r\x1b[K${bar()} ${step} ... (${t}s)`);
      else process.stderr.write(`\r\x1b[K[${t}s] ${step} ${status}${detail ? `: ${detail}` : ""}\n${finished < total ? bar() : ""}`);
    } else if (status !== "start") {
      process.stderr.write(`[${t}s] ${step} ${status}${detail ? `: ${detail}` : ""}\n`);
    }
  };
}

function printIngestion(report: IngestionReport, out: NodeJS.WriteStream, privateRun = false): void {
  out.write(`rows read ${report.rowsRead}: accepted ${report.accepted}, rejected ${report.rejected}\n`);
  for (const r of report.rejectedByReason) {
    out.write(`  ${r.reason}: ${r.count}\n`);
    for (const e of privateRun ? [] : r.examples) out.write(`    row ${e.row}, ${e.field}: ${e.message}\n`);
  }
}

/**
 * Run the CLI with the given arguments; returns the exit code.
 * @internal
 */
export async function main(argv: readonly string[]): Promise<number> {
  // Other commands parse their own options.
  if (argv[0] === "survey") return (await import("./survey.js")).surveyMain(argv.slice(1));
  const t0 = performance.now();
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        "customer-id": { type: "string" },
        date: { type: "string" },
        amount: { type: "string" },
        "order-id": { type: "string" },
        item: { type: "string" },
        "item-label": { type: "string" },
        quantity: { type: "string" },
        "unit-price": { type: "string" },
        "cancellation-prefix": { type: "string" },
        format: { type: "string" },
        sheet: { type: "string" },
        k: { type: "string" },
        cost: { type: "string" },
        "margin-column": { type: "string" },
        "cost-per-order": { type: "string" },
        "cost-per-return": { type: "string" },
        "cohort-grain": { type: "string" },
        engine: { type: "string" },
        source: { type: "string" },
        "compare-as-of": { type: "string" },
        "contact-cost": { type: "string" },
        "offer-cost": { type: "string" },
        budget: { type: "string" },
        "success-rate": { type: "string" },
        "k-range": { type: "string" },
        "date-format": { type: "string" },
        delimiter: { type: "string" },
        "no-header": { type: "boolean" },
        "decimal-comma": { type: "boolean" },
        lenient: { type: "boolean" },
        "memory-limit": { type: "string" },
        "as-of": { type: "string" },
        seed: { type: "string" },
        skip: { type: "string" },
        margin: { type: "string" },
        horizon: { type: "string" },
        discount: { type: "string" },
        "churn-days": { type: "string" },
        draws: { type: "string" },
        out: { type: "string" },
        privacy: { type: "boolean" },
        "min-group-size": { type: "string" },
        "pseudonymize-key-file": { type: "string" },
        "value-scoring": { type: "string" },
        "transaction-model": { type: "string" },
      },
    });
  } catch (e) {
    process.stderr.write(`customer-analytics: ${(e as Error).message}\nRun customer-analytics --help for usage.\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) {
    process.stdout.write(`${HELP}\n`);
    return v.help ? 0 : 2;
  }
  try {
    const [command, fileArg, ...extra] = positionals;
    if (command !== "analyze") throw new UsageError(`unknown command "${command}" (expected "analyze" or "survey")`);
    if (fileArg !== undefined && v.source !== undefined) throw new UsageError("give the input file or --source, not both");
    const file = fileArg ?? v.source;
    if (!file) throw new UsageError("missing the input file (or --source clickhouse://host:port/db.table)");
    // A ClickHouse table (clickhouse://[user[:password]@]host[:port]/[db.]table): the engine reads,
    // checks and counts the rows where they are; the analysis runs on the accepted rows.
    const clickhouse = /^clickhouses?:\/\//i.test(file);
    if (v.source !== undefined && !clickhouse) throw new UsageError(`--source must be a clickhouse:// address, got "${v.source}" (give a file as the first argument)`);
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
    const seed = v.seed === undefined ? 42 : Number(v.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${v.seed}"`);
    const formats: DateFormat[] = ["auto", "iso", "YYYYMMDD", "DD/MM/YYYY", "MM/DD/YYYY", "epoch-ms", "epoch-s"];
    if (v["date-format"] !== undefined && !formats.includes(v["date-format"] as DateFormat)) {
      throw new UsageError(`--date-format must be one of ${formats.join(", ")}`);
    }
    const skip = (v.skip ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    for (const s of skip) if (!STEP_NAMES.includes(s as StepName)) throw new UsageError(`--skip: unknown step "${s}" (steps: ${STEP_NAMES.join(", ")})`);
    const columns: ColumnMapping = {};
    if (v["customer-id"]) columns.customerId = v["customer-id"];
    if (v.date) columns.date = v.date;
    if (v.amount) columns.amount = v.amount;
    if (v["order-id"]) columns.orderId = v["order-id"];
    if (v.item) columns.items = v.item;
    if (v["item-label"]) columns.itemLabel = v["item-label"];
    if (v.quantity) columns.quantity = v.quantity;
    if (v["unit-price"]) columns.unitPrice = v["unit-price"];
    if (v.cost) columns.cost = v.cost;
    if (v["margin-column"]) columns.margin = v["margin-column"];
    const grains = ["auto", "month", "quarter", "week"];
    if (v["cohort-grain"] !== undefined && !grains.includes(v["cohort-grain"])) throw new UsageError(`--cohort-grain must be one of ${grains.join(", ")}, got "${v["cohort-grain"]}"`);
    const fileFormats: FileFormat[] = ["csv", "json", "ndjson", "xlsx", "parquet"];
    if (v.format !== undefined && !fileFormats.includes(v.format as FileFormat)) throw new UsageError(`--format must be one of ${fileFormats.join(", ")}, got "${v.format}"`);
    const kRange = parseKRange(v.k, v["k-range"]);
    const outDir = resolve(v.out ?? "customer-analytics-out");
    const memoryLimit = v["memory-limit"] === undefined ? undefined : Number(v["memory-limit"]) * 2 ** 20;
    if (memoryLimit !== undefined && !(memoryLimit > 0)) throw new UsageError(`--memory-limit must be a positive number of MiB, got "${v["memory-limit"]}"`);
    // The output folder is checked (and made) before the analysis, so a bad --out costs nothing.
    prepareOutDir(outDir);

    const tty = Boolean(process.stderr.isTTY);
    const onProgress = progress(tty);
    onProgress("read", "start");
    let ingested: Awaited<ReturnType<typeof readTransactionTable>> | null;
    const engine = v.engine ?? "memory";
    if (engine !== "memory" && engine !== "duckdb") throw new UsageError(`--engine must be "memory" or "duckdb", got "${engine}"`);
    try {
      if (clickhouse) {
        const { openTransactionSource } = await import("../engine/index.js");
        const src = await openTransactionSource(file, {
          columns,
          mode: v.lenient ? "lenient" : "strict",
          dateFormat: ((v["date-format"] as string | undefined) ?? "auto") as "auto",
          decimal: v["decimal-comma"] ? "," : ".",
          ...(v["cancellation-prefix"] !== undefined ? { cancellationPrefix: v["cancellation-prefix"] === "none" || v["cancellation-prefix"] === "" ? false : v["cancellation-prefix"] } : {}),
        });
        try {
          ingested = { table: await src.table(), report: src.ingestion };
        } finally {
          src.close();
        }
      } else if (engine === "duckdb") {
        // DuckDB reads and validates the file (CSV, NDJSON, Parquet: one file, a glob or a
        // folder) with the same rules and accounting; the analysis then runs on the table.
        const { readTransactionTableWithDuckDb } = await import("../engine/index.js");
        ingested = await readTransactionTableWithDuckDb(file, {
          columns,
          mode: v.lenient ? "lenient" : "strict",
          dateFormat: ((v["date-format"] as string | undefined) ?? "auto") as "auto",
          header: !v["no-header"],
          decimal: v["decimal-comma"] ? "," : ".",
          ...(v.delimiter !== undefined ? { delimiter: v.delimiter } : {}),
          ...(v.format !== undefined ? { format: v.format as "csv" } : {}),
          ...(memoryLimit !== undefined ? { memoryLimit } : {}),
          ...(v["cancellation-prefix"] !== undefined ? { cancellationPrefix: v["cancellation-prefix"] === "none" || v["cancellation-prefix"] === "" ? false : v["cancellation-prefix"] } : {}),
        });
      } else ingested = await readTransactionTable(file, {
        columns,
        dateFormat: (v["date-format"] as DateFormat | undefined) ?? "auto",
        delimiter: v.delimiter,
        header: !v["no-header"],
        decimal: v["decimal-comma"] ? "," : ".",
        mode: v.lenient ? "lenient" : "strict",
        ...(memoryLimit !== undefined ? { memoryLimit } : {}),
        ...(v.format !== undefined ? { format: v.format as FileFormat } : {}),
        ...(v.sheet !== undefined ? { sheet: v.sheet } : {}),
        // "--cancellation-prefix none" switches the rule off.
        ...(v["cancellation-prefix"] !== undefined ? { cancellationPrefix: v["cancellation-prefix"] === "none" || v["cancellation-prefix"] === "" ? false : v["cancellation-prefix"] } : {}),
      });
    } catch (e) {
      if (e instanceof InvalidRecordError || (e instanceof AnalyticsError && (e.code === "IO_ERROR" || e.code === "TOO_LARGE"))) {
        process.stderr.write(`customer-analytics: bad input: ${e.message}\n`);
        if (e instanceof InvalidRecordError) process.stderr.write("Fix the row, or run with --lenient to set bad rows aside and count them.\n");
        return 1;
      }
      if (e instanceof InvalidOptionError && e.option.startsWith("columns.")) {
        // The file lacks a column we need: bad input, not a bad argument.
        process.stderr.write(`customer-analytics: bad input: ${e.message}\nName the columns with --customer-id, --date, --amount (or --quantity and --unit-price), --order-id, --item.\n`);
        return 1;
      }
      if (e instanceof InvalidOptionError) throw new UsageError(e.message);
      throw e;
    }
    const m = ingested.report.columns;
    const amountText =
      ingested.report.amountSource === "none" ? "no amount (frequency-only analysis)" : ingested.report.amountSource === "quantity-x-price" ? `amount=${m.quantity} x ${m.unitPrice}` : `amount=${m.amount}`;
    onProgress(
      "read",
      "done",
      `${ingested.report.accepted} rows; columns customerId=${m.customerId}, date=${m.date}, ${amountText}${m.orderId ? `, orderId=${m.orderId}` : ""}${m.items ? `, items=${m.items}` : ""}${m.itemLabel ? `, itemLabel=${m.itemLabel}` : ""}`,
    );
    if (ingested.report.accepted === 0) {
      process.stderr.write("customer-analytics: bad input: no valid rows\n");
      printIngestion(ingested.report, process.stderr);
      return 1;
    }
    const options: AnalyzeOptions = { seed, skip: skip as StepName[], onProgress, ...(kRange ? (kRange[0] === kRange[1] ? { k: kRange[0] } : { kRange }) : {}) };
    if (v["as-of"]) options.asOf = v["as-of"];
    if (v["compare-as-of"]) options.compareAsOf = v["compare-as-of"];
    const numeric = (flag: string, raw: string | undefined): number | undefined => {
      if (raw === undefined) return undefined;
      const x = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(x)) throw new UsageError(`--${flag} must be a number, got "${raw}"`);
      return x;
    };
    options.margin = numeric("margin", v.margin);
    options.horizonMonths = numeric("horizon", v.horizon);
    options.discountRate = numeric("discount", v.discount);
    options.churnWindowDays = numeric("churn-days", v["churn-days"]);
    options.draws = numeric("draws", v.draws);
    options.costPerOrder = numeric("cost-per-order", v["cost-per-order"]);
    options.contactCost = numeric("contact-cost", v["contact-cost"]);
    options.offerCost = numeric("offer-cost", v["offer-cost"]);
    options.campaignBudget = numeric("budget", v.budget);
    options.successRate = numeric("success-rate", v["success-rate"]);
    options.costPerReturnLine = numeric("cost-per-return", v["cost-per-return"]);
    if (v["cohort-grain"] !== undefined) options.cohortGrain = v["cohort-grain"] as AnalyzeOptions["cohortGrain"];
    if (v["value-scoring"] !== undefined) options.valueScoring = readValueScoring(v["value-scoring"]);
    if (v["transaction-model"] !== undefined) options.transactionModel = v["transaction-model"] as AnalyzeOptions["transactionModel"];
    if (v["min-group-size"] !== undefined && !v.privacy) throw new UsageError("--min-group-size applies to --privacy only");
    if (v.privacy) options.privacy = { minGroupSize: numeric("min-group-size", v["min-group-size"]) };
    if (v["pseudonymize-key-file"] !== undefined) {
      // Keyed pseudonyms (HMAC-SHA-256) replace the ids before the analysis: every output carries
      // the same pseudonym for the same customer and key, never the raw id.
      let key: Buffer;
      try {
        key = readFileSync(v["pseudonymize-key-file"]);
      } catch (e) {
        throw new UsageError(`--pseudonymize-key-file ${JSON.stringify(v["pseudonymize-key-file"])} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      const text = key.toString("utf8").replace(/\r?\n$/, "");
      const { pseudonymizeTable } = await import("../privacy/index.js");
      try {
        ingested = { table: await pseudonymizeTable(ingested.table, text), report: ingested.report };
      } catch (e) {
        if (e instanceof InvalidOptionError) throw new UsageError(`--pseudonymize-key-file: ${e.message}`);
        throw e;
      }
    }
    let result;
    try {
      // The columnar path: no object per transaction anywhere. Only analyze holds the table,
      // so it can release the ungrouped one after grouping the rows by customer.
      const take = () => {
        const { table, report } = ingested!;
        ingested = null;
        return { table, report };
      };
      result = await analyze(take(), options);
    } catch (e) {
      // A bad option value (say --margin 2 or --as-of 2024-13-01) is a usage error.
      if (e instanceof InvalidOptionError) throw new UsageError(e.message);
      // Data no analysis can use (values whose sums overflow a double): bad input.
      if (e instanceof AnalyticsError && (e.code === "TOO_LARGE" || e.code === "OVERFLOW")) {
        process.stderr.write(`customer-analytics: bad input: ${e.message}\n`);
        return 1;
      }
      throw e;
    }

    // Write everything into a temporary folder, then move the files into place.
    try {
      const tmp = mkdtempSync(join(outDir, ".partial-"));
      try {
        const names = await writeAnalysisFiles(result, tmp);
        replaceAsSet(tmp, outDir, names);
        // A customer table left by an earlier run in the same folder is not part of a private release.
        if (result.privacy && existsSync(join(outDir, "customers.csv"))) {
          rmSync(join(outDir, "customers.csv"), { force: true });
          process.stderr.write(`customer-analytics: removed customers.csv of an earlier run from ${outDir} (privacy mode writes none)\n`);
        }
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    } catch (e) {
      // A full disk, a file-size limit, a folder in the way: an output problem, said plainly.
      const why = e instanceof Error ? e.message : String(e);
      throw new UsageError(`could not write the outputs to ${JSON.stringify(outDir)}: ${why}`);
    }
    process.stdout.write(`${result.summaryText}\n`);
    printIngestion(result.ingestion!, process.stdout, Boolean(result.privacy));
    process.stdout.write(`\nWrote ${result.privacy ? "" : "customers.csv, "}segments.csv, rules.csv, model.json, report.html to ${outDir}\n`);
    process.stdout.write(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`customer-analytics: ${e.message}\nRun customer-analytics --help for usage.\n`);
      return 2;
    }
    if (e instanceof InvalidRecordError) {
      process.stderr.write(`customer-analytics: bad input: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/**
 * Whether this module is the program being run. `process.argv[1]` is the path as invoked, which
 * through npm's bin link is `node_modules/.bin/customer-analytics`, so both paths are compared
 * after resolving links.
 */
function isMainModule(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const isEntry = isMainModule();
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`customer-analytics: unexpected error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(3);
    },
  );
}
