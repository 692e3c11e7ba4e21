/** Test worker: throws on the first message (an uncaught error: the pool sees an `error` event). */
import { parentPort } from "node:worker_threads";

parentPort?.on("message", () => {
  throw new Error("boom");
});
