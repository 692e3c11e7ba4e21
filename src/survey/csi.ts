/**
 * The ACSI-style 0–100 customer satisfaction index of each construct of a fitted PLS model.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { itemColumns, type PlsResult } from "./pls.js";
import type { SurveyData, SurveyScale } from "./types.js";

/**
 * Options of {@link satisfactionIndex}.
 * @category Survey
 */
export interface SatisfactionIndexOptions {
  /**
   * Answer scale: one scale for every item, or a `Map` from item to scale. Default: the scales
   * of the {@link SurveyTable} the model was fitted on; required when the fit had none.
   */
  scale?: SurveyScale | ReadonlyMap<string, SurveyScale>;
  /** Constructs to index. Default: all of the fit's constructs. */
  constructs?: readonly string[];
}

/**
 * The 0–100 index of one construct.
 * @category Survey
 */
export interface ConstructIndex {
  /** The construct. */
  readonly construct: string;
  /** Index on 0–100: 0 if every respondent gave every item its lowest answer, 100 if the highest. */
  readonly index: number;
  /** Rescaled unstandardised weights by item (they sum to 1). */
  readonly weights: Readonly<Record<string, number>>;
}

/**
 * The ACSI-style 0–100 index of each construct: rescaled outer weights applied to the
 * unstandardised mean answers.
 *
 * @remarks
 * For construct j with items i: u_i = w_i / s_i (outer weight of the standardised item divided by
 * the item's standard deviation, i.e. the weight of the raw answer), ũ_i = u_i / Σ u;
 * index_j = 100 · Σ_i ũ_i (x̄_i − min_i) / (max_i − min_i) (Fornell, Johnson, Anderson, Cha &
 * Bryant 1996, *Journal of Marketing* 60(4); the ACSI methodology report). With a common
 * scale this is 100 · (Σ ũ_i x̄_i − min) / (max − min). Means and deviations are those of the
 * answers the model was fitted on (after missing-answer treatment). Agrees with the same
 * computation in R on plspm's weights for `mobi` (test/reference/survey_mobi.R).
 *
 * @param fit - a {@link plsPathModel} result.
 * @param options - {@link SatisfactionIndexOptions}.
 * @returns one {@link ConstructIndex} per construct, in the fit's order.
 * @throws {@link InvalidOptionError} when no scale is known, a scale is malformed or an item mean
 *   lies outside its scale, or a construct is unknown; {@link AnalyticsError} `INVALID_RECORD`
 *   when a construct's unstandardised weights sum to zero or less (weights of mixed signs: no
 *   index can be formed).
 * @example
 * ```ts
 * const fit = plsPathModel({ x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5] }, {
 *   blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }],
 *   paths: [{ from: "X", to: "Y" }],
 * });
 * // one item, weight 1: 100 * (mean 3 - 1) / (10 - 1)
 * satisfactionIndex(fit, { scale: { min: 1, max: 10 } })[0].index.toFixed(4);
 * //=> "22.2222"
 * ```
 * @category Survey
 */
export function satisfactionIndex(fit: PlsResult, options: SatisfactionIndexOptions = {}): ConstructIndex[] {
  const fn = "satisfactionIndex";
  const given = options.scale;
  const scaleOf = (item: string): SurveyScale => {
    let s: SurveyScale | undefined;
    if (given instanceof Map) s = given.get(item);
    else if (given !== undefined) s = given as SurveyScale;
    else s = fit.scales?.get(item);
    if (s === undefined) throw new InvalidOptionError(fn, "scale", given, `the answer scale of item "${item}" ({ min, max }), as the fit has none`);
    if (!(Number.isFinite(s.min) && Number.isFinite(s.max) && s.max > s.min)) throw new InvalidOptionError(fn, "scale", s, "{ min, max } with finite min < max");
    return s;
  };
  const wanted = options.constructs ?? fit.constructs;
  return wanted.map((c) => {
    const its = Object.prototype.hasOwnProperty.call(fit.blocks, c) ? fit.blocks[c] : undefined;
    if (its === undefined) throw new InvalidOptionError(fn, "constructs", c, `one of ${fit.constructs.join(", ")}`);
    const u = its.map((i) => fit.weights[i] / fit.itemSds[i]);
    const total = u.reduce((a, v) => a + v, 0);
    if (!(total > 0)) throw new AnalyticsError("INVALID_RECORD", `${fn}: the unstandardised weights of "${c}" sum to ${total}; an index needs weights that sum to a positive number`);
    const weights = Object.create(null) as Record<string, number>;
    let index = 0;
    its.forEach((item, q) => {
      const s = scaleOf(item);
      const m = fit.itemMeans[item];
      if (m < s.min - 1e-9 || m > s.max + 1e-9) throw new InvalidOptionError(fn, "scale", s, `a scale containing the mean answer ${m} of item "${item}"`);
      weights[item] = u[q] / total;
      index += weights[item] * (m - s.min) / (s.max - s.min);
    });
    return { construct: c, index: 100 * index, weights };
  });
}

