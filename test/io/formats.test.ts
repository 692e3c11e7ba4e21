/**
 * The file formats beyond comma-separated text: whitespace-aligned text (detected), Excel
 * `.xlsx` and Parquet (fixtures in test/fixtures/io/, written by the scripts kept beside them).
 * Expected figures are hand-computed from the fixture rows (arithmetic in the comments) or, for
 * the CDNOW sample, taken from its README (rows, customers, zero-value rows) and `awk`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AnalyticsError,
  InvalidOptionError,
  InvalidRecordError,
  readTransactions,
  readTransactionTable,
  tableToTransactions,
  type ReadTransactionTableOptions,
  type TransactionTable,
} from "../../src/index.js";
import { importOptional } from "../../src/io/cells.js";

const FIX = "test/fixtures/io";
const XLSX = `${FIX}/transactions.xlsx`;
const GOOD_PQ = `${FIX}/good.parquet`;
const BAD_PQ = `${FIX}/bad.parquet`;
const tmp = mkdtempSync(join(tmpdir(), "ca-formats-"));

/** Net amount per customer id, rounded to cents (sums of 2-decimal amounts). */
function sums(t: TransactionTable): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (let i = 0; i < t.length; i++) {
    const id = t.ids[t.customer[i]];
    out[id] = (out[id] ?? 0) + t.amount[i];
  }
  for (const k of Object.keys(out)) out[k] = Math.round(out[k] * 100) / 100;
  return { ...out };
}

const isoDays = (t: TransactionTable): string[] => [...t.day].map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("readTransactionTable (whitespace-aligned text)", () => {
  it("readTransactionTable(CDNOW master shape with header) detects runs of spaces as the delimiter", async () => {
    const { table, report } = await readTransactionTable(`${FIX}/cdnow_master_head.txt`, { columns: { amount: "dollar_value" } });
    // The first 12 lines of CDNOW_sample.txt: customers 0001-0006.
    expect([report.rowsRead, report.accepted, report.rejected, report.customers]).toEqual([12, 12, 0, 6]);
    expect(report.columns).toMatchObject({ customerId: "customer_id", date: "date", amount: "dollar_value" });
    expect(sums(table)).toEqual({
      "0001": 100.5, // 29.33 + 29.73 + 14.96 + 26.48
      "0002": 75.11, // 63.34 + 11.77
      "0003": 6.79,
      "0004": 13.97,
      "0005": 23.94,
      "0006": 146.94, // 35.99 + 32.99 + 77.96
    });
    expect(isoDays(table).slice(0, 4)).toEqual(["1997-01-01", "1997-01-18", "1997-08-02", "1997-12-12"]);
    expect(table.attributes?.get("number_of_cds")?.values.slice(0, 4)).toEqual(["2", "1", "3", "4"]);
  });

  it("readTransactionTable(CDNOW_sample.txt, no delimiter given) reads the README's 6,919 rows, 2,357 customers and 8 zero-value rows", async () => {
    const { table, report } = await readTransactionTable("../shared/data/cdnow/CDNOW_sample.txt", {
      header: false, names: ["masterId", "customerId", "date", "cds", "amount"],
    });
    expect([report.rowsRead, report.accepted, report.rejected, report.customers, report.zeroAmounts]).toEqual([6919, 6919, 0, 2357, 8]);
    expect(report.dateRange).toEqual({ from: "1997-01-01", to: "1998-06-30" });
    let total = 0;
    for (const a of table.amount) total += a;
    // awk '{s+=$5} END {printf "%.2f", s}' CDNOW_sample.txt  =>  244091.94
    expect(total).toBeCloseTo(244091.94, 6);
    // The same table as with the delimiter given (the existing, explicit path).
    const given = await readTransactionTable("../shared/data/cdnow/CDNOW_sample.txt", {
      delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"],
    });
    expect([...given.table.amount]).toEqual([...table.amount]);
    expect(given.table.ids).toEqual(table.ids);
  });

  it("readTransactionTable(comma CSV) still prefers a character delimiter over whitespace", async () => {
    const csv = "customer,date,amount,note\nc1,2024-01-05,3,two words\nc2,2024-01-06,4,more words here\n";
    const { table, report } = await readTransactionTable(new TextEncoder().encode(csv));
    expect([report.accepted, table.attributes?.get("note")?.values]).toEqual([2, ["two words", "more words here"]]);
  });

  describe("errors", () => {
    it("a file read as one column whose first line has spaced words raises InvalidOptionError naming delimiter: whitespace", async () => {
      // Header "customer id    order date   amount" splits into 6 words, the rows into 3: not detected.
      const e = await rejects(readTransactionTable(`${FIX}/spaced_names.txt`));
      expect(e).toBeInstanceOf(InvalidOptionError);
      const err = e as InvalidOptionError;
      expect([err.option, err.value]).toEqual(["delimiter", undefined]);
      expect(err.expected).toContain('looks whitespace-separated: pass delimiter: "whitespace"');
      expect(err.message).toContain('"customer id    order date   amount"');
    });

    it("the hint is given also when a wrong delimiter is named", async () => {
      const e = (await rejects(readTransactionTable(`${FIX}/cdnow_master_head.txt`, { delimiter: ";" }))) as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["delimiter", ";"]);
      expect(e.expected).toContain('pass delimiter: "whitespace"');
    });

    it("with header: false and several names, a one-field first row gets the hint too (not a malformed row per line)", async () => {
      const bytes = new TextEncoder().encode("c1 2024-01-05 3\nc2 2024-01-06  4 x\n");
      const e = (await rejects(readTransactionTable(bytes, { header: false, names: ["customerId", "date", "amount"] }))) as InvalidOptionError;
      expect([e.name, e.option]).toEqual(["InvalidOptionError", "delimiter"]);
    });
  });
});

