import { describe, expect, it } from "vitest";
import { AnalyticsError } from "../../src/core/errors.js";
import { customerLifetimeValue, fitGammaGamma, type BgNbdModel } from "../../src/clv/index.js";

// Audit D20 (reliability-audit.md case 60): all amounts 1e300 ended in an InvalidOptionError about
// spendModel.params.q (the fit could not move from its start), i.e. "bad arguments" for valid data.
const base = Array.from({ length: 300 }, (_, i) => {
  const x = i % 7;
  const T = 30 + (i % 11);
  return { customerId: `c${i}`, x, t_x: x === 0 ? 0 : Math.min(T, 5 + ((i * 13) % 25)), T, monetaryValue: x === 0 ? 0 : 5 + ((i * 37) % 50) * (1 + (i % 3)) };
});
// CDNOW's BG/NBD parameters (Fader, Hardie & Lee 2005), fixed so the test needs no fit
const bg: BgNbdModel = {
  model: "bg-nbd",
  params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  logLikelihood: 0,
  customers: 2357,
  standardErrors: null,
  penalizer: 0,
  convergence: { converged: true, iterations: 0, evaluations: 0, gradientNorm: 0, message: "fixed" },
};
const scaled = (c: number) => base.map((s) => ({ ...s, monetaryValue: s.monetaryValue * c }));

describe("fitGammaGamma", () => {
  describe("errors", () => {
    it("fitGammaGamma(amounts x 1e306: fitted gamma 3.3e308) throws OVERFLOW 'the data overflowed', not an error about the model", () => {
      try {
        fitGammaGamma(scaled(1e306));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("OVERFLOW");
        expect((e as Error).message).toMatch(/^fitGammaGamma: the data overflowed: the fitted gamma/);
      }
    });
  });

  for (const c of [2 ** 100, 1e200, 1e300, 1e-300]) {
    it(`fitGammaGamma(amounts x ${c}) gives the p, q of amounts x 1 and gamma x ${c} (scale equivariance; 1e200 stayed at its start before)`, () => {
      const one = fitGammaGamma(base);
      const big = fitGammaGamma(scaled(c));
      expect(big.convergence.converged).toBe(true);
      expect(big.params.p / one.params.p).toBeCloseTo(1, 6);
      expect(big.params.q / one.params.q).toBeCloseTo(1, 6);
      expect(big.params.gamma / c / one.params.gamma).toBeCloseTo(1, 6);
      // log-density of amounts in a unit c: ll drops by (customers with x > 0) ln c
      expect(big.logLikelihood).toBeCloseTo(one.logLikelihood - big.customers * Math.log(c), 4);
      expect(big.standardErrors!.gamma / c / one.standardErrors!.gamma).toBeCloseTo(1, 4);
    });
  }
});

describe("customerLifetimeValue", () => {
  it("customerLifetimeValue(bg, gg fitted on amounts x 1e300) gives finite expectedSpend and clv, 1e300 x those of amounts x 1", () => {
    const one = customerLifetimeValue(bg, fitGammaGamma(base), base);
    const big = customerLifetimeValue(bg, fitGammaGamma(scaled(1e300)), scaled(1e300));
    for (let i = 0; i < base.length; i++) {
      expect(Number.isFinite(big[i].clv)).toBe(true);
      expect(big[i].expectedSpend / 1e300 / one[i].expectedSpend).toBeCloseTo(1, 5);
      expect(big[i].clv / 1e300 / one[i].clv).toBeCloseTo(1, 5);
    }
  });

  describe("errors", () => {
    it("customerLifetimeValue(amounts x 1e304, margin 1000: CLV beyond 1.8e308) throws OVERFLOW 'the data overflowed' instead of returning Infinity", () => {
      const rows = scaled(1e304);
      const gg = fitGammaGamma(rows);
      try {
        customerLifetimeValue(bg, gg, rows, { margin: 1000 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("OVERFLOW");
        expect((e as Error).message).toMatch(/^customerLifetimeValue: the data overflowed/);
      }
    });
  });
});
