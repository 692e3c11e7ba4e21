/**
 * Association rules: load, mine and rule times on Groceries (9,835 baskets) and T10I4D100K
 * (100,000 baskets), peak memory, and recommendation latency.
 *
 *   npm run bench -- rules
 *
 * Baselines measured in the same run: the npm package `node-fpgrowth` (itemsets only) on the
 * same baskets, and a recommender that scans every rule per call. Reference figures for R arules
 * (C code) and Python mlxtend are quoted from issue 7 (not installed here).
 */
import { FPGrowth } from "node-fpgrowth";
import { associationRules, buildRecommender, frequentItemsets, readBaskets, recommend, type AssociationRule, type Baskets } from "../src/index.js";
import { fmtNum, heapUsedMiB, peakRssMiB, printMachine, printMarkdownTable, timeit, timeitAsync } from "./util.js";

const GROCERIES = new URL("../../shared/data/groceries/groceries.csv", import.meta.url).pathname;
const T10 = new URL("../../shared/data/t10i4d100k/T10I4D100K.dat", import.meta.url).pathname;
const REPEAT = 5;

/** Best wall time and mean CPU time (user + system, this process) per call, after warm-up calls. */
function measure<T>(fn: () => T, repeat = REPEAT, warmup = 1): { seconds: number; cpu: number; result: T } {
  for (let i = 0; i < warmup; i++) fn();
  let best = Infinity;
  let result!: T;
  const c0 = process.cpuUsage();
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const c = process.cpuUsage(c0);
  return { seconds: best, cpu: (c.user + c.system) / 1e6 / repeat, result };
}

/** {@link measure} for a promise-returning call (node-fpgrowth's `exec`). */
async function measureAsync<T>(fn: () => Promise<T>, repeat = 1): Promise<{ seconds: number; cpu: number; result: T }> {
  let best = Infinity;
  let result!: T;
  const c0 = process.cpuUsage();
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  const c = process.cpuUsage(c0);
  return { seconds: best, cpu: (c.user + c.system) / 1e6 / repeat, result };
}

/** Peak RSS of one pipeline in a fresh process (node + tsx alone is about 75 MiB). */
async function probeInChild(what: string): Promise<number> {
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--probe", what], { encoding: "utf8" });
  const m = /PEAK (\d+(?:\.\d+)?)/.exec(r.stdout ?? "");
  if (!m) throw new Error(`probe ${what} failed: ${r.stderr}`);
  return Number(m[1]);
}

async function probe(what: string): Promise<void> {
  if (what === "node-fpgrowth-groceries") {
    const g = await readBaskets(GROCERIES);
    await new FPGrowth<number>(0.001).exec(lists(g));
  } else {
    const [data, s] = what.split(":");
    const b = data === "groceries" ? await readBaskets(GROCERIES) : await readBaskets(T10, { format: "fimi" });
    associationRules(frequentItemsets(b, { minSupport: Number(s) }), { minConfidence: 0.5 });
  }
  console.log(`PEAK ${peakRssMiB().toFixed(1)}`);
}

const lists = (b: Baskets): number[][] =>
  Array.from({ length: b.count }, (_, i) => Array.from(b.itemIds.subarray(b.offsets[i], b.offsets[i + 1])));

/** The naive way: look at every rule for every call. */
function scanRecommend(rules: readonly AssociationRule[], basket: readonly string[], top: number): string[] {
  const have = new Set(basket);
  const best = new Map<string, number>();
  for (const r of rules) {
    if (!r.antecedent.every((a) => have.has(a))) continue;
    for (const y of r.consequent) if (!have.has(y)) best.set(y, Math.max(best.get(y) ?? 0, r.confidence));
  }
  return [...best].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k]) => k);
}