describe("readTransactionTable (.xlsx)", () => {
  it("readTransactionTable(xlsx) reads the first sheet: date cells, serials, text dates, formulas, rich text, empty cells", async () => {
    const { table, report } = await readTransactionTable(XLSX);
    // 6 rows written, one blank (skipped, not counted, as a blank CSV line): 5 data rows.
    expect([report.rowsRead, report.accepted, report.rejected, report.returns, report.customers]).toEqual([5, 5, 0, 1, 3]);
    expect(report.columns).toMatchObject({ customerId: "Customer ID", date: "Invoice Date", amount: "Amount", orderId: "Order" });
    expect(sums(table)).toEqual({
      "1001": 37.5, // 12.5 + 25 (the formula C2*2's cached result)
      A7: 37.5, // "30.25" (text) + 7.25
      "1002": -5,
    });
    // A date cell; the plain number 45300 in the date column is an Excel serial: from 61 on, serials
    // count days from 1899-12-30 (45292 is 2024-01-01), so 45300 is 2024-01-09; a text date; a date
    // cell with a time (23:30) keeps its day.
    expect(isoDays(table)).toEqual(["2024-01-05", "2024-01-09", "2024-02-01", "2024-03-01", "2024-03-02"]);
    const recs = tableToTransactions(table);
    expect(recs.map((r) => r.attributes?.Region ?? null)).toEqual(["north", "south", "north", "south", null]);
  });

  it("readTransactionTable(xlsx) reads Excel dates as the day they show, whatever timeZone says", async () => {
    const utc = await readTransactionTable(XLSX);
    for (const timeZone of ["America/Los_Angeles", "+14:00"]) {
      const { table } = await readTransactionTable(XLSX, { timeZone });
      expect(isoDays(table)).toEqual(isoDays(utc.table));
    }
  });

  it("readTransactionTable(bytes of an xlsx) detects the zip signature; format: 'xlsx' reads a stream", async () => {
    const bytes = readFileSync(XLSX);
    const a = await readTransactionTable(new Uint8Array(bytes));
    expect(a.report.accepted).toBe(5);
    async function* chunks() {
      for (let k = 0; k < bytes.length; k += 1000) yield bytes.subarray(k, k + 1000);
    }
    const b = await readTransactionTable(chunks(), { format: "xlsx" });
    expect([...b.table.amount]).toEqual([...a.table.amount]);
  });

  it("readTransactionTable(xlsx, { sheet, mode: 'lenient' }) accounts for every row: accepted + rejected = read", async () => {
    const { table, report } = await readTransactionTable(XLSX, { sheet: "Bad", mode: "lenient" });
    expect([report.rowsRead, report.accepted, report.rejected]).toEqual([4, 1, 3]);
    expect(table.ids).toEqual(["B1"]);
    const byReason = Object.fromEntries(report.rejectedByReason.map((r) => [r.reason, r.examples.map((x) => [x.row, x.field, x.value])]));
    expect(byReason).toEqual({
      "invalid-amount": [[2, "Amount", "abc"], [4, "Amount", { error: "#N/A" }]],
      "missing-date": [[3, "Invoice Date", undefined]],
    });
  });

  it("readTransactions(xlsx, { sheet }) gives the records of the table", async () => {
    const { transactions } = await readTransactions(XLSX, { sheet: "Sales" });
    expect(transactions[0]).toEqual({ customerId: "1001", date: new Date("2024-01-05T00:00:00Z"), amount: 12.5, orderId: "o1", attributes: { Region: "north" } });
  });

  it("readTransactionTable(xlsx) reads date serials in the 1900 and 1904 systems; 60, times only and epoch numbers as documented", async () => {
    const ExcelJS = (await import("exceljs")).default;
    const write = async (date1904: boolean, dates: unknown[]) => {
      const wb = new ExcelJS.Workbook();
      if (date1904) wb.properties.date1904 = true;
      const ws = wb.addWorksheet("S");
      ws.addRow(["customer", "date", "amount"]);
      dates.forEach((d, k) => ws.addRow([`c${k}`, d, 1]));
      return new Uint8Array(await wb.xlsx.writeBuffer());
    };
    // 1900 system: 1 = 1900-01-01 and 59 = 1900-02-28 (counted from 1899-12-31), 61 = 1900-03-01
    // (from 1899-12-30, past the fictitious 60 = 1900-02-29); 1704412800000 = 2024-01-05 in epoch ms.
    const a = await readTransactionTable(await write(false, [1, 59, 61, 45292.75, 1704412800000, 60, 0.5]), { mode: "lenient" });
    expect(isoDays(a.table)).toEqual(["1900-01-01", "1900-02-28", "1900-03-01", "2024-01-01", "2024-01-05"]);
    expect(a.report.rejectedByReason.map((r) => [r.reason, r.examples.map((x) => [x.row, x.value])])).toEqual([["invalid-date", [[6, "60"], [7, "0.5"]]]]);
    // 1904 system: 0 = 1904-01-01, 43830 = 2024-01-01 (45292 - 1462).
    const b = await readTransactionTable(await write(true, [0, 43830]));
    expect(isoDays(b.table)).toEqual(["1904-01-01", "2024-01-01"]);
  });

  describe("errors", () => {
    it("strict mode names the row, field and value of the first bad xlsx row", async () => {
      const e = (await rejects(readTransactionTable(XLSX, { sheet: "Bad" }))) as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "Amount", "abc"]);
      expect(e.message).toMatch(/^readTransactionTable: row 2, field "Amount": got "abc"/);
    });

    it("an unknown sheet name is an InvalidOptionError listing the sheets", async () => {
      const e = (await rejects(readTransactionTable(XLSX, { sheet: "Sheet1" }))) as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["sheet", "Sheet1"]);
      expect(e.expected).toContain('"Sales", "Bad"');
    });

    it("sheet on a non-xlsx source, and a broken workbook, are typed errors", async () => {
      const e = (await rejects(readTransactionTable(`${FIX}/cdnow_master_head.txt`, { sheet: "Sales" }))) as InvalidOptionError;
      expect([e.option, e.value]).toEqual(["sheet", "Sales"]);
      const broken = join(tmp, "broken.xlsx");
      writeFileSync(broken, "PK\u0003\u0004 not really a zip");
      const b = (await rejects(readTransactionTable(broken))) as AnalyticsError;
      expect([b.name, b.code]).toEqual(["AnalyticsError", "IO_ERROR"]);
      expect(b.message).toContain("is not a readable .xlsx workbook");
    });

    it("a workbook that would not fit in memoryLimit is TOO_LARGE before it is loaded", async () => {
      const size = readFileSync(XLSX).length;
      const e = (await rejects(readTransactionTable(XLSX, { memoryLimit: size * 10 }))) as AnalyticsError;
      expect([e.code, e.message.includes("Export the sheet to CSV or Parquet")]).toEqual(["TOO_LARGE", true]);
      // The same limit with room for 64 bytes per file byte reads it.
      expect((await readTransactionTable(XLSX, { memoryLimit: size * 64 })).report.accepted).toBe(5);
    });

    it("a missing column named in columns is an option error before any row", async () => {
      const e = (await rejects(readTransactionTable(XLSX, { columns: { amount: "Revenue" } }))) as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("columns.amount");
    });
  });
});

