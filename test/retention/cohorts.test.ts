import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import type { Transaction } from "../../src/core/types.js";
import { cohortTable, periodRetention, retentionEstimates } from "../../src/retention/index.js";

/**
 * The hand-computed log, months January to April 2024 (asOf 2024-04-30):
 * a: Jan 10, Feb 20, Mar 5            -> active Jan, Feb, Mar; cohort Jan
 * b: Jan 30, Mar 15                   -> active Jan, Mar; cohort Jan
 * c: Feb 40, Feb return -10, Apr 25   -> active Feb, Apr; cohort Feb
 * d: Feb 8                            -> active Feb; cohort Feb
 * e: Mar return -7 only               -> no purchase, no cohort
 * f: Apr 50                           -> cohort Apr (a cohort of one customer)
 * Active: Jan {a, b}, Feb {a, c, d}, Mar {a, b}, Apr {c, f}.
 */
const LOG = [
  { customerId: "a", date: "2024-01-03", amount: 10 },
  { customerId: "b", date: "2024-01-20", amount: 30 },
  { customerId: "c", date: "2024-02-02", amount: 40 },
  { customerId: "a", date: "2024-02-14", amount: 20 },
  { customerId: "c", date: "2024-02-20", amount: -10 },
  { customerId: "d", date: "2024-02-25", amount: 8 },
  { customerId: "a", date: "2024-03-01", amount: 5 },
  { customerId: "e", date: "2024-03-03", amount: -7 },
  { customerId: "b", date: "2024-03-15", amount: 15 },
  { customerId: "f", date: "2024-04-02", amount: 50 },
  { customerId: "c", date: "2024-04-10", amount: 25 },
] as unknown as Transaction[];
const table = toTransactionTable(LOG);

