/**
 * The reader options the DuckDB engine mirrors beyond the defaults, each against the in-process
 * reader on the same file (report, accepted days and amounts exactly, strict-mode error): date
 * formats (DD/MM/YYYY, MM/DD/YYYY, epoch-ms, epoch-s), IANA time zones around their
 * transitions, amounts from quantity × unit price, sources without amounts, `duplicates:
 * "drop"`, and attribute columns.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { readTransactionTable, type ReadTransactionTableOptions } from "../../src/io/readTable.js";
import { calibrationTable, summarizeCustomersTable } from "../../src/summary/summarize.js";
import { openDuckDbSource, openTransactionSource, type DuckDbSourceOptions } from "../../src/engine/index.js";
import { expectCalibrationEqual, expectCustomersEqual } from "./compare.js";
import { generatedLog } from "./fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "ca-engine-options-"));
const RETAIL = "test/fixtures/cli/retail.csv";

const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
function writeCsv(name: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const p = join(tmp, name);
  writeFileSync(p, [header.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n");
  return p;
}
function writeNdjson(name: string, rows: readonly Record<string, unknown>[]): string {
  const p = join(tmp, name);
  writeFileSync(p, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return p;
}

/** Both readers on `file` in lenient mode: equal reports, accepted rows, days and amounts (-0 included), and the same strict-mode error. */
async function compare(file: string, options: DuckDbSourceOptions = {}): Promise<Awaited<ReturnType<typeof readTransactionTable>>> {
  const shared = { maxExamples: 1000, ...options } as ReadTransactionTableOptions & DuckDbSourceOptions;
  const ref = await readTransactionTable(file, { ...shared, mode: "lenient" } as ReadTransactionTableOptions);
  const src = await openDuckDbSource(file, { ...shared, mode: "lenient", threads: 1 });
  try {
    expect(src.ingestion).toEqual(ref.report);
    const t = await src.table();
    expect(t.ids).toEqual(ref.table.ids);
    expect([...t.day]).toEqual([...ref.table.day]);
    expect([...t.amount]).toEqual([...ref.table.amount]); // exact, -0 for returns of no value included (toEqual tells -0 from 0)
    expect([...t.customer]).toEqual([...ref.table.customer]);
  } finally {
    src.close();
  }
  const a = await readTransactionTable(file, { ...shared, mode: "strict" } as ReadTransactionTableOptions).catch((e: unknown) => e);
  const b = await openDuckDbSource(file, { ...shared, mode: "strict", threads: 1 }).then((s) => (s.close(), null), (e: unknown) => e);
  if (a instanceof InvalidRecordError) {
    expect(b).toBeInstanceOf(InvalidRecordError);
    expect((b as Error).message).toBe(a.message.replace("readTransactionTable", "openDuckDbSource"));
  } else expect(b).toBeNull();
  return ref;
}

