import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AnalyticsError,
  calibrationSummary,
  calibrationTable,
  conditionalExpectedPurchases,
  conditionalExpectedPurchasesColumn,
  conditionalExpectedSpend,
  conditionalExpectedSpendColumn,
  customerLifetimeValue,
  customerLifetimeValueColumns,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  InvalidOptionError,
  InvalidRecordError,
  probabilityAlive,
  probabilityAliveColumn,
  readTransactions,
  toCalibrationTable,
  toTransactionTable,
  type BgNbdModel,
  type CalibrationSummary,
  type CalibrationTable,
  type ClvCustomer,
  type GammaGammaModel,
  type ParetoNbdModel,
  type Transaction,
  type TransactionModel,
} from "../../src/index.js";
import { simulateBgNbd, simulatedRecords } from "../../src/clv/simulate.js";
import { rowOk } from "../../src/clv/data.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";

// Parameters from test/clv/cdnow.test.ts (published CDNOW fits), used as fixed models.
const BG = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;
const PN = { model: "pareto-nbd", params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } } as ParetoNbdModel;
const GG = { model: "gamma-gamma", params: { p: 6.25, q: 3.74, gamma: 15.44 } } as GammaGammaModel;

/** Record results as plain arrays of one field, to compare with a column exactly. */
const field = <T, K extends keyof T>(rows: readonly T[], k: K) => rows.map((r) => r[k]);

/** Every column form equals its record form, number for number (toEqual on numbers is Object.is). */
function expectSameScores(models: readonly TransactionModel[], table: CalibrationTable | Parameters<typeof probabilityAliveColumn>[1], records: readonly ClvCustomer[]): void {
  for (const m of models) {
    expect(Array.from(probabilityAliveColumn(m, table)), `${m.model} pAlive`).toEqual(field(probabilityAlive(m, records), "pAlive"));
    expect(Array.from(conditionalExpectedPurchasesColumn(m, table, { t: 39 })), `${m.model} E[Y]`).toEqual(field(conditionalExpectedPurchases(m, records, { t: 39 }), "expectedPurchases"));
    const clv = customerLifetimeValueColumns(m, GG, table, { horizon: 6, discountRate: 0.02, margin: 0.3 });
    const rec = customerLifetimeValue(m, GG, records, { horizon: 6, discountRate: 0.02, margin: 0.3 });
    for (const k of ["clv", "expectedPurchases", "expectedSpend", "pAlive"] as const) expect(Array.from(clv[k]), `${m.model} clv.${k}`).toEqual(field(rec, k));
  }
  expect(Array.from(conditionalExpectedSpendColumn(GG, table))).toEqual(field(conditionalExpectedSpend(GG, records), "expectedSpend"));
}

let tx: Transaction[];
let summary: CalibrationSummary[];

