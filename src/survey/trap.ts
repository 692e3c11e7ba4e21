/**
 * The satisfaction trap: loyalty by satisfaction level with a monotone fit, and the
 * satisfaction level above which loyalty starts to rise steeply.
 * @module
 */
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { quantiles } from "../numeric/quantile.js";
import { createRng, sampleInt, type Seed } from "../numeric/random.js";
import { isotonicRegression } from "../numeric/isotonic.js";

/**
 * Options of {@link satisfactionTrap}.
 * @category Survey
 */
export interface SatisfactionTrapOptions {
  /**
   * Satisfaction levels of the table and the isotonic fit: `"distinct"` (every distinct
   * satisfaction value is a level: the points of an answer scale), a number q ≥ 2 (q bins of
   * about equal counts by rank, a tied value never split), or `"auto"` (distinct values when there
   * are at most 20, else 10 bins: deciles). Default `"auto"`.
   */
  bins?: "auto" | "distinct" | number;
  /**
   * Respondents required on each side of a breakpoint. Default: 5% of the respondents, at
   * least 2.
   */
  minSegment?: number;
  /** Bootstrap samples for the breakpoint's interval; 0 for none. Default `500`. */
  samples?: number;
  /** Seed of the bootstrap generator. Default `1`. */
  seed?: Seed;
  /** Coverage of the percentile interval. Default `0.95`. */
  level?: number;
}

const TRAP_DEFAULTS = Object.freeze({ bins: "auto" as SatisfactionTrapOptions["bins"], samples: 500 as number, seed: 1 as Seed, level: 0.95 as number });

/**
 * One satisfaction level.
 * @category Survey
 */
export interface TrapLevel {
  /** Lowest satisfaction value in the level. */
  readonly lower: number;
  /** Highest satisfaction value in the level. */
  readonly upper: number;
  /** Mean satisfaction in the level. */
  readonly satisfaction: number;
  /** Respondents in the level. */
  readonly n: number;
  /** Mean loyalty in the level (a share when loyalty is 0/1, e.g. repurchase). */
  readonly loyalty: number;
  /** The isotonic (non-decreasing) fit of the level means, weighted by `n`. */
  readonly isotonic: number;
}

/**
 * Result of {@link satisfactionTrap}.
 * @category Survey
 */
export interface SatisfactionTrapResult {
  /** Respondents used (pairs with both values). */
  readonly n: number;
  /** Pairs left out because one of the two values was missing (`NaN`). */
  readonly skipped: number;
  /** Loyalty by satisfaction level, ascending. */
  readonly levels: readonly TrapLevel[];
  /** Satisfaction value at the kink of the two-segment fit. */
  readonly breakpoint: number;
  /** Fitted loyalty at the breakpoint. */
  readonly atBreakpoint: number;
  /** Slope of loyalty on satisfaction up to the breakpoint. */
  readonly slopeBelow: number;
  /** Slope above the breakpoint. */
  readonly slopeAbove: number;
  /** Residual sum of squares of the two-segment fit. */
  readonly sse: number;
  /** Residual sum of squares of one straight line (the fit without a kink), for comparison. */
  readonly sseLine: number;
  /** Whether loyalty rises more steeply above the breakpoint than below it (a trap). */
  readonly trap: boolean;
  /** The flat zone `[lowest satisfaction, breakpoint]` when `trap`, else `null`. */
  readonly flatZone: {
    /** The lowest satisfaction value. */
    readonly from: number;
    /** The breakpoint. */
    readonly to: number;
  } | null;
  /** Percentile bootstrap interval of the breakpoint, `null` when `samples` is 0. */
  readonly interval: {
    /** Lower percentile bound of the breakpoint. */
    readonly lower: number;
    /** Upper percentile bound. */
    readonly upper: number;
    /** Coverage. */
    readonly level: number;
    /** Bootstrap samples drawn. */
    readonly samples: number;
    /** Samples without an admissible breakpoint, left out. */
    readonly failed: number;
  } | null;
}

/** The best two-segment fit on sorted data. */
interface Hinge {
  c: number;
  a: number;
  b: number;
  d: number;
  sse: number;
}

