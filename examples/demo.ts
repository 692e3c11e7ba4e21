/**
 * The main job: a transaction log in, answers out. Generates the seeded synthetic store (or reads
 * CDNOW or your own export), runs `analyze` with every step on, writes customers.csv,
 * segments.csv, rules.csv, model.json and report.html to a temporary folder, and prints the
 * summary and where the report is.
 *
 *   npm run demo                          # synthetic store: 2,000 customers, seed 42
 *   npm run demo -- --cdnow               # the CDNOW sample in ../shared/data/cdnow
 *   npm run demo -- path/to/orders.csv    # your own export (columns detected by name, lenient)
 *   npm run demo -- --out results         # write the files to ./results instead
 *
 * The step-by-step version of the same analysis, printing each analytic's tables, is
 * `npm run tour` (examples/tour.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { analysisFiles, analyze, generateTransactions, parseTransactions, readTransactions, type Clv3dResult, type IngestionResult } from "../src/index.js";

const CDNOW = new URL("../../shared/data/cdnow/CDNOW_sample.txt", import.meta.url).pathname;
const SEED = 42;

async function load(args: string[]): Promise<{ source: string; ingested: IngestionResult }> {
  if (args.includes("--cdnow")) {
    const ingested = await readTransactions(CDNOW, {
      format: "csv",
      delimiter: "whitespace",
      header: false,
      names: ["masterId", "customerId", "date", "cds", "amount"],
      dateFormat: "YYYYMMDD",
    });
    return { source: "CDNOW sample (../shared/data/cdnow)", ingested };
  }
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--out");
  if (file) return { source: file, ingested: await readTransactions(file, { mode: "lenient" }) };
  return { source: `synthetic store (2,000 customers, seed ${SEED})`, ingested: parseTransactions(generateTransactions({ customers: 2000, seed: SEED })) };
}

const fmt = (x: unknown, d = 2) => (typeof x === "number" ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }) : String(x ?? ""));

/** Print an aligned table, indented by two spaces. */
function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((row) => row[j].length)));
  console.log(`  ${header.map((h, j) => h.padEnd(widths[j])).join("  ")}`);
  for (const row of rows) console.log(`  ${row.map((v, j) => v.padEnd(widths[j])).join("  ")}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const t0 = performance.now();
  const { source, ingested } = await load(args);
  const r = ingested.report;
  console.log(`Input: ${source}`);
  console.log(`Rows read ${r.rowsRead.toLocaleString("en-US")}: accepted ${r.accepted.toLocaleString("en-US")}, rejected ${r.rejected}, returns ${r.returns}, possible duplicates ${r.duplicates}\n`);

  const result = await analyze(ingested, { seed: SEED });
  console.log(result.summaryText);

  console.log("\nSteps:");
  for (const s of result.steps) console.log(`  ${s.step.padEnd(11)} ${s.status.padEnd(8)} ${s.seconds.toFixed(2).padStart(6)} s${s.reason ? `  (${s.reason})` : ""}`);

  // The eight 3D-CLV groups (high/low on current, stock and incremental value) and the 80/20 check.
  // (result.results.value holds the step's group table and 80/20 check; see docs/pipeline.md.)
  const value = result.results.value as Pick<Clv3dResult, "groups" | "pareto"> | undefined;
  if (value) {
    console.log(`\n3D CLV groups (${result.settings.horizonMonths} months, margin ${fmt(100 * result.settings.margin, 0)}%):`);
    table(
      ["group", "name", "customers", "share", "CLV total", "value share"],
      value.groups.map((g) => [g.group, g.name, fmt(g.count, 0), `${fmt(100 * g.customerShare, 1)}%`, fmt(g.value, 0), `${fmt(100 * g.valueShare, 1)}%`]),
    );
    console.log(`  80/20 check on 3D CLV: top 20% of customers hold ${fmt(100 * value.pareto.topShare, 1)}% of it (Gini ${fmt(value.pareto.gini, 3)})`);
  }

  // The five most valuable customers by predicted CLV, with every score the analysis gave them.
  const top = [...result.customers].sort((a, b) => ((b.predictedClv as number) ?? 0) - ((a.predictedClv as number) ?? 0)).slice(0, 5);
  console.log(`\nTop 5 customers by predicted ${result.settings.horizonMonths}-month CLV (BG/NBD + Gamma-Gamma):`);
  const cols: [string, string, number?][] = [
    ["customerId", "customer"],
    ["rfmSegment", "RFM segment"],
    ["clv3dGroupName", "3D CLV group"],
    ["pAlive", "P(alive)", 3],
    ["predictedClv", "CLV", 2],
    ["mcClvP5", "MC P5", 2],
    ["mcClvP95", "MC P95", 2],
    ["churnRisk", "churn risk", 3],
    ["clusterLabel", "cluster"],
  ];
  table(
    cols.map(([, h]) => h),
    top.map((c) => cols.map(([k, , d]) => fmt(c[k], d))),
  );

  const outIdx = args.indexOf("--out");
  const dir = outIdx >= 0 && args[outIdx + 1] ? resolve(args[outIdx + 1]) : mkdtempSync(join(tmpdir(), "customer-analytics-demo-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of await analysisFiles(result)) writeFileSync(join(dir, name), content);
  console.log(`\nWrote customers.csv, segments.csv, rules.csv, model.json and report.html to ${dir}`);
  console.log(`Open the report: ${join(dir, "report.html")}`);
  console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