describe("openDuckDbSource date formats", () => {
  const SLASHED = [
    "01/02/2024", "1/2/2024", "31/12/2024", "12/31/2024", "29/02/2024", "29/02/2023", "02/29/2024", "31.01.2024", "31-01-2024", "1/2/2024 8:26",
    "12/1/2010 8:26", "1/2/2024T10:00", "01/02/24", "001/02/2024", "00/01/2024", "13/13/2024", " 05/06/2007 ", "5/6/2007 x\ry", "2024-01-02", "", "x",
  ];
  it("reads DD/MM/YYYY and MM/DD/YYYY texts (separators, times, impossible dates) as the in-process reader", async () => {
    const rows = SLASHED.map((date, i) => ({ customerId: `c${i % 5}`, date, amount: "1" }));
    for (const dateFormat of ["DD/MM/YYYY", "MM/DD/YYYY"] as const) {
      const ref = await compare(writeNdjson(`slashed-${dateFormat.slice(0, 2)}.ndjson`, rows), { dateFormat });
      expect(ref.report.accepted).toBeGreaterThanOrEqual(8);
      expect(ref.report.rejected).toBeGreaterThan(5);
    }
    // A JSON number is not a slashed date.
    await compare(writeNdjson("slashed-number.ndjson", [{ customerId: "a", date: 20240102, amount: 1 }]), { dateFormat: "DD/MM/YYYY" });
  });

  it("reads epoch-ms and epoch-s as texts and JSON numbers, in UTC, a fixed offset and an IANA zone", async () => {
    const values: unknown[] = [0, -1, 86_399_999, 86_400_000, 1.7e12, 1_700_000_000, 1_700_000_000.5, "1700000000", " 1700000000123 ", "+5", "-86400",
      "1.5", "1e3", "", "abc", 8.64e15, 8.64e15 + 1, 8.64e12, 8.64e12 + 1, -8.64e12, 1e300, "00012"];
    const rows = values.map((date, i) => ({ customerId: `c${i % 3}`, date, amount: 2 }));
    for (const dateFormat of ["epoch-ms", "epoch-s"] as const) {
      for (const timeZone of ["UTC", "-03:30", "America/New_York"]) {
        await compare(writeNdjson(`epoch-${dateFormat}-${timeZone.replace("/", "_")}.ndjson`, rows), { dateFormat, timeZone });
      }
    }
  });

  it("reads the retail fixture (MM/DD/YYYY with times, quantity × unit price, item labels) as the in-process reader, summary included", async () => {
    const ref = await compare(RETAIL, { dateFormat: "MM/DD/YYYY" });
    // test/fixtures/cli/retail.csv: amounts from Quantity × UnitPrice, e.g. 6 × 2.55 = 15.3 on its first line.
    expect(ref.report.amountSource).toBe("quantity-x-price");
    expect(ref.table.amount[0]).toBe(15.3);
    const src = await openDuckDbSource(RETAIL, { dateFormat: "MM/DD/YYYY", threads: 1 });
    try {
      const want = summarizeCustomersTable(ref.table);
      const got = await src.summarize();
      expectCustomersEqual(got.customers, want.customers, "retail");
      expect(got.summary).toEqual(want.report);
      expectCalibrationEqual(await src.calibration({ timeUnit: "days", groupBy: "order" }), calibrationTable(ref.table, { timeUnit: "days", groupBy: "order" }), "retail");
    } finally {
      src.close();
    }
  });
});

describe("openDuckDbSource time zones", () => {
  // Instants around transitions: Paris (DST since 1976), New York, Lord Howe (30-minute DST),
  // Apia (skipped 2011-12-30), Kolkata (no DST), Paris in 1900 (local mean time +0:09:21).
  const INSTANTS = [
    "2024-03-31T00:59:59Z", "2024-03-31T01:00:00Z", "2024-10-26T21:59:59Z", "2024-10-26T22:00:00Z", "2024-10-26T22:00:00+00:00", "2024-03-10T04:59:59Z",
    "2024-03-10T05:00:00-00:00", "2024-11-03T03:59:59Z", "2024-11-03T04:00:00Z", "2024-04-06T12:59:59Z", "2024-04-06T13:30:00Z", "2024-10-05T13:29:59Z",
    "2011-12-29T09:59:59Z", "2011-12-29T10:00:00Z", "2011-12-30T10:00:00Z", "1900-01-01T23:50:39Z", "1900-01-01T23:50:38Z", "1850-06-01T23:55:00Z",
    "2023-12-31T18:29:59Z", "2023-12-31T18:30:00Z", "2024-01-01T00:00:00+14:00", "2024-07-01T23:59:60Z", "2024-07-01", "2024-07-01T23:30:00",
  ];
  const ZONES = ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata", "UTC", "+05:45"];

  it("takes the day of each instant in the zone as the in-process reader (Intl) does, around DST transitions and in local mean time", async () => {
    const rows = INSTANTS.flatMap((date, i) => [{ customerId: `c${i % 4}`, date, amount: 1 }, { customerId: "n", date: Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date.replace(":60Z", ":59Z")), amount: 1 }]);
    for (const timeZone of ZONES) {
      await compare(writeNdjson(`zones-${timeZone.replace(/\W/g, "_")}.ndjson`, rows), { timeZone });
    }
  });

  it("matches the in-process reader on seeded random instants from 1850 to 2150 in five IANA zones", async () => {
    const ms = fc.sample(fc.integer({ min: Date.UTC(1850, 0, 1) / 1000, max: Date.UTC(2150, 0, 1) / 1000 }), { seed: 20261130, numRuns: 1500 });
    const rows = ms.map((s, i) => ({ customerId: `c${i % 9}`, date: i % 2 === 0 ? s * 1000 : new Date(s * 1000).toISOString(), amount: 1 }));
    const file = writeNdjson("random-instants.ndjson", rows);
    for (const timeZone of ["Europe/Paris", "America/Sao_Paulo", "Asia/Tehran", "Australia/Sydney", "Africa/Casablanca"]) {
      await compare(file, { timeZone });
    }
  });
});

