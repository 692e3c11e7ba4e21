import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { atRiskCustomers, churnRules, scoreChurn, scoreChurnColumns, trainChurnModel, type ChurnModel, type ChurnRow } from "../../src/churn/index.js";

// Audit D2 (reliability-audit.md cases 116 and 117): tampered churn models loaded from JSON.
const rows: ChurnRow[] = Array.from({ length: 60 }, (_, i) => ({
  customerId: `c${i}`,
  recency: (i * 37) % 100,
  frequency: (i * 11) % 7,
  plan: i % 3 === 0 ? "gold" : "basic",
  churned: (i * 37) % 100 > 50 !== (i % 9 === 0),
}));

function loaded(model: "tree" | "forest" | "logistic"): any {
  return JSON.parse(JSON.stringify(trainChurnModel(rows, { model, maxDepth: 3, trees: 5 })));
}

function fieldError(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  return expect.unreachable("expected an InvalidOptionError");
}

describe("scoreChurn", () => {
  it("scoreChurn(model from JSON) still scores the same as the trained model", () => {
    for (const kind of ["tree", "forest", "logistic"] as const) {
      const m = trainChurnModel(rows, { model: kind, maxDepth: 3, trees: 5 });
      expect(scoreChurn(JSON.parse(JSON.stringify(m)), rows)).toEqual(scoreChurn(m, rows));
    }
  });

  describe("errors", () => {
    it("scoreChurn(tree with left[0] = right[0] = 0, a cycle at the root) throws naming model.tree.left[0] instead of looping forever", () => {
      const m = loaded("tree");
      expect(m.tree.feature[0]).toBeGreaterThanOrEqual(0);
      m.tree.left[0] = 0;
      m.tree.right[0] = 0;
      const e = fieldError(() => scoreChurn(m, rows));
      expect(e.option).toBe("model.tree.left[0]");
      expect(e.value).toBe(0);
      expect(e.message).toMatch(/^scoreChurn: option "model\.tree\.left\[0\]" got 0, expected a node index in \[1, /);
    });

    it("scoreChurn(tree with a cycle at depth 1: left[1] = 0) throws naming model.tree.left[1]", () => {
      const m = loaded("tree");
      expect(m.tree.feature[1]).toBeGreaterThanOrEqual(0);
      m.tree.left[1] = 0;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.tree.left[1]");
    });

    it("scoreChurn(tree with left[0] = 999, out of range) throws instead of returning NaN", () => {
      const m = loaded("tree");
      m.tree.left[0] = 999;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.tree.left[0]");
    });

    it("scoreChurn(tree with feature[0] = 99) throws naming the field instead of a raw TypeError", () => {
      const m = loaded("tree");
      m.tree.feature[0] = 99;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.tree.feature[0]");
    });

    it("scoreChurn(tree with threshold[0] = null) throws instead of scoring differently", () => {
      const m = loaded("tree");
      m.tree.threshold[0] = null;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.tree.threshold[0]");
    });

    it("scoreChurn(tree with a leaf prob of 7) throws instead of returning a probability of 7", () => {
      const m = loaded("tree");
      const leaf = m.tree.feature.indexOf(-1);
      m.tree.prob[leaf] = 7;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe(`model.tree.prob[${leaf}]`);
    });

    it("scoreChurn(tree model without tree, or tagged 'tree' holding a logistic fit) throws naming model.tree", () => {
      const m = loaded("tree");
      delete m.tree;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.tree");
      const l = loaded("logistic");
      l.model = "tree";
      expect(fieldError(() => scoreChurn(l, rows)).option).toBe("model.tree");
    });

    it("scoreChurn(model with columns truncated) throws naming model.featureNames", () => {
      const m = loaded("tree");
      m.columns = m.columns.slice(0, 1);
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.featureNames");
    });

    it("scoreChurn(model with an edited featureNames entry) throws instead of ignoring it", () => {
      const m = loaded("tree");
      m.featureNames[0] = "something_else";
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.featureNames[0]");
    });

    it("scoreChurn(forest with trees: []) throws instead of returning NaN", () => {
      const m = loaded("forest");
      m.trees = [];
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe("model.trees");
    });

    it("scoreChurn(forest with a cycle in its third tree) throws naming model.trees[2]", () => {
      const m = loaded("forest");
      const t = m.trees[2];
      const k = t.feature.findIndex((f: number) => f >= 0);
      t.right[k] = k;
      expect(fieldError(() => scoreChurn(m, rows)).option).toBe(`model.trees[2].right[${k}]`);
    });

    it("scoreChurn(logistic with fit.coef truncated, fit.mean as strings, fit.intercept null) throws naming each field", () => {
      const a = loaded("logistic");
      a.fit.coef = a.fit.coef.slice(0, 1);
      expect(fieldError(() => scoreChurn(a, rows)).option).toBe("model.fit.coef");
      const b = loaded("logistic");
      b.fit.mean = b.fit.mean.map(String);
      expect(fieldError(() => scoreChurn(b, rows)).option).toBe("model.fit.mean[0]");
      const c = loaded("logistic");
      c.fit.intercept = null;
      expect(fieldError(() => scoreChurn(c, rows)).option).toBe("model.fit.intercept");
    });

    it("scoreChurn(logistic with edited top-level intercept or coefficients) throws instead of ignoring them", () => {
      const a = loaded("logistic");
      a.intercept += 1;
      expect(fieldError(() => scoreChurn(a, rows)).option).toBe("model.intercept");
      const b = loaded("logistic");
      b.coefficients[0] += 1;
      expect(fieldError(() => scoreChurn(b, rows)).option).toBe("model.coefficients[0]");
    });

    it("scoreChurn(grouped model with a cyclic fallback tree) throws naming model.fallback.tree", () => {
      const grouped = JSON.parse(JSON.stringify(trainChurnModel(rows, { groupColumn: "plan", minGroupSize: 10, maxDepth: 3 })));
      expect(grouped.model).toBe("grouped");
      grouped.fallback.tree.left[0] = 0;
      expect(fieldError(() => scoreChurn(grouped, rows)).option).toBe("model.fallback.tree.left[0]");
    });

    it("scoreChurnColumns, atRiskCustomers and churnRules(cyclic tree) throw the same error", () => {
      const m = loaded("tree") as ChurnModel & { tree: { left: number[] } };
      m.tree.left[0] = 0;
      const matrix = { data: Float64Array.from([1, 2, 1]), features: ["recency", "frequency", "plan=gold"] };
      expect(fieldError(() => scoreChurnColumns(m, matrix)).option).toBe("model.tree.left[0]");
      expect(fieldError(() => atRiskCustomers(m, rows)).option).toBe("model.tree.left[0]");
      expect(fieldError(() => churnRules(m)).option).toBe("model.tree.left[0]");
    });
  });
});

// Audit D8 (reliability-audit.md case 97): trainChurnModel forest trees: 1e6 ran > 240 s at 2.5 GB.
describe("trainChurnModel", () => {
  describe("errors", () => {
    it("trainChurnModel(rows, { model: 'forest', trees: 1e6 }) throws InvalidOptionError on trees at once", () => {
      const t0 = performance.now();
      const e = fieldError(() => trainChurnModel(rows, { model: "forest", trees: 1e6 }));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e.option).toBe("trees");
      expect(e.value).toBe(1e6);
      expect(e.message).toContain("an integer in [1, 5000]");
    });

    it("trainChurnModel(rows, { model: 'forest', trees: 5000 }) is still accepted (the bound is inclusive)", () => {
      const m = trainChurnModel(rows.slice(0, 20), { model: "forest", trees: 5000, maxDepth: 1 });
      expect(m.model === "forest" && m.trees.length).toBe(5000);
    });
  });
});
