import { describe, expect, it } from "vitest";
import {
  analyze,
  calibrationTable,
  conditionalExpectedPurchasesColumn,
  fitBgNbd,
  generateTransactions,
  groupByCustomer,
  parseTransactionTable,
  rfm,
  summarizeCustomers,
} from "../../src/index.js";

// A log with only a customer id and a date (lifetimes' example file shape): the frequency-only
// analysis. Oracle: the same public functions on the same log.
describe("analyze on a log without amounts", () => {
  it("skips the money steps with the reason, and the R/F outputs equal the analytics' own functions", async () => {
    // Purchases only: without amounts a return line cannot be told from a purchase.
    const tx = generateTransactions({ customers: 300, seed: 8 }).filter((t) => t.amount > 0);
    const { table, report } = parseTransactionTable(tx.map((t) => ({ id: t.customerId, date: t.date, orderId: t.orderId })));
    expect(report.amountSource).toBe("none");
    const result = await analyze({ table, report }, { seed: 2, skip: ["cluster", "churn"] });
    const skipped = result.steps.filter((s) => s.status === "skipped").map((s) => s.step);
    expect(skipped).toEqual(["matrix", "abc", "value", "montecarlo", "churn", "rules", "cluster"]);
    for (const s of result.steps.filter((x) => ["matrix", "abc", "value", "montecarlo"].includes(x.step))) expect(s.reason).toMatch(/^the log has no amounts/);
    expect(result.table.columns.has("totalSpend")).toBe(false);
    expect(result.table.columns.has("rfmM")).toBe(false);
    expect(result.value.past).toBeNull();
    expect(result.value.future).toEqual([]);

    // RFM segments come from the R x F grid: equal to rfm() on the summaries of the log with amounts.
    const direct = rfm(summarizeCustomers(tx, { asOf: result.asOf }));
    const seg = new Map(result.customers.map((c) => [c.customerId, c.rfmSegment]));
    for (const c of direct.customers) expect(seg.get(c.customerId)).toBe(c.segment);

    // Expected purchases over 12 months of 30 days = BG/NBD's conditional expectation at t = 12 x 30/7 weeks.
    const cal = calibrationTable(groupByCustomer(table), { calibrationEnd: result.asOf, timeUnit: "weeks" });
    const e = conditionalExpectedPurchasesColumn(fitBgNbd(cal), cal, { t: (12 * 30) / 7 });
    const got = new Map(result.customers.map((c) => [c.customerId, c.expectedPurchases]));
    for (let k = 0; k < cal.length; k++) expect(Math.abs(got.get(cal.ids[k])! - e[k])).toBeLessThanOrEqual(5e-5);
  }, 60_000);
});
