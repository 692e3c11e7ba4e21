import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scanNumeric, splitGain, splitGainLoss, type Split } from "../../src/churn/boosting.js";
import { expKernel, histogramKernel, type HistogramKernel } from "../../src/churn/histogram.js";
import { HISTOGRAM_WASM } from "../../src/churn/histogramWasm.js";
import { createRng } from "../../src/numeric/index.js";

// The boosting grower's histogram kernels: the WebAssembly build and the JavaScript loops must give
// the same bits, equal to a direct sum in row order; the committed bytes must be those of histogram.c.

const NB = 256;

/** Seeded bin columns (some with missing bins 255), a base per column, gradient pairs and a shuffled node order. */
function setup(n: number, nf: number, seed: number) {
  const rng = createRng(seed);
  const bins = Array.from({ length: nf }, (_, f) => {
    const levels = f % 3 === 0 ? 12 : 255;
    return Uint8Array.from({ length: n }, () => (rng.next() < 0.05 ? 255 : Math.floor(rng.next() * levels)));
  });
  // columns in a scrambled region order, as the grower's paired columns are
  const base = Int32Array.from({ length: nf }, (_, f) => (nf - 1 - f) * NB * 4);
  const gh = Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? rng.next() - 0.5 : 0.05 + rng.next() * 0.2));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  // every region's non-missing bins and missing bin
  const used = Int32Array.from(Array.from(base).flatMap((b) => [b, b + 255 * 4, b + 255 * 4, b + 256 * 4]));
  return { bins, base, gh, order, histLength: nf * NB * 4, used };
}

function load(k: HistogramKernel, gh: Float32Array, order: Int32Array): void {
  k.idx.set(order);
  // the pairs in node order: position q holds row order[q]'s pair (the root reads positions as rows)
  for (let q = 0; q < order.length; q++) {
    k.gh[2 * q] = gh[2 * order[q]];
    k.gh[2 * q + 1] = gh[2 * order[q] + 1];
  }
}

