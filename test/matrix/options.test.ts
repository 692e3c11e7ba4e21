/**
 * Options: an explicit `undefined` means the default in the behaviour matrix (issue 16 item 4).
 */
import { describe, expect, it } from "vitest";
import { behaviorMatrix, behaviorMatrixColumns } from "../../src/index.js";

// Hand case: frequencies 5, 1, 6, 1 (median (1 + 5) / 2 = 3) and average amounts 100, 90, 10, 5
// (median (10 + 90) / 2 = 50); mean frequency 13 / 4 = 3.25, mean amount 205 / 4 = 51.25.
const cols = { frequency: Int32Array.of(5, 1, 6, 1), averageOrderValue: Float64Array.of(100, 90, 10, 5), totalSpend: Float64Array.of(500, 90, 60, 5) };
const records = ["a", "b", "c", "d"].map((customerId, i) => ({ customerId, frequency: cols.frequency[i], averageOrderValue: cols.averageOrderValue[i], totalSpend: cols.totalSpend[i] }));
const undef = { frequencyThreshold: undefined, amountThreshold: undefined };

describe("options: explicit undefined means the default (matrix)", () => {
  it("behaviorMatrix(s, { frequencyThreshold: undefined, amountThreshold: undefined }) splits at the medians 3 and 50", () => {
    const m = behaviorMatrix(records, undef);
    expect(m).toEqual(behaviorMatrix(records));
    expect(m.thresholds).toEqual({ frequency: 3, averageOrderValue: 50 });
    expect(behaviorMatrix(records, { ...undef, amountThreshold: "mean" }).thresholds).toEqual({ frequency: 3, averageOrderValue: 51.25 });
  });

  it("behaviorMatrixColumns(table, every key undefined) equals behaviorMatrixColumns(table)", () => {
    const m = behaviorMatrixColumns(cols, undef);
    expect(m).toEqual(behaviorMatrixColumns(cols));
    expect([...m.quadrant.codes]).toEqual([0, 1, 2, 3]);
  });
});
