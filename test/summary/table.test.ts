import { describe, expect, it } from "vitest";
import {
  AnalyticsError,
  calibrationRecords,
  calibrationSummary,
  calibrationTable,
  customerRecords,
  generateTransactions,
  summarizeCustomers,
  summarizeCustomersTable,
  toTransactionTable,
  type Transaction,
} from "../../src/index.js";
import { cdnowTransactions } from "../rfm/cdnow.js";


/**
 * An independent, deliberately naive summariser (Map of arrays, string keys, full sorts) used as
 * the reference for the columnar one: orders = distinct order ids, else the customer's day;
 * an order is a purchase when one of its lines is >= 0; spend nets every line.
 */
function naiveSummaries(tx: readonly Transaction[], asOf: number) {
  const by = new Map<string, Transaction[]>();
  for (const t of tx) {
    if (t.date.getTime() / 86_400_000 > asOf) continue;
    const l = by.get(t.customerId) ?? [];
    l.push(t);
    by.set(t.customerId, l);
  }
  const out = new Map<string, { frequency: number; first: number; last: number; total: number; returnLines: number }>();
  for (const [id, lines] of by) {
    const orders = new Map<string, { day: number; purchase: boolean }>();
    let total = 0;
    let returnLines = 0;
    for (const t of lines) {
      const day = t.date.getTime() / 86_400_000;
      const key = t.orderId ? `o:${t.orderId}` : `d:${day}`;
      const o = orders.get(key) ?? { day, purchase: false };
      o.day = Math.min(o.day, day);
      if (t.amount >= 0) o.purchase = true;
      orders.set(key, o);
      total += t.amount;
      if (t.amount < 0) returnLines++;
    }
    const days = [...orders.values()].filter((o) => o.purchase).map((o) => o.day).sort((a, b) => a - b);
    if (days.length === 0) continue;
    out.set(id, { frequency: days.length, first: days[0], last: days[days.length - 1], total, returnLines });
  }
  return out;
}

describe("summarizeCustomersTable", () => {
  it("summarizeCustomersTable(table) agrees with a naive Map-of-arrays summariser on a generated log with returns", () => {
    const tx = generateTransactions({ customers: 3000, seed: 11, returnRate: 0.2 });
    const asOf = Math.floor(new Date("2024-06-30").getTime() / 86_400_000);
    const { customers: t, report } = summarizeCustomersTable(toTransactionTable(tx), { asOf: "2024-06-30" });
    const ref = naiveSummaries(tx, asOf);
    expect(t.length).toBe(ref.size);
    expect(report.customers).toBe(ref.size);
    for (let k = 0; k < t.length; k++) {
      const r = ref.get(t.ids[k])!;
      expect(r, t.ids[k]).toBeDefined();
      expect(t.frequency[k]).toBe(r.frequency);
      expect(t.firstPurchase[k]).toBe(r.first);
      expect(t.lastPurchase[k]).toBe(r.last);
      expect(t.recencyDays[k]).toBe(asOf - r.last);
      expect(t.returnLines[k]).toBe(r.returnLines);
      // Money: same additions in the same order, so equal to 1e-9 (tolerance for the stated contract).
      expect(Math.abs(t.totalSpend[k] - r.total)).toBeLessThan(1e-9);
      if (k > 0) expect(t.ids[k - 1] < t.ids[k]).toBe(true);
    }
    expect(t.returnLines.reduce((a, b) => a + b, 0)).toBeGreaterThan(100); // the case exercises returns
  });

  it("summarizeCustomersTable gives the same rows from a table and from records; customerRecords restores null gaps", () => {
    const tx = generateTransactions({ customers: 500, seed: 3 });
    const a = summarizeCustomersTable(tx).customers;
    const b = summarizeCustomersTable(toTransactionTable(tx)).customers;
    expect(b).toEqual(a);
    const recs = customerRecords(a);
    expect(recs).toEqual(summarizeCustomers(tx));
    const one = recs.find((r) => r.frequency === 1)!;
    expect(one.meanGapDays).toBeNull();
    expect(one.sdGapDays).toBeNull();
  });
});

describe("calibrationTable", () => {
  it("calibrationTable(cdnow, weeks, 1997-09-30): 2,457 repeat purchases, 1,411 with x = 0, mean zbar 35.08 (shared/data/cdnow/README.md)", async () => {
    const transactions = await cdnowTransactions();
    const c = calibrationTable(toTransactionTable(transactions), { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    expect(c.length).toBe(2357);
    expect(c.x.reduce((a, b) => a + b, 0)).toBe(2457);
    expect(c.x.filter((x) => x === 0).length).toBe(1411);
    let s = 0;
    for (let k = 0; k < c.length; k++) if (c.x[k] > 0) s += c.monetaryValue[k];
    expect(s / 946).toBeCloseTo(35.08, 2);
    expect(calibrationRecords(c)).toEqual(calibrationSummary(transactions, { calibrationEnd: "1997-09-30", timeUnit: "weeks" }));
  });
});

describe("summarizeCustomersTable: overflow (audit D20, case 65)", () => {
  it("two lines of 1e308 for one customer: OVERFLOW naming the customer, not totalSpend Infinity", () => {
    const t = toTransactionTable([
      { customerId: "big", date: new Date("2024-01-01"), amount: 1e308 },
      { customerId: "big", date: new Date("2024-01-02"), amount: 1e308 },
    ]);
    let caught: unknown;
    try {
      summarizeCustomersTable(t);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AnalyticsError);
    expect((caught as AnalyticsError).code).toBe("OVERFLOW");
    expect((caught as Error).message).toContain('customer "big"');
    // one such line is fine
    expect(summarizeCustomersTable(toTransactionTable([{ customerId: "big", date: new Date("2024-01-01"), amount: 1e308 }])).customers.totalSpend[0]).toBe(1e308);
  });
});
