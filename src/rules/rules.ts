import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { flattenTree } from "./eclat.js";
import { ItemsetIndex, type FrequentItemsets } from "./mine.js";
import type { ItemsetTable } from "./table.js";

/**
 * A rule measure that {@link associationRules} can sort by.
 * @category Association rules
 */
export type RuleMeasure = "support" | "confidence" | "lift" | "leverage" | "conviction" | "zhang" | "kulczynski" | "count";

/**
 * Item constraints on the two sides of a rule (labels as in the baskets).
 * @category Association rules
 */
export interface RuleAppearance {
  /** Only these items may appear in the antecedent (left-hand side). Default: any item. */
  antecedent?: readonly string[];
  /** Only these items may appear in the consequent (right-hand side). Default: any item. */
  consequent?: readonly string[];
  /** Items that may appear on neither side. Default: none. */
  exclude?: readonly string[];
}

/**
 * Options of {@link associationRules}.
 * @category Association rules
 */
export interface AssociationRulesOptions {
  /** Minimum confidence, in [0, 1]. Default 0.8 (the arules default). */
  minConfidence?: number;
  /** Minimum lift (>= 0). Default 0 (no filter). */
  minLift?: number;
  /** Fewest items in a rule (antecedent plus consequent), at least 2: rules with an empty antecedent are never produced. Default 2. */
  minLength?: number;
  /** Most items in a rule. Default `Infinity`. */
  maxLength?: number;
  /** Consequent size: `1` (one item, the arules convention) or `"any"` (every non-empty proper subset, as mlxtend; itemsets longer than 20 items then throw `BUDGET_EXCEEDED`, limit them with `maxLength`). Default `1`. */
  consequentSize?: 1 | "any";
  /** Item constraints on either side. Default: none. */
  appearance?: RuleAppearance;
  /** Measure to sort by, descending. Default `"lift"`. */
  sortBy?: RuleMeasure;
  /** Keep only the first `top` rules after sorting (a cap: {@link associationRuleSet} says how many were found and how many kept). Default `Infinity`. */
  top?: number;
  /** Budget: throw an `AnalyticsError` with code `BUDGET_EXCEEDED` when more rules than this pass the filters. Default 5,000,000. */
  maxRules?: number;
}

/**
 * One association rule `antecedent => consequent` with its interest measures.
 * @category Association rules
 */
export interface AssociationRule {
  /** Left-hand side item labels, sorted; never empty. */
  readonly antecedent: readonly string[];
  /** Right-hand side item labels, sorted; never empty. */
  readonly consequent: readonly string[];
  /** supp(X ∪ Y) = count / N. */
  readonly support: number;
  /** supp(X ∪ Y) / supp(X). */
  readonly confidence: number;
  /** confidence / supp(Y). */
  readonly lift: number;
  /** supp(X ∪ Y) - supp(X) supp(Y). */
  readonly leverage: number;
  /** (1 - supp(Y)) / (1 - confidence); `Infinity` when confidence is 1. */
  readonly conviction: number;
  /** Zhang's metric, in [-1, 1]. */
  readonly zhang: number;
  /** Kulczynski measure: (conf(X => Y) + conf(Y => X)) / 2. */
  readonly kulczynski: number;
  /** Baskets containing every item of the rule. */
  readonly count: number;
  /** Baskets containing the antecedent. */
  readonly antecedentCount: number;
  /** Baskets containing the consequent. */
  readonly consequentCount: number;
  /** Human-readable names of the antecedent items, aligned with `antecedent`; present when the itemsets carry `names` (e.g. mined from a table with item descriptions). */
  readonly antecedentNames?: readonly string[];
  /** Human-readable names of the consequent items, aligned with `consequent`; present when the itemsets carry `names`. */
  readonly consequentNames?: readonly string[];
}

/**
 * Result of {@link associationRuleSet}: the kept rules and how many passed the filters.
 * @category Association rules
 */
export interface AssociationRuleSet {
  /** The kept rules, sorted (the first `kept` of the `found`). */
  readonly rules: AssociationRule[];
  /** Rules that passed every filter (`minConfidence`, `minLift`, lengths, appearance) before the `top` cap. */
  readonly found: number;
  /** Rules kept after the `top` cap: `min(found, top)`, the length of `rules`. */
  readonly kept: number;
}

