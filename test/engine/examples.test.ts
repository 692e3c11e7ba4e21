/**
 * The TSDoc examples of `src/engine/` run with the engine's exports in scope (the project-wide
 * runner in test/docs/examples.test.ts sees only `src/index.ts`, which does not export the
 * engine yet). Each `//=>` line must hold, compared as JSON (typed arrays as arrays).
 */
import { readdirSync, readFileSync } from "node:fs";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import * as engine from "../../src/engine/index.js";

const DIR = "src/engine";

function examples(path: string): { name: string; code: string }[] {
  const text = readFileSync(path, "utf8");
  const out: { name: string; code: string }[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:export\s+(?:async\s+)?(?:function|interface|const|type|class)\s+(\w+))?/g)) {
    const doc = m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
    for (const b of doc.matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ name: m[2] ?? "(module)", code: b[1] });
  }
  return out;
}

/** `expr; //=> value` (the expression on the line before when the line is only the arrow) into checks. */
function toChecks(code: string): string {
  const body: string[] = [];
  for (const line of code.split("\n")) {
    const m = /^(.*?);?\s*\/\/=>\s*(.+)$/.exec(line);
    if (m && m[1].trim() !== "") body.push(`__check((${m[1].replace(/;\s*$/, "")}), (${m[2]}));`);
    else if (m) body.push(`__check((${(body.pop() ?? "").replace(/;\s*$/, "")}), (${m[2]}));`);
    else body.push(line);
  }
  return transformSync(`return (async () => {\n${body.join("\n")}\n})();`, { loader: "ts" }).code;
}

describe("engine TSDoc examples", () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".ts")).sort()) {
    for (const [k, ex] of examples(`${DIR}/${file}`).entries()) {
      it(`${file} ${ex.name} (example ${k + 1}) gives its //=> output`, async () => {
        let checks = 0;
        const json = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "number" && Number.isNaN(x) ? "NaN" : ArrayBuffer.isView(x) ? Array.from(x as unknown as number[]) : x)));
        const check = (got: unknown, want: unknown) => {
          checks++;
          expect(json(got)).toEqual(json(want));
        };
        const names = Object.keys(engine);
        await new Function("__check", ...names, toChecks(ex.code))(check, ...names.map((n) => (engine as Record<string, unknown>)[n]));
        expect(checks).toBeGreaterThan(0);
      }, 60_000);
    }
  }
});
