/** Small console helpers shared by the demo sections and the examples. */

/** Format a number with thousands separators and a fixed number of decimals. */
export function fmt(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined) return "-";
  if (!Number.isFinite(x)) return String(x);
  return x.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Format a share in [0, 1] as a percentage. */
export function pct(x: number, decimals = 1): string {
  return `${(x * 100).toFixed(decimals)}%`;
}

const NUMERIC = /^[-+]?[\d,]*\.?\d+%?$/;

/** Print a heading. */
export function heading(title: string): void {
  console.log(`\n== ${title} ${"=".repeat(Math.max(0, 70 - title.length))}`);
}

/**
 * Print rows as an aligned text table. Numbers are right-aligned.
 * @param rows - the rows.
 * @param columns - [header, accessor] pairs.
 */
export function printTable<T>(rows: readonly T[], columns: readonly [string, (row: T) => string | number][]): void {
  const cells = rows.map((r) => columns.map(([, get]) => get(r)));
  const widths = columns.map(([h], j) => Math.max(h.length, ...cells.map((c) => String(c[j]).length)));
  const line = (vals: (string | number)[]) =>
    vals.map((v, j) => (typeof v === "number" || NUMERIC.test(v) ? String(v).padStart(widths[j]) : String(v).padEnd(widths[j]))).join("  ").trimEnd();
  console.log(line(columns.map(([h]) => h)));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
}

/** Per-call latency of `f(i)` in microseconds: mean and 99th percentile over `n` calls, after 1,000 warm-up calls. */
export function latency(f: (i: number) => unknown, n = 10_000): { mean: number; p99: number } {
  for (let i = 0; i < 1_000; i++) f(i); // let the JIT compile the hot path first
  const us = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f(i);
    us[i] = (performance.now() - t) * 1000;
  }
  us.sort();
  return { mean: us.reduce((s, v) => s + v, 0) / n, p99: us[Math.ceil(0.99 * n) - 1] };
}
