/**
 * Foundation benchmark: customer summaries (and CSV ingestion) on a seeded synthetic log of
 * about 1,000,000 transactions from 100,000 customers.
 *
 *   npm run bench -- summarize
 *
 * Baselines measured in the same run: a naive summariser (Map of arrays of objects, sort per
 * customer, the way it is usually written) and papaparse alone (parsing without validation).
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import { generateTransactions, readTransactions, summarizeCustomers, type Transaction } from "../src/index.js";
import { heapUsedMiB, peakRssMiB, printMachine, printMarkdownTable, timeit, timeitAsync } from "./util.js";

const CUSTOMERS = 100_000;

/** The usual way: group objects by id in a Map, sort each group, reduce. */
function naiveSummaries(tx: readonly Transaction[], asOf: Date) {
  const groups = new Map<string, Transaction[]>();
  for (const t of tx) {
    if (t.date > asOf) continue;
    let g = groups.get(t.customerId);
    if (!g) groups.set(t.customerId, (g = []));
    g.push(t);
  }
  const out = [];
  for (const [id, g] of groups) {
    const byOrder = new Map<string, { date: Date; net: number; purchase: boolean }>();
    for (const t of g) {
      const key = t.orderId ?? t.date.toISOString().slice(0, 10);
      const o = byOrder.get(key) ?? { date: t.date, net: 0, purchase: false };
      o.net += t.amount;
      if (t.amount >= 0) o.purchase = true;
      if (t.date < o.date) o.date = t.date;
      byOrder.set(key, o);
    }
    const orders = [...byOrder.values()].filter((o) => o.purchase).sort((a, b) => a.date.getTime() - b.date.getTime());
    if (orders.length === 0) continue;
    const days = orders.map((o) => o.date.getTime() / 86_400_000);
    const gaps = days.slice(1).map((d, i) => d - days[i]);
    const mean = gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : null;
    out.push({
      customerId: id,
      frequency: orders.length,
      totalSpend: g.reduce((s, t) => s + t.amount, 0),
      recencyDays: asOf.getTime() / 86_400_000 - days[days.length - 1],
      meanGapDays: mean,
    });
  }
  return out.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
}

async function main(): Promise<void> {
  await printMachine("Customer summaries (benchmarks/summarize.bench.ts)");
  const heap0 = heapUsedMiB();
  const gen = timeit(() =>
    generateTransactions({ customers: CUSTOMERS, seed: 2024, items: false, purchaseRate: { r: 1.1, alpha: 3.5 }, dropout: { a: 0.7, b: 5 } }),
  );
  const tx = gen.result;
  const heapData = heapUsedMiB() - heap0;
  const n = tx.length;
  const asOf = "2024-12-30";

  const ours = timeit(() => summarizeCustomers(tx, { asOf }), { repeat: 3, warmup: 1 });
  const heapBefore = heapUsedMiB();
  const kept = summarizeCustomers(tx, { asOf });
  const heapSummaries = heapUsedMiB() - heapBefore;
  const naive = timeit(() => naiveSummaries(tx, new Date(`${asOf}T00:00:00Z`)), { repeat: 3, warmup: 1 });
  if (naive.result.length !== ours.result.length) throw new Error(`customer counts differ: ${naive.result.length} vs ${ours.result.length}`);

  // CSV ingestion: write the log once, then read it back streamed with validation, and with papaparse alone.
  const dir = mkdtempSync(join(tmpdir(), "ca-bench-"));
  const path = join(dir, "tx.csv");
  const lines = ["customerId,orderId,date,amount,channel"];
  for (const t of tx) lines.push(`${t.customerId},${t.orderId},${t.date.toISOString().slice(0, 10)},${t.amount},${t.channel}`);
  writeFileSync(path, lines.join("\n"));
  lines.length = 0;
  const read = await timeitAsync(() => readTransactions(path, { keepAttributes: false }));
  const papa = await timeitAsync(
    () =>
      new Promise<number>((resolve) => {
        let rows = 0;
        Papa.parse(createReadStream(path) as unknown as File, { header: true, step: () => void rows++, complete: () => resolve(rows) });
      }),
  );
  rmSync(dir, { recursive: true });
  if (read.result.report.accepted !== n) throw new Error("CSV round trip lost rows");

  console.log(`${n.toLocaleString("en-US")} transactions, ${kept.length.toLocaleString("en-US")} customers; generated in ${gen.seconds.toFixed(2)} s`);
  console.log(`heap: transactions ${heapData.toFixed(0)} MiB, summaries ${heapSummaries.toFixed(0)} MiB; peak RSS of the whole run ${peakRssMiB().toFixed(0)} MiB\n`);
  printMarkdownTable(
    ["step", "ours (s)", "rows/s", "baseline", "baseline (s)", "speed-up"],
    [
      ["summarizeCustomers", ours.seconds, n / ours.seconds, "naive Map-of-arrays summariser", naive.seconds, `${(naive.seconds / ours.seconds).toFixed(1)}x`],
      ["readTransactions (CSV, validated)", read.seconds, n / read.seconds, "papaparse alone, no validation", papa.seconds, `${(papa.seconds / read.seconds).toFixed(2)}x`],
    ],
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
