/**
 * Pure functions over a fitted model: expected purchases, P(alive), purchase-count
 * probabilities, expected spend and customer lifetime value.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { bgAliveExpectation, bgPAliveInto, bgPmf, type BgNbdModel } from "./bgnbd.js";
import { checkRows, dedupePairs, dedupeTriples, spendExclusions, tableColumns, toColumns, type ClvColumns, type ClvCustomer, type ClvTableInput, type Exclusion, type ExclusionReason } from "./data.js";
import { overflowError } from "../value/overflow.js";
import { ggConditionalSpend, requireFiniteMean, type GammaGammaModel, type GammaGammaParams } from "./gammagamma.js";
import { paretoAliveExpectation, paretoPAlive, paretoPmf, type ParetoNbdModel } from "./paretonbd.js";
import { mbgAliveExpectation, mbgPAlive, mbgPAliveInto, mbgPmf, type MbgNbdModel } from "./mbgnbd.js";

/**
 * A fitted purchase-count model: BG/NBD, MBG/NBD or Pareto/NBD.
 * @category CLV
 */
export type TransactionModel = BgNbdModel | ParetoNbdModel | MbgNbdModel;

/**
 * A customer's expected purchases.
 * @category CLV
 */
export interface CustomerExpectedPurchases {
  /** Customer id. */
  readonly customerId: string;
  /** E[Y(t) | x, t_x, T]. */
  readonly expectedPurchases: number;
}

/**
 * A customer's probability of being alive.
 * @category CLV
 */
export interface CustomerPAlive {
  /** Customer id. */
  readonly customerId: string;
  /** P(alive at the end of the calibration period), in [0, 1]. */
  readonly pAlive: number;
}

/**
 * A customer's expected mean transaction value.
 * @category CLV
 */
export interface CustomerExpectedSpend {
  /** Customer id. */
  readonly customerId: string;
  /** Gamma-Gamma E[Z | x, z̄]; 0 for a customer left out of the spend model (see `excluded`). */
  readonly expectedSpend: number;
  /** Present when the customer is left out of the spend model: a repeat buyer with a mean repeat spend <= 0 (`"non-positive-spend"`). */
  readonly excluded?: ExclusionReason;
}

const positive = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;

/** Check a transaction model's tag and parameters. @internal */
export function checkTransactionModel(model: TransactionModel, fn: string, option = "model"): void {
  const m = model as unknown as { model?: unknown; params?: Record<string, unknown> } | null;
  const keys = m?.model === "bg-nbd" || m?.model === "mbg-nbd" ? ["r", "alpha", "a", "b"] : m?.model === "pareto-nbd" ? ["r", "alpha", "s", "beta"] : null;
  if (!keys || !m?.params || !keys.every((k) => positive(m.params?.[k]))) {
    throw new InvalidOptionError(fn, option, m?.model ?? model, 'a fitted "bg-nbd", "mbg-nbd" or "pareto-nbd" model with positive finite parameters (from fitBgNbd / fitMbgNbd / fitParetoNbd)');
  }
}

function checkSpendModel(model: GammaGammaModel, fn: string): void {
  const m = model as unknown as { model?: unknown; params?: Record<string, unknown> } | null;
  if (m?.model !== "gamma-gamma" || !["p", "q", "gamma"].every((k) => positive(m.params?.[k]))) {
    throw new InvalidOptionError(fn, "spendModel", m?.model ?? model, 'a fitted "gamma-gamma" model with positive finite parameters (from fitGammaGamma)');
  }
  requireFiniteMean(model, fn);
}

function checkTime(t: unknown, fn: string, option = "t"): number {
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) throw new InvalidOptionError(fn, option, t, "a finite number >= 0 (model time units)");
  return t;
}

/** P(alive) column; Pareto/NBD evaluates each distinct (x, t_x, T) row once. @internal */
export function pAliveColumn(model: TransactionModel, c: ClvColumns): Float64Array {
  const n = c.x.length;
  const out = new Float64Array(n);
  if (model.model === "bg-nbd") {
    bgPAliveInto(model.params, c.x, c.tx, c.T, out);
    return out;
  }
  if (model.model === "mbg-nbd") {
    mbgPAliveInto(model.params, c.x, c.tx, c.T, out);
    return out;
  }
  const d = dedupeTriples(c);
  const u = new Float64Array(d.x.length);
  for (let k = 0; k < u.length; k++) u[k] = paretoPAlive(model.params, d.x[k], d.tx[k], d.T[k]);
  for (let i = 0; i < n; i++) out[i] = u[d.index[i]];
  return out;
}

/**
 * Apply `f(x, T)` once per distinct (x, T) pair and scatter to the customers. E[Y(t) | alive]
 * depends on a customer only through x and T, and summaries built from purchase dates repeat
 * (x, T) pairs a lot (T takes one value per first-purchase day). @internal
 */
