/**
 * "Does the model fit?" as charts: pure functions that turn the numbers of the CLV models into
 * Vega-Lite specs (plain, JSON-serialisable objects; the report renders them with Vega-Lite, and
 * any Vega-Lite 5 viewer shows them). Every spec has a title and axis titles, and its
 * `data.values` hold the model's numbers unrounded, so a spec can be checked against the
 * function that produced them.
 *
 * - {@link holdoutValidationChart}: mean holdout purchases by calibration frequency, actual vs
 *   predicted (from `holdoutValidation`);
 * - {@link purchaseCountChart}: customers by repeat-purchase count, observed vs expected (from
 *   `purchaseCountFit`, or any bins/observed/expected arrays);
 * - {@link frequencyRecencyGrid}, {@link expectedPurchasesMatrixChart},
 *   {@link probabilityAliveMatrixChart}: frequency × recency heatmaps at a fixed T (lifetimes'
 *   `plot_frequency_recency_matrix` and `plot_probability_alive_matrix`);
 * - {@link trackingChart}: cumulative or weekly repeat purchases of a cohort, actual vs expected
 *   (from `expectedTransactionsTracking` and the caller's actual counts);
 * - {@link clvIntervalChart}: the top customers' CLV with their intervals.
 * @module
 */
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { HoldoutValidation } from "./holdout.js";
import { checkTransactionModel, conditionalExpectedPurchasesColumn, probabilityAliveColumn, type TransactionModel } from "./predict.js";

/** Colours shared by the charts: actual/observed in dark blue, model in orange. */
const SERIES_COLOURS = { range: ["#1f4e79", "#e8853d"] };

function finiteArray(v: unknown, n: number, fn: string, option: string): number[] {
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number" || (v as ArrayLike<number>).length !== n) {
    throw new InvalidOptionError(fn, option, v, `an array of ${n} finite numbers`);
  }
  const a = Array.from(v as ArrayLike<number>);
  const bad = a.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
  if (bad >= 0) throw new InvalidOptionError(fn, option, a[bad], `finite numbers (entry ${bad + 1} is not)`);
  return a;
}

/**
 * Options of {@link holdoutValidationChart}.
 * @category CLV
 */
export interface HoldoutValidationChartOptions {
  /** Name of the model in the legend ("predicted (BG/NBD)"). Default `"model"`. */
  modelName?: string;
}

const HOLDOUT_DEFAULTS = Object.freeze({ modelName: "model" });

/**
 * Calibration vs holdout: mean holdout purchases of the customers of each calibration frequency,
 * actual and predicted, as a Vega-Lite line chart (Fader, Hardie & Lee 2005, Figure 4).
 *
 * @remarks
 * One point per row of `validation.rows` and series: `{ frequency, series, purchases, customers }`
 * with `frequency` the row's label ("0", …, "7+"), `series` `"actual"` or
 * `"predicted (<modelName>)"`, and `purchases` the row's mean, unrounded. The subtitle gives the
 * totals. The closer the lines, the better the model tracks each frequency class.
 *
 * @param validation - the output of `holdoutValidation(model, rows)`.
 * @param options - see {@link HoldoutValidationChartOptions}.
 * @returns a Vega-Lite spec.
 * @throws {@link InvalidOptionError} when `validation` has no `rows` array or `modelName` is not a string.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const v = holdoutValidation(bg, [
 *   { customerId: "a", x: 0, t_x: 0, T: 39, holdoutPurchases: 1, holdoutDuration: 39 },
 *   { customerId: "b", x: 2, t_x: 30, T: 39, holdoutPurchases: 2, holdoutDuration: 39 },
 * ]);
 * const spec = holdoutValidationChart(v, { modelName: "BG/NBD" });
 * (spec.data as { values: { frequency: string; series: string; purchases: number }[] }).values
 *   .map((d) => [d.frequency, d.series, +d.purchases.toFixed(3)]);
 * //=> [["0", "actual", 1], ["0", "predicted (BG/NBD)", 0.195], ["2", "actual", 2], ["2", "predicted (BG/NBD)", 1.211]]
 * ```
 * @category CLV
 */
