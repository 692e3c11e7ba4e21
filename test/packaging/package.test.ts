/**
 * The package as a user gets it: the sources built into a scratch copy, `npm pack`ed, the tarball
 * installed into a new project, and then
 * - the `customer-analytics` command run through npm's bin link (`--help`, and an analysis);
 * - a consumer file type-checked against the installed declarations with `skipLibCheck: false`
 *   under TypeScript 5.9 and the current release (7.x), with and without `@types/node`;
 * - `import { rfm, fitBgNbd } from "customer-analytics"` bundled by esbuild for the browser and
 *   run in headless Chromium, its numbers equal to the same calls in Node.
 *
 * The copy packs ./dist when it is newer than every source file (CI builds just before the
 * tests), else builds the sources into it with TypeScript 5.9.
 * The install uses npm's cache first (`--offline`; CI's `npm ci` fills it), then the registry.
 * Without either (no cache, no network) the install-based tests are skipped with the reason; in
 * CI (`CI` set) that is a failure. Chromium: as in test/pipeline/report.browser.test.ts.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fitBgNbd, generateTransactions, rfm, summarizeCustomers } from "../../src/index.js";

const run = promisify(execFile);
const ROOT = resolve(".");
const TSC5 = join(ROOT, "node_modules/typescript/bin/tsc");
const TSC7 = join(ROOT, "node_modules/typescript-latest/bin/tsc");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI) throw new Error(`packaging test: Chromium not found at ${CHROMIUM}`);

let work = "";
let project = "";
/** Why the installed package is not available (then the tests that need it are skipped). */
let notInstalled: string | null = null;

/** Run a command; resolves to its output, rejects with stdout/stderr attached. */
async function sh(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<{ stdout: string; stderr: string }> {
  return run(cmd, args, { cwd, timeout, maxBuffer: 64 * 2 ** 20, env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } });
}