describe("openDuckDbSource amounts", () => {
  const header = ["customer", "date", "quantity", "unit_price", "invoice"];
  const rows = [
    ["a", "2024-01-01", "3", "0.1", "1"], // 3 × 0.1 = 0.30000000000000004, rounded to 8 decimals: 0.3
    ["a", "2024-01-02", "-2", "2.55", "2"], // a return: -5.1
    ["a", "2024-01-03", "-1", "0", "3"], // a return of no value: -0
    ["b", "2024-01-03", "0", "-4", "4"], // 0 × -4 = -0, not a return: 0
    ["b", "2024-01-04", "1e200", "1e200", "5"], // overflow: invalid-quantity naming the price
    ["b", "2024-01-04", "", "1", "6"], // missing-quantity
    ["b", "2024-01-04", "2", "", "7"], // missing-unitPrice
    ["b", "2024-01-04", "x", "1", "8"], // invalid-quantity
    ["b", "2024-01-04", "2", "1,5", "9"], // invalid-unitPrice (dot decimal)
    ["c", "2024-01-05", "1,000", "12.5", "C10"], // grouped quantity; a cancelled invoice: -12500
    ["c", "2024-01-05", "7", "1.23456789123", "11"], // 8.64197523861 -> 8.64197524
    ["c", "2024-01-06", "1e8", "1.000000001", "12"], // >= 9e7: not rounded
    ["c", "2024-01-06", "0.5", "0.00000001", "13"], // 5e-9 rounds (half up) to 1e-8
  ];

  it("computes quantity × unit price as lineAmount does, with the same rejections, returns and messages", async () => {
    const ref = await compare(writeCsv("parts.csv", header, rows));
    expect(ref.report.amountSource).toBe("quantity-x-price");
    expect(ref.report.rejectedByReason.map((r) => r.reason)).toEqual(["invalid-quantity", "missing-quantity", "missing-unitPrice", "invalid-unitPrice"]);
    expect([...ref.table.amount]).toEqual([0.3, -5.1, -0, 0, -12500, 8.64197524, 1e8 * 1.000000001, 1e-8]);
    await compare(writeCsv("parts-comma.csv", header, rows.map((r) => r.map((c) => c.replace(".", ",")))), { decimal: "," });
    await compare(writeNdjson("parts.ndjson", rows.map((r) => ({ customer: r[0], date: r[1], quantity: r[2] === "" ? null : Number.isNaN(Number(r[2])) ? r[2] : Number(r[2]), unit_price: r[3], invoice: r[4] }))));
  });

  it("reads a source without amounts (amountSource none): every amount 0, a negative quantity marks a return", async () => {
    const noAmount = await compare(writeCsv("none.csv", ["customer", "date", "invoice"], [["a", "2024-01-01", "1"], ["a", "2024-01-01", "1"], ["b", "2024-01-02", "C2"], ["", "2024-01-02", "3"]]));
    expect([noAmount.report.amountSource, noAmount.report.zeroAmounts, noAmount.report.returns]).toEqual(["none", 2, 1]);
    const qtyOnly = await compare(writeCsv("qty.csv", ["customer", "date", "qty"], [["a", "2024-01-01", "2"], ["a", "2024-01-02", "-1"], ["b", "2024-01-02", ""], ["b", "2024-01-03", "z"]]));
    expect([qtyOnly.report.amountSource, qtyOnly.report.returns, qtyOnly.report.rejected]).toEqual(["none", 1, 1]);
    const src = await openDuckDbSource(join(tmp, "qty.csv"), { mode: "lenient", threads: 1 });
    try {
      const want = summarizeCustomersTable(qtyOnly.table);
      expectCustomersEqual((await src.summarize()).customers, want.customers, "no amounts");
    } finally {
      src.close();
    }
  });
});

describe("openDuckDbSource duplicates", () => {
  it("duplicates: \"drop\" sets the repeated rows aside with reason duplicate (examples naming the earlier row), as in process, for CSV and NDJSON", async () => {
    const { header, rows } = generatedLog();
    const csv = writeCsv("dups.csv", header, rows);
    const ref = await compare(csv, { duplicates: "drop" });
    const dup = ref.report.rejectedByReason.find((r) => r.reason === "duplicate");
    expect(dup?.count).toBe(ref.report.duplicates);
    expect(dup?.count).toBeGreaterThanOrEqual(3); // fixtures.ts adds a repeated row and two equal item lists
    await compare(csv, { duplicates: "drop", maxExamples: 2 });
    await compare(writeNdjson("dups.ndjson", rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])))), { duplicates: "drop" });
    // A return of no value (-0) is not a duplicate of a 0 sale.
    const z = await compare(writeCsv("zero-dups.csv", ["customer", "date", "quantity", "price"], [["a", "2024-01-01", "-1", "0"], ["a", "2024-01-01", "1", "0"], ["a", "2024-01-01", "2", "0"]]), { duplicates: "drop" });
    expect(z.report.duplicates).toBe(1);
  });
});

