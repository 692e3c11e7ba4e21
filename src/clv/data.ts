/**
 * Input handling shared by the CLV models: validation of calibration summaries into columns,
 * and the fitted-model types. Private helpers stay unexported from `index.ts`.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { DateInput, TimeUnit, Transaction } from "../core/types.js";
import { isTransactionTable } from "../core/columns.js";
import type { TransactionTable } from "../core/table.js";
import { calibrationTable } from "../summary/summarize.js";
import { invertSpd, type Convergence } from "./optimize.js";

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

/**
 * Why customers were left out of a model. `"non-positive-spend"`: a repeat buyer (x > 0) whose
 * mean repeat spend is 0 or negative (returns and cancellations netted against the purchases);
 * the Gamma-Gamma model is defined for positive amounts only.
 * @category CLV
 */
export type ExclusionReason = "non-positive-spend";

/**
 * Customers left out of a model for one reason: how many, and the first few. The same shape as
 * the ingestion report's `rejectedByReason` entries.
 * @category CLV
 */
export interface Exclusion {
  /** Why they were left out. */
  readonly reason: ExclusionReason;
  /** How many customers. */
  readonly count: number;
  /** Up to five of them: customer ids (or 1-based rows for a table without ids), in input order. */
  readonly examples: readonly (string | number)[];
}

/** Number of examples kept per exclusion reason. */
const EXCLUSION_EXAMPLES = 5;

/**
 * The customers the spend model leaves out (x > 0 and a mean repeat spend <= 0): a 0/1 mask by
 * row (`null` when there are none) and the {@link Exclusion} list (empty when there are none).
 * With `weights` (row i standing for `weights[i]` customers), rows of weight 0 are not counted
 * and the count is the total weight.
 * @internal
 */
export function spendExclusions(c: ClvColumns, weights?: Float64Array): { mask: Uint8Array | null; excluded: Exclusion[] } {
  const { x, m, ids } = c;
  const n = x.length;
  if (m.length !== n) return { mask: null, excluded: [] };
  let count = 0;
  if (weights) {
    for (let i = 0; i < n; i++) if (x[i] > 0 && m[i] <= 0 && weights[i] > 0) count += weights[i];
  } else for (let i = 0; i < n; i++) count += +(x[i] > 0) & +(m[i] <= 0);
  if (count === 0) return { mask: null, excluded: [] };
  const mask = new Uint8Array(n);
  const examples: (string | number)[] = [];
  for (let i = 0; i < n; i++) {
    if (x[i] > 0 && m[i] <= 0 && (!weights || weights[i] > 0)) {
      mask[i] = 1;
      if (examples.length < EXCLUSION_EXAMPLES) examples.push(ids.length === n ? ids[i] : i + 1);
    }
  }
  return { mask, excluded: [{ reason: "non-positive-spend", count, examples }] };
}

