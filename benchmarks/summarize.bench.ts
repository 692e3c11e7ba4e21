/**
 * Foundation benchmark: customer summaries and CSV reading on a seeded synthetic log of about
 * 1,000,000 transactions from 100,000 customers.
 *
 *   npm run bench -- summarize
 *
 * Baselines measured in the same run: a naive summariser (Map of arrays of objects, sort per
 * customer, the way it is usually written) and papaparse's raw streamed parse of the same CSV
 * file (`header: true`, a step callback, no validation). Reading is measured as CPU time (user +
 * system, all threads) and wall time of each call, the readers alternating five times
 * (median reported), with the load average before and after: on a shared machine the wall time
 * includes waiting for a core and the CPU time does not.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Papa from "papaparse";
import {
  generateTransactions,
  readTransactions,
  readTransactionTable,
  summarizeCustomers,
  type TransactionTable,
  type Transaction,
} from "../src/index.js";
import { heapUsedMiB, peakRssMiB, printMachine, printMarkdownTable, timeit } from "./util.js";

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
  const dir = mkdtempSync(join(tmpdir(), "ca-bench-"));
  const path = join(dir, "tx.csv");
  const n = summaries(path);
  // The generated records are garbage from here on: a reader starts with the heap a user's
  // program has before reading, not with the benchmark's million input objects.
  (globalThis as { gc?: () => void }).gc?.();
  await reading(path, n);
  rmSync(dir, { recursive: true });
}

/** Generate the log, time the summaries, write the log as CSV to `path`; returns its row count. */
function summaries(path: string): number {
  const heap0 = heapUsedMiB();
  const gen = timeit(() =>
    generateTransactions({ customers: CUSTOMERS, seed: 2024, items: false, purchaseRate: { r: 1.1, alpha: 3.5 }, dropout: { a: 0.7, b: 5 } }),
  );
  const tx = gen.result;
  const heapData = heapUsedMiB() - heap0;
  const n = tx.length;
  const asOf = "2024-12-30";

  const oursSum = timeit(() => summarizeCustomers(tx, { asOf }), { repeat: 3, warmup: 1 });
  const heapBefore = heapUsedMiB();
  const kept = summarizeCustomers(tx, { asOf });
  const heapSummaries = heapUsedMiB() - heapBefore;
  const naive = timeit(() => naiveSummaries(tx, new Date(`${asOf}T00:00:00Z`)), { repeat: 3, warmup: 1 });
  if (naive.result.length !== oursSum.result.length) throw new Error(`customer counts differ: ${naive.result.length} vs ${oursSum.result.length}`);

  const lines = ["customerId,orderId,date,amount,channel"];
  for (const t of tx) lines.push(`${t.customerId},${t.orderId},${t.date.toISOString().slice(0, 10)},${t.amount},${t.channel}`);
  writeFileSync(path, lines.join("\n"));
  lines.length = 0;

  console.log(`${n.toLocaleString("en-US")} transactions, ${kept.length.toLocaleString("en-US")} customers; generated in ${gen.seconds.toFixed(2)} s`);
  console.log(`heap: transactions ${heapData.toFixed(0)} MiB, summaries ${heapSummaries.toFixed(0)} MiB; peak RSS so far ${peakRssMiB().toFixed(0)} MiB\n`);
  printMarkdownTable(
    ["step", "ours (s)", "rows/s", "baseline", "baseline (s)", "speed-up"],
    [["summarizeCustomers", oursSum.seconds, n / oursSum.seconds, "naive Map-of-arrays summariser", naive.seconds, `${(naive.seconds / oursSum.seconds).toFixed(1)}x`]],
  );
  return n;
}

