/**
 * Scale: the command-line `analyze` (every step on, defaults, `--lenient`) on generated CSV
 * logs of about 1, 3 and 10 million transactions, each size in its own process with Node's
 * default heap settings. Prints wall time, CPU time (user + system of the child, GC and worker
 * threads included), peak RSS and the load average before and after each run.
 *
 *   npm run bench -- scale                 # 1M, 3M and 10M
 *   npm run bench -- scale --sizes=1,3     # millions of rows to run
 *
 * Baseline in the same run: papaparse's raw streamed parse of the same file (no validation,
 * nothing kept), i.e. the cost of touching every row once.
 *
 * Targets (issue 14): 1M in at most 15 s and 1 GiB; 10M within 150 s and 6 GiB; the 10M/1M
 * time ratio at most 11.
 *
 * The logs are written once to the OS temp folder (not the repository) by a streamed generator:
 * batches of 20,000 customers from `generateTransactions` (seed `scale-<batch>`), ids prefixed
 * by the batch so they stay distinct. Columns: customer_id, date, amount, order_id, items
 * (`|`-separated), channel, region, age_band.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Papa from "papaparse";
import { generateTransactions } from "../src/index.js";
import { printMachine, printMarkdownTable } from "./util.js";

const OPTIONS = { purchaseRate: { r: 1.1, alpha: 3.5 }, dropout: { a: 0.7, b: 5 } } as const;
const BATCH = 20_000;
const DIR = join(tmpdir(), "customer-analytics-scale");

interface ChildResult {
  rows: number;
  customers: string;
  /** Wall seconds per step (from the CLI's progress lines), writing the files included in the total only. */
  steps: Record<string, number>;
  monteCarlo: string;
  wall: number;
  cpu: number;
  peakRssMiB: number;
  exitCode: number;
}

/** Write a log of about `target` rows as CSV (streamed); returns the path. */
async function ensureFile(target: number): Promise<string> {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `tx-${target}.csv`);
  if (existsSync(path)) return path;
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));
  await write("customer_id,date,amount,order_id,items,channel,region,age_band\n");
  let rows = 0;
  for (let b = 0; rows < target; b++) {
    const tx = generateTransactions({ ...OPTIONS, customers: BATCH, seed: `scale-${b}` });
    const lines: string[] = [];
    for (const t of tx) {
      if (rows >= target) break;
      const a = t.attributes as { region: string; ageBand: string };
      lines.push(`B${b}${t.customerId},${t.date.toISOString().slice(0, 10)},${t.amount},B${b}${t.orderId},${(t.items ?? []).join("|")},${t.channel},${a.region},${a.ageBand}\n`);
      rows++;
    }
    await write(lines.join(""));
  }
  await new Promise<void>((r) => out.end(() => r()));
  renameSync(tmp, path);
  return path;
}

/** papaparse's raw streamed parse of the file: rows counted, nothing kept. */
async function baseline(path: string): Promise<{ wall: number; cpu: number; rows: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(path, { encoding: "utf8" }) as unknown as File, {
      header: false,
      step: () => {
        rows++;
      },
      complete: () => resolve(),
      error: (e: Error) => reject(e),
    });
  });
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, rows: rows - 1 };
}