describe("openDuckDbSource attributes and item labels", () => {
  async function compareTables(file: string, options: DuckDbSourceOptions = {}): Promise<Awaited<ReturnType<typeof readTransactionTable>>> {
    const ref = await compare(file, options);
    const src = await openDuckDbSource(file, { ...options, mode: "lenient", threads: 1 });
    try {
      const t = await src.table();
      expect(t.attributes).toEqual(ref.table.attributes);
      expect(t.items?.names).toEqual(ref.table.items?.names);
      expect(t.items?.labels).toEqual(ref.table.items?.labels);
    } finally {
      src.close();
    }
    return ref;
  }

  it("carries the unmapped columns and the item labels into table() as the in-process reader does (CSV)", async () => {
    const ref = await compareTables(RETAIL, { dateFormat: "MM/DD/YYYY" });
    // retail.csv: Country is the one unmapped column; Description names the stock codes.
    expect([...(ref.table.attributes?.keys() ?? [])]).toEqual(["Country"]);
    expect(ref.table.items?.names?.[0]).toBe("WHITE HANGING HEART T-LIGHT HOLDER");
    await compareTables("test/fixtures/cli/labels.csv");
    const noAttrs = await compareTables(RETAIL, { dateFormat: "MM/DD/YYYY", keepAttributes: false });
    expect(noAttrs.table.attributes).toBeUndefined();
    // Integer-like column names come first (JavaScript object-key order), raw untrimmed text, "" for an empty cell.
    await compareTables(writeCsv("attrs.csv", ["customer", "date", "amount", "zone", "10", "2", "note"], [
      ["a", "2024-01-01", "1", "north", "x", "y", " spaced "], ["b", "2024-01-02", "2", "", "x", "z", ""], ["c", "bad", "3", "south", "q", "q", "q"], ["a", "2024-01-03", "1", "north", "x", "y", " spaced "],
    ]));
  });

  it("carries NDJSON attributes with their JSON types (numbers, -0, null, objects, absent keys, a nested attributes object)", async () => {
    await compareTables(writeNdjson("attrs.ndjson", [
      { customerId: "a", date: "2024-01-01", amount: 1, region: "north", score: 0, extra: { x: 1 } },
      { customerId: "b", date: "2024-01-02", amount: 2, region: null, score: -0, flag: true },
      { customerId: "c", date: "nope", amount: 2, onlyRejected: 1 },
      { customerId: "c", date: "2024-01-03", amount: 3, attributes: { region: "south", tier: 2 }, 7: "seven" },
      { customerId: "d", date: "2024-01-04", amount: 4, score: 0 },
    ]));
  });
});

describe("openDuckDbSource row numbers after rows DuckDB's CSV reader cannot split", () => {
  it("numbers later rejections, duplicate examples and attributes as the in-process reader (lenient mode)", async () => {
    const p = join(tmp, "skipped.csv");
    writeFileSync(p, "customer,date,amount,zone\na,2024-01-01,1,n\nb,2024-01-02,2,s,extra\nc,bad,3,e\nd,2024-01-04,4,w\nx,1,2\nd,2024-01-04,4,w\ne,2024-01-05,,n\n");
    const options = { mode: "lenient", duplicates: "drop" } as const;
    const ref = await readTransactionTable(p, options);
    const src = await openDuckDbSource(p, { ...options, threads: 1 });
    try {
      // Only the malformed rows' messages differ (DuckDB's explanation).
      const strip = (r: typeof ref.report) => ({ ...r, rejectedByReason: r.rejectedByReason.map((x) => ({ ...x, examples: x.examples.map((e) => (x.reason === "malformed-row" ? { ...e, message: "" } : e)) })) });
      expect(strip(src.ingestion)).toEqual(strip(ref.report));
      // Rows 2 and 5 malformed, 3 an invalid date, 6 a duplicate of 4, 7 a missing amount.
      expect(ref.report.rejectedByReason.map((r) => [r.reason, r.examples.map((e) => e.row)])).toEqual([["malformed-row", [2, 5]], ["invalid-date", [3]], ["duplicate", [6]], ["missing-amount", [7]]]);
      expect((await src.table()).attributes).toEqual(ref.table.attributes);
    } finally {
      src.close();
    }
  });
});

