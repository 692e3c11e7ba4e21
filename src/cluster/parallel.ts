/**
 * {@link kmeansParallel}: the restarts of {@link kmeans} spread over worker threads. Node-only
 * modules are imported lazily inside the call (`await import(...)`), so importing the library
 * stays free of them. Workers come from the shared pool (`core/workerPool.ts`); where
 * `node:worker_threads` is missing, a worker cannot start, or one fails (throws, or exits without
 * answering), its restarts run on the calling thread, the numbers are the same, and a warning
 * says so.
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { availableCores, openWorkers, poolWarning, type PoolWarningSink } from "../core/workerPool.js";
import { checkPoints, emptyKmeans, kmeansSettings, prepareKmeans, RestartRunner, restartRng, runKmeans, type KmeansData, type KmeansOptions, type KmeansPrepared, type KmeansResult, type KmeansSettings } from "./kmeans.js";
import type { KdTree } from "./kdtree.js";

/**
 * Options of {@link kmeansParallel}: those of {@link kmeans} plus the number of threads.
 * @category Clustering
 */
export interface KmeansParallelOptions extends KmeansOptions {
  /** Threads that run restarts, this one included: `threads - 1` workers are started. `"auto"`: one per core (`os.availableParallelism()`). Never more than `nInit`; 1, a single restart or `initialCenters` run everything on this thread. Default `"auto"`. */
  threads?: number | "auto";
  /** Receives a warning when workers cannot start or one fails (its restarts are then run on this thread, with the same result). Default: a Node process warning (`process.emitWarning`). */
  onWarning?: (message: string) => void;
}

/** @internal What a worker receives (`workerData`). */
export interface WorkerInput {
  fn: string;
  /** The points, in a SharedArrayBuffer. */
  x: Float64Array;
  d: number;
  settings: KmeansSettings;
  /** Variance and k-d tree (tree arrays in SharedArrayBuffers). */
  prepared: KmeansPrepared;
  /** `[next restart to claim]`, shared. */
  counter: Int32Array;
}

/** @internal One restart as a worker reports it. */
export interface WorkerRun {
  run: number;
  inertia: number;
  iterations: number;
  converged: boolean;
}

interface WorkerAnswer {
  runs: WorkerRun[];
  best: { run: number; result: KmeansResult } | null;
  error?: string;
}

/**
 * k-means with the restarts spread over worker threads: the same result as {@link kmeans} with
 * the same options, for any number of threads.
 *
 * @remarks
 * Restart r draws its k-means++ seeds from the generator of `seed` advanced by
 * `r * (1 + (k - 1) * (2 + floor(ln k)))` draws, which is exactly where the one-thread loop of
 * {@link kmeans} is when it starts restart r; a restart depends on nothing else, so whichever
 * thread runs it gives the same centres, labels and inertia. Threads claim restarts one at a
 * time from a shared counter (this thread too); the lowest inertia wins, the lowest restart
 * number on ties, as in {@link kmeans}. The points are shared with the workers, not copied per
 * worker (one copy into a SharedArrayBuffer unless they are already in one); each thread keeps
 * its own O(n) work arrays. Starting a worker costs about 50 ms from the compiled library (more
 * from the TypeScript sources), so a small problem is faster with `threads: 1`.
 *
 * @param data - points, row-major (see {@link KmeansData}).
 * @param options - see {@link KmeansParallelOptions}.
 * @returns the same result as {@link kmeans}.
 * @throws as {@link kmeans}; {@link InvalidOptionError} for a bad `threads`.
 * @example
 * ```ts
 * const data = { values: Float64Array.from([0, 0, 0, 1, 10, 10, 10, 11]), dimensions: 2 };
 * const r = await kmeansParallel(data, { k: 2, seed: 1, threads: 2 });
 * [r.inertia, r.sizes[0]];
 * //=> [1, 2]
 * ```
 * @category Clustering
 */
export async function kmeansParallel(data: KmeansData, options: KmeansParallelOptions = {}): Promise<KmeansResult> {
  const fn = "kmeansParallel";
  const { threads: threadsOption = "auto", onWarning, ...rest } = options;
  if (onWarning !== undefined && typeof onWarning !== "function") throw new InvalidOptionError(fn, "onWarning", onWarning, "a function (message) => void");
  if (threadsOption !== "auto" && !(typeof threadsOption === "number" && Number.isInteger(threadsOption) && threadsOption >= 1)) {
    throw new InvalidOptionError(fn, "threads", threadsOption, 'an integer >= 1 or "auto"');
  }
  const d = checkPoints(fn, data);
  const x = data.values;
  const s = kmeansSettings(fn, rest, d);
  const n = x.length / d;
  if (n === 0) return emptyKmeans();
  if (s.k > n) throw new InvalidOptionError(fn, "k", s.k, `at most the number of points (${n})`);
  let threads = threadsOption === "auto" ? await availableCores() : threadsOption;
  threads = Math.min(threads, s.nInit);
  if (threads <= 1 || s.initialCenters) return runKmeans(fn, x, d, s);

  const shared = toShared(x);
  const prepared = prepareKmeans(shared, d);
  const sharedPrep: KmeansPrepared = { meanVariance: prepared.meanVariance, tree: prepared.tree ? shareTree(prepared.tree) : null };
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = { fn, x: shared, d, settings: s, prepared: sharedPrep, counter };
  const answers = await startWorkers(threads - 1, input, onWarning);
  // This thread claims restarts too, until none are left; then waits for the workers' answers.
  const mine = runOnThisThread(fn, shared, d, s, prepared, counter);
  const all: WorkerAnswer[] = [mine, ...(await Promise.all(answers))];
  return finish(all, s, () => new RestartRunner(fn, shared, d, s, prepared));
}

