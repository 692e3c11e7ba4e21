/**
 * One options rule (code review 2.4 / 2.6, issue 16 item 4): an explicit `undefined` means the
 * default, in every churn function, exactly as an absent key.
 */
import { describe, expect, it } from "vitest";
import { atRiskCustomers, churnDataset, evaluateChurn, scoreChurn, stratifiedKFold, stratifiedSplit, trainChurnModel } from "../../src/churn/index.js";
import { smallTable } from "./fixtures.js";

const rows = smallTable().rows;

describe("churn options: undefined means the default", () => {
  it("trainChurnModel(rows, { model: undefined, maxDepth: undefined, seed: undefined }) is the default tree", () => {
    const a = trainChurnModel(rows, { model: undefined, maxDepth: undefined, minSamplesLeaf: undefined, seed: undefined });
    const b = trainChurnModel(rows);
    expect(a).toEqual(b);
    expect(a.model).toBe("tree");
  });

  it("churnDataset(tx, { cutoff, churnWindowDays: undefined, windowDays: undefined }) uses 180 and 90", () => {
    const tx = [
      { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
      { customerId: "a", date: new Date("2024-01-21"), amount: 20 },
    ];
    const r = churnDataset(tx, { cutoff: "2024-01-31", churnWindowDays: undefined, windowDays: undefined, trendWindows: undefined, labels: undefined, dataEnd: "2024-12-31" });
    expect(r.rows).toEqual(churnDataset(tx, { cutoff: "2024-01-31", dataEnd: "2024-12-31" }).rows);
    expect(r.rows[0].churned).toBe(true); // labelled: labels defaulted to true
  });

  it("evaluateChurn, stratifiedSplit, stratifiedKFold and atRiskCustomers accept undefined options", () => {
    const y = rows.map((r) => r.churned === true);
    const p = scoreChurn(trainChurnModel(rows, { maxDepth: 2 }), rows);
    expect(evaluateChurn(y, p, { threshold: undefined, groups: undefined, calibrationBins: undefined })).toEqual(evaluateChurn(y, p));
    expect(stratifiedSplit(rows, { testFraction: undefined, seed: undefined, label: undefined })).toEqual(stratifiedSplit(rows));
    expect(stratifiedKFold(rows, { k: undefined, seed: undefined })).toEqual(stratifiedKFold(rows));
    const m = trainChurnModel(rows, { maxDepth: 2 });
    expect(atRiskCustomers(m, rows, { top: undefined, minProbability: undefined, idColumn: undefined, reasons: undefined })).toEqual(atRiskCustomers(m, rows));
    expect(atRiskCustomers(m, rows, undefined)).toHaveLength(20);
  });
});

describe("evaluateChurn calibration bins (mutant M5: floor(s k) -> round(s k))", () => {
  it("evaluateChurn(labels, scores on bin edges, { calibrationBins: 4 }) puts a score s in bin floor(4 s), 1 in the last", () => {
    // Bins of width 0.25: [0, .25), [.25, .5), [.5, .75), [.75, 1]. By hand:
    //   0 -> bin 0; 0.25 -> bin 1; 0.49 -> bin 1 (round would give 2); 0.5 -> bin 2;
    //   0.74 -> bin 2 (round: 3); 0.75 -> bin 3; 1 -> bin 3 (clamped); 0.2 -> bin 0 (round: 1).
    const scores = [0, 0.2, 0.25, 0.49, 0.5, 0.74, 0.75, 1];
    const labels = [0, 0, 1, 0, 1, 1, 1, 1];
    const cal = evaluateChurn(labels, scores, { calibrationBins: 4 }).calibration;
    expect(cal.map((b) => b.n)).toEqual([2, 2, 2, 2]);
    expect(cal.map((b) => [b.lo, b.hi])).toEqual([[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]]);
    // mean score per bin: (0+0.2)/2, (0.25+0.49)/2, (0.5+0.74)/2, (0.75+1)/2
    expect(cal.map((b) => b.meanScore)).toEqual([0.1, 0.37, 0.62, 0.875]);
    expect(cal.map((b) => b.observedRate)).toEqual([0, 0.5, 1, 1]);
  });
});
