/**
 * The telecom study's value scoring as written (issue 20, item 8): indicators scored by preset
 * business intervals, the overall value score over CV, PV (= SV) and IV with given or AHP
 * weights, and PV as an alias of SV. Every expected number is hand-computed in the comments.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clv3d,
  clv3dColumns,
  generateTransactions,
  InvalidOptionError,
  InvalidRecordError,
  summarizeCustomers,
  type Clv3dColumns,
  type Clv3dColumnsOptions,
  type Clv3dIndicatorInput,
  type Clv3dOptions,
  type CustomerSummary,
  type ScoreInterval,
} from "../../src/index.js";
import { intervalScore, validateScoreIntervals } from "../../src/numeric/index.js";
import { validateScoreIntervals as relationshipValidate } from "../../src/relationship/index.js";
import { summary } from "./helpers.js";

/** Run f and return what it threw (fails the test when nothing is thrown). */
function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

// Three customers; the summary columns only feed CV/SV/IV money values, which these tests do not score.
const COLS: Clv3dColumns = Object.freeze({
  ids: ["a", "b", "c"],
  totalSpend: [300, 1200, 5000],
  spendPerPeriod: [30, 80, 150],
  tenureDays: [180, 900, 1800],
  recencyDays: [5, 40, 200],
  frequency: [6, 30, 60],
});

// Telecom-style indicators as columns (row a, b, c).
const ARPU = [30, 80, 150]; // monthly revenue per user
const TENURE_MONTHS = [6, 30, 60];
const CONTRACT_LEFT = [0, 12, 24]; // months left on contract
const DATA_GROWTH = [0.5, 0.1, -0.2]; // relative growth of data use

const TABLES = Object.freeze({
  cv: {
    arpu: [{ from: 0, to: 50, score: 20 }, { from: 50, to: 100, score: 60 }, { from: 100, to: Infinity, score: 100 }],
    tenureMonths: [{ from: 0, to: 12, score: 30 }, { from: 12, to: 36, score: 70 }, { from: 36, to: Infinity, score: 100 }],
  },
  pv: { contractLeft: [{ from: 0, to: 6, score: 10 }, { from: 6, to: 18, score: 50 }, { from: 18, to: 36, score: 90 }] },
  iv: { dataGrowth: [{ from: -1, to: 0, score: 0 }, { from: 0, to: 0.25, score: 40 }, { from: 0.25, to: 1, score: 100 }] },
});

/** Scoring of the hand case: CV from arpu and tenure (AHP [[1,2],[1/2,1]]: weights 2/3, 1/3), PV and IV one indicator each. */
function scoring(arpu: readonly number[] = ARPU): NonNullable<Clv3dColumnsOptions["scoring"]> {
  return {
    cv: { indicators: [{ name: "arpu", values: arpu }, { name: "tenureMonths", values: TENURE_MONTHS }], matrix: [[1, 2], [1 / 2, 1]] },
    sv: { indicators: [{ name: "contractLeft", values: CONTRACT_LEFT }], matrix: [[1]] },
    iv: { indicators: [{ name: "dataGrowth", values: DATA_GROWTH }], matrix: [[1]] },
  };
}

// Dimension scores of the hand case (table lookups, then the AHP-weighted sum):
// CV: arpu 30 -> 20, 80 -> 60, 150 -> 100; tenure 6 -> 30, 30 -> 70, 60 -> 100.
//     a = 2/3*20 + 1/3*30 = 70/3 = 23.333; b = 2/3*60 + 1/3*70 = 190/3 = 63.333; c = 100.
// PV: contract 0 -> 10, 12 -> 50, 24 -> 90.
// IV: growth 0.5 -> 100, 0.1 -> 40, -0.2 -> 0.
const CV_SCORE = [70 / 3, 190 / 3, 100];
const PV_SCORE = [10, 50, 90];
const IV_SCORE = [100, 40, 0];

