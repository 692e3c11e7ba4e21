import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ahpWeights,
  createRng,
  customerProfitability,
  InvalidOptionError,
  InvalidRecordError,
  lifecycleStages,
  toTransactionTable,
  type Transaction,
} from "../../src/index.js";
import { relationshipValue, validateScoreIntervals, type Referral } from "../../src/relationship/index.js";

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

// The lifecycle doc example: asOf 2023-12-27.
// a: 13 purchases of 10, every 30 days from 2023-01-01 (revenue 130) -> maturity;
// b: one purchase of 50 on 2022-11-22 -> churned; c: 20 on 2023-12-20 -> new.
const ROWS = [
  ...Array.from({ length: 13 }, (_, k) => ({ customerId: "a", date: new Date(Date.UTC(2023, 0, 1 + 30 * k)), amount: 10, cost: 6 })),
  { customerId: "b", date: "2022-11-22", amount: 50, cost: 10 },
  { customerId: "c", date: "2023-12-20", amount: 20, cost: 5 },
];
const T = toTransactionTable(ROWS as unknown as Transaction[]);
const AS_OF = "2023-12-27";
const CAPABILITY = new Map([["a", 0.2], ["b", 0.6], ["c", 0.4]]);

describe("relationshipValue", () => {
  it("relationshipValue(base) scores the four dimensions by percent rank and combines them with equal weights", () => {
    const referrals: Referral[] = Object.freeze([
      { referrer: "a", referred: "c", date: "2023-12-19" }, // accepted: c's 20 on 12-20 is in the window
      { referrer: "a", referred: "c", date: "2023-12-19" }, // duplicate
      { referrer: "b", referred: "c", date: "2023-12-20" }, // c already referred by a: multipleReferrers
      { referrer: "a", referred: "a", date: "2023-06-01" }, // self-referral
      { referrer: "a", referred: "zz", date: "2023-06-01" }, // unknown id
      { referrer: "b", referred: "a", date: "2024-01-05" }, // after asOf
    ].map((r) => Object.freeze(r))) as Referral[];
    const r = relationshipValue({ transactions: T, capability: CAPABILITY, referrals }, { asOf: AS_OF });
    expect(r.ids).toEqual(["a", "b", "c"]);
    expect(Array.from(r.raw.stage.codes, (c) => r.raw.stage.values[c])).toEqual(["maturity", "churned", "new"]);
    // percent rank 100 (minRank - 1) / (n - 1), n = 3:
    // revenue a 130, b 50, c 20 -> 100, 50, 0
    expect([...r.scores.profitability]).toEqual([100, 50, 0]);
    // stage points maturity 100, churned 0, new 50
    expect([...r.scores.lifecycle]).toEqual([100, 0, 50]);
    // capability 0.2, 0.6, 0.4 -> 0, 100, 50
    expect([...(r.scores.capability as Float64Array)]).toEqual([0, 100, 50]);
    // referral value a 20 (c's purchase), b 0, c 0 -> b, c tie at min rank 1 -> 0
    expect([...r.raw.referredValue]).toEqual([20, 0, 0]);
    expect([...r.raw.referredCustomers]).toEqual([1, 0, 0]);
    expect([...r.scores.referral]).toEqual([100, 0, 0]);
    // equal weights: a (100+100+0+100)/4 = 75, b (50+0+100+0)/4 = 37.5, c (0+50+50+0)/4 = 25
    expect([...r.score]).toEqual([75, 37.5, 25]);
    expect([...r.rank]).toEqual([1, 2, 3]);
    expect(r.top.map((x) => x.customerId)).toEqual(["a", "b", "c"]);
    expect(r.referrals).toEqual({ records: 6, accepted: 1, afterAsOf: 1, selfReferrals: 1, unknownIds: 1, duplicates: 1, multipleReferrers: 1, cycles: 0, referredEarlier: 0 });
    expect(r.warnings).toEqual([]);
    expect(r.settings.profitMeasure).toBe("revenue");
    // summary: profitability mean (100+50+0)/3 = 50, median 50; raw total 130+50+20 = 200
    expect(r.summary[0]).toEqual({ dimension: "profitability", used: true, weight: 0.25, mean: 50, median: 50, min: 0, max: 100, rawTotal: 200 });
  });

  it("relationshipValue treats an explicit undefined option as the default", () => {
    const a = relationshipValue({ transactions: T }, { asOf: AS_OF, weights: undefined, scoring: undefined, referralWindowDays: undefined, top: undefined });
    const b = relationshipValue({ transactions: T }, { asOf: AS_OF });
    expect([...a.score]).toEqual([...b.score]);
    expect(a.settings).toEqual(b.settings);
  });

  it("relationshipValue uses profit from customerProfitability when given", () => {
    // profit a 13 x (10 - 6) = 52, b 50 - 10 = 40, c 20 - 5 = 15 -> same order, scores 100, 50, 0
    const p = customerProfitability(T, { asOf: AS_OF });
    const r = relationshipValue({ transactions: T, profitability: p }, { asOf: AS_OF, weights: { profitability: 1 } });
    expect([...r.raw.profit]).toEqual([52, 40, 15]);
    expect(r.settings.profitMeasure).toBe("profit");
    expect([...r.score]).toEqual([100, 50, 0]);
  });

  it("relationshipValue leaves out a missing capability and renormalises given weights", () => {
    // weights 2, 1, (capability 5 ignored), 1 -> 0.5, 0.25, 0.25
    const r = relationshipValue({ transactions: T }, { asOf: AS_OF, weights: { profitability: 2, lifecycle: 1, capability: 5, referral: 1 } });
    expect(r.dimensions).toEqual(["profitability", "lifecycle", "referral"]);
    expect(r.weights).toEqual({ profitability: 0.5, lifecycle: 0.25, capability: 0, referral: 0.25 });
    expect(r.scores.capability).toBeNull();
    expect(r.warnings).toHaveLength(1);
    // no referrals: all 0 -> percent rank 0; a 0.5*100 + 0.25*100 = 75; b 0.5*50 = 25; c 0.25*50 = 12.5
    expect([...r.score]).toEqual([75, 25, 12.5]);
  });

  it("relationshipValue(ahpMatrix 3x3) uses ahpWeights (CR 0.0032, weights .648/.230/.122)", () => {
    // The 3x3 of the ahpWeights doc example and test/rfm/ahp.test.ts (checked there against mathjs).
    const m = [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]];
    const r = relationshipValue({ transactions: T }, { asOf: AS_OF, ahpMatrix: m });
    const w = ahpWeights(m).weights;
    expect(r.weights.profitability).toBe(w[0]);
    expect(r.weights.lifecycle).toBe(w[1]);
    expect(r.weights.referral).toBe(w[2]);
    expect([r.weights.profitability, r.weights.lifecycle, r.weights.referral].map((x) => +x.toFixed(3))).toEqual([0.648, 0.23, 0.122]);
    expect(r.ahp?.consistencyRatio).toBeCloseTo(0.0032, 4);
    expect(r.warnings.some((s) => s.includes("inconsistent"))).toBe(false);
    // a = 100 w0 + 100 w1 (+ 0 referral), b = 50 w0, c = 50 w1
    expect(r.score[0]).toBeCloseTo(100 * (w[0] + w[1]), 12);
    expect(r.score[1]).toBeCloseTo(50 * w[0], 12);
    expect(r.score[2]).toBeCloseTo(50 * w[1], 12);
  });

  it("relationshipValue(ahpMatrix 4x4 consistent) recovers the generating weights with CR 0", () => {
    // a_ij = w_i / w_j for w = (0.4, 0.3, 0.2, 0.1): the principal eigenvector is w itself, lambda = 4.
    const w = [0.4, 0.3, 0.2, 0.1];
    const m = w.map((wi) => w.map((wj) => wi / wj));
    const r = relationshipValue({ transactions: T, capability: CAPABILITY }, { asOf: AS_OF, ahpMatrix: m });
    expect(r.weights.profitability).toBeCloseTo(0.4, 12);
    expect(r.weights.lifecycle).toBeCloseTo(0.3, 12);
    expect(r.weights.capability).toBeCloseTo(0.2, 12);
    expect(r.weights.referral).toBeCloseTo(0.1, 12);
    expect(r.ahp?.consistencyRatio).toBeCloseTo(0, 12);
  });

  it("relationshipValue warns (does not throw) when the AHP consistency ratio exceeds 0.1", () => {
    // a cyclic judgement: profitability >> lifecycle >> referral >> profitability
    const m = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]];
    const r = relationshipValue({ transactions: T }, { asOf: AS_OF, ahpMatrix: m });
    expect(r.ahp!.consistencyRatio).toBeGreaterThan(0.1);
    expect(r.warnings.filter((s) => s.includes("inconsistent"))).toHaveLength(1);
    expect(r.score.every((x) => Number.isFinite(x))).toBe(true);
  });

  it("relationshipValue(scoring intervals) maps raw values through the tables", () => {
    const intervals = {
      // revenue 130 -> 80, 50 -> 40, 20 -> 40
      profitability: [{ from: -Infinity, to: 0, score: 0 }, { from: 0, to: 100, score: 40 }, { from: 100, to: Infinity, score: 80 }],
      capability: [{ from: 0, to: 0.5, score: 30 }, { from: 0.5, to: 1, score: 90 }], // 0.2 -> 30, 0.6 -> 90, 0.4 -> 30
      referral: [{ from: 0, to: 10, score: 0 }, { from: 10, to: Infinity, score: 100 }],
    };
    const r = relationshipValue({ transactions: T, capability: CAPABILITY }, { asOf: AS_OF, scoring: "intervals", intervals });
    expect([...r.scores.profitability]).toEqual([80, 40, 40]);
    expect([...(r.scores.capability as Float64Array)]).toEqual([30, 90, 30]);
    // equal weights, referral 0 for all: a (80+100+30)/4 = 52.5, b (40+0+90)/4 = 32.5, c (40+50+30)/4 = 30
    expect([...r.score]).toEqual([52.5, 32.5, 30]);
  });

  it("relationshipValue credits the value in the window only and counts a chain's customers once", () => {
    // p refers q on day 1; q refers s on day 10; window 5 days: q's purchases on days 1..5 count.
    const rows = [
      { customerId: "p", date: "2024-01-01", amount: 5 },
      { customerId: "q", date: "2024-01-01", amount: 100 }, // day 1 of the window
      { customerId: "q", date: "2024-01-05", amount: 10 }, // day 5: in
      { customerId: "q", date: "2024-01-06", amount: 1000 }, // day 6: out
      { customerId: "s", date: "2024-01-10", amount: 7 },
      { customerId: "s", date: "2024-01-20", amount: -2 }, // a return inside s's window: net 5
    ];
    const t = toTransactionTable(rows as unknown as Transaction[]);
    const refs = [
      { referrer: "p", referred: "q", date: "2024-01-01" },
      { referrer: "q", referred: "s", date: "2024-01-10" },
    ];
    const r = relationshipValue({ transactions: t, referrals: refs }, { referralWindowDays: 5, asOf: "2024-01-31" });
    // p: 100 + 10 = 110 (not s's value); q: 7 (the -2 is on day 11, outside the 5-day window)
    expect([...r.raw.referredValue]).toEqual([110, 7, 0]);
    const r2 = relationshipValue({ transactions: t, referrals: refs }, { referralWindowDays: 30, asOf: "2024-01-31", referralMeasure: "count" });
    expect([...r2.raw.referredValue]).toEqual([1110, 5, 0]); // 100 + 10 + 1000; 7 - 2
    expect([...r2.raw.referredCustomers]).toEqual([1, 1, 0]);
    expect([...r2.scores.referral]).toEqual([50, 50, 0]); // counts 1, 1, 0 -> min ranks 2, 2, 1
  });

  it("relationshipValue(referralValue profit) credits the referred customer's line profit", () => {
    // a refers c on 2023-12-19; c's line: 20 - cost 5 = 15
    const r = relationshipValue({ transactions: T, referrals: [{ referrer: "a", referred: "c", date: "2023-12-19" }] }, { asOf: AS_OF, referralValue: "profit" });
    expect([...r.raw.referredValue]).toEqual([15, 0, 0]);
  });

  it("relationshipValue(ahpMatrix 4x4) without a capability estimate drops capability and renormalises", () => {
    // consistent matrix of w = (0.4, 0.3, 0.2, 0.1): without capability 0.4/0.8, 0.3/0.8, 0.1/0.8
    const w = [0.4, 0.3, 0.2, 0.1];
    const r = relationshipValue({ transactions: T }, { asOf: AS_OF, ahpMatrix: w.map((wi) => w.map((wj) => wi / wj)) });
    expect(r.weights.profitability).toBeCloseTo(0.5, 12);
    expect(r.weights.lifecycle).toBeCloseTo(0.375, 12);
    expect(r.weights.referral).toBeCloseTo(0.125, 12);
    expect(r.weights.capability).toBe(0);
  });

  it("relationshipValue of an empty table gives empty columns and zero summaries", () => {
    const r = relationshipValue({ transactions: [] }, { asOf: "2024-01-01" });
    expect(r.length).toBe(0);
    expect(r.top).toEqual([]);
    expect(r.summary.map((x) => [x.mean, x.median, x.rawTotal])).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it("relationshipValue sets aside the latest referral of a cycle", () => {
    const rows = ["x", "y", "z"].map((id) => ({ customerId: id, date: "2024-01-01", amount: 10 }));
    const t = toTransactionTable(rows as unknown as Transaction[]);
    // x -> y (Jan 2), y -> z (Jan 3), z -> x (Jan 4): a cycle; z -> x, the latest, is dropped.
    const refs = [
      { referrer: "z", referred: "x", date: "2024-01-04" },
      { referrer: "x", referred: "y", date: "2024-01-02" },
      { referrer: "y", referred: "z", date: "2024-01-03" },
    ];
    const r = relationshipValue({ transactions: t, referrals: refs }, { asOf: "2024-01-10" });
    // y and z had bought on Jan 1, before their referral dates: referredEarlier 2
    expect(r.referrals).toMatchObject({ records: 3, accepted: 2, cycles: 1, referredEarlier: 2 });
    expect([...r.raw.referredCustomers]).toEqual([1, 1, 0]);
    // values are the referred customers' purchases on or after the referral date: y and z bought on Jan 1, before it
    expect([...r.raw.referredValue]).toEqual([0, 0, 0]);
  });

  it("relationshipValue is pure, accounts for every referral and never gives NaN (seeded property)", () => {
    const rng = createRng(20261130);
    const ids = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 60 }, () => ({ customerId: ids[Math.floor(rng.next() * 8)], date: new Date(Date.UTC(2024, 0, 1 + Math.floor(rng.next() * 200))), amount: Math.round(rng.next() * 200 - 20) }));
    const t = toTransactionTable(rows as unknown as Transaction[]);
    const lc = lifecycleStages(t, { asOf: "2024-06-30" });
    fc.assert(
      fc.property(
        fc.array(fc.record({ referrer: fc.constantFrom(...ids, "ghost"), referred: fc.constantFrom(...ids, "ghost"), date: fc.integer({ min: 0, max: 250 }).map((d) => new Date(Date.UTC(2024, 0, 1 + d))) }), { maxLength: 30 }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (refs, w0) => {
          const w = w0.some((x) => x > 0) ? w0 : [1, ...w0.slice(1)];
          const frozen = Object.freeze(refs.map((r) => Object.freeze(r)));
          const r = relationshipValue({ transactions: t, lifecycle: lc, referrals: frozen }, { asOf: "2024-06-30", weights: { profitability: w[0], lifecycle: w[1], capability: w[2], referral: w[3] } });
          const a = r.referrals;
          expect(a.accepted + a.afterAsOf + a.selfReferrals + a.unknownIds + a.duplicates + a.multipleReferrers + a.cycles).toBe(refs.length);
          // one referrer per referred customer
          expect(r.raw.referredCustomers.reduce((s, x) => s + x, 0)).toBe(a.accepted);
          for (const col of [r.score, r.scores.profitability, r.scores.lifecycle, r.scores.referral]) {
            expect(col.every((x) => Number.isFinite(x) && x >= 0 && x <= 100)).toBe(true);
          }
          // the combined score lies between the smallest and largest used dimension score
          for (let i = 0; i < r.length; i++) {
            const s = r.dimensions.map((d) => r.scores[d]![i]);
            expect(r.score[i]).toBeGreaterThanOrEqual(Math.min(...s) - 1e-9);
            expect(r.score[i]).toBeLessThanOrEqual(Math.max(...s) + 1e-9);
          }
          expect([...r.rank].sort((x, y) => x - y)).toEqual(ids.map((_, i) => i + 1).slice(0, r.length));
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  describe("errors", () => {
    it("rejects weights together with an AHP matrix", () => {
      const e = catchError(() => relationshipValue({ transactions: T }, { weights: { profitability: 1 }, ahpMatrix: [[1]] }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("weights");
    });
    it("rejects all-zero weights on the used dimensions", () => {
      const e = catchError(() => relationshipValue({ transactions: T }, { asOf: AS_OF, weights: { capability: 1 } }));
      expect(e).toBeInstanceOf(InvalidOptionError);
    });
    it("names the referral row and field of a bad date", () => {
      const e = catchError(() => relationshipValue({ transactions: T, referrals: [{ referrer: "a", referred: "b", date: "2023-02-31" }] }, { asOf: AS_OF }));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe(1);
      expect((e as InvalidRecordError).field).toBe("date");
    });
    it("rejects an interval table that does not cover a value", () => {
      const e = catchError(() => relationshipValue({ transactions: T }, { asOf: AS_OF, scoring: "intervals", intervals: { profitability: [{ from: 0, to: 100, score: 50 }], referral: [{ from: 0, to: 1, score: 0 }] } }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("intervals.profitability");
      expect((e as InvalidOptionError).value).toBe(130);
    });
    it("rejects a non-finite capability estimate with the customer id", () => {
      const e = catchError(() => relationshipValue({ transactions: T, capability: new Map([["a", Number.NaN]]) }, { asOf: AS_OF }));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe("a");
    });
  });
});

describe("validateScoreIntervals", () => {
  it("validateScoreIntervals(table) returns the covered range", () => {
    expect(validateScoreIntervals([{ from: 0, to: 1, score: 0 }, { from: 1, to: 2, score: 100 }])).toEqual({ from: 0, to: 2 });
  });
  it("validateScoreIntervals refuses a gap, an overlap, a reversed row and a score above 100", () => {
    const gap = catchError(() => validateScoreIntervals([{ from: 0, to: 1, score: 0 }, { from: 2, to: 3, score: 10 }]));
    expect((gap as InvalidOptionError).option).toBe("intervals[1].from");
    expect((gap as InvalidOptionError).expected).toContain("a gap");
    const overlap = catchError(() => validateScoreIntervals([{ from: 0, to: 2, score: 0 }, { from: 1, to: 3, score: 10 }]));
    expect((overlap as InvalidOptionError).expected).toContain("an overlap");
    expect(catchError(() => validateScoreIntervals([{ from: 3, to: 1, score: 0 }]))).toBeInstanceOf(InvalidOptionError);
    expect((catchError(() => validateScoreIntervals([{ from: 0, to: 1, score: 101 }])) as InvalidOptionError).option).toBe("intervals[0].score");
    expect(catchError(() => validateScoreIntervals([]))).toBeInstanceOf(InvalidOptionError);
  });
});
