/**
 * Per-customer scores compiled into SQL expressions, so that parameters fitted in process score
 * every customer inside the engine: RFM scores from given cut points, BG/NBD and MBG/NBD P(alive)
 * and conditional expected purchases, Gamma-Gamma expected spend, and CLV over a horizon (BG/NBD or
 * MBG/NBD with Gamma-Gamma). Each function returns an SQL expression over the columns you name
 * (x, t_x, T, monetary value, or an RFM value), for any {@link Dialect}; the formulas are those
 * of `src/clv` and `src/rfm`.
 *
 * The BG/NBD conditional expectation (and the MBG/NBD's, the same with b + 1 for b) needs the
 * Gauss hypergeometric function 2F1. It is written as a bounded sum of `terms` terms of its
 * Euler-transformed series (as `src/numeric`), with a companion expression that is true when the
 * last term is still above 1e-15 (the first term is 1), i.e. when the series has not converged
 * within the bound (large `t` relative to α + T).
 * @module
 */
import { InvalidOptionError } from "../core/errors.js";
import { checkModel, type ChurnModel } from "../churn/model.js";
import type { TreeNodes } from "../churn/tree.js";
import type { ClusterModel } from "../cluster/cluster.js";
import { assignClusterColumns } from "../cluster/cluster.js";
import { clickhouse, duckdb, num, type Dialect } from "./dialect.js";

/** BG/NBD parameters (as `BgNbdModel.params`). @category Engines */
export interface SqlBgNbdParams {
  /** Shape of the Gamma distribution of purchase rates. */
  r: number;
  /** Scale of the Gamma distribution of purchase rates. */
  alpha: number;
  /** First shape parameter of the Beta distribution of the drop-out probability. */
  a: number;
  /** Second shape parameter of the Beta distribution of the drop-out probability. */
  b: number;
}
/** Gamma-Gamma parameters (as `GammaGammaModel.params`). @category Engines */
export interface SqlGammaGammaParams {
  /** Shape of the Gamma distribution of a transaction's value. */
  p: number;
  /** Shape of the Gamma distribution of the customers' scale parameter. */
  q: number;
  /** Scale of the Gamma distribution of the customers' scale parameter. */
  gamma: number;
}
/** Column expressions of a calibration row. @category Engines */
export interface SqlClvColumns {
  /** SQL expression of the number of repeat purchases in the calibration period. */
  x: string;
  /** SQL expression of the time of the last repeat purchase since the first purchase (0 when x = 0), model units. */
  t_x: string;
  /** SQL expression of the time from the first purchase to the end of the calibration period, model units. */
  T: string;
  /** SQL expression of the mean value of the repeat purchases (needed by {@link clvSql}). */
  monetaryValue?: string;
}

const DIALECTS = { duckdb, clickhouse } as const;
/** The dialect by name. */
function dialectOf(fn: string, name: "duckdb" | "clickhouse"): Dialect {
  const d = (DIALECTS as Record<string, Dialect>)[name];
  if (d === undefined) throw new InvalidOptionError(fn, "dialect", name, '"duckdb" or "clickhouse"');
  return d;
}

function positive(fn: string, option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new InvalidOptionError(fn, option, v, "a finite number > 0");
  return v;
}

function checkBg(fn: string, p: SqlBgNbdParams): void {
  for (const k of ["r", "alpha", "a", "b"] as const) positive(fn, `params.${k}`, p?.[k]);
}

/**
 * The RFM score of `value` with fixed cut points: 1 + the number of cuts strictly below the
 * value (`reverse`, for recency: bins − that number, bins = cuts + 1), as `rfm`'s `thresholds`.
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param value - SQL expression of the value (e.g. a column name).
 * @param cuts - ascending finite cut points.
 * @param reverse - true when small values score high (recency).
 * @returns an SQL integer expression.
 * @example
 * ```ts
 * rfmScoreSql("duckdb", "recency", [30, 90], true);
 * //=> "(3 - ((CASE WHEN 3e+1 < recency THEN 1 ELSE 0 END) + (CASE WHEN 9e+1 < recency THEN 1 ELSE 0 END)))"
 * ```
 * @category Engines
 */
export function rfmScoreSql(dialect: "duckdb" | "clickhouse", value: string, cuts: readonly number[], reverse = false): string {
  const fn = "rfmScoreSql";
  dialectOf(fn, dialect);
  if (!Array.isArray(cuts) || cuts.length === 0 || cuts.some((c, i) => !Number.isFinite(c) || (i > 0 && c < cuts[i - 1]))) {
    throw new InvalidOptionError(fn, "cuts", cuts, "a non-empty ascending list of finite numbers");
  }
  const below = cuts.map((c) => `(CASE WHEN ${num(c)} < ${value} THEN 1 ELSE 0 END)`).join(" + ");
  return reverse ? `(${cuts.length + 1} - (${below}))` : `(1 + ${below})`;
}

