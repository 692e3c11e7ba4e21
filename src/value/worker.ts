/**
 * Worker-thread entry of the per-customer Monte Carlo (loaded only by `parallel.ts`, never by
 * the library's index, so the library itself stays free of Node-only imports).
 * Protocol: `{ type: "data", p }` once, then `{ type: "run", from, to }` per chunk of blocks;
 * answers `{ from, to, stats, totals }` with the buffers transferred.
 * @module
 */
import { parentPort } from "node:worker_threads";
import { simulateCustomerBlocks, type PreparedCustomers } from "./simulate.js";

let prepared: PreparedCustomers | null = null;
parentPort?.on("message", (msg: { type: "data"; p: PreparedCustomers } | { type: "run"; from: number; to: number }) => {
  if (msg.type === "data") {
    prepared = msg.p;
    return;
  }
  if (!prepared) throw new Error("monteCarloClv worker: no data received before a run");
  const { stats, totals } = simulateCustomerBlocks(prepared, msg.from, msg.to);
  parentPort?.postMessage({ from: msg.from, to: msg.to, stats, totals }, [stats.buffer as ArrayBuffer, totals.buffer as ArrayBuffer]);
});