export function perXT(c: ClvColumns, f: (x: number, T: number) => number): Float64Array {
  const n = c.x.length;
  const d = dedupePairs(c.x, c.T);
  const u = new Float64Array(d.x.length);
  for (let k = 0; k < u.length; k++) u[k] = f(d.x[k], d.T[k]);
  const out = new Float64Array(n);
  const index = d.index;
  for (let i = 0; i < n; i++) out[i] = u[index[i]];
  return out;
}

/** The E[Y(t) | x, T, alive] formula of a model. */
function aliveExpectationOf(model: TransactionModel): (p: never, x: number, T: number, t: number) => number {
  return model.model === "bg-nbd" ? bgAliveExpectation : model.model === "mbg-nbd" ? mbgAliveExpectation : paretoAliveExpectation;
}

/** E[Y(t) | alive] column for one t per customer (`t` a number or a column). @internal */
export function aliveExpectationColumn(model: TransactionModel, c: ClvColumns, t: number | Float64Array): Float64Array {
  const f = aliveExpectationOf(model);
  const params = model.params as never;
  if (typeof t === "number") return perXT(c, (x, T) => f(params, x, T, t));
  const out = new Float64Array(c.x.length);
  for (let i = 0; i < out.length; i++) out[i] = f(params, c.x[i], c.T[i], t[i]);
  return out;
}

/** Conditional expectation column. @internal */
export function conditionalColumn(model: TransactionModel, c: ClvColumns, t: number | Float64Array): Float64Array {
  const e = aliveExpectationColumn(model, c, t);
  const pa = pAliveColumn(model, c);
  for (let i = 0; i < e.length; i++) e[i] *= pa[i];
  return e;
}

/** Gamma-Gamma E[Z | x, z̄] column (x = 0: the population mean, whatever z̄ holds). @internal */
export function spendColumn(par: GammaGammaParams, c: ClvColumns): Float64Array {
  const out = new Float64Array(c.x.length);
  spendInto(par, c, out);
  return out;
}

/**
 * E[Z | x, z̄] of every row into `out`, checking the rows on the way (x, t_x, T by the `rowOk`
 * rule of data.ts; z̄ finite where x > 0); returns 1 when all passed. Rows with x > 0 and
 * z̄ <= 0 are outside the spend model and get 0. Branch-free: the
 * formula p(γ + x z̄)/(px + q - 1) at x = 0 gives exactly the population mean pγ/(q - 1) (the
 * same bits: γ + 0 = γ, p·0 + q - 1 = q - 1) whenever z̄ is finite, so only a base with a
 * non-finite z̄ on an x = 0 row needs the second pass that writes the mean there. @internal
 */
export function spendInto(par: GammaGammaParams, c: ClvColumns, out: Float64Array): number {
  const { p, q, gamma } = par;
  const mean = ggConditionalSpend(par, 0, 0);
  const { x, tx, T, m } = c;
  const n = x.length;
  let ok = 1;
  let finite = 1;
  let nonPositive = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const ti = tx[i];
    const Ti = T[i];
    const mi = m[i];
    out[i] = (p * (gamma + xi * mi)) / (p * xi + q - 1);
    finite &= +(mi - mi === 0);
    nonPositive |= +(xi > 0) & +(mi <= 0);
    // rowOk(xi, ti, Ti) of data.ts plus the monetary rule, written out (a call is not inlined here)
    ok &= +(xi - Math.floor(xi) === 0) & +(xi >= 0) & +(Ti < Infinity) & +(Ti - ti >= 0) & +(ti >= 0) & (+(xi > 0) | +(ti === 0)) & (+(xi === 0) | +(mi - mi === 0));
  }
  if (finite === 0) for (let i = 0; i < n; i++) if (x[i] === 0) out[i] = mean;
  // repeat buyers with a mean spend <= 0 are outside the spend model: valued at 0
  if (nonPositive === 1) for (let i = 0; i < n; i++) if (x[i] > 0 && m[i] <= 0) out[i] = 0;
  // p (γ + x z̄) overflows for huge amounts (z̄ 1e300) although the mean spend is about z̄: those
  // rows again in the form γ p/(px + q - 1) + z̄ px/(px + q - 1), whose terms are at most the result
  if (ok === 1) {
    for (let i = 0; i < n; i++) {
      if (out[i] < Infinity) continue;
      const den = p * x[i] + q - 1;
      out[i] = gamma * (p / den) + m[i] * ((p * x[i]) / den);
    }
  }
  return ok;
}

/** Validate a table argument of a column function. */
function tableInput(table: ClvTableInput, fn: string, needMonetary = false): ClvColumns {
  return tableColumns(table, fn, needMonetary);
}

/**
 * Options of {@link probabilityAliveColumn} (none yet; kept for the one-options-object shape).
 * @category CLV
 */
export type ProbabilityAliveColumnOptions = Record<string, never>;

