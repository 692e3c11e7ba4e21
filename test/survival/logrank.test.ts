import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { coxPh, logRankTest } from "../../src/survival/index.js";
import { expectClose, phEcog, R } from "./lung.js";

describe("logRankTest", () => {
  it("logRankTest(time, status, group) on four subjects matches the hand computation", () => {
    // a: events at 1 and 3; b: events at 2 and 4. At each event time (n at risk, n_a):
    // t=1 (4, 2): E_a += 2/4, V += 1*3/(16*3) * 2*(4-2) = 0.25
    // t=2 (3, 1): E_a += 1/3, V += 1*2/(9*2) * 1*(3-1) = 2/9
    // t=3 (2, 1): E_a += 1/2, V += 1*1/(4*1) * 1*(2-1) = 0.25
    // t=4 (1, 0): E_a += 0 (n = 1: no variance term)
    // E_a = 4/3, O_a = 2, V = 13/18; chi2 = (2/3)^2 / (13/18) = 8/13
    const t = logRankTest([1, 2, 3, 4], [1, 1, 1, 1], ["a", "b", "a", "b"]);
    expect(t.groups).toEqual(["a", "b"]);
    expect(Array.from(t.observed)).toEqual([2, 2]);
    expect(t.expected[0]).toBeCloseTo(4 / 3, 14);
    expect(t.expected[1]).toBeCloseTo(8 / 3, 14);
    expect(t.variance[0]).toBeCloseTo(13 / 18, 14);
    expect(t.variance[1]).toBeCloseTo(-13 / 18, 14);
    expect(t.chisq).toBeCloseTo(8 / 13, 14);
    expect(t.df).toBe(1);
  });

  it("logRankTest(lung, sex) matches R survdiff to 1e-10", () => {
    const t = logRankTest(R.time, R.status, R.sex);
    const r = R.survdiffSex;
    expectClose(t.n, r.n, 0);
    expectClose(t.observed, r.observed, 0);
    expectClose(t.expected, r.expected, 1e-10);
    expectClose(t.variance, r.variance, 1e-10);
    expect(t.chisq).toBeCloseTo(r.chisq, 10);
    expect(t.df).toBe(r.df);
    expect(t.p).toBeCloseTo(r.p, 14);
  });

  it("logRankTest(lung, ph.ecog) with four groups matches R survdiff (3 df) on the complete rows", () => {
    const t = logRankTest(R.time, R.status, phEcog);
    const r = R.survdiffEcog;
    expect(t.omittedRows.length).toBe(1);
    expectClose(t.expected, r.expected, 1e-10);
    expectClose(t.variance, r.variance, 1e-10);
    expect(t.chisq).toBeCloseTo(r.chisq, 10);
    expect(t.df).toBe(3);
    expect(t.p).toBeCloseTo(r.p, 14);
  });

  it("logRankTest equals the Cox score test for one binary covariate without ties (Breslow)", () => {
    const time = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];
    const status = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0];
    const g = [0, 1, 0, 0, 1, 1, 0, 1, 0, 1];
    const lr = logRankTest(time, status, g);
    const cox = coxPh(time, status, { g }, { ties: "breslow" });
    expect(cox.scoreTest.statistic).toBeCloseTo(lr.chisq, 12);
  });

  it("logRankTest on all-censored data is a documented degenerate result: chisq 0, df 0, p 1", () => {
    const t = logRankTest([1, 2, 3], [0, 0, 0], ["a", "b", "a"]);
    expect([t.chisq, t.df, t.p]).toEqual([0, 0, 1]);
  });

  describe("errors", () => {
    it("needs two groups", () => {
      const e = (() => { try { logRankTest([1, 2], [1, 1], ["a", "a"]); } catch (err) { return err; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("group");
    });
    it("names a status of 2", () => {
      const e = (() => { try { logRankTest([1, 2], [1, 2], ["a", "b"]); } catch (err) { return err; } })() as InvalidRecordError;
      expect([e.row, e.field, e.value]).toEqual([2, "status", 2]);
    });
  });
});
