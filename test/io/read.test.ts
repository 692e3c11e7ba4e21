import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError, readTransactions } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "ca-read-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const BROKEN_CSV = [
  "customer_id,order_id,date,amount,items",
  'c1,o1,2024-01-05,"1,234.50","tea|milk"',
  "c2,o2,2024-01-06,abc,bread", // bad amount
  ",o3,2024-01-07,3,bread", // missing id
  'c3,o4,2024-02-30,4,"jam, strawberry"', // impossible date
  "c4,o5,2024-01-08,5", // too few fields
  '"c5",o6,2024-01-09,-2.5,"say ""hi""\nnext line"', // quoted newline and quotes inside a field
  "c1,o7,2024-01-10,7,tea",
].join("\n");

describe("readTransactions", () => {
  it("readTransactions(csv, { mode: 'lenient' }) accounts for every row of a deliberately broken file", async () => {
    const { transactions, report } = await readTransactions(file("broken.csv", BROKEN_CSV), { mode: "lenient" });
    expect(report.rowsRead).toBe(7);
    expect(report.accepted + report.rejected).toBe(report.rowsRead);
    expect(transactions.map((t) => [t.customerId, t.orderId, t.amount])).toEqual([
      ["c1", "o1", 1234.5],
      ["c5", "o6", -2.5],
      ["c1", "o7", 7],
    ]);
    expect(transactions[1].items).toEqual(['say "hi"\nnext line']);
    expect(report.returns).toBe(1);
    expect(report.rejectedByReason.map((r) => [r.reason, r.count, r.examples[0].row])).toEqual([
      ["invalid-amount", 1, 2],
      ["missing-customerId", 1, 3],
      ["invalid-date", 1, 4],
      ["malformed-row", 1, 5],
    ]);
  });

  it("readTransactions(csv) in strict mode throws at the first bad row with its number, field and raw value", async () => {
    const p = file("broken-strict.csv", BROKEN_CSV);
    await expect(readTransactions(p)).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(readTransactions(p)).rejects.toMatchObject({ row: 2, field: "amount", value: "abc" });
  });

  it("readTransactions(csv) detects ';' and tab delimiters and reads decimal commas", async () => {
    const semi = await readTransactions(file("semi.csv", "Kunde;Datum;Betrag\nk1;03.04.2024;1.234,5\n"), {
      columns: { customerId: "Kunde", date: "Datum", amount: "Betrag" },
      dateFormat: "DD/MM/YYYY",
      decimal: ",",
    });
    expect(semi.transactions).toEqual([{ customerId: "k1", date: new Date("2024-04-03T00:00:00Z"), amount: 1234.5 }]);
    const tab = await readTransactions(file("tab.tsv", "customerId\tdate\tamount\na\t2024-01-01\t2\n"));
    expect(tab.transactions[0].amount).toBe(2);
  });

  it("readTransactions(CDNOW_sample.txt, whitespace, no header) reads 6,919 rows of 2,357 customers", async () => {
    // Reference: shared/data/cdnow/README.md (6,919 transactions, 2,357 customers, 8 zero-value rows).
    const { transactions, report } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
      format: "csv",
      delimiter: "whitespace",
      header: false,
      names: ["masterId", "customerId", "date", "cds", "amount"],
      dateFormat: "YYYYMMDD",
    });
    expect([report.rowsRead, report.accepted, report.rejected, report.customers, report.zeroAmounts]).toEqual([6919, 6919, 0, 2357, 8]);
    expect(report.dateRange).toEqual({ from: "1997-01-01", to: "1998-06-30" });
    expect(transactions[0]).toEqual({
      customerId: "0001",
      date: new Date("1997-01-01T00:00:00Z"),
      amount: 29.33, // first line of the file: 00004 0001 19970101 2 29.33
      attributes: { masterId: "00004", cds: "2" },
    });
  });

  it("readTransactions(ndjson) streams lines and counts a line that is not JSON as malformed", async () => {
    const p = file(
      "t.ndjson",
      ['{"customerId":"a","date":"2024-01-01","amount":1}', "{not json", "", '{"customerId":"b","date":"2024-01-02","amount":"x"}', '"a string"'].join("\n"),
    );
    const { report } = await readTransactions(p, { mode: "lenient" });
    expect([report.rowsRead, report.accepted, report.rejected]).toEqual([4, 1, 3]);
    expect(report.rejectedByReason.map((r) => [r.reason, r.count])).toEqual([
      ["malformed-row", 2],
      ["invalid-amount", 1],
    ]);
    await expect(readTransactions(p)).rejects.toMatchObject({ name: "InvalidRecordError", row: 2, field: "*" });
  });

  it("readTransactions(json) reads an array of rows or { transactions: [...] }", async () => {
    const rows = [{ customerId: "a", date: "2024-01-01", amount: 1, items: ["x", " y "] }];
    const a = await readTransactions(file("a.json", JSON.stringify(rows)));
    const b = await readTransactions(file("b.json", JSON.stringify({ transactions: rows })));
    expect(a.transactions).toEqual(b.transactions);
    expect(a.transactions[0].items).toEqual(["x", "y"]);
  });

  it("readTransactions(array) validates in-memory rows like parseTransactions", async () => {
    const { report } = await readTransactions([{ customerId: "a", date: "2024-01-01", amount: 1 }]);
    expect(report.accepted).toBe(1);
  });

  describe("errors", () => {
    it("readTransactions reports a missing file as an IO_ERROR AnalyticsError and an unknown format as an option error", async () => {
      await expect(readTransactions(join(dir, "nope.csv"))).rejects.toMatchObject({ name: "AnalyticsError", code: "IO_ERROR" });
      await expect(readTransactions(join(dir, "nope.csv"))).rejects.toBeInstanceOf(AnalyticsError);
      await expect(readTransactions(file("x.avro", ""))).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(readTransactions(file("bad.json", "[{"))).rejects.toMatchObject({ code: "IO_ERROR" });
    });
  });
});