/**
 * P(alive) of every customer of a table, as a column: the columnar form of
 * {@link probabilityAlive}, same formula and same numbers.
 *
 * @remarks
 * BG/NBD: 1 / (1 + 1{x>0} · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)) (Fader, Hardie & Lee 2005),
 * evaluated as a logistic of its log; Pareto/NBD: e^A1 / (e^A1 + e^A2), once per distinct
 * (x, t_x, T) row. The table is validated in one pass over its typed arrays (the rules of the
 * record form) and read in place when its columns are `Float64Array`s. O(n); BG/NBD costs one
 * log and one exp per customer with x > 0 (`docs/benchmarks.md` has the 1M-customer timing).
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param table - a `CalibrationTable`, or any {@link ClvTableInput} (`x`, `t_x`, `T` columns).
 * @param options - none yet.
 * @returns a new `Float64Array`, row `i` = P(alive) of customer `i`, in [0, 1].
 * @throws {@link InvalidRecordError} for an invalid value (`row` = `table.ids[i]`, or the 1-based row without ids; `field`, `value`).
 * @throws {@link InvalidOptionError} for an invalid model, or columns of different lengths.
 * @example
 * ```ts
 * const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const table = { x: Float64Array.of(0, 2, 2), t_x: Float64Array.of(0, 30.43, 5), T: Float64Array.of(30, 38.86, 38.86) };
 * Array.from(probabilityAliveColumn(model, table), (p) => +p.toFixed(4));
 * //=> [1, 0.7266, 0.1237]
 * ```
 * @category CLV
 */
export function probabilityAliveColumn(model: TransactionModel, table: ClvTableInput, options: ProbabilityAliveColumnOptions = {}): Float64Array {
  const fn = "probabilityAliveColumn";
  void options;
  checkTransactionModel(model, fn);
  if (model.model === "pareto-nbd") return pAliveColumn(model, tableInput(table, fn));
  // BG/NBD and MBG/NBD: the kernel checks the rows as it goes (no separate validation pass);
  // only when a row fails is the table validated properly (throws, or clamps t_x) and recomputed.
  const kernel = model.model === "bg-nbd" ? bgPAliveInto : mbgPAliveInto;
  const c = tableColumns(table, fn, false, true);
  const out = new Float64Array(c.x.length);
  if (kernel(model.params, c.x, c.tx, c.T, out) === 1) return out;
  const v = checkRows(c, fn, false);
  kernel(model.params, v.x, v.tx, v.T, out);
  return out;
}

/**
 * Options of {@link conditionalExpectedPurchasesColumn}.
 * @category CLV
 */
export interface ConditionalExpectedPurchasesColumnOptions {
  /** Length of the future period, in model time units. Required (no default). */
  t: number;
}

/**
 * Expected purchases of every customer of a table in the next `t` time units,
 * E[Y(t) | x, t_x, T], as a column: the columnar form of {@link conditionalExpectedPurchases}.
 *
 * @remarks
 * Same formulas as the record form (BG/NBD: Fader, Hardie & Lee 2005, eq. 10 via the
 * Euler-transformed 2F1; Pareto/NBD: Schmittlein et al. 1987). E[Y(t) | alive] depends on a
 * customer only through (x, T), so the series is summed once per distinct pair (a few thousand
 * for millions of customers whose T comes from purchase days) and multiplied by the per-row
 * P(alive). O(n + pairs · series terms).
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param table - a `CalibrationTable`, or any {@link ClvTableInput}.
 * @param options - see {@link ConditionalExpectedPurchasesColumnOptions}.
 * @returns a new `Float64Array` of expected purchases, by row.
 * @throws {@link InvalidRecordError} for an invalid value (row, field, value).
 * @throws {@link InvalidOptionError} for an invalid model, t, or columns of different lengths.
 * @example
 * ```ts
 * const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const table = { ids: ["0001", "0002"], x: Float64Array.of(2, 0), t_x: Float64Array.of(30.43, 0), T: Float64Array.of(38.86, 38.86) };
 * Array.from(conditionalExpectedPurchasesColumn(model, table, { t: 39 }), (v) => v.toFixed(3));
 * //=> ["1.226", "0.195"]
 * ```
 * @category CLV
 */
export function conditionalExpectedPurchasesColumn(model: TransactionModel, table: ClvTableInput, options: ConditionalExpectedPurchasesColumnOptions): Float64Array {
  const fn = "conditionalExpectedPurchasesColumn";
  checkTransactionModel(model, fn);
  const t = checkTime(options?.t, fn);
  return conditionalColumn(model, tableInput(table, fn), t);
}

/**
 * Options of {@link conditionalExpectedSpendColumn} (none yet).
 * @category CLV
 */
export type ConditionalExpectedSpendColumnOptions = Record<string, never>;

