import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";

/**
 * The lifecycle stages of the sources (papers 004, SPEC section 8): `"prospect"` (only for ids
 * of a given prospect list without a purchase), `"new"` (acquisition), `"growth"`
 * (development), `"maturity"`, `"decline"`, `"churned"` (termination).
 * @category Lifecycle
 */
export type LifecycleStage = "prospect" | "new" | "growth" | "maturity" | "decline" | "churned";

/**
 * A stage a rule can assign: every stage but `"prospect"`, which comes from the prospect list.
 * @category Lifecycle
 */
export type RuleStage = Exclude<LifecycleStage, "prospect">;

/**
 * Tenure level: `"new"` (first purchase at most `newCustomerDays` before `asOf`) or `"established"`.
 * @category Lifecycle
 */
export type TenureLevel = "new" | "established";

/**
 * Recency relative to the customer's own purchase cadence: `"active"` (recency <= activeRatio
 * × cadence), `"lapsing"` (up to lapsedRatio × cadence), `"lapsed"` (beyond).
 * @category Lifecycle
 */
export type RecencyLevel = "active" | "lapsing" | "lapsed";

/**
 * Trend of purchase frequency and spend across the recent windows: `"up"`, `"flat"` or `"down"`.
 * @category Lifecycle
 */
export type TrendLevel = "up" | "flat" | "down";

/** Stages by code (the order of the stage column's `values` and of the summary). */
export const STAGES: readonly LifecycleStage[] = Object.freeze(["prospect", "new", "growth", "maturity", "decline", "churned"] as const);
/** Levels by code. */
export const TENURE: readonly TenureLevel[] = Object.freeze(["new", "established"] as const);
export const RECENCY: readonly RecencyLevel[] = Object.freeze(["active", "lapsing", "lapsed"] as const);
export const TREND: readonly TrendLevel[] = Object.freeze(["up", "flat", "down"] as const);

/**
 * A lifecycle stage rule: a customer whose levels are in every listed set gets the stage.
 * Rules are tried in order, first match wins; a missing dimension matches any level.
 * Several rules may name the same stage.
 * @category Lifecycle
 */
export interface LifecycleRule {
  /** The stage assigned. */
  readonly stage: RuleStage;
  /** Tenure levels matched. Missing: any. */
  readonly tenure?: readonly TenureLevel[];
  /** Recency levels matched. Missing: any. */
  readonly recency?: readonly RecencyLevel[];
  /** Trend levels matched. Missing: any. */
  readonly trend?: readonly TrendLevel[];
}

const rule = (stage: RuleStage, sets: { tenure?: TenureLevel[]; recency?: RecencyLevel[]; trend?: TrendLevel[] }): LifecycleRule =>
  Object.freeze({
    stage,
    ...(sets.tenure ? { tenure: Object.freeze(sets.tenure) } : {}),
    ...(sets.recency ? { recency: Object.freeze(sets.recency) } : {}),
    ...(sets.trend ? { trend: Object.freeze(sets.trend) } : {}),
  });

/** The default rules (see {@link defaultLifecycleRules} for the reasoning). */
const DEFAULT_RULES: readonly LifecycleRule[] = Object.freeze([
  rule("churned", { recency: ["lapsed"] }),
  rule("new", { tenure: ["new"], recency: ["active", "lapsing"] }),
  rule("growth", { tenure: ["established"], recency: ["active"], trend: ["up"] }),
  rule("maturity", { tenure: ["established"], recency: ["active"], trend: ["flat"] }),
  rule("decline", { tenure: ["established"], recency: ["active"], trend: ["down"] }),
  rule("decline", { tenure: ["established"], recency: ["lapsing"] }),
]);

/**
 * The default lifecycle stage rules (frozen; copy to change), a complete partition of the 18
 * (tenure × recency × trend) cells.
 *
 * @remarks
 * | rule | tenure | recency | trend | why |
 * |---|---|---|---|---|
 * | churned | any | lapsed | any | silent for more than 3 of its own mean gaps: a customer still buying at its usual (Poisson) rate does so with probability e^-3 ≈ 5% |
 * | new | new | active, lapsing | any | in the acquisition stage the trend is not yet meaningful (too few windows) |
 * | growth | established | active | up | buying on time, more often or more |
 * | maturity | established | active | flat | buying on time at a steady level |
 * | decline | established | active | down | still on time, but buying less |
 * | decline | established | lapsing | any | overdue (between 1.5 and 3 mean gaps: only about e^-1.5 ≈ 22% of on-rate buyers are that late) |
 *
 * The stages are the papers' five (acquisition, growth/development, maturity, decline,
 * termination; SPEC section 8); "prospect" is assigned from a prospect list, never by a rule.
 *
 * @returns the frozen rules, in matching order.
 * @example
 * ```ts
 * defaultLifecycleRules().map((r) => r.stage);
 * //=> ["churned", "new", "growth", "maturity", "decline", "decline"]
 * ```
 * @category Lifecycle
 */
