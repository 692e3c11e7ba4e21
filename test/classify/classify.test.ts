import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { churnRules, scoreChurn, trainChurnModel, type TreeChurnModel } from "../../src/churn/index.js";
import { classifierRules, evaluateClassifier, predictClass, predictColumns, predictProba, trainClassifier, type ForestClassifier, type NaiveBayesClassifier, type TreeClassifier } from "../../src/classify/index.js";
import { smallTable } from "../churn/fixtures.js";

/** Quinlan's (1986) "play tennis" table: 14 days, 9 yes, 5 no. */
const TENNIS = [
  ["sunny", "hot", "high", "weak", "no"],
  ["sunny", "hot", "high", "strong", "no"],
  ["overcast", "hot", "high", "weak", "yes"],
  ["rain", "mild", "high", "weak", "yes"],
  ["rain", "cool", "normal", "weak", "yes"],
  ["rain", "cool", "normal", "strong", "no"],
  ["overcast", "cool", "normal", "strong", "yes"],
  ["sunny", "mild", "high", "weak", "no"],
  ["sunny", "cool", "normal", "weak", "yes"],
  ["rain", "mild", "normal", "weak", "yes"],
  ["sunny", "mild", "normal", "strong", "yes"],
  ["overcast", "mild", "high", "strong", "yes"],
  ["overcast", "hot", "normal", "weak", "yes"],
  ["rain", "mild", "high", "strong", "no"],
].map(([outlook, temperature, humidity, wind, play]) => ({ outlook, temperature, humidity, wind, play }));

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);

