/**
 * The boosting grower's inner loops (histograms, the parent - sibling subtraction, the partition
 * of a node's rows, the numeric split scan, the binary model's gradients): WebAssembly compiled
 * from `histogram.c` where the runtime has it, the same loops in JavaScript otherwise. Both do the
 * same operations in the same order, so they give the same bits (tested). The WebAssembly
 * histogram loop is about 2.5x faster per row and feature than the best JavaScript one we had (no
 * bounds checks; measured in docs/benchmarks.md). Histograms and gradients can be shared with
 * worker threads (`threads`).
 *
 * A histogram is a Float64Array: bin column f has its region at element `base[f]`, bin b's slot is
 * the four elements at `base[f] + 4b` (sum of gradients, sum of hessians, count, unused).
 * @module
 */
import { AnalyticsError } from "../core/errors.js";
import { HISTOGRAM_WASM, HISTOGRAM_WASM_SHARED } from "./histogramWasm.js";

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
  /**
   * The best split of one numeric feature from a histogram's slots at element `base` (see
   * `split_numeric` in histogram.c: the same scan as the grower's JavaScript one), into `out`
   * (gain (-1: none), bin, missing-left flag, left gradient, hessian and row sums); false when
   * this kernel cannot (no WebAssembly, or a histogram outside its memory): then scan in JavaScript.
   */
  splitNumeric(hist: Float64Array, base: number, nm: number, miss: boolean, n: number, g: number, h: number, l2: number, minLeaf: number, minHessian: number, lossForm: boolean, out: Float64Array): boolean;
  /** Threads that build histograms (1: this one only; more once the workers have started). */
  readonly threads: number;
  /** The binary model's raw scores of the training rows (in the kernels' memory; null without `labels`). */
  readonly raw: Float64Array | null;
  /**
   * The binary log-loss's gradient and hessian of every row from `raw` and the labels, rounded to
   * float32, into `gh` in row order (so call it before a tree, when node order is row order);
   * split between the threads like the histograms. Needs `labels`.
   */
  gradients(): void;
  /** Stop the worker threads (if any); the kernel still works, on this thread. */
  close(): void;
}

const pow2Value = new Float64Array(1);
const pow2Bits = new Uint32Array(pow2Value.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** 2^k for k in [-1022, 1023], from its bits. */
function pow2(k: number): number {
  pow2Bits[LITTLE_ENDIAN ? 0 : 1] = 0;
  pow2Bits[LITTLE_ENDIAN ? 1 : 0] = (k + 1023) << 20;
  return pow2Value[0];
}

/**
 * e^x to within an ulp or so: histogram.c's `exp_kernel`, operation for operation, so the
 * WebAssembly and JavaScript gradients are the same bits (x = k ln 2 + r, e^r by its Taylor series
 * to r^13, times 2^k).
 * @internal
 */
export function expKernel(x: number): number {
  if (x !== x) return x;
  if (x > 710) return Infinity;
  if (x < -746) return 0;
  const kf = Math.floor(x * 1.4426950408889634 + 0.5);
  const r = x - kf * 6.9314718036912381649e-1 - kf * 1.90821492927058770002e-10;
  const p = 1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333 + r * (0.001388888888888889 + r * (0.0001984126984126984 + r * (2.48015873015873e-5 + r * (2.7557319223985893e-6 + r * (2.755731922398589e-7 + r * (2.505210838544172e-8 + r * (2.08767569878681e-9 + r * 1.6059043836821613e-10))))))))))));
  if (kf > 1023) return p * pow2(kf - 1) * 2;
  if (kf < -1022) return p * pow2(kf + 1000) * pow2(-1000);
  return p * pow2(kf);
}

/** Options of {@link histogramKernel}. @internal */
export interface HistogramKernelOptions {
  /** Use WebAssembly when the runtime has it (default true; false: the JavaScript loops, for tests). */
  wasm?: boolean;
  /**
   * Threads for the histograms (default 1): with more, each histogram's columns are split between
   * this thread and `threads - 1` worker threads sharing the kernels' memory (Node's
   * `worker_threads` and a shared WebAssembly memory; without them, one thread). Each column is
   * summed by one thread in row order, so the histograms are the same bits for any number.
   * `"auto"`: the machine's cores, at most 4, when rows x summed columns reach 2,000,000 (a worker
   * costs some 30 ms to start), else 1.
   */
  threads?: number | "auto";
  /** Smallest histogram job (rows x columns) split between threads (default 100,000; smaller ones run on this thread). */
  minParallelWork?: number;
  /** The binary model's 0/1 labels of the training rows: gives the kernel `raw` and `gradients()`. */
  labels?: Uint8Array;
}

