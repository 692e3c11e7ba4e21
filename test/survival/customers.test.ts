import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { toTransactionTable } from "../../src/core/index.js";
import { summarizeCustomersTable } from "../../src/summary/index.js";
import { churnSurvivalData, churnSurvivalFromTransactions, cohortLabels, kaplanMeierByGroup } from "../../src/survival/index.js";

// asOf 2024-07-01. Days from 2024-01-01: Feb 1 = 31, Mar 1 = 60, Apr 1 = 91, Jun 20 = 171, Jul 1 = 182.
const log = [
  { customerId: "a", date: new Date("2024-01-01"), amount: 10 }, // last Feb 1: recency 151
  { customerId: "a", date: new Date("2024-02-01"), amount: 10 },
  { customerId: "b", date: new Date("2024-01-01"), amount: 10 }, // last Jun 20: recency 11
  { customerId: "b", date: new Date("2024-06-20"), amount: 10 },
  { customerId: "c", date: new Date("2024-03-01"), amount: 5 }, // one purchase: recency 122
  { customerId: "d", date: new Date("2024-04-01"), amount: 5 }, // last Apr 2: recency 90 (= window)
  { customerId: "d", date: new Date("2024-04-02"), amount: 5 },
];

describe("churnSurvivalData", () => {
  const { customers } = summarizeCustomersTable(toTransactionTable(log), { asOf: "2024-07-01" });

  it("churnSurvivalData(customers) applies the window rule: event at last - first + W, others censored at asOf - first", () => {
    const s = churnSurvivalData(customers, { churnWindowDays: 90 });
    expect(s.ids).toEqual(["a", "b", "c", "d"]);
    // a: churned (151 >= 90): 31 + 90 = 121; b: active, censored at 182
    // c: churned (122 >= 90): 0 + 90 = 90; d: recency 90 >= 90, churned: 1 + 90 = 91
    expect(Array.from(s.time)).toEqual([121, 182, 90, 91]);
    expect(Array.from(s.status)).toEqual([1, 0, 1, 1]);
    expect(s.rule).toContain("90 days");
  });

  it("churnSurvivalData with eventTime \"lastPurchase\" and months measures first to last purchase", () => {
    const s = churnSurvivalData(customers, { churnWindowDays: 120, eventTime: "lastPurchase", unitDays: 30 });
    // a: 31 days, churned (151 >= 120); b: 171 days, active; c: 0, churned (122); d: 1 day, active (90 < 120)
    expect(Array.from(s.time)).toEqual([31 / 30, 171 / 30, 0, 1 / 30]);
    expect(Array.from(s.status)).toEqual([1, 0, 1, 0]);
  });

  it("every churned customer's window-end time is at most its tenure (honest censoring at asOf)", () => {
    const s = churnSurvivalData(customers, { churnWindowDays: 60 });
    for (let i = 0; i < customers.length; i++) {
      if (s.status[i] === 1) expect(s.time[i]).toBeLessThanOrEqual(customers.tenureDays[i]);
      else expect(s.time[i]).toBe(customers.tenureDays[i]);
    }
  });

  it("churnSurvivalFromTransactions gives the same as summarising first", () => {
    const a = churnSurvivalFromTransactions(log, { asOf: "2024-07-01", churnWindowDays: 90 });
    const b = churnSurvivalData(customers, { churnWindowDays: 90 });
    expect([a.ids, Array.from(a.time), Array.from(a.status)]).toEqual([b.ids, Array.from(b.time), Array.from(b.status)]);
  });

  it("cohortLabels + kaplanMeierByGroup give a curve per acquisition cohort", () => {
    expect(cohortLabels(customers)).toEqual(["2024-01", "2024-01", "2024-03", "2024-04"]);
    expect(cohortLabels(customers, "quarter")).toEqual(["2024-Q1", "2024-Q1", "2024-Q1", "2024-Q2"]);
    expect(cohortLabels(customers, "year")).toEqual(["2024", "2024", "2024", "2024"]);
    const s = churnSurvivalData(customers, { churnWindowDays: 90 });
    const curves = kaplanMeierByGroup(s.time, s.status, cohortLabels(customers, "quarter"));
    // Q1: a (121, event), b (182, censored), c (90, event): S(90) = 2/3, S(121) = 1/3
    const q1 = curves.get("2024-Q1")!;
    expect(Array.from(q1.time)).toEqual([90, 121, 182]);
    [2 / 3, 1 / 3, 1 / 3].forEach((v, i) => expect(q1.surv[i]).toBeCloseTo(v, 15));
    expect(curves.get("2024-Q2")!.events).toBe(1);
  });

  describe("errors", () => {
    it("rejects a bad window, event time or unit", () => {
      const e = (() => { try { churnSurvivalData(customers, { churnWindowDays: 0 }); } catch (err) { return err; } })() as InvalidOptionError;
      expect([e.option, e.value]).toEqual(["churnWindowDays", 0]);
      expect(() => churnSurvivalData(customers, { eventTime: "firstPurchase" as never })).toThrow(InvalidOptionError);
      expect(() => churnSurvivalData(customers, { unitDays: -1 })).toThrow(InvalidOptionError);
      expect(() => cohortLabels(customers, "week" as never)).toThrow(InvalidOptionError);
    });
  });
});
