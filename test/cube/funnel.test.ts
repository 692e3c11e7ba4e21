import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { salesFunnel, type Opportunity } from "../../src/cube/index.js";
import { createRng } from "../../src/numeric/index.js";

const OPS: Opportunity[] = [
  { id: "o1", stages: { lead: "2024-01-01", opportunity: "2024-01-11", won: "2024-02-10" }, value: 500, attributes: { region: "north", rep: "ann" } },
  { id: "o2", stages: { lead: "2024-01-05", opportunity: "2024-01-09" }, value: 300, attributes: { region: "north", rep: "bob" } },
  { id: "o3", stages: { lead: "2024-01-07" }, value: 100, attributes: { region: "south", rep: "ann" } },
  // won without a recorded opportunity date: counted as having reached "opportunity"
  { id: "o4", stages: { lead: "2024-01-02", won: "2024-01-22" }, value: 200, attributes: { rep: "ann" } },
];

describe("salesFunnel", () => {
  it("salesFunnel gives the hand-computed reach, conversions, values and durations", () => {
    const f = salesFunnel(Object.freeze(OPS));
    const [lead, opp, won] = f.groups[0].stages;
    expect(lead).toEqual({ stage: "lead", reached: 4, conversionFromPrevious: null, conversionFromFirst: 1, value: 1100, medianDaysFromPrevious: null, meanDaysFromPrevious: null, timedPairs: 0 });
    // opportunity: o1, o2, o4 (skipped date) = 3 of 4; durations o1 10, o2 4 (o4 has no date)
    expect(opp).toEqual({ stage: "opportunity", reached: 3, conversionFromPrevious: 0.75, conversionFromFirst: 0.75, value: 1000, medianDaysFromPrevious: 7, meanDaysFromPrevious: 7, timedPairs: 2 });
    // won: o1, o4 = 2 of 3; durations: o1 30 (o4 has no opportunity date)
    expect(won).toEqual({ stage: "won", reached: 2, conversionFromPrevious: 2 / 3, conversionFromFirst: 0.5, value: 700, medianDaysFromPrevious: 30, meanDaysFromPrevious: 30, timedPairs: 1 });
    expect(f.skippedStageDates).toBe(1);
  });

  it("salesFunnel by attributes puts every opportunity in one group, the unknown member last", () => {
    const f = salesFunnel(OPS, { by: ["region", "rep"] });
    expect(f.groups.map((g) => [g.key, g.opportunities])).toEqual([
      [[null, null], 4],
      [["north", "ann"], 1],
      [["north", "bob"], 1],
      [["south", "ann"], 1],
      [["(unknown)", "ann"], 1],
    ]);
  });

  it("salesFunnel conversions multiply to the overall conversion on a seeded set (invariant)", () => {
    const rng = createRng(3);
    const ops: Opportunity[] = Array.from({ length: 500 }, (_, i) => {
      const start = Date.UTC(2024, 0, 1) + Math.floor(rng.next() * 300) * 86_400_000;
      const reach = Math.floor(rng.next() * 4) - 1;
      const stages: Record<string, Date> = {};
      let t = start;
      ["lead", "opportunity", "won"].forEach((s, j) => {
        if (j <= reach) stages[s] = new Date(t);
        t += Math.floor(rng.next() * 40) * 86_400_000;
      });
      return { id: `o${i}`, stages, attributes: { team: rng.next() < 0.5 ? "a" : "b" } };
    });
    const f = salesFunnel(ops, { by: ["team"] });
    for (const g of f.groups) {
      const s = g.stages;
      if (s[0].reached > 0 && s[1].reached > 0) expect((s[1].conversionFromPrevious as number) * (s[2].conversionFromPrevious as number)).toBeCloseTo(s[2].conversionFromFirst as number, 12);
    }
    expect(f.groups.slice(1).reduce((n, g) => n + g.opportunities, 0)).toBe(500);
  });

  describe("errors", () => {
    it("a stage dated before the previous one is an InvalidRecordError naming the record and stage", () => {
      try {
        salesFunnel([{ id: "x", stages: { lead: "2024-02-01", opportunity: "2024-01-01" } }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe(1);
        expect((e as InvalidRecordError).field).toBe("stages.opportunity");
      }
    });
    it("a bad date, a repeated id and one stage are typed errors", () => {
      expect(() => salesFunnel([{ id: "x", stages: { lead: "2024-13-45" } }])).toThrow(InvalidRecordError);
      expect(() => salesFunnel([{ id: "x", stages: {} }, { id: "x", stages: {} }])).toThrow(/each once/);
      expect(() => salesFunnel([], { stages: ["lead"] })).toThrow(InvalidOptionError);
    });
    it("an empty input gives null conversions, never NaN", () => {
      const f = salesFunnel([]);
      expect(f.groups[0].stages.map((s) => [s.reached, s.conversionFromPrevious, s.conversionFromFirst])).toEqual([[0, null, null], [0, null, null], [0, null, null]]);
    });
  });
});
