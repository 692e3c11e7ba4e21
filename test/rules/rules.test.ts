import { describe, expect, it } from "vitest";
import {
  AnalyticsError,
  associationRules,
  basketsFrom,
  buildRecommender,
  frequentItemsets,
  generateTransactions,
  InvalidOptionError,
  InvalidRecordError,
  recommend,
} from "../../src/index.js";

// A tiny hand-checked store: 5 baskets.
const LISTS = Object.freeze([
  Object.freeze(["pasta", "sauce", "parmesan"]),
  Object.freeze(["pasta", "sauce"]),
  Object.freeze(["pasta", "wine"]),
  Object.freeze(["sauce", "wine"]),
  Object.freeze(["pasta", "sauce", "parmesan", "wine"]),
]);

const catchError = (f: () => unknown): any => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

describe("frequentItemsets", () => {
  it("frequentItemsets(lists, { minSupport: 0.4 }) gives the hand-counted itemsets in count order", () => {
    // Hand count: pasta 4, sauce 4, wine 3, pasta+sauce 3 (ties: shorter first), parmesan 2, pasta+parmesan 2, ...
    const f = frequentItemsets(LISTS, { minSupport: 0.4 });
    expect(f.minCount).toBe(2);
    expect(f.itemsets.slice(0, 4).map((s) => [s.items.join("+"), s.count])).toEqual([["pasta", 4], ["sauce", 4], ["wine", 3], ["pasta+sauce", 3]]);
    expect(f.itemsets.find((s) => s.items.join("+") === "parmesan+pasta+sauce")?.count).toBe(2);
    expect(f.complete).toBe(true);
  });

  it("frequentItemsets(lists, { minLength: 2 }) filters the report and marks it incomplete", () => {
    const f = frequentItemsets(LISTS, { minSupport: 0.4, minLength: 2 });
    expect(f.itemsets.every((s) => s.items.length >= 2)).toBe(true);
    expect(f.complete).toBe(false);
  });

  it("frequentItemsets([]) gives no itemsets", () => {
    const f = frequentItemsets([], { minSupport: 0.5 });
    expect(f.itemsets).toEqual([]);
    expect(f.basketCount).toBe(0);
    expect(associationRules(f)).toEqual([]);
  });

  it("frequentItemsets(one basket, { minSupport: 1 }) gives every subset", () => {
    expect(frequentItemsets([["a", "b", "c"]], { minSupport: 1 }).itemsets).toHaveLength(7);
  });

  it("frequentItemsets(lists, { minSupport: 0.4 }) is the same with minCount: 2", () => {
    expect(frequentItemsets(LISTS, { minCount: 2 })).toEqual(frequentItemsets(LISTS, { minSupport: 0.4 }));
  });

  describe("errors", () => {
    it.each([0, -0.1, 1.5, Number.NaN])("frequentItemsets(lists, { minSupport: %s }) throws InvalidOptionError", (minSupport) => {
      const e = catchError(() => frequentItemsets(LISTS, { minSupport }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("minSupport");
      expect(e.message).toMatch(/^frequentItemsets: /);
    });
    it("frequentItemsets(lists, { maxLength: 0 }) throws InvalidOptionError", () => {
      expect(catchError(() => frequentItemsets(LISTS, { maxLength: 0 })).option).toBe("maxLength");
    });
    it("frequentItemsets(lists, { maxItemsets: 5 }) throws AnalyticsError BUDGET_EXCEEDED instead of running out of memory", () => {
      const e = catchError(() => frequentItemsets(LISTS, { minSupport: 0.2, maxItemsets: 5 }));
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("BUDGET_EXCEEDED");
    });
  });
});

describe("associationRules", () => {
  const sets = frequentItemsets(LISTS, { minSupport: 0.4 });

  it("associationRules(itemsets) computes the hand-checked measures of {parmesan} => {pasta}", () => {
    const r = associationRules(sets, { minConfidence: 0 }).find((x) => x.antecedent.join() === "parmesan" && x.consequent.join() === "pasta")!;
    // Hand computation: N 5, count 2, parmesan 2, pasta 4.
    expect(r.count).toBe(2);
    expect(r.support).toBeCloseTo(0.4, 15);
    expect(r.confidence).toBe(1);
    expect(r.lift).toBeCloseTo(1.25, 15);
    expect(r.leverage).toBeCloseTo(0.4 - 0.4 * 0.8, 15);
    expect(r.conviction).toBe(Infinity);
    // Zhang: 0.08 / max(0.4 * 0.6, 0.4 * (0.8 - 0.4)) = 0.08 / 0.24.
    expect(r.zhang).toBeCloseTo(1 / 3, 15);
    expect(r.kulczynski).toBeCloseTo((1 + 0.5) / 2, 15);
  });

  it("associationRules(itemsets, { appearance }) keeps items on their allowed side", () => {
    const rules = associationRules(sets, { minConfidence: 0, appearance: { consequent: ["parmesan"], exclude: ["wine"] } });
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.consequent).toEqual(["parmesan"]);
      expect(r.antecedent).not.toContain("wine");
    }
    const lhs = associationRules(sets, { minConfidence: 0, appearance: { antecedent: ["pasta"] } });
    for (const r of lhs) expect(r.antecedent).toEqual(["pasta"]);
  });

  it("associationRules(itemsets, { minLift, maxLength }) filters by lift and rule length", () => {
    const rules = associationRules(sets, { minConfidence: 0, minLift: 1.01, maxLength: 2 });
    for (const r of rules) {
      expect(r.lift).toBeGreaterThanOrEqual(1.01);
      expect(r.antecedent.length + r.consequent.length).toBe(2);
    }
  });

  it("associationRules(itemsets) sorts ties deterministically (documented tie-break)", () => {
    const a = associationRules(sets, { minConfidence: 0, sortBy: "support" });
    const b = associationRules({ ...sets, itemsets: [...sets.itemsets].reverse() }, { minConfidence: 0, sortBy: "support" });
    expect(b).toEqual(a);
  });

  describe("errors", () => {
    it("associationRules(closed itemsets) throws InvalidOptionError: rules need every subset", () => {
      const e = catchError(() => associationRules(frequentItemsets(LISTS, { minSupport: 0.4, closed: true })));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("itemsets");
    });
    it.each([["minConfidence", 1.2], ["sortBy", "beauty"], ["consequentSize", 2], ["minLength", 1], ["top", -1]])(
      "associationRules(itemsets, { %s: %s }) throws InvalidOptionError",
      (option, value) => {
        const e = catchError(() => associationRules(sets, { [option]: value }));
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e.option).toBe(option);
        expect(e.message).toMatch(/^associationRules: /);
      },
    );
    it("associationRules(21-item itemset, { consequentSize: 'any' }) throws BUDGET_EXCEEDED instead of enumerating 2^21 splits", () => {
      const items = Array.from({ length: 21 }, (_, i) => `i${String(i).padStart(2, "0")}`);
      const fake = { itemsets: [{ items, count: 1, support: 1 }], basketCount: 1, minCount: 1, items, itemCounts: items.map(() => 1), maxLengthFound: 21, complete: true };
      const e = catchError(() => associationRules(fake, { consequentSize: "any" }));
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("BUDGET_EXCEEDED");
      expect(e.message).toMatch(/^associationRules: .*maxLength/);
    });
    it("associationRules(itemsets, { maxRules: 2 }) throws AnalyticsError BUDGET_EXCEEDED", () => {
      expect(catchError(() => associationRules(sets, { minConfidence: 0, maxRules: 2 })).code).toBe("BUDGET_EXCEEDED");
    });
    it("associationRules(itemsets missing a subset's count) throws InvalidRecordError naming the 1-based itemset and the missing subset", () => {
      // Hand-edited itemsets claiming to be complete: {a, b, c} is the 2nd itemset, but {a, b} is absent.
      const items = ["a", "b", "c"];
      const fake = {
        itemsets: [
          { items: ["a"], count: 2, support: 1 },
          { items: ["a", "b", "c"], count: 2, support: 1 },
          { items: ["b"], count: 2, support: 1 },
          { items: ["c"], count: 2, support: 1 },
          { items: ["a", "c"], count: 2, support: 1 },
          { items: ["b", "c"], count: 2, support: 1 },
        ],
        basketCount: 2,
        minCount: 1,
        items,
        itemCounts: [2, 2, 2],
        maxLengthFound: 3,
        complete: true,
      };
      const e = catchError(() => associationRules(fake, { minConfidence: 0 }));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e.code).toBe("INVALID_RECORD");
      // Splits of row 2 in position order: consequent a needs {b, c} (present), consequent b needs {a, c} (present), consequent c needs {a, b}: missing.
      expect([e.row, e.field, e.value]).toEqual([2, "items", ["a", "b"]]);
      expect(e.message).toMatch(/^associationRules: row 2, field "items"/);
    });
  });
});

