import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { evaluateChurn, stratifiedKFold, stratifiedSplit } from "../../src/churn/index.js";
import { sklearnRef } from "./fixtures.js";

describe("evaluateChurn", () => {
  it("evaluateChurn(labels, scores) counts a tied churned/retained pair as one half (hand computation)", () => {
    // pairs (churned, retained): (0.9,0.1) win, (0.4,0.1) win, (0.9,0.4) win, (0.4,0.4) tie -> 3.5 / 4
    expect(evaluateChurn([true, false, true, false], [0.9, 0.1, 0.4, 0.4]).rocAuc).toBe(0.875);
    // all scores tied -> 0.5
    expect(evaluateChurn([1, 0, 1, 0], [0.3, 0.3, 0.3, 0.3]).rocAuc).toBe(0.5);
    // perfect and reversed ranking
    expect(evaluateChurn([1, 1, 0], [0.9, 0.8, 0.1]).rocAuc).toBe(1);
    expect(evaluateChurn([1, 1, 0], [0.1, 0.2, 0.9]).rocAuc).toBe(0);
  });

  it("evaluateChurn(labels, scores) matches scikit-learn 1.2 roc_auc_score, average_precision_score and brier_score_loss on a tied case (1e-12)", () => {
    const { labels, scores, roc_auc, average_precision, brier } = sklearnRef.auc;
    const e = evaluateChurn(labels, scores);
    expect(e.rocAuc).toBeCloseTo(roc_auc, 12);
    expect(e.prAuc).toBeCloseTo(average_precision, 12);
    expect(e.brier).toBeCloseTo(brier, 12);
  });

  it("evaluateChurn(labels, scores) AUC equals the pair-counting definition on random tied scores (fast-check)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 40 }), (pairs) => {
        const y = pairs.map((p) => p[0]);
        const s = pairs.map((p) => p[1] / 5);
        let wins = 0;
        let total = 0;
        for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (y[i] && !y[j]) {
          total++;
          wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
        const auc = evaluateChurn(y, s).rocAuc;
        if (total === 0) expect(auc).toBeNull();
        else expect(auc).toBeCloseTo(wins / total, 12);
      }),
    );
  });

  it("evaluateChurn(labels, scores) gains table partitions the customers and ends at full capture, lift 1", () => {
    const y = Array.from({ length: 103 }, (_, i) => i % 3 === 0);
    const s = y.map((v, i) => (v ? 0.5 : 0) + ((i * 37) % 101) / 202);
    const e = evaluateChurn(y, s);
    expect(e.gains).toHaveLength(10);
    expect(e.gains.reduce((a, g) => a + g.n, 0)).toBe(103);
    expect(e.gains.reduce((a, g) => a + g.churned, 0)).toBe(e.churned);
    expect(e.gains[9].cumulativeCapture).toBeCloseTo(1, 12);
    expect(e.gains[9].cumulativeLift).toBeCloseTo(1, 12);
    expect(e.topLift).toBe(e.gains[0].lift);
    // churners scored higher: the top decile is all churners, lift = 1 / rate
    expect(e.gains[0].rate).toBe(1);
    expect(e.topLift).toBeCloseTo(103 / 35, 12);
    expect(e.calibration.reduce((a, b) => a + b.n, 0)).toBe(103);
  });

  it("evaluateChurn(labels, scores, { threshold }) builds the confusion matrix (hand computation)", () => {
    const c = evaluateChurn([1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.5], { threshold: 0.5 }).confusion;
    expect(c).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 1 });
    expect(c.precision).toBeCloseTo(2 / 3, 12);
    expect(c.recall).toBeCloseTo(2 / 3, 12);
    expect(c.accuracy).toBeCloseTo(3 / 5, 12);
    // specificity = tn / (tn + fp) = 1 / 2; F1 = 2PR / (P + R) = 2/3 (P = R)
    expect(c.specificity).toBeCloseTo(1 / 2, 12);
    expect(c.f1).toBeCloseTo(2 / 3, 12);
    expect(c.threshold).toBe(0.5);
  });

  it("evaluateChurn: precision, recall, specificity and F1 differ when P != R (hand computation), and the zero cases give 0, never NaN", () => {
    // labels 1 1 1 0 0 0 0, scores >= 0.5 on rows 0, 3, 4: tp 1 (row 0), fp 2 (rows 3, 4), fn 2 (rows 1, 2), tn 2 (rows 5, 6)
    const c = evaluateChurn([1, 1, 1, 0, 0, 0, 0], [0.9, 0.2, 0.3, 0.8, 0.7, 0.1, 0.4], { threshold: 0.5 }).confusion;
    expect(c).toMatchObject({ tp: 1, fp: 2, fn: 2, tn: 2 });
    expect(c.precision).toBeCloseTo(1 / 3, 12); // 1 / (1 + 2)
    expect(c.recall).toBeCloseTo(1 / 3, 12); // 1 / (1 + 2)
    expect(c.specificity).toBeCloseTo(2 / 4, 12); // 2 / (2 + 2)
    expect(c.accuracy).toBeCloseTo(3 / 7, 12); // (1 + 2) / 7
    // threshold 0.75: predicted churn = rows 0, 3: tp 1, fp 1, fn 2, tn 3 -> P 1/2, R 1/3, F1 = 2 * (1/6) / (5/6) = 0.4
    const d = evaluateChurn([1, 1, 1, 0, 0, 0, 0], [0.9, 0.2, 0.3, 0.8, 0.7, 0.1, 0.4], { threshold: 0.75 }).confusion;
    expect(d).toMatchObject({ tp: 1, fp: 1, fn: 2, tn: 3 });
    expect(d.precision).toBeCloseTo(1 / 2, 12);
    expect(d.recall).toBeCloseTo(1 / 3, 12);
    expect(d.specificity).toBeCloseTo(3 / 4, 12);
    expect(d.accuracy).toBeCloseTo(4 / 7, 12);
    expect(d.f1).toBeCloseTo(0.4, 12);
    // Nothing predicted churn: precision 0 (not NaN), recall 0, F1 0; specificity 1.
    const none = evaluateChurn([1, 0, 0], [0.1, 0.2, 0.3], { threshold: 0.9 }).confusion;
    expect([none.precision, none.recall, none.f1, none.specificity, none.accuracy]).toEqual([0, 0, 0, 1, 2 / 3]);
    // Everyone churned and predicted churn: specificity has no retained customer, so 0.
    const all = evaluateChurn([1, 1], [0.9, 0.8], { threshold: 0.5 }).confusion;
    expect([all.precision, all.recall, all.f1, all.specificity, all.accuracy]).toEqual([1, 1, 1, 0, 1]);
  });

  it("evaluateChurn(labels, rawScores) keeps rank measures and gives null Brier for scores outside [0, 1]", () => {
    const e = evaluateChurn([1, 0, 1], [300, 10, 200]);
    expect(e.rocAuc).toBe(1);
    expect(e.brier).toBeNull();
    expect(e.calibration).toEqual([]);
  });

  it("evaluateChurn(oneClass, scores) gives a null AUC and empty input empty results, never NaN", () => {
    const e = evaluateChurn([1, 1], [0.2, 0.3]);
    expect(e.rocAuc).toBeNull();
    expect(e.prAuc).toBe(1);
    const z = evaluateChurn([], []);
    expect(z).toMatchObject({ n: 0, rocAuc: null, prAuc: null, brier: null, gains: [] });
  });

  describe("errors", () => {
    it("rejects mismatched lengths, bad labels and non-finite scores", () => {
      const a = () => evaluateChurn([1, 0], [0.5]);
      expect(a).toThrow(InvalidOptionError);
      try {
        evaluateChurn([1, 2], [0.5, 0.5]);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 2, field: "label", value: 2 });
      }
      expect(() => evaluateChurn([1, 0], [0.5, Number.NaN])).toThrow(InvalidRecordError);
      try {
        evaluateChurn([1], [1], { groups: 0 });
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect(e).toMatchObject({ code: "INVALID_OPTION", option: "groups" });
      }
    });
  });
});

