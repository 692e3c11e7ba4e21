/**
 * Input handling shared by the CLV models: validation of calibration summaries into columns,
 * and the fitted-model types. Private helpers stay unexported from `index.ts`.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { DateInput, TimeUnit, Transaction } from "../core/types.js";
import { calibrationSummary } from "../summary/summarize.js";
import type { Convergence } from "./optimize.js";

export type { Convergence } from "./optimize.js";

/**
 * One customer's calibration summary as the CLV models read it. A `CalibrationSummary` from
 * `calibrationSummary` is one.
 * @category CLV
 */
export interface ClvCustomer {
  /** Customer id. */
  readonly customerId: string;
  /** Repeat purchases in the calibration period (a non-negative integer). */
  readonly x: number;
  /** Time of the last repeat purchase since the first purchase (0 when x = 0), in model time units. */
  readonly t_x: number;
  /** Time from the first purchase to the end of the calibration period, in model time units. */
  readonly T: number;
  /** Mean value of the repeat purchases (used by Gamma-Gamma; 0 or absent when x = 0). */
  readonly monetaryValue?: number;
}

/**
 * Shared options of the fitting functions.
 * @category CLV
 */
export interface FitOptions {
  /** L2 penalty `penalizer × Σ θ²` on the natural parameters, added to the mean negative log-likelihood (as `lifetimes`' `penalizer_coef`). Default `0`. */
  penalizer?: number;
  /** Largest number of BFGS iterations. Default `500`. */
  maxIterations?: number;
  /** Stop when every gradient component of the mean negative log-likelihood (log parameters) is below this. Default `1e-9`. */
  tolerance?: number;
  /** Throw an `AnalyticsError` with code `"NOT_CONVERGED"` instead of returning a model with `convergence.converged === false`. Default `false`. */
  throwOnNonConvergence?: boolean;
  /** When `data` is a transaction log: last day of the calibration period. Default: the last transaction day. */
  calibrationEnd?: DateInput;
  /** When `data` is a transaction log: the model time unit. Default `"weeks"`. */
  timeUnit?: TimeUnit;
}

export const FIT_DEFAULTS = Object.freeze({
  penalizer: 0,
  maxIterations: 500,
  tolerance: 1e-9,
  throwOnNonConvergence: false,
});

/** Columns of validated customers. @internal */
export interface ClvColumns {
  readonly ids: string[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly m: Float64Array;
}

/** Calibration summaries, or a transaction log (summarised with `calibrationSummary`). */
export type ClvData = readonly ClvCustomer[] | Iterable<Transaction>;

/** Turn fit input (summaries or transactions) into validated columns. @internal */
export function fitInput(data: ClvData, options: FitOptions, fn: string, needMonetary = false): ClvColumns {
  const arr = Array.isArray(data) ? (data as readonly unknown[]) : [...(data as Iterable<unknown>)];
  const first = arr[0] as Record<string, unknown> | undefined;
  if (first !== undefined && first !== null && typeof first === "object" && "date" in first && !("x" in first)) {
    const summaries = calibrationSummary(arr as Transaction[], { calibrationEnd: options.calibrationEnd, timeUnit: options.timeUnit ?? "weeks" });
    return toColumns(summaries, fn, needMonetary);
  }
  return toColumns(arr as readonly ClvCustomer[], fn, needMonetary);
}

/**
 * Validate customers into columns. Rejects (with the customer id) a non-integer or negative x,
 * negative or non-finite t_x / T, t_x > T, and t_x > 0 with x = 0.
 * @internal
 */
export function toColumns(customers: readonly ClvCustomer[], fn: string, needMonetary = false): ClvColumns {
  if (!Array.isArray(customers)) throw new InvalidOptionError(fn, "customers", customers, "an array of { customerId, x, t_x, T } records");
  const n = customers.length;
  const ids = new Array<string>(n);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = customers[i];
    if (c === null || typeof c !== "object") throw new InvalidRecordError(fn, { row: i + 1, field: "customer", value: c, expected: "a { customerId, x, t_x, T } record" });
    const id = c.customerId;
    const row: string | number = typeof id === "string" ? id : i + 1;
    if (typeof id !== "string") throw new InvalidRecordError(fn, { row, field: "customerId", value: id, expected: "a string" });
    const xi = c.x;
    const ti = c.t_x;
    const Ti = c.T;
    if (typeof xi !== "number" || !Number.isInteger(xi) || xi < 0) throw new InvalidRecordError(fn, { row, field: "x", value: xi, expected: "a non-negative integer" });
    if (typeof Ti !== "number" || !Number.isFinite(Ti) || Ti < 0) throw new InvalidRecordError(fn, { row, field: "T", value: Ti, expected: "a finite number >= 0" });
    if (typeof ti !== "number" || !Number.isFinite(ti) || ti < 0) throw new InvalidRecordError(fn, { row, field: "t_x", value: ti, expected: "a finite number >= 0" });
    if (ti > Ti * (1 + 1e-12)) throw new InvalidRecordError(fn, { row, field: "t_x", value: ti, expected: `at most T = ${Ti}` });
    if (xi === 0 && ti !== 0) throw new InvalidRecordError(fn, { row, field: "t_x", value: ti, expected: "0 when x = 0" });
    const mv = c.monetaryValue ?? 0;
    if (needMonetary && xi > 0 && (typeof mv !== "number" || !Number.isFinite(mv) || mv <= 0)) {
      throw new InvalidRecordError(fn, { row, field: "monetaryValue", value: mv, expected: "a finite number > 0 when x > 0" });
    }
    ids[i] = id;
    x[i] = xi;
    tx[i] = Math.min(ti, Ti);
    T[i] = Ti;
    m[i] = mv;
  }
  return { ids, x, tx, T, m };
}

