import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, generateTransactions, parseTransactions } from "../../src/index.js";

// The README's first screen shows the demo's output: every line it shows must be a line the
// demo prints today (examples/demo.ts: the seeded synthetic store, 2,000 customers, seed 42).
describe("README demo figures", () => {
  it("every line of the README's demo output is printed by the demo's analysis", async () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.split("prints (abridged):")[1].split("```")[1];
    const shown = block.split("\n").filter((l) => l.trim() !== "" && l !== "..." && !l.startsWith("Open the report"));
    expect(shown.length).toBeGreaterThanOrEqual(10);
    const result = await analyze(parseTransactions(generateTransactions({ customers: 2000, seed: 42 })), { seed: 42 });
    const printed = new Set(result.summaryText.split("\n"));
    for (const line of shown) expect(printed.has(line), line).toBe(true);
  }, 120_000);
});
