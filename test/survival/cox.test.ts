import { describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { createRng } from "../../src/numeric/random.js";
import { coxPh } from "../../src/survival/index.js";
import { concordanceOf } from "../../src/survival/cox.js";
import { expectClose, phEcog, R } from "./lung.js";

const covs = () => new Map([["age", R.age as number[]], ["sex", R.sex as number[]], ["ph.ecog", phEcog]]);

describe("coxPh", () => {
  for (const ties of ["efron", "breslow"] as const) {
    const r = ties === "efron" ? R.coxEfron : R.coxBreslow;
    it(`coxPh(lung ~ age + sex + ph.ecog, ties "${ties}") matches R coxph to 1e-9`, () => {
      const fit = coxPh(R.time, R.status, covs(), { ties });
      expect(fit.names).toEqual(["age", "sex", "ph.ecog"]);
      expect([fit.n, fit.events, fit.omittedRows.length]).toEqual([227, 164, 1]);
      expectClose(fit.coefficients, r.coef, 1e-9);
      expectClose(fit.standardErrors, r.se, 1e-9);
      expectClose(fit.variance, r.var, 1e-10);
      expectClose(fit.hazardRatios, r.hr, 1e-9);
      expectClose(fit.hazardRatioLower, r.hrLower, 1e-9);
      expectClose(fit.hazardRatioUpper, r.hrUpper, 1e-9);
      expectClose(fit.z, r.z, 1e-8);
      expectClose(fit.p, r.p, 1e-10);
      expectClose([fit.logLikelihood.null, fit.logLikelihood.fitted], r.loglik, 1e-9);
      expect(fit.iterations).toBe(r.iter);
      expect(fit.converged).toBe(true);
      expect(fit.likelihoodRatioTest.statistic).toBeCloseTo(r.lrTest[0], 8);
      expect(fit.likelihoodRatioTest.df).toBe(3);
      expect(fit.likelihoodRatioTest.p).toBeCloseTo(r.lrTest[2], 14);
      expect(fit.waldTest.statistic).toBeCloseTo(r.waldTest[0], 8);
      expect(fit.scoreTest.statistic).toBeCloseTo(r.scoreTest[0], 8);
      expectClose(fit.means, r.means, 1e-12);
      expectClose(fit.linearPredictor, r.linearPredictor, 1e-10);
      // concordance counts exactly as R's coxph reports them
      const c = fit.concordance;
      expect([c.concordant, c.discordant, c.tiedRisk, c.tiedTime, c.tiedBoth]).toEqual([r.concordant, r.discordant, r.tiedX, r.tiedY, r.tiedXY]);
      expect(c.value).toBeCloseTo(r.concordance, 14);
      expect(c.stdErr).toBeCloseTo(r.concordanceStdErr, 12);
    });
  }

  it("coxPh takes an object of columns in key order, and explicit undefined options keep the defaults", () => {
    const fit = coxPh(R.time, R.status, { age: R.age, sex: R.sex, "ph.ecog": phEcog }, { ties: undefined, maxIterations: undefined });
    expect(fit.ties).toBe("efron");
    expectClose(fit.coefficients, R.coxEfron.coef, 1e-9);
  });

  it("coxPh on one binary covariate without ties: score test = log-rank, hazard ratio direction by hand", () => {
    // group 1 fails at 1 and 2, group 0 at 3 and 4: group 1 is at higher risk, beta > 0
    const fit = coxPh([1, 2, 3, 4], [1, 1, 1, 1], { g: [1, 1, 0, 0] });
    // score at beta = 0 (hand): U = sum over events (x_i - mean at risk)
    // t1: 1 - 2/4 = 0.5; t2: 1 - 1/3 = 2/3; t3: 0 - 0 = 0; t4: 0 -> U = 7/6
    // I(0) = sum p(1-p): 1/4 + 2/9 + 0 + 0 = 17/36; score = (7/6)^2 / (17/36) = 49/17
    expect(fit.scoreTest.statistic).toBeCloseTo(49 / 17, 12);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
  });

  it("coxPh under monotone likelihood stops at maxIterations with converged false, like R", () => {
    // premium customers never churn before a basic one at risk: beta -> -infinity.
    // R: coxph(...) warns "Ran out of iterations", coef -21.680651655408841, loglik
    // (-5.1929568508902104, -2.4849066515155265); the far tail differs in rounding (R rescales x)
    const fit = coxPh([5, 8, 12, 20, 25, 30], [1, 1, 0, 1, 1, 0], { premium: [0, 0, 1, 0, 1, 1] });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(20);
    expect(Math.abs(fit.coefficients[0] - -21.680651655408841)).toBeLessThan(1e-6);
    expect(fit.logLikelihood.fitted).toBeCloseTo(-2.4849066515155265, 12);
    expect(fit.logLikelihood.null).toBeCloseTo(-5.1929568508902104, 14);
  });

  it("concordanceOf (Fenwick, O(n log n)) equals the O(n²) pair count on seeded data with ties", () => {
    const rng = createRng(19);
    const n = 300;
    const time = Float64Array.from({ length: n }, () => 1 + Math.floor(rng.next() * 40));
    const status = Uint8Array.from({ length: n }, () => (rng.next() < 0.7 ? 1 : 0));
    const score = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 10));
    let conc = 0, disc = 0, tx = 0, ty = 0, txy = 0;
    const inf = Array.from({ length: n }, () => [0, 0, 0]);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (i === j || status[i] !== 1) continue;
      if (time[i] < time[j] || (time[i] === time[j] && status[j] === 0)) {
        const k = score[i] > score[j] ? 0 : score[i] < score[j] ? 1 : 2;
        if (k === 0) conc++;
        else if (k === 1) disc++;
        else tx++;
        inf[i][k]++;
        inf[j][k]++;
      } else if (time[i] === time[j] && status[j] === 1 && i < j) {
        if (score[i] === score[j]) txy++;
        else ty++;
      }
    }
    const c = concordanceOf(time, status, score);
    expect([c.concordant, c.discordant, c.tiedRisk, c.tiedTime, c.tiedBoth]).toEqual([conc, disc, tx, ty, txy]);
    // R concordancefit's jackknife: dfbeta_i = (c_i - d_i)/N - D (c_i + d_i + t_i)/N, se = sqrt(Σ dfbeta²) / 2
    const N = conc + disc + tx;
    const D = (conc - disc) / N;
    const v = inf.reduce((acc, [a, b, t]) => acc + ((a - b) / N - (D * (a + b + t)) / N) ** 2, 0);
    expect(c.stdErr).toBeCloseTo(Math.sqrt(v) / 2, 14);
  });

  describe("errors", () => {
    it("rejects a constant covariate with InvalidOptionError naming it", () => {
      const e = (() => { try { coxPh([1, 2, 3], [1, 1, 0], { x: [1, 1, 1] }); } catch (err) { return err; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("covariates.x");
    });
    it("rejects all-censored data with EMPTY_INPUT", () => {
      const e = (() => { try { coxPh([1, 2, 3], [0, 0, 0], { x: [1, 2, 3] }); } catch (err) { return err; } })() as AnalyticsError;
      expect(e.code).toBe("EMPTY_INPUT");
    });
    it("rejects collinear covariates with NOT_CONVERGED", () => {
      const e = (() => { try { coxPh([1, 2, 3, 4], [1, 1, 1, 0], { x: [1, 2, 3, 5], y: [2, 4, 6, 10] }); } catch (err) { return err; } })() as AnalyticsError;
      expect(e.code).toBe("NOT_CONVERGED");
    });
    it("names an infinite covariate value and a negative time", () => {
      const e = (() => { try { coxPh([1, 2, 3], [1, 1, 0], { age: [1, Infinity, 3] }); } catch (err) { return err; } })() as InvalidRecordError;
      expect([e.row, e.field, e.value]).toEqual([2, "age", Infinity]);
      const f = (() => { try { coxPh([1, 2, -3], [1, 1, 0], { age: [1, 2, 3] }); } catch (err) { return err; } })() as InvalidRecordError;
      expect([f.row, f.field, f.value]).toEqual([3, "time", -3]);
    });
    it("names a covariate value that is not a number", () => {
      const e = (() => { try { coxPh([1, 2, 3], [1, 1, 0], { plan: [1, "gold", 0] as unknown as number[] }); } catch (err) { return err; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "plan", "gold"]);
    });
    it("rejects bad options and empty covariates", () => {
      expect(() => coxPh([1, 2], [1, 0], { x: [1, 2] }, { ties: "exact" as never })).toThrow(InvalidOptionError);
      expect(() => coxPh([1, 2], [1, 0], {})).toThrow(InvalidOptionError);
      expect(() => coxPh([1, 2], [1, 0], { x: [1, 2] }, { maxIterations: 0 })).toThrow(InvalidOptionError);
    });
  });
});
