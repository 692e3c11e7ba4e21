/**
 * The rules module bundles for a browser: the basket file reader loads `node:fs` on demand,
 * inside a `try`, so `esbuild --platform=browser` leaves it out instead of failing (issue 15
 * item 11), and the bundle mines rules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "rules-browser-"));
afterAll(() => rmSync(dir, { recursive: true }));

describe("rules module in a browser bundle", () => {
  it("esbuild --bundle --platform=browser on src/rules/index.ts succeeds with no node: import resolved, and the bundle mines the hand-counted rule", async () => {
    const entry = new URL("../../src/rules/index.ts", import.meta.url).pathname;
    const outfile = join(dir, "rules.js");
    const res = await build({ entryPoints: [entry], bundle: true, platform: "browser", format: "esm", outfile, logLevel: "silent", write: true });
    expect(res.errors).toEqual([]);
    const code = readFileSync(outfile, "utf8");
    // node:fs / node:readline stay as dynamic imports (not bundled), only inside readBaskets.
    expect(code).not.toMatch(/^import .* from "node:/m);
    writeFileSync(join(dir, "package.json"), '{"type":"module"}');
    const m = await import(pathToFileURL(outfile).href);
    // Baskets {a, b}, {a, b}, {a}: a => b has confidence 2/3, b => a 2/2 (lift 1 / (3/3) = 1).
    const rules = m.associationRules(m.frequentItemsets([["a", "b"], ["a", "b"], ["a"]], { minCount: 1 }), { minConfidence: 0.5 });
    expect(rules.map((r: { antecedent: string[]; consequent: string[]; confidence: number }) => [r.antecedent, r.consequent, r.confidence])).toEqual([
      [["b"], ["a"], 1],
      [["a"], ["b"], 2 / 3],
    ]);
  });
});
