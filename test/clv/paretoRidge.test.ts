import { beforeAll, describe, expect, it } from "vitest";
import { calibrationSummary, fitParetoNbd, fitParetoNbdCovariates, readTransactions, type CalibrationSummary, type ClvCustomer } from "../../src/index.js";
import { bfgs, minimize, type Objective } from "../../src/clv/optimize.js";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { createRng } from "../../src/numeric/index.js";

/**
 * A degenerate calibration window, seeded: 300 customers whose first purchase was ~1,900 weeks
 * before the end of calibration; 90% never came back (x = 0), the rest made 1-3 repeat purchases
 * in their first 21 weeks. Nearly everyone looks long gone, so the dropout rates look the same
 * for everyone and the Pareto/NBD likelihood rises without end along s, β → ∞ with s/β fixed
 * (the defect: before the bound the fit walked to s = 37,759, β = 435,741 in 202 evaluations and
 * 34 s, most of it in failing quadratures at s > 2e4).
 */
function degenerateWindow(seed: number): ClvCustomer[] {
  const rng = createRng(seed);
  const rows: ClvCustomer[] = [];
  for (let i = 0; i < 300; i++) {
    const T = 1850 + 100 * rng.next();
    let x = 0;
    let t_x = 0;
    if (rng.next() < 0.1) {
      x = 1 + Math.floor(3 * rng.next());
      t_x = 1 + 20 * rng.next();
    }
    rows.push({ customerId: `c${i}`, x, t_x, T });
  }
  return rows;
}

