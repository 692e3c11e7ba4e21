/** Invariants on generated inputs (fast-check, fixed seed). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kaplanMeier, kaplanMeierByGroup, logRankTest } from "../../src/survival/index.js";

const data = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1 }), fc.constantFrom("a", "b", "c")), { minLength: 1, maxLength: 60 })
  .map((rows) => ({ time: rows.map((r) => r[0]), status: rows.map((r) => r[1]), group: rows.map((r) => r[2]) }));

describe("kaplanMeier invariants", () => {
  it("kaplanMeier accounts for every row, S is non-increasing in [0, 1], and lower <= S <= upper", () => {
    fc.assert(
      fc.property(data, fc.constantFrom("log", "log-log", "plain") as fc.Arbitrary<"log" | "log-log" | "plain">, ({ time, status }, confType) => {
        const km = kaplanMeier(time, status, { confType });
        const m = km.time.length;
        expect(km.nRisk[0]).toBe(time.length);
        for (let i = 0; i + 1 < m; i++) expect(km.nRisk[i + 1]).toBe(km.nRisk[i] - km.nEvent[i] - km.nCensor[i]);
        expect(km.nRisk[m - 1]).toBe(km.nEvent[m - 1] + km.nCensor[m - 1]);
        expect(km.nEvent.reduce((a, b) => a + b, 0)).toBe(km.events);
        for (let i = 0; i < m; i++) {
          expect(km.surv[i]).toBeGreaterThanOrEqual(0);
          expect(km.surv[i]).toBeLessThanOrEqual(i === 0 ? 1 : km.surv[i - 1]);
          if (!Number.isNaN(km.lower[i])) expect(km.lower[i]).toBeLessThanOrEqual(km.surv[i] + 1e-15);
          if (!Number.isNaN(km.upper[i])) expect(km.upper[i]).toBeGreaterThanOrEqual(km.surv[i] - 1e-15);
        }
        if (km.median !== null) expect(km.surv.some((s) => s <= 0.5 + 1e-8)).toBe(true);
      }),
      { seed: 19, numRuns: 300 },
    );
  });

  it("kaplanMeierByGroup partitions the rows and logRankTest's expected events add up to the observed", () => {
    fc.assert(
      fc.property(data, ({ time, status, group }) => {
        const g = kaplanMeierByGroup(time, status, group);
        expect([...g.values()].reduce((s, k) => s + k.n, 0)).toBe(time.length);
        if (g.size < 2) return;
        const t = logRankTest(time, status, group);
        const O = t.observed.reduce((a, b) => a + b, 0);
        const E = t.expected.reduce((a, b) => a + b, 0);
        expect(E).toBeCloseTo(O, 9);
        expect(t.chisq).toBeGreaterThanOrEqual(-1e-12);
        expect(t.p).toBeGreaterThanOrEqual(0);
        expect(t.p).toBeLessThanOrEqual(1);
      }),
      { seed: 19, numRuns: 300 },
    );
  });
});
