/**
 * The one-call analysis on seeded synthetic logs of about 100,000 and 1,000,000 transactions,
 * every step on: per-step time and peak memory. Each size runs in its own process, so its peak
 * RSS is its own.
 *
 *   npm run bench -- pipeline            # both sizes
 *   npm run bench -- pipeline --small    # 100,000 rows only
 *
 * Target (issue 9): the 1,000,000-row run under 60 s and under 2 GiB. Baseline in the same run:
 * the time to validate the rows (parseTransactions), i.e. the cost of touching every row once.
 * Writing the five output files (CSV, JSON, the HTML report with its charts) is timed apart.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { analysisFiles, analyze, generateTransactions, parseTransactions } from "../src/index.js";
import { peakRssMiB, printMachine, printMarkdownTable } from "./util.js";

/** Synthetic transactions per customer at these settings (measured on 20,000 customers, seed 99). */
const OPTIONS = { seed: 99, purchaseRate: { r: 1.1, alpha: 3.5 }, dropout: { a: 0.7, b: 5 } } as const;

interface RunResult {
  rows: number;
  customers: number;
  ingestSeconds: number;
  total: number;
  filesSeconds: number;
  steps: { step: string; status: string; seconds: number; reason?: string }[];
  peakRssMiB: number;
}

async function child(targetRows: number): Promise<void> {
  const perCustomer = generateTransactions({ ...OPTIONS, customers: 20_000 }).length / 20_000;
  let tx: ReturnType<typeof generateTransactions> | null = generateTransactions({ ...OPTIONS, customers: Math.round(targetRows / perCustomer) });
  const rows = tx.length;
  let t0 = performance.now();
  const ingested = parseTransactions(tx);
  const ingestSeconds = (performance.now() - t0) / 1000;
  // Drop the generator's objects: a user's run holds only the validated rows (readTransactions).
  tx = null;
  t0 = performance.now();
  const result = await analyze(ingested, { seed: 99 });
  const total = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const files = await analysisFiles(result);
  const filesSeconds = (performance.now() - t0) / 1000;
  if (files.length !== 5) throw new Error("expected five files");
  const out: RunResult = {
    rows,
    customers: result.customers.length,
    ingestSeconds,
    total,
    filesSeconds,
    steps: result.steps.map((s) => ({ step: s.step, status: s.status, seconds: s.seconds, reason: s.reason })),
    peakRssMiB: peakRssMiB(),
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--child");
  if (i >= 0) return child(Number(process.argv[i + 1]));
  await printMachine("Pipeline (benchmarks/pipeline.bench.ts)");
  const sizes = process.argv.includes("--small") ? [100_000] : [100_000, 1_000_000];
  const runs: RunResult[] = [];
  for (const rows of sizes) {
    const text = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", String(rows)], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "inherit"] });
    const line = text.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`child run for ${rows} rows printed no result`);
    runs.push(JSON.parse(line.slice(7)) as RunResult);
  }
  const names = runs[0].steps.map((s) => s.step);
  printMarkdownTable(
    ["step", ...runs.map((r) => `${r.rows.toLocaleString("en-US")} rows, ${r.customers.toLocaleString("en-US")} customers (s)`)],
    [
      ["validate rows (baseline: parseTransactions)", ...runs.map((r) => r.ingestSeconds.toFixed(2))],
      ...names.map((name) => [
        name,
        ...runs.map((r) => {
          const s = r.steps.find((x) => x.step === name);
          return s?.status === "ok" ? s.seconds.toFixed(2) : `skipped (${s?.reason})`;
        }),
      ]),
      ["**analyze total**", ...runs.map((r) => `**${r.total.toFixed(2)}**`)],
      ["analyze total / baseline", ...runs.map((r) => `${(r.total / r.ingestSeconds).toFixed(1)}x`)],
      ["write the five files (report included)", ...runs.map((r) => r.filesSeconds.toFixed(2))],
      ["peak RSS of the run (MiB)", ...runs.map((r) => r.peakRssMiB.toFixed(0))],
    ],
  );
  const big = runs.at(-1)!;
  if (big.rows >= 900_000) {
    const ok = big.total < 60 && big.peakRssMiB < 2048;
    console.log(`\nTarget (1M rows: < 60 s, < 2 GiB): ${big.total.toFixed(1)} s, ${big.peakRssMiB.toFixed(0)} MiB -> ${ok ? "met" : "NOT met"}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
