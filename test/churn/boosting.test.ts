import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { AnalyticsError, InvalidOptionError } from "../../src/core/errors.js";
import { readTransactions } from "../../src/io/index.js";
import {
  atRiskCustomers,
  churnDataset,
  churnPermutationImportance,
  evaluateChurn,
  scoreChurn,
  scoreChurnColumns,
  stratifiedSplit,
  trainChurnModel,
  trainChurnModelColumns,
  type BoostingChurnModel,
  type ChurnDatasetResult,
  type ChurnRow,
} from "../../src/churn/index.js";
import { binThresholds, mapToBins, shouldStop, splitGain } from "../../src/churn/boosting.js";
import { minstd } from "./fixtures.js";

/** Uniforms in (0, 1) from the MINSTD generator. */
const uniform = (seed: number): (() => number) => {
  const next = minstd(seed);
  return () => next() / 2147483647;
};

// test/reference/churn_hgb.py: sklearn 1.2 HistGradientBoostingClassifier() (defaults, random_state=0)
// on the CDNOW churn table and the 10 seeded stratified 70/30 splits of churn_export.ts.
const ref = JSON.parse(readFileSync(new URL("../reference/churn_hgb.json", import.meta.url), "utf8")) as {
  features: string[];
  rows: number;
  cdnow: { split: number; auc: number; n_iter: number; first_probs: number[] }[];
  cdnow_mean_auc: number;
  thresholds_split0: Record<string, number[]>;
};

let ds: ChurnDatasetResult;
beforeAll(async () => {
  const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  });
  ds = churnDataset(transactions, { cutoff: "1997-09-30", churnWindowDays: 273 });
});

const strip = (r: ChurnRow): ChurnRow => Object.fromEntries(ref.features.map((f) => [f, r[f]]).concat([["churned", r.churned]]));

describe("boosting on CDNOW against scikit-learn's HistGradientBoostingClassifier", () => {
  it("places sklearn's bin thresholds exactly (split 0 training rows; >255 distinct values -> numpy percentile 'midpoint')", () => {
    const { train } = stratifiedSplit(ds.rows, { seed: 0, testFraction: 0.3 });
    for (const f of ref.features) {
      const col = Float64Array.from(train, (r) => (r[f] === null ? NaN : Number(r[f])));
      expect(Array.from(binThresholds(col, 255)), f).toEqual(ref.thresholds_split0[f]);
    }
  });

  it("mean test ROC AUC over the 10 splits within 0.005 of sklearn's (0.7222), each split within 0.015", () => {
    const aucs: number[] = [];
    for (let s = 0; s < 10; s++) {
      const { train, test } = stratifiedSplit(ds.rows, { seed: s, testFraction: 0.3 });
      const model = trainChurnModel(train.map(strip), { model: "boosting" }) as BoostingChurnModel;
      expect(model.trees.length).toBe(100); // 1,650 rows: early stopping "auto" is off, max_iter 100
      expect(model.earlyStopping.used).toBe(false);
      const auc = evaluateChurn(test.map((r) => r.churned === true), scoreChurn(model, test)).rocAuc!;
      expect(Math.abs(auc - ref.cdnow[s].auc), `split ${s}`).toBeLessThan(0.015);
      aucs.push(auc);
    }
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    // measured: 0.72242 vs 0.72216
    expect(Math.abs(mean - ref.cdnow_mean_auc)).toBeLessThan(0.005);
  });

  it("gives sklearn's probabilities on split 0 (first 3 test rows, 1e-3: sklearn keeps gradients in float32)", () => {
    const { train, test } = stratifiedSplit(ds.rows, { seed: 0, testFraction: 0.3 });
    const p = scoreChurn(trainChurnModel(train.map(strip), { model: "boosting" }), test.slice(0, 3));
    p.forEach((v, i) => expect(v).toBeCloseTo(ref.cdnow[0].first_probs[i], 3));
  });
});

