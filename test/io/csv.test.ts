import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { parseTransactions, toCsv } from "../../src/index.js";

describe("toCsv", () => {
  it("toCsv(rows) quotes commas, quotes and newlines (RFC 4180) and round-trips through a CSV parser", () => {
    const rows = [{ id: 'a,"b"', note: "line1\nline2", n: 1.5, when: new Date("2024-01-02T00:00:00Z"), items: ["x", "y"], none: null }];
    const text = toCsv(rows);
    expect(text).toBe('id,note,n,when,items,none\n"a,""b""","line1\nline2",1.5,2024-01-02,x|y,\n');
    const parsed = Papa.parse<string[]>(text.trim()).data;
    expect(parsed[1]).toEqual(['a,"b"', "line1\nline2", "1.5", "2024-01-02", "x|y", ""]);
  });

  it("toCsv(rows) defuses spreadsheet formulas in text cells but keeps negative numbers", () => {
    expect(toCsv([{ a: "=SUM(A1)", b: -5, c: "@x" }])).toBe("a,b,c\n'=SUM(A1),-5,'@x\n");
  });

  it("toCsv(parseTransactions([{ items: '=HYPERLINK(\"http://x\")|b' }]).transactions) defuses the formula in the joined array cell (audit D10)", () => {
    const { transactions } = parseTransactions([{ customer_id: "a", date: "2024-01-01", amount: 1, items: '=HYPERLINK("http://x")|b' }]);
    // The audit's two repros: before the fix these cells were written unprefixed.
    expect(toCsv(transactions)).toBe('customerId,date,amount,items\na,2024-01-01,1,"\'=HYPERLINK(""http://x"")|b"\n');
    expect(toCsv([{ id: "a", items: ["=cmd|' /C calc'!A0", "b"] }])).toBe("id,items\na,'=cmd|' /C calc'!A0|b\n");
    // Every formula start, as for text cells; an array that does not start with one is unchanged.
    for (const c of ["=", "+", "-", "@", "\t", "\r"]) expect(toCsv([{ v: [`${c}1`, "x"] }]).split("\n")[1].replace(/^"/, "")).toMatch(/^'/);
    expect(toCsv([{ v: ["b", "=x"] }])).toBe("v\nb|=x\n");
    // Read back, the cell is the prefixed text (the spreadsheet shows it, never runs it).
    expect(Papa.parse<string[]>(toCsv([{ v: ["=1+1", "b"] }]).trim()).data[1]).toEqual(["'=1+1|b"]);
  });

  it("toCsv([]) gives an empty string without columns, and a header with columns", () => {
    expect(toCsv([])).toBe("\n");
    expect(toCsv([], [{ header: "x", value: () => 1 }])).toBe("x\n");
  });
});