/**
 * Least-squares continuous two-segment fit y = a + b x + d · max(0, x − c) with c chosen among
 * the distinct x values that leave ≥ 2 distinct values (and `minSegment` points) at or below c
 * and ≥ 1 distinct value (and `minSegment` points) above. `x` ascending. `null` when no
 * candidate exists.
 */
function bestHinge(x: Float64Array, y: Float64Array, minSegment: number): Hinge | null {
  const n = x.length;
  let xm = 0;
  let ym = 0;
  for (let i = 0; i < n; i++) { xm += x[i]; ym += y[i]; }
  xm /= n;
  ym /= n;
  // suffix sums of 1, u, u², v, uv over i..n-1 with u = x − x̄, v = y − ȳ
  const su = new Float64Array(n + 1);
  const suu = new Float64Array(n + 1);
  const sv = new Float64Array(n + 1);
  const suv = new Float64Array(n + 1);
  let svv = 0;
  for (let i = n - 1; i >= 0; i--) {
    const u = x[i] - xm;
    const v = y[i] - ym;
    su[i] = su[i + 1] + u;
    suu[i] = suu[i + 1] + u * u;
    sv[i] = sv[i + 1] + v;
    suv[i] = suv[i + 1] + u * v;
    svv += v * v;
  }
  let best: Hinge | null = null;
  let distinctBelow = 0;
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && x[i + 1] === x[i]) continue;
    distinctBelow++;
    const above = i + 1; // first index with x > c
    const nAbove = n - above;
    if (distinctBelow < 2 || nAbove < Math.max(1, minSegment) || above < minSegment) continue;
    const c = x[i];
    const ct = c - xm;
    const sh = su[above] - ct * nAbove;
    const shh = suu[above] - 2 * ct * su[above] + ct * ct * nAbove;
    const suh = suu[above] - ct * su[above];
    const shv = suv[above] - ct * sv[above];
    // normal equations [[n, 0, Σh], [0, Σu², Σuh], [Σh, Σuh, Σh²]] (a, b, d) = (0, Σuv, Σhv):
    // a = −d Σh / n leaves a 2 × 2 system in (b, d), solved in closed form (this runs once per
    // candidate and bootstrap sample, so no allocation)
    const s22 = shh - (sh * sh) / n;
    const det = suu[0] * s22 - suh * suh;
    if (!(det > 1e-10 * suu[0] * s22)) continue;
    const b = (suv[0] * s22 - suh * shv) / det;
    const d = (suu[0] * shv - suh * suv[0]) / det;
    const sse = Math.max(0, svv - (b * suv[0] + d * shv));
    if (best === null || sse < best.sse - 1e-12 * Math.max(1, svv)) {
      // back to the original x and y: y = ȳ + a + b (x − x̄) + d h
      best = { c, a: ym - (d * sh) / n - b * xm, b, d, sse };
    }
  }
  return best;
}

/** The rows sorted by x. */
function sortByX(x: ArrayLike<number>, y: ArrayLike<number>, idx: ArrayLike<number>): { x: Float64Array; y: Float64Array } {
  const order = Array.from(idx).sort((a, b) => x[a] - x[b] || a - b);
  return { x: Float64Array.from(order, (i) => x[i]), y: Float64Array.from(order, (i) => y[i]) };
}

