/** The CDNOW scoring case shared by the DuckDB and ClickHouse scoring tests: fitted models, in-process scores, and the SQL. */
import { expect } from "vitest";
import type { CalibrationTable, CustomerTable } from "../../src/core/table.js";
import { fitBgNbd, fitGammaGamma, type BgNbdModel, type GammaGammaModel } from "../../src/clv/index.js";
import { conditionalExpectedPurchasesColumn, conditionalExpectedSpendColumn, customerLifetimeValueColumns, probabilityAliveColumn } from "../../src/clv/predict.js";
import { scoreDimension } from "../../src/rfm/score.js";
import { bgNbdExpectedPurchasesSql, bgNbdPAliveSql, clvSql, gammaGammaSpendSql, rfmScoreSql } from "../../src/engine/index.js";

export const RFM_CUTS = { recency: [30, 90, 180, 365], frequency: [1, 2, 4, 8], monetary: [20, 50, 100, 250] };
export const HORIZON_T = 39;
export const CLV_OPTIONS = { horizon: 12, discountRate: 0.01 };

/** The in-process scores of every customer (rows of `cal`; RFM on the rows of `customers`). */
export function inProcessScores(cal: CalibrationTable, customers: CustomerTable) {
  const bg = fitBgNbd(cal) as BgNbdModel;
  const gg = fitGammaGamma(cal) as GammaGammaModel;
  const clv = customerLifetimeValueColumns(bg, gg, cal, CLV_OPTIONS);
  return {
    bg, gg,
    pAlive: probabilityAliveColumn(bg, cal),
    purchases: conditionalExpectedPurchasesColumn(bg, cal, { t: HORIZON_T }),
    spend: conditionalExpectedSpendColumn(gg, cal),
    clv: Float64Array.from(clv.clv, (v, i) => (clv.valued[i] ? v : 0)),
    r: scoreDimension(Float64Array.from(customers.recencyDays), 5, true, RFM_CUTS.recency, false, false).scores,
    f: scoreDimension(Float64Array.from(customers.frequency), 5, false, RFM_CUTS.frequency, false, false).scores,
    m: scoreDimension(Float64Array.from(customers.totalSpend), 5, false, RFM_CUTS.monetary, false, false).scores,
  };
}

/** SELECT list of the calibration scores over columns x, t_x, T, m (in this order: p_alive, purchases, purchases_unconverged, spend, clv, clv_unconverged). */
export function calibrationScoreSelect(dialect: "duckdb" | "clickhouse", s: ReturnType<typeof inProcessScores>, m = "m"): string {
  const c = { x: "x", t_x: "t_x", T: "T", monetaryValue: m };
  const e = bgNbdExpectedPurchasesSql(dialect, s.bg.params, c, HORIZON_T);
  const v = clvSql(dialect, s.bg.params, s.gg.params, c, CLV_OPTIONS);
  return [bgNbdPAliveSql(dialect, s.bg.params, c), e.value, `${e.unconverged} AS u1`, gammaGammaSpendSql(dialect, s.gg.params, "x", m), v.value, `${v.unconverged} AS u2`].join(",\n ");
}

/** SELECT list of the RFM scores over columns recency, frequency, monetary. */
export function rfmScoreSelect(dialect: "duckdb" | "clickhouse"): string {
  return [rfmScoreSql(dialect, "recency", RFM_CUTS.recency, true), rfmScoreSql(dialect, "frequency", RFM_CUTS.frequency), rfmScoreSql(dialect, "monetary", RFM_CUTS.monetary)].join(", ");
}

/** Largest relative difference (floor 1e-300) of `got` against `want`, with the row. */
export function expectRelClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-9): void {
  expect(got.length, `${what} length`).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-300);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst <= tol ? "close" : `row ${at}: ${got[at]} vs ${want[at]} (relative ${worst})`, what).toBe("close");
}