/**
 * Gamma-Gamma expected mean transaction value of every customer of a table, as a column: the
 * columnar form of {@link conditionalExpectedSpend}.
 *
 * @remarks
 * E[Z | x, z̄] = p(γ + x z̄)/(px + q - 1) (Fader, Hardie & Lee 2005b); x = 0 gives the
 * population mean pγ/(q-1). Needs q > 1 and a `monetaryValue` column (finite where x > 0; not
 * read where x = 0). A repeat buyer whose mean spend is 0 or negative (returns) is outside the
 * model and gets 0 (see `docs/clv.md`, "Returns"; {@link customerLifetimeValueColumns} counts
 * them in `excluded`). O(n).
 *
 * @param spendModel - a fitted Gamma-Gamma model.
 * @param table - a `CalibrationTable`, or any {@link ClvTableInput} with `monetaryValue`.
 * @param options - none yet.
 * @returns a new `Float64Array` of expected spend, by row.
 * @throws {@link InvalidRecordError} for an invalid value, or x > 0 with a `monetaryValue` that is not a finite number.
 * @throws {@link InvalidOptionError} for an invalid model, q <= 1, or a missing `monetaryValue` column.
 * @example
 * ```ts
 * const gg = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;
 * const table = { x: Float64Array.of(0, 2), t_x: Float64Array.of(0, 30.43), T: Float64Array.of(30, 38.86), monetaryValue: Float64Array.of(0, 22.35) };
 * Array.from(conditionalExpectedSpendColumn(gg, table), (v) => v.toFixed(2));
 * //=> ["35.22", "24.66"]
 * ```
 * @category CLV
 */
export function conditionalExpectedSpendColumn(spendModel: GammaGammaModel, table: ClvTableInput, options: ConditionalExpectedSpendColumnOptions = {}): Float64Array {
  const fn = "conditionalExpectedSpendColumn";
  void options;
  checkSpendModel(spendModel, fn);
  // the kernel checks the rows in its own pass; only when one fails is the table validated
  // properly (throws with row, field and value, or clamps t_x) and recomputed
  const c = tableColumns(table, fn, true, true);
  const out = new Float64Array(c.x.length);
  if (spendInto(spendModel.params, c, out) === 1) return out;
  return spendColumn(spendModel.params, checkRows(c, fn, true));
}

/**
 * Expected number of purchases of a new customer in `t` time units, E[X(t)].
 *
 * @remarks
 * BG/NBD (Fader, Hardie & Lee 2005, eq. 9): (a+b-1)/(a-1) · [1 - (α/(α+t))^r 2F1(r, b; a+b-1; t/(α+t))],
 * evaluated through the Euler transformation so it is continuous at a = 1.
 * MBG/NBD (Batislam et al. 2007; Wagner & Hoppe 2008): b/(a-1) · [1 - (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))].
 * Pareto/NBD: rβ/(α(s-1)) · [1 - (β/(β+t))^(s-1)], continuous at s = 1.
 * On CDNOW the BG/NBD gives 1.8580 at t = 78 weeks (published: 1.8576; scipy's hyp2f1 agrees
 * with our 1.857958 to 1e-12).
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param t - length of the period, in model time units.
 * @returns E[X(t)].
 * @throws {@link InvalidOptionError} for an invalid model or t.
 * @example
 * ```ts
 * const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * expectedPurchases(model, 39).toFixed(4);
 * //=> "1.1967"
 * ```
 * @category CLV
 */
export function expectedPurchases(model: TransactionModel, t: number): number {
  const fn = "expectedPurchases";
  checkTransactionModel(model, fn);
  checkTime(t, fn);
  if (model.model === "bg-nbd") return bgAliveExpectation(model.params, 0, 0, t);
  // MBG/NBD: a new customer is alive after the first purchase with probability b/(a+b)
  if (model.model === "mbg-nbd") return mbgAliveExpectation(model.params, 0, 0, t) * mbgPAlive(model.params, 0, 0, 0);
  return paretoAliveExpectation(model.params, 0, 0, t);
}

/**
 * Options of {@link conditionalExpectedPurchases}.
 * @category CLV
 */
export interface ConditionalExpectedPurchasesOptions {
  /** Length of the future period, in model time units. Required (no default). */
  t: number;
}

/**
 * Expected purchases of each customer in the next `t` time units given the history,
 * E[Y(t) | x, t_x, T].
 *
 * @remarks
 * BG/NBD: Fader, Hardie & Lee (2005), eq. 10, via the Euler-transformed 2F1 (small series
 * parameters for any x). MBG/NBD: (a+b+x)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(α+T+t))] ·
 * P(alive) (Wagner & Hoppe 2008), the same kernel with b + 1 for b. Pareto/NBD: (r+x)(β+T)/((α+T)(s-1)) · [1 - ((β+T)/(β+T+t))^(s-1)] ·
 * P(alive) (Schmittlein et al. 1987). CDNOW customer 0001 (x = 2, t_x = 30.43, T = 38.86),
 * BG/NBD, t = 39: 1.226.
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param customers - calibration summaries.
 * @param options - see {@link ConditionalExpectedPurchasesOptions}.
 * @returns one `{ customerId, expectedPurchases }` per customer, in input order.
 * @throws {@link InvalidRecordError} for an invalid customer (named by id).
 * @throws {@link InvalidOptionError} for an invalid model or t.
 * @example
 * ```ts
 * const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * conditionalExpectedPurchases(model, [{ customerId: "0001", x: 2, t_x: 30.43, T: 38.86 }], { t: 39 })[0].expectedPurchases.toFixed(3);
 * //=> "1.226"
 * ```
 * @category CLV
 */
