/**
 * Shared helpers for benchmark scripts: timing, peak memory, and table printing.
 * Every benchmark prints a table with a baseline measured in the same run.
 */

/**
 * Time one call (after `warmup` unmeasured calls): wall-clock seconds of the fastest of `repeat`
 * runs, the process CPU time (user + system, GC threads included) of that run, and its result.
 * On a machine shared with other jobs the wall time includes waiting for a core; the CPU time
 * does not, so it is the steadier figure.
 */
export function timeit<T>(fn: () => T, { repeat = 1, warmup = 0 }: { repeat?: number; warmup?: number } = {}): { seconds: number; cpu: number; result: T } {
  for (let i = 0; i < warmup; i++) fn();
  let best: { seconds: number; cpu: number; result: T } | null = null;
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = fn();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    if (best === null || seconds < best.seconds) best = { seconds, cpu: (c.user + c.system) / 1e6, result };
  }
  return best!;
}

/** Best (least CPU) of `repeat` runs after `warmup` unmeasured ones: CPU s (user + system) and wall s of that run, and its result (for figures compared by CPU time). */
export function cpuBest<T>(fn: () => T, repeat: number, warmup = 0): { cpu: number; wall: number; result: T } {
  for (let i = 0; i < warmup; i++) fn();
  let best: { cpu: number; wall: number; result: T } | null = null;
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = fn();
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    if (best === null || cpu < best.cpu) best = { cpu, wall, result };
  }
  return best!;
}

/** Async version of {@link timeit}. */
export async function timeitAsync<T>(fn: () => Promise<T>, { repeat = 1 }: { repeat?: number } = {}): Promise<{ seconds: number; result: T }> {
  let best = Infinity;
  let result!: T;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, result };
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Current heap used, in MiB (after a GC when node runs with --expose-gc). */
export function heapUsedMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Print a markdown table (so the output pastes straight into docs/benchmarks.md). */
export function printMarkdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const cell = (v: string | number) => (typeof v === "number" ? fmtNum(v) : v);
  console.log(`| ${headers.join(" | ")} |`);
  console.log(`|${headers.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.map(cell).join(" | ")} |`);
}

/** Format a number compactly for tables. */
export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  if (Math.abs(v) >= 10) return v.toFixed(1);
  if (Math.abs(v) >= 0.01) return v.toFixed(3);
  return v.toPrecision(3);
}

/** Print the machine line every benchmark starts with. */
export async function printMachine(title: string): Promise<void> {
  const os = await import("node:os");
  console.log(`\n## ${title}`);
  console.log(`node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString().slice(0, 10)}\n`);
}
