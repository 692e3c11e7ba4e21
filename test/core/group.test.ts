import { describe, expect, it } from "vitest";
import { generateTransactions, groupByCustomer, summarizeCustomersTable, tableToTransactions, toTransactionTable } from "../../src/index.js";

describe("groupByCustomer", () => {
  const tx = generateTransactions({ customers: 300, seed: 8, returnRate: 0.1 });
  const table = toTransactionTable(tx);

  it("groupByCustomer(table) holds the same rows, each customer's in their original order, every column carried", () => {
    const g = groupByCustomer(table);
    expect(g.length).toBe(table.length);
    for (let i = 1; i < g.length; i++) expect(g.customer[i] >= g.customer[i - 1]).toBe(true);
    // Reference: the records of each customer, in input order, must be the grouped records.
    const byCustomer = new Map<string, typeof tx>();
    for (const t of tx) byCustomer.set(t.customerId, [...(byCustomer.get(t.customerId) ?? []), t]);
    const expected = table.ids.flatMap((id) => byCustomer.get(id)!);
    const got = tableToTransactions(g);
    expect(got.map((t) => [t.customerId, t.date.getTime(), t.amount, t.orderId, t.items, t.channel, t.attributes])).toEqual(
      expected.map((t) => [t.customerId, t.date.getTime(), t.amount, t.orderId, t.items, t.channel, t.attributes]),
    );
    expect(table.customer[1] < table.customer[0] || table.customer.some((c, i) => i > 0 && c < table.customer[i - 1])).toBe(true); // the input was not grouped
  });

  it("groupByCustomer leaves the summaries unchanged and returns an already grouped table as it is", () => {
    const g = groupByCustomer(table);
    expect(summarizeCustomersTable(g)).toEqual(summarizeCustomersTable(table));
    expect(groupByCustomer(g)).toBe(g);
  });
});