describe("boosting mechanics (hand cases)", () => {
  it("splitGain = G_L^2/H_L + G_R^2/H_R - G^2/H (l2 = 0)", () => {
    // G_L = -3, H_L = 2; G_R = 1, H_R = 2; G = -2, H = 4: 9/2 + 1/2 - 4/4 = 4
    expect(splitGain(-3, 2, 1, 2, -2, 4, 0)).toBe(4);
    // with l2 = 1: 9/3 + 1/3 - 4/5 = 2.5333...
    expect(splitGain(-3, 2, 1, 2, -2, 4, 1)).toBeCloseTo(9 / 3 + 1 / 3 - 4 / 5, 14);
  });

  it("bins: midpoints of distinct values; a value equal to a threshold falls in the lower bin; NaN in bin 255", () => {
    const thr = binThresholds(Float64Array.from([3, 1, 2, 2, NaN]), 255);
    expect(Array.from(thr)).toEqual([1.5, 2.5]);
    expect(Array.from(mapToBins(Float64Array.from([1, 1.5, 2, 2.5, 3, NaN]), thr, null))).toEqual([0, 0, 1, 1, 2, 255]);
  });

  it("early stopping follows sklearn's rule: stop when none of the last k losses beats the one k+1 back by tol", () => {
    expect(shouldStop([1, 0.9, 0.9, 0.9], 3, 1e-7)).toBe(false); // losses[-4] = 1 -> 0.9 beats it
    expect(shouldStop([1, 0.9, 0.9, 0.9, 0.9], 3, 1e-7)).toBe(true);
    expect(shouldStop([0.9, 0.9], 3, 0)).toBe(false); // fewer than k + 1 scores
  });

  it("one stump, learning rate 1: leaf values are Newton steps -G/H from the log-odds baseline", () => {
    // 40 rows: x < 20 -> 5 of 20 churned, x >= 20 -> 15 of 20. baseline = logit(0.5) = 0.
    // At baseline p = 0.5, g = p - y, h = 1/4: left G = 20*0.5 - 5 = 5, H = 5 -> value -1;
    // right G = 10 - 15 = -5, H = 5 -> value +1. Probabilities sigmoid(-1) = 0.2689, sigmoid(1) = 0.7311.
    const x = Float64Array.from({ length: 40 }, (_, i) => i);
    const y = Array.from({ length: 40 }, (_, i) => (i < 20 ? (i % 4 === 0 ? 1 : 0) : i % 4 === 0 ? 0 : 1));
    const m = trainChurnModelColumns({ columns: { x } }, y, { model: "boosting", maxIter: 1, learningRate: 1, maxLeafNodes: 2 }) as BoostingChurnModel;
    expect(m.baseline).toBe(0);
    expect(m.trees[0].threshold[0]).toBe(19.5);
    const p = scoreChurnColumns(m, { columns: { x: [0, 39] } });
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(1)), 12);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it("missing values go to the side learned in training; 'missing vs present' is a split of its own", () => {
    // churn iff the value is missing: the only useful split is present (left) vs missing (right)
    const x = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? null : i % 7));
    const y = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const m = trainChurnModelColumns({ columns: { x } }, y, { model: "boosting", maxIter: 20 }) as BoostingChurnModel;
    expect(m.trees[0].threshold[0]).toBe(Number.MAX_VALUE);
    const p = scoreChurnColumns(m, { columns: { x: [null, 3, 1e300] } });
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[1]).toBeLessThan(0.2);
    expect(p[2]).toBeLessThan(0.2);
  });

  it("categorical splits: levels grouped by their churn rate, unseen level routed like missing", () => {
    const rnd = uniform(7);
    const rows: ChurnRow[] = Array.from({ length: 600 }, (_, i) => {
      const plan = ["a", "b", "c", "d", "e", "f"][i % 6];
      const rate = { a: 0.9, b: 0.1, c: 0.85, d: 0.15, e: 0.8, f: 0.2 }[plan]!;
      return { plan, churned: rnd() < rate };
    });
    const m = trainChurnModel(rows, { model: "boosting", maxIter: 30 }) as BoostingChurnModel;
    // the low-churn levels on one side, the high-churn ones on the other; which side is "left" is a
    // tie of equal gains (the two scan directions find the same partition), decided by float32 rounding
    const left = m.trees[0].categories[0]!.map((l) => ["a", "b", "c", "d", "e", "f"][l]).sort().join("");
    expect(["bdf", "ace"]).toContain(left);
    const p = scoreChurn(m, [{ plan: "a" }, { plan: "b" }, { plan: "zzz" }]);
    expect(p[0]).toBeGreaterThan(0.75);
    expect(p[1]).toBeLessThan(0.25);
    expect(p[2]).toBeGreaterThanOrEqual(0);
    const top = atRiskCustomers(m, [{ customerId: "x", plan: "a" }], { top: 1 })[0];
    expect(top.reason).toMatch(/^plan = a \(\+\d\.\d\d log-odds\)/);
  });

  it("early stopping 'auto' turns on above 10,000 rows, holds out 10% (stratified) and stops on a flat validation loss", () => {
    const rnd = uniform(11);
    const n = 12_000;
    const x = Float64Array.from({ length: n }, () => rnd());
    const y = Array.from(x, (v) => (rnd() < 0.3 + 0.2 * v ? 1 : 0));
    const m = trainChurnModelColumns({ columns: { x } }, y, { model: "boosting" }) as BoostingChurnModel;
    expect(m.earlyStopping.used).toBe(true);
    expect(m.earlyStopping.validationRows).toBe(1200);
    expect(m.earlyStopping.stopped).toBe(true);
    expect(m.trees.length).toBeLessThan(100);
    expect(m.earlyStopping.validationLoss.length).toBe(m.trees.length + 1);
  });

  it("gain importance sums to 1 and ranks the informative column first; permutation importance (seeded) agrees", () => {
    const rnd = uniform(3);
    const n = 1000;
    const signal = Float64Array.from({ length: n }, () => rnd());
    const noise = Float64Array.from({ length: n }, () => rnd());
    const y = Array.from(signal, (v) => (rnd() < v ? 1 : 0));
    const m = trainChurnModelColumns({ columns: { noise, signal } }, y, { model: "boosting", maxIter: 20 });
    expect(m.importance[1]).toBeGreaterThan(m.importance[0]);
    expect(m.importance[0] + m.importance[1]).toBeCloseTo(1, 12);
    const a = churnPermutationImportance(m, { columns: { noise, signal } }, y, { seed: 1 });
    const b = churnPermutationImportance(m, { columns: { noise, signal } }, y, { seed: 1 });
    expect(a).toEqual(b);
    expect(a.columns[0].column).toBe("signal");
    expect(a.columns[0].meanDrop).toBeGreaterThan(0.1);
  });
});