interface Exports {
  hist_root(hist: number, bins: number, base: number, nf: number, n: number, gh: number): void;
  hist_node(hist: number, bins: number, base: number, nf: number, idx: number, start: number, end: number, gh: number): void;
  hist_subtract(parent: number, child: number, used: number, nUsed: number): void;
  partition(idx: number, gh: number, start: number, end: number, column: number, goLeft: number, scratch: number, scratchGH: number): number;
  exp_kernel(x: number): number;
  gradients(raw: number, y: number, gh: number, start: number, end: number): void;
  split_numeric(slots: number, nm: number, miss: number, n: number, g: number, h: number, l2: number, minLeaf: number, minHessian: number, lossForm: number, out: number): void;
  __heap_base: WebAssembly.Global;
}

/** Largest kernel memory we ask for (WebAssembly's 32-bit memories stop at 4 GiB); beyond it the JavaScript loops run. */
const MAX_BYTES = 2 ** 31;
const PAGE = 65536;

const compiled = new Map<string, WebAssembly.Module | null>();

/** A build of the kernels, compiled once per process, or null where the runtime has no WebAssembly or refuses it. */
function kernelModule(b64: string): WebAssembly.Module | null {
  let m = compiled.get(b64);
  if (m !== undefined) return m;
  m = null;
  try {
    if (typeof WebAssembly === "object" && typeof atob === "function") {
      const text = atob(b64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      m = new WebAssembly.Module(bytes);
    }
  } catch {
    m = null;
  }
  compiled.set(b64, m);
  return m;
}

/** Node's worker_threads, reached synchronously (Node >= 20.16), or null (browsers, older Node). */
function workerThreads(): typeof import("node:worker_threads") | null {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    return typeof get === "function" ? ((get("node:worker_threads") as typeof import("node:worker_threads") | undefined) ?? null) : null;
  } catch {
    return null;
  }
}

/** Threads for `"auto"`: the cores (at most 4) for jobs of 2,000,000 row-columns or more. */
function autoThreads(work: number): number {
  if (work < 2_000_000) return 1;
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
    const os = typeof get === "function" ? (get("node:os") as typeof import("node:os") | undefined) : undefined;
    return os ? Math.min(4, Math.max(1, os.availableParallelism())) : 1;
  } catch {
    return 1;
  }
}

/** Control block of one worker: Int32 slots. */
const SEQ = 0;
const DONE = 1;
const READY = 2;
const OP = 3;
const ARGS = 4;
const SLOTS = 16;
const OP_STOP = 0;
const OP_ROOT = 1;
const OP_NODE = 2;
const OP_GRADIENTS = 3;
/** How long a worker watches for its next job before sleeping, and this thread for a worker's part before sleeping (ms). */
const SPIN_MS = 0.3;
/** Longest wait for a started worker's part of one histogram before giving up with an error. */
const WORKER_TIMEOUT_MS = 60_000;

/**
 * A worker's loop (CommonJS, run with `eval`): its own instance of the shared build on the shared
 * memory; it sleeps on its control block's sequence number, runs the job it is given, and marks it
 * done.
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, slot } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control, slot * ${SLOTS * 4}, ${SLOTS});
Atomics.store(c, ${READY}, 1);
let seen = 0;
for (;;) {
  // the next job usually follows within a few hundred microseconds (the next node): watch for it a
  // moment before sleeping, as a futex wake-up costs about 100 microseconds here
  const until = performance.now() + ${SPIN_MS};
  while (Atomics.load(c, ${SEQ}) === seen && performance.now() < until) {}
  Atomics.wait(c, ${SEQ}, seen);
  seen = Atomics.load(c, ${SEQ});
  const op = c[${OP}];
  if (op === ${OP_STOP}) break;
  const a = ${ARGS};
  if (op === ${OP_ROOT}) ex.hist_root(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5]);
  else if (op === ${OP_NODE}) ex.hist_node(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  else ex.gradients(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4]);
  Atomics.store(c, ${DONE}, seen);
  Atomics.notify(c, ${DONE});
}
`;

/**
 * Kernels for one fit over the bin columns `columns` (n rows each): column c is summed into the
 * histograms' region at element `base[c]`, or not at all where `base[c]` is -1 (a column only
 * partitioned on). `used` lists the element ranges [start, end) a histogram can use. Room for
 * `histograms` histograms of `histLength` elements is reserved in the kernels' memory, and the
 * columns are copied into it once.
 * @internal
 */
