/** Column-by-column comparison of engine results with the in-process reference. */
import { expect } from "vitest";
import type { CalibrationTable, CustomerTable } from "../../src/core/table.js";

/** |a - b| <= 1e-9 max(1, |b|), NaN only against NaN. */
export function close(a: number, b: number): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

export function expectColumnsEqual(got: Record<string, unknown>, want: Record<string, unknown>, what: string): void {
  expect(Object.keys(got).sort(), what).toEqual(Object.keys(want).sort());
  expect(got.ids, `${what} ids`).toEqual(want.ids);
  for (const [k, w] of Object.entries(want)) {
    if (w instanceof Int32Array) expect([...(got[k] as Int32Array)], `${what}.${k}`).toEqual([...w]);
    else if (w instanceof Float64Array) {
      const g = got[k] as Float64Array;
      expect(g.length, `${what}.${k} length`).toBe(w.length);
      let bad = -1;
      for (let i = 0; i < w.length && bad < 0; i++) if (!close(g[i], w[i])) bad = i;
      expect(bad < 0 ? "equal" : `row ${bad} (${String(want.ids && (want.ids as string[])[bad])}): ${g[bad]} vs ${w[bad]}`, `${what}.${k}`).toBe("equal");
    }
  }
}

export function expectCustomersEqual(got: CustomerTable, want: CustomerTable, what: string): void {
  expectColumnsEqual(got as unknown as Record<string, unknown>, want as unknown as Record<string, unknown>, what);
}

export function expectCalibrationEqual(got: CalibrationTable, want: CalibrationTable, what: string): void {
  expectColumnsEqual(got as unknown as Record<string, unknown>, want as unknown as Record<string, unknown>, what);
}