/**
 * BG/NBD P(alive | x, t_x, T) as SQL: 1 for x = 0, else
 * 1 / (1 + exp(ln a − ln(b + x − 1) + (r + x)(ln(α + T) − ln(α + t_x)))), as `probabilityAliveColumn`.
 * @example
 * ```ts
 * bgNbdPAliveSql("clickhouse", { r: 0.25, alpha: 4, a: 0.8, b: 2.4 }, { x: "x", t_x: "t_x", T: "T" }).slice(0, 41);
 * //=> "(CASE WHEN x = 0 THEN 1.0 ELSE 1.0 / (1.0"
 * ```
 * @category Engines
 */
export function bgNbdPAliveSql(dialect: "duckdb" | "clickhouse", params: SqlBgNbdParams, c: SqlClvColumns): string {
  const fn = "bgNbdPAliveSql";
  const d = dialectOf(fn, dialect);
  checkBg(fn, params);
  return pAlive(d, params, c);
}

function pAlive(d: Dialect, p: SqlBgNbdParams, c: SqlClvColumns): string {
  const { x, t_x, T } = c;
  return `(CASE WHEN ${x} = 0 THEN 1.0 ELSE 1.0 / (1.0 + exp(${num(Math.log(p.a))} - ${d.ln(`${num(p.b)} + ${x} - 1`)} + ` +
    `(${num(p.r)} + ${x}) * (${d.ln(`${num(p.alpha)} + ${T}`)} - ${d.ln(`${num(p.alpha)} + ${t_x}`)}))) END)`;
}

/**
 * ln |(u)_k / k!| and its sign for k = 0 .. n-1 (the parameter-only part of the series' terms).
 * The Pochhammer symbol is a product, so its sign is that of the factors.
 */
function pochhammerTerms(u: number, v: number, n: number): { lc: number[]; sign: number[] } {
  const lc: number[] = [];
  const sign: number[] = [];
  let l = 0;
  let s = 1;
  for (let k = 0; k < n; k++) {
    lc.push(s === 0 ? 0 : l);
    sign.push(s);
    const f = ((u + k) * (v + k)) / (k + 1);
    if (f === 0) s = 0;
    else {
      l += Math.log(Math.abs(f));
      if (f < 0) s = -s;
    }
  }
  return { lc, sign };
}

/**
 * E[Y(t) | x, T, alive] under BG/NBD for a constant t > 0, and its convergence flag:
 * C/(a−1) · [1 − (1−z)^(a−1) 2F1(a+b−1−r, a−1; C; z)], C = a+b+x−1, z = t/(α+T+t) (the Euler
 * transformation of eq. 10 of Fader, Hardie & Lee 2005), the series summed to `terms` terms.
 */
function aliveExpectation(d: Dialect, p: SqlBgNbdParams, c: SqlClvColumns, t: number, terms: number): { value: string; unconverged: string } {
  const { lc, sign } = pochhammerTerms(p.a + p.b - 1 - p.r, p.a - 1, terms);
  const C = `(${num(p.a + p.b - 1)} + ${c.x})`;
  const lz = d.ln(`${num(t)} / (${num(p.alpha + t)} + ${c.T})`);
  const term = (k: string, s: string, l: string) => `${s} * exp(${l} + ${k} * ${lz} - ${d.lgamma(`${C} + ${k}`)} + ${d.lgamma(C)})`;
  const series = d.sumOver(terms, [sign, lc], term);
  const last = term(num(terms - 1), num(sign[terms - 1]), num(lc[terms - 1]));
  const value = `(${C} / ${num(p.a - 1)} * (1.0 - exp(${num(p.a - 1)} * ${d.ln(`(${num(p.alpha)} + ${c.T}) / (${num(p.alpha + t)} + ${c.T})`)}) * ${series}))`;
  // The first term is 1: the series has converged when its last term is below 1e-15.
  return { value, unconverged: `(abs(${last}) > 1e-15)` };
}

function checkTerms(fn: string, terms: unknown): number {
  if (typeof terms !== "number" || !Number.isInteger(terms) || terms < 2 || terms > 5000) throw new InvalidOptionError(fn, "terms", terms, "an integer from 2 to 5000");
  return terms;
}

/**
 * Options of {@link bgNbdExpectedPurchasesSql}, {@link mbgNbdExpectedPurchasesSql} and {@link clvSql}.
 * @category Engines
 */
export interface SqlSeriesOptions {
  /** Terms of the hypergeometric series (default 128): the bound of the SQL sum. */
  terms?: number;
}

/**
 * BG/NBD conditional expected purchases E[Y(t) | x, t_x, T] = E[Y(t) | alive] · P(alive), as
 * `conditionalExpectedPurchasesColumn`, for a constant `t` (model time units). The 2F1 series is
 * summed to `terms` terms; `unconverged` is an SQL boolean, true for rows where the last term was
 * above 1e-15 (the first is 1) (raise `terms` or score those rows in process). Requires a ≠ 1 (the
 * in-process path also covers a = 1).
 * @returns `{ value, unconverged }`, two SQL expressions.
 * @example
 * ```ts
 * bgNbdExpectedPurchasesSql("duckdb", { r: 0.25, alpha: 4, a: 0.8, b: 2.4 }, { x: "x", t_x: "t_x", T: "T" }, 0).value;
 * //=> "0.0"
 * ```
 * @category Engines
 */
