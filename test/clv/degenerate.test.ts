import { describe, expect, it } from "vitest";
import { AnalyticsError, calibrationTable, customerLifetimeValueColumns, fitBgNbd, fitGammaGamma, toTransactionTable } from "../../src/index.js";

describe("customerLifetimeValueColumns on degenerate fits", () => {
  it("a one-month log whose fits do not converge gives NOT_CONVERGED naming the customer, not an overflow error and not NaN", () => {
    const rows: { customerId: string; date: Date; amount: number }[] = [];
    const ids = ["__proto__", "constructor", "toString", ...Array.from({ length: 40 }, (_, i) => `c${i}`)];
    ids.forEach((id, i) => {
      rows.push({ customerId: id, date: new Date(Date.UTC(2024, 0, 1 + (i % 20))), amount: 10 + i });
      if (i % 2) rows.push({ customerId: id, date: new Date(Date.UTC(2024, 0, 10 + (i % 20))), amount: 5 }); // every repeat purchase is 5
    });
    const cal = calibrationTable(toTransactionTable(rows), { calibrationEnd: "2024-01-31" });
    const gg = fitGammaGamma(cal);
    expect(gg.convergence.converged).toBe(false);
    let caught: unknown;
    try {
      customerLifetimeValueColumns(fitBgNbd(cal), gg, cal, { horizon: 12, discountRate: 0.01, periodsPerUnit: 4.345 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AnalyticsError);
    expect((caught as AnalyticsError).code).toBe("NOT_CONVERGED");
    // the first customer whose value cannot be computed is named (a series that cannot converge
    // for these parameters, or a NaN spend), whichever is met first
    const named = /no finite value for customer (\S+) /.exec((caught as Error).message)?.[1];
    expect(ids).toContain(named);
  });
});
