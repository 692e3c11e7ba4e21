import { withDefaults } from "../core/options.js";
import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * An inclusive score range `[lo, hi]`.
 * @category RFM segments
 */
export type ScoreRange = readonly [number, number];

/**
 * A named segment rule: a customer whose scores fall in every given range gets the name.
 * Rules are tried in order and the first match wins. A missing dimension matches any score.
 * Several rules may carry the same name (e.g. a segment that is not a rectangle).
 * @category RFM segments
 */
export interface SegmentRule {
  /** Segment name. */
  readonly name: string;
  /** Recency score range (5 = most recent), inclusive. Missing: any. */
  readonly r?: ScoreRange;
  /** Frequency score range, inclusive. Missing: any. */
  readonly f?: ScoreRange;
  /** Monetary score range, inclusive. Missing: any. */
  readonly m?: ScoreRange;
}

/**
 * Names of the built-in rule tables.
 * - `"grid"`: the complete R x F grid used widely in practice (M ignored), with Lost = R 1, F 1.
 * - `"grid-classic"`: the same grid with R 1, F 1 left in Hibernating (no Lost segment).
 * - `"rfm-0.3"`: the R `rfm` package's newer table (10 rules, M used; gaps go to "Others").
 * - `"rfm-0.2"`: the R `rfm` package's older table (10 rules; gaps go to "Others").
 * @category RFM segments
 */
export type SegmentPreset = "grid" | "grid-classic" | "rfm-0.3" | "rfm-0.2";

const rule = (name: string, r: ScoreRange, f: ScoreRange, m?: ScoreRange): SegmentRule =>
  Object.freeze(m ? { name, r: Object.freeze(r), f: Object.freeze(f), m: Object.freeze(m) } : { name, r: Object.freeze(r), f: Object.freeze(f) });

/** The R x F grid of SPEC section 1 (rows R 5..1, columns F 1..5), as rectangles. */
const GRID: readonly SegmentRule[] = Object.freeze([
  rule("Champions", [5, 5], [4, 5]),
  rule("Loyal Customers", [3, 4], [4, 5]),
  rule("Potential Loyalists", [4, 5], [2, 3]),
  rule("New Customers", [5, 5], [1, 1]),
  rule("Promising", [4, 4], [1, 1]),
  rule("Need Attention", [3, 3], [3, 3]),
  rule("About To Sleep", [3, 3], [1, 2]),
  rule("At Risk", [1, 2], [3, 4]),
  rule("Can't Lose Them", [1, 2], [5, 5]),
  rule("Hibernating", [2, 2], [1, 2]),
  rule("Hibernating", [1, 1], [2, 2]),
  rule("Lost", [1, 1], [1, 1]),
]);

const GRID_CLASSIC: readonly SegmentRule[] = Object.freeze([...GRID.slice(0, 9), rule("Hibernating", [1, 2], [1, 2])]);

/** R `rfm` 0.3 table (order matters: first match wins). */
const RFM_03: readonly SegmentRule[] = Object.freeze([
  rule("Champions", [5, 5], [5, 5], [5, 5]),
  rule("Potential Loyalist", [3, 5], [3, 5], [2, 5]),
  rule("Loyal Customers", [2, 4], [2, 4], [2, 4]),
  rule("Promising", [3, 4], [1, 3], [3, 5]),
  rule("New Customers", [4, 5], [1, 3], [1, 5]),
  rule("Can't Lose Them", [1, 2], [3, 4], [4, 5]),
  rule("At Risk", [1, 2], [2, 5], [4, 5]),
  rule("Need Attention", [1, 3], [3, 5], [3, 5]),
  rule("About To Sleep", [2, 3], [1, 3], [1, 4]),
  rule("Lost", [1, 1], [1, 5], [1, 5]),
]);

/** R `rfm` 0.2 table (order matters: first match wins). */
const RFM_02: readonly SegmentRule[] = Object.freeze([
  rule("Champions", [4, 5], [4, 5], [4, 5]),
  rule("Loyal Customers", [2, 5], [3, 5], [3, 5]),
  rule("Potential Loyalist", [3, 5], [1, 3], [1, 3]),
  rule("New Customers", [4, 5], [1, 1], [1, 1]),
  rule("Promising", [3, 4], [1, 1], [1, 1]),
  rule("Need Attention", [2, 3], [2, 3], [2, 3]),
  rule("About To Sleep", [2, 3], [1, 2], [1, 2]),
  rule("At Risk", [1, 2], [2, 5], [2, 5]),
  rule("Can't Lose Them", [1, 1], [4, 5], [4, 5]),
  rule("Lost", [1, 2], [1, 2], [1, 2]),
]);

