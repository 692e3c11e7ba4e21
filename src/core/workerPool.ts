/**
 * The one worker-thread pool of the library's parallel kernels (`kmeansParallel`, the
 * per-customer Monte Carlo). Node-only modules are imported lazily inside the calls, so importing
 * the library stays free of them.
 *
 * What it guarantees to its callers:
 * - a worker that throws (`error`), exits before its conversation is over (`exit`, e.g.
 *   `process.exit` inside it or an out-of-memory kill), or sends a message that cannot be
 *   deserialised (`messageerror`) **rejects** its conversation with a {@link WorkerFailure}: nothing
 *   hangs;
 * - every failure is reported by the caller through {@link poolWarning}, never swallowed: the
 *   caller falls back to one thread and the warning says why.
 *
 * Workers load their module from the caller's folder: `worker.js` from the compiled library, or
 * `worker.ts` through tsx when running from the TypeScript sources (tests, `tsx`).
 * @module
 * @internal
 */

/** Worker bootstrap (CommonJS, evaluated): register tsx when running from sources, then load the worker module. */
const BOOTSTRAP = `const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsxApi) {
    const api = await import(workerData.tsxApi);
    (api.register ?? api.default.register)();
  }
  await import(workerData.workerUrl);
})().catch((e) => { setImmediate(() => { throw e; }); });`;

/** Minimal shape of the Node `Worker` used here (keeps the types independent of a DOM/Node mix-up). */
interface NodeWorker {
  postMessage(msg: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: "message" | "messageerror" | "error" | "exit", cb: (arg: unknown) => void): void;
  terminate(): Promise<number>;
}

/**
 * A worker that failed: it threw, exited before answering, or sent an unreadable message.
 * @internal
 */
export class WorkerFailure extends Error {
  /** What happened: `"error"`, `"exit"` or `"messageerror"`. */
  readonly kind: "error" | "exit" | "messageerror";
  constructor(kind: "error" | "exit" | "messageerror", message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WorkerFailure";
    this.kind = kind;
  }
}

type PoolEvent = { type: "message"; data: unknown } | { type: "failure"; failure: WorkerFailure };

/**
 * One started worker. Events are buffered from the moment it starts, so none is lost between
 * its creation and the caller's {@link PoolWorker.converse}.
 * @internal
 */
export class PoolWorker {
  private readonly queue: PoolEvent[] = [];
  private sink: ((e: PoolEvent) => void) | null = null;
  private stopping = false;

