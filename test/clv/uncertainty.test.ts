import { describe, expect, it } from "vitest";
import {
  conditionalExpectedPurchasesColumn,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  InvalidOptionError,
  predictionIntervals,
  probabilityAliveAtColumn,
  type BgNbdModel,
} from "../../src/index.js";
import { simulateBgNbd } from "../../src/clv/simulate.js";

// Known truth: CDNOW's published BG/NBD parameters (Fader, Hardie & Lee 2005).
const TRUTH = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const trueModel = { model: "bg-nbd", params: TRUTH } as BgNbdModel;
const PROFILES = { x: [0, 2, 5, 10], t_x: [0, 30, 10, 38], T: [39, 39, 39, 39] };

describe("predictionIntervals", () => {
  it("predictionIntervals(fit, base) 90% intervals cover the true-parameter quantities in ~90% of seeded repeats", () => {
    // 40 seeded bases of 800 simulated BG/NBD customers; for each, fit, draw 150 parameter sets,
    // and check whether the 5%-95% interval contains the quantity computed at the TRUE parameters:
    // P(alive at T+39) and E[Y(39)] of four fixed profiles, and the base's total E[Y(39)].
    const R = 40;
    const hits: number[][] = [];
    for (let rep = 0; rep < R; rep++) {
      const b = simulateBgNbd(800, TRUTH, 1000 + rep, 26, 52, true);
      const fit = fitBgNbd({ x: b.x, t_x: b.tx, T: b.T });
      const prof = predictionIntervals(fit, PROFILES, { t: 39, draws: 150, seed: rep });
      const base = predictionIntervals(fit, { x: b.x, t_x: b.tx, T: b.T }, { t: 39, draws: 150, seed: rep });
      const truePa = probabilityAliveAtColumn(trueModel, PROFILES, { t: 39 }); // the intervals' pAlive is at T + t
      const trueEx = conditionalExpectedPurchasesColumn(trueModel, PROFILES, { t: 39 });
      const trueTotal = conditionalExpectedPurchasesColumn(trueModel, { x: b.x, t_x: b.tx, T: b.T }, { t: 39 }).reduce((s, v) => s + v, 0);
      const row: number[] = [];
      for (let i = 0; i < 4; i++) row.push(+(prof.pAlive.lower[i] <= truePa[i] && truePa[i] <= prof.pAlive.upper[i])); 
      for (let i = 0; i < 4; i++) row.push(+(prof.expectedPurchases.lower[i] <= trueEx[i] && trueEx[i] <= prof.expectedPurchases.upper[i]));
      const t = base.totals.expectedPurchases;
      row.push(+(t.lower <= trueTotal && trueTotal <= t.upper));
      hits.push(row);
    }
    const cover = hits[0].map((_, j) => hits.reduce((s, r) => s + r[j], 0) / R);
    const pooled = cover.reduce((s, v) => s + v, 0) / cover.length;
    // Binomial SE of one coverage over 40 repeats: sqrt(0.9·0.1/40) = 0.047; each at least 0.75
    // (3.2 SE below nominal); pooled over the 9 (correlated) quantities within ±0.07 of 0.90.
    for (const c of cover) expect(c).toBeGreaterThanOrEqual(0.75);
    expect(Math.abs(pooled - 0.9)).toBeLessThan(0.07);
  }, 120_000);

  it("predictionIntervals(model, table, { seed }) is deterministic by seed and differs across seeds", () => {
    const b = simulateBgNbd(300, TRUTH, 5, 26, 52, true);
    const fit = fitBgNbd({ x: b.x, t_x: b.tx, T: b.T });
    const t = { x: b.x, t_x: b.tx, T: b.T };
    const a1 = predictionIntervals(fit, t, { t: 20, draws: 50, seed: 11 });
    const a2 = predictionIntervals(fit, t, { t: 20, draws: 50, seed: 11 });
    const a3 = predictionIntervals(fit, t, { t: 20, draws: 50, seed: 12 });
    expect(a2.expectedPurchases.upper).toEqual(a1.expectedPurchases.upper);
    expect(a2.totals).toEqual(a1.totals);
    expect(a3.totals.expectedPurchases.upper).not.toBe(a1.totals.expectedPurchases.upper);
  });

  it("predictionIntervals with a spend model brackets the plug-in CLV, and narrows as the base grows", () => {
    const small = simulateBgNbd(300, TRUTH, 21, 26, 52, true);
    const large = simulateBgNbd(3000, TRUTH, 22, 26, 52, true);
    const width = (b: typeof small) => {
      const t = { x: b.x, t_x: b.tx, T: b.T, monetaryValue: b.monetary };
      const fit = fitBgNbd(t);
      const gg = fitGammaGamma(t);
      const iv = predictionIntervals(fit, { ...t, x: t.x.subarray(0, 50), t_x: t.t_x.subarray(0, 50), T: t.T.subarray(0, 50), monetaryValue: t.monetaryValue.subarray(0, 50) }, { t: 39, draws: 100, seed: 1, spendModel: gg });
      const c = iv.clv!;
      for (let i = 0; i < 50; i++) {
        expect(c.lower[i]).toBeLessThanOrEqual(c.upper[i]);
        expect(c.estimate[i]).toBeGreaterThan(0);
      }
      const tc = iv.totals.clv!;
      expect(tc.lower).toBeLessThan(tc.estimate);
      expect(tc.upper).toBeGreaterThan(tc.estimate);
      return (tc.upper - tc.lower) / tc.estimate;
    };
    // relative width shrinks roughly like 1/sqrt(n): 10x the customers, well under half the width
    expect(width(large)).toBeLessThan(0.5 * width(small));
  });

  it("predictionIntervals works for Pareto/NBD", () => {
    const b = simulateBgNbd(500, TRUTH, 9, 26, 52, true);
    const fit = fitParetoNbd({ x: b.x, t_x: b.tx, T: b.T });
    const iv = predictionIntervals(fit, PROFILES, { t: 39, draws: 60, seed: 2 });
    for (let i = 0; i < 4; i++) expect(iv.expectedPurchases.lower[i]).toBeLessThanOrEqual(iv.expectedPurchases.upper[i]);
  });

  describe("errors", () => {
    it("a model without covariance, bad draws and level name the option", () => {
      const expectOpt = (f: () => unknown, option: string) => {
        try {
          f();
          throw new Error("no throw");
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe(option);
        }
      };
      expectOpt(() => predictionIntervals(trueModel, PROFILES), "model");
      const fit = { ...trueModel, logCovariance: [1e-3, 0, 0, 0, 0, 1e-3, 0, 0, 0, 0, 1e-3, 0, 0, 0, 0, 1e-3] };
      expectOpt(() => predictionIntervals(fit, PROFILES, { draws: 1 }), "draws");
      expectOpt(() => predictionIntervals(fit, PROFILES, { level: [0.9, 0.1] }), "level");
    });
  });
});
