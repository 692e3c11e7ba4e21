/**
 * Churn models and k-means compiled to SQL (churnScoreSql, clusterAssignSql), run by DuckDB on a
 * seeded synthetic customer table, against the in-process scoring of the same models
 * (scoreChurnColumns, assignClusterColumns): probabilities and distances to 1e-9 relative,
 * labels equal. Missing values (NaN in process, NULL/NaN in SQL) go the same way.
 */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { createRng } from "../../src/numeric/random.js";
import { scoreChurnColumns, trainChurnModelColumns } from "../../src/churn/columns.js";
import { assignClusterColumns, clusterCustomers } from "../../src/cluster/cluster.js";
import { churnScoreSql, clusterAssignSql } from "../../src/engine/score.js";

async function duck() {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  return { db, conn: await db.connect() };
}

/** 1,500 customers: recency, frequency, spend (right-skewed, some negative net spend), a churn label driven by recency and frequency, NaN in `gap` for a fifth of them. */
function table(seed: string) {
  const rng = createRng(seed);
  const n = 1500;
  const recency = new Float64Array(n);
  const frequency = new Float64Array(n);
  const spend = new Float64Array(n);
  const gap = new Float64Array(n);
  const churned = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    recency[i] = Math.floor(rng.next() * 700);
    frequency[i] = 1 + Math.floor(-Math.log(1 - rng.next()) * 4);
    spend[i] = Math.round((Math.exp(rng.next() * 6) - 20) * 100) / 100;
    gap[i] = rng.next() < 0.2 ? NaN : Math.round(rng.next() * 9000) / 100;
    const eta = -1 + recency[i] / 200 - frequency[i] / 3;
    churned[i] = rng.next() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { n, recency, frequency, spend, gap, churned };
}

/** The table as a DuckDB VALUES relation `t(i, recency, frequency, spend, gap)`, NaN as a NaN double (and row 0's gap as NULL). */
function valuesSql(t: ReturnType<typeof table>): string {
  const v = (x: number) => (Number.isNaN(x) ? "'NaN'::DOUBLE" : `${x.toExponential()}::DOUBLE`);
  const rows = Array.from({ length: t.n }, (_, i) => `(${i}, ${v(t.recency[i])}, ${v(t.frequency[i])}, ${v(t.spend[i])}, ${i === 0 ? "NULL" : v(t.gap[i])})`);
  return `(VALUES ${rows.join(", ")}) AS t(i, recency, frequency, spend, gap)`;
}

function expectRelClose(got: Float64Array, want: Float64Array, what: string): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1e-300, Math.abs(want[i]), 1e-12));
  expect(worst, `${what}: largest relative difference`).toBeLessThan(1e-9);
}

