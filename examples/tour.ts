/**
 * A guided tour of the analytics, one section per analytic, each printing its tables (the one-call
 * version is `npm run demo`).
 *
 *   npm run tour                      # a seeded synthetic store (2,000 customers)
 *   npm run tour -- --cdnow           # the CDNOW sample in ../shared/data/cdnow
 *   npm run tour -- path/to/file.csv  # your own export (columns detected by name; add --strict to stop at a bad row)
 */
import { summarizeCustomers } from "../src/index.js";
import type { DemoContext } from "./demo/context.js";
import { loadInput } from "./demo/load.js";
import { sections } from "./demo/sections.js";

const SEED = 42;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const t0 = performance.now();
  const { source, ingested } = await loadInput(args, SEED);
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
    seed: SEED,
  };
  for (const section of sections) await section(ctx);
  console.log(`\nDone in ${((performance.now() - t0) / 1000).toFixed(2)} s.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