describe("openDuckDbSource strict mode with rows DuckDB cannot split", () => {
  it("names the earliest bad row, whether it is a row that cannot be split or an invalid value, as the in-process reader", async () => {
    for (const [name, text] of [
      ["invalid-first.csv", "customer,date,amount\na,2024-01-01,1\nb,nope,2\nc,2024-01-03,3,extra\n"],
      ["split-first.csv", "customer,date,amount\na,2024-01-01,1\nc,2024-01-03,3,extra\nb,nope,2\n"],
      ["split-after-skipped.csv", "customer,date,amount\na,2024-01-01,1,x\nb,2024-01-02,2\nc,2024-01-03,\n"],
    ] as const) {
      const p = join(tmp, name);
      writeFileSync(p, text);
      const a = await readTransactionTable(p).catch((e: unknown) => e);
      const b = await openDuckDbSource(p, { threads: 1 }).catch((e: unknown) => e);
      expect(a, name).toBeInstanceOf(InvalidRecordError);
      expect(b, name).toBeInstanceOf(InvalidRecordError);
      const key = (e: unknown) => [(e as InvalidRecordError).row, (e as InvalidRecordError).field, (e as InvalidRecordError).value];
      expect(key(b), name).toEqual(key(a));
    }
  });
});

describe("openTransactionSource (path)", () => {
  it("opens a file path in DuckDB with the reader's options: the in-process report, summary and table; ClickHouse-only options are refused", async () => {
    const ref = await readTransactionTable(RETAIL, { dateFormat: "MM/DD/YYYY" });
    const src = await openTransactionSource(RETAIL, { dateFormat: "MM/DD/YYYY", threads: 1 });
    try {
      expect(src.engine).toBe("duckdb");
      expect(src.ingestion).toEqual(ref.report);
      const want = summarizeCustomersTable(ref.table);
      const got = await src.summarize();
      expectCustomersEqual(got.customers, want.customers, "openTransactionSource");
      expect(got.summary).toEqual(want.report);
      expect([...(await src.table()).amount]).toEqual([...ref.table.amount]);
    } finally {
      src.close();
    }
    const e = await openTransactionSource(RETAIL, { shards: ["http://127.0.0.1:1"] }).catch((x: unknown) => x);
    expect((e as InvalidOptionError).option).toBe("shards");
    const u = await openTransactionSource("clickhouse://127.0.0.1:1", {}).catch((x: unknown) => x);
    expect((u as InvalidOptionError).option).toBe("source"); // no table in the address
    const d = await openTransactionSource("clickhouse://127.0.0.1:1/db.t", { delimiter: ";" }).catch((x: unknown) => x);
    expect((d as InvalidOptionError).option).toBe("delimiter");
  });
});

describe("openDuckDbSource typed Parquet columns", () => {
  it("reads BIGINT ids, DATE, TIMESTAMP, TIMESTAMPTZ, DOUBLE and NULLs as the in-process Parquet reader (test/fixtures/io good.parquet, bad.parquet)", async () => {
    await compare("test/fixtures/io/good.parquet");
    // bad.parquet: ts (zone-less: the day it names) or tstz (an instant: its day in the zone) as the date.
    for (const date of ["ts", "tstz"]) {
      for (const timeZone of ["UTC", "-05:00", "Asia/Tokyo"]) {
        for (const dateFormat of ["auto", "DD/MM/YYYY"] as const) {
          await compare("test/fixtures/io/bad.parquet", { columns: { date }, timeZone, dateFormat });
        }
      }
    }
  });

  it("reads numeric Parquet columns as numbers (an INT64 epoch date in auto mode, a DECIMAL cost) and carries the attribute columns with their types", async () => {
    const p = join(tmp, "typed.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(`COPY (SELECT * FROM (VALUES
      (1::INTEGER, 1704067200000::BIGINT, 2.5::DOUBLE, 'north', 7::INTEGER, 1.5::DECIMAL(6,2)),
      (2::INTEGER, 1704153600000::BIGINT, -1::DOUBLE, NULL, NULL, 2.25::DECIMAL(6,2)),
      (3::INTEGER, NULL, 4::DOUBLE, 'south', 9::INTEGER, NULL),
      (1::INTEGER, 1704240000000::BIGINT, 0::DOUBLE, 'north', 7::INTEGER, 1.5::DECIMAL(6,2))
    ) AS t(customer_id, ts_ms, amount, region, rank, cost)) TO '${p.replace(/'/g, "''")}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const ref = await compare(p, { columns: { date: "ts_ms" } });
    expect(ref.report.accepted).toBe(3);
    const src = await openDuckDbSource(p, { columns: { date: "ts_ms" }, mode: "lenient", threads: 1 });
    try {
      const t = await src.table();
      expect(t.attributes).toEqual(ref.table.attributes);
      expect([...(t.cost ?? [])]).toEqual([...(ref.table.cost ?? [])]);
    } finally {
      src.close();
    }
  });
});

