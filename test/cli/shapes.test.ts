import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";

// First contact: the common shapes of real exports, run through the CLI, checked against
// figures computed by hand from the fixture files (test/fixtures/cli, test/fixtures/io).

const dir = mkdtempSync(join(tmpdir(), "ca-shapes-"));
let out = "";
let err = "";
beforeEach(() => {
  out = "";
  err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

const fixture = (path: string) => join(import.meta.dirname, "..", "fixtures", path);

/** customers.csv as id -> { column: cell }. */
function customers(folder: string): Map<string, Record<string, string>> {
  const [head, ...lines] = readFileSync(join(folder, "customers.csv"), "utf8").trim().split("\n");
  const names = head.split(",");
  return new Map(lines.map((l) => {
    const cells = l.split(",");
    return [cells[0], Object.fromEntries(names.map((n, j) => [n, cells[j]]))];
  }));
}

const model = (folder: string) => JSON.parse(readFileSync(join(folder, "model.json"), "utf8"));

describe("CLI on the common shapes of sales exports", () => {
  it("retail export: amount = Quantity x UnitPrice, 'C' invoices and negative quantities are returns", async () => {
    const folder = join(dir, "retail");
    expect(await main(["analyze", fixture("cli/retail.csv"), "--date-format", "MM/DD/YYYY", "--out", folder])).toBe(0);
    expect(err).toContain("amount=Quantity x UnitPrice");
    expect(err).toContain("itemLabel=Description");
    const c = customers(folder);
    // 17850: 6 x 2.55 + 6 x 3.39 + 6 x 1.85 + 12 x 1.85 = 15.30 + 20.34 + 11.10 + 22.20 = 68.94 over
    //        invoices 536365, 536366, 536384: 3 orders.
    expect(c.get("17850")).toMatchObject({ totalSpend: "68.94", frequency: "3" });
    // 13047: 32 x 1.69 + 2 x 3.39 + 3 x 3.39 + 2 x 2.55 - 2 x 2.55 (C536383) = 54.08 + 6.78 + 10.17 = 71.03;
    //        orders 536367 and 536381 (the cancellation is not an order): 2.
    expect(c.get("13047")).toMatchObject({ totalSpend: "71.03", frequency: "2" });
    // 14527: -27.50 (C536379) + 4 x 2.55 - 1 x 3.39 (negative quantity) = -20.69; one order (536380),
    //        last purchase 2010-12-02, 7 days before the last day 2010-12-09 (returns are not purchases).
    expect(c.get("14527")).toMatchObject({ totalSpend: "-20.69", frequency: "1", recencyDays: "7" });
    const ingestion = model(folder).ingestion;
    expect(ingestion).toMatchObject({ rowsRead: 12, accepted: 12, rejected: 0, returns: 3, cancellations: 2, amountSource: "quantity-x-price" });
  }, 60_000);

  it("item labels with separators inside: rules show names, rules.csv keeps each item whole", async () => {
    const folder = join(dir, "labels");
    expect(await main(["analyze", fixture("cli/labels.csv"), "--out", folder, "--skip", "montecarlo,cluster,churn"])).toBe(0);
    // 20 baskets, A1 and B2 together in 8 of them and nowhere else: support 0.4, confidence 1,
    // lift 1 / (8/20) = 2.5; two rules (A1 => B2, B2 => A1), both kept.
    expect(out).toContain('Association rules: 2 found from 20 baskets; top: {GIN + TONIC DIET METAL SIGN} => {RED, "RETRO" | CAKE STAND} (lift 2.50)');
    const lines = readFileSync(join(folder, "rules.csv"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('"[""A1""]","[""B2""]","[""GIN + TONIC DIET METAL SIGN""]","[""RED, \\""RETRO\\"" | CAKE STAND""]",0.4,1,2.5,0.24,Infinity,1,1,8,8,8');
    // The JSON cells parse back to the exact names.
    const rules = model(folder).results.rules.rules;
    expect(rules[0].consequentNames).toEqual(['RED, "RETRO" | CAKE STAND']);
  }, 60_000);

  it("whitespace-aligned file (CDNOW master shape), dollar_value recognised as the amount", async () => {
    const folder = join(dir, "cdnow");
    expect(await main(["analyze", fixture("io/cdnow_master_head.txt"), "--date-format", "YYYYMMDD", "--out", folder, "--skip", "montecarlo"])).toBe(0);
    expect(err).toContain("amount=dollar_value");
    const c = customers(folder);
    expect(c.size).toBe(6);
    // Sums of dollar_value per customer from the file: 29.33 + 29.73 + 14.96 + 26.48 = 100.50, ...
    expect(c.get("0001")).toMatchObject({ totalSpend: "100.5", frequency: "4" });
    expect(c.get("0002")).toMatchObject({ totalSpend: "75.11", frequency: "2" });
    expect(c.get("0006")).toMatchObject({ totalSpend: "146.94", frequency: "3" });
  }, 60_000);

  it("--engine duckdb reads the same file to the same customers.csv as the in-process reader", async () => {
    const mem = join(dir, "cdnow-mem");
    const duck = join(dir, "cdnow-duck");
    const args = [fixture("io/cdnow_master_head.txt"), "--date-format", "YYYYMMDD", "--delimiter", "whitespace", "--skip", "montecarlo,churn,cluster"];
    expect(await main(["analyze", ...args, "--out", mem])).toBe(0);
    expect(await main(["analyze", ...args, "--engine", "duckdb", "--out", duck])).toBe(0);
    expect(readFileSync(join(duck, "customers.csv"), "utf8")).toBe(readFileSync(join(mem, "customers.csv"), "utf8"));
    expect(model(duck).ingestion).toMatchObject({ rowsRead: 12, accepted: 12 });
    expect(await main(["analyze", ...args, "--engine", "spark", "--out", duck])).toBe(2);
  }, 120_000);

  it("Excel workbook, a named sheet", async () => {
    const folder = join(dir, "xlsx");
    expect(await main(["analyze", fixture("io/transactions.xlsx"), "--sheet", "Sales", "--out", folder, "--skip", "montecarlo"])).toBe(0);
    const c = customers(folder);
    // Sheet Sales: 1001 buys 12.50 and 25.00 (a formula's cached result); A7 37.50 over two orders.
    expect(c.get("1001")).toMatchObject({ totalSpend: "37.5", frequency: "2" });
    expect(c.get("A7")).toMatchObject({ totalSpend: "37.5" });
    expect(model(folder).ingestion).toMatchObject({ rowsRead: 5, accepted: 5, returns: 1 });
    // An unknown sheet is a bad argument naming the sheets there are.
    expect(await main(["analyze", fixture("io/transactions.xlsx"), "--sheet", "Nope", "--out", folder])).toBe(2);
    expect(err).toMatch(/Sales/);
  }, 60_000);

  it("Parquet file: 64-bit integer ids stay exact", async () => {
    const folder = join(dir, "parquet");
    expect(await main(["analyze", fixture("io/good.parquet"), "--out", folder, "--skip", "montecarlo"])).toBe(0);
    const c = customers(folder);
    expect(c.get("9007199254740993")).toMatchObject({ totalSpend: "37.5" });
    expect(c.get("42")).toMatchObject({ totalSpend: "25.25" });
  }, 60_000);

  it("a misspelt column option is an error naming the closest column, not a bad row", async () => {
    const folder = join(dir, "misspelt");
    expect(await main(["analyze", fixture("cli/retail.csv"), "--customer-id", "CustomerId ", "--out", folder, "--lenient"])).toBe(1);
    expect(err).toContain("CustomerID");
    expect(err).not.toMatch(/row 1/);
  }, 60_000);

  it("--k fixes the number of clusters; --k-range is checked", async () => {
    expect(await main(["analyze", fixture("cli/retail.csv"), "--k", "1", "--out", join(dir, "k")])).toBe(2);
    expect(err).toContain("--k must be a whole number of clusters in 2..50");
    expect(await main(["analyze", fixture("cli/retail.csv"), "--k-range", "5-3", "--out", join(dir, "k")])).toBe(2);
    expect(err).toContain("--k-range: 5 is larger than 3");
  }, 60_000);
});
