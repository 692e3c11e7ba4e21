import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DecisionTreeClassifier } from "ml-cart";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { churnRules, crossValidateChurn, evaluateChurn, scoreChurn, trainChurnModel, type ChurnRow, type LogisticChurnModel, type TreeChurnModel, type ForestChurnModel } from "../../src/churn/index.js";
import { minstd, sklearnRef, smallTable } from "./fixtures.js";

const small = smallTable();
const ref = sklearnRef.small;

describe("trainChurnModel", () => {
  it("smallTable() reproduces the table of churn_sklearn.py", () => {
    expect(small.y.reduce((a, b) => a + b, 0)).toBe(ref.churned);
    expect(small.X.slice(0, 3)).toEqual(ref.first_rows);
  });

  /**
   * Walk our tree and scikit-learn's side by side (left first). Where the two pick different
   * features the split must be a tie in the criterion: same child sizes and probabilities
   * (scikit-learn breaks ties by a random feature order, we take the first feature).
   */
  function compareTrees(m: TreeChurnModel, sk: { feature: number[]; threshold: number[]; left: number[]; right: number[]; n: number[]; prob: number[] }): number {
    let ties = 0;
    const walk = (a: number, b: number): void => {
      expect(m.tree.n[a]).toBe(sk.n[b]);
      expect(m.tree.prob[a]).toBeCloseTo(sk.prob[b], 12);
      if (sk.left[b] < 0) {
        expect(m.tree.feature[a]).toBe(-1);
        return;
      }
      if (m.tree.feature[a] !== sk.feature[b]) ties++;
      else expect(m.tree.threshold[a]).toBe(sk.threshold[b]);
      walk(m.tree.left[a], sk.left[b]);
      walk(m.tree.right[a], sk.right[b]);
    };
    walk(0, 0);
    return ties;
  }

  for (const criterion of ["gini", "entropy"] as const) {
    it(`trainChurnModel(rows, { model: "tree", criterion: "${criterion}", maxDepth: 3 }) has scikit-learn's splits and leaf probabilities (1e-12; ties may pick another feature)`, () => {
      const m = trainChurnModel(small.rows, { model: "tree", criterion, maxDepth: 3, features: ["recency", "freq", "spend", "plan"] }) as TreeChurnModel;
      const sk = ref[`tree_${criterion}`];
      // one tie in the gini tree: a 3-row node split 2/1 equally well by recency or spend
      expect(compareTrees(m, sk)).toBeLessThanOrEqual(1);
      const p = scoreChurn(m, small.rows);
      // same leaves up to ties: the sorted training-row probabilities agree
      const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
      sorted(p).forEach((v, i) => expect(v).toBeCloseTo(sorted(sk.proba)[i], 12));
      expect(p.filter((v, i) => Math.abs(v - sk.proba[i]) > 1e-12).length).toBeLessThanOrEqual(3);
    });
  }

  it("trainChurnModel(rows, { maxDepth: 4, minSamplesLeaf: 10 }) scores as scikit-learn (min_samples_leaf=10, 1e-12, up to one tie)", () => {
    const m = trainChurnModel(small.rows, { maxDepth: 4, minSamplesLeaf: 10 });
    const p = scoreChurn(m, small.rows);
    const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
    // a 44-row node is split 33/11 with the same counts by plan (scikit-learn) or spend (ours)
    sorted(p).forEach((v, i) => expect(v).toBeCloseTo(sorted(ref.tree_depth4_leaf10_proba)[i], 12));
    expect(p.filter((v, i) => Math.abs(v - ref.tree_depth4_leaf10_proba[i]) > 1e-12).length).toBeLessThanOrEqual(44);
  });

  it('trainChurnModel(rows, { model: "tree", maxDepth: 1 }) picks the same root split as ml-cart on seeded tables (test oracle)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = minstd(seed * 7919);
      const X: number[][] = [];
      const y: number[] = [];
      const rows: ChurnRow[] = [];
      for (let i = 0; i < 120; i++) {
        const a = next() % 50;
        const b = next() % 7;
        const c = (next() % 1000) / 10;
        const churn = a + 5 * b + (next() % 40) > 60 ? 1 : 0;
        X.push([a, b, c]);
        y.push(churn);
        rows.push({ a, b, c, churned: churn });
      }
      const cart = new DecisionTreeClassifier({ maxDepth: 1, gainThreshold: 0, minNumSamples: 1 });
      cart.train(X, y);
      const root = (cart as unknown as { root: { splitColumn: number; splitValue: number } }).root;
      const m = trainChurnModel(rows, { maxDepth: 1 }) as TreeChurnModel;
      expect(m.tree.feature[0]).toBe(root.splitColumn);
      // ml-cart may cut at a tied value v with x < v where we cut at the midpoint below v: same partition
      const f = root.splitColumn;
      X.forEach((x) => expect(x[f] <= m.tree.threshold[0]).toBe(x[f] < root.splitValue));
      // ml-cart predicts the arg-max class: our leaf probability is on the same side of 0.5
      const pred = cart.predict(X);
      scoreChurn(m, rows).forEach((p, i) => {
        if (p !== 0.5) expect(p > 0.5 ? 1 : 0).toBe(pred[i]);
      });
    }
  });

  it('trainChurnModel(rows, { model: "logistic" }) matches scikit-learn LogisticRegression(C=1) after StandardScaler (1e-6)', () => {
    for (const [key, opts] of [
      ["logistic_C1", { l2: 1 }],
      ["logistic_C0.1", { l2: 10 }],
      ["logistic_l1_C1", { l2: 0, l1: 1 }],
    ] as const) {
      const m = trainChurnModel(small.rows, { model: "logistic", features: ["recency", "freq", "spend", "plan"], ...opts }) as LogisticChurnModel;
      const r = ref[`logistic_${key.slice(9)}` as `logistic_${string}`];
      expect(m.converged).toBe(true);
      m.fit.coef.forEach((c, j) => expect(c).toBeCloseTo(r.coef_std[j], 6));
      expect(m.fit.intercept).toBeCloseTo(r.intercept_std, 6);
      m.coefficients.forEach((c, j) => expect(c).toBeCloseTo(r.coef[j], 7));
      expect(m.intercept).toBeCloseTo(r.intercept, 6);
      scoreChurn(m, small.rows.slice(0, 5)).forEach((p, i) => expect(p).toBeCloseTo(r.proba_first5[i], 7));
    }
  });

  it("trainChurnModel(rows, { model: \"logistic\", l1 }) sets weak coefficients exactly to zero", () => {
    const m = trainChurnModel(small.rows, { model: "logistic", l2: 0, l1: 40 }) as LogisticChurnModel;
    expect(m.coefficients.some((c) => c === 0)).toBe(true);
    expect(m.coefficients[0]).toBeGreaterThan(0); // recency survives
  });

  it('trainChurnModel(rows, { model: "forest", seed }) is reproducible, gives an out-of-bag AUC and importances summing to 1', () => {
    const a = trainChurnModel(small.rows, { model: "forest", trees: 30, seed: 5 }) as ForestChurnModel;
    const b = trainChurnModel(small.rows, { model: "forest", trees: 30, seed: 5 }) as ForestChurnModel;
    const c = trainChurnModel(small.rows, { model: "forest", trees: 30, seed: 6 }) as ForestChurnModel;
    expect(scoreChurn(a, small.rows)).toEqual(scoreChurn(b, small.rows));
    expect(scoreChurn(a, small.rows)).not.toEqual(scoreChurn(c, small.rows));
    expect(a.trees).toHaveLength(30);
    expect(a.oobAuc).toBeGreaterThan(0.7);
    expect(a.importance.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // recency drives the label
    expect(a.importance[a.featureNames.indexOf("recency")]).toBe(Math.max(...a.importance));
  });

  it("trainChurnModel(rows) models survive a JSON round trip with identical scores", () => {
    for (const model of ["tree", "forest", "logistic"] as const) {
      const m = trainChurnModel(small.rows, { model, trees: 10 });
      const back = JSON.parse(JSON.stringify(m));
      expect(scoreChurn(back, small.rows)).toEqual(scoreChurn(m, small.rows));
    }
    const g = trainChurnModel(small.rows, { groupColumn: "plan", maxDepth: 2 });
    expect(scoreChurn(JSON.parse(JSON.stringify(g)), small.rows)).toEqual(scoreChurn(g, small.rows));
  });

  it("trainChurnModel(rows) probabilities stay in [0, 1] for any table (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.option(fc.integer({ min: -5, max: 5 })), fc.constantFrom("a", "b", null), fc.boolean()), { minLength: 4, maxLength: 30 }),
        fc.constantFrom("tree" as const, "forest" as const, "logistic" as const),
        (cells, model) => {
          const rows = cells.map(([x, k, c], i) => ({ x, k, churned: i < 2 ? i === 0 : c }));
          const m = trainChurnModel(rows, { model, trees: 5 });
          for (const p of scoreChurn(m, rows)) expect(p >= 0 && p <= 1).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("trainChurnModel(rows) encodes categoricals and treats unseen or missing categories as no level", () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ plan: ["gold", "silver", "free"][i % 3], churned: i % 3 === 2 }));
    const m = trainChurnModel(rows, { maxDepth: 2 }) as TreeChurnModel;
    expect(m.featureNames).toEqual(["plan=free", "plan=gold", "plan=silver"]);
    expect(churnRules(m)[0].conditions).toEqual(["plan = free"]);
    const [free, gold, unseen, missing] = scoreChurn(m, [{ plan: "free" }, { plan: "gold" }, { plan: "platinum" }, { plan: null }]);
    expect([free, gold]).toEqual([1, 0]);
    expect(unseen).toBe(missing);
  });

  it("trainChurnModel(rows) routes missing numbers by the learned side and can split missing vs present", () => {
    // churn iff the gap is missing (one-time buyers) -> a present/missing split
    const rows = Array.from({ length: 30 }, (_, i) => ({ gap: i % 2 ? null : i, churned: i % 2 === 1 }));
    const m = trainChurnModel(rows, { maxDepth: 1 });
    expect(scoreChurn(m, [{ gap: null }, { gap: 4 }, { gap: 1000 }])).toEqual([1, 0, 0]);
    expect(churnRules(m).map((r) => r.conditions[0])).toEqual(["gap is missing", "gap is present"]);
    // logistic imputes the training mean: a missing value scores as an average customer
    const lm = trainChurnModel(rows.map((r, i) => ({ ...r, x: i })), { model: "logistic", features: ["x"] }) as LogisticChurnModel;
    expect(scoreChurn(lm, [{ x: null }])[0]).toBeCloseTo(scoreChurn(lm, [{ x: lm.fit.mean[0] }])[0], 12);
  });

  it('trainChurnModel(rows, { classWeight: "balanced" }) weights leaf probabilities as scikit-learn does', () => {
    const rows = [...Array.from({ length: 30 }, (_, i) => ({ x: i, churned: i < 3 })), ...Array.from({ length: 10 }, (_, i) => ({ x: 100 + i, churned: true }))];
    const m = trainChurnModel(rows, { maxDepth: 0, classWeight: "balanced" }) as TreeChurnModel;
    expect(m.tree.prob[0]).toBeCloseTo(0.5, 12); // balanced weights make the root 50/50
  });

  it("trainChurnModel(rows, { groupColumn }) trains one tree per group and falls back for small groups", () => {
    const rows = small.rows.map((r, i) => ({ ...r, segment: i < 190 ? (i % 2 ? "A" : "B") : "tiny" }));
    const g = trainChurnModel(rows, { groupColumn: "segment", maxDepth: 2, minGroupSize: 20, features: ["recency", "freq"] });
    if (g.model !== "grouped") throw new Error("expected a grouped model");
    expect(g.groups.map((x) => x.group)).toEqual(["A", "B"]);
    const rules = churnRules(g);
    expect(rules.some((r) => r.group === "A")).toBe(true);
    expect(rules.some((r) => r.group === "(other)")).toBe(true);
    const onlyA = rows.filter((r) => r.segment === "A");
    expect(scoreChurn(g, onlyA)).toEqual(scoreChurn(g.groups[0].model, onlyA));
  });

  it("trainChurnModel(rows) ignores a constant feature (tree never splits on it; logistic coefficient 0)", () => {
    const rows = small.rows.map((r) => ({ ...r, k: 7 }));
    const t = trainChurnModel(rows, { maxDepth: 3 }) as TreeChurnModel;
    expect(t.tree.feature).not.toContain(t.featureNames.indexOf("k"));
    const l = trainChurnModel(rows, { model: "logistic" }) as LogisticChurnModel;
    expect(l.coefficients[l.featureNames.indexOf("k")]).toBe(0);
    expect(scoreChurn(l, rows).every(Number.isFinite)).toBe(true);
  });

  it("trainChurnModel(frozenRows) does not modify its input", () => {
    const frozen = Object.freeze(small.rows.map((r) => Object.freeze({ ...r })));
    expect(() => trainChurnModel(frozen, { model: "forest", trees: 3 })).not.toThrow();
  });

  describe("errors", () => {
    it("one class only throws EMPTY_INPUT", () => {
      try {
        trainChurnModel([{ x: 1, churned: true }, { x: 2, churned: true }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
        expect((e as Error).message).toMatch(/^trainChurnModel: .*one class/);
      }
      expect(() => trainChurnModel([])).toThrow(AnalyticsError);
    });
    it("a bad label or value names the row and field", () => {
      try {
        trainChurnModel([{ x: 1, churned: "maybe" }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 1, field: "churned", value: "maybe" });
      }
      try {
        trainChurnModel([{ x: Infinity, churned: true }, { x: 1, churned: false }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ row: 1, field: "x", code: "INVALID_RECORD" });
      }
    });
    it("bad options name the option", () => {
      try {
        trainChurnModel(small.rows, { model: "svm" as "tree" });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "model", value: "svm" });
      }
      expect(() => trainChurnModel(small.rows, { maxDepth: -1 })).toThrow(InvalidOptionError);
      expect(() => trainChurnModel(small.rows, { maxBins: 300 })).toThrow(InvalidOptionError);
      expect(() => trainChurnModel(small.rows, { criterion: "chi2" as "gini" })).toThrow(expect.objectContaining({ option: "criterion", value: "chi2", expected: '"gini", "entropy" or "gainRatio"' }));
    });
    it("scoreChurn rejects something that is not a model, and a string in a numeric column", () => {
      expect(() => scoreChurn({} as never, [])).toThrow(InvalidOptionError);
      const m = trainChurnModel(small.rows, { maxDepth: 1 });
      try {
        scoreChurn(m, [{ recency: "soon", freq: 1, spend: 1, plan: 0 }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 1, field: "recency", value: "soon" });
      }
    });
    it("churnRules rejects a forest", () => {
      expect(() => churnRules(trainChurnModel(small.rows, { model: "forest", trees: 2 }))).toThrow(InvalidOptionError);
    });
  });
});