/**
 * Loyalty by satisfaction level with an isotonic fit, and detection of the satisfaction trap:
 * the satisfaction level above which loyalty rises steeply.
 *
 * @remarks
 * Levels: the respondents are grouped by satisfaction (see `bins`); each level's mean loyalty
 * is fitted by weighted isotonic regression (pool-adjacent-violators, weights = respondents), the
 * monotone curve "more satisfied, at least as loyal".
 *
 * The trap (Jones & Sasser 1995, *Harvard Business Review* 73(6)): loyalty is nearly flat over
 * most of the satisfaction range and rises steeply only near the top. It is located by a
 * continuous two-segment (hinge) regression on the respondents,
 * loyalty = a + b · s + d · max(0, s − c), with the breakpoint c chosen among the observed
 * satisfaction values by least squares (each candidate an OLS fit, O(1) from running sums after
 * one sort: O(n log n)); slopes b below and b + d above. It uses every respondent, not level means
 * whose second differences are noisy, and does not depend on the binning. `trap` is
 * `slopeAbove > slopeBelow`; the flat zone is [min s, c]. The interval is the percentile bootstrap
 * of c over resampled respondents (R-7 quantiles); resamples without any admissible breakpoint are
 * counted in `failed`. Cost O(n log n) + O(B · n) for B samples.
 *
 * @param satisfaction - satisfaction per respondent (a scale answer, a 0–100 index, a score).
 * @param loyalty - loyalty per respondent, same length: a score, or 0/1 (repurchased, stayed).
 *   A pair where either value is `NaN` is left out and counted in `skipped`.
 * @param options - {@link SatisfactionTrapOptions}.
 * @returns the levels, the fit and the trap ({@link SatisfactionTrapResult}).
 * @throws {@link InvalidRecordError} naming the position and the value of an infinite or
 *   non-numeric value; {@link InvalidOptionError} for lengths that differ or a bad option;
 *   {@link AnalyticsError} `EMPTY_INPUT` for fewer than 4 pairs, `INVALID_RECORD` when no breakpoint
 *   leaves two satisfaction values and `minSegment` respondents below it and one value and
 *   `minSegment` respondents above it.
 * @example
 * ```ts
 * // loyalty 0.1 up to satisfaction 7, then +0.3 per point: the breakpoint is 7
 * const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
 * const l = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4, 0.7, 1.0];
 * const t = satisfactionTrap(s, l, { samples: 0, minSegment: 1 });
 * [t.breakpoint, t.slopeBelow.toFixed(6), t.slopeAbove.toFixed(6), t.trap, t.flatZone];
 * //=> [7, "0.000000", "0.300000", true, { from: 1, to: 7 }]
 * ```
 * @category Survey
 */
