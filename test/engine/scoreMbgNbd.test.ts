/**
 * MBG/NBD scores compiled to SQL (mbgNbdPAliveSql, mbgNbdExpectedPurchasesSql), run by DuckDB on
 * CDNOW (calibration to 1997-09-30, weeks; model fitted in process by fitMbgNbd), against the
 * in-process columns (probabilityAliveColumn, conditionalExpectedPurchasesColumn): every one of
 * the 2,357 customers, the 1,411 with x = 0 among them, to 1e-9 relative, for t = 39 weeks, 10
 * years (series of 1,024 terms) and 100 years (5,000 terms; there the in-process path leaves
 * the series for its integral form, z > 0.99, so two methods agree). The ClickHouse run of the
 * same SQL is `mbgNbdClusterCheck` in scoreMbgNbdCases.ts.
 */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { readTransactionTable } from "../../src/io/readTable.js";
import { conditionalExpectedPurchasesColumn, probabilityAliveColumn } from "../../src/clv/predict.js";
import { mbgNbdExpectedPurchasesSql, mbgNbdPAliveSql } from "../../src/engine/index.js";
import { MBG_CASES, mbgInProcess, mbgScoreSelect, worstRel } from "./scoreMbgNbdCases.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const CDNOW_OPTIONS = { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" } as const;
const COLS = { x: "x", t_x: "t_x", T: '"T"' };

async function duck() {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  return { db, conn: await db.connect() };
}

