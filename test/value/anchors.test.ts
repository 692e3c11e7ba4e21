/**
 * Secondary outputs of the value models (percentiles, histogram, sensitivity, gamma draws of
 * shape < 1, Weibull mean lifetime) checked against truths computed outside the code under test:
 * closed-form quantiles, counts made here, Spearman vs Pearson on a monotone convex map, moments
 * of the compound Poisson-gamma law, and a Weibull fit whose MLE is k = 2 exactly. Each test
 * kills one mutant of the code review (section 1.4: M1, M2, M3, M7, M11).
 */
import { describe, expect, it } from "vitest";
import { createRng, fitWeibullRetention, monteCarloClvColumnsSync, monteCarloClvSync } from "../../src/index.js";
import { describeDraws } from "../../src/value/monteCarlo.js";
import { StreamRng } from "../../src/numeric/stream.js";

/** Poisson(lambda) CDF at k. */
function poissonCdf(lambda: number, k: number): number {
  let p = Math.exp(-lambda);
  let c = p;
  for (let i = 1; i <= k; i++) {
    p *= lambda / i;
    c += p;
  }
  return c;
}

/** Smallest k with Poisson CDF >= q (the population quantile). */
function poissonQuantile(lambda: number, q: number): number {
  let k = 0;
  while (poissonCdf(lambda, k) < q) k++;
  return k;
}

/** R-7 quantile of a sorted array (written here, independent of src/). */
function r7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const j = Math.floor(h);
  return j + 1 < sorted.length ? sorted[j] + (h - j) * (sorted[j + 1] - sorted[j]) : sorted[j];
}

describe("monteCarloClvColumnsSync per-customer percentiles (M1)", () => {
  it("P5 / P50 / P95 of a Poisson(4.5) CLV are its population quantiles 1 / 4 / 8 (not P10 = 2, P90 = 7)", () => {
    // One period, survival 1, no discount, fixed spend 1 per purchase: the CLV of a draw is the
    // number of purchases, Poisson(4.5). Its CDF (computed here): F(0) = 0.0111, F(1) = 0.0611,
    // F(2) = 0.1736, F(3) = 0.3423, F(4) = 0.5321, F(6) = 0.8311, F(7) = 0.9134, F(8) = 0.9597.
    // So P5 = 1, P10 = 2, P50 = 4, P90 = 7, P95 = 8. With 40,000 draws the closest CDF step to a
    // target (F(8) vs 0.95) is 8.8 binomial SE away, so the sample R-7 quantiles equal the
    // population ones except with probability far below 1e-9.
    const lambda = 4.5;
    expect([0.05, 0.1, 0.5, 0.9, 0.95].map((q) => poissonQuantile(lambda, q))).toEqual([1, 2, 4, 7, 8]);
    const r = monteCarloClvColumnsSync({ purchaseRate: [lambda], spendMean: [1], retention: 1, discountRate: 0, periods: 1 }, { draws: 40_000, seed: 17 });
    expect([r.p5[0], r.p50[0], r.p95[0]]).toEqual([1, 4, 8]);
    // One customer: the portfolio is that customer, summarised by the other quantile routine.
    expect([r.portfolio.p5, r.portfolio.p50, r.portfolio.p95]).toEqual([1, 4, 8]);
    // And the mean within 4 SE of lambda.
    expect(Math.abs(r.mean[0] - lambda)).toBeLessThan((4 * r.sd[0]) / Math.sqrt(40_000));
  });

  it("per-customer percentiles equal R-7 quantiles of the same draws (gamma spend, zeros included)", () => {
    // One customer whose draws are the portfolio draws: the per-customer P5/P50/P95 (zero-aware
    // quickselect in simulate.ts) must equal the portfolio's (plain quickselect in describeDraws).
    const r = monteCarloClvColumnsSync({ purchaseRate: [0.3], spendMean: [50], spendShape: 2, retention: 0.7, discountRate: 0.01, periods: 6 }, { draws: 5000, seed: 3 });
    expect(r.p5[0]).toBe(r.portfolio.p5);
    expect(r.p50[0]).toBe(r.portfolio.p50);
    expect(r.p95[0]).toBe(r.portfolio.p95);
    expect(r.p95[0]).toBeGreaterThan(r.p50[0]);
  });
});

describe("monteCarloClvSync scenario percentiles", () => {
  it("P5..P95 of the geometric-lifetime oracle are annuity(L) at the closed-form quantiles of L", () => {
    // Oracle: margin 1000 paid at the end of each period alive, retention 0.8, discount 0.05.
    // L ~ Geometric: P(L <= k) = 1 - 0.8^k (computed here); CLV = 1000 * (1 - 1.05^-L) / 0.05 is
    // increasing in L, so its quantiles are annuity(L_q): L_0.05 = 1, L_0.25 = 2, L_0.5 = 4,
    // L_0.75 = 7, L_0.95 = 14 (F(13) = 0.945, F(14) = 0.956: 10 binomial SE from 0.95 at 200,000 draws).
    const Lq = [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => {
      let k = 1;
      while (1 - Math.pow(0.8, k) < q) k++;
      return k;
    });
    expect(Lq).toEqual([1, 2, 4, 7, 14]);
    const annuity = (L: number) => (1000 * (1 - Math.pow(1.05, -L))) / 0.05;
    const r = monteCarloClvSync({ margin: 1000, retention: 0.8, discountRate: 0.05 }, { draws: 200_000, seed: 21 });
    const got = [r.clv.p5, r.clv.p25, r.clv.p50, r.clv.p75, r.clv.p95];
    Lq.forEach((L, i) => expect(got[i]).toBeCloseTo(annuity(L), 8));
  });
});