export function conditionalExpectedPurchases(
  model: TransactionModel,
  customers: readonly ClvCustomer[],
  options: ConditionalExpectedPurchasesOptions,
): CustomerExpectedPurchases[] {
  const fn = "conditionalExpectedPurchases";
  checkTransactionModel(model, fn);
  const t = checkTime(options?.t, fn);
  const c = toColumns(customers, fn);
  const v = conditionalColumn(model, c, t);
  const out = new Array<CustomerExpectedPurchases>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = { customerId: c.ids[i], expectedPurchases: v[i] };
  return out;
}

/**
 * Probability that each customer is still active ("alive") at the end of the calibration period.
 *
 * @remarks
 * BG/NBD: 1 / (1 + 1{x>0} · a/(b+x-1) · ((α+T)/(α+t_x))^(r+x)) (Fader, Hardie & Lee 2005):
 * exactly 1 for x = 0, because the BG/NBD only lets customers drop out right after a purchase.
 * MBG/NBD: 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)) (Batislam et al. 2007), below 1 for x = 0 too.
 * Pareto/NBD: the share of the likelihood from "still alive at T", e^A1 / (e^A1 + e^A2).
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param customers - calibration summaries.
 * @returns one `{ customerId, pAlive }` per customer, in input order, pAlive in [0, 1].
 * @throws {@link InvalidRecordError} for an invalid customer.
 * @throws {@link InvalidOptionError} for an invalid model.
 * @example
 * ```ts
 * const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * probabilityAlive(model, [{ customerId: "new", x: 0, t_x: 0, T: 30 }])[0].pAlive;
 * //=> 1
 * ```
 * @category CLV
 */
export function probabilityAlive(model: TransactionModel, customers: readonly ClvCustomer[]): CustomerPAlive[] {
  const fn = "probabilityAlive";
  checkTransactionModel(model, fn);
  const c = toColumns(customers, fn);
  const v = pAliveColumn(model, c);
  const out = new Array<CustomerPAlive>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = { customerId: c.ids[i], pAlive: v[i] };
  return out;
}

/** Largest excursion outside [0, 1] taken as rounding in {@link probabilityOfPurchases}. */
const PMF_ROUNDING = 1e-12;

/**
 * Probability that a new customer makes exactly `k` purchases in `t` time units, P(X(t) = k).
 *
 * @remarks
 * BG/NBD: Fader, Hardie & Lee (2005), eq. 8 (the complement 1 - Σ_{j<k} NB(j) is summed as the
 * upper tail when that is the smaller side). Pareto/NBD: NB(k; t)·P(alive at t) plus the
 * integral over the dropout time τ < t of NB(k; τ)·sβ^s/(β+τ)^(s+1), by adaptive Simpson on 64
 * panels (absolute error about 1e-12).
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param k - number of purchases (integer >= 0).
 * @param t - length of the period, in model time units.
 * @returns P(X(t) = k), in [0, 1]; summed over k it is 1.
 * @throws {@link InvalidOptionError} for an invalid model, k or t.
 * @throws {@link AnalyticsError} `NOT_CONVERGED` when the evaluation fails (a Pareto/NBD dropout
 * integral the adaptive rule cannot resolve, a BG/NBD tail that does not converge, or a value
 * outside [0, 1] by more than 1e-12); the value is never clamped to hide it.
 * @example
 * ```ts
 * const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * probabilityOfPurchases(model, 0, 39).toFixed(3);
 * //=> "0.574"
 * ```
 * @category CLV
 */
export function probabilityOfPurchases(model: TransactionModel, k: number, t: number): number {
  const fn = "probabilityOfPurchases";
  checkTransactionModel(model, fn);
  if (!(Number.isInteger(k) && k >= 0)) throw new InvalidOptionError(fn, "k", k, "an integer >= 0");
  checkTime(t, fn);
  const v = model.model === "bg-nbd" ? bgPmf(model.params, k, t) : model.model === "mbg-nbd" ? mbgPmf(model.params, k, t) : paretoPmf(model.params, k, t);
  // Only rounding is absorbed (a sum of terms that is 1 + 2e-16, or a quadrature at -1e-17 where
  // the probability is 0); anything further out means the evaluation failed and is reported.
  if (v >= 0 && v <= 1) return v;
  if (v > -PMF_ROUNDING && v < 1 + PMF_ROUNDING) return v < 0 ? 0 : 1;
  throw new AnalyticsError("NOT_CONVERGED", `${fn}: P(X(${t}) = ${k}) evaluated to ${v}, outside [0, 1] by more than rounding; the ${model.model} formula lost accuracy for these parameters`);
}