describe("churnScoreSql", () => {
  const t = table("score-models");
  t.gap[0] = NaN; // row 0 is NULL in SQL: missing in both
  const features = { recency: t.recency, frequency: t.frequency, spend: t.spend, gap: t.gap };

  for (const kind of ["logistic", "tree", "forest"] as const) {
    it(`churnScoreSql(duckdb, ${kind} model) equals scoreChurnColumns for all 1,500 customers (1e-9 relative)`, async () => {
      const opts = kind === "forest" ? { model: kind, nTrees: 5, maxDepth: 4, seed: 3 } : kind === "tree" ? { model: kind, maxDepth: 5 } : { model: kind };
      const model = trainChurnModelColumns({ columns: features }, t.churned, opts);
      const want = scoreChurnColumns(model, { columns: features });
      // the model is not trivial: scores spread over [0, 1]
      expect(Math.max(...want) - Math.min(...want)).toBeGreaterThan(0.5);
      const { db, conn } = await duck();
      try {
        const rows = (await conn.runAndReadAll(`SELECT ${churnScoreSql("duckdb", JSON.parse(JSON.stringify(model)))} FROM ${valuesSql(t)} ORDER BY i`)).getRows();
        expectRelClose(Float64Array.from(rows, (r) => Number(r[0])), want, kind);
      } finally {
        conn.closeSync();
        db.closeSync();
      }
    }, 60_000);
  }

  it("churnScoreSql(duckdb, model, columns) reads features from the given expressions", async () => {
    const model = trainChurnModelColumns({ columns: { recency: t.recency, frequency: t.frequency } }, t.churned, { model: "logistic" });
    const want = scoreChurnColumns(model, { columns: { recency: t.recency, frequency: t.frequency } });
    const { db, conn } = await duck();
    try {
      const sql = churnScoreSql("duckdb", model, { recency: "r_days", frequency: "CAST(f_text AS DOUBLE)" });
      const rows = (await conn.runAndReadAll(`SELECT ${sql} FROM (SELECT i, recency AS r_days, CAST(frequency AS VARCHAR) AS f_text FROM ${valuesSql(t)}) ORDER BY i`)).getRows();
      expectRelClose(Float64Array.from(rows, (r) => Number(r[0])), want, "logistic on expressions");
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }, 60_000);

  describe("errors", () => {
    it("refuses what is not a churn model, and boosting models, with InvalidOptionError naming model", () => {
      expect(() => churnScoreSql("duckdb", { format: "x" } as never)).toThrow(InvalidOptionError);
      try {
        churnScoreSql("duckdb", { format: "x" } as never);
      } catch (e) {
        expect((e as InvalidOptionError).option).toBe("model");
      }
      const boost = trainChurnModelColumns({ columns: features }, t.churned, { model: "boosting", maxIter: 3 });
      expect(() => churnScoreSql("duckdb", boost)).toThrow(/"logistic", "tree" or "forest"/);
      expect(() => churnScoreSql("spark" as never, boost)).toThrow(InvalidOptionError);
    });
  });
});

describe("clusterAssignSql", () => {
  const t = table("score-clusters");
  const rows = Array.from({ length: t.n }, (_, i) => ({ customerId: String(i), recencyDays: t.recency[i], frequency: t.frequency[i], totalSpend: t.spend[i] }));
  const columns = { recencyDays: "recency", frequency: "frequency", totalSpend: "spend" };

  for (const [name, opts] of [
    ["log1p + zscore (the defaults; negative spend)", { k: 5, seed: 7 }],
    ["no transform, robust scaling", { k: 3, seed: 7, transform: "none", scaling: "robust" }],
  ] as const) {
    it(`clusterAssignSql(duckdb, model) gives assignClusterColumns' labels and distances (${name})`, async () => {
      const { model } = clusterCustomers(rows, opts);
      const want = assignClusterColumns(model, { recencyDays: t.recency, frequency: t.frequency, totalSpend: t.spend });
      expect(new Set(want.labels).size).toBe(opts.k);
      const { cluster, distance } = clusterAssignSql("duckdb", JSON.parse(JSON.stringify(model)), columns);
      const { db, conn } = await duck();
      try {
        const r = (await conn.runAndReadAll(`SELECT ${cluster}, ${distance} FROM ${valuesSql(t)} ORDER BY i`)).getRows();
        expect(Int32Array.from(r, (x) => Number(x[0]))).toEqual(want.labels);
        expectRelClose(Float64Array.from(r, (x) => Number(x[1])), want.distances, "distance");
      } finally {
        conn.closeSync();
        db.closeSync();
      }
    }, 60_000);
  }

  it("clusterAssignSql gives the lowest cluster number on an exact tie (as in process)", async () => {
    // centres 0 and 10 on one unscaled feature: 5 is 5 from both -> cluster 0; 6 -> cluster 1
    const model = { format: "customer-analytics/cluster-model" as const, version: 1 as const, features: ["f"], transforms: ["none" as const], center: [0], scale: [1], centroids: [[0], [10]] };
    const { cluster, distance } = clusterAssignSql("duckdb", model);
    const { db, conn } = await duck();
    try {
      const r = (await conn.runAndReadAll(`SELECT ${cluster}, ${distance} FROM (VALUES (5.0), (6.0)) AS v(f)`)).getRows();
      expect(r.map((x) => [Number(x[0]), Number(x[1])])).toEqual([[0, 5], [1, 4]]);
      expect(Array.from(assignClusterColumns(model, { f: [5, 6] }).labels)).toEqual([0, 1]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  describe("errors", () => {
    it("refuses a broken model with InvalidOptionError naming model", () => {
      expect(() => clusterAssignSql("duckdb", { format: "customer-analytics/cluster-model", version: 1, features: ["f"], transforms: ["none"], center: [0], scale: [1], centroids: [] } as never)).toThrow(InvalidOptionError);
      try {
        clusterAssignSql("duckdb", { format: "nope" } as never);
      } catch (e) {
        expect((e as InvalidOptionError).option).toBe("model");
        expect((e as InvalidOptionError).message).toMatch(/^clusterAssignSql/);
      }
    });
  });
});

describe("clvSeriesSql", () => {
  it("clvSql with series from a table of distinct (x, T) pairs equals clvSql computed in the row", async () => {
    const { clvSql, clvSeriesSql } = await import("../../src/engine/score.js");
    const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
    const rng = createRng("clv-series");
    // 400 customers on 30 distinct T values and x 0..5: many share (x, T)
    const rows = Array.from({ length: 400 }, (_, i) => {
      const T = 10 + Math.floor(rng.next() * 30);
      const x = Math.floor(rng.next() * 6);
      const t_x = x === 0 ? 0 : Math.round(rng.next() * T * 100) / 100;
      return `(${i}, ${x}.0, ${t_x}::DOUBLE, ${T}.0, ${x === 0 ? 0 : Math.round(rng.next() * 9000) / 100}::DOUBLE)`;
    });
    const c = { x: "x", t_x: "t_x", T: '"T"', monetaryValue: "m" };
    const inline = clvSql("duckdb", bg, gg, c, { horizon: 6 });
    const s = clvSeriesSql("duckdb", bg, { x: "x", T: '"T"' }, { horizon: 6 });
    const viaSeries = clvSql("duckdb", bg, gg, c, { horizon: 6, series: "s" });
    const { db, conn } = await duck();
    try {
      await conn.run(`CREATE TABLE cal AS SELECT * FROM (VALUES ${rows.join(", ")}) AS v(i, x, t_x, "T", m)`);
      await conn.run(`CREATE TABLE pairs AS SELECT x, "T", ${s.value} AS s, ${s.unconverged} AS u FROM (SELECT DISTINCT x, "T" FROM cal)`);
      const pairs = Number((await conn.runAndReadAll("SELECT count(*) FROM pairs")).getRows()[0][0]);
      expect(pairs).toBeLessThan(200);
      const r = (await conn.runAndReadAll(`SELECT ${inline.value}, ${viaSeries.value}, ${inline.unconverged}, u FROM cal JOIN pairs USING (x, "T") ORDER BY i`)).getRows();
      expect(r.length).toBe(400);
      for (const row of r) {
        expect(Number(row[1])).toBe(Number(row[0]));
        expect(row[3]).toBe(row[2]);
      }
      expect(r.some((row) => Number(row[0]) > 0)).toBe(true);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