export function satisfactionTrap(satisfaction: ArrayLike<number>, loyalty: ArrayLike<number>, options: SatisfactionTrapOptions = {}): SatisfactionTrapResult {
  const fn = "satisfactionTrap";
  const o = withDefaults(TRAP_DEFAULTS, options);
  if (satisfaction === null || typeof satisfaction !== "object" || typeof satisfaction.length !== "number") throw new InvalidOptionError(fn, "satisfaction", satisfaction, "an array of numbers");
  if (loyalty === null || typeof loyalty !== "object" || typeof loyalty.length !== "number") throw new InvalidOptionError(fn, "loyalty", loyalty, "an array of numbers");
  if (satisfaction.length !== loyalty.length) throw new InvalidOptionError(fn, "loyalty", loyalty.length, `as many values as satisfaction (${satisfaction.length})`);
  const bins = o.bins;
  if (!(bins === "auto" || bins === "distinct" || (typeof bins === "number" && Number.isInteger(bins) && bins >= 2))) throw new InvalidOptionError(fn, "bins", bins, '"auto", "distinct" or an integer >= 2');
  if (!(Number.isInteger(o.samples) && (o.samples === 0 || o.samples >= 10))) throw new InvalidOptionError(fn, "samples", o.samples, "0 or an integer >= 10");
  if (!(typeof o.level === "number" && o.level > 0 && o.level < 1)) throw new InvalidOptionError(fn, "level", o.level, "a number in (0, 1)");
  if (o.minSegment !== undefined && !(Number.isInteger(o.minSegment) && o.minSegment >= 1)) throw new InvalidOptionError(fn, "minSegment", o.minSegment, "an integer >= 1");
  const keep: number[] = [];
  let skipped = 0;
  for (let i = 0; i < satisfaction.length; i++) {
    const s = satisfaction[i];
    const l = loyalty[i];
    for (const [field, v] of [["satisfaction", s], ["loyalty", l]] as const) {
      if (typeof v !== "number" || v === Infinity || v === -Infinity) throw new InvalidRecordError(fn, { row: i + 1, field, value: v, expected: "a finite number, or NaN for a missing value" });
    }
    if (Number.isNaN(s) || Number.isNaN(l)) skipped++;
    else keep.push(i);
  }
  const n = keep.length;
  if (n < 4) throw new AnalyticsError("EMPTY_INPUT", `${fn}: ${n} respondents with both satisfaction and loyalty; the trap needs at least 4`);
  const minSegment = o.minSegment ?? Math.max(2, Math.ceil(0.05 * n));
  const { x, y } = sortByX(satisfaction, loyalty, keep);

  // levels: groups of tied values, then bins of about equal counts
  const groupStart: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || x[i] !== x[i - 1]) groupStart.push(i);
  const q = bins === "auto" ? (groupStart.length <= 20 ? 0 : 10) : bins === "distinct" ? 0 : bins;
  const levelOf = (g: number) => (q === 0 ? g : Math.floor((q * groupStart[g]) / n));
  const raw: { lower: number; upper: number; sx: number; sy: number; n: number }[] = [];
  let last = -1;
  groupStart.forEach((start, g) => {
    const end = g + 1 < groupStart.length ? groupStart[g + 1] : n;
    const lv = levelOf(g);
    if (lv !== last) raw.push({ lower: x[start], upper: x[start], sx: 0, sy: 0, n: 0 });
    last = lv;
    const cur = raw[raw.length - 1];
    cur.upper = x[start];
    for (let i = start; i < end; i++) { cur.sx += x[i]; cur.sy += y[i]; cur.n++; }
  });
  const iso = isotonicRegression(raw.map((r) => r.sy / r.n), raw.map((r) => r.n));
  const levels: TrapLevel[] = raw.map((r, k) => ({ lower: r.lower, upper: r.upper, satisfaction: r.sx / r.n, n: r.n, loyalty: r.sy / r.n, isotonic: iso[k] }));

  const fit = bestHinge(x, y, minSegment);
  if (fit === null) {
    throw new AnalyticsError("INVALID_RECORD", `${fn}: no breakpoint leaves two satisfaction values and ${minSegment} respondents below it and ${minSegment} respondents above it (${groupStart.length} distinct satisfaction values among ${n} respondents); give more varied answers or a smaller minSegment`);
  }
  let sse = 0;
  let sseLine = 0;
  {
    let xm = 0;
    let ym = 0;
    for (let i = 0; i < n; i++) { xm += x[i]; ym += y[i]; }
    xm /= n;
    ym /= n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) { sxx += (x[i] - xm) ** 2; sxy += (x[i] - xm) * (y[i] - ym); }
    const slope = sxy / sxx;
    for (let i = 0; i < n; i++) {
      sse += (y[i] - (fit.a + fit.b * x[i] + fit.d * Math.max(0, x[i] - fit.c))) ** 2;
      sseLine += (y[i] - (ym + slope * (x[i] - xm))) ** 2;
    }
  }
  const slopeAbove = fit.b + fit.d;
  const trap = slopeAbove > fit.b;

  let interval: SatisfactionTrapResult["interval"] = null;
  if (o.samples > 0) {
    const rng = createRng(o.seed);
    const draws: number[] = [];
    let failed = 0;
    // x is sorted, so a resample sorted by position is sorted by x: count the draws of each
    // position and lay them out in order, O(n) per sample instead of a sort
    const count = new Int32Array(n);
    const bx = new Float64Array(n);
    const by = new Float64Array(n);
    for (let b = 0; b < o.samples; b++) {
      count.fill(0);
      for (let r = 0; r < n; r++) count[sampleInt(rng, n)]++;
      let at = 0;
      for (let i = 0; i < n; i++) for (let k = 0; k < count[i]; k++) { bx[at] = x[i]; by[at] = y[i]; at++; }
      const h = bestHinge(bx, by, minSegment);
      if (h === null) failed++;
      else draws.push(h.c);
    }
    if (failed * 2 > o.samples) {
      throw new AnalyticsError("NOT_CONVERGED", `${fn}: ${failed} of ${o.samples} bootstrap samples had no admissible breakpoint; too few distinct satisfaction values for an interval (use samples: 0)`);
    }
    const lo = (1 - o.level) / 2;
    const [lower, upper] = quantiles(draws, [lo, 1 - lo]);
    interval = { lower, upper, level: o.level, samples: o.samples, failed };
  }
  return {
    n,
    skipped,
    levels,
    breakpoint: fit.c,
    atBreakpoint: fit.a + fit.b * fit.c,
    slopeBelow: fit.b,
    slopeAbove,
    sse,
    sseLine,
    trap,
    flatZone: trap ? { from: x[0], to: fit.c } : null,
    interval,
  };
}