/**
 * Expected mean transaction value of each customer under the Gamma-Gamma model.
 *
 * @remarks
 * E[Z | x, z̄] = p(γ + x z̄)/(px + q - 1) = (q-1)/(px+q-1) · pγ/(q-1) + px/(px+q-1) · z̄
 * (Fader, Hardie & Lee 2005b): a weighted average of the population mean pγ/(q-1) and the
 * customer's own mean, weighted towards the latter as x grows. Customers with x = 0 get the
 * population mean. Needs q > 1. A repeat buyer whose mean spend is 0 or negative (returns) is
 * outside the model: expectedSpend 0 and `excluded: "non-positive-spend"`.
 *
 * @param spendModel - a fitted Gamma-Gamma model.
 * @param customers - calibration summaries with `monetaryValue` (0 or absent when x = 0).
 * @returns one `{ customerId, expectedSpend }` per customer, in input order.
 * @throws {@link InvalidRecordError} for an invalid customer, or x > 0 with a `monetaryValue` that is not a finite number.
 * @throws {@link InvalidOptionError} for an invalid model or q <= 1.
 * @example
 * ```ts
 * const gg = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;
 * conditionalExpectedSpend(gg, [{ customerId: "a", x: 0, t_x: 0, T: 30 }])[0].expectedSpend.toFixed(2);
 * //=> "35.22"
 * ```
 * @category CLV
 */
export function conditionalExpectedSpend(spendModel: GammaGammaModel, customers: readonly ClvCustomer[]): CustomerExpectedSpend[] {
  const fn = "conditionalExpectedSpend";
  checkSpendModel(spendModel, fn);
  const c = toColumns(customers, fn, true);
  const v = spendColumn(spendModel.params, c);
  const { mask } = spendExclusions(c);
  const out = new Array<CustomerExpectedSpend>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = mask?.[i] ? { customerId: c.ids[i], expectedSpend: 0, excluded: "non-positive-spend" } : { customerId: c.ids[i], expectedSpend: v[i] };
  return out;
}

/**
 * Options of {@link customerLifetimeValue}.
 * @category CLV
 */
export interface CustomerLifetimeValueOptions {
  /** Number of discounting periods to sum (e.g. 12 months). Default `12`. */
  horizon?: number;
  /** Discount rate per discounting period (e.g. 0.01 a month). Default `0.01`. */
  discountRate?: number;
  /** Share of revenue kept as profit, applied to the expected spend. Default `1` (revenue CLV). */
  margin?: number;
  /** Model time units in one discounting period (4.345 weeks per month, 30 days per month, 1 when they are the same). Default `4.345`. */
  periodsPerUnit?: number;
}

const CLV_DEFAULTS = Object.freeze({ horizon: 12, discountRate: 0.01, margin: 1, periodsPerUnit: 4.345 });

/**
 * One customer's lifetime value with its ingredients.
 * @category CLV
 */
export interface CustomerLifetimeValue {
  /** Customer id. */
  readonly customerId: string;
  /** Discounted expected margin over the horizon. */
  readonly clv: number;
  /** Undiscounted expected purchases over the horizon. */
  readonly expectedPurchases: number;
  /** Gamma-Gamma expected mean transaction value (0 for a customer left out of the spend model). */
  readonly expectedSpend: number;
  /** P(alive) at the end of the calibration period. */
  readonly pAlive: number;
  /**
   * Present when the customer is left out of the spend model: a repeat buyer whose mean repeat
   * spend is 0 or negative (`"non-positive-spend"`, returns netted against purchases). Such a
   * customer's `clv` and `expectedSpend` are 0; `expectedPurchases` and `pAlive` are computed.
   */
  readonly excluded?: ExclusionReason;
}

