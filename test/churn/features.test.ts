/**
 * Hand-computed churn features with recency_days > 0 (code review mutant M14:
 * recency / gapMean -> recency / (gapMean + 1) survived every other test).
 */
import { describe, expect, it } from "vitest";
import { churnDataset, churnDatasetColumns } from "../../src/churn/index.js";
import { toTransactionTable } from "../../src/index.js";

describe("churnDataset features by hand", () => {
  it("churnDataset(purchases on days 0, 10, 30; cutoff day 60): recency 30, gap_mean 15, gap_sd 7.0711, recency_ratio 2", () => {
    // Purchases 2024-01-01, 01-11, 01-31; cutoff 2024-03-01 (day 60 counting 2024-01-01 as day 0).
    // recency_days = 60 - 30 = 30; gaps 10 and 20: gap_mean = 15, gap_sd = sqrt(((10-15)^2 + (20-15)^2) / 1) = sqrt(50);
    // recency_ratio = 30 / 15 = 2 (the mutant gives 30 / 16 = 1.875); tenure_days = 60.
    const tx = [
      { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
      { customerId: "a", date: new Date("2024-01-11"), amount: 20 },
      { customerId: "a", date: new Date("2024-01-31"), amount: 30 },
    ];
    const [row] = churnDataset(tx, { cutoff: "2024-03-01", labels: false }).rows;
    expect(row).toMatchObject({ recency_days: 30, frequency: 3, tenure_days: 60, gap_mean: 15, recency_ratio: 2, monetary_total: 60, monetary_avg: 20 });
    expect(row.gap_sd).toBeCloseTo(Math.sqrt(50), 12);
    const cols = churnDatasetColumns(toTransactionTable(tx), { cutoff: "2024-03-01", labels: false });
    expect(cols.columns.recency_ratio[0]).toBe(2);
  });
});