describe("boosting models as JSON (D2)", () => {
  const rows: ChurnRow[] = Array.from({ length: 300 }, (_, i) => ({ r: (i * 37) % 101, plan: ["x", "y", "z"][i % 3], churned: (i * 37) % 101 > 50 !== (i % 9 === 0) }));
  const model = trainChurnModel(rows, { model: "boosting", maxIter: 5 });
  const loaded = (): any => JSON.parse(JSON.stringify(model));

  it("round-trips: a model parsed back scores identically", () => {
    expect(scoreChurn(loaded(), rows)).toEqual(scoreChurn(model, rows));
  });

  it("a cycle, an out-of-range category, an infinite leaf or an empty forest throws naming the field", () => {
    const cases: [(m: any) => void, RegExp][] = [
      [(m) => (m.trees[0].left[0] = 0), /model\.trees\[0\]\.left\[0\]/],
      [(m) => (m.trees[0].value[1] = 1e308), /model\.trees\[0\]\.value\[1\]/],
      [(m) => (m.trees = []), /model\.trees/],
      [(m) => (m.baseline = null), /model\.baseline/],
      [(m) => (m.trees[0].feature[0] = 99), /model\.trees\[0\]\.feature\[0\]/],
    ];
    for (const [tamper, path] of cases) {
      const m = loaded();
      tamper(m);
      expect(() => scoreChurn(m, rows)).toThrow(InvalidOptionError);
      expect(() => scoreChurn(m, rows)).toThrow(path);
    }
    const m = loaded();
    const k = m.trees.findIndex((t: any) => t.categories.some((c: any) => c !== null));
    if (k >= 0) {
      const node = m.trees[k].categories.findIndex((c: any) => c !== null);
      m.trees[k].categories[node] = [7];
      expect(() => scoreChurn(m, rows)).toThrow(/categories/);
    }
  });

  it("bad options and one class are typed errors", () => {
    expect(() => trainChurnModel(rows, { model: "boosting", learningRate: 0 })).toThrow(InvalidOptionError);
    expect(() => trainChurnModel(rows, { model: "boosting", maxLeafNodes: 1 })).toThrow(InvalidOptionError);
    expect(() => trainChurnModel(rows, { model: "boosting", earlyStopping: "yes" as never })).toThrow(InvalidOptionError);
    expect(() => trainChurnModel(rows.map((r) => ({ ...r, churned: true })), { model: "boosting" })).toThrow(AnalyticsError);
  });

  it("constant feature: no split, every row scores the training churn rate", () => {
    const x = new Float64Array(100).fill(3);
    const y = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
    const m = trainChurnModelColumns({ columns: { x } }, y, { model: "boosting" });
    const p = scoreChurnColumns(m, { columns: { x: [3, 7] } });
    // not exactly 0.3: the gradients are float32 (as scikit-learn's), so each tree's root sum G is
    // a rounding residue (|G| ~ 1e-7) rather than 0, and 100 such leaves move the score by ~1e-9
    expect(p[0]).toBeCloseTo(0.3, 7);
    expect(p[1]).toBeCloseTo(0.3, 7);
  });
});

