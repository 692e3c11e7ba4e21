/**
 * Worker-thread runner of the per-customer Monte Carlo, loaded lazily by `monteCarloClv`
 * (`await import("./parallel.js")`) so that nothing Node-only is imported at module top level
 * of the library. Returns `null` when `node:worker_threads` is unavailable or a worker cannot
 * start, and the caller falls back to one thread; the numbers are the same either way.
 * @module
 */
import { BLOCK, STATS, type PreparedCustomers } from "./simulate.js";

interface BlockResult {
  from: number;
  to: number;
  stats: Float64Array;
  totals: Float64Array;
}

/** Worker bootstrap (CommonJS, evaluated): register tsx when running from sources, then load the worker module. */
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsxApi) {
    const api = await import(workerData.tsxApi);
    (api.register ?? api.default.register)();
  }
  await import(workerData.workerUrl);
})().catch((e) => { setImmediate(() => { throw e; }); });`;

/** Minimal shape of the `Worker` we use (keeps the types independent of a DOM/Node mix-up). */
interface MinimalWorker {
  postMessage(msg: unknown): void;
  on(event: "message", cb: (m: BlockResult) => void): void;
  on(event: "error", cb: (e: unknown) => void): void;
  terminate(): Promise<number>;
}

/**
 * Run blocks [0, nBlocks) of `p` on up to `threads` workers (0 or Infinity: one per core),
 * handing out chunks of blocks as workers become free.
 * @internal
 */
export async function runBlocksInWorkers(p: PreparedCustomers, nBlocks: number, threads: number): Promise<{ stats: Float64Array; totals: Float64Array; threads: number } | null> {
  let wt: typeof import("node:worker_threads");
  let cores = 1;
  try {
    wt = await import("node:worker_threads");
    const os = await import("node:os");
    cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  } catch {
    return null;
  }
  const count = Math.max(1, Math.min(nBlocks, Number.isFinite(threads) ? threads : cores));
  if (count <= 1 && !Number.isFinite(threads)) return null; // one core: no point in a worker
  const here = import.meta.url;
  const fromSource = here.endsWith(".ts");
  const workerUrl = new URL(fromSource ? "./worker.ts" : "./worker.js", here).href;
  let tsxApi: string | null = null;
  if (fromSource) {
    // Running from the TypeScript sources (tsx, vitest): the worker registers tsx before
    // importing worker.ts. From the compiled dist the worker imports worker.js directly.
    try {
      tsxApi = (import.meta as { resolve?: (s: string) => string }).resolve?.("tsx/esm/api") ?? null;
    } catch {
      tsxApi = null;
    }
    if (!tsxApi) {
      try {
        const { createRequire } = await import("node:module");
        const { pathToFileURL } = await import("node:url");
        tsxApi = pathToFileURL(createRequire(here).resolve("tsx/esm/api")).href;
      } catch {
        return null;
      }
    }
  }
  const stats = new Float64Array(p.n * STATS);
  const totals = new Float64Array(nBlocks * p.draws);
  const chunk = Math.max(1, Math.ceil(nBlocks / (count * 4)));
  let next = 0;
  const workers: MinimalWorker[] = [];
  try {
    for (let i = 0; i < count; i++) workers.push(new wt.Worker(BOOTSTRAP, { eval: true, workerData: { tsxApi, workerUrl } }) as unknown as MinimalWorker);
  } catch {
    await Promise.all(workers.map((w) => w.terminate()));
    return null;
  }
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= nBlocks) return resolve();
              const from = next;
              const to = Math.min(nBlocks, from + chunk);
              next = to;
              w.postMessage({ type: "run", from, to });
            };
            w.on("message", (m: BlockResult) => {
              stats.set(m.stats, m.from * BLOCK * STATS);
              totals.set(m.totals, m.from * p.draws);
              feed();
            });
            w.on("error", reject);
            w.postMessage({ type: "data", p });
            feed();
          }),
      ),
    );
  } catch {
    return null;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { stats, totals, threads: count };
}
