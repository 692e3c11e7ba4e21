/**
 * Cases StrykerJS found unchecked in the BG/NBD pmf and the Gamma-Gamma spend (see
 * docs/contributing.md, "Mutation testing"), each anchored to a hand computation or to
 * 50-digit arithmetic. Parameters: the CDNOW estimates published by Fader, Hardie & Lee
 * (BG/NBD 2005: r 0.243, α 4.414, a 0.793, b 2.426; Gamma-Gamma 2005b: p 6.25, q 3.74, γ 15.44).
 */
import { describe, expect, it } from "vitest";
import {
  conditionalExpectedSpend,
  InvalidOptionError,
  probabilityOfPurchases,
  type BgNbdModel,
  type GammaGammaModel,
} from "../../src/index.js";

const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
const gg = (p: number, q: number, gamma: number) => ({ model: "gamma-gamma", params: { p, q, gamma } }) as GammaGammaModel;

describe("probabilityOfPurchases (BG/NBD)", () => {
  it("probabilityOfPurchases(bg, k, 0): nobody buys in a period of length 0 (P = 1 at k = 0, 0 above)", () => {
    expect(probabilityOfPurchases(bg, 0, 0)).toBe(1);
    expect(probabilityOfPurchases(bg, 1, 0)).toBe(0);
    expect(probabilityOfPurchases(bg, 7, 0)).toBe(0);
  });

  it("probabilityOfPurchases(bg, k, 39) far in the tail (k = 150, 250, 300) matches 50-digit arithmetic to 1e-9 relative", () => {
    // Fader, Hardie & Lee (2005) eq. 8, evaluated with mpmath at mp.dps = 50:
    //   P(X(t)=k) = B(a, b+k)/B(a, b) NB(k) + B(a+1, b+k-1)/B(a, b) (1 - Σ_{j<k} NB(j)),
    //   NB(j) = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j.
    // Script: from mpmath import *; mp.dps = 50; r, al, a, b = mpf('0.243'), mpf('4.414'),
    //   mpf('0.793'), mpf('2.426'); nb = lambda j, t: exp(loggamma(r+j) - loggamma(r) -
    //   loggamma(j+1)) * (al/(al+t))**r * (t/(al+t))**j; pmf(k, t) = beta(a, b+k)/beta(a, b) *
    //   nb(k, t) + beta(a+1, b+k-1)/beta(a, b) * (1 - sum(nb(j, t) for j in range(k)))
    // Here 1 - Σ_{j<k} NB(j) is 3.4e-9, 5.1e-14 and 2.1e-16: computed as 1 minus the head in
    // doubles it would keep only 7, 2 and 0 correct digits, so the tail must be summed directly.
    const ref: [number, number][] = [
      [150, 1.3651289203258700301e-11],
      [250, 1.3458245501282204982e-16],
      [300, 4.7476320586137859534e-19],
    ];
    for (const [k, want] of ref) expect(Math.abs(probabilityOfPurchases(bg, k, 39) / want - 1), `k=${k}`).toBeLessThan(1e-9);
  });

  it("probabilityOfPurchases(bg, k, 39) for k = 20, 40, 60, 100 matches 50-digit arithmetic to 1e-12 relative", () => {
    // Same script as above.
    const ref: [number, number][] = [
      [20, 0.00039869209414220938745],
      [40, 0.000015052893107616239553],
      [60, 9.1458756711653871333e-7],
      [100, 5.5340905385900041712e-9],
    ];
    for (const [k, want] of ref) expect(Math.abs(probabilityOfPurchases(bg, k, 39) / want - 1), `k=${k}`).toBeLessThan(1e-12);
  });
});

describe("conditionalExpectedSpend (Gamma-Gamma)", () => {
  it("a customer without repeat purchases gets the population mean pγ/(q-1), with monetaryValue 0, absent or NaN", () => {
    // 6.25 * 15.44 / (3.74 - 1) = 96.5 / 2.74 = 35.218978...
    const want = (6.25 * 15.44) / 2.74;
    const out = conditionalExpectedSpend(gg(6.25, 3.74, 15.44), [
      { customerId: "zero", x: 0, t_x: 0, T: 30, monetaryValue: 0 },
      { customerId: "absent", x: 0, t_x: 0, T: 30 },
      { customerId: "nan", x: 0, t_x: 0, T: 30, monetaryValue: Number.NaN },
    ]);
    for (const r of out) expect(r.expectedSpend, r.customerId).toBeCloseTo(want, 10);
    expect(want).toBeCloseTo(35.218978, 6);
  });

  it("a repeat buyer gets p(γ + x z̄)/(px + q - 1): x = 2, z̄ = 20 gives 22.736 by hand", () => {
    // 6.25 (15.44 + 2 * 20) / (6.25 * 2 + 3.74 - 1) = 6.25 * 55.44 / 15.24 = 346.5 / 15.24 = 22.73622...
    const [r] = conditionalExpectedSpend(gg(6.25, 3.74, 15.44), [{ customerId: "a", x: 2, t_x: 10, T: 30, monetaryValue: 20 }]);
    expect(r.expectedSpend).toBeCloseTo(346.5 / 15.24, 10);
    expect(r.expectedSpend).toBeCloseTo(22.73622, 5);
  });

  it("conditionalExpectedSpend rejects q <= 1 (infinite mean spend) with InvalidOptionError on spendModel.params.q, q = 1 included", () => {
    for (const q of [1, 0.8]) {
      try {
        conditionalExpectedSpend(gg(6.25, q, 15.44), [{ customerId: "a", x: 0, t_x: 0, T: 30 }]);
        expect.unreachable(`q = ${q} accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("spendModel.params.q");
      }
    }
    // just above 1 the mean is finite (and huge): pγ/(q-1) = 6.25 * 15.44 / 1e-6
    const [r] = conditionalExpectedSpend(gg(6.25, 1 + 1e-6, 15.44), [{ customerId: "a", x: 0, t_x: 0, T: 30 }]);
    expect(r.expectedSpend / ((6.25 * 15.44) / 1e-6)).toBeCloseTo(1, 6);
  });
});