export function histogramKernel(columns: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, used: Int32Array, histograms: number, options: HistogramKernelOptions = {}): HistogramKernel {
  if (options.wasm !== false) {
    const threads = options.threads === "auto" ? autoThreads(n * base.filter((b) => b >= 0).length) : Math.max(1, Math.floor(options.threads ?? 1));
    const wt = threads > 1 ? workerThreads() : null;
    const shared = wt ? kernelModule(HISTOGRAM_WASM_SHARED) : null;
    if (wt && shared) {
      const k = wasmKernel(shared, columns, base, n, histLength, used, histograms, options.labels ?? null, { wt, threads, minWork: options.minParallelWork ?? 100_000 });
      if (k) return k;
    }
    const plain = kernelModule(HISTOGRAM_WASM);
    if (plain) {
      const k = wasmKernel(plain, columns, base, n, histLength, used, histograms, options.labels ?? null, null);
      if (k) return k;
    }
  }
  return jsKernel(columns, base, n, histLength, used, options.labels ?? null);
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

interface Parallel {
  wt: typeof import("node:worker_threads");
  threads: number;
  minWork: number;
}

function wasmKernel(mod: WebAssembly.Module, columns: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, used: Int32Array, histograms: number, labels: Uint8Array | null, par: Parallel | null): HistogramKernel | null {
  const nc = columns.length;
  const { bins, at } = summed(columns, base);
  const nf = bins.length;
  // layout after the module's own data and stack: histograms first (32-byte slots), then the rest
  const histBytes = histLength * 8;
  const bound = (1 << 20) + histograms * histBytes + 4 * (2 * nf + used.length) + n * (nc + 24 + (labels ? 9 : 0)) + 256 + 48 + 64 * (nc + 10);
  if (bound > MAX_BYTES) return null;
  let memory: WebAssembly.Memory;
  let ex: Exports;
  try {
    const pages = Math.ceil(bound / PAGE);
    memory = par ? new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }) : new WebAssembly.Memory({ initial: pages });
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
  const raw = labels ? new Float64Array(buffer, take(n * 8, 8), n) : null;
  const y = labels ? new Uint8Array(buffer, take(n, 8), n) : null;
  if (y && labels) y.set(labels.subarray(0, n));
  const splitOut = new Float64Array(buffer, take(48, 8), 6);
  let handed = 0;
  const inMemory = (hist: Float64Array): boolean => hist.buffer === buffer;
  const js = jsLoops(bins, at, n, used);
  const team = par ? startWorkers(par, mod, memory, Math.min(par.threads - 1, nf - 1)) : null;
  // columns [cut[t], cut[t + 1]) are thread t's (0: this one)
  const parts = team ? team.workers.length + 1 : 1;
  // (each worker floor(nf / parts) columns, this thread the rest: its part starts at once, theirs after a wake-up)
  const cut = Int32Array.from({ length: parts + 1 }, (_, t) => (t === 0 ? 0 : nf - (parts - t) * Math.floor(nf / parts)));
  /** Run a histogram job: split over the threads when it is big enough and the workers are up. */
  const run = (op: number, hist: number, start: number, end: number): void => {
    if (team && (end - start) * nf >= par!.minWork && team.ready()) {
      for (let t = 1; t < parts; t++) {
        const c = team.controls[t - 1];
        const from = cut[t];
        c[OP] = op;
        if (op === OP_ROOT) c.set([hist, binPtr + 4 * from, basePtr + 4 * from, cut[t + 1] - from, end, gh.byteOffset], ARGS);
        else c.set([hist, binPtr + 4 * from, basePtr + 4 * from, cut[t + 1] - from, idx.byteOffset, start, end, gh.byteOffset], ARGS);
        Atomics.add(c, SEQ, 1);
        Atomics.notify(c, SEQ);
      }
      if (op === OP_ROOT) ex.hist_root(hist, binPtr, basePtr, cut[1], end, gh.byteOffset);
      else ex.hist_node(hist, binPtr, basePtr, cut[1], idx.byteOffset, start, end, gh.byteOffset);
      for (let t = 1; t < parts; t++) team.await(t - 1);
    } else if (op === OP_ROOT) ex.hist_root(hist, binPtr, basePtr, nf, end, gh.byteOffset);
    else ex.hist_node(hist, binPtr, basePtr, nf, idx.byteOffset, start, end, gh.byteOffset);
  };
  return {
    wasm: true,
    idx,
    gh,
    goLeft,
    get threads() {
      return team && team.ready() ? parts : 1;
    },
    close: () => team?.stop(),
    raw,
    gradients: () => {
      if (!raw || !y) throw new Error("histogramKernel: gradients() needs labels");
      // rows [0, half) here, the rest on the first worker when it is up and the job is big enough
      if (team && n >= par!.minWork && team.ready()) {
        const half = n >> 1;
        const c = team.controls[0];
        c[OP] = OP_GRADIENTS;
        c.set([raw.byteOffset, y.byteOffset, gh.byteOffset, half, n], ARGS);
        Atomics.add(c, SEQ, 1);
        Atomics.notify(c, SEQ);
        ex.gradients(raw.byteOffset, y.byteOffset, gh.byteOffset, 0, half);
        team.await(0);
      } else ex.gradients(raw.byteOffset, y.byteOffset, gh.byteOffset, 0, n);
    },
    allocate: () => (handed < histograms ? new Float64Array(buffer, histStart + histBytes * handed++, histLength) : new Float64Array(histLength)),
    root: (hist) => {
      if (inMemory(hist)) run(OP_ROOT, hist.byteOffset, 0, n);
      else js.root(hist, gh);
    },
    node: (hist, start, end) => {
      if (inMemory(hist)) run(OP_NODE, hist.byteOffset, start, end);
      else js.node(hist, idx, start, end, gh);
    },
    subtract: (parent, child) => {
      if (inMemory(parent) && inMemory(child)) ex.hist_subtract(parent.byteOffset, child.byteOffset, usedPtr, used.length >> 1);
      else js.subtract(parent, child);
    },
    splitNumeric: (hist, at, nm, miss, rows, g, h, l2, minLeaf, minHessian, lossForm, out) => {
      if (!inMemory(hist)) return false;
      ex.split_numeric(hist.byteOffset + 8 * at, nm, miss ? 1 : 0, rows, g, h, l2, minLeaf, minHessian, lossForm ? 1 : 0, splitOut.byteOffset);
      out.set(splitOut);
      return true;
    },
    partition: (c, start, end) => ex.partition(idx.byteOffset, gh.byteOffset, start, end, colPtr[c], goLeft.byteOffset, scratch, scratchGH),
  };
}