export function bgNbdExpectedPurchasesSql(dialect: "duckdb" | "clickhouse", params: SqlBgNbdParams, c: SqlClvColumns, t: number, options: SqlSeriesOptions = {}): {
  /** SQL expression of the expected purchases per row. */
  value: string;
  /** SQL boolean expression, true for rows whose series did not converge within `terms`. */
  unconverged: string;
} {
  return expectedPurchases("bgNbdExpectedPurchasesSql", "bg-nbd", dialect, params, c, t, options);
}

/**
 * E[Y(t) | x, t_x, T] of BG/NBD or MBG/NBD (the options checked as `fn`): the series of
 * {@link aliveExpectation} times the model's P(alive). The MBG/NBD's E[Y(t) | alive] is the
 * BG/NBD's with b + 1 for b (Batislam et al. 2007; `mbgAliveExpectation` of src/clv calls the
 * same kernel so), hence the same series with shifted parameters.
 */
function expectedPurchases(
  fn: string,
  model: SqlTransactionModel,
  dialect: "duckdb" | "clickhouse",
  params: SqlBgNbdParams,
  c: SqlClvColumns,
  t: number,
  options: SqlSeriesOptions,
): { value: string; unconverged: string } {
  const d = dialectOf(fn, dialect);
  checkBg(fn, params);
  if (params.a === 1) throw new InvalidOptionError(fn, "params.a", 1, "a ≠ 1 (the SQL form divides by a − 1; score a = 1 in process)");
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) throw new InvalidOptionError(fn, "t", t, "a finite number >= 0");
  const terms = checkTerms(fn, options.terms ?? 128);
  if (t === 0) return { value: "0.0", unconverged: "(1 = 0)" };
  const e = aliveExpectation(d, aliveParams(model, params), c, t, terms);
  return { value: `(${e.value} * ${modelPAlive(model, d, params, c)})`, unconverged: e.unconverged };
}

/**
 * MBG/NBD P(alive | x, t_x, T) as SQL: 1 / (1 + exp(ln a − ln(b + x) + (r + x)(ln(α + T) − ln(α + t_x)))),
 * as `probabilityAliveColumn` of a model from `fitMbgNbd` (Batislam, Denizel & Filiztekin 2007,
 * eq. 5). Unlike the BG/NBD there is no x = 0 case: a customer may drop out right after the
 * first purchase, so P(alive) < 1 for x = 0 too (t_x is then 0).
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param params - the fitted parameters (`MbgNbdModel.params`: r, α, a, b).
 * @param c - SQL expressions of x, t_x and T (model time units).
 * @returns an SQL expression of P(alive) in [0, 1].
 * @throws {@link InvalidOptionError} for an unknown dialect or a parameter that is not finite and > 0.
 * @example
 * ```ts
 * mbgNbdPAliveSql("duckdb", { r: 0.5, alpha: 6, a: 0.75, b: 1.5 }, { x: "x", t_x: "t_x", T: "T" });
 * //=> "(1.0 / (1.0 + exp(-2.876820724517809e-1 - ln(1.5e+0 + x) + (5e-1 + x) * (ln(6e+0 + T) - ln(6e+0 + t_x)))))"
 * ```
 * @category Engines
 */
export function mbgNbdPAliveSql(dialect: "duckdb" | "clickhouse", params: SqlBgNbdParams, c: SqlClvColumns): string {
  const fn = "mbgNbdPAliveSql";
  const d = dialectOf(fn, dialect);
  checkBg(fn, params);
  return mbgPAlive(d, params, c);
}

function mbgPAlive(d: Dialect, p: SqlBgNbdParams, c: SqlClvColumns): string {
  const { x, t_x, T } = c;
  return `(1.0 / (1.0 + exp(${num(Math.log(p.a))} - ${d.ln(`${num(p.b)} + ${x}`)} + ` +
    `(${num(p.r)} + ${x}) * (${d.ln(`${num(p.alpha)} + ${T}`)} - ${d.ln(`${num(p.alpha)} + ${t_x}`)}))))`;
}

/** The transaction models with an SQL form. */
type SqlTransactionModel = "bg-nbd" | "mbg-nbd";

/** P(alive) of the model. */
function modelPAlive(model: SqlTransactionModel, d: Dialect, p: SqlBgNbdParams, c: SqlClvColumns): string {
  return model === "mbg-nbd" ? mbgPAlive(d, p, c) : pAlive(d, p, c);
}

/** The parameters whose BG/NBD E[Y(t) | alive] is the model's: b + 1 for b under MBG/NBD (`mbgAliveExpectation` of src/clv). */
function aliveParams(model: SqlTransactionModel, p: SqlBgNbdParams): SqlBgNbdParams {
  return model === "mbg-nbd" ? { r: p.r, alpha: p.alpha, a: p.a, b: p.b + 1 } : p;
}