describe("clv3dColumns(scoreBy intervals)", () => {
  it("clv3dColumns(columns, { scoreBy: 'intervals' }) scores each indicator by its table (hand case)", () => {
    const r = clv3dColumns(COLS, { scoreBy: "intervals", intervals: TABLES, scoring: scoring() });
    expect(r.scoreBy).toBe("intervals");
    CV_SCORE.forEach((s, i) => expect(r.cvScore[i]).toBeCloseTo(s, 10));
    PV_SCORE.forEach((s, i) => expect(r.svScore[i]).toBeCloseTo(s, 10));
    IV_SCORE.forEach((s, i) => expect(r.ivScore[i]).toBeCloseTo(s, 10));
    // AHP weights of [[1,2],[1/2,1]]: exactly 2/3 and 1/3 (a consistent matrix).
    expect(r.weights.cv.weights[0]).toBeCloseTo(2 / 3, 12);
  });

  it("clv3dColumns overall valueScore with given weights { cv: 2, pv: 1, iv: 1 } (normalised to 0.5, 0.25, 0.25)", () => {
    const r = clv3dColumns(COLS, { scoreBy: "intervals", intervals: TABLES, scoring: scoring(), dimensionWeights: { cv: 2, pv: 1, iv: 1 } });
    // a = 0.5 * 70/3 + 0.25 * 10 + 0.25 * 100 = 11.667 + 2.5 + 25 = 39.1667
    // b = 0.5 * 190/3 + 0.25 * 50 + 0.25 * 40 = 31.667 + 12.5 + 10 = 54.1667
    // c = 0.5 * 100 + 0.25 * 90 + 0.25 * 0 = 50 + 22.5 = 72.5
    expect(r.valueScore[0]).toBeCloseTo(35 / 3 + 27.5, 10);
    expect(r.valueScore[1]).toBeCloseTo(95 / 3 + 22.5, 10);
    expect(r.valueScore[2]).toBeCloseTo(72.5, 10);
    expect(r.valueWeights).toEqual({ cv: 0.5, pv: 0.25, sv: 0.25, iv: 0.25, source: "given", ahp: null });
  });

  it("clv3dColumns overall valueScore with AHP weights from a consistent 3 x 3 matrix (weights 2/7, 4/7, 1/7)", () => {
    // CV:PV 1/2, CV:IV 2, PV:IV 4 is consistent with w proportional to (2, 4, 1): w = (2/7, 4/7, 1/7), CR = 0.
    const r = clv3dColumns(COLS, { scoreBy: "intervals", intervals: TABLES, scoring: scoring(), dimensionMatrix: [[1, 1 / 2, 2], [2, 1, 4], [1 / 2, 1 / 4, 1]] });
    expect(r.valueWeights.source).toBe("ahp");
    expect(r.valueWeights.cv).toBeCloseTo(2 / 7, 10);
    expect(r.valueWeights.pv).toBeCloseTo(4 / 7, 10);
    expect(r.valueWeights.iv).toBeCloseTo(1 / 7, 10);
    expect(r.valueWeights.ahp!.consistencyRatio).toBeCloseTo(0, 8);
    expect(r.valueWeights.ahp!.consistent).toBe(true);
    // a = (2 * 70/3 + 4 * 10 + 1 * 100) / 7 = (46.667 + 40 + 100) / 7 = 26.667
    // b = (2 * 190/3 + 4 * 50 + 1 * 40) / 7 = (126.667 + 200 + 40) / 7 = 52.381
    // c = (2 * 100 + 4 * 90 + 0) / 7 = 560 / 7 = 80
    expect(r.valueScore[0]).toBeCloseTo((140 / 3 + 140) / 7, 8);
    expect(r.valueScore[1]).toBeCloseTo((380 / 3 + 240) / 7, 8);
    expect(r.valueScore[2]).toBeCloseTo(80, 8);
  });

  it("clv3dColumns valueScore defaults to equal weights 1/3 (and scoreBy to quantiles)", () => {
    const r = clv3dColumns(COLS, { scoreBy: "intervals", intervals: TABLES, scoring: scoring() });
    expect(r.valueWeights).toEqual({ cv: 1 / 3, pv: 1 / 3, sv: 1 / 3, iv: 1 / 3, source: "equal", ahp: null });
    // a = (70/3 + 10 + 100) / 3 = 44.444
    expect(r.valueScore[0]).toBeCloseTo((70 / 3 + 110) / 3, 10);
    expect(clv3dColumns(COLS).scoreBy).toBe("quantiles");
    // explicit undefined means the default
    expect(clv3dColumns(COLS, { scoreBy: undefined, intervals: undefined, dimensionWeights: undefined }).scoreBy).toBe("quantiles");
  });

  it("an inconsistent dimension matrix (CR >= 0.1) is used and reported as inconsistent", () => {
    // CV > PV (5), PV > IV (5), but IV > CV (5): circular judgements.
    const r = clv3dColumns(COLS, { dimensionMatrix: [[1, 5, 1 / 5], [1 / 5, 1, 5], [5, 1 / 5, 1]] });
    expect(r.valueWeights.ahp!.consistent).toBe(false);
    expect(r.valueWeights.ahp!.consistencyRatio).toBeGreaterThanOrEqual(0.1);
    // The matrix is circulant, so the weights are equal.
    expect(r.valueWeights.cv).toBeCloseTo(1 / 3, 8);
  });

  it("a value on a row boundary scores in the row that starts there; the last row includes its upper bound", () => {
    // arpu 50 is in [50, 100) -> 60, not [0, 50); contract 36 is the last row's 'to' -> 90.
    const r = clv3dColumns(COLS, {
      scoreBy: "intervals",
      intervals: TABLES,
      scoring: { ...scoring([50, 50, 50]), sv: { indicators: [{ name: "contractLeft", values: [36, 6, 0] }], matrix: [[1]] } },
    });
    // CV: 2/3 * 60 + 1/3 * tenure score (30, 70, 100)
    expect(r.cvScore[0]).toBeCloseTo(40 + 10, 10);
    expect(Array.from(r.svScore)).toEqual([90, 50, 10]);
  });

  it("the table states the score itself: an indicator's direction 'lower' is not applied to it", () => {
    const r = clv3dColumns(COLS, {
      scoreBy: "intervals",
      intervals: { ...TABLES, iv: { recency: [{ from: 0, to: 30, score: 100 }, { from: 30, to: 90, score: 50 }, { from: 90, to: Infinity, score: 0 }] } },
      scoring: { ...scoring(), iv: { indicators: [{ name: "recency", values: COLS.recencyDays, direction: "lower" }], matrix: [[1]] } },
    });
    // recency 5 -> 100, 40 -> 50, 200 -> 0 (the table's scores; not 100 minus them)
    expect(Array.from(r.ivScore)).toEqual([100, 50, 0]);
  });
});

