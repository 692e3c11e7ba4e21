/**
 * Samples drawn by DuckDB (sampleCustomersWithDuckDb) and "train on the sample, score everyone"
 * (trainOnSampleWithDuckDb), on a seeded synthetic customer table of 3,000 rows. The known truth
 * for the sample is an independent JavaScript reproduction of the rule (MD5 of "seed:id" with
 * node:crypto, the n_h smallest keys per stratum, largest-remainder allocation); the scores are
 * checked against in-process scoring of the returned models.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { createRng } from "../../src/numeric/random.js";
import { scoreChurnColumns } from "../../src/churn/columns.js";
import { assignClusterColumns } from "../../src/cluster/cluster.js";
import { sampleCustomersWithDuckDb, trainOnSampleWithDuckDb } from "../../src/engine/sample.js";

const N = 3000;
/** Customers: id, churned (about 25%), segment (3 uneven values), spend (skewed, some NaN), recency, frequency. */
function customers() {
  const rng = createRng("sample-test");
  return Array.from({ length: N }, (_, i) => {
    const recency = Math.floor(rng.next() * 500);
    const frequency = 1 + Math.floor(-Math.log(1 - rng.next()) * 3);
    const churned = rng.next() < 1 / (1 + Math.exp(-(-2 + recency / 150 - frequency / 4))) ? 1 : 0;
    const u = rng.next();
    const segment = u < 0.6 ? "web" : u < 0.9 ? "store" : "phone";
    const spend = i % 97 === 0 ? NaN : Math.round(Math.exp(rng.next() * 7) * 100) / 100;
    return { id: `c${String(i).padStart(5, "0")}-${Math.floor(rng.next() * 1e6)}`, churned, segment, spend, recency, frequency };
  });
}
const ROWS = customers();
const lit = (x: number) => (Number.isNaN(x) ? "'NaN'::DOUBLE" : `${x.toExponential()}::DOUBLE`);
const values = (rows: typeof ROWS) =>
  `SELECT * FROM (VALUES ${rows.map((r) => `('${r.id}', ${r.churned}, '${r.segment}', ${lit(r.spend)}, ${r.recency}, ${r.frequency})`).join(", ")}) AS v(customerId, churned, segment, spend, recency, frequency)`;
const SOURCE = { query: values(ROWS) };

/** The rule, in JavaScript: strata keys per row, proportional allocation, the n_h smallest MD5 keys. */
function expectedSample(rows: typeof ROWS, size: number, seed: string | number, stratum: (r: (typeof ROWS)[number]) => string): string[] {
  const groups = new Map<string, { id: string; key: string }[]>();
  for (const r of rows) {
    const s = stratum(r);
    if (!groups.has(s)) groups.set(s, []);
    groups.get(s)!.push({ id: r.id, key: createHash("md5").update(`${seed}:${r.id}`).digest("hex") });
  }
  const names = [...groups.keys()].sort();
  const pop = names.map((s) => groups.get(s)!.length);
  const n = pop.map((p) => Math.floor((size * p) / rows.length));
  let left = size - n.reduce((a, b) => a + b, 0);
  const order = pop.map((p, h) => ({ h, r: (size * p) / rows.length - n[h] })).sort((a, b) => b.r - a.r || a.h - b.h);
  for (const { h } of order) if (left > 0) (n[h]++, left--);
  const out: string[] = [];
  names.forEach((s, h) => out.push(...groups.get(s)!.sort((a, b) => (a.key < b.key ? -1 : 1)).slice(0, n[h]).map((x) => x.id)));
  return out.sort();
}

