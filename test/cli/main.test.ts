import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { toCsv, generateTransactions } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "ca-cli-"));
let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

function csvFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("customer-analytics CLI", () => {
  it("analyze <file.csv> detects the columns, writes the five outputs and exits 0", async () => {
    const tx = generateTransactions({ customers: 150, seed: 3 });
    const file = csvFile(
      "store.csv",
      toCsv(tx, [
        { header: "CustomerID", value: (t) => t.customerId },
        { header: "InvoiceDate", value: (t) => t.date },
        { header: "Revenue", value: (t) => t.amount },
        { header: "InvoiceNo", value: (t) => t.orderId },
        { header: "Product", value: (t) => t.items },
      ]),
    );
    const outDir = join(dir, "out-ok");
    expect(await main(["analyze", file, "--out", outDir, "--seed", "3"])).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(["customers.csv", "model.json", "report.html", "rules.csv", "segments.csv"]);
    expect(err).toContain("columns customerId=CustomerID, date=InvoiceDate, amount=Revenue, orderId=InvoiceNo, items=Product");
    expect(out).toMatch(/customers, \d[\d,]* transactions as of 2024-12-30/);
    expect(out).toMatch(/Done in \d+\.\d s/);
    const customers = readFileSync(join(outDir, "customers.csv"), "utf8").trim().split("\n");
    expect(customers[0].startsWith("customerId,recencyDays,frequency,totalSpend")).toBe(true);
    expect(customers.length - 1).toBe(new Set(tx.map((t) => t.customerId)).size);
    expect(JSON.parse(readFileSync(join(outDir, "model.json"), "utf8")).seed).toBe(3);
  }, 60_000);

  it("analyze <malformed file> exits 1 with the row, and leaves no output files", async () => {
    const file = csvFile("bad.csv", "customerId,date,amount\na,2024-01-01,1\nb,2024-99-01,2\n");
    const outDir = join(dir, "out-bad");
    expect(await main(["analyze", file, "--out", outDir])).toBe(1);
    expect(err).toContain('row 2, field "date": got "2024-99-01"');
    expect(existsSync(join(outDir, "customers.csv"))).toBe(false);
  });

  it("analyze --lenient sets the bad row aside, reports it, and succeeds", async () => {
    const file = csvFile("bad2.csv", "customerId,date,amount\na,2024-01-01,1\nb,2024-99-01,2\na,2024-02-01,3\n");
    expect(await main(["analyze", file, "--lenient", "--out", join(dir, "out-lenient"), "--skip", "montecarlo"])).toBe(0);
    expect(out).toContain("rows read 3: accepted 2, rejected 1");
    expect(out).toContain("invalid-date: 1");
  });

  it("bad arguments exit 2 with a pointer to --help; --help exits 0 and shows an example", async () => {
    expect(await main(["analyze"])).toBe(2);
    expect(await main(["frobnicate", "x.csv"])).toBe(2);
    expect(await main(["analyze", "x.csv", "--seed", "abc"])).toBe(2);
    expect(await main(["analyze", "x.csv", "--skip", "everything"])).toBe(2);
    expect(await main(["analyze", "x.csv", "--bogus"])).toBe(2);
    expect(err).toContain("Run customer-analytics --help for usage.");
    expect(await main(["--help"])).toBe(0);
    expect(out).toContain("Example:");
  });

  it("an out-of-range analysis option exits 2 naming the option, and writes nothing", async () => {
    const file = csvFile("small.csv", toCsv(generateTransactions({ customers: 30, seed: 4 }), [
      { header: "customer", value: (t) => t.customerId },
      { header: "date", value: (t) => t.date.toISOString().slice(0, 10) },
      { header: "amount", value: (t) => t.amount },
    ]));
    const outDir = join(dir, "out-bad-margin");
    expect(await main(["analyze", file, "--margin", "2", "--out", outDir])).toBe(2);
    expect(err).toMatch(/margin/);
    expect(existsSync(join(outDir, "customers.csv"))).toBe(false);
    expect(await main(["analyze", file, "--draws", "lots"])).toBe(2);
    expect(err).toContain('--draws must be a number, got "lots"');
  });

  it("analyze <missing file> exits 1", async () => {
    expect(await main(["analyze", join(dir, "missing.csv")])).toBe(1);
    expect(err).toContain("cannot read file");
  });
});

