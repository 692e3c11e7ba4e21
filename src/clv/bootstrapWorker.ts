/**
 * Worker-thread entry of the bootstrap of {@link predictionIntervalsParallel} (loaded only by
 * `bootstrapParallel.ts` through the shared pool, never by the library's index, so the library
 * itself stays free of Node-only imports).
 * Protocol: `{ type: "plan", plan }` once, then `{ type: "run", from, to }` per chunk of
 * resamples; answers the {@link ResampleBlock} with its buffers transferred. A run before the
 * plan is a protocol error: the worker throws, which the pool reports as a failed worker (the
 * caller then runs on one thread, with a warning).
 * @module
 * @internal
 */
import { parentPort } from "node:worker_threads";
import { AnalyticsError } from "../core/errors.js";
import { runResamples, type BootstrapPlan } from "./bootstrap.js";

let plan: BootstrapPlan | null = null;
parentPort?.on("message", (msg: { type: "plan"; plan: BootstrapPlan } | { type: "run"; from: number; to: number }) => {
  if (msg.type === "plan") {
    plan = msg.plan;
    return;
  }
  if (!plan) throw new AnalyticsError("DEPENDENCY_FAILED", "predictionIntervalsParallel worker: a run arrived before the plan");
  const b = runResamples(plan, msg.from, msg.to);
  parentPort?.postMessage(b, [b.ok.buffer, b.params.buffer, b.spendParams.buffer, b.pa.buffer, b.ex.buffer, b.clv.buffer] as ArrayBuffer[]);
});
