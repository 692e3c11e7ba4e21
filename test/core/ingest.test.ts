import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectColumns, InvalidOptionError, InvalidRecordError, parseTransactions } from "../../src/index.js";

const iso = (d: Date) => d.toISOString().slice(0, 10);

describe("parseTransactions", () => {
  it("parseTransactions(rows) reads ISO dates, numeric strings and numbers as customer ids", () => {
    const { transactions, report } = parseTransactions([
      { customerId: 17, date: "2024-02-29", amount: "12.50" },
      { customerId: " b ", date: "2024-03-01T23:59:59", amount: -3 },
    ]);
    expect(transactions.map((t) => [t.customerId, iso(t.date), t.amount])).toEqual([
      ["17", "2024-02-29", 12.5],
      ["b", "2024-03-01", -3],
    ]);
    expect(report).toMatchObject({ rowsRead: 2, accepted: 2, rejected: 0, returns: 1, customers: 2, dateRange: { from: "2024-02-29", to: "2024-03-01" } });
  });

  it("parseTransactions(rows, { dateFormat }) reads YYYYMMDD, DD/MM/YYYY, MM/DD/YYYY and epoch seconds/milliseconds", () => {
    const one = (date: unknown, dateFormat: Parameters<typeof parseTransactions>[1] extends infer O ? O extends { dateFormat?: infer F } ? F : never : never) =>
      iso(parseTransactions([{ customerId: "a", date, amount: 1 }], { dateFormat }).transactions[0].date);
    expect(one("19970101", "YYYYMMDD")).toBe("1997-01-01");
    expect(one(19970102, "YYYYMMDD")).toBe("1997-01-02");
    expect(one("19970103", "auto")).toBe("1997-01-03");
    expect(one("03/04/2024", "DD/MM/YYYY")).toBe("2024-04-03");
    expect(one("03/04/2024", "MM/DD/YYYY")).toBe("2024-03-04");
    expect(one("3.4.2024 10:15", "DD/MM/YYYY")).toBe("2024-04-03");
    expect(one(1_700_000_000, "epoch-s")).toBe("2023-11-14");
    expect(one(1_700_000_000_000, "epoch-ms")).toBe("2023-11-14");
    expect(one(1_700_000_000_000, "auto")).toBe("2023-11-14");
    expect(one(new Date("2024-05-06T22:00:00Z"), "auto")).toBe("2024-05-06");
  });

  it("parseTransactions(rows, { timeZone }) turns instants into calendar days in that zone; plain dates stay as named", () => {
    const rows = [
      { customerId: "a", date: "2024-03-01T23:30:00-05:00", amount: 1 }, // 04:30Z on March 2
      { customerId: "a", date: "2024-03-01", amount: 1 },
      { customerId: "a", date: "2024-07-01T01:00:00Z", amount: 1 },
    ];
    expect(parseTransactions(rows).transactions.map((t) => iso(t.date))).toEqual(["2024-03-02", "2024-03-01", "2024-07-01"]);
    expect(parseTransactions(rows, { timeZone: "America/New_York" }).transactions.map((t) => iso(t.date))).toEqual([
      "2024-03-01",
      "2024-03-01",
      "2024-06-30",
    ]);
    expect(parseTransactions(rows, { timeZone: "-05:00" }).transactions.map((t) => iso(t.date))).toEqual(["2024-03-01", "2024-03-01", "2024-06-30"]);
  });

  it("parseTransactions(rows) reads ISO years 0000-0099 as written, not as 1900-1999, in every format (audit D21)", () => {
    const days = (dates: unknown[], dateFormat: "auto" | "iso" | "YYYYMMDD" | "DD/MM/YYYY" | "MM/DD/YYYY" = "auto", timeZone = "UTC") =>
      parseTransactions(dates.map((date) => ({ customerId: "a", date, amount: 1 })), { dateFormat, timeZone, mode: "lenient" }).transactions.map((t) =>
        iso(t.date),
      );
    // Expected: the dates as named (proleptic Gregorian, ISO 8601 year 0000 = 1 BC), as
    // `new Date("0099-06-01")` reads them; before the fix every one was an invalid date.
    expect(days(["0099-06-01", "0001-01-01", "0000-01-01", "0096-02-29", "00990101", "0050-03-01T10:00:00Z", "0050-03-01T10:00:00"])).toEqual([
      "0099-06-01", "0001-01-01", "0000-01-01", "0096-02-29", "0099-01-01", "0050-03-01", "0050-03-01",
    ]);
    expect(days(["01/06/0099"], "DD/MM/YYYY")).toEqual(["0099-06-01"]);
    expect(days(["06/01/0099"], "MM/DD/YYYY")).toEqual(["0099-06-01"]);
    expect(days(["0050-03-01T03:00:00Z"], "auto", "America/New_York")).toEqual(["0050-02-28"]); // LMT -4:56:02 in Intl
    // Still impossible: 99 and 1900 are not leap years, whatever Date.UTC's 1900 mapping said.
    expect(days(["0099-02-29", "0100-02-29", "1900-02-29"])).toEqual([]);
    // Invariant: every day of years 0000-0119 reads back as itself (the Date object is the reference).
    const first = Date.UTC(2000, 0, 1) / 864e5 - 730485; // 0000-01-01 (730485 days before 2000-01-01)
    const all = Array.from({ length: 120 * 366 }, (_, k) => new Date((first + k) * 864e5).toISOString().slice(0, 10));
    expect(days(all)).toEqual(all);
    expect(days(all.map((s) => s.replaceAll("-", "")), "YYYYMMDD")).toEqual(all);
  });

  it("parseTransactions(rows) reads a leap second 23:59:60 as the day it names with and without an offset (audit D21)", () => {
    const rows = ["2016-12-31T23:59:60Z", "2016-12-31T23:59:60", "2016-12-31T23:59:60.5+00:00", "2016-12-31T18:59:60-05:00", "2016-12-31T23:59:61Z"].map(
      (date) => ({ customerId: "a", date, amount: 1 }),
    );
    // Before the fix the offset forms were invalid dates (Date.parse rejects second 60).
    const { transactions, report } = parseTransactions(rows, { mode: "lenient" });
    expect(transactions.map((t) => iso(t.date))).toEqual(["2016-12-31", "2016-12-31", "2016-12-31", "2016-12-31"]);
    expect(report.rejectedByReason.map((r) => [r.reason, r.count, r.examples[0].value])).toEqual([["invalid-date", 1, "2016-12-31T23:59:61Z"]]);
  });

  it("parseTransactions(rows, { decimal: ',' }) reads decimal commas and dot thousands; '.' mode accepts only well-formed comma thousands", () => {
    const amounts = (values: unknown[], decimal: "." | ",") =>
      parseTransactions(values.map((amount) => ({ customerId: "a", date: "2024-01-01", amount })), { decimal, mode: "lenient" });
    const comma = amounts(["1.234,56", "12,5", "-7", "1 000,25"], ",");
    expect(comma.transactions.map((t) => t.amount)).toEqual([1234.56, 12.5, -7, 1000.25]);
    const dot = amounts(["1,234.5", "12,5", "1e3", "$4"], ".");
    expect(dot.transactions.map((t) => t.amount)).toEqual([1234.5, 1000]);
    expect(dot.report.rejectedByReason).toEqual([
      {
        reason: "invalid-amount",
        count: 2,
        examples: [
          { row: 2, field: "amount", value: "12,5", message: 'got "12,5", expected a finite number (decimal separator ".")' },
          { row: 4, field: "amount", value: "$4", message: 'got "$4", expected a finite number (decimal separator ".")' },
        ],
      },
    ]);
  });

  it("parseTransactions(rows, { mode: 'lenient' }) sets bad rows aside so accepted + rejected = rows read", () => {
    const rows = [
      { customerId: "a", date: "2024-01-01", amount: 1 },
      { customerId: "", date: "2024-01-01", amount: 1 },
      { customerId: "b", date: "2023-02-29", amount: 1 },
      { customerId: "c", date: "", amount: 1 },
      { customerId: "d", date: "2024-01-01", amount: "abc" },
      { customerId: "e", date: "2024-01-01", amount: Infinity },
      { customerId: "f", date: "2024-01-01" },
      { customerId: "g", date: "2024-01-01", amount: 0 },
      { customerId: "h", date: "2024-13-01", amount: 1 },
    ];
    const { transactions, report } = parseTransactions(rows, { mode: "lenient", maxExamples: 1 });
    expect(transactions.map((t) => t.customerId)).toEqual(["a", "g"]);
    expect(report.accepted + report.rejected).toBe(report.rowsRead);
    expect(report.rowsRead).toBe(9);
    expect(report.zeroAmounts).toBe(1);
    expect(report.rejectedByReason.map((r) => [r.reason, r.count, r.examples.length, r.examples[0].row])).toEqual([
      ["missing-customerId", 1, 1, 2],
      ["invalid-date", 2, 1, 3],
      ["missing-date", 1, 1, 4],
      ["invalid-amount", 2, 1, 5],
      ["missing-amount", 1, 1, 7],
    ]);
  });

  it("parseTransactions counts exact repeated rows, and drops them on request", () => {
    const rows = [
      { customerId: "a", date: "2024-01-01", amount: 5 },
      { customerId: "a", date: "2024-01-01", amount: 5 },
      { customerId: "a", date: "2024-01-01", amount: 6 },
    ];
    const kept = parseTransactions(rows);
    expect([kept.report.duplicates, kept.report.accepted, kept.report.rejected]).toEqual([1, 3, 0]);
    const dropped = parseTransactions(rows, { duplicates: "drop" });
    expect([dropped.report.duplicates, dropped.report.accepted, dropped.report.rejected]).toEqual([1, 2, 1]);
    expect(dropped.report.rejectedByReason[0].reason).toBe("duplicate");
  });

  it("parseTransactions treats amounts 0 and -0, and '5' and 5.0, as the same value, but not 0.1 + 0.2 and 0.3", () => {
    const rows = [
      { customerId: "a", date: "2024-01-01", amount: 0 },
      { customerId: "a", date: "2024-01-01", amount: -0 },
      { customerId: "a", date: "2024-01-02", amount: "5" },
      { customerId: "a", date: "2024-01-02", amount: 5.0 },
      { customerId: "a", date: "2024-01-03", amount: 0.1 + 0.2 },
      { customerId: "a", date: "2024-01-03", amount: 0.3 },
    ];
    expect(parseTransactions(rows).report.duplicates).toBe(2);
  });

  it("parseTransactions counts duplicates exactly like a brute-force count of repeated rows (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ customerId: fc.constantFrom("a", "b"), date: fc.constantFrom("2024-01-01", "2024-01-02"), amount: fc.integer({ min: -1, max: 2 }), orderId: fc.constantFrom("", "o1") }), { maxLength: 60 }),
        (rows) => {
          const keys = rows.map((r) => JSON.stringify([r.customerId, r.date, r.amount, r.orderId]));
          const brute = keys.length - new Set(keys).size;
          expect(parseTransactions(rows).report.duplicates).toBe(brute);
          const dropped = parseTransactions(rows, { duplicates: "drop" });
          expect(dropped.report.accepted).toBe(new Set(keys).size);
          expect(dropped.report.accepted + dropped.report.rejected).toBe(rows.length);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it("parseTransactions detects common column names and keeps other columns as attributes", () => {
    const { transactions, report } = parseTransactions([
      { CustomerID: "c1", InvoiceDate: "2024-01-01", Revenue: "9.5", InvoiceNo: 101, Product: "tea | milk", region: "north" },
    ]);
    expect(report.columns).toEqual({ customerId: "CustomerID", date: "InvoiceDate", amount: "Revenue", orderId: "InvoiceNo", items: "Product" });
    expect(transactions[0]).toEqual({
      customerId: "c1",
      date: new Date("2024-01-01T00:00:00Z"),
      amount: 9.5,
      orderId: "101",
      items: ["tea", "milk"],
      attributes: { region: "north" },
    });
  });

  it("parseTransactions(transactions) passes validated transactions through unchanged", () => {
    const tx = [{ customerId: "a", date: new Date("2024-01-02T00:00:00Z"), amount: 3, orderId: "o", items: ["x"], channel: "web", attributes: { region: "n" } }];
    expect(parseTransactions(tx).transactions).toEqual(tx);
  });

  it("parseTransactions accepts __proto__ and constructor as customer ids and as column values", () => {
    const { transactions } = parseTransactions([
      { customerId: "__proto__", date: "2024-01-01", amount: 1, note: "x" },
      { customerId: "constructor", date: "2024-01-01", amount: 2 },
    ]);
    expect(transactions.map((t) => t.customerId)).toEqual(["__proto__", "constructor"]);
  });

  it("parseTransactions reads a DataFrame-like object (columns + values)", () => {
    const { transactions } = parseTransactions({ columns: ["customerId", "date", "amount"], values: [["a", "2024-01-02", 3]] });
    expect(transactions).toEqual([{ customerId: "a", date: new Date("2024-01-02T00:00:00Z"), amount: 3 }]);
  });

  describe("errors", () => {
    it("parseTransactions in strict mode throws InvalidRecordError naming row, field and raw value", () => {
      const rows = [
        { customerId: "a", date: "2024-01-01", amount: 1 },
        { customerId: "a", date: "31/02/2024", amount: 1 },
      ];
      expect(() => parseTransactions(rows)).toThrow(InvalidRecordError);
      try {
        parseTransactions(rows);
        expect.unreachable();
      } catch (e) {
        const err = e as InvalidRecordError;
        expect([err.code, err.row, err.field, err.value]).toEqual(["INVALID_RECORD", 2, "date", "31/02/2024"]);
        expect(err.message).toContain('parseTransactions: row 2, field "date": got "31/02/2024", expected a valid calendar date');
        expect(err.message).toContain("set dateFormat for DD/MM/YYYY");
      }
    });

    it("parseTransactions names the missing required column and the columns it found", () => {
      expect(() => parseTransactions([{ who: "a", when: "2024-01-01", amount: 1 }])).toThrow(
        expect.objectContaining({ name: "InvalidOptionError", option: "columns.customerId" }),
      );
      expect(() => parseTransactions([{ who: "a", when: "2024-01-01", amount: 1 }])).toThrow(/found columns \["who","when","amount"\]/);
    });

    it("parseTransactions(DataFrame with columns amount, amount) throws InvalidOptionError naming the column instead of reading the last one (audit D11)", () => {
    const df = { columns: ["customer_id", "date", "amount", "amount", "tag", "tag"], values: [["a", "2024-01-01", 10, 99, "x", "y"]] };
    // Before the fix: amount 99 and tag "y", the first values silently lost.
    try {
      parseTransactions(df);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "columns.amount", value: "amount", expected: expect.stringContaining('"amount" (column 3), "amount.1" (column 4)') });
    }
    const { transactions } = parseTransactions(df, { columns: { amount: "amount.1" } });
    expect(transactions).toMatchObject([{ amount: 99, attributes: { amount: 10, tag: "x", "tag.1": "y" } }]);
    // The choices are the new names, also when a suffix was taken (pandas: amount.1, amount, amount -> amount.1, amount, amount.1.1).
    expect(() => parseTransactions({ columns: ["customer_id", "date", "amount.1", "amount", "amount"], values: [] })).toThrow(
      expect.objectContaining({ expected: expect.stringContaining('one of "amount" (column 4), "amount.1.1" (column 5)') }),
    );
  });

  it("parseTransactions rejects unknown options", () => {
      expect(() => parseTransactions([], { mode: "loose" as "strict" })).toThrow(InvalidOptionError);
      expect(() => parseTransactions([], { timeZone: "Mars/Olympus" })).toThrow(/timeZone/);
      expect(() => parseTransactions(42 as unknown as [])).toThrow(InvalidOptionError);
    });
  });
});

describe("detectColumns", () => {
  it("detectColumns(names) ignores case and separators; explicit fields win", () => {
    expect(detectColumns(["customer_id", "Order Date", "TOTAL"])).toEqual({ customerId: "customer_id", date: "Order Date", amount: "TOTAL" });
    expect(detectColumns(["id", "date", "value", "amount"], { amount: "value" })).toEqual({ customerId: "id", date: "date", amount: "value" });
  });
});