/**
 * Discounted customer lifetime value from a purchase-count model and a spend model.
 *
 * @remarks
 * With f = `periodsPerUnit`, d = `discountRate`, H = `horizon`, margin m and expected spend
 * E[Z] (Gamma-Gamma):
 * CLV = m · E[Z] · Σ_{k=1..H} (E[Y(k f)] - E[Y((k-1) f)]) / (1 + d)^k,
 * i.e. the purchases expected in discounting period k are valued at the end of that period
 * (the convention of `lifetimes`' `customer_lifetime_value`, whose `freq="W"` factor is 4.345).
 * Spend and purchase counts are treated as independent, as the Gamma-Gamma model assumes.
 *
 * Returns: a repeat buyer whose mean repeat spend is 0 or negative is outside the Gamma-Gamma
 * model. Such a customer is left out of the spend model and valued at 0 (`clv` and
 * `expectedSpend` 0, `excluded: "non-positive-spend"`); their expected purchases and P(alive)
 * are still given. No error is thrown (see `docs/clv.md`, "Returns").
 *
 * @param transactionModel - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param spendModel - a fitted Gamma-Gamma model (q > 1).
 * @param customers - calibration summaries with `monetaryValue`.
 * @param options - see {@link CustomerLifetimeValueOptions}.
 * @returns one {@link CustomerLifetimeValue} per customer, in input order.
 * @throws {@link InvalidRecordError} for an invalid customer.
 * @throws {@link InvalidOptionError} for an invalid model or option.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const gg = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;
 * customerLifetimeValue(bg, gg, [{ customerId: "0001", x: 2, t_x: 30.43, T: 38.86, monetaryValue: 22.35 }], { horizon: 12, discountRate: 0.01 })[0].clv.toFixed(2);
 * //=> "36.29"
 * ```
 * @category CLV
 */
export function customerLifetimeValue(
  transactionModel: TransactionModel,
  spendModel: GammaGammaModel,
  customers: readonly ClvCustomer[],
  options: CustomerLifetimeValueOptions = {},
): CustomerLifetimeValue[] {
  const fn = "customerLifetimeValue";
  const o = clvSettings(transactionModel, spendModel, options, fn);
  const c = toColumns(customers, fn, true);
  const v = clvColumns(transactionModel, spendModel.params, c, o, fn);
  const n = c.x.length;
  const out = new Array<CustomerLifetimeValue>(n);
  const mask = v.valued;
  for (let i = 0; i < n; i++) {
    const row = { customerId: c.ids[i], clv: v.clv[i], expectedPurchases: v.expectedPurchases[i], expectedSpend: v.expectedSpend[i], pAlive: v.pAlive[i] };
    out[i] = mask[i] === 1 ? row : { ...row, excluded: "non-positive-spend" };
  }
  return out;
}

/** Check the models and CLV options; the defaults merged. */
function clvSettings(transactionModel: TransactionModel, spendModel: GammaGammaModel, options: CustomerLifetimeValueOptions, fn: string): Required<CustomerLifetimeValueOptions> {
  checkTransactionModel(transactionModel, fn, "transactionModel");
  checkSpendModel(spendModel, fn);
  const o = withDefaults(CLV_DEFAULTS, options); // an explicit undefined means the default
  if (!(Number.isInteger(o.horizon) && o.horizon >= 1)) throw new InvalidOptionError(fn, "horizon", o.horizon, "an integer >= 1 (discounting periods)");
  if (!(typeof o.discountRate === "number" && Number.isFinite(o.discountRate) && o.discountRate > -1)) throw new InvalidOptionError(fn, "discountRate", o.discountRate, "a finite number > -1");
  if (!(typeof o.margin === "number" && Number.isFinite(o.margin))) throw new InvalidOptionError(fn, "margin", o.margin, "a finite number");
  if (!positive(o.periodsPerUnit)) throw new InvalidOptionError(fn, "periodsPerUnit", o.periodsPerUnit, "a finite number > 0");
  return o;
}

/**
 * Per-customer lifetime value and its ingredients, as columns (row `i` = customer `i`).
 * @category CLV
 */
export interface CustomerLifetimeValueColumns {
  /** Discounted expected margin over the horizon. */
  readonly clv: Float64Array;
  /** Undiscounted expected purchases over the horizon. */
  readonly expectedPurchases: Float64Array;
  /** Gamma-Gamma expected mean transaction value (0 on rows left out of the spend model). */
  readonly expectedSpend: Float64Array;
  /** P(alive) at the end of the calibration period. */
  readonly pAlive: Float64Array;
  /** 1 where the customer is valued by the spend model, 0 where it is left out (`clv` and `expectedSpend` are 0 there). */
  readonly valued: Uint8Array;
  /** Customers left out of the spend model, by reason, with a count and the first ids (empty when none). */
  readonly excluded: readonly Exclusion[];
}