describe("readTransactionTable (.parquet)", () => {
  it("readTransactionTable(parquet) reads BIGINT ids exactly, DATE, DOUBLE, VARCHAR, INTEGER and NULL", async () => {
    const { table, report } = await readTransactionTable(GOOD_PQ);
    expect([report.rowsRead, report.accepted, report.rejected, report.returns, report.customers]).toEqual([4, 4, 0, 1, 2]);
    // 9007199254740993 = 2^53 + 1 has no double: the id must be its exact text.
    expect(sums(table)).toEqual({ "9007199254740993": 37.5 /* 12.5 + 25 */, "42": 25.25 /* 30.25 - 5 */ });
    expect(isoDays(table)).toEqual(["2024-01-05", "2024-01-06", "2024-02-01", "2024-03-01"]);
    expect([...table.order]).toEqual([0, 1, -1, 2]); // the NULL order id is "no order"
    const recs = tableToTransactions(table);
    expect(recs.map((r) => r.attributes?.units)).toEqual([2, 1, null, 1]);
  });

  it("readTransactionTable(parquet) reads a zone-less TIMESTAMP as the day it names and a TIMESTAMPTZ as an instant in timeZone", async () => {
    const opts: ReadTransactionTableOptions = { mode: "lenient", timeZone: "+05:00" };
    // b1 at 2024-01-10 23:30: the TIMESTAMP stays on the 10th; the TIMESTAMPTZ (UTC) is the 11th at +05:00.
    const local = await readTransactionTable(BAD_PQ, { ...opts, columns: { date: "ts" } });
    const instant = await readTransactionTable(BAD_PQ, { ...opts, columns: { date: "tstz" } });
    expect(isoDays(local.table)).toEqual(["2024-01-10"]);
    expect(isoDays(instant.table)).toEqual(["2024-01-11"]);
  });

  it("readTransactionTable(parquet, lenient) accounts for every row: accepted + rejected = read", async () => {
    const { report } = await readTransactionTable(BAD_PQ, { mode: "lenient", columns: { date: "ts" } });
    expect([report.rowsRead, report.accepted, report.rejected]).toEqual([4, 1, 3]);
    const byReason = Object.fromEntries(report.rejectedByReason.map((r) => [r.reason, r.examples.map((x) => [x.row, x.field, x.value])]));
    expect(byReason).toEqual({
      "invalid-amount": [[2, "amount", "abc"]],
      "missing-date": [[3, "ts", null]],
      "missing-customerId": [[4, "customer", null]],
    });
  });

  it("readTransactionTable(parquet, { memoryLimit }) refuses a table that would not fit before reading rows (TOO_LARGE)", async () => {
    const e = (await rejects(readTransactionTable(GOOD_PQ, { memoryLimit: 10 }))) as AnalyticsError;
    expect(e.code).toBe("TOO_LARGE");
    expect(e.message).toContain("about 4 rows");
  });

  it("readTransactionTable(parquet) reads LIST columns as item lists (INT64 items as exact text)", async () => {
    const text = await readTransactionTable(`${FIX}/items.parquet`, { columns: { items: "products" } });
    expect(tableToTransactions(text.table).map((t) => t.items)).toEqual([["tea", "milk"], ["bread"], []]);
    const ints = await readTransactionTable(`${FIX}/items.parquet`, { columns: { items: "sku" } });
    expect(tableToTransactions(ints.table).map((t) => t.items)).toEqual([["9007199254740993", "7"], ["7"], undefined]);
    expect(sums(ints.table)).toEqual({ c1: 13, c2: 4.5 }); // 10 + 3; 4.5
  });

  it("readTransactionTable(bytes of a parquet file) detects the PAR1 signature", async () => {
    const { report } = await readTransactionTable(new Uint8Array(readFileSync(GOOD_PQ)));
    expect(report.accepted).toBe(4);
  });

  describe("errors", () => {
    it("strict mode names the row, field and value of the first bad parquet row", async () => {
      const e = (await rejects(readTransactionTable(BAD_PQ, { columns: { date: "ts" } }))) as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "amount", "abc"]);
    });

    it("a file that is not Parquet is IO_ERROR; a missing file is IO_ERROR naming it", async () => {
      const notPq = join(tmp, "x.parquet");
      writeFileSync(notPq, "customer,date,amount\n");
      const a = (await rejects(readTransactionTable(notPq))) as AnalyticsError;
      expect([a.code, a.message.includes("is not a readable Parquet file")]).toEqual(["IO_ERROR", true]);
      const b = (await rejects(readTransactionTable(join(tmp, "missing.parquet")))) as AnalyticsError;
      expect([b.code, b.message.includes("missing.parquet")]).toEqual(["IO_ERROR", true]);
    });
  });
});