describe("MBG/NBD scores in SQL (DuckDB)", () => {
  it("P(alive) and expected purchases (39 weeks, 10 and 100 years) of CDNOW's 2,357 customers equal the in-process columns to 1e-9 relative, x = 0 included", async () => {
    const s = mbgInProcess((await readTransactionTable(CDNOW, CDNOW_OPTIONS)).table);
    const { cal, model, zero } = s;
    expect(cal.length).toBe(2357);
    // lifetimes' ModifiedBetaGeoFitter on this calibration (the fitMbgNbd TSDoc, test/reference/clv_mbgnbd.py)
    expect(model.params.r).toBeCloseTo(0.5248, 3);
    expect(model.params.alpha).toBeCloseTo(6.183, 2);
    expect(model.params.a).toBeCloseTo(0.8914, 3);
    expect(model.params.b).toBeCloseTo(1.614, 2);
    expect(zero.length).toBe(1411);
    // unlike BG/NBD, an x = 0 customer may have dropped out at time 0: P(alive) = 1/(1 + a/b · ((α+T)/α)^r) < 1
    expect(Math.max(...zero.map((i) => s.pAlive[i]))).toBeLessThan(0.7);
    const all = Array.from({ length: cal.length }, (_, i) => i);

    const { db, conn } = await duck();
    try {
      const values = all.map((i) => `(${i}, ${cal.x[i]}, ${cal.t_x[i]}, ${cal.T[i]})`);
      await conn.run(`CREATE TABLE cal AS SELECT * FROM (VALUES ${values.join(", ")}) AS v(i, x, t_x, "T")`);
      const rows = (await conn.runAndReadAll(`SELECT ${mbgScoreSelect("duckdb", model, '"T"')} FROM cal ORDER BY i`)).getRows();
      const col = (j: number) => Float64Array.from(rows, (r) => Number(r[j]));
      const figures: string[] = [];
      const check = (got: Float64Array, w: Float64Array, what: string) => {
        for (const [rowsOf, label] of [[all, "all"], [zero, "x = 0"]] as const) {
          const { rel, row } = worstRel(got, w, rowsOf);
          figures.push(`${what} (${label}): ${rel.toExponential(2)}`);
          expect(rel <= 1e-9 ? "close" : `row ${row}: ${got[row]} vs ${w[row]} (relative ${rel})`, `${what}, ${label}`).toBe("close");
        }
      };
      check(col(0), s.pAlive, "P(alive)");
      MBG_CASES.forEach((k, j) => {
        check(col(1 + 2 * j), s.purchases[j], `E[Y(${k.t})]`);
        expect(rows.every((r) => r[2 + 2 * j] === false), `every series of t = ${k.t} converged within ${k.terms} terms`).toBe(true);
      });
      console.info(`[scoreMbgNbd] largest relative differences, SQL against in process: ${figures.join("; ")}`);
      // the scores are not degenerate: the 100-year expectation is far above the 39-week one
      const mean = (a: Float64Array) => a.reduce((sum, v) => sum + v, 0) / a.length;
      expect(mean(s.purchases[2])).toBeGreaterThan(5 * mean(s.purchases[0]));
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }, 120_000);

  it("one row by hand; x = 0; t = 0; a series bound too small is flagged, not silently wrong", async () => {
    const p = { r: 0.5, alpha: 6, a: 0.75, b: 1.5 };
    const pa = mbgNbdPAliveSql("duckdb", p, COLS);
    const short = mbgNbdExpectedPurchasesSql("duckdb", p, COLS, 500, { terms: 5 });
    const long = mbgNbdExpectedPurchasesSql("duckdb", p, COLS, 39, { terms: 256 });
    const none = mbgNbdExpectedPurchasesSql("duckdb", p, COLS, 0);
    const model = { model: "mbg-nbd", params: p } as Parameters<typeof probabilityAliveColumn>[0];
    const { db, conn } = await duck();
    try {
      const rows = (await conn.runAndReadAll(`SELECT ${pa}, ${short.unconverged}, ${long.unconverged}, ${long.value}, ${none.value} FROM (VALUES (2.0, 30.0, 38.0), (0.0, 0.0, 38.0)) AS v(x, t_x, "T")`)).getRows();
      // x 2, t_x 30, T 38: a/(b+x) = 0.75/3.5 = 0.2142857; ((6+38)/(6+30))^2.5 = (44/36)^2.5 = 1.2222222^2.5 = 1.6515139;
      // product 0.3538958; P(alive) = 1/1.3538958 = 0.738609
      expect(Number(rows[0][0])).toBeCloseTo(0.738609, 5);
      // x 0, t_x 0, T 38: a/b = 0.5; (44/6)^0.5 = 2.7080128; product 1.3540064; P(alive) = 1/2.3540064 = 0.424808
      expect(Number(rows[1][0])).toBeCloseTo(0.424808, 5);
      expect(rows.map((r) => r[1])).toEqual([true, true]);
      expect(rows.map((r) => r[2])).toEqual([false, false]);
      const table = { x: Float64Array.of(2, 0), t_x: Float64Array.of(30, 0), T: Float64Array.of(38, 38) };
      const w = conditionalExpectedPurchasesColumn(model, table, { t: 39 });
      expect(worstRel(rows.map((r) => Number(r[3])), w, [0, 1]).rel).toBeLessThan(1e-12);
      expect(rows.map((r) => Number(r[4]))).toEqual([0, 0]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it("bad options are InvalidOptionError naming them", () => {
    const c = { x: "x", t_x: "t", T: "T" };
    expect(() => mbgNbdPAliveSql("duckdb", { r: -1, alpha: 1, a: 1, b: 1 }, c)).toThrow(/option "params\.r"/);
    expect(() => mbgNbdPAliveSql("sqlite" as "duckdb", { r: 1, alpha: 1, a: 1, b: 1 }, c)).toThrow(/option "dialect"/);
    expect(() => mbgNbdExpectedPurchasesSql("duckdb", { r: 1, alpha: 1, a: 1, b: 1 }, c, 1)).toThrow(/a ≠ 1/);
    expect(() => mbgNbdExpectedPurchasesSql("duckdb", { r: 1, alpha: 1, a: 2, b: Number.NaN }, c, 1)).toThrow(/option "params\.b"/);
    expect(() => mbgNbdExpectedPurchasesSql("clickhouse", { r: 1, alpha: 1, a: 2, b: 1 }, c, -1)).toThrow(/option "t"/);
    expect(() => mbgNbdExpectedPurchasesSql("duckdb", { r: 1, alpha: 1, a: 2, b: 1 }, c, 1, { terms: 6000 })).toThrow(/option "terms"/);
    expect(() => mbgNbdPAliveSql("duckdb", { r: 1, alpha: 0, a: 1, b: 1 }, c)).toThrow(InvalidOptionError);
  });
});