describe("fitParetoNbd on a ridge", () => {
  let data: ClvCustomer[];
  let cdnow: CalibrationSummary[];
  let cdnowLate: CalibrationSummary[];
  beforeAll(async () => {
    data = degenerateWindow(20261130);
    // CDNOW weeks 1-39, read as in test/clv/cdnow.test.ts
    const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
      format: "csv",
      delimiter: "whitespace",
      header: false,
      names: ["masterId", "customerId", "date", "cds", "amount"],
      dateFormat: "YYYYMMDD",
    });
    cdnow = calibrationSummary(transactions, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    // the window where the defect was found: calibration ending 36 years after the last
    // purchase, so T ~ 1,955 weeks for everyone; the first 300 customers, 158 with x = 0
    cdnowLate = calibrationSummary(transactions, { calibrationEnd: "2034-06-30", timeUnit: "weeks" }).slice(0, 300);
  });

  it("fitParetoNbd(degenerate window) stops on the parameterLimit bound: converged false, finite parameters, bounded evaluations", () => {
    const m = fitParetoNbd(data);
    expect(m.convergence.converged).toBe(false);
    expect(m.convergence.message).toMatch(/^s reached its bound \(s = 10000, parameterLimit = 10000\) with the likelihood still rising, as it does along the ridge s, beta → ∞ with s\/beta fixed/);
    // s sits on the bound e^(ln 1e4) (to rounding); the other three are finite and positive
    expect(m.params.s / 1e4 - 1).toBeCloseTo(0, 12);
    for (const v of Object.values(m.params)) expect(v > 0 && Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(m.logLikelihood)).toBe(true);
    // bounded work: 32 iterations and 43 evaluations here (9 of them the final gradient and
    // Hessian); without the bound it took 44 iterations and 202 evaluations (34 s)
    expect(m.convergence.iterations).toBeLessThanOrEqual(40);
    expect(m.convergence.evaluations).toBeLessThanOrEqual(60);
    // r and α are not on the ridge: they settle where they would anyway (0.1422, 7.72 at s = 37,759)
    expect(m.params.r).toBeCloseTo(0.142, 3);
    expect(m.params.alpha).toBeCloseTo(7.7, 1);
  });

  it("fitParetoNbd(cdnow, calibration ending in 2034) stops on the bound in 36 evaluations (was 191 and 15.5 s, at s = 36,793, beta = 1.54e6)", () => {
    expect(cdnowLate.filter((c) => c.x === 0)).toHaveLength(158);
    const m = fitParetoNbd(cdnowLate);
    expect(m.convergence.converged).toBe(false);
    expect(m.convergence.message).toMatch(/^s reached its bound \(s = 10000, parameterLimit = 10000\)/);
    expect(m.convergence.evaluations).toBeLessThanOrEqual(50);
    for (const v of Object.values(m.params)) expect(v > 0 && Number.isFinite(v)).toBe(true);
    // the purchase side is identified: r 0.5620 and alpha 12.24 here, 0.5627 and 12.27 where the
    // unbounded fit gave up; the log-likelihood is within 0.004 of that point's (-2355.4472)
    expect(m.params.r).toBeCloseTo(0.562, 2);
    expect(Math.abs(m.logLikelihood - -2355.4472)).toBeLessThan(0.01);
  });

  it("fitParetoNbd(degenerate window, { parameterLimit: 1e3 }) stops at s = 1e3, at a lower log-likelihood than at 1e4 (the ridge rises)", () => {
    const m3 = fitParetoNbd(data, { parameterLimit: 1e3 });
    const m4 = fitParetoNbd(data);
    expect(m3.convergence.converged).toBe(false);
    expect(m3.params.s / 1e3 - 1).toBeCloseTo(0, 12);
    expect(m3.convergence.evaluations).toBeLessThan(m4.convergence.evaluations);
    // the ridge keeps rising towards its limit, by ever less: LL -312.5731 at s = 1e3, -312.5619
    // at 1e4, -312.5610 where the unbounded fit gave up (s = 37,759)
    expect(m3.logLikelihood).toBeLessThan(m4.logLikelihood);
    expect(m4.logLikelihood - m3.logLikelihood).toBeLessThan(0.02);
    // the mean dropout rate s/β is what the data pin down: 0.0871 and 0.0866 per week (0.6%)
    expect(Math.abs(m3.params.s / m3.params.beta / (m4.params.s / m4.params.beta) - 1)).toBeLessThan(0.01);
  });

  it("fitParetoNbd(degenerate window in days) stops at the same s with alpha and beta 7 times the weekly ones (the box follows the mean T)", () => {
    const w = fitParetoNbd(data);
    const d = fitParetoNbd(data.map((c) => ({ ...c, t_x: 7 * c.t_x, T: 7 * c.T })));
    expect(d.convergence.message).toMatch(/^s reached its bound/);
    // the BFGS path in ln θ is the same up to rounding: ln α and ln β shift by ln 7
    expect(d.params.r / w.params.r - 1).toBeCloseTo(0, 6);
    expect(d.params.s / w.params.s - 1).toBeCloseTo(0, 12);
    expect(d.params.alpha / (7 * w.params.alpha) - 1).toBeCloseTo(0, 6);
    expect(d.params.beta / (7 * w.params.beta) - 1).toBeCloseTo(0, 6);
    expect(d.convergence.evaluations).toBe(w.convergence.evaluations);
  });

  it("fitParetoNbd(data, { maxEvaluations: 20 }) spends at most 20 evaluations and says so", () => {
    for (const rows of [data, cdnow]) {
      const m = fitParetoNbd(rows, { maxEvaluations: 20 });
      expect(m.convergence.evaluations).toBeLessThanOrEqual(20);
      expect(m.convergence.converged).toBe(false);
      expect(m.convergence.message).toMatch(/maximum evaluations reached \(maxEvaluations 20\)/);
      for (const v of Object.values(m.params)) expect(v > 0 && Number.isFinite(v)).toBe(true);
    }
  });

  it("fitParetoNbd(cdnow) is the same to the bit with the bounds and without them (they never bind on a fit with an optimum)", () => {
    const m = fitParetoNbd(cdnow);
    const loose = fitParetoNbd(cdnow, { parameterLimit: 1e300, maxEvaluations: 1e9 });
    expect(m).toEqual(loose);
    // Fader, Hardie & Lee (2005): r 0.553, α 10.578, s 0.606, β 11.669 (see cdnow.test.ts); 39 evaluations
    expect(m.convergence.converged).toBe(true);
    expect(m.params.s).toBeCloseTo(0.606, 3);
    expect(m.convergence.evaluations).toBe(39);
  });

  it("fitParetoNbdCovariates(degenerate window, life z) stops on the same bound in bounded work", () => {
    // before: the covariate fit started where fitParetoNbd stopped and walked the ridge on to
    // s = 37,624 in 350 evaluations (67 s); now it starts on the bound and stops there
    const rng = createRng(7);
    const z = data.map(() => rng.next() - 0.5);
    const m = fitParetoNbdCovariates(data, { life: [{ name: "z", values: z }] });
    expect(m.convergence.converged).toBe(false);
    expect(m.convergence.message).toMatch(/^s reached its bound \(s = 10000, parameterLimit = 10000\)/);
    expect(m.convergence.message).not.toMatch(/raise parameterLimit/);
    expect(m.convergence.evaluations).toBeLessThanOrEqual(20);
    for (const v of Object.values(m.params)) expect(v > 0 && Number.isFinite(v)).toBe(true);
  });

  describe("errors", () => {
    it("fitParetoNbd(degenerate window, { throwOnNonConvergence: true }) throws NOT_CONVERGED naming the bound", () => {
      try {
        fitParetoNbd(data, { throwOnNonConvergence: true });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("NOT_CONVERGED");
        expect((e as Error).message).toMatch(/^fitParetoNbd: the optimiser did not converge \(s reached its bound/);
      }
    });

    it("fitParetoNbd(data, bad maxEvaluations / parameterLimit / initial) throws InvalidOptionError naming the option", () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ maxEvaluations: 9 }, "maxEvaluations"],
        [{ maxEvaluations: 20.5 }, "maxEvaluations"],
        [{ parameterLimit: 1 }, "parameterLimit"],
        [{ parameterLimit: Number.NaN }, "parameterLimit"],
        [{ parameterLimit: Infinity }, "parameterLimit"],
        [{ initial: { r: 1, alpha: 1900, s: 2e4, beta: 1900 } }, "initial"],
        [{ initial: { r: 1, alpha: 1e-3, s: 1, beta: 1900 } }, "initial"],
        [{ initial: { r: -1, alpha: 1900, s: 1, beta: 1900 } }, "initial"],
      ];
      for (const [options, option] of cases) {
        try {
          fitParetoNbd(data, options);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe(option);
        }
      }
      // an explicit undefined means the default
      expect(fitParetoNbd(data, { maxEvaluations: undefined, parameterLimit: undefined }).params).toEqual(fitParetoNbd(data).params);
    });
  });
});

