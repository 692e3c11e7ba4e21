/**
 * Summaries on the shapes of issue 15: net spend and order counts with cancellations and
 * negative quantities (hand-computed), and a table without amounts (money 0, never NaN).
 */
import { describe, expect, it } from "vitest";
import { calibrationTable, parseTransactionTable, readTransactionTable, summarizeCustomersTable } from "../../src/index.js";
import { isReturnAmount } from "../../src/core/table.js";

const bytes = (text: string) => new TextEncoder().encode(text);

const RETAIL = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26,2.55,17850,UK
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26,3.39,17850,UK
536366,22633,HAND WARMER | UNION JACK,6,2010-12-01 08:28,1.85,17850,UK
C536379,85123A,WHITE HANGING HEART,-1,2010-12-01 09:41,2.55,17850,UK
536400,22632,GIN + TONIC DIET METAL SIGN,3,2010-12-02 10:00,2.10,13047,UK
536401,22632,GIN + TONIC DIET METAL SIGN,-2,2010-12-03 10:00,2.10,13047,UK
536402,22633,HAND WARMER | UNION JACK,12,2010-12-05 11:00,1.85,13047,UK
C536403,71053,,1,2010-12-06 12:00,3.39,13047,UK
536404,POST,,1,2010-12-06,0,12345,UK
C536405,POST,POSTAGE,-1,2010-12-07,0,12345,UK
`;

describe("isReturnAmount", () => {
  it("isReturnAmount(amount) is true for negative amounts and -0, false for 0 and positive amounts", () => {
    expect([isReturnAmount(-3), isReturnAmount(-0), isReturnAmount(0), isReturnAmount(2), isReturnAmount(-Number.MIN_VALUE)]).toEqual([true, true, false, false, true]);
  });
});

describe("summarizeCustomersTable on quantity × price with cancellations", () => {
  it("nets returns into spend and does not count a cancelled invoice or a return-only invoice as an order (hand-computed)", async () => {
    const { table } = await readTransactionTable(bytes(RETAIL));
    const { customers, report } = summarizeCustomersTable(table);
    expect(customers.ids).toEqual(["12345", "13047", "17850"]);
    // 12345: 536404 (1 × 0 = 0, a purchase of no value) on Dec 6; C536405 (-0) a return, not an order.
    //        total 0, frequency 1, one return line of value 0.
    // 13047: 536400 6.30 (Dec 2, purchase); 536401 -4.20 (negative quantity only: return, not an order);
    //        536402 22.20 (Dec 5, purchase); C536403 -3.39 (cancelled: return, not an order).
    //        total = 6.30 - 4.20 + 22.20 - 3.39 = 20.91; frequency 2; returns 2 lines, 4.20 + 3.39 = 7.59.
    // 17850: 536365 15.30 + 20.34 = 35.64 and 536366 11.10, both Dec 1 (two orders the same day);
    //        C536379 -2.55 (cancelled). total = 35.64 + 11.10 - 2.55 = 44.19; frequency 2; 1 return line, 2.55.
    expect([...customers.frequency]).toEqual([1, 2, 2]);
    expect(customers.totalSpend[0]).toBe(0);
    expect(customers.totalSpend[1]).toBeCloseTo(20.91, 10);
    expect(customers.totalSpend[2]).toBeCloseTo(44.19, 10);
    expect([...customers.returnLines]).toEqual([1, 2, 1]);
    expect(customers.returnAmount[0]).toBe(0);
    expect(customers.returnAmount[1]).toBeCloseTo(7.59, 10);
    expect(customers.returnAmount[2]).toBeCloseTo(2.55, 10);
    // asOf = the last day, Dec 7 (C536405). Last purchases: 12345 Dec 6, 13047 Dec 5, 17850 Dec 1.
    expect(report.asOf).toBe("2010-12-07");
    expect([...customers.recencyDays]).toEqual([1, 2, 6]);
    // Orders: 1 + 2 + 2 = 5 purchases; return-only orders: C536405, 536401, C536403, C536379 = 4.
    expect([report.orders, report.returnOnlyOrders, report.customersWithoutPurchase]).toEqual([5, 4, 0]);
  });

  it("a customer whose only invoice is cancelled has no summary and is counted", () => {
    const { table } = parseTransactionTable([
      { customer: "a", date: "2024-01-01", quantity: 2, price: 5, invoice: "C9" },
      { customer: "b", date: "2024-01-01", quantity: 1, price: 5, invoice: "10" },
    ]);
    const { customers, report } = summarizeCustomersTable(table);
    expect(customers.ids).toEqual(["b"]);
    expect(report.customersWithoutPurchase).toBe(1);
  });
});

describe("summaries of a table without amounts", () => {
  const TEXT = `customer_id,date,invoice