export function holdoutValidationChart(validation: HoldoutValidation, options: HoldoutValidationChartOptions = {}): Record<string, unknown> {
  const fn = "holdoutValidationChart";
  const o = withDefaults(HOLDOUT_DEFAULTS, options);
  if (typeof o.modelName !== "string") throw new InvalidOptionError(fn, "modelName", o.modelName, "a string");
  if (!validation || !Array.isArray(validation.rows)) throw new InvalidOptionError(fn, "validation", validation, "the result of holdoutValidation (an object with rows)");
  const predicted = `predicted (${o.modelName})`;
  const values = validation.rows.flatMap((r) => [
    { frequency: r.label, series: "actual", purchases: r.actual, customers: r.customers },
    { frequency: r.label, series: predicted, purchases: r.predicted, customers: r.customers },
  ]);
  const total = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : String(v));
  return {
    title: {
      text: "Holdout purchases by calibration frequency: actual vs predicted",
      subtitle: `total holdout purchases: ${total(validation.totalActual)} actual, ${total(validation.totalPredicted)} predicted`,
    },
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "frequency", type: "ordinal", sort: validation.rows.map((r) => r.label), title: "repeat purchases in the calibration period", axis: { labelAngle: 0 } },
      y: { field: "purchases", type: "quantitative", title: "mean purchases per customer in the holdout period" },
      color: { field: "series", type: "nominal", title: null, scale: SERIES_COLOURS },
      tooltip: [{ field: "frequency" }, { field: "series" }, { field: "purchases", format: ".3f" }, { field: "customers" }],
    },
  };
}

/**
 * What {@link purchaseCountChart} reads: `purchaseCountFit`'s result, or the same arrays from
 * elsewhere.
 * @category CLV
 */
export interface PurchaseCountChartInput {
  /** Bin labels, e.g. "0", "1", …, "7+". */
  readonly bins: readonly string[];
  /** Customers observed in each bin. */
  readonly observed: ArrayLike<number>;
  /** Customers the model expects in each bin. */
  readonly expected: ArrayLike<number>;
  /** Pearson χ², shown in the subtitle when given. */
  readonly chiSquare?: number;
  /** Its degrees of freedom, shown with it. */
  readonly degreesOfFreedom?: number;
}

/**
 * Options of {@link purchaseCountChart}.
 * @category CLV
 */
export interface PurchaseCountChartOptions {
  /** Name of the model in the legend ("expected (BG/NBD)"). Default `"model"`. */
  modelName?: string;
}

/**
 * The calibration-period purchase-count distribution, observed vs model-expected customers per
 * count, as grouped bars (Fader, Hardie & Lee 2005, Figure 1).
 *
 * @remarks
 * One bar per bin and series: `{ purchases, series, customers }` with `series` `"observed"` or
 * `"expected (<modelName>)"`. The expected counts are Σ_i P(X(T_i) = x) over the customers, as
 * `purchaseCountFit` computes them with the models' pmfs (`probabilityOfPurchases` for one T).
 *
 * @param fit - `purchaseCountFit(model, data)`, or any {@link PurchaseCountChartInput}.
 * @param options - see {@link PurchaseCountChartOptions}.
 * @returns a Vega-Lite spec.
 * @throws {@link InvalidOptionError} when the arrays are missing, of different lengths or not finite.
 * @example
 * ```ts
 * const spec = purchaseCountChart({ bins: ["0", "1+"], observed: [2, 1], expected: [2.2, 0.8] });
 * (spec.data as { values: unknown[] }).values;
 * //=> [{ purchases: "0", series: "observed", customers: 2 }, { purchases: "0", series: "expected (model)", customers: 2.2 },
 * //    { purchases: "1+", series: "observed", customers: 1 }, { purchases: "1+", series: "expected (model)", customers: 0.8 }]
 * ```
 * @category CLV
 */
