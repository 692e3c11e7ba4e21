/**
 * The boosting grower's inner loops (histograms, the parent - sibling subtraction, the partition
 * of a node's rows): WebAssembly compiled from `histogram.c` where the runtime has it, the same
 * loops in JavaScript otherwise. Both add in the same order, so they give the same bits (tested).
 * The WebAssembly histogram loop is about 2.5x faster per row and feature than the best
 * JavaScript one we had (no bounds checks; measured in docs/benchmarks.md).
 *
 * A histogram is a Float64Array: bin column f has its region at element `base[f]`, bin b's slot is
 * the four elements at `base[f] + 4b` (sum of gradients, sum of hessians, count, unused).
 * @module
 */
import { HISTOGRAM_WASM } from "./histogramWasm.js";

/** Histograms and working arrays of one fit, in the kernels' memory. @internal */
export interface HistogramKernel {
  /** True when the WebAssembly kernels run (false: the JavaScript fallback). */
  readonly wasm: boolean;
  /** Row positions in node order (a node is a range of positions). */
  readonly idx: Int32Array;
  /** Gradient/hessian pairs in node order: position q's at 2q, 2q + 1 (8-byte aligned). */
  readonly gh: Float32Array;
  /** A new all-zero histogram (in the kernels' memory while the room reserved for them lasts, an ordinary array after). */
  allocate(): Float64Array;
  /** Gradient and hessian sums of positions 0..n-1 (the root); the counts are left as they are. */
  root(hist: Float64Array): void;
  /** Sums and counts of positions start..end-1. */
  node(hist: Float64Array, start: number, end: number): void;
  /** `parent -= child` over the slots in use (the `used` ranges). */
  subtract(parent: Float64Array, child: Float64Array): void;
  /** Which bins go left (1) in the next {@link HistogramKernel.partition}. */
  readonly goLeft: Uint8Array;
  /** Stable partition of positions start..end-1 by `goLeft` of column `c`'s bins, the pairs moved with their rows; returns the first right position. */
  partition(c: number, start: number, end: number): number;
}

/** Options of {@link histogramKernel}. @internal */
export interface HistogramKernelOptions {
  /** Use WebAssembly when the runtime has it (default true; false: the JavaScript loops, for tests). */
  wasm?: boolean;
}

interface Exports {
  hist_root(hist: number, bins: number, base: number, nf: number, n: number, gh: number): void;
  hist_node(hist: number, bins: number, base: number, nf: number, idx: number, start: number, end: number, gh: number): void;
  hist_subtract(parent: number, child: number, used: number, nUsed: number): void;
  partition(idx: number, gh: number, start: number, end: number, column: number, goLeft: number, scratch: number, scratchGH: number): number;
  __heap_base: WebAssembly.Global;
}

/** Largest kernel memory we ask for (WebAssembly's 32-bit memories stop at 4 GiB); beyond it the JavaScript loops run. */
const MAX_BYTES = 2 ** 31;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels (once per process), or null where the runtime has no WebAssembly or refuses it. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === "object" && typeof atob === "function") {
      const text = atob(HISTOGRAM_WASM);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * Kernels for one fit over the bin columns `columns` (n rows each): column c is summed into the
 * histograms' region at element `base[c]`, or not at all where `base[c]` is -1 (a column only
 * partitioned on). `used` lists the element ranges [start, end) a histogram can use. Room for
 * `histograms` histograms of `histLength` elements is reserved in the kernels' memory, and the
 * columns are copied into it once.
 * @internal
 */
export function histogramKernel(columns: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, used: Int32Array, histograms: number, options: HistogramKernelOptions = {}): HistogramKernel {
  const mod = options.wasm === false ? null : kernelModule();
  if (mod) {
    const k = wasmKernel(mod, columns, base, n, histLength, used, histograms);
    if (k) return k;
  }
  return jsKernel(columns, base, n, histLength, used);
}

/** The columns summed into histograms and their bases. */
function summed(columns: readonly Uint8Array[], base: Int32Array): { bins: Uint8Array[]; at: Int32Array } {
  const bins: Uint8Array[] = [];
  const at: number[] = [];
  columns.forEach((c, k) => {
    if (base[k] >= 0) {
      bins.push(c);
      at.push(base[k]);
    }
  });
  return { bins, at: Int32Array.from(at) };
}