async function child(path: string): Promise<void> {
  const { main } = await import("../src/cli/main.js");
  const out = mkdtempSync(join(tmpdir(), "ca-scale-out-"));
  const t0 = performance.now();
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  let printed = "";
  let progress = "";
  (process.stdout as unknown as { write: (s: string) => boolean }).write = (s: string) => ((printed += s), true);
  (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => ((progress += s), true);
  const code = await main(["analyze", path, "--lenient", "--out", out]);
  (process.stdout as unknown as { write: typeof stdoutWrite }).write = stdoutWrite;
  (process.stderr as unknown as { write: typeof stderrWrite }).write = stderrWrite;
  // "[12.3s] step done: ..." lines: the time at which each step ended.
  const ends = [...progress.matchAll(/\[(\d+\.\d)s\] (\w+) (done|skipped)/g)].map((m) => [m[2], Number(m[1])] as const);
  const steps: Record<string, number> = {};
  ends.forEach(([name, t], i) => (steps[name] = t - (i > 0 ? ends[i - 1][1] : 0)));
  const wall = (performance.now() - t0) / 1000;
  const ru = process.resourceUsage();
  rmSync(out, { recursive: true, force: true });
  const m = /rows read (\d+)/.exec(printed);
  const mc = /Monte Carlo CLV \(([^)]*)\)/.exec(printed);
  const cust = /^([\d,]+) customers/m.exec(printed);
  const res: ChildResult = { rows: m ? Number(m[1]) : 0, customers: cust ? cust[1] : "?", wall, cpu: (ru.userCPUTime + ru.systemCPUTime) / 1e6, peakRssMiB: ru.maxRSS / 1024, exitCode: code, steps, monteCarlo: mc ? mc[1] : "" };
  stdoutWrite(`RESULT ${JSON.stringify(res)}\n`);
  process.exit(0);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--child");
  if (i >= 0) return child(process.argv[i + 1]);
  const arg = process.argv.find((a) => a.startsWith("--sizes="));
  const sizes = (arg ? arg.slice(8).split(",").map(Number) : [1, 3, 10]).map((m) => Math.round(m * 1_000_000));
  await printMachine("Scale (benchmarks/scale.bench.ts)");
  const rows: (string | number)[][] = [];
  const results: { size: number; r: ChildResult; base: { wall: number; cpu: number } }[] = [];
  for (const size of sizes) {
    const path = await ensureFile(size);
    const mib = statSync(path).size / 2 ** 20;
    const base = await baseline(path);
    const load0 = loadavg()[0];
    const p = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", path], { encoding: "utf8", maxBuffer: 1 << 26, stdio: ["ignore", "pipe", "pipe"] });
    const load1 = loadavg()[0];
    const line = p.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) {
      rows.push([`${(size / 1e6).toFixed(0)}M`, `${mib.toFixed(0)} MiB`, "failed", `exit ${p.status}: ${(p.stderr ?? "").split("\n").filter(Boolean).slice(-3).join(" / ")}`, "", "", "", "", `${load0.toFixed(1)} / ${load1.toFixed(1)}`]);
      continue;
    }
    const r = JSON.parse(line.slice(7)) as ChildResult;
    results.push({ size, r, base });
    rows.push([
      r.rows.toLocaleString("en-US"),
      `${mib.toFixed(0)} MiB`,
      r.wall.toFixed(1),
      r.cpu.toFixed(1),
      r.peakRssMiB.toFixed(0),
      `${base.wall.toFixed(1)} / ${base.cpu.toFixed(1)}`,
      `${(r.cpu / base.cpu).toFixed(1)}x`,
      String(r.exitCode),
      `${load0.toFixed(1)} / ${load1.toFixed(1)}`,
    ]);
  }
  if (results.length > 0) {
    const names = Object.keys(results[0].r.steps);
    printMarkdownTable(
      ["step (wall s)", ...results.map((x) => `${(x.size / 1e6).toFixed(0)}M rows, ${x.r.customers} customers`)],
      [...names.map((n) => [n, ...results.map((x) => (x.r.steps[n] ?? 0).toFixed(1))]), ["Monte Carlo draws", ...results.map((x) => x.r.monteCarlo)]],
    );
    console.log("");
  }
  printMarkdownTable(["transactions", "file", "analyze wall (s)", "analyze CPU (s)", "peak RSS (MiB)", "baseline: papaparse wall / CPU (s)", "CPU vs baseline", "exit", "load before / after"], rows);
  const one = results.find((x) => x.size === 1_000_000);
  const ten = results.find((x) => x.size === 10_000_000);
  if (one) console.log(`\n1M target (<= 15 s, <= 1 GiB): ${one.r.wall.toFixed(1)} s, ${one.r.peakRssMiB.toFixed(0)} MiB -> ${one.r.wall <= 15 && one.r.peakRssMiB <= 1024 ? "met" : "NOT met"}`);
  if (ten) console.log(`10M target (<= 150 s, <= 6 GiB): ${ten.r.wall.toFixed(1)} s, ${ten.r.peakRssMiB.toFixed(0)} MiB -> ${ten.r.wall <= 150 && ten.r.peakRssMiB <= 6144 ? "met" : "NOT met"}`);
  if (one && ten) console.log(`10M / 1M: wall ${(ten.r.wall / one.r.wall).toFixed(1)}, CPU ${(ten.r.cpu / one.r.cpu).toFixed(1)} (target <= 11)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
