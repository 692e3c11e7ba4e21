/** Test helpers for the segmentation tests (not a test file). */
import type { RfmInput } from "../../src/index.js";

/** Build RFM inputs from raw columns (missing columns default to 1). */
export function inputs(cols: { r?: readonly number[]; f?: readonly number[]; m?: readonly number[]; aov?: readonly number[] }): RfmInput[] {
  const n = Math.max(cols.r?.length ?? 0, cols.f?.length ?? 0, cols.m?.length ?? 0, cols.aov?.length ?? 0);
  return Array.from({ length: n }, (_, i) => ({
    customerId: `c${i}`,
    recencyDays: cols.r?.[i] ?? 1,
    frequency: cols.f?.[i] ?? 1,
    totalSpend: cols.m?.[i] ?? 1,
    averageOrderValue: cols.aov?.[i] ?? 1,
  }));
}

/** Run f and return what it threw (fails the test when nothing is thrown). */
export function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