describe("stratifiedSplit", () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ customerId: `c${i}`, x: i, churned: i % 4 === 0 }));

  it("stratifiedSplit(rows, { testFraction, seed }) keeps the churn rate, partitions the rows and is seeded", () => {
    const s = stratifiedSplit(rows, { testFraction: 0.3, seed: 7 });
    expect(s.test.length).toBe(30); // round(0.3 * 100)
    // 0.3 * 25 = 7.5 and 0.3 * 75 = 22.5: equal remainders, the retained class takes the extra row
    expect(s.test.filter((r) => r.churned).length).toBe(7);
    expect([...s.trainIndex, ...s.testIndex].sort((a, b) => a - b)).toEqual(rows.map((_, i) => i));
    expect(stratifiedSplit(rows, { testFraction: 0.3, seed: 7 }).testIndex).toEqual(s.testIndex);
    expect(stratifiedSplit(rows, { testFraction: 0.3, seed: 8 }).testIndex).not.toEqual(s.testIndex);
  });

  it("stratifiedSplit(frozenRows) does not modify its input", () => {
    const frozen = Object.freeze(rows.map((r) => Object.freeze({ ...r })));
    expect(() => stratifiedSplit(frozen, { seed: 1 })).not.toThrow();
  });

  describe("errors", () => {
    it("rejects a testFraction outside (0, 1)", () => {
      try {
        stratifiedSplit(rows, { testFraction: 1 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "testFraction", value: 1 });
      }
    });
  });
});

describe("stratifiedKFold", () => {
  it("stratifiedKFold(rows, { k }) puts every row in exactly one test fold with balanced churn", () => {
    const rows = Array.from({ length: 53 }, (_, i) => ({ x: i, churned: i % 5 === 0 }));
    const folds = stratifiedKFold(rows, { k: 5, seed: 3 });
    const seen = new Array(53).fill(0);
    for (const f of folds) {
      for (const i of f.testIndex) seen[i]++;
      expect(f.train.length + f.test.length).toBe(53);
      const churn = f.test.filter((r) => r.churned).length;
      expect(churn === 2 || churn === 3).toBe(true);
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  describe("errors", () => {
    it("rejects k < 2", () => {
      expect(() => stratifiedKFold([{ churned: true }, { churned: false }], { k: 1 })).toThrow(InvalidOptionError);
    });
  });
});