describe("readTransactionTable (format choice)", () => {
  it("an unknown extension or format, and .xls, are InvalidOptionError naming the formats", async () => {
    const e = (await rejects(readTransactionTable(join(tmp, "old.xls")))) as InvalidOptionError;
    expect([e.option, e.value]).toEqual(["format", "xls"]);
    expect(e.expected).toContain('"xlsx" or "parquet"');
    expect(e.expected).toContain("save the sheet as .xlsx or CSV");
    const f = (await rejects(readTransactionTable(XLSX, { format: "excel" as never }))) as InvalidOptionError;
    expect([f.option, f.value]).toEqual(["format", "excel"]);
  });

  it("an explicit format wins over the extension", async () => {
    const copy = join(tmp, "data.bin");
    writeFileSync(copy, readFileSync(GOOD_PQ));
    const { report } = await readTransactionTable(copy, { format: "parquet" });
    expect(report.accepted).toBe(4);
  });

  it("encoding must be a text encoding (a string union, no Node type)", async () => {
    const e = (await rejects(readTransactionTable(new Uint8Array(0), { encoding: "hex" as never }))) as InvalidOptionError;
    expect([e.option, e.value]).toEqual(["encoding", "hex"]);
  });

  it("a missing optional package is DEPENDENCY_FAILED naming the package to install", async () => {
    const e = (await rejects(importOptional("readTransactionTable", "no-such-package-ca-test", "reading .xlsx files"))) as AnalyticsError;
    expect([e.code, e.message]).toEqual([
      "DEPENDENCY_FAILED",
      expect.stringMatching(/^readTransactionTable: reading \.xlsx files needs the optional package "no-such-package-ca-test".*npm install no-such-package-ca-test$/),
    ]);
    expect(e.cause).toBeInstanceOf(Error);
  });
});
