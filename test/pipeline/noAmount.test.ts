import { describe, expect, it } from "vitest";
import {
  analyze,
  calibrationTable,
  cohortTable,
  conditionalExpectedPurchasesColumn,
  fitBgNbd,
  generateTransactions,
  groupByCustomer,
  lifecycleStages,
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
    // Profitability needs revenue; cohorts and lifecycle run on the orders alone.
    expect(skipped).toEqual(["matrix", "abc", "value", "montecarlo", "churn", "rules", "cluster", "profitability", "migration", "campaign"]);
    for (const s of result.steps.filter((x) => ["matrix", "abc", "value", "montecarlo", "profitability"].includes(x.step))) expect(s.reason).toMatch(/^the log has no amounts/);
    expect(result.steps.filter((s) => s.step === "cohorts" || s.step === "lifecycle").map((s) => s.status)).toEqual(["ok", "ok"]);
    expect(result.table.columns.has("profit")).toBe(false);
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

    // Cohorts and lifecycle stages equal the analytics' own functions on the same columns (no revenue: stages by orders and recency).
    const grouped = groupByCustomer(table);
    const c = cohortTable(grouped, { grain: "month", asOf: result.asOf });
    expect(result.results.cohorts!.grain).toBe("month");
    expect(result.results.cohorts!.cohorts.map((x) => [x.cohort, x.customers, x.active])).toEqual(c.matrix.cohorts.map((cohort, j) => [cohort, c.matrix.size[j], c.tidy.filter((t) => t.cohort === cohort).map((t) => t.active)]));
    const cohortOf = new Map(c.customers.ids.map((id, j) => [id, c.customers.cohort.values[c.customers.cohort.codes[j]]]));
    for (const row of result.customers) expect(row.cohort).toBe(cohortOf.get(row.customerId));
    const life = lifecycleStages(grouped, { asOf: result.asOf });
    const stageOf = new Map(life.ids.map((id, j) => [id, life.stage.values[life.stage.codes[j]]]));
    for (const row of result.customers) expect(row.lifecycleStage).toBe(stageOf.get(row.customerId));
    expect(result.results.lifecycle!.stages.map((s) => s.count)).toEqual(life.stages.filter((s) => s.stage !== "prospect").map((s) => s.count));
  }, 60_000);
});
