import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { applyChurnCalibration, calibrateChurnModel, calibrationReport, isotonicFit, plattFit, trainChurnModelColumns } from "../../src/churn/index.js";
import { minstd } from "./fixtures.js";

// test/reference/churn_calibration.py: sklearn 1.2 IsotonicRegression(out_of_bounds="clip") and
// _sigmoid_calibration (the maps of CalibratedClassifierCV) on 600 seeded scores with ties.
const ref = JSON.parse(readFileSync(new URL("../reference/churn_calibration.json", import.meta.url), "utf8")) as {
  scores: number[];
  labels: number[];
  grid: number[];
  isotonic: { x: number[]; y: number[]; on_scores: number[]; on_grid: number[] };
  sigmoid: { a: number; b: number; a_tight: number; b_tight: number; on_grid: number[] };
  brier_raw: number;
};

describe("calibration against scikit-learn", () => {
  it("isotonic: breakpoints and predictions (scores and an out-of-range grid) equal sklearn's to 1e-12", () => {
    const fit = isotonicFit(ref.scores, ref.labels);
    expect(fit.x).toEqual(ref.isotonic.x);
    fit.y.forEach((v, k) => expect(v).toBeCloseTo(ref.isotonic.y[k], 12));
    const cal = calibrateChurnModel(ref.scores, ref.labels, { method: "isotonic", folds: 1 });
    const onScores = applyChurnCalibration(cal.calibrator, ref.scores);
    onScores.forEach((v, i) => expect(Math.abs(v - ref.isotonic.on_scores[i])).toBeLessThan(1e-12));
    applyChurnCalibration(cal.calibrator, ref.grid).forEach((v, i) => expect(Math.abs(v - ref.isotonic.on_grid[i])).toBeLessThan(1e-12));
  });

  it("sigmoid: a, b equal sklearn's _sigmoid_calibration to 1e-6; probabilities to 1e-6", () => {
    const { a, b } = plattFit(ref.scores, ref.labels);
    expect(Math.abs(a - ref.sigmoid.a)).toBeLessThan(1e-6);
    expect(Math.abs(b - ref.sigmoid.b)).toBeLessThan(1e-6);
    // scipy BFGS at gtol 1e-12 stops where sklearn's does; ours (Newton to a 1e-12 n gradient) is 8e-9 away
    expect(Math.abs(a - ref.sigmoid.a_tight)).toBeLessThan(1e-7);
    expect(Math.abs(b - ref.sigmoid.b_tight)).toBeLessThan(1e-7);
    const cal = calibrateChurnModel(ref.scores, ref.labels, { method: "sigmoid", folds: 1 });
    applyChurnCalibration(cal.calibrator, ref.grid).forEach((v, i) => expect(Math.abs(v - ref.sigmoid.on_grid[i])).toBeLessThan(1e-6));
  });

  it("Brier score equals sklearn's brier_score_loss", () => {
    expect(calibrationReport(ref.labels, ref.scores).brier).toBeCloseTo(ref.brier_raw, 14);
  });
});

