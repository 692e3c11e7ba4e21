import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { binColumns } from "../../src/churn/tree.js";

describe("binColumns", () => {
  it("binColumns(cols, maxBins) gives each value the number of cuts below it, exact bins for few distinct values (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: -3, max: 3 }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 2, max: 40 }),
        (values, maxBins) => {
          const col = Float64Array.from(values);
          const { bins, cuts, vals } = binColumns([col], maxBins);
          const cut = cuts[0];
          for (let j = 1; j < cut.length; j++) expect(cut[j]).toBeGreaterThan(cut[j - 1]);
          col.forEach((x, i) => {
            if (Number.isNaN(x)) expect(bins[0][i]).toBe(255);
            else expect(bins[0][i]).toBe(cut.filter((c) => c < x).length);
          });
          const distinct = new Set(values.filter((v) => !Number.isNaN(v))).size;
          if (distinct <= maxBins) expect(vals[0]!.length).toBe(distinct);
          else expect(vals[0]).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
