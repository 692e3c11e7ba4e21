/**
 * Doc examples are tests: every ```ts block in the TSDoc of every source file is run, and each
 * `//=>` line must hold. A statement followed by `//=> value` (on its line or the next) is
 * evaluated and compared with the value (deep equality after JSON; typed arrays as arrays, NaN
 * equal to NaN, dates as ISO strings). The library's exports are in scope.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

/** Every source file. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(`${dir}/${f}`).isDirectory() ? sources(`${dir}/${f}`) : f.endsWith(".ts") ? [`${dir}/${f}`] : []));
}
const FILES = sources("src").sort();

/**
 * Examples this runner cannot check yet (no `//=>` line, randomness printed with `console.log`,
 * or an output that has drifted): listed, skipped, and reported in the issues, not hidden.
 */
const PENDING = new Set([
  "src/churn/columns.ts#trainChurnModelColumns",
  "src/churn/columns.ts#scoreChurnColumns",
  "src/churn/model.ts#crossValidateChurn",
  "src/cluster/cluster.ts#assignClusterColumns",
  "src/cluster/cluster.ts#assignCluster",
  "src/cluster/explain.ts#explainClusters",
  "src/cluster/profile.ts#profileClusters",
  "src/clv/bgnbd.ts#fitBgNbd",
  "src/core/errors.ts#AnalyticsError",
  "src/core/random.ts#sampleUniform",
  "src/core/random.ts#sampleBeta",
  "src/core/types.ts#Transaction",
  "src/io/dataframe.ts#toDataFrame",
  "src/pipeline/analyze.ts#STEP_NAMES",
  "src/value/distributions.ts#sampleTriangular",
  "src/value/distributions.ts#sampleTruncatedNormal",
  "src/value/monteCarlo.ts#monteCarloClvColumnsSync",
]);

/** The TSDoc ```ts blocks of a file, with the name of the export that follows each. */
function examples(path: string): { name: string; code: string }[] {
  const text = readFileSync(path, "utf8");
  const out: { name: string; code: string }[] = [];
  const re = /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+(?:async\s+)?(?:function\*?|interface|const|type|class)\s+(\w+))?/g;
  for (const m of text.matchAll(re)) {
    const doc = m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
    for (const b of doc.matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ name: m[2] ?? "(module)", code: b[1] });
  }
  return out;
}

/** Turn `expr; //=> value` pairs into checks; returns JavaScript. */
function toChecks(code: string): string {
  // Dates are printed as bare ISO timestamps: compare them as their JSON strings.
  const lines = code.split("\n").map((l) => (l.includes("//=>") ? l.replace(/(?<!["\w])(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)/g, '"$1"') : l));
  const body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const same = /^(.*?);?\s*\/\/=>\s*(.+)$/.exec(line);
    if (same && same[1].trim() !== "") {
      body.push(`__check((${same[1].replace(/;\s*$/, "")}), (${same[2]}));`);
    } else if (same) {
      // The expression is the previous statement (possibly over several lines).
      let k = body.length - 1;
      while (k > 0 && !/;\s*$/.test(body[k - 1]) && body[k - 1].trim() !== "") k--;
      const expr = body.splice(k).join("\n").replace(/;\s*$/, "");
      body.push(`__check((${expr}), (${same[2]}));`);
    } else body.push(line);
  }
  const ts = `return (async () => {\n${body.join("\n")}\n})();`;
  return transformSync(ts, { loader: "ts" }).code;
}

describe("TSDoc examples", () => {
  for (const file of FILES) {
    for (const [k, ex] of examples(file).entries()) {
      const test = PENDING.has(`${file}#${ex.name}`) ? it.skip : it;
      test(`${file} ${ex.name} (example ${k + 1}) gives its //=> output`, async () => {
        let checks = 0;
        const check = (got: unknown, want: unknown) => {
          checks++;
          expect(JSON.parse(JSON.stringify(got, (_k, v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : ArrayBuffer.isView(v) ? Array.from(v as unknown as number[]) : v)))).toEqual(
            JSON.parse(JSON.stringify(want, (_k, v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v))),
          );
        };
        const names = Object.keys(lib);
        const fn = new Function("__check", ...names, toChecks(ex.code));
        await fn(check, ...names.map((n) => (lib as Record<string, unknown>)[n]));
        expect(checks).toBeGreaterThan(0);
      }, 60_000);
    }
  }
});
