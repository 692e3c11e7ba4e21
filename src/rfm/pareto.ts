import { withDefaults } from "../core/options.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import type { DictionaryColumn } from "../core/table.js";
import { ExactSum, fsum } from "../numeric/sum.js";
import { toFiniteFloat64 } from "./util.js";

/**
 * What to do with negative values (e.g. net spend after returns, CLV net of acquisition cost).
 * `"error"` rejects them; `"zero"` counts them as zero value and reports how many there were.
 * @category ABC / Pareto
 */
export type NegativeValuePolicy = "error" | "zero";

/**
 * Options of {@link paretoAnalysis}.
 * @category ABC / Pareto
 */
export interface ParetoAnalysisOptions {
  /** Fraction of customers (the most valuable) whose share of value is reported as `topShare`. Default 0.2. */
  topFraction?: number;
  /** Lorenz curve points returned: a number >= 2 (evenly spaced in customer share, exact points of the curve) or `"all"` (n + 1 points). Default 101. */
  lorenzPoints?: number | "all";
  /** Negative values: `"error"` throws, `"zero"` treats them as 0 and counts them. Default `"error"`. */
  negatives?: NegativeValuePolicy;
}

/**
 * One point of a Lorenz curve: the poorest `customerShare` of customers hold `valueShare` of the value.
 * @category ABC / Pareto
 */
export interface LorenzPoint {
  /** Cumulative share of customers, poorest first, in [0, 1]. */
  customerShare: number;
  /** Cumulative share of value they hold, in [0, 1]. */
  valueShare: number;
}

/**
 * Result of {@link paretoAnalysis}.
 * @category ABC / Pareto
 */
export interface ParetoAnalysisResult {
  /** Number of values. */
  count: number;
  /** Sum of the values (negatives counted as 0 under `negatives: "zero"`). */
  total: number;
  /** Gini coefficient in [0, 1): 0 when all values are equal (or all zero). */
  gini: number;
  /** The `topFraction` used. */
  topFraction: number;
  /** Number of customers in the top fraction: `ceil(topFraction * count)`. */
  topCount: number;
  /** Share of the total held by the `topCount` largest values (0 when the total is 0). */
  topShare: number;
  /** Values equal to zero (including negatives under `negatives: "zero"`). */
  zeroCount: number;
  /** Negative values seen (only non-zero under `negatives: "zero"`). */
  negativeCount: number;
  /** Lorenz curve, poorest first, from (0, 0) to (1, 1). */
  lorenz: LorenzPoint[];
}

const PARETO_DEFAULTS = Object.freeze({ topFraction: 0.2, lorenzPoints: 101 as number | "all", negatives: "error" as NegativeValuePolicy });

/**
 * Concentration of value over customers: the Lorenz curve, the Gini coefficient and the share
 * held by the top 20% (the "80/20" check).
 *
 * @remarks
 * With the values sorted ascending x_(1) <= ... <= x_(n) and total T:
 * Gini `G = sum_i (2i - n - 1) x_(i) / (n T)` (the area between the line of equality and the
 * Lorenz curve, doubled; no small-sample correction), 0 for equal values and (n - 1) / n when
 * one customer holds everything. The Lorenz curve has points `(i / n, (x_(1) + ... + x_(i)) / T)`.
 * `topShare` is the sum of the `ceil(topFraction * n)` largest values over T.
 * Source: Lorenz (1905), Gini (1912); the 80/20 reading of customer value is from the course's
 * ABC analysis (papers 004). Complexity O(n log n) (one typed-array sort).
 *
 * Empty input gives count 0, Gini 0, topShare 0 and the Lorenz points (0,0), (1,1).
 *
 * @param values - one value per customer (e.g. `totalSpend`); any iterable of numbers.
 * @param options - see {@link ParetoAnalysisOptions}.
 * @returns Gini, top share, Lorenz curve and counts.
 * @throws {@link InvalidRecordError} for a non-finite or (by default) negative value; `row` is its 1-based position.
 * @throws {@link InvalidOptionError} for a bad option.
 * @throws {@link AnalyticsError} `OVERFLOW` when the finite values sum beyond the largest double
 * (e.g. `[1e308, 1e308]`); values up to that total are handled exactly (scaled by a power of two).
 * @example
 * ```ts
 * const p = paretoAnalysis([1, 1, 1, 1, 6]);
 * [p.gini, p.topCount, p.topShare];
 * //=> [0.4, 1, 0.6]
 * p.lorenz.length;
 * //=> 6
 * ```
 * @category ABC / Pareto
 */
