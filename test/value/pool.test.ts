/**
 * The Monte Carlo on the shared worker pool (src/core/workerPool.ts): the same numbers on 1, 2 and
 * 3 threads, and when workers die without an error event, crash or cannot start, a run on one
 * thread with the same numbers and a recorded warning instead of a hang or a silent fallback
 * (code review 2.8). The fixture workers live in test/cluster/workers.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { monteCarloClv, monteCarloClvSync, type CustomerBehaviour } from "../../src/index.js";
import { BLOCK } from "../../src/value/simulate.js";

const FIXTURES = new URL("../cluster/workers/caller.ts", import.meta.url).href;
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

function customers(n: number): CustomerBehaviour[] {
  return Array.from({ length: n }, (_, i) => ({
    customerId: `c${i}`,
    purchaseRate: 0.3 + (i % 5) * 0.25,
    spendMean: 25 + (i % 7) * 4,
    spendShape: 1.5 + (i % 3),
    retention: 0.65 + (i % 4) * 0.07,
    alive: i % 3 === 0 ? 0.6 : 1,
  }));
}
const model = { customers: customers(3 * BLOCK + 17), discountRate: 0.01, periods: 12 };
const OPTS = { draws: 120, seed: 21 };

/** Collect the Node process warnings emitted while `f` runs. */
async function warningsDuring<T>(f: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const on = (w: Error) => warnings.push(w.message);
  process.on("warning", on);
  try {
    const value = await f();
    await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    return { value, warnings };
  } finally {
    process.off("warning", on);
  }
}

describe("monteCarloClv on the shared pool", () => {
  it("monteCarloClv(model, { threads: 1 | 2 | 3 }) is bit-identical to monteCarloClvSync", async () => {
    const sync = monteCarloClvSync(model, OPTS);
    for (const threads of [2, 3]) {
      const { value: par, warnings } = await warningsDuring(() => monteCarloClv(model, { ...OPTS, threads }));
      expect(par.threads).toBe(threads);
      expect({ ...par, threads: 1 }).toEqual(sync);
      expect(warnings).toEqual([]);
    }
  });

  it("monteCarloClv(model, { threads: 2 }) with workers that exit, crash or cannot start: one thread, the same numbers, and a warning", async () => {
    const sync = monteCarloClvSync(model, OPTS);
    const expected = {
      exit: /^monteCarloClv: a worker failed, so the simulation ran again on one thread \(same numbers\): worker \d exited \(code 3\) before finishing its work$/,
      crash: /^monteCarloClv: a worker failed, so the simulation ran again on one thread \(same numbers\): worker \d threw: crash at start$/,
      nostart: /^monteCarloClv: ran on one thread: node:worker_threads is not available \(test\)$/,
    };
    for (const mode of ["exit", "crash", "nostart"] as const) {
      pool.mode = mode;
      const { value: r, warnings } = await warningsDuring(() => monteCarloClv(model, { ...OPTS, threads: 2 }));
      expect(r).toEqual(sync); // threads: 1 reported, every number identical
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(expected[mode]);
    }
  });
});