describe("openDuckDbSource NDJSON items", () => {
  it("reads item arrays (strings trimmed, integers) and rejects other JSON values as invalid-items, as the in-process reader", async () => {
    const p = writeNdjson("items.ndjson", [
      { customer: "a", date: "2024-01-01", amount: 1, items: ["x", " y ", 3, ""] },
      { customer: "b", date: "2024-01-02", amount: 2, items: { k: 1 } },
      { customer: "c", date: "2024-01-03", amount: 2, items: [1, { z: 1 }] },
      { customer: "d", date: "2024-01-03", amount: 2, items: true },
      { customer: "e", date: "2024-01-03", amount: 2, items: "p|q" },
      { customer: "f", date: "2024-01-04", amount: 2, items: [] },
      { customer: "g", date: "2024-01-04", amount: 2, items: null },
    ]);
    const ref = await compare(p);
    expect(ref.report.rejectedByReason.map((r) => [r.reason, r.count])).toEqual([["invalid-items", 3]]);
    const src = await openDuckDbSource(p, { mode: "lenient", threads: 1 });
    try {
      const t = await src.table();
      expect(t.items?.labels).toEqual(ref.table.items?.labels);
      expect([...(t.items?.offsets ?? [])]).toEqual([...(ref.table.items?.offsets ?? [])]);
      expect([...(t.items?.codes ?? [])]).toEqual([...(ref.table.items?.codes ?? [])]);
      expect([...(t.items?.missing ?? [])]).toEqual([...(ref.table.items?.missing ?? [])]);
    } finally {
      src.close();
    }
  });
});

describe("openDuckDbSource on the reader's own fixtures (test/fixtures/io)", () => {
  it("cdnow_master_head.txt (white space found without a delimiter), spaced_names.txt, items.parquet (LIST items, BIGINT beyond 2^53) read as in process", async () => {
    await compare("test/fixtures/io/cdnow_master_head.txt");
    await compare("test/fixtures/io/spaced_names.txt", { delimiter: "whitespace" });
    for (const items of ["products", "sku"]) {
      const options = { columns: { items }, keepAttributes: false };
      const ref = await compare("test/fixtures/io/items.parquet", options);
      const src = await openDuckDbSource("test/fixtures/io/items.parquet", { ...options, threads: 1 });
      try {
        const t = await src.table();
        expect(t.items?.labels, items).toEqual(ref.table.items?.labels); // sku: "9007199254740993" exact
        expect([...(t.items?.offsets ?? [])]).toEqual([...(ref.table.items?.offsets ?? [])]);
        expect([...(t.items?.codes ?? [])]).toEqual([...(ref.table.items?.codes ?? [])]);
      } finally {
        src.close();
      }
    }
  });
});

describe("openDuckDbSource JSON documents", () => {
  it("reads a .json array of rows and { transactions: [...] } as the in-process reader, non-object elements as malformed rows", async () => {
    const { header, rows } = generatedLog();
    const objects: unknown[] = rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
    objects.splice(3, 0, 5, ["a", 1], null);
    const a = join(tmp, "log.json");
    writeFileSync(a, JSON.stringify(objects));
    const ref = await compare(a, { duplicates: "drop" });
    expect(ref.report.rejectedByReason.find((r) => r.reason === "malformed-row")?.examples.map((e) => e.value)).toEqual([5, ["a", 1], null]);
    const b = join(tmp, "wrapped.json");
    writeFileSync(b, JSON.stringify({ transactions: objects.slice(0, 50) }));
    await compare(b);
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, '{"rows": []}');
    const e = await openDuckDbSource(bad).catch((x: unknown) => x);
    expect((e as Error).message).toContain('must hold an array of rows (or { "transactions": [...] })');
  });
});