export function paretoAnalysis(values: readonly number[] | Iterable<number>, options: ParetoAnalysisOptions = {}): ParetoAnalysisResult {
  const fn = "paretoAnalysis";
  const o = withDefaults(PARETO_DEFAULTS, options);
  if (!(typeof o.topFraction === "number" && o.topFraction > 0 && o.topFraction <= 1)) {
    throw new InvalidOptionError(fn, "topFraction", o.topFraction, "a number in (0, 1]");
  }
  if (!(o.lorenzPoints === "all" || (Number.isInteger(o.lorenzPoints) && (o.lorenzPoints as number) >= 2))) {
    throw new InvalidOptionError(fn, "lorenzPoints", o.lorenzPoints, 'an integer >= 2 or "all"');
  }
  checkNegatives(fn, o.negatives);
  const { sorted, negativeCount } = sortedNonNegative(values, fn, o.negatives);
  const n = sorted.length;
  if (n === 0) {
    return { count: 0, total: 0, gini: 0, topFraction: o.topFraction, topCount: 0, topShare: 0, zeroCount: 0, negativeCount: 0, lorenz: [{ customerShare: 0, valueShare: 0 }, { customerShare: 1, valueShare: 1 }] };
  }
  // Every share is scale-free, so huge values are scaled by a power of two (exact) before the
  // sums, whose weighted form reaches n^2 x max: [1e308, 1e308, 1] gave NaN unscaled.
  const max = sorted[n - 1];
  const scale = max * n * n > 1e300 ? 2 ** -Math.ceil(Math.log2(max)) : 1;
  if (scale !== 1) for (let i = 0; i < n; i++) sorted[i] *= scale;
  // Cumulative sums (exact prefixes, each correctly rounded) from the poorest; cum[i] = sum of the i smallest.
  const cum = new Float64Array(n + 1);
  const running = new ExactSum();
  const weights = new Float64Array(n); // (2i - n - 1) x_(i), i 1-based: summed exactly below
  let zeroCount = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i];
    if (v === 0) zeroCount++;
    running.add(v);
    cum[i + 1] = running.value;
    weights[i] = (2 * (i + 1) - n - 1) * v;
  }
  // The total and the Gini numerator with the exact sum (the prefixes only for the curve).
  const total = fsum(sorted);
  cum[n] = total;
  const weighted = fsum(weights);
  const unscaledTotal = total / scale;
  if (!Number.isFinite(unscaledTotal)) throw valuesOverflow(fn, unscaledTotal);
  const gini = total > 0 ? Math.max(0, weighted / (n * total)) : 0;
  const topCount = Math.min(n, Math.ceil(o.topFraction * n - 1e-9));
  const topShare = total > 0 ? (total - cum[n - topCount]) / total : 0;

  const lorenz: LorenzPoint[] = [];
  const point = (i: number) => lorenz.push({ customerShare: i / n, valueShare: total > 0 ? cum[i] / total : i / n });
  if (o.lorenzPoints === "all" || (o.lorenzPoints as number) >= n + 1) {
    for (let i = 0; i <= n; i++) point(i);
  } else {
    const m = o.lorenzPoints as number;
    let last = -1;
    for (let k = 0; k < m; k++) {
      const i = Math.round((k * n) / (m - 1));
      if (i !== last) point(i);
      last = i;
    }
  }
  return { count: n, total: unscaledTotal, gini, topFraction: o.topFraction, topCount, topShare, zeroCount, negativeCount, lorenz };
}

/**
 * An ABC class: A (most valuable), B, C, or `"zero"` for customers with no value.
 * @category ABC / Pareto
 */