/**
 * A built-in segment rule table (frozen; copy it to change a rule).
 *
 * @remarks
 * All presets are for 5 scores per dimension. `"grid"` (the default of {@link rfm}) is a complete
 * partition of the R x F grid, so nobody lands in "Others":
 *
 * | R \ F | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | New Customers | Potential Loyalists | Potential Loyalists | Champions | Champions |
 * | 4 | Promising | Potential Loyalists | Potential Loyalists | Loyal Customers | Loyal Customers |
 * | 3 | About To Sleep | About To Sleep | Need Attention | Loyal Customers | Loyal Customers |
 * | 2 | Hibernating | Hibernating | At Risk | At Risk | Can't Lose Them |
 * | 1 | Lost | Hibernating | At Risk | At Risk | Can't Lose Them |
 *
 * `"rfm-0.3"` and `"rfm-0.2"` reproduce the R `rfm` package's two published tables (first
 * match wins, inclusive ranges), defects included: {@link validateSegmentRules} reports them.
 * Source: SPEC section 1; R package `rfm` (Hebbali), `rfm_segment` documentation.
 *
 * @param name - the preset.
 * @returns the frozen rules, in matching order.
 * @throws {@link InvalidOptionError} for an unknown name.
 * @example
 * ```ts
 * segmentRulesPreset("grid").length;
 * //=> 12
 * segmentRulesPreset("rfm-0.3")[0];
 * //=> { name: "Champions", r: [5, 5], f: [5, 5], m: [5, 5] }
 * ```
 * @category RFM segments
 */
export function segmentRulesPreset(name: SegmentPreset): readonly SegmentRule[] {
  switch (name) {
    case "grid":
      return GRID;
    case "grid-classic":
      return GRID_CLASSIC;
    case "rfm-0.3":
      return RFM_03;
    case "rfm-0.2":
      return RFM_02;
    default:
      throw new InvalidOptionError("segmentRulesPreset", "name", name, '"grid", "grid-classic", "rfm-0.3" or "rfm-0.2"');
  }
}

/** Score counts per dimension, for rule checks. */
export interface ScoreBins {
  r: number;
  f: number;
  m: number;
}

/** Check the shape of rules; throw InvalidRecordError (row = 1-based rule position). */
export function checkRules(rules: readonly SegmentRule[], fn: string, bins: ScoreBins): void {
  if (!Array.isArray(rules)) throw new InvalidOptionError(fn, "segments", rules, "an array of segment rules or a preset name");
  rules.forEach((ru, i) => {
    if (ru === null || typeof ru !== "object") throw new InvalidRecordError(fn, { row: i + 1, field: "rule", value: ru, expected: "a rule { name, r?, f?, m? }" });
    if (typeof ru.name !== "string" || ru.name.length === 0) throw new InvalidRecordError(fn, { row: i + 1, field: "name", value: ru.name, expected: "a non-empty segment name" });
    for (const d of ["r", "f", "m"] as const) {
      const range = ru[d];
      if (range === undefined) continue;
      if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => Number.isInteger(x))) {
        throw new InvalidRecordError(fn, { row: i + 1, field: d, value: range, expected: `an inclusive range [lo, hi] of whole scores` });
      }
      if (range[0] < 1 || range[1] > bins[d]) {
        throw new InvalidRecordError(fn, { row: i + 1, field: d, value: range, expected: `scores within 1..${bins[d]}` });
      }
    }
  });
}

/** Does rule `ru` match scores (r, f, m)? */
function matches(ru: SegmentRule, r: number, f: number, m: number): boolean {
  return (!ru.r || (r >= ru.r[0] && r <= ru.r[1])) && (!ru.f || (f >= ru.f[0] && f <= ru.f[1])) && (!ru.m || (m >= ru.m[0] && m <= ru.m[1]));
}

/**
 * Lookup table over every score cell: index of the first matching rule, -1 for none.
 * Cell code = ((r - 1) * bins.f + (f - 1)) * bins.m + (m - 1).
 */
