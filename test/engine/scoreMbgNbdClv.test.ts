/**
 * MBG/NBD lifetime value compiled to SQL (`clvSql` / `clvSeriesSql` with `model: "mbg-nbd"`), run
 * by DuckDB on CDNOW (calibration to 1997-09-30, weeks; MBG/NBD and Gamma-Gamma fitted in
 * process), against the in-process `customerLifetimeValueColumns` of every customer (rows the
 * spend model leaves out count 0, as in the BG/NBD scoring tests): 1e-9 relative, the x = 0
 * customers on their own too, at two horizon / rate settings.
 */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { readTransactionTable } from "../../src/io/readTable.js";
import { fitGammaGamma, type GammaGammaModel } from "../../src/clv/index.js";
import { customerLifetimeValueColumns } from "../../src/clv/predict.js";
import { clvSeriesSql, clvSql } from "../../src/engine/index.js";
import { mbgInProcess, worstRel } from "./scoreMbgNbdCases.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const CDNOW_OPTIONS = { format: "csv", delimiter: "whitespace", header: false, names: ["masterId", "customerId", "date", "cds", "amount"], dateFormat: "YYYYMMDD" } as const;

async function duck() {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  return { db, conn: await db.connect() };
}

describe("clvSql with model: \"mbg-nbd\" (DuckDB)", () => {
  it("the lifetime value of CDNOW's 2,357 customers equals customerLifetimeValueColumns of the MBG/NBD model to 1e-9 relative, x = 0 included, inline and through a series table", async () => {
    const s = mbgInProcess((await readTransactionTable(CDNOW, CDNOW_OPTIONS)).table);
    const { cal, model, zero } = s;
    const gg = fitGammaGamma(cal) as GammaGammaModel;
    const all = Array.from({ length: cal.length }, (_, i) => i);
    const settings = [{ horizon: 12, discountRate: 0.01 }, { horizon: 6 }] as const;
    const { db, conn } = await duck();
    try {
      const values = all.map((i) => `(${i}, ${cal.x[i]}, ${cal.t_x[i]}, ${cal.T[i]}, ${cal.monetaryValue[i]})`);
      await conn.run(`CREATE TABLE cal AS SELECT * FROM (VALUES ${values.join(", ")}) AS v(i, x, t_x, "T", m)`);
      const c = { x: "x", t_x: "t_x", T: '"T"', monetaryValue: "m" };
      for (const o of settings) {
        const inProcess = customerLifetimeValueColumns(model, gg, cal, o);
        const want = Float64Array.from(inProcess.clv, (v, i) => (inProcess.valued[i] ? v : 0));
        const inline = clvSql("duckdb", model.params, gg.params, c, { ...o, model: "mbg-nbd" });
        const series = clvSeriesSql("duckdb", model.params, { x: "x", T: '"T"' }, { ...o, model: "mbg-nbd" });
        const viaSeries = clvSql("duckdb", model.params, gg.params, c, { ...o, model: "mbg-nbd", series: "s" });
        await conn.run("DROP TABLE IF EXISTS pairs");
        await conn.run(`CREATE TABLE pairs AS SELECT x, "T", ${series.value} AS s, ${series.unconverged} AS u FROM (SELECT DISTINCT x, "T" FROM cal)`);
        const rows = (await conn.runAndReadAll(`SELECT ${inline.value}, ${inline.unconverged}, ${viaSeries.value}, u FROM cal JOIN pairs USING (x, "T") ORDER BY i`)).getRows();
        expect(rows.length).toBe(cal.length);
        const got = Float64Array.from(rows, (r) => Number(r[0]));
        const got2 = Float64Array.from(rows, (r) => Number(r[2]));
        for (const [label, g] of [["inline", got], ["series", got2]] as const) {
          for (const [which, idx] of [["all", all], ["x = 0", zero]] as const) {
            const { rel, row } = worstRel(g, want, idx);
            expect(rel <= 1e-9 ? "close" : `row ${row}: ${g[row]} vs ${want[row]} (relative ${rel})`, `${label}, ${which}, horizon ${o.horizon}`).toBe("close");
          }
        }
        expect(rows.every((r) => r[1] === false && r[3] === false), "every series converged").toBe(true);
        expect(zero.length).toBe(1411);
        // and the MBG/NBD values are not the BG/NBD formula run on the same parameters
        const bgText = clvSql("duckdb", model.params, gg.params, c, o).value;
        const bgRows = (await conn.runAndReadAll(`SELECT ${bgText} FROM cal ORDER BY i`)).getRows();
        const differs = all.filter((i) => cal.x[i] > 0 && Math.abs(Number(bgRows[i][0]) - want[i]) > 1e-6 * Math.abs(want[i])).length;
        expect(differs).toBeGreaterThan(100);
      }
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }, 120_000);

  it("model defaults to \"bg-nbd\" (the same SQL text), and any other value is an InvalidOptionError naming model", () => {
    const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
    const c = { x: "x", t_x: "t_x", T: "T", monetaryValue: "m" };
    for (const d of ["duckdb", "clickhouse"] as const) {
      expect(clvSql(d, bg, gg, c, { model: "bg-nbd", horizon: 6 }).value).toBe(clvSql(d, bg, gg, c, { horizon: 6 }).value);
      expect(clvSeriesSql(d, bg, c, { model: "bg-nbd" }).value).toBe(clvSeriesSql(d, bg, c).value);
      // the MBG/NBD series is the BG/NBD series with b + 1
      expect(clvSeriesSql(d, bg, c, { model: "mbg-nbd" }).value).toBe(clvSeriesSql(d, { ...bg, b: bg.b + 1 }, c).value);
    }
    let e: unknown;
    try {
      clvSql("duckdb", bg, gg, c, { model: "pareto-nbd" as never });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).option).toBe("model");
  });
});
