/**
 * The ClickHouse engine on a real 2-shard cluster on loopback (two clickhouse-server processes,
 * MergeTree local tables, a Distributed table sharded by cityHash64(customer id)), against the
 * in-process reference: CDNOW and the generated log with returns, cancellations and same-day
 * orders. Integers equal; doubles within 1e-9 relative (absolute floor 1e-9).
 *
 * Without the clickhouse-server binary the tests are skipped with the reason printed; with the
 * environment variable CI set, they fail instead.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import type { TransactionTable } from "../../src/core/table.js";
import { readTransactionTable } from "../../src/io/readTable.js";
import { calibrationTable, summarizeCustomersTable } from "../../src/summary/summarize.js";
import { calibrationWithClickHouse, clickHouseCalibrationSql, clickHouseIngestion, openTransactionSource, summarizeWithClickHouse, type ClickHouseSourceOptions } from "../../src/engine/index.js";
import { clickHouseRows } from "../../src/engine/clickhouse.js";
import { clickHouseBinary, loadTransactions, startClickHouseCluster, type ClickHouseCluster, type ClusterRow } from "./clickhouseCluster.js";
import { expectCalibrationEqual, expectCustomersEqual } from "./compare.js";
import { generatedLog } from "./fixtures.js";
import { calibrationScoreSelect, expectRelClose, inProcessScores, rfmScoreSelect } from "./scoreCases.js";
import { mbgNbdClusterCheck } from "./scoreMbgNbdCases.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const CDNOW_OPTIONS = { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" } as const;

const binary = clickHouseBinary();
const missing = "missing" in binary ? binary.missing : null;
if (missing !== null) {
  if (process.env.CI) {
    describe("ClickHouse", () => {
      it("is installed (CI must run the cluster tests)", () => {
        throw new Error(`CI is set but ${missing}`);
      });
    });
  } else {
    console.warn(`[test/engine/clickhouse] SKIPPED: ${missing}`);
  }
}

/** The accepted rows of an in-process table as cluster rows (row = the in-process row order). */
function rowsOf(t: TransactionTable): ClusterRow[] {
  return Array.from({ length: t.length }, (_, i) => ({
    row: i + 1,
    customer: t.ids[t.customer[i]],
    day: t.day[i],
    amount: t.amount[i],
    order: t.order[i] < 0 ? "" : t.orderIds[t.order[i]],
  }));
}