describe("monteCarloClvSync sensitivity (M2)", () => {
  it("with only retention uncertain and lifetime 'expected', the rank correlation is exactly 1 (Spearman), while Pearson would be < 0.95", () => {
    // CLV = m / (1 + d - r) is strictly increasing in r: the ranks of r and CLV are identical, so
    // Spearman = 1 up to rounding. It is convex, so Pearson is below 1: for r ~ U(0.5, 0.95),
    // computed here on 20,000 draws of our own, Pearson(r, 1000 / (1.05 - r)) is about 0.87.
    const rng = createRng(5);
    const rs = Array.from({ length: 20_000 }, () => 0.5 + 0.45 * rng.next());
    const clv = rs.map((r) => 1000 / (1.05 - r));
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const mr = mean(rs), mc = mean(clv);
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < rs.length; i++) {
      sab += (rs[i] - mr) * (clv[i] - mc);
      saa += (rs[i] - mr) ** 2;
      sbb += (clv[i] - mc) ** 2;
    }
    expect(sab / Math.sqrt(saa * sbb)).toBeLessThan(0.95);

    const res = monteCarloClvSync({ margin: 1000, retention: { dist: "uniform", min: 0.5, max: 0.95 }, discountRate: 0.05 }, { draws: 20_000, seed: 9, lifetime: "expected" });
    expect(res.sensitivity).toHaveLength(1);
    expect(res.sensitivity[0].input).toBe("retention");
    expect(res.sensitivity[0].rankCorrelation).toBeCloseTo(1, 12);
  });
});

describe("gamma draws with shape < 1 (M3)", () => {
  it("monteCarloClvColumnsSync with spendShape 0.5: mean and variance of a compound Poisson-gamma CLV within 4 SE", () => {
    // One period, survival 1, no discount: CLV = sum of K spends, K ~ Poisson(1), each spend
    // Gamma(shape 0.5, scale 20) (mean 10). Compound Poisson moments (hand):
    //   mean = lambda mu = 10;  variance = lambda E[X^2] = lambda mu^2 (1 + 1/shape) = 300;
    //   E[X^4] = scale^4 k(k+1)(k+2)(k+3) = 160000 * 6.5625 = 1,050,000 = 105 mu^4, so
    //   Var(s^2) ~ (kappa4 + 2 sigma^4) / n = (105 lambda mu^4 + 18 lambda^2 mu^4) / n.
    // The mutant U^shape instead of U^(1/shape) doubles the mean of a single-purchase spend.
    const n = 200_000;
    const r = monteCarloClvColumnsSync({ purchaseRate: [1], spendMean: [10], spendShape: 0.5, retention: 1, discountRate: 0, periods: 1 }, { draws: n, seed: 31 });
    expect(r.expected[0]).toBe(10);
    expect(Math.abs(r.mean[0] - 10)).toBeLessThan(4 * Math.sqrt(300 / n));
    const seVar = Math.sqrt(((105 + 18) * 1e4) / n); // about 2.48
    expect(Math.abs(r.sd[0] ** 2 - 300)).toBeLessThan(4 * seVar);
  });

  it("StreamRng.gamma(0.5): mean 0.5 and variance 0.5 within 4 SE", () => {
    // Gamma(k, 1): mean k, variance k, fourth central moment 3k^2 + 6k, so Var(s^2) ~ (2k^2 + 6k) / n.
    const n = 200_000;
    const g = new StreamRng();
    g.seed(123, 456, 7);
    let s = 0, ss = 0;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = g.gamma(0.5);
      xs[i] = x;
      s += x;
    }
    const mean = s / n;
    for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
    const variance = ss / (n - 1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(0.5 / n));
    expect(Math.abs(variance - 0.5)).toBeLessThan(4 * Math.sqrt((2 * 0.25 + 6 * 0.5) / n));
  });
});

