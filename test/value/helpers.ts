/** Shared fixtures of the value tests (not a test file). */
import type { CustomerSummary } from "../../src/index.js";

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/** A hand-made customer summary (frozen); only the fields clv3d reads matter. Override any field with `f`. */
export function summary(id: string, f: Partial<CustomerSummary> = {}): CustomerSummary {
  return Object.freeze({
    customerId: id,
    firstPurchase: new Date(T0),
    lastPurchase: new Date(T0 + 300 * DAY),
    frequency: 10,
    repeatPurchases: 9,
    totalSpend: 1200,
    averageOrderValue: 120,
    recencyDays: 60,
    tenureDays: 360,
    meanGapDays: 33,
    sdGapDays: 5,
    spendPerPeriod: 100,
    returnLines: 0,
    returnAmount: 0,
    ...f,
  });
}
