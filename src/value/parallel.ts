/**
 * Worker-thread runner of the per-customer Monte Carlo, loaded lazily by `monteCarloClv`
 * (`await import("./parallel.js")`) so that nothing Node-only is imported at module top level
 * of the library. Workers come from the shared pool (`core/workerPool.ts`). Returns `null` when
 * workers cannot start or one fails (throws, or exits without answering); the caller then runs
 * on one thread, with the same numbers, and the reason is recorded as a warning (never dropped).
 * @module
 */
import { availableCores, openWorkers, poolWarning, runRanges, type PoolWarningSink } from "../core/workerPool.js";
import { BLOCK, STATS, type PreparedCustomers } from "./simulate.js";

interface BlockResult {
  from: number;
  to: number;
  stats: Float64Array;
  totals: Float64Array;
}

/**
 * Run blocks [0, nBlocks) of `p` on up to `threads` workers (0 or Infinity: one per core),
 * handing out chunks of blocks as workers become free. Blocks are written to fixed places and
 * summed in block order by the caller, so the numbers do not depend on which worker ran what.
 *
 * @param p - the prepared customers.
 * @param nBlocks - blocks of {@link BLOCK} customers.
 * @param threads - workers wanted (capped by the blocks; Infinity = one per core).
 * @param warn - where a failure's warning goes (default: a Node process warning).
 * @returns the per-customer stats and per-block totals, or `null` (run on one thread instead:
 * one core with `threads` Infinity, silently; workers unavailable or failed, with a warning).
 * @internal
 */
export async function runBlocksInWorkers(p: PreparedCustomers, nBlocks: number, threads: number, warn?: PoolWarningSink): Promise<{ stats: Float64Array; totals: Float64Array; threads: number } | null> {
  const fn = "monteCarloClv";
  const cores = await availableCores();
  const count = Math.max(1, Math.min(nBlocks, Number.isFinite(threads) ? threads : cores));
  if (count <= 1 && !Number.isFinite(threads)) return null; // one core: no point in a worker
  const opened = await openWorkers(import.meta.url, "worker", count);
  if ("failure" in opened) {
    poolWarning(fn, `ran on one thread: ${opened.failure}`, warn);
    return null;
  }
  const { workers } = opened;
  const stats = new Float64Array(p.n * STATS);
  const totals = new Float64Array(nBlocks * p.draws);
  try {
    await runRanges(workers, nBlocks, { type: "data", p }, (m) => {
      const r = m as BlockResult;
      stats.set(r.stats, r.from * BLOCK * STATS);
      totals.set(r.totals, r.from * p.draws);
    });
  } catch (e) {
    poolWarning(fn, `a worker failed, so the simulation ran again on one thread (same numbers): ${e instanceof Error ? e.message : String(e)}`, warn);
    return null;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { stats, totals, threads: count };
}