/**
 * MBG/NBD conditional expected purchases E[Y(t) | x, t_x, T] = E[Y(t) | alive] · P(alive), as
 * `conditionalExpectedPurchasesColumn` of a model from `fitMbgNbd`, for a constant `t` (model
 * time units).
 *
 * @remarks
 * E[Y(t) | alive] = C/(a−1) · [1 − (1−z)^(a−1) 2F1(a+b−r, a−1; C; z)], C = a+b+x,
 * z = t/(α+T+t): the BG/NBD expression with b + 1 for b (Wagner & Hoppe 2008), summed in SQL by
 * the same code as {@link bgNbdExpectedPurchasesSql} (`terms` terms of the series, `unconverged`
 * true for rows whose last term is still above 1e-15), times {@link mbgNbdPAliveSql}.
 * Requires a ≠ 1 (the in-process path also covers a = 1). The text grows with `terms` (about
 * 30 bytes a term in ClickHouse, 58 in DuckDB); ClickHouse refuses a query longer than its
 * `max_query_size` setting (default 256 KiB), so raise it for several long series in one query.
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param params - the fitted parameters (`MbgNbdModel.params`).
 * @param c - SQL expressions of x, t_x and T (model time units).
 * @param t - the length of the future period, model time units, >= 0.
 * @param options - `terms`: the bound of the series (default 128, 2 to 5,000).
 * @returns `{ value, unconverged }`, two SQL expressions.
 * @throws {@link InvalidOptionError} for an unknown dialect, a bad parameter, a = 1, a bad `t` or `terms`.
 * @example
 * ```ts
 * const params = { r: 0.5, alpha: 6, a: 0.75, b: 1.5 };
 * const cols = { x: "x", t_x: "t_x", T: "T" };
 * const e = mbgNbdExpectedPurchasesSql("duckdb", params, cols, 39, { terms: 256 });
 * // E[Y(t) | alive] times P(alive):
 * e.value.endsWith(` * ${mbgNbdPAliveSql("duckdb", params, cols)})`);
 * //=> true
 * ```
 * @category Engines
 */
export function mbgNbdExpectedPurchasesSql(dialect: "duckdb" | "clickhouse", params: SqlBgNbdParams, c: SqlClvColumns, t: number, options: SqlSeriesOptions = {}): {
  /** SQL expression of the expected purchases per row. */
  value: string;
  /** SQL boolean expression, true for rows whose series did not converge within `terms`. */
  unconverged: string;
} {
  return expectedPurchases("mbgNbdExpectedPurchasesSql", "mbg-nbd", dialect, params, c, t, options);
}

/**
 * Gamma-Gamma expected spend E[Z | x, m̄] = p(γ + x m̄)/(p x + q − 1), as
 * `conditionalExpectedSpendColumn`: the population mean pγ/(q − 1) for x = 0, and 0 for a repeat
 * buyer with m̄ <= 0 (outside the spend model).
 * @example
 * ```ts
 * gammaGammaSpendSql("duckdb", { p: 6.25, q: 3.74, gamma: 15.44 }, "x", "m");
 * //=> "(CASE WHEN x > 0 AND m <= 0 THEN 0.0 WHEN x = 0 THEN 3.521897810218978e+1 ELSE 6.25e+0 * (1.544e+1 + x * m) / (6.25e+0 * x + 2.74e+0) END)"
 * ```
 * @category Engines
 */
export function gammaGammaSpendSql(dialect: "duckdb" | "clickhouse", params: SqlGammaGammaParams, x: string, monetaryValue: string): string {
  const fn = "gammaGammaSpendSql";
  dialectOf(fn, dialect);
  for (const k of ["p", "q", "gamma"] as const) positive(fn, `params.${k}`, params?.[k]);
  if (params.q <= 1) throw new InvalidOptionError(fn, "params.q", params.q, "q > 1 (a finite mean spend)");
  const { p, q, gamma } = params;
  return `(CASE WHEN ${x} > 0 AND ${monetaryValue} <= 0 THEN 0.0 WHEN ${x} = 0 THEN ${num((p * gamma) / (q - 1))} ` +
    `ELSE ${num(p)} * (${num(gamma)} + ${x} * ${monetaryValue}) / (${num(p)} * ${x} + ${num(q - 1)}) END)`;
}

/**
 * Options of {@link clvSql} and {@link clvSeriesSql} (the meaning and defaults of `customerLifetimeValue`).
 * @category Engines
 */
export interface SqlClvOptions extends SqlSeriesOptions {
  /**
   * The transaction model the parameters belong to: `"bg-nbd"` (default; `fitBgNbd`) or
   * `"mbg-nbd"` (`fitMbgNbd`: the series with b + 1 for b and the MBG/NBD P(alive), as
   * {@link mbgNbdExpectedPurchasesSql}).
   */
  model?: "bg-nbd" | "mbg-nbd";
  /** Discounting periods (default 12). */
  horizon?: number;
  /** Discount rate per period (default 0.01). */
  discountRate?: number;
  /** Profit margin (default 1). */
  margin?: number;
  /** Model time units per discounting period (default 4.345: weeks per month). */
  periodsPerUnit?: number;
}