describe("boosting threads", () => {
  it("the trees are the same with one thread and with histogram worker threads", async () => {
    const { fitBoosting } = await import("../../src/churn/boosting.js");
    const { boostingParams } = await import("../../src/churn/boostingOptions.js");
    const { createRng } = await import("../../src/numeric/index.js");
    const rng = createRng(5);
    const n = 30_000;
    const cols = Array.from({ length: 8 }, (_, j) => Float64Array.from({ length: n }, () => (j % 2 === 0 ? Math.floor(rng.next() * 10) : rng.next() * 100)));
    const y = Uint8Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(cols[0][i] - 5) / 2 - (cols[1][i] - 50) / 30)) ? 1 : 0));
    const specs = cols.map((_, j) => ({ name: `x${j}`, kind: "numeric" as const, hasMissing: false }));
    const p = boostingParams("test", { maxIter: 30 }, specs, n);
    const one = fitBoosting(cols, specs, y, { ...p, threads: 1 });
    const two = fitBoosting(cols, specs, y, { ...p, threads: 2 });
    expect(two.trees.length).toBe(30);
    expect(JSON.stringify(two.trees)).toBe(JSON.stringify(one.trees));
    expect(Array.from(two.gain)).toEqual(Array.from(one.gain));
  });
});

describe("binThresholds with selection", () => {
  it("gives the thresholds of the full sort (numpy's midpoint percentiles) on columns with ties, signs, zeros and missing values", async () => {
    // reference: sort the present values, then numpy's percentile(method="midpoint") at linspace(0, 100, maxBins + 1)[1:-1]
    const bySort = (x: Float64Array, maxBins: number): number[] => {
      const s = Float64Array.from(Array.from(x).filter((v) => v === v)).sort();
      const out: number[] = [];
      for (let q = 1; q < maxBins; q++) {
        const pos = ((q * (100 / maxBins)) / 100) * (s.length - 1);
        const lo = Math.floor(pos);
        out.push(pos === lo ? s[lo] : s[lo + 1] - (s[lo + 1] - s[lo]) * 0.5);
      }
      return out;
    };
    const { createRng } = await import("../../src/numeric/index.js");
    const rng = createRng(77);
    let checked = 0;
    for (let t = 0; t < 60; t++) {
      const n = 300 + Math.floor(rng.next() * 6000);
      const maxBins = [255, 64, 10][t % 3];
      const kind = t % 4;
      const x = Float64Array.from({ length: n }, () => {
        const u = rng.next();
        if (u < 0.05) return NaN;
        if (kind === 0) return (rng.next() - 0.5) * 1e3;
        if (kind === 1) return Math.round(rng.next() * 400) - 200; // many ties
        if (kind === 2) return rng.next() < 0.4 ? (rng.next() < 0.5 ? -0 : 0) : Math.exp(rng.next() * 5);
        return Math.floor(rng.next() * 3) * 1e6 + rng.next();
      });
      const got = Array.from(binThresholds(x, maxBins));
      if (got.length !== maxBins - 1) continue; // few distinct values: the midpoint rule (tested above)
      // -0 and +0 are one value to a comparison (a threshold of either bins alike)
      const zero = (v: number) => (v === 0 ? 0 : v);
      expect(got.map(zero), `trial ${t}`).toEqual(bySort(x, maxBins).map(zero));
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });
});
