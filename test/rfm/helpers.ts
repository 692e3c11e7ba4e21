/** Test helpers for the segmentation tests (not a test file). */
import { createRng, sampleGamma, type CustomerSummary, type RfmColumnsInput, type RfmInput } from "../../src/index.js";

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

/** Seeded synthetic base (heavy-tailed counts and amounts, as benchmarks/segmentation.bench.ts). */
export function syntheticBase(n: number, seed: number): { cols: RfmColumnsInput & { ids: string[]; averageOrderValue: Float64Array }; records: CustomerSummary[] } {
  const rng = createRng(seed);
  const ids = new Array<string>(n);
  const recencyDays = new Int32Array(n);
  const frequency = new Int32Array(n);
  const totalSpend = new Float64Array(n);
  const averageOrderValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rate = sampleGamma(rng, 0.8, 1.5);
    let f = 1;
    while (f < 200 && rng.next() < rate / (1 + rate)) f++;
    const aov = Math.round(sampleGamma(rng, 2, 20) * 100) / 100 + 1;
    ids[i] = `C${i}`;
    frequency[i] = f;
    totalSpend[i] = Math.round(f * aov * 100) / 100;
    averageOrderValue[i] = totalSpend[i] / f;
    recencyDays[i] = Math.floor(730 * Math.pow(rng.next(), f > 2 ? 2 : 1));
  }
  const recs = ids.map((customerId, i) => ({ customerId, recencyDays: recencyDays[i], frequency: frequency[i], totalSpend: totalSpend[i], averageOrderValue: averageOrderValue[i] }) as CustomerSummary);
  return { cols: { ids, recencyDays, frequency, totalSpend, averageOrderValue }, records: recs };
}