/**
 * Options of {@link respondentIndex}.
 * @category Survey
 */
export type RespondentIndexOptions = SatisfactionIndexOptions;

/**
 * Each respondent's 0–100 index of each construct: the weights of {@link satisfactionIndex}
 * applied to that respondent's answers, so the mean over respondents is the construct's index.
 *
 * @remarks
 * index_rj = 100 · Σ_i ũ_i (x_ri − min_i) / (max_i − min_i), with ũ the rescaled unstandardised
 * weights of construct j (see {@link satisfactionIndex}). Missing answers are treated as in the
 * fit: replaced by the item's mean answer (`"mean"`), or the respondent is absent (`"casewise"`,
 * the fit's `rows`). The result is a linear rescaling of the construct score, 0 when every item
 * has its lowest answer and 100 when every item has its highest. O(n · items).
 *
 * @param fit - a {@link plsPathModel} result.
 * @param data - the answers the model was fitted on.
 * @param options - {@link RespondentIndexOptions}.
 * @returns one `Float64Array` per construct, one value per respondent used (`fit.rows`).
 * @throws the errors of {@link satisfactionIndex}; {@link InvalidOptionError} when `data` is not
 *   the data of the fit (other length or item means).
 * @example
 * ```ts
 * const data = { x: [1, 2, 3, 4, 5], y: [2, 1, 4, 3, 5] };
 * const fit = plsPathModel(data, {
 *   blocks: [{ name: "X", items: ["x"] }, { name: "Y", items: ["y"] }],
 *   paths: [{ from: "X", to: "Y" }],
 * });
 * Array.from(respondentIndex(fit, data, { scale: { min: 1, max: 5 } }).get("Y"));
 * //=> [25, 0, 75, 50, 100]
 * ```
 * @category Survey
 */
export function respondentIndex(fit: PlsResult, data: SurveyData, options: RespondentIndexOptions = {}): Map<string, Float64Array> {
  const fn = "respondentIndex";
  const wanted = options.constructs ?? fit.constructs;
  const index = satisfactionIndex(fit, options);
  const items = wanted.flatMap((c) => fit.blocks[c]);
  const { cols, n } = itemColumns(fn, data, items);
  const maxRow = fit.rows.length > 0 ? fit.rows[fit.rows.length - 1] : -1;
  if (maxRow >= n) throw new InvalidOptionError(fn, "data", n, `the answers the fit was estimated on (it used row ${maxRow + 1})`);
  const treated = new Map<string, Float64Array>();
  items.forEach((item, q) => {
    const c = cols[q];
    let s = 0;
    let m = 0;
    for (let r = 0; r < n; r++) if (!Number.isNaN(c[r])) { s += c[r]; m++; }
    const mean = m > 0 ? s / m : NaN;
    const out = Float64Array.from(fit.rows, (r) => (Number.isNaN(c[r]) ? mean : c[r]));
    let used = 0;
    for (const v of out) used += v;
    used /= out.length;
    const ref = fit.itemMeans[item];
    if (!(Math.abs(used - ref) <= 1e-9 * Math.max(1, Math.abs(ref)))) throw new InvalidOptionError(fn, "data", item, `the answers the fit was estimated on (mean of "${item}" ${used}, the fit's ${ref})`);
    treated.set(item, out);
  });
  const scaleOf = (item: string): SurveyScale => {
    const g = options.scale;
    if (g instanceof Map) return g.get(item) as SurveyScale;
    if (g !== undefined) return g as SurveyScale;
    return fit.scales?.get(item) as SurveyScale;
  };
  const result = new Map<string, Float64Array>();
  wanted.forEach((c, j) => {
    const y = new Float64Array(fit.rows.length);
    for (const item of fit.blocks[c]) {
      const s = scaleOf(item);
      const u = index[j].weights[item];
      const x = treated.get(item) as Float64Array;
      for (let r = 0; r < y.length; r++) y[r] += 100 * u * (x[r] - s.min) / (s.max - s.min);
    }
    result.set(c, y);
  });
  return result;
}