/** Columns of validated customers. @internal */
export interface ClvColumns {
  /** Customer ids (empty when the input had none: errors then name 1-based rows). */
  readonly ids: readonly string[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  /** Mean repeat value; zero-length when the input has no monetary column. */
  readonly m: Float64Array;
}

/**
 * Calibration summaries as columns, as the columnar CLV functions read them: a
 * `CalibrationTable` is one, and so is any object with `x`, `t_x` and `T` columns of equal
 * length. `Float64Array` columns are read in place (zero-copy); other array-likes (an
 * `Int32Array`, a `number[]`) are copied once.
 * @category CLV
 */
export interface ClvTableInput {
  /** Customer id per row; when given, errors name the customer instead of the 1-based row. Optional. */
  readonly ids?: readonly string[];
  /** Repeat purchases per customer (non-negative integers). */
  readonly x: Float64Array | ArrayLike<number>;
  /** Time of the last repeat purchase since the first purchase (0 when x = 0), model units. */
  readonly t_x: Float64Array | ArrayLike<number>;
  /** Time from the first purchase to the end of the calibration period, model units. */
  readonly T: Float64Array | ArrayLike<number>;
  /** Mean value of the repeat purchases (0 when x = 0); needed by the Gamma-Gamma functions only. */
  readonly monetaryValue?: Float64Array | ArrayLike<number>;
}

/**
 * What the fits read: calibration summaries, a table of columns (a `CalibrationTable`), or a
 * transaction log as records or as a `TransactionTable` (summarised with `calibrationTable`).
 */
export type ClvData = readonly ClvCustomer[] | Iterable<Transaction> | TransactionTable | ClvTableInput;

/** Is `data` a table of columns (not records, not transactions)? @internal */
export function isClvTable(data: unknown): data is ClvTableInput {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const d = data as { x?: unknown };
  return d.x !== undefined && d.x !== null && typeof d.x === "object" && (ArrayBuffer.isView(d.x) || Array.isArray(d.x));
}

/** Turn fit input (summaries, transactions or columns) into validated columns. @internal */
export function fitInput(data: ClvData, options: FitOptions, fn: string, needMonetary = false): ClvColumns {
  if (isClvTable(data)) return tableColumns(data, fn, needMonetary);
  const summarise = (tx: Iterable<Transaction> | TransactionTable) =>
    // errors in the log are reported as calibrationSummary's, as before this path read columns
    tableColumns(calibrationTable(tx, { calibrationEnd: options.calibrationEnd, timeUnit: options.timeUnit ?? "weeks" }, "calibrationSummary"), fn, needMonetary);
  if (isTransactionTable(data)) return summarise(data);
  const arr = Array.isArray(data) ? (data as readonly unknown[]) : [...(data as Iterable<unknown>)];
  const first = arr[0] as Record<string, unknown> | undefined;
  if (first !== undefined && first !== null && typeof first === "object" && "date" in first && !("x" in first)) return summarise(arr as Transaction[]);
  return toColumns(arr as readonly ClvCustomer[], fn, needMonetary);
}

/** What is wrong with a row (`OK` = nothing). The one rule set for records and columns. */
const OK = 0;
const BAD_X = 1;
const BAD_T = 2;
const BAD_TX = 3;
const TX_ABOVE_T = 4;
const TX_WITHOUT_X = 5;
const BAD_M = 6;

/**
 * Check one customer's numbers (already known to be numbers): x a non-negative integer; T and
 * t_x finite and >= 0; t_x <= T (1e-12 relative slack, then clamped); t_x = 0 when x = 0; with
 * `needMonetary`, a finite mean value when x > 0 (one <= 0 is valid input that the spend model
 * leaves out, see {@link spendExclusions}). Written with comparisons that are
 * false for NaN, so one branch-free-ish pass rejects everything.
 */
function rowProblem(x: number, tx: number, T: number, m: number, needMonetary: boolean): number {
  if (!(x >= 0 && x < Infinity && Math.floor(x) === x)) return BAD_X;
  if (!(T >= 0 && T < Infinity)) return BAD_T;
  if (!(tx >= 0 && tx < Infinity)) return BAD_TX;
  if (tx > T && tx > T * (1 + 1e-12)) return TX_ABOVE_T;
  if (x === 0 && tx !== 0) return TX_WITHOUT_X;
  // a finite mean <= 0 (returns netting a customer's repeat spend to zero or below) is not an
  // error: the spend model leaves that customer out (see spendExclusions)
  if (needMonetary && x > 0 && !(m - m === 0)) return BAD_M;
  return OK;
}

function rowError(fn: string, row: string | number, problem: number, x: unknown, tx: unknown, T: unknown, m: unknown): InvalidRecordError {
  switch (problem) {
    case BAD_X:
      return new InvalidRecordError(fn, { row, field: "x", value: x, expected: "a non-negative integer" });
    case BAD_T:
      return new InvalidRecordError(fn, { row, field: "T", value: T, expected: "a finite number >= 0" });
    case BAD_TX:
      return new InvalidRecordError(fn, { row, field: "t_x", value: tx, expected: "a finite number >= 0" });
    case TX_ABOVE_T:
      return new InvalidRecordError(fn, { row, field: "t_x", value: tx, expected: `at most T = ${T}` });
    case TX_WITHOUT_X:
      return new InvalidRecordError(fn, { row, field: "t_x", value: tx, expected: "0 when x = 0" });
    default:
      return new InvalidRecordError(fn, { row, field: "monetaryValue", value: m, expected: "a finite number when x > 0 (a mean <= 0 is left out of the spend model)" });
  }
}

/**
 * Validate customer records into columns (the record-to-column adapter). Rejects (with the
 * customer id) a non-integer or negative x, negative or non-finite t_x / T, t_x > T, and
 * t_x > 0 with x = 0; the same rules as {@link tableColumns}.
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
    if (typeof id !== "string") throw new InvalidRecordError(fn, { row: i + 1, field: "customerId", value: id, expected: "a string" });
    const xi = c.x;
    const ti = c.t_x;
    const Ti = c.T;
    const mv = c.monetaryValue ?? 0;
    if (typeof xi !== "number") throw rowError(fn, id, BAD_X, xi, ti, Ti, mv);
    if (typeof Ti !== "number") throw rowError(fn, id, BAD_T, xi, ti, Ti, mv);
    if (typeof ti !== "number") throw rowError(fn, id, BAD_TX, xi, ti, Ti, mv);
    const mn = typeof mv === "number" ? mv : NaN;
    const problem = rowProblem(xi, ti, Ti, mn, needMonetary);
    if (problem !== OK) throw rowError(fn, id, problem, xi, ti, Ti, mv);
    ids[i] = id;
    x[i] = xi;
    tx[i] = ti > Ti ? Ti : ti;
    T[i] = Ti;
    m[i] = mn;
  }
  return { ids, x, tx, T, m };
}

const EMPTY: Float64Array = new Float64Array(0);

/** A column as a Float64Array: itself when it is one (no copy), else one checked copy. */
function f64Column(v: unknown, fn: string, field: string, ids: readonly string[] | undefined): Float64Array {
  if (v instanceof Float64Array) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Float64Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const e: unknown = v[i];
      if (typeof e !== "number") throw new InvalidRecordError(fn, { row: ids?.[i] ?? i + 1, field, value: e, expected: "a number" });
      out[i] = e;
    }
    return out;
  }
  throw new InvalidOptionError(fn, `table.${field}`, v, "a Float64Array (or an array of numbers) with one value per customer");
}

