import { describe, expect, it } from "vitest";
import { generateTransactions, InvalidOptionError, rfm, rfmColumns, rfmHeatmap, rfmHeatmapColumns, segmentSummary, segmentSummaryColumns, summarizeCustomers, summarizeCustomersTable } from "../../src/index.js";

describe("segmentSummaryColumns / rfmHeatmapColumns", () => {
  const tx = generateTransactions({ customers: 3000, seed: 17, returnRate: 0.05 });
  const { customers } = summarizeCustomersTable(tx);
  const records = summarizeCustomers(tx);

  it("segmentSummaryColumns(rfmColumns(t), t) equals segmentSummary(rfm(records)) for every grouping, both M definitions", () => {
    for (const monetary of ["total", "average"] as const) {
      const byRecords = rfm(records, { monetary });
      const byColumns = rfmColumns(customers, { monetary });
      for (const by of ["segment", "cell", "r", "f", "m"] as const) {
        expect(segmentSummaryColumns(byColumns, customers, { by, monetary }), `${monetary} ${by}`).toEqual(segmentSummary(byRecords, { by }));
      }
      const m = monetary === "total" ? customers.totalSpend : customers.averageOrderValue;
      expect(rfmHeatmapColumns(byColumns, m)).toEqual(rfmHeatmap(byRecords));
    }
  });

  it("segmentSummaryColumns: shares sum to 1; errors for a bad by or a short column", () => {
    const r = rfmColumns(customers);
    const rows = segmentSummaryColumns(r, customers);
    expect(rows.reduce((a, x) => a + x.customerShare, 0)).toBeCloseTo(1, 12);
    expect(rows.reduce((a, x) => a + x.count, 0)).toBe(customers.length);
    expect(() => segmentSummaryColumns(r, customers, { by: "x" as never })).toThrow(InvalidOptionError);
    expect(() => segmentSummaryColumns(r, { ...customers, totalSpend: customers.totalSpend.subarray(1) })).toThrow(InvalidOptionError);
    expect(() => rfmHeatmapColumns(r, [1, 2])).toThrow(InvalidOptionError);
  });
});
