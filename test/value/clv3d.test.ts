import { describe, expect, it } from "vitest";
import {
  ahpWeights,
  clv3d,
  clv3dColumns,
  generateTransactions,
  InvalidOptionError,
  InvalidRecordError,
  paretoAnalysis,
  summarizeCustomers,
  type Clv3dRetention,
  type CustomerSummary,
  type Transaction,
} from "../../src/index.js";
import { DAY, summary, T0 } from "./helpers.js";

describe("clv3d", () => {
  it("clv3d(summaries) computes CV, SV and IV from the documented formulas (hand values)", () => {
    const s = [summary("a")];
    const r = clv3d(s, { marginRate: 0.5, periodDays: 30, discountRate: 0.01, horizon: 3, retention: { type: "constant", rate: 0.9 }, growth: 0.05 });
    const c = r.customers[0];
    // CV = m * totalSpend * ((1+d)^a - 1) / (a ln(1+d)), a = 360/30 = 12 (hand)
    const a = 12;
    expect(c.cv).toBeCloseTo((0.5 * 1200 * (Math.pow(1.01, a) - 1)) / (a * Math.log(1.01)), 9);
    // SV = m * L * sum_t r^(t-1) v^t, t = 1..3: 0.5 * 100 * (1/1.01 + 0.9/1.01^2 + 0.81/1.01^3)
    const sv = 0.5 * 100 * (1 / 1.01 + 0.9 / 1.01 ** 2 + 0.81 / 1.01 ** 3);
    expect(c.sv).toBeCloseTo(sv, 9);
    // IV = m * L * g * sum_t t r^(t-1) v^t
    const iv = 0.5 * 100 * 0.05 * (1 / 1.01 + (2 * 0.9) / 1.01 ** 2 + (3 * 0.81) / 1.01 ** 3);
    expect(c.iv).toBeCloseTo(iv, 9);
    expect(c.clv).toBeCloseTo(c.cv + c.sv + c.iv, 9);
    expect(c.expectedPeriods).toBeCloseTo(1 + 0.9 + 0.81, 12);
  });

  it("clv3d clips negative growth to 0 (IV never negative) and above at maxGrowth", () => {
    const s = [summary("down"), summary("up")];
    const r = clv3d(s, { growth: new Map([["down", -0.3], ["up", 0.5]]), maxGrowth: 0.2 });
    expect(r.customers[0].iv).toBe(0);
    expect(r.customers[0].growth).toBe(0);
    expect(r.customers[1].growth).toBe(0.2);
    expect(r.customers[1].iv).toBeGreaterThan(0);
  });

  it("clv3d estimates growth from transactions as the OLS slope over complete periods divided by the mean", () => {
    // Spend 10, 20, 30, 40 in four 30-day periods: slope 10, mean 25 -> growth 0.4 (hand), clipped at maxGrowth 1.
    const tx: Transaction[] = [10, 20, 30, 40].map((amount, j) => ({ customerId: "g", date: new Date(T0 + j * 30 * DAY), amount }));
    const s = summarizeCustomers(tx, { asOf: new Date(T0 + 119 * DAY) });
    const r = clv3d(s, { transactions: tx, maxGrowth: 1 });
    expect(r.customers[0].growth).toBeCloseTo(0.4, 12);
  });

  it("clv3d with a Weibull fit uses the conditional survival S(a + t - 1) / S(a)", () => {
    const fit = { shape: 0.8, scale: 20 };
    const s = [summary("w", { tenureDays: 150 })]; // age 5 periods
    const r = clv3d(s, { horizon: 2, discountRate: 0, retention: { type: "weibull", fit } });
    const S = (t: number) => Math.exp(-Math.pow(t / 20, 0.8));
    // SV = L * (1 + S(6)/S(5)) with d = 0, m = 1 (hand)
    expect(r.customers[0].sv).toBeCloseTo(100 * (1 + S(6) / S(5)), 9);
    expect(r.weibull).toEqual({ shape: 0.8, scale: 20, fit: null });
  });

  it("clv3d with per-customer retention and P(alive) uses alive * r^(t-1)", () => {
    const s = [summary("__proto__"), summary("b")];
    const r = clv3d(s, { horizon: 2, discountRate: 0, retention: { type: "perCustomer", retention: new Map([["__proto__", 0.5]]), alive: new Map([["__proto__", 0.8]]), defaultRate: 1 } });
    expect(r.customers[0].customerId).toBe("__proto__");
    expect(r.customers[0].sv).toBeCloseTo(100 * (0.8 + 0.4), 12);
    expect(r.customers[1].sv).toBeCloseTo(200, 12);
  });

  it("clv3d groups partition the customers, shares sum to 1, and codes follow the scores and thresholds", () => {
    const tx = generateTransactions({ customers: 600, seed: 5 });
    const s = summarizeCustomers(tx);
    const r = clv3d(s, { marginRate: 0.3, transactions: tx, retention: { type: "weibull" } });
    expect(r.groups.map((g) => g.group)).toEqual(["HHH", "HHL", "HLH", "HLL", "LHH", "LHL", "LLH", "LLL"]);
    expect(r.groups.reduce((n, g) => n + g.count, 0)).toBe(s.length);
    expect(r.groups.reduce((x, g) => x + g.customerShare, 0)).toBeCloseTo(1, 12);
    expect(r.groups.reduce((x, g) => x + g.valueShare, 0)).toBeCloseTo(1, 12);
    for (const c of r.customers) {
      const code = (c.cvScore > r.thresholds.cv ? "H" : "L") + (c.svScore > r.thresholds.sv ? "H" : "L") + (c.ivScore > r.thresholds.iv ? "H" : "L");
      expect(c.group).toBe(code);
      for (const x of [c.cvScore, c.svScore, c.ivScore]) expect(x >= 0 && x <= 100).toBe(true);
      expect(c.iv).toBeGreaterThanOrEqual(0);
    }
    // 80/20 check is the segmentation engineer's paretoAnalysis on CLV
    expect(r.pareto).toEqual(paretoAnalysis(r.customers.map((c) => c.clv), { negatives: "zero" }));
    expect(r.weibull!.fit!.events).toBeGreaterThan(0);
    // the default CV matrix gives the ahpWeights eigenvector
    expect(r.weights.cv.weights).toEqual(ahpWeights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]).weights);
    expect(r.weights.cv.indicators).toEqual(["currentValue", "frequency", "tenureDays"]);
  });

  it("clv3d maps indicators onto 0..100 by breakpoints (piecewise linear, clamped, 'lower' reversed)", () => {
    const s = [summary("x", { totalSpend: 50 }), summary("y", { totalSpend: 150 }), summary("z", { totalSpend: 500 })];
    const one = (name: string, value: (x: { summary: CustomerSummary }) => number, direction?: "lower") => ({ indicators: [{ name, value, breakpoints: [0, 100, 200], direction }], matrix: [[1]] });
    const r = clv3d(s, { scoring: { cv: one("spend", (x) => x.summary.totalSpend), sv: one("spendLow", (x) => x.summary.totalSpend, "lower") } });
    // 50 -> 25, 150 -> 75, 500 -> 100 (hand)
    expect(r.customers.map((c) => c.cvScore)).toEqual([25, 75, 100]);
    expect(r.customers.map((c) => c.svScore)).toEqual([75, 25, 0]);
  });

  it("clv3d gives empty results for empty input and does not mutate its input", () => {
    const r = clv3d([]);
    expect(r.customers).toEqual([]);
    expect(r.groups.every((g) => g.count === 0 && g.valueShare === 0)).toBe(true);
    const s = Object.freeze([summary("a"), summary("b")]);
    expect(() => clv3d(s)).not.toThrow();
  });

  describe("errors", () => {
    it("clv3d rejects bad options with InvalidOptionError naming the option", () => {
      for (const [opts, option] of [
        [{ discountRate: -0.1 }, "discountRate"],
        [{ horizon: 0 }, "horizon"],
        [{ retention: { type: "constant", rate: 1.5 } }, "retention.rate"],
        [{ retention: { type: "magic" } }, "retention.type"],
        [{ threshold: "mode" }, "threshold"],
        [{ scoring: { iv: { indicators: [{ name: "g", value: () => 1 }], matrix: [[1, 2], [0.5, 1]] } } }, "scoring.iv.matrix"],
      ] as const) {
        try {
          clv3d([summary("a")], opts as never);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe(option);
          expect((e as Error).message.startsWith("clv3d:")).toBe(true);
        }
      }
    });
    it("clv3d rejects a summary with a non-finite field, naming the customer", () => {
      try {
        clv3d([summary("bad", { totalSpend: Number.NaN })]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe("bad");
        expect((e as InvalidRecordError).field).toBe("totalSpend");
      }
    });
  });

  describe("clv3dColumns", () => {
    const base = summarizeCustomers(generateTransactions({ customers: 300, seed: 5 }));
    const cols = () => ({
      ids: base.map((s) => s.customerId),
      totalSpend: Float64Array.from(base, (s) => s.totalSpend),
      spendPerPeriod: Float64Array.from(base, (s) => s.spendPerPeriod),
      tenureDays: Int32Array.from(base, (s) => s.tenureDays),
      recencyDays: Int32Array.from(base, (s) => s.recencyDays),
      frequency: Int32Array.from(base, (s) => s.frequency),
    });
    const same = (c: ReturnType<typeof clv3dColumns>, r: ReturnType<typeof clv3d>) => {
      expect(Array.from(c.cv)).toEqual(r.customers.map((x) => x.cv));
      expect(Array.from(c.sv)).toEqual(r.customers.map((x) => x.sv));
      expect(Array.from(c.iv)).toEqual(r.customers.map((x) => x.iv));
      expect(Array.from(c.clv)).toEqual(r.customers.map((x) => x.clv));
      expect(Array.from(c.cvScore)).toEqual(r.customers.map((x) => x.cvScore));
      expect(Array.from(c.ivScore)).toEqual(r.customers.map((x) => x.ivScore));
      expect(Array.from(c.group, (g) => c.groups[g].group)).toEqual(r.customers.map((x) => x.group));
      expect(c.groups).toEqual(r.groups);
      expect(c.pareto).toEqual(r.pareto);
      expect(c.thresholds).toEqual(r.thresholds);
      expect(c.weibull).toEqual(r.weibull);
    };

    it("clv3dColumns(columns) gives exactly the numbers of clv3d(records): constant, fitted Weibull and per-customer retention", () => {
      const growth = new Map(base.map((s, i) => [s.customerId, ((i % 9) - 3) / 50]));
      const retentions: Clv3dRetention[] = [
        { type: "constant", rate: 0.85 },
        { type: "weibull" },
        { type: "perCustomer", retention: new Map(base.map((s, i) => [s.customerId, 0.5 + (i % 5) / 10])), alive: new Map([[base[0].customerId, 0.3]]) },
      ];
      for (const retention of retentions) {
        const r = clv3d(base, { marginRate: 0.3, retention, growth });
        same(clv3dColumns(cols(), { marginRate: 0.3, retention, growth }), r);
        // growth as a column gives the same as the Map
        same(clv3dColumns(cols(), { marginRate: 0.3, retention, growth: base.map((s) => growth.get(s.customerId)!) }), r);
      }
    });

    it("clv3dColumns takes indicators as columns or built-in names, as clv3d takes them as functions", () => {
      const spendRank = Float64Array.from(base, (s) => Math.log1p(Math.max(0, s.totalSpend)));
      const r = clv3d(base, {
        scoring: { sv: { indicators: [{ name: "stockValue", value: (x) => x.sv }, { name: "logSpend", value: (x) => Math.log1p(Math.max(0, x.summary.totalSpend)), breakpoints: [0, 3, 6, 9] }], matrix: [[1, 3], [1 / 3, 1]] } },
      });
      const c = clv3dColumns(cols(), {
        scoring: { sv: { indicators: [{ name: "stockValue" }, { name: "logSpend", values: spendRank, breakpoints: [0, 3, 6, 9] }], matrix: [[1, 3], [1 / 3, 1]] } },
      });
      same(c, r);
      expect(Array.from(c.svScore)).toEqual(r.customers.map((x) => x.svScore));
      expect(c.weights.sv.indicators).toEqual(["stockValue", "logSpend"]);
    });

    it("clv3dColumns reproduces the worked example of docs/value.md (hand values)", () => {
      const c = clv3dColumns({ ids: ["a"], totalSpend: [1200], spendPerPeriod: [100], tenureDays: [360], recencyDays: [10], frequency: [12] }, { marginRate: 0.5, horizon: 3, growth: 0.05 });
      expect(c.cv[0]).toBeCloseTo(637.29, 2);
      expect(c.sv[0]).toBeCloseTo(132.93, 2);
      expect(c.iv[0]).toBeCloseTo(12.78, 2);
      expect(c.group).toBeInstanceOf(Uint8Array);
    });

    describe("errors", () => {
      it("clv3dColumns rejects a column of the wrong length, an unknown indicator name and a negative day count (row = id)", () => {
        const c = cols();
        try {
          clv3dColumns({ ...c, frequency: c.frequency.subarray(1) });
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidOptionError);
          expect((e as InvalidOptionError).option).toBe("frequency");
        }
        expect(() => clv3dColumns(c, { scoring: { iv: { indicators: [{ name: "nope" }], matrix: [[1]] } } })).toThrow(InvalidOptionError);
        const bad = Int32Array.from(c.recencyDays);
        bad[4] = -1;
        try {
          clv3dColumns({ ...c, recencyDays: bad });
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(InvalidRecordError);
          expect((e as InvalidRecordError).row).toBe(c.ids[4]);
          expect((e as InvalidRecordError).field).toBe("recencyDays");
        }
      });
    });
  });
});