export type AbcClass = "A" | "B" | "C" | "zero";

/**
 * Options of {@link abcClasses}.
 * @category ABC / Pareto
 */
export interface AbcClassesOptions {
  /**
   * `"value"`: classes by cumulative share of value (customers sorted by value, largest first);
   * `"customers"`: classes by cumulative share of customers (A = the top 5%, B = the next 15%).
   * Default `"value"`.
   */
  by?: "value" | "customers";
  /** Upper cumulative shares of A and B, in (0, 1], A < B. Default `[0.8, 0.95]` by value, `[0.05, 0.2]` by customers. */
  cutoffs?: readonly [number, number];
  /** Negative values: `"error"` throws, `"zero"` puts them in the `"zero"` group and counts them. Default `"error"`. */
  negatives?: NegativeValuePolicy;
}

/**
 * One row of the ABC table.
 * @category ABC / Pareto
 */
export interface AbcGroup {
  /** The class. */
  class: AbcClass;
  /** Customers in the class. */
  count: number;
  /** `count / total customers` (0 for empty input). */
  customerShare: number;
  /** Sum of the class's values. */
  value: number;
  /** `value / total value` (0 when the total is 0). */
  valueShare: number;
  /** Smallest value in the class (`null` when the class is empty). */
  minValue: number | null;
  /** Largest value in the class (`null` when the class is empty). */
  maxValue: number | null;
}

/**
 * Value thresholds of the ABC classes: a value >= `A` is class A, else >= `B` is class B.
 * @category ABC / Pareto
 */
export interface AbcThresholds {
  /** Smallest value classed A (`null` when no customer is A). */
  A: number | null;
  /** Smallest value classed B (`null` when no customer is B). */
  B: number | null;
}

/**
 * Result of {@link abcClasses}.
 * @category ABC / Pareto
 */
export interface AbcClassesResult {
  /** Class of each input value, in input order. */
  classes: AbcClass[];
  /** Always four rows, in order A, B, C, zero. Counts sum to the input length, shares to 1. */
  groups: AbcGroup[];
  /** The method used. */
  by: "value" | "customers";
  /** The cutoffs used. */
  cutoffs: readonly [number, number];
  /** Smallest value classed A and B (`null` for an empty class): a value >= `thresholds.A` is A. */
  thresholds: AbcThresholds;
  /** Negative values seen (only non-zero under `negatives: "zero"`). */
  negativeCount: number;
}

const ABC_DEFAULTS = Object.freeze({ by: "value" as "value" | "customers", negatives: "error" as NegativeValuePolicy });

/**
 * ABC (Pareto) customer classes: A the few customers holding most of the value, B the next,
 * C the many with little; zero-value customers as their own group.
 *
 * @remarks
 * Customers are ranked by value, largest first. By value (default cutoffs 80% / 95%): a
 * customer's class comes from the cumulative share of value held by the customers ranked
 * *before* it: below 80% A, below 95% B, else C, so the customer who crosses 80% is still A.
 * By customers (default 5% / 20%, the source's "A about 5% of customers, B about 15%"): from the
 * share of customers ranked before it. Equal values always get the same class: the class of the
 * first of them, i.e. the share before the whole tie group; a class is therefore a threshold on
 * value (`thresholds`). Customers with value 0 get `"zero"` whatever the cutoffs. Source: ABC /
 * Pareto customer classes, papers 004 (SPEC section 8). Complexity O(n log n).
 *
 * @param values - one value per customer (e.g. `totalSpend`); any iterable of numbers.
 * @param options - see {@link AbcClassesOptions}.
 * @returns classes in input order, the four-row class table and the value thresholds.
 * @throws {@link InvalidRecordError} for a non-finite or (by default) negative value; `row` is its 1-based position.
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * const r = abcClasses([50, 30, 10, 6, 4, 0]);
 * r.classes;
 * //=> ["A", "A", "B", "B", "C", "zero"]
 * r.groups.map((g) => g.count);
 * //=> [2, 2, 1, 1]
 * ```
 * @category ABC / Pareto
 */