/** The checked series options of {@link clvSql} and {@link clvSeriesSql}. */
function seriesOptions(fn: string, bg: SqlBgNbdParams, options: SqlClvOptions) {
  const model = options.model ?? "bg-nbd";
  if (model !== "bg-nbd" && model !== "mbg-nbd") throw new InvalidOptionError(fn, "model", model, '"bg-nbd" or "mbg-nbd"');
  checkBg(fn, bg);
  if (bg.a === 1) throw new InvalidOptionError(fn, "bg.a", 1, "a ≠ 1 (the SQL form divides by a − 1; score a = 1 in process)");
  const horizon = options.horizon ?? 12;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 600) throw new InvalidOptionError(fn, "horizon", horizon, "an integer from 1 to 600");
  const rate = options.discountRate ?? 0.01;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= -1) throw new InvalidOptionError(fn, "discountRate", rate, "a finite number > -1");
  const margin = options.margin ?? 1;
  if (typeof margin !== "number" || !Number.isFinite(margin)) throw new InvalidOptionError(fn, "margin", margin, "a finite number");
  const f = positive(fn, "periodsPerUnit", options.periodsPerUnit ?? 4.345);
  const terms = checkTerms(fn, options.terms ?? 128);
  return { model: model as SqlTransactionModel, horizon, rate, margin, f, terms };
}

/** Σ_{k=1..H} (E_k − E_{k−1}) δ^k and its convergence flag, E_k = E[Y(kf) | alive] of the model (`clvColumns` of src/clv). */
function discountedSeries(d: Dialect, bg: SqlBgNbdParams, c: Pick<SqlClvColumns, "x" | "T">, o: ReturnType<typeof seriesOptions>): { value: string; unconverged: string } {
  const cols = { x: c.x, t_x: "NULL", T: c.T };
  const p = aliveParams(o.model, bg);
  const e = Array.from({ length: o.horizon }, (_, k) => aliveExpectation(d, p, cols, (k + 1) * o.f, o.terms));
  // Σ_{k=1..H} (E_k − E_{k−1}) δ^k = Σ_{k<H} E_k (δ^k − δ^(k+1)) + E_H δ^H (E_0 = 0): each series once.
  const disc = (k: number) => Math.pow(1 + o.rate, -k);
  const parts = e.map((ek, k) => `${ek.value} * ${num(k + 1 < o.horizon ? disc(k + 1) - disc(k + 2) : disc(o.horizon))}`);
  return { value: `(${parts.join(" + ")})`, unconverged: `(${e.map((ek) => ek.unconverged).join(" OR ")})` };
}

/**
 * CLV = margin · E[Z] · P(alive) · Σ_{k=1..H} (E[Y(kf) | alive] − E[Y((k−1)f) | alive]) / (1 + d)^k,
 * as `customerLifetimeValueColumns` (BG/NBD or MBG/NBD + Gamma-Gamma), with the convergence flag
 * of every series it sums (true when any of the H series did not converge within `terms`).
 *
 * @remarks
 * f = `periodsPerUnit`, d = `discountRate`, H = `horizon`; the purchases expected in period k are
 * valued at its end, as in process. The sum is written Σ_{k<H} E_k (δ^k − δ^(k+1)) + E_H δ^H
 * (δ = 1/(1 + d), E_0 = 0), so each of the H series appears once. `model: "mbg-nbd"` takes
 * parameters from `fitMbgNbd`: E[Y(t) | alive] is then the BG/NBD series with b + 1 for b and
 * P(alive) is {@link mbgNbdPAliveSql} (below 1 for x = 0 too), as
 * {@link mbgNbdExpectedPurchasesSql}; the default `"bg-nbd"` gives the same text as before the
 * option existed. Rows with x > 0 and m̄ <= 0 get 0 (the in-process `valued` mask), through
 * {@link gammaGammaSpendSql}. Requires a ≠ 1.
 *
 * With `series` (an SQL expression, typically a column joined from a table built with
 * {@link clvSeriesSql} over the distinct (x, T) pairs, with the same `model`), the sum is not
 * computed in the row: the value is margin · E[Z] · (series) · P(alive), the same number, and
 * `unconverged` is `false` (the flag is then the series table's).
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param bg - the transaction model's parameters (r, α, a, b of `BgNbdModel.params`, or of `MbgNbdModel.params` with `model: "mbg-nbd"`).
 * @param gg - the Gamma-Gamma parameters (q > 1).
 * @param c - SQL expressions of x, t_x, T and the monetary value (model time units).
 * @param options - see {@link SqlClvOptions} (defaults: model `"bg-nbd"`, horizon 12, discountRate 0.01, margin 1, periodsPerUnit 4.345, terms 128), and `series`.
 * @returns `{ value, unconverged }`, two SQL expressions.
 * @throws {@link InvalidOptionError} for an unknown dialect or model, a bad parameter, a = 1, a missing monetary value column or a bad option.
 * @example
 * ```ts
 * clvSql("duckdb", { r: 0.25, alpha: 4, a: 0.8, b: 2.4 }, { p: 6.25, q: 3.74, gamma: 15.44 }, { x: "x", t_x: "t_x", T: "T", monetaryValue: "m" }, { horizon: 3 }).value.startsWith("(1e+0 * ");
 * //=> true
 * const mbg = { r: 0.5, alpha: 6, a: 0.75, b: 1.5 };
 * const cols = { x: "x", t_x: "t_x", T: "T", monetaryValue: "m" };
 * const v = clvSql("duckdb", mbg, { p: 6.25, q: 3.74, gamma: 15.44 }, cols, { model: "mbg-nbd", horizon: 3 });
 * // margin · E[Z] · series · P(alive), with the MBG/NBD P(alive):
 * v.value.endsWith(` * ${mbgNbdPAliveSql("duckdb", mbg, cols)})`);
 * //=> true
 * ```
 * @category Engines
 */