export function purchaseCountChart(fit: PurchaseCountChartInput, options: PurchaseCountChartOptions = {}): Record<string, unknown> {
  const fn = "purchaseCountChart";
  const o = withDefaults(HOLDOUT_DEFAULTS, options);
  if (typeof o.modelName !== "string") throw new InvalidOptionError(fn, "modelName", o.modelName, "a string");
  if (!fit || !Array.isArray(fit.bins) || fit.bins.some((b) => typeof b !== "string")) throw new InvalidOptionError(fn, "bins", fit?.bins, "an array of bin labels");
  const n = fit.bins.length;
  const observed = finiteArray(fit.observed, n, fn, "observed");
  const expected = finiteArray(fit.expected, n, fn, "expected");
  const model = `expected (${o.modelName})`;
  const values = fit.bins.flatMap((b, k) => [
    { purchases: b, series: "observed", customers: observed[k] },
    { purchases: b, series: model, customers: expected[k] },
  ]);
  const spec: Record<string, unknown> = {
    title: "Repeat purchases in the calibration period: observed vs expected customers",
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "purchases", type: "ordinal", sort: [...fit.bins], title: "repeat purchases in the calibration period", axis: { labelAngle: 0 } },
      xOffset: { field: "series", type: "nominal", sort: ["observed", model] },
      y: { field: "customers", type: "quantitative", title: "customers" },
      color: { field: "series", type: "nominal", title: null, sort: ["observed", model], scale: SERIES_COLOURS },
      tooltip: [{ field: "purchases" }, { field: "series" }, { field: "customers", format: ".1f" }],
    },
  };
  if (typeof fit.chiSquare === "number" && Number.isFinite(fit.chiSquare)) {
    spec.title = {
      text: spec.title,
      subtitle: `Pearson chi-square ${fit.chiSquare.toFixed(1)}${typeof fit.degreesOfFreedom === "number" ? ` on ${fit.degreesOfFreedom} degrees of freedom` : ""}`,
    };
  }
  return spec;
}

/**
 * Options of {@link frequencyRecencyGrid} and the two matrix charts.
 * @category CLV
 */
export interface FrequencyRecencyGridOptions {
  /** Customer age T (time from first purchase to the end of calibration) shared by every cell, model time units. Required. */
  T: number;
  /** Length of the future period of the expected purchases, model time units. Default `1` (one time unit, as lifetimes). */
  t?: number;
  /** Largest frequency x of the grid (rows x = 0..maxFrequency). Default `20`. */
  maxFrequency?: number;
  /** Largest recency t_x of the grid (columns t_x = 0, 1, …, maxRecency); at most T. Default `floor(T)`. */
  maxRecency?: number;
}

const GRID_DEFAULTS = Object.freeze({ t: 1, maxFrequency: 20 });

/** Largest grid accepted (cells), so a chart stays a chart. */
const MAX_CELLS = 100_000;

/**
 * One cell of the frequency × recency grid.
 * @category CLV
 */
export interface FrequencyRecencyCell {
  /** Repeat purchases x. */
  readonly x: number;
  /** Recency t_x: age at the last repeat purchase, model time units. */
  readonly t_x: number;
  /** Customer age T. */
  readonly T: number;
  /** E[Y(t) | x, t_x, T] (`conditionalExpectedPurchases`). */
  readonly expectedPurchases: number;
  /** P(alive at T | x, t_x, T) (`probabilityAlive`). */
  readonly pAlive: number;
}

