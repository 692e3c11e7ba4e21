import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import type { Transaction } from "../../src/core/types.js";
import { customerProfitability, lineProfit } from "../../src/profitability/index.js";

/**
 * The hand-computed log (asOf 2024-02-28):
 * a: order o1 (100 cost 60, 50 cost 20), order o2 (80 cost 50), return r1 (-50 cost -20)
 *    revenue 180, product cost 110, gross profit 70, 2 purchase orders, 1 return line
 * b: order o3 (40 cost 55: cost above revenue) -> gross -15, 1 order
 * c: order o4 (200 cost 120) -> gross 80, 1 order; order o5 on 2024-03-01 is after asOf
 * d: return r2 only (-30 cost -10) -> revenue -30, gross -20, 0 orders, 1 return line
 */
const LOG: Transaction[] = [
  { customerId: "a", date: "2024-01-01", amount: 100, cost: 60, orderId: "o1" },
  { customerId: "a", date: "2024-01-01", amount: 50, cost: 20, orderId: "o1" },
  { customerId: "b", date: "2024-01-10", amount: 40, cost: 55, orderId: "o3" },
  { customerId: "c", date: "2024-01-15", amount: 200, cost: 120, orderId: "o4" },
  { customerId: "d", date: "2024-01-20", amount: -30, cost: -10, orderId: "r2" },
  { customerId: "a", date: "2024-02-01", amount: 80, cost: 50, orderId: "o2" },
  { customerId: "a", date: "2024-02-05", amount: -50, cost: -20, orderId: "r1" },
  { customerId: "c", date: "2024-03-01", amount: 10, cost: 5, orderId: "o5" },
] as unknown as Transaction[];
const table = toTransactionTable(LOG);
const OPTIONS = {
  asOf: "2024-02-28",
  costPerOrder: 4,
  costPerReturnLine: 6,
  costPerContact: 2.5,
  contacts: new Map([["a", 2], ["b", 4], ["z", 1]]),
  futureValue: new Map([["b", 100], ["d", 0]]),
};