export function defaultLifecycleRules(): readonly LifecycleRule[] {
  return DEFAULT_RULES;
}

/** Number of (tenure, recency, trend) cells. */
export const CELLS = TENURE.length * RECENCY.length * TREND.length;

/** Cell code of levels (codes). */
export function cellOf(tenure: number, recency: number, trend: number): number {
  return (tenure * RECENCY.length + recency) * TREND.length + trend;
}

function matches(r: LifecycleRule, t: number, rc: number, tr: number): boolean {
  return (!r.tenure || r.tenure.includes(TENURE[t])) && (!r.recency || r.recency.includes(RECENCY[rc])) && (!r.trend || r.trend.includes(TREND[tr]));
}

/** Check the shape of rules; InvalidRecordError with row = 1-based rule position. */
export function checkLifecycleRules(rules: readonly LifecycleRule[], fn: string): void {
  if (!Array.isArray(rules)) throw new InvalidOptionError(fn, "rules", rules, "an array of lifecycle rules { stage, tenure?, recency?, trend? }");
  rules.forEach((r, i) => {
    if (r === null || typeof r !== "object") throw new InvalidRecordError(fn, { row: i + 1, field: "rule", value: r, expected: "a rule { stage, tenure?, recency?, trend? }" });
    if (!STAGES.includes(r.stage) || r.stage === "prospect") {
      throw new InvalidRecordError(fn, { row: i + 1, field: "stage", value: r.stage, expected: '"new", "growth", "maturity", "decline" or "churned" ("prospect" comes from the prospect list)' });
    }
    const dims: [keyof LifecycleRule, readonly string[]][] = [["tenure", TENURE], ["recency", RECENCY], ["trend", TREND]];
    for (const [d, levels] of dims) {
      const v = r[d] as readonly string[] | undefined;
      if (v === undefined) continue;
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => levels.includes(x))) {
        throw new InvalidRecordError(fn, { row: i + 1, field: d, value: v, expected: `a non-empty list of ${levels.map((l) => `"${l}"`).join(", ")}` });
      }
    }
  });
}

/** Index of the first matching rule per cell (-1 = none). */
export function lifecycleRuleTable(rules: readonly LifecycleRule[]): Int32Array {
  const t = new Int32Array(CELLS).fill(-1);
  for (let a = 0; a < TENURE.length; a++) {
    for (let b = 0; b < RECENCY.length; b++) {
      for (let c = 0; c < TREND.length; c++) {
        const k = rules.findIndex((r) => matches(r, a, b, c));
        t[cellOf(a, b, c)] = k;
      }
    }
  }
  return t;
}

/**
 * One (tenure, recency, trend) cell.
 * @category Lifecycle
 */
export interface LifecycleCell {
  /** Tenure level. */
  tenure: TenureLevel;
  /** Recency level. */
  recency: RecencyLevel;
  /** Trend level. */
  trend: TrendLevel;
}

/**
 * Two rules matching common cells.
 * @category Lifecycle
 */
export interface LifecycleRuleOverlap {
  /** 0-based index of the earlier rule (it wins the shared cells). */
  first: number;
  /** 0-based index of the later rule. */
  second: number;
  /** Their stages. */
  stages: [RuleStage, RuleStage];
  /** Cells both match. */
  cells: number;
  /** Whether both name the same stage (harmless). */
  sameStage: boolean;
}

/**
 * A rule that wins no cell.
 * @category Lifecycle
 */
export interface UnreachableLifecycleRule {
  /** 0-based index of the rule. */
  index: number;
  /** Its stage. */
  stage: RuleStage;
  /** Stages of the earlier rules that take its cells. */
  shadowedBy: RuleStage[];
}

/**
 * Cells a rule wins.
 * @category Lifecycle
 */
export interface LifecycleRuleCells {
  /** 0-based index of the rule. */
  index: number;
  /** Its stage. */
  stage: RuleStage;
  /** Cells it wins (first match). */
  cells: number;
}

/**
 * Report of {@link validateLifecycleRules}.
 * @category Lifecycle
 */
