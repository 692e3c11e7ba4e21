import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import type { Transaction } from "../../src/core/types.js";
import { defaultLifecycleRules, lifecycleStages, validateLifecycleRules, type LifecycleRule } from "../../src/lifecycle/index.js";

const AS_OF = Date.UTC(2024, 11, 31);
/** The date `back` days before asOf (2024-12-31). */
const back = (n: number) => new Date(AS_OF - n * 86_400_000);
const buys = (id: string, days: number[], amount: number | number[] = 10): Transaction[] =>
  days.map((d, k) => ({ customerId: id, date: back(d), amount: Array.isArray(amount) ? amount[k] : amount }));

/**
 * Hand-computed customers (asOf 2024-12-31; windows of 90 days: w0 = 90..179 days back, w1 = 0..89):
 * grow:    back 300, 200, 170, 80, 50, 20, 5   gap 295/6 = 49.17, recency 5 (0.10 gaps); w0 1 order, w1 4:
 *          trend 2 (4 - 1) / 5 = 1.2 up, spend 10 -> 40 also 1.2            -> growth
 * steady:  back 330, 300, ..., 0 (12 orders)   gap 30, recency 0; 3 and 3 orders: flat -> maturity
 * fading:  back 350, 170, 150, 120, 100, 60    gap 290/5 = 58, recency 60 (1.03 gaps, active); 4 then 1: -1.2 down -> decline
 * lapsing: back 400, 300, 200                  gap 100, recency 200 (2 gaps: lapsing)                -> decline
 * gone:    back 500, 480, 460                  gap 20, recency 460 (23 gaps: lapsed)                 -> churned
 * fresh:   back 30                             tenure 30 <= 90: new; cadence = fallback              -> new
 * mixed:   back 200 (10), 120 (100), 30 (10), 10 (10): orders 1 -> 2 (+0.67 up), spend 100 -> 20 (-1.33 down): flat -> maturity
 * young:   back 100, 95, 10, 5                 tenure 100: w0 starts 179 days back, before the first purchase,
 *          so one window only: flat; recency 5 of gap 31.67                                          -> maturity
 * returner: one return line, no purchase: not staged, counted.
 * Fallback cadence: median of the repeat gaps 20, 30, 31.67, 49.17, 58, 63.33, 100 = 49.17.
 */
const LOG: Transaction[] = [
  ...buys("grow", [300, 200, 170, 80, 50, 20, 5]),
  ...buys("steady", Array.from({ length: 12 }, (_, k) => 330 - 30 * k)),
  ...buys("fading", [350, 170, 150, 120, 100, 60]),
  ...buys("lapsing", [400, 300, 200]),
  ...buys("gone", [500, 480, 460]),
  ...buys("fresh", [30]),
  ...buys("mixed", [200, 120, 30, 10], [10, 100, 10, 10]),
  ...buys("young", [100, 95, 10, 5]),
  { customerId: "returner", date: back(50), amount: -5 },
];
const table = toTransactionTable(LOG);
const stageOf = (r: ReturnType<typeof lifecycleStages>) => Object.fromEntries(r.ids.map((id, k) => [id, r.stage.values[r.stage.codes[k]]]));

