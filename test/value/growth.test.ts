import { describe, expect, it } from "vitest";
import { clv3d, clv3dColumns, generateTransactions, InvalidOptionError, spendGrowthColumn, summarizeCustomers, summarizeCustomersTable, toTransactionTable } from "../../src/index.js";

describe("spendGrowthColumn", () => {
  it("spendGrowthColumn: spend 10, 20, 30 over three complete 30-day periods gives slope 10 / mean 20 = 0.5 (hand computation)", () => {
    const table = toTransactionTable([
      { customerId: "a", date: new Date("2024-01-01"), amount: 10 },
      { customerId: "a", date: new Date("2024-01-31"), amount: 20 },
      { customerId: "a", date: new Date("2024-03-01"), amount: 30 },
      { customerId: "b", date: new Date("2024-03-20"), amount: 5 }, // one incomplete period: 0
    ]);
    const { customers } = summarizeCustomersTable(table, { asOf: "2024-03-31" });
    expect([...spendGrowthColumn(customers, table)]).toEqual([0.5, 0]);
    expect(() => spendGrowthColumn(customers, table, { periodDays: 0 })).toThrow(InvalidOptionError);
  });

  it("clv3dColumns(customers, { growth: spendGrowthColumn(...) }) gives clv3d(summaries, { transactions })'s values exactly", () => {
    const tx = generateTransactions({ customers: 400, seed: 4 });
    const table = toTransactionTable(tx);
    const { customers } = summarizeCustomersTable(table);
    const settings = { marginRate: 0.4, horizon: 12, retention: { type: "constant" as const, rate: 0.9 } };
    const cols = clv3dColumns(customers, { ...settings, growth: spendGrowthColumn(customers, table) });
    const recs = clv3d(summarizeCustomers(tx), { ...settings, transactions: tx });
    expect(recs.customers.map((c) => c.iv)).toEqual([...cols.iv]);
    expect(recs.customers.map((c) => c.clv)).toEqual([...cols.clv]);
    expect(cols.growth.some((g) => g !== 0)).toBe(true);
  });
});
