/**
 * Options: an explicit `undefined` means the default, in every function of the rfm folder
 * (issue 16 item 4; code review 2.4). Each call with every option key set to `undefined` must
 * give exactly what the call without options gives, and a real value must still change it.
 */
import { describe, expect, it } from "vitest";
import {
  abcClasses,
  abcClassesColumns,
  ahpWeights,
  paretoAnalysis,
  rfm,
  rfmColumns,
  segmentSummary,
  segmentSummaryColumns,
  validateSegmentRules,
  segmentRulesPreset,
} from "../../src/index.js";
import { syntheticBase } from "./helpers.js";

const { cols, records } = syntheticBase(300, 11);
const spend = Array.from(cols.totalSpend);
const rfmKeys = { bins: undefined, thresholds: undefined, monetary: undefined, ties: undefined, compatibility: undefined, weights: undefined, segments: undefined, otherSegment: undefined };

describe("options: explicit undefined means the default (rfm folder)", () => {
  it("rfm(s, { bins: undefined, ... every key undefined }) equals rfm(s), and bins: 3 differs", () => {
    expect(rfm(records, rfmKeys)).toEqual(rfm(records));
    expect(rfm(records, { ...rfmKeys, bins: 3, segments: [] }).customers.some((c) => c.r > 3)).toBe(false);
    expect(rfm(records).customers.some((c) => c.r > 3)).toBe(true);
  });

  it("rfmColumns(table, every key undefined) equals rfmColumns(table)", () => {
    expect(rfmColumns(cols, rfmKeys)).toEqual(rfmColumns(cols));
  });

  it("segmentSummary and segmentSummaryColumns with { by: undefined, monetary: undefined } equal the defaults (by segment)", () => {
    const res = rfm(records);
    expect(segmentSummary(res, { by: undefined })).toEqual(segmentSummary(res));
    const resCols = rfmColumns(cols);
    const rows = segmentSummaryColumns(resCols, cols, { by: undefined, monetary: undefined });
    expect(rows).toEqual(segmentSummaryColumns(resCols, cols));
    // By segment (the default): one row per segment with customers.
    expect(rows.map((r) => r.key).sort()).toEqual(resCols.segmentCounts.filter((c) => c.count > 0).map((c) => c.segment).sort());
  });

  it("validateSegmentRules(rules, { bins: undefined }) equals the 5-bin default", () => {
    const rules = segmentRulesPreset("grid");
    expect(validateSegmentRules(rules, { bins: undefined })).toEqual(validateSegmentRules(rules, { bins: 5 }));
  });

  it("paretoAnalysis, abcClasses and abcClassesColumns with every key undefined equal the defaults", () => {
    expect(paretoAnalysis(spend, { topFraction: undefined, lorenzPoints: undefined, negatives: undefined })).toEqual(paretoAnalysis(spend));
    expect(abcClasses(spend, { by: undefined, cutoffs: undefined, negatives: undefined })).toEqual(abcClasses(spend));
    expect(abcClassesColumns(cols.totalSpend, { by: undefined, cutoffs: undefined, negatives: undefined })).toEqual(abcClassesColumns(cols.totalSpend));
  });

  it("ahpWeights(matrix, every key undefined) equals ahpWeights(matrix)", () => {
    const m = [
      [1, 3, 5],
      [1 / 3, 1, 3],
      [1 / 5, 1 / 3, 1],
    ];
    const opts = { reciprocalTolerance: undefined, consistencyThreshold: undefined, randomIndex: undefined, tolerance: undefined, maxIterations: undefined };
    expect(ahpWeights(m, opts)).toEqual(ahpWeights(m));
  });
});