describe("clv3d(scoreBy intervals) row version", () => {
  // The same three customers as records; the indicators read the columns above by row.
  const rows: CustomerSummary[] = COLS.ids.map((id, i) =>
    summary(id, { totalSpend: COLS.totalSpend[i], spendPerPeriod: COLS.spendPerPeriod[i], tenureDays: COLS.tenureDays[i], recencyDays: COLS.recencyDays[i], frequency: COLS.frequency[i] }),
  );
  const at = (col: readonly number[]) => (x: Clv3dIndicatorInput) => col[COLS.ids.indexOf(x.summary.customerId)];
  const rowScoring: NonNullable<Clv3dOptions["scoring"]> = {
    cv: { indicators: [{ name: "arpu", value: at(ARPU) }, { name: "tenureMonths", value: at(TENURE_MONTHS) }], matrix: [[1, 2], [1 / 2, 1]] },
    sv: { indicators: [{ name: "contractLeft", value: at(CONTRACT_LEFT) }], matrix: [[1]] },
    iv: { indicators: [{ name: "dataGrowth", value: at(DATA_GROWTH) }], matrix: [[1]] },
  };

  it("clv3d(summaries, { scoreBy: 'intervals' }) gives the hand scores and the AHP value score", () => {
    const r = clv3d(rows, { scoreBy: "intervals", intervals: TABLES, scoring: rowScoring, dimensionMatrix: [[1, 1 / 2, 2], [2, 1, 4], [1 / 2, 1 / 4, 1]] });
    r.customers.forEach((c, i) => {
      expect(c.cvScore).toBeCloseTo(CV_SCORE[i], 10);
      expect(c.pvScore).toBeCloseTo(PV_SCORE[i], 10);
      expect(c.ivScore).toBeCloseTo(IV_SCORE[i], 10);
      // (2 cv + 4 pv + 1 iv) / 7
      expect(c.valueScore).toBeCloseTo((2 * CV_SCORE[i] + 4 * PV_SCORE[i] + IV_SCORE[i]) / 7, 8);
    });
  });

  it("clv3d and clv3dColumns give identical numbers with interval tables on the default indicators (generated base)", () => {
    const s = summarizeCustomers(generateTransactions({ customers: 300, seed: 7 }));
    const cols: Clv3dColumns = {
      ids: s.map((x) => x.customerId),
      totalSpend: s.map((x) => x.totalSpend),
      spendPerPeriod: s.map((x) => x.spendPerPeriod),
      tenureDays: s.map((x) => x.tenureDays),
      recencyDays: s.map((x) => x.recencyDays),
      frequency: s.map((x) => x.frequency),
    };
    const open = (cuts: number[], scores: number[]): ScoreInterval[] => scores.map((score, k) => ({ from: k === 0 ? -Infinity : cuts[k - 1], to: k === cuts.length ? Infinity : cuts[k], score }));
    const intervals = {
      cv: { currentValue: open([100, 500, 2000], [10, 40, 70, 100]), frequency: open([2, 5, 10], [10, 40, 70, 100]), tenureDays: open([90, 365], [20, 60, 100]) },
      sv: new Map([["stockValue", open([50, 200], [20, 60, 100])], ["spendPerPeriod", open([20, 60], [20, 60, 100])], ["recencyDays", open([30, 90], [100, 50, 0])]]),
      iv: { incrementalValue: open([1, 10], [0, 50, 100]), growth: open([0.01, 0.05], [0, 50, 100]) },
    };
    const options = { marginRate: 0.3, scoreBy: "intervals" as const, intervals, dimensionWeights: { cv: 0.3, sv: 0.5, iv: 0.2 } };
    const rec = clv3d(s, options);
    const col = clv3dColumns(cols, options);
    expect(Array.from(col.cvScore)).toEqual(rec.customers.map((c) => c.cvScore));
    expect(Array.from(col.pvScore)).toEqual(rec.customers.map((c) => c.pvScore));
    expect(Array.from(col.ivScore)).toEqual(rec.customers.map((c) => c.ivScore));
    expect(Array.from(col.valueScore)).toEqual(rec.customers.map((c) => c.valueScore));
    expect(Array.from(col.pv)).toEqual(rec.customers.map((c) => c.pv));
    expect(Array.from(col.group)).toEqual(rec.customers.map((c) => rec.groups.findIndex((g) => g.group === c.group)));
    expect(col.valueWeights).toEqual(rec.valueWeights);
    expect(col.thresholds).toEqual(rec.thresholds);
    // Every score is one of the weighted table sums, so it lies in 0..100; the base spreads over both sides of the thresholds.
    expect(rec.customers.every((c) => c.valueScore >= 0 && c.valueScore <= 100)).toBe(true);
    expect(new Set(rec.customers.map((c) => c.group)).size).toBeGreaterThan(2);
  });
});