/** The CLV columns of validated customers. @internal */
export function clvColumns(transactionModel: TransactionModel, sp: GammaGammaParams, c: ClvColumns, o: Required<CustomerLifetimeValueOptions>, fn = "customerLifetimeValue"): CustomerLifetimeValueColumns {
  const n = c.x.length;
  const pa = pAliveColumn(transactionModel, c);
  const spend = spendColumn(sp, c);
  const disc = new Float64Array(o.horizon);
  for (let k = 1; k <= o.horizon; k++) disc[k - 1] = Math.pow(1 + o.discountRate, -k);
  const aliveExpectation = aliveExpectationOf(transactionModel);
  const params = transactionModel.params as never;
  // discounted and total purchases given alive depend on (x, T) only: computed once per pair
  const d = dedupePairs(c.x, c.T);
  const uPv = new Float64Array(d.x.length);
  const uAll = new Float64Array(d.x.length);
  for (let u = 0; u < uPv.length; u++) {
    const x = d.x[u];
    const T = d.T[u];
    let prev = 0;
    let pv = 0;
    try {
      for (let k = 1; k <= o.horizon; k++) {
        const t = k * o.periodsPerUnit;
        const cur = aliveExpectation(params, x, T, t);
        pv += (cur - prev) * disc[k - 1];
        prev = cur;
      }
    } catch (e) {
      if (!(e instanceof AnalyticsError && e.code === "NOT_CONVERGED")) throw e;
      // a series that cannot converge for these parameters (a degenerate fit, say a = 6e12):
      // name the first customer with this (x, T)
      const i = d.index.indexOf(u);
      throw new AnalyticsError("NOT_CONVERGED", `${fn}: the fitted models give no finite value for customer ${c.ids[i] ?? i + 1} (${e.message}); check both models' convergence`, { cause: e });
    }
    uPv[u] = pv;
    uAll[u] = prev;
  }
  const clv = new Float64Array(n);
  const purchases = new Float64Array(n);
  const index = d.index;
  const margin = o.margin;
  for (let i = 0; i < n; i++) {
    const u = index[i];
    clv[i] = margin * spend[i] * uPv[u] * pa[i];
    purchases[i] = uAll[u] * pa[i];
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(clv[i]) || Number.isNaN(spend[i])) {
      // Not an overflow: the fitted parameters are degenerate (say a Gamma-Gamma fit on repeat
      // purchases that all have the same value, which does not converge).
      throw new AnalyticsError("NOT_CONVERGED", `${fn}: the fitted models give no finite value for customer ${c.ids[i] ?? i + 1} (P(alive) ${pa[i]}, expected spend ${spend[i]}); check both models' convergence`);
    }
    if (!Number.isFinite(clv[i]) || !Number.isFinite(spend[i])) throw overflowError(fn, `the expected spend or CLV of customer ${i + 1}`);
  }
  const { mask, excluded } = spendExclusions(c);
  const valued = new Uint8Array(n).fill(1);
  if (mask) for (let i = 0; i < n; i++) valued[i] = 1 - mask[i];
  return { clv, expectedPurchases: purchases, expectedSpend: spend, pAlive: pa, valued, excluded };
}

/**
 * Options of {@link customerLifetimeValueColumns}: those of {@link customerLifetimeValue}.
 * @category CLV
 */
export type CustomerLifetimeValueColumnsOptions = CustomerLifetimeValueOptions;

/**
 * Discounted customer lifetime value of every customer of a table, with its ingredients, as
 * columns: the columnar form of {@link customerLifetimeValue}, same numbers.
 *
 * @remarks
 * CLV = m · E[Z] · Σ_{k=1..H} (E[Y(k f)] - E[Y((k-1) f)]) / (1 + d)^k with the notation of
 * {@link customerLifetimeValue}; the discounted sum is computed once per distinct (x, T) pair.
 * The table needs a `monetaryValue` column. Rows with x > 0 and a mean spend <= 0 (returns)
 * are left out of the spend model: `clv` and `expectedSpend` 0, `valued` 0, and counted in
 * `excluded` (reason `"non-positive-spend"`). O(n + pairs · H · series terms).
 *
 * @param transactionModel - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param spendModel - a fitted Gamma-Gamma model (q > 1).
 * @param table - a `CalibrationTable`, or any {@link ClvTableInput} with `monetaryValue`.
 * @param options - see {@link CustomerLifetimeValueOptions} (defaults: horizon 12, discountRate 0.01, margin 1, periodsPerUnit 4.345).
 * @returns four new `Float64Array` columns (`clv`, `expectedPurchases`, `expectedSpend`, `pAlive`), the `valued` mask and the `excluded` counts.
 * @throws {@link InvalidRecordError} for an invalid value (row, field, value).
 * @throws {@link InvalidOptionError} for an invalid model or option, or a missing `monetaryValue` column.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const gg = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;
 * const table = { x: Float64Array.of(2), t_x: Float64Array.of(30.43), T: Float64Array.of(38.86), monetaryValue: Float64Array.of(22.35) };
 * customerLifetimeValueColumns(bg, gg, table, { horizon: 12, discountRate: 0.01 }).clv[0].toFixed(2);
 * //=> "36.29"
 * ```
 * @category CLV
 */
export function customerLifetimeValueColumns(
  transactionModel: TransactionModel,
  spendModel: GammaGammaModel,
  table: ClvTableInput,
  options: CustomerLifetimeValueColumnsOptions = {},
): CustomerLifetimeValueColumns {
  const fn = "customerLifetimeValueColumns";
  const o = clvSettings(transactionModel, spendModel, options, fn);
  return clvColumns(transactionModel, spendModel.params, tableInput(table, fn, true), o, fn);
}