export function clvSql(
  dialect: "duckdb" | "clickhouse",
  bg: SqlBgNbdParams,
  gg: SqlGammaGammaParams,
  c: SqlClvColumns,
  options: SqlClvOptions & {
    /** SQL expression of the discounted series of the row's (x, T) (see {@link clvSeriesSql}). Default: computed in the row. */
    series?: string;
  } = {},
): {
  /** SQL expression of the CLV per row. */
  value: string;
  /** SQL boolean expression, true for rows where any of the summed series did not converge within `terms`. */
  unconverged: string;
} {
  const fn = "clvSql";
  const d = dialectOf(fn, dialect);
  const o = seriesOptions(fn, bg, options);
  if (c.monetaryValue === undefined) throw new InvalidOptionError(fn, "columns.monetaryValue", undefined, "the monetary value column");
  if (options.series !== undefined && (typeof options.series !== "string" || options.series.trim() === "")) throw new InvalidOptionError(fn, "series", options.series, "an SQL expression");
  const s = options.series !== undefined ? { value: `(${options.series})`, unconverged: "(1 = 0)" } : discountedSeries(d, bg, c, o);
  const value = `(${num(o.margin)} * ${gammaGammaSpendSql(dialect, gg, c.x, c.monetaryValue)} * ${s.value} * ${modelPAlive(o.model, d, bg, c)})`;
  return { value, unconverged: s.unconverged };
}

/**
 * The discounted sum of CLV, Σ_{k=1..H} (E[Y(kf) | alive] − E[Y((k−1)f) | alive]) / (1 + d)^k, as
 * its own SQL expression over x and T only (it does not depend on t_x or the spend), so that an
 * engine can compute it once per distinct (x, T) pair and join it back: with many customers the
 * pairs are far fewer (x up to a few hundred, T one value per calendar day of first purchase).
 * Feed the joined column to {@link clvSql}'s `series` option (with the same `model`) for the same CLV.
 * With `model: "mbg-nbd"` it is the BG/NBD series with b + 1 for b.
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param bg - the transaction model's parameters (BG/NBD, or MBG/NBD with `model: "mbg-nbd"`).
 * @param c - SQL expressions of x and T (model time units).
 * @param options - see {@link SqlClvOptions} (`margin` is not used here).
 * @returns `{ value, unconverged }`, two SQL expressions.
 * @throws {@link InvalidOptionError} for an unknown dialect or model, a bad parameter, a = 1 or a bad option.
 * @example
 * ```ts
 * clvSeriesSql("duckdb", { r: 0.25, alpha: 4, a: 0.8, b: 2.4 }, { x: "x", T: "T" }, { horizon: 2 }).unconverged.startsWith("((abs(");
 * //=> true
 * // MBG/NBD: the BG/NBD series with b + 1 for b
 * const mbg = { r: 0.5, alpha: 6, a: 0.75, b: 1.5 };
 * clvSeriesSql("duckdb", mbg, { x: "x", T: "T" }, { model: "mbg-nbd", horizon: 2 }).value === clvSeriesSql("duckdb", { ...mbg, b: 2.5 }, { x: "x", T: "T" }, { horizon: 2 }).value;
 * //=> true
 * ```
 * @category Engines
 */
export function clvSeriesSql(dialect: "duckdb" | "clickhouse", bg: SqlBgNbdParams, c: Pick<SqlClvColumns, "x" | "T">, options: SqlClvOptions = {}): {
  /** SQL expression of the discounted series per row. */
  value: string;
  /** SQL boolean expression, true for rows where any of the summed series did not converge within `terms`. */
  unconverged: string;
} {
  const fn = "clvSeriesSql";
  const d = dialectOf(fn, dialect);
  return discountedSeries(d, bg, c, seriesOptions(fn, bg, options));
}

