import type { DemoContext } from "./context.js";
import ingestion from "./ingestion.js";

/** The demo's sections, in the order they print. Each analytic adds its own. */
export const sections: readonly ((ctx: DemoContext) => void | Promise<void>)[] = [ingestion, (ctx) => import("./segmentation.js").then((m) => m.default(ctx)), (ctx) => import("./clv.js").then((m) => m.default(ctx)), (ctx) => import("./value.js").then((m) => m.default(ctx)), (ctx) => import("./churn.js").then((m) => m.default(ctx)), (ctx) => import("./rules.js").then((m) => m.default(ctx)), (ctx) => import("./cluster.js").then((m) => m.default(ctx))];