export function ruleTable(rules: readonly SegmentRule[], bins: ScoreBins): Int32Array {
  const t = new Int32Array(bins.r * bins.f * bins.m).fill(-1);
  for (let r = 1; r <= bins.r; r++) {
    for (let f = 1; f <= bins.f; f++) {
      for (let m = 1; m <= bins.m; m++) {
        const code = ((r - 1) * bins.f + (f - 1)) * bins.m + (m - 1);
        for (let k = 0; k < rules.length; k++) {
          if (matches(rules[k], r, f, m)) {
            t[code] = k;
            break;
          }
        }
      }
    }
  }
  return t;
}

/**
 * Scores per dimension, given per dimension (a missing dimension takes the default, 5).
 * @category RFM
 */
export interface RfmBinsOption {
  /** Recency scores. Default 5. */
  r?: number;
  /** Frequency scores. Default 5. */
  f?: number;
  /** Monetary scores. Default 5. */
  m?: number;
}

/**
 * One (r, f, m) score cell.
 * @category RFM segments
 */
export interface ScoreCell {
  /** Recency score. */
  r: number;
  /** Frequency score. */
  f: number;
  /** Monetary score. */
  m: number;
}

/**
 * A rule that wins no score cell.
 * @category RFM segments
 */
export interface UnreachableRule {
  /** 0-based position of the rule. */
  index: number;
  /** Its name. */
  name: string;
  /** Names of the earlier rules that take its cells (empty when its ranges match no cell). */
  shadowedBy: string[];
}

/**
 * How many score cells a rule wins.
 * @category RFM segments
 */
export interface RuleCells {
  /** 0-based position of the rule. */
  index: number;
  /** Its name. */
  name: string;
  /** Cells it wins (first match). */
  cells: number;
}

/**
 * Options of {@link validateSegmentRules}.
 * @category RFM segments
 */
export interface ValidateSegmentRulesOptions {
  /** Scores per dimension the rules are meant for. Default 5 for each. */
  bins?: number | RfmBinsOption;
}

/**
 * A pair of rules that match some of the same score cells.
 * @category RFM segments
 */
export interface RuleOverlap {
  /** 0-based index of the earlier rule (it wins the shared cells). */
  first: number;
  /** 0-based index of the later rule. */
  second: number;
  /** Names of the two rules. */
  names: [string, string];
  /** Number of (r, f, m) cells both rules match. */
  cells: number;
  /** True when the two rules have the same name (harmless: a non-rectangular segment). */
  sameName: boolean;
}

/**
 * Report of {@link validateSegmentRules}.
 * @category RFM segments
 */
export interface SegmentRulesReport {
  /** True when there are no unreachable rules, no overlaps between differently named rules, and no uncovered cells. */
  ok: boolean;
  /** Pairs of rules matching common cells. */
  overlaps: RuleOverlap[];
  /** Rules that never win a cell (empty ranges, or every cell taken by earlier rules). */
  unreachable: UnreachableRule[];
  /** Score cells that no rule matches (those customers would get "Others"), as `{ r, f, m }`. */
  uncovered: ScoreCell[];
  /** Cells won by each rule, in rule order. */
  cellsWon: RuleCells[];
  /** One human-readable line per problem. */
  messages: string[];
}

const VALIDATE_SEGMENT_RULES_DEFAULTS = Object.freeze({ bins: 5 as number | RfmBinsOption });

/**
 * Check a segment rule table: overlaps, unreachable rules and uncovered score cells.
 *
 * @remarks
 * Every (r, f, m) cell of the score grid is matched against the rules in order (first match
 * wins, ranges inclusive, a missing dimension matches any score). A rule is *unreachable* when
 * it wins no cell; an *overlap* is a pair of rules matching a common cell (the later one loses
 * it); an *uncovered* cell matches no rule, so its customers fall into "Others". Complexity
 * O(cells x rules^2) at most, tiny for 5 x 5 x 5.
 * On the R `rfm` package's tables this flags the known defects: in the 0.2 table "Can't Lose
 * Them" is unreachable after "At Risk" (and "New Customers" and "Promising" after "Potential
 * Loyalist"), and both tables leave cells uncovered.
 *
 * @param rules - the rules, in matching order.
 * @param options - see {@link ValidateSegmentRulesOptions}.
 * @returns the report; `ok` is true for a clean partition such as the default grid.
 * @throws {@link InvalidRecordError} for a malformed rule (`row` = 1-based rule position).
 * @throws {@link InvalidOptionError} for bad `bins`.
 * @example
 * ```ts
 * validateSegmentRules(segmentRulesPreset("grid")).ok;
 * //=> true
 * validateSegmentRules(segmentRulesPreset("rfm-0.2")).unreachable.map((u) => u.name);
 * //=> ["New Customers", "Promising", "Can't Lose Them"]
 * ```
 * @category RFM segments
 */