/**
 * The frequency × recency grid of a fitted model at a fixed customer age T: expected purchases
 * in the next t and P(alive) for every (x, t_x) with x = 0..maxFrequency and
 * t_x = 0, 1, …, maxRecency.
 *
 * @remarks
 * The values are `conditionalExpectedPurchasesColumn` and `probabilityAliveColumn` on the grid's
 * columns, so each cell equals the prediction for a customer with that history. A customer with
 * no repeat purchase has t_x = 0, so the x = 0 row has a single cell (t_x = 0); the other
 * (0, t_x) pairs are not histories and are left out (lifetimes evaluates its formulas there
 * anyway; those cells mean nothing). Cells are ordered by x, then t_x.
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param options - see {@link FrequencyRecencyGridOptions}.
 * @returns the cells.
 * @throws {@link InvalidOptionError} for a bad model, T, t, maxFrequency (an integer >= 0), maxRecency
 * (in [0, T]) or a grid of more than 100,000 cells.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const cells = frequencyRecencyGrid(bg, { T: 39, t: 39, maxFrequency: 2, maxRecency: 39 });
 * cells.length; // 1 cell for x = 0, 40 for x = 1 and for x = 2
 * //=> 81
 * const c = cells.find((d) => d.x === 2 && d.t_x === 30)!;
 * [c.pAlive, c.expectedPurchases].map((v) => +v.toFixed(3));
 * //=> [0.72, 1.211]
 * ```
 * @category CLV
 */
export function frequencyRecencyGrid(model: TransactionModel, options: FrequencyRecencyGridOptions): FrequencyRecencyCell[] {
  const fn = "frequencyRecencyGrid";
  return grid(model, options, fn);
}

function grid(model: TransactionModel, options: FrequencyRecencyGridOptions, fn: string): FrequencyRecencyCell[] {
  checkTransactionModel(model, fn);
  const T = options?.T;
  if (typeof T !== "number" || !Number.isFinite(T) || T < 0) throw new InvalidOptionError(fn, "T", T, "a finite number >= 0 (model time units)");
  const o = withDefaults({ ...GRID_DEFAULTS, maxRecency: Math.floor(T) }, options);
  if (typeof o.t !== "number" || !Number.isFinite(o.t) || o.t < 0) throw new InvalidOptionError(fn, "t", o.t, "a finite number >= 0 (model time units)");
  if (!(Number.isInteger(o.maxFrequency) && o.maxFrequency >= 0)) throw new InvalidOptionError(fn, "maxFrequency", o.maxFrequency, "an integer >= 0");
  if (!(typeof o.maxRecency === "number" && Number.isFinite(o.maxRecency) && o.maxRecency >= 0 && o.maxRecency <= T)) {
    throw new InvalidOptionError(fn, "maxRecency", o.maxRecency, `a number in [0, T = ${T}]`);
  }
  const R = Math.floor(o.maxRecency);
  const cellsCount = 1 + o.maxFrequency * (R + 1);
  if (cellsCount > MAX_CELLS) throw new InvalidOptionError(fn, "maxFrequency", o.maxFrequency, `a grid of at most ${MAX_CELLS} cells (this one has ${cellsCount}; lower maxFrequency or maxRecency)`);
  const xs = new Float64Array(cellsCount);
  const txs = new Float64Array(cellsCount);
  let i = 1; // cell 0 is (x = 0, t_x = 0)
  for (let x = 1; x <= o.maxFrequency; x++) {
    for (let r = 0; r <= R; r++, i++) {
      xs[i] = x;
      txs[i] = r;
    }
  }
  const table = { x: xs, t_x: txs, T: new Float64Array(cellsCount).fill(T) };
  const ex = conditionalExpectedPurchasesColumn(model, table, { t: o.t });
  const pa = probabilityAliveColumn(model, table);
  return Array.from({ length: cellsCount }, (_, j) => ({ x: xs[j], t_x: txs[j], T, expectedPurchases: ex[j], pAlive: pa[j] }));
}

function modelLabel(model: TransactionModel): string {
  return model.model === "bg-nbd" ? "BG/NBD" : model.model === "mbg-nbd" ? "MBG/NBD" : "Pareto/NBD";
}