describe("recommend", () => {
  const rules = associationRules(frequentItemsets(LISTS, { minSupport: 0.4 }), { minConfidence: 0.5, consequentSize: "any" });
  const rec = buildRecommender(rules);

  it("recommend(recommender, ['pasta']) ranks sauce first with its supporting rule", () => {
    const out = recommend(rec, ["pasta"]);
    // Hand count: pasta => sauce conf 3/4; pasta => wine 2/4; pasta => parmesan 2/4.
    expect(out[0].item).toBe("sauce");
    expect(out[0].score).toBeCloseTo(0.75, 15);
    expect(out[0].rules[0].antecedent).toEqual(["pasta"]);
    expect(out.map((r) => r.item)).not.toContain("pasta");
  });

  it("recommend(recommender, basket) equals a full scan over all rules", () => {
    for (const basket of [["pasta"], ["sauce", "pasta"], ["wine"], ["parmesan", "wine"], [], ["unknown"]]) {
      const have = new Set(basket);
      const expected = new Map<string, number>();
      for (const r of rules) {
        if (!r.antecedent.every((a) => have.has(a))) continue;
        for (const y of r.consequent) if (!have.has(y)) expected.set(y, Math.max(expected.get(y) ?? 0, r.confidence));
      }
      const got = recommend(rec, basket, { top: 100 });
      expect(new Map(got.map((g) => [g.item, g.score]))).toEqual(expected);
    }
  });

  it("recommend(rules, history, { top, exclude }) takes a history of baskets and a plain rule array", () => {
    const out = recommend(rules, [["pasta"], ["wine"]], { top: 1, exclude: ["sauce"] });
    expect(out).toHaveLength(1);
    expect(out[0].item).not.toBe("sauce");
  });

  it("recommend(recommender for the synthetic store, ['pasta', 'tomato sauce']) suggests parmesan", () => {
    const b = basketsFrom(generateTransactions({ customers: 500, seed: 11 }));
    const r = buildRecommender(associationRules(frequentItemsets(b, { minSupport: 0.01 }), { minConfidence: 0.3 }));
    expect(recommend(r, ["pasta", "tomato sauce"])[0].item).toBe("parmesan");
  });

  describe("errors", () => {
    it("recommend(recommender, 'pasta') throws InvalidOptionError: a basket is a list", () => {
      const e = catchError(() => recommend(rec, "pasta" as unknown as string[]));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("basket");
    });
    it("buildRecommender(rules, { scoreBy: 'x' }) throws InvalidOptionError", () => {
      expect(catchError(() => buildRecommender(rules, { scoreBy: "x" as "lift" })).option).toBe("scoreBy");
    });
  });
});
