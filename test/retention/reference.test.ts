/**
 * Cohort tables and period retention against an independent pandas implementation
 * (test/reference/crm_cohorts.py on the seeded log of test/reference/crm_log.ts, output frozen
 * in crm_cohorts.json): counts exactly, money to 1e-9.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { cohortTable, periodRetention, retentionEstimates } from "../../src/retention/index.js";
import { crmLog } from "../reference/crm_log.js";

interface RefGrain {
  cells: [string, number, string, number, number, number, number, number][];
  periods: [string, number, number, number, number, number][];
  customers: number;
  withoutPurchase: number;
  revenueWithoutCohort: number;
}
const REF = JSON.parse(readFileSync(new URL("../reference/crm_cohorts.json", import.meta.url), "utf8")) as { asOf: string; rows: number; cohorts: Record<"month" | "quarter" | "week", RefGrain> };
const table = toTransactionTable(crmLog());

describe("cohortTable (pandas reference, crm_cohorts.py)", () => {
  it("reads the same log as the reference", () => {
    expect(table.length).toBe(REF.rows);
  });
  for (const grain of ["month", "quarter", "week"] as const) {
    it(`cohortTable(table, { grain: "${grain}" }) agrees with pandas cell by cell`, () => {
      const ref = REF.cohorts[grain];
      const c = cohortTable(table, { grain });
      expect(c.report.asOf).toBe(REF.asOf);
      expect(c.report.customers).toBe(ref.customers);
      expect(c.report.customersWithoutPurchase).toBe(ref.withoutPurchase);
      expect(c.report.revenueWithoutCohort).toBeCloseTo(ref.revenueWithoutCohort, 9);
      expect(c.tidy.length).toBe(ref.cells.length);
      c.tidy.forEach((x, i) => {
        const [cohort, k, calendar, size, active, retained, alive, revenue] = ref.cells[i];
        expect([x.cohort, x.period, x.calendarPeriod, x.customers, x.active, x.retained, x.alive]).toEqual([cohort, k, calendar, size, active, retained, alive]);
        expect(Math.abs(x.revenue - revenue)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(revenue)));
      });
      // the cohorts partition the customers
      expect(Array.from(c.matrix.size).reduce((s, v) => s + v, 0)).toBe(ref.customers);
    });
    it(`periodRetention(table, { grain: "${grain}" }) agrees with pandas period by period`, () => {
      const ref = REF.cohorts[grain];
      const r = periodRetention(table, { grain });
      expect(r.periods.map((p) => [p.period, p.active, p.previousActive, p.retained, p.new, p.reactivated])).toEqual(ref.periods);
    });
  }
  it("retentionEstimates(active) pools exactly the transitions periodRetention counts (same pairs of periods)", () => {
    for (const grain of ["month", "quarter", "week"] as const) {
      const e = retentionEstimates(cohortTable(table, { grain }), { survival: "active" });
      const p = periodRetention(table, { grain });
      expect(e.survived).toBe(p.periods.reduce((s, x) => s + (x.previousActive > 0 ? x.retained : 0), 0));
      expect(e.atRisk).toBe(p.periods.reduce((s, x) => s + x.previousActive, 0));
      expect(e.retention).toBe(p.overallRate);
    }
  });
});