/** A small deterministic export: 30 customers, 1..6 orders each over 2023–2024 (no randomness). */
function smallCsv(): string {
  const lines = ["customer_id,order_date,revenue,order_id"];
  let order = 0;
  for (let c = 0; c < 30; c++) {
    const orders = 1 + (c % 6);
    for (let k = 0; k < orders; k++) {
      const day = new Date(Date.UTC(2023, 0, 1) + ((c * 37 + k * 97) % 700) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`C${String(c).padStart(3, "0")},${day},${(10 + ((c * 13 + k * 7) % 90) + 0.25).toFixed(2)},O${++order}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Whether ./dist was built after the last change to any source file (then it is packed as is). */
function distIsFresh(): boolean {
  const built = (f: string) => (existsSync(f) ? statSync(f).mtimeMs : -Infinity);
  const oldestEntry = Math.min(built("dist/index.js"), built("dist/browser.js"), built("dist/cli/main.js"));
  const newestSource = (function newest(d: string): number {
    return Math.max(...readdirSync(d).map((f) => (statSync(join(d, f)).isDirectory() ? newest(join(d, f)) : statSync(join(d, f)).mtimeMs)));
  })("src");
  return newestSource < oldestEntry && statSync("package.json").mtimeMs < oldestEntry;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ca-pack-"));
  const pkg = join(work, "pkg");
  project = join(work, "project");
  mkdirSync(pkg);
  mkdirSync(project);
  // A built copy: package.json + README + dist compiled from the current sources (TypeScript 5.9).
  writeFileSync(join(pkg, "package.json"), readFileSync("package.json"));
  writeFileSync(join(pkg, "README.md"), readFileSync("README.md"));
  if (distIsFresh()) {
    // CI has just run `npm run build`: pack that.
    cpSync(join(ROOT, "dist"), join(pkg, "dist"), { recursive: true });
  } else {
    // Type errors in the sources are the typecheck step's to report (tsc still emits); a build
    // that emits no entry point fails here.
    const built = await sh(process.execPath, [TSC5, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(pkg, "dist")], ROOT).catch((e: { stdout: string }) => e);
    if (!existsSync(join(pkg, "dist/index.js")) || !existsSync(join(pkg, "dist/cli/main.js"))) throw new Error(`the build emitted no dist/index.js:\n${built.stdout}`);
  }
  const packed = await sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], pkg);
  const tgz = join(work, (JSON.parse(packed.stdout) as { filename: string }[])[0].filename);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // npm's cache first (offline), then the registry; optional dependencies (DuckDB, Excel,
  // Parquet readers) are left out: the CSV analysis does not need them.
  const install = (mode: string) => sh("npm", ["install", mode, "--omit=optional", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", tgz], project, 300_000);
  try {
    await install("--offline");
  } catch {
    try {
      await install("--prefer-offline");
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      const text = `${err.stderr ?? ""}${err.message}`;
      const network = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|ENOTCACHED|network/i.test(text);
      if (!network || process.env.CI) throw e;
      notInstalled = `npm could not reach the registry and its cache lacks a dependency (${/code (\w+)/.exec(text)?.[1] ?? "network"})`;
      console.warn(`packaging tests skipped: ${notInstalled}`);
    }
  }
}, 300_000);

afterAll(() => {
  if (work && !process.env.KEEP_PACKAGING) rmSync(work, { recursive: true, force: true });
});

describe("the installed tarball", () => {
  it("holds dist, README and package.json only, with no test, source or source-map files", async (ctx) => {
    if (notInstalled) ctx.skip(notInstalled);
    const dir = join(project, "node_modules/customer-analytics");
    expect(readdirSync(dir).sort()).toEqual(["README.md", "dist", "package.json"]);
    const files = (function walk(d: string): string[] {
      return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [f]));
    })(join(dir, "dist"));
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    // Source maps would point at src/, which is not shipped.
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files).toContain("browser.js");
    // The chart engine is a dependency (docs/contributing.md, "Dependencies"); ml-kmeans is not.
    expect(existsSync(join(project, "node_modules/vega"))).toBe(true);
    expect(existsSync(join(project, "node_modules/ml-kmeans"))).toBe(false);
  });

  it("npx customer-analytics --help, through npm's bin link, prints the usage and exits 0", async (ctx) => {
    if (notInstalled) ctx.skip(notInstalled);
    const { stdout } = await sh("npx", ["--no-install", "customer-analytics", "--help"], project);
    expect(stdout).toMatch(/^Usage:\n {2}customer-analytics analyze <file/m);
    expect(stdout).toContain("--out DIR");
  });

  it("npx customer-analytics analyze small.csv writes the five output files with one row per customer", async (ctx) => {
    if (notInstalled) ctx.skip(notInstalled);
    writeFileSync(join(project, "small.csv"), smallCsv());
    const out = join(project, "out");
    const { stdout } = await sh("npx", ["--no-install", "customer-analytics", "analyze", "small.csv", "--draws", "100", "--out", out], project);
    // 30 customers with 1 + (c mod 6) orders: 5 x (1 + 2 + ... + 6) = 105 rows, all accepted.
    expect(stdout).toContain("30 customers, 105 transactions");
    expect(stdout).toContain("rows read 105: accepted 105, rejected 0");
    for (const f of ["customers.csv", "segments.csv", "rules.csv", "model.json", "report.html"]) expect(existsSync(join(out, f)), f).toBe(true);
    // 30 customers in the file (C000..C029): a header and 30 rows.
    const customers = readFileSync(join(out, "customers.csv"), "utf8").trim().split("\n");
    expect(customers.length).toBe(31);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<svg");
  });

  it("importing the main entry loads no chart engine: vega and vega-lite are loaded by the first chart only", async (ctx) => {
    if (notInstalled) ctx.skip(notInstalled);
    // A module hook that names every package file Node loads.
    writeFileSync(join(project, "hooks.mjs"), `export async function load(url, context, next) {\n  if (url.includes("/node_modules/")) process.stderr.write("loaded " + url + "\\n");\n  return next(url, context);\n}\n`);
    writeFileSync(join(project, "register.mjs"), `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
    const packages = async (code: string) => {
      const { stderr } = await sh(process.execPath, ["--import", "./register.mjs", "--input-type=module", "-e", code], project);
      return new Set([...stderr.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]));
    };
    const plain = await packages(`await import("customer-analytics");`);
    expect(plain.has("customer-analytics")).toBe(true);
    expect([...plain].filter((p) => p.startsWith("vega"))).toEqual([]);
    // The hook does see them when a report is rendered.
    const report = await packages(`const ca = await import("customer-analytics"); await ca.renderReport(await ca.analyze(ca.generateTransactions({ customers: 60, seed: 1 }), { seed: 1, skip: ["montecarlo", "churn", "rules", "cluster"] }));`);
    expect(report.has("vega") && report.has("vega-lite")).toBe(true);
  });

  it("without vega installed, analyze still works and renderReport is a DEPENDENCY_FAILED error naming vega and vega-lite", async (ctx) => {
    if (notInstalled) ctx.skip(notInstalled);
    const vega = join(project, "node_modules/vega");
    renameSync(vega, `${vega}.hidden`);
    try {
      const { stdout } = await sh(process.execPath, ["--input-type=module", "-e", `const ca = await import("customer-analytics");
const result = await ca.analyze(ca.generateTransactions({ customers: 60, seed: 1 }), { seed: 1, skip: ["montecarlo", "churn", "rules", "cluster"] });
try { await ca.renderReport(result); console.log("rendered"); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`], project);
      const error = JSON.parse(stdout) as { name: string; code: string; message: string };
      expect(error.name).toBe("AnalyticsError");
      expect(error.code).toBe("DEPENDENCY_FAILED");
      expect(error.message).toContain('need the packages "vega" and "vega-lite"');
      expect(error.message).toContain("npm install vega vega-lite");
    } finally {
      renameSync(`${vega}.hidden`, vega);
    }
  });
});