describe("bfgs with a box", () => {
  // f(u) = e^(-u0) + (u1 - 1)^2: decreases without end in u0 (no minimum), minimum 1 in u1
  const ridge: Objective = (u, g) => {
    g[0] = -Math.exp(-u[0]);
    g[1] = 2 * (u[1] - 1);
    return Math.exp(-u[0]) + (u[1] - 1) ** 2;
  };

  it("bfgs(ridge, box [-5, 5]) stops on the box, not converged, with atBound naming the coordinate", () => {
    const r = bfgs(ridge, [0, 0], { maxIterations: 500, gradientTolerance: 1e-12, maxStep: 3, lower: [-5, -5], upper: [5, 5] });
    expect(r.atBound).toEqual([0]);
    expect(r.u[0]).toBe(5);
    expect(r.convergence.converged).toBe(false);
    expect(r.convergence.message).toBe("an accepted step reached the parameter box");
    // without the box it walks on until the gradient e^(-u0) is below 1e-12, i.e. u0 > 27.6
    const free = bfgs(ridge, [0, 0], { maxIterations: 500, gradientTolerance: 1e-12, maxStep: 3 });
    expect(free.u[0]).toBeGreaterThan(27.6);
    expect(free.convergence.evaluations).toBeGreaterThan(r.convergence.evaluations);
  });

  it("bfgs(ridge, box) stops on a lower end too (atBound = ~j)", () => {
    const flipped: Objective = (u, g) => {
      const v = ridge(Float64Array.from([-u[0], u[1]]), g);
      g[0] = -g[0];
      return v;
    };
    const r = bfgs(flipped, [0, 0], { maxIterations: 500, gradientTolerance: 1e-12, maxStep: 3, lower: [-5, -5], upper: [5, 5] });
    expect(r.atBound).toEqual([~0]);
    expect(r.u[0]).toBe(-5);
  });

  it("minimize(quadratic) gives the same result to the bit with a box it never reaches", () => {
    // f = (u0 - 1)^2 + 10 (u1 + 2)^2 + u0 u1: minimum inside [-10, 10]^2
    const quad: Objective = (u, g) => {
      g[0] = 2 * (u[0] - 1) + u[1];
      g[1] = 20 * (u[1] + 2) + u[0];
      return (u[0] - 1) ** 2 + 10 * (u[1] + 2) ** 2 + u[0] * u[1];
    };
    const opts = { maxIterations: 500, gradientTolerance: 1e-12, maxStep: 3 };
    const a = minimize(quad, [0, 0], opts);
    const b = minimize(quad, [0, 0], { ...opts, lower: [-10, -10], upper: [10, 10], maxEvaluations: 1000 });
    expect(b).toEqual(a);
    expect(a.convergence.converged).toBe(true);
  });

  it("minimize(ridge, { maxEvaluations: 15 }) counts every evaluation, the final Hessian's included", () => {
    const r = minimize(ridge, [0, 0], { maxIterations: 500, gradientTolerance: 1e-12, maxStep: 3, maxEvaluations: 15 });
    expect(r.convergence.evaluations).toBeLessThanOrEqual(15);
    expect(r.convergence.converged).toBe(false);
    expect(r.convergence.message).toMatch(/^maximum evaluations reached/);
  });
});
