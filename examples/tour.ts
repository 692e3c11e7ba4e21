/**
 * A guided tour of the analytics, one section per analytic, each printing its tables (the one-call
 * version is `npm run demo`).
 *
 *   npm run tour                      # a seeded synthetic store (2,000 customers)
 *   npm run tour -- --cdnow           # the CDNOW sample in ../shared/data/cdnow
 *   npm run tour -- path/to/file.csv  # your own export (columns detected by name)
 */
import { generateTransactions, readTransactions, summarizeCustomers, type IngestionResult } from "../src/index.js";
import type { DemoContext } from "./demo/context.js";
import { sections } from "./demo/sections.js";

const CDNOW = new URL("../../shared/data/cdnow/CDNOW_sample.txt", import.meta.url).pathname;

async function load(args: string[]): Promise<{ source: string; ingested: IngestionResult }> {
  const seed = 42;
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
  const file = args.find((a) => !a.startsWith("--"));
  if (file) return { source: file, ingested: await readTransactions(file, { mode: args.includes("--strict") ? "strict" : "lenient" }) };
  const transactions = generateTransactions({ customers: 2000, seed });
  const { parseTransactions } = await import("../src/index.js");
  return { source: "synthetic store (2,000 customers, seed 42)", ingested: parseTransactions(transactions) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const t0 = performance.now();
  const { source, ingested } = await load(args);
  const asOfArg = args.find((a) => a.startsWith("--as-of="))?.slice("--as-of=".length);
  const lastDay = ingested.report.dateRange?.to;
  if (!lastDay) throw new Error("demo: no valid transactions in the input");
  const asOf = asOfArg ?? lastDay;
  const ctx: DemoContext = {
    source,
    transactions: ingested.transactions,
    report: ingested.report,
    asOf,
    summaries: summarizeCustomers(ingested.transactions, { asOf }),
    seed: 42,
  };
  for (const section of sections) await section(ctx);
  console.log(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