describe("lineProfit", () => {
  it("lineProfit(table) uses the cost column: amount - cost", () => {
    const r = lineProfit(table);
    expect(r.source).toBe("cost");
    // 100-60, 50-20, 40-55, 200-120, -30-(-10), 80-50, -50-(-20), 10-5
    expect(Array.from(r.profit)).toEqual([40, 30, -15, 80, -20, 30, -30, 5]);
    expect(Array.from(r.cost)).toEqual([60, 20, 55, 120, -10, 50, -20, 5]);
  });
  it("lineProfit(table, { marginRate }) uses amount x rate, and returns reverse the margin", () => {
    const r = lineProfit(table, { marginRate: 0.25 });
    expect(r.source).toBe("marginRate");
    expect(Array.from(r.profit)).toEqual([25, 12.5, 10, 50, -7.5, 20, -12.5, 2.5]);
    // a negative margin rate: every sale loses money
    expect(Array.from(lineProfit(table, { marginRate: -0.1 }).profit).slice(0, 2)).toEqual([-10, -5]);
  });
  it("lineProfit(table) uses a margin column as profit in currency, negative margins kept", () => {
    const t = toTransactionTable([
      { customerId: "a", date: "2024-01-01", amount: 10, margin: 3 },
      { customerId: "a", date: "2024-01-02", amount: 10, margin: -4 },
    ] as unknown as Transaction[]);
    const r = lineProfit(t);
    expect([r.source, Array.from(r.profit), Array.from(r.cost)]).toEqual(["margin", [3, -4], [7, 14]]);
  });
  it("lineProfit(table, { missing: 'zero' }) gives a line without cost zero profit and counts it", () => {
    const t = toTransactionTable([
      { customerId: "a", date: "2024-01-01", amount: 10, cost: 4 },
      { customerId: "a", date: "2024-01-02", amount: 7 },
    ] as unknown as Transaction[]);
    const r = lineProfit(t, { missing: "zero" });
    expect([Array.from(r.profit), r.missingRows]).toEqual([[6, 0], 1]);
  });
  it("an explicit undefined option keeps the default", () => {
    expect(lineProfit(table, { source: undefined, marginRate: undefined, missing: undefined }).source).toBe("cost");
  });

  describe("errors", () => {
    it("no source: InvalidOptionError naming source", () => {
      const t = toTransactionTable([{ customerId: "a", date: "2024-01-01", amount: 1 }] as unknown as Transaction[]);
      const e = (() => { try { lineProfit(t); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("source");
    });
    it("two sources (both columns, or a column source with a margin rate): InvalidOptionError", () => {
      const t = toTransactionTable([{ customerId: "a", date: "2024-01-01", amount: 1, cost: 1, margin: 0 }] as unknown as Transaction[]);
      expect(() => lineProfit(t)).toThrow(InvalidOptionError);
      expect(lineProfit(t, { source: "margin" }).source).toBe("margin");
      const e = (() => { try { lineProfit(table, { source: "cost", marginRate: 0.2 }); } catch (x) { return x; } })() as InvalidOptionError;
      expect([e.option, e.value]).toEqual(["marginRate", 0.2]);
    });
    it("a source the table lacks, a margin rate above 1 or not finite: InvalidOptionError", () => {
      expect(() => lineProfit(table, { source: "margin" })).toThrow(InvalidOptionError);
      expect(() => lineProfit(table, { source: "marginRate" })).toThrow(InvalidOptionError);
      expect(() => lineProfit(table, { marginRate: 1.5 })).toThrow(InvalidOptionError);
      expect(() => lineProfit(table, { marginRate: NaN })).toThrow(InvalidOptionError);
    });
    it("a missing cost: InvalidRecordError naming the 1-based row and the field", () => {
      const t = toTransactionTable([
        { customerId: "a", date: "2024-01-01", amount: 10, cost: 4 },
        { customerId: "a", date: "2024-01-02", amount: 7 },
      ] as unknown as Transaction[]);
      const e = (() => { try { lineProfit(t); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field]).toEqual([2, "cost"]);
    });
  });
});

describe("customerProfitability", () => {
  const p = customerProfitability(table, OPTIONS);
  it("customerProfitability(table, options) gives hand-computed revenue, cost to serve and profit", () => {
    expect(p.ids).toEqual(["a", "b", "c", "d"]);
    expect(Array.from(p.revenue)).toEqual([180, 40, 200, -30]);
    expect(Array.from(p.productCost)).toEqual([110, 55, 120, -10]);
    expect(Array.from(p.grossProfit)).toEqual([70, -15, 80, -20]);
    expect(Array.from(p.orders)).toEqual([2, 1, 1, 0]);
    expect(Array.from(p.returnLines)).toEqual([1, 0, 0, 1]);
    expect(Array.from(p.contacts)).toEqual([2, 4, 0, 0]);
    // a: 2 x 4 + 1 x 6 + 2 x 2.5 = 19; b: 4 + 4 x 2.5 = 14; c: 4; d: 6
    expect(Array.from(p.serviceCost)).toEqual([19, 14, 4, 6]);
    // a: 70 - 19 = 51; b: -15 - 14 = -29; c: 80 - 4 = 76; d: -20 - 6 = -26
    expect(Array.from(p.profit)).toEqual([51, -29, 76, -26]);
    expect(Array.from(p.cost)).toEqual([129, 69, 124, -4]);
    // revenue 390, product cost 275, gross 115, service 43, cost 318, profit 72 = 390 - 318
    expect(p.totals).toEqual({ revenue: 390, productCost: 275, grossProfit: 115, serviceCost: 43, cost: 318, profit: 72 });
  });
  it("puts customers in the three zones: profitable, potentially profitable (future value > 0), unprofitable", () => {
    expect(Array.from(p.zone.codes, (c) => p.zone.values[c])).toEqual(["profitable", "potentially profitable", "profitable", "unprofitable"]);
    expect(p.zones).toEqual([
      { zone: "profitable", count: 2, customerShare: 0.5, revenue: 380, profit: 127, futureValue: 0 },
      { zone: "potentially profitable", count: 1, customerShare: 0.25, revenue: 40, profit: -29, futureValue: 100 },
      { zone: "unprofitable", count: 1, customerShare: 0.25, revenue: -30, profit: -26, futureValue: 0 },
    ]);
  });
  it("draws the whale curve: c 76, a 51, d -26, b -29 over total 72", () => {
    const w = p.whale;
    expect(Array.from(w.order, (k) => p.ids[k])).toEqual(["c", "a", "d", "b"]);
    // 76/72, 127/72, 101/72, 72/72
    expect(Array.from(w.cumulative)).toEqual([0, 76 / 72, 127 / 72, 101 / 72, 1]);
    expect([w.peak, w.peakCustomers, w.peakCustomerShare, w.lossShare]).toEqual([127 / 72, 2, 0.5, 55 / 72]);
  });
  it("ranks ABC classes by profit (loss-makers in zero) and by revenue", () => {
    const cls = (c: { codes: Int32Array; values: readonly string[] }) => Array.from(c.codes, (k) => c.values[k]);
    // profit 76 (share before 0) A, 51 (before 76/127 = 0.60) A; b, d lose money
    expect(cls(p.abcByProfit)).toEqual(["A", "zero", "A", "zero"]);
    // revenue 200 (before 0) A, 180 (before 200/420) A, 40 (before 380/420 = 0.905) B; d negative
    expect(cls(p.abcByRevenue)).toEqual(["A", "B", "A", "zero"]);
  });
  it("accounts for every row, the excluded row and the unmatched contact key", () => {
    expect(p.report).toEqual({
      rows: 8,
      usedRows: 7,
      excludedAfterAsOf: 1,
      missingRows: 0,
      unlisted: { customers: 0, revenue: 0, profit: 0 },
      unmatchedKeys: { contacts: 1, futureValue: 0 },
      futureValueGiven: true,
    });
  });
  it("customerProfitability(table, { ids }) aligns rows with the ids and accounts for unlisted customers", () => {
    const q = customerProfitability(table, { ...OPTIONS, ids: ["c", "a", "x"], contacts: [0, 2, 0], futureValue: undefined });
    expect(q.ids).toEqual(["c", "a", "x"]);
    expect(Array.from(q.profit)).toEqual([76, 51, 0]);
    // b: -15 - 4 (one order) = -19; d: -20 - 6 (one return line) = -26 (no contacts: they are not rows)
    expect(q.report.unlisted).toEqual({ customers: 2, revenue: 10, profit: -45 });
    expect(q.report.futureValueGiven).toBe(false);
    expect(q.zones.map((z) => z.count)).toEqual([2, 0, 1]);
  });
  it("with no cost to serve, profit is the gross profit and the defaults are 0", () => {
    const q = customerProfitability(table, { asOf: "2024-02-28" });
    expect(Array.from(q.profit)).toEqual([70, -15, 80, -20]);
  });
  it("costs larger than revenue everywhere: every customer unprofitable, the whale curve divided by |total| (base 'losses'), no NaN", () => {
    const t = toTransactionTable([
      { customerId: "a", date: "2024-01-01", amount: 10, cost: 12 },
      { customerId: "b", date: "2024-01-01", amount: 10, cost: 16 },
    ] as unknown as Transaction[]);
    const q = customerProfitability(t);
    expect(Array.from(q.profit)).toEqual([-2, -6]);
    expect(q.zones.map((z) => z.count)).toEqual([0, 0, 2]);
    // total -8: curve 0, -2/8, -8/8
    expect([q.whale.base, Array.from(q.whale.cumulative), q.whale.peak, q.whale.lossShare]).toEqual(["losses", [0, -0.25, -1], 0, 1]);
    expect(q.abc.byProfit.map((g) => g.count)).toEqual([0, 0, 0, 2]);
  });
  it("customerProfitability(records) gives the same columns as on the table", () => {
    const q = customerProfitability(LOG, OPTIONS);
    expect([q.ids, Array.from(q.profit), q.whale.peak]).toEqual([p.ids, Array.from(p.profit), p.whale.peak]);
  });
  it("an empty table gives zero totals, empty zones and a flat whale curve", () => {
    const q = customerProfitability(toTransactionTable([]), { marginRate: 0.2 });
    expect([q.length, q.totals.profit, q.zones.map((z) => z.count), q.whale.peak, q.whale.base, q.abc.byProfit.map((g) => g.count)]).toEqual([0, 0, [0, 0, 0], 0, "none", [0, 0, 0, 0]]);
  });
  it("does not change its input", () => {
    const before = Array.from(table.amount);
    customerProfitability(table, OPTIONS);
    expect(Array.from(table.amount)).toEqual(before);
  });

  describe("errors", () => {
    it("a negative or non-finite cost rate: InvalidOptionError naming it", () => {
      for (const key of ["costPerOrder", "costPerReturnLine", "costPerContact"] as const) {
        const e = (() => { try { customerProfitability(table, { [key]: -1 }); } catch (x) { return x; } })() as InvalidOptionError;
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e.option).toBe(key);
      }
    });
    it("a negative contact count: InvalidRecordError naming the customer", () => {
      const e = (() => { try { customerProfitability(table, { contacts: new Map([["a", -1]]) }); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual(["a", "contacts", -1]);
    });
    it("a contact column of the wrong length, or a duplicate id: InvalidOptionError", () => {
      expect(() => customerProfitability(table, { contacts: [1, 2] })).toThrow(InvalidOptionError);
      expect(() => customerProfitability(table, { ids: ["a", "a"] })).toThrow(InvalidOptionError);
    });
    it("a bad asOf: InvalidOptionError", () => {
      expect(() => customerProfitability(table, { asOf: "2024-02-30" })).toThrow(InvalidOptionError);
    });
  });
});
