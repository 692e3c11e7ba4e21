/**
 * Worker-thread entry of {@link kmeansParallel}'s restarts (loaded only by `parallel.ts`, never
 * by the library's index, so the library itself stays free of Node-only imports).
 * Protocol: the points, settings and shared restart counter arrive as `workerData`; the worker
 * claims restarts from the counter until none are left and answers once with
 * `{ runs, best }`: every restart it ran (number, inertia, iterations, convergence) and the full
 * result of its best one (labels transferred), or `{ error }` if a restart threw.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { RestartRunner, restartRng, type KmeansResult } from "./kmeans.js";
import type { WorkerInput, WorkerRun } from "./parallel.js";

const input = workerData as WorkerInput;
const runs: WorkerRun[] = [];
let best: { run: number; result: KmeansResult } | null = null;
try {
  const { x, d, settings, prepared, counter, fn } = input;
  const runner = new RestartRunner(fn, x, d, settings, prepared);
  for (;;) {
    const run = Atomics.add(counter, 0, 1);
    if (run >= settings.nInit) break;
    const r = runner.run(restartRng(settings.seed, run, settings.k));
    runs.push({ run, inertia: r.inertia, iterations: r.iterations, converged: r.converged });
    // Runs are claimed in increasing order, so `<` keeps the earliest on ties, as the sequential loop.
    if (best === null || r.inertia < best.result.inertia) best = { run, result: runner.keep(r) };
  }
  const transfer = best ? [best.result.labels.buffer as ArrayBuffer] : [];
  parentPort?.postMessage({ runs, best }, transfer);
} catch (e) {
  // Runs this worker claimed but did not report are redone on the calling thread, which then
  // throws the same error itself.
  parentPort?.postMessage({ runs: [], best: null, error: String(e) });
}