  constructor(private readonly w: NodeWorker, readonly index: number) {
    const push = (e: PoolEvent) => (this.sink ? this.sink(e) : this.queue.push(e));
    w.on("message", (data) => push({ type: "message", data }));
    w.on("messageerror", (err) => push({ type: "failure", failure: new WorkerFailure("messageerror", `worker ${index} sent a message that could not be read`, { cause: err }) }));
    w.on("error", (err) => push({ type: "failure", failure: new WorkerFailure("error", `worker ${index} threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err }) }));
    w.on("exit", (code) => {
      if (!this.stopping) push({ type: "failure", failure: new WorkerFailure("exit", `worker ${index} exited (code ${String(code)}) before finishing its work`) });
    });
  }

  /** Post a message to the worker (buffers in `transfer` are moved, not copied). */
  post(message: unknown, transfer: readonly ArrayBuffer[] = []): void {
    this.w.postMessage(message, transfer);
  }

  /**
   * Hold a conversation: `onMessage` sees every message (buffered ones first) until it calls
   * `settle(value)`; the promise resolves with that value, or rejects with a
   * {@link WorkerFailure} when the worker fails first. One conversation per worker.
   */
  converse<T>(onMessage: (message: unknown, settle: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const settle = (v: T) => {
        if (done) return;
        done = true;
        this.stopping = true; // an exit after the answer is the normal end
        resolve(v);
      };
      const handle = (e: PoolEvent) => {
        if (done) return;
        if (e.type === "failure") {
          done = true;
          reject(e.failure);
          return;
        }
        try {
          onMessage(e.data, settle);
        } catch (err) {
          done = true;
          reject(err);
        }
      };
      this.sink = handle;
      for (const e of this.queue.splice(0)) handle(e);
    });
  }

  /** Stop the worker (its later `exit` is expected, not a failure). */
  async terminate(): Promise<void> {
    this.stopping = true;
    await this.w.terminate();
  }
}

/**
 * Start `count` workers running `workerFile` from the caller's folder.
 *
 * @param callerUrl - the caller's `import.meta.url` (the worker module sits next to it).
 * @param workerFile - the worker module's name without extension (`"worker"`).
 * @param count - workers to start (>= 1).
 * @param workerData - data every worker receives as `workerData`.
 * @returns the workers, or why none could start (no `node:worker_threads`, no tsx to load the
 * TypeScript sources, or the `Worker` constructor threw); workers started before a failure are
 * stopped.
 * @internal
 */
export async function openWorkers(callerUrl: string, workerFile: string, count: number, workerData: Record<string, unknown> = {}): Promise<{ workers: PoolWorker[] } | { failure: string }> {
  let wt: typeof import("node:worker_threads");
  try {
    wt = await import("node:worker_threads");
  } catch (e) {
    return { failure: `node:worker_threads is not available (${e instanceof Error ? e.message : String(e)})` };
  }
  const fromSource = callerUrl.endsWith(".ts");
  const workerUrl = new URL(`./${workerFile}${fromSource ? ".ts" : ".js"}`, callerUrl).href;
  let tsxApi: string | null = null;
  if (fromSource) {
    // Running from the TypeScript sources (tsx, vitest): the worker registers tsx before
    // importing the .ts module. From the compiled dist the worker imports the .js directly.
    tsxApi = await resolveTsx();
    if (!tsxApi) return { failure: "running from the TypeScript sources, and tsx (needed to load the worker module) was not found" };
  }
  const workers: PoolWorker[] = [];
  for (let i = 0; i < count; i++) {
    try {
      workers.push(new PoolWorker(new wt.Worker(BOOTSTRAP, { eval: true, workerData: { ...workerData, tsxApi, workerUrl } }) as unknown as NodeWorker, i + 1));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      return { failure: `a worker thread could not start (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  return { workers };
}

async function resolveTsx(): Promise<string | null> {
  try {
    const r = (import.meta as { resolve?: (s: string) => string }).resolve?.("tsx/esm/api");
    if (r) return r;
  } catch {
    // fall through to require.resolve
  }
  try {
    const { createRequire } = await import("node:module");
    const { pathToFileURL } = await import("node:url");
    return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href;
  } catch {
    return null;
  }
}

/**
 * Number of cores (`os.availableParallelism()`), 1 where `node:os` is missing.
 * @internal
 */
export async function availableCores(): Promise<number> {
  try {
    const os = await import("node:os");
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

/** Receives the pool's warnings (a worker failed, or none could start, and the work ran on one thread). @internal */
export type PoolWarningSink = (message: string) => void;

/**
 * Record a warning of the pool: through `sink` when the caller gave one, otherwise as a Node
 * process warning (`process.emitWarning`, code `CUSTOMER_ANALYTICS_WORKERS`), which Node prints
 * on stderr and `process.on("warning")` can collect.
 * @internal
 */
export function poolWarning(fn: string, message: string, sink?: PoolWarningSink): void {
  const text = `${fn}: ${message}`;
  if (sink) {
    sink(text);
    return;
  }
  const p = (globalThis as { process?: { emitWarning?: (w: string, o: { code: string }) => void } }).process;
  p?.emitWarning?.(text, { code: "CUSTOMER_ANALYTICS_WORKERS" });
}

/**
 * Hand out the ranges [from, to) of [0, total) to `workers` as they become free: each worker
 * first gets `setup`, then one `{ type: "run", from, to }` at a time (chunks of about a quarter
 * of a worker's share), and every reply goes to `onResult`. Resolves when every range has been
 * answered; rejects when a worker fails (the caller terminates the workers). Which worker ran a
 * range must not matter to the numbers: callers place each reply by its `from`.
 * @internal
 */
export async function runRanges(workers: readonly PoolWorker[], total: number, setup: unknown, onResult: (message: unknown) => void): Promise<void> {
  const chunk = Math.max(1, Math.ceil(total / (workers.length * 4)));
  let next = 0;
  await Promise.all(
    workers.map((w) => {
      const post = () => {
        const from = next;
        const to = Math.min(total, from + chunk);
        next = to;
        w.post({ type: "run", from, to });
      };
      if (next >= total) return Promise.resolve(); // nothing left for this worker
      const done = w.converse<void>((m, settle) => {
        onResult(m);
        if (next >= total) settle();
        else post();
      });
      w.post(setup);
      post();
      return done;
    }),
  );
}