async function main(): Promise<void> {
  await printMachine("Association rules (benchmarks/rules.bench.ts)");
  const os = await import("node:os");
  console.log(`load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}\n`);
  const rows: (string | number)[][] = [];
  const heap0 = heapUsedMiB();

  // Groceries.
  const gLoad = await timeitAsync(() => readBaskets(GROCERIES), { repeat: 3 });
  const g = gLoad.result;
  const gMine = measure(() => frequentItemsets(g, { minSupport: 0.001 }), REPEAT, 2);
  const gRules = measure(() => associationRules(gMine.result, { minConfidence: 0.5 }), REPEAT, 2);
  const gBoth = measure(() => associationRules(frequentItemsets(g, { minSupport: 0.001 }), { minConfidence: 0.5 }));
  const gPeak = await probeInChild("groceries:0.001");
  rows.push([
    "Groceries, support 0.001, conf 0.5",
    gLoad.seconds,
    `${fmtNum(gMine.seconds)} (${fmtNum(gMine.cpu)})`,
    `${fmtNum(gRules.seconds)} (${fmtNum(gRules.cpu)})`,
    `${fmtNum(gBoth.seconds)} (${fmtNum(gBoth.cpu)})`,
    `${gMine.result.itemsets.length} / ${gRules.result.length}`,
    gPeak,
  ]);

  // T10I4D100K.
  const tLoad = await timeitAsync(() => readBaskets(T10, { format: "fimi" }), { repeat: 2 });
  const t = tLoad.result;
  for (const s of [0.01, 0.005, 0.002, 0.001]) {
    const m = measure(() => frequentItemsets(t, { minSupport: s }));
    const r = measure(() => associationRules(m.result, { minConfidence: 0.5 }), 3);
    const peak = s <= 0.002 ? await probeInChild(`t10:${s}`) : "";
    rows.push([
      `T10I4D100K, support ${s}, conf 0.5`,
      tLoad.seconds,
      `${fmtNum(m.seconds)} (${fmtNum(m.cpu)})`,
      `${fmtNum(r.seconds)} (${fmtNum(r.cpu)})`,
      `${fmtNum(m.seconds + r.seconds)} (${fmtNum(m.cpu + r.cpu)})`,
      `${m.result.itemsets.length} / ${r.result.length}`,
      peak,
    ]);
  }
  const heapOurs = heapUsedMiB() - heap0;
  const rssOurs = peakRssMiB();

  console.log(`peak RSS after our runs (both data sets loaded, every level mined): ${rssOurs.toFixed(0)} MiB; heap growth ${heapOurs.toFixed(0)} MiB\n`);
  console.log("times: best wall-clock of 5 (mean CPU seconds per call in parentheses); peak RSS: the whole pipeline (load, mine, rules) in a fresh process\n");
  printMarkdownTable(["data, thresholds", "load (s)", "mine (s)", "rules (s)", "mine + rules (s)", "itemsets / rules", "peak RSS (MiB)"], rows);

  // Recommendations: build once, then one call per Groceries basket.
  const rules = gRules.result;
  const build = timeit(() => buildRecommender(rules), { repeat: REPEAT, warmup: 1 });
  const rec = build.result;
  const labelBaskets = lists(g).map((ids) => ids.map((i) => g.items[i]));
  let sink = 0;
  const calls = timeit(() => {
    for (const b of labelBaskets) sink += recommend(rec, b, { top: 5 }).length;
  }, { repeat: 3, warmup: 1 });
  const scan = timeit(() => {
    for (const b of labelBaskets) sink += scanRecommend(rules, b, 5).length;
  }, { repeat: 3, warmup: 1 });
  const perCall = (calls.seconds / labelBaskets.length) * 1e6;
  const perScan = (scan.seconds / labelBaskets.length) * 1e6;
  console.log(`\nrecommend: ${rules.length} rules, buildRecommender ${(build.seconds * 1000).toFixed(2)} ms; ${labelBaskets.length} calls (one per Groceries basket)\n`);
  printMarkdownTable(
    ["step", "ours (µs/call)", "baseline", "baseline (µs/call)", "speed-up"],
    [["recommend(recommender, basket, { top: 5 })", perCall, "scan every rule per call", perScan, `${(perScan / perCall).toFixed(0)}x`]],
  );

  // Baseline: node-fpgrowth on the same baskets (numeric ids), same thresholds.
  const base: (string | number)[][] = [];
  const gl = lists(g);
  const fp = await measureAsync(() => new FPGrowth<number>(0.001).exec(gl), 2);
  const fpPeak = await probeInChild("node-fpgrowth-groceries");
  const pair = (a: { seconds: number; cpu: number }) => `${fmtNum(a.seconds)} (${fmtNum(a.cpu)})`;
  const ratio = (b: { seconds: number; cpu: number }, a: { seconds: number; cpu: number }) => `${(b.seconds / a.seconds).toFixed(0)}x (${(b.cpu / a.cpu).toFixed(0)}x)`;
  base.push(["Groceries, support 0.001", pair(gMine), pair(fp), String(fp.result.length), ratio(fp, gMine)]);
  const tl = lists(t);
  for (const s of [0.01, 0.005]) {
    const ours = measure(() => frequentItemsets(t, { minSupport: s }), 3);
    const fpt = await measureAsync(() => new FPGrowth<number>(s).exec(tl));
    base.push([`T10I4D100K, support ${s}`, pair(ours), pair(fpt), String(fpt.result.length), ratio(fpt, ours)]);
  }
  console.log("\nfrequent itemsets only, against node-fpgrowth 1.2 (same process, after ours; wall seconds, CPU seconds in parentheses; node-fpgrowth is not run on T10I4D100K below 0.005 to keep the run short: it already needs about 10 s at 0.01 and 0.005):\n");
  printMarkdownTable(["data", "ours (s)", "node-fpgrowth (s)", "node-fpgrowth itemsets", "speed-up"], base);
  console.log(`\nnode-fpgrowth peak RSS on Groceries at 0.001 (load + mine, fresh process): ${fpPeak.toFixed(0)} MiB, ours (load + mine + rules) ${gPeak.toFixed(0)} MiB`);
  console.log(`peak RSS of the whole run (node-fpgrowth included): ${peakRssMiB().toFixed(0)} MiB; load average at end: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  if (sink < 0) console.log(sink);
}

const probeAt = process.argv.indexOf("--probe");
(probeAt >= 0 ? probe(process.argv[probeAt + 1]) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
