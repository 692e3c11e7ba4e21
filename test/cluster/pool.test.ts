/**
 * The shared worker pool (src/core/workerPool.ts) and kmeansParallel over it: a worker that
 * dies without an error event rejects instead of hanging (code review 2.8), failures are
 * reported as warnings, and the result stays exactly kmeans's.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { kmeans, kmeansParallel } from "../../src/index.js";
import { openWorkers, WorkerFailure, type PoolWorker } from "../../src/core/workerPool.js";

/** The fixture workers sit in ./workers; openWorkers resolves a worker next to its caller's URL. */
const FIXTURES = new URL("./workers/caller.ts", import.meta.url).href;

/** How the mocked pool behaves for kmeansParallel: the real worker, or a fixture in its place. */
const pool = vi.hoisted(() => ({ mode: "real" as "real" | "exit" | "crash" | "nostart" }));
vi.mock("../../src/core/workerPool.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/core/workerPool.js")>();
  return {
    ...real,
    openWorkers: (url: string, file: string, count: number, data?: Record<string, unknown>) => {
      if (pool.mode === "real") return real.openWorkers(url, file, count, data);
      if (pool.mode === "nostart") return Promise.resolve({ failure: "node:worker_threads is not available (test)" });
      return real.openWorkers(FIXTURES, pool.mode, count, data);
    },
  };
});
afterEach(() => {
  pool.mode = "real";
});

async function one(file: string, data: Record<string, unknown> = {}): Promise<PoolWorker> {
  const r = await openWorkers(FIXTURES, file, 1, data);
  if ("failure" in r) throw new Error(r.failure);
  return r.workers[0];
}

describe("openWorkers / PoolWorker", () => {
  it("converse(...) resolves with the value the handler settles on (echo worker, workerData passed)", async () => {
    const w = await one("echo", { tag: "t1" });
    const done = w.converse<unknown>((m, settle) => settle(m));
    w.post({ x: 1 });
    expect(await done).toEqual({ echo: { x: 1 }, tag: "t1" });
    await w.terminate();
  });

  it("a worker that exits without an error event rejects its conversation with WorkerFailure 'exit' (no hang)", async () => {
    const w = await one("exit");
    const e = await w.converse((_m, settle) => settle(null)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(WorkerFailure);
    expect(e).toMatchObject({ kind: "exit" });
    expect((e as Error).message).toMatch(/worker 1 exited \(code 3\) before finishing its work/);
  });

  it("a worker that throws rejects its conversation with WorkerFailure 'error' naming the error", async () => {
    const w = await one("throw");
    const done = w.converse((_m, settle) => settle(null)).catch((err: unknown) => err);
    w.post("go");
    const e = await done;
    expect(e).toBeInstanceOf(WorkerFailure);
    expect(e).toMatchObject({ kind: "error" });
    expect((e as Error).message).toMatch(/worker 1 threw: boom/);
    await w.terminate();
  });
});

describe("kmeansParallel over the pool", () => {
  const data = { values: Float64Array.from({ length: 4000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1), dimensions: 2 };
  const opts = { k: 4, nInit: 6, seed: 5 };

  it("kmeansParallel(data, { threads: 3 }) when the workers die without an error event: kmeans's exact result and one warning per worker", async () => {
    pool.mode = "exit";
    const warnings: string[] = [];
    const r = await kmeansParallel(data, { ...opts, threads: 3, onWarning: (m) => warnings.push(m) });
    expect(r).toEqual(kmeans(data, opts));
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/^kmeansParallel: worker \d exited \(code 3\) before finishing its work; its restarts ran again on this thread$/);
  });

  it("kmeansParallel(data) when the workers throw or cannot start: kmeans's result, with a warning", async () => {
    const want = kmeans(data, opts);
    for (const mode of ["crash", "nostart"] as const) {
      pool.mode = mode;
      const warnings: string[] = [];
      expect(await kmeansParallel(data, { ...opts, threads: 2, onWarning: (m) => warnings.push(m) })).toEqual(want);
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings[0]).toMatch(mode === "nostart" ? /^kmeansParallel: restarts ran on this thread only: node:worker_threads is not available/ : /^kmeansParallel: worker 1 threw: crash at start; its restarts ran again on this thread$/);
    }
  });

  it("kmeansParallel(data) with working workers gives no warning", async () => {
    const warnings: string[] = [];
    expect(await kmeansParallel(data, { ...opts, threads: 2, onWarning: (m) => warnings.push(m) })).toEqual(kmeans(data, opts));
    expect(warnings).toEqual([]);
  });
});