describe("PV, the study's name for SV", () => {
  it("clv3d results carry pv fields equal to the sv fields", () => {
    const s = summarizeCustomers(generateTransactions({ customers: 120, seed: 3 }));
    const r = clv3d(s, { marginRate: 0.3 });
    for (const c of r.customers) {
      expect(c.pv).toBe(c.sv);
      expect(c.pvScore).toBe(c.svScore);
    }
    expect(r.totals.potential).toBe(r.totals.stock);
    expect(r.thresholds.pv).toBe(r.thresholds.sv);
    expect(r.weights.pv).toBe(r.weights.sv);
    for (const g of r.groups) expect(g.meanPv).toBe(g.meanSv);
    // and the value itself is a real future value, not a copy of 0
    expect(r.totals.potential).toBeGreaterThan(0);
  });

  it("clv3dColumns pv and pvScore are the sv and svScore arrays", () => {
    const r = clv3dColumns(COLS, { marginRate: 0.5 });
    expect(r.pv).toBe(r.sv);
    expect(r.pvScore).toBe(r.svScore);
    // SV of row a: 0.5 * 30 * sum_{t=1..12} 0.9^(t-1) / 1.01^t (defaults: r 0.9, d 0.01, H 12)
    let a = 0;
    for (let t = 1; t <= 12; t++) a += 0.9 ** (t - 1) / 1.01 ** t;
    expect(r.pv[0]).toBeCloseTo(15 * a, 9);
  });
});

