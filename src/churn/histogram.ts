/**
 * The boosting grower's histogram kernels: WebAssembly compiled from `histogram.c` where the
 * runtime has it, the same loops in JavaScript otherwise. Both add in the same order, so they give
 * the same bits (tested). The WebAssembly loop is about 2.5x faster per row and feature than the
 * best JavaScript one we had (no bounds checks; measured in docs/benchmarks.md).
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
}

/** Options of {@link histogramKernel}. @internal */
export interface HistogramKernelOptions {
  /** Use WebAssembly when the runtime has it (default true; false: the JavaScript loops, for tests). */
  wasm?: boolean;
}

interface Exports {
  hist_root(hist: number, bins: number, base: number, nf: number, n: number, gh: number): void;
  hist_node(hist: number, bins: number, base: number, nf: number, idx: number, start: number, end: number, gh: number): void;
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
 * Kernels for one fit over the bin columns `bins` (n rows each; column f's histogram region at
 * element `base[f]`), with room for `histograms` histograms of `histLength` elements in their
 * memory. The columns are copied into that memory once.
 * @internal
 */
export function histogramKernel(bins: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, histograms: number, options: HistogramKernelOptions = {}): HistogramKernel {
  const mod = options.wasm === false ? null : kernelModule();
  if (mod) {
    const k = wasmKernel(mod, bins, base, n, histLength, histograms);
    if (k) return k;
  }
  return jsKernel(bins, base, n, histLength);
}

function wasmKernel(mod: WebAssembly.Module, bins: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, histograms: number): HistogramKernel | null {
  const nf = bins.length;
  // layout after the module's own data and stack: histograms first (32-byte slots), then the rest
  const histBytes = histLength * 8;
  let heap = 1 << 20; // replaced by the module's __heap_base below; a bound for the size check
  const size = (start: number): number => start + histograms * histBytes + nf * 8 + n * (nf + 4 + 8) + 64 * (nf + 4);
  if (size(heap) > MAX_BYTES) return null;
  let memory: WebAssembly.Memory;
  let ex: Exports;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(size(heap) / PAGE) });
    ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Exports;
    heap = ex.__heap_base.value as number;
  } catch {
    return null;
  }
  let top = heap;
  const take = (bytes: number, align: number): number => {
    top = Math.ceil(top / align) * align;
    const at = top;
    top += bytes;
    return at;
  };
  const buffer = memory.buffer;
  const histStart = take(histograms * histBytes, 32);
  const basePtr = take(nf * 4, 8);
  new Int32Array(buffer, basePtr, nf).set(base);
  const binPtr = take(nf * 4, 8);
  const ptrs = new Int32Array(buffer, binPtr, nf);
  for (let f = 0; f < nf; f++) {
    ptrs[f] = take(n, 8);
    new Uint8Array(buffer, ptrs[f], n).set(bins[f].subarray(0, n));
  }
  const idx = new Int32Array(buffer, take(n * 4, 8), n);
  const gh = new Float32Array(buffer, take(n * 8, 8), 2 * n);
  let handed = 0;
  const inMemory = (hist: Float64Array): boolean => hist.buffer === buffer;
  const js = jsLoops(bins, base, n);
  return {
    wasm: true,
    idx,
    gh,
    allocate: () => (handed < histograms ? new Float64Array(buffer, histStart + histBytes * handed++, histLength) : new Float64Array(histLength)),
    root: (hist) => {
      if (inMemory(hist)) ex.hist_root(hist.byteOffset, binPtr, basePtr, nf, n, gh.byteOffset);
      else js.root(hist, gh);
    },
    node: (hist, start, end) => {
      if (inMemory(hist)) ex.hist_node(hist.byteOffset, binPtr, basePtr, nf, idx.byteOffset, start, end, gh.byteOffset);
      else js.node(hist, idx, start, end, gh);
    },
  };
}

function jsKernel(bins: readonly Uint8Array[], base: Int32Array, n: number, histLength: number): HistogramKernel {
  const idx = new Int32Array(n);
  const gh = new Float32Array(2 * n);
  const js = jsLoops(bins, base, n);
  return {
    wasm: false,
    idx,
    gh,
    allocate: () => new Float64Array(histLength),
    root: (hist) => js.root(hist, gh),
    node: (hist, start, end) => js.node(hist, idx, start, end, gh),
  };
}

/** The JavaScript loops: histogram.c's, two bin columns per pass. */
function jsLoops(bins: readonly Uint8Array[], base: Int32Array, n: number) {
  const nf = bins.length;
  return {
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
