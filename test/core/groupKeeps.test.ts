import { describe, expect, it } from "vitest";
import { groupByCustomer, parseTransactionTable } from "../../src/index.js";

// groupByCustomer reorders rows; everything the table says about itself must survive it.
describe("groupByCustomer keeps item names, missing-item marks and the amount source", () => {
  it("a shuffled log with item labels and no amounts", () => {
    const rows = [
      { customer: "b", date: "2024-01-02", sku: "1", description: "GIN + TONIC | SIGN" },
      { customer: "a", date: "2024-01-01", sku: "2", description: "MUG" },
      { customer: "b", date: "2024-01-03", sku: "", description: "" },
    ];
    const { table } = parseTransactionTable(rows, { columns: { customerId: "customer", date: "date", items: "sku", itemLabel: "description" } } as never);
    const g = groupByCustomer(table);
    expect(g).not.toBe(table); // rows were reordered: a new table
    expect(g.amountSource).toBe("none");
    expect(g.items?.names).toEqual(table.items?.names);
    expect(g.items?.names).toContain("GIN + TONIC | SIGN");
    // Row order after grouping: by customer code (b came first in the file), rows in source order.
    expect(Array.from(g.customer, (c) => g.ids[c])).toEqual(["b", "b", "a"]);
    expect(Array.from(g.day)).toEqual([table.day[0], table.day[2], table.day[1]]);
  });
});