export function abcClasses(values: readonly number[] | Iterable<number>, options: AbcClassesOptions = {}): AbcClassesResult {
  const res = abcCore(values, options, "abcClasses");
  const codes = res.classes.codes;
  const classes: AbcClass[] = new Array<AbcClass>(codes.length);
  for (let i = 0; i < codes.length; i++) classes[i] = ABC_LABELS[codes[i]];
  return { classes, groups: res.groups, by: res.by, cutoffs: res.cutoffs, thresholds: res.thresholds, negativeCount: res.negativeCount };
}

/** The classes by code: 0 A, 1 B, 2 C, 3 zero (the order of `groups`). */
const ABC_LABELS: readonly AbcClass[] = Object.freeze(["A", "B", "C", "zero"] as const);

/**
 * Options of {@link abcClassesColumns}: those of {@link abcClasses}.
 * @category ABC / Pareto
 */
export type AbcClassesColumnsOptions = AbcClassesOptions;

/**
 * Result of {@link abcClassesColumns}: the class per row as a dictionary-encoded column, plus
 * the table-level fields of {@link AbcClassesResult}.
 * @category ABC / Pareto
 */
export interface AbcClassesColumnsResult extends Omit<AbcClassesResult, "classes"> {
  /** Class per row: `values` is always `["A", "B", "C", "zero"]` (code 0..3, the order of `groups`). */
  classes: DictionaryColumn<AbcClass>;
}

/**
 * ABC classes of a value column, as class codes: the columnar form of {@link abcClasses}, same
 * classes, table and thresholds.
 *
 * @remarks
 * Definitions as in {@link abcClasses}. The column (e.g. a `CustomerTable`'s `totalSpend`) is
 * copied once into a Float64Array for sorting and checked for finite values in that pass; the
 * classes come back as `Int32Array` codes, nothing allocated per customer. O(n log n).
 *
 * @param values - one value per customer, e.g. `customerTable.totalSpend` (any typed array, array or iterable of numbers).
 * @param options - see {@link AbcClassesOptions}.
 * @returns the class codes, the four-row class table and the value thresholds.
 * @throws {@link InvalidRecordError} for a non-finite or (by default) negative value; `row` is its 1-based position.
 * @throws {@link InvalidOptionError} for a bad option.
 * @example
 * ```ts
 * const r = abcClassesColumns(Float64Array.of(50, 30, 10, 6, 4, 0));
 * [[...r.classes.codes], r.classes.values];
 * //=> [[0, 0, 1, 1, 2, 3], ["A", "B", "C", "zero"]]
 * ```
 * @category ABC / Pareto
 */
export function abcClassesColumns(values: Float64Array | Int32Array | readonly number[] | Iterable<number>, options: AbcClassesColumnsOptions = {}): AbcClassesColumnsResult {
  return abcCore(values, options, "abcClassesColumns");
}

