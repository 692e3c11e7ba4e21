/**
 * The one-call analysis on seeded synthetic logs of about 100,000 and 1,000,000 transactions,
 * every step on: per-step time and peak memory.
 *
 *   npm run bench -- pipeline
 *
 * Target (issue 9): the 1,000,000-row run under 60 s and under 2 GiB. Baseline in the same run:
 * the time to generate and validate the data (parseTransactions), i.e. the cost of just
 * touching every row once.
 */
import { analyze, generateTransactions, parseTransactions } from "../src/index.js";
import { peakRssMiB, printMachine, printMarkdownTable } from "./util.js";

async function run(customers: number) {
  const tx = generateTransactions({ customers, seed: 99, purchaseRate: { r: 1.1, alpha: 3.5 }, dropout: { a: 0.7, b: 5 } });
  let t0 = performance.now();
  const ingested = parseTransactions(tx);
  const ingestSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const result = await analyze(ingested, { seed: 99 });
  const total = (performance.now() - t0) / 1000;
  return { n: tx.length, customers: result.customers.length, ingestSeconds, total, steps: result.steps };
}

async function main(): Promise<void> {
  await printMachine("Pipeline (benchmarks/pipeline.bench.ts)");
  const sizes = process.argv.includes("--small") ? [10_000] : [10_000, 100_000];
  const runs: Awaited<ReturnType<typeof run>>[] = [];
  for (const customers of sizes) runs.push(await run(customers));
  const names = runs[0].steps.map((s) => s.step);
  printMarkdownTable(
    ["step", ...runs.map((r) => `${(r.n / 1e6).toFixed(2)}M rows (s)`)],
    [
      ["validate rows (baseline: parseTransactions)", ...runs.map((r) => r.ingestSeconds)],
      ...names.map((name) => [name, ...runs.map((r) => {
        const s = r.steps.find((x) => x.step === name);
        return s?.status === "ok" ? s.seconds : `skipped (${s?.reason})`;
      })]),
      ["analyze total", ...runs.map((r) => r.total)],
      ["analyze total / baseline", ...runs.map((r) => `${(r.total / r.ingestSeconds).toFixed(1)}x`)],
    ],
  );
  console.log(`\ncustomers: ${runs.map((r) => r.customers.toLocaleString("en-US")).join(" / ")}; peak RSS ${peakRssMiB().toFixed(0)} MiB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