/** Direct sums over positions start..end-1 in order. */
function direct(s: ReturnType<typeof setup>, start: number, end: number, counts: boolean, identity: boolean): Float64Array {
  const h = new Float64Array(s.histLength);
  for (let f = 0; f < s.bins.length; f++) {
    for (let q = start; q < end; q++) {
      const i = identity ? q : s.order[q];
      const k = s.base[f] + s.bins[f][i] * 4;
      h[k] += s.gh[2 * i];
      h[k + 1] += s.gh[2 * i + 1];
      if (counts) h[k + 2]++;
    }
  }
  return h;
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("histogram kernels", () => {
  const n = 5000;
  for (const nf of [1, 2, 3, 5, 8, 11]) {
    it(`WebAssembly and JavaScript give the direct sums to the bit (${nf} columns)`, () => {
      const s = setup(n, nf, 40 + nf);
      const wasm = histogramKernel(s.bins, s.base, n, s.histLength, s.used, 4);
      const js = histogramKernel(s.bins, s.base, n, s.histLength, s.used, 4, { wasm: false });
      expect(wasm.wasm).toBe(true);
      expect(js.wasm).toBe(false);
      // root: positions are rows
      for (const k of [wasm, js]) load(k, s.gh, Int32Array.from({ length: n }, (_, i) => i));
      const rootW = wasm.allocate();
      const rootJ = js.allocate();
      wasm.root(rootW);
      js.root(rootJ);
      const rootD = direct(s, 0, n, false, true);
      expect(bits(rootW).equals(bits(rootD))).toBe(true);
      expect(bits(rootJ).equals(bits(rootD))).toBe(true);
      // a node: a range of shuffled positions, counts included
      for (const k of [wasm, js]) load(k, s.gh, s.order);
      const nodeW = wasm.allocate();
      const nodeJ = js.allocate();
      wasm.node(nodeW, 1234, 4321);
      js.node(nodeJ, 1234, 4321);
      const nodeD = direct(s, 1234, 4321, true, false);
      expect(bits(nodeW).equals(bits(nodeD))).toBe(true);
      expect(bits(nodeJ).equals(bits(nodeD))).toBe(true);
      // a spot check that the direct sums are what they say: column 0's count total is the node's size
      let c = 0;
      for (let b = 0; b < NB; b++) c += nodeD[s.base[0] + 4 * b + 2];
      expect(c).toBe(4321 - 1234);
    });
  }

  it("past its reserved room the kernel hands out ordinary arrays and still gives the same sums", () => {
    const s = setup(n, 5, 7);
    const k = histogramKernel(s.bins, s.base, n, s.histLength, s.used, 1);
    load(k, s.gh, s.order);
    const inside = k.allocate();
    const outside = k.allocate();
    expect(inside.buffer).not.toBe(outside.buffer);
    expect(outside.buffer).toBeInstanceOf(ArrayBuffer);
    k.node(inside, 10, 4000);
    k.node(outside, 10, 4000);
    expect(bits(outside).equals(bits(inside))).toBe(true);
    expect(bits(inside).equals(bits(direct(s, 10, 4000, true, false)))).toBe(true);
    // empty node: nothing added
    const empty = k.allocate();
    k.node(empty, 50, 50);
    expect(empty.every((v) => v === 0)).toBe(true);
  });

  it("a column with base -1 is only partitioned on; subtract and partition agree between the builds", () => {
    const s = setup(n, 4, 11);
    const base = Int32Array.from([s.base[0], -1, s.base[2], s.base[3]]);
    const [wasm, js] = [true, false].map((w) => histogramKernel(s.bins, base, n, s.histLength, s.used, 3, { wasm: w }));
    const results = [wasm, js].map((k) => {
      load(k, s.gh, s.order);
      const parent = k.allocate();
      k.node(parent, 0, n);
      // column 1 left no trace in its region
      expect(parent.subarray(s.base[1], s.base[1] + NB * 4).every((v) => v === 0)).toBe(true);
      // split on column 1 (not summed) at bin 100: missing goes right
      for (let b = 0; b < NB; b++) k.goLeft[b] = b <= 100 ? 1 : 0;
      const mid = k.partition(1, 0, n);
      const left = k.allocate();
      k.node(left, 0, mid);
      k.subtract(parent, left);
      return { mid, idx: Int32Array.from(k.idx), gh: Float32Array.from(k.gh), parent: Float64Array.from(parent), left: Float64Array.from(left) };
    });
    // the expected partition: rows with bin <= 100 first, each side in its old order, pairs moved along
    const col = s.bins[1];
    const leftRows = Array.from(s.order).filter((i) => col[i] <= 100);
    const rightRows = Array.from(s.order).filter((i) => col[i] > 100);
    expect(results[0].mid).toBe(leftRows.length);
    expect(Array.from(results[0].idx)).toEqual([...leftRows, ...rightRows]);
    expect(results[0].gh[2 * 5]).toBe(s.gh[2 * results[0].idx[5]]);
    expect(results[0].gh[2 * n - 1]).toBe(s.gh[2 * results[0].idx[n - 1] + 1]);
    // parent - left = the right side's histogram, to rounding (sums in another order)
    const right = new Float64Array(s.histLength);
    for (const f of [0, 2, 3]) for (const i of rightRows) {
      const k = s.base[f] + s.bins[f][i] * 4;
      right[k] += s.gh[2 * i];
      right[k + 1] += s.gh[2 * i + 1];
      right[k + 2]++;
    }
    for (let k = 0; k < s.histLength; k++) expect(Math.abs(results[0].parent[k] - right[k])).toBeLessThan(1e-9);
    // and the two builds agree to the bit
    expect(results[1].mid).toBe(results[0].mid);
    expect(bits(results[1].parent).equals(bits(results[0].parent))).toBe(true);
    expect(Buffer.from(results[1].gh.buffer).equals(Buffer.from(results[0].gh.buffer))).toBe(true);
    expect(Array.from(results[1].idx)).toEqual(Array.from(results[0].idx));
  });

  it("with worker threads the histograms are the same bits, and after close() the kernel still works on this thread", async () => {
    const s = setup(n, 9, 21);
    const one = histogramKernel(s.bins, s.base, n, s.histLength, s.used, 4, { threads: 1 });
    const three = histogramKernel(s.bins, s.base, n, s.histLength, s.used, 4, { threads: 3, minParallelWork: 0 });
    try {
      // the workers start in the background; until they are up the jobs run here
      for (let waited = 0; three.threads === 1 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      expect(three.threads).toBe(3);
      expect(one.threads).toBe(1);
      for (const k of [one, three]) load(k, s.gh, Int32Array.from({ length: n }, (_, i) => i));
      const r1 = one.allocate();
      const r3 = three.allocate();
      one.root(r1);
      three.root(r3);
      expect(bits(r3).equals(bits(r1))).toBe(true);
      expect(bits(r3).equals(bits(direct(s, 0, n, false, true)))).toBe(true);
      for (const k of [one, three]) load(k, s.gh, s.order);
      const n1 = one.allocate();
      const n3 = three.allocate();
      one.node(n1, 77, 4999);
      three.node(n3, 77, 4999);
      expect(bits(n3).equals(bits(n1))).toBe(true);
      expect(bits(n3).equals(bits(direct(s, 77, 4999, true, false)))).toBe(true);
    } finally {
      three.close();
    }
    expect(three.threads).toBe(1);
    const after = three.allocate();
    three.node(after, 77, 4999);
    expect(bits(after).equals(bits(direct(s, 77, 4999, true, false)))).toBe(true);
  });

  it("split_numeric finds the same split, to the bit, as the JavaScript scan", () => {
    const rng = createRng(99);
    const s = setup(64, 2, 3);
    const k = histogramKernel(s.bins, s.base, 64, s.histLength, s.used, 2);
    const hist = k.allocate();
    const out = new Float64Array(6);
    let found = 0;
    for (let trial = 0; trial < 400; trial++) {
      const nm = 2 + Math.floor(rng.next() * 60);
      const miss = rng.next() < 0.5;
      hist.fill(0);
      let n = 0;
      let g = 0;
      let h = 0;
      const small = trial % 2 === 1;
      const slot = (b: number) => {
        const c = Math.floor(rng.next() * (small ? 4 : 40));
        const gs = (rng.next() - 0.5) * c;
        const hs = trial % 7 === 0 ? c * 1e-5 : rng.next() * 0.25 * c;
        hist[s.base[1] + 4 * b] = gs;
        hist[s.base[1] + 4 * b + 1] = hs;
        hist[s.base[1] + 4 * b + 2] = c;
        n += c;
        g += gs;
        h += hs;
      };
      for (let b = 0; b < nm; b++) slot(b);
      if (miss) slot(255);
      const l2 = trial % 3 === 0 ? 0 : rng.next();
      const minLeaf = 1 + Math.floor(rng.next() * (small ? 8 : 30));
      for (const lossForm of [false, true]) {
        const cur: Split = { gain: -1, feature: 1, bin: 0, missingLeft: false, cats: null, gl: 0, hl: 0, nl: 0 };
        scanNumeric(hist, s.base[1], nm, miss, n, g, h, l2, minLeaf, lossForm ? splitGainLoss : splitGain, cur);
        expect(k.splitNumeric(hist, s.base[1], nm, miss, n, g, h, l2, minLeaf, 1e-3, lossForm, out)).toBe(true);
        const got = out[0] > 0 ? { gain: out[0], bin: out[1], missingLeft: out[2] === 1, gl: out[3], hl: out[4], nl: out[5] } : { gain: -1, bin: 0, missingLeft: false, gl: 0, hl: 0, nl: 0 };
        expect(got).toEqual({ gain: cur.gain, bin: cur.bin, missingLeft: cur.missingLeft, gl: cur.gl, hl: cur.hl, nl: cur.nl });
        if (cur.gain > 0) found++;
      }
    }
    // most trials have a split, some none (tiny hessians, large minLeaf)
    expect(found).toBeGreaterThan(400);
    expect(found).toBeLessThan(800);
    // by hand: four bins of 5 rows, gradient sums -5, 1, 2, 2, hessian sums 1.25 each (N 20, G 0,
    // H 5, l2 0). Cut after bin 0: 25/1.25 + 25/3.75 = 26.667 (left side exactly minLeaf = 5 rows,
    // allowed); with minLeaf 6 the best is after bin 1: 16/2.5 + 16/2.5 = 12.8
    hist.fill(0);
    [-5, 1, 2, 2].forEach((gs, b) => hist.set([gs, 1.25, 5], s.base[1] + 4 * b));
    k.splitNumeric(hist, s.base[1], 4, false, 20, 0, 5, 0, 5, 1e-3, false, out);
    expect([out[0], out[1], out[5]]).toEqual([25 / 1.25 + 25 / 3.75, 0, 5]);
    k.splitNumeric(hist, s.base[1], 4, false, 20, 0, 5, 0, 6, 1e-3, false, out);
    expect([out[0], out[1], out[5]]).toEqual([16 / 2.5 + 16 / 2.5, 1, 10]);
    // a hessian bound of exactly the left side's 1.25 still allows the first cut
    k.splitNumeric(hist, s.base[1], 4, false, 20, 0, 5, 0, 5, 1.25, false, out);
    expect(out[1]).toBe(0);
    // an ordinary array (outside the kernels' memory) is left to the JavaScript scan
    expect(k.splitNumeric(new Float64Array(s.histLength), 0, 4, false, 10, 0, 1, 0, 1, 1e-3, false, out)).toBe(false);
  });

  it("expKernel is within 1 ulp of Math.exp and the WebAssembly exp_kernel's twin to the bit", () => {
    const ex = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HISTOGRAM_WASM, "base64")), { env: { memory: new WebAssembly.Memory({ initial: 4 }) } }).exports as unknown as { exp_kernel(x: number): number };
    const f = new Float64Array(2);
    const u = new BigInt64Array(f.buffer);
    const ulps = (a: number, b: number) => {
      f[0] = a;
      f[1] = b;
      return Math.abs(Number(u[0] - u[1]));
    };
    const rng = createRng(8);
    const xs = [0, -0, 1, -1, 0.5, 700, -700, 709.78, -708.39, -708.4, -720, 1e-300, -1e-300, Math.LN2 / 2, -Math.LN2 / 2];
    for (let i = 0; i < 200_000; i++) xs.push(i % 2 === 0 ? (rng.next() - 0.5) * 80 : (rng.next() - 0.5) * 1416);
    let worst = 0;
    for (const x of xs) {
      const a = expKernel(x);
      expect(Object.is(a, ex.exp_kernel(x)), `x = ${x}`).toBe(true);
      const e = Math.exp(x);
      if (e >= 2.2250738585072014e-308 && Number.isFinite(e)) worst = Math.max(worst, ulps(a, e));
    }
    expect(worst).toBeLessThanOrEqual(1);
    // the ends and special values
    expect([expKernel(0), expKernel(Infinity), expKernel(-Infinity), expKernel(800), expKernel(-800)]).toEqual([1, Infinity, 0, Infinity, 0]);
    expect(expKernel(NaN)).toBeNaN();
    expect(ulps(expKernel(1), Math.E)).toBeLessThanOrEqual(1);
    expect(ulps(expKernel(709.7), Math.exp(709.7))).toBeLessThanOrEqual(1);
    expect(Math.abs(expKernel(-740) / Math.exp(-740) - 1)).toBeLessThan(1e-6); // subnormal: rounded once more
  });

  it("gradients(): the binary log-loss's float32 gradient and hessian, the same bits in WebAssembly, JavaScript and on threads", async () => {
    const n = 20_000;
    const rng = createRng(31);
    const labels = Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const s = setup(n, 3, 5);
    const raws = Float64Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 40 : i === 2 ? -40 : (rng.next() - 0.5) * 12));
    const kernels = [histogramKernel(s.bins, s.base, n, s.histLength, s.used, 2, { labels }), histogramKernel(s.bins, s.base, n, s.histLength, s.used, 2, { labels, wasm: false }), histogramKernel(s.bins, s.base, n, s.histLength, s.used, 2, { labels, threads: 2, minParallelWork: 0 })];
    try {
      for (let waited = 0; kernels[2].threads === 1 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      expect(kernels[2].threads).toBe(2);
      const out = kernels.map((k) => {
        k.raw!.set(raws);
        k.gradients();
        return Float32Array.from(k.gh);
      });
      expect(Buffer.from(out[1].buffer).equals(Buffer.from(out[0].buffer))).toBe(true);
      expect(Buffer.from(out[2].buffer).equals(Buffer.from(out[0].buffer))).toBe(true);
      // p = 1/2 at raw 0: g = 1/2 - y, h = 1/4; raw 40: p = 1 - 4.2e-18 -> 1 in double, h = 0
      expect([out[0][0], out[0][1]]).toEqual([0.5 - labels[0], 0.25]);
      expect([out[0][2], out[0][3]]).toEqual([1 - labels[1], 0]);
      for (let r = 0; r < n; r += 97) {
        const p = 1 / (1 + Math.exp(-raws[r]));
        expect(Math.abs(out[0][2 * r] - (p - labels[r]))).toBeLessThan(1e-7);
        expect(Math.abs(out[0][2 * r + 1] - p * (1 - p))).toBeLessThan(1e-7);
      }
    } finally {
      kernels[2].close();
    }
    // without labels there are no gradients to compute
    const plain = histogramKernel(s.bins, s.base, n, s.histLength, s.used, 2);
    expect(plain.raw).toBeNull();
    expect(() => plain.gradients()).toThrow(/needs labels/);
  });

  const hasClang = ["clang-14", "wasm-ld-14", "llvm-objdump-14"].every((tool) => spawnSync(tool, ["--version"]).status === 0);
  it.skipIf(!hasClang)("the committed WebAssembly is a fresh compile of histogram.c (needs clang-14, lld-14 and llvm-14)", () => {
    const script = fileURLToPath(new URL("../../scripts/build-wasm.mjs", import.meta.url));
    const r = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/matches src\/churn\/histogram\.c/);
  });
});