export interface LifecycleRulesReport {
  /** True when every cell is covered, no rule is unreachable and no two differently named rules overlap. */
  ok: boolean;
  /** Pairs of rules matching common cells (`first` wins them); `sameStage` pairs are harmless. */
  overlaps: LifecycleRuleOverlap[];
  /** Rules that win no cell (0-based index), with the stages of the rules that take their cells. */
  unreachable: UnreachableLifecycleRule[];
  /** Cells no rule matches (gaps): a customer there would have no stage. */
  uncovered: LifecycleCell[];
  /** Cells won by each rule, in rule order. */
  cellsWon: LifecycleRuleCells[];
  /** One human-readable line per problem. */
  messages: string[];
}

/**
 * Check a lifecycle rule table: gaps (cells no rule matches), overlaps and unreachable rules.
 *
 * @remarks
 * Each of the 2 × 3 × 3 = 18 (tenure, recency, trend) cells is matched against the rules in
 * order (first match wins; a missing dimension matches any level), as `validateSegmentRules`
 * does for the RFM grid. `lifecycleStages` refuses rules with gaps (every customer must get a
 * stage) and follows first-match-wins for overlaps.
 *
 * @param rules - the rules, in matching order.
 * @returns the report; `ok` for a clean partition such as {@link defaultLifecycleRules}.
 * @throws {@link InvalidRecordError} for a malformed rule (`row` = 1-based position).
 * @throws {@link InvalidOptionError} when `rules` is not an array.
 * @example
 * ```ts
 * validateLifecycleRules(defaultLifecycleRules()).ok;
 * //=> true
 * const r = validateLifecycleRules([{ stage: "churned", recency: ["lapsed"] }, { stage: "maturity", recency: ["active", "lapsed"] }]);
 * [r.ok, r.uncovered.length, r.overlaps[0].cells];
 * //=> [false, 6, 6]
 * ```
 * @category Lifecycle
 */
export function validateLifecycleRules(rules: readonly LifecycleRule[]): LifecycleRulesReport {
  const fn = "validateLifecycleRules";
  checkLifecycleRules(rules, fn);
  const won = new Array<number>(rules.length).fill(0);
  const shared = new Map<number, number>();
  const shadow = new Map<number, Set<RuleStage>>();
  const uncovered: LifecycleCell[] = [];
  for (let a = 0; a < TENURE.length; a++) {
    for (let b = 0; b < RECENCY.length; b++) {
      for (let c = 0; c < TREND.length; c++) {
        const hits: number[] = [];
        rules.forEach((r, k) => {
          if (matches(r, a, b, c)) hits.push(k);
        });
        if (hits.length === 0) {
          uncovered.push({ tenure: TENURE[a], recency: RECENCY[b], trend: TREND[c] });
          continue;
        }
        won[hits[0]]++;
        for (let x = 0; x < hits.length; x++) {
          for (let y = x + 1; y < hits.length; y++) {
            const key = hits[x] * rules.length + hits[y];
            shared.set(key, (shared.get(key) ?? 0) + 1);
          }
          if (x > 0) {
            let s = shadow.get(hits[x]);
            if (!s) shadow.set(hits[x], (s = new Set()));
            s.add(rules[hits[0]].stage);
          }
        }
      }
    }
  }
  const overlaps = [...shared].sort((p, q) => p[0] - q[0]).map(([key, cells]) => {
    const first = Math.floor(key / rules.length);
    const second = key % rules.length;
    return { first, second, stages: [rules[first].stage, rules[second].stage] as [RuleStage, RuleStage], cells, sameStage: rules[first].stage === rules[second].stage };
  });
  const unreachable = rules.flatMap((r, index) => (won[index] === 0 ? [{ index, stage: r.stage, shadowedBy: [...(shadow.get(index) ?? [])] }] : []));
  const messages: string[] = [];
  for (const u of unreachable) {
    messages.push(u.shadowedBy.length ? `rule ${u.index + 1} "${u.stage}" is unreachable: every cell it matches is taken by ${u.shadowedBy.map((s) => `"${s}"`).join(", ")}` : `rule ${u.index + 1} "${u.stage}" is unreachable`);
  }
  for (const o of overlaps) if (!o.sameStage) messages.push(`rules ${o.first + 1} "${o.stages[0]}" and ${o.second + 1} "${o.stages[1]}" overlap on ${o.cells} cell(s); "${o.stages[0]}" wins them`);
  if (uncovered.length) {
    messages.push(`${uncovered.length} of ${CELLS} cells match no rule: ${uncovered.slice(0, 4).map((u) => `(${u.tenure}, ${u.recency}, ${u.trend})`).join(", ")}${uncovered.length > 4 ? ", ..." : ""}`);
  }
  return {
    ok: uncovered.length === 0 && unreachable.length === 0 && overlaps.every((o) => o.sameStage),
    overlaps,
    unreachable,
    uncovered,
    cellsWon: rules.map((r, index) => ({ index, stage: r.stage, cells: won[index] })),
    messages,
  };
}
