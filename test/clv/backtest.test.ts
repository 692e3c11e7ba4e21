import { beforeAll, describe, expect, it } from "vitest";
import { AnalyticsError, backtestTransactionModels, InvalidOptionError, readTransactions, type Transaction } from "../../src/index.js";

let tx: Transaction[];
beforeAll(async () => {
  ({ transactions: tx } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  }));
});

describe("backtestTransactionModels", () => {
  it("a TransactionTable gives exactly the records' result (the pipeline's columnar path), and the rows equal calibrationHoldout's", async () => {
    const { calibrationHoldout, toTransactionTable } = await import("../../src/index.js");
    const windows = [{ calibrationEnd: "1997-06-30", holdoutEnd: "1997-12-31" }, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" }];
    const a = backtestTransactionModels(tx, { windows });
    const b = backtestTransactionModels(toTransactionTable(tx), { windows });
    expect(b).toEqual(a);
    // The window's rows are calibrationHoldout's: same customers and holdout total.
    const rows = calibrationHoldout(tx, { calibrationEnd: new Date("1997-09-30T00:00:00Z"), holdoutEnd: new Date("1998-06-30T00:00:00Z"), timeUnit: "weeks" });
    expect(a.windows[1].customers).toBe(rows.length);
    expect(a.windows[1].actualTotal).toBe(rows.reduce((s, r) => s + r.holdoutPurchases, 0));
  });

  it("backtestTransactionModels(cdnow, 3 rolling windows) scores every model, beats the baseline, and recommends one", () => {
    const bt = backtestTransactionModels(tx, {
      windows: [
        { calibrationEnd: "1997-06-30", holdoutEnd: "1997-12-31" },
        { calibrationEnd: "1997-09-30", holdoutEnd: "1998-03-31" },
        { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30" },
      ],
    });
    const w = bt.windows[2];
    // the published split: 2,357 customers, 1,882 holdout repeat purchases (shared/data/cdnow/README.md)
    expect(w.customers).toBe(2357);
    expect(w.actualTotal).toBe(1882);
    // BG/NBD's holdout total 1,653 (the same number test/clv/cdnow.test.ts gets from holdoutValidation)
    expect(w.scores[0].model).toBe("bg-nbd");
    expect(w.scores[0].predictedTotal).toBeCloseTo(1653.4, 0);
    // naive baseline: the holdout (39 weeks) is as long as the whole calibration period, so it
    // predicts exactly the 2,457 calibration repeat purchases
    expect(w.scores[3]).toMatchObject({ model: "naive-last-period", predictedTotal: 2457 });
    for (const s of w.scores) {
      expect(s.rmse).toBeGreaterThanOrEqual(s.mae); // RMSE >= MAE always
      expect(s.trackingError).toBeCloseTo(Math.abs(s.predictedTotal - 1882) / 1882, 12);
    }
    // every model beats the naive baseline on CDNOW
    for (const m of bt.summary.slice(0, 3)) expect(m.rmse).toBeLessThan(bt.summary[3].rmse);
    expect(["bg-nbd", "mbg-nbd", "pareto-nbd"]).toContain(bt.recommended);
    expect(bt.reason).toContain(bt.recommended);
    expect(bt.reason).toContain("beats the naive");
    // Gamma-Gamma independence on the 946 repeat buyers: Pearson 0.1139, as lifetimes' docs
    // print for CDNOW (returning_customers_summary[['monetary_value', 'frequency']].corr(): 0.113884)
    expect(bt.spendIndependence.repeatBuyers).toBe(946);
    expect(bt.spendIndependence.correlation).toBeCloseTo(0.113884, 5);
    expect(bt.spendIndependence.independent).toBe(true);
  }, 60_000);

  describe("errors", () => {
    it("no windows, a bad date or an empty holdout give typed errors", () => {
      expect(() => backtestTransactionModels(tx, { windows: [] })).toThrow(InvalidOptionError);
      expect(() => backtestTransactionModels(tx, { windows: [{ calibrationEnd: "30/09/1997", holdoutEnd: "1998-06-30" }] })).toThrow(InvalidOptionError);
      try {
        backtestTransactionModels(tx, { windows: [{ calibrationEnd: "1998-06-30", holdoutEnd: "1998-12-31" }] });
        throw new Error("no throw");
      } catch (e) {
        expect(e).toBeInstanceOf(AnalyticsError);
        expect((e as AnalyticsError).code).toBe("EMPTY_INPUT");
      }
    });
  });
});
