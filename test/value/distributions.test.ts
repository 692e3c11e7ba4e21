import { describe, expect, it } from "vitest";
import { createRng, sampleLognormal, sampleTriangular, sampleTruncatedNormal } from "../../src/index.js";

const N = 200_000;

/** Sample mean, variance and the standard error of the mean of n draws. */
function moments(draw: () => number, n = N): { mean: number; variance: number; se: number; min: number; max: number } {
  let s = 0;
  let ss = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    ss += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = s / n;
  const variance = (ss - n * mean * mean) / (n - 1);
  return { mean, variance, se: Math.sqrt(variance / n), min, max };
}

describe("sampleTriangular", () => {
  it("Triangular(0, 1, 4): mean (a+b+c)/3 = 5/3 and variance (a²+b²+c²-ab-ac-bc)/18 = 13/18 (mean within 4 SE, variance within 2%)", () => {
    const rng = createRng(11);
    const m = moments(() => sampleTriangular(rng, 0, 1, 4));
    expect(Math.abs(m.mean - 5 / 3)).toBeLessThan(4 * m.se);
    expect(Math.abs(m.variance / (13 / 18) - 1)).toBeLessThan(0.02);
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(m.max).toBeLessThanOrEqual(4);
  });

  it("puts (mode - min) / (max - min) of the mass below the mode: 1/4 for (0, 1, 4), within 4 binomial SE", () => {
    const rng = createRng(12);
    let below = 0;
    for (let i = 0; i < N; i++) if (sampleTriangular(rng, 0, 1, 4) < 1) below++;
    expect(Math.abs(below / N - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / N));
  });

  it("handles a mode at either end and a degenerate range", () => {
    const rng = createRng(13);
    const left = moments(() => sampleTriangular(rng, 2, 2, 5), 50_000); // mean (2+2+5)/3 = 3
    expect(Math.abs(left.mean - 3)).toBeLessThan(4 * left.se);
    const right = moments(() => sampleTriangular(rng, 2, 5, 5), 50_000); // mean 4
    expect(Math.abs(right.mean - 4)).toBeLessThan(4 * right.se);
    expect(sampleTriangular(rng, 7, 7, 7)).toBe(7);
  });
});

describe("sampleLognormal", () => {
  it("LogNormal(mu = ln 30, sigma = 0.3): mean exp(mu + sigma²/2) = 31.3809 within 4 SE; median 30 within 1%", () => {
    const rng = createRng(21);
    const xs = Array.from({ length: N }, () => sampleLognormal(rng, Math.log(30), 0.3));
    const mean = xs.reduce((a, b) => a + b, 0) / N;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (N - 1));
    expect(Math.abs(mean - 30 * Math.exp(0.045))).toBeLessThan((4 * sd) / Math.sqrt(N));
    xs.sort((a, b) => a - b);
    expect(xs[N / 2] / 30).toBeCloseTo(1, 2);
    expect(xs[0]).toBeGreaterThan(0);
  });

  it("sigma = 0 gives exp(mu) exactly", () => {
    expect(sampleLognormal(createRng(1), 2, 0)).toBe(Math.exp(2));
  });
});

describe("sampleTruncatedNormal", () => {
  // Reference moments from the closed form mean = mu + sd (phi(a) - phi(b)) / Z, computed with
  // Python's math.erf (a = (min - mu) / sd, b = (max - mu) / sd, Z = Phi(b) - Phi(a)).
  it("N(0.8, 0.1²) on [0, 0.9] (mild truncation, rejection path): mean 0.771240 within 4 SE, variance 0.0062969 within 2%", () => {
    const rng = createRng(31);
    const m = moments(() => sampleTruncatedNormal(rng, 0.8, 0.1, 0, 0.9));
    expect(Math.abs(m.mean - 0.7712400029060827)).toBeLessThan(4 * m.se);
    expect(Math.abs(m.variance / 0.006296862857765604 - 1)).toBeLessThan(0.02);
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(m.max).toBeLessThanOrEqual(0.9);
  });

  it("N(0, 1) on [3, 4] (0.13% of the mass, inversion path): mean 3.260454 within 4 SE, variance 0.049278 within 3%", () => {
    const rng = createRng(32);
    const m = moments(() => sampleTruncatedNormal(rng, 0, 1, 3, 4));
    expect(Math.abs(m.mean - 3.2604542855899994)).toBeLessThan(4 * m.se);
    expect(Math.abs(m.variance / 0.04927779377747221 - 1)).toBeLessThan(0.03);
    expect(m.min).toBeGreaterThanOrEqual(3);
    expect(m.max).toBeLessThanOrEqual(4);
  });

  it("is reproducible: the same seed gives the same draws, another seed different ones", () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => sampleTruncatedNormal(rng, 0, 1, 3, 4));
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