describe("lifecycleStages", () => {
  const r = lifecycleStages(table, { asOf: "2024-12-31" });
  it("lifecycleStages(table) gives the hand-derived stage of each customer", () => {
    expect(r.ids).toEqual(["fading", "fresh", "gone", "grow", "lapsing", "mixed", "steady", "young"]);
    expect(stageOf(r)).toEqual({ fading: "decline", fresh: "new", gone: "churned", grow: "growth", lapsing: "decline", mixed: "maturity", steady: "maturity", young: "maturity" });
  });
  it("computes the features: tenure, recency, cadence, ratio, window trends", () => {
    const at = (id: string) => r.ids.indexOf(id);
    const g = at("grow");
    expect([r.tenureDays[g], r.recencyDays[g], r.frequency[g], r.trendWindows[g]]).toEqual([300, 5, 7, 2]);
    expect(r.cadenceDays[g]).toBeCloseTo(295 / 6, 12);
    expect(r.recencyRatio[g]).toBeCloseTo(5 / (295 / 6), 12);
    expect([r.frequencyTrend[g], r.spendTrend[g]]).toEqual([1.2, 1.2]);
    const m = at("mixed");
    expect(r.frequencyTrend[m]).toBeCloseTo(2 / 3, 12);
    expect(r.spendTrend[m]).toBeCloseTo(-4 / 3, 12);
    expect(r.trend.values[r.trend.codes[m]]).toBe("flat");
    expect(r.trendWindows[at("young")]).toBe(1);
    expect(r.recency.values[r.recency.codes[at("lapsing")]]).toBe("lapsing");
    expect(r.settings.fallbackCadenceDays).toBeCloseTo(295 / 6, 12);
    expect(r.cadenceDays[at("fresh")]).toBeCloseTo(295 / 6, 12);
  });
  it("summarises each stage: counts, revenue share and value; counts sum to the rows", () => {
    // revenue: fresh 10; grow 70; steady 120 + mixed 130 + young 40 = 290; fading 60 + lapsing 30 = 90; gone 30; total 490
    expect(r.stages.map((s) => [s.stage, s.count, s.revenue])).toEqual([
      ["prospect", 0, 0], ["new", 1, 10], ["growth", 1, 70], ["maturity", 3, 290], ["decline", 2, 90], ["churned", 1, 30],
    ]);
    expect(r.stages.map((s) => s.revenueShare)).toEqual([0, 10 / 490, 70 / 490, 290 / 490, 90 / 490, 30 / 490]);
    expect(r.stages.reduce((s, x) => s + x.count, 0)).toBe(r.length);
    expect(r.report).toEqual({ rows: 41, usedRows: 41, excludedAfterAsOf: 0, customers: 8, customersWithoutPurchase: 1, prospects: 0, prospectsWithPurchase: 0 });
  });
  it("lifecycleStages(table, { prospects }) adds the listed ids without a purchase as prospects", () => {
    const p = lifecycleStages(table, { asOf: "2024-12-31", prospects: ["p1", "steady", "p2"] });
    expect(p.ids.slice(8)).toEqual(["p1", "p2"]);
    expect([p.stages[0].count, p.report.prospects, p.report.prospectsWithPurchase]).toEqual([2, 2, 1]);
    expect([p.tenureDays[8], p.recencyDays[8], p.tenure.codes[8], p.frequency[8]]).toEqual([-1, -1, -1, 0]);
  });
  it("lifecycleStages(table, { value }) sums a given value per stage", () => {
    const v = lifecycleStages(table, { asOf: "2024-12-31", value: new Map([["grow", 300], ["steady", 100]]) });
    // growth 300 of 400, maturity 100 of 400
    expect(v.stages.map((s) => s.valueShare)).toEqual([0, 0, 0.75, 0.25, 0, 0]);
    expect(v.stages[3].meanValue).toBeCloseTo(100 / 3, 12);
  });
  it("lifecycleStages(table, { windows: 3, windowDays: 30 }) fits the least-squares slope: orders 1, 2, 3 give slope 1 over mean 2 = 0.5", () => {
    const t = toTransactionTable(buys("w3", [100, 80, 50, 40, 20, 10, 5]));
    const w = lifecycleStages(t, { asOf: "2024-12-31", windows: 3, windowDays: 30 });
    expect([w.frequencyTrend[0], w.spendTrend[0], w.trendWindows[0]]).toEqual([0.5, 0.5, 3]);
    expect(stageOf(w)).toEqual({ w3: "growth" });
  });
  it("lifecycleStages(records) gives the same stages as on the table", () => {
    expect(stageOf(lifecycleStages(LOG, { asOf: "2024-12-31" }))).toEqual(stageOf(r));
  });
  it("an empty table gives six empty stages; a prospect list alone gives prospects only", () => {
    const e = lifecycleStages(toTransactionTable([]));
    expect([e.length, e.stages.map((s) => s.count)]).toEqual([0, [0, 0, 0, 0, 0, 0]]);
    const p = lifecycleStages(toTransactionTable([]), { prospects: ["x", "y"] });
    expect([p.ids, p.stages.map((s) => s.count), p.stages[0].customerShare]).toEqual([["x", "y"], [2, 0, 0, 0, 0, 0], 1]);
  });
  it("asOf leaves later rows out and counts them", () => {
    const e = lifecycleStages(table, { asOf: back(100) });
    expect(e.report.excludedAfterAsOf).toBeGreaterThan(0);
    expect(e.report.usedRows + e.report.excludedAfterAsOf).toBe(41); // 7 + 12 + 6 + 3 + 3 + 1 + 4 + 4 + 1 rows
    expect(e.ids).not.toContain("fresh");
  });
  it("custom rules (as data): first match wins; the default table is a clean partition", () => {
    const rules: LifecycleRule[] = [{ stage: "churned", recency: ["lapsed", "lapsing"] }, ...defaultLifecycleRules()];
    const c = lifecycleStages(table, { asOf: "2024-12-31", rules });
    expect(stageOf(c).lapsing).toBe("churned");
    expect(c.rules.ok).toBe(false);
    expect(validateLifecycleRules(defaultLifecycleRules())).toMatchObject({ ok: true, overlaps: [], unreachable: [], uncovered: [] });
  });
  it("an explicit undefined option keeps the default", () => {
    expect(stageOf(lifecycleStages(table, { asOf: "2024-12-31", windows: undefined, rules: undefined, activeRatio: undefined }))).toEqual(stageOf(r));
  });

  describe("errors", () => {
    it("rules with a gap: InvalidOptionError naming rules", () => {
      const e = (() => { try { lifecycleStages(table, { rules: [{ stage: "churned", recency: ["lapsed"] }] }); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("rules");
    });
    it("a malformed rule: InvalidRecordError naming the 1-based rule and field", () => {
      const e = (() => { try { lifecycleStages(table, { rules: [...defaultLifecycleRules(), { stage: "prospect" } as never] }); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field]).toEqual([7, "stage"]);
      expect(() => validateLifecycleRules([{ stage: "new", trend: ["sideways" as never] }])).toThrow(InvalidRecordError);
      expect(() => validateLifecycleRules([{ stage: "new", trend: [] }])).toThrow(InvalidRecordError);
    });
    it("bad thresholds: InvalidOptionError naming the option", () => {
      const opt = (o: object) => ((() => { try { lifecycleStages(table, o); } catch (x) { return x; } })() as InvalidOptionError).option;
      expect(opt({ lapsedRatio: 1 })).toBe("lapsedRatio");
      expect(opt({ windows: 1 })).toBe("windows");
      expect(opt({ windowDays: 0 })).toBe("windowDays");
      expect(opt({ trendTolerance: -1 })).toBe("trendTolerance");
      expect(opt({ fallbackCadenceDays: 0 })).toBe("fallbackCadenceDays");
      expect(opt({ value: [1, 2] })).toBe("value");
    });
  });
});

describe("validateLifecycleRules", () => {
  it("validateLifecycleRules(rules) reports gaps, overlaps and unreachable rules", () => {
    const r = validateLifecycleRules([{ stage: "churned" }, { stage: "new", tenure: ["new"] }]);
    expect(r.ok).toBe(false);
    expect(r.unreachable).toEqual([{ index: 1, stage: "new", shadowedBy: ["churned"] }]);
    expect(r.overlaps).toEqual([{ first: 0, second: 1, stages: ["churned", "new"], cells: 9, sameStage: false }]);
    expect(r.cellsWon).toEqual([{ index: 0, stage: "churned", cells: 18 }, { index: 1, stage: "new", cells: 0 }]);
    expect(r.uncovered).toEqual([]);
  });
  it("same-stage overlaps are harmless", () => {
    const r = validateLifecycleRules([{ stage: "churned", recency: ["lapsed"] }, { stage: "maturity" }, { stage: "maturity", tenure: ["new"] }]);
    expect(r.overlaps.find((o) => o.first === 1 && o.second === 2)?.sameStage).toBe(true);
    expect(r.unreachable.map((u) => u.index)).toEqual([2]);
  });
});
