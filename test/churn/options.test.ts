/**
 * One options rule (code review 2.4 / 2.6, issue 16 item 4): an explicit `undefined` means the
 * default, in every churn function, exactly as an absent key.
 */
import { describe, expect, it } from "vitest";
import { atRiskCustomers, churnDataset, evaluateChurn, scoreChurn, stratifiedKFold, stratifiedSplit, trainChurnModel, trainChurnModelColumns } from "../../src/churn/index.js";
import { boostingParams } from "../../src/churn/boostingOptions.js";
import { trainClassifier } from "../../src/classify/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
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

/**
 * The boosting options of the churn models and of the K-class classifiers go through one
 * validator (`boostingParams`, src/churn/boostingOptions.ts): every bad value is refused by both
 * entry points with the same option name and the same expected text.
 */
describe("boosting options: one validator for trainChurnModelColumns and trainClassifier", () => {
  // 40 rows, x = 0..39; churn labels split at 20, classes in three bands of x
  const x = Float64Array.from({ length: 40 }, (_, i) => i);
  const churned = Array.from(x, (v) => (v >= 20 ? 1 : 0));
  const classRows = Array.from(x, (v) => ({ x: v, k: v < 13 ? "a" : v < 26 ? "b" : "c" }));
  const churnError = (o: Record<string, unknown>): unknown => catchError(() => trainChurnModelColumns({ columns: { x } }, churned, { model: "boosting", ...o }));
  const classifyError = (o: Record<string, unknown>): unknown => catchError(() => trainClassifier(classRows, { label: "k", model: "boosting", ...o }));

  // [option, bad value, expected text]: bounds from scikit-learn's HistGradientBoostingClassifier
  // parameter checks, plus our caps (10,000 iterations, 255 bins)
  const cases: [string, unknown, string][] = [
    ["learningRate", 0, "a finite number > 0"],
    ["learningRate", -0.1, "a finite number > 0"],
    ["learningRate", Infinity, "a finite number > 0"],
    ["maxIter", 2.5, "an integer in [1, 10000]"],
    ["maxIter", 0, "an integer in [1, 10000]"],
    ["maxIter", 10_001, "an integer in [1, 10000]"],
    ["maxLeafNodes", 1, "an integer >= 2"],
    ["maxLeafNodes", 2.5, "an integer >= 2"],
    ["maxLeafNodes", Infinity, "a finite integer >= 2"],
    ["minSamplesLeaf", 0, "an integer >= 1"],
    ["minSamplesLeaf", 1.5, "an integer >= 1"],
    ["maxDepth", 0, "an integer >= 1"],
    ["l2Regularization", -1, "a finite number >= 0"],
    ["l2Regularization", NaN, "a finite number >= 0"],
    ["maxBins", 1, "an integer in [2, 255]"],
    ["maxBins", 256, "an integer in [2, 255]"],
    ["maxBins", 2.5, "an integer in [2, 255]"],
    ["validationFraction", 0, "a number in (0, 1)"],
    ["validationFraction", 1, "a number in (0, 1)"],
    ["nIterNoChange", 0, "an integer >= 1"],
    ["nIterNoChange", 1.5, "an integer >= 1"],
    ["tol", -1e-7, "a finite number >= 0"],
    ["tol", NaN, "a finite number >= 0"],
    ["earlyStopping", "yes", '"auto", true or false'],
    ["threads", 0, "an integer in [1, 64]"],
    ["threads", 1.5, "an integer in [1, 64]"],
    ["threads", 65, "an integer in [1, 64]"],
    ["threads", "all", "an integer in [1, 64]"],
  ];

  for (const [option, value, expected] of cases) {
    it(`trainChurnModelColumns and trainClassifier with { model: "boosting", ${option}: ${String(value)} } throw InvalidOptionError naming ${option}`, () => {
      for (const [fn, err] of [["trainChurnModelColumns", churnError({ [option]: value })], ["trainClassifier", classifyError({ [option]: value })]] as const) {
        expect(err, fn).toBeInstanceOf(InvalidOptionError);
        const e = err as InvalidOptionError;
        expect(e.option, fn).toBe(option);
        expect(e.value, fn).toBe(value);
        expect(e.expected, fn).toBe(expected);
        expect(e.message.startsWith(`${fn}: option "${option}"`), e.message).toBe(true);
      }
    });
  }

  it("trainChurnModel(rows, { model: \"boosting\", maxIter: 2.5 }) uses the same wording as the columnar entry point", () => {
    const e = catchError(() => trainChurnModel(rows, { model: "boosting", maxIter: 2.5 })) as InvalidOptionError;
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect([e.option, e.expected]).toEqual(["maxIter", "an integer in [1, 10000]"]);
  });

  it("trees and forests refuse a bad maxBins with the same wording as boosting", () => {
    for (const model of ["tree", "forest"] as const) {
      for (const e of [catchError(() => trainChurnModelColumns({ columns: { x } }, churned, { model, maxBins: 2.5 })), catchError(() => trainClassifier(classRows, { label: "k", model, maxBins: 2.5 }))]) {
        expect(e, model).toBeInstanceOf(InvalidOptionError);
        expect([(e as InvalidOptionError).option, (e as InvalidOptionError).expected], model).toEqual(["maxBins", "an integer in [2, 255]"]);
      }
    }
  });

  it("explicit undefined boosting options mean the defaults, in both entry points", () => {
    const none = { learningRate: undefined, maxLeafNodes: undefined, maxDepth: undefined, minSamplesLeaf: undefined, l2Regularization: undefined, maxBins: undefined, earlyStopping: undefined, validationFraction: undefined, nIterNoChange: undefined, tol: undefined, seed: undefined, threads: undefined };
    expect(trainChurnModelColumns({ columns: { x } }, churned, { model: "boosting", maxIter: 5, ...none })).toEqual(trainChurnModelColumns({ columns: { x } }, churned, { model: "boosting", maxIter: 5 }));
    expect(trainClassifier(classRows, { label: "k", model: "boosting", maxIter: 5, ...none })).toEqual(trainClassifier(classRows, { label: "k", model: "boosting", maxIter: 5 }));
  });
});

