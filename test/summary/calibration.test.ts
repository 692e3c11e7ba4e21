import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { calibrationSummary, InvalidOptionError } from "../../src/index.js";
import { cdnowTransactions as cdnow } from "../rfm/cdnow.js";

const CDNOW_SUMMARY = "../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv";

describe("calibrationSummary", () => {
  it("calibrationSummary(cdnow, weeks, 1997-09-30) reproduces the published summary file for all 2,357 customers", async () => {
    const summary = calibrationSummary(await cdnow(), { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    // Reference: cdnow_customers_summary_with_transactions.csv (Fader, Hardie & Lee 2005 data,
    // as shipped by lifetimes), rounded to 2 decimals; tolerance half a unit in the last place.
    const lines = readFileSync(CDNOW_SUMMARY, "utf8").trim().split(/\r?\n/).slice(1);
    expect(summary).toHaveLength(2357);
    expect(lines).toHaveLength(2357);
    const byId = new Map(summary.map((s) => [String(Number(s.customerId)), s]));
    let checked = 0;
    for (const line of lines) {
      const [id, x, tx, T, zbar] = line.split(",");
      const s = byId.get(id);
      expect(s, `customer ${id}`).toBeDefined();
      if (!s) continue;
      expect(s.x).toBe(Number(x));
      expect(Math.abs(s.t_x - Number(tx))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.T - Number(T))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.monetaryValue - Number(zbar))).toBeLessThanOrEqual(0.005 + 1e-9);
      checked++;
    }
    expect(checked).toBe(2357);
  });

  it("calibrationSummary(cdnow) totals: 2,457 repeat purchases, 1,411 customers with x = 0, mean zbar 35.08 over 946 repeaters", async () => {
    // Reference: shared/data/cdnow/README.md.
    const summary = calibrationSummary(await cdnow(), { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    expect(summary.reduce((s, c) => s + c.x, 0)).toBe(2457);
    expect(summary.filter((c) => c.x === 0)).toHaveLength(1411);
    const repeaters = summary.filter((c) => c.x > 0);
    expect(repeaters).toHaveLength(946);
    expect(repeaters.reduce((s, c) => s + c.monetaryValue, 0) / 946).toBeCloseTo(35.08, 2);
  });

  it("calibrationSummary(tx) merges same-day purchases, excludes pure returns and later days (hand case)", () => {
    const d = (s: string) => new Date(`${s}T00:00:00Z`);
    const out = calibrationSummary(
      [
        { customerId: "a", date: d("2024-01-01"), amount: 10 },
        { customerId: "a", date: d("2024-01-08"), amount: 5 },
        { customerId: "a", date: d("2024-01-08"), amount: 7 },
        { customerId: "a", date: d("2024-01-10"), amount: -3 }, // pure-return day: not a purchase
        { customerId: "a", date: d("2024-02-20"), amount: 50 }, // after the end: ignored
        { customerId: "b", date: d("2024-01-14"), amount: 1 },
      ],
      { calibrationEnd: "2024-01-15", timeUnit: "days" },
    );
    // Hand computation: a buys on days 0 and 7 -> x = 1, t_x = 7, T = 14, repeat value 12.
    expect(out).toEqual([
      { customerId: "a", x: 1, t_x: 7, T: 14, monetaryValue: 12, firstPurchase: d("2024-01-01") },
      { customerId: "b", x: 0, t_x: 0, T: 1, monetaryValue: 0, firstPurchase: d("2024-01-14") },
    ]);
  });

  it("calibrationSummary(tx, { groupBy: 'order' }) counts orders instead of days", () => {
    const d = new Date("2024-01-01T00:00:00Z");
    const tx = [
      { customerId: "a", date: d, amount: 10, orderId: "1" },
      { customerId: "a", date: d, amount: 20, orderId: "2" },
    ];
    expect(calibrationSummary(tx, { calibrationEnd: "2024-01-08", timeUnit: "weeks" })[0].x).toBe(0);
    const byOrder = calibrationSummary(tx, { calibrationEnd: "2024-01-08", timeUnit: "weeks", groupBy: "order" })[0];
    expect(byOrder.x).toBe(1);
    expect(byOrder.monetaryValue).toBe(20);
    expect(byOrder.T).toBe(1);
  });

  describe("errors", () => {
    it("calibrationSummary rejects an unknown time unit and groupBy", () => {
      const tx = [{ customerId: "a", date: new Date(0), amount: 1 }];
      expect(() => calibrationSummary(tx, { timeUnit: 0 })).toThrow(InvalidOptionError);
      expect(() => calibrationSummary(tx, { groupBy: "week" as "day" })).toThrow(
        expect.objectContaining({ name: "InvalidOptionError", option: "groupBy", value: "week" }),
      );
    });
  });
});