a,2024-01-01,1001
a,2024-01-15,1002
a,2024-01-20,C1003
b,2024-01-03,1004
`;
  it("count orders from ids and dates (the cancelled invoice is not one) and give money 0, never NaN", async () => {
    const { table } = await readTransactionTable(bytes(TEXT));
    const { customers, report } = summarizeCustomersTable(table);
    // a: purchases Jan 1 and Jan 15 (C1003 on Jan 20 is a return of no value); b: Jan 3. asOf = Jan 20.
    expect(customers.ids).toEqual(["a", "b"]);
    expect([...customers.frequency]).toEqual([2, 1]);
    expect([...customers.recencyDays]).toEqual([5, 17]);
    expect([...customers.meanGapDays]).toEqual([14, NaN]);
    expect([...customers.returnLines]).toEqual([1, 0]);
    expect([report.orders, report.returnOnlyOrders]).toEqual([3, 1]);
    for (const col of [customers.totalSpend, customers.averageOrderValue, customers.spendPerPeriod, customers.returnAmount]) {
      expect([...col]).toEqual([0, 0]);
    }
    const cal = calibrationTable(table, { calibrationEnd: "2024-01-20", timeUnit: "days" });
    // a: x = 1 repeat purchase (Jan 15), t_x = 14, T = 19, monetary value 0 / 1 = 0; b: x = 0, T = 17.
    expect([[...cal.x], [...cal.t_x], [...cal.T], [...cal.monetaryValue]]).toEqual([[1, 0], [14, 0], [19, 17], [0, 0]]);
  });
});

describe("summaries: option dates in a time zone (code review 2.2)", () => {
  const tx = [
    { customerId: "a", date: new Date("2024-03-01T00:00:00Z"), amount: 5 },
    { customerId: "a", date: new Date("2024-03-02T00:00:00Z"), amount: 7 },
  ];
  it("an asOf instant becomes its calendar day in timeZone; a plain date ignores the zone", () => {
    // 2024-03-02T03:00Z is March 2 in UTC but 22:00 on March 1 in New York (UTC-5): the
    // March 2 purchase is then after asOf and excluded.
    const asOf = new Date("2024-03-02T03:00:00Z");
    expect(summarizeCustomersTable(tx, { asOf }).report).toMatchObject({ asOf: "2024-03-02", excludedAfterAsOf: 0 });
    expect(summarizeCustomersTable(tx, { asOf, timeZone: "America/New_York" }).report).toMatchObject({ asOf: "2024-03-01", excludedAfterAsOf: 1 });
    expect(summarizeCustomersTable(tx, { asOf: "2024-03-02", timeZone: "America/New_York" }).report.asOf).toBe("2024-03-02");
    const cal = calibrationTable(tx, { calibrationEnd: asOf, timeZone: "America/New_York", timeUnit: "days" });
    expect([...cal.x]).toEqual([0]); // the March 2 purchase is after the calibration end
  });
  it("an explicit undefined option means the default; a bad date is an InvalidOptionError naming asOf", () => {
    expect(summarizeCustomersTable(tx, { periodDays: undefined, asOf: undefined, timeZone: undefined }).report.asOf).toBe("2024-03-02");
    expect(() => summarizeCustomersTable(tx, { asOf: "2024-02-30" })).toThrow(/option "asOf"/);
    expect(() => calibrationTable(tx, { calibrationEnd: "1997-09-30junk" })).toThrow(/option "calibrationEnd"/);
  });
});
