import { describe, expect, it } from "vitest";
import { createRng } from "../../src/index.js";
import { formatNumber } from "../../src/pipeline/table.js";
import { pValueText } from "../../src/pipeline/context.js";

describe("formatNumber (internal: customers.csv cells)", () => {
  it("formatNumber(v) is exactly String(v) for rounded money, 4-decimal scores, raw doubles and edge values (seeded, 400,000 values)", () => {
    const rng = createRng(5);
    for (let i = 0; i < 100_000; i++) {
      const x = (rng.next() - 0.3) * 10 ** Math.floor(rng.next() * 14 - 3);
      for (const v of [Math.round(x * 100) / 100, Math.round(x * 1e4) / 1e4, x, Math.round(x)]) expect(formatNumber(v)).toBe(String(v));
    }
    for (const v of [0, -0, 0.1, 0.0001, -0.0001, 1e-5, 99999999999.9999, 1e11, -2.5, 0.30000000000000004, 5e-324, 1e21, 12.3]) expect(formatNumber(v)).toBe(String(v));
  });
});

describe("pValueText (internal: survival log-rank captions)", () => {
  it("prints 4 decimals, one-digit exponents below 1e-4, and '< 1e-300' below a double's reliable tail", () => {
    expect(pValueText(0.01234)).toBe("p = 0.0123");
    expect(pValueText(1e-4)).toBe("p = 0.0001");
    expect(pValueText(2.34e-7)).toBe("p = 2.3e-7");
    expect(pValueText(1e-300)).toBe("p = 1.0e-300");
    expect(pValueText(2.3e-316)).toBe("p < 1e-300");
    expect(pValueText(0)).toBe("p < 1e-300");
  });
});