describe("churnRules", () => {
  it("churnRules(tree) reads as readable rules, highest churn first, one per leaf", () => {
    const m = trainChurnModel(small.rows, { maxDepth: 2 }) as TreeChurnModel;
    const rules = churnRules(m);
    expect(rules.length).toBe(m.tree.feature.filter((f) => f < 0).length);
    expect(rules.reduce((s, r) => s + r.n, 0)).toBe(200);
    for (let i = 1; i < rules.length; i++) expect(rules[i - 1].probability).toBeGreaterThanOrEqual(rules[i].probability);
    expect(rules[0].text).toMatch(/^recency > 186\.5 AND .* -> churn 0\.\d+ \(n=\d+\)$/);
  });
});

describe("crossValidateChurn", () => {
  it("crossValidateChurn(rows, { k, seed }) scores every row out of fold, reproducibly", () => {
    const cv = crossValidateChurn(small.rows, { k: 5, model: "logistic", seed: 3 });
    expect(cv.auc).toHaveLength(5);
    expect(cv.scores).toHaveLength(200);
    expect(cv.meanAuc!).toBeGreaterThan(0.7);
    expect(cv.sdAuc!).toBeGreaterThan(0);
    expect(crossValidateChurn(small.rows, { k: 5, model: "logistic", seed: 3 })).toEqual(cv);
    // the fold models never saw their test rows: out-of-fold AUC is below the training AUC
    const inSample = evaluateChurn(small.y, scoreChurn(trainChurnModel(small.rows, { model: "logistic" }), small.rows)).rocAuc!;
    expect(evaluateChurn(small.y, cv.scores).rocAuc!).toBeLessThan(inSample);
  });

  describe("errors", () => {
    it("rejects k < 2", () => {
      expect(() => crossValidateChurn(small.rows, { k: 1 })).toThrow(InvalidOptionError);
    });
  });
});