/** A consumer that touches the main entry, the browser entry and every subpath. */
const CONSUMER = `import { rfm, fitBgNbd, analyze, readTransactionTable, AnalyticsError, type Transaction, type RfmOptions } from "customer-analytics";
import * as browser from "customer-analytics/browser";
import * as core from "customer-analytics/core";
import * as io from "customer-analytics/io";
import * as rfmPath from "customer-analytics/rfm";
import * as matrix from "customer-analytics/matrix";
import * as value from "customer-analytics/value";
import * as clv from "customer-analytics/clv";
import * as churn from "customer-analytics/churn";
import * as rules from "customer-analytics/rules";
import * as cluster from "customer-analytics/cluster";
import * as synthetic from "customer-analytics/synthetic";
import * as summary from "customer-analytics/summary";
import * as pipeline from "customer-analytics/pipeline";
const tx: Transaction[] = [{ customerId: "a", date: new Date(Date.UTC(2024, 0, 1)), amount: 10 }];
const options: RfmOptions = {};
const scores = rfm(summary.summarizeCustomers(tx), options).customers;
const fit: typeof fitBgNbd = browser.fitBgNbd;
export const used = [scores, fit, analyze, readTransactionTable, AnalyticsError, core, io, rfmPath, matrix, value, clv, churn, rules, cluster, synthetic, summary, pipeline];
`;

