/**
 * Counter-seeded per-stream random numbers for parallel simulation (one independent stream per
 * customer, the same numbers on any number of threads), with a ziggurat normal.
 * @module
 */
import { createRng, type Rng, type Seed } from "./random.js";

/**
 * The per-stream generator: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, 128-bit
 * state, passes PractRand), seeded from a 64-bit call key ({@link streamKey}) plus a stream
 * number (say the customer index), mixed by a splitmix32-style hash, so each stream's numbers
 * do not depend on how the work is split across threads. It is an {@link Rng}, so every sampler
 * of `src/numeric/random.ts` accepts it (`samplePoisson(stream, λ)` is O(1) for any λ, and is
 * what the Monte Carlo kernel of `src/value/simulate.ts` uses for large purchase rates); its own
 * `normal` (ziggurat) and `gamma` methods are the fast paths that kernel inlines. Its numbers
 * are frozen in `test/numeric/stream.test.ts` (those of the generator `src/value` used before
 * it moved here), since every seeded Monte Carlo result depends on them.
 *
 * @example
 * ```ts
 * const [k0, k1] = streamKey(42);
 * const a = new StreamRng(), b = new StreamRng();
 * a.seed(k0, k1, 7); b.seed(k0, k1, 7);
 * a.next() === b.next();
 * //=> true
 * ```
 * @category Random
 */
export class StreamRng implements Rng {
  /**
   * The 128-bit sfc32 state (a, b, c, d). An `Int32Array` so its representation never changes
   * (no deoptimisation when a word leaves the small-integer range), and so the kernel in
   * `simulate.ts` can run the generator in local variables and hand the state back for the
   * rare slow paths.
   */
  readonly state = new Int32Array(4);

  /** Re-seed this generator for stream `stream` of the call whose key is (k0, k1). */
  seed(k0: number, k1: number, stream: number): void {
    const s = this.state;
    s[0] = mix32(k0 ^ Math.imul(stream, 0x9e3779b9));
    s[1] = mix32(k1 + stream);
    s[2] = mix32(s[0] ^ 0x85ebca6b ^ k1);
    s[3] = mix32(stream ^ 0xc2b2ae35) | 1;
    for (let i = 0; i < 12; i++) this.nextInt();
  }

  /** Uniform in (0, 1), never exactly 0 or 1 (32-bit resolution). */
  next(): number {
    return ((this.nextInt() >>> 0) + 0.5) * 2.3283064365386963e-10;
  }

  /** Signed 32-bit integer output (the raw sfc32 word). */
  nextInt(): number {
    const s = this.state;
    const a = s[0], b = s[1], c = s[2], d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t;
  }

  /**
   * Standard normal by the ziggurat method (Marsaglia & Tsang 2000, 128 layers). The layer
   * index takes the low 7 bits of a word and the value its high 25 bits, so the two are
   * independent (the correlation Doornik 2005 pointed out in the original does not arise).
   */
  normal(): number {
    return this.normalFrom(this.nextInt());
  }

  /**
   * The ziggurat normal of {@link normal} given its first word `w` already drawn (the kernel
   * in `simulate.ts` draws the word itself and calls this only when the fast path rejects it).
   */
  normalFrom(w: number): number {
    for (;;) {
      const iz = w & 127;
      const hz = w >> 7; // signed 25-bit
      if (Math.abs(hz) < ZIG_K[iz]) return hz * ZIG_W[iz];
      const x = hz * ZIG_W[iz];
      if (iz === 0) {
        // tail beyond R
        let xx: number, yy: number;
        do {
          xx = -Math.log(this.next()) / ZIG_R;
          yy = -Math.log(this.next());
        } while (yy + yy < xx * xx);
        return hz > 0 ? ZIG_R + xx : -ZIG_R - xx;
      }
      if (ZIG_F[iz] + this.next() * (ZIG_F[iz - 1] - ZIG_F[iz]) < Math.exp(-0.5 * x * x)) return x;
      w = this.nextInt();
    }
  }

  /** Gamma(shape, 1) for shape >= 1 given the Marsaglia-Tsang constants dd = shape - 1/3, cc = 1 / sqrt(9 dd). */
  gammaMT(dd: number, cc: number): number {
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return dd * v;
      if (Math.log(u) < 0.5 * x2 + dd * (1 - v + Math.log(v))) return dd * v;
    }
  }

  /** Gamma(shape, 1) (Marsaglia & Tsang 2000, boost for shape < 1). */
  gamma(shape: number): number {
    let boost = 1;
    if (shape < 1) {
      boost = Math.pow(this.next(), 1 / shape);
      shape += 1;
    }
    const dd = shape - 1 / 3;
    return this.gammaMT(dd, 1 / Math.sqrt(9 * dd)) * boost;
  }
}


/** Ziggurat tables for the standard normal, 128 layers, values scaled for 25-bit signed integers. */
/** Ziggurat: start of the tail. @internal */
export const ZIG_R = 3.442619855899;
/** Ziggurat fast-path bounds: layer `iz` accepts a 25-bit value `hz` when `|hz| < ZIG_K[iz]`. @internal */
export const ZIG_K = new Float64Array(128);
/** Ziggurat widths: the accepted normal is `hz * ZIG_W[iz]`. @internal */
export const ZIG_W = new Float64Array(128);
/** Ziggurat: density at each layer's edge. @internal */
export const ZIG_F = new Float64Array(128);
(() => {
  const m = 16777216; // 2^24
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = (dn / q) * m;
  ZIG_K[1] = 0;
  ZIG_W[0] = q / m;
  ZIG_W[127] = dn / m;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = (dn / tn) * m;
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / m;
  }
})();

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) | 0;
}

/**
 * The 64-bit key of a call, as two 32-bit integers, drawn from `createRng(seed)`: the same seed
 * gives the same key, and {@link StreamRng} streams seeded from it.
 *
 * @param seed - the call's seed.
 * @returns [k0, k1].
 * @example
 * ```ts
 * streamKey(1).length;
 * //=> 2
 * ```
 * @category Random
 */
export function streamKey(seed: Seed): [number, number] {
  const rng = createRng(seed);
  return [Math.floor(rng.next() * 4294967296) | 0, Math.floor(rng.next() * 4294967296) | 0];
}