const dir = mkdtempSync(join(tmpdir(), "ca-sample-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sampleCustomersWithDuckDb", () => {
  it("sampleCustomersWithDuckDb(source, { size, strata: [label, segment] }) draws the n_h smallest MD5 keys per stratum (reproduced with node:crypto)", async () => {
    const s = await sampleCustomersWithDuckDb(SOURCE, { size: 300, strata: ["churned", "segment"], seed: "s1", idColumn: "customerId", threads: 1 });
    expect(s.length).toBe(300);
    expect(s.ids).toEqual(expectedSample(ROWS, 300, "s1", (r) => `${r.churned}|${r.segment}`));
    expect(s.info).toMatchObject({ method: "stratified-hash", seed: "s1", size: 300, population: N, fraction: 0.1 });
    expect(s.info.counts.length).toBe(6);
    // columns come back typed: numbers as Float64Array, text as strings, in id order
    const byId = new Map(ROWS.map((r) => [r.id, r]));
    expect(s.columns.recency).toBeInstanceOf(Float64Array);
    expect(Array.from(s.columns.recency as Float64Array)).toEqual(s.ids.map((id) => byId.get(id)!.recency));
    expect(s.columns.segment).toEqual(s.ids.map((id) => byId.get(id)!.segment));
  });

  it("same seed same sample, for any row order and thread count; another seed another sample", async () => {
    const a = await sampleCustomersWithDuckDb(SOURCE, { size: 250, strata: ["churned", { column: "spend", bins: 10 }], seed: 11, threads: 1 });
    // the rows reversed and written to two Parquet files, read with 2 threads
    const rev = [...ROWS].reverse();
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(`COPY (${values(rev.slice(0, 1700))}) TO '${dir}/part-1.parquet' (FORMAT parquet)`);
    await conn.run(`COPY (${values(rev.slice(1700))}) TO '${dir}/part-0.parquet' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const b = await sampleCustomersWithDuckDb(dir, { size: 250, strata: ["churned", { column: "spend", bins: 10 }], seed: 11, threads: 2 });
    expect(b.ids).toEqual(a.ids);
    expect(b.info.counts).toEqual(a.info.counts);
    const c = await sampleCustomersWithDuckDb(SOURCE, { size: 250, strata: ["churned", { column: "spend", bins: 10 }], seed: 12, threads: 1 });
    const overlap = c.ids.filter((id) => a.ids.includes(id)).length;
    // two independent 250-of-3,000 samples share about 250 * 250/3000 = 21 ids; far from 250
    expect(overlap).toBeLessThan(60);
  });

  it("every stratum's share of the sample is within 1/n of its share of the population (proportional allocation)", async () => {
    const n = 400;
    const s = await sampleCustomersWithDuckDb(SOURCE, { size: n, strata: ["churned", { column: "spend", bins: 10 }], seed: 3, threads: 1 });
    // spend deciles (bins 1..10) plus bin 0 for the 31 NaN spends (i % 97 = 0), by churn label
    const bins = new Set(s.info.counts.map((c) => c.key[1]));
    expect([...bins].sort((x, y) => Number(x) - Number(y))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s.info.cuts.spend.length).toBe(9);
    expect(s.info.counts.reduce((a, c) => a + c.population, 0)).toBe(N);
    expect(s.info.counts.reduce((a, c) => a + c.sample, 0)).toBe(n);
    for (const c of s.info.counts) expect(Math.abs(c.sample / n - c.population / N)).toBeLessThanOrEqual(1 / n);
    // each row's stratum index agrees with the counts
    const per = new Map<number, number>();
    for (const h of s.stratum) per.set(h, (per.get(h) ?? 0) + 1);
    s.info.counts.forEach((c, h) => expect(per.get(h) ?? 0).toBe(c.sample));
    // the churn rate of the sample is the population's to within 1/n (strata on the label)
    const rate = ROWS.filter((r) => r.churned === 1).length / N;
    const sampleRate = (s.columns.churned as Float64Array).reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(sampleRate - rate)).toBeLessThanOrEqual(1 / n + 1e-12);
  });

  it("size = N returns every customer; a simple random sample without strata has one stratum", async () => {
    const all = await sampleCustomersWithDuckDb(SOURCE, { size: N, strata: ["segment"], threads: 1 });
    expect(all.length).toBe(N);
    expect(all.info.counts.every((c) => c.fraction === 1)).toBe(true);
    const srs = await sampleCustomersWithDuckDb(SOURCE, { size: 10, seed: 42, threads: 1, columns: [] });
    expect(srs.info.counts).toEqual([{ key: [], population: N, sample: 10, fraction: 10 / N }]);
    expect(srs.ids).toEqual(expectedSample(ROWS, 10, 42, () => ""));
    expect(Object.keys(srs.columns)).toEqual([]);
  });

  describe("errors", () => {
    const cases: [string, object, string][] = [
      ["size 0", { size: 0 }, "size"],
      ["a fractional size", { size: 2.5 }, "size"],
      ["a size above the population", { size: N + 1 }, "size"],
      ["a missing size", {}, "size"],
      ["an unknown id column", { size: 5, idColumn: "id" }, "idColumn"],
      ["an unknown stratum column", { size: 5, strata: ["plan"] }, "strata[0]"],
      ["one bin", { size: 5, strata: [{ column: "spend", bins: 1 }] }, "strata[0]"],
      ["a bad seed", { size: 5, seed: NaN }, "seed"],
      ["a bad thread count", { size: 5, threads: 0 }, "threads"],
    ];
    for (const [what, options, option] of cases) {
      it(`${what} is an InvalidOptionError naming ${option}`, async () => {
        const e = await sampleCustomersWithDuckDb(SOURCE, { threads: 1, ...options } as never).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect((e as InvalidOptionError).option).toBe(option);
        expect((e as Error).message).toMatch(/^sampleCustomersWithDuckDb: /);
      });
    }
    it("a size above the population says how many customers there are", async () => {
      await expect(sampleCustomersWithDuckDb(SOURCE, { size: N + 1, threads: 1 })).rejects.toThrow(`at most ${N}`);
    });
    it("a missing file is an AnalyticsError IO_ERROR", async () => {
      const e = await sampleCustomersWithDuckDb(join(dir, "nope.parquet"), { size: 1, threads: 1 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AnalyticsError);
      expect((e as AnalyticsError).code).toBe("IO_ERROR");
    });
  });
});

describe("trainOnSampleWithDuckDb", () => {
  const full = {
    recency: Float64Array.from(ROWS, (r) => r.recency),
    frequency: Float64Array.from(ROWS, (r) => r.frequency),
    spend: Float64Array.from(ROWS, (r) => r.spend),
  };
  const order = Int32Array.from(ROWS.keys()).sort((a, b) => (ROWS[a].id < ROWS[b].id ? -1 : 1));

  it("trains a logistic churn model and k-means on a stratified sample and scores every customer as in process (1e-9)", async () => {
    const r = await trainOnSampleWithDuckDb(SOURCE, {
      sample: { size: 600, strata: ["churned", { column: "recency", bins: 5 }], seed: "train" },
      churn: { label: "churned", features: ["recency", "frequency", "spend"], model: "logistic" },
      cluster: { features: ["recency", "frequency"], k: 3, seed: 5 },
      threads: 1,
    });
    expect(r.trainedOn).toMatchObject({ method: "stratified-hash", size: 600, population: N, fraction: 0.2, seed: "train" });
    expect(r.churnModel?.trainingRows).toBe(600);
    expect(r.scored).toBe(N);
    expect(r.scores?.ids).toEqual(Array.from(order, (i) => ROWS[i].id));
    const want = scoreChurnColumns(r.churnModel!, { columns: full });
    const got = r.scores!.churnProbability!;
    let worst = 0;
    order.forEach((i, k) => (worst = Math.max(worst, Math.abs(got[k] - want[i]) / want[i])));
    expect(worst).toBeLessThan(1e-9);
    // recency drives churn in the simulation: the model found it
    expect(r.churnModel!.model === "logistic" && r.churnModel!.coefficients[0]).toBeGreaterThan(0);
    const lab = assignClusterColumns(r.clusterModel!, full);
    expect(Array.from(r.scores!.cluster!)).toEqual(Array.from(order, (i) => lab.labels[i]));
    order.forEach((i, k) => expect(Math.abs(r.scores!.clusterDistance![k] - lab.distances[i])).toBeLessThan(1e-9 * Math.max(1, lab.distances[i])));
  }, 60_000);

  it("writes the scores as Parquet with output (same numbers as streamed back)", async () => {
    const options = { sample: { size: 300, strata: ["churned"], seed: 9 }, churn: { label: "churned", features: ["recency", "frequency"], model: "tree" as const, maxDepth: 3 }, threads: 1 };
    const streamed = await trainOnSampleWithDuckDb(SOURCE, options);
    const path = join(dir, "scores.parquet");
    const written = await trainOnSampleWithDuckDb(SOURCE, { ...options, output: path });
    expect(written).toMatchObject({ scored: N, output: path });
    expect(written.scores).toBeUndefined();
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(`SELECT customerId, churn_probability FROM read_parquet('${path}') ORDER BY customerId`)).getRows();
    conn.closeSync();
    db.closeSync();
    expect(rows.map((x) => String(x[0]))).toEqual(streamed.scores!.ids);
    expect(Float64Array.from(rows, (x) => Number(x[1]))).toEqual(streamed.scores!.churnProbability);
  }, 60_000);

  describe("errors", () => {
    it("a label that is not a column, no model asked for, and a one-class sample are typed errors", async () => {
      const e1 = await trainOnSampleWithDuckDb(SOURCE, { sample: { size: 10 }, churn: { label: "lost", features: ["recency"] }, threads: 1 }).catch((x: unknown) => x);
      expect((e1 as InvalidOptionError).option).toBe("churn.label");
      const e2 = await trainOnSampleWithDuckDb(SOURCE, { sample: { size: 10 }, threads: 1 }).catch((x: unknown) => x);
      expect(e2).toBeInstanceOf(InvalidOptionError);
      const oneClass = { query: "SELECT 'c' || i AS customerId, 0 AS churned, i AS recency FROM range(100) AS t(i)" };
      const e3 = await trainOnSampleWithDuckDb(oneClass, { sample: { size: 10 }, churn: { label: "churned", features: ["recency"] }, threads: 1 }).catch((x: unknown) => x);
      expect((e3 as AnalyticsError).code).toBe("EMPTY_INPUT");
    });
  });
});
