import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { aliveChurnScores, atRiskCustomers, scoreChurn, trainChurnModel, type ChurnRow } from "../../src/churn/index.js";
import { smallTable } from "./fixtures.js";

const small = smallTable();
const rows: ChurnRow[] = small.rows.map((r) => ({ ...r, monetary_total: r.spend }));

describe("atRiskCustomers", () => {
  it("atRiskCustomers(tree, rows, { top }) ranks by probability then value, with the leaf rule as the reason", () => {
    const m = trainChurnModel(rows, { maxDepth: 2, features: ["recency", "freq", "plan"] });
    const list = atRiskCustomers(m, rows, { top: 15 });
    expect(list).toHaveLength(15);
    const p = scoreChurn(m, rows);
    expect(list[0].probability).toBe(Math.max(...p));
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      expect(a.probability > b.probability || (a.probability === b.probability && a.value! >= b.value!)).toBe(true);
      expect(b.rank).toBe(i + 1);
    }
    expect(list[0].reason).toMatch(/^recency > 186\.5 AND .* -> churn 0\.\d+ \(n=\d+\)$/);
    expect(list[0].valueAtRisk).toBeCloseTo(list[0].probability * list[0].value!, 12);
  });

  it("atRiskCustomers(logistic, rows) explains by the largest positive log-odds contributions", () => {
    const m = trainChurnModel(rows, { model: "logistic", features: ["recency", "freq", "spend", "plan"] });
    const [first] = atRiskCustomers(m, rows, { top: 1, reasons: 2 });
    expect(first.reason).toMatch(/^recency = \d+ \(\+\d\.\d\d log-odds\)/);
    expect(first.reason.split(", ").length).toBeLessThanOrEqual(2);
  });

  it("atRiskCustomers(forest | grouped, rows) give a tree rule as the reason", () => {
    const f = trainChurnModel(rows, { model: "forest", trees: 10, maxDepth: 3, features: ["recency", "freq"] });
    expect(atRiskCustomers(f, rows, { top: 1 })[0].reason).toMatch(/^closest tree \d+: .* -> churn/);
    const g = trainChurnModel(rows, { groupColumn: "plan", maxDepth: 2, features: ["recency", "freq"] });
    expect(atRiskCustomers(g, rows, { top: 1 })[0].reason).toMatch(/^\[plan = \d\] .* -> churn/);
  });

  it("atRiskCustomers(model, rows, { minProbability, valueColumn: null }) filters and leaves value null", () => {
    const m = trainChurnModel(rows, { maxDepth: 2 });
    const list = atRiskCustomers(m, rows, { top: 500, minProbability: 0.8, valueColumn: null });
    expect(list.every((c) => c.probability >= 0.8 && c.value === null && c.valueAtRisk === null)).toBe(true);
    expect(list.length).toBe(scoreChurn(m, rows).filter((p) => p >= 0.8).length);
  });

  describe("errors", () => {
    it("rejects a bad top and rows without ids", () => {
      const m = trainChurnModel(rows, { maxDepth: 1 });
      try {
        atRiskCustomers(m, rows, { top: 0 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "top", value: 0 });
      }
      try {
        atRiskCustomers(m, [{ recency: 1, freq: 1, spend: 1, plan: 0 }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 1, field: "customerId" });
      }
    });
  });
});

describe("aliveChurnScores", () => {
  const summaries = [
    { customerId: "a", x: 0, t_x: 0, T: 30, monetaryValue: 0, firstPurchase: new Date(0) },
    { customerId: "__proto__", x: 5, t_x: 29, T: 30, monetaryValue: 10, firstPurchase: new Date(0) },
  ];
  it("aliveChurnScores(summaries, pAlive) is 1 - P(alive) from any P(alive) function", () => {
    // a stand-in P(alive): rises with recent repeat activity
    const pAlive = (s: { x: number; t_x: number; T: number }) => (s.x === 0 ? 1 : 1 / (1 + (s.T - s.t_x) / 10));
    expect(aliveChurnScores(summaries, pAlive)).toEqual([
      { customerId: "a", pAlive: 1, churnScore: 0 },
      { customerId: "__proto__", pAlive: 1 / 1.1, churnScore: 1 - 1 / 1.1 },
    ]);
  });

  describe("errors", () => {
    it("rejects a non-function and a P(alive) outside [0, 1], naming the customer", () => {
      expect(() => aliveChurnScores(summaries, 0.5 as never)).toThrow(InvalidOptionError);
      try {
        aliveChurnScores(summaries, () => Number.NaN);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: "a", field: "pAlive" });
      }
    });
  });
});