function wasmKernel(mod: WebAssembly.Module, columns: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, used: Int32Array, histograms: number): HistogramKernel | null {
  const nc = columns.length;
  const { bins, at } = summed(columns, base);
  const nf = bins.length;
  // layout after the module's own data and stack: histograms first (32-byte slots), then the rest
  const histBytes = histLength * 8;
  const bound = (1 << 20) + histograms * histBytes + 4 * (2 * nf + used.length) + n * (nc + 24) + 256 + 64 * (nc + 8);
  if (bound > MAX_BYTES) return null;
  let memory: WebAssembly.Memory;
  let ex: Exports;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bound / PAGE) });
    ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Exports;
  } catch {
    return null;
  }
  let top = ex.__heap_base.value as number;
  if (top > 1 << 20) return null;
  const take = (bytes: number, align: number): number => {
    top = Math.ceil(top / align) * align;
    const start = top;
    top += bytes;
    return start;
  };
  const buffer = memory.buffer;
  const histStart = take(histograms * histBytes, 32);
  const basePtr = take(nf * 4, 8);
  new Int32Array(buffer, basePtr, nf).set(at);
  const usedPtr = take(used.length * 4, 8);
  new Int32Array(buffer, usedPtr, used.length).set(used);
  const colPtr = columns.map((c) => {
    const start = take(n, 8);
    new Uint8Array(buffer, start, n).set(c.subarray(0, n));
    return start;
  });
  const binPtr = take(nf * 4, 8);
  new Int32Array(buffer, binPtr, nf).set(colPtr.filter((_, c) => base[c] >= 0));
  const idx = new Int32Array(buffer, take(n * 4, 8), n);
  const gh = new Float32Array(buffer, take(n * 8, 8), 2 * n);
  const scratch = take(n * 4, 8);
  const scratchGH = take(n * 8, 8);
  const goLeft = new Uint8Array(buffer, take(256, 8), 256);
  let handed = 0;
  const inMemory = (hist: Float64Array): boolean => hist.buffer === buffer;
  const js = jsLoops(bins, at, n, used);
  return {
    wasm: true,
    idx,
    gh,
    goLeft,
    allocate: () => (handed < histograms ? new Float64Array(buffer, histStart + histBytes * handed++, histLength) : new Float64Array(histLength)),
    root: (hist) => {
      if (inMemory(hist)) ex.hist_root(hist.byteOffset, binPtr, basePtr, nf, n, gh.byteOffset);
      else js.root(hist, gh);
    },
    node: (hist, start, end) => {
      if (inMemory(hist)) ex.hist_node(hist.byteOffset, binPtr, basePtr, nf, idx.byteOffset, start, end, gh.byteOffset);
      else js.node(hist, idx, start, end, gh);
    },
    subtract: (parent, child) => {
      if (inMemory(parent) && inMemory(child)) ex.hist_subtract(parent.byteOffset, child.byteOffset, usedPtr, used.length >> 1);
      else js.subtract(parent, child);
    },
    partition: (c, start, end) => ex.partition(idx.byteOffset, gh.byteOffset, start, end, colPtr[c], goLeft.byteOffset, scratch, scratchGH),
  };
}

function jsKernel(columns: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, used: Int32Array): HistogramKernel {
  const { bins, at } = summed(columns, base);
  const idx = new Int32Array(n);
  const gh = new Float32Array(2 * n);
  const gh64 = new Float64Array(gh.buffer);
  const scratch = new Int32Array(n);
  const scratchGH = new Float64Array(n);
  const goLeft = new Uint8Array(256);
  const js = jsLoops(bins, at, n, used);
  return {
    wasm: false,
    idx,
    gh,
    goLeft,
    allocate: () => new Float64Array(histLength),
    root: (hist) => js.root(hist, gh),
    node: (hist, start, end) => js.node(hist, idx, start, end, gh),
    subtract: (parent, child) => js.subtract(parent, child),
    partition: (c, start, end) => {
      // histogram.c's partition; the pair moves as one float64 whose bits are never a NaN (the hessian in the high half is finite)
      const b = columns[c];
      let a = start;
      let k = 0;
      for (let q = start; q < end; q++) {
        const i = idx[q];
        const w = gh64[q];
        const l = goLeft[b[i]];
        idx[a] = i;
        gh64[a] = w;
        scratch[k] = i;
        scratchGH[k] = w;
        a += l;
        k += 1 - l;
      }
      for (let q = 0; q < k; q++) {
        idx[a + q] = scratch[q];
        gh64[a + q] = scratchGH[q];
      }
      return a;
    },
  };
}

/** The JavaScript loops: histogram.c's, two bin columns per pass. */
function jsLoops(bins: readonly Uint8Array[], base: Int32Array, n: number, used: Int32Array) {
  const nf = bins.length;
  return {
    subtract(parent: Float64Array, child: Float64Array): void {
      for (let u = 0; u < used.length; u += 2) for (let q = used[u], e = used[u + 1]; q < e; q++) parent[q] -= child[q];
    },
    root(hist: Float64Array, gh: Float32Array): void {
      let f = 0;
      for (; f + 1 < nf; f += 2) {
        const b0 = bins[f];
        const s0 = base[f];
        const b1 = bins[f + 1];
        const s1 = base[f + 1];
        for (let i = 0; i < n; i++) {
          const g = gh[2 * i];
          const h = gh[2 * i + 1];
          const k0 = s0 + b0[i] * 4;
          hist[k0] += g;
          hist[k0 + 1] += h;
          const k1 = s1 + b1[i] * 4;
          hist[k1] += g;
          hist[k1 + 1] += h;
        }
      }
      for (; f < nf; f++) {
        const b0 = bins[f];
        const s0 = base[f];
        for (let i = 0; i < n; i++) {
          const k0 = s0 + b0[i] * 4;
          hist[k0] += gh[2 * i];
          hist[k0 + 1] += gh[2 * i + 1];
        }
      }
    },
    node(hist: Float64Array, idx: Int32Array, start: number, end: number, gh: Float32Array): void {
      let f = 0;
      for (; f + 1 < nf; f += 2) {
        const b0 = bins[f];
        const s0 = base[f];
        const b1 = bins[f + 1];
        const s1 = base[f + 1];
        for (let q = start; q < end; q++) {
          const i = idx[q];
          const g = gh[2 * q];
          const h = gh[2 * q + 1];
          const k0 = s0 + b0[i] * 4;
          hist[k0] += g;
          hist[k0 + 1] += h;
          hist[k0 + 2]++;
          const k1 = s1 + b1[i] * 4;
          hist[k1] += g;
          hist[k1 + 1] += h;
          hist[k1 + 2]++;
        }
      }
      for (; f < nf; f++) {
        const b0 = bins[f];
        const s0 = base[f];
        for (let q = start; q < end; q++) {
          const k0 = s0 + b0[idx[q]] * 4;
          hist[k0] += gh[2 * q];
          hist[k0 + 1] += gh[2 * q + 1];
          hist[k0 + 2]++;
        }
      }
    },
  };
}