describe("cross-fitting and the reports", () => {
  it("isotonic by hand: PAV pools the violators (labels 1, 0 at scores 2, 3 -> 0.5, 0.5)", () => {
    expect(isotonicFit([1, 2, 3, 4], [0, 1, 0, 1])).toEqual({ x: [1, 2, 3, 4], y: [0, 0.5, 0.5, 1] });
    // ties merged first: score 1 has labels 1, 0 -> 0.5; then 2 -> 0: pooled (0.5*2 + 0)/3 = 1/3
    const f = isotonicFit([1, 1, 2, 3], [1, 0, 0, 1]);
    expect(f.x).toEqual([1, 2, 3]);
    expect(f.y[0]).toBeCloseTo(1 / 3, 15);
    expect(f.y[1]).toBeCloseTo(1 / 3, 15);
    expect(f.y[2]).toBe(1);
  });

  it("ECE by hand with equal-width bins, the last bin closed at 1", () => {
    // p = 1 goes to bin [0.9, 1]: |1 - 1| = 0; p = 0.05 in [0, 0.1): |0 - 0.05| = 0.05. ECE = 0.5*0 + 0.5*0.05
    const r = calibrationReport([1, 0], [1, 0.05]);
    expect(r.ece).toBeCloseTo(0.025, 15);
    expect(r.bins[9]).toEqual({ lo: 0.9, hi: 1, n: 1, meanPredicted: 1, observedRate: 1 });
    expect(r.bins[1].meanPredicted).toBeNull();
  });

  it("seeded simulation with known truth: over-confident scores are recalibrated, out-of-fold ECE falls below 0.03", () => {
    // truth: P(churn | s) = 0.2 + 0.6 s, while the score claims s (too extreme)
    const next = minstd(99);
    const u = () => next() / 2147483647;
    const n = 5000;
    const s = Array.from({ length: n }, () => u());
    const y = s.map((v) => (u() < 0.2 + 0.6 * v ? 1 : 0));
    for (const method of ["isotonic", "sigmoid"] as const) {
      const cal = calibrateChurnModel(s, y, { method, folds: 5, seed: 1 });
      // raw ECE: E|s - (0.2 + 0.6 s)| = 0.4 E|s - 0.5| = 0.1, a little less within 10 bins (measured 0.091)
      expect(cal.before!.ece).toBeGreaterThan(0.08);
      expect(cal.after.ece, method).toBeLessThan(0.03);
      expect(cal.after.brier).toBeLessThan(cal.before!.brier);
      // the map recovers the truth at s = 0.1 and 0.9 within 0.05
      const p = applyChurnCalibration(cal.calibrator, [0.1, 0.9]);
      expect(Math.abs(p[0] - 0.26)).toBeLessThan(0.05);
      expect(Math.abs(p[1] - 0.74)).toBeLessThan(0.05);
      expect(cal.description).toMatch(/cross-fitted over 5 folds/);
      // seeded: same seed, same out-of-fold probabilities
      expect(calibrateChurnModel(s, y, { method, folds: 5, seed: 1 }).outOfFold).toEqual(cal.outOfFold);
    }
  });

  it("a model and its held-out matrix: scores are the model's, calibrated", () => {
    const x = Float64Array.from({ length: 400 }, (_, i) => i % 100);
    const y = Array.from({ length: 400 }, (_, i) => ((i * 7) % 10 < (i % 100) / 12 ? 1 : 0));
    const m = trainChurnModelColumns({ columns: { x } }, y, { model: "logistic" });
    const cal = calibrateChurnModel(m, y, { matrix: { columns: { x } }, method: "sigmoid" });
    expect(cal.outOfFold.length).toBe(400);
    expect(cal.description).toMatch(/logistic model's probabilities/);
    expect(() => calibrateChurnModel(m, y, { method: "sigmoid" })).toThrow(InvalidOptionError);
  });

  it("bad input: one class, NaN score, bad calibrator are typed errors", () => {
    expect(() => calibrateChurnModel([0.1, 0.2], [1, 1])).toThrow(AnalyticsError);
    expect(() => calibrateChurnModel([0.1, NaN, 0.3, 0.4], [1, 0, 1, 0], { folds: 2 })).toThrow(InvalidRecordError);
    expect(() => calibrateChurnModel([0.1, 0.2, 0.3, 0.4], [1, 0, 1, 0], { folds: 3 })).toThrow(InvalidOptionError);
    expect(() => applyChurnCalibration({ format: "churn-calibration/1", method: "isotonic", x: [2, 1], y: [0, 1] }, [1])).toThrow(/calibrator\.x\[1\]/);
    expect(() => applyChurnCalibration({ format: "churn-calibration/1", method: "sigmoid", a: NaN, b: 0 }, [1])).toThrow(/calibrator\.a/);
    // constant scores: the sigmoid is flat at the smoothed base rate, no NaN
    const c = calibrateChurnModel([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0], { method: "sigmoid", folds: 1 });
    expect(Number.isFinite(applyChurnCalibration(c.calibrator, [0.5])[0])).toBe(true);
  });
});
