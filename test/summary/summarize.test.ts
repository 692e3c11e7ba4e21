import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  generateTransactions,
  InvalidOptionError,
  InvalidRecordError,
  summarizeCustomers,
  summarizeCustomersWithReport,
  type Transaction,
} from "../../src/index.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);

function deepFreeze<T>(x: T): T {
  if (x && typeof x === "object" && !(x instanceof Date)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe("summarizeCustomers", () => {
  it("summarizeCustomers(tx) counts distinct order ids, nets returns per order and computes gaps (hand case)", () => {
    const tx: Transaction[] = deepFreeze([
      { customerId: "a", date: d("2024-01-01"), amount: 30, orderId: "o1" },
      { customerId: "a", date: d("2024-01-01"), amount: -10, orderId: "o1" }, // return inside the order
      { customerId: "a", date: d("2024-01-01"), amount: 5, orderId: "o2" }, // second order, same day
      { customerId: "a", date: d("2024-01-11"), amount: 20, orderId: "o3" },
      { customerId: "a", date: d("2024-01-31"), amount: 45, orderId: "o4" },
      { customerId: "a", date: d("2024-02-05"), amount: -15, orderId: "r1" }, // pure-return order
    ]);
    const [a] = summarizeCustomers(tx, { asOf: "2024-02-10", periodDays: 10 });
    // Hand computation: purchase orders on days 0, 0, 10, 30 -> frequency 4; gaps 0, 10, 20.
    expect(a.frequency).toBe(4);
    expect(a.repeatPurchases).toBe(3);
    expect(a.totalSpend).toBe(75); // 30 - 10 + 5 + 20 + 45 - 15
    expect(a.averageOrderValue).toBe(18.75);
    expect(a.firstPurchase).toEqual(d("2024-01-01"));
    expect(a.lastPurchase).toEqual(d("2024-01-31"));
    expect(a.recencyDays).toBe(10);
    expect(a.tenureDays).toBe(40);
    expect(a.meanGapDays).toBe(10); // (30 - 0) / 3
    expect(a.sdGapDays).toBeCloseTo(10, 12); // sample sd of 0, 10, 20
    expect(a.spendPerPeriod).toBe(75 / 4); // tenure 40 days = 4 periods of 10
    expect(a.returnLines).toBe(2);
    expect(a.returnAmount).toBe(25);
  });

  it("summarizeCustomers(tx) without order ids merges a customer's same-day lines into one order", () => {
    const [c] = summarizeCustomers(
      [
        { customerId: "c", date: d("2024-03-01"), amount: 1 },
        { customerId: "c", date: d("2024-03-01"), amount: 2 },
        { customerId: "c", date: d("2024-03-02"), amount: 3 },
      ],
      { asOf: "2024-03-02" },
    );
    expect([c.frequency, c.totalSpend, c.meanGapDays, c.sdGapDays, c.recencyDays]).toEqual([2, 6, 1, null, 0]);
  });

  it("summarizeCustomers(tx) gives null gap statistics for one order and spendPerPeriod over at least one period", () => {
    const [c] = summarizeCustomers([{ customerId: "x", date: d("2024-03-01"), amount: 12 }], { asOf: "2024-03-05" });
    expect(c.meanGapDays).toBeNull();
    expect(c.sdGapDays).toBeNull();
    expect(c.spendPerPeriod).toBe(12);
  });

  it("summarizeCustomersWithReport(tx) excludes and counts transactions after asOf, and customers with only returns", () => {
    const { customers, report } = summarizeCustomersWithReport(
      [
        { customerId: "a", date: d("2024-01-01"), amount: 10 },
        { customerId: "a", date: d("2024-02-01"), amount: 10 },
        { customerId: "b", date: d("2024-01-05"), amount: -5 },
        { customerId: "c", date: d("2024-03-01"), amount: 7 },
      ],
      { asOf: "2024-01-31" },
    );
    expect(customers.map((c) => c.customerId)).toEqual(["a"]);
    expect(report).toEqual({
      asOf: "2024-01-31",
      transactions: 4,
      used: 2,
      excludedAfterAsOf: 2,
      customers: 1,
      customersWithoutPurchase: 1,
      orders: 1,
      returnOnlyOrders: 1,
    });
  });

  it("summarizeCustomers(tx) defaults asOf to the last transaction day", () => {
    const { report } = summarizeCustomersWithReport([
      { customerId: "a", date: d("2024-01-01"), amount: 10 },
      { customerId: "b", date: d("2024-01-09"), amount: 10 },
    ]);
    expect(report.asOf).toBe("2024-01-09");
  });

  it("summarizeCustomers(tx) accepts ids such as __proto__ and constructor", () => {
    const out = summarizeCustomers([
      { customerId: "__proto__", date: d("2024-01-01"), amount: 1 },
      { customerId: "constructor", date: d("2024-01-02"), amount: 2 },
      { customerId: "__proto__", date: d("2024-01-03"), amount: 3 },
    ]);
    expect(out.map((c) => [c.customerId, c.frequency, c.totalSpend])).toEqual([
      ["__proto__", 2, 4],
      ["constructor", 1, 2],
    ]);
  });

  it("summarizeCustomers(tx) does not depend on input order (property)", () => {
    const base = generateTransactions({ customers: 40, seed: 3, items: false });
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: base.length, maxLength: base.length }), (keys) => {
        const shuffled = base.map((t, i) => ({ t, k: keys[i] })).sort((x, y) => x.k - y.k).map((x) => x.t);
        const a = summarizeCustomers(base, { asOf: "2024-06-30" });
        const b = summarizeCustomers(shuffled, { asOf: "2024-06-30" });
        expect(b.length).toBe(a.length);
        for (let i = 0; i < a.length; i++) {
          expect(b[i].customerId).toBe(a[i].customerId);
          expect(b[i].frequency).toBe(a[i].frequency);
          expect(b[i].totalSpend).toBeCloseTo(a[i].totalSpend, 9);
          expect(b[i].sdGapDays).toEqual(a[i].sdGapDays);
        }
      }),
      { numRuns: 10, seed: 11 },
    );
  });

  it("summarizeCustomers(tx) invariants on a synthetic store: every used transaction accounted for, no NaN", () => {
    const tx = generateTransactions({ customers: 300, seed: 9 });
    const { customers, report } = summarizeCustomersWithReport(tx, { asOf: "2024-06-30" });
    expect(report.used + report.excludedAfterAsOf).toBe(tx.length);
    expect(report.customers).toBe(customers.length);
    for (const c of customers) {
      for (const v of Object.values(c)) if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
      expect(c.frequency).toBeGreaterThanOrEqual(1);
      expect(c.recencyDays).toBeLessThanOrEqual(c.tenureDays);
      expect(c.recencyDays).toBeGreaterThanOrEqual(0);
    }
    expect(customers.reduce((s, c) => s + c.frequency, 0)).toBe(report.orders);
  });

  it("summarizeCustomers([]) returns an empty array", () => {
    expect(summarizeCustomers([])).toEqual([]);
  });

  describe("errors", () => {
    it("summarizeCustomers names the row, field and value of an invalid transaction", () => {
      try {
        summarizeCustomers([
          { customerId: "a", date: d("2024-01-01"), amount: 1 },
          { customerId: "a", date: d("2024-01-02"), amount: Number.NaN },
        ]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        const err = e as InvalidRecordError;
        expect([err.row, err.field, err.code]).toEqual([2, "amount", "INVALID_RECORD"]);
        expect(err.message).toMatch(/^summarizeCustomers: row 2, field "amount": got NaN/);
      }
      expect(() => summarizeCustomers([{ customerId: "", date: d("2024-01-01"), amount: 1 }])).toThrow(InvalidRecordError);
      expect(() => summarizeCustomers([{ customerId: "a", date: new Date("nope"), amount: 1 }])).toThrow(/field "date"/);
    });

    it("summarizeCustomers rejects a bad asOf or periodDays", () => {
      const tx = [{ customerId: "a", date: d("2024-01-01"), amount: 1 }];
      expect(() => summarizeCustomers(tx, { asOf: "yesterday" })).toThrow(InvalidOptionError);
      expect(() => summarizeCustomers(tx, { periodDays: 0 })).toThrow(/periodDays/);
    });
  });
});
