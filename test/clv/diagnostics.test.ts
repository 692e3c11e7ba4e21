import { beforeAll, describe, expect, it } from "vitest";
import {
  calibrationHoldout,
  calibrationSummary,
  conditionalExpectedPurchases,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  holdoutValidation,
  probabilityAlive,
  probabilityOfPurchases,
  readTransactions,
  type BgNbdModel,
  type CalibrationHoldoutRow,
  type CalibrationSummary,
  type GammaGammaModel,
  type ParetoNbdModel,
  type Transaction,
} from "../../src/index.js";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { fitMbgNbd } from "../../src/clv/mbgnbd.js";
import { expectedTransactionsTracking, purchaseCountFit } from "../../src/clv/forecast.js";
import {
  clvIntervalChart,
  expectedPurchasesMatrixChart,
  frequencyRecencyGrid,
  holdoutValidationChart,
  probabilityAliveMatrixChart,
  purchaseCountChart,
  trackingChart,
} from "../../src/clv/diagnostics.js";
import { renderSvg } from "../../src/pipeline/html.js";

const CDNOW = "../shared/data/cdnow/CDNOW_sample.txt";
const DAY = 86_400_000;
const ORIGIN = Date.UTC(1997, 0, 1);

let tx: Transaction[];
let summary: CalibrationSummary[];
let holdoutRows: CalibrationHoldoutRow[];
let bg: BgNbdModel;
let pn: ParetoNbdModel;
let gg: GammaGammaModel;

type Values<T> = { values: T[] };
const valuesOf = <T>(spec: Record<string, unknown>) => (spec.data as Values<T>).values;

/** Renders through the report's engine and checks the result is an SVG carrying the title. */
async function expectRenders(spec: Record<string, unknown>): Promise<string> {
  const svg = await renderSvg(spec);
  expect(svg.startsWith("<svg")).toBe(true);
  const title = spec.title as string | { text: string };
  const text = typeof title === "string" ? title : title.text;
  expect(svg).toContain(text.slice(0, 30).replace(/&/g, "&amp;"));
  return svg;
}