const ASSOCIATION_RULES_DEFAULTS = Object.freeze({
  minConfidence: 0.8,
  minLift: 0,
  minLength: 2,
  maxLength: Infinity,
  consequentSize: 1 as 1 | "any",
  appearance: Object.freeze({}) as RuleAppearance,
  sortBy: "lift" as RuleMeasure,
  top: Infinity,
  maxRules: 5_000_000,
});

/** Longest itemset split every way under `consequentSize: "any"` (2^20 - 2 splits). */
const MAX_ANY_LENGTH = 20;

const MEASURES: readonly RuleMeasure[] = ["support", "confidence", "lift", "leverage", "conviction", "zhang", "kulczynski", "count"];

/**
 * Interest measures of a rule X => Y from three counts and the number of baskets.
 * @internal
 */
export function ruleMeasures(count: number, cx: number, cy: number, n: number) {
  const sz = count / n;
  const sx = cx / n;
  const sy = cy / n;
  const confidence = count / cx;
  const lift = (count * n) / (cx * cy);
  const leverage = sz - sx * sy;
  const conviction = count === cx ? Infinity : (1 - sy) / (1 - confidence);
  const den = Math.max(sz * (1 - sx), sx * (sy - sz));
  const zhang = den > 0 ? leverage / den : 0;
  const kulczynski = (count / cx + count / cy) / 2;
  return { support: sz, confidence, lift, leverage, conviction, zhang, kulczynski };
}

