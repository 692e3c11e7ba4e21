/**
 * The CDNOW MBG/NBD scoring case shared by the DuckDB test (scoreMbgNbd.test.ts) and the
 * ClickHouse cluster check (`mbgNbdClusterCheck`, for clickhouse.test.ts): the model fitted in
 * process, the in-process columns, and the SQL select list.
 */
import { expect } from "vitest";
import type { CalibrationTable, TransactionTable } from "../../src/core/table.js";
import { fitMbgNbd, type MbgNbdModel } from "../../src/clv/index.js";
import { conditionalExpectedPurchasesColumn, probabilityAliveColumn } from "../../src/clv/predict.js";
import { calibrationTable } from "../../src/summary/summarize.js";
import { mbgNbdExpectedPurchasesSql, mbgNbdPAliveSql } from "../../src/engine/index.js";
import type { ClickHouseCluster } from "./clickhouseCluster.js";
import { expectRelClose } from "./scoreCases.js";

/**
 * Horizons (weeks) and series bounds: 39 weeks; 10 years; 100 years, where z = t/(α+T+t) > 0.99
 * for every CDNOW customer, so the in-process path uses its integral form instead of the series.
 */
export const MBG_CASES = [
  { t: 39, terms: 128 },
  { t: 520, terms: 1024 },
  { t: 5200, terms: 5000 },
] as const;

/** The calibration of CDNOW (to 1997-09-30, weeks), the MBG/NBD fitted on it, and the in-process columns. */
export function mbgInProcess(cdnow: TransactionTable) {
  const cal: CalibrationTable = calibrationTable(cdnow, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
  const model: MbgNbdModel = fitMbgNbd(cal);
  return {
    cal,
    model,
    pAlive: probabilityAliveColumn(model, cal),
    purchases: MBG_CASES.map((k) => conditionalExpectedPurchasesColumn(model, cal, { t: k.t })),
    /** Rows with x = 0. */
    zero: Array.from({ length: cal.length }, (_, i) => i).filter((i) => cal.x[i] === 0),
  };
}

/** SELECT list over columns x, t_x, T: P(alive), then per case the expected purchases and the unconverged flag. */
export function mbgScoreSelect(dialect: "duckdb" | "clickhouse", model: MbgNbdModel, T = "T"): string {
  const c = { x: "x", t_x: "t_x", T };
  const exprs = MBG_CASES.map((k) => mbgNbdExpectedPurchasesSql(dialect, model.params, c, k.t, { terms: k.terms }));
  return [mbgNbdPAliveSql(dialect, model.params, c), ...exprs.flatMap((e) => [e.value, e.unconverged])].join(",\n ");
}

/** Largest relative difference of `got` against `want` over `rows` (floor 1e-300), with the row. */
export function worstRel(got: ArrayLike<number>, want: ArrayLike<number>, rows: readonly number[]): { rel: number; row: number } {
  let rel = 0;
  let row = -1;
  for (const i of rows) {
    const d = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-300);
    if (!(d <= rel)) {
      rel = d;
      row = i;
    }
  }
  return { rel, row };
}

/**
 * In the 2-shard cluster: CDNOW's calibration rows into a Distributed table `mbg_cal` sharded by
 * customer, scored there with {@link mbgScoreSelect}, equal to the in-process columns to 1e-9
 * relative (all rows, and the x = 0 rows alone), every series converged. Returns the largest
 * relative differences (over all rows), by score.
 */
export async function mbgNbdClusterCheck(cluster: ClickHouseCluster, cdnow: TransactionTable): Promise<Record<string, number>> {
  const s = mbgInProcess(cdnow);
  const { cal } = s;
  for (const k of [0, 1] as const) {
    await cluster.query("CREATE TABLE mbg_cal_local (id String, x Float64, t_x Float64, T Float64) ENGINE = MergeTree() ORDER BY id", k);
    await cluster.query("CREATE TABLE mbg_cal AS mbg_cal_local ENGINE = Distributed(ca_two, default, mbg_cal_local, cityHash64(id))", k);
  }
  const body = cal.ids.map((id, i) => [id, cal.x[i], cal.t_x[i], cal.T[i]].join("\t")).join("\n");
  await cluster.query(`INSERT INTO mbg_cal FORMAT TabSeparated\n${body}\n`, 0, { insert_distributed_sync: "1" });
  const perShard = await Promise.all(([0, 1] as const).map(async (k) => Number((await cluster.query("SELECT count() FROM mbg_cal_local", k)).trim())));
  expect(perShard.every((n) => n > 0) && perShard[0] + perShard[1] === cal.length, `rows per shard ${perShard}`).toBe(true);
  const out = await cluster.query(`SELECT id, ${mbgScoreSelect("clickhouse", s.model)} FROM mbg_cal FORMAT TabSeparated`);
  const at = new Map(out.trim().split("\n").map((l) => l.split("\t")).map((r) => [r[0], r]));
  expect(at.size).toBe(cal.length);
  const col = (j: number) => Float64Array.from(cal.ids, (id) => Number(at.get(id)?.[j + 1]));
  const pick = (a: Float64Array) => Float64Array.from(s.zero, (i) => a[i]);
  const all = Array.from({ length: cal.length }, (_, i) => i);
  const worst: Record<string, number> = { "P(alive)": worstRel(col(0), s.pAlive, all).rel };
  expectRelClose(col(0), s.pAlive, "P(alive)");
  expectRelClose(pick(col(0)), pick(s.pAlive), "P(alive), x = 0");
  MBG_CASES.forEach((k, j) => {
    worst[`E[Y(${k.t})]`] = worstRel(col(1 + 2 * j), s.purchases[j], all).rel;
    expectRelClose(col(1 + 2 * j), s.purchases[j], `E[Y(${k.t})]`);
    expectRelClose(pick(col(1 + 2 * j)), pick(s.purchases[j]), `E[Y(${k.t})], x = 0`);
    expect(cal.ids.every((id) => at.get(id)?.[3 + 2 * j] === "0"), `every series of t = ${k.t} converged within ${k.terms} terms`).toBe(true);
  });
  return worst;
}