/** The shared core of abcClasses and abcClassesColumns. */
function abcCore(values: readonly number[] | Iterable<number>, options: AbcClassesOptions, fn: string): AbcClassesColumnsResult {
  const o = withDefaults(ABC_DEFAULTS, options);
  if (o.by !== "value" && o.by !== "customers") throw new InvalidOptionError(fn, "by", o.by, '"value" or "customers"');
  checkNegatives(fn, o.negatives);
  const cutoffs: readonly [number, number] = o.cutoffs ?? (o.by === "value" ? [0.8, 0.95] : [0.05, 0.2]);
  if (
    !Array.isArray(cutoffs) ||
    cutoffs.length !== 2 ||
    !(typeof cutoffs[0] === "number" && typeof cutoffs[1] === "number" && cutoffs[0] > 0 && cutoffs[0] < cutoffs[1] && cutoffs[1] <= 1)
  ) {
    throw new InvalidOptionError(fn, "cutoffs", o.cutoffs, "two cumulative shares [a, b] with 0 < a < b <= 1");
  }
  const raw = toFiniteFloat64(values, fn);
  const n = raw.length;
  let negativeCount = 0;
  for (let i = 0; i < n; i++) {
    if (raw[i] < 0) {
      if (o.negatives === "error") throw negativeError(fn, i, raw[i]);
      negativeCount++;
      raw[i] = 0;
    }
  }
  const sorted = raw.slice().sort();
  const total = fsum(sorted);
  if (!Number.isFinite(total)) throw valuesOverflow(fn, total);
  const [ca, cb] = cutoffs;

  // Walk tie groups from the largest value down; the class of a group comes from the share
  // ranked before its first member. Classes are monotone in value, so record thresholds.
  let thrA: number | null = null;
  let thrB: number | null = null;
  const before = new ExactSum();
  for (let hi = n - 1; hi >= 0; ) {
    const v = sorted[hi];
    if (v <= 0) break;
    let lo = hi;
    while (lo > 0 && sorted[lo - 1] === v) lo--;
    const share = o.by === "value" ? before.value / total : (n - 1 - hi) / n;
    if (share < ca) thrA = v;
    else if (share < cb) thrB = v;
    else break; // every smaller value is C
    for (let k = hi; k >= lo; k--) before.add(v);
    hi = lo - 1;
  }

  const codes = new Int32Array(n);
  const count = [0, 0, 0, 0];
  const mins = [Infinity, Infinity, Infinity, Infinity];
  const maxs = [-Infinity, -Infinity, -Infinity, -Infinity];
  const tA = thrA ?? Infinity;
  const tB = thrB ?? Infinity;
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    const c = v <= 0 ? 3 : v >= tA ? 0 : v >= tB ? 1 : 2;
    codes[i] = c;
    count[c]++;
    if (v < mins[c]) mins[c] = v;
    if (v > maxs[c]) maxs[c] = v;
  }
  // Classes are monotone in value, so each is a run of `sorted`: zero, C, B, A from the bottom.
  // Their values are exact sums of those runs.
  const sums = [0, 0, 0, 0];
  let from = 0;
  for (const c of [3, 2, 1, 0]) {
    sums[c] = fsum(sorted.subarray(from, from + count[c]));
    from += count[c];
  }
  const groups: AbcGroup[] = ABC_LABELS.map((label, c) => ({
    class: label,
    count: count[c],
    customerShare: n > 0 ? count[c] / n : 0,
    value: sums[c],
    valueShare: total > 0 ? sums[c] / total : 0,
    minValue: count[c] > 0 ? mins[c] : null,
    maxValue: count[c] > 0 ? maxs[c] : null,
  }));
  return { classes: { codes, values: ABC_LABELS }, groups, by: o.by, cutoffs: [ca, cb], thresholds: { A: thrA, B: thrB }, negativeCount };
}

/** The values are finite but their total is beyond the largest double (audit D20). */
function valuesOverflow(fn: string, total: number): AnalyticsError {
  return new AnalyticsError("OVERFLOW", `${fn}: the values overflow: their total is ${total} in double precision (beyond 1.8e308), though every value is finite; the shares do not depend on the unit, so divide the values by a constant (e.g. 1e6) and call again`);
}

function checkNegatives(fn: string, p: unknown): void {
  if (p !== "error" && p !== "zero") throw new InvalidOptionError(fn, "negatives", p, '"error" or "zero"');
}

function negativeError(fn: string, i: number, v: number): InvalidRecordError {
  return new InvalidRecordError(fn, { row: i + 1, field: "value", value: v, expected: 'a value >= 0 (or pass negatives: "zero" to count negative values as zero)' });
}

/** Values copied, validated, negatives handled, sorted ascending. */
function sortedNonNegative(values: readonly number[] | Iterable<number>, fn: string, negatives: NegativeValuePolicy): { sorted: Float64Array; negativeCount: number } {
  const a = toFiniteFloat64(values, fn);
  let negativeCount = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0) {
      if (negatives === "error") throw negativeError(fn, i, a[i]);
      negativeCount++;
      a[i] = 0;
    }
  }
  a.sort();
  return { sorted: a, negativeCount };
}
