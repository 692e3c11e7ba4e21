/**
 * The main job: a transaction log in, answers out. Generates the seeded synthetic store (or reads
 * CDNOW or your own export), runs `analyze` with every step on, writes customers.csv,
 * segments.csv, rules.csv, model.json and report.html to a temporary folder, and prints the
 * summary and where the report is.
 *
 *   npm run demo                          # synthetic store: 2,000 customers, seed 42
 *   npm run demo -- --cdnow               # the CDNOW sample in ../shared/data/cdnow
 *   npm run demo -- path/to/orders.csv    # your own export (columns detected by name, lenient; --strict stops at a bad row)
 *   npm run demo -- --out results         # write the files to ./results instead
 *
 * The step-by-step version of the same analysis, printing each analytic's tables, is
 * `npm run tour` (examples/tour.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { analysisFiles, analyze, type Clv3dResult } from "../src/index.js";
import { fmt, pct, printTable } from "./demo/format.js";
import { loadInput } from "./demo/load.js";

const SEED = 42;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const t0 = performance.now();
  const { source, ingested } = await loadInput(args, SEED);
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
    console.log(`\n3D CLV groups (past value to date + future value over ${result.settings.horizonMonths} months, margin ${pct(result.settings.margin, 0)}):`);
    printTable(value.groups, [
      ["group", (g) => g.group],
      ["name", (g) => g.name],
      ["customers", (g) => g.count],
      ["share", (g) => pct(g.customerShare)],
      ["past + future", (g) => fmt(g.value, 0)],
      ["value share", (g) => pct(g.valueShare)],
    ]);
    console.log(`80/20 check on 3D CLV: top 20% of customers hold ${pct(value.pareto.topShare)} of it (Gini ${fmt(value.pareto.gini, 3)})`);
  }

  // The five most valuable customers by predicted CLV, with every score the analysis gave them.
  const top = [...result.customers].sort((a, b) => ((b.predictedClv as number) ?? 0) - ((a.predictedClv as number) ?? 0)).slice(0, 5);
  console.log(`\nTop 5 customers by future value over ${result.settings.horizonMonths} months (BG/NBD + Gamma-Gamma):`);
  const cell = (v: unknown, decimals?: number) => (typeof v === "number" && decimals !== undefined ? fmt(v, decimals) : String(v ?? ""));
  printTable(top, [
    ["customer", (c) => cell(c.customerId)],
    ["RFM segment", (c) => cell(c.rfmSegment)],
    ["3D CLV group", (c) => cell(c.clv3dGroupName)],
    ["P(alive)", (c) => cell(c.pAlive, 3)],
    ["future value", (c) => cell(c.predictedClv, 2)],
    ["MC P5", (c) => cell(c.mcClvP5, 2)],
    ["MC P95", (c) => cell(c.mcClvP95, 2)],
    ["churn risk", (c) => cell(c.churnRisk, 3)],
    ["cluster", (c) => cell(c.clusterLabel)],
  ]);

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
