import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

// CI runs every example program: each must exit 0 and print something.
const examples = readdirSync("examples").filter((f) => f.endsWith(".ts")).sort();

describe("examples", () => {
  it.each(examples)("examples/%s runs to completion", (file) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", `examples/${file}`], { encoding: "utf8", timeout: 240_000 });
    expect(r.stderr.replace(/npm warn.*\n/g, ""), `stderr of ${file}`).not.toMatch(/Error|error:/);
    expect(r.status, `exit code of ${file}: ${r.stderr}`).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
  }, 300_000);
});
