/**
 * customerProfitability on the seeded reference log (test/reference/crm_log.ts) against the
 * customer summaries (summarizeCustomersTable, separate code) and its own accounting identities.
 */
import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { customerProfitability, lineProfit } from "../../src/profitability/index.js";
import { fsum } from "../../src/numeric/index.js";
import { summarizeCustomersTable } from "../../src/summary/index.js";
import { CRM_COST_TO_SERVE, crmLog } from "../reference/crm_log.js";

const table = toTransactionTable(crmLog());

describe("customerProfitability (seeded reference log)", () => {
  const { customers: c } = summarizeCustomersTable(table);
  const p = customerProfitability(table, { ...CRM_COST_TO_SERVE, ids: c.ids });
  it("counts the summaries' purchase orders and return lines, and their net revenue", () => {
    expect(Array.from(p.orders)).toEqual(Array.from(c.frequency));
    expect(Array.from(p.returnLines)).toEqual(Array.from(c.returnLines));
    c.ids.forEach((_, k) => expect(p.revenue[k]).toBeCloseTo(c.totalSpend[k], 9));
  });
  it("holds its identities: revenue - cost = profit per customer; totals add up; the zones partition the rows", () => {
    for (let k = 0; k < p.length; k++) expect(p.revenue[k] - p.cost[k]).toBeCloseTo(p.profit[k], 8);
    expect(p.totals.profit).toBeCloseTo(fsum(p.profit), 9);
    expect(p.zones.reduce((a, z) => a + z.count, 0)).toBe(p.length);
    expect(p.report.unlisted.customers).toBe(0); // every customer of the log has a purchase
    // the gross profit is the sum of the line profits over all rows
    expect(p.totals.grossProfit).toBeCloseTo(fsum(lineProfit(table).profit), 8);
  });
  it("a margin rate gives every customer gross profit = rate x revenue", () => {
    const q = customerProfitability(table, { marginRate: 0.3 });
    for (let k = 0; k < q.length; k++) expect(q.grossProfit[k]).toBeCloseTo(0.3 * q.revenue[k], 9);
  });
});
