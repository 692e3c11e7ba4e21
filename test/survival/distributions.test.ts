import { describe, expect, it } from "vitest";
import { chiSquareUpperTail, normalQuantileRefined, normalTwoSidedP, regularizedGammaQ } from "../../src/survival/distributions.js";

// Reference values from R 4.2 (pchisq, pnorm, qnorm), printed with %.17g.
describe("regularizedGammaQ", () => {
  it("regularizedGammaQ(1, x) = e^-x and Q(a, 0) = 1 (closed forms)", () => {
    for (const x of [0.01, 0.5, 1, 3, 10, 50]) expect(regularizedGammaQ(1, x)).toBeCloseTo(Math.exp(-x), 15);
    expect(regularizedGammaQ(2.5, 0)).toBe(1);
  });
  it("chiSquareUpperTail matches R pchisq(..., lower.tail = FALSE)", () => {
    // pchisq(10.326741954885632, 1, lower.tail=FALSE) = 0.0013111645203554882
    expect(chiSquareUpperTail(10.326741954885632, 1)).toBeCloseTo(0.0013111645203554882, 16);
    // df = 2: exp(-x/2) exactly
    expect(chiSquareUpperTail(7, 2)).toBeCloseTo(Math.exp(-3.5), 15);
    // pchisq(30.5, 3, lower.tail=FALSE) = 1.0831854e-06 (relative 1e-10)
    expect(Math.abs(chiSquareUpperTail(30.499922704949103, 3) / 1.0832092476937268e-6 - 1)).toBeLessThan(1e-10);
    // deep tail: pchisq(200, 4, lower.tail=FALSE) = exp(-100) * (1 + 100)
    expect(Math.abs(chiSquareUpperTail(200, 4) / (Math.exp(-100) * 101) - 1)).toBeLessThan(1e-12);
  });
  it("normalTwoSidedP and normalQuantileRefined agree with R's pnorm/qnorm", () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 15);
    expect(normalQuantileRefined(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantileRefined(0.95)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantileRefined(0.5)).toBeCloseTo(0, 15);
  });
});