describe("trainClassifier criteria (ID3 information gain, C4.5 gain ratio)", () => {
  it('trainClassifier(play tennis, { criterion: "entropy" }) splits on Outlook at the root, as ID3', () => {
    // H(9/14) = 0.94029 bits. Binary candidate splits (categories become indicators):
    //   outlook = overcast: (4 yes) | (5 yes, 5 no): 0.94029 - 10/14 x 1 = 0.22600  <- best
    //   humidity:          (3y 4n) | (6y 1n): 0.94029 - (0.5 x 0.98523 + 0.5 x 0.59167) = 0.15184
    //   outlook = sunny:   (2y 3n) | (7y 2n): 0.94029 - (5/14 x 0.97095 + 9/14 x 0.76420) = 0.10225
    //   wind:              (6y 2n) | (3y 3n): 0.94029 - (8/14 x 0.81128 + 6/14 x 1) = 0.04813
    // (ID3's three-way Outlook test gains 0.24675; ours is binary, Outlook still wins.)
    const m = trainClassifier(TENNIS, { label: "play", criterion: "entropy", maxDepth: Infinity }) as TreeClassifier;
    expect(m.featureNames[m.tree.feature[0]]).toBe("outlook=overcast");
    // below it, on the 10 sunny/rain days (5 yes, 5 no): humidity gains 1 - 0.72193 = 0.27807,
    // wind 1 - (0.6 x 0.91830 + 0.4 x 0.81128) = 0.12451: humidity next, as in Quinlan's tree
    // (x <= 0.5 goes left: the indicator is 0, not overcast)
    const rest = m.tree.left[0];
    expect(m.tree.n[rest]).toBe(10);
    expect(m.featureNames[m.tree.feature[rest]]).toBe("humidity=high");
    // a full tree fits the 14 days exactly
    expect(predictClass(m, TENNIS)).toEqual(TENNIS.map((r) => r.play));
    expect(classifierRules(m).map((r) => r.text)).toEqual([
      "outlook != overcast AND humidity = high AND outlook != rain -> play = no (p=1, n=3)",
      "outlook != overcast AND humidity != high AND wind = strong AND outlook = rain -> play = no (p=1, n=1)",
      "outlook != overcast AND humidity = high AND outlook = rain AND wind = strong -> play = no (p=1, n=1)",
      "outlook = overcast -> play = yes (p=1, n=4)",
      "outlook != overcast AND humidity != high AND wind != strong -> play = yes (p=1, n=3)",
      "outlook != overcast AND humidity != high AND wind = strong AND outlook != rain -> play = yes (p=1, n=1)",
      "outlook != overcast AND humidity = high AND outlook = rain AND wind != strong -> play = yes (p=1, n=1)",
    ]);
    expect(classifierRules(m).find((r) => r.conditions.join() === "outlook = overcast")?.text).toBe("outlook = overcast -> play = yes (p=1, n=4)");
  });

  it('trainClassifier(play tennis, { criterion: "gainRatio" }) also splits on Outlook (ratio 0.26184 against humidity 0.15184)', () => {
    // split information of overcast | rest: H(4/14, 10/14) = 0.86312 -> 0.22600 / 0.86312 = 0.26184;
    // humidity 7 | 7: split information 1 -> 0.15184. The mean of the features' best gains is below 0.226.
    const m = trainClassifier(TENNIS, { label: "play", criterion: "gainRatio", maxDepth: 1 }) as TreeClassifier;
    expect(m.featureNames[m.tree.feature[0]]).toBe("outlook=overcast");
    expect(m.criterion).toBe("gainRatio");
  });

  /**
   * Ten rows, 4 positive then 6 negative; H = H(0.4) = 0.97095.
   *   a: rows 0-5 | 6-9 -> (4+, 2-) | (0+, 4-): gain 0.97095 - 0.6 x 0.91830 = 0.41997;
   *      split info H(0.6) = 0.97095 -> ratio 0.43253
   *   b: rows 0-1 | 2-9 -> (2+) | (2+, 6-): gain 0.97095 - 0.8 x 0.81128 = 0.32193;
   *      split info H(0.2) = 0.72193 -> ratio 0.44593
   *   c: alternating 0/1 -> (2+, 3-) | (2+, 3-): gain 0
   * Information gain picks a; gain ratio picks b (mean gain (0.41997 + 0.32193 + 0) / 3 = 0.24730
   * <= 0.32193). Gini picks a: 0.6 x 2(4/6)(2/6) = 0.26667 < 0.8 x 2(1/4)(3/4) = 0.3.
   * Without c the mean gain is 0.37095 > 0.32193: b is ruled out and gain ratio picks a.
   */
  const hand = Array.from({ length: 10 }, (_, i) => ({ a: i <= 5 ? 0 : 1, b: i <= 1 ? 0 : 1, c: i % 2, y: i < 4 ? "pos" : "neg" }));
  for (const [criterion, want] of [["entropy", "a"], ["gini", "a"], ["gainRatio", "b"]] as const) {
    it(`trainClassifier(hand case, { criterion: "${criterion}" }) splits on ${want} at the root`, () => {
      const m = trainClassifier(hand, { label: "y", criterion, maxDepth: 1 }) as TreeClassifier;
      expect(m.featureNames[m.tree.feature[0]]).toBe(want);
    });
    it(`trainChurnModel(hand case, { criterion: "${criterion}" }) (the binary kernel) splits on ${want} at the root`, () => {
      const rows = hand.map((r) => ({ ...r, churned: r.y === "pos" }));
      const m = trainChurnModel(rows, { criterion, maxDepth: 1, features: ["a", "b", "c"] }) as TreeChurnModel;
      expect(m.featureNames[m.tree.feature[0]]).toBe(want);
    });
  }

  it('trainClassifier(hand case without c, { criterion: "gainRatio" }) keeps only splits of at least average gain (C4.5), so picks a', () => {
    const m = trainClassifier(hand, { label: "y", criterion: "gainRatio", features: ["a", "b"], maxDepth: 1 }) as TreeClassifier;
    expect(m.featureNames[m.tree.feature[0]]).toBe("a");
    const c = trainChurnModel(hand.map((r) => ({ ...r, churned: r.y === "pos" })), { criterion: "gainRatio", features: ["a", "b"], maxDepth: 1 }) as TreeChurnModel;
    expect(c.featureNames[c.tree.feature[0]]).toBe("a");
  });

  /**
   * C4.5 picks a numeric feature's threshold by gain, then compares features by ratio. x = 1..8,
   * y = 1 1 1 1 1 0 1 0 (6 of 8 positive, H = H(0.75) = 0.81128):
   *   x <= 5.5: (5+) | (1+, 2-): gain 0.81128 - 3/8 x 0.91830 = 0.46692, split info H(5/8) = 0.95443, ratio 0.48921
   *   x <= 7.5: (6+, 1-) | (1-): gain 0.81128 - 7/8 x 0.59167 = 0.29356, split info H(7/8) = 0.54356, ratio 0.54007
   * The threshold of largest gain is 5.5; the largest ratio among the thresholds of at least
   * average gain (0.21837) would be 7.5, a split that peels off one row. C4.5 (and we) split at 5.5.
   */
  it('trainClassifier(x = 1..8, { criterion: "gainRatio" }) takes the threshold of largest gain (5.5), not of largest ratio (7.5)', () => {
    const r = [1, 1, 1, 1, 1, 0, 1, 0].map((y, i) => ({ x: i + 1, y, churned: y === 1 }));
    const m = trainClassifier(r, { label: "y", features: ["x"], criterion: "gainRatio", maxDepth: 1 }) as TreeClassifier;
    expect(m.tree.threshold[0]).toBe(5.5);
    const c = trainChurnModel(r, { features: ["x"], criterion: "gainRatio", maxDepth: 1 }) as TreeChurnModel;
    expect(c.tree.threshold[0]).toBe(5.5);
  });

  it("trainClassifier(two classes) grows the churn tree: same splits and probabilities as trainChurnModel (1e-12)", () => {
    const small = smallTable();
    for (const criterion of ["gini", "entropy", "gainRatio"] as const) {
      const churn = trainChurnModel(small.rows, { criterion, maxDepth: 4, features: ["recency", "freq", "spend", "plan"] }) as TreeChurnModel;
      const cls = trainClassifier(small.rows, { label: "churned", criterion, maxDepth: 4, features: ["recency", "freq", "spend", "plan"] }) as TreeClassifier;
      expect(cls.classes).toEqual(["false", "true"]);
      expect(cls.tree.feature).toEqual(churn.tree.feature);
      expect(cls.tree.threshold).toEqual(churn.tree.threshold);
      expect(cls.tree.n).toEqual(churn.tree.n);
      churn.tree.prob.forEach((p, k) => expect(cls.tree.proba[2 * k + 1]).toBeCloseTo(p, 12));
      expect(churnRules(churn).length).toBe(classifierRules(cls).length);
    }
  });

  it('trainChurnModel(rows, { criterion: "gainRatio" }) scores in [0, 1] and keeps gini the default', () => {
    const small = smallTable();
    const m = trainChurnModel(small.rows, { criterion: "gainRatio", model: "forest", trees: 10, seed: 1 });
    for (const p of scoreChurn(m, small.rows)) expect(p >= 0 && p <= 1).toBe(true);
    const d = trainChurnModel(small.rows, {}) as TreeChurnModel;
    const g = trainChurnModel(small.rows, { criterion: "gini" }) as TreeChurnModel;
    expect(d.tree).toEqual(g.tree);
  });
});

