/**
 * The IANA time-zone rule of the engines (`zoneRule`: UTC offsets between transitions, sampled
 * from `Intl` weekly and bisected to the second) against the in-process reader's
 * `instantToDay` (Intl itself), without an engine: the day the SQL computes,
 * floor((ms + offset(ms)) / 86 400 000), must equal Intl's day for every instant tested.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantToDay } from "../../src/core/dates.js";
import { zoneRule, type ZoneRule } from "../../src/engine/sql.js";

/** The offset the SQL `CASE` tree selects: offsets[j] on [transitions[j-1], transitions[j]). */
function offsetAt(rule: ZoneRule, ms: number): number {
  if ("offsetMinutes" in rule) return rule.offsetMinutes * 60_000;
  let j = 0;
  while (j < rule.transitions.length && ms >= rule.transitions[j]) j++;
  return rule.offsets[j];
}

describe("zoneRule", () => {
  it("gives Intl's day for seeded instants (1800-2200, and near each transition) in 60 seeded IANA zones", () => {
    const all = Intl.supportedValuesOf("timeZone");
    const zones = fc.sample(fc.constantFrom(...all), { seed: 17, numRuns: 60 });
    const instants = fc.sample(fc.integer({ min: Date.UTC(1800, 0, 1), max: Date.UTC(2199, 11, 31) }), { seed: 18, numRuns: 400 });
    let transitions = 0;
    for (const zone of new Set(zones)) {
      const rule = zoneRule(zone);
      const intl = instantToDay(zone);
      expect(rule, zone).not.toBeNull();
      const near = "transitions" in (rule as ZoneRule) ? (rule as { transitions: readonly number[] }).transitions.flatMap((t) => [t - 1000, t - 1, t, t + 1, t + 3_600_000]) : [];
      transitions += near.length / 5;
      for (const ms of [...instants, ...near]) {
        const got = Math.floor((ms + offsetAt(rule as ZoneRule, ms)) / 86_400_000);
        if (got !== (intl as (ms: number) => number)(ms)) expect({ zone, ms, got }).toEqual({ zone, ms, got: (intl as (ms: number) => number)(ms) });
      }
    }
    expect(transitions).toBeGreaterThan(1000); // the sample includes zones with many DST changes
  });

  it("reads UTC and fixed offsets as the reader does, and refuses an unknown zone", () => {
    expect(zoneRule("UTC")).toEqual({ offsetMinutes: 0 });
    expect(zoneRule("-0330")).toEqual({ offsetMinutes: -210 });
    expect(zoneRule("+05:45")).toEqual({ offsetMinutes: 345 });
    expect(zoneRule("Mars/Olympus_Mons")).toBeNull();
    expect(instantToDay("Mars/Olympus_Mons")).toBeNull();
  });
});
