/**
 * One vocabulary of value (issue 15 item 8): every money figure of the value models is a past
 * value (CV, realised margin to date) or a future value over stated settings (horizon, margin,
 * discount per period and per year), and the 3D groups named "high" on a dimension are higher on
 * it than the matching "low" group.
 */
import { describe, expect, it } from "vitest";
import {
  bergerNasrClv,
  clv3d,
  clv3dColumns,
  generateTransactions,
  InvalidOptionError,
  monteCarloClvColumnsSync,
  monteCarloClvSync,
  summarizeCustomers,
  type Clv3dGroupSummary,
  type CustomerSummary,
} from "../../src/index.js";
import { summary } from "./helpers.js";
import { cdnowTransactions } from "../rfm/cdnow.js";

describe("clv3d settings and past / future totals", () => {
  it("clv3d(summaries) states its settings: horizon in periods, days and 30-day months, margin, discount per period and per year", () => {
    const r = clv3d([summary("a")], { marginRate: 0.4, discountRate: 0.01, horizon: 24, periodDays: 30 });
    // annual = 1.01^(365.25 / 30) - 1 = 1.01^12.175 - 1 = 0.128789 (hand)
    expect(r.settings).toEqual({
      horizonPeriods: 24,
      periodDays: 30,
      horizonDays: 720,
      horizonMonths: 24,
      marginRate: 0.4,
      discountRatePerPeriod: 0.01,
      annualDiscountRate: expect.closeTo(Math.pow(1.01, 365.25 / 30) - 1, 14),
    });
    expect(r.settings.annualDiscountRate).toBeCloseTo(0.128789, 6);
    // weekly periods: 12 weeks = 84 days = 2.8 months of 30 days; 0.2% a week is 1.002^(365.25/7) - 1 per year
    const w = clv3d([summary("a")], { periodDays: 7, horizon: 12, discountRate: 0.002 });
    expect(w.settings.horizonDays).toBe(84);
    expect(w.settings.horizonMonths).toBeCloseTo(2.8, 12);
    expect(w.settings.annualDiscountRate).toBeCloseTo(Math.pow(1.002, 365.25 / 7) - 1, 12);
  });

  it("clv3d splits the worked example into past 637.29 (CV) and future 145.71 (SV 132.93 + IV 12.78)", () => {
    // docs/value.md worked example (hand): CV = 600 * 0.126825 / 0.119404, SV = 50 * 2.658543, IV = 2.5 * 5.113167
    const r = clv3d([summary("a")], { marginRate: 0.5, discountRate: 0.01, horizon: 3, retention: { type: "constant", rate: 0.9 }, growth: 0.05 });
    const c = r.customers[0];
    expect(c.cv).toBeCloseTo(637.29, 2);
    expect(c.future).toBeCloseTo(132.93 + 12.78, 1);
    expect(c.future).toBe(c.sv + c.iv);
    expect(r.totals.past).toBe(c.cv);
    expect(r.totals.future).toBe(c.future);
    expect(r.totals.stock).toBe(c.sv);
    expect(r.totals.incremental).toBe(c.iv);
    expect(r.totals.pastPlusFuture).toBe(c.clv);
    expect(r.settings.horizonMonths).toBe(3);
  });

  it("clv3d totals, per-customer future and group past / future sums agree (synthetic store), and clv3dColumns gives the same numbers", () => {
    const tx = generateTransactions({ customers: 500, seed: 8 });
    const s = summarizeCustomers(tx);
    const r = clv3d(s, { marginRate: 0.3, transactions: tx, retention: { type: "weibull" } });
    const sum = (f: (c: (typeof r.customers)[number]) => number) => r.customers.reduce((a, c) => a + f(c), 0);
    expect(r.totals.past).toBeCloseTo(sum((c) => c.cv), 6);
    expect(r.totals.future).toBeCloseTo(sum((c) => c.sv + c.iv), 6);
    expect(r.totals.stock).toBeCloseTo(sum((c) => c.sv), 6);
    expect(r.totals.incremental).toBeCloseTo(sum((c) => c.iv), 6);
    expect(r.totals.pastPlusFuture).toBeCloseTo(r.totals.past + r.totals.future, 6);
    for (const c of r.customers) expect(c.future).toBe(c.sv + c.iv);
    expect(r.groups.reduce((a, g) => a + g.past, 0)).toBeCloseTo(r.totals.past, 6);
    expect(r.groups.reduce((a, g) => a + g.future, 0)).toBeCloseTo(r.totals.future, 6);
    expect(r.groups.reduce((a, g) => a + g.futureShare, 0)).toBeCloseTo(1, 12);
    for (const g of r.groups) {
      expect(g.value).toBeCloseTo(g.past + g.future, 6);
      expect(g.meanFuture).toBeCloseTo(g.count > 0 ? g.future / g.count : 0, 9);
    }
    const cols = clv3dColumns(
      {
        ids: s.map((x) => x.customerId),
        totalSpend: s.map((x) => x.totalSpend),
        spendPerPeriod: s.map((x) => x.spendPerPeriod),
        tenureDays: s.map((x) => x.tenureDays),
        recencyDays: s.map((x) => x.recencyDays),
        frequency: s.map((x) => x.frequency),
      },
      { marginRate: 0.3, growth: r.customers.map((c) => c.growth), retention: { type: "weibull" } },
    );
    expect(Array.from(cols.future)).toEqual(r.customers.map((c) => c.future));
    expect(cols.totals).toEqual(r.totals);
    expect(cols.settings).toEqual(r.settings);
  });

  it("clv3d group rule states the score thresholds behind each letter", () => {
    // Scores on one indicator with breakpoints [0, 100, 200]: spends 50, 150, 500 score 25, 75, 100;
    // median threshold 75, so only the 500 customer is H (strictly above).
    const s = [summary("x", { totalSpend: 50 }), summary("y", { totalSpend: 150 }), summary("z", { totalSpend: 500 })];
    const one = { indicators: [{ name: "spend", value: (x: { summary: CustomerSummary }) => x.summary.totalSpend, breakpoints: [0, 100, 200] }], matrix: [[1]] };
    const r = clv3d(s, { scoring: { cv: one, sv: one, iv: one } });
    expect(r.thresholds).toEqual({ cv: 75, sv: 75, pv: 75, iv: 75 }); // pv: the study's name for sv
    const byCode = new Map(r.groups.map((g) => [g.group, g]));
    expect(byCode.get("HLH")!.rule).toBe("cvScore > 75, svScore <= 75, ivScore > 75");
    expect(byCode.get("HHH")!.count).toBe(1);
    expect(byCode.get("LLL")!.count).toBe(2);
  });

  it("clv3d codes each letter against its own dimension's threshold (thresholds 75, 10, 50 here), hand case", () => {
    // cv: totalSpend on [0, 100, 200]: 50 -> 25, 150 -> 75, 500 -> 100; median 75, H: z.
    // sv: frequency on [0, 10, 20]: 2 -> 10, 4 -> 20, 1 -> 5; median 10, H: y.
    // iv: tenureDays on [0, 1000]: 600 -> 60, 100 -> 10, 500 -> 50; median 50, H: x.
    const s = [summary("x", { totalSpend: 50, frequency: 2, tenureDays: 600 }), summary("y", { totalSpend: 150, frequency: 4, tenureDays: 100 }), summary("z", { totalSpend: 500, frequency: 1, tenureDays: 500 })];
    const ind = (name: "totalSpend" | "frequency" | "tenureDays", breakpoints: number[]) => ({ indicators: [{ name, value: (x: { summary: CustomerSummary }) => x.summary[name], breakpoints }], matrix: [[1]] });
    const r = clv3d(s, { scoring: { cv: ind("totalSpend", [0, 100, 200]), sv: ind("frequency", [0, 10, 20]), iv: ind("tenureDays", [0, 1000]) } });
    expect(r.thresholds).toEqual({ cv: 75, sv: 10, pv: 10, iv: 50 }); // pv: the study's name for sv
    expect(r.customers.map((c) => c.group)).toEqual(["LLH", "LHL", "HLL"]);
    expect(r.groups.find((g) => g.group === "LLH")!.rule).toBe("cvScore <= 75, svScore <= 10, ivScore > 50");
  });
});

