import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  InvalidOptionError,
  InvalidRecordError,
  parseTransactions,
  parseTransactionTable,
  tableToTransactions,
  toTransactionTable,
  type ParseTransactionsOptions,
  type TransactionTable,
} from "../../src/index.js";
import { legacyParseTransactions } from "./ingestLegacy.js";

/** A seeded generator of raw rows exercising every rule: returns, same-day orders, items, attributes, every reject reason. */
function messyRows(n: number, seed: number): Record<string, unknown>[] {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const q = rnd(); // a second, independent draw for the optional columns' faults
    const day = 1 + Math.floor(rnd() * 28);
    const row: Record<string, unknown> = {
      customer_id: r < 0.02 ? "" : r < 0.03 ? "  " : r < 0.05 ? 17 : pick(["c1", " c2 ", "c3", "__proto__", "constructor", "ü-7", "c1"]),
      date:
        r < 0.06 ? "" : r < 0.07 ? "2023-02-29" : r < 0.08 ? "31/02/2024"
          : pick([`2024-03-${String(day).padStart(2, "0")}`, `202403${String(day).padStart(2, "0")}`, `2024-03-${String(day).padStart(2, "0")}T23:30:00-05:00`, new Date(Date.UTC(2024, 2, day, 13)), Date.UTC(2024, 2, day)]),
      amount: r < 0.09 ? undefined : r < 0.1 ? "abc" : r < 0.11 ? "12,5" : pick([5, -3, 0, "1,234.50", "7.25", " 8 ", -0, "0", 12.5]),
      order_id: pick([undefined, "", "o1", "o2", 42, ` o${day} `]),
      items: q < 0.02 ? { bad: true } : q < 0.04 ? ["ok", 3, null] : pick([undefined, null, "", "tea | milk", ["bread", " jam ", ""], 7, "x"]),
      cost: q > 0.98 ? "n/a" : pick([undefined, "", 1, "2.5", null]),
      margin: q > 0.96 && q <= 0.98 ? "--" : pick([undefined, "", 0.5, "1"]),
      channel: pick([undefined, "", "web", "store", 3]),
    };
    if (rnd() < 0.5) row.region = pick(["north", "south", undefined, 0, -0]);
    if (rnd() < 0.2) row.attributes = { tier: pick(["gold", "silver"]), region: "nested" };
    rows.push(row);
    if (rnd() < 0.08) rows.push({ ...row }); // exact repeats
  }
  return rows;
}

/** The columns of `toTransactionTable(records)` that a reader's table must equal. */
function coreColumns(t: TransactionTable) {
  return {
    length: t.length, ids: t.ids, customer: [...t.customer], day: [...t.day], amount: [...t.amount], order: [...t.order], orderIds: [...t.orderIds],
    cost: t.cost && [...t.cost], margin: t.margin && [...t.margin], channel: t.channel && { codes: [...t.channel.codes], values: t.channel.values },
  };
}