describe("periodRetention", () => {
  it("periodRetention(table) gives retained / previously active per month, with new and reactivated customers", () => {
    const r = periodRetention(table, { asOf: "2024-04-30" });
    expect(r.periods).toEqual([
      { period: "2024-01", active: 2, previousActive: 0, retained: 0, new: 2, reactivated: 0, rate: null },
      // Feb keeps a of {a, b}: 1/2; c, d new
      { period: "2024-02", active: 3, previousActive: 2, retained: 1, new: 2, reactivated: 0, rate: 0.5 },
      // Mar keeps a of {a, c, d}: 1/3; b comes back
      { period: "2024-03", active: 2, previousActive: 3, retained: 1, new: 0, reactivated: 1, rate: 1 / 3 },
      // Apr keeps nobody of {a, b}; f new, c back
      { period: "2024-04", active: 2, previousActive: 2, retained: 0, new: 1, reactivated: 1, rate: 0 },
    ]);
    // (1 + 1 + 0) / (2 + 3 + 2)
    expect(r.overallRate).toBe(2 / 7);
    expect(r.report).toMatchObject({ rows: 11, usedRows: 11, customers: 5, customersWithoutPurchase: 1, revenueWithoutCohort: -7, lastPeriodComplete: true, asOf: "2024-04-30" });
  });
  it("periodRetention(table, { grain: 'quarter' }) keeps c of {a, b, c, d} into Q2: 1/4", () => {
    const r = periodRetention(table, { grain: "quarter" });
    expect(r.periods.map((p) => [p.period, p.active, p.rate])).toEqual([["2024-Q1", 4, null], ["2024-Q2", 2, 0.25]]);
    // asOf defaults to the last day, 2024-04-10: Q2 is partial
    expect(r.report.lastPeriodComplete).toBe(false);
  });
  it("periodRetention(table, { grain: 'week' }) labels weeks by their Monday and includes empty weeks", () => {
    const r = periodRetention(table, { grain: "week", asOf: "2024-01-21" });
    // 2024-01-03 is a Wednesday (week of Monday 2024-01-01); 2024-01-20 a Saturday (week of 01-15)
    expect(r.periods.map((p) => [p.period, p.active, p.rate])).toEqual([["2024-01-01", 1, null], ["2024-01-08", 0, 0], ["2024-01-15", 1, null]]);
    expect(r.report.excludedAfterAsOf).toBe(9);
    expect(r.report.lastPeriodComplete).toBe(true); // 2024-01-21 is a Sunday
  });
  it("an explicit undefined option keeps the default (month)", () => {
    expect(periodRetention(table, { grain: undefined }).grain).toBe("month");
  });
  it("an empty table gives no periods and no NaN", () => {
    const r = periodRetention(toTransactionTable([]));
    expect([r.overallRate, r.report.customers]).toEqual([null, 0]);
  });
  it("no purchase by asOf (an empty table, or asOf before every purchase) gives no periods, no cohorts, no NaN", () => {
    for (const r of [periodRetention(toTransactionTable([])), periodRetention(table, { asOf: "2023-12-31" })]) {
      expect([r.periods, r.overallRate, r.report.customers]).toEqual([[], null, 0]);
    }
    const c = cohortTable(table, { asOf: "2023-12-31" });
    expect([c.tidy, c.matrix.cohorts, c.matrix.width, c.customers.ids, retentionEstimates(c).retention]).toEqual([[], [], 0, [], null]);
    expect(c.report.excludedAfterAsOf).toBe(11);
  });
  describe("errors", () => {
    it("an unknown grain: InvalidOptionError naming grain", () => {
      const e = (() => { try { periodRetention(table, { grain: "day" as never }); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["grain", "day"]);
    });
  });
});

describe("cohortTable", () => {
  const c = cohortTable(table, { asOf: "2024-04-30" });
  it("cohortTable(table) gives hand-computed cells: active, retention, retained, alive, revenue, revenue retention", () => {
    const rows = c.tidy.map((x) => [x.cohort, x.period, x.calendarPeriod, x.customers, x.active, x.retention, x.retained, x.alive, x.revenue, x.revenueRetention]);
    expect(rows).toEqual([
      // Jan cohort {a, b}: revenue 10 + 30, 20, 5 + 15, 0; alive: both buy until March
      ["2024-01", 0, "2024-01", 2, 2, 1, 0, 2, 40, 1],
      ["2024-01", 1, "2024-02", 2, 1, 0.5, 1, 2, 20, 0.5],
      ["2024-01", 2, "2024-03", 2, 2, 1, 1, 2, 20, 0.5],
      ["2024-01", 3, "2024-04", 2, 0, 0, 0, 0, 0, 0],
      // Feb cohort {c, d}: revenue 40 - 10 + 8 = 38, 0, 25; alive: c until April, d only February
      ["2024-02", 0, "2024-02", 2, 2, 1, 0, 2, 38, 1],
      ["2024-02", 1, "2024-03", 2, 0, 0, 0, 1, 0, 0],
      ["2024-02", 2, "2024-04", 2, 1, 0.5, 0, 1, 25, 25 / 38],
      // Apr cohort {f}: one customer, retention 1
      ["2024-04", 0, "2024-04", 1, 1, 1, 0, 1, 50, 1],
    ]);
  });
  it("cohortTable(table).matrix holds the same numbers row-major, unobserved cells 0", () => {
    const m = c.matrix;
    expect([m.cohorts, m.width, Array.from(m.size), Array.from(m.observed)]).toEqual([["2024-01", "2024-02", "2024-04"], 4, [2, 2, 1], [4, 3, 1]]);
    expect(Array.from(m.active)).toEqual([2, 1, 2, 0, 2, 0, 1, 0, 1, 0, 0, 0]);
    expect(Array.from(m.alive)).toEqual([2, 2, 2, 0, 2, 1, 1, 0, 1, 0, 0, 0]);
    expect(Array.from(m.revenue)).toEqual([40, 20, 20, 0, 38, 0, 25, 0, 50, 0, 0, 0]);
    expect(Array.from(m.retention)).toEqual([1, 0.5, 1, 0, 1, 0, 0.5, 0, 1, 0, 0, 0]);
  });
  it("cohortTable(table).customers gives each customer's cohort, ids sorted; e (returns only) has none", () => {
    expect(c.customers.ids).toEqual(["a", "b", "c", "d", "f"]);
    expect(Array.from(c.customers.cohort.codes, (k) => c.customers.cohort.values[k])).toEqual(["2024-01", "2024-01", "2024-02", "2024-02", "2024-04"]);
  });
  it("accounts for every line: cohort revenue + revenue without cohort = total", () => {
    const cells = c.tidy.reduce((s, x) => s + x.revenue, 0);
    expect(cells + c.report.revenueWithoutCohort).toBe(LOG.reduce((s, t) => s + t.amount, 0));
  });
  it("cohortTable(records) gives the same cells as on the table", () => {
    expect(cohortTable(LOG, { asOf: "2024-04-30" }).tidy).toEqual(c.tidy);
  });
  it("a return dated before the first purchase goes to period 0 and is counted", () => {
    const t = toTransactionTable([
      { customerId: "x", date: "2024-01-05", amount: -5 },
      { customerId: "x", date: "2024-02-05", amount: 20 },
    ] as unknown as Transaction[]);
    const r = cohortTable(t);
    expect(r.tidy.map((x) => [x.cohort, x.period, x.revenue])).toEqual([["2024-02", 0, 15]]);
    expect(r.report.linesBeforeFirstPurchase).toBe(1);
  });
  it("revenue retention is null (0 in the matrix) when the period-0 revenue is <= 0", () => {
    const t = toTransactionTable([
      { customerId: "x", date: "2024-01-05", amount: 20 },
      { customerId: "x", date: "2024-01-06", amount: -20 },
      { customerId: "x", date: "2024-02-05", amount: 10 },
    ] as unknown as Transaction[]);
    const r = cohortTable(t);
    expect(r.tidy.map((x) => x.revenueRetention)).toEqual([null, null]);
    expect(Array.from(r.matrix.revenueRetention)).toEqual([0, 0]);
  });
});

describe("retentionEstimates", () => {
  const c = cohortTable(table, { asOf: "2024-04-30" });
  it("retentionEstimates(cohorts) pools alive survivors: Jan 2, 2, 2, 0 and Feb 2, 1, 1 give 6 / 9", () => {
    const e = retentionEstimates(c);
    expect(e.survival).toBe("alive");
    expect(e.byCohort.map((x) => [x.cohort, x.survivors])).toEqual([["2024-01", [2, 2, 2, 0]], ["2024-02", [2, 1, 1]], ["2024-04", [1]]]);
    // k = 1: (2 + 1) / (2 + 2); k = 2: (2 + 1) / (2 + 1); k = 3: 0 / 2
    expect(e.pooled).toEqual([
      { period: 1, atRisk: 4, survived: 3, retention: 0.75 },
      { period: 2, atRisk: 3, survived: 3, retention: 1 },
      { period: 3, atRisk: 2, survived: 0, retention: 0 },
    ]);
    expect([e.atRisk, e.survived, e.retention]).toEqual([9, 6, 2 / 3]);
  });
  it("retentionEstimates(cohorts, { survival: 'active' }) uses active in k - 1 and k: 2 / 7", () => {
    const e = retentionEstimates(c, { survival: "active" });
    expect(e.byCohort.map((x) => x.survivors)).toEqual([[2, 1, 2, 0], [2, 0, 1], [1]]);
    // Jan: 2 -> 1 retained, 1 -> 1, 2 -> 0; Feb: 2 -> 0, 0 -> 0
    expect(e.pooled.map((p) => [p.atRisk, p.survived])).toEqual([[4, 1], [1, 1], [2, 0]]);
    expect(e.retention).toBe(2 / 7);
  });
  it("retentionEstimates(cohorts, { dropLastPeriod: true }) leaves out April: Jan 2, 2, 2 and Feb 2, 1 give 5 / 6", () => {
    const e = retentionEstimates(c, { dropLastPeriod: true });
    expect([e.atRisk, e.survived, e.retention]).toEqual([6, 5, 5 / 6]);
  });
  it("the estimate feeds bergerNasrClv: r in [0, 1)", async () => {
    const { bergerNasrClv } = await import("../../src/value/index.js");
    const r = retentionEstimates(c).retention as number;
    // m / (1 + d - r) = 30 / (1.1 - 2/3)
    expect(bergerNasrClv({ margin: 30, retention: r, discountRate: 0.1 }).clv).toBeCloseTo(30 / (1.1 - 2 / 3), 12);
  });
  it("a cohort table with no transitions gives retention null, never NaN", () => {
    const one = cohortTable(toTransactionTable([{ customerId: "x", date: "2024-01-05", amount: 1 }] as unknown as Transaction[]));
    const e = retentionEstimates(one);
    expect([e.retention, e.pooled, e.byCohort[0].survivors]).toEqual([null, [], [1]]);
  });
  describe("errors", () => {
    it("an unknown survival definition or a non-cohort input: InvalidOptionError", () => {
      expect(() => retentionEstimates(c, { survival: "x" as never })).toThrow(InvalidOptionError);
      expect(() => retentionEstimates({} as never)).toThrow(InvalidOptionError);
    });
  });
});