/** For each dimension j and each pair of groups that differ only in letter j (both non-empty): mean of that dimension's value in H minus in L. */
function matchingPairs(groups: readonly Clv3dGroupSummary[]): { pair: string; dimension: string; high: number; low: number }[] {
  const by = new Map(groups.map((g) => [g.group as string, g]));
  const means = ["meanCv", "meanSv", "meanIv"] as const;
  const out: { pair: string; dimension: string; high: number; low: number }[] = [];
  for (const g of groups) {
    for (let j = 0; j < 3; j++) {
      if (g.group[j] !== "H") continue;
      const lowCode = g.group.slice(0, j) + "L" + g.group.slice(j + 1);
      const low = by.get(lowCode)!;
      if (g.count === 0 || low.count === 0) continue;
      out.push({ pair: `${g.group}>${lowCode}`, dimension: means[j], high: g[means[j]], low: low[means[j]] });
    }
  }
  return out;
}

describe("clv3d group ordering on realistic data", () => {
  it("a group high on CV (SV, IV) has a higher mean CV (SV, IV) than the matching low group: synthetic stores, seeds 1, 7, 42", () => {
    // The demo's finding "HLH has a lower mean CV than LHL" compares groups that differ on CV *and*
    // SV; the matching low group of HLH is LLH. All matching pairs are checked here.
    const results = [1, 7, 42].map((seed) => {
      const tx = generateTransactions({ customers: 2000, seed });
      const s = summarizeCustomers(tx);
      const r = clv3d(s, { transactions: tx, retention: { type: "weibull" } });
      const pairs = matchingPairs(r.groups);
      expect(pairs.length).toBeGreaterThanOrEqual(10);
      for (const p of pairs) expect(p.high, `seed ${seed} ${p.pair} ${p.dimension}`).toBeGreaterThan(p.low);
      return r;
    });
    // Seed 42 is the demo store: the demo's comparison HLH vs LHL is between non-matching groups
    // and goes the other way, while HLH vs its matching LLH is ordered.
    const g = new Map(results[2].groups.map((x) => [x.group, x]));
    expect(g.get("HLH")!.meanCv).toBeGreaterThan(g.get("LLH")!.meanCv);
    expect(g.get("HLH")!.meanCv).toBeLessThan(g.get("LHL")!.meanCv);
  });

  it("a group high on a dimension has the higher mean of it than the matching low group: CDNOW sample (2,357 customers)", async () => {
    const transactions = await cdnowTransactions();
    const s = summarizeCustomers(transactions, { asOf: "1998-07-01" });
    expect(s).toHaveLength(2357);
    for (const threshold of ["median", "mean"] as const) {
      const r = clv3d(s, { transactions, retention: { type: "weibull" }, threshold });
      const pairs = matchingPairs(r.groups);
      expect(pairs.length).toBeGreaterThanOrEqual(8);
      for (const p of pairs) expect(p.high, `${threshold} ${p.pair} ${p.dimension}`).toBeGreaterThan(p.low);
    }
  });
});

