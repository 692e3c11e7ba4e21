/**
 * The entry points, checked on the sources (fast; the packed package is checked in
 * package.test.ts): the browser entry is the main entry minus the Node file readers, it bundles
 * for a browser with no Node built-in, and every `exports` target of package.json has a source.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as browserEntry from "../../src/browser.js";
import * as mainEntry from "../../src/index.js";
import * as engineEntry from "../../src/engine/index.js";

/**
 * The names only the Node entry has: the file readers (their modules import `node:fs`) and the
 * out-of-core engines (DuckDB's native binding; ClickHouse over HTTP from a server process).
 */
const NODE_ONLY = ["readBaskets", "readTransactionTable", "readTransactions", ...Object.keys(engineEntry)].sort();

describe("src/browser.ts", () => {
  it("exports every runtime name of src/index.ts except the Node file readers, each the same object", () => {
    const main = Object.keys(mainEntry).sort();
    const browser = Object.keys(browserEntry).sort();
    expect(main.filter((n) => !browser.includes(n))).toEqual(NODE_ONLY);
    expect(browser.filter((n) => !main.includes(n))).toEqual([]);
    for (const n of browser) expect((browserEntry as Record<string, unknown>)[n], n).toBe((mainEntry as Record<string, unknown>)[n]);
  });

  it("bundles with esbuild --platform=browser, with no Node built-in and no chart engine for rfm + fitBgNbd", async () => {
    const result = await build({
      stdin: { contents: `import { rfm, fitBgNbd } from "./src/browser.js"; console.log(rfm, fitBgNbd);`, resolveDir: ".", loader: "ts" },
      bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent", metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /src\/(io\/read|io\/readTable|rules\/read|cli\/)/.test(f))).toEqual([]);
    expect(result.outputFiles[0].text).not.toMatch(/["']node:/);
    expect(inputs.filter((f) => /node_modules\/vega/.test(f))).toEqual([]);
  });

  it("the whole browser entry bundles for a browser (every export kept), with no Node built-in", async () => {
    const result = await build({
      stdin: { contents: `export * from "./src/browser.js";`, resolveDir: ".", loader: "ts" },
      bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent", metafile: true,
    });
    const js = result.outputFiles.map((f) => f.text).join("\n");
    // Worker threads (Monte Carlo, clustering) are tried in a try block and fall back to one thread.
    const builtins = [...js.matchAll(/import\(["'](node:[\w/]+)["']\)/g)].map((m) => m[1]);
    expect(new Set(builtins)).toEqual(new Set(["node:worker_threads", "node:os", "node:module", "node:url"]));
    expect(js).not.toMatch(/node:fs|node:readline|node:v8|node:string_decoder/);
  });
});

describe("package.json exports", () => {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { exports: Record<string, string | Record<string, unknown>>; bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
  /** Every file path in a conditions object, with its condition path. */
  const targets = (v: unknown, at: string): [string, string][] =>
    typeof v === "string" ? [[at, v]] : Object.entries(v as Record<string, unknown>).flatMap(([k, w]) => targets(w, `${at}.${k}`));

  it("every target under dist/ has its source in src/ (a .ts file of the same name)", () => {
    for (const [at, file] of Object.entries(pkg.exports).flatMap(([k, v]) => targets(v, k))) {
      if (!file.startsWith("./dist/")) continue;
      const source = file.replace("./dist/", "src/").replace(/\.d\.ts$|\.js$/, ".ts");
      expect(existsSync(source), `${at}: ${file}`).toBe(true);
    }
    expect(existsSync(pkg.bin["customer-analytics"].replace("./dist/", "src/").replace(/\.js$/, ".ts"))).toBe(true);
  });

  it('"." resolves to the browser entry under the "browser" condition, listed before "import"', () => {
    const dot = pkg.exports["."] as Record<string, unknown>;
    expect(Object.keys(dot)).toEqual(["browser", "types", "import"]);
    expect(dot.browser).toEqual({ types: "./dist/browser.d.ts", default: "./dist/browser.js" });
  });

  it("every package a source file imports at run time is a dependency (optional or not); ml-kmeans is a dev dependency only", () => {
    const runtime = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(`${dir}/${f}`).isDirectory() ? sources(`${dir}/${f}`) : f.endsWith(".ts") && !f.endsWith(".d.ts") ? [`${dir}/${f}`] : []));
    const used = new Map<string, string>();
    for (const file of sources("src")) {
      // Code only: comments and type-only imports do not load anything.
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      const specs = [
        ...[...code.matchAll(/^\s*import\s+(?!type\s)[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]),
        ...[...code.matchAll(/^\s*export\s+(?!type\s)[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]),
        ...[...code.matchAll(/(?<!typeof\s)\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
      ];
      for (const s of specs) {
        if (s.startsWith(".") || s.startsWith("node:")) continue;
        used.set(s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0], file);
      }
    }
    expect([...used.keys()].filter((p) => !runtime.has(p)).map((p) => `${p} (${used.get(p)})`)).toEqual([]);
    // The chart engine is loaded through a specifier bundlers do not follow (src/pipeline/html.ts):
    // still a run-time dependency.
    expect(readFileSync("src/pipeline/html.ts", "utf8")).toMatch(/load\("vega"\)[\s\S]*load\("vega-lite"\)/);
    expect(runtime.has("vega") && runtime.has("vega-lite")).toBe(true);
    expect(used.has("ml-kmeans")).toBe(false);
    expect(pkg.dependencies["ml-kmeans"]).toBeUndefined();
    expect(pkg.devDependencies["ml-kmeans"]).toBeDefined();
  });
});