describe.skipIf(missing !== null)("ClickHouse, 2 shards on loopback", () => {
  let cluster: ClickHouseCluster;
  let cdnow: TransactionTable;
  let log: TransactionTable;
  const source = (table: string, withOrder = true): ClickHouseSourceOptions => ({
    url: cluster.urls[0],
    table,
    columns: { customerId: "customer", date: "purchase_date", amount: "amount", row: "row_no", ...(withOrder ? { orderId: "order_id" } : {}) },
  });

  beforeAll(async () => {
    cluster = await startClickHouseCluster((binary as { path: string }).path);
    try {
      cdnow = (await readTransactionTable(CDNOW, CDNOW_OPTIONS)).table;
      const tmp = mkdtempSync(join(tmpdir(), "ca-ch-"));
      const { header, rows } = generatedLog();
      const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      writeFileSync(join(tmp, "log.csv"), [header.join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n") + "\n");
      log = (await readTransactionTable(join(tmp, "log.csv"), { mode: "lenient" })).table;
      await loadTransactions(cluster, "cdnow", rowsOf(cdnow));
      await loadTransactions(cluster, "gen", rowsOf(log));
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    // No orphan servers: the two processes are gone.
    for (const pid of cluster?.pids ?? []) expect(() => process.kill(pid, 0), `clickhouse-server ${pid} still running`).toThrow();
  }, 30_000);

  it("the Distributed table spreads the customers over both shards, each customer on one shard", async () => {
    const [a, b] = await Promise.all([0, 1].map(async (k) => (await cluster.query("SELECT count(), uniqExact(customer) FROM cdnow_local", k as 0 | 1)).trim().split("\t").map(Number)));
    // CDNOW: 6,919 lines, 2,357 customers in all.
    expect(a[0] + b[0]).toBe(6919);
    expect(a[1] + b[1]).toBe(2357);
    expect(Math.min(a[1], b[1])).toBeGreaterThan(1000);
  });

  it("summarizeWithClickHouse(CDNOW) equals summarizeCustomersTable (asOf 1998-06-30, and the default last day)", async () => {
    const want = summarizeCustomersTable(cdnow, { asOf: "1998-06-30" });
    const got = await summarizeWithClickHouse({ ...source("cdnow"), asOf: "1998-06-30" });
    expect(got.customers.length).toBe(2357);
    expectCustomersEqual(got.customers, want.customers, "cdnow");
    expect(got.summary).toEqual(want.report);
    const want7 = summarizeCustomersTable(cdnow, { periodDays: 7 });
    const got7 = await summarizeWithClickHouse({ ...source("cdnow"), periodDays: 7 });
    expectCustomersEqual(got7.customers, want7.customers, "cdnow, last day");
    expect(got7.summary).toEqual(want7.report);
  });

  it("calibrationWithClickHouse(CDNOW, 1997-09-30, weeks) equals calibrationTable, by day and by order", async () => {
    for (const groupBy of ["day", "order"] as const) {
      const want = calibrationTable(cdnow, { calibrationEnd: "1997-09-30", timeUnit: "weeks", groupBy });
      const got = await calibrationWithClickHouse({ ...source("cdnow"), calibrationEnd: "1997-09-30", timeUnit: "weeks", groupBy });
      expectCalibrationEqual(got, want, `cdnow ${groupBy}`);
    }
  });

  it("the generated log with returns, cancellations, same-day orders and lines without order id: summary and calibration equal", async () => {
    const want = summarizeCustomersTable(log, { asOf: "2023-12-31" });
    const got = await summarizeWithClickHouse({ ...source("gen"), asOf: "2023-12-31" });
    expect(want.report.returnOnlyOrders).toBeGreaterThan(0);
    expectCustomersEqual(got.customers, want.customers, "log");
    expect(got.summary).toEqual(want.report);
    for (const groupBy of ["day", "order"] as const) {
      const wantCal = calibrationTable(log, { calibrationEnd: "2023-06-30", timeUnit: "days", groupBy });
      const gotCal = await calibrationWithClickHouse({ ...source("gen"), calibrationEnd: "2023-06-30", timeUnit: "days", groupBy });
      expectCalibrationEqual(gotCal, wantCal, `log ${groupBy}`);
    }
  });

  it("shards: the whole query pushed down to each shard's local table gives the same tables; a table not sharded by customer is refused", async () => {
    const local = { ...source("cdnow_local"), shards: cluster.urls };
    const want = summarizeCustomersTable(cdnow, { asOf: "1998-06-30" });
    const got = await summarizeWithClickHouse({ ...local, asOf: "1998-06-30" });
    expectCustomersEqual(got.customers, want.customers, "shards");
    expect(got.summary).toEqual(want.report);
    const wantLast = summarizeCustomersTable(log, {});
    const gotLast = await summarizeWithClickHouse({ ...source("gen_local"), shards: cluster.urls });
    expectCustomersEqual(gotLast.customers, wantLast.customers, "shards, log, last day");
    expect(gotLast.summary).toEqual(wantLast.report);
    const wantCal = calibrationTable(log, { calibrationEnd: "2023-06-30", timeUnit: "days", groupBy: "order" });
    const gotCal = await calibrationWithClickHouse({ ...source("gen_local"), shards: cluster.urls, calibrationEnd: "2023-06-30", timeUnit: "days", groupBy: "order" });
    expectCalibrationEqual(gotCal, wantCal, "shards, log");
    // Rows spread at random (row number), so customers span both shards: refused, naming a customer.
    for (const k of [0, 1] as const) {
      await cluster.query("CREATE TABLE spread_local AS cdnow_local", k);
      await cluster.query("CREATE TABLE spread AS cdnow_local ENGINE = Distributed(ca_two, default, spread_local, row_no)", k);
    }
    await cluster.query("INSERT INTO spread SELECT * FROM cdnow", 0, { insert_distributed_sync: "1" });
    const e = await summarizeWithClickHouse({ ...source("spread_local"), shards: cluster.urls }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AnalyticsError);
    expect((e as Error).message).toMatch(/customer "\d+" has rows on two shards/);
  });

  it("customer ids are arbitrary text: tabs, line breaks, backslashes, quotes and characters above U+FFFF come back intact, in code-unit order", async () => {
    const ids = ["a\tb", "new\nline", "back\\slash", "it's", "\u{1F600}", "\uFFFD", "é", "Code: 1, e.displayText() = DB::Exception: not an error"];
    // Day 19000 = 2022-01-08; each customer buys 10 on day 19000, the first also 5 on day 19010.
    const rows: ClusterRow[] = ids.map((id, i) => ({ row: i + 1, customer: id, day: 19000, amount: 10, order: "" }));
    rows.push({ row: 99, customer: ids[0], day: 19010, amount: 5, order: "" });
    await loadTransactions(cluster, "odd", rows);
    const got = await summarizeWithClickHouse({ ...source("odd", false), asOf: "2022-01-31" });
    // code-unit order: "\uFFFD" (U+FFFD) sorts after "\u{1F600}" (surrogates D83D...), though UTF-8 bytes order them the other way
    expect(got.customers.ids).toEqual([...ids].sort());
    expect(got.customers.ids.indexOf("\u{1F600}")).toBeLessThan(got.customers.ids.indexOf("\uFFFD"));
    const k = got.customers.ids.indexOf("a\tb");
    expect([got.customers.frequency[k], got.customers.totalSpend[k], got.customers.recencyDays[k]]).toEqual([2, 15, 19023 - 19010]);
    expect(got.summary.customers).toBe(8);
  });

  it("a query as the source gives the same table as the Distributed table", async () => {
    const want = await summarizeWithClickHouse({ ...source("cdnow"), asOf: "1998-06-30" });
    const { table: _t, ...rest } = source("cdnow");
    const got = await summarizeWithClickHouse({ ...rest, query: "SELECT * FROM cdnow WHERE amount > -1e300", asOf: "1998-06-30" });
    expectCustomersEqual(got.customers, want.customers, "query");
  });

  it("scores compiled to SQL, run in the cluster on CDNOW, equal the in-process scores (1e-9 relative; RFM scores equal)", async () => {
    const cal = calibrationTable(cdnow, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    const customers = summarizeCustomersTable(cdnow, { asOf: "1998-06-30" }).customers;
    const s = inProcessScores(cal, customers);
    // The calibration rows in the cluster (sharded by customer), scored there with the fitted parameters.
    for (const k of [0, 1] as const) {
      await cluster.query("CREATE TABLE cal_local (id String, x Float64, t_x Float64, T Float64, m Float64, recency Float64, frequency Float64, monetary Float64) ENGINE = MergeTree() ORDER BY id", k);
      await cluster.query("CREATE TABLE cal AS cal_local ENGINE = Distributed(ca_two, default, cal_local, cityHash64(id))", k);
    }
    // CDNOW: the calibration and the summary hold the same 2,357 customers in the same order.
    expect(customers.ids).toEqual(cal.ids);
    const body = cal.ids.map((id, i) => [id, cal.x[i], cal.t_x[i], cal.T[i], cal.monetaryValue[i], customers.recencyDays[i], customers.frequency[i], customers.totalSpend[i]].join("\t")).join("\n");
    await cluster.query(`INSERT INTO cal FORMAT TabSeparated\n${body}\n`, 0, { insert_distributed_sync: "1" });
    const out = await cluster.query(`SELECT ${calibrationScoreSelect("clickhouse", s)}, ${rfmScoreSelect("clickhouse")} FROM cal ORDER BY id FORMAT TabSeparated`);
    const rows = out.trim().split("\n").map((l) => l.split("\t"));
    const col = (j: number) => Float64Array.from(rows, (r) => Number(r[j]));
    expectRelClose(col(0), s.pAlive, "P(alive)");
    expectRelClose(col(1), s.purchases, "expected purchases");
    expectRelClose(col(3), s.spend, "expected spend");
    expectRelClose(col(4), s.clv, "CLV");
    expect(rows.every((r) => r[2] === "0" && r[5] === "0"), "every series converged").toBe(true);
    expect(rows.map((r) => Number(r[6]))).toEqual([...s.r]);
    expect(rows.map((r) => Number(r[7]))).toEqual([...s.f]);
    expect(rows.map((r) => Number(r[8]))).toEqual([...s.m]);

    // The whole flow in one query: the calibration summary of the Distributed transaction table,
    // scored in the server; only the scores come back.
    const calSql = await clickHouseCalibrationSql({ ...source("cdnow"), calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    const out2 = await cluster.query(`SELECT cust, ${calibrationScoreSelect("clickhouse", s, "monetary")} FROM (${calSql}) ORDER BY cust FORMAT TabSeparated`);
    const rows2 = out2.trim().split("\n").map((l) => l.split("\t"));
    expect(rows2.map((r) => r[0])).toEqual(cal.ids);
    const col2 = (j: number) => Float64Array.from(rows2, (r) => Number(r[j + 1]));
    expectRelClose(col2(0), s.pAlive, "P(alive), one query");
    expectRelClose(col2(1), s.purchases, "expected purchases, one query");
    expectRelClose(col2(3), s.spend, "expected spend, one query");
    expectRelClose(col2(4), s.clv, "CLV, one query");
  }, 60_000);

  it("clickHouseIngestion(gen) equals the in-process report of the same typed rows: counts, returns, cancellations, duplicates, date range", async () => {
    // The reference reads the very rows the cluster holds, as a CSV with the table's column names.
    const tmp = mkdtempSync(join(tmpdir(), "ca-ch-report-"));
    const rows = rowsOf(log);
    const file = join(tmp, "gen.csv");
    writeFileSync(file, ["row_no,customer,purchase_date,amount,order_id", ...rows.map((r) => [r.row, r.customer, new Date(r.day * 86400000).toISOString().slice(0, 10), r.amount, r.order].join(","))].join("\n") + "\n");
    const ref = await readTransactionTable(file, { columns: { customerId: "customer", date: "purchase_date", amount: "amount", orderId: "order_id" } });
    expect(ref.report.cancellations).toBeGreaterThan(0);
    expect(ref.report.duplicates).toBeGreaterThan(0);
    const { row: _row, ...columns } = source("gen").columns;
    expect(await clickHouseIngestion({ ...source("gen"), columns })).toEqual(ref.report);
    expect(await clickHouseIngestion({ ...source("gen_local"), columns, shards: cluster.urls })).toEqual(ref.report);
  });

  describe("a typed table with NULLs, empty ids, NaN and infinite amounts, cancelled invoices and a duplicate", () => {
    // row_no, customer, purchase_date, amount, order_id (\\N: NULL)
    const ROWS = [
      [1, "a", "2024-01-01", "10", ""], [2, "", "2024-01-01", "5", ""], [3, "\\N", "2024-01-02", "5", ""], [4, "b", "\\N", "3", ""],
      [5, "b", "2024-01-03", "\\N", ""], [6, "b", "2024-01-03", "nan", ""], [7, "c", "2024-01-04", "inf", ""], [8, "c", "2024-01-05", "7", "C100"],
      [9, "a", "2024-01-01", "10", ""], [10, "c", "2024-01-05", "0", "C101"], [11, "d", "2024-01-06", "-2.5", "o7"], [12, "d", "2024-01-09", "4.25", "o8"],
    ] as const;
    let ref: Awaited<ReturnType<typeof readTransactionTable>>;
    let refFile = "";
    const uri = () => `clickhouse://${new URL(cluster.urls[0]).host}/default.typed_bad`;
    beforeAll(async () => {
      for (const k of [0, 1] as const) {
        await cluster.query("CREATE TABLE typed_bad_local (row_no UInt32, customer Nullable(String), purchase_date Nullable(Date), amount Nullable(Float64), order_id String) ENGINE = MergeTree() ORDER BY row_no", k);
        await cluster.query("CREATE TABLE typed_bad AS typed_bad_local ENGINE = Distributed(ca_two, default, typed_bad_local, cityHash64(ifNull(customer, '')))", k);
      }
      await cluster.query(`INSERT INTO typed_bad FORMAT TabSeparated\n${ROWS.map((r) => r.join("\t")).join("\n")}\n`, 0, { insert_distributed_sync: "1" });
      // The same rows for the in-process reader: NULL as JSON null, NaN and inf as text.
      const tmp = mkdtempSync(join(tmpdir(), "ca-ch-bad-"));
      const val = (v: string | number) => (v === "\\N" ? null : v);
      const file = (refFile = join(tmp, "bad.ndjson"));
      writeFileSync(file, ROWS.map((r) => JSON.stringify({ row_no: r[0], customer: val(r[1]), purchase_date: val(r[2]), amount: r[3] === "nan" || r[3] === "inf" || r[3] === "\\N" ? val(r[3]) : Number(r[3]), order_id: r[4] })).join("\n") + "\n");
      ref = await readTransactionTable(file, { mode: "lenient", keepAttributes: false });
    }, 60_000);
    const columns = { customerId: "customer", date: "purchase_date", amount: "amount", orderId: "order_id", row: "row_no" };

    it("clickHouseIngestion counts every rejection by reason with the in-process rows and fields; the summaries read the accepted rows only", async () => {
      const got = await clickHouseIngestion({ url: cluster.urls[0], table: "typed_bad", columns });
      // 12 rows: ids "" and NULL, a NULL date, a NULL amount, NaN and inf rejected; row 9 repeats row 1; C100 and C101 are cancellations.
      expect([got.rowsRead, got.accepted, got.rejected, got.duplicates, got.cancellations, got.returns]).toEqual([12, 6, 6, 1, 2, 3]);
      const { rejectedByReason: a, ...restGot } = got;
      const { rejectedByReason: b, ...restRef } = ref.report;
      expect(restGot).toEqual(restRef);
      const shape = (r: typeof a) => r.map((x) => ({ reason: x.reason, count: x.count, rows: x.examples.map((e) => [e.row, e.field]) }));
      expect(shape(a)).toEqual(shape(b));
      // Missing values: the same value and message ("" and null ids, null date and amount); NaN and inf are numbers here, text in the NDJSON.
      for (const reason of ["missing-customerId", "missing-date", "missing-amount"]) {
        expect(a.find((x) => x.reason === reason)?.examples, reason).toEqual(b.find((x) => x.reason === reason)?.examples);
      }
      const want = summarizeCustomersTable(ref.table);
      const sum = await summarizeWithClickHouse({ url: cluster.urls[0], table: "typed_bad", columns });
      expectCustomersEqual(sum.customers, want.customers, "typed_bad");
      expect(sum.summary).toEqual(want.report);
    });

    it("openTransactionSource(clickhouse://host:port/default.typed_bad) detects the columns, reports, summarises and reads the table; strict mode names the first bad row", async () => {
      // As the CLI calls it: the file defaults (header: true, dateFormat "auto", decimal ".") are accepted.
      const src = await openTransactionSource(uri(), { mode: "lenient", rowColumn: "row_no", header: true, dateFormat: "auto", decimal: "." });
      try {
        expect(src.engine).toBe("clickhouse");
        expect(src.ingestion).toEqual(await clickHouseIngestion({ url: cluster.urls[0], table: "typed_bad", columns }));
        const want = summarizeCustomersTable(ref.table, { asOf: "2024-01-31" });
        const got = await src.summarize({ asOf: "2024-01-31" });
        expectCustomersEqual(got.customers, want.customers, "uri");
        expect(got.summary).toEqual(want.report);
        expectCalibrationEqual(await src.calibration({ calibrationEnd: "2024-01-31", timeUnit: "days", groupBy: "order" }),
          calibrationTable(ref.table, { calibrationEnd: "2024-01-31", timeUnit: "days", groupBy: "order" }), "uri calibration");
        const t = await src.table();
        for (const k of ["ids", "orderIds"] as const) expect(t[k], k).toEqual(ref.table[k]);
        for (const k of ["customer", "day", "amount", "order"] as const) expect([...t[k]], k).toEqual([...ref.table[k]]);
      } finally {
        src.close();
      }
      const strict = await openTransactionSource(uri(), { rowColumn: "row_no" }).catch((e: unknown) => e);
      const inProcess = await readTransactionTable(refFile).catch((e: unknown) => e);
      expect(strict).toBeInstanceOf(InvalidRecordError);
      expect(inProcess).toBeInstanceOf(InvalidRecordError);
      // Both stop at row 2, an empty customer id.
      const fields = (e: unknown) => [(e as InvalidRecordError).row, (e as InvalidRecordError).field, (e as InvalidRecordError).value, (e as InvalidRecordError).expected];
      expect(fields(strict)).toEqual(fields(inProcess));
      expect(fields(strict).slice(0, 3)).toEqual([2, "customer", ""]);
      const bad = await openTransactionSource(uri(), { delimiter: "," }).catch((e: unknown) => e);
      expect((bad as InvalidOptionError).option).toBe("delimiter");
      const missingTable = await openTransactionSource(`clickhouse://${new URL(cluster.urls[0]).host}/default.nope`, { mode: "lenient" }).catch((e: unknown) => e);
      expect((missingTable as AnalyticsError).code).toBe("IO_ERROR");
      expect((missingTable as Error).message).toContain("table default.nope does not exist");
    });
  });

  it("String date and amount columns are validated as the in-process reader validates text: same report (reasons, rows, values, messages) and summaries", async () => {
    const DATES = ["2024-02-29", "2023-02-29", " 2024-03-01 ", "20240229", "2024-13-01", "2024-01-01T23:30:00-02:00", "2024-01-01T00:30:00+05:30", "2024-01-01T23:59:60Z",
      "0099-06-01", "9999-12-31", "1969-12-31", "2024/01/01", "", "x", "01/02/2024", "31/12/2023 10:00", "1700000000000", "2024-03-31T01:30:00Z", "2024-10-27T00:30:00Z"];
    const AMOUNTS = ["12.5", " -12.50 ", "1e3", "1e309", "1,234.50", "1 234.5", "12,34", "", "abc", "-0", "0x10", "1.2.3"];
    const rows = DATES.flatMap((date, i) => AMOUNTS.map((amount, j) => ({ row: i * AMOUNTS.length + j + 1, customer: `c${(i + j) % 7}`, date, amount, order: j % 5 === 0 ? `C${i}` : `o${i}-${j}` })));
    for (const k of [0, 1] as const) {
      await cluster.query("CREATE TABLE text_local (row_no UInt32, customer String, purchase_date String, amount String, order_id String) ENGINE = MergeTree() ORDER BY row_no", k);
      await cluster.query("CREATE TABLE text AS text_local ENGINE = Distributed(ca_two, default, text_local, cityHash64(customer))", k);
    }
    // (No value holds a tab, a line break or a backslash, so the TabSeparated rows need no escaping.)
    await cluster.query(`INSERT INTO text FORMAT TabSeparated\n${rows.map((r) => [r.row, r.customer, r.date, r.amount, r.order].join("\t")).join("\n")}\n`, 0, { insert_distributed_sync: "1" });
    const tmp = mkdtempSync(join(tmpdir(), "ca-ch-text-"));
    const file = join(tmp, "text.ndjson");
    writeFileSync(file, rows.map((r) => JSON.stringify({ row_no: r.row, customer: r.customer, purchase_date: r.date, amount: r.amount, order_id: r.order })).join("\n") + "\n");
    const columns = { customerId: "customer", date: "purchase_date", amount: "amount", orderId: "order_id", row: "row_no" };
    for (const options of [{}, { dateFormat: "DD/MM/YYYY", decimal: "," }, { timeZone: "Europe/Paris" }] as const) {
      const ref = await readTransactionTable(file, { mode: "lenient", keepAttributes: false, maxExamples: 1000, ...options });
      const got = await clickHouseIngestion({ url: cluster.urls[0], table: "text", columns, maxExamples: 1000, ...options });
      expect(got).toEqual(ref.report);
      expect(ref.report.rejectedByReason.length).toBeGreaterThanOrEqual(3);
      const want = summarizeCustomersTable(ref.table, { asOf: "2030-01-01" });
      const sum = await summarizeWithClickHouse({ url: cluster.urls[0], table: "text", columns, asOf: "2030-01-01", ...options });
      expectCustomersEqual(sum.customers, want.customers, `text ${JSON.stringify(options)}`);
      expect(sum.summary).toEqual(want.report);
    }
  });

  it("a DateTime column is an instant whose day is taken in timeZone, as a Date in process (UTC, Asia/Tokyo, America/New_York)", async () => {
    // Instants around midnight in UTC, Tokyo (+9) and New York (-5/-4), spread over customers.
    const secs = [1704067199, 1704067200, 1704099600, 1704124800, 1704153599, 1704153600, 1710054000, 1710140400, 1719791999, 1719792000, 1704000000, 1704200000];
    const rows = secs.map((t, i) => ({ row: i + 1, customer: `c${i % 4}`, t, amount: 10 + i }));
    for (const k of [0, 1] as const) {
      await cluster.query("CREATE TABLE dt_local (row_no UInt32, customer String, ts DateTime, amount Float64) ENGINE = MergeTree() ORDER BY row_no", k);
      await cluster.query("CREATE TABLE dt AS dt_local ENGINE = Distributed(ca_two, default, dt_local, cityHash64(customer))", k);
    }
    const tuples = rows.map((r) => `(${r.row}, '${r.customer}', ${r.t}, ${r.amount})`).join(", ");
    await cluster.query(`INSERT INTO dt SELECT toUInt32(tupleElement(x, 1)), tupleElement(x, 2), toDateTime(toUInt32(tupleElement(x, 3))), toFloat64(tupleElement(x, 4)) FROM (SELECT arrayJoin([${tuples}]) AS x)`, 0, { insert_distributed_sync: "1" });
    const tmp = mkdtempSync(join(tmpdir(), "ca-ch-dt-"));
    const file = join(tmp, "dt.ndjson");
    writeFileSync(file, rows.map((r) => JSON.stringify({ row_no: r.row, customer: r.customer, ts: r.t * 1000, amount: r.amount })).join("\n") + "\n");
    const columns = { customerId: "customer", date: "ts", amount: "amount", row: "row_no" };
    for (const timeZone of ["UTC", "Asia/Tokyo", "America/New_York"]) {
      const ref = await readTransactionTable(file, { timeZone, columns: { customerId: "customer", date: "ts", amount: "amount" }, keepAttributes: false });
      const got = await clickHouseIngestion({ url: cluster.urls[0], table: "dt", columns, timeZone });
      expect(got, timeZone).toEqual(ref.report);
      const want = summarizeCustomersTable(ref.table, { asOf: "2024-12-31" });
      const sum = await summarizeWithClickHouse({ url: cluster.urls[0], table: "dt", columns, timeZone, asOf: "2024-12-31" });
      expectCustomersEqual(sum.customers, want.customers, `DateTime in ${timeZone}`);
    }
  });

  it("MBG/NBD scores compiled to SQL, run in the cluster on CDNOW, equal the in-process columns (1e-9 relative, x = 0 too)", async () => {
    await mbgNbdClusterCheck(cluster, cdnow);
  }, 120_000);

  it("errors name what is wrong: an unreachable server, a missing table, a column the table lacks", async () => {
    const dead = "http://127.0.0.1:9/";
    const e1 = await summarizeWithClickHouse({ ...source("cdnow"), url: dead }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AnalyticsError);
    expect((e1 as AnalyticsError).code).toBe("IO_ERROR");
    expect((e1 as Error).message).toContain("cannot reach ClickHouse at http://127.0.0.1:9/");
    const e2 = await summarizeWithClickHouse(source("no_such_table")).catch((e: unknown) => e);
    expect((e2 as AnalyticsError).code).toBe("IO_ERROR");
    expect((e2 as Error).message).toContain("table no_such_table does not exist");
    const e3 = await calibrationWithClickHouse({ ...source("cdnow"), columns: { customerId: "customer", date: "day_of_purchase", amount: "amount" } }).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(InvalidOptionError);
    expect((e3 as Error).message).toContain("day_of_purchase");
    expect((e3 as Error).message).toContain("purchase_date");
    // A query that fails after its first rows were sent (HTTP 200 already): an error, not a short result.
    let rows = 0;
    const e4 = await clickHouseRows("t", { url: cluster.urls[0] }, "SELECT number, throwIf(number = 300000) FROM system.numbers LIMIT 400000", () => rows++).catch((e: unknown) => e);
    expect(e4).toBeInstanceOf(AnalyticsError);
    expect((e4 as Error).message).toMatch(/failed during the query: Code: \d+/);
    expect(rows).toBeGreaterThan(0);
  });
});

// After the suite: no clickhouse-server left behind by this file (checked by pid above; pgrep here for the record).
afterAll(() => {
  if (missing !== null) return;
  let left = "";
  try {
    left = execFileSync("pgrep", ["-a", "clickhouse"], { encoding: "utf8" });
  } catch {
    left = "";
  }
  expect(left.split("\n").filter((l) => l.includes("ca-clickhouse-")), "orphan clickhouse-server processes").toEqual([]);
});
