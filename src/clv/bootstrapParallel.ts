/**
 * Worker-thread runner of the bootstrap of {@link predictionIntervalsParallel}, loaded lazily
 * (`await import("./bootstrapParallel.js")`) so that nothing Node-only is imported at module top
 * level of the library. Workers come from the shared pool (`core/workerPool.ts`). Returns `null`
 * when workers cannot start or one fails; the caller then runs on one thread, with the same
 * numbers, and the reason is recorded as a warning.
 * @module
 * @internal
 */
import { availableCores, openWorkers, poolWarning, runRanges, type PoolWarningSink } from "../core/workerPool.js";
import type { BootstrapPlan, ResampleBlock } from "./bootstrap.js";

/**
 * Run resamples [0, R) of `plan` on up to `threads` workers (Infinity: one per core), handing
 * out chunks as workers become free. Each resample's numbers depend only on its stream, so the
 * blocks (returned in resample order) are the same whichever worker ran them.
 * @returns the blocks and the workers used, or `null` (run on one thread instead: one core
 * with `threads` Infinity, silently; workers unavailable or failed, with a warning).
 * @internal
 */
export async function runResamplesInWorkers(plan: BootstrapPlan, R: number, threads: number, warn?: PoolWarningSink): Promise<{ blocks: ResampleBlock[]; threads: number } | null> {
  const fn = plan.fn;
  const cores = await availableCores();
  const count = Math.max(1, Math.min(R, Number.isFinite(threads) ? threads : cores));
  if (count <= 1) return null;
  const opened = await openWorkers(import.meta.url, "bootstrapWorker", count);
  if ("failure" in opened) {
    poolWarning(fn, `ran on one thread: ${opened.failure}`, warn);
    return null;
  }
  const { workers } = opened;
  const blocks: ResampleBlock[] = [];
  try {
    await runRanges(workers, R, { type: "plan", plan }, (m) => blocks.push(m as ResampleBlock));
  } catch (e) {
    poolWarning(fn, `a worker failed, so the resamples ran again on one thread (same numbers): ${e instanceof Error ? e.message : String(e)}`, warn);
    return null;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  blocks.sort((a, b) => a.from - b.from);
  return { blocks, threads: count };
}