beforeAll(async () => {
  ({ transactions: tx } = await readTransactions(CDNOW, {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  }));
  summary = calibrationSummary(tx, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
});

describe("toCalibrationTable", () => {
  it("toCalibrationTable(cdnow summaries) holds the same numbers as calibrationTable(cdnow)", () => {
    const t = toCalibrationTable(summary);
    const direct = calibrationTable(tx, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    expect(t.length).toBe(2357);
    expect(t.ids).toEqual(direct.ids);
    for (const k of ["x", "t_x", "T", "monetaryValue", "firstPurchase"] as const) expect(Array.from(t[k]), k).toEqual(Array.from(direct[k]));
  });

  it("toCalibrationTable(summaries) keeps the input order and does not touch the records", () => {
    const input = Object.freeze([
      Object.freeze({ customerId: "z", x: 1, t_x: 2, T: 3, monetaryValue: 4, firstPurchase: new Date("2024-01-02") }),
      Object.freeze({ customerId: "a", x: 0, t_x: 0, T: 3, monetaryValue: 0, firstPurchase: new Date("2024-01-01") }),
    ]);
    const t = toCalibrationTable(input);
    expect(t.ids).toEqual(["z", "a"]);
    // 2024-01-01 is epoch day 19723 (core/time.ts example)
    expect(Array.from(t.firstPurchase)).toEqual([19724, 19723]);
  });

  describe("errors", () => {
    it("toCalibrationTable(bad firstPurchase or x) throws InvalidRecordError naming the customer", () => {
      const ok = { customerId: "a", x: 1, t_x: 2, T: 3, monetaryValue: 4, firstPurchase: new Date("2024-01-02") };
      const e1 = catchError(() => toCalibrationTable([ok, { ...ok, customerId: "b", firstPurchase: new Date("nope") }]));
      expect(e1).toBeInstanceOf(InvalidRecordError);
      expect(e1).toMatchObject({ row: "b", field: "firstPurchase", code: "INVALID_RECORD" });
      const e2 = catchError(() => toCalibrationTable([{ ...ok, x: -1 }]));
      expect(e2).toMatchObject({ row: "a", field: "x", value: -1, expected: "a non-negative integer" });
      expect((e2 as Error).message).toMatch(/^toCalibrationTable: customer "a", field "x"/);
    });
  });
});

describe("probabilityAliveColumn", () => {
  it("probabilityAliveColumn(model, cdnow table) equals probabilityAlive(model, cdnow records) exactly, as do the other column forms", () => {
    expectSameScores([BG, PN], toCalibrationTable(summary), summary);
  });

  it("probabilityAliveColumn(model, simulated 100k base) equals the record form exactly", () => {
    // Seeded BG/NBD simulation with t_x on whole days, as from purchase dates (src/clv/simulate.ts).
    const base = simulateBgNbd(100_000, BG.params, 99, 26, 52, true);
    const table = { x: base.x, t_x: base.tx, T: base.T, monetaryValue: base.monetary };
    expectSameScores([BG, PN], table, simulatedRecords(base));
  });

  it("probabilityAliveColumn(model, table) reads the columns without changing them", () => {
    const table = toCalibrationTable(summary);
    const before = { x: table.x.slice(), t_x: table.t_x.slice(), T: table.T.slice(), m: table.monetaryValue.slice() };
    probabilityAliveColumn(BG, table);
    conditionalExpectedPurchasesColumn(PN, table, { t: 10 });
    customerLifetimeValueColumns(BG, GG, table);
    fitBgNbd(table);
    expect([table.x, table.t_x, table.T, table.monetaryValue]).toEqual([before.x, before.t_x, before.T, before.m]);
  });

  it("probabilityAliveColumn(model, { x, t_x, T } as number arrays) copies them once and gives the same numbers", () => {
    const arrays = { x: [0, 2, 2], t_x: [0, 30.43, 5], T: [30, 38.86, 38.86] };
    const typed = { x: Float64Array.from(arrays.x), t_x: Float64Array.from(arrays.t_x), T: Float64Array.from(arrays.T) };
    expect(probabilityAliveColumn(BG, arrays)).toEqual(probabilityAliveColumn(BG, typed));
    // P(alive) = 1 for x = 0 under BG/NBD (Fader, Hardie & Lee 2005)
    expect(probabilityAliveColumn(BG, typed)[0]).toBe(1);
  });

  it("probabilityAliveColumn(model, t_x a hair above T) clamps it like the record form, without mutating the input", () => {
    const T = 38.86;
    const tx = T * (1 + 1e-13);
    const table = { x: Float64Array.of(3), t_x: Float64Array.of(tx), T: Float64Array.of(T) };
    expect(probabilityAliveColumn(BG, table)[0]).toBe(probabilityAlive(BG, [{ customerId: "a", x: 3, t_x: tx, T }])[0].pAlive);
    expect(probabilityAliveColumn(BG, table)[0]).toBe(probabilityAliveColumn(BG, { x: [3], t_x: [T], T: [T] })[0]);
    expect(table.t_x[0]).toBe(tx);
  });

  it("probabilityAliveColumn(model, generated tables) equals the record form on every path (property)", () => {
    // Rows that reach every branch of the kernels: x = 0, small x (cached factors), x >= 128
    // (direct form), huge T (a factor overflows: direct form), t_x = T, t_x a hair above T
    // (clamped), monetary values with x = 0 that are NaN (not read).
    const row = fc.oneof(
      fc.record({ x: fc.constant(0), f: fc.constant(0), T: fc.double({ min: 0, max: 1e6, noNaN: true }) }),
      fc.record({ x: fc.integer({ min: 1, max: 400 }), f: fc.double({ min: 0, max: 1, noNaN: true }), T: fc.double({ min: 0, max: 100, noNaN: true }) }),
      fc.record({ x: fc.integer({ min: 1, max: 5000 }), f: fc.constantFrom(0, 1, 1 + 1e-13), T: fc.double({ min: 1e-3, max: 1e9, noNaN: true }) }),
    );
    const params = fc.record({ r: fc.double({ min: 0.01, max: 20, noNaN: true }), alpha: fc.double({ min: 0.01, max: 500, noNaN: true }), a: fc.double({ min: 0.01, max: 20, noNaN: true }), b: fc.double({ min: 0.01, max: 20, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), params, fc.double({ min: 0, max: 200, noNaN: true }), (rows, p, t) => {
        const x = Float64Array.from(rows, (r) => r.x);
        const T = Float64Array.from(rows, (r) => r.T);
        const t_x = Float64Array.from(rows, (r) => (r.x === 0 ? 0 : r.f * r.T));
        const monetaryValue = Float64Array.from(rows, (r, i) => (r.x === 0 ? NaN : 1 + i));
        const table = { x, t_x, T, monetaryValue };
        const records = rows.map((r, i) => ({ customerId: `c${i}`, x: x[i], t_x: t_x[i], T: T[i], monetaryValue: r.x === 0 ? 0 : 1 + i }));
        const bg = { model: "bg-nbd", params: p } as BgNbdModel;
        const pa = probabilityAliveColumn(bg, table);
        expect(Array.from(pa)).toEqual(field(probabilityAlive(bg, records), "pAlive"));
        for (const v of pa) expect(v >= 0 && v <= 1).toBe(true);
        expect(Array.from(conditionalExpectedPurchasesColumn(bg, table, { t }))).toEqual(field(conditionalExpectedPurchases(bg, records, { t }), "expectedPurchases"));
        expect(Array.from(conditionalExpectedSpendColumn(GG, table))).toEqual(field(conditionalExpectedSpend(GG, records), "expectedSpend"));
        expect(t_x[t_x.length - 1]).toBe(rows[rows.length - 1].x === 0 ? 0 : rows[rows.length - 1].f * rows[rows.length - 1].T); // input untouched
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it("probabilityAliveColumn(bg, x < 128) agrees with the one-exponential form to 1e-12 relative", () => {
    // The factored form e^(c + (r+x) ln(α+T)) · e^(-(r+x) ln(α+t_x)) against the direct
    // 1 / (1 + e^lr) (FHL 2005), evaluated here by hand.
    const { r, alpha, a, b } = BG.params;
    const rows = [
      [1, 5, 38],
      [2, 30.43, 38.86],
      [7, 1, 52],
      [127, 51.9, 52],
    ];
    const col = probabilityAliveColumn(BG, { x: rows.map((q) => q[0]), t_x: rows.map((q) => q[1]), T: rows.map((q) => q[2]) });
    rows.forEach(([x, tx, T], i) => {
      const direct = 1 / (1 + Math.exp(Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))));
      expect(Math.abs(col[i] / direct - 1)).toBeLessThan(1e-12);
    });
  });

  it("probabilityAliveColumn(model, empty table) returns an empty column", () => {
    expect(probabilityAliveColumn(BG, { x: new Float64Array(0), t_x: new Float64Array(0), T: new Float64Array(0) })).toEqual(new Float64Array(0));
  });

  it("rowOk(x, t_x, T), the fast row check, accepts exactly the rows the record rules accept without clamping (property)", () => {
    // The rules written plainly (docs/clv.md): x a non-negative integer; T, t_x finite >= 0;
    // t_x <= T; t_x = 0 when x = 0.
    const plain = (x: number, tx: number, T: number) =>
      Number.isInteger(x) && x >= 0 && Number.isFinite(T) && T >= 0 && Number.isFinite(tx) && tx >= 0 && tx <= T && (x > 0 || tx === 0);
    const num = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, 2.5, -1, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE), fc.integer({ min: -3, max: 50 }));
    fc.assert(
      fc.property(num, num, num, (x, tx, T) => {
        expect(rowOk(x, tx, T)).toBe(plain(x, tx, T) ? 1 : 0);
      }),
      { numRuns: 5000, seed: 3 },
    );
  });

  describe("errors", () => {
    const good = () => ({ ids: ["a", "b", "c"], x: Float64Array.of(0, 2, 1), t_x: Float64Array.of(0, 5, 3), T: Float64Array.of(10, 10, 10), monetaryValue: Float64Array.of(0, 20, 30) });
    const cases: [string, (t: ReturnType<typeof good>) => void, string, unknown, string][] = [
      ["x not an integer", (t) => (t.x[1] = 1.5), "x", 1.5, "a non-negative integer"],
      ["x negative", (t) => (t.x[1] = -1), "x", -1, "a non-negative integer"],
      ["T NaN", (t) => (t.T[1] = NaN), "T", NaN, "a finite number >= 0"],
      ["t_x infinite", (t) => (t.t_x[1] = Infinity), "t_x", Infinity, "a finite number >= 0"],
      ["t_x above T", (t) => (t.t_x[1] = 11), "t_x", 11, "at most T = 10"],
      ["t_x > 0 with x = 0", (t) => ((t.x[1] = 0), (t.t_x[1] = 4)), "t_x", 4, "0 when x = 0"],
    ];
    for (const [what, spoil, fieldName, value, expected] of cases) {
      it(`probabilityAliveColumn(model, table with ${what}) throws InvalidRecordError with the row, field and value, as the record form does`, () => {
        const t = good();
        spoil(t);
        const e = catchError(() => probabilityAliveColumn(BG, t)) as InvalidRecordError;
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ code: "INVALID_RECORD", row: "b", field: fieldName, expected });
        expect(Object.is(e.value, value)).toBe(true);
        expect(e.message).toMatch(/^probabilityAliveColumn: customer "b"/);
        // without ids the row is the 1-based position
        const noIds = catchError(() => probabilityAliveColumn(BG, { x: t.x, t_x: t.t_x, T: t.T })) as InvalidRecordError;
        expect(noIds).toMatchObject({ row: 2, field: fieldName, expected });
        // the record form reports the same field, value and expectation for the same customer
        const rec = catchError(() => probabilityAlive(BG, [0, 1, 2].map((i) => ({ customerId: t.ids[i], x: t.x[i], t_x: t.t_x[i], T: t.T[i] })))) as InvalidRecordError;
        expect([rec.row, rec.field, rec.expected]).toEqual(["b", fieldName, expected]);
        expect(Object.is(rec.value, value)).toBe(true);
        // and so does a fit on the table
        expect(catchError(() => fitBgNbd(t))).toMatchObject({ row: "b", field: fieldName });
      });
    }

    it("conditionalExpectedSpendColumn(gg, table with x > 0 and monetaryValue NaN) throws InvalidRecordError; 0 is left out (0); x = 0 rows are not read", () => {
      const t = good();
      t.monetaryValue[2] = NaN;
      expect(catchError(() => conditionalExpectedSpendColumn(GG, t))).toMatchObject({ row: "c", field: "monetaryValue", expected: "a finite number when x > 0 (a mean <= 0 is left out of the spend model)" });
      t.monetaryValue[2] = 0; // returns netted to zero: outside the spend model, valued 0 (issue 15)
      expect(conditionalExpectedSpendColumn(GG, t)[2]).toBe(0);
      const t2 = good();
      t2.monetaryValue[0] = NaN; // x = 0: population mean, value not read
      // population mean p γ / (q - 1) = 6.25 · 15.44 / 2.74 (Fader, Hardie & Lee 2005b)
      expect(conditionalExpectedSpendColumn(GG, t2)[0]).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
    });

    it("conditionalExpectedSpendColumn(gg, table without monetaryValue) throws InvalidOptionError naming the column", () => {
      const { ids, x, t_x, T } = good();
      const e = catchError(() => conditionalExpectedSpendColumn(GG, { ids, x, t_x, T }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "table.monetaryValue" });
      expect(catchError(() => fitGammaGamma({ ids, x, t_x, T }))).toMatchObject({ option: "table.monetaryValue" });
    });

    it("probabilityAliveColumn(model, columns of different lengths or a non-array column) throws InvalidOptionError", () => {
      const t = good();
      expect(catchError(() => probabilityAliveColumn(BG, { ...t, T: Float64Array.of(10, 10) }))).toMatchObject({ code: "INVALID_OPTION", option: "table.T" });
      expect(catchError(() => probabilityAliveColumn(BG, { ...t, ids: ["a"] }))).toMatchObject({ code: "INVALID_OPTION", option: "table.ids" });
      expect(catchError(() => probabilityAliveColumn(BG, { ...t, x: "012" as never }))).toMatchObject({ code: "INVALID_OPTION", option: "table.x" });
      expect(catchError(() => probabilityAliveColumn(BG, { x: [0, "1" as never], t_x: [0, 0], T: [1, 1] }))).toMatchObject({ code: "INVALID_RECORD", row: 2, field: "x", value: "1" });
    });

    it("conditionalExpectedPurchasesColumn(model, table, bad t) and a bad model throw InvalidOptionError", () => {
      expect(catchError(() => conditionalExpectedPurchasesColumn(BG, good(), { t: -1 }))).toMatchObject({ option: "t", value: -1 });
      expect(catchError(() => probabilityAliveColumn({ model: "bg-nbd", params: { r: 1 } } as never, good()))).toMatchObject({ option: "model" });
      expect(catchError(() => customerLifetimeValueColumns(BG, GG, good(), { horizon: 0 }))).toMatchObject({ option: "horizon" });
    });
  });
});

describe("fitBgNbd", () => {
  it("fitBgNbd(cdnow table), fitParetoNbd and fitGammaGamma give exactly the fits of the records", () => {
    const table = toCalibrationTable(summary);
    expect(fitBgNbd(table)).toEqual(fitBgNbd(summary));
    expect(fitParetoNbd(table)).toEqual(fitParetoNbd(summary));
    expect(fitGammaGamma(table)).toEqual(fitGammaGamma(summary));
    // and the published CDNOW values (Fader, Hardie & Lee 2005): r = 0.243, alpha = 4.414
    const m = fitBgNbd(calibrationTable(tx, { calibrationEnd: "1997-09-30", timeUnit: "weeks" }));
    expect(m.params.r).toBeCloseTo(0.243, 3);
    expect(m.params.alpha).toBeCloseTo(4.414, 3);
  });

  it("fitBgNbd(transaction table, { calibrationEnd }) equals fitBgNbd(records) without building summary records", () => {
    const opts = { calibrationEnd: "1997-09-30", timeUnit: "weeks" as const };
    const fromLog = fitBgNbd(tx, opts);
    expect(fitBgNbd(toTransactionTable(tx), opts)).toEqual(fromLog);
    expect(fromLog).toEqual(fitBgNbd(summary));
    expect(fitGammaGamma(toTransactionTable(tx), opts)).toEqual(fitGammaGamma(summary));
  });

  it("fitBgNbd(empty table) throws EMPTY_INPUT", () => {
    const e = catchError(() => fitBgNbd({ x: new Float64Array(0), t_x: new Float64Array(0), T: new Float64Array(0) }));
    expect(e).toBeInstanceOf(AnalyticsError);
    expect(e).toMatchObject({ code: "EMPTY_INPUT" });
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
