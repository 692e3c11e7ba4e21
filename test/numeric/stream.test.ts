/**
 * The per-stream generator of src/numeric is bit for bit the one src/value/distributions.ts
 * uses today (so value can switch to it without changing a seeded number), and its streams
 * behave as the samplers promise.
 */
import { describe, expect, it } from "vitest";
import { StreamRng, samplePoisson, streamKey } from "../../src/numeric/index.js";
import { StreamRng as ValueStreamRng, streamKey as valueStreamKey } from "../../src/value/distributions.js";

describe("StreamRng", () => {
  it("StreamRng(streamKey(seed), stream) gives the same words, uniforms, normals, gammas and Poissons as value's generator", () => {
    for (const seed of [1, 42, "x"]) {
      const key = streamKey(seed);
      expect(key).toEqual(valueStreamKey(seed));
      for (const stream of [0, 1, 999, 123456]) {
        const a = new StreamRng();
        const b = new ValueStreamRng();
        a.seed(key[0], key[1], stream);
        b.seed(key[0], key[1], stream);
        for (let i = 0; i < 50; i++) {
          expect(a.nextInt()).toBe(b.nextInt());
          expect(a.next()).toBe(b.next());
          expect(a.normal()).toBe(b.normal());
          expect(a.gamma(0.7)).toBe(b.gamma(0.7));
          expect(a.poisson(3.5, Math.exp(-3.5))).toBe(b.poisson(3.5, Math.exp(-3.5)));
        }
      }
    }
  });

  it("StreamRng's ziggurat normal has mean 0 and variance 1 within 4 standard errors (seeded, 100,000 draws)", () => {
    const [k0, k1] = streamKey(9);
    const r = new StreamRng();
    r.seed(k0, k1, 0);
    const n = 100_000;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      ss += z * z;
    }
    const mean = s / n;
    const variance = ss / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n)); // SE of the mean: 1/√n
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n)); // SE of the variance: √(2/n)
  });

  it("different streams of one key differ, and samplePoisson accepts a stream (O(1) PTRS for large λ)", () => {
    const [k0, k1] = streamKey(3);
    const a = new StreamRng();
    const b = new StreamRng();
    a.seed(k0, k1, 0);
    b.seed(k0, k1, 1);
    expect(a.nextInt()).not.toBe(b.nextInt());
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += samplePoisson(a, 1e6);
    // mean 1e6, SE of the mean √(1e6 / 20,000) ≈ 7.07
    expect(Math.abs(sum / 20_000 - 1e6)).toBeLessThan(4 * Math.sqrt(1e6 / 20_000));
  });
});