describe("score interval tables", () => {
  it("validateScoreIntervals is one function, re-exported by relationship from numeric", () => {
    expect(relationshipValidate).toBe(validateScoreIntervals);
  });

  it("intervalScore(table, v) looks up the row by binary search; -1 outside and for NaN", () => {
    const t = [{ from: 0, to: 10, score: 20 }, { from: 10, to: 50, score: 60 }, { from: 50, to: 100, score: 100 }];
    expect([-0.5, 0, 9.99, 10, 49, 50, 100, 100.01, Number.NaN].map((v) => intervalScore(t, v))).toEqual([-1, 20, 20, 60, 60, 100, 100, -1, -1]);
  });

  it("intervalScore agrees with a linear scan on generated tables and values (fast-check, seeded)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.oneof(fc.integer({ min: -10, max: 400 }), fc.double({ min: -10, max: 400, noNaN: true })), { minLength: 1, maxLength: 20 }), // integers land on row bounds
        (widths, scores, values) => {
          let from = 0;
          const table = widths.map((w, k) => ({ from, to: (from += w), score: scores[k] }));
          validateScoreIntervals(table);
          for (const v of values) {
            const row = table.findIndex((r, k) => v >= r.from && (v < r.to || (k === table.length - 1 && v === r.to)));
            expect(intervalScore(table, v)).toBe(row < 0 ? -1 : table[row].score);
          }
        },
      ),
      { seed: 20, numRuns: 300 },
    );
  });

  describe("errors", () => {
    const base = { scoreBy: "intervals" as const, scoring: scoring() };
    const withArpu = (arpu: ScoreInterval[]) => ({ ...base, intervals: { ...TABLES, cv: { ...TABLES.cv, arpu } } });

    it("a gap between rows is an InvalidOptionError naming the table row", () => {
      const e = catchError(() => clv3dColumns(COLS, withArpu([{ from: 0, to: 50, score: 20 }, { from: 60, to: Infinity, score: 100 }])));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("intervals.cv.arpu[1].from");
      expect((e as InvalidOptionError).value).toBe(60);
      expect((e as InvalidOptionError).expected).toContain("a gap");
    });

    it("an overlap between rows is an InvalidOptionError", () => {
      const e = catchError(() => clv3dColumns(COLS, withArpu([{ from: 0, to: 60, score: 20 }, { from: 50, to: Infinity, score: 100 }])));
      expect((e as InvalidOptionError).option).toBe("intervals.cv.arpu[1].from");
      expect((e as InvalidOptionError).expected).toContain("an overlap");
    });

    it("rows out of order are an InvalidOptionError saying so", () => {
      const e = catchError(() => clv3dColumns(COLS, withArpu([{ from: 50, to: 100, score: 60 }, { from: 0, to: 50, score: 20 }])));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("intervals.cv.arpu[1].from");
      expect((e as InvalidOptionError).expected).toContain("increasing order");
    });

    it("a value no row covers is an InvalidRecordError naming the customer, the indicator and the value", () => {
      // b's arpu -5 is below the table's first row (from 0).
      const e = catchError(() => clv3dColumns(COLS, { ...base, intervals: TABLES, scoring: scoring([30, -5, 150]) }));
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe("b");
      expect((e as InvalidRecordError).field).toBe("arpu");
      expect((e as InvalidRecordError).value).toBe(-5);
      expect((e as InvalidRecordError).expected).toContain("intervals.cv.arpu");
      // Above a closed last row: contract 40 > 36 for customer c, in the row version too.
      const rows = COLS.ids.map((id) => summary(id));
      const e2 = catchError(() =>
        clv3d(rows, {
          scoreBy: "intervals",
          intervals: { cv: { f: [{ from: 0, to: Infinity, score: 50 }] }, pv: TABLES.pv, iv: { f: [{ from: 0, to: Infinity, score: 50 }] } },
          scoring: {
            cv: { indicators: [{ name: "f", value: (x) => x.summary.frequency }], matrix: [[1]] },
            sv: { indicators: [{ name: "contractLeft", value: (x) => (x.summary.customerId === "c" ? 40 : 1) }], matrix: [[1]] },
            iv: { indicators: [{ name: "f", value: (x) => x.summary.frequency }], matrix: [[1]] },
          },
        }),
      );
      expect(e2).toBeInstanceOf(InvalidRecordError);
      expect([(e2 as InvalidRecordError).row, (e2 as InvalidRecordError).field, (e2 as InvalidRecordError).value]).toEqual(["c", "contractLeft", 40]);
    });

    it("scoreBy 'intervals' needs a table for every indicator, and names only known indicators", () => {
      const missing = catchError(() => clv3dColumns(COLS, { ...base, intervals: { ...TABLES, cv: { arpu: TABLES.cv.arpu } } }));
      expect((missing as InvalidOptionError).option).toBe("intervals.cv.tenureMonths");
      const unknown = catchError(() => clv3dColumns(COLS, { ...base, intervals: { ...TABLES, iv: { ...TABLES.iv, dataGrowht: TABLES.iv.dataGrowth } } }));
      expect((unknown as InvalidOptionError).option).toBe("intervals.iv.dataGrowht");
      const noDim = catchError(() => clv3dColumns(COLS, { ...base, intervals: { cv: TABLES.cv, iv: TABLES.iv } }));
      expect((noDim as InvalidOptionError).option).toBe("intervals.pv");
      const both = catchError(() => clv3dColumns(COLS, { ...base, intervals: { ...TABLES, sv: TABLES.pv } }));
      expect((both as InvalidOptionError).option).toBe("intervals.sv");
      expect((catchError(() => clv3dColumns(COLS, { ...base, intervals: undefined })) as InvalidOptionError).option).toBe("intervals");
    });

    it("tables with the default scoreBy 'quantiles', breakpoints with 'intervals', or a bad scoreBy are refused", () => {
      expect((catchError(() => clv3dColumns(COLS, { intervals: TABLES })) as InvalidOptionError).option).toBe("intervals");
      const sc = scoring();
      const bp = catchError(() => clv3dColumns(COLS, { ...base, intervals: TABLES, scoring: { ...sc, sv: { indicators: [{ name: "contractLeft", values: CONTRACT_LEFT, breakpoints: [0, 36] }], matrix: [[1]] } } }));
      expect((bp as InvalidOptionError).option).toBe("scoring.sv.indicators[0].breakpoints");
      expect((catchError(() => clv3dColumns(COLS, { scoreBy: "deciles" as "intervals" })) as InvalidOptionError).option).toBe("scoreBy");
    });

    it("dimension weights: negative, all zero, unknown key, pv with sv, with a matrix, or a matrix that is not 3 x 3", () => {
      const opt = (o: Clv3dColumnsOptions) => (catchError(() => clv3dColumns(COLS, o)) as InvalidOptionError).option;
      expect(opt({ dimensionWeights: { cv: -1, pv: 1 } })).toBe("dimensionWeights.cv");
      expect(opt({ dimensionWeights: { cv: 0 } })).toBe("dimensionWeights");
      expect(opt({ dimensionWeights: { cv: 1, clv: 1 } as never })).toBe("dimensionWeights.clv");
      expect(opt({ dimensionWeights: { pv: 1, sv: 1 } })).toBe("dimensionWeights.sv");
      expect(opt({ dimensionWeights: { cv: 1 }, dimensionMatrix: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] })).toBe("dimensionWeights");
      expect(opt({ dimensionMatrix: [[1, 2], [1 / 2, 1]] })).toBe("dimensionMatrix");
      expect(opt({ dimensionMatrix: [[1, -2, 1], [1, 1, 1], [1, 1, 1]] })).toBe("dimensionMatrix");
      // sv is accepted for pv
      expect(clv3dColumns(COLS, { dimensionWeights: { sv: 1 } }).valueWeights).toMatchObject({ cv: 0, pv: 1, sv: 1, iv: 0 });
    });
  });
});