/** Check a fit option. @internal */
export function fitSettings(options: FitOptions, fn: string) {
  const o = { ...FIT_DEFAULTS, ...options };
  if (!(typeof o.penalizer === "number" && Number.isFinite(o.penalizer) && o.penalizer >= 0)) throw new InvalidOptionError(fn, "penalizer", o.penalizer, "a finite number >= 0");
  if (!(Number.isInteger(o.maxIterations) && o.maxIterations >= 1)) throw new InvalidOptionError(fn, "maxIterations", o.maxIterations, "an integer >= 1");
  if (!(typeof o.tolerance === "number" && o.tolerance > 0 && Number.isFinite(o.tolerance))) throw new InvalidOptionError(fn, "tolerance", o.tolerance, "a finite number > 0");
  return o;
}

/** Throw or pass through a non-converged fit. @internal */
export function checkConvergence(fn: string, convergence: Convergence, throwIt: boolean): void {
  if (throwIt && !convergence.converged) {
    throw new AnalyticsError("NOT_CONVERGED", `${fn}: the optimiser did not converge (${convergence.message}; ${convergence.iterations} iterations, gradient ${convergence.gradientNorm.toExponential(2)}); try a larger maxIterations, a penalizer, or check the data`);
  }
}

/** Reject empty fit input. @internal */
export function requireCustomers(n: number, fn: string, what = "customers"): void {
  if (n === 0) throw new AnalyticsError("EMPTY_INPUT", `${fn}: no ${what} to fit; pass at least one calibration summary`);
}

/** Distinct values of an integer column and each row's index into them. @internal */
export function distinctIndex(v: Float64Array): { values: Float64Array; counts: Float64Array; index: Int32Array } {
  const map = new Map<number, number>();
  const index = new Int32Array(v.length);
  const vals: number[] = [];
  for (let i = 0; i < v.length; i++) {
    let k = map.get(v[i]);
    if (k === undefined) {
      k = vals.length;
      vals.push(v[i]);
      map.set(v[i], k);
    }
    index[i] = k;
  }
  const counts = new Float64Array(vals.length);
  for (let i = 0; i < v.length; i++) counts[index[i]]++;
  return { values: Float64Array.from(vals), counts, index };
}

/** Standard errors from the inverse Hessian in log parameters (delta method θ·se(ln θ)). @internal */
export function standardErrorsFrom(theta: readonly number[], cov: Float64Array | null): number[] | null {
  if (!cov) return null;
  const n = theta.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = cov[i * n + i];
    if (!(v >= 0) || !Number.isFinite(v)) return null;
    out.push(theta[i] * Math.sqrt(v));
  }
  return out;
}

const HASH_F64 = new Float64Array(1);
const HASH_U32 = new Uint32Array(HASH_F64.buffer);

function hashDouble(v: number, seed: number): number {
  HASH_F64[0] = v + 0; // -0 -> +0
  let h = Math.imul(seed ^ HASH_U32[0], 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ HASH_U32[1], 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Group identical (x, t_x, T) rows (open-addressing hash on the doubles' bits): the distinct
 * rows and their counts, in first-seen order. Summaries built from purchase dates repeat rows a
 * lot (every x = 0 customer with the same first-purchase day is the same row), so likelihoods
 * evaluated on the distinct rows with weights cost a fraction of the per-customer sum.
 * @internal
 */
export function dedupeTriples(c: { x: Float64Array; tx: Float64Array; T: Float64Array }): {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  w: Float64Array;
  /** For each input row, its distinct row. */
  index: Int32Array;
} {
  const n = c.x.length;
  let cap = 16;
  while (cap < 2 * n) cap <<= 1;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  const ux = new Float64Array(n);
  const ut = new Float64Array(n);
  const uT = new Float64Array(n);
  const w = new Float64Array(n);
  const index = new Int32Array(n);
  let u = 0;
  for (let i = 0; i < n; i++) {
    const x = c.x[i];
    const tx = c.tx[i];
    const T = c.T[i];
    let slot = hashDouble(T, hashDouble(tx, hashDouble(x, 0x12345))) & mask;
    for (;;) {
      const k = table[slot];
      if (k === -1) {
        table[slot] = u;
        ux[u] = x;
        ut[u] = tx;
        uT[u] = T;
        w[u] = 1;
        index[i] = u;
        u++;
        break;
      }
      if (ux[k] === x && ut[k] === tx && uT[k] === T) {
        w[k]++;
        index[i] = k;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { x: ux.slice(0, u), tx: ut.slice(0, u), T: uT.slice(0, u), w: w.slice(0, u), index };
}
