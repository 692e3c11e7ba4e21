import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { coxPh, coxSurvival, coxZph } from "../../src/survival/index.js";
import { expectClose, phEcog, R } from "./lung.js";

const covs = { age: R.age as number[], sex: R.sex as number[], "ph.ecog": phEcog };

describe("coxZph", () => {
  for (const ties of ["efron", "breslow"] as const) {
    const r = ties === "efron" ? R.coxEfron : R.coxBreslow;
    const fit = coxPh(R.time, R.status, covs, { ties });
    it(`coxZph(lung ${ties} model) matches R cox.zph (transform "km") to 1e-9`, () => {
      const z = coxZph(fit);
      expectClose([...z.tests.map((t) => t.chisq), z.global.chisq], r.zphChisq, 1e-9);
      expectClose([...z.tests.map((t) => t.p), z.global.p], r.zphP, 1e-12);
      expect([...z.tests.map((t) => t.df), z.global.df]).toEqual(r.zphDf);
      expect(z.tests.map((t) => t.name)).toEqual(["age", "sex", "ph.ecog"]);
      expectClose(z.time, r.zphTime, 0);
      expectClose(z.x, r.zphX, 1e-12);
      // R's z$y: events x covariates, column-major
      const flat = [...z.residuals.values()].flatMap((c) => Array.from(c));
      expectClose(flat, r.zphY, 1e-9);
    });
    it(`coxZph(lung ${ties} model) matches R for the rank, identity and log transforms`, () => {
      for (const [transform, key] of [["rank", "zphRankChisq"], ["identity", "zphIdentityChisq"], ["log", "zphLogChisq"]] as const) {
        const z = coxZph(fit, { transform });
        expectClose([...z.tests.map((t) => t.chisq), z.global.chisq], r[key], 1e-9);
      }
    });
  }
  it("coxZph rejects an unknown transform", () => {
    const fit = coxPh(R.time, R.status, covs);
    expect(() => coxZph(fit, { transform: "sqrt" as never })).toThrow(InvalidOptionError);
  });
});

describe("coxSurvival", () => {
  for (const ties of ["efron", "breslow"] as const) {
    const r = ties === "efron" ? R.coxEfron : R.coxBreslow;
    it(`coxSurvival(lung ${ties} model, age 60, sex 2, ph.ecog 1) matches R survfit.coxph to 1e-10`, () => {
      const fit = coxPh(R.time, R.status, covs, { ties });
      const s = coxSurvival(fit, new Map([["age", 60], ["sex", 2], ["ph.ecog", 1]]));
      expect(r.newdata).toEqual([60, 2, 1]);
      expectClose(s.time, r.predTime, 0);
      expectClose(s.surv, r.predSurv, 1e-10);
      expectClose(s.cumHazard, r.predCumHaz, 1e-10);
      expectClose(s.stdErr, r.predStdErr, 1e-10);
      expectClose(s.lower, r.predLower, 1e-10);
      expectClose(s.upper, r.predUpper, 1e-10);
      // basehaz(fit, centered = FALSE): the profile x = 0
      const zero = coxSurvival(fit, { age: 0, sex: 0, "ph.ecog": 0 });
      expectClose(zero.time, r.baseTime, 0);
      expectClose(zero.cumHazard, r.baseHaz, 1e-10);
    });
  }
  it("coxSurvival orders profiles by risk: a higher ph.ecog never survives better", () => {
    const fit = coxPh(R.time, R.status, covs);
    const a = coxSurvival(fit, { age: 60, sex: 1, "ph.ecog": 0 });
    const b = coxSurvival(fit, { age: 60, sex: 1, "ph.ecog": 2 });
    for (let i = 0; i < a.surv.length; i++) expect(b.surv[i]).toBeLessThanOrEqual(a.surv[i]);
  });
  it("coxSurvival names a missing covariate", () => {
    const fit = coxPh(R.time, R.status, covs);
    const e = (() => { try { coxSurvival(fit, { age: 60, sex: 1 }); } catch (err) { return err; } })() as InvalidOptionError;
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.option).toBe("profile.ph.ecog");
  });
});