/**
 * SQL expressions of a model's input columns: model feature name → SQL expression (a column
 * name, or any expression). Features not listed are read from the column of the same name
 * (quoted as an identifier of the dialect).
 * @category Engines
 */
export type SqlFeatureColumns = Readonly<Record<string, string>>;

/** The SQL expression of feature `name`. */
function featureExpr(d: Dialect, columns: SqlFeatureColumns | undefined, name: string): string {
  const e = columns !== undefined && Object.prototype.hasOwnProperty.call(columns, name) ? columns[name] : undefined;
  return e === undefined ? d.ident(name) : `(${e})`;
}

/** Is the value present (not NULL, not NaN, not infinite)? NULL and NaN are "missing" as NaN is in process. `1 = 0`, not `false`: ClickHouse 18.16 has no boolean literals. */
const present = (d: Dialect, x: string): string => `COALESCE(${d.isFinite(x)}, 1 = 0)`;

/** One CART tree as nested CASE expressions (x <= threshold goes left; a missing value goes the learned side). */
function treeSql(d: Dialect, t: TreeNodes, x: readonly string[]): string {
  const node = (k: number, depth: number): string => {
    if (depth > 200) throw new InvalidOptionError("churnScoreSql", "model.tree", "(deeper than 200 levels)", "a tree of at most 200 levels (score deeper trees in process)");
    if (t.feature[k] < 0) return num(t.prob[k]);
    const v = x[t.feature[k]];
    const l = node(t.left[k], depth + 1);
    const r = node(t.right[k], depth + 1);
    return `(CASE WHEN NOT ${present(d, v)} THEN ${t.missingLeft[k] === 1 ? l : r} WHEN ${v} <= ${num(t.threshold[k])} THEN ${l} ELSE ${r} END)`;
  };
  return node(0, 0);
}

/**
 * A churn model's probability as one SQL expression, so a model trained in process (for
 * instance on a sample drawn by the engine) scores every customer inside the engine.
 *
 * @remarks
 * The scoring rules of `scoreChurnColumns`, written out:
 *
 * - logistic: eta = b0 + Σ_j (c_j / sd_j)(x_j − mean_j) over present values (a missing value adds
 *   nothing: mean imputation), added in feature order; P = 1 / (1 + e^−eta) for eta ≥ 0 and
 *   e^eta / (1 + e^eta) below (the two forms of the in-process sigmoid);
 * - tree: nested `CASE` on the splits, x ≤ threshold to the left, a missing value to the side
 *   learned in training; the leaf's churn share;
 * - forest: the trees' sum divided by their number.
 *
 * "Missing" in SQL is NULL, NaN or an infinite value (the in-process path refuses infinities).
 * The numbers are those of `scoreChurnColumns` (same constants, same order of operations; tested
 * to 1e-9). Boosting and grouped models are refused (score those in process, chunk by chunk).
 * The SQL text grows with the model: p terms for a logistic model, one `CASE` per node of each
 * tree.
 *
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param model - a logistic, tree or forest model from `trainChurnModelColumns` or `trainChurnModel` (or its JSON).
 * @param columns - SQL expression per model feature (`model.featureNames`); default: the column of that name.
 * @returns an SQL expression of the churn probability in [0, 1].
 * @throws {@link InvalidOptionError} for something that is not a churn model, or a boosting or grouped model.
 * @example
 * ```ts
 * // trainChurnModelColumns({ columns: { recency: [30, 60, 90, 120, 150, 180] } }, [0, 0, 0, 1, 1, 1], { model: "tree", maxDepth: 1 }):
 * const model = {
 *   format: "churn-model/1", label: "churned", columns: [{ name: "recency", kind: "numeric", hasMissing: false }], featureNames: ["recency"],
 *   trainingRows: 6, churnRate: 0.5, model: "tree", importance: [1],
 *   tree: { feature: [0, -1, -1], threshold: [105, 0, 0], left: [1, -1, -1], right: [2, -1, -1], missingLeft: [1, 0, 0], prob: [0.5, 0, 1], n: [6, 3, 3] },
 * } as const;
 * churnScoreSql("duckdb", JSON.parse(JSON.stringify(model)), { recency: "recency_days" });
 * //=> "(CASE WHEN NOT COALESCE(isfinite((recency_days)), 1 = 0) THEN 0e+0 WHEN (recency_days) <= 1.05e+2 THEN 0e+0 ELSE 1e+0 END)"
 * ```
 * @category Engines
 */
