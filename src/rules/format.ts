import { InvalidOptionError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { toCsv, type CsvColumn } from "../io/csv.js";
import type { AssociationRule } from "./rules.js";

/**
 * Options of {@link formatRule}.
 * @category Association rules
 */
export interface FormatRuleOptions {
  /** Show the items' human-readable names (`antecedentNames`/`consequentNames`) when the rule carries them, else the labels. Default `true`. */
  names?: boolean;
  /** Digits of the lift shown after the rule; `null` shows no lift. Default 2. */
  liftDigits?: number | null;
}

const FORMAT_RULE_DEFAULTS = Object.freeze({ names: true, liftDigits: 2 as number | null });

/**
 * One rule as text for people: `{A, B} => {C} (lift 3.10)`, with the items' names when the
 * rule carries them.
 *
 * @remarks
 * For display only (log lines, report tables): an item name may itself contain `", "`, so the
 * text is not meant to be parsed back; {@link rulesCsv} writes the unambiguous form.
 *
 * @param rule - a rule from `associationRules`.
 * @param options - see {@link FormatRuleOptions}.
 * @returns the text.
 * @throws {@link InvalidOptionError} for a `liftDigits` that is not an integer in [0, 20] or `null`.
 * @example
 * ```ts
 * const rule = { antecedent: ["23171"], consequent: ["23172"], antecedentNames: ["REGENCY TEA PLATE GREEN"], consequentNames: ["REGENCY TEA PLATE PINK"], support: 0.01, confidence: 0.7, lift: 41.25, leverage: 0.0098, conviction: 3.3, zhang: 0.98, kulczynski: 0.72, count: 10, antecedentCount: 14, consequentCount: 13 };
 * formatRule(rule);
 * //=> "{REGENCY TEA PLATE GREEN} => {REGENCY TEA PLATE PINK} (lift 41.25)"
 * formatRule(rule, { names: false, liftDigits: null });
 * //=> "{23171} => {23172}"
 * ```
 * @category Association rules
 */
export function formatRule(rule: AssociationRule, options: FormatRuleOptions = {}): string {
  const o = withDefaults(FORMAT_RULE_DEFAULTS, options);
  if (!(o.liftDigits === null || (Number.isInteger(o.liftDigits) && o.liftDigits >= 0 && o.liftDigits <= 20))) {
    throw new InvalidOptionError("formatRule", "liftDigits", o.liftDigits, "an integer in [0, 20], or null for no lift");
  }
  const x = o.names && rule.antecedentNames ? rule.antecedentNames : rule.antecedent;
  const y = o.names && rule.consequentNames ? rule.consequentNames : rule.consequent;
  const text = `{${x.join(", ")}} => {${y.join(", ")}}`;
  return o.liftDigits === null ? text : `${text} (lift ${rule.lift.toFixed(o.liftDigits)})`;
}

/**
 * Options of {@link rulesCsv}.
 * @category Association rules
 */
export interface RulesCsvOptions {
  /** Add the `antecedentNames` and `consequentNames` columns: `"auto"` when at least one rule carries names, or always / never. Default `"auto"`. */
  names?: "auto" | boolean;
}

const RULES_CSV_DEFAULTS = Object.freeze({ names: "auto" as "auto" | boolean });

/** A number for the CSV: full precision; `Infinity` (conviction at confidence 1) spelt out. */
function num(v: number): number | string {
  return v === Infinity ? "Infinity" : v;
}

/**
 * Association rules as CSV in which every item list is unambiguous: each side is a JSON array
 * of strings in one cell (`["GIN + TONIC DIET METAL SIGN"]`), so separators inside an item
 * label or name cannot split it.
 *
 * @remarks
 * Columns: `antecedent`, `consequent` (JSON arrays of the item labels, the keys), then
 * `antecedentNames`, `consequentNames` (JSON arrays of the human-readable names, see
 * {@link RulesCsvOptions}), then `support`, `confidence`, `lift`, `leverage`, `conviction`,
 * `zhang`, `kulczynski`, `count`, `antecedentCount`, `consequentCount` in full precision
 * (`conviction` is `Infinity` when confidence is 1). Cells are quoted as RFC 4180 says
 * (`"[""a"",""b""]"`), and a JSON array cell always starts with `[`, so a spreadsheet never
 * reads it as a formula, whatever the labels contain (`=cmd()` stays text inside the array).
 * Read a list back with `JSON.parse(cell)`. Rules come out in the order given.
 *
 * @param rules - rules from `associationRules` (or `associationRuleSet(...).rules`).
 * @param options - see {@link RulesCsvOptions}.
 * @returns the CSV text, header line first, `\n` line ends.
 * @throws {@link InvalidOptionError} when `rules` is not an array or `names` is not `"auto"` or a boolean.
 * @example
 * ```ts
 * const rule = { antecedent: ["22111"], consequent: ["21843"], antecedentNames: ["GIN + TONIC DIET METAL SIGN"], consequentNames: ['RED "RETROSPOT" CAKE STAND'], support: 0.25, confidence: 1, lift: 2, leverage: 0.125, conviction: Infinity, zhang: 1, kulczynski: 0.75, count: 1, antecedentCount: 1, consequentCount: 2 };
 * rulesCsv([rule]).split("\n");
 * //=> ["antecedent,consequent,antecedentNames,consequentNames,support,confidence,lift,leverage,conviction,zhang,kulczynski,count,antecedentCount,consequentCount", '"[""22111""]","[""21843""]","[""GIN + TONIC DIET METAL SIGN""]","[""RED \\""RETROSPOT\\"" CAKE STAND""]",0.25,1,2,0.125,Infinity,1,0.75,1,1,2', ""]
 * ```
 * @category Association rules
 */
export function rulesCsv(rules: readonly AssociationRule[], options: RulesCsvOptions = {}): string {
  const fn = "rulesCsv";
  const o = withDefaults(RULES_CSV_DEFAULTS, options);
  if (!Array.isArray(rules)) throw new InvalidOptionError(fn, "rules", rules, "an array of association rules");
  if (o.names !== "auto" && typeof o.names !== "boolean") throw new InvalidOptionError(fn, "names", o.names, '"auto", true or false');
  const withNames = o.names === "auto" ? rules.some((r) => r.antecedentNames !== undefined || r.consequentNames !== undefined) : o.names;
  const list = (v: readonly string[]) => JSON.stringify(v);
  const columns: CsvColumn<AssociationRule>[] = [
    { header: "antecedent", value: (r) => list(r.antecedent) },
    { header: "consequent", value: (r) => list(r.consequent) },
  ];
  if (withNames) {
    columns.push(
      { header: "antecedentNames", value: (r) => list(r.antecedentNames ?? r.antecedent) },
      { header: "consequentNames", value: (r) => list(r.consequentNames ?? r.consequent) },
    );
  }
  columns.push(
    { header: "support", value: (r) => num(r.support) },
    { header: "confidence", value: (r) => num(r.confidence) },
    { header: "lift", value: (r) => num(r.lift) },
    { header: "leverage", value: (r) => num(r.leverage) },
    { header: "conviction", value: (r) => num(r.conviction) },
    { header: "zhang", value: (r) => num(r.zhang) },
    { header: "kulczynski", value: (r) => num(r.kulczynski) },
    { header: "count", value: (r) => r.count },
    { header: "antecedentCount", value: (r) => r.antecedentCount },
    { header: "consequentCount", value: (r) => r.consequentCount },
  );
  return toCsv(rules, columns);
}