describe("Monte Carlo settings", () => {
  it("monteCarloClvColumnsSync and monteCarloClvSync state the same settings as clv3d for the same horizon, margin and discount", () => {
    const model = { purchaseRate: [1], spendMean: [100], retention: 0.9, discountRate: 0.01, periods: 12, marginRate: 0.3 };
    const cols = monteCarloClvColumnsSync(model, { draws: 10, seed: 1 });
    const rec = monteCarloClvSync({ customers: [{ customerId: "a", purchaseRate: 1, spendMean: 100, retention: 0.9 }], discountRate: 0.01, periods: 12, marginRate: 0.3 }, { draws: 10, seed: 1 });
    const three = clv3d([summary("a")], { marginRate: 0.3, discountRate: 0.01, horizon: 12 });
    expect(cols.settings).toEqual(three.settings);
    expect(rec.settings).toEqual(three.settings);
    expect(cols.settings.horizonMonths).toBe(12);
    const weekly = monteCarloClvColumnsSync({ ...model, periods: 26, periodDays: 7 }, { draws: 10, seed: 1 });
    expect(weekly.settings.horizonDays).toBe(182);
    expect(weekly.settings.periodDays).toBe(7);
  });

  it("on the same settings, clv3d SV (growth 0), the Monte Carlo closed form and bergerNasrClv give the same future value", () => {
    // A customer spending L = 100 per period, constant retention 0.9, margin 0.3, d = 0.01, H = 12:
    // every model discounts at the end of each period alive: 0.3 * 100 * sum_{t=1..12} 0.9^(t-1) / 1.01^t.
    const three = clv3d([summary("a")], { marginRate: 0.3, discountRate: 0.01, horizon: 12, retention: { type: "constant", rate: 0.9 }, growth: 0 });
    const mc = monteCarloClvColumnsSync({ purchaseRate: [1], spendMean: [100], retention: 0.9, discountRate: 0.01, periods: 12, marginRate: 0.3 }, { draws: 10, seed: 1 });
    const classic = bergerNasrClv({ margin: 30, retention: 0.9, discountRate: 0.01, periods: 12 }).clv;
    let hand = 0;
    for (let t = 1; t <= 12; t++) hand += (30 * Math.pow(0.9, t - 1)) / Math.pow(1.01, t);
    expect(three.totals.future).toBeCloseTo(hand, 9);
    expect(mc.expectedTotal).toBeCloseTo(hand, 9);
    expect(classic).toBeCloseTo(hand, 9);
  });

  it("monteCarloClvColumnsSync rejects a bad periodDays with InvalidOptionError naming it", () => {
    for (const periodDays of [0, -7, Number.NaN, Infinity]) {
      try {
        monteCarloClvColumnsSync({ purchaseRate: [1], spendMean: [1], retention: 0.9, discountRate: 0, periodDays }, { draws: 10 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("periodDays");
      }
    }
  });
});