/**
 * Validate a table of columns in one tight pass over the typed arrays, with the same rules and
 * error fields as {@link toColumns}; `row` is `ids[i]` when the table has ids, else the 1-based
 * row. Float64Array columns are used in place; `t_x` is copied only when a value within the
 * 1e-12 slack above T has to be clamped. With `deferRows` the row checks (x, t_x, T, monetaryValue) are left to
 * the caller (a kernel that runs {@link rowOk} in its own first pass, then {@link checkRows}).
 * @internal
 */
export function tableColumns(table: ClvTableInput, fn: string, needMonetary = false, deferRows = false): ClvColumns {
  if (table === null || typeof table !== "object") throw new InvalidOptionError(fn, "table", table, "a CalibrationTable or { x, t_x, T } columns");
  const ids = table.ids;
  if (ids !== undefined && !Array.isArray(ids)) throw new InvalidOptionError(fn, "table.ids", ids, "an array of customer ids (or no ids)");
  const x = f64Column(table.x, fn, "x", ids);
  let tx: Float64Array = f64Column(table.t_x, fn, "t_x", ids);
  const T = f64Column(table.T, fn, "T", ids);
  const n = x.length;
  let m: Float64Array = EMPTY;
  if (table.monetaryValue !== undefined) m = f64Column(table.monetaryValue, fn, "monetaryValue", ids);
  else if (needMonetary) throw new InvalidOptionError(fn, "table.monetaryValue", undefined, "a monetaryValue column (mean repeat value per customer)");
  for (const [name, col] of [["t_x", tx], ["T", T], ["monetaryValue", m]] as const) {
    if (col.length !== n && !(name === "monetaryValue" && col === EMPTY)) throw new InvalidOptionError(fn, `table.${name}`, `${col.length} values`, `${n} values, as many as table.x`);
  }
  if (ids !== undefined && ids.length !== n) throw new InvalidOptionError(fn, "table.ids", `${ids.length} ids`, `${n} ids, as many as table.x`);
  const needM = needMonetary && m.length === n;
  // Fast pass: every row checked with comparisons combined by `&` (no branch per row; each is
  // false for NaN), which is strict (t_x <= T exactly). Only when it fails does the slow pass
  // find the first row that is really wrong, or the rows whose t_x is a hair above T.
  let ok = 1;
  if (!deferRows) for (let i = 0; i < n; i++) ok &= rowOk(x[i], tx[i], T[i]);
  if (needM && !deferRows) {
    for (let i = 0; i < n; i++) {
      const mi = m[i];
      ok &= +(x[i] === 0) | +(mi - mi === 0);
    }
  }
  if (ok === 1) return { ids: ids ?? [], x, tx, T, m };
  return checkRows({ ids: ids ?? [], x, tx, T, m }, fn, needM);
}

