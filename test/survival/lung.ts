/**
 * The frozen R reference (test/reference/survival_lung.json, written by
 * test/reference/survival_lung.R with R survival 3.5-3) and comparison helpers.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";

type Num = number | null | "Infinity" | "-Infinity";
/* eslint-disable @typescript-eslint/no-explicit-any */
export const R: any = JSON.parse(readFileSync(new URL("../reference/survival_lung.json", import.meta.url), "utf8"));

/** R's NA (null) as NaN, "Infinity" as Infinity. */
export function num(v: Num): number {
  if (v === null) return Number.NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  return v;
}

/** lung's ph.ecog with NA as NaN (a missing value: the row is left out). */
export const phEcog: number[] = R.phEcog.map(num);

/** Every element within `tol` (absolute), NaN where R has NA, same length. */
export function expectClose(actual: ArrayLike<number>, expected: readonly Num[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = num(expected[i]);
    const a = actual[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) expect([i, a]).toEqual([i, e]);
    else if (Math.abs(a - e) > tol) expect([i, a]).toEqual([i, e]);
  }
}
