import { InvalidOptionError, InvalidRecordError } from "../core/errors.js";
import { withDefaults } from "../core/options.js";
import { toEpochDay } from "../core/time.js";
import type { DateInput } from "../core/types.js";
import { median } from "../numeric/quantile.js";
import { fsum } from "../numeric/sum.js";

/**
 * One sales opportunity: the date it reached each funnel stage, its attributes (region,
 * salesperson, product...) and optionally its value.
 * @category Cube
 */
export interface Opportunity {
  /** Opportunity id. */
  readonly id: string;
  /** Date the opportunity reached each stage, by stage name; a stage not reached is absent or `null`. */
  readonly stages: Readonly<Record<string, DateInput | null | undefined>>;
  /** Attributes to break the funnel down by. Default: none. */
  readonly attributes?: Readonly<Record<string, unknown>>;
  /** Value (expected or won amount). Default: none (0). */
  readonly value?: number;
}

/**
 * Options of {@link salesFunnel}.
 * @category Cube
 */
export interface SalesFunnelOptions {
  /** The stages, in funnel order. Default `["lead", "opportunity", "won"]`. */
  stages?: readonly string[];
  /** Attribute names to break the funnel down by (each combination, plus the overall funnel). Default: none (the overall funnel only). */
  by?: readonly string[];
  /** Member name for a missing attribute value. Default `"(unknown)"`. */
  unknown?: string;
  /** Time zone in which date-times become days. Default `"UTC"`. */
  timeZone?: string;
}

/** Defaults of {@link SalesFunnelOptions}. */
export const SALES_FUNNEL_DEFAULTS: Readonly<Required<SalesFunnelOptions>> = Object.freeze({ stages: Object.freeze(["lead", "opportunity", "won"]) as readonly string[], by: Object.freeze([]) as readonly string[], unknown: "(unknown)", timeZone: "UTC" });

/**
 * One stage of a funnel.
 * @category Cube
 */
export interface FunnelStage {
  /** Stage name. */
  stage: string;
  /** Opportunities that reached the stage (or a later one). */
  reached: number;
  /** `reached / reached of the previous stage`; `null` for the first stage or when the previous stage has none. */
  conversionFromPrevious: number | null;
  /** `reached / reached of the first stage`; `null` when the first stage has none. */
  conversionFromFirst: number | null;
  /** Sum of the values of the opportunities that reached the stage. */
  value: number;
  /** Median days from the previous stage, over the opportunities with both dates; `null` for the first stage or without such pairs. */
  medianDaysFromPrevious: number | null;
  /** Mean of the same days; `null` likewise. */
  meanDaysFromPrevious: number | null;
  /** Opportunities with both dates (the durations' count). */
  timedPairs: number;
}

/**
 * One funnel: overall (`key` all `null`) or for one combination of attribute values.
 * @category Cube
 */
export interface FunnelGroup {
  /** Attribute value per `by` name (`null` in the overall funnel). */
  key: (string | null)[];
  /** Opportunities in the group. */
  opportunities: number;
  /** The stages in order. */
  stages: FunnelStage[];
}

/**
 * Result of {@link salesFunnel}.
 * @category Cube
 */
export interface SalesFunnelResult {
  /** The `by` attribute names. */
  by: string[];
  /** The overall funnel first, then one per combination (sorted by key, the unknown member last). */
  groups: FunnelGroup[];
  /** Opportunities that reached a later stage without a date for an earlier one (counted as having reached it; no duration for that step). */
  skippedStageDates: number;
}

const isMissing = (v: unknown) => v === null || v === undefined || v === "";

/**
 * The sales funnel (lead → opportunity → won, or any stages) with conversion rates, values and
 * stage durations, overall and by attributes.
 *
 * @remarks
 * An opportunity reached a stage when it has a date for that stage or for any later one (a
 * won deal went through the earlier stages even if a date was not recorded; those are counted
 * in `skippedStageDates`). Conversion from the previous stage = reached(k) / reached(k−1), so
 * the rates multiply to the overall conversion. Durations are whole days between consecutive
 * stage dates, for the opportunities that have both; the median is R-7 (`median`). Missing
 * attribute values are the `"(unknown)"` member; every opportunity is in the overall funnel and
 * in exactly one group. Complexity O(n · stages) plus the medians.
 *
 * @param opportunities - the opportunity records.
 * @param options - see {@link SalesFunnelOptions}.
 * @returns the overall funnel and one per attribute combination.
 * @throws {@link InvalidRecordError} for a bad date, a stage dated before the previous one, a non-finite value or a repeated id (`row` = the 1-based record).
 * @throws {@link InvalidOptionError} for fewer than two stages or repeated stage names.
 * @example
 * ```ts
 * const f = salesFunnel([
 *   { id: "o1", stages: { lead: "2024-01-01", opportunity: "2024-01-11", won: "2024-02-10" }, value: 500, attributes: { region: "north" } },
 *   { id: "o2", stages: { lead: "2024-01-05", opportunity: "2024-01-09" }, value: 300, attributes: { region: "north" } },
 *   { id: "o3", stages: { lead: "2024-01-07" }, attributes: { region: "south" } },
 * ], { by: ["region"] });
 * f.groups[0].stages.map((s) => [s.stage, s.reached, s.conversionFromPrevious, s.medianDaysFromPrevious]);
 * //=> [["lead", 3, null, null], ["opportunity", 2, 0.6666666666666666, 7], ["won", 1, 0.5, 30]]
 * f.groups.map((g) => [g.key[0], g.opportunities]);
 * //=> [[null, 3], ["north", 2], ["south", 1]]
 * ```
 * @category Cube
 */