describe("describeDraws histogram (M7)", () => {
  it("hand case: [0, 0.5, 1.5, 4] in 4 bins of width 1 gives counts 2, 1, 0, 1 (the maximum in the last bin)", () => {
    const d = describeDraws(Float64Array.of(0, 0.5, 1.5, 4), 4);
    expect(d.histogram).toEqual([
      { lower: 0, upper: 1, count: 2 },
      { lower: 1, upper: 2, count: 1 },
      { lower: 2, upper: 3, count: 0 },
      { lower: 3, upper: 4, count: 1 },
    ]);
  });

  it("bin counts of seeded draws equal the counts made here (lower <= x < upper, the last bin closed) and the R-7 percentiles of the sorted draws", () => {
    const rng = createRng(44);
    const values = Float64Array.from({ length: 3001 }, () => 100 * rng.next() ** 2 - 10);
    const d = describeDraws(values, 13);
    const n = values.length;
    expect(d.histogram).toHaveLength(13);
    const counts = d.histogram.map((h, b) => values.filter((x) => x >= h.lower && (b === 12 ? x <= h.upper : x < h.upper)).length);
    expect(d.histogram.map((h) => h.count)).toEqual(counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    const sorted = Array.from(values).sort((a, b) => a - b);
    expect(d.min).toBe(sorted[0]);
    expect(d.max).toBe(sorted[n - 1]);
    expect([d.p5, d.p25, d.p50, d.p75, d.p95]).toEqual([0.05, 0.25, 0.5, 0.75, 0.95].map((p) => r7(sorted, p)));
    expect(d.probabilityOfLoss).toBe(values.filter((x) => x < 0).length / n);
  });

  it("monteCarloClvSync histogram of an empirical input: values 4000, 6000, 8000, 10000 fall in bins 0, 1, 2, 3", () => {
    // lifetime "expected" and margin in {1000, 1500, 2000, 2500}: CLV = margin / 0.25 exactly
    // those four values; 4 bins of width 1500 from 4000 put one value in each bin (6000 sits at
    // 1.33 bin widths, 8000 at 2.67), so every bin is non-empty and the counts add up.
    const r = monteCarloClvSync({ margin: { dist: "empirical", values: [1000, 1500, 2000, 2500] }, retention: 0.8, discountRate: 0.05 }, { draws: 4000, seed: 2, lifetime: "expected", bins: 4 });
    const h = r.clv.histogram;
    [4000, 5500, 7000, 8500].forEach((lower, b) => expect(h[b].lower).toBeCloseTo(lower, 6));
    for (const b of h) expect(b.count).toBeGreaterThan(800); // each about 1000: 4 binomial SD is 110
    expect(h.reduce((s, b) => s + b.count, 0)).toBe(4000);
    // One value per bin, so the counts weighted by the values give back the mean of the draws.
    const meanFromBins = (4000 * h[0].count + 6000 * h[1].count + 8000 * h[2].count + 10000 * h[3].count) / 4000;
    expect(meanFromBins).toBeCloseTo(r.clv.mean, 6);
    expect(r.clv.min).toBeCloseTo(4000, 6);
    expect(r.clv.max).toBeCloseTo(10000, 6);
  });
});

describe("fitWeibullRetention meanLifetime (M11)", () => {
  it("two churned lifetimes 1 and e^y with y tanh(y) = 1 give k = 2 exactly, and the mean lifetime lambda * sqrt(pi) / 2", () => {
    // Hand derivation: with lifetimes t1 = 1, t2 = x = e^y, nothing censored, the profile score
    // is g(k) = 1/k + y/2 - x^k y / (1 + x^k) = 1/k - (y/2) tanh(k y / 2). At k = 2 it is zero
    // iff y tanh(y) = 1 (y = 1.19967864...). Then lambda^2 = (1 + x^2) / 2 and
    // mean = lambda Gamma(1 + 1/2) = lambda sqrt(pi) / 2 (Gamma(1/2) = sqrt(pi) would double it).
    let lo = 1, hi = 2;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (mid * Math.tanh(mid) < 1) lo = mid;
      else hi = mid;
    }
    const y = (lo + hi) / 2;
    expect(y).toBeCloseTo(1.19967864, 8);
    const x = Math.exp(y);
    const fit = fitWeibullRetention([1, x], [false, false]);
    expect(fit.shape).toBeCloseTo(2, 8);
    const lambda = Math.sqrt((1 + x * x) / 2);
    expect(fit.scale).toBeCloseTo(lambda, 8);
    expect(fit.meanLifetime).toBeCloseTo((lambda * Math.sqrt(Math.PI)) / 2, 8);
  });

  it("on 20,000 Weibull(k = 2, lambda = 10) lifetimes the mean lifetime is within 4 SE of the sample mean (true mean 8.862)", () => {
    // Inversion: t = lambda (-ln U)^(1/k). True mean 10 sqrt(pi)/2 = 8.862, sd 10 sqrt(1 - pi/4) = 4.633.
    const rng = createRng(77);
    const t = Array.from({ length: 20_000 }, () => 10 * Math.sqrt(-Math.log(1 - rng.next())));
    const fit = fitWeibullRetention(t, t.map(() => false));
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const se = (10 * Math.sqrt(1 - Math.PI / 4)) / Math.sqrt(t.length);
    expect(Math.abs(mean - 8.862269)).toBeLessThan(4 * se);
    expect(Math.abs(fit.meanLifetime - mean)).toBeLessThan(4 * se);
  });
});
