import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { toTransactionTable } from "../../src/core/columns.js";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { cube } from "../../src/cube/index.js";
import { fsum } from "../../src/numeric/index.js";
import { starLog } from "./starData.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
// Hand-made log: a buys in Jan (2 lines of order o1) and returns in Feb; b buys in Jan and Feb (no order ids).
const LOG = [
  { customerId: "a", date: d("2024-01-03"), amount: 30, orderId: "o1", channel: "web", cost: 20, items: ["x", "y"], attributes: { region: "north" } },
  { customerId: "a", date: d("2024-01-03"), amount: 10, orderId: "o1", channel: "web", cost: 4, items: ["z"], attributes: { region: "north" } },
  { customerId: "b", date: d("2024-01-09"), amount: 25, channel: "store", cost: 15, items: [], attributes: { region: "" } },
  { customerId: "a", date: d("2024-02-11"), amount: -10, orderId: "r1", channel: "web", cost: -4, items: [], attributes: { region: "north" } },
  { customerId: "b", date: d("2024-02-12"), amount: 15, channel: "store", cost: 9, items: ["x"], attributes: { region: "south" } },
];
const ALL = ["revenue", "lines", "orders", "customers", "newCustomers", "averageOrderValue", "items", "profit"] as const;

describe("cube", () => {
  it("cube(log, month x channel, rollup) gives the hand-computed cells and subtotals", () => {
    const c = cube(Object.freeze(LOG), { dimensions: ["month", "channel"], measures: ALL });
    expect(c.groupingSets).toEqual([["month", "channel"], ["month"], []]);
    const rows = c.rows.map((r) => [r.key, r.grouping, r.values]);
    expect(rows).toEqual([
      // Jan store: b's 25 (1 order: customer-day), new customer b; profit 25 - 15
      [["2024-01", "store"], 0, { revenue: 25, lines: 1, orders: 1, customers: 1, newCustomers: 1, averageOrderValue: 25, items: 0, profit: 10 }],
      // Jan web: o1 = 30 + 10, new customer a, items 3, profit 10 + 6
      [["2024-01", "web"], 0, { revenue: 40, lines: 2, orders: 1, customers: 1, newCustomers: 1, averageOrderValue: 40, items: 3, profit: 16 }],
      [["2024-02", "store"], 0, { revenue: 15, lines: 1, orders: 1, customers: 1, newCustomers: 0, averageOrderValue: 15, items: 1, profit: 6 }],
      // Feb web: a return only: no purchase order, AOV null, profit -10 - (-4) = -6
      [["2024-02", "web"], 0, { revenue: -10, lines: 1, orders: 0, customers: 1, newCustomers: 0, averageOrderValue: null, items: 0, profit: -6 }],
      [["2024-01", null], 1, { revenue: 65, lines: 3, orders: 2, customers: 2, newCustomers: 2, averageOrderValue: 32.5, items: 3, profit: 26 }],
      [["2024-02", null], 1, { revenue: 5, lines: 2, orders: 1, customers: 2, newCustomers: 0, averageOrderValue: 5, items: 1, profit: 0 }],
      // distinct customers of the total are 2, not 2 + 2
      [[null, null], 3, { revenue: 70, lines: 5, orders: 3, customers: 2, newCustomers: 2, averageOrderValue: 70 / 3, items: 4, profit: 26 }],
    ]);
  });

  it("cube puts a missing value in the (unknown) member and counts the lines", () => {
    const c = cube(LOG, { dimensions: ["region"], measures: ["lines"], subtotals: "none", unknown: "n/a" });
    expect(c.rows.map((r) => [r.key[0], r.values.lines])).toEqual([["north", 3], ["south", 1], ["n/a", 1]]);
    expect(c.unknownLines.get("region")).toBe(1);
  });

  it("cube with subtotals 'cube' marks each grouping set like SQL GROUPING()", () => {
    const c = cube(LOG, { dimensions: ["quarter", "channel"], measures: ["revenue"], subtotals: "cube" });
    expect(c.groupingSets).toEqual([["quarter", "channel"], ["quarter"], ["channel"], []]);
    expect(c.rows.filter((r) => r.grouping === 2).map((r) => [r.key, r.values.revenue])).toEqual([
      [[null, "store"], 40],
      [[null, "web"], 30],
    ]);
  });

  it("cube joins a dimension table by customer key", () => {
    const customers = new Map([["a", { segment: "VIP" }]]);
    const c = cube(LOG, { dimensions: [{ lookup: customers, key: "customer", field: "segment", name: "seg" }], measures: ["revenue"], subtotals: "none" });
    expect(c.rows.map((r) => [r.key[0], r.values.revenue])).toEqual([["VIP", 30], ["(unknown)", 40]]);
    expect(c.unknownLines.get("seg")).toBe(2);
  });

  it("cube labels days, ISO weeks, quarters and years", () => {
    const log = [{ customerId: "a", date: d("2021-01-03"), amount: 1 }];
    const key = (dim: string) => cube(log, { dimensions: [dim], subtotals: "none" }).rows[0].key[0];
    // 2021-01-03 is a Sunday in ISO week 53 of 2020
    expect(["day", "week", "month", "quarter", "year"].map(key)).toEqual(["2021-01-03", "2020-W53", "2021-01", "2021-Q1", "2021"]);
  });

  it("cube of an empty table is one grand-total row of zeros", () => {
    const c = cube([], { measures: ["revenue", "customers", "averageOrderValue"] });
    expect(c.rows).toEqual([{ key: [], grouping: 0, values: { revenue: 0, customers: 0, averageOrderValue: null } }]);
  });

  it("cube accounts for every line in every grouping set, and the total revenue is fsum of the amounts (invariants)", () => {
    const log = starLog();
    const t = toTransactionTable(log);
    fc.assert(
      fc.property(fc.subarray(["month", "region", "channel", "product", "year"], { minLength: 0, maxLength: 3 }), fc.constantFrom("rollup", "cube", "none"), (dims, subtotals) => {
        const c = cube(t, { dimensions: dims, measures: ["lines", "revenue", "newCustomers"], subtotals: subtotals as "rollup" });
        for (const set of c.groupingSets) {
          const cells = c.rows.filter((r) => r.key.every((k, i) => (k === null) !== set.includes(c.dimensions[i])));
          expect(cells.reduce((s, r) => s + (r.values.lines as number), 0)).toBe(t.length);
          expect(cells.reduce((s, r) => s + (r.values.newCustomers as number), 0)).toBe(new Set(log.filter((x) => x.amount >= 0).map((x) => x.customerId)).size);
        }
        const total = c.rows.find((r) => r.key.every((k) => k === null));
        if (total) expect(total.values.revenue).toBe(fsum(t.amount));
      }),
      { seed: 7, numRuns: 30 },
    );
  });

  describe("errors", () => {
    it("an unknown column is an InvalidOptionError naming the dimension and the columns", () => {
      try {
        cube(LOG, { dimensions: ["month", "colour"] });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("dimensions[1].column");
        expect((e as Error).message).toMatch(/"region"/);
      }
    });
    it("profit without cost or margin and items without items are InvalidOptionErrors", () => {
      const plain = [{ customerId: "a", date: d("2024-01-01"), amount: 1 }];
      expect(() => cube(plain, { measures: ["profit"] })).toThrow(/cost or margin/);
      expect(() => cube(plain, { measures: ["items"] })).toThrow(/items column/);
    });
    it("a grouping set naming no dimension, a bad measure and duplicate names are InvalidOptionErrors", () => {
      expect(() => cube(LOG, { dimensions: ["month"], subtotals: [["week"]] })).toThrow(InvalidOptionError);
      expect(() => cube(LOG, { measures: ["sales" as "revenue"] })).toThrow(InvalidOptionError);
      expect(() => cube(LOG, { dimensions: ["month", { time: "month" }] })).toThrow(/distinct dimension names/);
      expect(AnalyticsError).toBeDefined();
    });
  });
});

describe("cubeColumns", () => {
  it("cubeColumns lays a cube out as header + rows, subtotals with null members", async () => {
    const { cubeColumns } = await import("../../src/cube/index.js");
    // store: b 25 + 15 over 2 orders; web: o1 40 and the return -10 over 1 order
    const c = cube(LOG, { dimensions: ["channel"], measures: ["revenue", "averageOrderValue"] });
    expect(cubeColumns(c)).toEqual({
      header: ["channel", "grouping", "revenue", "averageOrderValue"],
      rows: [
        ["store", 0, 40, 20],
        ["web", 0, 30, 30],
        [null, 1, 70, 70 / 3],
      ],
    });
  });
});