/**
 * 1 when a row passes the fast check, else 0: comparisons combined by `&` (no branch; each is
 * false for NaN), strict (t_x <= T exactly). Six comparisons cover the rules: x - floor(x) = 0
 * (an integer; false for NaN and ±Infinity) and x >= 0; T < Infinity; T - t_x >= 0 and
 * t_x >= 0 (so 0 <= t_x <= T < Infinity; for finite doubles T - t_x >= 0 exactly when
 * t_x <= T); x > 0 or t_x = 0. A 0 sends the table to {@link checkRows}. Shared by
 * {@link tableColumns} and, written out, by kernels that check rows in their own first pass.
 * @internal
 */
export function rowOk(xi: number, ti: number, Ti: number): number {
  return +(xi - Math.floor(xi) === 0) & +(xi >= 0) & +(Ti < Infinity) & +(Ti - ti >= 0) & +(ti >= 0) & (+(xi > 0) | +(ti === 0));
}

/**
 * The slow pass: the first invalid row throws (row, field, value); t_x a hair above T is
 * clamped in a copy.
 * @internal
 */
export function checkRows(c: ClvColumns, fn: string, needM: boolean): ClvColumns {
  const { ids, x, T, m } = c;
  let tx = c.tx;
  const n = x.length;
  let clamp = false;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    const mi = needM ? m[i] : 0;
    const problem = rowProblem(xi, ti, Ti, mi, needM);
    if (problem !== OK) throw rowError(fn, ids.length === n ? ids[i] : i + 1, problem, xi, ti, Ti, mi);
    if (ti > Ti) clamp = true; // t_x a hair above T
  }
  if (clamp) {
    tx = tx.slice();
    for (let i = 0; i < n; i++) if (tx[i] > T[i]) tx[i] = T[i];
  }
  return { ids, x, tx, T, m };
}