function matrixSpec(cells: FrequencyRecencyCell[], field: "expectedPurchases" | "pAlive", title: string, subtitle: string, legend: string): Record<string, unknown> {
  const maxR = cells.reduce((m, c) => Math.max(m, c.t_x), 0);
  const step = maxR > 40 ? 10 : 5;
  const ticks: number[] = [];
  for (let r = 0; r <= maxR; r += step) ticks.push(r);
  return {
    title: { text: title, subtitle },
    data: { values: cells.map((c) => ({ x: c.x, t_x: c.t_x, T: c.T, [field]: c[field] })) },
    mark: "rect",
    encoding: {
      x: { field: "t_x", type: "ordinal", title: "recency t_x: age at the last repeat purchase", axis: { values: ticks, labelAngle: 0 } },
      y: { field: "x", type: "ordinal", title: "frequency x: repeat purchases" },
      color: { field, type: "quantitative", title: legend, scale: { scheme: "viridis", ...(field === "pAlive" ? { domain: [0, 1] } : {}) } },
      tooltip: [{ field: "x" }, { field: "t_x" }, { field: "T" }, { field, format: ".3f" }],
    },
  };
}

/**
 * Heatmap of the expected purchases in the next t time units over frequency × recency, at a
 * fixed customer age T (lifetimes' `plot_frequency_recency_matrix`).
 *
 * @remarks
 * Axes as lifetimes draws them: frequency x down the rows (0 at the top), recency t_x across the
 * columns (0 at the left; recency is the age at the last purchase, so large t_x = bought
 * recently). The best customers sit at the bottom right; a column far to the left of T holds
 * customers who bought often and then went quiet. Cells: {@link frequencyRecencyGrid}
 * (`{ x, t_x, T, expectedPurchases }`); the x = 0 row has its t_x = 0 cell only.
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param options - see {@link FrequencyRecencyGridOptions}.
 * @returns a Vega-Lite spec.
 * @throws as {@link frequencyRecencyGrid}.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const spec = expectedPurchasesMatrixChart(bg, { T: 39, t: 39, maxFrequency: 2 });
 * const cell = (spec.data as { values: { x: number; t_x: number; expectedPurchases: number }[] }).values.find((d) => d.x === 2 && d.t_x === 30)!;
 * +cell.expectedPurchases.toFixed(3);
 * //=> 1.211
 * ```
 * @category CLV
 */
export function expectedPurchasesMatrixChart(model: TransactionModel, options: FrequencyRecencyGridOptions): Record<string, unknown> {
  const cells = grid(model, options, "expectedPurchasesMatrixChart");
  const t = options.t ?? GRID_DEFAULTS.t;
  return matrixSpec(
    cells,
    "expectedPurchases",
    `${modelLabel(model)}: expected purchases in the next ${t} time units, by frequency and recency`,
    `customers aged T = ${cells[0].T} time units since their first purchase`,
    "expected purchases",
  );
}

/**
 * Heatmap of P(alive) over frequency × recency at a fixed customer age T (lifetimes'
 * `plot_probability_alive_matrix`).
 *
 * @remarks
 * Same axes and cells as {@link expectedPurchasesMatrixChart}, colour P(alive) on a fixed [0, 1]
 * scale. For a BG/NBD the x = 0 cell is always 1 (the model's known quirk, see "Which model?").
 *
 * @param model - a fitted BG/NBD, MBG/NBD or Pareto/NBD model.
 * @param options - see {@link FrequencyRecencyGridOptions} (`t` is not used).
 * @returns a Vega-Lite spec.
 * @throws as {@link frequencyRecencyGrid}.
 * @example
 * ```ts
 * const bg = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
 * const spec = probabilityAliveMatrixChart(bg, { T: 39, maxFrequency: 2 });
 * const v = (spec.data as { values: { x: number; t_x: number; pAlive: number }[] }).values;
 * [v[0].pAlive, +v.find((d) => d.x === 2 && d.t_x === 30)!.pAlive.toFixed(3)];
 * //=> [1, 0.72]
 * ```
 * @category CLV
 */
