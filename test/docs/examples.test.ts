/**
 * Doc examples are tests: every ```ts block in the TSDoc of every source file is run, and each
 * `//=>` line must hold. A statement followed by `//=> value` (on its line or the next) is
 * evaluated and compared with the value (deep equality after JSON; NaN equal to NaN, dates as ISO
 * strings). In scope: the main entry's exports, those of the example's folder (`index.ts`) and
 * those of its own module (so internal modules' examples run too).
 *
 * What a `//=>` value may be, besides a JavaScript literal:
 * - several lines: a value whose brackets are not closed continues on the next `//` lines;
 * - Node's printing of typed arrays, Maps and Sets: `Float64Array(2) [ 0, 1 ]` (type, length
 *   and values checked), `Map(2) { "a" => 1, "b" => 2 }` (entries in order), `Set(1) { "a" }`;
 * - what `console.log` printed: a `//=>` after a statement that logs compares the values logged
 *   since the previous check (one value, or the list of them).
 * An example may use a name defined by another with a first line `// NAME: ... the FN example`
 * (FN's example runs first); `import * as X from "pkg"` lines become dynamic imports. An example
 * with no `//=>` line at all is run and must not throw.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";

/** Every source file. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(`${dir}/${f}`).isDirectory() ? sources(`${dir}/${f}`) : f.endsWith(".ts") && !f.endsWith(".d.ts") ? [`${dir}/${f}`] : []));
}
const FILES = sources("src").sort();

/**
 * Examples this runner cannot check (they need data they do not define, or their printed value
 * is false): listed, skipped, and reported in the issues, not hidden.
 */
const PENDING = new Map([
]);

interface Example {
  file: string;
  name: string;
  code: string;
}

/** The TSDoc ```ts blocks of a file, with the name of the export that follows each. */
function examples(path: string): Example[] {
  const text = readFileSync(path, "utf8");
  const out: Example[] = [];
  const re = /\/\*\*([\s\S]*?)\*\/\s*(?:export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|interface|const|let|type|class|enum)\s+(\w+))?/g;
  for (const m of text.matchAll(re)) {
    const doc = m[1].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
    for (const b of doc.matchAll(/```ts\n([\s\S]*?)```/g)) out.push({ file: path, name: m[2] ?? "(module)", code: b[1] });
  }
  return out;
}
const ALL = FILES.flatMap(examples);

/** Whether the brackets of a text (strings skipped) are balanced. */
function balanced(text: string): boolean {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
  }
  return depth <= 0;
}

/** Split a text at top-level commas (strings and brackets respected). */
function topLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** A `//=>` value as JavaScript: Node's printing of typed arrays, Maps and Sets made literal. */
function wantCode(text: string): string {
  const t = text.trim();
  const typed = /^(\w+Array)\((\d+)\) \[(.*)\]$/s.exec(t);
  if (typed) return `{ __typed: ${JSON.stringify(typed[1])}, length: ${typed[2]}, values: [${typed[3]}] }`;
  const map = /^Map\((\d+)\) \{(.*)\}$/s.exec(t);
  if (map) return `{ __map: [${topLevel(map[2], ",").map((e) => `[${topLevel(e, "=>").join(", ")}]`).join(", ")}] }`;
  const set = /^Set\((\d+)\) \{(.*)\}$/s.exec(t);
  if (set) return `{ __set: [${set[2]}] }`;
  return t;
}

/** The same value as {@link wantCode} builds, from a real one (typed arrays keep their type). */
function comparable(v: unknown, typedAsTyped: boolean): unknown {
  return JSON.parse(
    JSON.stringify(v, function (this: Record<string, unknown>, k: string, after: unknown) {
      // The value before any toJSON (a dependency may give Set or Map one).
      const x = this[k] instanceof Map || this[k] instanceof Set ? this[k] : after;
      if (typeof x === "number" && Number.isNaN(x)) return "NaN";
      if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
        const values = Array.from(x as unknown as ArrayLike<number | bigint>, (y) => (typeof y === "bigint" ? Number(y) : y));
        return typedAsTyped ? { __typed: x.constructor.name, length: values.length, values } : values;
      }
      if (x instanceof Map) return { __map: [...x.entries()] };
      if (x instanceof Set) return { __set: [...x] };
      return x;
    }),
  );
}