// The four compilations run side by side (each is one tsc process).
describe.concurrent("the installed declarations", () => {
  const settings = [
    { tsc: "TypeScript 5.9", bin: TSC5, typesNode: false },
    { tsc: "TypeScript 5.9", bin: TSC5, typesNode: true },
    { tsc: "TypeScript 7", bin: TSC7, typesNode: false },
    { tsc: "TypeScript 7", bin: TSC7, typesNode: true },
  ];
  for (const s of settings) {
    it(`a consumer compiles with skipLibCheck: false, strict, NodeNext, under ${s.tsc} ${s.typesNode ? "with" : "without"} @types/node`, async ({ expect, skip }) => {
      if (notInstalled) skip(notInstalled);
      // Its own folder: node_modules holds the installed package and, in the second setting,
      // @types/node (a link to ours); nothing else a type could come from.
      const dir = join(work, `tsc-${s.bin === TSC5 ? 5 : 7}-${s.typesNode ? "node" : "plain"}`);
      mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
      symlinkSync(join(project, "node_modules/customer-analytics"), join(dir, "node_modules/customer-analytics"), "dir");
      if (s.typesNode) symlinkSync(join(ROOT, "node_modules/@types/node"), join(dir, "node_modules/@types/node"), "dir");
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
      writeFileSync(join(dir, "consumer.ts"), CONSUMER);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022"], types: s.typesNode ? ["node"] : [],
            strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false, noEmit: true,
          },
          files: ["consumer.ts"],
        }),
      );
      const result = await sh(process.execPath, [s.bin, "-p", "tsconfig.json"], dir).catch((e: { stdout: string }) => ({ stdout: e.stdout, stderr: "" }));
      expect(result.stdout.trim()).toBe("");
    });
  }
});

describe.skipIf(!haveBrowser)("the main entry in a browser", () => {
  it('import { rfm, fitBgNbd } from "customer-analytics", bundled by esbuild for the browser, gives in Chromium the numbers it gives in Node', async (ctx) => {
    if (notInstalled) ctx.skip(notInstalled);
    // A small seeded log (150 customers of the synthetic store), made in the page and in Node.
    const page = `import { rfm, fitBgNbd, generateTransactions, summarizeCustomers } from "customer-analytics";
const tx = generateTransactions({ customers: 150, seed: 11 });
const scores = rfm(summarizeCustomers(tx)).customers;
const fit = fitBgNbd(tx, { timeUnit: "weeks" });
window.__result = JSON.stringify({ scores: scores.map((s) => [s.customerId, s.recencyDays, s.frequency, s.monetary, s.cell, s.segment]), params: fit.params, logLik: fit.logLikelihood, converged: fit.convergence.converged });
`;
    writeFileSync(join(project, "page.js"), page);
    const bundle = await build({ entryPoints: [join(project, "page.js")], bundle: true, platform: "browser", format: "iife", write: false, logLevel: "silent", absWorkingDir: project, metafile: true });
    const js = bundle.outputFiles[0].text;
    // The "browser" condition chose the browser entry.
    const inputs = Object.keys(bundle.metafile.inputs);
    expect(inputs).toContain("node_modules/customer-analytics/dist/browser.js");
    expect(inputs).not.toContain("node_modules/customer-analytics/dist/index.js");
    expect(js).not.toMatch(/node:fs|node:readline/);
    writeFileSync(join(project, "page.html"), `<!doctype html><meta charset="utf-8"><script src="page.bundle.js"></script>`);
    writeFileSync(join(project, "page.bundle.js"), js);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(`file://${join(project, "page.html")}`);
      const got = JSON.parse(await tab.waitForFunction(() => (window as unknown as { __result?: string }).__result).then((h) => h.jsonValue() as Promise<string>));
      expect(errors).toEqual([]);
      // The same calls in Node, on the sources.
      const tx = generateTransactions({ customers: 150, seed: 11 });
      const scores = rfm(summarizeCustomers(tx)).customers;
      const fit = fitBgNbd(tx, { timeUnit: "weeks" });
      expect(fit.convergence.converged).toBe(true);
      expect(got.converged).toBe(true);
      // RFM is counting and sorting: identical. The BG/NBD fit goes through Math.log/exp/lgamma,
      // whose last bits may differ between Node's V8 and Chromium's: 1e-9 relative.
      expect(got.scores).toEqual(JSON.parse(JSON.stringify(scores.map((s) => [s.customerId, s.recencyDays, s.frequency, s.monetary, s.cell, s.segment]))));
      expect(got.scores.length).toBe(150);
      for (const k of ["r", "alpha", "a", "b"] as const) expect(Math.abs(got.params[k] / fit.params[k] - 1), k).toBeLessThan(1e-9);
      expect(Math.abs(got.logLik / fit.logLikelihood - 1)).toBeLessThan(1e-9);
    } finally {
      await browser.close();
    }
  });
});