export function probabilityAliveMatrixChart(model: TransactionModel, options: FrequencyRecencyGridOptions): Record<string, unknown> {
  const cells = grid(model, options, "probabilityAliveMatrixChart");
  return matrixSpec(cells, "pAlive", `${modelLabel(model)}: probability a customer is still active, by frequency and recency`, `customers aged T = ${cells[0].T} time units since their first purchase`, "P(alive)");
}

/**
 * What {@link trackingChart} reads: calendar times and cumulative repeat purchases at each.
 * @category CLV
 */
export interface TrackingChartInput {
  /** Calendar times (e.g. weeks since the cohort start), strictly increasing. */
  readonly times: readonly number[];
  /** Actual cumulative repeat purchases of the cohort up to each time. */
  readonly actual: ArrayLike<number>;
  /** Expected cumulative repeat purchases (`expectedTransactionsTracking(...).cumulative`). */
  readonly expected: ArrayLike<number>;
}

/**
 * Options of {@link trackingChart}.
 * @category CLV
 */
export interface TrackingChartOptions {
  /** `"cumulative"` (default) or `"incremental"` (purchases between consecutive times: the first time counts from the origin). */
  curve?: "cumulative" | "incremental";
  /** Calendar time of the end of the calibration period, drawn as a dashed vertical rule. Default: none. */
  calibrationEnd?: number;
  /** Name of the time unit on the axis. Default `"week"`. */
  timeUnit?: string;
  /** Name of the model in the legend. Default `"model"`. */
  modelName?: string;
}

const TRACKING_DEFAULTS = Object.freeze({ curve: "cumulative" as "cumulative" | "incremental", calibrationEnd: undefined as number | undefined, timeUnit: "week", modelName: "model" });

/**
 * Tracking curve of a cohort: actual vs expected repeat purchases over calendar time, cumulative
 * or per period (Fader, Hardie & Lee 2005, Figure 2).
 *
 * @remarks
 * Points `{ time, series, purchases }`, `series` `"actual"` or `"expected (<modelName>)"`. With
 * `curve: "incremental"` the values are the differences of the cumulative ones (the first is the
 * first cumulative value), the same convention as `expectedTransactionsTracking`'s
 * `incremental`. The caller supplies both curves, so any model or period works; a dashed rule
 * marks the calibration end when given (left of it the model is fitted, right of it it predicts).
 *
 * @param input - see {@link TrackingChartInput}.
 * @param options - see {@link TrackingChartOptions}.
 * @returns a Vega-Lite spec.
 * @throws {@link InvalidOptionError} when times are not finite and increasing, the curves are not
 * finite arrays of the same length, the actual curve decreases, or an option is invalid.
 * @example
 * ```ts
 * const spec = trackingChart({ times: [1, 2, 3], actual: [1, 3, 4], expected: [1.5, 2.5, 4.5] }, { curve: "incremental", calibrationEnd: 2 });
 * (spec.data as { values: { series: string; purchases: number }[] }).values
 *   .filter((d) => d.series === "actual").map((d) => d.purchases);
 * //=> [1, 2, 1]
 * ```
 * @category CLV
 */
