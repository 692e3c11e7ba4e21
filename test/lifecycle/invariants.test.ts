/**
 * lifecycleStages on the seeded reference log (test/reference/crm_log.ts): its features agree
 * with the customer summaries (summarizeCustomersTable, separate code), every customer is
 * accounted for, and each stage follows from the levels by the default rules.
 */
import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { lifecycleStages } from "../../src/lifecycle/index.js";
import { median } from "../../src/numeric/index.js";
import { summarizeCustomersTable } from "../../src/summary/index.js";
import { crmLog } from "../reference/crm_log.js";

const table = toTransactionTable(crmLog());

describe("lifecycleStages (seeded reference log)", () => {
  const asOf = "2024-06-30";
  const s = lifecycleStages(table, { asOf });
  const { customers: c, report } = summarizeCustomersTable(table, { asOf });
  it("has the customer table's rows and features: frequency, recency, tenure, mean gap", () => {
    expect(s.ids).toEqual(c.ids);
    expect(Array.from(s.frequency)).toEqual(Array.from(c.frequency));
    expect(Array.from(s.recencyDays)).toEqual(Array.from(c.recencyDays));
    expect(Array.from(s.tenureDays)).toEqual(Array.from(c.tenureDays));
    const fallback = median(Array.from(c.meanGapDays).filter((g) => !Number.isNaN(g)));
    expect(s.settings.fallbackCadenceDays).toBe(fallback);
    c.ids.forEach((_, k) => {
      const gap = Number.isNaN(c.meanGapDays[k]) ? fallback : c.meanGapDays[k];
      expect(s.cadenceDays[k]).toBeCloseTo(Math.max(7, gap), 10);
      expect(s.revenue[k]).toBeCloseTo(c.totalSpend[k], 9);
    });
  });
  it("accounts for every customer and every row", () => {
    expect(s.report.customers + s.report.customersWithoutPurchase).toBe(report.customers + report.customersWithoutPurchase);
    expect(s.report.usedRows + s.report.excludedAfterAsOf).toBe(table.length);
    expect(s.stages.reduce((a, x) => a + x.count, 0)).toBe(s.length);
    expect(s.stages.reduce((a, x) => a + x.customerShare, 0)).toBeCloseTo(1, 12);
    expect(s.stages.reduce((a, x) => a + x.revenueShare, 0)).toBeCloseTo(1, 12);
  });
  it("gives each customer the stage the default rules give its levels", () => {
    const L = (col: { codes: Int32Array; values: readonly string[] }, k: number) => col.values[col.codes[k]];
    for (let k = 0; k < s.length; k++) {
      const [t, r, tr] = [L(s.tenure, k), L(s.recency, k), L(s.trend, k)];
      const want = r === "lapsed" ? "churned" : t === "new" ? "new" : r === "lapsing" ? "decline" : tr === "up" ? "growth" : tr === "flat" ? "maturity" : "decline";
      expect(L(s.stage, k)).toBe(want);
      // the levels follow the documented thresholds
      expect(r).toBe(s.recencyRatio[k] <= 1.5 ? "active" : s.recencyRatio[k] <= 3 ? "lapsing" : "lapsed");
      expect(t).toBe(s.tenureDays[k] <= 90 ? "new" : "established");
    }
  });
});
