import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import type { AssociationRule, RuleMeasure } from "./rules.js";

/**
 * Options of {@link buildRecommender}.
 * @category Association rules
 */
export interface BuildRecommenderOptions {
  /** Rule measure that scores a recommended item (the best supporting rule's value). Default `"confidence"`: the estimated chance the item joins the basket. */
  scoreBy?: RuleMeasure;
}

/**
 * A rule index built once by {@link buildRecommender}; each {@link recommend} call is a lookup.
 * @category Association rules
 */
export interface Recommender {
  /** The rules, in the order given. */
  readonly rules: readonly AssociationRule[];
  /** Measure used as the score. */
  readonly scoreBy: RuleMeasure;
  /** Rule indices keyed by one antecedent item (the one that appears in the fewest antecedents): a rule is looked at only when that item is in the basket. */
  readonly index: ReadonlyMap<string, Uint32Array>;
}

/**
 * Options of {@link recommend}.
 * @category Association rules
 */
export interface RecommendOptions {
  /** Number of items to return. Default 5. */
  top?: number;
  /** Items never to recommend (e.g. attribute items or out-of-stock products). Default none. */
  exclude?: readonly string[];
  /** Supporting rules kept per item, best first. Default 3. */
  rulesPerItem?: number;
}

/**
 * One recommended item with the rules that support it.
 * @category Association rules
 */
export interface Recommendation {
  /** The item label (the key, e.g. a stock code). */
  readonly item: string;
  /** The item's human-readable name, when the rules carry names (`consequentNames`, from itemsets mined with item names). */
  readonly name?: string;
  /** The best supporting rule's `scoreBy` measure. */
  readonly score: number;
  /** Number of rules whose antecedent is in the basket and whose consequent contains the item. */
  readonly ruleCount: number;
  /** The best supporting rules, best first (at most `rulesPerItem`). */
  readonly rules: readonly AssociationRule[];
}

const BUILD_RECOMMENDER_DEFAULTS = Object.freeze({ scoreBy: "confidence" as RuleMeasure });
const RECOMMEND_DEFAULTS = Object.freeze({ top: 5, exclude: Object.freeze([]) as readonly string[], rulesPerItem: 3 });
const MEASURES: readonly RuleMeasure[] = ["support", "confidence", "lift", "leverage", "conviction", "zhang", "kulczynski", "count"];

/**
 * Index association rules for fast recommendations: each rule is filed under one item of its
 * antecedent, so a call only examines rules that item can trigger.
 *
 * @remarks
 * Build once (O(rules)), then call {@link recommend} per basket or customer: the cost of a
 * call is the number of rules filed under the basket's items, not the number of rules.
 *
 * @param rules - rules from {@link associationRules}.
 * @param options - see {@link BuildRecommenderOptions}.
 * @returns the recommender.
 * @throws {@link InvalidOptionError} for an unknown `scoreBy` or rules that are not an array.
 * @example
 * ```ts
 * const rules = associationRules(frequentItemsets([["pasta", "sauce"], ["pasta", "sauce"], ["pasta"]], { minSupport: 0.5 }), { minConfidence: 0.5 });
 * recommend(buildRecommender(rules), ["pasta"]).map((r) => [r.item, r.score]);
 * //=> [["sauce", 0.6666666666666666]]
 * ```
 * @category Association rules
 */
export function buildRecommender(rules: readonly AssociationRule[], options: BuildRecommenderOptions = {}): Recommender {
  const fn = "buildRecommender";
  const o = withDefaults(BUILD_RECOMMENDER_DEFAULTS, options);
  if (!Array.isArray(rules)) throw new InvalidOptionError(fn, "rules", rules, "an array of association rules");
  if (!MEASURES.includes(o.scoreBy)) throw new InvalidOptionError(fn, "scoreBy", o.scoreBy, `one of ${MEASURES.join(", ")}`);
  // File each rule under its antecedent item that triggers the fewest rules, so a call looks at
  // as few rules as possible (a rule fires only if all its antecedent items are present anyway).
  const mentions = new Map<string, number>();
  for (let r = 0; r < rules.length; r++) {
    const a = rules[r].antecedent;
    if (!Array.isArray(a) || a.length === 0) throw new InvalidOptionError(fn, `rules[${r}].antecedent`, a, "a non-empty array of item labels");
    for (const x of a) mentions.set(x, (mentions.get(x) ?? 0) + 1);
  }
  const lists = new Map<string, number[]>();
  for (let r = 0; r < rules.length; r++) {
    const a = rules[r].antecedent;
    let key = a[0];
    for (let i = 1; i < a.length; i++) if ((mentions.get(a[i]) as number) < (mentions.get(key) as number)) key = a[i];
    let list = lists.get(key);
    if (!list) lists.set(key, (list = []));
    list.push(r);
  }
  const index = new Map<string, Uint32Array>();
  for (const [k, v] of lists) index.set(k, Uint32Array.from(v));
  return { rules, scoreBy: o.scoreBy, index };
}