export function churnScoreSql(dialect: "duckdb" | "clickhouse", model: ChurnModel, columns?: SqlFeatureColumns): string {
  const fn = "churnScoreSql";
  const d = dialectOf(fn, dialect);
  checkModel(model, fn);
  if (columns !== undefined && (columns === null || typeof columns !== "object")) throw new InvalidOptionError(fn, "columns", columns, "an object mapping feature names to SQL expressions");
  const x = model.model === "grouped" ? [] : model.featureNames.map((f) => featureExpr(d, columns, f));
  switch (model.model) {
    case "logistic": {
      const { fit } = model;
      let eta = num(fit.intercept);
      for (let j = 0; j < fit.coef.length; j++) {
        if (fit.sd[j] === 0 || fit.coef[j] === 0) continue;
        eta = `(${eta} + CASE WHEN ${present(d, x[j])} THEN ${num(fit.coef[j] / fit.sd[j])} * (${x[j]} - ${num(fit.mean[j])}) ELSE 0.0 END)`;
      }
      return `(CASE WHEN ${eta} >= 0 THEN 1.0 / (1.0 + exp(-${eta})) ELSE exp(${eta}) / (1.0 + exp(${eta})) END)`;
    }
    case "tree":
      return treeSql(d, model.tree, x);
    case "forest":
      return `((${model.trees.map((t) => treeSql(d, t, x)).join(" + ")}) / ${num(model.trees.length)})`;
    default:
      throw new InvalidOptionError(fn, "model.model", model.model, '"logistic", "tree" or "forest" (score boosting and grouped models in process)');
  }
}

/**
 * k-means assignment as SQL: the nearest centre of a {@link ClusterModel} and the distance to
 * it, so a model trained in process (for instance on a sample) labels every customer inside
 * the engine.
 *
 * @remarks
 * As `assignClusterColumns`: z_t = (f(v_t) − center_t) / scale_t with f the model's transform
 * (signed log1p: ln(1 + v) for v ≥ 0, −ln(1 − v) below), the squared distance to centre j
 * Σ_t (z_t − c_jt)² added in feature order, the cluster the first j with the least distance
 * (lowest number on an exact tie), the distance its square root. The in-process path uses
 * `Math.log1p`; the engine `ln(1 + v)`, which differs in the last bits only (tested: the same
 * labels, distances to 1e-9). A missing (NULL) feature gives a NULL label; the in-process path
 * refuses such a row. The text grows as k² · d (the minimum is repeated in each branch).
 *
 * @param dialect - `"duckdb"` or `"clickhouse"`.
 * @param model - the model of `clusterCustomers` (`result.model`), or its JSON.
 * @param columns - SQL expression per model feature; default: the column of that name.
 * @returns `{ cluster, distance }`: an SQL integer expression (0 .. k−1) and an SQL double.
 * @throws {@link InvalidOptionError} for something that is not a valid cluster model.
 * @example
 * ```ts
 * const model = { format: "customer-analytics/cluster-model" as const, version: 1 as const, features: ["f"], transforms: ["none" as const], center: [0], scale: [1], centroids: [[0], [10]] };
 * const { cluster, distance } = clusterAssignSql("duckdb", model);
 * [cluster.slice(0, 10), distance.slice(0, 5)];
 * //=> ["(CASE WHEN", "sqrt("]
 * ```
 * @category Engines
 */
export function clusterAssignSql(dialect: "duckdb" | "clickhouse", model: ClusterModel, columns?: SqlFeatureColumns): {
  /** SQL integer expression: the cluster number, 0 .. k−1. */
  cluster: string;
  /** SQL double expression: the Euclidean distance to that cluster's centre, in the scaled space. */
  distance: string;
} {
  const fn = "clusterAssignSql";
  const d = dialectOf(fn, dialect);
  // The in-process validator, run on a one-row input of zeros: it throws our errors for a bad model.
  try {
    assignClusterColumns(model, Object.fromEntries((model?.features ?? []).map((f) => [f, [0]])));
  } catch (e) {
    if (e instanceof InvalidOptionError && e.option === "model") throw new InvalidOptionError(fn, "model", "(not a valid cluster model)", 'a model from clusterCustomers (format "customer-analytics/cluster-model")');
    throw e;
  }
  if (columns !== undefined && (columns === null || typeof columns !== "object")) throw new InvalidOptionError(fn, "columns", columns, "an object mapping feature names to SQL expressions");
  const z = model.features.map((f, t) => {
    const v = featureExpr(d, columns, f);
    const tv = model.transforms[t] === "log1p" ? `(CASE WHEN ${v} < 0 THEN -${d.ln(`1.0 - ${v}`)} ELSE ${d.ln(`1.0 + ${v}`)} END)` : v;
    return `(${tv} - ${num(model.center[t])}) / ${num(model.scale[t])}`;
  });
  const dist = model.centroids.map((c) => z.map((zt, t) => `(${zt} - ${num(c[t])}) * (${zt} - ${num(c[t])})`).reduce((a, b) => `(${a} + ${b})`));
  const least = (xs: readonly string[]): string => (xs.length === 1 ? xs[0] : `least(${xs[0]}, ${least(xs.slice(1))})`);
  const m = least(dist.map((s) => `(${s})`));
  const k = dist.length;
  const cluster = k === 1 ? "0" : `(CASE ${dist.slice(0, -1).map((s, j) => `WHEN (${s}) = ${m} THEN ${j}`).join(" ")} ELSE ${k - 1} END)`;
  return { cluster, distance: `sqrt(${m})` };
}
