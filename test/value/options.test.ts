/**
 * One options rule (issue 16 item 4, code review 2.4): in every public function of src/value, an
 * option (or optional model field) given as `undefined` means the default, exactly as if it were
 * absent: same result, no error.
 */
import { describe, expect, it } from "vitest";
import {
  bergerNasrClv,
  bergerNasrClvColumns,
  clv3d,
  clv3dColumns,
  fitWeibullRetention,
  generateTransactions,
  monteCarloClv,
  monteCarloClvColumns,
  monteCarloClvColumnsSync,
  monteCarloClvSync,
  spendGrowthColumn,
  summarizeCustomers,
  summarizeCustomersTable,
  toTransactionTable,
} from "../../src/index.js";

const tx = generateTransactions({ customers: 60, seed: 3 });
const summaries = summarizeCustomers(tx);
const columns = {
  ids: summaries.map((s) => s.customerId),
  totalSpend: summaries.map((s) => s.totalSpend),
  spendPerPeriod: summaries.map((s) => s.spendPerPeriod),
  tenureDays: summaries.map((s) => s.tenureDays),
  recencyDays: summaries.map((s) => s.recencyDays),
  frequency: summaries.map((s) => s.frequency),
};

describe("explicit undefined options mean the default", () => {
  it("bergerNasrClv({ periods, acquisitionCost, timing: undefined }) is bergerNasrClv without them", () => {
    const base = { margin: 1000, retention: 0.8, discountRate: 0.05 };
    const r = bergerNasrClv({ ...base, periods: undefined, acquisitionCost: undefined, timing: undefined });
    expect(r).toEqual(bergerNasrClv(base));
    expect(r.clv).toBe(4000); // 1000 / (1.05 - 0.8), the infinite-horizon default (hand)
  });

  it("bergerNasrClvColumns({ periods, acquisitionCost, timing: undefined }) is bergerNasrClvColumns without them", () => {
    const base = { margin: [1000, 500], retention: 0.8, discountRate: 0.05 };
    expect(bergerNasrClvColumns({ ...base, periods: undefined, acquisitionCost: undefined, timing: undefined })).toEqual(bergerNasrClvColumns(base));
  });

  it("fitWeibullRetention(t, c, { periods, tolerance, maxIterations: undefined }) is the default fit", () => {
    const t = [2, 3, 5, 8, 13, 4];
    const c = [false, false, false, true, true, false];
    const r = fitWeibullRetention(t, c, { periods: undefined, tolerance: undefined, maxIterations: undefined });
    expect(r).toEqual(fitWeibullRetention(t, c));
    expect(r.survival).toHaveLength(13); // periods 12 by default: t = 0..12
  });

  it("clv3d(summaries, every option undefined) is clv3d(summaries), also inside scoring and retention", () => {
    const all = { marginRate: undefined, periodDays: undefined, discountRate: undefined, horizon: undefined, retention: undefined, growth: undefined, transactions: undefined, maxGrowth: undefined, threshold: undefined, scoring: undefined };
    const def = clv3d(summaries);
    expect(clv3d(summaries, all)).toEqual(def);
    expect(clv3d(summaries, { scoring: { cv: undefined, sv: undefined, iv: undefined } })).toEqual(def);
    expect(def.settings.horizonPeriods).toBe(12);
    const wb = clv3d(summaries, { retention: { type: "weibull", churnAfterDays: undefined, fit: undefined } });
    expect(wb).toEqual(clv3d(summaries, { retention: { type: "weibull" } }));
    const pc = clv3d(summaries, { retention: { type: "perCustomer", retention: new Map(), alive: undefined, defaultRate: undefined } });
    expect(pc).toEqual(clv3d(summaries, { retention: { type: "perCustomer", retention: new Map() } }));
  });

  it("clv3dColumns(columns, every option undefined) is clv3dColumns(columns)", () => {
    const all = { marginRate: undefined, periodDays: undefined, discountRate: undefined, horizon: undefined, retention: undefined, growth: undefined, maxGrowth: undefined, threshold: undefined, scoring: undefined };
    expect(clv3dColumns(columns, all)).toEqual(clv3dColumns(columns));
    expect(clv3dColumns(columns, { scoring: { cv: undefined } })).toEqual(clv3dColumns(columns));
  });

  it("spendGrowthColumn(customers, table, { periodDays: undefined }) uses 30 days", () => {
    const table = toTransactionTable(tx);
    const { customers } = summarizeCustomersTable(table);
    expect(spendGrowthColumn(customers, table, { periodDays: undefined })).toEqual(spendGrowthColumn(customers, table));
  });

  it("monteCarloClvSync / monteCarloClv scenario: undefined options and optional model fields are the defaults", async () => {
    const model = { margin: 1000, retention: 0.8, discountRate: 0.05 };
    const opts = { draws: 500, seed: 4 };
    const def = monteCarloClvSync(model, opts);
    const undef = { purchaseRate: undefined, spend: undefined, acquisitionCost: undefined, horizon: undefined };
    const allOpts = { ...opts, lifetime: undefined, bins: undefined, threads: undefined };
    expect(monteCarloClvSync({ ...model, ...undef }, allOpts)).toEqual(def);
    expect(await monteCarloClv({ ...model, ...undef }, allOpts)).toEqual(def);
    expect(def.clv.histogram).toHaveLength(20); // default bins
    // draws and seed undefined: 10,000 draws, seed 42
    expect(monteCarloClvSync(model, { draws: undefined, seed: undefined })).toEqual(monteCarloClvSync(model, { draws: 10_000, seed: 42 }));
  });

  it("monteCarloClvSync / monteCarloClv per customer: undefined model fields and options are the defaults", async () => {
    const customers = [{ customerId: "a", purchaseRate: 1, spendMean: 20, retention: 0.8, spendShape: undefined, alive: undefined, survival: undefined }];
    const model = { customers, discountRate: 0.01 };
    const def = monteCarloClvSync(model, { draws: 200, seed: 1 });
    const undef = { ...model, periods: undefined, periodDays: undefined, marginRate: undefined, spendShape: undefined };
    expect(monteCarloClvSync(undef, { draws: 200, seed: 1, bins: undefined, threads: undefined })).toEqual(def);
    expect(await monteCarloClv(undef, { draws: 200, seed: 1, threads: undefined })).toEqual(def);
    expect(def.settings.horizonPeriods).toBe(12);
    expect(def.customers[0].expected).toBeGreaterThan(0);
  });

  it("monteCarloClvColumns(Sync): undefined model fields and options are the defaults", async () => {
    const model = { purchaseRate: [1, 0.5], spendMean: [20, 40], retention: 0.8, discountRate: 0.01 };
    const def = monteCarloClvColumnsSync(model);
    const undef = { ...model, spendShape: undefined, alive: undefined, survival: undefined, periods: undefined, periodDays: undefined, marginRate: undefined };
    const opts = { draws: undefined, seed: undefined, bins: undefined, threads: undefined, lifetime: undefined };
    expect(monteCarloClvColumnsSync(undef, opts)).toEqual(def);
    expect(await monteCarloClvColumns(undef, opts)).toEqual(def);
    expect(def.portfolio.draws).toBe(1000); // default draws per customer
  });
});
