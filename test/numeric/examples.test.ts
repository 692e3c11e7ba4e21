/**
 * The TSDoc examples of src/numeric and src/clv run with the numeric kernels in scope (the
 * library-wide runner in test/docs has only the main entry's exports in scope; until
 * `src/index.ts` exports src/numeric, this is where the numeric examples are checked).
 */
import { readdirSync, readFileSync } from "node:fs";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";
import * as numeric from "../../src/numeric/index.js";

const scope: Record<string, unknown> = { ...lib, ...numeric };

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

/** `expr; //=> value` pairs as checks (the same convention as test/docs/examples.test.ts). */
function toChecks(code: string): string {
  const lines = code.split("\n");
  const body: string[] = [];
  for (const line of lines) {
    const same = /^(.*?);?\s*\/\/=>\s*(.+)$/.exec(line);
    if (same && same[1].trim() !== "") body.push(`__check((${same[1].replace(/;\s*$/, "")}), (${same[2]}));`);
    else if (same) {
      let k = body.length - 1;
      while (k > 0 && !/;\s*$/.test(body[k - 1]) && body[k - 1].trim() !== "") k--;
      const expr = body.splice(k).join("\n").replace(/;\s*$/, "");
      body.push(`__check((${expr}), (${same[2]}));`);
    } else body.push(line);
  }
  return transformSync(`return (async () => {\n${body.join("\n")}\n})();`, { loader: "ts" }).code;
}

const FILES = [...readdirSync("src/numeric").map((f) => `src/numeric/${f}`), ...readdirSync("src/clv").map((f) => `src/clv/${f}`)].filter((f) => f.endsWith(".ts")).sort();

/** Pending in test/docs/examples.test.ts too (prints with console.log). */
const PENDING = new Set(["src/clv/bgnbd.ts#fitBgNbd"]);

describe("numeric and clv TSDoc examples", () => {
  for (const file of FILES) {
    for (const [k, ex] of examples(file).entries()) {
      (PENDING.has(`${file}#${ex.name}`) ? it.skip : it)(`${file} ${ex.name} (example ${k + 1}) gives its //=> output`, async () => {
        let checks = 0;
        const check = (got: unknown, want: unknown) => {
          checks++;
          expect(JSON.parse(JSON.stringify(got, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as number[]) : v)))).toEqual(JSON.parse(JSON.stringify(want)));
        };
        const names = Object.keys(scope);
        await new Function("__check", ...names, toChecks(ex.code))(check, ...names.map((n) => scope[n]));
        expect(checks).toBeGreaterThan(0);
      });
    }
  }
});
