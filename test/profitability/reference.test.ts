/**
 * Customer profit and the whale curve against an independent pandas implementation
 * (test/reference/crm_cohorts.py on the seeded log of test/reference/crm_log.ts, output frozen
 * in crm_cohorts.json): counts exactly, money and shares to 1e-9.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { customerProfitability } from "../../src/profitability/index.js";
import { CRM_COST_TO_SERVE, crmLog } from "../reference/crm_log.js";

interface RefWhale {
  ids: string[];
  profit: number[];
  revenue: number[];
  orders: number[];
  returnLines: number[];
  ranked: string[];
  cumulative: number[];
  total: number;
  gains: number;
  losses: number;
  profitable: number;
  lossMaking: number;
  peak: number;
  lossShare: number;
  abcByProfit: number[];
  abcByRevenue: number[];
}
const REF = JSON.parse(readFileSync(new URL("../reference/crm_cohorts.json", import.meta.url), "utf8")) as { whale: RefWhale };
const W = REF.whale;
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe("customerProfitability (pandas reference, crm_cohorts.py)", () => {
  const p = customerProfitability(toTransactionTable(crmLog()), CRM_COST_TO_SERVE);
  it("gives the reference's per-customer revenue, orders, return lines and profit", () => {
    expect(p.source).toBe("cost");
    expect(p.ids).toEqual(W.ids);
    expect(Array.from(p.orders)).toEqual(W.orders);
    expect(Array.from(p.returnLines)).toEqual(W.returnLines);
    p.ids.forEach((_, k) => {
      expect(close(p.revenue[k], W.revenue[k])).toBe(true);
      expect(close(p.profit[k], W.profit[k])).toBe(true);
    });
  });
  it("gives the reference's whale curve point by point, its peak and loss share", () => {
    const w = p.whale;
    expect(w.base).toBe("total");
    expect(Array.from(w.order, (k) => p.ids[k])).toEqual(W.ranked);
    expect(w.cumulative.length).toBe(W.cumulative.length);
    w.cumulative.forEach((x, i) => expect(Math.abs(x - W.cumulative[i])).toBeLessThanOrEqual(1e-9));
    expect([w.profitableCount, w.lossMakingCount, w.peakCustomers]).toEqual([W.profitable, W.lossMaking, W.profitable]);
    expect(close(w.total, W.total) && close(w.gains, W.gains) && close(w.losses, W.losses)).toBe(true);
    expect(Math.abs(w.peak - W.peak)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(w.lossShare - W.lossShare)).toBeLessThanOrEqual(1e-9);
    // the curve's highest point is the peak, reached after the profitable customers
    expect(Math.max(...w.cumulative)).toBe(w.peak);
    expect(w.cumulative[w.peakCustomers]).toBe(w.peak);
  });
  it("gives the reference's ABC class counts by profit and by revenue", () => {
    expect(p.abc.byProfit.map((g) => g.count)).toEqual(W.abcByProfit);
    expect(p.abc.byRevenue.map((g) => g.count)).toEqual(W.abcByRevenue);
  });
});