beforeAll(async () => {
  ({ transactions: tx } = await readTransactions(CDNOW, {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  }));
  summary = calibrationSummary(tx, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
  holdoutRows = calibrationHoldout(tx, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30", timeUnit: "weeks" });
  bg = fitBgNbd(summary);
  pn = fitParetoNbd(summary);
  gg = fitGammaGamma(summary);
}, 60_000);

describe("holdoutValidationChart", () => {
  it("holdoutValidationChart(holdoutValidation(bg, cdnow)) plots each class's actual and predicted means and renders", async () => {
    const v = holdoutValidation(bg, holdoutRows);
    const spec = holdoutValidationChart(v, { modelName: "BG/NBD" });
    const values = valuesOf<{ frequency: string; series: string; purchases: number; customers: number }>(spec);
    expect(values).toHaveLength(2 * v.rows.length);
    expect(values.map((d) => d.frequency)).toEqual(v.rows.flatMap((r) => [r.label, r.label]));
    for (const r of v.rows) {
      expect(values.find((d) => d.frequency === r.label && d.series === "actual")!.purchases).toBe(r.actual);
      expect(values.find((d) => d.frequency === r.label && d.series === "predicted (BG/NBD)")!.purchases).toBe(r.predicted);
    }
    // independent of holdoutValidation: the "2" class's predicted mean is the mean of conditionalExpectedPurchases(t = 39)
    const two = holdoutRows.filter((r) => r.x === 2);
    const mean2 = conditionalExpectedPurchases(bg, two, { t: 39 }).reduce((s, c) => s + c.expectedPurchases, 0) / two.length;
    expect(values.find((d) => d.frequency === "2" && d.series !== "actual")!.purchases).toBeCloseTo(mean2, 12);
    // CDNOW: 1,882 actual holdout purchases (shared/data/cdnow/README.md)
    expect((spec.title as { subtitle: string }).subtitle).toContain("1882.0 actual");
    await expectRenders(spec);
  }, 30_000);
});

describe("purchaseCountChart", () => {
  it("purchaseCountChart(purchaseCountFit(bg, cdnow)) shows observed and expected counts, expected = sum of probabilityOfPurchases over T", async () => {
    const fit = purchaseCountFit(bg, summary);
    const spec = purchaseCountChart(fit, { modelName: "BG/NBD" });
    const values = valuesOf<{ purchases: string; series: string; customers: number }>(spec);
    expect(values.filter((d) => d.series === "observed").map((d) => d.customers)).toEqual(fit.observed);
    expect(values.filter((d) => d.series === "expected (BG/NBD)").map((d) => d.customers)).toEqual(fit.expected);
    // CDNOW: 1,411 customers without a repeat purchase in weeks 1-39
    expect(values[0]).toEqual({ purchases: "0", series: "observed", customers: 1411 });
    // the expected bar for x = 2 from the existing pmf, customer by customer: sum_i P(X(T_i) = 2)
    const e2 = summary.reduce((s, c) => s + probabilityOfPurchases(bg, 2, c.T), 0);
    expect(values.find((d) => d.purchases === "2" && d.series !== "observed")!.customers).toBeCloseTo(e2, 8);
    // every customer is in one observed bar, and the expected bars sum to the customers too
    const sum = (series: string) => values.filter((d) => d.series === series).reduce((s, d) => s + d.customers, 0);
    expect(sum("observed")).toBe(2357);
    expect(sum("expected (BG/NBD)")).toBeCloseTo(2357, 6);
    await expectRenders(spec);
  }, 30_000);
});

describe("frequencyRecencyGrid", () => {
  it("frequencyRecencyGrid(bg, { T: 39 }) cell (x=2, t_x=30) equals probabilityAlive and conditionalExpectedPurchases of that customer", () => {
    const cells = frequencyRecencyGrid(bg, { T: 39, t: 39, maxFrequency: 10 });
    // 1 cell for x = 0 (t_x = 0 only) + 10 frequencies x 40 recencies (0..39)
    expect(cells).toHaveLength(1 + 10 * 40);
    expect(cells.filter((c) => c.x === 0)).toEqual([expect.objectContaining({ x: 0, t_x: 0, T: 39 })]);
    const c = cells.find((d) => d.x === 2 && d.t_x === 30)!;
    const customer = [{ customerId: "q", x: 2, t_x: 30, T: 39 }];
    expect(c.pAlive).toBe(probabilityAlive(bg, customer)[0].pAlive);
    expect(c.expectedPurchases).toBe(conditionalExpectedPurchases(bg, customer, { t: 39 })[0].expectedPurchases);
  });

  it("frequencyRecencyGrid(model) P(alive) rises with recency at fixed frequency (BG/NBD and Pareto/NBD)", () => {
    for (const m of [bg, pn]) {
      const row = frequencyRecencyGrid(m, { T: 39, maxFrequency: 5 }).filter((d) => d.x === 5);
      for (let i = 1; i < row.length; i++) expect(row[i].pAlive).toBeGreaterThan(row[i - 1].pAlive);
    }
  });
});

describe("probabilityAliveMatrixChart", () => {
  it("probabilityAliveMatrixChart(bg, { T: 39 }) heatmap cells equal probabilityAlive per customer and render", async () => {
    const spec = probabilityAliveMatrixChart(bg, { T: 39, maxFrequency: 20 });
    const values = valuesOf<{ x: number; t_x: number; T: number; pAlive: number }>(spec);
    expect(values).toHaveLength(1 + 20 * 40);
    const customers = values.map((d, i) => ({ customerId: String(i), x: d.x, t_x: d.t_x, T: d.T }));
    expect(values.map((d) => d.pAlive)).toEqual(probabilityAlive(bg, customers).map((p) => p.pAlive));
    expect(values.find((d) => d.x === 2 && d.t_x === 30)!.pAlive).toBe(probabilityAlive(bg, [{ customerId: "q", x: 2, t_x: 30, T: 39 }])[0].pAlive);
    // BG/NBD: x = 0 is always alive
    expect(values[0]).toEqual({ x: 0, t_x: 0, T: 39, pAlive: 1 });
    const enc = spec.encoding as Record<string, { field: string; title: string }>;
    expect([enc.x.field, enc.y.field]).toEqual(["t_x", "x"]);
    await expectRenders(spec);
  }, 30_000);

  it("probabilityAliveMatrixChart(paretoNbd) and (mbgNbd) give P(alive) < 1 for x = 0 and render", async () => {
    const mbg = fitMbgNbd(summary);
    for (const m of [pn, mbg]) {
      const spec = probabilityAliveMatrixChart(m, { T: 39, maxFrequency: 8 });
      const v0 = valuesOf<{ pAlive: number }>(spec)[0];
      expect(v0.pAlive).toBe(probabilityAlive(m, [{ customerId: "z", x: 0, t_x: 0, T: 39 }])[0].pAlive);
      expect(v0.pAlive).toBeLessThan(1);
      await expectRenders(spec);
    }
  }, 60_000);
});

describe("expectedPurchasesMatrixChart", () => {
  it("expectedPurchasesMatrixChart(pn, { T: 39, t: 39 }) cell (x=2, t_x=30) equals conditionalExpectedPurchases and renders", async () => {
    const spec = expectedPurchasesMatrixChart(pn, { T: 39, t: 39, maxFrequency: 12 });
    const values = valuesOf<{ x: number; t_x: number; expectedPurchases: number }>(spec);
    const cell = values.find((d) => d.x === 2 && d.t_x === 30)!;
    expect(cell.expectedPurchases).toBe(conditionalExpectedPurchases(pn, [{ customerId: "q", x: 2, t_x: 30, T: 39 }], { t: 39 })[0].expectedPurchases);
    // default t = 1 time unit (lifetimes' default)
    const one = valuesOf<{ x: number; t_x: number; expectedPurchases: number }>(expectedPurchasesMatrixChart(bg, { T: 39, maxFrequency: 2 }));
    expect(one.find((d) => d.x === 1 && d.t_x === 39)!.expectedPurchases).toBe(conditionalExpectedPurchases(bg, [{ customerId: "q", x: 1, t_x: 39, T: 39 }], { t: 1 })[0].expectedPurchases);
    await expectRenders(spec);
  }, 30_000);
});

/** Actual cumulative repeat purchase days of CDNOW by week 1..78 (a repeat = any purchase day after the customer's first). */
function actualCumulativeRepeats(weeks: number): { first: number[]; cumulative: number[] } {
  const days = new Map<string, Set<number>>();
  for (const t of tx) {
    const d = Math.round((t.date.getTime() - ORIGIN) / DAY);
    let s = days.get(t.customerId);
    if (!s) days.set(t.customerId, (s = new Set()));
    s.add(d);
  }
  const perWeek = new Array<number>(weeks).fill(0);
  const first: number[] = [];
  for (const s of days.values()) {
    const sorted = [...s].sort((a, b) => a - b);
    first.push(sorted[0] / 7);
    for (const d of sorted.slice(1)) if (d < 7 * weeks) perWeek[Math.floor(d / 7)]++;
  }
  const cumulative: number[] = [];
  perWeek.reduce((acc, v) => (cumulative.push(acc + v), acc + v), 0);
  return { first, cumulative };
}

describe("trackingChart", () => {
  it("trackingChart(actual, expectedTransactionsTracking(bg, cdnow)) cumulative and weekly curves carry both series and render", async () => {
    const { first, cumulative } = actualCumulativeRepeats(78);
    // CDNOW: 2,457 calibration + 1,882 holdout repeat purchases by week 78 (1998-06-30 is day 545 < 546)
    expect(cumulative[77]).toBe(4339);
    const times = Array.from({ length: 78 }, (_, i) => i + 1);
    const tr = expectedTransactionsTracking(bg, first, { times });
    const cum = trackingChart({ times, actual: cumulative, expected: tr.cumulative }, { calibrationEnd: 272 / 7, modelName: "BG/NBD" });
    const cv = valuesOf<{ time: number; series: string; purchases: number }>(cum);
    expect(cv.filter((d) => d.series === "actual").map((d) => d.purchases)).toEqual(cumulative);
    expect(cv.filter((d) => d.series === "expected (BG/NBD)").map((d) => d.purchases)).toEqual(tr.cumulative);
    // the calibration-end rule is its own layer
    const layer = cum.layer as { mark: { type: string }; data?: Values<{ time: number }> }[];
    expect(layer[1].mark.type).toBe("rule");
    expect(layer[1].data!.values[0].time).toBe(272 / 7);
    await expectRenders(cum);

    const inc = trackingChart({ times, actual: cumulative, expected: tr.cumulative }, { curve: "incremental", modelName: "BG/NBD" });
    const iv = valuesOf<{ time: number; series: string; purchases: number }>(inc);
    const expInc = iv.filter((d) => d.series !== "actual").map((d) => d.purchases);
    // the same differences as expectedTransactionsTracking's own incremental curve (floating-point subtraction both ways)
    expInc.forEach((v, i) => expect(v).toBeCloseTo(tr.incremental[i], 9));
    const actInc = iv.filter((d) => d.series === "actual").map((d) => d.purchases);
    expect(actInc.reduce((s, v) => s + v, 0)).toBe(4339);
    expect(actInc[0]).toBe(cumulative[0]);
    await expectRenders(inc);
  }, 60_000);
});

describe("clvIntervalChart", () => {
  it("clvIntervalChart(cdnow CLV) keeps the top N by point CLV, largest first, with their bounds, and renders", async () => {
    const clv = customerLifetimeValue(bg, gg, summary, { horizon: 12 });
    const ids = clv.map((c) => c.customerId);
    const point = clv.map((c) => c.clv);
    // bounds as the caller would pass them (here +-: -20% / +35%, to check they travel unchanged)
    const lower = point.map((v) => 0.8 * v);
    const upper = point.map((v) => 1.35 * v);
    const spec = clvIntervalChart({ ids, clv: point, lower, upper }, { top: 15 });
    const values = valuesOf<{ customerId: string; rank: number; clv: number; lower: number; upper: number }>(spec);
    expect(values).toHaveLength(15);
    const top = [...clv].sort((a, b) => b.clv - a.clv).slice(0, 15);
    expect(values.map((d) => d.customerId)).toEqual(top.map((c) => c.customerId));
    expect(values.map((d) => d.rank)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (const d of values) {
      const i = ids.indexOf(d.customerId);
      expect([d.clv, d.lower, d.upper]).toEqual([point[i], lower[i], upper[i]]);
    }
    await expectRenders(spec);
  }, 60_000);

  it("clvIntervalChart breaks ties by id, and is pure and deterministic", () => {
    const input = Object.freeze({ ids: Object.freeze(["b", "a", "c"]), clv: Object.freeze([5, 5, 7]), lower: Object.freeze([1, 2, 3]), upper: Object.freeze([9, 9, 9]) });
    const s1 = clvIntervalChart(input as never);
    expect(valuesOf<{ customerId: string }>(s1).map((d) => d.customerId)).toEqual(["c", "a", "b"]);
    expect(JSON.stringify(clvIntervalChart(input as never))).toBe(JSON.stringify(s1));
  });
});

describe("errors", () => {
  const optionError = (f: () => unknown, option: string) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).option).toBe(option);
      return;
    }
    throw new Error(`no throw for ${option}`);
  };
  const model = { model: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as BgNbdModel;

  it("grid options: T, t, maxFrequency, maxRecency and the cell cap name the option", () => {
    optionError(() => frequencyRecencyGrid(model, { T: -1 }), "T");
    optionError(() => frequencyRecencyGrid(model, { T: Number.NaN }), "T");
    optionError(() => frequencyRecencyGrid(model, { T: 39, t: -2 }), "t");
    optionError(() => frequencyRecencyGrid(model, { T: 39, maxFrequency: 1.5 }), "maxFrequency");
    optionError(() => frequencyRecencyGrid(model, { T: 39, maxRecency: 40 }), "maxRecency");
    optionError(() => frequencyRecencyGrid(model, { T: 1e6, maxFrequency: 1 }), "maxFrequency");
    optionError(() => probabilityAliveMatrixChart({ model: "nope" } as never, { T: 39 }), "model");
    // an explicit undefined is the default
    expect(frequencyRecencyGrid(model, { T: 3, t: undefined, maxFrequency: undefined })).toHaveLength(1 + 20 * 4);
  });

  it("tracking, counts and CLV inputs: mismatched, non-finite or decreasing arrays name the option", () => {
    optionError(() => trackingChart({ times: [1, 1], actual: [0, 1], expected: [0, 1] }), "times");
    optionError(() => trackingChart({ times: [1, 2], actual: [0], expected: [0, 1] }), "actual");
    optionError(() => trackingChart({ times: [1, 2], actual: [2, 1], expected: [0, 1] }), "actual");
    optionError(() => trackingChart({ times: [1, 2], actual: [0, 1], expected: [0, Number.NaN] }), "expected");
    optionError(() => trackingChart({ times: [1], actual: [0], expected: [0] }, { curve: "daily" as never }), "curve");
    optionError(() => purchaseCountChart({ bins: ["0", "1+"], observed: [1, 2], expected: [1] }), "expected");
    optionError(() => clvIntervalChart({ ids: ["a"], clv: [1], lower: [0], upper: [2] }, { top: 0 }), "top");
    optionError(() => clvIntervalChart({ ids: ["a", "b"], clv: [1], lower: [0], upper: [2] }), "clv");
    optionError(() => holdoutValidationChart({} as never), "validation");
  });

  it("clvIntervalChart names the customer whose lower bound exceeds the upper, and accepts a point outside its bounds", () => {
    expect(valuesOf<{ clv: number }>(clvIntervalChart({ ids: ["a"], clv: [5], lower: [6], upper: [7] }))[0].clv).toBe(5);
    try {
      clvIntervalChart({ ids: ["a", "b"], clv: [1, 5], lower: [0, 8], upper: [2, 7] });
      throw new Error("no throw");
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe("b");
      expect((e as InvalidRecordError).field).toBe("lower");
    }
  });
});