describe("customer-analytics CLI: files too large for memory", () => {
  it("analyze --memory-limit below the table's size exits 1 with TOO_LARGE's message (size, limit, the out-of-core engine), no stack trace, no outputs", async () => {
    const tx = generateTransactions({ customers: 300, seed: 5 });
    const file = csvFile("big.csv", toCsv(tx, [
      { header: "customerId", value: (t) => t.customerId },
      { header: "date", value: (t) => t.date },
      { header: "amount", value: (t) => t.amount },
    ]));
    const outDir = join(dir, "out-big");
    expect(await main(["analyze", file, "--out", outDir, "--memory-limit", "0.001"])).toBe(1);
    expect(err).toMatch(/bad input: .*duckdb/i);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(outDir, "customers.csv"))).toBe(false);
    expect(await main(["analyze", file, "--out", outDir, "--memory-limit", "zero"])).toBe(2);
  }, 60_000);
});

describe("customer-analytics CLI: output folder and file problems (audit D7, D22)", () => {
  const good = () =>
    csvFile("good-out.csv", toCsv(generateTransactions({ customers: 60, seed: 2 }), [
      { header: "customerId", value: (t) => t.customerId },
      { header: "date", value: (t) => t.date },
      { header: "amount", value: (t) => t.amount },
    ]));

  it("--out naming an existing file exits 2 before any analysis, naming the folder, no stack trace", async () => {
    const notDir = csvFile("not-a-dir.txt", "x");
    expect(await main(["analyze", good(), "--out", notDir])).toBe(2);
    expect(err).toContain("cannot be used as the output folder");
    expect(err).not.toMatch(/\n\s+at /);
    expect(err).not.toContain("read done"); // checked before reading the input
  });

  it("--out under a file (ENOTDIR) exits 2 with the reason", async () => {
    const notDir = csvFile("not-a-dir2.txt", "x");
    expect(await main(["analyze", good(), "--out", join(notDir, "sub")])).toBe(2);
    expect(err).toMatch(/cannot be used as the output folder \((ENOTDIR|ENOENT)/);
  });

  it("a file without an amount column runs the frequency-only analysis (exit 0) and says the money steps were skipped", async () => {
    const lines = ["customerId,date,price2"];
    // 30 customers, 1-4 purchases each, one a month.
    for (let c = 0; c < 30; c++) for (let k = 0; k <= c % 4; k++) lines.push(`c${c},2024-0${1 + ((c + 3 * k) % 9)}-1${k},1`);
    const file = csvFile("noamount.csv", lines.join("\n") + "\n");
    const folder = join(dir, "out-noamount");
    expect(await main(["analyze", file, "--out", folder, "--skip", "cluster,churn"])).toBe(0);
    expect(out).toContain("RFM on recency and frequency (no amounts)");
    const model = JSON.parse(readFileSync(join(folder, "model.json"), "utf8"));
    expect(model.ingestion.amountSource).toBe("none");
    expect(model.steps.filter((s: { reason?: string }) => s.reason?.startsWith("the log has no amounts")).map((s: { step: string }) => s.step)).toEqual(["matrix", "abc", "value", "montecarlo", "profitability"]);
    const header = readFileSync(join(folder, "customers.csv"), "utf8").split("\n")[0];
    expect(header).not.toContain("totalSpend");
    expect(header).toContain("rfmSegment");
  }, 60_000);
});

describe("replaceAsSet (internal: the CLI's output files, audit D6)", () => {
  it("a rename failing halfway leaves every old file in place and no new one", async () => {
    const { replaceAsSet } = await import("../../src/cli/main.js");
    const { mkdirSync, renameSync, rmSync } = await import("node:fs");
    const base = mkdtempSync(join(dir, "set-"));
    const from = join(base, "new");
    const to = join(base, "out");
    mkdirSync(from);
    mkdirSync(to);
    const names = ["a.csv", "b.csv", "c.json"];
    for (const n of names) {
      writeFileSync(join(from, n), `new ${n}`);
      writeFileSync(join(to, n), `old ${n}`);
    }
    let calls = 0;
    const failing = (a: string, b: string) => {
      if (++calls === 5) throw new Error("EIO (injected)");
      renameSync(a, b);
    };
    expect(() => replaceAsSet(from, to, names, failing)).toThrow("EIO (injected)");
    for (const n of names) expect(readFileSync(join(to, n), "utf8")).toBe(`old ${n}`);
    expect(readdirSync(to).sort()).toEqual(names);
    // and without a failure: all new, nothing left aside; a directory in the way is replaced too
    rmSync(join(to, "b.csv"), { force: true });
    mkdirSync(join(to, "b.csv"));
    writeFileSync(join(to, "b.csv", "inside"), "x");
    for (const n of names) writeFileSync(join(from, n), `new ${n}`);
    replaceAsSet(from, to, names);
    for (const n of names) expect(readFileSync(join(to, n), "utf8")).toBe(`new ${n}`);
    expect(readdirSync(to).sort()).toEqual(names);
  });
});


describe("customer-analytics CLI entry (issue 15: the installed command did nothing)", () => {
  it("run through a link named customer-analytics (as npm's bin link does), --help prints the usage and exits 0", async () => {
    const { spawnSync } = await import("node:child_process");
    const { symlinkSync } = await import("node:fs");
    const { fileURLToPath } = await import("node:url");
    const link = join(mkdtempSync(join(dir, "bin-")), "customer-analytics");
    symlinkSync(fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url)), link);
    const r = spawnSync(process.execPath, ["--import", "tsx", link, "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("customer-analytics analyze <file.csv|.txt|.json|.ndjson|.xlsx|.parquet> [options]");
  }, 60_000);
});

describe("customer-analytics CLI: amounts whose sum overflows", () => {
  it("two lines of 1e308 for one customer exit 1 (bad input: the data overflowed), no stack trace", async () => {
    const file = csvFile("overflow.csv", "customerId,date,amount\na,2024-01-01,1e308\na,2024-01-02,1e308\nb,2024-01-03,5\n");
    expect(await main(["analyze", file, "--out", join(dir, "out-overflow")])).toBe(1);
    expect(err).toContain("the data overflowed");
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe("customer-analytics CLI: --privacy and --pseudonymize-key-file (issue 20, item 7)", () => {
  const tx = generateTransactions({ customers: 200, seed: 8 });
  const rawIds = [...new Set(tx.map((t) => t.customerId))];
  const store = () =>
    csvFile(
      "private-store.csv",
      toCsv(tx, [
        { header: "CustomerID", value: (t) => t.customerId },
        { header: "InvoiceDate", value: (t) => t.date },
        { header: "Revenue", value: (t) => t.amount },
        { header: "InvoiceNo", value: (t) => t.orderId },
        { header: "Product", value: (t) => t.items },
      ]),
    );
  const outputs = (outDir: string) => new Map(readdirSync(outDir).map((n) => [n, readFileSync(join(outDir, n), "utf8")]));

  it("--privacy writes four summary files, no raw id in any of them or in stdout, and removes an earlier run's customers.csv", async () => {
    const { findRawIds } = await import("../../src/index.js");
    const file = store();
    const outDir = join(dir, "out-private");
    // An earlier normal run into the same folder leaves customers.csv (with raw ids).
    expect(await main(["analyze", file, "--out", outDir, "--seed", "8", "--skip", "montecarlo"])).toBe(0);
    expect(findRawIds(outputs(outDir), rawIds).clean).toBe(false);
    out = "";
    err = "";
    expect(await main(["analyze", file, "--out", outDir, "--seed", "8", "--skip", "montecarlo", "--privacy", "--min-group-size", "12"])).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(["model.json", "report.html", "rules.csv", "segments.csv"]);
    expect(err).toContain("removed customers.csv of an earlier run");
    const files = outputs(outDir);
    files.set("stdout", out);
    expect(findRawIds(files, rawIds).hits).toEqual([]);
    const model = JSON.parse(files.get("model.json")!);
    expect(model.privacy.minGroupSize).toBe(12);
    expect(model.privacy.withheld.map((w: { path: string }) => w.path)).toContain("results.churn.atRisk.customers");
    // No segment row of fewer than 12 customers in segments.csv.
    const counts = files.get("segments.csv")!.trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c) => c >= 12)).toBe(true);
    expect(out).toContain("Wrote segments.csv, rules.csv, model.json, report.html");
  }, 120_000);

  it("--min-group-size without --privacy, or below 2, is a usage error (exit 2)", async () => {
    const file = store();
    expect(await main(["analyze", file, "--out", join(dir, "out-mgs"), "--min-group-size", "5"])).toBe(2);
    expect(err).toContain("--min-group-size applies to --privacy only");
    expect(await main(["analyze", file, "--out", join(dir, "out-mgs"), "--privacy", "--min-group-size", "1"])).toBe(2);
    expect(err).toContain("privacy.minGroupSize");
  }, 60_000);

  it("--pseudonymize-key-file: every id in customers.csv is its HMAC-SHA-256 pseudonym; no raw id in any file", async () => {
    const { findRawIds, pseudonymizeIds } = await import("../../src/index.js");
    const key = "a key of at least sixteen bytes";
    const keyFile = csvFile("key.txt", `${key}\n`);
    const outDir = join(dir, "out-pseudo");
    expect(await main(["analyze", store(), "--out", outDir, "--seed", "8", "--skip", "montecarlo,cluster", "--pseudonymize-key-file", keyFile])).toBe(0);
    const files = outputs(outDir);
    expect(findRawIds(files, rawIds).hits).toEqual([]);
    const ids = files.get("customers.csv")!.trim().split("\n").slice(1).map((l) => l.split(",")[0]);
    const expected = await pseudonymizeIds(rawIds, key);
    expect(ids.sort()).toEqual([...expected.values()].sort());
    expect(await main(["analyze", store(), "--out", outDir, "--pseudonymize-key-file", join(dir, "missing-key")])).toBe(2);
    expect(err).toContain("--pseudonymize-key-file");
    expect(await main(["analyze", store(), "--out", outDir, "--pseudonymize-key-file", csvFile("short.txt", "short")])).toBe(2);
  }, 120_000);
});

describe("customer-analytics CLI: --value-scoring (issue 20, item 8)", () => {
  it("reads interval tables from JSON (null = open end), writes valueScore, and rejects a bad file with exit 2", async () => {
    const tx = generateTransactions({ customers: 150, seed: 4 });
    const file = csvFile("value-store.csv", toCsv(tx, [
      { header: "CustomerID", value: (t) => t.customerId },
      { header: "InvoiceDate", value: (t) => t.date },
      { header: "Revenue", value: (t) => t.amount },
    ]));
    const open = (cuts: number[], scores: number[]) => scores.map((score, i) => ({ from: i === 0 ? null : cuts[i - 1], to: i === cuts.length ? null : cuts[i], score }));
    const spec = {
      scoreBy: "intervals",
      intervals: {
        cv: { currentValue: open([100, 500], [20, 60, 100]), frequency: open([2, 6], [10, 50, 100]), tenureDays: open([180, 540], [30, 70, 100]) },
        pv: { stockValue: open([50, 200], [20, 60, 100]), spendPerPeriod: open([20, 80], [25, 60, 100]), recencyDays: open([60, 180], [100, 50, 0]) },
        iv: { incrementalValue: open([0, 20], [0, 50, 100]), growth: open([0, 0.05], [0, 50, 100]) },
      },
      dimensionWeights: { cv: 2, pv: 1, iv: 1 },
    };
    const json = csvFile("scoring.json", JSON.stringify(spec));
    const outDir = join(dir, "out-value-scoring");
    expect(await main(["analyze", file, "--out", outDir, "--skip", "montecarlo,churn,rules,cluster,survival", "--value-scoring", json])).toBe(0);
    const model = JSON.parse(readFileSync(join(outDir, "model.json"), "utf8"));
    expect(model.results.value.scoreBy).toBe("intervals");
    expect(model.results.value.valueWeights.cv).toBe(0.5);
    const [header, ...lines] = readFileSync(join(outDir, "customers.csv"), "utf8").trim().split("\n");
    const at = header.split(",").indexOf("valueScore");
    expect(at).toBeGreaterThan(0);
    // Every score is a weighted mean of table scores: within 0..100, and several distinct values.
    const scores = lines.map((l) => Number(l.split(",")[at]));
    expect(scores.every((x) => x >= 0 && x <= 100)).toBe(true);
    expect(new Set(scores).size).toBeGreaterThan(5);
    expect(await main(["analyze", file, "--out", outDir, "--value-scoring", csvFile("bad.json", "{ not json")])).toBe(2);
    expect(err).toContain("is not valid JSON");
    expect(await main(["analyze", file, "--out", outDir, "--value-scoring", csvFile("bad2.json", '{"scoreBy": "intervals", "weights": {}}')])).toBe(2);
    expect(err).toContain("valueScoring.weights");
  }, 120_000);
});
