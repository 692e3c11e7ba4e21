import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import type { Transaction } from "../../src/core/types.js";
import { churnDataset } from "../../src/churn/index.js";

const d = (s: string) => new Date(`${s}T00:00:00Z`);
const tx = (customerId: string, date: string, amount: number): Transaction => ({ customerId, date: d(date), amount });

describe("churnDataset", () => {
  const log: Transaction[] = [
    tx("a", "2024-01-01", 10),
    tx("a", "2024-01-11", 20),
    tx("a", "2024-01-11", 5), // same day: one purchase
    tx("a", "2024-01-21", -4), // a return: not a purchase
    tx("a", "2024-01-31", 30),
    tx("a", "2024-02-15", 9), // after the cutoff, inside the window
    tx("b", "2023-11-01", 50),
    tx("b", "2024-03-31", 10), // after the window
    tx("c", "2024-02-10", 7), // first seen after the cutoff
    tx("d", "2024-01-15", -5), // returns only
  ];

  it("churnDataset(tx, { cutoff, churnWindowDays }) computes each documented feature (hand computation)", () => {
    const { rows, report } = churnDataset(log, { cutoff: "2024-01-31", churnWindowDays: 30, windowDays: 30 });
    expect(rows.map((r) => r.customerId)).toEqual(["a", "b"]);
    const a = rows[0];
    // purchases on Jan 1, 11, 31: gaps 10 and 20
    expect(a).toMatchObject({
      cutoff: "2024-01-31",
      recency_days: 0,
      frequency: 3,
      monetary_total: 61, // 10 + 25 - 4 + 30
      tenure_days: 30,
      gap_mean: 15,
      recency_ratio: 0,
      orders_recent: 2, // (Jan 1, Jan 31] holds Jan 11 and Jan 31
      orders_before: 1,
      orders_change: 1,
      spend_recent: 51, // 25 - 4 + 30
      spend_before: 10,
      spend_change: 41,
      churned: false,
    });
    expect(a.monetary_avg).toBeCloseTo(61 / 3, 12);
    expect(a.gap_sd).toBeCloseTo(Math.SQRT2 * 5, 12); // sd of (10, 20)
    expect(a.return_share).toBeCloseTo(4 / 65, 12);
    const b = rows[1];
    expect(b).toMatchObject({ recency_days: 91, frequency: 1, gap_mean: null, gap_sd: null, recency_ratio: null, orders_recent: 0, churned: true });
    expect(report).toMatchObject({ rows: 2, churned: 1, excludedNotYetCustomers: [1], excludedNoPurchase: [1], transactions: 10 });
  });

  it("churnDataset(tx) uses nothing after the cutoff: changing any later transaction changes no feature (fast-check)", () => {
    const cutoff = 19_800; // epoch day
    const arb = fc.array(
      fc.record({ c: fc.constantFrom("a", "b", "c", "__proto__"), day: fc.integer({ min: cutoff - 400, max: cutoff + 200 }), amount: fc.integer({ min: -20, max: 100 }) }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, arb, (base, noise) => {
        const toTx = (r: { c: string; day: number; amount: number }): Transaction => ({ customerId: r.c, date: new Date(r.day * 86_400_000), amount: r.amount });
        const before = base.filter((r) => r.day <= cutoff).map(toTx);
        const after1 = base.filter((r) => r.day > cutoff).map(toTx);
        const after2 = noise.map((r) => ({ ...r, day: cutoff + 1 + (Math.abs(r.day) % 200) })).map(toTx);
        const opts = { cutoff: new Date(cutoff * 86_400_000), churnWindowDays: 30, dataEnd: new Date((cutoff + 400) * 86_400_000) };
        const strip = (rows: readonly Record<string, unknown>[]) => rows.map(({ churned: _c, ...rest }) => rest);
        const x = churnDataset([...before, ...after1], opts);
        const y = churnDataset([...after2, ...before], opts);
        expect(strip(y.rows)).toEqual(strip(x.rows));
      }),
      { numRuns: 200 },
    );
  });

  it("churnDataset(tx, { cutoff: [c1, c2] }) stacks a rolling origin, one row per customer and cutoff", () => {
    const { rows, report } = churnDataset(log, { cutoff: ["2024-01-31", "2024-01-10"], churnWindowDays: 30 });
    expect(report.cutoffs).toEqual(["2024-01-10", "2024-01-31"]);
    expect(rows.map((r) => `${r.cutoff}/${r.customerId}`)).toEqual(["2024-01-10/a", "2024-01-10/b", "2024-01-31/a", "2024-01-31/b"]);
    expect(rows[0]).toMatchObject({ frequency: 1, churned: false }); // a buys again on Jan 11
    expect(report.rows).toBe(rows.length);
  });

  it("churnDataset(tx, { labels: false }) scores today's customers without a label", () => {
    const { rows } = churnDataset(log, { cutoff: "2024-03-31", labels: false });
    expect(rows.every((r) => !("churned" in r))).toBe(true);
    expect(rows.map((r) => r.customerId)).toEqual(["a", "b", "c"]);
  });

  it("churnDataset(tx, { attributes }) passes user attributes through (missing as null), keyed by any id", () => {
    const attributes = new Map([["a", { plan: "gold" }], ["__proto__", { plan: "free" }]]);
    const { rows, features } = churnDataset([...log, tx("__proto__", "2024-01-02", 3)], { cutoff: "2024-01-31", churnWindowDays: 30, attributes });
    expect(features.at(-1)).toBe("plan");
    expect(rows.map((r) => [r.customerId, r.plan])).toEqual([["__proto__", "free"], ["a", "gold"], ["b", null]]);
  });

  it("churnDataset([]) gives empty results", () => {
    const r = churnDataset([], { cutoff: "2024-01-01", labels: false });
    expect(r.rows).toEqual([]);
    expect(r.report.rows).toBe(0);
  });

  describe("errors", () => {
    it("a churn window ending after the data is refused (its labels would be unknown)", () => {
      try {
        churnDataset(log, { cutoff: "2024-03-15", churnWindowDays: 30 });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidOptionError);
        expect(e).toMatchObject({ option: "churnWindowDays", value: 30 });
        expect((e as Error).message).toMatch(/^churnDataset: .*2024-03-31/);
      }
    });
    it("bad options and invalid transactions name what is wrong", () => {
      expect(() => churnDataset(log, { cutoff: "not a date" })).toThrow(InvalidOptionError);
      expect(() => churnDataset(log, { cutoff: "2024-01-31", churnWindowDays: 0 })).toThrow(InvalidOptionError);
      expect(() => churnDataset(log, undefined as never)).toThrow(InvalidOptionError);
      try {
        churnDataset([{ customerId: "", date: d("2024-01-01"), amount: 1 }], { cutoff: "2024-01-01", labels: false });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRecordError);
        expect(e).toMatchObject({ row: 1, field: "customerId" });
      }
    });
  });
});