describe("trainClassifier models", () => {
  const rows = Array.from({ length: 90 }, (_, i) => ({ visits: i % 30, spend: (i * 37) % 101, channel: ["web", "store", "app"][i % 3], stage: i % 30 < 10 ? "new" : i % 30 < 20 ? "active" : "loyal" }));

  it("trainClassifier(rows or columns) gives the same model for the same values", () => {
    const columns = { visits: Float64Array.from(rows, (r) => r.visits), spend: rows.map((r) => r.spend), channel: rows.map((r) => r.channel), stage: rows.map((r) => r.stage) };
    for (const model of ["tree", "forest", "naiveBayes", "boosting"] as const) {
      const a = trainClassifier(rows, { label: "stage", model, trees: 5, maxIter: 5 });
      const b = trainClassifier({ columns }, { label: "stage", model, trees: 5, maxIter: 5 });
      expect(b).toEqual(a);
      expect(predictProba(a, { columns })).toEqual(predictProba(a, rows));
    }
  });

  it("predictProba(model, rows) rows sum to 1, predictClass is their argmax, and a JSON round trip predicts the same", () => {
    for (const model of ["tree", "forest", "naiveBayes", "boosting"] as const) {
      const m = trainClassifier(rows, { label: "stage", model, trees: 10, maxIter: 10 });
      const back = JSON.parse(JSON.stringify(m));
      const p = predictProba(m, rows);
      for (const v of p) expect(sum(v)).toBeCloseTo(1, 12);
      expect(predictProba(back, rows)).toEqual(p);
      expect(predictClass(m, rows)).toEqual(p.map((v) => m.classes[v.indexOf(Math.max(...v))]));
      // the columnar form: same numbers, class codes into model.classes
      const c = predictColumns(m, rows);
      expect(Array.from(c.proba)).toEqual(p.flat());
      expect(Array.from(c.predicted.codes, (k) => c.predicted.values[k])).toEqual(predictClass(m, rows));
      // visits decides the stage: every model gets the training rows right
      expect(predictClass(m, rows)).toEqual(rows.map((r) => r.stage));
    }
  });

  it('trainClassifier(rows, { model: "forest", seed }) is reproducible: same seed same trees, another seed other trees', () => {
    const a = trainClassifier(rows, { label: "stage", model: "forest", trees: 5, seed: 1 }) as ForestClassifier;
    const b = trainClassifier(rows, { label: "stage", model: "forest", trees: 5, seed: 1 }) as ForestClassifier;
    const c = trainClassifier(rows, { label: "stage", model: "forest", trees: 5, seed: 2 }) as ForestClassifier;
    expect(b.trees).toEqual(a.trees);
    expect(c.trees).not.toEqual(a.trees);
    // every row is out of bag for some of 50 trees, and visits decides the stage
    const big = trainClassifier(rows, { label: "stage", model: "forest", trees: 50, seed: 1 }) as ForestClassifier;
    expect(big.oobAccuracy).toBeGreaterThan(0.9);
    expect(sum(a.importance)).toBeCloseTo(1, 12);
  });

  it('trainClassifier(rows, { classWeight: "balanced", maxDepth: 0 }) weights classes n / (K n_k): the root shares are equal', () => {
    // classes 6 / 3 / 1 rows: weights 10/18, 10/9, 10/3, each class's total weight 10/3 -> 1/3 each
    const r = [...Array(6).fill("a"), ...Array(3).fill("b"), "c"].map((k, i) => ({ x: i, k }));
    const m = trainClassifier(r, { label: "k", classWeight: "balanced", maxDepth: 0 }) as TreeClassifier;
    m.tree.proba.forEach((p) => expect(p).toBeCloseTo(1 / 3, 15));
    const plain = trainClassifier(r, { label: "k", maxDepth: 0 }) as TreeClassifier;
    expect(plain.tree.proba).toEqual([0.6, 0.3, 0.1]);
  });

  it("trainClassifier orders classes numerically for numeric labels and by string otherwise", () => {
    const r = [10, 9, 2, 10, 9, 2].map((k, i) => ({ x: i, k }));
    expect(trainClassifier(r, { label: "k" }).classes).toEqual(["2", "9", "10"]);
    expect(trainClassifier(r.map((x) => ({ ...x, k: `s${x.k}` })), { label: "k" }).classes).toEqual(["s10", "s2", "s9"]);
  });

  it('naive Bayes: P(k | x) by hand for one numeric and one categorical column (alpha 1, varSmoothing 1e-9)', () => {
    // class u: x = 0, 2 (mean 1, var 1), colour red, red; class v: x = 4, 6 (mean 5, var 1), red, blue.
    // epsilon = 1e-9 x var(0, 2, 4, 6) = 1e-9 x 5. At x = 2, colour blue:
    //   u: ln 0.5 - 0.5 ln(2 pi (1 + 5e-9)) - (2 - 1)^2 / 2(1 + 5e-9) + ln((0 + 1) / (2 + 2))
    //   v: ln 0.5 - 0.5 ln(2 pi (1 + 5e-9)) - (2 - 5)^2 / 2(1 + 5e-9) + ln((1 + 1) / (2 + 2))
    //   difference v - u = -4 / (1 + 5e-9) + ln 2 -> P(u) = 1 / (1 + exp(-4 / (1 + 5e-9) + ln 2))
    const r = [
      { x: 0, colour: "red", k: "u" },
      { x: 2, colour: "red", k: "u" },
      { x: 4, colour: "red", k: "v" },
      { x: 6, colour: "blue", k: "v" },
    ];
    const m = trainClassifier(r, { label: "k", model: "naiveBayes" }) as NaiveBayesClassifier;
    expect(m.epsilon).toBeCloseTo(5e-9, 20);
    const pu = 1 / (1 + Math.exp(-4 / (1 + 5e-9) + Math.log(2)));
    const [p] = predictProba(m, [{ x: 2, colour: "blue" }]);
    expect(p[0]).toBeCloseTo(pu, 14);
    expect(p[1]).toBeCloseTo(1 - pu, 14);
  });
});

