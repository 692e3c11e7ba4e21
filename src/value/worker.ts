/**
 * Worker-thread entry of the per-customer Monte Carlo (loaded only by `parallel.ts` through the
 * shared pool, never by the library's index, so the library itself stays free of Node-only
 * imports).
 * Protocol: `{ type: "data", p }` once, then `{ type: "run", from, to }` per chunk of blocks;
 * answers `{ from, to, stats, totals }` with the buffers transferred. A run before the data is a
 * protocol error: the worker throws an `AnalyticsError`, which the pool reports as a failed
 * worker (the caller then runs on one thread, with a warning).
 * @module
 */
import { parentPort } from "node:worker_threads";
import { AnalyticsError } from "../core/errors.js";
import { simulateCustomerBlocks, type PreparedCustomers } from "./simulate.js";

let prepared: PreparedCustomers | null = null;
parentPort?.on("message", (msg: { type: "data"; p: PreparedCustomers } | { type: "run"; from: number; to: number }) => {
  if (msg.type === "data") {
    prepared = msg.p;
    return;
  }
  if (!prepared) throw new AnalyticsError("DEPENDENCY_FAILED", "monteCarloClv worker: a run arrived before the data");
  const { stats, totals } = simulateCustomerBlocks(prepared, msg.from, msg.to);
  parentPort?.postMessage({ from: msg.from, to: msg.to, stats, totals }, [stats.buffer as ArrayBuffer, totals.buffer as ArrayBuffer]);
});
