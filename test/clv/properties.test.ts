import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bgBbConditionalExpectedTransactionsColumn,
  bgBbExpectedTransactions,
  bgBbProbabilityAliveColumn,
  bgBbProbabilityOfTransactions,
  discountedExpectedResidualLifetimeColumn,
  retentionCurve,
  type BdwModel,
  type BgBbModel,
} from "../../src/index.js";

const shape = fc.double({ min: 0.05, max: 20, noNaN: true });

describe("BG/BB invariants (fast-check, seeded)", () => {
  it("P(X(n) = x) sums to 1 over x and its mean is E[X(n)]; P(alive) is in [0, 1]; conditional expectations are in [0, n*]", () => {
    fc.assert(
      fc.property(shape, shape, shape, shape, fc.integer({ min: 1, max: 30 }), (alpha, beta, gamma, delta, n) => {
        const m = { model: "bg-bb", params: { alpha, beta, gamma, delta } } as BgBbModel;
        let s = 0;
        let mean = 0;
        for (let x = 0; x <= n; x++) {
          const p = bgBbProbabilityOfTransactions(m, x, n);
          s += p;
          mean += x * p;
        }
        expect(s).toBeCloseTo(1, 11);
        expect(Math.abs(mean - bgBbExpectedTransactions(m, n))).toBeLessThan(1e-10 * Math.max(1, mean));
        const table = { x: [0, 1, n], t_x: [0, n, n], n: [n, n, n] };
        for (const v of bgBbProbabilityAliveColumn(m, table)) expect(v >= 0 && v <= 1).toBe(true);
        for (const v of bgBbConditionalExpectedTransactionsColumn(m, table, { periods: 4 })) expect(v >= 0 && v <= 4).toBe(true);
      }),
      { seed: 20261130, numRuns: 150 },
    );
  });
});

describe("BdW invariants (fast-check, seeded)", () => {
  it("S(t) falls, churn and survival add to 1, DERL rises with renewals when c <= 1", () => {
    fc.assert(
      fc.property(shape, shape, fc.double({ min: 0.2, max: 3, noNaN: true }), (alpha, beta, c) => {
        const m = { model: "bdw", params: { alpha, beta, c } } as BdwModel;
        const r = retentionCurve(m, { periods: 40 });
        let lost = 0;
        for (let t = 1; t <= 40; t++) {
          expect(r.survival[t]).toBeLessThanOrEqual(r.survival[t - 1]);
          lost += r.churn[t];
          expect(lost + r.survival[t]).toBeCloseTo(1, 10);
        }
        const d = discountedExpectedResidualLifetimeColumn(m, [0, 5, 20], { discountRate: 0.2 });
        for (const v of d) expect(v > 0 && v <= 1 / (1 - 1 / 1.2) + 1e-9).toBe(true); // at most Σ (1+d)^-k = (1+d)/d
        if (c <= 1) expect(d[2]).toBeGreaterThanOrEqual(d[0] - 1e-12);
      }),
      { seed: 20261130, numRuns: 100 },
    );
  });
});