export function salesFunnel(opportunities: Iterable<Opportunity>, options: SalesFunnelOptions = {}): SalesFunnelResult {
  const fn = "salesFunnel";
  const o = withDefaults(SALES_FUNNEL_DEFAULTS, options);
  const stages = [...o.stages];
  if (stages.length < 2 || stages.some((s) => typeof s !== "string") || new Set(stages).size !== stages.length) {
    throw new InvalidOptionError(fn, "stages", o.stages, "at least two distinct stage names, in funnel order");
  }
  const by = [...o.by];
  if (by.some((b) => typeof b !== "string")) throw new InvalidOptionError(fn, "by", o.by, "attribute names");
  if (typeof o.unknown !== "string") throw new InvalidOptionError(fn, "unknown", o.unknown, "a string");
  const k = stages.length;
  interface Row {
    key: string[];
    reach: number; // index of the last stage reached, -1 none
    days: (number | null)[];
    value: number;
  }
  const rows: Row[] = [];
  const ids = new Set<string>();
  let skippedStageDates = 0;
  let r = 0;
  for (const op of opportunities) {
    r++;
    if (op === null || typeof op !== "object" || op.stages === null || typeof op.stages !== "object") throw new InvalidRecordError(fn, { row: r, field: "stages", value: op, expected: "an opportunity { id, stages: { stage: date } }" });
    if (typeof op.id !== "string" || ids.has(op.id)) throw new InvalidRecordError(fn, { row: r, field: "id", value: op.id, expected: "a string id, each once" });
    ids.add(op.id);
    const value = op.value ?? 0;
    if (!(typeof value === "number" && Number.isFinite(value))) throw new InvalidRecordError(fn, { row: r, field: "value", value: op.value, expected: "a finite number" });
    const days: (number | null)[] = stages.map((s) => {
      const v = Object.prototype.hasOwnProperty.call(op.stages, s) ? op.stages[s] : undefined;
      if (v === null || v === undefined || v === "") return null;
      try {
        return toEpochDay(v, fn, s, { timeZone: o.timeZone });
      } catch (e) {
        throw new InvalidRecordError(fn, { row: r, field: `stages.${s}`, value: v, expected: "a date" }, { cause: e });
      }
    });
    let reach = -1;
    for (let j = k - 1; j >= 0; j--) if (days[j] !== null) {
      reach = j;
      break;
    }
    for (let j = 0; j < reach; j++) if (days[j] === null) skippedStageDates++;
    let prev: number | null = null;
    for (let j = 0; j < k; j++) {
      const d = days[j];
      if (d === null) continue;
      if (prev !== null && d < prev) throw new InvalidRecordError(fn, { row: r, field: `stages.${stages[j]}`, value: op.stages[stages[j]], expected: "a date on or after the earlier stages' dates" });
      prev = d;
    }
    const attrs = op.attributes ?? {};
    const key = by.map((b) => {
      const v = Object.prototype.hasOwnProperty.call(attrs, b) ? attrs[b] : undefined;
      return isMissing(v) ? o.unknown : String(v);
    });
    rows.push({ key, reach, days, value });
  }

  const funnel = (members: Row[], key: (string | null)[]): FunnelGroup => ({
    key,
    opportunities: members.length,
    stages: stages.map((stage, j) => {
      const reached = members.filter((m) => m.reach >= j);
      const prevReached = j === 0 ? 0 : members.filter((m) => m.reach >= j - 1).length;
      const first = members.filter((m) => m.reach >= 0).length;
      const durations: number[] = [];
      if (j > 0) for (const m of reached) {
        const a = m.days[j - 1];
        const b = m.days[j];
        if (a !== null && b !== null) durations.push(b - a);
      }
      return {
        stage,
        reached: reached.length,
        conversionFromPrevious: j === 0 || prevReached === 0 ? null : reached.length / prevReached,
        conversionFromFirst: first === 0 ? null : reached.length / first,
        value: fsum(reached.map((m) => m.value)),
        medianDaysFromPrevious: durations.length > 0 ? median(durations) : null,
        meanDaysFromPrevious: durations.length > 0 ? fsum(durations) / durations.length : null,
        timedPairs: durations.length,
      };
    }),
  });

  const groups: FunnelGroup[] = [funnel(rows, by.map(() => null))];
  if (by.length > 0) {
    const parts = new Map<string, Row[]>();
    for (const row of rows) {
      const id = JSON.stringify(row.key);
      const list = parts.get(id);
      if (list) list.push(row);
      else parts.set(id, [row]);
    }
    const rank = (v: string) => (v === o.unknown ? 1 : 0);
    const keys = [...parts.values()].map((list) => list[0].key);
    keys.sort((a, b) => {
      for (let i = 0; i < a.length; i++) {
        const c = rank(a[i]) - rank(b[i]) || (a[i] < b[i] ? -1 : a[i] > b[i] ? 1 : 0);
        if (c !== 0) return c;
      }
      return 0;
    });
    for (const key of keys) groups.push(funnel(parts.get(JSON.stringify(key)) as Row[], key));
  }
  return { by, groups, skippedStageDates };
}