export function trackingChart(input: TrackingChartInput, options: TrackingChartOptions = {}): Record<string, unknown> {
  const fn = "trackingChart";
  const o = withDefaults(TRACKING_DEFAULTS, options);
  if (o.curve !== "cumulative" && o.curve !== "incremental") throw new InvalidOptionError(fn, "curve", o.curve, '"cumulative" or "incremental"');
  if (o.calibrationEnd !== undefined && !(typeof o.calibrationEnd === "number" && Number.isFinite(o.calibrationEnd))) {
    throw new InvalidOptionError(fn, "calibrationEnd", o.calibrationEnd, "a finite calendar time");
  }
  if (typeof o.timeUnit !== "string") throw new InvalidOptionError(fn, "timeUnit", o.timeUnit, "a string");
  if (typeof o.modelName !== "string") throw new InvalidOptionError(fn, "modelName", o.modelName, "a string");
  const times = input?.times;
  if (!Array.isArray(times) || times.some((t, i) => typeof t !== "number" || !Number.isFinite(t) || (i > 0 && t <= times[i - 1]))) {
    throw new InvalidOptionError(fn, "times", times, "an array of finite, strictly increasing calendar times");
  }
  const actual = finiteArray(input.actual, times.length, fn, "actual");
  const expected = finiteArray(input.expected, times.length, fn, "expected");
  const dec = actual.findIndex((v, i) => i > 0 && v < actual[i - 1]);
  if (dec > 0) throw new InvalidOptionError(fn, "actual", actual[dec], `a cumulative count (non-decreasing); entry ${dec + 1} is below entry ${dec}`);
  const shape = (c: number[]) => (o.curve === "cumulative" ? c : c.map((v, i) => (i === 0 ? v : v - c[i - 1])));
  const a = shape(actual);
  const e = shape(expected);
  const model = `expected (${o.modelName})`;
  const values = times.flatMap((t, i) => [
    { time: t, series: "actual", purchases: a[i] },
    { time: t, series: model, purchases: e[i] },
  ]);
  const line = {
    mark: { type: "line", interpolate: "linear" },
    encoding: {
      x: { field: "time", type: "quantitative", title: `${o.timeUnit} (calendar time)` },
      y: { field: "purchases", type: "quantitative", title: o.curve === "cumulative" ? "cumulative repeat purchases" : `repeat purchases per ${o.timeUnit}` },
      color: { field: "series", type: "nominal", title: null, sort: ["actual", model], scale: SERIES_COLOURS },
      strokeDash: { field: "series", type: "nominal", title: null, sort: ["actual", model] },
      tooltip: [{ field: "time" }, { field: "series" }, { field: "purchases", format: ".1f" }],
    },
  };
  const layer: Record<string, unknown>[] = [line];
  if (o.calibrationEnd !== undefined) {
    layer.push({
      data: { values: [{ time: o.calibrationEnd, label: "end of calibration" }] },
      mark: { type: "rule", strokeDash: [4, 4], color: "gray" },
      encoding: { x: { field: "time", type: "quantitative" }, tooltip: [{ field: "label" }, { field: "time" }] },
    });
    layer.push({
      data: { values: [{ time: o.calibrationEnd, label: "end of calibration" }] },
      mark: { type: "text", align: "left", baseline: "top", dx: 4, y: 4, color: "gray" },
      encoding: { x: { field: "time", type: "quantitative" }, text: { field: "label" } },
    });
  }
  return {
    title: o.curve === "cumulative" ? "Tracking: cumulative repeat purchases, actual vs expected" : `Tracking: repeat purchases per ${o.timeUnit}, actual vs expected`,
    data: { values },
    layer,
  };
}

/**
 * What {@link clvIntervalChart} reads: per-customer CLV and interval bounds, as columns.
 * @category CLV
 */
export interface ClvIntervalChartInput {
  /** Customer ids. */
  readonly ids: readonly string[];
  /** Point CLV per customer. */
  readonly clv: ArrayLike<number>;
  /** Lower bound per customer (e.g. the 5% quantile). */
  readonly lower: ArrayLike<number>;
  /** Upper bound per customer (e.g. the 95% quantile). */
  readonly upper: ArrayLike<number>;
}

/**
 * Options of {@link clvIntervalChart}.
 * @category CLV
 */
export interface ClvIntervalChartOptions {
  /** Customers shown: the `top` largest point CLVs. Default `20`. */
  top?: number;
  /** What the bounds are, for the title and axis. Default `"5%–95% interval"`. */
  intervalLabel?: string;
}

const CLV_DEFAULTS = Object.freeze({ top: 20, intervalLabel: "5%–95% interval" });

