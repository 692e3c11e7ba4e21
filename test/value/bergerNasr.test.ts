import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bergerNasrClv, bergerNasrClvColumns, InvalidOptionError, InvalidRecordError } from "../../src/index.js";

/** The explicit sum the closed forms replace. */
function explicitSum(m: number, r: number, d: number, n: number, timing: "end" | "start"): number {
  let s = 0;
  for (let t = 1; t <= n; t++) s += (m * Math.pow(r, t - 1)) / Math.pow(1 + d, timing === "end" ? t : t - 1);
  return s;
}

describe("bergerNasrClv", () => {
  it("bergerNasrClv({ margin: 1000, retention: 0.8, discountRate: 0.05 }) is m / (1 + d - r) = 4000", () => {
    // hand: 1000 / (1 + 0.05 - 0.8) = 1000 / 0.25 = 4000
    const r = bergerNasrClv({ margin: 1000, retention: 0.8, discountRate: 0.05 });
    expect(r.clv).toBe(4000);
    expect(r.expectedPeriods).toBeCloseTo(5, 12); // 1 / (1 - 0.8)
  });

  it("bergerNasrClv with timing 'start' is m (1 + d) / (1 + d - r)", () => {
    // hand: 1000 * 1.05 / 0.25 = 4200
    expect(bergerNasrClv({ margin: 1000, retention: 0.8, discountRate: 0.05, timing: "start" }).clv).toBeCloseTo(4200, 9);
  });

  it("bergerNasrClv finite horizons match hand values", () => {
    // hand: n = 2, d = 0: 100 + 100 * 0.5 = 150
    expect(bergerNasrClv({ margin: 100, retention: 0.5, discountRate: 0, periods: 2 }).clv).toBe(150);
    // hand: n = 3, r = 0.9, d = 0.1, end: 100/1.1 + 90/1.21 + 81/1.331 = 90.9091 + 74.3802 + 60.8565 = 226.1458
    expect(bergerNasrClv({ margin: 100, retention: 0.9, discountRate: 0.1, periods: 3 }).clv).toBeCloseTo(226.14576, 4);
    // acquisition cost is subtracted once
    const r = bergerNasrClv({ margin: 100, retention: 0.9, discountRate: 0.1, periods: 3, acquisitionCost: 50 });
    expect(r.clv).toBeCloseTo(176.14576, 4);
    expect(r.grossValue - r.clv).toBe(50);
  });

  it("bergerNasrClv closed forms equal the explicit sums (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom<"end" | "start">("end", "start"),
        (m, r, d, n, timing) => {
          const closed = bergerNasrClv({ margin: m, retention: r, discountRate: d, periods: n, timing }).clv;
          const sum = explicitSum(m, r, d, n, timing);
          expect(Math.abs(closed - sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sum)));
        },
      ),
      { numRuns: 200, seed: 37 },
    );
  });

  it("bergerNasrClv finite horizon approaches the infinite one and is increasing in n for m > 0", () => {
    const inf = bergerNasrClv({ margin: 10, retention: 0.7, discountRate: 0.02 }).clv;
    let prev = -Infinity;
    for (const n of [1, 2, 5, 10, 50, 200]) {
      const v = bergerNasrClv({ margin: 10, retention: 0.7, discountRate: 0.02, periods: n }).clv;
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    expect(prev).toBeCloseTo(inf, 9);
  });

  it("bergerNasrClv does not mutate its input", () => {
    const model = Object.freeze({ margin: 5, retention: 0.5, discountRate: 0.1, periods: 4 });
    expect(() => bergerNasrClv(model)).not.toThrow();
  });

  describe("errors", () => {
    it.each([
      ["retention", { margin: 1, retention: 1, discountRate: 0.1 }, 1],
      ["retention", { margin: 1, retention: -0.1, discountRate: 0.1 }, -0.1],
      ["retention", { margin: 1, retention: 1.2, discountRate: 0.1 }, 1.2],
      ["discountRate", { margin: 1, retention: 0.5, discountRate: -0.01 }, -0.01],
      ["margin", { margin: Number.NaN, retention: 0.5, discountRate: 0.1 }, Number.NaN],
      ["periods", { margin: 1, retention: 0.5, discountRate: 0.1, periods: 2.5 }, 2.5],
      ["periods", { margin: 1, retention: 0.5, discountRate: 0.1, periods: 0 }, 0],
      ["acquisitionCost", { margin: 1, retention: 0.5, discountRate: 0.1, acquisitionCost: -3 }, -3],
      ["timing", { margin: 1, retention: 0.5, discountRate: 0.1, timing: "middle" }, "middle"],
    ])("bergerNasrClv rejects a bad %s", (option, model, value) => {
      try {
        bergerNasrClv(model as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        const err = e as InvalidOptionError;
        expect(err.code).toBe("INVALID_OPTION");
        expect(err.option).toBe(option);
        expect(err.value).toEqual(value);
        expect(err.message.startsWith("bergerNasrClv:")).toBe(true);
      }
    });
  });
});

describe("bergerNasrClvColumns", () => {
  it("bergerNasrClvColumns(columns) gives row by row exactly what bergerNasrClv gives (generated inputs)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ m: fc.double({ min: -1e4, max: 1e4, noNaN: true }), r: fc.double({ min: 0, max: 0.99, noNaN: true }), d: fc.double({ min: 0, max: 0.5, noNaN: true }), c: fc.double({ min: 0, max: 1e3, noNaN: true }) }), { minLength: 1, maxLength: 20 }),
        fc.constantFrom<number | "infinite">("infinite", 1, 7, 36),
        fc.constantFrom<"end" | "start">("end", "start"),
        (rows, periods, timing) => {
          const cols = bergerNasrClvColumns({
            margin: Float64Array.from(rows, (x) => x.m),
            retention: rows.map((x) => x.r),
            discountRate: Float64Array.from(rows, (x) => x.d),
            acquisitionCost: rows.map((x) => x.c),
            periods,
            timing,
          });
          rows.forEach((x, i) => {
            const one = bergerNasrClv({ margin: x.m, retention: x.r, discountRate: x.d, acquisitionCost: x.c, periods, timing });
            expect(cols.clv[i]).toBe(one.clv);
            expect(cols.grossValue[i]).toBe(one.grossValue);
            expect(cols.marginMultiple[i]).toBe(one.marginMultiple);
            expect(cols.expectedPeriods[i]).toBe(one.expectedPeriods);
          });
        },
      ),
      { numRuns: 100, seed: 98 },
    );
  });

  it("bergerNasrClvColumns broadcasts numbers: margins [1000, 500] at r = 0.8, d = 0.05 give 4000 and 2000 (hand)", () => {
    expect(Array.from(bergerNasrClvColumns({ margin: [1000, 500], retention: 0.8, discountRate: 0.05 }).clv)).toEqual([4000, 2000]);
  });

  describe("errors", () => {
    it("bergerNasrClvColumns rejects columns of different lengths, no column, and a value out of range (row = 1-based)", () => {
      expect(() => bergerNasrClvColumns({ margin: [1, 2], retention: [0.5], discountRate: 0 })).toThrow(InvalidOptionError);
      expect(() => bergerNasrClvColumns({ margin: 1, retention: 0.5, discountRate: 0 })).toThrow(InvalidOptionError);
      try {
        bergerNasrClvColumns({ margin: [1, 2, 3], retention: [0.5, 0.5, 1], discountRate: 0 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe(3);
        expect((e as InvalidRecordError).field).toBe("retention");
      }
    });
  });
});
