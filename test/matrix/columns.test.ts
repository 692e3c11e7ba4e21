import { beforeAll, describe, expect, it } from "vitest";
import {
  behaviorMatrix,
  behaviorMatrixColumns,
  customerRecords,
  InvalidOptionError,
  InvalidRecordError,
  type BehaviorMatrixColumnsResult,
  type BehaviorMatrixOptions,
  type BehaviorMatrixResult,
  type CustomerSummary,
  type CustomerTable,
} from "../../src/index.js";
import { cdnowTable } from "../rfm/cdnow.js";
import { catchError, syntheticBase } from "../rfm/helpers.js";

let table: CustomerTable;
let records: CustomerSummary[];

beforeAll(async () => {
  table = await cdnowTable();
  records = customerRecords(table);
});

function expectSameMatrix(col: BehaviorMatrixColumnsResult, rec: BehaviorMatrixResult): void {
  const q = col.quadrant;
  expect(col.length).toBe(rec.customers.length);
  expect(Array.from(q.codes, (k) => q.values[k])).toEqual(rec.customers.map((c) => c.quadrant));
  // high frequency = code 0 or 2, high amount = code 0 or 1 (the documented code layout)
  expect(Array.from(q.codes, (k) => [k === 0 || k === 2, k <= 1])).toEqual(rec.customers.map((c) => [c.highFrequency, c.highAmount]));
  expect(col.summary).toEqual(rec.summary);
  expect(col.thresholds).toEqual(rec.thresholds);
}

const OPTIONS: [string, BehaviorMatrixOptions][] = [
  ["median splits", {}],
  ["mean and fixed splits", { frequencyThreshold: "mean", amountThreshold: 30 }],
];

describe("behaviorMatrixColumns", () => {
  for (const [what, options] of OPTIONS) {
    it(`behaviorMatrixColumns(cdnow table, ${what}) equals behaviorMatrix(cdnow records) exactly`, () => {
      expectSameMatrix(behaviorMatrixColumns(table, options), behaviorMatrix(records, options));
    });
  }

  it("behaviorMatrixColumns(cdnow table) reproduces the issue's quadrant counts", () => {
    // Issue 3 (independent code): Best 665, Spenders 513, Frequent 474, Uncertain 705.
    expect(behaviorMatrixColumns(table).summary.map((s) => s.count)).toEqual([665, 513, 474, 705]);
  });

  it("behaviorMatrixColumns(simulated 100k table) equals behaviorMatrix(records) exactly", () => {
    const { cols, records: recs } = syntheticBase(100_000, 5);
    expectSameMatrix(behaviorMatrixColumns(cols), behaviorMatrix(recs));
  });

  it("behaviorMatrixColumns(empty table) gives null thresholds and four empty quadrants", () => {
    const m = behaviorMatrixColumns({ frequency: new Int32Array(0), averageOrderValue: new Float64Array(0), totalSpend: new Float64Array(0) });
    expect(m.thresholds).toEqual({ frequency: null, averageOrderValue: null });
    expect(m.summary.map((s) => s.count)).toEqual([0, 0, 0, 0]);
  });

  describe("errors", () => {
    it("behaviorMatrixColumns(table with a NaN amount) throws InvalidRecordError naming the customer, field and value", () => {
      const { cols } = syntheticBase(5, 2);
      cols.averageOrderValue[3] = NaN;
      const e = catchError(() => behaviorMatrixColumns(cols)) as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e).toMatchObject({ row: "C3", field: "averageOrderValue", expected: "a finite amount" });
      expect(e.value).toBeNaN();
      const { ids: _ids, ...noIds } = cols;
      expect(catchError(() => behaviorMatrixColumns(noIds))).toMatchObject({ row: 4, field: "averageOrderValue" });
    });

    it("behaviorMatrixColumns(columns of different lengths or a bad threshold) throws InvalidOptionError", () => {
      const { cols } = syntheticBase(5, 2);
      expect(catchError(() => behaviorMatrixColumns({ ...cols, totalSpend: new Float64Array(4) }))).toBeInstanceOf(InvalidOptionError);
      expect(catchError(() => behaviorMatrixColumns({ ...cols, totalSpend: new Float64Array(4) }))).toMatchObject({ option: "table.totalSpend" });
      expect(catchError(() => behaviorMatrixColumns(cols, { amountThreshold: "mode" as never }))).toMatchObject({ option: "amountThreshold" });
    });
  });
});
