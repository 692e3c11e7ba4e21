import { beforeAll, describe, expect, it } from "vitest";
import {
  abcClasses,
  abcClassesColumns,
  customerRecords,
  InvalidOptionError,
  InvalidRecordError,
  paretoAnalysis,
  rfm,
  rfmColumns,
  type CustomerSummary,
  type CustomerTable,
  type RfmColumnsResult,
  type RfmOptions,
  type RfmResult,
} from "../../src/index.js";
import { cdnowTable } from "./cdnow.js";
import { catchError, syntheticBase } from "./helpers.js";

let table: CustomerTable;
let records: CustomerSummary[];

beforeAll(async () => {
  table = await cdnowTable();
  records = customerRecords(table);
});

/** The column result and the record result say the same thing, row by row and in every table field. */
function expectSameRfm(col: RfmColumnsResult, rec: RfmResult): void {
  const n = rec.customers.length;
  expect(col.length).toBe(n);
  expect(Array.from(col.r)).toEqual(rec.customers.map((c) => c.r));
  expect(Array.from(col.f)).toEqual(rec.customers.map((c) => c.f));
  expect(Array.from(col.m)).toEqual(rec.customers.map((c) => c.m));
  expect(Array.from(col.rfmScore)).toEqual(rec.customers.map((c) => c.rfmScore));
  expect(Array.from(col.composite)).toEqual(rec.customers.map((c) => c.composite));
  expect(Array.from(col.cell.codes, (k) => col.cell.values[k])).toEqual(rec.customers.map((c) => c.cell));
  expect(Array.from(col.segment.codes, (k) => col.segment.values[k])).toEqual(rec.customers.map((c) => c.segment));
  const { customers: _, ...recRest } = rec;
  const { length: _l, r: _r, f: _f, m: _m, rfmScore: _s, composite: _c, cell: _ce, segment: _se, ...colRest } = col;
  expect(colRest).toEqual(recRest);
  // segment.values is aligned with segmentCounts, and every row is counted once
  expect(col.segment.values).toEqual(col.segmentCounts.map((s) => s.segment));
  const counts = new Array<number>(col.segment.values.length).fill(0);
  for (const k of col.segment.codes) counts[k]++;
  expect(counts).toEqual(col.segmentCounts.map((s) => s.count));
}

const OPTIONS: [string, RfmOptions][] = [
  ["defaults", {}],
  ["R-package compatibility, rfm-0.3 rules", { compatibility: "rfm-package", segments: "rfm-0.3" }],
  ["dense ties, average monetary, AHP-like weights", { ties: "dense", monetary: "average", weights: [0.6, 0.3, 0.1], segments: [] }],
  ["fixed thresholds and 4 bins", { thresholds: { r: [30, 90, 180, 365] }, bins: 4, segments: [] }],
];

