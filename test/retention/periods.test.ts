import { describe, expect, it } from "vitest";
import { monthOf, periodLabel, periodOf, periodStartDay } from "../../src/retention/periods.js";

describe("periodOf", () => {
  it("monthOf(day) agrees with Date's UTC calendar from 1600 to 2400 (every 7th day)", () => {
    for (let day = -135_000; day <= 157_000; day += 7) {
      const d = new Date(day * 86_400_000);
      expect(monthOf(day)).toBe(d.getUTCFullYear() * 12 + d.getUTCMonth());
    }
  });
  it("periodOf(day, grain) and periodStartDay are inverse: a period starts on its first day", () => {
    for (const grain of ["month", "quarter", "week"] as const) {
      for (let day = -2000; day <= 30_000; day += 13) {
        const p = periodOf(day, grain);
        const start = periodStartDay(p, grain);
        expect(start).toBeLessThanOrEqual(day);
        expect(periodOf(start, grain)).toBe(p);
        expect(periodOf(start - 1, grain)).toBe(p - 1);
      }
    }
  });
  it("periodLabel gives 2024-02, 2024-Q1 and the Monday of the week", () => {
    const day = Date.UTC(2024, 1, 29) / 86_400_000; // Thursday 2024-02-29
    expect([periodLabel(periodOf(day, "month"), "month"), periodLabel(periodOf(day, "quarter"), "quarter"), periodLabel(periodOf(day, "week"), "week")]).toEqual(["2024-02", "2024-Q1", "2024-02-26"]);
    expect(periodLabel(periodOf(-1, "month"), "month")).toBe("1969-12");
  });
});