describe("parseTransactionTable", () => {
  it("parseTransactionTable(rows) validates rows into columns and the same report as parseTransactions", () => {
    const rows = [
      { customerId: "b", date: "2024-01-02", amount: "5", orderId: "o1", items: "x|y", channel: "web", region: "n" },
      { customerId: "a", date: "20240103", amount: -2 },
      { customerId: "b", date: "2024-01-02", amount: 5, orderId: "o1", items: ["x", "y"], channel: "web" },
    ];
    const { table, report } = parseTransactionTable(rows);
    expect(table.length).toBe(3);
    expect(table.ids).toEqual(["b", "a"]);
    expect([...table.index]).toEqual([["b", 0], ["a", 1]]);
    expect([...table.customer]).toEqual([0, 1, 0]);
    expect([...table.day]).toEqual([19724, 19725, 19724]); // 2024-01-02 is epoch day 19724 (Date.UTC(2024, 0, 2) / 86400000)
    expect([...table.amount]).toEqual([5, -2, 5]);
    expect([...table.order]).toEqual([0, -1, 0]);
    expect(table.orderIds).toEqual(["o1"]);
    expect(table.channel).toEqual({ codes: new Int32Array([0, -1, 0]), values: ["web"] });
    expect(table.items).toEqual({ offsets: new Int32Array([0, 2, 2, 4]), codes: new Int32Array([0, 1, 0, 1]), labels: ["x", "y"], missing: new Uint8Array([0, 1, 0]) });
    expect([...(table.attributes ?? [])].map(([k, c]) => [k, [...c.codes], c.values])).toEqual([["region", [0, -1, -1], ["n"]]]);
    expect(report).toEqual(parseTransactions(rows).report);
    expect(report.duplicates).toBe(1); // rows 1 and 3 are identical after parsing ("5" = 5, "x|y" = ["x","y"])
  });

  it("parseTransactionTable(rows) equals the record path's columns and the pre-columnar ingestion on 3,000 messy rows (lenient, keep and drop)", () => {
    const rows = messyRows(3000, 7);
    for (const duplicates of ["keep", "drop"] as const) {
      const options: ParseTransactionsOptions = { mode: "lenient", duplicates, maxExamples: 3 };
      const legacy = legacyParseTransactions(rows, options);
      const { table, report } = parseTransactionTable(rows, options);
      expect(report).toEqual(legacy.report);
      expect(tableToTransactions(table)).toEqual(legacy.transactions);
      expect(parseTransactions(rows, options)).toEqual(legacy);
      expect(coreColumns(table)).toEqual(coreColumns(toTransactionTable(legacy.transactions)));
      // Every reason is exercised, and every row is accounted for.
      expect(report.rejectedByReason.map((r) => r.reason).sort()).toEqual(
        ["duplicate", "invalid-amount", "invalid-cost", "invalid-date", "invalid-items", "invalid-margin", "missing-amount", "missing-customerId", "missing-date"].filter((r) => duplicates === "drop" || r !== "duplicate"),
      );
      expect(report.accepted + report.rejected).toBe(report.rowsRead);
    }
  });

  it("parseTransactionTable gives the pre-columnar results on random rows (fast-check)", () => {
    const cell = fc.oneof(
      fc.constantFrom(undefined, null, "", " ", "a", " b ", "x|y| z", "2024-02-29", "20240301", "2024-03-01T10:00:00Z", "1,234.5", "-0", "1e3", "abc"),
      fc.integer({ min: -5, max: 5 }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.array(fc.constantFrom("p", " q", "", "r"), { maxLength: 3 }),
    );
    const row = fc.record(
      { customerId: cell, date: fc.oneof(cell, fc.integer({ min: 0, max: 2e12 })), amount: cell, orderId: cell, items: cell, cost: cell, channel: cell, extra: cell },
      { requiredKeys: ["customerId", "date", "amount"] },
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.constantFrom<"keep" | "drop">("keep", "drop"), fc.constantFrom<"." | ",">(".", ","), (rows, duplicates, decimal) => {
        const options: ParseTransactionsOptions = { mode: "lenient", duplicates, decimal };
        const legacy = legacyParseTransactions(rows, options);
        const { table, report } = parseTransactionTable(rows, options);
        expect(report).toEqual(legacy.report);
        expect(tableToTransactions(table)).toEqual(legacy.transactions);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it("parseTransactionTable reads the Groceries baskets (9,835 lines) into the same items as the record path", () => {
    // ../shared/data/groceries/groceries.csv: one basket per line, items separated by ",".
    const lines = readFileSync("../shared/data/groceries/groceries.csv", "utf8").split("\n").filter((l) => l !== "");
    const rows = lines.map((items, i) => ({ customerId: `b${i % 1000}`, date: `2024-01-${String(1 + (i % 28)).padStart(2, "0")}`, amount: items.split(",").length, orderId: `o${i}`, items }));
    const legacy = legacyParseTransactions(rows, { itemSeparator: "," });
    const { table, report } = parseTransactionTable(rows, { itemSeparator: "," });
    expect(report).toEqual(legacy.report);
    expect(tableToTransactions(table)).toEqual(legacy.transactions);
    expect([table.length, table.items?.labels.length, table.items?.codes.length]).toEqual([9835, 169, 43367]); // 169 items, 43,367 item entries (groceries README)
  });

  it("parseTransactionTable keeps __proto__ and constructor columns and keys as data (audit D16)", () => {
    const rows = [JSON.parse('{"customer_id":"a","date":"2024-01-01","amount":1,"__proto__":{"polluted":"yes"},"attributes":{"__proto__":{"isAdmin":true},"k":"v"}}')];
    const [t] = tableToTransactions(parseTransactionTable(rows).table);
    expect(Object.getPrototypeOf(t.attributes)).toBe(Object.prototype);
    expect((t.attributes as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(t.attributes ?? {}).sort()).toEqual(["__proto__", "k"]);
    expect(Object.getOwnPropertyDescriptor(t.attributes, "__proto__")?.value).toEqual({ isAdmin: true });
    // A mapped column named like an Object.prototype member reads only the row's own key.
    const { report } = parseTransactionTable([{ constructor: "a", date: "2024-01-01", amount: 1 }, { date: "2024-01-01", amount: 1 }], { columns: { customerId: "constructor" }, mode: "lenient" });
    expect([report.accepted, report.rejectedByReason[0]?.reason]).toEqual([1, "missing-customerId"]);
  });

  it("parseTransactionTable rejects amounts, costs and margins that overflow to Infinity (audit D3)", () => {
    const rows = [
      { customerId: "a", date: "2024-01-01", amount: "1e309", cost: undefined, margin: undefined },
      { customerId: "a", date: "2024-01-01", amount: "-1e309" },
      { customerId: "a", date: "2024-01-01", amount: "9".repeat(400) },
      { customerId: "a", date: "2024-01-01", amount: 1, cost: "1e400" },
      { customerId: "a", date: "2024-01-01", amount: 1, margin: "-1e999" },
      { customerId: "a", date: "2024-01-01", amount: "1e308" },
    ];
    const { table, report } = parseTransactionTable(rows, { mode: "lenient" });
    expect([...table.amount]).toEqual([1e308]);
    expect(report.rejectedByReason.map((r) => [r.reason, r.count])).toEqual([["invalid-amount", 3], ["invalid-cost", 1], ["invalid-margin", 1]]);
    expect(() => parseTransactionTable(rows)).toThrow(expect.objectContaining({ name: "InvalidRecordError", row: 1, field: "amount", value: "1e309" }));
  });

  it("parseTransactionTable rejects \"12 34\" as invalid-amount and reads whitespace only as a thousands grouping (audit D19)", () => {
    const amounts = (xs: string[], decimal: "." | ",") => {
      const { table, report } = parseTransactionTable(xs.map((amount) => ({ customerId: "a", date: "2024-01-01", amount })), { mode: "lenient", decimal, maxExamples: 20 });
      return [[...table.amount], report.rejectedByReason.flatMap((r) => r.examples.map((e) => e.value))];
    };
    // Before the fix every space was removed first: "12 34" became 1234 in both modes.
    expect(amounts(["12 34", "1 2", "- 5", "1 23", "1  234", "1234 567", "1 234.5", "\u00a01 000\u00a0", "1\u202f234\u202f567"], ".")).toEqual([
      [1234.5, 1000, 1234567],
      ["12 34", "1 2", "- 5", "1 23", "1  234", "1234 567"],
    ]);
    // "1 000,25" is the documented `,` form (docs/data.md, Numbers); "12 34,5" is not a grouping.
    expect(amounts(["1 000,25", "12 345 678,9", "12 34,5", "1 234.5"], ",")).toEqual([[1000.25, 12345678.9], ["12 34,5", "1 234.5"]]);
    expect(() => parseTransactionTable([{ customerId: "a", date: "2024-01-01", amount: "12 34" }])).toThrow(
      expect.objectContaining({ name: "InvalidRecordError", row: 1, field: "amount", value: "12 34" }),
    );
  });

  it("parseTransactionTable sets aside epoch values outside the Date range as invalid dates, in both modes (audit D4)", () => {
    const rows = [
      { customerId: "a", date: 1e20, amount: 1 },
      { customerId: "a", date: 8.64e15, amount: 1 }, // the last instant a Date holds: +275760-09-13
      { customerId: "a", date: -8.64e15 - 1, amount: 1 },
    ];
    const { table, report } = parseTransactionTable(rows, { mode: "lenient" });
    expect([...table.day]).toEqual([100_000_000]);
    expect(report.dateRange).toEqual({ from: "+275760-09-13", to: "+275760-09-13" });
    expect(report.rejectedByReason.map((r) => [r.reason, r.count])).toEqual([["invalid-date", 2]]);
    expect(() => parseTransactionTable(rows)).toThrow(InvalidRecordError);
    const s = parseTransactionTable([{ customerId: "a", date: "9999999999999", amount: 1 }], { dateFormat: "epoch-s", mode: "lenient" });
    expect(s.report.rejectedByReason[0].reason).toBe("invalid-date");
  });

  describe("errors", () => {
    it("parseTransactionTable in strict mode throws InvalidRecordError naming row, field and value", () => {
      const rows = [{ customerId: "a", date: "2024-01-01", amount: 1 }, { customerId: "b", date: "2024-01-02", amount: "12,5" }];
      try {
        parseTransactionTable(rows);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        const err = e as InvalidRecordError;
        expect([err.row, err.field, err.value]).toEqual([2, "amount", "12,5"]);
        expect(err.message).toBe('parseTransactionTable: row 2, field "amount": got "12,5", expected a finite number (decimal separator ".")');
      }
    });

    it("parseTransactionTable names a missing required column and rejects bad options", () => {
      expect(() => parseTransactionTable([{ who: "a", when: "2024-01-01", amount: 1 }])).toThrow(expect.objectContaining({ name: "InvalidOptionError", option: "columns.customerId" }));
      expect(() => parseTransactionTable([], { duplicates: "skip" as "keep" })).toThrow(InvalidOptionError);
      expect(() => parseTransactionTable(5 as unknown as [])).toThrow(InvalidOptionError);
    });
  });
});

describe("tableToTransactions", () => {
  it("tableToTransactions(table) gives records with the same fields present or absent as parseTransactions", () => {
    const rows = [
      { customerId: "a", date: "2024-01-05", amount: 3, orderId: "", items: "", cost: "", channel: "" },
      { customerId: "a", date: "2024-01-05", amount: 3, orderId: "o", items: null, cost: 1, channel: "web", note: undefined },
    ];
    const records = tableToTransactions(parseTransactionTable(rows).table);
    expect(records).toEqual(parseTransactions(rows).transactions);
    expect(Object.keys(records[0])).toEqual(["customerId", "date", "amount", "items"]); // items "" is an empty list; "" order/cost/channel are absent
    expect(Object.keys(records[1])).toEqual(["customerId", "date", "amount", "orderId", "cost", "channel", "attributes"]);
    expect(records[1].date.toISOString()).toBe("2024-01-05T00:00:00.000Z");
    expect("note" in (records[1].attributes ?? {})).toBe(true);
  });

  it("tableToTransactions(table) of a toTransactionTable table returns the records' values", () => {
    const tx = [{ customerId: "a", date: new Date("2024-01-02T00:00:00Z"), amount: 3, orderId: "o", items: ["x"], channel: "web", attributes: { region: "n" } }];
    expect(tableToTransactions(toTransactionTable(tx))).toEqual(tx);
  });
});
