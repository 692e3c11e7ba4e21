import { beforeAll, describe, expect, it } from "vitest";
import { calibrationTable, fitBgNbd, fitGammaGamma, fitMbgNbd, fitParetoNbd, readTransactions, type CalibrationTable } from "../../src/index.js";
import { fitBgNbdColumns } from "../../src/clv/bgnbd.js";
import { dedupeTriples, FIT_DEFAULTS, tableColumns, type ClvColumns } from "../../src/clv/data.js";
import { fitGammaGammaColumns } from "../../src/clv/gammagamma.js";
import { fitMbgNbdColumns } from "../../src/clv/mbgnbd.js";
import { fitParetoNbdColumns, PARETO_FIT_DEFAULTS } from "../../src/clv/paretonbd.js";
import { createRng } from "../../src/core/random.js";

// The weighted column fits against the plain fits on the rows written out: a row of weight w
// stands for w identical customers, so the two likelihoods are the same function and the fits
// must agree. They are not the same to the bit: the written-out rows are shuffled (seeded), so
// the plain fit groups them in another order and sums w terms where the weighted fit multiplies
// by w.

let tab: CalibrationTable;
let cols: ClvColumns;
beforeAll(async () => {
  const { transactions } = await readTransactions("../shared/data/cdnow/CDNOW_sample.txt", {
    format: "csv",
    delimiter: "whitespace",
    header: false,
    names: ["masterId", "customerId", "date", "cds", "amount"],
    dateFormat: "YYYYMMDD",
  });
  tab = calibrationTable(transactions, { calibrationEnd: "1997-09-30", timeUnit: "weeks" });
  cols = tableColumns(tab, "test", true);
});

/** Seeded integer weights in [lo, hi]. */
function weightsFor(n: number, seed: number, lo: number, hi: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => lo + Math.floor(rng.next() * (hi - lo + 1)));
}

/** Row i written out weights[i] times, in a seeded random order, as plain columns. */
function writeOut(c: { x: Float64Array; tx: Float64Array; T: Float64Array; m?: Float64Array }, w: Float64Array, seed: number) {
  const rows: number[] = [];
  for (let i = 0; i < w.length; i++) for (let k = 0; k < w[i]; k++) rows.push(i);
  const rng = createRng(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const pick = (v: Float64Array) => Float64Array.from(rows, (i) => v[i]);
  return { x: pick(c.x), t_x: pick(c.tx), T: pick(c.T), monetaryValue: c.m && c.m.length > 0 ? pick(c.m) : new Float64Array(rows.length) };
}

function expectClose(a: Record<string, number>, b: Record<string, number>, tol: number) {
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const k of Object.keys(a)) expect(Math.abs(a[k] - b[k]) / Math.abs(b[k])).toBeLessThanOrEqual(tol);
}

// Gradient tolerance 1e-11 for both fits: at the default 1e-9 the BG/NBD pair stops 2.7e-9 apart
// (each anywhere within the tolerance; MBG/NBD 2e-13, Pareto/NBD 4e-12, Gamma-Gamma 5e-12).
// Measured at 1e-11, largest parameter difference: MBG/NBD 4e-13, Pareto/NBD 4.2e-12, BG/NBD
// 1e-14, Gamma-Gamma 3e-12.
const settings = { ...FIT_DEFAULTS, tolerance: 1e-11 };