/** This thread's share: claim restarts from `counter` until none are left. */
function runOnThisThread(fn: string, x: Float64Array, d: number, s: KmeansSettings, prepared: KmeansPrepared, counter: Int32Array): WorkerAnswer {
  const runner = new RestartRunner(fn, x, d, s, prepared);
  const runs: WorkerRun[] = [];
  let best: { run: number; result: KmeansResult } | null = null;
  for (;;) {
    const run = Atomics.add(counter, 0, 1);
    if (run >= s.nInit) break;
    const r = runner.run(restartRng(s.seed, run, s.k));
    runs.push({ run, inertia: r.inertia, iterations: r.iterations, converged: r.converged });
    if (best === null || r.inertia < best.result.inertia) best = { run, result: runner.keep(r) };
  }
  return { runs, best };
}

/**
 * Pick the winner over every thread's restarts: lowest inertia, lowest restart number on ties.
 * Restarts no thread reported (a worker that failed) are run here, so an error a restart throws
 * is thrown here, as {@link kmeans} would.
 */
function finish(list: WorkerAnswer[], s: KmeansSettings, runner: () => RestartRunner): KmeansResult {
  const inertia = new Float64Array(s.nInit).fill(NaN);
  const results = new Map<number, KmeansResult>();
  for (const a of list) {
    for (const r of a.runs) inertia[r.run] = r.inertia;
    if (a.best) results.set(a.best.run, a.best.result);
  }
  let redo: RestartRunner | null = null;
  for (let run = 0; run < s.nInit; run++) {
    if (!Number.isNaN(inertia[run])) continue;
    redo ??= runner();
    const r = redo.run(restartRng(s.seed, run, s.k));
    inertia[run] = r.inertia;
    results.set(run, redo.keep(r));
  }
  let win = 0;
  for (let run = 1; run < s.nInit; run++) if (inertia[run] < inertia[win]) win = run;
  const best = results.get(win)!;
  return { ...best, runs: s.nInit };
}

/** The points in a SharedArrayBuffer (themselves when they already are). */
function toShared(x: Float64Array): Float64Array {
  if (typeof SharedArrayBuffer === "undefined" || x.buffer instanceof SharedArrayBuffer) return x;
  const out = new Float64Array(new SharedArrayBuffer(x.byteLength));
  out.set(x);
  return out;
}

/** The tree with every array copied into a SharedArrayBuffer (workers read it, never write). */
function shareTree(t: KdTree): KdTree {
  const share = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  return { ...t, xs: share(t.xs), perm: share(t.perm), lo: share(t.lo), hi: share(t.hi), sum: share(t.sum), start: share(t.start), end: share(t.end), child: share(t.child) };
}

/**
 * Start `count` workers on `input`; one promise per worker with its answer. A worker that cannot
 * start, throws, reports an error or exits without answering gives an empty answer (its claimed
 * restarts are then redone by {@link finish} on this thread) and a warning.
 */
async function startWorkers(count: number, input: WorkerInput, warn: PoolWarningSink | undefined): Promise<Promise<WorkerAnswer>[]> {
  const fn = input.fn;
  const none: WorkerAnswer = { runs: [], best: null };
  const opened = await openWorkers(import.meta.url, "worker", count, { ...input });
  if ("failure" in opened) {
    poolWarning(fn, `restarts ran on this thread only: ${opened.failure}`, warn);
    return [];
  }
  return opened.workers.map((w) =>
    w
      .converse<WorkerAnswer>((m, settle) => settle(m as WorkerAnswer))
      .then((a) => {
        if (a.error !== undefined) {
          poolWarning(fn, `worker ${w.index} failed (${a.error}); its restarts ran again on this thread`, warn);
          return none;
        }
        return a;
      })
      .catch((e: unknown) => {
        poolWarning(fn, `${e instanceof Error ? e.message : String(e)}; its restarts ran again on this thread`, warn);
        return none;
      })
      .finally(() => void w.terminate()),
  );
}
