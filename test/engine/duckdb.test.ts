/**
 * The DuckDB engine against the in-process reference: every field of the customer table, the
 * calibration table, the baskets and the ingestion report, on CDNOW, a generated log with
 * returns, cancellations, same-day orders and broken rows (CSV, NDJSON and Parquet), and the
 * Groceries baskets. Integers must be equal; doubles equal within 1e-9 relative (an absolute
 * floor of 1e-9 for values near 0), since DuckDB adds money in another order than the loop.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import type { CalibrationTable, CustomerTable } from "../../src/core/table.js";
import { readTransactionTable, type ReadTransactionTableOptions } from "../../src/io/readTable.js";
import { basketsFromTable } from "../../src/rules/fromTable.js";
import { readBaskets } from "../../src/rules/read.js";
import type { Baskets } from "../../src/rules/baskets.js";
import { calibrationTable, summarizeCustomersTable } from "../../src/summary/summarize.js";
import { generatedLog } from "./fixtures.js";
import { expectCalibrationEqual, expectCustomersEqual } from "./compare.js";
import { basketsFromLinesWithDuckDb, basketsWithDuckDb, calibrationWithDuckDb, openDuckDbSource, summarizeWithDuckDb, type DuckDbSourceOptions } from "../../src/engine/index.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const GROCERIES = "../shared/data/groceries/groceries.csv";
const CDNOW_OPTIONS = { delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" } as const;

function expectBasketsEqual(got: Baskets, want: Baskets): void {
  expect(got.count).toBe(want.count);
  expect(got.items).toEqual(want.items);
  expect(got.ids).toEqual(want.ids);
  expect([...got.offsets]).toEqual([...want.offsets]);
  expect([...got.itemIds]).toEqual([...want.itemIds]);
}

describe("summarizeWithDuckDb", () => {
  it("summarizeWithDuckDb(CDNOW) gives exactly the in-process customer table and reports", async () => {
    const ref = await readTransactionTable(CDNOW, { format: "csv", ...CDNOW_OPTIONS });
    const want = summarizeCustomersTable(ref.table, { asOf: "1998-06-30" });
    const got = await summarizeWithDuckDb(CDNOW, { ...CDNOW_OPTIONS, asOf: "1998-06-30", threads: 1 });
    // CDNOW README: 6,919 lines, 2,357 customers.
    expect(got.ingestion.rowsRead).toBe(6919);
    expect(got.customers.length).toBe(2357);
    expectCustomersEqual(got.customers, want.customers, "cdnow");
    expect(got.summary).toEqual(want.report);
    expect(got.ingestion).toEqual(ref.report);
  });

  it("summarizeWithDuckDb(CDNOW) without asOf uses the last day, with 2 threads and a memory limit", async () => {
    const ref = await readTransactionTable(CDNOW, { format: "csv", ...CDNOW_OPTIONS });
    const want = summarizeCustomersTable(ref.table, { periodDays: 7 });
    const got = await summarizeWithDuckDb(CDNOW, { ...CDNOW_OPTIONS, periodDays: 7, threads: 2, memoryLimit: 256 * 2 ** 20 });
    expectCustomersEqual(got.customers, want.customers, "cdnow, 2 threads");
    expect(got.summary).toEqual(want.report);
  });
});

describe("calibrationWithDuckDb", () => {
  it("calibrationWithDuckDb(CDNOW, 1997-09-30, weeks) gives exactly calibrationTable", async () => {
    const ref = await readTransactionTable(CDNOW, { format: "csv", ...CDNOW_OPTIONS });
    for (const groupBy of ["day", "order"] as const) {
      const want = calibrationTable(ref.table, { calibrationEnd: "1997-09-30", timeUnit: "weeks", groupBy });
      const got = await calibrationWithDuckDb(CDNOW, { ...CDNOW_OPTIONS, calibrationEnd: "1997-09-30", timeUnit: "weeks", groupBy, threads: 1 });
      expectCalibrationEqual(got.calibration, want, `cdnow ${groupBy}`);
    }
  });
});

describe("basketsFromLinesWithDuckDb", () => {
  it("basketsFromLinesWithDuckDb(groceries.csv) gives exactly readBaskets: 9,835 baskets, 169 items", async () => {
    const want = await readBaskets(GROCERIES);
    const got = await basketsFromLinesWithDuckDb(GROCERIES, { delimiter: ",", threads: 1 });
    // ../shared/data/groceries/README.md: 9,835 transactions, 169 items after trimming.
    expect(got.count).toBe(9835);
    expect(got.items).toHaveLength(169);
    expect(got.items).toEqual(want.items);
    expect([...got.offsets]).toEqual([...want.offsets]);
    expect([...got.itemIds]).toEqual([...want.itemIds]);
  });
});

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

describe("openDuckDbSource", () => {
  const tmp = mkdtempSync(join(tmpdir(), "ca-engine-"));
  const csv = join(tmp, "log.csv");
  const ndjson = join(tmp, "log.ndjson");
  let parquetDir = "";
  const lenient: ReadTransactionTableOptions = { mode: "lenient" };
  beforeAll(async () => {
    const { header, rows } = generatedLog();
    writeFileSync(csv, [header.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n");
    writeFileSync(ndjson, rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h, j) => [h, r[j]])))).join("\n") + "\n");
    // Parquet: the same text columns (empty cells as empty strings, not NULL), split over two
    // files of a folder (written by DuckDB itself).
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    parquetDir = join(tmp, "parquet");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(parquetDir);
    const half = Math.floor(rows.length / 2);
    await conn.run(`CREATE TABLE t AS SELECT row_number() OVER () AS n, * FROM read_csv('${csv}', all_varchar = true, header = true)`);
    await conn.run(`COPY (SELECT COALESCE(COLUMNS(* EXCLUDE (n)), '') FROM t WHERE n <= ${half} ORDER BY n) TO '${parquetDir}/part-0.parquet' (FORMAT parquet)`);
    await conn.run(`COPY (SELECT COALESCE(COLUMNS(* EXCLUDE (n)), '') FROM t WHERE n > ${half} ORDER BY n) TO '${parquetDir}/part-1.parquet' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
  });

  for (const [label, path, opts] of [
    ["CSV", () => csv, {}],
    ["NDJSON", () => ndjson, {}],
    ["a folder of Parquet files", () => parquetDir, {}],
  ] as const) {
    it(`openDuckDbSource(${label}) mirrors the in-process reader, summary, calibration and baskets on a log with returns, cancellations and same-day orders`, async () => {
      const ref = await readTransactionTable(label === "NDJSON" ? ndjson : csv, lenient);
      const src = await openDuckDbSource(path(), { ...opts, mode: "lenient", threads: 2 } as DuckDbSourceOptions);
      try {
        expect(src.ingestion).toEqual(ref.report);
        const t = await src.table();
        for (const k of ["length", "ids", "orderIds", "channel"] as const) expect(t[k], k).toEqual(ref.table[k]);
        for (const k of ["customer", "day", "amount", "order"] as const) expect([...t[k]], k).toEqual([...ref.table[k]]);
        expect(t.items?.labels).toEqual(ref.table.items?.labels);
        expect([...(t.items?.offsets ?? [])]).toEqual([...(ref.table.items?.offsets ?? [])]);
        expect([...(t.items?.codes ?? [])]).toEqual([...(ref.table.items?.codes ?? [])]);
        // The fixture exercises what it claims to.
        expect(ref.report.cancellations).toBeGreaterThan(0);
        expect(ref.report.duplicates).toBeGreaterThan(0);
        expect(ref.report.rejectedByReason.map((r) => r.reason).sort()).toEqual(["invalid-amount", "invalid-date", "missing-amount", "missing-customerId", "missing-date"]);
        for (const asOf of [undefined, "2023-09-30"]) {
          const want = summarizeCustomersTable(ref.table, { asOf });
          const got = await src.summarize({ asOf });
          expect(want.report.returnOnlyOrders).toBeGreaterThan(0);
          expectCustomersEqual(got.customers, want.customers, `${label} asOf ${asOf}`);
          expect(got.summary).toEqual(want.report);
        }
        for (const groupBy of ["day", "order"] as const) {
          const want = calibrationTable(ref.table, { calibrationEnd: "2023-12-31", timeUnit: "days", groupBy });
          expectCalibrationEqual(await src.calibration({ calibrationEnd: "2023-12-31", timeUnit: "days", groupBy }), want, `${label} ${groupBy}`);
        }
        for (const by of ["order", "customer"] as const) {
          for (const includeReturns of [false, true]) {
            expectBasketsEqual(await src.baskets({ by, includeReturns }), basketsFromTable(ref.table, { by, includeReturns }));
          }
        }
      } finally {
        src.close();
      }
    });
  }

  it("basketsWithDuckDb(log) gives basketsFromTable's baskets", async () => {
    const ref = await readTransactionTable(csv, lenient);
    const { baskets } = await basketsWithDuckDb(csv, { mode: "lenient", threads: 1 });
    expectBasketsEqual(baskets, basketsFromTable(ref.table));
  });

  const ndjsonNoId = () => {
    const p = join(tmp, "noid.ndjson");
    writeFileSync(p, '{"when":"2024-01-01","amount":1}\n');
    return p;
  };

  it("openDuckDbSource(a file whose rows are all invalid) gives empty tables and the in-process reports", async () => {
    const p = join(tmp, "bad.ndjson");
    writeFileSync(p, '{"customerId":"a","date":"nope","amount":1}\n{"customerId":"","date":"2024-01-01","amount":1}\n');
    const ref = await readTransactionTable(p, lenient);
    const src = await openDuckDbSource(p, { mode: "lenient", threads: 1 });
    try {
      expect(src.ingestion).toEqual(ref.report);
      const got = await src.summarize();
      const want = summarizeCustomersTable(ref.table);
      expect(got.customers.length).toBe(0);
      expect(got.summary).toEqual(want.report);
      expect((await src.calibration()).length).toBe(0);
      expect((await src.baskets()).count).toBe(0);
    } finally {
      src.close();
    }
  });

  it("openDuckDbSource(CSV with rows that cannot be split) counts them as malformed rows with their row numbers, as in process", async () => {
    const p = join(tmp, "broken.csv");
    writeFileSync(p, 'customer,date,amount\na,2024-01-01,1\nb,2024-01-02,2,extra\nc,2024-01-03,3\nd,"2024-01-04,4\n');
    const ref = await readTransactionTable(p, lenient);
    const src = await openDuckDbSource(p, { mode: "lenient", threads: 1 });
    try {
      const strip = (r: typeof ref.report) => r.rejectedByReason.map((x) => ({ reason: x.reason, count: x.count, rows: x.examples.map((e) => [e.row, e.field, e.value]) }));
      expect(strip(src.ingestion)).toEqual(strip(ref.report)); // the messages differ: DuckDB's explanation
      expect([src.ingestion.rowsRead, src.ingestion.accepted]).toEqual([4, 2]);
      expect([src.ingestion.rowsRead, src.ingestion.accepted]).toEqual([ref.report.rowsRead, ref.report.accepted]);
    } finally {
      src.close();
    }
    const strict = await openDuckDbSource(p, { threads: 1 }).catch((x: unknown) => x);
    const inProcess = await readTransactionTable(p).catch((x: unknown) => x);
    expect(strict).toBeInstanceOf(InvalidRecordError);
    expect([(strict as InvalidRecordError).row, (strict as InvalidRecordError).field, (strict as InvalidRecordError).value])
      .toEqual([(inProcess as InvalidRecordError).row, (inProcess as InvalidRecordError).field, (inProcess as InvalidRecordError).value]);
  });

  describe("errors", () => {
    it("openDuckDbSource(log) in strict mode names the first bad row, field and value as the in-process reader does", async () => {
      const inProcess = await readTransactionTable(csv).catch((e: unknown) => e);
      const engine = await openDuckDbSource(csv, { threads: 1 }).catch((e: unknown) => e);
      expect(inProcess).toBeInstanceOf(InvalidRecordError);
      expect(engine).toBeInstanceOf(InvalidRecordError);
      const a = inProcess as InvalidRecordError;
      const b = engine as InvalidRecordError;
      expect([b.row, b.field, b.value, b.expected]).toEqual([a.row, a.field, a.value, a.expected]);
      expect(b.message).toBe(a.message.replace("readTransactionTable", "openDuckDbSource"));
    });

    it("openDuckDbSource passes memoryLimit to DuckDB: 1 MB cannot hold the CSV reader's buffers, a TOO_LARGE error", async () => {
      const e = await openDuckDbSource(csv, { memoryLimit: "1MB", threads: 1, tempDirectory: join(tmp, "no", "such", "dir") }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AnalyticsError);
      expect((e as AnalyticsError).code).toBe("TOO_LARGE");
      expect((e as Error).message).toMatch(/^openDuckDbSource: DuckDB ran out of memory/);
    });

    it("openDuckDbSource refuses a date format, time zone or duplicates option the in-process reader refuses, naming the option", async () => {
      const e = await openDuckDbSource(csv, { dateFormat: "YYYY/MM/DD" as "iso" }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe("dateFormat");
      const z = await openDuckDbSource(csv, { timeZone: "Mars/Olympus_Mons" }).catch((x: unknown) => x);
      expect([(z as InvalidOptionError).option, (z as InvalidOptionError).value]).toEqual(["timeZone", "Mars/Olympus_Mons"]);
      const inProcess = await readTransactionTable(csv, { timeZone: "Mars/Olympus_Mons" }).catch((x: unknown) => x);
      expect((inProcess as InvalidOptionError).option).toBe("timeZone");
      const d = await openDuckDbSource(csv, { duplicates: "merge" as "drop" }).catch((x: unknown) => x);
      expect((d as InvalidOptionError).option).toBe("duplicates");
    });

    it("openDuckDbSource names a missing required column, a bad memory limit and an unreadable file", async () => {
      // A given column the header lacks is a misspelt name, as in process.
      const m = await openDuckDbSource(csv, { columns: { amount: "nope" }, threads: 1 }).catch((x: unknown) => x);
      expect(m).toBeInstanceOf(InvalidOptionError);
      expect([(m as InvalidOptionError).option, (m as InvalidOptionError).value]).toEqual(["columns.amount", "nope"]);
      expect((m as Error).message).toContain('the header has no column "nope"');
      // No column named like a customer id at all: the missing column is named.
      const noId = await openDuckDbSource(ndjsonNoId(), { threads: 1 }).catch((x: unknown) => x);
      expect((noId as InvalidOptionError).option).toBe("columns.customerId");
      const bad = await openDuckDbSource(csv, { memoryLimit: "lots" }).catch((x: unknown) => x);
      expect((bad as InvalidOptionError).option).toBe("memoryLimit");
      const missing = await openDuckDbSource(join(tmp, "nope.csv")).catch((x: unknown) => x);
      expect((missing as AnalyticsError).code).toBe("IO_ERROR");
      expect((missing as Error).message).toContain("nope.csv");
    });
  });
});
