/**
 * Boosting benchmark: `trainChurnModelColumns(..., { model: "boosting" })` on a seeded
 * 140,000 x 30 table against scikit-learn's `HistGradientBoostingClassifier` (defaults,
 * random_state=0) on the same table, CPU time (user + system, all threads) measured in the same run.
 *
 *   npx tsx benchmarks/churn-boosting.bench.ts
 *
 * Three settings: the defaults (early stopping "auto", on above 10,000 rows, so the number of trees
 * depends on each library's validation split; histogram threads "auto", i.e. both cores here, as
 * scikit-learn's OpenMP default), early stopping off with exactly 100 trees (the same work on both
 * sides), and that again on one thread against scikit-learn on one thread. Ratios: ours / scikit-
 * learn's wall time with the same threads, and ours / scikit-learn's CPU time. scikit-learn runs through test/reference/churn_hgb_bench.py
 * with Debian's /usr/bin/python3 (twice: its default two OpenMP threads, then OMP_NUM_THREADS=1);
 * without python3-sklearn that column says why it is missing.
 * Run on a quiet machine (load average < 3): the figures are CPU seconds of the best of 3 runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng } from "../src/numeric/index.js";
import { evaluateChurn, scoreChurnColumns, trainChurnModelColumns, type BoostingChurnModel } from "../src/churn/index.js";
import { cpuBest } from "./util.js";

const N = 140_000;
const P = 30;
const REPEAT = 3;

/** Seeded table: every third column an integer 0..11, the others continuous; a non-linear label on 8 columns, 5% missing in column 1. */
function table(n: number, p: number, seed: number): { cols: Float64Array[]; y: Uint8Array } {
  const rng = createRng(seed);
  const cols = Array.from({ length: p }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) cols[j][i] = j % 3 === 0 ? Math.floor(rng.next() * 12) : Math.round(rng.next() * 1e4) / 100;
    const x = (j: number) => cols[j][i];
    const z = 0.25 * (x(0) - 6) - 0.03 * (x(1) - 50) + 0.02 * (x(2) - 50) + (x(3) > 6 ? 0.8 : -0.4) - 0.0004 * (x(4) - 50) ** 2 + (x(5) > 70 && x(6) < 4 ? 1.2 : 0) + 0.01 * x(7) * (x(8) > 50 ? 1 : -1) + (rng.next() - 0.5) * 2;
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    if (rng.next() < 0.05) cols[1][i] = Number.NaN;
  }
  return { cols, y };
}


const load = loadavg()[0];
console.log(`churn boosting: ${N.toLocaleString("en")} x ${P}, best of ${REPEAT} runs; load average ${load.toFixed(2)}${load >= 3 ? " (busy machine: figures are not comparable)" : ""}`);
const train = table(N, P, 7);
const test = table(30_000, P, 8);
const names = Array.from({ length: P }, (_, j) => `f${j}`);
const columns = Object.fromEntries(names.map((k, j) => [k, train.cols[j]]));
const testColumns = Object.fromEntries(names.map((k, j) => [k, test.cols[j]]));
const settings = [
  { label: "defaults (early stopping auto)", ours: {}, py: "auto", one: false },
  { label: "100 trees, no early stopping", ours: { earlyStopping: false }, py: "off", one: false },
  { label: "100 trees, no early stopping, 1 thread", ours: { earlyStopping: false, threads: 1 }, py: "off", one: true },
] as const;
// sklearn: one process, both settings
const dir = mkdtempSync(join(tmpdir(), "churn-hgb-"));
let sk: Record<string, { cpu: number; wall: number; n_iter: number; auc: number }> | null = null;
let sk1: Record<string, { cpu: number; wall: number; n_iter: number; auc: number }> | null = null;
let skMessage = "";
try {
  const rowMajor = (c: Float64Array[], n: number) => {
    const out = new Float64Array(n * P);
    for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) out[i * P + j] = c[j][i];
    return out;
  };
  writeFileSync(join(dir, "X.f64"), rowMajor(train.cols, N));
  writeFileSync(join(dir, "y.u8"), train.y);
  writeFileSync(join(dir, "Xt.f64"), rowMajor(test.cols, test.y.length));
  writeFileSync(join(dir, "yt.u8"), test.y);
  writeFileSync(join(dir, "meta.json"), JSON.stringify({ n: N, p: P, nt: test.y.length, repeat: REPEAT }));
  const script = fileURLToPath(new URL("../test/reference/churn_hgb_bench.py", import.meta.url));
  const r = spawnSync("/usr/bin/python3", [script, dir], { encoding: "utf8" });
  // and on one OpenMP thread: on a loaded machine the second thread's spinning inflates the CPU time above
  const r1 = r.status === 0 ? spawnSync("/usr/bin/python3", [script, dir], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } }) : null;
  if (r1 && r1.status === 0) sk1 = JSON.parse(r1.stdout);
  if (r.status === 0) sk = JSON.parse(r.stdout);
  else skMessage = r.error ? `python3 not found (${r.error.message})` : /No module named/.test(r.stderr) ? "skipped: python3-sklearn is not installed (apt-get install python3-sklearn)" : `failed: ${r.stderr.trim().split("\n").pop()}`;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const rows: string[][] = [];
for (const s of settings) {
  const r = cpuBest(() => trainChurnModelColumns({ columns }, train.y, { model: "boosting", ...s.ours }) as BoostingChurnModel, REPEAT);
  const auc = evaluateChurn(Array.from(test.y, (v) => v === 1), scoreChurnColumns(r.result, { columns: testColumns })).rocAuc!;
  const b = (s.one ? sk1 : sk)?.[s.py];
  rows.push([s.label, s.one ? "1" : "auto", r.cpu.toFixed(2), r.wall.toFixed(2), String(r.result.trees.length), auc.toFixed(4), b ? b.cpu.toFixed(2) : "-", b ? b.wall.toFixed(2) : "-", b ? String(b.n_iter) : "-", b ? b.auc.toFixed(4) : "-", b ? (r.wall / b.wall).toFixed(2) : "-", b ? (r.cpu / b.cpu).toFixed(2) : "-"]);
}
const head = ["setting", "our threads", "ours CPU s", "ours wall s", "ours trees", "ours test AUC", "sklearn CPU s", "sklearn wall s", "sklearn trees", "sklearn test AUC", "wall ours/sklearn", "CPU ours/sklearn"];
console.log(`| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log("scikit-learn: its default OpenMP threads (both cores here) in the first two rows, OMP_NUM_THREADS=1 in the last.");
if (!sk) console.log(`scikit-learn ${skMessage}`);
