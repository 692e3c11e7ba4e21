/**
 * The per-stream generator of src/numeric (the one the per-customer Monte Carlo of src/value
 * draws from). Its numbers are frozen below: they were produced by the generator as it stood in
 * src/value/distributions.ts before it moved here (commit 1eef1e3), so a change to the words,
 * the uniforms, the ziggurat or the gamma shows up here before it silently changes every seeded
 * Monte Carlo result. Then the samplers' promises on seeded draws.
 */
import { describe, expect, it } from "vitest";
import { StreamRng, samplePoisson, streamKey } from "../../src/numeric/index.js";
import { ZIG_F, ZIG_K, ZIG_W } from "../../src/numeric/stream.js";

describe("StreamRng", () => {
  it("StreamRng(streamKey(42), stream 7) gives the frozen words, uniforms, normals and gammas of value's former generator", () => {
    const key = streamKey(42);
    expect(key).toEqual([-1353500977, -1948521574]);
    expect(streamKey("x")).toEqual([1122654734, 753663065]);
    const r = new StreamRng();
    r.seed(key[0], key[1], 7);
    expect(Array.from({ length: 4 }, () => r.nextInt())).toEqual([1913997278, 816605303, 391818885, -1602957736]);
    expect(Array.from({ length: 3 }, () => r.next())).toEqual([0.704560044570826, 0.1188245132798329, 0.2817426143446937]);
    expect(Array.from({ length: 3 }, () => r.normal())).toEqual([-1.0511082422938074, -0.07251523649675376, -0.3096757429667795]);
    expect(Array.from({ length: 3 }, () => r.gamma(0.7))).toEqual([0.06517894737058913, 1.7404966048814168, 0.03818441757846615]);
  });

  it("100,000 words and normals over four streams and the ziggurat tables match the frozen checksums", () => {
    const [k0, k1] = streamKey(42);
    const r = new StreamRng();
    let x = 0;
    let sn = 0;
    for (const stream of [0, 1, 999, 123456]) {
      r.seed(k0, k1, stream);
      for (let i = 0; i < 25_000; i++) {
        x ^= r.nextInt();
        sn += r.normal();
      }
    }
    expect(x).toBe(1307422921);
    expect(sn).toBe(813.1221537440495);
    let zk = 0;
    for (let i = 0; i < 128; i++) zk += ZIG_K[i] + ZIG_W[i] * 1e7 + ZIG_F[i];
    expect(zk).toBe(2088300020.422598);
  });

  it("two generators seeded alike give the same stream (a stream depends only on key and stream number)", () => {
    const [k0, k1] = streamKey(1);
    const a = new StreamRng();
    const b = new StreamRng();
    a.seed(k0, k1, 999);
    for (let i = 0; i < 10; i++) a.next();
    a.seed(k0, k1, 123456); // re-seeding discards the history
    b.seed(k0, k1, 123456);
    for (let i = 0; i < 50; i++) {
      expect(a.nextInt()).toBe(b.nextInt());
      expect(a.normal()).toBe(b.normal());
      expect(a.gamma(2.5)).toBe(b.gamma(2.5));
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