/**
 * Recommend the next items for a basket or a customer's purchase history: the items that rules
 * triggered by the basket point to, ranked, each with the rules that support it.
 *
 * @remarks
 * A rule X => Y fires when every item of X is in the basket (a history is the union of its
 * baskets). Each item of Y not already in the basket is a candidate; its score is the best
 * firing rule's `scoreBy` measure (confidence by default). Ties are broken by the best rule's
 * lift, confidence and support, then the number of firing rules, then the item label. Customer
 * attributes mined as items (`"ageBand=30-39"`) can be put in the basket too. When the rules
 * carry item names (`consequentNames`), each recommendation has the item's `name` as well.
 *
 * @param recommender - from {@link buildRecommender}, or a plain array of rules (indexed on
 *   the fly: fine for one call, wasteful for many).
 * @param basket - item labels, or a history as a list of baskets.
 * @param options - see {@link RecommendOptions}.
 * @returns up to `top` recommendations, best first; empty when no rule fires.
 * @throws {@link InvalidOptionError} for a bad `top`, `rulesPerItem` or basket.
 * @example
 * ```ts
 * const rules = associationRules(frequentItemsets([["a", "b", "c"], ["a", "b"], ["a", "c"], ["b"]], { minSupport: 0.5 }), { minConfidence: 0.5 });
 * recommend(rules, [["a"], ["d"]]).map((r) => `${r.item} ${r.score.toFixed(2)} via ${r.rules[0].antecedent}`);
 * //=> ["c 0.67 via a", "b 0.67 via a"]
 * ```
 * @category Association rules
 */
export function recommend(
  recommender: Recommender | readonly AssociationRule[],
  basket: Iterable<string> | Iterable<Iterable<string>>,
  options: RecommendOptions = {},
): Recommendation[] {
  const fn = "recommend";
  const o = withDefaults(RECOMMEND_DEFAULTS, options);
  if (!(Number.isInteger(o.top) && o.top >= 0)) throw new InvalidOptionError(fn, "top", o.top, "an integer >= 0");
  if (!(Number.isInteger(o.rulesPerItem) && o.rulesPerItem >= 0)) throw new InvalidOptionError(fn, "rulesPerItem", o.rulesPerItem, "an integer >= 0");
  const rec = Array.isArray(recommender) ? buildRecommender(recommender as readonly AssociationRule[]) : (recommender as Recommender);
  if (basket === null || typeof basket !== "object" || typeof (basket as Iterable<unknown>)[Symbol.iterator] !== "function" || typeof basket === "string") {
    throw new InvalidOptionError(fn, "basket", basket, "an array of item labels, or an array of baskets");
  }
  const have = new Set<string>();
  for (const x of basket as Iterable<unknown>) {
    if (typeof x === "string") have.add(x.trim());
    else if (x !== null && typeof x === "object" && typeof (x as Iterable<unknown>)[Symbol.iterator] === "function") {
      for (const y of x as Iterable<unknown>) {
        if (typeof y !== "string") throw new InvalidOptionError(fn, "basket", y, "item labels as strings");
        have.add(y.trim());
      }
    } else throw new InvalidOptionError(fn, "basket", x, "item labels as strings, or baskets of them");
  }
  const exclude = new Set(o.exclude);
  const { rules, index, scoreBy } = rec;
  const better = (x: AssociationRule, y: AssociationRule) => y[scoreBy] - x[scoreBy] || y.lift - x.lift || y.confidence - x.confidence || y.support - x.support;
  // One pass over the rules filed under the basket's items: keep, per candidate item, the best
  // firing rule and the number of firing rules; remember the firing rules for the second pass.
  const bestRule = new Map<string, number>();
  const fired = new Map<string, number>();
  const firing: number[] = [];
  for (const item of have) {
    const list = index.get(item);
    if (!list) continue;
    for (let q = 0; q < list.length; q++) {
      const r = list[q];
      const rule = rules[r];
      const a = rule.antecedent;
      let fires = true;
      for (let i = 0; i < a.length; i++) {
        if (!have.has(a[i])) {
          fires = false;
          break;
        }
      }
      if (!fires) continue;
      let useful = false;
      for (const y of rule.consequent) {
        if (have.has(y) || exclude.has(y)) continue;
        useful = true;
        fired.set(y, (fired.get(y) ?? 0) + 1);
        const b = bestRule.get(y);
        if (b === undefined || better(rule, rules[b]) < 0) bestRule.set(y, r);
      }
      if (useful) firing.push(r);
    }
  }
  const out: { item: string; score: number; ruleCount: number; rules: AssociationRule[]; best: AssociationRule }[] = [];
  for (const [item, r] of bestRule) out.push({ item, score: rules[r][scoreBy], ruleCount: fired.get(item) as number, rules: [], best: rules[r] });
  out.sort((x, y) => better(x.best, y.best) || y.ruleCount - x.ruleCount || (x.item < y.item ? -1 : x.item > y.item ? 1 : 0));
  if (out.length > o.top) out.length = o.top;
  // Supporting rules of the returned items only.
  if (o.rulesPerItem > 0 && out.length > 0) {
    const pos = new Map(out.map((x, i) => [x.item, i]));
    for (const r of firing) for (const y of rules[r].consequent) {
      const i = pos.get(y);
      if (i !== undefined) out[i].rules.push(rules[r]);
    }
    for (const x of out) {
      x.rules.sort(better);
      if (x.rules.length > o.rulesPerItem) x.rules.length = o.rulesPerItem;
    }
  }
  return out.map(({ item, score, ruleCount, rules: rs, best }) => {
    const j = best.consequentNames ? best.consequent.indexOf(item) : -1;
    return j >= 0 ? { item, name: (best.consequentNames as readonly string[])[j], score, ruleCount, rules: rs } : { item, score, ruleCount, rules: rs };
  });
}
