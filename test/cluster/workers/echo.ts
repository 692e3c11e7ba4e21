/** Test worker: answers every message with itself, plus its workerData tag. */
import { parentPort, workerData } from "node:worker_threads";

parentPort?.on("message", (m: unknown) => parentPort?.postMessage({ echo: m, tag: (workerData as { tag?: string }).tag ?? null }));
