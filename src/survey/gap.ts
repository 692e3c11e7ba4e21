/**
 * Expectation–perception gaps per attribute (SERVQUAL style) with seeded bootstrap intervals.
 * @module
 */
import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { createRng, sampleInt, type Seed } from "../numeric/random.js";
import { quantiles } from "../numeric/quantile.js";
import { itemColumns } from "./pls.js";
import type { SurveyData } from "./types.js";

/**
 * One attribute measured twice: what respondents expected and what they perceived.
 * @category Survey
 */
export interface GapPair {
  /** Attribute name (for example "reliability"). */
  readonly attribute: string;
  /** Item holding the expectation answer. */
  readonly expectation: string;
  /** Item holding the perception answer. */
  readonly perception: string;
}

/**
 * Options of {@link expectationGaps}.
 * @category Survey
 */
export interface ExpectationGapsOptions {
  /** Coverage of the intervals. Default `0.95`. */
  level?: number;
  /** Bootstrap samples for the percentile interval. Default `1000`. */
  samples?: number;
  /** Seed of the resampling generator. Default `1`. */
  seed?: Seed;
}

const GAP_DEFAULTS = Object.freeze({ level: 0.95, samples: 1000, seed: 1 as Seed });

/**
 * The gap of one attribute.
 * @category Survey
 */
export interface AttributeGap {
  /** Attribute. */
  readonly attribute: string;
  /** Respondents who answered both items. */
  readonly n: number;
  /** Mean expectation. */
  readonly expectation: number;
  /** Mean perception. */
  readonly perception: number;
  /** Mean of perception − expectation (negative: expectations not met). */
  readonly gap: number;
  /** Standard error of the mean gap, sd(d)/√n with divisor n − 1. */
  readonly standardError: number;
  /** Lower percentile-bootstrap bound of the mean gap. */
  readonly lower: number;
  /** Upper percentile-bootstrap bound of the mean gap. */
  readonly upper: number;
}

/**
 * Expectation–perception gap of each attribute: mean of the per-respondent differences
 * perception − expectation, its standard error and a seeded percentile-bootstrap interval.
 *
 * @remarks
 * SERVQUAL's gap score Q = P − E (Parasuraman, Zeithaml & Berry 1988), averaged over the
 * respondents who answered both items (pairwise: a respondent missing one answer is left out of
 * that attribute only). The interval resamples those differences `samples` times with a
 * generator seeded by `seed` (R-7 quantiles), so it needs no normality; the standard error is
 * the usual sd/√n. O(n · samples) per attribute.
 *
 * @param data - the answers ({@link SurveyData}).
 * @param pairs - the attributes and their two items.
 * @param options - {@link ExpectationGapsOptions}.
 * @returns one {@link AttributeGap} per pair, in order.
 * @throws {@link InvalidOptionError} for no pairs, an unknown item, `level` outside (0, 1),
 *   `samples` not an integer ≥ 100; {@link AnalyticsError} `EMPTY_INPUT` for an attribute with
 *   fewer than 2 complete answer pairs; {@link InvalidRecordError} for a non-numeric answer.
 * @example
 * ```ts
 * const data = { e1: [7, 8, 9, 6], p1: [6, 6, 8, 6] };
 * const [g] = expectationGaps(data, [{ attribute: "speed", expectation: "e1", perception: "p1" }], { samples: 200 });
 * // differences -1, -2, -1, 0: mean -1, sd sqrt(2/3), SE sqrt(2/3)/2
 * [g.gap, g.standardError.toFixed(4)];
 * //=> [-1, "0.4082"]
 * ```
 * @category Survey
 */
export function expectationGaps(data: SurveyData, pairs: readonly GapPair[], options: ExpectationGapsOptions = {}): AttributeGap[] {
  const fn = "expectationGaps";
  const o = withDefaults(GAP_DEFAULTS, options);
  if (!Array.isArray(pairs) || pairs.length === 0) throw new InvalidOptionError(fn, "pairs", pairs, "a non-empty list of { attribute, expectation, perception }");
  if (!(typeof o.level === "number" && o.level > 0 && o.level < 1)) throw new InvalidOptionError(fn, "level", o.level, "a number in (0, 1)");
  if (!(Number.isInteger(o.samples) && o.samples >= 100)) throw new InvalidOptionError(fn, "samples", o.samples, "an integer >= 100");
  const rng = createRng(o.seed);
  const lo = (1 - o.level) / 2;
  return pairs.map((pair) => {
    const { cols } = itemColumns(fn, data, [pair.expectation, pair.perception]);
    const [e, p] = cols;
    const d: number[] = [];
    let se = 0;
    let sp = 0;
    for (let r = 0; r < e.length; r++) {
      if (Number.isNaN(e[r]) || Number.isNaN(p[r])) continue;
      d.push(p[r] - e[r]);
      se += e[r];
      sp += p[r];
    }
    const n = d.length;
    if (n < 2) throw new AnalyticsError("EMPTY_INPUT", `${fn}: attribute "${pair.attribute}" has ${n} respondents with both answers; a gap and its interval need at least 2`);
    const mean = d.reduce((a, v) => a + v, 0) / n;
    const sd = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    const means = new Float64Array(o.samples);
    for (let b = 0; b < o.samples; b++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += d[sampleInt(rng, n)];
      means[b] = s / n;
    }
    const [lower, upper] = quantiles(means, [lo, 1 - lo]);
    return { attribute: pair.attribute, n, expectation: se / n, perception: sp / n, gap: mean, standardError: sd / Math.sqrt(n), lower, upper };
  });
}