/** Check a fit option. @internal */
export function fitSettings(options: FitOptions, fn: string) {
  const o = withDefaults(FIT_DEFAULTS, options); // an explicit undefined means the default
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

/**
 * The common end of every fit: natural parameters from the optimiser's log parameters, standard
 * errors from its Hessian of the mean objective scaled to the total (`n` customers), and the
 * convergence check (throws with `throwOnNonConvergence`). @internal
 */
export function finishFit(
  res: { u: ArrayLike<number>; hessian: Float64Array; convergence: Convergence },
  n: number,
  fn: string,
  throwOnNonConvergence: boolean,
): { theta: number[]; se: number[] | null; cov: number[] | null } {
  const theta = Array.from(res.u, Math.exp);
  const k = theta.length;
  const H = res.hessian;
  for (let i = 0; i < k * k; i++) H[i] *= n;
  const inv = invertSpd(H, k);
  const se = standardErrorsFrom(theta, inv);
  checkConvergence(fn, res.convergence, throwOnNonConvergence);
  return { theta, se, cov: se && inv ? Array.from(inv) : null };
}

/**
 * A fit whose information matrix is not positive definite is at no strict optimum: a parameter
 * is not identified by the data (e.g. nobody repeat-purchased), and the optimiser's "gradient
 * below tolerance" only means it walked to a flat boundary. The MBG/NBD and BG/BB fits report
 * that as `converged: false` with this message (and throw `NOT_CONVERGED` with
 * `throwOnNonConvergence`); BG/NBD and Pareto/NBD keep their earlier behaviour (only
 * `standardErrors: null`). @internal
 */
export function flagUnidentified(fn: string, convergence: Convergence, se: readonly number[] | null, theta: readonly number[], throwIt: boolean): Convergence {
  if (se !== null || !convergence.converged) return convergence;
  const message = `the parameters are not identified by these data (estimates ${theta.map((v) => v.toPrecision(3)).join(", ")}; the information matrix is singular): the likelihood is flat in some direction, e.g. nobody made a repeat purchase, or too few customers; a penalizer makes the fit unique`;
  if (throwIt) throw new AnalyticsError("NOT_CONVERGED", `${fn}: ${message}`);
  return { ...convergence, converged: false, message };
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
  const d = dedupeRows(c.x, c.tx, c.T);
  return { x: d.a, tx: d.b!, T: d.c, w: d.w, index: d.index };
}

/**
 * Group identical (x, T) pairs: the distinct pairs in first-seen order, their counts, and each
 * row's pair. E[Y(t) | alive] depends on a customer only through x and T, and T takes one value
 * per first-purchase day, so a base of millions has a few thousand pairs. @internal
 */
export function dedupePairs(x: Float64Array, T: Float64Array): { x: Float64Array; T: Float64Array; w: Float64Array; index: Int32Array } {
  const d = dedupeRows(x, null, T);
  return { x: d.a, T: d.c, w: d.w, index: d.index };
}

/**
 * Distinct rows of two or three columns. The hash table starts small and doubles when half
 * full, so with few distinct rows it stays in cache (a table sized for every row would not);
 * distinct values live in arrays that grow the same way.
 */
function dedupeRows(
  a: Float64Array,
  b: Float64Array | null,
  c: Float64Array,
): { a: Float64Array; b: Float64Array | null; c: Float64Array; w: Float64Array; index: Int32Array } {
  const n = a.length;
  let cap = 1024;
  let mask = cap - 1;
  let table = new Int32Array(cap).fill(-1);
  let ua = new Float64Array(cap >> 1);
  let ub = new Float64Array(b ? cap >> 1 : 0);
  let uc = new Float64Array(cap >> 1);
  let w = new Float64Array(cap >> 1);
  const index = new Int32Array(n);
  let u = 0;
  const slotOf = (av: number, bv: number, cv: number) => hashDouble(cv, hashDouble(bv, hashDouble(av, 0x12345))) & mask;
  for (let i = 0; i < n; i++) {
    const av = a[i];
    const bv = b ? b[i] : 0;
    const cv = c[i];
    let slot = slotOf(av, bv, cv);
    for (;;) {
      const k = table[slot];
      if (k === -1) {
        table[slot] = u;
        ua[u] = av;
        if (b) ub[u] = bv;
        uc[u] = cv;
        w[u] = 1;
        index[i] = u;
        u++;
        if (2 * u >= cap) {
          // grow: double the table, rehash the distinct rows, widen the value arrays
          cap <<= 1;
          mask = cap - 1;
          table = new Int32Array(cap).fill(-1);
          const grow = (v: Float64Array) => {
            const g = new Float64Array(cap >> 1);
            g.set(v);
            return g;
          };
          ua = grow(ua);
          if (b) ub = grow(ub);
          uc = grow(uc);
          w = grow(w);
          for (let k2 = 0; k2 < u; k2++) {
            let s = slotOf(ua[k2], b ? ub[k2] : 0, uc[k2]);
            while (table[s] !== -1) s = (s + 1) & mask;
            table[s] = k2;
          }
        }
        break;
      }
      if (ua[k] === av && uc[k] === cv && (!b || ub[k] === bv)) {
        w[k]++;
        index[i] = k;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { a: ua.slice(0, u), b: b ? ub.slice(0, u) : null, c: uc.slice(0, u), w: w.slice(0, u), index };
}
