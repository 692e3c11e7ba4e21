import { describe, expect, it } from "vitest";
import { countDistinctUpTo } from "../../src/rfm/util.js";

// Private helper behind rfm's warning about too few distinct values.
describe("countDistinctUpTo", () => {
  it("countDistinctUpTo(a, limit) counts distinct values and stops at the limit", () => {
    expect(countDistinctUpTo(Float64Array.from([1, 1, 2, 2, 3]), 10)).toBe(3);
    expect(countDistinctUpTo(Float64Array.from([1, 2, 3, 4, 5, 6]), 5)).toBe(5);
    expect(countDistinctUpTo(new Float64Array(0), 5)).toBe(0);
  });
});
