import { InvalidOptionError, InvalidRecordError, type AnalyticsError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { overflowError } from "./overflow.js";

/**
 * Options (the model) of {@link bergerNasrClv}.
 * @category Classic CLV
 */
export interface BergerNasrClvOptions {
  /** Margin (profit) per period while the customer is retained, in currency. Required. */
  margin: number;
  /** Retention rate r per period, in [0, 1). Required. */
  retention: number;
  /** Discount rate d per period, >= 0. Required. */
  discountRate: number;
  /** Horizon: a whole number of periods >= 1, or `"infinite"`. Default `"infinite"`. */
  periods?: number | "infinite";
  /** Acquisition cost, paid once at time 0 and subtracted. Default 0. */
  acquisitionCost?: number;
  /**
   * When the margin of a period arrives: `"end"` (end of each period, first at t = 1) or
   * `"start"` (start of each period, first at t = 0, undiscounted). Default `"end"`.
   */
  timing?: "end" | "start";
}

/**
 * Result of {@link bergerNasrClv}.
 * @category Classic CLV
 */
export interface BergerNasrClvResult {
  /** Customer lifetime value net of the acquisition cost: `grossValue - acquisitionCost`. */
  clv: number;
  /** Present value of the margins, before the acquisition cost. */
  grossValue: number;
  /** `grossValue / margin`: the present value of one unit of margin per period (0 when margin is 0 is not special-cased: it is the multiplier itself). */
  marginMultiple: number;
  /** Expected number of periods the customer pays for within the horizon: sum of r^(t-1), t = 1..n. */
  expectedPeriods: number;
  /** The acquisition cost used. */
  acquisitionCost: number;
}

const BERGER_NASR_DEFAULTS = Object.freeze({ periods: "infinite" as number | "infinite", acquisitionCost: 0, timing: "end" as "end" | "start" });

/**
 * Customer lifetime value with constant retention (Berger & Nasr 1998, case 1; Gupta & Lehmann
 * 2003), in closed form for a finite or infinite horizon.
 *
 * @remarks
 * The customer is retained in period 1 and survives into each later period with probability
 * r; a margin m is earned in each retained period; cash flows are discounted at d per period.
 * With q = r / (1 + d):
 *
 * - `timing: "end"`: value = sum_{t=1..n} m r^(t-1) / (1+d)^t = m / (1+d) * (1 - q^n) / (1 - q);
 *   infinite horizon: m / (1 + d - r).
 * - `timing: "start"`: value = sum_{t=0..n-1} m q^t = m (1 - q^n) / (1 - q);
 *   infinite horizon: m (1 + d) / (1 + d - r).
 *
 * CLV = value - acquisitionCost. Complexity O(1).
 * Sources: Berger, P. D. & Nasr, N. I. (1998), "Customer lifetime value: marketing models and
 * applications", J. Interactive Marketing 12(1); Gupta, S. & Lehmann, D. R. (2003).
 *
 * @param model - margin, retention, discount rate, horizon, acquisition cost, timing.
 * @returns the CLV, the gross value, the margin multiple and the expected paid periods.
 * @throws {@link InvalidOptionError} when a field is missing, not finite, or out of range
 *   (retention outside [0, 1), negative discount rate, periods not a whole number >= 1, negative
 *   acquisition cost, unknown timing).
 * @throws {@link AnalyticsError} `OVERFLOW` when the inputs are finite but the CLV is beyond the
 *   largest double (margin 1e308 with a multiple above 1.8).
 * @example
 * ```ts
 * bergerNasrClv({ margin: 1000, retention: 0.8, discountRate: 0.05 }).clv;
 * //=> 4000
 * bergerNasrClv({ margin: 100, retention: 0.5, discountRate: 0, periods: 2 }).clv;
 * //=> 150
 * ```
 * @category Classic CLV
 */
export function bergerNasrClv(model: BergerNasrClvOptions): BergerNasrClvResult {
  const fn = "bergerNasrClv";
  if (model === null || typeof model !== "object") throw new InvalidOptionError(fn, "model", model, "an object { margin, retention, discountRate, ... }");
  const o = withDefaults(BERGER_NASR_DEFAULTS, model);
  const { margin, retention: r, discountRate: d, periods, acquisitionCost, timing } = o;
  if (typeof margin !== "number" || !Number.isFinite(margin)) throw new InvalidOptionError(fn, "margin", margin, "a finite number");
  if (typeof r !== "number" || !(r >= 0 && r < 1)) throw new InvalidOptionError(fn, "retention", r, "a number in [0, 1)");
  if (typeof d !== "number" || !(d >= 0) || !Number.isFinite(d)) throw new InvalidOptionError(fn, "discountRate", d, "a finite number >= 0");
  if (periods !== "infinite" && !(typeof periods === "number" && Number.isInteger(periods) && periods >= 1)) {
    throw new InvalidOptionError(fn, "periods", periods, 'a whole number >= 1 or "infinite"');
  }
  if (typeof acquisitionCost !== "number" || !(acquisitionCost >= 0) || !Number.isFinite(acquisitionCost)) {
    throw new InvalidOptionError(fn, "acquisitionCost", acquisitionCost, "a finite number >= 0");
  }
  if (timing !== "end" && timing !== "start") throw new InvalidOptionError(fn, "timing", timing, '"end" or "start"');
  const multiple = marginMultiple(r, d, periods, timing);
  const grossValue = margin * multiple;
  if (!Number.isFinite(grossValue - acquisitionCost)) throw overflowError(fn, `the CLV (margin ${margin} x multiple ${multiple.toPrecision(6)} - acquisitionCost)`);
  return { clv: grossValue - acquisitionCost, grossValue, marginMultiple: multiple, expectedPeriods: expectedPeriods(r, periods), acquisitionCost };
}

/** Present value of one unit of margin per retained period (the one formula both entry points use). */
function marginMultiple(r: number, d: number, periods: number | "infinite", timing: "end" | "start"): number {
  if (periods === "infinite") return (timing === "end" ? 1 : 1 + d) / (1 + d - r);
  const q = r / (1 + d);
  const annuity = (1 - Math.pow(q, periods)) / (1 - q); // sum_{t=0..n-1} q^t
  return timing === "end" ? annuity / (1 + d) : annuity;
}

/** sum_{t=1..n} r^(t-1). */
function expectedPeriods(r: number, periods: number | "infinite"): number {
  const rn = periods === "infinite" ? 0 : Math.pow(r, periods);
  return (1 - rn) / (1 - r);
}

/**
 * Model of {@link bergerNasrClvColumns}: the fields of {@link BergerNasrClvOptions}, each
 * per-customer field either one number for everyone or one value per customer (a typed array
 * or any array of numbers, row i = customer i).
 * @category Classic CLV
 */
export interface BergerNasrClvColumns {
  /** Margin per retained period, per customer or one for all. Required. */
  margin: number | ArrayLike<number>;
  /** Retention rate per period in [0, 1), per customer or one for all. Required. */
  retention: number | ArrayLike<number>;
  /** Discount rate per period >= 0, per customer or one for all. Required. */
  discountRate: number | ArrayLike<number>;
  /** Horizon, the same for everyone: a whole number of periods >= 1, or `"infinite"`. Default `"infinite"`. */
  periods?: number | "infinite";
  /** Acquisition cost >= 0, per customer or one for all. Default 0. */
  acquisitionCost?: number | ArrayLike<number>;
  /** `"end"` or `"start"` of each period, the same for everyone. Default `"end"`. */
  timing?: "end" | "start";
}

/**
 * Result of {@link bergerNasrClvColumns}: one `Float64Array` per quantity, row i = customer i.
 * @category Classic CLV
 */
export interface BergerNasrClvColumnsResult {
  /** CLV net of the acquisition cost. */
  clv: Float64Array;
  /** Present value of the margins. */
  grossValue: Float64Array;
  /** grossValue / margin. */
  marginMultiple: Float64Array;
  /** Expected paid periods within the horizon. */
  expectedPeriods: Float64Array;
}

/**
 * {@link bergerNasrClv} for many customers at once: per-customer margins, retention rates,
 * discount rates or acquisition costs as columns in, `Float64Array` columns out. Row i gives
 * exactly what `bergerNasrClv` gives for customer i's numbers.
 *
 * @remarks Formulas: see {@link bergerNasrClv}. Complexity O(customers).
 * @param model - see {@link BergerNasrClvColumns}; at least one field must be a column.
 * @returns CLV, gross value, margin multiple and expected periods per customer.
 * @throws {@link InvalidOptionError} for a bad horizon or timing, no column, or columns of different lengths.
 * @throws {@link InvalidRecordError} for a value out of range (row = 1-based customer row, field = the model field).
 * @example
 * ```ts
 * Array.from(bergerNasrClvColumns({ margin: [1000, 500], retention: 0.8, discountRate: 0.05 }).clv);
 * //=> [4000, 2000]
 * ```
 * @category Classic CLV
 */
export function bergerNasrClvColumns(model: BergerNasrClvColumns): BergerNasrClvColumnsResult {
  const fn = "bergerNasrClvColumns";
  if (model === null || typeof model !== "object") throw new InvalidOptionError(fn, "model", model, "an object { margin, retention, discountRate, ... }");
  const periods = model.periods ?? "infinite";
  const timing = model.timing ?? "end";
  if (periods !== "infinite" && !(typeof periods === "number" && Number.isInteger(periods) && periods >= 1)) {
    throw new InvalidOptionError(fn, "periods", periods, 'a whole number >= 1 or "infinite"');
  }
  if (timing !== "end" && timing !== "start") throw new InvalidOptionError(fn, "timing", timing, '"end" or "start"');
  const fields = { margin: model.margin, retention: model.retention, discountRate: model.discountRate, acquisitionCost: model.acquisitionCost ?? 0 };
  let n = -1;
  for (const [name, v] of Object.entries(fields)) {
    if (typeof v === "number") continue;
    if (v === null || typeof v !== "object" || typeof v.length !== "number") throw new InvalidOptionError(fn, name, v, "a number or one number per customer");
    if (n >= 0 && v.length !== n) throw new InvalidOptionError(fn, name, `${v.length} values`, `${n} values, as the other columns`);
    n = v.length;
  }
  if (n < 0) throw new InvalidOptionError(fn, "model", model, "at least one per-customer column (for a single customer use bergerNasrClv)");
  const at = (v: number | ArrayLike<number>, i: number): unknown => (typeof v === "number" ? v : v[i]);
  const out: BergerNasrClvColumnsResult = { clv: new Float64Array(n), grossValue: new Float64Array(n), marginMultiple: new Float64Array(n), expectedPeriods: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const bad = (field: string, value: unknown, expected: string): never => {
      throw new InvalidRecordError(fn, { row: i + 1, field, value, expected });
    };
    const margin = at(fields.margin, i);
    const r = at(fields.retention, i);
    const d = at(fields.discountRate, i);
    const cost = at(fields.acquisitionCost, i);
    if (typeof margin !== "number" || !Number.isFinite(margin)) bad("margin", margin, "a finite number");
    if (typeof r !== "number" || !(r >= 0 && r < 1)) bad("retention", r, "a number in [0, 1)");
    if (typeof d !== "number" || !(d >= 0) || !Number.isFinite(d)) bad("discountRate", d, "a finite number >= 0");
    if (typeof cost !== "number" || !(cost >= 0) || !Number.isFinite(cost)) bad("acquisitionCost", cost, "a finite number >= 0");
    const multiple = marginMultiple(r as number, d as number, periods, timing);
    const gross = (margin as number) * multiple;
    out.clv[i] = gross - (cost as number);
    if (!Number.isFinite(out.clv[i])) throw overflowError(fn, `the CLV of row ${i + 1} (margin ${margin} x multiple ${multiple.toPrecision(6)} - acquisitionCost)`);
    out.grossValue[i] = gross;
    out.marginMultiple[i] = multiple;
    out.expectedPeriods[i] = expectedPeriods(r as number, periods);
  }
  return out;
}