/** CSV reading: the log read back streamed and validated into a table, and by papaparse alone, alternating. */
async function reading(path: string, n: number): Promise<void> {
  const fileBytes = statSync(path).size;
  const load0 = loadavg();
  const readers: { name: string; run: () => Promise<number> }[] = [
    { name: "table", run: async () => (await readTransactionTable(path, { keepAttributes: false })).report.accepted },
    {
      name: "papa",
      run: () =>
        new Promise<number>((resolve) => {
          let rows = 0;
          Papa.parse(createReadStream(path) as unknown as File, { header: true, step: () => void rows++, complete: () => resolve(rows) });
        }),
    },
  ];
  const runs = new Map<string, { cpu: number; wall: number }[]>(readers.map((r) => [r.name, []]));
  for (let rep = 0; rep < 5; rep++) {
    for (const r of readers) {
      const m = await measure(r.run);
      if (m.result !== n) throw new Error(`${r.name} read ${m.result} rows, expected ${n}`);
      runs.get(r.name)?.push(m);
    }
  }
  const records = await measure(async () => (await readTransactions(path, { keepAttributes: false })).report.accepted);
  const load1 = loadavg();

  // Memory of the table: its typed arrays, and the heap its dictionaries add (ids, order ids).
  const heapBeforeTable = heapUsedMiB();
  const { table } = await readTransactionTable(path, { keepAttributes: false });
  void table.orderIds.length; // decode the order ids (done on first use) so that they are counted
  const heapTable = (heapUsedMiB() - heapBeforeTable) * 2 ** 20;
  const columnBytes = typedArrayBytes(table);

  const med = (name: string, k: "cpu" | "wall") => median((runs.get(name) ?? []).map((m) => m[k]));
  const ours = { cpu: med("table", "cpu"), wall: med("table", "wall") };
  const papa = { cpu: med("papa", "cpu"), wall: med("papa", "wall") };

  console.log(`\nReading the ${(fileBytes / 2 ** 20).toFixed(1)} MiB CSV (median of 5 alternating runs; load average ${fmtLoad(load0)} before, ${fmtLoad(load1)} after):\n`);
  printMarkdownTable(
    ["reader", "CPU (s)", "wall (s)", "rows/s (CPU)", "papaparse CPU / ours"],
    [
      ["readTransactionTable (CSV -> table, validated)", ours.cpu, ours.wall, n / ours.cpu, `${(papa.cpu / ours.cpu).toFixed(2)}x`],
      ["readTransactions (same + one record per row)", records.cpu, records.wall, n / records.cpu, `${(papa.cpu / records.cpu).toFixed(2)}x`],
      ["papaparse alone (streamed, header: true, no validation)", papa.cpu, papa.wall, n / papa.cpu, "1.00x"],
    ],
  );
  console.log(`\nCPU s of each run: table ${runs.get("table")?.map((m) => m.cpu.toFixed(2)).join(", ")}; papaparse ${runs.get("papa")?.map((m) => m.cpu.toFixed(2)).join(", ")}`);
  console.log(
    `memory: the table's typed arrays ${(columnBytes / n).toFixed(1)} bytes/row; with its dictionaries (${table.ids.length.toLocaleString("en-US")} customer ids, ` +
      `${table.orderIds.length.toLocaleString("en-US")} order ids) ${(heapTable / n).toFixed(1)} bytes/row of heap + ${(columnBytes / n).toFixed(1)} of typed arrays`,
  );
}

/** CPU (user + system, all threads) and wall seconds of one async call. */
async function measure<T>(fn: () => Promise<T>): Promise<{ cpu: number; wall: number; result: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall, result };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");

/** Bytes held by the table's typed-array columns. */
function typedArrayBytes(t: TransactionTable): number {
  let b = t.customer.byteLength + t.day.byteLength + t.amount.byteLength + t.order.byteLength;
  if (t.cost) b += t.cost.byteLength;
  if (t.margin) b += t.margin.byteLength;
  if (t.channel) b += t.channel.codes.byteLength;
  if (t.items) b += t.items.offsets.byteLength + t.items.codes.byteLength;
  for (const c of t.attributes?.values() ?? []) b += c.codes.byteLength;
  return b;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