describe("docs/value.md worked example (telecom interval tables)", () => {
  it("clv3dColumns reproduces the numbers the guide prints for ana, ben and cai", () => {
    const band = (cuts: number[], scores: number[], first = -Infinity): ScoreInterval[] =>
      scores.map((score, k) => ({ from: k === 0 ? first : cuts[k - 1], to: k === cuts.length ? Infinity : cuts[k], score }));
    const intervals = {
      cv: { currentValue: band([300, 1000, 3000], [20, 50, 80, 100]), frequency: band([6, 12, 24], [20, 50, 80, 100], 0), tenureDays: band([180, 365, 730], [20, 50, 80, 100], 0) },
      pv: { stockValue: band([200, 400, 600], [20, 50, 80, 100]), spendPerPeriod: band([50, 80, 120], [20, 50, 80, 100]), recencyDays: band([30, 60, 90], [100, 80, 50, 20], 0) },
      iv: { incrementalValue: band([10, 40], [0, 50, 100], 0), growth: band([0.01, 0.05], [0, 50, 100], 0) },
    };
    const r = clv3dColumns(
      { ids: ["ana", "ben", "cai"], totalSpend: [1800, 360, 4800], spendPerPeriod: [75, 60, 120], tenureDays: [720, 180, 1200], recencyDays: [12, 5, 95], frequency: [24, 6, 38] },
      { marginRate: 0.5, growth: [0.02, 0.06, 0], scoreBy: "intervals", intervals, dimensionMatrix: [[1, 1 / 2, 2], [2, 1, 3], [1 / 2, 1 / 3, 1]] },
    );
    const two = (a: ArrayLike<number>) => Array.from(a, (x) => x.toFixed(2));
    // ben: CV 185.48 (-> 20), PV 204.37 (-> 50), IV 63.37 (-> 100), as printed in the guide
    expect([r.cv[1], r.pv[1], r.iv[1]].map((x) => x.toFixed(2))).toEqual(["185.48", "204.37", "63.37"]);
    // ben by hand with the printed weights: 0.637*20 + 0.258*50 + 0.105*50 = 30.89; 0.558*50 + 0.320*50 + 0.122*100 = 56.10
    expect(two(r.cvScore)).toEqual(["85.17", "30.89", "87.26"]);
    expect(two(r.pvScore)).toEqual(["56.10", "56.10", "79.07"]);
    expect(two(r.ivScore)).toEqual(["50.00", "100.00", "0.00"]);
    // 0.297*30.89 + 0.540*56.10 + 0.163*100 = 55.79
    expect(two(r.valueScore)).toEqual(["63.73", "55.79", "68.58"]);
    expect([r.valueWeights.cv, r.valueWeights.pv, r.valueWeights.iv].map((w) => w.toFixed(3))).toEqual(["0.297", "0.540", "0.163"]);
    expect(r.valueWeights.ahp!.consistencyRatio.toFixed(3)).toBe("0.008");
  });
});