describe("weighted column fits (a row of weight w = w identical customers)", () => {
  // A bootstrap-like reweighting of CDNOW: each customer drawn 0-3 times (seeded), the draws
  // counted per distinct (x, t_x, T) row (rows drawn 0 times dropped); written out, the same
  // customers repeated and shuffled
  const reweighted = (seed: number) => {
    const d = dedupeTriples(cols);
    const wc = weightsFor(cols.x.length, seed, 0, 3);
    const wd = new Float64Array(d.x.length);
    for (let i = 0; i < wc.length; i++) wd[d.index[i]] += wc[i];
    const keep = [...wd.keys()].filter((k) => wd[k] > 0);
    const pick = (v: Float64Array) => Float64Array.from(keep, (k) => v[k]);
    const x = pick(d.x);
    return { c: { ids: [], x, tx: pick(d.tx), T: pick(d.T), m: x }, w: pick(wd), written: writeOut(cols, wc, seed + 100) };
  };

  it("fitMbgNbdColumns(CDNOW reweighted, distinct rows) equals fitMbgNbd on the rows written out (1e-9 relative)", () => {
    const { c, w, written } = reweighted(1);
    const weighted = fitMbgNbdColumns(c, settings, undefined, "test", w);
    const plain = fitMbgNbd(written, settings);
    expect(weighted.convergence.converged).toBe(true);
    expect(plain.convergence.converged).toBe(true);
    expect(weighted.customers).toBe(plain.customers);
    expectClose({ ...weighted.params }, { ...plain.params }, 1e-9);
    expect(Math.abs(weighted.logLikelihood - plain.logLikelihood) / Math.abs(plain.logLikelihood)).toBeLessThanOrEqual(1e-9);
  });

  it("fitParetoNbdColumns(CDNOW reweighted, distinct rows) equals fitParetoNbd on the rows written out (1e-9 relative)", () => {
    const { c, w, written } = reweighted(2);
    const weighted = fitParetoNbdColumns(c, { ...settings, ...PARETO_FIT_DEFAULTS }, undefined, "test", w);
    const plain = fitParetoNbd(written, settings);
    expect(weighted.convergence.converged).toBe(true);
    expect(plain.convergence.converged).toBe(true);
    expect(weighted.customers).toBe(plain.customers);
    expectClose({ ...weighted.params }, { ...plain.params }, 1e-9);
    expect(Math.abs(weighted.logLikelihood - plain.logLikelihood) / Math.abs(plain.logLikelihood)).toBeLessThanOrEqual(1e-9);
  });

  it("fitBgNbdColumns(CDNOW reweighted, distinct rows) equals fitBgNbd on the rows written out (1e-9 relative)", () => {
    const { c, w, written } = reweighted(3);
    const weighted = fitBgNbdColumns(c, settings, undefined, "test", w);
    const plain = fitBgNbd(written, settings);
    expect(weighted.customers).toBe(plain.customers);
    expectClose({ ...weighted.params }, { ...plain.params }, 1e-9);
    expect(Math.abs(weighted.logLikelihood - plain.logLikelihood) / Math.abs(plain.logLikelihood)).toBeLessThanOrEqual(1e-9);
  });

  it("fitGammaGammaColumns(CDNOW customers, weights 0-3) equals fitGammaGamma on the customers written out (1e-9 relative)", () => {
    // weight 0 = not drawn (the bootstrap's case): left out, as in the written-out rows
    const w = weightsFor(cols.x.length, 4, 0, 3);
    const weighted = fitGammaGammaColumns(cols, settings, undefined, "test", w);
    const plain = fitGammaGamma(writeOut(cols, w, 104), settings);
    expect(weighted.convergence.converged).toBe(true);
    expect(weighted.customers).toBe(plain.customers);
    expectClose({ ...weighted.params }, { ...plain.params }, 1e-9);
    expect(Math.abs(weighted.logLikelihood - plain.logLikelihood) / Math.abs(plain.logLikelihood)).toBeLessThanOrEqual(1e-9);
  });

  it("fitGammaGammaColumns counts excluded customers by weight (a weight-0 row is not counted)", () => {
    // rows: two repeat buyers with positive spend, one with -5 (weight 3) and one with 0 (weight 0)
    const c = {
      ids: ["a", "b", "r", "z"],
      x: Float64Array.of(2, 3, 1, 4),
      tx: Float64Array.of(10, 20, 5, 30),
      T: Float64Array.of(40, 40, 40, 40),
      m: Float64Array.of(20, 35, -5, 0),
    };
    const g = fitGammaGammaColumns(c, { ...settings, penalizer: 0.01 }, undefined, "test", Float64Array.of(2, 1, 3, 0));
    expect(g.customers).toBe(3); // 2 + 1
    expect(g.excluded).toEqual([{ reason: "non-positive-spend", count: 3, examples: ["r"] }]);
  });

  it("the unweighted entry points are the public fits to the bit (no weights = weight 1)", () => {
    expect(fitGammaGammaColumns(cols, FIT_DEFAULTS, undefined, "fitGammaGamma")).toEqual(fitGammaGamma(tab));
    expect(fitParetoNbdColumns(cols, { ...FIT_DEFAULTS, ...PARETO_FIT_DEFAULTS }, undefined, "fitParetoNbd")).toEqual(fitParetoNbd(tab));
  });
});