/**
 * The top customers' CLV as points with interval bars, largest first.
 *
 * @remarks
 * Customers are ranked by point CLV, descending (ties by id, so the chart is deterministic); the
 * first `top` become rows `{ customerId, rank, clv, lower, upper }` (rank 1 = largest). The bar
 * spans [lower, upper]: a wide bar says the value rests on little evidence (few purchases, or
 * uncertain parameters), whatever its point value. The point is drawn where it is, even outside
 * its bar (a plug-in estimate need not lie between quantiles of parameter draws). With
 * `predictionIntervals`: `{ ids, clv: r.clv.estimate, lower: r.clv.lower, upper: r.clv.upper }`.
 *
 * @param input - see {@link ClvIntervalChartInput}.
 * @param options - see {@link ClvIntervalChartOptions}.
 * @returns a Vega-Lite spec.
 * @throws {@link InvalidOptionError} for columns of different lengths, non-finite values or a bad
 * option; {@link InvalidRecordError} (named by customer id) when a lower bound exceeds its upper bound.
 * @example
 * ```ts
 * const spec = clvIntervalChart({ ids: ["a", "b", "c"], clv: [10, 30, 20], lower: [5, 20, 18], upper: [12, 45, 25] }, { top: 2 });
 * (spec.data as { values: unknown[] }).values;
 * //=> [{ customerId: "b", rank: 1, clv: 30, lower: 20, upper: 45 }, { customerId: "c", rank: 2, clv: 20, lower: 18, upper: 25 }]
 * ```
 * @category CLV
 */
export function clvIntervalChart(input: ClvIntervalChartInput, options: ClvIntervalChartOptions = {}): Record<string, unknown> {
  const fn = "clvIntervalChart";
  const o = withDefaults(CLV_DEFAULTS, options);
  if (!(Number.isInteger(o.top) && o.top >= 1)) throw new InvalidOptionError(fn, "top", o.top, "an integer >= 1");
  if (typeof o.intervalLabel !== "string") throw new InvalidOptionError(fn, "intervalLabel", o.intervalLabel, "a string");
  const ids = input?.ids;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) throw new InvalidOptionError(fn, "ids", ids, "an array of customer ids (strings)");
  const n = ids.length;
  const clv = finiteArray(input.clv, n, fn, "clv");
  const lower = finiteArray(input.lower, n, fn, "lower");
  const upper = finiteArray(input.upper, n, fn, "upper");
  // The point may lie outside its interval (a plug-in estimate against quantiles of parameter
  // draws of a nonlinear prediction), so only the bounds' order is required.
  for (let i = 0; i < n; i++) {
    if (lower[i] > upper[i]) throw new InvalidRecordError(fn, { row: ids[i], field: "lower", value: lower[i], expected: `at most the upper bound ${upper[i]}` });
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => clv[j] - clv[i] || (ids[i] < ids[j] ? -1 : ids[i] > ids[j] ? 1 : i - j));
  const values = order.slice(0, o.top).map((i, k) => ({ customerId: ids[i], rank: k + 1, clv: clv[i], lower: lower[i], upper: upper[i] }));
  const y = { field: "customerId", type: "nominal", sort: values.map((v) => v.customerId), title: "customer (largest CLV first)" };
  return {
    title: `Customer lifetime value of the top ${values.length} customers, with ${o.intervalLabel}`,
    data: { values },
    height: Math.max(120, 16 * values.length),
    encoding: { y },
    layer: [
      {
        mark: { type: "rule", color: "#9aa5b1", strokeWidth: 2 },
        encoding: { x: { field: "lower", type: "quantitative", title: `CLV (point and ${o.intervalLabel})` }, x2: { field: "upper" } },
      },
      {
        mark: { type: "point", filled: true, color: "#1f4e79", size: 50 },
        encoding: {
          x: { field: "clv", type: "quantitative" },
          tooltip: [{ field: "customerId" }, { field: "clv", format: ".2f" }, { field: "lower", format: ".2f" }, { field: "upper", format: ".2f" }],
        },
      },
    ],
  };
}