describe("rfmColumns", () => {
  for (const [what, options] of OPTIONS) {
    it(`rfmColumns(cdnow table, ${what}) equals rfm(cdnow records) exactly`, () => {
      expectSameRfm(rfmColumns(table, options), rfm(records, options));
    });
  }

  it("rfmColumns(simulated 100k table) equals rfm(records) exactly, for Int32 and Float64 columns", () => {
    const { cols, records: recs } = syntheticBase(100_000, 7);
    const rec = rfm(recs);
    expectSameRfm(rfmColumns(cols), rec);
    const asF64 = { ...cols, recencyDays: Float64Array.from(cols.recencyDays), frequency: Float64Array.from(cols.frequency) };
    expectSameRfm(rfmColumns(asF64), rec);
    expectSameRfm(rfmColumns(cols, { monetary: "average", ties: "dense" }), rfm(recs, { monetary: "average", ties: "dense" }));
  });

  it("rfmColumns(cdnow table) gives the CDNOW grid counts of the record form (issue 3 regression)", () => {
    // Same run as test/rfm/rfm.test.ts: 2,357 customers, every one in exactly one segment.
    const res = rfmColumns(table);
    expect(res.segmentCounts.reduce((s, c) => s + c.count, 0)).toBe(2357);
    expect(res.cell.values.length).toBeLessThanOrEqual(125);
  });

  it("rfmColumns(table) does not change its input columns", () => {
    const { cols } = syntheticBase(1000, 3);
    const before = { r: cols.recencyDays.slice(), f: cols.frequency.slice(), m: cols.totalSpend.slice() };
    rfmColumns(cols, { ties: "dense" });
    expect([cols.recencyDays, cols.frequency, cols.totalSpend]).toEqual([before.r, before.f, before.m]);
  });

  it("rfmColumns(empty table) gives empty columns and zero counts", () => {
    const res = rfmColumns({ recencyDays: new Int32Array(0), frequency: new Int32Array(0), totalSpend: new Float64Array(0) }, { segments: [] });
    expect(res.length).toBe(0);
    expect(res.r).toEqual(new Uint8Array(0));
    expect(res.segmentCounts).toEqual([{ segment: "Others", count: 0 }]);
  });

  describe("errors", () => {
    it("rfmColumns(table with a NaN spend) throws InvalidRecordError naming the customer, field and value", () => {
      const { cols, records: recs } = syntheticBase(10, 1);
      cols.totalSpend[4] = NaN;
      const e = catchError(() => rfmColumns(cols)) as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ code: "INVALID_RECORD", row: "C4", field: "totalSpend", expected: "a finite amount" });
      expect(e.value).toBeNaN();
      // the record form says the same
      const rec = catchError(() => rfm(recs.map((r, i) => (i === 4 ? { ...r, totalSpend: NaN } : r)))) as InvalidRecordError;
      expect([rec.row, rec.field, rec.expected]).toEqual(["C4", "totalSpend", "a finite amount"]);
      // without ids, the 1-based row
      const { ids: _ids, ...noIds } = cols;
      expect(catchError(() => rfmColumns(noIds))).toMatchObject({ row: 5, field: "totalSpend" });
    });

    it("rfmColumns(table with an infinite Float64 recency or average) names that field", () => {
      const { cols } = syntheticBase(10, 1);
      expect(catchError(() => rfmColumns({ ...cols, recencyDays: Float64Array.of(1, 2, 3, Infinity, 5, 6, 7, 8, 9, 10) }))).toMatchObject({ row: "C3", field: "recencyDays", value: Infinity });
      cols.averageOrderValue[0] = -Infinity;
      expect(catchError(() => rfmColumns(cols, { monetary: "average" }))).toMatchObject({ row: "C0", field: "averageOrderValue", value: -Infinity });
    });

    it("rfmColumns(columns of different lengths, a missing column or a bad option) throws InvalidOptionError", () => {
      const { cols } = syntheticBase(10, 1);
      expect(catchError(() => rfmColumns({ ...cols, frequency: new Int32Array(9) }))).toBeInstanceOf(InvalidOptionError);
      expect(catchError(() => rfmColumns({ ...cols, frequency: new Int32Array(9) }))).toMatchObject({ option: "table.frequency" });
      expect(catchError(() => rfmColumns({ ...cols, ids: ["x"] }))).toMatchObject({ option: "table.ids" });
      expect(catchError(() => rfmColumns({ ...cols, averageOrderValue: undefined }, { monetary: "average" }))).toMatchObject({ option: "table.averageOrderValue" });
      expect(catchError(() => rfmColumns({ ...cols, totalSpend: [1, 2] as never }))).toMatchObject({ option: "table.totalSpend" });
      expect(catchError(() => rfmColumns(cols, { bins: 1 }))).toMatchObject({ code: "INVALID_OPTION", option: "bins" });
    });
  });
});

describe("abcClassesColumns", () => {
  it("abcClassesColumns(cdnow totalSpend column) equals abcClasses(cdnow values) exactly, both methods", () => {
    const values = records.map((r) => r.totalSpend);
    for (const options of [{}, { by: "customers" as const }, { negatives: "zero" as const, cutoffs: [0.5, 0.9] as const }]) {
      const col = abcClassesColumns(table.totalSpend, options);
      const rec = abcClasses(values, options);
      expect(Array.from(col.classes.codes, (k) => col.classes.values[k])).toEqual(rec.classes);
      const { classes: _c, ...colRest } = col;
      const { classes: _r, ...recRest } = rec;
      expect(colRest).toEqual(recRest);
    }
  });

  it("abcClassesColumns(simulated 100k spend) equals abcClasses exactly and codes follow the groups", () => {
    const { cols } = syntheticBase(100_000, 11);
    const col = abcClassesColumns(cols.totalSpend);
    const rec = abcClasses(Array.from(cols.totalSpend));
    expect(Array.from(col.classes.codes, (k) => col.classes.values[k])).toEqual(rec.classes);
    expect(col.classes.values).toEqual(col.groups.map((g) => g.class));
  });

  it("abcClassesColumns(values with a negative) throws InvalidRecordError with the 1-based row", () => {
    const e = catchError(() => abcClassesColumns(Float64Array.of(3, -1, 2)));
    expect(e).toBeInstanceOf(InvalidRecordError);
    expect(e).toMatchObject({ row: 2, field: "value", value: -1 });
    expect((e as Error).message).toMatch(/^abcClassesColumns:/);
  });
});

describe("paretoAnalysis", () => {
  it("paretoAnalysis(cdnow totalSpend column) equals paretoAnalysis(number array): it already reads a column", () => {
    expect(paretoAnalysis(table.totalSpend)).toEqual(paretoAnalysis(records.map((r) => r.totalSpend)));
  });
});
