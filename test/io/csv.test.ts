import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../src/index.js";

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

  it("toCsv([]) gives an empty string without columns, and a header with columns", () => {
    expect(toCsv([])).toBe("\n");
    expect(toCsv([], [{ header: "x", value: () => 1 }])).toBe("x\n");
  });
});
