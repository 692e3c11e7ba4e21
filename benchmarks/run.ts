/**
 * Run every benchmark (each in its own process, so peak memory is per benchmark):
 *
 *   npm run bench                # all
 *   npm run bench -- summarize   # only those whose name contains "summarize"
 *   npm run bench -- pipeline --small   # flags (--...) are passed on to each benchmark run
 *   npm run bench -- engines --rows=10000000   # the DuckDB engine end to end (default 100M rows)
 *
 * A benchmark is a file `benchmarks/<name>.bench.ts`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const args = process.argv.slice(2);
const filter = args.filter((a) => !a.startsWith("--"));
const flags = args.filter((a) => a.startsWith("--"));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filter.length === 0 || filter.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", `${dir}${f}`, ...flags], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${f} failed (exit ${r.status})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
