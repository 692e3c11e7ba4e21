import { AnalyticsError, InvalidOptionError } from "../core/errors.js";
import { keyOf, type FrequentItemsets } from "./mine.js";

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
  /** Consequent size: `1` (one item, the arules convention) or `"any"` (every non-empty proper subset, as mlxtend). Default `1`. */
  consequentSize?: 1 | "any";
  /** Item constraints on either side. Default: none. */
  appearance?: RuleAppearance;
  /** Measure to sort by, descending. Default `"lift"`. */
  sortBy?: RuleMeasure;
  /** Keep only the first `top` rules after sorting. Default `Infinity`. */
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
 *   without `closed`/`maximal` (every subset's count is needed).
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
export function associationRules(itemsets: FrequentItemsets, options: AssociationRulesOptions = {}): AssociationRule[] {
  const fn = "associationRules";
  const o = { ...ASSOCIATION_RULES_DEFAULTS, ...options };
  if (typeof itemsets !== "object" || itemsets === null || !Array.isArray(itemsets.itemsets)) {
    throw new InvalidOptionError(fn, "itemsets", itemsets, "the result of frequentItemsets");
  }
  if (!itemsets.complete) {
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

  const wide = nItems > 0xd7ff;
  const countOf = new Map<string, number>();
  const sets: { ids: Uint32Array; count: number }[] = [];
  for (const s of itemsets.itemsets) {
    const ids = new Uint32Array(s.items.length);
    for (let i = 0; i < ids.length; i++) {
      const id = idOf.get(s.items[i]);
      if (id === undefined) throw new InvalidOptionError(fn, "itemsets", s.items[i], "item labels from the itemsets' dictionary");
      ids[i] = id;
    }
    ids.sort();
    countOf.set(keyOf(ids, 0, ids.length, -1, wide), s.count);
    if (ids.length >= o.minLength && ids.length <= o.maxLength) sets.push({ ids, count: s.count });
  }
  const lookup = (key: string, what: () => string): number => {
    const c = countOf.get(key);
    if (c === undefined) throw new AnalyticsError("INVALID_RECORD", `${fn}: the count of ${what()} is missing from the itemsets; pass the unfiltered result of frequentItemsets`);
    return c;
  };

  const out: AssociationRule[] = [];
  const push = (xIds: number[], yIds: number[], count: number, cx: number, cy: number) => {
    const m = ruleMeasures(count, cx, cy, n);
    if (!(m.confidence >= o.minConfidence) || !(m.lift >= o.minLift)) return;
    if (out.length >= o.maxRules) {
      throw new AnalyticsError("BUDGET_EXCEEDED", `${fn}: more than maxRules = ${o.maxRules} rules; raise minConfidence or minSupport, or raise maxRules`);
    }
    out.push({
      antecedent: xIds.map((i) => labels[i]),
      consequent: yIds.map((i) => labels[i]),
      ...m,
      count,
      antecedentCount: cx,
      consequentCount: cy,
    });
  };

  const itemCounts = itemsets.itemCounts;
  for (const { ids, count } of sets) {
    const k = ids.length;
    let usable = true;
    for (let i = 0; i < k; i++) if (side[ids[i]] === 0) usable = false;
    if (!usable) continue;
    if (o.consequentSize === 1) {
      for (let p = 0; p < k; p++) {
        const y = ids[p];
        if (!(side[y] & 2)) continue;
        let ok = true;
        for (let i = 0; i < k; i++) if (i !== p && !(side[ids[i]] & 1)) ok = false;
        if (!ok) continue;
        const cx = k === 2 ? itemCounts[ids[1 - p]] : lookup(keyOf(ids, 0, k, p, wide), () => "an antecedent");
        // Quick confidence bound before building the rule.
        if (count / cx < o.minConfidence) continue;
        const xIds: number[] = [];
        for (let i = 0; i < k; i++) if (i !== p) xIds.push(ids[i]);
        push(xIds, [y], count, cx, itemCounts[y]);
      }
    } else {
      const full = (1 << k) - 1;
      for (let mask = 1; mask < full; mask++) {
        const xIds: number[] = [];
        const yIds: number[] = [];
        let ok = true;
        for (let i = 0; i < k; i++) {
          if (mask & (1 << i)) {
            yIds.push(ids[i]);
            if (!(side[ids[i]] & 2)) ok = false;
          } else {
            xIds.push(ids[i]);
            if (!(side[ids[i]] & 1)) ok = false;
          }
        }
        if (!ok) continue;
        const cx = xIds.length === 1 ? itemCounts[xIds[0]] : lookup(keyOf(xIds, 0, xIds.length, -1, wide), () => "an antecedent");
        if (count / cx < o.minConfidence) continue;
        const cy = yIds.length === 1 ? itemCounts[yIds[0]] : lookup(keyOf(yIds, 0, yIds.length, -1, wide), () => "a consequent");
        push(xIds, yIds, count, cx, cy);
      }
    }
  }
  sortRules(out, o.sortBy);
  if (o.top < out.length) out.length = o.top;
  return out;
}