describe("trainClassifier bad input", () => {
  it("trainClassifier(one class) throws AnalyticsError EMPTY_INPUT; no rows too", () => {
    const e = (() => {
      try {
        trainClassifier([{ x: 1, k: "a" }, { x: 2, k: "a" }], { label: "k" });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(AnalyticsError);
    expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
    expect(() => trainClassifier([], { label: "k" })).toThrow(AnalyticsError);
  });

  it("trainClassifier(rows with a missing label) throws InvalidRecordError naming the row and field", () => {
    try {
      trainClassifier([{ x: 1, k: "a" }, { x: 2, k: null }], { label: "k" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidRecordError);
      expect((err as InvalidRecordError).row).toBe(2);
      expect((err as InvalidRecordError).field).toBe("k");
    }
  });

  it("constant features: a one-leaf tree with the class shares, naive Bayes gives the priors; never NaN", () => {
    const r = [0, 0, 0, 1].map((k) => ({ x: 5, c: "same", k }));
    const t = trainClassifier(r, { label: "k" }) as TreeClassifier;
    expect(t.tree.feature).toEqual([-1]);
    expect(predictProba(t, [{ x: 7, c: "other" }])).toEqual([[0.75, 0.25]]);
    expect(t.importance).toEqual([0, 0]);
    const nb = trainClassifier(r, { label: "k", model: "naiveBayes" }) as NaiveBayesClassifier;
    // every numeric column constant: epsilon 0, the column is left out (documented)
    expect(nb.gaussian[0].used).toBe(false);
    const [p] = predictProba(nb, [{ x: 7, c: "same" }]);
    // categorical "c": (3 + 1) / (3 + 1) = 1 for class 0 and (1 + 1) / (1 + 1) = 1 for class 1 -> the priors
    expect(p[0]).toBeCloseTo(0.75, 15);
    expect(p[1]).toBeCloseTo(0.25, 15);
  });

  it("an unseen category at prediction: 0 in every indicator for a tree; left out by naive Bayes (as missing)", () => {
    const r = [
      { plan: "gold", k: "a" },
      { plan: "gold", k: "a" },
      { plan: "basic", k: "b" },
      { plan: "basic", k: "b" },
    ];
    const t = trainClassifier(r, { label: "k" });
    // "platinum" is neither gold nor basic: the tree's test "plan = basic" is false -> class a
    expect(predictClass(t, [{ plan: "platinum" }])).toEqual(["a"]);
    const nb = trainClassifier(r, { label: "k", model: "naiveBayes" });
    expect(predictProba(nb, [{ plan: "platinum" }])).toEqual(predictProba(nb, [{ plan: null }]));
    expect(predictProba(nb, [{ plan: "platinum" }])).toEqual([[0.5, 0.5]]);
  });

  it("bad options throw InvalidOptionError naming the option", () => {
    const r = [1, 2, 3, 4].map((x) => ({ x, k: x > 2 ? "hi" : "lo" }));
    const cases: [Record<string, unknown>, string][] = [
      [{ model: "svm" }, "model"],
      [{ criterion: "chi2" }, "criterion"],
      [{ model: "naiveBayes", alpha: 0 }, "alpha"],
      [{ model: "naiveBayes", varSmoothing: -1 }, "varSmoothing"],
      [{ maxDepth: -1 }, "maxDepth"],
      [{ model: "forest", trees: 0 }, "trees"],
      [{ maxBins: 300 }, "maxBins"],
      [{ classWeight: "auto" }, "classWeight"],
      [{ features: ["x", "k"] }, "features"],
      [{ features: ["nope"] }, "columns.nope"],
    ];
    for (const [o, option] of cases) {
      try {
        trainClassifier(o.features?.toString() === "nope" ? { columns: { x: [1, 2, 3, 4], k: ["lo", "lo", "hi", "hi"] } } : r, { label: "k", ...o });
        expect.unreachable(option);
      } catch (err) {
        expect(err, option).toBeInstanceOf(InvalidOptionError);
        expect((err as InvalidOptionError).option).toBe(option);
      }
    }
    // an explicit undefined means the default
    expect(trainClassifier(r, { label: "k", model: undefined, criterion: undefined }).model).toBe("tree");
  });

  it("predictProba(tampered model) throws InvalidOptionError naming the field; a churn model is refused", () => {
    const r = [1, 2, 3, 4].map((x) => ({ x, k: x > 2 ? "hi" : "lo" }));
    const m = JSON.parse(JSON.stringify(trainClassifier(r, { label: "k" })));
    m.tree.left[0] = 0;
    expect(() => predictProba(m, r)).toThrow(expect.objectContaining({ option: "model.tree.left[0]" }));
    const nb = JSON.parse(JSON.stringify(trainClassifier(r, { label: "k", model: "naiveBayes" })));
    nb.gaussian[0].variance[1] = -1;
    expect(() => predictClass(nb, r)).toThrow(expect.objectContaining({ option: "model.gaussian[0].variance[1]" }));
    const churn = trainChurnModel(r.map((x) => ({ x: x.x, churned: x.k === "hi" })));
    expect(() => predictClass(churn as never, r)).toThrow(expect.objectContaining({ option: "model" }));
    expect(() => classifierRules(trainClassifier(r, { label: "k", model: "naiveBayes" }))).toThrow(expect.objectContaining({ option: "model" }));
  });
});

describe("trainClassifier on generated tables (fast-check)", () => {
  it("every model on random mixed tables (missing values, constant columns, 2-4 classes) gives finite probabilities summing to 1", async () => {
    const fc = (await import("fast-check")).default;
    const cell = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(null));
    const row = fc.record({ x: cell, y: fc.oneof(fc.constant(3), fc.constant(null)), c: fc.constantFrom("a", "b", "c", null), k: fc.constantFrom("p", "q", "r", "s") });
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 60 }), fc.constantFrom("tree", "forest", "naiveBayes", "boosting"), fc.constantFrom("gini", "entropy", "gainRatio"), (rows, model, criterion) => {
        if (new Set(rows.map((r) => r.k)).size < 2) return;
        const m = trainClassifier(rows, { label: "k", model, criterion, trees: 3, maxIter: 3, minSamplesLeaf: model === "boosting" ? 1 : undefined });
        // an unseen category (when "c" had strings; an all-missing "c" is numeric), an extreme and a missing value
        const unseen = m.columns.find((s) => s.name === "c")?.kind === "categorical" ? "zzz" : null;
        const probe = [...rows, { x: 1e300, y: null, c: unseen }, { x: null, y: 3, c: null }];
        for (const p of predictProba(m, probe)) {
          for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
          expect(Math.abs(sum(p) - 1)).toBeLessThan(1e-12);
        }
        for (const k of predictClass(m, probe)) expect(m.classes).toContain(k);
      }),
      { numRuns: 150 },
    );
  });
});