export function validateSegmentRules(rules: readonly SegmentRule[], options: ValidateSegmentRulesOptions = {}): SegmentRulesReport {
  const fn = "validateSegmentRules";
  const bins = resolveBins(withDefaults(VALIDATE_SEGMENT_RULES_DEFAULTS, options).bins, fn);
  checkRules(rules, fn, bins);
  const table = ruleTable(rules, bins);
  const won = new Array<number>(rules.length).fill(0);
  const uncovered: ScoreCell[] = [];
  const shared = new Map<number, number>(); // i * rules.length + j -> cells
  const shadow = new Map<number, Set<string>>();
  for (let r = 1; r <= bins.r; r++) {
    for (let f = 1; f <= bins.f; f++) {
      for (let m = 1; m <= bins.m; m++) {
        const code = ((r - 1) * bins.f + (f - 1)) * bins.m + (m - 1);
        const w = table[code];
        if (w < 0) {
          uncovered.push({ r, f, m });
          continue;
        }
        won[w]++;
        const hits: number[] = [];
        for (let k = 0; k < rules.length; k++) if (matches(rules[k], r, f, m)) hits.push(k);
        for (let a = 0; a < hits.length; a++) {
          for (let b = a + 1; b < hits.length; b++) {
            const key = hits[a] * rules.length + hits[b];
            shared.set(key, (shared.get(key) ?? 0) + 1);
          }
          if (a > 0) {
            let s = shadow.get(hits[a]);
            if (!s) shadow.set(hits[a], (s = new Set()));
            s.add(rules[w].name);
          }
        }
      }
    }
  }
  const overlaps: RuleOverlap[] = [];
  for (const [key, cells] of [...shared].sort((x, y) => x[0] - y[0])) {
    const first = Math.floor(key / rules.length);
    const second = key % rules.length;
    overlaps.push({ first, second, names: [rules[first].name, rules[second].name], cells, sameName: rules[first].name === rules[second].name });
  }
  const unreachable = rules.flatMap((ru, index) => (won[index] === 0 ? [{ index, name: ru.name, shadowedBy: [...(shadow.get(index) ?? [])] }] : []));
  const messages: string[] = [];
  for (const u of unreachable) {
    messages.push(
      u.shadowedBy.length
        ? `rule ${u.index + 1} "${u.name}" is unreachable: every cell it matches is taken by ${u.shadowedBy.map((s) => `"${s}"`).join(", ")}`
        : `rule ${u.index + 1} "${u.name}" is unreachable: it matches no score cell`,
    );
  }
  for (const o of overlaps) {
    if (!o.sameName) messages.push(`rules ${o.first + 1} "${o.names[0]}" and ${o.second + 1} "${o.names[1]}" overlap on ${o.cells} cell(s); "${o.names[0]}" wins them`);
  }
  if (uncovered.length) messages.push(`${uncovered.length} of ${bins.r * bins.f * bins.m} score cells match no rule (customers there get "Others")`);
  const ok = unreachable.length === 0 && uncovered.length === 0 && overlaps.every((o) => o.sameName);
  return { ok, overlaps, unreachable, uncovered, cellsWon: rules.map((ru, index) => ({ index, name: ru.name, cells: won[index] })), messages };
}

/** Normalise a `bins` option to one integer per dimension in 2..100. */
export function resolveBins(bins: number | RfmBinsOption, fn: string, fallback = 5): ScoreBins {
  const one = (v: unknown, name: string): number => {
    if (v === undefined) return fallback;
    if (!(Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 100)) throw new InvalidOptionError(fn, name, v, "an integer from 2 to 100");
    return v as number;
  };
  if (typeof bins === "number") {
    const b = one(bins, "bins");
    return { r: b, f: b, m: b };
  }
  if (bins === null || typeof bins !== "object") throw new InvalidOptionError(fn, "bins", bins, "an integer from 2 to 100 or { r, f, m }");
  return { r: one(bins.r, "bins.r"), f: one(bins.f, "bins.f"), m: one(bins.m, "bins.m") };
}
