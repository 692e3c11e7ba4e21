/**
 * The cached MBG/NBD P(alive) column kernel (`mbgPAliveInto`) against the per-row formula
 * (`mbgPAlive`), hand-computed values, and the validation it shares with the BG/NBD kernel.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidRecordError, probabilityAlive, probabilityAliveColumn, type MbgNbdModel } from "../../src/index.js";
import { mbgPAlive, mbgPAliveInto, type MbgNbdParams } from "../../src/clv/mbgnbd.js";
import { createRng } from "../../src/numeric/index.js";

const REF = JSON.parse(readFileSync("test/reference/clv_mbgnbd.json", "utf8"));
const P: MbgNbdParams = REF.lifetimes;

/** Largest relative difference between the kernel and the per-row formula. */
function worst(p: MbgNbdParams, x: Float64Array, tx: Float64Array, T: Float64Array): { rel: number; ok: number } {
  const out = new Float64Array(x.length);
  const ok = mbgPAliveInto(p, x, tx, T, out);
  let rel = 0;
  for (let i = 0; i < x.length; i++) {
    const want = mbgPAlive(p, x[i], tx[i], T[i]);
    const d = want === 0 ? Math.abs(out[i]) : Math.abs(out[i] / want - 1);
    if (!(d <= rel)) rel = d; // NaN propagates as a failure
  }
  return { rel, ok };
}

/** Seeded summaries with purchase-day times (few distinct pairs) or continuous times (all distinct). */
function simulate(n: number, seed: number, days: boolean): { x: Float64Array; tx: Float64Array; T: Float64Array } {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const Ti = days ? Math.ceil(rng.next() * 273) / 7 : rng.next() * 39;
    const xi = u < 0.5 ? 0 : u < 0.98 ? Math.floor(rng.next() * 30) : 100 + Math.floor(rng.next() * 200); // some x >= 128
    T[i] = Ti;
    x[i] = xi;
    tx[i] = xi === 0 ? 0 : days ? Math.floor(rng.next() * Ti * 7) / 7 : rng.next() * Ti;
  }
  return { x, tx, T };
}

describe("mbgPAliveInto", () => {
  it("mbgPAliveInto equals hand-computed values: r = α = a = b = 1", () => {
    // x = 1, t_x = 1, T = 3: a/(b+x) (α+T)^(r+x)/(α+t_x)^(r+x) = 1/2 · (4/2)^2 = 2, P = 1/(1+2) = 1/3
    // x = 0, t_x = 0, T = 3: 1/1 · (4/1)^1 = 4, P = 1/5
    // x = 2, t_x = 3, T = 3: 1/3 · 1 = 1/3, P = 3/4
    const out = new Float64Array(3);
    const ok = mbgPAliveInto({ r: 1, alpha: 1, a: 1, b: 1 }, Float64Array.of(1, 0, 2), Float64Array.of(1, 0, 3), Float64Array.of(3, 3, 3), out);
    expect(ok).toBe(1);
    expect(out[0]).toBeCloseTo(1 / 3, 15);
    expect(out[1]).toBeCloseTo(1 / 5, 15);
    expect(out[2]).toBeCloseTo(3 / 4, 15);
  });

  it("mbgPAliveInto equals mbgPAlive to 1e-13 on 300,000 seeded rows (purchase-day times: cached pairs; continuous: cache overwritten)", () => {
    for (const days of [true, false]) {
      const { x, tx, T } = simulate(150_000, days ? 7 : 8, days);
      const { rel, ok } = worst(P, x, tx, T);
      expect(ok).toBe(1);
      expect(rel).toBeLessThan(1e-13);
    }
  });

  it("mbgPAliveInto equals mbgPAlive to 1e-13 on the CDNOW summary (lifetimes' parameters)", () => {
    const lines = readFileSync("../shared/data/cdnow/cdnow_customers_summary.csv", "utf8").trim().split("\n").slice(1);
    const x = Float64Array.from(lines, (l) => +l.split(",")[1]);
    const tx = Float64Array.from(lines, (l) => +l.split(",")[2]);
    const T = Float64Array.from(lines, (l) => +l.split(",")[3]);
    const { rel, ok } = worst(P, x, tx, T);
    expect(ok).toBe(1);
    expect(rel).toBeLessThan(1e-13);
  });

  it("mbgPAliveInto falls back to the direct form where a factor overflows or underflows (tiny α, huge T)", () => {
    // (α+T)^(r+x) with α + T = 1e6, r + x = 60.5 is 1e363: the first factor overflows; with
    // t_x = 0 and α = 1e-3, (α+t_x)^-(r+x) = 1e181 and the product is finite only in the direct form
    const p = { r: 0.5, alpha: 1e-3, a: 0.9, b: 1.6 };
    const x = Float64Array.of(60, 60, 0, 127, 128, 500);
    const tx = Float64Array.of(1e6 - 1, 0.5, 0, 999_999, 1e5, 2e5);
    const T = Float64Array.of(1e6, 1e6, 1e6, 1e6, 1e6, 1e6);
    const { rel, ok } = worst(p, x, tx, T);
    expect(ok).toBe(1);
    expect(rel).toBeLessThan(1e-13);
    const out = new Float64Array(6);
    mbgPAliveInto(p, x, tx, T, out);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("probabilityAliveColumn(mbg) reports a bad row like the record form, and clamps a t_x a hair above T", () => {
    const model = { model: "mbg-nbd", params: P } as MbgNbdModel;
    expect(() => probabilityAliveColumn(model, { x: [1, 2], t_x: [1, 5], T: [3, 4] })).toThrow(InvalidRecordError);
    expect(() => probabilityAliveColumn(model, { x: [0, 1.5], t_x: [0, 1], T: [3, 4] })).toThrow(InvalidRecordError);
    const T = 38.86;
    const hair = T * (1 + 1e-15);
    const col = probabilityAliveColumn(model, { x: [3], t_x: [hair], T: [T] });
    expect(col[0]).toBe(probabilityAliveColumn(model, { x: [3], t_x: [T], T: [T] })[0]);
    expect(col[0]).toBe(probabilityAlive(model, [{ customerId: "a", x: 3, t_x: T, T }])[0].pAlive);
  });
});