function jsKernel(columns: readonly Uint8Array[], base: Int32Array, n: number, histLength: number, used: Int32Array, labels: Uint8Array | null): HistogramKernel {
  const raw = labels ? new Float64Array(n) : null;
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
    threads: 1,
    close: () => {},
    raw,
    gradients: () => {
      if (!raw || !labels) throw new Error("histogramKernel: gradients() needs labels");
      // histogram.c's gradients, with its exp
      for (let r = 0; r < n; r++) {
        const p = 1 / (1 + expKernel(-raw[r]));
        gh[2 * r] = p - labels[r];
        gh[2 * r + 1] = p * (1 - p);
      }
    },
    splitNumeric: () => false,
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

interface Team {
  workers: import("node:worker_threads").Worker[];
  controls: Int32Array[];
  /** True once every worker has instantiated the kernels (until then the jobs run on this thread). */
  ready(): boolean;
  /** Wait for worker w's part of the current job. */
  await(w: number): void;
  stop(): void;
}

/** Start `count` workers on the shared memory; null if none can start. */
function startWorkers(par: Parallel, mod: WebAssembly.Module, memory: WebAssembly.Memory, count: number): Team | null {
  if (count < 1) return null;
  const control = new SharedArrayBuffer(count * SLOTS * 4);
  const controls = Array.from({ length: count }, (_, w) => new Int32Array(control, w * SLOTS * 4, SLOTS));
  const workers: import("node:worker_threads").Worker[] = [];
  try {
    for (let w = 0; w < count; w++) {
      const worker = new par.wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module: mod, memory, control, slot: w } });
      // a worker never keeps the process alive, and an error in one only means this thread does its part
      worker.unref();
      worker.on("error", () => {});
      workers.push(worker);
    }
  } catch {
    for (const worker of workers) void worker.terminate();
    return null;
  }
  let up = false;
  let stopped = false;
  return {
    workers,
    controls,
    ready: () => {
      if (!up && !stopped) up = controls.every((c) => Atomics.load(c, READY) === 1);
      return up && !stopped;
    },
    await: (w) => {
      const c = controls[w];
      const seq = Atomics.load(c, SEQ);
      // its part usually ends within microseconds of ours: watch before sleeping
      const until = performance.now() + SPIN_MS;
      while (Atomics.load(c, DONE) !== seq && performance.now() < until) {}
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      for (;;) {
        const done = Atomics.load(c, DONE);
        if (done === seq) return;
        if (Date.now() > deadline) throw new AnalyticsError("DEPENDENCY_FAILED", `boosting: a histogram worker thread did not answer within ${WORKER_TIMEOUT_MS / 1000} s (retry with threads: 1)`);
        Atomics.wait(c, DONE, done, 1000);
      }
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      for (const c of controls) {
        c[OP] = OP_STOP;
        Atomics.add(c, SEQ, 1);
        Atomics.notify(c, SEQ);
      }
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
