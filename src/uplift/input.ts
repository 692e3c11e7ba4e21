/**
 * Shared input checks of the uplift functions: 0/1 columns, finite scores, equal lengths, both
 * groups present.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * A 0/1 column: numbers 0/1 or booleans, read into a `Uint8Array`.
 * @internal
 */
export function readBinary(fn: string, name: string, values: ArrayLike<number | boolean>, meaning: string): Uint8Array {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") throw new InvalidOptionError(fn, name, values, `an array of 0/1 or true/false (${meaning})`);
  const n = values.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === 1 || v === true) out[i] = 1;
    else if (v !== 0 && v !== false) throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: `0/1 or true/false (${meaning})` });
  }
  return out;
}

/**
 * Finite scores, read into a `Float64Array` (a copy).
 * @internal
 */
export function readScores(fn: string, name: string, values: ArrayLike<number>): Float64Array {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") throw new InvalidOptionError(fn, name, values, "an array of finite numbers (predicted uplift)");
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(typeof v === "number" && Number.isFinite(v))) throw new InvalidRecordError(fn, { row: i + 1, field: name, value: v, expected: "a finite number" });
    out[i] = v;
  }
  return out;
}

/**
 * Throw unless `column` has `n` entries.
 * @internal
 */
export function checkLength(fn: string, name: string, length: number, n: number, first: string): void {
  if (length !== n) throw new InvalidOptionError(fn, name, `${length} values`, `${n} values, as many as ${first}`);
}

/**
 * Count the treated rows and throw `EMPTY_INPUT` when there are no rows, no treated rows or no
 * control rows.
 * @internal
 */
export function countGroups(fn: string, treatment: Uint8Array): { treated: number; control: number } {
  const n = treatment.length;
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no rows`);
  let treated = 0;
  for (let i = 0; i < n; i++) treated += treatment[i];
  if (treated === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no treated rows (treatment = 1); uplift compares a treated group with a control group`);
  if (treated === n) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no control rows (treatment = 0); uplift compares a treated group with a control group`);
  return { treated, control: n - treated };
}
