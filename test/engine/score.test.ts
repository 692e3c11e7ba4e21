/**
 * Scores compiled to SQL, run by DuckDB on CDNOW (calibration to 1997-09-30, weeks; summary as of
 * 1998-06-30), against the in-process scores: BG/NBD P(alive) and expected purchases in 39 weeks,
 * Gamma-Gamma expected spend and 12-month CLV to 1e-9 relative; RFM scores from fixed cuts equal.
 * The ClickHouse run of the same SQL is in clickhouse.test.ts.
 */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { readTransactionTable } from "../../src/io/readTable.js";
import { calibrationTable, summarizeCustomersTable } from "../../src/summary/summarize.js";
import { bgNbdExpectedPurchasesSql, bgNbdPAliveSql, rfmScoreSql } from "../../src/engine/index.js";
import { calibrationScoreSelect, expectRelClose, inProcessScores, rfmScoreSelect } from "./scoreCases.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const CDNOW_OPTIONS = { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" } as const;

async function duck() {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  return { db, conn: await db.connect() };
}

describe("scores in SQL (DuckDB)", () => {
  it("P(alive), expected purchases, expected spend, CLV and RFM scores of CDNOW's 2,357 customers equal the in-process scores", async () => {
    const t = (await readTransactionTable(CDNOW, CDNOW_OPTIONS)).table;
    const cal = calibrationTable(t, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
    const customers = summarizeCustomersTable(t, { asOf: "1998-06-30" }).customers;
    expect(cal.length).toBe(2357);
    const s = inProcessScores(cal, customers);
    const { db, conn } = await duck();
    try {
      const values = Array.from({ length: cal.length }, (_, i) => `(${i}, ${cal.x[i]}, ${cal.t_x[i]}, ${cal.T[i]}, ${cal.monetaryValue[i]})`);
      await conn.run(`CREATE TABLE cal AS SELECT * FROM (VALUES ${values.join(", ")}) AS v(i, x, t_x, "T", m)`);
      const rows = (await conn.runAndReadAll(`SELECT ${calibrationScoreSelect("duckdb", s)} FROM cal ORDER BY i`)).getRows();
      const col = (j: number) => Float64Array.from(rows, (r) => Number(r[j]));
      expectRelClose(col(0), s.pAlive, "P(alive)");
      expectRelClose(col(1), s.purchases, "expected purchases");
      expect(rows.every((r) => r[2] === false), "every series converged within 128 terms").toBe(true);
      expectRelClose(col(3), s.spend, "expected spend");
      expectRelClose(col(4), s.clv, "CLV");
      expect(rows.every((r) => r[5] === false)).toBe(true);
      // CDNOW (Fader, Hardie & Lee 2005): mean P(alive) and expected purchases are not degenerate
      expect(s.pAlive.reduce((a, b) => a + b, 0) / cal.length).toBeGreaterThan(0.3);

      const rv = Array.from({ length: customers.length }, (_, i) => `(${i}, ${customers.recencyDays[i]}, ${customers.frequency[i]}, ${customers.totalSpend[i]})`);
      await conn.run(`CREATE TABLE rfm AS SELECT * FROM (VALUES ${rv.join(", ")}) AS v(i, recency, frequency, monetary)`);
      const rr = (await conn.runAndReadAll(`SELECT ${rfmScoreSelect("duckdb")} FROM rfm ORDER BY i`)).getRows();
      expect(rr.map((r) => Number(r[0]))).toEqual([...s.r]);
      expect(rr.map((r) => Number(r[1]))).toEqual([...s.f]);
      expect(rr.map((r) => Number(r[2]))).toEqual([...s.m]);
      expect(new Set(s.r).size, "the cuts split the customers into 5 recency scores").toBe(5);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }, 60_000);

  it("a series bound too small for a long horizon is flagged, not silently wrong", async () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const c = { x: "x", t_x: "t_x", T: "T" };
    const short = bgNbdExpectedPurchasesSql("duckdb", p, c, 500, { terms: 5 });
    const long = bgNbdExpectedPurchasesSql("duckdb", p, c, 39, { terms: 256 });
    const { db, conn } = await duck();
    try {
      const r = (await conn.runAndReadAll(`SELECT ${short.unconverged}, ${long.unconverged}, ${bgNbdPAliveSql("duckdb", p, c)} FROM (VALUES (2.0, 30.43, 38.86)) AS v(x, t_x, "T")`)).getRows()[0];
      expect(r[0]).toBe(true);
      expect(r[1]).toBe(false);
      // P(alive | x 2, t_x 30.43, T 38.86) = 1/(1 + 0.793/3.426 · (43.274/34.844)^2.243): ratio 1.241935, ^2.243 = 1.625789, · 0.231465 = 0.376315, 1/1.376315 = 0.72658
      expect(Number(r[2])).toBeCloseTo(0.72658, 4);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it("bad options are InvalidOptionError naming them", () => {
    expect(() => rfmScoreSql("duckdb", "r", [3, 1])).toThrow(InvalidOptionError);
    expect(() => bgNbdPAliveSql("duckdb", { r: -1, alpha: 1, a: 1, b: 1 }, { x: "x", t_x: "t", T: "T" })).toThrow(/params\.r/);
    expect(() => bgNbdExpectedPurchasesSql("duckdb", { r: 1, alpha: 1, a: 1, b: 1 }, { x: "x", t_x: "t", T: "T" }, 1)).toThrow(/a ≠ 1/);
  });
});
