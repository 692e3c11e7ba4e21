import { describe, expect, it } from "vitest";
import {
  bergerNasrClv,
  InvalidOptionError,
  InvalidRecordError,
  monteCarloClv,
  monteCarloClvColumns,
  monteCarloClvColumnsSync,
  monteCarloClvSync,
  type CustomerBehaviour,
} from "../../src/index.js";
import { BLOCK, quantilesInPlace, quantilesWithZeros, simulateCustomerBlocks } from "../../src/value/simulate.js";
import { streamKey } from "../../src/numeric/stream.js";

const ORACLE = { margin: 1000, retention: 0.8, discountRate: 0.05 } as const;

/** A small heterogeneous customer base (deterministic, no randomness needed). */
function customers(n: number): CustomerBehaviour[] {
  return Array.from({ length: n }, (_, i) => ({
    customerId: i === 3 ? "__proto__" : `c${i}`,
    purchaseRate: 0.2 + (i % 7) * 0.3,
    spendMean: 20 + (i % 11) * 5,
    spendShape: 2 + (i % 3),
    retention: 0.6 + (i % 5) * 0.08,
    alive: i % 4 === 0 ? 0.5 : 1,
  }));
}

describe("monteCarloClv", () => {
  it("monteCarloClvSync(oracle) converges to m / (1 + d - r) = 4000 within 4 standard errors, not to ~4329", () => {
    // Oracle: margin paid at the end of each period while alive, alive in period 1, retention 0.8,
    // discount 0.05: CLV = 1000 / 0.25 = 4000 (hand, = bergerNasrClv). Issue 4 notes that a common
    // naive simulation discounting from the wrong period gets about 4329: we must be far from it.
    const r = monteCarloClvSync(ORACLE, { draws: 200_000, seed: 11 });
    const exact = bergerNasrClv(ORACLE).clv;
    expect(exact).toBe(4000);
    // 4 SE: fails by chance with p < 1e-4. SE here is about 7.
    expect(Math.abs(r.clv.mean - exact)).toBeLessThan(4 * r.clv.standardError);
    expect(r.clv.standardError).toBeLessThan(10);
    expect(Math.abs(r.clv.mean - 4329)).toBeGreaterThan(30 * r.clv.standardError);
    // Fixed inputs: no sensitivity entries; smallest CLV is one period, 1000/1.05.
    expect(r.sensitivity).toEqual([]);
    expect(r.clv.min).toBeCloseTo(1000 / 1.05, 9);
    expect(r.clv.probabilityOfLoss).toBe(0);
  });

  it("monteCarloClvSync with a finite horizon converges to the finite closed form", () => {
    const model = { margin: 50, retention: 0.9, discountRate: 0.01, horizon: 12, acquisitionCost: 100 };
    const r = monteCarloClvSync(model, { draws: 100_000, seed: 3 });
    const exact = bergerNasrClv({ margin: 50, retention: 0.9, discountRate: 0.01, periods: 12, acquisitionCost: 100 }).clv;
    expect(Math.abs(r.clv.mean - exact)).toBeLessThan(4 * r.clv.standardError);
    expect(r.clv.max).toBeCloseTo(50 * ((1 - Math.pow(1.01, -12)) / 0.01) - 100, 9); // alive all 12 periods
    expect(r.clv.probabilityOfLoss).toBeGreaterThan(0); // customers leaving after 1 period lose money
  });

  it("monteCarloClvSync lifetime 'expected' with fixed inputs gives the closed form in every draw", () => {
    const r = monteCarloClvSync(ORACLE, { draws: 10, seed: 1, lifetime: "expected" });
    expect(r.clv.min).toBeCloseTo(4000, 9);
    expect(r.clv.max).toBeCloseTo(4000, 9);
    expect(r.clv.sd).toBeCloseTo(0, 9);
  });

  it("monteCarloClvSync resamples an empirical input: margins {1000, 2000} give CLV 4000 or 8000, each about half the draws", () => {
    const draws = 20_000;
    const r = monteCarloClvSync({ ...ORACLE, margin: { dist: "empirical", values: [1000, 2000] } }, { draws, seed: 3, lifetime: "expected" });
    expect(r.clv.min).toBeCloseTo(4000, 9);
    expect(r.clv.max).toBeCloseTo(8000, 9);
    // mean = 4000 + 4000 * share(2000); share within 4 binomial SE of 1/2
    const share = (r.clv.mean - 4000) / 4000;
    expect(Math.abs(share - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / draws));
    expect(r.sensitivity.map((s) => s.input)).toEqual(["margin"]);
    expect(r.sensitivity[0].rankCorrelation).toBeCloseTo(1, 9);
  });

  it("monteCarloClvSync(model, { seed }) is identical for the same seed and differs for another", () => {
    const model = { margin: { dist: "triangular", min: 800, mode: 1000, max: 1300 }, retention: { dist: "beta", alpha: 8, beta: 2 }, discountRate: 0.05 } as const;
    const a = monteCarloClvSync(model, { draws: 5000, seed: 5 });
    const b = monteCarloClvSync(model, { draws: 5000, seed: 5 });
    const c = monteCarloClvSync(model, { draws: 5000, seed: 6 });
    expect(b).toEqual(a);
    expect(c.clv.mean).not.toBe(a.clv.mean);
  });

  it("monteCarloClvSync ranks the inputs by rank correlation with CLV", () => {
    const r = monteCarloClvSync(
      {
        margin: { dist: "uniform", min: 990, max: 1010 }, // barely uncertain
        retention: { dist: "truncatedNormal", mean: 0.8, sd: 0.08, min: 0, max: 0.98 }, // dominant
        discountRate: { dist: "uniform", min: 0.04, max: 0.06 },
        acquisitionCost: { dist: "gamma", shape: 4, scale: 50 },
        spend: { dist: "empirical", values: [1, 1, 1.1] },
        purchaseRate: { dist: "lognormal", mu: 0, sigma: 0.01 },
        horizon: { dist: "normal", mean: 24, sd: 2 },
      },
      { draws: 20_000, seed: 2, lifetime: "expected" },
    );
    expect(r.sensitivity.map((s) => s.input)[0]).toBe("retention");
    expect(r.sensitivity.find((s) => s.input === "acquisitionCost")!.rankCorrelation).toBeLessThan(0);
    expect(r.sensitivity).toHaveLength(7);
    for (let i = 1; i < r.sensitivity.length; i++) expect(Math.abs(r.sensitivity[i].rankCorrelation)).toBeLessThanOrEqual(Math.abs(r.sensitivity[i - 1].rankCorrelation));
  });

  it("monteCarloClvSync reports ordered percentiles and a histogram that accounts for every draw", () => {
    const r = monteCarloClvSync({ ...ORACLE, acquisitionCost: 2000 }, { draws: 10_000, seed: 8, bins: 15 });
    const c = r.clv;
    expect(c.min).toBeLessThanOrEqual(c.p5);
    expect(c.p5).toBeLessThanOrEqual(c.p25);
    expect(c.p25).toBeLessThanOrEqual(c.p50);
    expect(c.p50).toBeLessThanOrEqual(c.p75);
    expect(c.p75).toBeLessThanOrEqual(c.p95);
    expect(c.p95).toBeLessThanOrEqual(c.max);
    expect(c.histogram).toHaveLength(15);
    expect(c.histogram.reduce((s, h) => s + h.count, 0)).toBe(10_000);
    // P(loss) = P(PV of margins < 2000) = P(at most 2 periods) = 1 - 0.8^2 = 0.36 (hand), within 4 SE.
    expect(Math.abs(c.probabilityOfLoss - 0.36)).toBeLessThan(4 * Math.sqrt((0.36 * 0.64) / 10_000));
  });

  it("monteCarloClvSync per customer: means converge to each customer's closed form and the portfolio to their sum", () => {
    const list = customers(40);
    const r = monteCarloClvSync({ customers: list, discountRate: 0.01, periods: 12 }, { draws: 4000, seed: 4 });
    expect(r.mode).toBe("customers");
    expect(r.customers.map((c) => c.customerId)).toEqual(list.map((c) => c.customerId));
    for (const c of r.customers) {
      // 4.5 SE per customer over 40 customers: a chance failure has p < 3e-4.
      expect(Math.abs(c.mean - c.expected)).toBeLessThan(4.5 * (c.sd / Math.sqrt(4000)) + 1e-9);
      expect(c.p5).toBeLessThanOrEqual(c.p95);
    }
    // hand check of one closed form: customer 1: rate 0.5, spend 25, r = 0.68, alive 1, d = 0.01.
    let pv = 0;
    for (let t = 1; t <= 12; t++) pv += Math.pow(0.68, t - 1) / Math.pow(1.01, t);
    expect(r.customers[1].expected).toBeCloseTo(0.5 * 25 * pv, 9);
    expect(r.expectedTotal).toBeCloseTo(r.customers.reduce((s, c) => s + c.expected, 0), 6);
    expect(Math.abs(r.portfolio.mean - r.expectedTotal)).toBeLessThan(4 * r.portfolio.standardError);
    // the portfolio interval comes from per-draw totals: narrower than the sum of the customers' intervals
    const sumOfIntervals = r.customers.reduce((s, c) => s + (c.p95 - c.p5), 0);
    expect(r.portfolio.p95 - r.portfolio.p5).toBeLessThan(sumOfIntervals);
  });

  it("monteCarloClvSync per customer honours a survival curve (alive in t iff U < P(alive in t))", () => {
    const survival = [1, 1, 0.5, 0.5, 0, 0];
    const r = monteCarloClvSync(
      { customers: [{ customerId: "x", purchaseRate: 1, spendMean: 10, spendShape: Infinity, survival }], discountRate: 0, periods: 6 },
      { draws: 20_000, seed: 1 },
    );
    // E = 1 * 10 * (1 + 1 + 0.5 + 0.5) = 30 (hand)
    expect(r.customers[0].expected).toBeCloseTo(30, 12);
    expect(Math.abs(r.customers[0].mean - 30)).toBeLessThan(4 * (r.customers[0].sd / Math.sqrt(20_000)));
  });

  it("simulateCustomerBlocks gives identical numbers for any split of the blocks", async () => {
    const list = customers(3 * BLOCK + 17);
    const full = monteCarloClvSync({ customers: list, discountRate: 0.02, periods: 6 }, { draws: 50, seed: "split" });
    // Rebuild the prepared model through the public path's pieces: run blocks in two different splits.
    const [k0, k1] = streamKey("split");
    const n = list.length;
    const H = 6;
    const surv = new Float64Array(n * H);
    list.forEach((c, i) => {
      let s = 1;
      for (let t = 0; t < H; t++) {
        surv[i * H + t] = (c.alive ?? 1) * s;
        s *= c.retention!;
      }
    });
    const p = {
      n,
      periods: H,
      draws: 50,
      k0,
      k1,
      marginRate: 1,
      surv,
      lambda: Float64Array.from(list, (c) => c.purchaseRate),
      shape: Float64Array.from(list, (c) => c.spendShape!),
      scale: Float64Array.from(list, (c) => c.spendMean / c.spendShape!),
      spendMean: Float64Array.from(list, (c) => c.spendMean),
      disc: Float64Array.from({ length: H }, (_, t) => Math.pow(1.02, -(t + 1))),
    };
    const whole = simulateCustomerBlocks(p, 0, 4);
    const a = simulateCustomerBlocks(p, 0, 1);
    const b = simulateCustomerBlocks(p, 1, 3);
    const c = simulateCustomerBlocks(p, 3, 4);
    expect(Float64Array.from([...a.stats, ...b.stats, ...c.stats])).toEqual(whole.stats);
    expect(Float64Array.from([...a.totals, ...b.totals, ...c.totals])).toEqual(whole.totals);
    // and they are the numbers the public function reports
    expect(whole.stats[0]).toBe(full.customers[0].mean);
  });

  it("monteCarloClv on worker threads gives the same numbers as monteCarloClvSync", async () => {
    const model = { customers: customers(2 * BLOCK + 5), discountRate: 0.01, periods: 12 };
    const sync = monteCarloClvSync(model, { draws: 200, seed: 9 });
    const par = await monteCarloClv(model, { draws: 200, seed: 9, threads: 2 });
    expect(par.threads).toBe(2);
    expect({ ...par, threads: 1 }).toEqual(sync);
  });

  it("monteCarloClv per customer: same seed identical, different seed differs; empty input gives empty results", async () => {
    const model = { customers: customers(10), discountRate: 0.01 };
    const a = await monteCarloClv(model, { draws: 100, seed: 1 });
    const b = await monteCarloClv(model, { draws: 100, seed: 1 });
    const c = await monteCarloClv(model, { draws: 100, seed: 2 });
    expect(b).toEqual(a);
    expect(c.portfolio.mean).not.toBe(a.portfolio.mean);
    const empty = await monteCarloClv({ customers: [], discountRate: 0.01 });
    expect(empty.customers).toEqual([]);
    expect(empty.portfolio.draws).toBe(0);
  });

  it("monteCarloClvSync per customer: the purchase-count distribution is the exact compound of Poisson counts over the alive periods (chi-square)", () => {
    // discount 0, fixed spend 1, margin 1: CLV = N = purchases in the alive periods, an integer.
    // Exact pmf (hand): P(N = n) = sum_L P(L) Poisson(n; lambda L), P(L >= t) = s_t = alive r^(t-1).
    const lambda = 0.9, r = 0.7, alive = 0.8, H = 6, draws = 100_000;
    const model = { customers: [{ customerId: "x", purchaseRate: lambda, spendMean: 1, spendShape: Infinity, retention: r, alive }], discountRate: 0, periods: H };
    const first = monteCarloClvSync(model, { draws, seed: 21 });
    const max = first.portfolio.max;
    expect(Number.isInteger(max)).toBe(true);
    // one bin per count 0..max (the last bin includes max): the histogram is the empirical pmf
    const hist = monteCarloClvSync(model, { draws, seed: 21, bins: max }).portfolio.histogram.map((h) => h.count);
    const pL = (L: number) => (L === 0 ? 1 - alive : L < H ? alive * r ** (L - 1) * (1 - r) : alive * r ** (H - 1));
    const pois = (n: number, mu: number) => (mu === 0 ? (n === 0 ? 1 : 0) : Math.exp(-mu + n * Math.log(mu) - lgammaInt(n + 1)));
    const pmf = (n: number) => { let p = 0; for (let L = 0; L <= H; L++) p += pL(L) * pois(n, lambda * L); return p; };
    // categories 0..c-1 with expected count >= 20, the rest lumped
    let chi = 0, cats = 0, restObs = draws, restExp = draws;
    for (let n = 0; n <= max && draws * pmf(n) >= 20; n++) {
      const e = draws * pmf(n);
      chi += (hist[n] - e) ** 2 / e;
      restObs -= hist[n];
      restExp -= e;
      cats++;
    }
    chi += (restObs - restExp) ** 2 / restExp;
    // critical value at p = 1e-4 with cats degrees of freedom (Wilson-Hilferty; z = 3.719)
    const k = cats;
    const crit = k * (1 - 2 / (9 * k) + 3.719 * Math.sqrt(2 / (9 * k))) ** 3;
    expect(cats).toBeGreaterThan(8);
    expect(chi).toBeLessThan(crit);
  });

  it("monteCarloClvSync per customer converges on the rare paths: spend shape < 1, a purchase rate beyond the count table, a 20-period horizon", () => {
    const list: CustomerBehaviour[] = [
      { customerId: "shape<1", purchaseRate: 0.4, spendMean: 50, spendShape: 0.5, retention: 0.9 },
      { customerId: "rate 45", purchaseRate: 45, spendMean: 2, spendShape: 3, retention: 0.6, alive: 0.7 },
      { customerId: "rate 9", purchaseRate: 9, spendMean: 5, spendShape: 2, retention: 0.8 },
    ];
    const draws = 20_000;
    const r = monteCarloClvSync({ customers: list, discountRate: 0.02, periods: 20 }, { draws, seed: 8 });
    for (const c of r.customers) expect(Math.abs(c.mean - c.expected)).toBeLessThan(4 * (c.sd / Math.sqrt(draws)));
  });

  describe("columns", () => {
    const list = customers(300);
    const periods = 9;
    const asColumns = () => ({
      purchaseRate: Float64Array.from(list, (c) => c.purchaseRate),
      spendMean: Float64Array.from(list, (c) => c.spendMean),
      spendShape: Float64Array.from(list, (c) => c.spendShape!),
      alive: Float64Array.from(list, (c) => c.alive ?? 1),
      retention: Float64Array.from(list, (c) => c.retention!),
      periods,
      discountRate: 0.01,
      marginRate: 0.3,
    });

    it("monteCarloClvColumnsSync(columns) gives exactly the numbers of monteCarloClvSync(records)", () => {
      const rec = monteCarloClvSync({ customers: list, periods, discountRate: 0.01, marginRate: 0.3 }, { draws: 300, seed: "cols" });
      const col = monteCarloClvColumnsSync(asColumns(), { draws: 300, seed: "cols" });
      expect(col.mode).toBe("columns");
      expect(col.mean).toBeInstanceOf(Float64Array);
      expect(Array.from(col.mean)).toEqual(rec.customers.map((c) => c.mean));
      expect(Array.from(col.sd)).toEqual(rec.customers.map((c) => c.sd));
      expect(Array.from(col.p5)).toEqual(rec.customers.map((c) => c.p5));
      expect(Array.from(col.p50)).toEqual(rec.customers.map((c) => c.p50));
      expect(Array.from(col.p95)).toEqual(rec.customers.map((c) => c.p95));
      expect(Array.from(col.expected)).toEqual(rec.customers.map((c) => c.expected));
      expect(col.portfolio).toEqual(rec.portfolio);
      expect(col.expectedTotal).toBe(rec.expectedTotal);
      for (let i = 0; i < list.length; i++) {
        expect(col.p5[i]).toBeLessThanOrEqual(col.p50[i]);
        expect(col.p50[i]).toBeLessThanOrEqual(col.p95[i]);
      }
    });

    it("monteCarloClvColumnsSync with survival curves gives the numbers of the records with the same curves", () => {
      const curve = (i: number) => Array.from({ length: periods }, (_, t) => Math.max(0, 1 - (t * (1 + (i % 3))) / 12));
      const recs = list.slice(0, 50).map((c, i) => ({ ...c, retention: undefined, survival: curve(i) }));
      const rec = monteCarloClvSync({ customers: recs, periods, discountRate: 0, spendShape: 2 }, { draws: 200, seed: 2 });
      const survival = new Float64Array(50 * periods);
      recs.forEach((c, i) => survival.set(c.survival, i * periods));
      const col = monteCarloClvColumnsSync(
        { purchaseRate: recs.map((c) => c.purchaseRate), spendMean: recs.map((c) => c.spendMean), spendShape: recs.map((c) => c.spendShape!), alive: recs.map((c) => c.alive ?? 1), survival, periods, discountRate: 0 },
        { draws: 200, seed: 2 },
      );
      expect(Array.from(col.mean)).toEqual(rec.customers.map((c) => c.mean));
      expect(Array.from(col.p95)).toEqual(rec.customers.map((c) => c.p95));
    });

    it("monteCarloClvColumnsSync broadcasts a number to every customer and leaves its inputs unchanged", () => {
      const cols = asColumns();
      const copy = { ...cols, purchaseRate: cols.purchaseRate.slice(), retention: cols.retention.slice() };
      const a = monteCarloClvColumnsSync({ ...cols, retention: cols.retention.map(() => 0.75), spendShape: 3 }, { draws: 100, seed: 4 });
      const b = monteCarloClvColumnsSync({ ...cols, retention: 0.75, spendShape: cols.spendShape.map(() => 3) }, { draws: 100, seed: 4 });
      expect(b.mean).toEqual(a.mean);
      expect(cols.purchaseRate).toEqual(copy.purchaseRate);
      expect(cols.retention).toEqual(copy.retention);
    });

    it("monteCarloClvColumns on worker threads gives the same numbers as monteCarloClvColumnsSync", async () => {
      const sync = monteCarloClvColumnsSync(asColumns(), { draws: 150, seed: 6 });
      const par = await monteCarloClvColumns(asColumns(), { draws: 150, seed: 6, threads: 2 });
      expect(par.threads).toBe(2);
      expect({ ...par, threads: 1 }).toEqual(sync);
    });

    it("monteCarloClvColumnsSync rejects a column of the wrong length, a missing retention and a bad value (row = 1-based customer)", () => {
      const cols = asColumns();
      try {
        monteCarloClvColumnsSync({ ...cols, spendMean: cols.spendMean.subarray(1) });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("spendMean");
      }
      expect(() => monteCarloClvColumnsSync({ ...cols, retention: undefined })).toThrow(InvalidOptionError);
      expect(() => monteCarloClvColumnsSync({ ...cols, retention: 1.5 })).toThrow(InvalidOptionError);
      const bad = cols.alive.slice();
      bad[6] = 2;
      try {
        monteCarloClvColumnsSync({ ...cols, alive: bad });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe(7);
        expect((e as InvalidRecordError).field).toBe("alive");
      }
    });
  });

  describe("quantilesWithZeros", () => {
    it("quantilesWithZeros(values, m, zeros) equals the R-7 quantiles of the values plus that many zeros", () => {
      // invariant against quantilesInPlace on the full sample, for many zero shares and sizes
      let seed = 7;
      const u = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const ps = [0.05, 0.25, 0.5, 0.95];
      for (let trial = 0; trial < 300; trial++) {
        const n = 2 + Math.floor(u() * 60);
        const full = Float64Array.from({ length: n }, () => (u() < trial / 300 ? 0 : 1 + Math.floor(u() * 5)));
        const positives = full.filter((v) => v !== 0);
        const want = [0, 0, 0, 0];
        const got = [0, 0, 0, 0];
        quantilesInPlace(full.slice(), n, ps, want);
        quantilesWithZeros(positives.slice(), positives.length, n - positives.length, ps, got);
        expect(got).toEqual(want);
      }
    });
  });

  describe("errors", () => {
    it("monteCarloClvSync rejects a distribution with bad parameters", () => {
      try {
        monteCarloClvSync({ margin: { dist: "uniform", min: 2, max: 1 }, retention: 0.5, discountRate: 0 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("margin");
      }
    });
    it("monteCarloClvSync rejects a retention draw outside [0, 1) and names the draw", () => {
      try {
        monteCarloClvSync({ margin: 1, retention: { dist: "normal", mean: 0.95, sd: 0.2 }, discountRate: 0 }, { draws: 1000 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe("retention");
        expect((e as InvalidOptionError).message).toMatch(/^monteCarloClvSync: .*draw \d+/);
      }
    });
    it("monteCarloClvSync rejects a missing required input and bad options", () => {
      expect(() => monteCarloClvSync({ margin: 1, discountRate: 0 } as never)).toThrow(InvalidOptionError);
      expect(() => monteCarloClvSync(ORACLE, { draws: 1 })).toThrow(InvalidOptionError);
      expect(() => monteCarloClvSync(ORACLE, { seed: Number.NaN })).toThrow(InvalidOptionError);
    });
    it("monteCarloClv rejects a bad customer with its id", async () => {
      try {
        await monteCarloClv({ customers: [{ customerId: "a", purchaseRate: -1, spendMean: 1, retention: 0.5 }], discountRate: 0 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect((e as InvalidRecordError).row).toBe("a");
        expect((e as InvalidRecordError).field).toBe("purchaseRate");
      }
      await expect(monteCarloClv({ customers: [{ customerId: "b", purchaseRate: 1, spendMean: 1, survival: [1, 0.5, 0.7] }], discountRate: 0, periods: 3 })).rejects.toBeInstanceOf(InvalidRecordError);
    });
  });
});

/** ln((n-1)!) for whole n >= 1 (exact sum of logs; small n only). */
function lgammaInt(n: number): number {
  let s = 0;
  for (let i = 2; i < n; i++) s += Math.log(i);
  return s;
}