describe("predictProba(loaded boosting model)", () => {
  it("a tampered boosted tree is named by iteration and class: model.trees[1][2].left[0]", () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ x: i, k: ["a", "b", "c"][Math.floor(i / 20)] }));
    const m = JSON.parse(JSON.stringify(trainClassifier(rows, { label: "k", model: "boosting", maxIter: 3, minSamplesLeaf: 2 })));
    m.trees[1][2].left[0] = 0;
    expect(() => predictProba(m, rows)).toThrow(expect.objectContaining({ option: "model.trees[1][2].left[0]" }));
    m.trees[1].pop();
    expect(() => predictProba(m, rows)).toThrow(expect.objectContaining({ option: "model.trees[1]" }));
  });
});

describe("evaluateClassifier", () => {
  const train = [1, 2, 3, 4, 5, 6].map((v) => ({ visits: v, stage: v <= 3 ? "new" : "loyal" }));
  it("evaluateClassifier(model, rows) by hand: a confident mistake costs ln(1e15) in the log-loss, not infinity", () => {
    const model = trainClassifier(train, { label: "stage", maxDepth: 1 });
    // classes ["loyal", "new"]; the stump puts 3.8 with "loyal" (p = 1): one mistake of three.
    // log-loss: rows 1-2 clipped to 1 - 1e-15 -> -ln(1 - 1e-15) each; row 3: p(new) = 1e-15 after
    // clipping and renormalising (1e-15 + (1 - 1e-15) = 1) -> ln(1e15) = 34.539
    const e = evaluateClassifier(model, [{ visits: 2, stage: "new" }, { visits: 5, stage: "loyal" }, { visits: 3.8, stage: "new" }]);
    expect(e.logLoss).toBeCloseTo((Math.log(1e15) - 2 * Math.log(1 - 1e-15)) / 3, 12);
    // loyal: precision 1/2, recall 1, F1 2/3; new: precision 1, recall 1/2, F1 2/3
    expect(e.perClass.map((c) => [c.precision, c.recall, c.support])).toEqual([[0.5, 1, 1], [1, 0.5, 2]]);
    expect(e.macroF1).toBeCloseTo(2 / 3, 15);
    expect(e.weightedF1).toBeCloseTo(2 / 3, 15);
    expect(e.balancedAccuracy).toBeCloseTo(0.75, 15);
    expect(evaluateClassifier(model, { columns: { visits: [2, 5, 3.8], stage: ["new", "loyal", "new"] } })).toEqual(e);
  });
  it("evaluateClassifier: a class the model does not know is an InvalidRecordError naming the row; no rows is EMPTY_INPUT", () => {
    const model = trainClassifier(train, { label: "stage" });
    expect(() => evaluateClassifier(model, [{ visits: 1, stage: "new" }, { visits: 2, stage: "vip" }])).toThrow(expect.objectContaining({ row: 2, field: "stage", value: "vip" }));
    expect(() => evaluateClassifier(model, [{ visits: 1 }])).toThrow(InvalidRecordError);
    expect(() => evaluateClassifier(model, [])).toThrow(expect.objectContaining({ code: "EMPTY_INPUT" }));
    expect(() => evaluateClassifier(model, { columns: { visits: [1] } })).toThrow(expect.objectContaining({ option: "columns.stage" }));
  });
});