/** Turn `expr; //=> value` pairs into checks; returns JavaScript. */
function toChecks(code: string): string {
  const raw = code.split("\n");
  // Multi-line values: a `//=>` whose value leaves brackets open takes the next `//` lines.
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i];
    const at = line.indexOf("//=>");
    if (at >= 0) {
      let value = line.slice(at + 4);
      while (!balanced(value) && i + 1 < raw.length && /^\s*\/\/(?!=>)/.test(raw[i + 1])) value += `\n${raw[++i].replace(/^\s*\/\//, "")}`;
      line = `${line.slice(0, at)}//=>${value}`;
    }
    lines.push(line);
  }
  // Dates are printed as bare ISO timestamps: compare them as their JSON strings.
  const quoted = lines.map((l) => (l.includes("//=>") ? l.replace(/(?<!["\w])(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)/g, '"$1"') : l));
  const body: string[] = [];
  for (const line of quoted) {
    const same = /^(.*?);?\s*\/\/=>\s*([\s\S]+)$/.exec(line);
    const imported = /^\s*import\s+\*\s+as\s+(\w+)\s+from\s+(["'][^"']+["']);?\s*$/.exec(line);
    if (imported) body.push(`const ${imported[1]} = await __import(${imported[2]});`);
    else if (same && same[1].trim() !== "") {
      body.push(`__check((${same[1].replace(/;\s*$/, "")}), (${wantCode(same[2])}), ${JSON.stringify(same[2].trim())});`);
    } else if (same) {
      // The expression is the previous statement (possibly over several lines).
      let k = body.length - 1;
      while (k > 0 && !/;\s*(\/\/.*)?$/.test(body[k - 1]) && body[k - 1].trim() !== "") k--;
      // A comment after the statement is not part of the expression.
      const stmt = body.splice(k).join("\n").replace(/;\s*\/\/(?!=>).*$/, ";").replace(/;\s*$/, "");
      if (/console\.log\(/.test(stmt) || /^\s*(try|if|for|while)\b/.test(stmt)) body.push(`${stmt};\n__checkLog((${wantCode(same[2])}), ${JSON.stringify(same[2].trim())});`);
      else body.push(`__check((${stmt}), (${wantCode(same[2])}), ${JSON.stringify(same[2].trim())});`);
    } else body.push(line);
  }
  const ts = `return (async () => {\n${body.join("\n")}\n})();`;
  return transformSync(ts, { loader: "ts" }).code;
}

/** The examples an example builds on (`// NAME: ... the FN example`), first. */
function setup(ex: Example): string {
  const ref = /^\s*\/\/\s*\w+:.*\bthe (\w+) example\b/.exec(ex.code.split("\n")[0]);
  if (!ref) return "";
  const base = ALL.find((e) => e.name === ref[1] && e.file === ex.file) ?? ALL.find((e) => e.name === ref[1]);
  if (!base) throw new Error(`${ex.file} ${ex.name}: no example of ${ref[1]} to build on`);
  return `${setup(base)}${base.code}\n`;
}

describe("TSDoc examples", () => {
  for (const file of FILES) {
    for (const [k, ex] of examples(file).entries()) {
      const pending = PENDING.get(`${file}#${ex.name}`);
      const test = pending ? it.skip : it;
      test(`${file} ${ex.name} (example ${k + 1}) gives its //=> output${pending ? ` (pending: ${pending})` : ""}`, async () => {
        let checks = 0;
        const logged: unknown[] = [];
        const check = (got: unknown, want: unknown, text: string) => {
          checks++;
          const typed = typeof want === "object" && want !== null && "__typed" in want;
          expect(comparable(got, typed), `//=> ${text}`).toEqual(comparable(want, false));
        };
        const checkLog = (want: unknown, text: string) => {
          expect(logged.length, `nothing was printed before //=> ${text}`).toBeGreaterThan(0);
          check(logged.length === 1 ? logged[0] : [...logged], want, text);
          logged.length = 0;
        };
        const load = async (f: string) => (await import(`../../${f.replace(/\.ts$/, ".js")}`)) as Record<string, unknown>;
        // The folder's public names (a folder not yet in the main entry), then the module's own.
        const index = file.replace(/[^/]+$/, "index.ts");
        const folder = index !== file && FILES.includes(index) ? await load(index) : {};
        const scope: Record<string, unknown> = { ...(lib as Record<string, unknown>), ...folder, ...(await load(file)) };
        scope.console = { ...console, log: (...v: unknown[]) => logged.push(v.length === 1 ? v[0] : v) };
        const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
        const fn = new Function("__check", "__checkLog", "__import", ...names, toChecks(`${setup(ex)}${ex.code}`));
        await fn(check, checkLog, (s: string) => import(s), ...names.map((n) => scope[n]));
        if (ex.code.includes("//=>")) expect(checks).toBeGreaterThan(0);
      }, 60_000);
    }
  }
});

describe("the example runner", () => {
  const run = async (code: string, scope: Record<string, unknown> = {}) => {
    const logged: unknown[] = [];
    const results: [unknown, unknown][] = [];
    const fn = new Function("__check", "__checkLog", "console", ...Object.keys(scope), toChecks(code));
    await fn(
      (got: unknown, want: unknown) => results.push([comparable(got, typeof want === "object" && want !== null && "__typed" in want), comparable(want, false)]),
      (want: unknown) => results.push([comparable(logged.length === 1 ? logged[0] : [...logged], false), comparable(want, false)]),
      { log: (v: unknown) => logged.push(v) },
      ...Object.values(scope),
    );
    return results;
  };

  it("compares typed arrays printed the Node way by type, length and values, and fails on a wrong type", async () => {
    const [[got, want]] = await run("Float64Array.of(0, 1);\n//=> Float64Array(2) [ 0, 1 ]");
    expect(got).toEqual(want);
    const [[got2, want2]] = await run("Int32Array.of(0, 1);\n//=> Float64Array(2) [ 0, 1 ]");
    expect(got2).not.toEqual(want2);
  });

  it("reads Maps, Sets and values spread over several comment lines", async () => {
    const res = await run(`new Map([["a", 1], ["b", [2, 3]]]);\n//=> Map(2) { "a" => 1, "b" => [2, 3] }\nnew Set(["x"]);\n//=> Set(1) { "x" }\n({ a: 1,\n  b: [1, 2] });\n//=> {\n//     a: 1,\n//     b: [1, 2],\n//   }`);
    expect(res.map(([g]) => g)).toEqual([{ __map: [["a", 1], ["b", [2, 3]]] }, { __set: ["x"] }, { a: 1, b: [1, 2] }]);
    for (const [g, w] of res) expect(g).toEqual(w);
    const [[g, w]] = await run(`new Map([["a", 2]]);\n//=> Map(1) { "a" => 1 }`);
    expect(g).not.toEqual(w);
  });

  it("checks what console.log printed, and ignores a comment after the statement", async () => {
    const res = await run(`try { throw new Error("x"); } catch (e) { console.log(e.message); }\n//=> "x"\nMath.max(1, 2); // the larger\n//=> 2`);
    expect(res).toEqual([["x", "x"], [2, 2]]);
  });
});
