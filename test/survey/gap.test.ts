/** expectationGaps and joinSurveyCustomers: hand cases, seeded simulation with known truth, errors. */
import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { createRng, sampleNormal } from "../../src/numeric/random.js";
import { expectationGaps, joinSurveyCustomers, parseSurvey } from "../../src/survey/index.js";

describe("expectationGaps", () => {
  it("expectationGaps(data) gives the mean P - E and sd/sqrt(n), pairwise over missing answers (hand computation)", () => {
    // respondent 3 lacks a perception: left out. differences: 6-7 = -1, 6-8 = -2, 6-6 = 0, 9-7 = 2
    // mean -0.25; deviations -0.75, -1.75, 0.25, 2.25: SS = 0.5625 + 3.0625 + 0.0625 + 5.0625 = 8.75
    // sd = sqrt(8.75 / 3); SE = sd / 2
    const data = { e: [7, 8, 9, 6, 7], p: [6, 6, NaN, 6, 9] };
    const [g] = expectationGaps(data, [{ attribute: "a", expectation: "e", perception: "p" }], { samples: 500, seed: 4 });
    expect(g.n).toBe(4);
    expect(g.expectation).toBe(7);
    expect(g.perception).toBe(6.75);
    expect(g.gap).toBe(-0.25);
    expect(g.standardError).toBeCloseTo(Math.sqrt(8.75 / 3) / 2, 14);
    // a bootstrap mean of 4 values lies between the smallest and largest difference
    expect(g.lower >= -2 && g.upper <= 2 && g.lower <= g.gap && g.gap <= g.upper).toBe(true);
  });

  it("expectationGaps interval is about gap +- 1.96 SE on normal differences (seeded simulation, n = 400)", () => {
    // d ~ N(0.5, 1): SE = 1/sqrt(400) = 0.05; the 95% percentile interval is ~ 0.196 wide
    const rng = createRng(8);
    const e: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < 400; i++) { e.push(5); p.push(5.5 + sampleNormal(rng)); }
    const [g] = expectationGaps({ e, p }, [{ attribute: "x", expectation: "e", perception: "p" }], { seed: 9 });
    expect(Math.abs(g.gap - 0.5)).toBeLessThan(4 * 0.05);
    expect(Math.abs((g.upper - g.lower) / (2 * 1.96 * g.standardError) - 1)).toBeLessThan(0.1);
    const again = expectationGaps({ e, p }, [{ attribute: "x", expectation: "e", perception: "p" }], { seed: 9 });
    expect(again[0]).toEqual(g);
  });

  describe("errors", () => {
    it("rejects too few complete pairs, unknown items and bad options", () => {
      const pair = [{ attribute: "a", expectation: "e", perception: "p" }];
      const e = (() => { try { expectationGaps({ e: [1, NaN], p: [2, 3] }, pair); } catch (x) { return x; } })() as AnalyticsError;
      expect(e.code).toBe("EMPTY_INPUT");
      expect(() => expectationGaps({ e: [1, 2] }, pair)).toThrow(InvalidOptionError);
      expect(() => expectationGaps({ e: [1, 2], p: [1, 2] }, pair, { samples: 10 })).toThrow(InvalidOptionError);
      expect(() => expectationGaps({ e: [1, 2], p: [1, 2] }, [])).toThrow(InvalidOptionError);
    });
  });
});

describe("joinSurveyCustomers", () => {
  it("joinSurveyCustomers(survey, customers) maps rows and accounts for every respondent", () => {
    const survey = parseSurvey(
      [{ r: "1", c: "b", q: 3 }, { r: "2", c: "zz", q: 4 }, { r: "3", q: 5 }, { r: "4", c: "b", q: 1 }, { r: "5", c: "a", q: 2 }],
      { scale: { min: 1, max: 5 }, respondentColumn: "r", customerColumn: "c" },
    ).table;
    const j = joinSurveyCustomers(survey, { ids: ["a", "b", "c"] });
    expect(Array.from(j.customerRow)).toEqual([1, -1, -1, 1, 0]);
    expect([j.matched, j.unmatched, j.withoutCustomer]).toEqual([3, 1, 1]);
    expect(j.matched + j.unmatched + j.withoutCustomer).toBe(survey.respondents.length);
    expect(j.repeatedCustomers).toEqual(["b"]);
  });
});