describe("boostingParams", () => {
  it("boostingParams(fn, {}, [], n) gives scikit-learn's HistGradientBoostingClassifier defaults", () => {
    // scikit-learn 1.5 defaults: learning_rate 0.1, max_iter 100, max_leaf_nodes 31, max_depth None,
    // min_samples_leaf 20, l2_regularization 0, max_bins 255, validation_fraction 0.1,
    // n_iter_no_change 10, tol 1e-7; early_stopping "auto" = on above 10,000 rows. Seed: ours, 42.
    const expected = { learningRate: 0.1, maxIter: 100, maxLeafNodes: 31, maxDepth: Infinity, minSamplesLeaf: 20, l2: 0, maxBins: 255, earlyStopping: false, validationFraction: 0.1, nIterNoChange: 10, tol: 1e-7, seed: 42, threads: "auto" };
    expect(boostingParams("f", {}, [], 10_000)).toEqual(expected);
    expect(boostingParams("f", { threads: 3 }, [], 10_000)).toEqual({ ...expected, threads: 3 });
    expect(boostingParams("f", {}, [], 10_001)).toEqual({ ...expected, earlyStopping: true });
    expect(boostingParams("f", { earlyStopping: true, l2Regularization: 2, tol: undefined }, [], 5)).toEqual({ ...expected, earlyStopping: true, l2: 2 });
  });

  it("boostingParams refuses a categorical column of more than 255 levels, naming it", () => {
    const levels = Array.from({ length: 256 }, (_, i) => `l${i}`);
    const e = catchError(() => boostingParams("f", {}, [{ name: "city", kind: "categorical", levels }], 300)) as InvalidOptionError;
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect([e.option, e.value]).toEqual(["categorical.city", "256 levels"]);
    expect(() => boostingParams("f", {}, [{ name: "city", kind: "categorical", levels: levels.slice(0, 255) }], 300)).not.toThrow();
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}