/** Compare two label lists: shorter first, then element-wise code-unit order. */
function cmpLabels(a: readonly string[], b: readonly string[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * Sort rules in the documented deterministic order: `sortBy` descending, then confidence,
 * support and lift descending, then the antecedent and the consequent (shorter first, then
 * label order).
 * @internal
 */
export function sortRules(rules: AssociationRule[], sortBy: RuleMeasure): AssociationRule[] {
  return rules.sort(
    (x, y) =>
      y[sortBy] - x[sortBy] ||
      y.confidence - x.confidence ||
      y.support - x.support ||
      y.lift - x.lift ||
      cmpLabels(x.antecedent, y.antecedent) ||
      cmpLabels(x.consequent, y.consequent),
  );
}

/**
 * Derive association rules X => Y from frequent itemsets, with support, confidence, lift,
 * leverage, conviction, Zhang's metric and Kulczynski.
 *
 * @remarks
 * For every frequent itemset Z (at least 2 items) and every split into a non-empty antecedent
 * X and consequent Y (one item by default, any size with `consequentSize: "any"`), with N baskets:
 * - support = supp(Z) = count(Z) / N; confidence = supp(Z) / supp(X);
 * - lift = confidence / supp(Y) (1 = independence);
 * - leverage = supp(Z) - supp(X) supp(Y) (Piatetsky-Shapiro);
 * - conviction = (1 - supp(Y)) / (1 - confidence) (Brin et al. 1997), `Infinity` at confidence 1;
 * - Zhang's metric = leverage / max(supp(Z)(1 - supp(X)), supp(X)(supp(Y) - supp(Z))) (Zhang
 *   2000, as in mlxtend), 0 when both terms are 0;
 * - Kulczynski = (confidence(X => Y) + confidence(Y => X)) / 2.
 *
 * A rule is kept when confidence >= `minConfidence` and lift >= `minLift`. Rules with an empty
 * antecedent (arules `minlen = 1`) are not produced. With the Groceries data at support 0.001
 * and confidence 0.5 this gives 5,668 rules (1-item consequents, as R arules 1.7) or 5,829
 * (any size, as mlxtend 0.25). Order: `sortBy` descending, ties by confidence, support and
 * lift descending, then antecedent and consequent (shorter first, then label order).
 *
 * @param itemsets - the result of {@link frequentItemsets}, mined with `minLength <= 1` and
 *   without `closed`/`maximal` (every subset's count is needed), or of
 *   {@link frequentItemsetTable} (always complete; skips building one object per itemset). Both
 *   give the same rules in the same order.
 * @param options - see {@link AssociationRulesOptions}.
 * @returns the rules, sorted.
 * @throws {@link InvalidOptionError} for invalid options or incomplete itemsets.
 * @throws {@link AnalyticsError} with code `BUDGET_EXCEEDED` when more than `maxRules` rules pass.
 * @example
 * ```ts
 * const sets = frequentItemsets([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"], ["eggs"]], { minSupport: 0.5 });
 * associationRules(sets, { minConfidence: 0.6 }).map((r) => `${r.antecedent} => ${r.consequent} (conf ${r.confidence.toFixed(2)}, lift ${r.lift.toFixed(2)})`);
 * //=> ["bread => milk (conf 1.00, lift 1.33)", "milk => bread (conf 0.67, lift 1.33)"]
 * ```
 * @category Association rules
 */
export function associationRules(itemsets: FrequentItemsets | ItemsetTable, options: AssociationRulesOptions = {}): AssociationRule[] {
  return mineRules(itemsets, options, "associationRules").rules;
}

/**
 * {@link associationRules} with the counts a report needs: the rules kept and how many were
 * found before the `top` cap.
 *
 * @remarks
 * Same rules, same order and same options as {@link associationRules} (which returns
 * `associationRuleSet(itemsets, options).rules`). `found` counts every rule that passed the
 * filters; `kept = min(found, top)`. So a caller can say "5,668 rules found, the 500 with the
 * highest lift kept".
 *
 * @param itemsets - as for {@link associationRules}.
 * @param options - see {@link AssociationRulesOptions}.
 * @returns the kept rules with `found` and `kept`.
 * @throws {@link InvalidOptionError} for invalid options or incomplete itemsets.
 * @throws {@link InvalidRecordError} when an itemset's subset count is missing (itemsets edited by hand).
 * @throws {@link AnalyticsError} with code `BUDGET_EXCEEDED` when more than `maxRules` rules pass.
 * @example
 * ```ts
 * // 4 baskets; 8 rules reach confidence 0.5; by lift: eggs,milk => bread (lift 2), then
 * // bread => milk (lift 4/3, confidence 1, support 0.5) ahead of bread,eggs => milk (support 0.25).
 * const sets = frequentItemsets([["milk", "bread"], ["milk", "bread", "eggs"], ["milk"], ["eggs"]], { minSupport: 0.25 });
 * const res = associationRuleSet(sets, { minConfidence: 0.5, top: 2 });
 * [res.found, res.kept, res.rules.map((r) => `${r.antecedent} => ${r.consequent}`)];
 * //=> [8, 2, ["eggs,milk => bread", "bread => milk"]]
 * ```
 * @category Association rules
 */
export function associationRuleSet(itemsets: FrequentItemsets | ItemsetTable, options: AssociationRulesOptions = {}): AssociationRuleSet {
  return mineRules(itemsets, options, "associationRuleSet");
}

function mineRules(itemsets: FrequentItemsets | ItemsetTable, options: AssociationRulesOptions, fn: string): AssociationRuleSet {
  const o = withDefaults(ASSOCIATION_RULES_DEFAULTS, options);
  const isTable = typeof itemsets === "object" && itemsets !== null && (itemsets as ItemsetTable).parent instanceof Int32Array;
  if (!isTable && (typeof itemsets !== "object" || itemsets === null || !Array.isArray((itemsets as FrequentItemsets).itemsets))) {
    throw new InvalidOptionError(fn, "itemsets", itemsets, "the result of frequentItemsets or frequentItemsetTable");
  }
  if (!isTable && !(itemsets as FrequentItemsets).complete) {
    throw new InvalidOptionError(fn, "itemsets", "closed, maximal or minLength > 1 itemsets", "all frequent itemsets (frequentItemsets with minLength <= 1 and without closed/maximal), since rules need every subset's count");
  }
  if (!(o.minConfidence >= 0 && o.minConfidence <= 1)) throw new InvalidOptionError(fn, "minConfidence", o.minConfidence, "a number in [0, 1]");
  if (!(o.minLift >= 0)) throw new InvalidOptionError(fn, "minLift", o.minLift, "a number >= 0");
  if (!(Number.isInteger(o.minLength) && o.minLength >= 2)) throw new InvalidOptionError(fn, "minLength", o.minLength, "an integer >= 2");
  if (!((Number.isInteger(o.maxLength) || o.maxLength === Infinity) && o.maxLength >= o.minLength)) {
    throw new InvalidOptionError(fn, "maxLength", o.maxLength, `an integer >= minLength (${o.minLength}) or Infinity`);
  }
  if (o.consequentSize !== 1 && o.consequentSize !== "any") throw new InvalidOptionError(fn, "consequentSize", o.consequentSize, '1 or "any"');
  if (!MEASURES.includes(o.sortBy)) throw new InvalidOptionError(fn, "sortBy", o.sortBy, `one of ${MEASURES.join(", ")}`);
  if (!((Number.isInteger(o.top) && o.top >= 0) || o.top === Infinity)) throw new InvalidOptionError(fn, "top", o.top, "an integer >= 0 or Infinity");
  if (!(Number.isInteger(o.maxRules) && o.maxRules >= 1)) throw new InvalidOptionError(fn, "maxRules", o.maxRules, "an integer >= 1");

  const labels = itemsets.items;
  const names = Array.isArray(itemsets.names) && itemsets.names.length === labels.length ? itemsets.names : undefined;
  const nItems = labels.length;
  const n = itemsets.basketCount;
  const idOf = new Map<string, number>();
  for (let i = 0; i < nItems; i++) idOf.set(labels[i], i);
  // Allowed-side masks: bit 1 antecedent, bit 2 consequent.
  const app = o.appearance ?? {};
  const side = new Uint8Array(nItems).fill(3);
  const restrict = (list: readonly string[] | undefined, name: string, clearBit: number) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw new InvalidOptionError(fn, `appearance.${name}`, list, "an array of item labels");
    const allowed = new Set(list.map((s) => String(s).trim()));
    for (let i = 0; i < nItems; i++) if (!allowed.has(labels[i])) side[i] &= ~clearBit;
  };
  restrict(app.antecedent, "antecedent", 1);
  restrict(app.consequent, "consequent", 2);
  if (app.exclude !== undefined) {
    if (!Array.isArray(app.exclude)) throw new InvalidOptionError(fn, "appearance.exclude", app.exclude, "an array of item labels");
    for (const s of app.exclude) {
      const id = idOf.get(String(s).trim());
      if (id !== undefined) side[id] = 0;
    }
  }

  // Flat copy of the itemsets as ascending ids, with a hash index for subset counts.
  let flat: Uint32Array;
  let offs: Uint32Array;
  let cnts: Uint32Array;
  let size: number;
  if (isTable) {
    const t = itemsets as ItemsetTable;
    ({ offsets: offs, ids: flat } = flattenTree(t.parent, t.item, t.itemsetLength, t.size));
    cnts = t.count;
    size = t.size;
  } else {
    const all = (itemsets as FrequentItemsets).itemsets;
    let total = 0;
    for (const st of all) total += st.items.length;
    flat = new Uint32Array(total);
    offs = new Uint32Array(all.length + 1);
    cnts = new Uint32Array(all.length);
    size = all.length;
    let w = 0;
    for (let q = 0; q < all.length; q++) {
      const st = all[q];
      const start = w;
      for (const label of st.items) {
        const id = idOf.get(label);
        if (id === undefined) throw new InvalidOptionError(fn, "itemsets", label, "item labels from the itemsets' dictionary");
        flat[w++] = id;
      }
      if (w - start > 1) flat.subarray(start, w).sort();
      offs[q + 1] = w;
      cnts[q] = st.count;
    }
  }
  const index = new ItemsetIndex(flat, offs, cnts, size);
  // Row (0-based) of the itemset being split, for the error below.
  let current = 0;
  const countOf = (q: ArrayLike<number>, start: number, end: number, skip: number, what: string): number => {
    const s = index.find(q, start, end, skip);
    if (s < 0) {
      const missing: string[] = [];
      for (let i = start; i < end; i++) if (i !== skip) missing.push(labels[q[i]]);
      throw new InvalidRecordError(fn, {
        row: current + 1,
        field: "items",
        value: missing,
        expected: `the count of ${what} among the itemsets (pass the unfiltered result of frequentItemsets or frequentItemsetTable)`,
      });
    }
    return cnts[s];
  };

  const out: AssociationRule[] = [];
  const itemCounts = itemsets.itemCounts;
  const minConf = o.minConfidence;
  const minLift = o.minLift;
  const push = (xIds: ArrayLike<number>, yIds: ArrayLike<number>, count: number, cx: number, cy: number) => {
    const confidence = count / cx;
    const lift = (count * n) / (cx * cy);
    if (!(confidence >= minConf) || !(lift >= minLift)) return;
    if (out.length >= o.maxRules) {
      throw new AnalyticsError("BUDGET_EXCEEDED", `${fn}: more than maxRules = ${o.maxRules} rules; raise minConfidence or minSupport, or raise maxRules`);
    }
    const antecedent: string[] = new Array(xIds.length);
    for (let i = 0; i < xIds.length; i++) antecedent[i] = labels[xIds[i]];
    const consequent: string[] = new Array(yIds.length);
    for (let i = 0; i < yIds.length; i++) consequent[i] = labels[yIds[i]];
    const m = ruleMeasures(count, cx, cy, n);
    const rule: { -readonly [K in keyof AssociationRule]: AssociationRule[K] } = {
      antecedent,
      consequent,
      support: m.support,
      confidence: m.confidence,
      lift: m.lift,
      leverage: m.leverage,
      conviction: m.conviction,
      zhang: m.zhang,
      kulczynski: m.kulczynski,
      count,
      antecedentCount: cx,
      consequentCount: cy,
    };
    if (names) {
      rule.antecedentNames = antecedent.map((_, i) => names[xIds[i]]);
      rule.consequentNames = consequent.map((_, i) => names[yIds[i]]);
    }
    out.push(rule);
  };

  const xBuf = new Uint32Array(Math.max(1, itemsets.maxLengthFound));
  const yBuf = new Uint32Array(Math.max(1, itemsets.maxLengthFound));
  for (let q = 0; q < size; q++) {
    current = q;
    const zs = offs[q];
    const ze = offs[q + 1];
    const k = ze - zs;
    if (k < o.minLength || k > o.maxLength) continue;
    const count = cnts[q];
    let usable = true;
    for (let i = zs; i < ze; i++) if (side[flat[i]] === 0) usable = false;
    if (!usable) continue;
    if (o.consequentSize === 1) {
      for (let p = zs; p < ze; p++) {
        const y = flat[p];
        if (!(side[y] & 2)) continue;
        let ok = true;
        for (let i = zs; i < ze; i++) if (i !== p && !(side[flat[i]] & 1)) ok = false;
        if (!ok) continue;
        const cx = k === 2 ? itemCounts[flat[p === zs ? zs + 1 : zs]] : countOf(flat, zs, ze, p, "an antecedent");
        if (count / cx < minConf) continue;
        let xl = 0;
        for (let i = zs; i < ze; i++) if (i !== p) xBuf[xl++] = flat[i];
        yBuf[0] = y;
        push(xBuf.subarray(0, xl), yBuf.subarray(0, 1), count, cx, itemCounts[y]);
      }
    } else {
      if (k > MAX_ANY_LENGTH) {
        throw new AnalyticsError(
          "BUDGET_EXCEEDED",
          `${fn}: an itemset of ${k} items has ${2 ** k - 2} antecedent/consequent splits; with consequentSize "any" set maxLength <= ${MAX_ANY_LENGTH} or use consequentSize 1`,
        );
      }
      const full = 2 ** k - 1;
      for (let mask = 1; mask < full; mask++) {
        let xl = 0;
        let yl = 0;
        let ok = true;
        for (let i = 0; i < k; i++) {
          const id = flat[zs + i];
          if (mask & (1 << i)) {
            yBuf[yl++] = id;
            if (!(side[id] & 2)) ok = false;
          } else {
            xBuf[xl++] = id;
            if (!(side[id] & 1)) ok = false;
          }
        }
        if (!ok) continue;
        const cx = xl === 1 ? itemCounts[xBuf[0]] : countOf(xBuf, 0, xl, -1, "an antecedent");
        if (count / cx < minConf) continue;
        const cy = yl === 1 ? itemCounts[yBuf[0]] : countOf(yBuf, 0, yl, -1, "a consequent");
        push(xBuf.subarray(0, xl), yBuf.subarray(0, yl), count, cx, cy);
      }
    }
  }
  sortRules(out, o.sortBy);
  const found = out.length;
  if (o.top < out.length) out.length = o.top;
  return { rules: out, found, kept: out.length };
}
